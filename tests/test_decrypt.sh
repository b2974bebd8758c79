#!/usr/bin/env bash
# Integration tests of decryption (`srtpaudit decrypt`, and analyze with
# keys): real captures with published keys (digests from
# ../shared/captures/MANIFEST.md), DTLS-SRTP with key logs, generated
# fixtures for every suite and the key faults, key logs inside pcapng,
# standard input, and tshark as an independent reader of the output.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
R="$FIX/real"
G="$FIX/gen"
TSHARK=${TSHARK:-$(command -v tshark || true)}
SC=${SHARED_CAPTURES:-$top_srcdir/../shared/captures}

# SHA-256 over the RTP payloads (12-byte header removed) of one SSRC.
digest() { # FILE SSRC
	"$TSHARK" -r "$1" -o rtp.heuristic_rtp:TRUE -Y "rtp.ssrc==$2" -T fields -e udp.payload 2>/dev/null |
		sed 's/^.\{24\}//' | tr -d ':\n' | xxd -r -p | sha256sum | cut -c1-64
}

# 1. voipshark SDES call through a B2BUA: every SRTP/SRTCP packet decrypts.
V="$R/voipshark_SIP-SRTP-Normal_Call_two_parties.pcap"
"$SRTPAUDIT" decrypt "$V" -o "$WORK/v.pcap" --wav-dir "$WORK/wav" --json "$WORK/v.json" > "$WORK/v.txt"
expect_eq "voipshark decrypt exit" $? 0
expect_eq "voipshark frames written" "$(head -1 "$WORK/v.txt")" "$WORK/v.pcap: 4753 frames written, 4569 decrypted"
expect_eq "voipshark RTP decrypted per stream" \
	"$(jq -r '[.streams[] | select(.kind=="rtp") | "\(.ssrc)=\(.decrypted)/\(.packets)/\(.auth_failures)"] | sort | join(" ")' "$WORK/v.json")" \
	"0x00294823=1135/1135/0 0x0dcde9ee=1135/1135/0 0x1edaa6cf=1135/1135/0 0x547970c2=1135/1135/0"
expect_eq "voipshark SRTCP decrypted" "$(jq '[.streams[] | select(.kind=="rtcp") | .decrypted] | add' "$WORK/v.json")" 29
expect_eq "voipshark key source" "$(jq -r '[.streams[].key_source] | unique | join(",")' "$WORK/v.json")" sdes
expect_eq "voipshark WAV files" "$(ls "$WORK/wav" | wc -l)" 4
expect_eq "voipshark WAV of caller on leg 1" \
	"$(ls "$WORK/wav" | grep -c '^20d1c8822125483494b04e47206cec19_m0_caller_547970c2.wav$')" 1
wavsize=$(stat -c %s "$WORK/wav/20d1c8822125483494b04e47206cec19_m0_caller_547970c2.wav")
[ "$wavsize" -ge $((44 + 1135 * 160 * 2)) ] && pass "WAV holds every sample ($wavsize bytes)" || fail "WAV size $wavsize"
if [ -n "$TSHARK" ]; then
	expect_eq "tshark reads every output frame" "$("$TSHARK" -r "$WORK/v.pcap" 2>/dev/null | wc -l)" 4753
	# MANIFEST digests of the decrypted payloads.
	expect_eq "digest 0x547970c2" "$(digest "$WORK/v.pcap" 0x547970c2)" b4612a30910c7036fa2b368e96c6ec8363b223d74e7a58da1a3b8af95a719fe9
	expect_eq "digest 0x1edaa6cf" "$(digest "$WORK/v.pcap" 0x1edaa6cf)" b4612a30910c7036fa2b368e96c6ec8363b223d74e7a58da1a3b8af95a719fe9
	expect_eq "digest 0x00294823" "$(digest "$WORK/v.pcap" 0x00294823)" 273bc03bbce9c59564e7478eed7d4a74bcae7e1e4b8adb68e09ec3ac885a76fb
	expect_eq "digest 0x0dcde9ee" "$(digest "$WORK/v.pcap" 0x0dcde9ee)" 273bc03bbce9c59564e7478eed7d4a74bcae7e1e4b8adb68e09ec3ac885a76fb
	# Same sequence numbers as the input, lengths and checksums fixed.
	in_seq=$("$TSHARK" -r "$V" -o rtp.heuristic_rtp:TRUE -Y rtp -T fields -e rtp.seq 2>/dev/null | md5sum)
	out_seq=$("$TSHARK" -r "$WORK/v.pcap" -o rtp.heuristic_rtp:TRUE -Y rtp -T fields -e rtp.seq 2>/dev/null | md5sum)
	expect_eq "RTP sequence numbers unchanged" "$out_seq" "$in_seq"
	# The capture has offloaded (bad) checksums; every rewritten frame gets
	# correct ones.
	expect_eq "no bad UDP checksum on decrypted RTP" "$("$TSHARK" -r "$WORK/v.pcap" -o rtp.heuristic_rtp:TRUE -o udp.check_checksum:TRUE -Y 'rtp && udp.checksum.status == 0' 2>/dev/null | wc -l)" 0
	expect_eq "no bad IPv4 checksum on decrypted RTP" "$("$TSHARK" -r "$WORK/v.pcap" -o rtp.heuristic_rtp:TRUE -o ip.check_checksum:TRUE -Y 'rtp && ip.checksum.status == 0' 2>/dev/null | wc -l)" 0
	expect_eq "the input had bad ones there" "$("$TSHARK" -r "$V" -o rtp.heuristic_rtp:TRUE -o udp.check_checksum:TRUE -Y 'rtp && udp.checksum.status == 0' 2>/dev/null | wc -l)" 1135
	expect_eq "decrypted RTP is 10 bytes shorter (no tag)" \
		"$("$TSHARK" -r "$WORK/v.pcap" -Y 'frame.number==150' -T fields -e udp.length 2>/dev/null)" \
		"$(( $("$TSHARK" -r "$V" -Y 'frame.number==150' -T fields -e udp.length 2>/dev/null) - 10 ))"
