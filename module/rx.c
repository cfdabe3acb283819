// SPDX-License-Identifier: GPL-2.0
/*
 * Receive: the lower device's rx_handler takes frames of a link's
 * EtherType addressed to its group, and delivers the IP packet inside.
 *
 *   pc5sec_handle_frame: find the link by EtherType, Group ID and group
 *   MAC (other frames pass on untouched) -> rx_frame: parse, find the PGK
 *   by index and the sender's state, check the window, decipher (inline
 *   or on any CPU, parallel.c) -> rx_done, in arrival order: check the
 *   SDU, move the window, deliver through GRO (this CPU's GRO cell, or
 *   the RX queue's NAPI poll).
 *
 * Anyone can transmit on the air, so nothing a frame says is believed
 * before it proves itself: it must authenticate (AEAD) or decipher into a
 * well-formed IP packet (EEA0-EEA3, pc5sec_frame_sdu_valid) before it moves a
 * window, creates a sender's state or puts a PEK in a slot.
 *
 * A frame from a sender (or of a PTK) whose PEK is not derived yet waits
 * on rx_pending; rx_work, in process context, derives its PEK aside,
 * deciphers and checks it there (rx_resume_new) and only then keeps the
 * PEK. The same work derives the senders' next PEKs ahead of their SN
 * wrap and reports unknown PGK Indexes.
 *
 * Every frame a link takes and does not deliver is counted: rx_malformed,
 * rx_nokey, rx_replay (and rx_auth_fail for authenticated suites).
 */
#include <linux/kernel.h>
#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/timekeeping.h>
#include <linux/completion.h>

#include "pc5sec.h"
#include "keys.h"
#include "senders.h"
#include "events.h"

/* Frames a link holds while their PEK is being derived. */
#define RX_MAX_PENDING	256
/* Frames rx_work resumes per run, holding key_lock. */
#define RX_WORK_BATCH	16
/*
 * How far past the highest COUNT a sender has proved its next frame may
 * be: 64 PTK Identities, beyond pc5keyd's default reservation (the PTKs a
 * sender skips after a crash) and more packets than a talker sends while
 * a receiver has it out of reach but not yet idle.
 */
#define RX_MAX_JUMP	(64ULL << 16)

static void rx_drop(struct pc5sec_dev *pc, struct sk_buff *skb,
		    enum pc5sec_counter why)
{
	pc5sec_drop(pc, skb, why, true);
}

/*
 * Delivers a frame that pc5sec_frame_sdu_valid() accepted: skb->data at the header,
 * skb->dev the link. BH context.
 *
 * This and the window's helpers below are __always_inline: every frame
 * goes through them. Folding them into rx_frame() and rx_done(), with
 * the header and PGK helpers made inline, took another quarter off RX's
 * fixed cost per frame in the microbenchmark (bench/README.md, "Fixed
 * cost per packet", step 3).
 */
static __always_inline void rx_deliver(struct pc5sec_dev *pc,
				       struct sk_buff *skb,
				       struct napi_struct *napi)
{
	struct net_device *dev = pc->dev;
	unsigned int len;

	__skb_pull(skb, PC5SEC_HDR_LEN);
	/*
	 * A new packet on this link, which may live in another netns than
	 * the lower: nothing of the frame's past (dst, conntrack, mark,
	 * timestamp, socket) comes with it.
	 */
	skb_scrub_packet(skb, !net_eq(dev_net(dev), dev_net(pc->lower)));
	memset(skb->cb, 0, sizeof(skb->cb));
	skb->protocol = skb->data[0] >> 4 == 4 ? htons(ETH_P_IP) :
						 htons(ETH_P_IPV6);
	skb->pkt_type = PACKET_HOST;	/* sent to the group: for us */
	skb->ip_summed = CHECKSUM_NONE;
	skb_reset_mac_header(skb);
	skb_reset_network_header(skb);
	skb_reset_transport_header(skb);
	len = skb->len;
	if (unlikely(!netif_running(dev)))
		return rx_drop(pc, skb, PC5SEC_CNT_MAX);
	/* In the RX queue's poll: its GRO; inline: this CPU's GRO cell. */
	if (napi) {
		napi_gro_receive(napi, skb);
	} else if (unlikely(gro_cells_receive(&pc->gro_cells, skb) !=
			    NET_RX_SUCCESS)) {
		dev_core_stats_rx_dropped_inc(dev);
		return;
	}
	pc5sec_count_packet(pc, PC5SEC_CNT_RX_PACKETS, PC5SEC_CNT_RX_BYTES, len);
}

