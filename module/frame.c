// SPDX-License-Identifier: GPL-2.0
/*
 * Encoding and parsing of the pc5sec header, pure functions on buffers,
 * and the check that a deciphered Data field is one IP packet: what a
 * well-formed frame is, apart from the link and its keys, so that KUnit
 * checks every field and every malformed case.
 */
#include <linux/kernel.h>
#include <linux/skbuff.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/checksum.h>

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

/*
 * Whether the Data field of a deciphered frame (skb->data at the header;
 * with @aead its tag still at the end, trimmed here) is one well-formed
 * IPv4 or IPv6 packet that fills it exactly. For EEA0 and 128-EEA2, which
 * have no integrity, this is what tells a frame of the sender from a blind
 * forgery under its keystream: an IPv4 header must have the right version,
 * length and header checksum, an IPv6 one the right version and payload
 * length, about 2^-24 or less for random octets. The only slack is the
 * padding that Ethernet adds to a frame shorter than its minimum, trimmed.
 */
bool pc5sec_frame_sdu_valid(struct sk_buff *skb, bool aead)
{
	unsigned int sdu, len;
	const struct iphdr *ip;
	u8 ihl;

	if (aead && pskb_trim(skb, skb->len - PC5SEC_TAG_LEN))
		return false;
	sdu = skb->len - PC5SEC_HDR_LEN;
	if (!pskb_may_pull(skb, PC5SEC_HDR_LEN + 1))
		return false;
	switch (skb->data[PC5SEC_HDR_LEN] >> 4) {
	case 4:
		if (!pskb_may_pull(skb, PC5SEC_HDR_LEN + sizeof(*ip)))
			return false;
		ihl = ((struct iphdr *)(skb->data + PC5SEC_HDR_LEN))->ihl;
		if (ihl < 5 || !pskb_may_pull(skb, PC5SEC_HDR_LEN + ihl * 4))
			return false;
		ip = (const struct iphdr *)(skb->data + PC5SEC_HDR_LEN);
		len = ntohs(ip->tot_len);
		if (ip_fast_csum(ip, ihl) || len < ihl * 4)
			return false;
		break;
	case 6:
		if (!pskb_may_pull(skb, PC5SEC_HDR_LEN + sizeof(struct ipv6hdr)))
			return false;
		len = sizeof(struct ipv6hdr) +
		      ntohs(((struct ipv6hdr *)(skb->data +
						PC5SEC_HDR_LEN))->payload_len);
		break;
	default:
		return false;
	}
	if (len == sdu)
		return true;
	/* EEA0-EEA3 only: an AEAD frame is never that short */
	return !aead && len < sdu &&
	       ETH_HLEN + PC5SEC_HDR_LEN + sdu == ETH_ZLEN &&
	       !pskb_trim(skb, PC5SEC_HDR_LEN + len);
}
