// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of pc5keyd's watermarks and the kernel's PTK limits
 * (kernel.c), against a fake kernel: this file implements the pc5nl calls
 * kernel.c makes. The fake checks, at every KEY_ADD and KEY_SET, that the
 * PTK limit asked for is no higher than the watermark already on disk:
 * the limit is raised only after the durable write. Built with ASan and
 * UBSan; prints one line per failed case and ends with "N passed, N failed".
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../kernel.h"
#include "../keyd.h"
#include "../log.h"
#include "../push.h"

#include "../../tests/check.h"

#define GROUP		0x42
#define IFINDEX		7
/* the fake kernel's link; no such interface in the real one */
#define LINK		"pc5kt-none0"

/* --- the log --- */

bool log_foreground;
int log_level = LOG_DEBUG;

static char logbuf[16384];

void logmsg(int prio, const char *fmt, ...)
{
	size_t len = strlen(logbuf);
	va_list ap;

	if (len + 256 > sizeof(logbuf))
		return;
	len += (size_t)snprintf(logbuf + len, sizeof(logbuf) - len, "<%d>", prio);
	va_start(ap, fmt);
	len += (size_t)vsnprintf(logbuf + len, sizeof(logbuf) - len, fmt, ap);
	va_end(ap);
	snprintf(logbuf + len, sizeof(logbuf) - len, "\n");
}

/* The whole line "<prio>text" was logged. */
static bool logged(int prio, const char *text)
{
	char line[512];
	const char *p = logbuf;
	size_t n;

	snprintf(line, sizeof(line), "<%d>%s\n", prio, text);
	n = strlen(line);
	for (; *p; p = strchr(p, '\n') + 1)
		if (!strncmp(p, line, n))
			return true;
	return false;
}

static void log_clear(void)
{
	logbuf[0] = '\0';
}

/* --- the fake kernel --- */

static struct {
	struct pc5nl_key keys[8];
	size_t n;
	int set_err;			/* next KEY_SET fails with it */
	unsigned int sets;		/* KEY_SETs that went through */
	unsigned int adds;
	unsigned int ups;		/* link up requests */
	uint32_t addr;			/* the last address set, network order */
	uint8_t prefixlen;
	const char *durable_dir;	/* where the watermarks really are */
	int hide_once;			/* the next key list leaves this PGK ID out */
	const char *extack;		/* the last request's extended ACK */
	uint8_t del_reason;		/* the last KEY_DEL's */
} k;

static struct pc5nl_key *fake_key(uint8_t id)
{
	for (size_t i = 0; i < k.n; i++)
		if (k.keys[i].pgk_id == id)
			return &k.keys[i];
	return NULL;
}

static struct pc5nl_key *fake_add(uint8_t id, uint32_t tx, uint32_t limit)
{
	struct pc5nl_key *key = &k.keys[k.n++];

	memset(key, 0, sizeof(*key));
	key->pgk_id = id;
	key->pgk_index = id & 0x1f;
	key->state = PC5SEC_KEY_STATE_ACTIVE;
	key->tx_ptk_id = tx;
	key->ptk_limit = limit;
	return key;
}

/* The watermark of @id in the file on disk */
static uint32_t on_disk(uint8_t id)
{
	struct wm_table t = { 0 };
	struct errmsg why = { "" };

	if (wm_load(k.durable_dir, GROUP, &t, &why))
		return 0;
	return wm_get(&t, id);
}

const char *pc5nl_extack(const struct pc5nl *nl)
{
	(void)nl;
	return k.extack;
}

const char *pc5nl_strerror(const struct pc5nl *nl, int err)
{
	return pc5nl_extack(nl) ? pc5nl_extack(nl) : strerror(-err);
}

int pc5nl_link_get(struct pc5nl *nl, const char *ifname, struct pc5nl_link *l)
{
	(void)nl;
	if (strcmp(ifname, LINK))
		return -ENODEV;
	memset(l, 0, sizeof(*l));
	l->ifindex = IFINDEX;
	snprintf(l->ifname, sizeof(l->ifname), "%s", ifname);
	l->cfg.mask = PC5NL_SET(IFLA_PC5SEC_GROUP) | PC5NL_SET(IFLA_PC5SEC_MEMBER) |
		      PC5NL_SET(IFLA_PC5SEC_CIPHER);
	l->cfg.group = GROUP;
	l->cfg.member = 1;
	l->cfg.cipher = PC5SEC_CIPHER_EEA2;
	return 0;
}

int pc5nl_link_add(struct pc5nl *nl, const char *ifname, uint32_t lower,
		   const struct pc5nl_settings *cfg)
{
	(void)nl, (void)ifname, (void)lower, (void)cfg;
	return -EOPNOTSUPP;
}

int pc5nl_link_change(struct pc5nl *nl, uint32_t ifindex,
		      const struct pc5nl_settings *cfg)
{
	(void)nl, (void)ifindex, (void)cfg;
	return -EOPNOTSUPP;
}

int pc5nl_link_up(struct pc5nl *nl, uint32_t ifindex)
{
	(void)nl;
	CHECK(ifindex == IFINDEX, "link up of ifindex %u", ifindex);
	k.ups++;
	return 0;
}

int pc5nl_addr4_set(struct pc5nl *nl, uint32_t ifindex, const char *ifname,
		    uint32_t addr, uint8_t prefixlen)
{
	(void)nl;
	CHECK(ifindex == IFINDEX && !strcmp(ifname, LINK),
	      "address on ifindex %u %s", ifindex, ifname);
	k.addr = addr;
	k.prefixlen = prefixlen;
	return 0;
}

int pc5nl_key_list(struct pc5nl *nl, uint32_t ifindex, struct pc5nl_key **keys,
		   size_t *n)
{
	(void)nl;
	CHECK(ifindex == IFINDEX, "key list of ifindex %u", ifindex);
	k.extack = NULL;
	*keys = calloc(k.n ? k.n : 1, sizeof(**keys));
	if (!*keys)
		return -ENOMEM;
	*n = 0;
	for (size_t i = 0; i < k.n; i++)
		if (k.keys[i].pgk_id != k.hide_once)
			(*keys)[(*n)++] = k.keys[i];
	k.hide_once = -1;
	return 0;
}

