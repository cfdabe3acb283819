// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of parse.c. Prints one line per failed case and ends with
 * "N passed, N failed"; exits non-zero when anything failed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/util.h"
#include "parse.h"

#include "check.h"

static const uint8_t want_key[PC5SEC_PGK_LEN] = {
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
	0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
	0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
	0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10,
};

#define HEX64 "00112233445566778899aabbccddeeff" \
	      "0123456789abcdeffedcba9876543210"

static void test_u32(void)
{
	static const struct {
		const char *s;
		uint32_t max;
		int err;
		uint32_t v;
	} cases[] = {
		{ "0", 10, 0, 0 },
		{ "42", 100, 0, 42 },
		{ "010", 100, 0, 10 },		/* decimal, not octal */
		{ "0x1f", 100, 0, 31 },
		{ "0X1F", 100, 0, 31 },
		{ "0xffffff", PC5SEC_ID_MAX, 0, 0xffffff },
		{ "16777215", PC5SEC_ID_MAX, 0, 0xffffff },
		{ "0x1000000", PC5SEC_ID_MAX, -ERANGE, 0 },
		{ "16777216", PC5SEC_ID_MAX, -ERANGE, 0 },
		{ "255", 0xff, 0, 255 },
		{ "256", 0xff, -ERANGE, 0 },
		{ "0x100", 0xff, -ERANGE, 0 },
		{ "65535", 0xffff, 0, 65535 },
		{ "65536", 0xffff, -ERANGE, 0 },
		{ "4294967295", UINT32_MAX, 0, UINT32_MAX },
		{ "0xffffffff", UINT32_MAX, 0, UINT32_MAX },
		{ "4294967296", UINT32_MAX, -ERANGE, 0 },
		{ "0x100000000", UINT32_MAX, -ERANGE, 0 },
		{ "99999999999999999999999999", UINT32_MAX, -ERANGE, 0 },
		{ "0xffffffffffffffffffff", UINT32_MAX, -ERANGE, 0 },
		{ "", 10, -EINVAL, 0 },
		{ "0x", 10, -EINVAL, 0 },
		{ "-1", 10, -EINVAL, 0 },
		{ "+1", 10, -EINVAL, 0 },
		{ " 1", 10, -EINVAL, 0 },
		{ "1 ", 10, -EINVAL, 0 },
		{ "12a", 1000, -EINVAL, 0 },
		{ "a", 1000, -EINVAL, 0 },
		{ "0xg", 1000, -EINVAL, 0 },
		{ "1e3", 10000, -EINVAL, 0 },
		{ "0x-1", 10, -EINVAL, 0 },
		{ "1.0", 10, -EINVAL, 0 },
	};
	uint32_t v;
	size_t i;
	int err;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		v = 12345;
		err = parse_u32(cases[i].s, cases[i].max, &v);
		CHECK(err == cases[i].err, "parse_u32(\"%s\", %u) = %d, want %d",
		      cases[i].s, cases[i].max, err, cases[i].err);
		if (!cases[i].err)
			CHECK(v == cases[i].v, "parse_u32(\"%s\") -> %u, want %u",
			      cases[i].s, v, cases[i].v);
		else
			CHECK(v == 12345, "parse_u32(\"%s\") wrote on failure",
			      cases[i].s);
	}
}

/* The PTK limit's range, 1..0x10000, as pc5ctl checks it */
static void test_u32_range(void)
{
	static const struct {
		const char *s;
		int err;
		uint32_t v;
	} cases[] = {
		{ "1", 0, 1 },
		{ "32", 0, 32 },
		{ "0x20", 0, 32 },
		{ "65535", 0, 65535 },
		{ "65536", 0, 65536 },
		{ "0x10000", 0, 0x10000 },
		{ "010", 0, 10 },
		{ "0", -ERANGE, 0 },
		{ "0x0", -ERANGE, 0 },
		{ "00", -ERANGE, 0 },
		{ "65537", -ERANGE, 0 },
		{ "0x10001", -ERANGE, 0 },
		{ "4294967295", -ERANGE, 0 },
		{ "4294967296", -ERANGE, 0 },
		{ "99999999999999999999999999", -ERANGE, 0 },
		{ "", -EINVAL, 0 },
		{ "-1", -EINVAL, 0 },
		{ "+1", -EINVAL, 0 },
		{ " 1", -EINVAL, 0 },
		{ "1 ", -EINVAL, 0 },
		{ "0x", -EINVAL, 0 },
		{ "none", -EINVAL, 0 },
		{ "64k", -EINVAL, 0 },
	};
	uint32_t v;
	size_t i;
	int err;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		v = 12345;
		err = parse_u32_range(cases[i].s, PTK_LIMIT_MIN, PTK_LIMIT_MAX,
				      &v);
		CHECK(err == cases[i].err,
		      "parse_u32_range(\"%s\", 1, 0x10000) = %d, want %d",
		      cases[i].s, err, cases[i].err);
		if (!cases[i].err)
			CHECK(v == cases[i].v,
			      "parse_u32_range(\"%s\") -> %u, want %u",
			      cases[i].s, v, cases[i].v);
		else
			CHECK(v == 12345,
			      "parse_u32_range(\"%s\") wrote on failure",
			      cases[i].s);
	}
	/* min == max, and min 0 is parse_u32() */
	CHECK(!parse_u32_range("7", 7, 7, &v) && v == 7, "7 in [7, 7]");
	CHECK(parse_u32_range("6", 7, 7, &v) == -ERANGE, "6 in [7, 7]");
	CHECK(parse_u32_range("8", 7, 7, &v) == -ERANGE, "8 in [7, 7]");
	CHECK(!parse_u32_range("0", 0, 10, &v) && v == 0, "0 in [0, 10]");
	CHECK(!parse_u32_range("4294967295", 1, UINT32_MAX, &v) &&
	      v == UINT32_MAX, "UINT32_MAX in [1, UINT32_MAX]");
}

