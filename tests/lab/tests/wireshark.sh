#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 300
# lab-check: long
#
# The air as Wireshark shows it. A and B talk in seven groups at once, one
# per suite, each with its own PGK: A pings B, A sends B three datagrams,
# B sends A two; tcpdump captures the air. tshark, with this tree's pc5sec
# dissector (userspace/wireshark/pc5shark) and the seven PGKs, decodes
# every frame: group, sender, PGK ID, PTK Identity, SN and suite as they
# were sent, and inside the ICMP echoes and the UDP datagrams with the
# payloads the applications sent (which B's and A's applications got,
# exactly once each). With every PGK wrong, no inner packet decodes (eea0
# aside, which has none to be wrong) and every frame says why; the PGKs
# appear nowhere in tshark's -V -x output. make check builds the plugin
# (make check-wireshark) before the lab runs.
. "$LAB_TOP/tests/lab/lib.sh"

SHARK=$LAB_TOP/userspace/wireshark/pc5shark
SUITES=(eea0 eea1 eea2 eea3 aes-gcm-128 aes-gcm-256 chacha20-poly1305)
[ -f "$LAB_TOP/userspace/wireshark/build/pc5sec.so" ] ||
	fail "no dissector plugin: make wireshark (make check builds it)"
T0=${EPOCHREALTIME/./}
step() { echo "== [$(((${EPOCHREALTIME/./} - T0) / 1000)) ms] $*"; }

nsenter_on
fresh_ues A B
recv_bg B 5000 /tmp/b.txt
recv_bg A 5001 /tmp/a.txt

# hex STRING: its octets in lower-case hex, as tshark prints udp.payload
hex() {
	local s=$1 i out=""
	for ((i = 0; i < ${#s}; i++)); do printf -v out '%s%02x' "$out" "'${s:i:1}"; done
	echo "$out"
}

# usend UE ADDR PORT MESSAGE COUNT: datagrams MESSAGE-0... from bash
usend() {
	# shellcheck disable=SC2016
	on "$1" bash -c 'for ((i = 0; i < $4; i++)); do
		printf %s "$3-$i" >"/dev/udp/$1/$2"; done' _ "$2" "$3" "$4" "$5"
}

# Suite k: link wsK, group 0x0000bK, PGK ID 0x21 + K (PGK Index K + 1),
# 10.6.K.0/24, PGK = SHA-256 of the suite's name.
keys=()
wrong=()
want=""
step "seven links, one per suite, each with its own PGK"
for k in "${!SUITES[@]}"; do
	s=${SUITES[k]}
	pgk[k]=$(printf %s "$s" | sha256sum | cut -c1-64)
	f=$(pgk_file "${pgk[k]}")
	for u in A B; do
		m=1
		[ $u = A ] || m=2
		pc5_link $u ws$k 10.6.$k.$m group 0xb$k member $m cipher "$s"
		on $u "$PC5CTL" key add ws$k pgk-id $((0x21 + k)) ptk-start 0 key-file "$f"
	done
	keys+=(-o "uat:pc5sec_keys:\"0000b$k\",\"$((0x21 + k))\",\"${pgk[k]}\",\"$s\"")
	wrong+=(-o "uat:pc5sec_keys:\"0000b$k\",\"$((0x21 + k))\",\"$(tr 0-9a-f 1-9a-f0 <<<"${pgk[k]}")\",\"$s\"")
done

step "the air captured: per suite a ping from A, 3 datagrams A->B, 2 B->A"
capture_start /tmp/air.pcap
for k in "${!SUITES[@]}"; do
	s=${SUITES[k]}
	expect "$s: A pings B" on A ping -c 1 -W 3 10.6.$k.2 >/dev/null
	usend A 10.6.$k.2 5000 "WS-$s-A" 3
	usend B 10.6.$k.1 5001 "WS-$s-B" 2
	# what tshark must show, sorted as below: group, sender, PGK ID,
	# PTK Identity, SN, suite; inner source, destination, ICMP type,
	# UDP port, UDP payload
	g=0x0000b$k a=10.6.$k.1 b=10.6.$k.2 id=$(printf 0x%02x $((0x21 + k)))
	want+="$g	0x000001	$id	0	0	$s	$a	$b	8		"$'\n'
	want+="$g	0x000002	$id	0	0	$s	$b	$a	0		"$'\n'
	for i in 0 1 2; do
		want+="$g	0x000001	$id	0	$((i + 1))	$s	$a	$b		5000	$(hex "WS-$s-A-$i")"$'\n'
	done
	for i in 0 1; do
		want+="$g	0x000002	$id	0	$((i + 1))	$s	$b	$a		5001	$(hex "WS-$s-B-$i")"$'\n'
	done
done
expect_soon "B's application got A's 21 datagrams" 21 'wc -l </tmp/b.txt'
expect_soon "A's application got B's 14 datagrams" 14 'wc -l </tmp/a.txt'
capture_stop
for s in "${SUITES[@]}"; do
	for i in 0 1 2; do
		expect_eq "B got WS-$s-A-$i once" "$(grep -cx "WS-$s-A-$i" /tmp/b.txt)" 1
	done
	for i in 0 1; do
		expect_eq "A got WS-$s-B-$i once" "$(grep -cx "WS-$s-B-$i" /tmp/a.txt)" 1
	done
done
for s in "${SUITES[@]:1}"; do
	if grep -q "WS-$s" /tmp/air.pcap; then fail "WS-$s in clear on the air"; fi
done
grep -q "WS-eea0-A-0" /tmp/air.pcap || fail "eea0 (no ciphering) but no clear text on the air"

step "tshark, with the seven PGKs: every frame decoded and decrypted"
"$SHARK" -r - "${keys[@]}" -Y pc5sec -T fields -E separator=/t \
	-e pc5sec.dst -e pc5sec.src -e pc5sec.key.pgk_id -e pc5sec.ptk_id -e pc5sec.sn \
	-e pc5sec.key.suite -e ip.src -e ip.dst -e icmp.type -e udp.dstport -e udp.payload \
	</tmp/air.pcap >/tmp/fields.txt 2>/tmp/tshark.err || fail "tshark: $(cat /tmp/tshark.err)"
sort /tmp/fields.txt >/tmp/got.txt
printf %s "$want" | sort >/tmp/want.txt
if ! cmp -s /tmp/got.txt /tmp/want.txt; then
	diff /tmp/want.txt /tmp/got.txt | head -20
	fail "tshark's fields differ from what A and B sent ($(wc -l </tmp/got.txt) frames)"
fi
echo "$(wc -l </tmp/got.txt) frames, as sent (group, sender, PGK ID, PTK, SN, suite, inner IP/ICMP/UDP):"
head -3 /tmp/got.txt

step "tshark's summary lines (Info column)"
"$SHARK" -r - "${keys[@]}" -Y 'pc5sec.dst == 0xb4' </tmp/air.pcap >/tmp/lines.txt 2>/tmp/tshark.err ||
	fail "tshark: $(cat /tmp/tshark.err)"
cat /tmp/lines.txt
expect_match "aes-gcm-128's first frame, a decrypted echo request" "$(head -1 /tmp/lines.txt)" \
	'10\.6\.4\.1 (→|->) 10\.6\.4\.2 +ICMP [0-9]+ PC5 grp 0x0000b4 src 0x000001 pgk 5 ptk 0 sn 0 \| Echo \(ping\) request'

step "tshark with every PGK wrong: nothing decrypted, every frame says why"
"$SHARK" -r - "${wrong[@]}" -Y pc5sec -T fields -E separator=/t \
	-e pc5sec.dst -e ip.src -e _ws.expert.message </tmp/air.pcap >/tmp/wrong.txt 2>/tmp/tshark.err ||
	fail "tshark: $(cat /tmp/tshark.err)"
for k in "${!SUITES[@]}"; do
	s=${SUITES[k]}
	case $s in
	eea0) why="" ;;
	aes-* | chacha*) why="authentication failed: no configured key verifies the tag" ;;
	*) why="Not decrypted: no configured key gives a plausible IP packet (wrong PGK or suite?)" ;;
	esac
	if [ "$s" = eea0 ]; then
		n=$(grep -c "^0x0000b$k	10\.6\.$k\.[12]	$" /tmp/wrong.txt || true)
		expect_eq "eea0: its 7 frames decode whatever the PGK" "$n" 7
	else
		n=$(grep -cxF "0x0000b$k		$why" /tmp/wrong.txt || true)
		expect_eq "$s: 7 frames, no inner IP, '$why'" "$n" 7
	fi
