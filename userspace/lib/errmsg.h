/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Errors, the one way across pc5sec's userspace: a function returns 0 or
 * a negative errno, and where a sentence helps more than the errno does
 * (which line of a file, which element of a document), it writes one into
 * the struct errmsg its caller passed. err_str() then gives that sentence,
 * else strerror(): the same rule as pc5nl_strerror() for the kernel's
 * extended ACKs, whose text lives in the handle's own struct errmsg.
 *
 * Sentences never quote key material; they may name files and positions.
 */
#ifndef PC5SEC_ERRMSG_H
#define PC5SEC_ERRMSG_H

#include <stdarg.h>

/* Room for two paths and a sentence (the longest: state files). */
#define ERRMSG_LEN	768

struct errmsg {
	char msg[ERRMSG_LEN];		/* "" when no sentence was given */
};

/*
 * Writes the sentence and returns @err (a negative errno), so that a
 * failure is "return fail(why, -EINVAL, ...)". The arguments may quote
 * @why->msg itself, to put context in front of a callee's sentence.
 * @why may be NULL: the errno alone is wanted.
 */
int fail(struct errmsg *why, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int vfail(struct errmsg *why, int err, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

static inline void errmsg_clear(struct errmsg *why)
{
	if (why)
		why->msg[0] = '\0';
}

/* @why's sentence if it has one, else strerror(-@err). */
const char *err_str(const struct errmsg *why, int err);

#endif /* PC5SEC_ERRMSG_H */
