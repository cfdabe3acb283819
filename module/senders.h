/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PC5SEC_SENDERS_H
#define _PC5SEC_SENDERS_H

#include <linux/types.h>
#include <linux/spinlock.h>
#include <linux/refcount.h>

#include "keys.h"
#include "replay.h"

struct pc5sec_dev;

/*
 * A sender heard from (proved frames) less recently is idle: its state may
 * make room for another, and its COUNT may have moved anywhere.
 */
#define PC5SEC_SENDER_IDLE	(60 * HZ)

/*
 * A receiver's state for one (sender, PGK): the replay window and the PEKs
 * of the sender's current and next PTK Identity. On pc5sec_dev.rx_sas (RCU
 * hash; written under key_lock), created by RX's deferred work, never on the
 * packet path; with an AEAD suite, only once a frame of the sender has
 * authenticated. Freed after a grace period once the last reference goes.
 */
struct pc5sec_rx_sa {
	struct hlist_node node;
	struct rcu_head rcu;
	/* One for the hash table, one per AEAD frame in the cipher. */
	refcount_t refs;
	u32 sender;
	struct pc5sec_pgk *pgk;		/* reference held */
	struct pc5sec_pek __rcu *pek[2];
	bool want_next;			/* RX asks the work for PTK+1 */
	u64 rx_packets;			/* frames delivered; under lock */
	unsigned long last_rx;		/* jiffies */
	spinlock_t lock;		/* protects replay, rx_packets; BH off */
	struct pc5sec_replay replay;
};

struct pc5sec_rx_sa *pc5sec_rx_sa_find(struct pc5sec_dev *pc, u32 sender,
				       struct pc5sec_pgk *pgk);
struct pc5sec_rx_sa *pc5sec_rx_sa_create(struct pc5sec_dev *pc, u32 sender,
					 struct pc5sec_pgk *pgk);
void pc5sec_rx_sa_free(struct pc5sec_rx_sa *sa);

/* Every frame puts one: inline, the free (after a grace period) is not. */
static inline void pc5sec_rx_sa_put(struct pc5sec_rx_sa *sa)
{
	if (refcount_dec_and_test(&sa->refs))
		pc5sec_rx_sa_free(sa);
}

void pc5sec_senders_remove(struct pc5sec_dev *pc, struct pc5sec_pgk *pgk);
int pc5sec_senders_forget(struct pc5sec_dev *pc, u32 sender);
u32 pc5sec_rx_sa_count(struct pc5sec_rx_sa *sa, u64 *packets);

/*
 * RX, BH disabled, with @count fresh: whether the sender's PTK+1 should be
 * derived now, ahead of its SN wrap. Marks the state so that it is asked
 * once; pc5sec_senders_prepare_next() does the derivation.
 */
static inline bool pc5sec_rx_sa_want_next(struct pc5sec_rx_sa *sa,
					  u32 count)
{
	u16 ptk_id = count >> 16;
	struct pc5sec_pek *next;

	if ((count & 0xffff) < PC5SEC_SN_PREPARE || ptk_id == U16_MAX ||
	    READ_ONCE(sa->want_next))
		return false;
	next = rcu_dereference_bh(sa->pek[(ptk_id + 1) & 1]);
	if (next && next->ptk_id == ptk_id + 1)
		return false;
	WRITE_ONCE(sa->want_next, true);
	return true;
}

void pc5sec_senders_prepare_next(struct pc5sec_dev *pc);
void pc5sec_senders_init(struct pc5sec_dev *pc);

#endif /* _PC5SEC_SENDERS_H */
