#!/usr/bin/env bash
# srtpaudit replay on loopback (issue 8): srtpaudit as UAC against
# srtpaudit as UAS for SRTP methods 0, 1, 2 (answer active and passive) and 3
# (answered dtls and sdes), over UDP and TCP, with digest authentication,
# re-INVITEs, RTCP without rtcp-mux (SDES, and DTLS with a second
# association), CANCEL (both roles, UDP and TCP) and offerless INVITEs
# (both directions), using generated fixtures as the captured call;
# the run's own capture (tcpdump on lo, root only) audited by `analyze`
# with the --keylog-out file; bad situations (488, wrong fingerprint, a
# target that never answers, an unreachable target, usage errors); sipp
# as UAS for plain RTP (with digest authentication, and behind a
# record-routing proxy whose Route headers it checks) and baresip as UAS with dtls_srtp and SDES.  Peers
# that are not installed are skipped visibly.  Every peer is started here
# on 127.0.0.1 and stopped by its pid; every run is bounded by timeouts.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
G="$FIX/gen"
# Loaded CI machines: a generous pacing limit here (the default is 10 ms).
COMMON=(--max-duration 10 --pacing-tolerance 50 -q)

# pair NAME CAPTURE "UAS OPTIONS" "UAC OPTIONS" - run a UAS in the
# background and a UAC against it; statuses in UAS_RC / UAC_RC, reports in
# $WORK/NAME.{uas,uac}.json.
pair() {
	local name=$1 cap=$2 uas_opts=$3 uac_opts=$4 pf="$WORK/$1.port" i pid
	rm -f "$pf"
	# shellcheck disable=SC2086
	timeout 20 "$SRTPAUDIT" replay "$cap" --as uas --target 127.0.0.1 --port-file "$pf" \
		"${COMMON[@]}" --json "$WORK/$name.uas.json" $uas_opts > "$WORK/$name.uas.out" 2>&1 &
	pid=$!
	for i in $(seq 50); do [ -s "$pf" ] && break; sleep 0.1; done
	if [ ! -s "$pf" ]; then
		fail "$name: the UAS did not bind"
		kill "$pid" 2>/dev/null
		wait "$pid"
		UAS_RC=99 UAC_RC=99
		return
	fi
	# shellcheck disable=SC2086
	timeout 20 "$SRTPAUDIT" replay "$cap" --target "127.0.0.1:$(cat "$pf")" "${COMMON[@]}" \
		--json "$WORK/$name.uac.json" $uac_opts > "$WORK/$name.uac.out" 2>&1
	UAC_RC=$?
	wait "$pid"
	UAS_RC=$?
}

# good NAME SIDE NEGOTIATED CAPTURED - every verdict passed (or skipped
# where no DTLS), all captured packets sent, media received, no auth failure.
good() {
	local j="$WORK/$1.$2.json"
	expect_eq "$1 $2: negotiated" "$(jqv "$j" .replay.negotiated)" "$3"
	expect_eq "$1 $2: failed verdicts" "$(jq '[.verdicts[] | select(.verdict == "fail")] | length' "$j")" 0
	expect_eq "$1 $2: sent = captured packets of the side" "$(jqv "$j" .media.sent_rtp)" "$4"
	expect_eq "$1 $2: captured" "$(jqv "$j" .media.captured_packets)" "$4"
	if [ "$(jqv "$j" .media.received_rtp)" -gt 0 ]; then pass "$1 $2: received > 0"
	else fail "$1 $2: nothing received"; fi
	expect_eq "$1 $2: auth failures" "$(jqv "$j" .media.auth_failures)" 0
	expect_eq "$1 $2: sip flow" "$(jqv "$j" .verdicts.sip_flow_completed.verdict)" pass
	expect_eq "$1 $2: media_received" "$(jqv "$j" .verdicts.media_received.verdict)" pass
	if [ "$3" = dtls ]; then
		expect_eq "$1 $2: handshake" "$(jqv "$j" .verdicts.handshake_completed.verdict)" pass
		expect_eq "$1 $2: fingerprint" "$(jqv "$j" .verdicts.fingerprint_verified.verdict)" pass
	fi
}

# Captured packets per side, from the analyzer (the caller's and the
# callee's RTP streams).
side_packets() {
	"$SRTPAUDIT" analyze "$1" ${2:+-k "$2"} --json - 2>/dev/null |
		jq "[.streams[] | select(.kind == \"rtp\" and .sender == \"$3\") | .packets] | add // 0"
}

# --- srtpaudit against srtpaudit -------------------------------------------
CALLER=$(side_packets "$G/sdes-basic.pcap" "" caller)
CALLEE=$(side_packets "$G/sdes-basic.pcap" "" callee)
[ "$CALLER" -gt 0 ] 2>/dev/null || CALLER=50
[ "$CALLEE" -gt 0 ] 2>/dev/null || CALLEE=50

pair sdes "$G/sdes-basic.pcap" "" ""
expect_eq "sdes: UAC exit" "$UAC_RC" 0
expect_eq "sdes: UAS exit" "$UAS_RC" 0
good sdes uac sdes "$CALLER"
good sdes uas sdes "$CALLEE"
expect_eq "sdes: method taken from the capture" "$(jqv "$WORK/sdes.uac.json" .replay.srtp_method)" 1
expect_eq "sdes: the UAC sent the BYE" "$(jqv "$WORK/sdes.uac.json" .sip.bye_sent)" true
expect_eq "sdes: the UAS received it" "$(jqv "$WORK/sdes.uas.json" .sip.bye_received)" true

