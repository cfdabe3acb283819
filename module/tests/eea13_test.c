// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: 128-EEA1 (SNOW 3G) and 128-EEA3 (ZUC) of pc5sec-algs.ko against
 * the official test data (eea13_vectors.h says which document and set
 * each is): the keystream generators alone, the confidentiality
 * algorithms at bit granularity, and the same through the crypto API, in
 * place and not, over scatterlists split at odd offsets.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/random.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <crypto/skcipher.h>

#include "compat.h"
#include "../algs/eea.h"
#include "eea13_vectors.h"

static const char *alg_name(u8 alg)
{
	return alg == 1 ? "snow3g-eea1" : "zuc-eea3";
}

static void crypt_bits(const struct eea13_vector *v, const u8 *key,
		       const u8 *in, u8 *out)
{
	(v->alg == 1 ? pc5sec_eea1 : pc5sec_eea3)(key, v->count, v->bearer,
						   v->direction, in, out,
						   v->bitlen);
}

/* Every confidentiality set, both ways (the algorithms are involutions). */
static void eea13_conf_sets(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(eea13_vectors); i++) {
		const struct eea13_vector *v = &eea13_vectors[i];
		unsigned int len = DIV_ROUND_UP(v->bitlen, 8);
		u8 *buf = kunit_kzalloc(test, len, GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, buf);
		crypt_bits(v, v->key, v->in, buf);
		KUNIT_EXPECT_EQ_MSG(test, memcmp(buf, v->out, len), 0, "%s", v->name);
		crypt_bits(v, v->key, v->out, buf);
		/* the plaintext's bits after LENGTH are not part of it */
		if (v->bitlen % 8)
			buf[len - 1] ^= (v->in[len - 1] & (0xff >> (v->bitlen % 8)));
		KUNIT_EXPECT_EQ_MSG(test, memcmp(buf, v->in, len), 0, "%s back", v->name);
	}
}

/* A changed octet of key, COUNT or data changes the output: the checks can fail. */
static void eea13_conf_changed(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(eea13_vectors); i++) {
		const struct eea13_vector *v = &eea13_vectors[i];
		unsigned int len = DIV_ROUND_UP(v->bitlen, 8);
		u8 *buf = kunit_kzalloc(test, len, GFP_KERNEL);
		u8 key[EEA_KEY_LEN];

		KUNIT_ASSERT_NOT_NULL(test, buf);
		memcpy(key, v->key, sizeof(key));
		key[i % sizeof(key)] ^= 0x01;
		crypt_bits(v, key, v->in, buf);
		KUNIT_EXPECT_NE_MSG(test, memcmp(buf, v->out, len), 0, "%s", v->name);
	}
}

static void eea13_keystream_sets(struct kunit *test)
{
	unsigned int i, n, w;

	for (i = 0; i < ARRAY_SIZE(eea13_ks_vectors); i++) {
		const struct eea13_ks_vector *v = &eea13_ks_vectors[i];
		u32 z[EEA_BLOCK_WORDS];

		if (v->alg == 1) {
			struct snow3g_state st;
			u8 key[EEA_KEY_LEN];
			u32 iv[4];

			/*
			 * The SNOW 3G sets list k0..k3 and IV0..IV3; the
			 * generator takes K as k3 || k2 || k1 || k0.
			 */
			for (w = 0; w < 4; w++) {
				memcpy(key + 4 * w, v->key + 4 * (3 - w), 4);
				iv[w] = get_unaligned_be32(v->iv + 4 * w);
			}
			pc5sec_snow3g_load(&st, key, iv);
			for (n = 0; n <= v->first + v->nwords; n += EEA_BLOCK_WORDS) {
				pc5sec_snow3g_block(&st, z);
				for (w = 0; w < v->nwords; w++)
					if (v->first + w >= n && v->first + w < n + EEA_BLOCK_WORDS)
						KUNIT_EXPECT_EQ_MSG(test, z[v->first + w - n],
								    v->words[w], "%s word %u",
								    v->name, v->first + w + 1);
			}
		} else {
			struct zuc_state st;

			pc5sec_zuc_load(&st, v->key, v->iv);
			for (n = 0; n <= v->first + v->nwords; n += EEA_BLOCK_WORDS) {
				pc5sec_zuc_block(&st, z);
				for (w = 0; w < v->nwords; w++)
					if (v->first + w >= n && v->first + w < n + EEA_BLOCK_WORDS)
						KUNIT_EXPECT_EQ_MSG(test, z[v->first + w - n],
								    v->words[w], "%s word %u",
								    v->name, v->first + w + 1);
			}
		}
	}
}

