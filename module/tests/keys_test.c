// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the PGKs of a link. Which PGK sends (time, not-before, ties),
 * which one a PGK Index names on receipt, the states, refusals, the first
 * TX COUNT, the end of the COUNT space, and the TX PEKs by PTK Identity.
 *
 * The key streams of the TX PEKs were computed independently with Python
 * (hmac, hashlib and the cryptography package): PTK and PEK per TS 33.303
 * A.3/A.4 as in Documentation/testing.md, then AES-CTR over 16 zero octets
 * with the counter block COUNT || 12 zero octets.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/kernel.h>
#include <linux/etherdevice.h>
#include <linux/rcupdate.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <linux/pc5sec.h>

#include "compat.h"
#include "pc5sec.h"
#include "keys.h"
#include "senders.h"
#include "life.h"
#include "cipher.h"
#include "kunit_util.h"

#define NOW	10000

/*
 * PGK 00..1f, member 0x123456, group 0xabcdef, 128-EEA2: the first 16
 * octets of key stream of the PEK of @ptk_id at COUNT @ptk_id << 16.
 */
static const u8 ks_0102[16] = {
	0x64, 0x60, 0xe7, 0xfb, 0x5e, 0xee, 0xd7, 0x7c,
	0x73, 0xab, 0x44, 0xcb, 0xbf, 0x6a, 0x93, 0xe8,
};

static const u8 ks_0103[16] = {
	0xbc, 0xc5, 0xb7, 0x54, 0x7d, 0xb8, 0xc1, 0x75,
	0xd4, 0x89, 0xcb, 0x3e, 0xf1, 0xdc, 0xea, 0x5e,
};

static const u8 ks_ffff[16] = {
	0xf4, 0xd0, 0x24, 0xac, 0xd7, 0x02, 0x7e, 0xbf,
	0x66, 0xc3, 0x68, 0xec, 0x12, 0xbd, 0x82, 0x09,
};

static int keys_test_init(struct kunit *test)
{
	struct pc5sec_dev *pc = kunit_kzalloc(test, sizeof(*pc), GFP_KERNEL);

	if (!pc)
		return -ENOMEM;
	pc->group = 0xabcdef;
	pc->member = 0x123456;
	pc->cipher = PC5SEC_CIPHER_EEA2;
	pc->replay_window = 64;
	/* never registered: events find no listener in init_net */
	pc->dev = alloc_etherdev(0);
	if (!pc->dev)
		return -ENOMEM;
	test->priv = pc;
	pc5sec_keys_init(pc);
	pc5sec_senders_init(pc);
	pc5sec_life_init(pc);
	return pc5sec_rx_init(pc);
}

static void keys_test_exit(struct kunit *test)
{
	struct pc5sec_dev *pc = test->priv;

	if (!pc)
		return;
	pc5sec_rx_uninit(pc);
	pc5sec_queue_free(&pc->rxq);	/* the link's destructor does it */
	pc5sec_keys_uninit(pc);
	pc5sec_life_uninit(pc);
	KUNIT_EXPECT_TRUE(test, list_empty(&pc->pgks));
	/* PGK frees are call_rcu, which put PEKs: call_rcu, then work. */
	rcu_barrier();
	rcu_barrier();
	flush_workqueue(pc5sec_wq);
	free_netdev(pc->dev);
}

static int add(struct pc5sec_dev *pc, u8 id, time64_t nb, time64_t na,
	       u16 ptk_start)
{
	return pc5sec_pgk_add(pc, id, pc5sec_test_key_seq, nb, na, ptk_start, 0, NULL);
}

/* The installed PGK with @id; the tests never free one while using it. */
static struct pc5sec_pgk *pgk_by_id(struct kunit *test, u8 id)
{
	struct pc5sec_dev *pc = test->priv;
	struct pc5sec_pgk *pgk, *found = NULL;

	mutex_lock(&pc->key_lock);
	list_for_each_entry(pgk, &pc->pgks, list)
		if (pgk->id == id)
			found = pgk;
	mutex_unlock(&pc->key_lock);
	KUNIT_ASSERT_NOT_NULL_MSG(test, found, "PGK %u", id);
	return found;
}

static u8 tx_id(struct pc5sec_dev *pc, time64_t now)
{
	struct pc5sec_pgk *pgk;
	u8 id;

	rcu_read_lock();
	pgk = pc5sec_tx_pgk(pc, now);
	id = pgk ? pgk->id : 0;
	rcu_read_unlock();
	return id;
}

