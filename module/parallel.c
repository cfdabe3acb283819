// SPDX-License-Identifier: GPL-2.0
/*
 * Ciphering on every CPU, finishing in order (issue 18).
 *
 * A single sender (one iperf3 stream, a push-to-talk application) would
 * otherwise keep every byte of its crypto on the CPU it runs on: TX
 * ciphers in its ndo_start_xmit, RX in the softirq of the CPU that took
 * the frame. As WireGuard does (queueing.c, send.c, receive.c), a link
 * has one queue per direction:
 *
 *   pc5sec_queue_crypt: the packet goes on the order list and on the
 *   ring, and the next online CPU's worker is kicked (round robin) ->
 *   worker: takes packets off the ring, ciphers each, sets
 *   its state -> drain (TX: on the queue's serial CPU, by its worker or
 *   the serial work; RX: in the queue's NAPI poll, on the worker's CPU):
 *   takes the packets off the head of the order list as long as their
 *   state is set, and finishes them (TX: transmits; RX: checks the window
 *   and delivers), one at a time, in submission order.
 *
 * So TX transmits in COUNT order (ndo_start_xmit runs under the link's
 * TX lock, where COUNTs are taken), and RX delivers each sender's frames
 * in the order they arrived. padata keeps the same order, but takes a
 * global lock and a work item per object; a ring drained by per-CPU
 * workers takes one work item per burst (Documentation/design.md).
 *
 * Inline, as before, is cheaper where there is little to spread
 * (inline_cheaper): then a packet is ciphered where it is, if nothing of
 * its link's direction is in flight, so that none overtakes another.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/cpumask.h>

#include "pc5sec.h"
#include "parallel.h"

struct workqueue_struct *pc5sec_crypt_wq;

/*
 * Where inline ciphering stops paying: packets shorter than this go
 * inline while their queue is empty. Measured by make bench-scaling
 * (bench/README.md); 0 sends every packet to the workers, and a value
 * above any MTU keeps everything inline, as before issue 18.
 */
static unsigned int parallel_min_len = 256;
module_param(parallel_min_len, uint, 0644);
MODULE_PARM_DESC(parallel_min_len,
		 "packets shorter than this are ciphered inline while none is queued (0: all parallel)");

/* A packet's state (pc5sec_cb.state) while its cipher runs. */
#define STATE_PENDING	1	/* then 0 (done) or a negative error */

static int online_after(int cpu)
{
	cpu = cpumask_next(cpu, cpu_online_mask);
	return cpu < nr_cpu_ids ? cpu : cpumask_first(cpu_online_mask);
}

/*
 * The next online CPU after the last one given work, round robin over
 * all of them, this one included, as WireGuard's
 * wg_cpumask_next_online(). Skipping this CPU (it goes on with the
 * sender or the softirq) put all of a direction's ciphering on the other
 * CPU of two, however the scheduler had placed the sender, the receiver
 * and the softirqs: the CPUs were 1.5 of 2 busy. Round robin, this CPU's
 * worker runs its half when the submitter lets go of the CPU, and both
 * were 1.8 busy, AES-GCM-128 carrying a third more (bench/README.md).
 */
static int next_cpu(struct pc5sec_queue *q)
{
	int cpu = online_after(READ_ONCE(q->last_cpu));

	WRITE_ONCE(q->last_cpu, cpu);
	return cpu;
}

static int serial_cpu(struct pc5sec_queue *q)
{
	int cpu = READ_ONCE(q->serial_cpu);

	/* Gone offline: another CPU, and a moment of reordering. */
	if (unlikely(!cpu_online(cpu))) {
		cpu = cpumask_first(cpu_online_mask);
		WRITE_ONCE(q->serial_cpu, cpu);
	}
	return cpu;
}

/*
 * Packets finished per BH-off section of drain(), as a NAPI poll's
 * budget: enough for GRO to merge a TCP burst before the stack sees it.
 */
#define DRAIN_BATCH	NAPI_POLL_WEIGHT

/*
 * Takes off the head of the order list, onto @done, the packets whose
 * cipher is done, up to @max: one lock for the lot. BH disabled.
 */
static unsigned int heads_done(struct pc5sec_queue *q,
			       struct sk_buff_head *done, unsigned int max)
{
	struct sk_buff *skb;
	unsigned int n = 0;

	spin_lock(&q->lock);
	while (n < max && (skb = skb_peek(&q->order)) &&
	       atomic_read_acquire(&pc5sec_cb(skb)->state) != STATE_PENDING) {
		__skb_unlink(skb, &q->order);
		__skb_queue_tail(done, skb);
		n++;
	}
	spin_unlock(&q->lock);
	return n;
}

