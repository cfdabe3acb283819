#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 1200
#
# The packages on a clean Debian root, as a UE installs them: apt installs
# pc5sec-dkms and pc5sec-tools from their .deb files (offline: the root
# has their dependencies); DKMS builds pc5sec for the running kernel in
# the guest; modprobe loads it; Debian's ip finds the pc5sec link type;
# the pc5keyd user exists, in group tss (the TPM's), and the unit is
# installed, neither enabled nor started.
. "$LAB_TOP/tests/deb/guest/lib.sh"

step "a clean root: nothing of pc5sec"
expect_fail "no package of pc5sec installed" dpkg-query -W 'pc5sec*'
expect_fail "no pc5sec module" modinfo pc5sec
expect_fail "no pc5keyd user" id pc5keyd
snapshot /tmp/before.txt

step "apt install the two packages (DKMS builds pc5sec here)"
mkdir -p /tmp/debs
cp "$DEB_DIR"/pc5sec-dkms_*_all.deb "$DEB_DIR"/pc5sec-tools_*_amd64.deb /tmp/debs/
t0=$SECONDS
expect "apt-get install" env DEBIAN_FRONTEND=noninteractive apt-get install -y \
	--no-install-recommends -o Dpkg::Use-Pty=0 /tmp/debs/*.deb
echo "apt-get install took $((SECONDS - t0)) s"
dpkg-query -W 'pc5sec*'
ver=$(dpkg-query -W -f '${Version}' pc5sec-dkms)

step "DKMS built and installed pc5sec for $KVER"
dkms status
expect_match "dkms status" "$(dkms status pc5sec)" "^pc5sec/$ver, $KVER, x86_64: installed"
for m in pc5sec pc5sec-algs; do
	f=$(modinfo -n "$m")
	expect_match "$m is DKMS's" "$f" "^/lib/modules/$KVER/updates/dkms/$m\.ko"
	expect_eq "$m's vermagic" "$(modinfo -F vermagic "$m" | cut -d' ' -f1)" "$KVER"
done

step "modprobe pc5sec"
expect "modprobe pc5sec" modprobe pc5sec
expect "pc5sec loaded" grep -q '^pc5sec ' /proc/modules

step "Debian's ip makes a pc5sec link (the package's link_pc5sec.so)"
ip link add radio0 type dummy
expect "ip link add type pc5sec" ip link add pc5 link radio0 type pc5sec \
	group 0x42 member 1 cipher eea2
d=$(ip -d link show pc5)
echo "$d"
expect_match "ip -d link show" "$d" "pc5sec group 0x000042 member 0x000001 cipher eea2"
expect_match "pc5ctl sees it" "$($PC5CTL show pc5)" "group 0x000042 member 0x000001"
ip link del pc5
ip link del radio0

step "pc5keyd: its user, its unit (neither enabled nor started)"
uid=$(id -u pc5keyd)
expect "pc5keyd is a system user ($uid)" test "$uid" -lt 1000
expect_eq "pc5keyd's shell" "$(getent passwd pc5keyd | cut -d: -f7)" /usr/sbin/nologin
expect_eq "pc5keyd.service enabled?" "$(systemctl is-enabled pc5keyd.service || true)" disabled
expect_eq "pc5keyd.service active?" "$(systemctl is-active pc5keyd.service || true)" inactive
expect_eq "the unit's pc5keyd" "$(unit_prop ExecStart | grep -o 'path=[^ ;]*')" "path=/usr/sbin/pc5keyd"
expect "pc5ctl -V" $PC5CTL -V
# /dev/tpmrm0 is root:tss 0660 (tpm-udev's rule): the key store's TPM
expect_match "pc5keyd's groups ($(id -nG pc5keyd))" " $(id -nG pc5keyd) " " tss "
