// SPDX-License-Identifier: GPL-2.0
/*
 * pc5nl: rtnetlink and generic netlink requests for pc5sec, on libmnl.
 * See pc5nl.h for the interface and its error and key-handling rules.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "errmsg.h"
#include "pc5nl.h"
#include "util.h"

/* Requests are small: a name, a few u32s, one key. */
#define REQ_SIZE	1024
/* Dumps: the kernel fills up to 32 KiB per datagram; never truncate one. */
#define RECV_SIZE	(32 * 1024)

struct pc5nl {
	struct mnl_socket *rt;
	struct mnl_socket *genl;
	uint16_t family;		/* genl family id; 0 until resolved */
	uint32_t mcgrp;			/* its "events" group id; 0 if none */
	uint32_t seq;
	/* the last request's extended ACK, or the library's own reason */
	struct errmsg extack;
	uint8_t *buf;			/* RECV_SIZE */
};

/* Per-message callback of a request: 0 or a negative errno. */
typedef int (*msg_cb_t)(const struct nlmsghdr *nlh, void *data);

struct req {
	struct pc5nl *nl;
	uint32_t seq;
	msg_cb_t cb;
	void *data;
	int err;
	bool intr;			/* a dump flagged NLM_F_DUMP_INTR */
};

/* req_run() flags */
#define REQ_WIPE	(1u << 0)	/* the request carries key bytes */
/* req_run()'s result for a dump the kernel flagged interrupted */
#define REQ_INTERRUPTED	1
/* how often dump_run() reads a list that keeps changing */
#define DUMP_TRIES	8

static int family_check(struct pc5nl *nl, int err);

const char *pc5nl_extack(const struct pc5nl *nl)
{
	return nl->extack.msg[0] ? nl->extack.msg : NULL;
}

const char *pc5nl_strerror(const struct pc5nl *nl, int err)
{
	return err_str(nl ? &nl->extack : NULL, err);
}

/*
 * Attribute tables. First occurrence wins, as in iproute2, so that a
 * repeated attribute cannot silently override the one ip(8) shows.
 * Types above @max (newer kernels) are ignored.
 */
struct attr_tb {
	const struct nlattr **tb;
	unsigned int max;
};

static int collect_cb(const struct nlattr *attr, void *data)
{
	struct attr_tb *t = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (type <= t->max && !t->tb[type])
		t->tb[type] = attr;
	return MNL_CB_OK;
}

static void parse_attrs(const struct nlmsghdr *nlh, unsigned int offset,
			const struct nlattr **tb, unsigned int max)
{
	struct attr_tb t = { tb, max };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	mnl_attr_parse(nlh, offset, collect_cb, &t);
}

static void parse_nested(const struct nlattr *nest, const struct nlattr **tb,
			 unsigned int max)
{
	struct attr_tb t = { tb, max };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (nest && mnl_attr_validate(nest, MNL_TYPE_NESTED) >= 0)
		mnl_attr_parse_nested(nest, collect_cb, &t);
}

