#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 300
#
# Without CAP_NET_ADMIN nothing works and nothing changes: every pc5ctl
# command run by an unprivileged user (nobody), and by root of a user
# namespace that does not own the UE's network namespace, fails with
# "Operation not permitted" and exit 1, but show, which lists the links
# and their counters without their keys; stock `ip link add ... type
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
# One unshare for both checks: two would each make their own namespace,
# whose inode numbers match only if the first was freed (asynchronously)
# before the second came.
# shellcheck disable=SC2016
expect_eq "unshare -U -r: uid 0 in a user namespace that does not own A's netns" \
	"$(userns sh -c 'id -u; [ "$(readlink /proc/self/ns/user)" != "$1" ] && echo other' \
		_ "$(readlink /proc/self/ns/user)")" "0
other"

for who in nobody userns; do
	step "as $who: every pc5ctl command is refused"
	# show lists the links and counters (ip -d link shows them to anyone
	# too), not the keys: key metadata is for CAP_NET_ADMIN.
	shown=$($who "$PC5CTL" show) || fail "$who: show failed"
	expect_match "$who: show lists pc5, not its keys" "$shown" \
		"^pc5: link eth0 group 0x000042 member 0x000001 cipher eea2"
	expect_match "$who: show says why no key is shown" "$shown" \
		"^  keys not shown: reading them needs CAP_NET_ADMIN$"
	expect_fail "$who: show names no key" grep -q "pgk-id" <<<"$shown"
	shown=$($who "$PC5CTL" -j show pc5) || fail "$who: -j show pc5 failed"
	expect_match "$who: -j show pc5: keys null" "$shown" '"keys":null,"stats":\{'
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
