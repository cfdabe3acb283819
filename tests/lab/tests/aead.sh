#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 300
#
# The AEAD suites (aes-gcm-128, aes-gcm-256, chacha20-poly1305), each in
# turn on A and B: MTU = lower MTU - 28; ping (full-size), UDP and TCP
# work; the air carries Data fields exactly 16 octets longer than the SDU,
# which Python's cryptography package opens with a PEK it derives itself,
# and never the plaintext. Forged frames (a bit flipped in the ciphertext,
# the SN, the reserved nibble or the tag; a sender never seen) count
# rx_auth_fail exactly, and one with a far-future PTK Identity, out of
# reach, rx_replay; they deliver nothing, move no
# replay window and use up no COUNT: afterwards the genuine frame they
# were made from is delivered once (then rx_replay), A's next frames are
# delivered, and so is a frame Python seals for the forged sender ID.
#
# Under TCG every process costs (ip netns exec ~0.8 s, python3 seconds,
# importing cryptography ~10 s): one tools/aead.py serves every crypto
# operation and injection, and checks run in bash.
. "$LAB_TOP/tests/lab/lib.sh"

PGK=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
T0=${EPOCHREALTIME/./}
step() { echo "== [$(((${EPOCHREALTIME/./} - T0) / 1000)) ms] $*"; }

# This test needs only the UEs' network namespaces, not their view of
# /sys (which ip netns exec remounts for every command).
nsenter_on