/* Typed getters: false when absent or malformed (treated as absent). */
#define DEFINE_GETTER(bits)						\
static bool get_u##bits(const struct nlattr *a, uint##bits##_t *v)	\
{									\
	if (!a || mnl_attr_validate(a, MNL_TYPE_U##bits) < 0)		\
		return false;						\
	*v = mnl_attr_get_u##bits(a);					\
	return true;							\
}

DEFINE_GETTER(8)
DEFINE_GETTER(16)
DEFINE_GETTER(32)
DEFINE_GETTER(64)

static const char *get_str(const struct nlattr *a)
{
	if (!a || mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0)
		return NULL;
	return mnl_attr_get_str(a);
}

/* Keeps NLMSGERR_ATTR_MSG of an ACK or DONE message, if there is one. */
static void keep_extack(struct pc5nl *nl, const struct nlmsghdr *nlh,
			unsigned int offset)
{
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	const char *msg;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (offset > mnl_nlmsg_get_payload_len(nlh))
		return;
	parse_attrs(nlh, offset, tb, NLMSGERR_ATTR_MAX);
	msg = get_str(tb[NLMSGERR_ATTR_MSG]);
	if (msg && *msg)
		fail(&nl->extack, 0, "%s", msg);
}

static int req_data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct req *r = data;
	int err;

	/* Left over from an earlier request that stopped early: skip. */
	if (nlh->nlmsg_seq != r->seq || !r->cb)
		return MNL_CB_OK;
	err = r->cb(nlh, r->data);
	if (err) {
		r->err = err;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

static int req_error_cb(const struct nlmsghdr *nlh, void *data)
{
	struct req *r = data;
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	unsigned int offset = sizeof(*e);

	if (nlh->nlmsg_seq != r->seq)
		return MNL_CB_OK;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e)) {
		r->err = -EBADMSG;
		return MNL_CB_ERROR;
	}
	/* Without NETLINK_CAP_ACK the request itself comes back first. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		offset += mnl_nlmsg_get_payload_len(&e->msg);
	keep_extack(r->nl, nlh, offset);
	if (!e->error)
		return MNL_CB_STOP;
	r->err = e->error < 0 ? e->error : -e->error;
	return MNL_CB_ERROR;
}

/* The end of a dump: an int, the dump's error, then extack attributes. */
static int req_done_cb(const struct nlmsghdr *nlh, void *data)
{
	struct req *r = data;
	int err = 0;

	if (nlh->nlmsg_seq != r->seq)
		return MNL_CB_OK;
	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(int))
		memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
	keep_extack(r->nl, nlh, sizeof(int));
	if (err >= 0)
		return MNL_CB_STOP;
	r->err = err;
	return MNL_CB_ERROR;
}

/*
 * libmnl stops at a message flagged NLM_F_DUMP_INTR with EINTR and leaves
 * the rest of the dump unread. Note the flag of our dump's messages and
 * clear it in every message, so that the dump is read to its end, and
 * then run again (dump_run()).
 */
static void take_dump_intr(struct req *r, void *buf, ssize_t len)
{
	struct nlmsghdr *nlh = buf;
	int n = len;

	for (; mnl_nlmsg_ok(nlh, n); nlh = mnl_nlmsg_next(nlh, &n)) {
		if (!(nlh->nlmsg_flags & NLM_F_DUMP_INTR))
			continue;
		if (nlh->nlmsg_seq == r->seq)
			r->intr = true;
		nlh->nlmsg_flags &= ~NLM_F_DUMP_INTR;
	}
}

/*
 * Sends @nlh and reads replies until its ACK, error or end of dump. Every
 * non-dump request asks for an ACK, so that success is confirmed and an
 * extended ACK explains a failure. Returns 0, a negative errno, or
 * REQ_INTERRUPTED for a dump that completed with NLM_F_DUMP_INTR.
 */
static int req_run(struct pc5nl *nl, struct mnl_socket *sk,
		   struct nlmsghdr *nlh, unsigned int flags, msg_cb_t cb,
		   void *data)
{
	/* not const: mnl_cb_run2() takes a mutable array */
	static mnl_cb_t ctl[NLMSG_MIN_TYPE] = {
		[NLMSG_ERROR] = req_error_cb,
		[NLMSG_DONE] = req_done_cb,
	};
	struct req r = { .nl = nl, .cb = cb, .data = data };
	unsigned int portid = mnl_socket_get_portid(sk);
	/* kept: REQ_WIPE clears the message once it is sent */
	bool to_pc5 = sk == nl->genl && nl->family && nlh->nlmsg_type == nl->family;
	ssize_t n;
	int err = 0, ret;

	errmsg_clear(&nl->extack);
	if (!++nl->seq)
		nl->seq = 1;
	r.seq = nlh->nlmsg_seq = nl->seq;
	/* NLM_F_DUMP is two bits, one of them NLM_F_EXCL's value. */
	if ((nlh->nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP)
		nlh->nlmsg_flags |= NLM_F_ACK;

	n = mnl_socket_sendto(sk, nlh, nlh->nlmsg_len);
	if (n < 0)
		err = -errno;
	if (flags & REQ_WIPE)
		explicit_bzero(nlh, nlh->nlmsg_len);
	if (err)
		return err;

	for (;;) {
		n = mnl_socket_recvfrom(sk, nl->buf, RECV_SIZE);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			break;
		}
		take_dump_intr(&r, nl->buf, n);
		/* seq 0: req_*_cb check it, to skip stale replies */
		ret = mnl_cb_run2(nl->buf, n, 0, portid, req_data_cb, &r,
				  ctl, ARRAY_SIZE(ctl));
		if (ret == MNL_CB_ERROR) {
			err = r.err ? r.err : -errno;
			break;
		}
		if (ret == MNL_CB_STOP)
			break;
	}
	/* A kernel without NETLINK_CAP_ACK would have echoed the key. */
	if (flags & REQ_WIPE)
		explicit_bzero(nl->buf, RECV_SIZE);
	if (err == -ENOENT && to_pc5)
		err = family_check(nl, err);
	if (!err && r.intr)
		return REQ_INTERRUPTED;
	return err;
}

/*
 * Runs the dump @nlh again from the start while the kernel flags it
 * interrupted: NLM_F_DUMP_INTR says the list changed between two of the
 * dump's datagrams, so an item may be missing or seen twice. @reset
 * empties what @cb gathered. A list that changes during every one of
 * DUMP_TRIES reads gives -EAGAIN, with the reason.
 */
static int dump_run(struct pc5nl *nl, struct mnl_socket *sk,
		    struct nlmsghdr *nlh, msg_cb_t cb, void *data,
		    void (*reset)(void *data))
{
	int i, err;

	for (i = 0; i < DUMP_TRIES; i++) {
		if (i)
			reset(data);
		err = req_run(nl, sk, nlh, 0, cb, data);
		if (err != REQ_INTERRUPTED)
			return err;
	}
	return fail(&nl->extack, -EAGAIN,
		    "the list changed while it was read, %d times in a row; try again",
		    DUMP_TRIES);
}

static struct mnl_socket *sock_open(int bus)
{
	struct mnl_socket *sk;
	int one = 1;

	sk = mnl_socket_open2(bus, SOCK_CLOEXEC);
	if (!sk)
		return NULL;
	if (mnl_socket_bind(sk, 0, MNL_SOCKET_AUTOPID) < 0) {
		int err = errno;

		mnl_socket_close(sk);
		errno = err;
		return NULL;
	}
	/* Both are best effort: kernels before 4.12 / 4.3 lack them. */
	mnl_socket_setsockopt(sk, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(sk, NETLINK_CAP_ACK, &one, sizeof(one));
	return sk;
}

/* Closes a socket of a handle that may have been opened half-way */
static void sock_close(struct mnl_socket *sk)
{
	if (sk)
		mnl_socket_close(sk);
}

int pc5nl_open(struct pc5nl **nlp)
{
	struct pc5nl *nl;
	int err;

	nl = calloc(1, sizeof(*nl));
	if (!nl)
		return -ENOMEM;
	nl->buf = malloc(RECV_SIZE);
	if (!nl->buf) {
		err = -ENOMEM;
		goto fail;
	}
	nl->rt = sock_open(NETLINK_ROUTE);
	if (!nl->rt) {
		err = -errno;
		goto fail;
	}
	nl->genl = sock_open(NETLINK_GENERIC);
	if (!nl->genl) {
		err = -errno;
		goto fail;
	}
	*nlp = nl;
	return 0;
fail:
	pc5nl_close(nl);
	return err;
}

void pc5nl_close(struct pc5nl *nl)
{
	if (!nl)
		return;
	sock_close(nl->rt);
	sock_close(nl->genl);
	free(nl->buf);
	free(nl);
}

/* --- generic netlink --- */

/* Every request: the netlink header, then @len zeroed bytes of its family's */
static void *msg_start(void *buf, uint16_t type, uint16_t flags, size_t len,
		       struct nlmsghdr **nlhp)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	*nlhp = nlh;
	return mnl_nlmsg_put_extra_header(nlh, len);
}

static struct nlmsghdr *genl_msg(void *buf, uint16_t family, uint16_t flags,
				 uint8_t cmd, uint8_t version)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *g = msg_start(buf, family, flags, sizeof(*g), &nlh);

	g->cmd = cmd;
	g->version = version;
	return nlh;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct pc5nl *nl = data;
	const struct nlattr *grp;
	uint16_t id;

	parse_attrs(nlh, sizeof(struct genlmsghdr), tb, CTRL_ATTR_MAX);
	if (get_u16(tb[CTRL_ATTR_FAMILY_ID], &id))
		nl->family = id;
	if (!tb[CTRL_ATTR_MCAST_GROUPS])
		return 0;
	mnl_attr_for_each_nested(grp, tb[CTRL_ATTR_MCAST_GROUPS]) {
		const struct nlattr *g[CTRL_ATTR_MCAST_GRP_MAX + 1];
		const char *name;
		uint32_t gid;

		parse_nested(grp, g, CTRL_ATTR_MCAST_GRP_MAX);
		name = get_str(g[CTRL_ATTR_MCAST_GRP_NAME]);
		if (name && !strcmp(name, PC5SEC_GENL_MCGRP_EVENTS) &&
		    get_u32(g[CTRL_ATTR_MCAST_GRP_ID], &gid))
			nl->mcgrp = gid;
	}
	return 0;
}

