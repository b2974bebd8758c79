#!/usr/bin/env bash
# The checks on real captures made by other implementations, with the
# behaviour ../shared/captures/MANIFEST.md documents (verified there with
# tshark): Zoom's ServerHello without use_srtp, Google Meet's AEAD_AES_256_GCM
# over IPv4 and IPv6, a fragmented certificate and a plain-DTLS 1.0 session,
# DTLS 1.0 with a 1024-bit key next to ICE, Chromium <-> FreeSWITCH closing
# the association while media still flows, and DTLS 1.3.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
R="$FIX/real"

run() { "$SRTPAUDIT" analyze "$R/$1" --json "$WORK/r.json" > /dev/null 2>&1; }
found() { jq -r '[.findings[], .calls[].findings[]] | map("\(.check)@\(.frames | join(","))") | join(" ")' "$WORK/r.json"; }

run ndpi_stun_zoom.pcapng
expect_eq "zoom: no SRTP profile in either ServerHello" \
	"$(jq -r '[.findings[] | select(.check=="USESRTP-NO-COMMON") | .frames[0]] | join(",")' "$WORK/r.json")" "15,43"
expect_eq "zoom: severity" "$(jq -r '[.findings[] | select(.check=="USESRTP-NO-COMMON") | .severity] | unique | join(",")' "$WORK/r.json")" error
expect_eq "zoom: dtls list, profile null" "$(jq -r '[.dtls[] | "\(.version) \(.profile) \(.complete)"] | unique | join(",")' "$WORK/r.json")" "DTLS 1.2 null true"
expect_eq "zoom: STUN" "$(jq .packets.stun "$WORK/r.json")" 24

run ndpi_stun_google_meet.pcapng
expect_eq "meet: AEAD_AES_256_GCM over IPv4 and IPv6" \
	"$(jq -r '[.dtls[] | select(.profile) | "\(.client)=\(.profile)"] | join(" ")' "$WORK/r.json")" \
	"192.168.12.156:38152=SRTP_AEAD_AES_256_GCM [2001:b07:a3d:c112:48a1:1094:1227:281e]:45572=SRTP_AEAD_AES_256_GCM"
expect_eq "meet: no error finding" "$(jq '[.findings[] | select(.severity=="error")] | length' "$WORK/r.json")" 0

run ndpi_dtls_certificate_fragments.pcap
expect_eq "fragments: both handshakes complete" "$(jq -r '[.dtls[] | "\(.version)/\(.complete)"] | join(" ")' "$WORK/r.json")" "DTLS 1.0/true DTLS 1.2/true"
expect_eq "fragments: plain DTLS 1.0 session judged" \
	"$(found | tr ' ' '\n' | grep -E '^(USESRTP-CH|USESRTP-NO-COMMON|TLS-NO-DTLS10|WEBRTC-FS)@' | sort | tr '\n' ' ')" \
	"TLS-NO-DTLS10@4 USESRTP-CH@3 USESRTP-NO-COMMON@4 WEBRTC-FS@4 "

run zeek_webrtc-stun.pcap
expect_eq "zeek: DTLS 1.0 and the 1024-bit key" \
	"$(found | tr ' ' '\n' | grep -E '^(TLS-NO-DTLS10|DTLS-CERT-WEAK-KEY)@' | sort | tr '\n' ' ')" \
	"DTLS-CERT-WEAK-KEY@13 TLS-NO-DTLS10@11 "
expect_eq "zeek: STUN and DTLS packets" "$(jq -r '.packets | "\(.stun) \(.dtls)"' "$WORK/r.json")" "10 4"

run wireshark-notes_webrtc-freeswitch.pcapng
expect_eq "freeswitch: FreeSWITCH is the DTLS client, DTLS 1.0" \
	"$(jq -r '.dtls[0] | "\(.client) \(.server) \(.version)"' "$WORK/r.json")" "209.105.235.10:20336 10.9.1.2:56706 DTLS 1.0"
expect_eq "freeswitch: close_notify while media flows" \
	"$(found | tr ' ' '\n' | grep -c '^DTLS-CLOSE-DURING-MEDIA@500,515$')" 1

run ndpi_dtls.pcap
expect_eq "ndpi_dtls: DTLS 1.3 recognised" "$(jq -r '[.dtls[] | select(.dtls13) | .version] | join(",")' "$WORK/r.json")" "DTLS 1.3"
finish
