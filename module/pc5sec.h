/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PC5SEC_H
#define _PC5SEC_H

#include <linux/netdevice.h>
#include <linux/u64_stats_sync.h>
#include <linux/if_ether.h>
#include <linux/pc5sec.h>

/* The 12-octet pc5sec header of the spec page, section 4. */
#define PC5SEC_HDR_LEN		12
#define PC5SEC_TAG_LEN		16

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
	PC5SEC_CNT_MAX
};

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
	 * Held (netdev_hold) from newlink until the device's destructor, so
	 * the pointer is valid as long as this device exists. When the lower
	 * device goes away, the netdevice notifier deletes this device first.
	 */
	struct net_device *lower;
	netdevice_tracker lower_tracker;
	struct pc5sec_port *port;	/* RTNL; valid while in port->links */
	struct list_head port_list;	/* RTNL */

	u32 group;			/* Layer-2 Group ID, 24 bits */
	u32 member;			/* own Group Member Identity */
	u8 cipher;			/* enum pc5sec_cipher */
	u16 ethertype;			/* host order */
	u32 replay_window;

	struct pc5sec_pcpu_stats __percpu *stats;
};

static inline void pc5sec_count(struct pc5sec_dev *pc, enum pc5sec_counter c,
				u64 n)
{
	struct pc5sec_pcpu_stats *s = get_cpu_ptr(pc->stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_add(&s->cnt[c], n);
	u64_stats_update_end(&s->syncp);
	put_cpu_ptr(pc->stats);
}

void pc5sec_stats_read(struct pc5sec_dev *pc, u64 out[PC5SEC_CNT_MAX]);

int pc5sec_device_init(void);
void pc5sec_device_uninit(void);

#endif /* _PC5SEC_H */
