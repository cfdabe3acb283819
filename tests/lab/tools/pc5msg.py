# SPDX-License-Identifier: GPL-2.0
"""Netlink requests for pc5sec links and keys, built in Python, for the
lab tools that must not fork per step (race.py, failnth.py).

transact(sock, msg) sends one request with NLM_F_ACK on a socket the
caller opened (in the namespace it wants) and returns the errno (0: done).
"""
import socket
import struct
import sys

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from genl import PC5SEC_A_IFINDEX, PC5SEC_A_KEY, PC5SEC_A_KEY_PGK_ID, genl_msg  # noqa: E402
from rtnl import (IFLA_IFNAME, IFLA_LINK, IFLA_PC5SEC_CIPHER, IFLA_PC5SEC_GROUP,  # noqa: E402
                  IFLA_PC5SEC_MEMBER, NLA_F_NESTED, NLM_F_ACK, NLM_F_CREATE, NLM_F_EXCL,
                  NLM_F_REQUEST, NLMSG_ERROR, attr, linkinfo)

RTM_NEWLINK, RTM_DELLINK, RTM_GETLINK, RTM_NEWADDR = 16, 17, 18, 20
IFLA_ADDRESS, IFLA_MASTER, IFLA_NET_NS_FD = 1, 10, 28
IFLA_LINKINFO, IFLA_INFO_KIND, IFLA_INFO_DATA = 18, 1, 2
VETH_INFO_PEER = 1
IFA_ADDRESS, IFA_LOCAL = 1, 2
IFF_UP = 1
PC5SEC_CMD_KEY_ADD, PC5SEC_CMD_KEY_DEL, PC5SEC_CMD_KEY_FLUSH = 1, 2, 3
PC5SEC_A_KEY_PGK, PC5SEC_A_KEY_NOT_AFTER, PC5SEC_A_KEY_PTK_START = 2, 4, 5
PC5SEC_A_KEY_PTK_LIMIT = 13


def rtmsg(typ, ifindex, attrs=b"", flags=0, ifflags=0, change=0):
    body = struct.pack("=BxHiII", socket.AF_UNSPEC, 0, ifindex, ifflags, change) + attrs
    return struct.pack("=IHHII", 16 + len(body), typ, NLM_F_REQUEST | NLM_F_ACK | flags,
                       1, 0) + body


last_extack = "-"


def nlsocket(proto):
    """A netlink socket with extended ACKs, in the caller's netns."""
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, proto)
    s.setsockopt(270, 11, 1)  # NETLINK_EXT_ACK
    s.setsockopt(270, 10, 1)  # NETLINK_CAP_ACK
    s.settimeout(30)
    s.bind((0, 0))
    return s


def transact(sock, msg):
    """Sends MSG, returns the errno of its ACK; the kernel's extack message,
    if any, is left in last_extack."""
    sock.send(msg)
    return answer(sock)


def answer(sock):
    """The errno of the next ACK on SOCK (see transact)."""
    global last_extack
    while True:
        r = sock.recv(65536)
        length, typ, flags = struct.unpack_from("=IHH", r)
        if typ != NLMSG_ERROR:
            continue
        last_extack = "-"
        # the error, the request's header (NLM_F_CAPPED) or all of it,
        # then the extack attributes
        off = 20 + (16 if flags & 0x100 else struct.unpack_from("=I", r, 20)[0])
        off = (off + 3) & ~3
        while off + 4 <= length:
            alen, atyp = struct.unpack_from("=HH", r, off)
            if alen < 4:
                break
            if atyp & 0x3FFF == 1:  # NLMSGERR_ATTR_MSG
                last_extack = r[off + 4:off + alen].rstrip(b"\0").decode()
            off += (alen + 3) & ~3
        return -struct.unpack_from("=i", r, 16)[0]


def ifindex(sock, name):
    """The index of NAME in the socket's namespace, or 0."""
    sock.send(rtmsg(RTM_GETLINK, 0, attr(IFLA_IFNAME, name.encode() + b"\0")))
    while True:
        r = sock.recv(65536)
        typ = struct.unpack_from("=H", r, 4)[0]
        if typ == RTM_NEWLINK:
            idx = struct.unpack_from("=i", r, 20)[0]
            sock.recv(65536)  # the ACK
            return idx
        if typ == NLMSG_ERROR:
            return 0


