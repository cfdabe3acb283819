#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 120
# lab-lane: debug
#
# A link whose registration fails after ndo_init must leave its lower
# device's reference count as it found it. register_netdevice() refuses an
# ifindex already taken in the link's netns only after ndo_init, and then
# runs the destructor: a reference dropped there and again in newlink's
# error path leaves the lower one short, and deleting it then waits for
# ever ("waiting for lt0 to become free"), or worse, frees it under someone
# else's feet. The link is created from the root netns into netns X, with
# an ifindex that is free in the root netns (so rtnetlink goes on to
# create) but taken in X.
. "$LAB_TOP/tests/lab/lib.sh"

load_pc5sec
ip link add lt0 type veth peer name lt1
ip netns add X
ip -n X link add x0 index 9999 type veth peer name x1
expect_fail "ifindex 9999 is free in the root netns" sh -c "ip -o link | grep -q '^9999:'"

step "three links whose registration fails after ndo_init"
for i in 1 2 3; do
	err=$(ip link add pc5 index 9999 netns X link lt0 type pc5sec 2>&1) &&
		fail "created a link with an ifindex taken in its netns"
	expect_match "refused ($i)" "$err" "busy"
	expect_fail "no link left behind ($i)" ip -n X link show pc5
done

step "the lower still takes a link, and deletes with it at once"
ip link add pc5 netns X link lt0 type pc5sec
expect "the link is in X" ip -n X link show pc5
ip link del lt0 &
del=$!
# Milliseconds when the count is right; never when it is one short.
for _ in $(seq 150); do
	kill -0 "$del" 2>/dev/null || break
	sleep 0.1
done
kill -0 "$del" 2>/dev/null && fail "deleting lt0 hangs: a reference to it was put twice"
wait "$del"
expect_fail "the link went with its lower" ip -n X link show pc5
ip netns del X
echo ok
