/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PC5SEC_REPLAY_H
#define _PC5SEC_REPLAY_H

#include <linux/types.h>
#include <linux/bitops.h>
#include <linux/pc5sec.h>

/*
 * Sliding-window replay check over the 32-bit COUNT, RFC 6479 style (as in
 * WireGuard): a ring of bits, cleared a word at a time as the window moves,
 * so a far jump costs at most one pass over the ring. The ring is twice the
 * largest window, which keeps every accepted COUNT's bit distinct from the
 * bits still in the window.
 */
#define PC5SEC_REPLAY_BITS	(2 * PC5SEC_REPLAY_WINDOW_MAX)

struct pc5sec_replay {
	u64 top;	/* highest COUNT accepted + 1; 0 before the first */
	unsigned long ring[PC5SEC_REPLAY_BITS / BITS_PER_LONG];
};

/* Callers serialise calls on one window (see struct pc5sec_rx_sa). */
bool pc5sec_replay_check(const struct pc5sec_replay *r, u32 count, u32 window);
void pc5sec_replay_update(struct pc5sec_replay *r, u32 count);

#endif /* _PC5SEC_REPLAY_H */
