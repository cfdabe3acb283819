// SPDX-License-Identifier: GPL-2.0
/*
 * Transmit: an IP packet becomes a PC5 group frame on the lower device.
 *
 *   pc5sec_xmit -> (GSO segments) -> tx_one: pick the PGK, take a COUNT,
 *   push the 12-octet header -> the cipher of the Data field, inline or on
 *   any CPU (parallel.c) -> tx_done, in COUNT order: push the Ethernet
 *   header to the group MAC, dev_queue_xmit() on the lower device.
 *
 * A packet with no usable key is dropped and counted, never sent in clear;
 * only the eea0 suite sends the SDU as it is.
 */
#include <linux/kernel.h>
#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/timekeeping.h>

#include "compat.h"
#include "pc5sec.h"
#include "keys.h"
#include "life.h"

static void tx_drop(struct pc5sec_dev *pc, struct sk_buff *skb,
		    enum pc5sec_counter why)
{
	pc5sec_drop(pc, skb, why, false);
}

/*
 * After the cipher: frame it for the group and hand it to the lower
 * device. Inlined into tx_one(), which calls it for every packet ciphered
 * inline; the queue and the asynchronous completions call a copy.
 */
static __always_inline void tx_done(struct sk_buff *skb, int err)
{
	struct net_device *dev = skb->dev;	/* held since tx_one */
	struct pc5sec_dev *pc = netdev_priv(dev);
	struct net_device *lower = pc->lower;
	struct pc5sec_cb *cb = pc5sec_cb(skb);
	unsigned int sdu_len = cb->sdu_len;
	struct ethhdr *eth;
	int ret;

	pc5sec_pek_put(cb->pek);
	if (unlikely(err)) {
		tx_drop(pc, skb, PC5SEC_CNT_MAX);
		goto out;
	}

	/* tx_one() made the headroom; the cipher keeps it. */
	eth = __skb_push(skb, ETH_HLEN);
	pc5sec_group_mac(eth->h_dest, READ_ONCE(pc->group));
	ether_addr_copy(eth->h_source, lower->dev_addr);
	eth->h_proto = htons(READ_ONCE(pc->ethertype));
	skb_reset_mac_header(skb);
	skb_scrub_packet(skb, !net_eq(dev_net(dev), dev_net(lower)));
	memset(skb->cb, 0, sizeof(skb->cb));
	skb->protocol = eth->h_proto;
	/* The checksum was resolved before ciphering; the frame has none. */
	skb->ip_summed = CHECKSUM_NONE;
	skb->dev = lower;
	/*
	 * NET_XMIT_CN: congestion noted, the frame was sent all the same.
	 * (net_xmit_eval() is a macro that reads its argument twice.)
	 */
	ret = dev_queue_xmit(skb);
	if (likely(!net_xmit_eval(ret)))
		pc5sec_count_packet(pc, PC5SEC_CNT_TX_PACKETS,
				    PC5SEC_CNT_TX_BYTES, sdu_len);
	else
		dev_core_stats_tx_dropped_inc(dev);
out:
	dev_put(dev);
}

/* A worker ciphered a queued packet (parallel.c). */
static void tx_crypt_done(struct sk_buff *skb, int err)
{
	struct pc5sec_dev *pc = netdev_priv(skb->dev);

	pc5sec_queue_crypt_done(&pc->txq, skb, err);
}

/* ndo_init; the destructor frees the queue. */
int pc5sec_tx_init(struct pc5sec_dev *pc)
{
	return pc5sec_queue_init(&pc->txq, true, tx_done, tx_crypt_done);
}