static u8 rx_id(struct pc5sec_dev *pc, u8 index, time64_t now)
{
	struct pc5sec_pgk *pgk;
	u8 id;

	rcu_read_lock();
	pgk = pc5sec_rx_pgk(pc, index, now);
	id = pgk ? pgk->id : 0;
	rcu_read_unlock();
	return id;
}

static enum pc5sec_key_state state(struct kunit *test, u8 id, time64_t now)
{
	struct pc5sec_pgk *pgk = pgk_by_id(test, id);
	enum pc5sec_key_state s;

	rcu_read_lock();
	s = pc5sec_pgk_state(test->priv, pgk, now);
	rcu_read_unlock();
	return s;
}

/*
 * Five PGKs (IDs are never 0 here, so 0 means none):
 *   1: no bounds
 *   2: [5000, 20000)
 *   3: [9000, 11000)
 *   4: [12000, -)
 *   5: [1000, 9500)
 */
static void add_five(struct kunit *test)
{
	struct pc5sec_dev *pc = test->priv;

	KUNIT_ASSERT_EQ(test, add(pc, 1, 0, 0, 0), 0);
	KUNIT_ASSERT_EQ(test, add(pc, 2, 5000, 20000, 0), 0);
	KUNIT_ASSERT_EQ(test, add(pc, 3, 9000, 11000, 0), 0);
	KUNIT_ASSERT_EQ(test, add(pc, 4, 12000, 0, 0), 0);
	KUNIT_ASSERT_EQ(test, add(pc, 5, 1000, 9500, 0), 0);
}

/* The valid PGK with the latest not-before sends; bounds are [nb, na). */
static void keys_tx_by_time(struct kunit *test)
{
	struct pc5sec_dev *pc = test->priv;

	KUNIT_EXPECT_EQ(test, tx_id(pc, NOW), 0);
	add_five(test);
	KUNIT_EXPECT_EQ(test, tx_id(pc, 0), 1);
	KUNIT_EXPECT_EQ(test, tx_id(pc, 999), 1);
	KUNIT_EXPECT_EQ(test, tx_id(pc, 1000), 5);
	KUNIT_EXPECT_EQ(test, tx_id(pc, 4999), 5);
	KUNIT_EXPECT_EQ(test, tx_id(pc, 5000), 2);
	KUNIT_EXPECT_EQ(test, tx_id(pc, 8999), 2);
	KUNIT_EXPECT_EQ(test, tx_id(pc, 9000), 3);
	KUNIT_EXPECT_EQ(test, tx_id(pc, NOW), 3);
	KUNIT_EXPECT_EQ(test, tx_id(pc, 10999), 3);
	KUNIT_EXPECT_EQ(test, tx_id(pc, 11000), 2);
	KUNIT_EXPECT_EQ(test, tx_id(pc, 11999), 2);
	KUNIT_EXPECT_EQ(test, tx_id(pc, 12000), 4);
	KUNIT_EXPECT_EQ(test, tx_id(pc, 20000), 4);
	KUNIT_EXPECT_EQ(test, tx_id(pc, S64_MAX), 4);
}

static void keys_states(struct kunit *test)
{
	add_five(test);
	KUNIT_EXPECT_EQ(test, state(test, 1, NOW), PC5SEC_KEY_STATE_VALID);
	KUNIT_EXPECT_EQ(test, state(test, 2, NOW), PC5SEC_KEY_STATE_VALID);
	KUNIT_EXPECT_EQ(test, state(test, 3, NOW), PC5SEC_KEY_STATE_ACTIVE);
	KUNIT_EXPECT_EQ(test, state(test, 4, NOW), PC5SEC_KEY_STATE_PENDING);
	KUNIT_EXPECT_EQ(test, state(test, 5, NOW), PC5SEC_KEY_STATE_EXPIRED);

	/* At the edges: not-before is valid, not-after is expired. */
	KUNIT_EXPECT_EQ(test, state(test, 3, 8999), PC5SEC_KEY_STATE_PENDING);
	KUNIT_EXPECT_EQ(test, state(test, 3, 9000), PC5SEC_KEY_STATE_ACTIVE);
	KUNIT_EXPECT_EQ(test, state(test, 3, 11000), PC5SEC_KEY_STATE_EXPIRED);
	KUNIT_EXPECT_EQ(test, state(test, 2, 11000), PC5SEC_KEY_STATE_ACTIVE);
	KUNIT_EXPECT_EQ(test, state(test, 5, 9499), PC5SEC_KEY_STATE_VALID);
	KUNIT_EXPECT_EQ(test, state(test, 5, 1000), PC5SEC_KEY_STATE_ACTIVE);
	KUNIT_EXPECT_EQ(test, state(test, 1, 0), PC5SEC_KEY_STATE_ACTIVE);
	KUNIT_EXPECT_EQ(test, state(test, 1, S64_MAX), PC5SEC_KEY_STATE_VALID);
	KUNIT_EXPECT_EQ(test, state(test, 4, 12000), PC5SEC_KEY_STATE_ACTIVE);

	KUNIT_EXPECT_TRUE(test, pc5sec_pgk_valid(pgk_by_id(test, 1), 0));
	KUNIT_EXPECT_TRUE(test, pc5sec_pgk_valid(pgk_by_id(test, 3), 9000));
	KUNIT_EXPECT_FALSE(test, pc5sec_pgk_valid(pgk_by_id(test, 3), 11000));
	KUNIT_EXPECT_FALSE(test, pc5sec_pgk_valid(pgk_by_id(test, 4), NOW));
}

