// SPDX-License-Identifier: GPL-2.0
/*
 * The cipher suites on skbs: one request memory per packet (request, IV
 * and scatterlist together, never on the stack, so that asynchronous
 * implementations work; see req_alloc), in place over the Data field.
 *
 * 128-EEA2 is ctr(aes) with the 3GPP counter block, and 128-EEA1 and
 * 128-EEA3 are pc5sec-algs.ko's snow3g-eea1 and zuc-eea3 with the same
 * block as their IV (algs/eea.c); the AEAD suites of the
 * spec page take nonce = 8 zero octets || COUNT, AAD = the 12-octet header,
 * and append a 16-octet tag to the Data field.
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/scatterlist.h>
#include <linux/percpu.h>
#include "compat.h"	/* get_unaligned_*() */
#include <crypto/skcipher.h>
#include <linux/pc5sec.h>

#include "cipher.h"
#include "kdf.h"
#include "pc5sec.h"

#define STREAM_IV_LEN	16
#define AEAD_IV_LEN	12
#define IV_MAX		16
#define PEK_MAX		32

bool pc5sec_cipher_is_aead(u8 cipher)
{
	return cipher == PC5SEC_CIPHER_AES_GCM_128 ||
	       cipher == PC5SEC_CIPHER_AES_GCM_256 ||
	       cipher == PC5SEC_CIPHER_CHACHA20_POLY1305;
}

/* The skcipher of a stream suite; NULL for the others */
static const char *skcipher_name(u8 cipher)
{
	switch (cipher) {
	case PC5SEC_CIPHER_EEA1: return "snow3g-eea1";
	case PC5SEC_CIPHER_EEA2: return "ctr(aes)";
	case PC5SEC_CIPHER_EEA3: return "zuc-eea3";
	}
	return NULL;
}

bool pc5sec_cipher_supported(u8 cipher)
{
	return cipher == PC5SEC_CIPHER_EEA0 || skcipher_name(cipher) ||
	       pc5sec_cipher_is_aead(cipher);
}

/*
 * Whether the kernel has the suite's algorithm, loading its module if it
 * can (the crypto API asks modprobe for "crypto-snow3g-eea1"); process
 * context. Only eea1 and eea3 can be missing: pc5sec-algs.ko not loaded.
 */
bool pc5sec_cipher_available(u8 cipher)
{
	const char *name = skcipher_name(cipher);

	might_sleep();
	return !name || crypto_has_skcipher(name, 0, 0);
}

/* PEK bits per suite (spec page, cipher suites table), in octets. */
static unsigned int pek_len(u8 cipher)
{
	switch (cipher) {
	case PC5SEC_CIPHER_EEA1:
	case PC5SEC_CIPHER_EEA2:
	case PC5SEC_CIPHER_EEA3:
	case PC5SEC_CIPHER_AES_GCM_128:
		return 16;
	case PC5SEC_CIPHER_AES_GCM_256:
	case PC5SEC_CIPHER_CHACHA20_POLY1305:
		return 32;
	}
	return 0;
}

unsigned int pc5sec_cipher_overhead(u8 cipher)
{
	return PC5SEC_HDR_LEN + (cipher >= PC5SEC_CIPHER_AES_GCM_128 ?
				 PC5SEC_TAG_LEN : 0);
}

const char *pc5sec_cipher_name(u8 cipher)
{
	switch (cipher) {
	case PC5SEC_CIPHER_EEA0: return "eea0";
	case PC5SEC_CIPHER_EEA1: return "eea1";
	case PC5SEC_CIPHER_EEA2: return "eea2";
	case PC5SEC_CIPHER_EEA3: return "eea3";
	case PC5SEC_CIPHER_AES_GCM_128: return "aes-gcm-128";
	case PC5SEC_CIPHER_AES_GCM_256: return "aes-gcm-256";
	case PC5SEC_CIPHER_CHACHA20_POLY1305: return "chacha20-poly1305";
	}
	return "unknown";
}

