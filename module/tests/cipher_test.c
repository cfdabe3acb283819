// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: 128-EEA2 (TS 33.401 B.1.3) and pc5sec's cipher path on skbs.
 *
 * The 3GPP test sets 1 and 3 (TS 33.401 C.1, copied from the spec page)
 * check the counter block layout through the crypto API's ctr(aes). The
 * pc5sec vectors (BEARER 0, DIRECTION 0) were computed independently with
 * Python's cryptography package:
 *
 *   Cipher(algorithms.AES(key), modes.CTR(count.to_bytes(4, "big")
 *          + bytes(12))).encryptor().update(plaintext)
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <crypto/skcipher.h>
#include <linux/pc5sec.h>

#include "compat.h"
#include "cipher.h"
#include "frame.h"
#include "kunit_util.h"

struct eea2_set {
	u8 key[16];
	u32 count;
	u8 bearer;
	u8 dir;
	unsigned int bits;
	const u8 *pt;
	const u8 *ct;
};

static const u8 set1_pt[32] = {
	0x98, 0x1b, 0xa6, 0x82, 0x4c, 0x1b, 0xfb, 0x1a,
	0xb4, 0x85, 0x47, 0x20, 0x29, 0xb7, 0x1d, 0x80,
	0x8c, 0xe3, 0x3e, 0x2c, 0xc3, 0xc0, 0xb5, 0xfc,
	0x1f, 0x3d, 0xe8, 0xa6, 0xdc, 0x66, 0xb1, 0xf0,
};

static const u8 set1_ct[32] = {
	0xe9, 0xfe, 0xd8, 0xa6, 0x3d, 0x15, 0x53, 0x04,
	0xd7, 0x1d, 0xf2, 0x0b, 0xf3, 0xe8, 0x22, 0x14,
	0xb2, 0x0e, 0xd7, 0xda, 0xd2, 0xf2, 0x33, 0xdc,
	0x3c, 0x22, 0xd7, 0xbd, 0xee, 0xed, 0x8e, 0x78,
};

static const u8 set3_pt[39] = {
	0xfd, 0x40, 0xa4, 0x1d, 0x37, 0x0a, 0x1f, 0x65,
	0x74, 0x50, 0x95, 0x68, 0x7d, 0x47, 0xba, 0x1d,
	0x36, 0xd2, 0x34, 0x9e, 0x23, 0xf6, 0x44, 0x39,
	0x2c, 0x8e, 0xa9, 0xc4, 0x9d, 0x40, 0xc1, 0x32,
	0x71, 0xaf, 0xf2, 0x64, 0xd0, 0xf2, 0x48,
};

static const u8 set3_ct[39] = {
	0x75, 0x75, 0x0d, 0x37, 0xb4, 0xbb, 0xa2, 0xa4,
	0xde, 0xdb, 0x34, 0x23, 0x5b, 0xd6, 0x8c, 0x66,
	0x45, 0xac, 0xda, 0xac, 0xa4, 0x81, 0x38, 0xa3,
	0xb0, 0xc4, 0x71, 0xe2, 0xa7, 0x04, 0x1a, 0x57,
	0x64, 0x23, 0xd2, 0x92, 0x72, 0x87, 0xf0,
};

static const struct eea2_set eea2_sets[] = {
	{
		.key = {
			0xd3, 0xc5, 0xd5, 0x92, 0x32, 0x7f, 0xb1, 0x1c,
			0x40, 0x35, 0xc6, 0x68, 0x0a, 0xf8, 0xc6, 0xd1,
		},
		.count = 0x398a59b4, .bearer = 0x15, .dir = 1, .bits = 253,
		.pt = set1_pt, .ct = set1_ct,
	},
	{
		.key = {
			0x0a, 0x8b, 0x6b, 0xd8, 0xd9, 0xb0, 0x8b, 0x08,
			0xd6, 0x4e, 0x32, 0xd1, 0x81, 0x77, 0x77, 0xfb,
		},
		.count = 0x544d49cd, .bearer = 0x04, .dir = 0, .bits = 310,
		.pt = set3_pt, .ct = set3_ct,
	},
};

