/* decode.c - link, IP and transport header decoding; see decode.h. */
#include "decode.h"

#include <pcap/dlt.h>
#include <string.h>

#include "cursor.h"

#define MAX_TUNNELS 4
#define MAX_VLAN_TAGS 8
#define MAX_EXT_HEADERS 16

enum {
	ETH_IPV4 = 0x0800,
	ETH_IPV6 = 0x86dd,
	ETH_VLAN = 0x8100,  /* IEEE 802.1Q */
	ETH_QINQ = 0x88a8,  /* IEEE 802.1ad */
	ETH_QINQ_OLD = 0x9100,
};

enum {
	IPP_HOPOPTS = 0, IPP_IPIP = 4, IPP_TCP = 6, IPP_UDP = 17, IPP_IPV6 = 41,
	IPP_ROUTING = 43, IPP_FRAGMENT = 44, IPP_ESP = 50, IPP_AH = 51,
	IPP_NONE = 59, IPP_DSTOPTS = 60, IPP_MOBILITY = 135, IPP_HIP = 139,
	IPP_SHIM6 = 140,
};

static void set_result(struct decoded *out, enum decode_result r, const char *why)
{
	out->result = r;
	out->reason = why;
}

static void decode_ip(struct cursor c, bool truncated, int depth,
		      struct decoded *out);

/* UDP header, RFC 768.  c holds the IP payload as captured; truncated
 * tells whether capture cut it. */
static void decode_udp(struct cursor c, bool truncated, struct decoded *out)
{
	uint16_t sport, dport, len, sum;
	size_t avail;
	out->l4.l4_hdr = c.p;
	if (!cursor_u16be(&c, &sport) || !cursor_u16be(&c, &dport) ||
	    !cursor_u16be(&c, &len) || !cursor_u16be(&c, &sum)) {
		set_result(out, truncated ? DECODE_TRUNCATED : DECODE_MALFORMED,
			   "UDP header shorter than 8 bytes");
		return;
	}
	if (len < 8) {
		set_result(out, DECODE_MALFORMED, "UDP length field below 8");
		return;
	}
	avail = cursor_left(&c);
	if ((size_t)len - 8 > avail && !truncated) {
		set_result(out, DECODE_MALFORMED, "UDP length field exceeds the IP payload");
		return;
	}
	out->l4.tuple.proto = SA_IPPROTO_UDP;
	out->l4.tuple.src.port = sport;
	out->l4.tuple.dst.port = dport;
	out->l4.payload = c.p;
	if ((size_t)len - 8 <= avail) {
		out->l4.len = (size_t)len - 8; /* drops IP-level trailing bytes */
		out->l4.truncated = false;
	} else {
		out->l4.len = avail;
		out->l4.truncated = true;
	}
	set_result(out, DECODE_L4, NULL);
}

/* TCP header, RFC 9293 §3.1. */
static void decode_tcp(struct cursor c, bool truncated, struct decoded *out)
{
	uint16_t sport, dport, offflags;
	uint32_t seq, ack;
	size_t hlen;
	out->l4.l4_hdr = c.p;
	if (!cursor_u16be(&c, &sport) || !cursor_u16be(&c, &dport) ||
	    !cursor_u32be(&c, &seq) || !cursor_u32be(&c, &ack) ||
	    !cursor_u16be(&c, &offflags)) {
		set_result(out, truncated ? DECODE_TRUNCATED : DECODE_MALFORMED,
			   "TCP header shorter than 20 bytes");
		return;
	}
	hlen = (size_t)(offflags >> 12) * 4;
	if (hlen < 20) {
		set_result(out, DECODE_MALFORMED, "TCP data offset below 5 words");
		return;
	}
	/* 14 bytes of the fixed header are read; skip the rest and options. */
	if (!cursor_skip(&c, hlen - 14)) {
		set_result(out, truncated ? DECODE_TRUNCATED : DECODE_MALFORMED,
			   "TCP header longer than the IP payload");
		return;
	}
	out->l4.tuple.proto = SA_IPPROTO_TCP;
	out->l4.tuple.src.port = sport;
	out->l4.tuple.dst.port = dport;
	out->l4.tcp_seq = seq;
	out->l4.tcp_flags = (uint8_t)(offflags & 0xff);
	out->l4.payload = c.p;
	out->l4.len = cursor_left(&c);
	out->l4.truncated = truncated;
	set_result(out, DECODE_L4, NULL);
}

