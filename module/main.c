// SPDX-License-Identifier: GPL-2.0
/*
 * pc5sec: 3GPP ProSe one-to-many (PC5 group) security as a stacked
 * netdevice. See Documentation/design.md for the map of the files.
 */
#include <linux/module.h>

#include "pc5sec.h"

static int __init pc5sec_init(void)
{
	return pc5sec_device_init();
}

static void __exit pc5sec_exit(void)
{
	pc5sec_device_uninit();
}

module_init(pc5sec_init);
module_exit(pc5sec_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("3GPP ProSe one-to-many (PC5 group) security");
MODULE_AUTHOR("The pc5sec developers");
