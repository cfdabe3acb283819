#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: three UEs (police, fire, rescue radios) in one ProSe group,
# inside the QEMU lab. Printed live on the host's terminal.
. "$LAB_TOP/tests/lab/lib.sh"

say() { printf '\n\033[1m%s\033[0m\n' "$*"; }
run() {
	printf '%s$ %s\n' "${UE:-lab}" "$*"
	"$@"
}

say "pc5sec demo: a ProSe group of three UEs on a shared sidelink"
cat <<'TXT'
Each UE is a network namespace. Their radios (eth0) all hang off one
bridge, "air": whatever one UE transmits, every other UE hears, just like
a PC5 sidelink channel. pc5sec sits on top of eth0 as a stacked link.
TXT

say "1. Load the pc5sec kernel module (the build from this checkout)"
run insmod "$LAB_TOP/module/pc5sec.ko"
run grep pc5sec /proc/modules

say "2. Three UEs join the air"
for u in A B C; do ue $u; done
run ip -br link show master air

say "3. Each UE creates a pc5sec link on its radio with stock iproute2"
for u in A B C; do
	UE=$u run on $u ip link add pc5 link eth0 type pc5sec
done
UE=A run on A ip -d link show pc5

say "4. Without keys, nothing leaves a UE: packets are dropped and counted"
on A sysctl -qw net.ipv6.conf.pc5.disable_ipv6=1
on A ip link set pc5 up
on A ip addr add 10.5.0.1/24 dev pc5
UE=A run on A ping -c 3 -W 1 10.5.0.2 || true
UE=A run on A ip -s link show pc5

say "5. Links go away with their radio, or with the UE"
UE=C run on C ip link del eth0
UE=C run on C ip link show pc5 || true
run ip netns del B
run rmmod pc5sec
say "Done. The next releases add group keys (pc5ctl), encryption on the wire and a capture."
