// SPDX-License-Identifier: GPL-2.0
/*
 * PC3 KEY_REQUEST / KEY_RESPONSE (see pc3.h and Documentation/pc3/).
 *
 * The parser trusts nothing: libxml2 reads the document without loading
 * or even accepting a DTD (no XML_PARSE_DTDLOAD, no XML_PARSE_NOENT, so no
 * entity is ever expanded, and XML_PARSE_NONET), then a hand-written walk
 * accepts exactly the schema: element by element, in order, with every
 * value checked. Anything else is an error with a reason.
 */
#include <errno.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "../parse.h"
#include "pc3.h"

void pc3_response_wipe(struct pc3_response *resp)
{
	explicit_bzero(resp, sizeof(*resp));
}

size_t pc3_group_merge(struct pc3_group *dst, const struct pc3_group *old,
		       uint64_t now)
{
	size_t added = 0;

	for (size_t i = 0; i < old->npgks && dst->npgks < PC3_MAX_PGKS; i++) {
		const struct pc3_pgk *p = &old->pgks[i];
		bool clash = p->not_after <= now || pc3_revokes(dst, p->id);

		/* one PGK per Index in a group, the newer response's first */
		for (size_t j = 0; j < dst->npgks && !clash; j++)
			clash = (dst->pgks[j].id & 0x1f) == (p->id & 0x1f);
		if (clash)
			continue;
		dst->pgks[dst->npgks++] = *p;
		added++;
	}
	return added;
}

bool pc3_revokes(const struct pc3_group *g, uint8_t id)
{
	for (size_t i = 0; i < g->nrevoked; i++)
		if (g->revoked[i] == id)
			return true;
	return false;
}

bool pc3_valid_ue_id(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > PC3_UE_ID_MAX)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || strchr("._@:+-", *s)))
			return false;
	return true;
}

/* ---- the walk over the document ---- */

static const char *name_of(const xmlNode *n)
{
	return (const char *)n->name;
}

/* The next element sibling from @n on; NULL at the end. Refuses anything
 * but elements and whitespace-only text between them.
 */
static int next_elem(const xmlNode *n, const xmlNode **out, const char *in,
		     struct errmsg *why)
{
	for (; n; n = n->next) {
		if (n->type == XML_ELEMENT_NODE) {
			if (!n->ns || !n->ns->href ||
			    strcmp((const char *)n->ns->href, PC3_NS))
				return fail(why, -EINVAL, "<%s> in <%s> is not in namespace %s",
					    name_of(n), in, PC3_NS);
			if (n->properties)
				return fail(why, -EINVAL, "<%s> has attributes; the schema has none",
					    name_of(n));
			*out = n;
			return 0;
		}
		if (n->type == XML_TEXT_NODE) {
			const char *c = (const char *)n->content;

			if (c && c[strspn(c, " \t\r\n")])
				return fail(why, -EINVAL, "text in <%s> where elements belong", in);
			continue;
		}
		if (n->type == XML_ENTITY_REF_NODE)
			return fail(why, -EINVAL, "entity reference in <%s>: entities are not accepted", in);
		if (n->type == XML_COMMENT_NODE)
			return fail(why, -EINVAL, "comment in <%s>: not accepted", in);
		return fail(why, -EINVAL, "unexpected node (type %d) in <%s>", n->type, in);
	}
	*out = NULL;
	return 0;
}

/* Expects element @name at *@cur; advances *@cur past it. */
static int want(const xmlNode **cur, const char *name, const char *in,
		const xmlNode **out, struct errmsg *why)
{
	const xmlNode *n;
	int err = next_elem(*cur, &n, in, why);

	if (err)
		return err;
	if (!n)
		return fail(why, -EINVAL, "missing <%s> in <%s>", name, in);
	if (strcmp(name_of(n), name))
		return fail(why, -EINVAL, "unexpected <%s> in <%s> (expected <%s>)",
			    name_of(n), in, name);
	*out = n;
	*cur = n->next;
	return 0;
}

