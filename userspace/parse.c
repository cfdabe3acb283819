// SPDX-License-Identifier: GPL-2.0
/*
 * Pure parsing and formatting helpers of pc5ctl; see parse.h.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "lib/util.h"
#include "parse.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * strtoul() alone would accept leading blanks, a sign and octal, none of
 * which a user means in "group 010"; so the digits are checked first.
 */
static int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	unsigned int base = 10;
	int d;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		d = hex_value((unsigned char)*s);
		if (d < 0 || (unsigned int)d >= base)
			return -EINVAL;
		if (v > (UINT64_MAX - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	if (v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int parse_u32_range(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	uint64_t v;
	int err;

	err = parse_u64(s, max, &v);
	if (!err && v < min)
		err = -ERANGE;
	if (!err)
		*out = (uint32_t)v;
	return err;
}

int parse_u32(const char *s, uint32_t max, uint32_t *out)
{
	return parse_u32_range(s, 0, max, out);
}

static const struct {
	const char *name;
	uint8_t value;
} ciphers[] = {
	{ "eea0", PC5SEC_CIPHER_EEA0 },
	{ "eea1", PC5SEC_CIPHER_EEA1 },
	{ "eea2", PC5SEC_CIPHER_EEA2 },
	{ "eea3", PC5SEC_CIPHER_EEA3 },
	{ "aes-gcm-128", PC5SEC_CIPHER_AES_GCM_128 },
	{ "aes-gcm-256", PC5SEC_CIPHER_AES_GCM_256 },
	{ "chacha20-poly1305", PC5SEC_CIPHER_CHACHA20_POLY1305 },
};

int parse_cipher(const char *s, uint8_t *out)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ciphers); i++) {
		if (!strcmp(s, ciphers[i].name)) {
			*out = ciphers[i].value;
			return 0;
		}
	}
	return -EINVAL;
}

const char *cipher_name(uint8_t cipher)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ciphers); i++)
		if (ciphers[i].value == cipher)
			return ciphers[i].name;
	return NULL;
}

void cipher_names(FILE *f, const char *sep)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ciphers); i++)
		fprintf(f, "%s%s", i ? sep : "", ciphers[i].name);
}

const char *key_state_name(uint8_t state)
{
	static const char *const names[] = {
		[PC5SEC_KEY_STATE_PENDING] = "pending",
		[PC5SEC_KEY_STATE_ACTIVE] = "active",
		[PC5SEC_KEY_STATE_VALID] = "valid",
		[PC5SEC_KEY_STATE_EXPIRED] = "expired",
		[PC5SEC_KEY_STATE_EXHAUSTED] = "exhausted",
	};

	return state < ARRAY_SIZE(names) ? names[state] : NULL;
}

static const char *const stat_names[PC5SEC_STATS_MAX + 1] = {
	[PC5SEC_STATS_TX_PACKETS] = "tx_packets",
	[PC5SEC_STATS_TX_BYTES] = "tx_bytes",
	[PC5SEC_STATS_RX_PACKETS] = "rx_packets",
	[PC5SEC_STATS_RX_BYTES] = "rx_bytes",
	[PC5SEC_STATS_TX_NOKEY] = "tx_nokey",
	[PC5SEC_STATS_TX_PTK_EXHAUSTED] = "tx_ptk_exhausted",
	[PC5SEC_STATS_RX_NOKEY] = "rx_nokey",
	[PC5SEC_STATS_RX_REPLAY] = "rx_replay",
	[PC5SEC_STATS_RX_MALFORMED] = "rx_malformed",
	[PC5SEC_STATS_RX_AUTH_FAIL] = "rx_auth_fail",
	[PC5SEC_STATS_RX_OWN_MEMBER] = "rx_own_member",
	[PC5SEC_STATS_TX_QUEUED] = "tx_queued",
	[PC5SEC_STATS_RX_QUEUED] = "rx_queued",
	[PC5SEC_STATS_TX_QUEUE_FULL] = "tx_queue_full",
	[PC5SEC_STATS_RX_QUEUE_FULL] = "rx_queue_full",
};

