// SPDX-License-Identifier: GPL-2.0
/*
 * pc5keyd and the kernel, through the netlink library shared with pc5ctl.
 *
 * COUNT reuse across restarts is prevented with a watermark per PGK: the
 * state directory records, for each PGK ID, a PTK Identity R such that TX
 * has used (or may use) only PTK Identities below R. R is saved durably
 * *before* a key is installed with ptk-start S < R, and moved forward
 * before the kernel's next TX PTK Identity comes near it. After a crash or
 * a reboot the key is installed with ptk-start R: past every COUNT used.
 *
 * The kernel enforces R: each PGK is installed with PTK limit R, and the
 * limit is raised (KEY_SET) only once a higher R is on disk. Traffic that
 * outruns the polling, or a daemon that died, holds TX back at R (frames
 * count tx_nokey, the kernel sends EVT_KEY_LIMIT) rather than letting it
 * use COUNTs a restart could use again. A KEY_SET that fails leaves the
 * lower limit: TX stops early, never late.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <linux/keyctl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "../parse.h"
#include "kernel.h"
#include "log.h"

/*
 * Per-device disable_ipv6 is a /proc/sys write: rtnetlink has no way to
 * set it (the kernel's inet6_set_link_af() takes IFLA_INET6_TOKEN and
 * IFLA_INET6_ADDR_GEN_MODE only; IFLA_INET6_CONF is reported, not set).
 */
static int set_ipv6(const char *ifname, bool on)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6", ifname);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	if (write(fd, on ? "0" : "1", 1) != 1) {
		int err = -errno;

		close(fd);
		return err;
	}
	close(fd);
	return 0;
}

/* The IPv4 address A.B.C.D/P (if any), then IFF_UP, over rtnetlink */
static int set_up(struct pc5nl *nl, const struct conf_group *g,
		  uint32_t ifindex, struct errmsg *why)
{
	int err;

	if (g->address[0]) {
		char a[sizeof(g->address)], *slash;
		struct in_addr in;
		uint32_t prefix;

		/* conf_parse() checked the form */
		strcpy(a, g->address);
		slash = strchr(a, '/');
		*slash = '\0';
		if (inet_pton(AF_INET, a, &in) != 1 ||
		    parse_u32(slash + 1, 32, &prefix))
			return fail(why, -EINVAL, "%s: address %s: not A.B.C.D/PREFIX",
				    g->link, g->address);
		err = pc5nl_addr4_set(nl, ifindex, g->link, in.s_addr,
				      (uint8_t)prefix);
		if (err)
			return fail(why, err, "%s: address %s: %s", g->link,
				    g->address, pc5nl_strerror(nl, err));
	}
	err = pc5nl_link_up(nl, ifindex);
	if (err)
		return fail(why, err, "%s: up: %s", g->link, pc5nl_strerror(nl, err));
	return 0;
}

