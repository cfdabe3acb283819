/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pc5keyd's key store: where the PGKs of each group (a KEY_RESPONSE
 * document, keys-GGGGGG) rest between runs. One interface, a backend per
 * pc5keyd.conf's key-store:
 *
 *   file     keys-GGGGGG.xml in the state directory, in plaintext (0600).
 *            For labs: pc5keyd warns at every start.
 *   pkcs11   keys-GGGGGG.sealed: the document encrypted (AES-256-GCM) in a
 *            PKCS#11 token by a key generated there, sensitive and not
 *            extractable (pc5keyd --init makes it), so a copy of the disk
 *            without the token yields no PGK. Smart cards, secure
 *            elements, HSMs, tpm2-pkcs11; SoftHSM2 in the tests.
 *   tpm2     keys-GGGGGG.sealed: the same, with AES-256-GCM in pc5keyd
 *            under a data key sealed to the UE's TPM 2.0
 *            (store-key.tpm2, which only that TPM opens: store_tpm2.c).
 *            swtpm in the tests.
 *
 * A sealed record: "PC5SEAL1", the backend (one octet), a 12-octet IV,
 * the ciphertext and a 16-octet tag. The associated data is the first 9
 * octets and the record's name, so a record moved to another group's
 * name, or to another backend, does not open.
 *
 * Lifetime: a store is opened with the state that configures it
 * (keyd_state_load()) and closed with it; a reload opens the new one
 * before the old is closed. Not thread-safe: pc5keyd has one thread.
 */
#ifndef PC5KEYD_STORE_H
#define PC5KEYD_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/errmsg.h"

enum store_kind {
	STORE_FILE,
	STORE_PKCS11,
	STORE_TPM2,
};

#define STORE_DEK_LEN		32

#define STORE_MAGIC		"PC5SEAL1"
#define STORE_MAGIC_LEN		8
#define STORE_IV_LEN		12
#define STORE_TAG_LEN		16
#define STORE_OVERHEAD		(STORE_MAGIC_LEN + 1 + STORE_IV_LEN + STORE_TAG_LEN)

struct store_conf {
	enum store_kind kind;
	const char *dir;		/* the state directory */
	const char *p11_module;		/* the PKCS#11 module (a .so path) */
	const char *p11_token;		/* the token's label */
	const char *p11_pin_file;	/* the user PIN, first line (0600) */
	const char *p11_key;		/* the AES key's label in the token */
	const char *tpm2_tcti;		/* e.g. "device:/dev/tpmrm0" */
	/*
	 * tpm2 chosen because key-store was not set and the UE has a TPM:
	 * the data key is made at start as by --init, unless sealed records
	 * are there already (a lost store-key.tpm2 is then an error, not a
	 * new key that silently orphans them).
	 */
	bool auto_init;
};

struct store;

/*
 * Opens the backend: for pkcs11, loads the module, logs in to the token
 * and finds the key (with @create, pc5keyd --init, generates it if the
 * token has none; *@created says so). Every failure says what to fix.
 */
int store_open(const struct store_conf *sc, bool create, bool *created,
	       struct store **out, struct errmsg *why);
void store_close(struct store *s);
bool store_sealed(const struct store *s);

/*
 * Stores @len octets as record @name (durably, atomically: state.h's
 * state_write_file()). The plaintext is not kept.
 */
int store_put(struct store *s, const char *name, const void *buf, size_t len,
	      struct errmsg *why);
/*
 * Reads record @name into @buf (*@len: its size in, the length out).
 * -ENOENT when absent; -EBADMSG when a sealed record does not open
 * (tampered, another name's, another token's).
 */
int store_get(struct store *s, const char *name, void *buf, size_t *len,
	      struct errmsg *why);
/* Whether record @name is there (sealed or not, as @s keeps it) */
bool store_exists(const struct store *s, const char *name);
/*
 * Removes record @name's plaintext form when @s seals: the keys-*.xml
 * a file store left, once store_put() has sealed it. 0 if absent.
 */
int store_drop_plain(struct store *s, const char *name, struct errmsg *why);

/*
 * store_tpm2.c: the data key, unsealed from @dir's store-key.tpm2 by the
 * TPM at @tcti; with @create and no such file, a new one made and sealed
 * (*@created). Not for other callers than store.c.
 */
int store_tpm2_dek(const char *tcti, const char *dir, bool create, bool *created,
		   uint8_t dek[STORE_DEK_LEN], struct errmsg *why);

/* The file name of record @name in @s's directory */
void store_file_name(const struct store *s, const char *name, char *buf, size_t len);

#endif /* PC5KEYD_STORE_H */
