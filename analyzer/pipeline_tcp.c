/* pipeline_tcp.c - SIP messages and TCP streams of the one pass: SIP
 * over TCP and WebSocket framed into messages, TURN over TCP unwrapped.
 * See pipeline_int.h. */
#include "pipeline_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- SIP ---------------------------------------------------------- */

/* One SIP message seen at frame/ts between src and dst.  Returns the
 * frame's category: sip, or malformed (with *why) when it does not parse. */
enum pkt_cat pipeline_sip(struct pipeline *p, const uint8_t *data, size_t len,
			       unsigned flags, const struct endpoint *src,
			       const struct endpoint *dst, enum sip_transport tr,
			       uint64_t frame, uint64_t ts, const char **why)
{
	struct sip_msg *m = &p->sipmsg;
	struct sip_diag d;
	struct sip_ctx ctx;
	const struct capture_file_info *fi;
	enum sa_status st;
	pipeline_key_source(p);
	memset(&d, 0, sizeof d);
	st = sip_msg_parse(data, len, flags, m, &d);
	if (st != SA_OK) {
		char where[32] = "";
		*why = "SIP message does not parse (see the diagnostics)";
		fi = p->frame ? capture_file(p->cap, p->frame->file_index) : NULL;
		if (d.line)
			snprintf(where, sizeof where, " at line %u", d.line);
		diag_emit(p->diag, DIAG_WARNING, fi ? fi->name : NULL, frame,
			  "malformed SIP message%s: %s; counted as malformed",
			  where, d.set ? d.what : sa_status_name(st));
		return PKT_MALFORMED;
	}
	memset(&ctx, 0, sizeof ctx);
	ctx.frame = frame;
	ctx.ts_ns = ts;
	ctx.src = *src;
	ctx.dst = *dst;
	ctx.transport = tr;
	fi = p->frame ? capture_file(p->cap, p->frame->file_index) : NULL;
	ctx.file = fi ? fi->name : NULL;
	st = calls_on_sip(p->calls, m, &ctx, why);
	if (st == SA_MALFORMED)
		return PKT_MALFORMED;
	if (st == SA_NOMEM)
		p->nomem = true;
	return PKT_SIP;
}

/* ---- TCP ---------------------------------------------------------- */

static void on_framed_sip(void *ctx, const uint8_t *msg, size_t len, bool websocket)
{
	struct framer_ctx *fc = ctx;
	struct pipeline *p = fc->p;
	const struct five_tuple *t = tcp_stream_tuple(fc->s);
	const struct endpoint *src = fc->dir == 0 ? &t->src : &t->dst;
	const struct endpoint *dst = fc->dir == 0 ? &t->dst : &t->src;
	const char *why = NULL;
	enum pkt_cat c;
	c = pipeline_sip(p, msg, len, websocket ? SIP_PARSE_DATAGRAM : SIP_PARSE_STREAM,
		       src, dst, websocket ? SIPT_WS : SIPT_TCP, p->tcp_frame,
		       p->tcp_ts, &why);
	if (c == PKT_MALFORMED && p->frame && p->tcp_frame == p->frame->number) {
		p->tcp_cat = PKT_MALFORMED;
		p->tcp_why = why;
	}
}

/* The first bytes of a stream: SIP, an HTTP upgrade to WebSocket (RFC
 * 7118 §5: SIP over WebSocket), or something else. */
static enum stream_kind stream_kind_of(const uint8_t *data, size_t len)
{
	char low[2048];
	size_t i, n = len < sizeof low ? len : sizeof low;
	struct sv head;
	if (classify_sip_start(data, len))
		return STREAM_SIP;
	if (turn_stream_start(data, len))
		return STREAM_TURN;
	for (i = 0; i < n; i++)
		low[i] = (char)(data[i] >= 'A' && data[i] <= 'Z' ? data[i] + 32 : data[i]);
	head = sv_make(low, n);
	/* RFC 7118 §4: the upgrade negotiates the "sip" subprotocol; other
	 * WebSocket signalling (JSON, Verto) is not SIP. */
	if ((sv_starts_with_ci(head, "get ") || sv_starts_with_ci(head, "http/1.1 101")) &&
	    sv_find(head, SV_LIT("upgrade: websocket")) >= 0 &&
	    sv_find(head, SV_LIT("sec-websocket-protocol: sip")) >= 0)
		return STREAM_WS;
	return STREAM_NOT_SIP;
}

