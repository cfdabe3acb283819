// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the TS 33.220/33.303 KDF, PTK and PEK derivations. Expected values
 * were computed independently with Python's hmac/hashlib (see the commands
 * in Documentation/testing.md), not with this code.
 */
#include <kunit/test.h>
#include <linux/pc5sec.h>

#include "compat.h"
#include "kdf.h"
#include "kunit_util.h"

/* PTK for PGK 00..1f, member 0x123456, PTK Identity 0x0102, group 0xabcdef */
static const u8 ptk_seq[PC5SEC_PTK_LEN] = {
	0xf7, 0x16, 0x34, 0x48, 0x64, 0x37, 0xf1, 0x40,
	0x08, 0x18, 0xe4, 0x93, 0x6a, 0x0f, 0x8a, 0xc7,
	0xa7, 0x5f, 0xfe, 0xda, 0xe0, 0x56, 0xfb, 0x95,
	0xec, 0x75, 0xf8, 0x83, 0xb8, 0x23, 0x79, 0xdf,
};

static void kdf_generic(struct kunit *test)
{
	/* HMAC-SHA-256("key", 0x10 || "abc" || 0x00 0x03) */
	static const u8 want[PC5SEC_KDF_OUT_LEN] = {
		0x30, 0xaa, 0xd4, 0x3f, 0x4b, 0x6d, 0x5e, 0x14,
		0x68, 0xf8, 0x95, 0xa5, 0xc3, 0x34, 0x9c, 0xcd,
		0x7f, 0x7b, 0x41, 0x02, 0xec, 0x00, 0x3f, 0xb0,
		0x84, 0xfd, 0xac, 0x0b, 0xfc, 0x77, 0x8e, 0x21,
	};
	const struct pc5sec_kdf_param p = { "abc", 3 };
	u8 out[PC5SEC_KDF_OUT_LEN];

	KUNIT_ASSERT_EQ(test, pc5sec_kdf("key", 3, 0x10, &p, 1, out), 0);
	KUNIT_EXPECT_MEMEQ(test, out, want, sizeof(want));
}

static void kdf_ptk(struct kunit *test)
{
	u8 ptk[PC5SEC_PTK_LEN];

	KUNIT_ASSERT_EQ(test, pc5sec_derive_ptk(pc5sec_test_key_seq, 0x123456, 0x0102,
						0xabcdef, ptk), 0);
	KUNIT_EXPECT_MEMEQ(test, ptk, ptk_seq, sizeof(ptk));
}

/* All-ones PGK and member, PTK Identity 0xffff, group 0: the field edges. */
static void kdf_ptk_edges(struct kunit *test)
{
	static const u8 want[PC5SEC_PTK_LEN] = {
		0x8a, 0xd3, 0xf6, 0x1e, 0x11, 0x24, 0x79, 0xe3,
		0xaf, 0x70, 0x66, 0x8a, 0x3d, 0xdc, 0x7e, 0xae,
		0xc5, 0x79, 0x4e, 0xd3, 0x4e, 0xff, 0x7c, 0x06,
		0xda, 0x61, 0x33, 0x75, 0x96, 0x15, 0x6e, 0x70,
	};
	u8 pgk[PC5SEC_PGK_LEN], ptk[PC5SEC_PTK_LEN];

	memset(pgk, 0xff, sizeof(pgk));
	KUNIT_ASSERT_EQ(test, pc5sec_derive_ptk(pgk, 0xffffff, 0xffff, 0,
						ptk), 0);
	KUNIT_EXPECT_MEMEQ(test, ptk, want, sizeof(want));
}

/* 128-bit PEK: the last 16 octets of the KDF output. */
static void kdf_pek_128(struct kunit *test)
{
	static const u8 want[16] = {
		0xea, 0x24, 0x10, 0x1f, 0xe9, 0xfb, 0x7a, 0xf8,
		0x69, 0xa6, 0xe8, 0x89, 0x13, 0xc2, 0x92, 0xdf,
	};
	u8 pek[16];

	KUNIT_ASSERT_EQ(test, pc5sec_derive_pek(ptk_seq, PC5SEC_CIPHER_EEA2,
						pek, sizeof(pek)), 0);
	KUNIT_EXPECT_MEMEQ(test, pek, want, sizeof(want));
}

/* 256-bit PEK: the whole output, algorithm identity 0x11. */
static void kdf_pek_256(struct kunit *test)
{
	static const u8 want[32] = {
		0x52, 0xad, 0x5d, 0x6e, 0xc0, 0xc4, 0x27, 0x7e,
		0xbb, 0x82, 0x18, 0xb4, 0x7d, 0xeb, 0x53, 0x57,
		0xee, 0x57, 0x21, 0x81, 0x75, 0x92, 0x68, 0x14,
		0x8a, 0xd8, 0xb2, 0xad, 0xec, 0x68, 0x50, 0xc9,
	};
	u8 pek[32];

	KUNIT_ASSERT_EQ(test,
			pc5sec_derive_pek(ptk_seq, PC5SEC_CIPHER_AES_GCM_256,
					  pek, sizeof(pek)), 0);
	KUNIT_EXPECT_MEMEQ(test, pek, want, sizeof(want));
}

/* Each identity field must change the PTK: no field is silently ignored. */
static void kdf_ptk_inputs_matter(struct kunit *test)
{
	u8 a[PC5SEC_PTK_LEN], b[PC5SEC_PTK_LEN];

	KUNIT_ASSERT_EQ(test, pc5sec_derive_ptk(pc5sec_test_key_seq, 1, 1, 1, a), 0);
	KUNIT_ASSERT_EQ(test, pc5sec_derive_ptk(pc5sec_test_key_seq, 2, 1, 1, b), 0);
	KUNIT_EXPECT_MEMNEQ(test, a, b, sizeof(a));
	KUNIT_ASSERT_EQ(test, pc5sec_derive_ptk(pc5sec_test_key_seq, 1, 2, 1, b), 0);
	KUNIT_EXPECT_MEMNEQ(test, a, b, sizeof(a));
	KUNIT_ASSERT_EQ(test, pc5sec_derive_ptk(pc5sec_test_key_seq, 1, 1, 2, b), 0);
	KUNIT_EXPECT_MEMNEQ(test, a, b, sizeof(a));
}

static struct kunit_case kdf_cases[] = {
	KUNIT_CASE(kdf_generic),
	KUNIT_CASE(kdf_ptk),
	KUNIT_CASE(kdf_ptk_edges),
	KUNIT_CASE(kdf_pek_128),
	KUNIT_CASE(kdf_pek_256),
	KUNIT_CASE(kdf_ptk_inputs_matter),
	{}
};

static struct kunit_suite kdf_suite = {
	.name = "pc5sec-kdf",
	.test_cases = kdf_cases,
};

kunit_test_suite(kdf_suite);
