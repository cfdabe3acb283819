// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the pc5sec header codec (spec section 4). The expected wire octets
 * are written by hand from the spec's table, not produced by this code.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/skbuff.h>
#include <linux/ip.h>
#include <net/checksum.h>

#include "compat.h"
#include "frame.h"
#include "kunit_util.h"

/* Builds @in, parses it back and checks every field and the length. */
static void frame_round_trip_one(struct kunit *test,
				 const struct pc5sec_frame *in)
{
	struct pc5sec_frame out;
	struct pc5sec_hdr h;

	memset(&h, 0xa5, sizeof(h));
	memset(&out, 0xa5, sizeof(out));
	pc5sec_frame_build(&h, in);
	KUNIT_ASSERT_EQ(test, pc5sec_frame_parse(&h, sizeof(h), &out),
			PC5SEC_FRAME_OK);
	KUNIT_EXPECT_EQ(test, out.src, in->src);
	KUNIT_EXPECT_EQ(test, out.dst, in->dst);
	KUNIT_EXPECT_EQ(test, out.sdu_type, PC5SEC_SDU_IP);
	KUNIT_EXPECT_EQ(test, out.pgk_index,
			in->pgk_index & PC5SEC_PGK_INDEX_MASK);
	KUNIT_EXPECT_EQ(test, out.ptk_id, in->ptk_id);
	KUNIT_EXPECT_EQ(test, out.sn, in->sn);
	KUNIT_EXPECT_EQ(test, pc5sec_frame_dst(&h), in->dst);
}

static void frame_hdr_size(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, sizeof(struct pc5sec_hdr), (size_t)PC5SEC_HDR_LEN);
}

