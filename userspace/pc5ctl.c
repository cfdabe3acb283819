// SPDX-License-Identifier: GPL-2.0
/*
 * pc5ctl: configure pc5sec links and their ProSe Group Keys.
 *
 * Exit status: 0 success, 1 the request failed (the kernel's extack text
 * or strerror() says why), 2 the command line is wrong.
 *
 * Key bytes are only ever read from a file or stdin (never argv, which
 * every user can read in /proc), kept in one stack buffer that is wiped
 * on every path out of cmd_key_add(), and never printed.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/pc5nl.h"
#include "lib/util.h"
#include "parse.h"

#define EXIT_USAGE	2

static const char *const usage_lines[] = {
	"[-j] show [NAME]",
	"[-j] show NAME senders",
	"[-j] monitor [NAME]",
	"[-j] link show [NAME]",
	"[-j] key show NAME",
	"link add NAME link LOWER group GID member MID [cipher SUITE] [ethertype N] [replay-window N] [expiry-notice SECS] [rx-skew SECS] [max-senders N]",
	"link set NAME [group GID] [member MID] [cipher SUITE] [replay-window N] [expiry-notice SECS] [rx-skew SECS] [max-senders N]",
	"link del NAME",
	"key add NAME pgk-id ID {key-file PATH|- | keyring DESC} ptk-start N [not-before TIME] [not-after TIME] [ptk-limit N]",
	"key set NAME pgk-id ID ptk-limit N",
	"key del NAME pgk-id ID [reason deleted|revoked]",
	"key flush NAME",
	"sender reset NAME member ID",
	"help",
};

static bool json;

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage:\n");
	for (i = 0; i < ARRAY_SIZE(usage_lines); i++)
		fprintf(f, "  pc5ctl %s\n", usage_lines[i]);
	fprintf(f, "SUITE: ");
	cipher_names(f, " | ");
	fprintf(f, "\nTIME: UTC seconds since the epoch | YYYY-MM-DDTHH:MM:SSZ | +SECONDS\n"
		   "Options: -j|--json  -n|--netns NETNS  -s|-d (accepted: show gives all)  -V|--version  -h|--help\n"
		   "Commands and their words may be shortened to a unique prefix (l a = link add).\n"
		   "See pc5ctl(8).\n");
}

static void usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

static void usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "pc5ctl: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	usage(stderr);
	exit(EXIT_USAGE);
}

/* Prints "pc5ctl: WHAT: reason" and returns the exit status 1. */
static int report(struct pc5nl *nl, const char *what, int err)
{
	fprintf(stderr, "pc5ctl: %s: %s\n", what, pc5nl_strerror(nl, err));
	return 1;
}

/* --- command line arguments --- */

/* A keyword of a command and the value that followed it, if given. */
struct opt {
	const char *name;
	const char *val;
};

/* Fills @opts from "keyword value" pairs; anything else is a usage error. */
static void parse_opts(const char *cmd, int argc, char **argv,
		       struct opt *opts, size_t n)
{
	size_t i;

	for (; argc > 0; argc -= 2, argv += 2) {
		for (i = 0; i < n; i++)
			if (!strcmp(argv[0], opts[i].name))
				break;
		if (i == n)
			usage_error("%s: unknown argument \"%s\"", cmd, argv[0]);
		if (argc < 2)
			usage_error("%s: %s needs a value", cmd, argv[0]);
		if (opts[i].val)
			usage_error("%s: %s given twice", cmd, argv[0]);
		opts[i].val = argv[1];
	}
}

static uint32_t range_arg(const char *what, const char *s, uint32_t min,
			  uint32_t max)
{
	uint32_t v;
	int err;

	err = parse_u32_range(s, min, max, &v);
	if (err == -ERANGE)
		usage_error("%s \"%s\": out of range (%u to %u, 0x%x)",
			    what, s, min, max, max);
	if (err)
		usage_error("%s \"%s\": not a number (decimal or 0x-hex)",
			    what, s);
	return v;
}

static uint32_t num_arg(const char *what, const char *s, uint32_t max)
{
	return range_arg(what, s, 0, max);
}

/* PTK limit: 1 to 65536; 0 would mean none, which is given by omitting it */
static uint32_t ptk_limit_arg(const char *s)
{
	return range_arg("ptk-limit", s, PTK_LIMIT_MIN, PTK_LIMIT_MAX);
}

static uint8_t cipher_arg(const char *s)
{
	uint8_t c;

	if (parse_cipher(s, &c)) {
		fprintf(stderr, "pc5ctl: unknown cipher suite \"%s\" (", s);
		cipher_names(stderr, ", ");
		fprintf(stderr, ")\n");
		usage(stderr);
		exit(EXIT_USAGE);
	}
	return c;
}

static uint64_t time_arg(const char *what, const char *s)
{
	struct errmsg why = { "" };
	uint64_t t;
	int err;

	err = parse_time(s, time(NULL), &t, &why);
	if (err)
		usage_error("%s \"%s\": %s", what, s, err_str(&why, err));
	return t;
}

static const char *name_arg(const char *cmd, int argc, char **argv)
{
	if (argc < 1)
		usage_error("%s: NAME missing", cmd);
	if (!*argv[0] || strlen(argv[0]) >= IF_NAMESIZE)
		usage_error("%s: \"%s\" is not an interface name (1 to %d characters)",
			    cmd, argv[0], IF_NAMESIZE - 1);
	return argv[0];
}

