#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 540
# lab-lane: debug
#
# The netlink fuzzer (tests/lab/tools/nlfuzz.py) against the pc5sec genl
# family and link kind, while A and B talk over pc5 at a steady rate:
# - as root in A: every message answered as the oracle predicts, the
#   fuzzer's model of its links and keys equal to what the kernel dumps
#   (and to pc5ctl show at the end), pc5 untouched, every datagram of the
#   traffic delivered exactly once, and exact counters after;
# - as nobody, and as root of a user namespace that does not own A's
#   netns: every genl command and every link change refused with EPERM,
#   A as before;
# - as nobody in a user and network namespace of its own (where it is
#   netns admin): the whole root run on links of its own;
# - everywhere: no reply holds 8 octets of a PGK (installed ones with
#   known patterns, and every one the fuzzer sends) or of a derived key.
# Then the controls: a wrong expectation and a planted "key" must fail.
#
# NLFUZZ_SEED (default: today's date, YYYYMMDD) and NLFUZZ_SECS (the root
# run; default 75, 40 on a kmemleak kernel) come through LAB_ENV:
#   make lab TESTS=fuzz-netlink LAB_ENV="NLFUZZ_SEED=20261130 NLFUZZ_SECS=30"
. "$LAB_TOP/tests/lab/lib.sh"

SEED=${NLFUZZ_SEED:-$(date -u +%Y%m%d)}
if [ -e /sys/kernel/debug/kmemleak ]; then
	SECS=${NLFUZZ_SECS:-40}
else
	SECS=${NLFUZZ_SECS:-75}
fi
# the unprivileged runs, each
USECS=$(((SECS + 4) / 5))
echo "nlfuzz seed $SEED, $SECS s as root, $USECS s for each other identity"
NLFUZZ=(python3 "$LAB_TOP/tests/lab/tools/nlfuzz.py")
CORPUS=$LAB_TOP/tests/fuzz/corpus/netlink

fresh_ues A B
eea2_pair
# Installed PGKs with distinctive patterns: the fuzzer looks for their
# octets, and those of PTKs and PEKs derived from them, in every reply.
S1=5ec7e75ec7e75ec7a1b2c3d4e5f60718293a4b5c6d7e8f90c0ffeec0ffee5ec7
S2=c1a551f1edc1a551f1ed0badf00d0badf00dfeedfacefeedface8badf00d1337
for u in A B; do
	on "$u" "$PC5CTL" key add pc5 pgk-id 0x42 ptk-start 0 key-file "$(pgk_file $S1)" \
		not-after +86400
	on "$u" "$PC5CTL" key add pc5 pgk-id 0x07 ptk-start 100 key-file "$(pgk_file $S2)"
done
chmod 644 /tmp/pgk.*
SECRETS=(--secret "0x21:0x42:1:2:$TEST_PGK" --secret "0x42:0x42:1:2:$S1"
	--secret "0x07:0x42:1:2:$S2")
