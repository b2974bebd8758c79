#!/usr/bin/env bash
# replay_pacing.sh - pacing benchmark of `srtpaudit replay` (issue 8), not a
# timed test: a 60-second plain-RTP call replayed on loopback by srtpaudit
# (UAC, against srtpaudit as UAS) and, side by side, the same caller media
# played by SIPp's pcap_play (<exec play_pcap_audio>) against `sipp -sn uas`.
# Both runs are captured on lo with tcpdump; the send-time error of packet
# i is (t_i - t_0) - (c_i - c_0), t the live capture time, c the original
# capture time.  Prints a table of p50/p99/max per tool (plus srtpaudit's
# own pacing_accuracy from its JSON).  Needs root (tcpdump on lo), sipp,
# python3; an idle machine gives meaningful numbers.
#   usage: bench/replay_pacing.sh [BUILD_DIR]   (default: the current dir)
set -u
B=$(cd "${1:-.}" && pwd)
SA="$B/srtpaudit"; GEN="$B/fixtures/srtpaudit-gen"
W=$(mktemp -d /tmp/replay-pacing.XXXXXX)
trap 'rm -rf "$W"' EXIT
for t in tcpdump sipp python3; do
	command -v "$t" > /dev/null || { echo "replay_pacing: $t not installed: skipped"; exit 0; }
done
[ "$(id -u)" = 0 ] || { echo "replay_pacing: needs root for tcpdump on lo: skipped"; exit 0; }
REPEAT=${REPEAT:-6}     # 6 x 10 s = 60 s

# 1. A 10-s plain-RTP call from the generator, its RTP repeated to 60 s
#    (sequence numbers and timestamps continued, the BYE moved to the end).
"$GEN" --scenario legacy-avp-none --duration 10000 --rtcp rr -o "$W/short.pcap" > /dev/null
python3 - "$W/short.pcap" "$W/long.pcap" "$REPEAT" <<'EOF'
import struct, sys
src, dst, k = sys.argv[1], sys.argv[2], int(sys.argv[3])
d = open(src, 'rb').read()
hdr, off, recs = d[:24], 24, []
le = d[:4] == b'\xd4\xc3\xb2\xa1'
e = '<' if le else '>'
while off + 16 <= len(d):
    s, us, il, ol = struct.unpack(e + 'IIII', d[off:off + 16])
    recs.append([s * 1000000 + us, bytearray(d[off + 16:off + 16 + il]), ol])
    off += 16 + il
def rtp(p):
    if len(p) < 14 + 20 + 8 + 12 or p[12:14] != b'\x08\x00' or p[23] != 17:
        return None
    u = 14 + (p[14] & 15) * 4 + 8
    return u if p[u] >> 6 == 2 and (p[u + 1] & 0x7f) < 72 else None
idx = [i for i, r in enumerate(recs) if rtp(r[1]) is not None]
first, last = idx[0], idx[-1]
span = recs[last][0] - recs[first][0] + 20000
stat = {}
for i in idx:
    p = recs[i][1]; u = rtp(p)
    ssrc = bytes(p[u + 8:u + 12])
    seq, ts = struct.unpack('>HI', p[u + 2:u + 8])
    st = stat.setdefault(ssrc, [0, ts, ts])
    st[0] += 1; st[2] = ts
out = [r for r in recs[:first] if rtp(r[1]) is None]
for j in range(k):
    for i in idx:
        t, p, ol = recs[i]; p = bytearray(p); u = rtp(p)
        st = stat[bytes(p[u + 8:u + 12])]
        seq, ts = struct.unpack('>HI', p[u + 2:u + 8])
        p[u + 2:u + 8] = struct.pack('>HI', (seq + j * st[0]) & 0xffff,
                                     (ts + j * (st[2] - st[1] + 160)) & 0xffffffff)
        p[u - 2:u] = b'\0\0'   # UDP checksum: none (IPv4)
        out.append([t + j * span, p, len(p)])
