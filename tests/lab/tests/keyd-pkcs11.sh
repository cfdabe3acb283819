#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 600
# lab-check: long
#
# Issue 16: key-store pkcs11. A's PGKs rest sealed by an AES key that its
# PKCS#11 token generated and never lets out; B keeps today's plaintext
# file store, and is warned at every start. The token is SoftHSM2 (a test
# double for the UE's smart card, secure element or TPM, reached through
# the same PKCS#11 interface), its objects under /tmp/hsm-UE.
#
#   - no file of A's holds a PGK, in hex or in bytes;
#   - with the PKMF out of reach and A's link gone (a reboot out of
#     coverage), A installs its PGKs from the sealed store and talks, in
#     plain and in keyring mode (the keyring emptied, as by a reboot);
#   - A's state directory copied to a UE with another token (a cloned
#     disk) installs nothing: the record does not open;
#   - a pre-provisioned key file is sealed into the store at the first
#     start, and removed;
#   - the PC3 TLS key generated in the token (pkcs11-tool), its CSR signed
#     there (OpenSSL's pkcs11 engine): A authenticates to the PKMF with it,
#     and the cloned disk, PKMF in reach, gets no TLS session.
. "$LAB_TOP/tests/lab/lib.sh"
. "$LAB_TOP/tests/pkmf/lab.sh"

SOFTHSM=/usr/lib/softhsm/libsofthsm2.so
# hsm NAME: a SoftHSM2 token labelled NAME in /tmp/hsm-NAME (PIN in pin)
hsm() {
	local d=/tmp/hsm-$1
	rm -rf "$d"
	mkdir -p "$d/tokens"
	printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' \
		"$d" >"$d/softhsm2.conf"
	(umask 077 && echo 123456 >"$d/pin")
	SOFTHSM2_CONF=$d/softhsm2.conf softhsm2-util --init-token --free --label "$1" \
		--pin 123456 --so-pin 999999 >/dev/null || fail "softhsm2-util: token $1"
}
# p11 NAME: the settings of a pkcs11 store on token NAME
p11() {
	printf '%s\n' "key-store = pkcs11" "pkcs11-module = $SOFTHSM" "pkcs11-token = $1" \
		"pkcs11-pin-file = /tmp/hsm-$1/pin"
}
export SOFTHSM2_CONF=/tmp/hsm-ue-A/softhsm2.conf
fresh_pkmf 3600 0 A:1 B:2
pkmf_start
hsm ue-A
keyd_conf A 1 "$(p11 ue-A)"
keyd_conf B 2
expect_match "--init generated the store's key in A's token" "$(cat /tmp/keyd-A/log)" \
	'AES key "pc5keyd-store" generated \(sensitive, never extractable\)'
expect "A: --once" keyd_once A
expect "B: --once" keyd_once B
expect_eq "A holds PGKs 1 and 2" "$(key_ids A)" "1 2"
expect_match "B is warned: its keys are plaintext" "$(cat /tmp/keyd-B/log)" \
	"key-store file: PGKs are stored in plaintext"
expect_fail "A is not warned" grep -q "key-store file" /tmp/keyd-A/log

step "A's disk: a sealed record, no PGK"
sealed_at_rest

step "A talks to B"
recv_bg B 5000 /tmp/b.txt
send A 10.5.0.2 5000 sealed 5
wait_for 10 "B got 5" 'test "$(lines /tmp/b.txt)" = 5'

step "reboot out of coverage: PKMF gone, A's link gone"
pkmf_stop
on A ip link del pc5
expect_fail "--once without the PKMF fails" keyd_once A
expect_eq "yet A holds PGKs 1 and 2 again, from the sealed store" "$(key_ids A)" "1 2"
expect_match "the log says so" "$(cat /tmp/keyd-A/log)" "group 0x000042: [0-9]+ stored PGK"
send A 10.5.0.2 5000 offline 5
wait_for 10 "B got 5 more" 'test "$(lines /tmp/b.txt)" = 10'

step "keyring mode: the keyring empty after the reboot, the store fills it"
keyd_conf A 1 "$(p11 ue-A)" "keyring = yes"
pkmf_start
on A ip link del pc5
expect "A: --once in keyring mode" keyd_once A
pkmf_stop
on A ip link del pc5
keyctl clear @u
expect_fail "--once without the PKMF fails" keyd_once A
expect_eq "A holds PGKs 1 and 2 from the keyring" "$(key_ids A)" "1 2"
expect_match "logon keys back in the user keyring" "$(keyctl show @u)" "logon: pc5keyd:000042:1"
send A 10.5.0.2 5000 ring 5
wait_for 10 "B got 5 more" 'test "$(lines /tmp/b.txt)" = 15'
no_pgk_in "A's files in keyring mode" /tmp/keyd-A

step "a cloned disk: A's state and config with another token"
hsm clone
cp -a /tmp/keyd-A /tmp/keyd-clone
sed -i -e 's|^pkcs11-token = .*|pkcs11-token = clone|' \
	-e 's|^pkcs11-pin-file = .*|pkcs11-pin-file = /tmp/hsm-clone/pin|' \
	-e 's|/tmp/keyd-A/state|/tmp/keyd-clone/state|' /tmp/keyd-clone/pc5keyd.conf
SOFTHSM2_CONF=/tmp/hsm-clone/softhsm2.conf "$KEYD" -c /tmp/keyd-clone/pc5keyd.conf --init \
	2>>/tmp/keyd-clone/log
