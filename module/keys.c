// SPDX-License-Identifier: GPL-2.0
/*
 * PGKs of a link and the state derived from them: the TX PEKs of each PGK
 * and the receivers' states (struct pc5sec_rx_sa) of each sender.
 *
 * Derivations (HMAC-SHA-256 twice, then a keyed transform) need process
 * context, so the packet path never derives: it finds what the key work
 * prepared, and asks for more ahead of time. TX asks for the PEK of PTK+1
 * when a PTK's SN reaches PC5SEC_SN_PREPARE; RX does the same per sender,
 * and a frame from a sender (or PTK) not seen yet waits on rx_pending
 * until the work has derived its PEK, then goes through RX again.
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/jiffies.h>
#include <linux/timekeeping.h>
#include <linux/completion.h>
#include <net/netlink.h>

#include "pc5sec.h"
#include "keys.h"

#define SENDER_IDLE	(60 * HZ)	/* evictable when the table is full */
/*
 * The life work wakes at least this often while any PGK has a bound in
 * time, so that a step of the wall clock (NTP, GNSS time after boot) is
 * seen within a minute. TX and RX check validity per packet regardless.
 */
#define LIFE_MAX_SLEEP	60		/* seconds */

static u32 sa_hash(u32 sender, const struct pc5sec_pgk *pgk)
{
	return sender ^ pgk->id;
}

bool pc5sec_pgk_valid(const struct pc5sec_pgk *pgk, time64_t now)
{
	return (!pgk->not_before || now >= pgk->not_before) &&
	       (!pgk->not_after || now < pgk->not_after);
}

static bool pgk_exhausted(const struct pc5sec_pgk *pgk)
{
	return atomic64_read(&pgk->tx_count) > PC5SEC_COUNT_MAX;
}

/* TX has reached the PGK's PTK limit (or, without one, exhausted it). */
static bool pgk_limited(const struct pc5sec_pgk *pgk)
{
	return atomic64_read(&pgk->tx_count) >= READ_ONCE(pgk->tx_limit);
}

static u64 tx_limit(u32 ptk_limit)
{
	return ptk_limit ? (u64)ptk_limit << 16 : (u64)PC5SEC_COUNT_MAX + 1;
}

/*
 * The PGK to send with: of those valid now and below their PTK limit, the
 * one with the latest not-before; on a tie, the one installed last. RCU.
 */
struct pc5sec_pgk *pc5sec_tx_pgk(struct pc5sec_dev *pc, time64_t now)
{
	struct pc5sec_pgk *pgk, *best = NULL;

	list_for_each_entry_rcu(pgk, &pc->pgks, list) {
		if (!pc5sec_pgk_valid(pgk, now) || pgk_limited(pgk))
			continue;
		if (!best || pgk->not_before >= best->not_before)
			best = pgk;
	}
	return best;
}

/* The PGK a frame's PGK Index names, if it is valid now. RCU. */
struct pc5sec_pgk *pc5sec_rx_pgk(struct pc5sec_dev *pc, u8 index,
				 time64_t now)
{
	struct pc5sec_pgk *pgk;

	list_for_each_entry_rcu(pgk, &pc->pgks, list)
		if ((pgk->id & PC5SEC_PGK_INDEX_MASK) == index)
			return pc5sec_pgk_valid(pgk, now) ? pgk : NULL;
	return NULL;
}

enum pc5sec_key_state pc5sec_pgk_state(struct pc5sec_dev *pc,
				       struct pc5sec_pgk *pgk, time64_t now)
{
	if (pgk->not_before && now < pgk->not_before)
		return PC5SEC_KEY_STATE_PENDING;
	if (pgk->not_after && now >= pgk->not_after)
		return PC5SEC_KEY_STATE_EXPIRED;
	if (pgk_exhausted(pgk))
		return PC5SEC_KEY_STATE_EXHAUSTED;
	return pc5sec_tx_pgk(pc, now) == pgk ? PC5SEC_KEY_STATE_ACTIVE :
					       PC5SEC_KEY_STATE_VALID;
}

struct pc5sec_rx_sa *pc5sec_rx_sa_find(struct pc5sec_dev *pc, u32 sender,
				       struct pc5sec_pgk *pgk)
{
	struct pc5sec_rx_sa *sa;

