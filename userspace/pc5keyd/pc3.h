/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PC3 messages of pc5keyd: KEY_REQUEST (built) and KEY_RESPONSE (parsed,
 * strictly), modelled on TS 33.303 Annex E. The schema is
 * Documentation/pc3/pc3.xsd. Pure code: no I/O, no globals, so that the
 * unit tests and fuzzers link it alone.
 *
 * Functions return 0 or a negative errno; on failure @why says what was
 * wrong, never quoting key material.
 */
#ifndef PC5KEYD_PC3_H
#define PC5KEYD_PC3_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/pc5sec.h>

#include "lib/errmsg.h"

#define PC3_NS			"urn:pc5sec:pc3:1"
#define PC3_MAX_GROUPS		16
#define PC3_MAX_PGKS		8	/* per group */
#define PC3_UE_ID_MAX		64
#define PC3_ERROR_MAX		32
#define PC3_PUSH_KEY_LEN	32	/* HMAC-SHA-256 key of the push (push.h) */
/* Default cap of a KEY_RESPONSE; the daemon's max-response can lower it */
#define PC3_MAX_DOC		(64 * 1024)

struct pc3_pgk {
	uint8_t id;
	uint8_t key[PC5SEC_PGK_LEN];
	uint64_t not_before;		/* UTC seconds */
	uint64_t not_after;		/* UTC seconds: the PGK's expiry */
};

struct pc3_group {
	uint32_t group_id;		/* 24 bits */
	char error[PC3_ERROR_MAX];	/* "" unless the PKMF refused */
	uint32_t member;		/* 24 bits */
	uint8_t cipher;			/* enum pc5sec_cipher */
	size_t npgks;
	struct pc3_pgk pgks[PC3_MAX_PGKS];
	/*
	 * PGK IDs the PKMF revoked ("no longer secure"), with or without
	 * an error: none of them is among pgks.
	 */
	size_t nrevoked;
	uint8_t revoked[PC3_MAX_PGKS];
};

struct pc3_response {
	uint32_t transaction;
	/* the key of the PKMF's next pushes to this UE, if it gave one */
	bool has_push_key;
	uint8_t push_key[PC3_PUSH_KEY_LEN];
	size_t ngroups;
	struct pc3_group groups[PC3_MAX_GROUPS];
};

struct pc3_request_group {
	uint32_t group_id;
	size_t nheld;
	uint8_t held[PC3_MAX_PGKS];	/* PGK IDs already held */
};

struct pc3_request {
	uint32_t transaction;
	uint32_t ciphers;		/* offered: bit (1 << enum pc5sec_cipher) */
	char ue_id[PC3_UE_ID_MAX + 1];
	uint16_t push_port;		/* UDP port of the push; 0: none */
	size_t ngroups;
	struct pc3_request_group groups[PC3_MAX_GROUPS];
};

/*
 * Makes libxml2 wipe every block it frees (the parser's copies of a
 * document hold key bytes). Call once, before any other libxml2 use in
 * the process: a block allocated before would be freed wrongly.
 */
int pc3_init(void);

/*
 * Parses a KEY_RESPONSE document of @len bytes. Strict: well-formed UTF-8
 * XML in the pc3 namespace, no DTD, no entity references, no comments, no
 * attributes, exactly the elements of the schema in their order, every
 * value in range. On failure *@resp is zeroed.
 */
int pc3_parse_response(const char *buf, size_t len, struct pc3_response *resp,
		       struct errmsg *why);

/*
 * Writes a KEY_REQUEST into @buf (NUL-terminated); -ENOSPC if it does not
 * fit, -EINVAL on a UE identity the schema does not allow.
 */
int pc3_build_request(const struct pc3_request *req, char *buf, size_t size);

/*
 * Writes one group of @resp as a KEY_RESPONSE document (the daemon's stored
 * keys and the pre-provisioned key files use the same format). @buf holds
 * key material: the caller wipes it.
 */
int pc3_build_response(const struct pc3_response *resp, char *buf, size_t size);

/*
 * The PGKs of @old that are still valid at @now (not-after later), that
 * @dst does not revoke and whose PGK Index no PGK of @dst has, appended
 * to @dst while there is room: the PGKs a PKMF left out of its response
 * (the UE said it held them) stay stored until they expire, unless it
 * revoked them. Returns how many were added.
 */
size_t pc3_group_merge(struct pc3_group *dst, const struct pc3_group *old,
		       uint64_t now);

/* Does @g revoke PGK ID @id? */
bool pc3_revokes(const struct pc3_group *g, uint8_t id);

/* A valid UE identity: 1-64 of [A-Za-z0-9._@:+-] */
bool pc3_valid_ue_id(const char *s);

/* Wipes a response (key bytes included) */
void pc3_response_wipe(struct pc3_response *resp);

#endif /* PC5KEYD_PC3_H */
