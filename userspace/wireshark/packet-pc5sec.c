// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Wireshark dissector for pc5sec frames: 3GPP ProSe one-to-many (PC5
 * group) traffic carried over an Ethernet-type link, as the pc5sec kernel
 * module sends it. The normative wire format, key hierarchy and suites are
 * in shared/spec/prose-one-to-many.md (sections 2 to 4):
 *
 *   octet 0      version (4 MSB) = 1 | reserved (4 LSB), ignored on receipt
 *   octets 1-3   Layer-2 Source ID = the sender's Group Member Identity
 *   octets 4-6   Layer-2 Destination ID = Group Identity
 *   octet 7      SDU Type (3 MSB) | PGK Index (5 LSB)
 *   octets 8-9   PTK Identity
 *   octets 10-11 PDCP SN
 *   octets 12-   Data field (ciphered SDU; the AEAD suites append a tag)
 *
 * With the PGKs in the "pc5sec_keys" table the dissector derives each
 * frame's PEK, opens the Data field and hands the SDU to the IP dissectors.
 * Key material never reaches a column, a field or a tooltip: only the first
 * four octets of the PEK are shown, to tell keys apart.
 */
#include <string.h>

#include <wireshark.h>
#include <epan/packet.h>
#include <epan/expert.h>
#include <epan/prefs.h>
#include <epan/uat.h>

#include "pc5sec-crypto.h"

#define PC5SEC_ETHERTYPE	0x88B5	/* IEEE 802 local experimental */
#define PC5SEC_VERSION		1
#define PC5SEC_SDU_IP		0
#define PC5SEC_SDU_ARP		1
#define PC5SEC_SDU_LAST_KNOWN	3	/* 4-7 are reserved */
#define PC5SEC_PGK_INDEX_MASK	0x1f	/* PGK Index = 5 LSB of the PGK ID */
#define PC5SEC_PEK_SHOWN	4	/* PEK octets shown to tell keys apart */
#define ELLIPSIS		"\xe2\x80\xa6"

void proto_register_pc5sec(void);
void proto_reg_handoff_pc5sec(void);

static int proto_pc5sec = -1;
static int hf_version = -1;
static int hf_reserved = -1;
static int hf_src = -1;
static int hf_dst = -1;
static int hf_sdu_type = -1;
static int hf_pgk_index = -1;
static int hf_ptk_id = -1;
static int hf_sn = -1;
static int hf_count = -1;
static int hf_data = -1;
static int hf_tag = -1;
static int hf_key = -1;
static int hf_key_pgk_id = -1;
static int hf_key_suite = -1;
static int hf_key_pek_prefix = -1;

static gint ett_pc5sec = -1;
static gint ett_key = -1;

static expert_field ei_short_header = EI_INIT;
static expert_field ei_bad_version = EI_INIT;
static expert_field ei_reserved = EI_INIT;
static expert_field ei_unknown_sdu = EI_INIT;
static expert_field ei_no_key = EI_INIT;
static expert_field ei_auth_failed = EI_INIT;
static expert_field ei_implausible = EI_INIT;
static expert_field ei_short_tag = EI_INIT;
static expert_field ei_not_ip = EI_INIT;
static expert_field ei_cut = EI_INIT;

static dissector_handle_t pc5sec_handle;
static dissector_handle_t ip_handle;
static dissector_handle_t ipv6_handle;
static dissector_handle_t arp_handle;
static dissector_handle_t data_handle;

/* Protocol preference: a second EtherType to decode as pc5sec (0: none). */
static guint pref_ethertype;

static const value_string sdu_type_vals[] = {
	{ 0, "IP" },
	{ 1, "ARP" },
	{ 2, "PC5 signalling" },
	{ 3, "Non-IP" },
	{ 0, NULL }
};

