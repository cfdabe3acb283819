#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 600
# lab-lane: debug
#
# The frame fuzzer (tests/fuzz/pc5frames.c) at B's radio: millions of
# hostile frames, mutated from the corpus in tests/fuzz/corpus/frames/,
# at seven links of B on one lower device, one per cipher suite, while B's
# keys roll over (added, removed, all gone, back). Half of the frames come
# through sendmmsg (linear skbs), half through a PACKET_TX_RING, whose
# frames reach the links in page fragments (non-linear skbs).
#
# Then: every frame the fuzzer addressed to a link is accounted for
# there (delivered, an error, or dropped: ip -s link), the ones that were
# malformed whatever the keys, or of a PGK Index never installed, are at
# least in rx_malformed and rx_nokey, no frame was lost on the way, and
# the links still carry A's traffic to B, with exact counters.
#
# FUZZ_SEED (default fixed: the same frames every run) and FUZZ_SECONDS
# (150; 60 on a kernel with kmemleak, where everything is slower) come
# through LAB_ENV: LAB_ENV="FUZZ_SEED=0x1234" make lab TESTS=fuzz-frames
# replays a seed from a log.
. "$LAB_TOP/tests/lab/lib.sh"

SUITES=(eea0 eea2 aes-gcm-128 aes-gcm-256 chacha20-poly1305 eea1 eea3)
# frame-corpus.py's groups, in the same order
GIDS=(0x000050 0x000051 0x000052 0x000053 0x000054 0x000055 0x000056)
LINKS=()
for i in "${!SUITES[@]}"; do LINKS+=("f$i"); done
SEED=${FUZZ_SEED:-0x5c5ec0de}
if [ -e /sys/kernel/debug/kmemleak ]; then
	SECS=${FUZZ_SECONDS:-60}
else
	SECS=${FUZZ_SECONDS:-150}
fi
KEY2=$(pgk_file "$(printf '%064x' 2)")
KEY3=$(pgk_file "$(printf '%064x' 3)")

fresh_ues A B
nsenter_on
KEY=${KEY:-$(pgk_file "$TEST_PGK")}
for i in "${!SUITES[@]}"; do
	for u in A B; do
		m=$([ $u = A ] && echo 1 || echo 2)
		pc5_link $u "f$i" "10.6.$i.$m" group "${GIDS[i]}" member "$m" cipher "${SUITES[i]}"
		on $u "$PC5CTL" key add "f$i" pgk-id 0x21 ptk-start 0 key-file "$KEY"
	done
done

# roll: B's keys, round after round, until killed: a next key (Index 2)
# and another (Index 3), the current one gone, no key at all, the current
# one back. The fuzzer's frames name Indexes 1 to 3 and others: each
# of these states meets thousands of them.
roll() {
	local r=0 l
	while :; do
		for l in "${LINKS[@]}"; do
			on B "$PC5CTL" key add "$l" pgk-id 0x22 ptk-start 0 key-file "$KEY2"
			on B "$PC5CTL" key add "$l" pgk-id 0x23 ptk-start 0 key-file "$KEY"
		done
		sleep 1
		for l in "${LINKS[@]}"; do on B "$PC5CTL" key del "$l" pgk-id 0x21; done
		sleep 1
		for l in "${LINKS[@]}"; do on B "$PC5CTL" key flush "$l"; done
		sleep 1
		for l in "${LINKS[@]}"; do
			on B "$PC5CTL" key add "$l" pgk-id 0x21 ptk-start 0 key-file "$KEY"
		done
		r=$((r + 1))
		echo "$r" >/tmp/rounds
		sleep 1
	done
}

accounted() {
	local i n=0
	for i in "${!SUITES[@]}"; do n=$((n + $(rx_accounted B "f$i"))); done
	echo "$n"
}

step "fuzz: seed $SEED, $SECS s, at B's ${#SUITES[@]} links, keys rolling over"
declare -A before acc_before err_before
for i in "${!SUITES[@]}"; do
	before[f$i]=$(stats B "f$i")
	acc_before[f$i]=$(rx_accounted B "f$i")
	err_before[f$i]=$(rx_accounted B "f$i" errors)
done
acc0=$(accounted)
lost0=$(cat /sys/class/net/air-B/statistics/tx_dropped)
(roll >/tmp/roll.log 2>&1) &
track $!
rollpid=$!
# B's radio, as the fuzzer classifies frames by it (nsenter_on: no /sys of B's)
radio=$(ip -n B -o link show eth0 |
	sed -n 's|.* mtu \([0-9]*\) .*link/ether \([0-9a-f:]*\) .*|\1 \2|p')
read -r mtu mac <<<"$radio"
t0=$(date +%s%N)
"$LAB_TOP/tests/fuzz/pc5frames" -i air-B -s "$SEED" -t "$SECS" \
	-c "$LAB_TOP/tests/fuzz/corpus/frames" -g "$(IFS=,; echo "${GIDS[*]}")" \
	-e "${GIDS[0]}" -M "$mac" -m "$mtu" \
	-o 2 -k 1 -u 0xe >/tmp/fuzz.txt || fail "pc5frames: exit $?"