static void pek_free_rcu(struct rcu_head *rcu)
{
	struct pc5sec_pek *pek = container_of(rcu, struct pc5sec_pek, rcu);

	/* crypto_free_* wipes the key schedule (kfree_sensitive). */
	crypto_free_skcipher(pek->tfm);
	crypto_free_aead(pek->aead);
	kfree(pek);
}

void pc5sec_pek_free(struct pc5sec_pek *pek)
{
	call_rcu(&pek->rcu, pek_free_rcu);
}

static struct pc5sec_pek *aead_new(struct pc5sec_pek *pek, const u8 *key,
				   unsigned int key_len)
{
	const char *alg = pek->cipher == PC5SEC_CIPHER_CHACHA20_POLY1305 ?
			  "rfc7539(chacha20,poly1305)" : "gcm(aes)";
	int err;

	pek->aead = crypto_alloc_aead(alg, 0, 0);
	if (IS_ERR(pek->aead)) {
		err = PTR_ERR(pek->aead);
		kfree(pek);
		return ERR_PTR(err);
	}
	err = crypto_aead_setkey(pek->aead, key, key_len);
	if (!err)
		err = crypto_aead_setauthsize(pek->aead, PC5SEC_TAG_LEN);
	if (!err && crypto_aead_ivsize(pek->aead) != AEAD_IV_LEN)
		err = -EINVAL;
	if (err) {
		crypto_free_aead(pek->aead);
		kfree(pek);
		return ERR_PTR(err);
	}
	return pek;
}

/* A transform keyed with @key; process context. */
struct pc5sec_pek *pc5sec_pek_new_raw(u8 cipher, const u8 *key,
				      unsigned int key_len, u16 ptk_id)
{
	struct pc5sec_pek *pek;
	int err;

	might_sleep();
	if (cipher != PC5SEC_CIPHER_EEA0 && key_len != pek_len(cipher))
		return ERR_PTR(-EINVAL);	/* a suite is one key size */
	pek = kzalloc(sizeof(*pek), GFP_KERNEL);
	if (!pek)
		return ERR_PTR(-ENOMEM);
	refcount_set(&pek->refs, 1);
	pek->ptk_id = ptk_id;
	pek->cipher = cipher;
	if (cipher == PC5SEC_CIPHER_EEA0)
		return pek;
	if (pc5sec_cipher_is_aead(cipher))
		return aead_new(pek, key, key_len);

	pek->tfm = crypto_alloc_skcipher(skcipher_name(cipher), 0, 0);
	if (IS_ERR(pek->tfm)) {
		err = PTR_ERR(pek->tfm);
		kfree(pek);
		return ERR_PTR(err);
	}
	err = crypto_skcipher_setkey(pek->tfm, key, key_len);
	if (err) {
		crypto_free_skcipher(pek->tfm);
		kfree(pek);
		return ERR_PTR(err);
	}
	return pek;
}

/*
 * The PEK of sender @member under @pgk for @ptk_id (TS 33.303 A.3, A.4).
 * The PTK and PEK bytes live on the stack only for the derivation.
 */
struct pc5sec_pek *pc5sec_pek_new(u8 cipher, const u8 *pgk, u32 member,
				  u16 ptk_id, u32 group)
{
	u8 ptk[PC5SEC_PTK_LEN], key[PEK_MAX];
	unsigned int len = pek_len(cipher);
	struct pc5sec_pek *pek;
	int err;

	if (cipher == PC5SEC_CIPHER_EEA0)
		return pc5sec_pek_new_raw(cipher, NULL, 0, ptk_id);
	if (!len)
		return ERR_PTR(-EOPNOTSUPP);

	err = pc5sec_derive_ptk(pgk, member, ptk_id, group, ptk);
	if (!err)
		err = pc5sec_derive_pek(ptk, cipher, key, len);
	pek = err ? ERR_PTR(err) : pc5sec_pek_new_raw(cipher, key, len, ptk_id);
	memzero_explicit(ptk, sizeof(ptk));
	memzero_explicit(key, sizeof(key));
	return pek;
}

