// SPDX-License-Identifier: GPL-2.0
/*
 * Receive: the lower device's rx_handler takes frames of a link's
 * EtherType addressed to its group, and delivers the IP packet inside.
 *
 *   pc5sec_handle_frame: find the link by EtherType and Group ID (other
 *   frames pass on untouched) -> rx_frame: parse, find the PGK by index
 *   and the sender's state, check replay, decipher -> rx_done: check the
 *   SDU, deliver through GRO cells.
 *
 * A frame from a sender (or of a PTK) whose PEK is not derived yet waits
 * on rx_pending; rx_work, in process context, derives what it needs and
 * runs it through rx_frame again (rx_resume). The same work derives the
 * senders' next PEKs ahead of their SN wrap and reports unknown PGK
 * Indexes.
 *
 * Every frame a link takes and does not deliver is counted: rx_malformed,
 * rx_nokey, rx_replay (and rx_auth_fail for authenticated suites).
 */
#include <linux/kernel.h>
#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/timekeeping.h>
#include <linux/completion.h>

#include "pc5sec.h"
#include "keys.h"
#include "senders.h"
#include "events.h"

/* Frames a link holds while their PEK is being derived. */
#define RX_MAX_PENDING	256

static void rx_drop(struct pc5sec_dev *pc, struct sk_buff *skb,
		    enum pc5sec_counter why)
{
	pc5sec_drop(pc, skb, why, true);
}

/*
 * Delivers a deciphered (and, with an AEAD suite, authenticated) frame:
 * skb->data at the header, skb->dev the link. The Data field must be an
 * IPv4 or IPv6 packet. BH context.
 */
static void rx_deliver(struct pc5sec_dev *pc, struct sk_buff *skb)
{
	struct net_device *dev = pc->dev;
	unsigned int len;
	__be16 proto;

	if (pc5sec_cipher_is_aead(READ_ONCE(pc->cipher)) &&
	    pskb_trim(skb, skb->len - PC5SEC_TAG_LEN))
		goto malformed;
	__skb_pull(skb, PC5SEC_HDR_LEN);
	if (unlikely(!pskb_may_pull(skb, 1)))
		goto malformed;
	switch (skb->data[0] >> 4) {
	case 4:
		proto = htons(ETH_P_IP);
		if (!pskb_may_pull(skb, sizeof(struct iphdr)))
			goto malformed;
		break;
	case 6:
		proto = htons(ETH_P_IPV6);
		if (!pskb_may_pull(skb, sizeof(struct ipv6hdr)))
			goto malformed;
		break;
	default:
		goto malformed;
	}

	memset(skb->cb, 0, sizeof(skb->cb));
	skb->protocol = proto;
	skb->pkt_type = PACKET_HOST;	/* sent to the group: for us */
	skb->ip_summed = CHECKSUM_NONE;
	skb_reset_mac_header(skb);
	skb_reset_network_header(skb);
	skb_reset_transport_header(skb);
	len = skb->len;
	if (unlikely(!netif_running(dev)))
		return rx_drop(pc, skb, PC5SEC_CNT_MAX);
	if (likely(gro_cells_receive(&pc->gro_cells, skb) == NET_RX_SUCCESS)) {
		pc5sec_count(pc, PC5SEC_CNT_RX_PACKETS, 1);
		pc5sec_count(pc, PC5SEC_CNT_RX_BYTES, len);
	} else {
		dev_core_stats_rx_dropped_inc(dev);
	}
	return;
malformed:
	rx_drop(pc, skb, PC5SEC_CNT_RX_MALFORMED);
}

/* RX asks for the sender's PTK+1 ahead of its SN wrap. RCU. */
static void rx_want_next(struct pc5sec_dev *pc, struct pc5sec_rx_sa *sa,
			 u32 count)
{
	if (pc5sec_rx_sa_want_next(sa, count))
		queue_work(pc5sec_wq, &pc->rx_work);
}

/*
 * Checks @count against @sa's window, and moves the window if @update and
 * it is fresh. BH or process context.
 */
