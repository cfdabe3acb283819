// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "pc5sec": PGKs in, metadata out. Key bytes
 * are write-only: no reply or dump carries them, and the request's copy
 * is wiped as soon as it is taken. Every operation needs CAP_NET_ADMIN in
 * the user namespace owning the link's network namespace.
 *
 * Events go to the multicast group "events" of the link's netns. They
 * carry a PGK's metadata, as a dump does, never its bytes; they are sent
 * from process context (netlink requests, the key and life works).
 * Documentation/netlink/specs/pc5sec.yaml describes the family.
 *
 * This file holds the family, the sender commands and the events; the key
 * commands, with the wipe of key bytes every command does, are in
 * netlink_keys.c.
 */
#include <linux/kernel.h>
#include <linux/netdevice.h>
#include <linux/timekeeping.h>
#include <linux/rtnetlink.h>
#include <net/sock.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "compat.h"
#include "pc5sec.h"
#include "senders.h"
#include "events.h"
#include "netlink.h"

static struct genl_family family;

/* Member IDs are 24 bits */
static struct netlink_range_validation sender_range = {
	.max = PC5SEC_ID_MAX,
};

static const struct nla_policy policy[PC5SEC_A_MAX + 1] = {
	[PC5SEC_A_IFINDEX] = { .type = NLA_U32 },
	[PC5SEC_A_KEY] = NLA_POLICY_NESTED(pc5sec_key_policy),
	[PC5SEC_A_SENDER] = NLA_POLICY_FULL_RANGE(NLA_U32, &sender_range),
	/* KEY_DEL only; netlink_keys.c narrows it to deleted or revoked */
	[PC5SEC_A_REASON] = NLA_POLICY_RANGE(NLA_U8, PC5SEC_REMOVED_DELETED,
					     PC5SEC_REMOVED_REVOKED),
};

/*
 * Sends an event to the link's netns, if anyone listens. Events are best
 * effort, like every netlink notification: a listener that falls behind
 * sees ENOBUFS and re-reads the state with a dump.
 */
static int notify(struct notifier_block *nb, unsigned long cmd, void *data)
{
	const struct pc5sec_event *ev = data;
	struct pc5sec_dev *pc = ev->pc;
	struct net *net = dev_net(pc->dev);
	struct sk_buff *skb;
	void *hdr;

	if (!genl_has_listeners(&family, net, 0))
		return NOTIFY_DONE;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return NOTIFY_DONE;
	hdr = genlmsg_put(skb, 0, 0, &family, 0, cmd);
	if (!hdr ||
	    nla_put_u32(skb, PC5SEC_A_IFINDEX, pc->dev->ifindex) ||
	    (ev->pgk && pc5sec_nl_put_key(skb, pc, ev->pgk,
						 ktime_get_real_seconds())) ||
	    (ev->reason && nla_put_u8(skb, PC5SEC_A_REASON, ev->reason)) ||
	    (ev->pgk_index >= 0 &&
	     nla_put_u8(skb, PC5SEC_A_PGK_INDEX, ev->pgk_index)) ||
	    ((cmd == PC5SEC_CMD_EVT_UNKNOWN_PGK ||
	      cmd == PC5SEC_CMD_EVT_MEMBER_CONFLICT) &&
	     nla_put_u32(skb, PC5SEC_A_SENDER, ev->sender))) {
		nlmsg_free(skb);
		return NOTIFY_DONE;
	}
	genlmsg_end(skb, hdr);
	genlmsg_multicast_netns(&family, net, skb, 0, 0, GFP_KERNEL);
	return NOTIFY_OK;
}

static struct notifier_block events_nb = {
	.notifier_call = notify,
};

