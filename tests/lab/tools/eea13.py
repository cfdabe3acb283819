#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Reference 128-EEA1 (SNOW 3G as UEA2 f8) and 128-EEA3 (ZUC) for pc5sec tests.

Written from ETSI/SAGE UEA2 & UIA2 Documents 1 (f8) and 2 (SNOW 3G) and
128-EEA3 & 128-EIA3 Documents 1 (EEA3) and 2 (ZUC).  Slow, stdlib only.
Byte conventions (values as the test data print them, MS octet first):
  snow3g_keystream: key16 = k0||k1||k2||k3, iv16 = IV0||IV1||IV2||IV3, each
    word big-endian (Document 2 section 4.1 names; Document 3 prints them so).
  eea1(CK): k3 = CK[0:4], k2 = CK[4:8], k1 = CK[8:12], k0 = CK[12:16];
    IV3 = IV1 = COUNT, IV2 = IV0 = BEARER(5 bits)||DIRECTION||0^26.
  zuc_keystream: k_i = key16[i], iv_i = iv16[i] (Document 2 section 3.5).
  eea3(CK): key = CK, iv = (COUNT (4 octets) || BEARER<<3|DIRECTION<<2 || 00 00 00) x 2.
Keystream bits are used MSB of z1 first; eea1/eea3 return ceil(bitlen / 8)
bytes with the bits after bitlen in the last byte set to zero.

Usage:  eea13.py --selftest
        eea13.py {eea1|eea3} KEYHEX COUNT BEARER DIRECTION  < in > out
