#!/usr/bin/env bash
# test_gen.sh - the scenario generator (fixtures/srtpaudit-gen) checked
# with tshark, an independent dissector: every catalogue scenario is
# generated afresh, and for each capture tshark must show the SIP methods,
# the SDP attributes, the DTLS handshake messages with use_srtp from the
# expected side, and certificates whose SHA-256 equals the SDP
# a=fingerprint (or differs, for the faults that say so).  The committed
# fixtures must have the same structure as the fresh ones, and a scenario
# generated twice must give the same frame sequence with different keys.
# libsrtp then decrypts the fresh media (tests/test_gen_srtp).
# Skipped (exit 77) when tshark, jq or perl is missing.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
TSHARK=${TSHARK:-$(command -v tshark || true)}
for tool in "$TSHARK" jq perl; do
	if [ -z "$tool" ] || ! command -v "$tool" >/dev/null 2>&1; then
		echo "SKIP: tshark, jq and perl are needed (missing: ${tool:-tshark})"
		exit 77
	fi
done
GEN="$top_builddir/fixtures/srtpaudit-gen"
COMMITTED="$FIX/gen"
OUT="$WORK/gen"
mkdir -p "$OUT"

# ---- generate the whole catalogue ----
if "$GEN" --all "$OUT"; then pass "generate catalogue"; else fail "generate catalogue"; finish; exit; fi
"$GEN" --list | awk '{print $1}' > "$WORK/names"
expect_eq "catalogue.txt lists every scenario" \
	"$(awk '{print $1}' "$FIX/catalogue.txt" | tr '\n' ' ')" "$(tr '\n' ' ' < "$WORK/names")"
if "$GEN" --scenario no-such-thing -o "$WORK/x.pcap" 2>/dev/null; then
	fail "unknown scenario refused"; else pass "unknown scenario refused"; fi
if "$GEN" --scenario dtls-active -o "$WORK/x.pcap" --method 7 2>/dev/null; then
	fail "bad knob value refused"; else pass "bad knob value refused"; fi

# ---- one tshark pass per capture, two at a time ----
FIELDS="-e frame.number -e ip.src -e ipv6.src -e frame.protocols -e sip.Method
 -e sip.Status-Code -e sdp.media.proto -e sdp.media_attr -e dtls.handshake.type
 -e dtls.use_srtp.protection_profile -e dtls.handshake.certificate
 -e dtls.alert_message.desc -e udp.dstport -e rtp.ssrc -e rtp.seq
 -e frame.time_epoch -e dtls.use_srtp.mki -e dtls.handshake.ciphersuite
 -e dtls.handshake.extension.type -e dtls.record.content_type -e rtp.p_type
 -e sip.Call-ID"
