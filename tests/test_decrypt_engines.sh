#!/usr/bin/env bash
# The two SRTP engines (issue 6, speed): `srtpaudit decrypt` with
# --engine libsrtp and with --engine fast must write byte-identical output
# and identical per-stream counters for every generated fixture (with its key
# log) and the real SDES/DTLS captures with keys; SRTPAUDIT_ENGINE must
# choose the engine like --engine does.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
G="$FIX/gen"
R="$FIX/real"

# counters FILE - the per-stream counters of a JSON report, one line each.
counters() {
	jq -r '.streams[] | "\(.kind) \(.ssrc) \(.packets) \(.decrypted) \(.auth_failures) \(.duplicates) \(.out_of_order)"' "$1" | sort
}

# both NAME CAPTURE [ARGS...] - decrypt with each engine, compare.
both() {
	local name=$1 cap=$2
	shift 2
	"$SRTPAUDIT" decrypt -q --engine libsrtp "$cap" "$@" -o "$WORK/lib.pcap" --json "$WORK/lib.json" > "$WORK/lib.txt" 2>&1
	local rl=$?
	"$SRTPAUDIT" decrypt -q --engine fast "$cap" "$@" -o "$WORK/fast.pcap" --json "$WORK/fast.json" > "$WORK/fast.txt" 2>&1
	local rf=$?
	if [ "$rl" -ne "$rf" ]; then
		fail "$name: exit $rl (libsrtp) vs $rf (fast)"
	elif ! cmp -s "$WORK/lib.pcap" "$WORK/fast.pcap"; then
		fail "$name: decrypted captures differ"
	elif [ "$(counters "$WORK/lib.json")" != "$(counters "$WORK/fast.json")" ]; then
		fail "$name: stream counters differ"
	else
		dec=$(jq '[.streams[].decrypted] | add // 0' "$WORK/fast.json")
		TOTAL_DEC=$((TOTAL_DEC + dec))
		pass "$name: identical ($dec packets decrypted)"
	fi
}

TOTAL_DEC=0
n=0
for p in "$G"/*.pcap; do
	b=${p%.pcap}
	if [ -s "$b.keys" ]; then
		both "$(basename "$b")" "$p" -k "$b.keys"
	else
		both "$(basename "$b")" "$p"
	fi
	n=$((n + 1))
done
for p in "$R"/voipshark*.pcap; do
	both "$(basename "$p")" "$p"
done
both webrtc-freeswitch "$R/wireshark-notes_webrtc-freeswitch.pcapng" \
	-k "$R/wireshark-notes_webrtc-freeswitch.keylog.txt"
[ "$n" -ge 40 ] && pass "$n generated fixtures compared" || fail "only $n generated fixtures"
[ "$TOTAL_DEC" -ge 9000 ] && pass "$TOTAL_DEC packets decrypted by both engines" ||
	fail "only $TOTAL_DEC packets decrypted: the comparison proves little"

# The environment chooses the engine when --engine is absent.
V="$R/voipshark_SIP-SRTP-Normal_Call_two_parties.pcap"
SRTPAUDIT_ENGINE=libsrtp "$SRTPAUDIT" decrypt -q "$V" -o "$WORK/env.pcap" > /dev/null 2>&1
"$SRTPAUDIT" decrypt -q --engine libsrtp "$V" -o "$WORK/opt.pcap" > /dev/null 2>&1
cmp -s "$WORK/env.pcap" "$WORK/opt.pcap" && pass "SRTPAUDIT_ENGINE=libsrtp works" || fail "SRTPAUDIT_ENGINE"
rc=0; "$SRTPAUDIT" decrypt -q --engine nss "$V" -o "$WORK/x.pcap" 2> "$WORK/err" || rc=$?
expect_eq "unknown engine is a usage error" "$rc" 2
finish
