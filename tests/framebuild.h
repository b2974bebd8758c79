/* framebuild.h - byte-by-byte frame builders for the CUnit suites, and a
 * pcap writer for pipeline tests.  Test code only. */
#ifndef SA_FRAMEBUILD_H
#define SA_FRAMEBUILD_H

#include <stddef.h>
#include <stdint.h>

struct buf {
	uint8_t b[65600];
	size_t n;
};

extern const uint8_t fb_v4a[4], fb_v4b[4], fb_v6a[16], fb_v6b[16];

void put(struct buf *f, const void *p, size_t n);
void put8(struct buf *f, uint8_t v);
void put16(struct buf *f, uint16_t v);
void put32(struct buf *f, uint32_t v);
/* put_udp - UDP header with a length that matches payload (n bytes). */
void put_udpn(struct buf *f, uint16_t sport, uint16_t dport, const void *payload, size_t n);
void put_udp(struct buf *f, uint16_t sport, uint16_t dport, const char *payload);
/* put_ipv4 - header from fb_v4a to fb_v4b; frag = flags|offset word. */
void put_ipv4(struct buf *f, uint8_t proto, uint16_t payload_len, uint16_t id, uint16_t frag);
/* put_ipv4_addrs - the same between given addresses. */
void put_ipv4_addrs(struct buf *f, const uint8_t src[4], const uint8_t dst[4], uint8_t proto,
		    uint16_t payload_len, uint16_t id, uint16_t frag);
void put_ipv6(struct buf *f, uint8_t next, uint16_t payload_len);
void put_eth(struct buf *f, uint16_t type);
/* put_tcp - 20-byte TCP header from sport to dport. */
void put_tcp(struct buf *f, uint16_t sport, uint16_t dport, uint32_t seq, uint8_t flags);

/* A pcap file written frame by frame (libpcap pcap_dump). */
struct fb_pcap;
struct fb_pcap *fb_pcap_open(const char *path, int linktype);
void fb_pcap_add(struct fb_pcap *w, const struct buf *f, uint64_t ts_us);
/* fb_pcap_add_cut - a frame of wirelen bytes of which only f->n were kept. */
void fb_pcap_add_cut(struct fb_pcap *w, const struct buf *f, uint32_t wirelen, uint64_t ts_us);
void fb_pcap_close(struct fb_pcap *w);

#endif