static struct stream_state *stream_state_of(struct pipeline *p, struct tcp_stream *s)
{
	struct stream_state *st = tcp_stream_user(s);
	if (!st) {
		st = calloc(1, sizeof *st);
		if (!st) {
			p->nomem = true;
			return NULL;
		}
		tcp_stream_set_user(s, st);
	}
	return st;
}

struct turn_tcp_ctx {
	struct pipeline *p;
	const struct endpoint *src, *dst;
	uint64_t frame;
	bool first;
};

static void on_turn_msg(void *ctx, const uint8_t *msg, size_t len)
{
	struct turn_tcp_ctx *c = ctx;
	struct turn_msg tm;
	const char *why = NULL;
	enum pkt_cat cat = PKT_STUN;
	if (turn_parse(msg, len, &tm))
		cat = pipeline_turn_relay(c->p, c->src, c->dst, &tm, c->frame, &why);
	/* The segment counts as what its first message carries. */
	if (c->first && c->p->tcp_cat != PKT_MALFORMED)
		c->p->tcp_cat = cat == PKT_MALFORMED ? PKT_OTHER : cat;
	c->first = false;
}

/* TURN over TCP (RFC 8656 §12.5): frame the messages, relay the media. */
static void tcp_turn_data(struct pipeline *p, struct stream_state *st, struct tcp_stream *s,
			  int dir, const uint8_t *data, size_t len, uint64_t frame)
{
	const struct five_tuple *t = tcp_stream_tuple(s);
	struct turn_tcp_ctx c;
	if (!st->turn[dir] && !(st->turn[dir] = turn_stream_new())) {
		p->nomem = true;
		return;
	}
	c.p = p;
	c.src = dir == 0 ? &t->src : &t->dst;
	c.dst = dir == 0 ? &t->dst : &t->src;
	c.frame = frame;
	c.first = true;
	if (turn_stream_feed(st->turn[dir], data, len, on_turn_msg, &c) == SA_MALFORMED)
		st->kind = STREAM_NOT_SIP; /* not TURN after all: stop framing */
}

void pipeline_tcp_data(void *ctx, struct tcp_stream *s, int dir,
			const uint8_t *data, size_t len, uint64_t frame,
			uint64_t ts_ns)
{
	struct pipeline *p = ctx;
	struct stream_state *st = stream_state_of(p, s);
	const struct sip_frame_stats *fst;
	uint64_t runs;
	if (!st)
		return;
	if (st->kind == STREAM_UNKNOWN && len > 0) {
		st->kind = stream_kind_of(data, len);
		if (st->kind == STREAM_SIP || st->kind == STREAM_WS) {
			/* Re-file frames counted before the stream was known. */
			p->res.packets.cat[PKT_OTHER] -= st->npending;
			p->res.packets.cat[PKT_SIP] += st->npending;
		}
		st->npending = 0;
	}
	if (st->kind == STREAM_TURN) {
		tcp_turn_data(p, st, s, dir, data, len, frame);
		return;
	}
	if (st->kind != STREAM_SIP && st->kind != STREAM_WS)
		return;
	if (p->tcp_cat != PKT_MALFORMED)
		p->tcp_cat = PKT_SIP;
	if (!st->framer[dir]) {
		st->fctx[dir].p = p;
		st->fctx[dir].s = s;
		st->fctx[dir].dir = dir;
		st->framer[dir] = sip_framer_new(on_framed_sip, &st->fctx[dir]);
		if (!st->framer[dir]) {
			p->nomem = true;
			return;
		}
	}
	p->tcp_frame = frame;
	p->tcp_ts = ts_ns;
	/* Bytes the framer skips (not SIP, Content-Length over the cap or not a
	 * number, bad WebSocket frames) make the frames that brought them
	 * malformed; one warning per run of skipped bytes; framing goes on at
	 * the next message. */
	fst = sip_framer_stats(st->framer[dir]);
	runs = fst->resyncs + fst->ws_errors;
	if (sip_framer_feed(st->framer[dir], data, len) == SA_MALFORMED &&
	    p->frame && frame == p->frame->number) {
		const struct capture_file_info *fi = capture_file(p->cap, p->frame->file_index);
		if (fst->resyncs + fst->ws_errors != runs)
			diag_emit(p->diag, DIAG_WARNING, fi ? fi->name : NULL, frame,
				  "SIP stream bytes skipped up to the next message: %s; "
				  "the frames carrying them are counted as malformed",
				  sip_framer_last_error(st->framer[dir]));
		p->tcp_cat = PKT_MALFORMED;
		p->tcp_why = "SIP stream bytes that do not frame as SIP messages";
	}
}