done
expect_eq "frames in all" "$(wc -l </tmp/wrong.txt)" 49

step "no PGK in tshark's -V -x output"
"$SHARK" -r - "${keys[@]}" -V -x </tmp/air.pcap >/tmp/V.txt 2>/tmp/tshark.err ||
	fail "tshark: $(cat /tmp/tshark.err)"
expect_eq "frames in -V" "$(grep -c '^Frame [0-9]*:' /tmp/V.txt)" 49
for k in "${!SUITES[@]}"; do
	if grep -qi "${pgk[k]:0:16}" /tmp/V.txt; then
		fail "${SUITES[k]}'s PGK in tshark's output"
	fi
done
# each frame names the key that opened it (only 4 PEK octets shown)
for k in "${!SUITES[@]}"; do
	s=${SUITES[k]}
	if [ "$s" = eea0 ]; then
		re='^ +\[Clear text \(eea0\), PGK 0x21\]$'
	else
		re="^ +\\[Decrypted with PGK 0x2$((k + 1)), PTK 0, PEK [0-9a-f]{8}… \\($s\\)\\]\$"
	fi
	expect_eq "$s: frames that name their key" "$(grep -cE "$re" /tmp/V.txt)" 7
done
# For userspace/wireshark/screenshot.sh (the README's picture): this
# capture and its keys, which are the test's, derived from suite names.
cp /tmp/air.pcap "$LAB_OUT/wireshark-air.pcap"
for k in "${!SUITES[@]}"; do
	printf '"0000b%s","0x%02x","%s","%s"\n' "$k" $((0x21 + k)) "${pgk[k]}" "${SUITES[k]}"
done >"$LAB_OUT/wireshark-keys"
step "done"
