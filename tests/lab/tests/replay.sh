#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 300
# lab-lane: debug
#
# Replay protection over 128-EEA2: frames captured on the air and sent
# again to B are dropped and counted as rx_replay, exactly, and never reach
# the application twice. A frame B never saw is accepted while its COUNT
# is inside the window, and refused once it is older than the window.
# Finally forged frames (EEA2 has no integrity): one with a far-future
# COUNT is refused before it is deciphered, one within reach deciphers to
# junk; neither moves the window, and the genuine frames that follow pass.
. "$LAB_TOP/tests/lab/lib.sh"

fresh_ues A B
eea2_pair
recv_bg B 5000 /tmp/b.txt

step "COUNT 0..4 go over the air while B's link is down: B never sees them"
on B ip link set pc5 down
capture_start /tmp/early.pcap
send A 10.5.0.2 5000 EARLY 5
capture_stop
on B ip link set pc5 up
expect_eq "frames captured" "$(python3 -S "$LAB_TOP/tests/lab/tools/frame.py" count /tmp/early.pcap)" \
	"frames 5 pc5sec 5 marker 0"
expect_eq "B's counters untouched" "$(stats B)" \
	"rx_auth_fail=0 rx_bytes=0 rx_malformed=0 rx_nokey=0 rx_own_member=0 rx_packets=0 rx_queue_full=0 rx_replay=0 tx_bytes=0 tx_nokey=0 tx_packets=0 tx_ptk_exhausted=0 tx_queue_full=0"

step "COUNT 5..14: B receives 10 datagrams, captured"
capture_start /tmp/air.pcap
send A 10.5.0.2 5000 MARK 10
capture_stop
expect_eq "frames captured" "$(python3 -S "$LAB_TOP/tests/lab/tools/frame.py" count /tmp/air.pcap)" \
	"frames 10 pc5sec 10 marker 0"
expect_eq "captured PTK Identity and SN" "$(python3 -S "$LAB_TOP/tests/lab/tools/frame.py" hdrs /tmp/air.pcap | tr '\n' ' ')" \
	"0 5 0 6 0 7 0 8 0 9 0 10 0 11 0 12 0 13 0 14 "
expect_eq "B rx_packets" "$(cnt B rx_packets)" 10
expect_soon "B got 10 datagrams" 10 'lines /tmp/b.txt'

step "one captured frame again: one rx_replay"
expect_stats_after "B counts 1 replay and nothing else" B pc5 rx_replay=1 \
	inject_pcap B /tmp/air.pcap 0
expect_eq "B rx dropped (ip -s)" "$(devstat B pc5 rx_dropped)" 1

step "all ten again, then the last one three times: 13 rx_replay"
STATS_BEFORE=$(stats B)
inject_pcap B /tmp/air.pcap
inject_pcap B /tmp/air.pcap 9 9 9
sleep 0.5
expect_stats "B counts 13 replays and nothing else" B pc5 rx_replay=13
expect_eq "B rx dropped (ip -s)" "$(devstat B pc5 rx_dropped)" 14
sleep 0.5
expect_eq "the application got no duplicate" "$(sort /tmp/b.txt | uniq -d | wc -l)" 0
expect_eq "the application got 10 datagrams" "$(lines /tmp/b.txt)" 10

step "a frame B never saw (COUNT 1), inside the window (1024): accepted once"
expect_stats_after "B delivers it" B pc5 "rx_packets=1 rx_bytes=$((28 + 7))" \
	inject_pcap B /tmp/early.pcap 1
expect_soon "the application got EARLY-1" EARLY-1 'tail -n 1 /tmp/b.txt'
expect_stats_after "the second time it is a replay" B pc5 rx_replay=1 \
	inject_pcap B /tmp/early.pcap 1

step "replay-window 2: a frame B never saw (COUNT 3) is now too old"
on B "$PC5CTL" link set pc5 replay-window 2
expect_stats_after "too old: rx_replay" B pc5 rx_replay=1 \
	inject_pcap B /tmp/early.pcap 3
# COUNT 12 (frame 7) is inside the window of 2 below 14, but seen: replay.
expect_stats_after "seen, inside the window: rx_replay" B pc5 rx_replay=1 \
	inject_pcap B /tmp/air.pcap 7
expect_stats_after "genuine new frames still pass" B pc5 "rx_packets=2 rx_bytes=$((2 * (28 + 6)))" \
	send A 10.5.0.2 5000 LATE 2
expect_eq "the application got 13 datagrams, no duplicate" \
	"$(lines /tmp/b.txt) $(sort /tmp/b.txt | uniq -d | wc -l)" "13 0"

step "replay-window 0: in order only"
on B "$PC5CTL" link set pc5 replay-window 0
expect_stats_after "an older unseen COUNT is refused" B pc5 rx_replay=1 \
	inject_pcap B /tmp/early.pcap 4

step "forged COUNTs (no integrity in EEA2) move nothing"
on B "$PC5CTL" link set pc5 replay-window 1024
last=$(python3 -S "$LAB_TOP/tests/lab/tools/pcap.py" extract /tmp/air.pcap 9 | od -An -v -tx1 | tr -d ' \n')
far=$($FRAME_PY rewrite "$last" --ptk 0x100 --sn 0)
expect_eq "the forged frame differs in PTK Identity and SN only" \
	"${far:0:44}|${far:52}" "${last:0:44}|${last:52}"
expect_eq "its PTK Identity and SN" "${far:44:8}" 01000000
STATS_BEFORE=$(stats B)
inject B "$far"
sleep 0.5
expect_stats "256 PTK Identities ahead: out of reach, refused undeciphered" B pc5 rx_replay=1
# Within reach (the next PTK, a later SN of this one): deciphered with the
# wrong keystream into junk, which is no IP packet.
STATS_BEFORE=$(stats B)
inject B "$($FRAME_PY rewrite "$last" --ptk 1 --sn 7)" "$($FRAME_PY rewrite "$last" --ptk 0 --sn 60000)"
sleep 1
expect_stats "within reach: deciphered, malformed" B pc5 rx_malformed=2
STATS_BEFORE=$(stats B)
send A 10.5.0.2 5000 AFTER 5
sleep 1
expect_stats "A's genuine frames (COUNT 17..21) still pass" B pc5 rx_packets=5 rx_bytes=$((5 * (28 + 7)))
expect_eq "the application got them" "$(grep -c AFTER /tmp/b.txt)" 5
on B "$PC5CTL" show
