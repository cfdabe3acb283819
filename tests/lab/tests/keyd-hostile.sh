#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 400
#
# Every way a PC3 transaction can go wrong leaves the installed keys, the
# link and the state files exactly as they were, and is logged with a
# clear reason: an impostor PKMF (certificate from another CA), an
# unreachable PKMF, HTTP errors, a wrong content type, an oversized body,
# malformed XML, a DTD with entity expansion and an external entity, wrong
# types, unknown elements, a non-UTF-8 encoding, a wrong transaction ID,
# a group not asked for, a suite the UE did not offer (eea0), a PKMF key
# not pinned, a revoked PKMF certificate. Each bad answer carries a new
# PGK (ID 77) that must never reach the kernel. The lab PKMF itself must
# not stall on a client that never completes its TLS handshake.
. "$LAB_TOP/tests/lab/lib.sh"
. "$LAB_TOP/tests/pkmf/lab.sh"

fresh_pkmf 3600 0 A:1
pkmf_start
keyd_conf A 1
expect "first fetch" keyd_once A
expect_eq "A holds PGKs 1 and 2" "$(key_ids A)" "1 2"
before=$(on A "$PC5CTL" -j show pc5)
state_sum() { cat /tmp/keyd-A/state/* | md5sum; }
state_before=$(state_sum)

# bad_answer DESCRIPTION REGEX: --once fails, logs REGEX, changes nothing
bad_answer() {
	local what=$1 re=$2 n
	n=$(lines /tmp/keyd-A/log)
	expect_fail "$what: --once fails" keyd_once A
	log=$(tail -n +$((n + 1)) /tmp/keyd-A/log)
	echo "$what: $log" | head -n 3
	expect_match "$what: logged" "$log" "$re.*installed keys unchanged"
	expect_eq "$what: kernel unchanged" "$(on A "$PC5CTL" -j show pc5)" "$before"
	expect_eq "$what: state files unchanged" "$(state_sum)" "$state_before"
}

step "answers the daemon must refuse"
pkmf_mode http-500;          bad_answer "HTTP 500" "PKMF answered HTTP 500"
pkmf_mode http-403;          bad_answer "HTTP 403" "PKMF answered HTTP 403"
pkmf_mode not-xml-type;      bad_answer "HTML" "content type text/html, not XML"
pkmf_mode oversize;          bad_answer "oversized" "response larger than 65536 bytes"
pkmf_mode garbage;           bad_answer "truncated XML" "KEY_RESPONSE refused: malformed XML"
pkmf_mode entity;            bad_answer "entity expansion" "KEY_RESPONSE refused: document has a DTD or entity declaration"
pkmf_mode wrong-type;        bad_answer "wrong type" "KEY_RESPONSE refused: <PGK-ID>: not a decimal number"
pkmf_mode unknown-element;   bad_answer "unknown element" "KEY_RESPONSE refused: unexpected <surprise> in <KEY_RESPONSE>"
pkmf_mode bad-encoding;      bad_answer "Latin-1" "KEY_RESPONSE refused: declared encoding ISO-8859-1: only UTF-8"
pkmf_mode wrong-transaction; bad_answer "transaction" "KEY_RESPONSE refused: transaction ID [0-9]+, want [0-9]+"
pkmf_mode unknown-group;     bad_answer "extra group" "KEY_RESPONSE refused: group 0xabcdef was not asked for"
pkmf_mode eea0;              bad_answer "a suite not offered" "group 0x000042: suite eea0 is not in ciphers: group refused"
pkmf_mode ok
expect_match "A offered its default ciphers, no eea0" \
	"$(grep 'KEY_REQUEST ue=ue-A' /tmp/pkmf.log | tail -n 1)" \
	" offered=aes-gcm-256,chacha20-poly1305,aes-gcm-128,eea2,eea3,eea1 mode="

step "clients that would stall the PKMF (a test fixture, but every keyd test needs it)"
# one that connects and never sends a ClientHello
on A bash -c 'exec 3<>/dev/tcp/10.9.0.1/8443; sleep 60' &
track $!
sleep 1
expect_eq "a negative Content-Length is refused" "$(on A python3 - <<'PY'
import socket, ssl
ctx = ssl.create_default_context(cafile="/tmp/pki/ca.pem")
ctx.load_cert_chain("/tmp/pki/ue-A.pem", "/tmp/pki/ue-A.key")
s = ctx.wrap_socket(socket.create_connection(("10.9.0.1", 8443), timeout=20),
                    server_hostname="10.9.0.1")
s.sendall(b"POST /pc3 HTTP/1.1\r\nHost: pkmf\r\nContent-Length: -1\r\n\r\n")
print(s.recv(200).split(b"\r\n")[0].decode())
PY
)" "HTTP/1.1 400 Bad Request"
expect "A still gets its answer meanwhile" keyd_once A

step "an impostor: the PKMF's name and address, a certificate from another CA"
pkmf_stop
reqs=$(grep -c KEY_REQUEST /tmp/pkmf.log)
pkmf_start rogue-pkmf
bad_answer "untrusted certificate" "SSL certificate problem: unable to get local issuer certificate"
expect_eq "the impostor got no KEY_REQUEST" "$(grep -c KEY_REQUEST /tmp/pkmf.log)" "$reqs"

step "no PKMF at all"
pkmf_stop
bad_answer "unreachable" "Couldn't connect to server|Connection refused"

step "the real PKMF again: a good answer still works"
pkmf_start
expect "fetch" keyd_once A
expect_eq "A still holds PGKs 1 and 2, never 77" "$(key_ids A)" "1 2"

step "a pinned PKMF key, a CRL"
before=$(on A "$PC5CTL" -j show pc5)
state_before=$(state_sum)
# pin_of NAME: the pkmf-pin form of $PKI/NAME.pem's public key
pin_of() {
	openssl x509 -in "$PKI/$1.pem" -pubkey -noout | openssl pkey -pubin -outform der |
		openssl dgst -sha256 -binary | base64
}
keyd_conf A 1 "pkmf-pin = sha256//$(pin_of rogue-pkmf)"
bad_answer "a PKMF key that is not pinned" "SSL public key does not match pinned public key"
keyd_conf A 1 "pkmf-pin = sha256//$(pin_of rogue-pkmf);sha256//$(pin_of pkmf)"
expect "one of two pinned keys" keyd_once A
python3 "$LAB_TOP/tests/pkmf/mkcrl" $PKI /tmp/crl-empty.pem
keyd_conf A 1 "crl-file = /tmp/crl-empty.pem"
expect "a CRL that revokes nothing" keyd_once A
python3 "$LAB_TOP/tests/pkmf/mkcrl" $PKI /tmp/crl.pem pkmf
keyd_conf A 1 "crl-file = /tmp/crl.pem"
bad_answer "a revoked PKMF certificate" "certificate revoked"