/*
 * The request memory of a packet. A kmalloc(GFP_ATOMIC) per packet, zeroed
 * by init_on_alloc on Debian's kernels, cost about half as much as
 * ciphering a 64-octet packet (make bench, profile.sh). Each CPU keeps one
 * buffer of REQ_CACHE_SIZE octets instead: a packet takes it, and gives it
 * back when its request completes, which is at once and on the same CPU
 * with a synchronous implementation. A request that goes asynchronous
 * keeps its buffer until its completion (the next packet allocates one),
 * so that no two requests ever share memory. Larger requests (skbs with
 * many fragments) are allocated and freed as before.
 */
#define REQ_CACHE_SIZE	2048
static DEFINE_PER_CPU(void *, req_cache);

static void *req_alloc(unsigned int size)
{
	void *mem;

	if (size > REQ_CACHE_SIZE)
		return kmalloc(size, GFP_ATOMIC);
	mem = this_cpu_xchg(req_cache, NULL);
	return mem ?: kmalloc(REQ_CACHE_SIZE, GFP_ATOMIC);
}

static void req_free(void *mem, bool cached)
{
	if (!cached || this_cpu_cmpxchg(req_cache, NULL, mem))
		kfree(mem);
}

/* Module exit, once no request is in flight. */
void pc5sec_cipher_exit(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		kfree(per_cpu(req_cache, cpu));
		per_cpu(req_cache, cpu) = NULL;
	}
}

/*
 * @skb's octets from @offset, @len of them, into @sg (@nsg entries, as
 * skb_cow_data() counted them). A linear skb, nearly every one, takes a
 * single entry set here, without skb_to_sgvec()'s walk.
 */
static __always_inline int skb_sg(struct sk_buff *skb,
				  struct scatterlist *sg, int nsg,
				  unsigned int offset, unsigned int len)
{
	if (nsg == 1 && !skb_is_nonlinear(skb)) {
		memset(sg, 0, sizeof(*sg));
		sg_mark_end(sg);
		sg_set_buf(sg, skb->data + offset, len);
		return 1;
	}
	sg_init_table(sg, nsg);
	return skb_to_sgvec(skb, sg, offset, len);
}

/* 128-EEA1/2/3: COUNT || BEARER(0) || DIRECTION(0) || zeros */
static void stream_iv(u8 iv[STREAM_IV_LEN], u32 count)
{
	memset(iv, 0, STREAM_IV_LEN);
	put_unaligned_be32(count, iv);
}

static PC5SEC_CRYPTO_DONE(crypt_done)
{
	struct sk_buff *skb = PC5SEC_CRYPTO_DATA();
	struct pc5sec_cb *cb = pc5sec_cb(skb);

	req_free(cb->req_mem, cb->req_cached);
	cb->req_mem = NULL;
	/* Completions may come from process context (cryptd). */
	local_bh_disable();
	cb->done(skb, err);
	local_bh_enable();
}

/*
 * Ciphers skb data from @offset to the end in place, with @pek and COUNT
 * @count. The AEAD suites authenticate the @offset octets in front as AAD;
 * encryption appends the tag, decryption checks it (-EBADMSG; -EMSGSIZE if
 * there is no room for one) and leaves it for the caller to trim. Returns 0
 * when done (the caller continues), -EINPROGRESS when @done will be called
 * from the completion, or an error (the caller drops). The skb's pc5sec_cb
 * must stay intact until then.
 */