ms=$((($(date +%s%N) - t0) / 1000000))
kill "$rollpid"
wait "$rollpid" 2>/dev/null || true
cat /tmp/fuzz.txt
declare -A F
while read -r k v rest; do
	[ "$k" = group ] || F[$k]=$v
	[ "$k" = group ] && F[$v]=$rest
done </tmp/fuzz.txt
echo "fuzz: ${F[frames]} frames in $ms ms ($((F[frames] * 1000 / ms)) frames/s), seed $SEED"
[ -s /tmp/roll.log ] && fail "key rollover: $(head -n 5 /tmp/roll.log)"
echo "key rollover: $(cat /tmp/rounds 2>/dev/null || echo 0) rounds"
expect_match "the keys went through every state at least once" "$(cat /tmp/rounds 2>/dev/null)" '^[1-9][0-9]*$'

step "nothing lost on the way"
expect_eq "frames the sender could not send" "${F[send_errors]}" 0
expect_eq "frames dropped from a softnet backlog" "${F[softnet_dropped]}" 0
expect_eq "frames air-B dropped" "$(($(cat /sys/class/net/air-B/statistics/tx_dropped) - lost0))" 0
expect_eq "frames sent, all but those refused" "$((F[sent_mmsg] + F[sent_ring]))" \
	"$((F[frames] - F[refused]))"
[ "${F[ring_two_frags]}" -gt 0 ] || fail "no ring frame crossed a page"

step "every frame addressed to a link is delivered or counted"
total=$((F[link] + F[malformed] + F[nokey] + F[short]))
# Frames waiting for a PEK are still in rx_work's hands for a moment.
expect_soon "frames the links took, over all" "$((acc0 + total))" accounted
for i in "${!SUITES[@]}"; do
	l=f$i
	read -r _ link _ mal _ nokey <<<"${F[${GIDS[i]}]}"
	STATS_BEFORE=${before[$l]}
	declare -A d=()
	for kv in $(stats_delta B "$l"); do d[${kv%%=*}]=${kv#*=}; done
	echo "$l (${SUITES[i]}): fuzzer: link $link malformed $mal nokey $nokey;" \
		"pc5sec: $(for k in rx_packets rx_malformed rx_auth_fail rx_nokey rx_replay rx_own_member; do
			printf '%s %s ' "${k#rx_}" "${d[$k]}"; done)"
	# Each link took what the fuzzer sent it; f0, made first, also every
	# frame too short to name a group (rx.c: the first link of the
	# EtherType counts them).
	acc=$(($(rx_accounted B "$l") - acc_before[$l]))
	expect_eq "$l: frames it took (ip -s link), frames sent to it" "$acc" \
		$((link + (i == 0 ? F[short] : 0)))
	# pc5sec counts why for all but the drops that are only rx_dropped
	# (a failed allocation, a full GRO cell)
	got=$((d[rx_packets] + d[rx_malformed] + d[rx_auth_fail] + d[rx_nokey] + d[rx_replay] + d[rx_own_member] + d[rx_queue_full]))
	echo "$l: took $acc frames, pc5sec counted $got, $((acc - got)) only rx_dropped"
	[ "$got" -le "$acc" ] || fail "$l: pc5sec counted $got frames, the link took $acc"
	expect_eq "$l: rx errors (ip -s link) are rx_malformed + rx_auth_fail" \
		"$(($(rx_accounted B "$l" errors) - err_before[$l]))" "$((d[rx_malformed] + d[rx_auth_fail]))"
	[ "${d[rx_malformed]}" -ge "$mal" ] || fail "$l: rx_malformed ${d[rx_malformed]}, under the $mal malformed frames"
	[ "${d[rx_nokey]}" -ge "$nokey" ] || fail "$l: rx_nokey ${d[rx_nokey]}, under the $nokey frames of unknown Indexes"
	case ${SUITES[i]} in
	eea0) [ "${d[rx_packets]}" -gt 0 ] || fail "$l: no fuzz frame delivered" ;;
	aes-* | chacha*) [ "${d[rx_auth_fail]}" -gt 0 ] || fail "$l: no frame failed authentication" ;;
	esac
	[ "${d[rx_own_member]}" -gt 0 ] || [ "${SUITES[i]}" != eea0 ] ||
		fail "$l: no frame in B's own name counted"
done

step "afterwards: A's traffic reaches B on every link, counted exactly"
for i in "${!SUITES[@]}"; do
	for u in A B; do
		on $u "$PC5CTL" key flush "f$i"
		on $u "$PC5CTL" key add "f$i" pgk-id 0x24 ptk-start 0 key-file "$KEY3"
	done
done
for i in "${!SUITES[@]}"; do
	recv_bg B $((7000 + i)) "/tmp/real$i.txt"
	STATS_BEFORE=$(stats B "f$i")
	send A "10.6.$i.2" $((7000 + i)) REAL 5
	expect_soon "f$i (${SUITES[i]}): B got A's five datagrams" 5 "lines /tmp/real$i.txt"
	expect_stats "f$i (${SUITES[i]}): five packets, nothing else" B "f$i" \
		rx_packets=5 rx_bytes=$((5 * (28 + 6)))	# REAL-0 ...
done
echo "fuzz-frames: ${F[frames]} frames in $((ms / 1000)) s, seed $SEED"
