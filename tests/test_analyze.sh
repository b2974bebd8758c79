#!/usr/bin/env bash
# Integration tests of `srtpaudit analyze` on real captures: accounting,
# link types, IPv6 fragments, IP-in-IP, several files, stdin, bad input.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
R="$FIX/real"

# IPv6 fragments (Linux cooked): 34 frames, all SIP; 4 fragments make 2
# datagrams (tshark shows the 2 first fragments as "data").
"$SRTPAUDIT" analyze "$R/sngrep_ipv6frag.pcap" --json "$WORK/v6.json" >/dev/null
expect_eq "ipv6frag exit" $? 0
expect_eq "ipv6frag total" "$(jqv "$WORK/v6.json" .packets.total)" 34
expect_eq "ipv6frag sip" "$(jqv "$WORK/v6.json" .packets.sip)" 34
expect_eq "ipv6frag fragments" "$(jqv "$WORK/v6.json" .packets.ip_fragments)" 4
expect_eq "ipv6frag reassembled" "$(jqv "$WORK/v6.json" .packets.reassembled_datagrams)" 2
expect_eq "ipv6frag link" "$(jqv "$WORK/v6.json" '.captures[0].link_type')" LINUX_SLL

# IP-in-IP with SIP over TCP: 4 frames, responses tunnelled.
"$SRTPAUDIT" analyze "$R/sngrep_ipip.pcap" --json "$WORK/ipip.json" >/dev/null
expect_eq "ipip sip" "$(jqv "$WORK/ipip.json" .packets.sip)" 4
expect_eq "ipip tunnelled" "$(jqv "$WORK/ipip.json" .packets.tunnelled)" 2
expect_eq "ipip tcp segments" "$(jqv "$WORK/ipip.json" .packets.tcp.segments)" 4

# Raw IP link type: 1871 frames; four frames hold ARP bytes where an IP
# packet must be (tshark: "Raw packet data"): malformed with their numbers.
"$SRTPAUDIT" analyze "$R/srtp_decoder_wifi-tcp_to_3g.pcap" --json "$WORK/raw.json" >/dev/null
expect_eq "rawip link" "$(jqv "$WORK/raw.json" '.captures[0].link_type')" RAW
expect_eq "rawip total" "$(jqv "$WORK/raw.json" .packets.total)" 1871
expect_eq "rawip malformed frames" "$(jqv "$WORK/raw.json" '[.packets.malformed_frames[].frame] | join(",")')" "24,25,66,1652"
expect_eq "rawip categories add up" "$(jqv "$WORK/raw.json" '.packets | .sip+.dtls+.stun+.rtp+.rtcp+.other+.malformed')" 1871

# pcapng, SIP over WebSocket over TCP.
"$SRTPAUDIT" analyze "$R/wireshark-notes_websocket-sip.pcapng" --json "$WORK/ws.json" >/dev/null
expect_eq "pcapng total" "$(jqv "$WORK/ws.json" .packets.total)" 41

# SIP keep-alives (5 spaces, 21 of them) count as SIP: 81 messages + 21.
"$SRTPAUDIT" analyze "$R/sngrep_aaa.pcap" --json "$WORK/aaa.json" >/dev/null
expect_eq "aaa sip" "$(jqv "$WORK/aaa.json" .packets.sip)" 102
expect_eq "aaa rtp" "$(jqv "$WORK/aaa.json" .packets.rtp)" 9
expect_eq "aaa rtcp" "$(jqv "$WORK/aaa.json" .packets.rtcp)" 1
expect_eq "aaa dtls" "$(jqv "$WORK/aaa.json" .packets.dtls)" 0

# Several files are one capture; order of arguments does not matter.
"$SRTPAUDIT" analyze "$R/sngrep_ipip.pcap" "$R/sngrep_ipv6frag.pcap" --json "$WORK/two.json" >/dev/null
"$SRTPAUDIT" analyze "$R/sngrep_ipv6frag.pcap" "$R/sngrep_ipip.pcap" --json "$WORK/two-rev.json" >/dev/null
expect_eq "two files total" "$(jqv "$WORK/two.json" .packets.total)" 38
expect_eq "two files captures" "$(jqv "$WORK/two.json" '.captures | length')" 2
expect_eq "argument order" "$(jq -c .packets "$WORK/two.json")" "$(jq -c .packets "$WORK/two-rev.json")"

# Standard input.
"$SRTPAUDIT" analyze - --json "$WORK/stdin.json" < "$R/sngrep_ipv6frag.pcap" >/dev/null
expect_eq "stdin same packets" "$(jq -c .packets "$WORK/stdin.json")" "$(jq -c .packets "$WORK/v6.json")"
expect_eq "stdin name" "$(jqv "$WORK/stdin.json" '.captures[0].file')" "<stdin>"

# JSON to standard output is the whole report and nothing else.
"$SRTPAUDIT" analyze "$R/sngrep_ipip.pcap" --json - > "$WORK/stdout.json"
expect_eq "json on stdout parses" "$(jqv "$WORK/stdout.json" .packets.total)" 4

# Bad input: each gives a one-line message naming the file, exit 2.
bad() { # NAME FILE EXPECTED-EXIT PATTERN
	"$SRTPAUDIT" analyze "$2" > "$WORK/out" 2> "$WORK/err"
	local rc=$?
	expect_eq "$1 exit" "$rc" "$3"
	if grep -q -- "$4" "$WORK/err"; then pass "$1 message"; else fail "$1 message: $(cat "$WORK/err")"; fi
}
bad "missing file" "$WORK/nope.pcap" 2 "nope.pcap: error: cannot read this file as a capture"
: > "$WORK/empty.pcap"
bad "empty file" "$WORK/empty.pcap" 2 "empty.pcap: error"
echo "this is not a capture" > "$WORK/text.pcap"
bad "not a capture" "$WORK/text.pcap" 2 "text.pcap: error"
head -c 3000 "$R/sngrep_ipv6frag.pcap" > "$WORK/cut.pcap"
bad "cut in the middle" "$WORK/cut.pcap" 0 "cut.pcap: error: reading stopped after frame"
head -c 30 "$R/sngrep_ipv6frag.pcap" > "$WORK/cut-header.pcap"
bad "cut in the header" "$WORK/cut-header.pcap" 2 "cut-header.pcap: error"

# Usage errors exit 2; unbuilt commands say so and exit 2.
"$SRTPAUDIT" analyze >/dev/null 2>&1; expect_eq "no capture exit" $? 2
"$SRTPAUDIT" analyze --fail-on bogus x >/dev/null 2>&1; expect_eq "bad --fail-on exit" $? 2
"$SRTPAUDIT" frobnicate >/dev/null 2>&1; expect_eq "unknown command exit" $? 2
"$SRTPAUDIT" replay x 2>"$WORK/err" >/dev/null; expect_eq "replay without --target exit" $? 2
grep -q -- "--target" "$WORK/err" && pass "replay asks for --target" || fail "replay message: $(cat "$WORK/err")"
"$SRTPAUDIT" --version | grep -q '^srtpaudit [0-9]' && pass "version" || fail "version"
for c in analyze decrypt calls checks replay; do
	"$SRTPAUDIT" $c --help | grep -q "Usage: srtpaudit $c" && pass "$c --help" || fail "$c --help"
done

finish