int pc5nl_genl_family(struct pc5nl *nl)
{
	char buf[REQ_SIZE] __attribute__((aligned(8)));
	struct nlmsghdr *nlh;
	int err;

	if (nl->family)
		return 0;
	nlh = genl_msg(buf, GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, PC5SEC_GENL_NAME);
	err = req_run(nl, nl->genl, nlh, 0, family_cb, nl);
	if (err == -ENOENT)
		return fail(&nl->extack, err, "pc5sec module not loaded");
	if (!err && !nl->family)
		return fail(&nl->extack, -EPROTO,
			    "genl controller gave no id for family \"%s\"",
			    PC5SEC_GENL_NAME);
	return err;
}

/*
 * -ENOENT from the pc5sec family means that what the request named is not
 * there, or that the family itself is: pc5sec was unloaded, and a reload
 * registers it under another ID. Tell the two apart, so that no caller
 * takes "module reloaded" for "no such key", and the next request goes to
 * the live family. The request is not sent again: it may have carried
 * key bytes, wiped since.
 */
static int family_check(struct pc5nl *nl, int err)
{
	struct errmsg saved = nl->extack;
	uint16_t old = nl->family;

	pc5nl_family_reset(nl);
	if (pc5nl_genl_family(nl))
		return fail(&nl->extack, -ESTALE, "pc5sec was unloaded");
	if (nl->family == old) {
		nl->extack = saved;
		return err;
	}
	return fail(&nl->extack, -ESTALE,
		    "pc5sec was reloaded (genl family %u, now %u): request not sent to it",
		    old, nl->family);
}

/* Starts a pc5sec genl request; resolves the family on first use. */
static int pc5_msg(struct pc5nl *nl, void *buf, uint16_t flags, uint8_t cmd,
		   uint32_t ifindex, struct nlmsghdr **nlhp)
{
	int err;

	err = pc5nl_genl_family(nl);
	if (err)
		return err;
	*nlhp = genl_msg(buf, nl->family, flags, cmd, PC5SEC_GENL_VERSION);
	mnl_attr_put_u32(*nlhp, PC5SEC_A_IFINDEX, ifindex);
	return 0;
}

/* KEY_ADD with the PGK's bytes (@pgk) or a logon key's description (@desc) */
static int key_add(struct pc5nl *nl, uint32_t ifindex,
		   const struct pc5nl_key_params *p,
		   const uint8_t *pgk, const char *desc)
{
	char buf[REQ_SIZE] __attribute__((aligned(8)));
	struct nlmsghdr *nlh;
	struct nlattr *key;
	int err;

	if (desc && strlen(desc) > PC5SEC_KEYRING_DESC_MAX) {
		return fail(&nl->extack, -EINVAL,
			    "keyring description longer than %d characters",
			    PC5SEC_KEYRING_DESC_MAX);
	}
	err = pc5_msg(nl, buf, 0, PC5SEC_CMD_KEY_ADD, ifindex, &nlh);
	if (err)
		return err;
	key = mnl_attr_nest_start(nlh, PC5SEC_A_KEY);
	mnl_attr_put_u8(nlh, PC5SEC_A_KEY_PGK_ID, p->pgk_id);
	if (pgk)
		mnl_attr_put(nlh, PC5SEC_A_KEY_PGK, PC5SEC_PGK_LEN, pgk);
	else
		mnl_attr_put_strz(nlh, PC5SEC_A_KEY_KEYRING, desc);
	if (p->mask & PC5NL_KEY_NOT_BEFORE)
		mnl_attr_put_u64(nlh, PC5SEC_A_KEY_NOT_BEFORE, p->not_before);
	if (p->mask & PC5NL_KEY_NOT_AFTER)
		mnl_attr_put_u64(nlh, PC5SEC_A_KEY_NOT_AFTER, p->not_after);
	if (p->mask & PC5NL_KEY_PTK_START)
		mnl_attr_put_u16(nlh, PC5SEC_A_KEY_PTK_START, p->ptk_start);
	if (p->ptk_limit)
		mnl_attr_put_u32(nlh, PC5SEC_A_KEY_PTK_LIMIT, p->ptk_limit);
	mnl_attr_nest_end(nlh, key);
	/* req_run() wipes the message once it is sent */
	err = req_run(nl, nl->genl, nlh, pgk ? REQ_WIPE : 0, NULL, NULL);
	/* and in case sending failed before that, the whole buffer */
	explicit_bzero(buf, sizeof(buf));
	return err;
}

int pc5nl_key_add(struct pc5nl *nl, uint32_t ifindex,
		  const struct pc5nl_key_params *p,
		  const uint8_t pgk[PC5SEC_PGK_LEN])
{
	return key_add(nl, ifindex, p, pgk, NULL);
}

int pc5nl_key_add_keyring(struct pc5nl *nl, uint32_t ifindex,
			  const struct pc5nl_key_params *p, const char *desc)
{
	return key_add(nl, ifindex, p, NULL, desc);
}

