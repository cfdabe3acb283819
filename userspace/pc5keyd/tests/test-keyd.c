// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of pc5keyd's parsers (pc3.c, config.c) and state files
 * (state.c), valid and hostile inputs. Built with ASan and UBSan. Prints
 * one line per failed case and ends with "N passed, N failed".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

#include "../../parse.h"
#include "../config.h"
#include "../pc3.h"
#include "../state.h"

#include "../../tests/check.h"

#define KEY1 "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define KEY2 "FFEEDDCCBBAA99887766554433221100ffeeddccbbaa99887766554433221100"

#define HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" \
	     "<KEY_RESPONSE xmlns=\"urn:pc5sec:pc3:1\">\n" \
	     "<transaction-ID>7</transaction-ID>\n"
#define PGK(id, key, nb, na) \
	"<PGK><PGK-ID>" id "</PGK-ID><key>" key "</key>" \
	"<not-before>" nb "</not-before><expiry>" na "</expiry></PGK>\n"
#define GROUP_OPEN "<group><group-ID>000042</group-ID>" \
	"<group-member-ID>000001</group-member-ID><algorithm>eea2</algorithm>\n"
#define GOOD HEAD GROUP_OPEN \
	PGK("33", KEY1, "2026-11-28T19:00:00Z", "2026-11-28T20:00:00Z") \
	PGK("34", KEY2, "2026-11-28T19:50:00Z", "2026-11-28T21:00:00Z") \
	"</group>\n" \
	"<group><group-ID>0000aB</group-ID><error>not-authorised</error></group>\n" \
	"</KEY_RESPONSE>\n"

static int parse(const char *doc, struct pc3_response *r, struct errmsg *why)
{
	return pc3_parse_response(doc, strlen(doc), r, why);
}

static void test_good(void)
{
	struct pc3_response r;
	struct errmsg why = { "" };
	uint64_t t;
	int err = parse(GOOD, &r, &why);

	CHECK(err == 0, "good response: %d %s", err, why.msg);
	if (err)
		return;
	parse_rfc3339("2026-11-28T19:00:00Z", &t, NULL);
	CHECK(r.transaction == 7, "transaction %u", r.transaction);
	CHECK(r.ngroups == 2, "ngroups %zu", r.ngroups);
	CHECK(r.groups[0].group_id == 0x42 && r.groups[0].member == 1 &&
	      r.groups[0].cipher == PC5SEC_CIPHER_EEA2 && !r.groups[0].error[0],
	      "group 0");
	CHECK(r.groups[0].npgks == 2, "npgks %zu", r.groups[0].npgks);
	CHECK(r.groups[0].pgks[0].id == 33 && r.groups[0].pgks[0].key[1] == 1 &&
	      r.groups[0].pgks[0].key[31] == 0x1f &&
	      r.groups[0].pgks[0].not_before == t &&
	      r.groups[0].pgks[0].not_after == t + 3600, "pgk 0");
	CHECK(r.groups[0].pgks[1].id == 34 && r.groups[0].pgks[1].key[0] == 0xff,
	      "pgk 1");
	CHECK(r.groups[1].group_id == 0xab &&
	      !strcmp(r.groups[1].error, "not-authorised"), "group 1 error");

	/* round trip through the writer */
	{
		char buf[8192];
		struct pc3_response r2;

		CHECK(pc3_build_response(&r, buf, sizeof(buf)) == 0, "build");
		err = parse(buf, &r2, &why);
		CHECK(err == 0 && !memcmp(&r, &r2, sizeof(r)), "round trip: %s", why.msg);
		CHECK(pc3_build_response(&r, buf, 100) == -ENOSPC, "build ENOSPC");
		CHECK(buf[0] == 0, "wiped after ENOSPC");
	}
	pc3_response_wipe(&r);
}

struct bad {
	const char *name;
	const char *doc;
	const char *why;	/* substring of the reason */
};

