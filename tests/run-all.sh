#!/usr/bin/env bash
# The whole test suite: unit and integration tests in the normal build,
# again in an ASan+UBSan build, make distcheck, and a short run of every
# fuzz harness.  Prints one closing
# line "tests: N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)
jobs=${JOBS:-2}
fail=0
pass_total=0; fail_total=0; skip_total=0

tally() { # $1 = test-suite.log (automake's summary: "# PASS:  N" ...)
	local p f s
	[ -f "$1" ] || { fail_total=$((fail_total + 1)); return; }
	p=$(awk '$1 == "#" && $2 == "PASS:" {n += $3} END {print n + 0}' "$1")
	f=$(awk '$1 == "#" && ($2 == "FAIL:" || $2 == "ERROR:" || $2 == "XPASS:") {n += $3} END {print n + 0}' "$1")
	s=$(awk '$1 == "#" && $2 == "SKIP:" {n += $3} END {print n + 0}' "$1")
	pass_total=$((pass_total + p)); fail_total=$((fail_total + f)); skip_total=$((skip_total + s))
	grep -E '^(SKIP|FAIL|ERROR|XPASS): ' "$1" || true
}

[ -f Makefile ] || { ./autogen.sh && ./configure --enable-werror; } || exit 1

echo "== unit and integration tests (build: -Werror)"
if ! make -j"$jobs" check; then fail=1; fi
tally test-suite.log

echo "== the same tests under AddressSanitizer + UndefinedBehaviorSanitizer"
# Built from the distribution tarball in its own folder (the source tree
# itself is configured for the normal build).
export SHARED_CAPTURES="${SHARED_CAPTURES:-$top/../shared/captures}"
rm -rf build-asan && mkdir build-asan
( make dist >/dev/null &&
  tar -C build-asan -xzf srtpaudit-*.tar.gz &&
  cd build-asan/srtpaudit-* &&
  ./configure --enable-werror --enable-sanitizers -q &&
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  make -j"$jobs" check ) || fail=1
tally build-asan/srtpaudit-*/test-suite.log

echo "== make distcheck"
make -j"$jobs" distcheck DISTCHECK_CONFIGURE_FLAGS=--enable-werror >distcheck.log 2>&1 || { tail -40 distcheck.log; fail=1; }
[ $fail -eq 0 ] && echo "distcheck: ok"

echo "== fuzz smoke: every libFuzzer harness for ${FUZZ_SECONDS:-20} s (docs/fuzzing.md)"
if command -v clang >/dev/null; then
	tarball=$(ls srtpaudit-*.tar.gz 2>/dev/null | head -1)
	if FUZZ_SECONDS=${FUZZ_SECONDS:-20} FUZZ_TARBALL=${tarball:-} tests/fuzz/smoke.sh; then
		pass_total=$((pass_total + 1))
	else
		fail_total=$((fail_total + 1)); fail=1
	fi
else
	echo "SKIP: clang not installed; fuzzers not run"
	skip_total=$((skip_total + 1))
fi

[ $fail -ne 0 ] && [ $fail_total -eq 0 ] && fail_total=1
echo "tests: $pass_total passed, $fail_total failed, $skip_total skipped"
exit $fail
