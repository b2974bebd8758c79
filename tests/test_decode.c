/* test_decode.c - CUnit suite for decode.h: link types, VLAN stacks, IPv6
 * extension header chains, tunnels, fragments, truncation, malformation.
 * Frames are built byte by byte here. */
#include <CUnit/CUnit.h>
#include <pcap/dlt.h>
#include <string.h>

#include "decode.h"
#include "framebuild.h"
#include "rewrite.h"

static void assert_udp_payload(const struct decoded *d, const char *payload,
			       uint16_t sport, uint16_t dport)
{
	CU_ASSERT_EQUAL_FATAL(d->result, DECODE_L4);
	CU_ASSERT_EQUAL(d->l4.tuple.proto, SA_IPPROTO_UDP);
	CU_ASSERT_EQUAL(d->l4.tuple.src.port, sport);
	CU_ASSERT_EQUAL(d->l4.tuple.dst.port, dport);
	CU_ASSERT_EQUAL_FATAL(d->l4.len, strlen(payload));
	CU_ASSERT_EQUAL(memcmp(d->l4.payload, payload, d->l4.len), 0);
	CU_ASSERT_FALSE(d->l4.truncated);
}

static void test_ethernet_ipv4_udp_with_padding(void)
{
	struct buf f = { .n = 0 };
	struct decoded d;
	put_eth(&f, 0x0800);
	put_ipv4(&f, 17, 8 + 4, 1, 0);
	put_udp(&f, 5060, 5062, "ping");
	put(&f, "\0\0\0\0\0\0", 6); /* Ethernet padding beyond the datagram */
	decode_frame(DLT_EN10MB, f.b, f.n, f.n, &d);
	assert_udp_payload(&d, "ping", 5060, 5062);
	CU_ASSERT_EQUAL(d.l4.tuple.src.ip.family, SA_AF_INET);
	CU_ASSERT_EQUAL(memcmp(d.l4.tuple.src.ip.a, fb_v4a, 4), 0);
}

static void test_vlan_stack(void)
{
	struct buf f = { .n = 0 };
	struct decoded d;
	put_eth(&f, 0x88a8);      /* 802.1ad outer tag */
	put16(&f, 100);
	put16(&f, 0x8100);        /* 802.1Q inner tag */
	put16(&f, 200);
	put16(&f, 0x86dd);
	put_ipv6(&f, 17, 8 + 3);
	put_udp(&f, 1000, 2000, "abc");
	decode_frame(DLT_EN10MB, f.b, f.n, f.n, &d);
	assert_udp_payload(&d, "abc", 1000, 2000);
	CU_ASSERT_EQUAL(d.l4.tuple.dst.ip.family, SA_AF_INET6);
}

static void test_linux_cooked_v1_v2(void)
{
	struct buf f = { .n = 0 };
	struct decoded d;
	static const uint8_t sll[14] = { 0, 0, 0, 1, 0, 6 };
	put(&f, sll, 14);
	put16(&f, 0x0800);
	put_ipv4(&f, 17, 8 + 2, 7, 0);
	put_udp(&f, 1, 2, "v1");
	decode_frame(DLT_LINUX_SLL, f.b, f.n, f.n, &d);
	assert_udp_payload(&d, "v1", 1, 2);

	f.n = 0;
	put16(&f, 0x86dd);        /* SLL2: protocol first */
	put16(&f, 0);
	put32(&f, 3);             /* ifindex */
	put16(&f, 1);             /* ARPHRD */
	put8(&f, 0);
	put8(&f, 6);
	put(&f, sll, 8);
	put_ipv6(&f, 17, 8 + 2);
	put_udp(&f, 3, 4, "v2");
	decode_frame(DLT_LINUX_SLL2, f.b, f.n, f.n, &d);
	assert_udp_payload(&d, "v2", 3, 4);
}

