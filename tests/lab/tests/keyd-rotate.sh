#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 400
#
# The PKMF rotates the group's PGK every 20 s (validity 20 s + 10 s
# grace, handed out up to 40 s ahead); pc5keyd on A and B renews
# renew-lead (15 s) before expiry and installs each new PGK before its
# not-before. A sends to B at a steady rate across three rotations: not
# one datagram is lost, and the air shows A moving from PGK Index to PGK
# Index at each not-before.
. "$LAB_TOP/tests/lab/lib.sh"
. "$LAB_TOP/tests/pkmf/lab.sh"

fresh_pkmf 20 10 A:1 B:2
sed -i 's/"lookahead": 20/"lookahead": 40/' /tmp/groups.json
pkmf_start
keyd_start_all "renew-lead = 15" "expiry-notice = 12"
wait_for 60 "A and B hold the same three PGKs or more" same_pgks 3
on A "$PC5CTL" show pc5

step "A sends 20 datagrams/s to B for 65 s: three rotations"
capture_start /tmp/air.pcap air 'ether proto 0x88b5'
rc=0
python3 -S "$LAB_TOP/tests/lab/tools/steady.py" A B 10.5.0.2 6000 20 +65 >/tmp/steady.txt 2>&1 || rc=$?
capture_stop
cat /tmp/steady.txt
on A "$PC5CTL" show pc5
on B "$PC5CTL" show pc5
expect_eq "every datagram arrived once" $rc 0
expect_eq "B: no drops" "$(cnt B rx_nokey) $(cnt B rx_replay) $(cnt B rx_malformed)" "0 0 0"
expect_eq "A: no drops" "$(cnt A tx_nokey)" 0

step "the air: A's frames change PGK Index at each rotation"
python3 - /tmp/air.pcap <<'PY' || fail "rotations on the air"
import sys
import os
sys.path.insert(0, os.environ["LAB_TOP"] + "/tests/lab/tools")
import pcap
seq = []
for fr in pcap.frames(sys.argv[1]):
    if len(fr) < 26 or int.from_bytes(fr[15:18], "big") != 1:
        continue
    idx = fr[21] & 0x1F
    if not seq or seq[-1] != idx:
        seq.append(idx)
print("A's PGK Indexes in order:", seq)
assert len(seq) >= 4, "fewer than three rotations"
assert all(b == a + 1 for a, b in zip(seq, seq[1:])), "not one after another"
PY
expect_match "A's daemon renewed" "$(cat /tmp/keyd-A/log)" "installed PGK 5"
