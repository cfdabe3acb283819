// SPDX-License-Identifier: GPL-2.0
/*
 * pc5keyd: the PC3 key helper of pc5sec. Fetches each configured group's
 * parameters and PGKs from the PKMF (KEY_REQUEST/KEY_RESPONSE over HTTPS
 * with client certificates), creates and configures the pc5sec links,
 * installs the PGKs through the netlink library shared with pc5ctl, renews
 * them before they expire, fetches at once when the kernel reports a PGK
 * Index it does not have, retries an unreachable PKMF with exponential
 * backoff and jitter, and keeps the group going on the keys it has while
 * out of coverage. The kernel's PTK limit of each PGK follows the durably
 * recorded watermark, raised at once when the kernel reports TX reached
 * it. A PGK the PKMF revokes leaves the kernel and the store at once; the
 * PKMF's push (push.h) makes that happen within a second. See pc5keyd(8).
 */
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <systemd/sd-daemon.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../parse.h"
#include "config.h"
#include "kernel.h"
#include "keyd.h"
#include "log.h"
#include "pc3.h"
#include "pc3http.h"
#include "push.h"
#include "state.h"

bool log_foreground;
int log_level = LOG_INFO;

void logmsg(int prio, const char *fmt, ...)
{
	va_list ap;

	if (prio > log_level)
		return;
	va_start(ap, fmt);
	if (log_foreground) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		fprintf(stderr, "pc5keyd[%ld.%03ld]: ", (long)ts.tv_sec, ts.tv_nsec / 1000000);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	} else {
		vsyslog(prio, fmt, ap);
	}
	va_end(ap);
}

static struct daemon {
	const char *conf_path;
	struct keyd_state *s;		/* replaced whole by a reload */
	struct pc5nl *nl;
	struct pc5nl_mon *mon;		/* NULL while pc5sec is not loaded */
	bool mon_failed;		/* its last open failed: a success is a load */
	int links;			/* pc5nl_link_watch_open() */
	bool unloaded;			/* PC5NL_EVT_UNLOADED, no LOADED since */
	bool resync;			/* a link came or went: resync() */
	unsigned failures;		/* PC3 failures in a row */
	double next_fetch;		/* monotonic seconds */
	double last_attempt;
	bool fetch_soon;
	bool ready;			/* READY=1 told to systemd */
	/*
	 * The push: a UDP socket on push-port (-1: none), the key of the
	 * last KEY_RESPONSE (in memory only: a restart fetches at once
	 * anyway), and a push accepted whose fetch is not made yet.
	 */
	int push_fd;
	uint16_t push_port;
	struct push_key push;
	bool push_due;
} d;

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint32_t rnd32(void)
{
	uint32_t v = 0;

	if (getrandom(&v, sizeof(v), 0) != sizeof(v))
		v = (uint32_t)time(NULL) ^ (uint32_t)getpid();
	return v;
}

/* retry-min * 2^n, at most retry-max, then between half and all of it */
static double backoff(unsigned n)
{
	double delay = d.s->conf.retry_min;

	while (n-- > 0 && delay < d.s->conf.retry_max)
		delay *= 2;
	if (delay > d.s->conf.retry_max)
		delay = d.s->conf.retry_max;
	return delay / 2 + delay / 2 * (rnd32() / 4294967296.0);
}

static struct group *group_by_id(uint32_t id)
{
	for (size_t i = 0; i < d.s->ngroups; i++)
		if (d.s->groups[i].cfg->group_id == id)
			return &d.s->groups[i];
	return NULL;
}

static void remember(struct group *g, const struct pc3_group *pg)
{
	g->meta = *pg;
	for (size_t i = 0; i < g->meta.npgks; i++)
		explicit_bzero(g->meta.pgks[i].key, sizeof(g->meta.pgks[i].key));
	g->known = true;
}

/*
 * The group's stored keys (record keys-GGGGGG of the key store) into
 * @out; false when there are none, or they cannot be read (logged).
 */
static bool read_stored(uint32_t group_id, struct pc3_group *out)
{
	static char buf[PC3_MAX_DOC];
	static struct pc3_response r;
	struct errmsg why = { "" };
	char name[64];
	size_t len = sizeof(buf);
	bool found = false;
	int err;

	snprintf(name, sizeof(name), "keys-%06x", group_id);
	err = store_get(d.s->store, name, buf, &len, &why);
	if (err) {
		if (err != -ENOENT)
			logmsg(LOG_ERR, "group 0x%06x: %s", group_id, err_str(&why, err));
		return false;
	}
	err = pc3_parse_response(buf, len, &r, &why);
	explicit_bzero(buf, len);
	if (err) {
		logmsg(LOG_ERR, "group 0x%06x: stored keys unreadable: %s", group_id,
		       err_str(&why, err));
		return false;
	}
	for (size_t i = 0; i < r.ngroups && !found; i++) {
		if (r.groups[i].group_id == group_id && !r.groups[i].error[0]) {
			*out = r.groups[i];
			found = true;
		}
	}
	pc3_response_wipe(&r);
	return found;
}

