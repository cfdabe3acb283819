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
NLMSG_ERROR, NLMSG_DONE = 2, 3
NLM_F_MULTI, NLM_F_DUMP_INTR, NLM_F_DUMP = 2, 0x10, 0x300
NLM_F_CAPPED, NLM_F_ACK_TLVS = 0x100, 0x200
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


def attrs(buf):
    """The attributes in buf as (type without flags, flags, payload);
    stops where an attribute's length is impossible, as the kernel does."""
    out, off = [], 0
    while off + 4 <= len(buf):
        alen, atyp = struct.unpack_from("=HH", buf, off)
        if alen < 4 or off + alen > len(buf):
            break
        out.append((atyp & 0x3FFF, atyp & 0xC000, buf[off + 4:off + alen]))
        off += (alen + 3) & ~3
    return out


def messages(buf):
    """The netlink messages in one datagram, as (type, flags, seq, bytes)."""
    out, off = [], 0
    while off + 16 <= len(buf):
        length, typ, flags, seq, _ = struct.unpack_from("=IHHII", buf, off)
        if length < 16 or off + length > len(buf):
            break
        out.append((typ, flags, seq, buf[off:off + length]))
        off += (length + 3) & ~3
    return out


def ack_info(msg):
    """An NLMSG_ERROR (or a dump's NLMSG_DONE): (errno, extack text or "-",
    where the echoed request sits in msg as (start, end), or None)."""
    flags = struct.unpack_from("=H", msg, 6)[0]
    err = -struct.unpack_from("=i", msg, 16)[0] if len(msg) >= 20 else 0
    typ = struct.unpack_from("=H", msg, 4)[0]
    if typ == NLMSG_ERROR:
        # nlmsgerr: the request's header, and all of it unless capped
        rlen = struct.unpack_from("=I", msg, 20)[0] if len(msg) >= 36 else 16
        echo = (20, 20 + (16 if flags & NLM_F_CAPPED or not err else rlen))
        tlv = (echo[1] + 3) & ~3
    else:
        echo, tlv = None, 20
    text = "-"
    if flags & NLM_F_ACK_TLVS:
        for atyp, _, payload in attrs(msg[tlv:]):
            if atyp == NLMSGERR_ATTR_MSG:
                text = payload.rstrip(b"\0").decode(errors="replace")
    return err, text, echo


class Sock:
    """A netlink socket that asks for extended acks (and, unless told
    otherwise, capped ones: the request is not echoed in an error)."""

    def __init__(self, proto, cap_ack=True):
        self.s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, proto)
        self.s.setsockopt(270, NETLINK_EXT_ACK, 1)
        self.s.setsockopt(270, NETLINK_CAP_ACK, int(cap_ack))
        self.s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        self.s.bind((0, 0))
        self.backlog = []	# messages read while waiting for another seq

    def send(self, msg):
        self.s.send(msg)

    def recv(self, size=65536, timeout=10):
        """One datagram's messages; [] if none came within timeout."""
        self.s.settimeout(timeout)
        try:
            return messages(self.s.recv(size))
        except socket.timeout:
            return []

    def until_done(self, seq, size=65536, timeout=10):
        """Every message answering seq up to its NLMSG_ERROR or NLMSG_DONE
        (included), or None if the answer did not end within timeout.
        Answers to other requests that come meanwhile (several requests
        in one datagram: a dump's parts and a later request's ack
        interleave) are kept for their own until_done."""
        got, keep = [], []
        backlog, self.backlog = self.backlog, []
        while True:
            batch = backlog or self.recv(size, timeout)
            backlog = []
            if not batch:
                self.backlog = keep
                return None
            for i, m in enumerate(batch):
                if m[2] != seq:
                    keep.append(m)	# another request's answer
                    continue
                got.append(m)
                if m[0] in (NLMSG_ERROR, NLMSG_DONE):
                    self.backlog = keep + batch[i + 1:]
                    return got

    def close(self):
        self.s.close()


def request(proto, msg):
    """Sends one request with NLM_F_ACK; returns (errno, extack text or "-")."""
    s = Sock(proto)
    s.send(msg)
    r = s.recv()[0][3]
    s.close()
    assert struct.unpack_from("=H", r, 4)[0] == NLMSG_ERROR
    err, text, _ = ack_info(r)
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
