#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 900
# lab-lane: debug
#
# Teardown races (issue 13): while UDP flows both ways between two UEs and
# PGKs come, expire and hit their PTK limit, tear things down, round after
# round (tools/race.py: delete the links; delete the lower device; move the
# lower to another netns and back; delete the receiver's netns; rmmod with
# links up; change the suite; flush the keys). The first half of the time
# runs on the kernel's synchronous ciphers; the second with every cipher
# pc5sec uses made asynchronous (tools/asyncalg.py: cryptd, and pcrypt for
# the AEADs on Debian's kernel), so that
# completions arrive after the device they belong to is gone. A step that
# hangs fails the test; the runner fails it on any kernel report (on the
# debug kernel: KASAN, kmemleak, lockdep, refcount trackers). Last, fresh
# links carry 2000 datagrams, every one exactly once.
#
# RACE_SECONDS (default 100; 60 on the debug kernel) bounds each half;
# RACE_ROUNDS, when set, runs that many rounds per half instead.
. "$LAB_TOP/tests/lab/lib.sh"

nsenter_on
secs=${RACE_SECONDS:-100}
[ -e /sys/kernel/debug/kmemleak ] && secs=${RACE_SECONDS:-60}
KO=$LAB_TOP/${LAB_KO:-module/pc5sec.ko}
race() {
	expect "the races run their rounds" \
		python3 "$LAB_TOP/tests/lab/tools/race.py" "$KO" "$secs" "${RACE_ROUNDS:--}"
}

fresh_ues A B
ip netns add X
for u in A B; do
	to=10.5.0.2
	[ $u = B ] && to=10.5.0.1
	on $u python3 "$LAB_TOP/tests/lab/tools/udp.py" blast $to 9 3600 500 >/dev/null &
	track $!
done

step "the races, synchronous ciphers"
race

step "the races, ciphers asynchronous"
# ctr(aes) first: a better ctr(aes) arriving later would tear down every
# instance built on the old one (crypto_alg_tested), pcrypt(gcm) included.
ASYNC=("cryptd ctr(aes) skcipher")
# The AEADs: cryptd's AEAD hands the request to its child's tfm, which the
# crypto manager's self-test refuses (Debian's kernel runs it; the debug
# kernel, like KUnit's, does not), and pcrypt's padata trips lockdep on 6.1
# (padata_do_serial nests two pd_list locks of one class; no pc5sec frame
# in the report): cryptd on the debug kernel, pcrypt on Debian's.
if [ -e /sys/kernel/debug/kmemleak ]; then
	ASYNC+=("cryptd gcm(aes) aead" "cryptd rfc7539(chacha20,poly1305) aead")
else
	ASYNC+=("pcrypt gcm(aes) aead" "pcrypt rfc7539(chacha20,poly1305) aead")
fi
for a in "${ASYNC[@]}"; do
	# shellcheck disable=SC2086
	python3 "$LAB_TOP/tests/lab/tools/asyncalg.py" on $a
done
# Links made from here on are asynchronous: prove it on one.
pc5_pair cipher eea2
add_test_pgk A 1
refs() {
	awk -v n="$1" -v t="$2" '/^name/ { name = $3 } /^driver/ { d = $3 }
		/^refcnt/ && name == n && index(d, t "(") == 1 { print $3 }' /proc/crypto
}
refs0=$(refs 'ctr(aes)' cryptd)
add_test_pgk B 1
send A 10.5.0.2 5000 WARMUP 3
refs1=$(refs 'ctr(aes)' cryptd)
echo "cryptd ctr(aes) refcnt: $refs0, $refs1 after B's PGK"
[ "${refs1:-0}" -gt "${refs0:-0}" ] ||
	fail "pc5sec's ctr(aes) does not go through cryptd: $(grep -A4 'driver.*cryptd' /proc/crypto)"
on A "$PC5CTL" link del pc5
on B "$PC5CTL" link del pc5
race

step "after the races: fresh links carry every datagram exactly once"
kill_tracked	# and the radios: fresh UEs below
BG_PIDS=()
ip -all netns delete
for a in "${ASYNC[@]}"; do
	# shellcheck disable=SC2086
	python3 "$LAB_TOP/tests/lab/tools/asyncalg.py" off ${a% *}
done
fresh_ues A B
eea2_pair
expect "2000 datagrams A to B, each once" \
	python3 "$LAB_TOP/tests/lab/tools/flood.py" A B 10.5.0.2 5000 2000
expect_eq "B's rx_packets" "$(stat B rx_packets)" 2000
expect_eq "A's tx_packets" "$(stat A tx_packets)" 2000
echo ok
