/* turn.c - see turn.h. */
#include "turn.h"

#include <stdlib.h>
#include <string.h>

#include "cursor.h"

#define STUN_COOKIE 0x2112a442u

enum {
	ATTR_CHANNEL_NUMBER = 0x000c,    /* RFC 8656 §18.1 */
	ATTR_XOR_PEER_ADDRESS = 0x0012,  /* §18.3 */
	ATTR_DATA = 0x0013,              /* §18.4 */
};

/* XOR-PEER-ADDRESS (RFC 8489 §14.2 encoding): family, port and address
 * XORed with the magic cookie (and the transaction ID for IPv6). */
static bool xor_address(struct cursor v, const uint8_t tid[12], struct endpoint *ep)
{
	uint8_t res, fam, a[16];
	uint16_t xport;
	size_t i;
	if (!cursor_u8(&v, &res) || !cursor_u8(&v, &fam) || !cursor_u16be(&v, &xport))
		return false;
	memset(ep, 0, sizeof *ep);
	ep->port = xport ^ (uint16_t)(STUN_COOKIE >> 16);
	if (fam == 0x01) {
		if (!cursor_copy(&v, a, 4))
			return false;
		for (i = 0; i < 4; i++)
			a[i] ^= (uint8_t)(STUN_COOKIE >> (24 - 8 * i));
		ipaddr_set_v4(&ep->ip, a);
		return true;
	}
	if (fam == 0x02) {
		if (!cursor_copy(&v, a, 16))
			return false;
		for (i = 0; i < 4; i++)
			a[i] ^= (uint8_t)(STUN_COOKIE >> (24 - 8 * i));
		for (i = 4; i < 16; i++)
			a[i] ^= tid[i - 4];
		ipaddr_set_v6(&ep->ip, a);
		return true;
	}
	return false;
}

static bool parse_stun(const uint8_t *p, size_t n, struct turn_msg *out)
{
	struct cursor c = cursor_make(p, n), body;
	uint16_t type, len;
	uint32_t cookie;
	const uint8_t *tid;
	if (!cursor_u16be(&c, &type) || !cursor_u16be(&c, &len) ||
	    !cursor_u32be(&c, &cookie) || !cursor_bytes(&c, 12, &tid) ||
	    cookie != STUN_COOKIE || (len & 3) || !cursor_sub(&c, len, &body))
		return false;
	/* RFC 8489 §5: method and class interleaved in the type. */
	switch (type) {
	case 0x0016: out->kind = TURN_SEND; break;
	case 0x0017: out->kind = TURN_DATA; break;
	case 0x0009: out->kind = TURN_CHANNEL_BIND; break;
	default: return false;
	}
	while (!cursor_empty(&body)) {
		uint16_t at, alen;
		struct cursor v;
		if (!cursor_u16be(&body, &at) || !cursor_u16be(&body, &alen) ||
		    !cursor_sub(&body, alen, &v))
			return false;
		/* Attributes are padded to 4 octets (§14). */
		if (alen & 3 && !cursor_skip(&body, 4 - (alen & 3)))
			return false;
		switch (at) {
		case ATTR_XOR_PEER_ADDRESS:
			if (!out->has_peer)
				out->has_peer = xor_address(v, tid, &out->peer);
			break;
		case ATTR_DATA:
			out->data = v.p;
			out->len = v.n;
			break;
		case ATTR_CHANNEL_NUMBER: {
			uint16_t ch;
			if (cursor_u16be(&v, &ch))
				out->channel = ch;
			break;
		}
		default:
			break;
		}
	}
	if (out->kind == TURN_CHANNEL_BIND)
		return out->has_peer && out->channel >= 0x4000 && out->channel <= 0x7fff;
	return out->has_peer && out->data;
}