out += [[r[0] + (k - 1) * span, r[1], r[2]] for r in recs[last + 1:] if rtp(r[1]) is None]
with open(dst, 'wb') as f:
    f.write(hdr)
    for t, p, ol in out:
        f.write(struct.pack(e + 'IIII', t // 1000000, t % 1000000, len(p), len(p)) + p)
EOF
[ -s "$W/long.pcap" ] || { echo "replay_pacing: cannot build the 60-s call"; exit 1; }
CALLER_PORT=$("$SA" analyze "$W/long.pcap" --json - 2>/dev/null |
	python3 -c 'import json,sys; j=json.load(sys.stdin); print([s for s in j["streams"] if s["kind"]=="rtp" and s["sender"]=="caller"][0]["src"].rsplit(":",1)[1])')
tcpdump -r "$W/long.pcap" -w "$W/caller_rtp.pcap" "udp src port $CALLER_PORT" 2> /dev/null
NPKT=$(tcpdump -r "$W/caller_rtp.pcap" 2>/dev/null | wc -l)
echo "replay_pacing: $NPKT caller RTP packets over $((REPEAT * 10)) s"

# send_errors CAPTURE UDP-SRC-PORT - p50 p99 max (ms) of the send-time
# error of the RTP sent from that port against caller_rtp.pcap's timing.
send_errors() {
	# RTP only: RTCP (PT 200-204, e.g. our SRs) would shift the pairing.
	tcpdump -r "$1" -w "$W/sel.pcap" "udp src port $2 and (udp[9] & 0x7f) < 72" 2> /dev/null
	python3 - "$W/caller_rtp.pcap" "$W/sel.pcap" <<'EOF'
import struct, sys
def times(fn):
    d = open(fn, 'rb').read(); e = '<' if d[:4] in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1') else '>'
    nano = d[:4] in (b'\x4d\x3c\xb2\xa1', b'\xa1\xb2\x3c\x4d')
    off, t = 24, []
    while off + 16 <= len(d):
        s, f, il, _ = struct.unpack(e + 'IIII', d[off:off + 16])
        t.append(s + f / (1e9 if nano else 1e6)); off += 16 + il
    return t
c, l = times(sys.argv[1]), times(sys.argv[2])
n = min(len(c), len(l))
if n < 2:
    print("n/a n/a n/a 0"); sys.exit()
err = sorted(((l[i] - l[0]) - (c[i] - c[0])) * 1000 for i in range(n))
pick = lambda p: err[min(n - 1, max(0, int(p * n + 0.999999) - 1))]
print("%.3f %.3f %.3f %d" % (pick(.5), pick(.99), err[-1], n))
EOF
}

# 2. srtpaudit replay: UAC against srtpaudit UAS, plain RTP.
tcpdump -i lo --immediate-mode -U -s 128 -w "$W/sa.pcap" udp and host 127.0.0.1 2> /dev/null &
TD=$!
sleep 1
"$SA" replay "$W/long.pcap" --as uas --target 127.0.0.1 --port-file "$W/uas.port" \
	--srtp-method none --max-duration 90 -q --json "$W/sa-uas.json" &
UAS=$!
for i in $(seq 50); do [ -s "$W/uas.port" ] && break; sleep 0.1; done
"$SA" replay "$W/long.pcap" --target "127.0.0.1:$(cat "$W/uas.port")" --srtp-method none \
	--max-duration 90 -q --json "$W/sa.json"
wait "$UAS"
sleep 0.5
kill "$TD"; wait "$TD" 2> /dev/null
SA_PORT=$(jq -r .replay.local_media "$W/sa.json" | sed 's/.*://')
read -r SA50 SA99 SAMAX SAN <<< "$(send_errors "$W/sa.pcap" "$SA_PORT")"
J50=$(jq .pacing.p50_ms "$W/sa.json"); J99=$(jq .pacing.p99_ms "$W/sa.json"); JMAX=$(jq .pacing.max_ms "$W/sa.json")

# 3. SIPp: a UAC scenario playing the same caller RTP with play_pcap_audio
#    against sipp -sn uas.
P=$((20000 + RANDOM % 20000))
cat > "$W/uac_pcap.xml" <<EOF
<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="uac pcap_play">
  <send retrans="500"><![CDATA[
INVITE sip:service@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[call_number]
To: <sip:service@[remote_ip]:[remote_port]>
Call-ID: [call_id]
CSeq: 1 INVITE
Contact: sip:sipp@[local_ip]:[local_port]
Max-Forwards: 70
Content-Type: application/sdp
Content-Length: [len]

v=0
o=user1 53655765 2353687637 IN IP[local_ip_type] [local_ip]
s=-
c=IN IP[media_ip_type] [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 0
a=rtpmap:0 PCMU/8000

]]></send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="200" rtd="true"/>
  <send><![CDATA[
ACK sip:service@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[call_number]
To: <sip:service@[remote_ip]:[remote_port]>[peer_tag_param]
Call-ID: [call_id]
CSeq: 1 ACK
Contact: sip:sipp@[local_ip]:[local_port]
Max-Forwards: 70
Content-Length: 0

]]></send>
  <nop><action><exec play_pcap_audio="$W/caller_rtp.pcap"/></action></nop>
  <pause milliseconds="$((REPEAT * 10000 + 1000))"/>
  <send retrans="500"><![CDATA[
BYE sip:service@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[call_number]
To: <sip:service@[remote_ip]:[remote_port]>[peer_tag_param]
Call-ID: [call_id]
CSeq: 2 BYE
Contact: sip:sipp@[local_ip]:[local_port]
Max-Forwards: 70
Content-Length: 0

]]></send>
  <recv response="200" crlf="true"/>
</scenario>
EOF
tcpdump -i lo --immediate-mode -U -s 128 -w "$W/sipp.pcap" udp and host 127.0.0.1 2> /dev/null &
TD=$!
sleep 1
(cd "$W" && exec timeout 90 sipp -sn uas -i 127.0.0.1 -p "$P" -mi 127.0.0.1 -mp $((P + 2)) \
	-m 1 -nostdin > /dev/null 2>&1) &
SU=$!
sleep 0.5
(cd "$W" && timeout 90 sipp -sf uac_pcap.xml -i 127.0.0.1 -p $((P + 10)) -mi 127.0.0.1 -mp $((P + 12)) \
	-m 1 -nostdin "127.0.0.1:$P" > /dev/null 2>&1)
wait "$SU"
sleep 0.5
kill "$TD"; wait "$TD" 2> /dev/null
# pcap_play sends from the caller's captured source port (SIPp keeps it
# unless told otherwise); take the RTP flow to the UAS's media port.
tcpdump -r "$W/sipp.pcap" -w "$W/sipp-rtp.pcap" "udp dst port $((P + 2))" 2> /dev/null
SPORT=$(tcpdump -nr "$W/sipp-rtp.pcap" 2>/dev/null | head -1 | sed -n 's/.* IP [0-9.]*\.\([0-9]*\) > .*/\1/p')
read -r SP50 SP99 SPMAX SPN <<< "$(send_errors "$W/sipp-rtp.pcap" "${SPORT:-0}")"

printf '\nsend-time error against the capture, %s s of caller RTP (%s packets), loopback\n' \
	"$((REPEAT * 10))" "$NPKT"
printf '%-40s %8s %10s %10s %10s\n' tool packets "p50 ms" "p99 ms" "max ms"
printf '%-40s %8s %10s %10s %10s\n' "srtpaudit replay (tcpdump on lo)" "$SAN" "$SA50" "$SA99" "$SAMAX"
printf '%-40s %8s %10s %10s %10s\n' "srtpaudit replay (its pacing_accuracy)" \
	"$(jq .media.sent_rtp "$W/sa.json")" "$J50" "$J99" "$JMAX"
printf '%-40s %8s %10s %10s %10s\n' "sipp pcap_play (tcpdump on lo)" "$SPN" "$SP50" "$SP99" "$SPMAX"
