#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/hardening.sh BINARY...: the hardening the Makefile asks for is in
# each binary as built (and so as installed: make install copies them):
# a PIE, full RELRO (a GNU_RELRO segment and BIND_NOW), the stack
# protector (__stack_chk_fail imported) and _FORTIFY_SOURCE (a __*_chk
# function imported). -fstack-clash-protection leaves no mark that
# readelf can show. Prints one line per failed check, then
# "N passed, N failed".
set -u
passed=0
failed=0

check() {
	local what=$1
	shift
	if "$@" >/dev/null 2>&1; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL $bin: $what"
	fi
}

for bin in "$@"; do
	check "exists" test -x "$bin"
	check "PIE (ELF type DYN)" grep -q 'Type: *DYN' <<<"$(readelf -hW "$bin")"
	check "RELRO (a GNU_RELRO segment)" grep -q GNU_RELRO <<<"$(readelf -lW "$bin")"
	check "full RELRO (BIND_NOW)" grep -Eq '\(BIND_NOW\)|Flags:.* NOW' <<<"$(readelf -dW "$bin")"
	check "stack protector (__stack_chk_fail)" \
		grep -q '__stack_chk_fail' <<<"$(readelf -sW --dyn-syms "$bin")"
	check "_FORTIFY_SOURCE (a __*_chk function)" \
		grep -Eq ' __[a-z_]+_chk(@|$)' <<<"$(readelf -sW --dyn-syms "$bin")"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
