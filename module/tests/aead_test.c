// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the AEAD suites of the spec page (aes-gcm-128 0x10, aes-gcm-256
 * 0x11, chacha20-poly1305 0x12) through pc5sec_crypt() on skbs: nonce =
 * 8 zero octets || COUNT (big-endian), AAD = the 12-octet header, a
 * 16-octet tag after the Data field; and their PEKs (TS 33.303 A.3/A.4
 * with the suite's algorithm identity; 128 bits = the last 16 octets).
 *
 * Every expected value was computed independently with Python's hmac,
 * hashlib and cryptography packages:
 *
 *   nonce = bytes(8) + count.to_bytes(4, "big")
 *   AESGCM(key).encrypt(nonce, plaintext, header)             # 0x10, 0x11
 *   ChaCha20Poly1305(key).encrypt(nonce, plaintext, header)   # 0x12
 *   ptk = hmac.new(pgk, b"\x4a" + member.to_bytes(3, "big") + b"\0\3"
 *         + ptk_id.to_bytes(2, "big") + b"\0\2"
 *         + group.to_bytes(3, "big") + b"\0\3", hashlib.sha256).digest()
 *   pek = hmac.new(ptk, bytes([0x4b, 0, 0, 1, alg_id, 0, 1]),
 *         hashlib.sha256).digest()[-key_len:]
 *
 * Keys: aes-gcm-128 00..0f, aes-gcm-256 00..1f, chacha20-poly1305 80..9f.
 * Vector "37": header HDR_37 (COUNT 0x00070001), the 37-octet text PT37.
 * Vector "100": header HDR_100, COUNT 0xffffffff, octet i = 7 i + 3.
 * Vector "tag0": HDR_37, COUNT 0x00070001, an empty Data field.
 * Vector "kdf": PEK of PGK 00..1f, member 0x123456, PTK Identity 0x0102,
 * group 0xabcdef; header HDR_KDF, COUNT 0x01020003, PT37.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <crypto/aead.h>
#include <linux/pc5sec.h>

#include "compat.h"
#include "cipher.h"
#include "frame.h"
#include "pc5sec.h"
#include "kunit_util.h"

#define PT37_LEN	37
#define PT100_LEN	100
#define TAG		PC5SEC_TAG_LEN
#define COUNT_37	0x00070001
#define COUNT_100	0xffffffff
#define COUNT_KDF	0x01020003

static const u8 pt37[PT37_LEN + 1] = "ProSe group SDU of 37 octets: AEAD!!?";

/* version 1, source 0x000001, group 0x000042, index 1, PTK 7, SN 1 */
static const u8 hdr_37[PC5SEC_HDR_LEN] = {
	0x10, 0x00, 0x00, 0x01, 0x00, 0x00, 0x42, 0x01,
	0x00, 0x07, 0x00, 0x01,
};

static const u8 hdr_100[PC5SEC_HDR_LEN] = {
	0x10, 0x12, 0x34, 0x56, 0xab, 0xcd, 0xef, 0x01,
	0xff, 0xff, 0xff, 0xff,
};

static const u8 hdr_kdf[PC5SEC_HDR_LEN] = {
	0x10, 0x12, 0x34, 0x56, 0xab, 0xcd, 0xef, 0x01,
	0x01, 0x02, 0x00, 0x03,
};

static const u8 key_cc[32] = {
	0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
	0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f,
	0x90, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97,
	0x98, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f,
};

static const u8 g128_ct37[PT37_LEN + TAG] = {
	0xff, 0xae, 0xea, 0x3a, 0x84, 0xba, 0xf8, 0xa0,
	0x1b, 0xbe, 0x74, 0x11, 0x8e, 0x8f, 0xb4, 0x6d,
	0xc4, 0x2d, 0x12, 0x2d, 0x42, 0x03, 0xa6, 0xc5,
	0x20, 0xf9, 0x72, 0x28, 0x27, 0xdf, 0x2d, 0x5d,
	0xb6, 0x35, 0x0d, 0x11, 0x92, 0x62, 0x51, 0xf9,
	0xab, 0x33, 0xf9, 0x2a, 0x73, 0x87, 0xda, 0x39,
	0xe6, 0x55, 0x23, 0x9c, 0x67,
};

static const u8 g128_ct100[PT100_LEN + TAG] = {
	0x42, 0xb8, 0xfc, 0xed, 0x9f, 0xb1, 0x74, 0x66,
	0xfd, 0xce, 0xb4, 0x29, 0xf4, 0xc5, 0xa3, 0xe3,
	0x08, 0x91, 0x29, 0x2a, 0x1b, 0x18, 0x92, 0x75,
	0x12, 0x11, 0xbc, 0x01, 0x01, 0x96, 0x12, 0x45,
	0x35, 0x82, 0xea, 0xe4, 0x1c, 0x95, 0x09, 0x7f,
	0x2a, 0x7e, 0x58, 0xd0, 0x17, 0x82, 0x11, 0x55,
	0x0a, 0xe3, 0xaa, 0xa8, 0x7e, 0xed, 0x28, 0xd2,
	0x87, 0x74, 0x0b, 0x05, 0xd9, 0xc8, 0x97, 0x88,
	0x84, 0x12, 0x1b, 0x6f, 0xa7, 0xbd, 0x17, 0x0d,
	0x80, 0x01, 0xef, 0xb7, 0xe4, 0xe0, 0x27, 0xcd,
	0x51, 0xb7, 0x36, 0xcf, 0x5a, 0x02, 0xed, 0x8a,
	0xfd, 0xdf, 0x1c, 0xd0, 0x77, 0xc9, 0x3d, 0x86,
	0x0b, 0x51, 0xd2, 0xdb, 0x24, 0xcd, 0xf4, 0x1f,
	0x1f, 0xb9, 0x67, 0xfb, 0x63, 0xa6, 0xd6, 0xaa,
	0x0a, 0x67, 0x9b, 0xf0,
};

static const u8 g128_tag0[TAG] = {
	0xcb, 0x53, 0x95, 0x55, 0x97, 0x2d, 0xff, 0xb3,
	0x85, 0x62, 0xa5, 0x7b, 0x2d, 0x56, 0x81, 0xd0,
};

static const u8 g256_ct37[PT37_LEN + TAG] = {
	0x6e, 0x7e, 0xba, 0x44, 0x8c, 0x2d, 0x8d, 0x17,
	0xa6, 0x68, 0xba, 0xad, 0x42, 0x3b, 0xd0, 0x4c,
	0xf6, 0xd7, 0xa7, 0xb9, 0xe0, 0x6e, 0xe2, 0x5f,
	0xbd, 0x56, 0xea, 0x81, 0xbc, 0x0e, 0x01, 0x6d,
	0x16, 0x32, 0xa1, 0x36, 0xdf, 0x33, 0x5f, 0x9d,
	0xa5, 0x80, 0xf7, 0x3e, 0x76, 0x21, 0xd9, 0x02,
	0x12, 0x4e, 0xb3, 0xc3, 0xcf,
};

static const u8 g256_ct100[PT100_LEN + TAG] = {
	0x5c, 0x30, 0xa4, 0x73, 0xb8, 0x92, 0x1b, 0xd8,
	0xd7, 0xba, 0xc3, 0x19, 0x4f, 0x92, 0x54, 0x5c,
	0xf8, 0xdb, 0x7e, 0x82, 0xe2, 0xce, 0x8f, 0x25,
	0x6c, 0x75, 0xff, 0x91, 0x2f, 0x56, 0xfb, 0x9a,
	0xa1, 0x64, 0xcb, 0x50, 0xd9, 0xb6, 0xd3, 0x7e,
	0xc7, 0x52, 0xed, 0xdc, 0xa6, 0x09, 0xc9, 0xf8,
	0xfe, 0xb5, 0xde, 0x24, 0xec, 0xca, 0xd3, 0x95,
	0x9f, 0xd5, 0xbb, 0xf8, 0xfb, 0x81, 0x46, 0xc8,
	0xa3, 0x9f, 0x97, 0x81, 0x60, 0xa2, 0x54, 0x0c,
	0x01, 0xf0, 0xcd, 0xce, 0x4f, 0x52, 0xbc, 0x0c,
	0x8e, 0x7f, 0x5d, 0x73, 0x80, 0x60, 0x47, 0x10,
	0xed, 0x4e, 0x86, 0xaf, 0x4c, 0x15, 0x0c, 0xd6,
	0x5c, 0xb6, 0x12, 0xea, 0x93, 0x4a, 0xd4, 0x2d,
	0x08, 0x24, 0x94, 0xf8, 0xf1, 0xe3, 0x8c, 0xf4,
	0xb3, 0x22, 0xb3, 0xbd,
};

static const u8 g256_tag0[TAG] = {
	0x96, 0x33, 0x8a, 0x3a, 0x6f, 0x42, 0xd6, 0x47,
	0x40, 0xb2, 0x17, 0x81, 0xac, 0x2c, 0x9d, 0xc0,
};

static const u8 cc_ct37[PT37_LEN + TAG] = {
	0x35, 0x56, 0x4d, 0xf8, 0xea, 0x05, 0x37, 0xc0,
	0xbd, 0xb6, 0xc1, 0x70, 0x31, 0x43, 0xd7, 0x56,
	0xdd, 0xc1, 0x1e, 0xe9, 0x01, 0x82, 0x35, 0x32,
	0xbd, 0x08, 0x07, 0x6e, 0x51, 0x54, 0xe4, 0x86,
	0xa2, 0xd2, 0xb1, 0x49, 0xe9, 0x23, 0xc2, 0xde,
	0x46, 0xfb, 0x8f, 0x36, 0x18, 0x1e, 0x19, 0x9b,
	0x91, 0xf8, 0x58, 0xdd, 0x04,
};

static const u8 cc_ct100[PT100_LEN + TAG] = {
	0x21, 0x01, 0x5b, 0xb8, 0xad, 0xec, 0x95, 0x46,
	0x6b, 0x69, 0xdb, 0x3c, 0x6a, 0x72, 0xc9, 0x43,
	0x06, 0x1a, 0x97, 0x21, 0xc3, 0x5a, 0xde, 0xb3,
	0xf6, 0x74, 0xff, 0x80, 0xdf, 0x11, 0xf9, 0x6f,
	0xfe, 0x32, 0xaf, 0x66, 0xed, 0xdd, 0x22, 0xee,
	0xf9, 0x5e, 0x9e, 0x71, 0x5c, 0x32, 0x7f, 0x1c,
	0x41, 0x76, 0x74, 0xad, 0x33, 0x9a, 0x75, 0xb7,
	0x68, 0x7c, 0x57, 0x7b, 0x39, 0x3d, 0x0d, 0x44,
	0x23, 0xf4, 0x93, 0x49, 0x5b, 0xef, 0x84, 0xbb,
	0x5a, 0xf5, 0x23, 0x17, 0xf7, 0xb4, 0x17, 0xf9,
	0xe0, 0xd3, 0xc2, 0xab, 0x5c, 0x0e, 0x2f, 0x6e,
	0xe1, 0xd8, 0xd8, 0x7c, 0xe0, 0x2d, 0xb5, 0x99,
	0xa4, 0xeb, 0x57, 0x31, 0x9c, 0x03, 0xea, 0xa9,
	0x23, 0x17, 0x3f, 0xa1, 0x25, 0x48, 0x0c, 0x31,
	0x60, 0x57, 0xf6, 0xa3,
};

static const u8 cc_tag0[TAG] = {
	0xe3, 0x2c, 0x2c, 0x5f, 0x18, 0xca, 0x54, 0x62,
	0x4b, 0x8a, 0x90, 0xb1, 0x21, 0x96, 0x72, 0xfd,
};

/* aes-gcm-128 PEK b33e78ba9a5dd848f547e2c1f3cb85d7 */
static const u8 g128_kdf_ct[PT37_LEN + TAG] = {
	0x5e, 0x51, 0x91, 0xf5, 0x13, 0x66, 0xc3, 0x77,
	0xc0, 0xf6, 0x15, 0x8a, 0xa3, 0x80, 0xda, 0x02,
	0x2e, 0xc1, 0x91, 0xae, 0xf1, 0xb5, 0xf3, 0x8d,
	0x85, 0x04, 0x6f, 0x3c, 0x49, 0x36, 0x2e, 0xd8,
	0x64, 0xca, 0xa2, 0x61, 0xf4, 0x88, 0xa3, 0x93,
	0xe6, 0x54, 0x5f, 0xdb, 0x04, 0x73, 0x21, 0xec,
	0x6a, 0x25, 0xc5, 0xce, 0xc0,
};

/* aes-gcm-256 PEK:
 * 52ad5d6ec0c4277ebb8218b47deb5357ee572181759268148ad8b2adec6850c9
 */
static const u8 g256_kdf_ct[PT37_LEN + TAG] = {
	0xcf, 0xcb, 0x04, 0x40, 0xdc, 0xe5, 0x75, 0x6f,
	0xd2, 0xf7, 0x67, 0x81, 0x6c, 0x4a, 0xb5, 0x8f,
	0x13, 0xba, 0xb4, 0xfc, 0x61, 0xc4, 0xbd, 0x77,
	0x08, 0xe1, 0xad, 0x0c, 0xd0, 0x0c, 0x78, 0x74,
	0x3f, 0x97, 0x7c, 0xe8, 0x70, 0xcc, 0xdd, 0xe9,
	0xe9, 0x62, 0x3b, 0xba, 0xfd, 0x25, 0x0b, 0xfe,
	0x38, 0x0e, 0x43, 0x36, 0xfa,
};

/* chacha20-poly1305 PEK:
 * b49cbdc0c93fb85bb36ab072b2a618857d9e0731c2668b4e1c73df4f35645120
 */
static const u8 cc_kdf_ct[PT37_LEN + TAG] = {
	0x97, 0x06, 0xc6, 0xd7, 0xd8, 0xf1, 0xd4, 0x0c,
	0xbf, 0xac, 0xee, 0x2e, 0x90, 0x95, 0xb5, 0x8d,
	0x54, 0xb4, 0x58, 0x42, 0x12, 0xbf, 0x38, 0xb6,
	0xc3, 0x4e, 0x68, 0x1d, 0x5d, 0xaf, 0xd0, 0x82,
	0xdc, 0xf6, 0x51, 0xa5, 0xfe, 0x49, 0xc6, 0xc4,
	0x5e, 0x0f, 0x19, 0x27, 0x5c, 0x42, 0x11, 0xf1,
	0x6d, 0xfe, 0x85, 0xab, 0x7a,
};

struct aead_suite {
	const char *name;
	u8 cipher;
	const u8 *key;
	unsigned int key_len;
	const u8 *ct37, *ct100, *tag0, *kdf_ct;
};

static const struct aead_suite aead_suites[] = {
	{
		.name = "aes-gcm-128", .cipher = PC5SEC_CIPHER_AES_GCM_128,
		.key = pc5sec_test_key_seq, .key_len = 16,
		.ct37 = g128_ct37, .ct100 = g128_ct100, .tag0 = g128_tag0,
		.kdf_ct = g128_kdf_ct,
	},
	{
		.name = "aes-gcm-256", .cipher = PC5SEC_CIPHER_AES_GCM_256,
		.key = pc5sec_test_key_seq, .key_len = 32,
		.ct37 = g256_ct37, .ct100 = g256_ct100, .tag0 = g256_tag0,
		.kdf_ct = g256_kdf_ct,
	},
	{
		.name = "chacha20-poly1305",
		.cipher = PC5SEC_CIPHER_CHACHA20_POLY1305,
		.key = key_cc, .key_len = 32,
		.ct37 = cc_ct37, .ct100 = cc_ct100, .tag0 = cc_tag0,
		.kdf_ct = cc_kdf_ct,
	},
};

static void aead_suite_desc(const struct aead_suite *s, char *desc)
{
	strscpy(desc, s->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(aead, aead_suites, aead_suite_desc);

static void pt100_fill(u8 *p)
{
	unsigned int i;

	for (i = 0; i < PT100_LEN; i++)
		p[i] = i * 7 + 3;
}

/* @skb (linear or not) is @hdr, then @len octets of @want. */
static void expect_frame(struct kunit *test, struct sk_buff *skb,
			 const u8 *hdr, const u8 *want, unsigned int len)
{
	u8 *got = kunit_kzalloc(test, PC5SEC_HDR_LEN + len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, got);
	KUNIT_ASSERT_EQ(test, skb->len, PC5SEC_HDR_LEN + len);
	KUNIT_ASSERT_EQ(test, skb_copy_bits(skb, 0, got, skb->len), 0);
	KUNIT_EXPECT_MEMEQ(test, got, hdr, PC5SEC_HDR_LEN);
	KUNIT_EXPECT_MEMEQ(test, got + PC5SEC_HDR_LEN, want, len);
}

/* After decryption: @hdr, the plaintext, and the tag still at the end. */
static void expect_opened(struct kunit *test, struct sk_buff *skb,
			  const u8 *hdr, const u8 *pt, unsigned int len,
			  const u8 *tag)
{
	u8 *want = kunit_kzalloc(test, len + TAG, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, want);
	memcpy(want, pt, len);
	memcpy(want + len, tag, TAG);
	expect_frame(test, skb, hdr, want, len + TAG);
}

static struct pc5sec_pek *raw_pek(struct kunit *test,
				  const struct aead_suite *s)
{
	struct pc5sec_pek *pek;

	pek = pc5sec_pek_new_raw(s->cipher, s->key, s->key_len, 7);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, pek);
	KUNIT_EXPECT_EQ(test, pek->ptk_id, 7);
	KUNIT_EXPECT_EQ(test, pek->cipher, s->cipher);
	KUNIT_EXPECT_NULL(test, pek->tfm);
	KUNIT_EXPECT_NOT_ERR_OR_NULL(test, pek->aead);
	return pek;
}

/*
 * Seal and open one vector: encryption gives exactly ciphertext || tag
 * (the header untouched, skb->len + 16); decryption gives the plaintext
 * back with the tag left in place (skb->len unchanged).
 */
static void seal_open(struct kunit *test, struct pc5sec_pek *pek,
		      const u8 *hdr, u32 count, const u8 *pt,
		      unsigned int len, const u8 *ct)
{
	struct sk_buff *skb = pc5sec_test_skb(test, hdr, pt, len);
	int err;

	err = pc5sec_test_crypt(test, skb, true, pek, count, NULL);
	KUNIT_EXPECT_EQ(test, err, 0);
	if (!err) {
		KUNIT_EXPECT_EQ(test, skb->len, PC5SEC_HDR_LEN + len + TAG);
		expect_frame(test, skb, hdr, ct, len + TAG);
	}
	kfree_skb(skb);

	skb = pc5sec_test_skb(test, hdr, ct, len + TAG);
	err = pc5sec_test_crypt(test, skb, false, pek, count, NULL);
	KUNIT_EXPECT_EQ(test, err, 0);
	if (!err)
		expect_opened(test, skb, hdr, pt, len, ct + len);
	kfree_skb(skb);
}

/* 37 octets (not a multiple of 16), COUNT 0x00070001. */
static void aead_vector_37(struct kunit *test)
{
	const struct aead_suite *s = test->param_value;
	struct pc5sec_pek *pek = raw_pek(test, s);

	seal_open(test, pek, hdr_37, COUNT_37, pt37, PT37_LEN, s->ct37);
	pc5sec_pek_put(pek);
}

/* 100 octets, COUNT all ones, another header. */
static void aead_vector_100(struct kunit *test)
{
	const struct aead_suite *s = test->param_value;
	struct pc5sec_pek *pek = raw_pek(test, s);
	u8 *pt = kunit_kzalloc(test, PT100_LEN, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, pt);
	pt100_fill(pt);
	seal_open(test, pek, hdr_100, COUNT_100, pt, PT100_LEN, s->ct100);
	pc5sec_pek_put(pek);
}

/* An empty Data field: the tag alone, which authenticates the header. */
static void aead_empty(struct kunit *test)
{
	const struct aead_suite *s = test->param_value;
	struct pc5sec_pek *pek = raw_pek(test, s);

	seal_open(test, pek, hdr_37, COUNT_37, NULL, 0, s->tag0);
	pc5sec_pek_put(pek);
}

/* Decrypting @frame (header, Data field and tag, @len octets) fails. */
static void expect_forged(struct kunit *test, struct pc5sec_pek *pek,
			  const u8 *frame, unsigned int len, u32 count,
			  const char *what, unsigned int n)
{
	struct sk_buff *skb;
	int err;

	skb = pc5sec_test_skb(test, frame, frame + PC5SEC_HDR_LEN,
			      len - PC5SEC_HDR_LEN);
	err = pc5sec_test_crypt(test, skb, false, pek, count, NULL);
	KUNIT_EXPECT_EQ_MSG(test, err, -EBADMSG, "%s %u", what, n);
	KUNIT_EXPECT_EQ(test, skb->len, len);
	kfree_skb(skb);
}

/*
 * The nonce is COUNT, all four octets of it; another key does not open
 * the frame either.
 */
static void aead_count_and_key(struct kunit *test)
{
	const struct aead_suite *s = test->param_value;
	struct pc5sec_pek *pek = raw_pek(test, s), *other;
	u8 *frame = kunit_kzalloc(test, PC5SEC_HDR_LEN + PT37_LEN + TAG,
				  GFP_KERNEL);
	u8 key[32];
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, frame);
	memcpy(frame, hdr_37, PC5SEC_HDR_LEN);
	memcpy(frame + PC5SEC_HDR_LEN, s->ct37, PT37_LEN + TAG);
	for (i = 0; i < 32; i += 8)
		expect_forged(test, pek, frame, PC5SEC_HDR_LEN + PT37_LEN + TAG,
			      COUNT_37 ^ (1U << i), "COUNT bit", i);
	expect_forged(test, pek, frame, PC5SEC_HDR_LEN + PT37_LEN + TAG,
		      COUNT_37 ^ 0x80000000, "COUNT bit", 31);

	memcpy(key, s->key, s->key_len);
	key[s->key_len - 1] ^= 1;
	other = pc5sec_pek_new_raw(s->cipher, key, s->key_len, 7);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, other);
	expect_forged(test, other, frame, PC5SEC_HDR_LEN + PT37_LEN + TAG,
		      COUNT_37, "key", 0);
	pc5sec_pek_put(other);
	pc5sec_pek_put(pek);
}

