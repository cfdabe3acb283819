// SPDX-License-Identifier: GPL-2.0
/*
 * pc5frames: a structure-aware generator of hostile pc5sec frames for the
 * receive path (tests/lab/tests/fuzz-frames.sh), sent raw on the lower
 * device's peer as fast as the guest takes them.
 *
 *   pc5frames -i IFACE -c CORPUS -g GROUPS -M LOWER_MAC [options]
 *
 * Each frame starts from a corpus entry (a genuine frame of one of the
 * groups, or an interesting one) or from a freshly built EEA0 frame that
 * is valid on the -e group, then gets a few structure-aware mutations:
 * every header field, the MACs, the EtherType, a VLAN tag, the length
 * (truncated to nothing, extended past the lower MTU), a cut tag, bit flips
 * after the header. Everything comes from one PRNG seeded by -s (printed):
 * the same seed builds the same frames (-w writes them as hex instead of
 * sending them, -n stops after N frames).
 *
 * Frames alternate between two sources, batch by batch: sendmmsg() (linear
 * skbs below a page) and a PACKET_TX_RING (the kernel leaves everything
 * past the Ethernet header in page fragments of the ring, and frames
 * straddling a page boundary in two: the receiver gets non-linear skbs).
 *
 * Every frame is classified as pc5sec's receive handler must see it
 * (classify()), so that the test can check that each one the link takes is
 * delivered or counted. The totals are printed as "key value" lines.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define ETH_HLEN_	14
#define HDR_LEN		12	/* the pc5sec header */
#define TAG_LEN		16
#define ETHERTYPE	0x88b5
#define MAX_GROUPS	8
#define MAX_CORPUS	256
#define BATCH		64
#define RING_FRAMES	1024
/*
 * A ring frame of 3072 octets, four to a 3-page block: the frames at
 * 3072 and 6144 cross a page boundary, so their data is two fragments.
 */
#define RING_FSIZE	3072
#define RING_BSIZE	(4 * RING_FSIZE)
/* veth forwards up to MTU + Ethernet header + one VLAN tag */
#define VLAN_HLEN_	4
/* softnet backlog kept below this, so that no frame is dropped unseen */
#define BACKLOG_HIGH	256

/* What pc5sec's rx_handler does with a frame (see module/rx.c). */
enum fate {
	F_REFUSED,	/* the sending socket refuses it (longer than allowed) */
	F_OTHER,	/* never the link's: another host, VLAN, EtherType, group */
	F_SHORT,	/* under 12 octets: the first link of the EtherType counts it */
	F_MALFORMED,	/* a link's, malformed whatever its keys */
	F_NOKEY,	/* a link's, PGK Index never installed: rx_nokey */
	F_LINK,		/* a link's: delivered or counted, depending on keys */
	F_MAX
};

static const char *const fate_name[F_MAX] = {
	"refused", "other", "short", "malformed", "nokey", "link",
};

struct frame {
	unsigned int len;
	uint8_t *buf;
};

static struct {
	const char *iface, *corpus, *out;
	uint64_t seed, max_frames;
	double seconds;
	uint32_t groups[MAX_GROUPS];
	unsigned int nr_groups;
	uint8_t lower_mac[6];
	uint32_t used_indexes;	/* PGK Indexes the test may install */
	uint32_t own, known, eea0_group;
	bool have_eea0;
	unsigned int mtu, maxlen;
	int mode;		/* 0 both, 1 sendmmsg only, 2 ring only */
} opt = {
	.seconds = 10, .own = 2, .known = 1, .used_indexes = 0xe,
};

static struct frame corpus[MAX_CORPUS];
static unsigned int nr_corpus;

/* counters */
static uint64_t by_fate[F_MAX], per_group[MAX_GROUPS][F_MAX];
static uint64_t sent_mmsg, sent_ring, ring_two_frags, send_errors, generated;

static uint64_t rng_state;

/* splitmix64: tiny, and the whole run follows from -s */
static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned int below(unsigned int n)
{
	return n ? rnd() % n : 0;
}

static void die(const char *what)
{
	perror(what);
	exit(2);
}