/* Is the element at *@cur named @name? (without consuming it) */
static int peek(const xmlNode *cur, const char *name, const char *in,
		bool *yes, struct errmsg *why)
{
	const xmlNode *n;
	int err = next_elem(cur, &n, in, why);

	if (err)
		return err;
	*yes = n && !strcmp(name_of(n), name);
	return 0;
}

static int end_of(const xmlNode *cur, const char *in, struct errmsg *why)
{
	const xmlNode *n;
	int err = next_elem(cur, &n, in, why);

	if (err)
		return err;
	if (n)
		return fail(why, -EINVAL, "unexpected <%s> in <%s>", name_of(n), in);
	return 0;
}

/*
 * The text of a leaf element: exactly one text node (or none: empty), at
 * most @max bytes. The returned pointer is the node's own content.
 */
static int leaf(const xmlNode *e, size_t max, const char **text, struct errmsg *why)
{
	const xmlNode *c = e->children;

	if (!c) {
		*text = "";
		return 0;
	}
	if (c->next || c->type != XML_TEXT_NODE) {
		if (c->type == XML_ENTITY_REF_NODE)
			return fail(why, -EINVAL, "entity reference in <%s>: entities are not accepted",
				    name_of(e));
		return fail(why, -EINVAL, "<%s> must hold text only", name_of(e));
	}
	if (strlen((const char *)c->content) > max)
		return fail(why, -EINVAL, "<%s> is too long", name_of(e));
	*text = (const char *)c->content;
	return 0;
}

static int leaf_uint(const xmlNode *e, uint32_t max, uint32_t *out, struct errmsg *why)
{
	const char *t = "";
	int err = leaf(e, 16, &t, why);
	unsigned long v = 0;

	if (err)
		return err;
	if (!*t || strlen(t) > 10)
		return fail(why, -EINVAL, "<%s>: not a decimal number", name_of(e));
	for (const char *p = t; *p; p++) {
		if (*p < '0' || *p > '9')
			return fail(why, -EINVAL, "<%s>: not a decimal number", name_of(e));
		v = v * 10 + (unsigned long)(*p - '0');
	}
	if (v > max)
		return fail(why, -EINVAL, "<%s>: %lu is out of range (0-%u)", name_of(e), v, max);
	*out = (uint32_t)v;
	return 0;
}

/* hexBinary of exactly @n octets */
static int leaf_hex(const xmlNode *e, uint8_t *out, size_t n, struct errmsg *why)
{
	const char *t = "";
	int err = leaf(e, 2 * n, &t, why);
	size_t bad;

	if (err)
		return err;
	if (strlen(t) != 2 * n)
		return fail(why, -EINVAL, "<%s>: want %zu hex digits", name_of(e), 2 * n);
	if (hex_decode(t, 2 * n, false, out, n, &bad) < 0) {
		explicit_bzero(out, n);
		return fail(why, -EINVAL, "<%s>: not hexadecimal", name_of(e));
	}
	return 0;
}

static int leaf_id24(const xmlNode *e, uint32_t *out, struct errmsg *why)
{
	uint8_t b[3];
	int err = leaf_hex(e, b, 3, why);

	if (err)
		return err;
	*out = (uint32_t)b[0] << 16 | (uint32_t)b[1] << 8 | b[2];
	return 0;
}

static int leaf_time(const xmlNode *e, uint64_t *out, struct errmsg *why)
{
	const char *t = "";
	int err = leaf(e, 20, &t, why);

	if (err)
		return err;
	/*
	 * xs:dateTime, the schema's type, has only upper-case T and Z, where
	 * RFC 3339 also allows lower case.
	 */
	if (strpbrk(t, "tz") || parse_rfc3339(t, out, NULL))
		return fail(why, -EINVAL, "<%s>: not a UTC time YYYY-MM-DDTHH:MM:SSZ", name_of(e));
	return 0;
}