static void test_raw_and_loopback(void)
{
	struct buf f = { .n = 0 };
	struct decoded d;
	put_ipv4(&f, 17, 8 + 3, 9, 0);
	put_udp(&f, 10, 20, "raw");
	decode_frame(DLT_RAW, f.b, f.n, f.n, &d);
	assert_udp_payload(&d, "raw", 10, 20);
	decode_frame(DLT_IPV4, f.b, f.n, f.n, &d);
	assert_udp_payload(&d, "raw", 10, 20);

	/* DLT_NULL: family in the capturing host's byte order; macOS AF_INET6
	 * = 30, written little-endian. */
	f.n = 0;
	put32(&f, 0x1e000000);
	put_ipv6(&f, 17, 8 + 4);
	put_udp(&f, 11, 22, "null");
	decode_frame(DLT_NULL, f.b, f.n, f.n, &d);
	assert_udp_payload(&d, "null", 11, 22);
	/* The same family big-endian (captured on a big-endian host). */
	f.b[0] = 0; f.b[3] = 30;
	decode_frame(DLT_NULL, f.b, f.n, f.n, &d);
	assert_udp_payload(&d, "null", 11, 22);
	/* DLT_LOOP: network order AF_INET. */
	f.n = 0;
	put32(&f, 2);
	put_ipv4(&f, 17, 8 + 4, 1, 0);
	put_udp(&f, 5, 6, "loop");
	decode_frame(DLT_LOOP, f.b, f.n, f.n, &d);
	assert_udp_payload(&d, "loop", 5, 6);
}

static void test_ipv6_extension_chain(void)
{
	struct buf f = { .n = 0 };
	struct decoded d;
	/* hop-by-hop (8 bytes) -> routing (16 bytes) -> dest opts (8) -> UDP */
	put_ipv6(&f, 0, 8 + 16 + 8 + 8 + 3);
	put8(&f, 43); put8(&f, 0); put(&f, "\1\4\0\0\0\0", 6);
	put8(&f, 60); put8(&f, 1); put(&f, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 14);
	put8(&f, 17); put8(&f, 0); put(&f, "\1\4\0\0\0\0", 6);
	put_udp(&f, 7, 8, "ext");
	decode_frame(DLT_RAW, f.b, f.n, f.n, &d);
	assert_udp_payload(&d, "ext", 7, 8);

	/* A routing header whose length runs past the packet is malformed. */
	f.n = 0;
	put_ipv6(&f, 43, 8);
	put8(&f, 17); put8(&f, 4); put(&f, "\0\0\0\0\0\0", 6);
	decode_frame(DLT_RAW, f.b, f.n, f.n, &d);
	CU_ASSERT_EQUAL(d.result, DECODE_MALFORMED);
}

static void test_fragments_reported(void)
{
	struct buf f = { .n = 0 };
	struct decoded d;
	/* IPv4 first fragment: MF set, offset 0. */
	put_ipv4(&f, 17, 16, 0x1234, 0x2000);
	put(&f, "0123456789abcdef", 16);
	decode_frame(DLT_RAW, f.b, f.n, f.n, &d);
	CU_ASSERT_EQUAL_FATAL(d.result, DECODE_FRAGMENT);
	CU_ASSERT_EQUAL(d.frag.id, 0x1234);
	CU_ASSERT_EQUAL(d.frag.offset, 0);
	CU_ASSERT_TRUE(d.frag.more);
	CU_ASSERT_EQUAL(d.frag.len, 16);
	CU_ASSERT_EQUAL(d.frag.proto, 17);

	/* IPv6 fragment header: offset 16 bytes (2 units), last, id 0xdeadbeef. */
	f.n = 0;
	put_ipv6(&f, 44, 8 + 4);
	put8(&f, 17); put8(&f, 0); put16(&f, 16); put32(&f, 0xdeadbeef);
	put(&f, "tail", 4);
	decode_frame(DLT_RAW, f.b, f.n, f.n, &d);
	CU_ASSERT_EQUAL_FATAL(d.result, DECODE_FRAGMENT);
	CU_ASSERT_EQUAL(d.frag.id, 0xdeadbeef);
	CU_ASSERT_EQUAL(d.frag.offset, 16);
	CU_ASSERT_FALSE(d.frag.more);
	CU_ASSERT_EQUAL(d.frag.len, 4);
}

static void test_tunnels(void)
{
	struct buf f = { .n = 0 };
	struct decoded d;
	/* IPv4 carrying IPv6 (protocol 41) carrying UDP. */
	put_ipv4(&f, 41, 40 + 8 + 2, 5, 0);
	put_ipv6(&f, 17, 8 + 2);
	put_udp(&f, 100, 200, "6i");
	decode_frame(DLT_RAW, f.b, f.n, f.n, &d);
	assert_udp_payload(&d, "6i", 100, 200);
	CU_ASSERT_EQUAL(d.l4.tunnels, 1);
	CU_ASSERT_EQUAL(d.l4.tuple.src.ip.family, SA_AF_INET6); /* inner addresses */
}

