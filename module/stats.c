// SPDX-License-Identifier: GPL-2.0
/*
 * The link's counters, read. They are per-CPU and written without a lock
 * (pc5sec_count(): u64_stats_sync, always with BH disabled, so one writer
 * per CPU; rx_work disables BH around its drops and deliveries), and
 * summed here whenever someone asks: ndo_get_stats64, ethtool -S, and
 * rtnetlink's IFLA_INFO_XSTATS (pc5ctl show). Each counter has one name
 * (ethtool) and one attribute (uapi PC5SEC_STATS_*). The queue counters
 * are the exception: each direction's queue keeps them under the lock it
 * takes anyway to queue a packet (parallel.c).
 */
#include <linux/netdevice.h>
#include <linux/ethtool.h>
#include <net/netlink.h>

#include "pc5sec.h"

void pc5sec_stats_read(struct pc5sec_dev *pc, u64 out[PC5SEC_CNT_MAX])
{
	int cpu, i;

	memset(out, 0, sizeof(u64) * PC5SEC_CNT_MAX);
	for_each_possible_cpu(cpu) {
		const struct pc5sec_pcpu_stats *s = per_cpu_ptr(pc->stats, cpu);
		u64 v[PC5SEC_CNT_MAX];
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			for (i = 0; i < PC5SEC_CNT_MAX; i++)
				v[i] = u64_stats_read(&s->cnt[i]);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		for (i = 0; i < PC5SEC_CNT_MAX; i++)
			out[i] += v[i];
	}
	pc5sec_queue_counts(&pc->txq, &out[PC5SEC_CNT_TX_QUEUED],
			    &out[PC5SEC_CNT_TX_QUEUE_FULL]);
	pc5sec_queue_counts(&pc->rxq, &out[PC5SEC_CNT_RX_QUEUED],
			    &out[PC5SEC_CNT_RX_QUEUE_FULL]);
}

void pc5sec_link_get_stats64(struct net_device *dev,
			     struct rtnl_link_stats64 *stats)
{
	struct pc5sec_dev *pc = netdev_priv(dev);
	u64 v[PC5SEC_CNT_MAX];

	/* Drops come from the core counters, which dev_get_stats() adds. */
	pc5sec_stats_read(pc, v);
	stats->tx_packets = v[PC5SEC_CNT_TX_PACKETS];
	stats->tx_bytes = v[PC5SEC_CNT_TX_BYTES];
	stats->rx_packets = v[PC5SEC_CNT_RX_PACKETS];
	stats->rx_bytes = v[PC5SEC_CNT_RX_BYTES];
	stats->rx_errors = v[PC5SEC_CNT_RX_MALFORMED] +
			   v[PC5SEC_CNT_RX_AUTH_FAIL];
}

/* ethtool -S: every pc5sec counter, named as in pc5ctl -j show. */
static const char stat_names[PC5SEC_CNT_MAX][ETH_GSTRING_LEN] = {
	[PC5SEC_CNT_TX_PACKETS] = "tx_packets",
	[PC5SEC_CNT_TX_BYTES] = "tx_bytes",
	[PC5SEC_CNT_RX_PACKETS] = "rx_packets",
	[PC5SEC_CNT_RX_BYTES] = "rx_bytes",
	[PC5SEC_CNT_TX_NOKEY] = "tx_nokey",
	[PC5SEC_CNT_TX_PTK_EXHAUSTED] = "tx_ptk_exhausted",
	[PC5SEC_CNT_RX_NOKEY] = "rx_nokey",
	[PC5SEC_CNT_RX_REPLAY] = "rx_replay",
	[PC5SEC_CNT_RX_MALFORMED] = "rx_malformed",
	[PC5SEC_CNT_RX_AUTH_FAIL] = "rx_auth_fail",
	[PC5SEC_CNT_RX_OWN_MEMBER] = "rx_own_member",
	[PC5SEC_CNT_TX_QUEUED] = "tx_queued",
	[PC5SEC_CNT_RX_QUEUED] = "rx_queued",
	[PC5SEC_CNT_TX_QUEUE_FULL] = "tx_queue_full",
	[PC5SEC_CNT_RX_QUEUE_FULL] = "rx_queue_full",
};

