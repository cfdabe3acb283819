// SPDX-License-Identifier: GPL-2.0
/*
 * pc5keyd's key store: plaintext files, or records sealed by a PKCS#11
 * token or under a TPM-sealed data key (store.h)
 */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <p11-kit/pkcs11.h>

#include "state.h"
#include "store.h"

#define AES_KEY_LEN	32
/* the largest record: a KEY_RESPONSE document (pc3.h's PC3_MAX_DOC) and more */
#define RECORD_MAX	(256 * 1024)

struct store {
	enum store_kind kind;
	char dir[256];
	/* pkcs11: the module (loaded for good), the session (logged in) and the key */
	CK_FUNCTION_LIST_PTR f;
	CK_SESSION_HANDLE sess;
	CK_OBJECT_HANDLE key;
	/* tpm2: the data key, unsealed at open, wiped at close */
	uint8_t dek[STORE_DEK_LEN];
};

static const char *ck_str(CK_RV rv)
{
	switch (rv) {
	case CKR_PIN_INCORRECT: return "wrong PIN";
	case CKR_PIN_LOCKED: return "PIN locked";
	case CKR_PIN_EXPIRED: return "PIN expired";
	case CKR_TOKEN_NOT_PRESENT: return "token not present";
	case CKR_TOKEN_NOT_RECOGNIZED: return "token not recognized";
	case CKR_DEVICE_REMOVED: return "device removed";
	case CKR_DEVICE_ERROR: return "device error";
	case CKR_MECHANISM_INVALID: return "AES-GCM not supported by the token";
	case CKR_ENCRYPTED_DATA_INVALID: return "authentication failed";
	case CKR_ENCRYPTED_DATA_LEN_RANGE: return "bad length";
	case CKR_USER_PIN_NOT_INITIALIZED: return "user PIN not initialized";
	case CKR_CRYPTOKI_NOT_INITIALIZED: return "module not initialized";
	default: return NULL;
	}
}

/* "C_Login: wrong PIN (CKR 0xa0)" */
static int ck_fail(struct errmsg *why, int err, const char *what, const char *call, CK_RV rv)
{
	const char *s = ck_str(rv);

	return fail(why, err, "%s: %s: %s (CKR 0x%lx)", what, call, s ? s : "failed",
		    (unsigned long)rv);
}

void store_file_name(const struct store *s, const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "%s.%s", name, s->kind == STORE_FILE ? "xml" : "sealed");
}

bool store_sealed(const struct store *s)
{
	return s->kind != STORE_FILE;
}

/* The PIN: the first line of @path, at most 64 octets */
static int read_pin(const char *path, char *pin, size_t size, size_t *len,
		    struct errmsg *why)
{
	FILE *f = fopen(path, "re");
	size_t n;

	if (!f)
		return fail(why, -errno, "pkcs11-pin-file %s: %s", path, strerror(errno));
	if (!fgets(pin, (int)size, f))
		pin[0] = '\0';
	fclose(f);
	n = strcspn(pin, "\r\n");
	pin[n] = '\0';
	if (!n)
		return fail(why, -EINVAL, "pkcs11-pin-file %s: empty", path);
	*len = n;
	return 0;
}

/* A token's label: 32 octets padded with spaces */
static bool label_is(const unsigned char *label, const char *want)
{
	size_t n = strlen(want);

	if (n > 32 || memcmp(label, want, n))
		return false;
	for (size_t i = n; i < 32; i++)
		if (label[i] != ' ')
			return false;
	return true;
}

static int find_slot(CK_FUNCTION_LIST_PTR f, const char *token, CK_SLOT_ID *slot,
		     struct errmsg *why)
{
	CK_SLOT_ID slots[64];
	CK_ULONG n = 64;
	CK_RV rv;

	rv = f->C_GetSlotList(CK_TRUE, slots, &n);
	if (rv != CKR_OK)
		return ck_fail(why, -EIO, "pkcs11", "C_GetSlotList", rv);
	for (CK_ULONG i = 0; i < n; i++) {
		CK_TOKEN_INFO ti;

		if (f->C_GetTokenInfo(slots[i], &ti) == CKR_OK && label_is(ti.label, token)) {
			*slot = slots[i];
			return 0;
		}
	}
	return fail(why, -ENODEV, "pkcs11-token \"%s\": no token with that label "
		    "(%lu token(s) present)", token, (unsigned long)n);
}

