/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pc5keyd.conf: "key = value" lines, '#' comments, and one
 * "[group 0xGGGGGG]" section per ProSe group. See pc5keyd.conf(5)
 * (Documentation/man/pc5keyd.conf.5). Pure parsing, no I/O beyond reading
 * the text, so that unit tests and fuzzers link it alone.
 */
#ifndef PC5KEYD_CONFIG_H
#define PC5KEYD_CONFIG_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pc3.h"
#include "store.h"

#define CONF_PATH_MAX		256
#define CONF_URL_MAX		512
#define CONF_MAX_SIZE		(64 * 1024)
#define CONF_DEFAULT_PATH	"/etc/pc5sec/pc5keyd.conf"

struct conf_group {
	uint32_t group_id;
	char link[IF_NAMESIZE];		/* the pc5sec link */
	char lower[IF_NAMESIZE];	/* its lower device */
	char address[48];		/* optional IPv4 address/prefix */
	bool ipv6;			/* leave IPv6 on the link (default no) */
	char preprovisioned[CONF_PATH_MAX];	/* optional KEY_RESPONSE file */
};

/* A suite's bit in conf.ciphers and pc3_request.ciphers (enum values < 32) */
#define CONF_CIPHER(c)		(1u << (c))
/* Every suite pc5keyd may be given unless ciphers says otherwise: not eea0 */
#define CONF_CIPHERS_DEFAULT	(CONF_CIPHER(PC5SEC_CIPHER_AES_GCM_256) | \
				 CONF_CIPHER(PC5SEC_CIPHER_CHACHA20_POLY1305) | \
				 CONF_CIPHER(PC5SEC_CIPHER_AES_GCM_128) | \
				 CONF_CIPHER(PC5SEC_CIPHER_EEA2) | \
				 CONF_CIPHER(PC5SEC_CIPHER_EEA3) | \
				 CONF_CIPHER(PC5SEC_CIPHER_EEA1))

struct conf {
	char pkmf_url[CONF_URL_MAX];
	char ca_file[CONF_PATH_MAX];
	char cert_file[CONF_PATH_MAX];
	char key_file[CONF_PATH_MAX];
	char crl_file[CONF_PATH_MAX];	/* optional: revoked PKMF certificates */
	char pkmf_pin[512];		/* optional: "sha256//BASE64[;sha256//...]" */
	char ue_id[PC3_UE_ID_MAX + 1];
	char state_dir[CONF_PATH_MAX];
	uint32_t renew_lead;		/* s before expiry to fetch new PGKs */
	uint32_t retry_min, retry_max;	/* s, backoff when the PKMF fails */
	uint32_t refresh_max;		/* s, longest time between fetches */
	uint32_t timeout;		/* s, one PC3 transaction */
	uint32_t max_response;		/* bytes */
	uint32_t watermark_block;	/* PTK Identities reserved at once */
	uint32_t watermark_interval;	/* s between tx_ptk_id checks */
	uint32_t expiry_notice;		/* s, link's EVT_KEY_EXPIRING lead */
	uint32_t push_port;		/* UDP port for the PKMF's push; 0: none */
	bool keyring;			/* install via logon keys */
	enum store_kind key_store;	/* where the PGKs rest (store.h) */
	bool key_store_set;		/* false: tpm2 if the UE has a TPM, else file */
	char p11_module[CONF_PATH_MAX];	/* key-store pkcs11: the module */
	char p11_token[33];		/* its token's label */
	char p11_pin_file[CONF_PATH_MAX];
	char p11_key[65];		/* the AES key's label */
	char tpm2_tcti[CONF_PATH_MAX];	/* key-store tpm2: the TPM's TCTI */
	uint32_t ciphers;		/* suites offered and accepted: CONF_CIPHER() */
	size_t ngroups;
	struct conf_group groups[PC3_MAX_GROUPS];
};

/* Defaults, then the text (NUL-terminated) on top; checks completeness. */
int conf_parse(const char *text, struct conf *c, struct errmsg *why);

/* Reads and parses a file (at most CONF_MAX_SIZE bytes). */
int conf_load(const char *path, struct conf *c, struct errmsg *why);

#endif /* PC5KEYD_CONFIG_H */
