#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 400
#
# The key lifecycle in time, under steady traffic (UDP at 100/s with
# sequence numbers, A to B, aes-gcm-128):
#  - six PGKs with overlapping validity (each valid from T+6i to T+6i+14),
#    so that TX moves to a new PGK every 6 s by itself: five rollovers,
#    not one datagram lost or repeated, every PGK carried traffic;
#  - each PGK's expiry notice (2 s), expiry, removal: the kernel removes
#    expired PGKs by itself; the last one expires mid-traffic and, with no
#    successor (0x26, valid for 15 s from when phase 2 begins), what A
#    sends after counts tx_nokey, exactly;
#  - `pc5ctl -j monitor` on A and B saw, per PGK and in order: added,
#    active, expiring, expired, removed (reason expired), and each PGK
#    became active before the one before it expired;
#  - frames with a PGK Index B has no key for: B reports unknown-pgk
#    (index, sender), once per burst (at most once a second), and counts
#    each frame rx_nokey.
. "$LAB_TOP/tests/lab/lib.sh"

STEADY="python3 -S $LAB_TOP/tests/lab/tools/steady.py"
fresh_ues A B
pc5_pair cipher aes-gcm-128 expiry-notice 2
expect_match "the link reports its expiry notice" \
	"$(on A "$PC5CTL" show pc5)" 'expiry-notice 2'

monitor_start A /tmp/monA.json -j monitor pc5
monitor_start B /tmp/monB.json -j monitor pc5
monitor_start A /tmp/monA.txt monitor

# Installing twelve keys takes a while under TCG: T leaves room for it.
T=$(($(date +%s) + 45))
step "PGKs 0x20..0x25, PGK i valid from T+6i (0: from now) to T+6i+14; T=$T"
for i in 0 1 2 3 4 5; do
	key=$(pgk_file "$(printf '%02x' $((0x40 + i)))0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
	nb=()
	[ "$i" = 0 ] || nb=(not-before $((T + 6 * i)))
	for u in A B; do
		on "$u" "$PC5CTL" key add pc5 pgk-id $((0x20 + i)) ptk-start 0 key-file "$key" \
			"${nb[@]}" not-after $((T + 6 * i + 14))
	done
done
[ "$(date +%s)" -lt $((T - 1)) ] || fail "installing took too long for the timeline (T=$T, now $(date +%s))"
expect_eq "A's key states before T" "$(key_fields A state)" \
	"active pending pending pending pending pending"

# getv "name=value ..." NAME: one value of a `stats` snapshot (one pc5ctl
# call per snapshot: under TCG each costs a second, and the clock runs)
getv() {
	local kv
	for kv in $1; do
		[ "${kv%%=*}" = "$2" ] && { echo "${kv#*=}"; return 0; }
	done
	fail "no counter $2 in: $1"
}

step "phase 1: 100 datagrams/s across five rollovers, until T+31"
out=$($STEADY A B 10.5.0.2 7000 100 "$T.0" loss | tail -n 1)
echo "warm-up (before T): $out"
rc=0
out=$($STEADY A B 10.5.0.2 7001 100 "$((T + 31))") || rc=$?
echo "$out"
[ $rc = 0 ] || fail "datagrams lost or repeated across the rollovers: $out"
SA=$(stats A)
SB=$(stats B)
expect_eq "A tx_nokey" "$(getv "$SA" tx_nokey)" 0
expect_eq "B rx_nokey rx_replay rx_auth_fail" \
	"$(getv "$SB" rx_nokey) $(getv "$SB" rx_replay) $(getv "$SB" rx_auth_fail)" "0 0 0"
# 0x20..0x23 expire at T+14..T+32 and the kernel removes them then; 0x24
# goes at T+38. On a fast host phase 1 ends before T+32 (a CI run looked
# at T+31 and still saw 0x23, rightly): look once T+34 has passed, and
# give a loaded host's key work until T+37 (0x24 stays until T+38).
while [ "$(date +%s)" -lt $((T + 34)) ]; do sleep 0.2; done
while :; do
	ids=$(key_fields A pgk_id)
	case $ids in "36 37" | 37) break ;; esac
	[ "$(date +%s)" -lt $((T + 37)) ] || break
	sleep 0.5
done
echo "at $(($(date +%s) - T)) s after T: A has PGKs $ids"
case $ids in
"36 37" | 37) ;;
*) fail "A's PGKs after phase 1: '$ids', want 0x24 (36) and/or 0x25 (37)" ;;
esac

