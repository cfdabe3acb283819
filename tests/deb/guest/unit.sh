#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 600
#
# pc5keyd under systemd as PID 1, from the installed package, as an
# operator provisions it: the configuration and the UE's certificate and
# key in /etc/pc5sec readable by the pc5keyd group, `pc5keyd --init`,
# `systemctl start`. The PKMF (the lab's, tests/pkmf/pkmf.py) is on this
# guest's 10.9.0.1. Checks that start returns with the keys installed,
# that the daemon runs as pc5keyd with CAP_NET_ADMIN alone, locked memory
# and a seccomp filter, that its link carries traffic to a second UE, and
# then reload (a second group appears), restart on failure (SIGKILL) and
# stop (keys stay in the kernel); systemd-analyze security rates the unit
# right after start. The guest has a TPM (tests/deb/run: LAB_TPM=1) and
# the configuration sets no key-store: under the unit the TPM seals the
# keys, and no plaintext record is written.
. "$LAB_TOP/tests/deb/guest/lib.sh"
GROUP=0x000042
PKI=/etc/pc5sec/pki

step "the PKMF on 10.9.0.1:8443, its groups 0x42 (A 1, B 2) and 0x43 (A 1)"
ip addr add 10.9.0.1/32 dev lo
"$LAB_TOP/tests/pkmf/mkcerts" $PKI 10.9.0.1 ue-A ue-B >/dev/null
cat >/tmp/groups.json <<JSON
{"epoch": $(($(date +%s) - 2)), "period": 600, "grace": 60, "lookahead": 600,
 "seed": "$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')",
 "groups": {"000042": {"algorithm": "eea2", "members": {"ue-A": 1, "ue-B": 2}},
            "000043": {"algorithm": "aes-gcm-128", "members": {"ue-A": 1}}}}
JSON
echo ok >/tmp/pkmf.control
python3 "$LAB_TOP/tests/pkmf/pkmf.py" --groups /tmp/groups.json \
	--cert $PKI/pkmf.pem --key $PKI/pkmf.key --client-ca $PKI/ca.pem \
	--listen 10.9.0.1:8443 --control /tmp/pkmf.control >/tmp/pkmf.log 2>&1 &
track $!
wait_for 30 "the PKMF listens" '[ -n "$(ss -Hltn "sport = :8443")" ]'

step "the radio: this UE (A, the service, root namespace) and B (a netns)"
air
ip link add radio0 type veth peer name air-A
ip link set air-A master air up
ip link set radio0 up
ue B
ip link add pc3 netns B type veth peer name to-B
ip addr add 10.9.2.1/24 dev to-B
ip link set to-B up
ip -n B addr add 10.9.2.2/24 dev pc3
ip -n B link set pc3 up
ip -n B route add 10.9.0.1/32 via 10.9.2.1

step "provisioning: /etc/pc5sec readable by pc5keyd, pc5keyd --init"
conf() {
	cat <<CONF
pkmf-url = https://10.9.0.1:8443/pc3
ca-file = $PKI/ca.pem
cert-file = $PKI/ue-$1.pem
key-file = $PKI/ue-$1.key
ue-id = ue-$1
retry-min = 1
retry-max = 8
timeout = 10
CONF
}
{
	conf A
	printf '[group 0x000042]\nlink = pc5\nlower = radio0\naddress = 10.5.0.1/24\n'
} >/etc/pc5sec/pc5keyd.conf
chgrp pc5keyd /etc/pc5sec/pc5keyd.conf $PKI $PKI/ca.pem $PKI/ue-A.pem $PKI/ue-A.key
chmod 0640 /etc/pc5sec/pc5keyd.conf $PKI/ca.pem $PKI/ue-A.pem $PKI/ue-A.key
chmod 0750 $PKI
expect "pc5keyd --init" $KEYD --init
expect "the state directory's marker" test -f /var/lib/pc5keyd/initialized