static void decode_upper(uint8_t proto, struct cursor c, bool truncated,
			 int depth, struct decoded *out)
{
	switch (proto) {
	case IPP_UDP:
		decode_udp(c, truncated, out);
		return;
	case IPP_TCP:
		decode_tcp(c, truncated, out);
		return;
	case IPP_IPIP:
	case IPP_IPV6:
		/* IP-in-IP (RFC 2003) and IPv6-in-IPv4/IPv6 (RFC 4213, RFC 2473). */
		if (depth >= MAX_TUNNELS) {
			set_result(out, DECODE_MALFORMED, "more than 4 nested IP tunnels");
			return;
		}
		out->l4.tunnels++;
		decode_ip(c, truncated, depth + 1, out);
		return;
	default:
		set_result(out, DECODE_OTHER, "IP protocol other than UDP/TCP");
		return;
	}
}

void decode_ip_payload(uint8_t proto, const struct ipaddr *src,
		       const struct ipaddr *dst, const uint8_t *data,
		       size_t len, bool truncated, struct decoded *out)
{
	out->l4.tuple.src.ip = *src;
	out->l4.tuple.dst.ip = *dst;
	out->l4.n_ip = 0;
	out->l4.l4_hdr = NULL;
	decode_upper(proto, cursor_make(data, len), truncated, 0, out);
}

/* IPv4, RFC 791 §3.1. */
static void decode_ipv4(struct cursor c, bool truncated, int depth,
			struct decoded *out)
{
	struct cursor hdr = c, opts;
	uint8_t vihl, tos, ttl, proto;
	uint16_t total, id, frag, sum;
	const uint8_t *src, *dst;
	size_t ihl, avail;
	if (!cursor_u8(&c, &vihl) || !cursor_u8(&c, &tos) ||
	    !cursor_u16be(&c, &total) || !cursor_u16be(&c, &id) ||
	    !cursor_u16be(&c, &frag) || !cursor_u8(&c, &ttl) ||
	    !cursor_u8(&c, &proto) || !cursor_u16be(&c, &sum) ||
	    !cursor_bytes(&c, 4, &src) || !cursor_bytes(&c, 4, &dst)) {
		set_result(out, truncated ? DECODE_TRUNCATED : DECODE_MALFORMED,
			   "IPv4 header shorter than 20 bytes");
		return;
	}
	ihl = (size_t)(vihl & 0x0f) * 4;
	if (ihl < 20) {
		set_result(out, DECODE_MALFORMED, "IPv4 header length below 5 words");
		return;
	}
	if (total < ihl) {
		set_result(out, DECODE_MALFORMED, "IPv4 total length below its header length");
		return;
	}
	if (!cursor_sub(&c, ihl - 20, &opts)) {
		set_result(out, truncated ? DECODE_TRUNCATED : DECODE_MALFORMED,
			   "IPv4 options longer than the packet");
		return;
	}
	avail = cursor_left(&hdr);
	if (total > avail) {
		if (!truncated) {
			set_result(out, DECODE_MALFORMED,
				   "IPv4 total length exceeds the frame");
			return;
		}
	} else {
		/* Trim link-layer padding after the datagram. */
		c.n = total - ihl;
		truncated = false;
	}
	ipaddr_set_v4(&out->l4.tuple.src.ip, src);
	ipaddr_set_v4(&out->l4.tuple.dst.ip, dst);
	/* Fragment offset in 8-byte units, MF flag (RFC 791 §3.1). */
	if ((frag & 0x3fff) != 0) {
		out->frag.src = out->l4.tuple.src.ip;
		out->frag.dst = out->l4.tuple.dst.ip;
		out->frag.id = id;
		out->frag.proto = proto;
		out->frag.offset = (uint32_t)(frag & 0x1fff) * 8;
		out->frag.more = (frag & 0x2000) != 0;
		out->frag.data = c.p;
		out->frag.len = cursor_left(&c);
		out->frag.truncated = truncated;
		set_result(out, DECODE_FRAGMENT, NULL);
		return;
	}
	decode_upper(proto, c, truncated, depth, out);
}