static int parse_pgk(const xmlNode *e, struct pc3_pgk *p, struct errmsg *why)
{
	const xmlNode *cur = e->children, *n;
	uint32_t v;
	int err;

	if ((err = want(&cur, "PGK-ID", "PGK", &n, why)) ||
	    (err = leaf_uint(n, 255, &v, why)))
		return err;
	p->id = (uint8_t)v;
	if ((err = want(&cur, "key", "PGK", &n, why)) ||
	    (err = leaf_hex(n, p->key, sizeof(p->key), why)))
		return err;
	if ((err = want(&cur, "not-before", "PGK", &n, why)) ||
	    (err = leaf_time(n, &p->not_before, why)))
		return err;
	if ((err = want(&cur, "expiry", "PGK", &n, why)) ||
	    (err = leaf_time(n, &p->not_after, why)))
		return err;
	if ((err = end_of(cur, "PGK", why)))
		return err;
	if (p->not_after <= p->not_before)
		return fail(why, -EINVAL, "PGK %u: expiry is not after not-before", p->id);
	return 0;
}

/*
 * The <revoked-PGK-ID>s that end a group, each at most once and none of
 * them a PGK the group gives.
 */
static int parse_revoked(const xmlNode **cur, struct pc3_group *g, struct errmsg *why)
{
	const xmlNode *n;
	uint32_t v;
	bool yes;
	int err;

	for (;;) {
		if ((err = peek(*cur, "revoked-PGK-ID", "group", &yes, why)))
			return err;
		if (!yes)
			break;
		if (g->nrevoked == PC3_MAX_PGKS)
			return fail(why, -EINVAL, "group %06x: more than %d revoked PGKs",
				    g->group_id, PC3_MAX_PGKS);
		if ((err = want(cur, "revoked-PGK-ID", "group", &n, why)) ||
		    (err = leaf_uint(n, 255, &v, why)))
			return err;
		if (pc3_revokes(g, (uint8_t)v))
			return fail(why, -EINVAL, "group %06x: PGK %u revoked twice",
				    g->group_id, v);
		for (size_t i = 0; i < g->npgks; i++)
			if (g->pgks[i].id == v)
				return fail(why, -EINVAL, "group %06x: PGK %u both given and revoked",
					    g->group_id, v);
		g->revoked[g->nrevoked++] = (uint8_t)v;
	}
	return end_of(*cur, "group", why);
}

static int parse_group(const xmlNode *e, struct pc3_group *g, struct errmsg *why)
{
	const xmlNode *cur = e->children, *n;
	const char *t = "";
	bool yes;
	int err;

	if ((err = want(&cur, "group-ID", "group", &n, why)) ||
	    (err = leaf_id24(n, &g->group_id, why)))
		return err;
	if ((err = peek(cur, "error", "group", &yes, why)))
		return err;
	if (yes) {
		if ((err = want(&cur, "error", "group", &n, why)) ||
		    (err = leaf(n, PC3_ERROR_MAX - 1, &t, why)))
			return err;
		if (!*t || t[strspn(t, "abcdefghijklmnopqrstuvwxyz-")])
			return fail(why, -EINVAL, "group %06x: <error> must be a code of a-z and '-'",
				    g->group_id);
		strcpy(g->error, t);
		return parse_revoked(&cur, g, why);
	}
	if ((err = want(&cur, "group-member-ID", "group", &n, why)) ||
	    (err = leaf_id24(n, &g->member, why)))
		return err;
	if ((err = want(&cur, "algorithm", "group", &n, why)) ||
	    (err = leaf(n, 32, &t, why)))
		return err;
	if (parse_cipher(t, &g->cipher))
		return fail(why, -EINVAL, "group %06x: unknown algorithm", g->group_id);
	for (;;) {
		if ((err = peek(cur, "PGK", "group", &yes, why)))
			return err;
		if (!yes)
			break;
		if (g->npgks == PC3_MAX_PGKS)
			return fail(why, -EINVAL, "group %06x: more than %d PGKs",
				    g->group_id, PC3_MAX_PGKS);
		if ((err = want(&cur, "PGK", "group", &n, why)) ||
		    (err = parse_pgk(n, &g->pgks[g->npgks], why)))
			return err;
		for (size_t i = 0; i < g->npgks; i++)
			if ((g->pgks[i].id & 0x1f) == (g->pgks[g->npgks].id & 0x1f))
				return fail(why, -EINVAL, "group %06x: PGK IDs %u and %u share a PGK Index",
					    g->group_id, g->pgks[i].id,
					    g->pgks[g->npgks].id);
		g->npgks++;
	}
	if ((err = parse_revoked(&cur, g, why)))
		return err;
	if (!g->npgks && !g->nrevoked)
		return fail(why, -EINVAL, "group %06x: no PGK, no error and nothing revoked",
			    g->group_id);
	return 0;
}

