// SPDX-License-Identifier: GPL-2.0
/*
 * The key commands of the pc5sec family (netlink.c): KEY_ADD, KEY_DEL,
 * KEY_SET, KEY_FLUSH and the KEY_GET dump. PGKs come in, from the request
 * or from a "logon" key; only their metadata goes out. Every request's
 * PC5SEC_A_KEY nests are wiped before the handler returns, error or not.
 * Handlers take RTNL (the link lookup) and then the link's key_lock
 * (inside keys.c and life.c), in that order.
 */
#include <linux/kernel.h>
#include <linux/netdevice.h>
#include <linux/timekeeping.h>
#include <linux/rtnetlink.h>
#include <linux/key.h>
#include <keys/user-type.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "pc5sec.h"
#include "keys.h"
#include "life.h"
#include "netlink.h"

/* Times are time64_t inside; non-const: 6.1 takes a mutable pointer. */
static struct netlink_range_validation time_range = {
	.max = S64_MAX,
};

/* 65536 does not fit a policy's own (s16) bounds */
static struct netlink_range_validation ptk_limit_range = {
	.min = 1,
	.max = PC5SEC_PTK_LIMIT_MAX,
};

const struct nla_policy pc5sec_key_policy[PC5SEC_A_KEY_MAX + 1] = {
	[PC5SEC_A_KEY_PGK_ID] = { .type = NLA_U8 },
	[PC5SEC_A_KEY_PGK] = NLA_POLICY_EXACT_LEN(PC5SEC_PGK_LEN),
	[PC5SEC_A_KEY_NOT_BEFORE] = NLA_POLICY_FULL_RANGE(NLA_U64, &time_range),
	[PC5SEC_A_KEY_NOT_AFTER] = NLA_POLICY_FULL_RANGE(NLA_U64, &time_range),
	[PC5SEC_A_KEY_PTK_START] = { .type = NLA_U16 },
	[PC5SEC_A_KEY_KEYRING] = { .type = NLA_NUL_STRING,
				   .len = PC5SEC_KEYRING_DESC_MAX },
	[PC5SEC_A_KEY_PTK_LIMIT] = NLA_POLICY_FULL_RANGE(NLA_U32,
							 &ptk_limit_range),
};

/*
 * Wipes a request's PC5SEC_A_KEY nests, whatever the command: an error ack
 * echoes the request, and key bytes must not come back out. Every one of
 * them, not only info->attrs[] (the last): a request may repeat the
 * attribute. This is the request skb's copy only; one that a netlink tap
 * (nlmon) took before the family saw it is out of our reach, and so is a
 * request the policy refused (the family never sees it): pc5ctl asks for
 * capped acks, which do not echo the request.
 */
void pc5sec_nl_wipe_keys(const struct genl_info *info)
{
	struct nlattr *a;
	int rem;

	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem)
		if (nla_type(a) == PC5SEC_A_KEY)
			memzero_explicit(nla_data(a), nla_len(a));
}

/*
 * PC5SEC_A_REASON is a KEY_DEL attribute: any other command refuses it,
 * naming it, rather than ignoring what the caller thought it asked for.
 */
bool pc5sec_nl_reason_refused(struct genl_info *info)
{
	struct nlattr *reason = info->attrs[PC5SEC_A_REASON];

	if (!reason)
		return false;
	NL_SET_ERR_MSG_ATTR(info->extack, reason,
			    "PC5SEC_A_REASON is for KEY_DEL only");
	return true;
}

static int parse_key(struct genl_info *info, struct nlattr **tb)
{
	if (!info->attrs[PC5SEC_A_KEY]) {
		NL_SET_ERR_MSG(info->extack, "PC5SEC_A_KEY is required");
		return -EINVAL;
	}
	return nla_parse_nested(tb, PC5SEC_A_KEY_MAX, info->attrs[PC5SEC_A_KEY],
				pc5sec_key_policy, info->extack);
}

/*
 * The PGK from a "logon" key in the caller's keyrings: that type's payload
 * cannot be read back by userspace, so the PGK goes from the keyring to
 * this link and nowhere else. request_key() without callout info only
 * searches: the caller's thread, process and session keyrings, with the
 * caller's permissions (we run in the sender's context).
 */
static int pgk_from_keyring(struct nlattr *attr, u8 out[PC5SEC_PGK_LEN],
			    struct netlink_ext_ack *extack)
{
	const struct user_key_payload *payload;
	struct key *key;
	int err = 0;

