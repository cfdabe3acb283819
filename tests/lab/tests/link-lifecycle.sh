#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 300
#
# The link type: stock iproute2 creates and deletes pc5sec links, settings
# come back through fill_info, bad settings are refused with the attribute
# named, and an unkeyed link drops (and counts) everything it is given.
. "$LAB_TOP/tests/lab/lib.sh"

load_pc5sec
ue A

step "ip link add pc5 link eth0 type pc5sec"
expect "create a pc5sec link" on A ip link add pc5 link eth0 type pc5sec
kind=$(on A ip -j -d link show pc5 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["linkinfo"]["info_kind"])')
expect_eq "link kind" "$kind" pc5sec
mtu=$(on A ip -j link show pc5 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["mtu"])')
expect_eq "MTU is the lower MTU minus the 12-octet header" "$mtu" 1488
flags=$(on A ip -j link show pc5 | python3 -c 'import json,sys; print(",".join(json.load(sys.stdin)[0]["flags"]))')
expect_match "a NOARP multicast link" "$flags" NOARP

step "a link without a lower device is refused, with the reason"
err=$(on A ip link add bad type pc5sec 2>&1) && fail "created a link without a lower device"
expect_match "extack names the missing lower device" "$err" "lower device is required"

step "an unkeyed link drops what it is given, counted"
# No IPv6 here, so that no MLD or router solicitation adds to the counts.
on A sysctl -qw net.ipv6.conf.pc5.disable_ipv6=1
on A ip link set pc5 up
on A ip addr add 10.5.0.1/24 dev pc5
before=$(link_stat A pc5 tx.dropped)
send A 10.5.0.2 4000 hello 5
dropped=$(link_stat A pc5 tx.dropped)
expect_eq "tx dropped after 5 datagrams" "$((dropped - before))" 5
packets=$(link_stat A pc5 tx.packets)
expect_eq "tx packets" "$packets" 0

step "one link per group on a lower device"
err=$(on A ip link add pc6 link eth0 type pc5sec 2>&1) && fail "second link for group 0 created"
expect_match "extack explains the refusal" "$err" "group already has a pc5sec link"

step "deleting the lower device deletes the link"
on A ip link del pc5
expect_fail "pc5 is gone" on A ip link show pc5
on A ip link add pc6 link eth0 type pc5sec
on A ip link del eth0
expect_fail "pc6 went with its lower device" on A ip link show pc6

step "no key on a link whose group and member were never set"
# Both default to 0: two UEs keyed that way would share one member ID,
# and so one keystream.
ue C
on C ip link add pc5 link eth0 type pc5sec
key=$(pgk_file 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f)
expect_rc "no group yet" 1 "group \\(Layer-2 Group ID\\) was never set" \
	on C "$PC5CTL" key add pc5 pgk-id 1 ptk-start 0 key-file "$key"
on C "$PC5CTL" link set pc5 group 0
expect_rc "no member yet" 1 "member \\(Group Member Identity\\) was never set" \
	on C "$PC5CTL" key add pc5 pgk-id 1 ptk-start 0 key-file "$key"
expect_eq "no key was installed" "$(on C "$PC5CTL" -j show pc5 | python3 -c 'import json,sys; print(len(json.load(sys.stdin)[0]["keys"]))')" 0
on C "$PC5CTL" link set pc5 member 0
expect "both set, even to 0: the key goes in" on C "$PC5CTL" key add pc5 pgk-id 1 ptk-start 0 key-file "$key"

step "pc5ctl -n NETNS, and the iproute2 words"
expect_eq "pc5ctl -n C -j show pc5 is what it shows inside C" \
	"$("$PC5CTL" -n C -j show pc5)" "$(on C "$PC5CTL" -j show pc5)"
expect_eq "pc5ctl -n C l sh pc5 (link show) is show" \
	"$("$PC5CTL" -n C l sh pc5)" "$(on C "$PC5CTL" show pc5)"
expect_eq "pc5ctl -n C k del: the key goes" \
	"$("$PC5CTL" -n C k del pc5 pgk-id 1 && "$PC5CTL" -n C -j key show pc5 | grep -c '"pgk_id":1')" 0
ip netns add D
on C ip link set pc5 netns D
lower=$(on C cat /sys/class/net/eth0/ifindex)
expect_match "moved to D, the JSON names its lower by index and netns id" \
	"$("$PC5CTL" -n D -j show pc5)" "\"link\":null,\"link_index\":$lower,\"link_netnsid\":[0-9]+,"
expect_match "and so does the text" "$("$PC5CTL" -n D show pc5)" "^pc5: link ifindex $lower netnsid [0-9]+ "
ip netns del D

step "deleting the netns with a link in it"
ue B
on B ip link add pc5 link eth0 type pc5sec
ip netns del B
echo ok