/* Settings shared by "link add" and "link set"; the rest is theirs. */
static void settings_from_opts(struct opt *o, struct pc5nl_settings *c)
{
	for (; o->name; o++) {
		if (!o->val)
			continue;
		if (!strcmp(o->name, "group")) {
			c->group = num_arg("group", o->val, PC5SEC_ID_MAX);
			c->mask |= PC5NL_SET(IFLA_PC5SEC_GROUP);
		} else if (!strcmp(o->name, "member")) {
			c->member = num_arg("member", o->val, PC5SEC_ID_MAX);
			c->mask |= PC5NL_SET(IFLA_PC5SEC_MEMBER);
		} else if (!strcmp(o->name, "cipher")) {
			c->cipher = cipher_arg(o->val);
			c->mask |= PC5NL_SET(IFLA_PC5SEC_CIPHER);
		} else if (!strcmp(o->name, "ethertype")) {
			c->ethertype = num_arg("ethertype", o->val, 0xffff);
			c->mask |= PC5NL_SET(IFLA_PC5SEC_ETHERTYPE);
		} else if (!strcmp(o->name, "replay-window")) {
			c->replay_window = num_arg("replay-window", o->val,
						   UINT32_MAX);
			c->mask |= PC5NL_SET(IFLA_PC5SEC_REPLAY_WINDOW);
		} else if (!strcmp(o->name, "expiry-notice")) {
			c->expiry_notice = num_arg("expiry-notice", o->val,
						   UINT32_MAX);
			c->mask |= PC5NL_SET(IFLA_PC5SEC_EXPIRY_NOTICE);
		} else if (!strcmp(o->name, "rx-skew")) {
			c->rx_skew = num_arg("rx-skew", o->val, UINT32_MAX);
			c->mask |= PC5NL_SET(IFLA_PC5SEC_RX_SKEW);
		} else if (!strcmp(o->name, "max-senders")) {
			c->max_senders = num_arg("max-senders", o->val,
						 UINT32_MAX);
			c->mask |= PC5NL_SET(IFLA_PC5SEC_MAX_SENDERS);
		}
	}
}

/* --- netlink helpers --- */

/*
 * The handle is opened on first use, after the command line has been
 * checked, and kept here so that main() closes it on every path.
 */
static struct pc5nl *nl_handle;

static struct pc5nl *nl_get(const char *what)
{
	int err;

	if (!nl_handle) {
		err = pc5nl_open(&nl_handle);
		if (err) {
			report(NULL, what, err);
			return NULL;
		}
	}
	return nl_handle;
}

/*
 * Looks NAME up and insists on a pc5sec link, so that a typo can never
 * delete or reconfigure some other interface.
 */
static struct pc5nl *get_link(const char *what, const char *name,
			       struct pc5nl_link *link)
{
	struct pc5nl *nl = nl_get(what);
	int err;

	if (!nl)
		return NULL;
	err = pc5nl_link_get(nl, name, link);
	if (err) {
		report(nl, what, err);
		return NULL;
	}
	return nl;
}

/* --- show --- */

struct link_keys {
	struct pc5nl_link link;
	struct pc5nl_key *keys;
	size_t nkeys;
	bool keys_denied;	/* reading keys needs CAP_NET_ADMIN */
};

static bool has(const struct pc5nl_link *l, int attr)
{
	return l->cfg.mask & PC5NL_SET(attr);
}

/* The lower device's name, or NULL when it is not in our netns. */
static const char *lower_name(const struct pc5nl_link *l, char *buf)
{
	if (l->lower_netnsid || !l->lower)
		return NULL;
	return if_indextoname(l->lower, buf);
}

static void json_key(const struct pc5nl_key *k)
{
	const char *state = key_state_name(k->state);

	printf("{\"pgk_id\":%u,\"pgk_index\":%u,", k->pgk_id, k->pgk_index);
	if (k->mask & PC5NL_KEY_NOT_BEFORE)
		printf("\"not_before\":%llu,",
		       (unsigned long long)k->not_before);
	else
		printf("\"not_before\":null,");
	if (k->mask & PC5NL_KEY_NOT_AFTER)
		printf("\"not_after\":%llu,", (unsigned long long)k->not_after);
	else
		printf("\"not_after\":null,");
	printf("\"state\":");
	json_string(stdout, state ? state : "unknown");
	printf(",\"tx_ptk_id\":%u", k->tx_ptk_id);
	if (k->ptk_limit)
		printf(",\"ptk_limit\":%u", k->ptk_limit);
	printf(",\"tx_packets\":%llu,\"rx_packets\":%llu}",
	       (unsigned long long)k->tx_packets,
	       (unsigned long long)k->rx_packets);
}

static void json_cipher(const struct pc5nl_link *l)
{
	char hex[8];
	const char *name;

	if (!has(l, IFLA_PC5SEC_CIPHER)) {
		printf("null");
		return;
	}
	name = cipher_name(l->cfg.cipher);
	if (!name) {
		snprintf(hex, sizeof(hex), "0x%02x", l->cfg.cipher);
		name = hex;
	}
	json_string(stdout, name);
}

