#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Writes the test captures of test.sh into DIR, with the frames built by
tests/lab/tools/frame.py and sealed by tests/lab/tools/aead.py (plus eea0
and eea2, which aead.py leaves out: clear text, and AES-128-CTR from the
spec's counter block) -- an implementation independent of the dissector.

mkcaps.py DIR [--tools PATH] [--corpus PATH]

DIR/<suite>.pcap     genuine frames of group 0x42, one per line of
DIR/<suite>.tsv      what tshark must print for them: ptk_id, sn, ip.src,
                     ipv6.src, udp.payload (hex), pc5sec.key.pek_prefix
DIR/<suite>.secrets  the PGK and every full PEK, in hex, which must appear
                     nowhere in tshark's output
DIR/pgk              the PGK (64 hex digits)
DIR/malformed.pcap   short headers, every header field varied, cut tags,
                     snaplen-cut records, VLAN, odd inner packets
DIR/malformed.counts "NAME N": frames that must carry expert info NAME
DIR/random.pcap      random Data fields and random headers (for ASan)
DIR/corpus.pcap      the frames of the fuzzer's seed corpus (*.hex)
DIR/corpus-known.pcap  its genuine "<suite>-known" frames, one per suite
                     listed in DIR/corpus-known.suites
DIR/ethertype.pcap   one eea0 frame with EtherType 0x88b6
"""
import argparse
import glob
import os
import random
import socket
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.normpath(os.path.join(HERE, "..", ".."))

PGK = bytes.fromhex("5ec0de0123456789abcdeffedcba9876543210a5a5a5a55a5a5a5a0f1e2d3c4b")
GROUP = 0x42
SUITES = ["eea0", "eea1", "eea2", "eea3", "aes-gcm-128", "aes-gcm-256",
          "chacha20-poly1305"]
ALG = {"eea0": (0, 0), "eea2": (2, 16)}  # what aead.SUITES lacks


def pcap_write(path, records):
    """records: frames, or (frame, original length) for a cut record."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, r in enumerate(records):
            fr, orig = r if isinstance(r, tuple) else (r, len(r))
            f.write(struct.pack("<IIII", 1700000000 + i, 0, len(fr), orig))
            f.write(fr)


def build(**kw):
    args = ["build"]
    for k, v in kw.items():
        args += ["--" + k.replace("_", "-"), str(v)]
    return frame.build(frame.parser().parse_args(args))


def udp6(src, dst, port, text):
    payload = text.encode()
    s, d = socket.inet_pton(socket.AF_INET6, src), socket.inet_pton(socket.AF_INET6, dst)
    udp = struct.pack("!HHHH", 40000, port, 8 + len(payload), 0) + payload
    c = frame.csum(s + d + struct.pack("!IxxxB", len(udp), 17) + udp) or 0xFFFF
    udp = udp[:6] + struct.pack("!H", c) + udp[8:]
    return struct.pack("!IHBB16s16s", 6 << 28, len(udp), 17, 64, s, d) + udp


def pek_of(suite, hdr):
    member = int.from_bytes(hdr[1:4], "big")
    ptk_id = struct.unpack("!H", hdr[8:10])[0]
    if suite in ALG:
        alg, n = ALG[suite]
        return aead.derive(alg, n, PGK, member, ptk_id, GROUP) if n else b""
    return aead.pek(suite, PGK, member, ptk_id, GROUP)


def seal(suite, fr):
    """The frame with its Data field ciphered as the suite says."""
    hdr, sdu = fr[14:26], fr[26:]
    if suite == "eea0":
        return fr
    if suite == "eea2":
        iv = hdr[8:12] + bytes(12)  # COUNT || BEARER 0 || DIRECTION 0 || 0
        enc = Cipher(algorithms.AES(pek_of(suite, hdr)), modes.CTR(iv)).encryptor()
        return fr[:26] + enc.update(sdu) + enc.finalize()
    box, nonce = aead.box(suite, PGK, hdr, GROUP)
    return fr[:26] + box.encrypt(nonce, sdu, hdr)


# (src, ptk, sn, inner): the genuine frames of every suite
GENUINE = [
    (0x000001, 0, 17, ("4", "10.0.0.1", "10.0.0.2", 5000, "hello pc5 {suite}")),
    (0x000002, 1, 0, ("4", "10.0.0.2", "10.0.0.9", 5001, "second sender {suite}")),
    (0x0000ab, 0xFFFF, 0xFFFF, ("4", "10.0.0.171", "10.0.0.1", 5002, "count ffffffff")),
    (0x000001, 0, 300, ("4", "10.0.0.1", "10.0.0.2", 5003, "x" * 1000)),
    (0x000003, 7, 5, ("6", "fd00::3", "ff02::1", 5004, "over ipv6 {suite}")),
]


def genuine(suite, outdir):
    frames, rows, secrets = [], [], {PGK.hex()}
    for src, ptk, sn, (v, s, d, port, text) in GENUINE:
        text = text.format(suite=suite)
        if v == "4":
            fr = build(src=src, ptk=ptk, sn=sn, udp4=f"{s},{d},{port},{text}")
        else:
            fr = build(src=src, ptk=ptk, sn=sn, data=udp6(s, d, port, text).hex())
        pek = pek_of(suite, fr[14:26])
        if pek:
            secrets.add(pek.hex())
        frames.append(seal(suite, fr))
        rows.append("\t".join([str(ptk), str(sn), s if v == "4" else "",
                               s if v == "6" else "", text.encode().hex(),
                               pek[:4].hex()]))
    pcap_write(os.path.join(outdir, f"{suite}.pcap"), frames)
    with open(os.path.join(outdir, f"{suite}.tsv"), "w") as f:
        f.write("\n".join(rows) + "\n")
    with open(os.path.join(outdir, f"{suite}.secrets"), "w") as f:
        f.write("\n".join(sorted(secrets)) + "\n")


def malformed(outdir):
    """Frames a parser must survive, and how many of each expert info."""
    rnd = random.Random(5)
    recs, counts = [], {}

    def add(fr, expert=None, n=1):
        recs.append(fr)
        if expert:
            counts[expert] = counts.get(expert, 0) + n

    udp = "10.0.0.1,10.0.0.2,5000,malformed"
    for n in range(12):  # every short header, 0..11 octets
        add(build(header_len=n), "pc5sec.short_header")
    for v in range(16):
        add(build(version=v, udp4=udp), None if v == 1 else "pc5sec.bad_version")
    for r in range(1, 16):
        add(build(reserved=r, udp4=udp), "pc5sec.reserved_nonzero")
    for t in range(8):
        add(build(sdu=t, udp4=udp), "pc5sec.unknown_sdu_type" if t > 3 else None)
    for i in range(32):
        add(build(index=i, udp4=udp))
    for p, s in [(0, 0), (0xFFFF, 0), (0, 0xFFFF), (0x8000, 0x8000), (0x1234, 0x5678)]:
        add(build(ptk=p, sn=s, udp4=udp))
    for src in (0, 0xFFFFFF, 0x800000):
        add(build(src=src, udp4=udp))
    add(build(dst=0x43, udp4=udp))        # header and MAC disagree
    add(build(group=0xFFFFFF, udp4=udp))  # a group nobody has a key for
    add(build(vlan=5, udp4=udp))
    add(build(dmac="ff:ff:ff:ff:ff:ff", udp4=udp))
    # cut tags: a sealed AEAD frame with its Data field cut everywhere
    for suite in ("aes-gcm-128", "chacha20-poly1305"):
        fr = seal(suite, build(sn=99, udp4=udp))
        for n in range(0, len(fr) - 26 + 1):
            add(fr[:26 + n], "pc5sec.short_tag" if n < 16 else None)
    # inner packets that pass the plausibility check but lie
    bad_ip = bytes([0x4F, 0, 0, 20]) + bytes(16)            # IHL 60 > total length
    add(build(data=bad_ip.hex()))
    add(build(data=(bytes([0x60]) + bytes(3) + b"\xff\xff" + bytes(34)).hex()))
    # (counted as test.sh checks them: with an aes-gcm-128 key)
    add(build(data="45"), "pc5sec.short_tag")             # one octet
    add(build(sdu=1, data="0001080006040001"), "pc5sec.short_tag")  # a short ARP
    # records cut by the capture's snaplen
    fr = seal("aes-gcm-128", build(sn=7, udp4=udp))
    for n in (14, 20, 26, 30, len(fr) - 1):
        recs.append((fr[:n], len(fr)))
    pcap_write(os.path.join(outdir, "malformed.pcap"), recs)
    # random Data fields of every small length, and random headers
    rand = [build(sn=n, data=rnd.randbytes(n).hex()) for n in range(80)]
    rand += [build(data="")[:14] + rnd.randbytes(rnd.randint(0, 60)) for _ in range(64)]
    pcap_write(os.path.join(outdir, "random.pcap"), rand)
    with open(os.path.join(outdir, "malformed.counts"), "w") as f:
        f.write("".join(f"{k} {v}\n" for k, v in sorted(counts.items())))


def read_hex(p):
    with open(p) as f:
        words = f.read().split()
    return bytes.fromhex(words[0]) if words else b""


def corpus(outdir, path):
    """The seed corpus, and its "<suite>-known" frames on their own: those
    are genuine frames of frame-corpus.py's group per suite, PGK 00..1f."""
    files = sorted(glob.glob(os.path.join(path, "*.hex")))
    frames = [f for f in map(read_hex, files) if f]
    pcap_write(os.path.join(outdir, "corpus.pcap"), frames)
    known = [s for s in SUITES if os.path.exists(os.path.join(path, f"{s}-known.hex"))]
    pcap_write(os.path.join(outdir, "corpus-known.pcap"),
               [read_hex(os.path.join(path, f"{s}-known.hex")) for s in known])
    with open(os.path.join(outdir, "corpus.count"), "w") as f:
        f.write(f"{len(frames)}\n")
    with open(os.path.join(outdir, "corpus-known.suites"), "w") as f:
        f.write(" ".join(known) + "\n")


def main():
    global aead, frame, Cipher, algorithms, modes
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--tools", default=os.path.join(TOP, "tests", "lab", "tools"))
    ap.add_argument("--corpus", default=os.path.join(TOP, "tests", "fuzz", "corpus", "frames"))
    a = ap.parse_args()
    sys.dont_write_bytecode = True  # leave the lab tools directory as it is
    sys.path.insert(0, a.tools)
    import aead  # noqa: E402
    import frame  # noqa: E402
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes  # noqa: E402
    os.makedirs(a.dir, exist_ok=True)
    with open(os.path.join(a.dir, "pgk"), "w") as f:
        f.write(PGK.hex() + "\n")
    for suite in SUITES:
        genuine(suite, a.dir)
    malformed(a.dir)
    corpus(a.dir, a.corpus)
    pcap_write(os.path.join(a.dir, "ethertype.pcap"),
               [build(ethertype=0x88B6, src=5, sn=1, udp4="10.0.0.5,10.0.0.6,7,ethertype")])
    return 0


if __name__ == "__main__":
    sys.exit(main())
