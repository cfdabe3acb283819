// SPDX-License-Identifier: GPL-2.0
/*
 * A link's settings (IFLA_INFO_DATA of kind "pc5sec"): their policy and
 * checks, applying them (a rekey when the identity changes), the MTU they
 * allow, and reporting them and the link's counters back to rtnetlink.
 *
 * Locking: RTNL, as for every rtnl_link_ops callback; the packet path
 * reads the settings with READ_ONCE.
 */
#include <linux/kernel.h>
#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/rtnetlink.h>
#include <net/rtnetlink.h>
#include <net/netlink.h>

#include "pc5sec.h"
#include "life.h"
#include "cipher.h"

static struct pc5sec_dev *port_find_group(struct pc5sec_port *port, u32 group)
{
	struct pc5sec_dev *pc;

	list_for_each_entry(pc, &port->links, port_list)
		if (pc->group == group)
			return pc;
	return NULL;
}

/*
 * The largest SDU a link of @cipher carries over @lower, header and tag
 * included in the lower's MTU; 0 if not even that fits.
 */
unsigned int pc5sec_link_max_mtu(const struct net_device *lower, u8 cipher)
{
	unsigned int overhead = pc5sec_cipher_overhead(cipher);
	unsigned int mtu = READ_ONCE(lower->mtu);

	return mtu > overhead ? mtu - overhead : 0;
}

/* After the lower's MTU or the suite changed: max_mtu, then the MTU. */
void pc5sec_link_follow_mtu(struct pc5sec_dev *pc)
{
	struct net_device *dev = pc->dev;

	dev->max_mtu = max(pc5sec_link_max_mtu(pc->lower, pc->cipher), dev->min_mtu);
	if (dev->mtu > dev->max_mtu)
		dev_set_mtu(dev, dev->max_mtu);
}

/*
 * Types only: the ranges are checked in pc5sec_link_validate(), so that a
 * refusal says which setting is wrong instead of the policy's generic
 * "out of range".
 */
const struct nla_policy pc5sec_link_policy[IFLA_PC5SEC_MAX + 1] = {
	[IFLA_PC5SEC_GROUP] = { .type = NLA_U32 },
	[IFLA_PC5SEC_MEMBER] = { .type = NLA_U32 },
	[IFLA_PC5SEC_CIPHER] = { .type = NLA_U8 },
	[IFLA_PC5SEC_ETHERTYPE] = { .type = NLA_U16 },
	[IFLA_PC5SEC_REPLAY_WINDOW] = { .type = NLA_U32 },
	[IFLA_PC5SEC_EXPIRY_NOTICE] = { .type = NLA_U32 },
	[IFLA_PC5SEC_RX_SKEW] = { .type = NLA_U32 },
	[IFLA_PC5SEC_MAX_SENDERS] = { .type = NLA_U32 },
};

/*
 * EtherTypes the stack or a stacked device already owns on the lower:
 * a pc5sec link there would take (and drop) their frames. Refused by name.
 */
static int check_ethertype(u16 type, const struct nlattr *a,
			   struct netlink_ext_ack *extack)
{
	switch (type) {
	case ETH_P_IP:
		NL_SET_ERR_MSG_ATTR(extack, a, "ethertype 0x0800 is IPv4's");
		break;
	case ETH_P_IPV6:
		NL_SET_ERR_MSG_ATTR(extack, a, "ethertype 0x86dd is IPv6's");
		break;
	case ETH_P_ARP:
		NL_SET_ERR_MSG_ATTR(extack, a, "ethertype 0x0806 is ARP's");
		break;
	case ETH_P_RARP:
		NL_SET_ERR_MSG_ATTR(extack, a, "ethertype 0x8035 is RARP's");
		break;
	case ETH_P_8021Q:
		NL_SET_ERR_MSG_ATTR(extack, a, "ethertype 0x8100 is 802.1Q VLAN's");
		break;
	case ETH_P_8021AD:
		NL_SET_ERR_MSG_ATTR(extack, a, "ethertype 0x88a8 is 802.1ad VLAN's");
		break;
	case ETH_P_MACSEC:
		NL_SET_ERR_MSG_ATTR(extack, a, "ethertype 0x88e5 is MACsec's");
		break;
	case ETH_P_PAE:
		NL_SET_ERR_MSG_ATTR(extack, a, "ethertype 0x888e is 802.1X (EAPOL)'s");
		break;
	case ETH_P_LLDP:
		NL_SET_ERR_MSG_ATTR(extack, a, "ethertype 0x88cc is LLDP's");
		break;
	case ETH_P_SLOW:
		NL_SET_ERR_MSG_ATTR(extack, a, "ethertype 0x8809 is LACP's (slow protocols)");
		break;
	case ETH_P_MPLS_UC:
	case ETH_P_MPLS_MC:
		NL_SET_ERR_MSG_ATTR(extack, a, "ethertype is MPLS's");
		break;
	case ETH_P_PPP_DISC:
	case ETH_P_PPP_SES:
		NL_SET_ERR_MSG_ATTR(extack, a, "ethertype is PPPoE's");
		break;
	case ETH_P_TEB:
		NL_SET_ERR_MSG_ATTR(extack, a, "ethertype 0x6558 is Ethernet bridging's");
		break;
	default:
		return 0;
	}
	return -EINVAL;
}