/*
 * @len octets through the crypto API, the source split into scatterlist
 * entries of the lengths in @split (the rest in the last); in place when
 * @dst is NULL.
 */
static int api_crypt(struct kunit *test, struct crypto_skcipher *tfm,
		     const u8 *iv, u8 *src, u8 *dst, unsigned int len,
		     const unsigned int *split, unsigned int nsplit)
{
	struct skcipher_request *req = skcipher_request_alloc(tfm, GFP_KERNEL);
	struct scatterlist sg_src[8], sg_dst[1];
	unsigned int i, off = 0;
	u8 ivbuf[EEA_IV_LEN];
	int err;

	KUNIT_ASSERT_NOT_NULL(test, req);

	sg_init_table(sg_src, nsplit + 1);
	for (i = 0; i < nsplit; i++) {
		sg_set_buf(&sg_src[i], src + off, split[i]);
		off += split[i];
	}
	sg_set_buf(&sg_src[nsplit], src + off, len - off);
	if (dst)
		sg_init_one(sg_dst, dst, len);
	memcpy(ivbuf, iv, sizeof(ivbuf));
	skcipher_request_set_tfm(req, tfm);
	skcipher_request_set_callback(req, 0, NULL, NULL);
	skcipher_request_set_crypt(req, sg_src, dst ? sg_dst : sg_src, len, ivbuf);
	err = crypto_skcipher_encrypt(req);
	skcipher_request_free(req);
	return err;
}

static const unsigned int splits[][4] = {
	{ 1, 7, 13, 64 }, { 3, 61, 2, 5 }, { 64, 1, 63, 17 }, { 5, 0, 11, 19 },
};

/* The byte-aligned part of every set through the crypto API, split up. */
static void eea13_api_sets(struct kunit *test)
{
	unsigned int i, s, k;

	for (i = 0; i < ARRAY_SIZE(eea13_vectors); i++) {
		const struct eea13_vector *v = &eea13_vectors[i];
		unsigned int len = v->bitlen / 8;
		struct crypto_skcipher *tfm;
		u8 iv[EEA_IV_LEN], *src, *dst;

		if (len < 2)
			continue;
		tfm = crypto_alloc_skcipher(alg_name(v->alg), 0, 0);
		KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(tfm), "%s: %ld", alg_name(v->alg),
				       PTR_ERR(tfm));
		KUNIT_ASSERT_EQ(test, crypto_skcipher_setkey(tfm, v->key, EEA_KEY_LEN), 0);
		eea_iv(iv, v->count, v->bearer, v->direction);
		src = kunit_kmalloc(test, len, GFP_KERNEL);
		dst = kunit_kmalloc(test, len, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, src);
		KUNIT_ASSERT_NOT_NULL(test, dst);
		for (s = 0; s < ARRAY_SIZE(splits); s++) {
			unsigned int split[4], n = 0, off = 0;

			/* the split points that fall inside this set */
			for (k = 0; k < 4 && off + splits[s][k] < len; k++) {
				split[n++] = splits[s][k];
				off += splits[s][k];
			}
			memcpy(src, v->in, len);
			KUNIT_EXPECT_EQ(test, api_crypt(test, tfm, iv, src, NULL, len,
							split, n), 0);
			KUNIT_EXPECT_EQ_MSG(test, memcmp(src, v->out, len), 0,
					    "%s in place, split %u", v->name, s);
			memcpy(src, v->in, len);
			memset(dst, 0, len);
			KUNIT_EXPECT_EQ(test, api_crypt(test, tfm, iv, src, dst, len, split, n), 0);
			KUNIT_EXPECT_EQ_MSG(test, memcmp(dst, v->out, len), 0,
					    "%s, split %u", v->name, s);
		}
		crypto_free_skcipher(tfm);
	}
}

