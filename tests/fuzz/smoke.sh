#!/usr/bin/env bash
# smoke.sh - CI smoke test of the fuzz harnesses (docs/fuzzing.md).
#
#   tests/fuzz/smoke.sh            from the top of a configured source tree
#
# Builds the harnesses with clang (-fsanitize=fuzzer,address,undefined) from
# the distribution tarball in its own folder (the source tree itself is
# configured for the normal build, so a VPATH build beside it is refused),
# then runs every harness for FUZZ_SECONDS seconds (default 20), starting
# from a scratch copy of its committed corpus, FUZZ_JOBS harnesses at a
# time (default 2).  Prints one line per harness with its executions and
# final corpus size; exits non-zero when a build fails or any harness finds
# a crash, a leak, undefined behaviour or a timeout (the reproducer is kept
# under FUZZ_BUILD/runs/<harness>/).
#
# Environment: FUZZ_SECONDS, FUZZ_JOBS, FUZZ_CC (default clang),
# FUZZ_BUILD (default build-fuzz in the source tree), FUZZ_HARNESSES
# (default: all), FUZZ_TARBALL (use this srtpaudit-*.tar.gz instead of
# running make dist; then the source tree need not be configured).
set -uo pipefail
tarball=${FUZZ_TARBALL:-}
[ -z "$tarball" ] || tarball=$(cd "$(dirname "$tarball")" && pwd)/$(basename "$tarball")
cd "$(dirname "$0")/../.."
top=$(pwd)
secs=${FUZZ_SECONDS:-20}
jobs=${FUZZ_JOBS:-2}
cc=${FUZZ_CC:-clang}
build=${FUZZ_BUILD:-$top/build-fuzz}
harnesses=${FUZZ_HARNESSES:-$(sed -n 's/^FUZZ_HARNESSES = //p' tests/fuzz/fuzz.mk)}
t0=$(date +%s)

[ -n "$tarball" ] || [ -f Makefile ] ||
	{ echo "smoke.sh: configure the source tree first (./configure), or set FUZZ_TARBALL" >&2; exit 2; }
rm -rf "$build" && mkdir -p "$build" || exit 2
echo "== building the fuzzers in $build (configure --enable-fuzzing CC=$cc)"
if [ -z "$tarball" ]; then
	rm -f srtpaudit-*.tar.gz
	make dist >"$build/dist.log" 2>&1 || { tail -20 "$build/dist.log" >&2; exit 2; }
	tarball=$(ls "$top"/srtpaudit-*.tar.gz)
fi
if ! { tar -C "$build" -xzf "$tarball" &&
       cd "$build"/srtpaudit-*/ &&
       ./configure -q --enable-fuzzing CC="$cc" >"$build/configure.log" 2>&1 &&
       make -j"$jobs" fuzz >"$build/make.log" 2>&1; }; then
	echo "smoke.sh: building the fuzzers failed; see the logs in $build" >&2
	tail -20 "$build"/*.log >&2
	exit 2
fi
src=$(cd "$build"/srtpaudit-*/ && pwd)
echo "== built in $(( $(date +%s) - t0 )) s; running each harness for $secs s"

run_one() { # $1 = harness
	local h=$1 dir="$build/runs/$1" rc execs size ml=4096
	case $h in pipeline|dtls|rtp|sip_frame|tcp|ipfrag) ml=16384;; esac
	mkdir -p "$dir/corpus" "$dir/artifacts"
	cp "$src/tests/fuzz/corpus/$h/"* "$dir/corpus/" 2>/dev/null
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	"$src/tests/fuzz/fuzz_$h" "$dir/corpus" -max_total_time="$secs" \
		-timeout=10 -rss_limit_mb=2048 -max_len=$ml -print_final_stats=1 \
		-artifact_prefix="$dir/artifacts/" >"$dir/log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -1)
	size=$(find "$dir/corpus" -type f | wc -l)
	if [ $rc -eq 0 ]; then
		printf '%-12s ok     %10s execs  %5s inputs in corpus\n' "$h" "${execs:-?}" "$size"
	else
		printf '%-12s FAILED %10s execs  %5s inputs in corpus  (exit %s; see %s)\n' \
			"$h" "${execs:-?}" "$size" "$rc" "$dir/log"
		grep -m3 -E 'ERROR|SUMMARY|runtime error' "$dir/log" | sed 's/^/    /'
	fi
	return $rc
}

fail=0
pids=()
for h in $harnesses; do
	run_one "$h" >"$build/runs.$h.out" 2>&1 &
	pids+=("$!:$h")
	if [ ${#pids[@]} -ge "$jobs" ]; then
		p=${pids[0]}; pids=("${pids[@]:1}")
		wait "${p%%:*}" || fail=1
		cat "$build/runs.${p#*:}.out"
	fi
done
for p in "${pids[@]}"; do
	wait "${p%%:*}" || fail=1
	cat "$build/runs.${p#*:}.out"
done
echo "fuzz smoke: $([ $fail -eq 0 ] && echo passed || echo FAILED) in $(( $(date +%s) - t0 )) s"
exit $fail
