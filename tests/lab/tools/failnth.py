#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Fail the Nth allocation of one netlink request, for every N in turn.

failnth.py link-add LOWER CIPHER
failnth.py key-add IFNAME PGK_ID
    Sends the request (an rtnetlink RTM_NEWLINK creating pc5sec link
    "pcf" on LOWER with suite CIPHER, a number; or PC5SEC_CMD_KEY_ADD of
    a 32-octet PGK to IFNAME from PTK Identity 0) with
    /proc/thread-self/fail-nth set to N = 1, 2, ... (the debug kernel's
    failslab makes that task's Nth slab allocation fail), until a request
    no longer reaches its Nth allocation. After each one it undoes a
    success (RTM_DELLINK / KEY_DEL) and checks that a failure left nothing
    behind. Prints one line per N, "N: hit|miss error E: EXTACK", then
    "failnth: K failures injected, all clean" and exits 0; exits 1 at the
    first failure that left state behind or answered 0 after an injected
    it could not survive.

"""
import os
import socket
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pc5msg as m  # noqa: E402
from genl import PC5SEC_A_IFINDEX, PC5SEC_A_KEY, PC5SEC_A_KEY_PGK_ID, family_id, genl_msg  # noqa: E402
from rtnl import NLMSG_ERROR, NLM_F_REQUEST, attr  # noqa: E402

PC5SEC_CMD_KEY_GET = 4
NETLINK_GENERIC = 16
NLM_F_DUMP = 0x300


# Opened once: an open() between arming and reading back would be an
# allocation of this thread's too, and take the injected failure itself.
_nth_fd = None


def set_nth(n):
    global _nth_fd
    if _nth_fd is None:
        _nth_fd = os.open("/proc/thread-self/fail-nth", os.O_RDWR)
    os.pwrite(_nth_fd, str(n).encode(), 0)


def get_nth():
    return int(os.pread(_nth_fd, 32, 0))


def request_nth(proto, msg, n):
    """Sends msg with the Nth allocation of this thread failing; returns
    (hit, errno or None when no answer came, extack text)."""
    s = m.nlsocket(proto)
    set_nth(n)
    try:
        s.send(msg)
    except OSError as e:
        hit = get_nth() == 0
        set_nth(0)
        s.close()
        return hit, e.errno, "(send failed)"
    hit = get_nth() == 0
    set_nth(0)
    try:
        err = m.answer(s)
    except OSError as e:
        # ENOBUFS: the answer itself could not be allocated. The request
        # may or may not have been carried out; the checks that follow
        # accept either, as long as the state is whole.
        return hit, None, f"(no answer: {e.strerror})"
    finally:
        s.close()
    return hit, err, m.last_extack


def link_exists(name):
    try:
        socket.if_nametoindex(name)
        return True
    except OSError:
        return False


def key_ids(fam, ifindex):
    """The PGK IDs a KEY_GET dump of IFINDEX lists."""
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
    s.bind((0, 0))
    s.send(genl_msg(fam, PC5SEC_CMD_KEY_GET,
                    attr(PC5SEC_A_IFINDEX, struct.pack("=I", ifindex)),
                    NLM_F_REQUEST | NLM_F_DUMP))
    ids = []
    while True:
        r = s.recv(65536)
        off = 0
        while off < len(r):
            length, typ = struct.unpack_from("=IH", r, off)
            if typ in (NLMSG_ERROR, 3):  # NLMSG_DONE
                s.close()
                return ids
            a = off + 20
            while a + 4 <= off + length:
                alen, atyp = struct.unpack_from("=HH", r, a)
                if atyp & 0x3FFF == PC5SEC_A_KEY:
                    b = a + 4
                    while b + 4 <= a + alen:
                        blen, btyp = struct.unpack_from("=HH", r, b)
                        if btyp == PC5SEC_A_KEY_PGK_ID:
                            ids.append(r[b + 4])
                        b += (blen + 3) & ~3
                a += (alen + 3) & ~3
            off += (length + 3) & ~3


def main():
    what = sys.argv[1]
    if what == "link-add":
        lower, cipher = sys.argv[2], int(sys.argv[3], 0)
        msg = m.pc5_link("pcf", socket.if_nametoindex(lower), 1, 1, cipher)
        proto = socket.NETLINK_ROUTE

        def undo_or_check(err):
            if err is None and link_exists("pcf"):
                err = 0
            if err == 0:
                with m.nlsocket(proto) as s:
                    m.transact(s, m.dellink(socket.if_nametoindex("pcf")))
                return None
            return "link pcf exists after a failed create" if link_exists("pcf") else None
    elif what == "key-add":
        ifname, pgk_id = sys.argv[2], int(sys.argv[3], 0)
        ifindex = socket.if_nametoindex(ifname)
        fam = family_id("pc5sec")
        msg = m.key_msg(fam, m.PC5SEC_CMD_KEY_ADD, ifindex, pgk_id)
        proto = NETLINK_GENERIC

        def undo_or_check(err):
            held = pgk_id in key_ids(fam, ifindex)
            if err is None and held:
                err = 0
            if err == 0:
                if not held:
                    return "KEY_ADD answered 0 but the key is not listed"
                with m.nlsocket(proto) as s:
                    m.transact(s, m.key_msg(fam, m.PC5SEC_CMD_KEY_DEL, ifindex, pgk_id))
                return None
            return "the key is listed after a failed KEY_ADD" if held else None
    else:
        sys.exit(f"failnth.py: unknown request {what}")

    hits = 0
    for n in range(1, 500):
        hit, err, text = request_nth(proto, msg, n)
        print(f"{n}: {'hit' if hit else 'miss'} error {err}: {text}", flush=True)
        problem = undo_or_check(err)
        if problem:
            print(f"failnth: after failing allocation {n}: {problem}")
            return 1
        if not hit:
            if err:
                print(f"failnth: no fault injected, yet error {err}")
                return 1
            print(f"failnth: {what}: {hits} failures injected, all clean")
            return 0
        hits += 1
    print("failnth: still allocating after 500")
    return 1


if __name__ == "__main__":
    sys.exit(main())