/* Equal not-before: the one installed last; otherwise never by order. */
static void keys_tx_tie(struct kunit *test)
{
	struct pc5sec_dev *pc = test->priv;

	KUNIT_ASSERT_EQ(test, add(pc, 10, 0, 0, 0), 0);
	KUNIT_ASSERT_EQ(test, add(pc, 11, 0, 0, 0), 0);
	KUNIT_EXPECT_EQ(test, tx_id(pc, NOW), 11);
	KUNIT_EXPECT_EQ(test, state(test, 10, NOW), PC5SEC_KEY_STATE_VALID);
	KUNIT_EXPECT_EQ(test, state(test, 11, NOW), PC5SEC_KEY_STATE_ACTIVE);
	KUNIT_ASSERT_EQ(test, add(pc, 12, 5000, 0, 0), 0);
	KUNIT_ASSERT_EQ(test, add(pc, 13, 5000, 0, 0), 0);
	KUNIT_EXPECT_EQ(test, tx_id(pc, NOW), 13);
	/* Installed later but older: does not send. */
	KUNIT_ASSERT_EQ(test, add(pc, 14, 4000, 0, 0), 0);
	KUNIT_EXPECT_EQ(test, tx_id(pc, NOW), 13);
	KUNIT_ASSERT_EQ(test, add(pc, 15, 5000, 0, 0), 0);
	KUNIT_EXPECT_EQ(test, tx_id(pc, NOW), 15);
	KUNIT_EXPECT_EQ(test, tx_id(pc, 4500), 14);
	/* Deleting the sender falls back to the tie's other member. */
	KUNIT_EXPECT_EQ(test, pc5sec_pgk_del(pc, 15, PC5SEC_REMOVED_DELETED), 0);
	KUNIT_EXPECT_EQ(test, tx_id(pc, NOW), 13);
	KUNIT_EXPECT_EQ(test, pc5sec_pgk_del(pc, 15, PC5SEC_REMOVED_DELETED), -ENOENT);
}

/* RX finds a PGK by its 5-bit index, only while it is valid. */
static void keys_rx_by_index(struct kunit *test)
{
	struct pc5sec_dev *pc = test->priv;

	KUNIT_EXPECT_EQ(test, rx_id(pc, 5, NOW), 0);
	KUNIT_ASSERT_EQ(test, add(pc, 0x25, 9000, 11000, 0), 0);
	KUNIT_ASSERT_EQ(test, add(pc, 0xff, 0, 0, 0), 0);
	KUNIT_ASSERT_EQ(test, add(pc, 0x40, 12000, 0, 0), 0);
	KUNIT_EXPECT_EQ(test, rx_id(pc, 5, NOW), 0x25);
	KUNIT_EXPECT_EQ(test, rx_id(pc, 5, 9000), 0x25);
	KUNIT_EXPECT_EQ(test, rx_id(pc, 5, 8999), 0);
	KUNIT_EXPECT_EQ(test, rx_id(pc, 5, 11000), 0);
	KUNIT_EXPECT_EQ(test, rx_id(pc, 31, NOW), 0xff);
	KUNIT_EXPECT_EQ(test, rx_id(pc, 31, 0), 0xff);
	KUNIT_EXPECT_EQ(test, rx_id(pc, 0, NOW), 0);
	KUNIT_EXPECT_EQ(test, rx_id(pc, 0, 12000), 0x40);
	KUNIT_EXPECT_EQ(test, rx_id(pc, 6, NOW), 0);
	KUNIT_EXPECT_EQ(test, rx_id(pc, 0x25 & 0x1f, NOW), 0x25);
	/* A valid but not sending PGK receives too. */
	KUNIT_EXPECT_EQ(test, state(test, 0x25, NOW), PC5SEC_KEY_STATE_ACTIVE);
	KUNIT_EXPECT_EQ(test, state(test, 0xff, NOW), PC5SEC_KEY_STATE_VALID);
}

