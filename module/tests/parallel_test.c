// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the parallel path (parallel.c). Whatever order the ciphers of
 * queued packets finish in, the queue finishes them in the order they
 * were submitted, each exactly once and with its own result; a packet
 * whose cipher is done waits behind an earlier one that is not; a full
 * queue refuses the next packet and leaves it to the caller; the
 * counters (tx_queued, tx_queue_full) say exactly that; every online CPU
 * ciphers in turn, the submitting one too.
 *
 * The engine that finishes out of order is a test double: an
 * asynchronous AEAD, registered here under a name of its own, that holds
 * every request until the test completes it, in the order the test picks
 * (as a hardware engine, or cryptd on a busy CPU, may finish them). The
 * PEK's real transform is swapped for it, as queue_test.c does. The last
 * case runs the real gcm(aes) through the workers instead, and deciphers
 * what came out.
 */
#include <kunit/test.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/etherdevice.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/sched.h>
#include <linux/skbuff.h>
#include <crypto/aead.h>
#include <crypto/internal/aead.h>
#include <linux/pc5sec.h>

#include "compat.h"
#include "cipher.h"
#include "frame.h"
#include "parallel.h"
#include "pc5sec.h"
#include "kunit_util.h"

/* The held requests, in the order the workers submitted them. */
struct held_req {
	struct list_head list;		/* on held, under held_lock */
	struct aead_request *req;
	int cpu;			/* the worker's, which ciphered it */
};

static LIST_HEAD(held);
static DEFINE_SPINLOCK(held_lock);	/* held, n_held; BH: from the workers */
static unsigned int n_held;

static int held_init(struct crypto_aead *tfm)
{
	crypto_aead_set_reqsize(tfm, sizeof(struct held_req));
	return 0;
}

static int held_setkey(struct crypto_aead *tfm, const u8 *key,
		       unsigned int len)
{
	return 0;
}

static int held_setauthsize(struct crypto_aead *tfm, unsigned int len)
{
	return 0;
}

static int held_crypt(struct aead_request *req)
{
	struct held_req *hr = aead_request_ctx(req);

	hr->req = req;
	hr->cpu = raw_smp_processor_id();
	spin_lock_bh(&held_lock);
	list_add_tail(&hr->list, &held);
	n_held++;
	spin_unlock_bh(&held_lock);
	return -EINPROGRESS;
}

static struct aead_alg held_aead = {
	.init = held_init,
	.setkey = held_setkey,
	.setauthsize = held_setauthsize,
	.encrypt = held_crypt,
	.decrypt = held_crypt,
	.ivsize = 12,
	.maxauthsize = PC5SEC_TAG_LEN,
	.base = {
		.cra_name = "pc5sec-kunit-held-aead",
		.cra_driver_name = "pc5sec-kunit-held-aead",
		.cra_priority = 1,
		.cra_flags = CRYPTO_ALG_ASYNC,
		.cra_blocksize = 1,
		.cra_ctxsize = 0,
		.cra_module = THIS_MODULE,
	},
};

/* Completes a held request, as an engine's completion would: BH off. */
static void held_complete(struct aead_request *req, int err)
{
	local_bh_disable();
	aead_request_complete(req, err);
	local_bh_enable();
}

/* Waits until @n requests are held (the workers got that far). */
static bool wait_held(unsigned int n)
{
	int i;

	for (i = 0; i < 500; i++) {	/* 10 s */
		spin_lock_bh(&held_lock);
		if (n_held >= n) {
			spin_unlock_bh(&held_lock);
			return true;
		}
		spin_unlock_bh(&held_lock);
		msleep(20);
	}
	return false;
}

/* Takes the held request of @skb off the list; NULL if it is not held. */
static struct aead_request *take_held(struct sk_buff *skb)
{
	struct aead_request *req = NULL;
	struct held_req *hr;

	spin_lock_bh(&held_lock);
	list_for_each_entry(hr, &held, list) {
		if (hr->req->base.data == skb) {
			list_del(&hr->list);
			n_held--;
			req = hr->req;
			break;
		}
	}
	spin_unlock_bh(&held_lock);
	return req;
}

/* Completes whatever is still held with @err: a failed case's way out. */
static void release_held(int err)
{
	struct held_req *hr;

	for (;;) {
		spin_lock_bh(&held_lock);
		hr = list_first_entry_or_null(&held, struct held_req, list);
		if (hr) {
			list_del(&hr->list);
			n_held--;
		}
		spin_unlock_bh(&held_lock);
		if (!hr)
			return;
		held_complete(hr->req, err);
	}
}

