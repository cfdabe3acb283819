/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 128-EEA1 (SNOW 3G) and 128-EEA3 (ZUC) for the kernel crypto API, in
 * pc5sec-algs.ko. The keystream generators are word oriented: they fill a
 * block of EEA_BLOCK_WORDS words per call, one word per clock, with the
 * LFSR kept as a ring of 16 words whose position returns to the start after
 * each block, so no word is ever shifted.
 */
#ifndef _PC5SEC_EEA_H
#define _PC5SEC_EEA_H

#include <linux/string.h>
#include <linux/types.h>

#define EEA_KEY_LEN		16
/* COUNT (32) || BEARER (5) || DIRECTION (1) || 0 (26) || 64 bits unused */
#define EEA_IV_LEN		16
#define EEA_BLOCK_WORDS		16
#define EEA_BLOCK_SIZE		(4 * EEA_BLOCK_WORDS)

/* The 16-octet 3GPP block: octets 0-3 COUNT, octet 4 BEARER << 3 | DIR << 2 */
static inline void eea_iv(u8 iv[EEA_IV_LEN], u32 count, u8 bearer, u8 dir)
{
	memset(iv, 0, EEA_IV_LEN);
	iv[0] = count >> 24;
	iv[1] = count >> 16;
	iv[2] = count >> 8;
	iv[3] = count;
	iv[4] = (bearer & 0x1f) << 3 | (dir & 1) << 2;
}

/* Both generators: 16 LFSR cells and the FSM registers, on the stack. */
struct snow3g_state {
	u32 s[16];
	u32 r1, r2, r3;
};

struct zuc_state {
	u32 s[16];	/* 31-bit cells */
	u32 r1, r2;
};

/* Build the lookup tables, before anything else here runs (idempotent). */
void pc5sec_snow3g_init_tables(void);

/* eea.c: tables, self-test and registration; and the way back */
extern bool pc5sec_eea_registered;
int pc5sec_eea_register(void);
void pc5sec_eea_unregister(void);

/* SNOW 3G keyed with K = k3 || k2 || k1 || k0 (big endian) and IV3..IV0. */
void pc5sec_snow3g_load(struct snow3g_state *st, const u8 key[EEA_KEY_LEN],
			const u32 iv[4]);
void pc5sec_snow3g_block(struct snow3g_state *st, u32 z[EEA_BLOCK_WORDS]);

void pc5sec_zuc_load(struct zuc_state *st, const u8 key[EEA_KEY_LEN],
		     const u8 iv[16]);
void pc5sec_zuc_block(struct zuc_state *st, u32 z[EEA_BLOCK_WORDS]);

/* 128-EEA1 and 128-EEA3 with a 3GPP IV block (eea_iv()). */
void pc5sec_eea1_start(struct snow3g_state *st, const u8 key[EEA_KEY_LEN],
		       const u8 iv[EEA_IV_LEN]);
void pc5sec_eea3_start(struct zuc_state *st, const u8 key[EEA_KEY_LEN],
		       const u8 iv[EEA_IV_LEN]);

/*
 * The confidentiality algorithms at bit granularity, as the 3GPP test data
 * gives them: @bits of @in ciphered into @out (DIV_ROUND_UP(@bits, 8)
 * octets), the bits after @bits in the last octet zeroed.
 */
void pc5sec_eea1(const u8 key[EEA_KEY_LEN], u32 count, u8 bearer, u8 dir,
		 const u8 *in, u8 *out, u32 bits);
void pc5sec_eea3(const u8 key[EEA_KEY_LEN], u32 count, u8 bearer, u8 dir,
		 const u8 *in, u8 *out, u32 bits);

#endif /* _PC5SEC_EEA_H */