K="$G/dtls-active.keys"
TCPDUMP=$(command -v tcpdump || true)
CAP_PID=
if [ "$(id -u)" = 0 ] && [ -n "$TCPDUMP" ]; then
	"$TCPDUMP" -i lo --immediate-mode -U -s 0 -w "$WORK/run.pcap" udp and host 127.0.0.1 2> "$WORK/tcpdump.err" &
	CAP_PID=$!
	sleep 1
else
	echo "SKIP (part): the run's own capture needs root and tcpdump"
fi
pair dtls "$G/dtls-active.pcap" "-k $K" "-k $K --keylog-out $WORK/run.keys"
if [ -n "$CAP_PID" ]; then
	sleep 0.5
	kill "$CAP_PID" 2>/dev/null
	wait "$CAP_PID"
fi
expect_eq "dtls: UAC exit" "$UAC_RC" 0
expect_eq "dtls: UAS exit" "$UAS_RC" 0
good dtls uac dtls "$CALLER"
good dtls uas dtls "$CALLEE"
expect_eq "dtls: UAS answered active, so the UAC is the DTLS server" \
	"$(jqv "$WORK/dtls.uac.json" .replay.dtls_role)" server
expect_eq "dtls: the UAS is the DTLS client" "$(jqv "$WORK/dtls.uas.json" .replay.dtls_role)" client
expect_eq "dtls: keylog-out mode" "$(stat -c %a "$WORK/run.keys")" 600
if grep -q '^CLIENT_RANDOM [0-9a-f]\{64\} [0-9a-f]\{96\}$' "$WORK/run.keys"; then
	pass "dtls: keylog-out holds a CLIENT_RANDOM line"
else
	fail "dtls: keylog-out has no CLIENT_RANDOM line"
fi

# Closing the loop: the run's own capture (only its ports: other programs
# may use loopback at the same time) decrypts completely.
if [ -n "$CAP_PID" ] && [ -s "$WORK/run.pcap" ]; then
	ports=""
	for f in "$WORK/dtls.uac.json" "$WORK/dtls.uas.json"; do
		for k in local_sip local_media; do
			ports="$ports${ports:+ or }port $(jqv "$f" ".replay.$k" | sed 's/.*://')"
		done
	done
	"$TCPDUMP" -r "$WORK/run.pcap" -w "$WORK/own.pcap" "udp and ($ports)" 2>/dev/null
	"$SRTPAUDIT" analyze "$WORK/own.pcap" -k "$WORK/run.keys" --json "$WORK/own.json" -q
	expect_eq "loop: analyze exit" "$?" 0
	expect_eq "loop: one call" "$(jq '.calls | length' "$WORK/own.json")" 1
	expect_eq "loop: error findings" \
		"$(jq '[.findings[], .calls[].findings[] | select(.severity == "error")] | length' "$WORK/own.json")" 0
	expect_eq "loop: RTP packets" "$(jq '.packets.rtp' "$WORK/own.json")" $((CALLER + CALLEE))
	expect_eq "loop: every SRTP packet decrypts" \
		"$(jq '[.streams[] | .packets - .decrypted] | add' "$WORK/own.json")" 0
	expect_eq "loop: no auth failures" "$(jq '[.streams[].auth_failures] | add' "$WORK/own.json")" 0
fi

# Method 0 (legacy: a=crypto on RTP/AVP): the UAS keys SDES from it.
pair legacy "$G/sdes-basic.pcap" "" "--srtp-method 0"
expect_eq "legacy offer: exits" "$UAC_RC/$UAS_RC" 0/0
expect_eq "legacy offer: method" "$(jqv "$WORK/legacy.uac.json" .replay.srtp_method)" 0
good legacy uac sdes "$CALLER"
good legacy uas sdes "$CALLEE"

pair passive "$G/dtls-active.pcap" "-k $K --setup passive" "-k $K"
expect_eq "passive: exits" "$UAC_RC/$UAS_RC" 0/0
good passive uac dtls "$CALLER"
expect_eq "passive: the UAC is the DTLS client" "$(jqv "$WORK/passive.uac.json" .replay.dtls_role)" client

pair dual-dtls "$G/dual-dtls.pcap" "-k $G/dual-dtls.keys --srtp-method 2" \
	"-k $G/dual-dtls.keys --srtp-method 3"
expect_eq "dual answered dtls: exits" "$UAC_RC/$UAS_RC" 0/0
good dual-dtls uac dtls "$(side_packets "$G/dual-dtls.pcap" "$G/dual-dtls.keys" caller)"
pair dual-sdes "$G/dual-sdes.pcap" "-k $G/dual-sdes.keys --srtp-method 1" \
	"-k $G/dual-sdes.keys --srtp-method 3"
expect_eq "dual answered sdes: exits" "$UAC_RC/$UAS_RC" 0/0
good dual-sdes uac sdes "$(side_packets "$G/dual-sdes.pcap" "$G/dual-sdes.keys" caller)"
good dual-sdes uas sdes "$(side_packets "$G/dual-sdes.pcap" "$G/dual-sdes.keys" callee)"

