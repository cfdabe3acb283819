// SPDX-License-Identifier: GPL-2.0
/*
 * The key hierarchy of TS 33.303 Annex A on the generic KDF of TS 33.220
 * Annex B: KDF(Key, S) = HMAC-SHA-256(Key, FC || P0 || L0 || P1 || L1 ...).
 *
 * Derivations run once per (sender, PGK, PTK Identity), never per packet,
 * and always in process context: they allocate a keyed hmac(sha256)
 * transform each time, so that no key schedule outlives the derivation.
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <crypto/hash.h>
#include <crypto/algapi.h>
#include <linux/pc5sec.h>

#include "kdf.h"

int pc5sec_kdf(const u8 *key, unsigned int key_len, u8 fc,
	       const struct pc5sec_kdf_param *params, unsigned int nparams,
	       u8 out[PC5SEC_KDF_OUT_LEN])
{
	struct crypto_shash *tfm;
	unsigned int i;
	int err;

	might_sleep();
	tfm = crypto_alloc_shash("hmac(sha256)", 0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);

	err = crypto_shash_setkey(tfm, key, key_len);
	if (err)
		goto out;

	{
		SHASH_DESC_ON_STACK(desc, tfm);

		desc->tfm = tfm;
		err = crypto_shash_init(desc);
		if (!err)
			err = crypto_shash_update(desc, &fc, 1);
		for (i = 0; !err && i < nparams; i++) {
			__be16 len = cpu_to_be16(params[i].len);

			err = crypto_shash_update(desc, params[i].data,
						  params[i].len);
			if (!err)
				err = crypto_shash_update(desc, (u8 *)&len,
							  sizeof(len));
		}
		if (!err)
			err = crypto_shash_final(desc, out);
		shash_desc_zero(desc);
	}
out:
	crypto_free_shash(tfm);
	return err;
}

/* TS 33.303 A.3: PTK = KDF(PGK, 0x4A || member || ptk_id || group) */
int pc5sec_derive_ptk(const u8 *pgk, u32 member, u16 ptk_id, u32 group,
		      u8 ptk[PC5SEC_PTK_LEN])
{
	u8 m[3] = { member >> 16, member >> 8, member };
	u8 g[3] = { group >> 16, group >> 8, group };
	__be16 p = cpu_to_be16(ptk_id);
	const struct pc5sec_kdf_param params[] = {
		{ m, sizeof(m) }, { &p, sizeof(p) }, { g, sizeof(g) },
	};

	return pc5sec_kdf(pgk, PC5SEC_PGK_LEN, PC5SEC_KDF_FC_PTK, params,
			  ARRAY_SIZE(params), ptk);
}

/*
 * TS 33.303 A.4: PEK = KDF(PTK, 0x4B || 0x00 || alg_id); an n-bit key is
 * the n least significant bits of the output, i.e. its last n/8 octets.
 */
int pc5sec_derive_pek(const u8 *ptk, u8 alg_id, u8 *pek, unsigned int pek_len)
{
	const u8 distinguisher = 0x00;	/* 0x01 would be an integrity key */
	const struct pc5sec_kdf_param params[] = {
		{ &distinguisher, 1 }, { &alg_id, 1 },
	};
	u8 out[PC5SEC_KDF_OUT_LEN];
	int err;

	if (WARN_ON(!pek_len || pek_len > sizeof(out)))
		return -EINVAL;
	err = pc5sec_kdf(ptk, PC5SEC_PTK_LEN, PC5SEC_KDF_FC_PEK, params,
			 ARRAY_SIZE(params), out);
	if (!err)
		memcpy(pek, out + sizeof(out) - pek_len, pek_len);
	memzero_explicit(out, sizeof(out));
	return err;
}