/*
 * What the queue finished, in the order it did: written by the one
 * drainer at a time (parallel.c's @draining), read by the case after
 * @all_finished, or after a flush of the workers.
 */
static struct sk_buff *finished[PC5SEC_QUEUE_MAX];
static int finished_state[PC5SEC_QUEUE_MAX];
static unsigned int n_finished, want_finished;
static DECLARE_COMPLETION(all_finished);
static struct pc5sec_queue *test_q;

static void record_finish(struct sk_buff *skb, int err)
{
	unsigned int n = READ_ONCE(n_finished);

	if (n < ARRAY_SIZE(finished)) {
		finished[n] = skb;
		finished_state[n] = err;
	}
	WRITE_ONCE(n_finished, n + 1);
	if (n + 1 == want_finished)
		complete(&all_finished);
}

static void record_crypt_done(struct sk_buff *skb, int err)
{
	pc5sec_queue_crypt_done(test_q, skb, err);
}

static const u8 hdr[PC5SEC_HDR_LEN] = {
	0x10, 0x00, 0x00, 0x01, 0x00, 0x00, 0x42, 0x01,
	0x00, 0x07, 0x00, 0x01,
};

/* One link's queue, and the PEK and device its packets hold. */
struct fixture {
	struct net_device *dev;
	struct pc5sec_queue q;
	struct pc5sec_pek *pek;
	struct sk_buff **skbs;
	unsigned int n;
};

/* Not on the stack: the queue's work items may not be (debugobjects). */
static struct fixture *fixture_init(struct kunit *test, bool hold,
				    unsigned int n)
{
	struct fixture *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	static const u8 key[16];
	struct crypto_aead *tfm;

	KUNIT_ASSERT_NOT_NULL(test, f);
	f->n = n;
	f->skbs = kunit_kcalloc(test, n, sizeof(*f->skbs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f->skbs);
	/* Never registered: the packets only hold it (dev_hold). */
	f->dev = alloc_netdev(0, "pc5ktest", NET_NAME_UNKNOWN, ether_setup);
	KUNIT_ASSERT_NOT_NULL(test, f->dev);
	f->pek = pc5sec_pek_new_raw(PC5SEC_CIPHER_AES_GCM_128, key,
				    sizeof(key), 7);
	if (IS_ERR_OR_NULL(f->pek)) {
		free_netdev(f->dev);
		KUNIT_ASSERT_FAILURE(test, "no PEK");
	}
	if (hold) {
		tfm = crypto_alloc_aead("pc5sec-kunit-held-aead", 0, 0);
		if (IS_ERR(tfm)) {
			pc5sec_pek_put(f->pek);
			free_netdev(f->dev);
			KUNIT_ASSERT_FAILURE(test, "no transform: %ld",
					     PTR_ERR(tfm));
		}
		/* Else the crypto API answers -ENOKEY, never the double. */
		KUNIT_EXPECT_EQ(test, crypto_aead_setkey(tfm, key, sizeof(key)),
				0);
		KUNIT_EXPECT_EQ(test, crypto_aead_setauthsize(tfm,
							      PC5SEC_TAG_LEN),
				0);
		crypto_free_aead(f->pek->aead);
		f->pek->aead = tfm;
	}
	KUNIT_ASSERT_EQ(test, pc5sec_queue_init(&f->q, true, record_finish,
						record_crypt_done), 0);
	test_q = &f->q;
	n_finished = 0;
	want_finished = n;
	reinit_completion(&all_finished);
	return f;
}

/* Packet @i: the header, then @len octets of the value @i, COUNT @i. */
static struct sk_buff *packet(struct kunit *test, struct fixture *f,
			      unsigned int i, unsigned int len)
{
	u8 *data = kunit_kmalloc(test, len, GFP_KERNEL);
	struct sk_buff *skb;

	KUNIT_ASSERT_NOT_NULL(test, data);
	memset(data, i, len);
	skb = pc5sec_test_skb(test, hdr, data, len);
	pc5sec_cb(skb)->pek = f->pek;	/* the fixture's reference */
	pc5sec_cb(skb)->count = i;
	skb->dev = f->dev;
	return skb;
}

static int submit(struct pc5sec_queue *q, struct sk_buff *skb)
{
	int err;

	local_bh_disable();	/* as from ndo_start_xmit or a softirq */
	err = pc5sec_queue_submit(q, skb);
	local_bh_enable();
	return err;
}

/* Every packet finished once, in submission order; false if not all did. */
static bool expect_in_order(struct kunit *test, struct fixture *f)
{
	unsigned int i;

	if (!wait_for_completion_timeout(&all_finished, 10 * HZ)) {
		KUNIT_FAIL(test, "finished %u of %u", READ_ONCE(n_finished),
			   f->n);
		return false;
	}
	flush_workqueue(pc5sec_crypt_wq);
	/* A NAPI poll lets its packets go once it completes, in a softirq. */
	for (i = 0; i < 1000 && atomic_read(&f->q.inflight); i++)
		usleep_range(1000, 2000);
	KUNIT_EXPECT_EQ(test, READ_ONCE(n_finished), f->n);
	for (i = 0; i < f->n; i++)
		KUNIT_EXPECT_PTR_EQ_MSG(test, finished[i], f->skbs[i],
					"finished #%u", i);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->q.inflight), 0);
	KUNIT_EXPECT_TRUE(test, skb_queue_empty(&f->q.order));
	return true;
}

