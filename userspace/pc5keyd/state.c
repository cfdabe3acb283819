// SPDX-License-Identifier: GPL-2.0
/* pc5keyd state files (see state.h) */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "state.h"

uint32_t wm_get(const struct wm_table *t, uint8_t pgk_id)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->e[i].pgk_id == pgk_id)
			return t->e[i].reserved;
	return 0;
}

void wm_set(struct wm_table *t, uint8_t pgk_id, uint32_t reserved)
{
	for (size_t i = 0; i < t->n; i++) {
		if (t->e[i].pgk_id == pgk_id) {
			t->e[i].reserved = reserved;
			return;
		}
	}
	t->e[t->n].pgk_id = pgk_id;	/* at most 256 distinct IDs */
	t->e[t->n].reserved = reserved;
	t->n++;
}

void wm_del(struct wm_table *t, uint8_t pgk_id)
{
	for (size_t i = 0; i < t->n; i++) {
		if (t->e[i].pgk_id == pgk_id) {
			t->e[i] = t->e[--t->n];
			return;
		}
	}
}

uint32_t wm_extend(uint32_t reserved, uint32_t tx, uint32_t block)
{
	if (reserved >= WM_ALL || (uint64_t)tx + block / 2 < reserved)
		return reserved;
	return (uint64_t)tx + block > WM_ALL ? WM_ALL : tx + block;
}

int state_write_file(const char *dir, const char *name, const void *buf,
		     size_t len, struct errmsg *why)
{
	char tmp[512], dst[512];
	const char *p = buf;
	int fd, dfd, err = 0;

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
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || fsync(dfd))
		err = fail(why, -errno, "%s: fsync: %s", dir, strerror(errno));
	if (dfd >= 0)
		close(dfd);
	return err;
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

int wm_load(const char *dir, uint32_t group, struct wm_table *t, struct errmsg *why)
{
	char name[64], buf[256 * 40], *p, *nl;
	size_t len = sizeof(buf) - 1;
	int err, line = 0;

	t->n = 0;
	snprintf(name, sizeof(name), "watermark-%06x", group);
	err = state_read_file(dir, name, buf, &len, why);
	if (err == -ENOENT)
		return 0;
	if (err)
		return err;
	buf[len] = '\0';
	for (p = buf; *p; p = nl + 1) {
		unsigned id, r;
		char end;

		line++;
		nl = strchr(p, '\n');
		if (!nl)
			return fail(why, -EINVAL, "%.256s/%s: line %d: no newline (torn write?)",
				    dir, name, line);
		*nl = '\0';
		if (sscanf(p, "pgk-id %3u reserved %6u%c", &id, &r, &end) != 2 ||
		    id > 255 || r > 0x10000 || t->n == 256)
			return fail(why, -EINVAL, "%.256s/%s: line %d: corrupt",
				    dir, name, line);
		wm_set(t, (uint8_t)id, r);
	}
	return 0;
}

int wm_save(const char *dir, uint32_t group, const struct wm_table *t, struct errmsg *why)
{
	char name[64], buf[256 * 40];
	size_t len = 0;

	snprintf(name, sizeof(name), "watermark-%06x", group);
	for (size_t i = 0; i < t->n; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len,
					"pgk-id %u reserved %u\n",
					t->e[i].pgk_id, t->e[i].reserved);
	return state_write_file(dir, name, buf, len, why);
}
