// SPDX-License-Identifier: GPL-2.0
/*
 * pc5sec: 3GPP ProSe one-to-many (PC5 group) security as a stacked
 * netdevice. See Documentation/design.md for the map of the files.
 */
#include <linux/module.h>
#include <linux/workqueue.h>
#include <linux/rcupdate.h>
#include <net/genetlink.h>

#include "pc5sec.h"
#include "cipher.h"
#include "tests/bench.h"

struct workqueue_struct *pc5sec_wq;

static int __init pc5sec_init(void)
{
	int err;

	/*
	 * Key derivations, not packets: nothing here frees memory, so the
	 * queue needs no rescuer (no WQ_MEM_RECLAIM).
	 */
	pc5sec_wq = alloc_workqueue("pc5sec", WQ_UNBOUND, 0);
	if (!pc5sec_wq)
		return -ENOMEM;
	/*
	 * Packets (parallel.c): one worker per CPU, bound to it, as
	 * WireGuard's packet_crypt_wq. Their skbs may be all that stands
	 * between memory pressure and freed memory: a rescuer.
	 */
	pc5sec_crypt_wq = alloc_workqueue("pc5sec-crypt",
					  WQ_CPU_INTENSIVE | WQ_MEM_RECLAIM, 0);
	err = -ENOMEM;
	if (!pc5sec_crypt_wq)
		goto err_wq;
	err = pc5sec_device_init();
	if (err)
		goto err_crypt_wq;
	err = pc5sec_netlink_init();
	if (err)
		goto err_device;
	pc5sec_bench_init();	/* make bench only; see bench.h */
	return 0;

err_device:
	pc5sec_device_uninit();
err_crypt_wq:
	destroy_workqueue(pc5sec_crypt_wq);
err_wq:
	destroy_workqueue(pc5sec_wq);
	return err;
}

static void __exit pc5sec_exit(void)
{
	int i;

	pc5sec_bench_exit();
	/*
	 * Links first: deleting one sends its keys' link-deleted events,
	 * which need the family still registered.
	 */
	pc5sec_device_uninit();
	pc5sec_netlink_uninit();
	/*
	 * Frees are RCU callbacks that may queue the next one: a receiver's
	 * state puts its PGK, which puts its PEKs. One barrier per level.
	 */
	for (i = 0; i < 3; i++)
		rcu_barrier();
	destroy_workqueue(pc5sec_crypt_wq);
	destroy_workqueue(pc5sec_wq);
	pc5sec_cipher_exit();	/* the CPUs' request buffers */
}

module_init(pc5sec_init);
module_exit(pc5sec_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("3GPP ProSe one-to-many (PC5 group) security");
MODULE_AUTHOR("The pc5sec developers");
MODULE_ALIAS_GENL_FAMILY(PC5SEC_GENL_NAME);
/* eea1 and eea3 (cipher.c): modprobe loads their algorithms first */
MODULE_SOFTDEP("pre: pc5sec_algs");
