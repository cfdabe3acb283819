// SPDX-License-Identifier: GPL-2.0
/* The PKMF's push: its datagram and its socket (see push.h) */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "log.h"
#include "push.h"

static const uint8_t magic[8] = { 'P', 'C', '5', 'P', 1, 0, 0, 0 };

void push_key_set(struct push_key *pk, const uint8_t key[PC3_PUSH_KEY_LEN])
{
	double log_next = pk->log_next;

	push_key_wipe(pk);
	pk->log_next = log_next;
	memcpy(pk->key, key, PC3_PUSH_KEY_LEN);
	pk->set = true;
}

void push_key_wipe(struct push_key *pk)
{
	explicit_bzero(pk, sizeof(*pk));
}

static int mac_of(const uint8_t key[PC3_PUSH_KEY_LEN], const uint8_t head[16],
		  uint8_t mac[32])
{
	unsigned int len = 0;

	if (!HMAC(EVP_sha256(), key, PC3_PUSH_KEY_LEN, head, 16, mac, &len) || len != 32)
		return -EIO;
	return 0;
}

int push_make(const uint8_t key[PC3_PUSH_KEY_LEN], uint64_t seq,
	      uint8_t out[PUSH_LEN])
{
	memcpy(out, magic, sizeof(magic));
	for (int i = 0; i < 8; i++)
		out[8 + i] = (uint8_t)(seq >> (56 - 8 * i));
	return mac_of(key, out, out + 16);
}

int push_accept(struct push_key *pk, const uint8_t *buf, size_t len,
		struct errmsg *why)
{
	uint8_t mac[32];
	uint64_t seq = 0;
	int err;

	if (!pk->set)
		return fail(why, -ENOKEY, "no push key yet (no KEY_RESPONSE since the start)");
	if (len != PUSH_LEN)
		return fail(why, -EINVAL, "%zu octets, want %d", len, PUSH_LEN);
	if (memcmp(buf, magic, sizeof(magic)))
		return fail(why, -EINVAL, "not a version 1 push");
	err = mac_of(pk->key, buf, mac);
	if (err)
		return fail(why, err, "HMAC failed");
	if (CRYPTO_memcmp(mac, buf + 16, sizeof(mac)))
		return fail(why, -EBADMSG, "bad MAC (not from the PKMF, or an older key)");
	for (int i = 0; i < 8; i++)
		seq = seq << 8 | buf[8 + i];
	if (seq <= pk->last_seq)
		return fail(why, -EALREADY, "sequence %llu not above %llu: replayed",
			    (unsigned long long)seq, (unsigned long long)pk->last_seq);
	pk->last_seq = seq;
	return 0;
}

int push_listen(uint16_t port, struct errmsg *why)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_ANY_INIT,
				  .sin6_port = htons(port) };
	int fd, off = 0;

	fd = socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return fail(why, -errno, "push-port %u: socket: %s", port, strerror(errno));
	if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off)) ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a))) {
		int err = fail(why, -errno, "push-port %u: %s", port, strerror(errno));

		close(fd);
		return err;
	}
	return fd;
}

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

bool push_read(int fd, struct push_key *pk)
{
	uint8_t buf[PUSH_LEN + 1];
	bool fetch = false;

	for (;;) {
		struct sockaddr_in6 from = { 0 };
		socklen_t flen = sizeof(from);
		char addr[INET6_ADDRSTRLEN] = "?";
		struct errmsg why = { "" };
		ssize_t n;

		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen);
		if (n < 0)
			return fetch;
		inet_ntop(AF_INET6, &from.sin6_addr, addr, sizeof(addr));
		if (!push_accept(pk, buf, (size_t)n, &why)) {
			logmsg(LOG_NOTICE, "push from %s: fetching keys now", addr);
			fetch = true;
		} else if (mono_s() >= pk->log_next) {
			logmsg(LOG_WARNING, "push from %s refused: %s", addr, why.msg);
			pk->log_next = mono_s() + 10;
		}
	}
}
