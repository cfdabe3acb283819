// SPDX-License-Identifier: GPL-2.0
/*
 * The pc5sec link: rtnl_link_ops for kind "pc5sec", its net_device_ops,
 * and the per-lower-device port that lets several links (one per group)
 * share one lower device.
 *
 * Locking: link settings, the port and its list change only under RTNL.
 * The packet path reads them under RCU (rx_handler) or from ndo_start_xmit
 * (which runs with BH disabled, inside an RCU-bh read section).
 */
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>
#include <net/rtnetlink.h>
#include <net/netlink.h>

#include "compat.h"
#include "pc5sec.h"
#include "keys.h"
#include "senders.h"
#include "life.h"
#include "cipher.h"

static struct rtnl_link_ops rtnl_ops;

static bool is_port(const struct net_device *lower)
{
	return rcu_access_pointer(lower->rx_handler) == pc5sec_handle_frame;
}

static struct pc5sec_port *port_get_or_create(struct net_device *lower,
					      struct netlink_ext_ack *extack)
{
	struct pc5sec_port *port;
	int err;

	ASSERT_RTNL();
	if (is_port(lower))
		return rtnl_dereference(lower->rx_handler_data);

	port = kzalloc(sizeof(*port), GFP_KERNEL);
	if (!port)
		return ERR_PTR(-ENOMEM);
	port->lower = lower;
	INIT_LIST_HEAD(&port->links);
	err = netdev_rx_handler_register(lower, pc5sec_handle_frame, port);
	if (err) {
		NL_SET_ERR_MSG(extack,
			       "lower device already has a receive handler (bridge port, macvlan, another stacked device?)");
		kfree(port);
		return ERR_PTR(err);
	}
	return port;
}

static void port_put(struct pc5sec_port *port)
{
	ASSERT_RTNL();
	if (!list_empty(&port->links))
		return;
	netdev_rx_handler_unregister(port->lower);
	kfree_rcu(port, rcu);
}

static int link_init(struct net_device *dev)
{
	struct pc5sec_dev *pc = netdev_priv(dev);
	int err;

	pc->stats = netdev_alloc_pcpu_stats(struct pc5sec_pcpu_stats);
	if (!pc->stats)
		return -ENOMEM;
	err = gro_cells_init(&pc->gro_cells, dev);
	if (err)
		goto err_stats;
	err = pc5sec_tx_init(pc);
	if (err)
		goto err_gro;
	err = pc5sec_rx_init(pc);
	if (err)
		goto err_tx;
	pc5sec_keys_init(pc);
	pc5sec_senders_init(pc);
	pc5sec_life_init(pc);
	netdev_lockdep_set_classes(dev);
	/*
	 * Held from here to the destructor, as vlan and macvlan do: once
	 * ndo_init has succeeded, every way out of register_netdevice() and
	 * of the device's life ends in the destructor, which puts it.
	 */
	netdev_hold(pc->lower, &pc->lower_tracker, GFP_KERNEL);
	return 0;

err_tx:
	pc5sec_queue_free(&pc->txq);
err_gro:
	gro_cells_destroy(&pc->gro_cells);
err_stats:
	free_percpu(pc->stats);
	pc->stats = NULL;
	return err;
}

/*
 * Unregistering: the link is off the port's list and a grace period has
 * passed, so no new packet reaches it; cipher operations still in flight
 * hold a device reference and find it down.
 */
static void link_uninit(struct net_device *dev)
{
	struct pc5sec_dev *pc = netdev_priv(dev);

	pc5sec_rx_uninit(pc);
	pc5sec_keys_uninit(pc);
	pc5sec_life_uninit(pc);
	gro_cells_destroy(&pc->gro_cells);
}

static int link_open(struct net_device *dev)
{
	struct pc5sec_dev *pc = netdev_priv(dev);
	u8 mac[ETH_ALEN];

	pc5sec_group_mac(mac, pc->group);
	return dev_mc_add(pc->lower, mac);
}

static int link_stop(struct net_device *dev)
{
	struct pc5sec_dev *pc = netdev_priv(dev);
	u8 mac[ETH_ALEN];

	pc5sec_group_mac(mac, pc->group);
	dev_mc_del(pc->lower, mac);
	return 0;
}

static int link_change_mtu(struct net_device *dev, int new_mtu)
{
	struct pc5sec_dev *pc = netdev_priv(dev);

	if (new_mtu > (int)pc5sec_link_max_mtu(pc->lower, READ_ONCE(pc->cipher)))
		return -EINVAL;
	dev->mtu = new_mtu;
	return 0;
}

static int link_get_iflink(const struct net_device *dev)
{
	const struct pc5sec_dev *pc = netdev_priv(dev);

	return READ_ONCE(pc->lower->ifindex);
}

