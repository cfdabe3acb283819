#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 300
#
# Three UEs in one group over 128-EEA2: A and B hold the PGK, C does not.
# A and B talk (ping, UDP, TCP); the air carries only pc5sec frames to the
# group MAC with the right header and never the plaintext; C gets nothing
# and counts it; counters are exact.
. "$LAB_TOP/tests/lab/lib.sh"

load_pc5sec
for u in A B C; do ue $u; done
pc5 A 1 cipher eea2
pc5 B 2 cipher eea2
pc5 C 3 cipher eea2
key=$(pgk_file 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f)
on A "$PC5CTL" key add pc5 pgk-id 0x21 ptk-start 0 key-file "$key"
on B "$PC5CTL" key add pc5 pgk-id 0x21 ptk-start 0 key-file - <"$key"

step "capture on the air while A and B talk"
capture_start /tmp/air.pcap
expect "A pings B over pc5sec" on A ping -c 3 -W 2 10.5.0.2
recv_start B 5000 /tmp/b.txt
send A 10.5.0.2 5000 PC5SEC-PLAINTEXT-MARKER 10
# The receiver prints as it gets them: wait for 10 lines (or 10 s), then
# one more second for any extra (duplicate) datagram to show up.
for i in $(seq 100); do
	[ "$(wc -l </tmp/b.txt)" -ge 10 ] && break
	sleep 0.1
done
sleep 1
got=$(sort /tmp/b.txt | tr '\n' ' ')
expect_eq "B receives exactly what A sent" "$got" "$(for i in 0 1 2 3 4 5 6 7 8 9; do echo "PC5SEC-PLAINTEXT-MARKER-$i"; done | sort | tr '\n' ' ')"
capture_stop

step "the air carries ciphertext frames to the group MAC only"
python3 "$LAB_TOP/tests/lab/tools/pcap.py" check /tmp/air.pcap \
	--group 0x000042 --marker PC5SEC-PLAINTEXT-MARKER --min-frames 16 ||
	fail "capture check"

step "C, without the PGK, delivers nothing and counts every frame"
expect_eq "C rx_packets" "$(stat C rx_packets)" 0
nokey=$(stat C rx_nokey)
expect_eq "C rx_nokey = every frame A and B sent" "$nokey" \
	$(( $(stat A tx_packets) + $(stat B tx_packets) ))

step "exact counters: 3 echo requests + 10 datagrams from A, 3 replies from B"
expect_eq "A tx_packets" "$(stat A tx_packets)" 13
expect_eq "B rx_packets" "$(stat B rx_packets)" 13
expect_eq "B tx_packets" "$(stat B tx_packets)" 3
expect_eq "A rx_packets" "$(stat A rx_packets)" 3
# SDU bytes: 84-octet echo requests; UDP/IPv4 headers (28) + "MARKER-i" (25)
expect_eq "A tx_bytes" "$(stat A tx_bytes)" $((3 * 84 + 10 * (28 + 25)))
expect_eq "B rx_bytes" "$(stat B rx_bytes)" $((3 * 84 + 10 * (28 + 25)))
expect_eq "no replays" "$(stat B rx_replay)" 0

step "TCP and UDP with iperf3, A to B"
iperf_server B
expect "iperf3 TCP over pc5sec" on A iperf3 -c 10.5.0.2 -t 3 -J >/tmp/tcp.json
python3 - /tmp/tcp.json <<'PY' || fail "TCP result"
import json, sys
r = json.load(open(sys.argv[1]))
b = r["end"]["sum_received"]["bytes"]
print(f"TCP: {b} bytes received, {r['end']['sum_received']['bits_per_second']/1e6:.1f} Mbit/s")
assert b > 0
PY
iperf_server B
expect "iperf3 UDP over pc5sec" on A iperf3 -c 10.5.0.2 -u -b 5M -t 3 -J >/tmp/udp.json
python3 - /tmp/udp.json <<'PY' || fail "UDP result"
import json, sys
r = json.load(open(sys.argv[1]))
s = r["end"]["sum"]
print(f"UDP: {s['packets']} packets, {s['lost_packets']} lost")
assert s["packets"] > 0
PY
on A "$PC5CTL" show