/* 8000 random octets: split or not, the same ciphertext, and back. */
static void eea13_api_long(struct kunit *test)
{
	static const unsigned int split[] = { 1, 4095, 63, 1000, 7 };
	const unsigned int len = 8000;
	unsigned int a;

	for (a = 1; a <= 3; a += 2) {
		struct crypto_skcipher *tfm = crypto_alloc_skcipher(alg_name(a), 0, 0);
		u8 *pt = kunit_kmalloc(test, len, GFP_KERNEL);
		u8 *ct = kunit_kmalloc(test, len, GFP_KERNEL);
		u8 *buf = kunit_kmalloc(test, len, GFP_KERNEL);
		u8 key[EEA_KEY_LEN], iv[EEA_IV_LEN];

		KUNIT_ASSERT_FALSE(test, IS_ERR(tfm));
		KUNIT_ASSERT_NOT_NULL(test, pt);
		KUNIT_ASSERT_NOT_NULL(test, ct);
		KUNIT_ASSERT_NOT_NULL(test, buf);
		get_random_bytes(pt, len);
		get_random_bytes(key, sizeof(key));
		eea_iv(iv, get_random_u32(), 0, 0);
		KUNIT_ASSERT_EQ(test, crypto_skcipher_setkey(tfm, key, sizeof(key)), 0);
		KUNIT_EXPECT_EQ(test, crypto_skcipher_setkey(tfm, key, 15), -EINVAL);
		KUNIT_EXPECT_EQ(test, crypto_skcipher_setkey(tfm, key, 32), -EINVAL);
		KUNIT_ASSERT_EQ(test, crypto_skcipher_setkey(tfm, key, sizeof(key)), 0);

		/* the bit-level function is the reference for the API path */
		(a == 1 ? pc5sec_eea1 : pc5sec_eea3)(key, get_unaligned_be32(iv), 0, 0,
						     pt, ct, len * 8);
		memcpy(buf, pt, len);
		KUNIT_EXPECT_EQ(test, api_crypt(test, tfm, iv, buf, NULL, len, split,
						ARRAY_SIZE(split)), 0);
		KUNIT_EXPECT_EQ_MSG(test, memcmp(buf, ct, len), 0, "%s split", alg_name(a));
		KUNIT_EXPECT_MEMNEQ(test, buf, pt, len);
		KUNIT_EXPECT_EQ(test, api_crypt(test, tfm, iv, buf, NULL, len, NULL, 0), 0);
		KUNIT_EXPECT_EQ_MSG(test, memcmp(buf, pt, len), 0, "%s back", alg_name(a));
		crypto_free_skcipher(tfm);
	}
}

static struct kunit_case eea13_cases[] = {
	KUNIT_CASE(eea13_keystream_sets),
	KUNIT_CASE(eea13_conf_sets),
	KUNIT_CASE(eea13_conf_changed),
	KUNIT_CASE(eea13_api_sets),
	KUNIT_CASE(eea13_api_long),
	{}
};

/*
 * Built in, the module's init (a device initcall) has registered the
 * algorithms before KUnit's executor runs; built as a module, the suite
 * runs while the module is COMING, before its init: then the suite
 * builds the tables and registers them for as long as it runs.
 */
static bool suite_registered;

static int eea13_suite_init(struct kunit_suite *suite)
{
	int err = 0;

	if (!pc5sec_eea_registered) {
		err = pc5sec_eea_register();
		suite_registered = !err;
	}
	return err;
}

static void eea13_suite_exit(struct kunit_suite *suite)
{
	if (suite_registered)
		pc5sec_eea_unregister();
	suite_registered = false;
}

static struct kunit_suite eea13_suite = {
	.name = "pc5sec-eea13",
	.suite_init = eea13_suite_init,
	.suite_exit = eea13_suite_exit,
	.test_cases = eea13_cases,
};

kunit_test_suite(eea13_suite);
