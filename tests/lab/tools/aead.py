#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The AEAD suites of the spec page, independently of the module, for lab
tests: PTK/PEK per TS 33.303 A.3/A.4 with hmac/hashlib, then AES-GCM or
ChaCha20-Poly1305 from Python's cryptography package (nonce = 8 zero
octets || COUNT, AAD = the 12-octet pc5sec header, 16-octet tag). Also
the stream suites eea1 and eea3, with eea13.py's SNOW 3G and ZUC (COUNT,
BEARER 0, DIRECTION 0; no tag: a frame "opens" whatever the key, and only
the SDU's IP length shows a wrong one).

Common options: --pgk HEX (64 digits), --group G (default 0x42; frames of
other groups are ignored).

aead.py open FILE SUITE [MARKER [SRC:SN...]]
    opens every pc5sec frame of a pcap with the PEK of its sender, PTK
    Identity and the PGK. One line per frame, sorted by sender and COUNT:
    "src ptk sn data_len sdu_len", sdu_len being the IP length of the
    opened SDU (checked against its real length), or "FAIL" when the
    frame does not authenticate. Then "frames N opened M marker-air K
    marker-sdu L": K frames hold MARKER on the air, L hold it opened.
    Then for each SRC:SN a line "pick SRC:SN HEX": that frame, raw.
aead.py seal SUITE SRC SN SRCIP,DSTIP,PORT,TEXT
    "seal HEX": a genuine frame of sender SRC, PTK Identity 0, SN SN,
    PGK Index 1, carrying an IPv4/UDP datagram (frame.py --udp4).
aead.py serve
    reads requests from stdin, one a line: "open ..." and "seal ..." as
    above, or "inject IFACE HEX..." (sends the frames raw on IFACE, in
    order, answers "sent N"); each answer ends with a line ".". For a test
    that would otherwise start python3 (seconds under TCG) per frame.
"""
import argparse
import hashlib
import hmac
import socket
import struct
import sys

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305

sys.path.insert(0, __file__.rsplit("/", 1)[0])
import eea13  # noqa: E402
import frame  # noqa: E402
import pcap  # noqa: E402


def stream(fn):
    """A 3GPP stream cipher behind the AEAD interface (nonce = 8 zero octets
    || COUNT, as for the AEAD suites; no AAD, no tag)."""
    class Stream:
        def __init__(self, key):
            self.key = key

        def encrypt(self, nonce, data, _aad):
            return fn(self.key, int.from_bytes(nonce[8:], "big"), 0, 0, data, 8 * len(data))

        decrypt = encrypt
    return Stream


SUITES = {  # name: (algorithm identity, PEK octets, AEAD)
    "eea1": (0x01, 16, stream(eea13.eea1)),
    "eea3": (0x03, 16, stream(eea13.eea3)),
    "aes-gcm-128": (0x10, 16, AESGCM),
    "aes-gcm-256": (0x11, 32, AESGCM),
    "chacha20-poly1305": (0x12, 32, ChaCha20Poly1305),
}
HDR = 12


def pek(suite, pgk, member, ptk_id, group):
    alg, n, _ = SUITES[suite]
    return derive(alg, n, pgk, member, ptk_id, group)


def derive(alg, n, pgk, member, ptk_id, group):
    """The n-octet PEK of algorithm identity alg (spec page, section 2)."""
    s = (b"\x4a" + member.to_bytes(3, "big") + b"\0\3" + ptk_id.to_bytes(2, "big")
         + b"\0\2" + group.to_bytes(3, "big") + b"\0\3")
    ptk = hmac.new(pgk, s, hashlib.sha256).digest()
    return hmac.new(ptk, bytes([0x4B, 0, 0, 1, alg, 0, 1]), hashlib.sha256).digest()[-n:]


def box(suite, pgk, hdr, group):
    """The AEAD keyed for the frame with header hdr, and its nonce."""
    member = int.from_bytes(hdr[1:4], "big")
    ptk_id, sn = struct.unpack("!HH", hdr[8:12])
    nonce = bytes(8) + struct.pack("!HH", ptk_id, sn)
    return SUITES[suite][2](pek(suite, pgk, member, ptk_id, group)), nonce


def open_pcap(a, path, suite, marker=None, picks=()):
    out, n, m, k, L = [], 0, 0, 0, 0
    picked = {p: "none" for p in picks}
    mark = marker.encode() if marker else None
    for fr in pcap.frames(path):
        p = pcap.parse(fr)
        if p["etype"] != pcap.ETHERTYPE or p["l2dst"] != a.group:
            continue
        n += 1
        hdr, data = fr[14:14 + HDR], fr[14 + HDR:]
        src, ptk_id, sn = p["l2src"], p["ptk_id"], p["sn"]
        aead, nonce = box(suite, a.pgk, hdr, a.group)
        k += bool(mark) and mark in fr
        if f"{src}:{sn}" in picked:
            picked[f"{src}:{sn}"] = fr.hex()
        try:
            sdu = aead.decrypt(nonce, data, hdr)
        except InvalidTag:
            out.append((src, ptk_id, sn, len(data), "FAIL"))
            continue
        m += 1
        L += bool(mark) and mark in sdu
        # IPv4 total length, or IPv6 payload length + 40
        ip_len = (struct.unpack("!H", sdu[2:4])[0] if sdu[0] >> 4 == 4
                  else struct.unpack("!H", sdu[4:6])[0] + 40)
        out.append((src, ptk_id, sn, len(data),
                    ip_len if ip_len == len(sdu) else f"{ip_len}!={len(sdu)}"))
    lines = [" ".join(map(str, o)) for o in sorted(out, key=lambda o: o[:3])]
    lines.append(f"frames {n} opened {m} marker-air {k} marker-sdu {L}")
    lines += [f"pick {p} {h}" for p, h in picked.items()]
    return lines


def seal(a, suite, src, sn, udp):
    b = frame.parser().parse_args(["build", "--group", str(a.group), "--src", src,
                                   "--sn", sn, "--udp4", udp, "--smac",
                                   "02:00:00:00:00:%02x" % (int(src, 0) & 0xFF)])
    fr = frame.build(b)
    hdr = fr[14:14 + HDR]
    aead, nonce = box(suite, a.pgk, hdr, a.group)
    return [f"seal {(fr[:14 + HDR] + aead.encrypt(nonce, fr[14 + HDR:], hdr)).hex()}"]


def inject(iface, frames):
    with socket.socket(socket.AF_PACKET, socket.SOCK_RAW) as s:
        s.bind((iface, 0))
        for fr in frames:
            s.send(bytes.fromhex(fr))
    return [f"sent {len(frames)}"]


def run(a, argv):
    if argv[0] == "open":
        return open_pcap(a, argv[1], argv[2], argv[3] if len(argv) > 3 else None,
                         argv[4:])
    if argv[0] == "seal":
        return seal(a, *argv[1:])
    if argv[0] == "inject":
        return inject(argv[1], argv[2:])
    raise ValueError(f"unknown command {argv[0]}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd", nargs="+")
    ap.add_argument("--pgk", type=bytes.fromhex, required=True)
    ap.add_argument("--group", type=lambda s: int(s, 0), default=0x42)
    a = ap.parse_args()
    if a.cmd[0] != "serve":
        print("\n".join(run(a, a.cmd)))
        return 0
    for line in sys.stdin:
        try:
            print("\n".join(run(a, line.split())))
        except Exception as e:  # answer, keep serving
            print(f"error {e!r}")
        print(".", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
