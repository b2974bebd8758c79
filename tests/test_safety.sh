#!/usr/bin/env bash
# Output safety (issue 7): text taken from a capture reaches the terminal,
# JSON and JUnit XML escaped, whatever it holds.  tests/damage hostile
# writes two SIP calls: the first has ESC[31m, 0x01, invalid UTF-8 (0xff
# 0xfe), "]]>", '"', "</testsuite>", "&" and "<x/>" in its Call-ID, From,
# To, Subject and every SDP line; the second has NUL bytes in its SDP.
# Asserted: `calls` and `analyze` text (stdout and stderr, also for a
# hostile file name) hold no control byte but newline and are valid UTF-8,
# with the hostile bytes shown as \xNN; the JSON parses and its Call-ID
# decodes to the original text (invalid UTF-8 as U+FFFD); the JUnit XML
# validates against tests/junit.xsd and its suite name carries the text;
# no raw NUL anywhere.  Files holding keys (--show-keys JSON of analyze,
# calls and decrypt) are created with mode 0600 whatever the umask.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
DAMAGE="$top_builddir/tests/damage"
XMLLINT=${XMLLINT:-$(command -v xmllint || true)}
H="$WORK/hostile.pcap"
"$DAMAGE" hostile "$H" || { fail "damage hostile"; finish; exit; }

# clean_text WHAT FILE - no control byte but \n (TAB allowed), valid UTF-8.
clean_text() {
	if LC_ALL=C grep -qP '[\x00-\x08\x0b-\x1f\x7f]' "$2"; then
		fail "$1: raw control bytes: $(LC_ALL=C grep -P '[\x00-\x08\x0b-\x1f\x7f]' "$2" | head -2 | cat -v)"
	elif ! iconv -f UTF-8 -t UTF-8 "$2" >/dev/null 2>&1; then
		fail "$1: not valid UTF-8"
	else
		pass "$1: no control bytes, valid UTF-8"
	fi
}
# has WHAT FILE FIXED-STRING
has() { if grep -qF -- "$3" "$2"; then pass "$1"; else fail "$1: '$3' not in $(head -c 300 "$2")"; fi; }

ESCAPED='evil\x1b[31mRED\x01\xff\xfe]]>"</testsuite>&<x/>@example.com'

# Terminal: calls and analyze, stdout and stderr.
"$SRTPAUDIT" calls "$H" > "$WORK/calls.out" 2> "$WORK/calls.err"
expect_eq "calls exit" $? 0
clean_text "calls stdout" "$WORK/calls.out"
clean_text "calls stderr" "$WORK/calls.err"
has "calls shows the Call-ID escaped" "$WORK/calls.out" "call $ESCAPED"
has "calls shows the m= proto escaped" "$WORK/calls.out" 'RTP/S\x1b[31mRED\x01\xff\xfe'
expect_eq "calls lists both calls" "$(grep -c '^call ' "$WORK/calls.out")" 2

"$SRTPAUDIT" analyze "$H" --json "$WORK/a.json" --junit "$WORK/a.xml" > "$WORK/an.out" 2> "$WORK/an.err"
expect_eq "analyze exit (findings)" $? 1
clean_text "analyze stdout" "$WORK/an.out"
clean_text "analyze stderr" "$WORK/an.err"
has "analyze findings name the call escaped" "$WORK/an.out" "call $ESCAPED m=0: error["
expect_eq "analyze: both calls, all SIP" "$(jq -r '[(.calls | length), .packets.sip, .packets.malformed] | join(",")' "$WORK/a.json")" "2,6,0"

# A hostile file name in diagnostics.
EVIL="$WORK/$(printf 'cap\033[31m\001.pcap')"
head -c 200 "$H" > "$EVIL"
"$SRTPAUDIT" analyze "$EVIL" > "$WORK/fn.out" 2> "$WORK/fn.err"
expect_eq "hostile file name, no whole frame: exit" $? 2
clean_text "file name in stderr" "$WORK/fn.err"
has "file name escaped" "$WORK/fn.err" 'cap\x1b[31m\x01.pcap'
clean_text "file name in stdout" "$WORK/fn.out"

