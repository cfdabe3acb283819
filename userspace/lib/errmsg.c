// SPDX-License-Identifier: GPL-2.0
/* Errors with a sentence (see errmsg.h). */
#include <stdio.h>
#include <string.h>

#include "errmsg.h"

int vfail(struct errmsg *why, int err, const char *fmt, va_list ap)
{
	char tmp[ERRMSG_LEN];

	if (!why)
		return err;
	/* through @tmp: the arguments may point into @why->msg */
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	memcpy(why->msg, tmp, sizeof(tmp));
	return err;
}

int fail(struct errmsg *why, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(why, err, fmt, ap);
	va_end(ap);
	return err;
}

const char *err_str(const struct errmsg *why, int err)
{
	if (why && why->msg[0])
		return why->msg;
	return strerror(err < 0 ? -err : err);
}
