// SPDX-License-Identifier: GPL-2.0
/*
 * pc5sec-algs: 128-EEA1 (SNOW 3G) and 128-EEA3 (ZUC) as skcipher
 * algorithms, "snow3g-eea1" and "zuc-eea3", for pc5sec's eea1 and eea3
 * suites and any other user of the crypto API.
 *
 * They live in their own module, not in pc5sec.ko: a transform holds a
 * reference on the module that implements it, and pc5sec holds its
 * transforms for as long as a link has keys, so algorithms inside
 * pc5sec.ko would keep pc5sec.ko from ever being unloaded with an eea1 or
 * eea3 link up, where rmmod today deletes the links (design.md).
 *
 * Both are stream ciphers with a 16-octet IV in the layout of 128-EEA2's
 * counter block: COUNT (octets 0-3, big endian), BEARER << 3 | DIRECTION
 * << 2 (octet 4), then zeros; octets 5-15 are not used. Encryption and
 * decryption are the same operation. Synchronous, with no state outside
 * the request, so any number of requests may run at once on one tfm.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <crypto/algapi.h>
#include <crypto/internal/skcipher.h>

#include "eea.h"

struct eea_ctx {
	u8 key[EEA_KEY_LEN];	/* freed with the tfm, by kfree_sensitive */
};

union eea_state {
	struct snow3g_state snow3g;
	struct zuc_state zuc;
};

/* The state of one request: a generator and the block it last produced. */
struct eea_stream {
	union eea_state st;
	bool zuc;
	__be32 ks[EEA_BLOCK_WORDS];
};

static void stream_start(struct eea_stream *s, bool zuc, const u8 *key,
			 const u8 *iv)
{
	s->zuc = zuc;
	if (zuc)
		pc5sec_eea3_start(&s->st.zuc, key, iv);
	else
		pc5sec_eea1_start(&s->st.snow3g, key, iv);
}

/* XORs the next @len octets of keystream into @dst from @src. */
static void stream_xor(struct eea_stream *s, u8 *dst, const u8 *src,
		       unsigned int len)
{
	u32 z[EEA_BLOCK_WORDS];
	unsigned int i, n;

	while (len) {
		if (s->zuc)
			pc5sec_zuc_block(&s->st.zuc, z);
		else
			pc5sec_snow3g_block(&s->st.snow3g, z);
		for (i = 0; i < EEA_BLOCK_WORDS; i++)
			s->ks[i] = cpu_to_be32(z[i]);
		n = min_t(unsigned int, len, EEA_BLOCK_SIZE);
		crypto_xor_cpy(dst, src, (const u8 *)s->ks, n);
		dst += n;
		src += n;
		len -= n;
	}
	memzero_explicit(z, sizeof(z));
}

static void stream_end(struct eea_stream *s)
{
	memzero_explicit(s, sizeof(*s));
}

static int eea_setkey(struct crypto_skcipher *tfm, const u8 *key,
		      unsigned int len)
{
	struct eea_ctx *ctx = crypto_skcipher_ctx(tfm);

	if (len != EEA_KEY_LEN)
		return -EINVAL;
	memcpy(ctx->key, key, EEA_KEY_LEN);
	return 0;
}

/*
 * Every step of the walk but the last is a multiple of the chunk size (a
 * keystream block), so the keystream never has to be kept across steps.
 */
static int eea_crypt(struct skcipher_request *req, bool zuc)
{
	struct eea_ctx *ctx = crypto_skcipher_ctx(crypto_skcipher_reqtfm(req));
	struct skcipher_walk walk;
	struct eea_stream s;
	int err;

	err = skcipher_walk_virt(&walk, req, false);
	if (!walk.nbytes)
		return err;
	stream_start(&s, zuc, ctx->key, req->iv);
	while (walk.nbytes) {
		unsigned int n = walk.nbytes;

		if (n < walk.total)
			n = round_down(n, walk.stride);
		stream_xor(&s, walk.dst.virt.addr, walk.src.virt.addr, n);
		err = skcipher_walk_done(&walk, walk.nbytes - n);
	}
	stream_end(&s);
	return err;
}

