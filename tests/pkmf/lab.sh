# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Lab helpers for the pc5keyd tests (tests/lab/tests/keyd-*.sh), sourced
# after tests/lab/lib.sh. The PKMF runs in its own netns "pkmf" on
# 10.9.0.1 (its loopback); each UE reaches it over a routed veth "pc3"
# (UE 10.9.N.2, PKMF side 10.9.N.1), apart from its radio.
PKMF_ADDR=10.9.0.1
PKMF_PORT=8443
PKI=/tmp/pki
# the tools under test (lib.sh: the host's build, or a cross-built one)
KEYD=$LAB_USERSPACE/pc5keyd/pc5keyd
PKMF_PY=$LAB_TOP/tests/pkmf/pkmf.py

# pkmf_setup PERIOD GRACE UE:MEMBER...: certificates, the groups file
# (group $GROUP, suite $SUITE), the PKMF's netns and each UE's route to
# it; the UE:MEMBER list is kept in PKMF_UES (for keyd_conf_all, ...)
pkmf_setup() {
	local period=$1 grace=$2 u n=0 members=""
	shift 2
	PKMF_UES=("$@")
	# nothing from an earlier test: state, PKI, logs, logon keys
	rm -rf /tmp/keyd-* $PKI /tmp/pkmf.log /tmp/groups.json
	keyctl clear @u >/dev/null 2>&1 || true
	ip netns add pkmf
	ip -n pkmf link set lo up
	ip -n pkmf addr add $PKMF_ADDR/32 dev lo
	for u in "$@"; do
		n=$((n + 1))
		ip link add pc3 netns "${u%:*}" type veth peer name "to-${u%:*}" netns pkmf
		ip -n pkmf addr add "10.9.$n.1/24" dev "to-${u%:*}"
		ip -n pkmf link set "to-${u%:*}" up
		ip -n "${u%:*}" addr add "10.9.$n.2/24" dev pc3
		ip -n "${u%:*}" link set pc3 up
		ip -n "${u%:*}" route add $PKMF_ADDR/32 via "10.9.$n.1"
		members="$members${members:+, }\"ue-${u%:*}\": ${u#*:}"
	done
	local ues=()
	for u in "$@"; do ues+=("ue-${u%:*}"); done
	"$LAB_TOP/tests/pkmf/mkcerts" $PKI $PKMF_ADDR "${ues[@]}"
	# the schedule starts a little in the past: PGK 1 is current
	cat >/tmp/groups.json <<JSON
{"epoch": $(($(date +%s) - 2)), "period": $period, "grace": $grace,
 "lookahead": $period,
 "seed": "$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')",
 "groups": {"${GROUP#0x}": {"algorithm": "${SUITE:-eea2}", "members": {$members}}}}
JSON
	echo ok >/tmp/pkmf.control
}

# fresh_pkmf PERIOD GRACE UE:MEMBER...: fresh_ues for these UEs, then
# pkmf_setup for them; the PKMF is not started yet, so that a test may
# edit /tmp/groups.json first. Why: every keyd test began with this.
fresh_pkmf() {
	local u ues=()
	for u in "${@:3}"; do ues+=("${u%:*}"); done
	fresh_ues "${ues[@]}"
	pkmf_setup "$@"
}

# pkmf_fixed ID:KEY:NOT_BEFORE... [revoked ID...]: group $GROUP in
# /tmp/groups.json hands out these fixed PGKs (each valid for an hour)
# instead of the schedule, and revokes those IDs. Why: the tests of
# event-driven fetches and of revocation need PGKs they name.
pkmf_fixed() {
	python3 - "$@" <<'PY'
import json, sys
c = json.load(open("/tmp/groups.json"))
g = c["groups"]["000042"]
a = sys.argv[1:]
r = a.index("revoked") if "revoked" in a else len(a)
g["pgks"] = [{"id": int(i), "key": k, "not_before": int(n), "not_after": int(n) + 3600}
             for i, k, n in (x.split(":") for x in a[:r])]
g["revoked"] = [int(x) for x in a[r + 1:]]
json.dump(c, open("/tmp/groups.json", "w"))
PY
}