else
	echo "SKIP: tshark not installed; output not checked with tshark"
fi

# Standard input, read twice through a private spool file.
"$SRTPAUDIT" decrypt -q - -o "$WORK/stdin.pcap" < "$V"
expect_eq "stdin decrypt exit" $? 0
cmp -s "$WORK/stdin.pcap" "$WORK/v.pcap" && pass "stdin output identical" || fail "stdin output differs"

# 2. DTLS 1.0 SRTP (Chromium <-> FreeSWITCH) with the key log.
W="$R/wireshark-notes_webrtc-freeswitch.pcapng"
"$SRTPAUDIT" analyze "$W" -k "$R/wireshark-notes_webrtc-freeswitch.keylog.txt" --show-keys --json "$WORK/w.json" > /dev/null
expect_eq "freeswitch streams" "$(jq -r '[.streams[] | "\(.kind):\(.ssrc)=\(.decrypted)/\(.packets)"] | sort | join(" ")' "$WORK/w.json")" \
	"rtcp:0xf1e9676f=2/2 rtp:0xa298faf0=178/178 rtp:0xf1e9676f=224/224"
expect_eq "freeswitch client_write key (MANIFEST)" \
	"$(jq -r '.streams[] | select(.ssrc=="0xa298faf0") | .keys | "\(.master_key) \(.master_salt)"' "$WORK/w.json")" \
	"76f3c0dc707956947e4988a3c6ea5f94 ec5e6ee59d0ebf1f06646c268d64"
expect_eq "freeswitch server_write key (MANIFEST)" \
	"$(jq -r '.streams[] | select(.ssrc=="0xf1e9676f" and .kind=="rtp") | .keys | "\(.master_key) \(.master_salt)"' "$WORK/w.json")" \
	"dab6010d0787ffa2a1ee2015bf326bd4 e04008290c66e7d5d6935a1567f2"
expect_eq "freeswitch DTLS" "$(jq -r '.dtls[0] | "\(.version) \(.profile) \(.client)"' "$WORK/w.json")" \
	"DTLS 1.0 SRTP_AES128_CM_HMAC_SHA1_80 209.105.235.10:20336"
# Keys are only in the report with --show-keys, and then the file is 0600.
expect_eq "report with keys is private" "$(stat -c %a "$WORK/w.json")" 600

# 3. Generated calls: every suite, DTLS and SDES, ROC wrap, duplicates.
for n in dtls-active dtls-passive dtls-gcm dtls-nomux dtls-rsa-dtls10 dtls-cookie-frag dtls-lost-flight \
	 dtls-late-offer dtls-early-media dtls-tcp-ipv6-sll dual-dtls dual-sdes sdes-basic sdes-aes256 \
	 sdes-gcm sdes-32 sdes-mki-lifetime legacy-avp-sdes sdes-reinvite f-seq-wrap f-ssrc-change; do
	"$SRTPAUDIT" analyze "$G/$n.pcap" -k "$G/$n.keys" --json "$WORK/g.json" > /dev/null
	expect_eq "$n: all SRTP/SRTCP decrypted" \
		"$(jq '[.streams[] | .packets - .decrypted] | add' "$WORK/g.json")" 0
	expect_eq "$n: RTP packets decrypted = truth" "$(jq '[.streams[] | select(.kind=="rtp") | .decrypted] | add' "$WORK/g.json")" \
		"$(jq '[.streams[] | select(.kind=="rtp") | .packets] | add' "$G/$n.json")"
