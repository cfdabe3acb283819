#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/install.sh: make install (the tools' part) into a scratch DESTDIR,
# once with the default paths and once with PREFIX=/usr/local: every file
# a user and systemd look for is there with its mode, and the installed
# unit starts the pc5keyd that was installed. Run from userspace/. Prints
# one line per failed check, then "N passed, N failed".
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
		echo "FAIL install ($prefix): $what"
	fi
}

# mode FILE: its permission bits, octal
mode() {
	stat -c %a "$1"
}

units=$(pkg-config --variable=systemdsystemunitdir systemd 2>/dev/null || echo /lib/systemd/system)
sysusers=$(pkg-config --variable=sysusersdir systemd 2>/dev/null || echo /usr/lib/sysusers.d)
for prefix in /usr /usr/local; do
	d=$(mktemp -d)
	if ! make -s install DESTDIR="$d" PREFIX=$prefix >"$d.log" 2>&1; then
		failed=$((failed + 1))
		echo "FAIL install ($prefix): make install: $(tail -n 3 "$d.log")"
		rm -rf "$d" "$d.log"
		continue
	fi
	for f in sbin/pc5ctl sbin/pc5keyd; do
		check "$prefix/$f, 0755" test "$(mode "$d$prefix/$f")" = 755
	done
	for f in share/man/man8/pc5ctl.8 share/man/man8/pc5keyd.8 \
		share/man/man5/pc5keyd.conf.5 share/doc/pc5sec/examples/pc5keyd.conf \
		share/bash-completion/completions/pc5ctl; do
		check "$prefix/$f, 0644" test "$(mode "$d$prefix/$f")" = 644
	done
	# where Debian's ip looks for link types, whatever the PREFIX
	iplib=/usr/lib/$(cc -print-multiarch)/ip
	check "$iplib/link_pc5sec.so, 0644" test "$(mode "$d$iplib/link_pc5sec.so")" = 644
	unit=$d$units/pc5keyd.service
	check "$units/pc5keyd.service, 0644" test "$(mode "$unit")" = 644
	exec=$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' "$unit" 2>/dev/null)
	check "the unit's ExecStart ($exec) is the installed pc5keyd" \
		test "$exec" = "$prefix/sbin/pc5keyd" -a -x "$d$exec"
	check "$sysusers/pc5keyd.conf, 0644" test "$(mode "$d$sysusers/pc5keyd.conf")" = 644
	# the user the unit runs pc5keyd as is the one sysusers makes
	user=$(sed -n 's/^User=//p' "$unit" 2>/dev/null)
	check "the unit's User= ($user) is made by sysusers.d/pc5keyd.conf" \
		grep -Eq "^u $user " "$d$sysusers/pc5keyd.conf"
	# The unit's hardening, as systemd scores it (offline, from the file):
	# the tests/deb lab reports the same under a running systemd
	if [ "$prefix" = /usr ] && command -v systemd-analyze >/dev/null; then
		check "systemd-analyze security: exposure at most 2.0" \
			systemd-analyze security --offline=yes --threshold=20 "$unit"
	fi
	check "the example configuration is the one in the tree" \
		cmp pc5keyd/pc5keyd.conf.example "$d$prefix/share/doc/pc5sec/examples/pc5keyd.conf"
	rm -rf "$d" "$d.log"
done
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
