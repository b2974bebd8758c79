/* damage.c - systematically damaged captures for tests/test_malformed.sh.
 * Test code only.
 *
 *   damage corpus OUTDIR SEED NRANDOM FIXTURE...
 *       For each fixture (pcap or pcapng, read with libpcap) write damaged
 *       copies into OUTDIR and one manifest line per copy to OUTDIR/manifest:
 *         NAME KIND EXPECT FRAME FRAMES SOURCE
 *       EXPECT is M (frame FRAME must be counted as malformed), R (frame
 *       FRAME was an RTP packet of a call made malformed: everything else
 *       must be as in the undamaged run), A (only: no crash, valid report,
 *       totals right) or O (the undamaged frames rewritten, first for each
 *       fixture: the baseline of the R comparison).  FRAMES is what libpcap reads from the
 *       damaged file (-1: libpcap cannot open it).  NRANDOM is the number
 *       of random variants (bit flips, truncations) per fixture.
 *   damage synth OUTDIR
 *       Hostile captures built from nothing (fragments, DTLS, SIP, SDP);
 *       see the test script for what each must give.
 *   damage hostile OUT.pcap
 *       SIP calls whose Call-ID, From, To and SDP lines hold ESC[31m, 0x01,
 *       invalid UTF-8 (0xff 0xfe), "]]>", '"' and "</testsuite>", and a
 *       call with NUL bytes in its SDP (tests/test_safety.sh).
 *   damage count FILE
 *       Print the number of frames libpcap reads (-1 when it cannot open).
 *
 * Length fields are damaged with 0, 1, the field's maximum and the right
 * value plus one; whether that must make the frame malformed follows from
 * the decoding rules of analyzer/decode.c, dtls.c and sip.c (RFC 791,
 * 8200, 768, 9293, 6347 §4.1/§4.2.2, 3261 §18.3).
 */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "framebuild.h"

struct frame {
	struct pcap_pkthdr h;
	uint8_t *d;
};

struct capfile {
	const char *path;
	const char *base;
	int linktype;
	size_t n;
	struct frame *f;
	uint8_t *raw;
	size_t rawlen;
};

/* Where the layers of a plain (unfragmented, untunnelled, uncut) IPv4 or
 * IPv6 UDP/TCP frame are. */
struct loc {
	size_t ip;      /* IP header offset */
	int v;          /* 4 or 6 */
	size_t avail;   /* bytes from ip to the frame end */
	size_t ihl;     /* IP header length */
	size_t total;   /* IPv4 total length / 40 + IPv6 payload length */
	uint8_t proto;
	size_t l4;      /* transport header offset */
	size_t l4len;   /* IP payload length */
	size_t pay;     /* transport payload offset and length */
	size_t paylen;
};

static const char *outdir;
static FILE *manifest;
static uint64_t rng_state;