static const struct bad bads[] = {
	{ "empty", "", "empty" },
	{ "not xml", "hello", "malformed" },
	{ "truncated", HEAD GROUP_OPEN, "malformed" },
	{ "wrong root", "<KEY_REQUEST xmlns=\"urn:pc5sec:pc3:1\"/>", "root element" },
	{ "no namespace", "<KEY_RESPONSE><transaction-ID>1</transaction-ID></KEY_RESPONSE>",
	  "namespace" },
	{ "wrong namespace", "<KEY_RESPONSE xmlns=\"urn:x\"/>", "namespace" },
	{ "child in other ns", "<KEY_RESPONSE xmlns=\"urn:pc5sec:pc3:1\" xmlns:x=\"urn:x\">"
	  "<x:transaction-ID>1</x:transaction-ID></KEY_RESPONSE>", "namespace" },
	{ "attribute", "<KEY_RESPONSE xmlns=\"urn:pc5sec:pc3:1\" a=\"1\"/>", "attributes" },
	{ "no groups", HEAD "</KEY_RESPONSE>", "no <group>" },
	{ "no transaction", "<KEY_RESPONSE xmlns=\"urn:pc5sec:pc3:1\"><group/></KEY_RESPONSE>",
	  "unexpected <group>" },
	{ "unknown element top", HEAD "<extra/></KEY_RESPONSE>", "unexpected <extra>" },
	{ "unknown element in group", HEAD GROUP_OPEN "<foo/></group></KEY_RESPONSE>",
	  "unexpected <foo>" },
	{ "unknown element in PGK", HEAD GROUP_OPEN
	  "<PGK><PGK-ID>1</PGK-ID><key>" KEY1 "</key><not-before>2026-11-28T19:00:00Z"
	  "</not-before><expiry>2026-11-28T20:00:00Z</expiry><x/></PGK></group></KEY_RESPONSE>",
	  "unexpected <x>" },
	{ "element order", HEAD "<group><group-member-ID>000001</group-member-ID>"
	  "<group-ID>000042</group-ID></group></KEY_RESPONSE>", "expected <group-ID>" },
	{ "missing key", HEAD GROUP_OPEN "<PGK><PGK-ID>1</PGK-ID><not-before>"
	  "2026-11-28T19:00:00Z</not-before></PGK></group></KEY_RESPONSE>", "expected <key>" },
	{ "missing expiry", HEAD GROUP_OPEN "<PGK><PGK-ID>1</PGK-ID><key>" KEY1 "</key>"
	  "<not-before>2026-11-28T19:00:00Z</not-before></PGK></group></KEY_RESPONSE>",
	  "missing <expiry>" },
	{ "no PGK", HEAD GROUP_OPEN "</group></KEY_RESPONSE>", "no PGK" },
	{ "short key", HEAD GROUP_OPEN PGK("1", "0011", "2026-11-28T19:00:00Z",
	  "2026-11-28T20:00:00Z") "</group></KEY_RESPONSE>", "hex digits" },
	{ "key not hex", HEAD GROUP_OPEN PGK("1", "zz0102030405060708090a0b0c0d0e0f"
	  "101112131415161718191a1b1c1d1e1f", "2026-11-28T19:00:00Z",
	  "2026-11-28T20:00:00Z") "</group></KEY_RESPONSE>", "not hexadecimal" },
	{ "key with spaces", HEAD GROUP_OPEN PGK("1", " " KEY1, "2026-11-28T19:00:00Z",
	  "2026-11-28T20:00:00Z") "</group></KEY_RESPONSE>", "<key>" },
	{ "PGK-ID too large", HEAD GROUP_OPEN PGK("256", KEY1, "2026-11-28T19:00:00Z",
	  "2026-11-28T20:00:00Z") "</group></KEY_RESPONSE>", "out of range" },
	{ "PGK-ID negative", HEAD GROUP_OPEN PGK("-1", KEY1, "2026-11-28T19:00:00Z",
	  "2026-11-28T20:00:00Z") "</group></KEY_RESPONSE>", "not a decimal" },
	{ "PGK-ID hex", HEAD GROUP_OPEN PGK("0x21", KEY1, "2026-11-28T19:00:00Z",
	  "2026-11-28T20:00:00Z") "</group></KEY_RESPONSE>", "not a decimal" },
	{ "PGK-ID text", HEAD GROUP_OPEN PGK("abc", KEY1, "2026-11-28T19:00:00Z",
	  "2026-11-28T20:00:00Z") "</group></KEY_RESPONSE>", "not a decimal" },
	{ "PGK index collision", HEAD GROUP_OPEN
	  PGK("1", KEY1, "2026-11-28T19:00:00Z", "2026-11-28T20:00:00Z")
	  PGK("33", KEY1, "2026-11-28T19:00:00Z", "2026-11-28T20:00:00Z")
	  "</group></KEY_RESPONSE>", "PGK Index" },
	{ "bad time", HEAD GROUP_OPEN PGK("1", KEY1, "2026-11-28 19:00:00",
	  "2026-11-28T20:00:00Z") "</group></KEY_RESPONSE>", "UTC time" },
	{ "time with offset", HEAD GROUP_OPEN PGK("1", KEY1, "2026-11-28T19:00:00+01:00",
	  "2026-11-28T20:00:00Z") "</group></KEY_RESPONSE>", "too long" },
	{ "Feb 31", HEAD GROUP_OPEN PGK("1", KEY1, "2026-02-31T19:00:00Z",
	  "2026-11-28T20:00:00Z") "</group></KEY_RESPONSE>", "UTC time" },
	{ "expiry before not-before", HEAD GROUP_OPEN PGK("1", KEY1, "2026-11-28T21:00:00Z",
	  "2026-11-28T20:00:00Z") "</group></KEY_RESPONSE>", "not after" },
	{ "unknown algorithm", HEAD "<group><group-ID>000042</group-ID>"
	  "<group-member-ID>000001</group-member-ID><algorithm>rot13</algorithm>"
	  "</group></KEY_RESPONSE>", "unknown algorithm" },
	{ "group id too long", HEAD "<group><group-ID>01000042</group-ID><error>x</error>"
	  "</group></KEY_RESPONSE>", "too long" },
	{ "group twice", HEAD "<group><group-ID>000042</group-ID><error>x</error></group>"
	  "<group><group-ID>000042</group-ID><error>y</error></group></KEY_RESPONSE>", "twice" },
	{ "error code chars", HEAD "<group><group-ID>000042</group-ID><error>a b</error>"
	  "</group></KEY_RESPONSE>", "code" },
	{ "text among elements", HEAD "hello<group/></KEY_RESPONSE>", "text in" },
	{ "nested element in leaf", HEAD "<group><group-ID><b>1</b></group-ID></group>"
	  "</KEY_RESPONSE>", "text only" },
	{ "comment", HEAD "<!-- hi --></KEY_RESPONSE>", "comment" },
	{ "CDATA key", HEAD GROUP_OPEN PGK("1", "<![CDATA[" KEY1 "]]>", "2026-11-28T19:00:00Z",
	  "2026-11-28T20:00:00Z") "</group></KEY_RESPONSE>", "text only" },
	{ "PI before root", "<?foo bar?><KEY_RESPONSE xmlns=\"urn:pc5sec:pc3:1\"/>",
	  "before the root" },
	{ "DTD", "<!DOCTYPE KEY_RESPONSE []><KEY_RESPONSE xmlns=\"urn:pc5sec:pc3:1\"/>", "DTD" },
	{ "billion laughs", "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
	  "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
	  "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>"
	  "<KEY_RESPONSE xmlns=\"urn:pc5sec:pc3:1\"><transaction-ID>&lol3;</transaction-ID>"
	  "</KEY_RESPONSE>", "DTD" },
	{ "external entity", "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM "
	  "\"file:///etc/passwd\">]><KEY_RESPONSE xmlns=\"urn:pc5sec:pc3:1\">"
	  "<transaction-ID>&x;</transaction-ID></KEY_RESPONSE>", "DTD" },
	{ "undeclared entity", HEAD "<group><group-ID>&x;</group-ID></group></KEY_RESPONSE>",
	  "malformed" },
	{ "char ref ok but bad", HEAD "<group><group-ID>&#48;&#48;0042</group-ID><error>x</error>"
	  "</group></KEY_RESPONSE>", "" },
	{ "latin1 declared", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"
	  "<KEY_RESPONSE xmlns=\"urn:pc5sec:pc3:1\"><transaction-ID>1</transaction-ID>"
	  "</KEY_RESPONSE>", "encoding" },
	{ "invalid utf-8", HEAD "<group><group-ID>\xff\xfe</group-ID></group></KEY_RESPONSE>",
	  "malformed" },
	{ "overlong utf-8", HEAD "<group><group-ID>\xc0\xaf</group-ID></group></KEY_RESPONSE>",
	  "malformed" },
	{ "after root", GOOD "<x/>", "malformed" },
	{ "transaction too big", "<KEY_RESPONSE xmlns=\"urn:pc5sec:pc3:1\">"
	  "<transaction-ID>4294967296</transaction-ID></KEY_RESPONSE>", "out of range" },
	/* issue 16: revocations and the push key */
	{ "given and revoked", HEAD GROUP_OPEN PGK("33", KEY1, "2026-11-28T19:00:00Z",
	  "2026-11-28T20:00:00Z") "<revoked-PGK-ID>33</revoked-PGK-ID></group>"
	  "</KEY_RESPONSE>", "PGK 33 both given and revoked" },
	{ "revoked twice", HEAD GROUP_OPEN "<revoked-PGK-ID>33</revoked-PGK-ID>"
	  "<revoked-PGK-ID>33</revoked-PGK-ID></group></KEY_RESPONSE>", "PGK 33 revoked twice" },
	{ "revoked before the PGKs", HEAD GROUP_OPEN "<revoked-PGK-ID>34</revoked-PGK-ID>"
	  PGK("33", KEY1, "2026-11-28T19:00:00Z", "2026-11-28T20:00:00Z") "</group>"
	  "</KEY_RESPONSE>", "unexpected <PGK> in <group>" },
	{ "revoked 256", HEAD GROUP_OPEN "<revoked-PGK-ID>256</revoked-PGK-ID></group>"
	  "</KEY_RESPONSE>", "out of range" },
	{ "nothing at all", HEAD GROUP_OPEN "</group></KEY_RESPONSE>",
	  "no PGK, no error and nothing revoked" },
	{ "push key short", HEAD "<push-key>0011</push-key><group><group-ID>000042</group-ID>"
	  "<error>x</error></group></KEY_RESPONSE>", "<push-key>: want 64 hex digits" },
	{ "push key after the groups", HEAD "<group><group-ID>000042</group-ID><error>x</error>"
	  "</group><push-key>" KEY1 "</push-key></KEY_RESPONSE>", "unexpected <push-key>" },
};