/* The link's tx_queued and tx_queue_full, as stats.c reads them. */
static void expect_counts(struct kunit *test, struct fixture *f, u64 queued,
			  u64 full)
{
	u64 q, fl;

	pc5sec_queue_counts(&f->q, &q, &fl);
	KUNIT_EXPECT_EQ(test, q, queued);
	KUNIT_EXPECT_EQ(test, fl, full);
}

/*
 * Also a failed case's way out: whatever is still held completes with an
 * error and the queue drains before it goes, or the queue's work items
 * would outlive the case's memory.
 */
static void fixture_exit(struct fixture *f)
{
	unsigned int i;

	for (i = 0; i < 500 && atomic_read(&f->q.inflight); i++) {
		release_held(-EIO);
		flush_workqueue(pc5sec_crypt_wq);
		if (atomic_read(&f->q.inflight))
			msleep(20);
	}
	flush_workqueue(pc5sec_crypt_wq);
	pc5sec_queue_free(&f->q);
	test_q = NULL;
	for (i = 0; i < f->n; i++)
		kfree_skb(f->skbs[i]);
	pc5sec_pek_put(f->pek);
	free_netdev(f->dev);
}

#define N_ORDER 16

/*
 * Packets completed in the reverse of their submission: none finishes
 * before the first one's cipher is done, then all do, in submission
 * order, each with the result its own cipher gave.
 */
static void parallel_reverse_completion(struct kunit *test)
{
	struct aead_request *req;
	struct fixture *f;
	unsigned int i;

	f = fixture_init(test, true, N_ORDER);
	for (i = 0; i < N_ORDER; i++) {
		f->skbs[i] = packet(test, f, i, 40);
		KUNIT_EXPECT_EQ(test, submit(&f->q, f->skbs[i]), -EINPROGRESS);
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&f->q.inflight), N_ORDER);
	expect_counts(test, f, N_ORDER, 0);
	if (!wait_held(N_ORDER)) {
		KUNIT_FAIL(test, "the workers held %u of %u", n_held, N_ORDER);
		goto out;
	}

	/* Every third fails (a tag that did not verify, on RX). */
	for (i = N_ORDER - 1; i > 0; i--) {
		req = take_held(f->skbs[i]);
		if (!req) {
			KUNIT_FAIL(test, "packet %u not held", i);
			goto out;
		}
		held_complete(req, i % 3 == 1 ? -EBADMSG : 0);
	}
	flush_workqueue(pc5sec_crypt_wq);
	KUNIT_EXPECT_EQ_MSG(test, READ_ONCE(n_finished), 0U,
			    "finished before the first packet's cipher was done");

	req = take_held(f->skbs[0]);
	if (!req) {
		KUNIT_FAIL(test, "packet 0 not held");
		goto out;
	}
	held_complete(req, 0);
	if (!expect_in_order(test, f))
		goto out;
	for (i = 0; i < N_ORDER; i++)
		KUNIT_EXPECT_EQ_MSG(test, finished_state[i],
				    i % 3 == 1 ? -EBADMSG : 0, "packet %u", i);
out:
	fixture_exit(f);
}

/*
 * PC5SEC_QUEUE_MAX packets whose ciphers all wait: the next one is
 * refused (-ENOBUFS) and stays the caller's, untouched; the queue is
 * then emptied in order and takes packets again.
 */