static void json_u32(const char *key, bool present, uint32_t v)
{
	if (present)
		printf(",\"%s\":%u", key, v);
	else
		printf(",\"%s\":null", key);
}

static void json_link(const struct link_keys *lk)
{
	const struct pc5nl_link *l = &lk->link;
	char lname[IF_NAMESIZE];
	const char *lower = lower_name(l, lname);
	size_t i;

	printf("{\"ifname\":");
	json_string(stdout, l->ifname);
	/*
	 * As ip -j link: "link" is the lower's name or null (it lives in
	 * another netns, or has gone), "link_index" always its ifindex, and
	 * "link_netnsid" is there when that index is another netns's.
	 */
	printf(",\"link\":");
	if (lower)
		json_string(stdout, lower);
	else
		printf("null");
	printf(",\"link_index\":%u", l->lower);
	if (l->lower_netnsid)
		printf(",\"link_netnsid\":%d", l->netnsid);
	json_u32("group", has(l, IFLA_PC5SEC_GROUP), l->cfg.group);
	json_u32("member", has(l, IFLA_PC5SEC_MEMBER), l->cfg.member);
	printf(",\"cipher\":");
	json_cipher(l);
	json_u32("ethertype", has(l, IFLA_PC5SEC_ETHERTYPE), l->cfg.ethertype);
	json_u32("replay_window", has(l, IFLA_PC5SEC_REPLAY_WINDOW),
		 l->cfg.replay_window);
	json_u32("expiry_notice", has(l, IFLA_PC5SEC_EXPIRY_NOTICE),
		 l->cfg.expiry_notice);
	json_u32("rx_skew", has(l, IFLA_PC5SEC_RX_SKEW), l->cfg.rx_skew);
	json_u32("max_senders", has(l, IFLA_PC5SEC_MAX_SENDERS),
		 l->cfg.max_senders);
	printf(",\"keys\":%s", lk->keys_denied ? "null" : "[");
	for (i = 0; !lk->keys_denied && i < lk->nkeys; i++) {
		if (i)
			putchar(',');
		json_key(&lk->keys[i]);
	}
	printf("%s,\"stats\":", lk->keys_denied ? "" : "]");
	if (!l->has_stats) {
		printf("null}");
		return;
	}
	for (i = PC5SEC_STATS_UNSPEC + 1; i <= PC5SEC_STATS_MAX; i++) {
		if (!stat_name(i))
			continue;
		printf("%s\"%s\":%llu", i == 1 ? "{" : ",", stat_name(i),
		       (unsigned long long)l->stats[i]);
	}
	printf("}}");
}

static void text_time(const char *label, bool present, uint64_t t)
{
	char buf[32];

	if (!present) {
		printf(" %s -", label);
		return;
	}
	format_time(t, buf, sizeof(buf));
	printf(" %s %s", label, buf);
}

/* " tx-ptk-id N", and " ptk-limit N" when the key has a limit */
static void text_ptk(const struct pc5nl_key *k)
{
	printf(" tx-ptk-id %u", k->tx_ptk_id);
	if (k->ptk_limit)
		printf(" ptk-limit %u", k->ptk_limit);
}

static void text_key(const struct pc5nl_key *k)
{
	const char *state = key_state_name(k->state);

	printf("  key pgk-id %u index %u state ", k->pgk_id, k->pgk_index);
	if (state)
		printf("%s", state);
	else
		printf("%u", k->state);
	text_time("not-before", k->mask & PC5NL_KEY_NOT_BEFORE, k->not_before);
	text_time("not-after", k->mask & PC5NL_KEY_NOT_AFTER, k->not_after);
	text_ptk(k);
	printf(" tx-packets %llu rx-packets %llu\n",
	       (unsigned long long)k->tx_packets,
	       (unsigned long long)k->rx_packets);
}

static void text_settings(const struct pc5nl_link *l)
{
	const char *name;

	if (has(l, IFLA_PC5SEC_GROUP))
		printf(" group 0x%06x", l->cfg.group);
	if (has(l, IFLA_PC5SEC_MEMBER))
		printf(" member 0x%06x", l->cfg.member);
	if (has(l, IFLA_PC5SEC_CIPHER)) {
		name = cipher_name(l->cfg.cipher);
		if (name)
			printf(" cipher %s", name);
		else
			printf(" cipher 0x%02x", l->cfg.cipher);
	}
	if (has(l, IFLA_PC5SEC_ETHERTYPE))
		printf(" ethertype 0x%04x", l->cfg.ethertype);
	if (has(l, IFLA_PC5SEC_REPLAY_WINDOW))
		printf(" replay-window %u", l->cfg.replay_window);
	if (has(l, IFLA_PC5SEC_EXPIRY_NOTICE))
		printf(" expiry-notice %u", l->cfg.expiry_notice);
	if (has(l, IFLA_PC5SEC_RX_SKEW))
		printf(" rx-skew %u", l->cfg.rx_skew);
	if (has(l, IFLA_PC5SEC_MAX_SENDERS))
		printf(" max-senders %u", l->cfg.max_senders);
}

