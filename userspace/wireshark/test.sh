#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test.sh: the pc5sec dissector plugin, run by tshark on captures that
# mkcaps.py builds with the lab tools (frame.py, aead.py): every suite
# decrypts to the datagrams that were sealed, wrong keys fail visibly,
# malformed frames and the fuzzer's seed corpus decode without a crash,
# also under AddressSanitizer/UBSan (build-asan/pc5sec.so; skipped with a
# FAIL line if it is missing). Prints one line per check, then
# "N passed, N failed"; exits non-zero on any failure.
#
# Environment: PLUGIN, ASAN_PLUGIN (the two builds), TSHARK, KEEP=1 (keep
# the work directory), PC5SEC_TEST_PGK (configure this PGK instead of the
# one the captures were sealed with: every decryption check must then fail).
# shellcheck disable=SC2015 # "cond && ok || bad": ok always succeeds
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
PLUGIN=${PLUGIN:-$HERE/build/pc5sec.so}
ASAN_PLUGIN=${ASAN_PLUGIN:-$HERE/build-asan/pc5sec.so}
TSHARK=${TSHARK:-tshark}
SUITES="eea0 eea1 eea2 eea3 aes-gcm-128 aes-gcm-256 chacha20-poly1305"
passed=0
failed=0

WORK=$(mktemp -d /tmp/pc5sec-ws.XXXXXX)
if [ "${KEEP:-0}" = 1 ]; then
	echo "work directory $WORK"
else
	trap 'rm -rf "$WORK"' EXIT
fi
CAPS=$WORK/caps

ok() {
	passed=$((passed + 1))
	echo "ok   $*"
}

bad() {
	failed=$((failed + 1))
	echo "FAIL $*"
}

# Wireshark loads no personal plugins when run as root (it counts root as
# "special privileges"; so is WIRESHARK_PLUGIN_DIR ignored): as root, run
# tshark as nobody, with the plugin in a temporary HOME's personal plugin
# directory (~/.local/lib/wireshark/plugins/4.0/epan/).
AS_USER=()
if [ "$(id -u)" = 0 ]; then
	AS_USER=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi

# home DIR PLUGIN: a HOME whose personal plugin directory holds PLUGIN
home() {
	mkdir -p "$1/.local/lib/wireshark/plugins/4.0/epan"
	cp "$2" "$1/.local/lib/wireshark/plugins/4.0/epan/pc5sec.so"
}

# tshark runs every extcap helper at startup; androiddump hangs with ASan
# preloaded, and none is needed to read a file: an empty extcap directory.
EXTCAP=$WORK/no-extcap
mkdir -p "$EXTCAP"

# ts ARGS...: tshark with the plugin, no user preferences but ours
ts() {
	"${AS_USER[@]}" env HOME="$WORK/home" WIRESHARK_EXTCAP_DIR="$EXTCAP" \
		"$TSHARK" "$@" 2>"$WORK/stderr"
}

# key GROUP PGK_ID PGK SUITE: the -o option that adds one UAT record
key() {
	printf 'uat:pc5sec_keys:"%s","%s","%s","%s"' "$@"
}

fields() {
	ts -T fields -E separator=/t "$@"
}

# ---------------------------------------------------------------------------
python3 "$HERE/mkcaps.py" "$CAPS" || { bad "mkcaps.py"; echo "$passed passed, $failed failed"; exit 1; }
if [ ! -f "$PLUGIN" ]; then
	bad "no plugin $PLUGIN (run make)"
	echo "$passed passed, $failed failed"
	exit 1
fi
home "$WORK/home" "$PLUGIN"
chmod -R a+rX "$WORK"
PGK=${PC5SEC_TEST_PGK:-$(cat "$CAPS/pgk")}
WRONG=$(tr 0-9a-f 1-9a-f0 <"$CAPS/pgk")	# every digit changed

if ts -G plugins | grep -q "^pc5sec.so.*dissector.*$WORK/home"; then
	ok "plugin loads from the build (tshark -G plugins)"
else
	bad "plugin not loaded: $(cat "$WORK/stderr")"
fi
n=$(ts -G fields | grep -cE $'\tpc5sec\.(version|reserved|src|dst|sdu_type|pgk_index|ptk_id|sn|count|data)\t')
[ "$n" = 10 ] && ok "all 10 header fields registered" || bad "registered header fields: $n of 10"

