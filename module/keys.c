// SPDX-License-Identifier: GPL-2.0
/*
 * The PGKs of a link as key material: the PGK objects, which of them TX
 * uses and which one a received PGK Index names, and the PEKs derived from
 * them into two-slot tables (a PGK's TX PEKs, a sender's RX PEKs).
 *
 * Derivations (HMAC-SHA-256 twice, then a keyed transform) need process
 * context, so the packet path never derives: it finds what was prepared,
 * and asks for more ahead of time. TX asks this file's key work for the
 * PEK of PTK+1 when a PTK's SN reaches PC5SEC_SN_PREPARE; RX does the same
 * per sender through its own work (rx.c, senders.c). Which PGKs exist and
 * when they come and go is life.c's business.
 */
#include <linux/kernel.h>
#include <linux/slab.h>

#include "pc5sec.h"
#include "keys.h"

/* @ptk_limit: 1..PC5SEC_PTK_LIMIT_MAX, or 0 for none. key_lock. */
void pc5sec_pgk_set_tx_limit(struct pc5sec_pgk *pgk, u32 ptk_limit)
{
	pgk->ptk_limit = ptk_limit;
	WRITE_ONCE(pgk->tx_limit, ptk_limit ? (u64)ptk_limit << 16 :
					      (u64)PC5SEC_COUNT_MAX + 1);
}

/* A PGK not on any list yet, holding the caller's reference. */
struct pc5sec_pgk *pc5sec_pgk_new(u8 id, const u8 *key, time64_t not_before,
				  time64_t not_after, u16 ptk_start,
				  u32 ptk_limit)
{
	struct pc5sec_pgk *pgk = kzalloc(sizeof(*pgk), GFP_KERNEL);

	if (!pgk)
		return NULL;
	refcount_set(&pgk->refs, 1);
	pgk->id = id;
	memcpy(pgk->key, key, PC5SEC_PGK_LEN);
	pgk->not_before = not_before;
	pgk->not_after = not_after;
	atomic64_set(&pgk->tx_count, (u64)ptk_start << 16);
	pc5sec_pgk_set_tx_limit(pgk, ptk_limit);
	return pgk;
}

static void pgk_free_rcu(struct rcu_head *rcu)
{
	struct pc5sec_pgk *pgk = container_of(rcu, struct pc5sec_pgk, rcu);

	pc5sec_pek_put(rcu_dereference_protected(pgk->tx_pek[0], 1));
	pc5sec_pek_put(rcu_dereference_protected(pgk->tx_pek[1], 1));
	kfree_sensitive(pgk);
}

void pc5sec_pgk_put(struct pc5sec_pgk *pgk)
{
	if (refcount_dec_and_test(&pgk->refs))
		call_rcu(&pgk->rcu, pgk_free_rcu);
}

/* The installed PGK with PGK ID @id. key_lock. */
struct pc5sec_pgk *pc5sec_pgk_find(struct pc5sec_dev *pc, u8 id)
{
	struct pc5sec_pgk *pgk;

	lockdep_assert_held(&pc->key_lock);
	list_for_each_entry(pgk, &pc->pgks, list)
		if (pgk->id == id)
			return pgk;
	return NULL;
}

/*
 * The PGK to send with: of those valid now and below their PTK limit, the
 * one with the latest not-before; on a tie, the one installed last. RCU.
 */
struct pc5sec_pgk *pc5sec_tx_pgk(struct pc5sec_dev *pc, time64_t now)
{
	struct pc5sec_pgk *pgk, *best = NULL;

	list_for_each_entry_rcu(pgk, &pc->pgks, list) {
		if (!pc5sec_pgk_valid(pgk, now) || pc5sec_pgk_limited(pgk))
			continue;
		if (!best || pgk->not_before >= best->not_before)
			best = pgk;
	}
	return best;
}

/*
 * The PGK a frame's PGK Index names, if it is valid now for receiving:
 * up to the link's rx_skew seconds before its not-before, since a sender
 * whose clock runs a little ahead moves to the new PGK that much early
 * (TX, on our own clock, never does). RCU.
 */
struct pc5sec_pgk *pc5sec_rx_pgk(struct pc5sec_dev *pc, u8 index,
				 time64_t now)
{
	struct pc5sec_pgk *pgk;

	list_for_each_entry_rcu(pgk, &pc->pgks, list) {
		if ((pgk->id & PC5SEC_PGK_INDEX_MASK) != index)
			continue;
		if ((pgk->not_before &&
		     now + READ_ONCE(pc->rx_skew) < pgk->not_before) ||
		    (pgk->not_after && now >= pgk->not_after))
			return NULL;
		return pgk;
	}
	return NULL;
}

