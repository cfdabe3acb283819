#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Raw rtnetlink for what neither pc5ctl nor ip(8) sends, for lab tests.

rtnl.py set-u16 IFNAME ATTR VALUE
    RTM_NEWLINK on the existing link IFNAME with IFLA_LINKINFO { KIND
    "pc5sec", DATA { ATTR: u16 VALUE } }; prints "error N: EXTACK" (N the
    errno, 0 for success, EXTACK the kernel's message or "-") and exits 0
    whatever the kernel answered.

rtnl.py add IFNAME LOWER MTU CIPHER
    RTM_NEWLINK creating the pc5sec link IFNAME on LOWER with IFLA_MTU MTU
    (0: none given), group 1, member 1 and suite CIPHER (a number), as
    `ip link add IFNAME link LOWER mtu MTU type pc5sec ...` would; prints
    the answer as set-u16 does.
"""
import os
import socket
import struct
import sys

RTM_NEWLINK = 16
NLM_F_REQUEST, NLM_F_ACK = 1, 4
NLMSG_ERROR = 2
NETLINK_EXT_ACK, NETLINK_CAP_ACK = 11, 10
NLMSGERR_ATTR_MSG = 1
IFLA_LINKINFO, IFLA_INFO_KIND, IFLA_INFO_DATA = 18, 1, 2
IFLA_IFNAME, IFLA_MTU, IFLA_LINK = 3, 4, 5
IFLA_PC5SEC_GROUP, IFLA_PC5SEC_MEMBER, IFLA_PC5SEC_CIPHER = 1, 2, 3
NLM_F_EXCL, NLM_F_CREATE = 0x200, 0x400
NLA_F_NESTED = 0x8000


def attr(t, payload):
    a = struct.pack("=HH", 4 + len(payload), t) + payload
    return a + b"\0" * (-len(a) % 4)


def request(proto, msg):
    """Sends one request with NLM_F_ACK; returns (errno, extack text or "-")."""
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, proto)
    s.setsockopt(270, NETLINK_EXT_ACK, 1)
    s.setsockopt(270, NETLINK_CAP_ACK, 1)
    s.bind((0, 0))
    s.send(msg)
    r = s.recv(65536)
    s.close()
    length, typ, flags, _, _ = struct.unpack_from("=IHHII", r)
    assert typ == NLMSG_ERROR, typ
    err = -struct.unpack_from("=i", r, 16)[0]
    off = 16 + 4 + 16  # nlmsgerr with the capped request header
    text = "-"
    while off + 4 <= length:
        alen, atyp = struct.unpack_from("=HH", r, off)
        if alen < 4:
            break
        if atyp & 0x3FFF == NLMSGERR_ATTR_MSG:
            text = r[off + 4:off + alen].rstrip(b"\0").decode()
        off += (alen + 3) & ~3
    return err, text


def newlink(ifindex, attrs, flags=0):
    body = struct.pack("=BxHiII", socket.AF_UNSPEC, 0, ifindex, 0, 0) + attrs
    msg = struct.pack("=IHHII", 16 + len(body), RTM_NEWLINK,
                      NLM_F_REQUEST | NLM_F_ACK | flags, 1, 0) + body
    return request(socket.NETLINK_ROUTE, msg)


def linkinfo(data):
    info = attr(IFLA_INFO_KIND, b"pc5sec\0") + attr(IFLA_INFO_DATA | NLA_F_NESTED, data)
    return attr(IFLA_LINKINFO | NLA_F_NESTED, info)


def main():
    cmd = sys.argv[1]
    if cmd == "set-u16":
        ifname, atype, value = sys.argv[2], int(sys.argv[3], 0), int(sys.argv[4], 0)
        data = attr(atype, struct.pack("=H", value))
        err, text = newlink(socket.if_nametoindex(ifname), linkinfo(data))
    elif cmd == "add":
        ifname, lower = sys.argv[2], sys.argv[3]
        mtu, cipher = int(sys.argv[4], 0), int(sys.argv[5], 0)
        data = (attr(IFLA_PC5SEC_GROUP, struct.pack("=I", 1)) +
                attr(IFLA_PC5SEC_MEMBER, struct.pack("=I", 1)) +
                attr(IFLA_PC5SEC_CIPHER, struct.pack("=B", cipher)))
        attrs = attr(IFLA_IFNAME, ifname.encode() + b"\0")
        attrs += attr(IFLA_LINK, struct.pack("=I", socket.if_nametoindex(lower)))
        if mtu:
            attrs += attr(IFLA_MTU, struct.pack("=I", mtu))
        err, text = newlink(0, attrs + linkinfo(data), NLM_F_CREATE | NLM_F_EXCL)
    else:
        raise SystemExit(f"rtnl.py: unknown command {cmd}")
    print(f"error {err}: {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
