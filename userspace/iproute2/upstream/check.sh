#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh IPROUTE2_GIT [TAG]: 0001-ip-add-the-pc5sec-link-type.patch
# applies to iproute2 at TAG (default v6.1.0, Debian 12's) with git am,
# the patched tree builds ip with -Werror on the new file, and that ip
# knows the type (ip link help pc5sec). IPROUTE2_GIT is a clone of
# https://git.kernel.org/pub/scm/network/iproute2/iproute2.git (or its
# GitHub mirror). Not part of make check: CI has no iproute2 tree.
set -eu -o pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$1
tag=${2:-v6.1.0}
work=$(mktemp -d /tmp/pc5sec-iproute2.XXXXXX)
trap 'git -C "$src" worktree remove --force "$work/tree" >/dev/null 2>&1; rm -rf "$work"' EXIT
git -C "$src" worktree add -q --detach "$work/tree" "$tag"
cd "$work/tree"
git -c user.name=check -c user.email=check@localhost am -q "$here/0001-ip-add-the-pc5sec-link-type.patch"
echo "ok   the patch applies to $tag"
./configure >"$work/configure.log" 2>&1
make -s -j"$(nproc)" SUBDIRS="lib ip" >"$work/build.log" 2>&1 ||
	{ tail -20 "$work/build.log"; exit 1; }
# again, the new file alone, with every warning an error
touch ip/iplink_pc5sec.c
make -s SUBDIRS=ip CCOPTS="-O2 -pipe -Werror" >>"$work/build.log" 2>&1 ||
	{ tail -20 "$work/build.log"; exit 1; }
echo "ok   ip builds, ip/iplink_pc5sec.c with -Werror"
./ip/ip link help pc5sec 2>&1 | grep -q '^Usage: \.\.\. pc5sec' ||
	{ ./ip/ip link help pc5sec; exit 1; }
echo "ok   the patched ip: ip link help pc5sec"