/*
 * The group's record keys-GGGGGG in the key store: @pg, as it is, with
 * the PGKs its response revoked named (none of them is among its PGKs).
 */
static void store_group(const struct pc3_group *pg)
{
	static struct pc3_response one = { .ngroups = 1 };
	static char buf[PC3_MAX_DOC];
	struct errmsg why = { "" };
	char name[64];
	int err;

	one.ngroups = 1;
	one.groups[0] = *pg;
	/*
	 * In keyring mode the keys stay out of plaintext files; a sealing
	 * store keeps them, so that a reboot out of coverage can install
	 * them as logon keys again.
	 */
	if (d.s->conf.keyring && !store_sealed(d.s->store))
		for (size_t i = 0; i < one.groups[0].npgks; i++)
			explicit_bzero(one.groups[0].pgks[i].key, PC5SEC_PGK_LEN);
	snprintf(name, sizeof(name), "keys-%06x", pg->group_id);
	err = pc3_build_response(&one, buf, sizeof(buf));
	if (!err)
		err = store_put(d.s->store, name, buf, strlen(buf), &why);
	explicit_bzero(buf, sizeof(buf));
	pc3_response_wipe(&one);
	if (err)
		logmsg(LOG_ERR, "group 0x%06x: cannot store keys: %s", pg->group_id,
		       err_str(&why, err));
}

/*
 * Installs one group's response: stores it (keys only when not in keyring
 * mode, or sealed), creates/configures the link, installs the PGKs. A fresh response
 * is stored together with the unexpired PGKs stored before that it does
 * not list: a PKMF may leave out the PGKs the UE said it holds, and those
 * must come back after a flush or a reboot.
 */
static int apply_group(struct group *g, struct pc3_group *pg, bool store)
{
	static struct pc3_group merged, old;
	struct errmsg why = { "" };
	int n;

	/*
	 * Only a suite this UE offered (ciphers): a PKMF, a stored file or a
	 * pre-provisioned one choosing eea0 where the operator did not allow
	 * it must not turn the group's encryption off.
	 */
	if (pg->cipher >= 32 || !(d.s->conf.ciphers & CONF_CIPHER(pg->cipher))) {
		logmsg(LOG_ERR, "group 0x%06x: suite %s is not in ciphers: group refused; "
		       "installed keys unchanged", pg->group_id,
		       cipher_name(pg->cipher) ? cipher_name(pg->cipher) : "?");
		return -EPERM;
	}
	merged = *pg;
	if (store) {
		if (read_stored(pg->group_id, &old)) {
			size_t kept = pc3_group_merge(&merged, &old, (uint64_t)time(NULL));

			if (kept)
				logmsg(LOG_INFO, "group 0x%06x: %zu stored PGK(s) not in the "
				       "response kept until they expire", pg->group_id, kept);
			explicit_bzero(&old, sizeof(old));
		}
		store_group(&merged);
	}
	n = kern_apply(d.nl, &d.s->conf, g->cfg, &merged, &g->wm, &g->ifindex,
		       &g->retry_at, &why);
	remember(g, &merged);
	explicit_bzero(&merged, sizeof(merged));
	if (n == -ESTALE) {
		/* pc5sec went or came back under us: apply again once loaded */
		g->ifindex = 0;
		d.resync = true;
	}
	if (n < 0) {
		logmsg(LOG_ERR, "group 0x%06x: %s", pg->group_id, err_str(&why, n));
		return n;
	}
	return 0;
}

/*
 * The PGKs @pg revokes: out of the kernel at once (its key-removed event
 * says revoked), out of the keyring, out of the stored record and of what
 * the group remembers, so that neither a reboot nor a later merge brings
 * one back. Before the group's new PGKs go in: a replacement may take a
 * revoked PGK's Index. Its watermark stays (kern_revoke()).
 */
static void apply_revoked(struct group *g, const struct pc3_group *pg)
{
	static struct pc3_group old;
	struct errmsg why = { "" };
	bool stored = false;
	size_t n = 0;

	if (!pg->nrevoked)
		return;
	for (size_t i = 0; i < pg->nrevoked; i++) {
		int r = kern_revoke(d.nl, &d.s->conf, g->cfg, pg->revoked[i], &why);

		if (r < 0)
			logmsg(LOG_ERR, "group 0x%06x: PGK %u revoked by the PKMF: %s",
			       pg->group_id, pg->revoked[i], err_str(&why, r));
		else if (r)
			logmsg(LOG_WARNING, "group 0x%06x: PGK %u revoked by the PKMF: "
			       "removed from %s", pg->group_id, pg->revoked[i], g->cfg->link);
	}
	/* the record, rewritten without them (a refused group's too) */
	if (read_stored(pg->group_id, &old)) {
		for (size_t i = 0; i < old.npgks; i++) {
			if (pc3_revokes(pg, old.pgks[i].id)) {
				logmsg(LOG_NOTICE, "group 0x%06x: revoked PGK %u removed from "
				       "the key store", pg->group_id, old.pgks[i].id);
				stored = true;
				continue;
			}
			old.pgks[n++] = old.pgks[i];
		}
		explicit_bzero(&old.pgks[n], (old.npgks - n) * sizeof(old.pgks[0]));
		old.npgks = n;
		/* the record says what is revoked: valid even with no PGK left */
		old.nrevoked = pg->nrevoked;
		memcpy(old.revoked, pg->revoked, sizeof(old.revoked));
		if (stored)
			store_group(&old);
		explicit_bzero(&old, sizeof(old));
	}
	if (g->known) {
		for (size_t i = n = 0; i < g->meta.npgks; i++)
			if (!pc3_revokes(pg, g->meta.pgks[i].id))
				g->meta.pgks[n++] = g->meta.pgks[i];
		g->meta.npgks = n;
	}
}

