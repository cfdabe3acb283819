#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A netlink fuzzer for the generic netlink family "pc5sec" and the rtnl
link kind "pc5sec", with an oracle: every message it sends is also read
the way the kernel must read it, so that each answer is checked.

nlfuzz.py run --seed S (--duration SECS | --count N) [options]
    Replays the corpus (--corpus DIR: *.json, each a list of messages in
    the tree form below), then sends messages generated from the policies
    (mirrored here from module/netlink.c and module/settings.c) and
    mutations of the corpus and of valid operations: boundary and
    out-of-range values, wrong widths and lengths, nests of garbage,
    missing, duplicated and unknown attributes, unknown commands, flags
    that do not fit, truncated attributes, trailing bytes, several
    messages in one datagram. Interleaved: key dumps interrupted by key
    changes, and real operations through pc5ctl and ip(8).

    --mode root    the caller has CAP_NET_ADMIN over the netns: the oracle
                   predicts success or the error of each message from a
                   model of the links and keys, which dumps check
                   against the kernel every --check-every messages;
    --mode denied  it has not: every pc5sec genl command and every
                   rtnetlink change must get EPERM (dumps of links work).

    Checks, whatever the mode: every message gets its answer (an ack or
    an error; a dump its NLMSG_DONE) within 10 s; every pc5sec error
    past the permission check names what is wrong (extack); no message
    from the kernel holds 8 consecutive octets of a key (--secret: the
    PGKs installed before, and every PGK the fuzzer sends) or of a PTK or
    PEK derived from one. An error ack that echoes the request (a socket
    without NETLINK_CAP_ACK) may hold that request's own key bytes only
    if the family never saw the request (it failed the policy); once a
    command ran, its PC5SEC_A_KEY must have been wiped.
    Prints the seed, messages per second and every finding; exits 1 if
    there was one. --save DIR: the messages of the findings, as corpus.

    --secret ID:GROUP:MEMBER:CIPHER:HEX   an installed PGK (repeatable)
    --link NAME      a pc5sec link the fuzzer only reads (the traffic's)
    --lower NAME     lower devices for the fuzzer's links (repeatable)
    --pc5ctl PATH    pc5ctl, for the real operations
    --model FILE     the links and keys the fuzzer expects at the end
    --expect-wrong   control: predict as if the other mode; must fail

nlfuzz.py scan-control
    The leak scanner's control: a reply with a key's octets planted must
    be found, one without must not.

The tree form of a message (corpus files): {"proto": "genl", "cmd": 1,
"flags": "ack"|"dump"|"none"|N, "attrs": [NODE...]} or {"proto": "rtnl",
"op": "create"|"change"|"del"|"get"|"dump", "target": VALUE, "lower":
VALUE, "name": "fz1", "kind": "pc5sec", "data": [NODE...], "dataflags":
"n"|"N"}; "echo": true sends it on a socket without NETLINK_CAP_ACK. NODE: [TYPE, KIND, VALUE, FLAGS?], KIND u8|u16|u32|u64|str|hex|
nest (VALUE a list of NODEs); FLAGS "n" NLA_F_NESTED on, "N" off, "b"
NLA_F_NET_BYTEORDER, "len=N" a false nla_len. VALUE may be "$fz" (one of
the fuzzer's links), "$link" (--link), "$lo", "$lower", "$none" (no
such ifindex), "$key" (a fresh PGK), "$now+N"/"$now-N" (UTC seconds).
"""
import argparse
import errno as E
import hashlib
import hmac
import json
import os
import random
import socket
import struct
import subprocess
import sys
import time

sys.path.insert(0, __file__.rsplit("/", 1)[0])
import rtnl  # noqa: E402
from rtnl import (NLM_F_ACK, NLM_F_REQUEST, NLMSG_DONE, NLMSG_ERROR,  # noqa: E402
                  NLM_F_DUMP, NLM_F_DUMP_INTR, Sock, ack_info, attrs)
from genl import NETLINK_GENERIC, family_id  # noqa: E402

# --- the contract (uapi/linux/pc5sec.h) and the policies ---------------
KEY_ADD, KEY_DEL, KEY_FLUSH, KEY_GET, KEY_SET = 1, 2, 3, 4, 12
SENDER_GET, SENDER_RESET = 15, 16
OPS = {KEY_ADD: "do", KEY_DEL: "do", KEY_FLUSH: "do", KEY_GET: "dump",
       KEY_SET: "do", SENDER_GET: "dump", SENDER_RESET: "do"}
A_IFINDEX, A_KEY, A_REASON, A_SENDER = 1, 2, 3, 5
REMOVED_DELETED, REMOVED_REVOKED = 1, 5
K_ID, K_PGK, K_NB, K_NA, K_START, K_KEYRING, K_LIMIT = 1, 2, 3, 4, 5, 12, 13
S64_MAX = (1 << 63) - 1
# module/netlink.c: key_policy, policy (strict: the family is new)
KEY_POLICY = {K_ID: ("u8", None), K_PGK: ("exact", 32),
              K_NB: ("u64", (0, S64_MAX)), K_NA: ("u64", (0, S64_MAX)),
              K_START: ("u16", None), K_KEYRING: ("nulstr", 255),
              K_LIMIT: ("u32", (1, 0x10000))}
KEY_MAX = 13
TOP_POLICY = {A_IFINDEX: ("u32", None), A_KEY: ("nest", KEY_POLICY, KEY_MAX),
              A_REASON: ("u8", (REMOVED_DELETED, REMOVED_REVOKED)),
              A_SENDER: ("u32", (0, 0xFFFFFF))}
TOP_MAX = 6
# module/settings.c: pc5sec_link_policy (rtnetlink parses it liberally)
L_GROUP, L_MEMBER, L_CIPHER, L_ETHERTYPE = 1, 2, 3, 4
L_REPLAY, L_NOTICE, L_SKEW, L_MAXS = 5, 6, 7, 8
LINK_POLICY = {L_GROUP: "u32", L_MEMBER: "u32", L_CIPHER: "u8",
               L_ETHERTYPE: "u16", L_REPLAY: "u32", L_NOTICE: "u32",
               L_SKEW: "u32", L_MAXS: "u32"}
LINK_MAX = 8
LINK_DEFAULT = {L_GROUP: 0, L_MEMBER: 0, L_CIPHER: 2, L_ETHERTYPE: 0x88B5,
                L_REPLAY: 1024, L_NOTICE: 60, L_SKEW: 5, L_MAXS: 4096}
CIPHERS = {0: 0, 1: 16, 2: 16, 3: 16, 0x10: 16, 0x11: 32, 0x12: 32}  # suite: PEK octets (1, 3: pc5sec-algs, loaded by the lab)
RESERVED_TYPES = {0x0800, 0x86DD, 0x0806, 0x8035, 0x8100, 0x88A8, 0x88E5,
                  0x888E, 0x88CC, 0x8809, 0x8847, 0x8848, 0x8863, 0x8864,
                  0x6558}
RTM_NEWLINK, RTM_DELLINK, RTM_GETLINK = 16, 17, 18
IFLA_IFNAME, IFLA_LINK, IFLA_LINKINFO, IFLA_INFO_KIND, IFLA_INFO_DATA = 3, 5, 18, 1, 2
NLM_F_EXCL, NLM_F_CREATE = 0x200, 0x400
WIDTH = {"u8": 1, "u16": 2, "u32": 4, "u64": 8}
FMT = {"u8": "<B", "u16": "<H", "u32": "<I", "u64": "<Q"}
UNKNOWN = None  # an outcome the oracle cannot tell: success or error

# The guest's kernel: 6.2 split genl commands into do and dump operations
SPLIT_OPS = tuple(int(x) for x in os.uname().release.split("-")[0].split(".")[:2]) >= (6, 2)


class Refused(Exception):
    """err: the errno; core: refused by rtnetlink itself, not pc5sec"""

    def __init__(self, err, core=False):
        super().__init__(err)
        self.err, self.core = err, core


def le(b):
    return int.from_bytes(b, "little")


def raw_attrs(buf):
    """(nla_type with flags, payload) as nla_for_each_attr walks them, and
    the octets left over (rem > 0 after the walk)."""
    out, off, rem = [], 0, len(buf)
    while rem >= 4:
        alen, atyp = struct.unpack_from("=HH", buf, off)
        if alen < 4 or alen > rem:
            break
        out.append((atyp, buf[off + 4:off + alen]))
        step = (alen + 3) & ~3
        off, rem = off + step, rem - step
    return out, rem


def strict_parse(buf, policy, maxtype):
    """__nla_validate_parse(NL_VALIDATE_STRICT): tb (last one wins) or
    Refused."""
    tb = {}
    items, rem = raw_attrs(buf)
    for atyp, p in items:
        t, nested = atyp & 0x3FFF, atyp & 0x8000
        if t == 0 or t > maxtype or t not in policy:
            raise Refused(E.EINVAL)	# unknown type; NLA_UNSPEC
        pol = policy[t]
        kind = pol[0]
        if kind in WIDTH and len(p) != WIDTH[kind]:
            raise Refused(E.EINVAL)
        if (kind == "nest") != bool(nested):
            raise Refused(E.EINVAL)
        if kind in WIDTH:
            v = le(p)
            if pol[1] and not pol[1][0] <= v <= pol[1][1]:
                raise Refused(E.ERANGE)
            tb[t] = v
        elif kind == "exact":
            if len(p) != pol[1]:
                raise Refused(E.ERANGE)
            tb[t] = p
        elif kind == "nulstr":
            if b"\0" not in p[:min(len(p), pol[1] + 1)]:
                raise Refused(E.EINVAL)
            n = len(p) - (p[-1:] == b"\0")
            if n > pol[1]:
                raise Refused(E.ERANGE)
            tb[t] = p
        else:
            if 0 < len(p) < 4:
                raise Refused(E.ERANGE)
            tb[t] = strict_parse(p, pol[1], pol[2]) if p else {}
    if rem > 0:
        raise Refused(E.EINVAL)
    return tb


def liberal_parse(buf):
    """nla_parse_nested_deprecated of IFLA_INFO_DATA with the link policy:
    unknown types and leftovers ignored, longer ints read short."""
    tb = {}
    for atyp, p in raw_attrs(buf)[0]:
        t = atyp & 0x3FFF
        if t == 0 or t > LINK_MAX:
            continue
        w = WIDTH[LINK_POLICY[t]]
        if len(p) < w:
            raise Refused(E.ERANGE)
        tb[t] = le(p[:w])
    return tb


def link_validate(d):
    """pc5sec_link_validate"""
    if d.get(L_GROUP, 0) > 0xFFFFFF or d.get(L_MEMBER, 0) > 0xFFFFFF:
        raise Refused(E.ERANGE)
    if L_CIPHER in d and d[L_CIPHER] not in CIPHERS:
        raise Refused(E.EOPNOTSUPP)
    if L_ETHERTYPE in d:
        if d[L_ETHERTYPE] < 0x600:
            raise Refused(E.ERANGE)
        if d[L_ETHERTYPE] in RESERVED_TYPES:
            raise Refused(E.EINVAL)
    if d.get(L_REPLAY, 0) > 4096 or d.get(L_SKEW, 0) > 300:
        raise Refused(E.ERANGE)
    if L_MAXS in d and not 1 <= d[L_MAXS] <= 65536:
        raise Refused(E.ERANGE)


# --- key material to look for in replies --------------------------------
def kdf(key, fc, params):
    m = bytes([fc])
    for p in params:
        m += p + struct.pack(">H", len(p))
    return hmac.new(key, m, hashlib.sha256).digest()


def derived(pgk, group, member, cipher, ptk_ids):
    """PTKs (TS 33.303 A.3) and PEKs (A.4) of pgk, whole KDF outputs"""
    out = []
    for p in ptk_ids:
        ptk = kdf(pgk, 0x4A, [member.to_bytes(3, "big"), struct.pack(">H", p),
                              group.to_bytes(3, "big")])
        out += [ptk, kdf(ptk, 0x4B, [b"\0", bytes([cipher])])]
    return out


class Scanner:
    """Every 8 consecutive octets of every secret"""
    W = 8

    def __init__(self):
        self.windows = {}

    def add(self, secret, what):
        for i in range(len(secret) - self.W + 1):
            self.windows.setdefault(secret[i:i + self.W], what)

    def find(self, data, skip=None):
        """the secrets data holds, outside skip (start, end)"""
        hits = set()
        w, n = self.windows, self.W
        for i in range(len(data) - n + 1):
            if skip and skip[0] <= i and i + n <= skip[1]:
                continue
            what = w.get(data[i:i + n])
            if what:
                hits.add(what)
        return hits


# --- the model --------------------------------------------------------
class Link:
    def __init__(self, name, lower, ifindex, settings, readonly=False):
        self.name, self.lower, self.ifindex = name, lower, ifindex
        self.s = dict(settings)
        self.group_set = self.member_set = True
        self.keys = {}	# PGK ID: PTK limit (0: none)
        self.readonly = readonly


class Fuzzer:
    def __init__(self, a):
        self.a = a
        self.rng = random.Random(a.seed)
        self.priv = (a.mode == "root") != a.expect_wrong
        self.fam = family_id("pc5sec")
        self.g = Sock(NETLINK_GENERIC)
        self.g_echo = Sock(NETLINK_GENERIC, cap_ack=False)
        self.r = Sock(socket.NETLINK_ROUTE)
        self.r_echo = Sock(socket.NETLINK_ROUTE, cap_ack=False)
        self.seq = 1000
        self.sent = 0
        self.stats = {}
        self.findings = []
        self.saved = []
        self.scan = Scanner()
        self.key_no = 0
        self.links = {}		# ifindex: Link
        self.others = {}	# ifindex: name of a device that is not pc5sec
        self.lowers = [socket.if_nametoindex(n) for n in a.lower]
        for name in ["lo"] + a.lower:
            self.others[socket.if_nametoindex(name)] = name
        for spec in a.secret:
            pid, group, member, cipher, hexkey = spec.split(":")
            k = bytes.fromhex(hexkey)
            self.scan.add(k, f"installed PGK {pid}")
            for m in (int(member, 0), 1, 2):
                for d in derived(k, int(group, 0), m, int(cipher, 0), range(8)):
                    self.scan.add(d, f"PTK/PEK of installed PGK {pid}")
        self.fz_names = [f"fz{i}" for i in range(6)]
        self.now = int(time.time())
        self.recent = []

    # --- bookkeeping -------------------------------------------------
    def count(self, what):
        self.stats[what] = self.stats.get(what, 0) + 1

    def finding(self, what, tree=None):
        self.count("findings")
        if len(self.findings) < 40:
            self.findings.append(what)
            print(f"FINDING: {what}" + (f"\n  message: {json.dumps(tree)}" if tree else "")
                  + f"\n  sent before (datagram size, start, prediction): {self.recent[:-1]}",
                  flush=True)
        if tree is not None:
            self.saved.append(tree)

    def fresh_key(self):
        self.key_no += 1
        k = hashlib.sha256(b"nlfuzz %d %d" % (self.a.seed, self.key_no)).digest()
        self.scan.add(k, f"fuzzer PGK #{self.key_no}")
        return k

    def fz(self):
        mine = [i for i, lk in self.links.items()
                if not lk.readonly or self.a.mode == "denied"]
        return self.rng.choice(mine) if mine else 0x7FFF0000

    def value(self, v):
        if not isinstance(v, str) or not v.startswith("$"):
            return v
        if v == "$fz":
            return self.fz()
        if v == "$link":
            ro = [i for i, lk in self.links.items() if lk.readonly]
            return ro[0] if ro else 1
        if v == "$lo":
            return 1
        if v == "$lower":
            return self.rng.choice(self.lowers) if self.lowers else 1
        if v == "$none":
            return 0x7FFF0000 + self.rng.randrange(1000)
        if v == "$key":
            return self.fresh_key().hex()
        if v.startswith("$now"):
            return self.now + int(v[4:])
        raise ValueError(v)

    def resolve(self, node):
        """a node with its $-values made concrete (what is sent and saved)"""
        t, kind, v = node[0], node[1], node[2]
        rest = list(node[3:])
        if kind == "nest":
            return [t, kind, [self.resolve(n) for n in v]] + rest
        return [t, kind, self.value(v)] + rest

    # --- serialising ---------------------------------------------------
    def enc(self, nodes):
        out = b""
        for node in nodes:
            t, kind, v = node[0], node[1], node[2]
            fl = node[3] if len(node) > 3 else ""
            if kind == "nest":
                p = self.enc(v)
            elif kind in FMT:
                p = struct.pack(FMT[kind], v & ((1 << (8 * WIDTH[kind])) - 1))
            elif kind == "str":
                p = v.encode() + b"\0"
            else:
                p = bytes.fromhex(v)
            typ = t
            if kind == "nest" and "N" not in fl or "n" in fl:
                typ |= 0x8000
            if "b" in fl:
                typ |= 0x4000
            ln = 4 + len(p)
            for f in fl.split(","):
                if f.startswith("len="):
                    ln = int(f[4:]) & 0xFFFF
            a = struct.pack("=HH", ln, typ & 0xFFFF) + p
            out += a + b"\0" * (-len(a) % 4)
        return out

    def genl_bytes(self, m, seq):
        fl = m.get("flags", "ack")
        flags = {"ack": NLM_F_REQUEST | NLM_F_ACK,
                 "dump": NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP,
                 "none": NLM_F_REQUEST}.get(fl, fl)
        body = struct.pack("=BBH", m["cmd"] & 0xFF, m.get("version", 1), m.get("reserved", 0))
        body = body[:m.get("hdrlen", 4)] + self.enc(m.get("attrs", []))
        body += bytes.fromhex(m.get("trailer", ""))
        ln = 16 + len(body) + m.get("lenfix", 0)
        return struct.pack("=IHHII", ln, self.fam, flags, seq, 0) + body

    def rtnl_bytes(self, m, seq):
        op = m["op"]
        typ = {"create": RTM_NEWLINK, "change": RTM_NEWLINK, "del": RTM_DELLINK,
               "get": RTM_GETLINK, "dump": RTM_GETLINK}[op]
        flags = NLM_F_REQUEST | NLM_F_ACK
        if op == "create":
            flags |= NLM_F_CREATE | NLM_F_EXCL
        if op == "dump":
            flags |= NLM_F_DUMP
        ifindex = m.get("target", 0) if op != "create" else 0
        body = struct.pack("=BxHiII", socket.AF_UNSPEC, 0, ifindex, 0, 0)
        if op == "create":
            body += rtnl.attr(IFLA_IFNAME, m["name"].encode() + b"\0")
            if m.get("lower") is not None:
                body += rtnl.attr(IFLA_LINK, struct.pack("=I", m["lower"]))
        if op in ("create", "change"):
            info = rtnl.attr(IFLA_INFO_KIND, m.get("kind", "pc5sec").encode() + b"\0")
            if "data" in m:
                dt = IFLA_INFO_DATA | (0 if m.get("dataflags") == "N" else 0x8000)
                info += rtnl.attr(dt, self.enc(m["data"]))
            body += rtnl.attr(IFLA_LINKINFO | 0x8000, info)
        return struct.pack("=IHHII", 16 + len(body), typ, flags, seq, 0) + body

    # --- the oracle ----------------------------------------------------
    def link_of(self, tb):
        if A_IFINDEX not in tb:
            raise Refused(E.EINVAL)
        i = tb[A_IFINDEX]
        if i in self.links:
            return self.links[i]
        raise Refused(E.EOPNOTSUPP if i in self.others else E.ENODEV)

    def predict_genl(self, msg):
        """('noreply'|'ack'|'dump', errno or UNKNOWN, stage, effect)"""
        ln, _, flags = struct.unpack_from("=IHH", msg)
        if ln < 16 or ln > len(msg):
            return "noreply", 0, "core", None
        if not flags & NLM_F_REQUEST:
            return ("ack" if flags & NLM_F_ACK else "noreply"), 0, "core", None
        body = msg[16:ln]
        if len(body) < 4:
            return "ack", E.EINVAL, "core", None
        # genl_header_check: every command of the family is validated
        rest = flags & ~NLM_F_DUMP if flags & NLM_F_DUMP == NLM_F_DUMP else flags
        if body[2:4] != b"\0\0" or rest & ~(NLM_F_REQUEST | NLM_F_ACK | 8):
            return "ack", E.EINVAL, "header", None
        cmd = body[0]
        if cmd not in OPS:
            return "ack", E.EOPNOTSUPP, "core", None
        dump = flags & NLM_F_DUMP == NLM_F_DUMP
        # Since 6.2 the core looks up the do or dump operation before it
        # checks the caller's privilege; 6.1 checks the privilege first.
        if SPLIT_OPS and dump != (OPS[cmd] == "dump"):
            return "ack", E.EOPNOTSUPP, "core", None
        if not self.priv:
            return "ack", E.EPERM, "core", None
        if dump != (OPS[cmd] == "dump"):
            return "ack", E.EOPNOTSUPP, "core", None
        try:
            tb = strict_parse(body[4:], TOP_POLICY, TOP_MAX)
        except Refused as r:
            return "ack", r.err, "policy", None
        try:
            effect = self.semantics(cmd, tb)
        except Refused as r:
            if r.err is UNKNOWN and not dump and not flags & NLM_F_ACK:
                return "noreply", 0, "family", None
            return ("dump" if dump else "ack"), r.err, "family", None
        if not dump and not flags & NLM_F_ACK:
            return "noreply", 0, "family", effect	# checked by the next dump
        return ("dump" if dump else "ack"), 0 if effect != UNKNOWN else UNKNOWN, "family", effect

    def semantics(self, cmd, tb):
        """what the command does to the model (a function), or Refused"""
        # PC5SEC_A_REASON: KEY_DEL's, deleted or revoked; every other do
        # refuses it first (netlink_keys.c); dumps ignore it
        if A_REASON in tb and cmd in (KEY_ADD, KEY_SET, KEY_FLUSH, SENDER_RESET):
            raise Refused(E.EINVAL)
        if cmd == KEY_DEL and tb.get(A_REASON, REMOVED_DELETED) not in (REMOVED_DELETED,
                                                                       REMOVED_REVOKED):
            raise Refused(E.EINVAL)
        if cmd in (KEY_GET, SENDER_GET, KEY_FLUSH):
            lk = self.link_of(tb)
            if cmd == KEY_FLUSH:
                return lambda: lk.keys.clear()
            # what the dump must show: the keys as of now
            return ("keys", lk, dict(lk.keys)) if cmd == KEY_GET else ("senders", lk, None)
        if cmd == SENDER_RESET:
            if A_SENDER not in tb:
                raise Refused(E.EINVAL)
            lk = self.link_of(tb)
            if lk.readonly:
                return UNKNOWN
            raise Refused(E.ENOENT)	# the fuzzer's links carry no traffic
        if A_KEY not in tb:
            raise Refused(E.EINVAL)
        k = tb[A_KEY]
        if K_ID not in k:
            raise Refused(E.EINVAL)
        pid = k[K_ID]
        if cmd == KEY_ADD:
            if (K_PGK in k) == (K_KEYRING in k):
                raise Refused(E.EINVAL)
            nb, na = k.get(K_NB, 0), k.get(K_NA, 0)
            start, limit = k.get(K_START, 0), k.get(K_LIMIT, 0)
            if limit and limit <= start:
                raise Refused(E.EINVAL)
            if na and na <= nb:
                raise Refused(E.EINVAL)
            if na and na <= time.time() + 2:
                if na >= time.time() - 2:
                    return UNKNOWN
                raise Refused(E.EINVAL)
            if K_KEYRING in k:
                raise Refused(UNKNOWN)	# no such logon key: ENOKEY or so
            lk = self.link_of(tb)
            if not lk.group_set or not lk.member_set:
                raise Refused(E.EINVAL)
            if any(o == pid or o & 31 == pid & 31 for o in lk.keys):
                raise Refused(E.EEXIST)
            for d in derived(k[K_PGK], lk.s[L_GROUP], lk.s[L_MEMBER],
                             lk.s[L_CIPHER], range(start, min(start + 3, 0x10000))):
                self.scan.add(d, f"PTK/PEK of a fuzzer PGK on {lk.name}")
            return lambda: lk.keys.__setitem__(pid, limit)
        if cmd == KEY_SET:
            if any(t not in (K_ID, K_LIMIT) for t in k):
                raise Refused(E.EINVAL)
            if K_LIMIT not in k:
                raise Refused(E.EINVAL)
        lk = self.link_of(tb)
        if pid not in lk.keys:
            raise Refused(E.ENOENT)
        if cmd == KEY_SET:
            return lambda: lk.keys.__setitem__(pid, k[K_LIMIT])
        return lambda: lk.keys.pop(pid)

    def predict_rtnl(self, m):
        op = m["op"]
        if op in ("get", "dump"):
            if op == "get" and m["target"] not in self.links and m["target"] not in self.others:
                return "ack", E.ENODEV, "core", None
            return ("dump" if op == "dump" else "get"), 0, "core", None
        if not self.priv:
            return "ack", E.EPERM, "core", None
        if op == "del":
            i = m["target"]
            if i in self.others:
                return "ack", UNKNOWN, "core", None	# never generated
            if i not in self.links:
                return "ack", E.ENODEV, "core", None
            return "ack", 0, "core", lambda: self.links.pop(i)
        try:
            # rtnl_newlink: IFLA_LINKINFO's policy, the kind's data and
            # validate(), then the device by index or name, then the kind
            # (read up to its first NUL; no other kind here is loadable)
            data = {}
            raw = self.enc(m["data"]) if "data" in m else b""
            if 0 < len(raw) < 4:
                raise Refused(E.ERANGE, core=True)	# parsed without extack
            kind_ok = m.get("kind", "pc5sec").split("\0")[0] == "pc5sec"
            if kind_ok:
                data = liberal_parse(raw)
                link_validate(data)
            if op == "create" and any(lk.name == m["name"] for lk in self.links.values()):
                raise Refused(E.EEXIST, core=True)
            if op == "change" and m["target"] not in self.links:
                if m["target"] in self.others:
                    raise Refused(UNKNOWN, core=True)
                raise Refused(E.ENODEV, core=True)
            if not kind_ok:
                raise Refused(E.EOPNOTSUPP, core=True)
            if op == "change":
                lk = self.links[m["target"]]
                if L_ETHERTYPE in data and data[L_ETHERTYPE] != lk.s[L_ETHERTYPE]:
                    raise Refused(E.EOPNOTSUPP)
                lower, me = lk.lower, lk
                s = dict(lk.s)
            else:
                lower, me = m.get("lower"), None
                if lower is None:
                    raise Refused(E.EINVAL)
                if lower not in self.others:
                    raise Refused(E.EINVAL if lower in self.links else E.ENODEV)
                if lower not in self.lowers and self.others[lower] != self.a.link_lower:
                    raise Refused(E.EINVAL)	# lo
                s = dict(LINK_DEFAULT)
            s.update(data)
            if any(lk is not me and lk.lower == lower and lk.s[L_GROUP] == s[L_GROUP]
                   for lk in self.links.values()):
                raise Refused(E.EEXIST)
        except Refused as r:
            return "ack", r.err, "core" if r.core else "family", None

        def apply():
            if me:
                me.s = s
                me.group_set |= L_GROUP in data
                me.member_set |= L_MEMBER in data
            else:
                i = socket.if_nametoindex(m["name"])
                lk = Link(m["name"], lower, i, s)
                lk.group_set, lk.member_set = L_GROUP in data, L_MEMBER in data
                self.links[i] = lk
        return "ack", 0, "family", apply

    # --- sending and checking -----------------------------------------
    def exchange(self, items):
        """items: [(tree, bytes, prediction, is_genl, echo)]: one datagram"""
        sock = items[0][4]
        self.recent = (self.recent + [(len(items), it[1][:64].hex(), it[2][:3]) for it in items])[-6:]
        # the kernel reads the next message at NLMSG_ALIGN of this one's
        # length: a trailer of 1-3 octets gets its padding here
        sock.send(b"".join(it[1] + b"\0" * (-len(it[1]) % 4) for it in items))
        self.sent += len(items)
        for tree, msg, pred, genl, _ in items:
            seq = struct.unpack_from("=I", msg, 8)[0]
            self.check(tree, msg, pred, genl, sock, seq)

    def check(self, tree, msg, pred, genl, sock, seq):
        kind, want, stage, effect = pred
        name = f"{'genl cmd ' + str(tree.get('cmd')) if genl else 'rtnl ' + tree['op']}"
        self.count(name)
        if kind == "noreply":
            if callable(effect):
                effect()
            return
        got = sock.until_done(seq, 4096 if tree.get("smallbuf") else 65536)
        if got is None:
            self.finding(f"{name}: no answer within 10 s; sent before: {self.recent}; "
                         f"unclaimed answers: {[m[:3] for m in sock.backlog]}", tree)
            return
        end = got[-1]
        err, text, echo = ack_info(end[3])
        if end[0] == NLMSG_DONE and err == 0:
            err = 0
        for typ, flags, _, raw in got:
            hits = self.scan.find(raw, echo if raw is end[3] else None)
            if hits:
                self.finding(f"{name}: a reply holds key material: {sorted(hits)}", tree)
            if raw is end[3] and echo and echo[1] > 36:
                inside = self.scan.find(raw[echo[0]:echo[1]])
                if inside and (not genl or stage == "family"):
                    self.finding(f"{name}: error {err} echoes key material the "
                                 f"family saw: {sorted(inside)}", tree)
                elif inside - self.scan.find(msg):
                    self.finding(f"{name}: error {err} echoes key material the "
                                 f"request did not hold: {sorted(inside)}", tree)
                elif inside:
                    self.count("own key echoed (policy refusal)")
        self.count(f"errno {err}")
        if want is not UNKNOWN and err != want:
            self.finding(f"{name}: got errno {err} ({text}), want {want} "
                         f"(stage {stage})", tree)
            return
        if err and err != E.EPERM and stage not in ("core", "header") and text == "-":
            self.finding(f"{name}: error {err} without extack", tree)
        if err and text == "-":
            self.count(f"no extack {'genl' if genl else 'rtnl'} errno {err}")
        if err:
            return
        if callable(effect):
            effect()
        elif isinstance(effect, tuple):
            self.compare_dump(effect, got, tree)
        elif kind in ("dump", "get") and not genl and self.a.mode == "root":
            self.compare_links(got, tree, kind == "dump")

    def compare_dump(self, effect, got, tree):
        what, lk, want = effect
        if any(flags & NLM_F_DUMP_INTR for _, flags, _, _ in got):
            self.count("dumps flagged NLM_F_DUMP_INTR (not compared)")
            return
        if what == "senders":
            if not lk.readonly and len(got) > 1:
                self.finding(f"senders of {lk.name}: {len(got) - 1}, want none", tree)
            return
        seen = {}
        for typ, _, _, raw in got[:-1]:
            a = {t: p for t, _, p in attrs(raw[20:])}
            k = {t: p for t, _, p in attrs(a.get(A_KEY, b""))}
            if K_PGK in k or K_KEYRING in k:
                self.finding(f"KEY_GET of {lk.name} carries a key attribute", tree)
            if le(a.get(A_IFINDEX, b"")) != lk.ifindex:
                self.finding(f"KEY_GET of {lk.name}: a key of ifindex "
                             f"{le(a.get(A_IFINDEX, b''))}", tree)
            seen[k[K_ID][0]] = le(k.get(K_LIMIT, b""))
        if seen != want and not lk.readonly:
            self.finding(f"keys of {lk.name}: {seen}, want {want}", tree)
        if lk.readonly and set(seen) != set(want):
            self.finding(f"keys of {lk.name} (read only): {sorted(seen)}, "
                         f"want {sorted(want)}", tree)

    def compare_links(self, got, tree, everything):
        seen = set()
        for _, _, _, raw in got:
            if struct.unpack_from("=H", raw, 4)[0] != RTM_NEWLINK:
                continue
            ifindex = struct.unpack_from("=i", raw, 20)[0]
            lk = self.links.get(ifindex)
            a = {t: p for t, _, p in attrs(raw[32:])}
            info = {t: p for t, _, p in attrs(a.get(IFLA_LINKINFO, b""))}
            if info.get(IFLA_INFO_KIND, b"").rstrip(b"\0") != b"pc5sec":
                continue
            if lk is None:
                self.finding(f"a pc5sec link {a.get(IFLA_IFNAME)} (ifindex {ifindex}) "
                             "the model does not have", tree)
                continue
            seen.add(ifindex)
            data = {t: le(p) for t, _, p in attrs(info.get(IFLA_INFO_DATA, b""))}
            if data != lk.s:
                diff = {t: (data.get(t), lk.s.get(t)) for t in LINK_POLICY
                        if data.get(t) != lk.s.get(t)}
                self.finding(f"settings of {lk.name}: (got, want) {diff}", tree)
        if everything and set(self.links) - seen:
            self.finding(f"links missing from the dump: "
                         f"{[self.links[i].name for i in set(self.links) - seen]}", tree)

    def send_tree(self, tree, echo=False):
        """resolve, serialise, predict, send, check one message"""
        self.seq += 1
        genl = tree["proto"] == "genl"
        t = dict(tree)
        if genl:
            t["attrs"] = [self.resolve(n) for n in tree.get("attrs", [])]
            msg = self.genl_bytes(t, self.seq)
            pred = self.predict_genl(msg)
        else:
            for f in ("target", "lower"):
                if f in t:
                    t[f] = self.value(t[f])
            if "data" in t:
                t["data"] = [self.resolve(n) for n in t["data"]]
            msg = self.rtnl_bytes(t, self.seq)
            pred = self.predict_rtnl(t)
        sock = (self.g_echo if echo else self.g) if genl else (self.r_echo if echo else self.r)
        return t, msg, pred, genl, sock

    def one(self, tree, echo=False):
        it = self.send_tree(tree, echo)
        if it[2][0] == "noreply":
            self.count("no reply expected (nlmsg_len past the datagram)")
        self.exchange([it])

    def multi(self, trees):
        """Several requests in one datagram. Each is predicted after the
        ones before it took effect (as the kernel runs them in order).
        A dump that has more to send after its first part is still
        running when the next request is read, and a socket runs one
        dump at a time: EBUSY (netlink_dump_start), before the family
        parses the request."""
        items, running = [], False
        for tree in trees:
            if tree.get("lenfix"):
                continue
            t, msg, pred, genl, sock = self.send_tree(tree)
            kind, want, stage, effect = pred
            if kind == "noreply":
                continue
            flags = struct.unpack_from("=H", msg, 6)[0]
            if stage in ("policy", "family") and flags & NLM_F_DUMP == NLM_F_DUMP and running is not False:
                pred = ("ack", UNKNOWN if running is UNKNOWN else E.EBUSY, "core", None)
            elif callable(effect) and want == 0:
                effect()	# now, for the next requests' predictions
                pred = (kind, want, stage, None)
            elif kind == "dump" and want == 0 and isinstance(effect, tuple):
                if effect[0] == "keys":
                    running = True if effect[2] else running
                elif effect[1].readonly:
                    running = UNKNOWN if running is False else running
            items.append((t, msg, pred, genl, sock))
        if items:
            self.count("multi-message datagrams")
            self.exchange(items)

    # --- generating -----------------------------------------------------
    def key_nest(self, op):
        r = self.rng
        k = [[K_ID, "u8", r.choice([r.randrange(256), r.randrange(32) | 0x40])]]
        if op == KEY_ADD:
            k.append([K_PGK, "hex", "$key"])
            if r.random() < .4:
                k.append([K_NA, "u64", r.choice(["$now+100000", "$now+1000000000", S64_MAX])])
            if r.random() < .3:
                k.append([K_NB, "u64", r.choice(["$now-100", "$now+50000", 0])])
            if r.random() < .5:
                k.append([K_START, "u16", r.choice([0, 1, 100, 0xFFFF])])
            if r.random() < .4:
                k.append([K_LIMIT, "u32", r.choice([0x10000, 0xFFFF])])
        elif op == KEY_SET:
            k.append([K_LIMIT, "u32", r.choice([1, 2, 1000, 0x10000])])
        return [A_KEY, "nest", k]

    def valid_genl(self):
        r = self.rng
        cmd = r.choice([KEY_ADD, KEY_ADD, KEY_ADD, KEY_DEL, KEY_DEL, KEY_SET,
                        KEY_FLUSH, KEY_GET, KEY_GET, SENDER_GET, SENDER_RESET])
        if cmd == KEY_FLUSH and r.random() < .7:
            cmd = KEY_GET
        target = "$fz"
        if cmd in (KEY_GET, SENDER_GET) and r.random() < .3:
            target = "$link"
        a = [[A_IFINDEX, "u32", target]]
        if cmd in (KEY_ADD, KEY_DEL, KEY_SET):
            a.append(self.key_nest(cmd))
        if cmd == SENDER_RESET:
            a.append([A_SENDER, "u32", r.randrange(1 << 24)])
        if cmd == KEY_DEL and r.random() < .3:
            a.append([A_REASON, "u8", r.choice([REMOVED_DELETED, REMOVED_REVOKED])])
        return {"proto": "genl", "cmd": cmd,
                "flags": "dump" if OPS[cmd] == "dump" else "ack", "attrs": a}

    def valid_rtnl(self):
        r = self.rng
        op = r.choice(["create", "create", "change", "change", "change", "del", "get", "dump"])
        data = []
        for t, kind in LINK_POLICY.items():
            if r.random() < .35 and (op == "create" or t != L_ETHERTYPE):
                v = {L_GROUP: r.choice([r.randrange(1, 1 << 24), 0x42, 0xFFFFFF, 0]),
                     L_MEMBER: r.choice([r.randrange(1 << 24), 0xFFFFFF]),
                     L_CIPHER: r.choice(list(CIPHERS)),
                     L_ETHERTYPE: r.choice([0x88B5, 0x0600, 0xFFFF, 0x88B6]),
                     L_REPLAY: r.choice([0, 1, 64, 4096]),
                     L_NOTICE: r.choice([0, 60, 0xFFFFFFFF]),
                     L_SKEW: r.choice([0, 300]),
                     L_MAXS: r.choice([1, 4096, 65536])}[t]
                data.append([t, kind, v])
        if op == "create":
            return {"proto": "rtnl", "op": op, "name": r.choice(self.fz_names),
                    "lower": "$lower", "data": data}
        if op == "change":
            return {"proto": "rtnl", "op": op, "target": "$fz", "data": data}
        if op == "del":
            return {"proto": "rtnl", "op": op, "target": r.choice(["$fz", "$fz", "$none"])}
        return {"proto": "rtnl", "op": op, "target": r.choice(["$fz", "$link", "$lo"])}

    def boundary(self, kind):
        w = WIDTH.get(kind, 4) * 8
        r = self.rng
        return r.choice([0, 1, (1 << w) - 1, (1 << (w - 1)) - 1, 1 << (w - 1),
                         0x10000, 0x10001, 0xFFFFFF, 0x1000000, 4096, 4097, 300, 301,
                         65536, 65537, 0x600, 0x5FF, 0x0800, 0x86DD, 0x88E5,
                         S64_MAX, S64_MAX + 1, r.getrandbits(w)]) & ((1 << w) - 1)

    def garbage(self, n=None):
        n = self.rng.randrange(0, 40) if n is None else n
        return bytes(self.rng.getrandbits(8) for _ in range(n)).hex()

    def mutate_nodes(self, nodes, depth=0):
        r = self.rng
        nodes = [list(n) for n in nodes]
        choice = r.randrange(12)
        if not nodes or choice == 0:	# unknown or foreign type
            nodes.insert(r.randrange(len(nodes) + 1),
                         [r.choice([0, 3, 4, 6, 7, 14, 0x3FFF, r.randrange(1, 20)]),
                          "hex", self.garbage(), r.choice(["n", "b", ""])])
            return nodes
        i = r.randrange(len(nodes))
        n = nodes[i]
        if choice == 1:		# missing
            del nodes[i]
        elif choice == 2:	# duplicated, maybe changed
            d = list(n)
            if d[1] in WIDTH and r.random() < .5:
                d[2] = self.boundary(d[1])
            nodes.insert(r.randrange(len(nodes) + 1), d)
        elif choice in (3, 4) and n[1] in WIDTH:	# boundary value
            n[2] = self.boundary(n[1])
        elif choice == 5:	# wrong width
            n[1] = r.choice(["u8", "u16", "u32", "u64", "hex"])
            n[2] = self.garbage() if n[1] == "hex" else self.boundary(n[1])
        elif choice == 6 and n[1] == "nest" and depth < 3:
            n[2] = self.mutate_nodes(n[2], depth + 1)
        elif choice == 7 and n[1] == "nest":	# garbage or deep nests
            if r.random() < .5:
                n[1], n[2] = "hex", self.garbage()
                n[3:] = ["n"]
            else:
                deep = [n[0], "hex", self.garbage(8)]
                for _ in range(r.randrange(2, 12)):
                    deep = [r.randrange(1, 14), "nest", [deep]]
                n[2] = [deep]
        elif choice == 8:	# the nest flag, the byte order flag
            n[3:] = [r.choice(["n", "N", "b", "nb"])]
        elif choice == 9:	# a lying nla_len
            real = len(self.enc([self.resolve(n)]))
            n[3:] = ["len=%d" % r.choice([0, 1, 3, 4, real - 1, real + 1, real + 8, 0xFFFF])]
        elif choice == 10 and n[1] == "hex":
            n[2] = self.garbage(r.choice([0, 1, 31, 32, 33, 64, 256, 300]))
        else:
            n[2] = self.boundary(n[1]) if n[1] in WIDTH else n[2]
        return nodes

    def mutate(self, tree):
        r = self.rng
        t = json.loads(json.dumps(tree))
        for _ in range(r.choice([1, 1, 1, 2, 3])):
            if t["proto"] == "genl":
                c = r.randrange(10)
                if c == 0:
                    t["cmd"] = r.choice([0, 5, 6, 11, 13, 16, 255, r.randrange(256)])
                elif c == 1:
                    t["flags"] = r.choice(["ack", "dump", NLM_F_REQUEST | NLM_F_ACK | 0x100,
                                           NLM_F_ACK, NLM_F_REQUEST | NLM_F_ACK | 0x800])
                elif c == 2:
                    f = r.choice(["trailer", "hdrlen", "lenfix", "version", "reserved"])
                    t[f] = {"trailer": lambda: self.garbage(r.randrange(1, 4)),
                            "hdrlen": lambda: r.randrange(4),
                            "lenfix": lambda: r.choice([-1, -4, 4, 100]),
                            "version": lambda: r.choice([0, 2, 255]),
                            "reserved": lambda: r.choice([1, 0x100, 0xFFFF])}[f]()
                else:
                    t["attrs"] = self.mutate_nodes(t.get("attrs", []))
            elif t["op"] in ("create", "change"):
                c = r.randrange(8)
                if c == 0:
                    t["dataflags"] = r.choice(["n", "N"])
                elif c == 1 and t["op"] == "create":
                    t["lower"] = r.choice(["$lo", "$none", "$fz", None])
                elif c == 2:
                    t["kind"] = r.choice(["pc5sec", "pc5se", "pc5sec\0x"])
                else:
                    t["data"] = self.mutate_nodes(t.get("data", []))
            else:
                t["target"] = r.choice(["$none", "$fz", "$lo"])
        return t

    # --- scenarios --------------------------------------------------------
    def state_check(self):
        """every link's keys and settings against the model"""
        self.count("state checks")
        for i in list(self.links):
            self.one({"proto": "genl", "cmd": KEY_GET, "flags": "dump",
                      "attrs": [[A_IFINDEX, "u32", i]]})
        self.one({"proto": "rtnl", "op": "dump"})

    def interrupted_dump(self):
        """KEY_GET of a link with 32 keys, in parts; a key deleted and one
        added between the parts. Either the dump says NLM_F_DUMP_INTR or
        it shows the keys of before or of after, each once."""
        lk = next((x for x in self.links.values() if not x.readonly and x.group_set
                   and x.member_set), None)
        if lk is None:
            return
        self.one({"proto": "genl", "cmd": KEY_FLUSH, "attrs": [[A_IFINDEX, "u32", lk.ifindex]]})
        for pid in range(32):
            self.one({"proto": "genl", "cmd": KEY_ADD, "attrs": [
                [A_IFINDEX, "u32", lk.ifindex],
                [A_KEY, "nest", [[K_ID, "u8", pid | 0x20], [K_PGK, "hex", "$key"],
                                 [K_NB, "u64", 1], [K_NA, "u64", S64_MAX],
                                 [K_LIMIT, "u32", 0x10000]]]]})
        before = set(lk.keys)
        d = Sock(NETLINK_GENERIC)
        self.seq += 1
        seq = self.seq
        d.send(self.genl_bytes({"cmd": KEY_GET, "flags": "dump",
                                "attrs": [[A_IFINDEX, "u32", lk.ifindex]]}, seq))
        victim = self.rng.choice(sorted(before))
        self.one({"proto": "genl", "cmd": KEY_DEL, "attrs": [
            [A_IFINDEX, "u32", lk.ifindex], [A_KEY, "nest", [[K_ID, "u8", victim]]]]})
        self.one({"proto": "genl", "cmd": KEY_ADD, "attrs": [
            [A_IFINDEX, "u32", lk.ifindex],
            [A_KEY, "nest", [[K_ID, "u8", (victim & 31) | 0xC0], [K_PGK, "hex", "$key"]]]]})
        after = set(lk.keys)
        got = d.until_done(seq, 4096)
        d.close()
        self.sent += 1
        self.count("interrupted dumps")
        if got is None:
            self.finding("interrupted KEY_GET: no NLMSG_DONE")
            return
        ids, intr = [], False
        for typ, flags, _, raw in got:
            intr |= bool(flags & NLM_F_DUMP_INTR)
            if typ == self.fam:
                k = {t: p for t, _, p in attrs(dict((t, p) for t, _, p in attrs(raw[20:]))[A_KEY])}
                ids.append(k[K_ID][0])
                self.scan.find(raw) and self.finding("interrupted KEY_GET holds key material")
        if intr:
            self.count("interrupted dumps flagged NLM_F_DUMP_INTR")
        elif len(ids) != len(set(ids)) or set(ids) not in (before, after):
            self.finding(f"KEY_GET changed mid-dump without NLM_F_DUMP_INTR: "
                         f"{len(ids)} keys, before {len(before)}, after {len(after)}, "
                         f"missing {sorted(before & after - set(ids))}")
        else:
            self.count("interrupted dumps consistent without flag")

    def real_op(self):
        """one operation through pc5ctl or ip(8), as a user would"""
        if not self.a.pc5ctl:
            return
        r = self.rng
        mine = [x for x in self.links.values() if not x.readonly]
        c = r.randrange(4)
        if c == 0 and mine:
            lk = r.choice(mine)
            pid = r.randrange(256)
            key = self.fresh_key()
            path = f"/tmp/nlfuzz.{os.getpid()}.key"
            with open(path, "w") as f:
                f.write(key.hex() + "\n")
            ok = lk.group_set and lk.member_set and not any(
                o & 31 == pid & 31 for o in lk.keys)
            rc = self.run([self.a.pc5ctl, "key", "add", lk.name, "pgk-id", str(pid),
                           "ptk-start", "0", "key-file", path])
            os.unlink(path)
            if (rc == 0) != ok:
                self.finding(f"pc5ctl key add {lk.name} {pid}: exit {rc}, want success {ok}")
            if rc == 0:
                lk.keys[pid] = 0
                for d in derived(key, lk.s[L_GROUP], lk.s[L_MEMBER], lk.s[L_CIPHER], range(3)):
                    self.scan.add(d, "PTK/PEK of a pc5ctl PGK")
        elif c == 1 and mine:
            lk = r.choice(mine)
            if lk.keys:
                pid = r.choice(sorted(lk.keys))
                rc = self.run([self.a.pc5ctl, "key", "del", lk.name, "pgk-id", str(pid)])
                if rc:
                    self.finding(f"pc5ctl key del {lk.name} {pid}: exit {rc}")
                else:
                    lk.keys.pop(pid)
        elif c == 2 and mine:
            lk = r.choice(mine)
            member = r.randrange(1, 1 << 24)
            rc = self.run([self.a.pc5ctl, "link", "set", lk.name, "member", str(member)])
            if rc:
                self.finding(f"pc5ctl link set {lk.name} member {member}: exit {rc}")
            else:
                lk.s[L_MEMBER], lk.member_set = member, True
        else:
            name = "fz9"
            i = next((x.ifindex for x in mine if x.name == name), None)
            if i:
                rc = self.run(["ip", "link", "del", name])
                if rc == 0:
                    self.links.pop(i)
            else:
                group = r.randrange(0x100000, 0x200000)
                lower = self.others[self.lowers[0]]
                ok = not any(x.lower == self.lowers[0] and x.s[L_GROUP] == 0
                             for x in self.links.values())
                rc = self.run(["ip", "link", "add", name, "link", lower, "type", "pc5sec"])
                if (rc == 0) != ok:
                    self.finding(f"ip link add {name}: exit {rc}, want success {ok}")
                if rc == 0:
                    i = socket.if_nametoindex(name)
                    lk = Link(name, self.lowers[0], i, LINK_DEFAULT)
                    lk.group_set = lk.member_set = False
                    self.links[i] = lk
                    rc = self.run([self.a.pc5ctl, "link", "set", name, "group", str(group),
                                   "member", "7"])
                    if rc == 0:
                        lk.s[L_GROUP], lk.s[L_MEMBER] = group, 7
                        lk.group_set = lk.member_set = True
                    else:
                        self.finding(f"pc5ctl link set {name} group {group}: exit {rc}")
                rc = 0
            if rc:
                self.finding(f"ip link del {name}: exit {rc}")
        self.count("real operations")

    def run(self, argv):
        p = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if p.returncode:
            self.count("real operations refused")
        return p.returncode

    # --- setup and main loop ----------------------------------------------
    def setup(self):
        if self.a.link:
            i = socket.if_nametoindex(self.a.link)
            lk = Link(self.a.link, None, i, LINK_DEFAULT, readonly=True)
            self.links[i] = lk
            self.others.pop(i, None)
            if self.a.mode == "root":
                # its settings and keys as the kernel has them: read only
                it = self.send_tree({"proto": "rtnl", "op": "get", "target": i})
                self.r.send(it[1])
                got = self.r.until_done(struct.unpack_from("=I", it[1], 8)[0])
                a = {t: p for t, _, p in attrs(got[0][3][32:])}
                info = {t: p for t, _, p in attrs(a[IFLA_LINKINFO])}
                lk.s = {t: le(p) for t, _, p in attrs(info[IFLA_INFO_DATA])}
                lk.lower = le(a[IFLA_LINK])
                self.a.link_lower = self.others.get(lk.lower)
                it = self.send_tree({"proto": "genl", "cmd": KEY_GET, "flags": "dump",
                                     "attrs": [[A_IFINDEX, "u32", i]]})
                self.g.send(it[1])
                for _, _, _, raw in self.g.until_done(struct.unpack_from("=I", it[1], 8)[0])[:-1]:
                    k = dict((t, p) for t, _, p in attrs(
                        dict((t, p) for t, _, p in attrs(raw[20:]))[A_KEY]))
                    lk.keys[k[K_ID][0]] = le(k.get(K_LIMIT, b""))
        if self.a.mode == "root":
            for n, name in enumerate(self.fz_names[:2]):
                self.one({"proto": "rtnl", "op": "create", "name": name,
                          "lower": self.lowers[n % len(self.lowers)],
                          "data": [[L_GROUP, "u32", 0x100 + n], [L_MEMBER, "u32", 1 + n]]})

    def corpus(self):
        trees = []
        if self.a.corpus and os.path.isdir(self.a.corpus):
            for f in sorted(os.listdir(self.a.corpus)):
                if f.endswith(".json"):
                    with open(os.path.join(self.a.corpus, f)) as fh:
                        trees += json.load(fh)
        return trees

    def loop(self):
        a, r = self.a, self.rng
        start = time.time()
        seeds = self.corpus()
        for t in seeds:
            self.one(t, echo=t.get("echo", r.random() < .3))
        self.count("corpus messages")
        replayed = self.sent
        next_check, next_dump, next_real = 50, start + 2, start + 1
        while True:
            if a.count and self.sent >= a.count:
                break
            if not a.count and time.time() - start >= a.duration:
                break
            now = time.time()
            if self.a.mode == "root" and not a.expect_wrong:
                if now >= next_dump:
                    self.interrupted_dump()
                    next_dump = now + 8
                if now >= next_real:
                    self.real_op()
                    next_real = now + 2.5
                if self.sent >= next_check:
                    self.state_check()
                    next_check = self.sent + a.check_every
            x = r.random()
            if x < .25:
                tree = self.valid_genl()
            elif x < .35:
                tree = self.valid_rtnl()
            elif x < .75:
                tree = self.mutate(r.choice(seeds) if seeds and r.random() < .4
                                   else self.valid_genl())
            elif x < .9:
                tree = self.mutate(self.valid_rtnl())
            else:
                # two or three messages in one datagram
                self.multi([self.mutate(self.valid_genl()) if r.random() < .5
                            else self.valid_genl() for _ in range(r.randrange(2, 4))])
                continue
            self.one(tree, echo=r.random() < .25)
        if self.a.mode == "root" and not a.expect_wrong:
            self.state_check()
        secs = time.time() - start
        print(f"nlfuzz: seed {a.seed} mode {a.mode}: {self.sent} messages "
              f"({replayed} from the corpus) in {secs:.1f} s, "
              f"{self.sent / secs:.0f}/s, {len(self.saved)} findings")
        for k in sorted(self.stats):
            print(f"  {k}: {self.stats[k]}")


def scan_control():
    s = Scanner()
    k = hashlib.sha256(b"control").digest()
    s.add(k, "control key")
    assert not s.find(b"\x01" * 100 + k[:7] + b"\x02" * 50)
    assert s.find(b"\x01" * 13 + k[20:28] + b"\x02") == {"control key"}
    d = derived(k, 0x42, 1, 2, [0])
    s.add(d[1], "control PEK")
    assert s.find(b"xx" + d[1][-16:] + b"yy") == {"control PEK"}
    assert not s.find(b"xx" + d[1][-16:] + b"yy", (2, 18))
    print("scan-control: ok")
    return 0


def main():
    if sys.argv[1:2] == ["scan-control"]:
        return scan_control()
    p = argparse.ArgumentParser()
    p.add_argument("cmd", choices=["run"])
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--duration", type=float, default=60)
    p.add_argument("--count", type=int, default=0)
    p.add_argument("--mode", choices=["root", "denied"], default="root")
    p.add_argument("--secret", action="append", default=[])
    p.add_argument("--link")
    p.add_argument("--lower", action="append", default=[])
    p.add_argument("--pc5ctl")
    p.add_argument("--corpus")
    p.add_argument("--save")
    p.add_argument("--model", help="write the final model here (JSON)")
    p.add_argument("--check-every", type=int, default=100)
    p.add_argument("--expect-wrong", action="store_true")
    a = p.parse_args()
    a.link_lower = None
    print(f"nlfuzz: seed {a.seed} (replay: nlfuzz.py run --seed {a.seed} ...)", flush=True)
    f = Fuzzer(a)
    f.setup()
    f.loop()
    if a.model:
        with open(a.model, "w") as fh:
            json.dump({lk.name: {"keys": sorted(lk.keys), "group": lk.s.get(L_GROUP),
                                 "member": lk.s.get(L_MEMBER)}
                       for lk in f.links.values()}, fh)
    if a.save and f.saved:
        os.makedirs(a.save, exist_ok=True)
        with open(os.path.join(a.save, f"findings-{a.seed}.json"), "w") as fh:
            json.dump(f.saved, fh, indent=1)
    return 1 if f.saved or f.stats.get("findings") else 0


if __name__ == "__main__":
    sys.exit(main())
