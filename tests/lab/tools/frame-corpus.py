#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Writes the seed corpus of the frame fuzzer (tests/fuzz/pc5frames.c):
one Ethernet frame per NAME.hex file, in hex.

frame-corpus.py DIR

The groups are those of tests/lab/tests/fuzz-frames.sh, one per suite
(GROUPS below), all keyed with lib.sh's TEST_PGK as PGK Index 1: the
genuine frames here are valid on the test's links (once each: then they
are replays). Senders: 1 (the other UE, "known"), 2 (the receiver's own
member ID) and 0x99 (unknown). Beside the genuine ones, frames at the
edges: header only, an SDU filling the lower MTU, a padded minimum frame,
an empty or cut AEAD tag, IPv6, VLAN-tagged, short headers.

Deterministic: run it again and nothing changes.
"""
import os
import struct
import sys

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

sys.path.insert(0, __file__.rsplit("/", 1)[0])
import aead  # noqa: E402
import frame  # noqa: E402

PGK = bytes(range(32))  # lib.sh TEST_PGK
GROUPS = {  # suite: (group, algorithm identity)
    "eea0": (0x50, 0),
    "eea2": (0x51, 2),
    "aes-gcm-128": (0x52, 0x10),
    "aes-gcm-256": (0x53, 0x11),
    "chacha20-poly1305": (0x54, 0x12),
    "eea1": (0x55, 1),
    "eea3": (0x56, 3),
}
MTU = 1500
HDR = 12


def build(*opts):
    return frame.build(frame.parser().parse_args(["build", *map(str, opts)]))


def ipv6(n):
    """An IPv6 packet, no next header (59), n octets of payload."""
    return (struct.pack("!IHBB", 6 << 28, n, 59, 64) + bytes(15) + b"\x01"
            + bytes(15) + b"\x02" + bytes(range(n)))


def seal(suite, fr):
    """Frame fr (an SDU in clear after the header) as suite sends it."""
    group, alg = GROUPS[suite]
    hdr, sdu = fr[14:14 + HDR], fr[14 + HDR:]
    member = int.from_bytes(hdr[1:4], "big")
    ptk_id, sn = struct.unpack("!HH", hdr[8:12])
    if suite == "eea0":
        return fr
    if suite == "eea2":
        key = aead.derive(alg, 16, PGK, member, ptk_id, group)
        iv = struct.pack("!HH", ptk_id, sn) + bytes(12)
        enc = Cipher(algorithms.AES(key), modes.CTR(iv)).encryptor()
        return fr[:14 + HDR] + enc.update(sdu) + enc.finalize()
    # the AEAD suites, and eea1/eea3 (eea13.py behind aead.py's interface)
    box, nonce = aead.box(suite, PGK, hdr, group)
    return fr[:14 + HDR] + box.encrypt(nonce, sdu, hdr)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    frames = {}
    for suite, (group, _) in GROUPS.items():
        tag = 16 if suite not in ("eea0", "eea1", "eea2", "eea3") else 0
        g = ["--group", hex(group), "--index", 1]
        udp = f"10.9.0.1,10.255.255.1,9,{suite}"
        big = MTU - HDR - tag - 28  # the SDU fills the lower MTU
        s = suite
        frames[f"{s}-known"] = seal(s, build(*g, "--src", 1, "--sn", 3, "--udp4", udp))
        frames[f"{s}-unknown"] = seal(s, build(*g, "--src", 0x99, "--ptk", 5, "--sn", 7,
                                                "--udp4", udp))
        frames[f"{s}-own"] = seal(s, build(*g, "--src", 2, "--sn", 1, "--udp4", udp))
        frames[f"{s}-ptk-ffff"] = seal(s, build(*g, "--src", 0x99, "--ptk", 0xffff,
                                                 "--sn", 0xffff, "--udp4", udp))
        frames[f"{s}-mtu"] = seal(s, build(*g, "--src", 0x98, "--sn", 1, "--udp4",
                                           f"10.9.0.1,10.255.255.1,9,{'x' * big}"))
        frames[f"{s}-ipv6"] = seal(s, build(*g, "--src", 0x97, "--sn", 2,
                                            "--data", ipv6(5).hex()))
        frames[f"{s}-header-only"] = seal(s, build(*g, "--src", 0x99, "--sn", 9))
        if tag:
            hdr_only = frames[f"{s}-header-only"]
            frames[f"{s}-tag-cut"] = hdr_only[:-1]
        else:
            # 20 octets of IPv4 header: under 60 octets, the air pads it
            ip = frame.udp4("10.9.0.1", "10.255.255.1", 9, "")[:20]
            ip = bytearray(ip)
            ip[2:4] = struct.pack("!H", 20)
            ip[10:12] = b"\0\0"
            ip[10:12] = struct.pack("!H", frame.csum(bytes(ip)))
            fr = seal(s, build(*g, "--src", 0x96, "--sn", 4, "--data", ip.hex()))
            frames[f"{s}-padded"] = fr + bytes(60 - len(fr))
    eea0 = ["--group", "0x50", "--index", 1, "--udp4", "10.9.0.1,10.255.255.1,9,edge"]
    frames["edge-vlan"] = build(*eea0, "--sn", 20, "--vlan", 5)
    frames["edge-dmac-unicast"] = build(*eea0, "--sn", 21, "--dmac", "02:00:00:00:00:42")
    frames["edge-dmac-broadcast"] = build(*eea0, "--sn", 22, "--dmac", "ff:ff:ff:ff:ff:ff")
    frames["edge-other-group"] = build(*eea0, "--sn", 23, "--group", "0x99", "--dst", "0x50")
    frames["edge-version-2"] = build(*eea0, "--sn", 24, "--version", 2)
    frames["edge-sdu-arp"] = build(*eea0, "--sn", 25, "--sdu", 1)
    frames["edge-index-unknown"] = build(*eea0, "--sn", 26, "--index", 0x1f)
    for n in (0, 6, 11):
        frames[f"edge-header-{n}"] = build("--group", "0x50", "--header-len", n)
    for name, fr in frames.items():
        with open(os.path.join(out, name + ".hex"), "w") as f:
            f.write(fr.hex() + "\n")
    print(f"{len(frames)} frames in {out}")


if __name__ == "__main__":
    sys.exit(main())