/* One receiver's state in a SENDER_GET dump. key_lock. */
static int fill_sender(struct sk_buff *skb, struct pc5sec_dev *pc,
		       struct pc5sec_rx_sa *sa, struct netlink_callback *cb)
{
	struct nlattr *nest;
	u64 packets;
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &family, NLM_F_MULTI, PC5SEC_CMD_SENDER_GET);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);
	if (nla_put_u32(skb, PC5SEC_A_IFINDEX, pc->dev->ifindex))
		goto cancel;
	nest = nla_nest_start(skb, PC5SEC_A_SENDER_INFO);
	if (!nest ||
	    nla_put_u32(skb, PC5SEC_A_SI_ID, sa->sender) ||
	    nla_put_u8(skb, PC5SEC_A_SI_PGK_ID, sa->pgk->id) ||
	    nla_put_u32(skb, PC5SEC_A_SI_COUNT,
			pc5sec_rx_sa_count(sa, &packets)) ||
	    nla_put_u64_64bit(skb, PC5SEC_A_SI_RX_PACKETS, packets,
			      PC5SEC_A_SI_PAD) ||
	    nla_put_u32(skb, PC5SEC_A_SI_IDLE_MS,
			jiffies_to_msecs(jiffies - READ_ONCE(sa->last_rx))))
		goto cancel;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/*
 * One link's receivers' states; cb->args[0] counts those already sent,
 * and the dump is flagged inconsistent if the table changed meanwhile.
 */
static int sender_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct pc5sec_rx_sa *sa;
	struct pc5sec_dev *pc;
	unsigned int bkt;
	long i = 0;

	pc = pc5sec_nl_dump_start(cb);
	if (IS_ERR(pc))
		return PTR_ERR(pc);
	cb->seq = pc->senders_gen;
	hash_for_each(pc->rx_sas, bkt, sa, node) {
		if (i++ < cb->args[0])
			continue;
		if (fill_sender(skb, pc, sa, cb))
			break;
		cb->args[0]++;
	}
	pc5sec_nl_dump_end(pc);
	return skb->len;
}

static int sender_reset(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *id = info->attrs[PC5SEC_A_SENDER];
	struct pc5sec_dev *pc;
	int err;

	pc5sec_nl_wipe_keys(info);
	if (pc5sec_nl_reason_refused(info))
		return -EINVAL;
	if (!id) {
		NL_SET_ERR_MSG(info->extack, "PC5SEC_A_SENDER is required");
		return -EINVAL;
	}
	pc = pc5sec_nl_link_rtnl(info);
	if (IS_ERR(pc))
		return PTR_ERR(pc);
	mutex_lock(&pc->key_lock);
	err = pc5sec_senders_forget(pc, nla_get_u32(id));
	mutex_unlock(&pc->key_lock);
	if (err)
		NL_SET_ERR_MSG_ATTR(info->extack, id,
				    "the link has no state for this sender");
	rtnl_unlock();
	return err;
}

static const struct genl_small_ops ops[] = {
	{
		.cmd = PC5SEC_CMD_KEY_ADD,
		.doit = pc5sec_nl_key_add,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = PC5SEC_CMD_KEY_DEL,
		.doit = pc5sec_nl_key_del,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = PC5SEC_CMD_KEY_FLUSH,
		.doit = pc5sec_nl_key_flush,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = PC5SEC_CMD_KEY_GET,
		.dumpit = pc5sec_nl_key_dump,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = PC5SEC_CMD_KEY_SET,
		.doit = pc5sec_nl_key_set,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = PC5SEC_CMD_SENDER_GET,
		.dumpit = sender_dump,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = PC5SEC_CMD_SENDER_RESET,
		.doit = sender_reset,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static const struct genl_multicast_group mcgrps[] = {
	{ .name = PC5SEC_GENL_MCGRP_EVENTS, .flags = PC5SEC_MCGRP_FLAGS },
};

static struct genl_family family __ro_after_init = {
	.name = PC5SEC_GENL_NAME,
	.version = PC5SEC_GENL_VERSION,
	.maxattr = PC5SEC_A_MAX,
	.policy = policy,
	.netnsok = true,
	.module = THIS_MODULE,
	.small_ops = ops,
	.n_small_ops = ARRAY_SIZE(ops),
	.mcgrps = mcgrps,
	.n_mcgrps = ARRAY_SIZE(mcgrps),
	/* A family new in this module: strict validation for every command. */
	.resv_start_op = 0,
};

int __init pc5sec_netlink_init(void)
{
	int err;

	err = genl_register_family(&family);
	if (err)
		return err;
	err = pc5sec_events_register(&events_nb);
	if (err)
		genl_unregister_family(&family);
	return err;
}

void pc5sec_netlink_uninit(void)
{
	pc5sec_events_unregister(&events_nb);
	genl_unregister_family(&family);
}