int pc5nl_key_add(struct pc5nl *nl, uint32_t ifindex,
		  const struct pc5nl_key_params *p, const uint8_t pgk[PC5SEC_PGK_LEN])
{
	struct pc5nl_key *key;

	(void)nl, (void)pgk;
	CHECK(ifindex == IFINDEX, "key add on ifindex %u", ifindex);
	CHECK(p->ptk_limit && p->ptk_limit <= on_disk(p->pgk_id),
	      "PGK %u installed with ptk-limit %u, watermark on disk %u",
	      p->pgk_id, p->ptk_limit, on_disk(p->pgk_id));
	CHECK(p->ptk_limit > p->ptk_start && p->ptk_limit <= 0x10000,
	      "PGK %u: ptk-start %u, ptk-limit %u", p->pgk_id, p->ptk_start,
	      p->ptk_limit);
	/* the kernel's two -EEXISTs (module/life.c, pc5sec_pgk_add()) */
	k.extack = NULL;
	for (size_t i = 0; i < k.n; i++) {
		if (k.keys[i].pgk_id == p->pgk_id) {
			k.extack = "PGK ID is already installed";
			return -EEXIST;
		}
		if ((k.keys[i].pgk_id & 0x1f) == (p->pgk_id & 0x1f)) {
			k.extack = "PGK Index (the low 5 bits of the PGK ID) collides with an installed PGK";
			return -EEXIST;
		}
	}
	key = fake_add(p->pgk_id, p->ptk_start, p->ptk_limit);
	key->mask = p->mask & (PC5NL_KEY_NOT_BEFORE | PC5NL_KEY_NOT_AFTER);
	key->not_before = p->not_before;
	key->not_after = p->not_after;
	k.adds++;
	return 0;
}

int pc5nl_key_add_keyring(struct pc5nl *nl, uint32_t ifindex,
			  const struct pc5nl_key_params *p, const char *desc)
{
	(void)desc;
	return pc5nl_key_add(nl, ifindex, p, NULL);
}

int pc5nl_key_set_limit(struct pc5nl *nl, uint32_t ifindex, uint8_t pgk_id,
			uint32_t ptk_limit)
{
	struct pc5nl_key *key = fake_key(pgk_id);
	int err = k.set_err;

	(void)nl;
	CHECK(ifindex == IFINDEX, "key set on ifindex %u", ifindex);
	CHECK(ptk_limit >= 1 && ptk_limit <= 0x10000, "KEY_SET ptk-limit %u",
	      ptk_limit);
	CHECK(ptk_limit <= on_disk(pgk_id),
	      "PGK %u: KEY_SET ptk-limit %u above the watermark on disk %u",
	      pgk_id, ptk_limit, on_disk(pgk_id));
	k.set_err = 0;
	if (err)
		return err;
	if (!key)
		return -ENOENT;
	key->ptk_limit = ptk_limit;
	k.sets++;
	return 0;
}

int pc5nl_key_del(struct pc5nl *nl, uint32_t ifindex, uint8_t pgk_id, uint8_t reason)
{
	struct pc5nl_key *key = fake_key(pgk_id);

	(void)nl;
	CHECK(ifindex == IFINDEX, "key del on ifindex %u", ifindex);
	k.extack = NULL;
	if (!key)
		return -ENOENT;
	*key = k.keys[--k.n];
	k.del_reason = reason;
	return 0;
}

/* --- the tests --- */

static struct conf c;
static struct conf_group g;
static struct pc3_group pg;
static struct wm_table wm;
static uint64_t retry_at;

static int watermark(void)
{
	struct errmsg why = { "" };
	int err;

	err = kern_watermark(NULL, &c, &g, &wm, &why);
	CHECK(err == 0, "kern_watermark: %d %s", err, why.msg);
	return err;
}

static void setup(char *dir)
{
	struct errmsg why = { "" };

	memset(&k, 0, sizeof(k));
	k.hide_once = -1;
	memset(&wm, 0, sizeof(wm));
	/* a UE whose state directory was made by pc5keyd --init */
	wm.fresh_ok = true;
	CHECK(conf_parse("pkmf-url = https://pkmf.invalid/pc3\n"
			 "ca-file = /dev/null\ncert-file = /dev/null\n"
			 "key-file = /dev/null\nue-id = ue-a\n"
			 "[group 0x42]\nlink = " LINK "\nlower = lo\n",
			 &c, &why) == 0, "conf: %s", why.msg);
	snprintf(c.state_dir, sizeof(c.state_dir), "%s", dir);
	c.watermark_block = 32;
	g = c.groups[0];
	k.durable_dir = dir;
	memset(&pg, 0, sizeof(pg));
	pg.group_id = GROUP;
	pg.member = 1;
	pg.cipher = PC5SEC_CIPHER_EEA2;
	log_clear();
}

static void rm_watermarks(const char *dir)
{
	char path[600];

	snprintf(path, sizeof(path), "%s/watermark-%06x", dir, GROUP);
	unlink(path);
	snprintf(path, sizeof(path), "%s/" STATE_MARKER, dir);
	unlink(path);
}

static void add_pgk(uint8_t id)
{
	struct pc3_pgk *p = &pg.pgks[pg.npgks++];

	p->id = id;
	memset(p->key, 0xa5, sizeof(p->key));
	p->not_before = 0;
	p->not_after = (uint64_t)time(NULL) + 3600;
}

static void test_wm_extend(void)
{
	static const struct {
		uint32_t reserved, tx, block, want;
	} cases[] = {
		{ 0, 0, 32, 32 },		/* the first reservation */
		{ 3, 3, 2, 5 },			/* a restart at 3 */
		{ 32, 0, 32, 32 },		/* far ahead: kept */
		{ 32, 15, 32, 32 },		/* more than half a block ahead */
		{ 32, 16, 32, 48 },		/* half a block: extended */
		{ 2, 1, 2, 3 },			/* block 2: one PTK Identity */
		{ 3, 1, 2, 3 },
		{ 32, 32, 32, 64 },		/* TX held at the limit */
		{ 32, 40, 32, 72 },		/* TX past it (no limit held it) */
		{ 0, 1000, 32, 1032 },		/* a PGK without watermark */
		{ 0xfff0, 0xfff0, 32, 0x10000 },	/* capped */
		{ 0xffff, 0xffff, 2, 0x10000 },
		{ 0xffe0, 0xfff0, 32, 0x10000 },
		{ 0, 0xf000, 4096, 0x10000 },
		{ 0x10000, 0, 32, 0x10000 },	/* all reserved: kept */
		{ 0x10000, 0x10000, 32, 0x10000 },
		{ 0xfff0, 0x10000, 32, 0x10000 },	/* exhausted */
	};
	uint32_t r, tx, got;
	bool ok = true;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		got = wm_extend(cases[i].reserved, cases[i].tx, cases[i].block);
		CHECK(got == cases[i].want, "wm_extend(%u, %u, %u) = %u, want %u",
		      cases[i].reserved, cases[i].tx, cases[i].block, got,
		      cases[i].want);
	}
	/* never backwards, never past WM_ALL, and ahead of TX after a move */
	for (r = 0; r <= WM_ALL && ok; r += 97) {
		for (tx = 0; tx <= WM_ALL && ok; tx += 89) {
			got = wm_extend(r, tx, 32);
			ok = got >= r && got <= WM_ALL &&
			     (got == r || got == WM_ALL || got >= tx + 16);
		}
	}
	CHECK(ok, "wm_extend(%u, %u, 32) = %u", r, tx, got);
}

