#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The power-cut test's verdict on the air (tests/powercut/run).

air.py DIR CUTS
    DIR/air-N.pcap is what the UE's NIC sent in boot N (0..CUTS, the last
    one not cut), DIR/boot-N/cut "MS PHASE" where boot N was cut,
    DIR/boot-CUTS/tx_packets what the last boot's pc5sec link counted.
    Checks, across every boot: no (Layer-2 Source ID, PGK Index, PTK
    Identity, SN) twice; under each PGK Index a boot's PTK Identities all
    above every earlier boot's (the watermark never goes back); every boot
    cut in its stream put frames on the air; the last boot's frames are
    exactly its link's tx_packets. Prints a line per boot; exits 1 on any
    failure.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lab", "tools"))
import pcap  # noqa: E402


def main():
    d, cuts = sys.argv[1], int(sys.argv[2])
    seen = {}           # COUNT key -> boot that sent it first
    again = {}          # (boot, first boot, member, index, PTK) -> COUNTs resent
    top = {}            # PGK Index -> highest PTK Identity of earlier boots
    bad = []
    total = 0
    for n in range(cuts + 1):
        path = os.path.join(d, f"air-{n}.pcap")
        frames = []
        if os.path.exists(path):
            for fr in pcap.frames(path):
                p = pcap.parse(fr)
                if p["etype"] == pcap.ETHERTYPE and p["sn"] is not None:
                    frames.append(p)
        try:
            with open(os.path.join(d, f"boot-{n}", "cut")) as f:
                ms, phase = f.read().split()
        except OSError:
            ms, phase = "-", "last"
        ptks = {}
        for p in frames:
            k = (p["l2src"], p["pgk_index"], p["ptk_id"], p["sn"])
            if k in seen:
                r = (n, seen[k]) + k[:3]
                again[r] = again.get(r, 0) + 1
            seen.setdefault(k, n)
            ptks.setdefault(p["pgk_index"], set()).add(p["ptk_id"])
        bad += [f"boot {b} sent {c} COUNTs of boot {f} again: member {m}, "
                f"PGK Index {i}, PTK Identity {t}"
                for (b, f, m, i, t), c in again.items() if b == n]
        for idx, ids in ptks.items():
            if idx in top and min(ids) <= top[idx]:
                bad.append(f"boot {n}: PGK Index {idx} PTK Identity {min(ids)}, "
                           f"not above {top[idx]} of an earlier boot")
        for idx, ids in ptks.items():
            top[idx] = max(top.get(idx, -1), max(ids))
        used = " ".join(f"index {i}: PTK {min(s)}-{max(s)}" for i, s in sorted(ptks.items()))
        print(f"boot {n:2}: cut {ms:>4} ms after its disk in phase {phase:6} "
              f"{len(frames):5} frames  {used}")
        total += len(frames)
        if phase == "stream" and not frames:
            bad.append(f"boot {n} was cut in its stream but sent no frame")
        if phase == "last":
            try:
                with open(os.path.join(d, f"boot-{n}", "tx_packets")) as f:
                    tx = int(f.read())
            except OSError:
                tx = None
            if tx != len(frames):
                bad.append(f"last boot: tx_packets {tx}, {len(frames)} frames on the air")
    print(f"{total} frames in {cuts + 1} boots, {len(seen)} distinct COUNTs, "
          f"{sum(again.values())} sent again, "
          f"{sum(1 for n in range(cuts) if open(os.path.join(d, f'boot-{n}', 'cut')).read().split()[1] == 'stream')} "
          f"boots cut in their stream")
    for b in bad[:20]:
        print("  " + b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