static int ensure_link(struct pc5nl *nl, const struct conf *c,
		       const struct conf_group *g, const struct pc3_group *pg,
		       uint32_t *ifindex, struct errmsg *why)
{
	struct pc5nl_settings cfg = { 0 };
	struct pc5nl_link link;
	int err;

	cfg.mask = PC5NL_SET(IFLA_PC5SEC_GROUP) | PC5NL_SET(IFLA_PC5SEC_MEMBER) |
		   PC5NL_SET(IFLA_PC5SEC_CIPHER);
	cfg.group = pg->group_id;
	cfg.member = pg->member;
	cfg.cipher = pg->cipher;
	if (c->expiry_notice) {
		cfg.mask |= PC5NL_SET(IFLA_PC5SEC_EXPIRY_NOTICE);
		cfg.expiry_notice = c->expiry_notice;
	}

	err = pc5nl_link_get(nl, g->link, &link);
	if (err == -ENODEV) {
		unsigned lower = if_nametoindex(g->lower);

		if (!lower) {
			return fail(why, -ENODEV, "%s: lower device %s: %s", g->link,
				 g->lower, strerror(errno));
		}
		err = pc5nl_link_add(nl, g->link, lower, &cfg);
		if (err) {
			return fail(why, err, "link add %s: %s", g->link,
				 pc5nl_strerror(nl, err));
		}
		logmsg(LOG_INFO, "%s: created on %s: group 0x%06x member 0x%06x cipher %s",
		       g->link, g->lower, cfg.group, cfg.member, cipher_name(cfg.cipher));
		err = set_ipv6(g->link, g->ipv6);
		if (err)
			logmsg(LOG_WARNING, "%s: ipv6 setting: %s", g->link, strerror(-err));
		err = pc5nl_link_get(nl, g->link, &link);
	}
	if (err) {
		return fail(why, err, "link %s: %s", g->link, pc5nl_strerror(nl, err));
	}
	if (link.cfg.group != cfg.group || link.cfg.member != cfg.member ||
	    link.cfg.cipher != cfg.cipher) {
		err = pc5nl_link_change(nl, link.ifindex, &cfg);
		if (err) {
			return fail(why, err, "link set %s: %s", g->link,
				 pc5nl_strerror(nl, err));
		}
		logmsg(LOG_NOTICE, "%s: now group 0x%06x member 0x%06x cipher %s",
		       g->link, cfg.group, cfg.member, cipher_name(cfg.cipher));
	}
	*ifindex = link.ifindex;
	return set_up(nl, g, link.ifindex, why);
}

/*
 * The fingerprint label: changing it would orphan every watermark on
 * disk (each PGK would look new and start at the highest watermark of
 * its ID, not at 0: safe, but wasteful), so it stays.
 */
static const char fp_label[] = "pc5keyd watermark fingerprint v1";

bool kern_fingerprint(const uint8_t key[PC5SEC_PGK_LEN], uint8_t fp[WM_FP_LEN])
{
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	uint8_t any = 0;

	for (size_t i = 0; i < PC5SEC_PGK_LEN; i++)
		any |= key[i];
	/* zero: keyring mode's stored metadata, the key itself is not here */
	if (!any)
		return false;
	if (!HMAC(EVP_sha256(), key, PC5SEC_PGK_LEN, (const unsigned char *)fp_label,
		  sizeof(fp_label) - 1, mac, &len) || len < WM_FP_LEN)
		return false;	/* no fingerprint: treated as any key of its ID */
	memcpy(fp, mac, WM_FP_LEN);
	explicit_bzero(mac, sizeof(mac));
	return true;
}

static void pgk_identity(const struct pc3_pgk *p, struct wm_key *k)
{
	memset(k, 0, sizeof(*k));
	k->pgk_id = p->id;
	k->not_after = p->not_after;
	k->has_fp = kern_fingerprint(p->key, k->fp);
}

static void keyring_desc(char *buf, size_t len, uint32_t group, uint8_t id)
{
	snprintf(buf, len, "pc5keyd:%06x:%u", group, id);
}

/* add_key(2) "logon" into the user keyring, expiring a minute after the PGK */
static int keyring_add(const struct pc3_group *pg, const struct pc3_pgk *p,
		       struct errmsg *why)
{
	char desc[64];
	long serial;
	time_t now = time(NULL);

	keyring_desc(desc, sizeof(desc), pg->group_id, p->id);
	serial = syscall(SYS_add_key, "logon", desc, p->key, sizeof(p->key),
			 KEY_SPEC_USER_KEYRING);
	if (serial < 0) {
		return fail(why, -errno, "add_key logon %s: %s", desc, strerror(errno));
	}
	if ((uint64_t)now < p->not_after)
		syscall(SYS_keyctl, KEYCTL_SET_TIMEOUT, serial,
			(unsigned)(p->not_after - (uint64_t)now + 60));
	/*
	 * The kernel finds it from the caller's keyrings: the user keyring is
	 * reached through the user-session keyring when the process has no
	 * session keyring, or through a session keyring that links it
	 * (systemd's KeyringMode=shared). Linking it into the session keyring
	 * here would create an empty session keyring that hides the user's.
	 */
	return 0;
}