int pc5sec_link_validate(struct nlattr *tb[], struct nlattr *data[],
			 struct netlink_ext_ack *extack)
{
	struct nlattr *a;

	if (!data)
		return 0;
	a = data[IFLA_PC5SEC_GROUP];
	if (a && nla_get_u32(a) > PC5SEC_ID_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "group (Layer-2 Group ID) must fit in 24 bits");
		return -ERANGE;
	}
	a = data[IFLA_PC5SEC_MEMBER];
	if (a && nla_get_u32(a) > PC5SEC_ID_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "member (Group Member Identity) must fit in 24 bits");
		return -ERANGE;
	}
	a = data[IFLA_PC5SEC_CIPHER];
	if (a && !pc5sec_cipher_supported(nla_get_u8(a))) {
		NL_SET_ERR_MSG_ATTR(extack, a, "unsupported cipher suite");
		return -EOPNOTSUPP;
	}
	if (a && !pc5sec_cipher_available(nla_get_u8(a))) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "cipher suite needs the pc5sec-algs module, which is not loaded");
		return -ENOPKG;
	}
	a = data[IFLA_PC5SEC_ETHERTYPE];
	if (a && nla_get_u16(a) < ETH_P_802_3_MIN) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "ethertype must be 0x0600 or more (an Ethernet II type)");
		return -ERANGE;
	}
	if (a && check_ethertype(nla_get_u16(a), a, extack))
		return -EINVAL;
	a = data[IFLA_PC5SEC_REPLAY_WINDOW];
	if (a && nla_get_u32(a) > PC5SEC_REPLAY_WINDOW_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "replay window must be 4096 packets or less");
		return -ERANGE;
	}
	a = data[IFLA_PC5SEC_RX_SKEW];
	if (a && nla_get_u32(a) > PC5SEC_RX_SKEW_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "rx-skew must be 300 seconds or less");
		return -ERANGE;
	}
	a = data[IFLA_PC5SEC_MAX_SENDERS];
	if (a && (!nla_get_u32(a) ||
		  nla_get_u32(a) > PC5SEC_MAX_SENDERS_MAX)) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "max-senders must be 1 to 65536");
		return -ERANGE;
	}
	return 0;
}

/*
 * Applies IFLA_INFO_DATA to a link: all checks first, then all changes, so
 * a refused request changes nothing.
 */
int pc5sec_link_apply(struct pc5sec_dev *pc, struct pc5sec_port *port,
		      struct nlattr *data[], struct netlink_ext_ack *extack)
{
	u32 group = pc->group, member = pc->member;
	u8 cipher = pc->cipher;
	bool rekey;
	struct nlattr *none[IFLA_PC5SEC_MAX + 1] = {};
	struct pc5sec_dev *other;

	if (!data)
		data = none;
	if (data[IFLA_PC5SEC_GROUP])
		group = nla_get_u32(data[IFLA_PC5SEC_GROUP]);
	if (data[IFLA_PC5SEC_CIPHER])
		cipher = nla_get_u8(data[IFLA_PC5SEC_CIPHER]);

	other = port_find_group(port, group);
	if (other && other != pc) {
		NL_SET_ERR_MSG_ATTR(extack, data[IFLA_PC5SEC_GROUP],
				    "group already has a pc5sec link on this lower device");
		return -EEXIST;
	}
	if (pc5sec_link_max_mtu(port->lower, cipher) < pc->dev->min_mtu) {
		NL_SET_ERR_MSG(extack, "lower device MTU too small for pc5sec");
		return -EINVAL;
	}

