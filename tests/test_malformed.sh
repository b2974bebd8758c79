#!/usr/bin/env bash
# Malformed captures (issue 7): every fixture damaged systematically by
# tests/damage (truncated in the file header, record headers and frames;
# bit flips; IP/UDP/TCP/DTLS/SIP length fields set to 0, 1, max and the
# right value plus one; thousands of SIP headers; an RTP frame of a call
# made malformed) and hostile captures built from nothing (overlapping and
# endless IP fragments, DTLS messages claiming 16 MB, SDP with 100k lines,
# Content-Length past the stream).  Each runs through `analyze --json` and
# `decrypt -o` under a 10 s timeout.  Asserted for every file:
#  - exit status 0, 1 or 2 (never a signal, never the timeout's 124), and 2
#    only when libpcap cannot read a single frame;
#  - the JSON parses, packets.total equals the frames libpcap reads, and
#    the categories add up to it;
#  - decrypt writes as many frames as libpcap reads;
#  - a frame whose length field was made impossible is listed in
#    packets.malformed_frames with its number;
#  - after an RTP frame of a call is made malformed, only that frame moved
#    from rtp to malformed: calls, the other streams and every other count
#    are those of the undamaged run.
# make check runs a deterministic sample (about 25 s of CPU); LONG=1 runs every
# fixture with more random variants.  SEED=N changes the damage.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
DAMAGE="$top_builddir/tests/damage"
SEED=${SEED:-20240607}
# In a sanitizer build a report must not pass for exit status 1.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=86"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}halt_on_error=1:print_stacktrace=1:exitcode=87"
TMO=${TMO:-10}