int pc5nl_key_set_limit(struct pc5nl *nl, uint32_t ifindex, uint8_t pgk_id,
			uint32_t ptk_limit)
{
	char buf[REQ_SIZE] __attribute__((aligned(8)));
	struct nlmsghdr *nlh;
	struct nlattr *key;
	int err;

	err = pc5_msg(nl, buf, 0, PC5SEC_CMD_KEY_SET, ifindex, &nlh);
	if (err)
		return err;
	key = mnl_attr_nest_start(nlh, PC5SEC_A_KEY);
	mnl_attr_put_u8(nlh, PC5SEC_A_KEY_PGK_ID, pgk_id);
	mnl_attr_put_u32(nlh, PC5SEC_A_KEY_PTK_LIMIT, ptk_limit);
	mnl_attr_nest_end(nlh, key);
	return req_run(nl, nl->genl, nlh, 0, NULL, NULL);
}

int pc5nl_key_del(struct pc5nl *nl, uint32_t ifindex, uint8_t pgk_id,
		  uint8_t reason)
{
	char buf[REQ_SIZE] __attribute__((aligned(8)));
	struct nlmsghdr *nlh;
	struct nlattr *key;
	int err;

	err = pc5_msg(nl, buf, 0, PC5SEC_CMD_KEY_DEL, ifindex, &nlh);
	if (err)
		return err;
	key = mnl_attr_nest_start(nlh, PC5SEC_A_KEY);
	mnl_attr_put_u8(nlh, PC5SEC_A_KEY_PGK_ID, pgk_id);
	mnl_attr_nest_end(nlh, key);
	if (reason)
		mnl_attr_put_u8(nlh, PC5SEC_A_REASON, reason);
	return req_run(nl, nl->genl, nlh, 0, NULL, NULL);
}

int pc5nl_key_flush(struct pc5nl *nl, uint32_t ifindex)
{
	char buf[REQ_SIZE] __attribute__((aligned(8)));
	struct nlmsghdr *nlh;
	int err;

	err = pc5_msg(nl, buf, 0, PC5SEC_CMD_KEY_FLUSH, ifindex, &nlh);
	if (err)
		return err;
	return req_run(nl, nl->genl, nlh, 0, NULL, NULL);
}

/* PC5SEC_A_KEY, as KEY_GET and the events give it */
static void key_from_attrs(const struct nlattr *nest, struct pc5nl_key *k)
{
	const struct nlattr *tb[PC5SEC_A_KEY_MAX + 1];

	parse_nested(nest, tb, PC5SEC_A_KEY_MAX);
	memset(k, 0, sizeof(*k));
	get_u8(tb[PC5SEC_A_KEY_PGK_ID], &k->pgk_id);
	get_u8(tb[PC5SEC_A_KEY_PGK_INDEX], &k->pgk_index);
	if (get_u64(tb[PC5SEC_A_KEY_NOT_BEFORE], &k->not_before))
		k->mask |= PC5NL_KEY_NOT_BEFORE;
	if (get_u64(tb[PC5SEC_A_KEY_NOT_AFTER], &k->not_after))
		k->mask |= PC5NL_KEY_NOT_AFTER;
	get_u8(tb[PC5SEC_A_KEY_STATE], &k->state);
	get_u32(tb[PC5SEC_A_KEY_TX_PTK_ID], &k->tx_ptk_id);
	get_u32(tb[PC5SEC_A_KEY_PTK_LIMIT], &k->ptk_limit);
	get_u64(tb[PC5SEC_A_KEY_TX_PACKETS], &k->tx_packets);
	get_u64(tb[PC5SEC_A_KEY_RX_PACKETS], &k->rx_packets);
}

/*
 * A dump of one link's items (KEY_GET, SENDER_GET): every reply that names
 * the link and carries @attr becomes one element of @size octets, filled
 * by @fill.
 */
struct item_list {
	uint32_t ifindex;
	int attr;
	size_t size;
	void (*fill)(const struct nlattr *nest, void *item);
	char *items;
	size_t n, cap;
};

static int item_list_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[PC5SEC_A_MAX + 1];
	struct item_list *l = data;
	uint32_t ifindex;
	char *items;

	parse_attrs(nlh, sizeof(struct genlmsghdr), tb, PC5SEC_A_MAX);
	/* A reply must say whose item it is, and it must be ours. */
	if (!get_u32(tb[PC5SEC_A_IFINDEX], &ifindex) || ifindex != l->ifindex ||
	    !tb[l->attr])
		return 0;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 8;
		items = reallocarray(l->items, l->cap, l->size);
		if (!items)
			return -ENOMEM;
		l->items = items;
	}
	l->fill(tb[l->attr], l->items + l->n++ * l->size);
	return 0;
}

static void item_list_reset(void *data)
{
	((struct item_list *)data)->n = 0;
}

static int item_list(struct pc5nl *nl, uint8_t cmd, struct item_list *l,
		     void **items, size_t *n)
{
	char buf[REQ_SIZE] __attribute__((aligned(8)));
	struct nlmsghdr *nlh;
	int err;

	err = pc5_msg(nl, buf, NLM_F_DUMP, cmd, l->ifindex, &nlh);
	if (!err)
		err = dump_run(nl, nl->genl, nlh, item_list_cb, l,
			       item_list_reset);
	if (err) {
		free(l->items);
		return err;
	}
	*items = l->items;
	*n = l->n;
	return 0;
}

static void key_item(const struct nlattr *nest, void *item)
{
	key_from_attrs(nest, item);
}

int pc5nl_key_list(struct pc5nl *nl, uint32_t ifindex,
		   struct pc5nl_key **keys, size_t *n)
{
	struct item_list l = {
		.ifindex = ifindex, .attr = PC5SEC_A_KEY,
		.size = sizeof(**keys), .fill = key_item,
	};

	return item_list(nl, PC5SEC_CMD_KEY_GET, &l, (void **)keys, n);
}

