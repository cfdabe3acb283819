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
/* How far a sender's clock may run ahead of ours at a PGK's not-before */
#define PC5SEC_RX_SKEW_DEFAULT		5	/* seconds */
#define PC5SEC_RX_SKEW_MAX		300
/* Receivers' states a link keeps, one per (sender, PGK); ~1.2 KiB each */
#define PC5SEC_MAX_SENDERS_DEFAULT	4096
#define PC5SEC_MAX_SENDERS_MAX		65536
/* Seconds before a PGK's not-after that PC5SEC_CMD_EVT_KEY_EXPIRING goes out */
#define PC5SEC_EXPIRY_NOTICE_DEFAULT	60
#define PC5SEC_KEYRING_DESC_MAX		255	/* logon key description */

/* Multicast group of the genl family: lifecycle events, nothing secret */
#define PC5SEC_GENL_MCGRP_EVENTS	"events"

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
	IFLA_PC5SEC_EXPIRY_NOTICE,	/* u32: seconds; see EVT_KEY_EXPIRING */
	IFLA_PC5SEC_RX_SKEW,		/* u32: seconds a PGK is accepted on
					 * receipt before its not-before
					 */
	IFLA_PC5SEC_MAX_SENDERS,	/* u32: receivers' states, 1.. */
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
	PC5SEC_STATS_RX_OWN_MEMBER,	/* proved, but from our own member ID */
	PC5SEC_STATS_TX_QUEUED,		/* handed to the per-CPU workers */
	PC5SEC_STATS_RX_QUEUED,		/* handed to the per-CPU workers */
	PC5SEC_STATS_TX_QUEUE_FULL,	/* workers' queue full: dropped */
	PC5SEC_STATS_RX_QUEUE_FULL,	/* workers' queue full: dropped */
	__PC5SEC_STATS_MAX
};

#define PC5SEC_STATS_MAX (__PC5SEC_STATS_MAX - 1)

/* generic netlink family "pc5sec" */
enum pc5sec_cmd {
	PC5SEC_CMD_UNSPEC,
	PC5SEC_CMD_KEY_ADD,		/* IFINDEX, KEY{PGK_ID, PGK, ...} */
	PC5SEC_CMD_KEY_DEL,		/* IFINDEX, KEY{PGK_ID}, [REASON] */
	PC5SEC_CMD_KEY_FLUSH,		/* IFINDEX */
	PC5SEC_CMD_KEY_GET,		/* dump: IFINDEX; metadata only */
	/*
	 * Events, multicast on PC5SEC_GENL_MCGRP_EVENTS in the link's netns.
	 * Each carries IFINDEX and, for a key, KEY{PGK_ID, PGK_INDEX,
	 * NOT_BEFORE, NOT_AFTER, STATE, TX_PTK_ID}: never the key itself.
	 */
	PC5SEC_CMD_EVT_KEY_ADDED,	/* a PGK was installed */
	PC5SEC_CMD_EVT_KEY_REMOVED,	/* + REASON; the PGK is wiped */
	PC5SEC_CMD_EVT_KEY_ACTIVE,	/* TX now uses this PGK */
	PC5SEC_CMD_EVT_KEY_EXPIRING,	/* not-after within the expiry notice */
	PC5SEC_CMD_EVT_KEY_EXPIRED,	/* not-after passed; REMOVED follows */
	PC5SEC_CMD_EVT_KEY_EXHAUSTED,	/* PTK Identities used up: RX only */
	/*
	 * A frame named a PGK Index no installed key has: PGK_INDEX, SENDER.
	 * At most one per link and PGK Index per second.
	 */
	PC5SEC_CMD_EVT_UNKNOWN_PGK,
	/*
	 * Change an installed PGK: IFINDEX, KEY{PGK_ID, PTK_LIMIT}. Nothing
	 * else of a PGK can change; its key bytes never do.
	 */
	PC5SEC_CMD_KEY_SET,
	/*
	 * TX reached the PGK's PTK_LIMIT and stopped using it (TX_PTK_ID is
	 * the limit): the key helper has not raised it in time.
	 */
	PC5SEC_CMD_EVT_KEY_LIMIT,
	/*
	 * A frame that proved itself (authenticated, or deciphered into a
	 * well-formed packet) came with this link's own member ID as its
	 * source: another UE of the group uses our member ID, and the two
	 * reuse each other's keystream. KEY (the PGK), SENDER. At most once
	 * per PGK.
	 */
	PC5SEC_CMD_EVT_MEMBER_CONFLICT,
	/* dump: IFINDEX; one SENDER_INFO per receiver's state */
	PC5SEC_CMD_SENDER_GET,
	/*
	 * IFINDEX, SENDER: forget every receiver's state of that sender, so
	 * that its next frame that proves itself starts a new window (after
	 * the sender lost its COUNTs, say). ENOENT if there is none.
	 */
	PC5SEC_CMD_SENDER_RESET,
	__PC5SEC_CMD_MAX
};

