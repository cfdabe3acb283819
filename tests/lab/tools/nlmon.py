#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Reads a pcap taken on an nlmon device and looks for bytes in it.

nlmon.py FILE HEX
    Splits every captured packet into its netlink messages. A message with
    NLM_F_REQUEST is a request (user -> kernel), one without it a reply
    (kernel -> user: data, dump parts, acks, errors). Prints one line per
    packet that holds the bytes HEX, then a summary:
    "requests N with-key K replies M with-key L".
"""
import struct
import sys

sys.path.insert(0, __file__.rsplit("/", 1)[0])
import pcap  # noqa: E402

NLM_F_REQUEST = 1


def main():
    path, needle = sys.argv[1], bytes.fromhex(sys.argv[2])
    req = req_key = rep = rep_key = 0
    for n, pkt in enumerate(pcap.frames(path)):
        # LINKTYPE_NETLINK: a 16-octet cooked header, then the messages
        pkttype, _, _, _, proto = struct.unpack(">HHH8sH", pkt[:16])
        data, off = pkt[16:], 0
        while off + 16 <= len(data):
            length, typ, flags, seq, pid = struct.unpack_from("=IHHII", data, off)
            if length < 16:
                break
            msg = data[off:off + length]
            is_req = bool(flags & NLM_F_REQUEST)
            has = needle in msg
            if is_req:
                req, req_key = req + 1, req_key + has
            else:
                rep, rep_key = rep + 1, rep_key + has
            if has:
                print(f"packet {n} (pkttype {pkttype}, netlink family {proto}): "
                      f"{'request' if is_req else 'reply'} type {typ} flags {flags:#x} "
                      f"pid {pid} len {length} holds the bytes")
            off += (length + 3) & ~3
    print(f"requests {req} with-key {req_key} replies {rep} with-key {rep_key}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
