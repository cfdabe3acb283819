#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-abi.sh IP PLUGIN: PLUGIN fits this ip binary. Its struct link_util
# must have the size of ip's own (macsec_link_util and dummy_link_util are
# built in), and every symbol it needs (not weak) must be libc's or
# exported by ip. Prints one line per check and "N passed, N failed".
set -u
ip=$1
so=$2
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok   $*"; }
bad() { failed=$((failed + 1)); echo "FAIL $*"; }

size() {	# size BINARY SYMBOL: the symbol's size in octets, from nm
	local hex
	hex=$(nm -D -S "$1" 2>/dev/null | awk -v s="$2" '$4 == s { print $2 }')
	[ -n "$hex" ] && echo $((16#$hex))
}

mine=$(size "$so" pc5sec_link_util)
[ -n "$mine" ] && ok "$so exports pc5sec_link_util ($mine octets)" || bad "$so: no pc5sec_link_util"
for s in macsec_link_util dummy_link_util; do
	theirs=$(size "$ip" "$s")
	if [ -z "$theirs" ]; then
		bad "$ip exports no $s (not an iproute2 ip, or stripped of its dynamic symbols)"
	elif [ "$theirs" = "$mine" ]; then
		ok "struct link_util: $theirs octets, as $ip's $s"
	else
		bad "struct link_util: $ip's $s has $theirs octets, ours $mine: another iproute2 layout"
	fi
done
exported=$(nm -D --defined-only "$ip" | awk '{ print $3 }')
n=0
while read -r sym ver; do
	case $ver in GLIBC_*) continue ;; esac
	n=$((n + 1))
	grep -qx "$sym" <<<"$exported" || bad "$ip does not export $sym"
done < <(nm -D --undefined-only "$so" | awk '$1 == "U" { split($2, a, "@"); print a[1], a[2] }')
[ "$failed" = 0 ] && ok "$ip exports the $n iproute2 symbols the plugin uses ($($ip -V | head -1))"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