/*
 * A sealing store takes over the plaintext keys-GGGGGG.xml a file store
 * left: sealed (unless a sealed record is there already, newer), then
 * removed. Run before the store is read.
 */
static void seal_leftover(struct group *g)
{
	static char buf[PC3_MAX_DOC];
	struct errmsg why = { "" };
	char name[64], file[80];
	size_t len = sizeof(buf);
	int err;

	if (!store_sealed(d.s->store))
		return;
	snprintf(name, sizeof(name), "keys-%06x", g->cfg->group_id);
	snprintf(file, sizeof(file), "%s.xml", name);
	err = state_read_file(d.s->conf.state_dir, file, buf, &len, &why);
	if (err == -ENOENT)
		return;
	if (!err && !store_exists(d.s->store, name))
		err = store_put(d.s->store, name, buf, len, &why);
	explicit_bzero(buf, sizeof(buf));
	if (!err)
		err = store_drop_plain(d.s->store, name, &why);
	if (err)
		logmsg(LOG_ERR, "group 0x%06x: plaintext %s not sealed: %s", g->cfg->group_id,
		       file, err_str(&why, err));
	else
		logmsg(LOG_NOTICE, "group 0x%06x: %s/%s sealed into the key store and removed",
		       g->cfg->group_id, d.s->conf.state_dir, file);
}

/*
 * Stored keys, else the pre-provisioned file: what a UE starts with. A
 * sealing store imports the pre-provisioned file the first time and
 * removes it: from then on the PGKs rest only sealed.
 */
static void load_stored(struct group *g)
{
	static char buf[PC3_MAX_DOC];
	struct pc3_response r;
	struct errmsg why = { "" };
	char name[64];
	const char *from = "stored";
	const char *pre = g->cfg->preprovisioned;
	bool imported = false;
	size_t len = sizeof(buf);
	int err;

	seal_leftover(g);
	snprintf(name, sizeof(name), "keys-%06x", g->cfg->group_id);
	err = store_get(d.s->store, name, buf, &len, &why);
	if (err == -ENOENT && pre[0]) {
		char *slash = strrchr(pre, '/');
		char dir[CONF_PATH_MAX];

		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - pre), pre);
		len = sizeof(buf);
		from = "pre-provisioned";
		err = state_read_file(dir[0] ? dir : "/", slash + 1, buf, &len, &why);
	}
	if (err) {
		if (err != -ENOENT)
			logmsg(LOG_ERR, "group 0x%06x: %s", g->cfg->group_id,
			       err_str(&why, err));
		return;
	}
	err = pc3_parse_response(buf, len, &r, &why);
	if (!err && store_sealed(d.s->store) && !strcmp(from, "pre-provisioned")) {
		struct errmsg swhy = { "" };
		int serr = store_put(d.s->store, name, buf, len, &swhy);

		if (!serr && unlink(pre))
			serr = fail(&swhy, -errno, "%s: %s", pre, strerror(errno));
		if (serr)
			logmsg(LOG_WARNING, "group 0x%06x: pre-provisioned keys not moved into "
			       "the key store: %s", g->cfg->group_id, err_str(&swhy, serr));
		else
			imported = true;
	}
	explicit_bzero(buf, len);
	if (err) {
		logmsg(LOG_ERR, "group 0x%06x: %s keys refused: %s", g->cfg->group_id, from,
		       err_str(&why, err));
		return;
	}
	if (imported)
		logmsg(LOG_NOTICE, "group 0x%06x: %s sealed into the key store and removed",
		       g->cfg->group_id, pre);
	for (size_t i = 0; i < r.ngroups; i++) {
		if (r.groups[i].group_id != g->cfg->group_id || r.groups[i].error[0])
			continue;
		logmsg(LOG_INFO, "group 0x%06x: %zu %s PGK(s)", g->cfg->group_id,
		       r.groups[i].npgks, from);
		apply_group(g, &r.groups[i], false);
	}
	pc3_response_wipe(&r);
}

/* When to fetch next after a success: renew-lead before the nearest expiry
 * still ahead of that lead; with none, keep asking (with backoff).
 */
