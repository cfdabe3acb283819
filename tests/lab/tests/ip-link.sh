#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 200
#
# The stock `ip` (Debian's iproute2) with link_pc5sec.so from
# userspace/iproute2 (IP_LIB_DIR): A's link is made, changed and shown by
# `ip` alone, B's by pc5ctl, and they talk once pc5ctl has given both the
# PGK. `ip -d link show` prints every setting as pc5ctl words them, `ip -d
# -j` as numbers and names, `ip -s -d` pc5sec's own counters, which agree
# with pc5ctl's; bad values are refused (by the plugin, or by the kernel
# with its reason) and change nothing; `ip link help pc5sec` explains.
. "$LAB_TOP/tests/lab/lib.sh"

export IP_LIB_DIR=$LAB_USERSPACE/iproute2
[ -f "$IP_LIB_DIR/link_pc5sec.so" ] || fail "no $IP_LIB_DIR/link_pc5sec.so (make -C userspace)"
ipa() { ip -n A "$@"; }

nsenter_on
fresh_ues A B
recv_bg B 5000 /tmp/b.txt

# data: the pc5sec settings in `ip -d link show pc5` in A (ip goes on
# with its own details on the same line)
data() {
	ipa -d link show pc5 | grep -o 'pc5sec group .* max-senders [0-9]*'
}

step "ip link add ... type pc5sec, then ip -d link show"
ipa link add pc5 link eth0 type pc5sec group 0x42 member 1 cipher aes-gcm-128 replay-window 64
ipa -d link show pc5
expect_eq "ip -d link show" "$(data)" \
	"pc5sec group 0x000042 member 0x000001 cipher aes-gcm-128 ethertype 0x88b5 replay-window 64 expiry-notice 60 rx-skew 5 max-senders 4096"
j=$(ipa -d -j link show pc5)
expect_eq "ip -d -j link show: kind and info_data" \
	"$(python3 -c 'import json,sys; l=json.loads(sys.argv[1])[0]["linkinfo"]; print(l["info_kind"], json.dumps(l["info_data"], sort_keys=True))' "$j")" \
	'pc5sec {"cipher": "aes-gcm-128", "ethertype": 34997, "expiry_notice": 60, "group": 66, "max_senders": 4096, "member": 1, "replay_window": 64, "rx_skew": 5}'
expect_match "pc5ctl sees the same link" "$(on A "$PC5CTL" show pc5 | head -1)" \
	"^pc5: link eth0 group 0x000042 member 0x000001 cipher aes-gcm-128 ethertype 0x88b5 replay-window 64 expiry-notice 60 rx-skew 5 max-senders 4096$"

step "ip link set ... type pc5sec"
ipa link set pc5 type pc5sec replay-window 128 max-senders 100 expiry-notice 30
expect_eq "changed" "$(data)" \
	"pc5sec group 0x000042 member 0x000001 cipher aes-gcm-128 ethertype 0x88b5 replay-window 128 expiry-notice 30 rx-skew 5 max-senders 100"

step "bad values: refused with the reason, nothing changed"
before=$(data)
expect_rc "group above 24 bits" 255 'must be at most 16777215 \(0xffffff\)' \
	ip -n A link set pc5 type pc5sec group 0x1000000
expect_rc "an unknown suite" 1 'unknown cipher suite "eea9"' \
	ip -n A link set pc5 type pc5sec cipher eea9
expect_rc "an unknown word" 1 'unknown option "colour"' \
	ip -n A link set pc5 type pc5sec colour blue
expect_rc "a word twice" 255 'duplicate "member"' \
	ip -n A link set pc5 type pc5sec member 1 member 2
expect_rc "max-senders 0: the kernel's reason" 2 "max-senders must be 1 to 65536" \
	ip -n A link set pc5 type pc5sec max-senders 0
expect_eq "unchanged" "$(data)" "$before"
expect_match "ip link help pc5sec" "$(ip link help pc5sec 2>&1)" "^Usage: \.\.\. pc5sec \[ group GID \]"

step "B by pc5ctl, keys by pc5ctl: A pings B, sends 5 datagrams"
pc5 B 2 cipher aes-gcm-128
add_test_pgk B 0x21
KEY=${KEY:-$(pgk_file "$TEST_PGK")}
on A "$PC5CTL" key add pc5 pgk-id 0x21 ptk-start 0 key-file "$KEY"
ipa addr add 10.5.0.1/24 dev pc5
ipa link set pc5 up
expect "A pings B" on A ping -c 2 -W 3 10.5.0.2 >/dev/null
send A 10.5.0.2 5000 IPLINK 5
expect_soon "B got the 5 datagrams" 5 'lines /tmp/b.txt'

step "ip -s -d link show: pc5sec's counters, as pc5ctl's"
ipa -s -d link show pc5 | sed -n '/pc5sec:/p'
expect_match "text" "$(ipa -s -d link show pc5)" \
	"^    pc5sec: tx_packets 7 tx_bytes [0-9]+ rx_packets 2 rx_bytes [0-9]+ tx_nokey 0 tx_ptk_exhausted 0 rx_nokey 0 rx_replay 0 rx_malformed 0 rx_auth_fail 0 rx_own_member 0 tx_queued [0-9]+ rx_queued [0-9]+ tx_queue_full 0 rx_queue_full 0$"
x=$(python3 -c 'import json,sys; x=json.loads(sys.argv[1])[0]["linkinfo"]["info_xstats"]; print(" ".join("%s=%d" % kv for kv in sorted(x.items())))' \
	"$(ipa -s -d -j link show pc5)")
expect_eq "ip -s -d -j: info_xstats equal pc5ctl's stats" "$x" "$(stats_all A)"
step "done"
