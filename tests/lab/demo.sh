#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: three UEs (police, fire, rescue radios) in one ProSe group,
# inside the QEMU lab. Printed live on the host's terminal.
. "$LAB_TOP/tests/lab/lib.sh"

say() { printf '\n\033[1m%s\033[0m\n' "$*"; }
run() {
	printf '%s$ %s\n' "${UE:-lab}" "$*" >&2
	"$@"
}
pc5ctl() { "$PC5CTL" "$@"; }

say "pc5sec demo: a ProSe group of three UEs on a shared sidelink"
cat <<'TXT'
Each UE is a network namespace. Their radios (eth0) all hang off one
bridge, "air": whatever one UE transmits, every other UE hears, like a PC5
sidelink channel. pc5sec sits on eth0 as a stacked link, one per group.
UE A (police) and UE B (fire) hold the group's key (PGK); UE C (a radio
that is not in the group) hears the same air but holds no key.
TXT

say "1. Load pc5sec and bring three UEs onto the air"
run insmod "$LAB_TOP/${LAB_KO:-module/pc5sec.ko}"
for u in A B C; do ue $u; done
run ip -br link show master air

say "2. Each UE joins ProSe group 0x000042 with its own member ID (128-EEA2)"
for u in A:1 B:2 C:3; do
	UE=${u%:*} run on "${u%:*}" "$PC5CTL" link add pc5 link eth0 group 0x42 member "${u#*:}" cipher eea2
	on "${u%:*}" sysctl -qw net.ipv6.conf.pc5.disable_ipv6=1
	on "${u%:*}" ip addr add "10.5.0.${u#*:}/24" dev pc5
	on "${u%:*}" ip link set pc5 up
done

say "3. A and B install the group's PGK (ID 0x21) from a key file"
echo "(a fresh random PGK: in the field the PKMF hands it out over PC3)"
umask 077
python3 -c 'import secrets; print(secrets.token_hex(32))' >/tmp/pgk.hex
UE=A run on A "$PC5CTL" key add pc5 pgk-id 0x21 ptk-start 0 key-file /tmp/pgk.hex not-after +3600
UE=B run on B "$PC5CTL" key add pc5 pgk-id 0x21 ptk-start 0 key-file /tmp/pgk.hex not-after +3600
UE=A run on A "$PC5CTL" show pc5
echo "(the key bytes never come back out: only their ID, index and state)"

say "4. A pings B through the group, while we capture the air"
capture_start /tmp/air.pcap
UE=A run on A ping -c 3 -W 2 10.5.0.2
recv_start B 5000 /tmp/b.txt
UE=A run send A 10.5.0.2 5000 "MAYDAY-secret-plaintext" 3
wait_for 10 "B receives the 3 datagrams" 'test "$(lines /tmp/b.txt)" -ge 3'
echo "B received:"
sed 's/^/    /' /tmp/b.txt
capture_stop

say "5. What the radio sent: pc5sec frames to the group MAC, ciphertext only"
python3 "$LAB_TOP/tests/lab/tools/pcap.py" show /tmp/air.pcap | head -12
if grep -q "MAYDAY-secret" /tmp/air.pcap; then
	echo "!! plaintext found on the air"
else
	echo "grep MAYDAY-secret air.pcap: not found: the air carries only ciphertext"
fi

say "6. The same air in Wireshark: tshark with pc5sec's dissector"
# userspace/wireshark/pc5shark: tshark with the plugin from this tree
shark() {
	printf 'lab$ pc5shark -r air.pcap %s\n' "$*" >&2
	"$LAB_TOP/userspace/wireshark/pc5shark" -r - "$@" </tmp/air.pcap
}
echo "Without the key: the header, field by field; the Data field is ciphertext"
shark -c 4
echo
echo "With the group's key in Wireshark's pc5sec_keys table (the PGK not shown here):"
printf '"000042","0x21","%s","eea2"\n' "$(cat /tmp/pgk.hex)" >/tmp/pc5sec_keys
sed 's/"[0-9a-f]\{64\}"/"<PGK: 64 hex digits>"/' /tmp/pc5sec_keys
export PC5SEC_KEYS=/tmp/pc5sec_keys
shark
echo
echo "What the datagrams carried, decrypted from the air:"
shark -Y udp -o data.show_as_text:TRUE -T fields -e pc5sec.src -e pc5sec.sn -e ip.src -e ip.dst -e data.text
echo
echo "And one frame's pc5sec tree:"
shark -Y 'frame.number == 7' -V -O pc5sec | sed -n '/^pc5sec /,/^Internet/p'
unset PC5SEC_KEYS

say "7. C heard every frame but holds no key: nothing delivered, all counted"
UE=C run on C "$PC5CTL" show pc5

say "8. Counters on A and B (exact: 3 pings + 3 datagrams from A, 3 replies from B)"
UE=A run on A "$PC5CTL" show pc5
UE=B run on B "$PC5CTL" show pc5
UE=B run on B ip -s link show pc5

say "9. Without a key nothing leaves a UE: C's packets are dropped and counted"
UE=C run on C ping -c 2 -W 1 10.5.0.1 || true
on C "$PC5CTL" -j show pc5 | python3 -c 'import json,sys; s=json.load(sys.stdin)[0]["stats"]; print("C tx_nokey =", s["tx_nokey"], " tx_packets =", s["tx_packets"])'

say "10. No pc5ctl at all: radios D and E get everything from the PKMF"
cat <<'TXT'
The ProSe Key Management Function (tests/pkmf/pkmf.py, an HTTPS server)
runs in its own network namespace; D and E reach it over a routed link.
Each runs pc5keyd with a config file and nothing else: over PC3 (mutual
TLS, certificates made just now with openssl) it learns its member ID,
the suite and the group's PGKs, creates the pc5sec link and installs
the keys, with a watermark so that no COUNT is ever reused.
TXT
. "$LAB_TOP/tests/pkmf/lab.sh"
show_logs() { :; }	# the tests' habit; the demo shows what it wants
GROUP=0x000043
for u in D E; do ue $u; done
pkmf_setup 600 30 D:1 E:2 >/dev/null
sed -i 's/"eea2"/"aes-gcm-256"/' /tmp/groups.json
pkmf_start
trap - EXIT	# the lab ends the demo's processes after it, quietly
for u in D:1 E:2; do KEYD_NO_INIT=1 keyd_conf "${u%:*}" "${u#*:}"; done
UE=D run cat /tmp/keyd-D/pc5keyd.conf
echo "(once, when a UE is provisioned: its state directory, where the"
echo " watermarks live; one found without its marker is taken for lost)"
for u in D E; do
	UE=$u run "$KEYD" -c /tmp/keyd-$u/pc5keyd.conf --init 2>&1 | sed 's/^pc5keyd\[[0-9.]*\]/pc5keyd/'
done
for u in D E; do
	UE=$u run on $u "$KEYD" -c /tmp/keyd-$u/pc5keyd.conf --once 2>&1 | sed 's/^pc5keyd\[[0-9.]*\]/pc5keyd/'
done
UE=D run on D "$PC5CTL" show pc5
UE=D run on D ping -c 3 -W 2 10.5.0.2
echo "(the PKMF's log: who asked for what; key bytes appear in no log)"
grep KEY_REQUEST /tmp/pkmf.log | sed 's/^/    /'

say "Done: group traffic, encrypted per TS 33.303 (PGK -> PTK -> PEK), keys installed with pc5ctl or fetched from the PKMF by pc5keyd."
