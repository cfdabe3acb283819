// SPDX-License-Identifier: GPL-2.0
/*
 * Encoding and parsing of the pc5sec header. Pure functions on buffers, so
 * that KUnit checks every field and every malformed case.
 */
#include <linux/kernel.h>

#include "frame.h"

static void put24(u8 *p, u32 v)
{
	p[0] = v >> 16;
	p[1] = v >> 8;
	p[2] = v;
}

static u32 get24(const u8 *p)
{
	return (u32)p[0] << 16 | (u32)p[1] << 8 | p[2];
}

void pc5sec_frame_build(struct pc5sec_hdr *h, const struct pc5sec_frame *f)
{
	h->version = PC5SEC_VERSION << 4;
	put24(h->src, f->src);
	put24(h->dst, f->dst);
	h->sdu_pgk = f->sdu_type << 5 | (f->pgk_index & PC5SEC_PGK_INDEX_MASK);
	h->ptk_id = cpu_to_be16(f->ptk_id);
	h->sn = cpu_to_be16(f->sn);
}

u32 pc5sec_frame_dst(const struct pc5sec_hdr *h)
{
	return get24(h->dst);
}

/* The reserved nibble is ignored on receipt, as the spec says. */
enum pc5sec_frame_err pc5sec_frame_parse(const void *data, unsigned int len,
					 struct pc5sec_frame *f)
{
	const struct pc5sec_hdr *h = data;

	if (len < PC5SEC_HDR_LEN)
		return PC5SEC_FRAME_SHORT;
	if (h->version >> 4 != PC5SEC_VERSION)
		return PC5SEC_FRAME_VERSION;
	f->src = get24(h->src);
	f->dst = get24(h->dst);
	f->sdu_type = h->sdu_pgk >> 5;
	f->pgk_index = h->sdu_pgk & PC5SEC_PGK_INDEX_MASK;
	f->ptk_id = be16_to_cpu(h->ptk_id);
	f->sn = be16_to_cpu(h->sn);
	if (f->sdu_type != PC5SEC_SDU_IP)
		return PC5SEC_FRAME_SDU_TYPE;
	return PC5SEC_FRAME_OK;
}