/*
 * The store's AES key: the token's one secret key of that label. A key
 * that may leave the token (extractable, or not sensitive) protects
 * nothing, so it is refused, not used.
 */
static int find_key(struct store *s, const char *label, bool create, bool *created,
		    struct errmsg *why)
{
	CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
	CK_KEY_TYPE type = CKK_AES;
	CK_BBOOL yes = CK_TRUE, no = CK_FALSE, sens = CK_FALSE, extr = CK_TRUE;
	CK_ULONG vlen = AES_KEY_LEN, n = 0;
	CK_OBJECT_HANDLE h[2];
	CK_ATTRIBUTE find[] = {
		{ CKA_CLASS, &cls, sizeof(cls) },
		{ CKA_KEY_TYPE, &type, sizeof(type) },
		{ CKA_LABEL, (void *)label, strlen(label) },
	};
	CK_ATTRIBUTE gen[] = {
		{ CKA_CLASS, &cls, sizeof(cls) },
		{ CKA_KEY_TYPE, &type, sizeof(type) },
		{ CKA_LABEL, (void *)label, strlen(label) },
		{ CKA_TOKEN, &yes, sizeof(yes) },
		{ CKA_PRIVATE, &yes, sizeof(yes) },
		{ CKA_SENSITIVE, &yes, sizeof(yes) },
		{ CKA_EXTRACTABLE, &no, sizeof(no) },
		{ CKA_ENCRYPT, &yes, sizeof(yes) },
		{ CKA_DECRYPT, &yes, sizeof(yes) },
		{ CKA_WRAP, &no, sizeof(no) },
		{ CKA_UNWRAP, &no, sizeof(no) },
		{ CKA_VALUE_LEN, &vlen, sizeof(vlen) },
	};
	CK_ATTRIBUTE check[] = {
		{ CKA_SENSITIVE, &sens, sizeof(sens) },
		{ CKA_EXTRACTABLE, &extr, sizeof(extr) },
	};
	CK_MECHANISM keygen = { CKM_AES_KEY_GEN, NULL, 0 };
	CK_RV rv;

	rv = s->f->C_FindObjectsInit(s->sess, find, 3);
	if (rv == CKR_OK) {
		rv = s->f->C_FindObjects(s->sess, h, 2, &n);
		s->f->C_FindObjectsFinal(s->sess);
	}
	if (rv != CKR_OK)
		return ck_fail(why, -EIO, "pkcs11", "C_FindObjects", rv);
	if (n > 1)
		return fail(why, -EEXIST, "pkcs11-key \"%s\": more than one AES key with "
			    "that label in the token: refusing to guess", label);
	if (!n && !create)
		return fail(why, -ENOKEY, "pkcs11-key \"%s\": no such AES key in the token "
			    "(pc5keyd --init generates it)", label);
	if (!n) {
		rv = s->f->C_GenerateKey(s->sess, &keygen, gen, sizeof(gen) / sizeof(gen[0]), h);
		if (rv != CKR_OK)
			return ck_fail(why, -EIO, "pkcs11-key", "C_GenerateKey", rv);
		if (created)
			*created = true;
	}
	rv = s->f->C_GetAttributeValue(s->sess, h[0], check, 2);
	if (rv != CKR_OK)
		return ck_fail(why, -EIO, "pkcs11-key", "C_GetAttributeValue", rv);
	if (!sens || extr)
		return fail(why, -EPERM, "pkcs11-key \"%s\": the key can leave the token "
			    "(%s): refusing it", label, extr ? "extractable" : "not sensitive");
	s->key = h[0];
	return 0;
}

/*
 * The module stays loaded and initialised for the process once loaded:
 * C_Initialize is per process, and OpenSSL's pkcs11 engine (pc3key.c) may
 * use the same module for the TLS key, so finalizing it when a store
 * closes (a reload to another key-store) would end the engine's sessions
 * too. A second C_Initialize (a reload, or the engine first) is
 * CKR_CRYPTOKI_ALREADY_INITIALIZED, which is fine.
 */