/*
 * Revocation: the logon key goes too, invalidated (removed from every
 * keyring at once), so that nothing can install that PGK from it again.
 */
static void keyring_revoke(uint32_t group, uint8_t id)
{
	char desc[64];
	long serial;

	keyring_desc(desc, sizeof(desc), group, id);
	serial = syscall(SYS_keyctl, KEYCTL_SEARCH, KEY_SPEC_USER_KEYRING, "logon", desc, 0);
	if (serial >= 0)
		syscall(SYS_keyctl, KEYCTL_INVALIDATE, serial);
}

int kern_revoke(struct pc5nl *nl, const struct conf *c, const struct conf_group *g,
		uint8_t id, struct errmsg *why)
{
	struct pc5nl_link link;
	int err;

	if (c->keyring)
		keyring_revoke(g->group_id, id);
	err = pc5nl_link_get(nl, g->link, &link);
	if (err == -ENODEV)
		return 0;
	if (err)
		return fail(why, err, "%s: %s", g->link, pc5nl_strerror(nl, err));
	err = pc5nl_key_del(nl, link.ifindex, id, PC5SEC_REMOVED_REVOKED);
	if (err == -ENOENT)
		return 0;
	if (err)
		return fail(why, err, "%s: PGK %u not removed: %s", g->link, id,
			    pc5nl_strerror(nl, err));
	return 1;
}

int kern_held(struct pc5nl *nl, const struct conf_group *g, uint8_t *ids,
	      size_t max, size_t *n)
{
	struct pc5nl_link link;
	struct pc5nl_key *keys = NULL;
	size_t nk = 0;
	int err;

	*n = 0;
	err = pc5nl_link_get(nl, g->link, &link);
	if (err)
		return err == -ENODEV ? 0 : err;
	err = pc5nl_key_list(nl, link.ifindex, &keys, &nk);
	if (err)
		return err;
	for (size_t i = 0; i < nk && *n < max; i++)
		if (keys[i].state != PC5SEC_KEY_STATE_EXPIRED)
			ids[(*n)++] = keys[i].pgk_id;
	free(keys);
	return 0;
}

/* The installed PGK other than @id whose PGK Index @id would take, or NULL */
static const struct pc5nl_key *index_taken(const struct pc5nl_key *keys, size_t nk,
					   uint8_t id)
{
	for (size_t j = 0; j < nk; j++)
		if (keys[j].pgk_id != id && (keys[j].pgk_id & 0x1f) == (id & 0x1f))
			return &keys[j];
	return NULL;
}

/*
 * PGK @id is not installed: its PGK Index belongs to @other until that one
 * expires (the kernel removes it then). Logged; *@retry_at moves to the
 * first second it can go in. True when a retry is due; false when @other
 * has no expiry, which takes a person to resolve.
 */
static bool index_deferred(const struct conf_group *g, uint8_t id,
			   const struct pc5nl_key *other, uint64_t now,
			   uint64_t *retry_at)
{
	char na[32];
	uint64_t at;

	if (!(other->mask & PC5NL_KEY_NOT_AFTER)) {
		logmsg(LOG_ERR, "%s: PGK %u not installed: its PGK Index %u is taken by "
		       "installed PGK %u, which has no expiry: remove one of them",
		       g->link, id, id & 0x1f, other->pgk_id);
		return false;
	}
	format_time(other->not_after, na, sizeof(na));
	logmsg(LOG_WARNING, "%s: PGK %u not installed yet: its PGK Index %u is taken "
	       "by installed PGK %u until %s; trying again then", g->link, id,
	       id & 0x1f, other->pgk_id, na);
	/* the kernel may remove it a moment late: never a retry in the past */
	at = other->not_after + 1 > now ? other->not_after + 1 : now + 5;
	if (!*retry_at || at < *retry_at)
		*retry_at = at;
	return true;
}