# JSON: parses, no raw control bytes, escapes decode to the original.
if jq -e . "$WORK/a.json" >/dev/null 2>&1; then pass "JSON parses"; else fail "JSON does not parse"; fi
clean_text "JSON file" "$WORK/a.json"
want=$(printf 'evil\033[31mRED\001\357\277\275\357\277\275]]>"</testsuite>&<x/>@example.com' | od -An -tx1 | tr -d ' \n')
expect_eq "JSON Call-ID round-trips" "$(jq -j '.calls[0].call_id' "$WORK/a.json" | od -An -tx1 | tr -d ' \n')" "$want"
expect_eq "JSON SDP proto round-trips" "$(jq -j '.calls[0].media[0].offer.proto' "$WORK/a.json" | od -An -tx1 | tr -d ' \n')" \
	"$(printf 'RTP/S\033[31mRED\001\357\277\275\357\277\275]]>"</testsuite' | od -An -tx1 | tr -d ' \n')"
expect_eq "JSON NUL-in-SDP call" "$(jq -r '.calls[1].call_id' "$WORK/a.json")" "nul-in-sdp@example.com"
"$SRTPAUDIT" calls "$H" --json "$WORK/c.json" > /dev/null 2>&1
expect_eq "calls JSON Call-ID round-trips" "$(jq -j '.calls[0].call_id' "$WORK/c.json" | od -An -tx1 | tr -d ' \n')" "$want"
clean_text "calls JSON file" "$WORK/c.json"

# JUnit XML: valid against the schema, the text survives as characters.
clean_text "JUnit file" "$WORK/a.xml"
if [ -n "$XMLLINT" ]; then
	if "$XMLLINT" --noout --schema "$top_srcdir/tests/junit.xsd" "$WORK/a.xml" 2>"$WORK/xl"; then
		pass "JUnit validates against junit.xsd"
	else
		fail "JUnit does not validate: $(head -3 "$WORK/xl")"
	fi
	expect_eq "JUnit suite name" "$("$XMLLINT" --xpath 'string(//testsuite[2]/@name)' "$WORK/a.xml" | tr -d '\n' | od -An -tx1 | tr -d ' \n')" \
		"$(printf 'call evil\\x1b[31mRED\\x01\357\277\275\357\277\275]]>"</testsuite>&<x/>@example.com' | od -An -tx1 | tr -d ' \n')"
	expect_eq "JUnit suites (capture + 2 calls)" "$("$XMLLINT" --xpath 'count(//testsuite)' "$WORK/a.xml")" 3
else
	echo "note: xmllint missing: schema checks skipped"
fi

# Files holding keys: 0600 whatever the umask; other reports 0644.
mode() { stat -c %a "$1"; }
S="$FIX/gen/sdes-basic.pcap"
( umask 000
  "$SRTPAUDIT" analyze "$S" --show-keys -q --json "$WORK/k-analyze.json" > /dev/null
  "$SRTPAUDIT" calls "$S" --show-keys -q --json "$WORK/k-calls.json" > /dev/null
  "$SRTPAUDIT" decrypt "$S" --show-keys -q --json "$WORK/k-decrypt.json" -o "$WORK/k.pcap" > /dev/null
  "$SRTPAUDIT" analyze "$S" -q --json "$WORK/nokeys.json" > /dev/null )
expect_eq "analyze --show-keys JSON mode" "$(mode "$WORK/k-analyze.json")" 600
expect_eq "calls --show-keys JSON mode" "$(mode "$WORK/k-calls.json")" 600
expect_eq "decrypt --show-keys JSON mode" "$(mode "$WORK/k-decrypt.json")" 600
expect_eq "the keys are in it" "$(jq -r '[.streams[].keys.master_key | select(. != null)] | length > 0' "$WORK/k-analyze.json")" true
expect_eq "JSON without keys is an ordinary file" "$(mode "$WORK/nokeys.json")" 644
# An existing file given to --show-keys --json becomes private too
# (open(2) applies the mode only when it creates the file).
echo '{}' > "$WORK/pre.json"; chmod 644 "$WORK/pre.json"
"$SRTPAUDIT" analyze "$S" --show-keys -q --json "$WORK/pre.json" > /dev/null
expect_eq "an existing --show-keys JSON file is made 0600" "$(mode "$WORK/pre.json")" 600
# The replay key log (replay --keylog) is not built yet: not tested here.
finish