/* PC5SEC_A_SENDER_INFO, as SENDER_GET gives it */
static void sender_item(const struct nlattr *nest, void *item)
{
	const struct nlattr *si[PC5SEC_A_SI_MAX + 1];
	struct pc5nl_sender *s = item;

	parse_nested(nest, si, PC5SEC_A_SI_MAX);
	memset(s, 0, sizeof(*s));
	get_u32(si[PC5SEC_A_SI_ID], &s->id);
	get_u8(si[PC5SEC_A_SI_PGK_ID], &s->pgk_id);
	get_u32(si[PC5SEC_A_SI_COUNT], &s->count);
	get_u64(si[PC5SEC_A_SI_RX_PACKETS], &s->rx_packets);
	get_u32(si[PC5SEC_A_SI_IDLE_MS], &s->idle_ms);
}

int pc5nl_sender_list(struct pc5nl *nl, uint32_t ifindex,
		      struct pc5nl_sender **senders, size_t *n)
{
	struct item_list l = {
		.ifindex = ifindex, .attr = PC5SEC_A_SENDER_INFO,
		.size = sizeof(**senders), .fill = sender_item,
	};

	return item_list(nl, PC5SEC_CMD_SENDER_GET, &l, (void **)senders, n);
}

int pc5nl_sender_reset(struct pc5nl *nl, uint32_t ifindex, uint32_t sender)
{
	char buf[REQ_SIZE] __attribute__((aligned(8)));
	struct nlmsghdr *nlh;
	int err;

	err = pc5_msg(nl, buf, 0, PC5SEC_CMD_SENDER_RESET, ifindex, &nlh);
	if (err)
		return err;
	mnl_attr_put_u32(nlh, PC5SEC_A_SENDER, sender);
	return req_run(nl, nl->genl, nlh, 0, NULL, NULL);
}

/* --- rtnetlink --- */

static struct nlmsghdr *link_msg(void *buf, uint16_t type, uint16_t flags,
				 uint32_t ifindex)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi = msg_start(buf, type, flags, sizeof(*ifi), &nlh);

	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = (int)ifindex;
	return nlh;
}

/*
 * IFLA_LINKINFO { KIND "pc5sec", DATA { the settings in cfg->mask } }.
 * The kind is needed on change too: without it the kernel will not pass
 * IFLA_INFO_DATA to the link type's changelink.
 */
static void put_linkinfo(struct nlmsghdr *nlh, const struct pc5nl_settings *c)
{
	struct nlattr *info, *data;
	uint32_t m = c ? c->mask : 0;

	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, PC5SEC_KIND);
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	if (m & PC5NL_SET(IFLA_PC5SEC_GROUP))
		mnl_attr_put_u32(nlh, IFLA_PC5SEC_GROUP, c->group);
	if (m & PC5NL_SET(IFLA_PC5SEC_MEMBER))
		mnl_attr_put_u32(nlh, IFLA_PC5SEC_MEMBER, c->member);
	if (m & PC5NL_SET(IFLA_PC5SEC_CIPHER))
		mnl_attr_put_u8(nlh, IFLA_PC5SEC_CIPHER, c->cipher);
	if (m & PC5NL_SET(IFLA_PC5SEC_ETHERTYPE))
		mnl_attr_put_u16(nlh, IFLA_PC5SEC_ETHERTYPE, c->ethertype);
	if (m & PC5NL_SET(IFLA_PC5SEC_REPLAY_WINDOW))
		mnl_attr_put_u32(nlh, IFLA_PC5SEC_REPLAY_WINDOW,
				 c->replay_window);
	if (m & PC5NL_SET(IFLA_PC5SEC_EXPIRY_NOTICE))
		mnl_attr_put_u32(nlh, IFLA_PC5SEC_EXPIRY_NOTICE,
				 c->expiry_notice);
	if (m & PC5NL_SET(IFLA_PC5SEC_RX_SKEW))
		mnl_attr_put_u32(nlh, IFLA_PC5SEC_RX_SKEW, c->rx_skew);
	if (m & PC5NL_SET(IFLA_PC5SEC_MAX_SENDERS))
		mnl_attr_put_u32(nlh, IFLA_PC5SEC_MAX_SENDERS, c->max_senders);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
}

static int check_ifname(struct pc5nl *nl, const char *ifname)
{
	if (!*ifname || strlen(ifname) >= IF_NAMESIZE) {
		return fail(&nl->extack, -EINVAL,
			    "interface name must be 1 to %d characters",
			    IF_NAMESIZE - 1);
	}
	return 0;
}

int pc5nl_link_add(struct pc5nl *nl, const char *ifname, uint32_t lower,
		   const struct pc5nl_settings *cfg)
{
	char buf[REQ_SIZE] __attribute__((aligned(8)));
	struct nlmsghdr *nlh;
	int err;

	errmsg_clear(&nl->extack);
	err = check_ifname(nl, ifname);
	if (err)
		return err;
	nlh = link_msg(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, ifname);
	mnl_attr_put_u32(nlh, IFLA_LINK, lower);
	put_linkinfo(nlh, cfg);
	return req_run(nl, nl->rt, nlh, 0, NULL, NULL);
}

int pc5nl_link_change(struct pc5nl *nl, uint32_t ifindex,
		      const struct pc5nl_settings *cfg)
{
	char buf[REQ_SIZE] __attribute__((aligned(8)));
	struct nlmsghdr *nlh;

	nlh = link_msg(buf, RTM_NEWLINK, 0, ifindex);
	put_linkinfo(nlh, cfg);
	return req_run(nl, nl->rt, nlh, 0, NULL, NULL);
}

int pc5nl_link_del(struct pc5nl *nl, uint32_t ifindex)
{
	char buf[REQ_SIZE] __attribute__((aligned(8)));
	struct nlmsghdr *nlh;

	nlh = link_msg(buf, RTM_DELLINK, 0, ifindex);
	return req_run(nl, nl->rt, nlh, 0, NULL, NULL);
}

