// SPDX-License-Identifier: GPL-2.0
/*
 * The key store (store.c) against a real PKCS#11 token, SoftHSM2's module,
 * with its tokens in a temporary directory, and a real TPM 2.0, swtpm's
 * (two of them, each its own TPM with its own seeds), reached over TCP
 * (scripts/deps lab installs both). store.c is included, so that the
 * tests reach the session and the key's handle to ask the token what it
 * lets out.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "../store.c"
#include "../../tests/check.h"

#define SOFTHSM	"/usr/lib/softhsm/libsofthsm2.so"

static char top[64], dir[128], pinfile[160], badpin[160];
static char tcti[2][64];

/* The test's document: a KEY_RESPONSE-sized text with a PGK in hex */
static const char doc[] =
	"<KEY_RESPONSE><PGK id=\"33\">"
	"a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90"
	"</PGK></KEY_RESPONSE>";
static const char pgk_hex[] = "a1b2c3d4e5f60718293a4b5c6d7e8f90";

static void sh(const char *cmd)
{
	if (system(cmd))
		printf("FAIL: %s\n", cmd);
}

static void write_text(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		printf("FAIL: write %s\n", path);
	if (fd >= 0)
		close(fd);
}

static size_t read_all(const char *path, unsigned char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, size);

	if (fd >= 0)
		close(fd);
	return n < 0 ? 0 : (size_t)n;
}

static bool has(const unsigned char *buf, size_t n, const void *what, size_t len)
{
	return memmem(buf, n, what, len) != NULL;
}

static struct store_conf p11_conf(const char *token, const char *key)
{
	return (struct store_conf){
		.kind = STORE_PKCS11, .dir = dir, .p11_module = SOFTHSM, .p11_token = token,
		.p11_pin_file = pinfile, .p11_key = key,
	};
}

/* Two SoftHSM2 tokens, "ue" and "other", in a temporary directory */
static bool setup(void)
{
	char conf[160], cmd[512];

	if (access(SOFTHSM, R_OK)) {
		CHECK(0, "%s: not installed (scripts/deps lab installs softhsm2)", SOFTHSM);
		return false;
	}
	snprintf(top, sizeof(top), "/tmp/test-store.XXXXXX");
	if (!mkdtemp(top))
		return false;
	snprintf(dir, sizeof(dir), "%s/state", top);
	mkdir(dir, 0700);
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/tokens", top);
	sh(cmd);
	snprintf(conf, sizeof(conf), "%s/softhsm2.conf", top);
	snprintf(cmd, sizeof(cmd), "directories.tokendir = %s/tokens\nobjectstore.backend = file\n"
		 "log.level = ERROR\n", top);
	write_text(conf, cmd, 0600);
	setenv("SOFTHSM2_CONF", conf, 1);
	snprintf(pinfile, sizeof(pinfile), "%s/pin", top);
	write_text(pinfile, "123456\n", 0600);
	snprintf(badpin, sizeof(badpin), "%s/badpin", top);
	write_text(badpin, "654321\n", 0600);
	sh("softhsm2-util --init-token --free --label ue --pin 123456 --so-pin 999999 >/dev/null");
	sh("softhsm2-util --init-token --free --label other --pin 123456 --so-pin 999999 >/dev/null");
	/* two TPMs, ports from the pid so that parallel runs do not meet */
	for (int i = 0; i < 2; i++) {
		int port = 20000 + (getpid() % 5000) * 4 + 2 * i;

		snprintf(cmd, sizeof(cmd), "mkdir -p %s/tpm%d && swtpm socket --tpm2 --daemon "
			 "--tpmstate dir=%s/tpm%d --server type=tcp,port=%d,bindaddr=127.0.0.1 "
			 "--ctrl type=tcp,port=%d,bindaddr=127.0.0.1 --pid file=%s/tpm%d.pid "
			 "--flags not-need-init,startup-clear", top, i, top, i, port, port + 1,
			 top, i);
		sh(cmd);
		snprintf(tcti[i], sizeof(tcti[i]), "swtpm:host=127.0.0.1,port=%d", port);
	}
	return true;
}

