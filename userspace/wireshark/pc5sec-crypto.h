/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The cryptography of a pc5sec frame, apart from Wireshark: the suites,
 * the PTK/PEK derivation of TS 33.303 Annex A (KDF of TS 33.220 Annex B)
 * and opening one frame's Data field. Wire format and key hierarchy:
 * shared/spec/prose-one-to-many.md sections 2 to 4.
 */
#ifndef PC5SEC_CRYPTO_H
#define PC5SEC_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PC5SEC_HDR_LEN	12	/* the pc5sec header, also the AEAD's AAD */
#define PC5SEC_TAG_LEN	16	/* appended by the AEAD suites */
#define PC5SEC_PGK_LEN	32	/* 256-bit ProSe Group Key */
#define PC5SEC_PEK_MAX	32	/* the longest PEK (aes-gcm-256, chacha20) */
#define PC5SEC_EEA_KEY_LEN 16

enum pc5sec_cipher {
	PC5SEC_CLEAR,		/* eea0 */
	PC5SEC_SNOW3G,		/* 128-EEA1 */
	PC5SEC_AES_CTR,		/* 128-EEA2 */
	PC5SEC_ZUC,		/* 128-EEA3 */
	PC5SEC_AES_GCM,
	PC5SEC_CHACHA20_POLY1305,
};

struct pc5sec_suite {
	const char *name;	/* as the UAT and pc5ctl spell it */
	uint8_t alg;		/* algorithm identity, P1 of the PEK derivation */
	unsigned int pek_len;	/* 0: no PEK (eea0) */
	enum pc5sec_cipher cipher;
};

/* The suites of the spec's table, terminated by a NULL name. */
extern const struct pc5sec_suite pc5sec_suites[];

const struct pc5sec_suite *pc5sec_suite_by_name(const char *name);

static inline bool pc5sec_suite_has_tag(const struct pc5sec_suite *s)
{
	return s->cipher == PC5SEC_AES_GCM ||
	       s->cipher == PC5SEC_CHACHA20_POLY1305;
}

/* COUNT = PTK Identity << 16 | PDCP SN, both from the header. */
uint32_t pc5sec_count(const uint8_t hdr[PC5SEC_HDR_LEN]);

/*
 * The suite's PEK for the sender and PTK Identity of @hdr: PTK from the
 * PGK, then PEK from the PTK. False if libgcrypt fails. The caller wipes
 * @pek after use.
 */
bool pc5sec_derive_pek(const struct pc5sec_suite *s,
		       const uint8_t pgk[PC5SEC_PGK_LEN],
		       const uint8_t hdr[PC5SEC_HDR_LEN],
		       uint32_t group, uint8_t pek[PC5SEC_PEK_MAX]);

enum pc5sec_open_result {
	PC5SEC_OPEN_OK,
	PC5SEC_OPEN_BAD_TAG,	/* AEAD: the tag does not verify */
	PC5SEC_OPEN_SHORT,	/* AEAD: the Data field is shorter than a tag */
	PC5SEC_OPEN_ERROR,	/* libgcrypt refused (should not happen) */
};

/*
 * Opens the Data field @data of @len octets (tag included) of the frame
 * with header @hdr into @out, which has room for @len octets; *@sdu_len
 * is set to the SDU's length. On anything but PC5SEC_OPEN_OK @out holds
 * nothing worth showing.
 */
enum pc5sec_open_result pc5sec_open(const struct pc5sec_suite *s,
				    const uint8_t *pek,
				    const uint8_t hdr[PC5SEC_HDR_LEN],
				    const uint8_t *data, size_t len,
				    uint8_t *out, size_t *sdu_len);

/* pc5sec-eea.c: the kernel's SNOW 3G and ZUC, compiled for userspace. */
void pc5sec_eea_init(void);
void pc5sec_eea_xor(bool zuc, const uint8_t key[PC5SEC_EEA_KEY_LEN],
		    uint32_t count, uint8_t *buf, size_t len);

/* Overwrites key material in a way the compiler may not optimise away. */
void pc5sec_wipe(void *p, size_t len);

#endif /* PC5SEC_CRYPTO_H */
