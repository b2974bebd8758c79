#!/usr/bin/env bash
# Decryption benchmark (issue 6): captures of N SRTP packets over S streams
# (AES_CM_128_HMAC_SHA1_80, then AEAD_AES_128_GCM), keyed with --srtp-key,
# measured side by side in one run:
#   srtpaudit decrypt --engine fast | --engine libsrtp (and fast on the same
#   capture with one SIP message in front: two passes), a bare libpcap read
#   loop, a bare unprotect loop over the packets in memory (libsrtp and the
#   fast engine's transform), tshark -q -z rtp,streams (statistics only).
# Median wall times (hyperfine), packets/s and ratios; CPU time (user+sys)
# per packet for "per core"; peak RSS (/usr/bin/time -v); callgrind
# instructions per packet for srtpaudit decrypt (fast) on a 100k capture.
# Timed runs write the decrypted capture to /dev/null; one run per engine
# writes it to a file, for the peak RSS and to compare the two outputs.
# Then a long capture (BENCH_LONG_PACKETS, 10M AES-CM packets, the length
# the issue measured tshark on): srtpaudit decrypt (fast) against tshark,
# wall time and peak RSS, to show how both scale with the capture's length.
# Usage: bench/run_decrypt.sh [BUILDDIR]
# Environment: BENCH_PACKETS (1000000), BENCH_STREAMS (1000), BENCH_RUNS (5),
# BENCH_LIBSRTP_RUNS (2: Debian's NSS-backed libsrtp is slow), BENCH_TSHARK=0,
# BENCH_LONG_PACKETS (10000000; 0 skips the long capture, which takes about
# 4 minutes here, mostly generating it with libsrtp, and 2.4 GB in tmpfs).
set -euo pipefail
B=${1:-.}
N=${BENCH_PACKETS:-1000000}
S=${BENCH_STREAMS:-1000}
RUNS=${BENCH_RUNS:-5}
LRUNS=${BENCH_LIBSRTP_RUNS:-2}
# Captures and outputs in tmpfs when there is one: disk writeback stalls
# would otherwise dominate the wall time of a 230 MB output.
T=/tmp
[ -d /dev/shm ] && [ -w /dev/shm ] && T=/dev/shm
W=$(mktemp -d "$T/sa-bench-dec.XXXXXX")
trap 'rm -rf "$W"' EXIT
SA="$B/srtpaudit"
TSHARK=$(command -v tshark || true)
[ "${BENCH_TSHARK:-1}" = 0 ] && TSHARK=