static void schedule_after_success(void)
{
	uint64_t now = (uint64_t)time(NULL), best = 0;

	for (size_t i = 0; i < d.s->ngroups; i++) {
		const struct group *g = &d.s->groups[i];

		for (size_t j = 0; g->known && j < g->meta.npgks; j++) {
			uint64_t at = g->meta.pgks[j].not_after - d.s->conf.renew_lead;

			if (g->meta.pgks[j].not_after > d.s->conf.renew_lead && at > now &&
			    (!best || at < best))
				best = at;
		}
	}
	if (!best) {
		double delay = backoff(d.failures++);

		logmsg(LOG_NOTICE, "no PGK valid beyond renew-lead: asking again in %.1fs", delay);
		d.next_fetch = mono() + delay;
		return;
	}
	if (best - now > d.s->conf.refresh_max)
		best = now + d.s->conf.refresh_max;
	d.failures = 0;
	d.next_fetch = mono() + (double)(best - now);
	logmsg(LOG_INFO, "next PC3 fetch in %llus", (unsigned long long)(best - now));
}

/* One PC3 transaction. Nothing changes in the kernel unless it succeeds. */
static int fetch(void)
{
	static char req[8192], resp[PC3_MAX_DOC];
	static struct pc3_request q;
	static struct pc3_response r;
	struct errmsg why = { "" };
	size_t len = 0;
	int err, bad = 0;

	d.last_attempt = mono();
	memset(&q, 0, sizeof(q));
	q.transaction = rnd32();
	q.ciphers = d.s->conf.ciphers;
	q.push_port = d.push_fd >= 0 ? d.push_port : 0;
	strcpy(q.ue_id, d.s->conf.ue_id);
	q.ngroups = d.s->ngroups;
	for (size_t i = 0; i < d.s->ngroups; i++) {
		q.groups[i].group_id = d.s->groups[i].cfg->group_id;
		kern_held(d.nl, d.s->groups[i].cfg, q.groups[i].held, PC3_MAX_PGKS,
			  &q.groups[i].nheld);
	}
	err = pc3_build_request(&q, req, sizeof(req));
	if (err) {
		logmsg(LOG_ERR, "KEY_REQUEST: %s", strerror(-err));
		goto failed;
	}
	err = pc3http_post(&d.s->conf, pc3key_pkey(d.s->tls_key), req, resp,
			   d.s->conf.max_response, &len, &why);
	if (err) {
		logmsg(LOG_ERR, "PC3 %s: %s; installed keys unchanged", d.s->conf.pkmf_url,
		       err_str(&why, err));
		goto failed;
	}
	err = pc3_parse_response(resp, len, &r, &why);
	explicit_bzero(resp, len);
	if (err) {
		logmsg(LOG_ERR, "KEY_RESPONSE refused: %s; installed keys unchanged",
		       err_str(&why, err));
		goto failed;
	}
	if (r.transaction != q.transaction) {
		logmsg(LOG_ERR, "KEY_RESPONSE refused: transaction ID %u, want %u; "
		       "installed keys unchanged", r.transaction, q.transaction);
		err = -EPROTO;
		goto failed;
	}
	for (size_t i = 0; i < r.ngroups; i++) {
		if (!group_by_id(r.groups[i].group_id)) {
			logmsg(LOG_ERR, "KEY_RESPONSE refused: group 0x%06x was not asked for; "
			       "installed keys unchanged", r.groups[i].group_id);
			err = -EPROTO;
			goto failed;
		}
	}
	logmsg(LOG_INFO, "KEY_RESPONSE %u: %zu group(s)", r.transaction, r.ngroups);
	if (r.has_push_key)
		push_key_set(&d.push, r.push_key);
	for (size_t i = 0; i < r.ngroups; i++) {
		struct group *g = group_by_id(r.groups[i].group_id);

		/* a refused group's revocations too: not-authorised, say */
		apply_revoked(g, &r.groups[i]);
		if (r.groups[i].error[0]) {
			logmsg(LOG_ERR, "group 0x%06x: PKMF refused: %s", g->cfg->group_id,
			       r.groups[i].error);
			bad++;
			continue;
		}
		if (apply_group(g, &r.groups[i], true))
			bad++;
	}
	for (size_t i = 0; i < d.s->ngroups; i++) {
		bool answered = false;

		for (size_t j = 0; j < r.ngroups; j++)
			answered |= r.groups[j].group_id == d.s->groups[i].cfg->group_id;
		if (!answered) {
			logmsg(LOG_WARNING, "group 0x%06x: not in the KEY_RESPONSE",
			       d.s->groups[i].cfg->group_id);
			bad++;
		}
	}
	pc3_response_wipe(&r);
	schedule_after_success();
	return bad ? -EPROTO : 0;

failed:
	pc3_response_wipe(&r);
	{
		double delay = backoff(d.failures++);

		d.next_fetch = mono() + delay;
		logmsg(LOG_NOTICE, "PC3 attempt %u failed: next in %.1fs", d.failures, delay);
	}
	return err ? err : -EIO;
}