# --- every suite decrypts to what was sealed --------------------------------
for s in $SUITES; do
	pcap=$CAPS/$s.pcap
	fields -r "$pcap" -o "$(key 000042 1 "$PGK" "$s")" -e pc5sec.ptk_id -e pc5sec.sn \
		-e ip.src -e ipv6.src -e udp.payload -e pc5sec.key.pek_prefix >"$WORK/$s.out"
	if cmp -s "$WORK/$s.out" "$CAPS/$s.tsv"; then
		ok "$s: ptk_id, sn, ip.src, ipv6.src, inner UDP payload, PEK prefix of 5 frames"
	else
		bad "$s: fields differ from what was sealed:"
		diff "$CAPS/$s.tsv" "$WORK/$s.out" | head -6 | cut -c1-160
	fi

	got=$(fields -r "$pcap" -o "$(key 000042 1 "$PGK" "$s")" -Y 'frame.number == 3' \
		-e pc5sec.version -e pc5sec.reserved -e pc5sec.src -e pc5sec.dst \
		-e pc5sec.sdu_type -e pc5sec.pgk_index -e pc5sec.count -e _ws.expert.message)
	want=$'1\t0x00\t0x0000ab\t0x000042\t0\t1\t0xffffffff\t'
	[ "$got" = "$want" ] && ok "$s: header fields and COUNT of frame 3, no expert info" \
		|| bad "$s: frame 3 header: got '$got', want '$want'"

	info=$(fields -r "$pcap" -o "$(key 000042 1 "$PGK" "$s")" -c 1 -e _ws.col.Info)
	case $info in
	"PC5 grp 0x000042 src 0x000001 pgk 1 ptk 0 sn 17 | 40000 → 5000 Len="*)
		ok "$s: Info column '$info'" ;;
	*)	bad "$s: Info column '$info'" ;;
	esac

	# PGK ID 0x21 is PGK Index 1 on the air; the tree names the key
	ts -r "$pcap" -o "$(key 000042 0x21 "$PGK" "$s")" -V -x >"$WORK/$s.V"
	prefix=$(head -1 "$CAPS/$s.tsv" | cut -f6)
	if [ "$s" = eea0 ]; then
		want="Clear text (eea0), PGK 0x21"
	else
		want="Decrypted with PGK 0x21, PTK 0, PEK $prefix… ($s)"
	fi
	grep -qF "$want" "$WORK/$s.V" && ok "$s: tree says '$want'" \
		|| bad "$s: no '$want' in the tree"
	grep -q 'Decrypted pc5sec (' "$WORK/$s.V" && ok "$s: 'Decrypted pc5sec' data source" \
		|| bad "$s: no 'Decrypted pc5sec' data source"

	# no key material beyond the PEK prefix in any output
	ts -r "$pcap" -o "$(key 000042 0x21 "$PGK" "$s")" -T pdml >"$WORK/$s.pdml"
	leak=$(grep -ciFf "$CAPS/$s.secrets" "$WORK/$s.V" "$WORK/$s.pdml" | awk -F: '{n += $2} END {print n}')
	[ "$leak" = 0 ] && ok "$s: PGK and PEKs appear nowhere in -V -x or PDML" \
		|| bad "$s: key material in the output ($leak lines)"

	# a wrong PGK: nothing decrypted, and it says so on every frame
	fields -r "$pcap" -o "$(key 000042 1 "$WRONG" "$s")" -e ip.src -e ipv6.src \
		-e _ws.expert.message >"$WORK/$s.wrong"
	case $s in
	eea0) want="" ;;	# eea0 derives no key: the PGK does not matter
	aes-*|chacha*) want="authentication failed: no configured key verifies the tag" ;;
	*) want="Not decrypted: no configured key gives a plausible IP packet (wrong PGK or suite?)" ;;
	esac
	if [ "$s" = eea0 ]; then
		n=$(grep -cE $'^10\\.|\tfd00' "$WORK/$s.wrong")
		[ "$n" = 5 ] && ok "eea0: a wrong PGK changes nothing (clear text)" \
			|| bad "eea0 with another PGK: $n of 5 frames decoded"
	else
		n=$(grep -cxF $'\t\t'"$want" "$WORK/$s.wrong")
		[ "$n" = 5 ] && ok "$s: wrong PGK: no inner IP, '$want' on 5 of 5 frames" \
			|| { bad "$s: wrong PGK: $n of 5 frames as expected:"; head -3 "$WORK/$s.wrong"; }
	fi