export TSHARK FIELDS
ls "$OUT"/*.pcap | xargs -P 4 -n 1 sh -c \
	'"$TSHARK" -r "$1" -T fields -E separator=/t -E aggregator="#" $FIELDS > "$1.tsv" 2>/dev/null' sh

# col FILE FRAME COLUMN - one column of one frame of a tshark dump.
col() { awk -F'\t' -v f="$2" -v c="$3" '$1 == f { print $c; exit }' "$1"; }
# src FILE FRAME - source address of a frame (IPv4 or IPv6).
src() { local a; a=$(col "$1" "$2" 2); [ -n "$a" ] || a=$(col "$1" "$2" 3); echo "$a"; }
# ip_of "addr:port" / "[v6]:port"
ip_of() { local e=${1%:*}; e=${e#[}; echo "${e%]}"; }
hexsha() { perl -e 'print pack("H*", $ARGV[0])' "$2" | "$1" | cut -d' ' -f1; }
fp_norm() { echo "$1" | tr -d ':' | tr 'A-F' 'a-f'; }

# Every truth value one scenario's checks need, as shell variables (one
# jq run per scenario keeps the test fast).
TRUTH_VARS='@sh "faults=\(" " + (.faults | join(" ")) + " ")
 frames=\(.capture.frames) psip=\(.packets.sip) pdtls=\(.packets.dtls)
 psum=\(.packets | .sip+.dtls+.stun+.rtp+.rtcp+.other) ptotal=\(.packets.total)
 inv=\(.events.invite // 0) ok=\(.events.ok_200 // 0) p183=\(.events.progress_183 // 0)
 ackf=\(.events.ack // 0) reinv=\(.sip.reinvite) crtp=\(.media.caller_rtp)
 ertp=\(.media.callee_rtp) ans_in=\(.sip.answer_in) off_in=\(.sip.offer_in)
 offerer=\(.media.offerer)
 offer_proto=\(.media.offer.proto) offer_ncrypto=\(.media.offer.crypto | length)
 offer_setup=\(.media.offer.setup // "null") offer_mux=\(.media.offer.rtcp_mux)
 offer_fp=\(.media.offer.fingerprint != null) offer_muxonly=\(.media.offer.rtcp_mux_only)
 answer_proto=\(.media.answer.proto) answer_ncrypto=\(.media.answer.crypto | length)
 answer_setup=\(.media.answer.setup // "null") answer_mux=\(.media.answer.rtcp_mux)
 answer_fp=\(.media.answer.fingerprint != null) answer_muxonly=\(.media.answer.rtcp_mux_only)
 ndtls=\(.dtls | length) client=\(.dtls[0].client // "") caddr=\(.dtls[0].client_addr // "")
 saddr=\(.dtls[0].server_addr // "") completed=\(.dtls[0].completed // false)
 profile=\(.dtls[0].profile_id // 0) chf=\(.events.client_hello // 0)
 shf=\(.events.server_hello // 0) altered=\(.altered_frames | tostring)
 cert_caller=\(.certificates.caller."sha-256" // "") cert_callee=\(.certificates.callee."sha-256" // "")"'

for name in $(cat "$WORK/names"); do
	J="$OUT/$name.json"; T="$OUT/$name.pcap.tsv"
	eval "$(jq -r "$TRUTH_VARS" "$J")"
	# frames and categories
	expect_eq "$name frames" "$(wc -l < "$T" | tr -d ' ')" "$frames"
	expect_eq "$name sip frames" "$(awk -F'\t' '$4 ~ /:sip/' "$T" | wc -l | tr -d ' ')" "$psip"
	expect_eq "$name dtls frames" "$(awk -F'\t' '$4 ~ /:dtls/' "$T" | wc -l | tr -d ' ')" "$pdtls"
	expect_eq "$name categories add up" "$psum" "$ptotal"
	# faults visible in the frame sequence itself
	case "$faults" in
	*" srtp-before-handshake "*)
		lastdtls=$(awk -F'\t' '$4 ~ /:dtls/ {n = $1} END {print n}' "$T")
		firstrtp=$(awk -F'\t' '$14 != "" {print $1; exit}' "$T")
		[ "$firstrtp" -lt "$lastdtls" ] && pass "$name SRTP (frame $firstrtp) before the last DTLS flight ($lastdtls)" \
			|| fail "$name SRTP not before the handshake end" ;;
	*" rtcp-port-plus1 "*)
		expect_eq "$name RTCP frames on port+1" "$(awk -F'\t' -v a="${crtp##*:}" -v b="${ertp##*:}" \
			'$13 == a + 1 || $13 == b + 1' "$T" | wc -l | tr -d ' ')" "$(jq .packets.rtcp "$J")" ;;
	*" ssrc-change "*)
		expect_eq "$name RTP SSRCs" "$(awk -F'\t' '$14 != "" {print $14}' "$T" | sort -u | wc -l | tr -d ' ')" 3 ;;
	*" dup-reorder "*)
		expect_eq "$name duplicated RTP (ssrc+seq seen twice)" \
			"$(awk -F'\t' '$14 != "" {print $14, $15}' "$T" | sort | uniq -d | wc -l | tr -d ' ')" "$(jq '.duplicate_frames | length' "$J")"
		expect_eq "$name out-of-order RTP" "$(awk -F'\t' '$14 != "" { if (($14 in last) && $15 < last[$14]) n++; last[$14] = $15 }
			END {print n + 0}' "$T")" "$(jq '.reordered_frames | length' "$J")" ;;
	esac
	case "$faults" in *" mid-call "*)
		expect_eq "$name starts mid-call (no INVITE)" "$(awk -F'\t' '$5 == "INVITE"' "$T" | wc -l | tr -d ' ')" 0
		continue ;;
	esac
		expect_eq "$name INVITE frame" "$(col "$T" "$inv" 5)" INVITE
	expect_eq "$name 200 frame" "$(col "$T" "$ok" 6)" 200
	ncalls=1
	case "$faults" in *" sdes-key-reuse-call "*) ncalls=2 ;; esac
	expect_eq "$name ACK and BYE" "$(awk -F'\t' '$5 == "ACK" || $5 == "BYE"' "$T" | wc -l | tr -d ' ')" \
		"$(( ($([ "$reinv" = true ] && echo 3 || echo 2)) * ncalls ))"
	expect_eq "$name Call-IDs" "$(awk -F'\t' '$22 != "" {print $22}' "$T" | sort -u | wc -l | tr -d ' ')" "$ncalls"
	# RTP payload types and senders as tshark decodes them
	expect_eq "$name RTP payload type" "$(awk -F'\t' '$21 != "" {print $21}' "$T" | sort -u | tr '\n' ' ')" "$(jq -r 'if [.streams[] | select(.kind == "rtp")] == [] then "" else "\(.media.payload_type) " end' "$J")"
	expect_eq "$name RTP senders" "$(awk -F'\t' '$14 != "" {print $2 $3}' "$T" | sort -u | wc -l | tr -d ' ')" \
		"$(jq '[.streams[] | select(.kind == "rtp") | .direction] | unique | length' "$J")"
	caller_ip=$(ip_of "$crtp")
	callee_ip=$(ip_of "$ertp")
	# the offer and the answer as tshark dissects them
	case "$ans_in" in
	183) aframe=$p183 ;;
	ACK) aframe=$ackf ;;
	*) aframe=$ok ;;
	esac
	[ "$off_in" = INVITE ] && oframe=$inv || oframe=$ok
	case "$faults" in *" sdes-key-length "*)
		# tshark's SDP dissector rejects the short key (an exception);
		# decode the answer's inline key from the raw SIP text instead.
		key=$("$TSHARK" -r "$OUT/$name.pcap" -Y "frame.number == $aframe" -T fields -e udp.payload 2>/dev/null \
			| perl -ne 'print pack("H*", $_)' | sed -n 's/^a=crypto:[0-9]* [A-Z0-9_]* inline:\([^|]*\).*/\1/p' | tr -d '\r')
		expect_eq "$name answer key||salt octets (from the capture)" \
			"$(perl -MMIME::Base64 -e 'print length(decode_base64($ARGV[0]))' "$key")" 29
		expect_eq "$name tshark flags the answer malformed" \
			"$("$TSHARK" -r "$OUT/$name.pcap" -Y "frame.number == $aframe && _ws.malformed" 2>/dev/null | wc -l | tr -d ' ')" 1
		aframe= ;;
	*" sdes-bad-base64 "*)
		# tshark rejects the key too; the raw text shows the '*'
		expect_eq "$name answer key has a non-base64 character" \
			"$("$TSHARK" -r "$OUT/$name.pcap" -Y "frame.number == $aframe" -T fields -e udp.payload 2>/dev/null \
			| perl -ne 'print pack("H*", $_)' | grep -c '^a=crypto:[0-9]* [A-Z0-9_]* inline:[A-Za-z0-9+/]*\*')" 1
		aframe= ;;
	esac
	for side in offer answer; do
		[ $side = offer ] && fr=$oframe || fr=$aframe
		[ -n "$fr" ] || continue
		attrs="#$(col "$T" "$fr" 8)#"
		expect_eq "$name $side proto" "$(col "$T" "$fr" 7)" "$(eval echo \"\$${side}_proto\")"
		expect_eq "$name $side a=crypto count" "$(echo "$attrs" | grep -o '#crypto:' | wc -l | tr -d ' ')" \
			"$(eval echo \"\$${side}_ncrypto\")"
		setup=$(eval echo \"\$${side}_setup\")
		if [ "$setup" = null ]; then
			case "$attrs" in *"#setup:"*) fail "$name $side has no a=setup" ;; *) pass "$name $side has no a=setup" ;; esac
		else
			case "$attrs" in *"#setup:$setup#"*) pass "$name $side a=setup:$setup" ;; *) fail "$name $side a=setup:$setup missing" ;; esac
		fi
		case "$attrs" in *"#rtcp-mux#"*) m=true ;; *) m=false ;; esac
		expect_eq "$name $side a=rtcp-mux" "$m" "$(eval echo \"\$${side}_mux\")"
		case "$attrs" in *"#fingerprint:"*) m=true ;; *) m=false ;; esac
		expect_eq "$name $side a=fingerprint" "$m" "$(eval echo \"\$${side}_fp\")"
		case "$attrs" in *"#rtcp-mux-only#"*) m=true ;; *) m=false ;; esac
		expect_eq "$name $side a=rtcp-mux-only" "$m" "$(eval echo \"\$${side}_muxonly\")"
	done
	# faults that tshark shows in the SDP
	[ -n "$aframe" ] && aattrs="#$(col "$T" "$aframe" 8)#" || aattrs=
	case "$faults" in
	*" fingerprint-lower-hex "*)
		case "$aattrs" in *"#fingerprint:sha-256 "[0-9a-f][0-9a-f]:*) pass "$name answer fingerprint in lower case" ;;
		*) fail "$name answer fingerprint not lower case" ;; esac ;;
	*" fingerprint-md5 "*)
		case "$aattrs" in *"#fingerprint:md5 "*) pass "$name answer has an md5 fingerprint" ;; *) fail "$name no md5 fingerprint" ;; esac ;;
	*" fingerprint-short "*)
		expect_eq "$name second sha-256 fingerprint bytes" "$(echo "$aattrs" | tr '#' '\n' | sed -n 's/^fingerprint:sha-256 //p' \
			| awk -F: '{print NF}' | sort -n | tr '\n' ' ')" "31 32 " ;;
	esac
	case "$faults" in *" fingerprint-changed "*|*" rehandshake "*|*" reoffer-setup-role "*)
		rf=$(jq -r '.events.reinvite' "$J")
		rattrs="#$(col "$T" "$rf" 8)#"
		ofp=$(echo "#$(col "$T" "$oframe" 8)#" | tr '#' '\n' | grep '^fingerprint:' | head -1)
		nfp=$(echo "$rattrs" | tr '#' '\n' | grep '^fingerprint:' | head -1)
		case "$faults" in *" reoffer-setup-role "*)
			case "$rattrs" in *"#setup:actpass#"*) fail "$name re-offer says actpass" ;; *"#setup:"*) pass "$name re-offer repeats a role" ;; esac
			expect_eq "$name re-offer keeps the fingerprint" "$nfp" "$ofp" ;;
		*) [ "$nfp" != "$ofp" ] && pass "$name re-offer has a new fingerprint" || fail "$name re-offer fingerprint unchanged" ;;
		esac ;;
	esac
	[ "$ndtls" -gt 0 ] || continue

	# DTLS: first ClientHello from the expected side, ServerHello from the other
		ch=$chf
	expect_eq "$name frame $ch is a ClientHello" "$(col "$T" "$ch" 9 | cut -d'#' -f1)" 1
	chlist=$(col "$T" "$ch" 10)
	case "$faults" in
	*" client-no-use-srtp "*) expect_eq "$name ClientHello without use_srtp (fault)" "$chlist" "" ;;
	*) [ -n "$chlist" ] && pass "$name ClientHello has use_srtp ($chlist)" || fail "$name ClientHello lacks use_srtp" ;;
	esac
	# extended_master_secret (RFC 7627, extension 23) in the ClientHello
	case "#$(col "$T" "$ch" 19)#" in *"#23#"*) ems=yes ;; *) ems=no ;; esac
	case "$faults" in *" no-ems "*) expect_eq "$name ClientHello without extended_master_secret" $ems no ;;
	*) expect_eq "$name ClientHello has extended_master_secret" $ems yes ;; esac
	if [ "$client" = both ]; then
		n=$(awk -F'\t' '$9 ~ /^1(#|$)/ {print $2 $3}' "$T" | sort -u | wc -l | tr -d ' ')
		expect_eq "$name ClientHellos from both sides" "$n" 2
	else
		expect_eq "$name ClientHello from the $client" "$(src "$T" "$ch")" "$(ip_of "$caddr")"
	fi
	if [ "$client" = callee ] && [ "$ans_in" = 200 ]; then
		[ "$ch" -lt "$ok" ] && pass "$name active answerer's ClientHello precedes the 200 OK" \
			|| fail "$name ClientHello $ch not before 200 $ok"
	fi
	sh=$shf
	if [ "$completed" = true ]; then
		[ "$ch" -lt "$sh" ] && pass "$name ClientHello before ServerHello" || fail "$name handshake order"
		expect_eq "$name ServerHello from the server" "$(src "$T" "$sh")" "$(ip_of "$saddr")"
		shp=$(col "$T" "$sh" 10)
		case "$faults" in
		*" serverhello-no-use-srtp "*|*" client-no-use-srtp "*)
			expect_eq "$name ServerHello without use_srtp" "$shp" "" ;;
		*" null-cipher "*)
			expect_eq "$name ServerHello selects SRTP_NULL_HMAC_SHA1_80" "$shp" 0x0005
			case "#$chlist#" in *"#0x0005#"*) pass "$name NULL profile offered" ;; *) fail "$name NULL profile not offered" ;; esac ;;
		*" serverhello-two-profiles "*)
			expect_eq "$name ServerHello lists two profiles" "$shp" "0x0001#0x0002" ;;
		*" mki-mismatch "*)
			expect_eq "$name ClientHello MKI" "$(col "$T" "$ch" 17)" 0001
			expect_eq "$name ServerHello MKI" "$(col "$T" "$sh" 17)" 0002 ;;
		*" profile-not-offered "*)
			[ "$shp" != "$(printf '0x%04x' "$profile")" ] && \
			case "#$chlist#" in *"#$shp#"*) false ;; *) true ;; esac && \
				pass "$name ServerHello profile $shp not offered" || fail "$name rewritten profile"
			expect_eq "$name altered frame is the ServerHello" "$altered" "[$sh]" ;;
		*)
			expect_eq "$name ServerHello profile" "$shp" "$(printf '0x%04x' "$profile")"
			case "#$chlist#" in *"#$shp#"*) pass "$name profile was offered" ;; *) fail "$name profile $shp not in $chlist" ;; esac ;;
		esac
	fi
	case "$faults" in
	*" rsa-key-exchange "*) expect_eq "$name ServerHello suite TLS_RSA_WITH_AES_128_GCM_SHA256" "$(col "$T" "$sh" 18)" 0x009c ;;
	*" server-no-cert "*) expect_eq "$name ServerHello suite TLS_DH_anon_WITH_AES_128_GCM_SHA256" "$(col "$T" "$sh" 18)" 0x00a6 ;;
	esac
	# CertificateRequest (13) in the server's flight
	ncr=$(awk -F'\t' '$9 ~ /(^|#)13(#|$)/' "$T" | wc -l | tr -d ' ')
	case "$faults" in *" no-cert-request "*|*" server-no-cert "*) expect_eq "$name no CertificateRequest" "$ncr" 0 ;;
	*" both-clients "*) ;;
	*) [ "$ncr" -ge 1 ] && pass "$name server sends CertificateRequest" || fail "$name no CertificateRequest" ;;
	esac
	case "$faults" in *" close-notify "*)
		# an encrypted alert record (content type 21, epoch 1) from the client
		cn=$(jq -r '.events.close_notify' "$J")
		expect_eq "$name frame $cn is an alert record" "$(col "$T" "$cn" 20)" 21
		expect_eq "$name close_notify from the client" "$(src "$T" "$cn")" "$(ip_of "$caddr")"
		[ "$(awk -F'\t' -v c="$cn" '$1 > c && $14 != ""' "$T" | wc -l)" -gt 10 ] && pass "$name media after close_notify" \
			|| fail "$name no media after close_notify" ;;
	esac
	al=$(awk -F'\t' '$12 != "" {print $1 ":" $12}' "$T" | head -1)
	case "$faults" in
	*" fatal-alert "*)
		expect_eq "$name fatal alert bad_certificate" "${al#*:}" 42
		expect_eq "$name alert from the server" "$(src "$T" "${al%%:*}")" "$(ip_of "$saddr")" ;;
	*" both-clients "*)
		[ -n "$al" ] && pass "$name handshake aborted by an alert" || fail "$name no alert" ;;
	*)
		expect_eq "$name no DTLS alert in clear" "$al" "" ;;
	esac

	# certificates: SHA-256 of each captured Certificate vs truth and SDP
	rf=$(jq -r '.events.reinvite // 1000000' "$J")
	awk -F'\t' -v rf="$rf" '$11 != "" && $1 < rf {print $1 "\t" $2 $3 "\t" $11 "\t" $16}' "$T" > "$WORK/certs"
	ncert=0
	while IFS=$'\t' read -r fno sip cert ftime; do
		cert=${cert%%#*}
		ncert=$((ncert + 1))
		[ "$sip" = "$caller_ip" ] && side=caller || side=callee
		d=$(hexsha sha256sum "$cert")
		# valid at the time of the capture, or expired (a fault)
		dates=$(perl -e 'print pack("H*", $ARGV[0])' "$cert" | openssl x509 -inform DER -noout -startdate -enddate 2>/dev/null)
		nb=$(date -u -d "$(echo "$dates" | sed -n 's/^notBefore=//p')" +%s 2>/dev/null || echo 0)
		na=$(date -u -d "$(echo "$dates" | sed -n 's/^notAfter=//p')" +%s 2>/dev/null || echo 0)
		if [ "$nb" -le "${ftime%.*}" ] && [ "${ftime%.*}" -le "$na" ]; then exp=valid; else exp=expired; fi
		[ "$exp" = valid ] && expect_eq "$name $side certificate valid 24 h" $((na - nb)) 86400
		case "$faults" in *" expired-cert "*) [ "$side" != "$offerer" ] && want=expired || want=valid ;; *) want=valid ;; esac
		command -v openssl >/dev/null 2>&1 && expect_eq "$name $side certificate validity" "$exp" "$want"
		expect_eq "$name frame $fno $side certificate sha-256 (truth)" "$d" "$(eval echo \"\$cert_$side\")"
		# the side's own SDP, as tshark dissected it
		sdpfp=$(awk -F'\t' -v ip="$sip" '$8 ~ /fingerprint:/ && ($2 == ip || $3 == ip) {print $8; exit}' "$T" \
			| tr '#' '\n' | sed -n 's/^fingerprint://p' | head -1)
		hash=${sdpfp%% *}; val=$(fp_norm "${sdpfp#* }")
		if [ -z "$sdpfp" ]; then
			case "$faults" in *" no-fingerprint "*|*" dtls-after-sdes "*) pass "$name $side has no a=fingerprint (fault)" ;;
			*) fail "$name $side a=fingerprint missing" ;; esac
		elif [ "$hash" = sha-1 ]; then
			expect_eq "$name $side sha-1 fingerprint matches" "$val" "$(hexsha sha1sum "$cert")"
		elif [ "$side" != "$offerer" ] && \
		     case "$faults" in *" wrong-fingerprint "*|*" fatal-alert "*) true ;; *) false ;; esac; then
			[ "$val" != "$d" ] && pass "$name $side fingerprint deliberately differs" || fail "$name $side fingerprint should differ"
		else
			expect_eq "$name $side a=fingerprint = sha-256 of the certificate" "$val" "$d"
		fi
	done < "$WORK/certs"
	case "$faults" in *" both-clients "*|*" server-no-cert "*) expect_eq "$name no Certificate" "$ncert" 0 ;;
	*" no-cert-request "*) expect_eq "$name only the server's Certificate" "$ncert" 1 ;;
	*" client-no-cert "*) expect_eq "$name one non-empty Certificate" "$ncert" 1 ;;
	*) [ "$ncert" -ge 2 ] && pass "$name has $ncert Certificate messages" || fail "$name: $ncert Certificate messages" ;;
	esac