static const struct net_device_ops netdev_ops = {
	.ndo_init		= link_init,
	.ndo_uninit		= link_uninit,
	.ndo_open		= link_open,
	.ndo_stop		= link_stop,
	.ndo_start_xmit		= pc5sec_xmit,
	.ndo_get_stats64	= pc5sec_link_get_stats64,
	.ndo_change_mtu		= link_change_mtu,
	.ndo_get_iflink		= link_get_iflink,
};

/*
 * The last reference is gone: nothing can queue work for this link any
 * more. A decryption that completed after ndo_uninit may still have
 * queued rx_work (rx_done asks for the next PEK before it puts its
 * reference), so cancel it once more before the memory goes.
 */
static void link_destructor(struct net_device *dev)
{
	struct pc5sec_dev *pc = netdev_priv(dev);

	pc5sec_rx_uninit(pc);
	pc5sec_queue_free(&pc->txq);
	pc5sec_queue_free(&pc->rxq);
	netdev_put(pc->lower, &pc->lower_tracker);
	free_percpu(pc->stats);
}

static void setup(struct net_device *dev)
{
	struct pc5sec_dev *pc = netdev_priv(dev);

	pc->dev = dev;
	pc->group = 0;
	pc->member = 0;
	pc->cipher = PC5SEC_CIPHER_EEA2;
	pc->ethertype = PC5SEC_ETHERTYPE_DEFAULT;
	pc->replay_window = PC5SEC_REPLAY_WINDOW_DEFAULT;
	pc->rx_skew = PC5SEC_RX_SKEW_DEFAULT;
	pc->max_senders = PC5SEC_MAX_SENDERS_DEFAULT;
	pc->expiry_notice = PC5SEC_EXPIRY_NOTICE_DEFAULT;

	/* A layer-3 point-to-multipoint link: no ARP, no link header. */
	dev->netdev_ops = &netdev_ops;
	dev->ethtool_ops = &pc5sec_ethtool_ops;
	dev->type = ARPHRD_NONE;
	dev->flags = IFF_NOARP | IFF_MULTICAST;
	dev->priv_flags |= IFF_NO_QUEUE;
	dev->hard_header_len = 0;
	dev->addr_len = 0;
	dev->min_mtu = ETH_MIN_MTU;
	dev->needs_free_netdev = true;
	dev->priv_destructor = link_destructor;
	/* pc5sec segments and checksums itself, before ciphering. */
	dev->features = NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_HIGHDMA |
			NETIF_F_GSO_SOFTWARE;
	dev->hw_features = dev->features;
	pc5sec_set_lltx(dev);	/* no TX lock: per-PGK state is atomic */
}

bool pc5sec_is_link(const struct net_device *dev)
{
	return dev->netdev_ops == &netdev_ops;
}

/*
 * The pc5sec link that a request's PC5SEC_A_IFINDEX (@attr, NULL when the
 * request has none) names in @net, or an ERR_PTR with @extack saying why.
 * RTNL.
 */
struct pc5sec_dev *pc5sec_link_from_attr(struct net *net,
					 const struct nlattr *attr,
					 struct netlink_ext_ack *extack)
{
	struct net_device *dev;

	ASSERT_RTNL();
	if (!attr) {
		NL_SET_ERR_MSG(extack, "PC5SEC_A_IFINDEX (the link) is required");
		return ERR_PTR(-EINVAL);
	}
	dev = __dev_get_by_index(net, nla_get_u32(attr));
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "no such link");
		return ERR_PTR(-ENODEV);
	}
	if (!pc5sec_is_link(dev)) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "not a pc5sec link");
		return ERR_PTR(-EOPNOTSUPP);
	}
	return netdev_priv(dev);
}

static int newlink(struct net *src_net, struct net_device *dev,
		   struct nlattr *tb[], struct nlattr *data[],
		   struct netlink_ext_ack *extack)
{
	struct pc5sec_dev *pc = netdev_priv(dev);
	struct net_device *lower;
	struct pc5sec_port *port;
	int err;