static void test_bad(void)
{
	for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		struct pc3_response r;
		struct errmsg why = { "" };
		int err = parse(bads[i].doc, &r, &why);
		static const struct pc3_response zero;

		/* "char ref ok but bad" has no error: char refs are plain text */
		if (!*bads[i].why) {
			CHECK(err == 0, "%s: %s", bads[i].name, why.msg);
			continue;
		}
		CHECK(err == -EINVAL && strstr(why.msg, bads[i].why),
		      "%s: err %d why '%s' (want '%s')", bads[i].name, err, why.msg,
		      bads[i].why);
		CHECK(!memcmp(&r, &zero, sizeof(r)), "%s: response not zeroed",
		      bads[i].name);
		CHECK(!strstr(why.msg, "0102030405"), "%s: key bytes in reason", bads[i].name);
	}
}

static void test_sizes(void)
{
	struct pc3_response r;
	struct errmsg why = { "" };
	size_t n = PC3_MAX_DOC + 1;
	char *big = malloc(n + 1), *p;
	int err;

	memset(big, ' ', n);
	big[n] = 0;
	memcpy(big, GOOD, strlen(GOOD));
	err = pc3_parse_response(big, n, &r, &why);
	CHECK(err == -EINVAL && strstr(why.msg, "exceeds"), "oversized: %s", why.msg);
	err = pc3_parse_response(GOOD, strlen(GOOD) + 1, &r, &why);
	CHECK(err == -EINVAL && strstr(why.msg, "NUL"), "NUL: %s", why.msg);
	/* UTF-16 */
	err = pc3_parse_response("\xff\xfe<\0K\0", 6, &r, &why);
	CHECK(err == -EINVAL, "UTF-16: %s", why.msg);

	/* too many PGKs and groups */
	p = big;
	p += sprintf(p, HEAD GROUP_OPEN);
	for (int i = 0; i < PC3_MAX_PGKS + 1; i++)
		p += sprintf(p, "<PGK><PGK-ID>%d</PGK-ID><key>" KEY1 "</key><not-before>"
			     "2026-11-28T19:00:00Z</not-before><expiry>2026-11-28T20:00:00Z"
			     "</expiry></PGK>", i);
	sprintf(p, "</group></KEY_RESPONSE>");
	err = parse(big, &r, &why);
	CHECK(err == -EINVAL && strstr(why.msg, "more than"), "many PGKs: %s", why.msg);
	p = big;
	p += sprintf(p, HEAD);
	for (int i = 0; i < PC3_MAX_GROUPS + 1; i++)
		p += sprintf(p, "<group><group-ID>%06X</group-ID><error>x</error></group>", i);
	sprintf(p, "</KEY_RESPONSE>");
	err = parse(big, &r, &why);
	CHECK(err == -EINVAL && strstr(why.msg, "more than"), "many groups: %s", why.msg);
	/* deep nesting inside the limit: refused by the walk, no recursion */
	p = big;
	p += sprintf(p, HEAD);
	for (int i = 0; i < 5000; i++)
		p += sprintf(p, "<a>");
	for (int i = 0; i < 5000; i++)
		p += sprintf(p, "</a>");
	sprintf(p, "</KEY_RESPONSE>");
	err = parse(big, &r, &why);
	CHECK(err == -EINVAL, "deep: %s", why.msg);
	free(big);
}

