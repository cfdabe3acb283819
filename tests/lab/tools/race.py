#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The rounds of race-teardown.sh, from one process that forks only to
delete a netns: hundreds of rounds fit in minutes under TCG this way.

race.py KO SECONDS [ROUNDS]
    UEs A and B exist (ip netns), each with eth0 on the bridge "air", B's
    eth0 with MAC 02:00:00:00:00:02, and a netns X; traffic flows both
    ways (the caller's blasters). Each round makes links pc5 on A (member
    1, 10.5.0.1/24) and B (member 2, 10.5.0.2/24) in group 0x42 with the
    round's suite, PGK 1 (expiring 3 s later) and PGK 2 (PTK limit 3),
    sets them up, lets traffic flow a moment, then tears down, in turn:
      link-del     both links deleted
      lower-del    B's eth0 deleted (its link goes with it), remade
      lower-netns  A's eth0 moved to X (its link goes) and back
      netns-del    B's netns deleted with everything in it, remade
      rmmod        pc5sec unloaded with both links up, KO loaded again
      suite        both links switched to the next suite, keys flushed,
                   a PGK added under the new suite, then deleted
      key-flush    both links' keys flushed, then the links deleted
    for SECONDS (or ROUNDS rounds). Every step must answer within 30 s.
    B's blaster, remade with its netns, sends BLAST_PPS (500) a second.
    Prints "race: N rounds in S s" and the count of each teardown; exits
    1 at the first step that failed.
