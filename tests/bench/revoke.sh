#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# How soon a revocation takes effect, run by bench.sh in the lab guest
# after the methods: A and B run pc5keyd against the lab's PKMF
# (tests/pkmf), which revokes the PGK they hold, hands out the next and
# pushes, ROUNDS times (BENCH_REVOKE_ROUNDS, 10). Per round, from each
# daemon's log: the seconds from the push (just before the PKMF is told
# to send it) to the line that says the PGK is gone from pc5. Beside it,
# in the same boot, the bare cost of the transport the daemon cannot
# avoid: curl's HTTPS POST to the PKMF from A, with A's certificate (a
# request the PKMF refuses with 400, so no key is handed out).
#
# Writes to RESULT (the first argument) one line per round:
#   round=N A=SECONDS B=SECONDS curl=SECONDS
# and its log to standard output. keyd-revoke (tests/lab/tests) checks
# that the push causes the removal; this only measures how soon.
. "$LAB_TOP/tests/lab/lib.sh"
. "$LAB_TOP/tests/pkmf/lab.sh"

RESULT=$1
ROUNDS=${BENCH_REVOKE_ROUNDS:-10}
: >"$RESULT"
pgk() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

fresh_pkmf 3600 0 A:1 B:2
pkmf_fixed "1:$(pgk):$(($(date +%s) - 10))"
pkmf_start
keyd_start_all "push-port = 7447"
wait_for 60 "A and B hold PGK 1" 'has_key A 1 && has_key B 1'
wait_for 30 "A and B asked for pushes" \
	'[ "$(grep -c "push=7447" /tmp/pkmf.log)" -ge 2 ]'

# removed UE ID: when UE's daemon logged PGK ID gone from pc5
removed() {
	sed -n "s/^pc5keyd\[\([0-9.]*\)\]: group 0x000042: PGK $2 revoked by the PKMF: removed from pc5$/\1/p" \
		"/tmp/keyd-$1/log" | head -n 1
}

for r in $(seq "$ROUNDS"); do
	next=$((r + 1))
	pkmf_fixed "$next:$(pgk):$(($(date +%s) - 1))" revoked "$r"
	# pc5keyd fetches at most once a second
	sleep 1.2
	t0=$(date +%s.%N)
	kill -USR1 "$PKMF_PID"
	wait_for 30 "A and B removed PGK $r" "! has_key A $r && ! has_key B $r"
	wait_for 30 "A and B hold PGK $next" "has_key A $next && has_key B $next"
	c=$(on A curl -s -o /dev/null -w '%{time_total}' --cacert $PKI/ca.pem \
		--cert $PKI/ue-A.pem --key $PKI/ue-A.key \
		-H 'Content-Type: application/xml' --data '<bench/>' \
		"https://$PKMF_ADDR:$PKMF_PORT/pc3") || fail "curl: $c"
	python3 - "$r" "$t0" "$(removed A "$r")" "$(removed B "$r")" "$c" \
		>>"$RESULT" <<'PY'
import sys
r, t0, a, b, c = sys.argv[1], float(sys.argv[2]), *sys.argv[3:]
print(f"round={r} A={float(a) - t0:.3f} B={float(b) - t0:.3f} curl={float(c):.3f}")
PY
	tail -n 1 "$RESULT"
done
