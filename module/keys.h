/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PC5SEC_KEYS_H
#define _PC5SEC_KEYS_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/rculist.h>
#include <linux/spinlock.h>
#include <linux/time64.h>
#include <linux/pc5sec.h>

#include "cipher.h"

struct pc5sec_dev;

/* Derive the next PTK's PEK once a PTK's SN passes this. */
#define PC5SEC_SN_PREPARE	0x8000
/* A COUNT past this means the PGK's PTK Identities are used up. */
#define PC5SEC_COUNT_MAX	U32_MAX
/* The highest PTK limit: every PTK Identity, the same as none. */
#define PC5SEC_PTK_LIMIT_MAX	0x10000

/*
 * One installed PGK. On pc5sec_dev.pgks (RCU list; written under key_lock,
 * with RTNL held too for netlink requests; life.c adds and removes). Each
 * receiver's state (senders.c) holds a reference, so that a frame still in
 * the cipher can count against it; freed after a grace period once the
 * last reference goes.
 */
struct pc5sec_pgk {
	struct list_head list;
	struct rcu_head rcu;
	refcount_t refs;		/* the list's, and one per rx_sa */
	u8 id;
	u8 key[PC5SEC_PGK_LEN];		/* wiped on free (kfree_sensitive) */
	time64_t not_before;		/* UTC seconds; 0 = no bound */
	time64_t not_after;		/* UTC seconds; 0 = no bound */
	/*
	 * TX: the next COUNT to send. Only grows (atomic fetch-add); above
	 * PC5SEC_COUNT_MAX the PGK is never used for TX again.
	 */
	atomic64_t tx_count;
	/*
	 * TX takes no COUNT from this one on: the PTK limit << 16, or
	 * PC5SEC_COUNT_MAX + 1 without one. Written under key_lock with
	 * WRITE_ONCE, read on the packet path with READ_ONCE. A COUNT taken
	 * past it is dropped, never sent: the limit may only hold TX back.
	 */
	u64 tx_limit;
	u32 ptk_limit;			/* as set: 0 = none; key_lock */
	/* TX PEKs by PTK Identity & 1: the current and the next one. */
	struct pc5sec_pek __rcu *tx_pek[2];
	atomic64_t tx_packets;
	atomic64_t rx_packets;
	/* Events already sent for this PGK; key_lock. */
	bool expiring_sent;
	bool exhausted_sent;
	bool limit_sent;		/* reset when the limit is raised */
	bool conflict_sent;		/* EVT_MEMBER_CONFLICT */
};

struct pc5sec_pgk *pc5sec_pgk_new(u8 id, const u8 *key, time64_t not_before,
				  time64_t not_after, u16 ptk_start,
				  u32 ptk_limit);
void pc5sec_pgk_put(struct pc5sec_pgk *pgk);
struct pc5sec_pgk *pc5sec_pgk_find(struct pc5sec_dev *pc, u8 id);
void pc5sec_pgk_set_tx_limit(struct pc5sec_pgk *pgk, u32 ptk_limit);

/* Inline, as the PEK's get and put: TX asks them of a PGK per packet. */
static inline bool pc5sec_pgk_valid(const struct pc5sec_pgk *pgk,
				    time64_t now)
{
	return (!pgk->not_before || now >= pgk->not_before) &&
	       (!pgk->not_after || now < pgk->not_after);
}

static inline bool pc5sec_pgk_exhausted(const struct pc5sec_pgk *pgk)
{
	return atomic64_read(&pgk->tx_count) > PC5SEC_COUNT_MAX;
}

/* TX has reached the PGK's PTK limit (or, without one, exhausted it). */
static inline bool pc5sec_pgk_limited(const struct pc5sec_pgk *pgk)
{
	return atomic64_read(&pgk->tx_count) >= READ_ONCE(pgk->tx_limit);
}

enum pc5sec_key_state pc5sec_pgk_state(struct pc5sec_dev *pc,
				       struct pc5sec_pgk *pgk, time64_t now);
struct pc5sec_pgk *pc5sec_tx_pgk(struct pc5sec_dev *pc, time64_t now);
struct pc5sec_pgk *pc5sec_rx_pgk(struct pc5sec_dev *pc, u8 index,
				 time64_t now);
bool pc5sec_pgk_index_used(struct pc5sec_dev *pc, u8 index);

/*
 * A reference to the PEK in @slot if it is the one for @ptk_id. RCU, or
 * BH disabled (the packet path). Inline, as pc5sec_pek_put(): every
 * packet takes one and puts it.
 */
static inline struct pc5sec_pek *pc5sec_pek_get(struct pc5sec_pek __rcu **slot,
						u16 ptk_id)
{
	struct pc5sec_pek *pek = rcu_dereference_check(slot[ptk_id & 1],
						       rcu_read_lock_bh_held());

	if (!pek || pek->ptk_id != ptk_id || !refcount_inc_not_zero(&pek->refs))
		return NULL;
	return pek;
}

void pc5sec_pek_publish(struct pc5sec_dev *pc, struct pc5sec_pek __rcu **slot,
			struct pc5sec_pek *pek);
bool pc5sec_pek_ready(struct pc5sec_dev *pc, struct pc5sec_pek __rcu **slot,
		      u16 ptk_id);
int pc5sec_pek_prepare(struct pc5sec_dev *pc, struct pc5sec_pek __rcu **slot,
		       struct pc5sec_pgk *pgk, u32 sender, u16 ptk_id);
int pc5sec_tx_prepare(struct pc5sec_dev *pc, struct pc5sec_pgk *pgk);
void pc5sec_tx_drop_peks(struct pc5sec_dev *pc, struct pc5sec_pgk *pgk);

void pc5sec_keys_kick(struct pc5sec_dev *pc);
void pc5sec_keys_init(struct pc5sec_dev *pc);
void pc5sec_keys_uninit(struct pc5sec_dev *pc);

#endif /* _PC5SEC_KEYS_H */
