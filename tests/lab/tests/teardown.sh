#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 400
#
# Tearing things down under load: while iperf3 (TCP) runs from one UE to
# another over pc5sec, delete the receiver's lower device, then (fresh
# links) the receiver's link and the sender's link, then a whole netns,
# then move a lower device to another netns, and last unload the module
# with links up and traffic running. Nothing may hang (each step runs
# under `timeout`), and the runner checks the kernel log for WARN, leaks
# and "unregister_netdevice: waiting for", and that the module is gone.
# make check runs it on Debian's kernel, with real timing under TCP load:
# race-teardown tears down the same ways round after round on the debug
# kernel, where KASAN and the refcount trackers watch.
. "$LAB_TOP/tests/lab/lib.sh"

load_pc5sec
settle
key=$(pgk_file 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f)

# pair S R: UEs S (member 1) and R (member 2) with keyed links, TCP from S
# to R under way (iperf3 -t 20) before it returns. Each pair has its own
# group: all UEs hear each other, and member IDs are unique per group only.
NPAIR=0
pair() {
	local s=$1 r=$2 i
	NPAIR=$((NPAIR + 1))
	GROUP=$((0x100 + NPAIR))
	ue "$s"
	ue "$r"
	pc5 "$s" 1 cipher eea2
	pc5 "$r" 2 cipher eea2
	on "$s" "$PC5CTL" key add pc5 pgk-id 1 ptk-start 0 key-file "$key"
	on "$r" "$PC5CTL" key add pc5 pgk-id 1 ptk-start 0 key-file "$key"
	on "$r" iperf3 -s -1 -B 10.5.0.2 >/dev/null 2>&1 &
	track $!
	wait_for 30 "iperf3 server on $r" "tcp_listening $r 5201"
	on "$s" iperf3 -c 10.5.0.2 -t 20 >/tmp/iperf-"$s".txt 2>&1 &
	track $!
	for i in $(seq 50); do
		[ "$(cnt "$r" rx_packets)" -gt 200 ] && break
		sleep 0.2
	done
	[ "$(cnt "$r" rx_packets)" -gt 200 ] || fail "no TCP traffic from $s to $r"
	echo "$s -> $r: $(stat "$r" rx_packets) packets received so far"
}

# gone UE DEV: DEV is no longer in UE, within 10 s
gone() {
	local i
	for i in $(seq 50); do
		on "$1" ip link show "$2" >/dev/null 2>&1 || return 0
		sleep 0.2
	done
	fail "$2 still in $1"
}

step "delete the receiver's lower device under load"
pair A B
expect "ip link del eth0 in B completes" timeout 20 ip -n B link del eth0
gone B pc5
expect_fail "its bridge port went with it" ip link show air-B
expect "A's link is still there" on A ip link show pc5

step "delete the receiver's link, then the sender's, under load"
pair C D
expect "ip link del pc5 in D completes" timeout 20 ip -n D link del pc5
expect "pc5ctl link del pc5 in C completes (the sender)" timeout 20 ip netns exec C "$PC5CTL" link del pc5
gone D pc5
gone C pc5
expect "C's eth0 takes a new pc5sec link (the port was released)" \
	on C "$PC5CTL" link add pc5 link eth0 group 0x102 member 1

step "delete a whole netns under load (the receiver's, then the sender's)"
pair E F
expect "ip netns del F completes" timeout 20 ip netns del F
expect "ip netns del E completes" timeout 20 ip netns del E
for i in $(seq 50); do
	ip link show air-E >/dev/null 2>&1 || ip link show air-F >/dev/null 2>&1 || break
	sleep 0.2
done
# the iperf3 processes keep the namespaces alive: end them, then the
# namespaces (and the links in them) go
for p in "${BG_PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
for i in $(seq 50); do
	ip link show air-E >/dev/null 2>&1 || ip link show air-F >/dev/null 2>&1 || break
	sleep 0.2
done
expect_fail "E's radio is gone" ip link show air-E
expect_fail "F's radio is gone" ip link show air-F

step "moving the lower device to another netns removes the link"
pair G H
ip netns add X
expect "ip link set eth0 netns X completes" timeout 20 ip -n H link set eth0 netns X
gone H pc5
expect "eth0 arrived in X" ip -n X link show eth0
expect "eth0 takes a new pc5sec link in X (the port was released)" \
	ip netns exec X "$PC5CTL" link add pc5 link eth0 group 0x104 member 2

step "rmmod pc5sec with links up and traffic running"
pair I J
links=$(ip -all netns exec "$PC5CTL" -j show 2>/dev/null | grep -c '"ifname"' || true)
echo "pc5sec links before rmmod: $links"
expect "rmmod completes" timeout 30 rmmod pc5sec
expect_fail "the module is gone" grep -q '^pc5sec ' /proc/modules
gone I pc5
gone J pc5
gone G pc5
gone X pc5
echo ok