/* Whether an installed PGK, valid now or not, has PGK Index @index. RCU. */
bool pc5sec_pgk_index_used(struct pc5sec_dev *pc, u8 index)
{
	struct pc5sec_pgk *pgk;

	list_for_each_entry_rcu(pgk, &pc->pgks, list)
		if ((pgk->id & PC5SEC_PGK_INDEX_MASK) == index)
			return true;
	return false;
}

/* RCU, or key_lock. */
enum pc5sec_key_state pc5sec_pgk_state(struct pc5sec_dev *pc,
				       struct pc5sec_pgk *pgk, time64_t now)
{
	if (pgk->not_before && now < pgk->not_before)
		return PC5SEC_KEY_STATE_PENDING;
	if (pgk->not_after && now >= pgk->not_after)
		return PC5SEC_KEY_STATE_EXPIRED;
	if (pc5sec_pgk_exhausted(pgk))
		return PC5SEC_KEY_STATE_EXHAUSTED;
	return pc5sec_tx_pgk(pc, now) == pgk ? PC5SEC_KEY_STATE_ACTIVE :
					       PC5SEC_KEY_STATE_VALID;
}

/* Puts a fresh PEK into its slot, releasing the one it replaces. key_lock. */
void pc5sec_pek_publish(struct pc5sec_dev *pc, struct pc5sec_pek __rcu **slot,
			struct pc5sec_pek *pek)
{
	struct pc5sec_pek *old;

	old = rcu_replace_pointer(slot[pek->ptk_id & 1], pek,
				  lockdep_is_held(&pc->key_lock));
	pc5sec_pek_put(old);
}

bool pc5sec_pek_ready(struct pc5sec_dev *pc, struct pc5sec_pek __rcu **slot,
		      u16 ptk_id)
{
	struct pc5sec_pek *pek;

	pek = rcu_dereference_protected(slot[ptk_id & 1],
					lockdep_is_held(&pc->key_lock));
	return pek && pek->ptk_id == ptk_id;
}

/* Derives the PEK of @sender's @ptk_id under @pgk into @slot. key_lock. */
int pc5sec_pek_prepare(struct pc5sec_dev *pc, struct pc5sec_pek __rcu **slot,
		       struct pc5sec_pgk *pgk, u32 sender, u16 ptk_id)
{
	struct pc5sec_pek *pek;

	lockdep_assert_held(&pc->key_lock);
	if (pc5sec_pek_ready(pc, slot, ptk_id))
		return 0;
	pek = pc5sec_pek_new(READ_ONCE(pc->cipher), pgk->key, sender, ptk_id,
			     READ_ONCE(pc->group));
	if (IS_ERR(pek))
		return PTR_ERR(pek);
	pc5sec_pek_publish(pc, slot, pek);
	return 0;
}

/* The TX PEKs of the PTK in use and of the next one. key_lock. */
int pc5sec_tx_prepare(struct pc5sec_dev *pc, struct pc5sec_pgk *pgk)
{
	u64 count = atomic64_read(&pgk->tx_count);
	u32 ptk = count >> 16;
	u32 member = READ_ONCE(pc->member);
	int err;

	if (count > PC5SEC_COUNT_MAX)
		return 0;
	err = pc5sec_pek_prepare(pc, pgk->tx_pek, pgk, member, ptk);
	if (!err && ptk < U16_MAX)
		err = pc5sec_pek_prepare(pc, pgk->tx_pek, pgk, member, ptk + 1);
	return err;
}

/* Releases @pgk's TX PEKs (the identity they derive from changed). */
void pc5sec_tx_drop_peks(struct pc5sec_dev *pc, struct pc5sec_pgk *pgk)
{
	int i;

	for (i = 0; i < 2; i++)
		pc5sec_pek_put(rcu_replace_pointer(pgk->tx_pek[i], NULL,
						   lockdep_is_held(&pc->key_lock)));
}

/* TX's PEKs ahead of time, for every PGK. */
static void key_work(struct work_struct *work)
{
	struct pc5sec_dev *pc = container_of(work, struct pc5sec_dev, key_work);
	struct pc5sec_pgk *pgk;

	mutex_lock(&pc->key_lock);
	list_for_each_entry(pgk, &pc->pgks, list)
		pc5sec_tx_prepare(pc, pgk);
	mutex_unlock(&pc->key_lock);
}

void pc5sec_keys_kick(struct pc5sec_dev *pc)
{
	queue_work(pc5sec_wq, &pc->key_work);
}

void pc5sec_keys_init(struct pc5sec_dev *pc)
{
	mutex_init(&pc->key_lock);
	INIT_LIST_HEAD(&pc->pgks);
	INIT_WORK(&pc->key_work, key_work);
}

/* The link is going away: TX, the only one to kick the work, has stopped. */
void pc5sec_keys_uninit(struct pc5sec_dev *pc)
{
	cancel_work_sync(&pc->key_work);
}
