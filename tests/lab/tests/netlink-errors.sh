#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 400
#
# Bad input is refused with a message that names what is wrong, with the
# documented exit status (2: command line, 1: refused), and changes
# nothing: `pc5ctl -j show` is the same after every refusal. Then key
# secrecy: a PGK with a distinctive pattern never appears in pc5ctl or ip
# output, nor in any netlink message the kernel sends (seen on nlmon).
. "$LAB_TOP/tests/lab/lib.sh"

fresh_ues A
pc5 A 1 cipher eea2
add_test_pgk A 0x01
P=("$PC5CTL")
snapshot() { on A "$PC5CTL" -j show; }
before=$(snapshot)
echo "$before"

# refused RC REGEX ARGS...: pc5ctl ARGS in A exits RC, says REGEX, changes
# nothing. A miss is reported at once and fails the test at the end, so
# that one run shows every case.
FAILED=()
refused() {
	local rc=$1 re=$2
	shift 2
	if ! (
		expect_rc "pc5ctl $*" "$rc" "$re" on A "${P[@]}" "$@"
		echo "pc5ctl $*: $(printf '%s' "$OUT" | head -n 1)"
		expect_eq "nothing changed after: pc5ctl $*" "$(snapshot)" "$before"
	); then
		FAILED+=("pc5ctl $*")
	fi
}

step "link add: values out of range, unsupported suites"
refused 2 '^pc5ctl: group "0x1000000": out of range' link add pc6 link eth0 group 0x1000000 member 1
refused 2 '^pc5ctl: member "16777216": out of range' link add pc6 link eth0 group 0x43 member 16777216
# eea1 and eea3 need pc5sec-algs.ko: without it (not installed in the
# guest's /lib/modules, so the crypto API cannot load it either) they are
# refused by name; with it they work. A suite number the kernel does not
# know is refused as unsupported.
wait_for 30 "pc5sec-algs.ko unloads (no transform of an earlier test left)" \
	'rmmod pc5sec_algs 2>/dev/null; ! grep -q "^pc5sec_algs " /proc/modules'
for s in eea1 eea3; do
	refused 1 '^pc5ctl: link add pc6: cipher suite needs the pc5sec-algs module, which is not loaded$' \
		link add pc6 link eth0 group 0x43 member 1 cipher $s
done
refused 1 '^pc5ctl: link set pc5: cipher suite needs the pc5sec-algs module, which is not loaded$' \
	link set pc5 member 9 cipher eea3
expect_eq "RTM_NEWLINK with suite 5" \
	"$(on A python3 -S "$LAB_TOP/tests/lab/tools/rtnl.py" add pc6 eth0 0 5)" \
	"error 95: unsupported cipher suite"
expect_eq "RTM_NEWLINK with suite 0x13" \
	"$(on A python3 -S "$LAB_TOP/tests/lab/tools/rtnl.py" add pc6 eth0 0 19)" \
	"error 95: unsupported cipher suite"
expect_eq "nothing changed after the raw RTM_NEWLINKs" "$(snapshot)" "$before"
load_pc5sec_algs
for s in eea1 eea3; do
	expect "link add with cipher $s, pc5sec-algs loaded" \
		on A "$PC5CTL" link add pc6 link eth0 group 0x43 member 1 cipher $s
	expect_match "pc6 uses $s" "$(on A "$PC5CTL" show pc6)" "cipher $s"
	on A "$PC5CTL" link del pc6
done
expect_eq "nothing left of them" "$(snapshot)" "$before"
refused 2 '^pc5ctl: unknown cipher suite "eea9"' link add pc6 link eth0 group 0x43 member 1 cipher eea9
refused 1 '^pc5ctl: link add pc6: .*ethertype' link add pc6 link eth0 group 0x43 member 1 ethertype 0x05ff
# EtherTypes the stack already handles on the lower, refused by name
refused 1 "^pc5ctl: link add pc6: ethertype 0x0800 is IPv4's$" link add pc6 link eth0 group 0x43 member 1 ethertype 0x0800
refused 1 "^pc5ctl: link add pc6: ethertype 0x86dd is IPv6's$" link add pc6 link eth0 group 0x43 member 1 ethertype 0x86dd
refused 1 "^pc5ctl: link add pc6: ethertype 0x8100 is 802.1Q VLAN's$" link add pc6 link eth0 group 0x43 member 1 ethertype 0x8100
refused 1 "^pc5ctl: link add pc6: ethertype 0x88e5 is MACsec's$" link add pc6 link eth0 group 0x43 member 1 ethertype 0x88e5
refused 1 "^pc5ctl: link add pc6: ethertype 0x888e is 802.1X \\(EAPOL\\)'s$" link add pc6 link eth0 group 0x43 member 1 ethertype 0x888e
refused 1 '^pc5ctl: link add pc6: .*replay.window' link add pc6 link eth0 group 0x43 member 1 replay-window 5000
refused 1 '^pc5ctl: link add pc6: .*no such device|^pc5ctl: link add pc6: lower device eth9: No such device$' \
	link add pc6 link eth9 group 0x43 member 1