/*
 * KEY_ADD of @id said -EEXIST: either the PGK ID is installed (by someone
 * else since the key list) or its PGK Index collides with another PGK's.
 * The extack says which in words, but the key list says it for certain:
 * read again. Returns -EEXIST when that is settled (installed, or
 * deferred until the other expires), else an error for the caller to log.
 * The watermark block reserved for this attempt stays: watermarks never
 * go down.
 */
static int eexist(struct pc5nl *nl, const struct conf_group *g, uint8_t id,
		  uint32_t ifindex, uint64_t now, uint64_t *retry_at)
{
	char said[256];
	struct pc5nl_key *keys = NULL;
	const struct pc5nl_key *other;
	size_t nk = 0;
	int err;

	snprintf(said, sizeof(said), "%s", pc5nl_strerror(nl, -EEXIST));
	err = pc5nl_key_list(nl, ifindex, &keys, &nk);
	if (err) {
		free(keys);
		return err;
	}
	for (size_t j = 0; j < nk; j++) {
		if (keys[j].pgk_id == id) {
			free(keys);
			return -EEXIST;		/* in: kern_watermark() tracks it */
		}
	}
	other = index_taken(keys, nk, id);
	if (other) {
		logmsg(LOG_NOTICE, "%s: PGK %u: the kernel said: %s", g->link, id, said);
		err = index_deferred(g, id, other, now, retry_at) ? -EEXIST : -EBUSY;
	} else {
		/* gone again meanwhile: the next attempt is soon enough */
		logmsg(LOG_WARNING, "%s: PGK %u: the kernel said: %s; no longer so, "
		       "trying again shortly", g->link, id, said);
		if (!*retry_at || now + 5 < *retry_at)
			*retry_at = now + 5;
		err = -EEXIST;
	}
	free(keys);
	return err;
}

int kern_apply(struct pc5nl *nl, const struct conf *c,
	       const struct conf_group *g, const struct pc3_group *pg,
	       struct wm_table *wm, uint32_t *ifindex, uint64_t *retry_at,
	       struct errmsg *why)
{
	struct pc5nl_key *keys = NULL;
	size_t nk = 0;
	int err, installed = 0, failed = 0;
	uint64_t now = (uint64_t)time(NULL);

