/* sip_frame.c - SIP stream framing over TCP and WebSocket; see sip_frame.h. */
#include "sip_frame.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sip_framer {
	sip_frame_emit_fn emit;
	void *ctx;
	enum sip_frame_mode mode;
	uint8_t *buf;          /* unconsumed input, capped at SIP_FRAME_MAX_BUF */
	size_t len, cap;
	size_t off;            /* consumed prefix during one process pass */
	uint8_t *msg;          /* WebSocket message being assembled */
	size_t msg_len, msg_cap;
	bool in_msg;           /* a fragmented WebSocket message is open */
	bool in_garbage;       /* inside a garbage run (one resync per run) */
	bool ws_resync;        /* WebSocket sync lost: search for a frame */
	bool bad;              /* garbage seen in this feed call */
	size_t head_scan;      /* bytes of the pending head already searched */
	struct sip_frame_stats st;
	char err[128];
};

static void set_err(struct sip_framer *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void set_err(struct sip_framer *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(f->err, sizeof f->err, fmt, ap);
	va_end(ap);
	f->bad = true;
}

struct sip_framer *sip_framer_new(sip_frame_emit_fn emit, void *ctx)
{
	struct sip_framer *f = calloc(1, sizeof *f);
	if (!f)
		return NULL;
	f->emit = emit;
	f->ctx = ctx;
	return f;
}

void sip_framer_free(struct sip_framer *f)
{
	if (!f)
		return;
	free(f->buf);
	free(f->msg);
	free(f);
}

enum sip_frame_mode sip_framer_mode(const struct sip_framer *f)
{
	return f->mode;
}

const struct sip_frame_stats *sip_framer_stats(const struct sip_framer *f)
{
	return &f->st;
}

const char *sip_framer_last_error(const struct sip_framer *f)
{
	return f->err;
}

void sip_framer_set_websocket(struct sip_framer *f)
{
	f->mode = SIP_FRAME_MODE_WS;
	f->in_msg = false;
	f->msg_len = 0;
}

void sip_framer_gap(struct sip_framer *f)
{
	f->st.gaps++;
	f->len = 0;
	f->head_scan = 0;
	f->in_msg = false;
	f->msg_len = 0;
	if (f->mode == SIP_FRAME_MODE_WS)
		f->ws_resync = true;
}

/* Grow a buffer to hold need bytes, doubling, never above SIP_FRAME_MAX_BUF. */
static bool reserve(uint8_t **b, size_t *cap, size_t need)
{
	size_t n = *cap ? *cap : 4096;
	uint8_t *nb;
	if (need <= *cap)
		return true;
	if (need > SIP_FRAME_MAX_BUF)
		return false;
	while (n < need)
		n *= 2;
	if (n > SIP_FRAME_MAX_BUF)
		n = SIP_FRAME_MAX_BUF;
	nb = realloc(*b, n);
	if (!nb)
		return false;
	*b = nb;
	*cap = n;
	return true;
}

static void garbage(struct sip_framer *f, size_t n, const char *why)
{
	if (!f->in_garbage) {
		f->st.resyncs++;
		set_err(f, "%s", why);
	}
	f->in_garbage = true;
	f->head_scan = 0;
	f->st.garbage_bytes += n;
	f->bad = true;
	f->off += n;
}

/* ---- SIP text mode ---- */

static bool token_char(uint8_t c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return true;
	return c != 0 && strchr("-.!%*_+`'~", c) != NULL;
}

enum line_kind { LINE_OTHER, LINE_SIP, LINE_HTTP };

/* Request-Line / Status-Line shape (RFC 3261 §7.1, §7.2; RFC 7230 §3.1). */
static enum line_kind classify(struct sv l)
{
	size_t i = 0, last_sp;
	if (sv_starts_with_ci(l, "SIP/2.0 ") && l.n >= 11 &&
	    l.p[8] >= '1' && l.p[8] <= '6' && l.p[9] >= '0' && l.p[9] <= '9' &&
	    l.p[10] >= '0' && l.p[10] <= '9')
		return LINE_SIP;
	if (sv_starts_with_ci(l, "HTTP/1.") && l.n >= 12 && l.p[8] == ' ')
		return LINE_HTTP;
	while (i < l.n && token_char((uint8_t)l.p[i]))
		i++;
	if (i == 0 || i >= l.n || l.p[i] != ' ')
		return LINE_OTHER;
	last_sp = l.n;
	while (last_sp > i + 1 && l.p[last_sp - 1] != ' ')
		last_sp--;
	if (last_sp <= i + 1)
		return LINE_OTHER;
	{
		struct sv ver = sv_make(l.p + last_sp, l.n - last_sp);
		if (sv_eq_ci(ver, SV_LIT("SIP/2.0")))
			return LINE_SIP;
		if (sv_starts_with_ci(ver, "HTTP/1."))
			return LINE_HTTP;
	}
	return LINE_OTHER;
}

/* Look through the header block for Content-Length / Upgrade facts. */
struct head_facts {
	bool has_cl, bad_cl, upgrade_ws, proto_sip;
	uint32_t cl;
};

static void scan_head(struct sv head, struct head_facts *hf)
{
	struct sv rest = head, line, name, value;
	memset(hf, 0, sizeof *hf);
	sv_next_line(&rest, &line, NULL); /* start line */
	while (sv_next_line(&rest, &line, NULL)) {
		if (!sv_split_char(line, ':', &name, &value))
			continue;
		name = sv_trim(name);
		value = sv_trim(value);
		if (sv_eq_ci(sip_header_canonical(name), SV_LIT("Content-Length"))) {
			uint32_t v;
			if (!sv_u32(value, &v) || v > SIP_MAX_BODY || (hf->has_cl && v != hf->cl))
				hf->bad_cl = true;
			hf->has_cl = true;
			hf->cl = v;
		} else if (sv_eq_ci(name, SV_LIT("Upgrade")) &&
			   sv_eq_ci(value, SV_LIT("websocket"))) {
			hf->upgrade_ws = true; /* RFC 6455 §4.1, §4.2.2 */
		} else if (sv_eq_ci(name, SV_LIT("Sec-WebSocket-Protocol")) &&
			   sv_find(value, SV_LIT("sip")) >= 0) {
			hf->proto_sip = true;  /* RFC 7118 §4 */
		}
	}
}

/* End of the header block from p: offset after the empty line, or 0.
 * The search starts at from (bytes already searched). */
static size_t head_end(const uint8_t *p, size_t n, size_t from)
{
	size_t i;
	for (i = from; i + 1 < n; i++) {
		if (p[i] != '\n')
			continue;
		if (p[i + 1] == '\n')
			return i + 2;
		if (p[i + 1] == '\r' && i + 2 < n && p[i + 2] == '\n')
			return i + 3;
	}
	return 0;
}

static bool ws_data_start(uint8_t b0)
{
	/* FIN + text/binary, RSV clear (RFC 6455 §5.2) */
	return b0 == 0x81 || b0 == 0x82;
}

/* ---- WebSocket mode (RFC 6455 §5.2) ---- */

struct ws_hdr {
	bool fin, masked;
	uint8_t rsv, op;
	uint8_t key[4];
	uint64_t plen;
	size_t hlen;
};

/* 1 parsed, 0 need more bytes, -1 invalid. */
static int ws_parse_hdr(const uint8_t *p, size_t n, struct ws_hdr *h)
{
	struct cursor c = cursor_make(p, n);
	uint8_t b0, b1;
	if (!cursor_u8(&c, &b0) || !cursor_u8(&c, &b1))
		return 0;
	h->fin = (b0 & 0x80) != 0;
	h->rsv = (uint8_t)(b0 & 0x70);
	h->op = b0 & 0x0f;
	h->masked = (b1 & 0x80) != 0;
	h->plen = b1 & 0x7f;
	if (h->plen == 126) {
		uint16_t v;
		if (!cursor_u16be(&c, &v))
			return 0;
		h->plen = v;
	} else if (h->plen == 127) {
		uint64_t v;
		if (!cursor_u64be(&c, &v))
			return 0;
		if (v >> 63)
			return -1; /* most significant bit MUST be 0 */
		h->plen = v;
	}
	if (h->masked && !cursor_copy(&c, h->key, 4))
		return 0;
	h->hlen = n - cursor_left(&c);
	if (h->plen > SIP_FRAME_MAX_BUF - h->hlen)
		return -1;
	/* Control frames: FIN set, payload <= 125 (§5.5). */
	if (h->op >= 8 && (!h->fin || h->plen > 125))
		return -1;
	if ((h->op > 2 && h->op < 8) || h->op > 10)
		return -1;
	return 1;
}

static bool looks_like_sip(const uint8_t *p, size_t n, const struct ws_hdr *h)
{
	uint8_t b[8];
	size_t i, k = n < 8 ? n : 8;
	for (i = 0; i < k; i++)
		b[i] = (uint8_t)(p[i] ^ (h->masked ? h->key[i % 4] : 0));
	if (k >= 8 && memcmp(b, "SIP/2.0 ", 8) == 0)
		return true;
	for (i = 0; i < k && b[i] >= 'A' && b[i] <= 'Z'; i++)
		;
	return i >= 3 && i < k && b[i] == ' ';
}

/* Returns false when more bytes are needed. */
static bool sip_step(struct sip_framer *f)
{
	const uint8_t *p = f->buf + f->off;
	size_t n = f->len - f->off, lim, hl;
	const uint8_t *nl;
	struct sv line;
	enum line_kind kind;
	struct head_facts hf;
	/* CRLF keep-alives (RFC 5626 §3.5.1) and CRLFs before a start line. */
	if (p[0] == '\r' || p[0] == '\n') {
		size_t i = 0;
		while (i < n && (p[i] == '\r' || p[i] == '\n'))
			i++;
		f->st.keepalives++;
		f->off += i;
		return true;
	}
	if (ws_data_start(p[0])) {
		/* A capture that starts inside a WebSocket connection: switch
		 * only for a valid frame header whose payload starts like SIP. */
		struct ws_hdr h;
		int r = ws_parse_hdr(p, n, &h);
		if (r == 0)
			return false;
		if (r == 1 && n < h.hlen + (h.plen < 8 ? h.plen : 8))
			return false;
		if (r == 1 && looks_like_sip(p + h.hlen, (size_t)h.plen, &h)) {
			f->mode = SIP_FRAME_MODE_WS;
			f->in_garbage = false;
			return true;
		}
	}
	lim = n < SIP_MAX_LINE + 2 ? n : SIP_MAX_LINE + 2;
	nl = memchr(p, '\n', lim);
	if (!nl) {
		if (n >= SIP_MAX_LINE + 2) {
			garbage(f, n, "line longer than SIP_MAX_LINE without a line end");
			return true;
		}
		/* Binary bytes cannot start a message: skip them now. */
		if (!token_char(p[0])) {
			garbage(f, 1, "bytes that are not SIP text");
			return true;
		}
		return false;
	}
	line = sv_make(p, (size_t)(nl - p));
	if (line.n && line.p[line.n - 1] == '\r')
		line.n--;
	kind = classify(line);
	if (kind == LINE_OTHER) {
		garbage(f, (size_t)(nl - p) + 1, "line is not a SIP request or status line");
		return true;
	}
	hl = head_end(p, n < SIP_MAX_HEAD ? n : SIP_MAX_HEAD, f->head_scan);
	if (hl == 0) {
		if (n >= SIP_MAX_HEAD) {
			garbage(f, (size_t)(nl - p) + 1, "headers longer than SIP_MAX_HEAD");
			return true;
		}
		f->head_scan = n > 3 ? n - 3 : 0;
		return false;
	}
	f->head_scan = 0;
	scan_head(sv_make(p, hl), &hf);
	if (hf.bad_cl) {
		f->st.bad_length++;
		garbage(f, (size_t)(nl - p) + 1, "Content-Length not a number or above the cap");
		return true;
	}
	if (!hf.has_cl && kind == LINE_SIP)
		f->st.missing_length++; /* RFC 3261 §18.3 MUST; taken as 0 */
	if (n < hl + hf.cl) {
		f->head_scan = hl >= 3 ? hl - 3 : 0; /* find the same end again quickly */
		return false;
	}
	f->in_garbage = false;
	if (kind == LINE_HTTP) {
		f->st.http_messages++;
		f->off += hl + hf.cl;
		if (hf.upgrade_ws) {
			f->st.ws_upgrades++;
			if (hf.proto_sip)
				f->st.ws_sip_protocol = true;
			f->mode = SIP_FRAME_MODE_WS;
		}
		return true;
	}
	f->st.messages++;
	f->emit(f->ctx, p, hl + hf.cl, false);
	f->off += hl + hf.cl;
	return true;
}

static void ws_emit(struct sip_framer *f)
{
	if (sip_is_keepalive(f->msg, f->msg_len)) {
		f->st.keepalives++;
	} else if (f->msg_len > 0) {
		f->st.messages++;
		f->emit(f->ctx, f->msg, f->msg_len, true);
	}
	f->msg_len = 0;
	f->in_msg = false;
}

/* Returns false when more bytes are needed. */
static bool ws_step(struct sip_framer *f)
{
	const uint8_t *p = f->buf + f->off;
	size_t n = f->len - f->off, i;
	struct ws_hdr h;
	int r = ws_parse_hdr(p, n, &h);
	if (f->ws_resync) {
		/* Accept a data frame whose payload starts like SIP. */
		if (r == 0 && n < SIP_FRAME_MAX_BUF)
			return false;
		if (r == 1 && ws_data_start(p[0]) && n >= h.hlen + (h.plen < 8 ? h.plen : 8)) {
			if (looks_like_sip(p + h.hlen, h.plen, &h)) {
				f->ws_resync = false;
				f->in_garbage = false;
				return true;
			}
		} else if (r == 1 && ws_data_start(p[0])) {
			return false;
		}
		garbage(f, 1, "resynchronising WebSocket frames");
		return true;
	}
	if (r == 0)
		return false;
	if (r < 0 || h.rsv != 0) {
		/* RSV bits: an extension (permessage-deflate) we do not decode. */
		f->st.ws_errors++;
		set_err(f, "bad WebSocket frame header (byte 0x%02x)", p[0]);
		f->ws_resync = true;
		garbage(f, 1, "bad WebSocket frame header");
		return true;
	}
	if (n - h.hlen < h.plen)
		return false;
	f->st.ws_frames++;
	f->in_garbage = false;
	p += h.hlen;
	if (h.op >= 8) {
		f->st.ws_control++;
		if (h.op == 8)
			f->mode = SIP_FRAME_MODE_WS_CLOSED;
		f->off += h.hlen + (size_t)h.plen;
		return true;
	}
	if (h.op == 0 && !f->in_msg) {
		f->st.ws_errors++;
		set_err(f, "WebSocket continuation frame without a first frame");
		f->off += h.hlen + (size_t)h.plen;
		return true;
	}
	if (h.op != 0 && f->in_msg) {
		f->st.ws_errors++;
		set_err(f, "WebSocket data frame inside a fragmented message");
		f->msg_len = 0;
	}
	if (!reserve(&f->msg, &f->msg_cap, f->msg_len + (size_t)h.plen)) {
		f->st.ws_errors++;
		set_err(f, "WebSocket message larger than %u bytes", (unsigned)SIP_FRAME_MAX_BUF);
		f->msg_len = 0;
		f->in_msg = false;
		f->off += h.hlen + (size_t)h.plen;
		return true;
	}
	/* §5.3: unmask with the 4-byte key. */
	for (i = 0; i < h.plen; i++)
		f->msg[f->msg_len + i] = (uint8_t)(p[i] ^ (h.masked ? h.key[i % 4] : 0));
	f->msg_len += (size_t)h.plen;
	f->in_msg = true;
	f->off += h.hlen + (size_t)h.plen;
	if (h.fin)
		ws_emit(f);
	return true;
}

static void process(struct sip_framer *f)
{
	f->off = 0;
	while (f->off < f->len) {
		bool more;
		if (f->mode == SIP_FRAME_MODE_SIP)
			more = sip_step(f);
		else if (f->mode == SIP_FRAME_MODE_WS)
			more = ws_step(f);
		else {
			garbage(f, f->len - f->off, "bytes after the WebSocket Close frame");
			more = true;
		}
		if (!more)
			break;
	}
	if (f->off > 0) {
		memmove(f->buf, f->buf + f->off, f->len - f->off);
		f->len -= f->off;
		f->off = 0;
	}
}

enum sa_status sip_framer_feed(struct sip_framer *f, const uint8_t *data, size_t len)
{
	f->bad = false;
	while (len > 0) {
		size_t room = SIP_FRAME_MAX_BUF - f->len, take = len < room ? len : room;
		if (!reserve(&f->buf, &f->cap, f->len + take)) {
			set_err(f, "out of memory for the stream buffer");
			return SA_NOMEM;
		}
		memcpy(f->buf + f->len, data, take);
		f->len += take;
		data += take;
		len -= take;
		process(f);
		if (f->len == SIP_FRAME_MAX_BUF) {
			/* Cannot happen with valid caps; guarantees progress. */
			f->off = 0;
			garbage(f, f->len, "stream buffer full");
			f->len = 0;
			f->off = 0;
		}
	}
	return f->bad ? SA_MALFORMED : SA_OK;
}