step "systemctl start pc5keyd: it returns with the keys installed"
expect "systemctl start" systemctl start pc5keyd.service
# no wait: Type=notify, READY=1 came after the first fetch
$PC5CTL show pc5
expect_eq "A's PGKs right after start" "$(key_fields - pgk_id)" "1 2"
expect_eq "their states" "$(key_fields - state)" "active pending"
expect_eq "the link's address" "$(ip -4 -br addr show pc5 | awk '{print $3}')" 10.5.0.1/24
expect_eq "active" "$(systemctl is-active pc5keyd.service)" active
pid=$(unit_prop MainPID)
expect "a main PID ($pid)" test "$pid" -gt 1
expect_match "it told systemd its status" "$(unit_prop StatusText)" .

step "systemd-analyze security pc5keyd"
systemd-analyze security --no-pager pc5keyd.service | tee /tmp/security.txt | grep -v '^✓' || true
exposure=$(sed -n 's/.*Overall exposure level for pc5keyd.service: \([0-9.]*\).*/\1/p' /tmp/security.txt)
echo "exposure: $exposure"
expect "exposure $exposure at most 2.0" systemd-analyze security --threshold=20 \
	pc5keyd.service >/dev/null

step "key-store not set, a TPM: the unit lets pc5keyd seal the keys to it"
ls -l /dev/tpmrm0 /var/lib/pc5keyd
expect "the UE has a TPM (/dev/tpmrm0)" test -c /dev/tpmrm0
expect_eq "/dev/tpmrm0 (tpm-udev's rule)" "$(command stat -c '%U %G %a' /dev/tpmrm0)" "tss tss 660"
# pc5keyd names its key store at every start (stderr: the journal's, in
# its own time)
wait_for 15 "pc5keyd's key store in the journal" \
	'journalctl -u pc5keyd.service -o cat | grep -qE "key-store not set: the TPM|key-store file"'
journal=$(journalctl -u pc5keyd.service -o cat)
expect_match "pc5keyd: the TPM seals the keys" "$journal" \
	"key-store not set: the TPM \(/dev/tpmrm0\) seals the keys"
expect_fail "no plaintext warning in the journal" grep -qF "PGKs are stored in plaintext" <<<"$journal"
expect "0x42's record, sealed" test -s /var/lib/pc5keyd/keys-000042.sealed
expect_eq "plaintext records" "$(find /var/lib/pc5keyd -name 'keys-*.xml')" ""
expect "the data key, sealed to the TPM" test -s /var/lib/pc5keyd/store-key.tpm2
schedule_keys >/tmp/keys.txt
no_pgk_in "the state directory" /var/lib/pc5keyd

step "the daemon: user pc5keyd, CAP_NET_ADMIN alone, locked, filtered"
uid=$(id -u pc5keyd)
expect_eq "real/effective/saved/fs uid" "$(status_field "$pid" Uid)" "$(printf '%s\t' $uid $uid $uid $uid | sed 's/\t$//')"
# CAP_NET_ADMIN is bit 12
for f in CapEff CapPrm CapBnd CapAmb; do
	expect_eq "$f" "$(status_field "$pid" $f)" 0000000000001000
done
expect_eq "NoNewPrivs" "$(status_field "$pid" NoNewPrivs)" 1
expect_eq "Seccomp (filter)" "$(status_field "$pid" Seccomp)" 2
lck=$(status_field "$pid" VmLck | awk '{print $1}')
expect "memory locked (VmLck $lck kB)" test "$lck" -gt 0
expect_match "its groups: pc5keyd and tss" " $(status_field "$pid" Groups) " \
	" $(getent group tss | cut -d: -f3) "
