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
# The tools under test: the host's build, or a cross-built one (arm64)
LAB_USERSPACE=$LAB_TOP/${LAB_USERSPACE:-userspace}
PC5CTL=$LAB_USERSPACE/pc5ctl

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

step() {
	echo "== $*"
}

# Load the module under test (the build in the host's checkout that
# tests/lab/run was given: module/pc5sec.ko unless LAB_KO says otherwise),
# and pc5sec-algs.ko built next to it (eea1 and eea3): insmod from the
# checkout cannot follow pc5sec's softdep the way modprobe would.
load_pc5sec() {
	load_pc5sec_algs
	grep -q '^pc5sec ' /proc/modules || insmod "$LAB_TOP/${LAB_KO:-module/pc5sec.ko}"
}

load_pc5sec_algs() {
	grep -q '^pc5sec_algs ' /proc/modules ||
		insmod "$(dirname "$LAB_TOP/${LAB_KO:-module/pc5sec.ko}")/pc5sec-algs.ko"
}

air() {
	ip link show air >/dev/null 2>&1 && return
	# Only UEs speak on the air: no IPv6 from the bridge or its ports.
	sysctl -qw net.ipv6.conf.default.disable_ipv6=1
	ip link add air type bridge
	# Group traffic is multicast: flood it to every port, like the air (a
	# bridge without IGMP snooping, as in the debug kernel, always does).
	if [ -e /sys/class/net/air/bridge/multicast_snooping ]; then
		echo 0 >/sys/class/net/air/bridge/multicast_snooping
	fi
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
	radio "$name" "02:00:00:00:00:$(printf %02x $((n + 1)))"
	ip -n "$name" link set lo up
}

# radio UE MAC: UE's eth0 on the air (again, after a test deleted it)
radio() {
	ip link add "air-$1" type veth peer name eth0 netns "$1"
	ip link set "air-$1" master air up
	ip -n "$1" link set eth0 address "$2" up
}

# on UE CMD...: run CMD inside UE
on() {
	local name=$1
	shift
	ip netns exec "$name" "$@"
}