static void link_get_drvinfo(struct net_device *dev,
			     struct ethtool_drvinfo *info)
{
	strscpy(info->driver, PC5SEC_KIND, sizeof(info->driver));
}

static int link_get_sset_count(struct net_device *dev, int sset)
{
	return sset == ETH_SS_STATS ? PC5SEC_CNT_MAX : -EOPNOTSUPP;
}

static void link_get_strings(struct net_device *dev, u32 sset, u8 *data)
{
	if (sset == ETH_SS_STATS)
		memcpy(data, stat_names, sizeof(stat_names));
}

static void link_get_ethtool_stats(struct net_device *dev,
				   struct ethtool_stats *stats, u64 *data)
{
	pc5sec_stats_read(netdev_priv(dev), data);
}

const struct ethtool_ops pc5sec_ethtool_ops = {
	.get_drvinfo		= link_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_sset_count		= link_get_sset_count,
	.get_strings		= link_get_strings,
	.get_ethtool_stats	= link_get_ethtool_stats,
};

size_t pc5sec_link_get_xstats_size(const struct net_device *dev)
{
	return nla_total_size(0) +
	       PC5SEC_CNT_MAX * nla_total_size_64bit(sizeof(u64));
}

static const u16 xstats_attr[PC5SEC_CNT_MAX] = {
	[PC5SEC_CNT_TX_PACKETS] = PC5SEC_STATS_TX_PACKETS,
	[PC5SEC_CNT_TX_BYTES] = PC5SEC_STATS_TX_BYTES,
	[PC5SEC_CNT_RX_PACKETS] = PC5SEC_STATS_RX_PACKETS,
	[PC5SEC_CNT_RX_BYTES] = PC5SEC_STATS_RX_BYTES,
	[PC5SEC_CNT_TX_NOKEY] = PC5SEC_STATS_TX_NOKEY,
	[PC5SEC_CNT_TX_PTK_EXHAUSTED] = PC5SEC_STATS_TX_PTK_EXHAUSTED,
	[PC5SEC_CNT_RX_NOKEY] = PC5SEC_STATS_RX_NOKEY,
	[PC5SEC_CNT_RX_REPLAY] = PC5SEC_STATS_RX_REPLAY,
	[PC5SEC_CNT_RX_MALFORMED] = PC5SEC_STATS_RX_MALFORMED,
	[PC5SEC_CNT_RX_AUTH_FAIL] = PC5SEC_STATS_RX_AUTH_FAIL,
	[PC5SEC_CNT_RX_OWN_MEMBER] = PC5SEC_STATS_RX_OWN_MEMBER,
	[PC5SEC_CNT_TX_QUEUED] = PC5SEC_STATS_TX_QUEUED,
	[PC5SEC_CNT_RX_QUEUED] = PC5SEC_STATS_RX_QUEUED,
	[PC5SEC_CNT_TX_QUEUE_FULL] = PC5SEC_STATS_TX_QUEUE_FULL,
	[PC5SEC_CNT_RX_QUEUE_FULL] = PC5SEC_STATS_RX_QUEUE_FULL,
};

int pc5sec_link_fill_xstats(struct sk_buff *skb, const struct net_device *dev)
{
	struct pc5sec_dev *pc = netdev_priv(dev);
	u64 v[PC5SEC_CNT_MAX];
	struct nlattr *nest;
	int i;

	pc5sec_stats_read(pc, v);
	/* rtnetlink calls this inside IFLA_LINKINFO; the nest is ours. */
	nest = nla_nest_start_noflag(skb, IFLA_INFO_XSTATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < PC5SEC_CNT_MAX; i++)
		if (nla_put_u64_64bit(skb, xstats_attr[i], v[i],
				      PC5SEC_STATS_PAD)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	nla_nest_end(skb, nest);
	return 0;
}