const char *stat_name(unsigned int stat)
{
	return stat <= PC5SEC_STATS_MAX ? stat_names[stat] : NULL;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The inverse of days_from_civil(), for days >= 0. */
static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = z / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return days[m - 1] + (m == 2 && leap);
}

/* Exactly @n ASCII digits at @s. */
static bool fixed_digits(const char *s, int n, int *out)
{
	int v = 0;

	while (n--) {
		if (!is_digit(*s))
			return false;
		v = v * 10 + (*s++ - '0');
	}
	*out = v;
	return true;
}

/*
 * YYYY-MM-DDTHH:MM:SSZ; RFC 3339 allows lower-case t and z too. @form
 * names what the caller would have accepted, for the message.
 */
static int rfc3339(const char *s, uint64_t *out, struct errmsg *why,
		   const char *form)
{
	int y, mo, d, h, mi, sec;

	if (strlen(s) != 20 || !fixed_digits(s, 4, &y) || s[4] != '-' ||
	    !fixed_digits(s + 5, 2, &mo) || s[7] != '-' ||
	    !fixed_digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != 't') ||
	    !fixed_digits(s + 11, 2, &h) || s[13] != ':' ||
	    !fixed_digits(s + 14, 2, &mi) || s[16] != ':' ||
	    !fixed_digits(s + 17, 2, &sec) || (s[19] != 'Z' && s[19] != 'z'))
		return fail(why, -EINVAL, "not %s", form);
	/* Leap seconds (:60) are refused: the kernel counts POSIX seconds. */
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) ||
	    h > 23 || mi > 59 || sec > 59)
		return fail(why, -EINVAL, "no such date or time of day");
	if (y < 1970)
		return fail(why, -ERANGE, "before 1970-01-01T00:00:00Z");
	*out = (uint64_t)days_from_civil(y, mo, d) * 86400 +
	       h * 3600 + mi * 60 + sec;
	return 0;
}

int parse_rfc3339(const char *s, uint64_t *out, struct errmsg *why)
{
	return rfc3339(s, out, why, "YYYY-MM-DDTHH:MM:SSZ");
}

int parse_time(const char *s, time_t now, uint64_t *out, struct errmsg *why)
{
	uint64_t v;
	int err;

	if (s[0] == '+') {
		/* parse_u64 would take "+0x10" as hex; a time is decimal */
		if (!s[1] || strspn(s + 1, "0123456789") != strlen(s + 1))
			return fail(why, -EINVAL, "+SECONDS needs decimal seconds");
		err = parse_u64(s + 1, UINT64_MAX - (now > 0 ? now : 0), &v);
		if (err)
			return fail(why, err, "%s", err == -ERANGE ?
				    "too far in the future" :
				    "+SECONDS needs decimal seconds");
		*out = v + (now > 0 ? now : 0);
		return 0;
	}
	if (is_digit(s[0]) && strspn(s, "0123456789") == strlen(s)) {
		err = parse_u64(s, UINT64_MAX, &v);
		if (err)
			return fail(why, err, "too far in the future");
		*out = v;
		return 0;
	}
	return rfc3339(s, out, why,
		       "seconds, +SECONDS or YYYY-MM-DDTHH:MM:SSZ");
}

int format_time(uint64_t t, char *buf, size_t len)
{
	int y, m, d;
	uint64_t sod = t % 86400;

	if (t > TIME_MAX_RFC3339) {
		snprintf(buf, len, "@%llu", (unsigned long long)t);
		return -ERANGE;
	}
	civil_from_days((int64_t)(t / 86400), &y, &m, &d);
	snprintf(buf, len, "%04d-%02d-%02dT%02u:%02u:%02uZ", y, m, d,
		 (unsigned int)(sod / 3600), (unsigned int)(sod / 60 % 60),
		 (unsigned int)(sod % 60));
	return 0;
}

static bool is_space(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	       c == '\v' || c == '\f';
}