static struct store_conf tpm_conf(int which, const char *d)
{
	return (struct store_conf){ .kind = STORE_TPM2, .dir = d, .tpm2_tcti = tcti[which] };
}

/* key-store tpm2: the data key sealed to one TPM, records under it */
static void test_tpm2(void)
{
	struct store_conf sc = tpm_conf(0, dir);
	struct errmsg why = { "" };
	unsigned char raw[16], file[4096], out[4096];
	char path[256], other[160], cmd[512];
	size_t n, len;
	struct store *s, *t;
	bool made = false;
	int err;

	err = store_open(&sc, false, &made, &s, &why);
	CHECK(err == -ENOKEY && strstr(why.msg, "pc5keyd --init"),
	      "tpm2, no data key yet: want -ENOKEY naming --init, got %d '%s'", err, why.msg);
	err = store_open(&sc, true, &made, &s, &why);
	CHECK(!err && made, "tpm2 --init: %d '%s'", err, why.msg);
	if (err)
		return;
	store_close(s);
	err = store_open(&sc, true, &made, &s, &why);
	CHECK(!err && !made, "tpm2 --init again: unsealed, unchanged: %d '%s'", err, why.msg);
	if (err)
		return;
	CHECK(store_sealed(s), "tpm2 seals");
	err = store_put(s, "keys-000061", doc, strlen(doc), &why);
	CHECK(!err, "tpm2 put: %d '%s'", err, why.msg);
	snprintf(path, sizeof(path), "%s/keys-000061.sealed", dir);
	n = read_all(path, file, sizeof(file));
	for (size_t i = 0; i < sizeof(raw); i++)
		sscanf(pgk_hex + 2 * i, "%2hhx", &raw[i]);
	CHECK(n == strlen(doc) + STORE_OVERHEAD && file[8] == STORE_TPM2 &&
	      !has(file, n, pgk_hex, strlen(pgk_hex)) && !has(file, n, raw, sizeof(raw)) &&
	      !has(file, n, "KEY_RESPONSE", 12), "tpm2 record: sealed, %zu octets", n);
	snprintf(path, sizeof(path), "%s/store-key.tpm2", dir);
	n = read_all(path, file, sizeof(file));
	CHECK(n > 100 && !has(file, n, s->dek, STORE_DEK_LEN),
	      "store-key.tpm2 (%zu octets) does not hold the data key in the clear", n);
	store_close(s);
	/* a new open: the data key unsealed again opens what the last one sealed */
	if (store_open(&sc, false, NULL, &s, &why)) {
		CHECK(0, "tpm2 reopen: %s", why.msg);
		return;
	}
	len = sizeof(out);
	err = store_get(s, "keys-000061", out, &len, &why);
	CHECK(!err && len == strlen(doc) && !memcmp(out, doc, len), "tpm2 get: %d '%s'", err,
	      why.msg);
	/* altered: the ciphertext, the tag */
	snprintf(path, sizeof(path), "%s/keys-000061.sealed", dir);
	n = read_all(path, file, sizeof(file));
	file[30] ^= 0x80;
	state_write_file(dir, "keys-000061.sealed", file, n, &why);
	len = sizeof(out);
	err = store_get(s, "keys-000061", out, &len, &why);
	CHECK(err == -EBADMSG && strstr(why.msg, "does not open with this TPM's key"),
	      "tpm2, altered: %d '%s'", err, why.msg);
	file[30] ^= 0x80;
	file[n - 1] ^= 0x01;
	state_write_file(dir, "keys-000061.sealed", file, n, &why);
	len = sizeof(out);
	err = store_get(s, "keys-000061", out, &len, &why);
	CHECK(err == -EBADMSG, "tpm2, tag altered: %d", err);
	file[n - 1] ^= 0x01;
	state_write_file(dir, "keys-000061.sealed", file, n, &why);
	/* a pkcs11 record is not a tpm2 one */
	len = sizeof(out);
	err = store_get(s, "keys-000042", out, &len, &why);
	CHECK(err == -EBADMSG && strstr(why.msg, "another key-store backend"),
	      "tpm2 reading a pkcs11 record: %d '%s'", err, why.msg);
	store_close(s);

	/* the state directory copied to a UE with another TPM */
	snprintf(other, sizeof(other), "%s/clone", top);
	snprintf(cmd, sizeof(cmd), "cp -a %s %s", dir, other);
	sh(cmd);
	sc = tpm_conf(1, other);
	err = store_open(&sc, false, NULL, &t, &why);
	CHECK(err == -EBADMSG && strstr(why.msg, "this TPM does not load it"),
	      "another TPM: %d '%s'", err, why.msg);
	err = store_open(&sc, true, &made, &t, &why);
	CHECK(err == -EBADMSG, "nor does --init there replace the data key: %d", err);
	/* an altered store-key.tpm2 */
	snprintf(path, sizeof(path), "%s/store-key.tpm2", dir);
	n = read_all(path, file, sizeof(file));
	file[n - 3] ^= 0x01;
	state_write_file(other, "store-key.tpm2", file, n, &why);
	sc = tpm_conf(0, other);
	err = store_open(&sc, false, NULL, &t, &why);
	CHECK(err == -EBADMSG, "an altered store-key.tpm2 does not load: %d '%s'", err,
	      why.msg);
	/* key-store not set, a TPM there: made at the first open */
	{
		char fresh[160];

		snprintf(fresh, sizeof(fresh), "%s/auto", top);
		mkdir(fresh, 0700);
		sc = tpm_conf(0, fresh);
		sc.auto_init = true;
		err = store_open(&sc, false, &made, &t, &why);
		CHECK(!err && made, "auto: the data key made at the first start: %d '%s'", err,
		      why.msg);
		if (!err) {
			store_put(t, "keys-000070", doc, strlen(doc), &why);
			store_close(t);
		}
		err = store_open(&sc, false, &made, &t, &why);
		CHECK(!err && !made, "auto: unsealed at the next: %d '%s'", err, why.msg);
		if (!err)
			store_close(t);
		snprintf(path, sizeof(path), "%s/store-key.tpm2", fresh);
		unlink(path);
		err = store_open(&sc, false, &made, &t, &why);
		CHECK(err == -ENOKEY, "auto: store-key.tpm2 lost under sealed records: no new "
		      "key: %d '%s'", err, why.msg);
	}
	/* no TPM there */
	sc = tpm_conf(0, dir);
	sc.tpm2_tcti = "swtpm:host=127.0.0.1,port=1";
	err = store_open(&sc, false, NULL, &t, &why);
	CHECK(err == -ENODEV && strstr(why.msg, "tpm2-tcti"), "no TPM: %d '%s'", err, why.msg);
}

