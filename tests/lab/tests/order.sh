#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 400
#
# Per-sender order through the parallel path (issue 18). First, with the
# module's default, which packets go to the workers: 1000-octet pings do
# under every suite that ciphers (128-EEA2 too), 56-octet ones and EEA0's
# do not. Then, with
# parallel_min_len 0 every packet of a link is ciphered on the CPUs'
# workers (the lab has 2 vCPUs), and TX must still transmit in COUNT
# order and RX deliver each sender's frames in the order they arrived.
# A and B each send C numbered datagrams as fast as their sockets take
# them while C sends A its own, at once, first over 128-EEA2 (ctr(aes), an
# skcipher) and then over AES-GCM-128 (an AEAD). Then:
#
# - each receiver got each sender's datagrams in increasing order, none
#   twice (the air, a bridge, keeps a sender's order);
# - every datagram a sender's application sent is a transmitted frame
#   or in the link's tx_dropped (a full queue drops and counts);
# - every frame a receiver's radio took is a delivered packet or in its
#   link's rx_dropped, with no replay, malformed or failed frame;
# - C's application got exactly the packets its link delivered (its
#   socket drops nothing);
# - the workers ciphered them: each sender's tx_queued + tx_queue_full
#   is every datagram, and a receiver's rx_queued is every frame but
#   those that waited for their sender's PEK (at most 256 a sender).
. "$LAB_TOP/tests/lab/lib.sh"

N=${ORDER_COUNT:-3000}
SIZE=1000
PARAM=/sys/module/pc5sec/parameters/parallel_min_len
SEQ=$LAB_TOP/tests/lab/tools/seq.py

load_pc5sec
[ "$(nproc)" -ge 2 ] || fail "the parallel path needs 2 CPUs, the guest has $(nproc)"
for u in A B C; do ue $u; done
key=$(pgk_file 202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f)

# policy SUITE QUEUED: which packets the module's default sends to the
# workers (parallel_min_len 256, 2 CPUs; parallel.c, inline_cheaper).
# A 56-octet ping each way first, so that each side has the other's PEK
# (a sender's first frame is deciphered by rx_work, rx.c, and counts in
# neither); ciphered where it is: shorter than 256, nothing in flight.
# Then 3 pings of 1000 octets: QUEUED of them on the workers, each way.
policy() {
	local suite=$1 queued=$2 u
	step "$suite, the default: 1000-octet pings on the workers: $queued"
	for u in A B; do
		on $u ip link del pc5 2>/dev/null || true
	done
	pc5 A 1 cipher "$suite"
	pc5 B 2 cipher "$suite"
	for u in A B; do
		on $u "$PC5CTL" key add pc5 pgk-id 0x31 ptk-start 0 key-file "$key"
	done
	expect "$suite: a 56-octet ping" on A ping -c 1 -W 5 10.5.0.2 >/dev/null
	for u in A B; do
		expect_eq "$suite: $u's tx_queued after the short ping" "$(cnt $u tx_queued)" 0
	done
	expect "$suite: 3 pings of 1000 octets" \
		on A ping -c 3 -i 0.2 -W 5 -s 1000 10.5.0.2 >/dev/null
	for u in A B; do
		expect_eq "$suite: $u's tx_queued" "$(cnt $u tx_queued)" "$queued"
		expect_eq "$suite: $u's rx_queued" "$(cnt $u rx_queued)" "$queued"
	done
	for u in A B; do
		on $u ip link del pc5
	done
}
expect_eq "parallel_min_len, the default" "$(cat $PARAM)" 256
policy eea0 0
policy eea2 3
policy aes-gcm-128 3

expect "every packet goes to the workers" sh -c "echo 0 >$PARAM"
expect_eq "parallel_min_len" "$(cat $PARAM)" 0
# The radios' backlog, so that the air itself loses little
sysctl -qw net.core.netdev_max_backlog=20000

# rx_in UE: every frame UE's radio took (its links carry nothing else)
rx_in() {
	link_stat "$1" eth0 rx.packets
}

