#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 400
#
# Event-driven fetches and SIGHUP. The PKMF starts a new PGK (34) long
# before the old one (33) expires, so neither daemon is due to renew.
# SIGHUP makes A reload its configuration and fetch: it installs 34 and
# sends with it. B hears frames with a PGK Index it does not have; the
# kernel reports EVT_UNKNOWN_PGK, B's daemon fetches at once, installs 34,
# and A's next datagrams reach B. A's daemon also speaks sd_notify to a
# stand-in for systemd (tools/sdnotify.py): READY=1 comes with PGK 33
# already installed, SIGHUP gives RELOADING=1 then READY=1, SIGTERM
# STOPPING=1.
. "$LAB_TOP/tests/lab/lib.sh"
. "$LAB_TOP/tests/pkmf/lab.sh"

fresh_pkmf 3600 0 A:1 B:2
now=$(date +%s)
k33=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
k34=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
pkmf_fixed "33:$k33:$((now - 10))"
pkmf_start
python3 "$LAB_TOP/tests/lab/tools/sdnotify.py" /tmp/notify-A.sock "$PC5CTL" A pc5 \
	>/tmp/notify-A.txt &
track $!
wait_for 10 "the notify socket is bound" test -S /tmp/notify-A.sock
keyd_conf A 1 "renew-lead = 60"
NOTIFY_SOCKET=/tmp/notify-A.sock keyd_start A
keyd_conf B 2 "renew-lead = 60"
keyd_start B
wait_for 60 "A and B hold PGK 33" 'test "$(key_ids A)/$(key_ids B)" = "33/33"'
expect_match "B's next fetch is far away" "$(cat /tmp/keyd-B/log)" "next PC3 fetch in [0-9]{3,}s"
wait_for 10 "A told systemd it is ready" grep -q READY=1 /tmp/notify-A.txt
expect_eq "A's READY=1, and the keys at that moment" "$(cat /tmp/notify-A.txt)" \
	"READY=1 STATUS=1 group(s); keys from the PKMF installed | keys=33"
recv_bg B 5000 /tmp/b.txt
send A 10.5.0.2 5000 before 3
wait_for 10 "B got 3" 'test "$(lines /tmp/b.txt)" = 3'

step "the PKMF starts PGK 34; SIGHUP makes A reload and fetch"
pkmf_stop
pkmf_fixed "33:$k33:$((now - 10))" "34:$k34:$(($(date +%s) - 1))"
pkmf_start
sed -i 's/^renew-lead = 60$/renew-lead = 120/' /tmp/keyd-A/pc5keyd.conf
kill -HUP "${KEYD_PID[A]}"
wait_for 30 "A installs PGK 34" has_key A 34
expect_match "A reloaded" "$(cat /tmp/keyd-A/log)" "configuration reloaded: 1 group"
expect_match "A's RELOADING=1 then READY=1" "$(sed -n '2,3p' /tmp/notify-A.txt | tr '\n' ' ')" \
	"^RELOADING=1 MONOTONIC_USEC=[0-9]+ READY=1 STATUS=configuration reloaded "
wait_for 10 "A sends with PGK 34" 'test "$(key_fields A state)" = "valid active"'
expect_eq "B does not have 34 yet" "$(key_ids B)" "33"

step "A's frames under PGK Index 2 make B fetch at once"
nokey=$(cnt B rx_nokey)
send A 10.5.0.2 5000 unknown 3
wait_for 30 "B installs PGK 34" has_key B 34
expect_match "B's daemon saw the event" "$(cat /tmp/keyd-B/log)" \
	"pc5: frame from 0x000001 with unknown PGK Index 2: fetching keys"
expect_eq "those 3 were dropped by B" "$(cnt B rx_nokey)" $((nokey + 3))
send A 10.5.0.2 5000 after 3
wait_for 10 "B got 3 more" 'test "$(lines /tmp/b.txt)" = 6'
expect_eq "B delivered" "$(sort /tmp/b.txt | tr '\n' ' ')" \
	"after-0 after-1 after-2 before-0 before-1 before-2 "

step "SIGTERM: A tells systemd it is stopping"
keyd_stop A
wait_for 10 "A's STOPPING=1" grep -qx STOPPING=1 /tmp/notify-A.txt
