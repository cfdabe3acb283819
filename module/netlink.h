/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PC5SEC_NETLINK_H
#define _PC5SEC_NETLINK_H

#include <net/genetlink.h>
#include <linux/pc5sec.h>

struct pc5sec_dev;
struct pc5sec_pgk;

/*
 * Shared by the two halves of the pc5sec family: netlink.c (the family,
 * the sender commands, the events) and netlink_keys.c (the key commands).
 */
extern struct genl_family pc5sec_genl_family;
extern const struct nla_policy pc5sec_key_policy[PC5SEC_A_KEY_MAX + 1];

struct pc5sec_dev *pc5sec_nl_link(struct net *net, struct nlattr **attrs,
				  struct netlink_ext_ack *extack);
void pc5sec_nl_wipe_keys(const struct genl_info *info);
struct pc5sec_dev *pc5sec_nl_dump_start(struct netlink_callback *cb);
void pc5sec_nl_dump_end(struct pc5sec_dev *pc);
int pc5sec_nl_put_key(struct sk_buff *skb, struct pc5sec_dev *pc,
		      struct pc5sec_pgk *pgk, time64_t now);

int pc5sec_nl_key_add(struct sk_buff *skb, struct genl_info *info);
int pc5sec_nl_key_del(struct sk_buff *skb, struct genl_info *info);
int pc5sec_nl_key_set(struct sk_buff *skb, struct genl_info *info);
int pc5sec_nl_key_flush(struct sk_buff *skb, struct genl_info *info);
int pc5sec_nl_key_dump(struct sk_buff *skb, struct netlink_callback *cb);

#endif /* _PC5SEC_NETLINK_H */