# one SUITE: the three links on SUITE, the traffic, the checks
one() {
	local suite=$1 u m out before_a before_c txa txb txc got
	step "$suite: A and B send C $N numbered datagrams each, C sends A $N"
	for u in A B C; do
		on $u ip link del pc5 2>/dev/null || true
	done
	m=1
	for u in A B C; do
		pc5 $u $m cipher "$suite"
		on $u "$PC5CTL" key add pc5 pgk-id 0x31 ptk-start 0 key-file "$key"
		m=$((m + 1))
	done
	before_a=$(rx_in A)
	before_c=$(rx_in C)
	on C python3 "$SEQ" recv 6000 3 >/tmp/c.json &
	on A python3 "$SEQ" recv 6001 3 >/tmp/a.json &
	wait_for 30 "receivers ready" 'grep -q ready /tmp/c.json && grep -q ready /tmp/a.json'
	on A python3 "$SEQ" send 10.5.0.3 6000 A "$N" $SIZE >/tmp/a.sent &
	txa=$!
	on B python3 "$SEQ" send 10.5.0.3 6000 B "$N" $SIZE >/tmp/b.sent &
	txb=$!
	on C python3 "$SEQ" send 10.5.0.1 6001 C "$N" $SIZE >/tmp/c.sent &
	txc=$!
	wait $txa $txb $txc
	wait_for 60 "C's receiver done" '[ "$(lines /tmp/c.json)" -ge 2 ]'
	wait_for 60 "A's receiver done" '[ "$(lines /tmp/a.json)" -ge 2 ]'
	for u in a b c; do
		expect_eq "$u's socket took every datagram" "$(cat /tmp/$u.sent)" "$N"
	done

	out=$(python3 - /tmp/c.json /tmp/a.json "$N" <<'PY'
import json, sys
c = json.loads(open(sys.argv[1]).read().splitlines()[1])
a = json.loads(open(sys.argv[2]).read().splitlines()[1])
n = int(sys.argv[3])
bad = []
for who, got, senders in (("C", c, "AB"), ("A", a, "C")):
    for s in senders:
        t = got.get(s, {"received": 0, "out_of_order": 0, "duplicates": 0})
        print(f"{who} from {s}: {t['received']} of {n}, out of order "
              f"{t['out_of_order']}, duplicates {t['duplicates']}")
        if t["out_of_order"] or t["duplicates"]:
            bad.append(f"{who} from {s}: {t}")
    print(f"{who}_total={sum(t['received'] for t in got.values())}")
for b in bad:
    print("BAD " + b)
PY
)
	echo "$out"
	grep -q '^BAD' <<<"$out" && fail "$suite: a receiver saw a sender's datagrams out of order"

	for u in A B C; do
		expect_eq "$suite: $u sent = tx_packets + tx_dropped" \
			$(( $(cnt $u tx_packets) + $(devstat $u pc5 tx_dropped) )) "$N"
		expect_eq "$suite: $u no tx_nokey" "$(cnt $u tx_nokey)" 0
		# parallel_min_len 0: no packet was ciphered inline
		expect_eq "$suite: $u sent = tx_queued + tx_queue_full" \
			$(( $(cnt $u tx_queued) + $(cnt $u tx_queue_full) )) "$N"
		[ "$(cnt $u tx_queue_full)" -le "$(devstat $u pc5 tx_dropped)" ] ||
			fail "$suite: $u tx_queue_full $(cnt $u tx_queue_full) not in tx_dropped $(devstat $u pc5 tx_dropped)"
	done
	for u in A C; do
		local in before
		before=$before_c
		[ $u = A ] && before=$before_a
		in=$(( $(rx_in $u) - before ))
		expect_eq "$suite: $u's radio frames = rx_packets + rx_dropped" \
			"$in" $(( $(cnt $u rx_packets) + $(devstat $u pc5 rx_dropped) ))
		for c in rx_replay rx_malformed rx_auth_fail rx_nokey; do
			expect_eq "$suite: $u $c" "$(cnt $u $c)" 0
		done
		# Every frame went to the workers, but those that waited for
		# their sender's PEK (deciphered in rx_work, rx.c).
		echo "$suite: $u: radio $in, rx_queued $(cnt $u rx_queued), rx_queue_full $(cnt $u rx_queue_full)"
		[ $(( $(cnt $u rx_queued) + $(cnt $u rx_queue_full) )) -le "$in" ] ||
			fail "$suite: $u queued more frames than its radio took"
		[ "$(cnt $u rx_queued)" -ge $(( in - $(cnt $u rx_queue_full) - 2 * 256 )) ] ||
			fail "$suite: $u: only $(cnt $u rx_queued) of $in frames on the workers"
		[ "$(cnt $u rx_queue_full)" -le "$(devstat $u pc5 rx_dropped)" ] ||
			fail "$suite: $u rx_queue_full not in rx_dropped"
	done
	got=$(sed -n 's/^C_total=//p' <<<"$out")
	expect_eq "$suite: C's application got what its link delivered" \
		"$got" "$(cnt C rx_packets)"
	# A's link also delivers B's datagrams for C (the air floods the
	# group), which A's IP drops: only C's count is exact this way.
	# Most of it must have arrived, or the order says little.
	[ "$(cnt C rx_packets)" -ge $((N / 2)) ] ||
		fail "$suite: C delivered only $(cnt C rx_packets) of $((2 * N))"
}

one eea2
one aes-gcm-128
