// SPDX-License-Identifier: GPL-2.0
/*
 * SNOW 3G, the keystream generator of UEA2 and 128-EEA1, written from the
 * ETSI/SAGE specification (UEA2 & UIA2 Document 2: SNOW 3G, v1.1).
 *
 * Every table here is computed at module load from its definition in the
 * specification (S_R is the AES S-box, S_Q the Dickson polynomial g49 over
 * GF(2^8), MUL_alpha and DIV_alpha powers of alpha), so a reader checks
 * formulas, not 2560 constants; the registration self-test and KUnit check
 * the result against the official test data.
 *
 * Like aes-generic, the S-box lookups are table driven and so not constant
 * time with respect to the cache (design.md says what that means here).
 */
#include <linux/kernel.h>
#include <linux/cache.h>
#include "compat.h"	/* get_unaligned_*() */

#include "eea.h"

/* S1 and S2 as four tables each: Sx(w) = T0[w0] ^ T1[w1] ^ T2[w2] ^ T3[w3] */
static u32 s1_t[4][256] __ro_after_init;
static u32 s2_t[4][256] __ro_after_init;
static u32 mul_alpha[256] __ro_after_init;
static u32 div_alpha[256] __ro_after_init;

/* MULx and MULxPOW of the specification (section 3.1) */
static u8 mulx(u8 v, u8 c)
{
	return v & 0x80 ? (v << 1) ^ c : v << 1;
}

static u8 mulx_pow(u8 v, unsigned int i, u8 c)
{
	while (i--)
		v = mulx(v, c);
	return v;
}

/* a * b in GF(2^8) with the reduction byte @c (x^8 = c) */
static u8 gf_mul(u8 a, u8 b, u8 c)
{
	u8 r = 0;

	while (b) {
		if (b & 1)
			r ^= a;
		a = mulx(a, c);
		b >>= 1;
	}
	return r;
}

static u8 gf_pow(u8 a, unsigned int e, u8 c)
{
	u8 r = 1;

	while (e) {
		if (e & 1)
			r = gf_mul(r, a, c);
		a = gf_mul(a, a, c);
		e >>= 1;
	}
	return r;
}

/* The AES S-box: inversion in GF(2^8) mod x^8+x^4+x^3+x+1, then affine. */
static u8 s_r(u8 x)
{
	u8 b = gf_pow(x, 254, 0x1b);

	return b ^ rol8(b, 1) ^ rol8(b, 2) ^ rol8(b, 3) ^ rol8(b, 4) ^ 0x63;
}

/* S_Q: g49(x) ^ 0x25 in GF(2^8) mod x^8+x^6+x^5+x^3+1 (section 3.4.2) */
static u8 s_q(u8 x)
{
	static const u8 exps[] = { 1, 9, 13, 15, 33, 41, 45, 47, 49 };
	u8 r = 0x25;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(exps); i++)
		r ^= gf_pow(x, exps[i], 0x69);
	return r;
}

/*
 * One column of S1 (S2): with a = S_R(x) (S_Q(x)), 2a = MULx(a, 0x1B)
 * (MULx(a, 0x69)) and 3a = 2a ^ a, the four output octets r0..r3 take
 * (2a, 3a, a, a) from w0, (a, 2a, 3a, a) from w1, (a, a, 2a, 3a) from w2
 * and (3a, a, a, 2a) from w3 (sections 3.4.1 and 3.4.3).
 */
static void s_box_tables(u32 t[4][256], u8 (*sbox)(u8), u8 c)
{
	unsigned int x;

	for (x = 0; x < 256; x++) {
		u32 a = sbox(x), a2 = mulx(a, c), a3 = a2 ^ a;

		t[0][x] = a2 << 24 | a3 << 16 | a << 8 | a;
		t[1][x] = a << 24 | a2 << 16 | a3 << 8 | a;
		t[2][x] = a << 24 | a << 16 | a2 << 8 | a3;
		t[3][x] = a3 << 24 | a << 16 | a << 8 | a2;
	}
}

void pc5sec_snow3g_init_tables(void)
{
	unsigned int c;

	s_box_tables(s1_t, s_r, 0x1b);
	s_box_tables(s2_t, s_q, 0x69);
	/* MUL_alpha and DIV_alpha (section 3.4.4 and 3.4.5) */
	for (c = 0; c < 256; c++) {
		mul_alpha[c] = (u32)mulx_pow(c, 23, 0xa9) << 24 |
			       (u32)mulx_pow(c, 245, 0xa9) << 16 |
			       (u32)mulx_pow(c, 48, 0xa9) << 8 |
			       mulx_pow(c, 239, 0xa9);
		div_alpha[c] = (u32)mulx_pow(c, 16, 0xa9) << 24 |
			       (u32)mulx_pow(c, 39, 0xa9) << 16 |
			       (u32)mulx_pow(c, 6, 0xa9) << 8 |
			       mulx_pow(c, 64, 0xa9);
	}
}

static inline u32 sbox(const u32 t[4][256], u32 w)
{
	return t[0][w >> 24] ^ t[1][(w >> 16) & 0xff] ^
	       t[2][(w >> 8) & 0xff] ^ t[3][w & 0xff];
}