/* IPv6, RFC 8200 §3 and §4 (extension headers). */
static void decode_ipv6(struct cursor c, bool truncated, int depth,
			struct decoded *out)
{
	uint32_t vtcfl;
	uint16_t plen;
	uint8_t next, hlim;
	const uint8_t *src, *dst;
	int i;
	if (!cursor_u32be(&c, &vtcfl) || !cursor_u16be(&c, &plen) ||
	    !cursor_u8(&c, &next) || !cursor_u8(&c, &hlim) ||
	    !cursor_bytes(&c, 16, &src) || !cursor_bytes(&c, 16, &dst)) {
		set_result(out, truncated ? DECODE_TRUNCATED : DECODE_MALFORMED,
			   "IPv6 header shorter than 40 bytes");
		return;
	}
	if (plen > cursor_left(&c)) {
		if (!truncated) {
			set_result(out, DECODE_MALFORMED,
				   "IPv6 payload length exceeds the frame");
			return;
		}
	} else {
		c.n = plen;
		truncated = false;
	}
	ipaddr_set_v6(&out->l4.tuple.src.ip, src);
	ipaddr_set_v6(&out->l4.tuple.dst.ip, dst);
	for (i = 0; i < MAX_EXT_HEADERS; i++) {
		uint8_t nh, hl;
		switch (next) {
		case IPP_HOPOPTS:
		case IPP_ROUTING:
		case IPP_DSTOPTS:
		case IPP_MOBILITY:
		case IPP_HIP:
		case IPP_SHIM6:
			/* Generic format: next header, length in 8-byte units
			 * not counting the first 8 (RFC 8200 §4.3-4.6). */
			if (!cursor_u8(&c, &nh) || !cursor_u8(&c, &hl) ||
			    !cursor_skip(&c, (size_t)hl * 8 + 6)) {
				set_result(out, truncated ? DECODE_TRUNCATED : DECODE_MALFORMED,
					   "IPv6 extension header longer than the packet");
				return;
			}
			next = nh;
			continue;
		case IPP_AH: {
			/* AH length is in 4-byte units minus 2 (RFC 4302 §2.2). */
			if (!cursor_u8(&c, &nh) || !cursor_u8(&c, &hl) ||
			    !cursor_skip(&c, ((size_t)hl + 2) * 4 - 2)) {
				set_result(out, truncated ? DECODE_TRUNCATED : DECODE_MALFORMED,
					   "IPv6 AH header longer than the packet");
				return;
			}
			next = nh;
			continue;
		}
		case IPP_FRAGMENT: {
			/* RFC 8200 §4.5: next, reserved, offset|res|M, id. */
			uint8_t res;
			uint16_t offm;
			uint32_t id;
			if (!cursor_u8(&c, &nh) || !cursor_u8(&c, &res) ||
			    !cursor_u16be(&c, &offm) || !cursor_u32be(&c, &id)) {
				set_result(out, truncated ? DECODE_TRUNCATED : DECODE_MALFORMED,
					   "IPv6 fragment header shorter than 8 bytes");
				return;
			}
			if ((offm & 0xfff8) == 0 && (offm & 1) == 0) {
				/* Atomic fragment (RFC 6946): not really fragmented. */
				next = nh;
				continue;
			}
			out->frag.src = out->l4.tuple.src.ip;
			out->frag.dst = out->l4.tuple.dst.ip;
			out->frag.id = id;
			out->frag.proto = nh;
			out->frag.offset = (uint32_t)(offm & 0xfff8);
			out->frag.more = (offm & 1) != 0;
			out->frag.data = c.p;
			out->frag.len = cursor_left(&c);
			out->frag.truncated = truncated;
			set_result(out, DECODE_FRAGMENT, NULL);
			return;
		}
		case IPP_NONE:
			set_result(out, DECODE_OTHER, "IPv6 no next header");
			return;
		default:
			decode_upper(next, c, truncated, depth, out);
			return;
		}
	}
	set_result(out, DECODE_MALFORMED, "more than 16 IPv6 extension headers");
}

static void decode_ip(struct cursor c, bool truncated, int depth,
		      struct decoded *out)
{
	uint8_t v;
	if (out->l4.n_ip < sizeof out->l4.ip_hdr / sizeof out->l4.ip_hdr[0])
		out->l4.ip_hdr[out->l4.n_ip++] = c.p;
	if (!cursor_peek_u8(&c, &v)) {
		set_result(out, truncated ? DECODE_TRUNCATED : DECODE_MALFORMED,
			   "empty IP packet");
		return;
	}
	switch (v >> 4) {
	case 4:
		decode_ipv4(c, truncated, depth, out);
		return;
	case 6:
		decode_ipv6(c, truncated, depth, out);
		return;
	default:
		set_result(out, DECODE_MALFORMED, "IP version neither 4 nor 6");
		return;
	}
}

static void decode_ethertype(uint16_t type, struct cursor c, bool truncated,
			     struct decoded *out)
{
	switch (type) {
	case ETH_IPV4:
	case ETH_IPV6:
		decode_ip(c, truncated, 0, out);
		return;
	default:
		set_result(out, DECODE_OTHER, "link payload is not IP");
		return;
	}
}

