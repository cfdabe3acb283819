// SPDX-License-Identifier: GPL-2.0
/*
 * The PGKs' life on a link: they are installed, limited, deleted and
 * flushed (netlink requests), become valid, near their end and expire
 * (the life work), and go stale all at once when the link's identity
 * changes. Each change raises its event (events.h).
 *
 * Locking: every function here takes or asserts key_lock; netlink
 * requests also hold RTNL.
 */
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/timekeeping.h>
#include <net/netlink.h>

#include "pc5sec.h"
#include "keys.h"
#include "senders.h"
#include "events.h"
#include "life.h"

/*
 * The life work wakes at least this often while any PGK has a bound in
 * time, so that a step of the wall clock (NTP, GNSS time after boot) is
 * seen within a minute. TX and RX check validity per packet regardless.
 */
#define LIFE_MAX_SLEEP	60		/* seconds */

static void pgk_remove(struct pc5sec_dev *pc, struct pc5sec_pgk *pgk,
		       u8 reason)
{
	lockdep_assert_held(&pc->key_lock);
	pc5sec_event_key(pc, PC5SEC_CMD_EVT_KEY_REMOVED, pgk, reason);
	if (pgk->id == pc->tx_active_id)
		pc->tx_active_id = -1;
	pc5sec_senders_remove(pc, pgk);
	list_del_rcu(&pgk->list);
	pc->keys_gen++;
	pc5sec_pgk_put(pgk);
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
	pgk = pc5sec_pgk_new(id, key, not_before, not_after, ptk_start,
			     ptk_limit);
	if (!pgk)
		return -ENOMEM;

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
	err = pc5sec_tx_prepare(pc, pgk);
	if (err) {
		NL_SET_ERR_MSG(extack, "deriving the PEK failed");
		goto err;
	}
	list_add_tail_rcu(&pgk->list, &pc->pgks);
	pc->keys_gen++;
	pc5sec_event_key(pc, PC5SEC_CMD_EVT_KEY_ADDED, pgk, 0);
	mutex_unlock(&pc->key_lock);
	return 0;
err:
	mutex_unlock(&pc->key_lock);
	pc5sec_pgk_put(pgk);
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
	pgk = pc5sec_pgk_find(pc, id);
	if (pgk) {
		pc5sec_pgk_set_tx_limit(pgk, ptk_limit);
		if (!pc5sec_pgk_limited(pgk))
			pgk->limit_sent = false;
		err = 0;
	}
	mutex_unlock(&pc->key_lock);
	return err;
}

int pc5sec_pgk_del(struct pc5sec_dev *pc, u8 id, u8 reason)
{
	struct pc5sec_pgk *pgk;
	int err = -ENOENT;

	mutex_lock(&pc->key_lock);
	pgk = pc5sec_pgk_find(pc, id);
	if (pgk) {
		pgk_remove(pc, pgk, reason);
		err = 0;
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
 * A new group, member or suite: every derived PEK is stale. The identity
 * changes under key_lock, so that no derivation mixes old and new, and
 * every PEK goes with every receiver's state; the TX PEKs are derived
 * again before the lock is let go. A packet in between finds a PEK of the
 * old suite, or none, and is dropped: TX and RX use a PEK only if its
 * suite is the link's. This is the only writer of the three while the
 * link is registered.
 */
void pc5sec_keys_rekey(struct pc5sec_dev *pc, u32 group, u32 member,
		       u8 cipher)
{
	struct pc5sec_pgk *pgk;

	mutex_lock(&pc->key_lock);
	WRITE_ONCE(pc->group, group);
	WRITE_ONCE(pc->member, member);
	WRITE_ONCE(pc->cipher, cipher);
	pc5sec_senders_remove(pc, NULL);
	list_for_each_entry(pgk, &pc->pgks, list) {
		pc5sec_tx_drop_peks(pc, pgk);
		pc5sec_tx_prepare(pc, pgk);
	}
	mutex_unlock(&pc->key_lock);
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

/* The events due for @pgk now, other than its expiry. */
static void pgk_notices(struct pc5sec_dev *pc, struct pc5sec_pgk *pgk,
			u32 notice, time64_t now)
{
	if (pgk->not_after && notice && !pgk->expiring_sent &&
	    now >= pgk->not_after - (time64_t)notice) {
		pgk->expiring_sent = true;
		pc5sec_event_key(pc, PC5SEC_CMD_EVT_KEY_EXPIRING, pgk, 0);
	}
	if (pc5sec_pgk_exhausted(pgk) && !pgk->exhausted_sent) {
		pgk->exhausted_sent = true;
		pc5sec_event_key(pc, PC5SEC_CMD_EVT_KEY_EXHAUSTED, pgk, 0);
	} else if (!pc5sec_pgk_exhausted(pgk) && pc5sec_pgk_limited(pgk) &&
		   !pgk->limit_sent) {
		pgk->limit_sent = true;
		pc5sec_event_key(pc, PC5SEC_CMD_EVT_KEY_LIMIT, pgk, 0);
	}
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
			pc5sec_event_key(pc, PC5SEC_CMD_EVT_KEY_EXPIRED, pgk, 0);
			pgk_remove(pc, pgk, PC5SEC_REMOVED_EXPIRED);
			continue;
		}
		pgk_notices(pc, pgk, notice, now);
		next = min(next, pc5sec_pgk_next_event(pgk, notice, now));
	}

	rcu_read_lock();
	active = pc5sec_tx_pgk(pc, now);
	rcu_read_unlock();
	if (active && active->id != pc->tx_active_id)
		pc5sec_event_key(pc, PC5SEC_CMD_EVT_KEY_ACTIVE, active, 0);
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
 * The callers are netlink requests and TX, not the key functions
 * themselves, so that KUnit can drive those with made-up times.
 */
void pc5sec_keys_changed(struct pc5sec_dev *pc)
{
	mod_delayed_work(pc5sec_wq, &pc->life_work, 0);
}

void pc5sec_life_init(struct pc5sec_dev *pc)
{
	INIT_DELAYED_WORK(&pc->life_work, life_work);
	pc->tx_active_id = -1;
}

/*
 * The link is going away: TX and netlink, which queue the life work, have
 * stopped. Every PGK goes, each with its event.
 */
void pc5sec_life_uninit(struct pc5sec_dev *pc)
{
	cancel_delayed_work_sync(&pc->life_work);
	pgk_flush(pc, PC5SEC_REMOVED_LINK_DELETED);
}
