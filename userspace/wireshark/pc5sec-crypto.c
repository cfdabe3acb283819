// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * PTK/PEK derivation and the suites with libgcrypt (which Wireshark
 * already links and initialises), except SNOW 3G and ZUC: pc5sec-eea.c.
 */
#include <string.h>
#include <gcrypt.h>

#include "pc5sec-crypto.h"

const struct pc5sec_suite pc5sec_suites[] = {
	{ "eea0",		0x00,  0, PC5SEC_CLEAR },
	{ "eea1",		0x01, 16, PC5SEC_SNOW3G },
	{ "eea2",		0x02, 16, PC5SEC_AES_CTR },
	{ "eea3",		0x03, 16, PC5SEC_ZUC },
	{ "aes-gcm-128",	0x10, 16, PC5SEC_AES_GCM },
	{ "aes-gcm-256",	0x11, 32, PC5SEC_AES_GCM },
	{ "chacha20-poly1305",	0x12, 32, PC5SEC_CHACHA20_POLY1305 },
	{ NULL, 0, 0, PC5SEC_CLEAR },
};

const struct pc5sec_suite *pc5sec_suite_by_name(const char *name)
{
	const struct pc5sec_suite *s;

	for (s = pc5sec_suites; name && s->name; s++)
		if (!strcmp(s->name, name))
			return s;
	return NULL;
}

void pc5sec_wipe(void *p, size_t len)
{
	volatile uint8_t *v = p;

	while (len--)
		*v++ = 0;
}

uint32_t pc5sec_count(const uint8_t hdr[PC5SEC_HDR_LEN])
{
	return (uint32_t)hdr[8] << 24 | (uint32_t)hdr[9] << 16 |
	       (uint32_t)hdr[10] << 8 | hdr[11];
}

/* KDF(Key, S) = HMAC-SHA-256(Key, S) (TS 33.220 B.2). */
static bool kdf(const uint8_t key[32], const uint8_t *s, size_t len,
		uint8_t out[32])
{
	gcry_md_hd_t md;
	bool ok;

	if (gcry_md_open(&md, GCRY_MD_SHA256, GCRY_MD_FLAG_HMAC))
		return false;
	ok = !gcry_md_setkey(md, key, 32);
	if (ok) {
		gcry_md_write(md, s, len);
		memcpy(out, gcry_md_read(md, GCRY_MD_SHA256), 32);
	}
	gcry_md_close(md);	/* libgcrypt wipes the HMAC state */
	return ok;
}

bool pc5sec_derive_pek(const struct pc5sec_suite *s,
		       const uint8_t pgk[PC5SEC_PGK_LEN],
		       const uint8_t hdr[PC5SEC_HDR_LEN],
		       uint32_t group, uint8_t pek[PC5SEC_PEK_MAX])
{
	/*
	 * PTK (TS 33.303 A.3): FC 0x4A, P0 = the sender's Group Member
	 * Identity (header octets 1-3), P1 = PTK Identity (octets 8-9),
	 * P2 = Group Identity, each followed by its 2-octet length.
	 */
	uint8_t s_ptk[] = { 0x4a, hdr[1], hdr[2], hdr[3], 0, 3,
			    hdr[8], hdr[9], 0, 2,
			    group >> 16, group >> 8, group, 0, 3 };
	/* PEK (A.4): FC 0x4B, P0 = 0x00 (encryption), P1 = algorithm identity */
	uint8_t s_pek[] = { 0x4b, 0x00, 0, 1, s->alg, 0, 1 };
	uint8_t ptk[32], out[32];
	bool ok;

	ok = kdf(pgk, s_ptk, sizeof(s_ptk), ptk) &&
	     kdf(ptk, s_pek, sizeof(s_pek), out);
	/* An n-bit key is the n least significant bits of the KDF output. */
	if (ok)
		memcpy(pek, out + 32 - s->pek_len, s->pek_len);
	pc5sec_wipe(ptk, sizeof(ptk));
	pc5sec_wipe(out, sizeof(out));
	return ok;
}