# the lowers of the fuzzer's links: a veth pair of A's own, and A's radio
on A ip link add fzl0 type veth peer name fzl1
on A ip link set fzl0 up
on A ip link set fzl1 up
# pc5's settings and keys (not its counters), as pc5ctl shows them
settings() { on A "$PC5CTL" -j show pc5 | python3 -c '
import json, sys
d = json.load(sys.stdin)[0]
keys = [{k: v for k, v in key.items() if "packets" not in k and k != "tx_ptk_id"}
        for key in d.pop("keys")]
d.pop("stats", None)
print(json.dumps(d, sort_keys=True), json.dumps(keys, sort_keys=True))'; }
pc5_before=$(settings)
echo "pc5 before: $pc5_before"

step "as root in A: $SECS s of fuzzing, traffic A -> B on pc5 all along"
python3 "$LAB_TOP/tests/lab/tools/steady.py" A B 10.5.0.2 6000 20 "+$((SECS + 20))" \
	>/tmp/steady.json 2>&1 &
steady=$!
track $steady
rc=0
on A "${NLFUZZ[@]}" run --seed "$SEED" --duration "$SECS" --mode root --link pc5 \
	--lower fzl0 --lower eth0 --pc5ctl "$PC5CTL" --corpus "$CORPUS" "${SECRETS[@]}" \
	--save "$LAB_OUT/nlfuzz-findings" --model /tmp/model.json >/tmp/root.log 2>&1 || rc=$?
cat /tmp/root.log
[ $rc = 0 ] || fail "nlfuzz as root: exit $rc (findings above; messages in $LAB_OUT/nlfuzz-findings)"
expect_match "the root run sent messages" "$(cat /tmp/root.log)" \
	'messages \([0-9]+ from the corpus\) in'
expect_match "dumps were interrupted and flagged" "$(cat /tmp/root.log)" \
	'interrupted dumps flagged NLM_F_DUMP_INTR: [1-9]'

step "A's state: pc5 as before, the fuzzer's links as its model says (pc5ctl show)"
expect_eq "pc5 settings and keys" "$(settings)" "$pc5_before"
on A "$PC5CTL" -j show >/tmp/show.json
python3 - /tmp/model.json /tmp/show.json <<'EOF' || fail "pc5ctl show differs from the fuzzer's model"
import json, sys
model = json.load(open(sys.argv[1]))
show = {l["ifname"]: l for l in json.load(open(sys.argv[2]))}
bad = []
for name, m in model.items():
    if name == "pc5":
        continue
    l = show.pop(name, None)
    if l is None:
        bad.append(f"{name}: not shown")
        continue
    keys = sorted(k["pgk_id"] for k in l.get("keys", []))
    if keys != m["keys"]:
        bad.append(f"{name}: keys {keys}, model {m['keys']}")
    for f in ("group", "member"):
        if l.get(f, 0) != m[f]:
            bad.append(f"{name}: {f} {l.get(f)}, model {m[f]}")
show.pop("pc5", None)
bad += [f"{n}: shown, not in the model" for n in show]
print("\n".join(bad) or f"{len(model) - 1} fuzzer links as modelled")
sys.exit(1 if bad else 0)
EOF
echo "pc5sec links in A (ip -d link): $(on A ip -d -o link show type pc5sec | wc -l)"

step "the traffic during the fuzzing: every datagram, once"
wait $steady || true
cat /tmp/steady.json
expect_match "steady traffic" "$(tail -n 1 /tmp/steady.json)" \
	'"sent": [1-9][0-9]*, "received": [0-9]+, "missing": 0, "duplicates": 0'

step "after: exact counters for 20 datagrams A -> B"
recv_bg B 5000 /tmp/b.txt
a_tx=$(cnt A tx_packets)
STATS_BEFORE=$(stats B)
send A 10.5.0.2 5000 AFTERFUZZ 20
expect_soon "B got all 20" 20 'lines /tmp/b.txt'
expect_eq "A sent 20 more" "$(cnt A tx_packets)" $((a_tx + 20))
# rx_bytes: the IP packets, 20 + 8 octets of headers and "AFTERFUZZ-<i>"
expect_stats "B received exactly 20, nothing else" B pc5 rx_packets=20 \
	rx_bytes=$((20 * (28 + 10) + 10 + 10 * 2))

step "without CAP_NET_ADMIN over A's netns: EPERM, no key octets, nothing changed"
snapshot() { on A "$PC5CTL" -j show; on A ip -d link show; }
snap=$(snapshot)
nobody() { on A setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
userns() { on A unshare -U -r "$@"; }
for who in nobody userns; do
	rc=0
	$who "${NLFUZZ[@]}" run --seed "$SEED" --duration "$USECS" --mode denied --link pc5 \
		--corpus "$CORPUS" "${SECRETS[@]}" >"/tmp/$who.log" 2>&1 || rc=$?
	cat "/tmp/$who.log"
	[ $rc = 0 ] || fail "nlfuzz as $who: exit $rc"
	expect_match "$who: EPERM answers" "$(cat "/tmp/$who.log")" "errno $(python3 -c 'import errno; print(errno.EPERM)'): [1-9]"
done
expect_eq "A as before the unprivileged runs" "$(snapshot)" "$snap"

step "nobody in a user and network namespace of its own: the root run there"
if nobody unshare -Urn true 2>/dev/null; then
	rc=0
	nobody unshare -Urn sh -c '
		ip link add fzl0 type veth peer name fzl1 && ip link set fzl0 up &&
		ip link set fzl1 up && exec "$@"' sh "${NLFUZZ[@]}" run --seed "$SEED" \
		--duration "$USECS" --mode root --lower fzl0 --lower fzl1 --pc5ctl "$PC5CTL" \
		--corpus "$CORPUS" "${SECRETS[@]}" >/tmp/ownns.log 2>&1 || rc=$?
	cat /tmp/ownns.log
	[ $rc = 0 ] || fail "nlfuzz in its own namespaces: exit $rc"
else
	echo "SKIP: this kernel does not let nobody make a user namespace"
fi
expect_eq "A as before" "$(snapshot)" "$snap"

step "controls: the checks do catch"
python3 "$LAB_TOP/tests/lab/tools/nlfuzz.py" scan-control
# a wrong expectation (that nobody may) must fail the run
rc=0
nobody "${NLFUZZ[@]}" run --seed "$SEED" --count 60 --mode denied --link pc5 \
	--corpus "$CORPUS" --expect-wrong >/tmp/control1.log 2>&1 || rc=$?
grep -m 3 -A1 '^FINDING' /tmp/control1.log || tail -n 5 /tmp/control1.log
expect_eq "a run expecting success for nobody fails" "$rc" 1
expect_match "... with findings" "$(grep -c '^FINDING' /tmp/control1.log)" '^[1-9]'
# a "key" whose first 8 octets every link dump holds (IFLA_QDISC "noqueue")
rc=0
nobody "${NLFUZZ[@]}" run --seed "$SEED" --count 60 --mode denied --link pc5 \
	--corpus "$CORPUS" --secret "0x99:1:1:2:$(printf 'noqueue\0' | od -An -tx1 | tr -d ' \n')$(printf 'a5%.0s' $(seq 24))" \
	>/tmp/control2.log 2>&1 || rc=$?
grep -m 3 -A1 '^FINDING' /tmp/control2.log || tail -n 5 /tmp/control2.log
expect_eq "a run with a planted key in replies fails" "$rc" 1
expect_match "... finding it" "$(cat /tmp/control2.log)" 'a reply holds key material: ..installed PGK 0x99'
