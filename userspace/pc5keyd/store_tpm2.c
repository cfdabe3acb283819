// SPDX-License-Identifier: GPL-2.0
/*
 * key-store tpm2: the store's data key, sealed to this UE's TPM 2.0
 * (tpm2-tss ESAPI). See store.h.
 *
 * The data key (32 random octets) is a TPM sealed data object under a
 * primary storage key of the owner hierarchy (ECC P-256, the same
 * template each time, so the TPM derives the same key from its owner
 * seed: nothing to persist in the TPM's NV). The object's public and
 * private parts are a file of the state directory, store-key.tpm2; its
 * private part is encrypted by the primary key, which never leaves the
 * TPM, so the file opens in this TPM only (fixedTPM, fixedParent). It is
 * created by pc5keyd --init and unsealed once per open; the TPM is not
 * used again until the next. The data key travels to and from the TPM
 * encrypted (a salted session with parameter encryption), so a probe on
 * the TPM's bus does not see it either.
 *
 * Not bound to PCRs: a policy on the boot measurements would make every
 * firmware or kernel update lock the store (the UE would then fetch anew
 * from the PKMF); left for the operator to choose (pc5keyd.conf(5)).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include <tss2/tss2_esys.h>
#include <tss2/tss2_mu.h>
#include <tss2/tss2_rc.h>
#include <tss2/tss2_tctildr.h>

#include "state.h"
#include "store.h"

#define KEY_FILE	"store-key.tpm2"
#define KEY_MAGIC	"PC5TPMK1"

struct tpm {
	TSS2_TCTI_CONTEXT *tcti;
	ESYS_CONTEXT *esys;
	ESYS_TR primary, session, obj;
};

static int tss_fail(struct errmsg *why, int err, const char *call, TSS2_RC rc)
{
	return fail(why, err, "tpm2: %s: %s", call, Tss2_RC_Decode(rc));
}

static void tpm_close(struct tpm *t)
{
	if (t->esys) {
		if (t->obj != ESYS_TR_NONE)
			Esys_FlushContext(t->esys, t->obj);
		if (t->session != ESYS_TR_NONE)
			Esys_FlushContext(t->esys, t->session);
		if (t->primary != ESYS_TR_NONE)
			Esys_FlushContext(t->esys, t->primary);
		Esys_Finalize(&t->esys);
	}
	if (t->tcti)
		Tss2_TctiLdr_Finalize(&t->tcti);
}

/* The TPM, its primary storage key, and an encrypting session salted by it */
static int tpm_begin(struct tpm *t, const char *tcti, struct errmsg *why)
{
	TPM2B_SENSITIVE_CREATE none = { 0 };
	TPM2B_DATA outside = { 0 };
	TPML_PCR_SELECTION pcrs = { 0 };
	TPM2B_PUBLIC tmpl = {
		.publicArea = {
			.type = TPM2_ALG_ECC,
			.nameAlg = TPM2_ALG_SHA256,
			.objectAttributes = TPMA_OBJECT_USERWITHAUTH | TPMA_OBJECT_RESTRICTED |
					    TPMA_OBJECT_DECRYPT | TPMA_OBJECT_FIXEDTPM |
					    TPMA_OBJECT_FIXEDPARENT |
					    TPMA_OBJECT_SENSITIVEDATAORIGIN | TPMA_OBJECT_NODA,
			.parameters.eccDetail = {
				.symmetric = {
					.algorithm = TPM2_ALG_AES,
					.keyBits.aes = 128,
					.mode.aes = TPM2_ALG_CFB,
				},
				.scheme.scheme = TPM2_ALG_NULL,
				.curveID = TPM2_ECC_NIST_P256,
				.kdf.scheme = TPM2_ALG_NULL,
			},
		},
	};
	TPMT_SYM_DEF sym = {
		.algorithm = TPM2_ALG_AES, .keyBits.aes = 128, .mode.aes = TPM2_ALG_CFB,
	};
	TSS2_RC rc;

	t->primary = t->session = t->obj = ESYS_TR_NONE;
	/* tpm2-tss logs every TPM error to stderr; pc5keyd logs its own sentence */
	setenv("TSS2_LOG", "all+NONE", 0);
	rc = Tss2_TctiLdr_Initialize(tcti, &t->tcti);
	if (rc != TSS2_RC_SUCCESS)
		return fail(why, -ENODEV, "tpm2-tcti \"%s\": no TPM there (%s)", tcti,
			    Tss2_RC_Decode(rc));
	rc = Esys_Initialize(&t->esys, t->tcti, NULL);
	if (rc != TSS2_RC_SUCCESS)
		return tss_fail(why, -ENODEV, "Esys_Initialize", rc);
	rc = Esys_CreatePrimary(t->esys, ESYS_TR_RH_OWNER, ESYS_TR_PASSWORD, ESYS_TR_NONE,
				ESYS_TR_NONE, &none, &tmpl, &outside, &pcrs, &t->primary,
				NULL, NULL, NULL, NULL);
	if (rc != TSS2_RC_SUCCESS)
		return tss_fail(why, -EACCES, "CreatePrimary (owner hierarchy)", rc);
	rc = Esys_StartAuthSession(t->esys, t->primary, ESYS_TR_NONE, ESYS_TR_NONE,
				   ESYS_TR_NONE, ESYS_TR_NONE, NULL, TPM2_SE_HMAC, &sym,
				   TPM2_ALG_SHA256, &t->session);
	if (rc == TSS2_RC_SUCCESS)
		rc = Esys_TRSess_SetAttributes(t->esys, t->session,
					       TPMA_SESSION_DECRYPT | TPMA_SESSION_ENCRYPT |
					       TPMA_SESSION_CONTINUESESSION, 0xff);
	if (rc != TSS2_RC_SUCCESS)
		return tss_fail(why, -EIO, "StartAuthSession", rc);
	return 0;
}

