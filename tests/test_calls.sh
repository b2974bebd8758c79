#!/usr/bin/env bash
# Integration tests of signalling reconstruction (`srtpaudit calls` and the
# "calls" part of the JSON report) on real captures from other
# implementations: a B2BUA call with SDES (Asterisk + MicroSIP), a fax call
# with a declined T.38 re-INVITE, SIP over WebSocket (JsSIP/OverSIP), many
# dialogs (sngrep), SIP over TCP in an IP-in-IP tunnel, fragmented SIP over
# IPv6.  Where tshark is installed, Call-IDs are compared with it.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
R="$FIX/real"
TSHARK=${TSHARK:-$(command -v tshark || true)}

# voipshark: MicroSIP -> Asterisk (B2BUA) -> MicroSIP: two legs, two calls.
V="$R/voipshark_SIP-SRTP-Normal_Call_two_parties.pcap"
"$SRTPAUDIT" calls --show-keys --json "$WORK/v.json" "$V" > "$WORK/v.txt"
expect_eq "voipshark calls" "$(jqv "$WORK/v.json" '.calls | length')" 2
expect_eq "leg 1 call-id" "$(jqv "$WORK/v.json" '.calls[0].call_id')" 20d1c8822125483494b04e47206cec19
expect_eq "leg 1 outcome (after a 401 challenge)" "$(jqv "$WORK/v.json" '.calls[0] | "\(.outcome) \(.final_code)"')" "answered 200"
expect_eq "leg 1 frames" "$(jqv "$WORK/v.json" '.calls[0] | "\(.invite_frame) \(.answer_frame) \(.bye_frame)"')" "55 84 4717"
expect_eq "leg 1 exchanges (401'd offer, offer/answer, UPDATE re-offer)" \
	"$(jqv "$WORK/v.json" '[.calls[0].exchanges[] | "\(.offer_frame)/\(.answer_frame)/\(.offer_in)/\(.rejected)"] | join(" ")')" \
	"55/null/INVITE/401 59/84/INVITE/null 90/92/UPDATE/null"
expect_eq "leg 1 method" "$(jqv "$WORK/v.json" '.calls[0].media[0] | "\(.method) \(.suite)"')" "sdes AES_CM_128_HMAC_SHA1_80"
expect_eq "leg 1 answer key (from frame 92, base64 oFDq...L8L)" \
	"$(jqv "$WORK/v.json" '.calls[0].media[0].answer.crypto[0].key_salt')" \
	a050ea6520789b5eeeadf9d5a5fc2ce17e2fd871edf08197ff704ee0bf0b
expect_eq "leg 1 rtp both ways" "$(jqv "$WORK/v.json" '[.calls[0].media[0].flows[] | select(.kind=="rtp") | "\(.a_to_b.rtp)/\(.b_to_a.rtp)"] | join(" ")')" "1135/1135"
expect_eq "leg 1 not latched" "$(jqv "$WORK/v.json" '[.calls[0].media[0].flows[].latched] | unique | join(",")')" "false"
expect_eq "leg 2 latched (SDP says 192.168.5.151, media from 192.168.20.1)" \
	"$(jqv "$WORK/v.json" '[.calls[1].media[0].flows[] | select(.kind=="rtp") | .latched] | join(",")')" "true"
expect_eq "leg 2 answer address" "$(jqv "$WORK/v.json" '.calls[1].media[0].answer | "\(.addr):\(.port)"')" "192.168.5.151:4000"
expect_eq "other dialogs counted" "$(grep -c 'SIP messages of other dialogs' "$WORK/v.txt")" 1
# Keys only with --show-keys.
"$SRTPAUDIT" calls --json "$WORK/nokeys.json" "$V" > /dev/null
expect_eq "no keys without --show-keys" "$(jq '[.. | objects | select(has("key_salt"))] | length' "$WORK/nokeys.json")" 0

# Fax call: re-INVITE to T.38 declined with 488, then a re-INVITE back.
F="$R/ndpi_FAX-Call-t38-CA-TDM-SIP-FB-1.pcap"
"$SRTPAUDIT" calls --json "$WORK/f.json" "$F" > /dev/null
expect_eq "fax calls" "$(jqv "$WORK/f.json" '.calls | length')" 2
expect_eq "fax exchanges" "$(jqv "$WORK/f.json" '[.calls[0].exchanges[] | "\(.offerer):\(.offer_frame)/\(.answer_frame)/\(.rejected)"] | join(" ")')" \
	"caller:23/49/null callee:166/172/null caller:1394/null/488 caller:1412/1426/null"