static void test_open(void)
{
	struct store_conf sc = p11_conf("ue", "pc5keyd-store");
	struct errmsg why = { "" };
	struct store *s = NULL, *t = NULL;
	bool made = true;
	int err;

	err = store_open(&sc, false, &made, &s, &why);
	CHECK(err == -ENOKEY && strstr(why.msg, "pc5keyd --init"),
	      "no key yet: want -ENOKEY naming --init, got %d '%s'", err, why.msg);
	err = store_open(&sc, true, &made, &s, &why);
	CHECK(!err && made, "--init generates the key: %d '%s'", err, why.msg);
	if (err)
		return;
	CHECK(store_sealed(s), "pkcs11 seals");
	/* a reload: a second store on the same module, then the first closes */
	err = store_open(&sc, true, &made, &t, &why);
	CHECK(!err && !made, "--init again: key present, unchanged: %d '%s'", err, why.msg);
	store_close(s);
	if (!err) {
		err = store_put(t, "keys-000042", doc, strlen(doc), &why);
		CHECK(!err, "the second store works after the first closed: %d '%s'", err,
		      why.msg);
		store_close(t);
	}
}

/* What the token lets out of the key: nothing */
static void test_key_attrs(void)
{
	struct store_conf sc = p11_conf("ue", "pc5keyd-store");
	struct errmsg why = { "" };
	unsigned char val[64];
	CK_BBOOL tok = CK_FALSE;
	CK_ATTRIBUTE a[] = { { CKA_VALUE, val, sizeof(val) } };
	CK_ATTRIBUTE b[] = { { CKA_TOKEN, &tok, sizeof(tok) } };
	struct store *s;
	CK_RV rv;

	if (store_open(&sc, false, NULL, &s, &why)) {
		CHECK(0, "open: %s", why.msg);
		return;
	}
	rv = s->f->C_GetAttributeValue(s->sess, s->key, a, 1);
	CHECK(rv == CKR_ATTRIBUTE_SENSITIVE, "CKA_VALUE must not come out: rv 0x%lx",
	      (unsigned long)rv);
	rv = s->f->C_GetAttributeValue(s->sess, s->key, b, 1);
	CHECK(rv == CKR_OK && tok, "the key is a token object (survives the session)");
	store_close(s);
}

