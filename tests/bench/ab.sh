#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 1500
#
# Before/after of a change to the packet path, in one boot: micro.sh's TX
# and RX figures (BENCH_AB=1) with module A, then B, then A and B again,
# each a bench build (CONFIG_PC5SEC_BENCH). Not part of make bench; run by
# hand, the modules built beforehand:
#   LAB_TESTDIR=tests/bench LAB_OUT=build/bench/ab tests/lab/run ab
# A and B (paths under the checkout) as below, or set in
# tests/bench/ab.conf. Output: $LAB_OUT/ab-{A,B}{1,2}.txt.
. "$LAB_TOP/tests/lab/lib.sh"
A=build/ab-before/module/pc5sec.ko
B=build/bench/module/pc5sec.ko
# shellcheck source=/dev/null
[ -f "$LAB_TOP/tests/bench/ab.conf" ] && . "$LAB_TOP/tests/bench/ab.conf"
modprobe dummy
modprobe -qa $(cat /sys/devices/system/cpu/modalias) 2>/dev/null || true
for round in 1 2; do
	for v in A B; do
		ko=${!v}
		insmod "$LAB_TOP/$ko"
		BENCH_AB=1 bash "$LAB_TOP/tests/bench/micro.sh" \
			>"$LAB_OUT/ab-$v$round.txt"
		rmmod pc5sec
	done
done
