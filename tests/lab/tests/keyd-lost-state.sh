#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 300
#
# Issue 12, path 3: a UE whose state directory is lost (wiped,
# re-imaged) must not take itself for a UE that never sent. A holds PGK 1
# and sends under it (PTK Identity 0); then A is "re-imaged": pc5keyd
# stopped, keys flushed, its state directory deleted, and started again
# without `pc5keyd --init`. The PKMF hands out PGK 1 (valid for a while
# already) and PGK 2 (valid later): A installs PGK 2 from 0 (it cannot have
# used it) and refuses PGK 1, saying why. Before the marker, PGK 1 came
# back at PTK Identity 0 and A sent its first 100 COUNTs again.
. "$LAB_TOP/tests/lab/lib.sh"
. "$LAB_TOP/tests/pkmf/lab.sh"
trap 'show_logs' EXIT

fresh_pkmf 3600 0 A:1 B:2
keyd_one_pgk
expect "A's state directory was made by pc5keyd --init" test -f /tmp/keyd-A/state/initialized

step "A sends 100 datagrams under PGK 1"
CAPTURE_OPTS="-s 64 -B 16384" capture_start /tmp/air.pcap air 'ether proto 0x88b5'
expect "every datagram arrives once" \
	python3 -S "$LAB_TOP/tests/lab/tools/flood.py" A B 10.5.0.2 7000 100

step "A is re-imaged: daemon stopped, keys gone, state directory gone"
keyd_stop A
on A "$PC5CTL" key flush pc5
rm -rf /tmp/keyd-A/state
expect_eq "A holds no key" "$(key_ids A)" ""

step "the PKMF hands out PGK 1 and the next one; A starts again"
pkmf_stop
sed -i 's/"lookahead": 0/"lookahead": 3600/' /tmp/groups.json
pkmf_start
keyd_start A
wait_for 60 "A holds PGK 2" has_key A 2
expect_eq "A holds PGK 2 only" "$(key_ids A)" "2"
expect_eq "PGK 2 starts at 0" "$(key_fields A tx_ptk_id)" 0
expect_match "A said why PGK 1 was not installed" "$(cat /tmp/keyd-A/log)" \
	"PGK 1 \(valid since [0-9T:Z-]*\) not installed: /tmp/keyd-A/state has no watermark for it and no marker"
expect "no marker was made" test ! -e /tmp/keyd-A/state/initialized

step "A has nothing to send with until PGK 2 is valid: nothing on the air"
before=$(cnt A tx_nokey)
send A 10.5.0.2 7001 AFTER-REIMAGE 10
sleep 2
capture_stop
expect_eq "A tx_nokey: the 10 datagrams" "$(($(cnt A tx_nokey) - before))" 10
python3 -S "$LAB_TOP/tests/lab/tools/frame.py" hdrs /tmp/air.pcap >/tmp/hdrs.txt
python3 - /tmp/hdrs.txt <<'PY' || fail "COUNTs on the air"
import sys
got = [tuple(map(int, l.split())) for l in open(sys.argv[1])]
print(f"{len(got)} frames, PTK Identities {sorted({p for p, _ in got})}")
assert len(set(got)) == len(got), "a COUNT was sent twice"
assert sorted(got) == [(0, sn) for sn in range(100)], "frames after the re-image"
PY
