# lib.sh - shared helpers for the shell integration tests (sourced).
# Environment from make check: top_srcdir, top_builddir, TSHARK.
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
SRTPAUDIT="$top_builddir/srtpaudit"
FIX="$top_srcdir/fixtures"
T_PASS=0
T_FAIL=0
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sa-test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

pass() { T_PASS=$((T_PASS + 1)); echo "ok: $*"; }
fail() { T_FAIL=$((T_FAIL + 1)); echo "FAIL: $*"; }

# expect_eq WHAT ACTUAL EXPECTED
expect_eq() {
	if [ "$2" = "$3" ]; then pass "$1 = $3"; else fail "$1: got '$2', expected '$3'"; fi
}

# jqv FILE FILTER - one value from a JSON file.
jqv() { jq -r "$2" "$1"; }

# finish - print the closing line and exit with the right status.
finish() {
	echo "$T_PASS passed, $T_FAIL failed"
	[ "$T_FAIL" -eq 0 ]
}