static void test_request(void)
{
	struct pc3_request q = { .transaction = 99, .ue_id = "ue-a", .ngroups = 2 };
	char buf[4096];

	q.groups[0].group_id = 0x42;
	q.groups[0].nheld = 2;
	q.groups[0].held[0] = 33;
	q.groups[0].held[1] = 34;
	q.groups[1].group_id = 0xabcdef;
	CHECK(pc3_build_request(&q, buf, sizeof(buf)) == -EINVAL, "request offering no suite");
	q.ciphers = CONF_CIPHERS_DEFAULT;
	CHECK(pc3_build_request(&q, buf, sizeof(buf)) == 0, "request");
	CHECK(strstr(buf, "  <algorithms>\n    <algorithm>aes-gcm-256</algorithm>\n"
			  "    <algorithm>chacha20-poly1305</algorithm>\n"
			  "    <algorithm>aes-gcm-128</algorithm>\n"
			  "    <algorithm>eea2</algorithm>\n"
			  "    <algorithm>eea3</algorithm>\n"
			  "    <algorithm>eea1</algorithm>\n  </algorithms>"),
	      "the default ciphers, in order, and no eea0:\n%s", buf);
	CHECK(strstr(buf, "<transaction-ID>99</transaction-ID>") &&
	      strstr(buf, "<UE-ID>ue-a</UE-ID>") &&
	      strstr(buf, "<group-ID>000042</group-ID>\n    <PGK-ID>33</PGK-ID>\n"
			  "    <PGK-ID>34</PGK-ID>") &&
	      strstr(buf, "<group-ID>ABCDEF</group-ID>"), "request text:\n%s", buf);
	CHECK(pc3_build_request(&q, buf, 64) == -ENOSPC, "request ENOSPC");
	strcpy(q.ue_id, "a<b");
	CHECK(pc3_build_request(&q, buf, sizeof(buf)) == -EINVAL, "request bad ue-id");
	CHECK(!pc3_valid_ue_id("") && pc3_valid_ue_id("imsi-001010123456789@ims"),
	      "ue ids");
}

/* The not-before of a KEY_RESPONSE whose PGK starts at @nb */
static int xml_time(const char *nb, uint64_t *t)
{
	static char doc[1024];
	struct pc3_response r;
	struct errmsg why = { "" };
	int err;

	snprintf(doc, sizeof(doc), HEAD GROUP_OPEN
		 PGK("1", KEY1, "%s", "9999-12-31T23:59:59Z")
		 "</group></KEY_RESPONSE>\n", nb);
	err = parse(doc, &r, &why);
	CHECK(err == 0 || strstr(why.msg, "<not-before>: not a UTC time"),
	      "%s: %s", nb, why.msg);
	*t = r.groups[0].pgks[0].not_before;
	pc3_response_wipe(&r);
	return err;
}

/* PC3 times: RFC 3339 as xs:dateTime has it (upper-case T and Z only) */
static void test_time(void)
{
	uint64_t t;
	char buf[32];

	CHECK(xml_time("1970-01-01T00:00:00Z", &t) == 0 && t == 0, "epoch");
	CHECK(xml_time("2026-11-28T19:00:00Z", &t) == 0 && t == 1795892400,
	      "2026: %llu", (unsigned long long)t);
	format_time(1795892400, buf, sizeof(buf));
	CHECK(!strcmp(buf, "2026-11-28T19:00:00Z"), "format %s", buf);
	CHECK(xml_time("2026-13-01T00:00:00Z", &t), "month 13");
	CHECK(xml_time("2026-11-28T24:00:00Z", &t), "hour 24");
	CHECK(xml_time("2026-11-28T19:00:00z", &t), "lower z");
	CHECK(xml_time("2026-11-28t19:00:00Z", &t), "lower t");
	CHECK(xml_time("1969-12-31T23:59:59Z", &t), "before epoch");
}

#define CONF_OK "pkmf-url = https://10.9.0.1:8443/pc3\n" \
	"ca-file = /etc/pc5sec/ca.pem\ncert-file=/etc/pc5sec/ue.pem\n" \
	"key-file=/etc/pc5sec/ue.key\nue-id = ue-a\n"

/* the form `curl --pinnedpubkey` and openssl's base64 of a SHA-256 give */
#define PIN "sha256//47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="