/*
 * Finishes the ciphered packets at the head of the order list, in order,
 * on the serial CPU: from the serial work, or from that CPU's worker
 * itself, which saves a work item per packet. One drainer at a time
 * (@draining); one that finds it taken leaves its packet to the holder,
 * which looks at the head once more after letting go.
 *
 * Up to DRAIN_BATCH packets are finished in one BH-off section, so that
 * the softirq that takes them on (the lower device's backlog) runs once
 * for the batch, as it does for frames that a NAPI poll delivers. With a
 * BH-on between each, when RX drained here too, its GRO cell saw one
 * segment at a time and TCP sent an ACK for every second one, each
 * through the queues again (bench/README.md, "Using every core").
 *
 * A finish puts its packet's device reference, which may be the last:
 * @q is touched after it only from the workers and the serial work, which
 * the destructor flushes before the memory goes.
 */
static void drain(struct pc5sec_queue *q)
{
	struct sk_buff_head done;
	struct sk_buff *skb;
	int state;

	__skb_queue_head_init(&done);
	smp_mb();	/* our packet's state, before the look at @draining */
	while (!test_and_set_bit_lock(0, &q->draining)) {
		local_bh_disable();
		while (heads_done(q, &done, DRAIN_BATCH)) {
			while ((skb = __skb_dequeue(&done))) {
				state = atomic_read(&pc5sec_cb(skb)->state);
				q->finish(skb, state);
				atomic_dec(&q->inflight);
			}
			local_bh_enable();
			cond_resched();
			local_bh_disable();
		}
		local_bh_enable();
		clear_bit_unlock(0, &q->draining);
		smp_mb__after_atomic();	/* let go, then look again */
		spin_lock_bh(&q->lock);
		skb = skb_peek(&q->order);
		state = skb ? atomic_read(&pc5sec_cb(skb)->state) : STATE_PENDING;
		spin_unlock_bh(&q->lock);
		if (state == STATE_PENDING)
			return;
	}
}

static void serial(struct work_struct *work)
{
	drain(container_of(work, struct pc5sec_queue, serial));
}

/*
 * The NAPI poll of a queue that has one (RX): drain() without a serial
 * CPU. NAPI runs one poll of an instance at a time, on whichever CPU
 * scheduled it, so the order holds without one; and the frames go up
 * the stack on the worker's CPU, which ciphered them, without an IPI.
 * Frames stay @inflight until the poll completes and GRO has let them
 * go, so that an inline one cannot overtake them.
 *
 * A finish may put the device's last reference: the destructor's
 * napi_disable() waits for this poll to complete, and netif_napi_del()
 * for the softirq around it to end, before the memory goes.
 */
static int poll(struct napi_struct *napi, int budget)
{
	struct pc5sec_queue *q = container_of(napi, struct pc5sec_queue, napi);
	struct sk_buff_head done;
	struct sk_buff *skb;
	int n = 0;

	__skb_queue_head_init(&done);
	while (n < budget && heads_done(q, &done, budget - n)) {
		while ((skb = __skb_dequeue(&done))) {
			q->finish(skb, atomic_read(&pc5sec_cb(skb)->state));
			n++;
		}
	}
	q->unflushed += n;
	if (n < budget) {
		/* Its MISSED bit polls again for a kick during this poll. */
		napi_complete_done(napi, n);
		atomic_sub(q->unflushed, &q->inflight);
		q->unflushed = 0;
	}
	return n;
}

/*
 * Has the done packets at the head of the queue finished: RX's poll on
 * this CPU, TX's drain here if this is the serial CPU, else there.
 */
static void kick(struct pc5sec_queue *q)
{
	int cpu;

	if (q->napi_on) {
		if (!in_task()) {
			napi_schedule(&q->napi);
			return;
		}
		/* The poll runs here, as local_bh_enable() returns. */
		local_bh_disable();
		napi_schedule(&q->napi);
		local_bh_enable();
		return;
	}
	cpu = serial_cpu(q);
	/* drain() may sleep (cond_resched()): only with BH on, as a worker. */
	if (cpu == raw_smp_processor_id() && !in_interrupt())
		drain(q);
	else
		queue_work_on(cpu, pc5sec_crypt_wq, &q->serial);
}

/*
 * A packet's cipher is done (@err 0) or failed, in an asynchronous
 * implementation's completion. The packet is the drainer's from the
 * moment its state is set, and the last device reference may go with
 * it: hold the device until the serial work is queued.
 */
void pc5sec_queue_crypt_done(struct pc5sec_queue *q, struct sk_buff *skb,
			     int err)
{
	struct net_device *dev = skb->dev;

	dev_hold(dev);
	atomic_set_release(&pc5sec_cb(skb)->state, err);
	if (q->napi_on)
		kick(q);
	else
		queue_work_on(serial_cpu(q), pc5sec_crypt_wq, &q->serial);
	dev_put(dev);
}