static void tx_one(struct pc5sec_dev *pc, struct sk_buff *skb)
{
	struct pc5sec_cb *cb = pc5sec_cb(skb);
	struct pc5sec_frame f = { .sdu_type = PC5SEC_SDU_IP };
	struct pc5sec_pgk *pgk;
	struct pc5sec_pek *pek;
	u64 count, limit;
	int err;

	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb))
		return tx_drop(pc, skb, PC5SEC_CNT_MAX);

	/*
	 * No rcu_read_lock() of our own: ndo_start_xmit runs with BH
	 * disabled (__dev_queue_xmit()'s rcu_read_lock_bh()), which is an RCU
	 * read-side section for the PGK list and the PEK slots.
	 */
	pgk = pc5sec_tx_pgk(pc, ktime_get_real_seconds());
	if (!pgk)
		return tx_drop(pc, skb, PC5SEC_CNT_TX_NOKEY);
	/*
	 * Every COUNT is taken once, whatever happens to the packet after.
	 * One taken at or past the PTK limit (a packet racing the one that
	 * reached it, or a limit lowered meanwhile) is dropped: it is burnt,
	 * never sent, and pc5sec_tx_pgk() no longer picks this PGK.
	 */
	count = atomic64_fetch_inc(&pgk->tx_count);
	limit = READ_ONCE(pgk->tx_limit);
	if (unlikely(count >= limit))
		return tx_drop(pc, skb, count > PC5SEC_COUNT_MAX ?
				    PC5SEC_CNT_TX_PTK_EXHAUSTED :
				    PC5SEC_CNT_TX_NOKEY);
	/*
	 * The last COUNT of the PGK or below its limit: the life work
	 * reports it, TX moves to the next PGK.
	 */
	if (unlikely(count + 1 == limit))
		pc5sec_keys_changed(pc);
	f.ptk_id = count >> 16;
	f.sn = count & 0xffff;
	if (unlikely(f.sn == PC5SEC_SN_PREPARE))
		pc5sec_keys_kick(pc);	/* derive PTK+1 ahead of the wrap */
	pek = pc5sec_pek_get(pgk->tx_pek, f.ptk_id);
	if (unlikely(!pek)) {
		pc5sec_keys_kick(pc);
		return tx_drop(pc, skb, PC5SEC_CNT_TX_NOKEY);
	}
	/*
	 * A PEK of another suite is left from before a suite change that is
	 * rekeying now: never send with it (an EEA0 one would send the SDU in
	 * clear on a link that already says it encrypts).
	 */
	if (unlikely(pek->cipher != READ_ONCE(pc->cipher))) {
		pc5sec_pek_put(pek);
		return tx_drop(pc, skb, PC5SEC_CNT_TX_NOKEY);
	}
	f.pgk_index = pgk->id & PC5SEC_PGK_INDEX_MASK;
	atomic64_inc(&pgk->tx_packets);

	f.src = READ_ONCE(pc->member);
	f.dst = READ_ONCE(pc->group);
	cb->sdu_len = skb->len;
	if (unlikely(skb_cow_head(skb, ETH_HLEN + PC5SEC_HDR_LEN +
				  LL_RESERVED_SPACE(pc->lower)))) {
		pc5sec_pek_put(pek);
		return tx_drop(pc, skb, PC5SEC_CNT_MAX);
	}
	pc5sec_frame_build(__skb_push(skb, PC5SEC_HDR_LEN), &f);

	cb->pek = pek;
	cb->count = count;
	dev_hold(pc->dev);
	err = pc5sec_queue_crypt(&pc->txq, skb);
	if (err != -EINPROGRESS)
		tx_done(skb, err);
}

static bool is_ip(struct sk_buff *skb)
{
	switch (skb->protocol) {
	case htons(ETH_P_IP):
		return pskb_network_may_pull(skb, sizeof(struct iphdr)) &&
		       ip_hdr(skb)->version == 4;
	case htons(ETH_P_IPV6):
		return pskb_network_may_pull(skb, sizeof(struct ipv6hdr)) &&
		       ipv6_hdr(skb)->version == 6;
	}
	return false;
}

netdev_tx_t pc5sec_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct pc5sec_dev *pc = netdev_priv(dev);
	struct sk_buff *segs, *next;

	if (unlikely(!is_ip(skb))) {
		tx_drop(pc, skb, PC5SEC_CNT_MAX);
		return NETDEV_TX_OK;
	}
	if (!skb_is_gso(skb)) {
		tx_one(pc, skb);
		return NETDEV_TX_OK;
	}
	/* Each segment is its own PDCP SDU with its own COUNT. */
	segs = skb_gso_segment(skb, 0);
	if (IS_ERR_OR_NULL(segs)) {
		tx_drop(pc, skb, PC5SEC_CNT_MAX);
		return NETDEV_TX_OK;
	}
	consume_skb(skb);
	skb_list_walk_safe(segs, skb, next) {
		skb_mark_not_on_list(skb);
		tx_one(pc, skb);
	}
	return NETDEV_TX_OK;
}
