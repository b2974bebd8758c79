#!/usr/bin/env bash
# JUnit reports of the real program: `srtpaudit analyze CAPTURE --junit F`
# on every real capture in fixtures/real and on a capture whose SIP
# Call-ID and From hold "]]>", markup, quotes and bytes 0x01 and 0xff.
# Every file must validate against tests/junit.xsd with xmllint, have one
# test suite per call plus "capture", one test case per check in each call
# suite, totals that add up, and exit status 1 exactly when the report
# holds failures.  Skipped (77) when xmllint is not installed.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
XMLLINT=${XMLLINT:-$(command -v xmllint || true)}
if [ -z "$XMLLINT" ]; then
	echo "SKIP: xmllint not installed (apt-get install libxml2-utils)"
	exit 77
fi
XSD="$top_srcdir/tests/junit.xsd"
NCHECKS=$("$SRTPAUDIT" checks --json - | jq length)
xp() { "$XMLLINT" --xpath "$2" "$1" 2>/dev/null; }

# check_report NAME XML JSON STATUS - validate and cross-check one report.
check_report() {
	local name=$1 xml=$2 json=$3 st=$4 calls suites bad failures
	if "$XMLLINT" --noout --schema "$XSD" "$xml" 2> "$WORK/lint.err"; then
		pass "$name: valid against junit.xsd"
	else
		fail "$name: not valid against junit.xsd: $(head -3 "$WORK/lint.err")"
		return
	fi
	case $st in 0|1) pass "$name: exit status $st" ;; *) fail "$name: exit status $st" ;; esac
	calls=$(jq '.calls | length' "$json")
	suites=$(xp "$xml" 'count(/testsuites/testsuite)')
	expect_eq "$name: suites = calls + capture" "$suites" $((calls + 1))
	expect_eq "$name: first suite" "$(xp "$xml" 'string(/testsuites/testsuite[1]/@name)')" capture
	bad=$(xp "$xml" "count(/testsuites/testsuite[position() > 1][count(testcase) != $NCHECKS or @tests != $NCHECKS])")
	expect_eq "$name: $NCHECKS test cases in every call suite" "$bad" 0
	expect_eq "$name: root tests = test cases" "$(xp "$xml" 'string(/testsuites/@tests)')" "$(xp "$xml" 'count(//testcase)')"
	failures=$(xp "$xml" 'count(//testcase/failure)')
	expect_eq "$name: root failures = failure elements" "$(xp "$xml" 'string(/testsuites/@failures)')" "$failures"
	expect_eq "$name: root skipped = skipped elements" "$(xp "$xml" 'string(/testsuites/@skipped)')" "$(xp "$xml" 'count(//testcase/skipped)')"
	bad=$(xp "$xml" 'count(/testsuites/testsuite[@failures != count(testcase/failure) or @skipped != count(testcase/skipped) or @errors != count(testcase/error)])')
	expect_eq "$name: suite counts = their elements" "$bad" 0
	if [ "$failures" -gt 0 ]; then
		expect_eq "$name: failures <=> exit 1" "$st" 1
	else
		expect_eq "$name: no failures <=> exit 0" "$st" 0
	fi
	# The Call-IDs of the JSON report are the suite names.
	expect_eq "$name: suite names" \
		"$(xp "$xml" '/testsuites/testsuite[position() > 1]/@name' | sed 's/^ *name="call \(.*\)"$/\1/')" \
		"$(jq -r '.calls[].call_id' "$json" | sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g; s/"/\&quot;/g' |
		   perl -pe 's/([\x00-\x08\x0b\x0c\x0e-\x1f\x7f])/sprintf("\\x%02x", ord $1)/ge')"
}