expect "a link just inside the limits is fine (then deleted)" \
	on A "$PC5CTL" link add pc6 link eth0 group 0xffffff member 0xffffff ethertype 0x0600 replay-window 4096
on A "$PC5CTL" link del pc6
expect_eq "nothing left of it" "$(snapshot)" "$before"

step "link add: a second link for the same group on the same lower device"
refused 1 '^pc5ctl: link add pc6: group already has a pc5sec link on this lower device$' \
	link add pc6 link eth0 group 0x42 member 9

step "link set: refused settings change nothing"
refused 1 '^pc5ctl: link set pc5: .*replay.window' link set pc5 replay-window 4097
refused 2 '^pc5ctl: link set: unknown argument "ethertype"' link set pc5 ethertype 0x88b6
refused 1 '^pc5ctl: link set pc6: ' link set pc6 member 2
refused 1 '^pc5ctl: link set eth0: not a pc5sec link$' link set eth0 member 2
# pc5ctl has no way to change the EtherType; the kernel refuses it too.
got=$(on A python3 -S "$LAB_TOP/tests/lab/tools/rtnl.py" set-u16 pc5 4 0x88b6)
expect_eq "RTM_NEWLINK changing IFLA_PC5SEC_ETHERTYPE" "$got" \
	"error 95: ethertype can only be set when the link is created"
expect_eq "nothing changed after the raw RTM_NEWLINK" "$(snapshot)" "$before"
got=$(on A python3 -S "$LAB_TOP/tests/lab/tools/rtnl.py" set-u16 pc5 4 0x88b5)
expect_eq "RTM_NEWLINK with the same EtherType is fine" "$got" "error 0: -"

step "key add: colliding PGK Index, duplicate ID"
refused 1 '^pc5ctl: key add pc5: PGK Index \(the low 5 bits of the PGK ID\) collides with an installed PGK$' \
	key add pc5 pgk-id 0x21 ptk-start 0 key-file "$KEY"
refused 1 '^pc5ctl: key add pc5: PGK ID is already installed$' key add pc5 pgk-id 0x01 ptk-start 0 key-file "$KEY"
refused 2 '^pc5ctl: pgk-id "256": out of range' key add pc5 pgk-id 256 ptk-start 0 key-file "$KEY"
refused 2 '^pc5ctl: ptk-start "65536": out of range' key add pc5 pgk-id 2 key-file "$KEY" ptk-start 65536

step "key add: bad key files"
printf '%s\n' 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1 >/tmp/k63
printf '%s\n' 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f00 >/tmp/k66
printf 'ff%.0s' $(seq 31) | xxd -r -p >/tmp/k31
printf '%s\n' 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1eZZ >/tmp/kbad
: >/tmp/kempty
expect_eq "31 raw bytes" "$(wc -c </tmp/k31)" 31
refused 1 '^pc5ctl: key add pc5: key file /tmp/k63: wrong length: 63 hex digits, need 64' \
	key add pc5 pgk-id 2 ptk-start 0 key-file /tmp/k63
refused 1 '^pc5ctl: key add pc5: key file /tmp/k66: wrong length: 66 hex digits, need 64' \
	key add pc5 pgk-id 2 ptk-start 0 key-file /tmp/k66
refused 1 '^pc5ctl: key add pc5: key file /tmp/k31: bad hex digit at position 1 .*this one has 31 bytes' \
	key add pc5 pgk-id 2 ptk-start 0 key-file /tmp/k31
refused 1 '^pc5ctl: key add pc5: key file /tmp/kbad: bad hex digit at position 63 ' \
	key add pc5 pgk-id 2 ptk-start 0 key-file /tmp/kbad
expect_rc "bad hex" 1 "position 63" on A "$PC5CTL" key add pc5 pgk-id 2 ptk-start 0 key-file /tmp/kbad
expect_fail "the bad digits are not quoted" grep -q ZZ <<<"$OUT"
refused 1 '^pc5ctl: key add pc5: key file /tmp/kempty: empty key file$' key add pc5 pgk-id 2 ptk-start 0 key-file /tmp/kempty
refused 1 '^pc5ctl: key add pc5: key file /tmp/nonexistent: No such file or directory$' \
	key add pc5 pgk-id 2 ptk-start 0 key-file /tmp/nonexistent

step "key add: validity"
refused 1 '^pc5ctl: key add pc5: not-after must be later than not-before$' \
	key add pc5 pgk-id 2 ptk-start 0 key-file "$KEY" not-before +7200 not-after +3600