#define FLIP_DATA	8
#define FLIP_LEN	(PC5SEC_HDR_LEN + FLIP_DATA + TAG)

/*
 * A frame of 12 + 8 + 16 octets: with any single bit flipped, in the
 * header (AAD), the ciphertext or the tag, it does not authenticate.
 */
static void aead_bit_flips(struct kunit *test)
{
	const struct aead_suite *s = test->param_value;
	struct pc5sec_pek *pek = raw_pek(test, s);
	struct sk_buff *skb;
	u8 *frame;
	unsigned int bit;
	int err;

	skb = pc5sec_test_skb(test, hdr_37, pt37, FLIP_DATA);
	err = pc5sec_test_crypt(test, skb, true, pek, COUNT_37, NULL);
	KUNIT_ASSERT_EQ(test, err, 0);
	KUNIT_ASSERT_EQ(test, skb->len, FLIP_LEN);
	frame = kunit_kzalloc(test, FLIP_LEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, frame);
	KUNIT_ASSERT_EQ(test, skb_copy_bits(skb, 0, frame, FLIP_LEN), 0);
	kfree_skb(skb);

	/* Control: the frame as sealed opens. */
	skb = pc5sec_test_skb(test, frame, frame + PC5SEC_HDR_LEN,
			      FLIP_LEN - PC5SEC_HDR_LEN);
	err = pc5sec_test_crypt(test, skb, false, pek, COUNT_37, NULL);
	KUNIT_EXPECT_EQ(test, err, 0);
	if (!err)
		expect_opened(test, skb, hdr_37, pt37, FLIP_DATA,
			      frame + PC5SEC_HDR_LEN + FLIP_DATA);
	kfree_skb(skb);

	for (bit = 0; bit < FLIP_LEN * 8; bit++) {
		frame[bit / 8] ^= 0x80 >> (bit % 8);
		expect_forged(test, pek, frame, FLIP_LEN, COUNT_37, "bit", bit);
		frame[bit / 8] ^= 0x80 >> (bit % 8);
	}
	pc5sec_pek_put(pek);
}