/*
 * A sender whose clock runs a little ahead moves to a new PGK early: the
 * receiver takes it rx_skew seconds before its not-before (and never past
 * its not-after); TX, on its own clock, does not move early.
 */
static void keys_rx_skew(struct kunit *test)
{
	struct pc5sec_dev *pc = test->priv;

	KUNIT_ASSERT_EQ(test, add(pc, 0x25, 9000, 11000, 0), 0);
	KUNIT_EXPECT_EQ(test, rx_id(pc, 5, 8999), 0);
	pc->rx_skew = 5;
	KUNIT_EXPECT_EQ(test, rx_id(pc, 5, 8995), 0x25);
	KUNIT_EXPECT_EQ(test, rx_id(pc, 5, 8994), 0);
	KUNIT_EXPECT_EQ(test, rx_id(pc, 5, 10999), 0x25);
	KUNIT_EXPECT_EQ(test, rx_id(pc, 5, 11000), 0);
	KUNIT_EXPECT_EQ(test, tx_id(pc, 8995), 0);
}

/* A duplicate ID or a colliding PGK Index is refused; nothing changes. */
static void keys_refused(struct kunit *test)
{
	struct pc5sec_dev *pc = test->priv;
	unsigned int gen;

	KUNIT_ASSERT_EQ(test, add(pc, 0x25, 0, 0, 0), 0);
	KUNIT_ASSERT_EQ(test, add(pc, 0x26, 0, 0, 0), 0);
	gen = pc->keys_gen;
	KUNIT_EXPECT_EQ(test, add(pc, 0x25, 0, 0, 0), -EEXIST);
	KUNIT_EXPECT_EQ(test, add(pc, 0x05, 0, 0, 0), -EEXIST);
	KUNIT_EXPECT_EQ(test, add(pc, 0x45, 100, 200, 7), -EEXIST);
	KUNIT_EXPECT_EQ(test, add(pc, 0xe6, 0, 0, 0), -EEXIST);
	KUNIT_EXPECT_EQ(test, pc->keys_gen, gen);
	KUNIT_EXPECT_EQ(test, list_count_nodes(&pc->pgks), 2U);
	KUNIT_EXPECT_EQ(test, tx_id(pc, NOW), 0x26);
	/* After deleting 0x25, index 5 is free again. */
	KUNIT_EXPECT_EQ(test, pc5sec_pgk_del(pc, 0x25, PC5SEC_REMOVED_DELETED), 0);
	KUNIT_EXPECT_EQ(test, add(pc, 0x45, 0, 0, 0), 0);
	KUNIT_EXPECT_EQ(test, rx_id(pc, 5, NOW), 0x45);
}

/* The first TX COUNT is ptk_start << 16. */
static void keys_ptk_start(struct kunit *test)
{
	struct pc5sec_dev *pc = test->priv;

	KUNIT_ASSERT_EQ(test, add(pc, 1, 0, 0, 0), 0);
	KUNIT_ASSERT_EQ(test, add(pc, 2, 0, 0, 0x0102), 0);
	KUNIT_ASSERT_EQ(test, add(pc, 3, 0, 0, 0x8000), 0);
	KUNIT_ASSERT_EQ(test, add(pc, 4, 0, 0, 0xffff), 0);
	KUNIT_EXPECT_EQ(test, atomic64_read(&pgk_by_id(test, 1)->tx_count),
			0LL);
	KUNIT_EXPECT_EQ(test, atomic64_read(&pgk_by_id(test, 2)->tx_count),
			0x01020000LL);
	KUNIT_EXPECT_EQ(test, atomic64_read(&pgk_by_id(test, 3)->tx_count),
			0x80000000LL);
	KUNIT_EXPECT_EQ(test, atomic64_read(&pgk_by_id(test, 4)->tx_count),
			0xffff0000LL);
}

/*
 * A PTK limit holds TX back from a PGK (TX falls back to another valid
 * one) until it is raised; it is refused below ptk-start or past 65536.
 */