done

# --- keys: several, wrong group, wrong suite, none ------------------------
got=$(fields -r "$CAPS/aes-gcm-256.pcap" -o "$(key 000042 1 "$WRONG" aes-gcm-256)" \
	-o "$(key 000042 0x41 "$PGK" aes-gcm-256)" -e pc5sec.key.pgk_id | sort -u)
[ "$got" = 0x41 ] && ok "two PGKs for one index: the one that verifies is used (0x41)" \
	|| bad "two PGKs: used '$got'"
n=$(fields -r "$CAPS/eea2.pcap" -o "$(key 000043 1 "$PGK" eea2)" -e _ws.expert.message | grep -c '^No key for group 0x000042, PGK Index 1$')
[ "$n" = 5 ] && ok "key of another group: 'No key for group 0x000042, PGK Index 1' x5" \
	|| bad "key of another group: $n of 5"
n=$(fields -r "$CAPS/eea2.pcap" -o "$(key 000042 2 "$PGK" eea2)" -e ip.src | grep -c .)
[ "$n" = 0 ] && ok "key of another PGK Index: nothing decrypted" || bad "PGK Index 2 key opened $n frames"
n=$(fields -r "$CAPS/eea1.pcap" -o "$(key 000042 1 "$PGK" eea3)" -e ip.src | grep -c .)
[ "$n" = 0 ] && ok "eea1 capture with an eea3 key: nothing decrypted" || bad "wrong suite opened $n frames"
n=$(fields -r "$CAPS/aes-gcm-128.pcap" -o "$(key 000042 1 "$PGK" chacha20-poly1305)" -e _ws.expert.message | grep -c 'authentication failed')
[ "$n" = 5 ] && ok "aes-gcm-128 capture with a chacha20 key: authentication failed x5" \
	|| bad "wrong AEAD suite: $n of 5 failed"
n=$(fields -r "$CAPS/eea2.pcap" -e pc5sec.data -e ip.src | grep -cE $'^[0-9a-f]+\t$')
[ "$n" = 5 ] && ok "no keys: the Data field shown, no inner IP" || bad "no keys: $n of 5"
for bad_rec in '000042 1 abcd eea2' '1000000 1 PGK eea2' '000042 256 PGK eea2' '000042 1 PGK eea4'; do
	# shellcheck disable=SC2086 # four words
	set -- $bad_rec
	p=$3; [ "$p" = PGK ] && p=$PGK
	if ts -r "$CAPS/eea2.pcap" -o "$(key "$1" "$2" "$p" "$4")" -c 1 >/dev/null 2>&1; then
		bad "UAT accepted group $1 id $2 suite $4 pgk ${3:0:4}"
	else
		ok "UAT rejects group $1 id $2 suite $4 pgk ${3:0:4}…"
	fi
done

# --- the EtherType preference ----------------------------------------------
n=$(fields -r "$CAPS/ethertype.pcap" -e pc5sec.sn | grep -c .)
[ "$n" = 0 ] && ok "EtherType 0x88b6 not pc5sec by default" || bad "0x88b6 decoded without the preference"
got=$(fields -r "$CAPS/ethertype.pcap" -o pc5sec.ethertype:0x88b6 \
	-o "$(key 000042 1 "$PGK" eea0)" -e pc5sec.sn -e ip.src -e udp.payload)
[ "$got" = $'1\t10.0.0.5\t'"$(printf ethertype | od -An -tx1 | tr -d ' \n')" ] \
	&& ok "pc5sec.ethertype:0x88b6 decodes it" || bad "with the preference: '$got'"