refused 1 '^pc5ctl: key add pc5: not-after must be later than not-before$' \
	key add pc5 pgk-id 2 ptk-start 0 key-file "$KEY" not-before +3600 not-after +3600
refused 1 '^pc5ctl: key add pc5: the PGK has already expired$' \
	key add pc5 pgk-id 2 ptk-start 0 key-file "$KEY" not-after 1
refused 2 '^pc5ctl: not-after "2026-13-01T00:00:00Z": ' key add pc5 pgk-id 2 ptk-start 0 key-file "$KEY" not-after 2026-13-01T00:00:00Z

step "key del / flush / show of what is not there"
refused 1 '^pc5ctl: key del pc5: no PGK with this ID on the link$' key del pc5 pgk-id 0x21
refused 1 '^pc5ctl: key del pc5: no PGK with this ID on the link$' key del pc5 pgk-id 2
refused 1 '^pc5ctl: key del pc6: ' key del pc6 pgk-id 1
refused 1 '^pc5ctl: key flush eth0: not a pc5sec link$' key flush eth0
refused 1 '^pc5ctl: show pc6: ' show pc6

step "key secrecy: a distinctive PGK never comes back"
SECRET=5ec7e75ec7e75ec7a1b2c3d4e5f60718293a4b5c6d7e8f90c0ffeec0ffee5ec7
secret=$(pgk_file "$SECRET")
ip netns exec A ip link add nlmon0 type nlmon
ip netns exec A ip link set nlmon0 up
CAPTURE_NETNS=A capture_start /tmp/nl.pcap nlmon0
on A "$PC5CTL" key add pc5 pgk-id 0x42 ptk-start 0 key-file "$secret"
# refused after the key reached the kernel: the error ack must not carry it
expect_rc "colliding index with the secret key" 1 "collides" on A "$PC5CTL" key add pc5 pgk-id 0x22 ptk-start 0 key-file "$secret"
expect_rc "duplicate ID with the secret key (stdin)" 1 "already installed" \
	on A sh -c "exec '$PC5CTL' key add pc5 pgk-id 0x42 ptk-start 0 key-file - <'$secret'"
out=$(on A "$PC5CTL" -j show; on A "$PC5CTL" show; on A "$PC5CTL" show pc5;
	on A ip -d link show; on A ip -d -s -s link show pc5; on A ip -d -j link show pc5)
capture_stop
on A ip link del nlmon0
expect_match "the new key is listed" "$out" '"pgk_id":66'

# absent DESCRIPTION GREP-OPTIONS...: grep finds nothing in $out (status 1,
# not 2: an error must not pass for "absent")
absent() {
	local what=$1 rc=0
	shift
	grep -q "$@" <<<"$out" || rc=$?
	[ $rc = 1 ] || fail "$what (grep status $rc)"
}
for pat in "$SECRET" "5ec7e75ec7e7" "c0ffeec0ffee" "$(printf '%s' "$SECRET" | sed 's/../& /g; s/ $//')"; do
	absent "output holds $pat" -iF -- "$pat"
done
printf '%s' "$SECRET" | xxd -r -p | head -c 12 >/tmp/secret.pat
expect_eq "raw pattern" "$(od -An -tx1 /tmp/secret.pat | tr -d ' \n')" "${SECRET:0:24}"
LC_ALL=C absent "output holds the raw key bytes" -aF -f /tmp/secret.pat
# the check itself: the same greps find the key where it is
out="x $SECRET $(cat /tmp/secret.pat) x"
! (absent control -iF -- "$SECRET") 2>/dev/null || fail "control: grep misses the hex key"
! (LC_ALL=C absent control -aF -f /tmp/secret.pat) 2>/dev/null || fail "control: grep misses the raw key"
nl=$(python3 -S "$LAB_TOP/tests/lab/tools/nlmon.py" /tmp/nl.pcap "$SECRET")
echo "$nl"
summary=$(tail -n 1 <<<"$nl")
expect_match "nlmon saw the requests and the replies" "$summary" '^requests [1-9][0-9]* with-key [0-9]+ replies [1-9][0-9]* with-key [0-9]+$'
expect_match "no reply from the kernel holds the key" "$summary" 'replies [0-9]+ with-key 0$'
# Observed: the three key add requests hold the key (the tap copies them
# before the kernel wipes its copy); they are the control that the search
# works on this capture.
expect_match "the key add requests hold the key, no other request" "$summary" 'requests [0-9]+ with-key [1-3] '
# the half-key must not be in a reply either (a partial echo)
half=$(python3 -S "$LAB_TOP/tests/lab/tools/nlmon.py" /tmp/nl.pcap "${SECRET:32}" | tail -n 1)
expect_match "no reply holds the second half of the key" "$half" 'replies [0-9]+ with-key 0$'

[ ${#FAILED[@]} = 0 ] || fail "${#FAILED[@]} refusals not as specified: $(printf '\n  %s' "${FAILED[@]}")"