	*retry_at = 0;
	err = ensure_link(nl, c, g, pg, ifindex, why);
	if (err)
		return err;
	err = pc5nl_key_list(nl, *ifindex, &keys, &nk);
	if (err) {
		return fail(why, err, "%s: key list: %s", g->link, pc5nl_strerror(nl, err));
	}
	/*
	 * A PGK the PKMF extended keeps its watermark as long as it is
	 * valid, even while an older copy of it is in the kernel.
	 */
	{
		bool noted = false;

		for (size_t i = 0; i < pg->npgks; i++) {
			struct wm_key wk;

			pgk_identity(&pg->pgks[i], &wk);
			noted |= wm_note(wm, &wk);
		}
		if (noted) {
			struct errmsg swhy = { "" };

			err = wm_save(c->state_dir, g->group_id, wm, &swhy);
			if (err)	/* kept in memory, and saved with the next move */
				logmsg(LOG_WARNING, "%s: watermark: %s", g->link,
				       err_str(&swhy, err));
		}
	}
	for (size_t i = 0; i < pg->npgks; i++) {
		const struct pc3_pgk *p = &pg->pgks[i];
		struct pc5nl_key_params kp = { 0 };
		struct errmsg swhy = { "" };
		struct wm_table *before;
		const struct pc5nl_key *other;
		struct wm_key wk;
		uint32_t start;
		bool have = false;

		for (size_t j = 0; j < nk; j++)
			have |= keys[j].pgk_id == p->id;
		if (have || p->not_after <= now)
			continue;
		/*
		 * Its PGK Index is taken: the kernel would refuse it. Found
		 * here, before a watermark block is reserved for nothing.
		 */
		other = index_taken(keys, nk, p->id);
		if (other) {
			if (!index_deferred(g, p->id, other, now, retry_at))
				failed++;
			continue;
		}
		pgk_identity(p, &wk);
		/*
		 * Valid already, no record of it, and the state directory
		 * cannot vouch that there never was one (state.h): it may
		 * have been used before the record was lost.
		 */
		if (!wm->fresh_ok && !wm_known(wm, &wk) && p->not_before <= now) {
			char since[32];

			format_time(p->not_before, since, sizeof(since));
			logmsg(LOG_CRIT, "%s: PGK %u (valid since %s) not installed: %s has no "
			       "watermark for it and no marker (the state directory was lost, or "
			       "never made with pc5keyd --init), so it may have been used before: "
			       "this UE sends again with the next PGK",
			       g->link, p->id, since, c->state_dir);
			failed++;
			continue;
		}
		start = wm_start(wm, &wk);
		if (start > 0xffff) {
			logmsg(LOG_ERR, "%s: PGK %u: every PTK Identity was used: not installed, "
			       "a new PGK is needed", g->link, p->id);
			failed++;
			continue;
		}
		/*
		 * Reserve first, durably: then the kernel may use [start, R),
		 * and its PTK limit R holds it there.
		 */
		before = malloc(sizeof(*before));
		if (!before) {
			logmsg(LOG_ERR, "%s: PGK %u not installed: out of memory", g->link, p->id);
			failed++;
			continue;
		}
		*before = *wm;
		err = wm_reserve(wm, &wk, wm_extend(start, start, c->watermark_block));
		if (err)
			fail(&swhy, err, "%d watermarks kept, no room for one more", WM_MAX);
		else
			err = wm_save(c->state_dir, g->group_id, wm, &swhy);
		if (err) {
			*wm = *before;	/* what is on disk */
			free(before);
			logmsg(LOG_ERR, "%s: PGK %u not installed: watermark: %s",
			       g->link, p->id, err_str(&swhy, err));
			failed++;
			continue;
		}
		free(before);
		kp.pgk_id = p->id;
		kp.mask = PC5NL_KEY_NOT_BEFORE | PC5NL_KEY_NOT_AFTER | PC5NL_KEY_PTK_START;
		kp.not_before = p->not_before;
		kp.not_after = p->not_after;
		kp.ptk_start = (uint16_t)start;
		kp.ptk_limit = wm_start(wm, &wk);
		if (c->keyring) {
			char desc[64];

			keyring_desc(desc, sizeof(desc), pg->group_id, p->id);
			/* a zero key: the stored metadata of a keyring PGK */
			if (p->key[0] || memcmp(p->key, p->key + 1, sizeof(p->key) - 1)) {
				err = keyring_add(pg, p, why);
				if (err) {
					logmsg(LOG_ERR, "%s: PGK %u: %s", g->link, p->id, why->msg);
					failed++;
					continue;
				}
			}
			err = pc5nl_key_add_keyring(nl, *ifindex, &kp, desc);
		} else {
			err = pc5nl_key_add(nl, *ifindex, &kp, p->key);
		}
		if (err == -EEXIST) {
			err = eexist(nl, g, p->id, *ifindex, now, retry_at);
			if (err == -EEXIST)
				continue;	/* the PGK is in, or waits for its Index */
			if (err == -EBUSY) {	/* logged: a person must choose */
				failed++;
				continue;
			}
		}
		if (err) {
			logmsg(LOG_ERR, "%s: PGK %u not installed: %s", g->link, p->id,
			       pc5nl_strerror(nl, err));
			failed++;
			continue;
		}
		installed++;
		{
			char nb[32], na[32];

			format_time(p->not_before, nb, sizeof(nb));
			format_time(p->not_after, na, sizeof(na));
			logmsg(LOG_INFO, "%s: installed PGK %u (index %u)%s not-before %s "
			       "expiry %s ptk-start %u, watermark %u, ptk-limit %u", g->link,
			       p->id, p->id & 0x1f, c->keyring ? " from the keyring" : "",
			       nb, na, start, kp.ptk_limit, kp.ptk_limit);
		}
	}
	free(keys);
	if (failed) {
		return fail(why, -EIO, "%s: %d PGK(s) not installed", g->link, failed);
	}
	return installed;
}

