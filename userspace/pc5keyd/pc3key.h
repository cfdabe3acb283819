/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PC3 TLS client key in a PKCS#11 token: key-file is a pkcs11: URI
 * (RFC 7512) instead of a PEM file, the key is used through OpenSSL's
 * pkcs11 engine (libengine-pkcs11-openssl, libp11) with pkcs11-module and
 * pkcs11-pin-file, and it never leaves the token: TLS signs with it there.
 * A copy of the UE's disk without the token cannot authenticate to the
 * PKMF.
 *
 * Lifetime: the engine is loaded and initialised once per process and
 * kept (finishing it would finalize the module under the key store's
 * sessions, and under a reload's next key); each state opens its key
 * (keyd_state_load()) and frees it with the state.
 */
#ifndef PC5KEYD_PC3KEY_H
#define PC5KEYD_PC3KEY_H

#include <stdbool.h>

#include "config.h"

struct pc3key;

/* Whether key-file names a key in a token */
bool pc3key_in_token(const struct conf *c);

/*
 * The key @c's key-file names, found in its token (*@out; NULL when
 * key-file is a file). Refused, with the reason, when the engine, the
 * module, the token or the key is missing, or the PIN is wrong.
 */
int pc3key_open(const struct conf *c, struct pc3key **out, struct errmsg *why);
void pc3key_close(struct pc3key *k);

/* The key as OpenSSL's EVP_PKEY (a handle: its private part stays in the token) */
void *pc3key_pkey(const struct pc3key *k);

#endif /* PC5KEYD_PC3KEY_H */
