# SPDX-License-Identifier: GPL-2.0
#
#   make                 module + userspace tools
#   make check           build, lint, KUnit, every lab test but the long ones
#                        (installs deps; under an hour on 2 cores)
#   make check-long      what make check leaves out: fault injection on the
#                        debug kernel, the bench smoke run
#   make demo            three UEs in a group, in the QEMU lab (installs deps)
#   make kunit           KUnit suites under UML
#   make lab [TESTS=..]  lab tests only
#   make lab-debug [TESTS=..]
#                        lab tests on the debug kernel (KASAN, kmemleak,
#                        lockdep, ...), built once into the cache
#   make coverage [TESTS=..]
#                        the lines of the modules the lab's tests reach
#                        (gcov; default: the two fuzzers)
#   make lint            W=1 + sparse + checkpatch --strict on the module
#   make check-matrix    the lab on Debian's 6.12 and 6.12-rt kernels too
#   make check-lane-proof
#                        plants a use-after-free, leaks, a lock-order
#                        inversion and work queued on a freed link in copies
#                        of the module: the debug lane must fail on each,
#                        naming the report
#   make check-races     race-teardown on the debug kernel, 200 rounds of
#                        each teardown per half (some 30 min)
#   make powercut        a UE's power cut at 30 random moments, booted again
#                        from its disk: no COUNT twice on the air (also in
#                        make check; POWERCUT_SEED=N replays a run)
#   make dkms-install    the module's source into /usr/src, built by DKMS for
#                        every kernel with headers (make dkms-uninstall)
#   make bench           pc5sec against MACsec, WireGuard, IPsec, in the lab;
#                        BENCH_QUICK=1: the smoke run (see bench/README.md)
#   make bench-scaling   each method at 1 and at 2 vCPUs, pc5sec inline and
#                        on every CPU (issue 18; bench/README.md)
#   make deb             Debian packages in build/deb/, lintian-checked
#   make check-deb [TESTS=..]
#                        those packages on a clean Debian root under systemd
#                        as PID 1, in the lab: apt install (DKMS), modprobe,
#                        pc5keyd's unit, apt remove and purge
#   make install DESTDIR=D
#   make check-wireshark the Wireshark dissector's tshark tests, plain and
#                        under ASan (make wireshark, make install-wireshark)
#   make wireshark-screenshot
#                        the README's picture of Wireshark decrypting the
#                        lab's air (Xvfb)
#
# KDIR: kernel build directory. Default: that of Debian's default kernel
# (6.1 on Debian 12), else the running kernel's, else the newest under
# /lib/modules. `make lint` also builds against every other kernel whose
# headers are installed (Debian's 6.12 and 6.12-rt). The lab boots the kernel
# image matching the module's vermagic, so KDIR also picks the lab kernel.

