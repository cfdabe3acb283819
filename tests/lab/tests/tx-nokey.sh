#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 300
#
# A link that has no usable PGK sends nothing: not with no key at all, not
# with a key that is pending, not with one that has expired. Every packet
# is counted as tx_nokey (and tx dropped), and the air stays silent: no
# pc5sec frame and nothing in clear. A key that has already expired is
# refused at installation with the reason.
. "$LAB_TOP/tests/lab/lib.sh"

MARK=PC5SEC-NOKEY-MARKER
fresh_ues A B
pc5_pair cipher eea2
add_test_pgk B 1
recv_bg B 5000 /tmp/b.txt

# silent_air PCAP: nothing at all went over the air
silent_air() {
	expect_eq "frames on the air (all / pc5sec / holding the marker)" \
		"$(python3 -S "$LAB_TOP/tests/lab/tools/frame.py" count "$1" "$MARK")" \
		"frames 0 pc5sec 0 marker 0"
}

step "no key at all: 7 datagrams, 7 tx_nokey, a silent air"
capture_start /tmp/nokey.pcap
STATS_BEFORE=$(stats A)
send A 10.5.0.2 5000 "$MARK" 7
expect_stats "A counts 7 tx_nokey and nothing else" A pc5 tx_nokey=7
expect_eq "A tx dropped" "$(devstat A pc5 tx_dropped)" 7
expect_eq "A tx packets (ip -s)" "$(devstat A pc5 tx_packets)" 0
capture_stop
silent_air /tmp/nokey.pcap

step "a pending key (not-before in an hour) is not used to send"
on A "$PC5CTL" key add pc5 pgk-id 1 ptk-start 0 key-file "$KEY" not-before +3600
state=$(key_fields A state)
expect_eq "the key is pending" "$state" pending
capture_start /tmp/pending.pcap
STATS_BEFORE=$(stats A)
send A 10.5.0.2 5000 "$MARK" 5
expect_stats "A counts 5 tx_nokey and nothing else" A pc5 tx_nokey=5
expect_eq "A tx dropped" "$(devstat A pc5 tx_dropped)" 12
capture_stop
silent_air /tmp/pending.pcap
expect_eq "B received nothing" "$(lines /tmp/b.txt)" 0
expect_eq "B rx_packets" "$(cnt B rx_packets)" 0

step "a key that has expired already cannot be installed"
before=$(on A "$PC5CTL" -j show)
past=$(($(date +%s) - 60))
expect_rc "not-after a minute ago" 1 "^pc5ctl: key add pc5: the PGK has already expired$" \
	on A "$PC5CTL" key add pc5 pgk-id 2 ptk-start 0 key-file "$KEY" not-after "$past"
expect_rc "not-after in 2020" 1 "^pc5ctl: key add pc5: the PGK has already expired$" \
	on A "$PC5CTL" key add pc5 pgk-id 2 ptk-start 0 key-file "$KEY" not-after 2020-01-01T00:00:00Z
expect_eq "nothing changed" "$(on A "$PC5CTL" -j show)" "$before"

step "a key that expires while in use stops being used, and is removed"
on B "$PC5CTL" key del pc5 pgk-id 1
on B "$PC5CTL" key add pc5 pgk-id 3 ptk-start 0 key-file "$KEY"
STATS_BEFORE=$(stats A)
# 20 s: room for the sends below on a loaded TCG host (checked after)
on A "$PC5CTL" key add pc5 pgk-id 3 ptk-start 0 key-file "$KEY" not-after +20
added=$(date +%s)
send A 10.5.0.2 5000 "$MARK-LIVE" 3
[ "$(date +%s)" -lt $((added + 19)) ] || fail "the host is too slow: the sends took 19 s or more"
expect_stats "A sends 3 under the key while it is valid" A pc5 tx_packets=3 tx_bytes=$((3 * (28 + ${#MARK} + 7)))
expect_soon "B received them" 3 'lines /tmp/b.txt'
while [ "$(date +%s)" -lt $((added + 20)) ]; do sleep 0.5; done
# the kernel removes (and wipes) an expired key by itself, within a second
# or so of its not-after (the key work's timer; longer on a loaded host)
expect_soon "A's keys: only the pending one is left" "1 pending" \
	'echo "$(key_fields A pgk_id) $(key_fields A state)"'
capture_start /tmp/expired.pcap
STATS_BEFORE=$(stats A)
send A 10.5.0.2 5000 "$MARK" 4
expect_stats "A counts 4 tx_nokey and nothing else" A pc5 tx_nokey=4
capture_stop
silent_air /tmp/expired.pcap
expect_eq "B received nothing more" "$(lines /tmp/b.txt)" 3
on A "$PC5CTL" show