static uint32_t get24(const uint8_t *p)
{
	return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

static void put24(uint8_t *p, uint32_t v)
{
	p[0] = v >> 16;
	p[1] = v >> 8;
	p[2] = v;
}

static void group_mac(uint8_t *mac, uint32_t group)
{
	mac[0] = 0x03;
	mac[1] = 0x50;
	mac[2] = 0x43;
	put24(mac + 3, group);
}

static int group_slot(uint32_t group)
{
	unsigned int i;

	for (i = 0; i < opt.nr_groups; i++)
		if (opt.groups[i] == group)
			return i;
	return -1;
}

/*
 * The fate of a frame, by the rules of module/rx.c and of what stands in
 * front of it: the packet socket (at most MTU + 14 octets, or + 18 for a
 * VLAN-tagged frame), eth_type_trans (a unicast MAC not the lower's is
 * another host's; a length under 0x600 is no EtherType), the VLAN core
 * (a tagged frame is a VLAN device's), then pc5sec_handle_frame.
 */
static enum fate classify(const uint8_t *f, unsigned int len, int *slot)
{
	unsigned int etype = f[12] << 8 | f[13];
	const uint8_t *h = f + ETH_HLEN_;
	uint8_t mac[6];
	uint32_t dst;

	*slot = -1;
	if (len > opt.mtu + ETH_HLEN_ + VLAN_HLEN_ ||
	    (len > opt.mtu + ETH_HLEN_ && etype != 0x8100))
		return F_REFUSED;
	if (!(f[0] & 1) && memcmp(f, opt.lower_mac, 6))
		return F_OTHER;
	if (etype != ETHERTYPE)
		return F_OTHER;
	if (len < ETH_HLEN_ + HDR_LEN)
		return F_SHORT;
	dst = get24(h + 4);
	*slot = group_slot(dst);
	if (*slot < 0)
		return F_OTHER;
	group_mac(mac, dst);
	if (memcmp(f, mac, 6) || h[0] >> 4 != 1 || h[7] >> 5 != 0)
		return F_MALFORMED;
	if (!(opt.used_indexes & 1u << (h[7] & 0x1f)))
		return F_NOKEY;
	return F_LINK;
}

/* --- building frames --------------------------------------------------- */

static uint16_t csum(const uint8_t *p, unsigned int n, uint32_t s)
{
	for (; n > 1; p += 2, n -= 2)
		s += p[0] << 8 | p[1];
	if (n)
		s += p[0] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return ~s & 0xffff;
}

/*
 * A valid EEA0 frame for the -e group: an IPv4/UDP datagram to an address
 * that is no UE's (the SDU is delivered, then dropped by IP, so that no
 * reply disturbs anything), from one of 64 unknown senders, the known one
 * or our own, each with a COUNT of its own that goes up.
 */
static unsigned int build_eea0(uint8_t *f)
{
	static uint32_t counts[66];
	unsigned int who = below(66), plen = below(opt.mtu - HDR_LEN - 28 + 1);
	uint32_t src = who < 64 ? 0x100000 + who : who == 64 ? opt.known : opt.own;
	uint32_t count = counts[who]++;
	uint8_t *h = f + ETH_HLEN_, *ip = h + HDR_LEN, *udp = ip + 20;
	unsigned int i, tot;

	if (plen > 64 && below(4))
		plen = below(64);	/* mostly small */
	tot = 28 + plen;
	group_mac(f, opt.eea0_group);
	memcpy(f + 6, "\x02\x00\x00\x00\x00\x99", 6);
	f[12] = ETHERTYPE >> 8;
	f[13] = ETHERTYPE & 0xff;
	h[0] = 0x10;
	put24(h + 1, src);
	put24(h + 4, opt.eea0_group);
	h[7] = 1 + below(3);	/* one of the indexes the test installs */
	h[8] = count >> 24;
	h[9] = count >> 16;
	h[10] = count >> 8;
	h[11] = count;
	memset(ip, 0, 28);
	ip[0] = 0x45;
	ip[2] = tot >> 8;
	ip[3] = tot;
	ip[8] = 64;
	ip[9] = 17;
	memcpy(ip + 12, "\x0a\x09\x00\x09\x0a\xff\xff\x01", 8);
	i = csum(ip, 20, 0);
	ip[10] = i >> 8;
	ip[11] = i;
	udp[0] = 0x9c;
	udp[2] = 0x00;
	udp[3] = 9;		/* discard */
	udp[4] = (8 + plen) >> 8;
	udp[5] = 8 + plen;
	for (i = 0; i < plen; i++)
		udp[8 + i] = rnd();
	return ETH_HLEN_ + HDR_LEN + tot;
}

static void rand_bytes(uint8_t *p, unsigned int n)
{
	while (n--)
		*p++ = rnd();
}

static uint32_t some_group(void)
{
	return opt.groups[below(opt.nr_groups)];
}

/* One structure-aware mutation of frame @f (@len octets, at least 14). */
static unsigned int mutate(uint8_t *f, unsigned int len)
{
	uint8_t *h = f + ETH_HLEN_;
	bool hdr = len >= ETH_HLEN_ + HDR_LEN;
	unsigned int n, i, at;

	switch (below(16)) {
	case 0:		/* version and reserved nibbles */
		if (hdr)
			h[0] = below(2) ? below(16) << 4 | (h[0] & 15) : rnd();
		break;
	case 1:		/* SDU Type */
		if (hdr)
			h[7] = below(8) << 5 | (h[7] & 0x1f);
		break;
	case 2: {	/* PGK Index: installed, neighbours, any */
		static const uint8_t idx[] = { 0, 1, 2, 3, 4, 0x1f };

		if (hdr)
			h[7] = (h[7] & 0xe0) |
			       (below(4) ? idx[below(sizeof(idx))] : below(32));
		break;
	}
	case 3: {	/* PTK Identity */
		static const uint16_t ptk[] = { 0, 1, 0xfffe, 0xffff };
		unsigned int v = below(2) ? ptk[below(4)] :
				 below(2) ? (unsigned int)(h[8] << 8 | h[9]) + 1 :
				 (unsigned int)rnd();

		if (hdr) {
			h[8] = v >> 8;
			h[9] = v;
		}
		break;
	}
	case 4:		/* SN */
		if (hdr) {
			n = below(3) ? (unsigned int)rnd() :
			    (unsigned int)(h[10] << 8 | h[11]) + (below(2) ? 1 : 0xffff);
			h[10] = n >> 8;
			h[11] = n;
		}
		break;
	case 5: {	/* source member: own, known, unknown */
		uint32_t s[] = { opt.own, opt.known, 0, 0xffffff, rnd() & 0xffffff };

		if (hdr)
			put24(h + 1, s[below(5)]);
		break;
	}
	case 6:		/* Destination ID: another of the groups, or none */
		if (hdr)
			put24(h + 4, below(2) ? some_group() :
				     below(2) ? get24(h + 4) + 1 : rnd() & 0xffffff);
		break;
	case 7:		/* destination MAC */
		switch (below(6)) {
		case 0:
			group_mac(f, some_group());
			break;
		case 1:
			memset(f, 0xff, 6);
			break;
		case 2:
			memcpy(f, opt.lower_mac, 6);
			break;
		case 3:
			rand_bytes(f, 6); /* unicast */
			f[0] &= ~1;
			break;
		case 4:
			rand_bytes(f, 6); /* multicast */
			f[0] |= 1;
			break;
		default:
			if (hdr)
				group_mac(f, get24(h + 4));
			break;
		}
		break;
	case 8:		/* EtherType */
		n = below(4) ? ETHERTYPE + 1 - below(3) : rnd();
		if (below(4) == 0)
			n = below(0x600);	/* an 802.3 length */
		f[12] = n >> 8;
		f[13] = n;
		break;
	case 9:		/* an 802.1Q or 802.1ad tag */
		if (len + 4 <= opt.maxlen) {
			memmove(f + 16, f + 12, len - 12);
			n = below(2) ? 0x8100 : 0x88a8;
			f[12] = n >> 8;
			f[13] = n;
			f[14] = rnd() & 0x0f;
			f[15] = rnd();
			len += 4;
		}
		break;
	case 10:	/* truncated: to nothing, into the header, anywhere */
		n = len - ETH_HLEN_;
		len = ETH_HLEN_ + (below(2) ? below(HDR_LEN + 1) : below(n + 1));
		break;
	case 11:	/* longer: random octets, up to past the lower MTU */
		n = below(2) ? opt.mtu + ETH_HLEN_ - 3 + below(24) :
			       len + below(64);
		if (n > opt.maxlen)
			n = opt.maxlen;
		if (n > len)
			rand_bytes(f + len, n - len);
		len = n > len ? n : len;
		break;
	case 12:	/* a cut tag: 1 to 16 octets off the end */
		n = 1 + below(TAG_LEN);
		if (len >= ETH_HLEN_ + n)
			len -= n;
		break;
	case 13:	/* bit flips after the header */
		if (len > ETH_HLEN_ + HDR_LEN)
			for (n = 1 + below(4); n; n--) {
				at = ETH_HLEN_ + HDR_LEN +
				     below(len - ETH_HLEN_ - HDR_LEN);
				f[at] ^= 1 << below(8);
			}
		break;
	case 14:	/* a run of random octets after the header */
		if (len > ETH_HLEN_ + HDR_LEN) {
			at = ETH_HLEN_ + HDR_LEN + below(len - ETH_HLEN_ - HDR_LEN);
			n = 1 + below(len - at);
			rand_bytes(f + at, n);
		}
		break;
	default:	/* bit flips anywhere */
		for (n = 1 + below(3); n; n--) {
			i = below(len);
			f[i] ^= 1 << below(8);
		}
		break;
	}
	return len;
}

/* The next frame into @f (opt.maxlen octets); returns its length. */
static unsigned int next_frame(uint8_t *f)
{
	unsigned int len, n;
	const struct frame *c;

	if (opt.have_eea0 && below(4) == 0) {
		len = build_eea0(f);
		n = below(2) ? 0 : 1 + below(2);
	} else {
		c = &corpus[below(nr_corpus)];
		memcpy(f, c->buf, c->len);
		len = c->len;
		n = below(8) ? 1 + below(3) : 0;	/* some go as they are */
	}
	while (n--)
		len = mutate(f, len);
	generated++;
	return len;
}

/* --- the corpus --------------------------------------------------------- */

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every NAME.hex of @dir, in name order: one frame in hex, from the MACs. */
static void load_corpus(const char *dir)
{
	char *names[MAX_CORPUS], path[4096];
	unsigned int n = 0, i;
	struct dirent *d;
	DIR *dp = opendir(dir);

	if (!dp)
		die(dir);
	while ((d = readdir(dp))) {
		size_t l = strlen(d->d_name);

		if (l > 4 && !strcmp(d->d_name + l - 4, ".hex") && n < MAX_CORPUS)
			names[n++] = strdup(d->d_name);
	}
	closedir(dp);
	qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n; i++) {
		struct frame *c = &corpus[nr_corpus];
		int hi = -1, v, ch;
		FILE *fp;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		fp = fopen(path, "r");
		if (!fp)
			die(path);
		c->buf = calloc(1, opt.maxlen);
		if (!c->buf)
			die("calloc");
		c->len = 0;
		while ((ch = fgetc(fp)) != EOF && ch != '\n') {
			v = hexval(ch);
			if (v < 0)
				continue;
			if (hi < 0) {
				hi = v;
			} else if (c->len < opt.maxlen) {
				c->buf[c->len++] = hi << 4 | v;
				hi = -1;
			}
		}
		fclose(fp);
		free(names[i]);
		if (c->len < ETH_HLEN_) {
			fprintf(stderr, "%s: shorter than an Ethernet header\n", path);
			exit(2);
		}
		nr_corpus++;
	}
	if (!nr_corpus) {
		fprintf(stderr, "%s: no *.hex frames\n", dir);
		exit(2);
	}
}