/* Set 3's KEY, COUNT and PLAINTEXT with BEARER 0, DIRECTION 0 (Python). */
static const u8 pc5_ct39[39] = {
	0xdb, 0xd5, 0xc1, 0x22, 0x2d, 0xe0, 0x42, 0x41,
	0xa4, 0x12, 0x17, 0x34, 0x2e, 0x2f, 0x5f, 0x47,
	0x93, 0x47, 0x3b, 0xfc, 0xb2, 0x06, 0xf2, 0xb3,
	0x18, 0x6e, 0x40, 0xeb, 0x41, 0x28, 0x2c, 0x4f,
	0x1c, 0x07, 0x12, 0xdb, 0x9c, 0xed, 0x75,
};

/*
 * Set 1's KEY, COUNT 0xffffffff, BEARER 0, DIRECTION 0, plaintext octet i
 * = (7 i + 3) mod 256 for i in 0..199 (Python).
 */
#define PC5_LEN200	200
static const u8 pc5_ct200[PC5_LEN200] = {
	0xa0, 0xf6, 0xdb, 0xf7, 0x76, 0x76, 0xd8, 0x8f,
	0x2e, 0x26, 0xbf, 0x42, 0x09, 0xca, 0xab, 0xca,
	0x4c, 0x85, 0x55, 0x63, 0x90, 0xe3, 0x26, 0x79,
	0x10, 0x98, 0x64, 0xba, 0xe0, 0x2a, 0x7b, 0xa8,
	0x60, 0x5f, 0x15, 0x60, 0xea, 0xee, 0xb9, 0x63,
	0x6b, 0x7d, 0xc9, 0xab, 0x31, 0x9c, 0xd3, 0xdb,
	0x1b, 0x3e, 0xc3, 0xe3, 0xf9, 0xc3, 0xfd, 0xec,
	0xda, 0xc2, 0xb3, 0xed, 0xb9, 0xfc, 0x1a, 0xf9,
	0x2e, 0x3e, 0x7a, 0x3d, 0xf5, 0x91, 0xda, 0xb0,
	0x74, 0x81, 0xac, 0xcd, 0x11, 0x30, 0x00, 0x4f,
	0xc4, 0x87, 0x0b, 0x55, 0x2d, 0xd0, 0xbd, 0xd9,
	0xbf, 0x21, 0xc6, 0x09, 0xd9, 0xad, 0x7d, 0x37,
	0x3e, 0xcb, 0x7e, 0xb6, 0x40, 0x38, 0x0d, 0xa7,
	0xa6, 0x38, 0xa2, 0x2f, 0xe2, 0x57, 0x1a, 0x48,
	0x84, 0xbd, 0xa6, 0x5a, 0x48, 0x58, 0xf5, 0xf3,
	0xf7, 0x02, 0x6d, 0xaf, 0xd9, 0xb1, 0xad, 0xb9,
	0x3c, 0xfc, 0x74, 0xaf, 0x06, 0x62, 0x9d, 0xf1,
	0x2e, 0x72, 0xfa, 0x9d, 0x69, 0xf5, 0x9d, 0x2b,
	0x60, 0x07, 0x22, 0x1a, 0xd8, 0xe7, 0x97, 0x2a,
	0x0a, 0x1e, 0x67, 0xc2, 0x89, 0xdf, 0x91, 0x40,
	0x33, 0x3b, 0xa4, 0x3a, 0xdd, 0x8c, 0x01, 0x37,
	0xeb, 0xcd, 0x40, 0xcf, 0xf4, 0x0e, 0xe6, 0x43,
	0xfa, 0xa9, 0x83, 0x0f, 0x7b, 0x56, 0x9b, 0xa9,
	0x2c, 0x16, 0xa4, 0x72, 0xa4, 0x55, 0x4c, 0x97,
	0xd9, 0xd3, 0x79, 0xe3, 0x9e, 0xed, 0xf8, 0xa7,
};

