#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Make an algorithm asynchronous for everyone, through cryptd.

cryptd.py on NAME TYPE instantiates cryptd(NAME) (e.g. gcm(aes), TYPE aead
                       or skcipher) with
                       NETLINK_CRYPTO's NEWALG and gives it priority 9000,
                       so that every later crypto_alloc_*("NAME") gets it:
                       each request then completes later, from cryptd's
                       worker, as with a hardware engine. Prints its driver.
cryptd.py off NAME     deletes that instance again (or, while a user still
                       holds it, drops its priority to 1).

The race tests use it so that completions arrive after a link is gone.
"""
import socket
import struct
import sys

NETLINK_CRYPTO = 21
CRYPTO_MSG_NEWALG, CRYPTO_MSG_DELALG, CRYPTO_MSG_UPDATEALG = 0x10, 0x11, 0x12
CRYPTOCFGA_PRIORITY_VAL = 1
NLM_F_REQUEST, NLM_F_ACK = 1, 4
NLMSG_ERROR = 2
# cryptd instantiates for the type the lookup asks for (crypto.h)
CRYPTO_ALG_TYPE = {"aead": 0x3, "skcipher": 0x5}
CRYPTO_ALG_TYPE_MASK = 0xF


def instance(tmpl, name):
    """The driver name of the TMPL instance whose cra_name is NAME."""
    entry = {}
    with open("/proc/crypto") as f:
        for line in f.read().split("\n") + [""]:
            if not line.strip():
                if entry.get("name") == name and entry.get("driver", "").startswith(tmpl + "("):
                    return entry["driver"]
                entry = {}
                continue
            k, _, v = line.partition(":")
            entry[k.strip()] = v.strip()
    return None


# Since 6.7 (lskcipher) a skcipher lookup masks the type with 0xe, and
# cryptd's template instantiates for what is left, CRYPTO_ALG_TYPE_LSKCIPHER
# (4): with 6.1's mask, 0xf, it answers EINVAL there.
CRYPTO_ALG_TYPE_SKCIPHER_MASK = 0xE


def request(msg_type, driver, priority=None, alg_type=0, mask=None):
    if mask is None:
        mask = CRYPTO_ALG_TYPE_MASK if alg_type else 0
    alg = struct.pack("64s64s64sIIII", b"", driver.encode(), b"", alg_type, mask, 0, 0)
    attrs = b""
    if priority is not None:
        attrs = struct.pack("HHI", 8, CRYPTOCFGA_PRIORITY_VAL, priority)
    body = alg + attrs
    hdr = struct.pack("IHHII", 16 + len(body), msg_type, NLM_F_REQUEST | NLM_F_ACK, 1, 0)
    with socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_CRYPTO) as s:
        s.send(hdr + body)
        reply = s.recv(4096)
    _, rtype, _, _, _ = struct.unpack_from("IHHII", reply)
    if rtype != NLMSG_ERROR:
        return 0
    return -struct.unpack_from("i", reply, 16)[0]


def main():
    what, tmpl, name = sys.argv[1], sys.argv[2], sys.argv[3]
    if what == "on":
        # NEWALG makes the instance, then answers ENOENT: its lookup wants
        # the name asked for, the instance has its own driver name. Its
        # priority goes up by that driver name (UPDATEALG).
        alg_type = CRYPTO_ALG_TYPE[sys.argv[4]]
        err = request(CRYPTO_MSG_NEWALG, f"{tmpl}({name})", 0, alg_type)
        if err == 22 and sys.argv[4] == "skcipher":  # EINVAL: a 6.7+ kernel
            err = request(CRYPTO_MSG_NEWALG, f"{tmpl}({name})", 0, alg_type,
                          CRYPTO_ALG_TYPE_SKCIPHER_MASK)
        # ENOENT as above (6.12: EAGAIN, the same), EEXIST: made before;
        # whether the instance is there, /proc/crypto says next
        if err not in (0, 2, 11, 17):
            sys.exit(f"asyncalg.py: NEWALG {tmpl}({name}): errno {err}")
        driver = instance(tmpl, name)
        if not driver:
            sys.exit(f"asyncalg.py: no {tmpl} instance for {name} in /proc/crypto")
        err = request(CRYPTO_MSG_UPDATEALG, driver, 9000)
        if err:
            sys.exit(f"asyncalg.py: UPDATEALG {driver}: errno {err}")
        print(driver)
        return 0
    driver = instance(tmpl, name)
    if not driver:
        return 0
    if request(CRYPTO_MSG_DELALG, driver) == 0:
        return 0
    err = request(CRYPTO_MSG_UPDATEALG, driver, 1)
    if err:
        sys.exit(f"asyncalg.py: cannot retire {driver}: errno {err}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
