// SPDX-License-Identifier: GPL-2.0
/* What several of pc5sec's KUnit suites share. */
#include <linux/completion.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/workqueue.h>

#include "kunit_util.h"
#include "compat.h"
#include "pc5sec.h"
#include "cipher.h"

const u8 pc5sec_test_key_seq[32] = {
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
	0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
	0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
	0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
};

/* Suites run one at a time: no lock. */
static struct workqueue_struct *own_wq, *own_crypt_wq;

int pc5sec_test_suite_init(struct kunit_suite *suite)
{
	if (pc5sec_wq)
		return 0;
	own_wq = alloc_workqueue("pc5sec-test", WQ_UNBOUND, 0);
	if (!own_wq)
		return -ENOMEM;
	/* As main.c makes it: the parallel path's per-CPU workers. */
	own_crypt_wq = alloc_workqueue("pc5sec-test-crypt",
				       WQ_CPU_INTENSIVE | WQ_MEM_RECLAIM, 0);
	if (!own_crypt_wq) {
		destroy_workqueue(own_wq);
		own_wq = NULL;
		return -ENOMEM;
	}
	pc5sec_wq = own_wq;
	pc5sec_crypt_wq = own_crypt_wq;
	return 0;
}

void pc5sec_test_suite_exit(struct kunit_suite *suite)
{
	/* PGK and PEK frees are call_rcu, which may queue the next level. */
	rcu_barrier();
	rcu_barrier();
	flush_workqueue(pc5sec_wq);
	if (own_wq) {
		destroy_workqueue(own_crypt_wq);
		destroy_workqueue(own_wq);
		pc5sec_crypt_wq = NULL;
		pc5sec_wq = NULL;
		own_crypt_wq = NULL;
		own_wq = NULL;
	}
}

/* A linear skb: the 12-octet @hdr, then @len octets of @data. */
struct sk_buff *pc5sec_test_skb(struct kunit *test, const u8 *hdr,
				const u8 *data, unsigned int len)
{
	struct sk_buff *skb = alloc_skb(PC5SEC_HDR_LEN + len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_put_data(skb, hdr, PC5SEC_HDR_LEN);
	skb_put_data(skb, data, len);
	return skb;
}

/*
 * The header and @lin Data octets in the linear part, the rest of the
 * @len octets of @data in two page fragments at odd offsets.
 */
struct sk_buff *pc5sec_test_frag_skb(struct kunit *test, const u8 *hdr,
				     const u8 *data, unsigned int len,
				     unsigned int lin)
{
	unsigned int half = (len - lin) / 2, i, off, n;
	struct sk_buff *skb;
	struct page *page;

	skb = pc5sec_test_skb(test, hdr, data, lin);
	for (i = 0, off = lin; i < 2; i++, off += n) {
		n = i ? len - off : half;
		page = alloc_page(GFP_KERNEL);
		if (!page) {
			kfree_skb(skb);
			KUNIT_ASSERT_FAILURE(test, "no page");
		}
		memcpy(page_address(page) + 100 + i, data + off, n);
		skb_add_rx_frag(skb, i, page, 100 + i, n, PAGE_SIZE);
	}
	KUNIT_EXPECT_EQ(test, skb_shinfo(skb)->nr_frags, 2);
	KUNIT_EXPECT_EQ(test, skb->len, PC5SEC_HDR_LEN + len);
	return skb;
}

/* The one request in flight; suites run one case at a time. */
static unsigned int crypt_calls;
static int crypt_err;
static DECLARE_COMPLETION(crypt_comp);

static void crypt_done(struct sk_buff *skb, int err)
{
	crypt_calls++;
	crypt_err = err;
	complete(&crypt_comp);
}

/*
 * pc5sec_crypt() over the Data field, waiting for an asynchronous
 * completion: returns what the cipher said (0, -EBADMSG, ...). A result
 * returned directly comes without a callback; -EINPROGRESS is followed by
 * exactly one, and the request memory is gone by then. @async, if given,
 * says which of the two it was.
 */
int pc5sec_test_crypt(struct kunit *test, struct sk_buff *skb, bool encrypt,
		      struct pc5sec_pek *pek, u32 count, bool *async)
{
	int err;

	reinit_completion(&crypt_comp);
	crypt_calls = 0;
	crypt_err = 1;
	err = pc5sec_crypt(skb, PC5SEC_HDR_LEN, encrypt, pek, count,
			   crypt_done);
	if (async)
		*async = err == -EINPROGRESS;
	if (err == -EINPROGRESS) {
		KUNIT_ASSERT_GT(test,
				wait_for_completion_timeout(&crypt_comp,
							    10 * HZ), 0UL);
		KUNIT_EXPECT_EQ(test, crypt_calls, 1U);
		KUNIT_EXPECT_NULL(test, pc5sec_cb(skb)->req_mem);
		return crypt_err;
	}
	KUNIT_EXPECT_EQ(test, crypt_calls, 0U);
	return err;
}
