/* SPDX-License-Identifier: GPL-2.0 */
/* Small helpers every part of pc5sec's userspace uses. */
#ifndef PC5SEC_UTIL_H
#define PC5SEC_UTIL_H

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif /* PC5SEC_UTIL_H */