static void test_conf(void)
{
	static const struct { const char *text, *why; } bad[] = {
		{ "", "pkmf-url is not set" },
		{ "pkmf-url = http://x/\n", "https" },
		{ CONF_OK, "no [group" },
		{ CONF_OK "[group 0x42]\nlink = pc5\n", "link and lower" },
		{ CONF_OK "foo = 1\n", "line 6: unknown setting" },
		{ CONF_OK "[group 0x42]\nfoo = 1\n", "unknown group setting" },
		{ CONF_OK "renew-lead = -1\n", "renew-lead" },
		{ CONF_OK "renew-lead = 10x\n", "renew-lead" },
		{ CONF_OK "push-port = 65536\n", "push-port" },
		{ CONF_OK "push-port = -1\n", "push-port" },
		{ CONF_OK "retry-min = 0\n", "retry-min" },
		{ CONF_OK "retry-min = 100\nretry-max = 10\n[group 1]\nlink=a\nlower=b\n",
		  "larger" },
		{ CONF_OK "ca-file = relative.pem\n", "absolute" },
		{ CONF_OK "ue-id = a b\n", "ue-id" },
		{ CONF_OK "keyring = maybe\n", "yes or no" },
		{ CONF_OK "[group 0x1000000]\n", "24-bit" },
		{ CONF_OK "[group 0x42\n", "section" },
		{ CONF_OK "[grp 0x42]\n", "section" },
		{ CONF_OK "[group 0x42]\n[group 66]\n", "twice" },
		{ CONF_OK "[group 1]\nlink=a\nlower=b\n[group 2]\nlink=a\nlower=b\n",
		  "two groups" },
		{ CONF_OK "[group 1]\nlink=aaaaaaaaaaaaaaaaa\n", "interface" },
		{ CONF_OK "[group 1]\nlink=a/b\n", "interface" },
		{ CONF_OK "[group 1]\naddress=10.0.0.1\n", "address" },
		{ CONF_OK "[group 1]\naddress=10.0.0.256/24\n", "address" },
		{ CONF_OK "novalue\n", "key = value" },
		{ CONF_OK "ca-file =\n", "ca-file" },
		{ CONF_OK "ue-id =\n", "ue-id" },
		{ CONF_OK "ciphers = eea2 rot13\n", "ciphers: unknown suite 'rot13'" },
		{ CONF_OK "ciphers = ,\n", "ciphers: want one suite or more" },
		{ CONF_OK "pkmf-pin = sha1//AAAA\n", "pkmf-pin: want sha256//" },
		{ CONF_OK "pkmf-pin = sha256//AAAA=\n", "44 characters" },
		{ CONF_OK "pkmf-pin = " PIN ";\n", "pkmf-pin: want sha256//" },
		{ CONF_OK "pkmf-pin = " PIN " x\n", "pkmf-pin: want sha256//" },
		{ CONF_OK "crl-file = crl.pem\n", "crl-file: must be an absolute path" },
		{ CONF_OK "key-store = tpm\n", "key-store: want file, pkcs11 or tpm2" },
		{ CONF_OK "key-file = pkcs11:token=ue;object=k\n[group 1]\nlink=a\nlower=b\n",
		  "key-file in a token: pkcs11-module and pkcs11-pin-file must be set" },
		{ CONF_OK "key-file = pkcs11:token=ue; object=k\n", "key-file: a pkcs11: URI" },
		{ CONF_OK "key-file = pkcs11:token=ue;object=k;type=private?pin-value=1234\n",
		  "key-file: no PIN in the URI" },
		{ CONF_OK "tpm2-tcti = device: /dev/tpm0\n", "tpm2-tcti: want NAME[:CONFIG]" },
		{ CONF_OK "key-store = pkcs11\n[group 1]\nlink=a\nlower=b\n",
		  "pkcs11-module, pkcs11-token and pkcs11-pin-file must be set" },
		{ CONF_OK "key-store = pkcs11\npkcs11-module = /m.so\npkcs11-token = t\n"
		  "[group 1]\nlink=a\nlower=b\n", "pkcs11-pin-file must be set" },
		{ CONF_OK "pkcs11-module = m.so\n", "pkcs11-module: must be an absolute path" },
		{ CONF_OK "pkcs11-token = 0123456789012345678901234567890123\n",
		  "pkcs11-token: longer than 32" },
	};
	struct conf c;
	struct errmsg why = { "" };
	int err;

	err = conf_parse("# comment\n" CONF_OK "  renew-lead = 60 \r\n"
			 "push-port = 7447\nkeyring = yes\n\n[group 0x000042]\nlink = pc5\nlower = eth0\n"
			 "address = 10.5.0.1/24\npreprovisioned = /etc/pc5sec/g42.xml\n"
			 "[group 7]\nlink=pc7\nlower=eth1\nipv6=yes", &c, &why);
	CHECK(err == 0, "good config: %s", why.msg);
	CHECK(!strcmp(c.pkmf_url, "https://10.9.0.1:8443/pc3") &&
	      !strcmp(c.ue_id, "ue-a") && c.renew_lead == 60 && c.keyring &&
	      c.retry_min == 2 && c.retry_max == 300 && c.push_port == 7447 &&
	      !strcmp(c.state_dir, "/var/lib/pc5keyd"), "globals");
	CHECK(c.ngroups == 2 && c.groups[0].group_id == 0x42 &&
	      !strcmp(c.groups[0].link, "pc5") && !strcmp(c.groups[0].lower, "eth0") &&
	      !strcmp(c.groups[0].address, "10.5.0.1/24") && !c.groups[0].ipv6 &&
	      !strcmp(c.groups[0].preprovisioned, "/etc/pc5sec/g42.xml") &&
	      c.groups[1].group_id == 7 && c.groups[1].ipv6, "groups");
	CHECK(c.ciphers == CONF_CIPHERS_DEFAULT &&
	      !(c.ciphers & CONF_CIPHER(PC5SEC_CIPHER_EEA0)), "default ciphers: no eea0");
	err = conf_parse(CONF_OK "pkmf-pin = " PIN ";" PIN "\ncrl-file = /etc/pc5sec/crl.pem\n"
			 "[group 1]\nlink=a\nlower=b\n", &c, &why);
	CHECK(err == 0 && !strcmp(c.pkmf_pin, PIN ";" PIN) &&
	      !strcmp(c.crl_file, "/etc/pc5sec/crl.pem"), "pin and CRL: %s", why.msg);
	CHECK(c.key_store == STORE_FILE && !strcmp(c.p11_key, "pc5keyd-store") &&
	      !strcmp(c.tpm2_tcti, "device:/dev/tpmrm0"), "default key-store: file");
	err = conf_parse(CONF_OK "key-file = pkcs11:token=ue;object=pc3;type=private\n"
			 "pkcs11-module = /m.so\npkcs11-pin-file = /p\n[group 1]\nlink=a\nlower=b\n",
			 &c, &why);
	CHECK(err == 0 && !strcmp(c.key_file, "pkcs11:token=ue;object=pc3;type=private") &&
	      c.key_store == STORE_FILE, "key-file in a token: %d %s", err, why.msg);
	err = conf_parse(CONF_OK "key-store = tpm2\ntpm2-tcti = swtpm:port=2321\n"
			 "[group 1]\nlink=a\nlower=b\n", &c, &why);
	CHECK(err == 0 && c.key_store == STORE_TPM2 && !strcmp(c.tpm2_tcti, "swtpm:port=2321"),
	      "key-store tpm2: %d %s", err, why.msg);
	err = conf_parse(CONF_OK "key-store = pkcs11\npkcs11-module = /usr/lib/m.so\n"
			 "pkcs11-token = ue\npkcs11-pin-file = /etc/pc5sec/pin\n"
			 "pkcs11-key = k1\n[group 1]\nlink=a\nlower=b\n", &c, &why);
	CHECK(err == 0 && c.key_store == STORE_PKCS11 && !strcmp(c.p11_module, "/usr/lib/m.so") &&
	      !strcmp(c.p11_token, "ue") && !strcmp(c.p11_pin_file, "/etc/pc5sec/pin") &&
	      !strcmp(c.p11_key, "k1"), "key-store pkcs11: %d %s", err, why.msg);
	err = conf_parse(CONF_OK "ciphers = eea2, eea0\n[group 1]\nlink=a\nlower=b\n", &c, &why);
	CHECK(err == 0 && c.ciphers == (CONF_CIPHER(PC5SEC_CIPHER_EEA2) |
					CONF_CIPHER(PC5SEC_CIPHER_EEA0)),
	      "ciphers = eea2, eea0: %d %s %#x", err, why.msg, c.ciphers);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err = conf_parse(bad[i].text, &c, &why);
		CHECK(err == -EINVAL && strstr(why.msg, bad[i].why),
		      "config %zu: err %d '%s' (want '%s')", i, err, why.msg, bad[i].why);
	}
	{
		char *big = malloc(2000);

		memset(big, 'a', 1999);
		big[1999] = 0;
		err = conf_parse(big, &c, &why);
		CHECK(err == -EINVAL && strstr(why.msg, "too long"), "long line: %s", why.msg);
		free(big);
	}
	err = conf_load("/nonexistent/pc5keyd.conf", &c, &why);
	CHECK(err == -ENOENT && strstr(why.msg, "No such file"), "missing file: %s", why.msg);
}

