// SPDX-License-Identifier: GPL-2.0
/*
 * The in-kernel microbenchmark of make bench (CONFIG_PC5SEC_BENCH only).
 *
 * debugfs pc5sec/bench: write one command, read its result (one line of
 * name=value). Every figure is nanoseconds per packet (or per derivation)
 * averaged over N iterations; under QEMU TCG only their ratios mean
 * anything. Each command measures in turns of BENCH_BATCH packets, pc5sec
 * and its references alternately, so that a busy host slows them alike.
 * Commands (LINK: a pc5sec link in the initial network namespace whose
 * lower device is a dummy; tests/bench/micro.sh sets them up):
 *
 *   tx LINK SIZE N          pc5sec_xmit() of an IPv4 packet of SIZE octets,
 *                           down to the dummy (tx_ns); the same skb framed
 *                           by hand and sent to the dummy directly
 *                           (floor_ns): tx_ns - floor_ns is pc5sec's cost;
 *                           the bare crypto API call of the link's suite on
 *                           a linear buffer of the same length, AAD and
 *                           tag included, request allocated once (bare_ns)
 *   rx LINK SIZE N SENDERS  frames of SENDERS senders in turn, ciphered
 *                           here with PEKs derived as a receiver would,
 *                           into the lower device's rx_handler: rx_ns
 *                           (time in pc5sec until the packet is handed to
 *                           GRO; the IP stack after it is not counted);
 *                           bare_ns, the bare decryption. Senders beyond
 *                           the link's max-senders have no state: their frames
 *                           are timed apart (refused_ns: lookup miss, then
 *                           the key work's queue or a drop)
 *   bare ALG SIZE N         an skcipher by name alone (snow3g-eea1,
 *                           zuc-eea3, ctr(aes), ctr(aes-generic)), 16-octet
 *                           key, SIZE octets in place: the bare figures
 *                           of eea1 and eea3 next to table-based AES
 *   derive SUITE N          one PTK + PEK derivation (kdf_ns) and the
 *                           same with the transform allocated and keyed
 *                           (pek_ns), as the key work does once per 65536
 *                           packets of each sender
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/debugfs.h>
#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/ip.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/scatterlist.h>
#include <linux/ktime.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <crypto/aead.h>
#include <crypto/skcipher.h>

#include "compat.h"	/* get_unaligned_*() */
#include "pc5sec.h"
#include "keys.h"
#include "senders.h"
#include "kdf.h"
#include "bench.h"

#define BENCH_OUT	640
#define BENCH_BATCH	16	/* packets per turn; under the GRO backlog */
#define BENCH_MAX_SIZE	9000

static struct dentry *bench_dir;
static DEFINE_MUTEX(bench_lock);
static char bench_out[BENCH_OUT];
static u16 bench_ptk_id;		/* the last one an rx command used */

static const struct {
	const char *name;
	u8 cipher;
} suites[] = {
	{ "eea0", PC5SEC_CIPHER_EEA0 },
	{ "eea1", PC5SEC_CIPHER_EEA1 },
	{ "eea2", PC5SEC_CIPHER_EEA2 },
	{ "eea3", PC5SEC_CIPHER_EEA3 },
	{ "aes-gcm-128", PC5SEC_CIPHER_AES_GCM_128 },
	{ "aes-gcm-256", PC5SEC_CIPHER_AES_GCM_256 },
	{ "chacha20-poly1305", PC5SEC_CIPHER_CHACHA20_POLY1305 },
};

static int suite_of(const char *name)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(suites); i++)
		if (!strcmp(name, suites[i].name))
			return suites[i].cipher;
	return -EINVAL;
}

static u64 per(u64 ns, unsigned int n)
{
	return n ? div_u64(ns, n) : 0;
}

/*
 * The least-disturbed turn: the host preempts the guest's vCPUs for
 * milliseconds at a time, which lands in whatever is being timed; the
 * fastest full turn of each is what the code itself costs.
 */
static void turn_min(u64 *min, u64 ns, unsigned int nr)
{
	u64 each = div_u64(ns, nr);

	if (nr == BENCH_BATCH && ns && (!*min || each < *min))
		*min = each;
}