/*
 * Brings the kernel's PTK limit of @k to @r, the watermark on disk, and
 * says so. A failure leaves the kernel's limit as it was: logged, and
 * tried again at the next check.
 */
static void set_limit(struct pc5nl *nl, const struct conf_group *g,
		      uint32_t ifindex, const struct pc5nl_key *k, uint32_t r)
{
	int err;

	err = pc5nl_key_set_limit(nl, ifindex, k->pgk_id, r);
	if (err == -ENOENT)
		return;		/* removed (expired, deleted) meanwhile */
	if (err && !k->ptk_limit) {
		logmsg(LOG_ERR, "%s: PGK %u: cannot set ptk-limit %u: %s; the kernel has none for it",
		       g->link, k->pgk_id, r, pc5nl_strerror(nl, err));
	} else if (err) {
		logmsg(LOG_ERR, "%s: PGK %u: cannot move ptk-limit from %u to %u: %s; TX stops at %u",
		       g->link, k->pgk_id, k->ptk_limit, r, pc5nl_strerror(nl, err),
		       k->ptk_limit);
	} else if (!k->ptk_limit) {
		logmsg(LOG_NOTICE, "%s: PGK %u: ptk-limit set to %u (it had none)",
		       g->link, k->pgk_id, r);
	} else if (r < k->ptk_limit) {
		logmsg(LOG_WARNING, "%s: PGK %u: ptk-limit lowered from %u to %u, the watermark on disk",
		       g->link, k->pgk_id, k->ptk_limit, r);
	} else {
		/* routine, unless TX had been held at the old limit */
		logmsg(k->tx_ptk_id >= k->ptk_limit ? LOG_NOTICE : LOG_DEBUG,
		       "%s: PGK %u: ptk-limit raised from %u to %u%s", g->link,
		       k->pgk_id, k->ptk_limit, r,
		       k->tx_ptk_id >= k->ptk_limit ? " (TX was held at it)" : "");
	}
}

/* The kernel key's not-after, 0 when it has none */
static uint64_t key_not_after(const struct pc5nl_key *k)
{
	return k->mask & PC5NL_KEY_NOT_AFTER ? k->not_after : 0;
}

/*
 * @e tracks the kernel's key @k: the same ID and not-after (the kernel
 * reports no key bytes; pc5keyd installs every PGK with its not-after),
 * or an older pc5keyd's entry, which has neither.
 */
static bool tracks(const struct wm_entry *e, const struct pc5nl_key *k)
{
	return e->pgk_id == k->pgk_id &&
	       (e->not_after == key_not_after(k) || (!e->has_fp && !e->not_after));
}

/* The watermark of the kernel's key @k: the highest of the entries that track it */
static uint32_t key_watermark(const struct wm_table *wm, const struct pc5nl_key *k)
{
	uint32_t r = 0;

	for (size_t i = 0; i < wm->n; i++)
		if (tracks(&wm->e[i], k) && wm->e[i].reserved > r)
			r = wm->e[i].reserved;
	return r;
}

struct held {
	const struct pc5nl_key *keys;
	size_t n;
};

/* wm_expire(): an entry the kernel still uses stays, expired or not */
static bool held_by_kernel(const struct wm_entry *e, void *arg)
{
	const struct held *h = arg;

	for (size_t i = 0; i < h->n; i++)
		if (tracks(e, &h->keys[i]))
			return true;
	return false;
}

int kern_watermark(struct pc5nl *nl, const struct conf *c,
		   const struct conf_group *g, struct wm_table *wm,
		   struct errmsg *why)
{
	struct wm_table *before;
	struct pc5nl_link link;
	struct pc5nl_key *keys = NULL;
	size_t nk = 0;
	bool dirty = false;
	struct held h;
	int err;

