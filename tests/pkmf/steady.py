#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""UDP at a steady rate from one netns to another, every datagram counted.

steady.py SRC_NS DST_NS DST_ADDR PORT RATE SECONDS
    Sends datagrams 0, 1, ... (4-octet sequence numbers) at RATE per
    second for SECONDS from SRC_NS, receives them in DST_NS in the same
    process, waits 2 s for stragglers, prints "sent N received M missing K
    duplicates D" (and the missing ranges) and exits 0 when every datagram
    arrived exactly once.
"""
import ctypes
import os
import socket
import struct
import sys
import time

CLONE_NEWNET = 0x40000000
libc = ctypes.CDLL(None, use_errno=True)


def enter(ns):
    fd = os.open(f"/run/netns/{ns}", os.O_RDONLY)
    if libc.setns(fd, CLONE_NEWNET):
        raise OSError(ctypes.get_errno(), f"setns {ns}")
    os.close(fd)


def main():
    src, dst, addr, port, rate, secs = sys.argv[1:7]
    port, rate, secs = int(port), float(rate), float(secs)
    enter(dst)
    rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rx.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    rx.bind(("0.0.0.0", port))
    rx.setblocking(False)
    enter(src)
    tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    seen = {}
    def drain():
        while True:
            try:
                d = rx.recv(64)
            except BlockingIOError:
                return
            n = struct.unpack("!I", d[:4])[0]
            seen[n] = seen.get(n, 0) + 1
    start = time.monotonic()
    n = 0
    total = int(rate * secs)
    while n < total:
        due = start + n / rate
        now = time.monotonic()
        if now < due:
            drain()
            time.sleep(min(due - now, 0.01))
            continue
        tx.sendto(struct.pack("!I", n), (addr, port))
        n += 1
    end = time.monotonic() + 2
    while time.monotonic() < end:
        drain()
        time.sleep(0.05)
    missing = [i for i in range(n) if i not in seen]
    dups = sum(c - 1 for c in seen.values() if c > 1)
    print(f"sent {n} received {len(seen)} missing {len(missing)} duplicates {dups}")
    if missing:
        ranges, a = [], missing[0]
        for p, q in zip(missing, missing[1:] + [None]):
            if q != p + 1:
                ranges.append(f"{a}-{p}" if a != p else f"{a}")
                a = q
        print("missing:", " ".join(ranges[:20]))
    return 0 if not missing and not dups else 1


if __name__ == "__main__":
    sys.exit(main())
