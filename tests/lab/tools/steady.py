#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""UDP at a fixed rate from one netns to another, with sequence numbers.

steady.py SRC_NS DST_NS DST_ADDR PORT RATE UNTIL [loss]
    One process holds a receiving socket in DST_NS and a sending socket in
    SRC_NS, sends datagrams 0, 1, ... (each a 4-octet big-endian sequence
    number) at RATE per second until the wall clock reaches UNTIL (UTC
    seconds, may be fractional; "+S": S seconds from the start), and
    receives them as they come. Then it
    waits a second for stragglers and prints one JSON line:
    {"sent": N, "received": M, "missing": K, "duplicates": D,
     "first_missing": [...], "span": S}.
    Exits 0 when every datagram arrived exactly once, or with "loss" when
    there were no duplicates (the caller checks the counts).
"""
import json
import select
import socket
import struct
import sys
import time

from netns import enter

def main():
    src, dst, addr, port, rate, until = sys.argv[1:7]
    loss_ok = sys.argv[7:8] == ["loss"]
    port, rate = int(port), float(rate)
    until = time.time() + float(until[1:]) if until[0] == "+" else float(until)
    enter(dst)
    rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rx.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    rx.bind((addr, port))
    rx.setblocking(False)
    enter(src)
    tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    seen = {}
    sent = 0

    def drain(timeout):
        r, _, _ = select.select([rx], [], [], max(0.0, timeout))
        while r:
            try:
                d = rx.recv(64)
            except BlockingIOError:
                return
            n = struct.unpack(">I", d[:4])[0]
            seen[n] = seen.get(n, 0) + 1

    t0 = time.time()
    while True:
        now = time.time()
        if now >= until:
            break
        due = t0 + sent / rate
        if now >= due:
            tx.sendto(struct.pack(">I", sent), (addr, port))
            sent += 1
            continue
        drain(min(due, until) - now)
    end = time.time() + 1.0
    while time.time() < end and len(seen) < sent:
        drain(end - time.time())
    missing = [i for i in range(sent) if i not in seen]
    dups = sum(c - 1 for c in seen.values())
    print(json.dumps({"sent": sent, "received": sum(seen.values()),
                      "missing": len(missing), "duplicates": dups,
                      "first_missing": missing[:10],
                      "span": round(time.time() - t0, 2)}), flush=True)
    return 0 if dups == 0 and (loss_ok or not missing) else 1


if __name__ == "__main__":
    sys.exit(main())