	if (!tb[IFLA_LINK]) {
		NL_SET_ERR_MSG(extack, "a lower device is required (link DEV)");
		return -EINVAL;
	}
	lower = __dev_get_by_index(src_net, nla_get_u32(tb[IFLA_LINK]));
	if (!lower) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_LINK],
				    "lower device not found");
		return -ENODEV;
	}
	if (lower->type != ARPHRD_ETHER || lower->addr_len != ETH_ALEN) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_LINK],
				    "lower device must be an Ethernet-type device");
		return -EINVAL;
	}

	port = port_get_or_create(lower, extack);
	if (IS_ERR(port))
		return PTR_ERR(port);
	pc->port = port;
	pc->lower = lower;

	err = pc5sec_link_apply(pc, port, data, extack);
	if (err)
		goto err_port;
	/*
	 * As vlan does: the most the final suite leaves of the lower's MTU,
	 * unless a smaller one was asked for; a larger one is refused rather
	 * than made into frames the lower device drops.
	 */
	dev->max_mtu = pc5sec_link_max_mtu(lower, pc->cipher);
	if (!tb[IFLA_MTU]) {
		dev->mtu = dev->max_mtu;
	} else if (dev->mtu > dev->max_mtu) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_MTU],
				    "MTU above the lower device's MTU less pc5sec's header and tag");
		err = -EINVAL;
		goto err_port;
	}
	dev->needed_headroom = LL_RESERVED_SPACE(lower) + PC5SEC_HDR_LEN;
	dev->needed_tailroom = lower->needed_tailroom + PC5SEC_TAG_LEN;

	/* ndo_init holds the lower; the destructor alone puts it. */
	err = register_netdevice(dev);
	if (err)
		goto err_port;
	err = netdev_upper_dev_link(lower, dev, extack);
	if (err) {
		unregister_netdevice(dev);
		goto err_port;
	}
	list_add_tail_rcu(&pc->port_list, &port->links);
	netif_stacked_transfer_operstate(lower, dev);
	return 0;

err_port:
	port_put(port);
	return err;
}

static void dellink(struct net_device *dev, struct list_head *head)
{
	struct pc5sec_dev *pc = netdev_priv(dev);

	list_del_rcu(&pc->port_list);
	netdev_upper_dev_unlink(pc->lower, dev);
	port_put(pc->port);
	unregister_netdevice_queue(dev, head);
}

static int changelink(struct net_device *dev, struct nlattr *tb[],
		      struct nlattr *data[], struct netlink_ext_ack *extack)
{
	struct pc5sec_dev *pc = netdev_priv(dev);

	if (data && data[IFLA_PC5SEC_ETHERTYPE] &&
	    nla_get_u16(data[IFLA_PC5SEC_ETHERTYPE]) != pc->ethertype) {
		NL_SET_ERR_MSG_ATTR(extack, data[IFLA_PC5SEC_ETHERTYPE],
				    "ethertype can only be set when the link is created");
		return -EOPNOTSUPP;
	}
	return pc5sec_link_apply(pc, pc->port, data, extack);
}

static struct net *get_link_net(const struct net_device *dev)
{
	const struct pc5sec_dev *pc = netdev_priv(dev);

	return dev_net(pc->lower);
}

static struct rtnl_link_ops rtnl_ops __read_mostly = {
	.kind		= PC5SEC_KIND,
	.priv_size	= sizeof(struct pc5sec_dev),
	.setup		= setup,
	.maxtype	= IFLA_PC5SEC_MAX,
	.policy		= pc5sec_link_policy,
	.validate	= pc5sec_link_validate,
	.newlink	= newlink,
	.changelink	= changelink,
	.dellink	= dellink,
	.get_size	= pc5sec_link_get_size,
	.fill_info	= pc5sec_link_fill_info,
	.get_xstats_size = pc5sec_link_get_xstats_size,
	.fill_xstats	= pc5sec_link_fill_xstats,
	.get_link_net	= get_link_net,
};

/*
 * Keeps the links in step with their lower device. Deleting the lower
 * device, moving it to another netns or deleting its netns all arrive
 * here as NETDEV_UNREGISTER, and take the links on it with it.
 */
static int netdev_event(struct notifier_block *nb, unsigned long event,
			void *ptr)
{
	struct net_device *lower = netdev_notifier_info_to_dev(ptr);
	struct pc5sec_dev *pc, *tmp;
	struct pc5sec_port *port;
	LIST_HEAD(kill);

	if (!is_port(lower))
		return NOTIFY_DONE;
	port = rtnl_dereference(lower->rx_handler_data);

	switch (event) {
	case NETDEV_UNREGISTER:
		/* dellink() may free the port with the last link */
		list_for_each_entry_safe(pc, tmp, &port->links, port_list)
			dellink(pc->dev, &kill);
		unregister_netdevice_many(&kill);
		break;
	case NETDEV_CHANGEMTU:
		list_for_each_entry(pc, &port->links, port_list)
			pc5sec_link_follow_mtu(pc);
		break;
	case NETDEV_UP:
	case NETDEV_DOWN:
	case NETDEV_CHANGE:
		list_for_each_entry(pc, &port->links, port_list)
			netif_stacked_transfer_operstate(lower, pc->dev);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block netdev_notifier = {
	.notifier_call = netdev_event,
};

int pc5sec_device_init(void)
{
	int err;

	err = register_netdevice_notifier(&netdev_notifier);
	if (err)
		return err;
	err = rtnl_link_register(&rtnl_ops);
	if (err)
		unregister_netdevice_notifier(&netdev_notifier);
	return err;
}

void pc5sec_device_uninit(void)
{
	rtnl_link_unregister(&rtnl_ops);
	unregister_netdevice_notifier(&netdev_notifier);
}

MODULE_ALIAS_RTNL_LINK(PC5SEC_KIND);
