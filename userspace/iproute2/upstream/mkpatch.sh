#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkpatch.sh IPROUTE2_GIT [TAG]: remakes 0001-ip-add-the-pc5sec-link-type.patch
# from iplink_pc5sec.c and ../../../uapi/linux/pc5sec.h on iproute2 at TAG
# (default v6.1.0): the file, the uapi header, ip/Makefile and the type in
# ip-link(8). The submitter adds their own Signed-off-by (git am -s).
set -eu -o pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$1
tag=${2:-v6.1.0}
work=$(mktemp -d /tmp/pc5sec-iproute2.XXXXXX)
trap 'git -C "$src" worktree remove --force "$work/tree" >/dev/null 2>&1; rm -rf "$work"' EXIT
git -C "$src" worktree add -q --detach "$work/tree" "$tag"
cd "$work/tree"
cp "$here/iplink_pc5sec.c" ip/
cp "$here/../../../uapi/linux/pc5sec.h" include/uapi/linux/pc5sec.h
sed -i 's/ipmacsec.o ipila.o/ipmacsec.o ipila.o iplink_pc5sec.o/' ip/Makefile
awk '{ print }
	/^\.BR macsec " \|"$/ && !a { print ".BR pc5sec \" |\""; a = 1 }
	/^- Interface for IEEE 802.1AE MAC Security \(MACsec\)$/ && !b {
		print ".sp"; print ".BR pc5sec"
		print "- Interface for 3GPP ProSe one-to-many (PC5 group) security"; b = 1 }' \
	man/man8/ip-link.8.in >"$work/man" && cp "$work/man" man/man8/ip-link.8.in
git add -A ip include man
git -c user.name="pc5sec developers" -c user.email="pc5sec@localhost" commit -q -F - <<'MSG'
ip: add the pc5sec link type

pc5sec is 3GPP ProSe one-to-many (PC5 group) security in a stacked
netdevice: IP packets become PC5 group frames on the lower link, ciphered
per TS 33.303. This adds its link settings to ip link:

  ip link add pc5 link eth0 type pc5sec group 0x42 member 1 cipher eea2
  ip -d link show pc5
  ip link set pc5 type pc5sec replay-window 128

Keys are not link settings; pc5ctl installs them over genetlink.
MSG
git format-patch -q -1 --stdout >"$here/0001-ip-add-the-pc5sec-link-type.patch"
git diff --stat HEAD~1
