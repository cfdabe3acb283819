/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PC5SEC_H
#define _PC5SEC_H

#include <linux/netdevice.h>
#include <linux/u64_stats_sync.h>
#include <linux/if_ether.h>
#include <linux/hashtable.h>
#include <linux/siphash.h>
#include <linux/mutex.h>
#include <linux/workqueue.h>
#include <net/gro_cells.h>
#include <net/netlink.h>
#include <linux/pc5sec.h>

#include "frame.h"
#include "parallel.h"

/* Counters exported as IFLA_INFO_XSTATS; see PC5SEC_STATS_* in uapi. */
enum pc5sec_counter {
	PC5SEC_CNT_TX_PACKETS,
	PC5SEC_CNT_TX_BYTES,
	PC5SEC_CNT_RX_PACKETS,
	PC5SEC_CNT_RX_BYTES,
	PC5SEC_CNT_TX_NOKEY,
	PC5SEC_CNT_TX_PTK_EXHAUSTED,
	PC5SEC_CNT_RX_NOKEY,
	PC5SEC_CNT_RX_REPLAY,
	PC5SEC_CNT_RX_MALFORMED,
	PC5SEC_CNT_RX_AUTH_FAIL,
	PC5SEC_CNT_RX_OWN_MEMBER,
	/* Kept by each direction's queue (parallel.c), not per CPU. */
	PC5SEC_CNT_TX_QUEUED,
	PC5SEC_CNT_RX_QUEUED,
	PC5SEC_CNT_TX_QUEUE_FULL,
	PC5SEC_CNT_RX_QUEUE_FULL,
	PC5SEC_CNT_MAX
};

/* Slots of pc5sec_dev.rx_deferred: a sender's is its member ID's low bits. */
#define PC5SEC_RX_DEFERRED_SLOTS	64

/* Per-CPU so that the packet path never shares a cache line for them. */
struct pc5sec_pcpu_stats {
	u64_stats_t cnt[PC5SEC_CNT_MAX];
	struct u64_stats_sync syncp;
};

/*
 * One per lower device that carries pc5sec links; the lower device's
 * rx_handler_data. Created with the first link on the lower device and
 * freed (after an RCU grace period) with the last one.
 */
struct pc5sec_port {
	struct net_device *lower;
	struct list_head links;		/* pc5sec_dev.port_list; RTNL */
	struct rcu_head rcu;
};

/*
 * Link settings are written under RTNL (newlink, changelink) and read on
 * the packet path without it: readers use READ_ONCE, writers WRITE_ONCE.
 */
struct pc5sec_dev {
	struct net_device *dev;
	/*
	 * Set by newlink; held (netdev_hold) from ndo_init until the device's
	 * destructor, so the pointer is valid as long as this device exists.
	 * When the lower device goes away, the netdevice notifier deletes
	 * this device first.
	 */
	struct net_device *lower;
	netdevice_tracker lower_tracker;
	struct pc5sec_port *port;	/* RTNL; valid while in port->links */
	struct list_head port_list;	/* RTNL */

	u32 group;			/* Layer-2 Group ID, 24 bits */
	u32 member;			/* own Group Member Identity */
	/*
	 * Whether group and member were given, not left at 0: two UEs with
	 * one member ID under one PGK reuse each other's keystream, so a
	 * link takes no key before both are set explicitly. RTNL.
	 */
	bool group_set;
	bool member_set;
	u8 cipher;			/* enum pc5sec_cipher */
	u16 ethertype;			/* host order */
	u32 replay_window;
	u32 expiry_notice;		/* seconds; see EVT_KEY_EXPIRING */
	u32 rx_skew;			/* seconds; see pc5sec_rx_pgk() */
	u32 max_senders;		/* see pc5sec_rx_sa_create() */

	struct pc5sec_pcpu_stats __percpu *stats;
	struct gro_cells gro_cells;
	/* The packet path on every CPU (parallel.c); ndo_init to destructor. */
	struct pc5sec_queue txq;
	struct pc5sec_queue rxq;

	/*
	 * Keys. key_lock serialises every writer of pgks and rx_sas: netlink
	 * requests (which also hold RTNL) and the three works below. The
	 * packet path only reads them, under RCU.
	 */
	struct mutex key_lock;
	struct list_head pgks;		/* struct pc5sec_pgk, RCU (life.c) */
	unsigned int keys_gen;		/* bumped on change, for dumps */
	/*
	 * struct pc5sec_rx_sa (senders.c). 4096 buckets: a lookup stays one
	 * or two entries long up to the default max_senders.
	 */
	DECLARE_HASHTABLE(rx_sas, 12);
	siphash_key_t sa_key;		/* rx_sas' hash key, random per link */
	unsigned int nr_sas;		/* key_lock */
	unsigned int senders_gen;	/* key_lock; bumped on change, for dumps */
	/* TX's PEKs ahead of time (keys.c); TX queues it. */
	struct work_struct key_work;
	/*
	 * The PGKs' validity in time (life.c): expiry, notices, the TX key
	 * changing. Runs at the next such moment, and at once after a change.
	 */
	struct delayed_work life_work;
	int tx_active_id;		/* key_lock; -1: none reported */
	/*
	 * RX's process-context half (rx.c): frames waiting for their PEK,
	 * the senders' next PEKs, unknown-index events. RX and in-flight
	 * decryptions queue it, so the destructor cancels it a last time.
	 */
	struct sk_buff_head rx_pending;
	struct work_struct rx_work;
	/*
	 * Frames on rx_pending, by their sender's slot (rx.c's
	 * deferred_slot()): RX increments when it parks a frame, rx_work
	 * decrements once it has handed the frame on. While a sender's slot
	 * is not 0, that sender's next frames wait on rx_pending too, behind
	 * the earlier ones, instead of overtaking them on the fast path the
	 * moment their PEK is published.
	 */
	atomic_t rx_deferred[PC5SEC_RX_DEFERRED_SLOTS];
	/*
	 * Frames naming a PGK Index no key has: RX sets the index's bit and
	 * its sender, rx_work sends the event. unknown_last: jiffies of the
	 * last event per index, for the rate limit.
	 */
	unsigned long unknown_pending;
	u32 unknown_sender[32];
	unsigned long unknown_last[32];
};

