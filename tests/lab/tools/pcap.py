#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Reads a pcap of the air and checks pc5sec frames against the spec.

pcap.py check FILE --group GID --marker TEXT [--min-frames N]
    every frame is EtherType 0x88B5 to 03:50:43||GID with a valid header,
    the marker appears in none of them, and there are at least N frames.
pcap.py frames FILE      prints one line per pc5sec frame (for debugging)
pcap.py show FILE        a readable table of the frames (for the demo)
pcap.py extract FILE N   writes frame N (0-based, pc5sec frames only) raw
                         to stdout, for re-injection
"""
import argparse
import struct
import sys

ETHERTYPE = 0x88B5


def frames(path):
    with open(path, "rb") as f:
        hdr = f.read(24)
        magic = struct.unpack("<I", hdr[:4])[0]
        endian = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
        while True:
            rec = f.read(16)
            if len(rec) < 16:
                return
            _, _, incl, _ = struct.unpack(endian + "IIII", rec)
            yield f.read(incl)


def parse(fr):
    dst, src, etype = fr[:6], fr[6:12], struct.unpack(">H", fr[12:14])[0]
    h = fr[14:26]
    return {
        "dst": dst.hex(":"), "src": src.hex(":"), "etype": etype,
        "version": h[0] >> 4 if h else None,
        "l2src": int.from_bytes(h[1:4], "big"), "l2dst": int.from_bytes(h[4:7], "big"),
        "sdu": h[7] >> 5 if len(h) > 7 else None, "pgk_index": h[7] & 0x1F if len(h) > 7 else None,
        "ptk_id": struct.unpack(">H", h[8:10])[0] if len(h) >= 10 else None,
        "sn": struct.unpack(">H", h[10:12])[0] if len(h) >= 12 else None,
        "data": fr[26:],
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd")
    ap.add_argument("file")
    ap.add_argument("n", nargs="?", type=int)
    ap.add_argument("--group", type=lambda s: int(s, 0))
    ap.add_argument("--marker")
    ap.add_argument("--min-frames", type=int, default=1)
    a = ap.parse_args()
    if a.cmd == "frames":
        for fr in frames(a.file):
            p = parse(fr)
            print(p["dst"], hex(p["etype"]), p["l2src"], hex(p["l2dst"]), p["pgk_index"],
                  p["ptk_id"], p["sn"], len(p["data"]))
        return 0
    if a.cmd == "show":
        print("dst               ethertype  src-id   group-id  pgk  ptk-id  sn     data (first octets)")
        for fr in frames(a.file):
            p = parse(fr)
            if p["etype"] != ETHERTYPE:
                print(p["dst"], hex(p["etype"]), "(not pc5sec)")
                continue
            print(f"{p['dst']} 0x{p['etype']:04x}     0x{p['l2src']:06x} 0x{p['l2dst']:06x}  {p['pgk_index']:<4} "
                  f"{p['ptk_id']:<7} {p['sn']:<6} {p['data'][:12].hex()}..")
        return 0
    if a.cmd == "extract":
        pc5 = [fr for fr in frames(a.file) if parse(fr)["etype"] == ETHERTYPE]
        sys.stdout.buffer.write(pc5[a.n])
        return 0
    n, bad = 0, []
    want_dst = "03:50:43:" + a.group.to_bytes(3, "big").hex(":")
    for fr in frames(a.file):
        p = parse(fr)
        if p["etype"] == 0x86DD or p["etype"] == 0x0806:
            bad.append(f"clear IPv6/ARP frame on the air: {p['dst']} {hex(p['etype'])}")
            continue
        if p["etype"] != ETHERTYPE:
            bad.append(f"frame with EtherType {hex(p['etype'])}")
            continue
        n += 1
        if p["dst"] != want_dst:
            bad.append(f"frame to {p['dst']}, not the group MAC {want_dst}")
        if p["version"] != 1 or p["l2dst"] != a.group or p["sdu"] != 0:
            bad.append(f"bad header: {p}")
        if a.marker and a.marker.encode() in fr:
            bad.append("plaintext marker on the air")
    if n < a.min_frames:
        bad.append(f"only {n} pc5sec frames, want at least {a.min_frames}")
    for b in bad[:10]:
        print("pcap:", b, file=sys.stderr)
    print(f"pcap: {n} pc5sec frames checked, {len(bad)} problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