static void parse_settings(const struct nlattr *nest, struct pc5nl_settings *c)
{
	const struct nlattr *tb[IFLA_PC5SEC_MAX + 1];

	parse_nested(nest, tb, IFLA_PC5SEC_MAX);
	if (get_u32(tb[IFLA_PC5SEC_GROUP], &c->group))
		c->mask |= PC5NL_SET(IFLA_PC5SEC_GROUP);
	if (get_u32(tb[IFLA_PC5SEC_MEMBER], &c->member))
		c->mask |= PC5NL_SET(IFLA_PC5SEC_MEMBER);
	if (get_u8(tb[IFLA_PC5SEC_CIPHER], &c->cipher))
		c->mask |= PC5NL_SET(IFLA_PC5SEC_CIPHER);
	if (get_u16(tb[IFLA_PC5SEC_ETHERTYPE], &c->ethertype))
		c->mask |= PC5NL_SET(IFLA_PC5SEC_ETHERTYPE);
	if (get_u32(tb[IFLA_PC5SEC_REPLAY_WINDOW], &c->replay_window))
		c->mask |= PC5NL_SET(IFLA_PC5SEC_REPLAY_WINDOW);
	if (get_u32(tb[IFLA_PC5SEC_EXPIRY_NOTICE], &c->expiry_notice))
		c->mask |= PC5NL_SET(IFLA_PC5SEC_EXPIRY_NOTICE);
	if (get_u32(tb[IFLA_PC5SEC_RX_SKEW], &c->rx_skew))
		c->mask |= PC5NL_SET(IFLA_PC5SEC_RX_SKEW);
	if (get_u32(tb[IFLA_PC5SEC_MAX_SENDERS], &c->max_senders))
		c->mask |= PC5NL_SET(IFLA_PC5SEC_MAX_SENDERS);
}

static void parse_xstats(const struct nlattr *nest, struct pc5nl_link *l)
{
	const struct nlattr *tb[PC5SEC_STATS_MAX + 1];
	unsigned int i;

	if (!nest)
		return;
	l->has_stats = true;
	parse_nested(nest, tb, PC5SEC_STATS_MAX);
	for (i = PC5SEC_STATS_UNSPEC + 1; i <= PC5SEC_STATS_MAX; i++)
		if (i != PC5SEC_STATS_PAD)
			get_u64(tb[i], &l->stats[i]);
}

/* 1: @nlh is a pc5sec link, now in @l; 0: some other link. */
static int parse_link(const struct nlmsghdr *nlh, struct pc5nl_link *l)
{
	const struct nlattr *tb[IFLA_MAX + 1];
	const struct nlattr *info[IFLA_INFO_MAX + 1];
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	const char *s;

	if (nlh->nlmsg_type != RTM_NEWLINK ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifi))
		return 0;
	parse_attrs(nlh, sizeof(*ifi), tb, IFLA_MAX);
	parse_nested(tb[IFLA_LINKINFO], info, IFLA_INFO_MAX);
	s = get_str(info[IFLA_INFO_KIND]);
	if (!s || strcmp(s, PC5SEC_KIND))
		return 0;

	memset(l, 0, sizeof(*l));
	l->ifindex = (uint32_t)ifi->ifi_index;
	s = get_str(tb[IFLA_IFNAME]);
	snprintf(l->ifname, sizeof(l->ifname), "%s", s ? s : "");
	get_u32(tb[IFLA_LINK], &l->lower);
	if (get_u32(tb[IFLA_LINK_NETNSID], (uint32_t *)&l->netnsid))
		l->lower_netnsid = true;
	parse_settings(info[IFLA_INFO_DATA], &l->cfg);
	parse_xstats(info[IFLA_INFO_XSTATS], l);
	return 1;
}

struct link_list {
	struct pc5nl_link *links;
	size_t n, cap;
};

static int link_list_cb(const struct nlmsghdr *nlh, void *data)
{
	struct link_list *ll = data;
	struct pc5nl_link *links;

	if (ll->n == ll->cap) {
		ll->cap = ll->cap ? 2 * ll->cap : 8;
		links = reallocarray(ll->links, ll->cap, sizeof(*links));
		if (!links)
			return -ENOMEM;
		ll->links = links;
	}
	ll->n += parse_link(nlh, &ll->links[ll->n]);
	return 0;
}

static void link_list_reset(void *data)
{
	((struct link_list *)data)->n = 0;
}

int pc5nl_link_list(struct pc5nl *nl, struct pc5nl_link **links, size_t *n)
{
	char buf[REQ_SIZE] __attribute__((aligned(8)));
	struct link_list ll = { 0 };
	struct nlmsghdr *nlh;
	int err;

	nlh = link_msg(buf, RTM_GETLINK, NLM_F_DUMP, 0);
	err = dump_run(nl, nl->rt, nlh, link_list_cb, &ll, link_list_reset);
	if (err) {
		free(ll.links);
		return err;
	}
	*links = ll.links;
	*n = ll.n;
	return 0;
}

struct link_get {
	struct pc5nl_link *link;
	bool seen;			/* the kernel answered with a link */
	bool ours;			/* and it is a pc5sec link */
};

static int link_get_cb(const struct nlmsghdr *nlh, void *data)
{
	struct link_get *g = data;

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return 0;
	g->seen = true;
	g->ours = parse_link(nlh, g->link) == 1;
	return 0;
}

int pc5nl_link_get(struct pc5nl *nl, const char *ifname,
		   struct pc5nl_link *link)
{
	char buf[REQ_SIZE] __attribute__((aligned(8)));
	struct link_get g = { .link = link };
	struct nlmsghdr *nlh;
	int err;

	errmsg_clear(&nl->extack);
	err = check_ifname(nl, ifname);
	if (err)
		return err;
	nlh = link_msg(buf, RTM_GETLINK, 0, 0);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, ifname);
	err = req_run(nl, nl->rt, nlh, 0, link_get_cb, &g);
	if (err)
		return err;
	if (!g.seen)
		return -ENODEV;
	if (!g.ours) {
		return fail(&nl->extack, -EMEDIUMTYPE, "not a pc5sec link");
	}
	return 0;
}

/* --- addresses and link state (rtnetlink) --- */

int pc5nl_link_up(struct pc5nl *nl, uint32_t ifindex)
{
	char buf[REQ_SIZE] __attribute__((aligned(8)));
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;

	nlh = link_msg(buf, RTM_NEWLINK, 0, ifindex);
	ifi = mnl_nlmsg_get_payload(nlh);
	/* only IFF_UP changes: the other flags stay as they are */
	ifi->ifi_change = IFF_UP;
	ifi->ifi_flags = IFF_UP;
	return req_run(nl, nl->rt, nlh, 0, NULL, NULL);
}

