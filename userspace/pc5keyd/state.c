// SPDX-License-Identifier: GPL-2.0
/* pc5keyd state files (see state.h) */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "state.h"

/* @e may be the record of @k: the same ID, and no fingerprint says otherwise */
static bool wm_may_be(const struct wm_entry *e, const struct wm_key *k)
{
	if (e->pgk_id != k->pgk_id)
		return false;
	return !e->has_fp || !k->has_fp || !memcmp(e->fp, k->fp, WM_FP_LEN);
}

/* @e is the record of @k: where a reservation for @k goes */
static bool wm_is(const struct wm_entry *e, const struct wm_key *k)
{
	if (e->pgk_id != k->pgk_id || e->has_fp != k->has_fp)
		return false;
	if (k->has_fp)
		return !memcmp(e->fp, k->fp, WM_FP_LEN);
	return e->not_after == k->not_after;
}

uint32_t wm_start(const struct wm_table *t, const struct wm_key *k)
{
	uint32_t r = 0;

	for (size_t i = 0; i < t->n; i++)
		if (wm_may_be(&t->e[i], k) && t->e[i].reserved > r)
			r = t->e[i].reserved;
	return r;
}

bool wm_known(const struct wm_table *t, const struct wm_key *k)
{
	for (size_t i = 0; i < t->n; i++)
		if (wm_may_be(&t->e[i], k))
			return true;
	return false;
}

int wm_reserve(struct wm_table *t, const struct wm_key *k, uint32_t reserved)
{
	struct wm_entry *e = NULL;

	for (size_t i = 0; i < t->n && !e; i++)
		if (wm_is(&t->e[i], k))
			e = &t->e[i];
	if (!e) {
		if (t->n == WM_MAX)
			return -ENOSPC;
		e = &t->e[t->n++];
		memset(e, 0, sizeof(*e));
		e->pgk_id = k->pgk_id;
		e->has_fp = k->has_fp;
		memcpy(e->fp, k->fp, WM_FP_LEN);
		e->not_after = k->not_after;
	}
	if (reserved > e->reserved)
		e->reserved = reserved;
	/* the later not-after of the two: the entry lives as long as the PGK */
	if (e->not_after && (!k->not_after || k->not_after > e->not_after))
		e->not_after = k->not_after;
	return 0;
}

bool wm_note(struct wm_table *t, const struct wm_key *k)
{
	bool changed = false;

	for (size_t i = 0; k->has_fp && i < t->n; i++) {
		struct wm_entry *e = &t->e[i];

		if (!wm_is(e, k) || !e->not_after ||
		    (k->not_after && k->not_after <= e->not_after))
			continue;
		e->not_after = k->not_after;
		changed = true;
	}
	return changed;
}

size_t wm_expire(struct wm_table *t, uint64_t now,
		 bool (*keep)(const struct wm_entry *e, void *arg), void *arg)
{
	size_t dropped = 0;

	for (size_t i = 0; i < t->n;) {
		struct wm_entry e = t->e[i];

		if (!e.not_after || now < e.not_after || now - e.not_after <= WM_GRACE ||
		    (keep && keep(&e, arg))) {
			i++;
			continue;
		}
		/* it may have been any key of its ID: they all keep its watermark */
		for (size_t j = 0; !e.has_fp && j < t->n; j++)
			if (t->e[j].pgk_id == e.pgk_id && t->e[j].reserved < e.reserved)
				t->e[j].reserved = e.reserved;
		t->e[i] = t->e[--t->n];
		dropped++;
	}
	return dropped;
}

uint32_t wm_get(const struct wm_table *t, uint8_t pgk_id)
{
	struct wm_key k = { .pgk_id = pgk_id };

	return wm_start(t, &k);
}

int wm_set(struct wm_table *t, uint8_t pgk_id, uint32_t reserved)
{
	struct wm_key k = { .pgk_id = pgk_id };

	for (size_t i = 0; i < t->n; i++) {
		if (wm_is(&t->e[i], &k)) {
			t->e[i].reserved = reserved;
			return 0;
		}
	}
	return wm_reserve(t, &k, reserved);
}

