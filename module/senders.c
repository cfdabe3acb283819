// SPDX-License-Identifier: GPL-2.0
/*
 * The receivers' states of a link (struct pc5sec_rx_sa), one per (sender,
 * PGK): lookup for the packet path, creation and eviction for RX's
 * deferred work, removal with their PGK.
 *
 * Locking: the hash is written under key_lock and read under RCU; a
 * state's replay window is under its own spinlock.
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/jiffies.h>
#include <linux/random.h>
#include <linux/siphash.h>

#include "pc5sec.h"
#include "senders.h"

/*
 * Keyed with the link's random sa_key: sender IDs are the radio's to
 * choose, and must not be choosable to pile into one bucket.
 */
static u32 sa_hash(struct pc5sec_dev *pc, u32 sender,
		   const struct pc5sec_pgk *pgk)
{
	return siphash_2u32(sender, pgk->id, &pc->sa_key);
}

/* RCU, or key_lock. */
struct pc5sec_rx_sa *pc5sec_rx_sa_find(struct pc5sec_dev *pc, u32 sender,
				       struct pc5sec_pgk *pgk)
{
	u32 bkt = hash_min(sa_hash(pc, sender, pgk), HASH_BITS(pc->rx_sas));
	struct pc5sec_rx_sa *sa;

	hlist_for_each_entry_rcu(sa, &pc->rx_sas[bkt], node,
				 lockdep_is_held(&pc->key_lock))
		if (sa->sender == sender && sa->pgk == pgk)
			return sa;
	return NULL;
}

static void sa_free_rcu(struct rcu_head *rcu)
{
	struct pc5sec_rx_sa *sa = container_of(rcu, struct pc5sec_rx_sa, rcu);

	pc5sec_pek_put(rcu_dereference_protected(sa->pek[0], 1));
	pc5sec_pek_put(rcu_dereference_protected(sa->pek[1], 1));
	pc5sec_pgk_put(sa->pgk);
	kfree(sa);
}

void pc5sec_rx_sa_free(struct pc5sec_rx_sa *sa)
{
	call_rcu(&sa->rcu, sa_free_rcu);
}

static void sa_remove(struct pc5sec_dev *pc, struct pc5sec_rx_sa *sa)
{
	lockdep_assert_held(&pc->key_lock);
	hash_del_rcu(&sa->node);
	pc->nr_sas--;
	pc->senders_gen++;
	pc5sec_rx_sa_put(sa);
}

/* Removes the states of @pgk's senders, or every state if @pgk is NULL. */
void pc5sec_senders_remove(struct pc5sec_dev *pc, struct pc5sec_pgk *pgk)
{
	struct pc5sec_rx_sa *sa;
	struct hlist_node *tmp;
	unsigned int bkt;

	lockdep_assert_held(&pc->key_lock);
	hash_for_each_safe(pc->rx_sas, bkt, tmp, sa, node)
		if (!pgk || sa->pgk == pgk)
			sa_remove(pc, sa);
}

/*
 * Removes every state of @sender (under any PGK): its next frame that
 * proves itself starts afresh. -ENOENT if it has none. key_lock.
 */
int pc5sec_senders_forget(struct pc5sec_dev *pc, u32 sender)
{
	struct pc5sec_rx_sa *sa;
	struct hlist_node *tmp;
	unsigned int bkt;
	int err = -ENOENT;

	lockdep_assert_held(&pc->key_lock);
	hash_for_each_safe(pc->rx_sas, bkt, tmp, sa, node) {
		if (sa->sender == sender) {
			sa_remove(pc, sa);
			err = 0;
		}
	}
	return err;
}

/* The highest COUNT @sa's sender has proved, and its frames delivered. */
u32 pc5sec_rx_sa_count(struct pc5sec_rx_sa *sa, u64 *packets)
{
	u64 top;

	spin_lock_bh(&sa->lock);
	top = sa->replay.top;
	*packets = sa->rx_packets;
	spin_unlock_bh(&sa->lock);
	return top ? top - 1 : 0;
}

/*
 * A new receiver's state. The table is bounded (the link's max-senders,
 * counted per sender and PGK; lowered, it takes effect as states go):
 * when it is full, the
 * longest-idle sender that has been quiet for PC5SEC_SENDER_IDLE makes room;
 * if none has, the new sender is refused (its frames count as rx_nokey),
 * so a flood of forged source IDs costs a bounded amount of memory.
 */
struct pc5sec_rx_sa *pc5sec_rx_sa_create(struct pc5sec_dev *pc, u32 sender,
					 struct pc5sec_pgk *pgk)
{
	struct pc5sec_rx_sa *sa, *idle = NULL;
	unsigned int bkt;

	lockdep_assert_held(&pc->key_lock);
	if (pc->nr_sas >= READ_ONCE(pc->max_senders)) {
		hash_for_each(pc->rx_sas, bkt, sa, node)
			if (time_after(jiffies, READ_ONCE(sa->last_rx) +
				       PC5SEC_SENDER_IDLE) &&
			    (!idle || time_before(sa->last_rx, idle->last_rx)))
				idle = sa;
		if (!idle)
			return NULL;
		sa_remove(pc, idle);
	}
	sa = kzalloc(sizeof(*sa), GFP_KERNEL);
	if (!sa)
		return NULL;
	refcount_set(&sa->refs, 1);
	sa->sender = sender;
	refcount_inc(&pgk->refs);
	sa->pgk = pgk;
	sa->last_rx = jiffies;
	spin_lock_init(&sa->lock);
	hash_add_rcu(pc->rx_sas, &sa->node, sa_hash(pc, sender, pgk));
	pc->nr_sas++;
	pc->senders_gen++;
	return sa;
}

/* Derives the PTK+1 PEKs that RX asked for. key_lock. */
void pc5sec_senders_prepare_next(struct pc5sec_dev *pc)
{
	struct pc5sec_rx_sa *sa;
	unsigned int bkt;

	lockdep_assert_held(&pc->key_lock);
	hash_for_each(pc->rx_sas, bkt, sa, node) {
		struct pc5sec_pek *a, *b;
		u32 top;

		if (!READ_ONCE(sa->want_next))
			continue;
		WRITE_ONCE(sa->want_next, false);
		a = rcu_dereference_protected(sa->pek[0],
					      lockdep_is_held(&pc->key_lock));
		b = rcu_dereference_protected(sa->pek[1],
					      lockdep_is_held(&pc->key_lock));
		top = max(a ? a->ptk_id : 0, b ? b->ptk_id : 0);
		if ((a || b) && top < U16_MAX)
			pc5sec_pek_prepare(pc, sa->pek, sa->pgk, sa->sender,
					   top + 1);
	}
}

void pc5sec_senders_init(struct pc5sec_dev *pc)
{
	get_random_bytes(&pc->sa_key, sizeof(pc->sa_key));
	hash_init(pc->rx_sas);
	pc->nr_sas = 0;
}
