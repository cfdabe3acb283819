#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 600
# lab-check: long
#
# Interrupted dumps. A list that changes between two datagrams of its
# dump comes with NLM_F_DUMP_INTR (pc5sec sets it on its sender and key
# dumps, rtnetlink on its link dumps): an item may be missing or seen
# twice. pc5ctl (its library, which pc5keyd shares) reads such a list
# again from the start. Here strace holds each of pc5ctl's recvmsg calls
# (delay_exit), so that a dump of several datagrams lasts seconds, and the
# test changes the list while one is under way:
# - B's 1000 receiver states (3 datagrams): one new sender mid-dump; the
#   dump is requested twice and `show senders` lists 1001 states, each
#   once;
# - A's 60 dummy links (several datagrams): one more link mid-dump; the
#   link dump is requested twice and `pc5ctl show` lists pc5 once;
# - a sender list that changes during every read (`pc5ctl sender reset`
#   of one sender after another): after 8 reads pc5ctl gives up with exit
#   status 1 and says why; once the changes stop, it lists every state.
#   (Not new senders: a dump continues as long as its list grows, so a
#   list growing faster than a slowed reader reads keeps one dump going.)
. "$LAB_TOP/tests/lab/lib.sh"

nsenter_on
fresh_ues A B
pc6_eea0 B
# a listener, so that B answers nothing
recv_bg B 6000 /tmp/b.txt

injector B
# A frame of sender 0x100000, made into other senders' by of_senders
TEMPLATE=$(frame --group 0x77 --index 5 --src 0x100000 --sn 1 --udp4 10.7.0.9,10.7.0.2,6000,S)
[ "${TEMPLATE:30:6}" = 100000 ] || fail "sender ID not at octet 15: $TEMPLATE"

# inj FIRST N: one frame from each of N senders from ID FIRST on, at once
inj() {
	# shellcheck disable=SC2046 # one word per frame
	inj_hex $(of_senders "$TEMPLATE" "$1" "$2")
}

# handled N: until B's pc6 has delivered or refused N frames in all
handled() {
	wait_for 120 "$1 frames handled" \
		"[ \$((\$(cnt B rx_packets pc6) + \$(cnt B rx_nokey pc6))) -ge $1 ]"
}

# traced UE OUT CMD...: CMD in UE under strace, each recvmsg held 1 s
# before it returns, in the background; the trace in OUT.trace, the
# output in OUT, errors in OUT.err; its PID in TRACED
traced() {
	local u=$1 out=$2
	shift 2
	on "$u" strace -tt -o "$out.trace" -e trace=sendto,recvmsg \
		-e inject=recvmsg:delay_exit=1000000 "$@" >"$out" 2>"$out.err" &
	TRACED=$!
}

# DUMP: a dump request as strace shows it (it names NLM_F_DUMP for
# rtnetlink only: 0x300 for generic netlink)
DUMP='^[0-9:.]+ sendto\(.*nlmsg_flags=NLM_F_REQUEST\|(NLM_F_DUMP|0x300)'

# dumps FILE: the dump requests in a trace
dumps() {
	grep -cE "$DUMP" "$1" || true
}

# await_mid_dump OUT: until OUT.trace shows a dump asked for and one
# datagram of it in (strace prints a held call when it returns), else the
# trace. The window lasts one held recvmsg (1 s): the trace is followed
# line by line, with no process started per line, so that a loaded host
# cannot poll past it.
await_mid_dump() {
	local line n=0 trace tailpid rc=1
	# a FIFO: the lab's /dev has no /dev/fd for a process substitution
	rm -f "$1.fifo"
	mkfifo "$1.fifo"
	tail -s 0.05 -n +1 -F "$1.trace" >"$1.fifo" 2>/dev/null &
	tailpid=$!
	exec {trace}<"$1.fifo"
	while IFS= read -r -t 60 -u "$trace" line; do
		if [[ $line =~ $DUMP ]]; then
			n=$((n + 1))
		elif [ $n = 1 ] && [[ $line =~ ^[0-9:.]+\ recvmsg\( ]]; then
			rc=0
			break
		fi
	done
	exec {trace}<&-
	kill "$tailpid" 2>/dev/null || true
	[ $rc = 0 ] && return 0
	cut -c1-300 "$1.trace"
	cat "$1.err"
	fail "no dump under way in $1.trace"
}

step "1000 senders reach B's pc6"
for ((b = 0; b < 1000; b += 125)); do
	inj $((0x1000 + b)) 125
	handled $((b + 125))
done
expect_eq "B's pc6 delivered all" "$(cnt B rx_packets pc6) $(cnt B rx_nokey pc6)" "1000 0"

step "show senders, one new sender mid-dump: read again, 1001 states, each once"
traced B /tmp/s1 "$PC5CTL" show pc6 senders
await_mid_dump /tmp/s1
inj $((0x1000 + 1000)) 1
handled 1001
wait "$TRACED" || fail "show senders: $(cat /tmp/s1.err)"
expect_eq "sender dumps asked for" "$(dumps /tmp/s1.trace)" 2
expect "the first read came flagged NLM_F_DUMP_INTR" grep -q 'NLM_F_DUMP_INTR' /tmp/s1.trace
head -1 /tmp/s1
expect_eq "the title" "$(head -1 /tmp/s1)" "pc6: 1001 receiver's states"
expect_eq "states listed" "$(grep -c '^ *member 0x' /tmp/s1)" 1001
expect_eq "each member once" "$(grep -o 'member 0x[0-9a-f]*' /tmp/s1 | sort -u | wc -l)" 1001

step "pc5ctl show with 60 dummy links, one more mid-dump: read again, pc5 once"
pc5 A 1 cipher eea2
for i in $(seq 60); do echo "link add dummy$i type dummy"; done | on A ip -batch -
traced A /tmp/l1 "$PC5CTL" show
await_mid_dump /tmp/l1
on A ip link add dummy61 type dummy
wait "$TRACED" || fail "show: $(cat /tmp/l1.err)"
expect_eq "link dumps asked for" "$(grep -cE '^[0-9:.]+ sendto\(.*RTM_GETLINK, nlmsg_flags=NLM_F_REQUEST\|NLM_F_DUMP' /tmp/l1.trace || true)" 2
expect_eq "pc5 listed once" "$(grep -c '^pc5: link eth0 group 0x000042 member 0x000001' /tmp/l1)" 1

step "a sender list that changes during every read: 8 reads, then a clear error"
traced B /tmp/s2 "$PC5CTL" show pc6 senders
await_mid_dump /tmp/s2
n=0
while kill -0 "$TRACED" 2>/dev/null && [ $n -lt 200 ]; do
	on B "$PC5CTL" sender reset pc6 member $((0x1000 + n))
	n=$((n + 1))
	sleep 0.3
done
rc=0
wait "$TRACED" || rc=$?
cat /tmp/s2.err
echo "senders reset during the reads: $n"
expect_eq "exit status" "$rc" 1
expect_eq "sender dumps asked for" "$(dumps /tmp/s2.trace)" 8
expect_match "the reason" "$(cat /tmp/s2.err)" \
	"the list changed while it was read, 8 times in a row; try again"
expect_eq "nothing listed" "$(wc -c </tmp/s2)" 0
expect_eq "the changes over, the list" "$(on B "$PC5CTL" show pc6 senders | head -1)" \
	"pc6: $((1001 - n)) receiver's states"
step "done"