/* Packets a worker takes off the ring at a time. */
#define WORKER_BATCH	16

/*
 * Ciphers what the ring holds, a batch at a time, and has each batch
 * finished (kick(): TX's drain() on the serial CPU, RX's NAPI poll here):
 * one kick a batch, not a packet.
 */
static void worker(struct work_struct *work)
{
	struct pc5sec_queue *q = container_of(work, struct pc5sec_worker,
					      work)->q;
	void *batch[WORKER_BATCH];
	struct pc5sec_cb *cb;
	struct sk_buff *skb;
	bool done;
	int err, i, n;

	while ((n = ptr_ring_consume_batched_bh(&q->ring, batch, WORKER_BATCH))) {
		done = false;
		for (i = 0; i < n; i++) {
			skb = batch[i];
			cb = pc5sec_cb(skb);
			err = pc5sec_crypt(skb, PC5SEC_HDR_LEN, q->encrypt,
					   cb->pek, cb->count, q->crypt_done);
			if (err == -EINPROGRESS)
				continue;
			/* A worker is flushed before @q goes: no device held. */
			atomic_set_release(&cb->state, err);
			done = true;
		}
		if (done)
			kick(q);
		cond_resched();
	}
}

/*
 * Whether ciphering @skb where it is costs less than handing it to a
 * worker (bench/README.md, "Using every core"): on one CPU; under EEA0,
 * which ciphers nothing; and below parallel_min_len, where the handoff
 * costs more than the cipher. 128-EEA2 stayed inline while the workers
 * left the submitting CPU out: its ctr(aes) (AES-NI) then gained nothing
 * on them. With every CPU in turn it carried 219 and 249 Mbit/s (TCP, 1
 * and 4 streams) against inline's 133 and 168 in the same boot.
 * parallel_min_len 0 sends every packet that is ciphered to the workers
 * (make bench-scaling's @parallel).
 */
static bool inline_cheaper(const struct sk_buff *skb, u8 cipher)
{
	return num_online_cpus() == 1 || cipher == PC5SEC_CIPHER_EEA0 ||
	       skb->len < READ_ONCE(parallel_min_len);
}

/*
 * Hands @skb to @q's workers, whatever its size: its cipher runs on the
 * next CPU's worker and drain() finishes it in submission order. Returns
 * -EINPROGRESS, or -ENOBUFS when the queue is full (the caller drops and
 * counts the packet, which is still its own). BH context. The KUnit suite
 * of this file calls it directly, to put packets on the queue on any
 * number of CPUs.
 */
int pc5sec_queue_submit(struct pc5sec_queue *q, struct sk_buff *skb)
{
	int cpu;

	atomic_set(&pc5sec_cb(skb)->state, STATE_PENDING);
	spin_lock(&q->lock);
	if (unlikely(skb_queue_len(&q->order) >= PC5SEC_QUEUE_MAX))
		goto full;
	/* On the list first: a worker may take it as soon as it is on the ring. */
	__skb_queue_tail(&q->order, skb);
	/*
	 * The ring also refuses short of the list's bound: its consumers
	 * free their slots a batch at a time. A packet on the list and not
	 * on the ring would never be ciphered, and every one after it would
	 * wait behind it for ever (the debug lane's order.sh saw it).
	 */
	if (unlikely(__ptr_ring_produce(&q->ring, skb))) {
		__skb_unlink(skb, &q->order);
		goto full;
	}
	atomic_inc(&q->inflight);
	q->queued++;
	spin_unlock(&q->lock);
	cpu = next_cpu(q);
	queue_work_on(cpu, pc5sec_crypt_wq, &per_cpu_ptr(q->workers, cpu)->work);
	return -EINPROGRESS;

full:
	q->full++;
	spin_unlock(&q->lock);
	return -ENOBUFS;
}

/*
 * Puts @skb, whose cipher is done already (rx_work deciphers a sender's
 * first frame itself), on the order list, to be finished in its turn:
 * after every packet submitted before it, which a direct delivery could
 * overtake (order.sh saw a sender's datagram 1 before its 0). Returns
 * -EINPROGRESS, or -ENOBUFS when the queue is full (the packet is still
 * the caller's). Any context but hard IRQ.
 */