/* Every field at its lowest and highest value. */
static void frame_round_trip_edges(struct kunit *test)
{
	static const struct pc5sec_frame cases[] = {
		{ .src = 0, .dst = 0, .pgk_index = 0, .ptk_id = 0, .sn = 0 },
		{ .src = 0xffffff, .dst = 0xffffff, .pgk_index = 31,
		  .ptk_id = 0xffff, .sn = 0xffff },
		{ .src = 0xffffff, .dst = 0, .pgk_index = 0,
		  .ptk_id = 0xffff, .sn = 0 },
		{ .src = 0, .dst = 0xffffff, .pgk_index = 31,
		  .ptk_id = 0, .sn = 0xffff },
		{ .src = 0x123456, .dst = 0xabcdef, .pgk_index = 0x15,
		  .ptk_id = 0x0102, .sn = 0x0304 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		frame_round_trip_one(test, &cases[i]);
}

/* A PGK ID above 31 is sent as its low 5 bits, never touching SDU Type. */
static void frame_pgk_index_masked(struct kunit *test)
{
	static const u8 ids[] = { 32, 0x3f, 0x75, 0xe0, 0xff };
	struct pc5sec_frame f = { .src = 1, .dst = 2 }, out;
	struct pc5sec_hdr h;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		f.pgk_index = ids[i];
		pc5sec_frame_build(&h, &f);
		KUNIT_EXPECT_EQ(test, h.sdu_pgk, ids[i] & 0x1f);
		KUNIT_ASSERT_EQ(test, pc5sec_frame_parse(&h, sizeof(h), &out),
				PC5SEC_FRAME_OK);
		KUNIT_EXPECT_EQ(test, out.pgk_index, ids[i] & 0x1f);
	}
}

/* The exact 12 octets, from the table of spec section 4. */
static void frame_wire_octets(struct kunit *test)
{
	static const u8 want[PC5SEC_HDR_LEN] = {
		0x10,			/* version 1, reserved 0 */
		0x12, 0x34, 0x56,	/* Layer-2 Source ID */
		0xab, 0xcd, 0xef,	/* Layer-2 Destination ID */
		0x15,			/* SDU Type 000, PGK Index 10101 */
		0x01, 0x02,		/* PTK Identity */
		0xff, 0xfe,		/* PDCP SN */
	};
	static const u8 want2[PC5SEC_HDR_LEN] = {
		0x10, 0xff, 0xff, 0xff, 0x00, 0x00, 0x01,
		0x1f, 0xff, 0xff, 0x00, 0x00,
	};
	const struct pc5sec_frame f = {
		.src = 0x123456, .dst = 0xabcdef, .sdu_type = PC5SEC_SDU_IP,
		.pgk_index = 0x15, .ptk_id = 0x0102, .sn = 0xfffe,
	};
	const struct pc5sec_frame f2 = {
		.src = 0xffffff, .dst = 1, .pgk_index = 0xff,
		.ptk_id = 0xffff, .sn = 0,
	};
	struct pc5sec_frame out;
	struct pc5sec_hdr h;

	memset(&h, 0xa5, sizeof(h));
	pc5sec_frame_build(&h, &f);
	KUNIT_EXPECT_MEMEQ(test, &h, want, sizeof(want));
	pc5sec_frame_build(&h, &f2);
	KUNIT_EXPECT_MEMEQ(test, &h, want2, sizeof(want2));

	/* And the other way: the hand-written octets parse to the fields. */
	KUNIT_ASSERT_EQ(test, pc5sec_frame_parse(want, sizeof(want), &out),
			PC5SEC_FRAME_OK);
	KUNIT_EXPECT_EQ(test, out.src, 0x123456);
	KUNIT_EXPECT_EQ(test, out.dst, 0xabcdef);
	KUNIT_EXPECT_EQ(test, out.sdu_type, 0);
	KUNIT_EXPECT_EQ(test, out.pgk_index, 0x15);
	KUNIT_EXPECT_EQ(test, out.ptk_id, 0x0102);
	KUNIT_EXPECT_EQ(test, out.sn, 0xfffe);
	KUNIT_EXPECT_EQ(test, pc5sec_frame_count(&out), 0x0102fffe);
	KUNIT_EXPECT_EQ(test, pc5sec_frame_dst((const struct pc5sec_hdr *)want),
			0xabcdef);
}

/* The reserved nibble is ignored on receipt; a longer buffer is fine. */
static void frame_reserved_ignored(struct kunit *test)
{
	u8 buf[PC5SEC_HDR_LEN + 4] = {
		0x10, 0x00, 0x00, 0x07, 0x00, 0x00, 0x09, 0x03,
		0x00, 0x04, 0x00, 0x05, 0xde, 0xad, 0xbe, 0xef,
	};
	struct pc5sec_frame out;
	unsigned int r;

	for (r = 0; r < 16; r++) {
		buf[0] = 0x10 | r;
		memset(&out, 0, sizeof(out));
		KUNIT_ASSERT_EQ(test, pc5sec_frame_parse(buf, sizeof(buf), &out),
				PC5SEC_FRAME_OK);
		KUNIT_EXPECT_EQ(test, out.src, 7);
		KUNIT_EXPECT_EQ(test, out.dst, 9);
		KUNIT_EXPECT_EQ(test, out.pgk_index, 3);
		KUNIT_EXPECT_EQ(test, out.ptk_id, 4);
		KUNIT_EXPECT_EQ(test, out.sn, 5);
	}
}

static void frame_short(struct kunit *test)
{
	static const u8 buf[PC5SEC_HDR_LEN] = {
		0x10, 0, 0, 1, 0, 0, 2, 0x01, 0, 0, 0, 0,
	};
	struct pc5sec_frame out;
	unsigned int len;

	for (len = 0; len < PC5SEC_HDR_LEN; len++)
		KUNIT_EXPECT_EQ_MSG(test, pc5sec_frame_parse(buf, len, &out),
				    PC5SEC_FRAME_SHORT, "len %u", len);
	KUNIT_EXPECT_EQ(test, pc5sec_frame_parse(buf, PC5SEC_HDR_LEN, &out),
			PC5SEC_FRAME_OK);
}

static void frame_bad_version(struct kunit *test)
{
	static const u8 versions[] = { 0, 2, 15 };
	u8 buf[PC5SEC_HDR_LEN] = {
		0x10, 0, 0, 1, 0, 0, 2, 0x01, 0, 0, 0, 0,
	};
	struct pc5sec_frame out;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(versions); i++) {
		buf[0] = versions[i] << 4;
		KUNIT_EXPECT_EQ_MSG(test,
				    pc5sec_frame_parse(buf, sizeof(buf), &out),
				    PC5SEC_FRAME_VERSION,
				    "version %u", versions[i]);
		/* The reserved bits do not make a bad version good. */
		buf[0] = versions[i] << 4 | 0x1;
		KUNIT_EXPECT_EQ_MSG(test,
				    pc5sec_frame_parse(buf, sizeof(buf), &out),
				    PC5SEC_FRAME_VERSION,
				    "version %u reserved 1", versions[i]);
	}
	/* A bad version in a short frame is still short. */
	buf[0] = 0x20;
	KUNIT_EXPECT_EQ(test, pc5sec_frame_parse(buf, PC5SEC_HDR_LEN - 1, &out),
			PC5SEC_FRAME_SHORT);
}

