/* netaddr.c - see netaddr.h. */
#include "netaddr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

bool ipaddr_eq(const struct ipaddr *a, const struct ipaddr *b)
{
	return a->family == b->family && memcmp(a->a, b->a, 16) == 0;
}

bool endpoint_eq(const struct endpoint *a, const struct endpoint *b)
{
	return a->port == b->port && ipaddr_eq(&a->ip, &b->ip);
}

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

/* 64-bit FNV-1a over the address bytes and port, seeded per table so that a
 * capture cannot aim every flow at one bucket without knowing the seed. */
uint64_t endpoint_hash(const struct endpoint *ep, uint64_t seed)
{
	uint64_t h = 1469598103934665603ULL ^ seed;
	size_t i, n = ep->ip.family == SA_AF_INET ? 4 : 16;
	for (i = 0; i < n; i++) {
		h ^= ep->ip.a[i];
		h *= 1099511628211ULL;
	}
	h ^= ep->port & 0xff;
	h *= 1099511628211ULL;
	h ^= ep->port >> 8;
	h *= 1099511628211ULL;
	return h;
}
