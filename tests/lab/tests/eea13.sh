#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 400
#
# 128-EEA1 (SNOW 3G) and 128-EEA3 (ZUC), from pc5sec-algs.ko, each in turn
# on A, B and C (C holds no key): the link MTU is the lower MTU - 12; A
# pings B with full-size packets and sends it 10 datagrams, which B's
# application gets exactly once each; C delivers nothing and counts every
# frame as rx_nokey; the counters are exact. The air carries Data fields
# exactly as long as the SDUs, never the plaintext, and every frame
# deciphers to its IP packet with tools/eea13.py (SNOW 3G and ZUC written
# in Python from the specifications, not from the module) under a PEK that
# aead.py derives from the PGK. The other way round, a frame that Python
# ciphers for a sender B never heard is delivered to B's application.
. "$LAB_TOP/tests/lab/lib.sh"

PGK=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
nsenter_on
fresh_ues A B C
key=$(pgk_file $PGK)
coproc SRV { exec python3 "$LAB_TOP/tests/lab/tools/aead.py" --pgk $PGK serve; }
track "$SRV_PID"
recv_bg B 5000 /tmp/b.txt

# received PREFIX: datagrams B's application got that start with PREFIX
received() {
	grep -c "^$1" /tmp/b.txt || true
}

await_received() {
	wait_for 10 "B's application has $2 datagrams $1*" "[ \"\$(received '$1')\" = $2 ]"
}

for s in eea1 eea3; do
	msg="EEA-MARKER-$s"
	sdu=$((28 + ${#msg} + 2))	# UDP/IPv4 + "$msg-i"

	step "$s: links on A, B and C; keys on A and B"
	pc5 A 1 cipher "$s"
	pc5 B 2 cipher "$s"
	pc5 C 3 cipher "$s"
	for u in A B; do
		on $u "$PC5CTL" key add pc5 pgk-id 0x21 ptk-start 0 key-file "$key"
	done
	expect_match "A's link uses $s" "$(on A "$PC5CTL" show pc5)" "cipher $s"
	expect_match "the MTU is the lower's - 12 (no tag)" "$(on A ip -o link show pc5)" " mtu 1488 "

	step "$s: full-size pings and 10 datagrams from A, captured"
	capture_start "/tmp/$s.pcap"
	expect "A pings B with 1488-octet packets" \
		on A ping -c 2 -W 3 -M "do" -s 1460 10.5.0.2
	send A 10.5.0.2 5000 "$msg" 10
	await_received "$msg" 10
	capture_stop
	for i in 0 1 2 3 4 5 6 7 8 9; do
		expect_eq "B's application got $msg-$i once" "$(received "$msg-$i\$")" 1
	done
	expect_eq "A's counters" "$(stats A)" \
		"rx_auth_fail=0 rx_bytes=$((2 * 1488)) rx_malformed=0 rx_nokey=0 rx_own_member=0 rx_packets=2 rx_queue_full=0 rx_replay=0 tx_bytes=$((2 * 1488 + 10 * sdu)) tx_nokey=0 tx_packets=12 tx_ptk_exhausted=0 tx_queue_full=0"
	expect_eq "B's counters" "$(stats B)" \
		"rx_auth_fail=0 rx_bytes=$((2 * 1488 + 10 * sdu)) rx_malformed=0 rx_nokey=0 rx_own_member=0 rx_packets=12 rx_queue_full=0 rx_replay=0 tx_bytes=$((2 * 1488)) tx_nokey=0 tx_packets=2 tx_ptk_exhausted=0 tx_queue_full=0"
	expect_eq "C delivers nothing, counts all 14 frames" "$(cnt C rx_packets) $(cnt C rx_nokey)" "0 14"

	step "$s: the air, deciphered independently (eea13.py, PEK derived from the PGK)"
	air=$(srv open "/tmp/$s.pcap" "$s" "$msg")
	echo "$air"
	expected="1 0 0 1488 1488
1 0 1 1488 1488"
	for i in 2 3 4 5 6 7 8 9 10 11; do expected+=$'\n'"1 0 $i $sdu $sdu"; done
	expected+=$'\n'"2 0 0 1488 1488"$'\n'"2 0 1 1488 1488"
	expected+=$'\n'"frames 14 opened 14 marker-air 0 marker-sdu 10"
	expect_eq "every frame (sender, PTK Identity, SN, Data field = SDU) deciphers to its IP packet; the marker is in the SDUs only" \
		"$air" "$expected"

	step "$s: a frame ciphered by Python for sender 0x77 is delivered"
	sealed=$(srv seal "$s" 0x77 5 "10.5.0.119,10.5.0.2,5000,SEALED-$s")
	expect_eq "injected" "$(srv inject air-B "${sealed#seal }")" "sent 1"
	await_received "SEALED-$s" 1
	expect_eq "B counted it" "$(cnt B rx_packets) $(cnt B rx_bytes)" \
		"13 $((2 * 1488 + 10 * sdu + 28 + 7 + ${#s}))"

	for u in A B C; do on $u "$PC5CTL" link del pc5; done
done

# A transform pins the module that implements it: pc5sec-algs.ko, not
# pc5sec.ko (Documentation/design.md), so pc5sec unloads with an eea3
# link up and keyed, and then nothing holds pc5sec-algs.
step "rmmod pc5sec with a keyed eea3 link, then rmmod pc5sec-algs"
pc5 A 1 cipher eea3
on A "$PC5CTL" key add pc5 pgk-id 0x21 ptk-start 0 key-file "$key"
send A 10.5.0.9 5000 ONE 1
expect_eq "A sent it" "$(cnt A tx_packets)" 1
expect_match "pc5sec-algs is in use (the PEK's transform)" \
	"$(grep '^pc5sec_algs ' /proc/modules)" "^pc5sec_algs [0-9]+ [1-9]"
expect "rmmod pc5sec" timeout 30 rmmod pc5sec
wait_for 10 "pc5sec-algs unloads" 'rmmod pc5sec_algs 2>/dev/null; ! grep -q "^pc5sec_algs " /proc/modules'
load_pc5sec