static void pt200_fill(u8 *p)
{
	unsigned int i;

	for (i = 0; i < PC5_LEN200; i++)
		p[i] = i * 7 + 3;
}

/* The 12 octets in front of the Data field; pc5sec_crypt must not touch. */
static const u8 dummy_hdr[PC5SEC_HDR_LEN] = {
	0x10, 0x12, 0x34, 0x56, 0xab, 0xcd, 0xef, 0x01,
	0x00, 0x07, 0x00, 0x09,
};

/* ctr(aes) through the crypto API, in place, with any IV. */
static void ctr_aes(struct kunit *test, const u8 *key, const u8 *iv_in,
		    u8 *buf, unsigned int len)
{
	struct crypto_skcipher *tfm;
	struct skcipher_request *req;
	struct scatterlist sg;
	DECLARE_CRYPTO_WAIT(wait);
	u8 iv[16];
	int err;

	tfm = crypto_alloc_skcipher("ctr(aes)", 0, 0);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, tfm);
	err = crypto_skcipher_setkey(tfm, key, 16);
	KUNIT_EXPECT_EQ(test, err, 0);
	req = skcipher_request_alloc(tfm, GFP_KERNEL);
	KUNIT_EXPECT_NOT_ERR_OR_NULL(test, req);
	if (!err && req) {
		memcpy(iv, iv_in, sizeof(iv));
		sg_init_one(&sg, buf, len);
		skcipher_request_set_callback(req, CRYPTO_TFM_REQ_MAY_BACKLOG,
					      crypto_req_done, &wait);
		skcipher_request_set_crypt(req, &sg, &sg, len, iv);
		err = crypto_wait_req(crypto_skcipher_encrypt(req), &wait);
		KUNIT_EXPECT_EQ(test, err, 0);
	}
	skcipher_request_free(req);
	crypto_free_skcipher(tfm);
}

/*
 * The 3GPP counter block, COUNT || BEARER || DIRECTION || 0, as the IV of
 * ctr(aes) gives the TS 33.401 ciphertexts (the unused trailing bits of
 * the last octet masked, as the test data has them zero).
 */
static void eea2_3gpp_sets(struct kunit *test)
{
	unsigned int i, n;
	u8 iv[16], mask;
	u8 *buf;

	buf = kunit_kzalloc(test, 64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	for (i = 0; i < ARRAY_SIZE(eea2_sets); i++) {
		const struct eea2_set *s = &eea2_sets[i];

		n = DIV_ROUND_UP(s->bits, 8);
		mask = s->bits % 8 ? 0xff << (8 - s->bits % 8) : 0xff;
		memset(iv, 0, sizeof(iv));
		iv[0] = s->count >> 24;
		iv[1] = s->count >> 16;
		iv[2] = s->count >> 8;
		iv[3] = s->count;
		iv[4] = s->bearer << 3 | s->dir << 2;
		memcpy(buf, s->pt, n);
		ctr_aes(test, s->key, iv, buf, n);
		buf[n - 1] &= mask;
		KUNIT_EXPECT_MEMEQ(test, buf, s->ct, n);
		/* The test data has the unused trailing bits zero. */
		KUNIT_EXPECT_EQ(test, s->ct[n - 1] & ~mask, 0);
	}
}

/* pc5sec_crypt() over the Data field, which must succeed. */
static int do_crypt(struct kunit *test, struct sk_buff *skb, bool encrypt,
		    struct pc5sec_pek *pek, u32 count)
{
	int err = pc5sec_test_crypt(test, skb, encrypt, pek, count, NULL);

	KUNIT_EXPECT_EQ(test, err, 0);
	return err;
}

/* The Data field of @skb (linear or not) equals @want, header intact. */
static void expect_skb(struct kunit *test, struct sk_buff *skb,
		       const u8 *want, unsigned int len)
{
	u8 *got = kunit_kzalloc(test, PC5SEC_HDR_LEN + len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, got);
	KUNIT_ASSERT_EQ(test, skb->len, PC5SEC_HDR_LEN + len);
	KUNIT_ASSERT_EQ(test, skb_copy_bits(skb, 0, got, skb->len), 0);
	KUNIT_EXPECT_MEMEQ(test, got, dummy_hdr, PC5SEC_HDR_LEN);
	/*
	 * 6.12's KUNIT_EXPECT_MEMEQ fails on a NULL pointer even for 0
	 * octets (6.1's did not).
	 */
	if (len)
		KUNIT_EXPECT_MEMEQ(test, got + PC5SEC_HDR_LEN, want, len);
}

static struct pc5sec_pek *eea2_pek(struct kunit *test, const u8 *key)
{
	struct pc5sec_pek *pek;

	pek = pc5sec_pek_new_raw(PC5SEC_CIPHER_EEA2, key, 16, 0x1234);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, pek);
	KUNIT_EXPECT_EQ(test, pek->ptk_id, 0x1234);
	KUNIT_EXPECT_EQ(test, pek->cipher, PC5SEC_CIPHER_EEA2);
	KUNIT_EXPECT_NOT_ERR_OR_NULL(test, pek->tfm);
	return pek;
}

