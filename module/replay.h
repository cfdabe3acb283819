/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PC5SEC_REPLAY_H
#define _PC5SEC_REPLAY_H

#include <linux/types.h>
#include <linux/bitops.h>
#include <linux/minmax.h>
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

/*
 * Check and update are separate so that an authenticated suite can update
 * only after the frame authenticates. Callers serialise calls on one
 * window (see struct pc5sec_rx_sa). Inline: the packet path calls both for
 * every frame, and under QEMU's TCG, where the lab measures, each call and
 * return is a lookup of its own (bench/README.md, "Fixed cost").
 */
#define PC5SEC_REPLAY_WORDS	(PC5SEC_REPLAY_BITS / BITS_PER_LONG)

/*
 * True when @count is neither older than @window below the highest COUNT
 * accepted nor already accepted. With @window 0 only increasing COUNTs pass.
 */
static inline bool pc5sec_replay_check(const struct pc5sec_replay *r,
				       u32 count, u32 window)
{
	u64 c = (u64)count + 1;	/* so that COUNT 0 is distinct from "none" */

	if (c > r->top)
		return true;
	if (c + window < r->top)
		return false;
	return !test_bit(c % PC5SEC_REPLAY_BITS, r->ring);
}

/* Records @count, which pc5sec_replay_check() accepted. */
static inline void pc5sec_replay_update(struct pc5sec_replay *r, u32 count)
{
	u64 c = (u64)count + 1;

	if (c > r->top) {
		u64 cur = r->top / BITS_PER_LONG, next = c / BITS_PER_LONG;
		u64 i, n = min_t(u64, next - cur, PC5SEC_REPLAY_WORDS);

		/* Words the window slides onto held bits from a lap ago. */
		for (i = 1; i <= n; i++)
			r->ring[(cur + i) % PC5SEC_REPLAY_WORDS] = 0;
		r->top = c;
	}
	__set_bit(c % PC5SEC_REPLAY_BITS, r->ring);
}

#endif /* _PC5SEC_REPLAY_H */