/*
 * A Data field shorter than a tag: -EMSGSIZE, at once, the skb as it was.
 * Exactly a tag's worth of garbage is a forgery, not a short frame.
 */
static void aead_short(struct kunit *test)
{
	const struct aead_suite *s = test->param_value;
	struct pc5sec_pek *pek = raw_pek(test, s);
	u8 junk[TAG], frame[PC5SEC_HDR_LEN + TAG];
	struct sk_buff *skb;
	unsigned int len;
	bool was_async;
	int err;

	memset(junk, 0x5a, sizeof(junk));
	for (len = 0; len < TAG; len++) {
		skb = pc5sec_test_skb(test, hdr_37, junk, len);
		err = pc5sec_test_crypt(test, skb, false, pek, COUNT_37,
					&was_async);
		KUNIT_EXPECT_EQ_MSG(test, err, -EMSGSIZE, "Data field %u", len);
		KUNIT_EXPECT_FALSE(test, was_async);
		expect_frame(test, skb, hdr_37, junk, len);
		kfree_skb(skb);
	}
	memcpy(frame, hdr_37, PC5SEC_HDR_LEN);
	memcpy(frame + PC5SEC_HDR_LEN, junk, TAG);
	expect_forged(test, pek, frame, sizeof(frame), COUNT_37, "tag only", 0);
	pc5sec_pek_put(pek);
}

