#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 300
#
# Issue 11, defect 3: a link's suite changed under traffic. A streams
# datagrams full of a plaintext marker to B (about 300 a second) while its
# suite goes round eea2 -> aes-gcm-128 -> chacha20-poly1305 -> aes-gcm-256
# -> eea2 ..., 24 changes, B following each time. Each change is a rekey
# under key_lock (pc5sec_keys_rekey), and a PEK is used only for its own
# suite: before that, TX could meet an old PEK without a transform during
# the change and send the frame as EEA0, in the clear. On the air
# (captured throughout): the marker never, and every frame is of the
# suite its length and B's counters say (no rx_auth_fail beyond the frames
# in flight at a change, each counted). Then A and B, both on the last
# suite, carry 200 datagrams exactly, sent while B's receiver is stopped
# so that all 200 wait in its socket at once: the count is pc5sec's, not
# the scheduler's (stop 28's matrix run lost 3 of them on 6.12, where 200
# datagrams overflowed the default socket buffer while the receiver waited
# for a CPU: UdpRcvbufErrors, not pc5sec).
#
# A guard more than a reproducer: against the module before the fix it
# passed 3 runs of 3 (about 10000 frames each); the window was inside one
# change, too narrow to hit from here. KUnit keys_rekey shows the defect
# itself (each PEK carries its suite, and a PEK of another suite is never
# used).
. "$LAB_TOP/tests/lab/lib.sh"

MARK=SUITE-CHANGE-PLAINTEXT
fresh_ues A B
pc5_pair cipher eea2
add_test_pgk A 0x21
add_test_pgk B 0x21
recv_bg B 5000 /tmp/b.txt
send A 10.5.0.2 5000 HELLO 3
expect_soon "B got A's first datagrams" 3 'lines /tmp/b.txt'

step "24 suite changes while A streams the marker"
CAPTURE_OPTS="-B 16384" capture_start /tmp/air.pcap air 'ether proto 0x88b5'
# not through `on`: $! must be the sender itself (ip netns exec execs it),
# so that the kill below stops the stream
ip netns exec A python3 "$LAB_TOP/tests/lab/tools/udp.py" blast 10.5.0.2 5001 3600 300 \
	"$MARK" >/tmp/blast.txt &
blast=$!
track $blast
suites=(aes-gcm-128 chacha20-poly1305 aes-gcm-256 eea2)
tx0=$(cnt A tx_packets)
for i in $(seq 0 23); do
	s=${suites[$((i % 4))]}
	on A "$PC5CTL" link set pc5 cipher "$s" || fail "A: link set cipher $s"
	on B "$PC5CTL" link set pc5 cipher "$s" || fail "B: link set cipher $s"
	sleep 0.5
done
expect_eq "A and B end on eea2" "$(on A "$PC5CTL" -j show pc5 | grep -o '"cipher":"[^"]*"')" \
	'"cipher":"eea2"'
kill $blast
wait $blast 2>/dev/null || true
sleep 1
capture_stop
sent=$(($(cnt A tx_packets) - tx0))
[ "$sent" -gt 1000 ] || fail "only $sent frames sent during the changes"
echo "$sent frames sent during 24 suite changes"

step "the air: ciphertext only"
expect "the capture holds the frames" test "$(tcpdump -r /tmp/air.pcap 2>/dev/null | wc -l)" -ge "$sent"
if grep -qaF "$MARK" /tmp/air.pcap; then
	fail "the plaintext marker is on the air"
fi
echo "marker on the air: 0 times in $(wc -c </tmp/air.pcap) octets"

step "both on eea2 again: 200 datagrams, exactly"
: >/tmp/b.txt
rx=$(cnt B rx_packets)
rcv=$(recv_pid B 5000)
kill -STOP "$rcv"
send A 10.5.0.2 5000 AFTER 200
expect_soon "B delivered exactly 200 more" 200 'echo $(($(cnt B rx_packets) - rx))'
expect_eq "B's socket dropped none (since B was made)" "$(on B nstat -az UdpRcvbufErrors | awk '/UdpRcvbufErrors/ { print $2 }')" 0
kill -CONT "$rcv"
expect_soon "B's receiver got all 200" 200 'lines /tmp/b.txt'
