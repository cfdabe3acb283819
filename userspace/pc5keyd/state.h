/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pc5keyd's state directory: durable, 0600 files written atomically
 * (temporary file, fsync, rename, fsync of the directory).
 *
 *   watermark-GGGGGG   per group: for each PGK (ID and key fingerprint),
 *                      the PTK Identity below which TX may have used
 *                      COUNTs: "pgk-id N key FP not-after T reserved R"
 *                      (FP "-": not known; "pgk-id N reserved R": a line
 *                      of an older pc5keyd)
 *   keys-GGGGGG.xml    per group: every unexpired PGK of the KEY_RESPONSEs
 *                      for it, as one KEY_RESPONSE (key bytes zero in
 *                      keyring mode)
 *   initialized        written by `pc5keyd --init` (state_init()), never
 *                      by anything else: this directory has held the UE's
 *                      watermarks since before the UE first sent
 *
 * A lost directory (wiped, re-imaged, a new disk, an entry never made
 * durable) must not look like a UE that never sent: every PGK would start
 * again at PTK Identity 0. Without the marker, a PGK that no watermark
 * tracks and that is already valid (it may have been used before the
 * loss) is not installed; one whose not-before is still ahead (it cannot
 * have been used) is, from 0, and the UE is back at the next PGK. With
 * the marker, an untracked PGK is one this UE never installed (pc5keyd
 * reserves durably before it installs), and starts at 0.
 */
#ifndef PC5KEYD_STATE_H
#define PC5KEYD_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/errmsg.h"

/*
 * A watermark belongs to one PGK: its ID and a fingerprint of its key
 * (wm_fingerprint()), so that a different key under a reused ID starts
 * afresh while the same key, however it comes back (a later response, the
 * stored keys, the pre-provisioned file), never starts below it. An entry
 * is kept until WM_GRACE after its PGK's not-after, whatever the PKMF
 * lists or the kernel holds: a PKMF that leaves a held PGK out of its
 * response must not make the UE forget how far that PGK was used.
 *
 * An entry without fingerprint (has_fp false) was recorded without the
 * key: by an older pc5keyd (no not-after either: kept for good), for a
 * key found in the kernel that no entry tracks (installed by hand), or
 * for a PGK of the keyring mode's stored metadata. It may be any key
 * under its ID: every key with that ID starts at or above it, and when it
 * is dropped its watermark is folded into the other entries of the ID.
 */
#define WM_FP_LEN	8
#define WM_MAX		512
/* kept this long past not-after: a clock stepped back must not revive a PGK */
#define WM_GRACE	(24 * 3600)

struct wm_entry {
	uint8_t pgk_id;
	bool has_fp;
	uint8_t fp[WM_FP_LEN];
	uint64_t not_after;	/* UTC seconds; 0: unknown, kept for good */
	uint32_t reserved;	/* PTK Identities < reserved may have been used */
};

struct wm_table {
	size_t n;
	/*
	 * An untracked PGK (wm_known() false) may start at 0 however long
	 * it has been valid: the directory has its marker (wm_load()).
	 */
	bool fresh_ok;
	struct wm_entry e[WM_MAX];
};

#define STATE_MARKER	"initialized"


/* The identity of one PGK, as the watermarks know it */
struct wm_key {
	uint8_t pgk_id;
	bool has_fp;		/* false: the key bytes are not known here */
	uint8_t fp[WM_FP_LEN];
	uint64_t not_after;	/* 0: none */
};

/*
 * Where a PGK must start: the highest watermark of the entries that are,
 * or may be, its own (the same ID, and the same fingerprint unless one
 * side has none). 0 when there is none.
 */
uint32_t wm_start(const struct wm_table *t, const struct wm_key *k);

/* Whether an entry is, or may be, @k's: its use is on record. */
bool wm_known(const struct wm_table *t, const struct wm_key *k);
/*
 * Records @reserved for @k: in its own entry (the same fingerprint; for a
 * key without one, the entry without fingerprint of the same not-after),
 * created if missing, its not-after moved to @k's if later. Never lowers
 * a watermark. -ENOSPC when the table is full.
 */
int wm_reserve(struct wm_table *t, const struct wm_key *k, uint32_t reserved);
/*
 * Moves the not-after of @k's own entry (with a fingerprint) to @k's if
 * that is later: the PKMF extended the PGK. True if it changed.
 */
bool wm_note(struct wm_table *t, const struct wm_key *k);
/*
 * Drops the entries whose not-after is more than WM_GRACE in the past and
 * that @keep(entry, @arg) does not claim (a key the kernel still holds).
 * Returns the number dropped.
 */
size_t wm_expire(struct wm_table *t, uint64_t now,
		 bool (*keep)(const struct wm_entry *e, void *arg), void *arg);

/* The highest watermark under @pgk_id, over all its keys; 0 when absent */
uint32_t wm_get(const struct wm_table *t, uint8_t pgk_id);
/*
 * Test and migration helper: the entry of @pgk_id without fingerprint and
 * without not-after (what an older pc5keyd wrote) is set to @reserved.
 */
int wm_set(struct wm_table *t, uint8_t pgk_id, uint32_t reserved);

/* PTK Identities: 0..0xffff; a watermark of WM_ALL reserves every one */
#define WM_ALL		0x10000

/*
 * The watermark a PGK needs when TX is at PTK Identity @tx (its next one)
 * and @reserved is recorded: @reserved while it is more than half a block
 * ahead of @tx or is WM_ALL already, else @tx + @block, at most WM_ALL.
 * With @reserved == @tx: the first reservation of a PGK starting at @tx.
 */
uint32_t wm_extend(uint32_t reserved, uint32_t tx, uint32_t block);

/*
 * A missing file is an empty table; a corrupt one, or one that names the
 * same entry twice (a later line must never lower a watermark), is an
 * error.
 */
int wm_load(const char *dir, uint32_t group, struct wm_table *t, struct errmsg *why);
/* Whether @dir has its marker (a missing one is false, other errors too). */
bool state_has_marker(const char *dir);
/*
 * pc5keyd --init: creates @dir (0700) if need be, durably (its parent is
 * synced), then the marker. *@made: false if the marker was there.
 */
int state_init(const char *dir, bool *made, struct errmsg *why);
int wm_save(const char *dir, uint32_t group, const struct wm_table *t, struct errmsg *why);

/* Atomic, durable, mode 0600. */
int state_write_file(const char *dir, const char *name, const void *buf,
		     size_t len, struct errmsg *why);
/* -ENOENT when absent; -EFBIG when larger than *len. */
int state_read_file(const char *dir, const char *name, void *buf, size_t *len,
		    struct errmsg *why);

#endif /* PC5KEYD_STATE_H */