static int eea1_crypt(struct skcipher_request *req)
{
	return eea_crypt(req, false);
}

static int eea3_crypt(struct skcipher_request *req)
{
	return eea_crypt(req, true);
}

static void eea_bits(bool zuc, const u8 key[EEA_KEY_LEN], u32 count,
		     u8 bearer, u8 dir, const u8 *in, u8 *out, u32 bits)
{
	unsigned int len = DIV_ROUND_UP(bits, 8);
	struct eea_stream s;
	u8 iv[EEA_IV_LEN];

	eea_iv(iv, count, bearer, dir);
	stream_start(&s, zuc, key, iv);
	stream_xor(&s, out, in, len);
	stream_end(&s);
	if (bits % 8)
		out[len - 1] &= 0xff << (8 - bits % 8);
}

void pc5sec_eea1(const u8 key[EEA_KEY_LEN], u32 count, u8 bearer, u8 dir,
		 const u8 *in, u8 *out, u32 bits)
{
	eea_bits(false, key, count, bearer, dir, in, out, bits);
}

void pc5sec_eea3(const u8 key[EEA_KEY_LEN], u32 count, u8 bearer, u8 dir,
		 const u8 *in, u8 *out, u32 bits)
{
	eea_bits(true, key, count, bearer, dir, in, out, bits);
}

static struct skcipher_alg eea_algs[] = {
	{
		.base.cra_name		= "snow3g-eea1",
		.base.cra_driver_name	= "snow3g-eea1-generic",
		.base.cra_priority	= 100,
		.base.cra_blocksize	= 1,
		.base.cra_ctxsize	= sizeof(struct eea_ctx),
		.base.cra_module	= THIS_MODULE,
		.min_keysize		= EEA_KEY_LEN,
		.max_keysize		= EEA_KEY_LEN,
		.ivsize			= EEA_IV_LEN,
		.chunksize		= EEA_BLOCK_SIZE,
		.setkey			= eea_setkey,
		.encrypt		= eea1_crypt,
		.decrypt		= eea1_crypt,
	}, {
		.base.cra_name		= "zuc-eea3",
		.base.cra_driver_name	= "zuc-eea3-generic",
		.base.cra_priority	= 100,
		.base.cra_blocksize	= 1,
		.base.cra_ctxsize	= sizeof(struct eea_ctx),
		.base.cra_module	= THIS_MODULE,
		.min_keysize		= EEA_KEY_LEN,
		.max_keysize		= EEA_KEY_LEN,
		.ivsize			= EEA_IV_LEN,
		.chunksize		= EEA_BLOCK_SIZE,
		.setkey			= eea_setkey,
		.encrypt		= eea3_crypt,
		.decrypt		= eea3_crypt,
	},
};

/*
 * The self-test at registration, as testmgr would run it if it knew these
 * algorithms: one official confidentiality set each, of a length that is
 * not a whole number of octets. KUnit runs every set (eea13_test.c).
 */
struct eea_selftest {
	const char *name;
	bool zuc;
	u8 key[EEA_KEY_LEN];
	u32 count;
	u8 bearer, dir;
	u32 bits;
	u8 in[32], out[32];
};