static void test_roundtrip(void)
{
	struct store_conf sc = p11_conf("ue", "pc5keyd-store");
	struct errmsg why = { "" };
	unsigned char raw[16], file[4096], out[4096];
	char path[256];
	size_t n, len = sizeof(out);
	struct store *s;
	int err;

	if (store_open(&sc, false, NULL, &s, &why)) {
		CHECK(0, "open: %s", why.msg);
		return;
	}
	err = store_put(s, "keys-000042", doc, strlen(doc), &why);
	CHECK(!err, "put: %d '%s'", err, why.msg);
	CHECK(store_exists(s, "keys-000042") && !store_exists(s, "keys-000043"),
	      "store_exists");
	snprintf(path, sizeof(path), "%s/keys-000042.sealed", dir);
	n = read_all(path, file, sizeof(file));
	CHECK(n == strlen(doc) + STORE_OVERHEAD, "sealed record: %zu octets, want %zu", n,
	      strlen(doc) + STORE_OVERHEAD);
	for (size_t i = 0; i < sizeof(raw); i++)
		sscanf(pgk_hex + 2 * i, "%2hhx", &raw[i]);
	CHECK(!has(file, n, pgk_hex, strlen(pgk_hex)) && !has(file, n, raw, sizeof(raw)) &&
	      !has(file, n, "KEY_RESPONSE", 12),
	      "the sealed record holds neither the PGK (hex or bytes) nor the document");
	CHECK(!memcmp(file, STORE_MAGIC, STORE_MAGIC_LEN) && file[8] == STORE_PKCS11,
	      "record header");
	err = store_get(s, "keys-000042", out, &len, &why);
	CHECK(!err && len == strlen(doc) && !memcmp(out, doc, len),
	      "get returns the document: %d '%s'", err, why.msg);
	snprintf(path, sizeof(path), "%s/keys-000042.xml", dir);
	CHECK(access(path, F_OK), "no plaintext file next to it");
	/* each put, a new IV: two seals of the same text differ */
	store_put(s, "keys-000042", doc, strlen(doc), &why);
	snprintf(path, sizeof(path), "%s/keys-000042.sealed", dir);
	CHECK(read_all(path, out, sizeof(out)) == n && memcmp(out, file, n),
	      "sealing again gives another record");
	len = 8;
	err = store_get(s, "keys-000042", out, &len, &why);
	CHECK(err == -EFBIG, "a buffer too small: -EFBIG, got %d", err);
	len = sizeof(out);
	err = store_get(s, "keys-000099", out, &len, &why);
	CHECK(err == -ENOENT, "absent: -ENOENT, got %d", err);
	store_close(s);
}

