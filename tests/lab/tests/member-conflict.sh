#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 200
# lab-lane: debug
#
# Two UEs with one member ID under one PGK reuse each other's keystream:
# the kernel cannot stop an operator from doing it, but it notices. B
# (pc6: group 0x77, member 2, EEA0 so that frame.py's frames are valid
# SDUs) receives well-formed frames whose source is B's own member ID:
# none is delivered, each counts rx_own_member, and `pc5ctl monitor` sees
# one member-conflict event for the PGK, however many frames come. Frames
# of another member still pass, and a forged (malformed) frame in B's name
# is only malformed: the conflict needs a frame that proved itself.
. "$LAB_TOP/tests/lab/lib.sh"

fresh_ues B
pc6_eea0 B
recv_bg B 6000 /tmp/b.txt
monitor_start B /tmp/mon.txt monitor pc6

frame_from() {
	echo "--group 0x77 --index 5 --src $1 --sn $2 --udp4 10.7.0.9,10.7.0.2,6000,$3"
}

step "a malformed frame in B's name: malformed, no conflict"
expect_stats_after "malformed only" B pc6 rx_malformed=1 \
	inject B "--group 0x77 --index 5 --src 2 --sn 1 --data 00"

step "three well-formed frames in B's name, then one of member 9"
STATS_BEFORE=$(stats B pc6)
inject B "$(frame_from 2 2 MINE-1)" "$(frame_from 2 3 MINE-2)" "$(frame_from 2 4 MINE-3)" \
	"$(frame_from 9 1 OTHER)"
expect_soon "member 9's frame delivered" OTHER 'cat /tmp/b.txt'
expect_soon "one member-conflict event" 1 "grep -c '^member-conflict pc6 sender 0x000002 pgk-id 5' /tmp/mon.txt"
expect_stats "three rx_own_member, one delivered" B pc6 \
	rx_own_member=3 rx_packets=1 rx_bytes=$((28 + 5))

step "more in B's name: counted, no second event for this PGK"
expect_stats_after "two more rx_own_member" B pc6 rx_own_member=2 \
	inject B "$(frame_from 2 5 MINE-4)" "$(frame_from 2 6 MINE-5)"
sleep 1
cat /tmp/mon.txt
expect_eq "still one event" "$(grep -c '^member-conflict' /tmp/mon.txt)" 1
expect_eq "the application got member 9's only" "$(tr '\n' ' ' </tmp/b.txt)" "OTHER "
echo ok
