// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: pc5sec_crypt() against an asynchronous implementation whose queue
 * is full (cryptd, a hardware engine). Every frame anyone on the air sends
 * reaches the cipher, so the packet path must never ask for a backlog
 * (CRYPTO_TFM_REQ_MAY_BACKLOG: the implementation then keeps the request,
 * an skb and a device reference, however long its queue already is). A
 * refusal (-ENOSPC from crypto_enqueue_request(), -EBUSY from older or
 * other engines) comes back as the error, with no callback and nothing
 * left allocated, and the caller drops and counts the packet.
 *
 * The full queue is a test double: an AEAD and an skcipher, registered
 * here under names of their own, that refuse every request and record its
 * flags. The PEK's real transform is swapped for one of them, as
 * aead_sync_async does with cryptd.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/skbuff.h>
#include <crypto/aead.h>
#include <crypto/skcipher.h>
#include <crypto/internal/aead.h>
#include <crypto/internal/skcipher.h>
#include <linux/pc5sec.h>

#include "compat.h"
#include "cipher.h"
#include "frame.h"
#include "kunit_util.h"

static u32 full_flags;		/* the last request's flags */
static unsigned int full_calls;
static int full_err;		/* what the full queue answers */

static int full_aead_setkey(struct crypto_aead *tfm, const u8 *key,
			    unsigned int len)
{
	return 0;
}

static int full_aead_setauthsize(struct crypto_aead *tfm, unsigned int len)
{
	return 0;
}

static int full_aead_crypt(struct aead_request *req)
{
	full_calls++;
	full_flags = req->base.flags;
	return full_err;
}

static struct aead_alg full_aead = {
	.setkey = full_aead_setkey,
	.setauthsize = full_aead_setauthsize,
	.encrypt = full_aead_crypt,
	.decrypt = full_aead_crypt,
	.ivsize = 12,
	.maxauthsize = PC5SEC_TAG_LEN,
	.base = {
		.cra_name = "pc5sec-kunit-full-aead",
		.cra_driver_name = "pc5sec-kunit-full-aead",
		.cra_priority = 1,
		.cra_flags = CRYPTO_ALG_ASYNC,
		.cra_blocksize = 1,
		.cra_module = THIS_MODULE,
	},
};

static int full_sk_setkey(struct crypto_skcipher *tfm, const u8 *key,
			  unsigned int len)
{
	return 0;
}

static int full_sk_crypt(struct skcipher_request *req)
{
	full_calls++;
	full_flags = req->base.flags;
	return full_err;
}

static struct skcipher_alg full_sk = {
	.setkey = full_sk_setkey,
	.encrypt = full_sk_crypt,
	.decrypt = full_sk_crypt,
	.min_keysize = 16,
	.max_keysize = 16,
	.ivsize = 16,
	.base = {
		.cra_name = "pc5sec-kunit-full-sk",
		.cra_driver_name = "pc5sec-kunit-full-sk",
		.cra_priority = 1,
		.cra_flags = CRYPTO_ALG_ASYNC,
		.cra_blocksize = 1,
		.cra_module = THIS_MODULE,
	},
};

static const u8 hdr[PC5SEC_HDR_LEN] = {
	0x10, 0x00, 0x00, 0x01, 0x00, 0x00, 0x42, 0x01,
	0x00, 0x07, 0x00, 0x01,
};

static const u8 sdu[40] = "an SDU the full queue must not take";

/*
 * One frame each way through @pek against the full queue answering @err:
 * the request asked for no backlog, the refusal is pc5sec_crypt()'s
 * result, no callback ran, no request memory is left, the data is as it
 * was.
 */