uint32_t wm_extend(uint32_t reserved, uint32_t tx, uint32_t block)
{
	if (reserved >= WM_ALL || (uint64_t)tx + block / 2 < reserved)
		return reserved;
	return (uint64_t)tx + block > WM_ALL ? WM_ALL : tx + block;
}

/* fsync of directory @dir, so that the entries in it are durable */
static int sync_dir(const char *dir, struct errmsg *why)
{
	int fd, err = 0;

	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fsync(fd))
		err = fail(why, -errno, "%s: fsync: %s", dir, strerror(errno));
	if (fd >= 0)
		close(fd);
	return err;
}

int state_write_file(const char *dir, const char *name, const void *buf,
		     size_t len, struct errmsg *why)
{
	char tmp[512], dst[512];
	const char *p = buf;
	int fd, err = 0;

	if (snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dir, name) >= (int)sizeof(tmp) ||
	    snprintf(dst, sizeof(dst), "%s/%s", dir, name) >= (int)sizeof(dst)) {
		return fail(why, -ENAMETOOLONG, "%s/%s: path too long", dir, name);
	}
	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return fail(why, -errno, "%s: %s", tmp, strerror(errno));
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? -errno : -EIO;
			break;
		}
		p += n;
		len -= (size_t)n;
	}
	if (!err && fsync(fd))
		err = -errno;
	if (close(fd) && !err)
		err = -errno;
	if (!err && rename(tmp, dst))
		err = -errno;
	if (err) {
		unlink(tmp);
		return fail(why, err, "%s: %s", dst, strerror(-err));
	}
	return sync_dir(dir, why);
}

int state_read_file(const char *dir, const char *name, void *buf, size_t *len,
		    struct errmsg *why)
{
	char path[512];
	size_t got = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return fail(why, -errno, "%s: %s", path, strerror(errno));
	while ((n = read(fd, (char *)buf + got, *len - got)) > 0) {
		got += (size_t)n;
		if (got == *len)
			break;
	}
	if (n >= 0 && got == *len) {
		char c;

		if (read(fd, &c, 1) == 1) {
			close(fd);
			return fail(why, -EFBIG, "%s: larger than %zu bytes", path, *len);
		}
	}
	close(fd);
	if (n < 0)
		return fail(why, -EIO, "%s: read error", path);
	*len = got;
	return 0;
}

/* "0123456789abcdef" (WM_FP_LEN bytes) or "-" */
static int fp_parse(const char *s, struct wm_entry *e)
{
	if (!strcmp(s, "-")) {
		e->has_fp = false;
		return 0;
	}
	if (strlen(s) != 2 * WM_FP_LEN)
		return -EINVAL;
	for (size_t i = 0; i < WM_FP_LEN; i++) {
		unsigned v;

		if (!isxdigit((unsigned char)s[2 * i]) || !isxdigit((unsigned char)s[2 * i + 1]) ||
		    sscanf(s + 2 * i, "%2x", &v) != 1)
			return -EINVAL;
		e->fp[i] = (uint8_t)v;
	}
	e->has_fp = true;
	return 0;
}

/* The same entry twice: the same fingerprint, or neither has one and the same not-after */
static bool wm_same(const struct wm_entry *a, const struct wm_entry *b)
{
	if (a->pgk_id != b->pgk_id || a->has_fp != b->has_fp)
		return false;
	return a->has_fp ? !memcmp(a->fp, b->fp, WM_FP_LEN) : a->not_after == b->not_after;
}

/* Room for WM_MAX of the longest line */
#define WM_LINE_MAX	96
#define WM_FILE_MAX	(WM_MAX * WM_LINE_MAX)

