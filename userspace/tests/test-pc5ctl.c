// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of pc5ctl.c itself, without a kernel: the lines "show" and
 * "monitor" print for a key, and command lines refused before any netlink
 * request (exit 2 and the message). pc5ctl.c is included, so that its
 * static functions can be called; its main() becomes pc5ctl_main(). Prints
 * one line per failed case and ends with "N passed, N failed".
 */
#define main pc5ctl_main
#include "../pc5ctl.c"
#undef main

#include <sys/wait.h>

#include "check.h"

/* What @fn printed to stdout; to be free()d */
static char *capture(void (*fn)(const void *), const void *arg)
{
	FILE *saved = stdout;
	char *out = NULL;
	size_t len = 0;

	fflush(stdout);
	stdout = open_memstream(&out, &len);
	if (!stdout) {
		stdout = saved;
		return strdup("");
	}
	fn(arg);
	fclose(stdout);
	stdout = saved;
	return out;
}

static void do_text_key(const void *k)
{
	text_key(k);
}

static void do_json_key(const void *k)
{
	json_key(k);
}

static void do_json_link(const void *lk)
{
	json_link(lk);
}

static void do_text_event(const void *ev)
{
	text_event(ev, "pc5");
}

static void do_json_event(const void *ev)
{
	json_event(ev, "pc5");
}

static void expect_out(const char *what, void (*fn)(const void *),
		       const void *arg, const char *want)
{
	char *got = capture(fn, arg);

	CHECK(!strcmp(got, want), "%s:\n  got  %s\n  want %s", what, got, want);
	free(got);
}

static void test_show(void)
{
	struct pc5nl_key k = {
		.pgk_id = 37, .pgk_index = 5, .mask = PC5NL_KEY_NOT_AFTER,
		.not_after = 1795885200, .state = PC5SEC_KEY_STATE_ACTIVE,
		.tx_ptk_id = 3, .tx_packets = 10, .rx_packets = 12,
	};

	/* without a limit: exactly what pc5ctl printed before limits */
	expect_out("text, no limit", do_text_key, &k,
		   "  key pgk-id 37 index 5 state active not-before - not-after 2026-11-28T17:00:00Z tx-ptk-id 3 tx-packets 10 rx-packets 12\n");
	expect_out("json, no limit", do_json_key, &k,
		   "{\"pgk_id\":37,\"pgk_index\":5,\"not_before\":null,\"not_after\":1795885200,\"state\":\"active\",\"tx_ptk_id\":3,\"tx_packets\":10,\"rx_packets\":12}");

	k.ptk_limit = 32;
	expect_out("text, limit", do_text_key, &k,
		   "  key pgk-id 37 index 5 state active not-before - not-after 2026-11-28T17:00:00Z tx-ptk-id 3 ptk-limit 32 tx-packets 10 rx-packets 12\n");
	expect_out("json, limit", do_json_key, &k,
		   "{\"pgk_id\":37,\"pgk_index\":5,\"not_before\":null,\"not_after\":1795885200,\"state\":\"active\",\"tx_ptk_id\":3,\"ptk_limit\":32,\"tx_packets\":10,\"rx_packets\":12}");

	k.ptk_limit = 0x10000;
	k.tx_ptk_id = 0x10000;
	k.state = PC5SEC_KEY_STATE_EXHAUSTED;
	expect_out("text, limit 65536", do_text_key, &k,
		   "  key pgk-id 37 index 5 state exhausted not-before - not-after 2026-11-28T17:00:00Z tx-ptk-id 65536 ptk-limit 65536 tx-packets 10 rx-packets 12\n");
}

/*
 * "link" keeps one type, a string or null; the ifindex is "link_index",
 * always, as in ip -j link.
 */
static void test_json_link(void)
{
	struct link_keys lk = {
		.link = { .ifindex = 7, .ifname = "pc5", .lower = 1 },
	};
	const char *tail = ",\"group\":null,\"member\":null,\"cipher\":null,"
			   "\"ethertype\":null,\"replay_window\":null,\"expiry_notice\":null,"
			   "\"rx_skew\":null,\"max_senders\":null,\"keys\":[],\"stats\":null}";
	char want[512];

	snprintf(want, sizeof(want), "{\"ifname\":\"pc5\",\"link\":\"lo\",\"link_index\":1%s", tail);
	expect_out("json link, lower here", do_json_link, &lk, want);
	lk.link.lower = 99999;
	snprintf(want, sizeof(want), "{\"ifname\":\"pc5\",\"link\":null,\"link_index\":99999%s", tail);
	expect_out("json link, lower gone", do_json_link, &lk, want);
	lk.link.lower = 4;
	lk.link.lower_netnsid = true;
	lk.link.netnsid = 3;
	snprintf(want, sizeof(want), "{\"ifname\":\"pc5\",\"link\":null,\"link_index\":4,\"link_netnsid\":3%s", tail);
	expect_out("json link, lower in another netns", do_json_link, &lk, want);
}

