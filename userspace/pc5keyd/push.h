/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PKMF's push (issue 16): a UDP datagram that tells pc5keyd to fetch
 * now, rather than at its next scheduled fetch, so that a revocation
 * takes effect within a second. It carries no key and no instruction
 * beyond "fetch": everything still comes over the mutually authenticated
 * PC3 TLS, so a forged or replayed push can at worst cause a fetch, and
 * pc5keyd refuses both before that.
 *
 * 48 octets:
 *   0   "PC5P"
 *   4   version 1, then three zero octets
 *   8   sequence number, 64-bit big-endian: larger than the last one
 *       accepted under the same key (the PKMF uses its clock in us)
 *   16  HMAC-SHA-256 of octets 0-15, keyed with the push-key of the
 *       UE's last KEY_RESPONSE (Documentation/pc3/pc3.xsd)
 *
 * The datagram's functions are pure code; push_listen() and push_read()
 * are the socket.
 */
#ifndef PC5KEYD_PUSH_H
#define PC5KEYD_PUSH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/errmsg.h"
#include "pc3.h"

#define PUSH_LEN	48

struct push_key {
	bool set;
	uint8_t key[PC3_PUSH_KEY_LEN];
	uint64_t last_seq;		/* the last push accepted under it */
	double log_next;		/* monotonic s: when a refusal may be logged */
};

/* A new key (each KEY_RESPONSE that has one): the old one is wiped. */
void push_key_set(struct push_key *pk, const uint8_t key[PC3_PUSH_KEY_LEN]);
void push_key_wipe(struct push_key *pk);

/* The datagram for sequence number @seq under @key (tests, tools). */
int push_make(const uint8_t key[PC3_PUSH_KEY_LEN], uint64_t seq,
	      uint8_t out[PUSH_LEN]);

/*
 * 0 if @buf (@len octets) is a push under @pk's key with a sequence
 * number above the last accepted, which it then becomes; else a negative
 * errno and @why: no key yet, wrong length or header, bad MAC (compared
 * in constant time), replayed.
 */
int push_accept(struct push_key *pk, const uint8_t *buf, size_t len,
		struct errmsg *why);

/*
 * A non-blocking UDP socket on @port of any address, IPv4 and IPv6; the
 * descriptor, or a negative errno and @why.
 */
int push_listen(uint16_t port, struct errmsg *why);

/*
 * Reads every datagram waiting on @fd; true if one proved itself (the
 * caller fetches). Refusals are logged at most once every 10 s: anyone
 * can send them.
 */
bool push_read(int fd, struct push_key *pk);

#endif /* PC5KEYD_PUSH_H */