static void text_link(const struct link_keys *lk)
{
	const struct pc5nl_link *l = &lk->link;
	const uint64_t *s = l->stats;
	char lname[IF_NAMESIZE];
	const char *lower = lower_name(l, lname);
	size_t i;

	printf("%s: link ", l->ifname);
	if (lower)
		printf("%s", lower);
	else if (l->lower_netnsid)
		printf("ifindex %u netnsid %d", l->lower, l->netnsid);
	else
		printf("ifindex %u", l->lower);
	text_settings(l);
	putchar('\n');
	if (lk->keys_denied)
		printf("  keys not shown: reading them needs CAP_NET_ADMIN\n");
	else if (!lk->nkeys)
		printf("  no keys\n");
	for (i = 0; i < lk->nkeys; i++)
		text_key(&lk->keys[i]);
	if (!l->has_stats) {
		printf("  counters unavailable\n");
		return;
	}
	printf("  tx: packets %llu bytes %llu nokey %llu ptk-exhausted %llu\n",
	       (unsigned long long)s[PC5SEC_STATS_TX_PACKETS],
	       (unsigned long long)s[PC5SEC_STATS_TX_BYTES],
	       (unsigned long long)s[PC5SEC_STATS_TX_NOKEY],
	       (unsigned long long)s[PC5SEC_STATS_TX_PTK_EXHAUSTED]);
	printf("  rx: packets %llu bytes %llu nokey %llu replay %llu malformed %llu auth-fail %llu\n",
	       (unsigned long long)s[PC5SEC_STATS_RX_PACKETS],
	       (unsigned long long)s[PC5SEC_STATS_RX_BYTES],
	       (unsigned long long)s[PC5SEC_STATS_RX_NOKEY],
	       (unsigned long long)s[PC5SEC_STATS_RX_REPLAY],
	       (unsigned long long)s[PC5SEC_STATS_RX_MALFORMED],
	       (unsigned long long)s[PC5SEC_STATS_RX_AUTH_FAIL]);
}

static void print_links(const struct link_keys *lks, size_t n)
{
	size_t i;

	if (json)
		putchar('[');
	for (i = 0; i < n; i++) {
		if (json) {
			if (i)
				putchar(',');
			json_link(&lks[i]);
		} else {
			if (i)
				putchar('\n');
			text_link(&lks[i]);
		}
	}
	if (json)
		printf("]\n");
}

/* Everything is fetched before anything is printed: no half output. */
static int show(const char *name, const char *what)
{
	struct pc5nl *nl = nl_get(what);
	struct pc5nl_link *links = NULL, one;
	struct link_keys *lks;
	size_t n = 0, nshown = 0, i;
	int err, ret = 0;

	if (!nl)
		return 1;
	err = pc5nl_genl_family(nl);
	if (err)
		return report(nl, "show", err);
	if (name) {
		err = pc5nl_link_get(nl, name, &one);
		links = &one;
		n = 1;
	} else {
		err = pc5nl_link_list(nl, &links, &n);
	}
	if (err)
		return report(nl, what, err);

	lks = calloc(n ? n : 1, sizeof(*lks));
	if (!lks) {
		ret = report(nl, what, -ENOMEM);
		goto out;
	}
	for (i = 0; i < n; i++) {
		lks[nshown].link = links[i];
		err = pc5nl_key_list(nl, links[i].ifindex, &lks[nshown].keys,
				     &lks[nshown].nkeys);
		/* deleted since the link dump: not an error of a listing */
		if (err == -ENODEV && !name)
			continue;
		/*
		 * Key metadata is for CAP_NET_ADMIN; the link and its
		 * counters are anyone's (ip -d link shows them too).
		 */
		if (err == -EPERM) {
			lks[nshown].keys_denied = true;
			err = 0;
		}
		if (err) {
			fprintf(stderr, "pc5ctl: %s: keys of %s: %s\n", what,
				links[i].ifname, pc5nl_strerror(nl, err));
			ret = 1;
			goto out;
		}
		nshown++;
	}
	print_links(lks, nshown);
	errno = 0;
	if (fflush(stdout) || ferror(stdout))
		ret = report(NULL, what, errno ? -errno : -EIO);
out:
	for (i = 0; lks && i < nshown; i++)
		free(lks[i].keys);
	free(lks);
	if (links != &one)
		free(links);
	return ret;
}

/* The receivers' states of one link: who the link hears, and how far. */
static int show_senders(const char *name)
{
	struct pc5nl_sender *s = NULL;
	struct pc5nl_link link;
	struct pc5nl *nl;
	char what[64];
	size_t i, n = 0;
	int err;

	snprintf(what, sizeof(what), "show %s senders", name);
	nl = get_link(what, name, &link);
	if (!nl)
		return 1;
	err = pc5nl_sender_list(nl, link.ifindex, &s, &n);
	if (err)
		return report(nl, what, err);
	if (json)
		putchar('[');
	else
		printf("%s: %zu receiver's state%s\n", name, n, n == 1 ? "" : "s");
	for (i = 0; i < n; i++) {
		if (json)
			printf("%s{\"member\":%u,\"pgk_id\":%u,\"count\":%u,\"rx_packets\":%llu,\"idle_ms\":%u}",
			       i ? "," : "", s[i].id, s[i].pgk_id, s[i].count,
			       (unsigned long long)s[i].rx_packets, s[i].idle_ms);
		else
			printf("  member 0x%06x pgk-id %u ptk %u sn %u rx-packets %llu idle %u ms\n",
			       s[i].id, s[i].pgk_id, s[i].count >> 16,
			       s[i].count & 0xffff,
			       (unsigned long long)s[i].rx_packets, s[i].idle_ms);
	}
	if (json)
		printf("]\n");
	free(s);
	return 0;
}

