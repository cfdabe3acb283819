// SPDX-License-Identifier: GPL-2.0
/*
 * iplink_pc5sec.c	pc5sec: 3GPP ProSe one-to-many (PC5 group) security
 *
 * The link type of the pc5sec module, written as iproute2 writes its
 * link types, for a patch to iproute2. pc5sec's userspace/iproute2/
 * link_pc5sec.c is the same code as a plugin for an unpatched ip.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/pc5sec.h>

#include "rt_names.h"
#include "utils.h"
#include "ip_common.h"

static const struct {
	__u8 id;
	const char *name;
} pc5sec_ciphers[] = {
	{ PC5SEC_CIPHER_EEA0, "eea0" },
	{ PC5SEC_CIPHER_EEA1, "eea1" },
	{ PC5SEC_CIPHER_EEA2, "eea2" },
	{ PC5SEC_CIPHER_EEA3, "eea3" },
	{ PC5SEC_CIPHER_AES_GCM_128, "aes-gcm-128" },
	{ PC5SEC_CIPHER_AES_GCM_256, "aes-gcm-256" },
	{ PC5SEC_CIPHER_CHACHA20_POLY1305, "chacha20-poly1305" },
};

static void explain(FILE *f)
{
	fprintf(f,
		"Usage: ... pc5sec [ group GID ] [ member MID ] [ cipher SUITE ]\n"
		"                  [ ethertype N ] [ replay-window N ]\n"
		"                  [ expiry-notice SECS ] [ rx-skew SECS ]\n"
		"                  [ max-senders N ]\n"
		"\n"
		"GID, MID := 24-bit Group / Group Member Identity\n"
		"SUITE := { eea0 | eea1 | eea2 | eea3 | aes-gcm-128 | aes-gcm-256 |\n"
		"           chacha20-poly1305 }\n"
		"Keys are installed with pc5ctl.\n");
}

static const char *cipher_name(__u8 id)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(pc5sec_ciphers); i++)
		if (pc5sec_ciphers[i].id == id)
			return pc5sec_ciphers[i].name;
	return NULL;
}

static const struct {
	const char *word;
	int attr;
	__u32 max;
} pc5sec_u32s[] = {
	{ "group", IFLA_PC5SEC_GROUP, PC5SEC_ID_MAX },
	{ "member", IFLA_PC5SEC_MEMBER, PC5SEC_ID_MAX },
	{ "replay-window", IFLA_PC5SEC_REPLAY_WINDOW, UINT32_MAX },
	{ "expiry-notice", IFLA_PC5SEC_EXPIRY_NOTICE, UINT32_MAX },
	{ "rx-skew", IFLA_PC5SEC_RX_SKEW, UINT32_MAX },
	{ "max-senders", IFLA_PC5SEC_MAX_SENDERS, UINT32_MAX },
};

static int pc5sec_parse_opt(struct link_util *lu, int argc, char **argv,
			    struct nlmsghdr *n)
{
	unsigned int i;
	__u16 ethertype;
	__u32 val;

	while (argc > 0) {
		if (strcmp(*argv, "help") == 0) {
			explain(stdout);
			return -1;
		}
		if (strcmp(*argv, "cipher") == 0) {
			NEXT_ARG();
			for (i = 0; i < ARRAY_SIZE(pc5sec_ciphers); i++)
				if (strcmp(*argv, pc5sec_ciphers[i].name) == 0)
					break;
			if (i == ARRAY_SIZE(pc5sec_ciphers))
				invarg("unknown cipher suite", *argv);
			addattr8(n, 1024, IFLA_PC5SEC_CIPHER,
				 pc5sec_ciphers[i].id);
		} else if (strcmp(*argv, "ethertype") == 0) {
			NEXT_ARG();
			if (get_u16(&ethertype, *argv, 0))
				invarg("invalid ethertype", *argv);
			addattr16(n, 1024, IFLA_PC5SEC_ETHERTYPE, ethertype);
		} else {
			for (i = 0; i < ARRAY_SIZE(pc5sec_u32s); i++)
				if (strcmp(*argv, pc5sec_u32s[i].word) == 0)
					break;
			if (i == ARRAY_SIZE(pc5sec_u32s)) {
				fprintf(stderr, "pc5sec: unknown option \"%s\"?\n",
					*argv);
				explain(stderr);
				return -1;
			}
			NEXT_ARG();
			if (get_u32(&val, *argv, 0) || val > pc5sec_u32s[i].max)
				invarg("value out of range", *argv);
			addattr32(n, 1024, pc5sec_u32s[i].attr, val);
		}
		argc--, argv++;
	}
	return 0;
}

static void pc5sec_print_opt(struct link_util *lu, FILE *f, struct rtattr *tb[])
{
	const char *name;

	if (!tb)
		return;
	if (tb[IFLA_PC5SEC_GROUP])
		print_uint(PRINT_ANY, "group", "group 0x%06x ",
			   rta_getattr_u32(tb[IFLA_PC5SEC_GROUP]));
	if (tb[IFLA_PC5SEC_MEMBER])
		print_uint(PRINT_ANY, "member", "member 0x%06x ",
			   rta_getattr_u32(tb[IFLA_PC5SEC_MEMBER]));
	if (tb[IFLA_PC5SEC_CIPHER]) {
		__u8 c = rta_getattr_u8(tb[IFLA_PC5SEC_CIPHER]);

		name = cipher_name(c);
		if (name)
			print_string(PRINT_ANY, "cipher", "cipher %s ", name);
		else
			print_uint(PRINT_ANY, "cipher", "cipher %u ", c);
	}
	if (tb[IFLA_PC5SEC_ETHERTYPE])
		print_uint(PRINT_ANY, "ethertype", "ethertype 0x%04x ",
			   rta_getattr_u16(tb[IFLA_PC5SEC_ETHERTYPE]));
	if (tb[IFLA_PC5SEC_REPLAY_WINDOW])
		print_uint(PRINT_ANY, "replay_window", "replay-window %u ",
			   rta_getattr_u32(tb[IFLA_PC5SEC_REPLAY_WINDOW]));
	if (tb[IFLA_PC5SEC_EXPIRY_NOTICE])
		print_uint(PRINT_ANY, "expiry_notice", "expiry-notice %u ",
			   rta_getattr_u32(tb[IFLA_PC5SEC_EXPIRY_NOTICE]));
	if (tb[IFLA_PC5SEC_RX_SKEW])
		print_uint(PRINT_ANY, "rx_skew", "rx-skew %u ",
			   rta_getattr_u32(tb[IFLA_PC5SEC_RX_SKEW]));
	if (tb[IFLA_PC5SEC_MAX_SENDERS])
		print_uint(PRINT_ANY, "max_senders", "max-senders %u ",
			   rta_getattr_u32(tb[IFLA_PC5SEC_MAX_SENDERS]));
}

static void pc5sec_print_help(struct link_util *lu, int argc, char **argv,
			      FILE *f)
{
	explain(f);
}

struct link_util pc5sec_link_util = {
	.id		= "pc5sec",
	.maxattr	= IFLA_PC5SEC_MAX,
	.parse_opt	= pc5sec_parse_opt,
	.print_opt	= pc5sec_print_opt,
	.print_help	= pc5sec_print_help,
};