static void keys_ptk_limit(struct kunit *test)
{
	struct pc5sec_dev *pc = test->priv;
	struct pc5sec_pgk *pgk;

	KUNIT_EXPECT_EQ(test, pc5sec_pgk_add(pc, 1, pc5sec_test_key_seq, 100, 0, 2, 2,
					     NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, pc5sec_pgk_add(pc, 1, pc5sec_test_key_seq, 100, 0, 2,
					     0x10001, NULL), -EINVAL);
	KUNIT_EXPECT_TRUE(test, list_empty(&pc->pgks));
	KUNIT_ASSERT_EQ(test, add(pc, 2, 0, 0, 0), 0);
	KUNIT_ASSERT_EQ(test, pc5sec_pgk_add(pc, 1, pc5sec_test_key_seq, 100, 0, 2, 3,
					     NULL), 0);
	pgk = pgk_by_id(test, 1);
	KUNIT_EXPECT_EQ(test, pgk->ptk_limit, 3U);
	KUNIT_EXPECT_EQ(test, tx_id(pc, NOW), 1);

	/* the last COUNT below the limit is still usable */
	atomic64_set(&pgk->tx_count, (3 << 16) - 1);
	KUNIT_EXPECT_EQ(test, tx_id(pc, NOW), 1);
	atomic64_set(&pgk->tx_count, 3 << 16);
	KUNIT_EXPECT_EQ(test, tx_id(pc, NOW), 2);
	KUNIT_EXPECT_EQ(test, state(test, 1, NOW), PC5SEC_KEY_STATE_VALID);
	KUNIT_EXPECT_EQ(test, state(test, 2, NOW), PC5SEC_KEY_STATE_ACTIVE);

	KUNIT_EXPECT_EQ(test, pc5sec_pgk_set_limit(pc, 9, 4), -ENOENT);
	KUNIT_EXPECT_EQ(test, pc5sec_pgk_set_limit(pc, 1, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, pc5sec_pgk_set_limit(pc, 1, 0x10001), -EINVAL);
	KUNIT_EXPECT_EQ(test, tx_id(pc, NOW), 2);
	KUNIT_EXPECT_EQ(test, pc5sec_pgk_set_limit(pc, 1, 4), 0);
	KUNIT_EXPECT_EQ(test, tx_id(pc, NOW), 1);
	/* lowered below what TX used: TX stops at once */
	KUNIT_EXPECT_EQ(test, pc5sec_pgk_set_limit(pc, 1, 3), 0);
	KUNIT_EXPECT_EQ(test, tx_id(pc, NOW), 2);
	/* 65536: every PTK Identity, up to exhaustion */
	KUNIT_EXPECT_EQ(test, pc5sec_pgk_set_limit(pc, 1, 0x10000), 0);
	atomic64_set(&pgk->tx_count, PC5SEC_COUNT_MAX);
	KUNIT_EXPECT_EQ(test, tx_id(pc, NOW), 1);
	atomic64_set(&pgk->tx_count, (u64)PC5SEC_COUNT_MAX + 1);
	KUNIT_EXPECT_EQ(test, tx_id(pc, NOW), 2);
	KUNIT_EXPECT_EQ(test, state(test, 1, NOW), PC5SEC_KEY_STATE_EXHAUSTED);
}

static struct pc5sec_pek *tx_pek_get(struct kunit *test, u8 id, u16 ptk_id)
{
	struct pc5sec_pgk *pgk = pgk_by_id(test, id);
	struct pc5sec_pek *pek;

	rcu_read_lock();
	pek = pc5sec_pek_get(pgk->tx_pek, ptk_id);
	rcu_read_unlock();
	return pek;
}

static DECLARE_COMPLETION(keys_crypt_comp);
static int keys_crypt_err;

static void keys_crypt_done(struct sk_buff *skb, int err)
{
	keys_crypt_err = err;
	complete(&keys_crypt_comp);
}

/*
 * The first 16 octets of key stream of @pek at COUNT @ptk_id << 16 into
 * @out. The transform may be asynchronous (after pc5sec-eea2 registered
 * cryptd's ctr(aes)).
 */
static int key_stream(struct kunit *test, struct pc5sec_pek *pek, u8 *out)
{
	static const u8 zero[PC5SEC_HDR_LEN + 16];
	struct sk_buff *skb;
	int err;

	skb = alloc_skb(sizeof(zero), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_put_data(skb, zero, sizeof(zero));
	reinit_completion(&keys_crypt_comp);
	err = pc5sec_crypt(skb, PC5SEC_HDR_LEN, true, pek,
			   (u32)pek->ptk_id << 16, keys_crypt_done);
	if (err == -EINPROGRESS) {
		if (wait_for_completion_timeout(&keys_crypt_comp, 10 * HZ))
			err = keys_crypt_err;
		else
			KUNIT_FAIL(test, "no completion");
	}
	KUNIT_EXPECT_EQ(test, err, 0);
	memcpy(out, skb->data + PC5SEC_HDR_LEN, 16);
	kfree_skb(skb);
	return err;
}

static void expect_key_stream(struct kunit *test, struct pc5sec_pek *pek,
			      const u8 *want)
{
	u8 ks[16];

	if (!key_stream(test, pek, ks))
		KUNIT_EXPECT_MEMEQ(test, ks, want, sizeof(ks));
}

static void expect_key_stream_differs(struct kunit *test,
				      struct pc5sec_pek *pek, const u8 *other)
{
	u8 ks[16];

	if (!key_stream(test, pek, ks))
		KUNIT_EXPECT_MEMNEQ(test, ks, other, sizeof(ks));
}

/*
 * pgk_add derives the TX PEKs of the first PTK and of the next one, with
 * the link's own member and group; pc5sec_pek_get returns one only for
 * the matching PTK Identity, with a reference.
 */
static void keys_pek_get(struct kunit *test)
{
	struct pc5sec_dev *pc = test->priv;
	struct pc5sec_pek *pek;
	unsigned int refs;

	KUNIT_ASSERT_EQ(test, add(pc, 7, 0, 0, 0x0102), 0);
	pek = tx_pek_get(test, 7, 0x0102);
	KUNIT_ASSERT_NOT_NULL(test, pek);
	KUNIT_EXPECT_EQ(test, pek->ptk_id, 0x0102);
	refs = refcount_read(&pek->refs);
	KUNIT_EXPECT_EQ(test, refs, 2U);
	expect_key_stream(test, pek, ks_0102);
	pc5sec_pek_put(pek);

	pek = tx_pek_get(test, 7, 0x0103);
	KUNIT_ASSERT_NOT_NULL(test, pek);
	KUNIT_EXPECT_EQ(test, pek->ptk_id, 0x0103);
	expect_key_stream(test, pek, ks_0103);
	pc5sec_pek_put(pek);

	/* Same slot, other PTK Identity: not this PEK. */
	KUNIT_EXPECT_NULL(test, tx_pek_get(test, 7, 0x0101));
	KUNIT_EXPECT_NULL(test, tx_pek_get(test, 7, 0x0104));
	KUNIT_EXPECT_NULL(test, tx_pek_get(test, 7, 0x8102));
	KUNIT_EXPECT_NULL(test, tx_pek_get(test, 7, 0));

	/* The reference taken was dropped again. */
	pek = tx_pek_get(test, 7, 0x0102);
	KUNIT_ASSERT_NOT_NULL(test, pek);
	KUNIT_EXPECT_EQ(test, refcount_read(&pek->refs), 2U);
	pc5sec_pek_put(pek);
}

/* EEA0 links get PEKs without a transform. */
static void keys_pek_eea0(struct kunit *test)
{
	struct pc5sec_dev *pc = test->priv;
	struct pc5sec_pek *pek;

	pc->cipher = PC5SEC_CIPHER_EEA0;
	KUNIT_ASSERT_EQ(test, add(pc, 7, 0, 0, 3), 0);
	pek = tx_pek_get(test, 7, 3);
	KUNIT_ASSERT_NOT_NULL(test, pek);
	KUNIT_EXPECT_NULL(test, pek->tfm);
	KUNIT_EXPECT_EQ(test, pek->cipher, PC5SEC_CIPHER_EEA0);
	pc5sec_pek_put(pek);
	pek = tx_pek_get(test, 7, 4);
	KUNIT_EXPECT_NOT_NULL(test, pek);
	pc5sec_pek_put(pek);
}

/*
 * PTK Identity 0xffff is the last: its PEK and no next one. After its
 * 65536 COUNTs the PGK is exhausted, never sends again, still receives.
 */
static void keys_count_rollover(struct kunit *test)
{
	struct pc5sec_dev *pc = test->priv;
	struct pc5sec_pgk *last;
	struct pc5sec_pek *pek;
	u32 i;
	s64 c;

	KUNIT_ASSERT_EQ(test, add(pc, 1, 0, 0, 0), 0);
	KUNIT_ASSERT_EQ(test, add(pc, 2, 5000, 0, 0xffff), 0);
	last = pgk_by_id(test, 2);
	KUNIT_EXPECT_EQ(test, tx_id(pc, NOW), 2);

	pek = tx_pek_get(test, 2, 0xffff);
	KUNIT_ASSERT_NOT_NULL(test, pek);
	expect_key_stream(test, pek, ks_ffff);
	pc5sec_pek_put(pek);
	/* No PTK Identity after 0xffff (and none wrapped to 0). */
	KUNIT_EXPECT_NULL(test, tx_pek_get(test, 2, 0));
	KUNIT_EXPECT_NULL(test, tx_pek_get(test, 2, 0xfffe));

	for (i = 0; i < 0xffff; i++) {
		c = atomic64_fetch_inc(&last->tx_count);
		if (c != 0xffff0000LL + i) {
			KUNIT_FAIL(test, "COUNT %lld at step %u", c, i);
			break;
		}
	}
	/* COUNT 0xffffffff is still to be sent. */
	KUNIT_EXPECT_EQ(test, atomic64_read(&last->tx_count), 0xffffffffLL);
	KUNIT_EXPECT_EQ(test, state(test, 2, NOW), PC5SEC_KEY_STATE_ACTIVE);
	KUNIT_EXPECT_EQ(test, tx_id(pc, NOW), 2);

	KUNIT_EXPECT_EQ(test, atomic64_fetch_inc(&last->tx_count),
			0xffffffffLL);
	KUNIT_EXPECT_EQ(test, state(test, 2, NOW), PC5SEC_KEY_STATE_EXHAUSTED);
	KUNIT_EXPECT_EQ(test, tx_id(pc, NOW), 1);
	KUNIT_EXPECT_EQ(test, state(test, 1, NOW), PC5SEC_KEY_STATE_ACTIVE);
	KUNIT_EXPECT_EQ(test, rx_id(pc, 2, NOW), 2);

	/* More increments (racing senders) keep it exhausted. */
	atomic64_fetch_inc(&last->tx_count);
	KUNIT_EXPECT_EQ(test, state(test, 2, NOW), PC5SEC_KEY_STATE_EXHAUSTED);

	/* Alone, an exhausted PGK leaves nothing to send with. */
	KUNIT_EXPECT_EQ(test, pc5sec_pgk_del(pc, 1, PC5SEC_REMOVED_DELETED), 0);
	KUNIT_EXPECT_EQ(test, tx_id(pc, NOW), 0);
	KUNIT_EXPECT_EQ(test, rx_id(pc, 2, NOW), 2);
}

/*
 * A new member (or group, or suite) makes every derived PEK stale:
 * pc5sec_keys_rekey derives the TX PEKs again with the new identity, and
 * each PEK carries the suite it was derived for.
 */
static void keys_rekey(struct kunit *test)
{
	struct pc5sec_dev *pc = test->priv;
	struct pc5sec_pek *pek;

	KUNIT_ASSERT_EQ(test, add(pc, 7, 0, 0, 0x0102), 0);
	pc5sec_keys_rekey(pc, pc->group, 0x123457, pc->cipher);
	KUNIT_EXPECT_EQ(test, pc->member, 0x123457U);
	pek = tx_pek_get(test, 7, 0x0102);
	KUNIT_ASSERT_NOT_NULL(test, pek);
	expect_key_stream_differs(test, pek, ks_0102);
	pc5sec_pek_put(pek);

	pc5sec_keys_rekey(pc, pc->group, 0x123456, PC5SEC_CIPHER_EEA0);
	pek = tx_pek_get(test, 7, 0x0102);
	KUNIT_ASSERT_NOT_NULL(test, pek);
	KUNIT_EXPECT_EQ(test, pek->cipher, PC5SEC_CIPHER_EEA0);
	pc5sec_pek_put(pek);

	pc5sec_keys_rekey(pc, pc->group, 0x123456, PC5SEC_CIPHER_EEA2);
	pek = tx_pek_get(test, 7, 0x0102);
	KUNIT_ASSERT_NOT_NULL(test, pek);
	KUNIT_EXPECT_EQ(test, pek->cipher, PC5SEC_CIPHER_EEA2);
	expect_key_stream(test, pek, ks_0102);
	pc5sec_pek_put(pek);
	pek = tx_pek_get(test, 7, 0x0103);
	KUNIT_ASSERT_NOT_NULL(test, pek);
	expect_key_stream(test, pek, ks_0103);
	pc5sec_pek_put(pek);
}

/* Flushing removes every PGK; the link can take new ones. */
static void keys_flush(struct kunit *test)
{
	struct pc5sec_dev *pc = test->priv;

	add_five(test);
	pc5sec_pgk_flush(pc);
	KUNIT_EXPECT_TRUE(test, list_empty(&pc->pgks));
	KUNIT_EXPECT_EQ(test, tx_id(pc, NOW), 0);
	KUNIT_EXPECT_EQ(test, rx_id(pc, 1, 0), 0);
	KUNIT_EXPECT_EQ(test, add(pc, 1, 0, 0, 0), 0);
	KUNIT_EXPECT_EQ(test, tx_id(pc, NOW), 1);
}

/*
 * The life work sleeps until the next of: not-before, not-after minus the
 * expiry notice, not-after; a notice of 0 means none, and what is past is
 * not an event.
 */
static void keys_next_event(struct kunit *test)
{
	struct pc5sec_pgk pgk = { .not_before = 1000, .not_after = 2000 };

	KUNIT_EXPECT_EQ(test, pc5sec_pgk_next_event(&pgk, 60, 500), 1000);
	KUNIT_EXPECT_EQ(test, pc5sec_pgk_next_event(&pgk, 60, 1000), 1940);
	KUNIT_EXPECT_EQ(test, pc5sec_pgk_next_event(&pgk, 60, 1939), 1940);
	KUNIT_EXPECT_EQ(test, pc5sec_pgk_next_event(&pgk, 60, 1940), 2000);
	KUNIT_EXPECT_EQ(test, pc5sec_pgk_next_event(&pgk, 0, 1000), 2000);
	KUNIT_EXPECT_EQ(test, pc5sec_pgk_next_event(&pgk, 60, 2000),
			TIME64_MAX);
	/* a notice longer than the validity is due at once: not an event */
	KUNIT_EXPECT_EQ(test, pc5sec_pgk_next_event(&pgk, 5000, 1500), 2000);
	pgk.not_after = 0;
	KUNIT_EXPECT_EQ(test, pc5sec_pgk_next_event(&pgk, 60, 500), 1000);
	KUNIT_EXPECT_EQ(test, pc5sec_pgk_next_event(&pgk, 60, 1000),
			TIME64_MAX);
	pgk.not_before = 0;
	KUNIT_EXPECT_EQ(test, pc5sec_pgk_next_event(&pgk, 60, 0), TIME64_MAX);
}

/*
 * RX reports a PGK Index that no installed PGK has (not one whose PGK is
 * merely not valid now), at most once a second per index.
 */
static void keys_unknown_index(struct kunit *test)
{
	struct pc5sec_dev *pc = test->priv;

	KUNIT_ASSERT_EQ(test, add(pc, 0x21, 5000, 0, 0), 0);
	/* hold off rx_work: it would clear the bits under test */
	mutex_lock(&pc->key_lock);
	rcu_read_lock();
	pc5sec_rx_unknown(pc, 0x01, 0x111111);	/* 0x21's index */
	KUNIT_EXPECT_EQ(test, pc->unknown_pending, 0UL);
	pc5sec_rx_unknown(pc, 0x07, 0x222222);
	KUNIT_EXPECT_EQ(test, pc->unknown_pending, BIT(7));
	KUNIT_EXPECT_EQ(test, pc->unknown_sender[7], 0x222222U);
	pc->unknown_pending = 0;
	pc5sec_rx_unknown(pc, 0x07, 0x333333);	/* within the second */
	KUNIT_EXPECT_EQ(test, pc->unknown_pending, 0UL);
	pc5sec_rx_unknown(pc, 0x1f, 0x444444);
	KUNIT_EXPECT_EQ(test, pc->unknown_pending, BIT(31));
	pc->unknown_last[7] = jiffies - HZ - 1;
	pc5sec_rx_unknown(pc, 0x07, 0x555555);
	KUNIT_EXPECT_EQ(test, pc->unknown_pending, BIT(31) | BIT(7));
	KUNIT_EXPECT_EQ(test, pc->unknown_sender[7], 0x555555U);
	rcu_read_unlock();
	mutex_unlock(&pc->key_lock);
}

static struct kunit_case keys_cases[] = {
	KUNIT_CASE(keys_next_event),
	KUNIT_CASE(keys_unknown_index),
	KUNIT_CASE(keys_tx_by_time),
	KUNIT_CASE(keys_states),
	KUNIT_CASE(keys_tx_tie),
	KUNIT_CASE(keys_rx_by_index),
	KUNIT_CASE(keys_rx_skew),
	KUNIT_CASE(keys_refused),
	KUNIT_CASE(keys_ptk_start),
	KUNIT_CASE(keys_ptk_limit),
	KUNIT_CASE(keys_pek_get),
	KUNIT_CASE(keys_pek_eea0),
	KUNIT_CASE(keys_count_rollover),
	KUNIT_CASE(keys_rekey),
	KUNIT_CASE(keys_flush),
	{}
};

static struct kunit_suite keys_suite = {
	.name = "pc5sec-keys",
	.suite_init = pc5sec_test_suite_init,
	.suite_exit = pc5sec_test_suite_exit,
	.init = keys_test_init,
	.exit = keys_test_exit,
	.test_cases = keys_cases,
};

kunit_test_suite(keys_suite);
