/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pc5keyd's state: everything one configuration decides, as one object.
 * A SIGHUP builds a new one completely (configuration parsed, state
 * directory and groups set up, watermarks loaded) and only then puts it
 * in place of the old, so that a reload that fails half-way leaves the
 * daemon exactly as it was, never with one configuration's settings and
 * another's groups. No kernel request is made while building.
 */
#ifndef PC5KEYD_KEYD_H
#define PC5KEYD_KEYD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "lib/errmsg.h"
#include "pc3.h"
#include "state.h"
#include "pc3key.h"
#include "store.h"

struct group {
	const struct conf_group *cfg;	/* in the same state's conf */
	struct wm_table wm;
	uint32_t ifindex;
	bool limit_hit;			/* EVT_KEY_LIMIT: check the watermarks now */
	/* UTC s: install the stored PGKs again (a PGK Index was taken); 0: no */
	uint64_t retry_at;
	bool known;			/* meta is valid */
	struct pc3_group meta;		/* the last PGKs, key bytes wiped */
	/* EVT_UNKNOWN_PGK: no fetch before this (monotonic s), next wait */
	double unknown_next;
	uint32_t unknown_wait;
};

/*
 * An EVT_UNKNOWN_PGK from the air: anyone in range can send a frame with
 * any PGK Index, so it asks for a fetch only if @index is none of the
 * group's known PGKs and at most once per wait, which doubles from
 * KEYD_UNKNOWN_MIN to KEYD_UNKNOWN_MAX seconds. @now is monotonic.
 */
#define KEYD_UNKNOWN_MIN	30
#define KEYD_UNKNOWN_MAX	600
bool keyd_unknown_pgk(struct group *g, uint8_t index, double now);

struct keyd_state {
	struct conf conf;
	struct store *store;		/* conf's key-store, open for the state's life */
	struct pc3key *tls_key;		/* the PC3 key when in a token, else NULL */
	struct group groups[PC3_MAX_GROUPS];
	size_t ngroups;
};

/*
 * Builds a state from the configuration file @path. On failure nothing
 * is allocated, *@out is untouched and @why says what failed.
 */
int keyd_state_load(const char *path, struct keyd_state **out,
		    struct errmsg *why);
void keyd_state_free(struct keyd_state *s);

/*
 * The files of @c that hold secrets (key-file, the PIN file of a token in
 * use, pre-provisioned keys): refused, with the mode, if other users may
 * read them or the group may change them. At every start, reload and
 * pc5keyd --init.
 */
int keyd_check_secrets(const struct conf *c, struct errmsg *why);

/*
 * The key store settings of @c (pointing into @c). key-store unset means
 * tpm2 when the UE has a TPM (the default TCTI's /dev/tpmrm0 opens for
 * reading and writing; the shipped unit binds it into its private /dev
 * and the user is in group tss), else file.
 */
void keyd_store_conf(const struct conf *c, struct store_conf *sc);

/*
 * SIGHUP: a new state from @path replaces *@cur, which is freed. If the
 * new one cannot be built, *@cur stays in force untouched and the
 * failure is logged with its reason.
 */
int keyd_reload(struct keyd_state **cur, const char *path);

#endif /* PC5KEYD_KEYD_H */