	hash_for_each_possible_rcu(pc->rx_sas, sa, node, sa_hash(sender, pgk))
		if (sa->sender == sender && sa->pgk == pgk)
			return sa;
	return NULL;
}

/* A reference to the PEK in @slot if it is the one for @ptk_id. RCU. */
struct pc5sec_pek *pc5sec_pek_get(struct pc5sec_pek __rcu **slot, u16 ptk_id)
{
	struct pc5sec_pek *pek = rcu_dereference(slot[ptk_id & 1]);

	if (!pek || pek->ptk_id != ptk_id || !refcount_inc_not_zero(&pek->refs))
		return NULL;
	return pek;
}

/* Puts a fresh PEK into its slot, releasing the one it replaces. */
static void pek_publish(struct pc5sec_dev *pc, struct pc5sec_pek __rcu **slot,
			struct pc5sec_pek *pek)
{
	struct pc5sec_pek *old;

	old = rcu_replace_pointer(slot[pek->ptk_id & 1], pek,
				  lockdep_is_held(&pc->key_lock));
	pc5sec_pek_put(old);
}

static bool pek_ready(struct pc5sec_dev *pc, struct pc5sec_pek __rcu **slot,
		      u16 ptk_id)
{
	struct pc5sec_pek *pek;

	pek = rcu_dereference_protected(slot[ptk_id & 1],
					lockdep_is_held(&pc->key_lock));
	return pek && pek->ptk_id == ptk_id;
}

/* Derives the PEK of @sender's @ptk_id under @pgk into @slot. */
static int pek_prepare(struct pc5sec_dev *pc, struct pc5sec_pek __rcu **slot,
		       struct pc5sec_pgk *pgk, u32 sender, u16 ptk_id)
{
	struct pc5sec_pek *pek;

	lockdep_assert_held(&pc->key_lock);
	if (pek_ready(pc, slot, ptk_id))
		return 0;
	pek = pc5sec_pek_new(READ_ONCE(pc->cipher), pgk->key, sender, ptk_id,
			     READ_ONCE(pc->group));
	if (IS_ERR(pek))
		return PTR_ERR(pek);
	pek_publish(pc, slot, pek);
	return 0;
}

/* The TX PEKs of the PTK in use and of the next one. */
static int tx_prepare(struct pc5sec_dev *pc, struct pc5sec_pgk *pgk)
{
	u64 count = atomic64_read(&pgk->tx_count);
	u32 ptk = count >> 16;
	u32 member = READ_ONCE(pc->member);
	int err;

	if (count > PC5SEC_COUNT_MAX)
		return 0;
	err = pek_prepare(pc, pgk->tx_pek, pgk, member, ptk);
	if (!err && ptk < U16_MAX)
		err = pek_prepare(pc, pgk->tx_pek, pgk, member, ptk + 1);
	return err;
}

static void pgk_free_rcu(struct rcu_head *rcu)
{
	struct pc5sec_pgk *pgk = container_of(rcu, struct pc5sec_pgk, rcu);

	pc5sec_pek_put(rcu_dereference_protected(pgk->tx_pek[0], 1));
	pc5sec_pek_put(rcu_dereference_protected(pgk->tx_pek[1], 1));
	kfree_sensitive(pgk);
}

static void pgk_put(struct pc5sec_pgk *pgk)
{
	if (refcount_dec_and_test(&pgk->refs))
		call_rcu(&pgk->rcu, pgk_free_rcu);
}

static void sa_free_rcu(struct rcu_head *rcu)
{
	struct pc5sec_rx_sa *sa = container_of(rcu, struct pc5sec_rx_sa, rcu);

	pc5sec_pek_put(rcu_dereference_protected(sa->pek[0], 1));
	pc5sec_pek_put(rcu_dereference_protected(sa->pek[1], 1));
	pgk_put(sa->pgk);
	kfree(sa);
}

void pc5sec_rx_sa_put(struct pc5sec_rx_sa *sa)
{
	if (refcount_dec_and_test(&sa->refs))
		call_rcu(&sa->rcu, sa_free_rcu);
}

