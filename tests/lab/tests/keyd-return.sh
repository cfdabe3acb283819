#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 400
#
# Issue 12, robustness: the link comes back without waiting for a fetch.
# A modem reset deletes the radio (and the pc5sec link on it with it); a
# pc5sec update unloads and reloads the module (the links go, the genl
# family comes back under another ID, its events group too). pc5keyd must
# notice both (RTNLGRP_LINK, nlctrl's family notifications), create the
# link again and install its stored PGKs past their watermarks, and go on
# talking to the new family: installing, raising limits, hearing events.
# Before, the link stayed away until the next scheduled fetch (here an
# hour), and after a reload every request went to the dead family ID.
. "$LAB_TOP/tests/lab/lib.sh"
. "$LAB_TOP/tests/pkmf/lab.sh"

fresh_pkmf 3600 0 A:1 B:2
keyd_one_pgk
expect "A to B" python3 -S "$LAB_TOP/tests/lab/tools/flood.py" A B 10.5.0.2 7000 50
# as root (CAP_IPC_LOCK) the daemon locks its memory: no PGK in swap
expect_match "pc5keyd's memory is locked" "$(grep VmLck "/proc/${KEYD_PID[A]}/status")" \
	'VmLck:[[:space:]]+[1-9]'

# PGK 1's field F on A
pgk1() { pgk_field A 1 "$1"; }

step "A's radio goes (a modem reset) and comes back"
mac=$(on A cat /sys/class/net/eth0/address)
on A ip link del eth0
expect_fail "A's link went with it" on A ip link show pc5
radio A "$mac"
wait_for 20 "A's link is back with PGK 1" has_key A 1
expect_eq "PGK 1 resumes past its watermark" "$(pgk1 tx_ptk_id)" 2
expect_match "logged" "$(cat /tmp/keyd-A/log)" "pc5: link missing, lower eth0 present: installing the stored keys"
expect "A to B again" python3 -S "$LAB_TOP/tests/lab/tools/flood.py" A B 10.5.0.2 7001 50

step "pc5sec is unloaded and loaded again"
rmmod pc5sec
load_pc5sec
wait_for 30 "A's link is back with PGK 1" has_key A 1
expect_eq "PGK 1 resumes past its watermark" "$(pgk1 tx_ptk_id)" 4
log=$(cat /tmp/keyd-A/log)
expect_match "the unload was seen" "$log" "pc5sec unloaded: its links and keys are gone"
expect_match "so was the load" "$log" "pc5sec loaded \(genl family [0-9]+\)"
expect "B gets its keys again" keyd_once B
expect "A to B after the reload" \
	python3 -S "$LAB_TOP/tests/lab/tools/flood.py" A B 10.5.0.2 7002 50
expect_eq "B rx_replay" "$(cnt B rx_replay)" 0

step "pc5keyd's requests reach the new family, and its events reach pc5keyd"
wm=$(pgk1 ptk_limit)
# a limit above the watermark: pc5keyd's next check brings it down (KEY_SET)
on A "$PC5CTL" key set pc5 pgk-id 1 ptk-limit 1000
wait_for 10 "pc5keyd set the limit back to the watermark" '[ "$(pgk1 ptk_limit)" = "$wm" ]'
expect_match "logged" "$(cat /tmp/keyd-A/log)" "PGK 1: ptk-limit lowered from 1000 to $wm"
removed() { grep -c "pc5: PGK 1 key-removed" /tmp/keyd-A/log || true; }
n=$(removed)
on A "$PC5CTL" key del pc5 pgk-id 1
wait_for 10 "the event reached pc5keyd" '[ "$(removed)" -gt "$n" ]'