static void test_tcp_header(void)
{
	struct buf f = { .n = 0 };
	struct decoded d;
	put_ipv4(&f, 6, 24 + 3, 1, 0);
	put16(&f, 40000); put16(&f, 5060);
	put32(&f, 0xfffffff0); put32(&f, 0);
	put16(&f, (6 << 12) | 0x18); /* data offset 6 words, PSH|ACK */
	put16(&f, 1000); put16(&f, 0); put16(&f, 0);
	put32(&f, 0x01010101);       /* 4 bytes of options */
	put(&f, "SIP", 3);
	decode_frame(DLT_RAW, f.b, f.n, f.n, &d);
	CU_ASSERT_EQUAL_FATAL(d.result, DECODE_L4);
	CU_ASSERT_EQUAL(d.l4.tuple.proto, SA_IPPROTO_TCP);
	CU_ASSERT_EQUAL(d.l4.tcp_seq, 0xfffffff0);
	CU_ASSERT_EQUAL(d.l4.tcp_flags, 0x18);
	CU_ASSERT_EQUAL(d.l4.len, 3);
	CU_ASSERT_EQUAL(memcmp(d.l4.payload, "SIP", 3), 0);
}

static void test_truncated_vs_malformed(void)
{
	struct buf f = { .n = 0 };
	struct decoded d;
	put_eth(&f, 0x0800);
	put_ipv4(&f, 17, 8 + 100, 1, 0);
	put16(&f, 1); put16(&f, 2); put16(&f, 8 + 100); put16(&f, 0);
	put(&f, "only-part", 9);
	/* caplen < len: the snap length cut it; the UDP payload is partial. */
	decode_frame(DLT_EN10MB, f.b, f.n, f.n + 91, &d);
	CU_ASSERT_EQUAL_FATAL(d.result, DECODE_L4);
	CU_ASSERT_TRUE(d.l4.truncated);
	CU_ASSERT_EQUAL(d.l4.len, strlen("only-part"));
	/* Cut inside the IPv4 header: truncated, not malformed. */
	decode_frame(DLT_EN10MB, f.b, 14 + 10, f.n + 91, &d);
	CU_ASSERT_EQUAL(d.result, DECODE_TRUNCATED);
	/* The same length claim without truncation is malformed. */
	decode_frame(DLT_EN10MB, f.b, f.n, f.n, &d);
	CU_ASSERT_EQUAL(d.result, DECODE_MALFORMED);
	CU_ASSERT_PTR_NOT_NULL(d.reason);
	/* UDP length below 8. */
	f.n = 0;
	put_ipv4(&f, 17, 8, 1, 0);
	put16(&f, 1); put16(&f, 2); put16(&f, 4); put16(&f, 0);
	decode_frame(DLT_RAW, f.b, f.n, f.n, &d);
	CU_ASSERT_EQUAL(d.result, DECODE_MALFORMED);
	/* IP version 5. */
	f.b[0] = 0x55;
	decode_frame(DLT_RAW, f.b, f.n, f.n, &d);
	CU_ASSERT_EQUAL(d.result, DECODE_MALFORMED);
	/* Empty frame. */
	decode_frame(DLT_EN10MB, f.b, 0, 0, &d);
	CU_ASSERT_EQUAL(d.result, DECODE_MALFORMED);
}

static void test_other_and_unknown(void)
{
	struct buf f = { .n = 0 };
	struct decoded d;
	put_eth(&f, 0x0806); /* ARP */
	put(&f, "\0\1\10\0\6\4\0\1", 8);
	decode_frame(DLT_EN10MB, f.b, f.n, f.n, &d);
	CU_ASSERT_EQUAL(d.result, DECODE_OTHER);
	f.n = 0;
	put_ipv4(&f, 1, 8, 1, 0); /* ICMP */
	put(&f, "\10\0\0\0\0\0\0\0", 8);
	decode_frame(DLT_RAW, f.b, f.n, f.n, &d);
	CU_ASSERT_EQUAL(d.result, DECODE_OTHER);
	decode_frame(147 /* DLT_USER0 */, f.b, f.n, f.n, &d);
	CU_ASSERT_EQUAL(d.result, DECODE_UNKNOWN_LINK);
	CU_ASSERT_FALSE(decode_link_supported(147));
	CU_ASSERT_TRUE(decode_link_supported(DLT_LINUX_SLL));
}

