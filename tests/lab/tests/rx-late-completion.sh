#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 300
# lab-lane: debug
# lab-debug-only: debugobjects, and the test double pc5sec_hold.ko
#
# Issue 11, defect 2: a decryption that completes after its link has
# unregistered. rx_done() then asks rx_work for the sender's next PEK
# (queue_work) before it puts its reference on the device, so the netdev,
# with the work inside it, could be freed while the work is queued. The
# destructor cancels it once more (device.c). race-teardown only hopes to
# hit that window; this test puts the completion in it every time:
#  - pc5sec_hold.ko (module/tests/hold.c, a test double for an
#    asynchronous crypto engine) holds B's decryption of a genuine
#    aes-gcm-128 frame of member 7 at SN 0x9000 (past PC5SEC_SN_PREPARE,
#    so that it asks for PTK Identity 1), after one at SN 1 made member
#    7 known;
#  - B's link is deleted: ndo_uninit runs, and `ip link del` waits for
#    the held frame's reference to go;
#  - unbound workqueues may use CPU 0 alone, where a SCHED_FIFO loop keeps
#    every kworker off for a few seconds; meanwhile, on CPU 1, the held
#    decryption completes: rx_work is queued and cannot run, the last
#    reference goes, and `ip link del` frees the link on CPU 1.
# Without the destructor's cancel, debugobjects reports an active
# work_struct freed (a WARN: panic_on_warn ends the test with the report);
# check-lane-proof plants exactly that (late-work.patch).
. "$LAB_TOP/tests/lab/lib.sh"

KO=$LAB_TOP/${LAB_KO:-module/pc5sec.ko}
HOLD=$(dirname "$KO")/pc5sec_hold.ko
D=/sys/kernel/debug/pc5sec_hold
WQMASK=/sys/devices/virtual/workqueue/cpumask
RT=/proc/sys/kernel/sched_rt_runtime_us
[ -f "$HOLD" ] || fail "no $HOLD: the debug lane builds it (make lab-debug)"
[ "$(nproc)" -ge 2 ] || fail "needs 2 vCPUs, has $(nproc)"

fresh_ues B
pc5 B 2 cipher aes-gcm-128
add_test_pgk B 0x21
# Before the first frame of member 7: its PEK takes the best gcm(aes).
expect "pc5sec_hold.ko loads" insmod "$HOLD"
expect_match "the test double is the gcm(aes) in use" \
	"$(grep -A3 '^name *: gcm(aes)' /proc/crypto | grep -m1 driver)" 'gcm-aes-pc5sec-hold'
# seal SN: a genuine frame of member 7 (PTK Identity 0) to B, in hex
seal() {
	local f
	f=$(python3 "$LAB_TOP/tests/lab/tools/aead.py" --pgk "$TEST_PGK" \
		seal aes-gcm-128 7 "$1" "10.5.0.7,10.5.0.2,5000,SN$1")
	echo "${f#seal }"
}
first=$(seal 1)
late=$(seal 0x9000)

step "member 7's first frame, deciphered in rx_work, not held"
# The first frame of a sender is deciphered synchronously in rx_work,
# which holds key_lock: a held one there would block the link's teardown.
inject B "$first"
expect_soon "B accepted member 7's first frame" 1 "stat B rx_packets"

step "member 7's frame at SN 0x9000, its decryption held"
echo 1 >$D/hold
inject B "$late"
expect_soon "B's decryption of the frame is held" 1 "cat $D/held"
expect_eq "nothing completed yet" "$(cat $D/completed)" 0

step "B's link deleted while the decryption is held"
mask=$(cat $WQMASK)
rt=$(cat $RT)
# ip link del waits for the held reference by design, for as long as the
# scene below takes to set: more than the kernel's 10 s before it warns
# "waiting for pc5 to become free" (which fails any test: a leak) when
# the host is loaded (make check runs two labs at once). Only here.
UNREG=/proc/sys/net/core/netdev_unregister_timeout_secs
unreg=$(cat $UNREG)
echo 300 >$UNREG
boosted=
restore() {
	local p
	echo "$mask" >$WQMASK
	echo "$rt" >$RT
	echo "$unreg" >$UNREG
	for p in $boosted; do chrt -o -p 0 "$p"; done
}
trap restore EXIT
# This shell, and all it starts, on CPU 1; kworkers of unbound queues on 0.
taskset -p -c 1 $$ >/dev/null
on B ip link del pc5 &
del=$!
expect_soon "B's pc5 is unlisted (ndo_uninit has run)" gone \
	"on B ip link show pc5 >/dev/null 2>&1 && echo there || echo gone"
sleep 1	# ip link del is now in netdev_run_todo, waiting for the reference
kill -0 $del 2>/dev/null || fail "ip link del returned with the frame still held"

step "the decryption completes while no kworker can run"
# Above the loop: softirqs and RCU's kthreads, so that a grace period
# (ip link del waits for one each second while the reference is out) still
# ends; below it: every kworker.
boosted=$(pgrep -x 'ksoftirqd/0|rcu_preempt|rcu_sched|rcu_tasks_kthre|rcuog/.*|rcuop/.*' || true)
for p in $boosted; do chrt -f -p 60 "$p"; done
echo -1 >$RT
rm -f /tmp/hog
# shellcheck disable=SC2016
chrt -f 50 taskset -c 0 bash -c 'touch /tmp/hog; end=$((SECONDS + 6))
	while ((SECONDS < end)); do :; done' &
hog=$!
expect_soon "the SCHED_FIFO loop runs on CPU 0" yes "[ -e /tmp/hog ] && echo yes || echo no"
# Now, with CPU 0 taken: the unbound kworkers' new pools on CPU 0 alone.
echo 1 >$WQMASK
echo 1 >$D/release
expect_eq "the held decryption completed" "$(cat $D/completed)" 1
wait $del || fail "ip link del failed"
# The point of the test: the free happened while rx_work could not run.
kill -0 $hog 2>/dev/null || fail "the link was freed only after the kworkers could run again: the window was missed"
wait $hog
restore
trap - EXIT
echo "B's link freed with rx_work queued; no report"

step "B carries traffic again on a new link"
ue A
pc5 A 1 cipher aes-gcm-128
pc5 B 2 cipher aes-gcm-128
add_test_pgk A 0x21
add_test_pgk B 0x21
recv_bg B 5000 /tmp/b.txt
send A 10.5.0.2 5000 AGAIN 3
expect_soon "B got A's three datagrams" 3 'lines /tmp/b.txt'
on A ip link del pc5
on B ip link del pc5
# The PEKs, and their transforms, go after an RCU grace period.
wait_for 30 "pc5sec_hold.ko unloads once the links are gone" 'rmmod pc5sec_hold'
