#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 400
#
# keyring = yes: A's daemon puts each PGK into the user keyring as a
# "logon" key (which userspace can never read back) and installs it from
# there (PC5SEC_A_KEY_KEYRING); no file holds the key bytes. A talks to B
# (plain mode) under those keys. After a "reboot" of the link, with the
# PKMF out of reach, A reinstalls from the keyring and its stored
# metadata alone.
. "$LAB_TOP/tests/lab/lib.sh"
. "$LAB_TOP/tests/pkmf/lab.sh"

fresh_pkmf 3600 0 A:1 B:2
pkmf_start
keyd_conf A 1 "keyring = yes"
keyd_conf B 2
expect "A: --once in keyring mode" keyd_once A
expect "B: --once" keyd_once B
expect_eq "A holds PGKs 1 and 2" "$(key_ids A)" "1 2"
expect_match "from the keyring" "$(cat /tmp/keyd-A/log)" "installed PGK 1 \(index 1\) from the keyring"
keyctl show @u
expect_match "logon keys in the user keyring" "$(keyctl show @u)" "logon: pc5keyd:000042:1"
id=$(keyctl search @u logon pc5keyd:000042:1)
expect_fail "a logon key cannot be read back" keyctl print "$id"

step "A talks to B under the keyring's PGK"
recv_bg B 5000 /tmp/b.txt
send A 10.5.0.2 5000 ring 5
wait_for 10 "B got 5" 'test "$(lines /tmp/b.txt)" = 5'
expect_eq "B rx_packets" "$(cnt B rx_packets)" 5

step "no file of A's holds the key bytes"
schedule_keys >/tmp/keys.txt
expect "B (plain mode) stores them" grep -qiF -f /tmp/keys.txt /tmp/keyd-B/state/keys-000042.xml
expect_fail "A stores them" grep -qiF -f /tmp/keys.txt -r /tmp/keyd-A
expect_fail "A's dump shows them" sh -c "ip netns exec A $PC5CTL -j show | grep -qiF -f /tmp/keys.txt"

step "A's link is gone, the PKMF is out of reach: reinstall from the keyring"
pkmf_stop
on A ip link del pc5
expect_fail "--once without the PKMF fails" keyd_once A
expect_eq "yet A holds PGKs 1 and 2 again" "$(key_ids A)" "1 2"
expect_eq "after its watermark" "$(key_fields A tx_ptk_id)" "32 32"
send A 10.5.0.2 5000 again 5
wait_for 10 "B got 5 more" 'test "$(lines /tmp/b.txt)" = 10'