expect_eq "fax reoffers" "$(jqv "$WORK/f.json" '[.calls[0].exchanges[].reoffer] | join(",")')" "false,true,true,true"
expect_eq "fax rtp flow" "$(jqv "$WORK/f.json" '.calls[0].media[0].flows[0] | "\(.a):\(.a_to_b.rtp) \(.b):\(.b_to_a.rtp)"')" "10.35.60.100:15580:159 10.23.1.52:16756:1171"

# SIP over WebSocket (RFC 7118), DTLS-SRTP SDP from Chrome through JsSIP.
W="$R/wireshark-notes_websocket-sip.pcapng"
"$SRTPAUDIT" calls --json "$WORK/w.json" "$W" > /dev/null
expect_eq "ws calls" "$(jqv "$WORK/w.json" '.calls | length')" 1
expect_eq "ws transport" "$(jqv "$WORK/w.json" '.calls[0].transport')" ws
expect_eq "ws outcome" "$(jqv "$WORK/w.json" '.calls[0].outcome')" answered
expect_eq "ws media" "$(jqv "$WORK/w.json" '[.calls[0].media[] | "\(.offer.type):\(.method):\(.offer.setup)/\(.answer.setup):\(.rtcp_mux)"] | join(" ")')" \
	"audio:dtls:actpass/active:true video:dtls:actpass/active:true"
expect_eq "ws fingerprint" "$(jqv "$WORK/w.json" '.calls[0].media[0].offer.fingerprints[0] | "\(.hash) \(.value)"')" \
	"sha-256 AC:5B:7E:86:24:ED:10:4A:D6:86:3B:05:B7:8B:EC:7D:7D:58:5A:DE:E6:48:27:D0:D1:0E:58:51:19:F6:89:BC"
expect_eq "ws sip frames (every segment with payload; tshark: tcp.len>0 = 18)" "$("$SRTPAUDIT" analyze --json - "$W" | jq .packets.sip)" 18

# Many dialogs: 4 INVITE dialogs, all rejected, plus REGISTERs etc.
A="$R/sngrep_aaa.pcap"
"$SRTPAUDIT" calls --json "$WORK/a.json" "$A" > /dev/null
expect_eq "aaa outcomes" "$(jqv "$WORK/a.json" '[.calls[] | "\(.outcome) \(.final_code)"] | join(",")')" \
	"rejected 408,rejected 403,rejected 403,rejected 480"

# SIP over TCP with responses in an IP-in-IP tunnel; IPv6 fragmented SIP.
"$SRTPAUDIT" calls --json "$WORK/i.json" "$R/sngrep_ipip.pcap" > /dev/null
expect_eq "ipip call" "$(jqv "$WORK/i.json" '.calls[0] | "\(.transport) \(.outcome) \(.messages)"')" "tcp answered 4"
"$SRTPAUDIT" calls --json "$WORK/6.json" "$R/sngrep_ipv6frag.pcap" > /dev/null
# The same Call-ID crosses a proxy (frames 2 and 5): one call, first hop.
expect_eq "ipv6 call media addresses" "$(jqv "$WORK/6.json" '.calls[0].media[0] | "\(.offer.addr) \(.answer.addr)"')" \
	"fd17:625c:f037:2:a00:27ff:feb9:1521 fd17:625c:f037:2:a00:27ff:feb9:4222"
expect_eq "ipv6 call messages" "$(jqv "$WORK/6.json" '.calls[0].messages')" 32

# --call filters.
"$SRTPAUDIT" calls --call 6dbcc9a6-d89a-4547-9c91-72949f9e581c --json "$WORK/one.json" "$V" > /dev/null
expect_eq "--call" "$(jqv "$WORK/one.json" '[.calls[].call_id] | join(",")')" 6dbcc9a6-d89a-4547-9c91-72949f9e581c

# Independent oracle: the Call-IDs of INVITE dialogs agree with tshark.
if [ -n "$TSHARK" ]; then
	for f in "$V" "$F" "$W" "$A" "$R/sngrep_ipip.pcap" "$R/sngrep_ipv6frag.pcap"; do
		ts=$("$TSHARK" -r "$f" -Y 'sip.Method == "INVITE"' -T fields -e sip.Call-ID 2>/dev/null | sort -u | tr '\n' ' ')
		ours=$("$SRTPAUDIT" calls --json - "$f" | jq -r '.calls[].call_id' | sort -u | tr '\n' ' ')
		expect_eq "$(basename "$f") Call-IDs vs tshark" "$ours" "$ts"
	done
else
	echo "SKIP: tshark not installed; Call-IDs not compared with tshark"
fi
finish
