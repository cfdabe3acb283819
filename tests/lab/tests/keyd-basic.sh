#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 400
#
# Three UEs start with nothing but pc5keyd and a config: `pc5keyd --once`
# fetches the group's parameters and PGKs from the PKMF over HTTPS (mutual
# TLS), creates and configures each UE's pc5sec link and installs the
# keys; then the UEs exchange encrypted traffic: ciphertext on the air,
# exact counts. A second --once installs nothing twice; key bytes appear
# in no log and no dump; state files are 0600. The PKMF assigns the group
# 128-EEA3 (ZUC), as operators do; the other keyd tests use 128-EEA2.
. "$LAB_TOP/tests/lab/lib.sh"
. "$LAB_TOP/tests/pkmf/lab.sh"
SUITE=eea3

fresh_ues A B C
step "the PKMF in its own netns, a routed veth to each UE"
pkmf_setup 600 30 A:1 B:2 C:3
pkmf_start
keyd_conf_all

step "pc5keyd --once on each UE"
for u in A B C; do
	expect "pc5keyd --once on $u" keyd_once $u
done
for u in A:1 B:2 C:3; do
	on "${u%:*}" "$PC5CTL" show pc5
	j=$(on "${u%:*}" "$PC5CTL" -j show pc5)
	expect_match "$u link settings" "$j" "\"member\":${u#*:},"
	expect_match "$u link uses the PKMF's suite" "$j" '"cipher":"eea3"'
	expect_eq "${u%:*} holds PGKs 1 and 2" "$(key_ids "${u%:*}")" "1 2"
	expect_eq "${u%:*} key states" "$(key_fields "${u%:*}" state)" "active pending"
	expect_eq "${u%:*} TX starts at PTK Identity 0" "$(key_fields "${u%:*}" tx_ptk_id)" "0 0"
done
expect_match "A's address" "$(on A ip -4 -br addr show pc5)" "10.5.0.1/24"
expect_eq "watermark reserved one block ahead" \
	"$(cut -d' ' -f1,2,7,8 /tmp/keyd-A/state/watermark-000042 | sort | tr '\n' ' ')" \
	"pgk-id 1 reserved 32 pgk-id 2 reserved 32 "
for f in /tmp/keyd-A/state /tmp/keyd-A/state/*; do
	m=$(command stat -c %a "$f")
	case "$f" in */state) want=700 ;; *) want=600 ;; esac
	expect_eq "mode of $f" "$m" $want
done

step "A to B, B to C, while we capture the air"
capture_start /tmp/air.pcap
recv_bg B 5000 /tmp/b.txt
recv_bg C 5001 /tmp/c.txt
send A 10.5.0.2 5000 KEYD-PLAINTEXT-MARKER 10
send B 10.5.0.3 5001 KEYD-PLAINTEXT-MARKER 5
wait_for 10 "B got 10" 'test "$(lines /tmp/b.txt)" -ge 10'
wait_for 10 "C got 5" 'test "$(lines /tmp/c.txt)" -ge 5'
capture_stop
expect_eq "B received" "$(lines /tmp/b.txt)" 10
expect_eq "C received" "$(lines /tmp/c.txt)" 5
python3 "$LAB_TOP/tests/lab/tools/pcap.py" check /tmp/air.pcap \
	--group "$GROUP" --marker KEYD-PLAINTEXT-MARKER --min-frames 15 ||
	fail "capture check"
expect_eq "A tx/rx" "$(cnt A tx_packets) $(cnt A rx_packets)" "10 5"
expect_eq "B tx/rx" "$(cnt B tx_packets) $(cnt B rx_packets)" "5 10"
expect_eq "C tx/rx" "$(cnt C tx_packets) $(cnt C rx_packets)" "0 15"
for u in A B C; do
	expect_eq "$u drops" "$(cnt $u tx_nokey) $(cnt $u rx_nokey) $(cnt $u rx_replay) $(cnt $u rx_malformed)" "0 0 0 0"
done

step "a second --once: the PKMF is told what A holds, nothing is installed twice"
expect "pc5keyd --once again" keyd_once A
expect_eq "A still holds 1 and 2" "$(key_ids A)" "1 2"
expect_match "the request listed the held PGKs" "$(tail -n 3 /tmp/pkmf.log)" "held=\{'000042': \['1', '2'\]\}"
expect_eq "A's counters untouched" "$(cnt A tx_packets)" 10

step "no key bytes in any log, dump or state other than the key store"
schedule_keys >/tmp/keys.txt
expect "A's stored keys are those of the PKMF" grep -qi "$(sed -n 2p /tmp/keys.txt)" /tmp/keyd-A/state/keys-000042.xml
for u in A B C; do
	on $u "$PC5CTL" -j show >/tmp/dump-$u.json
done
expect_fail "key bytes in logs or dumps" grep -qiF -f /tmp/keys.txt \
	/tmp/keyd-A/log /tmp/keyd-B/log /tmp/keyd-C/log /tmp/dump-A.json /tmp/dump-B.json \
	/tmp/dump-C.json /tmp/keyd-A/state/watermark-000042
