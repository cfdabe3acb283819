#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 600
#
# apt remove, then purge, with pc5keyd running and pc5sec loaded: the
# removal stops the daemon (prerm) and DKMS takes its modules away;
# purge takes pc5keyd's state (PGKs, watermarks). Afterwards the root
# holds exactly the paths it held before install.sh, apart from what
# Debian keeps on purpose: the pc5keyd system user (policy: users stay,
# so that files they owned keep an owner), the operator's own files in
# /etc/pc5sec (not the package's), DKMS's signing key, and dpkg's, apt's
# and the logs' records.
. "$LAB_TOP/tests/deb/guest/lib.sh"

[ -f /tmp/before.txt ] || fail "no /tmp/before.txt: install.sh runs first"

step "pc5keyd running, pc5sec loaded"
# its links' lower device (unit.sh's radio went with the lab's cleanup);
# the PKMF is gone too: pc5keyd starts on its stored keys
ip link add radio0 type dummy
ip link set radio0 up
expect "systemctl start" systemctl start pc5keyd.service
pid=$(unit_prop MainPID)
expect "pc5sec loaded" grep -q '^pc5sec ' /proc/modules
expect "stored keys" test -n "$(ls /var/lib/pc5keyd/keys-* 2>/dev/null)"

step "apt remove pc5sec-tools pc5sec-dkms"
expect "apt-get remove" env DEBIAN_FRONTEND=noninteractive apt-get remove -y \
	-o Dpkg::Use-Pty=0 pc5sec-tools pc5sec-dkms
expect_eq "pc5keyd stopped" "$(systemctl is-active pc5keyd.service || true)" inactive
expect_fail "no pc5keyd process" kill -0 "$pid"
for f in /usr/sbin/pc5ctl /usr/sbin/pc5keyd /lib/systemd/system/pc5keyd.service \
	"/usr/lib/$(gcc -print-multiarch)/ip/link_pc5sec.so" /usr/lib/sysusers.d/pc5keyd.conf; do
	expect_fail "$f removed" test -e "$f"
done
expect_eq "modules left in /lib/modules" "$(find /lib/modules -name 'pc5sec*')" ""
expect_eq "dkms status" "$(dkms status pc5sec)" ""
expect_fail "the module's source" test -e /usr/src/pc5sec-*
expect "remove keeps the state until purge" test -d /var/lib/pc5keyd

step "apt purge"
# the links and the module first, as an operator would after removing
ip link del pc5 2>/dev/null || true
ip link del pc6 2>/dev/null || true
expect "apt-get purge" env DEBIAN_FRONTEND=noninteractive apt-get purge -y \
	-o Dpkg::Use-Pty=0 pc5sec-tools pc5sec-dkms
expect_fail "the state directory (PGKs, watermarks)" test -e /var/lib/pc5keyd
expect_eq "dpkg knows no pc5sec package" "$(dpkg-query -W -f '${Status}\n' 'pc5sec*' 2>/dev/null | grep -v not-installed || true)" ""
expect "the pc5keyd user stays (Debian policy)" id pc5keyd

step "nothing left behind"
snapshot /tmp/after.txt
# dpkg's and apt's records, caches and logs; the operator's /etc/pc5sec;
# DKMS's module signing key, made at its first build, which it keeps for
# every DKMS module (/var/lib/dkms/mok.*)
kept='^/var/(lib/dpkg|lib/apt|cache/apt|cache/debconf|log)(/|$)|^/etc/pc5sec(/|$)|^/var/lib/dkms/mok\.(key|pub)$'
diff /tmp/before.txt /tmp/after.txt | awk -v kept="$kept" '/^[<>] / && $2 !~ kept' \
	>/tmp/left.txt || true
cat /tmp/left.txt
expect_eq "paths added or lost, apart from those kept" "$(wc -l </tmp/left.txt)" 0