/* Each altered octet, another name, another token: the record does not open */
static void test_refusals(void)
{
	struct store_conf sc = p11_conf("ue", "pc5keyd-store");
	struct store_conf so = p11_conf("other", "pc5keyd-store");
	struct errmsg why = { "" };
	unsigned char rec[4096], out[4096];
	char path[256], path2[256];
	size_t n, len;
	struct store *s, *o;
	int err;

	if (store_open(&sc, false, NULL, &s, &why)) {
		CHECK(0, "open: %s", why.msg);
		return;
	}
	store_put(s, "keys-000042", doc, strlen(doc), &why);
	snprintf(path, sizeof(path), "%s/keys-000042.sealed", dir);
	n = read_all(path, rec, sizeof(rec));
	/* the backend octet, the IV, the ciphertext, the tag */
	size_t at[] = { 8, 9, 25, n - 20, n - 1 };

	for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		rec[at[i]] ^= 0x01;
		state_write_file(dir, "keys-000042.sealed", rec, n, &why);
		rec[at[i]] ^= 0x01;
		len = sizeof(out);
		errmsg_clear(&why);
		err = store_get(s, "keys-000042", out, &len, &why);
		CHECK(err == -EBADMSG && why.msg[0], "octet %zu altered: want -EBADMSG, got %d '%s'",
		      at[i], err, why.msg);
	}
	state_write_file(dir, "keys-000042.sealed", rec, n, &why);
	/* moved to another group's name */
	snprintf(path2, sizeof(path2), "%s/keys-000043.sealed", dir);
	state_write_file(dir, "keys-000043.sealed", rec, n, &why);
	len = sizeof(out);
	err = store_get(s, "keys-000043", out, &len, &why);
	CHECK(err == -EBADMSG && strstr(why.msg, "does not open"),
	      "another group's record: want -EBADMSG, got %d '%s'", err, why.msg);
	unlink(path2);
	/* truncated */
	state_write_file(dir, "keys-000044.sealed", rec, 20, &why);
	len = sizeof(out);
	err = store_get(s, "keys-000044", out, &len, &why);
	CHECK(err == -EBADMSG && strstr(why.msg, "not a sealed record"),
	      "truncated: got %d '%s'", err, why.msg);
	/* another token (a copied disk in another UE): its own key */
	err = store_open(&so, true, NULL, &o, &why);
	CHECK(!err, "the other token: %d '%s'", err, why.msg);
	if (!err) {
		len = sizeof(out);
		err = store_get(o, "keys-000042", out, &len, &why);
		CHECK(err == -EBADMSG, "another token's key does not open it: got %d '%s'", err,
		      why.msg);
		store_close(o);
	}
	len = sizeof(out);
	err = store_get(s, "keys-000042", out, &len, &why);
	CHECK(!err && len == strlen(doc), "the untouched record still opens: %d '%s'", err,
	      why.msg);
	store_close(s);
}

/* Wrong settings: refused, each saying what to fix */
static void test_bad_settings(void)
{
	struct errmsg why = { "" };
	struct store_conf sc;
	struct store *s;
	int err;

	sc = p11_conf("ue", "pc5keyd-store");
	sc.p11_pin_file = badpin;
	err = store_open(&sc, false, NULL, &s, &why);
	CHECK(err == -EACCES && strstr(why.msg, "wrong PIN"), "wrong PIN: %d '%s'", err,
	      why.msg);
	sc = p11_conf("nosuch", "pc5keyd-store");
	err = store_open(&sc, false, NULL, &s, &why);
	CHECK(err == -ENODEV && strstr(why.msg, "\"nosuch\""), "no such token: %d '%s'", err,
	      why.msg);
	sc = p11_conf("ue", "pc5keyd-store");
	sc.p11_module = "/nonexistent/module.so";
	err = store_open(&sc, false, NULL, &s, &why);
	CHECK(err == -ENOENT && strstr(why.msg, "pkcs11-module"), "no module: %d '%s'", err,
	      why.msg);
	sc = p11_conf("ue", "pc5keyd-store");
	sc.p11_module = "/lib/x86_64-linux-gnu/libc.so.6";
	err = store_open(&sc, false, NULL, &s, &why);
	CHECK(err == -ENOEXEC && strstr(why.msg, "not a PKCS#11 module"),
	      "not a module: %d '%s'", err, why.msg);
	sc = p11_conf("ue", "pc5keyd-store");
	sc.p11_pin_file = "/nonexistent/pin";
	err = store_open(&sc, false, NULL, &s, &why);
	CHECK(err == -ENOENT && strstr(why.msg, "pkcs11-pin-file"), "no PIN file: %d '%s'",
	      err, why.msg);
}