static void test_monitor(void)
{
	struct pc5nl_event ev = {
		.cmd = PC5SEC_CMD_EVT_KEY_ADDED, .ifindex = 7, .has_key = true,
		.key = { .pgk_id = 1, .pgk_index = 1, .tx_ptk_id = 0 },
	};

	expect_out("key-added, no limit", do_text_event, &ev,
		   "key-added pc5 pgk-id 1 index 1 not-before - not-after - tx-ptk-id 0\n");
	expect_out("key-added json, no limit", do_json_event, &ev,
		   "{\"event\":\"key-added\",\"ifindex\":7,\"ifname\":\"pc5\",\"key\":{\"pgk_id\":1,\"pgk_index\":1,\"not_before\":null,\"not_after\":null,\"state\":\"pending\",\"tx_ptk_id\":0,\"tx_packets\":0,\"rx_packets\":0}}\n");

	ev.cmd = PC5SEC_CMD_EVT_KEY_LIMIT;
	ev.key.tx_ptk_id = 2;
	ev.key.ptk_limit = 2;
	ev.key.state = PC5SEC_KEY_STATE_VALID;
	expect_out("key-limit", do_text_event, &ev,
		   "key-limit pc5 pgk-id 1 index 1 not-before - not-after - tx-ptk-id 2 ptk-limit 2\n");
	expect_out("key-limit json", do_json_event, &ev,
		   "{\"event\":\"key-limit\",\"ifindex\":7,\"ifname\":\"pc5\",\"key\":{\"pgk_id\":1,\"pgk_index\":1,\"not_before\":null,\"not_after\":null,\"state\":\"valid\",\"tx_ptk_id\":2,\"ptk_limit\":2,\"tx_packets\":0,\"rx_packets\":0}}\n");
}

/*
 * Runs pc5ctl_main() on @args (space-separated) in a child; returns its
 * exit status and the first line of its stderr in @err.
 */