done
"$SRTPAUDIT" analyze "$G/f-dup-reorder.pcap" --json "$WORK/d.json" > /dev/null
expect_eq "duplicates told apart from auth failures" \
	"$(jq -r '[.streams[] | select(.kind=="rtp") | "\(.duplicates)/\(.auth_failures)"] | sort | join(" ")' "$WORK/d.json")" "0/0 5/0"
expect_eq "duplicates reported" "$(jq -r '[.calls[].findings[].check] | map(select(.=="SRTP-REPLAY")) | length' "$WORK/d.json")" 1

# 4. Key faults: each has its own diagnostic.
"$SRTPAUDIT" analyze "$G/dtls-active.pcap" --json "$WORK/nokl.json" > /dev/null
expect_eq "no key log: says to pass -k" \
	"$(jq -r '[.streams[].key_problem] | unique | join("|")' "$WORK/nokl.json" | grep -c 'pass the NSS key log')" 1
"$SRTPAUDIT" analyze "$G/dtls-active.pcap" -k "$G/dtls-gcm.keys" --json "$WORK/wrongkl.json" > /dev/null
expect_eq "key log of another call: says so" \
	"$(jq -r '[.streams[].key_problem] | unique | join("|")' "$WORK/wrongkl.json" | grep -c 'no CLIENT_RANDOM line')" 1
"$SRTPAUDIT" analyze "$G/sdes-basic.pcap" --srtp-key 'AES_CM_128_HMAC_SHA1_80:QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNk@ssrc=0x1' \
	--json "$WORK/fine.json" > /dev/null
expect_eq "an unrelated explicit key changes nothing" "$(jq '[.streams[] | .decrypted] | add' "$WORK/fine.json")" 104
"$SRTPAUDIT" analyze "$G/f-mid-call.pcap" --json "$WORK/mid.json" > /dev/null
expect_eq "mid-call without keys: streams counted, none decrypted" \
	"$(jq -r '[.streams[] | "\(.packets)/\(.decrypted)"] | unique | join(",")' "$WORK/mid.json")" "2/0,50/0"
rc=0; "$SRTPAUDIT" analyze "$G/f-plain-rtp.pcap" -k "$G/f-plain-rtp.keys" --json "$WORK/plain.json" > /dev/null || rc=$?
expect_eq "plain RTP where SRTP was agreed: exit 1" $rc 1
expect_eq "plain RTP finding" "$(jq -r '[.calls[].findings[].check | select(.=="MEDIA-PLAIN-RTP")] | length' "$WORK/plain.json")" 2
# The other direction's keys (DTLS halves swapped) never authenticate.
key=$(jq -r '.dtls[0].client_key + .dtls[0].client_salt' "$G/dtls-active.json" 2>/dev/null)
if [ -n "$key" ] && [ "$key" != "null" ]; then
	rc=0; "$SRTPAUDIT" analyze "$G/dtls-active.pcap" --srtp-key "AES_CM_128_HMAC_SHA1_80:0x$key" --json "$WORK/swap.json" > /dev/null || rc=$?
	expect_eq "one key for both directions: SRTP-AUTH-FAIL for one" \
		"$(jq -r '[.calls[].findings[].check | select(.=="SRTP-AUTH-FAIL")] | length' "$WORK/swap.json")" 1
	expect_eq "wrong key: exit 1" $rc 1
fi

# 5. Key log inside the pcapng (editcap --inject-secrets), no -k needed.
if command -v editcap >/dev/null; then
	editcap --inject-secrets "tls,$G/dtls-gcm.keys" "$G/dtls-gcm.pcap" "$WORK/dsb.pcapng" 2>/dev/null
	"$SRTPAUDIT" decrypt -q "$WORK/dsb.pcapng" -o "$WORK/dsb-out.pcap" --json "$WORK/dsb.json"
	expect_eq "secrets block used" "$(jq '[.streams[] | .decrypted] | add' "$WORK/dsb.json")" 104
else
	echo "SKIP: editcap not installed; secrets blocks not tested here"
fi

