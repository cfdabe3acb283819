/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pc5nl: a small netlink library for pc5sec, on libmnl. Shared by pc5ctl
 * and the key daemon.
 *
 * Links are rtnetlink links of kind "pc5sec"; keys go over the generic
 * netlink family "pc5sec". See <linux/pc5sec.h> for the attributes.
 *
 * Errors: every function returns 0 or a negative errno. When the kernel
 * explained a failure in an extended ACK (or the library has a better
 * reason than the errno, e.g. "pc5sec module not loaded"), the text is
 * available from pc5nl_extack() until the next request on the handle;
 * pc5nl_strerror() gives that text, else strerror(). A kernel warning
 * that came with a successful ACK is also kept there.
 *
 * Key bytes: pc5nl_key_add() wipes the message that carried the PGK as
 * soon as it is sent, and asks for capped ACKs (NETLINK_CAP_ACK) so that
 * the kernel does not echo the request back. Nothing here logs anything.
 * The caller's own copy of the PGK remains the caller's to wipe.
 *
 * A handle is not thread-safe; use one per thread.
 */
#ifndef PC5NL_H
#define PC5NL_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/pc5sec.h>

struct pc5nl;

/* Which IFLA_PC5SEC_* of struct pc5nl_settings are set: 1 << IFLA_PC5SEC_x */
#define PC5NL_SET(attr)		(1u << (attr))

struct pc5nl_settings {
	uint32_t mask;			/* PC5NL_SET(IFLA_PC5SEC_*) */
	uint32_t group;			/* 24 bits */
	uint32_t member;		/* 24 bits */
	uint8_t cipher;			/* enum pc5sec_cipher */
	uint16_t ethertype;		/* host order */
	uint32_t replay_window;
	uint32_t expiry_notice;		/* seconds */
	uint32_t rx_skew;		/* seconds */
	uint32_t max_senders;
};

struct pc5nl_link {
	uint32_t ifindex;
	char ifname[IF_NAMESIZE];
	uint32_t lower;			/* IFLA_LINK; 0 when absent */
	/* IFLA_LINK_NETNSID present: @lower is an ifindex of another netns */
	bool lower_netnsid;
	int32_t netnsid;
	struct pc5nl_settings cfg;	/* cfg.mask: what the kernel reported */
	bool has_stats;			/* IFLA_INFO_XSTATS was present */
	uint64_t stats[PC5SEC_STATS_MAX + 1];	/* by PC5SEC_STATS_* */
};

/* struct pc5nl_key_params.mask and struct pc5nl_key.mask */
#define PC5NL_KEY_NOT_BEFORE	(1u << 0)
#define PC5NL_KEY_NOT_AFTER	(1u << 1)
#define PC5NL_KEY_PTK_START	(1u << 2)

/* KEY_ADD; the PGK itself is a separate argument */
struct pc5nl_key_params {
	uint8_t pgk_id;
	uint32_t mask;			/* PC5NL_KEY_* */
	uint64_t not_before;		/* UTC seconds */
	uint64_t not_after;		/* UTC seconds */
	uint16_t ptk_start;
	/*
	 * PC5SEC_A_KEY_PTK_LIMIT, 1..0x10000: TX never uses a PTK Identity
	 * from this one on. 0: none (not sent).
	 */
	uint32_t ptk_limit;
};

/* KEY_GET: metadata of one installed key */
struct pc5nl_key {
	uint8_t pgk_id;
	uint8_t pgk_index;
	uint32_t mask;			/* PC5NL_KEY_NOT_BEFORE/AFTER if bounded */
	uint64_t not_before;
	uint64_t not_after;
	uint8_t state;			/* enum pc5sec_key_state */
	uint32_t tx_ptk_id;		/* 0x10000 once exhausted */
	uint32_t ptk_limit;		/* PTK_LIMIT; 0 when the key has none */
	uint64_t tx_packets;
	uint64_t rx_packets;
};

