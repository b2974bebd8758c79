#!/usr/bin/env bash
# One pass or two (cli_run_decrypting, docs/flows.md "One pass or two"): a capture
# without SIP and without DTLS, keyed with --srtp-key, is read once; a
# capture with either is read twice, also when the first pass had already
# written frames before it met the first SIP message.  Every way must give
# the same bytes and the same JSON as the classic two passes, which
# `-o -` (standard output cannot be started again) still takes.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
G="$FIX/gen"
TSHARK=${TSHARK:-$(command -v tshark || true)}
EDITCAP=$(command -v editcap || true)
if [ -z "$TSHARK" ] || [ -z "$EDITCAP" ]; then
	echo "SKIP: tshark and editcap are needed to cut the SIP out of a fixture"
	exit 77
fi

# The media of sdes-basic without its SIP, keys from its truth file.
"$TSHARK" -r "$G/sdes-basic.pcap" -Y '!sip' -w "$WORK/media.pcap" 2> /dev/null
expect_eq "media-only capture frames" "$("$TSHARK" -r "$WORK/media.pcap" 2>/dev/null | wc -l)" 104
key() { # SSRC
	jq -r --arg s "$1" '[.streams[] | select(.ssrc == $s and .kind == "rtp")][0] |
		"\(.suite):0x\(.master_key)\(.master_salt)@ssrc=\(.ssrc)"' "$G/sdes-basic.json"
}
K1=$(key 0x9e5a2218)
K2=$(key 0x8dbb0824)

# run NAME OUT ARGS... - decrypt with -v, stderr kept in $WORK/NAME.err.
run() {
	local name=$1 out=$2
	shift 2
	if [ "$out" = - ]; then
		"$SRTPAUDIT" decrypt -v --json "$WORK/$name.json" -o - "$@" > "$WORK/$name.pcap" 2> "$WORK/$name.err"
	else
		"$SRTPAUDIT" decrypt -v --json "$WORK/$name.json" -o "$WORK/$name.pcap" "$@" > "$WORK/$name.txt" 2> "$WORK/$name.err"
	fi
}
same() { # WHAT A B
	cmp -s "$WORK/$2.pcap" "$WORK/$3.pcap" && pass "$1: same capture" || fail "$1: captures differ"
	expect_eq "$1: same JSON" "$(jq -S . "$WORK/$2.json" | md5sum)" "$(jq -S . "$WORK/$3.json" | md5sum)"
}

# 1. No SIP, no DTLS: one pass, identical to two.
run one file "$WORK/media.pcap" --srtp-key "$K1" --srtp-key "$K2"
expect_eq "media only: exit" $? 0
expect_eq "media only: one pass" "$(grep -c 'one pass: no SIP and no DTLS' "$WORK/one.err")" 1
expect_eq "media only: written" "$(head -1 "$WORK/one.txt")" "$WORK/one.pcap: 104 frames written, 104 decrypted"
expect_eq "media only: streams" \
	"$(jq -r '[.streams[] | "\(.kind) \(.ssrc) \(.decrypted)/\(.packets)"] | sort | join(",")' "$WORK/one.json")" \
	"rtcp 0x8dbb0824 2/2,rtcp 0x9e5a2218 2/2,rtp 0x8dbb0824 50/50,rtp 0x9e5a2218 50/50"
run two - "$WORK/media.pcap" --srtp-key "$K1" --srtp-key "$K2"
expect_eq "standard output: two passes" "$(grep -c 'two passes' "$WORK/two.err")" 1
same "one pass against two" one two
expect_eq "tshark reads the one-pass output as RTP" \
	"$("$TSHARK" -r "$WORK/one.pcap" -o rtp.heuristic_rtp:TRUE -Y rtp 2>/dev/null | wc -l)" 100

# Standard input (spooled to a file) is read once too and keeps its name.
"$SRTPAUDIT" decrypt -v --json "$WORK/in.json" -o "$WORK/in.pcap" --srtp-key "$K1" --srtp-key "$K2" - \
	< "$WORK/media.pcap" > /dev/null 2> "$WORK/in.err"
expect_eq "stdin: one pass" "$(grep -c 'one pass' "$WORK/in.err")" 1
cmp -s "$WORK/in.pcap" "$WORK/one.pcap" && pass "stdin: same capture" || fail "stdin: capture differs"
expect_eq "stdin: file name" "$(jq -r '.captures[0].file' "$WORK/in.json")" "<stdin>"

# 2. --wav-dir keeps two passes (WAV files are not started again).
run wav file "$WORK/media.pcap" --srtp-key "$K1" --srtp-key "$K2" --wav-dir "$WORK/wav"
expect_eq "--wav-dir: two passes" "$(grep -c 'two passes' "$WORK/wav.err")" 1
same "--wav-dir against one pass" wav one
expect_eq "--wav-dir: files" "$(ls "$WORK/wav" | wc -l)" 2

# 3. Media an hour before a SIP call: the first pass writes 104 decrypted
#    frames, meets the INVITE, forgets them and learns; the second pass
#    writes everything.
"$EDITCAP" -t -3600 "$WORK/media.pcap" "$WORK/early.pcap" > /dev/null
run mixed file "$WORK/early.pcap" "$G/sdes-basic.pcap" --srtp-key "$K1" --srtp-key "$K2"
expect_eq "media then SIP: exit" $? 0
expect_eq "media then SIP: two passes" "$(grep -c 'two passes' "$WORK/mixed.err")" 1
frames=$(( 104 + $("$TSHARK" -r "$G/sdes-basic.pcap" 2>/dev/null | wc -l) ))
expect_eq "media then SIP: written once each" "$(head -1 "$WORK/mixed.txt")" \
	"$WORK/mixed.pcap: $frames frames written, 208 decrypted"
run mixed2 - "$WORK/early.pcap" "$G/sdes-basic.pcap" --srtp-key "$K1" --srtp-key "$K2"
same "media then SIP against two passes" mixed mixed2
# The call reuses the media's addresses and SSRCs: one stream each, keyed
# by the bound --srtp-key (bound explicit keys come before the SDP's).
expect_eq "media then SIP: streams" \
	"$(jq -r '[.streams[] | select(.kind == "rtp") | "\(.key_source) \(.decrypted)/\(.packets)"] | sort | join(",")' "$WORK/mixed.json")" \
	"explicit 100/100,explicit 100/100"

# 4. A DTLS call with its key log plus an explicit key: two passes.
run dtls file "$G/dtls-active.pcap" -k "$G/dtls-active.keys" --srtp-key "$K1"
expect_eq "DTLS: two passes" "$(grep -c 'two passes' "$WORK/dtls.err")" 1
expect_eq "DTLS: every RTP packet decrypted" \
	"$(jq -r '[.streams[] | select(.kind == "rtp") | .decrypted == .packets] | all' "$WORK/dtls.json")" true

# 5. analyze with --srtp-key, no SIP: one pass, the same streams.
"$SRTPAUDIT" analyze -v -q --srtp-key "$K1" --srtp-key "$K2" --json "$WORK/an.json" "$WORK/media.pcap" \
	> /dev/null 2> "$WORK/an.err"
expect_eq "analyze: one pass" "$(grep -c 'one pass' "$WORK/an.err")" 1
expect_eq "analyze: streams as decrypt's" \
	"$(jq -c '[.streams[] | [.ssrc, .decrypted, .lost, .jitter_ms]] | sort' "$WORK/an.json")" \
	"$(jq -c '[.streams[] | [.ssrc, .decrypted, .lost, .jitter_ms]] | sort' "$WORK/one.json")"

finish
