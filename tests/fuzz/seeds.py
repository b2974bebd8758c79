#!/usr/bin/env python3
"""seeds.py - build the seed corpora of the fuzz harnesses (tests/fuzz/).

    tests/fuzz/seeds.py OUTDIR        (run from the top of the source tree)

Writes OUTDIR/<harness>/<name> files: small pieces cut from the fixtures
(fixtures/gen, fixtures/real) and tests/data in each harness's input layout
(see the comment at the top of each fuzz_<harness>.c).  Needs tshark and
editcap for the DTLS, certificate and pcapng pieces.  The committed
corpora in tests/fuzz/corpus/ are these seeds after a fuzzing campaign and
a minimising merge (docs/fuzzing.md); this script is how to start over.
"""
import glob
import hashlib
import os
import struct
import subprocess
import sys
import tempfile

OUT = sys.argv[1] if len(sys.argv) > 1 else "seeds"


def put(harness, name, data):
    d = os.path.join(OUT, harness)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def tshark(path, filt, fields):
    cmd = ["tshark", "-r", path, "-Y", filt, "-T", "fields", "-E", "separator=|"]
    for f in fields:
        cmd += ["-e", f]
    out = subprocess.run(cmd, capture_output=True, text=True).stdout
    return [line.split("|") for line in out.splitlines() if line.strip()]


def pcap_frames(path):
    """(linktype, [frame bytes]) of a classic pcap or a pcapng file."""
    d = open(path, "rb").read()
    magic = struct.unpack("<I", d[:4])[0]
    frames = []
    if magic == 0x0A0D0D0A:  # pcapng, little-endian files only
        off, links = 0, []
        while off + 12 <= len(d):
            bt, bl = struct.unpack("<II", d[off:off + 8])
            if bl < 12:
                break
            if bt == 1:
                links.append(struct.unpack("<H", d[off + 8:off + 10])[0])
            elif bt == 6:
                caplen = struct.unpack("<I", d[off + 20:off + 24])[0]
                frames.append(d[off + 28:off + 28 + caplen])
            off += bl
        return (links[0] if links else 1), frames
    e = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    link = struct.unpack(e + "I", d[20:24])[0] & 0xFFFF
    off = 24
    while off + 16 <= len(d):
        caplen = struct.unpack(e + "I", d[off + 8:off + 12])[0]
        frames.append(d[off + 16:off + 16 + caplen])
        off += 16 + caplen
    return link, frames


def cut_capture(src, first, last, dst):
    subprocess.run(["editcap", "-r", src, dst, "%d-%d" % (first, last)],
                   check=True, capture_output=True)


def udp_payloads(path, filt, limit):
    rows = tshark(path, filt, ["udp.srcport", "udp.payload"])
    return [(int(r[0]), bytes.fromhex(r[1])) for r in rows[:limit] if len(r) == 2 and r[1]]


def sip_messages():
    msgs = {}
    for f in sorted(glob.glob("tests/data/sip/*.txt")):
        msgs[os.path.basename(f)] = open(f, "rb").read()
    for fx in ("fixtures/gen/sdes-basic.pcap", "fixtures/gen/dtls-active.pcap",
               "fixtures/gen/dual-sdes.pcap", "fixtures/gen/sdes-mki-lifetime.pcap"):
        for i, (port, p) in enumerate(udp_payloads(fx, "sip", 6)):
            msgs["%s-%d" % (os.path.basename(fx)[:-5], i)] = p
    return msgs