static void expect_refused(struct kunit *test, struct pc5sec_pek *pek,
			   bool aead, int err)
{
	unsigned int len = sizeof(sdu) + (aead ? PC5SEC_TAG_LEN : 0);
	u8 *data = kunit_kzalloc(test, len, GFP_KERNEL);
	struct sk_buff *skb;
	int encrypt;

	KUNIT_ASSERT_NOT_NULL(test, data);
	memcpy(data, sdu, sizeof(sdu));
	full_err = err;
	for (encrypt = 0; encrypt < 2; encrypt++) {
		skb = pc5sec_test_skb(test, hdr, data,
				      encrypt ? sizeof(sdu) : len);
		full_calls = 0;
		full_flags = 0;
		KUNIT_EXPECT_EQ(test, pc5sec_test_crypt(test, skb, encrypt,
							pek, 0x70001, NULL),
				err);
		KUNIT_EXPECT_EQ(test, full_calls, 1U);
		KUNIT_EXPECT_FALSE_MSG(test,
				       full_flags & CRYPTO_TFM_REQ_MAY_BACKLOG,
				       "the packet path asked for a backlog");
		KUNIT_EXPECT_NULL(test, pc5sec_cb(skb)->req_mem);
		KUNIT_EXPECT_EQ(test, memcmp(skb->data, hdr, PC5SEC_HDR_LEN), 0);
		KUNIT_EXPECT_EQ(test, memcmp(skb->data + PC5SEC_HDR_LEN, sdu,
					     sizeof(sdu)), 0);
		kfree_skb(skb);
	}
}

static void queue_full_aead(struct kunit *test)
{
	static const u8 key[16];
	struct crypto_aead *tfm;
	struct pc5sec_pek *pek;

	KUNIT_ASSERT_EQ(test, crypto_register_aead(&full_aead), 0);
	tfm = crypto_alloc_aead("pc5sec-kunit-full-aead", 0, 0);
	if (IS_ERR(tfm)) {
		crypto_unregister_aead(&full_aead);
		KUNIT_ASSERT_FAILURE(test, "no transform: %ld", PTR_ERR(tfm));
	}
	pek = pc5sec_pek_new_raw(PC5SEC_CIPHER_AES_GCM_128, key, sizeof(key),
				 7);
	if (IS_ERR_OR_NULL(pek)) {
		crypto_free_aead(tfm);
		crypto_unregister_aead(&full_aead);
		KUNIT_ASSERT_FAILURE(test, "no PEK");
	}
	KUNIT_EXPECT_EQ(test, crypto_aead_setkey(tfm, key, sizeof(key)), 0);
	KUNIT_EXPECT_EQ(test, crypto_aead_setauthsize(tfm, PC5SEC_TAG_LEN), 0);
	crypto_free_aead(pek->aead);
	pek->aead = tfm;
	expect_refused(test, pek, true, -ENOSPC);
	expect_refused(test, pek, true, -EBUSY);
	pc5sec_pek_put(pek);
	/* the PEK's transform goes after an RCU grace period */
	rcu_barrier();
	crypto_unregister_aead(&full_aead);
}

static void queue_full_eea2(struct kunit *test)
{
	static const u8 key[16];
	struct crypto_skcipher *tfm;
	struct pc5sec_pek *pek;

	KUNIT_ASSERT_EQ(test, crypto_register_skcipher(&full_sk), 0);
	tfm = crypto_alloc_skcipher("pc5sec-kunit-full-sk", 0, 0);
	if (IS_ERR(tfm)) {
		crypto_unregister_skcipher(&full_sk);
		KUNIT_ASSERT_FAILURE(test, "no transform: %ld", PTR_ERR(tfm));
	}
	pek = pc5sec_pek_new_raw(PC5SEC_CIPHER_EEA2, key, sizeof(key), 7);
	if (IS_ERR_OR_NULL(pek)) {
		crypto_free_skcipher(tfm);
		crypto_unregister_skcipher(&full_sk);
		KUNIT_ASSERT_FAILURE(test, "no PEK");
	}
	KUNIT_EXPECT_EQ(test, crypto_skcipher_setkey(tfm, key, sizeof(key)), 0);
	crypto_free_skcipher(pek->tfm);
	pek->tfm = tfm;
	expect_refused(test, pek, false, -ENOSPC);
	expect_refused(test, pek, false, -EBUSY);
	pc5sec_pek_put(pek);
	rcu_barrier();
	crypto_unregister_skcipher(&full_sk);
}

static struct kunit_case queue_cases[] = {
	KUNIT_CASE(queue_full_aead),
	KUNIT_CASE(queue_full_eea2),
	{}
};

static struct kunit_suite queue_suite = {
	.name = "pc5sec-crypto-queue",
	.suite_init = pc5sec_test_suite_init,
	.suite_exit = pc5sec_test_suite_exit,
	.test_cases = queue_cases,
};

kunit_test_suite(queue_suite);
