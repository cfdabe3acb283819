#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 200
#
# The tools a user already has: `ethtool -i` names the driver, `ethtool -S`
# lists every pc5sec counter by name with the same values pc5ctl shows.
. "$LAB_TOP/tests/lab/lib.sh"

eea2_talking

step "ethtool -i"
expect_match "driver" "$(on B ethtool -i pc5)" "^driver: pc5sec$"

step "ethtool -S: the counters of pc5ctl -j show, by name"
# "     rx_packets: 3" -> "rx_packets=3", sorted like stats()
got=$(on B ethtool -S pc5 | sed -n 's/^ *\([a-z_]*\): \([0-9]*\)$/\1=\2/p' | LC_ALL=C sort | tr '\n' ' ')
expect_eq "B" "${got% }" "$(stats_all B)"
expect_match "B received 3" "$got" "rx_packets=3 "
got=$(on A ethtool -S pc5 | sed -n 's/^ *\([a-z_]*\): \([0-9]*\)$/\1=\2/p' | LC_ALL=C sort | tr '\n' ' ')
expect_eq "A" "${got% }" "$(stats_all A)"
echo ok