# --- SIP over TCP (RFC 3261 §18): methods 1 and 2 -----------------------------
pair tcp-sdes "$G/sdes-basic.pcap" "--transport tcp" "--transport tcp"
expect_eq "tcp sdes: exits" "$UAC_RC/$UAS_RC" 0/0
good tcp-sdes uac sdes "$CALLER"
good tcp-sdes uas sdes "$CALLEE"
expect_eq "tcp sdes: transport" "$(jqv "$WORK/tcp-sdes.uac.json" .sip.transport)" tcp
expect_eq "tcp sdes: no retransmissions over TCP" "$(jqv "$WORK/tcp-sdes.uac.json" .sip.retransmissions)" 0
pair tcp-dtls "$G/dtls-active.pcap" "--transport tcp -k $K" "--transport tcp -k $K"
expect_eq "tcp dtls: exits" "$UAC_RC/$UAS_RC" 0/0
good tcp-dtls uac dtls "$CALLER"
good tcp-dtls uas dtls "$CALLEE"
expect_eq "tcp dtls: transport" "$(jqv "$WORK/tcp-dtls.uas.json" .sip.transport)" tcp
# A TCP target that refuses the connection: unreachable, exit 2.
timeout 10 "$SRTPAUDIT" replay "$G/sdes-basic.pcap" --target 127.0.0.1:9 --transport tcp \
	"${COMMON[@]}" --json "$WORK/tcp-unreach.json"
expect_eq "tcp unreachable: exit 2" "$?" 2
expect_eq "tcp unreachable: aborted" "$(jqv "$WORK/tcp-unreach.json" .replay.aborted)" unreachable

# --target by host name: looked up once (getaddrinfo, first address, as
# getent ahosts lists it), the address shown, the call made there.
LH=$(getent ahosts localhost | awk 'NR == 1 { print $1 }')
if [ -n "$LH" ]; then
	rm -f "$WORK/byname.port"
	timeout 20 "$SRTPAUDIT" replay "$G/sdes-basic.pcap" --as uas --target "$LH" \
		--port-file "$WORK/byname.port" "${COMMON[@]}" --json "$WORK/byname.uas.json" \
		> /dev/null 2>&1 &
	pid=$!
	for i in $(seq 50); do [ -s "$WORK/byname.port" ] && break; sleep 0.1; done
	timeout 20 "$SRTPAUDIT" replay "$G/sdes-basic.pcap" --max-duration 10 --pacing-tolerance 50 \
		--target "localhost:$(cat "$WORK/byname.port")" --json "$WORK/byname.uac.json" \
		> "$WORK/byname.uac.out" 2>&1
	rc=$?
	wait "$pid"
	expect_eq "target by name: exits" "$rc/$?" 0/0
	expect_eq "target by name: address shown" \
		"$(grep -c -- "--target localhost is $LH\$" "$WORK/byname.uac.out")" 1
	expect_eq "target by name: media" "$(jqv "$WORK/byname.uac.json" .verdicts.media_received.verdict)" pass
else
	echo "SKIP (part): localhost does not resolve here"
fi
timeout 10 "$SRTPAUDIT" replay "$G/sdes-basic.pcap" --target no-such-device.invalid:5060 \
	--max-duration 2 > "$WORK/badname.out" 2>&1
expect_eq "target name that does not resolve: exit 2" "$?" 2
expect_eq "target name that does not resolve: message" \
	"$(grep -c "replay: --target: cannot resolve 'no-such-device.invalid'" "$WORK/badname.out")" 1

# --- digest authentication (RFC 3261 §22, RFC 7616) ------------------------
# field HEADER NAME - one auth-param of a credentials value.
field() { sed -n "s/.*[ ,]$2=\"\{0,1\}\([^\",]*\)\"\{0,1\}.*/\1/p" <<< "$1"; }
# expect_digest NAME JSON ALG PASS - the response in the credentials the
# UAS received, recomputed here with openssl dgst (RFC 7616 §3.4.1).
expect_digest() {
	local h u r n c nc q uri want
	h=$(jqv "$2" .sip.auth_credentials)
	u=$(field "$h" username); r=$(field "$h" realm); n=$(field "$h" nonce)
	c=$(field "$h" cnonce); nc=$(field "$h" nc); q=$(field "$h" qop); uri=$(field "$h" uri)
	h1=$(printf '%s' "$u:$r:$4" | openssl dgst "-$3" -r | cut -d' ' -f1)
	h2=$(printf '%s' "INVITE:$uri" | openssl dgst "-$3" -r | cut -d' ' -f1)
	want=$(printf '%s' "$h1:$n:$nc:$c:$q:$h2" | openssl dgst "-$3" -r | cut -d' ' -f1)
	expect_eq "$1: qop and nc" "$q/$nc" auth/00000001
	expect_eq "$1: digest response (openssl dgst -$3)" "$(field "$h" response)" "$want"
}
pair auth "$G/sdes-basic.pcap" "--challenge replay.test --auth alice:s3cret" "--auth alice:s3cret"
expect_eq "auth md5: exits" "$UAC_RC/$UAS_RC" 0/0
good auth uac sdes "$CALLER"
expect_eq "auth md5: one challenge" "$(jqv "$WORK/auth.uac.json" .sip.auth_challenges)" 1
expect_eq "auth md5: the UAS verified it" "$(jqv "$WORK/auth.uas.json" .sip.auth_verified)" true
expect_eq "auth md5: realm echoed" "$(field "$(jqv "$WORK/auth.uas.json" .sip.auth_credentials)" realm)" replay.test
expect_digest "auth md5" "$WORK/auth.uas.json" md5 s3cret
pair auth-sha "$G/sdes-basic.pcap" \
	"--transport tcp --challenge replay.test --challenge-algorithm sha-256 --challenge-proxy --auth bob:pw" \
	"--transport tcp --auth bob:pw"
