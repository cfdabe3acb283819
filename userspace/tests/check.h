/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The userspace unit tests' one assertion: CHECK(cond, fmt, ...) counts a
 * pass or prints the failure with its place, and the test's main() ends
 * with check_summary(). Included by each test's single translation unit.
 */
#ifndef PC5SEC_TESTS_CHECK_H
#define PC5SEC_TESTS_CHECK_H

#include <stdio.h>

static unsigned int passed, failed;

#define CHECK(cond, ...)						\
	do {								\
		if (cond) {						\
			passed++;					\
		} else {						\
			failed++;					\
			printf("FAIL %s:%d: ", __FILE__, __LINE__);	\
			printf(__VA_ARGS__);				\
			putchar('\n');					\
		}							\
	} while (0)

/* The last line of every suite, and main()'s exit status */
static inline int check_summary(void)
{
	printf("%u passed, %u failed\n", passed, failed);
	/*
	 * Now: LeakSanitizer's report at exit ends the process without
	 * flushing stdio, which would lose every FAIL line above.
	 */
	fflush(stdout);
	return failed ? 1 : 0;
}

#endif
