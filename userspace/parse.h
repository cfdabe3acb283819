/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pure parsing and formatting helpers of pc5ctl: no netlink, no global
 * state, so that the unit tests (tests/test-parse.c) link them alone.
 *
 * Functions return 0 or a negative errno. Where a reason helps the user
 * more than an errno would, it is written to @why (lib/errmsg.h).
 */
#ifndef PC5CTL_PARSE_H
#define PC5CTL_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>

#include <linux/pc5sec.h>

#include "lib/errmsg.h"

/* Largest key file accepted: a hex key with generous whitespace. */
#define KEY_FILE_MAX	4096

/*
 * Decimal or 0x-hex, no sign, no whitespace, nothing after the digits;
 * -EINVAL when malformed, -ERANGE above @max.
 */
int parse_u32(const char *s, uint32_t max, uint32_t *out);
/* parse_u32() that also refuses (-ERANGE) values below @min */
int parse_u32_range(const char *s, uint32_t min, uint32_t max, uint32_t *out);

/* PC5SEC_A_KEY_PTK_LIMIT: 1 up to every PTK Identity (the same as none) */
#define PTK_LIMIT_MIN	1
#define PTK_LIMIT_MAX	0x10000

/* Cipher suite names <-> enum pc5sec_cipher. NULL for an unknown value. */
int parse_cipher(const char *s, uint8_t *out);
const char *cipher_name(uint8_t cipher);
/* Lists the suite names, separated by @sep, for usage and errors. */
void cipher_names(FILE *f, const char *sep);

/* enum pc5sec_key_state -> name; NULL for an unknown value */
const char *key_state_name(uint8_t state);

/*
 * PC5SEC_STATS_* -> the counter's name, as pc5ctl -j and ip -s -d -j
 * print it; NULL for a value that names no counter (PAD, unknown).
 */
const char *stat_name(unsigned int stat);

/*
 * TIME: UTC seconds since the epoch, "+SECONDS" from @now, or an RFC 3339
 * UTC time "YYYY-MM-DDTHH:MM:SSZ".
 */
int parse_time(const char *s, time_t now, uint64_t *out,
	       struct errmsg *why);

/* The last second RFC 3339 can write with a 4-digit year. */
#define TIME_MAX_RFC3339	253402300799ULL

/*
 * The one RFC 3339 parser: "YYYY-MM-DDTHH:MM:SSZ" (T and Z in either
 * case, as RFC 3339 allows), UTC only, no fraction, no leap second, 1970
 * to 9999. -EINVAL when malformed or no such date, -ERANGE before 1970.
 */
int parse_rfc3339(const char *s, uint64_t *out, struct errmsg *why);

/*
 * Its formatter: RFC 3339 UTC form of @t into @buf (at least 32 bytes);
 * "@N" and -ERANGE past TIME_MAX_RFC3339.
 */
int format_time(uint64_t t, char *buf, size_t len);

/*
 * The one hex decoder: the hex digits of @src (@len bytes) into @out, two
 * a byte, at most @n bytes stored; whitespace is skipped when @spaces.
 * Returns how many digits there were (counting on past 2 * @n, so that a
 * caller can say how many), or -EINVAL with *@bad the offset of the first
 * byte that is neither a digit nor skipped.
 */
ssize_t hex_decode(const void *src, size_t len, bool spaces, uint8_t *out,
		   size_t n, size_t *bad);

/*
 * A PGK from the contents of a key file: 64 hex digits (whitespace
 * ignored) or exactly 32 raw bytes. On failure @key is zeroed and @why
 * says why, never quoting the file's bytes (they may be key material).
 */
int parse_key(const uint8_t *buf, size_t len, uint8_t key[PC5SEC_PGK_LEN],
	      struct errmsg *why);

/* parse_key() on everything readable from @fd; the read buffer is wiped. */
int read_key_fd(int fd, uint8_t key[PC5SEC_PGK_LEN], struct errmsg *why);

/*
 * Writes @s as a JSON string, quotes included. Invalid UTF-8 becomes
 * U+FFFD so that the output is always valid JSON (interface names are
 * arbitrary bytes).
 */
void json_string(FILE *f, const char *s);

#endif /* PC5CTL_PARSE_H */
