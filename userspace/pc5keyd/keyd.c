// SPDX-License-Identifier: GPL-2.0
/* pc5keyd's state, built whole and replaced whole (see keyd.h) */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "keyd.h"
#include "log.h"

/* The state directory, and each group with its watermarks from it. */
static int setup_groups(struct keyd_state *s, struct errmsg *why)
{
	const struct conf *c = &s->conf;
	bool any = false;
	int err;

	if (mkdir(c->state_dir, 0700) && errno != EEXIST)
		return fail(why, -errno, "%s: %s", c->state_dir, strerror(errno));
	chmod(c->state_dir, 0700);
	s->ngroups = c->ngroups;
	for (size_t i = 0; i < s->ngroups; i++) {
		struct group *g = &s->groups[i];

		g->cfg = &c->groups[i];
		err = wm_load(c->state_dir, g->cfg->group_id, &g->wm, why);
		/* never guess: a lost watermark could reuse COUNTs */
		if (err)
			return fail(why, err, "group 0x%06x: %s: refusing to install keys",
				    g->cfg->group_id, err_str(why, err));
		any |= g->wm.n > 0;
	}
	/*
	 * Watermarks but no marker: the directory of a pc5keyd from before
	 * the marker, which kept it all along. Marked now, once (state.h).
	 */
	if (any && !state_has_marker(c->state_dir)) {
		bool made;

		err = state_init(c->state_dir, &made, why);
		if (err)
			return err;
		logmsg(LOG_NOTICE, "%s: watermarks of an earlier pc5keyd, no marker: marked",
		       c->state_dir);
		for (size_t i = 0; i < s->ngroups; i++)
			s->groups[i].wm.fresh_ok = true;
	}
	return 0;
}

/*
 * The UE's TLS key and a pre-provisioned KEY_RESPONSE (PGKs in the clear)
 * must not be open to other users: refused, with the mode, rather than
 * used. Only regular files are checked; a missing one fails where it is
 * used, and is logged there.
 */
static int check_secret(const char *path, const char *what, struct errmsg *why)
{
	struct stat st;

	if (!path[0] || stat(path, &st) || !S_ISREG(st.st_mode))
		return 0;
	if (st.st_mode & (S_IRWXO | S_IWGRP))
		return fail(why, -EACCES, "%s %s: mode %04o lets other users read or "
			    "change it: refusing it (chmod 600)", what, path,
			    (unsigned int)(st.st_mode & 07777));
	return 0;
}

int keyd_check_secrets(const struct conf *c, struct errmsg *why)
{
	int err = check_secret(c->key_file, "key-file", why);

	if (!err && (c->key_store == STORE_PKCS11 || pc3key_in_token(c)))
		err = check_secret(c->p11_pin_file, "pkcs11-pin-file", why);

	for (size_t i = 0; !err && i < c->ngroups; i++)
		err = check_secret(c->groups[i].preprovisioned, "preprovisioned", why);
	return err;
}

int keyd_state_load(const char *path, struct keyd_state **out,
		    struct errmsg *why)
{
	struct keyd_state *s;
	int err;

	s = calloc(1, sizeof(*s));
	if (!s)
		return fail(why, -ENOMEM, "%s: out of memory", path);
	err = conf_load(path, &s->conf, why);
	if (err)
		fail(why, err, "%s: %s", path, err_str(why, err));
	else
		err = keyd_check_secrets(&s->conf, why);
	if (!err)
		err = setup_groups(s, why);
	if (!err) {
		struct store_conf sc;

		keyd_store_conf(&s->conf, &sc);
		err = store_open(&sc, false, NULL, &s->store, why);
		/*
		 * A TPM chosen by default that does not serve (an owner
		 * password, a TPM cleared under sealed records): the file
		 * store, said loudly, rather than a UE that does not start.
		 */
		if (err && sc.auto_init) {
			logmsg(LOG_WARNING, "key-store not set, the UE's TPM refused: %s; "
			       "using key-store file", err_str(why, err));
			sc.kind = STORE_FILE;
			sc.auto_init = false;
			errmsg_clear(why);
			err = store_open(&sc, false, NULL, &s->store, why);
		}
	}
	/* a key-file in a token that is not there: no PC3 session, refused now */
	if (!err)
		err = pc3key_open(&s->conf, &s->tls_key, why);
	if (err) {
		keyd_state_free(s);
		return err;
	}
	*out = s;
	return 0;
}

void keyd_state_free(struct keyd_state *s)
{
	if (s) {
		store_close(s->store);
		pc3key_close(s->tls_key);
	}
	free(s);
}

void keyd_store_conf(const struct conf *c, struct store_conf *sc)
{
	bool tpm = !c->key_store_set && !strcmp(c->tpm2_tcti, "device:/dev/tpmrm0") &&
		   !access("/dev/tpmrm0", R_OK | W_OK);

	*sc = (struct store_conf){
		.kind = tpm ? STORE_TPM2 : c->key_store,
		.auto_init = tpm,
		.dir = c->state_dir,
		.p11_module = c->p11_module,
		.p11_token = c->p11_token,
		.p11_pin_file = c->p11_pin_file,
		.p11_key = c->p11_key,
		.tpm2_tcti = c->tpm2_tcti,
	};
}

int keyd_reload(struct keyd_state **cur, const char *path)
{
	struct errmsg why = { "" };
	struct keyd_state *s;
	int err;

	err = keyd_state_load(path, &s, &why);
	if (err) {
		logmsg(LOG_ERR, "%s; keeping the old configuration",
		       err_str(&why, err));
		return err;
	}
	keyd_state_free(*cur);
	*cur = s;
	return 0;
}

bool keyd_unknown_pgk(struct group *g, uint8_t index, double now)
{
	if (g->known)
		for (size_t i = 0; i < g->meta.npgks; i++)
			if ((g->meta.pgks[i].id & 0x1f) == index)	/* PGK Index */
				return false;	/* ours: not valid yet, or waiting */
	if (g->unknown_wait && now < g->unknown_next)
		return false;
	if (!g->unknown_wait)
		g->unknown_wait = KEYD_UNKNOWN_MIN;
	g->unknown_next = now + g->unknown_wait;
	g->unknown_wait = g->unknown_wait * 2 > KEYD_UNKNOWN_MAX ?
			  KEYD_UNKNOWN_MAX : g->unknown_wait * 2;
	return true;
}