#define PC5SEC_CMD_MAX (__PC5SEC_CMD_MAX - 1)

enum pc5sec_attr {
	PC5SEC_A_UNSPEC,
	PC5SEC_A_IFINDEX,		/* u32 */
	PC5SEC_A_KEY,			/* nest: PC5SEC_A_KEY_* */
	PC5SEC_A_REASON,		/* u8: enum pc5sec_remove_reason; in a
					 * KEY_DEL request DELETED (the default)
					 * or REVOKED only
					 */
	PC5SEC_A_PGK_INDEX,		/* u8: EVT_UNKNOWN_PGK */
	PC5SEC_A_SENDER,		/* u32: Layer-2 source ID, EVT_UNKNOWN_PGK
					 * and EVT_MEMBER_CONFLICT; SENDER_RESET
					 */
	PC5SEC_A_SENDER_INFO,		/* nest: PC5SEC_A_SI_*, SENDER_GET */
	__PC5SEC_A_MAX
};

#define PC5SEC_A_MAX (__PC5SEC_A_MAX - 1)

/* A receiver's state: one sender under one PGK. Metadata only. */
enum pc5sec_sender_attr {
	PC5SEC_A_SI_UNSPEC,
	PC5SEC_A_SI_ID,			/* u32: the sender's member ID */
	PC5SEC_A_SI_PGK_ID,		/* u8 */
	PC5SEC_A_SI_COUNT,		/* u32: highest COUNT it has proved */
	PC5SEC_A_SI_RX_PACKETS,		/* u64: frames of it delivered */
	PC5SEC_A_SI_IDLE_MS,		/* u32: since its last such frame */
	PC5SEC_A_SI_PAD,
	__PC5SEC_A_SI_MAX
};

#define PC5SEC_A_SI_MAX (__PC5SEC_A_SI_MAX - 1)

enum pc5sec_key_state {
	PC5SEC_KEY_STATE_PENDING,	/* before not-before */
	PC5SEC_KEY_STATE_ACTIVE,	/* used for TX (and RX) */
	PC5SEC_KEY_STATE_VALID,		/* valid, RX only (a newer key sends) */
	PC5SEC_KEY_STATE_EXPIRED,	/* past not-after; removed moments later */
	PC5SEC_KEY_STATE_EXHAUSTED,	/* PTK Identities used up: RX only */
};

/* Why EVT_KEY_REMOVED */
enum pc5sec_remove_reason {
	PC5SEC_REMOVED_DELETED = 1,	/* KEY_DEL */
	PC5SEC_REMOVED_FLUSHED,		/* KEY_FLUSH */
	PC5SEC_REMOVED_EXPIRED,		/* not-after passed */
	PC5SEC_REMOVED_LINK_DELETED,	/* the link went away */
	PC5SEC_REMOVED_REVOKED,		/* KEY_DEL: the PKMF revoked it */
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
	/*
	 * string, write-only, instead of PGK: the description of a "logon"
	 * key (32-octet payload) in the caller's keyrings, which the kernel
	 * reads the PGK from. Found with request_key() semantics: the
	 * caller's thread, process and session keyrings.
	 */
	PC5SEC_A_KEY_KEYRING,
	/*
	 * u32, 1..0x10000: TX never uses a PTK Identity from this one on.
	 * A key helper sets it to the watermark it has durably recorded,
	 * and raises it (KEY_SET) only after recording more, so that no
	 * COUNT is used that a restart could use again. Absent: no limit.
	 * Frames TX holds back for it count tx_nokey.
	 */
	PC5SEC_A_KEY_PTK_LIMIT,
	__PC5SEC_A_KEY_MAX
};

#define PC5SEC_A_KEY_MAX (__PC5SEC_A_KEY_MAX - 1)

#endif /* _UAPI_LINUX_PC5SEC_H */