/* RX asks for the sender's PTK+1 ahead of its SN wrap. BH disabled. */
static __always_inline void rx_want_next(struct pc5sec_dev *pc,
					 struct pc5sec_rx_sa *sa, u32 count)
{
	if (pc5sec_rx_sa_want_next(sa, count))
		queue_work(pc5sec_wq, &pc->rx_work);
}

/*
 * Whether @count may still come from @sa's sender: not replayed (the
 * window), and not further ahead of what the sender last proved than
 * RX_MAX_JUMP, so that even a forgery that validates by luck cannot push
 * the window out of a genuine sender's reach. A sender silent for
 * PC5SEC_SENDER_IDLE may have gone anywhere (a reboot, a PGK installed
 * again further on): then only the window applies. @update: the frame has
 * proved itself, move the window and count it as the sender's.
 *
 * BH disabled, by the packet path's softirq or by rx_work: sa->lock is
 * only ever taken with BH off, so the plain spin_lock() suffices, and
 * saves the packet path a local_bh_disable()/enable() pair twice a frame.
 */
static __always_inline bool rx_window(struct pc5sec_dev *pc,
				      struct pc5sec_rx_sa *sa, u32 count,
				      bool update)
{
	bool ok;

	lockdep_assert_in_softirq();
	spin_lock(&sa->lock);
	ok = pc5sec_replay_check(&sa->replay, count,
				 READ_ONCE(pc->replay_window)) &&
	     (!sa->replay.top || count < sa->replay.top + RX_MAX_JUMP ||
	      time_after(jiffies, READ_ONCE(sa->last_rx) + PC5SEC_SENDER_IDLE));
	if (ok && update) {
		pc5sec_replay_update(&sa->replay, count);
		sa->rx_packets++;
	}
	spin_unlock(&sa->lock);
	return ok;
}

/*
 * A frame of @sa's sender proved itself and moved the window. BH
 * disabled, which is an RCU read-side section for rx_want_next().
 */
static __always_inline void rx_accept(struct pc5sec_dev *pc,
				      struct pc5sec_rx_sa *sa, u32 count)
{
	WRITE_ONCE(sa->last_rx, jiffies);
	atomic64_inc(&sa->pgk->rx_packets);
	rx_want_next(pc, sa, count);
}

/*
 * After the cipher. The window moves only now, once the frame has
 * authenticated (AEAD) or turned out a well-formed SDU (EEA0-EEA3), so a
 * forged frame moves nothing. Inlined into rx_frame(), which calls it for
 * every frame deciphered inline; the queue and the asynchronous
 * completions call a copy.
 */
static __always_inline void finish(struct sk_buff *skb, int err,
				   struct napi_struct *napi)
{
	struct net_device *dev = skb->dev;	/* held since rx_frame */
	struct pc5sec_dev *pc = netdev_priv(dev);
	struct pc5sec_cb *cb = pc5sec_cb(skb);
	struct pc5sec_rx_sa *sa;
	enum pc5sec_counter why;
	u32 count;
	bool aead;

	/*
	 * rx_work checked it and moved the window (and holds no PEK or
	 * state for it): its turn to go up.
	 */
	if (unlikely(cb->checked)) {
		rx_deliver(pc, skb, napi);
		dev_put(dev);
		return;
	}
	aead = cb->pek->aead;	/* the suite's, as pc5sec_crypt() saw it */
	sa = cb->sa;
	count = cb->count;
	pc5sec_pek_put(cb->pek);
	why = pc5sec_rx_err_counter(err);
	if (unlikely(err))
		goto drop;
	why = PC5SEC_CNT_RX_MALFORMED;
	if (unlikely(!pc5sec_frame_sdu_valid(skb, aead)))
		goto drop;
	why = PC5SEC_CNT_RX_REPLAY;
	if (unlikely(!rx_window(pc, sa, count, true)))
		goto drop;
	rx_accept(pc, sa, count);
	rx_deliver(pc, skb, napi);
	goto out;
drop:
	rx_drop(pc, skb, why);
out:
	pc5sec_rx_sa_put(sa);
	dev_put(dev);
}

