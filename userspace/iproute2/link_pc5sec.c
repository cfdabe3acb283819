// SPDX-License-Identifier: GPL-2.0
/*
 * link_pc5sec.so: pc5sec links for the stock `ip` of iproute2, which loads
 * it from its library directory (IP_LIB_DIR, else Debian's
 * /usr/lib/x86_64-linux-gnu/ip) when it meets "type pc5sec":
 *
 *   ip link add pc5 link eth0 type pc5sec group 0x42 member 1 cipher eea2
 *   ip link set pc5 type pc5sec replay-window 64
 *   ip -d [-j] link show pc5          (-s -d: pc5sec's own counters too)
 *   ip link help type pc5sec
 *
 * Keys are not a link setting: they stay with pc5ctl (genetlink).
 * The words and their JSON names are pc5ctl's (Documentation/man/pc5ctl.8).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <linux/pc5sec.h>

#include "iproute2.h"
#include "parse.h"

/* iproute2's link requests hold 1024 octets of attributes */
#define REQ_ROOM	1024

static void explain(FILE *f)
{
	fprintf(f,
		"Usage: ... pc5sec [ group GID ] [ member MID ] [ cipher SUITE ]\n"
		"                  [ ethertype N ] [ replay-window N ]\n"
		"                  [ expiry-notice SECS ] [ rx-skew SECS ]\n"
		"                  [ max-senders N ]\n"
		"\n"
		"GID, MID := 24-bit Group / Group Member Identity (0x000042, 66)\n"
		"SUITE := ");
	cipher_names(f, " | ");
	fprintf(f,
		"\n"
		"Keys: pc5ctl key add NAME pgk-id ID ... (see pc5ctl(8)).\n");
}

/* The value after a word, as a number up to @max, or ip's own error */
static __u32 number(const char *word, const char *val, __u32 max)
{
	uint32_t v;
	char msg[96];
	int err = parse_u32(val, max, &v);

	if (err == -ERANGE) {
		snprintf(msg, sizeof(msg), "\"%s\" must be at most %u (0x%x)",
			 word, max, max);
		invarg(msg, val);
	}
	if (err) {
		snprintf(msg, sizeof(msg),
			 "\"%s\" wants a number (decimal or 0x hex)", word);
		invarg(msg, val);
	}
	return v;
}

/* One word of the command line: its attribute and the largest value */
static const struct setting {
	const char *word;
	int attr;
	__u32 max;
} settings[] = {
	{ "group", IFLA_PC5SEC_GROUP, PC5SEC_ID_MAX },
	{ "member", IFLA_PC5SEC_MEMBER, PC5SEC_ID_MAX },
	{ "ethertype", IFLA_PC5SEC_ETHERTYPE, 0xffff },
	{ "replay-window", IFLA_PC5SEC_REPLAY_WINDOW, UINT32_MAX },
	{ "expiry-notice", IFLA_PC5SEC_EXPIRY_NOTICE, UINT32_MAX },
	{ "rx-skew", IFLA_PC5SEC_RX_SKEW, UINT32_MAX },
	{ "max-senders", IFLA_PC5SEC_MAX_SENDERS, UINT32_MAX },
};

static int pc5sec_parse_opt(struct link_util *lu, int argc, char **argv,
			    struct nlmsghdr *n)
{
	unsigned int seen = 0, i;
	uint8_t cipher;

	(void)lu;
	for (; argc > 0; argc--, argv++) {
		if (!strcmp(*argv, "help")) {
			explain(stdout);
			return -1;
		}
		if (!strcmp(*argv, "cipher")) {
			if (seen & 1u << IFLA_PC5SEC_CIPHER)
				duparg("cipher", *argv);
			seen |= 1u << IFLA_PC5SEC_CIPHER;
			argv++;
			if (--argc <= 0)
				incomplete_command();
			if (parse_cipher(*argv, &cipher)) {
				fprintf(stderr, "pc5sec: unknown cipher suite \"%s\" (",
					*argv);
				cipher_names(stderr, ", ");
				fprintf(stderr, ")\n");
				return -1;
			}
			addattr8(n, REQ_ROOM, IFLA_PC5SEC_CIPHER, cipher);
			continue;
		}
		for (i = 0; i < sizeof(settings) / sizeof(settings[0]); i++)
			if (!strcmp(*argv, settings[i].word))
				break;
		if (i == sizeof(settings) / sizeof(settings[0])) {
			fprintf(stderr, "pc5sec: unknown option \"%s\"\n\n", *argv);
			explain(stderr);
			return -1;
		}
		if (seen & 1u << settings[i].attr)
			duparg(settings[i].word, *argv);
		seen |= 1u << settings[i].attr;
		argv++;
		if (--argc <= 0)
			incomplete_command();
		if (settings[i].attr == IFLA_PC5SEC_ETHERTYPE)
			addattr16(n, REQ_ROOM, settings[i].attr,
				  number(settings[i].word, *argv, settings[i].max));
		else
			addattr32(n, REQ_ROOM, settings[i].attr,
				  number(settings[i].word, *argv, settings[i].max));
	}
	return 0;
}