/* The push socket on push-port, again when a reload changes the port */
static void push_open(void)
{
	uint16_t port = (uint16_t)d.s->conf.push_port;
	struct errmsg why = { "" };

	if (d.push_fd >= 0 && port == d.push_port)
		return;
	if (d.push_fd >= 0)
		close(d.push_fd);
	d.push_fd = -1;
	d.push_port = port;
	if (!port)
		return;
	d.push_fd = push_listen(port, &why);
	if (d.push_fd < 0) {
		logmsg(LOG_ERR, "%s: the PKMF's pushes cannot reach this UE (it fetches on "
		       "its schedule only)", why.msg);
		d.push_fd = -1;
		return;
	}
	logmsg(LOG_INFO, "push: listening on UDP port %u", port);
}

static void watermark(struct group *g)
{
	struct errmsg why = { "" };
	int err;

	g->limit_hit = false;
	err = kern_watermark(d.nl, &d.s->conf, g->cfg, &g->wm, &why);
	if (err)
		logmsg(LOG_ERR, "group 0x%06x: %s", g->cfg->group_id, err_str(&why, err));
}

static void watermarks(void)
{
	for (size_t i = 0; i < d.s->ngroups; i++)
		watermark(&d.s->groups[i]);
}

static void on_event(const struct pc5nl_event *ev, void *arg)
{
	(void)arg;
	if (ev->cmd == PC5NL_EVT_UNLOADED || ev->cmd == PC5NL_EVT_LOADED) {
		if (ev->cmd == PC5NL_EVT_UNLOADED)
			logmsg(LOG_WARNING, "pc5sec unloaded: its links and keys are gone");
		else
			logmsg(LOG_NOTICE, "pc5sec loaded (genl family %u)", ev->family);
		pc5nl_family_reset(d.nl);
		/*
		 * Whatever link a group has was made before these events were
		 * read, maybe already by the new module while the keys went to
		 * the old family: apply every group again once loaded.
		 */
		for (size_t i = 0; i < d.s->ngroups; i++)
			d.s->groups[i].ifindex = 0;
		d.unloaded = ev->cmd == PC5NL_EVT_UNLOADED;
		d.resync = !d.unloaded;
		return;
	}
	for (size_t i = 0; i < d.s->ngroups; i++) {
		struct group *g = &d.s->groups[i];

		if (g->ifindex != ev->ifindex)
			continue;
		switch (ev->cmd) {
		case PC5SEC_CMD_EVT_UNKNOWN_PGK:
			if (!keyd_unknown_pgk(g, ev->pgk_index, mono())) {
				logmsg(LOG_DEBUG, "%s: frame from 0x%06x with unknown PGK Index "
				       "%u: not fetching (a known PGK's, or asked lately)",
				       g->cfg->link, ev->sender, ev->pgk_index);
				break;
			}
			logmsg(LOG_NOTICE, "%s: frame from 0x%06x with unknown PGK Index %u: "
			       "fetching keys (the next such fetch not before %us)",
			       g->cfg->link, ev->sender, ev->pgk_index,
			       (unsigned int)(g->unknown_next - mono() + 0.5));
			d.fetch_soon = true;
			break;
		case PC5SEC_CMD_EVT_KEY_EXPIRING:
			logmsg(LOG_INFO, "%s: PGK %u expiring", g->cfg->link, ev->key.pgk_id);
			d.fetch_soon = true;
			break;
		case PC5SEC_CMD_EVT_KEY_LIMIT:
			/* TX is held back: move the watermark at once, not at the next check */
			logmsg(LOG_WARNING, "%s: PGK %u: TX reached its ptk-limit %u: "
			       "extending the watermark now", g->cfg->link, ev->key.pgk_id,
			       ev->key.ptk_limit ? ev->key.ptk_limit : ev->key.tx_ptk_id);
			g->limit_hit = true;
			break;
		case PC5SEC_CMD_EVT_MEMBER_CONFLICT:
			/* no fix from here: an operator must renumber a UE */
			logmsg(LOG_CRIT, "%s: PGK %u: another UE sends with our member ID "
			       "0x%06x: both reuse one keystream; one of them must be "
			       "given another member ID", g->cfg->link, ev->key.pgk_id,
			       ev->sender);
			break;
		case PC5SEC_CMD_EVT_KEY_REMOVED:
			/* a PGK waiting for this one's PGK Index may go in now */
			if (g->retry_at)
				g->retry_at = 1;
			/* fall through */
		case PC5SEC_CMD_EVT_KEY_EXHAUSTED:
			logmsg(LOG_INFO, "%s: PGK %u %s", g->cfg->link, ev->key.pgk_id,
			       pc5nl_event_name(ev->cmd));
			break;
		default:
			break;
		}
	}
}

/*
 * A group's link that went (its lower deleted by a modem reset, pc5sec
 * unloaded) comes back as soon as its lower is there and pc5sec is loaded:
 * created again with the stored PGKs, each from its watermark, not at the
 * next fetch (up to an hour away, and never out of coverage). A group
 * never applied yet waits for its first fetch or stored keys.
 */