/* 128-EEA2: AES-128-CTR from COUNT || BEARER 0 || DIRECTION 0 || zeros. */
static enum pc5sec_open_result open_eea2(const uint8_t *pek,
					 const uint8_t hdr[PC5SEC_HDR_LEN],
					 uint8_t *buf, size_t len)
{
	uint8_t ctr[16] = { 0 };
	gcry_cipher_hd_t h;
	bool ok;

	memcpy(ctr, hdr + 8, 4);
	if (gcry_cipher_open(&h, GCRY_CIPHER_AES128, GCRY_CIPHER_MODE_CTR, 0))
		return PC5SEC_OPEN_ERROR;
	ok = !gcry_cipher_setkey(h, pek, 16) &&
	     !gcry_cipher_setctr(h, ctr, sizeof(ctr)) &&
	     !gcry_cipher_decrypt(h, buf, len, NULL, 0);
	gcry_cipher_close(h);
	return ok ? PC5SEC_OPEN_OK : PC5SEC_OPEN_ERROR;
}

/* The AEAD suites: nonce = 8 zero octets || COUNT, AAD = the header. */
static enum pc5sec_open_result open_aead(const struct pc5sec_suite *s,
					 const uint8_t *pek,
					 const uint8_t hdr[PC5SEC_HDR_LEN],
					 uint8_t *buf, size_t len)
{
	int algo = s->cipher == PC5SEC_CHACHA20_POLY1305 ? GCRY_CIPHER_CHACHA20 :
		   s->pek_len == 32 ? GCRY_CIPHER_AES256 : GCRY_CIPHER_AES128;
	int mode = s->cipher == PC5SEC_CHACHA20_POLY1305 ?
		   GCRY_CIPHER_MODE_POLY1305 : GCRY_CIPHER_MODE_GCM;
	size_t n = len - PC5SEC_TAG_LEN;
	uint8_t nonce[12] = { 0 };
	enum pc5sec_open_result r = PC5SEC_OPEN_ERROR;
	gcry_cipher_hd_t h;
	gcry_error_t err;

	memcpy(nonce + 8, hdr + 8, 4);
	if (gcry_cipher_open(&h, algo, mode, 0))
		return PC5SEC_OPEN_ERROR;
	if (!gcry_cipher_setkey(h, pek, s->pek_len) &&
	    !gcry_cipher_setiv(h, nonce, sizeof(nonce)) &&
	    !gcry_cipher_authenticate(h, hdr, PC5SEC_HDR_LEN) &&
	    !gcry_cipher_decrypt(h, buf, n, NULL, 0)) {
		err = gcry_cipher_checktag(h, buf + n, PC5SEC_TAG_LEN);
		r = !err ? PC5SEC_OPEN_OK :
		    gcry_err_code(err) == GPG_ERR_CHECKSUM ? PC5SEC_OPEN_BAD_TAG :
		    PC5SEC_OPEN_ERROR;
	}
	gcry_cipher_close(h);
	return r;
}

enum pc5sec_open_result pc5sec_open(const struct pc5sec_suite *s,
				    const uint8_t *pek,
				    const uint8_t hdr[PC5SEC_HDR_LEN],
				    const uint8_t *data, size_t len,
				    uint8_t *out, size_t *sdu_len)
{
	enum pc5sec_open_result r = PC5SEC_OPEN_OK;

	if (pc5sec_suite_has_tag(s) && len < PC5SEC_TAG_LEN)
		return PC5SEC_OPEN_SHORT;
	if (len)	/* an empty Data field may come with no buffer at all */
		memcpy(out, data, len);
	*sdu_len = pc5sec_suite_has_tag(s) ? len - PC5SEC_TAG_LEN : len;
	switch (s->cipher) {
	case PC5SEC_CLEAR:
		break;
	case PC5SEC_SNOW3G:
	case PC5SEC_ZUC:
		pc5sec_eea_xor(s->cipher == PC5SEC_ZUC, pek, pc5sec_count(hdr),
			       out, len);
		break;
	case PC5SEC_AES_CTR:
		r = open_eea2(pek, hdr, out, len);
		break;
	case PC5SEC_AES_GCM:
	case PC5SEC_CHACHA20_POLY1305:
		r = open_aead(s, pek, hdr, out, len);
		break;
	}
	return r;
}