static const u8 bench_key[32] = { 0x42 };

/*
 * The bare crypto API call: one transform of the suite, a linear buffer of
 * the header (AAD), @size octets and the tag, one request allocated once.
 */
struct bench_bare {
	struct pc5sec_pek *pek;
	void *req;
	u8 *buf, *out;
	unsigned int size, buflen;
	u8 iv[16];
	u32 count;
	struct crypto_wait wait;
	struct scatterlist src, dst;
};

static void bare_free(struct bench_bare *b)
{
	kfree_sensitive(b->req);	/* as aead/skcipher_request_free */
	kfree(b->buf);
	kfree(b->out);
	if (!IS_ERR_OR_NULL(b->pek))
		pc5sec_pek_put(b->pek);
	memset(b, 0, sizeof(*b));
}

static int bare_init(struct bench_bare *b, u8 cipher, unsigned int size)
{
	unsigned int keylen = cipher == PC5SEC_CIPHER_AES_GCM_256 ||
			      cipher == PC5SEC_CIPHER_CHACHA20_POLY1305 ? 32 : 16;

	memset(b, 0, sizeof(*b));
	if (cipher == PC5SEC_CIPHER_EEA0)
		return 0;	/* nothing to call */
	b->size = size;
	b->buflen = PC5SEC_HDR_LEN + size + PC5SEC_TAG_LEN;
	crypto_init_wait(&b->wait);
	b->pek = pc5sec_pek_new_raw(cipher, bench_key, keylen, 0);
	if (IS_ERR(b->pek))
		return PTR_ERR(b->pek);
	b->buf = kzalloc(b->buflen, GFP_KERNEL);
	b->out = kzalloc(b->buflen, GFP_KERNEL);
	if (b->pek->aead) {
		b->req = aead_request_alloc(b->pek->aead, GFP_KERNEL);
		if (b->req) {
			aead_request_set_callback(b->req,
						  CRYPTO_TFM_REQ_MAY_BACKLOG,
						  crypto_req_done, &b->wait);
			aead_request_set_ad(b->req, PC5SEC_HDR_LEN);
		}
	} else {
		b->req = skcipher_request_alloc(b->pek->tfm, GFP_KERNEL);
		if (b->req)
			skcipher_request_set_callback(b->req,
						      CRYPTO_TFM_REQ_MAY_BACKLOG,
						      crypto_req_done,
						      &b->wait);
	}
	if (!b->buf || !b->out || !b->req) {
		bare_free(b);
		return -ENOMEM;
	}
	return 0;
}

static const char *bare_impl(struct bench_bare *b)
{
	if (!b->pek)
		return "none";
	return b->pek->aead ? crypto_aead_driver_name(b->pek->aead) :
			      crypto_skcipher_driver_name(b->pek->tfm);
}

/*
 * @n calls: encryption in place (a fresh nonce each), or decryption of the
 * last ciphertext out of place (so that it authenticates every time).
 * Returns the nanoseconds they took, or 0 on error.
 */
static u64 bare_run(struct bench_bare *b, unsigned int n, bool enc)
{
	unsigned int i, hdr = b->pek->aead ? 0 : PC5SEC_HDR_LEN;
	u64 t0 = ktime_get_ns();
	int err = 0;

	for (i = 0; i < n && !err; i++) {
		if (enc) {
			b->count++;
			memset(b->iv, 0, sizeof(b->iv));
			put_unaligned_be32(b->count, b->pek->aead ? b->iv + 8 :
							    b->iv);
		}
		sg_init_one(&b->src, b->buf + hdr, b->buflen - hdr);
		sg_init_one(&b->dst, (enc ? b->buf : b->out) + hdr,
			    b->buflen - hdr);
		if (b->pek->aead) {
			aead_request_set_crypt(b->req, &b->src, &b->dst,
					       b->size + (enc ? 0 :
							  PC5SEC_TAG_LEN),
					       b->iv);
			err = crypto_wait_req(enc ?
					      crypto_aead_encrypt(b->req) :
					      crypto_aead_decrypt(b->req),
					      &b->wait);
		} else {
			skcipher_request_set_crypt(b->req, &b->src, &b->dst,
						   b->size, b->iv);
			err = crypto_wait_req(enc ?
					      crypto_skcipher_encrypt(b->req) :
					      crypto_skcipher_decrypt(b->req),
					      &b->wait);
		}
	}
	return err ? 0 : ktime_get_ns() - t0;
}