"""
import ctypes
import os
import random
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pc5msg as m  # noqa: E402
from genl import family_id  # noqa: E402
from netns import enter  # noqa: E402

NETLINK_GENERIC = 16
SYS_DELETE_MODULE, SYS_FINIT_MODULE = 176, 313
SUITES = [0x02, 0x10, 0x12, 0x11, 0x00]
ACTIONS = ["link-del", "lower-del", "lower-netns", "netns-del", "rmmod", "suite", "key-flush"]
MAC_B = bytes.fromhex("020000000002")
TOOLS = os.path.dirname(os.path.abspath(__file__))
libc = ctypes.CDLL(None, use_errno=True)


class Fail(Exception):
    pass


def enter_root():
    fd = os.open("/proc/1/ns/net", os.O_RDONLY)
    libc.setns(fd, 0x40000000)
    os.close(fd)


def sockets(ns, fresh=False):
    """rtnl and genl sockets in netns NS (None: the root one, PID 1's);
    FRESH: a new netns, whose links get no IPv6. The process itself stays
    in the root netns (ip netns pids must never count it)."""
    if ns:
        enter(ns)
    if fresh:
        with open("/proc/sys/net/ipv6/conf/default/disable_ipv6", "w") as f:
            f.write("1")
    r, g = m.nlsocket(socket.NETLINK_ROUTE), m.nlsocket(NETLINK_GENERIC)
    enter_root()
    return r, g


class Race:
    def __init__(self, ko):
        self.ko = ko
        self.fam = family_id("pc5sec")
        self.ns = {n: sockets(n) for n in ("A", "B", "X")}
        self.root = sockets(None)[0]

    def do(self, what, sock, msg, ok=(0,)):
        err = m.transact(sock, msg)
        if err not in ok:
            raise Fail(f"{what}: {os.strerror(err)} ({m.last_extack})")

    def idx(self, ns, name):
        i = m.ifindex(self.ns[ns][0], name)
        if not i:
            raise Fail(f"no {name} in {ns}")
        return i

    def links(self, suite):
        for ns, member in (("A", 1), ("B", 2)):
            r, g = self.ns[ns]
            self.do(f"{ns}: link add", r, m.pc5_link("pc5", self.idx(ns, "eth0"), 0x42,
                                                     member, suite))
            i = self.idx(ns, "pc5")
            self.do(f"{ns}: addr", r, m.addr4(i, f"10.5.0.{member}", 24))
            self.do(f"{ns}: up", r, m.up(i))
            self.do(f"{ns}: PGK 1", g, m.key_msg(self.fam, m.PC5SEC_CMD_KEY_ADD, i, 1,
                                                 not_after=int(time.time()) + 3))
            self.do(f"{ns}: PGK 2", g, m.key_msg(self.fam, m.PC5SEC_CMD_KEY_ADD, i, 2,
                                                 ptk_limit=3))

    def dellinks(self, *nss):
        for ns in nss:
            self.do(f"{ns}: link del", self.ns[ns][0], m.dellink(self.idx(ns, "pc5")))

    def gone(self, ns, name):
        if m.ifindex(self.ns[ns][0], name):
            raise Fail(f"{name} still in {ns}")

    def radio_b(self):
        fd = os.open("/run/netns/B", os.O_RDONLY)
        try:
            self.do("air-B", self.root, m.veth("air-B", m.ifindex(self.root, "air"), "eth0",
                                               fd, MAC_B))
        finally:
            os.close(fd)
        self.do("air-B up", self.root, m.up(m.ifindex(self.root, "air-B")))
        self.do("B: eth0 up", self.ns["B"][0], m.up(self.idx("B", "eth0")))

    def teardown(self, action, suite):
        if action == "link-del":
            self.dellinks("A", "B")
        elif action == "lower-del":
            self.do("B: eth0 del", self.ns["B"][0], m.dellink(self.idx("B", "eth0")))
            self.gone("B", "pc5")
            self.radio_b()
            self.dellinks("A")
        elif action == "lower-netns":
            for src, dst in (("A", "X"), ("X", "A")):
                fd = os.open(f"/run/netns/{dst}", os.O_RDONLY)
                try:
                    self.do(f"eth0 {src} to {dst}", self.ns[src][0],
                            m.to_netns(self.idx(src, "eth0"), fd))
                finally:
                    os.close(fd)
                self.gone(src, "pc5") if src == "A" else None
            self.do("A: eth0 up", self.ns["A"][0], m.up(self.idx("A", "eth0")))
            self.dellinks("B")
        elif action == "netns-del":
            for s in self.ns["B"]:
                s.close()
            pids = subprocess.run(["ip", "netns", "pids", "B"], capture_output=True,
                                  text=True).stdout.split()
            for p in pids:
                os.kill(int(p), 9)
            subprocess.run(["ip", "netns", "del", "B"], check=True, timeout=30)
            end = time.monotonic() + 20
            while m.ifindex(self.root, "air-B"):
                if time.monotonic() > end:
                    raise Fail("B's radio outlived its netns")
                time.sleep(0.05)
            subprocess.run(["ip", "netns", "add", "B"], check=True, timeout=30)
            self.ns["B"] = sockets("B", fresh=True)
            self.do("B: lo up", self.ns["B"][0], m.up(self.idx("B", "lo")))
            self.radio_b()
            subprocess.Popen(["ip", "netns", "exec", "B", "python3", f"{TOOLS}/udp.py",
                              "blast", "10.5.0.1", "9", "3600",
                              os.environ.get("BLAST_PPS", "500")],
                             stdout=subprocess.DEVNULL)
            self.dellinks("A")
        elif action == "rmmod":
            end = time.monotonic() + 30
            while libc.syscall(SYS_DELETE_MODULE, b"pc5sec", os.O_NONBLOCK):
                if ctypes.get_errno() != 11 or time.monotonic() > end:  # EAGAIN: in use
                    raise Fail(f"rmmod: {os.strerror(ctypes.get_errno())}")
                time.sleep(0.05)
            self.gone("A", "pc5")
            self.gone("B", "pc5")
            fd = os.open(self.ko, os.O_RDONLY)
            try:
                if libc.syscall(SYS_FINIT_MODULE, fd, b"", 0):
                    raise Fail(f"insmod: {os.strerror(ctypes.get_errno())}")
            finally:
                os.close(fd)
            self.fam = family_id("pc5sec")
        elif action == "suite":
            for ns in ("A", "B"):
                r, g = self.ns[ns]
                i = self.idx(ns, "pc5")
                self.do(f"{ns}: suite", r, m.pc5_cipher(i, suite))
                self.do(f"{ns}: flush", g, m.key_msg(self.fam, m.PC5SEC_CMD_KEY_FLUSH, i, 0))
                self.do(f"{ns}: PGK 3", g, m.key_msg(self.fam, m.PC5SEC_CMD_KEY_ADD, i, 3))
            time.sleep(random.random() / 5)
            self.dellinks("A", "B")
        elif action == "key-flush":
            for ns in ("A", "B"):
                g = self.ns[ns][1]
                self.do(f"{ns}: flush", g, m.key_msg(self.fam, m.PC5SEC_CMD_KEY_FLUSH,
                                                     self.idx(ns, "pc5"), 0))
            self.dellinks("A", "B")


def main():
    ko, secs = sys.argv[1], float(sys.argv[2])
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[3] != "-" else None
    random.seed(os.environ.get("RACE_SEED", "pc5sec"))
    race = Race(ko)
    done = dict.fromkeys(ACTIONS, 0)
    n, start = 0, time.monotonic()
    try:
        while (n < rounds) if rounds is not None else (time.monotonic() - start < secs):
            action = ACTIONS[n % len(ACTIONS)]
            race.links(SUITES[n % len(SUITES)])
            time.sleep(random.random() / 3)
            race.teardown(action, SUITES[(n + 1) % len(SUITES)])
            done[action] += 1
            n += 1
    except (Fail, OSError, subprocess.SubprocessError) as e:
        print(f"race: round {n} ({ACTIONS[n % len(ACTIONS)]}): {e}")
        return 1
    print(f"race: {n} rounds in {time.monotonic() - start:.0f} s: " +
          " ".join(f"{a}={c}" for a, c in done.items()))
    return 0 if n >= len(ACTIONS) else 1


if __name__ == "__main__":
    sys.exit(main())
