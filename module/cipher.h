/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PC5SEC_CIPHER_H
#define _PC5SEC_CIPHER_H

#include <linux/skbuff.h>
#include <linux/refcount.h>
#include <linux/workqueue.h>
#include <crypto/skcipher.h>
#include <crypto/aead.h>

#include "compat.h"

/*
 * A cipher transform keyed with the PEK of one (sender, PGK, PTK Identity).
 * Holders: the slot that published it (TX state of a PGK, or a receiver's
 * state), plus one reference per request in flight. The last put frees it
 * after an RCU grace period (readers may still see it in its slot), from
 * the RCU callback, as MACsec frees its transforms.
 */
struct pc5sec_pek {
	refcount_t refs;
	u16 ptk_id;
	u8 cipher;
	struct crypto_skcipher *tfm;	/* EEA1-3; NULL otherwise */
	struct crypto_aead *aead;	/* AEAD suites; NULL otherwise */
	struct rcu_head rcu;
};

bool pc5sec_cipher_supported(u8 cipher);
bool pc5sec_cipher_available(u8 cipher);
bool pc5sec_cipher_is_aead(u8 cipher);
unsigned int pc5sec_cipher_overhead(u8 cipher);
const char *pc5sec_cipher_name(u8 cipher);

struct pc5sec_pek *pc5sec_pek_new(u8 cipher, const u8 *pgk, u32 member,
				  u16 ptk_id, u32 group);
struct pc5sec_pek *pc5sec_pek_new_raw(u8 cipher, const u8 *key,
				      unsigned int key_len, u16 ptk_id);
void pc5sec_pek_free(struct pc5sec_pek *pek);

/* Every packet puts one: inline, the free (after a grace period) is not. */
static inline void pc5sec_pek_put(struct pc5sec_pek *pek)
{
	if (pek && refcount_dec_and_test(&pek->refs))
		pc5sec_pek_free(pek);
}

void pc5sec_cipher_exit(void);

/* Continues a packet after its cipher operation; @err < 0 drops it. */
typedef void (*pc5sec_crypt_done_t)(struct sk_buff *skb, int err);

int pc5sec_crypt(struct sk_buff *skb, unsigned int offset, bool encrypt,
		 struct pc5sec_pek *pek, u32 count, pc5sec_crypt_done_t done);

struct pc5sec_rx_sa;
struct pc5sec_rx_wait;

/* Per-packet state kept in skb->cb while the packet is inside pc5sec. */
struct pc5sec_cb {
	struct pc5sec_pek *pek;		/* reference held */
	void *req_mem;			/* the request memory */
	pc5sec_crypt_done_t done;
	union {
		unsigned int sdu_len;		/* TX */
		struct pc5sec_rx_sa *sa;	/* RX: reference held */
		struct pc5sec_rx_wait *wait;	/* RX in rx_work */
	};
	u32 count;
	u32 sender;
	u8 pgk_index;
	bool req_cached;		/* req_mem goes back to a CPU's cache */
	bool checked;			/* RX: rx_work deciphered and counted it */
	atomic_t state;			/* in a queue: see parallel.c */
};

static inline struct pc5sec_cb *pc5sec_cb(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct pc5sec_cb) > sizeof(skb->cb));
	return (struct pc5sec_cb *)skb->cb;
}

#endif /* _PC5SEC_CIPHER_H */