/*
 * pc5sec_pek_new(): PTK and PEK per TS 33.303 A.3/A.4 with the suite's
 * algorithm identity (0x10, 0x11, 0x12), 128 bits for aes-gcm-128 (the
 * last 16 octets of the KDF output), 256 otherwise.
 */
static void aead_pek_derivation(struct kunit *test)
{
	const struct aead_suite *s = test->param_value;
	struct pc5sec_pek *pek;

	pek = pc5sec_pek_new(s->cipher, pc5sec_test_key_seq, 0x123456, 0x0102, 0xabcdef);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, pek);
	KUNIT_EXPECT_EQ(test, pek->ptk_id, 0x0102);
	KUNIT_EXPECT_EQ(test, pek->cipher, s->cipher);
	KUNIT_EXPECT_NULL(test, pek->tfm);
	KUNIT_EXPECT_NOT_NULL(test, pek->aead);
	seal_open(test, pek, hdr_kdf, COUNT_KDF, pt37, PT37_LEN, s->kdf_ct);
	pc5sec_pek_put(pek);
}

/* Key lengths the suite's algorithm cannot take are refused. */
static void aead_bad_key(struct kunit *test)
{
	const struct aead_suite *s = test->param_value;
	unsigned int bad[] = { 0, 15, s->key_len - 1, s->key_len + 1 };
	struct pc5sec_pek *pek;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		pek = pc5sec_pek_new_raw(s->cipher, key_cc, bad[i], 0);
		KUNIT_EXPECT_TRUE_MSG(test, IS_ERR(pek), "key of %u octets",
				      bad[i]);
		if (!IS_ERR_OR_NULL(pek))
			pc5sec_pek_put(pek);
	}
	if (s->cipher == PC5SEC_CIPHER_CHACHA20_POLY1305) {
		pek = pc5sec_pek_new_raw(s->cipher, key_cc, 16, 0);
		KUNIT_EXPECT_TRUE(test, IS_ERR(pek));
		if (!IS_ERR_OR_NULL(pek))
			pc5sec_pek_put(pek);
	}
}

