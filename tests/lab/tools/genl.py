#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Raw generic netlink to the pc5sec family, for what pc5ctl never sends.

genl.py key-set|key-del|key-flush|key-add IFNAME PGK_ID [[top-]u8|u16|u32:ATTR:VALUE]...
    That command on IFNAME with PC5SEC_A_KEY { PGK_ID, and each extra key
    attribute ATTR (its number) of the given width }, and each top-*
    attribute beside IFNAME and the nest; prints "error N: EXTACK" (N the
    errno, 0 for success, EXTACK the kernel's message or "-") and exits 0
    whatever the kernel answered.
"""
import socket
import struct
import sys

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from rtnl import NLA_F_NESTED, NLM_F_ACK, NLM_F_REQUEST, attr, request  # noqa: E402

NETLINK_GENERIC = 16
GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 16, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2
CMDS = {"key-add": 1, "key-del": 2, "key-flush": 3, "key-set": 12}
PC5SEC_A_IFINDEX, PC5SEC_A_KEY, PC5SEC_A_KEY_PGK_ID = 1, 2, 1


def genl_msg(family, cmd, attrs, flags):
    body = struct.pack("=BBH", cmd, 1, 0) + attrs
    return struct.pack("=IHHII", 16 + len(body), family, flags, 1, 0) + body


def family_id(name):
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
    s.bind((0, 0))
    s.send(genl_msg(GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                    attr(CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0"), NLM_F_REQUEST))
    r = s.recv(65536)
    s.close()
    length = struct.unpack_from("=I", r)[0]
    off = 16 + 4
    while off + 4 <= length:
        alen, atyp = struct.unpack_from("=HH", r, off)
        if alen < 4:
            break
        if atyp == CTRL_ATTR_FAMILY_ID:
            return struct.unpack_from("=H", r, off + 4)[0]
        off += (alen + 3) & ~3
    sys.exit(f"genl.py: no family {name}")


def main():
    cmd, ifname, pgk_id = sys.argv[1], sys.argv[2], int(sys.argv[3], 0)
    key = attr(PC5SEC_A_KEY_PGK_ID, struct.pack("=B", pgk_id))
    top = b""
    for spec in sys.argv[4:]:
        width, atype, value = spec.split(":")
        outer = width.startswith("top-")
        fmt = {"u8": "=B", "u16": "=H", "u32": "=I"}[width.removeprefix("top-")]
        a = attr(int(atype, 0), struct.pack(fmt, int(value, 0)))
        if outer:
            top += a
        else:
            key += a
    attrs = attr(PC5SEC_A_IFINDEX, struct.pack("=I", socket.if_nametoindex(ifname)))
    attrs += attr(PC5SEC_A_KEY | NLA_F_NESTED, key) + top
    msg = genl_msg(family_id("pc5sec"), CMDS[cmd], attrs,
                   NLM_F_REQUEST | NLM_F_ACK)
    err, text = request(NETLINK_GENERIC, msg)
    print(f"error {err}: {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