ssize_t hex_decode(const void *src, size_t len, bool spaces, uint8_t *out,
		   size_t n, size_t *bad)
{
	const uint8_t *s = src;
	size_t i, digits = 0;
	int v;

	for (i = 0; i < len; i++) {
		if (spaces && is_space(s[i]))
			continue;
		v = hex_value(s[i]);
		if (v < 0) {
			*bad = i;
			return -EINVAL;
		}
		/* Count past @n bytes for the caller's message, never store. */
		if (digits < 2 * n)
			out[digits / 2] = (uint8_t)(digits % 2 ?
				out[digits / 2] | v : v << 4);
		digits++;
	}
	return (ssize_t)digits;
}

static int parse_hex_key(const uint8_t *buf, size_t len,
			 uint8_t key[PC5SEC_PGK_LEN], struct errmsg *why)
{
	ssize_t digits;
	size_t bad;

	digits = hex_decode(buf, len, true, key, PC5SEC_PGK_LEN, &bad);
	/* Position only: the byte itself may be key material. */
	if (digits < 0)
		return fail(why, -EINVAL,
			    "bad hex digit at position %zu (a key file holds 64 hex digits or exactly %d raw bytes; this one has %zu bytes)",
			    bad + 1, PC5SEC_PGK_LEN, len);
	if (digits != 2 * PC5SEC_PGK_LEN)
		return fail(why, -EINVAL,
			    "wrong length: %zd hex digits, need %d (or exactly %d raw bytes)",
			    digits, 2 * PC5SEC_PGK_LEN, PC5SEC_PGK_LEN);
	return 0;
}

int parse_key(const uint8_t *buf, size_t len, uint8_t key[PC5SEC_PGK_LEN],
	      struct errmsg *why)
{
	size_t bad;
	int err;

	if (!len) {
		explicit_bzero(key, PC5SEC_PGK_LEN);
		return fail(why, -EINVAL, "empty key file");
	}
	/*
	 * 32 bytes are raw unless they read as hex: a random key is all hex
	 * digits and blanks with odds of about (22/256)^32, while 32 hex
	 * digits are far more likely a 128-bit key given by mistake.
	 */
	if (len == PC5SEC_PGK_LEN && hex_decode(buf, len, true, NULL, 0, &bad) < 0) {
		memcpy(key, buf, PC5SEC_PGK_LEN);
		return 0;
	}
	err = parse_hex_key(buf, len, key, why);
	if (err)
		explicit_bzero(key, PC5SEC_PGK_LEN);
	return err;
}

int read_key_fd(int fd, uint8_t key[PC5SEC_PGK_LEN], struct errmsg *why)
{
	/* One more than accepted, to tell "too large" from "just fits". */
	uint8_t buf[KEY_FILE_MAX + 1];
	size_t len = 0;
	ssize_t n;
	int err;

	while (len < sizeof(buf)) {
		n = read(fd, buf + len, sizeof(buf) - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = fail(why, -errno, "%s", strerror(errno));
			goto out;
		}
		if (!n)
			break;
		len += n;
	}
	if (len > KEY_FILE_MAX) {
		err = fail(why, -EFBIG,
			   "too large for a key file (more than %d bytes)",
			   KEY_FILE_MAX);
		goto out;
	}
	err = parse_key(buf, len, key, why);
out:
	explicit_bzero(buf, sizeof(buf));
	return err;
}

/* Length of the valid UTF-8 sequence at @s, or 0 when there is none. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	/* A NUL ends the string before any continuation check passes. */
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, UTF-16 surrogates, beyond U+10FFFF */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

void json_string(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n;

	fputc('"', f);
	while (*s) {
		switch (*s) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		default:
			if (*s < 0x20 || *s == 0x7f) {
				fprintf(f, "\\u%04x", *s);
				break;
			}
			n = utf8_len(s);
			if (!n) {
				fputs("\\ufffd", f);
				break;
			}
			fwrite(s, 1, n, f);
			s += n;
			continue;
		}
		s++;
	}
	fputc('"', f);
}
