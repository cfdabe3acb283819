#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""systemd's side of sd_notify(3), for the lab (a test double: the lab's
guest has no systemd as PID 1).

sdnotify.py PATH PC5CTL NETNS LINK
    Binds the datagram socket PATH (give it to a daemon as NOTIFY_SOCKET)
    and prints each message it gets on one line, its assignments separated
    by spaces. On a READY=1 it looks at once at what systemd's "started"
    would promise: the line ends with " | keys=ID,ID..." read with
    "PC5CTL -n NETNS -j show LINK" at that moment ("keys=" if none, or
    "keys=?" if the link is not there). Exits after STOPPING=1.
"""
import json
import os
import socket
import subprocess
import sys


def keys(pc5ctl, netns, link):
    r = subprocess.run([pc5ctl, "-n", netns, "-j", "show", link],
                       capture_output=True, text=True, check=False)
    try:
        return ",".join(str(k["pgk_id"]) for k in json.loads(r.stdout)[0]["keys"])
    except (ValueError, LookupError):
        return "?"


def main():
    path, pc5ctl, netns, link = sys.argv[1:5]
    if os.path.exists(path):
        os.unlink(path)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    while True:
        msg = s.recv(4096).decode()
        fields = msg.strip().split("\n")
        line = " ".join(fields)
        if "READY=1" in fields:
            line += " | keys=" + keys(pc5ctl, netns, link)
        print(line, flush=True)
        if "STOPPING=1" in fields:
            return


if __name__ == "__main__":
    main()
