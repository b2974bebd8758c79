#!/usr/bin/env bash
# docs/checks.md and the check catalogue agree: the doc is exactly what
# `srtpaudit checks --markdown` prints (regenerate it with
# `srtpaudit checks --markdown > docs/checks.md` after changing
# analyzer/check_catalogue.c), every catalogue ID has its section, and the
# JSON and terminal listings hold every ID once.  The IDs are also read
# straight from the catalogue's source, so a listing that skipped one
# would be caught.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
DOC="$top_srcdir/docs/checks.md"
SRC="$top_srcdir/analyzer/check_catalogue.c"

"$SRTPAUDIT" checks --markdown > "$WORK/checks.md"
expect_eq "checks --markdown exit" "$?" 0
if cmp -s "$WORK/checks.md" "$DOC"; then
	pass "docs/checks.md equals 'srtpaudit checks --markdown'"
else
	fail "docs/checks.md is stale: run 'srtpaudit checks --markdown > docs/checks.md'"
	diff -u "$DOC" "$WORK/checks.md" | head -40
fi

# IDs from the source: lines such as `{ "SETUP-MISSING", SEV_ERROR, ...`.
sed -n 's/^[[:space:]]*{ "\([A-Z0-9][A-Z0-9-]*\)", SEV_.*/\1/p' "$SRC" > "$WORK/src_ids"
nsrc=$(wc -l < "$WORK/src_ids")
[ "$nsrc" -gt 0 ] && pass "catalogue source lists $nsrc IDs" || fail "no IDs found in $SRC"
expect_eq "IDs are unique" "$(sort -u "$WORK/src_ids" | wc -l)" "$nsrc"

"$SRTPAUDIT" checks --json - > "$WORK/checks.json"
expect_eq "checks --json exit" "$?" 0
expect_eq "JSON list length = catalogue IDs" "$(jq length "$WORK/checks.json")" "$nsrc"
expect_eq "JSON IDs in catalogue order" "$(jq -r '.[].id' "$WORK/checks.json")" "$(cat "$WORK/src_ids")"
expect_eq "JSON fields" "$(jq -c '[.[] | keys] | unique' "$WORK/checks.json")" \
	'[["area","explain","id","rfc","severity","summary"]]'
expect_eq "JSON severities" "$(jq -r '[.[].severity] | unique | map(select(. != "error" and . != "warning" and . != "info")) | length' "$WORK/checks.json")" 0
expect_eq "JSON: no empty field" "$(jq '[.[] | to_entries[] | select(.value == "")] | length' "$WORK/checks.json")" 0

missing=0
while read -r id; do
	n=$(grep -c "^### $id\$" "$DOC")
	if [ "$n" != 1 ]; then
		fail "docs/checks.md: section '### $id' found $n times"
		missing=$((missing + 1))
	fi
	grep -q "^| \[$id\](#" "$DOC" || { fail "docs/checks.md: $id not in the table"; missing=$((missing + 1)); }
done < "$WORK/src_ids"
expect_eq "IDs missing from docs/checks.md" "$missing" 0
expect_eq "doc sections = catalogue IDs" "$(grep -c '^### ' "$DOC")" "$nsrc"

# Terminal listing: each ID starts exactly one line; one ID alone.
"$SRTPAUDIT" checks > "$WORK/checks.txt"
expect_eq "checks exit" "$?" 0
expect_eq "terminal IDs" "$(grep -oE '^[A-Z][A-Z0-9-]+  (error|warning|info)  ' "$WORK/checks.txt" | awk '{print $1}')" "$(cat "$WORK/src_ids")"
expect_eq "checks SETUP-ANSWER-ACTPASS" "$("$SRTPAUDIT" checks SETUP-ANSWER-ACTPASS | head -3 | tr -s ' ' | tr '\n' '|')" \
	"== setup (1 check) ==||SETUP-ANSWER-ACTPASS error RFC 4145 §4.1; RFC 5763 §5|"
expect_eq "checks ID --json" "$("$SRTPAUDIT" checks --json - FP-MATCH MEDIA-ONE-WAY | jq -r '[.[] | "\(.id)/\(.severity)/\(.area)"] | join(" ")')" \
	"FP-MATCH/error/fingerprint MEDIA-ONE-WAY/warning/media"
"$SRTPAUDIT" checks NO-SUCH-CHECK > /dev/null 2>&1
expect_eq "unknown ID exit" "$?" 2
"$SRTPAUDIT" checks --bogus > /dev/null 2>&1
expect_eq "unknown option exit" "$?" 2
"$SRTPAUDIT" checks --json - --markdown > /dev/null 2>&1
expect_eq "--json with --markdown exit" "$?" 2
expect_eq "--help" "$("$SRTPAUDIT" checks --help | head -1)" "Usage: srtpaudit checks [OPTIONS] [CHECK-ID...]"
finish
