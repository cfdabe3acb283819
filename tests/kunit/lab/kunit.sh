#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 600
#
# pc5sec's KUnit suites inside the debug kernel (tests/kunit/run-debug):
# loading the module built with CONFIG_PC5SEC_KUNIT_TEST runs them (the
# kernel's KUnit runs a module's suites when it goes live). Their KTAP
# output goes from the kernel log to kunit.ktap in the results share,
# where kunit.py parses it on the host. Fails unless at least one suite
# ran and none failed; the runner also fails it on any kernel report.
. "$LAB_TOP/tests/lab/lib.sh"

load_pc5sec
# A module's suites print no top-level KTAP header (the kernel prints one
# at boot for built-in suites only), and kunit.py takes the first KTAP
# line's indentation for every line's prefix: write the log without
# timestamps, from the first suite on, under a header of our own.
# Each module numbers its own suites from 1 (pc5sec-algs.ko's run when
# load_pc5sec loads it, before pc5sec.ko's): number them again in order.
dmesg --notime | sed -n '/KTAP version/,$p' |
	awk '/^(not )?ok [0-9]+ / { n++; sub(/ok [0-9]+ /, "ok " n " ") } { print }' >/tmp/kunit.log
suites=$(grep -cE '^ok [0-9]+ ' /tmp/kunit.log || true)
bad=$(grep -E '^not ok [0-9]+ ' /tmp/kunit.log || true)
total=$(grep -cE '^(not )?ok [0-9]+ ' /tmp/kunit.log || true)
printf 'KTAP version 1\n1..%s\n' "$total" | cat - /tmp/kunit.log >"$LAB_OUT/kunit.ktap"
echo "$suites suites passed"
[ -z "$bad" ] || fail "KUnit: $bad"
[ "$suites" -gt 0 ] || fail "no KUnit suite ran (is the module built with CONFIG_PC5SEC_KUNIT_TEST?)"
echo ok