# its /dev (PrivateDevices): the pseudo devices and the TPM, no disk
ls "/proc/$pid/root/dev"
expect "it sees /dev/tpmrm0" test -c "/proc/$pid/root/dev/tpmrm0"
expect_fail "it sees no disk (/dev/vda)" test -e "/proc/$pid/root/dev/vda"
expect_fail "it sees no /dev/tpm0" test -e "/proc/$pid/root/dev/tpm0"
expect_eq "the state directory" "$(command stat -c '%U %a' /var/lib/pc5keyd)" "pc5keyd 700"
for f in /var/lib/pc5keyd/*; do
	expect_eq "$f" "$(command stat -c '%U %a' "$f")" "pc5keyd 600"
done

step "B joins with pc5keyd --once; A's link carries traffic to B"
mkdir -p /tmp/keyd-B
{
	conf B
	echo "state-dir = /tmp/keyd-B/state"
	printf '[group 0x000042]\nlink = pc5\nlower = eth0\naddress = 10.5.0.2/24\n'
} >/tmp/keyd-B/pc5keyd.conf
expect "B: pc5keyd --init" $KEYD -c /tmp/keyd-B/pc5keyd.conf --init
expect "B: pc5keyd --once" on B $KEYD -c /tmp/keyd-B/pc5keyd.conf --once
expect_eq "B's PGKs" "$(key_fields B pgk_id)" "1 2"
recv_bg B 5000 /tmp/b.txt
send - 10.5.0.2 5000 DEB-MARKER 5
wait_for 10 "B got 5" 'test "$(lines /tmp/b.txt)" -ge 5'
expect_eq "B received" "$(lines /tmp/b.txt)" 5
expect_eq "A sent" "$(key_fields - tx_packets | cut -d' ' -f1)" 5

step "systemctl reload: the configuration's new group 0x43 comes up"
printf '[group 0x000043]\nlink = pc6\nlower = radio0\naddress = 10.6.0.1/24\n' \
	>>/etc/pc5sec/pc5keyd.conf
expect "systemctl reload" systemctl reload pc5keyd.service
expect_eq "the same process" "$(unit_prop MainPID)" "$pid"
expect_soon "pc6's PGKs" "1 2" 'key_fields - pgk_id pc6'
expect_match "pc6's suite" "$($PC5CTL show pc6)" "cipher aes-gcm-128"
expect_match "the journal" "$(journalctl -u pc5keyd.service -o cat)" "configuration reloaded: 2 group"

step "restart on failure: SIGKILL, systemd starts it again"
kill -KILL "$pid"
expect_soon "restarted once" 1 'unit_prop NRestarts'
expect_soon "active again" active 'systemctl is-active pc5keyd.service || true'
pid2=$(unit_prop MainPID)
expect "a new main PID ($pid2)" test "$pid2" -gt 1 -a "$pid2" != "$pid"
expect_eq "A's PGKs" "$(key_fields - pgk_id)" "1 2"
send - 10.5.0.2 5000 DEB-MARKER 3
wait_for 10 "B got 8" 'test "$(lines /tmp/b.txt)" -ge 8'
expect_eq "B received" "$(lines /tmp/b.txt)" 8

step "systemctl stop: a clean exit, keys stay in the kernel (pc5keyd(8))"
expect "systemctl stop" systemctl stop pc5keyd.service
expect_eq "inactive" "$(systemctl is-active pc5keyd.service || true)" inactive
expect_eq "its result" "$(unit_prop Result)" success
expect_eq "its exit status" "$(unit_prop ExecMainStatus)" 0
expect_eq "A's PGKs after stop" "$(key_fields - pgk_id)" "1 2"

step "no key bytes in the journal or at rest"
{ schedule_keys; GROUP=0x000043 schedule_keys; } >/tmp/keys.txt
journalctl -o cat >/tmp/journal.txt
expect_fail "key bytes in the journal" grep -qiF -f /tmp/keys.txt /tmp/journal.txt
ls -l /var/lib/pc5keyd
expect "0x43's record, sealed" test -s /var/lib/pc5keyd/keys-000043.sealed
expect_eq "plaintext records" "$(find /var/lib/pc5keyd -name 'keys-*.xml')" ""
no_pgk_in "the state directory" /var/lib/pc5keyd

# For the cleanup: the links go, the module can unload
ip link del pc5
ip link del pc6