	key = request_key(&key_type_logon, nla_data(attr), NULL);
	if (IS_ERR(key)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "no usable logon key with this description in the caller's keyrings");
		return PTR_ERR(key);
	}
	down_read(&key->sem);
	payload = user_key_payload_locked(key);
	if (!payload) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "the logon key was revoked");
		err = -EKEYREVOKED;
	} else if (payload->datalen != PC5SEC_PGK_LEN) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "the logon key's payload must be the 32-octet PGK");
		err = -EINVAL;
	} else {
		memcpy(out, payload->data, PC5SEC_PGK_LEN);
	}
	up_read(&key->sem);
	key_put(key);
	return err;
}

int pc5sec_nl_key_add(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[PC5SEC_A_KEY_MAX + 1];
	time64_t not_before = 0, not_after = 0;
	struct nlattr *nest = info->attrs[PC5SEC_A_KEY];
	u8 keyring_pgk[PC5SEC_PGK_LEN];
	struct pc5sec_dev *pc;
	const u8 *pgk = NULL;
	u32 ptk_limit = 0;
	u16 ptk_start = 0;
	int err;

	err = -EINVAL;
	if (pc5sec_nl_reason_refused(info))
		goto wipe;
	err = parse_key(info, tb);
	if (err)
		goto wipe;
	err = -EINVAL;
	if (!tb[PC5SEC_A_KEY_PGK_ID]) {
		NL_SET_ERR_MSG_ATTR(info->extack, nest,
				    "PC5SEC_A_KEY_PGK_ID is required");
		goto wipe;
	}
	if (tb[PC5SEC_A_KEY_PGK] && tb[PC5SEC_A_KEY_KEYRING]) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[PC5SEC_A_KEY_KEYRING],
				    "PC5SEC_A_KEY_PGK and PC5SEC_A_KEY_KEYRING are mutually exclusive");
		goto wipe;
	}
	if (!tb[PC5SEC_A_KEY_PGK] && !tb[PC5SEC_A_KEY_KEYRING]) {
		NL_SET_ERR_MSG_ATTR(info->extack, nest,
				    "PC5SEC_A_KEY_PGK (32 octets) or PC5SEC_A_KEY_KEYRING is required");
		goto wipe;
	}
	if (tb[PC5SEC_A_KEY_NOT_BEFORE])
		not_before = nla_get_u64(tb[PC5SEC_A_KEY_NOT_BEFORE]);
	if (tb[PC5SEC_A_KEY_NOT_AFTER])
		not_after = nla_get_u64(tb[PC5SEC_A_KEY_NOT_AFTER]);
	if (tb[PC5SEC_A_KEY_PTK_START])
		ptk_start = nla_get_u16(tb[PC5SEC_A_KEY_PTK_START]);
	if (tb[PC5SEC_A_KEY_PTK_LIMIT])
		ptk_limit = nla_get_u32(tb[PC5SEC_A_KEY_PTK_LIMIT]);
	if (ptk_limit && ptk_limit <= ptk_start) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[PC5SEC_A_KEY_PTK_LIMIT],
				    "PC5SEC_A_KEY_PTK_LIMIT must be above PC5SEC_A_KEY_PTK_START");
		goto wipe;
	}
	if (not_after && not_after <= not_before) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[PC5SEC_A_KEY_NOT_AFTER],
				    "not-after must be later than not-before");
		goto wipe;
	}
	if (not_after && not_after <= ktime_get_real_seconds()) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[PC5SEC_A_KEY_NOT_AFTER],
				    "the PGK has already expired");
		goto wipe;
	}

	if (tb[PC5SEC_A_KEY_KEYRING]) {
		err = pgk_from_keyring(tb[PC5SEC_A_KEY_KEYRING], keyring_pgk,
				       info->extack);
		if (err)
			goto wipe;
		pgk = keyring_pgk;
	} else {
		pgk = nla_data(tb[PC5SEC_A_KEY_PGK]);
	}

	pc = pc5sec_nl_link_rtnl(info);
	if (IS_ERR(pc)) {
		err = PTR_ERR(pc);
		goto wipe;
	}
	if (!pc->group_set) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PC5SEC_A_IFINDEX],
				    "the link's group (Layer-2 Group ID) was never set: set it before adding a key");
		err = -EINVAL;
	} else if (!pc->member_set) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PC5SEC_A_IFINDEX],
				    "the link's member (Group Member Identity) was never set: set it before adding a key");
		err = -EINVAL;
	} else {
		err = pc5sec_pgk_add(pc, nla_get_u8(tb[PC5SEC_A_KEY_PGK_ID]),
				     pgk, not_before, not_after, ptk_start,
				     ptk_limit, info->extack);
		if (!err)
			pc5sec_keys_changed(pc);
	}
	rtnl_unlock();
