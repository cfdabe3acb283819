#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 1800
#
# make bench, inside the lab guest: two UEs (network namespaces A and B)
# over one veth pair; each method in turn on that pair: plain veth, pc5sec
# with each suite, MACsec, WireGuard, IPsec ESP transport. Per method:
# iperf3 TCP (1 and 4 streams), iperf3 UDP (64 and 1400-octet payloads,
# unlimited rate), ping RTT; then how soon pc5keyd carries out a PKMF's
# revocation (tests/bench/revoke.sh), and the in-kernel microbenchmark
# (tests/bench/micro.sh) when the module was built with CONFIG_PC5SEC_BENCH.
#
# This script only runs things and keeps their raw output under
# /run/lab/bench/ (iperf3 -J, ping, the microbenchmark's lines); the host
# (tests/bench/report) turns that into JSON, a table and a chart. Nothing
# here judges a speed: the script fails only when a method cannot be set
# up or carries no traffic at all.
#
# BENCH_QUICK=1 (tests/bench/quick.sh): the smoke run of make check, one
# method of each kind, one short run of each measurement.
# BENCH_METHODS and BENCH_MEASURE (tcp1 tcp4 udp64 udp1400 ping) choose
# a part; BENCH_MICRO=0 skips the microbenchmark and BENCH_REVOKE=0 the
# revocation figures (tests/bench/revoke.sh; tests/bench/scaling skips both).
# A pc5sec method may end in @inline (parallel_min_len past any packet:
# every packet ciphered where it is, as before issue 18) or @parallel
# (parallel_min_len 0: every packet on the CPUs' workers); without, the
# module's default.
. "$LAB_TOP/tests/lab/lib.sh"

QUICK=${BENCH_QUICK:-0}
KO=${BENCH_KO:-$LAB_TOP/build/bench/module/pc5sec.ko}
RAW=$LAB_OUT/bench
if [ "$QUICK" = 1 ]; then
	RUNS=1 SECS=1 PINGS=10
	METHODS="veth pc5sec-eea2 pc5sec-aes-gcm-128 macsec wireguard ipsec"
else
	RUNS=${BENCH_RUNS:-3} SECS=${BENCH_SECS:-3} PINGS=${BENCH_PINGS:-40}
	METHODS="veth pc5sec-eea0 pc5sec-eea1 pc5sec-eea2 pc5sec-eea3 pc5sec-aes-gcm-128
		 pc5sec-aes-gcm-256 pc5sec-chacha20-poly1305 macsec wireguard ipsec"