int pc5sec_queue_done(struct pc5sec_queue *q, struct sk_buff *skb)
{
	atomic_set(&pc5sec_cb(skb)->state, 0);
	spin_lock_bh(&q->lock);
	if (unlikely(skb_queue_len(&q->order) >= PC5SEC_QUEUE_MAX)) {
		q->full++;
		spin_unlock_bh(&q->lock);
		return -ENOBUFS;
	}
	__skb_queue_tail(&q->order, skb);
	atomic_inc(&q->inflight);
	spin_unlock_bh(&q->lock);
	kick(q);
	return -EINPROGRESS;
}

/* The counters (stats.c); any context but hard IRQ. */
void pc5sec_queue_counts(struct pc5sec_queue *q, u64 *queued, u64 *full)
{
	spin_lock_bh(&q->lock);
	*queued = q->queued;
	*full = q->full;
	spin_unlock_bh(&q->lock);
}

/*
 * Ciphers @skb, whose pc5sec_cb holds its PEK (a reference) and COUNT and
 * whose skb->dev is the link (a reference). Returns -EINPROGRESS when @q's
 * finish will get the packet (from an asynchronous completion, or from
 * drain() in submission order after a CPU's worker ciphered it); anything
 * else when it was ciphered inline (0) or refused (an error, -ENOBUFS for
 * a full queue), and the caller finishes it itself, with a direct call
 * where the indirect one through @q costs a retpoline a packet. Either
 * way the packet is finished exactly once. BH context.
 */
int pc5sec_queue_crypt(struct pc5sec_queue *q, struct sk_buff *skb)
{
	struct pc5sec_cb *cb = pc5sec_cb(skb);

	if (!atomic_read(&q->inflight) && inline_cheaper(skb, cb->pek->cipher))
		return pc5sec_crypt(skb, PC5SEC_HDR_LEN, q->encrypt, cb->pek,
				    cb->count, q->finish_inline);
	return pc5sec_queue_submit(q, skb);
}

/* Spreads the queues' serial works over the CPUs. */
static atomic_t serial_next = ATOMIC_INIT(0);

/* ndo_init. */
int pc5sec_queue_init(struct pc5sec_queue *q, bool encrypt,
		      pc5sec_crypt_done_t finish,
		      pc5sec_crypt_done_t crypt_done)
{
	int cpu, err;

	/* Room for the list's bound and a batch of slots not freed yet. */
	err = ptr_ring_init(&q->ring, PC5SEC_QUEUE_MAX + 32, GFP_KERNEL);
	if (err)
		return err;
	q->workers = alloc_percpu(struct pc5sec_worker);
	if (!q->workers) {
		ptr_ring_cleanup(&q->ring, NULL);
		return -ENOMEM;
	}
	for_each_possible_cpu(cpu) {
		struct pc5sec_worker *w = per_cpu_ptr(q->workers, cpu);

		INIT_WORK(&w->work, worker);
		w->q = q;
	}
	q->last_cpu = -1;
	spin_lock_init(&q->lock);
	__skb_queue_head_init(&q->order);
	INIT_WORK(&q->serial, serial);
	q->draining = 0;
	q->serial_cpu = cpumask_local_spread(atomic_inc_return(&serial_next),
					     NUMA_NO_NODE);
	atomic_set(&q->inflight, 0);
	q->queued = 0;
	q->full = 0;
	q->encrypt = encrypt;
	q->napi_on = false;
	q->unflushed = 0;
	q->finish = finish;
	q->finish_inline = finish;
	q->crypt_done = crypt_done;
	return 0;
}

/*
 * ndo_init, after pc5sec_queue_init(): @q finishes its packets with
 * @finish in a NAPI poll of @dev's (poll()); the init's finish stays for
 * packets ciphered inline. Enabled until the destructor, as a GRO cell's:
 * a packet in flight holds the device, and must find the poll there.
 */
void pc5sec_queue_init_napi(struct pc5sec_queue *q, struct net_device *dev,
			    pc5sec_crypt_done_t finish)
{
	netif_napi_add(dev, &q->napi, poll);
	napi_enable(&q->napi);
	q->finish = finish;
	q->napi_on = true;
}

/*
 * The link's destructor: every packet has been finished (each held the
 * device), so the ring and the list are empty; a worker or the serial
 * work may still be on its way out, after the last put.
 */
void pc5sec_queue_free(struct pc5sec_queue *q)
{
	int cpu;

	if (!q->workers)
		return;		/* ndo_init failed before */
	for_each_possible_cpu(cpu)
		flush_work(&per_cpu_ptr(q->workers, cpu)->work);
	flush_work(&q->serial);
	if (q->napi_on) {
		napi_disable(&q->napi);
		netif_napi_del(&q->napi);
		q->napi_on = false;
	}
	WARN_ON_ONCE(!skb_queue_empty(&q->order));
	ptr_ring_cleanup(&q->ring, NULL);
	free_percpu(q->workers);
	q->workers = NULL;
}