/* A new data key, sealed: store-key.tpm2 */
static int tpm_create(struct tpm *t, const char *dir, uint8_t dek[STORE_DEK_LEN],
		      struct errmsg *why)
{
	TPM2B_SENSITIVE_CREATE sens = { .sensitive.data.size = STORE_DEK_LEN };
	TPM2B_DATA outside = { 0 };
	TPML_PCR_SELECTION pcrs = { 0 };
	TPM2B_PUBLIC tmpl = {
		.publicArea = {
			.type = TPM2_ALG_KEYEDHASH,
			.nameAlg = TPM2_ALG_SHA256,
			/* a sealed data object: no sign, no decrypt, data from us */
			.objectAttributes = TPMA_OBJECT_USERWITHAUTH | TPMA_OBJECT_FIXEDTPM |
					    TPMA_OBJECT_FIXEDPARENT | TPMA_OBJECT_NODA,
			.parameters.keyedHashDetail.scheme.scheme = TPM2_ALG_NULL,
		},
	};
	TPM2B_PRIVATE *priv = NULL;
	TPM2B_PUBLIC *pub = NULL;
	uint8_t buf[2048];
	size_t off;
	TSS2_RC rc;
	int err;

	if (getrandom(dek, STORE_DEK_LEN, 0) != STORE_DEK_LEN)
		return fail(why, -EIO, "getrandom: %s", strerror(errno));
	memcpy(sens.sensitive.data.buffer, dek, STORE_DEK_LEN);
	rc = Esys_Create(t->esys, t->primary, ESYS_TR_PASSWORD, t->session, ESYS_TR_NONE,
			 &sens, &tmpl, &outside, &pcrs, &priv, &pub, NULL, NULL, NULL);
	explicit_bzero(&sens, sizeof(sens));
	if (rc != TSS2_RC_SUCCESS)
		return tss_fail(why, -EIO, "Create (sealed data key)", rc);
	memcpy(buf, KEY_MAGIC, 8);
	off = 8;
	rc = Tss2_MU_TPM2B_PUBLIC_Marshal(pub, buf, sizeof(buf), &off);
	if (rc == TSS2_RC_SUCCESS)
		rc = Tss2_MU_TPM2B_PRIVATE_Marshal(priv, buf, sizeof(buf), &off);
	Esys_Free(priv);
	Esys_Free(pub);
	if (rc != TSS2_RC_SUCCESS)
		return tss_fail(why, -EIO, "marshal", rc);
	err = state_write_file(dir, KEY_FILE, buf, off, why);
	return err;
}

/* The data key out of store-key.tpm2: loaded under the primary, unsealed */
static int tpm_unseal(struct tpm *t, const char *dir, uint8_t dek[STORE_DEK_LEN],
		      struct errmsg *why)
{
	TPM2B_SENSITIVE_DATA *out = NULL;
	TPM2B_PRIVATE priv = { 0 };
	TPM2B_PUBLIC pub = { 0 };
	uint8_t buf[2048];
	size_t len = sizeof(buf), off = 8;
	TSS2_RC rc;
	int err;

	err = state_read_file(dir, KEY_FILE, buf, &len, why);
	if (err == -ENOENT)
		return fail(why, -ENOKEY, "%s/%s: no sealed data key (pc5keyd --init makes it)",
			    dir, KEY_FILE);
	if (err)
		return err;
	if (len < 8 || memcmp(buf, KEY_MAGIC, 8) ||
	    Tss2_MU_TPM2B_PUBLIC_Unmarshal(buf, len, &off, &pub) != TSS2_RC_SUCCESS ||
	    Tss2_MU_TPM2B_PRIVATE_Unmarshal(buf, len, &off, &priv) != TSS2_RC_SUCCESS ||
	    off != len)
		return fail(why, -EBADMSG, "%s/%s: not a sealed data key", dir, KEY_FILE);
	rc = Esys_Load(t->esys, t->primary, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE,
		       &priv, &pub, &t->obj);
	if (rc != TSS2_RC_SUCCESS)
		return fail(why, -EBADMSG, "%s/%s: this TPM does not load it (another TPM's, "
			    "or its owner seed changed): %s", dir, KEY_FILE, Tss2_RC_Decode(rc));
	rc = Esys_Unseal(t->esys, t->obj, ESYS_TR_PASSWORD, t->session, ESYS_TR_NONE, &out);
	if (rc != TSS2_RC_SUCCESS)
		return tss_fail(why, -EBADMSG, "Unseal", rc);
	if (out->size != STORE_DEK_LEN)
		err = fail(why, -EBADMSG, "%s/%s: a data key of %u octets", dir, KEY_FILE,
			   out->size);
	else
		memcpy(dek, out->buffer, STORE_DEK_LEN);
	explicit_bzero(out, sizeof(*out));
	Esys_Free(out);
	return err;
}

int store_tpm2_dek(const char *tcti, const char *dir, bool create, bool *created,
		   uint8_t dek[STORE_DEK_LEN], struct errmsg *why)
{
	struct tpm t = { 0 };
	char path[512];
	int err;

	err = tpm_begin(&t, tcti, why);
	if (!err) {
		snprintf(path, sizeof(path), "%s/%s", dir, KEY_FILE);
		if (create && access(path, F_OK)) {
			err = tpm_create(&t, dir, dek, why);
			if (!err && created)
				*created = true;
		} else {
			err = tpm_unseal(&t, dir, dek, why);
		}
	}
	tpm_close(&t);
	if (err)
		explicit_bzero(dek, STORE_DEK_LEN);
	return err;
}
