#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Many UDP datagrams from one netns to another, none lost to the sockets.

flood.py SRC_NS DST_NS DST_ADDR PORT COUNT [BATCH]
    One process holds a receiving socket in DST_NS and a sending socket in
    SRC_NS. It sends datagrams 0..COUNT-1 (each a 4-octet big-endian
    sequence number) BATCH at a time (default 256) and drains the receiver
    between batches, so that no socket buffer overflows: whatever is
    missing was lost on the way. Prints "sent N received M missing K
    duplicates D rate R/s"; exits 0 when every datagram arrived once.
"""
import socket
import struct
import sys
import time

from netns import enter

def main():
    src, dst, addr, port, count = sys.argv[1:6]
    port, count = int(port), int(count)
    batch = int(sys.argv[6]) if len(sys.argv) > 6 else 256
    enter(dst)
    rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rx.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    rx.bind((addr, port))
    enter(src)
    tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    seen = bytearray(count)
    got = dups = 0

    def drain(until, deadline):
        nonlocal got, dups
        while got + dups < until:
            rx.settimeout(max(0.001, deadline - time.monotonic()))
            try:
                d = rx.recv(64)
            except socket.timeout:
                return
            n = struct.unpack(">I", d[:4])[0]
            if seen[n]:
                dups += 1
            seen[n] = 1
            got += 1

    t0 = time.monotonic()
    for i in range(count):
        tx.sendto(struct.pack(">I", i), (addr, port))
        if i % batch == batch - 1:
            drain(i + 1, time.monotonic() + 2)
    drain(count, time.monotonic() + 3)
    dt = time.monotonic() - t0
    missing = count - sum(seen)
    print(f"sent {count} received {got} missing {missing} duplicates {dups} "
          f"rate {count / dt:.0f}/s")
    if missing:
        lost = [i for i in range(count) if not seen[i]]
        print(f"first missing: {lost[:20]}")
    return 0 if not missing and not dups else 1


if __name__ == "__main__":
    sys.exit(main())
