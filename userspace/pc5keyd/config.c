// SPDX-License-Identifier: GPL-2.0
/* pc5keyd.conf parser (see config.h) */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../parse.h"
#include "config.h"

/* fail() with -EINVAL, and the line first when there is one */
static int bad(struct errmsg *why, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int bad(struct errmsg *why, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(why, -EINVAL, fmt, ap);
	va_end(ap);
	if (line && why)
		fail(why, -EINVAL, "line %d: %s", line, why->msg);
	return -EINVAL;
}

static void defaults(struct conf *c)
{
	memset(c, 0, sizeof(*c));
	strcpy(c->state_dir, "/var/lib/pc5keyd");
	c->renew_lead = 300;
	c->retry_min = 2;
	c->retry_max = 300;
	c->refresh_max = 3600;
	c->timeout = 20;
	c->max_response = PC3_MAX_DOC;
	c->watermark_block = 32;
	c->watermark_interval = 1;
	c->expiry_notice = 0;
	c->ciphers = CONF_CIPHERS_DEFAULT;
	c->key_store = STORE_FILE;
	strcpy(c->p11_key, "pc5keyd-store");
	strcpy(c->tpm2_tcti, "device:/dev/tpmrm0");
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static int str(char *dst, size_t size, const char *v, int line,
	       const char *key, struct errmsg *why)
{
	if (!*v)
		return bad(why, line, "%s: empty value", key);
	if (strlen(v) >= size)
		return bad(why, line, "%s: longer than %zu characters", key, size - 1);
	strcpy(dst, v);
	return 0;
}

static int path(char *dst, const char *v, int line, const char *key, struct errmsg *why)
{
	if (*v != '/')
		return bad(why, line, "%s: must be an absolute path", key);
	return str(dst, CONF_PATH_MAX, v, line, key, why);
}

static int num(uint32_t *dst, const char *v, uint32_t min, uint32_t max,
	       int line, const char *key, struct errmsg *why)
{
	uint32_t n;

	if (parse_u32(v, max, &n) || n < min)
		return bad(why, line, "%s: want a number from %u to %u", key, min, max);
	*dst = n;
	return 0;
}

static int boolean(bool *dst, const char *v, int line, const char *key, struct errmsg *why)
{
	if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1"))
		*dst = true;
	else if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "0"))
		*dst = false;
	else
		return bad(why, line, "%s: want yes or no", key);
	return 0;
}

/* "ciphers = NAME [NAME...]", separated by spaces or commas */
static int ciphers(uint32_t *dst, const char *v, int line, struct errmsg *why)
{
	char buf[256], *save = NULL, *t;
	uint32_t set = 0;

	if (strlen(v) >= sizeof(buf))
		return bad(why, line, "ciphers: too long");
	strcpy(buf, v);
	for (t = strtok_r(buf, " \t,", &save); t; t = strtok_r(NULL, " \t,", &save)) {
		uint8_t c;

		if (parse_cipher(t, &c) || c >= 32)
			return bad(why, line, "ciphers: unknown suite '%.40s'", t);
		set |= CONF_CIPHER(c);
	}
	if (!set)
		return bad(why, line, "ciphers: want one suite or more");
	*dst = set;
	return 0;
}

/*
 * "pkmf-pin = sha256//BASE64[;sha256//BASE64...]": the SHA-256 of the
 * PKMF's public key (SubjectPublicKeyInfo, DER), as curl takes it
 */
static int pin(char *dst, const char *v, int line, struct errmsg *why)
{
	const char *p = v;

	while (*p) {
		size_t n;

		if (strncmp(p, "sha256//", 8))
			return bad(why, line, "pkmf-pin: want sha256//BASE64[;sha256//BASE64...]");
		p += 8;
		n = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=");
		if (n != 44 || p[43] != '=')
			return bad(why, line, "pkmf-pin: a SHA-256 in base64 is 44 characters");
		p += n;
		if (*p == ';' && p[1])
			p++;
		else if (*p)
			return bad(why, line, "pkmf-pin: want sha256//BASE64[;sha256//BASE64...]");
	}
	return str(dst, sizeof(((struct conf *)0)->pkmf_pin), v, line, "pkmf-pin", why);
}