static int p11_load(struct store *s, const char *module, struct errmsg *why)
{
	CK_RV (*get)(CK_FUNCTION_LIST_PTR_PTR);
	void *dl;
	CK_RV rv;

	dl = dlopen(module, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
	if (!dl)
		return fail(why, -ENOENT, "pkcs11-module %s: %s", module, dlerror());
	*(void **)&get = dlsym(dl, "C_GetFunctionList");
	if (!get || get(&s->f) != CKR_OK || !s->f) {
		s->f = NULL;
		dlclose(dl);
		return fail(why, -ENOEXEC, "pkcs11-module %s: not a PKCS#11 module", module);
	}
	rv = s->f->C_Initialize(NULL);
	if (rv != CKR_OK && rv != CKR_CRYPTOKI_ALREADY_INITIALIZED) {
		s->f = NULL;
		return ck_fail(why, -EIO, module, "C_Initialize", rv);
	}
	return 0;
}

static int p11_open(struct store *s, const struct store_conf *sc, bool create,
		    bool *created, struct errmsg *why)
{
	char pin[80];
	size_t pinlen = 0;
	CK_SLOT_ID slot = 0;
	CK_RV rv;
	int err;

	if (!sc->p11_module || !sc->p11_module[0] || !sc->p11_token || !sc->p11_token[0] ||
	    !sc->p11_pin_file || !sc->p11_pin_file[0])
		return fail(why, -EINVAL, "key-store pkcs11 needs pkcs11-module, pkcs11-token "
			    "and pkcs11-pin-file");
	err = p11_load(s, sc->p11_module, why);
	if (err)
		return err;
	err = find_slot(s->f, sc->p11_token, &slot, why);
	if (err)
		return err;
	rv = s->f->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL,
				 &s->sess);
	if (rv != CKR_OK)
		return ck_fail(why, -EIO, "pkcs11", "C_OpenSession", rv);
	err = read_pin(sc->p11_pin_file, pin, sizeof(pin), &pinlen, why);
	if (err)
		return err;
	rv = s->f->C_Login(s->sess, CKU_USER, (CK_UTF8CHAR_PTR)pin, pinlen);
	explicit_bzero(pin, sizeof(pin));
	/* logins are per application: a reload's second session shares it */
	if (rv != CKR_OK && rv != CKR_USER_ALREADY_LOGGED_IN)
		return ck_fail(why, -EACCES, "pkcs11-token", "C_Login", rv);
	return find_key(s, sc->p11_key && sc->p11_key[0] ? sc->p11_key : "pc5keyd-store",
			create, created, why);
}

/* Whether @dir holds a sealed record (keys-*.sealed) */
static bool has_sealed(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	bool found = false;

	while (d && !found && (e = readdir(d))) {
		size_t n = strlen(e->d_name);

		found = n > 7 && !strcmp(e->d_name + n - 7, ".sealed");
	}
	if (d)
		closedir(d);
	return found;
}

int store_open(const struct store_conf *sc, bool create, bool *created,
	       struct store **out, struct errmsg *why)
{
	struct store *s;
	int err = 0;

	if (created)
		*created = false;
	s = calloc(1, sizeof(*s));
	if (!s)
		return fail(why, -ENOMEM, "key store: out of memory");
	s->kind = sc->kind;
	s->sess = CK_INVALID_HANDLE;
	snprintf(s->dir, sizeof(s->dir), "%s", sc->dir);
	if (s->kind == STORE_PKCS11)
		err = p11_open(s, sc, create, created, why);
	if (s->kind == STORE_TPM2 && sc->auto_init && !has_sealed(s->dir))
		create = true;
	if (s->kind == STORE_TPM2)
		err = store_tpm2_dek(sc->tpm2_tcti && sc->tpm2_tcti[0] ? sc->tpm2_tcti :
				     "device:/dev/tpmrm0", s->dir, create, created, s->dek, why);
	if (err) {
		store_close(s);
		return err;
	}
	*out = s;
	return 0;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	if (s->f && s->sess != CK_INVALID_HANDLE)
		s->f->C_CloseSession(s->sess);
	explicit_bzero(s->dek, sizeof(s->dek));
	free(s);
}

/* The associated data of record @name: its header, then the name */
static size_t record_aad(unsigned char *aad, size_t size, const unsigned char *hdr,
			 const char *name)
{
	size_t n = strlen(name);

	if (STORE_MAGIC_LEN + 1 + n > size)
		n = size - STORE_MAGIC_LEN - 1;
	memcpy(aad, hdr, STORE_MAGIC_LEN + 1);
	memcpy(aad + STORE_MAGIC_LEN + 1, name, n);
	return STORE_MAGIC_LEN + 1 + n;
}