expect_eq "auth sha-256 407 tcp: exits" "$UAC_RC/$UAS_RC" 0/0
expect_eq "auth sha-256: algorithm" "$(field "$(jqv "$WORK/auth-sha.uas.json" .sip.auth_credentials)" algorithm)" SHA-256
expect_digest "auth sha-256" "$WORK/auth-sha.uas.json" sha256 pw
pair auth-bad "$G/sdes-basic.pcap" "--challenge replay.test --auth alice:s3cret" "--auth alice:wrong"
expect_eq "auth wrong password: exits" "$UAC_RC/$UAS_RC" 1/1
expect_eq "auth wrong password: 403" "$(jqv "$WORK/auth-bad.uac.json" .sip.final_code)" 403
expect_eq "auth wrong password: UAS verdict" "$(jqv "$WORK/auth-bad.uas.json" .sip.auth_verified)" false
pair auth-none "$G/sdes-basic.pcap" "--challenge replay.test --auth alice:s3cret" ""
expect_eq "challenged without --auth: UAC exit 1" "$UAC_RC" 1
expect_eq "challenged without --auth: final code" "$(jqv "$WORK/auth-none.uac.json" .sip.final_code)" 401

# --- re-INVITE in both directions --------------------------------------------
pair reinv "$G/sdes-basic.pcap" "--reinvite-at 0.3" "--reinvite-at 0.6"
expect_eq "re-INVITE both ways: exits" "$UAC_RC/$UAS_RC" 0/0
good reinv uac sdes "$CALLER"
good reinv uas sdes "$CALLEE"
expect_eq "re-INVITE: UAC sent/received" \
	"$(jq -r '"\(.sip.reinvites_sent)/\(.sip.reinvites_received)"' "$WORK/reinv.uac.json")" 1/1
expect_eq "re-INVITE: UAS sent/received" \
	"$(jq -r '"\(.sip.reinvites_sent)/\(.sip.reinvites_received)"' "$WORK/reinv.uas.json")" 1/1
# The captured caller re-INVITEd (fixture dtls-reinvite): so does the replay,
# keeping the DTLS association (no auth failure after it).
pair reinv-cap "$G/dtls-reinvite.pcap" "-k $G/dtls-reinvite.keys" "-k $G/dtls-reinvite.keys"
expect_eq "re-INVITE from the capture: exits" "$UAC_RC/$UAS_RC" 0/0
expect_eq "re-INVITE from the capture: sent" "$(jqv "$WORK/reinv-cap.uac.json" .sip.reinvites_sent)" 1
expect_eq "re-INVITE from the capture: answered" "$(jqv "$WORK/reinv-cap.uas.json" .sip.reinvites_received)" 1
expect_eq "re-INVITE from the capture: auth failures" "$(jqv "$WORK/reinv-cap.uas.json" .media.auth_failures)" 0

# --- RTCP without rtcp-mux (RFC 5761 off, RFC 3550 §11, RFC 5764 §3) ----------
# nomux NAME SIDE - the SR went out and the device's SRTCP came in on the
# RTCP port, and nothing failed authentication.
nomux() {
	local j="$WORK/$1.$2.json"
	expect_eq "$1 $2: rtcp-mux off" "$(jqv "$j" .replay.rtcp_mux)" false
	expect_eq "$1 $2: RTCP on the RTP port + 1" \
		"$(jqv "$j" .replay.local_rtcp | sed 's/.*://')" $(($(jqv "$j" .replay.local_media | sed 's/.*://') + 1))
	if [ "$(jqv "$j" .media.sent_rtcp)" -ge 1 ]; then pass "$1 $2: SR sent"; else fail "$1 $2: no SR sent"; fi
	if [ "$(jqv "$j" .media.received_rtcp)" -ge 1 ]; then pass "$1 $2: SRTCP received and decrypted"
	else fail "$1 $2: no RTCP received"; fi
	expect_eq "$1 $2: SRTCP auth failures" "$(jqv "$j" .media.rtcp_auth_failures)" 0
}
pair nomux-sdes "$G/sdes-basic.pcap" "" "--rtcp-mux off --srtp-method 1"
expect_eq "no rtcp-mux, sdes: exits" "$UAC_RC/$UAS_RC" 0/0
good nomux-sdes uac sdes "$CALLER"
nomux nomux-sdes uac
nomux nomux-sdes uas
NM="$G/dtls-nomux.pcap"
pair nomux-dtls "$NM" "-k $G/dtls-nomux.keys" "-k $G/dtls-nomux.keys --rtcp-mux off --srtp-method 2"
expect_eq "no rtcp-mux, dtls: exits" "$UAC_RC/$UAS_RC" 0/0
good nomux-dtls uac dtls "$(side_packets "$NM" "$G/dtls-nomux.keys" caller)"
good nomux-dtls uas dtls "$(side_packets "$NM" "$G/dtls-nomux.keys" callee)"
nomux nomux-dtls uac
nomux nomux-dtls uas
expect_eq "no rtcp-mux, dtls: two DTLS associations (RTP and RTCP)" \
	"$(jqv "$WORK/nomux-dtls.uac.json" .replay.dtls_associations)/$(jqv "$WORK/nomux-dtls.uas.json" .replay.dtls_associations)" 2/2