static struct nlmsghdr *addr_msg(void *buf, uint16_t type, uint16_t flags,
				 uint32_t ifindex, uint8_t prefixlen)
{
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa = msg_start(buf, type, flags, sizeof(*ifa), &nlh);

	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = prefixlen;
	ifa->ifa_index = ifindex;
	return nlh;
}

/* What the link's IPv4 addresses say about the one to set. */
struct addr4_scan {
	uint32_t ifindex;
	const char *label;
	uint32_t addr;
	uint8_t prefixlen;
	bool have;			/* the link has it already */
	bool old;			/* else this one is to be replaced */
	bool old_same_addr;
	uint32_t old_addr;
	uint8_t old_prefixlen;
};

/* Forgets what a scan found (the fields after the ones asked for) */
static void addr4_scan_reset(void *data)
{
	struct addr4_scan *sc = data;

	sc->have = false;
	sc->old = false;
	sc->old_same_addr = false;
	sc->old_addr = 0;
	sc->old_prefixlen = 0;
}

static int addr4_scan_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFA_MAX + 1];
	struct addr4_scan *sc = data;
	const char *label;
	uint32_t local;

	if (nlh->nlmsg_type != RTM_NEWADDR ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifa) ||
	    ifa->ifa_family != AF_INET || ifa->ifa_index != sc->ifindex)
		return 0;
	parse_attrs(nlh, sizeof(*ifa), tb, IFA_MAX);
	if (!get_u32(tb[IFA_LOCAL], &local) && !get_u32(tb[IFA_ADDRESS], &local))
		return 0;
	if (local == sc->addr && ifa->ifa_prefixlen == sc->prefixlen)
		sc->have = true;
	label = get_str(tb[IFA_LABEL]);
	/* SIOCSIFADDR's choice: the same address, else the first one */
	if (!label || strcmp(label, sc->label) ||
	    (sc->old && (sc->old_same_addr || local != sc->addr)))
		return 0;
	sc->old = true;
	sc->old_same_addr = local == sc->addr;
	sc->old_addr = local;
	sc->old_prefixlen = ifa->ifa_prefixlen;
	return 0;
}

int pc5nl_addr4_set(struct pc5nl *nl, uint32_t ifindex, const char *ifname,
		    uint32_t addr, uint8_t prefixlen)
{
	char buf[REQ_SIZE] __attribute__((aligned(8)));
	struct addr4_scan sc = {
		.ifindex = ifindex, .label = ifname, .addr = addr,
		.prefixlen = prefixlen,
	};
	struct nlmsghdr *nlh;
	int err;

	if (prefixlen > 32)
		return fail(&nl->extack, -EINVAL, "prefix length %u", prefixlen);
	nlh = addr_msg(buf, RTM_GETADDR, NLM_F_DUMP, ifindex, 0);
	err = dump_run(nl, nl->rt, nlh, addr4_scan_cb, &sc, addr4_scan_reset);
	if (err || sc.have)
		return err;
	if (sc.old) {
		nlh = addr_msg(buf, RTM_DELADDR, 0, ifindex, sc.old_prefixlen);
		mnl_attr_put_u32(nlh, IFA_LOCAL, sc.old_addr);
		err = req_run(nl, nl->rt, nlh, 0, NULL, NULL);
		/* gone meanwhile is as good as deleted */
		if (err && err != -EADDRNOTAVAIL)
			return err;
	}
	/*
	 * No IFA_BROADCAST: a pc5sec link has no IFF_BROADCAST, so the
	 * ioctls this replaces set none either.
	 */
	nlh = addr_msg(buf, RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE, ifindex,
		       prefixlen);
	mnl_attr_put_u32(nlh, IFA_LOCAL, addr);
	mnl_attr_put_u32(nlh, IFA_ADDRESS, addr);
	return req_run(nl, nl->rt, nlh, 0, NULL, NULL);
}

/* --- events --- */

struct pc5nl_mon {
	struct mnl_socket *sk;
	uint16_t family;
	uint8_t *buf;			/* RECV_SIZE */
};

int pc5nl_mon_open(struct pc5nl_mon **monp)
{
	struct pc5nl_mon *mon;
	struct pc5nl *nl;
	uint32_t grp;
	int err;

	err = pc5nl_open(&nl);
	if (err)
		return err;
	err = pc5nl_genl_family(nl);
	if (!err && !nl->mcgrp)
		err = -EPROTONOSUPPORT;	/* a pc5sec without events */
	grp = nl->mcgrp;
	mon = calloc(1, sizeof(*mon));
	if (!err && !mon)
		err = -ENOMEM;
	if (err)
		goto out;
	mon->family = nl->family;
	mon->buf = malloc(RECV_SIZE);
	mon->sk = sock_open(NETLINK_GENERIC);
	if (!mon->buf || !mon->sk) {
		err = mon->sk ? -ENOMEM : -errno;
		goto out;
	}
	if (mnl_socket_setsockopt(mon->sk, NETLINK_ADD_MEMBERSHIP, &grp,
				  sizeof(grp)) < 0) {
		err = -errno;
		goto out;
	}
	/*
	 * nlctrl's notifications say when pc5sec goes and comes back: the
	 * kernel gives its one group the family's own ID, GENL_ID_CTRL.
	 */
	grp = GENL_ID_CTRL;
	if (mnl_socket_setsockopt(mon->sk, NETLINK_ADD_MEMBERSHIP, &grp,
				  sizeof(grp)) < 0) {
		err = -errno;
		goto out;
	}
	*monp = mon;
	mon = NULL;
out:
	pc5nl_mon_close(mon);
	pc5nl_close(nl);
	return err;
}

void pc5nl_mon_close(struct pc5nl_mon *mon)
{
	if (!mon)
		return;
	sock_close(mon->sk);
	free(mon->buf);
	free(mon);
}

int pc5nl_mon_fd(const struct pc5nl_mon *mon)
{
	return mnl_socket_get_fd(mon->sk);
}

struct mon_ctx {
	struct pc5nl_mon *mon;
	pc5nl_event_cb cb;
	void *arg;
	int n;
};

