#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 500
# lab-check: long
#
# Out of coverage: the PKMF goes away. The daemons on A and B keep the
# group talking on the PGKs they hold (rotating to the next ones on time)
# until the last one expires, retrying the PKMF with exponential backoff
# and jitter all along; then TX stops (tx_nokey). When the PKMF comes
# back, both fetch current keys within retry-max and traffic resumes.
. "$LAB_TOP/tests/lab/lib.sh"
. "$LAB_TOP/tests/pkmf/lab.sh"

fresh_pkmf 20 10 A:1 B:2
pkmf_start
keyd_start_all "renew-lead = 15" "expiry-notice = 12"
wait_for 60 "A and B hold the same PGKs" same_pgks 2

step "the PKMF goes away"
pkmf_stop
last=$(key_fields A not_after | tr ' ' '\n' | sort -n | tail -n1)
echo "A holds $(key_ids A); the last expires at $last, in $((last - $(date +%s)))s"

# Up to 20 s, but ending 2 s before the last PGK expires: how much of its
# validity is left by now depends on when the daemons last fetched and on
# the host's speed.
now=$(date +%s)
until=$((last - 2 < now + 20 ? last - 2 : now + 20))
[ $((until - now)) -ge 8 ] || fail "only $((until - now)) s of validity left after the PKMF stopped"
step "A and B keep talking on what they hold: 10 datagrams/s for $((until - now)) s"
expect "no loss out of coverage" python3 -S "$LAB_TOP/tests/lab/tools/steady.py" A B 10.5.0.2 6000 10 $until

step "until the last PGK expires: then nothing leaves A"
wait_for $((last - $(date +%s) + 30)) "A's PGKs expire" 'test -z "$(key_ids A)"'
nokey=$(cnt A tx_nokey)
send A 10.5.0.2 6001 late 5
expect_eq "A tx_nokey" "$(cnt A tx_nokey)" $((nokey + 5))

step "backoff: the daemons asked again and again, waiting longer each time"
wait_for 60 "six failed attempts" \
	'test "$(grep -cE "PC3 attempt [0-9]+ failed" /tmp/keyd-A/log)" -ge 6'
grep -E "PC3 attempt [0-9]+ failed" /tmp/keyd-A/log | tail -n 8
python3 - /tmp/keyd-A/log <<'PY' || fail "backoff"
import re, sys
d = [float(x) for x in re.findall(r"PC3 attempt \d+ failed: next in ([0-9.]+)s", open(sys.argv[1]).read())]
print("delays:", d)
assert len(d) >= 6, "too few retries"
assert all(0.5 <= x <= 8 for x in d), "outside retry-min/2 .. retry-max"
assert max(d[-3:]) > 2 * min(d[:2]), "no exponential growth"
assert len(set(d[3:])) > 1, "no jitter at retry-max"
PY
expect_match "and said why" "$(cat /tmp/keyd-A/log)" "PC3 https://10.9.0.1:8443/pc3: Couldn't connect to server"

step "the PKMF returns: keys within retry-max, traffic again"
pkmf_start
wait_for 40 "A and B have current keys" same_pgks 1
expect "traffic again" python3 -S "$LAB_TOP/tests/lab/tools/steady.py" A B 10.5.0.2 6002 10 +5
