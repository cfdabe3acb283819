// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * 128-EEA1 and 128-EEA3 for the dissector, on top of the keystream
 * generators of the kernel module (module/algs/snow3g.c and zuc.c, built
 * into the plugin unchanged with kshim/). This is the userspace twin of
 * stream_xor() in module/algs/eea.c: the same generators, the same IV
 * block, so a capture decodes exactly as the module ciphered it.
 */
#include "eea.h"
#include "pc5sec-crypto.h"

void pc5sec_eea_init(void)
{
	/* SNOW 3G's tables are computed, not constant; ZUC needs nothing. */
	pc5sec_snow3g_init_tables();
}

union eea_state {
	struct snow3g_state snow3g;
	struct zuc_state zuc;
};

static void keystream_block(bool zuc, union eea_state *st, u8 ks[EEA_BLOCK_SIZE])
{
	u32 z[EEA_BLOCK_WORDS];
	unsigned int i;

	if (zuc)
		pc5sec_zuc_block(&st->zuc, z);
	else
		pc5sec_snow3g_block(&st->snow3g, z);
	/* Keystream words go on the air most significant octet first. */
	for (i = 0; i < EEA_BLOCK_WORDS; i++) {
		ks[4 * i] = z[i] >> 24;
		ks[4 * i + 1] = z[i] >> 16;
		ks[4 * i + 2] = z[i] >> 8;
		ks[4 * i + 3] = z[i];
	}
	pc5sec_wipe(z, sizeof(z));
}

/* BEARER = 0 and DIRECTION = 0 for one-to-many (spec section 3). */
void pc5sec_eea_xor(bool zuc, const uint8_t key[PC5SEC_EEA_KEY_LEN],
		    uint32_t count, uint8_t *buf, size_t len)
{
	union eea_state st;
	u8 iv[EEA_IV_LEN], ks[EEA_BLOCK_SIZE];
	size_t i, n;

	eea_iv(iv, count, 0, 0);
	if (zuc)
		pc5sec_eea3_start(&st.zuc, key, iv);
	else
		pc5sec_eea1_start(&st.snow3g, key, iv);
	while (len) {
		keystream_block(zuc, &st, ks);
		n = len < EEA_BLOCK_SIZE ? len : EEA_BLOCK_SIZE;
		for (i = 0; i < n; i++)
			buf[i] ^= ks[i];
		buf += n;
		len -= n;
	}
	pc5sec_wipe(&st, sizeof(st));
	pc5sec_wipe(ks, sizeof(ks));
}
