/* classify.h - which protocol a UDP payload or a TCP stream start carries,
 * for packet accounting and for routing bytes to the right parser.
 *
 * SIP is recognised by its start line (RFC 3261 §7.1, §7.2); everything
 * else on UDP by the first-byte ranges of RFC 7983 §7 as updated by
 * RFC 9443 §3, with sanity checks so that unrelated traffic on random
 * ports is not taken for media.
 */
#ifndef SA_CLASSIFY_H
#define SA_CLASSIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netaddr.h"
#include "result.h"

/* classify_sip_start - whether data begins with a SIP request line
 * ("METHOD sip:... SIP/2.0") or a status line ("SIP/2.0 200 ..."). */
bool classify_sip_start(const uint8_t *data, size_t len);

/* classify_udp - category of one UDP datagram's payload. */
enum pkt_cat classify_udp(const struct five_tuple *t, const uint8_t *data,
			  size_t len);

#endif