/* The header, decoded once, for the Info column, the checks and the keys. */
struct pc5sec_hdr {
	guint32 version, reserved, src, dst, sdu_type, pgk_index, ptk_id, sn;
	proto_item *version_item, *reserved_item, *sdu_item;
};

/* ------------------------------------------------------------------------
 * Keys: the UAT "pc5sec_keys" (group ID, PGK ID, PGK, suite), as the user
 * typed it, and the parsed copy the dissector searches.
 */
typedef struct {
	char *group;	/* 24-bit Group Identity, hex */
	char *pgk_id;	/* 8-bit PGK ID; its 5 LSB are the PGK Index on the air */
	char *pgk;	/* 64 hex digits; may be empty for eea0 */
	char *suite;	/* a name of pc5sec_suites[] */
} key_rec_t;

typedef struct {
	guint32 group;
	guint8 pgk_id;
	guint8 pgk[PC5SEC_PGK_LEN];
	const struct pc5sec_suite *suite;
} pc5sec_key_t;

static key_rec_t *key_recs;
static guint n_key_recs;
static pc5sec_key_t *keys;
static guint n_keys;

UAT_CSTRING_CB_DEF(key_recs, group, key_rec_t)
UAT_CSTRING_CB_DEF(key_recs, pgk_id, key_rec_t)
UAT_CSTRING_CB_DEF(key_recs, pgk, key_rec_t)
UAT_CSTRING_CB_DEF(key_recs, suite, key_rec_t)

/* A whole string as a number no larger than @max ("0x" allowed). */
static gboolean parse_uint(const char *s, int base, guint32 max, guint32 *out)
{
	guint64 v;
	char *end;

	if (!s || !*s)
		return FALSE;
	v = g_ascii_strtoull(s, &end, base);
	if (*end || end == s || v > max)
		return FALSE;
	*out = (guint32)v;
	return TRUE;
}

