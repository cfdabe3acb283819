#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 200
#
# Per-sender visibility: `pc5ctl show NAME senders` lists each receiver's
# state (member, PGK, highest COUNT, packets, idle time), as text and JSON,
# and `pc5ctl sender reset NAME member ID` forgets a sender's states, so
# that its next frame starts a new window.
. "$LAB_TOP/tests/lab/lib.sh"

eea2_talking

step "B's receivers' states: A under PGK 0x21, COUNT 2, 3 packets"
out=$(on B "$PC5CTL" show pc5 senders)
echo "$out"
expect_match "text" "$out" "^pc5: 1 receiver's state$"
expect_match "A's line" "$out" "member 0x000001 pgk-id 33 ptk 0 sn 2 rx-packets 3 idle [0-9]+ ms"
json=$(on B "$PC5CTL" -j show pc5 senders)
expect_eq "JSON" "$(python3 -c 'import json,sys; s=json.loads(sys.argv[1]); print(len(s), s[0]["member"], s[0]["pgk_id"], s[0]["count"], s[0]["rx_packets"])' "$json")" \
	"1 1 33 2 3"

step "sender reset: A's state goes; its next frame starts a new one"
expect "reset" on B "$PC5CTL" sender reset pc5 member 1
expect_match "no state" "$(on B "$PC5CTL" show pc5 senders)" "^pc5: 0 receiver's states$"
send A 10.5.0.2 5000 AGAIN 1
expect_soon "B got it" 4 'lines /tmp/b.txt'
expect_match "a new state, one packet" "$(on B "$PC5CTL" show pc5 senders)" \
	"member 0x000001 pgk-id 33 ptk 0 sn 3 rx-packets 1 "

step "reset of a sender the link does not hear: refused, saying so"
expect_rc "member 9" 1 "no state for this sender" on B "$PC5CTL" sender reset pc5 member 9
echo ok
