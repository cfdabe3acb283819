/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pc5keyd's state directory: durable, 0600 files written atomically
 * (temporary file, fsync, rename, fsync of the directory).
 *
 *   watermark-GGGGGG   per group: for each PGK ID, the PTK Identity below
 *                      which TX may have used COUNTs ("pgk-id N reserved R")
 *   keys-GGGGGG.xml    per group: the last KEY_RESPONSE for it (only when
 *                      keys are not kept in the kernel keyring)
 */
#ifndef PC5KEYD_STATE_H
#define PC5KEYD_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "lib/errmsg.h"

struct wm_entry {
	uint8_t pgk_id;
	uint32_t reserved;	/* PTK Identities < reserved may have been used */
};

struct wm_table {
	size_t n;
	struct wm_entry e[256];
};

/* 0 when absent */
uint32_t wm_get(const struct wm_table *t, uint8_t pgk_id);
void wm_set(struct wm_table *t, uint8_t pgk_id, uint32_t reserved);
void wm_del(struct wm_table *t, uint8_t pgk_id);

/* PTK Identities: 0..0xffff; a watermark of WM_ALL reserves every one */
#define WM_ALL		0x10000

/*
 * The watermark a PGK needs when TX is at PTK Identity @tx (its next one)
 * and @reserved is recorded: @reserved while it is more than half a block
 * ahead of @tx or is WM_ALL already, else @tx + @block, at most WM_ALL.
 * With @reserved == @tx: the first reservation of a PGK starting at @tx.
 */
uint32_t wm_extend(uint32_t reserved, uint32_t tx, uint32_t block);

/* A missing file is an empty table; a corrupt one is an error. */
int wm_load(const char *dir, uint32_t group, struct wm_table *t, struct errmsg *why);
int wm_save(const char *dir, uint32_t group, const struct wm_table *t, struct errmsg *why);

/* Atomic, durable, mode 0600. */
int state_write_file(const char *dir, const char *name, const void *buf,
		     size_t len, struct errmsg *why);
/* -ENOENT when absent; -EFBIG when larger than *len. */
int state_read_file(const char *dir, const char *name, void *buf, size_t *len,
		    struct errmsg *why);

#endif /* PC5KEYD_STATE_H */