/* --- sending -------------------------------------------------------------- */

/* Frames waiting in the softnet backlogs of all CPUs, and drops there. */
static void softnet(uint64_t *backlog, uint64_t *dropped)
{
	unsigned int v[13];
	char line[512];
	FILE *fp = fopen("/proc/net/softnet_stat", "r");

	*backlog = *dropped = 0;
	if (!fp)
		return;
	while (fgets(line, sizeof(line), fp)) {
		memset(v, 0, sizeof(v));
		if (sscanf(line, "%x %x %x %x %x %x %x %x %x %x %x %x %x",
			   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6],
			   &v[7], &v[8], &v[9], &v[10], &v[11], &v[12]) < 12)
			continue;
		*dropped += v[1];
		*backlog += v[11];
	}
	fclose(fp);
}

/*
 * Frames are sent faster than the guest's softirqs may take them (veth
 * queues them to the backlog of the sending CPU): wait while the backlogs
 * are long, so that none overflows and drops a frame nobody counts.
 */
static void throttle(void)
{
	uint64_t backlog, dropped;
	unsigned int i;

	for (i = 0; i < 10000; i++) {
		softnet(&backlog, &dropped);
		if (backlog < BACKLOG_HIGH)
			return;
		sched_yield();
	}
}

struct ring {
	int fd;
	uint8_t *map;
	unsigned int head;
};

