#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 400
#
# The PTK limit: TX never takes a COUNT at or past a PGK's PTK limit, so a
# key helper that dies cannot let TX outrun the watermark it recorded.
# A's PGK starts at PTK Identity 5 with limit 6: exactly 65536 datagrams
# go out, the next ones count tx_nokey and the air stays silent, and
# `pc5ctl monitor` reports key-limit. Raised with `key set`, TX resumes in
# PTK Identity 6 (B accepts it); lowered below it, TX stops at once.
# Refusals name the reason and change nothing. Last, KEY_DEL's reason
# (issue 16's revocation): revoked shows in the event, the kernel's own
# reasons and a reason on another command are refused.
. "$LAB_TOP/tests/lab/lib.sh"

fresh_ues A B
pc5_pair cipher aes-gcm-128
key=$(pgk_file 303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f)
monitor_start A /tmp/mon.txt monitor pc5
on A "$PC5CTL" key add pc5 pgk-id 0x21 key-file "$key" ptk-start 5 ptk-limit 6
on B "$PC5CTL" key add pc5 pgk-id 0x21 ptk-start 0 key-file "$key"
expect_match "A shows the limit" "$(on A "$PC5CTL" show pc5)" 'ptk-limit 6'
expect_eq "A's limit in JSON" "$(key_fields A ptk_limit)" 6
expect_eq "B has none" "$(key_fields B ptk_limit)" ""

step "refusals, each changing nothing"
before=$(on A "$PC5CTL" -j show pc5)
expect_rc "a limit not above ptk-start" 1 \
	'^pc5ctl: key add pc5: PC5SEC_A_KEY_PTK_LIMIT must be above PC5SEC_A_KEY_PTK_START' \
	on A "$PC5CTL" key add pc5 pgk-id 0x22 key-file "$key" ptk-start 7 ptk-limit 7
expect_rc "key set on a PGK the link does not have" 1 \
	'^pc5ctl: key set pc5: no PGK with this ID on the link$' \
	on A "$PC5CTL" key set pc5 pgk-id 0x29 ptk-limit 9
expect_rc "limit 0" 2 'ptk-limit' on A "$PC5CTL" key set pc5 pgk-id 0x21 ptk-limit 0
expect_rc "limit 65537" 2 'ptk-limit' on A "$PC5CTL" key set pc5 pgk-id 0x21 ptk-limit 65537
# what pc5ctl never sends, raw (tools/genl.py): attribute 5 is
# PC5SEC_A_KEY_PTK_START, 13 PC5SEC_A_KEY_PTK_LIMIT
GENL="python3 -S $LAB_TOP/tests/lab/tools/genl.py key-set pc5 0x21"
expect_eq "key-set changing ptk-start" "$(on A $GENL u16:5:9 u32:13:9)" \
	"error 22: only PC5SEC_A_KEY_PTK_LIMIT of an installed PGK can change"
expect_eq "key-set without a limit" "$(on A $GENL)" \
	"error 22: PC5SEC_A_KEY_PTK_LIMIT is required"
expect_eq "key-set limit 0" "$(on A $GENL u32:13:0)" "error 34: integer out of range"
expect_eq "key-set limit 65537" "$(on A $GENL u32:13:65537)" "error 34: integer out of range"
expect_eq "nothing changed" "$(on A "$PC5CTL" -j show pc5)" "$before"

step "65536 datagrams: PTK Identity 5, all of it"
expect "every datagram arrives once" \
	python3 -S "$LAB_TOP/tests/lab/tools/flood.py" A B 10.5.0.2 7000 65536
expect_eq "A's next TX PTK Identity is the limit" "$(key_fields A tx_ptk_id)" 6
expect_eq "A's key is no longer the active one" "$(key_fields A state)" valid
expect_soon "key-limit reported" "key-added 33,key-active 33,key-limit 33," \
	"awk '{ print \$1, \$4 }' /tmp/mon.txt | tr '\\n' ,"

