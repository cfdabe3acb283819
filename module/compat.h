/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every kernel-version difference pc5sec cares about lives here, so that
 * the rest of the module reads like code for one kernel. The baseline is
 * Linux 6.1 (Debian 12); newer kernels get the shims below.
 */
#ifndef _PC5SEC_COMPAT_H
#define _PC5SEC_COMPAT_H

#include <linux/version.h>

#if defined(KUNIT_EXPECT_EQ) && !defined(KUNIT_EXPECT_MEMEQ)
/* KUnit gained memory comparisons in 6.2. */
#define KUNIT_EXPECT_MEMEQ(test, left, right, size) \
	KUNIT_EXPECT_EQ(test, memcmp(left, right, size), 0)
#define KUNIT_EXPECT_MEMNEQ(test, left, right, size) \
	KUNIT_EXPECT_NE(test, memcmp(left, right, size), 0)
#endif

#endif /* _PC5SEC_COMPAT_H */