# nsenter_on: from here on, `on` (and every helper that uses it) enters
# only the UE's network namespace, with nsenter. Why: ip netns exec also
# remounts /sys for every command (~0.8 s under TCG); a test that runs
# many commands, none of which needs the UE's view of /sys (aead.sh,
# tests/bench/bench.sh), calls this once instead of its own copy of `on`.
nsenter_on() {
	on() {
		local name=$1
		shift
		nsenter --net="/run/netns/$name" "$@"
	}
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

# expect_soon DESCRIPTION WANT 'COMMAND': COMMAND's output (evaluated anew
# each time: quote it) must become WANT within 15 s. For what another
# process reports in its own time (a receiver printing what it got, a
# monitor printing an event), where a fixed sleep would race the host.
expect_soon() {
	local got end=$(($(date +%s) + 15))
	while got=$(eval "$3") && [ "$got" != "$2" ] && [ "$(date +%s)" -lt $end ]; do
		sleep 0.3
	done
	expect_eq "$1" "$got" "$2"
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
	local i
	on "$1" python3 "$LAB_TOP/tests/lab/tools/udp.py" recv "$2" >"$3" &
	# Python starts slowly under TCG: wait until the port is bound.
	for i in $(seq 100); do
		[ -n "$(on "$1" ss -Hlun "sport = :$2")" ] && return 0
		sleep 0.1
	done
	fail "UDP receiver on $1:$2 did not start"
}

# recv_pid UE PORT: the process of recv_start's receiver on PORT (to stop
# it with SIGSTOP, so that datagrams wait in its socket)
recv_pid() {
	on "$1" ss -Hlunp "sport = :$2" | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2 |
		grep . || fail "no UDP receiver on $1:$2"
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
	pc5_link "$u" pc5 "10.5.0.$m" group "$GROUP" member "$m" "$@"
}

# pc5_link UE NAME ADDR [link add options...]: a pc5sec link NAME on UE's
# radio with these options, address ADDR/24, IPv6 off, up. Why: the links
# of pc5, pc6_eea0 and of tests with several links are all made so.
pc5_link() {
	local u=$1 l=$2 a=$3
	shift 3
	on "$u" "$PC5CTL" link add "$l" link eth0 "$@"
	on "$u" sysctl -qw "net.ipv6.conf.$l.disable_ipv6=1"
	on "$u" ip addr add "$a/24" dev "$l"
	on "$u" ip link set "$l" up
}

# pgk_file HEX: a key file (64 hex digits) under /tmp
pgk_file() {
	local f
	f=$(mktemp /tmp/pgk.XXXXXX)
	printf '%s\n' "$1" >"$f"
	echo "$f"
}

# pc5_pair [pc5 options...]: UE A's link as member 1 and B's as member 2,
# both with these options (see pc5). Why: most two-UE tests begin so.
pc5_pair() {
	pc5 A 1 "$@"
	pc5 B 2 "$@"
}

# TEST_PGK: the PGK of the tests to which its value does not matter
TEST_PGK=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f

# add_test_pgk UE PGK-ID [key add options...]: TEST_PGK on UE's pc5 as
# PGK-ID, from one key file, $KEY (made on the first call), from PTK
# Identity 0 unless the options say another ptk-start (pc5ctl wants it
# said: a fresh PGK in every test). Why: the link-with-key setup that the
# tests of the packet path share.
add_test_pgk() {
	local u=$1 id=$2 start=(ptk-start 0)
	shift 2
	KEY=${KEY:-$(pgk_file "$TEST_PGK")}
	[[ " $* " == *" ptk-start "* ]] && start=()
	on "$u" "$PC5CTL" key add pc5 pgk-id "$id" "${start[@]}" key-file "$KEY" "$@"
}

# eea2_pair: A and B (pc5_pair) on 128-EEA2, both with TEST_PGK as PGK
# 0x21 from PTK Identity 0. Why: the group most data-path tests talk in.
eea2_pair() {
	pc5_pair cipher eea2
	add_test_pgk A 0x21
	add_test_pgk B 0x21
}

# eea2_talking: fresh A and B in an EEA2 group (eea2_pair), B listening on
# UDP 5000 into /tmp/b.txt, and A's three HELLO datagrams received. Why:
# the tests of what a link shows about traffic start from some.
eea2_talking() {
	fresh_ues A B
	eea2_pair
	recv_bg B 5000 /tmp/b.txt
	send A 10.5.0.2 5000 HELLO 3
	expect_soon "B got A's three datagrams" 3 'lines /tmp/b.txt'
}

# pc6_eea0 UE: UE's link pc6 (group 0x77, member 2, EEA0, 10.7.0.2/24, up)
# with TEST_PGK as PGK ID 0x05 (PGK Index 5). Why: with EEA0 the Data field
# is the SDU, so the frames frame.py builds are valid on it, and the tests
# of what the air may send inject them there.
pc6_eea0() {
	local u=$1
	pc5_link "$u" pc6 10.7.0.2 group 0x77 member 2 cipher eea0
	KEY=${KEY:-$(pgk_file "$TEST_PGK")}
	on "$u" "$PC5CTL" key add pc6 pgk-id 0x05 ptk-start 0 key-file "$KEY"
}

# stat UE COUNTER: a pc5sec counter of UE's pc5 link, from pc5ctl -j show
stat() {
	on "$1" "$PC5CTL" -j show pc5 | python3 -c '
import json, sys
print(json.load(sys.stdin)[0]["stats"][sys.argv[1]])' "$2"
}

# --- helpers for the robustness tests (tx-nokey, replay, malformed, ...) ---
# Under TCG every process costs (python3 ~0.8 s, -S ~0.3 s): these parse in
# bash and run python3 -S once per batch of frames.

# expect_rc DESCRIPTION RC REGEX CMD...: CMD exits with RC and its output
# (stdout and stderr) matches REGEX; the output is left in $OUT.
expect_rc() {
	local what=$1 want=$2 re=$3 rc=0
	shift 3
	OUT=$("$@" 2>&1) || rc=$?
	[ "$rc" = "$want" ] || fail "$what: exit $rc, want $want (command: $*; output: $OUT)"
	expect_match "$what: message" "$OUT" "$re"
}

# track PID...: processes this test started in the background, killed
# when it exits, with every process left in a UE's netns (which would
# keep the netns, and the devices in it, alive after the test)
BG_PIDS=()
kill_tracked() {
	local p ns
	disown -a 2>/dev/null || true	# no "Killed" job reports in the log
	for p in "${BG_PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
	for ns in $(ip netns list | cut -d' ' -f1); do
		for p in $(ip netns pids "$ns"); do kill -9 "$p" 2>/dev/null || true; done
		# An orphaned TCP socket (its process killed, its peer gone) keeps
		# retransmitting and its netns alive for minutes after `ip netns
		# del`; without the radio, the next test's UEs can be made.
		ip -n "$ns" link del eth0 2>/dev/null || true
	done
}
track() {
	BG_PIDS+=("$@")
	trap kill_tracked EXIT
}

# recv_bg UE PORT FILE: recv_start, tracked
recv_bg() {
	recv_start "$@"
	track $!
}

# wait_for SECONDS DESCRIPTION 'COMMAND': until COMMAND (evaluated anew
# each time: quote it) succeeds, within wall-clock SECONDS (under TCG each
# try may itself take a second or more)
wait_for() {
	local what=$2 end=$(($(date +%s) + $1))
	shift 2
	until eval "$*" >/dev/null 2>&1; do
		[ "$(date +%s)" -lt $end ] || fail "$what: not within the time allowed"
		sleep "${WAIT_STEP:-0.5}"
	done
}

# tcp_listening UE PORT: something listens on TCP PORT in UE
tcp_listening() {
	[ -n "$(on "$1" ss -Hltn "sport = :$2")" ]
}

# iperf_server UE [OPTIONS...]: a one-shot iperf3 server for 10.5.0.2 on
# UE, daemonised; returns once it listens (iperf3 -D returns before it
# does). A one-shot server from before must have gone first, or its
# socket would pass for the new one's.
iperf_server() {
	local u=$1
	shift
	wait_for 30 "iperf3 port free on $u" "! tcp_listening $u 5201"
	on "$u" iperf3 -s -D -1 -B 10.5.0.2 "$@"
	wait_for 30 "iperf3 server on $u" "tcp_listening $u 5201"
}

# monitor_start UE FILE [pc5ctl options] monitor [NAME]: `pc5ctl monitor`
# on UE in the background, tracked, output to FILE; returns once it has
# joined the events group, so that no event after this is missed. Joined:
# one of its generic netlink sockets shows group bits in
# /proc/PID/net/netlink (only its events socket joins any group), which
# holds the first 32 groups (Documentation/testing.md: why ours is there;
# in the lab kernel it is group 9).
monitor_start() {
	local u=$1 f=$2
	shift 2
	# not through `on`: $! must be pc5ctl (ip netns exec execs it)
	ip netns exec "$u" "$PC5CTL" "$@" >"$f" &
	track $!
	wait_for 30 "pc5ctl $* on $u joins the events group" "mon_joined $!"
}
mon_joined() {
	local fd l inos=" "
	for fd in /proc/"$1"/fd/*; do
		l=$(readlink "$fd") || continue
		[[ $l == socket:\[*\] ]] && inos+="${l//[^0-9]/} "
	done
	# sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode; Eth 16: generic
	awk -v inos="$inos" 'NR > 1 && $2 == 16 && $4 != "00000000" &&
		index(inos, " " $NF " ") { found = 1 } END { exit !found }' \
		/proc/"$1"/net/netlink
}

# capture_start FILE [IFACE [FILTER...]]: tcpdump on the air (or IFACE),
# in the current netns; returns once tcpdump is capturing (it says
# "listening on" after the socket is bound), since tests count every frame.
# --immediate-mode: each frame reaches the file at once, not a ring block
# later, so that capture_stop loses none. CAPTURE_OPTS: more tcpdump
# options (e.g. "-s 64 -B 16384" for a flood; the last -s wins);
# CAPTURE_NETNS: capture in that netns.
capture_start() {
	local f=$1 i=${2:-air}
	shift $(($# > 1 ? 2 : 1))
	# shellcheck disable=SC2086 # CAPTURE_OPTS is a list of options
	${CAPTURE_NETNS:+ip netns exec "$CAPTURE_NETNS"} \
		tcpdump -i "$i" -w "$f" -U --immediate-mode -s 0 ${CAPTURE_OPTS:-} "$@" 2>"$f.err" &
	CAPTURE_PID=$!
	track $!
	wait_for 30 "tcpdump on $i (see $f.err)" "grep -q 'listening on' '$f.err'"
}

# capture_stop: let the last frames in, then stop the capture
capture_stop() {
	sleep 1
	kill "$CAPTURE_PID"
	wait "$CAPTURE_PID" 2>/dev/null || true
}

FRAME_PY="python3 -S $LAB_TOP/tests/lab/tools/frame.py"

# frame OPTIONS...: build a frame (hex), see tools/frame.py
frame() {
	$FRAME_PY build "$@"
}

# inject UE FRAME...: frames straight into UE's radio from its bridge port
# (only UE hears them). FRAME is hex, or frame.py build options in one
# word ("--sn 3 --data 00"); one python process for all of them.
inject() {
	local u=$1
	shift
	$FRAME_PY send "air-$u" "$@"
}

# injector UE: one python3 that sends frames into UE's radio from its
# bridge port (only UE hears them), for the rest of the test; inj_hex
# feeds it. Why: a python3 per injection costs seconds under TCG, and the
# tests that make thousands of senders inject in hundreds of rounds.
injector() {
	# shellcheck disable=SC2016
	coproc INJ {
		exec python3 -S -c 'import socket, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((sys.argv[1], 0))
for line in sys.stdin:
    fr = line.split()
    for f in fr:
        s.send(bytes.fromhex(f))
    print("sent", len(fr), flush=True)' "air-$1"
	}
	track "$INJ_PID"
}

# inj_hex FRAME...: frames (hex) through the injector, in order; returns
# once they are sent
inj_hex() {
	local l
	echo "$*" >&"${INJ[1]}"
	read -r -t 30 -u "${INJ[0]}" l || fail "injector did not answer"
	[ "$l" = "sent $#" ] || fail "injector: '$l', want 'sent $#'"
}

# of_senders FRAME FIRST N: FRAME (hex) as each of N senders from ID
# FIRST on sends it, the Source field (octets 15-17) replaced; one line,
# space-separated. For EEA0 links: their Data field is the SDU, which
# names no sender.
of_senders() {
	local i out=""
	for ((i = $2; i < $2 + $3; i++)); do
		printf -v out '%s%s%06x%s ' "$out" "${1:0:30}" "$i" "${1:36}"
	done
	echo "$out"
}

# srv REQUEST...: the answer of the test's tools/aead.py serve, started as
# `coproc SRV { exec python3 .../aead.py --pgk HEX serve; }`. Why: one
# python3 for every crypto operation of a test (seconds each under TCG).
srv() {
	local l
	echo "$*" >&"${SRV[1]}"
	while read -r -t 60 -u "${SRV[0]}" l; do
		[ "$l" = . ] && return 0
		echo "$l"
	done
	fail "aead.py serve did not answer: $*"
}

# inject_pcap UE FILE [N...]: pc5sec frames N of FILE (all by default) into UE
inject_pcap() {
	local u=$1
	shift
	$FRAME_PY pcap "air-$u" "$@"
}

# stats_all UE [LINK]: every pc5sec counter of LINK (default pc5), sorted,
# "name=value ..."
stats_all() {
	local j s
	j=$(on "$1" "$PC5CTL" -j show "${2:-pc5}")
	[[ $j =~ \"stats\":\{([^\}]*)\} ]] || fail "no stats in: $j"
	s=${BASH_REMATCH[1]//\"/}
	s=${s//:/=}
	printf '%s\n' ${s//,/ } | LC_ALL=C sort | paste -sd' '
}

# stats UE [LINK]: as stats_all, but for tx_queued and rx_queued. Whether
# a packet was ciphered inline or on the per-CPU workers (parallel.c)
# depends on what else is in flight at that moment, not on what a test
# does; order.sh and the KUnit suite pc5sec-parallel count those two.
# tx_queue_full and rx_queue_full stay: a test's few packets never fill
# a queue, and one that did would have dropped a packet.
stats() {
	local kv out=()
	for kv in $(stats_all "$@"); do
		case ${kv%%=*} in tx_queued | rx_queued) ;; *) out+=("$kv") ;; esac
	done
	echo "${out[*]}"
}

# cnt UE NAME [LINK]: one pc5sec counter
cnt() {
	local kv
	for kv in $(stats_all "$1" "${3:-pc5}"); do
		[ "${kv%%=*}" = "$2" ] && { echo "${kv#*=}"; return; }
	done
	fail "no counter $2"
}

# expect_stats DESCRIPTION UE LINK name=value...: since $STATS_BEFORE
# (from `stats`), exactly these counters changed, by these amounts.
expect_stats() {
	local what=$1 u=$2 l=$3 kv k bad=""
	local -A before=() want=()
	shift 3
	for kv in $STATS_BEFORE; do before[${kv%%=*}]=${kv#*=}; done
	for kv in "$@"; do want[${kv%%=*}]=${kv#*=}; done
	for kv in $(stats "$u" "$l"); do
		k=${kv%%=*}
		d=$((${kv#*=} - ${before[$k]:-0}))
		[ "$d" = "${want[$k]:-0}" ] || bad="$bad $k changed by $d, want ${want[$k]:-0};"
		unset "want[$k]"
	done
	[ ${#want[@]} = 0 ] || bad="$bad no counters ${!want[*]};"
	[ -z "$bad" ] || fail "$what:$bad"
}

# stats_delta UE LINK: since $STATS_BEFORE (from `stats`), how much each
# pc5sec counter of LINK moved, "name=delta ...". Why: a test that cannot
# know every counter exactly (a fuzzer's) still checks bounds on them.
stats_delta() {
	local kv k
	local -A before=()
	for kv in $STATS_BEFORE; do before[${kv%%=*}]=${kv#*=}; done
	for kv in $(stats "$1" "$2"); do
		k=${kv%%=*}
		printf '%s=%s ' "$k" $((${kv#*=} - ${before[$k]:-0}))
	done
}

# expect_stats_after DESCRIPTION UE LINK 'name=value...' CMD...: CMD (an
# inject, a send) changes exactly these counters of UE's LINK, as
# expect_stats checks 0.5 s after CMD returns ($STATS_BEFORE is taken just
# before CMD). Why: the robustness tests check frame after frame this way.
expect_stats_after() {
	local what=$1 u=$2 l=$3 counters=$4
	shift 4
	STATS_BEFORE=$(stats "$u" "$l")
	"$@"
	sleep 0.5
	# shellcheck disable=SC2086 # name=value words
	expect_stats "$what" "$u" "$l" $counters
}

# rx_accounted UE DEV [FIELD...]: every frame DEV took in, however it
# ended: rx packets + errors + dropped of `ip -s link` (for a pc5sec link:
# delivered, malformed or failed authentication, dropped with or without a
# pc5sec counter), or the sum of these rx FIELDs. Why: a frame a link takes
# and neither delivers nor counts is a bug, and this is the sum that shows it.
rx_accounted() {
	local j r k n=0 u=$1 d=$2
	shift 2
	[ $# -gt 0 ] || set -- packets errors dropped
	j=$(on "$u" ip -s -j link show dev "$d")
	[[ $j =~ \"rx\":\{([^\}]*)\} ]] || fail "no rx stats in: $j"
	r=${BASH_REMATCH[1]}
	for k in "$@"; do
		[[ $r =~ \"$k\":([0-9]+) ]] || fail "no rx $k in: $r"
		n=$((n + BASH_REMATCH[1]))
	done
	echo "$n"
}

# lines FILE: the number of lines in FILE
lines() {
	wc -l <"$1" | tr -d ' '
}

# devstat UE DEV NAME: a netdevice counter from sysfs (rx_dropped, tx_dropped,
# rx_errors, tx_packets, ...)
devstat() {
	on "$1" cat "/sys/class/net/$2/statistics/$3"
}

# key_fields UE FIELD [LINK]: FIELD of each key of LINK (default pc5), in
# pc5ctl's order, space-separated
key_fields() {
	local j out=()
	j=$(on "$1" "$PC5CTL" -j show "${3:-pc5}")
	j=${j#*\"keys\":\[}
	j=${j%%\]*}
	while [[ $j =~ \"$2\":(\"[^\"]*\"|[^,\}]*) ]]; do
		out+=("${BASH_REMATCH[1]//\"/}")
		j=${j#*"${BASH_REMATCH[0]}"}
	done
	echo "${out[*]}"
}

# pgk_field UE ID FIELD: FIELD of the key with PGK ID ID on UE's pc5 (empty
# if it has none). Why: the watermark tests each had their own copy.
pgk_field() {
	local ids f i
	read -ra ids <<<"$(key_fields "$1" pgk_id)"
	read -ra f <<<"$(key_fields "$1" "$3")"
	for i in "${!ids[@]}"; do
		[ "${ids[$i]}" = "$2" ] && echo "${f[$i]}"
	done
	return 0
}

# settle: wait (up to 10 s) until the radios of an earlier test's UEs are
# gone; a netns is destroyed asynchronously, and its veth peer with it
settle() {
	local i
	for i in $(seq 50); do
		ip -o link show | grep -q ': air-' || return 0
		sleep 0.2
	done
	fail "radios of an earlier test still here: $(ip -o link show | grep ': air-' | cut -d: -f2 | tr '\n' ' ')"
}

# fresh_ues UE...: how a test begins: the module loaded (load_pc5sec), the
# radios of an earlier test gone (settle), then these UEs on the air. Why:
# one helper for the preamble that nearly every test repeated.
fresh_ues() {
	local u
	load_pc5sec
	settle
	for u in "$@"; do ue "$u"; done
}