static bool ifname_ok(const char *s)
{
	size_t n = strlen(s);

	if (!n || n >= IF_NAMESIZE || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	return !s[strcspn(s, "/: \t")];
}

static int global_key(struct conf *c, const char *k, const char *v, int line,
		      struct errmsg *why)
{
	if (!strcmp(k, "pkmf-url")) {
		if (strncmp(v, "https://", 8) || !v[8])
			return bad(why, line, "pkmf-url: must be an https:// URL");
		if (v[strcspn(v, " \t\"<>\\")])
			return bad(why, line, "pkmf-url: invalid character");
		return str(c->pkmf_url, sizeof(c->pkmf_url), v, line, k, why);
	}
	if (!strcmp(k, "ca-file"))
		return path(c->ca_file, v, line, k, why);
	if (!strcmp(k, "cert-file"))
		return path(c->cert_file, v, line, k, why);
	if (!strcmp(k, "key-file")) {
		/* a key in a PKCS#11 token (pc3key.h) */
		if (!strncmp(v, "pkcs11:", 7)) {
			if (v[strcspn(v, " \t\"")])
				return bad(why, line, "key-file: a pkcs11: URI has no spaces or quotes");
			/* key-file is quoted in logs: the PIN has its own file */
			if (strcasestr(v, "pin-value") || strcasestr(v, "pin-source"))
				return bad(why, line, "key-file: no PIN in the URI (it would show in "
					   "logs): use pkcs11-pin-file");
			return str(c->key_file, sizeof(c->key_file), v, line, k, why);
		}
		return path(c->key_file, v, line, k, why);
	}
	if (!strcmp(k, "crl-file"))
		return path(c->crl_file, v, line, k, why);
	if (!strcmp(k, "pkmf-pin"))
		return pin(c->pkmf_pin, v, line, why);
	if (!strcmp(k, "state-dir"))
		return path(c->state_dir, v, line, k, why);
	if (!strcmp(k, "ue-id")) {
		if (!pc3_valid_ue_id(v))
			return bad(why, line, "ue-id: 1-%d characters of A-Z a-z 0-9 . _ @ : + -",
				   PC3_UE_ID_MAX);
		strcpy(c->ue_id, v);
		return 0;
	}
	if (!strcmp(k, "renew-lead"))
		return num(&c->renew_lead, v, 1, 86400 * 30, line, k, why);
	if (!strcmp(k, "retry-min"))
		return num(&c->retry_min, v, 1, 86400, line, k, why);
	if (!strcmp(k, "retry-max"))
		return num(&c->retry_max, v, 1, 86400, line, k, why);
	if (!strcmp(k, "refresh-max"))
		return num(&c->refresh_max, v, 10, 86400 * 30, line, k, why);
	if (!strcmp(k, "timeout"))
		return num(&c->timeout, v, 1, 600, line, k, why);
	if (!strcmp(k, "max-response"))
		return num(&c->max_response, v, 1024, PC3_MAX_DOC, line, k, why);
	if (!strcmp(k, "watermark-block"))
		return num(&c->watermark_block, v, 2, 4096, line, k, why);
	if (!strcmp(k, "watermark-interval"))
		return num(&c->watermark_interval, v, 1, 60, line, k, why);
	if (!strcmp(k, "push-port"))
		return num(&c->push_port, v, 0, 65535, line, k, why);
	if (!strcmp(k, "expiry-notice"))
		return num(&c->expiry_notice, v, 0, 86400 * 30, line, k, why);
	if (!strcmp(k, "keyring"))
		return boolean(&c->keyring, v, line, k, why);
	if (!strcmp(k, "ciphers"))
		return ciphers(&c->ciphers, v, line, why);
	if (!strcmp(k, "key-store")) {
		if (!strcmp(v, "file"))
			c->key_store = STORE_FILE;
		else if (!strcmp(v, "pkcs11"))
			c->key_store = STORE_PKCS11;
		else if (!strcmp(v, "tpm2"))
			c->key_store = STORE_TPM2;
		else
			return bad(why, line, "key-store: want file, pkcs11 or tpm2");
		c->key_store_set = true;
		return 0;
	}
	if (!strcmp(k, "pkcs11-module"))
		return path(c->p11_module, v, line, k, why);
	if (!strcmp(k, "pkcs11-token"))
		return str(c->p11_token, sizeof(c->p11_token), v, line, k, why);
	if (!strcmp(k, "pkcs11-pin-file"))
		return path(c->p11_pin_file, v, line, k, why);
	if (!strcmp(k, "pkcs11-key"))
		return str(c->p11_key, sizeof(c->p11_key), v, line, k, why);
	if (!strcmp(k, "tpm2-tcti")) {
		if (v[strcspn(v, " \t")])
			return bad(why, line, "tpm2-tcti: want NAME[:CONFIG] without spaces");
		return str(c->tpm2_tcti, sizeof(c->tpm2_tcti), v, line, k, why);
	}
	return bad(why, line, "unknown setting '%.40s'", k);
}

static int group_key(struct conf_group *g, const char *k, const char *v,
		     int line, struct errmsg *why)
{
	if (!strcmp(k, "link") || !strcmp(k, "lower")) {
		if (!ifname_ok(v))
			return bad(why, line, "%s: not an interface name", k);
		strcpy(!strcmp(k, "link") ? g->link : g->lower, v);
		return 0;
	}
	if (!strcmp(k, "address")) {
		unsigned a, b, c, d, p;
		char end;

		if (sscanf(v, "%3u.%3u.%3u.%3u/%2u%c", &a, &b, &c, &d, &p, &end) != 5 ||
		    a > 255 || b > 255 || c > 255 || d > 255 || p > 32 ||
		    strlen(v) >= sizeof(g->address))
			return bad(why, line, "address: want IPv4 A.B.C.D/PREFIX");
		strcpy(g->address, v);
		return 0;
	}
	if (!strcmp(k, "ipv6"))
		return boolean(&g->ipv6, v, line, k, why);
	if (!strcmp(k, "preprovisioned"))
		return path(g->preprovisioned, v, line, k, why);
	return bad(why, line, "unknown group setting '%.40s'", k);
}

int conf_parse(const char *text, struct conf *c, struct errmsg *why)
{
	struct conf_group *g = NULL;
	const char *p = text;
	char buf[1024];
	int line = 0, err;

	defaults(c);
	errmsg_clear(why);
	while (*p) {
		size_t n = strcspn(p, "\n");
		char *s, *eq, *k, *v;

		line++;
		if (n >= sizeof(buf))
			return bad(why, line, "line too long");
		memcpy(buf, p, n);
		buf[n] = '\0';
		p += n + (p[n] == '\n');
		if (memchr(buf, '\0', n))
			return bad(why, line, "NUL byte");
		s = trim(buf);
		if (!*s || *s == '#')
			continue;
		if (*s == '[') {
			uint32_t id;
			char *e = strchr(s, ']');

			if (!e || e[1] || strncmp(s, "[group ", 7))
				return bad(why, line, "want a section \"[group 0xID]\"");
			*e = '\0';
			if (parse_u32(trim(s + 7), PC5SEC_ID_MAX, &id))
				return bad(why, line, "group: want a 24-bit Group ID");
			if (c->ngroups == PC3_MAX_GROUPS)
				return bad(why, line, "more than %d groups", PC3_MAX_GROUPS);
			for (size_t i = 0; i < c->ngroups; i++)
				if (c->groups[i].group_id == id)
					return bad(why, line, "group 0x%06x twice", id);
			g = &c->groups[c->ngroups++];
			g->group_id = id;
			continue;
		}
		eq = strchr(s, '=');
		if (!eq)
			return bad(why, line, "want \"key = value\"");
		*eq = '\0';
		k = trim(s);
		v = trim(eq + 1);
		err = g ? group_key(g, k, v, line, why) : global_key(c, k, v, line, why);
		if (err)
			return err;
	}

	if (!c->pkmf_url[0])
		return bad(why, 0, "pkmf-url is not set");
	if (!c->ca_file[0])
		return bad(why, 0, "ca-file is not set (the PKMF's certificate is always verified)");
	if (!c->cert_file[0] || !c->key_file[0])
		return bad(why, 0, "cert-file and key-file are not set (client authentication)");
	if (!c->ue_id[0])
		return bad(why, 0, "ue-id is not set");
	if (!c->ngroups)
		return bad(why, 0, "no [group ...] section");
	if (!strncmp(c->key_file, "pkcs11:", 7) && (!c->p11_module[0] || !c->p11_pin_file[0]))
		return bad(why, 0, "key-file in a token: pkcs11-module and pkcs11-pin-file "
			   "must be set");
	if (c->key_store == STORE_PKCS11 &&
	    (!c->p11_module[0] || !c->p11_token[0] || !c->p11_pin_file[0]))
		return bad(why, 0, "key-store pkcs11: pkcs11-module, pkcs11-token and "
			   "pkcs11-pin-file must be set");
	if (c->retry_min > c->retry_max)
		return bad(why, 0, "retry-min is larger than retry-max");
	for (size_t i = 0; i < c->ngroups; i++) {
		struct conf_group *gi = &c->groups[i];

		if (!gi->link[0] || !gi->lower[0])
			return bad(why, 0, "group 0x%06x: link and lower must be set",
				   gi->group_id);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(c->groups[j].link, gi->link))
				return bad(why, 0, "link %s used by two groups", gi->link);
	}
	return 0;
}

int conf_load(const char *file, struct conf *c, struct errmsg *why)
{
	char *buf = malloc(CONF_MAX_SIZE + 1);
	size_t len = 0;
	ssize_t n;
	int fd, err;

	if (!buf)
		return fail(why, -ENOMEM, "out of memory");
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		free(buf);
		return fail(why, err, "%s: %s", file, strerror(-err));
	}
	while ((n = read(fd, buf + len, CONF_MAX_SIZE + 1 - len)) > 0) {
		len += (size_t)n;
		if (len > CONF_MAX_SIZE)
			break;
	}
	close(fd);
	if (n < 0 || len > CONF_MAX_SIZE) {
		free(buf);
		return bad(why, 0, "%s: %s", file, n < 0 ? "read error" : "too large");
	}
	buf[len] = '\0';
	if (strlen(buf) != len) {
		free(buf);
		return bad(why, 0, "%s: NUL byte", file);
	}
	err = conf_parse(buf, c, why);
	free(buf);
	return err;
}