static void test_cipher(void)
{
	static const struct {
		const char *name;
		uint8_t v;
	} cases[] = {
		{ "eea0", PC5SEC_CIPHER_EEA0 },
		{ "eea1", PC5SEC_CIPHER_EEA1 },
		{ "eea2", PC5SEC_CIPHER_EEA2 },
		{ "eea3", PC5SEC_CIPHER_EEA3 },
		{ "aes-gcm-128", PC5SEC_CIPHER_AES_GCM_128 },
		{ "aes-gcm-256", PC5SEC_CIPHER_AES_GCM_256 },
		{ "chacha20-poly1305", PC5SEC_CIPHER_CHACHA20_POLY1305 },
	};
	static const char *const bad[] = {
		"", "EEA2", "eea4", "aes", "aes-gcm", "eea2 ", "chacha20",
		"2", "0x02",
	};
	const char *name;
	uint8_t v;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		CHECK(!parse_cipher(cases[i].name, &v) && v == cases[i].v,
		      "parse_cipher(\"%s\")", cases[i].name);
		name = cipher_name(cases[i].v);
		CHECK(name && !strcmp(name, cases[i].name),
		      "cipher_name(0x%02x) = %s", cases[i].v,
		      name ? name : "NULL");
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		CHECK(parse_cipher(bad[i], &v) == -EINVAL,
		      "parse_cipher(\"%s\") accepted", bad[i]);
	CHECK(!cipher_name(0x04), "cipher_name(0x04) not NULL");
	CHECK(!cipher_name(0x13), "cipher_name(0x13) not NULL");
	CHECK(!cipher_name(0xff), "cipher_name(0xff) not NULL");
}

static void test_key_state(void)
{
	static const char *const want[] = {
		[PC5SEC_KEY_STATE_PENDING] = "pending",
		[PC5SEC_KEY_STATE_ACTIVE] = "active",
		[PC5SEC_KEY_STATE_VALID] = "valid",
		[PC5SEC_KEY_STATE_EXPIRED] = "expired",
		[PC5SEC_KEY_STATE_EXHAUSTED] = "exhausted",
	};
	const char *s;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(want); i++) {
		s = key_state_name((uint8_t)i);
		CHECK(s && !strcmp(s, want[i]), "key_state_name(%zu) = %s",
		      i, s ? s : "NULL");
	}
	CHECK(!key_state_name(5), "key_state_name(5) not NULL");
	CHECK(!key_state_name(255), "key_state_name(255) not NULL");
}

/*
 * Every counter the kernel sends has a name, the one ethtool -S and the
 * module's stats.c give it, and no two share one: a counter added to the
 * uapi without its name would vanish from pc5ctl show and ip -s -d.
 */