# pkmf_start [CERT]: the PKMF (CERT: pkmf, or rogue-pkmf for an impostor)
pkmf_start() {
	local cert=${1:-pkmf}
	ip netns exec pkmf python3 "$PKMF_PY" --groups /tmp/groups.json \
		--cert "$PKI/$cert.pem" --key "$PKI/$cert.key" --client-ca "$PKI/ca.pem" \
		--listen "$PKMF_ADDR:$PKMF_PORT" --control /tmp/pkmf.control \
		>>/tmp/pkmf.log 2>&1 &
	PKMF_PID=$!
	track $PKMF_PID
	for _ in $(seq 300); do
		[ -n "$(ip netns exec pkmf ss -Hltn "sport = :$PKMF_PORT")" ] && return 0
		sleep 0.1
	done
	fail "PKMF did not start: $(cat /tmp/pkmf.log)"
}

pkmf_stop() {
	kill "$PKMF_PID" 2>/dev/null || true
	wait "$PKMF_PID" 2>/dev/null || true
}

# pkmf_mode MODE: how the PKMF answers from now on (see pkmf.py)
pkmf_mode() {
	echo "$1" >/tmp/pkmf.control
}

# keyd_conf UE MEMBER [SETTING...]: /tmp/keyd-UE/pc5keyd.conf for group
# $GROUP on link pc5 over eth0, address 10.5.0.MEMBER/24
keyd_conf() {
	local u=$1 m=$2 d=/tmp/keyd-$1
	shift 2
	mkdir -p "$d"
	{
		echo "pkmf-url = https://$PKMF_ADDR:$PKMF_PORT/pc3"
		echo "ca-file = $PKI/ca.pem"
		echo "cert-file = $PKI/ue-$u.pem"
		echo "key-file = $PKI/ue-$u.key"
		echo "ue-id = ue-$u"
		echo "state-dir = $d/state"
		echo "retry-min = 1"
		echo "retry-max = 8"
		echo "timeout = 10"
		# file unless the test says otherwise: a boot with a TPM (one
		# of its tests asked for it) would make tpm2 every UE's default.
		# KEYD_STORE= (empty) leaves it unset.
		[ -z "${KEYD_STORE-file}" ] || echo "key-store = ${KEYD_STORE-file}"
		printf '%s\n' "$@"
		echo "[group $GROUP]"
		echo "link = pc5"
		echo "lower = eth0"
		echo "address = 10.5.0.$m/24"
	} >"$d/pc5keyd.conf"
	# A new UE's state directory, as provisioning makes it (pc5keyd(8)):
	# without its marker pc5keyd takes it for a lost one. Not for a test
	# that means exactly that, nor where KEYD_NO_INIT=1 (the demo runs it).
	[ "${KEYD_NO_INIT:-0}" = 1 ] ||
		"$KEYD" -c "$d/pc5keyd.conf" --init 2>>"$d/log"
}

# keyd_conf_all [SETTING...]: keyd_conf, with these settings, for each
# UE:MEMBER given to pkmf_setup
keyd_conf_all() {
	local u
	for u in "${PKMF_UES[@]}"; do keyd_conf "${u%:*}" "${u#*:}" "$@"; done
}

# keyd_once UE: pc5keyd --once in UE, its log appended to /tmp/keyd-UE/log
keyd_once() {
	on "$1" "$KEYD" -c "/tmp/keyd-$1/pc5keyd.conf" --once 2>>"/tmp/keyd-$1/log"
}

# keyd_start UE: the daemon in UE (foreground, logging to /tmp/keyd-UE/log)
declare -A KEYD_PID
keyd_start() {
	# not through `on`: $! must be the daemon (ip netns exec execs it)
	ip netns exec "$1" "$KEYD" -c "/tmp/keyd-$1/pc5keyd.conf" --foreground --debug \
		2>>"/tmp/keyd-$1/log" &
	KEYD_PID[$1]=$!
	track $!
}

# keyd_start_all [SETTING...]: for each UE:MEMBER given to pkmf_setup in
# turn, keyd_conf with these settings and keyd_start. Why: the tests where
# every UE runs the daemon with the same settings all had this loop.
keyd_start_all() {
	local u
	for u in "${PKMF_UES[@]}"; do
		keyd_conf "${u%:*}" "${u#*:}" "$@"
		keyd_start "${u%:*}"
	done
}

keyd_stop() {
	kill "${2:--TERM}" "${KEYD_PID[$1]}" 2>/dev/null || true
	wait "${KEYD_PID[$1]}" 2>/dev/null || true
}