/* pc5sec's IV: COUNT (big-endian) || 12 zero octets. */
static void eea2_pc5sec_vector(struct kunit *test)
{
	struct pc5sec_pek *pek = eea2_pek(test, eea2_sets[1].key);
	struct sk_buff *skb = pc5sec_test_skb(test, dummy_hdr, set3_pt, sizeof(set3_pt));

	if (!do_crypt(test, skb, true, pek, 0x544d49cd))
		expect_skb(test, skb, pc5_ct39, sizeof(pc5_ct39));
	if (!do_crypt(test, skb, false, pek, 0x544d49cd))
		expect_skb(test, skb, set3_pt, sizeof(set3_pt));
	kfree_skb(skb);
	pc5sec_pek_put(pek);
}

/* Not a multiple of the block size, COUNT all ones; and the COUNT matters. */
static void eea2_pc5sec_long(struct kunit *test)
{
	struct pc5sec_pek *pek = eea2_pek(test, eea2_sets[0].key);
	u8 *pt = kunit_kzalloc(test, PC5_LEN200, GFP_KERNEL);
	struct sk_buff *skb;
	u8 *got;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, pt);
	pt200_fill(pt);
	skb = pc5sec_test_skb(test, dummy_hdr, pt, PC5_LEN200);
	if (!do_crypt(test, skb, true, pek, 0xffffffff))
		expect_skb(test, skb, pc5_ct200, PC5_LEN200);
	if (!do_crypt(test, skb, false, pek, 0xffffffff))
		expect_skb(test, skb, pt, PC5_LEN200);

	/* Another COUNT gives another key stream. */
	if (!do_crypt(test, skb, true, pek, 0xfffffffe)) {
		got = skb->data + PC5SEC_HDR_LEN;
		KUNIT_EXPECT_MEMNEQ(test, got, pc5_ct200, PC5_LEN200);
		KUNIT_EXPECT_MEMNEQ(test, got, pt, PC5_LEN200);
	}
	kfree_skb(skb);
	pc5sec_pek_put(pek);
}

/* An empty Data field is fine. */
static void eea2_pc5sec_empty(struct kunit *test)
{
	struct pc5sec_pek *pek = eea2_pek(test, eea2_sets[0].key);
	struct sk_buff *skb = pc5sec_test_skb(test, dummy_hdr, NULL, 0);

	if (!do_crypt(test, skb, true, pek, 1))
		expect_skb(test, skb, NULL, 0);
	kfree_skb(skb);
	pc5sec_pek_put(pek);
}