n=0
for cap in "$FIX"/real/*.pcap "$FIX"/real/*.pcapng; do
	[ -f "$cap" ] || continue
	b=$(basename "$cap")
	"$SRTPAUDIT" analyze -q --junit "$WORK/$b.xml" --json "$WORK/$b.json" "$cap" > /dev/null 2>&1
	check_report "$b" "$WORK/$b.xml" "$WORK/$b.json" $?
	n=$((n + 1))
done
[ "$n" -gt 0 ] && pass "$n real captures" || fail "no captures in $FIX/real"

# --fail-on info: at least as many failures as the default, never fewer.
cap="$FIX/real/wireshark-notes_websocket-sip.pcapng"
"$SRTPAUDIT" analyze -q --fail-on info --junit "$WORK/info.xml" --json "$WORK/info.json" "$cap" > /dev/null 2>&1
check_report "--fail-on info" "$WORK/info.xml" "$WORK/info.json" $?
f_info=$(xp "$WORK/info.xml" 'count(//failure)')
f_err=$(xp "$WORK/wireshark-notes_websocket-sip.pcapng.xml" 'count(//failure)')
[ "$f_info" -ge "$f_err" ] && pass "--fail-on info: $f_info >= $f_err failures" || fail "--fail-on info: $f_info < $f_err failures"

# A hostile SIP message: one INVITE over UDP in a little-endian pcap.
# bytes HEX... - write raw bytes.
bytes() { local h; for h in "$@"; do printf "\\x$h"; done; }
u16be() { bytes "$(printf %02x $(($1 >> 8)))" "$(printf %02x $(($1 & 255)))"; }
u32le() { bytes "$(printf %02x $(($1 & 255)))" "$(printf %02x $((($1 >> 8) & 255)))" \
	"$(printf %02x $((($1 >> 16) & 255)))" "$(printf %02x $((($1 >> 24) & 255)))"; }
sip="$WORK/sip.txt"
{
	printf 'INVITE sip:bob@example.com SIP/2.0\r\n'
	printf 'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKevil\r\n'
	printf 'From: "<b>\001" <sip:x]]&\x27y@example.com>;tag=1\r\n'
	printf 'To: <sip:bob@example.com>\r\n'
	printf 'Call-ID: a]]>b\001c\377d<script>"\x27&e\r\n'
	printf 'CSeq: 1 INVITE\r\n'
	printf 'Content-Length: 0\r\n\r\n'
} > "$sip"
len=$(wc -c < "$sip")
{
	bytes d4 c3 b2 a1 02 00 04 00 00 00 00 00 00 00 00 00 ff ff 00 00 01 00 00 00
	u32le 1700000000; u32le 0; u32le $((14 + 20 + 8 + len)); u32le $((14 + 20 + 8 + len))
	bytes 02 00 00 00 00 02 02 00 00 00 00 01 08 00
	bytes 45 00; u16be $((20 + 8 + len)); bytes 00 01 40 00 40 11 00 00 0a 00 00 01 0a 00 00 02
	u16be 5060; u16be 5060; u16be $((8 + len)); bytes 00 00
	cat "$sip"
} > "$WORK/evil.pcap"
"$SRTPAUDIT" analyze -q --junit "$WORK/evil.xml" --json "$WORK/evil.json" "$WORK/evil.pcap" > /dev/null 2>&1
check_report "hostile Call-ID" "$WORK/evil.xml" "$WORK/evil.json" $?
expect_eq "hostile Call-ID: one call" "$(jq '.calls | length' "$WORK/evil.json")" 1
expect_eq "hostile Call-ID: suite name" "$(xp "$WORK/evil.xml" 'string(/testsuites/testsuite[2]/@name)')" \
	"$(printf 'call a]]>b\\x01c\357\277\275d<script>"\x27&e')"
expect_eq "hostile From" "$(xp "$WORK/evil.xml" 'string(//property[@name="from"]/@value)')" "sip:x]]&'y@example.com"
expect_eq "no raw ]]> or <script> in the file" "$(grep -c -e ']]>' -e '<script>' "$WORK/evil.xml")" 0
expect_eq "no control bytes in the file" "$(LC_ALL=C tr -d '\n\t\r' < "$WORK/evil.xml" | LC_ALL=C tr -d '\040-\176\200-\377' | wc -c)" 0
finish
