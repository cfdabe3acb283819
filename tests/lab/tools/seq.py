#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Numbered UDP datagrams, and a receiver that checks each sender's order.

seq.py send ADDR PORT TAG COUNT SIZE
    sends COUNT datagrams of SIZE octets as fast as the socket takes them,
    each "TAG <i>" padded with dots, i from 0; prints how many went out
seq.py recv PORT IDLE
    receives (a 16 MiB socket buffer, forced, so that the socket drops
    nothing a link delivered) until IDLE seconds pass without a datagram
    after the first; prints one JSON line: per TAG, the datagrams received,
    how many came after a higher number of the same TAG (out of order),
    how many repeated one (duplicates), and the first out-of-order pair
"""
import json
import socket
import sys


def send(addr, port, tag, count, size):
    sent = 0
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        for i in range(count):
            msg = f"{tag} {i} ".encode()
            try:
                s.sendto(msg + b"." * max(0, size - len(msg)), (addr, port))
                sent += 1
            except OSError:
                pass
    print(sent)


def recv(port, idle):
    tags = {}
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        # SO_RCVBUFFORCE (33): past rmem_max, as root
        s.setsockopt(socket.SOL_SOCKET, 33, 16 << 20)
        s.bind(("0.0.0.0", port))
        print("ready", flush=True)
        s.settimeout(None)
        while True:
            try:
                data = s.recv(65536)
            except socket.timeout:
                break
            s.settimeout(idle)
            tag, num = data.split(b" ", 2)[:2]
            t = tags.setdefault(tag.decode(), {
                "received": 0, "out_of_order": 0, "duplicates": 0,
                "top": -1, "seen": set(), "first_bad": None})
            n = int(num)
            t["received"] += 1
            if n in t["seen"]:
                t["duplicates"] += 1
            t["seen"].add(n)
            if n < t["top"]:
                t["out_of_order"] += 1
                if t["first_bad"] is None:
                    t["first_bad"] = [t["top"], n]
            t["top"] = max(t["top"], n)
    for t in tags.values():
        del t["seen"]
    print(json.dumps(tags), flush=True)


def main():
    if sys.argv[1] == "send":
        send(sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5]),
             int(sys.argv[6]))
        return 0
    if sys.argv[1] == "recv":
        recv(int(sys.argv[2]), float(sys.argv[3]))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