static int cmd_show(int argc, char **argv)
{
	char what[64];

	if (argc == 2 && !strcmp(argv[1], "senders")) {
		name_arg("show", argc, argv);
		return show_senders(argv[0]);
	}
	if (argc > 1)
		usage_error("show: unexpected argument \"%s\"", argv[1]);
	if (argc == 1) {
		name_arg("show", argc, argv);
		snprintf(what, sizeof(what), "show %s", argv[0]);
		return show(argv[0], what);
	}
	return show(NULL, "show");
}

/* --- link --- */

static int cmd_link_add(int argc, char **argv)
{
	struct opt o[] = {
		{ "link", NULL }, { "group", NULL }, { "member", NULL },
		{ "cipher", NULL }, { "ethertype", NULL },
		{ "replay-window", NULL }, { "expiry-notice", NULL },
		{ "rx-skew", NULL }, { "max-senders", NULL },
		{ NULL, NULL },
	};
	struct pc5nl_settings cfg = { 0 };
	const char *name = name_arg("link add", argc, argv);
	struct pc5nl *nl;
	char what[64];
	unsigned int lower;
	int err;

	parse_opts("link add", argc - 1, argv + 1, o, ARRAY_SIZE(o) - 1);
	if (!o[0].val)
		usage_error("link add: link LOWER is required");
	if (!o[1].val || !o[2].val)
		usage_error("link add: group GID and member MID are required");
	settings_from_opts(o, &cfg);

	snprintf(what, sizeof(what), "link add %s", name);
	lower = if_nametoindex(o[0].val);
	if (!lower) {
		fprintf(stderr, "pc5ctl: %s: lower device %s: %s\n", what,
			o[0].val, strerror(errno));
		return 1;
	}
	nl = nl_get(what);
	if (!nl)
		return 1;
	err = pc5nl_link_add(nl, name, lower, &cfg);
	return err ? report(nl, what, err) : 0;
}

static int cmd_link_set(int argc, char **argv)
{
	struct opt o[] = {
		{ "group", NULL }, { "member", NULL }, { "cipher", NULL },
		{ "replay-window", NULL }, { "expiry-notice", NULL },
		{ "rx-skew", NULL }, { "max-senders", NULL },
		{ NULL, NULL },
	};
	struct pc5nl_settings cfg = { 0 };
	const char *name = name_arg("link set", argc, argv);
	struct pc5nl_link link;
	struct pc5nl *nl;
	char what[64];
	int err;

	parse_opts("link set", argc - 1, argv + 1, o, ARRAY_SIZE(o) - 1);
	settings_from_opts(o, &cfg);
	snprintf(what, sizeof(what), "link set %s", name);
	nl = get_link(what, name, &link);
	if (!nl)
		return 1;
	err = pc5nl_link_change(nl, link.ifindex, &cfg);
	return err ? report(nl, what, err) : 0;
}

static int cmd_link_del(int argc, char **argv)
{
	const char *name = name_arg("link del", argc, argv);
	struct pc5nl_link link;
	struct pc5nl *nl;
	char what[64];
	int err;

	if (argc > 1)
		usage_error("link del: unexpected argument \"%s\"", argv[1]);
	snprintf(what, sizeof(what), "link del %s", name);
	nl = get_link(what, name, &link);
	if (!nl)
		return 1;
	err = pc5nl_link_del(nl, link.ifindex);
	return err ? report(nl, what, err) : 0;
}

/* --- key --- */

/* Reads the PGK from PATH or stdin ("-"); 1 after printing why not. */
static int read_key(const char *what, const char *path,
		    uint8_t key[PC5SEC_PGK_LEN])
{
	struct errmsg why = { "" };
	int fd = 0, err;

	if (strcmp(path, "-")) {
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
		if (fd < 0) {
			fprintf(stderr, "pc5ctl: %s: key file %s: %s\n", what,
				path, strerror(errno));
			return 1;
		}
	}
	err = read_key_fd(fd, key, &why);
	if (fd)
		close(fd);
	if (err) {
		fprintf(stderr, "pc5ctl: %s: key file %s: %s\n", what,
			strcmp(path, "-") ? path : "(stdin)", err_str(&why, err));
		return 1;
	}
	return 0;
}