/* ARP, PC5 signalling, Non-IP and the reserved types are not IP SDUs. */
static void frame_bad_sdu_type(struct kunit *test)
{
	u8 buf[PC5SEC_HDR_LEN] = {
		0x10, 0, 0, 1, 0, 0, 2, 0x00, 0, 0, 0, 0,
	};
	struct pc5sec_frame out;
	unsigned int t, idx;

	for (t = 1; t <= 7; t++) {
		for (idx = 0; idx < 32; idx += 31) {
			buf[7] = t << 5 | idx;
			KUNIT_EXPECT_EQ_MSG(test,
					    pc5sec_frame_parse(buf, sizeof(buf),
							       &out),
					    PC5SEC_FRAME_SDU_TYPE,
					    "SDU type %u index %u", t, idx);
		}
	}
	buf[7] = 31;
	KUNIT_EXPECT_EQ(test, pc5sec_frame_parse(buf, sizeof(buf), &out),
			PC5SEC_FRAME_OK);
	KUNIT_EXPECT_EQ(test, out.pgk_index, 31);
}

/* COUNT = PTK Identity (16 MSB) || PDCP SN (16 LSB). */
static void frame_count(struct kunit *test)
{
	struct pc5sec_frame f = { };

	KUNIT_EXPECT_EQ(test, pc5sec_frame_count(&f), 0);
	f.sn = 0xffff;
	KUNIT_EXPECT_EQ(test, pc5sec_frame_count(&f), 0x0000ffff);
	f.ptk_id = 1;
	f.sn = 0;
	KUNIT_EXPECT_EQ(test, pc5sec_frame_count(&f), 0x00010000);
	f.ptk_id = 0xffff;
	f.sn = 0xffff;
	KUNIT_EXPECT_EQ(test, pc5sec_frame_count(&f), 0xffffffff);
	f.ptk_id = 0x8001;
	f.sn = 0x1234;
	KUNIT_EXPECT_EQ(test, pc5sec_frame_count(&f), 0x80011234);
}

/* The destination is read from the header without a full parse. */
static void frame_dst(struct kunit *test)
{
	u8 buf[PC5SEC_HDR_LEN] = {
		0xf3, 0xaa, 0xbb, 0xcc, 0x00, 0x00, 0x00, 0xe0,
		0, 0, 0, 0,
	};
	const struct pc5sec_hdr *h = (const struct pc5sec_hdr *)buf;

	KUNIT_EXPECT_EQ(test, pc5sec_frame_dst(h), 0);
	buf[4] = 0xff;
	buf[5] = 0xff;
	buf[6] = 0xff;
	KUNIT_EXPECT_EQ(test, pc5sec_frame_dst(h), 0xffffff);
	buf[4] = 0x01;
	buf[5] = 0x02;
	buf[6] = 0x03;
	KUNIT_EXPECT_EQ(test, pc5sec_frame_dst(h), 0x010203);
}

/*
 * A real IPv4 header (total length 115, checksum 0xb861, as printed in
 * many a textbook), then 95 octets of payload and room for a tag.
 */
static const u8 ip4_hdr[20] = {
	0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
	0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7,
};

static const u8 any_hdr[PC5SEC_HDR_LEN] = { 0x10 };

/* Whether @sdu (@len octets) passes, and the Data field's length after. */
static bool sdu_check(struct kunit *test, const u8 *sdu, unsigned int len,
		      bool aead, unsigned int lin, unsigned int *after)
{
	struct sk_buff *skb;
	bool ok;

	if (lin < len)
		skb = pc5sec_test_frag_skb(test, any_hdr, sdu, len, lin);
	else
		skb = pc5sec_test_skb(test, any_hdr, sdu, len);
	ok = pc5sec_frame_sdu_valid(skb, aead);
	*after = skb->len - PC5SEC_HDR_LEN;
	kfree_skb(skb);
	return ok;
}