on A ip link del pc5
keyctl clear @u
SOFTHSM2_CONF=/tmp/hsm-clone/softhsm2.conf on A "$KEYD" -c /tmp/keyd-clone/pc5keyd.conf --once \
	2>>/tmp/keyd-clone/log && fail "the clone's --once succeeded"
expect_eq "the clone installed no PGK" "$(key_ids A)" ""
expect_match "its log says why" "$(cat /tmp/keyd-clone/log)" \
	"keys-000042.sealed: does not open with this token's key"

step "pre-provisioned keys: sealed at the first start, the file removed"
mkdir -p /tmp/pre
# the group's PGKs as B stored them, made out to A (member 1)
sed 's|<group-member-ID>000002</group-member-ID>|<group-member-ID>000001</group-member-ID>|' \
	/tmp/keyd-B/state/keys-000042.xml >/tmp/pre/group.xml
expect "the file is made out to A" grep -q "<group-member-ID>000001<" /tmp/pre/group.xml
chmod 600 /tmp/pre/group.xml
keyd_conf A 1 "$(p11 ue-A)"
rm -f /tmp/keyd-A/state/keys-000042.sealed
echo "preprovisioned = /tmp/pre/group.xml" >>/tmp/keyd-A/pc5keyd.conf
expect_fail "--once without the PKMF fails" keyd_once A
expect_eq "A holds the pre-provisioned PGKs" "$(key_ids A)" "1 2"
expect_match "as member 1" "$(on A "$PC5CTL" -j show pc5)" '"member": ?1[,}]'
expect_fail "the plaintext file is gone" test -e /tmp/pre/group.xml
expect "sealed in its place" test -s /tmp/keyd-A/state/keys-000042.sealed
expect_match "the log says so" "$(cat /tmp/keyd-A/log)" \
	"/tmp/pre/group.xml sealed into the key store and removed"
no_pgk_in "A's files after the import" /tmp/keyd-A /tmp/pre
on A ip link del pc5
expect_fail "--once again, without the PKMF" keyd_once A
expect_eq "the sealed copy serves the next start" "$(key_ids A)" "1 2"
send A 10.5.0.2 5000 pre 5
wait_for 10 "B got 5 more" 'test "$(lines /tmp/b.txt)" = 20'

step "the PC3 TLS key in the token: generated there, never out"
P11TOOL=(pkcs11-tool --module "$SOFTHSM" --login --pin 123456)
"${P11TOOL[@]}" --token-label ue-A --keypairgen --key-type EC:prime256v1 --label pc3-tls \
	--id 01 >/dev/null 2>&1 || fail "pkcs11-tool --keypairgen"
expect_match "the private key cannot leave the token" \
	"$("${P11TOOL[@]}" --token-label ue-A --list-objects --type privkey 2>/dev/null)" \
	"Access: +sensitive, always sensitive, never extractable, local"
# the CSR, signed in the token through OpenSSL's pkcs11 engine, and the
# lab CA's certificate for it (README: the same commands for a real UE)
openssl req -new -engine pkcs11 -keyform engine \
	-key "pkcs11:token=ue-A;object=pc3-tls;type=private;pin-value=123456" \
	-subj /CN=ue-A -out /tmp/ue-A-tok.csr >/dev/null 2>&1 || fail "openssl req in the token"
openssl x509 -req -in /tmp/ue-A-tok.csr -CA $PKI/ca.pem -CAkey $PKI/ca.key -CAcreateserial \
	-days 2 -extfile $PKI/client.ext -out /tmp/ue-A-tok.pem 2>/dev/null || fail "CA"
keyd_conf A 1 "$(p11 ue-A)"
sed -i -e "s|^cert-file = .*|cert-file = /tmp/ue-A-tok.pem|" \
	-e "s|^key-file = .*|key-file = pkcs11:token=ue-A;object=pc3-tls;type=private|" \
	/tmp/keyd-A/pc5keyd.conf
grep -n "file = " /tmp/keyd-A/pc5keyd.conf
pkmf_start
on A ip link del pc5
asked() { grep -c "KEY_REQUEST ue=ue-A cn=ue-A" /tmp/pkmf.log; }
n=$(asked)
expect "A: --once, authenticated by the token's key" keyd_once A
expect_eq "the PKMF saw A's request" "$(asked)" $((n + 1))
expect_eq "A holds PGKs 1 and 2" "$(key_ids A)" "1 2"
no_pgk_in "A's files" /tmp/keyd-A

step "the cloned disk, PKMF in reach: no TLS session either"
cp /tmp/keyd-A/pc5keyd.conf /tmp/keyd-clone/pc5keyd.conf
sed -i -e 's|token=ue-A|token=clone|' \
	-e 's|^pkcs11-token = .*|pkcs11-token = clone|' \
	-e 's|^pkcs11-pin-file = .*|pkcs11-pin-file = /tmp/hsm-clone/pin|' \
	-e 's|/tmp/keyd-A/state|/tmp/keyd-clone/state|' /tmp/keyd-clone/pc5keyd.conf
on A ip link del pc5
SOFTHSM2_CONF=/tmp/hsm-clone/softhsm2.conf on A "$KEYD" -c /tmp/keyd-clone/pc5keyd.conf --once \
	2>>/tmp/keyd-clone/log && fail "the clone's --once succeeded"
expect_match "refused: the key is not in its token" "$(tail -n 2 /tmp/keyd-clone/log)" \
	"key-file pkcs11:token=clone;object=pc3-tls;type=private: no such private key in the token"
expect_eq "the PKMF saw no request from it" "$(asked)" $((n + 1))
expect_eq "and it installed no PGK" "$(key_ids A)" ""