wipe:
	memzero_explicit(keyring_pgk, sizeof(keyring_pgk));
	pc5sec_nl_wipe_keys(info);
	return err;
}

/*
 * KEY_DEL (@ptk_limit 0, removed for @reason) or KEY_SET (the new limit)
 * of the PGK that @id names, on the link the request names.
 */
static int pgk_change(struct genl_info *info, struct nlattr *id,
		      u32 ptk_limit, u8 reason)
{
	struct pc5sec_dev *pc;
	int err;

	pc = pc5sec_nl_link_rtnl(info);
	if (IS_ERR(pc))
		return PTR_ERR(pc);
	if (ptk_limit)
		err = pc5sec_pgk_set_limit(pc, nla_get_u8(id), ptk_limit);
	else
		err = pc5sec_pgk_del(pc, nla_get_u8(id), reason);
	if (err)
		NL_SET_ERR_MSG_ATTR(info->extack, id,
				    "no PGK with this ID on the link");
	else
		pc5sec_keys_changed(pc);
	rtnl_unlock();
	return err;
}

/*
 * KEY_DEL (@set false: the PGK ID, and why: deleted unless the request
 * says revoked) and KEY_SET (the PGK ID and the new PTK limit, nothing
 * else). Any PGK bytes sent along are wiped.
 */
static int key_change(struct genl_info *info, bool set)
{
	struct nlattr *reason_attr = info->attrs[PC5SEC_A_REASON];
	u8 reason = PC5SEC_REMOVED_DELETED;
	struct nlattr *tb[PC5SEC_A_KEY_MAX + 1];
	struct nlattr *nest = info->attrs[PC5SEC_A_KEY];
	u32 ptk_limit = 0;
	int i, err;

	err = -EINVAL;
	if (set && pc5sec_nl_reason_refused(info))
		goto out;
	if (reason_attr) {
		/*
		 * The other reasons are the kernel's own (flush, expiry, link
		 * deleted): a caller saying one of them would misreport.
		 */
		reason = nla_get_u8(reason_attr);
		if (reason != PC5SEC_REMOVED_DELETED &&
		    reason != PC5SEC_REMOVED_REVOKED) {
			NL_SET_ERR_MSG_ATTR(info->extack, reason_attr,
					    "KEY_DEL's PC5SEC_A_REASON is deleted or revoked");
			goto out;
		}
	}
	err = parse_key(info, tb);
	if (err)
		goto out;
	err = -EINVAL;
	if (!tb[PC5SEC_A_KEY_PGK_ID]) {
		NL_SET_ERR_MSG_ATTR(info->extack, nest,
				    "PC5SEC_A_KEY_PGK_ID is required");
		goto out;
	}
	if (set) {
		/* Only the limit can change: refuse, naming it, anything else. */
		for (i = 1; i <= PC5SEC_A_KEY_MAX; i++) {
			if (tb[i] && i != PC5SEC_A_KEY_PGK_ID &&
			    i != PC5SEC_A_KEY_PTK_LIMIT) {
				NL_SET_ERR_MSG_ATTR(info->extack, tb[i],
						    "only PC5SEC_A_KEY_PTK_LIMIT of an installed PGK can change");
				goto out;
			}
		}
		if (!tb[PC5SEC_A_KEY_PTK_LIMIT]) {
			NL_SET_ERR_MSG_ATTR(info->extack, nest,
					    "PC5SEC_A_KEY_PTK_LIMIT is required");
			goto out;
		}
		/* the policy keeps it in 1..PC5SEC_PTK_LIMIT_MAX */
		ptk_limit = nla_get_u32(tb[PC5SEC_A_KEY_PTK_LIMIT]);
	}
	err = pgk_change(info, tb[PC5SEC_A_KEY_PGK_ID], ptk_limit, reason);
out:
	pc5sec_nl_wipe_keys(info);
	return err;
}

