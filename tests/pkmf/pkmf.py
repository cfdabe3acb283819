#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A ProSe Key Management Function for the lab: PC3 over HTTPS.

pkmf.py --groups FILE --cert PEM --key PEM --client-ca PEM
        [--listen ADDR:PORT] [--control FILE]

Answers POST of a KEY_REQUEST (Documentation/pc3/) with a KEY_RESPONSE.
TLS with client certificates: a UE must present a certificate from
--client-ca whose CN is the UE-ID of its request (else HTTP 403).

FILE (JSON) describes the groups and the key schedule:

    {"epoch": 1764356400, "period": 20, "grace": 10, "lookahead": 20,
     "seed": "64 hex digits",
     "groups": {"000042": {"algorithm": "eea2",
                           "members": {"ue-a": 1, "ue-b": 2}}}}

PGK number j of a group (j >= 0) is valid from epoch + j*period to
epoch + (j+1)*period + grace, has PGK ID 1 + j % 254 and the key
HMAC-SHA-256(seed, group-id || j): the schedule rotates by itself and a
restarted PKMF hands out the same keys. A response holds every PGK not
expired and starting within lookahead. A group may instead list fixed
"pgks": [{"id": 33, "key": HEX, "not_before": T, "not_after": T}].

--control FILE: read at each request, one word picks a misbehaviour for
tests: ok (default), http-500, http-403, garbage, oversize, entity,
wrong-type, unknown-element, bad-encoding, wrong-transaction,
unknown-group, not-xml-type, slow, eea0 (the suite eea0, whatever the
UE offered). Every answer but "ok" and "omit-held" also carries a new PGK
(ID 77), so that a client that accepted it would show it. "omit-held" is a valid answer that leaves out the PGKs the
KEY_REQUEST says the UE holds (the spec allows it); a group left with no
PGK then gets the error "no-new-pgk".
Every request is logged on stderr, with the suites the UE offered.

Revocation (issue 16): a group may list "revoked": [PGK IDs]. Those are
never handed out, and every response to a member names them as
revoked-PGK-ID. Push: a UE whose KEY_REQUEST gives a push-port gets a
new random push-key in each response; on SIGUSR1 the PKMF reads FILE
again and sends every such UE (at the address its last request came
from) the 48-octet push of userspace/pc5keyd/push.h, upon which it
fetches at once. Each push is logged ("push ue=... to ADDR:PORT").

