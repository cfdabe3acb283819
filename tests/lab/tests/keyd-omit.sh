#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 300
# lab-check: long
#
# Issue 12, path 1: a PKMF that leaves out the PGKs the UE holds (the
# KEY_REQUEST lists them, and the spec allows it) must not make pc5keyd
# forget how far it used them. A holds PGK 1 and sends under it (PTK
# Identity 0, watermark 2); the PKMF then answers with PGK 2 alone
# ("omit-held"); A's keys are flushed (as a reboot out of coverage would
# lose them); a reload brings PGK 1 back: from PTK Identity 2, not 0. On
# the air no (PTK Identity, SN) repeats, and B, whose replay window saw
# PTK Identity 0, takes every frame.
. "$LAB_TOP/tests/lab/lib.sh"
. "$LAB_TOP/tests/pkmf/lab.sh"
trap 'show_logs' EXIT

fresh_pkmf 3600 0 A:1 B:2
keyd_one_pgk
# "pgk-id N key FP not-after T reserved R": the ID and the watermark of PGK 1
wm1() { grep '^pgk-id 1 ' $WM | cut -d' ' -f1,2,7,8; }
expect_eq "A reserved PTK Identities 0-1 of PGK 1" "$(wm1)" "pgk-id 1 reserved 2"

# PGK 1's field F on A
pgk1() { pgk_field A 1 "$1"; }

step "A sends 100 datagrams under PGK 1"
# a capture buffer for bursts: flood.py sends thousands a second
CAPTURE_OPTS="-s 64 -B 16384" capture_start /tmp/air.pcap air 'ether proto 0x88b5'
expect "every datagram arrives once" \
	python3 -S "$LAB_TOP/tests/lab/tools/flood.py" A B 10.5.0.2 7000 100
expect_eq "A is at PTK Identity 0" "$(pgk1 tx_ptk_id)" 0

step "the PKMF hands out PGK 2 and leaves out PGK 1, which A holds"
pkmf_stop
sed -i 's/"lookahead": 0/"lookahead": 3600/' /tmp/groups.json
pkmf_mode omit-held
pkmf_start
kill -HUP "${KEYD_PID[A]}"
wait_for 60 "A holds PGK 2 too" has_key A 2
expect_match "the PKMF left PGK 1 out" "$(cat /tmp/pkmf.log)" "'1'\]\} offered=[a-z0-9,-]+ mode=omit-held"
expect_match "A kept PGK 1 stored" "$(cat /tmp/keyd-A/log)" \
	"group 0x000042: 1 stored PGK\(s\) not in the response kept until they expire"

step "A loses its keys (a flush, as a reboot would)"
on A "$PC5CTL" key flush pc5
expect_eq "A holds no key" "$(key_ids A)" ""
sleep 3	# several watermark checks (watermark-interval 1)
expect_eq "PGK 1's watermark is still on disk" "$(wm1)" "pgk-id 1 reserved 2"

step "a reload: PGK 1 comes back past every COUNT it used"
pkmf_mode ok
kill -HUP "${KEYD_PID[A]}"
wait_for 60 "A holds PGK 1 again" has_key A 1
expect_eq "PGK 1 starts at PTK Identity 2" "$(pgk1 tx_ptk_id)" 2
expect_match "logged" "$(cat /tmp/keyd-A/log)" "installed PGK 1 .* ptk-start 2, watermark 4"
expect "B takes every new datagram" \
	python3 -S "$LAB_TOP/tests/lab/tools/flood.py" A B 10.5.0.2 7001 100
capture_stop
expect_eq "B rx_replay" "$(cnt B rx_replay)" 0
expect_eq "B rx_packets" "$(cnt B rx_packets)" 200

step "the air: no (PTK Identity, SN) twice"
python3 -S "$LAB_TOP/tests/lab/tools/frame.py" hdrs /tmp/air.pcap >/tmp/hdrs.txt
python3 - /tmp/hdrs.txt <<'PY' || fail "COUNTs on the air"
import sys
got = [tuple(map(int, l.split())) for l in open(sys.argv[1])]
print(f"{len(got)} frames, PTK Identities {sorted({p for p, _ in got})}")
assert len(got) == 200, len(got)
assert len(set(got)) == len(got), "a COUNT was sent twice"
assert sorted(got) == [(0, sn) for sn in range(100)] + [(2, sn) for sn in range(100)]
PY
