#!/usr/bin/env bash
# valgrind memcheck of the integration runs (issue 7): analyze, calls and
# decrypt on an SDES call, a DTLS-SRTP call with its key log, a real
# capture (voipshark SDES through a B2BUA), an IPv6-fragment capture, the
# real WebRTC capture with its key log, SIP over WebSocket/TCP, a cut file
# and the hostile captures of tests/damage.  Each
# run must report no memory error and no definitely lost block
# (--errors-for-leak-kinds=definite, exit status 3 otherwise).  Skipped
# (77) without valgrind, or when srtpaudit is built with sanitizers.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
command -v valgrind >/dev/null 2>&1 || { echo "SKIP: no valgrind"; exit 77; }
if ldd "$SRTPAUDIT" 2>/dev/null | grep -q -e libasan -e libubsan -e libtsan; then
	echo "SKIP: srtpaudit is built with sanitizers"
	exit 77
fi
G="$FIX/gen"
R="$FIX/real"
VG="valgrind -q --error-exitcode=3 --leak-check=full --errors-for-leak-kinds=definite --track-origins=yes"

vg() { # WHAT EXPECTED-EXIT ARGS...
	local what=$1 want=$2 rc
	shift 2
	# shellcheck disable=SC2086
	$VG "$SRTPAUDIT" "$@" > "$WORK/out" 2> "$WORK/vg"
	rc=$?
	if [ "$rc" = 3 ] || grep -q "==[0-9]*==" "$WORK/vg"; then
		fail "$what: valgrind reports (exit $rc):"
		grep "==[0-9]*==" "$WORK/vg" | head -40
	elif [ "$rc" != "$want" ]; then
		fail "$what: exit status $rc, expected $want"
	else
		pass "$what: clean (exit $rc)"
	fi
}

vg "analyze SDES" 0 analyze "$G/sdes-basic.pcap" --json "$WORK/a.json" --junit "$WORK/a.xml"
vg "calls SDES" 0 calls "$G/sdes-basic.pcap"
vg "decrypt SDES" 0 decrypt "$G/sdes-basic.pcap" -o "$WORK/s.pcap" --wav-dir "$WORK/wav"
vg "analyze DTLS with key log" 0 analyze "$G/dtls-active.pcap" -k "$G/dtls-active.keys" --show-keys --json "$WORK/d.json"
vg "calls DTLS" 0 calls "$G/dtls-active.pcap" --json "$WORK/c.json"
vg "decrypt DTLS" 0 decrypt "$G/dtls-active.pcap" -k "$G/dtls-active.keys" -o "$WORK/d.pcap"
vg "analyze real SDES capture" 0 analyze "$R/voipshark_SIP-SRTP-Normal_Call_two_parties.pcap" --json "$WORK/v.json"
vg "analyze IPv6 fragments" 0 analyze "$R/sngrep_ipv6frag.pcap" --json "$WORK/f.json"
vg "calls IPv6 fragments" 0 calls "$R/sngrep_ipv6frag.pcap"
vg "decrypt IPv6 fragments" 0 decrypt "$R/sngrep_ipv6frag.pcap" -o "$WORK/f.pcap"
vg "analyze WebRTC pcapng with key log" 1 analyze "$R/wireshark-notes_webrtc-freeswitch.pcapng" \
	-k "$R/wireshark-notes_webrtc-freeswitch.keylog.txt" --json "$WORK/w.json"
vg "decrypt WebRTC pcapng" 0 decrypt "$R/wireshark-notes_webrtc-freeswitch.pcapng" \
	-k "$R/wireshark-notes_webrtc-freeswitch.keylog.txt" -o "$WORK/w.pcap"
vg "analyze SIP over WebSocket" 0 analyze "$R/wireshark-notes_websocket-sip.pcapng" --json "$WORK/ws.json"
vg "analyze two files" 0 analyze "$R/sngrep_ipv6frag.pcap" "$R/sngrep_ipip.pcap" --json "$WORK/two.json"
head -c 3000 "$R/sngrep_ipv6frag.pcap" > "$WORK/cut.pcap"
vg "analyze a cut file" 0 analyze "$WORK/cut.pcap" --json "$WORK/cut.json"
# Hostile captures (tests/damage synth): fragment floods and conflicts,
# DTLS messages over the cap, SIP over the body and header caps.
if "$top_builddir/tests/damage" synth "$WORK"; then
	vg "analyze fragment conflicts and floods" 0 analyze "$WORK/frag-overlap.pcap" -q --json "$WORK/s1.json"
	vg "decrypt 16 MB DTLS messages" 0 decrypt "$WORK/dtls-16m.pcap" -q -o "$WORK/s2.pcap"
	vg "analyze oversized SIP" 0 analyze "$WORK/sip-big.pcap" -q --json "$WORK/s3.json" --junit "$WORK/s3.xml"
else
	fail "damage synth"
fi
vg "checks" 0 checks
finish
