#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 600
# lab-check: long
#
# Public-safety incidents bring thousands of radios into one group: a link
# keeps a receiver's state for up to max-senders (default 4096) senders
# under a PGK. 4096 senders each send a frame (on B's EEA0 link pc6, so
# frame.py's frames are valid): all are delivered, none refused. With
# max-senders 64 the 65th sender is refused (rx_nokey) while the others
# are talking, and a bad value is refused naming the setting.
. "$LAB_TOP/tests/lab/lib.sh"

nsenter_on
fresh_ues B
pc6_eea0 B
# a listener, so that B answers nothing (no ICMP) and its TX counts stay 0
recv_bg B 6000 /tmp/b.txt
max() { on B "$PC5CTL" -j show pc6 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["max_senders"])'; }
expect_eq "max-senders defaults to 4096" "$(max)" 4096

injector B
TEMPLATE=$(frame --group 0x77 --index 5 --src 0x100000 --sn 1 --udp4 10.7.0.9,10.7.0.2,6000,S)
[ "${TEMPLATE:30:6}" = 100000 ] || fail "sender ID not at octet 15: $TEMPLATE"

# senders FIRST COUNT: one frame from each of COUNT senders from ID FIRST
# on, 128 at a time (the link holds 256 frames while it makes states)
senders() {
	local first=$1 n=$2 base k want
	for ((base = first; base < first + n; base += 128)); do
		k=$((first + n - base < 128 ? first + n - base : 128))
		want=$(($(cnt B rx_packets pc6) + $(cnt B rx_nokey pc6) + k))
		# shellcheck disable=SC2046 # one word per frame
		inj_hex $(of_senders "$TEMPLATE" "$base" "$k")
		wait_for 120 "senders $base.. handled" \
			"[ \$((\$(cnt B rx_packets pc6) + \$(cnt B rx_nokey pc6))) -ge $want ]"
	done
}

step "4096 senders: every frame delivered"
STATS_BEFORE=$(stats B pc6)
senders 0x1000 4096
expect_stats "4096 delivered, nothing refused" B pc6 rx_packets=4096 rx_bytes=$((4096 * 29))

step "max-senders 64 on a fresh PGK: the 65th sender is refused"
on B "$PC5CTL" link set pc6 max-senders 64
expect_eq "max-senders" "$(max)" 64
on B "$PC5CTL" key flush pc6
on B "$PC5CTL" key add pc6 pgk-id 0x05 ptk-start 0 key-file "$KEY"
STATS_BEFORE=$(stats B pc6)
senders 0x2000 65
expect_stats "64 delivered, one rx_nokey" B pc6 rx_packets=64 rx_bytes=$((64 * 29)) rx_nokey=1

step "bad values are refused, naming the setting"
expect_rc "max-senders 0" 1 "max-senders must be 1 to 65536" on B "$PC5CTL" link set pc6 max-senders 0
expect_rc "max-senders 65537" 1 "max-senders must be 1 to 65536" on B "$PC5CTL" link set pc6 max-senders 65537
expect_eq "unchanged" "$(max)" 64
echo ok
