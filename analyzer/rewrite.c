/* rewrite.c - see rewrite.h. */
#include "rewrite.h"

#include <string.h>

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static void wr16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }

/* sum16 - acc plus the 16-bit words of p (RFC 1071), an odd last octet
 * padded with zero.  Taken 32 bits at a time: 2^16 = 1 modulo 2^16 - 1,
 * so the folded sum is the same. */
static uint32_t sum16(const uint8_t *p, size_t n, uint32_t acc)
{
	uint64_t s = acc;
	size_t i = 0;
	for (; i + 4 <= n; i += 4)
		s += (uint32_t)p[i] << 24 | (uint32_t)p[i + 1] << 16 | (uint32_t)p[i + 2] << 8 | p[i + 3];
	for (; i + 1 < n; i += 2)
		s += rd16(p + i);
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	while (s >> 32)
		s = (s & 0xffffffffu) + (s >> 32);
	return (uint32_t)s;
}

static uint16_t fold(uint32_t acc)
{
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)~acc;
}

size_t rewrite_udp_payload(const uint8_t *data, size_t caplen,
			   const struct decode_l4 *l4, const uint8_t *pl, size_t n,
			   uint8_t *out, size_t cap)
{
	size_t pre, old, post, delta, total, i, udp_off;
	uint8_t *udp, *inner = NULL;
	uint32_t acc;
	if (!l4->l4_hdr || l4->truncated || l4->tuple.proto != SA_IPPROTO_UDP ||
	    l4->n_ip == 0 || l4->payload < data || n > l4->len)
		return 0;
	pre = (size_t)(l4->payload - data);
	old = l4->len;
	if (pre + old > caplen)
		return 0;
	post = caplen - pre - old;
	delta = old - n;
	total = pre + n + post;
	if (total > cap)
		return 0;
	memcpy(out, data, pre);
	memcpy(out + pre, pl, n);
	memcpy(out + pre + n, data + pre + old, post);
	/* IP headers, outermost first: every length shrinks by delta. */
	for (i = 0; i < l4->n_ip; i++) {
		size_t off = (size_t)(l4->ip_hdr[i] - data);
		uint8_t *ip = out + off;
		if ((ip[0] >> 4) == 4) {
			size_t ihl = (size_t)(ip[0] & 15) * 4;
			wr16(ip + 2, (uint16_t)(rd16(ip + 2) - delta));
			wr16(ip + 10, 0);
			wr16(ip + 10, fold(sum16(ip, ihl, 0)));
		} else {
			wr16(ip + 4, (uint16_t)(rd16(ip + 4) - delta));
		}
		inner = ip;
	}
	udp_off = (size_t)(l4->l4_hdr - data);
	udp = out + udp_off;
	wr16(udp + 4, (uint16_t)(rd16(udp + 4) - delta));
	if (!inner || ((inner[0] >> 4) == 4 && rd16(udp + 6) == 0))
		return total; /* IPv4 without a UDP checksum stays so */
	wr16(udp + 6, 0);
	/* Pseudo-header: addresses, protocol, UDP length. */
	if ((inner[0] >> 4) == 4)
		acc = sum16(inner + 12, 8, 0);
	else
		acc = sum16(inner + 8, 32, 0);
	acc += 17 + rd16(udp + 4);
	acc = sum16(udp, (size_t)rd16(udp + 4), acc);
	{
		uint16_t c = fold(acc);
		wr16(udp + 6, c ? c : 0xffff); /* RFC 768: 0 is sent as all ones */
	}
	return total;
}