static int walk(const xmlDoc *doc, struct pc3_response *r, struct errmsg *why)
{
	const xmlNode *root = xmlDocGetRootElement((xmlDoc *)doc), *cur, *n;
	uint32_t v;
	bool yes;
	int err;

	if (doc->intSubset || doc->extSubset)
		return fail(why, -EINVAL, "document has a DTD: not accepted");
	if (!root)
		return fail(why, -EINVAL, "empty document");
	if (strcmp(name_of(root), "KEY_RESPONSE"))
		return fail(why, -EINVAL, "root element is <%s>, not <KEY_RESPONSE>", name_of(root));
	if (!root->ns || strcmp((const char *)root->ns->href, PC3_NS))
		return fail(why, -EINVAL, "<KEY_RESPONSE> is not in namespace %s", PC3_NS);
	if (root->properties)
		return fail(why, -EINVAL, "<KEY_RESPONSE> has attributes; the schema has none");
	if (root->prev)
		return fail(why, -EINVAL, "something before the root element (DTD, comment or PI)");
	if (root->next)
		return fail(why, -EINVAL, "something after the root element");
	cur = root->children;
	if ((err = want(&cur, "transaction-ID", "KEY_RESPONSE", &n, why)) ||
	    (err = leaf_uint(n, UINT32_MAX, &v, why)))
		return err;
	r->transaction = v;
	if ((err = peek(cur, "push-key", "KEY_RESPONSE", &yes, why)))
		return err;
	if (yes) {
		if ((err = want(&cur, "push-key", "KEY_RESPONSE", &n, why)) ||
		    (err = leaf_hex(n, r->push_key, sizeof(r->push_key), why)))
			return err;
		r->has_push_key = true;
	}
	for (;;) {
		if ((err = peek(cur, "group", "KEY_RESPONSE", &yes, why)))
			return err;
		if (!yes)
			break;
		if (r->ngroups == PC3_MAX_GROUPS)
			return fail(why, -EINVAL, "more than %d groups", PC3_MAX_GROUPS);
		if ((err = want(&cur, "group", "KEY_RESPONSE", &n, why)) ||
		    (err = parse_group(n, &r->groups[r->ngroups], why)))
			return err;
		for (size_t i = 0; i < r->ngroups; i++)
			if (r->groups[i].group_id == r->groups[r->ngroups].group_id)
				return fail(why, -EINVAL, "group %06x listed twice",
					    r->groups[i].group_id);
		r->ngroups++;
	}
	if ((err = end_of(cur, "KEY_RESPONSE", why)))
		return err;
	if (!r->ngroups)
		return fail(why, -EINVAL, "no <group> in <KEY_RESPONSE>");
	return 0;
}

/* Key material lives in the tree's text nodes: wipe them before freeing. */
static void wipe_tree(xmlNode *n)
{
	for (; n; n = n->next) {
		if ((n->type == XML_TEXT_NODE ||
		     n->type == XML_CDATA_SECTION_NODE) && n->content &&
		    n->content != (xmlChar *)&n->properties)
			explicit_bzero(n->content, strlen((char *)n->content));
		wipe_tree(n->children);
	}
}