static void sa_remove(struct pc5sec_dev *pc, struct pc5sec_rx_sa *sa)
{
	lockdep_assert_held(&pc->key_lock);
	hash_del_rcu(&sa->node);
	pc->nr_sas--;
	pc5sec_rx_sa_put(sa);
}

/* RX: ask the key work for the sender's PTK+1 ahead of its SN wrap. */
void pc5sec_rx_want_next(struct pc5sec_dev *pc, struct pc5sec_rx_sa *sa,
			 u32 count)
{
	u16 ptk_id = count >> 16;
	struct pc5sec_pek *next;

	if ((count & 0xffff) < PC5SEC_SN_PREPARE || ptk_id == U16_MAX ||
	    READ_ONCE(sa->want_next))
		return;
	rcu_read_lock();
	next = rcu_dereference(sa->pek[(ptk_id + 1) & 1]);
	if (!next || next->ptk_id != ptk_id + 1) {
		WRITE_ONCE(sa->want_next, true);
		pc5sec_keys_kick(pc);
	}
	rcu_read_unlock();
}

/*
 * A new receiver's state. The table is bounded: when it is full, the
 * longest-idle sender that has been quiet for SENDER_IDLE makes room;
 * if none has, the new sender is refused (its frames count as rx_nokey),
 * so a flood of forged source IDs costs a bounded amount of memory.
 */
static struct pc5sec_rx_sa *rx_sa_create(struct pc5sec_dev *pc, u32 sender,
					 struct pc5sec_pgk *pgk)
{
	struct pc5sec_rx_sa *sa, *idle = NULL;
	unsigned int bkt;

