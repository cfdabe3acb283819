#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/completion.sh: pc5ctl's bash completion (completion/pc5ctl) offers
# the words pc5ctl takes, at each place of a command line. Run from
# userspace/. Prints one line per failed check, then "N passed, N failed".
set -u
# shellcheck disable=SC1091
. completion/pc5ctl
passed=0
failed=0

# offers WANT WORD...: completing the command line WORD... (the last word
# being completed) offers exactly WANT
offers() {
	local want=$1
	shift
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	_pc5ctl
	if [ "${COMPREPLY[*]}" = "$want" ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL completion of '$*': got '${COMPREPLY[*]}', want '$want'"
	fi
}

offers "show monitor link key sender help" pc5ctl ""
offers "key" pc5ctl k
offers "show sender" pc5ctl s
offers "-j --json -n --netns -s --stats -d --details -V --version -h --help" pc5ctl -
offers "add set del flush show" pc5ctl key ""
offers "add set del show" pc5ctl -j link ""
offers "reset" pc5ctl sender r
offers "pgk-id key-file keyring ptk-start not-before not-after ptk-limit" pc5ctl key add pc5 ""
offers "pgk-id ptk-start ptk-limit" pc5ctl key add pc5 pgk-id 1 p
offers "" pc5ctl key add pc5 pgk-id ""
offers "eea0 eea1 eea2 eea3 aes-gcm-128 aes-gcm-256 chacha20-poly1305" pc5ctl link set pc5 cipher ""
offers "aes-gcm-128 aes-gcm-256" pc5ctl -n X link add pc5 link eth0 cipher aes
# the lower: this netns's interfaces, as sysfs lists them
offers "$(cd /sys/class/net && ls -d lo* | tr '\n' ' ' | sed 's/ $//')" pc5ctl link add pc5 link lo
offers "group member cipher replay-window expiry-notice rx-skew max-senders" pc5ctl link set pc5 ""
offers "senders" pc5ctl show pc5 ""
offers "" pc5ctl link add ""
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
