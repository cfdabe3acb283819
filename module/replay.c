// SPDX-License-Identifier: GPL-2.0
/*
 * Replay window. Check and update are separate so that an authenticated
 * suite can update only after the frame authenticates; an unauthenticated
 * one (EEA0-EEA3) calls both under one lock.
 */
#include <linux/kernel.h>
#include <linux/minmax.h>

#include "replay.h"

#define RING_WORDS	(PC5SEC_REPLAY_BITS / BITS_PER_LONG)

/*
 * True when @count is neither older than @window below the highest COUNT
 * accepted nor already accepted. With @window 0 only increasing COUNTs pass.
 */
bool pc5sec_replay_check(const struct pc5sec_replay *r, u32 count, u32 window)
{
	u64 c = (u64)count + 1;	/* so that COUNT 0 is distinct from "none" */

	if (c > r->top)
		return true;
	if (c + window < r->top)
		return false;
	return !test_bit(c % PC5SEC_REPLAY_BITS, r->ring);
}

/* Records @count, which pc5sec_replay_check() accepted. */
void pc5sec_replay_update(struct pc5sec_replay *r, u32 count)
{
	u64 c = (u64)count + 1;

	if (c > r->top) {
		u64 cur = r->top / BITS_PER_LONG, next = c / BITS_PER_LONG;
		u64 i, n = min_t(u64, next - cur, RING_WORDS);

		/* Words the window slides onto held bits from a lap ago. */
		for (i = 1; i <= n; i++)
			r->ring[(cur + i) % RING_WORDS] = 0;
		r->top = c;
	}
	__set_bit(c % PC5SEC_REPLAY_BITS, r->ring);
}