def pc5_link(name, lower, group, member, cipher):
    data = (attr(IFLA_PC5SEC_GROUP, struct.pack("=I", group)) +
            attr(IFLA_PC5SEC_MEMBER, struct.pack("=I", member)) +
            attr(IFLA_PC5SEC_CIPHER, struct.pack("=B", cipher)))
    attrs = attr(IFLA_IFNAME, name.encode() + b"\0")
    attrs += attr(IFLA_LINK, struct.pack("=I", lower)) + linkinfo(data)
    return rtmsg(RTM_NEWLINK, 0, attrs, NLM_F_CREATE | NLM_F_EXCL)


def pc5_cipher(idx, cipher):
    return rtmsg(RTM_NEWLINK, idx, linkinfo(attr(IFLA_PC5SEC_CIPHER, struct.pack("=B", cipher))))


def veth(name, master, peer, peer_netns_fd, peer_mac):
    """NAME (a port of MASTER) with its peer PEER in another netns."""
    peer_msg = struct.pack("=BxHiII", socket.AF_UNSPEC, 0, 0, 0, 0)
    peer_msg += attr(IFLA_IFNAME, peer.encode() + b"\0")
    peer_msg += attr(IFLA_NET_NS_FD, struct.pack("=I", peer_netns_fd))
    peer_msg += attr(IFLA_ADDRESS, peer_mac)
    info = attr(IFLA_INFO_KIND, b"veth\0")
    info += attr(IFLA_INFO_DATA | NLA_F_NESTED, attr(VETH_INFO_PEER | NLA_F_NESTED, peer_msg))
    attrs = attr(IFLA_IFNAME, name.encode() + b"\0")
    attrs += attr(IFLA_MASTER, struct.pack("=I", master))
    attrs += attr(IFLA_LINKINFO | NLA_F_NESTED, info)
    return rtmsg(RTM_NEWLINK, 0, attrs, NLM_F_CREATE | NLM_F_EXCL)


def up(idx):
    return rtmsg(RTM_NEWLINK, idx, ifflags=IFF_UP, change=IFF_UP)


def to_netns(idx, fd):
    return rtmsg(RTM_NEWLINK, idx, attr(IFLA_NET_NS_FD, struct.pack("=I", fd)))


def dellink(idx):
    return rtmsg(RTM_DELLINK, idx)


def addr4(idx, address, prefix):
    body = struct.pack("=BBBBI", socket.AF_INET, prefix, 0, 0, idx)
    a = socket.inet_aton(address)
    body += attr(IFA_LOCAL, a) + attr(IFA_ADDRESS, a)
    return struct.pack("=IHHII", 16 + len(body), RTM_NEWADDR,
                       NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, 1, 0) + body


def key_msg(fam, cmd, idx, pgk_id, pgk=None, not_after=None, ptk_limit=None):
    """KEY_ADD (with PGK, from PTK Identity 0), KEY_DEL or KEY_FLUSH."""
    attrs = attr(PC5SEC_A_IFINDEX, struct.pack("=I", idx))
    if cmd != PC5SEC_CMD_KEY_FLUSH:
        key = attr(PC5SEC_A_KEY_PGK_ID, struct.pack("=B", pgk_id))
        if cmd == PC5SEC_CMD_KEY_ADD:
            key += attr(PC5SEC_A_KEY_PGK, pgk or bytes(range(32)))
            key += attr(PC5SEC_A_KEY_PTK_START, struct.pack("=H", 0))
            if not_after is not None:
                key += attr(PC5SEC_A_KEY_NOT_AFTER, struct.pack("=Q", not_after))
            if ptk_limit is not None:
                key += attr(PC5SEC_A_KEY_PTK_LIMIT, struct.pack("=I", ptk_limit))
        attrs += attr(PC5SEC_A_KEY | NLA_F_NESTED, key)
    return genl_msg(fam, cmd, attrs, NLM_F_REQUEST | NLM_F_ACK)
