#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 300
# lab-lane: debug
#
# Frames from the air that are not well-formed pc5sec frames: each kind is
# dropped and counted exactly where the spec says (rx_malformed, rx_nokey),
# frames of another group or EtherType pass untouched and are counted
# nowhere, and well-formed frames built the same way are delivered (so the
# injection really reaches the link). B has two links on its radio:
# pc5 (group 0x42, 128-EEA2, PGK index 1) and pc6 (group 0x77, EEA0, PGK
# index 5), where the Data field is the SDU in clear.
. "$LAB_TOP/tests/lab/lib.sh"

fresh_ues B
pc5 B 2 cipher eea2
pc6_eea0 B
add_test_pgk B 0x21
recv_bg B 6000 /tmp/b.txt
ZERO="rx_auth_fail=0 rx_bytes=0 rx_malformed=0 rx_nokey=0 rx_own_member=0 rx_packets=0 rx_queue_full=0 rx_replay=0 tx_bytes=0 tx_nokey=0 tx_packets=0 tx_ptk_exhausted=0 tx_queue_full=0"
both() { echo "pc5: $(stats B pc5) pc6: $(stats B pc6)"; }

# good SN TEXT [OPTION...]: a well-formed EEA0 frame for pc6 carrying a
# UDP datagram, as frame.py options in one word
good() {
	echo "--group 0x77 --index 5 --sn $1 --udp4 10.7.0.9,10.7.0.2,6000,$2 ${*:3}"
}

step "control: a well-formed EEA0 frame is delivered"
STATS_BEFORE=$(stats B pc6)
inject B "$(good 1 CONTROL-1)"
sleep 1
expect_stats "pc6 delivers it" B pc6 rx_packets=1 rx_bytes=$((28 + 9))
expect_soon "the application got it" CONTROL-1 'cat /tmp/b.txt'
expect_eq "pc5 untouched" "$(stats B pc5)" "$ZERO"

step "the reserved nibble is ignored on receipt"
expect_stats_after "pc6 delivers it" B pc6 "rx_packets=1 rx_bytes=$((28 + 9))" \
	inject B "$(good 2 CONTROL-2 --reserved 0xf)"
expect_soon "the application got it" CONTROL-2 'tail -n 1 /tmp/b.txt'

step "truncated: 0 to 11 header octets, to the group MAC"
frames=()
for n in 0 1 2 3 4 5 6 7 8 9 10 11; do frames+=("--header-len $n"); done
expect_eq "shortest and longest frame (octets)" \
	"$(frame --header-len 0 | wc -c) $(frame --header-len 11 | wc -c)" "29 51"
expect_stats_after "12 rx_malformed on the first link of the EtherType" B pc5 rx_malformed=12 \
	inject B "${frames[@]}"
expect_eq "pc6 counts nothing more" "$(stats B pc6 | sed 's/rx_bytes=[0-9]* //; s/rx_packets=[0-9]* //')" \
	"rx_auth_fail=0 rx_malformed=0 rx_nokey=0 rx_own_member=0 rx_queue_full=0 rx_replay=0 tx_bytes=0 tx_nokey=0 tx_packets=0 tx_ptk_exhausted=0 tx_queue_full=0"

step "bad version (0, 2, 15), valid otherwise"
expect_stats_after "3 rx_malformed" B pc5 rx_malformed=3 \
	inject B "--version 0 --data 45000014" "--version 2 --sn 1 --data 45000014" \
	"--version 15 --sn 2 --data 45000014"

step "SDU Type 1 to 7 (ARP, PC5 signalling, Non-IP, reserved)"
frames=()
for t in 1 2 3 4 5 6 7; do frames+=("--sdu $t --sn $((10 + t)) --data 45000014"); done
expect_stats_after "7 rx_malformed" B pc5 rx_malformed=7 inject B "${frames[@]}"

step "unknown PGK Index (2, 0x1f, and 0x01's neighbour 0x00)"
expect_stats_after "3 rx_nokey" B pc5 rx_nokey=3 \
	inject B "--index 2 --sn 20 --data 00" "--index 0x1f --sn 21 --data 00" \
	"--index 0 --sn 22 --data 00"

step "another group's frames pass untouched, counted nowhere"
before=$(both)
inject B "--group 0x99 --index 1 --sn 30 --data 00" \
	"--group 0x99 --version 0" \
	"--group 0x43 --index 5 --sn 31 --udp4 10.7.0.9,10.7.0.2,6000,OTHER" \
	"--ethertype 0x88b6 --index 1 --sn 32 --data 00"
sleep 0.5
expect_eq "no counter of pc5 or pc6 moved" "$(both)" "$before"
# Malformed frames are rx errors, not drops as well: only the 3 rx_nokey
expect_eq "B's rx dropped (ip -s) still the 3 above" "$(devstat B pc5 rx_dropped) $(devstat B pc6 rx_dropped)" "3 0"

step "garbage SDU with a valid header and the right PGK Index (EEA0: in clear)"
STATS_BEFORE=$(stats B pc6)
inject B "--group 0x77 --index 5 --sn 40" \
	"--group 0x77 --index 5 --sn 41 --data 00" \
	"--group 0x77 --index 5 --sn 42 --data 0045000014000000004011" \
	"--group 0x77 --index 5 --sn 43 --data f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0" \
	"--group 0x77 --index 5 --sn 44 --data 4500001400000000401100" \
	"--group 0x77 --index 5 --sn 45 --data 60000000000000000000000000000000000000"
sleep 0.5
# empty, 0x0?, 0xf?, IPv4 shorter than 20 octets, IPv6 shorter than 40
expect_stats "6 rx_malformed" B pc6 rx_malformed=6
expect_eq "pc6 rx errors (ip -s)" "$(devstat B pc6 rx_errors)" 6
expect_eq "pc6 rx dropped (ip -s): errors are not also drops" "$(devstat B pc6 rx_dropped)" 0

step "totals"
expect_eq "pc5" "$(stats B pc5)" \
	"rx_auth_fail=0 rx_bytes=0 rx_malformed=22 rx_nokey=3 rx_own_member=0 rx_packets=0 rx_queue_full=0 rx_replay=0 tx_bytes=0 tx_nokey=0 tx_packets=0 tx_ptk_exhausted=0 tx_queue_full=0"
expect_eq "pc5 rx errors (ip -s)" "$(devstat B pc5 rx_errors)" 22
expect_eq "pc6" "$(stats B pc6)" \
	"rx_auth_fail=0 rx_bytes=74 rx_malformed=6 rx_nokey=0 rx_own_member=0 rx_packets=2 rx_queue_full=0 rx_replay=0 tx_bytes=0 tx_nokey=0 tx_packets=0 tx_ptk_exhausted=0 tx_queue_full=0"
expect_eq "the application got the two controls only" "$(tr '\n' ' ' </tmp/b.txt)" "CONTROL-1 CONTROL-2 "

step "still alive: another well-formed frame is delivered"
expect_stats_after "pc6 delivers it" B pc6 "rx_packets=1 rx_bytes=$((28 + 9))" \
	inject B "$(good 50 CONTROL-3)"