static void parallel_queue_full(struct kunit *test)
{
	struct sk_buff *extra;
	struct fixture *f;
	unsigned int i;

	f = fixture_init(test, true, PC5SEC_QUEUE_MAX);
	for (i = 0; i < PC5SEC_QUEUE_MAX; i++) {
		f->skbs[i] = packet(test, f, i, 40);
		KUNIT_EXPECT_EQ(test, submit(&f->q, f->skbs[i]), -EINPROGRESS);
	}
	extra = packet(test, f, 0xee, 40);
	KUNIT_EXPECT_EQ(test, submit(&f->q, extra), -ENOBUFS);
	expect_counts(test, f, PC5SEC_QUEUE_MAX, 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->q.inflight), PC5SEC_QUEUE_MAX);
	KUNIT_EXPECT_EQ(test, skb_queue_len(&f->q.order), PC5SEC_QUEUE_MAX);
	KUNIT_EXPECT_EQ(test, extra->len, PC5SEC_HDR_LEN + 40);
	KUNIT_EXPECT_NULL(test, extra->next);

	if (!wait_held(PC5SEC_QUEUE_MAX)) {
		KUNIT_FAIL(test, "the workers held %u of %u", n_held,
			   PC5SEC_QUEUE_MAX);
		goto out;
	}
	release_held(0);
	if (!expect_in_order(test, f))
		goto out;

	/* Room again: the refused packet goes in now. */
	want_finished = PC5SEC_QUEUE_MAX + 1;
	reinit_completion(&all_finished);
	/* The refused packet goes in now, behind the others. */
	KUNIT_EXPECT_EQ(test, submit(&f->q, extra), -EINPROGRESS);
	KUNIT_EXPECT_TRUE(test, wait_held(1));
	release_held(0);
	KUNIT_EXPECT_GT(test,
			wait_for_completion_timeout(&all_finished, 10 * HZ),
			0UL);
	expect_counts(test, f, PC5SEC_QUEUE_MAX + 1, 1);
out:
	fixture_exit(f);
	kfree_skb(extra);
}

/* Whether record_finish ran outside a softirq: a NAPI poll never does. */
static bool finished_in_task;

static void record_finish_napi(struct sk_buff *skb, int err)
{
	if (!in_serving_softirq())
		WRITE_ONCE(finished_in_task, true);
	record_finish(skb, err);
}

#define N_NAPI 9

/*
 * RX's queue, finished in a NAPI poll: held packets, then one whose
 * cipher is done already (pc5sec_queue_done(), rx_work's frame that
 * proved a new sender). It waits its turn behind the held ones, as the
 * sender's next frames must not overtake it (order.sh saw datagram 1
 * before 0 when rx_work delivered it itself); then all finish in order,
 * from the poll.
 */
static void parallel_napi_done_waits(struct kunit *test)
{
	struct fixture *f;
	unsigned int i;

	f = fixture_init(test, true, N_NAPI);
	pc5sec_queue_init_napi(&f->q, f->dev, record_finish_napi);
	finished_in_task = false;
	for (i = 0; i < N_NAPI - 1; i++) {
		f->skbs[i] = packet(test, f, i, 40);
		KUNIT_EXPECT_EQ(test, submit(&f->q, f->skbs[i]), -EINPROGRESS);
	}
	f->skbs[i] = packet(test, f, i, 40);
	KUNIT_EXPECT_EQ(test, pc5sec_queue_done(&f->q, f->skbs[i]),
			-EINPROGRESS);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->q.inflight), N_NAPI);
	/* Only what the workers ciphered counts as queued. */
	expect_counts(test, f, N_NAPI - 1, 0);
	if (!wait_held(N_NAPI - 1)) {
		KUNIT_FAIL(test, "the workers held %u of %u", n_held,
			   N_NAPI - 1);
		goto out;
	}
	flush_workqueue(pc5sec_crypt_wq);
	msleep(20);
	KUNIT_EXPECT_EQ_MSG(test, READ_ONCE(n_finished), 0U,
			    "finished before the held packets' ciphers were done");
	release_held(0);
	if (!expect_in_order(test, f))
		goto out;
	KUNIT_EXPECT_FALSE_MSG(test, READ_ONCE(finished_in_task),
			       "finished outside the NAPI poll");
out:
	fixture_exit(f);
}

/*
 * Which CPU's worker ciphers each packet: every online CPU in turn, the
 * submitting one included (parallel.c, next_cpu()). Leaving it out put
 * all of a direction's ciphering on the other CPU of two
 * (bench/README.md, "Every CPU in turn"). The case submits from one CPU,
 * one packet at a time with the workers flushed in between, so that the
 * worker it was given to ciphers it, not one still running: two rounds
 * over the CPUs give each CPU exactly two packets.
 */