fi
# (commas or spaces between names: LAB_ENV splits on spaces)
METHODS=${BENCH_METHODS:-$METHODS}
METHODS=${METHODS//,/ }
MEASURE=${BENCH_MEASURE:-tcp1 tcp4 udp64 udp1400 ping}
MEASURE=${MEASURE//,/ }
PARAM=/sys/module/pc5sec/parameters/parallel_min_len
PARALLEL_DEFAULT=
PGK=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f

T0=${EPOCHREALTIME/./}
log() { echo "[$(((${EPOCHREALTIME/./} - T0) / 1000000))s] $*"; }

# ip netns exec remounts /sys for every command (~0.8 s under TCG); the
# tools here need only the network namespace.
nsenter_on

rm -rf "$RAW"
mkdir -p "$RAW"
{
	echo "kernel=$(uname -r)"
	echo "cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
	echo "vcpus=$(nproc)"
	echo "qemu_mode=tcg"
	echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "quick=$QUICK runs=$RUNS secs=$SECS pings=$PINGS"
	echo "iperf3=$(iperf3 --version | head -n 1)"
} >"$RAW/meta.txt"

# The module under test: the bench build (microbenchmark included) when
# there is one, else the checkout's module.
[ -f "$KO" ] || KO=$LAB_TOP/module/pc5sec.ko
grep -q '^pc5sec_algs ' /proc/modules || insmod "$(dirname "$KO")/pc5sec-algs.ko"
grep -q '^pc5sec ' /proc/modules || insmod "$KO"
echo "module=${KO#"$LAB_TOP"/}" >>"$RAW/meta.txt"
PARALLEL_DEFAULT=$(cat $PARAM 2>/dev/null || echo none)
echo "parallel_min_len=$PARALLEL_DEFAULT" >>"$RAW/meta.txt"
for m in macsec wireguard esp4 xfrm_user dummy; do
	modprobe "$m" || fail "modprobe $m"
done
# The lab has no udev: load the CPU's crypto drivers (AES-NI, CLMUL GHASH,
# SIMD ChaCha20/Poly1305, ...) as udev does at boot from the CPU's
# modalias, or every method would run the generic C code.
modprobe -qa $(cat /sys/devices/system/cpu/modalias) 2>/dev/null || true
for m in aesni_intel ghash_clmulni_intel chacha_x86_64 poly1305_x86_64 \
	sha256_ssse3; do
	modprobe -q "$m" 2>/dev/null || true
done
echo "crypto=$(lsmod | awk '$1 ~ /aesni|clmul|chacha|poly1305|sha256/ { print $1 }' |
	sort | paste -sd,)" >>"$RAW/meta.txt"

settle
ip netns add A
ip netns add B
ip link add eth0 netns A type veth peer name eth0 netns B
for u in A B; do
	on $u sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	on $u sysctl -qw net.ipv6.conf.default.disable_ipv6=1
	on $u ip link set lo up
done
on A ip link set eth0 address 02:00:00:00:00:01
on B ip link set eth0 address 02:00:00:00:00:02
on A ip addr add 10.9.0.1/24 dev eth0
on B ip addr add 10.9.0.2/24 dev eth0
on A ip link set eth0 up
on B ip link set eth0 up
on B iperf3 -s -D -I /tmp/iperf3.pid
track "$(cat /tmp/iperf3.pid 2>/dev/null || true)"
key=$(pgk_file $PGK)

# setup METHOD: the method's devices on A and B; sets DST (B's address)
setup() {
	local m=$1 u n
	# The stacked methods carry 1500-octet packets on a 1600 lower MTU;
	# plain veth and IPsec (which adds its header inside the packet) use
	# the lower device as it is.
	case $m in
	veth | ipsec) mtu=1500 ;;
	*) mtu=1600 ;;
	esac
	for u in A B; do on $u ip link set eth0 mtu $mtu; done
	case $m in
	veth)
		DST=10.9.0.2
		;;
	pc5sec-*)
		case $m in
		*@inline) echo 65536 >$PARAM ;;
		*@parallel) echo 0 >$PARAM ;;
		*) echo "$PARALLEL_DEFAULT" >$PARAM ;;
		esac
		local suite=${m#pc5sec-}
		suite=${suite%@*}
		for n in 1 2; do
			u=$([ $n = 1 ] && echo A || echo B)
			on $u "$PC5CTL" link add pc5 link eth0 group 0x42 member $n \
				cipher "$suite"
			on $u "$PC5CTL" key add pc5 pgk-id 0x21 ptk-start 0 key-file "$key"
			tun_up $u pc5 $n
		done
		DST=10.5.0.2
		;;
	macsec)
		local ka=0123456789abcdef0123456789abcdef
		local kb=fedcba9876543210fedcba9876543210
		for n in 1 2; do
			u=$([ $n = 1 ] && echo A || echo B)
			local peer=02:00:00:00:00:0$((3 - n)) tx=$ka rx=$kb
			[ $n = 2 ] && tx=$kb rx=$ka
			on $u ip link add link eth0 macsec0 type macsec port 1 \
				encrypt on cipher gcm-aes-128
			on $u ip macsec add macsec0 tx sa 0 pn 1 on key 0$n "$tx"
			on $u ip macsec add macsec0 rx port 1 address "$peer"
			on $u ip macsec add macsec0 rx port 1 address "$peer" \
				sa 0 pn 1 on key 0$((3 - n)) "$rx"
			tun_up $u macsec0 $n
		done
		DST=10.5.0.2
		;;
	wireguard)
		wg genkey >/tmp/wg-a
		wg genkey >/tmp/wg-b
		for n in 1 2; do
			u=$([ $n = 1 ] && echo A || echo B)
			local me=/tmp/wg-a peer=/tmp/wg-b
			[ $n = 2 ] && me=/tmp/wg-b peer=/tmp/wg-a
			on $u ip link add wg0 type wireguard
			on $u wg set wg0 private-key "$me" listen-port 51820 \
				peer "$(wg pubkey <"$peer")" \
				allowed-ips 10.5.0.$((3 - n))/32 \
				endpoint 10.9.0.$((3 - n)):51820
			tun_up $u wg0 $n
		done
		DST=10.5.0.2
		;;
	ipsec)
		# rfc4106(gcm(aes)): 128-bit key + 32-bit salt, 128-bit ICV
		local k1=0x0102030405060708090a0b0c0d0e0f1011121314
		local k2=0x1112131415161718191a1b1c1d1e1f2021222324
		for u in A B; do
			on $u ip xfrm state add src 10.9.0.1 dst 10.9.0.2 proto esp \
				spi 0x1001 mode transport \
				aead 'rfc4106(gcm(aes))' $k1 128
			on $u ip xfrm state add src 10.9.0.2 dst 10.9.0.1 proto esp \
				spi 0x1002 mode transport \
				aead 'rfc4106(gcm(aes))' $k2 128
		done
		xpol A 10.9.0.1 10.9.0.2
		xpol B 10.9.0.2 10.9.0.1
		DST=10.9.0.2
		;;
	*) fail "unknown method $m" ;;
	esac
}

tun_up() {
	on "$1" ip link set "$2" mtu 1500
	on "$1" ip addr add "10.5.0.$3/24" dev "$2"
	on "$1" ip link set "$2" up
}