static void no_errors(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/*
 * libxml2's allocator, wiping: the parser copies the whole document into
 * its input buffers (and PGK text into nodes); without this, those copies
 * of key bytes went back to the heap as they were. A size header in front
 * of each block (16 bytes, so that alignment stays malloc's) tells free how
 * much to wipe.
 */
#define WIPE_HDR 16

static void *wipe_malloc(size_t n)
{
	size_t *p;

	if (n > SIZE_MAX - WIPE_HDR)
		return NULL;
	p = malloc(n + WIPE_HDR);
	if (!p)
		return NULL;
	*p = n;
	return (char *)p + WIPE_HDR;
}

static void wipe_free(void *q)
{
	char *p;

	if (!q)
		return;
	p = (char *)q - WIPE_HDR;
	explicit_bzero(p, *(size_t *)(void *)p + WIPE_HDR);
	free(p);
}

static void *wipe_realloc(void *q, size_t n)
{
	size_t old;
	void *r;

	if (!q)
		return wipe_malloc(n);
	old = *(size_t *)(void *)((char *)q - WIPE_HDR);
	r = wipe_malloc(n);
	if (!r)
		return NULL;
	memcpy(r, q, old < n ? old : n);
	wipe_free(q);
	return r;
}

static char *wipe_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *r = wipe_malloc(n);

	if (r)
		memcpy(r, s, n);
	return r;
}

int pc3_init(void)
{
	return xmlMemSetup(wipe_free, wipe_malloc, wipe_realloc, wipe_strdup) ? -EINVAL : 0;
}

int pc3_parse_response(const char *buf, size_t len, struct pc3_response *resp,
		       struct errmsg *why)
{
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc;
	int err;

	memset(resp, 0, sizeof(*resp));
	errmsg_clear(why);
	if (len == 0)
		return fail(why, -EINVAL, "empty response");
	if (len > PC3_MAX_DOC)
		return fail(why, -EINVAL, "response of %zu bytes exceeds %d", len, PC3_MAX_DOC);
	/* UTF-16/32 (or binary) would have NULs: only UTF-8 is accepted. */
	if (memchr(buf, '\0', len))
		return fail(why, -EINVAL, "NUL byte in the document: only UTF-8 XML is accepted");

	/* Never even hand a DTD to libxml2 (entity expansion, external ids) */
	if (memmem(buf, len, "<!DOCTYPE", 9) || memmem(buf, len, "<!ENTITY", 8))
		return fail(why, -EINVAL, "document has a DTD or entity declaration: not accepted");

	xmlSetGenericErrorFunc(NULL, no_errors);
	ctxt = xmlNewParserCtxt();
	if (!ctxt)
		return fail(why, -ENOMEM, "out of memory");
	/*
	 * No XML_PARSE_NOENT (entities stay references, refused below), no
	 * XML_PARSE_DTDLOAD/DTDATTR/DTDVALID, no XML_PARSE_HUGE (libxml2's
	 * own limits stay on), XML_PARSE_NONET.
	 */
	doc = xmlCtxtReadMemory(ctxt, buf, (int)len, "pc3:KEY_RESPONSE", NULL,
				XML_PARSE_NONET | XML_PARSE_NOERROR |
				XML_PARSE_NOWARNING);
	if (!doc) {
		const xmlError *e = xmlCtxtGetLastError(ctxt);
		char msg[160] = "not well-formed";

		if (e && e->message) {
			snprintf(msg, sizeof(msg), "%s", e->message);
			msg[strcspn(msg, "\n")] = '\0';
		}
		err = fail(why, -EINVAL, "malformed XML: %s (line %d)", msg, e ? e->line : 0);
		xmlFreeParserCtxt(ctxt);
		return err;
	}
	if (doc->encoding && strcasecmp((const char *)doc->encoding, "UTF-8")) {
		err = fail(why, -EINVAL, "declared encoding %.32s: only UTF-8 is accepted",
			   (const char *)doc->encoding);
	} else if (!ctxt->wellFormed) {
		err = fail(why, -EINVAL, "malformed XML");
	} else {
		err = walk(doc, resp, why);
	}
	wipe_tree(doc->children);
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	if (err)
		pc3_response_wipe(resp);
	return err;
}

/* ---- writers ---- */

struct out {
	char *buf;
	size_t size, len;
	bool full;
};

static void put(struct out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->full)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->len, o->size - o->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= o->size - o->len) {
		o->full = true;
		return;
	}
	o->len += (size_t)n;
}