/*
 * An IPv4 packet of @size octets, well formed (pc5sec checks that before
 * it delivers) and addressed to no one here: the stack, which does not
 * forward in the lab, drops it at its route lookup.
 */
static void bench_ip(u8 *p, unsigned int size)
{
	struct iphdr *ip = (struct iphdr *)p;

	memset(p, 0xa5, size);
	memset(ip, 0, sizeof(*ip));
	ip->version = 4;
	ip->ihl = 5;
	ip->ttl = 1;
	ip->protocol = IPPROTO_UDP;
	ip->tot_len = htons(size);
	ip->saddr = htonl(0x0a630001);
	ip->daddr = htonl(0x0a630002);
	ip->check = ip_fast_csum(ip, ip->ihl);
}

static struct sk_buff *bench_skb(struct net_device *dev, unsigned int size)
{
	unsigned int head = LL_MAX_HEADER + 64;
	struct sk_buff *skb;

	skb = alloc_skb(head + size + PC5SEC_TAG_LEN + 64, GFP_ATOMIC);
	if (!skb)
		return NULL;
	skb_reserve(skb, head);
	bench_ip(skb_put(skb, size), size);
	skb_reset_network_header(skb);
	skb->protocol = htons(ETH_P_IP);
	skb->dev = dev;
	return skb;
}

static struct net_device *bench_link(const char *name)
{
	struct net_device *dev = dev_get_by_name(&init_net, name);

	if (dev && !pc5sec_is_link(dev)) {
		dev_put(dev);
		return NULL;
	}
	return dev;
}

static u64 tx_pc5sec(struct net_device *dev, unsigned int size,
		     unsigned int n)
{
	struct sk_buff *skb;
	unsigned int i;
	u64 t0 = ktime_get_ns();

	for (i = 0; i < n; i++) {
		rcu_read_lock_bh();
		skb = bench_skb(dev, size);
		if (skb)
			pc5sec_xmit(skb, dev);
		rcu_read_unlock_bh();
	}
	return ktime_get_ns() - t0;
}

/* The same skb, framed by hand and given to the lower device directly. */
static u64 tx_floor(struct pc5sec_dev *pc, unsigned int size, unsigned int n)
{
	struct sk_buff *skb;
	struct ethhdr *eth;
	unsigned int i;
	u64 t0 = ktime_get_ns();

	for (i = 0; i < n; i++) {
		rcu_read_lock_bh();
		skb = bench_skb(pc->lower, size);
		if (skb) {
			eth = skb_push(skb, ETH_HLEN);
			eth_zero_addr(eth->h_source);
			pc5sec_group_mac(eth->h_dest, READ_ONCE(pc->group));
			eth->h_proto = htons(READ_ONCE(pc->ethertype));
			skb_reset_mac_header(skb);
			skb->protocol = eth->h_proto;
			dev_queue_xmit(skb);
		}
		rcu_read_unlock_bh();
	}
	return ktime_get_ns() - t0;
}

/*
 * tx: pc5sec_xmit() down to the dummy, the skb alone, and the bare cipher,
 * in turns of BENCH_BATCH packets so that a busy host slows all three
 * alike.
 */