# 6. Media relayed through TURN (RFC 8656), keys published with the captures
# (../shared/captures/srtp_decoder_KEYS.txt): over UDP in Send/Data
# indications, and over TCP in ChannelData on a raw-IP link.
T="$R/srtp_decoder_WebRTC_PCMA_Turn_SDES_Call_1.pcap"
"$SRTPAUDIT" analyze "$T" --srtp-key 'AES_CM_128_HMAC_SHA1_80:Dyx7iKCU5AiJVgclTHa2wjdB6GwL7RtvihVePyoJ@ssrc=0xed42a10f' \
	--srtp-key 'AES_CM_128_HMAC_SHA1_80:x+rWLABtQ+BQGVnLII8eIdpdlApQp6SnXREVx/e5@ssrc=0x15cba085' --json "$WORK/tu.json" > /dev/null
expect_eq "TURN/UDP streams (MANIFEST 659/659, 609/609)" \
	"$(jq -r '[.streams[] | select(.kind=="rtp") | "\(.ssrc)=\(.decrypted)/\(.packets)"] | sort | join(" ")' "$WORK/tu.json")" \
	"0x15cba085=609/609 0xed42a10f=659/659"
expect_eq "TURN/UDP SRTCP decrypted" "$(jq '[.streams[] | select(.kind=="rtcp") | .auth_failures] | add' "$WORK/tu.json")" 0
expect_eq "TURN/UDP messages unwrapped" "$(jq .packets.turn_relayed "$WORK/tu.json")" 1415
"$SRTPAUDIT" analyze "$R/srtp_decoder_wifi-tcp_to_3g.pcap" --srtp-key 'AES_CM_128_HMAC_SHA1_80:ZGRjMTA4OWRkYWJmMGJhM2YxZWQ1MjExODJmMTVl@ssrc=0x3482b39f' \
	--srtp-key 'AES_CM_128_HMAC_SHA1_80:ZmVlOWQwMGJhNDIxMzcyZmVlM2U0NTllMmZiMzM4@ssrc=0x3482b3a1' --json "$WORK/tt.json" > /dev/null
expect_eq "TURN/TCP RTP per SSRC (MANIFEST 506/506, 508/508)" \
	"$(jq -r '[.streams[] | select(.kind=="rtp")] | group_by(.ssrc) | map("\(.[0].ssrc)=\(map(.decrypted)|add)/\(map(.packets)|add)") | join(" ")' "$WORK/tt.json")" \
	"0x3482b39f=506/506 0x3482b3a1=508/508"
expect_eq "TURN/TCP segments counted as the media they carry" "$(jq -r '.packets | "\(.rtp) \(.rtcp) \(.malformed)"' "$WORK/tt.json")" "960 8 4"

# 7. Real captures kept outside the repository (large), when present.
if [ -f "$SC/dsrtp_av.pcap" ]; then
	# Raw exporter output published with the capture: the server_write half.
	"$SRTPAUDIT" analyze "$SC/dsrtp_av.pcap" --srtp-key 'AES_CM_128_HMAC_SHA1_80:awEA5G9hl6MPfCZLzXljxsRcShFam9XaT9oounuc@ssrc=0xff8156b7' \
		--srtp-key 'AES_CM_128_HMAC_SHA1_80:awEA5G9hl6MPfCZLzXljxsRcShFam9XaT9oounuc@ssrc=0xe454d8d4' --json "$WORK/ds.json" > /dev/null
	expect_eq "dsrtp Opus and VP8 (MANIFEST 490/490, 1239/1239)" \
		"$(jq -r '[.streams[] | select(.kind=="rtp") | "\(.ssrc)=\(.decrypted)/\(.packets)"] | sort | join(" ")' "$WORK/ds.json")" \
		"0xe454d8d4=1239/1239 0xff8156b7=490/490"
	"$SRTPAUDIT" analyze "$SC/webrtc-demo_native2weblatest.pcapng" -k "$SC/webrtc-demo_native_combined_keys.log" --json "$WORK/wd.json" > /dev/null
	expect_eq "webrtc-demo DTLS 1.2 with EMS: every packet decrypts" \
		"$(jq '[.streams[] | .packets - .decrypted] | add' "$WORK/wd.json")" 0
	"$SRTPAUDIT" analyze "$SC/srtp-decrypt_marseillaise-srtp.pcap" \
		--srtp-key "AES_CM_128_HMAC_SHA1_80:$(grep -o 'inline:[^ |]*' "$SC/srtp-decrypt_marseillaise-srtp.key.txt" | head -1 | cut -d: -f2)" \
		--json "$WORK/ma.json" > /dev/null
	expect_eq "marseillaise 11888/11888" "$(jq -r '[.streams[] | select(.kind=="rtp") | "\(.decrypted)/\(.packets)"] | join(",")' "$WORK/ma.json")" "11888/11888"
else
	echo "SKIP: $SC not present; dsrtp, webrtc-demo and marseillaise not decrypted"
fi
finish