static void parallel_every_cpu(struct kunit *test)
{
	unsigned int n = 2 * num_online_cpus(), i, *per_cpu_n;
	struct aead_request *req;
	struct fixture *f;
	int cpu, here;

	if (num_online_cpus() < 2)
		kunit_skip(test, "one CPU: nothing to spread over");
	per_cpu_n = kunit_kcalloc(test, nr_cpu_ids, sizeof(*per_cpu_n),
				  GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, per_cpu_n);
	here = cpumask_first(cpu_online_mask);
	KUNIT_ASSERT_EQ(test, set_cpus_allowed_ptr(current, cpumask_of(here)),
			0);
	f = fixture_init(test, true, n);
	for (i = 0; i < n; i++) {
		f->skbs[i] = packet(test, f, i, 40);
		KUNIT_EXPECT_EQ(test, submit(&f->q, f->skbs[i]), -EINPROGRESS);
		flush_workqueue(pc5sec_crypt_wq);
		req = take_held(f->skbs[i]);
		if (!req) {
			KUNIT_FAIL(test, "packet %u not held", i);
			goto out;
		}
		cpu = ((struct held_req *)aead_request_ctx(req))->cpu;
		per_cpu_n[cpu]++;
		held_complete(req, 0);
	}
	if (!expect_in_order(test, f))
		goto out;
	for_each_online_cpu(cpu)
		KUNIT_EXPECT_EQ_MSG(test, per_cpu_n[cpu], 2U,
				    "packets ciphered by CPU %d (%s)", cpu,
				    cpu == here ? "the submitting one" :
				    "another one");
out:
	set_cpus_allowed_ptr(current, cpu_possible_mask);
	fixture_exit(f);
}

#define N_REAL 64
#define REAL_LEN 300

/*
 * The kernel's own gcm(aes) on the workers: each packet comes out
 * ciphered under its own COUNT (it deciphers to what went in), and in
 * submission order.
 */
static void parallel_real_cipher(struct kunit *test)
{
	u8 *want = kunit_kmalloc(test, REAL_LEN, GFP_KERNEL);
	struct sk_buff *skb;
	struct fixture *f;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, want);
	f = fixture_init(test, false, N_REAL);
	for (i = 0; i < N_REAL; i++) {
		f->skbs[i] = packet(test, f, i, REAL_LEN);
		KUNIT_EXPECT_EQ(test, submit(&f->q, f->skbs[i]), -EINPROGRESS);
	}
	if (!expect_in_order(test, f))
		goto out;
	for (i = 0; i < N_REAL; i++) {
		skb = f->skbs[i];
		KUNIT_EXPECT_EQ(test, finished_state[i], 0);
		if (skb->len != PC5SEC_HDR_LEN + REAL_LEN + PC5SEC_TAG_LEN) {
			KUNIT_FAIL(test, "packet %u: %u octets", i, skb->len);
			continue;
		}
		memset(want, i, REAL_LEN);
		KUNIT_EXPECT_NE_MSG(test, memcmp(skb->data + PC5SEC_HDR_LEN,
						 want, REAL_LEN), 0,
				    "packet %u left in the clear", i);
		KUNIT_EXPECT_EQ_MSG(test, pc5sec_test_crypt(test, skb, false,
							    f->pek, i, NULL),
				    0, "packet %u under COUNT %u", i, i);
		KUNIT_EXPECT_EQ_MSG(test, memcmp(skb->data + PC5SEC_HDR_LEN,
						 want, REAL_LEN), 0,
				    "packet %u", i);
	}
out:
	fixture_exit(f);
}

static struct kunit_case parallel_cases[] = {
	KUNIT_CASE(parallel_reverse_completion),
	KUNIT_CASE(parallel_queue_full),
	KUNIT_CASE(parallel_real_cipher),
	KUNIT_CASE(parallel_napi_done_waits),
	KUNIT_CASE(parallel_every_cpu),
	{}
};

static int parallel_suite_init(struct kunit_suite *suite)
{
	int err = pc5sec_test_suite_init(suite);

	if (err)
		return err;
	err = crypto_register_aead(&held_aead);
	if (err)
		pc5sec_test_suite_exit(suite);
	return err;
}

static void parallel_suite_exit(struct kunit_suite *suite)
{
	/* The PEKs' transforms go after a grace period: the exit waits. */
	pc5sec_test_suite_exit(suite);
	crypto_unregister_aead(&held_aead);
}

static struct kunit_suite parallel_suite = {
	.name = "pc5sec-parallel",
	.suite_init = parallel_suite_init,
	.suite_exit = parallel_suite_exit,
	.test_cases = parallel_cases,
};

kunit_test_suite(parallel_suite);