static int run(const char *args, char *err, size_t errlen)
{
	char buf[512], *argv[32], *save = NULL, *w;
	int argc = 0, p[2], status;
	ssize_t n;
	size_t len = 0;
	pid_t pid;

	snprintf(buf, sizeof(buf), "pc5ctl %s", args);
	for (w = strtok_r(buf, " ", &save); w && argc < 31;
	     w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	err[0] = '\0';
	if (pipe(p))
		return -1;
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		close(p[0]);
		dup2(p[1], STDERR_FILENO);
		/* the usage text goes to stderr too; stdout stays quiet */
		if (!freopen("/dev/null", "w", stdout))
			_exit(99);
		_exit(pc5ctl_main(argc, argv));
	}
	close(p[1]);
	while (len + 1 < errlen &&
	       (n = read(p[0], err + len, errlen - 1 - len)) > 0)
		len += (size_t)n;
	err[len] = '\0';
	/* drain the rest so that the child never blocks on a full pipe */
	while (read(p[0], buf, sizeof(buf)) > 0)
		;
	close(p[0]);
	err[strcspn(err, "\n")] = '\0';
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* A command line refused with exit 2 and exactly the message @want. */
static void refused(const char *args, const char *want)
{
	char err[4096];
	int rc = run(args, err, sizeof(err));

	CHECK(rc == EXIT_USAGE && !strcmp(err, want),
	      "pc5ctl %s: exit %d \"%s\", want %d \"%s\"", args, rc, err,
	      EXIT_USAGE, want);
}

static void test_refusals(void)
{
	/* key set */
	refused("key set pc5 pgk-id 1 ptk-limit 0",
		"pc5ctl: ptk-limit \"0\": out of range (1 to 65536, 0x10000)");
	refused("key set pc5 pgk-id 1 ptk-limit 65537",
		"pc5ctl: ptk-limit \"65537\": out of range (1 to 65536, 0x10000)");
	refused("key set pc5 pgk-id 1 ptk-limit 0x10001",
		"pc5ctl: ptk-limit \"0x10001\": out of range (1 to 65536, 0x10000)");
	refused("key set pc5 pgk-id 1 ptk-limit 4294967296",
		"pc5ctl: ptk-limit \"4294967296\": out of range (1 to 65536, 0x10000)");
	refused("key set pc5 pgk-id 1 ptk-limit -1",
		"pc5ctl: ptk-limit \"-1\": not a number (decimal or 0x-hex)");
	refused("key set pc5 pgk-id 1 ptk-limit none",
		"pc5ctl: ptk-limit \"none\": not a number (decimal or 0x-hex)");
	refused("key set pc5 pgk-id 1",
		"pc5ctl: key set: pgk-id ID and ptk-limit N are required");
	refused("key set pc5 ptk-limit 32",
		"pc5ctl: key set: pgk-id ID and ptk-limit N are required");
	refused("key set pc5",
		"pc5ctl: key set: pgk-id ID and ptk-limit N are required");
	refused("key set pc5 pgk-id 256 ptk-limit 32",
		"pc5ctl: pgk-id \"256\": out of range (0 to 255, 0xff)");
	refused("key set pc5 pgk-id 1 ptk-limit 32 ptk-limit 64",
		"pc5ctl: key set: ptk-limit given twice");
	refused("key set pc5 pgk-id 1 ptk-limit",
		"pc5ctl: key set: ptk-limit needs a value");
	refused("key set pc5 pgk-id 1 ptk-limit 32 ptk-start 3",
		"pc5ctl: key set: unknown argument \"ptk-start\"");
	refused("key set pc5 pgk-id 1 ptk-limit 32 not-after +60",
		"pc5ctl: key set: unknown argument \"not-after\"");
	refused("key set", "pc5ctl: key set: NAME missing");
	refused("key set 0123456789abcdef pgk-id 1 ptk-limit 32",
		"pc5ctl: key set: \"0123456789abcdef\" is not an interface name (1 to 15 characters)");
	refused("key", "pc5ctl: key: which command? (add, set, del, flush, show)");
	refused("key limit pc5", "pc5ctl: unknown command \"key limit\"");

	/* key add ... ptk-limit */
	refused("key add pc5 pgk-id 1 key-file - ptk-limit 0",
		"pc5ctl: ptk-limit \"0\": out of range (1 to 65536, 0x10000)");
	refused("key add pc5 pgk-id 1 key-file - ptk-limit 65537",
		"pc5ctl: ptk-limit \"65537\": out of range (1 to 65536, 0x10000)");
	refused("key add pc5 pgk-id 1 keyring d ptk-limit 1x",
		"pc5ctl: ptk-limit \"1x\": not a number (decimal or 0x-hex)");
	refused("key add pc5 pgk-id 1 key-file - ptk-limit 5 ptk-limit 6",
		"pc5ctl: key add: ptk-limit given twice");
	refused("key add pc5 key-file - ptk-limit 5",
		"pc5ctl: key add: pgk-id ID and key-file PATH|- (or keyring DESC) are required");

	/*
	 * Issue 12, path 4: no default PTK Identity. With a default of 0 the
	 * same key file (or keyring key) installed again after a reboot
	 * reused every COUNT; the number is asked for, 0 included.
	 */
	refused("key add pc5 pgk-id 1 key-file /nonexistent",
		"pc5ctl: key add: ptk-start N is required: installing a PGK again from a "
		"PTK Identity it sent under reuses keystream; give one past every "
		"PTK Identity used with this PGK (0 only for a PGK never used)");
	refused("key add pc5 pgk-id 1 keyring pc5sec:none not-after +60",
		"pc5ctl: key add: ptk-start N is required: installing a PGK again from a "
		"PTK Identity it sent under reuses keystream; give one past every "
		"PTK Identity used with this PGK (0 only for a PGK never used)");
	refused("key add pc5 pgk-id 1 key-file - ptk-start",
		"pc5ctl: key add: ptk-start needs a value");
	{
		char err[4096];
		/* given: the command goes on to the link (none here: exit 1) */
		int rc = run("key add pc5kt-none0 pgk-id 1 key-file /nonexistent ptk-start 0",
			     err, sizeof(err));

		CHECK(rc == 1 && !strstr(err, "ptk-start"), "ptk-start 0: exit %d %s", rc, err);
	}

	/* the ranges of the other numbers are unchanged */
	refused("key add pc5 pgk-id 1 key-file - ptk-start 65536",
		"pc5ctl: ptk-start \"65536\": out of range (0 to 65535, 0xffff)");
	refused("key del pc5 pgk-id 0x100",
		"pc5ctl: pgk-id \"0x100\": out of range (0 to 255, 0xff)");
}

/*
 * iproute2's habits: unique prefixes of the command words (an ambiguous
 * one is refused with its candidates), "link show" and "key show", -n.
 */
static void test_words(void)
{
	char err[4096];
	int rc;

	refused("s pc5", "pc5ctl: \"s\" is ambiguous: show, sender");
	refused("key s pc5", "pc5ctl: \"s\" is ambiguous: set, show");
	refused("l s pc5", "pc5ctl: \"s\" is ambiguous: set, show");
	refused("k se pc5 pgk-id 1", "pc5ctl: key set: pgk-id ID and ptk-limit N are required");
	refused("ke set pc5 ptk-limit 3", "pc5ctl: key set: pgk-id ID and ptk-limit N are required");
	refused("l a", "pc5ctl: link add: NAME missing");
	refused("link d", "pc5ctl: link del: NAME missing");
	refused("se r", "pc5ctl: sender reset: NAME missing");
	refused("key show", "pc5ctl: key show: NAME missing");
	refused("key sho pc5 senders x", "pc5ctl: show: unexpected argument \"senders\"");
	refused("x", "pc5ctl: unknown command \"x\"");
	refused("links", "pc5ctl: unknown command \"links\"");
	refused("key addd pc5", "pc5ctl: unknown command \"key addd\"");
	refused("sender show pc5", "pc5ctl: unknown command \"sender show\"");
	refused("-s -d --stats --details x", "pc5ctl: unknown command \"x\"");
	refused("-n", "pc5ctl: -n: which netns?");
	refused("-n a/b show", "pc5ctl: -n: \"a/b\" is not a netns name");
	refused("--netns .. show", "pc5ctl: -n: \"..\" is not a netns name");
	rc = run("-n pc5kt-none show", err, sizeof(err));
	CHECK(rc == 1 && !strcmp(err, "pc5ctl: netns \"pc5kt-none\": No such file or directory "
				     "(/run/netns/pc5kt-none)"),
	      "-n pc5kt-none: exit %d \"%s\"", rc, err);
}

/* pc5ctl_main("pc5ctl ARG"): its stdout (to free); its exit status in @rc */
static char *main_out(char *arg, int *rc)
{
	FILE *saved = stdout;
	char *out = NULL, *argv[] = { "pc5ctl", arg, NULL };
	size_t len = 0;

	fflush(stdout);
	stdout = open_memstream(&out, &len);
	if (!stdout) {
		stdout = saved;
		*rc = -1;
		return strdup("");
	}
	*rc = pc5ctl_main(2, argv);
	fclose(stdout);
	stdout = saved;
	return out;
}

/* -V prints the version, which is dkms.conf's, and exits 0. */
static void test_version(void)
{
	int rc;
	char *out = main_out("-V", &rc);

	CHECK(rc == 0 && !strcmp(out, "pc5ctl " PC5SEC_VERSION "\n") &&
	      strlen(PC5SEC_VERSION) > 0,
	      "-V: exit %d \"%s\"", rc, out);
	free(out);
}

/* Every usage line is in "help", which exits 0. */
static void test_help(void)
{
	int rc;
	char *out = main_out("help", &rc);

	CHECK(rc == 0, "help: exit %d", rc);
	CHECK(strstr(out, "\n  pc5ctl key set NAME pgk-id ID ptk-limit N\n"),
	      "help lacks key set: %s", out);
	CHECK(strstr(out, "{key-file PATH|- | keyring DESC} ptk-start N [not-before TIME] "
			  "[not-after TIME] [ptk-limit N]\n"),
	      "help lacks key add's ptk-start and ptk-limit: %s", out);
	free(out);
}

int main(void)
{
	test_show();
	test_json_link();
	test_monitor();
	test_refusals();
	test_help();
	test_words();
	test_version();
	return check_summary();
}
