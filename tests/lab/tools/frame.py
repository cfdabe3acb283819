#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Builds pc5sec frames and puts raw frames on a link, for lab tests.

frame.py build [options]          prints one frame as hex (spec section 4)
    --group G      Group ID of the destination MAC (03:50:43||G), default 0x42
    --dst D        Layer-2 Destination ID in the header (default: --group)
    --src S        Layer-2 Source ID (default 0x99)
    --smac MAC     source MAC (default 02:00:00:00:00:99)
    --dmac MAC     destination MAC instead of the group's
    --vlan VID     an 802.1Q tag with VLAN ID VID before the EtherType
    --ethertype E  default 0x88b5
    --version V    4 MSB of octet 0 (default 1); --reserved R its 4 LSB
    --sdu T        SDU Type (default 0); --index I  PGK Index (default 1)
    --ptk P        PTK Identity; --sn N  PDCP SN (defaults 0)
    --data HEX     the Data field (default empty)
    --udp4 SRC,DST,PORT,TEXT   the Data field is an IPv4/UDP packet
    --header-len N keep only N octets of the 12-octet header (and no data)
frame.py send IFACE FRAME...      sends each frame once (AF_PACKET, raw);
                                  FRAME is hex, or build options in one
                                  word, e.g. "--sn 3 --data 00"
frame.py pcap IFACE FILE [N...]   sends pc5sec frames N (0-based) of FILE,
                                  or all of them, in order
frame.py rewrite HEX --ptk P --sn N   the frame with PTK Identity/SN replaced
frame.py forge IFACE HEX N --ptk P    sends N forgeries of frame HEX: PTK
                                  Identity P, a random SN of at least --sn
                                  and random Data of the same length
                                  (seeded: the same frames every run)
frame.py count FILE [TEXT]        prints "frames N pc5sec M marker K": every
                                  frame of a pcap, the pc5sec ones, and those
                                  holding TEXT
frame.py hdrs FILE                one line per pc5sec frame: ptk_id sn
"""
import argparse
import random
import shlex
import socket
import struct
import sys

sys.path.insert(0, __file__.rsplit("/", 1)[0])
import pcap  # noqa: E402


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack(f"!{len(b) // 2}H", b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def udp4(src, dst, port, text):
    payload = text.encode()
    s, d = socket.inet_aton(src), socket.inet_aton(dst)
    udp = struct.pack("!HHHH", 40000, port, 8 + len(payload), 0) + payload
    c = csum(s + d + struct.pack("!BBH", 0, 17, len(udp)) + udp) or 0xFFFF
    udp = udp[:6] + struct.pack("!H", c) + udp[8:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0x4000, 64, 17, 0, s, d)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return ip + udp


def build(a):
    if a.dmac:
        eth = bytes.fromhex(a.dmac.replace(":", ""))
    else:
        eth = bytes.fromhex("035043") + a.group.to_bytes(3, "big")
    eth += bytes.fromhex(a.smac.replace(":", ""))
    if a.vlan is not None:
        eth += struct.pack("!HH", 0x8100, a.vlan)
    eth += struct.pack("!H", a.ethertype)
    dst = a.group if a.dst is None else a.dst
    hdr = bytes([(a.version << 4) | a.reserved]) + a.src.to_bytes(3, "big")
    hdr += dst.to_bytes(3, "big") + bytes([(a.sdu << 5) | a.index])
    hdr += struct.pack("!HH", a.ptk, a.sn)
    if a.header_len is not None:
        return eth + hdr[:a.header_len]
    data = bytes.fromhex(a.data)
    if a.udp4:
        src, dstip, port, text = a.udp4.split(",", 3)
        data = udp4(src, dstip, int(port), text)
    return eth + hdr + data


def send(iface, frames):
    with socket.socket(socket.AF_PACKET, socket.SOCK_RAW) as s:
        s.bind((iface, 0))
        for fr in frames:
            s.send(fr)


def parser():
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd")
    ap.add_argument("args", nargs="*")
    num = lambda s: int(s, 0)  # noqa: E731
    ap.add_argument("--group", type=num, default=0x42)
    ap.add_argument("--dst", type=num)
    ap.add_argument("--src", type=num, default=0x99)
    ap.add_argument("--smac", default="02:00:00:00:00:99")
    ap.add_argument("--dmac")
    ap.add_argument("--vlan", type=num)
    ap.add_argument("--ethertype", type=num, default=0x88B5)
    ap.add_argument("--version", type=num, default=1)
    ap.add_argument("--reserved", type=num, default=0)
    ap.add_argument("--sdu", type=num, default=0)
    ap.add_argument("--index", type=num, default=1)
    ap.add_argument("--ptk", type=num, default=0)
    ap.add_argument("--sn", type=num, default=0)
    ap.add_argument("--data", default="")
    ap.add_argument("--udp4")
    ap.add_argument("--header-len", type=num)
    return ap


def one(spec):
    if spec.startswith("-"):
        return build(parser().parse_args(["build"] + shlex.split(spec)))
    return bytes.fromhex(spec)


def main():
    ap = parser()
    a = ap.parse_args()
    if a.cmd == "build":
        print(build(a).hex())
    elif a.cmd == "send":
        send(a.args[0], [one(f) for f in a.args[1:]])
    elif a.cmd == "pcap":
        fr = [f for f in pcap.frames(a.args[1]) if pcap.parse(f)["etype"] == pcap.ETHERTYPE]
        pick = [int(n) for n in a.args[2:]] or range(len(fr))
        send(a.args[0], [fr[n] for n in pick])
    elif a.cmd == "rewrite":
        fr = bytearray(bytes.fromhex(a.args[0]))
        fr[14 + 8:14 + 12] = struct.pack("!HH", a.ptk, a.sn)
        print(fr.hex())
    elif a.cmd == "forge":
        rnd = random.Random(a.sn ^ a.ptk)
        fr = bytearray(bytes.fromhex(a.args[1]))
        out = []
        for _ in range(int(a.args[2])):
            fr[14 + 8:14 + 12] = struct.pack("!HH", a.ptk, rnd.randint(a.sn, 0xFFFF))
            fr[14 + 12:] = rnd.randbytes(len(fr) - 14 - 12)
            out.append(bytes(fr))
        send(a.args[0], out)
    elif a.cmd == "count":
        n = m = k = 0
        for fr in pcap.frames(a.args[0]):
            n += 1
            m += pcap.parse(fr)["etype"] == pcap.ETHERTYPE
            k += len(a.args) > 1 and a.args[1].encode() in fr
        print(f"frames {n} pc5sec {m} marker {k}")
    elif a.cmd == "hdrs":
        for fr in pcap.frames(a.args[0]):
            p = pcap.parse(fr)
            if p["etype"] == pcap.ETHERTYPE:
                print(p["ptk_id"], p["sn"])
    else:
        ap.error(f"unknown command {a.cmd}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