step "past the limit: tx_nokey, a silent air"
capture_start /tmp/held.pcap air 'ether proto 0x88b5'
nokey=$(cnt A tx_nokey)
send A 10.5.0.2 7001 held 20
capture_stop
expect_eq "A tx_nokey" "$(cnt A tx_nokey)" $((nokey + 20))
expect_eq "frames on the air" \
	"$(python3 -S "$LAB_TOP/tests/lab/tools/frame.py" count /tmp/held.pcap)" \
	"frames 0 pc5sec 0 marker 0"
expect_eq "B rx_packets" "$(cnt B rx_packets)" 65536

step "raised to 7: TX resumes in PTK Identity 6"
on A "$PC5CTL" key set pc5 pgk-id 0x21 ptk-limit 7
expect_eq "A's limit" "$(key_fields A ptk_limit)" 7
recv_bg B 7002 /tmp/b.txt
capture_start /tmp/resumed.pcap air 'ether proto 0x88b5'
send A 10.5.0.2 7002 resumed 10
capture_stop
expect_soon "B got the 10" 10 'lines /tmp/b.txt'
expect_eq "on the air: PTK Identity 6, SN 0..9" \
	"$(python3 -S "$LAB_TOP/tests/lab/tools/frame.py" hdrs /tmp/resumed.pcap | tr '\n' ' ')" \
	"6 0 6 1 6 2 6 3 6 4 6 5 6 6 6 7 6 8 6 9 "
expect_eq "B rx_replay rx_auth_fail" "$(cnt B rx_replay) $(cnt B rx_auth_fail)" "0 0"

step "lowered to 6, below what TX has used: TX stops at once"
on A "$PC5CTL" key set pc5 pgk-id 0x21 ptk-limit 6
nokey=$(cnt A tx_nokey)
send A 10.5.0.2 7003 lowered 5
expect_eq "A tx_nokey" "$(cnt A tx_nokey)" $((nokey + 5))
expect_eq "A tx_packets (65536 + 10)" "$(cnt A tx_packets)" 65546
expect_soon "the events" "key-added 33,key-active 33,key-limit 33,key-active 33,key-limit 33," \
	"awk '{ print \$1, \$4 }' /tmp/mon.txt | tr '\\n' ,"

step "KEY_DEL's reason: deleted or revoked, nothing else, on nothing else"
# raw: attribute 3 is PC5SEC_A_REASON (2 flushed, 3 expired, 4
# link-deleted, 5 revoked: the first three are the kernel's own)
G="python3 -S $LAB_TOP/tests/lab/tools/genl.py"
before=$(on A "$PC5CTL" -j show pc5)
expect_eq "key-del saying flushed" "$(on A $G key-del pc5 0x21 top-u8:3:2)" \
	"error 22: KEY_DEL's PC5SEC_A_REASON is deleted or revoked"
expect_eq "key-del saying expired" "$(on A $G key-del pc5 0x21 top-u8:3:3)" \
	"error 22: KEY_DEL's PC5SEC_A_REASON is deleted or revoked"
expect_eq "key-del reason 6" "$(on A $G key-del pc5 0x21 top-u8:3:6)" \
	"error 34: integer out of range"
expect_eq "key-set with a reason" "$(on A $G key-set pc5 0x21 u32:13:9 top-u8:3:5)" \
	"error 22: PC5SEC_A_REASON is for KEY_DEL only"
expect_eq "key-flush with a reason" "$(on A $G key-flush pc5 0x21 top-u8:3:5)" \
	"error 22: PC5SEC_A_REASON is for KEY_DEL only"
expect_rc "pc5ctl: an unknown reason" 2 '^pc5ctl: key del: reason "flushed": want deleted or revoked$' \
	on A "$PC5CTL" key del pc5 pgk-id 0x21 reason flushed
expect_eq "nothing changed" "$(on A "$PC5CTL" -j show pc5)" "$before"
on A "$PC5CTL" key del pc5 pgk-id 0x21 reason revoked
on B "$PC5CTL" key del pc5 pgk-id 0x21
expect_soon "A's event says revoked" "key-removed pc5 reason revoked pgk-id 33" \
	"grep -o '^key-removed pc5 reason [a-z]* pgk-id [0-9]*' /tmp/mon.txt"
expect_eq "A holds no key" "$(key_fields A pgk_id)" ""
kill_tracked
cat /tmp/mon.txt
