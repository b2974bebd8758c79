/* netaddr.c - see netaddr.h. */
#include "netaddr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

void ipaddr_set_v4(struct ipaddr *ip, const uint8_t b[4])
{
	memset(ip, 0, sizeof *ip);
	ip->family = SA_AF_INET;
	memcpy(ip->a, b, 4);
}

void ipaddr_set_v6(struct ipaddr *ip, const uint8_t b[16])
{
	ip->family = SA_AF_INET6;
	memcpy(ip->a, b, 16);
}

bool ipaddr_parse(const char *s, struct ipaddr *ip)
{
	uint8_t b[16];
	if (inet_pton(AF_INET, s, b) == 1) {
		ipaddr_set_v4(ip, b);
		return true;
	}
	if (inet_pton(AF_INET6, s, b) == 1) {
		ipaddr_set_v6(ip, b);
		return true;
	}
	return false;
}

char *ipaddr_format(const struct ipaddr *ip, char *buf, size_t cap)
{
	if (cap == 0)
		return buf;
	if (ip->family == SA_AF_INET) {
		if (!inet_ntop(AF_INET, ip->a, buf, (socklen_t)cap))
			buf[0] = '\0';
	} else if (ip->family == SA_AF_INET6) {
		if (!inet_ntop(AF_INET6, ip->a, buf, (socklen_t)cap))
			buf[0] = '\0';
	} else {
		snprintf(buf, cap, "?");
	}
	return buf;
}

char *endpoint_format(const struct endpoint *ep, char *buf, size_t cap)
{
	char ip[48];
	ipaddr_format(&ep->ip, ip, sizeof ip);
	if (ep->ip.family == SA_AF_INET6)
		snprintf(buf, cap, "[%s]:%u", ip, ep->port);
	else
		snprintf(buf, cap, "%s:%u", ip, ep->port);
	return buf;
}

/* Seeded, so that a capture cannot aim every flow at one bucket without
 * knowing the seed; the finaliser is the splitmix64 one. */
uint64_t endpoint_hash(const struct endpoint *ep, uint64_t seed)
{
	uint64_t a, b, h;
	memcpy(&a, ep->ip.a, 8);
	memcpy(&b, ep->ip.a + 8, 8);
	h = seed ^ (a * 0x9e3779b97f4a7c15ULL);
	h ^= (b + ((uint64_t)ep->port << 8) + ep->ip.family) * 0xc2b2ae3d27d4eb4fULL;
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return h;
}
