/* gen_flood.c - a capture that pushes every table to its cap, for
 * tests/test_limits.sh.  Test code only.
 *
 *   gen_flood OUT.pcap [FLOWS [FRAGS [DIALOGS [TCP]]]]
 *
 * Writes, in this order and all within a few seconds of capture time (so
 * nothing times out and the caps, not the timeouts, bound memory):
 *  - FLOWS (default 100000) UDP datagrams, each on its own 5-tuple
 *    (10.x.y.z:20000 -> 198.51.100.2:30000), 32 bytes of zeros: "other";
 *  - FRAGS (default 50000) first fragments of IPv4 datagrams that never
 *    complete (MF set, offset 0, distinct source/id);
 *  - DIALOGS (default 20000) SIP INVITEs over UDP with an SDP offer, each
 *    its own Call-ID and media port;
 *  - TCP (default 0) SYN segments, each opening its own connection to
 *    port 5060 (10.x.y.z:40000 -> 198.51.100.2:5060).
 * Prints the frame count of each part: "FLOWS FRAGS DIALOGS TCP".
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "framebuild.h"

/* An IPv4 header (RFC 791 §3.1) from 10.a.b.c to 198.51.100.2. */
static void ipv4_from(struct buf *f, uint32_t src_host, uint8_t proto, uint16_t payload_len,
		      uint16_t id, uint16_t frag)
{
	const uint8_t src[4] = { 10, (uint8_t)(src_host >> 16), (uint8_t)(src_host >> 8),
				 (uint8_t)src_host };
	put_ipv4_addrs(f, src, fb_v4b, proto, payload_len, id, frag);
}

int main(int argc, char **argv)
{
	unsigned long nflows = 100000, nfrags = 50000, ndialogs = 20000, ntcp = 0, i;
	static const uint8_t zeros[32];
	uint64_t ts = 1700000000ull * 1000000;
	struct fb_pcap *w;
	struct buf f;
	if (argc < 2 || argc > 6) {
		fprintf(stderr, "usage: gen_flood OUT.pcap [FLOWS [FRAGS [DIALOGS [TCP]]]]\n");
		return 2;
	}
	if (argc > 2)
		nflows = strtoul(argv[2], NULL, 10);
	if (argc > 3)
		nfrags = strtoul(argv[3], NULL, 10);
	if (argc > 4)
		ndialogs = strtoul(argv[4], NULL, 10);
	if (argc > 5)
		ntcp = strtoul(argv[5], NULL, 10);
	w = fb_pcap_open(argv[1], DLT_EN10MB);
	for (i = 0; i < nflows; i++) {
		f.n = 0;
		put_eth(&f, 0x0800);
		ipv4_from(&f, (uint32_t)(i + 1), 17, 8 + sizeof zeros, 1, 0);
		put_udpn(&f, 20000, 30000, zeros, sizeof zeros);
		fb_pcap_add(w, &f, ts + i * 10);
	}
	ts += nflows * 10;
	for (i = 0; i < nfrags; i++) {
		/* First 8 bytes of a UDP datagram that claims 1008 bytes. */
		f.n = 0;
		put_eth(&f, 0x0800);
		ipv4_from(&f, (uint32_t)(0x800000 + i / 1000), 17, 16, (uint16_t)(i % 1000), 0x2000);
		put16(&f, 20000);
		put16(&f, 30000);
		put16(&f, 1008);
		put16(&f, 0);
		put(&f, zeros, 8);
		fb_pcap_add(w, &f, ts + i * 10);
	}
	ts += nfrags * 10;
	for (i = 0; i < ndialogs; i++) {
		char sdp[512], msg[2048];
		int ns, nm;
		ns = snprintf(sdp, sizeof sdp,
			      "v=0\r\no=- %lu 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\n"
			      "t=0 0\r\nm=audio %lu RTP/SAVP 0\r\n"
			      "a=crypto:1 AES_CM_128_HMAC_SHA1_80 "
			      "inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\r\n",
			      i, 10000 + 2 * (i % 25000));
		nm = snprintf(msg, sizeof msg,
			      "INVITE sip:b@example.com SIP/2.0\r\n"
			      "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-%lu\r\n"
			      "From: <sip:a@example.com>;tag=a%lu\r\nTo: <sip:b@example.com>\r\n"
			      "Call-ID: flood-%lu@example.com\r\nCSeq: 1 INVITE\r\n"
			      "Max-Forwards: 70\r\nContact: <sip:a@192.0.2.1>\r\n"
			      "Content-Type: application/sdp\r\nContent-Length: %d\r\n\r\n%s",
			      i, i, i, ns, sdp);
		f.n = 0;
		put_eth(&f, 0x0800);
		put_ipv4(&f, 17, (uint16_t)(8 + nm), 1, 0);
		put_udpn(&f, 5060, 5060, msg, (size_t)nm);
		fb_pcap_add(w, &f, ts + i * 10);
	}
	ts += ndialogs * 10;
	for (i = 0; i < ntcp; i++) {
		f.n = 0;
		put_eth(&f, 0x0800);
		ipv4_from(&f, (uint32_t)(0x400000 + i), 6, 20, 1, 0);
		put_tcp(&f, 40000, 5060, 1000, 0x02);
		fb_pcap_add(w, &f, ts + i * 10);
	}
	fb_pcap_close(w);
	printf("%lu %lu %lu %lu\n", nflows, nfrags, ndialogs, ntcp);
	return 0;
}