/* EEA0: no transform, the Data field is the SDU. */
static void eea0_untouched(struct kunit *test)
{
	struct pc5sec_pek *pek;
	struct sk_buff *skb;

	pek = pc5sec_pek_new_raw(PC5SEC_CIPHER_EEA0, NULL, 0, 0);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, pek);
	KUNIT_EXPECT_NULL(test, pek->tfm);
	KUNIT_EXPECT_EQ(test, pek->cipher, PC5SEC_CIPHER_EEA0);
	skb = pc5sec_test_skb(test, dummy_hdr, set3_pt, sizeof(set3_pt));
	if (!do_crypt(test, skb, true, pek, 0x544d49cd))
		expect_skb(test, skb, set3_pt, sizeof(set3_pt));
	if (!do_crypt(test, skb, false, pek, 0x544d49cd))
		expect_skb(test, skb, set3_pt, sizeof(set3_pt));
	kfree_skb(skb);
	pc5sec_pek_put(pek);
}

/* A wrong key length is refused, and nothing leaks. */
static void eea2_bad_key(struct kunit *test)
{
	struct pc5sec_pek *pek;

	pek = pc5sec_pek_new_raw(PC5SEC_CIPHER_EEA2, eea2_sets[0].key, 15, 0);
	KUNIT_EXPECT_TRUE(test, IS_ERR(pek));
	if (!IS_ERR_OR_NULL(pek))
		pc5sec_pek_put(pek);
}

static void eea2_pc5sec_frags(struct kunit *test)
{
	static const unsigned int lins[] = { 0, 1, 20, 150 };
	struct pc5sec_pek *pek = eea2_pek(test, eea2_sets[0].key);
	u8 *pt = kunit_kzalloc(test, PC5_LEN200, GFP_KERNEL);
	struct sk_buff *skb;
	unsigned int i;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, pt);
	pt200_fill(pt);
	for (i = 0; i < ARRAY_SIZE(lins); i++) {
		skb = pc5sec_test_frag_skb(test, dummy_hdr, pt, PC5_LEN200, lins[i]);
		if (!do_crypt(test, skb, true, pek, 0xffffffff))
			expect_skb(test, skb, pc5_ct200, PC5_LEN200);
		kfree_skb(skb);

		/* Decrypting ciphertext in fragments gives the plaintext. */
		skb = pc5sec_test_frag_skb(test, dummy_hdr, pc5_ct200, PC5_LEN200, lins[i]);
		if (!do_crypt(test, skb, false, pek, 0xffffffff))
			expect_skb(test, skb, pt, PC5_LEN200);
		kfree_skb(skb);
	}
	pc5sec_pek_put(pek);
}

/*
 * Data in a frag_list (as after IP reassembly or GRO): skb_cow_data()
 * reports one element per skb, so the scatterlist has several entries.
 */
static void eea2_pc5sec_frag_list(struct kunit *test)
{
	struct pc5sec_pek *pek = eea2_pek(test, eea2_sets[0].key);
	u8 *pt = kunit_kzalloc(test, PC5_LEN200, GFP_KERNEL);
	struct sk_buff *skb, *child[2], **tail;
	static const unsigned int lens[] = { 37, 90, 73 };
	unsigned int i, off;
	int dir;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, pt);
	pt200_fill(pt);
	for (dir = 0; dir < 2; dir++) {
		const u8 *in = dir ? pc5_ct200 : pt;

		skb = pc5sec_test_skb(test, dummy_hdr, in, lens[0]);
		tail = &skb_shinfo(skb)->frag_list;
		for (i = 0, off = lens[0]; i < 2; off += lens[i + 1], i++) {
			child[i] = alloc_skb(lens[i + 1], GFP_KERNEL);
			if (!child[i]) {
				kfree_skb(skb);
				KUNIT_ASSERT_FAILURE(test, "no skb");
			}
			skb_put_data(child[i], in + off, lens[i + 1]);
			*tail = child[i];
			tail = &child[i]->next;
			skb->len += lens[i + 1];
			skb->data_len += lens[i + 1];
			skb->truesize += child[i]->truesize;
		}
		KUNIT_EXPECT_TRUE(test, skb_has_frag_list(skb));
		if (!do_crypt(test, skb, !dir, pek, 0xffffffff))
			expect_skb(test, skb, dir ? pt : pc5_ct200,
				   PC5_LEN200);
		kfree_skb(skb);
	}
	pc5sec_pek_put(pek);
}

