#!/usr/bin/env bash
# test_checks_fixtures.sh - the analyzer's conformance checks against the
# committed generated fixtures (fixtures/gen, made by srtpaudit-gen).  For
# every fixture `srtpaudit analyze F.pcap --json -` must:
#  (a) report every check ID of the truth file's expect_checks that the
#      analyzer's catalogue knows, with the catalogue's severity, and at the
#      frame(s) of expect_frames where the truth file names them;
#  (b) for a fixture without faults, report no finding of severity error;
#  (c) report nothing outside expect_checks + also_checks (the truth file
#      lists the consequences that legitimately fire too).
# Across the whole catalogue every check ID must be triggered by at least
# one fixture and passed (in some call's checks_passed) by at least one;
# the exceptions are the commented allow-lists below.
# Skipped (exit 77) when jq is missing.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
if ! command -v jq >/dev/null 2>&1; then
	echo "SKIP: jq is needed"
	exit 77
fi
GEN_DIR=${GEN_DIR:-$FIX/gen}

# Checks no fixture can make fire, and why.
NEVER_TRIGGERED_OK="
"

# Checks no fixture can show as passed, and why.
NEVER_PASSED_OK="
SRTP-ROC-INIT
DTLS-HANDSHAKE-INFO
DTLS-REHANDSHAKE
SDES-SECURE-SIGNALLING
"
# DTLS-HANDSHAKE-INFO, DTLS-REHANDSHAKE: information records; the analyzer
#   reports them when they apply and never records a pass.
# SDES-SECURE-SIGNALLING: the generator writes SIP over UDP/TCP only; over
#   TLS the analyzer could not read the a=crypto at all (and the analyzer
#   never records a pass for it).
# SRTP-ROC-INIT: reported for streams outside any call (f-mid-call); the
#   analyzer records no per-call pass for it.

# Findings the analyzer gets wrong on a fixture (fixture:ID), and why.
# They are printed as XFAIL instead of failing.
KNOWN_GAPS="
"

# The analyzer's catalogue: ID and severity.
if "$SRTPAUDIT" checks --json - > "$WORK/cat.json" 2>/dev/null &&
	jq -e 'type == "array" and length > 0' "$WORK/cat.json" >/dev/null 2>&1; then
	jq -r '.[] | "\(.id) \(.severity)"' "$WORK/cat.json" > "$WORK/cat"
else
	sed -n 's/^[[:space:]]*{ "\([A-Z0-9-]*\)", SEV_\([A-Z]*\),.*/\1 \2/p' \
		"$top_srcdir/analyzer/check_catalogue.c" | tr 'A-Z' 'a-z' |
		awk '{print toupper($1), $2}' > "$WORK/cat"
fi
ncat=$(wc -l < "$WORK/cat" | tr -d ' ')
[ "$ncat" -ge 40 ] && pass "analyzer catalogue has $ncat checks" || fail "analyzer catalogue: $ncat checks"
CATJSON=$(jq -R -s -c 'split("\n") | map(select(length > 0) | split(" ") | {(.[0]): .[1]}) | add' "$WORK/cat")