static int bench_tx(const char *name, unsigned int size, unsigned int n)
{
	struct net_device *dev = bench_link(name);
	u64 before[PC5SEC_CNT_MAX], after[PC5SEC_CNT_MAX];
	u64 tx = 0, floor = 0, bare = 0, t;
	u64 tx_min = 0, floor_min = 0, bare_min = 0;
	struct bench_bare b;
	struct pc5sec_dev *pc;
	unsigned int i, nr;
	int err;

	if (!dev)
		return -ENODEV;
	pc = netdev_priv(dev);
	err = bare_init(&b, READ_ONCE(pc->cipher), size);
	if (err)
		goto out;
	pc5sec_stats_read(pc, before);
	for (i = 0; i < n; i += nr) {
		nr = min_t(unsigned int, n - i, BENCH_BATCH);
		t = tx_pc5sec(dev, size, nr);
		tx += t;
		turn_min(&tx_min, t, nr);
		t = tx_floor(pc, size, nr);
		floor += t;
		turn_min(&floor_min, t, nr);
		if (b.pek) {
			t = bare_run(&b, nr, true);
			bare += t;
			turn_min(&bare_min, t, nr);
		}
		cond_resched();
	}
	pc5sec_stats_read(pc, after);
	snprintf(bench_out, BENCH_OUT,
		 "tx suite=%s size=%u n=%u tx_ns=%llu floor_ns=%llu bare_ns=%llu tx_min_ns=%llu floor_min_ns=%llu bare_min_ns=%llu sent=%llu impl=%s\n",
		 pc5sec_cipher_name(READ_ONCE(pc->cipher)), size, n,
		 per(tx, n), per(floor, n), per(bare, n),
		 tx_min, floor_min, bare_min,
		 after[PC5SEC_CNT_TX_PACKETS] - before[PC5SEC_CNT_TX_PACKETS],
		 bare_impl(&b));
	bare_free(&b);
out:
	dev_put(dev);
	return err;
}

static struct completion seal_done;

static void bench_seal_done(struct sk_buff *skb, int err)
{
	complete(&seal_done);
}

/*
 * A frame of sender @src with COUNT @count, ciphered with @pek (or left
 * as it is with @pek NULL), as the lower device would receive it.
 */
static struct sk_buff *bench_frame(struct pc5sec_dev *pc, u32 src,
				   struct pc5sec_pgk *pgk,
				   struct pc5sec_pek *pek, u32 count,
				   unsigned int size)
{
	struct pc5sec_frame f = {
		.src = src,
		.dst = READ_ONCE(pc->group),
		.sdu_type = PC5SEC_SDU_IP,
		.pgk_index = pgk->id & PC5SEC_PGK_INDEX_MASK,
		.ptk_id = count >> 16,
		.sn = count & 0xffff,
	};
	struct sk_buff *skb = bench_skb(pc->lower, size);
	struct ethhdr *eth;
	int err = 0;

	if (!skb)
		return NULL;
	pc5sec_frame_build(skb_push(skb, PC5SEC_HDR_LEN), &f);
	if (pek) {
		reinit_completion(&seal_done);
		local_bh_disable();
		err = pc5sec_crypt(skb, PC5SEC_HDR_LEN, true, pek, count,
				   bench_seal_done);
		local_bh_enable();
		if (err == -EINPROGRESS) {
			wait_for_completion(&seal_done);
			err = 0;
		}
	}
	if (err) {
		kfree_skb(skb);
		return NULL;
	}
	/*
	 * The Ethernet header eth_type_trans() leaves behind the data: RX
	 * takes only frames to the group's MAC.
	 */
	eth = skb_push(skb, ETH_HLEN);
	pc5sec_group_mac(eth->h_dest, READ_ONCE(pc->group));
	eth_zero_addr(eth->h_source);
	eth->h_source[5] = src;
	eth->h_proto = htons(READ_ONCE(pc->ethertype));
	skb_reset_mac_header(skb);
	skb_pull(skb, ETH_HLEN);
	memset(skb->cb, 0, sizeof(skb->cb));
	skb->protocol = eth->h_proto;
	skb->pkt_type = PACKET_MULTICAST;
	skb_reset_network_header(skb);
	return skb;
}

/* Times @nr frames through the rx_handler, as netif_receive_skb would. */
static u64 bench_rx_batch(struct sk_buff **skbs, unsigned int nr)
{
	unsigned int i;
	u64 t0, t;

	local_bh_disable();
	rcu_read_lock();
	t0 = ktime_get_ns();
	for (i = 0; i < nr; i++)
		if (skbs[i] &&
		    pc5sec_handle_frame(&skbs[i]) == RX_HANDLER_PASS)
			kfree_skb(skbs[i]);
	t = ktime_get_ns() - t0;
	rcu_read_unlock();
	local_bh_enable();	/* GRO and the IP stack run here, untimed */
	return t;
}

