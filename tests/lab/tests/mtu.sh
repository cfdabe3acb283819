#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 120
# lab-lane: debug
#
# MTU, as vlan does it: a link's max_mtu is the lower's MTU less the final
# suite's header and tag; a given MTU is kept if it fits and refused with
# the reason if not (never silently replaced by one the lower then drops);
# none given means the maximum; the link follows the lower and the suite.
. "$LAB_TOP/tests/lab/lib.sh"

fresh_ues A
GCM=0x10

mtu_of() { on A ip -d -j link show "$1" | python3 -c "import json,sys; print(json.load(sys.stdin)[0]['$2'])"; }
add() { on A python3 -S "$LAB_TOP/tests/lab/tools/rtnl.py" add pc5 eth0 "$1" "$2"; }

step "aes-gcm-128 with mtu 1400: kept (lower 1500 less 12 + 16 is 1472)"
expect_eq "created" "$(add 1400 $GCM)" "error 0: -"
expect_eq "mtu" "$(mtu_of pc5 mtu)" 1400
expect_eq "max_mtu" "$(mtu_of pc5 max_mtu)" 1472
on A ip link del pc5

step "aes-gcm-128 with mtu 1480: refused, naming the MTU"
got=$(add 1480 $GCM)
expect_match "refused" "$got" "^error 22: MTU above the lower device's MTU"
expect_fail "no link" on A ip link show pc5

step "aes-gcm-128, no MTU given: the maximum"
expect_eq "created" "$(add 0 $GCM)" "error 0: -"
expect_eq "mtu" "$(mtu_of pc5 mtu)" 1472
expect_fail "mtu 1473 refused" on A ip link set pc5 mtu 1473

step "the lower shrinks: the link follows"
on A ip link set eth0 mtu 1300
expect_eq "max_mtu" "$(mtu_of pc5 max_mtu)" 1272
expect_eq "mtu" "$(mtu_of pc5 mtu)" 1272

step "the suite changes to eea2 (no tag): 16 more octets allowed"
on A "$PC5CTL" link set pc5 cipher eea2
expect_eq "max_mtu" "$(mtu_of pc5 max_mtu)" 1288
expect_eq "mtu unchanged" "$(mtu_of pc5 mtu)" 1272
on A ip link set pc5 mtu 1288
expect_eq "mtu raised" "$(mtu_of pc5 mtu)" 1288

step "back to aes-gcm-128: the MTU shrinks with max_mtu"
on A "$PC5CTL" link set pc5 cipher aes-gcm-128
expect_eq "mtu" "$(mtu_of pc5 mtu)" 1272
echo ok