/* A key that can leave the token protects nothing: refused */
static void test_extractable(void)
{
	struct store_conf sc = p11_conf("ue", "pc5keyd-store");
	struct errmsg why = { "" };
	CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
	CK_KEY_TYPE type = CKK_AES;
	CK_BBOOL yes = CK_TRUE;
	CK_ULONG vlen = 32;
	CK_ATTRIBUTE gen[] = {
		{ CKA_CLASS, &cls, sizeof(cls) },
		{ CKA_KEY_TYPE, &type, sizeof(type) },
		{ CKA_LABEL, "weak", 4 },
		{ CKA_TOKEN, &yes, sizeof(yes) },
		{ CKA_EXTRACTABLE, &yes, sizeof(yes) },
		{ CKA_ENCRYPT, &yes, sizeof(yes) },
		{ CKA_DECRYPT, &yes, sizeof(yes) },
		{ CKA_VALUE_LEN, &vlen, sizeof(vlen) },
	};
	CK_MECHANISM m = { CKM_AES_KEY_GEN, NULL, 0 };
	CK_OBJECT_HANDLE h;
	struct store *s, *w;
	int err;

	if (store_open(&sc, false, NULL, &s, &why)) {
		CHECK(0, "open: %s", why.msg);
		return;
	}
	CHECK(s->f->C_GenerateKey(s->sess, &m, gen, sizeof(gen) / sizeof(gen[0]), &h) == CKR_OK,
	      "an extractable key made for the test");
	sc.p11_key = "weak";
	err = store_open(&sc, false, NULL, &w, &why);
	CHECK(err == -EPERM && strstr(why.msg, "extractable"),
	      "an extractable key is refused: %d '%s'", err, why.msg);
	if (!err)
		store_close(w);
	store_close(s);
}

/* key-store file: today's plaintext files, and nothing sealed */
static void test_file(void)
{
	struct store_conf sc = { .kind = STORE_FILE, .dir = dir };
	struct errmsg why = { "" };
	unsigned char out[4096];
	char path[256];
	size_t len = sizeof(out);
	struct store *s;
	int err;

	err = store_open(&sc, false, NULL, &s, &why);
	CHECK(!err && !store_sealed(s), "file store: %d", err);
	if (err)
		return;
	err = store_put(s, "keys-000050", doc, strlen(doc), &why);
	snprintf(path, sizeof(path), "%s/keys-000050.xml", dir);
	CHECK(!err && read_all(path, out, sizeof(out)) == strlen(doc) &&
	      !memcmp(out, doc, strlen(doc)), "file store writes keys-000050.xml as is");
	err = store_get(s, "keys-000050", out, &len, &why);
	CHECK(!err && len == strlen(doc), "and reads it back");
	CHECK(!store_drop_plain(s, "keys-000050", &why) && !access(path, F_OK),
	      "a file store keeps its plaintext");
	store_close(s);
}

int main(void)
{
	char cmd[512];

	if (setup()) {
		test_open();
		test_key_attrs();
		test_roundtrip();
		test_refusals();
		test_bad_settings();
		test_extractable();
		test_file();
		test_tpm2();
		snprintf(cmd, sizeof(cmd), "kill $(cat %s/tpm0.pid) $(cat %s/tpm1.pid); rm -rf %s", top,
			 top, top);
		sh(cmd);
	}
	return check_summary();
}
