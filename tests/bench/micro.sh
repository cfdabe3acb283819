#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The in-kernel microbenchmark (module/bench.c), run by bench.sh in the
# guest's initial network namespace: pc5sec links on a dummy lower device
# (which frees what it is given), one command per figure; prints the
# result lines ("tx suite=... tx_ns=..."), one per command.
# BENCH_QUICK=1: fewer iterations, fewer sizes. BENCH_AB=1 (ab.sh): TX and
# RX only, for a before/after of the packet path.
set -eu -o pipefail
PC5CTL=$LAB_TOP/userspace/pc5ctl
B=/sys/kernel/debug/pc5sec/bench
PGK=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
key=$(mktemp /tmp/pgk.XXXXXX)
echo $PGK >"$key"
# The per-packet cost is the inline path's: a packet handed to the CPUs'
# workers (issue 18) would leave pc5sec_xmit() before its cipher ran.
PARAM=/sys/module/pc5sec/parameters/parallel_min_len
if [ -w $PARAM ]; then
	was=$(cat $PARAM)
	echo 65536 >$PARAM
	trap 'echo "$was" >$PARAM' EXIT
fi

# Each figure is measured REPS times (the report takes the median), over
# about N packets, fewer for large ones (N*256 octets at most).
if [ "${BENCH_QUICK:-0}" = 1 ]; then
	N=200 REPS=1 SIZES="64 1400" SUITES="eea2 aes-gcm-128" LINKS="1 16"
	SENDERS="1 64"
else
	N=${BENCH_MICRO_N:-3000} REPS=3 SIZES="64 256 1400 8000"
	SUITES="eea0 eea1 eea2 eea3 aes-gcm-128 aes-gcm-256 chacha20-poly1305"
	LINKS="1 16 64" SENDERS="1 64 4096"
fi
SCALING=1
if [ "${BENCH_AB:-0}" = 1 ]; then
	SUITES="eea2 aes-gcm-128 chacha20-poly1305" SIZES="64 1400" SCALING=0
fi

# n SIZE: the iterations for a packet size
n() {
	local n=$((N * 256 / $1))
	echo $((n > N ? N : (n < 300 ? 300 : n)))
}

run() {
	local i
	for i in $(seq $REPS); do
		echo "$*" >"$B" || { echo "bench command failed: $*" >&2; return 1; }
		cat "$B"
	done
}

# link NAME GROUP SUITE: a pc5sec link on bd0 with the PGK, up
link() {
	"$PC5CTL" link add "$1" link bd0 group "$2" member 1 cipher "$3"
	"$PC5CTL" key add "$1" pgk-id 0x21 ptk-start 0 key-file "$key"
	ip link set "$1" up
}

ip link add bd0 mtu 9100 type dummy
ip link set bd0 up
trap 'ip link del bd0 2>/dev/null || true' EXIT

for s in $SUITES; do
	link pcb0 0x42 "$s"
	for z in $SIZES; do
		run tx pcb0 "$z" "$(n "$z")"
		run rx pcb0 "$z" "$(n "$z")" 1
	done
	ip link del pcb0
	[ "$s" = eea0 ] || [ $SCALING = 0 ] || run derive "$s" $((N / 20 + 10))
done
[ $SCALING = 1 ] || exit 0

# The bare ciphers of eea1 and eea3 next to AES-CTR: the kernel's best
# ctr(aes) and the table-based ctr(aes-generic) (issue 15's yardstick).
if [ "${BENCH_QUICK:-0}" != 1 ]; then
	for z in 64 1400 8000; do
		for a in snow3g-eea1 zuc-eea3 "ctr(aes-generic)" "ctr(aes)"; do
			run bare "$a" "$z" "$(n "$z")"
		done
	done
fi

# RX with more senders (1400 octets, aes-gcm-128): up to 256 have a state;
# past that, frames of senders with none are refused (timed apart).
link pcb0 0x42 aes-gcm-128
for n in $SENDERS; do
	run rx pcb0 1400 "$N" "$n"
done
ip link del pcb0

# RX with more links on the lower device: the measured link is the last
# one on the port's list, which find_link() walks.
made=0
for l in $LINKS; do
	while [ $made -lt $((l - 1)) ]; do
		"$PC5CTL" link add "pcf$made" link bd0 group $((0x1000 + made)) \
			member 1 cipher aes-gcm-128
		made=$((made + 1))
	done
	link pcb0 0x42 aes-gcm-128
	run rx pcb0 1400 "$N" 1
	ip link del pcb0
done