static void test_state(void)
{
	char dir[] = "/tmp/test-keyd.XXXXXX";
	struct wm_table t = { 0 }, t2 = { 0 };
	struct errmsg why = { "" };
	char path[512];
	struct stat st;
	int err;

	CHECK(mkdtemp(dir) != NULL, "mkdtemp");
	err = wm_load(dir, 0x42, &t, &why);
	CHECK(err == 0 && t.n == 0, "no watermark yet: %d %s", err, why.msg);
	wm_set(&t, 33, 64);
	wm_set(&t, 34, 1000);
	wm_set(&t, 33, 96);
	CHECK(t.n == 2 && wm_get(&t, 33) == 96 && wm_get(&t, 34) == 1000 &&
	      wm_get(&t, 35) == 0, "set/get");
	err = wm_save(dir, 0x42, &t, &why);
	CHECK(err == 0, "save: %s", why.msg);
	snprintf(path, sizeof(path), "%s/watermark-000042", dir);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600, "mode 0600");
	err = wm_load(dir, 0x42, &t2, &why);
	CHECK(err == 0 && t2.n == 2 && wm_get(&t2, 33) == 96 &&
	      wm_get(&t2, 34) == 1000, "load: %s", why.msg);
	/* an older pc5keyd's lines: no key, no not-after, kept for good */
	CHECK(t2.e[0].not_after == 0 && !t2.e[0].has_fp, "older line");
	{
		FILE *f = fopen(path, "w");

		fputs("pgk 33 ptk x\n", f);
		fclose(f);
		err = wm_load(dir, 0x42, &t2, &why);
		CHECK(err == -EINVAL && strstr(why.msg, "line 1"), "corrupt: %s", why.msg);
	}
	{
		char xml[] = GOOD, got[8192];
		size_t len = sizeof(got);

		err = state_write_file(dir, "keys-000042.xml", xml, strlen(xml), &why);
		CHECK(err == 0, "write keys: %s", why.msg);
		err = state_read_file(dir, "keys-000042.xml", got, &len, &why);
		CHECK(err == 0 && len == strlen(xml) && !memcmp(got, xml, len),
		      "read keys: %s", why.msg);
		snprintf(path, sizeof(path), "%s/keys-000042.xml", dir);
		CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600, "keys 0600");
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/watermark-000042", dir);
	unlink(path);
	rmdir(dir);
}

/* The writer's output and the documented examples are valid against
 * Documentation/pc3/pc3.xsd, and the parser accepts the example.
 */
static bool schema_valid(const char *xsd, const char *doc)
{
	xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt(xsd);
	xmlSchemaPtr schema = pc ? xmlSchemaParse(pc) : NULL;
	xmlSchemaValidCtxtPtr vc = schema ? xmlSchemaNewValidCtxt(schema) : NULL;
	xmlDocPtr d = xmlReadMemory(doc, (int)strlen(doc), "doc", NULL, XML_PARSE_NONET);
	bool ok = vc && d && xmlSchemaValidateDoc(vc, d) == 0;

	xmlFreeDoc(d);
	xmlSchemaFreeValidCtxt(vc);
	xmlSchemaFree(schema);
	xmlSchemaFreeParserCtxt(pc);
	return ok;
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	CHECK(f && fputs(text, f) >= 0 && fclose(f) == 0, "write %s", path);
}

/*
 * Watermarks per PGK identity (ID and key fingerprint): a different key
 * under a reused ID starts afresh, the same key never goes back, an
 * entry without fingerprint holds every key of its ID, and entries go
 * only WM_GRACE after their not-after.
 */