expect_eq "rtcp-mux on: one DTLS association" "$(jqv "$WORK/dtls.uac.json" .replay.dtls_associations)" 1

# --- CANCEL (RFC 3261 §9): the UAS rings 3 s, the UAC cancels after 0.4 s -----
pair cancel "$G/sdes-basic.pcap" "--answer-after 3 --expect-cancel" "--cancel-after 0.4"
expect_eq "cancel: exits" "$UAC_RC/$UAS_RC" 0/0
expect_eq "cancel: UAC CANCEL sent, answered" \
	"$(jq -r '"\(.sip.cancel_sent)/\(.sip.cancel_code)/\(.sip.final_code)/\(.sip.cancelled)"' "$WORK/cancel.uac.json")" true/200/487/true
expect_eq "cancel: UAS received it, 487" \
	"$(jq -r '"\(.sip.cancel_received)/\(.sip.final_code)"' "$WORK/cancel.uas.json")" true/487
expect_eq "cancel: UAC verdict" "$(jqv "$WORK/cancel.uac.json" .verdicts.sip_flow_completed.detail | cut -c1-22)" "cancelled as expected:"
expect_eq "cancel: UAS verdict" "$(jqv "$WORK/cancel.uas.json" .verdicts.sip_flow_completed.verdict)" pass
expect_eq "cancel: no media" "$(jqv "$WORK/cancel.uac.json" .media.sent_rtp)/$(jqv "$WORK/cancel.uac.json" .sip.bye_sent)" 0/false
pair cancel-tcp "$G/sdes-basic.pcap" "--transport tcp --answer-after 3 --expect-cancel" \
	"--transport tcp --cancel-after 0.4"
expect_eq "cancel over tcp: exits" "$UAC_RC/$UAS_RC" 0/0
expect_eq "cancel over tcp: 487" "$(jqv "$WORK/cancel-tcp.uac.json" .sip.final_code)" 487
# Answered before --cancel-after: not cancelled, a failure for both.
pair cancel-late "$G/sdes-basic.pcap" "--expect-cancel" "--cancel-after 5"
expect_eq "answered before the CANCEL: exits" "$UAC_RC/$UAS_RC" 1/1
expect_eq "answered before the CANCEL: verdict" "$(jqv "$WORK/cancel-late.uac.json" .verdicts.sip_flow_completed.verdict)" fail
# A delayed answer without a CANCEL is a normal call.
pair ringing "$G/sdes-basic.pcap" "--answer-after 0.5" ""
expect_eq "answer after 0.5 s: exits" "$UAC_RC/$UAS_RC" 0/0
good ringing uac sdes "$CALLER"
good ringing uas sdes "$CALLEE"

# --- offerless INVITE (RFC 3261 §13.2.1): offer in the 200, answer in the ACK --
pair late-sdes "$G/sdes-basic.pcap" "" "--late-offer"
expect_eq "late offer, sdes: exits" "$UAC_RC/$UAS_RC" 0/0
good late-sdes uac sdes "$CALLER"
good late-sdes uas sdes "$CALLEE"
expect_eq "late offer: both saw an offerless INVITE" \
	"$(jqv "$WORK/late-sdes.uac.json" .sip.offerless)/$(jqv "$WORK/late-sdes.uas.json" .sip.offerless)" true/true
pair late-dtls "$G/dtls-active.pcap" "-k $K" "-k $K --late-offer"
expect_eq "late offer, dtls: exits" "$UAC_RC/$UAS_RC" 0/0
good late-dtls uac dtls "$CALLER"
good late-dtls uas dtls "$CALLEE"
expect_eq "late offer, dtls: the UAC answered active (client)" "$(jqv "$WORK/late-dtls.uac.json" .replay.dtls_role)" client
expect_eq "late offer, dtls: the offer in the 200 is actpass (UAS server)" "$(jqv "$WORK/late-dtls.uas.json" .replay.dtls_role)" server

# --- bad situations ---------------------------------------------------------
pair reject "$G/sdes-basic.pcap" "--srtp-method 2" "--srtp-method 1"
expect_eq "488: UAC exit 1" "$UAC_RC" 1
expect_eq "488: final code" "$(jqv "$WORK/reject.uac.json" .sip.final_code)" 488
expect_eq "488: sip flow" "$(jqv "$WORK/reject.uac.json" .verdicts.sip_flow_completed.verdict)" fail
expect_eq "488: profile" "$(jqv "$WORK/reject.uac.json" .verdicts.profile_negotiated.verdict)" fail
expect_eq "488: UAS exit 1" "$UAS_RC" 1

pair wrongfp "$G/dtls-active.pcap" "-k $K --fault wrong-fingerprint" "-k $K"
expect_eq "wrong fingerprint: UAC exit 1" "$UAC_RC" 1
expect_eq "wrong fingerprint: verdict" "$(jqv "$WORK/wrongfp.uac.json" .verdicts.fingerprint_verified.verdict)" fail
expect_eq "wrong fingerprint: handshake" "$(jqv "$WORK/wrongfp.uac.json" .verdicts.handshake_completed.verdict)" fail
expect_eq "wrong fingerprint: no media sent" "$(jqv "$WORK/wrongfp.uac.json" .media.sent_rtp)" 0
expect_eq "wrong fingerprint: the call was ended with a BYE" "$(jqv "$WORK/wrongfp.uac.json" .sip.bye_sent)" true