/* RFC 1071 the slow way, 16 bits at a time: the oracle for rewrite.c. */
static uint16_t oracle_sum(const uint8_t *p, size_t n, uint32_t acc)
{
	size_t i;
	for (i = 0; i < n; i++)
		acc += i % 2 ? p[i] : (uint32_t)p[i] << 8;
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)acc;
}

/* The UDP checksum of a rewritten frame, checked by the oracle over the
 * pseudo-header: the ones' complement sum of everything is 0xffff. */
static uint16_t udp_check(const uint8_t *ip, bool v6, const uint8_t *udp)
{
	uint16_t ulen = (uint16_t)(udp[4] << 8 | udp[5]);
	uint8_t ph[40];
	size_t n;
	if (v6) {
		memcpy(ph, ip + 8, 32);
		memset(ph + 32, 0, 8);
		ph[34] = (uint8_t)(ulen >> 8);
		ph[35] = (uint8_t)ulen;
		ph[39] = 17;
		n = 40;
	} else {
		memcpy(ph, ip + 12, 8);
		ph[8] = 0;
		ph[9] = 17;
		ph[10] = (uint8_t)(ulen >> 8);
		ph[11] = (uint8_t)ulen;
		n = 12;
	}
	return oracle_sum(udp, ulen, oracle_sum(ph, n, 0));
}

static void test_rewrite_checksums(void)
{
	size_t len, cut;
	uint32_t seed = 7;
	int v6;
	for (v6 = 0; v6 < 2; v6++) {
		for (len = 24; len < 240; len += 13) {
			for (cut = 0; cut < 12; cut += 3) {
				struct buf f = { .n = 0 };
				struct decoded d;
				uint8_t pl[256], np[256], out[1024];
				size_t i, n, ipoff = 14;
				for (i = 0; i < len; i++) {
					seed = seed * 1103515245u + 12345u;
					pl[i] = (uint8_t)(seed >> 16);
					np[i] = (uint8_t)(seed >> 8);
				}
				put_eth(&f, v6 ? 0x86dd : 0x0800);
				if (v6)
					put_ipv6(&f, 17, (uint16_t)(8 + len));
				else
					put_ipv4(&f, 17, (uint16_t)(8 + len), 9, 0);
				put_udpn(&f, 40000, 50000, pl, len);
				f.b[f.n - len - 2] = 0x12; /* some non-zero checksum */
				decode_frame(DLT_EN10MB, f.b, f.n, f.n, &d);
				CU_ASSERT_EQUAL_FATAL(d.result, DECODE_L4);
				n = rewrite_udp_payload(f.b, f.n, &d.l4, np, len - cut, out, sizeof out);
				CU_ASSERT_EQUAL_FATAL(n, f.n - cut);
				CU_ASSERT_EQUAL(memcmp(out + f.n - len, np, len - cut), 0);
				CU_ASSERT_EQUAL(udp_check(out + ipoff, v6, out + ipoff + (v6 ? 40 : 20)),
						0xffff);
				if (!v6)
					CU_ASSERT_EQUAL(oracle_sum(out + ipoff, 20, 0), 0xffff);
			}
		}
	}
}

static const CU_TestInfo tests[] = {
	{ "Ethernet/IPv4/UDP, padding trimmed", test_ethernet_ipv4_udp_with_padding },
	{ "802.1ad + 802.1Q stack", test_vlan_stack },
	{ "Linux cooked v1 and v2", test_linux_cooked_v1_v2 },
	{ "raw IP, NULL both byte orders, LOOP", test_raw_and_loopback },
	{ "IPv6 extension header chain", test_ipv6_extension_chain },
	{ "IPv4 and IPv6 fragments", test_fragments_reported },
	{ "IPv6-in-IPv4 tunnel", test_tunnels },
	{ "TCP header with options", test_tcp_header },
	{ "truncated versus malformed", test_truncated_vs_malformed },
	{ "non-IP, ICMP, unknown link", test_other_and_unknown },
	{ "rewritten UDP: lengths and checksums (RFC 1071 oracle)", test_rewrite_checksums },
	CU_TEST_INFO_NULL,
};
#define SUITE_NAME "decode"
#include "cu_main.h"
