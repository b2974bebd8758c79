/* rewrite.h - replace the UDP payload of a captured frame (decrypt: SRTP
 * becomes RTP, the tag and MKI go) and fix what depends on its length:
 * every IPv4 total length and header checksum, every IPv6 payload length
 * on the way (tunnels included), the UDP length and the UDP checksum
 * (recomputed over the RFC 768 / RFC 8200 §8.1 pseudo-header; an IPv4
 * checksum of zero stays zero).
 */
#ifndef SA_REWRITE_H
#define SA_REWRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode.h"

/* rewrite_udp_payload - build in out (cap bytes) the frame data[0..caplen)
 * with l4's UDP payload replaced by pl[0..n), n no larger than the old
 * payload.  l4 must come from decode_frame() on this very data.  Returns
 * the new frame length, or 0 when the frame cannot be rewritten (truncated,
 * not UDP, no room). */
size_t rewrite_udp_payload(const uint8_t *data, size_t caplen,
			   const struct decode_l4 *l4, const uint8_t *pl, size_t n,
			   uint8_t *out, size_t cap);

#endif