/*
 * Opens the rtnetlink and generic netlink sockets. The "pc5sec" family is
 * resolved on first use (or by pc5nl_genl_family()), so link commands work
 * before the module is loaded: creating a link autoloads it.
 */
int pc5nl_open(struct pc5nl **nlp);
void pc5nl_close(struct pc5nl *nl);

/* Text from the last request's extended ACK, or NULL. */
const char *pc5nl_extack(const struct pc5nl *nl);
/* pc5nl_extack() if set, else strerror(-err). */
const char *pc5nl_strerror(const struct pc5nl *nl, int err);

/*
 * Resolves the genl family "pc5sec"; -ENOENT with the message
 * "pc5sec module not loaded" when the kernel does not have it.
 */
int pc5nl_genl_family(struct pc5nl *nl);

/* Links (rtnetlink). @lower and @ifindex are ifindexes of this netns. */
int pc5nl_link_add(struct pc5nl *nl, const char *ifname, uint32_t lower,
		   const struct pc5nl_settings *cfg);
int pc5nl_link_change(struct pc5nl *nl, uint32_t ifindex,
		      const struct pc5nl_settings *cfg);
int pc5nl_link_del(struct pc5nl *nl, uint32_t ifindex);
/*
 * One link by name: -ENODEV when there is no such link, -EMEDIUMTYPE
 * (message "not a pc5sec link") when it is not of kind "pc5sec".
 */
int pc5nl_link_get(struct pc5nl *nl, const char *ifname,
		   struct pc5nl_link *link);
/* Every pc5sec link of this netns; *links is to be free()d. */
int pc5nl_link_list(struct pc5nl *nl, struct pc5nl_link **links, size_t *n);

/* Sets IFF_UP on the link, leaving its other flags as they are. */
int pc5nl_link_up(struct pc5nl *nl, uint32_t ifindex);
/*
 * Makes @addr/@prefixlen (IPv4, network byte order) the address of the
 * link @ifname (@ifindex), as SIOCSIFADDR and SIOCSIFNETMASK would:
 * nothing when the link has it already; else the link's address of the
 * same IP, or its first address labelled @ifname, is replaced by it.
 */
int pc5nl_addr4_set(struct pc5nl *nl, uint32_t ifindex, const char *ifname,
		    uint32_t addr, uint8_t prefixlen);

/* Keys (genl). The message that carried @pgk is wiped once sent. */
int pc5nl_key_add(struct pc5nl *nl, uint32_t ifindex,
		  const struct pc5nl_key_params *params,
		  const uint8_t pgk[PC5SEC_PGK_LEN]);
/*
 * KEY_ADD with the PGK taken by the kernel from the "logon" key @desc in
 * the caller's keyrings (PC5SEC_A_KEY_KEYRING): the bytes never pass
 * through this process.
 */
int pc5nl_key_add_keyring(struct pc5nl *nl, uint32_t ifindex,
			  const struct pc5nl_key_params *params,
			  const char *desc);
/*
 * KEY_SET: the PTK limit of the installed PGK @pgk_id (1..0x10000; the
 * kernel refuses anything else, and a PGK ID it does not hold).
 */
int pc5nl_key_set_limit(struct pc5nl *nl, uint32_t ifindex, uint8_t pgk_id,
			uint32_t ptk_limit);
/*
 * KEY_DEL; @reason PC5SEC_REMOVED_REVOKED says so in the key-removed
 * event, 0 sends none (the kernel then says deleted).
 */
int pc5nl_key_del(struct pc5nl *nl, uint32_t ifindex, uint8_t pgk_id,
		  uint8_t reason);
int pc5nl_key_flush(struct pc5nl *nl, uint32_t ifindex);
/* The keys of one link (a KEY_GET dump); *keys is to be free()d. */
int pc5nl_key_list(struct pc5nl *nl, uint32_t ifindex,
		   struct pc5nl_key **keys, size_t *n);

