// SPDX-License-Identifier: GPL-2.0
/*
 * pc5sec_hold.ko: a test double for an asynchronous crypto engine (a QAT
 * or CAAM style offload, which this lab has not got), for the debug lane
 * only, never built by default (CONFIG_PC5SEC_TEST_HOLD).
 *
 * It registers a "gcm(aes)" above every other, which encrypts and
 * decrypts through the best synchronous gcm(aes) of the kernel, except
 * that the next decryptions a test asks for are held: the request returns
 * -EINPROGRESS and completes only when the test says so, from process
 * context with BH off, as cryptd completes. This lets a test put a
 * completion exactly where it wants it, e.g. after the link it belongs to
 * has unregistered (tests/lab/tests/rx-late-completion.sh).
 *
 * debugfs pc5sec_hold/: hold (rw, decryptions still to hold), held (ro,
 * held now), completed (ro, held ones completed so far), release (wo,
 * any value: completes every held one, in the order they came).
 */
#include <crypto/aes.h>
#include <crypto/gcm.h>
#include <crypto/internal/aead.h>
#include <linux/debugfs.h>
#include <linux/module.h>

struct hold_ctx {
	struct crypto_aead *child;	/* synchronous, owned by the tfm */
};

struct hold_req {
	struct list_head list;		/* on held, under held_lock */
	struct aead_request *req;
	struct aead_request sub;	/* last: the child's context follows */
};

static LIST_HEAD(held);
static DEFINE_SPINLOCK(held_lock);	/* held, BH: requests come from RX */
static atomic_t to_hold, n_held, n_completed;
static struct dentry *dir;

static int hold_init(struct crypto_aead *tfm)
{
	struct hold_ctx *ctx = crypto_aead_ctx(tfm);
	struct crypto_aead *child;

	/* The ASYNC mask keeps this driver (and any other async one) out. */
	child = crypto_alloc_aead("gcm(aes)", 0, CRYPTO_ALG_ASYNC);
	if (IS_ERR(child))
		return PTR_ERR(child);
	ctx->child = child;
	crypto_aead_set_reqsize(tfm, sizeof(struct hold_req) +
				crypto_aead_reqsize(child));
	return 0;
}

static void hold_exit(struct crypto_aead *tfm)
{
	struct hold_ctx *ctx = crypto_aead_ctx(tfm);

	crypto_free_aead(ctx->child);
}

static int hold_setkey(struct crypto_aead *tfm, const u8 *key,
		       unsigned int len)
{
	struct hold_ctx *ctx = crypto_aead_ctx(tfm);

	return crypto_aead_setkey(ctx->child, key, len);
}

static int hold_setauthsize(struct crypto_aead *tfm, unsigned int len)
{
	struct hold_ctx *ctx = crypto_aead_ctx(tfm);

	return crypto_aead_setauthsize(ctx->child, len);
}

static struct hold_req *hold_sub(struct aead_request *req)
{
	struct hold_ctx *ctx = crypto_aead_ctx(crypto_aead_reqtfm(req));
	struct hold_req *hr = aead_request_ctx(req);

	hr->req = req;
	aead_request_set_tfm(&hr->sub, ctx->child);
	aead_request_set_callback(&hr->sub, 0, NULL, NULL);
	aead_request_set_crypt(&hr->sub, req->src, req->dst, req->cryptlen,
			       req->iv);
	aead_request_set_ad(&hr->sub, req->assoclen);
	return hr;
}

static int hold_encrypt(struct aead_request *req)
{
	return crypto_aead_encrypt(&hold_sub(req)->sub);
}

static int hold_decrypt(struct aead_request *req)
{
	struct hold_req *hr = hold_sub(req);

	if (!atomic_add_unless(&to_hold, -1, 0))
		return crypto_aead_decrypt(&hr->sub);
	spin_lock_bh(&held_lock);
	list_add_tail(&hr->list, &held);
	atomic_inc(&n_held);
	spin_unlock_bh(&held_lock);
	return -EINPROGRESS;
}

/* Completes every held decryption. Process context. */
static void release_all(void)
{
	struct hold_req *hr, *tmp;
	LIST_HEAD(list);
	int err;

	spin_lock_bh(&held_lock);
	list_splice_init(&held, &list);
	spin_unlock_bh(&held_lock);
	list_for_each_entry_safe(hr, tmp, &list, list) {
		list_del(&hr->list);
		atomic_dec(&n_held);
		err = crypto_aead_decrypt(&hr->sub);
		atomic_inc(&n_completed);
		/* The owner may free the request (and hr) in here. */
		local_bh_disable();
		aead_request_complete(hr->req, err);
		local_bh_enable();
	}
}

static int release_set(void *data, u64 val)
{
	release_all();
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(release_fops, NULL, release_set, "%llu\n");

static struct aead_alg hold_alg = {
	.init		= hold_init,
	.exit		= hold_exit,
	.setkey		= hold_setkey,
	.setauthsize	= hold_setauthsize,
	.encrypt	= hold_encrypt,
	.decrypt	= hold_decrypt,
	.ivsize		= GCM_AES_IV_SIZE,
	.maxauthsize	= AES_BLOCK_SIZE,
	.base = {
		.cra_name		= "gcm(aes)",
		.cra_driver_name	= "gcm-aes-pc5sec-hold",
		.cra_priority		= 9000,
		.cra_flags		= CRYPTO_ALG_ASYNC,
		.cra_blocksize		= 1,
		.cra_ctxsize		= sizeof(struct hold_ctx),
		.cra_module		= THIS_MODULE,
	},
};

static int __init hold_mod_init(void)
{
	int err;

	dir = debugfs_create_dir("pc5sec_hold", NULL);
	debugfs_create_atomic_t("hold", 0600, dir, &to_hold);
	debugfs_create_atomic_t("held", 0400, dir, &n_held);
	debugfs_create_atomic_t("completed", 0400, dir, &n_completed);
	debugfs_create_file_unsafe("release", 0200, dir, NULL, &release_fops);
	err = crypto_register_aead(&hold_alg);
	if (err)
		debugfs_remove_recursive(dir);
	return err;
}

static void __exit hold_mod_exit(void)
{
	/* No tfm is left (the crypto core holds this module meanwhile). */
	debugfs_remove_recursive(dir);
	crypto_unregister_aead(&hold_alg);
}

module_init(hold_mod_init);
module_exit(hold_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("pc5sec test double: a gcm(aes) whose decryptions complete on request");