/*
 * nlctrl's NEWFAMILY/DELFAMILY of pc5sec: the monitor follows the family
 * (its new ID, its new events group) and reports PC5NL_EVT_LOADED or
 * PC5NL_EVT_UNLOADED. Other families' notifications are not events.
 */
static void mon_ctrl(struct mon_ctx *ctx, const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	struct pc5nl_event ev = { 0 };
	struct pc5nl nl = { 0 };
	const char *name;

	if (g->cmd != CTRL_CMD_NEWFAMILY && g->cmd != CTRL_CMD_DELFAMILY)
		return;
	parse_attrs(nlh, sizeof(*g), tb, CTRL_ATTR_MAX);
	name = get_str(tb[CTRL_ATTR_FAMILY_NAME]);
	if (!name || strcmp(name, PC5SEC_GENL_NAME))
		return;
	if (g->cmd == CTRL_CMD_DELFAMILY) {
		ctx->mon->family = 0;
		ev.cmd = PC5NL_EVT_UNLOADED;
	} else {
		/* the same parser as a GETFAMILY reply: ID and events group */
		family_cb(nlh, &nl);
		if (nl.mcgrp)
			mnl_socket_setsockopt(ctx->mon->sk, NETLINK_ADD_MEMBERSHIP,
					      &nl.mcgrp, sizeof(nl.mcgrp));
		ctx->mon->family = nl.family;
		ev.cmd = PC5NL_EVT_LOADED;
		ev.family = nl.family;
	}
	ctx->cb(&ev, ctx->arg);
	ctx->n++;
}

static int mon_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[PC5SEC_A_MAX + 1];
	struct mon_ctx *ctx = data;
	const struct genlmsghdr *g;
	struct pc5nl_event ev;

	if (nlh->nlmsg_type == GENL_ID_CTRL &&
	    mnl_nlmsg_get_payload_len(nlh) >= sizeof(*g)) {
		mon_ctrl(ctx, nlh);
		return MNL_CB_OK;
	}
	if (!ctx->mon->family || nlh->nlmsg_type != ctx->mon->family ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*g))
		return MNL_CB_OK;
	g = mnl_nlmsg_get_payload(nlh);
	if (!pc5nl_event_name(g->cmd))
		return MNL_CB_OK;	/* an event this library predates */
	memset(&ev, 0, sizeof(ev));
	ev.cmd = g->cmd;
	parse_attrs(nlh, sizeof(*g), tb, PC5SEC_A_MAX);
	get_u32(tb[PC5SEC_A_IFINDEX], &ev.ifindex);
	if (tb[PC5SEC_A_KEY]) {
		ev.has_key = true;
		key_from_attrs(tb[PC5SEC_A_KEY], &ev.key);
	}
	get_u8(tb[PC5SEC_A_REASON], &ev.reason);
	get_u8(tb[PC5SEC_A_PGK_INDEX], &ev.pgk_index);
	get_u32(tb[PC5SEC_A_SENDER], &ev.sender);
	ctx->cb(&ev, ctx->arg);
	ctx->n++;
	return MNL_CB_OK;
}

int pc5nl_mon_read(struct pc5nl_mon *mon, bool nonblock, pc5nl_event_cb cb,
		   void *arg)
{
	struct mon_ctx ctx = { .mon = mon, .cb = cb, .arg = arg };
	ssize_t len;

	len = recv(mnl_socket_get_fd(mon->sk), mon->buf, RECV_SIZE,
		   nonblock ? MSG_DONTWAIT : 0);
	if (len < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	if (mnl_cb_run(mon->buf, len, 0, 0, mon_msg_cb, &ctx) < 0)
		return -errno;
	return ctx.n;
}

void pc5nl_family_reset(struct pc5nl *nl)
{
	nl->family = 0;
	nl->mcgrp = 0;
}

int pc5nl_link_watch_open(void)
{
	/* bound: the kernel sends nothing to port ID 0, its own */
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = RTMGRP_LINK };
	int fd;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

int pc5nl_link_watch_drain(int fd)
{
	/* only the message types are read: links' names and states are not */
	char buf[8192] __attribute__((aligned(8)));
	int changed = 0;

	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
		int len = (int)n;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return changed;
		if (n < 0 && errno == ENOBUFS) {
			changed = 1;
			continue;
		}
		if (n < 0)
			return -errno;
		for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len))
			if (nlh->nlmsg_type == RTM_NEWLINK || nlh->nlmsg_type == RTM_DELLINK)
				changed = 1;
	}
}

const char *pc5nl_event_name(uint8_t cmd)
{
	switch (cmd) {
	case PC5SEC_CMD_EVT_KEY_ADDED:
		return "key-added";
	case PC5SEC_CMD_EVT_KEY_REMOVED:
		return "key-removed";
	case PC5SEC_CMD_EVT_KEY_ACTIVE:
		return "key-active";
	case PC5SEC_CMD_EVT_KEY_EXPIRING:
		return "key-expiring";
	case PC5SEC_CMD_EVT_KEY_EXPIRED:
		return "key-expired";
	case PC5SEC_CMD_EVT_KEY_EXHAUSTED:
		return "key-exhausted";
	case PC5SEC_CMD_EVT_UNKNOWN_PGK:
		return "unknown-pgk";
	case PC5SEC_CMD_EVT_KEY_LIMIT:
		return "key-limit";
	case PC5SEC_CMD_EVT_MEMBER_CONFLICT:
		return "member-conflict";
	case PC5NL_EVT_UNLOADED:
		return "module-unloaded";
	case PC5NL_EVT_LOADED:
		return "module-loaded";
	}
	return NULL;
}

const char *pc5nl_reason_name(uint8_t reason)
{
	switch (reason) {
	case PC5SEC_REMOVED_DELETED:
		return "deleted";
	case PC5SEC_REMOVED_FLUSHED:
		return "flushed";
	case PC5SEC_REMOVED_EXPIRED:
		return "expired";
	case PC5SEC_REMOVED_LINK_DELETED:
		return "link-deleted";
	case PC5SEC_REMOVED_REVOKED:
		return "revoked";
	}
	return NULL;
}