# Recursive (=): evaluated when used, after scripts/deps has run. Debian's
# default first (what linux-headers-amd64 depends on): the lab boots it,
# and neither the 6.12 headers the lint also builds against nor a host
# running a kernel whose headers happen to be installed may take its place.
DEBIAN_KVER = $(patsubst linux-headers-%,%,$(firstword $(shell dpkg-query -W -f='$${Depends}' linux-headers-amd64 2>/dev/null)))
KDIR = $(or $(if $(DEBIAN_KVER),$(wildcard /lib/modules/$(DEBIAN_KVER)/build)),$(wildcard /lib/modules/$(shell uname -r)/build),$(lastword $(sort $(wildcard /lib/modules/*/build))))
KVER = $(shell cat $(KDIR)/include/config/kernel.release 2>/dev/null)

DESTDIR ?=
PREFIX ?= /usr
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
INCLUDEDIR ?= $(PREFIX)/include

KMAKE = $(MAKE) -C $(KDIR) M=$(CURDIR) CONFIG_PC5SEC=m

.PHONY: all module userspace deps clean install dkms-install dkms-uninstall check check-long bench-scaling check-arm64 check-deb check-lane-proof check-matrix check-races check-wireshark wireshark install-wireshark wireshark-screenshot deb kunit lab lab-debug coverage demo lint bench powercut

all: module userspace

deps:
	@scripts/deps build keyd

module: deps
	@test -d "$(KDIR)" || { echo "no kernel build directory; set KDIR=" >&2; exit 1; }
	$(KMAKE) modules

userspace: deps
	$(MAKE) -C userspace

install: all
	install -D -m 0644 module/pc5sec.ko $(DESTDIR)/lib/modules/$(KVER)/updates/pc5sec.ko
	install -D -m 0644 module/pc5sec-algs.ko $(DESTDIR)/lib/modules/$(KVER)/updates/pc5sec-algs.ko
	install -D -m 0644 uapi/linux/pc5sec.h $(DESTDIR)$(INCLUDEDIR)/linux/pc5sec.h
	$(MAKE) -C userspace install DESTDIR=$(DESTDIR) SBINDIR=$(SBINDIR) MANDIR=$(MANDIR)
	@if pkg-config --exists wireshark; then \
		$(MAKE) -C userspace/wireshark install DESTDIR=$(DESTDIR); \
	else \
		echo "install: no wireshark-dev: the Wireshark plugin is not built (make install-wireshark)"; \
	fi
	@if [ -z "$(DESTDIR)" ]; then depmod -a $(KVER); fi

# DKMS: the source into /usr/src/pc5sec-VERSION, then built and installed
# for every kernel with headers, and again for each new kernel.
DKMS_VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
dkms-install:
	scripts/dkms-src /usr/src/pc5sec-$(DKMS_VERSION)
	dkms add pc5sec/$(DKMS_VERSION)
	for k in $$(ls /lib/modules); do \
		test -e /lib/modules/$$k/build/Makefile || continue; \
		dkms install pc5sec/$(DKMS_VERSION) -k $$k || exit 1; \
	done

dkms-uninstall:
	dkms remove pc5sec/$(DKMS_VERSION) --all
	rm -rf /usr/src/pc5sec-$(DKMS_VERSION)

lint: deps
	@scripts/deps lint
	@scripts/lint "$(KDIR)"

kunit:
	@scripts/deps kunit
	tests/kunit/run

lab: module userspace wireshark
	@scripts/deps lab
	KDIR=$(KDIR) tests/lab/run $(TESTS)

lab-debug: userspace
	@scripts/deps lab debug
	tests/lab/run-debug $(TESTS)

# The lines of pc5sec.ko and pc5sec-algs.ko the lab's tests reach (gcov on
# the debug kernel): by default the two fuzzers, TESTS=... for others.
coverage: userspace
	@scripts/deps lab debug
	tests/lab/run-coverage $(TESTS)

powercut: module userspace
	@scripts/deps lab keyd
	KDIR=$(KDIR) tests/powercut/run

demo: module userspace wireshark
	@scripts/deps lab
	tests/lab/run --demo

# Builds its own module, with CONFIG_PC5SEC_BENCH, into build/bench/.
bench: module userspace
	@scripts/deps lab bench
	KDIR=$(KDIR) BENCH_QUICK=$(BENCH_QUICK) tests/bench/run

bench-scaling: module userspace
	@scripts/deps lab bench
	KDIR=$(KDIR) tests/bench/scaling

# The lab on Debian's 6.12 and 6.12 PREEMPT_RT, booted in QEMU (not in
# make check: an hour of CI would not hold it).
check-matrix: userspace wireshark
	@scripts/deps lab matrix
	KDIR=$(KDIR) tests/matrix/run $(TESTS)

# pc5sec on Debian's arm64 kernel under qemu-system-aarch64: cross-built
# module and tools, the data-path lab tests and the wire's known answers
# recorded on amd64 (tests/arm64/run; not in make check: 6.5 minutes with
# the cache warm, 7 cold).
check-arm64: userspace
	@scripts/deps arm64
	KDIR=$(KDIR) tests/arm64/run $(TESTS)

# The packages of make deb installed by apt on a clean Debian root (made
# by mmdebstrap, cached), booted with systemd as PID 1 (tests/deb/run; not
# in make check).
check-deb: module userspace
	@scripts/deps deb debroot
	tests/deb/run $(TESTS)

check-lane-proof: userspace
	@scripts/deps lab debug
	tests/lab/lane-proof/run

# The Wireshark dissector (userspace/wireshark/README.md): not part of all,
# as it needs libwireshark to build; make install installs it where
# wireshark-dev is installed. check-wireshark builds it plain and under
# ASan/UBSan and runs its tshark tests (about 40 s).
wireshark: deps
	@scripts/deps wireshark
	$(MAKE) -C userspace/wireshark

install-wireshark: wireshark
	$(MAKE) -C userspace/wireshark install DESTDIR=$(DESTDIR)

check-wireshark: deps
	@scripts/deps wireshark
	$(MAKE) -C userspace/wireshark test

# Debian packages into build/deb/ (debian/, from the committed tree), and
# lintian on them: pc5sec-dkms, pc5sec-tools, pc5sec-wireshark.
deb:
	@scripts/deps deb
	scripts/deb

# The README's picture: the lab's wireshark test leaves its capture and
# (test) keys in build/lab, and Wireshark's GUI shows them under Xvfb.
wireshark-screenshot: module userspace wireshark
	@scripts/deps lab screenshot
	KDIR=$(KDIR) tests/lab/run wireshark
	userspace/wireshark/screenshot.sh build/lab/wireshark-air.pcap \
		build/lab/wireshark-keys Documentation/images/wireshark-pc5sec.png

# Hundreds of rounds of each teardown race (issue 13), where make check
# runs some 20 of each: 1400 rounds per half, 7 kinds of teardown.
RACE_ROUNDS ?= 1400
check-races: userspace
	@scripts/deps lab debug
	LAB_ENV="RACE_ROUNDS=$(RACE_ROUNDS)" LAB_TIMEOUT=7200 LAB_OUT=build/races \
		tests/lab/run-debug race-teardown

check: all
	@scripts/deps lab kunit lint debug wireshark
	@scripts/check

# What does not fit make check's hour: the lab tests marked "# lab-check:
# long", on the debug kernel those of its lane (fault injection) and on
# Debian's the others (the air through Wireshark, the pkcs11 and tpm2 key
# stores), DKMS for every installed kernel (make check: the lab's), and
# one short iteration of make bench (it must run; its figures are never
# judged).
LONG_TESTS = $(shell grep -l '^\# lab-check: long' tests/lab/tests/*.sh)
LONG_DEBUG = $(basename $(notdir $(shell grep -l '^\# lab-lane: debug' $(LONG_TESTS))))
LONG_DEBIAN = $(filter-out $(LONG_DEBUG),$(basename $(notdir $(LONG_TESTS))))
check-long: module userspace wireshark
	@scripts/deps lab debug bench
	tests/lab/run-debug $(LONG_DEBUG)
	tests/lab/run $(LONG_DEBIAN)
	tests/dkms/run
	$(MAKE) -s bench BENCH_QUICK=1

clean:
	-$(KMAKE) clean
	$(MAKE) -C userspace clean
	$(MAKE) -C userspace/wireshark clean
	rm -rf build