rate() { awk -v n="$1" -v t="$2" 'BEGIN { printf "%.0f", n / t }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }

# median NAME CMD... - hyperfine median wall seconds, and mean user+sys.
median() {
	local name=$1 runs=$2
	shift 2
	hyperfine -N --style none --warmup 0 --runs "$runs" --export-json "$W/h.json" "$*" > /dev/null 2>&1
	jq -r '.results[0] | "\(.median) \(.user + .system)"' "$W/h.json"
}

echo "== decryption benchmark: $N SRTP packets over $S streams per suite =="
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "libsrtp: $(dpkg-query -W -f='${Version}' libsrtp2-1 2>/dev/null || echo '?'), OpenSSL: $(openssl version | cut -d' ' -f2)"
for suite in AES_CM_128_HMAC_SHA1_80 AEAD_AES_128_GCM; do
	cap="$W/$suite.pcap"
	key=$("$B/bench/gen_srtp" "$cap" "$suite" "$N" "$S")
	echo
	echo "-- $suite: $(du -h "$cap" | cut -f1), key $key --"
	printf "%-40s %9s %12s %12s %10s\n" "program" "median s" "packets/s" "pkt/s/core" "peak RSS"
	declare -A WALL CPU
	run() { # LABEL RUNS CMD... ("OUT" in CMD: /dev/null when timed, a file for RSS)
		local label=$1 runs=$2 m c rss a
		shift 2
		local timed=() once=()
		for a in "$@"; do
			timed+=("${a/#OUT//dev/null}")
			once+=("${a/#OUT/$W/once.pcap}")
		done
		read -r m c < <(median "$label" "$runs" "${timed[@]}")
		rss=$(/usr/bin/time -v "${once[@]}" 2>&1 >/dev/null | awk '/Maximum resident/ {print $6}')
		[ -f "$W/once.pcap" ] && mv "$W/once.pcap" "$W/out-$runs.pcap"
		WALL[$label]=$m
		CPU[$label]=$c
		printf "%-40s %9.3f %12s %12s %7s kB\n" "$label" "$m" "$(rate "$N" "$m")" "$(rate "$N" "$c")" "$rss"
	}
	run "libpcap read loop" "$RUNS" "$B/bench/pcap_loop" "$cap"
	run "srtpaudit decrypt --engine fast" "$RUNS" "$SA" decrypt -q --engine fast --srtp-key "$key" "$cap" -o OUT
	mv "$W/out-$RUNS.pcap" "$W/fast.pcap"
	# The same media after one SIP message: read twice, as a capture with
	# signalling is (docs/flows.md "One pass or two").
	"$B/bench/gen_srtp" "$W/sip.pcap" "$suite" "$N" "$S" sip > /dev/null
	run "  same, after a SIP message (2 passes)" "$RUNS" "$SA" decrypt -q --engine fast --srtp-key "$key" "$W/sip.pcap" -o OUT
	rm -f "$W/sip.pcap" "$W/out-$RUNS.pcap"
	run "srtpaudit decrypt --engine libsrtp" "$LRUNS" "$SA" decrypt -q --engine libsrtp --srtp-key "$key" "$cap" -o OUT
	mv "$W/out-$LRUNS.pcap" "$W/lib.pcap"
	cmp -s "$W/fast.pcap" "$W/lib.pcap" && echo "   (decrypted captures of both engines identical)" || echo "   OUTPUTS DIFFER"
	rm -f "$W/fast.pcap" "$W/lib.pcap"
	if [ -n "$TSHARK" ]; then
		run "tshark -q -z rtp,streams" 3 "$TSHARK" -q -n -o rtp.heuristic_rtp:TRUE -z rtp,streams -r "$cap"
		echo "   srtpaudit fast vs tshark: $(ratio "${WALL[tshark -q -z rtp,streams]}" "${WALL[srtpaudit decrypt --engine fast]}")x faster (goal >= 20x)"
	fi
	echo "   srtpaudit fast vs libpcap loop: $(ratio "${WALL[srtpaudit decrypt --engine fast]}" "${WALL[libpcap read loop]}")x the time"
	echo "   fast vs libsrtp engine: $(ratio "${WALL[srtpaudit decrypt --engine libsrtp]}" "${WALL[srtpaudit decrypt --engine fast]}")x faster"
	echo "   bare unprotect loops (packets in memory, CPU time of the loop only):"
	"$B/bench/srtp_loop" "$cap" "$suite" fast | sed 's/^/     /'
	"$B/bench/srtp_loop" "$cap" "$suite" libsrtp | sed 's/^/     /'
	unset WALL CPU
done

LONG=${BENCH_LONG_PACKETS:-10000000}
if [ "$LONG" -gt 0 ]; then
	echo
	cap="$W/long.pcap"
	key=$("$B/bench/gen_srtp" "$cap" AES_CM_128_HMAC_SHA1_80 "$LONG" "$S")
	echo "-- long capture: $LONG AES_CM_128_HMAC_SHA1_80 packets over $S streams, $(du -h "$cap" | cut -f1) --"
	printf "%-40s %9s %12s %12s %10s\n" "program" "median s" "packets/s" "pkt/s/core" "peak RSS"
	declare -A WALL CPU
	N=$LONG run "srtpaudit decrypt --engine fast" 3 "$SA" decrypt -q --engine fast --srtp-key "$key" "$cap" -o OUT
	rm -f "$W/out-3.pcap"
	if [ -n "$TSHARK" ]; then
		N=$LONG run "tshark -q -z rtp,streams" 1 "$TSHARK" -q -n -o rtp.heuristic_rtp:TRUE -z rtp,streams -r "$cap"
		echo "   srtpaudit fast vs tshark: $(ratio "${WALL[tshark -q -z rtp,streams]}" "${WALL[srtpaudit decrypt --engine fast]}")x faster (goal >= 20x)"
	fi
	rm -f "$cap"
	unset WALL CPU
fi

if command -v valgrind > /dev/null; then
	echo
	cap="$W/small.pcap"
	key=$("$B/bench/gen_srtp" "$cap" AES_CM_128_HMAC_SHA1_80 100000 "$S")
	valgrind --tool=callgrind --callgrind-out-file="$W/cg.out" "$SA" decrypt -q --engine fast \
		--srtp-key "$key" "$cap" -o /dev/null > /dev/null 2> "$W/cg.err"
	ir=$(awk '/Collected/ {print $4}' "$W/cg.err")
	echo "callgrind: srtpaudit decrypt --engine fast, 100k AES-CM packets: $ir instructions, $((ir / 100000)) per packet"
	echo "  (valgrind hides SHA-NI/AVX from OpenSSL: the crypto share is larger than on the real CPU)"
	callgrind_annotate --inclusive=yes "$W/cg.out" 2>/dev/null |
		grep -E 'pipeline_run|capture_next|streams_packet|sdec_unprotect|sfast_rtp|hmac_check|ctr_apply|flow_table_get|rewrite|pcap_out|rtpstats_packet|demux|media_on' |
		awk '{ gsub(",", "", $1); for (i = 2; i <= NF; i++) if ($i ~ /\.c:/) name = $i
		       printf "  %-60s %6d per packet\n", name, $1 / 100000 }' | sort -u -k1,1 | sort -k2,2 -rn | head -14
fi
