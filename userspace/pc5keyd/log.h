/* SPDX-License-Identifier: GPL-2.0 */
/* pc5keyd logging: stderr with --foreground, else syslog. Never key bytes. */
#ifndef PC5KEYD_LOG_H
#define PC5KEYD_LOG_H

#include <stdbool.h>
#include <syslog.h>

extern bool log_foreground;
extern int log_level;

void logmsg(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif /* PC5KEYD_LOG_H */
