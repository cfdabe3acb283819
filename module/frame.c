// SPDX-License-Identifier: GPL-2.0
/*
 * The check that a deciphered Data field is one IP packet. With the
 * header's encoding and parsing (pure functions on buffers, inline in
 * frame.h), what a well-formed frame is, apart from the link and its
 * keys, so that KUnit checks every field and every malformed case.
 */
#include <linux/kernel.h>
#include <linux/skbuff.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/checksum.h>

#include "frame.h"

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