pair silent "$G/sdes-basic.pcap" "--fault silent --max-duration 5" "--sip-t1 50"
expect_eq "never answers: UAC exit 2" "$UAC_RC" 2
expect_eq "never answers: aborted" "$(jqv "$WORK/silent.uac.json" .replay.aborted)" timeout
expect_eq "never answers: Timer A retransmissions before Timer B" \
	"$(jqv "$WORK/silent.uac.json" .sip.retransmissions)" 6
expect_eq "never answers: the silent UAS times out too" "$UAS_RC" 2

# Garbage and a truncated INVITE (Content-Length past the datagram) are
# ignored: the UAS keeps waiting and stops cleanly at --max-duration.
rm -f "$WORK/junk.port"
timeout 10 "$SRTPAUDIT" replay "$G/sdes-basic.pcap" --as uas --target 127.0.0.1 \
	--port-file "$WORK/junk.port" --max-duration 2 --json "$WORK/junk.json" \
	> /dev/null 2> "$WORK/junk.err" &
JP=$!
for i in $(seq 50); do [ -s "$WORK/junk.port" ] && break; sleep 0.1; done
if [ -s "$WORK/junk.port" ]; then
	JPORT=$(cat "$WORK/junk.port")
	printf '\x00\xff garbage \r\n\r\n' > "/dev/udp/127.0.0.1/$JPORT"
	printf 'INVITE sip:b@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bKq\r\nCall-ID: t\r\nCSeq: 1 INVITE\r\nContent-Length: 900\r\n\r\nv=0\r\n' \
		> "/dev/udp/127.0.0.1/$JPORT"
fi
wait "$JP"
expect_eq "junk: the UAS stops at --max-duration (exit 2)" "$?" 2
if grep -q "ignored a datagram that is not a SIP message" "$WORK/junk.err"; then
	pass "junk: the broken datagrams were seen and ignored"
else
	fail "junk: no sign of the broken datagrams"
fi
expect_eq "junk: no call was set up" "$(jqv "$WORK/junk.json" .sip.call_id)" ""
expect_eq "junk: aborted" "$(jqv "$WORK/junk.json" .replay.aborted)" timeout

timeout 10 "$SRTPAUDIT" replay "$G/sdes-basic.pcap" --target 127.0.0.1:9 "${COMMON[@]}" \
	--json "$WORK/unreach.json" --junit "$WORK/unreach.xml"
expect_eq "unreachable: exit 2" "$?" 2
expect_eq "unreachable: aborted" "$(jqv "$WORK/unreach.json" .replay.aborted)" unreachable

"$SRTPAUDIT" replay "$G/sdes-basic.pcap" -q > /dev/null 2>&1
expect_eq "no --target: exit 2" "$?" 2
"$SRTPAUDIT" replay "$G/sdes-basic.pcap" --target 192.0.2.1 -q > /dev/null 2>&1
expect_eq "non-loopback target without --listen: exit 2" "$?" 2
"$SRTPAUDIT" replay "$G/sdes-basic.pcap" --target 127.0.0.1 --srtp-method 5 -q > /dev/null 2>&1
expect_eq "bad --srtp-method: exit 2" "$?" 2
"$SRTPAUDIT" replay "$G/sdes-basic.pcap" --target 127.0.0.1 --call nosuchcall -q > /dev/null 2>&1
expect_eq "unknown --call: exit 2" "$?" 2

# --- JUnit ------------------------------------------------------------------
XMLLINT=${XMLLINT:-$(command -v xmllint || true)}
if [ -n "$XMLLINT" ]; then
	pair junit "$G/sdes-basic.pcap" "--junit $WORK/j.uas.xml" "--junit $WORK/j.uac.xml --srtp-method 2"
	for x in "$WORK/j.uac.xml" "$WORK/j.uas.xml" "$WORK/unreach.xml"; do
		if "$XMLLINT" --noout --schema "$top_srcdir/tests/junit.xsd" "$x" 2>/dev/null; then
			pass "junit: $(basename "$x") valid against junit.xsd"
		else
			fail "junit: $(basename "$x") not valid"
		fi
	done
	expect_eq "junit: 8 check test cases" "$("$XMLLINT" --xpath 'count(//testsuite/testcase[@name != "run"])' "$WORK/j.uac.xml")" 8
	expect_eq "junit: the 488 is a failure" \
		"$("$XMLLINT" --xpath 'count(//testcase[@name="sip_flow_completed"]/failure)' "$WORK/j.uac.xml")" 1
	expect_eq "junit: the unreachable run is an error" \
		"$("$XMLLINT" --xpath 'count(//testcase[@name="run"]/error[@type="unreachable"])' "$WORK/unreach.xml")" 1
else
	echo "SKIP (part): xmllint not installed"
fi

