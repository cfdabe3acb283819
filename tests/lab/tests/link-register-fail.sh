#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 120
#
# A link whose registration fails after ndo_init must leave its lower
# device's reference count as it found it. register_netdevice() refuses an
# ifindex already taken only after ndo_init, and then runs the destructor:
# a reference dropped there and again in newlink's error path leaves the
# lower one short, and deleting it then waits for ever ("waiting for eth0
# to become free"), or worse, frees it under someone else's feet.
. "$LAB_TOP/tests/lab/lib.sh"

load_pc5sec
ue A

step "three links whose registration fails after ndo_init"
taken=$(on A cat /sys/class/net/lo/ifindex)
for i in 1 2 3; do
	err=$(on A ip link add pc5 index "$taken" link eth0 type pc5sec \
		group 1 member "$i" 2>&1) && fail "created a link with a taken ifindex"
	expect_match "refused ($i)" "$err" "busy|exists"
	expect_fail "no link left behind ($i)" on A ip link show pc5
done

step "the lower still takes a link, and deletes with it at once"
on A ip link add pc5 link eth0 type pc5sec group 1 member 1
on A ip link del eth0 &
del=$!
# Milliseconds when the count is right; never when it is one short.
for _ in $(seq 150); do
	kill -0 "$del" 2>/dev/null || break
	sleep 0.1
done
kill -0 "$del" 2>/dev/null && fail "deleting eth0 hangs: a reference to it was put twice"
wait "$del"
expect_fail "the link went with its lower" on A ip link show pc5
echo ok