/* The links on @pc's lower device: find_link() walks them all. */
static unsigned int bench_links(struct pc5sec_dev *pc)
{
	struct pc5sec_dev *l;
	unsigned int n = 0;

	rcu_read_lock();
	list_for_each_entry_rcu(l, &pc->port->links, port_list)
		n++;
	rcu_read_unlock();
	return n;
}

/*
 * Waits (a second at most) until @pc's RX queue has finished every frame
 * it was given. rx_work's frames go up through the queue's NAPI poll,
 * which may run on another CPU after flush_workqueue() returns: a frame
 * of the warm-up counted after the first snapshot read as one delivered
 * too many (3001 of 3000, in one run of make bench).
 */
static void bench_rx_settle(struct pc5sec_dev *pc)
{
	unsigned int i;

	for (i = 0; i < 1000 && atomic_read(&pc->rxq.inflight); i++)
		usleep_range(1000, 2000);
}

struct bench_sender {
	struct pc5sec_pek *pek;
	u32 count;
};

static int bench_rx(const char *name, unsigned int size, unsigned int n,
		    unsigned int senders)
{
	struct net_device *dev = bench_link(name);
	unsigned int known;
	u64 before[PC5SEC_CNT_MAX], after[PC5SEC_CNT_MAX];
	u64 t_known = 0, t_refused = 0, t_bare = 0, t;
	u64 rx_min = 0, bare_min = 0;
	struct bench_bare b = {};
	unsigned int i, j, s = 0, nr, n_known = 0, n_refused = 0;
	struct bench_sender *snd = NULL;
	struct sk_buff **skbs = NULL;
	struct pc5sec_pgk *pgk;
	struct pc5sec_dev *pc;
	u16 ptk_id;
	u8 cipher;
	int err = 0;

	if (!dev)
		return -ENODEV;
	pc = netdev_priv(dev);
	cipher = READ_ONCE(pc->cipher);
	known = min(senders, READ_ONCE(pc->max_senders));
	rcu_read_lock();
	pgk = list_first_or_null_rcu(&pc->pgks, struct pc5sec_pgk, list);
	rcu_read_unlock();
	/*
	 * No RTNL, no key_lock: the script changes nothing while a command
	 * runs (a PGK deleted meanwhile would be a use after free).
	 */
	if (!pgk) {
		err = -ENOKEY;
		goto out;
	}
	err = bare_init(&b, cipher, size);
	if (err)
		goto out;
	if (b.pek)
		bare_run(&b, 1, true);	/* a ciphertext to decrypt */
	snd = vzalloc(array_size(senders, sizeof(*snd)));
	skbs = kcalloc(BENCH_BATCH, sizeof(*skbs), GFP_KERNEL);
	if (!snd || !skbs) {
		err = -ENOMEM;
		goto out;
	}
	/*
	 * Senders 0x100.. with the PEKs their receivers derive, each command
	 * under a PTK Identity of its own: COUNTs never seen on the link yet.
	 */
	ptk_id = ++bench_ptk_id;
	for (i = 0; i < known; i++) {
		snd[i].count = (u32)ptk_id << 16;
		snd[i].pek = pc5sec_pek_new(cipher, pgk->key, 0x100 + i, ptk_id,
					    READ_ONCE(pc->group));
		if (IS_ERR(snd[i].pek)) {
			err = PTR_ERR(snd[i].pek);
			snd[i].pek = NULL;
			goto out;
		}
	}
	/* Warm-up: one frame of each, and the key work makes their states. */
	for (i = 0; i < known; i += nr) {
		nr = min_t(unsigned int, known - i, BENCH_BATCH);
		for (j = 0; j < nr; j++)
			skbs[j] = bench_frame(pc, 0x100 + i + j, pgk,
					      snd[i + j].pek,
					      snd[i + j].count++, size);
		bench_rx_batch(skbs, nr);
		flush_workqueue(pc5sec_wq);
	}

	bench_rx_settle(pc);
	init_completion(&seal_done);
	pc5sec_stats_read(pc, before);
	for (i = 0; i < n; i += nr) {
		bool refused;

		/* one batch: all from senders with state, or all without */
		refused = senders > known &&
			  s % senders >= known;
		nr = min_t(unsigned int, n - i, BENCH_BATCH);
		for (j = 0; j < nr; j++, s++) {
			u32 k = s % senders;
			bool stateless = k >= known;

			if (refused != stateless) {
				skbs[j] = NULL;
				continue;
			}
			skbs[j] = bench_frame(pc, 0x100 + k, pgk,
					      refused ? NULL : snd[k].pek,
					      refused ? 0 : snd[k].count++,
					      size);
			if (refused)
				n_refused++;
			else
				n_known++;
		}
		if (refused) {
			t_refused += bench_rx_batch(skbs, nr);
		} else {
			t = bench_rx_batch(skbs, nr);
			t_known += t;
			turn_min(&rx_min, t, nr);
			if (b.pek) {
				t = bare_run(&b, nr, false);
				t_bare += t;
				turn_min(&bare_min, t, nr);
			}
		}
		if (refused)
			flush_workqueue(pc5sec_wq);
		cond_resched();
	}
	flush_workqueue(pc5sec_wq);
	bench_rx_settle(pc);
	pc5sec_stats_read(pc, after);
	snprintf(bench_out, BENCH_OUT,
		 "rx suite=%s size=%u n=%u senders=%u with_state=%u rx_ns=%llu bare_ns=%llu rx_min_ns=%llu bare_min_ns=%llu refused_ns=%llu delivered=%llu nokey=%llu links=%u\n",
		 pc5sec_cipher_name(cipher), size, n, senders, known,
		 per(t_known, n_known), per(t_bare, n_known), rx_min, bare_min,
		 per(t_refused, n_refused),
		 after[PC5SEC_CNT_RX_PACKETS] - before[PC5SEC_CNT_RX_PACKETS],
		 after[PC5SEC_CNT_RX_NOKEY] - before[PC5SEC_CNT_RX_NOKEY],
		 bench_links(pc));
out:
	bare_free(&b);
	if (snd)
		for (i = 0; i < known; i++)
			pc5sec_pek_put(snd[i].pek);
	vfree(snd);
	kfree(skbs);
	dev_put(dev);
	return err;
}

