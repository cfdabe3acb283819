// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the replay window. The sequences are those of WireGuard's counter
 * self-test (drivers/net/wireguard/selftest/counter.c), adapted to the
 * split check/update API and to a configurable window, plus a comparison
 * with a plain reference model (a bit per COUNT, no ring).
 *
 * The semantic, as replay.c defines it: with H the highest COUNT accepted,
 * a COUNT c <= H passes when H - c <= window and c was not accepted yet;
 * so exactly @window behind H passes, @window + 1 behind does not. With
 * window 0 only increasing COUNTs pass.
 */
#include <kunit/test.h>
#include <linux/bitmap.h>
#include <linux/kernel.h>
#include <linux/prandom.h>
#include <linux/slab.h>

#include "compat.h"
#include "replay.h"

static struct pc5sec_replay *replay_new(struct kunit *test)
{
	struct pc5sec_replay *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, r);
	return r;
}

/* What the receive path does: check, and update only when accepted. */
static bool replay_accept(struct pc5sec_replay *r, u32 count, u32 window)
{
	if (!pc5sec_replay_check(r, count, window))
		return false;
	pc5sec_replay_update(r, count);
	return true;
}

#define T(n, v) do {							\
	u32 t_count = (n);						\
									\
	KUNIT_EXPECT_EQ_MSG(test, replay_accept(r, t_count, w), (v),	\
			    "window %u COUNT %u", w, t_count);		\
} while (0)

/* WireGuard's sequence, T_LIM = window + 1; w must be at least 16. */
static void replay_wg_sequence(struct kunit *test, u32 w)
{
	struct pc5sec_replay *r = replay_new(test);
	const u32 lim = w + 1;
	u32 i;

	/*  1 */ T(0, true);
	/*  2 */ T(1, true);
	/*  3 */ T(1, false);
	/*  4 */ T(9, true);
	/*  5 */ T(8, true);
	/*  6 */ T(7, true);
	/*  7 */ T(7, false);
	/*  8 */ T(lim, true);
	/*  9 */ T(lim - 1, true);
	/* 10 */ T(lim - 1, false);
	/* 11 */ T(lim - 2, true);
	/* 12 */ T(2, true);
	/* 13 */ T(2, false);
	/* 14 */ T(lim + 16, true);
	/* 15 */ T(3, false);
	/* 16 */ T(lim + 16, false);
	/* 17 */ T(lim * 4, true);
	/* 18 */ T(lim * 4 - (lim - 1), true);
	/* 19 */ T(10, false);
	/* 20 */ T(lim * 4 - lim, false);
	/* 21 */ T(lim * 4 - (lim + 1), false);
	/* 22 */ T(lim * 4 - (lim - 2), true);
	/* 23 */ T(lim * 4 + 1 - lim, false);
	/* 24 */ T(0, false);
	/*
	 * 25-34: WireGuard rejects from REJECT_AFTER_MESSAGES on; here every
	 * 32-bit COUNT is valid, so the same steps run at the top of the
	 * COUNT space instead.
	 */
	T(U32_MAX, true);
	T(U32_MAX, false);
	T(U32_MAX - 1, true);
	T(U32_MAX - 1, false);
	T(U32_MAX - w, true);
	T(U32_MAX - w - 1, false);
	T(U32_MAX - w, false);
	T(U32_MAX - 2, true);
	T(lim * 4, false);
	T(0, false);

	memset(r, 0, sizeof(*r));
	for (i = 1; i <= w; ++i)
		T(i, true);
	T(0, true);
	T(0, false);

	memset(r, 0, sizeof(*r));
	for (i = 2; i <= w + 1; ++i)
		T(i, true);
	T(1, true);
	T(0, false);

	memset(r, 0, sizeof(*r));
	for (i = w + 1; i-- > 0;)
		T(i, true);

	memset(r, 0, sizeof(*r));
	for (i = w + 2; i-- > 1;)
		T(i, true);
	T(0, false);

	memset(r, 0, sizeof(*r));
	for (i = w + 1; i-- > 1;)
		T(i, true);
	T(w + 1, true);
	T(0, false);

	memset(r, 0, sizeof(*r));
	for (i = w + 1; i-- > 1;)
		T(i, true);
	T(0, true);
	T(w + 1, true);
}

static void replay_wireguard_max(struct kunit *test)
{
	replay_wg_sequence(test, PC5SEC_REPLAY_WINDOW_MAX);
}

/* Windows around word boundaries of the ring, and a few odd ones. */
static void replay_wireguard_windows(struct kunit *test)
{
	static const u32 windows[] = {
		16, 63, 64, 65, 100, 127, 128, 1000,
		PC5SEC_REPLAY_WINDOW_MAX - 1,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(windows); i++)
		replay_wg_sequence(test, windows[i]);
}

/* The first COUNT may be 0 (COUNT 0 must not look like "nothing yet"). */
static void replay_first_zero(struct kunit *test)
{
	struct pc5sec_replay *r = replay_new(test);
	u32 w = 64;

	T(0, true);
	T(0, false);
	T(1, true);
	T(0, false);
	T(1, false);

	memset(r, 0, sizeof(*r));
	w = 0;
	T(0, true);
	T(0, false);
}

