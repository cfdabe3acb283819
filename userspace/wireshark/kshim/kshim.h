/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Just enough of the kernel's environment to compile module/algs/snow3g.c
 * and module/algs/zuc.c unchanged in userspace (forced in with -include).
 * The empty headers next to this one stand in for the kernel headers those
 * files include; everything they actually use is defined here.
 */
#ifndef PC5SEC_KSHIM_H
#define PC5SEC_KSHIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

/* Tables are written once, by pc5sec_snow3g_init_tables(), at registration. */
#define __ro_after_init
#ifndef __always_inline	/* glibc's sys/cdefs.h has one */
#define __always_inline inline __attribute__((__always_inline__))
#endif
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static inline u32 get_unaligned_be32(const void *p)
{
	const u8 *b = p;

	return (u32)b[0] << 24 | (u32)b[1] << 16 | (u32)b[2] << 8 | b[3];
}

static inline u32 rol32(u32 w, unsigned int s)
{
	return (w << (s & 31)) | (w >> ((-s) & 31));
}

static inline u8 rol8(u8 w, unsigned int s)
{
	return (u8)((w << (s & 7)) | (w >> ((-s) & 7)));
}

#endif /* PC5SEC_KSHIM_H */
