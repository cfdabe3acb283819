/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * pc5sec: 3GPP ProSe one-to-many (group) security over an Ethernet-type
 * lower link. This header is the contract between the kernel module and
 * userspace (pc5ctl, pc5keyd, any rtnetlink/genetlink client).
 *
 * Link settings travel as rtnetlink attributes of the link kind "pc5sec"
 * (IFLA_INFO_DATA); keys travel over the generic netlink family "pc5sec".
 * Key bytes are write-only: no message from the kernel ever carries them.
 */
#ifndef _UAPI_LINUX_PC5SEC_H
#define _UAPI_LINUX_PC5SEC_H

#include <linux/types.h>

#define PC5SEC_KIND		"pc5sec"
#define PC5SEC_GENL_NAME	"pc5sec"
#define PC5SEC_GENL_VERSION	1

#define PC5SEC_ETHERTYPE_DEFAULT	0x88B5
#define PC5SEC_ID_MAX			0xFFFFFF	/* 24-bit Layer-2 IDs */
#define PC5SEC_PGK_LEN			32		/* 256-bit PGK */
#define PC5SEC_REPLAY_WINDOW_DEFAULT	1024
#define PC5SEC_REPLAY_WINDOW_MAX	4096

/*
 * Cipher suites. The value is the algorithm identity used as P1 of the PEK
 * derivation (TS 33.303 A.4): 3GPP EEA identities 0-3, and this project's
 * AEAD extension 0x10-0x12.
 */
enum pc5sec_cipher {
	PC5SEC_CIPHER_EEA0 = 0x00,
	PC5SEC_CIPHER_EEA1 = 0x01,
	PC5SEC_CIPHER_EEA2 = 0x02,
	PC5SEC_CIPHER_EEA3 = 0x03,
	PC5SEC_CIPHER_AES_GCM_128 = 0x10,
	PC5SEC_CIPHER_AES_GCM_256 = 0x11,
	PC5SEC_CIPHER_CHACHA20_POLY1305 = 0x12,
};

/* rtnetlink: IFLA_INFO_DATA of kind "pc5sec" */
enum {
	IFLA_PC5SEC_UNSPEC,
	IFLA_PC5SEC_GROUP,		/* u32: Layer-2 Group ID (24 bits) */
	IFLA_PC5SEC_MEMBER,		/* u32: own Group Member Identity (24 bits) */
	IFLA_PC5SEC_CIPHER,		/* u8: enum pc5sec_cipher */
	IFLA_PC5SEC_ETHERTYPE,		/* u16, host order */
	IFLA_PC5SEC_REPLAY_WINDOW,	/* u32: packets; 0 = in order only */
	__IFLA_PC5SEC_MAX
};

#define IFLA_PC5SEC_MAX (__IFLA_PC5SEC_MAX - 1)

/* rtnetlink: IFLA_INFO_XSTATS of kind "pc5sec", each a u64 */
enum {
	PC5SEC_STATS_UNSPEC,
	PC5SEC_STATS_TX_PACKETS,
	PC5SEC_STATS_TX_BYTES,
	PC5SEC_STATS_RX_PACKETS,
	PC5SEC_STATS_RX_BYTES,
	PC5SEC_STATS_TX_NOKEY,		/* no usable PGK: dropped, never sent */
	PC5SEC_STATS_TX_PTK_EXHAUSTED,	/* PGK ran out of PTK Identities */
	PC5SEC_STATS_RX_NOKEY,		/* no installed PGK for the index */
	PC5SEC_STATS_RX_REPLAY,		/* COUNT seen or too old */
	PC5SEC_STATS_RX_MALFORMED,	/* short, bad version, bad SDU */
	PC5SEC_STATS_RX_AUTH_FAIL,	/* AEAD tag did not verify */
	PC5SEC_STATS_PAD,
	__PC5SEC_STATS_MAX
};

#define PC5SEC_STATS_MAX (__PC5SEC_STATS_MAX - 1)

/* generic netlink family "pc5sec" */
enum pc5sec_cmd {
	PC5SEC_CMD_UNSPEC,
	PC5SEC_CMD_KEY_ADD,		/* IFINDEX, KEY{PGK_ID, PGK, ...} */
	PC5SEC_CMD_KEY_DEL,		/* IFINDEX, KEY{PGK_ID} */
	PC5SEC_CMD_KEY_FLUSH,		/* IFINDEX */
	PC5SEC_CMD_KEY_GET,		/* dump: IFINDEX; metadata only */
	__PC5SEC_CMD_MAX
};

#define PC5SEC_CMD_MAX (__PC5SEC_CMD_MAX - 1)

enum pc5sec_attr {
	PC5SEC_A_UNSPEC,
	PC5SEC_A_IFINDEX,		/* u32 */
	PC5SEC_A_KEY,			/* nest: PC5SEC_A_KEY_* */
	__PC5SEC_A_MAX
};

#define PC5SEC_A_MAX (__PC5SEC_A_MAX - 1)

enum pc5sec_key_state {
	PC5SEC_KEY_STATE_PENDING,	/* before not-before */
	PC5SEC_KEY_STATE_ACTIVE,	/* used for TX (and RX) */
	PC5SEC_KEY_STATE_VALID,		/* valid, RX only (a newer key sends) */
	PC5SEC_KEY_STATE_EXPIRED,	/* past not-after */
	PC5SEC_KEY_STATE_EXHAUSTED,	/* PTK Identities used up: RX only */
};

enum pc5sec_key_attr {
	PC5SEC_A_KEY_UNSPEC,
	PC5SEC_A_KEY_PGK_ID,		/* u8 */
	PC5SEC_A_KEY_PGK,		/* binary, 32 octets, write-only */
	PC5SEC_A_KEY_NOT_BEFORE,	/* u64: UTC seconds */
	PC5SEC_A_KEY_NOT_AFTER,		/* u64: UTC seconds */
	PC5SEC_A_KEY_PTK_START,		/* u16: first TX PTK Identity */
	PC5SEC_A_KEY_PGK_INDEX,		/* u8, read-only: PGK ID & 0x1f */
	PC5SEC_A_KEY_STATE,		/* u8, read-only: enum pc5sec_key_state */
	PC5SEC_A_KEY_TX_PTK_ID,		/* u32, read-only: next TX PTK Identity,
					 * 0x10000 once exhausted
					 */
	PC5SEC_A_KEY_TX_PACKETS,	/* u64, read-only */
	PC5SEC_A_KEY_RX_PACKETS,	/* u64, read-only */
	PC5SEC_A_KEY_PAD,
	__PC5SEC_A_KEY_MAX
};

#define PC5SEC_A_KEY_MAX (__PC5SEC_A_KEY_MAX - 1)

#endif /* _UAPI_LINUX_PC5SEC_H */