/* Exactly @window behind the highest passes; @window + 1 behind fails. */
static void replay_window_edges(struct kunit *test)
{
	static const u32 windows[] = {
		1, 2, 31, 32, 63, 64, 65, 4000, PC5SEC_REPLAY_WINDOW_MAX,
	};
	static const u32 highs[] = { 5000, 0x10000, 0x7fffffff, U32_MAX };
	struct pc5sec_replay *r = replay_new(test);
	unsigned int i, j;
	u32 w, h;

	for (i = 0; i < ARRAY_SIZE(windows); i++) {
		for (j = 0; j < ARRAY_SIZE(highs); j++) {
			w = windows[i];
			h = highs[j];
			memset(r, 0, sizeof(*r));
			T(h, true);
			T(h - w - 1, false);
			T(h - w, true);
			T(h - w, false);
			T(h - w - 1, false);
			T(h, false);
			/* One step forward moves the lower edge by one. */
			T(h + 1, h != U32_MAX);
			if (h == U32_MAX)
				continue;
			T(h - w, false);		/* now window + 1 behind */
			if (w > 1)		/* the new edge; for w 1 it is h */
				T(h - w + 1, true);
			T(h - w + 1, false);
		}
	}
}

/* A window below the highest COUNT's word, using every bit in it. */
static void replay_window_full(struct kunit *test)
{
	struct pc5sec_replay *r = replay_new(test);
	u32 w = PC5SEC_REPLAY_WINDOW_MAX, h = 3 * PC5SEC_REPLAY_BITS + 17, i;

	T(h, true);
	/* Every COUNT of the window, in reverse: each accepted once. */
	for (i = 1; i <= w; i++)
		T(h - i, true);
	for (i = 0; i <= w; i++)
		T(h - i, false);
	T(h - w - 1, false);
}

/* Window 0: strictly increasing COUNTs only. */
static void replay_window_zero(struct kunit *test)
{
	struct pc5sec_replay *r = replay_new(test);
	u32 w = 0;

	T(5, true);
	T(5, false);
	T(4, false);
	T(0, false);
	T(6, true);
	T(8, true);
	T(7, false);
	T(1000, true);
	T(999, false);
	T(1000, false);
	T(1001, true);
	T(U32_MAX, true);
	T(U32_MAX - 1, false);
	T(U32_MAX, false);
}

/*
 * Far jumps clear the ring: COUNTs that share a bit (mod the ring size)
 * with COUNTs accepted a lap ago must pass once, for jumps just below,
 * at, and above one lap, and far beyond.
 */
static void replay_far_jump(struct kunit *test)
{
	static const u32 jumps[] = {
		PC5SEC_REPLAY_BITS - BITS_PER_LONG - 1,
		PC5SEC_REPLAY_BITS - BITS_PER_LONG,
		PC5SEC_REPLAY_BITS - 1,
		PC5SEC_REPLAY_BITS,
		PC5SEC_REPLAY_BITS + 1,
		PC5SEC_REPLAY_BITS + BITS_PER_LONG,
		2 * PC5SEC_REPLAY_BITS,
		PC5SEC_REPLAY_WINDOW_MAX + 1,
		0x10000,
		0x7fffffff,
	};
	struct pc5sec_replay *r = replay_new(test);
	u32 w = PC5SEC_REPLAY_WINDOW_MAX;
	unsigned int i;
	u32 c, h, base = 100;

	for (i = 0; i < ARRAY_SIZE(jumps); i++) {
		memset(r, 0, sizeof(*r));
		/* A full window of accepted COUNTs below base + w. */
		for (c = base; c <= base + w; c++)
			T(c, true);
		h = base + w + jumps[i];
		T(h, true);
		/* Everything the new window holds is new, once. */
		for (c = h - 1; c != h - w - 1; c--)
			T(c, c > base + w);
		for (c = h; c != h - w - 1; c--)
			T(c, false);
		T(h - w - 1, false);
	}
}

/* The top of the COUNT space. */
static void replay_count_max(struct kunit *test)
{
	struct pc5sec_replay *r = replay_new(test);
	u32 w = 64;

	T(U32_MAX, true);
	T(U32_MAX, false);
	T(0, false);
	T(U32_MAX - 64, true);
	T(U32_MAX - 65, false);
	T(U32_MAX - 1, true);

	memset(r, 0, sizeof(*r));
	T(U32_MAX - 1, true);
	T(U32_MAX, true);
	T(U32_MAX - 1, false);
	T(U32_MAX, false);
}

/*
 * Check alone never changes the state: a frame that is checked but not
 * (yet) authenticated cannot move the window or mark a COUNT as seen.
 */
