/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PC5SEC_PARALLEL_H
#define _PC5SEC_PARALLEL_H

#include <linux/netdevice.h>
#include <linux/ptr_ring.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "cipher.h"

/*
 * Packets (or frames) a queue holds at most between submission and its
 * finish: an skb, a PEK reference and a device reference each. Beyond
 * it, a packet is dropped and counted in the link's dropped counter, as
 * WireGuard does at MAX_QUEUED_PACKETS: never a block of the stack.
 */
#define PC5SEC_QUEUE_MAX	1024

/* One CPU's worker of a queue; it empties the queue's ring. */
struct pc5sec_worker {
	struct work_struct work;
	struct pc5sec_queue *q;
};

/*
 * One direction of a link's packet path spread over every online CPU
 * (parallel.c). Lives in the link's private memory: set up in ndo_init,
 * freed in the destructor, once no packet holds the device any more.
 */
struct pc5sec_queue {
	/* Packets for any CPU's worker; producers hold @lock. */
	struct ptr_ring ring;
	struct pc5sec_worker __percpu *workers;
	int last_cpu;			/* round robin; racy reads are fine */
	/*
	 * Every queued packet in submission order (TX: COUNT order; RX:
	 * arrival order), from its submission until @serial takes it off
	 * the head to finish it; the workers only set its state. @lock.
	 */
	spinlock_t lock;
	struct sk_buff_head order;
	/*
	 * Finishes the packets at the head whose cipher is done, in order
	 * (drain(), also called by @serial_cpu's worker). @draining lets one
	 * drainer at a time; and drains run on @serial_cpu while it is
	 * online, because what a TX finish hands on (the lower device's
	 * backlog) is per CPU: two CPUs would reorder it again. Not used
	 * by a queue with a NAPI poll (@napi_on).
	 */
	struct work_struct serial;
	int serial_cpu;
	unsigned long draining;		/* bit 0: someone finishes (drain) */
	/*
	 * Packets handed to the workers, and packets refused because the
	 * queue was full (also counted as the link's dropped). @lock: taken
	 * to queue a packet anyway, so these cost no atomic of their own.
	 */
	u64 queued;
	u64 full;
	/* Submitted and not finished yet: 0 means inline keeps the order. */
	atomic_t inflight;
	bool encrypt;
	/*
	 * RX: the queue finishes its frames in a NAPI poll of its own
	 * (pc5sec_queue_init_napi), on the CPU of the worker that ciphered
	 * them, instead of on @serial_cpu: one poll at a time, whatever the
	 * CPU, keeps the order, and GRO is the poll's own. From ndo_init to
	 * the destructor; @unflushed: finished in polls that have not
	 * completed yet (GRO may still hold them), so still @inflight.
	 */
	bool napi_on;
	unsigned int unflushed;		/* the poll's */
	struct napi_struct napi;
	pc5sec_crypt_done_t finish;	/* tx_done or rx_done_napi */
	/* A packet ciphered inline that completed asynchronously. */
	pc5sec_crypt_done_t finish_inline;	/* tx_done or rx_done */
	pc5sec_crypt_done_t crypt_done;	/* sets a packet's state */
};

/* The crypto workers (main.c creates it, with the module's pc5sec_wq). */
extern struct workqueue_struct *pc5sec_crypt_wq;

int pc5sec_queue_init(struct pc5sec_queue *q, bool encrypt,
		      pc5sec_crypt_done_t finish,
		      pc5sec_crypt_done_t crypt_done);
void pc5sec_queue_init_napi(struct pc5sec_queue *q, struct net_device *dev,
			    pc5sec_crypt_done_t finish);
void pc5sec_queue_free(struct pc5sec_queue *q);
int pc5sec_queue_crypt(struct pc5sec_queue *q, struct sk_buff *skb);
int pc5sec_queue_submit(struct pc5sec_queue *q, struct sk_buff *skb);
int pc5sec_queue_done(struct pc5sec_queue *q, struct sk_buff *skb);
void pc5sec_queue_counts(struct pc5sec_queue *q, u64 *queued, u64 *full);
void pc5sec_queue_crypt_done(struct pc5sec_queue *q, struct sk_buff *skb,
			     int err);

#endif /* _PC5SEC_PARALLEL_H */