static void resync(void)
{
	for (size_t i = 0; i < d.s->ngroups; i++) {
		struct group *g = &d.s->groups[i];
		unsigned int link = if_nametoindex(g->cfg->link);

		if (!g->known || (link && link == g->ifindex))
			continue;
		if (!if_nametoindex(g->cfg->lower)) {
			if (g->ifindex)
				logmsg(LOG_WARNING, "%s: link gone with its lower %s: "
				       "waiting for it", g->cfg->link, g->cfg->lower);
			g->ifindex = 0;
			continue;
		}
		if (link && !g->ifindex)
			logmsg(LOG_NOTICE, "%s: pc5sec loaded again: installing the stored keys",
			       g->cfg->link);
		else if (link)
			logmsg(LOG_NOTICE, "%s: link replaced (ifindex %u, was %u): "
			       "installing the stored keys", g->cfg->link, link, g->ifindex);
		else
			logmsg(LOG_NOTICE, "%s: link missing, lower %s present: "
			       "installing the stored keys", g->cfg->link, g->cfg->lower);
		g->ifindex = 0;
		load_stored(g);
	}
}

/*
 * PGKs that waited for a PGK Index (kern_apply()): the stored keys again,
 * once the PGK holding it has expired or was removed.
 */
static void retries(void)
{
	uint64_t now = (uint64_t)time(NULL);

	for (size_t i = 0; i < d.s->ngroups; i++) {
		struct group *g = &d.s->groups[i];

		if (!g->retry_at || now < g->retry_at)
			continue;
		logmsg(LOG_INFO, "group 0x%06x: installing the stored PGKs again",
		       g->cfg->group_id);
		g->retry_at = 0;
		load_stored(g);
	}
}

/* SIGHUP: a whole new state, or the old one as it was */
/* At every start (and reload): what a file store leaves on the disk */
static void store_warn(void)
{
	struct store_conf sc;

	keyd_store_conf(&d.s->conf, &sc);
	if (sc.auto_init)
		logmsg(LOG_NOTICE, "key-store not set: the TPM (/dev/tpmrm0) seals the keys "
		       "(key-store = file keeps them in plaintext)");
	if (store_sealed(d.s->store))
		return;
	if (d.s->conf.keyring)
		logmsg(LOG_WARNING, "key-store file with keyring = yes: PGKs are not stored; "
		       "after a reboot out of coverage this UE has none (key-store tpm2 "
		       "or pkcs11 keeps them sealed)");
	else
		logmsg(LOG_WARNING, "key-store file: PGKs are stored in plaintext in %s "
		       "(key-store tpm2 or pkcs11 keeps them sealed)", d.s->conf.state_dir);
}

static int reload(void)
{
	int err;

	err = keyd_reload(&d.s, d.conf_path);
	if (err)
		return err;
	store_warn();
	push_open();
	for (size_t i = 0; i < d.s->ngroups; i++)
		load_stored(&d.s->groups[i]);
	logmsg(LOG_NOTICE, "configuration reloaded: %zu group(s)", d.s->ngroups);
	d.fetch_soon = true;
	d.failures = 0;
	return 0;
}

/*
 * pc5keyd --init: the state directory of a UE that has never sent with
 * any PGK it will be given (state.h says why it matters).
 */
static int init_state(void)
{
	struct errmsg why = { "" };
	struct conf *c;
	bool made;
	int err;

	c = calloc(1, sizeof(*c));
	if (!c) {
		logmsg(LOG_ERR, "out of memory");
		return 1;
	}
	err = conf_load(d.conf_path, c, &why);
	if (err) {
		logmsg(LOG_ERR, "%s: %s", d.conf_path, err_str(&why, err));
	} else if ((err = keyd_check_secrets(c, &why))) {
		/* the daemon would refuse them at its start: say so now */
		logmsg(LOG_ERR, "%s", err_str(&why, err));
	} else {
		umask(077);
		err = state_init(c->state_dir, &made, &why);
		if (err)
			logmsg(LOG_ERR, "%s", err_str(&why, err));
		else
			logmsg(LOG_NOTICE, "%s: %s", c->state_dir,
			       made ? "initialised" : "already initialised, unchanged");
	}
	/* a sealing store's key, generated in the token if it has none */
	if (!err) {
		struct store_conf sc;
		struct store *st;

		keyd_store_conf(c, &sc);
		if (sc.kind != STORE_FILE)
			err = store_open(&sc, true, &made, &st, &why);
		if (sc.kind == STORE_FILE) {
			/* nothing to make */
		} else if (err) {
			logmsg(LOG_ERR, "%s", err_str(&why, err));
		} else {
			if (sc.kind == STORE_PKCS11)
				logmsg(LOG_NOTICE, "pkcs11 token \"%s\": AES key \"%s\" %s",
				       c->p11_token, c->p11_key,
				       made ? "generated (sensitive, never extractable)" :
				       "present, unchanged");
			else
				logmsg(LOG_NOTICE, "tpm2 %s: data key %s%s", c->tpm2_tcti,
				       made ? "generated and sealed to this TPM (store-key.tpm2)" :
				       "unsealed: present, unchanged",
				       sc.auto_init ? " (key-store not set: the UE has a TPM)" : "");
			store_close(st);
		}
	}
	free(c);
	return err ? 1 : 0;
}