int pc3_build_request(const struct pc3_request *req, char *buf, size_t size)
{
	/* what this pc5sec supports, in order of preference */
	static const uint8_t prefs[] = {
		PC5SEC_CIPHER_AES_GCM_256, PC5SEC_CIPHER_CHACHA20_POLY1305,
		PC5SEC_CIPHER_AES_GCM_128, PC5SEC_CIPHER_EEA2, PC5SEC_CIPHER_EEA3,
		PC5SEC_CIPHER_EEA1, PC5SEC_CIPHER_EEA0,
	};
	struct out o = { buf, size, 0, false };
	bool offered = false;

	if (!size)
		return -ENOSPC;
	if (!pc3_valid_ue_id(req->ue_id) || req->ngroups > PC3_MAX_GROUPS)
		return -EINVAL;
	put(&o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<KEY_REQUEST xmlns=\"%s\">\n"
		"  <transaction-ID>%u</transaction-ID>\n"
		"  <UE-ID>%s</UE-ID>\n"
		"  <algorithms>\n", PC3_NS, req->transaction, req->ue_id);
	for (size_t i = 0; i < sizeof(prefs); i++) {
		if (!(req->ciphers & (1u << prefs[i])))
			continue;
		put(&o, "    <algorithm>%s</algorithm>\n", cipher_name(prefs[i]));
		offered = true;
	}
	if (!offered)
		return -EINVAL;
	put(&o, "  </algorithms>\n");
	if (req->push_port)
		put(&o, "  <push-port>%u</push-port>\n", req->push_port);
	for (size_t i = 0; i < req->ngroups; i++) {
		const struct pc3_request_group *g = &req->groups[i];

		if (g->group_id > PC5SEC_ID_MAX || g->nheld > PC3_MAX_PGKS)
			return -EINVAL;
		put(&o, "  <group>\n    <group-ID>%06X</group-ID>\n", g->group_id);
		for (size_t j = 0; j < g->nheld; j++)
			put(&o, "    <PGK-ID>%u</PGK-ID>\n", g->held[j]);
		put(&o, "  </group>\n");
	}
	put(&o, "</KEY_REQUEST>\n");
	return o.full ? -ENOSPC : 0;
}

int pc3_build_response(const struct pc3_response *resp, char *buf, size_t size)
{
	struct out o = { buf, size, 0, false };

	if (!size)
		return -ENOSPC;
	put(&o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<KEY_RESPONSE xmlns=\"%s\">\n"
		"  <transaction-ID>%u</transaction-ID>\n", PC3_NS, resp->transaction);
	for (size_t i = 0; i < resp->ngroups; i++) {
		const struct pc3_group *g = &resp->groups[i];

		put(&o, "  <group>\n    <group-ID>%06X</group-ID>\n", g->group_id);
		if (g->error[0]) {
			put(&o, "    <error>%s</error>\n", g->error);
			goto revoked;
		}
		put(&o, "    <group-member-ID>%06X</group-member-ID>\n"
			"    <algorithm>%s</algorithm>\n", g->member,
		    cipher_name(g->cipher) ? cipher_name(g->cipher) : "?");
		for (size_t j = 0; j < g->npgks; j++) {
			const struct pc3_pgk *p = &g->pgks[j];
			char nb[32], na[32];

			/* "@N" would not parse back: refuse rather than write it */
			if (format_time(p->not_before, nb, sizeof(nb)) ||
			    format_time(p->not_after, na, sizeof(na)))
				o.full = true;
			put(&o, "    <PGK>\n      <PGK-ID>%u</PGK-ID>\n      <key>", p->id);
			for (size_t k = 0; k < sizeof(p->key); k++)
				put(&o, "%02x", p->key[k]);
			put(&o, "</key>\n      <not-before>%s</not-before>\n"
				"      <expiry>%s</expiry>\n    </PGK>\n", nb, na);
		}
revoked:
		for (size_t j = 0; j < g->nrevoked; j++)
			put(&o, "    <revoked-PGK-ID>%u</revoked-PGK-ID>\n", g->revoked[j]);
		put(&o, "  </group>\n");
	}
	put(&o, "</KEY_RESPONSE>\n");
	if (o.full) {
		explicit_bzero(buf, size);
		return -ENOSPC;
	}
	return 0;
}
