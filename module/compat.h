/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every kernel-version difference pc5sec cares about lives here, so that
 * the rest of the module reads like code for one kernel. The baseline is
 * Linux 6.1 (Debian 12); newer kernels get the shims below.
 */
#ifndef _PC5SEC_COMPAT_H
#define _PC5SEC_COMPAT_H

#include <linux/version.h>
#include <linux/netdevice.h>

/* Lockless TX moved from a feature bit to a device field in 6.12. */
static inline void pc5sec_set_lltx(struct net_device *dev)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 12, 0)
	dev->features |= NETIF_F_LLTX;
#else
	dev->lltx = true;
#endif
}

/* The get_unaligned_*() helpers moved from asm/ to linux/ in 6.12. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/* skb_gso_segment() moved to its own header in 6.5. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
#include <net/gso.h>
#endif

#if defined(KUNIT_EXPECT_EQ) && !defined(KUNIT_ASSERT_FAILURE)
/* KUNIT_ASSERT_FAILURE was renamed KUNIT_FAIL_AND_ABORT in 6.10. */
#define KUNIT_ASSERT_FAILURE(test, fmt, ...) \
	KUNIT_FAIL_AND_ABORT(test, fmt, ##__VA_ARGS__)
#endif

#if defined(KUNIT_EXPECT_EQ) && !defined(KUNIT_EXPECT_MEMEQ)
/* KUnit gained memory comparisons in 6.2. */
#define KUNIT_EXPECT_MEMEQ(test, left, right, size) \
	KUNIT_EXPECT_EQ(test, memcmp(left, right, size), 0)
#define KUNIT_EXPECT_MEMNEQ(test, left, right, size) \
	KUNIT_EXPECT_NE(test, memcmp(left, right, size), 0)
#endif

/* Crypto completion callbacks take the request's data pointer since 6.3. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
#define PC5SEC_CRYPTO_DONE(name) \
	void name(struct crypto_async_request *pc5sec_areq, int err)
#define PC5SEC_CRYPTO_DATA() (pc5sec_areq->data)
#else
#define PC5SEC_CRYPTO_DONE(name) void name(void *pc5sec_data, int err)
#define PC5SEC_CRYPTO_DATA() (pc5sec_data)
#endif

/*
 * A multicast group that needs CAP_NET_ADMIN to join came with 6.7 and was
 * backported to stable kernels, Debian's 6.1 among them: test for the
 * flag, not the version. Without it anyone may listen to the events,
 * which carry key metadata but never key bytes.
 */
#include <net/genetlink.h>
#ifdef GENL_MCAST_CAP_NET_ADMIN
#define PC5SEC_MCGRP_FLAGS	GENL_MCAST_CAP_NET_ADMIN
#else
#define PC5SEC_MCGRP_FLAGS	0
#endif

/*
 * A dump's parsed attributes and family: fields of genl_dumpit_info until
 * 6.2, of the genl_info inside it (genl_info_dump()) since.
 */
static inline struct nlattr **pc5sec_dump_attrs(struct netlink_callback *cb)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
	return genl_dumpit_info(cb)->attrs;
#else
	return genl_info_dump(cb)->attrs;
#endif
}

static inline const struct genl_family *
pc5sec_dump_family(struct netlink_callback *cb)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
	return genl_dumpit_info(cb)->family;
#else
	return genl_info_dump(cb)->family;
#endif
}

#endif /* _PC5SEC_COMPAT_H */