static void frame_sdu_ipv4(struct kunit *test)
{
	u8 *sdu = kunit_kzalloc(test, 115 + PC5SEC_TAG_LEN + 1, GFP_KERNEL);
	unsigned int after;

	KUNIT_ASSERT_NOT_NULL(test, sdu);
	memcpy(sdu, ip4_hdr, sizeof(ip4_hdr));
	KUNIT_EXPECT_TRUE(test, sdu_check(test, sdu, 115, false, 115, &after));
	KUNIT_EXPECT_EQ(test, after, 115);
	/* the header in one fragment, the rest in two: pulled as needed */
	KUNIT_EXPECT_TRUE(test, sdu_check(test, sdu, 115, false, 1, &after));
	/* AEAD: the tag is trimmed, then the packet fills the Data field */
	KUNIT_EXPECT_TRUE(test, sdu_check(test, sdu, 115 + PC5SEC_TAG_LEN,
					  true, 200, &after));
	KUNIT_EXPECT_EQ(test, after, 115);
	/* one octet more than the packet, not Ethernet padding */
	KUNIT_EXPECT_FALSE(test, sdu_check(test, sdu, 116, false, 116, &after));
	/* one octet less */
	KUNIT_EXPECT_FALSE(test, sdu_check(test, sdu, 114, false, 114, &after));
	/* a header octet changed: the checksum no longer holds */
	sdu[8] ^= 1;
	KUNIT_EXPECT_FALSE(test, sdu_check(test, sdu, 115, false, 115, &after));
	sdu[8] ^= 1;
	/* IHL below 5 */
	sdu[0] = 0x44;
	KUNIT_EXPECT_FALSE(test, sdu_check(test, sdu, 115, false, 115, &after));
	/* neither IPv4 nor IPv6 */
	sdu[0] = 0x55;
	KUNIT_EXPECT_FALSE(test, sdu_check(test, sdu, 115, false, 115, &after));
	/* too short for an IPv4 header */
	sdu[0] = 0x45;
	KUNIT_EXPECT_FALSE(test, sdu_check(test, sdu, 19, false, 19, &after));
	KUNIT_EXPECT_FALSE(test, sdu_check(test, sdu, 0, false, 0, &after));
}

static void frame_sdu_ipv6(struct kunit *test)
{
	u8 sdu[49] = { 0x60, [5] = 8 };	/* payload length 8 */
	unsigned int after;

	KUNIT_EXPECT_TRUE(test, sdu_check(test, sdu, 48, false, 48, &after));
	KUNIT_EXPECT_FALSE(test, sdu_check(test, sdu, 49, false, 49, &after));
	KUNIT_EXPECT_FALSE(test, sdu_check(test, sdu, 39, false, 39, &after));
}

/*
 * A frame that Ethernet padded to its 60-octet minimum: 14 + 12 + 34
 * octets, of which the packet is 28. Taken (and trimmed) for the suites
 * without a tag only: an AEAD frame is never that short.
 */
static void frame_sdu_eth_padding(struct kunit *test)
{
	u8 sdu[34] = {};
	struct iphdr *ip = (struct iphdr *)sdu;
	unsigned int after;

	memcpy(sdu, ip4_hdr, sizeof(ip4_hdr));
	ip->tot_len = htons(28);
	ip->check = 0;
	ip->check = ip_fast_csum(ip, 5);
	KUNIT_EXPECT_TRUE(test, sdu_check(test, sdu, 34, false, 34, &after));
	KUNIT_EXPECT_EQ(test, after, 28);
	KUNIT_EXPECT_FALSE(test, sdu_check(test, sdu, 34, true, 34, &after));
	/* padding of any other frame length is not Ethernet's */
	KUNIT_EXPECT_FALSE(test, sdu_check(test, sdu, 33, false, 33, &after));
}

static struct kunit_case frame_cases[] = {
	KUNIT_CASE(frame_hdr_size),
	KUNIT_CASE(frame_round_trip_edges),
	KUNIT_CASE(frame_pgk_index_masked),
	KUNIT_CASE(frame_wire_octets),
	KUNIT_CASE(frame_reserved_ignored),
	KUNIT_CASE(frame_short),
	KUNIT_CASE(frame_bad_version),
	KUNIT_CASE(frame_bad_sdu_type),
	KUNIT_CASE(frame_count),
	KUNIT_CASE(frame_dst),
	KUNIT_CASE(frame_sdu_ipv4),
	KUNIT_CASE(frame_sdu_ipv6),
	KUNIT_CASE(frame_sdu_eth_padding),
	{}
};

static struct kunit_suite frame_suite = {
	.name = "pc5sec-frame",
	.test_cases = frame_cases,
};

kunit_test_suite(frame_suite);
