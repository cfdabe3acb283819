# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers for lab tests (sourced by tests/lab/tests/*.sh inside the guest).
# The "air" is a bridge in the guest's root namespace; each UE is a network
# namespace whose eth0 is a veth with its peer on that bridge, so a frame
# one UE sends reaches every other UE, as on a shared radio channel.
#
# A test passes when its script exits 0; the runner also fails it on any
# kernel WARN/BUG/oops/lockdep report and when the module will not unload.
set -eu -o pipefail

LAB_TOP=${LAB_TOP:?run inside the lab (tests/lab/run)}
PC5CTL=$LAB_TOP/userspace/pc5ctl

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

step() {
	echo "== $*"
}

# Load the module under test (the build in the host's checkout).
load_pc5sec() {
	grep -q '^pc5sec ' /proc/modules || insmod "$LAB_TOP/module/pc5sec.ko"
}

air() {
	ip link show air >/dev/null 2>&1 && return
	# Only UEs speak on the air: no IPv6 from the bridge or its ports.
	sysctl -qw net.ipv6.conf.default.disable_ipv6=1
	ip link add air type bridge
	# Group traffic is multicast: flood it to every port, like the air.
	echo 0 >/sys/class/net/air/bridge/multicast_snooping
	ip link set air up
}

# ue NAME: a UE attached to the air; its radio is eth0, MAC 02:00:00:00:00:NN
ue() {
	local name=$1 n
	air
	n=$(ip netns list | wc -l)
	ip netns add "$name"
	# The radio carries pc5sec frames only: no IPv6 chatter of its own.
	ip netns exec "$name" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
	ip link add "air-$name" type veth peer name eth0 netns "$name"
	ip link set "air-$name" master air up
	ip -n "$name" link set eth0 address "02:00:00:00:00:$(printf %02x $((n + 1)))" up
	ip -n "$name" link set lo up
}

# on UE CMD...: run CMD inside UE
on() {
	local name=$1
	shift
	ip netns exec "$name" "$@"
}

# expect DESCRIPTION CMD...: CMD must succeed
expect() {
	local what=$1
	shift
	"$@" || fail "$what (command: $*)"
}

# expect_fail DESCRIPTION CMD...: CMD must fail
expect_fail() {
	local what=$1
	shift
	if "$@"; then
		fail "$what (succeeded but should not: $*)"
	fi
	return 0
}

# expect_eq DESCRIPTION GOT WANT
expect_eq() {
	[ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"
}

# expect_match DESCRIPTION TEXT REGEX
expect_match() {
	printf '%s\n' "$2" | grep -Eq -- "$3" || fail "$1: '$2' does not match /$3/"
}

# send UE ADDR PORT MESSAGE [COUNT]: UDP datagrams from UE
send() {
	on "$1" python3 "$LAB_TOP/tests/lab/tools/udp.py" send "$2" "$3" "$4" "${5:-1}"
}

# recv_start UE PORT FILE: listen in the background, one datagram per line
recv_start() {
	on "$1" python3 "$LAB_TOP/tests/lab/tools/udp.py" recv "$2" >"$3" &
	sleep 0.5
}

# link_stat UE DEV FIELD: a standard counter, from `ip -s -j link`
link_stat() {
	on "$1" ip -s -j link show dev "$2" | python3 -c '
import json, sys
s = json.load(sys.stdin)[0]["stats64"]
d, f = sys.argv[1].split(".")
print(s[d][f])' "$3"
}

# pc5 UE MEMBER [cipher SUITE ...]: a pc5sec link "pc5" on UE's radio in
# group $GROUP (default 0x000042), address 10.5.0.MEMBER/24, IPv6 off so
# that no background traffic disturbs exact counts.
GROUP=${GROUP:-0x000042}
pc5() {
	local u=$1 m=$2
	shift 2
	on "$u" "$PC5CTL" link add pc5 link eth0 group "$GROUP" member "$m" "$@"
	on "$u" sysctl -qw net.ipv6.conf.pc5.disable_ipv6=1
	on "$u" ip addr add "10.5.0.$m/24" dev pc5
	on "$u" ip link set pc5 up
}

# pgk_file HEX: a key file (64 hex digits) under /tmp
pgk_file() {
	local f
	f=$(mktemp /tmp/pgk.XXXXXX)
	printf '%s\n' "$1" >"$f"
	echo "$f"
}

# stat UE COUNTER: a pc5sec counter of UE's pc5 link, from pc5ctl -j show
stat() {
	on "$1" "$PC5CTL" -j show pc5 | python3 -c '
import json, sys
print(json.load(sys.stdin)[0]["stats"][sys.argv[1]])' "$2"
}
