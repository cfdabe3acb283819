#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 500
#
# PTK Identity rollover on the wire: A sends under a PGK installed with
# ptk-start 7; after 65536 frames the PDCP SN wraps and A moves to PTK
# Identity 8 (a new PTK and PEK, spec section 2). B receives every
# datagram across the wrap, exactly once; the air shows PTK Identity 7 up
# to SN 65535, then PTK Identity 8 from SN 0; A reports tx_ptk_id 8.
#
# Then exhaustion: PGK 0x22, installed with ptk-start 65535 (the last PTK
# Identity), is A's TX key until its last COUNT; then it is exhausted
# (state "exhausted", tx-ptk-id 65536, never used for TX again) and TX
# moves to 0x21 by itself: no datagram lost, none counted
# tx_ptk_exhausted, and `pc5ctl monitor` reports key-exhausted 0x22, then
# key-active 0x21.
. "$LAB_TOP/tests/lab/lib.sh"

N=$((65536 + 200))
fresh_ues A B
pc5_pair cipher eea2
add_test_pgk A 0x21 ptk-start 7
add_test_pgk B 0x21
expect_eq "A starts at PTK Identity 7" \
	"$(key_fields A tx_ptk_id)" 7

step "capture the frames around the wrap: SN > 65500 or PTK Identity 8"
# pc5sec header at octet 14: PTK Identity at 22, SN at 24
CAPTURE_OPTS="-s 64 -B 4096" capture_start /tmp/wrap.pcap air \
	'ether proto 0x88b5 and (ether[24:2] > 65500 or ether[22:2] != 7)'

step "$N datagrams from A to B"
start=$(date +%s%N)
expect "every datagram arrives once" python3 -S "$LAB_TOP/tests/lab/tools/flood.py" A B 10.5.0.2 7000 $N
echo "took $((($(date +%s%N) - start) / 1000000)) ms"
capture_stop

step "the counters"
expect_eq "A tx_packets" "$(cnt A tx_packets)" $N
expect_eq "A tx_nokey" "$(cnt A tx_nokey)" 0
expect_eq "B rx_packets" "$(cnt B rx_packets)" $N
expect_eq "B rx_nokey, rx_replay, rx_malformed" \
	"$(cnt B rx_nokey) $(cnt B rx_replay) $(cnt B rx_malformed)" "0 0 0"
on A "$PC5CTL" -j show pc5 | python3 -c '
import json, sys
k = json.load(sys.stdin)[0]["keys"][0]
print(k)
assert k["tx_ptk_id"] == 8, k
assert k["tx_packets"] == int(sys.argv[1]), k
assert k["state"] == "active", k' $N || fail "A's key after the wrap"

step "the air: PTK Identity 7 up to SN 65535, then 8 from SN 0"
python3 -S "$LAB_TOP/tests/lab/tools/frame.py" hdrs /tmp/wrap.pcap >/tmp/wrap.txt
python3 - /tmp/wrap.txt $N <<'PY' || fail "frames around the wrap"
import sys
n = int(sys.argv[2])
got = [tuple(map(int, l.split())) for l in open(sys.argv[1])]
want = [(7, sn) for sn in range(65501, 65536)] + [(8, sn) for sn in range(n - 65536)]
print(f"captured {len(got)} frames around the wrap, want {len(want)}")
if (7, 65535) in got:
    i = got.index((7, 65535))
    print("at the wrap:", got[max(0, i - 2):i + 3])
diff = next((k for k, (a, b) in enumerate(zip(got, want)) if a != b), None)
if diff is not None:
    print(f"first difference at {diff}: got {got[diff]}, want {want[diff]}")
assert got == want
PY
on A "$PC5CTL" show
on B "$PC5CTL" show

step "exhaustion: 0x22 from PTK Identity 65535 has 65536 COUNTs left"
key2=$(pgk_file 202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f)
monitor_start A /tmp/mon.txt monitor pc5
on A "$PC5CTL" key add pc5 pgk-id 0x22 key-file "$key2" not-before +0 ptk-start 65535
on B "$PC5CTL" key add pc5 pgk-id 0x22 ptk-start 0 key-file "$key2" not-before +0
sleep 1
expect_eq "A's keys (0x21, 0x22)" "$(key_fields A state)" "valid active"
tx21=$(key_fields A tx_packets | cut -d' ' -f1)
M=$((65536 + 100))
expect "every datagram arrives once" python3 -S "$LAB_TOP/tests/lab/tools/flood.py" A B 10.5.0.2 7001 $M
sleep 2
expect_eq "A's key states" "$(key_fields A state)" "active exhausted"
expect_eq "A's next TX PTK Identities" "$(key_fields A tx_ptk_id)" "8 65536"
expect_eq "A's TX packets per key" "$(key_fields A tx_packets)" "$((tx21 + 100)) 65536"
expect_eq "A tx_ptk_exhausted tx_nokey" "$(cnt A tx_ptk_exhausted) $(cnt A tx_nokey)" "0 0"
expect_eq "B rx_packets" "$(cnt B rx_packets)" $((N + M))
expect_soon "the events" "key-added 34,key-active 34,key-exhausted 34,key-active 33," \
	"awk '{ print \$1, \$4 }' /tmp/mon.txt | tr '\n' ,"
kill_tracked
cat /tmp/mon.txt
