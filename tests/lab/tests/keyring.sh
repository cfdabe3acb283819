#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 300
#
# PGKs from the kernel keyring: A's PGK is a "logon" key, which userspace
# cannot read back (keyctl print fails), installed with
# `pc5ctl key add ... keyring DESC`; B has the same PGK from a file. A and
# B talk (ping, UDP, exact counts). The PGK's bytes appear in no netlink
# message in either direction (an nlmon tap on A), no event, no pc5ctl or
# ip output. A missing description, a key of the wrong type or length are
# refused with the reason and install nothing.
. "$LAB_TOP/tests/lab/lib.sh"

SECRET=6b657972696e675f70676b5f3031323334353637383961626364656667686970
fresh_ues A B
pc5_pair cipher eea2
on B "$PC5CTL" key add pc5 pgk-id 0x21 ptk-start 0 key-file "$(pgk_file "$SECRET")"

step "the PGK into the user keyring as a logon key"
id=$(printf '%s' "$SECRET" | xxd -r -p | keyctl padd logon pc5sec:g42:pgk33 @u)
expect_fail "userspace cannot read a logon key back" keyctl print "$id"
short=$(head -c 16 /dev/urandom | keyctl padd logon pc5sec:g42:short @u)
printf '%s' "$SECRET" | xxd -r -p | keyctl padd user pc5sec:g42:user @u >/dev/null

on A ip link add nlmon0 type nlmon
on A ip link set nlmon0 up
CAPTURE_NETNS=A capture_start /tmp/nl.pcap nlmon0
monitor_start A /tmp/mon.json -j monitor

step "refusals, each installing nothing"
expect_rc "no such logon key" 1 \
	'^pc5ctl: key add pc5: no usable logon key with this description in the caller.s keyrings$' \
	on A "$PC5CTL" key add pc5 pgk-id 0x21 ptk-start 0 keyring pc5sec:g42:nothere
expect_rc "a user key is not a logon key" 1 'no usable logon key' \
	on A "$PC5CTL" key add pc5 pgk-id 0x21 ptk-start 0 keyring pc5sec:g42:user
expect_rc "a 16-octet logon key" 1 \
	"^pc5ctl: key add pc5: the logon key's payload must be the 32-octet PGK$" \
	on A "$PC5CTL" key add pc5 pgk-id 0x21 ptk-start 0 keyring pc5sec:g42:short
expect_rc "key-file and keyring together" 2 'exclude each other' \
	on A "$PC5CTL" key add pc5 pgk-id 0x21 ptk-start 0 keyring pc5sec:g42:pgk33 key-file /dev/null
expect_eq "A has no key" "$(key_fields A pgk_id)" ""

step "install from the keyring, then drop the keyring's copy"
on A "$PC5CTL" key add pc5 pgk-id 0x21 ptk-start 0 keyring pc5sec:g42:pgk33
keyctl unlink "$id" @u
expect_eq "A's key" "$(key_fields A pgk_id) $(key_fields A state)" "33 active"

step "A and B talk under it"
expect "ping B from A" on A ping -c 3 -W 5 -q 10.5.0.2
recv_bg B 7000 /tmp/b.txt
send A 10.5.0.2 7000 keyring 5
sleep 1
expect_soon "B got the datagrams" "keyring-0 keyring-1 keyring-2 keyring-3 keyring-4 " \
	"tr '\n' ' ' </tmp/b.txt"
expect_eq "B rx_packets (3 pings, 5 datagrams)" "$(cnt B rx_packets)" 8
expect_eq "B rx_nokey rx_malformed" "$(cnt B rx_nokey) $(cnt B rx_malformed)" "0 0"

step "the PGK's bytes are nowhere"
out=$(on A "$PC5CTL" -j show; on A "$PC5CTL" show pc5; on A ip -d -s link show pc5
	cat /tmp/mon.json)
sleep 1
kill_tracked
on A ip link del nlmon0 2>/dev/null || true
expect_match "the monitor saw the key added" "$out" '"event":"key-added".*"pgk_id":33'
for pat in "$SECRET" "${SECRET:0:16}" "${SECRET:48}"; do
	if grep -qiF -- "$pat" <<<"$out"; then fail "output holds $pat"; fi
done
printf '%s' "$SECRET" | xxd -r -p | head -c 12 >/tmp/secret.pat
if LC_ALL=C grep -qaF -f /tmp/secret.pat <<<"$out"; then fail "output holds the raw key"; fi
nl=$(python3 -S "$LAB_TOP/tests/lab/tools/nlmon.py" /tmp/nl.pcap "$SECRET")
echo "$nl"
# The key add requests carried a description; the refused "user" key's
# bytes never left its keyring either.
expect_match "no netlink message, request or reply, holds the PGK" \
	"$(tail -n 1 <<<"$nl")" '^requests [1-9][0-9]* with-key 0 replies [1-9][0-9]* with-key 0$'
half=$(python3 -S "$LAB_TOP/tests/lab/tools/nlmon.py" /tmp/nl.pcap "${SECRET:32}" | tail -n 1)
expect_match "nor half of it" "$half" 'requests [0-9]+ with-key 0 replies [0-9]+ with-key 0$'