def main():
    msgs = sip_messages()
    # SIP: whole messages, and a multipart body holding an SDP.
    for name, m in msgs.items():
        put("sip", name, m)
    put("sip", "multipart",
        "INVITE sip:b@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
        "Call-ID: m@h\r\nCSeq: 1 INVITE\r\nFrom: <sip:a@h>;tag=1\r\nTo: <sip:b@h>\r\n"
        "Content-Type: multipart/mixed;boundary=bb\r\nContent-Length: 88\r\n\r\n"
        "--bb\r\nContent-Type: application/sdp\r\n\r\nv=0\r\nm=audio 4000 RTP/AVP 0\r\n\r\n--bb--\r\n")
    # SIP framer: streams cut into 200-byte chunks (size byte + bytes).
    def chunked(ctl, data, size=200):
        out = bytearray([ctl])
        for i in range(0, len(data), size):
            piece = data[i:i + size]
            out.append(len(piece))
            out += piece
        return bytes(out)
    for f in sorted(glob.glob("tests/data/sip/*.bin")):
        put("sip_frame", os.path.basename(f), chunked(0, open(f, "rb").read()[:6000]))
    stream = b"".join(list(msgs.values())[:3])
    put("sip_frame", "tcp-three", chunked(0, stream, 97))
    put("sip_frame", "tcp-keepalive-gap", chunked(0, b"\r\n\r\n" + stream[:300]) + b"\xff" + chunked(0, stream)[1:])
    # SDP: the bodies of the messages and tests/data/sdp.
    sdps = {}
    for f in sorted(glob.glob("tests/data/sdp/*.sdp")):
        sdps[os.path.basename(f)] = open(f, "rb").read()
    for name, m in msgs.items():
        if b"\r\n\r\nv=0" in m:
            sdps[name] = m.split(b"\r\n\r\n", 1)[1]
    for name, s in sdps.items():
        put("sdp", name, s)
    # a=crypto values.
    seen = set()
    for s in sdps.values():
        for line in s.splitlines():
            if line.startswith(b"a=crypto:") and line not in seen:
                seen.add(line)
                put("sdes", hashlib.sha1(line).hexdigest()[:12], line[9:])
    put("sdes", "mki-lifetime",
        "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32;"
        "inline:YUJDZGVmZ2hpSktMbW9QUXJzVHVWd1l6MTIzNDU2|2^20|2:32 KDR=1 UNENCRYPTED_SRTCP")
    # DTLS: the handshake datagrams of a call, 2-byte header each.
    for fx in ("fixtures/gen/dtls-active.pcap", "fixtures/gen/dtls-cookie-frag.pcap",
               "fixtures/gen/dtls-rsa-dtls10.pcap", "fixtures/gen/f-fatal-alert.pcap",
               "fixtures/gen/dtls-rehandshake.pcap", "fixtures/gen/f-close-notify.pcap",
               "fixtures/real/ndpi_dtls_certificate_fragments.pcap"):
        dg = udp_payloads(fx, "dtls", 14)
        if not dg:
            continue
        first = dg[0][0]
        out = bytearray()
        for port, p in dg:
            out += struct.pack(">H", (0 if port == first else 0x8000) | len(p)) + p
        put("dtls", os.path.basename(fx)[:-5], bytes(out))
    # Certificates: hash selector byte + DER.
    for i, fx in enumerate(("fixtures/gen/dtls-active.pcap", "fixtures/gen/dtls-rsa-dtls10.pcap",
                            "fixtures/gen/f-weak-rsa.pcap", "fixtures/gen/f-expired-cert.pcap",
                            "fixtures/real/ndpi_dtls_certificate_fragments.pcap")):
        for row in tshark(fx, "dtls.handshake.certificate", ["dtls.handshake.certificate"])[:1]:
            der = bytes.fromhex(row[0].split(",")[0].replace(":", ""))
            put("cert", os.path.basename(fx)[:-5], bytes([i]) + der)
    # Key logs.
    for f in ("fixtures/gen/dtls-active.keys", "fixtures/gen/dtls-nomux.keys",
              "fixtures/real/wireshark-notes_webrtc-freeswitch.keylog.txt"):
        put("keylog", os.path.basename(f), open(f, "rb").read()[:4096])
    put("keylog", "mixed",
        "# comment\r\nCLIENT_RANDOM " + "ab" * 32 + " " + "cd" * 48 + "\r\n"
        "CLIENT_HANDSHAKE_TRAFFIC_SECRET " + "ab" * 32 + " " + "ef" * 32 + "\n"
        "CLIENT_RANDOM zz 00\nCLIENT_RANDOM " + "01" * 32)
    # RTP/RTCP: media datagrams, 2-byte length each; control byte variants.
    for ctl, fx in ((0x00, "fixtures/gen/sdes-basic.pcap"), (0x10, "fixtures/gen/f-plain-rtp.pcap"),
                    (0x46, "fixtures/gen/sdes-gcm.pcap"), (0x21, "fixtures/gen/sdes-mki-lifetime.pcap"),
                    (0x10, "fixtures/gen/f-seq-wrap.pcap"), (0x50, "fixtures/gen/dtls-nomux.pcap")):
        dg = udp_payloads(fx, "udp && !sip && !dtls", 24)
        out = bytearray([ctl])
        for port, p in dg:
            out += struct.pack(">H", len(p)) + p
        put("rtp", os.path.basename(fx)[:-5], bytes(out))
    put("rtp", "stun-turn", bytes([0]) + struct.pack(">H", 20) + bytes.fromhex("000100002112a442") + b"\x01" * 12 +
        struct.pack(">H", 8) + bytes.fromhex("4000000480008000"))
    # TCP: segments (fuzz_tcp.c layout) carrying a SIP stream.
    sipm = list(msgs.values())[0][:600]
    def seg(dirconn_flags, rel, payload, step=0):
        return struct.pack(">BHBB", dirconn_flags, rel, len(payload), step) + payload
    SYN, FIN, RST, ACK = 0x02 << 3, 0x01 << 3, 0x04 << 3, 0x10 << 3
    pieces = [sipm[i:i + 200] for i in range(0, len(sipm), 200)]
    s = bytearray([0]) + seg(SYN, 255, b"") + seg(1 | SYN | ACK, 255, b"")
    rel = 256
    for p in pieces:
        s += seg(ACK, rel, p)
        rel += len(p)
    s += seg(FIN | ACK, rel, b"") + seg(1 | FIN | ACK, 256, b"")
    put("tcp", "in-order", bytes(s))
    s = bytearray([4]) + seg(SYN, 255, b"")
    s += seg(ACK, 456, pieces[1]) + seg(ACK, 256, pieces[0]) + seg(ACK, 256, pieces[0]) + seg(ACK, 700, b"x" * 50, 200)
    s += seg(2 | ACK, 300, b"other connection") + seg(RST, 0, b"")
    put("tcp", "reorder-gap-timeout", bytes(s))
    # IP fragments (fuzz_ipfrag.c layout).
    def frag(b0, off, payload, step=0):
        return struct.pack(">BHHB", b0, off, len(payload), step) + payload
    body = bytes(range(256)) * 12
    f4 = bytearray([0])
    for off in range(0, len(body), 1480):
        piece = body[off:off + 1480]
        more = 4 if off + 1480 < len(body) else 0
        f4 += frag((17 << 3) | more, off, piece)
    put("ipfrag", "v4-in-order", bytes(f4))
    f6 = bytearray([4]) + frag((17 << 3) | 4 | 1, 1232, body[1232:2464]) + frag((17 << 3) | 1, 2464, body[2464:2600])
    f6 += frag((17 << 3) | 4 | 1, 0, body[:1232]) + frag(4 | 2, 0, body[:16]) + frag(4 | 2, 8, body[:16])
    f6 += frag(3, 0, b"atomic") + frag(4 | 2, 16, body[:8], 60)
    put("ipfrag", "v6-reorder-overlap-timeout", bytes(f6))
    # Short captures for the pipeline and frames for decode_frame.
    tmp = tempfile.mkdtemp()
    caps = (("fixtures/gen/sdes-basic.pcap", 14), ("fixtures/gen/dtls-active.pcap", 16),
            ("fixtures/gen/dtls-tcp-ipv6-sll.pcap", 20), ("fixtures/gen/f-plain-rtp.pcap", 12),
            ("fixtures/real/sngrep_ipv6frag.pcap", 8), ("fixtures/real/sngrep_ipip.pcap", 6),
            ("fixtures/real/wireshark-notes_websocket-sip.pcapng", 12),
            ("fixtures/real/srtp_decoder_wifi-tcp_to_3g.pcap", 8),
            ("fixtures/real/zeek_webrtc-stun.pcap", 6))
    for src, n in caps:
        dst = os.path.join(tmp, os.path.basename(src))
        cut_capture(src, 1, n, dst)
        put("pipeline", os.path.basename(src), open(dst, "rb").read()[:8192])
        link, frames = pcap_frames(src)
        for i in (0, 1, n - 1):
            if i < len(frames):
                put("decode", "%s-%d" % (os.path.basename(src), i),
                    struct.pack(">HB", link, 0) + frames[i][:1600])
    # A pcapng with its key log in a Decryption Secrets Block: the pipeline
    # then decrypts DTLS-SRTP; the DSB reader gets the same file.
    for n, harness in ((18, "pipeline"), (2, "pcapng_dsb")):
        cut = os.path.join(tmp, "cut.pcap")
        cut_capture("fixtures/gen/dtls-active.pcap", 1, n, cut)
        dsb = os.path.join(tmp, "dsb.pcapng")
        subprocess.run(["editcap", "--inject-secrets", "tls,fixtures/gen/dtls-active.keys",
                        cut, dsb], check=True, capture_output=True)
        put(harness, "dtls-active-dsb.pcapng", open(dsb, "rb").read())
    put("pcapng_dsb", "plain.pcap", open("fixtures/gen/f-both-clients.pcap", "rb").read()[:600])
    # --srtp-key values.
    for i, v in enumerate((
            "AES_CM_128_HMAC_SHA1_80:inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^31|1:4@192.0.2.1:4000-198.51.100.2:5000",
            "SRTP_AEAD_AES_128_GCM:0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b@[2001:db8::1]:4000",
            "AES_256_CM_HMAC_SHA1_32:" + "00" * 46 + "@ssrc=0x1234abcd",
            "aes_cm_128_hmac_sha1_32:YUJDZGVmZ2hpSktMbW9QUXJzVHVWd1l6MTIzNDU2@ssrc=42",
            "F8_128_HMAC_SHA1_80:inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR")):
        put("srtpkey", "spec-%d" % i, v)


if __name__ == "__main__":
    main()