static void test_stat_names(void)
{
	static const char *const want[PC5SEC_STATS_MAX + 1] = {
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
	const char *s;
	unsigned int i, j;

	for (i = 0; i <= PC5SEC_STATS_MAX; i++) {
		s = stat_name(i);
		if (i == PC5SEC_STATS_UNSPEC || i == PC5SEC_STATS_PAD) {
			CHECK(!s, "stat_name(%u) = %s, want none", i, s);
			continue;
		}
		CHECK(s && want[i] && !strcmp(s, want[i]),
		      "stat_name(%u) = %s, want %s", i, s ? s : "NULL",
		      want[i] ? want[i] : "a name in this test");
		for (j = 1; s && j < i; j++)
			CHECK(!stat_name(j) || strcmp(stat_name(j), s),
			      "stat_name(%u) = stat_name(%u) = %s", i, j, s);
	}
	CHECK(!stat_name(PC5SEC_STATS_MAX + 1), "a name past PC5SEC_STATS_MAX");
}

static void test_time(void)
{
	static const struct {
		const char *s;
		int err;
		uint64_t v;
	} cases[] = {
		{ "0", 0, 0 },
		{ "1795885200", 0, 1795885200 },
		{ "18446744073709551615", 0, UINT64_MAX },
		{ "18446744073709551616", -ERANGE, 0 },
		{ "+0", 0, 1000 },
		{ "+60", 0, 1060 },
		{ "+18446744073709550615", 0, UINT64_MAX },
		{ "+18446744073709550616", -ERANGE, 0 },
		{ "+", -EINVAL, 0 },
		{ "+-5", -EINVAL, 0 },
		{ "++5", -EINVAL, 0 },
		{ "+0x10", -EINVAL, 0 },
		{ "+5s", -EINVAL, 0 },
		{ "0x10", -EINVAL, 0 },
		{ "-5", -EINVAL, 0 },
		{ "", -EINVAL, 0 },
		{ "abc", -EINVAL, 0 },
		{ "1970-01-01T00:00:00Z", 0, 0 },
		{ "2026-11-28T17:00:00Z", 0, 1795885200 },
		{ "2026-11-28t17:00:00z", 0, 1795885200 },
		{ "2000-02-29T12:00:00Z", 0, 951825600 },
		{ "2038-01-19T03:14:08Z", 0, 2147483648ULL },
		{ "2100-03-01T00:00:00Z", 0, 4107542400ULL },
		{ "9999-12-31T23:59:59Z", 0, 253402300799ULL },
		{ "1969-12-31T23:59:59Z", -ERANGE, 0 },
		{ "2001-02-29T00:00:00Z", -EINVAL, 0 },
		{ "2100-02-29T00:00:00Z", -EINVAL, 0 },
		{ "2026-00-10T00:00:00Z", -EINVAL, 0 },
		{ "2026-13-10T00:00:00Z", -EINVAL, 0 },
		{ "2026-04-31T00:00:00Z", -EINVAL, 0 },
		{ "2026-04-00T00:00:00Z", -EINVAL, 0 },
		{ "2026-11-28T24:00:00Z", -EINVAL, 0 },
		{ "2026-11-28T17:60:00Z", -EINVAL, 0 },
		{ "2026-11-28T17:00:60Z", -EINVAL, 0 },
		{ "2026-11-28 17:00:00Z", -EINVAL, 0 },
		{ "2026-11-28T17:00:00", -EINVAL, 0 },
		{ "2026-11-28T17:00:00+00:00", -EINVAL, 0 },
		{ "2026-11-28T17:00:00.5Z", -EINVAL, 0 },
		{ "2026-11-28", -EINVAL, 0 },
		{ "2026-1-28T17:00:00Z", -EINVAL, 0 },
		{ "2026-11-28T17:00:00ZZ", -EINVAL, 0 },
		{ "2026/11/28T17:00:00Z", -EINVAL, 0 },
		{ "+026-11-28T17:00:00Z", -EINVAL, 0 },
	};
	struct errmsg why = { "" };
	uint64_t v;
	size_t i;
	int err;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		errmsg_clear(&why);
		v = 42;
		err = parse_time(cases[i].s, 1000, &v, &why);
		CHECK(err == cases[i].err, "parse_time(\"%s\") = %d, want %d",
		      cases[i].s, err, cases[i].err);
		if (!cases[i].err)
			CHECK(v == cases[i].v,
			      "parse_time(\"%s\") -> %llu, want %llu",
			      cases[i].s, (unsigned long long)v,
			      (unsigned long long)cases[i].v);
		else
			CHECK(why.msg[0], "parse_time(\"%s\") gave no reason",
			      cases[i].s);
	}
}