/* derive: PTK + PEK, then the same with the transform keyed */
static int bench_derive(u8 cipher, unsigned int n)
{
	u8 ptk[PC5SEC_PTK_LEN], pek_key[32];
	struct pc5sec_pek *pek;
	u64 t0, kdf, full;
	unsigned int i;
	int err = 0;

	t0 = ktime_get_ns();
	for (i = 0; i < n && !err; i++) {
		err = pc5sec_derive_ptk(bench_key, 0x100 + i, i, 0x42, ptk);
		if (!err)
			err = pc5sec_derive_pek(ptk, cipher, pek_key, 16);
	}
	kdf = ktime_get_ns() - t0;
	memzero_explicit(ptk, sizeof(ptk));
	memzero_explicit(pek_key, sizeof(pek_key));
	t0 = ktime_get_ns();
	for (i = 0; i < n && !err; i++) {
		pek = pc5sec_pek_new(cipher, bench_key, 0x100 + i, i, 0x42);
		if (IS_ERR(pek))
			err = PTR_ERR(pek);
		else
			pc5sec_pek_put(pek);
	}
	full = ktime_get_ns() - t0;
	if (!err)
		snprintf(bench_out, BENCH_OUT,
			 "derive suite=%s n=%u kdf_ns=%llu pek_ns=%llu per_packet_ns=%llu\n",
			 pc5sec_cipher_name(cipher), n, per(kdf, n),
			 per(full, n), div_u64(per(full, n), 65536));
	rcu_barrier();	/* the PEKs' frees */
	return err;
}