static __u32 u32_of(const struct rtattr *a)
{
	__u32 v;

	memcpy(&v, RTA_DATA(a), sizeof(v));
	return v;
}

/* The kernel sends what it has; a short attribute is not printed. */
static bool has(struct rtattr *tb[], int attr, unsigned int len)
{
	return tb[attr] && RTA_PAYLOAD(tb[attr]) >= len;
}

static void pc5sec_print_opt(struct link_util *lu, FILE *f, struct rtattr *tb[])
{
	const char *name;
	__u16 et;
	__u8 c;

	(void)lu;
	(void)f;
	if (!tb)
		return;
	if (has(tb, IFLA_PC5SEC_GROUP, 4))
		print_color_uint(PRINT_ANY, COLOR_NONE, "group", "group 0x%06x ",
				 u32_of(tb[IFLA_PC5SEC_GROUP]));
	if (has(tb, IFLA_PC5SEC_MEMBER, 4))
		print_color_uint(PRINT_ANY, COLOR_NONE, "member", "member 0x%06x ",
				 u32_of(tb[IFLA_PC5SEC_MEMBER]));
	if (has(tb, IFLA_PC5SEC_CIPHER, 1)) {
		c = *(__u8 *)RTA_DATA(tb[IFLA_PC5SEC_CIPHER]);
		name = cipher_name(c);
		if (name)
			print_color_string(PRINT_ANY, COLOR_NONE, "cipher",
					   "cipher %s ", name);
		else
			print_color_uint(PRINT_ANY, COLOR_NONE, "cipher",
					 "cipher 0x%02x ", c);
	}
	if (has(tb, IFLA_PC5SEC_ETHERTYPE, 2)) {
		memcpy(&et, RTA_DATA(tb[IFLA_PC5SEC_ETHERTYPE]), sizeof(et));
		print_color_uint(PRINT_ANY, COLOR_NONE, "ethertype",
				 "ethertype 0x%04x ", et);
	}
	if (has(tb, IFLA_PC5SEC_REPLAY_WINDOW, 4))
		print_color_uint(PRINT_ANY, COLOR_NONE, "replay_window",
				 "replay-window %u ",
				 u32_of(tb[IFLA_PC5SEC_REPLAY_WINDOW]));
	if (has(tb, IFLA_PC5SEC_EXPIRY_NOTICE, 4))
		print_color_uint(PRINT_ANY, COLOR_NONE, "expiry_notice",
				 "expiry-notice %u ",
				 u32_of(tb[IFLA_PC5SEC_EXPIRY_NOTICE]));
	if (has(tb, IFLA_PC5SEC_RX_SKEW, 4))
		print_color_uint(PRINT_ANY, COLOR_NONE, "rx_skew",
				 "rx-skew %u ", u32_of(tb[IFLA_PC5SEC_RX_SKEW]));
	if (has(tb, IFLA_PC5SEC_MAX_SENDERS, 4))
		print_color_uint(PRINT_ANY, COLOR_NONE, "max_senders",
				 "max-senders %u ",
				 u32_of(tb[IFLA_PC5SEC_MAX_SENDERS]));
}

/* `ip -s -d link show`: pc5sec's counters, named as pc5ctl -j names them */
static void pc5sec_print_xstats(struct link_util *lu, FILE *f,
				struct rtattr *xstats)
{
	struct rtattr *tb[PC5SEC_STATS_MAX + 1];
	char fmt[40];
	__u64 v;
	int i;

	(void)lu;
	if (!xstats)
		return;
	parse_rtattr_flags(tb, PC5SEC_STATS_MAX, RTA_DATA(xstats),
			   RTA_PAYLOAD(xstats), NLA_F_NESTED);
	if (!is_json_context())
		fprintf(f, "\n    pc5sec:");
	for (i = 1; i <= PC5SEC_STATS_MAX; i++) {
		if (!stat_name(i) || !tb[i] || RTA_PAYLOAD(tb[i]) < sizeof(v))
			continue;
		memcpy(&v, RTA_DATA(tb[i]), sizeof(v));
		snprintf(fmt, sizeof(fmt), " %s %%llu", stat_name(i));
		print_color_u64(PRINT_ANY, COLOR_NONE, stat_name(i), fmt, v);
	}
	/* ip goes on with its own details: on a line of their own */
	if (!is_json_context())
		fprintf(f, "\n    ");
}

static void pc5sec_print_help(struct link_util *lu, int argc, char **argv,
			      FILE *f)
{
	(void)lu;
	(void)argc;
	(void)argv;
	explain(f);
}

__attribute__((visibility("default")))
struct link_util pc5sec_link_util = {
	.id = "pc5sec",
	.maxattr = IFLA_PC5SEC_MAX,
	.parse_opt = pc5sec_parse_opt,
	.print_opt = pc5sec_print_opt,
	.print_xstats = pc5sec_print_xstats,
	.print_help = pc5sec_print_help,
};