/* Ethernet II with stacked 802.1Q/802.1ad tags. */
static void decode_ether(struct cursor c, bool truncated, struct decoded *out)
{
	uint16_t type;
	int tags = 0;
	if (!cursor_skip(&c, 12) || !cursor_u16be(&c, &type)) {
		set_result(out, truncated ? DECODE_TRUNCATED : DECODE_MALFORMED,
			   "Ethernet header shorter than 14 bytes");
		return;
	}
	while (type == ETH_VLAN || type == ETH_QINQ || type == ETH_QINQ_OLD) {
		if (++tags > MAX_VLAN_TAGS) {
			set_result(out, DECODE_MALFORMED, "more than 8 stacked VLAN tags");
			return;
		}
		if (!cursor_skip(&c, 2) || !cursor_u16be(&c, &type)) {
			set_result(out, truncated ? DECODE_TRUNCATED : DECODE_MALFORMED,
				   "VLAN tag cut short");
			return;
		}
	}
	if (type <= 1500) {
		set_result(out, DECODE_OTHER, "IEEE 802.3 length frame (LLC), not IP");
		return;
	}
	decode_ethertype(type, c, truncated, out);
}

/* Linux cooked capture v1: 16-byte header, protocol last. */
static void decode_sll(struct cursor c, bool truncated, struct decoded *out)
{
	uint16_t proto;
	if (!cursor_skip(&c, 14) || !cursor_u16be(&c, &proto)) {
		set_result(out, truncated ? DECODE_TRUNCATED : DECODE_MALFORMED,
			   "Linux cooked header shorter than 16 bytes");
		return;
	}
	decode_ethertype(proto, c, truncated, out);
}

/* Linux cooked capture v2: 20-byte header, protocol first. */
static void decode_sll2(struct cursor c, bool truncated, struct decoded *out)
{
	uint16_t proto;
	if (!cursor_u16be(&c, &proto) || !cursor_skip(&c, 18)) {
		set_result(out, truncated ? DECODE_TRUNCATED : DECODE_MALFORMED,
			   "Linux cooked v2 header shorter than 20 bytes");
		return;
	}
	decode_ethertype(proto, c, truncated, out);
}

/* BSD loopback: a 4-byte address family in the capturing host's byte order
 * (DLT_NULL) or in network order (DLT_LOOP).  AF_INET is 2 everywhere;
 * AF_INET6 is 10 (Linux), 24 (NetBSD/OpenBSD), 28 (FreeBSD), 30 (macOS). */
static void decode_null(struct cursor c, bool truncated, bool network_order,
			struct decoded *out)
{
	uint32_t af, be, le;
	struct cursor peek = c;
	if (!cursor_u32be(&peek, &be)) {
		set_result(out, truncated ? DECODE_TRUNCATED : DECODE_MALFORMED,
			   "loopback header shorter than 4 bytes");
		return;
	}
	le = ((be & 0xff) << 24) | ((be & 0xff00) << 8) |
	     ((be >> 8) & 0xff00) | (be >> 24);
	af = network_order ? be : (be < 0x10000 ? be : le);
	c = peek;
	switch (af) {
	case 2: case 10: case 24: case 28: case 30:
		decode_ip(c, truncated, 0, out);
		return;
	default:
		set_result(out, DECODE_OTHER, "loopback family is not IP");
		return;
	}
}

bool decode_link_supported(int linktype)
{
	switch (linktype) {
	case DLT_EN10MB:
	case DLT_LINUX_SLL:
#ifdef DLT_LINUX_SLL2
	case DLT_LINUX_SLL2:
#endif
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
	case DLT_NULL:
	case DLT_LOOP:
		return true;
	default:
		return false;
	}
}

void decode_frame(int linktype, const uint8_t *data, size_t caplen,
		  size_t wirelen, struct decoded *out)
{
	struct cursor c = cursor_make(data, caplen);
	bool truncated = caplen < wirelen;
	out->reason = NULL;
	out->l4.tunnels = 0;
	out->l4.truncated = false;
	out->l4.n_ip = 0;
	out->l4.l4_hdr = NULL;
	switch (linktype) {
	case DLT_EN10MB:
		decode_ether(c, truncated, out);
		return;
	case DLT_LINUX_SLL:
		decode_sll(c, truncated, out);
		return;
#ifdef DLT_LINUX_SLL2
	case DLT_LINUX_SLL2:
		decode_sll2(c, truncated, out);
		return;
#endif
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
		decode_ip(c, truncated, 0, out);
		return;
	case DLT_NULL:
		decode_null(c, truncated, false, out);
		return;
	case DLT_LOOP:
		decode_null(c, truncated, true, out);
		return;
	default:
		set_result(out, DECODE_UNKNOWN_LINK, "link type not decoded");
		return;
	}
}