/* A clone shares the data: ciphering one must not change the other. */
static void eea2_pc5sec_cloned(struct kunit *test)
{
	struct pc5sec_pek *pek = eea2_pek(test, eea2_sets[1].key);
	struct sk_buff *skb = pc5sec_test_skb(test, dummy_hdr, set3_pt, sizeof(set3_pt));
	struct sk_buff *clone = skb_clone(skb, GFP_KERNEL);

	KUNIT_EXPECT_NOT_NULL(test, clone);
	if (clone && !do_crypt(test, skb, true, pek, 0x544d49cd)) {
		expect_skb(test, skb, pc5_ct39, sizeof(pc5_ct39));
		expect_skb(test, clone, set3_pt, sizeof(set3_pt));
	}
	kfree_skb(clone);
	kfree_skb(skb);
	pc5sec_pek_put(pek);
}

/*
 * The asynchronous path, with the PEK's transform swapped for cryptd's
 * wrapper of ctr(aes): -EINPROGRESS, then the callback once, and the
 * request memory outlives pc5sec_crypt(). Last of the suite: the cryptd
 * instance stays registered as a "ctr(aes)" of higher priority, so every
 * later ctr(aes) of this boot is asynchronous (do_crypt() and the keys
 * suite cope with both).
 */
static void eea2_pc5sec_async(struct kunit *test)
{
	struct pc5sec_pek *pek = eea2_pek(test, eea2_sets[1].key);
	struct crypto_skcipher *tfm;
	struct sk_buff *skb;
	bool was_async;
	int dir, err;

	tfm = crypto_alloc_skcipher("cryptd(ctr(aes-generic))", 0, 0);
	if (IS_ERR(tfm)) {
		pc5sec_pek_put(pek);
		KUNIT_ASSERT_FAILURE(test, "no cryptd(ctr(aes-generic)): %ld",
				     PTR_ERR(tfm));
	}
	KUNIT_EXPECT_EQ(test, crypto_skcipher_setkey(tfm, eea2_sets[1].key,
						     16), 0);
	crypto_free_skcipher(pek->tfm);
	pek->tfm = tfm;

	skb = pc5sec_test_skb(test, dummy_hdr, set3_pt, sizeof(set3_pt));
	for (dir = 0; dir < 2; dir++) {
		err = pc5sec_test_crypt(test, skb, !dir, pek, 0x544d49cd,
					&was_async);
		KUNIT_EXPECT_TRUE(test, was_async);
		KUNIT_EXPECT_EQ(test, err, 0);
		if (dir)
			expect_skb(test, skb, set3_pt, sizeof(set3_pt));
		else
			expect_skb(test, skb, pc5_ct39, sizeof(pc5_ct39));
	}
	kfree_skb(skb);
	pc5sec_pek_put(pek);
}

static struct kunit_case cipher_cases[] = {
	KUNIT_CASE(eea2_3gpp_sets),
	KUNIT_CASE(eea2_pc5sec_vector),
	KUNIT_CASE(eea2_pc5sec_long),
	KUNIT_CASE(eea2_pc5sec_empty),
	KUNIT_CASE(eea0_untouched),
	KUNIT_CASE(eea2_bad_key),
	KUNIT_CASE(eea2_pc5sec_frags),
	KUNIT_CASE(eea2_pc5sec_frag_list),
	KUNIT_CASE(eea2_pc5sec_cloned),
	KUNIT_CASE(eea2_pc5sec_async),
	{}
};

static struct kunit_suite cipher_suite = {
	.name = "pc5sec-eea2",
	.suite_init = pc5sec_test_suite_init,
	.suite_exit = pc5sec_test_suite_exit,
	.test_cases = cipher_cases,
};

kunit_test_suite(cipher_suite);