static int cmd_key_add(int argc, char **argv)
{
	struct opt o[] = {
		{ "pgk-id", NULL }, { "key-file", NULL }, { "not-before", NULL },
		{ "not-after", NULL }, { "ptk-start", NULL }, { "keyring", NULL },
		{ "ptk-limit", NULL }, { NULL, NULL },
	};
	struct pc5nl_key_params p = { 0 };
	const char *name = name_arg("key add", argc, argv);
	uint8_t key[PC5SEC_PGK_LEN];
	struct pc5nl_link link;
	struct pc5nl *nl;
	char what[64];
	int err, ret;

	parse_opts("key add", argc - 1, argv + 1, o, ARRAY_SIZE(o) - 1);
	if (!o[0].val || !(o[1].val || o[5].val))
		usage_error("key add: pgk-id ID and key-file PATH|- (or keyring DESC) are required");
	if (o[1].val && o[5].val)
		usage_error("key add: key-file and keyring exclude each other");
	p.pgk_id = (uint8_t)num_arg("pgk-id", o[0].val, 0xff);
	if (o[2].val) {
		p.not_before = time_arg("not-before", o[2].val);
		p.mask |= PC5NL_KEY_NOT_BEFORE;
	}
	if (o[3].val) {
		p.not_after = time_arg("not-after", o[3].val);
		p.mask |= PC5NL_KEY_NOT_AFTER;
	}
	if (o[4].val) {
		p.ptk_start = (uint16_t)num_arg("ptk-start", o[4].val, 0xffff);
		p.mask |= PC5NL_KEY_PTK_START;
	}
	/* above ptk-start: the kernel checks, and says so */
	if (o[6].val)
		p.ptk_limit = ptk_limit_arg(o[6].val);
	/*
	 * No default: a default of 0 made the easy path the dangerous one,
	 * the same PGK installed again (after a reboot, from the same file
	 * or keyring) reusing every COUNT it had sent. pc5ctl keeps no state;
	 * the one installing says where this PGK's sending may start.
	 */
	if (!o[4].val)
		usage_error("key add: ptk-start N is required: installing a PGK again from a "
			    "PTK Identity it sent under reuses keystream; give one past every "
			    "PTK Identity used with this PGK (0 only for a PGK never used)");

	/* The link first: no point reading a key for a link that is not. */
	snprintf(what, sizeof(what), "key add %s", name);
	nl = get_link(what, name, &link);
	if (!nl)
		return 1;
	if (o[5].val) {
		/* the kernel reads the PGK from the keyring: no bytes here */
		err = pc5nl_key_add_keyring(nl, link.ifindex, &p, o[5].val);
		return err ? report(nl, what, err) : 0;
	}
	ret = read_key(what, o[1].val, key);
	if (!ret) {
		err = pc5nl_key_add(nl, link.ifindex, &p, key);
		ret = err ? report(nl, what, err) : 0;
	}
	explicit_bzero(key, sizeof(key));
	return ret;
}

static int cmd_key_set(int argc, char **argv)
{
	struct opt o[] = {
		{ "pgk-id", NULL }, { "ptk-limit", NULL }, { NULL, NULL },
	};
	const char *name = name_arg("key set", argc, argv);
	struct pc5nl_link link;
	struct pc5nl *nl;
	char what[64];
	uint32_t limit;
	uint8_t id;
	int err;

	parse_opts("key set", argc - 1, argv + 1, o, ARRAY_SIZE(o) - 1);
	if (!o[0].val || !o[1].val)
		usage_error("key set: pgk-id ID and ptk-limit N are required");
	id = (uint8_t)num_arg("pgk-id", o[0].val, 0xff);
	limit = ptk_limit_arg(o[1].val);
	snprintf(what, sizeof(what), "key set %s", name);
	nl = get_link(what, name, &link);
	if (!nl)
		return 1;
	err = pc5nl_key_set_limit(nl, link.ifindex, id, limit);
	return err ? report(nl, what, err) : 0;
}

static int cmd_key_del(int argc, char **argv)
{
	struct opt o[] = { { "pgk-id", NULL }, { "reason", NULL }, { NULL, NULL } };
	const char *name = name_arg("key del", argc, argv);
	struct pc5nl_link link;
	struct pc5nl *nl;
	uint8_t reason = 0;
	char what[64];
	uint8_t id;
	int err;

	parse_opts("key del", argc - 1, argv + 1, o, ARRAY_SIZE(o) - 1);
	if (!o[0].val)
		usage_error("key del: pgk-id ID is required");
	id = (uint8_t)num_arg("pgk-id", o[0].val, 0xff);
	/* what the key-removed event says: a key helper tells a revocation */
	if (o[1].val && !strcmp(o[1].val, "revoked"))
		reason = PC5SEC_REMOVED_REVOKED;
	else if (o[1].val && strcmp(o[1].val, "deleted"))
		usage_error("key del: reason \"%s\": want deleted or revoked", o[1].val);
	snprintf(what, sizeof(what), "key del %s", name);
	nl = get_link(what, name, &link);
	if (!nl)
		return 1;
	err = pc5nl_key_del(nl, link.ifindex, id, reason);
	return err ? report(nl, what, err) : 0;
}

static int cmd_key_flush(int argc, char **argv)
{
	const char *name = name_arg("key flush", argc, argv);
	struct pc5nl_link link;
	struct pc5nl *nl;
	char what[64];
	int err;

	if (argc > 1)
		usage_error("key flush: unexpected argument \"%s\"", argv[1]);
	snprintf(what, sizeof(what), "key flush %s", name);
	nl = get_link(what, name, &link);
	if (!nl)
		return 1;
	err = pc5nl_key_flush(nl, link.ifindex);
	return err ? report(nl, what, err) : 0;
}

static int cmd_sender_reset(int argc, char **argv)
{
	struct opt o[] = { { "member", NULL }, { NULL, NULL } };
	const char *name = name_arg("sender reset", argc, argv);
	struct pc5nl_link link;
	struct pc5nl *nl;
	char what[64];
	uint32_t member;
	int err;

	parse_opts("sender reset", argc - 1, argv + 1, o, ARRAY_SIZE(o) - 1);
	if (!o[0].val)
		usage_error("sender reset: member ID is required");
	member = num_arg("member", o[0].val, PC5SEC_ID_MAX);
	snprintf(what, sizeof(what), "sender reset %s", name);
	nl = get_link(what, name, &link);
	if (!nl)
		return 1;
	err = pc5nl_sender_reset(nl, link.ifindex, member);
	return err ? report(nl, what, err) : 0;
}

