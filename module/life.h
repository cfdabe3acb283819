/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PC5SEC_LIFE_H
#define _PC5SEC_LIFE_H

#include <linux/types.h>
#include <linux/time64.h>

struct pc5sec_dev;
struct pc5sec_pgk;
struct netlink_ext_ack;

int pc5sec_pgk_add(struct pc5sec_dev *pc, u8 id, const u8 *key,
		   time64_t not_before, time64_t not_after, u16 ptk_start,
		   u32 ptk_limit, struct netlink_ext_ack *extack);
int pc5sec_pgk_set_limit(struct pc5sec_dev *pc, u8 id, u32 ptk_limit);
/* @reason: PC5SEC_REMOVED_DELETED or _REVOKED, for the key-removed event */
int pc5sec_pgk_del(struct pc5sec_dev *pc, u8 id, u8 reason);
void pc5sec_pgk_flush(struct pc5sec_dev *pc);
void pc5sec_keys_rekey(struct pc5sec_dev *pc, u32 group, u32 member,
		       u8 cipher);
void pc5sec_keys_changed(struct pc5sec_dev *pc);
time64_t pc5sec_pgk_next_event(const struct pc5sec_pgk *pgk, u32 notice,
			       time64_t now);
void pc5sec_life_init(struct pc5sec_dev *pc);
void pc5sec_life_uninit(struct pc5sec_dev *pc);

#endif /* _PC5SEC_LIFE_H */