/*
 * Page fragments, the tag split across them or not: the same bytes as
 * from a linear skb, and a flipped bit in the last fragment is caught.
 */
static void aead_frags(struct kunit *test)
{
	static const unsigned int lins[] = { 0, 1, 20, 60, 99 };
	const struct aead_suite *s = test->param_value;
	struct pc5sec_pek *pek = raw_pek(test, s);
	u8 *pt = kunit_kzalloc(test, PT100_LEN, GFP_KERNEL);
	u8 *ct = kunit_kzalloc(test, PT100_LEN + TAG, GFP_KERNEL);
	struct sk_buff *skb;
	unsigned int i;
	int err;

	KUNIT_ASSERT_NOT_NULL(test, pt);
	KUNIT_ASSERT_NOT_NULL(test, ct);
	pt100_fill(pt);
	memcpy(ct, s->ct100, PT100_LEN + TAG);
	for (i = 0; i < ARRAY_SIZE(lins); i++) {
		skb = pc5sec_test_frag_skb(test, hdr_100, pt, PT100_LEN, lins[i]);
		err = pc5sec_test_crypt(test, skb, true, pek, COUNT_100, NULL);
		KUNIT_EXPECT_EQ_MSG(test, err, 0, "linear %u", lins[i]);
		if (!err)
			expect_frame(test, skb, hdr_100, ct, PT100_LEN + TAG);
		kfree_skb(skb);

		skb = pc5sec_test_frag_skb(test, hdr_100, ct, PT100_LEN + TAG, lins[i]);
		err = pc5sec_test_crypt(test, skb, false, pek, COUNT_100, NULL);
		KUNIT_EXPECT_EQ_MSG(test, err, 0, "linear %u", lins[i]);
		if (!err)
			expect_opened(test, skb, hdr_100, pt, PT100_LEN,
				      ct + PT100_LEN);
		kfree_skb(skb);

		ct[PT100_LEN + TAG - 1 - i] ^= 4;
		skb = pc5sec_test_frag_skb(test, hdr_100, ct, PT100_LEN + TAG, lins[i]);
		err = pc5sec_test_crypt(test, skb, false, pek, COUNT_100, NULL);
		KUNIT_EXPECT_EQ_MSG(test, err, -EBADMSG, "linear %u", lins[i]);
		kfree_skb(skb);
		ct[PT100_LEN + TAG - 1 - i] ^= 4;
	}
	pc5sec_pek_put(pek);
}

