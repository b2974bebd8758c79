/* rtp_media.c - RTP/RTCP building and the known G.711 signal (see
 * rtp_media.h). */
#include "rtp_media.h"

#include <string.h>

/* ITU-T G.711 mu-law: bias 132, clip 32635, 8 segments. */
static uint8_t linear_to_ulaw(int16_t s)
{
	int v = s, sign = 0, exp = 7, mant;
	if (v < 0) {
		v = -v;
		sign = 0x80;
	}
	if (v > 32635)
		v = 32635;
	v += 0x84;
	for (int mask = 0x4000; exp > 0 && !(v & mask); mask >>= 1)
		exp--;
	mant = (v >> (exp + 3)) & 0x0f;
	return (uint8_t)~(sign | (exp << 4) | mant);
}

/* ITU-T G.711 A-law on the 13-bit magnitude, even bits inverted. */
static uint8_t linear_to_alaw(int16_t s)
{
	int v = s >> 3, mask, seg = 0, a;
	if (v >= 0) {
		mask = 0xd5;
	} else {
		mask = 0x55;
		v = -v - 1;
	}
	/* segment ends 0x1f, 0x3f, ... 0xfff */
	while (seg < 8 && v > (0x20 << seg) - 1)
		seg++;
	if (seg >= 8)
		return (uint8_t)(0x7f ^ mask);
	a = seg << 4;
	a |= seg < 2 ? (v >> 1) & 0x0f : (v >> seg) & 0x0f;
	return (uint8_t)(a ^ mask);
}

uint8_t rtp_media_g711(enum rtp_codec codec, int16_t sample)
{
	return codec == RTP_CODEC_PCMA ? linear_to_alaw(sample)
				       : linear_to_ulaw(sample);
}

/* sin(x) for x in [0, pi/2] by its Taylor series (error < 1e-9). */
static double sin_quarter(double x)
{
	double x2 = x * x, term = x, sum = x;
	for (int n = 1; n <= 8; n++) {
		term = -term * x2 / (double)((2 * n) * (2 * n + 1));
		sum += term;
	}
	return sum;
}

int16_t rtp_media_tone(int direction, uint32_t k)
{
	static const double pi = 3.14159265358979323846;
	uint32_t f = direction ? 440 : 1000;
	/* Exact phase in 1/8000 turns, so samples never drift. */
	uint32_t ph = (uint32_t)(((uint64_t)f * k) % 8000u);
	double s;
	int sign = 1;
	if (ph >= 4000) {
		ph -= 4000;
		sign = -1;
	}
	if (ph > 2000)
		ph = 4000 - ph;
	s = sin_quarter(2.0 * pi * (double)ph / 8000.0);
	s *= 8000.0 * sign;
	return (int16_t)(s >= 0 ? s + 0.5 : s - 0.5);
}

void rtp_media_fill(enum rtp_codec codec, int direction, uint32_t k,
		    uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = rtp_media_g711(codec,
					rtp_media_tone(direction, k + (uint32_t)i));
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

enum sa_status rtp_media_build(const struct rtp_media_hdr *h, const uint8_t *payload,
			 size_t plen, uint8_t *buf, size_t cap, size_t *len)
{
	if (cap < RTP_HEADER_LEN || plen > cap - RTP_HEADER_LEN)
		return SA_NOMEM;
	buf[0] = 0x80; /* V=2, P=0, X=0, CC=0 (RFC 3550 §5.1) */
	buf[1] = (uint8_t)((h->marker ? 0x80 : 0) | (h->pt & 0x7f));
	put16(buf + 2, h->seq);
	put32(buf + 4, h->ts);
	put32(buf + 8, h->ssrc);
	if (plen)
		memcpy(buf + RTP_HEADER_LEN, payload, plen);
	*len = RTP_HEADER_LEN + plen;
	return SA_OK;
}

enum sa_status rtp_media_parse(const uint8_t *p, size_t n, struct rtp_media_hdr *h,
			 size_t *hdr_len)
{
	size_t hl;
	if (n < RTP_HEADER_LEN)
		return SA_TRUNCATED;
	if ((p[0] >> 6) != 2)
		return SA_MALFORMED;
	hl = RTP_HEADER_LEN + 4u * (p[0] & 0x0f); /* CSRC list, §5.1 */
	if (n < hl)
		return SA_TRUNCATED;
	if (p[0] & 0x10) { /* header extension, §5.3.1 */
		size_t words;
		if (n < hl + 4)
			return SA_TRUNCATED;
		words = (size_t)p[hl + 2] << 8 | p[hl + 3];
		hl += 4 + 4 * words;
		if (n < hl)
			return SA_TRUNCATED;
	}
	h->marker = (p[1] & 0x80) != 0;
	h->pt = p[1] & 0x7f;
	h->seq = (uint16_t)(p[2] << 8 | p[3]);
	h->ts = get32(p + 4);
	h->ssrc = get32(p + 8);
	*hdr_len = hl;
	return SA_OK;
}

enum sa_status rtp_media_rtcp_compound(uint32_t ssrc,
				   const struct rtp_media_sender_info *sender,
				   const struct rtp_media_report_block *rb,
				   const char *cname, uint8_t *buf,
				   size_t cap, size_t *len)
{
	size_t cl = strlen(cname), first, sdes, o;
	first = 8 + (sender ? 20 : 0) + (rb ? 24 : 0);
	/* SDES chunk: SSRC, CNAME item (2 + cl), END, pad to 32 bits. */
	sdes = 4 + ((4 + 2 + cl + 1 + 3) / 4) * 4;
	if (cl > 255 || cap < first + sdes)
		return SA_NOMEM;
	memset(buf, 0, first + sdes);
	/* SR (RFC 3550 §6.4.1) or RR (§6.4.2). */
	buf[0] = (uint8_t)(0x80 | (rb ? 1 : 0));
	buf[1] = sender ? 200 : 201;
	put16(buf + 2, (uint16_t)(first / 4 - 1));
	put32(buf + 4, ssrc);
	o = 8;
	if (sender) {
		put32(buf + 8, (uint32_t)(sender->ntp >> 32));
		put32(buf + 12, (uint32_t)sender->ntp);
		put32(buf + 16, sender->rtp_ts);
		put32(buf + 20, sender->packets);
		put32(buf + 24, sender->octets);
		o = 28;
	}
	if (rb) {
		put32(buf + o, rb->ssrc);
		buf[o + 4] = rb->fraction_lost;
		buf[o + 5] = (uint8_t)(rb->cumulative_lost >> 16);
		buf[o + 6] = (uint8_t)(rb->cumulative_lost >> 8);
		buf[o + 7] = (uint8_t)rb->cumulative_lost;
		put32(buf + o + 8, rb->highest_seq);
		put32(buf + o + 12, rb->jitter);
		/* LSR and DLSR stay 0: no SR received yet. */
	}
	/* SDES (RFC 3550 §6.5): one chunk with CNAME (item 1). */
	o = first;
	buf[o] = 0x81;
	buf[o + 1] = 202;
	put16(buf + o + 2, (uint16_t)(sdes / 4 - 1));
	put32(buf + o + 4, ssrc);
	buf[o + 8] = 1;
	buf[o + 9] = (uint8_t)cl;
	memcpy(buf + o + 10, cname, cl);
	/* the END item and padding are already zero */
	*len = first + sdes;
	return SA_OK;
}