static void test_install(char *dir)
{
	struct errmsg why = { "" };
	char line[256];
	uint32_t ifindex = 0;
	struct pc5nl_key *key;
	int n;

	setup(dir);
	add_pgk(1);
	n = kern_apply(NULL, &c, &g, &pg, &wm, &ifindex, &retry_at, &why);
	CHECK(n == 1 && ifindex == IFINDEX, "kern_apply: %d %s", n, why.msg);
	CHECK(k.ups == 1 && !k.addr, "link: %u up, address %08x", k.ups, k.addr);
	key = fake_key(1);
	CHECK(key && key->tx_ptk_id == 0 && key->ptk_limit == 32,
	      "installed with ptk-start 0 ptk-limit 32");
	CHECK(on_disk(1) == 32, "watermark 32 on disk: %u", on_disk(1));
	CHECK(strstr(logbuf, "ptk-start 0, watermark 32, ptk-limit 32\n"),
	      "install logged: %s", logbuf);

	/* nothing to do: no KEY_SET */
	log_clear();
	watermark();
	CHECK(k.sets == 0 && on_disk(1) == 32, "idle: %u KEY_SETs", k.sets);
	CHECK(!logbuf[0], "idle: logged %s", logbuf);

	/* within half a block: moved on disk, then the limit follows */
	key->tx_ptk_id = 16;
	watermark();
	CHECK(on_disk(1) == 48 && key->ptk_limit == 48 && k.sets == 1,
	      "raised: disk %u limit %u", on_disk(1), key->ptk_limit);
	CHECK(logged(LOG_DEBUG, LINK ": PGK 1: ptk-limit raised from 32 to 48"),
	      "raise logged: %s", logbuf);
	CHECK(!strstr(logbuf, "past"), "no warning: %s", logbuf);

	/* TX held at the limit (the key-limit case) */
	log_clear();
	key->tx_ptk_id = 48;
	key->state = PC5SEC_KEY_STATE_VALID;
	watermark();
	CHECK(on_disk(1) == 80 && key->ptk_limit == 80,
	      "held: disk %u limit %u", on_disk(1), key->ptk_limit);
	CHECK(logged(LOG_NOTICE, LINK ": PGK 1: ptk-limit raised from 48 to 80 (TX was held at it)"),
	      "held logged: %s", logbuf);
	CHECK(!strstr(logbuf, "past"), "held is no COUNT reuse: %s", logbuf);

	/* KEY_SET fails: the lower limit stays, and is retried */
	log_clear();
	key->state = PC5SEC_KEY_STATE_ACTIVE;
	key->tx_ptk_id = 64;
	k.set_err = -ENOMEM;
	watermark();
	CHECK(on_disk(1) == 96 && key->ptk_limit == 80,
	      "failed KEY_SET: disk %u limit %u", on_disk(1), key->ptk_limit);
	snprintf(line, sizeof(line), LINK ": PGK 1: cannot move ptk-limit from 80 to 96: %s; TX stops at 80",
		 strerror(ENOMEM));
	CHECK(logged(LOG_ERR, line), "failure logged: %s", logbuf);
	watermark();
	CHECK(on_disk(1) == 96 && key->ptk_limit == 96, "retried: limit %u",
	      key->ptk_limit);

	/* the durable write fails: no limit goes past the disk */
	log_clear();
	snprintf(c.state_dir, sizeof(c.state_dir), "%s/missing", dir);
	key->tx_ptk_id = 90;
	{
		unsigned int sets = k.sets;
		int err = kern_watermark(NULL, &c, &g, &wm, &why);

		CHECK(err && strstr(why.msg, "watermark: "), "save failed: %d %s", err, why.msg);
		CHECK(k.sets == sets && key->ptk_limit == 96,
		      "no KEY_SET without the write: limit %u", key->ptk_limit);
		CHECK(wm_get(&wm, 1) == 96, "table back to the disk: %u",
		      wm_get(&wm, 1));
	}
	snprintf(c.state_dir, sizeof(c.state_dir), "%s", dir);
	watermark();
	CHECK(on_disk(1) == 122 && key->ptk_limit == 122, "then: disk %u limit %u",
	      on_disk(1), key->ptk_limit);

	/* expired and exhausted keys are left alone */
	key->state = PC5SEC_KEY_STATE_EXPIRED;
	key->ptk_limit = 100;
	watermark();
	CHECK(key->ptk_limit == 100, "expired: limit %u", key->ptk_limit);
	key->state = PC5SEC_KEY_STATE_ACTIVE;
	key->ptk_limit = 122;
}

static void test_other_keys(char *dir)
{
	struct pc5nl_key *key;

	/* a key without a limit (installed by hand, or before limits) */
	setup(dir);
	rm_watermarks(dir);
	add_pgk(2);
	key = fake_add(2, 5, 0);
	watermark();
	CHECK(on_disk(2) == 37 && key->ptk_limit == 37, "set: disk %u limit %u",
	      on_disk(2), key->ptk_limit);
	CHECK(logged(LOG_NOTICE, LINK ": PGK 2: ptk-limit set to 37 (it had none)"),
	      "set logged: %s", logbuf);

	/* a limit above the watermark on disk comes down to it */
	log_clear();
	key->ptk_limit = 500;
	watermark();
	CHECK(key->ptk_limit == 37, "lowered: limit %u", key->ptk_limit);
	CHECK(logged(LOG_WARNING, LINK ": PGK 2: ptk-limit lowered from 500 to 37, the watermark on disk"),
	      "lowered logged: %s", logbuf);

	/* removed meanwhile: KEY_SET's ENOENT is not an error */
	log_clear();
	key->ptk_limit = 20;
	k.set_err = -ENOENT;
	watermark();
	CHECK(!logbuf[0], "ENOENT logged: %s", logbuf);

	/* KEY_SET fails on a key without limit */
	log_clear();
	key->ptk_limit = 0;
	k.set_err = -EINVAL;
	watermark();
	CHECK(strstr(logbuf, "<3>" LINK ": PGK 2: cannot set ptk-limit 37: ") &&
	      strstr(logbuf, "; the kernel has none for it\n"), "logged: %s", logbuf);
}