"""
import functools
import json
import operator
import os
import sys

M32 = 0xFFFFFFFF


# ---- SNOW 3G (UEA2 & UIA2 Document 2) ---------------------------------------

def _mulxpow(v, i, c):
    """MULxPOW(V, i, c) of Document 2 section 3.1; MULx(V, c) is i = 1."""
    for _ in range(i):
        v = ((v << 1) & 0xFF) ^ c if v & 0x80 else v << 1
    return v


def _gf_pow(a, e, c):
    """a^e in GF(2^8) modulo x^8 + c (MULx with constant c multiplies by x)."""
    r = 1
    for _ in range(e):
        r = functools.reduce(operator.xor, (_mulxpow(r, i, c) for i in range(8) if a >> i & 1), 0)
    return r


def _aes_sbox(x):
    """SR: the Rijndael S-box (inverse mod x^8+x^4+x^3+x+1, affine map, 0x63)."""
    b = s = _gf_pow(x, 254, 0x1B)
    for _ in range(4):
        b = ((b << 1) | (b >> 7)) & 0xFF
        s ^= b
    return s ^ 0x63


def _dickson_sbox(x):
    """SQ: g49(x) ^ 0x25, Dickson polynomial over GF(2^8) modulo x^8+x^6+x^5+x^3+1."""
    es = (1, 9, 13, 15, 33, 41, 45, 47, 49)
    return functools.reduce(operator.xor, (_gf_pow(x, e, 0x69) for e in es), 0x25)


SR = [_aes_sbox(x) for x in range(256)]
SQ = [_dickson_sbox(x) for x in range(256)]


def _word(*bs):
    return (bs[0] << 24) | (bs[1] << 16) | (bs[2] << 8) | bs[3]


MUL_ALPHA = [_word(*(_mulxpow(c, e, 0xA9) for e in (23, 245, 48, 239))) for c in range(256)]
DIV_ALPHA = [_word(*(_mulxpow(c, e, 0xA9) for e in (16, 39, 6, 64))) for c in range(256)]


def _snow_s(w, box, c):
    """S1 (box SR, c 0x1B) and S2 (box SQ, c 0x69) of Document 2, 3.4.1-2."""
    a = [box[(w >> sh) & 0xFF] for sh in (24, 16, 8, 0)]
    m = [_mulxpow(x, 1, c) for x in a]
    return _word(m[0] ^ a[1] ^ a[2] ^ m[3] ^ a[3],
                 m[0] ^ a[0] ^ m[1] ^ a[2] ^ a[3],
                 a[0] ^ m[1] ^ a[1] ^ m[2] ^ a[3],
                 a[0] ^ a[1] ^ m[2] ^ a[2] ^ m[3])


def snow3g_keystream(key16, iv16, nwords):
    """z1..z_nwords; key16 = k0||k1||k2||k3, iv16 = IV0||IV1||IV2||IV3."""
    k = [int.from_bytes(key16[i:i + 4], "big") for i in range(0, 16, 4)]
    iv = [int.from_bytes(iv16[i:i + 4], "big") for i in range(0, 16, 4)]
    n = M32  # the all-ones word written "1" in Document 2
    s = [k[0] ^ n, k[1] ^ n, k[2] ^ n, k[3] ^ n, k[0], k[1], k[2], k[3],   # s0..s7
         k[0] ^ n, k[1] ^ n ^ iv[3], k[2] ^ n ^ iv[2], k[3] ^ n,           # s8..s11
         k[0] ^ iv[1], k[1], k[2], k[3] ^ iv[0]]                           # s12..s15
    r = [0, 0, 0]  # R1, R2, R3

    def fsm():
        f = ((s[15] + r[0]) & M32) ^ r[1]
        r[:] = [(r[1] + (r[2] ^ s[5])) & M32, _snow_s(r[0], SR, 0x1B), _snow_s(r[1], SQ, 0x69)]
        return f

    def lfsr(f):
        v = ((s[0] << 8) & M32) ^ MUL_ALPHA[s[0] >> 24] ^ s[2]
        s[:] = s[1:] + [v ^ (s[11] >> 8) ^ DIV_ALPHA[s[11] & 0xFF] ^ f]

    for _ in range(32):         # initialisation mode
        lfsr(fsm())
    fsm()                       # the first FSM output is discarded
    lfsr(0)
    out = []
    for _ in range(nwords):     # keystream mode
        out.append(fsm() ^ s[0])
        lfsr(0)
    return out


# ---- ZUC (128-EEA3 & 128-EIA3 Document 2) -----------------------------------

ZUC_S0 = bytes.fromhex(
    "3e 72 5b 47 ca e0 00 33 04 d1 54 98 09 b9 6d cb"
    "7b 1b f9 32 af 9d 6a a5 b8 2d fc 1d 08 53 03 90"
    "4d 4e 84 99 e4 ce d9 91 dd b6 85 48 8b 29 6e ac"
    "cd c1 f8 1e 73 43 69 c6 b5 bd fd 39 63 20 d4 38"
    "76 7d b2 a7 cf ed 57 c5 f3 2c bb 14 21 06 55 9b"
    "e3 ef 5e 31 4f 7f 5a a4 0d 82 51 49 5f ba 58 1c"
    "4a 16 d5 17 a8 92 24 1f 8c ff d8 ae 2e 01 d3 ad"
    "3b 4b da 46 eb c9 de 9a 8f 87 d7 3a 80 6f 2f c8"
    "b1 b4 37 f7 0a 22 13 28 7c cc 3c 89 c7 c3 96 56"
    "07 bf 7e f0 0b 2b 97 52 35 41 79 61 a6 4c 10 fe"
    "bc 26 95 88 8a b0 a3 fb c0 18 94 f2 e1 e5 e9 5d"
    "d0 dc 11 66 64 5c ec 59 42 75 12 f5 74 9c aa 23"
    "0e 86 ab be 2a 02 e7 67 e6 44 a2 6c c2 93 9f f1"
    "f6 fa 36 d2 50 68 9e 62 71 15 3d d6 40 c4 e2 0f"
    "8e 83 77 6b 25 05 3f 0c 30 ea 70 b7 a1 e8 a9 65"
    "8d 27 1a db 81 b3 a0 f4 45 7a 19 df ee 78 34 60")
ZUC_S1 = bytes.fromhex(
    "55 c2 63 71 3b c8 47 86 9f 3c da 5b 29 aa fd 77"
    "8c c5 94 0c a6 1a 13 00 e3 a8 16 72 40 f9 f8 42"
    "44 26 68 96 81 d9 45 3e 10 76 c6 a7 8b 39 43 e1"
    "3a b5 56 2a c0 6d b3 05 22 66 bf dc 0b fa 62 48"
    "dd 20 11 06 36 c9 c1 cf f6 27 52 bb 69 f5 d4 87"
    "7f 84 4c d2 9c 57 a4 bc 4f 9a df fe d6 8d 7a eb"
    "2b 53 d8 5c a1 14 17 fb 23 d5 7d 30 67 73 08 09"
    "ee b7 70 3f 61 b2 19 8e 4e e5 4b 93 8f 5d db a9"
    "ad f1 ae 2e cb 0d fc f4 2d 46 6e 1d 97 e8 d1 e9"
    "4d 37 a5 75 5e 83 9e ab 82 9d b9 1c e0 cd 49 89"
    "01 b6 bd 58 24 a2 5f 38 78 99 15 90 50 b8 95 e4"
    "d0 91 c7 ce ed 0f b4 6f a0 cc f0 02 4a 79 c3 de"
    "a3 ef ea 51 e6 6b 18 ec 1b 2c 80 f7 74 e7 ff 21"
    "5a 6a 54 1e 41 31 92 35 c4 33 07 0a ba 7e 0e 34"
    "88 b1 98 7c f3 3d 60 6c 7b ca d3 1f 32 65 04 28"
    "64 be 85 9b 2f 59 8a d7 b0 25 ac af 12 03 e2 f2")
ZUC_D = (0x44D7, 0x26BC, 0x626B, 0x135E, 0x5789, 0x35E2, 0x7135, 0x09AF,
         0x4D78, 0x2F13, 0x6BC4, 0x1AF1, 0x5E26, 0x3C4D, 0x789A, 0x47AC)
M31 = 0x7FFFFFFF


def _zuc_sl(x, rots):
    """S(L(x)): the linear transform L1 or L2 (given by its rotations), then S0/S1/S0/S1."""
    y = x
    for n in rots:
        y ^= ((x << n) | (x >> (32 - n))) & M32
    return _word(ZUC_S0[y >> 24], ZUC_S1[(y >> 16) & 0xFF],
                 ZUC_S0[(y >> 8) & 0xFF], ZUC_S1[y & 0xFF])


def zuc_keystream(key16, iv16, nwords):
    """Z1..Z_nwords; s_i = k_i || d_i || iv_i with k_i = key16[i], iv_i = iv16[i]."""
    s = [(key16[i] << 23) | (ZUC_D[i] << 8) | iv16[i] for i in range(16)]
    r = [0, 0]  # R1, R2

    def lfsr(u=0):              # u = W >> 1 in initialisation mode, nothing in work mode
        v = u
        for w, n in ((s[0], 0), (s[0], 8), (s[4], 20), (s[10], 21), (s[13], 17), (s[15], 15)):
            v += ((w << n) | (w >> (31 - n))) & M31     # 2^n * w mod 2^31 - 1
            v = (v & M31) + (v >> 31)
        s[:] = s[1:] + [v or M31]

    def bitreorg_f():           # bit reorganisation, then F; returns (W, X3)
        x0 = ((s[15] >> 15) << 16) | (s[14] & 0xFFFF)
        x1 = ((s[11] & 0xFFFF) << 16) | (s[9] >> 15)
        x2 = ((s[7] & 0xFFFF) << 16) | (s[5] >> 15)
        x3 = ((s[2] & 0xFFFF) << 16) | (s[0] >> 15)
        w = ((x0 ^ r[0]) + r[1]) & M32
        w1, w2 = (r[0] + x1) & M32, r[1] ^ x2
        r[0] = _zuc_sl(((w1 << 16) | (w2 >> 16)) & M32, (2, 10, 18, 24))
        r[1] = _zuc_sl(((w2 << 16) | (w1 >> 16)) & M32, (8, 14, 22, 30))
        return w, x3

    for _ in range(32):
        lfsr(bitreorg_f()[0] >> 1)
    bitreorg_f()
    lfsr()
    out = []
    for _ in range(nwords):
        out.append(operator.xor(*bitreorg_f()))
        lfsr()
    return out


# ---- 128-EEA1 / 128-EEA3 ------------------------------------------------------

def _apply(words, data, bitlen):
    n = (bitlen + 7) // 8
    if len(data) < n:
        raise ValueError("data shorter than bitlen")
    ks = b"".join(w.to_bytes(4, "big") for w in words)
    out = bytearray(a ^ b for a, b in zip(data[:n], ks))
    if bitlen % 8:
        out[-1] &= (0xFF << (8 - bitlen % 8)) & 0xFF
    return bytes(out)


def _bd(bearer, direction):
    return (((bearer & 0x1F) << 3) | ((direction & 1) << 2)).to_bytes(1, "big") + bytes(3)


def eea1(key16, count, bearer, direction, data, bitlen):
    key = key16[12:16] + key16[8:12] + key16[4:8] + key16[0:4]
    c, bd = count.to_bytes(4, "big"), _bd(bearer, direction)
    return _apply(snow3g_keystream(key, bd + c + bd + c, (bitlen + 31) // 32), data, bitlen)


def eea3(key16, count, bearer, direction, data, bitlen):
    iv8 = count.to_bytes(4, "big") + _bd(bearer, direction)
    return _apply(zuc_keystream(key16, iv8 + iv8, (bitlen + 31) // 32), data, bitlen)


# ---- command line -------------------------------------------------------------------

def selftest(path):
    bad = 0
    for v in json.load(open(path)):
        key = bytes.fromhex(v["key"])
        if "keystream" in v:
            gen = snow3g_keystream if v["alg"] == "snow3g" else zuc_keystream
            want = [int(w, 16) for w in v["keystream"]]
            got = gen(key, bytes.fromhex(v["iv"]), v["first"] + len(want))[v["first"]:]
            what = ",".join("z%d" % (v["first"] + 1 + i) for i in range(len(want)))
        else:
            fn = functools.partial(eea1 if v["alg"] == "eea1" else eea3, key, v["count"],
                                   v["bearer"], v["direction"])
            pt, want = bytes.fromhex(v["plaintext"]), bytes.fromhex(v["ciphertext"])
            got = fn(pt, v["bitlen"])
            if fn(want, v["bitlen"]) != _apply([0] * len(pt), pt, v["bitlen"]):
                got = None      # deciphering must give the plaintext back too
            what = "%d bits" % v["bitlen"]
        bad += got != want
        print("%-4s %-6s %s %d: %s" % ("ok" if got == want else "FAIL", v["alg"], v["doc"],
                                        v["set"], what))
    print("%d failure(s)" % bad)
    return 1 if bad else 0


def main(argv):
    if argv[1:] == ["--selftest"]:
        here = os.path.dirname(os.path.abspath(__file__))
        return selftest(os.path.join(here, "eea13_vectors.json"))
    if len(argv) == 6 and argv[1] in ("eea1", "eea3"):
        data = sys.stdin.buffer.read()
        fn = eea1 if argv[1] == "eea1" else eea3
        sys.stdout.buffer.write(fn(bytes.fromhex(argv[2]), int(argv[3], 0), int(argv[4], 0),
                                   int(argv[5], 0), data, 8 * len(data)))
        return 0
    sys.stderr.write("usage:" + __doc__.split("Usage:")[1])
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
