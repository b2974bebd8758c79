/* framebuild.c - see framebuild.h. */
#include "framebuild.h"

#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

const uint8_t fb_v4a[4] = { 192, 0, 2, 1 }, fb_v4b[4] = { 198, 51, 100, 2 };
const uint8_t fb_v6a[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
const uint8_t fb_v6b[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };

void put(struct buf *f, const void *p, size_t n)
{
	if (n == 0)
		return;
	if (f->n + n > sizeof f->b)
		abort();
	memcpy(f->b + f->n, p, n);
	f->n += n;
}

void put8(struct buf *f, uint8_t v) { put(f, &v, 1); }

void put16(struct buf *f, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	put(f, b, 2);
}

void put32(struct buf *f, uint32_t v)
{
	put16(f, (uint16_t)(v >> 16));
	put16(f, (uint16_t)v);
}

void put_udpn(struct buf *f, uint16_t sport, uint16_t dport, const void *payload, size_t n)
{
	put16(f, sport);
	put16(f, dport);
	put16(f, (uint16_t)(8 + n));
	put16(f, 0);
	put(f, payload, n);
}

void put_udp(struct buf *f, uint16_t sport, uint16_t dport, const char *payload)
{
	put_udpn(f, sport, dport, payload, strlen(payload));
}

void put_ipv4_addrs(struct buf *f, const uint8_t src[4], const uint8_t dst[4], uint8_t proto,
		    uint16_t payload_len, uint16_t id, uint16_t frag)
{
	put8(f, 0x45);
	put8(f, 0);
	put16(f, (uint16_t)(20 + payload_len));
	put16(f, id);
	put16(f, frag);
	put8(f, 64);
	put8(f, proto);
	put16(f, 0);
	put(f, src, 4);
	put(f, dst, 4);
}

void put_ipv4(struct buf *f, uint8_t proto, uint16_t payload_len, uint16_t id, uint16_t frag)
{
	put_ipv4_addrs(f, fb_v4a, fb_v4b, proto, payload_len, id, frag);
}

void put_ipv6(struct buf *f, uint8_t next, uint16_t payload_len)
{
	put32(f, 0x60000000);
	put16(f, payload_len);
	put8(f, next);
	put8(f, 64);
	put(f, fb_v6a, 16);
	put(f, fb_v6b, 16);
}

void put_eth(struct buf *f, uint16_t type)
{
	static const uint8_t macs[12] = { 2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2 };
	put(f, macs, 12);
	put16(f, type);
}

void put_tcp(struct buf *f, uint16_t sport, uint16_t dport, uint32_t seq, uint8_t flags)
{
	put16(f, sport);
	put16(f, dport);
	put32(f, seq);
	put32(f, 0);
	put16(f, (uint16_t)((5 << 12) | flags));
	put16(f, 65535);
	put16(f, 0);
	put16(f, 0);
}

struct fb_pcap {
	pcap_t *dead;
	pcap_dumper_t *d;
};

struct fb_pcap *fb_pcap_open(const char *path, int linktype)
{
	struct fb_pcap *w = calloc(1, sizeof *w);
	if (!w)
		abort();
	w->dead = pcap_open_dead(linktype, 65535);
	w->d = pcap_dump_open(w->dead, path);
	if (!w->d)
		abort();
	return w;
}

void fb_pcap_add_cut(struct fb_pcap *w, const struct buf *f, uint32_t wirelen, uint64_t ts_us)
{
	struct pcap_pkthdr h;
	memset(&h, 0, sizeof h);
	h.ts.tv_sec = (time_t)(ts_us / 1000000);
	h.ts.tv_usec = (suseconds_t)(ts_us % 1000000);
	h.caplen = (uint32_t)f->n;
	h.len = wirelen;
	pcap_dump((u_char *)w->d, &h, f->b);
}

void fb_pcap_add(struct fb_pcap *w, const struct buf *f, uint64_t ts_us)
{
	fb_pcap_add_cut(w, f, (uint32_t)f->n, ts_us);
}

void fb_pcap_close(struct fb_pcap *w)
{
	pcap_dump_close(w->d);
	pcap_close(w->dead);
	free(w);
}