static void test_format_time(void)
{
	static const struct {
		uint64_t t;
		const char *s;
	} cases[] = {
		{ 0, "1970-01-01T00:00:00Z" },
		{ 1795885200, "2026-11-28T17:00:00Z" },
		{ 951825600, "2000-02-29T12:00:00Z" },
		{ 253402300799ULL, "9999-12-31T23:59:59Z" },
		{ 253402300800ULL, "@253402300800" },
		{ UINT64_MAX, "@18446744073709551615" },
	};
	struct errmsg why = { "" };
	char buf[32];
	uint64_t t, back;
	size_t i;
	int err;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		format_time(cases[i].t, buf, sizeof(buf));
		CHECK(!strcmp(buf, cases[i].s), "format_time(%llu) = %s, want %s",
		      (unsigned long long)cases[i].t, buf, cases[i].s);
	}
	/* parse(format(t)) == t across the whole representable range */
	for (t = 0; t <= 253402300799ULL; t += 86399ULL * 367 + 12345) {
		format_time(t, buf, sizeof(buf));
		err = parse_time(buf, 0, &back, &why);
		if (err || back != t) {
			CHECK(0, "round trip %llu -> %s -> %llu",
			      (unsigned long long)t, buf,
			      (unsigned long long)back);
			break;
		}
	}
	CHECK(t > 253402300799ULL, "round trip stopped early");
}

static bool all_zero(const uint8_t *b, size_t n)
{
	while (n--)
		if (*b++)
			return false;
	return true;
}

static void key_ok(const char *what, const void *buf, size_t len)
{
	struct errmsg why = { "" };
	uint8_t key[PC5SEC_PGK_LEN];
	int err;

	err = parse_key(buf, len, key, &why);
	CHECK(!err && !memcmp(key, want_key, sizeof(key)),
	      "key %s: err %d (%s)", what, err, why.msg);
}

/* A malformed key file: refused, key zeroed, reason containing @reason. */
static void key_bad(const char *what, const void *buf, size_t len,
		    const char *reason)
{
	struct errmsg why = { "" };
	uint8_t key[PC5SEC_PGK_LEN];
	int err;

	memset(key, 0xa5, sizeof(key));
	err = parse_key(buf, len, key, &why);
	CHECK(err == -EINVAL, "key %s: accepted (err %d)", what, err);
	CHECK(all_zero(key, sizeof(key)), "key %s: key not wiped", what);
	CHECK(strstr(why.msg, reason), "key %s: reason \"%s\" lacks \"%s\"",
	      what, why.msg, reason);
}

static void test_key(void)
{
	char buf[256];
	uint8_t raw[40];

	key_ok("hex", HEX64, 64);
	key_ok("hex+newline", HEX64 "\n", 65);
	key_ok("hex CRLF", HEX64 "\r\n", 66);
	key_ok("upper-case hex", "00112233445566778899AABBCCDDEEFF"
	       "0123456789ABCDEFFEDCBA9876543210", 64);
	snprintf(buf, sizeof(buf), "  %.32s\n\t%.32s \n\n", HEX64, &HEX64[32]);
	key_ok("hex with whitespace", buf, strlen(buf));
	snprintf(buf, sizeof(buf), "00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff\n"
		 "01 23 45 67 89 ab cd ef fe dc ba 98 76 54 32 10\n");
	key_ok("hex in byte groups", buf, strlen(buf));
	snprintf(buf, sizeof(buf), "0 0112233445566778899aabbccddeeff"
		 "0123456789abcdeffedcba987654321\f0");
	key_ok("hex split inside a byte", buf, strlen(buf));
	key_ok("raw 32 bytes", want_key, sizeof(want_key));

	/* raw bytes that happen to contain NUL, newline, 0xff */
	memcpy(raw, want_key, 32);
	raw[5] = '\n';
	{
		struct errmsg why = { "" };
		uint8_t key[PC5SEC_PGK_LEN];

		CHECK(!parse_key(raw, 32, key, &why) && !memcmp(key, raw, 32),
		      "raw key with a newline in it");
	}

	key_bad("empty", "", 0, "empty");
	key_bad("whitespace only", " \n\t\n", 4, "wrong length: 0 hex digits");
	key_bad("63 digits", HEX64, 63, "wrong length: 63 hex digits");
	key_bad("65 digits", HEX64 "0", 65, "wrong length: 65 hex digits");
	key_bad("128 digits", HEX64 HEX64, 128, "wrong length: 128 hex digits");
	key_bad("32 hex digits (a 128-bit key)", HEX64, 32,
		"wrong length: 32 hex digits");
	key_bad("1 digit", "a", 1, "wrong length: 1 hex digits");
	key_bad("bad digit g", "0011g", 5, "bad hex digit at position 5");
	key_bad("0x prefix", "0x" HEX64, 66, "bad hex digit at position 2");
	key_bad("colon separated", "00:11", 5, "bad hex digit at position 3");
	key_bad("NUL in hex", "00\0" "11", 5, "bad hex digit at position 3");
	key_bad("bad digit at the end", HEX64 "z", 65,
		"bad hex digit at position 65");
	key_bad("non-ASCII", "\xc3\xa9" HEX64, 66, "bad hex digit at position 1");
	key_bad("raw 31 bytes", want_key, 31, "31 bytes");
	memcpy(raw, want_key, 32);
	raw[32] = 0x80;
	key_bad("raw 33 bytes", raw, 33, "33 bytes");
	key_bad("raw 31 bytes, first bad", want_key, 31,
		"bad hex digit at position 1");
}