/*
 * PGKs must not reach swap: every page of the process locked in memory,
 * present and future. Only with CAP_IPC_LOCK (or no RLIMIT_MEMLOCK):
 * under a limit, MCL_FUTURE would make a later allocation past it fail.
 */
static void lock_memory(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct caps[2] = { { 0 } };
	struct rlimit r;
	bool can;

	can = !getrlimit(RLIMIT_MEMLOCK, &r) && r.rlim_cur == RLIM_INFINITY;
	if (!can && !syscall(SYS_capget, &h, caps))
		can = caps[CAP_IPC_LOCK / 32].effective & (1u << (CAP_IPC_LOCK % 32));
	if (!can) {
		logmsg(LOG_NOTICE, "no CAP_IPC_LOCK: memory not locked, key buffers may be swapped out");
		return;
	}
	if (mlockall(MCL_CURRENT | MCL_FUTURE))
		logmsg(LOG_WARNING, "mlockall: %s: key buffers may be swapped out",
		       strerror(errno));
}

static void usage(FILE *f)
{
	fprintf(f, "usage: pc5keyd [-c FILE] [--init | --once] [--foreground] [--debug]\n"
		   "  -c, --config FILE   configuration (default %s)\n"
		   "      --init          mark the state directory as this UE's from its first\n"
		   "                      day (provisioning only: see pc5keyd(8)), exit\n"
		   "  -1, --once          fetch, install, exit (0: every group has keys)\n"
		   "  -f, --foreground    stay in the foreground, log to stderr\n"
		   "  -d, --debug         log debug messages too\n", CONF_DEFAULT_PATH);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "init", no_argument, NULL, 'I' },
		{ "once", no_argument, NULL, '1' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "debug", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct errmsg why = { "" };
	bool once = false, init = false;
	sigset_t sigs;
	int opt, sfd = -1, err, rc = 0;

	d.conf_path = CONF_DEFAULT_PATH;
	d.links = -1;
	d.push_fd = -1;
	if (pc3_init()) {
		fprintf(stderr, "pc5keyd: libxml2 refused its allocator\n");
		return 1;
	}
	while ((opt = getopt_long(argc, argv, "c:1fdh", opts, NULL)) != -1) {
		switch (opt) {
		case 'c': d.conf_path = optarg; break;
		case 'I': init = true; log_foreground = true; break;
		case '1': once = true; log_foreground = true; break;
		case 'f': log_foreground = true; break;
		case 'd': log_level = LOG_DEBUG; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc || (init && once)) {
		usage(stderr);
		return 2;
	}
	if (init)
		return init_state();
	if (!log_foreground)
		openlog("pc5keyd", LOG_PID, LOG_DAEMON);
	umask(077);
	/*
	 * PGKs pass through this process: no core file, no ptrace or
	 * /proc/PID/mem by other processes of the same user.
	 */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0))
		logmsg(LOG_WARNING, "prctl(PR_SET_DUMPABLE): %s", strerror(errno));
	lock_memory();
	err = keyd_state_load(d.conf_path, &d.s, &why);
	if (err) {
		logmsg(LOG_ERR, "%s", err_str(&why, err));
		return 1;
	}
	store_warn();
	if (pc3http_init()) {
		logmsg(LOG_ERR, "libcurl initialisation failed");
		return 1;
	}
	err = pc5nl_open(&d.nl);
	if (err) {
		logmsg(LOG_ERR, "netlink: %s", strerror(-err));
		return 1;
	}
	for (size_t i = 0; i < d.s->ngroups; i++)
		load_stored(&d.s->groups[i]);
	if (!once)
		push_open();

	if (once) {
		err = fetch();
		pc5nl_close(d.nl);
		pc3http_cleanup();
		keyd_state_free(d.s);
		return err ? 1 : 0;
	}

	sigemptyset(&sigs);
	sigaddset(&sigs, SIGHUP);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	sfd = signalfd(-1, &sigs, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0) {
		/* without it SIGTERM would go unseen and no watermark be saved */
		logmsg(LOG_ERR, "signalfd: %s", strerror(errno));
		rc = 1;
		goto out;
	}
	signal(SIGPIPE, SIG_IGN);
	d.links = pc5nl_link_watch_open();
	if (d.links < 0)	/* links then come back at the next fetch only */
		logmsg(LOG_WARNING, "RTNLGRP_LINK: %s", strerror(-d.links));

	d.next_fetch = mono();
	logmsg(LOG_NOTICE, "started: %zu group(s), PKMF %s", d.s->ngroups, d.s->conf.pkmf_url);
	for (;;) {
		struct pollfd pfd[4] = {
			{ sfd, POLLIN, 0 }, { -1, POLLIN, 0 }, { d.links, POLLIN, 0 },
			{ d.push_fd, POLLIN, 0 },
		};
		double now = mono(), wake;
		int ms;

		if (!d.mon) {
			err = pc5nl_mon_open(&d.mon);
			if (err) {
				d.mon = NULL;	/* module not loaded yet: poll only */
				d.mon_failed = true;
			} else if (d.mon_failed) {
				/* loaded since: whatever was tried before failed */
				logmsg(LOG_NOTICE, "pc5sec loaded");
				pc5nl_family_reset(d.nl);
				d.mon_failed = false;
				d.unloaded = false;
				d.resync = true;
			}
		}
		if (d.mon)
			pfd[1].fd = pc5nl_mon_fd(d.mon);
		if (d.resync && !d.unloaded) {
			d.resync = false;
			resync();
		}

		/*
		 * An event asks for a fetch now, at most once a second; while
		 * the PKMF is failing, the backoff decides instead.
		 */
		if (d.fetch_soon && d.failures) {
			d.fetch_soon = false;
		} else if (d.fetch_soon && now >= d.last_attempt + 1.0) {
			d.fetch_soon = false;
			d.next_fetch = now;
		}
		/*
		 * A push proved the PKMF wants us now (a revocation): even
		 * during a backoff, at most once a second.
		 */
		if (d.push_due && now >= d.last_attempt + 1.0) {
			d.push_due = false;
			d.next_fetch = now;
		}
		if (now >= d.next_fetch) {
			d.fetch_soon = false;
			fetch();
			now = mono();
		}
		/*
		 * systemd (Type=notify): started once the stored keys are
		 * back in the kernel and the first fetch is over, whatever
		 * came of it, so that "systemctl start" returns with the
		 * keys in place. Without NOTIFY_SOCKET this does nothing.
		 */
		if (!d.ready) {
			d.ready = true;
			sd_notifyf(0, "READY=1\nSTATUS=%zu group(s); %s", d.s->ngroups,
				   d.failures ? "PKMF unreachable, using the stored keys" :
				   "keys from the PKMF installed");
		}
		retries();
		watermarks();
		wake = d.next_fetch;
		if (wake > now + d.s->conf.watermark_interval)
			wake = now + d.s->conf.watermark_interval;
		for (size_t i = 0; i < d.s->ngroups; i++) {
			uint64_t at = d.s->groups[i].retry_at, t = (uint64_t)time(NULL);

			if (at && wake > now + (double)(at > t ? at - t : 0))
				wake = now + (double)(at > t ? at - t : 0);
		}
		if ((d.fetch_soon || d.push_due) && wake > d.last_attempt + 1.0)
			wake = d.last_attempt + 1.0;
		ms = wake > now ? (int)((wake - now) * 1000) + 1 : 0;
		if (poll(pfd, 4, ms) < 0 && errno != EINTR) {
			logmsg(LOG_ERR, "poll: %s", strerror(errno));
			rc = 1;
			break;
		}
		if (pfd[1].revents & POLLIN) {
			err = pc5nl_mon_read(d.mon, true, on_event, NULL);
			if (err == -ENOBUFS) {
				/* a key-limit event may have been among them */
				logmsg(LOG_WARNING, "kernel events lost: re-reading the keys");
				for (size_t i = 0; i < d.s->ngroups; i++)
					d.s->groups[i].limit_hit = true;
			} else if (err < 0 && err != -EAGAIN) {
				logmsg(LOG_WARNING, "events: %s", strerror(-err));
			}
			/* before a fetch, which may take up to timeout seconds */
			for (size_t i = 0; i < d.s->ngroups; i++)
				if (d.s->groups[i].limit_hit)
					watermark(&d.s->groups[i]);
		}
		if ((pfd[2].revents & POLLIN) && pc5nl_link_watch_drain(d.links) > 0)
			d.resync = true;
		if ((pfd[3].revents & POLLIN) && push_read(d.push_fd, &d.push))
			d.push_due = true;
		if (pfd[0].revents & POLLIN) {
			struct signalfd_siginfo si;

			while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
				if (si.ssi_signo == SIGHUP) {
					struct timespec ts;

					logmsg(LOG_NOTICE, "SIGHUP: reloading %s", d.conf_path);
					clock_gettime(CLOCK_MONOTONIC, &ts);
					sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu",
						   (unsigned long long)ts.tv_sec * 1000000ULL +
						   (unsigned long long)ts.tv_nsec / 1000);
					sd_notifyf(0, "READY=1\nSTATUS=%s",
						   reload() ? "reload refused, old configuration kept" :
						   "configuration reloaded");
				} else {
					logmsg(LOG_NOTICE, "signal %u: exiting", si.ssi_signo);
					goto out;
				}
			}
		}
	}
out:
	sd_notify(0, "STOPPING=1");
	watermarks();
	if (d.mon)
		pc5nl_mon_close(d.mon);
	pc5nl_close(d.nl);
	pc3http_cleanup();
	keyd_state_free(d.s);
	if (sfd >= 0)
		close(sfd);
	if (d.links >= 0)
		close(d.links);
	if (d.push_fd >= 0)
		close(d.push_fd);
	push_key_wipe(&d.push);
	return rc;
}