static void replay_check_only(struct kunit *test)
{
	static const u32 probes[] = {
		0, 1, 999, 1000, 1001, 1100, 1200, 5000,
		1000 + PC5SEC_REPLAY_BITS, 0x7fffffff, U32_MAX,
	};
	struct pc5sec_replay *r = replay_new(test);
	struct pc5sec_replay *copy = replay_new(test);
	u32 w = 128;
	unsigned int i, k;

	T(1000, true);
	T(1100, true);
	T(1050, true);
	memcpy(copy, r, sizeof(*r));
	for (k = 0; k < 3; k++)
		for (i = 0; i < ARRAY_SIZE(probes); i++)
			pc5sec_replay_check(r, probes[i], w);
	KUNIT_EXPECT_MEMEQ(test, r, copy, sizeof(*r));

	/* The forged far COUNTs did not move the window: old ones still pass. */
	T(1000, false);
	T(1001, true);
	T(1050, false);
	T(1099, true);
	T(1200, true);
	/* And a COUNT checked twice before its update is accepted once. */
	KUNIT_EXPECT_TRUE(test, pc5sec_replay_check(r, 1150, w));
	KUNIT_EXPECT_TRUE(test, pc5sec_replay_check(r, 1150, w));
	pc5sec_replay_update(r, 1150);
	KUNIT_EXPECT_FALSE(test, pc5sec_replay_check(r, 1150, w));
}

/*
 * Against a reference model: the highest COUNT and one bit per COUNT of a
 * 64 Ki ring, each bit cleared explicitly as the highest COUNT passes it,
 * over a pseudo-random walk of the whole 32-bit space.
 */
#define MODEL_BITS	0x10000U

/* Clears the bits of the @n COUNTs from @from on (@n below MODEL_BITS). */
static void model_clear(unsigned long *seen, u32 from, u32 n)
{
	u32 start = from % MODEL_BITS, first = min(n, MODEL_BITS - start);

	bitmap_clear(seen, start, first);
	bitmap_clear(seen, 0, n - first);
}

static void replay_model_run(struct kunit *test, u32 w, u64 seed)
{
	struct pc5sec_replay *r = replay_new(test);
	unsigned long *seen;
	struct rnd_state rnd;
	bool have = false, want;
	u32 high = 0, c, i, x;
	s64 d;

	seen = kunit_kzalloc(test, BITS_TO_LONGS(MODEL_BITS) * sizeof(long),
			     GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, seen);
	prandom_seed_state(&rnd, seed);

	for (i = 0; i < 200000; i++) {
		x = prandom_u32_state(&rnd);
		switch (x % 16) {
		case 0:		/* a jump, sometimes beyond a lap */
			d = (x >> 4) % (3 * PC5SEC_REPLAY_BITS);
			break;
		case 1:		/* rarely, a very far one */
			d = (x >> 4) % 64 ? 1 :
			    prandom_u32_state(&rnd) % (1U << 26);
			break;
		case 2:		/* around the lower edge */
		case 3:
			d = -(s64)w + (s64)((x >> 4) % 5) - 2;
			break;
		case 4:		/* older than the window */
			d = -(s64)((x >> 4) % (2 * PC5SEC_REPLAY_BITS));
			break;
		default:	/* near the top, either side */
			d = (s64)((x >> 4) % (2 * w + 64)) - w - 32;
			break;
		}
		d += high;
		if (d < 0 || d > U32_MAX)
			continue;
		c = d;
		want = !have || c > high ||
		       (high - c <= w && !test_bit(c % MODEL_BITS, seen));
		KUNIT_ASSERT_EQ_MSG(test, replay_accept(r, c, w), want,
				    "window %u step %u COUNT %u highest %u",
				    w, i, c, high);
		if (!want)
			continue;
		if (have && c > high) {
			if (c - high >= MODEL_BITS)
				bitmap_zero(seen, MODEL_BITS);
			else
				model_clear(seen, high + 1, c - high - 1);
		}
		__set_bit(c % MODEL_BITS, seen);
		if (!have || c > high)
			high = c;
		have = true;
	}
	/* The walk reached the top of the COUNT space. */
	KUNIT_EXPECT_GT(test, high, U32_MAX - (1U << 27));
}

static void replay_model(struct kunit *test)
{
	static const u32 windows[] = {
		0, 1, 63, 64, 65, 1000, PC5SEC_REPLAY_WINDOW_MAX,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(windows); i++)
		replay_model_run(test, windows[i], 0x5ec0 + i);
}

#undef T

static struct kunit_case replay_cases[] = {
	KUNIT_CASE(replay_wireguard_max),
	KUNIT_CASE(replay_wireguard_windows),
	KUNIT_CASE(replay_first_zero),
	KUNIT_CASE(replay_window_edges),
	KUNIT_CASE(replay_window_full),
	KUNIT_CASE(replay_window_zero),
	KUNIT_CASE(replay_far_jump),
	KUNIT_CASE(replay_count_max),
	KUNIT_CASE(replay_check_only),
	KUNIT_CASE(replay_model),
	{}
};

static struct kunit_suite replay_suite = {
	.name = "pc5sec-replay",
	.test_cases = replay_cases,
};

kunit_test_suite(replay_suite);