	if (group != pc->group && (pc->dev->flags & IFF_UP)) {
		u8 old[ETH_ALEN], new[ETH_ALEN];
		int err;

		pc5sec_group_mac(old, pc->group);
		pc5sec_group_mac(new, group);
		err = dev_mc_add(port->lower, new);
		if (err)
			return err;
		dev_mc_del(port->lower, old);
	}
	if (data[IFLA_PC5SEC_MEMBER])
		member = nla_get_u32(data[IFLA_PC5SEC_MEMBER]);
	pc->group_set |= !!data[IFLA_PC5SEC_GROUP];
	pc->member_set |= !!data[IFLA_PC5SEC_MEMBER];
	rekey = group != pc->group || member != pc->member ||
		cipher != pc->cipher;
	/* Every PEK depends on group, member and suite: an atomic rekey. */
	if (rekey && pc->dev->reg_state == NETREG_REGISTERED) {
		pc5sec_keys_rekey(pc, group, member, cipher);
	} else {
		WRITE_ONCE(pc->group, group);
		WRITE_ONCE(pc->cipher, cipher);
		WRITE_ONCE(pc->member, member);
	}
	if (data[IFLA_PC5SEC_ETHERTYPE])
		WRITE_ONCE(pc->ethertype,
			   nla_get_u16(data[IFLA_PC5SEC_ETHERTYPE]));
	if (data[IFLA_PC5SEC_REPLAY_WINDOW])
		WRITE_ONCE(pc->replay_window,
			   nla_get_u32(data[IFLA_PC5SEC_REPLAY_WINDOW]));
	if (data[IFLA_PC5SEC_RX_SKEW])
		WRITE_ONCE(pc->rx_skew, nla_get_u32(data[IFLA_PC5SEC_RX_SKEW]));
	if (data[IFLA_PC5SEC_MAX_SENDERS])
		WRITE_ONCE(pc->max_senders,
			   nla_get_u32(data[IFLA_PC5SEC_MAX_SENDERS]));
	if (data[IFLA_PC5SEC_EXPIRY_NOTICE]) {
		WRITE_ONCE(pc->expiry_notice,
			   nla_get_u32(data[IFLA_PC5SEC_EXPIRY_NOTICE]));
		if (pc->dev->reg_state == NETREG_REGISTERED)
			pc5sec_keys_changed(pc);
	}
	/* newlink checks a new link's MTU itself: it is not registered yet */
	if (pc->dev->reg_state == NETREG_REGISTERED)
		pc5sec_link_follow_mtu(pc);
	return 0;
}

size_t pc5sec_link_get_size(const struct net_device *dev)
{
	return nla_total_size(sizeof(u32)) +	/* GROUP */
	       nla_total_size(sizeof(u32)) +	/* MEMBER */
	       nla_total_size(sizeof(u8)) +	/* CIPHER */
	       nla_total_size(sizeof(u16)) +	/* ETHERTYPE */
	       nla_total_size(sizeof(u32)) +	/* REPLAY_WINDOW */
	       nla_total_size(sizeof(u32)) +	/* RX_SKEW */
	       nla_total_size(sizeof(u32)) +	/* MAX_SENDERS */
	       nla_total_size(sizeof(u32));	/* EXPIRY_NOTICE */
}

int pc5sec_link_fill_info(struct sk_buff *skb, const struct net_device *dev)
{
	const struct pc5sec_dev *pc = netdev_priv(dev);

	if (nla_put_u32(skb, IFLA_PC5SEC_GROUP, pc->group) ||
	    nla_put_u32(skb, IFLA_PC5SEC_MEMBER, pc->member) ||
	    nla_put_u8(skb, IFLA_PC5SEC_CIPHER, pc->cipher) ||
	    nla_put_u16(skb, IFLA_PC5SEC_ETHERTYPE, pc->ethertype) ||
	    nla_put_u32(skb, IFLA_PC5SEC_REPLAY_WINDOW, pc->replay_window) ||
	    nla_put_u32(skb, IFLA_PC5SEC_RX_SKEW, pc->rx_skew) ||
	    nla_put_u32(skb, IFLA_PC5SEC_MAX_SENDERS, pc->max_senders) ||
	    nla_put_u32(skb, IFLA_PC5SEC_EXPIRY_NOTICE, pc->expiry_notice))
		return -EMSGSIZE;
	return 0;
}