static int p11_crypt(struct store *s, bool enc, const unsigned char *iv,
		     const unsigned char *hdr, const char *name, const unsigned char *in,
		     size_t len, unsigned char *out, size_t *outlen, struct errmsg *why)
{
	unsigned char aad[STORE_MAGIC_LEN + 1 + 64];
	CK_GCM_PARAMS gcm = {
		.pIv = (CK_BYTE_PTR)iv, .ulIvLen = STORE_IV_LEN, .ulIvBits = STORE_IV_LEN * 8,
		.pAAD = aad, .ulTagBits = STORE_TAG_LEN * 8,
	};
	CK_MECHANISM m = { CKM_AES_GCM, &gcm, sizeof(gcm) };
	CK_ULONG n = *outlen;
	CK_RV rv;

	gcm.ulAADLen = record_aad(aad, sizeof(aad), hdr, name);
	rv = enc ? s->f->C_EncryptInit(s->sess, &m, s->key) :
		   s->f->C_DecryptInit(s->sess, &m, s->key);
	if (rv == CKR_OK)
		rv = enc ? s->f->C_Encrypt(s->sess, (CK_BYTE_PTR)in, len, out, &n) :
			   s->f->C_Decrypt(s->sess, (CK_BYTE_PTR)in, len, out, &n);
	if (rv != CKR_OK)
		return ck_fail(why, enc ? -EIO : -EBADMSG, name, enc ? "C_Encrypt" : "C_Decrypt",
			       rv);
	*outlen = n;
	return 0;
}

/* AES-256-GCM under the TPM-sealed data key, in this process */
static int evp_crypt(struct store *s, bool enc, const unsigned char *iv,
		     const unsigned char *hdr, const char *name, const unsigned char *in,
		     size_t len, unsigned char *out, size_t *outlen, struct errmsg *why)
{
	unsigned char aad[STORE_MAGIC_LEN + 1 + 64];
	size_t alen = record_aad(aad, sizeof(aad), hdr, name);
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int n = 0, m = 0, ok;

	if (!enc && len < STORE_TAG_LEN)
		ok = 0;
	else if (enc)
		ok = c && EVP_EncryptInit_ex(c, EVP_aes_256_gcm(), NULL, s->dek, iv) &&
		     EVP_EncryptUpdate(c, NULL, &n, aad, (int)alen) &&
		     EVP_EncryptUpdate(c, out, &n, in, (int)len) &&
		     EVP_EncryptFinal_ex(c, out + n, &m) &&
		     EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, STORE_TAG_LEN, out + n + m);
	else
		ok = c && EVP_DecryptInit_ex(c, EVP_aes_256_gcm(), NULL, s->dek, iv) &&
		     EVP_DecryptUpdate(c, NULL, &n, aad, (int)alen) &&
		     EVP_DecryptUpdate(c, out, &n, in, (int)(len - STORE_TAG_LEN)) &&
		     EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, STORE_TAG_LEN,
					 (void *)(in + len - STORE_TAG_LEN)) &&
		     EVP_DecryptFinal_ex(c, out + n, &m) > 0;
	EVP_CIPHER_CTX_free(c);
	if (!ok)
		return fail(why, enc ? -EIO : -EBADMSG, "%s: AES-GCM: %s", name,
			    enc ? "failed" : "authentication failed");
	*outlen = (size_t)(n + m) + (enc ? STORE_TAG_LEN : 0);
	return 0;
}

static int seal_crypt(struct store *s, bool enc, const unsigned char *iv,
		      const unsigned char *hdr, const char *name, const unsigned char *in,
		      size_t len, unsigned char *out, size_t *outlen, struct errmsg *why)
{
	if (s->kind == STORE_TPM2)
		return evp_crypt(s, enc, iv, hdr, name, in, len, out, outlen, why);
	return p11_crypt(s, enc, iv, hdr, name, in, len, out, outlen, why);
}

int store_put(struct store *s, const char *name, const void *buf, size_t len,
	      struct errmsg *why)
{
	char file[128];
	unsigned char *rec;
	size_t n;
	int err;

