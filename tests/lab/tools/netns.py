# SPDX-License-Identifier: GPL-2.0
"""enter(NAME): move this process into the network namespace `ip netns`
calls NAME. Sockets opened before keep their namespace, so one process can
hold sockets in several UEs (flood.py, steady.py)."""
import ctypes
import os

CLONE_NEWNET = 0x40000000
_libc = ctypes.CDLL(None, use_errno=True)


def enter(ns):
    fd = os.open(f"/run/netns/{ns}", os.O_RDONLY)
    try:
        if _libc.setns(fd, CLONE_NEWNET):
            raise OSError(ctypes.get_errno(), f"setns {ns}")
    finally:
        os.close(fd)
