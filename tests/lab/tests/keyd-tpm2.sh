#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 400
# lab-tpm: yes
# lab-check: long
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
#     cloned disk in another UE) installs nothing;
#   - the PC3 TLS key in the TPM (tpm2-pkcs11, its store under /tmp): made
#     and certified there, sensitive and never extractable, A authenticates
#     to the PKMF with it; the cloned disk with A's token store, PKMF in
#     reach, on another TPM gets no TLS session.
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

step "the PC3 TLS key in the TPM (tpm2-pkcs11): made there, never out"
# The token's store (a sqlite file) holds the key only wrapped by this TPM.
# The CSR is signed by GnuTLS's certtool: `openssl req -engine pkcs11`
# makes the engine OpenSSL's default for RSA and EC, and tpm2-tss, in the
# same process, then cannot salt its session (tpm2-tss issue 3151);
# pc5keyd loads the engine without making it the default.
TPM2P11=/usr/lib/x86_64-linux-gnu/pkcs11/libtpm2_pkcs11.so
export TPM2_PKCS11_STORE=/tmp/tpm2-A TPM2_PKCS11_TCTI=device:/dev/tpmrm0 \
	TPM2TOOLS_TCTI=device:/dev/tpmrm0
mkdir -p /tmp/tpm2-A
tpm2_ptool init --path /tmp/tpm2-A >/dev/null || fail "tpm2_ptool init"
tpm2_ptool addtoken --pid 1 --label ue-A --userpin 123456 --sopin 999999 \
	--path /tmp/tpm2-A >/dev/null || fail "tpm2_ptool addtoken"
tpm2_ptool addkey --label ue-A --key-label pc3-tls --userpin 123456 --algorithm ecc256 \
	--path /tmp/tpm2-A >/dev/null || fail "tpm2_ptool addkey"
P11TOOL=(pkcs11-tool --module "$TPM2P11" --token-label ue-A --login --pin 123456)
expect_match "the private key cannot leave the TPM" \
	"$("${P11TOOL[@]}" --list-objects --type privkey 2>/dev/null)" \
	"Access: +sensitive, always sensitive, never extractable, local"
printf 'cn = ue-A\n' >/tmp/ue-A-tpm.tmpl
GNUTLS_PIN=123456 certtool --generate-request --provider "$TPM2P11" \
	--load-privkey "pkcs11:token=ue-A;object=pc3-tls;type=private" \
	--template /tmp/ue-A-tpm.tmpl --outfile /tmp/ue-A-tpm.csr 2>/dev/null ||
	fail "certtool: the CSR in the TPM"
openssl x509 -req -in /tmp/ue-A-tpm.csr -CA $PKI/ca.pem -CAkey $PKI/ca.key -CAcreateserial \
	-days 2 -extfile $PKI/client.ext -out /tmp/ue-A-tpm.pem 2>/dev/null || fail "CA"
(umask 077 && echo 123456 >/tmp/tpm2-A.pin)
sed -i -e "s|^cert-file = .*|cert-file = /tmp/ue-A-tpm.pem|" \
	-e "s|^key-file = .*|key-file = pkcs11:token=ue-A;object=pc3-tls;type=private|" \
	/tmp/keyd-A/pc5keyd.conf
printf '%s\n' "pkcs11-module = $TPM2P11" "pkcs11-pin-file = /tmp/tpm2-A.pin" >/tmp/p11.txt
sed -i '/^\[group/e cat /tmp/p11.txt' /tmp/keyd-A/pc5keyd.conf
pkmf_start
on A ip link del pc5 2>/dev/null || true
keyctl clear @u
asked() { grep -c "KEY_REQUEST ue=ue-A cn=ue-A" /tmp/pkmf.log; }
n=$(asked)
expect "A: --once, authenticated by the TPM's key" keyd_once A
expect_eq "the PKMF saw A's request" "$(asked)" $((n + 1))
expect_eq "A holds PGKs 1 and 2" "$(key_ids A)" "1 2"
no_pgk_in "A's files" /tmp/keyd-A

step "the cloned disk with another TPM, PKMF in reach: no TLS session either"
# A's state, config and token store, the token's TCTI on the other swtpm.
# The clone's key store is set to file: the sealed store stops it before
# PC3 (above), this asks whether the TLS key alone keeps it out.
rm -rf /tmp/keyd-clone /tmp/tpm2-clone
cp -a /tmp/keyd-A /tmp/keyd-clone
cp -a /tmp/tpm2-A /tmp/tpm2-clone
: >/tmp/keyd-clone/log
sed -i -e 's|/tmp/keyd-A/state|/tmp/keyd-clone/state|' /tmp/keyd-clone/pc5keyd.conf
sed -i '/^\[group/i key-store = file' /tmp/keyd-clone/pc5keyd.conf
on A ip link del pc5
keyctl clear @u
TPM2_PKCS11_STORE=/tmp/tpm2-clone TPM2_PKCS11_TCTI=swtpm:host=127.0.0.1,port=2321 \
	on A "$KEYD" -c /tmp/keyd-clone/pc5keyd.conf --once 2>>/tmp/keyd-clone/log &&
	fail "the clone's --once succeeded"
expect_match "refused: the key does not load in this TPM" "$(cat /tmp/keyd-clone/log)" \
	"key-file pkcs11:token=ue-A;object=pc3-tls;type=private: no such private key in the token"
expect_eq "the PKMF saw no request from it" "$(asked)" $((n + 1))
expect_eq "and it installed no PGK" "$(key_ids A)" ""
kill "$(cat /tmp/other-tpm.pid)" 2>/dev/null || true
