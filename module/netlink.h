/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PC5SEC_NETLINK_H
#define _PC5SEC_NETLINK_H

#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <linux/pc5sec.h>

#include "compat.h"
#include "pc5sec.h"

struct pc5sec_pgk;

/*
 * The key commands of the pc5sec family (netlink_keys.c), for the family
 * itself (netlink.c), which registers them, nests their policy and puts a
 * PGK's metadata into its events. netlink_keys.c calls nothing in
 * netlink.c.
 */
extern const struct nla_policy pc5sec_key_policy[PC5SEC_A_KEY_MAX + 1];

void pc5sec_nl_wipe_keys(const struct genl_info *info);
bool pc5sec_nl_reason_refused(struct genl_info *info);
int pc5sec_nl_put_key(struct sk_buff *skb, struct pc5sec_dev *pc,
		      struct pc5sec_pgk *pgk, time64_t now);

int pc5sec_nl_key_add(struct sk_buff *skb, struct genl_info *info);
int pc5sec_nl_key_del(struct sk_buff *skb, struct genl_info *info);
int pc5sec_nl_key_set(struct sk_buff *skb, struct genl_info *info);
int pc5sec_nl_key_flush(struct sk_buff *skb, struct genl_info *info);
int pc5sec_nl_key_dump(struct sk_buff *skb, struct netlink_callback *cb);

/*
 * The link a request names, returned with RTNL held (the caller ends
 * with rtnl_unlock()); an ERR_PTR, with the reason in the extack, and
 * RTNL not held.
 */
static inline struct pc5sec_dev *pc5sec_nl_link_rtnl(struct genl_info *info)
{
	struct pc5sec_dev *pc;

	rtnl_lock();
	pc = pc5sec_link_from_attr(genl_info_net(info),
				   info->attrs[PC5SEC_A_IFINDEX], info->extack);
	if (IS_ERR(pc))
		rtnl_unlock();
	return pc;
}

/*
 * The link a dump names, returned with RTNL and its key_lock held until
 * pc5sec_nl_dump_end(); an ERR_PTR with neither held.
 */
static inline struct pc5sec_dev *pc5sec_nl_dump_start(struct netlink_callback *cb)
{
	struct pc5sec_dev *pc;

	rtnl_lock();
	pc = pc5sec_link_from_attr(sock_net(cb->skb->sk),
				   pc5sec_dump_attrs(cb)[PC5SEC_A_IFINDEX],
				   cb->extack);
	if (IS_ERR(pc)) {
		rtnl_unlock();
		return pc;
	}
	mutex_lock(&pc->key_lock);
	return pc;
}

static inline void pc5sec_nl_dump_end(struct pc5sec_dev *pc)
{
	mutex_unlock(&pc->key_lock);
	rtnl_unlock();
}

#endif /* _PC5SEC_NETLINK_H */