# --- malformed frames: expert info, and the right number of frames -----------
total=$(fields -r "$CAPS/malformed.pcap" -e frame.number | wc -l)
n=$(python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import pcap; print(sum(1 for _ in pcap.frames(sys.argv[2])))' \
	"$HERE/../../tests/lab/tools" "$CAPS/malformed.pcap")
[ "$total" = "$n" ] && ok "malformed.pcap: all $n frames dissected" || bad "malformed.pcap: $total of $n frames"
while read -r name count; do
	n=$(fields -r "$CAPS/malformed.pcap" -o "$(key 000042 1 "$PGK" aes-gcm-128)" -Y "$name" -e frame.number | wc -l)
	[ "$n" = "$count" ] && ok "malformed.pcap: $name on $n frames" || bad "malformed.pcap: $name on $n frames, want $count"
done <"$CAPS/malformed.counts"
n=$(fields -r "$CAPS/malformed.pcap" -Y 'pc5sec.cut' -e frame.number | wc -l)
[ "$n" = 3 ] && ok "malformed.pcap: frames the snaplen cut after the header: pc5sec.cut x3" || bad "pc5sec.cut on $n frames, want 3"

# --- the fuzzer's seed corpus (tests/lab/tools/frame-corpus.py) -------------
# one group per suite, all keyed with PGK 00 01 .. 1f as PGK Index 1
CORPUS_PGK=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
CORPUS_KEYS=()
g=0x50
for s in eea0 eea2 aes-gcm-128 aes-gcm-256 chacha20-poly1305 eea1 eea3; do
	CORPUS_KEYS+=(-o "$(key "$(printf %06x $g)" 1 "$CORPUS_PGK" "$s")")
	g=$((g + 1))
done
known=$(cat "$CAPS/corpus-known.suites")
n=$(fields -r "$CAPS/corpus-known.pcap" "${CORPUS_KEYS[@]}" -e ip.src -e ipv6.src | grep -c '[0-9a-f]')
want=$(wc -w <"$CAPS/corpus-known.suites")
[ "$n" = "$want" ] && ok "corpus: the '-known' frames of $want suites decrypt to IP ($known)" \
	|| bad "corpus: $n of $want '-known' frames decrypt ($known)"

# --- under AddressSanitizer and UBSan ----------------------------------------
# Only the plugin is instrumented; the runtime must come first, so it is
# preloaded into tshark. tshark itself leaks on exit: no leak checking.
asan_run() {	# asan_run NAME PCAP [tshark options]: -V of every frame
	local name=$1 pcap=$2 rc
	shift 2
	LD_PRELOAD=$ASAN_LIB ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 timeout 300 \
		"${AS_USER[@]}" env HOME="$WORK/home-asan" WIRESHARK_EXTCAP_DIR="$EXTCAP" \
		"$TSHARK" -r "$pcap" -V -x "$@" \
		>"$WORK/asan.out" 2>"$WORK/asan.err"
	rc=$?
	if [ $rc != 0 ] || grep -qE 'AddressSanitizer|runtime error|UndefinedBehaviorSanitizer' "$WORK/asan.err"; then
		bad "asan: $name (rc $rc)"
		grep -m5 -E 'ERROR|runtime error|#[0-9] ' "$WORK/asan.err"
	else
		ok "asan: $name: $(grep -c '^Frame [0-9]*:' "$WORK/asan.out") frames, no sanitizer report"
	fi
}
ASAN_LIB=$(gcc -print-file-name=libasan.so 2>/dev/null)
if [ ! -f "$ASAN_PLUGIN" ] || [ ! -e "$ASAN_LIB" ]; then
	bad "asan: no $ASAN_PLUGIN or libasan (run make asan)"
else
	home "$WORK/home-asan" "$ASAN_PLUGIN"
	chmod -R a+rX "$WORK/home-asan"
	if "${AS_USER[@]}" env LD_PRELOAD="$ASAN_LIB" ASAN_OPTIONS=detect_leaks=0 \
		HOME="$WORK/home-asan" WIRESHARK_EXTCAP_DIR="$EXTCAP" timeout 60 "$TSHARK" -G plugins 2>/dev/null | grep -q "home-asan.*pc5sec.so"; then
		ok "asan: the sanitized plugin loads"
	else
		bad "asan: the sanitized plugin does not load"
	fi
	asan_run "malformed.pcap, no keys" "$CAPS/malformed.pcap"
	asan_run "random.pcap, no keys" "$CAPS/random.pcap"
	asan_run "corpus ($(cat "$CAPS/corpus.count") seed frames), no keys" "$CAPS/corpus.pcap"
	asan_run "corpus, the keys of its 7 groups" "$CAPS/corpus.pcap" "${CORPUS_KEYS[@]}"
	for s in $SUITES; do
		asan_run "$s.pcap" "$CAPS/$s.pcap" -o "$(key 000042 1 "$PGK" "$s")"
		asan_run "malformed.pcap, $s key" "$CAPS/malformed.pcap" -o "$(key 000042 1 "$PGK" "$s")"
		asan_run "random.pcap, $s key" "$CAPS/random.pcap" -o "$(key 000042 1 "$PGK" "$s")"
	done
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