	err = pc5nl_link_get(nl, g->link, &link);
	if (err == -ENODEV)
		link.ifindex = 0;	/* no keys held: expired watermarks still go */
	else if (!err)
		err = pc5nl_key_list(nl, link.ifindex, &keys, &nk);
	if (err && err != -ENODEV)
		return fail(why, err, "%s: %s", g->link, pc5nl_strerror(nl, err));
	before = malloc(sizeof(*before));
	if (!before) {
		free(keys);
		return fail(why, -ENOMEM, "%s: out of memory", g->link);
	}
	*before = *wm;
	err = 0;
	for (size_t i = 0; i < nk; i++) {
		const struct pc5nl_key *k = &keys[i];
		uint32_t r = key_watermark(wm, k), tx = k->tx_ptk_id, nr;
		/* a limit at or below the watermark holds TX at it */
		bool held = k->ptk_limit && k->ptk_limit <= r;
		bool found = false;

		for (size_t j = 0; j < wm->n; j++)
			found |= tracks(&wm->e[j], k);
		/* untracked: it may be any key of its ID, so from the highest of them */
		nr = wm_extend(found ? r : wm_get(wm, k->pgk_id), tx, c->watermark_block);
		/* every entry that tracks the key moves with it */
		for (size_t j = 0; j < wm->n; j++) {
			struct wm_entry *e = &wm->e[j];

			if (!tracks(e, k))
				continue;
			if (e->reserved < nr) {
				e->reserved = nr;
				dirty = true;
			}
		}
		if (!found) {
			/* installed by hand, or by another program: recorded all the same */
			struct wm_key wk = { .pgk_id = k->pgk_id, .not_after = key_not_after(k) };

			if (wm_reserve(wm, &wk, nr)) {
				logmsg(LOG_ERR, "%s: PGK %u: %d watermarks kept, no room for "
				       "one more: its ptk-limit stays", g->link, k->pgk_id, WM_MAX);
				continue;
			}
			dirty = true;
		}
		if (nr != r && (tx > r || (tx == r && !held)))
			logmsg(LOG_WARNING, "%s: PGK %u: TX reached PTK Identity %u past "
			       "the watermark %u (traffic faster than watermark-interval, "
			       "and no ptk-limit held it)", g->link, k->pgk_id, tx, r);
	}
	/*
	 * Watermarks go only once their PGK has expired (and the kernel let
	 * go of it): not when a response leaves the PGK out, nor when the
	 * kernel loses it (a flush, a reboot), since the same PGK may come
	 * back while it is valid.
	 */
	h.keys = keys;
	h.n = nk;
	if (wm_expire(wm, (uint64_t)time(NULL), held_by_kernel, &h))
		dirty = true;
	if (dirty) {
		errmsg_clear(why);
		err = wm_save(c->state_dir, g->group_id, wm, why);
		if (err) {
			/* not on disk: the kernel's limits stay where they were */
			*wm = *before;
			fail(why, err, "watermark: %s", err_str(why, err));
		} else {
			for (size_t i = 0; i < wm->n; i++)
				logmsg(LOG_DEBUG, "%s: PGK %u watermark %u", g->link,
				       wm->e[i].pgk_id, wm->e[i].reserved);
		}
	}
	free(before);
	/*
	 * The kernel's limits follow the watermarks on disk (and only those):
	 * raised after a move above, set on keys that have none (installed
	 * before limits, or by hand), retried after a failed KEY_SET.
	 */
	for (size_t i = 0; i < nk; i++) {
		const struct pc5nl_key *k = &keys[i];
		uint32_t r = key_watermark(wm, k);

		if (!r || k->ptk_limit == r || k->state == PC5SEC_KEY_STATE_EXPIRED ||
		    k->state == PC5SEC_KEY_STATE_EXHAUSTED)
			continue;
		set_limit(nl, g, link.ifindex, k, r);
	}
	free(keys);
	return err;
}