/* SENDER_GET: one receiver's state of a link (a sender under a PGK) */
struct pc5nl_sender {
	uint32_t id;			/* the sender's member ID */
	uint8_t pgk_id;
	uint32_t count;			/* highest COUNT it has proved */
	uint64_t rx_packets;
	uint32_t idle_ms;		/* since its last such frame */
};

/* The receivers' states of one link; *senders is to be free()d. */
int pc5nl_sender_list(struct pc5nl *nl, uint32_t ifindex,
		      struct pc5nl_sender **senders, size_t *n);
/* SENDER_RESET: forget @sender's states; -ENOENT if it has none. */
int pc5nl_sender_reset(struct pc5nl *nl, uint32_t ifindex, uint32_t sender);

/*
 * Events (the "events" multicast group of the genl family). A monitor is a
 * socket of its own, so that events never interleave with replies.
 */
struct pc5nl_mon;

/*
 * The monitor's own events, outside the kernel's command numbers: pc5sec
 * was unloaded (its links and keys are gone), or loaded (again), from
 * nlctrl's notifications. The monitor follows a reloaded family by
 * itself; a pc5nl handle finds out at its next request (-ESTALE).
 */
#define PC5NL_EVT_UNLOADED	0xfe
#define PC5NL_EVT_LOADED	0xff

struct pc5nl_event {
	uint8_t cmd;			/* PC5SEC_CMD_EVT_*, PC5NL_EVT_* */
	uint16_t family;		/* PC5NL_EVT_LOADED: the new genl family ID */
	uint32_t ifindex;
	bool has_key;
	struct pc5nl_key key;		/* has_key: the key's metadata */
	uint8_t reason;			/* EVT_KEY_REMOVED: pc5sec_remove_reason */
	uint8_t pgk_index;		/* EVT_UNKNOWN_PGK */
	uint32_t sender;		/* EVT_UNKNOWN_PGK */
};

typedef void (*pc5nl_event_cb)(const struct pc5nl_event *ev, void *arg);

/* -ENOENT "pc5sec module not loaded" when the family is absent. */
int pc5nl_mon_open(struct pc5nl_mon **monp);
void pc5nl_mon_close(struct pc5nl_mon *mon);
/* For poll(): readable when events are waiting. */
int pc5nl_mon_fd(const struct pc5nl_mon *mon);
/*
 * Reads what one recv() returns and calls @cb for each event in it.
 * Blocks unless @nonblock. Returns the number of events, -EAGAIN when
 * none were waiting (nonblock), or -ENOBUFS when the kernel dropped
 * events because the socket was full: the caller should then re-read the
 * state it tracks (pc5nl_key_list()), since events were lost.
 */
int pc5nl_mon_read(struct pc5nl_mon *mon, bool nonblock, pc5nl_event_cb cb,
		   void *arg);
/*
 * Forget the cached family ID: the next request resolves it again. For a
 * caller that saw PC5NL_EVT_UNLOADED or PC5NL_EVT_LOADED.
 */
void pc5nl_family_reset(struct pc5nl *nl);

/*
 * Links coming and going (RTNLGRP_LINK of the caller's netns): a socket
 * for poll(), and a drain that returns 1 when any link was added, changed
 * or deleted since (or the kernel dropped notifications: anything may
 * have changed), 0 when none, or a negative errno.
 */
int pc5nl_link_watch_open(void);
int pc5nl_link_watch_drain(int fd);

/*
 * "key-added", "key-removed", ..., "key-limit", "module-unloaded",
 * "module-loaded"; NULL for an unknown command
 */
const char *pc5nl_event_name(uint8_t cmd);
/* "deleted", "flushed", "expired", "link-deleted"; NULL if unknown */
const char *pc5nl_reason_name(uint8_t reason);

#endif /* PC5NL_H */
