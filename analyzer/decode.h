/* decode.h - link layer, IPv4/IPv6 (extension headers, tunnels) and
 * UDP/TCP headers of one frame, decoded into plain host structs.
 *
 * Decoding never allocates and never copies: results point into the frame.
 * A frame that is an IP fragment is returned as DECODE_FRAGMENT with the
 * key and piece to hand to the reassembler (ipfrag.h); once a datagram is
 * whole, decode_ip_payload() continues with its upper-layer bytes.
 *
 * Truncation (caplen < len) is kept apart from malformation: a header cut
 * by the snap length gives DECODE_TRUNCATED; a header that violates its
 * format gives DECODE_MALFORMED with a static reason string.
 */
#ifndef SA_DECODE_H
#define SA_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netaddr.h"

enum decode_result {
	DECODE_L4,        /* UDP datagram or TCP segment: see l4 */
	DECODE_FRAGMENT,  /* an IP fragment: see frag */
	DECODE_OTHER,     /* not UDP/TCP over IP (ARP, ICMP, ESP, ...) */
	DECODE_TRUNCATED, /* cut by the snap length before the L4 header ended */
	DECODE_MALFORMED, /* violates its format: see reason */
	DECODE_UNKNOWN_LINK, /* link type this reader does not decode */
};

struct decode_l4 {
	struct five_tuple tuple;
	const uint8_t *payload;  /* UDP/TCP payload, caplen-bounded */
	size_t len;              /* bytes available in payload */
	bool truncated;          /* payload shorter than the packet said */
	uint32_t tcp_seq;
	uint8_t tcp_flags;       /* FIN 0x01 SYN 0x02 RST 0x04 PSH 0x08 ACK 0x10 */
	uint8_t tunnels;         /* IP-in-IP / IPv6-in-IPv4 layers crossed */
	/* Where the headers are in the frame, outermost IP first, for
	 * rewriting a datagram's payload (decrypt): IPv4 or IPv6 header
	 * starts and the UDP/TCP header.  Only set by decode_frame(). */
	const uint8_t *ip_hdr[5];
	uint8_t n_ip;
	const uint8_t *l4_hdr;
};

struct decode_frag {
	struct ipaddr src, dst;
	uint32_t id;             /* IPv4: 16-bit identification; IPv6: 32-bit */
	uint8_t proto;           /* upper-layer protocol of the datagram */
	uint32_t offset;         /* fragment offset in bytes */
	bool more;               /* more fragments follow */
	const uint8_t *data;     /* this fragment's bytes */
	size_t len;
	bool truncated;          /* caplen cut the fragment's bytes */
};

struct decoded {
	enum decode_result result;
	const char *reason;      /* for MALFORMED/TRUNCATED/OTHER: static text */
	struct decode_l4 l4;
	struct decode_frag frag;
};

/* decode_frame - decode a frame of the given DLT link type.  data holds
 * caplen bytes of a frame of wirelen bytes.  Always fills out->result. */
void decode_frame(int linktype, const uint8_t *data, size_t caplen,
		  size_t wirelen, struct decoded *out);

/* decode_ip_payload - continue with the upper-layer bytes of a whole IP
 * datagram (after reassembly): proto is the IP protocol number, src/dst its
 * addresses.  Handles UDP, TCP and further tunnels. */
void decode_ip_payload(uint8_t proto, const struct ipaddr *src,
		       const struct ipaddr *dst, const uint8_t *data,
		       size_t len, bool truncated, struct decoded *out);

/* decode_link_supported - whether decode_frame understands this DLT. */
bool decode_link_supported(int linktype);

#endif