static int packet_socket(int ifindex)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = 0,	/* send only */
		.sll_ifindex = ifindex,
	};
	int fd = socket(AF_PACKET, SOCK_RAW, 0);

	if (fd < 0)
		die("socket(AF_PACKET)");
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)))
		die("bind");
	return fd;
}

static void ring_open(struct ring *r, int ifindex)
{
	struct tpacket_req req = {
		.tp_block_size = RING_BSIZE,
		.tp_block_nr = RING_FRAMES * RING_FSIZE / RING_BSIZE,
		.tp_frame_size = RING_FSIZE,
		.tp_frame_nr = RING_FRAMES,
	};
	int v = TPACKET_V2, one = 1;

	r->fd = packet_socket(ifindex);
	if (setsockopt(r->fd, SOL_PACKET, PACKET_VERSION, &v, sizeof(v)) ||
	    setsockopt(r->fd, SOL_PACKET, PACKET_LOSS, &one, sizeof(one)) ||
	    setsockopt(r->fd, SOL_PACKET, PACKET_TX_RING, &req, sizeof(req)))
		die("PACKET_TX_RING");
	r->map = mmap(NULL, (size_t)RING_FRAMES * RING_FSIZE,
		      PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, 0);
	if (r->map == MAP_FAILED)
		die("mmap");
	r->head = 0;
}