int pc5sec_crypt(struct sk_buff *skb, unsigned int offset, bool encrypt,
		 struct pc5sec_pek *pek, u32 count, pc5sec_crypt_done_t done)
{
	struct pc5sec_cb *cb = pc5sec_cb(skb);
	unsigned int len, req_off, size, tail = 0;
	struct scatterlist *sg;
	struct sk_buff *trailer;
	void *req;
	u8 *iv;
	int nsg, err;

	if (pek->cipher == PC5SEC_CIPHER_EEA0)
		return 0;	/* the Data field is the SDU */

	len = skb->len - offset;
	if (pek->aead) {
		if (encrypt)
			tail = PC5SEC_TAG_LEN;
		else if (len < PC5SEC_TAG_LEN)
			return -EMSGSIZE;	/* no room for a tag: malformed */
	}
	if (likely(!skb_cloned(skb) && !skb_is_nonlinear(skb) &&
		   skb_tailroom(skb) >= tail)) {
		/*
		 * One linear buffer of our own, as skb_cow_data() would find
		 * it: what almost every packet is, without its walk.
		 */
		nsg = 1;
		__skb_put(skb, tail);
	} else {
		nsg = skb_cow_data(skb, tail, &trailer);
		if (unlikely(nsg < 0))
			return nsg;
		if (tail && unlikely(!pskb_put(skb, trailer, tail)))
			return -ENOMEM;
	}

	/* iv | sg[nsg] | request + implementation context, one allocation */
	req_off = ALIGN(IV_MAX + nsg * sizeof(*sg), crypto_tfm_ctx_alignment());
	size = req_off + (pek->aead ?
			  sizeof(struct aead_request) +
			  crypto_aead_reqsize(pek->aead) :
			  sizeof(struct skcipher_request) +
			  crypto_skcipher_reqsize(pek->tfm));
	iv = req_alloc(size);
	if (unlikely(!iv))
		return -ENOMEM;
	sg = (struct scatterlist *)(iv + IV_MAX);
	req = iv + req_off;

	cb->req_mem = iv;
	cb->req_cached = size <= REQ_CACHE_SIZE;
	cb->done = done;
	if (pek->aead) {
		struct aead_request *areq = req;

		/* AAD and Data field (and tag) in one list, from the header */
		err = skb_sg(skb, sg, nsg, 0, skb->len);
		if (unlikely(err < 0))
			goto out;
		memset(iv, 0, AEAD_IV_LEN - 4);
		put_unaligned_be32(count, iv + AEAD_IV_LEN - 4);
		aead_request_set_tfm(areq, pek->aead);
		aead_request_set_callback(areq, 0, crypt_done, skb);
		aead_request_set_ad(areq, offset);
		/* cryptlen: the plaintext, or the ciphertext with its tag */
		aead_request_set_crypt(areq, sg, sg, len, iv);
		err = encrypt ? crypto_aead_encrypt(areq) :
				crypto_aead_decrypt(areq);
	} else {
		struct skcipher_request *sreq = req;

		err = skb_sg(skb, sg, nsg, offset, len);
		if (unlikely(err < 0))
			goto out;
		stream_iv(iv, count);
		skcipher_request_set_tfm(sreq, pek->tfm);
		skcipher_request_set_callback(sreq, 0, crypt_done, skb);
		skcipher_request_set_crypt(sreq, sg, sg, len, iv);
		err = encrypt ? crypto_skcipher_encrypt(sreq) :
				crypto_skcipher_decrypt(sreq);
	}
	/*
	 * No CRYPTO_TFM_REQ_MAY_BACKLOG, as in macsec and ESP: an asynchronous
	 * implementation whose queue is full refuses (-EBUSY, -ENOSPC) and the
	 * packet is dropped, instead of queueing without bound an skb and a
	 * device reference per frame that anyone on the air can send.
	 */
	if (err == -EINPROGRESS)
		return -EINPROGRESS;
out:
	cb->req_mem = NULL;
	req_free(iv, size <= REQ_CACHE_SIZE);
	return err;
}