static gboolean parse_pgk(const char *s, guint8 pgk[PC5SEC_PGK_LEN])
{
	unsigned int i;

	if (!s || strlen(s) != 2 * PC5SEC_PGK_LEN)
		return FALSE;
	for (i = 0; i < PC5SEC_PGK_LEN; i++) {
		int hi = g_ascii_xdigit_value(s[2 * i]);
		int lo = g_ascii_xdigit_value(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return FALSE;
		pgk[i] = (guint8)(hi << 4 | lo);
	}
	return TRUE;
}

/* Parses a record; on failure returns the reason (static text). */
static const char *parse_key(const key_rec_t *r, pc5sec_key_t *k)
{
	guint32 id;

	memset(k, 0, sizeof(*k));
	if (!parse_uint(r->group, 16, 0xffffff, &k->group))
		return "Group ID must be a 24-bit hex number, e.g. 000042";
	if (!parse_uint(r->pgk_id, 0, 0xff, &id))
		return "PGK ID must be a number from 0 to 255";
	k->pgk_id = (guint8)id;
	k->suite = pc5sec_suite_by_name(r->suite);
	if (!k->suite)
		return "Suite must be one of eea0, eea1, eea2, eea3, aes-gcm-128, "
		       "aes-gcm-256, chacha20-poly1305";
	/* eea0 derives no PEK, so its PGK may be left out. */
	if (k->suite->pek_len == 0 && (!r->pgk || !*r->pgk))
		return NULL;
	if (!parse_pgk(r->pgk, k->pgk))
		return "PGK must be 64 hex digits (256 bits)";
	return NULL;
}

static gboolean key_rec_update_cb(void *r, char **err)
{
	pc5sec_key_t k;
	const char *why = parse_key(r, &k);

	pc5sec_wipe(&k, sizeof(k));
	if (why)
		*err = g_strdup(why);
	return why == NULL;
}

static void *key_rec_copy_cb(void *dest, const void *src, size_t len _U_)
{
	const key_rec_t *s = src;
	key_rec_t *d = dest;

	d->group = g_strdup(s->group);
	d->pgk_id = g_strdup(s->pgk_id);
	d->pgk = g_strdup(s->pgk);
	d->suite = g_strdup(s->suite);
	return d;
}

static void key_rec_free_cb(void *r)
{
	key_rec_t *k = r;

	if (k->pgk)
		pc5sec_wipe(k->pgk, strlen(k->pgk));
	g_free(k->group);
	g_free(k->pgk_id);
	g_free(k->pgk);
	g_free(k->suite);
}

static void keys_reset_cb(void)
{
	if (keys)
		pc5sec_wipe(keys, n_keys * sizeof(*keys));
	g_free(keys);
	keys = NULL;
	n_keys = 0;
}

/* Rebuilds the parsed table whenever the UAT changes. */
static void keys_post_update_cb(void)
{
	guint i;

	keys_reset_cb();
	keys = g_new0(pc5sec_key_t, n_key_recs ? n_key_recs : 1);
	for (i = 0; i < n_key_recs; i++)
		if (!parse_key(&key_recs[i], &keys[n_keys]))
			n_keys++;
}

/* ------------------------------------------------------------------------
 * Header
 */

/* Every header field, where it is, for a frame cut short as well. */
static const struct {
	int *hf;
	int offset, len;
} hdr_fields[] = {
	{ &hf_version, 0, 1 },
	{ &hf_reserved, 0, 1 },
	{ &hf_src, 1, 3 },
	{ &hf_dst, 4, 3 },
	{ &hf_sdu_type, 7, 1 },
	{ &hf_pgk_index, 7, 1 },
	{ &hf_ptk_id, 8, 2 },
	{ &hf_sn, 10, 2 },
};

/* Adds the fields present in @avail octets; fills @h with their values. */
static void add_header(tvbuff_t *tvb, proto_tree *tree, guint avail,
		       struct pc5sec_hdr *h)
{
	guint32 *val[] = { &h->version, &h->reserved, &h->src, &h->dst,
			   &h->sdu_type, &h->pgk_index, &h->ptk_id, &h->sn };
	proto_item **item[] = { &h->version_item, &h->reserved_item, NULL, NULL,
				&h->sdu_item, NULL, NULL, NULL };
	proto_item *ti;
	guint i;

	memset(h, 0, sizeof(*h));
	for (i = 0; i < G_N_ELEMENTS(hdr_fields); i++) {
		if ((guint)(hdr_fields[i].offset + hdr_fields[i].len) > avail)
			break;
		ti = proto_tree_add_item_ret_uint(tree, *hdr_fields[i].hf, tvb,
						  hdr_fields[i].offset,
						  hdr_fields[i].len,
						  ENC_BIG_ENDIAN, val[i]);
		if (item[i])
			*item[i] = ti;
	}
}

/* Header values that are wrong but do not stop the dissection. */
static void check_header(packet_info *pinfo, const struct pc5sec_hdr *h)
{
	if (h->version != PC5SEC_VERSION)
		expert_add_info_format(pinfo, h->version_item, &ei_bad_version,
				       "Version %u, expected %u: not decrypted",
				       h->version, PC5SEC_VERSION);
	if (h->reserved)
		expert_add_info(pinfo, h->reserved_item, &ei_reserved);
	if (h->sdu_type > PC5SEC_SDU_LAST_KNOWN)
		expert_add_info_format(pinfo, h->sdu_item, &ei_unknown_sdu,
				       "Reserved SDU Type %u", h->sdu_type);
}

/* ------------------------------------------------------------------------
 * Decryption
 */

enum outcome {
	NO_KEY,		/* no key for this group and PGK Index */
	OPENED,
	IMPLAUSIBLE,	/* stream cipher: the SDU does not look like IP */
	AUTH_FAILED,	/* AEAD: no key verifies the tag */
	TOO_SHORT,	/* AEAD: the Data field cannot even hold the tag */
};

struct opened {
	const pc5sec_key_t *key;
	guint8 pek_shown[PC5SEC_PEK_SHOWN];
	guint8 *sdu;
	size_t sdu_len;
};

/*
 * The stream suites carry no tag, so any key "decrypts". An IP SDU whose
 * header agrees with its length is what tells the right key; the Data
 * field may be longer (Ethernet padding), never shorter.
 */
static gboolean plausible_sdu(guint32 sdu_type, const guint8 *p, size_t len)
{
	size_t ip_len;

	if (sdu_type != PC5SEC_SDU_IP)
		return TRUE;	/* nothing to check it against */
	if (len >= 20 && p[0] >> 4 == 4 && (p[0] & 0x0f) >= 5) {
		ip_len = (size_t)p[2] << 8 | p[3];
		return ip_len >= (size_t)(p[0] & 0x0f) * 4 && ip_len <= len;
	}
	if (len >= 40 && p[0] >> 4 == 6)
		return 40 + ((size_t)p[4] << 8 | p[5]) <= len;
	return FALSE;
}

/* Tries one key; @out has room for @len octets. */
static enum outcome try_key(const pc5sec_key_t *k, const struct pc5sec_hdr *h,
			    const guint8 *hdr, const guint8 *data, size_t len,
			    struct opened *o)
{
	const struct pc5sec_suite *s = k->suite;
	guint8 pek[PC5SEC_PEK_MAX] = { 0 };
	enum pc5sec_open_result r = PC5SEC_OPEN_ERROR;
	enum outcome res;

	if (!s->pek_len || pc5sec_derive_pek(s, k->pgk, hdr, h->dst, pek))
		r = pc5sec_open(s, pek, hdr, data, len, o->sdu, &o->sdu_len);
	memcpy(o->pek_shown, pek, PC5SEC_PEK_SHOWN);
	pc5sec_wipe(pek, sizeof(pek));

	switch (r) {
	case PC5SEC_OPEN_OK:
		res = pc5sec_suite_has_tag(s) ||
		      plausible_sdu(h->sdu_type, o->sdu, o->sdu_len) ?
		      OPENED : IMPLAUSIBLE;
		break;
	case PC5SEC_OPEN_SHORT:
		res = TOO_SHORT;
		break;
	default:
		res = AUTH_FAILED;
		break;
	}
	if (res == OPENED)
		o->key = k;
	return res;
}

/*
 * Tries every key of the frame's group and PGK Index (a UE may hold the
 * current and the next PGK, and a group's suite is not on the air). The
 * failure reported is the most telling one: a tag that does not verify
 * beats an SDU that does not look right.
 */
static enum outcome open_frame(const struct pc5sec_hdr *h, const guint8 *hdr,
			       const guint8 *data, size_t len, struct opened *o)
{
	enum outcome best = NO_KEY, res;
	guint i;

	for (i = 0; i < n_keys; i++) {
		if (keys[i].group != h->dst ||
		    (keys[i].pgk_id & PC5SEC_PGK_INDEX_MASK) != h->pgk_index)
			continue;
		res = try_key(&keys[i], h, hdr, data, len, o);
		if (res == OPENED)
			return OPENED;
		if (res > best)
			best = res;
	}
	return best;
}

/* "Decrypted with PGK 0x21, PTK 0, PEK 1a2b3c4d… (aes-gcm-128)" */
static void add_key_item(tvbuff_t *tvb, proto_tree *tree,
			 const struct pc5sec_hdr *h, const struct opened *o)
{
	const pc5sec_key_t *k = o->key;
	proto_tree *kt;
	proto_item *ti;
	char pek[2 * PC5SEC_PEK_SHOWN + 1];
	guint i;

	for (i = 0; i < PC5SEC_PEK_SHOWN; i++)
		snprintf(pek + 2 * i, 3, "%02x", o->pek_shown[i]);
	if (k->suite->pek_len)
		ti = proto_tree_add_none_format(tree, hf_key, tvb, 0, 0,
				"Decrypted with PGK 0x%02x, PTK %u, PEK %s" ELLIPSIS " (%s)",
				k->pgk_id, h->ptk_id, pek, k->suite->name);
	else
		ti = proto_tree_add_none_format(tree, hf_key, tvb, 0, 0,
				"Clear text (eea0), PGK 0x%02x", k->pgk_id);
	proto_item_set_generated(ti);
	kt = proto_item_add_subtree(ti, ett_key);
	ti = proto_tree_add_uint(kt, hf_key_pgk_id, tvb, 0, 0, k->pgk_id);
	proto_item_set_generated(ti);
	ti = proto_tree_add_string(kt, hf_key_suite, tvb, 0, 0, k->suite->name);
	proto_item_set_generated(ti);
	if (k->suite->pek_len) {
		ti = proto_tree_add_string(kt, hf_key_pek_prefix, tvb, 0, 0, pek);
		proto_item_set_generated(ti);
	}
}

/* The SDU Type says IP, ARP or other; the version nibble, IPv4 or IPv6. */
static void call_inner(tvbuff_t *sdu, packet_info *pinfo, proto_tree *tree,
		       proto_item *data_item, guint32 sdu_type)
{
	dissector_handle_t h = data_handle;
	guint8 v;

	if (sdu_type == PC5SEC_SDU_IP) {
		v = tvb_get_guint8(sdu, 0) >> 4;
		if (v == 4)
			h = ip_handle;
		else if (v == 6)
			h = ipv6_handle;
		else
			expert_add_info_format(pinfo, data_item, &ei_not_ip,
					       "SDU Type IP, but IP version %u", v);
	} else if (sdu_type == PC5SEC_SDU_ARP) {
		h = arp_handle;
	}
	/* Keep our summary in the Info column; the SDU's follows it. */
	col_append_str(pinfo->cinfo, COL_INFO, " | ");
	col_set_fence(pinfo->cinfo, COL_INFO);
	call_dissector(h, sdu, pinfo, tree);
}

static void report_failure(packet_info *pinfo, proto_item *data_item,
			   const struct pc5sec_hdr *h, enum outcome res)
{
	switch (res) {
	case NO_KEY:
		expert_add_info_format(pinfo, data_item, &ei_no_key,
				       "No key for group 0x%06x, PGK Index %u",
				       h->dst, h->pgk_index);
		break;
	case AUTH_FAILED:
		expert_add_info(pinfo, data_item, &ei_auth_failed);
		col_append_str(pinfo->cinfo, COL_INFO, " [authentication failed]");
		break;
	case IMPLAUSIBLE:
		expert_add_info(pinfo, data_item, &ei_implausible);
		col_append_str(pinfo->cinfo, COL_INFO, " [not decrypted]");
		break;
	case TOO_SHORT:
		expert_add_info(pinfo, data_item, &ei_short_tag);
		break;
	case OPENED:
		break;
	}
}

/* The Data field: shown as it is, then opened if a key fits. */
static void dissect_data(tvbuff_t *tvb, packet_info *pinfo, proto_tree *root,
			 proto_tree *tree, const struct pc5sec_hdr *h)
{
	size_t len = tvb_reported_length_remaining(tvb, PC5SEC_HDR_LEN);
	proto_item *data_item;
	struct opened o = { 0 };
	const guint8 *hdr, *data;
	enum outcome res;
	tvbuff_t *sdu;

	/* A capture's snaplen may have cut the frame: show what there is. */
	data_item = proto_tree_add_item(tree, hf_data, tvb, PC5SEC_HDR_LEN,
					tvb_captured_length_remaining(tvb, PC5SEC_HDR_LEN),
					ENC_NA);
	if (h->version != PC5SEC_VERSION)
		return;
	if (tvb_captured_length(tvb) < tvb_reported_length(tvb)) {
		expert_add_info(pinfo, data_item, &ei_cut);
		return;
	}
	hdr = tvb_get_ptr(tvb, 0, PC5SEC_HDR_LEN);
	data = tvb_memdup(pinfo->pool, tvb, PC5SEC_HDR_LEN, len);
	o.sdu = wmem_alloc0(pinfo->pool, len ? len : 1);

	res = open_frame(h, hdr, data, len, &o);
	if (res != OPENED) {
		report_failure(pinfo, data_item, h, res);
		return;
	}
	add_key_item(tvb, tree, h, &o);
	if (pc5sec_suite_has_tag(o.key->suite))
		proto_tree_add_item(tree, hf_tag, tvb, PC5SEC_HDR_LEN + (gint)o.sdu_len,
				    PC5SEC_TAG_LEN, ENC_NA);
	if (!o.sdu_len)
		return;
	sdu = tvb_new_child_real_data(tvb, o.sdu, (guint)o.sdu_len, (gint)o.sdu_len);
	add_new_data_source(pinfo, sdu, "Decrypted pc5sec");
	call_inner(sdu, pinfo, root, data_item, h->sdu_type);
}

static int dissect_pc5sec(tvbuff_t *tvb, packet_info *pinfo, proto_tree *root,
			  void *data _U_)
{
	guint len = tvb_reported_length(tvb);
	struct pc5sec_hdr h;
	proto_tree *tree;
	proto_item *ti;
	proto_item *count_item;

	col_set_str(pinfo->cinfo, COL_PROTOCOL, "pc5sec");
	col_clear(pinfo->cinfo, COL_INFO);
	ti = proto_tree_add_item(root, proto_pc5sec, tvb, 0, -1, ENC_NA);
	tree = proto_item_add_subtree(ti, ett_pc5sec);

	if (len < PC5SEC_HDR_LEN) {
		add_header(tvb, tree, MIN(len, tvb_captured_length(tvb)), &h);
		expert_add_info_format(pinfo, ti, &ei_short_header,
				       "Short header: %u of %u octets", len,
				       PC5SEC_HDR_LEN);
		col_add_fstr(pinfo->cinfo, COL_INFO, "PC5 short header (%u octets)", len);
		return tvb_captured_length(tvb);
	}
	add_header(tvb, tree, len, &h);
	count_item = proto_tree_add_uint(tree, hf_count, tvb, 8, 4,
					 h.ptk_id << 16 | h.sn);
	proto_item_set_generated(count_item);
	col_add_fstr(pinfo->cinfo, COL_INFO,
		     "PC5 grp 0x%06x src 0x%06x pgk %u ptk %u sn %u",
		     h.dst, h.src, h.pgk_index, h.ptk_id, h.sn);
	proto_item_append_text(ti, ", Group 0x%06x, Src 0x%06x, COUNT 0x%08x",
			       h.dst, h.src, h.ptk_id << 16 | h.sn);
	check_header(pinfo, &h);
	dissect_data(tvb, pinfo, root, tree, &h);
	return tvb_captured_length(tvb);
}

/* ------------------------------------------------------------------------
 * Registration
 */

static void register_fields(void)
{
	static hf_register_info hf[] = {
		{ &hf_version, { "Version", "pc5sec.version", FT_UINT8, BASE_DEC,
		  NULL, 0xf0, "pc5sec header version, 1", HFILL } },
		{ &hf_reserved, { "Reserved", "pc5sec.reserved", FT_UINT8, BASE_HEX,
		  NULL, 0x0f, "Zero; ignored on receipt", HFILL } },
		{ &hf_src, { "Source (Group Member Identity)", "pc5sec.src",
		  FT_UINT24, BASE_HEX, NULL, 0,
		  "Layer-2 Source ID: the sender's Group Member Identity", HFILL } },
		{ &hf_dst, { "Destination (Group Identity)", "pc5sec.dst",
		  FT_UINT24, BASE_HEX, NULL, 0,
		  "Layer-2 Destination ID: the ProSe Layer-2 Group ID", HFILL } },
		{ &hf_sdu_type, { "SDU Type", "pc5sec.sdu_type", FT_UINT8, BASE_DEC,
		  VALS(sdu_type_vals), 0xe0, NULL, HFILL } },
		{ &hf_pgk_index, { "PGK Index", "pc5sec.pgk_index", FT_UINT8,
		  BASE_DEC, NULL, 0x1f, "The 5 least significant bits of the PGK ID",
		  HFILL } },
		{ &hf_ptk_id, { "PTK Identity", "pc5sec.ptk_id", FT_UINT16, BASE_DEC,
		  NULL, 0, NULL, HFILL } },
		{ &hf_sn, { "PDCP SN", "pc5sec.sn", FT_UINT16, BASE_DEC, NULL, 0,
		  NULL, HFILL } },
		{ &hf_count, { "COUNT", "pc5sec.count", FT_UINT32, BASE_HEX, NULL, 0,
		  "PTK Identity << 16 | PDCP SN", HFILL } },
		{ &hf_data, { "Data", "pc5sec.data", FT_BYTES, BASE_NONE, NULL, 0,
		  "The Data field as sent (ciphered SDU, and tag for AEAD suites)",
		  HFILL } },
		{ &hf_tag, { "Tag", "pc5sec.tag", FT_BYTES, BASE_NONE, NULL, 0,
		  "AEAD authentication tag (verified)", HFILL } },
		{ &hf_key, { "Decryption key", "pc5sec.key", FT_NONE, BASE_NONE,
		  NULL, 0, "The configured key that opened this frame", HFILL } },
		{ &hf_key_pgk_id, { "PGK ID", "pc5sec.key.pgk_id", FT_UINT8,
		  BASE_HEX, NULL, 0, NULL, HFILL } },
		{ &hf_key_suite, { "Suite", "pc5sec.key.suite", FT_STRING,
		  BASE_NONE, NULL, 0, NULL, HFILL } },
		{ &hf_key_pek_prefix, { "PEK (first 4 octets)", "pc5sec.key.pek_prefix",
		  FT_STRING, BASE_NONE, NULL, 0,
		  "Enough of the PEK to tell keys apart; the rest is never shown",
		  HFILL } },
	};
	static gint *ett[] = { &ett_pc5sec, &ett_key };

	proto_register_field_array(proto_pc5sec, hf, array_length(hf));
	proto_register_subtree_array(ett, array_length(ett));
}

static void register_expert(void)
{
	static ei_register_info ei[] = {
		{ &ei_short_header, { "pc5sec.short_header", PI_MALFORMED, PI_ERROR,
		  "Short header", EXPFILL } },
		{ &ei_bad_version, { "pc5sec.bad_version", PI_PROTOCOL, PI_WARN,
		  "Unknown version", EXPFILL } },
		{ &ei_reserved, { "pc5sec.reserved_nonzero", PI_PROTOCOL, PI_NOTE,
		  "Reserved nibble is not zero (ignored on receipt)", EXPFILL } },
		{ &ei_unknown_sdu, { "pc5sec.unknown_sdu_type", PI_PROTOCOL, PI_WARN,
		  "Reserved SDU Type", EXPFILL } },
		{ &ei_no_key, { "pc5sec.no_key", PI_UNDECODED, PI_NOTE,
		  "No key for this group and PGK Index", EXPFILL } },
		{ &ei_auth_failed, { "pc5sec.auth_failed", PI_DECRYPTION, PI_WARN,
		  "authentication failed: no configured key verifies the tag",
		  EXPFILL } },
		{ &ei_implausible, { "pc5sec.implausible", PI_DECRYPTION, PI_WARN,
		  "Not decrypted: no configured key gives a plausible IP packet "
		  "(wrong PGK or suite?)", EXPFILL } },
		{ &ei_short_tag, { "pc5sec.short_tag", PI_MALFORMED, PI_ERROR,
		  "Data field shorter than the 16-octet tag", EXPFILL } },
		{ &ei_not_ip, { "pc5sec.not_ip", PI_PROTOCOL, PI_WARN,
		  "SDU Type IP, but not an IP packet", EXPFILL } },
		{ &ei_cut, { "pc5sec.cut", PI_UNDECODED, PI_NOTE,
		  "Frame cut short by the capture: not decrypted", EXPFILL } },
	};
	expert_module_t *em = expert_register_protocol(proto_pc5sec);

	expert_register_field_array(em, ei, array_length(ei));
}

static void register_prefs(void)
{
	static uat_field_t fields[] = {
		UAT_FLD_CSTRING(key_recs, group, "Group ID",
				"Group Identity (ProSe Layer-2 Group ID), 24-bit hex, e.g. 000042"),
		UAT_FLD_CSTRING(key_recs, pgk_id, "PGK ID",
				"8-bit PGK ID; its 5 least significant bits are the PGK Index on the air"),
		UAT_FLD_CSTRING(key_recs, pgk, "PGK",
				"The 256-bit ProSe Group Key, 64 hex digits (may be empty for eea0)"),
		UAT_FLD_CSTRING(key_recs, suite, "Suite",
				"eea0, eea1, eea2, eea3, aes-gcm-128, aes-gcm-256 or chacha20-poly1305"),
		UAT_END_FIELDS
	};
	module_t *m = prefs_register_protocol(proto_pc5sec, proto_reg_handoff_pc5sec);
	uat_t *u;

	prefs_register_uint_preference(m, "ethertype", "Additional EtherType",
				       "Also decode this EtherType as pc5sec "
				       "(0x88B5 always is; 0: none)",
				       16, &pref_ethertype);
	u = uat_new("pc5sec keys", sizeof(key_rec_t), "pc5sec_keys", TRUE,
		    &key_recs, &n_key_recs, UAT_AFFECTS_DISSECTION, NULL,
		    key_rec_copy_cb, key_rec_update_cb, key_rec_free_cb,
		    keys_post_update_cb, keys_reset_cb, fields);
	prefs_register_uat_preference(m, "keys", "Group keys",
				      "PGKs per group, to decrypt pc5sec frames", u);
}

void proto_register_pc5sec(void)
{
	proto_pc5sec = proto_register_protocol("pc5sec ProSe one-to-many",
					       "pc5sec", "pc5sec");
	register_fields();
	register_expert();
	register_prefs();
	pc5sec_eea_init();
}

void proto_reg_handoff_pc5sec(void)
{
	static gboolean initialised;
	static guint extra_ethertype;

	if (!initialised) {
		pc5sec_handle = create_dissector_handle(dissect_pc5sec, proto_pc5sec);
		dissector_add_uint("ethertype", PC5SEC_ETHERTYPE, pc5sec_handle);
		ip_handle = find_dissector_add_dependency("ip", proto_pc5sec);
		ipv6_handle = find_dissector_add_dependency("ipv6", proto_pc5sec);
		arp_handle = find_dissector_add_dependency("arp", proto_pc5sec);
		data_handle = find_dissector("data");
		initialised = TRUE;
	} else if (extra_ethertype) {
		dissector_delete_uint("ethertype", extra_ethertype, pc5sec_handle);
	}
	/* The preference adds an EtherType; 0x88B5 stays registered. */
	extra_ethertype = pref_ethertype <= 0xffff &&
			  pref_ethertype != PC5SEC_ETHERTYPE ? pref_ethertype : 0;
	if (extra_ethertype)
		dissector_add_uint("ethertype", extra_ethertype, pc5sec_handle);
}