# xpol UE SELF PEER: ESP transport policies both ways
xpol() {
	on "$1" ip xfrm policy add src "$2" dst "$3" dir out \
		tmpl src "$2" dst "$3" proto esp mode transport
	on "$1" ip xfrm policy add src "$3" dst "$2" dir in \
		tmpl src "$3" dst "$2" proto esp mode transport
}

teardown() {
	local u d
	for u in A B; do
		for d in pc5 macsec0 wg0; do
			on $u ip link del $d 2>/dev/null || true
		done
		on $u ip xfrm policy flush
		on $u ip xfrm state flush
	done
}

# What the CPUs did, for NAME.cpu: /proc/stat's CPU lines, its context
# switches, and the inter-processor interrupts that wake or call another
# CPU (/proc/interrupts' RES and CAL, summed over the CPUs).
cpu_snapshot() {
	grep -E '^(cpu[0-9]|ctxt)' /proc/stat
	awk '$1 == "RES:" || $1 == "CAL:" {
		s = 0
		for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++)
			s += $i
		print $1, s
	}' /proc/interrupts
}

# iperf NAME OPTS...: one iperf3 run, its JSON kept; retried once (a
# server still finishing the previous test refuses a new one). NAME.cpu
# gets cpu_snapshot before and after the run: how busy the CPUs were and
# how often they woke each other (tests/bench/scaling-report: what limits
# a method at 2 vCPUs, idle CPUs or the work itself, and what the work is).
iperf() {
	local f=$1 i
	shift
	for i in 1 2 3; do
		cpu_snapshot >"$f.cpu"
		on A timeout $((SECS + 30)) iperf3 -c "$DST" -t "$SECS" -J "$@" \
			>"$f" 2>&1 && { cpu_snapshot >>"$f.cpu"; return 0; }
		sleep 1
	done
	log "iperf3 $* failed: $(head -c 300 "$f")"
	return 1
}

failed=""
for m in $METHODS; do
	log "method $m"
	d=$RAW/$m
	mkdir -p "$d"
	# (errexit is off inside: a step that fails shows in setup.log, and
	# as a method that carries no traffic)
	setup "$m" >"$d/setup.log" 2>&1 || true
	# the first packets of a method may wait for a key or a handshake
	on A ping -c 3 -i 0.3 -W 5 "$DST" >"$d/warmup.txt" 2>&1 ||
		on A ping -c 3 -W 5 "$DST" >>"$d/warmup.txt" 2>&1 ||
		{ failed="$failed $m(ping)"; log "$m: no ping"; }
	for r in $(seq "$RUNS"); do
		for t in $MEASURE; do
			case $t in
			tcp1) iperf "$d/tcp1-$r.json" ;;
			tcp4) iperf "$d/tcp4-$r.json" -P 4 ;;
			udp64) iperf "$d/udp64-$r.json" -u -b 0 -l 64 ;;
			udp1400) iperf "$d/udp1400-$r.json" -u -b 0 -l 1400 ;;
			ping)
				on A ping -n -c "$PINGS" -i 0.05 -s 56 "$DST" \
					>"$d/ping-$r.txt" 2>&1
				;;
			*) fail "unknown measurement $t" ;;
			esac || failed="$failed $m($t)"
		done
	done
	for u in A B; do
		on $u ip -s -j link show >"$d/links-$u.json" 2>&1 || true
	done
	[ "${m%%-*}" = pc5sec ] && on B "$PC5CTL" -j show pc5 >"$d/pc5-B.json"
	teardown
done

# How soon a revocation takes effect (tests/bench/revoke.sh): pc5keyd in
# A and B, with the PKMF, in UEs of their own (the methods' go first).
if [ "$QUICK" = 1 ] || [ "${BENCH_REVOKE:-1}" = 0 ]; then
	log "no revocation figures (quick run or BENCH_REVOKE=0)"
else
	log "revocation"
	kill "$(cat /tmp/iperf3.pid 2>/dev/null)" 2>/dev/null || true
	ip netns del A
	ip netns del B
	# (lib.sh made LAB_USERSPACE absolute; revoke.sh sources it again)
	LAB_USERSPACE=${LAB_USERSPACE#"$LAB_TOP"/} bash "$LAB_TOP/tests/bench/revoke.sh" \
		"$RAW/revoke.txt" >"$RAW/revoke.log" 2>&1 ||
		{ failed="$failed revoke"; tail -n 20 "$RAW/revoke.log"; }
	cat "$RAW/revoke.txt"
fi

# The in-kernel microbenchmark (module/bench.c), when built in.
if [ "${BENCH_MICRO:-1}" = 0 ]; then
	log "no microbenchmark (BENCH_MICRO=0)"
elif [ -e /sys/kernel/debug/pc5sec/bench ]; then
	log "microbenchmark"
	bash "$LAB_TOP/tests/bench/micro.sh" >"$RAW/micro.txt" 2>"$RAW/micro.err" ||
		failed="$failed micro"
	tail -n 5 "$RAW/micro.err"
else
	log "no microbenchmark (module built without CONFIG_PC5SEC_BENCH)"
fi
log "done"
[ -z "$failed" ] || fail "broken:$failed"