static bool rx_replay(struct pc5sec_dev *pc, struct pc5sec_rx_sa *sa,
		      u32 count, bool update)
{
	bool fresh;

	spin_lock_bh(&sa->lock);
	fresh = pc5sec_replay_check(&sa->replay, count,
				    READ_ONCE(pc->replay_window));
	if (fresh && update)
		pc5sec_replay_update(&sa->replay, count);
	spin_unlock_bh(&sa->lock);
	return fresh;
}

/* After the cipher. With an AEAD suite the window moves only now. */
static void rx_done(struct sk_buff *skb, int err)
{
	struct net_device *dev = skb->dev;	/* held since rx_frame */
	struct pc5sec_dev *pc = netdev_priv(dev);
	struct pc5sec_cb *cb = pc5sec_cb(skb);
	struct pc5sec_rx_sa *sa = cb->sa;
	u32 count = cb->count;
	bool fresh = true;

	pc5sec_pek_put(cb->pek);
	if (unlikely(err)) {
		rx_drop(pc, skb, pc5sec_rx_err_counter(err));
		goto out;
	}
	if (sa) {
		fresh = rx_replay(pc, sa, count, true);
		if (fresh) {
			WRITE_ONCE(sa->last_rx, jiffies);
			atomic64_inc(&sa->pgk->rx_packets);
			rcu_read_lock();
			rx_want_next(pc, sa, count);
			rcu_read_unlock();
		}
	}
	if (fresh)
		rx_deliver(pc, skb);
	else
		rx_drop(pc, skb, PC5SEC_CNT_RX_REPLAY);
out:
	if (sa)
		pc5sec_rx_sa_put(sa);
	dev_put(dev);
}

/* Parks a frame whose PEK is not derived yet. False: the caller drops. */
static bool rx_defer(struct pc5sec_dev *pc, struct sk_buff *skb)
{
	if (skb_queue_len(&pc->rx_pending) >= RX_MAX_PENDING)
		return false;
	skb_queue_tail(&pc->rx_pending, skb);
	queue_work(pc5sec_wq, &pc->rx_work);
	return true;
}

/*
 * RCU, for a frame whose PGK Index names no usable PGK: if no installed
 * PGK has that index at all, ask rx_work to tell userspace (a key helper
 * may fetch it), at most once a second per index.
 */
void pc5sec_rx_unknown(struct pc5sec_dev *pc, u8 index, u32 sender)
{
	index &= PC5SEC_PGK_INDEX_MASK;
	if (pc5sec_pgk_index_used(pc, index))
		return;
	if (time_before(jiffies, READ_ONCE(pc->unknown_last[index]) + HZ))
		return;
	WRITE_ONCE(pc->unknown_last[index], jiffies);
	WRITE_ONCE(pc->unknown_sender[index], sender);
	if (!test_and_set_bit(index, &pc->unknown_pending))
		queue_work(pc5sec_wq, &pc->rx_work);
}

/*
 * A frame for this link, skb->data at the pc5sec header. BH context.
 * @resumed: rx_work has just prepared this frame's PEK; a frame that
 * still finds none is dropped rather than deferred again.
 */