/* --- monitor --- */

struct mon_filter {
	uint32_t ifindex;		/* 0: every link */
};

static void text_event(const struct pc5nl_event *ev, const char *ifname)
{
	const char *reason = pc5nl_reason_name(ev->reason);

	printf("%s %s", pc5nl_event_name(ev->cmd), ifname);
	if (ev->cmd == PC5SEC_CMD_EVT_UNKNOWN_PGK) {
		printf(" pgk-index %u sender 0x%06x\n", ev->pgk_index,
		       ev->sender);
		return;
	}
	if (ev->cmd == PC5SEC_CMD_EVT_KEY_REMOVED) {
		if (reason)
			printf(" reason %s", reason);
		else
			printf(" reason %u", ev->reason);
	}
	if (ev->cmd == PC5SEC_CMD_EVT_MEMBER_CONFLICT)
		printf(" sender 0x%06x", ev->sender);
	if (ev->has_key) {
		printf(" pgk-id %u index %u", ev->key.pgk_id,
		       ev->key.pgk_index);
		text_time("not-before", ev->key.mask & PC5NL_KEY_NOT_BEFORE,
			  ev->key.not_before);
		text_time("not-after", ev->key.mask & PC5NL_KEY_NOT_AFTER,
			  ev->key.not_after);
		text_ptk(&ev->key);
	}
	putchar('\n');
}

static void json_event(const struct pc5nl_event *ev, const char *ifname)
{
	const char *reason = pc5nl_reason_name(ev->reason);

	printf("{\"event\":");
	json_string(stdout, pc5nl_event_name(ev->cmd));
	printf(",\"ifindex\":%u,\"ifname\":", ev->ifindex);
	json_string(stdout, ifname);
	if (ev->cmd == PC5SEC_CMD_EVT_KEY_REMOVED) {
		printf(",\"reason\":");
		if (reason)
			json_string(stdout, reason);
		else
			printf("%u", ev->reason);
	}
	if (ev->cmd == PC5SEC_CMD_EVT_UNKNOWN_PGK)
		printf(",\"pgk_index\":%u,\"sender\":%u", ev->pgk_index,
		       ev->sender);
	if (ev->cmd == PC5SEC_CMD_EVT_MEMBER_CONFLICT)
		printf(",\"sender\":%u", ev->sender);
	if (ev->has_key) {
		printf(",\"key\":");
		json_key(&ev->key);
	}
	printf("}\n");
}

static void print_event(const struct pc5nl_event *ev, void *arg)
{
	const struct mon_filter *f = arg;
	char buf[IF_NAMESIZE];
	const char *ifname;

	if (ev->cmd == PC5NL_EVT_UNLOADED || ev->cmd == PC5NL_EVT_LOADED) {
		/* every link's concern: a filtered monitor shows it too */
		if (json)
			printf("{\"event\":\"%s\",\"family\":%u}\n",
			       pc5nl_event_name(ev->cmd), ev->family);
		else if (ev->cmd == PC5NL_EVT_LOADED)
			printf("%s family %u\n", pc5nl_event_name(ev->cmd), ev->family);
		else
			printf("%s\n", pc5nl_event_name(ev->cmd));
		return;
	}
	if (f->ifindex && ev->ifindex != f->ifindex)
		return;
	ifname = if_indextoname(ev->ifindex, buf);
	if (!ifname) {
		/* a link already gone (e.g. "link-deleted") */
		snprintf(buf, sizeof(buf), "if%u", ev->ifindex);
		ifname = buf;
	}
	if (json)
		json_event(ev, ifname);
	else
		text_event(ev, ifname);
}

/*
 * Prints events as they come, one per line, until killed. A NAME limits
 * them to that link. If the kernel dropped events (the socket overflowed),
 * says so on stderr and goes on: what was lost can be read with "show".
 */
static int cmd_monitor(int argc, char **argv)
{
	struct mon_filter f = { 0 };
	struct pc5nl_mon *mon;
	struct pc5nl_link link;
	int err;

	if (argc > 2)
		usage_error("monitor: unexpected argument \"%s\"", argv[2]);
	if (argc == 2) {
		const char *name = name_arg("monitor", argc - 1, argv + 1);

		if (!get_link("monitor", name, &link))
			return 1;
		f.ifindex = link.ifindex;
	}
	err = pc5nl_mon_open(&mon);
	if (err) {
		fprintf(stderr, "pc5ctl: monitor: %s\n",
			err == -ENOENT ? "pc5sec module not loaded" :
			err == -EPROTONOSUPPORT ?
			"this pc5sec module has no events" : strerror(-err));
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (;;) {
		err = pc5nl_mon_read(mon, false, print_event, &f);
		if (err == -ENOBUFS) {
			fprintf(stderr, "pc5ctl: monitor: events were lost (receive buffer overrun)\n");
			continue;
		}
		if (err < 0 && err != -EINTR)
			break;
	}
	fprintf(stderr, "pc5ctl: monitor: %s\n", strerror(-err));
	pc5nl_mon_close(mon);
	return 1;
}

/* --- dispatch --- */

typedef int (*cmd_fn)(int argc, char **argv);

static const struct {
	const char *obj, *verb;
	cmd_fn fn;
} cmds[] = {
	{ "link", "add", cmd_link_add },
	{ "link", "set", cmd_link_set },
	{ "link", "del", cmd_link_del },
	{ "key", "add", cmd_key_add },
	{ "key", "set", cmd_key_set },
	{ "key", "del", cmd_key_del },
	{ "key", "flush", cmd_key_flush },
	{ "sender", "reset", cmd_sender_reset },
};

static int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	usage(stdout);
	return 0;
}