A client cannot stall it: each connection's TLS handshake runs in that
connection's thread with a 10 s timeout (not in the accept loop, where a
client that never sends a ClientHello would block every other), and a
Content-Length that is not a number from 0 to 65536 is refused.
"""
import argparse
import hashlib
import hmac
import http.server
import json
import os
import signal
import socket
import ssl
import struct
import sys
import threading
import time
import xml.etree.ElementTree as ET

NS = "urn:pc5sec:pc3:1"
Q = "{" + NS + "}"


def utc(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def pgks_of(cfg, gid, g, now):
    gone = set(g.get("revoked", []))
    return [p for p in all_pgks_of(cfg, gid, g, now) if p[0] not in gone]


def all_pgks_of(cfg, gid, g, now):
    if "pgks" in g:
        return [(p["id"], p["key"], p["not_before"], p["not_after"]) for p in g["pgks"]
                if p["not_after"] > now]
    out = []
    ep, per, grace = cfg["epoch"], cfg["period"], cfg.get("grace", 0)
    look = cfg.get("lookahead", per)
    seed = bytes.fromhex(cfg["seed"])
    j = max(0, int((now - ep - grace) // per))
    while ep + j * per <= now + look:
        nb, na = ep + j * per, ep + (j + 1) * per + grace
        if na > now:
            key = hmac.new(seed, bytes.fromhex(gid) + j.to_bytes(4, "big"),
                           hashlib.sha256).hexdigest()
            out.append((1 + j % 254, key, nb, na))
        j += 1
    return out


def response(cfg, txn, ue, gids, now, mode, held=None, push_key=None):
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<KEY_RESPONSE xmlns="{NS}">',
             f"  <transaction-ID>{txn}</transaction-ID>"]
    if push_key:
        lines.append(f"  <push-key>{push_key.hex()}</push-key>")
    if mode == "unknown-element":
        lines.append("  <surprise>1</surprise>")
    if mode == "unknown-group":
        gids = gids + ["ABCDEF"]
    for gid in gids:
        g = cfg["groups"].get(gid.upper()) or cfg["groups"].get(gid.lower())
        lines.append(f"  <group>\n    <group-ID>{gid.upper()}</group-ID>")
        if gid == "ABCDEF" and mode == "unknown-group":
            lines.append("    <error>unknown-group</error>\n  </group>")
            continue
        if g is None:
            lines.append("    <error>unknown-group</error>\n  </group>")
            continue
        if ue not in g["members"]:
            lines.append("    <error>not-authorised</error>\n  </group>")
            continue
        lines.append(f"    <group-member-ID>{g['members'][ue]:06X}</group-member-ID>")
        algo = "eea0" if mode == "eea0" else g["algorithm"]
        lines.append(f"    <algorithm>{algo}</algorithm>")
        pgks = pgks_of(cfg, gid.upper(), g, now)
        revoked = "".join(f"    <revoked-PGK-ID>{r}</revoked-PGK-ID>\n"
                          for r in g.get("revoked", []))
        if mode == "omit-held":
            have = {int(x) for x in (held or {}).get(gid, [])}
            pgks = [p for p in pgks if p[0] not in have]
            if not pgks and not revoked:
                lines[-2:] = ["    <error>no-new-pgk</error>\n  </group>"]
                continue
        elif mode != "ok":
            # a bad answer carries a new PGK: installing it would show
            pgks.append((77, "77" * 32, int(now) - 1, int(now) + 3600))
        for pid, key, nb, na in pgks:
            if mode == "wrong-type":
                pid = "thirty-three"
            lines.append(f"    <PGK>\n      <PGK-ID>{pid}</PGK-ID>\n      <key>{key}</key>\n"
                         f"      <not-before>{utc(nb)}</not-before>\n"
                         f"      <expiry>{utc(na)}</expiry>\n    </PGK>")
        lines.append(revoked + "  </group>")
    lines.append("</KEY_RESPONSE>\n")
    return "\n".join(lines).encode()


ENTITY = (b'<?xml version="1.0"?>\n<!DOCTYPE KEY_RESPONSE [\n'
          b' <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">\n'
          b' <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n'
          b' <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">\n'
          b' <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">\n'
          b' <!ENTITY x SYSTEM "file:///etc/passwd">\n]>\n'
          b'<KEY_RESPONSE xmlns="urn:pc5sec:pc3:1"><transaction-ID>&d;&x;</transaction-ID>'
          b'</KEY_RESPONSE>\n')


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "pc5sec-lab-pkmf/1"
    timeout = 10    # every read of a connection, the handshake's too

    def handle(self):
        # the handshake here, in this connection's thread (see above)
        try:
            self.connection.do_handshake()
        except (OSError, ValueError) as e:
            self.log_message("TLS handshake failed: %s", e)
            return
        super().handle()

    def log_message(self, fmt, *args):
        sys.stderr.write("pkmf: " + (fmt % args) + "\n")
        sys.stderr.flush()

    def reply(self, status, body, ctype="application/xml"):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        srv = self.server
        mode = "ok"
        if srv.control:
            try:
                with open(srv.control) as f:
                    mode = f.read().strip() or "ok"
            except FileNotFoundError:
                pass
        try:
            n = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            n = -1
        if n < 0:
            self.log_message("bad Content-Length %r", self.headers.get("Content-Length"))
            return self.reply(400, b"bad Content-Length", "text/plain")
        if n > 65536:
            return self.reply(413, b"too large", "text/plain")
        body = self.rfile.read(n)
        try:
            req = ET.fromstring(body)
            assert req.tag == Q + "KEY_REQUEST"
            txn = int(req.find(Q + "transaction-ID").text)
            ue = req.find(Q + "UE-ID").text
            gids = [g.find(Q + "group-ID").text for g in req.findall(Q + "group")]
            held = {g.find(Q + "group-ID").text: [p.text for p in g.findall(Q + "PGK-ID")]
                    for g in req.findall(Q + "group")}
            algos = [a.text for a in req.iter(Q + "algorithm")]
            pp = req.find(Q + "push-port")
            push_port = int(pp.text) if pp is not None else 0
        except Exception as e:  # noqa: BLE001
            self.log_message("bad KEY_REQUEST: %s", e)
            return self.reply(400, b"bad request", "text/plain")
        cn = dict(x[0] for x in self.connection.getpeercert()["subject"]).get("commonName")
        self.log_message("KEY_REQUEST ue=%s cn=%s groups=%s held=%s offered=%s mode=%s push=%s",
                         ue, cn, gids, held, ",".join(algos), mode, push_port or "-")
        if cn != ue:
            return self.reply(403, b"certificate does not match UE-ID", "text/plain")
        if mode == "http-500":
            return self.reply(500, b"internal error", "text/plain")
        if mode == "http-403":
            return self.reply(403, b"forbidden", "text/plain")
        if mode == "slow":
            time.sleep(60)
        if mode == "garbage":
            return self.reply(200, b"<KEY_RESPONSE xmlns='urn:pc5sec:pc3:1'><transaction-ID>")
        if mode == "entity":
            return self.reply(200, ENTITY)
        if mode == "not-xml-type":
            return self.reply(200, response(srv.cfg, txn, ue, gids, time.time(), "ok"),
                              "text/html")
        if mode == "oversize":
            doc = response(srv.cfg, txn, ue, gids, time.time(), "ok")
            return self.reply(200, doc.replace(b"<KEY_RESPONSE", b" " * 200000 + b"<KEY_RESPONSE", 1))
        if mode == "bad-encoding":
            doc = response(srv.cfg, txn, ue, gids, time.time(), "ok")
            doc = doc.replace(b'encoding="UTF-8"', b'encoding="ISO-8859-1"')
            return self.reply(200, doc)
        if mode == "wrong-transaction":
            txn = (txn + 1) % (1 << 32)
        push_key = None
        if push_port:
            push_key = os.urandom(32)
            with srv.lock:
                srv.push[ue] = (self.client_address[0], push_port, push_key)
        self.reply(200, response(srv.cfg, txn, ue, gids, time.time(), mode, held, push_key))


def push_all(srv):
    """SIGUSR1: the groups file again, then a push to every UE that asked."""
    with open(srv.groups) as f:
        srv.cfg = json.load(f)
    with srv.lock:
        ues = list(srv.push.items())
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for ue, (addr, port, key) in ues:
        head = b"PC5P\x01\0\0\0" + struct.pack(">Q", time.time_ns() // 1000)
        s.sendto(head + hmac.new(key, head, hashlib.sha256).digest(), (addr, port))
        sys.stderr.write(f"pkmf: push ue={ue} to {addr}:{port}\n")
    s.close()
    sys.stderr.flush()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--groups", required=True)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--client-ca", required=True)
    ap.add_argument("--listen", default="0.0.0.0:8443")
    ap.add_argument("--control")
    a = ap.parse_args()
    host, port = a.listen.rsplit(":", 1)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(a.cert, a.key)
    ctx.load_verify_locations(a.client_ca)
    ctx.verify_mode = ssl.CERT_REQUIRED
    srv = http.server.ThreadingHTTPServer((host, int(port)), Handler)
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True,
                                 do_handshake_on_connect=False)
    with open(a.groups) as f:
        srv.cfg = json.load(f)
    srv.groups = a.groups
    srv.control = a.control
    srv.lock = threading.Lock()
    srv.push = {}
    signal.signal(signal.SIGUSR1, lambda *_: push_all(srv))
    sys.stderr.write(f"pkmf: listening on {a.listen}\n")
    sys.stderr.flush()
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