bool turn_parse(const uint8_t *p, size_t n, struct turn_msg *out)
{
	memset(out, 0, sizeof *out);
	if (n >= 4 && p[0] >= 0x40 && p[0] <= 0x4f) {
		/* ChannelData (RFC 8656 §12.4): channel (0x4000-0x4FFF, §12),
		 * length, data. */
		struct cursor c = cursor_make(p, n);
		uint16_t ch, len;
		if (!cursor_u16be(&c, &ch) || !cursor_u16be(&c, &len) || len > cursor_left(&c))
			return false;
		out->kind = TURN_CHANNEL_DATA;
		out->channel = ch;
		out->data = c.p;
		out->len = len;
		return true;
	}
	if (n >= 20 && (p[0] & 0xc0) == 0)
		return parse_stun(p, n, out);
	return false;
}

size_t turn_stream_frame(const uint8_t *p, size_t n)
{
	size_t len;
	if (n < 4)
		return 0;
	len = (size_t)p[2] << 8 | p[3];
	if (p[0] >= 0x40 && p[0] <= 0x4f)
		return 4 + ((len + 3) & ~(size_t)3);
	if ((p[0] & 0xc0) == 0) {
		if (n < 8)
			return 0;
		if (p[4] != 0x21 || p[5] != 0x12 || p[6] != 0xa4 || p[7] != 0x42 || (len & 3))
			return SIZE_MAX;
		return 20 + len;
	}
	return SIZE_MAX;
}

struct turn_stream {
	uint8_t *buf;
	size_t n, cap;
};

struct turn_stream *turn_stream_new(void)
{
	return calloc(1, sizeof(struct turn_stream));
}

void turn_stream_free(struct turn_stream *ts)
{
	if (!ts)
		return;
	free(ts->buf);
	free(ts);
}

bool turn_stream_start(const uint8_t *p, size_t n)
{
	size_t f = turn_stream_frame(p, n);
	if (f == 0 || f == SIZE_MAX || f > TURN_STREAM_MAX)
		return false;
	if (!(p[0] >= 0x40 && p[0] <= 0x4f))
		return true; /* STUN with the magic cookie */
	/* ChannelData: channel numbers 0x4000-0x4FFF also start text such as
	 * "GET ", so ask for a whole first message carrying media: RTP/RTCP
	 * version 2, a DTLS record, or STUN with its cookie (RFC 7983). */
	if (f > n || f < 5)
		return false;
	if (p[4] >= 128 && p[4] <= 191)
		return true;
	if (p[4] >= 20 && p[4] <= 25)
		return f >= 7 && p[5] == 0xfe;
	return p[4] <= 1 && f >= 12 && p[8] == 0x21 && p[9] == 0x12 && p[10] == 0xa4 &&
	       p[11] == 0x42;
}

enum sa_status turn_stream_feed(struct turn_stream *ts, const uint8_t *data, size_t len,
				turn_msg_fn on_msg, void *ctx)
{
	size_t off = 0;
	if (ts->n + len == 0)
		return SA_OK;
	if (ts->n + len > ts->cap) {
		size_t cap = ts->n + len;
		uint8_t *b;
		if (cap > TURN_STREAM_MAX + 65536)
			return SA_MALFORMED;
		b = realloc(ts->buf, cap);
		if (!b)
			return SA_NOMEM;
		ts->buf = b;
		ts->cap = cap;
	}
	if (len)
		memcpy(ts->buf + ts->n, data, len);
	ts->n += len;
	for (;;) {
		size_t f = turn_stream_frame(ts->buf + off, ts->n - off);
		if (f == SIZE_MAX || f > TURN_STREAM_MAX) {
			ts->n = 0;
			return SA_MALFORMED;
		}
		if (f == 0 || f > ts->n - off)
			break;
		on_msg(ctx, ts->buf + off, f);
		off += f;
	}
	if (off && ts->n > off)
		memmove(ts->buf, ts->buf + off, ts->n - off);
	ts->n -= off;
	return SA_OK;
}
