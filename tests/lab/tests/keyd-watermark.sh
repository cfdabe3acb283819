#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 900
#
# No COUNT is ever reused across a crash or a reboot. pc5keyd on A
# reserves PTK Identities in blocks of 2 (watermark-block) and extends the
# reservation as A's tx_ptk_id approaches it. A floods B through the SN
# wrap into PTK Identity 1; the daemon moves the watermark to 3 (and the
# kernel's PTK limit with it); it is killed with SIGKILL mid-traffic (a
# steady 200 datagrams/s for 15 s, so that "mid" does not depend on the
# host's speed) and restarted (the kernel kept the key: nothing is lost);
# killed again and not restarted, it cannot raise the limit: A floods
# past it, and the kernel sends nothing beyond PTK Identity 2 (tx_nokey);
# then A "reboots" (daemon SIGKILLed, link and keys
# gone) and the new daemon installs the PGK with ptk-start 3. On the air
# no (PTK Identity, SN) pair repeats, and B, whose replay window has seen
# PTK Identity 1, accepts every new frame.
. "$LAB_TOP/tests/lab/lib.sh"
. "$LAB_TOP/tests/pkmf/lab.sh"

N=$((65536 + 2000))
fresh_pkmf 3600 0 A:1 B:2
keyd_one_pgk
# "pgk-id N key FP not-after T reserved R": the ID and the watermark
wm() { cut -d' ' -f1,2,7,8 $WM; }
expect_eq "A reserved PTK Identities 0-1" "$(wm)" "pgk-id 1 reserved 2"

step "A floods B with $N datagrams, across the SN wrap"
CAPTURE_OPTS="-s 64 -B 16384" capture_start /tmp/air.pcap air 'ether proto 0x88b5'
expect "every datagram arrives once" \
	python3 -S "$LAB_TOP/tests/lab/tools/flood.py" A B 10.5.0.2 7000 $N
expect_eq "A is at PTK Identity 1" "$(key_fields A tx_ptk_id)" 1
wait_for 20 "the watermark moves to 3 before TX gets there" '[ "$(wm)" = "pgk-id 1 reserved 3" ]'

step "SIGKILL the daemon mid-traffic and restart it: the kernel kept the key"
rx0=$(cnt B rx_packets)
python3 -S "$LAB_TOP/tests/lab/tools/steady.py" A B 10.5.0.2 7002 200 +15 >/tmp/steady.txt &
steady=$!
track $steady
wait_for 12 "the steady sender is under way" "test \$(cnt B rx_packets) -gt $((rx0 + 20))"
kill -0 $steady || fail "the steady sender ended before the kill: not mid-traffic"
keyd_stop A -KILL
keyd_start A
rc=0
wait $steady || rc=$?
cat /tmp/steady.txt
expect_eq "every datagram arrived once, across the kill" $rc 0
[[ $(cat /tmp/steady.txt) =~ \"sent\":\ ([0-9]+) ]] || fail "steady.py: no count"
N=$((N + BASH_REMATCH[1]))
expect_eq "B rx_packets" "$(cnt B rx_packets)" $N
expect_eq "still PTK Identity 1" "$(key_fields A tx_ptk_id)" 1
expect_eq "watermark kept" "$(wm)" "pgk-id 1 reserved 3"

step "the daemon dies for good: TX stops at the limit it recorded"
keyd_stop A -KILL
expect_eq "A's PTK limit is the watermark" "$(key_fields A ptk_limit)" 3
expect_eq "A tx_nokey so far" "$(cnt A tx_nokey)" 0
left=$(((3 << 16) - $(key_fields A tx_packets)))
echo "$left COUNTs left below PTK Identity 3; sending 300 more than that"
rc=0
python3 -S "$LAB_TOP/tests/lab/tools/flood.py" A B 10.5.0.2 7003 $((left + 300)) \
	>/tmp/flood.txt || rc=$?
head -n 1 /tmp/flood.txt
[[ $(cat /tmp/flood.txt) =~ received\ ([0-9]+)\ missing\ ([0-9]+)\ duplicates\ 0 ]] ||
	fail "flood.py: $(cat /tmp/flood.txt)"
expect_eq "B got what was below the limit, none of the rest" \
	"$rc ${BASH_REMATCH[1]} ${BASH_REMATCH[2]}" "1 $left 300"
expect_eq "A tx_nokey" "$(cnt A tx_nokey)" 300
expect_eq "A's next TX PTK Identity is the limit" "$(key_fields A tx_ptk_id)" 3
N=$((N + left))

step "A reboots: its link and keys gone, a new daemon"
on A ip link del pc5
keyd_start A
wait_for 60 "A holds PGK 1 again" has_key A 1
expect_eq "A resumes at PTK Identity 3, past every COUNT it used" "$(key_fields A tx_ptk_id)" 3
expect_match "logged" "$(cat /tmp/keyd-A/log)" "installed PGK 1 .* ptk-start 3, watermark 5"
expect_eq "the new reservation" "$(wm)" "pgk-id 1 reserved 5"
python3 -S "$LAB_TOP/tests/lab/tools/flood.py" A B 10.5.0.2 7001 100 ||
	fail "B refused A's frames after the reboot"
capture_stop
expect_eq "B rx_replay" "$(cnt B rx_replay)" 0
expect_eq "B rx_packets" "$(cnt B rx_packets)" $((N + 100))

step "the air: no (PTK Identity, SN) twice; PTK Identities 0, 1, then 3"
python3 -S "$LAB_TOP/tests/lab/tools/frame.py" hdrs /tmp/air.pcap >/tmp/hdrs.txt
python3 - /tmp/hdrs.txt $N <<'PY' || fail "COUNTs on the air"
import sys
got = [tuple(map(int, l.split())) for l in open(sys.argv[1])]
n = int(sys.argv[2])
print(f"{len(got)} frames; PTK Identities in order:",
      [p for i, (p, _) in enumerate(got) if i == 0 or got[i - 1][0] != p])
assert len(got) == n + 100, len(got)
assert len(set(got)) == len(got), "a COUNT was sent twice"
# the capture may swap neighbours (two vCPUs); the set is what counts
before = [(i >> 16, i & 0xFFFF) for i in range(n)]
if got[:n] != before:
    k = next(k for k, (a, b) in enumerate(zip(got, before)) if a != b)
    print(f"capture order differs first at {k}: {got[max(0, k - 2):k + 3]}")
assert sorted(got[:n]) == before, "before the reboot: COUNTs 0 to n-1 once each"
assert sorted(got[n:]) == [(3, sn) for sn in range(100)], "after the reboot"
assert max(got[:n]) < min(got[n:]), "after the reboot, every COUNT is past the old ones"
PY
