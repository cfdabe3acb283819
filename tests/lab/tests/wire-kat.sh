#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 300
#
# Known answers for the whole data path, byte for byte, on every
# architecture the lab boots. For each suite, A (member 1) sends two fixed
# IPv4/UDP packets through a packet socket on its link (so the stack adds
# nothing of its own: no IP ID, no port of its choosing) with a fixed PGK,
# PGK ID and PTK Identity: every octet of the frames on the air is then
# fixed by the spec, and must equal the frames recorded on amd64 in
# tests/lab/data/wire-kat.txt. B gets the packets live; C, whose links
# come up afterwards, gets the recorded frames injected into its radio and
# must deliver exactly the same packets: the arm64 lab (make check-arm64)
# thus receives what amd64 sent, and sends what amd64 sends.
#
# LAB_ENV="KAT_RECORD=1" writes the frames seen into $LAB_OUT/wire-kat.txt
# instead of comparing them (how the recording was made, on amd64).
. "$LAB_TOP/tests/lab/lib.sh"

SUITES=(eea0 eea1 eea2 eea3 aes-gcm-128 aes-gcm-256 chacha20-poly1305)
KAT=$LAB_TOP/tests/lab/data/wire-kat.txt
T0=${EPOCHREALTIME/./}
step() { echo "== [$(((${EPOCHREALTIME/./} - T0) / 1000)) ms] $*"; }

nsenter_on
fresh_ues A B C
recv_bg B 5000 /tmp/b.txt

# Suite k: link katK, group 0x0000cK, PGK ID 0x31 + K, PTK Identity from
# 0x0123, 10.7.K.0/24, PGK = SHA-256 of "pc5sec-kat-" and the suite's name.
for k in "${!SUITES[@]}"; do
	pgkf[k]=$(pgk_file "$(printf 'pc5sec-kat-%s' "${SUITES[k]}" | sha256sum | cut -c1-64)")
done
# links UE MEMBER HOST: UE's seven links, with their keys and the address
# 10.7.K.HOST, in one shell and one ip -batch (a process costs under TCG).
# IPv6 stays off on them: ue() turned it off for new links of the UE.
links() {
	local k cmds="" ipb=""
	for k in "${!SUITES[@]}"; do
		cmds+="$PC5CTL link add kat$k link eth0 group 0xc$k member $2 cipher ${SUITES[k]} && "
		cmds+="$PC5CTL key add kat$k pgk-id $((0x31 + k)) ptk-start 0x0123 key-file ${pgkf[k]} && "
		ipb+="addr add 10.7.$k.$3/24 dev kat$k"$'\n'"link set kat$k up"$'\n'
	done
	on "$1" bash -c "${cmds}ip -batch -" <<<"$ipb" || fail "the links of $1"
}
# texts: what A sends on each link, one line each
texts() {
	local k
	for k in "${!SUITES[@]}"; do echo "KAT-${SUITES[k]}-0"; echo "KAT-${SUITES[k]}-1"; done
}

step "A and B: seven links, one per suite, fixed keys"
links A 1 1
links B 2 2

step "A sends two fixed IPv4/UDP packets on each link; the air is captured"
capture_start /tmp/air.pcap
# shellcheck disable=SC2016
on A python3 -S -c '
import socket, sys
sys.path.insert(0, sys.argv[1])
from frame import udp4
for k, suite in enumerate(sys.argv[2:]):
    with socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM) as s:
        for i in range(2):
            s.sendto(udp4("10.7.%d.1" % k, "10.7.%d.2" % k, 5000, "KAT-%s-%d" % (suite, i)),
                     ("kat%d" % k, 0x0800))' "$LAB_TOP/tests/lab/tools" "${SUITES[@]}"
expect_soon "B's application got A's 14 packets" 14 'wc -l </tmp/b.txt'
capture_stop
expect_eq "B got each packet once" "$(sort /tmp/b.txt | tr '\n' ' ')" "$(texts | sort | tr '\n' ' ')"

# The air's pc5sec frames, as "suite hex", in the order sent
python3 -S -c '
import sys
sys.path.insert(0, sys.argv[1])
import pcap
suites = sys.argv[3:]
for fr in pcap.frames(sys.argv[2]):
    p = pcap.parse(fr)
    if p["etype"] == pcap.ETHERTYPE and p["dst"].startswith("03:50:43:00:00:c"):
        print(suites[int(p["dst"][-1])], fr.hex())' \
	"$LAB_TOP/tests/lab/tools" /tmp/air.pcap "${SUITES[@]}" >/tmp/kat.txt
expect_eq "frames on the air" "$(wc -l </tmp/kat.txt)" 14
for s in "${SUITES[@]:1}"; do
	if grep -q "^$s .*$(printf 'KAT-%s' "$s" | od -An -tx1 | tr -d ' \n')" /tmp/kat.txt; then
		fail "$s: the packet in clear on the air"
	fi
done

if [ "${KAT_RECORD:-0}" = 1 ]; then
	{
		echo "# pc5sec frames (suite, Ethernet frame in hex) of tests/lab/tests/wire-kat.sh,"
		echo "# recorded on $(uname -m) $(uname -r) by LAB_ENV=KAT_RECORD=1"
		cat /tmp/kat.txt
	} >"$LAB_OUT/wire-kat.txt"
	step "recorded into $LAB_OUT/wire-kat.txt: copy it to tests/lab/data/"
	exit 0
fi

step "the frames equal the recording, octet for octet ($(uname -m))"
grep -v '^#' "$KAT" >/tmp/want.txt
if ! cmp -s /tmp/want.txt /tmp/kat.txt; then
	diff /tmp/want.txt /tmp/kat.txt | cut -c1-160 | head -20
	fail "the frames on the air differ from $KAT"
fi

step "C gets the recorded frames, injected, and delivers the same packets"
# C is member 3, with B's addresses (in its own netns): the recorded
# packets are for 10.7.K.2.
links C 3 2
recv_bg C 5000 /tmp/c.txt
injector C
# shellcheck disable=SC2046 # one frame per word
inj_hex $(cut -d' ' -f2 /tmp/want.txt)
for _ in $(seq 50); do [ "$(wc -l </tmp/c.txt)" -ge 14 ] && break; sleep 0.3; done
[ "$(wc -l </tmp/c.txt)" = 14 ] || on C "$PC5CTL" -s show
expect_eq "C's application got the 14 recorded packets" "$(wc -l </tmp/c.txt)" 14
expect_eq "C got each packet once" "$(sort /tmp/c.txt | tr '\n' ' ')" "$(texts | sort | tr '\n' ' ')"
per_link=$(for k in "${!SUITES[@]}"; do echo "kat$k 2"; done)
for u in B C; do
	expect_eq "$u: rx_packets of each link" \
		"$(on $u "$PC5CTL" -j show | jq -r '.[] | "\(.ifname) \(.stats.rx_packets)"' | sort)" "$per_link"
done