static void test_wm_identity(void)
{
	char dir[] = "/tmp/test-keyd.XXXXXX", path[512];
	static struct wm_table t, t2;
	struct wm_key a = { .pgk_id = 1, .has_fp = true, .fp = { 0xaa },
			    .not_after = 5000 };
	struct wm_key b = { .pgk_id = 1, .has_fp = true, .fp = { 0xbb },
			    .not_after = 6000 };
	struct wm_key meta = { .pgk_id = 1, .not_after = 7000 };
	struct errmsg why = { "" };
	int err;

	CHECK(mkdtemp(dir) != NULL, "mkdtemp");
	memset(&t, 0, sizeof(t));
	CHECK(wm_reserve(&t, &a, 52) == 0 && wm_start(&t, &a) == 52, "a at 52");
	CHECK(wm_start(&t, &b) == 0, "another key under ID 1 starts at %u",
	      wm_start(&t, &b));
	CHECK(wm_reserve(&t, &b, 32) == 0 && wm_start(&t, &a) == 52 &&
	      wm_start(&t, &b) == 32, "two keys under ID 1");
	CHECK(wm_reserve(&t, &a, 40) == 0 && wm_start(&t, &a) == 52, "a went back");
	/* a key whose bytes are not here may be either */
	CHECK(wm_start(&t, &meta) == 52, "no fingerprint: %u", wm_start(&t, &meta));
	CHECK(wm_get(&t, 1) == 52 && wm_get(&t, 2) == 0, "wm_get");

	/* extended by the PKMF: kept as long as the later not-after */
	a.not_after = 9000;
	CHECK(wm_note(&t, &a) && !wm_note(&t, &a), "noted once");

	/* round trip, fingerprints and not-afters included */
	CHECK(wm_reserve(&t, &meta, 70) == 0, "meta");
	err = wm_save(dir, 0x42, &t, &why);
	CHECK(err == 0, "save: %s", why.msg);
	err = wm_load(dir, 0x42, &t2, &why);
	CHECK(err == 0 && t2.n == 3 && wm_start(&t2, &a) == 70 &&
	      t2.e[0].not_after == 9000 && t2.e[1].not_after == 6000 &&
	      !t2.e[2].has_fp, "load: %d %s", err, why.msg);
	{
		struct wm_key a2 = a;

		a2.not_after = 1;
		/* an entry with fingerprint is found by it alone */
		CHECK(wm_reserve(&t2, &a2, 80) == 0 && t2.n == 3 &&
		      t2.e[0].reserved == 80 && t2.e[0].not_after == 9000, "a again");
	}

	/* expiry: WM_GRACE after not-after, unless kept; a no-fp entry folds in */
	t2.e[0].reserved = 52;
	CHECK(wm_expire(&t2, 6000 + WM_GRACE, NULL, NULL) == 0 && t2.n == 3,
	      "expired within the grace");
	CHECK(wm_expire(&t2, 7001 + WM_GRACE, NULL, NULL) == 2 && t2.n == 1 &&
	      t2.e[0].not_after == 9000 && t2.e[0].reserved == 70,
	      "b and meta dropped, meta's 70 folded into a: n %zu r %u", t2.n,
	      t2.e[0].reserved);
	CHECK(wm_expire(&t2, UINT64_MAX / 2, NULL, NULL) == 1 && t2.n == 0, "a dropped");
	CHECK(wm_set(&t2, 9, 5) == 0 && wm_expire(&t2, UINT64_MAX / 2, NULL, NULL) == 0,
	      "an entry without not-after is kept for good");

	/* a later line must never lower a watermark: duplicates are refused */
	snprintf(path, sizeof(path), "%s/watermark-000042", dir);
	write_text(path, "pgk-id 1 key aa00000000000000 not-after 5000 reserved 52\n"
			 "pgk-id 1 key aa00000000000000 not-after 5000 reserved 0\n");
	err = wm_load(dir, 0x42, &t2, &why);
	CHECK(err == -EINVAL && strstr(why.msg, "line 2: PGK 1 twice") && t2.n == 0,
	      "duplicate: %d %s", err, why.msg);
	write_text(path, "pgk-id 1 reserved 52\npgk-id 1 reserved 0\n");
	err = wm_load(dir, 0x42, &t2, &why);
	CHECK(err == -EINVAL && strstr(why.msg, "line 2: PGK 1 twice"),
	      "older duplicate: %d %s", err, why.msg);
	write_text(path, "pgk-id 1 key aa00000000000000 not-after 0 reserved 52\n");
	CHECK(wm_load(dir, 0x42, &t2, &why) == -EINVAL, "fingerprint without not-after");
	write_text(path, "pgk-id 1 key aa0000000000000 not-after 5 reserved 52\n");
	CHECK(wm_load(dir, 0x42, &t2, &why) == -EINVAL, "short fingerprint");
	write_text(path, "pgk-id 1 key - not-after 5 reserved 52 x\n");
	CHECK(wm_load(dir, 0x42, &t2, &why) == -EINVAL, "trailing text");
	write_text(path, "pgk-id 1 key - not-after 5 reserved 52\n"
			 "pgk-id 1 key - not-after 6 reserved 52\n"
			 "pgk-id 1 reserved 7\n");
	CHECK(wm_load(dir, 0x42, &t2, &why) == 0 && t2.n == 3, "no-fp entries: %s",
	      why.msg);
	unlink(path);
	rmdir(dir);
}

/* issue 16: what a PKMF revokes, and the key of its pushes */
static void test_revoked(void)
{
	static const char doc[] = HEAD "<push-key>" KEY1 "</push-key>\n" GROUP_OPEN
		PGK("34", KEY2, "2026-11-28T19:50:00Z", "2026-11-28T21:00:00Z")
		"<revoked-PGK-ID>33</revoked-PGK-ID><revoked-PGK-ID>1</revoked-PGK-ID>"
		"</group>\n<group><group-ID>000043</group-ID><error>not-authorised</error>"
		"<revoked-PGK-ID>7</revoked-PGK-ID></group>\n"
		"<group><group-ID>000044</group-ID><group-member-ID>000001</group-member-ID>"
		"<algorithm>eea2</algorithm><revoked-PGK-ID>9</revoked-PGK-ID></group>\n"
		"</KEY_RESPONSE>\n";
	static struct pc3_response r;
	struct errmsg why = { "" };
	char buf[8192];
	int err = parse(doc, &r, &why);

	CHECK(err == 0, "revocations: %s", why.msg);
	if (err)
		return;
	CHECK(r.has_push_key && r.push_key[1] == 0x01 && r.push_key[31] == 0x1f,
	      "push key");
	CHECK(r.groups[0].npgks == 1 && r.groups[0].nrevoked == 2 &&
	      r.groups[0].revoked[0] == 33 && r.groups[0].revoked[1] == 1 &&
	      pc3_revokes(&r.groups[0], 33) && !pc3_revokes(&r.groups[0], 34),
	      "group 42 revokes 33 and 1");
	CHECK(!strcmp(r.groups[1].error, "not-authorised") && r.groups[1].nrevoked == 1 &&
	      r.groups[1].revoked[0] == 7, "a refused group revokes too");
	CHECK(r.groups[2].npgks == 0 && r.groups[2].nrevoked == 1, "a revocation alone");
	/* the stored form keeps the revocations, never the push key */
	CHECK(pc3_build_response(&r, buf, sizeof(buf)) == 0 &&
	      strstr(buf, "</PGK>\n    <revoked-PGK-ID>33</revoked-PGK-ID>\n"
			  "    <revoked-PGK-ID>1</revoked-PGK-ID>\n  </group>") &&
	      strstr(buf, "<error>not-authorised</error>\n    <revoked-PGK-ID>7</revoked-PGK-ID>") &&
	      !strstr(buf, "push") && !strstr(buf, "0102030405"), "written back:\n%s", buf);
	pc3_response_wipe(&r);
}