/*
 * The word of @words that @given names: the word itself or, as iproute2
 * takes "ip l s", a prefix of one word only. An ambiguous prefix is
 * refused, with the words it could be; NULL: none.
 */
static const char *complete(const char *given, const char *const *words,
			    size_t n)
{
	size_t i, len = strlen(given), hits = 0;
	const char *found = NULL;
	char list[128] = "";

	for (i = 0; i < n; i++)
		if (!strcmp(given, words[i]))
			return words[i];
	for (i = 0; len && i < n; i++) {
		if (strncmp(given, words[i], len))
			continue;
		found = words[i];
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
			 "%s%s", hits++ ? ", " : "", words[i]);
	}
	if (hits > 1)
		usage_error("\"%s\" is ambiguous: %s", given, list);
	return found;
}

/* Finds the command; argv is advanced past its words. */
static cmd_fn find_cmd(int *argc, char ***argv)
{
	static const char *const objs[] = {
		"show", "monitor", "link", "key", "sender", "help"
	};
	const char *verbs[ARRAY_SIZE(cmds) + 1], *obj, *verb;
	char **av = *argv;
	size_t i, n = 0;

	obj = complete(av[0], objs, ARRAY_SIZE(objs));
	if (!obj)
		usage_error("unknown command \"%s\"", av[0]);
	if (!strcmp(obj, "help"))
		return cmd_help;
	if (!strcmp(obj, "show")) {
		*argc -= 1;
		*argv += 1;
		return cmd_show;
	}
	if (!strcmp(obj, "monitor"))
		return cmd_monitor;	/* argv[0] stays: "monitor [NAME]" */
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		if (!strcmp(obj, cmds[i].obj))
			verbs[n++] = cmds[i].verb;
	if (*argc < 2)
		usage_error("%s: which command? (%s)", obj,
			    !strcmp(obj, "key") ? "add, set, del, flush, show" :
			    !strcmp(obj, "link") ? "add, set, del, show" : "reset");
	/* "link show [NAME]" and "key show NAME": show, as ip link show */
	if (strcmp(obj, "sender"))
		verbs[n++] = "show";
	verb = complete(av[1], verbs, n);
	if (!verb)
		usage_error("unknown command \"%s %s\"", obj, av[1]);
	*argc -= 2;
	*argv += 2;
	if (!strcmp(verb, "show")) {
		if (!strcmp(obj, "key") && *argc < 1)
			usage_error("key show: NAME missing");
		return cmd_show;
	}
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		if (!strcmp(obj, cmds[i].obj) && !strcmp(verb, cmds[i].verb))
			break;
	return cmds[i].fn;
}

/* -n NETNS: the rest runs in the named netns, as ip -n does. */
static void enter_netns(const char *name)
{
	char path[PATH_MAX];
	int fd;

	if (!*name || strchr(name, '/') || !strcmp(name, ".") ||
	    !strcmp(name, ".."))
		usage_error("-n: \"%s\" is not a netns name", name);
	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET)) {
		fprintf(stderr, "pc5ctl: netns \"%s\": %s (%s)\n", name,
			strerror(errno), path);
		exit(1);
	}
	close(fd);
}

int main(int argc, char **argv)
{
	cmd_fn fn;
	int ret;

	for (argc--, argv++; argc > 0 && argv[0][0] == '-'; argc--, argv++) {
		if (!strcmp(argv[0], "-j") || !strcmp(argv[0], "--json")) {
			json = true;
		} else if (!strcmp(argv[0], "-h") ||
			   !strcmp(argv[0], "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[0], "-s") || !strcmp(argv[0], "-d") ||
			   !strcmp(argv[0], "--stats") ||
			   !strcmp(argv[0], "--details")) {
			/* show always gives counters and every setting */
		} else if (!strcmp(argv[0], "-V") ||
			   !strcmp(argv[0], "--version")) {
			printf("pc5ctl %s\n", PC5SEC_VERSION);
			return 0;
		} else if (!strcmp(argv[0], "-n") ||
			   !strcmp(argv[0], "-netns") ||
			   !strcmp(argv[0], "--netns")) {
			if (argc < 2)
				usage_error("%s: which netns?", argv[0]);
			enter_netns(argv[1]);
			argc--;
			argv++;
		} else {
			usage_error("unknown option \"%s\"", argv[0]);
		}
	}
	if (argc < 1)
		usage_error("no command");
	fn = find_cmd(&argc, &argv);
	ret = fn(argc, argv);
	pc5nl_close(nl_handle);
	return ret;
}