static void test_all_reserved(char *dir)
{
	struct errmsg why = { "" };
	uint32_t ifindex = 0;
	struct pc5nl_key *key;

	/* a PGK reserved up to 0xfff0 is installed with limit 0x10000 */
	setup(dir);
	rm_watermarks(dir);
	wm_set(&wm, 3, 0xfff0);
	add_pgk(3);
	CHECK(kern_apply(NULL, &c, &g, &pg, &wm, &ifindex, &retry_at, &why) == 1,
	      "kern_apply: %s", why.msg);
	key = fake_key(3);
	CHECK(key && key->tx_ptk_id == 0xfff0 && key->ptk_limit == 0x10000,
	      "ptk-start 0xfff0 ptk-limit 0x10000");
	CHECK(on_disk(3) == 0x10000, "on disk %u", on_disk(3));
	CHECK(strstr(logbuf, "ptk-start 65520, watermark 65536, ptk-limit 65536\n"),
	      "logged: %s", logbuf);
	key->tx_ptk_id = 0xfffc;
	watermark();
	CHECK(k.sets == 0 && key->ptk_limit == 0x10000, "nothing more to raise");

	/* every PTK Identity used: not installed, no KEY_ADD */
	setup(dir);
	wm_set(&wm, 4, 0x10000);
	add_pgk(4);
	CHECK(kern_apply(NULL, &c, &g, &pg, &wm, &ifindex, &retry_at, &why) == -EIO &&
	      k.adds == 0, "exhausted PGK installed");

	/* the watermark cannot be written: not installed, table unchanged */
	setup(dir);
	snprintf(c.state_dir, sizeof(c.state_dir), "%s/missing", dir);
	add_pgk(5);
	CHECK(kern_apply(NULL, &c, &g, &pg, &wm, &ifindex, &retry_at, &why) == -EIO &&
	      k.adds == 0, "installed without its watermark on disk");
	CHECK(wm.n == 0, "table not back to the disk: %zu entries", wm.n);
	CHECK(strstr(logbuf, "<3>" LINK ": PGK 5 not installed: watermark: "),
	      "logged: %s", logbuf);
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[600];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	CHECK(f && fputs(text, f) >= 0 && fclose(f) == 0, "write %s", path);
}

static void rm_file(const char *dir, const char *name)
{
	char path[600];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
}

/* A configuration for @dir: group 0x42, and @more after it */
static void write_conf(const char *dir, const char *more)
{
	char text[1024];

	snprintf(text, sizeof(text),
		 "pkmf-url = https://pkmf.invalid/pc3\nca-file = /dev/null\n"
		 "cert-file = /dev/null\nkey-file = /dev/null\nue-id = ue-a\n"
		 "state-dir = %s\n%s[group 0x42]\nlink = " LINK "\nlower = lo\n",
		 dir, more);
	write_file(dir, "pc5keyd.conf", text);
}

/* Each group of @s points into @s's own configuration. */
static bool whole(const struct keyd_state *s)
{
	for (size_t i = 0; i < s->ngroups; i++)
		if (s->groups[i].cfg != &s->conf.groups[i])
			return false;
	return s->ngroups == s->conf.ngroups;
}

/*
 * A SIGHUP reload builds the new state whole and only then swaps it in:
 * whatever fails, the old state stays in force as it was, and the
 * failure is logged with its reason.
 */
static void test_reload(char *dir)
{
	struct errmsg why = { "" };
	struct keyd_state *s = NULL, *old, copy;
	char path[600], line[900];
	int err;

	setup(dir);
	rm_watermarks(dir);
	snprintf(path, sizeof(path), "%s/pc5keyd.conf", dir);
	write_conf(dir, "renew-lead = 60\n");
	err = keyd_state_load(path, &s, &why);
	CHECK(err == 0 && s && s->ngroups == 1 && whole(s) &&
	      s->conf.renew_lead == 60, "first state: %d %s", err, why.msg);
	if (err)
		return;
	/* what the daemon learnt while running */
	wm_set(&s->groups[0].wm, 1, 64);
	s->groups[0].ifindex = IFINDEX;
	s->groups[0].known = true;
	old = s;
	copy = *s;

	/* a broken configuration */
	log_clear();
	write_conf(dir, "renew-lead = 120\nfoo = 1\n");
	CHECK(keyd_reload(&s, path) == -EINVAL, "broken configuration accepted");
	CHECK(s == old && !memcmp(s, &copy, sizeof(copy)) && whole(s),
	      "broken configuration: old state changed");
	snprintf(line, sizeof(line),
		 "%s: line 8: unknown setting 'foo'; keeping the old configuration",
		 path);
	CHECK(logged(LOG_ERR, line), "logged: %s", logbuf);

	/* a good configuration, but the second group cannot be set up */
	log_clear();
	write_file(dir, "watermark-000043", "pgk-id 1 reserved\n");
	write_conf(dir, "renew-lead = 120\n[group 0x43]\nlink = pc5kt-b\nlower = lo\n");
	CHECK(keyd_reload(&s, path) == -EINVAL, "corrupt watermark accepted");
	CHECK(s == old && !memcmp(s, &copy, sizeof(copy)) && whole(s),
	      "group set-up failed: old state changed");
	snprintf(line, sizeof(line),
		 "group 0x000043: %.256s/watermark-000043: line 1: corrupt: "
		 "refusing to install keys; keeping the old configuration", dir);
	CHECK(logged(LOG_ERR, line), "logged: %s", logbuf);
	{
		/* the bad file is left for a person to look at, not overwritten */
		char got[64];
		size_t len = sizeof(got);

		CHECK(state_read_file(dir, "watermark-000043", got, &len, &why) == 0 &&
		      len == strlen("pgk-id 1 reserved\n") &&
		      !memcmp(got, "pgk-id 1 reserved\n", len), "corrupt file rewritten");
	}

	/* the state directory cannot be made */
	log_clear();
	write_file(dir, "file", "");
	snprintf(line, sizeof(line), "state-dir = %s/file/sub\n", dir);
	write_conf(dir, line);
	CHECK(keyd_reload(&s, path) == -ENOTDIR && s == old &&
	      !memcmp(s, &copy, sizeof(copy)), "state-dir failure: old state changed");
	CHECK(strstr(logbuf, "/file/sub: ") &&
	      strstr(logbuf, "; keeping the old configuration\n"), "logged: %s", logbuf);
	rm_file(dir, "file");

	/* then a good one: all new, the watermarks read from disk */
	log_clear();
	write_file(dir, "watermark-000043", "pgk-id 2 reserved 96\n");
	write_conf(dir, "renew-lead = 120\n[group 0x43]\nlink = pc5kt-b\nlower = lo\n");
	CHECK(keyd_reload(&s, path) == 0, "reload: %s", logbuf);
	CHECK(s != old && whole(s) && s->ngroups == 2 && s->conf.renew_lead == 120 &&
	      s->groups[0].cfg->group_id == 0x43 && wm_get(&s->groups[0].wm, 2) == 96 &&
	      s->groups[1].cfg->group_id == 0x42 && !s->groups[1].known &&
	      !s->groups[1].ifindex,
	      "reloaded state: %zu groups", s->ngroups);
	/* watermarks of a pc5keyd from before the marker: marked, once */
	snprintf(line, sizeof(line), "%s: watermarks of an earlier pc5keyd, no marker: marked",
		 dir);
	CHECK(logged(LOG_NOTICE, line) && state_has_marker(dir) &&
	      s->groups[0].wm.fresh_ok && s->groups[1].wm.fresh_ok,
	      "a good reload logged: %s", logbuf);
	log_clear();
	CHECK(keyd_reload(&s, path) == 0 && !logbuf[0], "marked: a reload logs nothing: %s",
	      logbuf);
	keyd_state_free(s);
	rm_file(dir, "watermark-000043");
	rm_file(dir, "pc5keyd.conf");
}