# stats UE [LINK]: as lib.sh's (without tx_queued and rx_queued), in
# bash alone (no sort, no paste)
stats() {
	local j kv i n
	local -a kvs=()
	j=$(on "$1" "$PC5CTL" -j show "${2:-pc5}")
	[[ $j =~ \"stats\":\{([^\}]*)\} ]] || fail "no stats in: $j"
	j=${BASH_REMATCH[1]//\"/}
	for kv in ${j//,/ }; do
		kv=${kv/:/=}
		case ${kv%%=*} in tx_queued | rx_queued) continue ;; esac
		for ((i = ${#kvs[@]}; i > 0; i--)); do
			[[ ${kvs[i - 1]%%=*} > ${kv%%=*} ]] || break
			kvs[i]=${kvs[i - 1]}
		done
		kvs[i]=$kv
	done
	echo "${kvs[*]}"
}

fresh_ues A B
key=$(pgk_file $PGK)
# The crypto helper imports while the rest starts.
coproc SRV { exec python3 "$LAB_TOP/tests/lab/tools/aead.py" --pgk $PGK serve; }
track "$SRV_PID"
recv_bg B 5000 /tmp/b.txt


# inj FRAME...: hex frames into B (only B hears them), in order
inj() {
	expect_eq "injected" "$(srv inject air-B "$@")" "sent $#"
}

# await_stats: expect_stats, once the changes have shown (up to 5 s; the
# totals at the end of each suite catch anything that comes later). The
# counters it last read are left in $STATS_NOW.
await_stats() {
	local i
	for ((i = 0; i < 25; i++)); do
		STATS_NOW=$(stats "$2" "$3")
		(stats() { echo "$STATS_NOW"; }; expect_stats "$@") 2>/dev/null && return 0
		sleep 0.2
	done
	expect_stats "$@"
}

# usend UE ADDR MESSAGE COUNT: UDP datagrams MESSAGE-0... to ADDR:5000,
# as udp.py sends them, from bash
usend() {
	# shellcheck disable=SC2016
	on "$1" bash -c 'for ((i = 0; i < $3; i++)); do
		printf %s "$2-$i" >"/dev/udp/$1/5000"; done' _ "$2" "$3" "$4"
}

# received [PREFIX]: how many datagrams B's application got (that start
# with PREFIX)
received() {
	local l n=0
	while IFS= read -r l; do
		[[ $l == "${1:-}"* ]] && n=$((n + 1))
	done </tmp/b.txt
	echo $n
}

# await_received N: until B's application has received N datagrams in all
await_received() {
	local i
	for ((i = 0; i < 25; i++)); do
		[ "$(received)" = "$1" ] && return 0
		sleep 0.2
	done
	expect_eq "datagrams B's application received in all" "$(received)" "$1"
}

# flip HEX OCTET MASK: the frame with octet OCTET (0 = first octet of the
# Ethernet header) XORed with MASK
flip() {
	printf '%s%02x%s' "${1:0:$(($2 * 2))}" $((0x${1:$(($2 * 2)):2} ^ $3)) "${1:$(($2 * 2 + 2))}"
}

# only STATS NAME...: the named counters of a stats line, in its order
only() {
	local kv out=() k
	for kv in $1; do
		for k in "${@:2}"; do [ "${kv%%=*}" = "$k" ] && out+=("$kv"); done
	done
	echo "${out[*]}"
}

n_rx=0	# datagrams B's application has received so far

suite() {
	local s=$1 full=$2 u m sdu mtu early after sealed want air early1 last f i msg line
	local -a forged
	msg="AEAD-MARKER-$s"
	sdu=$((28 + ${#msg} + 2))		# UDP/IPv4 + "$msg-i"
	early=$((28 + 6 + ${#s} + 2))		# "EARLY-$s-i"
	after=$early				# "AFTER-$s-i"
	sealed=$((28 + 7 + ${#s}))		# "SEALED-$s"

	step "$s: links, MTU"
	for u in A B; do
		m=1
		[ $u = A ] || m=2
		# lib.sh's pc5, key add and the MTUs in one shell (fewer processes)
		# shellcheck disable=SC2016
		mtu=$(on $u bash -c '"$1" link add pc5 link eth0 group "$2" member "$3" cipher "$4" &&
			echo 1 >/proc/sys/net/ipv6/conf/pc5/disable_ipv6 &&
			ip addr add "10.5.0.$3/24" dev pc5 && ip link set pc5 up &&
			"$1" key add pc5 pgk-id 0x21 ptk-start 0 key-file "$5" && ip -o link show' \
			_ "$PC5CTL" "$GROUP" $m "$s" "$key") || fail "$s: link on $u"
		[[ $mtu =~ \ eth0@[^\ ]*\ .*\ mtu\ ([0-9]+).*\ pc5@eth0:\ .*\ mtu\ ([0-9]+) ]] ||
			fail "no MTUs in: $mtu"
		expect_eq "$u: lower MTU, link MTU (lower - 12 - 16)" \
			"${BASH_REMATCH[1]} ${BASH_REMATCH[2]}" "1500 1472"
	done
	expect_fail "a 1473-octet packet does not fit" \
		on A ping -c 1 -W 1 -M "do" -s 1445 10.5.0.2 >/dev/null 2>&1

	step "$s: 2 datagrams B does not hear (link down), a full-size ping, 10 datagrams; captured"
	capture_start "/tmp/$s.pcap"
	on B ip link set pc5 down
	usend A 10.5.0.2 "EARLY-$s" 2
	on B ip link set pc5 up
	expect "A pings B with 1472-octet packets" \
		on A ping -c 2 -W 3 -M "do" -s 1444 10.5.0.2 >/dev/null
	usend A 10.5.0.2 "$msg" 10
	capture_stop
	await_received $((n_rx += 10))
	for i in 0 1 2 3 4 5 6 7 8 9; do
		expect_eq "B's application got $msg-$i once" "$(received "$msg-$i")" 1
	done
	expect_eq "B's counters" "$(stats B)" \
		"rx_auth_fail=0 rx_bytes=$((2 * 1472 + 10 * sdu)) rx_malformed=0 rx_nokey=0 rx_own_member=0 rx_packets=12 rx_queue_full=0 rx_replay=0 tx_bytes=$((2 * 1472)) tx_nokey=0 tx_packets=2 tx_ptk_exhausted=0 tx_queue_full=0"
	expect_eq "A's counters" "$(stats A)" \
		"rx_auth_fail=0 rx_bytes=$((2 * 1472)) rx_malformed=0 rx_nokey=0 rx_own_member=0 rx_packets=2 rx_queue_full=0 rx_replay=0 tx_bytes=$((2 * early + 2 * 1472 + 10 * sdu)) tx_nokey=0 tx_packets=14 tx_ptk_exhausted=0 tx_queue_full=0"

	step "$s: the air, opened independently (Python, PEK derived from the PGK)"
	air=$(srv open "/tmp/$s.pcap" "$s" "$msg" 1:1 1:13)
	while read -r line; do echo "${line:0:100}"; done <<<"$air"
	want="1 0 0 $((early + 16)) $early
1 0 1 $((early + 16)) $early
1 0 2 1488 1472
1 0 3 1488 1472"
	for i in 4 5 6 7 8 9 10 11 12 13; do want+=$'\n'"1 0 $i $((sdu + 16)) $sdu"; done
	want+=$'\n'"2 0 0 1488 1472"$'\n'"2 0 1 1488 1472"
	want+=$'\n'"frames 16 opened 16 marker-air 0 marker-sdu 10"
	expect_eq "every frame (sender, PTK Identity, SN, Data field = SDU + 16) opens; the marker is in the SDUs only" \
		"${air%%$'\n'pick*}" "$want"
	[[ $air =~ pick\ 1:1\ ([0-9a-f]+) ]] || fail "no frame COUNT 1"
	early1=${BASH_REMATCH[1]}
	[[ $air =~ pick\ 1:13\ ([0-9a-f]+) ]] || fail "no frame COUNT 13"
	last=${BASH_REMATCH[1]}
	expect_eq "A's frames picked: COUNT 1 and 13" "${early1:44:8} ${last:44:8}" "00000001 0000000d"
	expect_eq "the length of COUNT 1" "${#early1}" $(((14 + 12 + early + 16) * 2))

	step "$s: forged from COUNT 1 (B never saw it): one rx_auth_fail each, or rx_replay when out of reach"
	i=$((${#early1} / 2))
	forged=(
		"$(flip "$early1" 31 0x01)"			# ciphertext, Data octet 5
		"$(flip "$early1" 24 0x80)"			# SN MSB: COUNT 0x8001
		"$(flip "$early1" 14 0x01)"			# reserved nibble (AAD)
		"$(flip "$early1" $((i - 1)) 0x01)"		# tag, last octet
		"${early1:0:44}0100${early1:48}"		# PTK Identity 0x100
		"${early1:0:30}000077${early1:36:12}8000${early1:52:$((early * 2))}$(printf '%032d' 0)"
	)
	expect_eq "the SN-flipped frame's COUNT" "${forged[1]:44:8}" 00008001
	expect_eq "the far-future frame's COUNT" "${forged[4]:44:8}" 01000001
	expect_eq "the new sender's ID, COUNT, tag" \
		"${forged[5]:30:6} ${forged[5]:44:8} ${forged[5]: -32}" \
		"000077 00008000 00000000000000000000000000000000"
	STATS_NOW=$(stats B)
	if [ "$full" = full ]; then
		for n in "${!forged[@]}"; do
			f=${forged[$n]}
			expect_eq "forged frame: same length" "${#f}" "${#early1}"
			STATS_BEFORE=$STATS_NOW
			inj "$f"
			if [ "$n" = 4 ]; then
				# 256 PTK Identities past what A has proved: refused
				# before anything is derived or deciphered
				await_stats "$s: forged ${f:28:24}: out of reach, one rx_replay" B pc5 rx_replay=1
			else
				await_stats "$s: forged ${f:28:24}: one rx_auth_fail" B pc5 rx_auth_fail=1
			fi
		done
	else
		STATS_BEFORE=$STATS_NOW
		inj "${forged[@]}"
		await_stats "$s: six forged frames: five rx_auth_fail, one out of reach" \
			B pc5 rx_auth_fail=5 rx_replay=1
	fi
	STATS_BEFORE=$STATS_NOW
	inj "${forged[@]}"
	await_stats "$s: all six again: the same (none moved a window)" \
		B pc5 rx_auth_fail=5 rx_replay=1
	echo "B's PGK rx_packets after the forgeries: $(key_fields B rx_packets) (link: $(cnt B rx_packets))"

	step "$s: no window moved, no COUNT used up: genuine frames still pass"
	STATS_BEFORE=$STATS_NOW
	inj "$early1"
	await_stats "$s: the genuine COUNT 1 is delivered" B pc5 rx_packets=1 rx_bytes=$early
	STATS_BEFORE=$STATS_NOW
	inj "$early1" "$last"
	await_stats "$s: COUNT 1 and 13 again: rx_replay" B pc5 rx_replay=2
	STATS_BEFORE=$STATS_NOW
	usend A 10.5.0.2 "AFTER-$s" 3
	await_stats "$s: A's next frames (COUNT 14..16) are delivered" B pc5 \
		rx_packets=3 rx_bytes=$((3 * after))
	STATS_BEFORE=$STATS_NOW
	f=$(srv seal "$s" 0x77 5 "10.5.0.119,10.5.0.2,5000,SEALED-$s")
	f=${f#seal }
	expect_eq "the sealed frame: sender 0x77, COUNT 5" "${f:30:6} ${f:44:8}" "000077 00000005"
	inj "$f"
	await_stats "$s: a genuine frame of sender 0x77 at COUNT 5 is delivered" B pc5 \
		rx_packets=1 rx_bytes=$sealed
	await_received $((n_rx += 5))
	expect_eq "$s: B's application got these, no forgery" \
		"$(received "$msg") $(received "EARLY-$s") $(received "AFTER-$s") $(received "SEALED-$s")" \
		"10 1 3 1"
	sleep 0.5
	expect_eq "$s: B's totals" "$(stats B)" \
		"rx_auth_fail=10 rx_bytes=$((2 * 1472 + 10 * sdu + early + 3 * after + sealed)) rx_malformed=0 rx_nokey=0 rx_own_member=0 rx_packets=17 rx_queue_full=0 rx_replay=4 tx_bytes=$((2 * 1472)) tx_nokey=0 tx_packets=2 tx_ptk_exhausted=0 tx_queue_full=0"

	step "$s: TCP (iperf3, 2 s)"
	iperf_server B
	expect "iperf3 TCP over $s" on A iperf3 -c 10.5.0.2 -t 2 -J >"/tmp/tcp-$s.json"
	f=$(jq .end.sum_received.bytes "/tmp/tcp-$s.json")
	echo "$s: TCP: $f bytes received"
	[ "$f" -gt 0 ] || fail "$s: TCP received $f bytes"
	expect_eq "$s: after TCP, B's drop counters" \
		"$(only "$(stats B)" rx_auth_fail rx_malformed rx_nokey rx_replay)" \
		"rx_auth_fail=10 rx_malformed=0 rx_nokey=0 rx_replay=4"
	on A ip link del pc5
	on B ip link del pc5
}

# Every forgery one by one with the first suite; the others share the
# code path (KUnit flips every bit of a frame for each suite).
suite aes-gcm-128 full
suite aes-gcm-256 batch
suite chacha20-poly1305 batch
step "done"
