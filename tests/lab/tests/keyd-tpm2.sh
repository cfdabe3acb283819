#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 400
# lab-tpm: yes
#
# Issue 16: key-store tpm2. The guest has a TPM 2.0 (swtpm on QEMU's TIS
# interface: /dev/tpmrm0, the UE's TPM); A's PGKs rest under a data key
# sealed to it (A sets no key-store: tpm2 is the default where there is a
# TPM), B asks for the file store.
#
#   - no file of A's holds a PGK, in hex or in bytes;
#   - keyring mode, rebooted out of coverage (PKMF gone, link gone,
#     keyring empty): A unseals its store, puts the PGKs back as logon
#     keys and talks;
#   - A's state directory and config with another TPM (a second swtpm, a
#     cloned disk in another UE) installs nothing.
. "$LAB_TOP/tests/lab/lib.sh"
. "$LAB_TOP/tests/pkmf/lab.sh"

[ -c /dev/tpmrm0 ] || fail "no /dev/tpmrm0: the lab runner attaches swtpm for lab-tpm tests"
fresh_pkmf 3600 0 A:1 B:2
pkmf_start
# A sets no key-store: a UE with a TPM seals by default. B asks for file.
KEYD_STORE= keyd_conf A 1 "keyring = yes"
keyd_conf B 2
expect_match "--init sealed a data key to the TPM" "$(cat /tmp/keyd-A/log)" \
	"tpm2 device:/dev/tpmrm0: data key generated and sealed to this TPM \(store-key.tpm2\) \(key-store not set: the UE has a TPM\)"
expect "A: --once" keyd_once A
expect "B: --once" keyd_once B
expect_eq "A holds PGKs 1 and 2" "$(key_ids A)" "1 2"
expect_match "from the keyring" "$(cat /tmp/keyd-A/log)" "installed PGK 1 \(index 1\) from the keyring"
expect_match "A says why it seals" "$(cat /tmp/keyd-A/log)" \
	"key-store not set: the TPM \(/dev/tpmrm0\) seals the keys"

step "A's disk: a sealed record and a sealed data key, no PGK"
sealed_at_rest
expect "its data key, sealed to the TPM" test -s /tmp/keyd-A/state/store-key.tpm2

step "A talks to B"
recv_bg B 5000 /tmp/b.txt
send A 10.5.0.2 5000 tpm 5
wait_for 10 "B got 5" 'test "$(lines /tmp/b.txt)" = 5'

step "reboot out of coverage: PKMF gone, link gone, keyring empty"
pkmf_stop
on A ip link del pc5
keyctl clear @u
expect_fail "--once without the PKMF fails" keyd_once A
expect_eq "yet A holds PGKs 1 and 2, unsealed from the store" "$(key_ids A)" "1 2"
expect_match "logon keys back in the user keyring" "$(keyctl show @u)" "logon: pc5keyd:000042:1"
send A 10.5.0.2 5000 offline 5
wait_for 10 "B got 5 more" 'test "$(lines /tmp/b.txt)" = 10'

step "a cloned disk: A's state and config in a UE with another TPM"
ip -n A link set lo up
mkdir -p /tmp/other-tpm
on A swtpm socket --tpm2 --tpmstate dir=/tmp/other-tpm --daemon \
	--server type=tcp,port=2321,bindaddr=127.0.0.1 \
	--ctrl type=tcp,port=2322,bindaddr=127.0.0.1 \
	--flags not-need-init,startup-clear --pid file=/tmp/other-tpm.pid ||
	fail "swtpm in A"
cp -a /tmp/keyd-A /tmp/keyd-clone
sed -i -e 's|/tmp/keyd-A/state|/tmp/keyd-clone/state|' /tmp/keyd-clone/pc5keyd.conf
printf '%s\n' "key-store = tpm2" "tpm2-tcti = swtpm:host=127.0.0.1,port=2321" >/tmp/tcti.txt
# the setting goes before the [group] section
sed -i '/^\[group/e cat /tmp/tcti.txt' /tmp/keyd-clone/pc5keyd.conf
on A ip link del pc5
keyctl clear @u
on A "$KEYD" -c /tmp/keyd-clone/pc5keyd.conf --once 2>>/tmp/keyd-clone/log &&
	fail "the clone's --once succeeded"
cat /tmp/keyd-clone/log | tail -n 3
expect_eq "the clone installed no PGK" "$(key_ids A)" ""
expect_match "its log says why" "$(cat /tmp/keyd-clone/log)" \
	"store-key.tpm2: this TPM does not load it"
kill "$(cat /tmp/other-tpm.pid)" 2>/dev/null || true
