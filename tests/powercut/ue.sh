#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 120
#
# One boot of the power-cut test's UE (tests/powercut/run, on the host,
# boots it again and again and cuts its power). The UE's state lives on a
# virtual disk (ext4 on /dev/vda, a raw image on the host); pc5keyd fetches
# its keys over PC3 from the host's PKMF (QEMU user networking: 10.0.2.2),
# pc5sec's lower is the NIC whose traffic QEMU writes to the host's pcap
# (the air, kept across every boot). The host reads /run/lab/phase to
# know where the boot is: "disk" once the state directory is mounted,
# "stream" once the UE sends, "done" when a final boot ends cleanly.
#
# Environment (LAB_ENV): PC_CYCLE (0 provisions the state directory with
# pc5keyd --init, as the UE's first boot would), PC_PORT the PKMF's port on
# the host, PC_PKI the test PKI (under the checkout), PC_FINAL=1 for the
# last boot, which is not cut: it sends for a few seconds and ends
# cleanly. PC_STORE: pc5keyd's key-store (file, or tpm2 on the guest's
# TPM, which the host keeps across boots).
. "$LAB_TOP/tests/lab/lib.sh"
KEYD=$LAB_TOP/userspace/pc5keyd/pc5keyd
phase() { echo "$1" >"$LAB_OUT/phase"; }

step "boot $PC_CYCLE: the state disk"
modprobe virtio_blk
modprobe virtio_net
modprobe ext4
mkdir -p /tmp/state
# After a cut the journal is replayed here: that is the power cut's fsck.
mount -t ext4 /dev/vda /tmp/state || fail "the state disk does not mount"
dmesg | grep -E 'EXT4-fs \(vda\)' | tail -n 3

# The PKI comes from the host's share; pc5keyd refuses a key file that
# others may read, and the share shows the host's modes: copy it.
mkdir -p /tmp/pki
cp "$PC_PKI"/{ca.pem,ue-a.pem,ue-a.key} /tmp/pki/
chmod 600 /tmp/pki/ue-a.key
cat >/tmp/pc5keyd.conf <<CONF
pkmf-url = https://10.0.2.2:$PC_PORT/pc3
ca-file = /tmp/pki/ca.pem
cert-file = /tmp/pki/ue-a.pem
key-file = /tmp/pki/ue-a.key
ue-id = ue-a
state-dir = /tmp/state/keyd
retry-min = 1
retry-max = 2
timeout = 10
watermark-block = 2
watermark-interval = 1
key-store = ${PC_STORE:-file}
[group 0x000042]
link = pc5
lower = eth0
address = 10.5.0.1/24
CONF
if [ "$PC_CYCLE" = 0 ]; then
	expect "the first boot provisions the state directory" \
		"$KEYD" -c /tmp/pc5keyd.conf --init
fi
phase disk

step "PC3 on the NIC, pc5keyd, the stream"
ip link set eth0 up
ip addr add 10.0.2.15/24 dev eth0
load_pc5sec
"$KEYD" -c /tmp/pc5keyd.conf --foreground --debug 2>>"$LAB_OUT/keyd.log" &
keyd=$!
track $keyd
# shellcheck disable=SC2317
keyed() { [[ "$("$PC5CTL" -j show pc5 2>/dev/null)" == *'"pgk_id"'* ]]; }
wait_for 60 "pc5keyd installed a PGK" keyed
# a steady stream, 200 datagrams a second, to no one in particular: the
# group hears it (IFF_NOARP: no neighbour to resolve)
ping -q -i 0.005 -s 32 10.5.0.2 >/dev/null 2>&1 &
pinger=$!
track $pinger
# "stream" means frames are on the air: a boot cut in it must show them
# shellcheck disable=SC2317
sending() { [ "$(cat /sys/class/net/pc5/statistics/tx_packets)" -ge 10 ]; }
wait_for 30 "the stream starts" sending
phase stream
"$PC5CTL" show pc5 | sed -n '1,4p'

if [ "${PC_FINAL:-0}" = 1 ]; then
	sleep 3
	kill $pinger
	wait $pinger || true
	sleep 0.5
	sent=$(cat /sys/class/net/pc5/statistics/tx_packets)
	expect "the final boot sends" test "$sent" -gt 100
	# the host compares it with the frames of this boot on the air
	echo "$sent" >"$LAB_OUT/tx_packets"
	kill -TERM $keyd
	wait $keyd || fail "pc5keyd did not end cleanly"
	if [ "${PC_STORE:-file}" = tpm2 ]; then
		# every boot unsealed the store the first one sealed to this TPM
		expect "the keys rest sealed" test -s /tmp/state/keyd/keys-000042.sealed
		expect_fail "and nowhere in plaintext" test -e /tmp/state/keyd/keys-000042.xml
	fi
	umount /tmp/state
	phase "done"
else
	# the host cuts the power; until then, as long as it likes
	sleep 100
fi
