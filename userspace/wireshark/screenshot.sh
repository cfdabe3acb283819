#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# screenshot.sh PCAP KEYS OUT.png: the picture in the README. Wireshark's
# window (the GUI, with this tree's plugin, through pc5shark) under Xvfb,
# showing PCAP with the key table KEYS, filtered to the aes-gcm-128 group
# of the lab's wireshark test, frame 32 selected, its pc5sec tree opened.
# The lab test leaves both files behind: build/lab/wireshark-air.pcap and
# build/lab/wireshark-keys (test keys, derived from the suites' names).
# Needs xvfb, wireshark-qt, xdotool, x11-apps (xwd) and ImageMagick.
set -eu
[ $# = 3 ] || { echo "usage: $0 PCAP KEYS OUT.png" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/pc5shot.XXXXXX)
export DISPLAY=:${SHOT_DISPLAY:-97}
xvfb=""
cleanup() {
	pkill -f "wireshark -r $work/air.pcap" 2>/dev/null || true
	[ -z "$xvfb" ] || kill "$xvfb" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
# As root, pc5shark runs Wireshark as nobody, who must read the capture.
cp "$1" "$work/air.pcap"
chmod 0755 "$work"
chmod 0644 "$work/air.pcap"

Xvfb "$DISPLAY" -screen 0 1440x900x24 -nolisten tcp -ac 2>"$work/xvfb.log" &
xvfb=$!
for _ in $(seq 50); do
	xdotool getmouselocation >/dev/null 2>&1 && break
	sleep 0.2
done
TSHARK=wireshark PC5SEC_KEYS=$2 "$here/pc5shark" -r "$work/air.pcap" -g 32 \
	-Y 'pc5sec.dst == 0x0000b4' >"$work/wireshark.log" 2>&1 &
win=$(timeout 60 xdotool search --sync --name 'air\.pcap' | head -1)
# No window manager: place and size the window ourselves, then select the
# pc5sec line of the packet details (its place in this layout) and open
# it with all its subtrees (Shift+Right).
xdotool windowsize "$win" 1400 880 windowmove "$win" 0 0
sleep 3
xdotool mousemove 120 519 click 1
sleep 0.5
xdotool key shift+Right
sleep 2
xwd -root -silent | convert xwd:- -crop 1400x880+0+0 "$3"
echo "$3"
