#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 200
#
# A sender whose clock runs ahead moves to a new PGK before the receiver's
# clock reaches its not-before. The receiver takes such frames if they are
# at most rx-skew seconds early (a link setting, default 5 s), and counts
# them rx_nokey otherwise. Simulated without touching any clock: A holds
# PGK 0x21 valid now, B the same PGK with a not-before 120 s ahead.
. "$LAB_TOP/tests/lab/lib.sh"

fresh_ues A B
pc5_pair cipher eea2
add_test_pgk A 0x21
add_test_pgk B 0x21 not-before +120
# a listener, so that B answers nothing (no ICMP) and its TX counts stay 0
recv_bg B 5000 /tmp/b.txt
skew() { on B "$PC5CTL" -j show pc5 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["rx_skew"])'; }
expect_eq "rx-skew defaults to 5 s" "$(skew)" 5

step "rx-skew 300: frames 120 s early are taken"
on B "$PC5CTL" link set pc5 rx-skew 300
expect_eq "rx-skew" "$(skew)" 300
STATS_BEFORE=$(stats B)
send A 10.5.0.2 5000 EARLY 3
expect_soon "B delivered them" 3 "cnt B rx_packets"
expect_stats "three packets" B pc5 rx_packets=3 rx_bytes=$((3 * (28 + 7)))

step "rx-skew 0: the same frames are early, rx_nokey"
on B "$PC5CTL" link set pc5 rx-skew 0
STATS_BEFORE=$(stats B)
send A 10.5.0.2 5000 EARLY 2
sleep 1
expect_stats "two rx_nokey" B pc5 rx_nokey=2

step "rx-skew above 300 s is refused, naming it"
expect_rc "rx-skew 301" 1 "rx-skew must be 300 seconds or less" on B "$PC5CTL" link set pc5 rx-skew 301
expect_eq "unchanged" "$(skew)" 0
echo ok
