/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PC5SEC_EVENTS_H
#define _PC5SEC_EVENTS_H

#include <linux/types.h>
#include <linux/notifier.h>

struct pc5sec_dev;
struct pc5sec_pgk;

/*
 * Something userspace may want to hear about a link's keys. The key code
 * raises it, from process context (it may hold key_lock, never RTNL
 * alone); whoever listens (netlink.c) is told through the notifier chain,
 * so the key code never calls up into the netlink family.
 */
struct pc5sec_event {
	struct pc5sec_dev *pc;
	u8 cmd;				/* PC5SEC_CMD_EVT_* */
	u8 reason;			/* PC5SEC_REMOVED_*, or 0 */
	struct pc5sec_pgk *pgk;		/* the PGK it is about, or NULL */
	int pgk_index;			/* EVT_UNKNOWN_PGK; else -1 */
	u32 sender;			/* EVT_UNKNOWN_PGK */
};

void pc5sec_event_raise(const struct pc5sec_event *ev);
int pc5sec_events_register(struct notifier_block *nb);
void pc5sec_events_unregister(struct notifier_block *nb);

/* An event about one PGK; @reason only for EVT_KEY_REMOVED. */
static inline void pc5sec_event_key(struct pc5sec_dev *pc, u8 cmd,
				    struct pc5sec_pgk *pgk, u8 reason)
{
	struct pc5sec_event ev = {
		.pc = pc, .cmd = cmd, .pgk = pgk, .reason = reason,
		.pgk_index = -1,
	};

	pc5sec_event_raise(&ev);
}

#endif /* _PC5SEC_EVENTS_H */
