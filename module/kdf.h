/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PC5SEC_KDF_H
#define _PC5SEC_KDF_H

#include <linux/types.h>
#include <crypto/sha2.h>

#define PC5SEC_KDF_OUT_LEN	SHA256_DIGEST_SIZE
#define PC5SEC_PTK_LEN		32
#define PC5SEC_KDF_FC_PTK	0x4A	/* TS 33.303 A.3 */
#define PC5SEC_KDF_FC_PEK	0x4B	/* TS 33.303 A.4 */

/* One input parameter Pi of the TS 33.220 Annex B KDF. */
struct pc5sec_kdf_param {
	const void *data;
	u16 len;
};

int pc5sec_kdf(const u8 *key, unsigned int key_len, u8 fc,
	       const struct pc5sec_kdf_param *params, unsigned int nparams,
	       u8 out[PC5SEC_KDF_OUT_LEN]);
int pc5sec_derive_ptk(const u8 *pgk, u32 member, u16 ptk_id, u32 group,
		      u8 ptk[PC5SEC_PTK_LEN]);
int pc5sec_derive_pek(const u8 *ptk, u8 alg_id, u8 *pek,
		      unsigned int pek_len);

#endif /* _PC5SEC_KDF_H */
