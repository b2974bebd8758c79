#!/bin/sh
# test_exporter_openssl.sh - cross-check the DTLS-SRTP exporter against the
# openssl command-line tools on 127.0.0.1.
#
# For each case: `openssl s_server ... -keylogfile F -keymatexport
# EXTRACTOR-dtls_srtp -msg` and `openssl s_client ... -msg` run a real DTLS
# handshake; the client random comes from the key log, the server random,
# version and cipher suite from the ServerHello bytes that -msg dumps; then
# tests/keyderive (our keylog + exporter modules) must print exactly the
# "Keying material:" hex that OpenSSL printed.  Exit 77 (skip) without
# openssl.  Servers are started here, bounded by timeouts, stopped by pid.
set -u

OPENSSL=$(command -v openssl 2>/dev/null) || { echo "SKIP: openssl not found"; exit 77; }
top_builddir=${top_builddir:-.}
KEYDERIVE="$top_builddir/tests/keyderive"
[ -x "$KEYDERIVE" ] || { echo "FAIL: $KEYDERIVE not built"; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/exporter-openssl.XXXXXX") || exit 1
server_pid=
cleanup() {
	[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

"$OPENSSL" req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$work/key.pem" -out "$work/cert.pem" -days 1 -subj /CN=srtpaudit-test \
	>/dev/null 2>&1 || { echo "FAIL: cannot make a certificate"; exit 1; }

# server_hello_field OUT - print "RANDOM VERSION SUITE" from the first
# ServerHello (handshake type 2) that -msg dumped into OUT.  Offsets: DTLS
# handshake header 12 bytes, version 2, random 32, session id (1 + n), suite 2.
server_hello_fields() {
	awk '
	/^<<< / { inmsg = 1; first = 1; next }
	/^>>> / { inmsg = 0; next }
	inmsg && /^    [0-9a-f][0-9a-f] / {
		if (first) { first = 0; if ($1 != "02" || done) { inmsg = 0; next } taking = 1 }
		if (taking) for (i = 1; i <= NF; i++) b[n++] = $i
		next
	}
	{ if (taking) { taking = 0; done = 1 } inmsg = 0 }
	END {
		if (n < 50) exit 1
		r = ""; for (i = 14; i < 46; i++) r = r b[i]
		sid = 0; for (i = 0; i < 16; i++) if (substr("0123456789abcdef", i + 1, 1) == substr(b[46], 1, 1)) sid = i * 16
		for (i = 0; i < 16; i++) if (substr("0123456789abcdef", i + 1, 1) == substr(b[46], 2, 1)) sid += i
		print r, b[12] b[13], b[47 + sid] b[48 + sid]
	}' "$1"
}

fails=0
cases=0
run_case() { # VERSION_FLAG PROFILE LENGTH CIPHER
	vflag=$1 profile=$2 len=$3 cipher=$4
	cases=$((cases + 1))
	rm -f "$work"/*.out "$work"/*.keys
	port=
	for try in 1 2 3 4 5; do
		p=$(( ( $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 20000 ) + 30000 ))
		(sleep 12 | timeout 20 "$OPENSSL" s_server "-$vflag" -accept "$p" \
			-cert "$work/cert.pem" -key "$work/key.pem" -cipher "$cipher" \
			-use_srtp "$profile" -keymatexport EXTRACTOR-dtls_srtp -keymatexportlen "$len" \
			-keylogfile "$work/server.keys" -naccept 1 >"$work/server.out" 2>&1) &
		server_pid=$!
		i=0
		while [ $i -lt 30 ] && ! grep -q ACCEPT "$work/server.out" 2>/dev/null; do
			sleep 0.1; i=$((i + 1))
		done
		if grep -q ACCEPT "$work/server.out" 2>/dev/null; then port=$p; break; fi
		kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; server_pid=
	done
	[ -n "$port" ] || { echo "FAIL: s_server did not start"; fails=$((fails + 1)); return; }
	sleep 2 | timeout 10 "$OPENSSL" s_client "-$vflag" -connect "127.0.0.1:$port" \
		-cipher "$cipher" -use_srtp "$profile" -keymatexport EXTRACTOR-dtls_srtp \
		-keymatexportlen "$len" -keylogfile "$work/client.keys" -msg \
		>"$work/client.out" 2>&1
	kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; server_pid=

	want=$(sed -n 's/^ *Keying material: *\([0-9A-F]*\).*/\1/p' "$work/client.out" | head -n 1)
	srv=$(sed -n 's/^ *Keying material: *\([0-9A-F]*\).*/\1/p' "$work/server.out" | head -n 1)
	cr=$(sed -n 's/^CLIENT_RANDOM \([0-9a-fA-F]*\) .*/\1/p' "$work/client.keys" | head -n 1)
	fields=$(server_hello_fields "$work/client.out")
	set -- $fields
	sr=${1:-} ver=${2:-} suite=${3:-}
	if [ -z "$want" ] || [ -z "$cr" ] || [ -z "$sr" ]; then
		echo "FAIL: $vflag $profile: could not read material/randoms from openssl output"
		fails=$((fails + 1)); return
	fi
	[ "$want" = "$srv" ] || { echo "FAIL: client and server material differ"; fails=$((fails + 1)); return; }
	case $profile in
	SRTP_AES128_CM_SHA1_80) pid=0x0001 ;; SRTP_AES128_CM_SHA1_32) pid=0x0002 ;;
	SRTP_AEAD_AES_128_GCM) pid=0x0007 ;; SRTP_AEAD_AES_256_GCM) pid=0x0008 ;;
	esac
	got=$("$KEYDERIVE" "$work/client.keys" "$cr" "$sr" "$pid" "0x$ver" "0x$suite")
	if [ "$got" = "$want" ]; then
		echo "PASS: $vflag $profile suite 0x$suite: $len bytes equal"
	else
		echo "FAIL: $vflag $profile suite 0x$suite"
		echo "  openssl:   $want"
		echo "  keyderive: $got"
		fails=$((fails + 1))
	fi
}

run_case dtls1_2 SRTP_AES128_CM_SHA1_80 60 'ECDHE-ECDSA-AES128-GCM-SHA256'
run_case dtls1_2 SRTP_AES128_CM_SHA1_32 60 'ECDHE-ECDSA-AES256-GCM-SHA384'
run_case dtls1_2 SRTP_AEAD_AES_128_GCM 56 'ECDHE-ECDSA-AES128-GCM-SHA256'
run_case dtls1_2 SRTP_AEAD_AES_256_GCM 88 'ECDHE-ECDSA-AES256-GCM-SHA384'
run_case dtls1 SRTP_AES128_CM_SHA1_80 60 'ECDHE-ECDSA-AES128-SHA:@SECLEVEL=0'

echo "$cases cases, $fails failed"
[ "$fails" -eq 0 ]
