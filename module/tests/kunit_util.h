/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PC5SEC_KUNIT_UTIL_H
#define _PC5SEC_KUNIT_UTIL_H

#include <kunit/test.h>
#include <linux/skbuff.h>
#include <linux/types.h>

struct pc5sec_pek;

/* Octets 00 01 02 ... 1f: the key most test vectors use. */
extern const u8 pc5sec_test_key_seq[32];

/*
 * Suite init/exit for suites that free PEKs or run key work: they need
 * pc5sec_wq. Built in, module_init (a device initcall) has run before
 * KUnit's executor (kernel_init_freeable); built as a module, the suites
 * run when the module is COMING, before its init: then the suite provides
 * the workqueue for as long as it runs.
 */
int pc5sec_test_suite_init(struct kunit_suite *suite);
void pc5sec_test_suite_exit(struct kunit_suite *suite);

struct sk_buff *pc5sec_test_skb(struct kunit *test, const u8 *hdr,
				const u8 *data, unsigned int len);
struct sk_buff *pc5sec_test_frag_skb(struct kunit *test, const u8 *hdr,
				     const u8 *data, unsigned int len,
				     unsigned int lin);
int pc5sec_test_crypt(struct kunit *test, struct sk_buff *skb, bool encrypt,
		      struct pc5sec_pek *pek, u32 count, bool *async);

#endif /* _PC5SEC_KUNIT_UTIL_H */