/*
 * Issue 12, path 1: a PKMF that leaves out a PGK the UE holds must not
 * make pc5keyd forget its watermark. PGK 1 is used up to PTK Identity 20
 * (watermark 52), the next response lists PGK 2 only, PGK 1 leaves the
 * kernel (a key flush, a reboot) and a later response brings it back:
 * it must start at 52, not at 0.
 */
static void test_omitted_pgk(char *dir)
{
	struct errmsg why = { "" };
	uint32_t ifindex = 0;
	struct pc5nl_key *key;

	setup(dir);
	rm_watermarks(dir);
	add_pgk(1);
	CHECK(kern_apply(NULL, &c, &g, &pg, &wm, &ifindex, &retry_at, &why) == 1,
	      "kern_apply: %s", why.msg);
	key = fake_key(1);
	key->tx_ptk_id = 20;
	watermark();
	CHECK(on_disk(1) == 52, "PGK 1 used up to 20: watermark %u", on_disk(1));

	/* the next response leaves PGK 1 out; then the kernel loses it */
	pg.npgks = 0;
	add_pgk(2);
	CHECK(kern_apply(NULL, &c, &g, &pg, &wm, &ifindex, &retry_at, &why) == 1,
	      "kern_apply PGK 2: %s", why.msg);
	watermark();
	k.n = 0;
	watermark();
	CHECK(on_disk(1) == 52, "PGK 1 omitted and flushed: watermark %u on disk, want 52",
	      on_disk(1));

	/* a later response has PGK 1 again: past every COUNT used */
	pg.npgks = 0;
	add_pgk(1);
	kern_apply(NULL, &c, &g, &pg, &wm, &ifindex, &retry_at, &why);
	key = fake_key(1);
	CHECK(key && key->tx_ptk_id >= 52,
	      "PGK 1 reinstalled from PTK Identity %u after 0..19 were used: COUNT reuse",
	      key ? key->tx_ptk_id : 0);

	/* a different key under the reused ID 1 starts afresh */
	k.n = 0;
	pg.npgks = 0;
	add_pgk(1);
	pg.pgks[0].key[0] = 0x5a;
	CHECK(kern_apply(NULL, &c, &g, &pg, &wm, &ifindex, &retry_at, &why) == 1,
	      "kern_apply: %s", why.msg);
	key = fake_key(1);
	CHECK(key && key->tx_ptk_id == 0 && key->ptk_limit == 32,
	      "another key under ID 1: ptk-start %u", key ? key->tx_ptk_id : 0);

	/* keyring mode's stored metadata (no key bytes): the highest of the ID */
	k.n = 0;
	memset(pg.pgks[0].key, 0, sizeof(pg.pgks[0].key));
	CHECK(kern_apply(NULL, &c, &g, &pg, &wm, &ifindex, &retry_at, &why) == 1,
	      "kern_apply: %s", why.msg);
	key = fake_key(1);
	CHECK(key && key->tx_ptk_id == 84, "no fingerprint: ptk-start %u, want 84",
	      key ? key->tx_ptk_id : 0);
}

/*
 * Issue 16: a revoked PGK leaves the kernel with reason revoked; its
 * watermark stays, so that the same PGK given again (a PKMF's mistake)
 * would still start past every COUNT it used.
 */
static void test_revoke(char *dir)
{
	struct errmsg why = { "" };
	uint32_t ifindex = 0;
	struct pc5nl_key *key;

	setup(dir);
	rm_watermarks(dir);
	add_pgk(1);
	add_pgk(2);
	CHECK(kern_apply(NULL, &c, &g, &pg, &wm, &ifindex, &retry_at, &why) == 2,
	      "kern_apply: %s", why.msg);
	fake_key(1)->tx_ptk_id = 20;
	watermark();
	CHECK(on_disk(1) == 52, "PGK 1 used up to 20: watermark %u", on_disk(1));
	k.del_reason = 0;
	CHECK(kern_revoke(NULL, &c, &g, 1, &why) == 1 && !fake_key(1) && fake_key(2) &&
	      k.del_reason == PC5SEC_REMOVED_REVOKED, "PGK 1 revoked: %s", why.msg);
	CHECK(kern_revoke(NULL, &c, &g, 1, &why) == 0, "revoked again: not held");
	CHECK(kern_revoke(NULL, &c, &g, 9, &why) == 0, "a PGK never held");
	watermark();
	CHECK(on_disk(1) == 52, "PGK 1's watermark kept: %u", on_disk(1));
	/* given again all the same: from its watermark, not 0 */
	pg.npgks = 0;
	add_pgk(1);
	kern_apply(NULL, &c, &g, &pg, &wm, &ifindex, &retry_at, &why);
	key = fake_key(1);
	CHECK(key && key->tx_ptk_id >= 52, "PGK 1 back from %u", key ? key->tx_ptk_id : 0);
}