if [ "${LONG:-0}" = 1 ]; then
	NRANDOM=6
	set -- "$FIX"/real/*.pcap "$FIX"/real/*.pcapng "$FIX"/gen/*.pcap
else
	# Every real capture but the two largest, and one generated fixture in
	# eight (different DTLS, SDES, TCP, IPv6 and fault scenarios).
	NRANDOM=1
	set -- $(ls "$FIX"/real/*.pcap "$FIX"/real/*.pcapng | grep -v -e FAX-Call -e voipshark) \
		$(ls "$FIX"/gen/*.pcap | awk 'NR % 8 == 1')
fi
D="$WORK/d"
S="$WORK/src"
mkdir -p "$D" "$S"
# Work on copies: fixtures and their key logs stay consistent even if they
# are regenerated meanwhile.
for f in "$@"; do
	cp "$f" "$S/"
	k="${f%.pcap}.keys"
	[ -f "$k" ] && cp "$k" "$S/"
done
cp "$FIX/real/wireshark-notes_webrtc-freeswitch.keylog.txt" "$S/"
"$DAMAGE" corpus "$D" "$SEED" "$NRANDOM" "$S"/*.pcap* || { fail "damage corpus"; finish; exit; }
"$DAMAGE" synth "$D" || { fail "damage synth"; finish; exit; }

keys_of() { # SOURCE -> key log options
	local k="${1%.pcap}.keys"
	case "$1" in
	*webrtc-freeswitch.pcapng) echo "-k $S/wireshark-notes_webrtc-freeswitch.keylog.txt" ;;
	*) [ -f "$k" ] && echo "-k $k" ;;
	esac
}

# status_ok WHAT RC FRAMES - exit status within the contract, and no
# sanitizer report on stderr ($WORK/err).
status_ok() {
	if grep -q -e 'Sanitizer' -e 'runtime error:' "$WORK/err"; then
		fail "$1: sanitizer report: $(grep -m1 -e 'Sanitizer' -e 'runtime error:' "$WORK/err")"
		return 1
	fi
	case "$2" in
	0|1) return 0 ;;
	2) [ "$3" -le 0 ] && return 0
	   fail "$1: exit 2 although libpcap reads $3 frames"; return 1 ;;
	124) fail "$1: timed out after ${TMO}s"; return 1 ;;
	*) fail "$1: exit status $2 (signal or crash)"; return 1 ;;
	esac
}

# Streams as comparable lines: one per stream.
streams_of() { jq -c '.streams[] | del(.file)' "$1" | sort; }

n_files=0; n_m=0; n_r=0; n_dec=0; BASE=
start=$(date +%s)
while IFS=$'\t' read -r name kind expect frame frames src; do
	f="$D/$name"
	n_files=$((n_files + 1))
	# shellcheck disable=SC2046
	timeout "$TMO" "$SRTPAUDIT" analyze "$f" $(keys_of "$src") -q --json "$WORK/r.json" \
		>/dev/null 2>"$WORK/err"
	rc=$?
	status_ok "analyze $name" "$rc" "$frames" || continue
	if [ "$rc" = 2 ]; then
		T_PASS=$((T_PASS + 1))
		continue
	fi
	# total, sum of the categories, whether frame $frame is listed malformed
	got=$(jq -r --argjson k "$frame" '.packets | "\(.total) \(.sip+.dtls+.stun+.rtp+.rtcp+.other+.malformed) \([.malformed_frames[].frame] | index($k) != null)"' \
		"$WORK/r.json" 2>/dev/null)
	if [ "${got% *}" != "$frames $frames" ]; then
		fail "analyze $name: total and sum '${got% *}', libpcap reads $frames"
		continue
	fi
	case "$expect" in
	O)
		cp "$WORK/r.json" "$WORK/base.json"
		BASE=$src ;;
	M)
		n_m=$((n_m + 1))
		if [ "${got##* }" != true ]; then
			fail "analyze $name: frame $frame not counted as malformed"
			continue
		fi ;;
	R)
		n_r=$((n_r + 1))
		b="$WORK/base.json"
		[ "$BASE" = "$src" ] || { fail "analyze $name: no baseline"; continue; }
		# Only frame $frame moves from rtp to malformed.
		want=$(jq -c --argjson k "$frame" '.packets | .rtp -= 1 | .malformed += 1 |
			.malformed_frames = ((.malformed_frames | map(.frame)) + [$k] | sort)' "$b")
		have=$(jq -c '.packets | .malformed_frames = (.malformed_frames | map(.frame) | sort)' "$WORK/r.json")
		if [ "$want" != "$have" ]; then
			fail "analyze $name: packets $have, expected $want"
			continue
		fi
		# Calls and DTLS: the only differences are one RTP packet less on
		# one flow direction of the call, and packet counts in finding
		# messages (equal once numbers are masked).
		d=$(jq -n -c --slurpfile a "$b" --slurpfile b "$WORK/r.json" '
			[$a[0].calls, $a[0].dtls] as $x | [$b[0].calls, $b[0].dtls] as $y |
			[([$x, $y] | map([paths(scalars)]) | add | unique)[] as $p |
			 select(($x | getpath($p)) != ($y | getpath($p))) |
			 select(($p[-1] == "message" and (($x | getpath($p)) | gsub("[0-9]+"; "#")) ==
				 (($y | getpath($p)) | gsub("[0-9]+"; "#"))) | not) |
			 {p: ($p | map(tostring) | join(".")), a: ($x | getpath($p)), b: ($y | getpath($p))}]')
		if [ "$(jq -r 'length == 1 and (.[0].p | endswith(".rtp")) and .[0].a == .[0].b + 1' <<<"$d")" != true ] &&
		   [ "$(jq -r 'length' <<<"$d")" != 0 ]; then
			fail "analyze $name: calls or DTLS differ from the undamaged run: $d"
			continue
		fi
		# Exactly one stream differs, and it lost one packet.
		streams_of "$b" > "$WORK/s.base"
		streams_of "$WORK/r.json" > "$WORK/s.dam"
		gone=$(comm -23 "$WORK/s.base" "$WORK/s.dam")
		new=$(comm -13 "$WORK/s.base" "$WORK/s.dam")
		if [ "$(wc -l < "$WORK/s.base")" != "$(wc -l < "$WORK/s.dam")" ] ||
		   [ "$(printf '%s' "$gone" | grep -c .)" != 1 ] ||
		   [ "$(jq -n --argjson a "$gone" --argjson b "$new" \
			'$a.ssrc == $b.ssrc and $a.src == $b.src and $a.dst == $b.dst and $a.packets == $b.packets + 1')" != true ]; then
			fail "analyze $name: streams changed beyond one packet: -$gone +$new"
			continue
		fi ;;
	esac
	# decrypt: every frame libpcap reads is written.
	case "$kind" in
	orig|flip*|raw*|cut*|rtp-mid|dtls-hslen-16m|sip-cl-0|v4-total-max1|udp-len-1|tcp-doff-0)
		n_dec=$((n_dec + 1))
		# An unbound --srtp-key: every RTP stream is tried with it, from
		# the first frame of the (tentative) first pass.
		# shellcheck disable=SC2046
		timeout "$TMO" "$SRTPAUDIT" decrypt "$f" $(keys_of "$src") -q -o "$WORK/o.pcap" \
			--srtp-key AES_CM_128_HMAC_SHA1_80:0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d \
			>"$WORK/dout" 2>"$WORK/err"
		rc=$?
		status_ok "decrypt $name" "$rc" "$frames" || continue
		out=$("$DAMAGE" count "$WORK/o.pcap")
		if [ "$out" != "$frames" ]; then
			fail "decrypt $name: $out frames written, libpcap reads $frames"
			continue
		fi ;;
	esac
	T_PASS=$((T_PASS + 1))
done < "$D/manifest"
echo "corpus: $n_files damaged files ($n_m with a known malformed frame, $n_r RTP comparisons, $n_dec decrypted) in $(( $(date +%s) - start )) s"

# ---- hostile captures built from nothing -------------------------------
run() { # NAME -> $WORK/NAME.json, $WORK/NAME.err, RC
	timeout "$TMO" "$SRTPAUDIT" analyze "$D/$1" --json "$WORK/$1.json" >/dev/null 2>"$WORK/$1.err"
	RC=$?
	cp "$WORK/$1.err" "$WORK/err"
	status_ok "analyze $1" "$RC" 1 && pass "$1: no crash, no sanitizer report"
	timeout "$TMO" "$SRTPAUDIT" decrypt "$D/$1" -q -o "$WORK/$1.out.pcap" >/dev/null 2>&1
	expect_eq "$1 decrypt exit" $? 0
	expect_eq "$1 decrypt frames" "$("$DAMAGE" count "$WORK/$1.out.pcap")" "$("$DAMAGE" count "$D/$1")"
}
pk() { jq -r "$2" "$WORK/$1.json"; }

# Fragments: id 1 overlaps with equal bytes (3 frames, one datagram of
# "other"), id 2 overlaps with different bytes (3 frames malformed), id 3
# repeats one fragment 300 times (capped at 128 fragments per datagram:
# dropped, not malformed), id 4 runs past 65535 bytes (100 frames
# malformed), then one SIP datagram.
run frag-overlap.pcap
expect_eq "frag exit" "$RC" 0
expect_eq "frag total" "$(pk frag-overlap.pcap .packets.total)" 407
expect_eq "frag reassembled" "$(pk frag-overlap.pcap .packets.reassembled_datagrams)" 1
# 3 conflicting + 2 x 129 over the fragment cap + 100 past 65535.
expect_eq "frag malformed" "$(pk frag-overlap.pcap .packets.malformed)" 361
expect_eq "frag malformed frames" \
	"$(pk frag-overlap.pcap '[.packets.malformed_frames[].frame] | .[0:4] + .[-1:] | join(",")')" "4,5,6,7,406"
# 3 reassembled + the last 42 repeats still pending at the end.
expect_eq "frag other" "$(pk frag-overlap.pcap .packets.other)" 45
expect_eq "frag cap warned once" "$(grep -c '128 fragments' "$WORK/frag-overlap.pcap.err")" 1
expect_eq "frag sip after the flood" "$(pk frag-overlap.pcap .packets.sip)" 1

# DTLS: 500 handshake fragments claiming 16 MB messages: counted as DTLS,
# not buffered, one warning; the SIP datagram after them is still seen.
run dtls-16m.pcap
expect_eq "dtls16m exit" "$RC" 0
expect_eq "dtls16m dtls" "$(pk dtls-16m.pcap .packets.dtls)" 500
expect_eq "dtls16m sip" "$(pk dtls-16m.pcap .packets.sip)" 1
expect_eq "dtls16m one warning" "$(grep -c 'over the cap' "$WORK/dtls-16m.pcap.err")" 1

# SIP: an INVITE with 100k SDP lines over TCP (Content-Length over the
# 64 KiB cap: its 429 segments, frames 2-430, are skipped as not framing,
# malformed, with one warning), one with 10k SDP lines in a UDP datagram (a
# call), a Content-Length of 60000 on a stream that ends after 2 SDP lines
# (never complete: no call, no hang), 5000 headers over TCP (frame 479,
# malformed: over SIP_MAX_HEADERS), a final OPTIONS (SIP).  SYN and FIN
# segments of the 3 streams are "other".
run sip-big.pcap
expect_eq "sip-big exit" "$RC" 0
expect_eq "sip-big packets" "$(pk sip-big.pcap '.packets | [.total, .sip, .other, .malformed] | join(",")')" "481,45,6,430"
expect_eq "sip-big malformed frames" \
	"$(pk sip-big.pcap '[.packets.malformed_frames[].frame] | [first, .[428], last] | join(",")')" "2,430,479"
expect_eq "sip-big calls" "$(pk sip-big.pcap '[.calls[].call_id] | join(",")')" "sdp10k@example"
expect_eq "sip-big one warning for the skipped message" \
	"$(grep -c 'SIP stream bytes skipped' "$WORK/sip-big.pcap.err")" 1
finish
