#!/usr/bin/env bash
# Reader benchmark (issue 2): srtpaudit analyze versus a bare libpcap read
# loop over the same 1M-packet capture, side by side in one run.  Reports
# median wall times of several runs (hyperfine), the ratio, peak memory
# (/usr/bin/time -v), and callgrind instructions per packet on a 100k
# capture (exact and repeatable).  Usage: bench/run.sh [BUILDDIR]
set -euo pipefail
B=${1:-.}
N=${BENCH_PACKETS:-1000000}
W=$(mktemp -d /tmp/sa-bench.XXXXXX)
trap 'rm -rf "$W"' EXIT
"$B/bench/gen_udp" "$W/udp.pcap" "$N" 1000
"$B/bench/gen_udp" "$W/small.pcap" 100000 1000
echo "capture: $N UDP packets, 1000 flows, $(du -h "$W/udp.pcap" | cut -f1)"
if command -v hyperfine >/dev/null; then
	hyperfine -N --warmup 1 --runs ${BENCH_RUNS:-7} --export-json "$W/h.json" \
		-n libpcap-loop "$B/bench/pcap_loop $W/udp.pcap" \
		-n srtpaudit-analyze "$B/srtpaudit analyze -q $W/udp.pcap"
	jq -r '.results as $r | ($r[1].median / $r[0].median) as $x |
		"median: libpcap loop \($r[0].median*1000|floor) ms, srtpaudit \($r[1].median*1000|floor) ms; ratio \($x*100|floor/100)x (goal <= 1.5x)"' "$W/h.json"
else
	echo "hyperfine not installed (apt-get install hyperfine); timing once"
	/usr/bin/time -f "libpcap loop %e s" "$B/bench/pcap_loop" "$W/udp.pcap" >/dev/null
	/usr/bin/time -f "srtpaudit %e s" "$B/srtpaudit" analyze -q "$W/udp.pcap" >/dev/null
fi
for f in udp small; do
	/usr/bin/time -v "$B/srtpaudit" analyze -q "$W/$f.pcap" 2>&1 >/dev/null |
		awk -v f="$f" '/Maximum resident/ {print "peak RSS (" f "): " $6 " kB"}'
done
if command -v valgrind >/dev/null; then
	for prog in "bench/pcap_loop $W/small.pcap" "srtpaudit analyze -q $W/small.pcap"; do
		# shellcheck disable=SC2086
		valgrind --tool=callgrind --callgrind-out-file="$W/cg.out" "$B"/$prog >/dev/null 2>"$W/cg.err"
		ir=$(awk '/Collected/ {print $4}' "$W/cg.err")
		echo "callgrind: ${prog%% *}: $ir instructions, $((ir / 100000)) per packet"
	done
fi