/* The data of ring frame @i: where the kernel expects it for TPACKET_V2. */
static uint8_t *ring_data(struct ring *r, unsigned int i)
{
	return r->map + (size_t)i * RING_FSIZE + TPACKET2_HDRLEN -
	       sizeof(struct sockaddr_ll);
}

static void ring_flush(struct ring *r)
{
	if (send(r->fd, NULL, 0, 0) < 0) {
		send_errors++;
		if (errno != ENOBUFS && errno != EAGAIN)
			die("send(PACKET_TX_RING)");
	}
}

/* Puts @f in the next free ring frame (sending what is queued if none is). */
static void ring_put(struct ring *r, const uint8_t *f, unsigned int len)
{
	struct tpacket2_hdr *hd;
	uint8_t *data;
	unsigned int tries = 0;

	for (;;) {
		hd = (void *)(r->map + (size_t)r->head * RING_FSIZE);
		if (__atomic_load_n(&hd->tp_status, __ATOMIC_ACQUIRE) ==
		    TP_STATUS_AVAILABLE)
			break;
		ring_flush(r);
		if (++tries > 1000) {
			fprintf(stderr, "ring frame %u never available\n", r->head);
			exit(2);
		}
		usleep(100);
	}
	data = ring_data(r, r->head);
	memcpy(data, f, len);
	/*
	 * Past the Ethernet header a ring frame is always in fragments; one
	 * crossing a page is in two (counted: the test wants some).
	 */
	if (((uintptr_t)data + ETH_HLEN_) / 4096 !=
	    ((uintptr_t)data + len - 1) / 4096 && len > ETH_HLEN_)
		ring_two_frags++;
	hd->tp_len = len;
	__atomic_store_n(&hd->tp_status, TP_STATUS_SEND_REQUEST, __ATOMIC_RELEASE);
	r->head = (r->head + 1) % RING_FRAMES;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void account(const uint8_t *f, unsigned int len, FILE *out)
{
	int slot;
	enum fate fa = classify(f, len, &slot);
	unsigned int i;

	by_fate[fa]++;
	if (slot >= 0)
		per_group[slot][fa]++;
	if (out) {
		fprintf(out, "%s ", fate_name[fa]);
		for (i = 0; i < len; i++)
			fprintf(out, "%02x", f[i]);
		fputc('\n', out);
	}
}

static void usage(void)
{
	fprintf(stderr,
		"usage: pc5frames -c CORPUS -g GROUP[,GROUP...] -M LOWER_MAC\n"
		"                 (-i IFACE | -w FILE) [-s SEED] [-t SECONDS] [-n FRAMES]\n"
		"                 [-m MTU] [-e EEA0_GROUP] [-o OWN] [-k KNOWN]\n"
		"                 [-u INDEX_MASK] [-x both|mmsg|ring]\n");
	exit(2);
}

static void parse_args(int argc, char **argv)
{
	bool seconds_given = false;
	char *s, *tok;
	int c;

	opt.seed = (uint64_t)time(NULL) ^ (uint64_t)getpid() << 32;
	while ((c = getopt(argc, argv, "c:e:g:i:k:m:n:o:s:t:u:w:x:M:")) != -1) {
		switch (c) {
		case 'c':
			opt.corpus = optarg;
			break;
		case 'e':
			opt.eea0_group = strtoul(optarg, NULL, 0);
			opt.have_eea0 = true;
			break;
		case 'g':
			s = optarg;
			while ((tok = strsep(&s, ",")) && opt.nr_groups < MAX_GROUPS)
				opt.groups[opt.nr_groups++] = strtoul(tok, NULL, 0);
			break;
		case 'i':
			opt.iface = optarg;
			break;
		case 'k':
			opt.known = strtoul(optarg, NULL, 0);
			break;
		case 'm':
			opt.mtu = strtoul(optarg, NULL, 0);
			break;
		case 'n':
			opt.max_frames = strtoull(optarg, NULL, 0);
			break;
		case 'o':
			opt.own = strtoul(optarg, NULL, 0);
			break;
		case 's':
			opt.seed = strtoull(optarg, NULL, 0);
			break;
		case 't':
			opt.seconds = strtod(optarg, NULL);
			seconds_given = true;
			break;
		case 'u':
			opt.used_indexes = strtoul(optarg, NULL, 0);
			break;
		case 'w':
			opt.out = optarg;
			break;
		case 'x':
			opt.mode = !strcmp(optarg, "mmsg") ? 1 :
				   !strcmp(optarg, "ring") ? 2 : 0;
			break;
		case 'M':
			if (sscanf(optarg, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx",
				   &opt.lower_mac[0], &opt.lower_mac[1],
				   &opt.lower_mac[2], &opt.lower_mac[3],
				   &opt.lower_mac[4], &opt.lower_mac[5]) != 6)
				usage();
			break;
		default:
			usage();
		}
	}
	if (!opt.corpus || !opt.nr_groups || (!opt.iface && !opt.out))
		usage();
	if (!opt.mtu)
		opt.mtu = 1500;
	if (opt.max_frames && !seconds_given)
		opt.seconds = 1e9;	/* -n alone: exactly that many */
	if (opt.mtu + 64 > RING_FSIZE - TPACKET2_HDRLEN) {
		fprintf(stderr, "MTU %u: larger than the ring's frames\n", opt.mtu);
		exit(2);
	}
	/* room to go past the lower MTU, and for a VLAN tag on top */
	opt.maxlen = opt.mtu + ETH_HLEN_ + 64;
}

int main(int argc, char **argv)
{
	static uint8_t bufs[BATCH][RING_FSIZE];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	uint64_t backlog, drop0, drop1;
	struct ring ring = { .fd = -1 };
	unsigned int i, n, lens[BATCH], batch = 0;
	int fd = -1, ifindex;
	FILE *out = NULL;
	double t0, el;
	enum fate fa;
	int slot;

	parse_args(argc, argv);
	rng_state = opt.seed;
	load_corpus(opt.corpus);
	printf("seed 0x%016llx\ncorpus %u\n", (unsigned long long)opt.seed, nr_corpus);
	fflush(stdout);

	if (opt.out) {
		out = strcmp(opt.out, "-") ? fopen(opt.out, "w") : stdout;
		if (!out)
			die(opt.out);
	} else {
		ifindex = if_nametoindex(opt.iface);
		if (!ifindex)
			die(opt.iface);
		fd = packet_socket(ifindex);
		if (opt.mode != 1)
			ring_open(&ring, ifindex);
	}
	softnet(&backlog, &drop0);
	t0 = now();
	for (;;) {
		el = now() - t0;
		if (el >= opt.seconds || (opt.max_frames && generated >= opt.max_frames))
			break;
		n = 0;
		while (n < BATCH && (!opt.max_frames || generated < opt.max_frames))
			lens[n] = next_frame(bufs[n]), n++;
		for (i = 0; i < n; i++)
			account(bufs[i], lens[i], out);
		if (out)
			continue;
		throttle();
		/* odd batches through the ring, even ones through sendmmsg */
		if (opt.mode == 2 || (opt.mode == 0 && batch++ % 2)) {
			for (i = 0; i < n; i++) {
				fa = classify(bufs[i], lens[i], &slot);
				if (fa == F_REFUSED)
					continue;	/* the ring would log each */
				ring_put(&ring, bufs[i], lens[i]);
				sent_ring++;
			}
			ring_flush(&ring);
			continue;
		}
		/* refused frames one by one: each must fail with EMSGSIZE */
		unsigned int m = 0;

		for (i = 0; i < n; i++) {
			fa = classify(bufs[i], lens[i], &slot);
			if (fa == F_REFUSED) {
				if (send(fd, bufs[i], lens[i], 0) >= 0 || errno != EMSGSIZE) {
					fprintf(stderr, "a frame of %u octets was not refused\n",
						lens[i]);
					send_errors++;
				}
				continue;
			}
			iov[m].iov_base = bufs[i];
			iov[m].iov_len = lens[i];
			memset(&msgs[m], 0, sizeof(msgs[m]));
			msgs[m].msg_hdr.msg_iov = &iov[m];
			msgs[m].msg_hdr.msg_iovlen = 1;
			m++;
		}
		for (i = 0; i < m;) {
			int r = sendmmsg(fd, msgs + i, m - i, 0);

			if (r < 0) {
				if (errno != ENOBUFS)
					die("sendmmsg");
				/* that frame was dropped on the way: counted */
				send_errors++;
				i++;
				continue;
			}
			i += r;
			sent_mmsg += r;
		}
	}
	el = now() - t0;
	if (ring.fd >= 0) {
		ring_flush(&ring);
		/* every queued frame on its way before the counts are read */
		for (i = 0; i < 1000; i++) {
			struct tpacket2_hdr *hd;
			unsigned int k, busy = 0;

			for (k = 0; k < RING_FRAMES; k++) {
				hd = (void *)(ring.map + (size_t)k * RING_FSIZE);
				busy += hd->tp_status != TP_STATUS_AVAILABLE;
			}
			if (!busy)
				break;
			ring_flush(&ring);
			usleep(1000);
		}
	}
	softnet(&backlog, &drop1);
	printf("frames %llu\n", (unsigned long long)generated);
	printf("seconds %.1f\n", el);
	printf("rate %.0f\n", el > 0 ? generated / el : 0.0);
	for (i = 0; i < F_MAX; i++)
		printf("%s %llu\n", fate_name[i], (unsigned long long)by_fate[i]);
	for (i = 0; i < opt.nr_groups; i++)
		printf("group 0x%06x link %llu malformed %llu nokey %llu\n",
		       opt.groups[i],
		       (unsigned long long)(per_group[i][F_LINK] +
					    per_group[i][F_MALFORMED] +
					    per_group[i][F_NOKEY]),
		       (unsigned long long)per_group[i][F_MALFORMED],
		       (unsigned long long)per_group[i][F_NOKEY]);
	printf("sent_mmsg %llu\nsent_ring %llu\nring_two_frags %llu\n",
	       (unsigned long long)sent_mmsg, (unsigned long long)sent_ring,
	       (unsigned long long)ring_two_frags);
	printf("send_errors %llu\nsoftnet_dropped %llu\n",
	       (unsigned long long)send_errors,
	       (unsigned long long)(drop1 - drop0));
	if (out && out != stdout)
		fclose(out);
	return 0;
}
