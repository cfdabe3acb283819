#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tiny UDP sender/receiver for lab tests.

udp.py send ADDR PORT MESSAGE COUNT   sends MESSAGE-<i> COUNT times
udp.py recv PORT                      prints each datagram on a line, from
                                      a 4 MiB socket buffer (see below)
udp.py blast ADDR PORT SECONDS PPS [MARKER]
                                      sends PPS datagrams a second (at most:
                                      TCG may not keep up) for SECONDS,
                                      through every send error (a link
                                      being torn down under it), and
                                      prints how many went out; each is
                                      200 octets, MARKER repeated if given
"""
import socket
import sys
import time


def main():
    if sys.argv[1] == "send":
        addr, port, msg, count = sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
        fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
        with socket.socket(fam, socket.SOCK_DGRAM) as s:
            for i in range(count):
                s.sendto(f"{msg}-{i}".encode(), (addr, port))
        return 0
    if sys.argv[1] == "blast":
        addr, port, secs, pps = sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
        marker = sys.argv[6].encode() if len(sys.argv) > 6 else b"x"
        payload = (marker * (200 // len(marker) + 1))[:200]
        sent, start = 0, time.monotonic()
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            while (now := time.monotonic()) < start + secs:
                if sent >= (now - start) * pps:
                    time.sleep(0.01)
                    continue
                for _ in range(16):
                    try:
                        s.sendto(payload, (addr, port))
                    except OSError:
                        pass
                    sent += 1
        print(f"blast: {sent} sent")
        return 0
    port = int(sys.argv[2])
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        # A test counts every datagram, so the socket must not drop any
        # while this process waits for a CPU: 200 small datagrams take
        # 214080 octets of buffer on 6.12 (185 KB on 6.1), more than
        # rmem_default's 212992. SO_RCVBUFFORCE (root, as in the lab)
        # passes rmem_max.
        try:
            s.setsockopt(socket.SOL_SOCKET, getattr(socket, "SO_RCVBUFFORCE", 33), 4 << 20)
        except PermissionError:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        s.bind(("::", port))
        while True:
            data = s.recv(65535)
            print(data.decode(errors="replace"), flush=True)


if __name__ == "__main__":
    sys.exit(main())