/* The PKMF's push datagram (push.c) */
static void test_push(void)
{
	static const uint8_t key1[PC3_PUSH_KEY_LEN] = { 1, 2, 3 }, key2[PC3_PUSH_KEY_LEN] = { 9 };
	struct push_key pk = { 0 };
	struct errmsg why = { "" };
	uint8_t p[PUSH_LEN], q[PUSH_LEN];

	CHECK(push_make(key1, 1000, p) == 0 && !memcmp(p, "PC5P\1\0\0\0", 8) &&
	      p[14] == 0x03 && p[15] == 0xe8, "push layout");
	CHECK(push_accept(&pk, p, sizeof(p), &why) == -ENOKEY && strstr(why.msg, "no push key"),
	      "no key yet: %s", why.msg);
	push_key_set(&pk, key1);
	CHECK(push_accept(&pk, p, sizeof(p), &why) == 0 && pk.last_seq == 1000, "accepted: %s",
	      why.msg);
	CHECK(push_accept(&pk, p, sizeof(p), &why) == -EALREADY && strstr(why.msg, "replayed"),
	      "the same again: %s", why.msg);
	push_make(key1, 999, q);
	CHECK(push_accept(&pk, q, sizeof(q), &why) == -EALREADY, "an older one: %s", why.msg);
	push_make(key1, 1001, q);
	CHECK(push_accept(&pk, q, sizeof(q) - 1, &why) == -EINVAL && strstr(why.msg, "47 octets"),
	      "short: %s", why.msg);
	for (size_t i = 0; i < PUSH_LEN; i++) {
		uint8_t r[PUSH_LEN];
		int err;

		memcpy(r, q, sizeof(r));
		r[i] ^= 0x01;
		err = push_accept(&pk, r, sizeof(r), &why);
		CHECK(err == (i < 8 ? -EINVAL : -EBADMSG), "octet %zu flipped: %d %s", i, err,
		      why.msg);
	}
	CHECK(pk.last_seq == 1000, "nothing refused moved the sequence");
	/* a new key (the next KEY_RESPONSE): the old key's pushes are refused */
	push_key_set(&pk, key2);
	CHECK(push_accept(&pk, q, sizeof(q), &why) == -EBADMSG, "old key: %s", why.msg);
	push_make(key2, 5, q);
	CHECK(push_accept(&pk, q, sizeof(q), &why) == 0, "new key, sequence from 0: %s", why.msg);
	push_key_wipe(&pk);
	CHECK(!pk.set && !pk.key[0], "wiped");

	/* the socket: IPv4 reaches it, a forgery is refused and logged once */
	{
		struct sockaddr_in6 a;
		struct sockaddr_in to = { .sin_family = AF_INET,
					  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
		socklen_t alen = sizeof(a);
		int fd = push_listen(0, &why), s = socket(AF_INET, SOCK_DGRAM, 0);

		CHECK(fd >= 0 && !getsockname(fd, (struct sockaddr *)&a, &alen), "listen: %s",
		      why.msg);
		to.sin_port = a.sin6_port;
		push_key_set(&pk, key1);
		push_make(key1, 77, p);
		memcpy(q, p, sizeof(q));
		q[40] ^= 1;
		log_clear();
		sendto(s, q, sizeof(q), 0, (struct sockaddr *)&to, sizeof(to));
		sendto(s, q, sizeof(q), 0, (struct sockaddr *)&to, sizeof(to));
		usleep(100000);
		CHECK(!push_read(fd, &pk), "forgeries: no fetch");
		CHECK(logged(LOG_WARNING, "push from ::ffff:127.0.0.1 refused: bad MAC (not from "
			     "the PKMF, or an older key)") &&
		      !strstr(strstr(logbuf, "refused") + 1, "refused"),
		      "one line for two forgeries:\n%s", logbuf);
		sendto(s, p, sizeof(p), 0, (struct sockaddr *)&to, sizeof(to));
		usleep(100000);
		CHECK(push_read(fd, &pk) &&
		      logged(LOG_NOTICE, "push from ::ffff:127.0.0.1: fetching keys now"),
		      "a push: fetch\n%s", logbuf);
		close(s);
		close(fd);
		push_key_wipe(&pk);
	}
}

/*
 * Watermarks go WM_GRACE after their PGK's not-after, once the kernel has
 * let go of it; never before.
 */
static void test_wm_expiry(char *dir)
{
	struct errmsg why = { "" };
	uint32_t ifindex = 0;
	uint64_t now = (uint64_t)time(NULL);
	struct pc5nl_key *key;

	setup(dir);
	rm_watermarks(dir);
	add_pgk(1);
	pg.pgks[0].not_after = now + 60;
	CHECK(kern_apply(NULL, &c, &g, &pg, &wm, &ifindex, &retry_at, &why) == 1,
	      "kern_apply: %s", why.msg);
	key = fake_key(1);
	/* the entry's not-after as if it were long past: the kernel still holds it */
	wm.e[0].not_after = now - WM_GRACE - 10;
	key->not_after = wm.e[0].not_after;
	watermark();
	CHECK(wm.n == 1 && on_disk(1) == 32, "held by the kernel: dropped");
	/* within the grace, not held: kept */
	k.n = 0;
	wm.e[0].not_after = now - 10;
	watermark();
	CHECK(wm.n == 1 && on_disk(1) == 32, "within the grace: dropped");
	/* past it: gone from memory and disk */
	wm.e[0].not_after = now - WM_GRACE - 10;
	watermark();
	CHECK(wm.n == 0 && on_disk(1) == 0, "expired: kept (%zu)", wm.n);

	/* a key installed by hand, no entry tracks it: it gets one */
	key = fake_add(7, 100, 0);
	key->mask = PC5NL_KEY_NOT_AFTER;
	key->not_after = now + 60;
	watermark();
	CHECK(on_disk(7) == 132 && key->ptk_limit == 132 && wm.n == 1 && !wm.e[0].has_fp &&
	      wm.e[0].not_after == now + 60, "by hand: disk %u limit %u", on_disk(7),
	      key->ptk_limit);
}

/*
 * Issue 12, path 5: the kernel answers -EEXIST both for a PGK ID already
 * installed and for a PGK Index (low 5 bits) taken by another PGK. A
 * collision must be told apart and logged, burn no watermark block per
 * attempt, and be tried again when the old key expires.
 */
static void test_index_collision(char *dir)
{
	struct errmsg why = { "" };
	uint32_t ifindex = 0;
	uint64_t now = (uint64_t)time(NULL);
	struct pc5nl_key *old;
	char line[256];
	int n;

	setup(dir);
	rm_watermarks(dir);
	old = fake_add(33, 0, 0);	/* PGK Index 1 */
	old->mask = PC5NL_KEY_NOT_AFTER;
	old->not_after = now + 100;
	add_pgk(1);			/* PGK Index 1 too */
	for (int i = 0; i < 3; i++) {
		n = kern_apply(NULL, &c, &g, &pg, &wm, &ifindex, &retry_at, &why);
		CHECK(n == 0, "collision: kern_apply %d %s", n, why.msg);
	}
	CHECK(on_disk(1) == 0 && wm_get(&wm, 1) == 0,
	      "collision: watermark blocks burnt: %u on disk", on_disk(1));
	CHECK(k.adds == 0 && !fake_key(1), "collision: installed");
	CHECK(strstr(logbuf, "<4>" LINK ": PGK 1 not installed yet: its PGK Index 1 is "
		     "taken by installed PGK 33 until "),
	      "collision logged: %s", logbuf);
	CHECK(retry_at == now + 101, "retry at %llu, want %llu",
	      (unsigned long long)retry_at, (unsigned long long)now + 101);

	/* PGK 1 itself installed meanwhile: no collision, nothing to do */
	log_clear();
	k.n = 0;
	fake_add(1, 0, 0);
	n = kern_apply(NULL, &c, &g, &pg, &wm, &ifindex, &retry_at, &why);
	CHECK(n == 0 && !strstr(logbuf, "collid") && !strstr(logbuf, "taken"),
	      "installed: %d %s", n, logbuf);

	/* the old key expired: PGK 1 goes in, from 0 */
	log_clear();
	k.n = 0;
	n = kern_apply(NULL, &c, &g, &pg, &wm, &ifindex, &retry_at, &why);
	CHECK(n == 1 && fake_key(1) && fake_key(1)->tx_ptk_id == 0 && on_disk(1) == 32 &&
	      retry_at == 0, "after expiry: %d %s", n, why.msg);

	/* the race: the old key came after the key list; the kernel says so */
	setup(dir);
	rm_watermarks(dir);
	old = fake_add(33, 0, 0);
	old->mask = PC5NL_KEY_NOT_AFTER;
	old->not_after = now + 100;
	add_pgk(1);
	k.hide_once = 33;
	n = kern_apply(NULL, &c, &g, &pg, &wm, &ifindex, &retry_at, &why);
	CHECK(n == 0 && !fake_key(1), "race: %d %s", n, why.msg);
	snprintf(line, sizeof(line), LINK ": PGK 1 not installed yet: its PGK Index 1 is "
		 "taken by installed PGK 33 until ");
	CHECK(strstr(logbuf, "PGK Index (the low 5 bits of the PGK ID) collides with an "
		     "installed PGK") && strstr(logbuf, line),
	      "race logged: %s", logbuf);
	CHECK(on_disk(1) == 32 && retry_at == now + 101, "race: disk %u", on_disk(1));
	n = kern_apply(NULL, &c, &g, &pg, &wm, &ifindex, &retry_at, &why);
	CHECK(n == 0 && on_disk(1) == 32, "race, again: block burnt: %u", on_disk(1));

	/* a colliding key without expiry: no retry to schedule, an error */
	setup(dir);
	rm_watermarks(dir);
	fake_add(33, 0, 0);
	add_pgk(1);
	log_clear();
	n = kern_apply(NULL, &c, &g, &pg, &wm, &ifindex, &retry_at, &why);
	CHECK(n == -EIO && retry_at == 0 && on_disk(1) == 0 &&
	      strstr(logbuf, "<3>" LINK ": PGK 1 not installed: its PGK Index 1 is taken by "
		     "installed PGK 33, which has no expiry: remove one of them"),
	      "no expiry: %d %s", n, logbuf);
}

/* The link's address and IFF_UP go through rtnetlink, address first. */
static void test_address(char *dir)
{
	struct errmsg why = { "" };
	uint32_t ifindex = 0;

	setup(dir);
	rm_watermarks(dir);
	snprintf(g.address, sizeof(g.address), "10.5.0.1/24");
	add_pgk(1);
	CHECK(kern_apply(NULL, &c, &g, &pg, &wm, &ifindex, &retry_at, &why) == 1,
	      "kern_apply: %s", why.msg);
	CHECK(k.addr == htonl(0x0a050001) && k.prefixlen == 24 && k.ups == 1,
	      "address %08x/%u, %u up", ntohl(k.addr), k.prefixlen, k.ups);
}

/*
 * Reuse path 3: the state directory lost (wiped, re-imaged). Before the
 * marker, an empty directory installed a PGK valid for an hour already at
 * PTK Identity 0, every COUNT it had sent again.
 */
static void test_lost_state(char *dir)
{
	struct errmsg why = { "" };
	uint32_t ifindex = 0;
	struct pc5nl_key *key;
	bool made;
	char sub[600];
	int n;

	rm_watermarks(dir);
	setup(dir);
	CHECK(wm_load(dir, GROUP, &wm, &why) == 0 && !wm.fresh_ok && wm.n == 0,
	      "a lost directory: no marker, no watermark");
	add_pgk(1);
	pg.pgks[0].not_before = (uint64_t)time(NULL) - 3600;
	add_pgk(2);
	pg.pgks[1].not_before = (uint64_t)time(NULL) + 600;
	n = kern_apply(NULL, &c, &g, &pg, &wm, &ifindex, &retry_at, &why);
	CHECK(n == -EIO, "one PGK not installed: %d %s", n, why.msg);
	CHECK(!fake_key(1), "PGK 1, valid for an hour, not installed at 0");
	snprintf(sub, sizeof(sub), "<%d>" LINK ": PGK 1 (valid since ", LOG_CRIT);
	CHECK(strstr(logbuf, sub) &&
	      strstr(logbuf, "has no watermark for it and no marker"),
	      "said, critical: %s", logbuf);
	key = fake_key(2);
	CHECK(key && key->tx_ptk_id == 0 && on_disk(2) == 32,
	      "PGK 2, not valid yet, installed from 0 (watermark %u)", on_disk(2));
	CHECK(on_disk(1) == 0, "nothing reserved for PGK 1");

	/* a watermark on record: that PGK goes on from it, marker or not */
	setup(dir);
	wm.fresh_ok = false;
	add_pgk(1);
	pg.pgks[0].not_before = (uint64_t)time(NULL) - 3600;
	CHECK(wm_load(dir, GROUP, &wm, &why) == 0, "load: %s", why.msg);
	{
		struct wm_key wk = { .pgk_id = 1 };

		CHECK(wm_reserve(&wm, &wk, 52) == 0, "a watermark of 52 for PGK 1");
	}
	n = kern_apply(NULL, &c, &g, &pg, &wm, &ifindex, &retry_at, &why);
	key = fake_key(1);
	CHECK(n == 1 && key && key->tx_ptk_id == 52,
	      "PGK 1 on record: from 52 (%d, %s)", n, why.msg);

	/* pc5keyd --init on a UE that never sent: then PGK 1 starts at 0 */
	rm_watermarks(dir);
	setup(dir);
	CHECK(state_init(dir, &made, &why) == 0 && made, "init: %s", why.msg);
	CHECK(state_init(dir, &made, &why) == 0 && !made, "init again: unchanged");
	CHECK(wm_load(dir, GROUP, &wm, &why) == 0 && wm.fresh_ok,
	      "initialised: untracked PGKs may start at 0");
	add_pgk(1);
	pg.pgks[0].not_before = (uint64_t)time(NULL) - 3600;
	n = kern_apply(NULL, &c, &g, &pg, &wm, &ifindex, &retry_at, &why);
	key = fake_key(1);
	CHECK(n == 1 && key && key->tx_ptk_id == 0, "installed from 0: %s", why.msg);

	/* --init makes a missing directory, and refuses a path it cannot */
	snprintf(sub, sizeof(sub), "%s/new", dir);
	CHECK(state_init(sub, &made, &why) == 0 && made && state_has_marker(sub),
	      "a new directory initialised: %s", why.msg);
	snprintf(sub, sizeof(sub), "%s/new/" STATE_MARKER, dir);
	unlink(sub);
	snprintf(sub, sizeof(sub), "%s/new", dir);
	rmdir(sub);
	snprintf(sub, sizeof(sub), "%s/no/such/parent", dir);
	CHECK(state_init(sub, &made, &why) == -ENOENT && strstr(why.msg, sub),
	      "a path without parent refused: %s", why.msg);
	rm_watermarks(dir);
}

/*
 * EVT_UNKNOWN_PGK comes from any radio in range: before, each one asked
 * for a fetch (at most once a second). Now an index of a known PGK asks
 * for none, and the others at most once per wait, doubling 30 s .. 600 s.
 */
static void test_unknown_pgk(void)
{
	struct group gr;
	double t = 1000.0;
	int fetches = 0;

	memset(&gr, 0, sizeof(gr));
	gr.known = true;
	gr.meta.npgks = 1;
	gr.meta.pgks[0].id = 0x21;	/* PGK Index 1 */
	CHECK(!keyd_unknown_pgk(&gr, 1, t), "a known PGK's index: no fetch");
	CHECK(keyd_unknown_pgk(&gr, 2, t), "an unknown index: a fetch");
	/* a frame a second for an hour: one fetch per wait */
	for (int i = 1; i <= 3600; i++)
		fetches += keyd_unknown_pgk(&gr, (uint8_t)(2 + i % 30), t + i);
	/* at 30, 90, 210, 450, 930 (+600 each) 1530, 2130, 2730, 3330 */
	CHECK(fetches == 9, "an hour of forged indexes: %d fetches, want 9", fetches);
	CHECK(gr.unknown_wait == KEYD_UNKNOWN_MAX, "the wait tops out: %u",
	      gr.unknown_wait);
	CHECK(!keyd_unknown_pgk(&gr, 1, t + 99999), "a known PGK's index, later: no fetch");
}

/* A TLS key or pre-provisioned PGKs that other users may read: refused. */
static void test_secret_modes(char *dir)
{
	struct errmsg why = { "" };
	struct keyd_state *s = NULL;
	char text[2048], path[600], key[600];
	int err;

	snprintf(key, sizeof(key), "%s/ue.key", dir);
	write_file(dir, "ue.key", "not a key, but a regular file\n");
	snprintf(text, sizeof(text),
		 "pkmf-url = https://pkmf.invalid/pc3\nca-file = /dev/null\n"
		 "cert-file = /dev/null\nkey-file = %s\nue-id = ue-a\n"
		 "state-dir = %s\n[group 0x42]\nlink = " LINK "\nlower = lo\n"
		 "preprovisioned = %s\n", key, dir, key);
	write_file(dir, "pc5keyd.conf", text);
	snprintf(path, sizeof(path), "%s/pc5keyd.conf", dir);
	chmod(key, 0600);
	err = keyd_state_load(path, &s, &why);
	CHECK(!err && s, "mode 0600: loaded (%s)", why.msg);
	keyd_state_free(s);
	s = NULL;
	chmod(key, 0644);
	err = keyd_state_load(path, &s, &why);
	CHECK(err == -EACCES && !s && strstr(why.msg, "key-file ") &&
	      strstr(why.msg, "mode 0644 lets other users read"),
	      "mode 0644 refused: %d %s", err, why.msg);
	keyd_state_free(s);	/* only if it was wrongly loaded */
	s = NULL;
	chmod(key, 0620);
	err = keyd_state_load(path, &s, &why);
	CHECK(err == -EACCES && !s, "group-writable refused: %s", why.msg);
	keyd_state_free(s);
	s = NULL;
	chmod(key, 0640);
	err = keyd_state_load(path, &s, &why);
	CHECK(!err && s, "group-readable (a service group) loaded: %s", why.msg);
	keyd_state_free(s);
	rm_file(dir, "ue.key");
	rm_file(dir, "pc5keyd.conf");

	/* a token's PIN file, as pc5keyd --init checks it too */
	{
		static struct conf pc;

		memset(&pc, 0, sizeof(pc));
		pc.key_store = STORE_PKCS11;
		snprintf(pc.p11_pin_file, sizeof(pc.p11_pin_file), "%s/token.pin", dir);
		write_file(dir, "token.pin", "123456\n");
		chmod(pc.p11_pin_file, 0644);
		err = keyd_check_secrets(&pc, &why);
		CHECK(err == -EACCES && strstr(why.msg, "pkcs11-pin-file ") &&
		      strstr(why.msg, "mode 0644"), "PIN file 0644: %d %s", err, why.msg);
		chmod(pc.p11_pin_file, 0600);
		CHECK(!keyd_check_secrets(&pc, &why), "PIN file 0600: %s", why.msg);
		rm_file(dir, "token.pin");
	}
}

int main(void)
{
	char dir[] = "/tmp/test-kern.XXXXXX";

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	test_wm_extend();
	test_install(dir);
	test_other_keys(dir);
	test_all_reserved(dir);
	test_address(dir);
	test_omitted_pgk(dir);
	test_revoke(dir);
	test_push();
	test_wm_expiry(dir);
	test_index_collision(dir);
	test_reload(dir);
	test_lost_state(dir);
	test_unknown_pgk();
	test_secret_modes(dir);
	rm_watermarks(dir);
	rmdir(dir);
	return check_summary();
}