# One jq pass per fixture: the verdict lines for (a), (b) and (c).
# Output lines: "ok TEXT", "bad TEXT", "gap ID", "trig ID", "passed ID".
VERDICT='
($truth[0]) as $t |
($t.expect_checks) as $exp | (($t.also_checks // []) + $exp) as $ok |
[.calls[]?.findings[]?, (.findings // [])[]?] as $f |
($f | map(.check) | unique) as $got |
( $exp[] | select($cat[.] != null) as $id |
  ([$f[] | select(.check == $id)]) as $hits |
  if ($hits | length) == 0 then "bad expected \($id) not reported"
  elif ($hits | map(.severity) | index($cat[$id])) == null
    then "bad \($id) severity \($hits[0].severity), catalogue says \($cat[$id])"
  else "ok \($id) reported as \($cat[$id])" end,
  ( ($t.expect_frames[$id] // []) as $want | select(($want | length) > 0 and ($hits | length) > 0) |
    if [$hits[] | (.frames // []) | contains($want)] | any
    then "ok \($id) at frame(s) \($want | map(tostring) | join(","))"
    else "bad \($id) not at frame(s) \($want | map(tostring) | join(",")) (got \([$hits[] | .frames] | tostring))" end ) ),
( if ($t.faults | length) == 0
  then ([$f[] | select(.severity == "error") | .check] | unique) as $errs |
    if ($errs - $exp | length) == 0 then "ok no unexpected error finding"
    else "bad error findings on a good call: \($errs - $exp | join(" "))" end
  else empty end ),
( ($got - $ok) | if length == 0 then "ok nothing unexpected" else .[] | "gap \(.)" end ),
( $got[] | "trig \(.)" ),
( [.calls[]?.checks_passed[]?] | unique | .[] | "passed \(.)" )
'
: > "$WORK/trig"
: > "$WORK/passed"
nfix=0
for truth in "$GEN_DIR"/*.json; do
	name=$(basename "$truth" .json)
	pcap="$GEN_DIR/$name.pcap"
	[ -e "$pcap" ] || continue
	nfix=$((nfix + 1))
	keys=()
	[ -s "$GEN_DIR/$name.keys" ] && keys=(--keylog "$GEN_DIR/$name.keys")
	if ! "$SRTPAUDIT" analyze "${keys[@]}" "$pcap" --json - > "$WORK/out.json" 2> "$WORK/err"; then
		# a non-zero exit for findings is fine; a broken report is not
		jq -e . "$WORK/out.json" >/dev/null 2>&1 || { fail "$name: analyze produced no JSON ($(head -c 200 "$WORK/err"))"; continue; }
	fi
	jq -r --argjson cat "$CATJSON" --slurpfile truth "$truth" "$VERDICT" "$WORK/out.json" > "$WORK/v" 2> "$WORK/jqerr" ||
		{ fail "$name: jq failed: $(head -c 200 "$WORK/jqerr")"; continue; }
	while read -r kind rest; do
		case "$kind" in
		ok) pass "$name $rest" ;;
		bad)
			case "$rest" in "expected "*" not reported")
				id=${rest#expected }; id=${id%% *}
				if printf '%s\n' $KNOWN_GAPS | grep -qx "$name:$id"; then
					echo "XFAIL: $name: $id expected but not reported (known analyzer gap)"
					continue
				fi ;;
			esac
			fail "$name $rest" ;;
		gap)
			if printf '%s\n' $KNOWN_GAPS | grep -qx "$name:$rest"; then
				echo "XFAIL: $name reports $rest (known analyzer gap)"
			else
				fail "$name reports $rest, which is neither in expect_checks nor in also_checks"
			fi ;;
		trig) echo "$rest" >> "$WORK/trig" ;;
		passed) echo "$rest" >> "$WORK/passed" ;;
		esac
	done < "$WORK/v"
done
[ "$nfix" -ge 40 ] && pass "$nfix fixtures analyzed" || fail "only $nfix fixtures in $GEN_DIR"

# (c) every check of the catalogue triggered and passed somewhere
sort -u -o "$WORK/trig" "$WORK/trig"
sort -u -o "$WORK/passed" "$WORK/passed"
while read -r id sev; do
	if grep -qx "$id" "$WORK/trig"; then
		pass "$id triggered by a fixture"
	elif printf '%s\n' $NEVER_TRIGGERED_OK | grep -qx "$id"; then
		echo "ALLOWED: $id is triggered by no fixture (see the allow-list)"
	else
		fail "$id is triggered by no fixture"
	fi
	if grep -qx "$id" "$WORK/passed"; then
		pass "$id passed by a fixture"
	elif printf '%s\n' $NEVER_PASSED_OK | grep -qx "$id"; then
		echo "ALLOWED: $id is passed by no fixture (see the allow-list)"
	else
		fail "$id is passed by no fixture"
	fi
done < "$WORK/cat"
finish
