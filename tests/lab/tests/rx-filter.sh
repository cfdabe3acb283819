#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 200
# lab-lane: debug
#
# A link takes only what the air addresses to its group: a frame carrying
# the right header is still not the link's if it comes VLAN-tagged (it is
# a VLAN device's), if it is another station's unicast seen by a
# promiscuous radio, or if its destination MAC is not the group's. B's pc6
# (group 0x77, EEA0, so a frame.py frame is a valid SDU) gets the same
# frame each way; only the controls reach the application.
. "$LAB_TOP/tests/lab/lib.sh"

fresh_ues B
pc6_eea0 B
on B ip link set eth0 promisc on
recv_bg B 6000 /tmp/b.txt

good() {
	echo "--group 0x77 --index 5 --sn $1 --udp4 10.7.0.9,10.7.0.2,6000,$2 ${*:3}"
}

step "control: the frame as the air sends it is delivered"
STATS_BEFORE=$(stats B pc6)
inject B "$(good 1 CONTROL-1)"
expect_soon "the application got it" CONTROL-1 'cat /tmp/b.txt'
expect_stats "one packet" B pc6 rx_packets=1 rx_bytes=$((28 + 9))

step "tagged, another station's, another group's MAC: not delivered"
STATS_BEFORE=$(stats B pc6)
inject B "$(good 2 VLAN --vlan 5)" \
	"$(good 3 OTHERHOST --dmac 02:00:00:00:00:42)" \
	"$(good 4 GROUP99MAC --group 0x99 --dst 0x77)" \
	"$(good 5 CONTROL-2)"
expect_soon "the second control got through" CONTROL-2 'tail -n 1 /tmp/b.txt'
# The tagged and the unicast frames are not the link's: it counts nothing
# for them. The one with the header naming the link's group under another
# group's MAC reached it: malformed.
expect_stats "only the control delivered, the MAC mismatch counted" B pc6 \
	rx_packets=1 rx_bytes=$((28 + 9)) rx_malformed=1
expect_eq "the application got the controls only" "$(tr '\n' ' ' </tmp/b.txt)" "CONTROL-1 CONTROL-2 "
echo ok