static uint64_t rng(void)
{
	/* xorshift64*: deterministic for a given seed. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ull;
}

static size_t rng_below(size_t n)
{
	return n ? (size_t)(rng() % n) : 0;
}

static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("damage: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(99);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		die("out of memory");
	return p;
}

static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t be24(const uint8_t *p) { return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2]; }
static void set16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void set24(uint8_t *p, uint32_t v) { p[0] = (uint8_t)(v >> 16); set16(p + 1, v); }

static long count_frames(const char *path)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	long n = 0;
	pcap_t *p = pcap_open_offline(path, err);
	if (!p)
		return -1;
	while (pcap_next_ex(p, &h, &d) == 1)
		n++;
	pcap_close(p);
	return n;
}

static void cap_load(struct capfile *c, const char *path)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	size_t cap = 0;
	FILE *fp;
	long sz;
	pcap_t *p;
	memset(c, 0, sizeof *c);
	c->path = path;
	c->base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	p = pcap_open_offline(path, err);
	if (!p)
		die("%s: %s", path, err);
	c->linktype = pcap_datalink(p);
	while (pcap_next_ex(p, &h, &d) == 1) {
		if (c->n == cap) {
			cap = cap ? cap * 2 : 256;
			c->f = realloc(c->f, cap * sizeof *c->f);
			if (!c->f)
				die("out of memory");
		}
		c->f[c->n].h = *h;
		c->f[c->n].d = xmalloc(h->caplen);
		memcpy(c->f[c->n].d, d, h->caplen);
		c->n++;
	}
	pcap_close(p);
	fp = fopen(path, "rb");
	if (!fp || fseek(fp, 0, SEEK_END) != 0 || (sz = ftell(fp)) < 0)
		die("%s: %s", path, strerror(errno));
	rewind(fp);
	c->rawlen = (size_t)sz;
	c->raw = xmalloc(c->rawlen);
	if (fread(c->raw, 1, c->rawlen, fp) != c->rawlen)
		die("%s: short read", path);
	fclose(fp);
}

static void cap_free(struct capfile *c)
{
	size_t i;
	for (i = 0; i < c->n; i++)
		free(c->f[i].d);
	free(c->f);
	free(c->raw);
}

static bool link_offset(int lt, const uint8_t *d, size_t n, size_t *off)
{
	size_t o;
	uint16_t type;
	switch (lt) {
	case DLT_EN10MB:
		if (n < 14)
			return false;
		o = 12;
		type = be16(d + o);
		while (type == 0x8100 || type == 0x88a8 || type == 0x9100) {
			o += 4;
			if (o + 2 > n)
				return false;
			type = be16(d + o);
		}
		o += 2;
		break;
	case DLT_LINUX_SLL:
		if (n < 16)
			return false;
		type = be16(d + 14);
		o = 16;
		break;
#ifdef DLT_LINUX_SLL2
	case DLT_LINUX_SLL2:
		if (n < 20)
			return false;
		type = be16(d);
		o = 20;
		break;
#endif
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
		*off = 0;
		return true;
	case DLT_NULL:
	case DLT_LOOP:
		*off = 4;
		return n >= 4;
	default:
		return false;
	}
	if (type != 0x0800 && type != 0x86dd)
		return false;
	*off = o;
	return true;
}

/* locate - fill l for a plain UDP/TCP frame; false for anything else. */
static bool locate(const struct capfile *c, const struct frame *f, struct loc *l)
{
	const uint8_t *d = f->d;
	size_t n = f->h.caplen;
	memset(l, 0, sizeof *l);
	if (f->h.caplen != f->h.len || !link_offset(c->linktype, d, n, &l->ip) || l->ip >= n)
		return false;
	l->avail = n - l->ip;
	d += l->ip;
	l->v = d[0] >> 4;
	if (l->v == 4) {
		if (l->avail < 20)
			return false;
		l->ihl = (size_t)(d[0] & 15) * 4;
		l->total = be16(d + 2);
		if (l->ihl < 20 || l->total < l->ihl || l->total > l->avail || (be16(d + 6) & 0x3fff))
			return false;
		l->proto = d[9];
	} else if (l->v == 6) {
		if (l->avail < 40)
			return false;
		l->ihl = 40;
		l->total = 40 + (size_t)be16(d + 4);
		if (l->total > l->avail)
			return false;
		l->proto = d[6];
	} else {
		return false;
	}
	l->l4 = l->ip + l->ihl;
	l->l4len = l->total - l->ihl;
	if (l->proto == 17) {
		size_t ulen;
		if (l->l4len < 8)
			return false;
		ulen = be16(f->d + l->l4 + 4);
		if (ulen < 8 || ulen > l->l4len)
			return false;
		l->pay = l->l4 + 8;
		l->paylen = ulen - 8;
		return true;
	}
	if (l->proto == 6) {
		size_t doff;
		if (l->l4len < 20)
			return false;
		doff = (size_t)(f->d[l->l4 + 12] >> 4) * 4;
		if (doff < 20 || doff > l->l4len)
			return false;
		l->pay = l->l4 + doff;
		l->paylen = l->l4len - doff;
		return true;
	}
	return false;
}

/* Write the capture with frame k replaced by (d, n) (k = SIZE_MAX: none). */
static void write_variant(const struct capfile *c, const char *kind, char expect,
			  size_t k, const uint8_t *d, size_t n)
{
	char name[512], path[1024];
	pcap_t *dead;
	pcap_dumper_t *w;
	size_t i;
	snprintf(name, sizeof name, "%s.%s.pcap", c->base, kind);
	snprintf(path, sizeof path, "%s/%s", outdir, name);
	dead = pcap_open_dead(c->linktype, 262144);
	w = pcap_dump_open(dead, path);
	if (!w)
		die("%s: %s", path, pcap_geterr(dead));
	for (i = 0; i < c->n; i++) {
		struct pcap_pkthdr h = c->f[i].h;
		if (i == k) {
			h.caplen = (bpf_u_int32)n;
			h.len = (bpf_u_int32)(n + (c->f[i].h.len - c->f[i].h.caplen));
			pcap_dump((u_char *)w, &h, d);
		} else {
			pcap_dump((u_char *)w, &h, c->f[i].d);
		}
	}
	pcap_dump_close(w);
	pcap_close(dead);
	fprintf(manifest, "%s\t%s\t%c\t%zu\t%ld\t%s\n", name, kind, expect,
		k == SIZE_MAX ? 0 : k + 1, count_frames(path), c->path);
}

/* Write raw bytes as the damaged file (truncations, header damage). */
static void write_raw(const struct capfile *c, const char *kind, const uint8_t *d, size_t n)
{
	char name[512], path[1024];
	FILE *fp;
	snprintf(name, sizeof name, "%s.%s", c->base, kind);
	snprintf(path, sizeof path, "%s/%s", outdir, name);
	fp = fopen(path, "wb");
	if (!fp || fwrite(d, 1, n, fp) != n || fclose(fp) != 0)
		die("%s: cannot write", path);
	fprintf(manifest, "%s\t%s\tA\t0\t%ld\t%s\n", name, kind, count_frames(path), c->path);
}

/* A frame chosen at random among those pred accepts; SIZE_MAX if none. */
typedef bool (*frame_pred)(const struct capfile *c, size_t i, const struct loc *l);

static size_t pick(const struct capfile *c, frame_pred pred, struct loc *out)
{
	size_t i, nmatch = 0, want, seen = 0;
	struct loc l;
	for (i = 0; i < c->n; i++)
		if (locate(c, &c->f[i], &l) && pred(c, i, &l))
			nmatch++;
	if (!nmatch)
		return SIZE_MAX;
	want = rng_below(nmatch);
	for (i = 0; i < c->n; i++) {
		if (locate(c, &c->f[i], &l) && pred(c, i, &l)) {
			if (seen++ == want) {
				*out = l;
				return i;
			}
		}
	}
	return SIZE_MAX;
}

static bool is_v4(const struct capfile *c, size_t i, const struct loc *l) { (void)c; (void)i; return l->v == 4; }
static bool is_v6(const struct capfile *c, size_t i, const struct loc *l) { (void)c; (void)i; return l->v == 6; }
static bool is_udp(const struct capfile *c, size_t i, const struct loc *l) { (void)c; (void)i; return l->proto == 17; }
static bool is_tcp(const struct capfile *c, size_t i, const struct loc *l) { (void)c; (void)i; return l->proto == 6; }

/* An epoch-0 DTLS handshake record first in a UDP datagram, whose first
 * handshake fragment header fits (RFC 6347 §4.1, §4.2.2). */
static bool is_dtls_hs(const struct capfile *c, size_t i, const struct loc *l)
{
	const uint8_t *p = c->f[i].d + l->pay;
	size_t rlen;
	if (l->proto != 17 || l->paylen < 25 || p[0] != 22 || p[1] != 0xfe ||
	    (p[2] != 0xff && p[2] != 0xfd) || be16(p + 3) != 0)
		return false;
	rlen = be16(p + 11);
	return rlen >= 12 && 13 + rlen <= l->paylen && 12 + be24(p + 22) <= rlen;
}

static const uint8_t *find_ci(const uint8_t *h, size_t n, const char *needle)
{
	size_t k = strlen(needle), i, j;
	for (i = 0; i + k <= n; i++) {
		for (j = 0; j < k; j++) {
			uint8_t a = h[i + j], b = (uint8_t)needle[j];
			if (a >= 'A' && a <= 'Z')
				a = (uint8_t)(a + 32);
			if (b >= 'A' && b <= 'Z')
				b = (uint8_t)(b + 32);
			if (a != b)
				break;
		}
		if (j == k)
			return h + i;
	}
	return NULL;
}

/* A UDP SIP datagram with a Content-Length header and a body. */
static bool is_sip_udp(const struct capfile *c, size_t i, const struct loc *l)
{
	const uint8_t *p = c->f[i].d + l->pay;
	const uint8_t *cl, *eoh;
	if (l->proto != 17 || l->paylen < 40)
		return false;
	if (memcmp(p, "SIP/2.0 ", 8) != 0 && memcmp(p, "INVITE ", 7) != 0 &&
	    memcmp(p, "ACK ", 4) != 0 && memcmp(p, "BYE ", 4) != 0)
		return false;
	eoh = find_ci(p, l->paylen, "\r\n\r\n");
	cl = find_ci(p, l->paylen, "\r\nContent-Length:");
	return eoh && cl && cl < eoh && (size_t)(p + l->paylen - (eoh + 4)) > 0;
}

/* RTP (RFC 3550 §5.1, RFC 7983 first byte 128..191) on non-SIP ports,
 * payload type outside the RTCP range (RFC 5761 §4). */
static bool looks_rtp(const struct capfile *c, size_t i, const struct loc *l)
{
	const uint8_t *p = c->f[i].d + l->pay;
	uint8_t pt;
	uint16_t sp, dp;
	if (l->proto != 17 || l->paylen < 20 || (p[0] & 0xc0) != 0x80)
		return false;
	pt = p[1] & 0x7f;
	sp = be16(c->f[i].d + l->l4);
	dp = be16(c->f[i].d + l->l4 + 2);
	if (sp == 5060 || dp == 5060 || sp < 1024 || dp < 1024 || (pt >= 64 && pt < 96))
		return false;
	return true;
}

/* RTP frame i has a copy (same sequence number, timestamp and SSRC)
 * within 64 frames of it: damaging it would change duplicate counts. */
static bool rtp_duplicated(const struct capfile *c, size_t i, const struct loc *l)
{
	const uint8_t *p = c->f[i].d + l->pay + 2;
	size_t j, lo = i > 64 ? i - 64 : 0, hi = i + 64 < c->n ? i + 64 : c->n;
	struct loc m;
	for (j = lo; j < hi; j++)
		if (j != i && locate(c, &c->f[j], &m) && looks_rtp(c, j, &m) &&
		    memcmp(c->f[j].d + m.pay + 2, p, 10) == 0)
			return true;
	return false;
}

/* Frames i and j are of the same UDP direction (addresses and ports). */
static bool same_dir(const struct capfile *c, size_t i, const struct loc *a, size_t j,
		     const struct loc *b)
{
	size_t ao = a->v == 4 ? 12 : 8, n = a->v == 4 ? 8 : 32;
	return a->v == b->v && b->proto == 17 &&
	       memcmp(c->f[i].d + a->ip + ao, c->f[j].d + b->ip + ao, n) == 0 &&
	       memcmp(c->f[i].d + a->l4, c->f[j].d + b->l4, 4) == 0;
}

/* RTP frame i is the first or last of its direction: damaging it would
 * move the flow's first/last frame. */
static bool rtp_edge(const struct capfile *c, size_t i, const struct loc *l)
{
	size_t j;
	bool before = false, after = false;
	struct loc m;
	for (j = 0; j < c->n && !(before && after); j++) {
		if (j == i || !locate(c, &c->f[j], &m) || !same_dir(c, i, l, j, &m))
			continue;
		if (j < i)
			before = true;
		else
			after = true;
	}
	return !(before && after);
}

/* Rebuild frame i with a new transport payload, fixing the IP and UDP
 * lengths (UDP checksum zeroed).  Returns the new length in out. */
static size_t rebuild_udp(const struct capfile *c, size_t i, const struct loc *l,
			  const uint8_t *pay, size_t paylen, uint8_t *out, size_t cap)
{
	size_t n = l->pay + paylen;
	if (n > cap || paylen + 8 + (l->v == 4 ? l->ihl : 0) > 65535)
		die("rebuilt frame too large");
	memcpy(out, c->f[i].d, l->pay);
	memcpy(out + l->pay, pay, paylen);
	if (l->v == 4) {
		set16(out + l->ip + 2, (uint32_t)(l->ihl + 8 + paylen));
		set16(out + l->ip + 10, 0);
	} else {
		set16(out + l->ip + 4, (uint32_t)(8 + paylen));
	}
	set16(out + l->l4 + 4, (uint32_t)(8 + paylen));
	set16(out + l->l4 + 6, 0);
	return n;
}

static uint8_t tmp[70000];

/* One frame damaged by setting a 16- or 24-bit / nibble field. */
static void emit_field(const struct capfile *c, size_t k, const char *kind, char expect,
		       size_t off, int width, uint32_t v)
{
	size_t n = c->f[k].h.caplen;
	memcpy(tmp, c->f[k].d, n);
	if (width == 4)
		tmp[off] = (uint8_t)((tmp[off] & 0x0f) | (v << 4));
	else if (width == -4)
		tmp[off] = (uint8_t)((tmp[off] & 0xf0) | (v & 15));
	else if (width == 16)
		set16(tmp + off, v);
	else
		set24(tmp + off, v);
	write_variant(c, kind, expect, k, tmp, n);
}

static void targeted(const struct capfile *c)
{
	struct loc l;
	size_t k;
	char kind[64];

	/* IPv4 IHL (RFC 791 §3.1): below 5 words is malformed. */
	if ((k = pick(c, is_v4, &l)) != SIZE_MAX) {
		emit_field(c, k, "v4-ihl-0", 'M', l.ip, -4, 0);
		emit_field(c, k, "v4-ihl-1", 'M', l.ip, -4, 1);
		emit_field(c, k, "v4-ihl-4", 'M', l.ip, -4, 4);
		emit_field(c, k, "v4-ihl-15", 'A', l.ip, -4, 15);
	}
	/* IPv4 total length: below IHL, or past the frame, is malformed. */
	if ((k = pick(c, is_v4, &l)) != SIZE_MAX) {
		emit_field(c, k, "v4-total-0", 'M', l.ip + 2, 16, 0);
		emit_field(c, k, "v4-total-1", 'M', l.ip + 2, 16, 1);
		emit_field(c, k, "v4-total-max", 0xffff > l.avail ? 'M' : 'A', l.ip + 2, 16, 0xffff);
		emit_field(c, k, "v4-total-max1", l.total + 1 > l.avail ? 'M' : 'A', l.ip + 2, 16,
			   (uint32_t)l.total + 1);
	}
	/* IPv6 payload length (RFC 8200 §3): 0 leaves no room for UDP/TCP. */
	if ((k = pick(c, is_v6, &l)) != SIZE_MAX) {
		emit_field(c, k, "v6-plen-0", 'M', l.ip + 4, 16, 0);
		emit_field(c, k, "v6-plen-1", 'M', l.ip + 4, 16, 1);
		emit_field(c, k, "v6-plen-max", 40 + 0xffff > l.avail ? 'M' : 'A', l.ip + 4, 16, 0xffff);
		emit_field(c, k, "v6-plen-max1", l.total + 1 > l.avail ? 'M' : 'A', l.ip + 4, 16,
			   (uint32_t)(l.total - 40 + 1));
	}
	/* UDP length (RFC 768): below 8 or past the IP payload is malformed. */
	if ((k = pick(c, is_udp, &l)) != SIZE_MAX) {
		emit_field(c, k, "udp-len-0", 'M', l.l4 + 4, 16, 0);
		emit_field(c, k, "udp-len-1", 'M', l.l4 + 4, 16, 1);
		emit_field(c, k, "udp-len-max", 0xffff > l.l4len ? 'M' : 'A', l.l4 + 4, 16, 0xffff);
		emit_field(c, k, "udp-len-max1", 8 + l.paylen + 1 > l.l4len ? 'M' : 'A', l.l4 + 4, 16,
			   (uint32_t)(8 + l.paylen + 1));
	}
	/* TCP data offset (RFC 9293 §3.1): below 5 words or past the payload. */
	if ((k = pick(c, is_tcp, &l)) != SIZE_MAX) {
		emit_field(c, k, "tcp-doff-0", 'M', l.l4 + 12, 4, 0);
		emit_field(c, k, "tcp-doff-1", 'M', l.l4 + 12, 4, 1);
		emit_field(c, k, "tcp-doff-4", 'M', l.l4 + 12, 4, 4);
		emit_field(c, k, "tcp-doff-15", 60 > l.l4len ? 'M' : 'A', l.l4 + 12, 4, 15);
	}
	/* DTLS record length (RFC 6347 §4.1) and handshake fragment fields
	 * (§4.2.2): records never span datagrams; a fragment must fit its
	 * record and its message. */
	if ((k = pick(c, is_dtls_hs, &l)) != SIZE_MAX) {
		const uint8_t *p = c->f[k].d + l.pay;
		size_t rlen = be16(p + 11), flen = be24(p + 22), hlen = be24(p + 14);
		bool last_rec = 13 + rlen == l.paylen, last_frag = 12 + flen == rlen;
		emit_field(c, k, "dtls-rlen-0", 'A', l.pay + 11, 16, 0);
		emit_field(c, k, "dtls-rlen-1", 'M', l.pay + 11, 16, 1);
		emit_field(c, k, "dtls-rlen-max", 13 + 0xffff > l.paylen ? 'M' : 'A', l.pay + 11, 16, 0xffff);
		emit_field(c, k, "dtls-rlen-max1", last_rec ? 'M' : 'A', l.pay + 11, 16, (uint32_t)rlen + 1);
		/* A message claiming 16 MB: over the reassembly cap, dropped with
		 * a warning, not malformed. */
		emit_field(c, k, "dtls-hslen-16m", 'A', l.pay + 14, 24, 0xffffff);
		emit_field(c, k, "dtls-hslen-0", flen > 0 ? 'M' : 'A', l.pay + 14, 24, 0);
		emit_field(c, k, "dtls-hslen-1", flen > 1 ? 'M' : 'A', l.pay + 14, 24, 1);
		if (hlen > 0)
			emit_field(c, k, "dtls-hslen-less1", 'M', l.pay + 14, 24, (uint32_t)flen - 1);
		emit_field(c, k, "dtls-fraglen-max", 'M', l.pay + 22, 24, 0xffffff);
		emit_field(c, k, "dtls-fraglen-max1", last_frag ? 'M' : 'A', l.pay + 22, 24,
			   (uint32_t)flen + 1);
		emit_field(c, k, "dtls-fragoff-max", 'M', l.pay + 19, 24, 0xffffff);
		emit_field(c, k, "dtls-fragoff-1", flen + 1 > hlen ? 'M' : 'A', l.pay + 19, 24, 1);
	}
	/* SIP Content-Length larger than the datagram (RFC 3261 §18.3). */
	if ((k = pick(c, is_sip_udp, &l)) != SIZE_MAX) {
		static const char *const vals[] = { "+1", "99999999", "184467440737095516170" };
		const uint8_t *p = c->f[k].d + l.pay;
		const uint8_t *cl = find_ci(p, l.paylen, "\r\nContent-Length:") + 17;
		const uint8_t *eol = find_ci(cl, (size_t)(p + l.paylen - cl), "\r\n");
		const uint8_t *eoh = find_ci(p, l.paylen, "\r\n\r\n") + 4;
		size_t body = (size_t)(p + l.paylen - eoh), j;
		static uint8_t pay[70000];
		for (j = 0; j < 3; j++) {
			char num[64];
			size_t pn = 0, nn;
			if (j == 0)
				snprintf(num, sizeof num, " %zu", body + 1);
			else
				snprintf(num, sizeof num, " %s", vals[j]);
			memcpy(pay, p, (size_t)(cl - p));
			pn = (size_t)(cl - p);
			memcpy(pay + pn, num, strlen(num));
			pn += strlen(num);
			memcpy(pay + pn, eol, (size_t)(p + l.paylen - eol));
			pn += (size_t)(p + l.paylen - eol);
			nn = rebuild_udp(c, k, &l, pay, pn, tmp, sizeof tmp);
			snprintf(kind, sizeof kind, "sip-cl-%zu", j);
			write_variant(c, kind, 'M', k, tmp, nn);
		}
		/* Thousands of headers: over SIP_MAX_HEADERS, malformed. */
		{
			const uint8_t *sl = find_ci(p, l.paylen, "\r\n") + 2;
			size_t pn = (size_t)(sl - p);
			memcpy(pay, p, pn);
			for (j = 0; j < 4000; j++) {
				memcpy(pay + pn, "X-A: b\r\n", 8);
				pn += 8;
			}
			memcpy(pay + pn, sl, (size_t)(p + l.paylen - sl));
			pn += (size_t)(p + l.paylen - sl);
			size_t nn = rebuild_udp(c, k, &l, pay, pn, tmp, sizeof tmp);
			write_variant(c, "sip-4000-headers", 'M', k, tmp, nn);
		}
	}
	/* One RTP packet of a call made malformed (UDP length 1): the rest of
	 * the report must not change.  The middle RTP frame of the capture. */
	{
		size_t i, nrtp = 0, seen = 0;
		for (i = 0; i < c->n; i++)
			if (locate(c, &c->f[i], &l) && looks_rtp(c, i, &l))
				nrtp++;
		for (i = 0; nrtp >= 10 && i < c->n; i++) {
			if (locate(c, &c->f[i], &l) && looks_rtp(c, i, &l) && seen++ >= nrtp / 2 &&
			    !rtp_duplicated(c, i, &l) && !rtp_edge(c, i, &l)) {
				emit_field(c, i, "rtp-mid", 'R', l.l4 + 4, 16, 1);
				break;
			}
		}
	}
}

/* Random damage: bit flips in frames, random length values, raw file
 * bytes, truncations (file header, record headers, frame data). */
static void random_variants(const struct capfile *c, int nrandom)
{
	char kind[64];
	int r;
	size_t i;
	uint8_t *raw = xmalloc(c->rawlen);
	bool is_pcap = c->rawlen >= 24 && (be16(c->raw) == 0xd4c3 || be16(c->raw) == 0xa1b2 ||
					   be16(c->raw) == 0x4d3c);
	bool le = is_pcap && (c->raw[0] == 0xd4 || c->raw[0] == 0x4d);
	/* Record starts of a classic pcap file. */
	size_t *rec = xmalloc((c->n + 1) * sizeof *rec), nrec = 0;
	if (is_pcap) {
		size_t o = 24;
		while (o + 16 <= c->rawlen && nrec < c->n) {
			const uint8_t *h = c->raw + o + 8;
			uint32_t caplen = le ? (uint32_t)h[0] | (uint32_t)h[1] << 8 |
				(uint32_t)h[2] << 16 | (uint32_t)h[3] << 24 :
				(uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 | (uint32_t)h[2] << 8 | h[3];
			rec[nrec++] = o;
			o += 16 + (size_t)caplen;
		}
	}
	/* Truncations: inside the file header, inside record headers, inside
	 * frames, at random offsets. */
	{
		size_t cuts[8], ncut = 0;
		cuts[ncut++] = 1 + rng_below(23);
		if (nrec) {
			size_t a = rec[rng_below(nrec)], b = rec[rng_below(nrec)];
			cuts[ncut++] = a + 1 + rng_below(15);
			cuts[ncut++] = b + 16 + 1 + rng_below(c->f[0].h.caplen ? 20 : 1);
		}
		for (r = 0; r < nrandom && ncut < 8; r++)
			cuts[ncut++] = rng_below(c->rawlen);
		for (i = 0; i < ncut; i++) {
			if (cuts[i] >= c->rawlen)
				continue;
			snprintf(kind, sizeof kind, "cut%zu", cuts[i]);
			write_raw(c, kind, c->raw, cuts[i]);
		}
	}
	for (r = 0; r < nrandom; r++) {
		/* Flip bytes of frame data in several frames. */
		struct capfile d = *c;
		size_t nf = 1 + rng_below(8), j;
		d.f = xmalloc(c->n * sizeof *d.f);
		for (i = 0; i < c->n; i++) {
			d.f[i] = c->f[i];
			d.f[i].d = xmalloc(c->f[i].h.caplen);
			memcpy(d.f[i].d, c->f[i].d, c->f[i].h.caplen);
		}
		for (j = 0; j < nf && c->n; j++) {
			struct frame *f = &d.f[rng_below(c->n)];
			size_t nb = 1 + rng_below(6), b;
			for (b = 0; b < nb && f->h.caplen; b++)
				f->d[rng_below(f->h.caplen)] ^= (uint8_t)(1u << rng_below(8));
		}
		/* Random values in IP/UDP/TCP length fields of a few frames. */
		for (j = 0; j < 3 && c->n; j++) {
			size_t k = rng_below(c->n);
			struct loc l;
			uint32_t v = (uint32_t)rng();
			if (!locate(c, &c->f[k], &l))
				continue;
			switch (rng_below(3)) {
			case 0:
				set16(d.f[k].d + l.ip + (l.v == 4 ? 2 : 4), v & 0xffff);
				break;
			case 1:
				if (l.proto == 17)
					set16(d.f[k].d + l.l4 + 4, v & 0xffff);
				else
					d.f[k].d[l.l4 + 12] = (uint8_t)v;
				break;
			default:
				if (l.v == 4)
					d.f[k].d[l.ip] = (uint8_t)(0x40 | (v & 15));
				break;
			}
		}
		snprintf(kind, sizeof kind, "flip%d", r);
		d.base = c->base;
		write_variant(&d, kind, 'A', SIZE_MAX, NULL, 0);
		for (i = 0; i < c->n; i++)
			free(d.f[i].d);
		free(d.f);
		/* Raw bytes anywhere in the file, record headers included. */
		memcpy(raw, c->raw, c->rawlen);
		for (j = 0; j < 4; j++)
			raw[rng_below(c->rawlen)] ^= (uint8_t)(1u + rng_below(255));
		snprintf(kind, sizeof kind, "raw%d", r);
		write_raw(c, kind, raw, c->rawlen);
	}
	free(rec);
	free(raw);
}

static int cmd_corpus(int argc, char **argv)
{
	char path[1024];
	int i, nrandom;
	if (argc < 5)
		die("usage: damage corpus OUTDIR SEED NRANDOM FIXTURE...");
	outdir = argv[1];
	rng_state = strtoull(argv[2], NULL, 10) | 1;
	nrandom = atoi(argv[3]);
	snprintf(path, sizeof path, "%s/manifest", outdir);
	manifest = fopen(path, "w");
	if (!manifest)
		die("%s: %s", path, strerror(errno));
	for (i = 4; i < argc; i++) {
		struct capfile c;
		cap_load(&c, argv[i]);
		/* The undamaged frames through the same writer: the baseline. */
		write_variant(&c, "orig", 'O', SIZE_MAX, NULL, 0);
		targeted(&c);
		random_variants(&c, nrandom);
		cap_free(&c);
	}
	return fclose(manifest) == 0 ? 0 : 99;
}

/* ---- synthetic hostile captures ------------------------------------ */

static struct fb_pcap *synth_open(const char *name)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", outdir, name);
	return fb_pcap_open(path, DLT_EN10MB);
}

/* One IPv4 fragment from fb_v4a to fb_v4b: UDP protocol, id, offset in
 * bytes, more-fragments flag. */
static void frag4(struct fb_pcap *w, uint16_t id, uint32_t off, bool mf,
		  const uint8_t *data, size_t n, uint64_t ts)
{
	struct buf f;
	f.n = 0;
	put_eth(&f, 0x0800);
	put_ipv4(&f, 17, (uint16_t)n, id, (uint16_t)((mf ? 0x2000 : 0) | (off / 8)));
	put(&f, data, n);
	fb_pcap_add(w, &f, ts);
}

static void udp4(struct fb_pcap *w, uint16_t sp, uint16_t dp, const void *pay, size_t n,
		 uint64_t ts)
{
	struct buf f;
	f.n = 0;
	put_eth(&f, 0x0800);
	put_ipv4(&f, 17, (uint16_t)(8 + n), 1, 0);
	put_udpn(&f, sp, dp, pay, n);
	fb_pcap_add(w, &f, ts);
}

static void tcp4(struct fb_pcap *w, uint16_t sp, uint16_t dp, uint32_t seq, uint8_t flags,
		 const void *pay, size_t n, uint64_t ts)
{
	struct buf f;
	f.n = 0;
	put_eth(&f, 0x0800);
	put_ipv4(&f, 6, (uint16_t)(20 + n), 1, 0);
	put_tcp(&f, sp, dp, seq, flags);
	put(&f, pay, n);
	fb_pcap_add(w, &f, ts);
}

static const char keepalive_sip[] =
	"OPTIONS sip:b@example.com SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-1\r\n"
	"From: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.com>\r\n"
	"Call-ID: tail@example\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n"
	"Content-Length: 0\r\n\r\n";

/* Fragments: a conflicting overlap, an identical overlap, endless
 * fragments of one datagram, and a SIP datagram after them. */
static void synth_frags(void)
{
	struct fb_pcap *w = synth_open("frag-overlap.pcap");
	uint8_t dg[1208], other[64];
	size_t i;
	uint64_t ts = 1000000;
	/* A UDP datagram of 1200 payload bytes to port 40000. */
	set16(dg, 40000);
	set16(dg + 2, 40002);
	set16(dg + 4, sizeof dg);
	set16(dg + 6, 0);
	for (i = 8; i < sizeof dg; i++)
		dg[i] = (uint8_t)i;
	memset(other, 0xee, sizeof other);
	/* id 1: identical overlap -> reassembled (3 frames, "other"). */
	frag4(w, 1, 0, true, dg, 600, ts++);
	frag4(w, 1, 592, true, dg + 592, 64, ts++);
	frag4(w, 1, 600, false, dg + 600, sizeof dg - 600, ts++);
	/* id 2: conflicting overlap -> 3 frames malformed. */
	frag4(w, 2, 0, true, dg, 600, ts++);
	frag4(w, 2, 592, true, other, 64, ts++);
	frag4(w, 2, 600, false, dg + 600, sizeof dg - 600, ts++);
	/* id 3: endless: the same 8 bytes again and again (300 frames), then
	 * fragments marching past 65535 (malformed each). */
	for (i = 0; i < 300; i++)
		frag4(w, 3, 0, true, dg, 8, ts++);
	for (i = 0; i < 100; i++)
		frag4(w, 4, (uint32_t)(65472 + 8 * (i % 8)), true, dg, 64, ts++);
	udp4(w, 5060, 5060, keepalive_sip, strlen(keepalive_sip), ts++);
	fb_pcap_close(w);
}

/* DTLS: a ClientHello whose fragments claim a 16 MB message, many times,
 * on one flow; then a SIP datagram. */
static void synth_dtls16m(void)
{
	struct fb_pcap *w = synth_open("dtls-16m.pcap");
	uint8_t rec[13 + 12 + 200];
	size_t i;
	uint64_t ts = 2000000;
	for (i = 0; i < 500; i++) {
		memset(rec, 0x41, sizeof rec);
		rec[0] = 22;
		rec[1] = 0xfe;
		rec[2] = 0xfd;
		memset(rec + 3, 0, 8);
		rec[10] = (uint8_t)i;
		rec[9] = (uint8_t)(i >> 8);
		set16(rec + 11, 12 + 200);
		rec[13] = 1;
		set24(rec + 14, 0xffffff);
		set16(rec + 17, (uint32_t)i);  /* a new message_seq each time */
		set24(rec + 19, 0);
		set24(rec + 22, 200);
		udp4(w, 50000, 50002, rec, sizeof rec, ts++);
	}
	udp4(w, 5060, 5060, keepalive_sip, strlen(keepalive_sip), ts++);
	fb_pcap_close(w);
}

static size_t sip_invite(char *out, size_t cap, const char *callid, size_t extra_hdrs,
			 size_t sdp_lines, long claim_cl)
{
	size_t n = 0, i, body_len = 0;
	char sdp_head[256];
	int k;
	k = snprintf(sdp_head, sizeof sdp_head,
		     "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n"
		     "m=audio 40000 RTP/AVP 0\r\n");
	body_len = (size_t)k + sdp_lines * 6;
	n += (size_t)snprintf(out + n, cap - n,
		"INVITE sip:b@example.com SIP/2.0\r\n"
		"Via: SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK-%s\r\n"
		"From: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.com>\r\n"
		"Call-ID: %s\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\n"
		"Content-Type: application/sdp\r\n", callid, callid);
	for (i = 0; i < extra_hdrs; i++)
		n += (size_t)snprintf(out + n, cap - n, "X-H%zu: v\r\n", i);
	n += (size_t)snprintf(out + n, cap - n, "Content-Length: %ld\r\n\r\n",
			      claim_cl >= 0 ? claim_cl : (long)body_len);
	memcpy(out + n, sdp_head, (size_t)k);
	n += (size_t)k;
	for (i = 0; i < sdp_lines; i++) {
		memcpy(out + n, "a=xy\r\n", 6);
		n += 6;
	}
	if (n > cap)
		die("sip_invite: buffer");
	return n;
}

/* A TCP stream from 192.0.2.1:port to :5060 carrying bytes in segments
 * of at most 1400 bytes; SYN first, FIN last. */
static void tcp_stream(struct fb_pcap *w, uint16_t sp, const char *data, size_t n, uint64_t *ts)
{
	uint32_t seq = 1000;
	size_t off = 0;
	tcp4(w, sp, 5060, seq, 0x02, NULL, 0, (*ts)++);
	seq++;
	while (off < n) {
		size_t m = n - off > 1400 ? 1400 : n - off;
		tcp4(w, sp, 5060, seq, 0x18, data + off, m, (*ts)++);
		seq += (uint32_t)m;
		off += m;
	}
	tcp4(w, sp, 5060, seq, 0x11, NULL, 0, (*ts)++);
}

/* SIP: SDP with 100k lines over TCP, 10k lines in one UDP datagram, a
 * Content-Length larger than the stream, 5000 headers over TCP. */
static void synth_sip(void)
{
	static char msg[1u << 20];
	struct fb_pcap *w = synth_open("sip-big.pcap");
	uint64_t ts = 3000000;
	size_t n;
	n = sip_invite(msg, sizeof msg, "sdp100k@example", 0, 100000, -1);
	tcp_stream(w, 40001, msg, n, &ts);
	n = sip_invite(msg, sizeof msg, "sdp10k@example", 0, 10000, -1);
	udp4(w, 5060, 5060, msg, n, ts++);
	n = sip_invite(msg, sizeof msg, "clbig@example", 0, 2, 60000);
	tcp_stream(w, 40002, msg, n, &ts);
	n = sip_invite(msg, sizeof msg, "hdr5000@example", 5000, 2, -1);
	tcp_stream(w, 40003, msg, n, &ts);
	udp4(w, 5060, 5060, keepalive_sip, strlen(keepalive_sip), ts++);
	fb_pcap_close(w);
}

static int cmd_synth(int argc, char **argv)
{
	if (argc != 2)
		die("usage: damage synth OUTDIR");
	outdir = argv[1];
	synth_frags();
	synth_dtls16m();
	synth_sip();
	return 0;
}

/* ---- hostile text ---------------------------------------------------- */

/* H: every kind of text a report must escape.  "%s" in the templates. */
static const char hostile_text[] = "\x1b[31mRED\x01\xff\xfe]]>\"</testsuite>&<x/>";

static size_t hostile_msg(char *out, size_t cap, const char *start, const char *callid,
			  const char *totag, int cseq, const char *method, bool with_sdp)
{
	char sdp[2048];
	int ns = 0, n;
	if (with_sdp)
		ns = snprintf(sdp, sizeof sdp,
			      "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=%s\r\nc=IN IP4 192.0.2.1\r\n"
			      "t=0 0\r\nm=audio 40000 RTP/S%sAVP 0\r\n"
			      "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s\r\n"
			      "a=setup:act%spass\r\na=fingerprint:sha-256 %s\r\n"
			      "a=%s:%s\r\n",
			      hostile_text, hostile_text, hostile_text, hostile_text,
			      hostile_text, hostile_text, hostile_text);
	n = snprintf(out, cap,
		     "%s\r\n"
		     "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-%d\r\n"
		     "From: \"%s\" <sip:%s@example.com>;tag=a1\r\n"
		     "To: \"%s\" <sip:%s@example.com>%s%s\r\n"
		     "Call-ID: %s\r\nCSeq: %d %s\r\nMax-Forwards: 70\r\n"
		     "Subject: %s\r\n"
		     "Contact: <sip:a@192.0.2.1>\r\n%s"
		     "Content-Length: %d\r\n\r\n%s",
		     start, cseq, hostile_text, hostile_text, hostile_text, hostile_text,
		     totag ? ";tag=" : "", totag ? totag : "", callid, cseq, method,
		     hostile_text, with_sdp ? "Content-Type: application/sdp\r\n" : "",
		     ns, with_sdp ? sdp : "");
	if (n < 0 || (size_t)n >= cap)
		die("hostile message too long");
	return (size_t)n;
}

static void udp_len(struct fb_pcap *w, uint16_t sp, uint16_t dp, const void *pay, size_t n,
		    uint64_t ts, bool reverse)
{
	struct buf f;
	f.n = 0;
	put_eth(&f, 0x0800);
	put8(&f, 0x45);
	put8(&f, 0);
	put16(&f, (uint16_t)(28 + n));
	put16(&f, 1);
	put16(&f, 0);
	put8(&f, 64);
	put8(&f, 17);
	put16(&f, 0);
	put(&f, reverse ? fb_v4b : fb_v4a, 4);
	put(&f, reverse ? fb_v4a : fb_v4b, 4);
	put_udpn(&f, sp, dp, pay, n);
	fb_pcap_add(w, &f, ts);
}

/* The second call: NUL bytes in its SDP (SIP lines may not hold NUL). */
static void nul_body(char *m, size_t n)
{
	char *body = strstr(m, "\r\n\r\n");
	size_t i;
	for (i = body ? (size_t)(body - m) : n; i + 3 <= n; i++)
		if (memcmp(m + i, "RED", 3) == 0)
			m[i] = '\0';
}

/* Two calls: INVITE and 200 OK with SDP, BYE.  The first holds the hostile
 * text in Call-ID, From, To, Subject and SDP; the second has a plain
 * Call-ID and NUL bytes in its SDP lines. */
/* put_with_callid - msg (n bytes) with its "@@CALLID@@" placeholder
 * replaced by the cl bytes of callid (which may hold a NUL), the SDP body
 * NUL-damaged when nulbody, written as one UDP datagram on 5060. */
static void put_with_callid(struct fb_pcap *w, const char *msg, size_t n, const char *callid,
			    size_t cl, bool nulbody, uint64_t ts, bool reply)
{
	static char m2[8192];
	const char *at = strstr(msg, "@@CALLID@@");
	size_t pre = (size_t)(at - msg), post = n - pre - 10;
	memcpy(m2, msg, pre);
	memcpy(m2 + pre, callid, cl);
	memcpy(m2 + pre + cl, at + 10, post);
	if (nulbody)
		nul_body(m2, pre + cl + post);
	udp_len(w, 5060, 5060, m2, pre + cl + post, ts, reply);
}

static int cmd_hostile(int argc, char **argv)
{
	static char msg[8192];
	char callid[256];
	struct fb_pcap *w;
	uint64_t ts = 5000000;
	size_t n;
	int call;
	if (argc != 2)
		die("usage: damage hostile OUT.pcap");
	w = fb_pcap_open(argv[1], DLT_EN10MB);
	for (call = 0; call < 2; call++) {
		size_t cl;
		if (call == 0)
			snprintf(callid, sizeof callid, "evil%s@example.com", hostile_text);
		else
			snprintf(callid, sizeof callid, "nul-in-sdp@example.com");
		cl = strlen(callid);
		/* Call-ID bytes may hold a NUL: build with a placeholder, then patch. */
		n = hostile_msg(msg, sizeof msg, "INVITE sip:b@example.com SIP/2.0", "@@CALLID@@",
				NULL, 1, "INVITE", true);
		put_with_callid(w, msg, n, callid, cl, call == 1, ts++, false);
		n = hostile_msg(msg, sizeof msg, "SIP/2.0 200 OK", "@@CALLID@@", "b2", 1,
				"INVITE", true);
		put_with_callid(w, msg, n, callid, cl, call == 1, ts++, true);
		n = hostile_msg(msg, sizeof msg, "BYE sip:a@192.0.2.1 SIP/2.0", "@@CALLID@@", "b2",
				2, "BYE", false);
		put_with_callid(w, msg, n, callid, cl, false, ts++, false);
	}
	fb_pcap_close(w);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "corpus") == 0)
		return cmd_corpus(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "synth") == 0)
		return cmd_synth(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "hostile") == 0)
		return cmd_hostile(argc - 1, argv + 1);
	if (argc == 3 && strcmp(argv[1], "count") == 0) {
		printf("%ld\n", count_frames(argv[2]));
		return 0;
	}
	die("usage: damage corpus|synth|hostile|count ...");
	return 99;
}