/* bare ALG SIZE N: see the top of the file */
static int bench_skcipher(const char *alg, unsigned int size, unsigned int n)
{
	struct skcipher_request *req = NULL;
	struct crypto_skcipher *tfm;
	DECLARE_CRYPTO_WAIT(wait);
	u64 t0, t, all = 0, min = 0;
	struct scatterlist sg;
	unsigned int i, done;
	u8 iv[16], *buf;
	int err = 0;

	tfm = crypto_alloc_skcipher(alg, 0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	buf = kzalloc(size, GFP_KERNEL);
	if (buf)
		req = skcipher_request_alloc(tfm, GFP_KERNEL);
	if (!req) {
		err = -ENOMEM;
		goto out;
	}
	err = crypto_skcipher_setkey(tfm, bench_key, 16);
	skcipher_request_set_callback(req, CRYPTO_TFM_REQ_MAY_BACKLOG,
				      crypto_req_done, &wait);
	for (done = 0; done < n && !err; done += BENCH_BATCH) {
		t0 = ktime_get_ns();
		for (i = 0; i < BENCH_BATCH && !err; i++) {
			memset(iv, 0, sizeof(iv));
			put_unaligned_be32(done + i, iv);
			sg_init_one(&sg, buf, size);
			skcipher_request_set_crypt(req, &sg, &sg, size, iv);
			err = crypto_wait_req(crypto_skcipher_encrypt(req), &wait);
		}
		t = ktime_get_ns() - t0;
		all += t;
		turn_min(&min, t, i);
		cond_resched();
	}
	if (!err)
		snprintf(bench_out, BENCH_OUT,
			 "bare alg=%s impl=%s size=%u n=%u bare_ns=%llu bare_min_ns=%llu\n",
			 alg, crypto_skcipher_driver_name(tfm), size, done,
			 per(all, done), min);
out:
	skcipher_request_free(req);
	kfree(buf);
	crypto_free_skcipher(tfm);
	return err;
}

static ssize_t bench_write(struct file *file, const char __user *ubuf,
			   size_t len, loff_t *ppos)
{
	unsigned int size = 0, n = 0, senders = 1;
	char cmd[16], arg[IFNAMSIZ + 8], buf[96];
	int cipher, got, err;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = 0;
	got = sscanf(buf, "%15s %23s %u %u %u", cmd, arg, &size, &n, &senders);
	if (got < 3)
		return -EINVAL;
	if (!strcmp(cmd, "derive"))
		n = size;
	if (!n || n > 10000000 || size > BENCH_MAX_SIZE || !senders ||
	    senders > 65536)
		return -EINVAL;

	mutex_lock(&bench_lock);
	bench_out[0] = 0;
	if (!strcmp(cmd, "bare")) {
		err = size ? bench_skcipher(arg, size, n) : -EINVAL;
	} else if (!strcmp(cmd, "tx") || !strcmp(cmd, "rx")) {
		if (size < sizeof(struct iphdr))
			err = -EINVAL;
		else if (cmd[0] == 't')
			err = bench_tx(arg, size, n);
		else
			err = bench_rx(arg, size, n, senders);
	} else {
		cipher = suite_of(arg);
		if (cipher < 0)
			err = cipher;
		else if (!strcmp(cmd, "derive"))
			err = bench_derive(cipher, n);
		else
			err = -EINVAL;
	}
	mutex_unlock(&bench_lock);
	return err ? err : len;
}

static ssize_t bench_read(struct file *file, char __user *ubuf, size_t len,
			  loff_t *ppos)
{
	ssize_t ret;

	mutex_lock(&bench_lock);
	ret = simple_read_from_buffer(ubuf, len, ppos, bench_out,
				      strlen(bench_out));
	mutex_unlock(&bench_lock);
	return ret;
}

static const struct file_operations bench_fops = {
	.owner = THIS_MODULE,
	.write = bench_write,
	.read = bench_read,
	.llseek = default_llseek,
};

void pc5sec_bench_init(void)
{
	/* A debugging aid: without debugfs there is no bench, nothing else. */
	bench_dir = debugfs_create_dir("pc5sec", NULL);
	debugfs_create_file("bench", 0600, bench_dir, NULL, &bench_fops);
}

void pc5sec_bench_exit(void)
{
	debugfs_remove_recursive(bench_dir);
}