	store_file_name(s, name, file, sizeof(file));
	if (s->kind == STORE_FILE)
		return state_write_file(s->dir, file, buf, len, why);
	if (len > RECORD_MAX)
		return fail(why, -EFBIG, "%s: %zu octets, more than a record holds", file, len);
	rec = malloc(len + STORE_OVERHEAD);
	if (!rec)
		return fail(why, -ENOMEM, "%s: out of memory", file);
	memcpy(rec, STORE_MAGIC, STORE_MAGIC_LEN);
	rec[STORE_MAGIC_LEN] = (unsigned char)s->kind;
	/* a random IV per record: GCM's 2^-32 collision bound is far off at this rate */
	if (getrandom(rec + STORE_MAGIC_LEN + 1, STORE_IV_LEN, 0) != STORE_IV_LEN) {
		free(rec);
		return fail(why, -EIO, "%s: getrandom: %s", file, strerror(errno));
	}
	n = len + STORE_TAG_LEN;
	err = seal_crypt(s, true, rec + STORE_MAGIC_LEN + 1, rec, name, buf, len,
			rec + STORE_MAGIC_LEN + 1 + STORE_IV_LEN, &n, why);
	if (!err)
		err = state_write_file(s->dir, file, rec, STORE_MAGIC_LEN + 1 + STORE_IV_LEN + n,
				       why);
	free(rec);
	return err;
}

int store_get(struct store *s, const char *name, void *buf, size_t *len,
	      struct errmsg *why)
{
	const size_t hdr = STORE_MAGIC_LEN + 1 + STORE_IV_LEN;
	char file[128];
	unsigned char *rec, *plain = NULL;
	size_t n = RECORD_MAX + STORE_OVERHEAD, out;
	int err;

	store_file_name(s, name, file, sizeof(file));
	if (s->kind == STORE_FILE)
		return state_read_file(s->dir, file, buf, len, why);
	rec = malloc(n);
	if (!rec)
		return fail(why, -ENOMEM, "%s: out of memory", file);
	err = state_read_file(s->dir, file, rec, &n, why);
	if (!err && (n < STORE_OVERHEAD || memcmp(rec, STORE_MAGIC, STORE_MAGIC_LEN)))
		err = fail(why, -EBADMSG, "%s/%s: not a sealed record", s->dir, file);
	else if (!err && rec[STORE_MAGIC_LEN] != (unsigned char)s->kind)
		err = fail(why, -EBADMSG, "%s/%s: sealed by another key-store backend (%u)",
			   s->dir, file, rec[STORE_MAGIC_LEN]);
	else if (!err && n - STORE_OVERHEAD > *len)
		err = fail(why, -EFBIG, "%s/%s: larger than %zu octets", s->dir, file, *len);
	/* the token may want room for the tag too: decrypted apart, then copied */
	if (!err && !(plain = malloc(n)))
		err = fail(why, -ENOMEM, "%s: out of memory", file);
	out = n;
	if (!err) {
		err = seal_crypt(s, false, rec + STORE_MAGIC_LEN + 1, rec, name, rec + hdr,
				n - hdr, plain, &out, why);
		if (err)
			fail(why, err, "%s/%s: does not open with this %s's key (altered, "
			     "another record's, or another %s's): %s", s->dir, file,
			     s->kind == STORE_TPM2 ? "TPM" : "token",
			     s->kind == STORE_TPM2 ? "TPM" : "token", why->msg);
	}
	if (!err) {
		memcpy(buf, plain, out);
		*len = out;
	}
	if (plain) {
		explicit_bzero(plain, n);
		free(plain);
	}
	free(rec);
	return err;
}

bool store_exists(const struct store *s, const char *name)
{
	char file[128], path[512];

	store_file_name(s, name, file, sizeof(file));
	snprintf(path, sizeof(path), "%s/%s", s->dir, file);
	return !access(path, F_OK);
}

int store_drop_plain(struct store *s, const char *name, struct errmsg *why)
{
	char path[512];

	if (s->kind == STORE_FILE)
		return 0;
	snprintf(path, sizeof(path), "%s/%s.xml", s->dir, name);
	if (unlink(path) && errno != ENOENT)
		return fail(why, -errno, "%s: %s", path, strerror(errno));
	return 0;
}
