# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers of the package tests (tests/deb/guest/*.sh), sourced after
# tests/lab/lib.sh. They run in one boot of a clean Debian root under
# systemd (tests/deb/run), in the order install, unit, remove; what one
# leaves in /tmp the next one reads.
. "$LAB_TOP/tests/lab/lib.sh"
. "$LAB_TOP/tests/pkmf/lab.sh"
# The installed tools, never the checkout's
PC5CTL=/usr/sbin/pc5ctl
KEYD=/usr/sbin/pc5keyd
DEB_DIR=${DEB_DIR:?the packages (tests/deb/run sets it)}
KVER=${KVER:?the kernel the guest runs}

# snapshot FILE: every path on the root file system (the guest's own,
# not /proc, /sys, /dev, /run, /tmp or the host's shares), sorted
snapshot() {
	find / -xdev -path /var/cache/man -prune -o -print | sort >"$1"
}

# unit_prop PROP: a property of pc5keyd.service, as systemctl shows it
unit_prop() {
	systemctl show -P "$1" pc5keyd.service
}

# status_field PID FIELD: a line of /proc/PID/status, its value only
status_field() {
	sed -n "s/^$2:[[:space:]]*//p" "/proc/$1/status"
}

# on - CMD...: CMD in the root namespace, where the service runs; on UE
# CMD...: in UE's, as the lab's `on` (so key_fields - FIELD [LINK] reads
# the service's links)
on() {
	local name=$1
	shift
	if [ "$name" = - ]; then
		"$@"
	else
		ip netns exec "$name" "$@"
	fi
}