# --- sipp as UAS: plain RTP (its -rtp_echo sends our media back) ------------
if command -v sipp > /dev/null; then
	P=$((20000 + RANDOM % 20000))
	timeout 15 sipp -sn uas -i 127.0.0.1 -p "$P" -mi 127.0.0.1 -mp $((P + 2)) -rtp_echo \
		-m 1 -nostdin -timeout 12 > "$WORK/sipp.out" 2>&1 &
	SP=$!
	sleep 0.5
	timeout 15 "$SRTPAUDIT" replay "$G/sdes-basic.pcap" --target "127.0.0.1:$P" \
		--srtp-method none "${COMMON[@]}" --json "$WORK/sipp.json"
	expect_eq "sipp: exit" "$?" 0
	cp "$WORK/sipp.json" "$WORK/sipp.uac.json"
	good sipp uac none "$CALLER"
	wait "$SP"
	expect_eq "sipp: it completed one call" "$?" 0

	# sipp as a challenging UAS (its verifyauth checks our digest).
	cat > "$WORK/auth_uas.xml" <<-'EOF'
	<?xml version="1.0" encoding="ISO-8859-1" ?>
	<scenario name="uas with digest authentication">
	  <recv request="INVITE"/>
	  <send><![CDATA[
	SIP/2.0 401 Unauthorized
	[last_Via:]
	[last_From:]
	[last_To:];tag=[pid]SIPpTag01[call_number]
	[last_Call-ID:]
	[last_CSeq:]
	WWW-Authenticate: Digest realm="sipp.test", nonce="4ab1ce7d0f1e", opaque="sippopaque", qop="auth", algorithm=MD5
	Content-Length: 0

	]]></send>
	  <recv request="ACK"/>
	  <recv request="INVITE">
	    <action><verifyauth assign_to="authvalid" username="alice" password="secret"/></action>
	  </recv>
	  <nop hide="true" test="authvalid" next="good"/>
	  <send next="end"><![CDATA[
	SIP/2.0 403 Forbidden
	[last_Via:]
	[last_From:]
	[last_To:];tag=[pid]SIPpTag01[call_number]
	[last_Call-ID:]
	[last_CSeq:]
	Content-Length: 0

	]]></send>
	  <label id="good"/>
	  <send><![CDATA[
	SIP/2.0 200 OK
	[last_Via:]
	[last_From:]
	[last_To:];tag=[pid]SIPpTag01[call_number]
	[last_Call-ID:]
	[last_CSeq:]
	Contact: <sip:[local_ip]:[local_port];transport=[transport]>
	Content-Type: application/sdp
	Content-Length: [len]

	v=0
	o=user1 53655765 2353687637 IN IP[local_ip_type] [local_ip]
	s=-
	c=IN IP[media_ip_type] [media_ip]
	t=0 0
	m=audio [media_port] RTP/AVP 0
	a=rtpmap:0 PCMU/8000

	]]></send>
	  <recv request="ACK"/>
	  <recv request="BYE"/>
	  <send><![CDATA[
	SIP/2.0 200 OK
	[last_Via:]
	[last_From:]
	[last_To:]
	[last_Call-ID:]
	[last_CSeq:]
	Content-Length: 0

	]]></send>
	  <label id="end"/>
	</scenario>
	EOF
	for pw in secret wrong; do
		P=$((20000 + RANDOM % 20000))
		(cd "$WORK" && exec timeout 15 sipp -sf auth_uas.xml -i 127.0.0.1 -p "$P" -mi 127.0.0.1 \
			-mp $((P + 2)) -rtp_echo -m 1 -nostdin -timeout 12) > "$WORK/sipp-auth.out" 2>&1 &
		SP=$!
		sleep 0.5
		timeout 15 "$SRTPAUDIT" replay "$G/sdes-basic.pcap" --target "127.0.0.1:$P" \
			--srtp-method none --auth "alice:$pw" "${COMMON[@]}" --json "$WORK/sipp-auth-$pw.json"
		rc=$?
		wait "$SP"
		if [ "$pw" = secret ]; then
			expect_eq "sipp verifyauth: exit" "$rc" 0
			expect_eq "sipp verifyauth: accepted (200)" "$(jqv "$WORK/sipp-auth-$pw.json" .sip.final_code)" 200
			expect_eq "sipp verifyauth: media" "$(jqv "$WORK/sipp-auth-$pw.json" .verdicts.media_received.verdict)" pass
		else
			expect_eq "sipp verifyauth, wrong password: exit 1" "$rc" 1
			expect_eq "sipp verifyauth, wrong password: 403" "$(jqv "$WORK/sipp-auth-$pw.json" .sip.final_code)" 403
		fi
	done

	# sipp as a UAS behind a record-routing proxy (RFC 3261 §12.1.2,
	# §16.12.1.2): its 200 carries two Record-Route entries; the reversed
	# route set's first hop is sipp itself, and sipp checks (ereg
	# check_it) that our ACK and BYE carry both as Route, in that order.
	cat > "$WORK/rr_uas.xml" <<-'EOF'
	<?xml version="1.0" encoding="ISO-8859-1" ?>
	<scenario name="uas behind a record-routing proxy">
	  <recv request="INVITE"/>
	  <send><![CDATA[
	SIP/2.0 200 OK
	[last_Via:]
	[last_From:]
	[last_To:];tag=[pid]SIPpTag01[call_number]
	[last_Call-ID:]
	[last_CSeq:]
	Record-Route: <sip:far-proxy.invalid;lr>, <sip:[local_ip]:[local_port];lr>
	Contact: <sip:[local_ip]:[local_port];transport=[transport]>
	Content-Type: application/sdp
	Content-Length: [len]

	v=0
	o=user1 53655765 2353687637 IN IP[local_ip_type] [local_ip]
	s=-
	c=IN IP[media_ip_type] [media_ip]
	t=0 0
	m=audio [media_port] RTP/AVP 0
	a=rtpmap:0 PCMU/8000

	]]></send>
	  <recv request="ACK">
	    <action><ereg regexp="&lt;sip:127\.0\.0\.1:[0-9]+;lr&gt;, &lt;sip:far-proxy\.invalid;lr&gt;" search_in="hdr" header="Route:" check_it="true" assign_to="r1"/></action>
	  </recv>
	  <recv request="BYE">
	    <action><ereg regexp="&lt;sip:127\.0\.0\.1:[0-9]+;lr&gt;, &lt;sip:far-proxy\.invalid;lr&gt;" search_in="hdr" header="Route:" check_it="true" assign_to="r2"/></action>
	  </recv>
	  <send><![CDATA[
	SIP/2.0 200 OK
	[last_Via:]
	[last_From:]
	[last_To:]
	[last_Call-ID:]
	[last_CSeq:]
	Content-Length: 0

	]]></send>
	  <Reference variables="r1,r2"/>
	</scenario>
	EOF
	P=$((20000 + RANDOM % 20000))
	(cd "$WORK" && exec timeout 15 sipp -sf rr_uas.xml -i 127.0.0.1 -p "$P" -mi 127.0.0.1 \
		-mp $((P + 2)) -rtp_echo -m 1 -nostdin -timeout 12) > "$WORK/sipp-rr.out" 2>&1 &
	SP=$!
	sleep 0.5
	timeout 15 "$SRTPAUDIT" replay "$G/sdes-basic.pcap" --target "127.0.0.1:$P" \
		--srtp-method none "${COMMON[@]}" --json "$WORK/sipp-rr.json"
	expect_eq "record-route: exit" "$?" 0
	wait "$SP"
	expect_eq "record-route: sipp found our Route headers in the ACK and BYE (exit)" "$?" 0
	expect_eq "record-route: route set" "$(jqv "$WORK/sipp-rr.json" .sip.route_set)" 2