/* A frame deciphered inline (and its asynchronous completion). */
static __always_inline void rx_done(struct sk_buff *skb, int err)
{
	finish(skb, err, NULL);
}

/* A frame the RX queue finishes, in its NAPI poll (parallel.c). */
static void rx_done_napi(struct sk_buff *skb, int err)
{
	struct pc5sec_dev *pc = netdev_priv(skb->dev);

	finish(skb, err, &pc->rxq.napi);
}

static atomic_t *deferred_slot(struct pc5sec_dev *pc, u32 sender)
{
	return &pc->rx_deferred[sender % PC5SEC_RX_DEFERRED_SLOTS];
}

/*
 * Parks a frame whose PEK is not derived yet, or whose sender has frames
 * parked already. False: the caller drops.
 */
static bool rx_defer(struct pc5sec_dev *pc, struct sk_buff *skb)
{
	if (skb_queue_len(&pc->rx_pending) >= RX_MAX_PENDING)
		return false;
	atomic_inc(deferred_slot(pc, pc5sec_cb(skb)->sender));
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
	u32 count;
	int err;

	if (pc5sec_frame_parse(skb->data, skb_headlen(skb), &f) !=
	    PC5SEC_FRAME_OK)
		return rx_drop(pc, skb, PC5SEC_CNT_RX_MALFORMED);
	count = pc5sec_frame_count(&f);

	/*
	 * No rcu_read_lock() of our own: BH is disabled here (the lower's
	 * softirq, or rx_work), which is an RCU read-side section for the PGK
	 * list, the senders' table and the PEK slots.
	 */
	pgk = pc5sec_rx_pgk(pc, f.pgk_index, ktime_get_real_seconds());
	if (!pgk) {
		pc5sec_rx_unknown(pc, f.pgk_index, f.src);
		return rx_drop(pc, skb, PC5SEC_CNT_RX_NOKEY);
	}
	sa = pc5sec_rx_sa_find(pc, f.src, pgk);
	/* Cheap before costly: no decryption, no derivation for a stale COUNT. */
	if (sa && !rx_window(pc, sa, count, false))
		return rx_drop(pc, skb, PC5SEC_CNT_RX_REPLAY);
	pek = sa ? pc5sec_pek_get(sa->pek, f.ptk_id) : NULL;
	/*
	 * Earlier frames of this sender (or of one sharing its slot) wait on
	 * rx_pending, for the PEK this one has found published: it waits
	 * behind them, in arrival order, or it would reach the application
	 * first (order.sh saw B's datagram 1 after its 6 on the debug
	 * kernel). Only while a sender starts or changes PTK.
	 */
	if (unlikely(pek && !resumed &&
		     atomic_read(deferred_slot(pc, f.src)))) {
		pc5sec_pek_put(pek);
		pek = NULL;
	}
	if (!pek) {
		/* A sender or PTK not seen yet: rx_work derives its PEK. */
		cb->sender = f.src;
		cb->pgk_index = f.pgk_index;
		cb->count = count;
		if (resumed || !rx_defer(pc, skb))
			rx_drop(pc, skb, PC5SEC_CNT_RX_NOKEY);
		return;
	}
	/*
	 * The suite is the PEK's, and must be the link's: a PEK left from
	 * before a suite change that is rekeying now opens nothing, so a CTR
	 * PEK never "decrypts" a frame on an AEAD link. A state going away
	 * as we look is a PGK being deleted.
	 */
	if (unlikely(pek->cipher != READ_ONCE(pc->cipher) ||
		     !refcount_inc_not_zero(&sa->refs))) {
		pc5sec_pek_put(pek);
		return rx_drop(pc, skb, PC5SEC_CNT_RX_NOKEY);
	}

	cb->sa = sa;
	cb->count = count;
	cb->pek = pek;
	cb->checked = false;
	skb->dev = pc->dev;
	dev_hold(pc->dev);
	/*
	 * rx_work's frames go through the queue, never inline: a frame
	 * delivered from rx_work's CPU could be overtaken by one the queue
	 * delivers on another (see rx_resume_new()).
	 */
	err = resumed ? pc5sec_queue_submit(&pc->rxq, skb) :
			pc5sec_queue_crypt(&pc->rxq, skb);
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

/* Tells userspace of a member ID conflict. rx_work, key_lock. */
static void rx_conflict(struct pc5sec_dev *pc, struct pc5sec_pgk *pgk,
			u32 sender)
{
	struct pc5sec_event ev = {
		.pc = pc,
		.cmd = PC5SEC_CMD_EVT_MEMBER_CONFLICT,
		.pgk = pgk,
		.pgk_index = -1,
		.sender = sender,
	};

	lockdep_assert_held(&pc->key_lock);
	netdev_warn_once(pc->dev,
			 "another UE sends with this link's member ID 0x%06x\n",
			 sender);
	pc5sec_event_raise(&ev);
}

/*
 * A frame whose PEK (or sender) is new. Its PEK is derived aside and the
 * frame deciphered with it here; only if it authenticates (AEAD) or turns
 * out a well-formed SDU (EEA0-EEA3) do the PEK and, for a new sender, the
 * receiver's state enter the tables. A forged frame thus creates no state
 * and displaces no PEK. key_lock.
 */
static void rx_resume_new(struct pc5sec_dev *pc, struct sk_buff *skb,
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

	init_completion(&w.done);
	cb->wait = &w;
	skb->dev = pc->dev;
	err = pc5sec_crypt(skb, PC5SEC_HDR_LEN, false, pek, count,
			   rx_wait_done);
	if (err == -EINPROGRESS) {
		wait_for_completion(&w.done);
		err = w.err;
	}
	why = pc5sec_rx_err_counter(err);
	if (err)
		goto drop_pek;
	why = PC5SEC_CNT_RX_MALFORMED;
	if (!pc5sec_frame_sdu_valid(skb, pc5sec_cipher_is_aead(pek->cipher)))
		goto drop_pek;
	/*
	 * A frame that proved itself in our own member's name: another UE
	 * uses our member ID (the two reuse each other's keystream). It gets
	 * no receiver's state, so every such frame comes this way and is
	 * counted; the event goes out once per PGK.
	 */
	why = PC5SEC_CNT_RX_OWN_MEMBER;
	if (unlikely(sender == READ_ONCE(pc->member))) {
		if (!pgk->conflict_sent) {
			pgk->conflict_sent = true;
			rx_conflict(pc, pgk, sender);
		}
		goto drop_pek;
	}

	why = PC5SEC_CNT_RX_NOKEY;
	if (!sa)
		sa = pc5sec_rx_sa_create(pc, sender, pgk);
	if (!sa)
		goto drop_pek;
	pc5sec_pek_publish(pc, sa->pek, pek);
	local_bh_disable();
	if (rx_window(pc, sa, count, true)) {
		rx_accept(pc, sa, count);
		/*
		 * Up the stack in its turn, through the RX queue: delivered
		 * from here, through this CPU's GRO cell, it waited for this
		 * CPU's softirq, while the sender's next frame, resumed
		 * below and deciphered on another CPU, went up there first
		 * (order.sh: datagram 1 before 0).
		 */
		cb->checked = true;
		dev_hold(pc->dev);
		if (pc5sec_queue_done(&pc->rxq, skb) != -EINPROGRESS) {
			dev_put(pc->dev);
			rx_drop(pc, skb, PC5SEC_CNT_MAX);
		}
	} else {
		rx_drop(pc, skb, PC5SEC_CNT_RX_REPLAY);
	}
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
	enum pc5sec_counter why = PC5SEC_CNT_RX_NOKEY;
	struct pc5sec_rx_sa *sa;
	struct pc5sec_pgk *pgk;

	lockdep_assert_held(&pc->key_lock);
	rcu_read_lock();
	pgk = pc5sec_rx_pgk(pc, cb->pgk_index, ktime_get_real_seconds());
	rcu_read_unlock();
	if (!pgk)
		goto drop;
	sa = pc5sec_rx_sa_find(pc, cb->sender, pgk);
	/* A replayed or too distant frame costs no derivation. */
	why = PC5SEC_CNT_RX_REPLAY;
	if (sa) {
		bool ok;

		local_bh_disable();
		ok = rx_window(pc, sa, cb->count, false);
		local_bh_enable();
		if (!ok)
			goto drop;
	}
	if (!sa || !pc5sec_pek_ready(pc, sa->pek, cb->count >> 16))
		return rx_resume_new(pc, skb, pgk, sa);
	/* Its PEK came meanwhile (an earlier frame, or the next-PTK work). */
	local_bh_disable();
	rx_frame(pc, skb, true);
	local_bh_enable();
	return;
drop:
	local_bh_disable();
	rx_drop(pc, skb, why);
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

	/*
	 * A bounded batch per run: each frame may cost a derivation and a
	 * synchronous decryption, and netlink requests wait for key_lock
	 * with RTNL held. The rest waits for the next run, queued at once.
	 */
	for (n = RX_WORK_BATCH; n; n--) {
		u32 sender;

		skb = skb_dequeue(&pc->rx_pending);
		if (!skb)
			break;
		sender = pc5sec_cb(skb)->sender;
		rx_resume(pc, skb);
		/* Handed on: the sender's next frame may take the fast path. */
		atomic_dec(deferred_slot(pc, sender));
	}
	mutex_unlock(&pc->key_lock);
	if (!skb_queue_empty(&pc->rx_pending))
		queue_work(pc5sec_wq, &pc->rx_work);
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
	u8 mac[ETH_ALEN];

	/*
	 * Only frames addressed to a group on the air: not our own looped
	 * back, not another station's seen by a promiscuous lower, and not
	 * VLAN-tagged ones (the tag is still on them here, and says they
	 * belong to a VLAN device, not to us).
	 */
	if (unlikely(skb->pkt_type == PACKET_LOOPBACK ||
		     skb->pkt_type == PACKET_OTHERHOST ||
		     skb_vlan_tag_present(skb)))
		return RX_HANDLER_PASS;
	port = rcu_dereference(skb->dev->rx_handler_data);
	pc = link_of_type(port, skb->protocol);
	if (!pc)
		return RX_HANDLER_PASS;	/* not a pc5sec EtherType here */
	/* Ours from here on: unshare before anything writes to it. */
	skb = skb_share_check(skb, GFP_ATOMIC);
	*pskb = skb;
	if (!skb)
		return RX_HANDLER_CONSUMED;
	if (unlikely(!pskb_may_pull(skb, PC5SEC_HDR_LEN))) {
		/* Too short to name a group: the first such link counts it. */
		rx_drop(pc, skb, PC5SEC_CNT_RX_MALFORMED);
		return RX_HANDLER_CONSUMED;
	}
	pc = find_link(port, skb->protocol,
		       pc5sec_frame_dst((struct pc5sec_hdr *)skb->data));
	if (!pc)
		return RX_HANDLER_PASS;	/* another group's frame */
	/* The group's MAC, as TX sends it, and no other. */
	pc5sec_group_mac(mac, READ_ONCE(pc->group));
	if (unlikely(!ether_addr_equal(eth_hdr(skb)->h_dest, mac))) {
		rx_drop(pc, skb, PC5SEC_CNT_RX_MALFORMED);
		return RX_HANDLER_CONSUMED;
	}
	rx_frame(pc, skb, false);
	return RX_HANDLER_CONSUMED;
}

/* A worker deciphered a queued frame (parallel.c). */
static void rx_crypt_done(struct sk_buff *skb, int err)
{
	struct pc5sec_dev *pc = netdev_priv(skb->dev);

	pc5sec_queue_crypt_done(&pc->rxq, skb, err);
}

/* ndo_init; the destructor frees the queue. */
int pc5sec_rx_init(struct pc5sec_dev *pc)
{
	unsigned int i;
	int err;

	skb_queue_head_init(&pc->rx_pending);
	INIT_WORK(&pc->rx_work, rx_work);
	/* jiffies starts near a wrap: "a second ago", not 0 */
	for (i = 0; i < ARRAY_SIZE(pc->unknown_last); i++)
		pc->unknown_last[i] = jiffies - HZ;
	err = pc5sec_queue_init(&pc->rxq, false, rx_done, rx_crypt_done);
	if (err)
		return err;
	pc5sec_queue_init_napi(&pc->rxq, pc->dev, rx_done_napi);
	return 0;
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