# The clock does not wait for a loaded host: the last PGK gets its own
# expiry, counted from now, so that traffic runs on both sides of it.
E=$(($(date +%s) + 15))
step "phase 2: PGK 0x26 (valid until now+15 s), the last one, expires mid-traffic: no successor"
key=$(pgk_file 4601020304050607080910111213141516171819202122232425262728293031)
on B "$PC5CTL" key add pc5 pgk-id 0x26 ptk-start 0 key-file "$key" not-before +0 not-after $E
on A "$PC5CTL" key add pc5 pgk-id 0x26 ptk-start 0 key-file "$key" not-before +0 not-after $E
tx0=$(getv "$SA" tx_packets)
nokey0=$(getv "$SA" tx_nokey)
rx0=$(getv "$SB" rx_packets)
rxnokey0=$(getv "$SB" rx_nokey)
rc=0
out=$($STEADY A B 10.5.0.2 7002 100 "$((E + 5))" loss) || rc=$?
echo "$out"
[ $rc = 0 ] || fail "steady.py exit $rc"
[[ $out =~ \"sent\":\ ([0-9]+),\ \"received\":\ ([0-9]+) ]] || fail "steady.py: $out"
sent=${BASH_REMATCH[1]} received=${BASH_REMATCH[2]}
SA=$(stats A)
SB=$(stats B)
tx=$(($(getv "$SA" tx_packets) - tx0))
nokey=$(($(getv "$SA" tx_nokey) - nokey0))
late=$(($(getv "$SB" rx_nokey) - rxnokey0))
echo "sent $sent: on the air $tx, tx_nokey $nokey; B received $received, rx_nokey $late"
expect_eq "every datagram either went out or counted tx_nokey" $((tx + nokey)) "$sent"
# A frame A sends in the last moment of E-1 can reach B in second E, when
# the PGK has expired on B's clock too: B drops it as rx_nokey (the same
# clock here; on the air, two). Seen once in make check (1294 out, 1293
# in). Every frame is still accounted for, and at most the last few.
expect_eq "B received what went out, less any that arrived after E" \
	"$received $(($(getv "$SB" rx_packets) - rx0))" "$((tx - late)) $((tx - late))"
[ "$late" -le 3 ] || fail "B counted $late frames rx_nokey: more than a boundary race"
[ "$nokey" -ge 250 ] || fail "tx_nokey $nokey: A should have had no key for 5 s (~500 datagrams)"
[ "$tx" -ge 100 ] || fail "only $tx datagrams went out before the expiry"
expect_eq "A has no keys left" "$(key_fields A pgk_id)" ""
expect_eq "B has no keys left" "$(key_fields B pgk_id)" ""

step "unknown PGK Index: A sends under 0x29, which B does not have"
key=$(pgk_file 1111111111111111111111111111111111111111111111111111111111111111)
on A "$PC5CTL" key add pc5 pgk-id 0x29 ptk-start 0 key-file "$key"
nokey0=$(cnt B rx_nokey)
send A 10.5.0.2 7003 unknown 20
sleep 2
send A 10.5.0.2 7003 unknown 20
sleep 1
expect_eq "B counts each as rx_nokey" $(($(cnt B rx_nokey) - nokey0)) 40

step "the events, in order"
kill_tracked
echo "A's events as \`pc5ctl monitor\` prints them:"
cat /tmp/monA.txt
python3 - /tmp/monA.json /tmp/monB.json "$T" <<'PY' || fail "events"
import json, sys
T = int(sys.argv[3])
for side, path in (("A", sys.argv[1]), ("B", sys.argv[2])):
    ev = [json.loads(l) for l in open(path)]
    print(f"{side}: {len(ev)} events")
    for e in ev:
        k = e.get("key", {})
        print("  ", e["event"], hex(k["pgk_id"]) if k else "",
              e.get("reason", ""), e.get("pgk_index", ""), e.get("sender", ""))
    assert all(e["ifname"] == "pc5" for e in ev)
    # nothing secret: no event has a key field beyond the metadata
    for e in ev:
        assert set(e.get("key", {})) <= {"pgk_id", "pgk_index", "not_before",
            "not_after", "state", "tx_ptk_id", "tx_packets", "rx_packets"}, e
    seq = [(e["event"], e["key"]["pgk_id"]) for e in ev if "key" in e]
    for i in range(7):
        pid = 0x20 + i
        mine = [n for n, p in seq if p == pid]
        want = ["key-added", "key-active", "key-expiring", "key-expired",
                "key-removed"]
        assert mine == want, (side, hex(pid), mine)
        rem = [e for e in ev if e["event"] == "key-removed" and e["key"]["pgk_id"] == pid][0]
        assert rem["reason"] == "expired", rem
        if side == "A":
            # tx counts: every PGK carried traffic before the next took over
            assert rem["key"]["tx_packets"] > 0, rem
        if side == "B":
            assert rem["key"]["rx_packets"] > 0, rem
    act = [p for n, p in seq if n == "key-active"]
    assert act == [0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26] + [0x29] * (side == "A"), act
    # 0x(i+1) became active before 0x(i) expired: the overlap (grace)
    for i in range(5):
        a = seq.index(("key-active", 0x21 + i))
        x = seq.index(("key-expired", 0x20 + i))
        assert a < x, (hex(0x21 + i), hex(0x20 + i))
    unk = [e for e in ev if e["event"] == "unknown-pgk"]
    if side == "B":
        # two bursts of 20 frames under index 9, 2 s apart: one event
        # each (at most one a second)
        assert len(unk) == 2, unk
        assert all(e["pgk_index"] == 9 and e["sender"] == 1 for e in unk), unk
    else:
        assert not unk, unk
PY