/* read_key_fd() on @len bytes of @buf through a pipe */
static int read_via_pipe(const void *buf, size_t len, uint8_t *key,
			 struct errmsg *why)
{
	int p[2], err;
	FILE *f;

	if (pipe(p))
		return -errno;
	/* a child writes, so that more than a pipe buffer can go through */
	if (fork() == 0) {
		close(p[0]);
		f = fdopen(p[1], "w");
		fwrite(buf, 1, len, f);
		fclose(f);
		_exit(0);
	}
	close(p[1]);
	err = read_key_fd(p[0], key, why);
	close(p[0]);
	while (wait(NULL) > 0)
		;
	return err;
}

static void test_read_key(void)
{
	static char big[KEY_FILE_MAX + 100];
	struct errmsg why = { "" };
	uint8_t key[PC5SEC_PGK_LEN];
	int err;

	err = read_via_pipe(HEX64 "\n", 65, key, &why);
	CHECK(!err && !memcmp(key, want_key, sizeof(key)),
	      "read_key_fd hex: %d", err);
	err = read_via_pipe(want_key, 32, key, &why);
	CHECK(!err && !memcmp(key, want_key, sizeof(key)),
	      "read_key_fd raw: %d", err);
	err = read_via_pipe("", 0, key, &why);
	CHECK(err == -EINVAL && strstr(why.msg, "empty"), "read_key_fd empty: %d",
	      err);

	/* exactly KEY_FILE_MAX bytes: the key, then blanks */
	memset(big, ' ', sizeof(big));
	memcpy(big, HEX64, 64);
	err = read_via_pipe(big, KEY_FILE_MAX, key, &why);
	CHECK(!err && !memcmp(key, want_key, sizeof(key)),
	      "read_key_fd %d bytes: %d (%s)", KEY_FILE_MAX, err, why.msg);
	err = read_via_pipe(big, KEY_FILE_MAX + 1, key, &why);
	CHECK(err == -EFBIG && strstr(why.msg, "too large"),
	      "read_key_fd %d bytes: %d", KEY_FILE_MAX + 1, err);
	err = read_via_pipe(big, sizeof(big), key, &why);
	CHECK(err == -EFBIG, "read_key_fd %zu bytes: %d", sizeof(big), err);

	err = read_key_fd(-1, key, &why);
	CHECK(err == -EBADF, "read_key_fd(-1) = %d", err);
}

static void json_case(const char *in, const char *want)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	if (!f) {
		CHECK(0, "open_memstream");
		return;
	}
	json_string(f, in);
	fclose(f);
	CHECK(!strcmp(out, want), "json_string: got %s, want %s", out, want);
	free(out);
}

static void test_json(void)
{
	json_case("", "\"\"");
	json_case("pc5", "\"pc5\"");
	json_case("a\"b", "\"a\\\"b\"");
	json_case("a\\b", "\"a\\\\b\"");
	json_case("a/b", "\"a/b\"");
	json_case("\n\t\r", "\"\\n\\t\\r\"");
	json_case("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"");
	json_case("\xc3\xa9t\xc3\xa9", "\"\xc3\xa9t\xc3\xa9\"");
	json_case("\xe2\x82\xac", "\"\xe2\x82\xac\"");
	json_case("\xf0\x9f\x93\xa1", "\"\xf0\x9f\x93\xa1\"");
	json_case("\xff", "\"\\ufffd\"");
	json_case("a\x80z", "\"a\\ufffdz\"");
	json_case("\xc0\xaf", "\"\\ufffd\\ufffd\"");		/* overlong */
	json_case("\xe0\x80\xaf", "\"\\ufffd\\ufffd\\ufffd\"");	/* overlong */
	json_case("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"");	/* surrogate */
	json_case("\xf4\x90\x80\x80",
		  "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");		/* > U+10FFFF */
	json_case("\xe2\x82", "\"\\ufffd\\ufffd\"");		/* truncated */
	json_case("\xc3", "\"\\ufffd\"");			/* truncated */
}

int main(void)
{
	test_u32();
	test_u32_range();
	test_cipher();
	test_key_state();
	test_stat_names();
	test_time();
	test_format_time();
	test_key();
	test_read_key();
	test_json();
	return check_summary();
}
