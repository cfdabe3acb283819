// SPDX-License-Identifier: GPL-2.0
/* The PC3 TLS client key in a PKCS#11 token, through OpenSSL's pkcs11 engine (pc3key.h) */

/*
 * ENGINE is deprecated in OpenSSL 3, and the pkcs11 provider that replaces
 * it is not in Debian 12; the engine is what Debian's OpenSSL and curl
 * support for keys in tokens today.
 */
#define OPENSSL_SUPPRESS_DEPRECATED

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/engine.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include "pc3key.h"

struct pc3key {
	EVP_PKEY *pkey;
};

/* The engine, initialised once for the process (pc3key.h says why) */
static ENGINE *eng;
static char eng_module[CONF_PATH_MAX];

bool pc3key_in_token(const struct conf *c)
{
	return !strncmp(c->key_file, "pkcs11:", 7);
}

static const char *ossl_err(void)
{
	static char buf[256];
	unsigned long e = ERR_get_error();

	if (!e)
		return "no reason given";
	ERR_error_string_n(e, buf, sizeof(buf));
	ERR_clear_error();
	return buf;
}

static int engine_up(const struct conf *c, struct errmsg *why)
{
	char pin[80] = "";
	FILE *f;
	ENGINE *e;
	int ok;

	if (eng) {
		if (strcmp(eng_module, c->p11_module))
			return fail(why, -EBUSY, "key-file: pkcs11-module changed from %s: "
				    "restart pc5keyd to change it", eng_module);
		return 0;
	}
	f = fopen(c->p11_pin_file, "re");
	if (!f)
		return fail(why, -errno, "pkcs11-pin-file %s: %s", c->p11_pin_file,
			    strerror(errno));
	if (!fgets(pin, sizeof(pin), f))
		pin[0] = '\0';
	fclose(f);
	pin[strcspn(pin, "\r\n")] = '\0';
	e = ENGINE_by_id("pkcs11");
	if (!e) {
		explicit_bzero(pin, sizeof(pin));
		return fail(why, -ENOENT, "key-file %s: no OpenSSL pkcs11 engine "
			    "(libengine-pkcs11-openssl): %s", c->key_file, ossl_err());
	}
	ok = ENGINE_ctrl_cmd_string(e, "MODULE_PATH", c->p11_module, 0) &&
	     ENGINE_ctrl_cmd_string(e, "PIN", pin, 0) && ENGINE_init(e);
	explicit_bzero(pin, sizeof(pin));
	if (!ok) {
		ENGINE_free(e);
		return fail(why, -EIO, "key-file: pkcs11 engine with %s: %s", c->p11_module,
			    ossl_err());
	}
	/* the functional reference is kept; the structural one is not needed */
	ENGINE_free(e);
	eng = e;
	snprintf(eng_module, sizeof(eng_module), "%s", c->p11_module);
	return 0;
}

int pc3key_open(const struct conf *c, struct pc3key **out, struct errmsg *why)
{
	struct pc3key *k;
	int err;

	*out = NULL;
	if (!pc3key_in_token(c))
		return 0;
	err = engine_up(c, why);
	if (err)
		return err;
	k = calloc(1, sizeof(*k));
	if (!k)
		return fail(why, -ENOMEM, "key-file: out of memory");
	k->pkey = ENGINE_load_private_key(eng, c->key_file, NULL, NULL);
	if (!k->pkey) {
		free(k);
		return fail(why, -ENOKEY, "key-file %s: no such private key in the token: %s",
			    c->key_file, ossl_err());
	}
	*out = k;
	return 0;
}

void pc3key_close(struct pc3key *k)
{
	if (!k)
		return;
	EVP_PKEY_free(k->pkey);
	free(k);
}

void *pc3key_pkey(const struct pc3key *k)
{
	return k ? k->pkey : NULL;
}
