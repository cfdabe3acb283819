/* SPDX-License-Identifier: GPL-2.0 */
/* pc5keyd's side of the kernel: links, keys, watermarks (see kernel.c) */
#ifndef PC5KEYD_KERNEL_H
#define PC5KEYD_KERNEL_H

#include "config.h"
#include "lib/pc5nl.h"
#include "pc3.h"
#include "state.h"

/*
 * Creates the group's link (or brings its settings in line with @pg),
 * sets its address and brings it up, then installs every PGK of @pg that
 * is not installed yet and not expired: before each, the watermark of the
 * PGK (its ID and key fingerprint, see state.h) is moved one block past
 * the PTK Identity it starts at and saved;
 * the key is installed with ptk-start at the old watermark and ptk-limit
 * at the new one, which the kernel then never sends past. In keyring
 * mode the PGK goes through a "logon" key. @pg's key bytes are the
 * caller's to wipe.
 *
 * A PGK whose PGK Index (low 5 bits of its ID) an installed PGK of
 * another ID has is not installed and costs no watermark block: it is
 * logged, and *@retry_at is the UTC second to call again, just after that
 * PGK expires (0: nothing to retry). If the other PGK has no expiry, that
 * is an error. Returns the number of keys installed, or an error.
 */
int kern_apply(struct pc5nl *nl, const struct conf *c,
	       const struct conf_group *g, const struct pc3_group *pg,
	       struct wm_table *wm, uint32_t *ifindex, uint64_t *retry_at,
	       struct errmsg *why);

/*
 * Reads the link's keys and extends the watermark of each before TX
 * reaches it (when tx_ptk_id is within half a block of it); a key no
 * watermark tracks (installed by hand) gets one. Drops the watermarks of
 * PGKs expired more than WM_GRACE ago that the kernel no longer holds,
 * and only those. Then, only with the watermarks safely on disk, brings
 * each key's PTK limit in the kernel to its watermark (KEY_SET): raised
 * after a move, set on a key that has none, retried after a KEY_SET that
 * failed. If saving fails, @wm goes back to what is on disk and no limit
 * is raised.
 */
int kern_watermark(struct pc5nl *nl, const struct conf *c,
		   const struct conf_group *g, struct wm_table *wm,
		   struct errmsg *why);

/*
 * The watermarks' fingerprint of a PGK: 8 bytes of HMAC-SHA-256 keyed with
 * it over a fixed label (never the key itself). False, and no
 * fingerprint, for an all-zero key: keyring mode's stored metadata.
 */
bool kern_fingerprint(const uint8_t key[PC5SEC_PGK_LEN], uint8_t fp[WM_FP_LEN]);

/*
 * A PGK the PKMF revoked: KEY_DEL with reason revoked on the group's
 * link, and in keyring mode its logon key invalidated. 1 if the kernel
 * held it, 0 if not (or no link), else an error. Its watermark stays:
 * the same PGK must never send from PTK Identity 0 again.
 */
int kern_revoke(struct pc5nl *nl, const struct conf *c, const struct conf_group *g,
		uint8_t id, struct errmsg *why);

/* The PGK IDs installed on the group's link; 0 entries if it is absent. */
int kern_held(struct pc5nl *nl, const struct conf_group *g, uint8_t *ids,
	      size_t max, size_t *n);

#endif /* PC5KEYD_KERNEL_H */
