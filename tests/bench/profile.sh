#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 900
#
# Where pc5sec's packet path spends its time: perf (cpu-clock sampling,
# which works under TCG) over the microbenchmark's tx and rx commands for
# small and large packets. Not part of make bench; run by hand:
#   LAB_TESTDIR=tests/bench LAB_OUT=build/bench/prof tests/lab/run profile
# and read build/bench/prof/profile-*.txt.
. "$LAB_TOP/tests/lab/lib.sh"
KO=${BENCH_KO:-$LAB_TOP/build/bench/module/pc5sec.ko}
B=/sys/kernel/debug/pc5sec/bench
insmod "$KO"
modprobe dummy
modprobe -qa $(cat /sys/devices/system/cpu/modalias) 2>/dev/null || true
key=$(pgk_file 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f)
ip link add bd0 mtu 9100 type dummy
ip link set bd0 up
trap 'ip link del bd0 2>/dev/null || true' EXIT
echo 0 >/proc/sys/kernel/kptr_restrict
for s in ${PROFILE_SUITES:-eea2 aes-gcm-128}; do
	"$PC5CTL" link add pcb0 link bd0 group 0x42 member 1 cipher "$s"
	"$PC5CTL" key add pcb0 pgk-id 0x21 ptk-start 0 key-file "$key"
	ip link set pcb0 up
	for cmd in "tx pcb0 64 20000" "rx pcb0 64 20000 1" "tx pcb0 1400 3000" \
		"rx pcb0 1400 3000 1"; do
		f=$LAB_OUT/profile-$s-${cmd// /_}
		perf record -q -e cpu-clock -F 2000 -a -g -o /tmp/perf.data -- \
			sh -c "echo '$cmd' >$B" 2>/dev/null
		cat $B >"$f.txt"
		perf report -i /tmp/perf.data --stdio --no-children \
			--sort symbol -g none --percent-limit 0.7 2>/dev/null |
			grep -v '^$' >>"$f.txt"
		perf report -i /tmp/perf.data --stdio --children \
			--sort symbol -g none --percent-limit 3 2>/dev/null |
			grep -v '^$' | sed 's/^/children: /' >>"$f.txt"
	done
	ip link del pcb0
done
