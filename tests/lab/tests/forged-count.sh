#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 300
# lab-lane: debug
#
# Forged-COUNT immunity for a suite without integrity (128-EEA2): while A
# talks to B, thousands of frames forged in A's name reach B (A's member
# ID and PGK Index, random SNs, random Data), under PTK Identity 0xffff and
# under A's current PTK. None of them moves B's window for A: every one of
# A's datagrams arrives, once. The far ones are refused before anything is
# derived or deciphered (rx_replay), the near ones decipher to junk
# (rx_malformed), and no frame ever waited for a PEK (rx_nokey 0): B's PEK
# slots for A were never replaced.
. "$LAB_TOP/tests/lab/lib.sh"

fresh_ues A B
eea2_pair

step "A's first frame, captured: the model for the forgeries"
capture_start /tmp/air.pcap
send A 10.5.0.2 5000 HELLO 1
capture_stop
genuine=$(python3 -S "$LAB_TOP/tests/lab/tools/pcap.py" extract /tmp/air.pcap 0 | od -An -v -tx1 | tr -d ' \n')
expect_eq "it is A's, PTK 0 SN 0" "${genuine:30:6}|${genuine:44:8}" "000001|00000000"

step "4000 forgeries while A sends at 40/s for 12 s"
STATS_BEFORE=$(stats B)
rx0=$(stat B rx_packets)
python3 -S "$LAB_TOP/tests/lab/tools/steady.py" A B 10.5.0.2 6000 40 +12 >/tmp/steady.txt 2>&1 &
talk=$!
# A's datagrams flow before the first forgery. A sender silent for
# PC5SEC_SENDER_IDLE (60 s) may have gone anywhere (a reboot), and then
# only the window stands between B and a far COUNT (rx.c, rx_window):
# the far forgeries would be deciphered to junk (rx_malformed) rather
# than refused. On a loaded host the debug kernel once took that long
# from A's HELLO to here, and 1000 of the 2000 far ones counted as junk.
wait_for 60 "A's steady datagrams reach B" '[ "$(stat B rx_packets)" -gt "$rx0" ]'
# Bursts of 250, well inside the receive backlog (1000 frames), so that
# whatever A loses is pc5sec's doing, not the lower device's queue.
for round in 1 2 3 4 5 6 7 8; do
	$FRAME_PY forge air-B "$genuine" 250 --ptk 0xffff --sn "$round"
	sleep 0.2
	# SNs from 2000 on: ahead of A's genuine ones, within the window's reach
	$FRAME_PY forge air-B "$genuine" 250 --ptk 0 --sn $((2000 + round))
	sleep 0.3
done
rc=0
wait "$talk" || rc=$?
cat /tmp/steady.txt
expect_eq "steady.py: every datagram arrived once" "$rc" 0
sent=$(python3 -c 'import json,sys; print(json.loads(sys.stdin.read().splitlines()[-1])["sent"])' </tmp/steady.txt)
expect_stats "B: A's datagrams delivered, each forgery counted, nothing waited for a PEK" B pc5 \
	rx_packets="$sent" rx_bytes=$((sent * (28 + 4))) rx_replay=2000 rx_malformed=2000

step "after: A's traffic goes on"
STATS_BEFORE=$(stats B)
recv_bg B 5001 /tmp/b.txt
send A 10.5.0.2 5001 AFTER 5
expect_soon "B got them" 5 'lines /tmp/b.txt'
expect_stats "five more, nothing else" B pc5 rx_packets=5 rx_bytes=$((5 * (28 + 7)))
echo ok
