// SPDX-License-Identifier: GPL-2.0
/*
 * Receive: the lower device's rx_handler takes frames of a link's
 * EtherType addressed to its group, and delivers the IP packet inside.
 *
 *   pc5sec_handle_frame: find the link by EtherType and Group ID (other
 *   frames pass on untouched) -> pc5sec_rx_frame: parse, find the PGK by
 *   index and the sender's state, check replay, decipher -> rx_done:
 *   check the SDU, deliver through GRO cells.
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

#include "pc5sec.h"
#include "keys.h"

static void rx_drop(struct pc5sec_dev *pc, struct sk_buff *skb,
		    enum pc5sec_counter why)
{
	if (why != PC5SEC_CNT_MAX)
		pc5sec_count(pc, why, 1);
	dev_core_stats_rx_dropped_inc(pc->dev);
	kfree_skb(skb);
}

/*
 * Delivers a deciphered (and, with an AEAD suite, authenticated) frame:
 * skb->data at the header, skb->dev the link. The Data field must be an
 * IPv4 or IPv6 packet. BH context.
 */
void pc5sec_rx_deliver(struct pc5sec_dev *pc, struct sk_buff *skb)
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
		spin_lock(&sa->lock);
		fresh = pc5sec_replay_check(&sa->replay, count,
					    READ_ONCE(pc->replay_window));
		if (fresh)
			pc5sec_replay_update(&sa->replay, count);
		spin_unlock(&sa->lock);
		if (fresh) {
			WRITE_ONCE(sa->last_rx, jiffies);
			atomic64_inc(&sa->pgk->rx_packets);
			pc5sec_rx_want_next(pc, sa, count);
		}
	}
	if (fresh)
		pc5sec_rx_deliver(pc, skb);
	else
		rx_drop(pc, skb, PC5SEC_CNT_RX_REPLAY);
out:
	if (sa)
		pc5sec_rx_sa_put(sa);
	dev_put(dev);
}

/*
 * A frame for this link, skb->data at the pc5sec header. BH context.
 * @resumed: the key work has just prepared this frame's PEK; a frame that
 * still finds none is dropped rather than deferred again.
 */
void pc5sec_rx_frame(struct pc5sec_dev *pc, struct sk_buff *skb, bool resumed)
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
		/* A sender or PTK not seen yet: the key work derives its PEK. */
		cb->sender = f.src;
		cb->pgk_index = f.pgk_index;
		cb->count = count;
		if (resumed || !pc5sec_rx_defer(pc, skb))
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
	spin_lock(&sa->lock);
	fresh = pc5sec_replay_check(&sa->replay, count,
				    READ_ONCE(pc->replay_window));
	if (fresh && !aead)
		pc5sec_replay_update(&sa->replay, count);
	spin_unlock(&sa->lock);
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
		pc5sec_rx_want_next(pc, sa, count);
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
	pc5sec_rx_frame(pc, skb, false);
	return RX_HANDLER_CONSUMED;
}