else
	echo "SKIP (part): sipp not installed (apt-get install sip-tester)"
fi

# --- baresip as UAS: dtls_srtp and SDES --------------------------------------
if command -v baresip > /dev/null && [ -d /usr/lib/baresip/modules ]; then
	"$SRTPAUDIT" decrypt "$G/sdes-basic.pcap" -o "$WORK/dec.pcap" --wav-dir "$WORK/wav" -q
	WAV=$(ls "$WORK"/wav/*callee*.wav | head -1)
	for enc in dtls_srtp srtp-mand; do
		B="$WORK/baresip-$enc"
		P=$((20000 + RANDOM % 20000))
		mkdir -p "$B"
		cat > "$B/config" <<-EOF
		poll_method		epoll
		sip_listen		127.0.0.1:$P
		audio_player		aubridge,null
		audio_source		aufile,$WAV
		audio_alert		aubridge,null
		rtp_stats		yes
		rtcp_mux		yes
		module_path		/usr/lib/baresip/modules
		module			g711.so
		module			aufile.so
		module			aubridge.so
		module			dtls_srtp.so
		module			srtp.so
		module_tmp		account.so
		module_app		menu.so
		EOF
		echo "<sip:bob@127.0.0.1>;regint=0;answermode=auto;mediaenc=$enc;audio_codecs=PCMU" > "$B/accounts"
		: > "$B/contacts"
		timeout 15 baresip -f "$B" -t 10 < /dev/null > "$B/log" 2>&1 &
		BP=$!
		for i in $(seq 30); do grep -aqs "baresip is ready" "$B/log" && break; sleep 0.1; done
		if [ "$enc" = dtls_srtp ]; then
			args=(-k "$K" "$G/dtls-active.pcap" --srtp-method 2 --dtls-close never)
			neg=dtls
		else
			args=("$G/sdes-basic.pcap" --srtp-method 1)
			neg=sdes
		fi
		timeout 15 "$SRTPAUDIT" replay "${args[@]}" --target "127.0.0.1:$P" "${COMMON[@]}" \
			--json "$WORK/bs.$enc.json"
		rc=$?
		kill "$BP" 2>/dev/null
		wait "$BP"
		j="$WORK/bs.$enc.json"
		expect_eq "baresip $enc: sip flow" "$(jqv "$j" .verdicts.sip_flow_completed.verdict)" pass
		expect_eq "baresip $enc: negotiated" "$(jqv "$j" .replay.negotiated)" "$neg"
		if [ "$neg" = dtls ]; then
			expect_eq "baresip $enc: handshake" "$(jqv "$j" .verdicts.handshake_completed.verdict)" pass
			expect_eq "baresip $enc: fingerprint" "$(jqv "$j" .verdicts.fingerprint_verified.verdict)" pass
			if grep -aq "verified sha-256 fingerprint OK" "$B/log"; then
				pass "baresip $enc: it verified our fingerprint"
			else
				fail "baresip $enc: its log does not show our fingerprint verified"
			fi
		fi
		if [ "$(jqv "$j" .media.received_rtp)" -gt 0 ]; then pass "baresip $enc: its media decrypts on our side"
		else fail "baresip $enc: none of its media decrypted (exit $rc)"; fi
		expect_eq "baresip $enc: auth failures" "$(jqv "$j" .media.auth_failures)" 0
		# Its end-of-call statistics: "packets: TX RX"; RX is what it got from us.
		got=$(grep -a '^packets:' "$B/log" | awk '{print $3}' | tail -1)
		if [ -n "$got" ] && [ "$got" -gt 0 ]; then pass "baresip $enc: it received $got of our packets"
		else fail "baresip $enc: its log does not show our media received"; fi
	done
else
	echo "SKIP (part): baresip not installed"
fi

finish