/*
 * Clock @i of a block: the LFSR cell s_j is st->s[(i + j) % 16], and the
 * new s15 replaces s0 at index i. Returns F (section 3.4.6).
 */
static __always_inline u32 fsm(struct snow3g_state *st, unsigned int i)
{
	u32 f = (st->s[(i + 15) & 15] + st->r1) ^ st->r2;
	u32 r = st->r2 + (st->r3 ^ st->s[(i + 5) & 15]);

	st->r3 = sbox(s2_t, st->r2);
	st->r2 = sbox(s1_t, st->r1);
	st->r1 = r;
	return f;
}

/* The LFSR's feedback, plus @f in the initialisation mode (3.4.4/3.4.5) */
static __always_inline void lfsr(struct snow3g_state *st, unsigned int i,
				 u32 f)
{
	u32 s0 = st->s[i & 15], s11 = st->s[(i + 11) & 15];

	st->s[i & 15] = (s0 << 8) ^ mul_alpha[s0 >> 24] ^
			st->s[(i + 2) & 15] ^ (s11 >> 8) ^
			div_alpha[s11 & 0xff] ^ f;
}

static __always_inline void init_clock(struct snow3g_state *st, unsigned int i)
{
	lfsr(st, i, fsm(st, i));
}

static __always_inline void ks_clock(struct snow3g_state *st, u32 *z,
				     unsigned int i)
{
	z[i] = fsm(st, i);
	z[i] ^= st->s[i];
	lfsr(st, i, 0);
}

/* Keystream words z_1.. of the specification, EEA_BLOCK_WORDS at a time */
void pc5sec_snow3g_block(struct snow3g_state *st, u32 z[EEA_BLOCK_WORDS])
{
	ks_clock(st, z, 0); ks_clock(st, z, 1); ks_clock(st, z, 2); ks_clock(st, z, 3);
	ks_clock(st, z, 4); ks_clock(st, z, 5); ks_clock(st, z, 6); ks_clock(st, z, 7);
	ks_clock(st, z, 8); ks_clock(st, z, 9); ks_clock(st, z, 10); ks_clock(st, z, 11);
	ks_clock(st, z, 12); ks_clock(st, z, 13); ks_clock(st, z, 14); ks_clock(st, z, 15);
}

/*
 * Key and IV loading and the 32 initialisation clocks, then the one clock
 * whose output is discarded (section 4.1); the ring is rotated once after
 * it so that the next block starts at index 0 again.
 */
void pc5sec_snow3g_load(struct snow3g_state *st, const u8 key[EEA_KEY_LEN],
			const u32 iv[4])
{
	u32 k3 = get_unaligned_be32(key), k2 = get_unaligned_be32(key + 4);
	u32 k1 = get_unaligned_be32(key + 8), k0 = get_unaligned_be32(key + 12);
	unsigned int n;
	u32 s0;

	st->s[15] = k3 ^ iv[0];
	st->s[14] = k2;
	st->s[13] = k1;
	st->s[12] = k0 ^ iv[1];
	st->s[11] = k3 ^ ~0U;
	st->s[10] = k2 ^ ~0U ^ iv[2];
	st->s[9] = k1 ^ ~0U ^ iv[3];
	st->s[8] = k0 ^ ~0U;
	st->s[7] = k3;
	st->s[6] = k2;
	st->s[5] = k1;
	st->s[4] = k0;
	st->s[3] = k3 ^ ~0U;
	st->s[2] = k2 ^ ~0U;
	st->s[1] = k1 ^ ~0U;
	st->s[0] = k0 ^ ~0U;
	st->r1 = 0;
	st->r2 = 0;
	st->r3 = 0;

	for (n = 0; n < 2; n++) {
		init_clock(st, 0); init_clock(st, 1); init_clock(st, 2); init_clock(st, 3);
		init_clock(st, 4); init_clock(st, 5); init_clock(st, 6); init_clock(st, 7);
		init_clock(st, 8); init_clock(st, 9); init_clock(st, 10); init_clock(st, 11);
		init_clock(st, 12); init_clock(st, 13); init_clock(st, 14); init_clock(st, 15);
	}
	fsm(st, 0);
	lfsr(st, 0, 0);
	s0 = st->s[0];
	memmove(st->s, st->s + 1, 15 * sizeof(u32));
	st->s[15] = s0;
}

/*
 * 128-EEA1 (TS 33.401 B.1.2, UEA2's f8): IV3 = COUNT, IV2 = BEARER ||
 * DIRECTION || 0^26, IV1 = IV3, IV0 = IV2, that is the first eight octets
 * of the 3GPP IV block twice.
 */
void pc5sec_eea1_start(struct snow3g_state *st, const u8 key[EEA_KEY_LEN],
		       const u8 iv[EEA_IV_LEN])
{
	u32 w[4];

	w[3] = get_unaligned_be32(iv);
	w[2] = get_unaligned_be32(iv + 4);
	w[1] = w[3];
	w[0] = w[2];
	pc5sec_snow3g_load(st, key, w);
}