/*
 * A frag_list (IP reassembly, GRO): the head with the header and @lens[0]
 * Data octets, then one child per further length.
 */
static struct sk_buff *list_skb(struct kunit *test, const u8 *hdr,
				const u8 *data, const unsigned int *lens,
				unsigned int n)
{
	struct sk_buff *skb, *child, **tail;
	unsigned int i, off;

	skb = pc5sec_test_skb(test, hdr, data, lens[0]);
	tail = &skb_shinfo(skb)->frag_list;
	for (i = 1, off = lens[0]; i < n; off += lens[i], i++) {
		child = alloc_skb(lens[i], GFP_KERNEL);
		if (!child) {
			kfree_skb(skb);
			KUNIT_ASSERT_FAILURE(test, "no skb");
		}
		skb_put_data(child, data + off, lens[i]);
		*tail = child;
		tail = &child->next;
		skb->len += lens[i];
		skb->data_len += lens[i];
		skb->truesize += child->truesize;
	}
	KUNIT_EXPECT_TRUE(test, skb_has_frag_list(skb));
	return skb;
}

/* A frag_list: sealed whole; opened with the tag across two children. */
static void aead_frag_list(struct kunit *test)
{
	static const unsigned int pt_lens[] = { 37, 33, 30 };
	static const unsigned int ct_lens[] = { 37, 70, 1, 8 };
	const struct aead_suite *s = test->param_value;
	struct pc5sec_pek *pek = raw_pek(test, s);
	u8 *pt = kunit_kzalloc(test, PT100_LEN, GFP_KERNEL);
	struct sk_buff *skb;
	int err;

	KUNIT_ASSERT_NOT_NULL(test, pt);
	pt100_fill(pt);
	skb = list_skb(test, hdr_100, pt, pt_lens, ARRAY_SIZE(pt_lens));
	err = pc5sec_test_crypt(test, skb, true, pek, COUNT_100, NULL);
	KUNIT_EXPECT_EQ(test, err, 0);
	if (!err)
		expect_frame(test, skb, hdr_100, s->ct100, PT100_LEN + TAG);
	kfree_skb(skb);

	skb = list_skb(test, hdr_100, s->ct100, ct_lens, ARRAY_SIZE(ct_lens));
	err = pc5sec_test_crypt(test, skb, false, pek, COUNT_100, NULL);
	KUNIT_EXPECT_EQ(test, err, 0);
	if (!err)
		expect_opened(test, skb, hdr_100, pt, PT100_LEN,
			      s->ct100 + PT100_LEN);
	kfree_skb(skb);
	pc5sec_pek_put(pek);
}