# has_key UE ID: the PGK ID is installed on UE's pc5
has_key() {
	[[ " $(key_fields "$1" pgk_id) " == *" $2 "* ]]
}

# key_ids UE: the PGK IDs installed on UE's pc5
key_ids() {
	key_fields "$1" pgk_id
}

# same_pgks MIN: A and B hold the same PGKs, MIN of them or more (for
# wait_for, until both daemons have fetched and installed the same ones)
same_pgks() {
	local a b
	a=$(key_ids A)
	b=$(key_ids B)
	[ "$a" = "$b" ] && [ "$(wc -w <<<"$a")" -ge "$1" ]
}

# schedule_keys: the key bytes of group $GROUP's first three PGKs, derived
# from /tmp/groups.json's seed as pkmf.py does, in hex, one a line. Why:
# the tests that check that no log, dump or file holds key bytes grep
# for these.
schedule_keys() {
	python3 - /tmp/groups.json "${GROUP#0x}" <<'PY'
import hashlib, hmac, json, sys
c = json.load(open(sys.argv[1]))
for j in range(3):
    print(hmac.new(bytes.fromhex(c["seed"]), bytes.fromhex(sys.argv[2]) + j.to_bytes(4, "big"),
                   hashlib.sha256).hexdigest())
PY
}

# no_pgk_in DESCRIPTION PATH...: no PGK of /tmp/keys.txt (schedule_keys), in
# hex or as bytes, in the files at or under each PATH
no_pgk_in() {
	local what=$1
	shift
	python3 - /tmp/keys.txt "$@" <<'PY' || fail "$what: a PGK is there"
import os, sys
keys = [k.strip() for k in open(sys.argv[1]) if k.strip()]
pats = [k.encode() for k in keys] + [k.upper().encode() for k in keys] + [bytes.fromhex(k) for k in keys]
bad = 0
for top in sys.argv[2:]:
    for d, _, files in os.walk(top) if os.path.isdir(top) else [("", [], [top])]:
        for f in files:
            p = os.path.join(d, f)
            data = open(p, "rb").read()
            for k in pats:
                if k in data:
                    print(f"PGK in {p}")
                    bad = 1
sys.exit(bad)
PY
}

# sealed_at_rest: A's group keys rest sealed (keys-000042.sealed, no
# plaintext record) and no PGK of the schedule is in any of A's files;
# B's plaintext file store shows that the search would find them.
# Leaves the schedule's keys in /tmp/keys.txt.
sealed_at_rest() {
	ls -l /tmp/keyd-A/state
	expect "A's record is sealed" test -s /tmp/keyd-A/state/keys-000042.sealed
	expect_fail "no plaintext record" test -e /tmp/keyd-A/state/keys-000042.xml
	schedule_keys >/tmp/keys.txt
	expect "B's plaintext store holds the PGKs (the check can see them)" \
		grep -qiF -f /tmp/keys.txt /tmp/keyd-B/state/keys-000042.xml
	no_pgk_in "A's state directory, config and log" /tmp/keyd-A
}

# show_logs: the PKMF's and the daemons' logs, for the test log
show_logs() {
	local f
	for f in /tmp/pkmf.log /tmp/keyd-*/log; do
		[ -f "$f" ] || continue
		echo "---- $f"
		cat "$f"
	done
}

# track PID...: as lib.sh's, and the logs go into the test's log at exit
track() {
	BG_PIDS+=("$@")
	trap 'show_logs; kill_tracked' EXIT
}

# The PKMF's and the daemons' logs go into the test's log however it
# ends, from the moment this file is sourced (track adds kill_tracked).
# Why here: every keyd test set this trap itself, first thing.
trap 'show_logs' EXIT

# keyd_one_pgk: the PKMF (set up, not started) hands out PGK 1 alone, no
# lookahead; B gets its keys once; A runs pc5keyd reserving 2 PTK
# Identities at a time, checked every second, and holds PGK 1. WM is A's
# watermark file. Why: the watermark tests begin so.
keyd_one_pgk() {
	sed -i 's/"lookahead": 3600/"lookahead": 0/' /tmp/groups.json
	pkmf_start
	keyd_conf A 1 "watermark-block = 2" "watermark-interval = 1"
	keyd_conf B 2
	expect "B gets its keys" keyd_once B
	keyd_start A
	wait_for 60 "A holds PGK 1" has_key A 1
	WM=/tmp/keyd-A/state/watermark-000042
}
