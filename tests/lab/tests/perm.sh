#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 300
#
# Without CAP_NET_ADMIN nothing works and nothing changes: every pc5ctl
# command run by an unprivileged user (nobody), and by root of a user
# namespace that does not own the UE's network namespace, fails with
# "Operation not permitted" and exit 1; stock `ip link add ... type
# pc5sec` fails too. `pc5ctl -j show` as root is the same before and after.
. "$LAB_TOP/tests/lab/lib.sh"

fresh_ues A
pc5 A 1 cipher eea2
add_test_pgk A 0x21
# Readable by anyone, so that a refusal comes from the kernel, not the file.
chmod 644 "$KEY"
snapshot() { on A "$PC5CTL" -j show; on A ip -d link show; }
before=$(snapshot)

nobody() { on A setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
userns() { on A unshare -U -r "$@"; }
expect_eq "setpriv really drops to nobody without capabilities" \
	"$(nobody sh -c 'id -u; grep CapEff /proc/self/status')" "$(printf '65534\nCapEff:\t0000000000000000')"
expect_eq "unshare -U -r: uid 0 with capabilities, in a new user namespace" \
	"$(userns sh -c 'id -u; readlink /proc/self/ns/user')" "0
$(userns readlink /proc/self/ns/user)"
expect_fail "that namespace is not the one owning A's netns" \
	test "$(userns readlink /proc/self/ns/user)" = "$(readlink /proc/self/ns/user)"

for who in nobody userns; do
	step "as $who: every pc5ctl command is refused"
	expect_rc "$who: show" 1 "^pc5ctl: show: keys of pc5: Operation not permitted$" \
		$who "$PC5CTL" show
	expect_rc "$who: -j show pc5" 1 "^pc5ctl: show pc5: keys of pc5: Operation not permitted$" \
		$who "$PC5CTL" -j show pc5
	expect_rc "$who: link add" 1 "^pc5ctl: link add pc6: Operation not permitted$" \
		$who "$PC5CTL" link add pc6 link eth0 group 0x43 member 1
	expect_rc "$who: link set" 1 "^pc5ctl: link set pc5: Operation not permitted$" \
		$who "$PC5CTL" link set pc5 member 7 replay-window 5
	expect_rc "$who: link del" 1 "^pc5ctl: link del pc5: Operation not permitted$" \
		$who "$PC5CTL" link del pc5
	expect_rc "$who: key add" 1 "^pc5ctl: key add pc5: Operation not permitted$" \
		$who "$PC5CTL" key add pc5 pgk-id 2 ptk-start 0 key-file "$KEY"
	expect_rc "$who: key add from stdin" 1 "^pc5ctl: key add pc5: Operation not permitted$" \
		$who sh -c "exec '$PC5CTL' key add pc5 pgk-id 3 ptk-start 0 key-file - <'$KEY'"
	expect_rc "$who: key del" 1 "^pc5ctl: key del pc5: Operation not permitted$" \
		$who "$PC5CTL" key del pc5 pgk-id 0x21
	expect_rc "$who: key flush" 1 "^pc5ctl: key flush pc5: Operation not permitted$" \
		$who "$PC5CTL" key flush pc5
	# Events carry key metadata: only CAP_NET_ADMIN may listen. A
	# monitor that joined would wait for events until the timeout.
	expect_rc "$who: monitor" 1 "^pc5ctl: monitor: Operation not permitted$" \
		$who timeout 10 "$PC5CTL" monitor

	step "as $who: stock ip(8) cannot add, change or delete a pc5sec link"
	expect_rc "$who: ip link add type pc5sec" 2 "Operation not permitted" \
		$who ip link add pc6 link eth0 type pc5sec
	expect_rc "$who: ip link del pc5" 2 "Operation not permitted" \
		$who ip link del pc5
	expect_rc "$who: ip link set pc5 down" 2 "Operation not permitted" \
		$who ip link set pc5 down

	expect_eq "as $who: nothing changed" "$(snapshot)" "$before"
done

step "root still can"
expect "root: key del" on A "$PC5CTL" key del pc5 pgk-id 0x21
expect "root: link del" on A "$PC5CTL" link del pc5