static const struct eea_selftest selftests[] = {
	{
		.name = "TS 33.401 C.3 set 1 (128-EEA1)",
		.zuc = false,
		.key = {
			0xd3, 0xc5, 0xd5, 0x92, 0x32, 0x7f, 0xb1, 0x1c,
			0x40, 0x35, 0xc6, 0x68, 0x0a, 0xf8, 0xc6, 0xd1,
		},
		.count = 0x398a59b4,
		.bearer = 0x15,
		.dir = 1,
		.bits = 253,
		.in = {
			0x98, 0x1b, 0xa6, 0x82, 0x4c, 0x1b, 0xfb, 0x1a,
			0xb4, 0x85, 0x47, 0x20, 0x29, 0xb7, 0x1d, 0x80,
			0x8c, 0xe3, 0x3e, 0x2c, 0xc3, 0xc0, 0xb5, 0xfc,
			0x1f, 0x3d, 0xe8, 0xa6, 0xdc, 0x66, 0xb1, 0xf0,
		},
		.out = {
			0x5d, 0x5b, 0xfe, 0x75, 0xeb, 0x04, 0xf6, 0x8c,
			0xe0, 0xa1, 0x23, 0x77, 0xea, 0x00, 0xb3, 0x7d,
			0x47, 0xc6, 0xa0, 0xba, 0x06, 0x30, 0x91, 0x55,
			0x08, 0x6a, 0x85, 0x9c, 0x43, 0x41, 0xb3, 0x78,
		},
	},
	{
		.name = "128-EEA3 D3 set 1",
		.zuc = true,
		.key = {
			0x17, 0x3d, 0x14, 0xba, 0x50, 0x03, 0x73, 0x1d,
			0x7a, 0x60, 0x04, 0x94, 0x70, 0xf0, 0x0a, 0x29,
		},
		.count = 0x66035492,
		.bearer = 0x0f,
		.dir = 0,
		.bits = 193,
		.in = {
			0x6c, 0xf6, 0x53, 0x40, 0x73, 0x55, 0x52, 0xab,
			0x0c, 0x97, 0x52, 0xfa, 0x6f, 0x90, 0x25, 0xfe,
			0x0b, 0xd6, 0x75, 0xd9, 0x00, 0x58, 0x75, 0xb2,
			0x00,
		},
		.out = {
			0xa6, 0xc8, 0x5f, 0xc6, 0x6a, 0xfb, 0x85, 0x33,
			0xaa, 0xfc, 0x25, 0x18, 0xdf, 0xe7, 0x84, 0x94,
			0x0e, 0xe1, 0xe4, 0xb0, 0x30, 0x23, 0x8c, 0xc8,
			0x00,
		},
	},
};

static int eea_selftest(void)
{
	u8 buf[32];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(selftests); i++) {
		const struct eea_selftest *t = &selftests[i];

		eea_bits(t->zuc, t->key, t->count, t->bearer, t->dir, t->in,
			 buf, t->bits);
		if (memcmp(buf, t->out, DIV_ROUND_UP(t->bits, 8))) {
			pr_err("pc5sec-algs: self-test %s failed, not registered\n",
			       t->name);
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * Tables, self-test, registration. Module init calls it; so does KUnit's
 * suite when the module is built with its tests, because a module's
 * suites run while it is COMING, before its init (eea13_test.c).
 */
bool pc5sec_eea_registered;

int pc5sec_eea_register(void)
{
	int err;

	pc5sec_snow3g_init_tables();
	err = eea_selftest();
	if (!err)
		err = crypto_register_skciphers(eea_algs, ARRAY_SIZE(eea_algs));
	pc5sec_eea_registered = !err;
	return err;
}

void pc5sec_eea_unregister(void)
{
	if (pc5sec_eea_registered)
		crypto_unregister_skciphers(eea_algs, ARRAY_SIZE(eea_algs));
	pc5sec_eea_registered = false;
}

static int __init eea_init(void)
{
	return pc5sec_eea_registered ? 0 : pc5sec_eea_register();
}

static void __exit eea_exit(void)
{
	pc5sec_eea_unregister();
}

module_init(eea_init);
module_exit(eea_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("3GPP 128-EEA1 (SNOW 3G) and 128-EEA3 (ZUC) for pc5sec");
MODULE_AUTHOR("The pc5sec developers");
MODULE_ALIAS_CRYPTO("snow3g-eea1");
MODULE_ALIAS_CRYPTO("snow3g-eea1-generic");
MODULE_ALIAS_CRYPTO("zuc-eea3");
MODULE_ALIAS_CRYPTO("zuc-eea3-generic");
