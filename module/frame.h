/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PC5SEC_FRAME_H
#define _PC5SEC_FRAME_H

#include <linux/types.h>

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

void pc5sec_frame_build(struct pc5sec_hdr *h, const struct pc5sec_frame *f);
enum pc5sec_frame_err pc5sec_frame_parse(const void *data, unsigned int len,
					 struct pc5sec_frame *f);
u32 pc5sec_frame_dst(const struct pc5sec_hdr *h);

struct sk_buff;
bool pc5sec_frame_sdu_valid(struct sk_buff *skb, bool aead);

#endif /* _PC5SEC_FRAME_H */
