/* netaddr.h - IP addresses, transport endpoints and 5-tuples as plain host
 * structs, with hashing and formatting.  Used by the flow table, SIP/SDP
 * binding and the reports.
 */
#ifndef SA_NETADDR_H
#define SA_NETADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

enum { SA_AF_NONE = 0, SA_AF_INET = 4, SA_AF_INET6 = 6 };

struct ipaddr {
	uint8_t family;   /* SA_AF_INET or SA_AF_INET6 */
	uint8_t a[16];    /* IPv4 in the first 4 bytes, rest zero */
};

struct endpoint {
	struct ipaddr ip;
	uint16_t port;
};

enum { SA_IPPROTO_TCP = 6, SA_IPPROTO_UDP = 17 };

struct five_tuple {
	struct endpoint src, dst;
	uint8_t proto;    /* SA_IPPROTO_UDP or SA_IPPROTO_TCP */
};

/* Longest text ipaddr_format/endpoint_format write, with NUL:
 * "[ffff:...:ffff]:65535". */
#define SA_ENDPOINT_STRLEN 56

/* ipaddr_eq / endpoint_eq - equality; inline: flows and streams compare
 * endpoints for every packet. */
static inline bool ipaddr_eq(const struct ipaddr *a, const struct ipaddr *b)
{
	return a->family == b->family && memcmp(a->a, b->a, 16) == 0;
}

static inline bool endpoint_eq(const struct endpoint *a, const struct endpoint *b)
{
	return a->port == b->port && ipaddr_eq(&a->ip, &b->ip);
}
/* ipaddr_set_v4/v6 - fill from 4 or 16 network-order bytes. */
void ipaddr_set_v4(struct ipaddr *ip, const uint8_t b[4]);
void ipaddr_set_v6(struct ipaddr *ip, const uint8_t b[16]);
/* ipaddr_parse - parse dotted IPv4 or textual IPv6 (NUL-terminated). */
bool ipaddr_parse(const char *s, struct ipaddr *ip);
/* ipaddr_format - "192.0.2.1" or "2001:db8::1"; returns buf. */
char *ipaddr_format(const struct ipaddr *ip, char *buf, size_t cap);
/* endpoint_format - "192.0.2.1:5060" or "[2001:db8::1]:5060"; returns buf. */
char *endpoint_format(const struct endpoint *ep, char *buf, size_t cap);
/* endpoint_hash - a seeded 64-bit hash of address and port (multiply and
 * xor-shift mixing over two 64-bit words; addresses are zero-padded). */
uint64_t endpoint_hash(const struct endpoint *ep, uint64_t seed);

#endif