int wm_load(const char *dir, uint32_t group, struct wm_table *t, struct errmsg *why)
{
	char name[64], *buf, *p, *nl;
	size_t len = WM_FILE_MAX;
	int err, line = 0;

	t->n = 0;
	t->fresh_ok = state_has_marker(dir);
	buf = malloc(WM_FILE_MAX + 1);
	if (!buf)
		return fail(why, -ENOMEM, "out of memory");
	snprintf(name, sizeof(name), "watermark-%06x", group);
	err = state_read_file(dir, name, buf, &len, why);
	if (err) {
		free(buf);
		return err == -ENOENT ? 0 : err;
	}
	buf[len] = '\0';
	for (p = buf; *p; p = nl + 1) {
		struct wm_entry e = { 0 };
		unsigned id, r;
		unsigned long long na;
		char fp[2 * WM_FP_LEN + 2], end;
		int n;

		line++;
		nl = strchr(p, '\n');
		if (!nl) {
			err = fail(why, -EINVAL, "%.256s/%s: line %d: no newline (torn write?)",
				   dir, name, line);
			break;
		}
		*nl = '\0';
		n = sscanf(p, "pgk-id %3u key %17s not-after %20llu reserved %6u%c",
			   &id, fp, &na, &r, &end);
		if (n == 4) {
			if (fp_parse(fp, &e))
				n = 0;
			e.not_after = na;
			/* a fingerprint comes with the PGK's not-after */
			if (e.has_fp && !na)
				n = 0;
		} else if (sscanf(p, "pgk-id %3u reserved %6u%c", &id, &r, &end) == 2) {
			n = 4;	/* an older pc5keyd's: no key, no not-after */
		}
		e.pgk_id = (uint8_t)id;
		e.reserved = r;
		if (n != 4 || id > 255 || r > WM_ALL || t->n == WM_MAX) {
			err = fail(why, -EINVAL, "%.256s/%s: line %d: corrupt", dir, name, line);
			break;
		}
		for (size_t i = 0; i < t->n && !err; i++)
			if (wm_same(&t->e[i], &e))
				err = fail(why, -EINVAL, "%.256s/%s: line %d: PGK %u twice",
					   dir, name, line, id);
		if (err)
			break;
		t->e[t->n++] = e;
	}
	free(buf);
	if (err)
		t->n = 0;
	return err;
}

int wm_save(const char *dir, uint32_t group, const struct wm_table *t, struct errmsg *why)
{
	char name[64], *buf;
	size_t len = 0;
	int err;

	buf = malloc(WM_FILE_MAX);
	if (!buf)
		return fail(why, -ENOMEM, "out of memory");
	snprintf(name, sizeof(name), "watermark-%06x", group);
	for (size_t i = 0; i < t->n; i++) {
		const struct wm_entry *e = &t->e[i];
		char fp[2 * WM_FP_LEN + 1] = "-";

		for (size_t j = 0; e->has_fp && j < WM_FP_LEN; j++)
			snprintf(fp + 2 * j, 3, "%02x", e->fp[j]);
		len += (size_t)snprintf(buf + len, WM_FILE_MAX - len,
					"pgk-id %u key %s not-after %llu reserved %u\n",
					e->pgk_id, fp, (unsigned long long)e->not_after,
					e->reserved);
	}
	err = state_write_file(dir, name, buf, len, why);
	free(buf);
	return err;
}

bool state_has_marker(const char *dir)
{
	char path[512];
	struct stat st;

	if (snprintf(path, sizeof(path), "%s/%s", dir, STATE_MARKER) >= (int)sizeof(path))
		return false;
	return !lstat(path, &st) && S_ISREG(st.st_mode);
}

/* fsync of @path's parent directory, so that @path's entry is durable */
static int sync_parent(const char *path, struct errmsg *why)
{
	char parent[512];
	char *slash;

	if (snprintf(parent, sizeof(parent), "%s", path) >= (int)sizeof(parent))
		return fail(why, -ENAMETOOLONG, "%s: path too long", path);
	slash = strrchr(parent, '/');
	if (!slash)
		strcpy(parent, ".");
	else if (slash == parent)
		parent[1] = '\0';
	else
		*slash = '\0';
	return sync_dir(parent, why);
}

int state_init(const char *dir, bool *made, struct errmsg *why)
{
	static const char text[] =
		"pc5keyd state directory: watermarks kept here since before this UE first sent\n";

	*made = false;
	if (mkdir(dir, 0700)) {
		if (errno != EEXIST)
			return fail(why, -errno, "%s: %s", dir, strerror(errno));
	} else {
		int err = sync_parent(dir, why);

		if (err)
			return err;
	}
	if (state_has_marker(dir))
		return 0;
	*made = true;
	return state_write_file(dir, STATE_MARKER, text, sizeof(text) - 1, why);
}