/* A clone shares the data: sealing one must not change the other. */
static void aead_cloned(struct kunit *test)
{
	const struct aead_suite *s = test->param_value;
	struct pc5sec_pek *pek = raw_pek(test, s);
	struct sk_buff *skb = pc5sec_test_skb(test, hdr_37, pt37, PT37_LEN);
	struct sk_buff *clone = skb_clone(skb, GFP_KERNEL);

	KUNIT_EXPECT_NOT_NULL(test, clone);
	if (clone && !pc5sec_test_crypt(test, skb, true, pek, COUNT_37, NULL)) {
		expect_frame(test, skb, hdr_37, s->ct37, PT37_LEN + TAG);
		expect_frame(test, clone, hdr_37, pt37, PT37_LEN);
	}
	kfree_skb(clone);
	kfree_skb(skb);
	pc5sec_pek_put(pek);
}

/*
 * The same vectors with the PEK's transform swapped for a synchronous
 * one (pc5sec_crypt returns the result, no callback) and for cryptd's
 * asynchronous wrapper (-EINPROGRESS, then one callback, also for a
 * forgery's -EBADMSG). Last: the cryptd instances stay registered and
 * win later lookups of "gcm(aes)" and "rfc7539(chacha20,poly1305)".
 */
static void aead_sync_async(struct kunit *test)
{
	const struct aead_suite *s = test->param_value;
	const char *gen = s->cipher == PC5SEC_CIPHER_CHACHA20_POLY1305 ?
		"rfc7539(chacha20-generic,poly1305-generic)" :
		"gcm_base(ctr(aes-generic),ghash-generic)";
	char name[CRYPTO_MAX_ALG_NAME];
	struct crypto_aead *tfm;
	struct pc5sec_pek *pek;
	struct sk_buff *skb;
	bool was_async;
	u8 *frame;
	int async, err;

	frame = kunit_kzalloc(test, PC5SEC_HDR_LEN + PT37_LEN + TAG,
			      GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, frame);
	memcpy(frame, hdr_37, PC5SEC_HDR_LEN);
	memcpy(frame + PC5SEC_HDR_LEN, s->ct37, PT37_LEN + TAG);
	frame[PC5SEC_HDR_LEN + 3] ^= 0x10;

	for (async = 0; async < 2; async++) {
		snprintf(name, sizeof(name), async ? "cryptd(%s)" : "%s", gen);
		tfm = crypto_alloc_aead(name, 0, async ? 0 : CRYPTO_ALG_ASYNC);
		KUNIT_ASSERT_NOT_ERR_OR_NULL_MSG(test, tfm, "%s", name);
		KUNIT_EXPECT_EQ(test, crypto_aead_setkey(tfm, s->key,
							 s->key_len), 0);
		KUNIT_EXPECT_EQ(test, crypto_aead_setauthsize(tfm, TAG), 0);
		pek = raw_pek(test, s);
		crypto_free_aead(pek->aead);
		pek->aead = tfm;

		skb = pc5sec_test_skb(test, hdr_37, pt37, PT37_LEN);
		err = pc5sec_test_crypt(test, skb, true, pek, COUNT_37,
					&was_async);
		KUNIT_EXPECT_EQ(test, was_async, !!async);
		KUNIT_EXPECT_EQ(test, err, 0);
		if (!err)
			expect_frame(test, skb, hdr_37, s->ct37,
				     PT37_LEN + TAG);
		kfree_skb(skb);

		skb = pc5sec_test_skb(test, frame, frame + PC5SEC_HDR_LEN,
				      PT37_LEN + TAG);
		err = pc5sec_test_crypt(test, skb, false, pek, COUNT_37,
					&was_async);
		KUNIT_EXPECT_EQ(test, was_async, !!async);
		KUNIT_EXPECT_EQ(test, err, -EBADMSG);
		kfree_skb(skb);
		pc5sec_pek_put(pek);
	}
}