	lockdep_assert_held(&pc->key_lock);
	if (pc->nr_sas >= PC5SEC_MAX_SENDERS) {
		hash_for_each(pc->rx_sas, bkt, sa, node)
			if (time_after(jiffies, READ_ONCE(sa->last_rx) +
				       SENDER_IDLE) &&
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
	hash_add_rcu(pc->rx_sas, &sa->node, sa_hash(sender, pgk));
	pc->nr_sas++;
	return sa;
}

struct pc5sec_rx_wait {
	struct completion done;
	int err;
};

static void rx_wait_done(struct sk_buff *skb, int err)
{
	struct pc5sec_rx_wait *w = pc5sec_cb(skb)->wait;

	w->err = err;
	complete(&w->done);
}

/*
 * AEAD: a frame whose PEK (or sender) is new. Its PEK is derived aside
 * and the frame decrypted with it here; only if it authenticates do the
 * PEK and, for a new sender, the receiver's state enter the tables. A
 * forged frame thus creates no state and displaces no PEK.
 */
static void rx_resume_aead(struct pc5sec_dev *pc, struct sk_buff *skb,
			   struct pc5sec_pgk *pgk, struct pc5sec_rx_sa *sa)
{
	struct pc5sec_cb *cb = pc5sec_cb(skb);
	u32 count = cb->count, sender = cb->sender;
	enum pc5sec_counter why = PC5SEC_CNT_RX_NOKEY;
	struct pc5sec_rx_wait w;
	struct pc5sec_pek *pek;
	bool fresh = true;
	int err;

	pek = pc5sec_pek_new(READ_ONCE(pc->cipher), pgk->key, sender,
			     count >> 16, READ_ONCE(pc->group));
	if (IS_ERR(pek))
		goto drop;
	if (sa) {
		spin_lock_bh(&sa->lock);
		fresh = pc5sec_replay_check(&sa->replay, count,
					    READ_ONCE(pc->replay_window));
		spin_unlock_bh(&sa->lock);
		if (!fresh) {
			why = PC5SEC_CNT_RX_REPLAY;
			goto drop_pek;
		}
	}

	init_completion(&w.done);
	cb->wait = &w;
	skb->dev = pc->dev;
	err = pc5sec_crypt(skb, PC5SEC_HDR_LEN, false, pek, count,
			   rx_wait_done);
	if (err == -EINPROGRESS) {
		wait_for_completion(&w.done);
		err = w.err;
	}
	if (err) {
		why = pc5sec_rx_err_counter(err);
		goto drop_pek;
	}

	if (!sa)
		sa = rx_sa_create(pc, sender, pgk);
	if (!sa)
		goto drop_pek;
	pek_publish(pc, sa->pek, pek);
	spin_lock_bh(&sa->lock);
	fresh = pc5sec_replay_check(&sa->replay, count,
				    READ_ONCE(pc->replay_window));
	if (fresh)
		pc5sec_replay_update(&sa->replay, count);
	spin_unlock_bh(&sa->lock);
	if (!fresh) {
		why = PC5SEC_CNT_RX_REPLAY;
		goto drop;
	}
	WRITE_ONCE(sa->last_rx, jiffies);
	atomic64_inc(&pgk->rx_packets);
	local_bh_disable();
	pc5sec_rx_deliver(pc, skb);
	local_bh_enable();
	return;

drop_pek:
	pc5sec_pek_put(pek);
drop:
	local_bh_disable();
	if (why != PC5SEC_CNT_MAX)
		pc5sec_count(pc, why, 1);
	dev_core_stats_rx_dropped_inc(pc->dev);
	local_bh_enable();
	kfree_skb(skb);
}

/* Prepares what a deferred frame needs, then runs it through RX again. */
static void rx_resume(struct pc5sec_dev *pc, struct sk_buff *skb)
{
	struct pc5sec_cb *cb = pc5sec_cb(skb);
	u16 ptk_id = cb->count >> 16;
	struct pc5sec_rx_sa *sa;
	struct pc5sec_pgk *pgk;

	lockdep_assert_held(&pc->key_lock);
	rcu_read_lock();
	pgk = pc5sec_rx_pgk(pc, cb->pgk_index, ktime_get_real_seconds());
	rcu_read_unlock();
	if (!pgk)
		goto drop;
	sa = pc5sec_rx_sa_find(pc, cb->sender, pgk);
	if (pc5sec_cipher_is_aead(READ_ONCE(pc->cipher)) &&
	    !(sa && pek_ready(pc, sa->pek, ptk_id)))
		return rx_resume_aead(pc, skb, pgk, sa);
	if (!sa)
		sa = rx_sa_create(pc, cb->sender, pgk);
	if (!sa || pek_prepare(pc, sa->pek, pgk, cb->sender, ptk_id))
		goto drop;

	local_bh_disable();
	pc5sec_rx_frame(pc, skb, true);
	local_bh_enable();
	return;
drop:
	local_bh_disable();
	pc5sec_count(pc, PC5SEC_CNT_RX_NOKEY, 1);
	dev_core_stats_rx_dropped_inc(pc->dev);
	local_bh_enable();
	kfree_skb(skb);
}

static void key_work(struct work_struct *work)
{
	struct pc5sec_dev *pc = container_of(work, struct pc5sec_dev, key_work);
	struct pc5sec_rx_sa *sa;
	struct pc5sec_pgk *pgk;
	unsigned long pending, bit;
	struct sk_buff *skb;
	unsigned int bkt, n;

	mutex_lock(&pc->key_lock);
	list_for_each_entry(pgk, &pc->pgks, list)
		tx_prepare(pc, pgk);

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
			pek_prepare(pc, sa->pek, sa->pgk, sa->sender, top + 1);
	}

	pending = xchg(&pc->unknown_pending, 0);
	for_each_set_bit(bit, &pending, PC5SEC_PGK_INDEX_MASK + 1)
		pc5sec_notify_unknown(pc, bit, READ_ONCE(pc->unknown_sender[bit]));

	/* Only the frames queued so far: RX may keep adding. */
	for (n = skb_queue_len(&pc->rx_pending); n; n--) {
		skb = skb_dequeue(&pc->rx_pending);
		if (!skb)
			break;
		rx_resume(pc, skb);
	}
	mutex_unlock(&pc->key_lock);
}

void pc5sec_keys_kick(struct pc5sec_dev *pc)
{
	queue_work(pc5sec_wq, &pc->key_work);
}

/* RX: park a frame whose PEK is not derived yet. False: caller drops. */
bool pc5sec_rx_defer(struct pc5sec_dev *pc, struct sk_buff *skb)
{
	if (skb_queue_len(&pc->rx_pending) >= PC5SEC_MAX_PENDING)
		return false;
	skb_queue_tail(&pc->rx_pending, skb);
	pc5sec_keys_kick(pc);
	return true;
}

/*
 * RX, under RCU, for a frame whose PGK Index names no usable PGK: if no
 * installed PGK has that index at all, ask key_work to tell userspace (a
 * key helper may fetch it), at most once a second per index.
 */
void pc5sec_rx_unknown(struct pc5sec_dev *pc, u8 index, u32 sender)
{
	struct pc5sec_pgk *pgk;

	index &= PC5SEC_PGK_INDEX_MASK;
	list_for_each_entry_rcu(pgk, &pc->pgks, list)
		if ((pgk->id & PC5SEC_PGK_INDEX_MASK) == index)
			return;
	if (time_before(jiffies, READ_ONCE(pc->unknown_last[index]) + HZ))
		return;
	WRITE_ONCE(pc->unknown_last[index], jiffies);
	WRITE_ONCE(pc->unknown_sender[index], sender);
	if (!test_and_set_bit(index, &pc->unknown_pending))
		pc5sec_keys_kick(pc);
}

/*
 * The next moment after @now at which @pgk's standing changes: it becomes
 * valid, its expiry notice is due, or it expires. TIME64_MAX if never.
 */
time64_t pc5sec_pgk_next_event(const struct pc5sec_pgk *pgk, u32 notice,
			       time64_t now)
{
	time64_t next = TIME64_MAX;

	if (pgk->not_before > now)
		next = pgk->not_before;
	if (pgk->not_after) {
		if (notice && pgk->not_after - notice > now)
			next = min(next, pgk->not_after - (time64_t)notice);
		if (pgk->not_after > now)
			next = min(next, pgk->not_after);
	}
	return next;
}

static void pgk_remove(struct pc5sec_dev *pc, struct pc5sec_pgk *pgk,
		       u8 reason)
{
	struct pc5sec_rx_sa *sa;
	struct hlist_node *tmp;
	unsigned int bkt;

	lockdep_assert_held(&pc->key_lock);
	pc5sec_notify_key(pc, PC5SEC_CMD_EVT_KEY_REMOVED, pgk, reason);
	if (pgk->id == pc->tx_active_id)
		pc->tx_active_id = -1;
	hash_for_each_safe(pc->rx_sas, bkt, tmp, sa, node)
		if (sa->pgk == pgk)
			sa_remove(pc, sa);
	list_del_rcu(&pgk->list);
	pc->keys_gen++;
	pgk_put(pgk);
}

/*
 * @ptk_limit: 0 for none, else 1..PC5SEC_PTK_LIMIT_MAX and above
 * @ptk_start, set from the start so that no COUNT past it is ever taken.
 */
int pc5sec_pgk_add(struct pc5sec_dev *pc, u8 id, const u8 *key,
		   time64_t not_before, time64_t not_after, u16 ptk_start,
		   u32 ptk_limit, struct netlink_ext_ack *extack)
{
	struct pc5sec_pgk *pgk, *other;
	int err;

	if (ptk_limit > PC5SEC_PTK_LIMIT_MAX ||
	    (ptk_limit && ptk_limit <= ptk_start)) {
		NL_SET_ERR_MSG(extack,
			       "the PTK limit must be above ptk-start and at most 65536");
		return -EINVAL;
	}
	pgk = kzalloc(sizeof(*pgk), GFP_KERNEL);
	if (!pgk)
		return -ENOMEM;
	refcount_set(&pgk->refs, 1);
	pgk->id = id;
	memcpy(pgk->key, key, PC5SEC_PGK_LEN);
	pgk->not_before = not_before;
	pgk->not_after = not_after;
	atomic64_set(&pgk->tx_count, (u64)ptk_start << 16);
	pgk->ptk_limit = ptk_limit;
	pgk->tx_limit = tx_limit(ptk_limit);

	mutex_lock(&pc->key_lock);
	list_for_each_entry(other, &pc->pgks, list) {
		if (other->id == id) {
			NL_SET_ERR_MSG(extack, "PGK ID is already installed");
			err = -EEXIST;
			goto err;
		}
		if ((other->id & PC5SEC_PGK_INDEX_MASK) ==
		    (id & PC5SEC_PGK_INDEX_MASK)) {
			NL_SET_ERR_MSG(extack,
				       "PGK Index (the low 5 bits of the PGK ID) collides with an installed PGK");
			err = -EEXIST;
			goto err;
		}
	}
	/* Derive before publishing, so TX never sees a PGK without a PEK. */
	err = tx_prepare(pc, pgk);
	if (err) {
		NL_SET_ERR_MSG(extack, "deriving the PEK failed");
		pgk_free_rcu(&pgk->rcu);
		mutex_unlock(&pc->key_lock);
		return err;
	}
	list_add_tail_rcu(&pgk->list, &pc->pgks);
	pc->keys_gen++;
	pc5sec_notify_key(pc, PC5SEC_CMD_EVT_KEY_ADDED, pgk, 0);
	mutex_unlock(&pc->key_lock);
	return 0;
err:
	mutex_unlock(&pc->key_lock);
	kfree_sensitive(pgk);
	return err;
}

/*
 * Moves a PGK's PTK limit (1..PC5SEC_PTK_LIMIT_MAX), up or down: TX stops
 * at once if it is already past a lowered one. -ENOENT: no such PGK.
 */
int pc5sec_pgk_set_limit(struct pc5sec_dev *pc, u8 id, u32 ptk_limit)
{
	struct pc5sec_pgk *pgk;
	int err = -ENOENT;

	if (!ptk_limit || ptk_limit > PC5SEC_PTK_LIMIT_MAX)
		return -EINVAL;
	mutex_lock(&pc->key_lock);
	list_for_each_entry(pgk, &pc->pgks, list) {
		if (pgk->id != id)
			continue;
		pgk->ptk_limit = ptk_limit;
		WRITE_ONCE(pgk->tx_limit, tx_limit(ptk_limit));
		if (!pgk_limited(pgk))
			pgk->limit_sent = false;
		err = 0;
		break;
	}
	mutex_unlock(&pc->key_lock);
	return err;
}

int pc5sec_pgk_del(struct pc5sec_dev *pc, u8 id)
{
	struct pc5sec_pgk *pgk;
	int err = -ENOENT;

	mutex_lock(&pc->key_lock);
	list_for_each_entry(pgk, &pc->pgks, list) {
		if (pgk->id == id) {
			pgk_remove(pc, pgk, PC5SEC_REMOVED_DELETED);
			err = 0;
			break;
		}
	}
	mutex_unlock(&pc->key_lock);
	return err;
}

static void pgk_flush(struct pc5sec_dev *pc, u8 reason)
{
	struct pc5sec_pgk *pgk, *tmp;

	mutex_lock(&pc->key_lock);
	list_for_each_entry_safe(pgk, tmp, &pc->pgks, list)
		pgk_remove(pc, pgk, reason);
	mutex_unlock(&pc->key_lock);
}

void pc5sec_pgk_flush(struct pc5sec_dev *pc)
{
	pgk_flush(pc, PC5SEC_REMOVED_FLUSHED);
}

/*
 * The PGKs' life in time, under key_lock: removes (and wipes) the expired
 * ones, sends the expiry notices, exhaustion and limit events due, reports
 * a new TX key, then sleeps until the next such moment. TX and RX never wait
 * for this: they check validity per packet, so the switch to a PGK whose
 * not-before has come happens with the first packet after it, whose PEK
 * pc5sec_pgk_add() derived in advance.
 */
static void life_run(struct pc5sec_dev *pc)
{
	u32 notice = READ_ONCE(pc->expiry_notice);
	time64_t now = ktime_get_real_seconds();
	time64_t next = TIME64_MAX;
	struct pc5sec_pgk *pgk, *tmp, *active;
	unsigned long delay;

	lockdep_assert_held(&pc->key_lock);
	list_for_each_entry_safe(pgk, tmp, &pc->pgks, list) {
		if (pgk->not_after && now >= pgk->not_after) {
			pc5sec_notify_key(pc, PC5SEC_CMD_EVT_KEY_EXPIRED, pgk, 0);
			pgk_remove(pc, pgk, PC5SEC_REMOVED_EXPIRED);
			continue;
		}
		if (pgk->not_after && notice && !pgk->expiring_sent &&
		    now >= pgk->not_after - (time64_t)notice) {
			pgk->expiring_sent = true;
			pc5sec_notify_key(pc, PC5SEC_CMD_EVT_KEY_EXPIRING, pgk,
					  0);
		}
		if (pgk_exhausted(pgk) && !pgk->exhausted_sent) {
			pgk->exhausted_sent = true;
			pc5sec_notify_key(pc, PC5SEC_CMD_EVT_KEY_EXHAUSTED, pgk,
					  0);
		} else if (!pgk_exhausted(pgk) && pgk_limited(pgk) &&
			   !pgk->limit_sent) {
			pgk->limit_sent = true;
			pc5sec_notify_key(pc, PC5SEC_CMD_EVT_KEY_LIMIT, pgk, 0);
		}
		next = min(next, pc5sec_pgk_next_event(pgk, notice, now));
	}

	rcu_read_lock();
	active = pc5sec_tx_pgk(pc, now);
	rcu_read_unlock();
	if (active && active->id != pc->tx_active_id)
		pc5sec_notify_key(pc, PC5SEC_CMD_EVT_KEY_ACTIVE, active, 0);
	pc->tx_active_id = active ? active->id : -1;

	if (next == TIME64_MAX)
		return;
	if (next - now > LIFE_MAX_SLEEP) {
		delay = LIFE_MAX_SLEEP * HZ;
	} else {
		s64 ns = next * NSEC_PER_SEC - ktime_get_real_ns();

		/* +1: wake just after the second turns, never just before */
		delay = ns > 0 ? nsecs_to_jiffies(ns) + 1 : 0;
	}
	mod_delayed_work(pc5sec_wq, &pc->life_work, delay);
}

static void life_work(struct work_struct *work)
{
	struct pc5sec_dev *pc = container_of(to_delayed_work(work),
					     struct pc5sec_dev, life_work);

	mutex_lock(&pc->key_lock);
	life_run(pc);
	mutex_unlock(&pc->key_lock);
}

/*
 * Keys or the expiry notice changed: look at the PGKs' life again now.
 * The callers are netlink requests and the key work, not the key
 * functions themselves, so that KUnit can drive those with made-up times.
 */
void pc5sec_keys_changed(struct pc5sec_dev *pc)
{
	mod_delayed_work(pc5sec_wq, &pc->life_work, 0);
}

/*
 * The group, member or suite changed: every derived PEK is stale. Drop
 * them all (and every receiver's state) and derive the TX PEKs again.
 */
void pc5sec_keys_reset(struct pc5sec_dev *pc)
{
	struct pc5sec_rx_sa *sa;
	struct hlist_node *tmp;
	struct pc5sec_pgk *pgk;
	unsigned int bkt;
	int i;

	mutex_lock(&pc->key_lock);
	hash_for_each_safe(pc->rx_sas, bkt, tmp, sa, node)
		sa_remove(pc, sa);
	list_for_each_entry(pgk, &pc->pgks, list) {
		for (i = 0; i < 2; i++)
			pc5sec_pek_put(rcu_replace_pointer(pgk->tx_pek[i], NULL,
							   lockdep_is_held(&pc->key_lock)));
		tx_prepare(pc, pgk);
	}
	mutex_unlock(&pc->key_lock);
}

int pc5sec_keys_init(struct pc5sec_dev *pc)
{
	unsigned int i;

	mutex_init(&pc->key_lock);
	INIT_LIST_HEAD(&pc->pgks);
	hash_init(pc->rx_sas);
	skb_queue_head_init(&pc->rx_pending);
	INIT_WORK(&pc->key_work, key_work);
	INIT_DELAYED_WORK(&pc->life_work, life_work);
	pc->tx_active_id = -1;
	/* jiffies starts near a wrap: "a second ago", not 0 */
	for (i = 0; i < ARRAY_SIZE(pc->unknown_last); i++)
		pc->unknown_last[i] = jiffies - HZ;
	return 0;
}

/* The link is going away: nothing on the packet path reaches it now. */
void pc5sec_keys_uninit(struct pc5sec_dev *pc)
{
	cancel_work_sync(&pc->key_work);
	/* key_work, now stopped, was the only other one to queue this */
	cancel_delayed_work_sync(&pc->life_work);
	skb_queue_purge(&pc->rx_pending);
	pgk_flush(pc, PC5SEC_REMOVED_LINK_DELETED);
}