done

# ---- the committed fixtures have the structure of the fresh ones ----
STRUCT='[.capture, .packets, .events, [.streams[] | [.direction, .kind, .packets]], .expect_checks, [.dtls[] | [.client, .profile, .completed]]]'
for name in $(cat "$WORK/names"); do
	if [ ! -e "$COMMITTED/$name.json" ]; then fail "$name not committed (run make fixtures)"; continue; fi
	expect_eq "$name committed = fresh structure" "$(jq -c "$STRUCT" "$COMMITTED/$name.json")" "$(jq -c "$STRUCT" "$OUT/$name.json")"
done

# ---- the same scenario twice: same frame sequence, other keys ----
for name in dtls-cookie-frag dtls-tcp-ipv6-sll f-dup-reorder dtls-nomux; do
	for r in 1 2; do
		"$GEN" --scenario $name -o "$WORK/$name.$r.pcap" --keylog "$WORK/$name.$r.keys" --truth "$WORK/$name.$r.json"
		"$TSHARK" -r "$WORK/$name.$r.pcap" -T fields -e frame.protocols -e ip.src -e ipv6.src \
			-e udp.dstport -e tcp.dstport -e sip.Method -e sip.Status-Code -e dtls.handshake.type \
			-e rtp.seq -e rtp.ssrc > "$WORK/$name.$r.seq" 2>/dev/null
	done
	if cmp -s "$WORK/$name.1.seq" "$WORK/$name.2.seq"; then pass "$name twice: same structure"; else fail "$name twice: structure differs"; fi
	if [ "$(jq .dtls "$WORK/$name.1.json")" = "[]" ]; then
		k1=$(jq -r '.streams[0].master_key' "$WORK/$name.1.json"); k2=$(jq -r '.streams[0].master_key' "$WORK/$name.2.json")
	else
		k1=$(jq -r '.dtls[0].client_random' "$WORK/$name.1.json"); k2=$(jq -r '.dtls[0].client_random' "$WORK/$name.2.json")
		# the key log holds the client random of the captured ClientHello
		grep -q "CLIENT_RANDOM $k1 " "$WORK/$name.1.keys" && pass "$name key log has the client random" \
			|| fail "$name key log lacks CLIENT_RANDOM $k1"
	fi
	[ "$k1" != "$k2" ] && pass "$name twice: fresh keys" || fail "$name twice: same keys"
done

# ---- libsrtp decrypts the fresh media ----
if GEN_DIR="$OUT" "$top_builddir/tests/test_gen_srtp" > "$WORK/srtp.log" 2>&1; then
	pass "libsrtp decrypts the fresh captures"
else
	cat "$WORK/srtp.log"; fail "libsrtp on the fresh captures"
fi
finish