void pipeline_tcp_gap(void *ctx, struct tcp_stream *s, int dir,
		       uint64_t missing, uint64_t frame)
{
	struct pipeline *p = ctx;
	struct stream_state *st = tcp_stream_user(s);
	(void)frame;
	p->res.packets.tcp_gaps++;
	p->res.packets.tcp_gap_bytes += missing;
	if (st && st->framer[dir])
		sip_framer_gap(st->framer[dir]);
}

void pipeline_tcp_close(void *ctx, struct tcp_stream *s)
{
	struct stream_state *st = tcp_stream_user(s);
	(void)ctx;
	if (!st)
		return;
	sip_framer_free(st->framer[0]);
	sip_framer_free(st->framer[1]);
	turn_stream_free(st->turn[0]);
	turn_stream_free(st->turn[1]);
	free(st);
	tcp_stream_set_user(s, NULL);
}

enum pkt_cat pipeline_tcp(struct pipeline *p, const struct decode_l4 *l4,
			       uint64_t frame, const char **why)
{
	struct tcp_segment seg;
	struct tcp_stream *s = NULL;
	struct stream_state *st;
	enum sa_status rc;
	p->res.packets.tcp_segments++;
	memset(&seg, 0, sizeof seg);
	seg.tuple = l4->tuple;
	seg.seq = l4->tcp_seq;
	seg.flags = l4->tcp_flags;
	seg.payload = l4->payload;
	seg.len = l4->len;
	seg.frame = frame;
	seg.ts_ns = p->frame->ts_ns;
	p->tcp_cat = PKT_OTHER;
	p->tcp_why = NULL;
	rc = tcp_table_segment(p->tcp, &seg, &s);
	if (!p->warned_tcp_evict && tcp_table_stats(p->tcp)->evicted) {
		p->warned_tcp_evict = true;
		diag_emit(p->diag, DIAG_WARNING, NULL, frame,
			  "more than %zu TCP connections open at once: the least recently "
			  "used ones are closed and their later bytes may go unframed "
			  "(shown once)", tcp_limits_default().max_streams);
	}
	if (rc == SA_MALFORMED) {
		*why = "TCP segment the reassembler rejects";
		return PKT_MALFORMED;
	}
	if (p->tcp_cat == PKT_MALFORMED) {
		*why = p->tcp_why;
		return PKT_MALFORMED;
	}
	if (p->tcp_cat != PKT_OTHER)
		return p->tcp_cat; /* SIP, or media relayed by TURN over TCP */
	if (!s || l4->len == 0)
		return PKT_OTHER;
	st = stream_state_of(p, s);
	if (!st)
		return PKT_OTHER;
	/* A segment buffered out of order on a SIP stream is SIP too. */
	if (st->kind == STREAM_SIP || st->kind == STREAM_WS)
		return PKT_SIP;
	if (st->kind == STREAM_UNKNOWN)
		st->npending++;
	return PKT_OTHER;
}
