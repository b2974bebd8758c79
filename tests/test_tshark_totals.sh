#!/usr/bin/env bash
# Frame totals of every bundled real capture agree with tshark, an
# independent reader.  Skipped (exit 77) when tshark is not installed.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
TSHARK=${TSHARK:-$(command -v tshark || true)}
if [ -z "$TSHARK" ]; then
	echo "SKIP: tshark is not installed; frame totals not compared"
	exit 77
fi
for f in "$FIX"/real/*.pcap "$FIX"/real/*.pcapng; do
	[ -e "$f" ] || continue
	n=$("$TSHARK" -r "$f" -T fields -e frame.number 2>/dev/null | wc -l)
	"$SRTPAUDIT" analyze "$f" --json "$WORK/r.json" >/dev/null 2>&1
	expect_eq "$(basename "$f") total vs tshark" "$(jqv "$WORK/r.json" .packets.total)" "$n"
	expect_eq "$(basename "$f") categories add up" \
		"$(jqv "$WORK/r.json" '.packets | .sip+.dtls+.stun+.rtp+.rtcp+.other+.malformed')" "$n"
done
finish