/*
 * The module's workqueue (main.c): every link's key, life and RX works.
 * Destroyed at module exit, after every link is gone.
 */
extern struct workqueue_struct *pc5sec_wq;

/* The group's multicast MAC: 03:50:43 || Group ID (spec section 4). */
static inline void pc5sec_group_mac(u8 mac[ETH_ALEN], u32 group)
{
	mac[0] = 0x03;
	mac[1] = 0x50;
	mac[2] = 0x43;
	mac[3] = group >> 16;
	mac[4] = group >> 8;
	mac[5] = group;
}

static inline void pc5sec_count(struct pc5sec_dev *pc, enum pc5sec_counter c,
				u64 n)
{
	struct pc5sec_pcpu_stats *s = get_cpu_ptr(pc->stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_add(&s->cnt[c], n);
	u64_stats_update_end(&s->syncp);
	put_cpu_ptr(pc->stats);
}

/* A packet and its octets, in one update of this CPU's counters. */
static inline void pc5sec_count_packet(struct pc5sec_dev *pc,
				       enum pc5sec_counter packets,
				       enum pc5sec_counter bytes, u64 len)
{
	struct pc5sec_pcpu_stats *s = get_cpu_ptr(pc->stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->cnt[packets]);
	u64_stats_add(&s->cnt[bytes], len);
	u64_stats_update_end(&s->syncp);
	put_cpu_ptr(pc->stats);
}

/*
 * Drops a packet the link took, counted once in the netdev counters: a
 * malformed or forged frame is an rx error (link_get_stats64), anything
 * else rx or tx dropped. Unless @why is PC5SEC_CNT_MAX, it also counts in
 * the pc5sec counter that says why.
 */
static inline void pc5sec_drop(struct pc5sec_dev *pc, struct sk_buff *skb,
			       enum pc5sec_counter why, bool rx)
{
	if (why != PC5SEC_CNT_MAX)
		pc5sec_count(pc, why, 1);
	if (!rx)
		dev_core_stats_tx_dropped_inc(pc->dev);
	else if (why != PC5SEC_CNT_RX_MALFORMED &&
		 why != PC5SEC_CNT_RX_AUTH_FAIL)
		dev_core_stats_rx_dropped_inc(pc->dev);
	kfree_skb(skb);
}

/* The counter for a frame whose decryption failed with @err. */
static inline enum pc5sec_counter pc5sec_rx_err_counter(int err)
{
	switch (err) {
	case -EBADMSG:
		return PC5SEC_CNT_RX_AUTH_FAIL;
	case -EMSGSIZE:
		return PC5SEC_CNT_RX_MALFORMED;
	}
	return PC5SEC_CNT_MAX;	/* only the link's dropped counter */
}

/* stats.c */
void pc5sec_stats_read(struct pc5sec_dev *pc, u64 out[PC5SEC_CNT_MAX]);
void pc5sec_link_get_stats64(struct net_device *dev,
			     struct rtnl_link_stats64 *stats);
extern const struct ethtool_ops pc5sec_ethtool_ops;
size_t pc5sec_link_get_xstats_size(const struct net_device *dev);
int pc5sec_link_fill_xstats(struct sk_buff *skb, const struct net_device *dev);

/* device.c */
bool pc5sec_is_link(const struct net_device *dev);
struct pc5sec_dev *pc5sec_link_from_attr(struct net *net,
					 const struct nlattr *attr,
					 struct netlink_ext_ack *extack);
int pc5sec_device_init(void);
void pc5sec_device_uninit(void);

/* settings.c */
extern const struct nla_policy pc5sec_link_policy[IFLA_PC5SEC_MAX + 1];
int pc5sec_link_validate(struct nlattr *tb[], struct nlattr *data[],
			 struct netlink_ext_ack *extack);
int pc5sec_link_apply(struct pc5sec_dev *pc, struct pc5sec_port *port,
		      struct nlattr *data[], struct netlink_ext_ack *extack);
unsigned int pc5sec_link_max_mtu(const struct net_device *lower, u8 cipher);
void pc5sec_link_follow_mtu(struct pc5sec_dev *pc);
size_t pc5sec_link_get_size(const struct net_device *dev);
int pc5sec_link_fill_info(struct sk_buff *skb, const struct net_device *dev);

/* tx.c */
netdev_tx_t pc5sec_xmit(struct sk_buff *skb, struct net_device *dev);
int pc5sec_tx_init(struct pc5sec_dev *pc);

/* rx.c */
rx_handler_result_t pc5sec_handle_frame(struct sk_buff **pskb);
int pc5sec_rx_init(struct pc5sec_dev *pc);
void pc5sec_rx_uninit(struct pc5sec_dev *pc);
void pc5sec_rx_unknown(struct pc5sec_dev *pc, u8 index, u32 sender);

/* netlink.c */
int pc5sec_netlink_init(void);
void pc5sec_netlink_uninit(void);

#endif /* _PC5SEC_H */