static void rx_frame(struct pc5sec_dev *pc, struct sk_buff *skb, bool resumed)
{
	struct pc5sec_cb *cb = pc5sec_cb(skb);
	struct pc5sec_frame f;
	struct pc5sec_rx_sa *sa;
	struct pc5sec_pgk *pgk;
	struct pc5sec_pek *pek;
	bool fresh, aead;
	u32 count;
	int err;

	if (pc5sec_frame_parse(skb->data, skb_headlen(skb), &f) !=
	    PC5SEC_FRAME_OK)
		return rx_drop(pc, skb, PC5SEC_CNT_RX_MALFORMED);
	count = pc5sec_frame_count(&f);

	rcu_read_lock();
	pgk = pc5sec_rx_pgk(pc, f.pgk_index, ktime_get_real_seconds());
	if (!pgk) {
		pc5sec_rx_unknown(pc, f.pgk_index, f.src);
		rcu_read_unlock();
		return rx_drop(pc, skb, PC5SEC_CNT_RX_NOKEY);
	}
	sa = pc5sec_rx_sa_find(pc, f.src, pgk);
	pek = sa ? pc5sec_pek_get(sa->pek, f.ptk_id) : NULL;
	if (!pek) {
		rcu_read_unlock();
		/* A sender or PTK not seen yet: rx_work derives its PEK. */
		cb->sender = f.src;
		cb->pgk_index = f.pgk_index;
		cb->count = count;
		if (resumed || !rx_defer(pc, skb))
			rx_drop(pc, skb, PC5SEC_CNT_RX_NOKEY);
		return;
	}

	/*
	 * EEA0/EEA2 have no integrity: the window moves on what it sees. An
	 * AEAD suite only checks here and moves the window in rx_done, once
	 * the frame has authenticated, so a forged frame cannot move it.
	 */
	aead = pc5sec_cipher_is_aead(READ_ONCE(pc->cipher));
	cb->sa = NULL;
	fresh = rx_replay(pc, sa, count, !aead);
	if (!fresh || (aead && !refcount_inc_not_zero(&sa->refs))) {
		/* (a state going away as we look is a PGK being deleted) */
		rcu_read_unlock();
		pc5sec_pek_put(pek);
		return rx_drop(pc, skb, fresh ? PC5SEC_CNT_RX_NOKEY :
						PC5SEC_CNT_RX_REPLAY);
	}
	/* With an AEAD suite, a forged frame must not keep a sender alive. */
	if (aead) {
		cb->sa = sa;
	} else {
		WRITE_ONCE(sa->last_rx, jiffies);
		atomic64_inc(&pgk->rx_packets);
		rx_want_next(pc, sa, count);
	}
	rcu_read_unlock();

	cb->count = count;
	cb->pek = pek;
	skb->dev = pc->dev;
	dev_hold(pc->dev);
	err = pc5sec_crypt(skb, PC5SEC_HDR_LEN, false, pek, count, rx_done);
	if (err != -EINPROGRESS)
		rx_done(skb, err);
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
 * forged frame thus creates no state and displaces no PEK. key_lock.
 */
static void rx_resume_aead(struct pc5sec_dev *pc, struct sk_buff *skb,
			   struct pc5sec_pgk *pgk, struct pc5sec_rx_sa *sa)
{
	struct pc5sec_cb *cb = pc5sec_cb(skb);
	u32 count = cb->count, sender = cb->sender;
	enum pc5sec_counter why = PC5SEC_CNT_RX_NOKEY;
	struct pc5sec_rx_wait w;
	struct pc5sec_pek *pek;
	int err;

	pek = pc5sec_pek_new(READ_ONCE(pc->cipher), pgk->key, sender,
			     count >> 16, READ_ONCE(pc->group));
	if (IS_ERR(pek))
		goto drop;
	if (sa && !rx_replay(pc, sa, count, false)) {
		why = PC5SEC_CNT_RX_REPLAY;
		goto drop_pek;
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
		sa = pc5sec_rx_sa_create(pc, sender, pgk);
	if (!sa)
		goto drop_pek;
	pc5sec_pek_publish(pc, sa->pek, pek);
	if (!rx_replay(pc, sa, count, true)) {
		why = PC5SEC_CNT_RX_REPLAY;
		goto drop;
	}
	WRITE_ONCE(sa->last_rx, jiffies);
	atomic64_inc(&pgk->rx_packets);
	local_bh_disable();
	rx_deliver(pc, skb);
	local_bh_enable();
	return;

drop_pek:
	pc5sec_pek_put(pek);
drop:
	local_bh_disable();
	rx_drop(pc, skb, why);
	local_bh_enable();
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
	    !(sa && pc5sec_pek_ready(pc, sa->pek, ptk_id)))
		return rx_resume_aead(pc, skb, pgk, sa);
	if (!sa)
		sa = pc5sec_rx_sa_create(pc, cb->sender, pgk);
	if (!sa || pc5sec_pek_prepare(pc, sa->pek, pgk, cb->sender, ptk_id))
		goto drop;

	local_bh_disable();
	rx_frame(pc, skb, true);
	local_bh_enable();
	return;
drop:
	local_bh_disable();
	rx_drop(pc, skb, PC5SEC_CNT_RX_NOKEY);
	local_bh_enable();
}

/* RX's process-context half; see the top of this file. */
static void rx_work(struct work_struct *work)
{
	struct pc5sec_dev *pc = container_of(work, struct pc5sec_dev, rx_work);
	unsigned long pending, bit;
	struct sk_buff *skb;
	unsigned int n;

	mutex_lock(&pc->key_lock);
	pc5sec_senders_prepare_next(pc);

	pending = xchg(&pc->unknown_pending, 0);
	for_each_set_bit(bit, &pending, PC5SEC_PGK_INDEX_MASK + 1) {
		struct pc5sec_event ev = {
			.pc = pc,
			.cmd = PC5SEC_CMD_EVT_UNKNOWN_PGK,
			.pgk_index = bit,
			.sender = READ_ONCE(pc->unknown_sender[bit]),
		};

		pc5sec_event_raise(&ev);
	}

	/* Only the frames queued so far: RX may keep adding. */
	for (n = skb_queue_len(&pc->rx_pending); n; n--) {
		skb = skb_dequeue(&pc->rx_pending);
		if (!skb)
			break;
		rx_resume(pc, skb);
	}
	mutex_unlock(&pc->key_lock);
}

/* The first link on @port using EtherType @proto. RCU. */
static struct pc5sec_dev *link_of_type(struct pc5sec_port *port, __be16 proto)
{
	struct pc5sec_dev *pc;

	list_for_each_entry_rcu(pc, &port->links, port_list)
		if (htons(READ_ONCE(pc->ethertype)) == proto)
			return pc;
	return NULL;
}

/* The running link for @proto and Group ID @group. RCU. */
static struct pc5sec_dev *find_link(struct pc5sec_port *port, __be16 proto,
				    u32 group)
{
	struct pc5sec_dev *pc;

	list_for_each_entry_rcu(pc, &port->links, port_list)
		if (htons(READ_ONCE(pc->ethertype)) == proto &&
		    READ_ONCE(pc->group) == group && netif_running(pc->dev))
			return pc;
	return NULL;
}

rx_handler_result_t pc5sec_handle_frame(struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;
	struct pc5sec_port *port;
	struct pc5sec_dev *pc;

	if (unlikely(skb->pkt_type == PACKET_LOOPBACK))
		return RX_HANDLER_PASS;
	port = rcu_dereference(skb->dev->rx_handler_data);
	pc = link_of_type(port, skb->protocol);
	if (!pc)
		return RX_HANDLER_PASS;	/* not a pc5sec EtherType here */
	if (unlikely(!pskb_may_pull(skb, PC5SEC_HDR_LEN))) {
		/* Too short to name a group: the first such link counts it. */
		rx_drop(pc, skb, PC5SEC_CNT_RX_MALFORMED);
		return RX_HANDLER_CONSUMED;
	}
	pc = find_link(port, skb->protocol,
		       pc5sec_frame_dst((struct pc5sec_hdr *)skb->data));
	if (!pc)
		return RX_HANDLER_PASS;	/* another group's frame */

	skb = skb_share_check(skb, GFP_ATOMIC);
	if (!skb)
		return RX_HANDLER_CONSUMED;
	*pskb = skb;
	rx_frame(pc, skb, false);
	return RX_HANDLER_CONSUMED;
}

void pc5sec_rx_init(struct pc5sec_dev *pc)
{
	unsigned int i;

	skb_queue_head_init(&pc->rx_pending);
	INIT_WORK(&pc->rx_work, rx_work);
	/* jiffies starts near a wrap: "a second ago", not 0 */
	for (i = 0; i < ARRAY_SIZE(pc->unknown_last); i++)
		pc->unknown_last[i] = jiffies - HZ;
}

/*
 * The link is unregistering: no new frame reaches it. A decryption still
 * in flight may queue rx_work again; the destructor cancels it once more.
 */
void pc5sec_rx_uninit(struct pc5sec_dev *pc)
{
	cancel_work_sync(&pc->rx_work);
	skb_queue_purge(&pc->rx_pending);
}