/* The stored keys: a response, plus the unexpired PGKs it left out */
static void test_merge(void)
{
	static struct pc3_group dst, old;

	memset(&dst, 0, sizeof(dst));
	memset(&old, 0, sizeof(old));
	dst.npgks = 1;
	dst.pgks[0].id = 2;
	dst.pgks[0].not_after = 100;
	old.npgks = 4;
	old.pgks[0].id = 1;		/* left out, valid: kept */
	old.pgks[0].not_after = 100;
	old.pgks[0].key[0] = 0x11;
	old.pgks[1].id = 3;		/* expired: dropped */
	old.pgks[1].not_after = 50;
	old.pgks[2].id = 2;		/* in the response: the response's */
	old.pgks[2].not_after = 90;
	old.pgks[3].id = 34;		/* PGK Index 2, taken: dropped */
	old.pgks[3].not_after = 100;
	CHECK(pc3_group_merge(&dst, &old, 50) == 1 && dst.npgks == 2 &&
	      dst.pgks[0].id == 2 && dst.pgks[0].not_after == 100 &&
	      dst.pgks[1].id == 1 && dst.pgks[1].key[0] == 0x11, "merge: %zu", dst.npgks);
	/* room for PC3_MAX_PGKS at most */
	dst.npgks = PC3_MAX_PGKS;
	for (size_t i = 0; i < PC3_MAX_PGKS; i++)
		dst.pgks[i].id = (uint8_t)(8 + i);
	CHECK(pc3_group_merge(&dst, &old, 50) == 0 && dst.npgks == PC3_MAX_PGKS, "full");
	/* a PGK the response revokes does not come back from the store */
	dst.npgks = 1;
	dst.pgks[0].id = 2;
	dst.nrevoked = 1;
	dst.revoked[0] = 1;
	CHECK(pc3_group_merge(&dst, &old, 50) == 0 && dst.npgks == 1, "revoked: not kept");
}

static void test_schema(void)
{
	const char *xsd = "../Documentation/pc3/pc3.xsd";
	struct pc3_request q = { .transaction = 4294967295u, .ue_id = "ue-a", .ngroups = 1,
				 .ciphers = ~0u };
	struct pc3_response r;
	struct errmsg why = { "" };
	char buf[8192];
	size_t len = sizeof(buf) - 1;
	FILE *f;

	q.groups[0].group_id = 0xffffff;
	q.groups[0].nheld = 1;
	q.groups[0].held[0] = 255;
	CHECK(pc3_build_request(&q, buf, sizeof(buf)) == 0 && schema_valid(xsd, buf),
	      "KEY_REQUEST valid against the schema");
	q.push_port = 65535;
	CHECK(pc3_build_request(&q, buf, sizeof(buf)) == 0 &&
	      strstr(buf, "</algorithms>\n  <push-port>65535</push-port>\n  <group>") &&
	      schema_valid(xsd, buf), "KEY_REQUEST with a push port valid:\n%s", buf);
	/* a response with revocations (and a push key) against the schema */
	strcpy(buf, HEAD "<push-key>" KEY1 "</push-key>" GROUP_OPEN "<revoked-PGK-ID>33"
	       "</revoked-PGK-ID></group><group><group-ID>000043</group-ID><error>x</error>"
	       "<revoked-PGK-ID>7</revoked-PGK-ID></group></KEY_RESPONSE>\n");
	CHECK(schema_valid(xsd, buf) && parse(buf, &r, &why) == 0,
	      "revocations valid against the schema: %s", why.msg);
	pc3_response_wipe(&r);
	CHECK(parse(GOOD, &r, &why) == 0, "good");
	CHECK(pc3_build_response(&r, buf, sizeof(buf)) == 0 && schema_valid(xsd, buf),
	      "KEY_RESPONSE valid against the schema");
	pc3_response_wipe(&r);
	f = fopen("../Documentation/pc3/key-response.xml", "r");
	CHECK(f != NULL, "example response");
	if (!f)
		return;
	len = fread(buf, 1, len, f);
	buf[len] = 0;
	fclose(f);
	CHECK(schema_valid(xsd, buf), "example valid");
	CHECK(pc3_parse_response(buf, len, &r, &why) == 0 && r.ngroups == 2 &&
	      r.groups[0].npgks == 2 && !strcmp(r.groups[1].error, "not-authorised"),
	      "example parsed: %s", why.msg);
	pc3_response_wipe(&r);
}

/* pc3_init() before any libxml2 use: its allocator is libxml2's from here */
static void test_xml_alloc(void)
{
	xmlFreeFunc f = NULL;
	xmlMallocFunc m = NULL;
	char *p;

	CHECK(pc3_init() == 0, "pc3_init");
	xmlMemGet(&f, &m, NULL, NULL);
	CHECK(f && f != free && m && m != malloc, "libxml2 frees through the wiping allocator");
	p = xmlMalloc(100);
	CHECK(p != NULL, "xmlMalloc");
	memset(p, 0xaa, 100);
	p = xmlRealloc(p, 4000);
	CHECK(p && (unsigned char)p[99] == 0xaa, "xmlRealloc keeps the bytes");
	xmlFree(p);
}

int main(void)
{
	test_xml_alloc();
	test_good();
	test_bad();
	test_sizes();
	test_request();
	test_time();
	test_conf();
	test_state();
	test_wm_identity();
	test_revoked();
	test_merge();
	test_schema();
	return check_summary();
}