static struct kunit_case aead_cases[] = {
	KUNIT_CASE_PARAM(aead_vector_37, aead_gen_params),
	KUNIT_CASE_PARAM(aead_vector_100, aead_gen_params),
	KUNIT_CASE_PARAM(aead_empty, aead_gen_params),
	KUNIT_CASE_PARAM(aead_count_and_key, aead_gen_params),
	KUNIT_CASE_PARAM(aead_bit_flips, aead_gen_params),
	KUNIT_CASE_PARAM(aead_short, aead_gen_params),
	KUNIT_CASE_PARAM(aead_pek_derivation, aead_gen_params),
	KUNIT_CASE_PARAM(aead_bad_key, aead_gen_params),
	KUNIT_CASE_PARAM(aead_frags, aead_gen_params),
	KUNIT_CASE_PARAM(aead_frag_list, aead_gen_params),
	KUNIT_CASE_PARAM(aead_cloned, aead_gen_params),
	KUNIT_CASE_PARAM(aead_sync_async, aead_gen_params),
	{}
};

static struct kunit_suite aead_suite = {
	.name = "pc5sec-aead",
	.suite_init = pc5sec_test_suite_init,
	.suite_exit = pc5sec_test_suite_exit,
	.test_cases = aead_cases,
};

kunit_test_suite(aead_suite);
