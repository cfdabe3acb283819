/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PC5SEC_FRAME_H
#define _PC5SEC_FRAME_H

#include <linux/types.h>
#include <asm/byteorder.h>

/*
 * The 12-octet pc5sec header (spec section 4): version, Layer-2 source and
 * destination IDs, then the one-to-many PDCP header of TS 36.323 6.2.10.
 */
#define PC5SEC_HDR_LEN		12
#define PC5SEC_VERSION		1
#define PC5SEC_SDU_IP		0	/* SDU Type 000 */
#define PC5SEC_PGK_INDEX_MASK	0x1f
/* The AEAD suites' tag, after the Data field */
#define PC5SEC_TAG_LEN		16

struct pc5sec_hdr {
	u8 version;		/* version << 4 | reserved */
	u8 src[3];		/* sender's Group Member Identity */
	u8 dst[3];		/* Group Identity */
	u8 sdu_pgk;		/* SDU Type << 5 | PGK Index */
	__be16 ptk_id;
	__be16 sn;
} __packed;

/* The fields of a header, in host order. */
struct pc5sec_frame {
	u32 src;
	u32 dst;
	u8 sdu_type;
	u8 pgk_index;
	u16 ptk_id;
	u16 sn;
};

enum pc5sec_frame_err {
	PC5SEC_FRAME_OK,
	PC5SEC_FRAME_SHORT,		/* fewer than 12 octets */
	PC5SEC_FRAME_VERSION,		/* version is not 1 */
	PC5SEC_FRAME_SDU_TYPE,		/* not an IP SDU */
};

static inline u32 pc5sec_frame_count(const struct pc5sec_frame *f)
{
	return (u32)f->ptk_id << 16 | f->sn;
}

/*
 * Inline: every packet builds or parses a header, and under QEMU's TCG,
 * where the lab measures, each call and return costs a lookup of its own
 * (bench/README.md, "Fixed cost per packet").
 */
static inline void pc5sec_put24(u8 *p, u32 v)
{
	p[0] = v >> 16;
	p[1] = v >> 8;
	p[2] = v;
}

static inline u32 pc5sec_get24(const u8 *p)
{
	return (u32)p[0] << 16 | (u32)p[1] << 8 | p[2];
}

static inline void pc5sec_frame_build(struct pc5sec_hdr *h,
				      const struct pc5sec_frame *f)
{
	h->version = PC5SEC_VERSION << 4;
	pc5sec_put24(h->src, f->src);
	pc5sec_put24(h->dst, f->dst);
	h->sdu_pgk = f->sdu_type << 5 | (f->pgk_index & PC5SEC_PGK_INDEX_MASK);
	h->ptk_id = cpu_to_be16(f->ptk_id);
	h->sn = cpu_to_be16(f->sn);
}

static inline u32 pc5sec_frame_dst(const struct pc5sec_hdr *h)
{
	return pc5sec_get24(h->dst);
}

/* The reserved nibble is ignored on receipt, as the spec says. */
static inline enum pc5sec_frame_err
pc5sec_frame_parse(const void *data, unsigned int len, struct pc5sec_frame *f)
{
	const struct pc5sec_hdr *h = data;

	if (len < PC5SEC_HDR_LEN)
		return PC5SEC_FRAME_SHORT;
	if (h->version >> 4 != PC5SEC_VERSION)
		return PC5SEC_FRAME_VERSION;
	f->src = pc5sec_get24(h->src);
	f->dst = pc5sec_get24(h->dst);
	f->sdu_type = h->sdu_pgk >> 5;
	f->pgk_index = h->sdu_pgk & PC5SEC_PGK_INDEX_MASK;
	f->ptk_id = be16_to_cpu(h->ptk_id);
	f->sn = be16_to_cpu(h->sn);
	if (f->sdu_type != PC5SEC_SDU_IP)
		return PC5SEC_FRAME_SDU_TYPE;
	return PC5SEC_FRAME_OK;
}

struct sk_buff;
bool pc5sec_frame_sdu_valid(struct sk_buff *skb, bool aead);

#endif /* _PC5SEC_FRAME_H */