int pc5sec_nl_key_del(struct sk_buff *skb, struct genl_info *info)
{
	return key_change(info, false);
}

int pc5sec_nl_key_set(struct sk_buff *skb, struct genl_info *info)
{
	return key_change(info, true);
}

int pc5sec_nl_key_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct pc5sec_dev *pc;
	int err = 0;

	if (pc5sec_nl_reason_refused(info))
		pc = ERR_PTR(-EINVAL);
	else
		pc = pc5sec_nl_link_rtnl(info);
	if (IS_ERR(pc)) {
		err = PTR_ERR(pc);
	} else {
		pc5sec_pgk_flush(pc);
		pc5sec_keys_changed(pc);
		rtnl_unlock();
	}
	pc5sec_nl_wipe_keys(info);
	return err;
}

/* A PGK's metadata in a PC5SEC_A_KEY nest. Never PC5SEC_A_KEY_PGK. */
int pc5sec_nl_put_key(struct sk_buff *skb, struct pc5sec_dev *pc,
		      struct pc5sec_pgk *pgk, time64_t now)
{
	u64 next = min_t(u64, atomic64_read(&pgk->tx_count) >> 16, 0x10000);
	struct nlattr *nest;
	u8 state;

	rcu_read_lock();
	state = pc5sec_pgk_state(pc, pgk, now);
	rcu_read_unlock();
	nest = nla_nest_start(skb, PC5SEC_A_KEY);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u8(skb, PC5SEC_A_KEY_PGK_ID, pgk->id) ||
	    nla_put_u8(skb, PC5SEC_A_KEY_PGK_INDEX,
		       pgk->id & PC5SEC_PGK_INDEX_MASK) ||
	    (pgk->not_before &&
	     nla_put_u64_64bit(skb, PC5SEC_A_KEY_NOT_BEFORE, pgk->not_before,
			       PC5SEC_A_KEY_PAD)) ||
	    (pgk->not_after &&
	     nla_put_u64_64bit(skb, PC5SEC_A_KEY_NOT_AFTER, pgk->not_after,
			       PC5SEC_A_KEY_PAD)) ||
	    nla_put_u8(skb, PC5SEC_A_KEY_STATE, state) ||
	    nla_put_u32(skb, PC5SEC_A_KEY_TX_PTK_ID, next) ||
	    (pgk->ptk_limit &&
	     nla_put_u32(skb, PC5SEC_A_KEY_PTK_LIMIT, pgk->ptk_limit)) ||
	    nla_put_u64_64bit(skb, PC5SEC_A_KEY_TX_PACKETS,
			      atomic64_read(&pgk->tx_packets),
			      PC5SEC_A_KEY_PAD) ||
	    nla_put_u64_64bit(skb, PC5SEC_A_KEY_RX_PACKETS,
			      atomic64_read(&pgk->rx_packets),
			      PC5SEC_A_KEY_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int fill_key(struct sk_buff *skb, struct pc5sec_dev *pc,
		    struct pc5sec_pgk *pgk, time64_t now,
		    struct netlink_callback *cb)
{
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  pc5sec_dump_family(cb), NLM_F_MULTI,
			  PC5SEC_CMD_KEY_GET);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);
	if (nla_put_u32(skb, PC5SEC_A_IFINDEX, pc->dev->ifindex) ||
	    pc5sec_nl_put_key(skb, pc, pgk, now)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/*
 * One link's PGKs; cb->args[0] counts the PGKs already sent. The dump is
 * flagged inconsistent (NLM_F_DUMP_INTR) if the key list changed between
 * its parts, so a reader never silently sees a skipped or repeated key.
 */
int pc5sec_nl_key_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	time64_t now = ktime_get_real_seconds();
	struct pc5sec_pgk *pgk;
	struct pc5sec_dev *pc;
	long i = 0;

	pc = pc5sec_nl_dump_start(cb);
	if (IS_ERR(pc))
		return PTR_ERR(pc);
	cb->seq = pc->keys_gen;
	list_for_each_entry(pgk, &pc->pgks, list) {
		if (i++ < cb->args[0])
			continue;
		if (fill_key(skb, pc, pgk, now, cb))
			break;
		cb->args[0]++;
	}
	pc5sec_nl_dump_end(pc);
	return skb->len;
}
