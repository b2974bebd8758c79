/* pipeline.c - the one pass over a capture; see pipeline.h.
 *
 * Accounting rule: each frame is counted exactly once, in count_frame().
 * Frames of an IP datagram split into fragments are counted when the
 * datagram is whole (all with the datagram's category) or when the
 * reassembler gives up on it (ipfrag on_drop).  TCP frames are counted
 * after the reassembler has handed their bytes on, with the category their
 * stream has by then.
 */
#include "pipeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calls.h"
#include "capture.h"
#include "checks.h"
#include "classify.h"
#include "decode.h"
#include "flows.h"
#include "ipfrag.h"
#include "keyring.h"
#include "media.h"
#include "rewrite.h"
#include "streams.h"
#include "sip.h"
#include "sip_frame.h"
#include "tcp_reasm.h"
#include "turn.h"

/* How often (in frames) timeouts of reassembly state are checked. */
#define EXPIRE_EVERY 4096

enum stream_kind { STREAM_UNKNOWN = 0, STREAM_SIP, STREAM_WS, STREAM_TURN, STREAM_NOT_SIP };

struct pipeline;

/* What a framer's emit callback needs to know about its direction. */
struct framer_ctx {
	struct pipeline *p;
	struct tcp_stream *s;
	int dir;
};

/* Per-TCP-stream state of this layer (the reassembler's user pointer). */
struct stream_state {
	enum stream_kind kind;
	struct sip_framer *framer[2];
	struct turn_stream *turn[2];  /* STREAM_TURN: per direction */
	struct framer_ctx fctx[2];
	/* Frames with payload counted as "other" while the stream's protocol
	 * was not known yet (bytes buffered out of order); moved to the
	 * stream's category once it is known. */
	uint64_t npending;
};

/* At most this many TURN channel bindings are remembered. */
#define PIPELINE_MAX_TURN 4096

struct turn_binding {
	struct endpoint client, server, peer;
	uint16_t channel;
};

struct pipeline {
	struct result res;
	const struct diag_sink *diag;
	struct capture *cap;
	struct ipfrag_table *frags;
	struct tcp_table *tcp;
	struct sip_msg sipmsg;         /* parse scratch (large) */
	const struct sa_frame *frame;  /* frame being processed */
	bool *link_warned;             /* per file: unknown link reported */
	enum pkt_cat tcp_cat;          /* category found while in tcp callbacks */
	const char *tcp_why;           /* reason when tcp_cat is malformed */
	uint64_t tcp_frame;            /* frame and time of the bytes being framed */
	uint64_t tcp_ts;
	struct call_table *calls;
	struct flow_table *flows;
	struct findings findings;
	struct turn_binding *turn;     /* ChannelBind: channel -> peer */
	size_t nturn, capturn;
	const struct pipeline_options *opt;
	struct stream_table *streams;  /* RTP/RTCP streams; decrypted with opt->keys */
	/* The frame's rewritten form when its payload was decrypted. */
	bool rewritten;
	size_t rw_len;
	struct stream *fo_stream;      /* the frame's RTP in clear, if any */
	const uint8_t *fo_rtp;
	size_t fo_rtp_len;
	uint8_t decbuf[65536];
	uint8_t rwbuf[65536 + 256];
	bool nomem;
	/* Caps of the reassemblers hit: warned once per run (docs/limits.md). */
	bool warned_frag_evict, warned_frag_big, warned_tcp_evict;
};

const char *pkt_cat_name(enum pkt_cat c)
{
	static const char *const names[PKT_NCAT] = {
		"sip", "dtls", "stun", "rtp", "rtcp", "other", "malformed",
	};
	return (unsigned)c < PKT_NCAT ? names[c] : "other";
}

static void note_malformed(struct pipeline *p, uint64_t frame, const char *why)
{
	struct result *r = &p->res;
	if (r->nmalformed == r->malformed_cap) {
		size_t cap = r->malformed_cap ? r->malformed_cap * 2 : 64;
		struct malformed_frame *m;
		if (cap > RESULT_MAX_MALFORMED_LISTED)
			cap = RESULT_MAX_MALFORMED_LISTED;
		if (cap <= r->malformed_cap)
			return; /* listed cap reached: still counted */
		m = realloc(r->malformed, cap * sizeof *m);
		if (!m)
			return;
		r->malformed = m;
		r->malformed_cap = cap;
	}
	r->malformed[r->nmalformed].frame = frame;
	r->malformed[r->nmalformed].reason = why;
	r->nmalformed++;
}

static void count_frame(struct pipeline *p, uint64_t frame, enum pkt_cat cat,
			const char *why)
{
	p->res.packets.cat[cat]++;
	if (cat == PKT_MALFORMED)
		note_malformed(p, frame, why ? why : "malformed");
}

/* ---- SIP ---------------------------------------------------------- */

/* One SIP message seen at frame/ts between src and dst.  Returns the
 * frame's category: sip, or malformed (with *why) when it does not parse. */
static enum pkt_cat handle_sip(struct pipeline *p, const uint8_t *data, size_t len,
			       unsigned flags, const struct endpoint *src,
			       const struct endpoint *dst, enum sip_transport tr,
			       uint64_t frame, uint64_t ts, const char **why)
{
	struct sip_msg *m = &p->sipmsg;
	struct sip_diag d;
	struct sip_ctx ctx;
	const struct capture_file_info *fi;
	enum sa_status st;
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
	c = handle_sip(p, msg, len, websocket ? SIP_PARSE_DATAGRAM : SIP_PARSE_STREAM,
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

static enum pkt_cat turn_relay(struct pipeline *p, const struct endpoint *src,
			       const struct endpoint *dst, const struct turn_msg *tm,
			       uint64_t frame, const char **why);

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
		cat = turn_relay(c->p, c->src, c->dst, &tm, c->frame, &why);
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

static void on_tcp_data(void *ctx, struct tcp_stream *s, int dir,
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

static void on_tcp_gap(void *ctx, struct tcp_stream *s, int dir,
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

static void on_tcp_close(void *ctx, struct tcp_stream *s)
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

static enum pkt_cat handle_tcp(struct pipeline *p, const struct decode_l4 *l4,
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

/* ---- IP fragments --------------------------------------------------- */

static void on_frag_drop(void *ctx, const uint64_t *frames, size_t n,
			 enum ipfrag_drop why)
{
	struct pipeline *p = ctx;
	struct ipfrag_limits lim = ipfrag_limits_default();
	size_t i;
	if (why == IPFRAG_DROP_EVICTED && !p->warned_frag_evict && n) {
		p->warned_frag_evict = true;
		diag_emit(p->diag, DIAG_WARNING, NULL, frames[0],
			  "more than %zu incomplete IP datagrams (or %zu MiB) pending "
			  "reassembly: the oldest are dropped and their fragments counted "
			  "as \"other\" (shown once)", lim.max_datagrams, lim.max_bytes >> 20);
	}
	if (why == IPFRAG_DROP_TOO_BIG && !p->warned_frag_big && n) {
		p->warned_frag_big = true;
		diag_emit(p->diag, DIAG_WARNING, NULL, frames[0],
			  "an IP datagram exceeds 65535 bytes or %u fragments: its "
			  "fragments are counted as malformed (shown once)", lim.max_frags);
	}
	for (i = 0; i < n; i++) {
		switch (why) {
		case IPFRAG_DROP_CONFLICT:
			count_frame(p, frames[i], PKT_MALFORMED,
				    "IP fragment overlaps another with different bytes");
			break;
		case IPFRAG_DROP_TOO_BIG:
			count_frame(p, frames[i], PKT_MALFORMED,
				    "IP fragments add up to more than 65535 bytes or 128 fragments");
			break;
		default:
			/* Incomplete datagrams (timeout, eviction, end of capture)
			 * are not malformed: their bytes are unknown. */
			count_frame(p, frames[i], PKT_OTHER, NULL);
			break;
		}
	}
}

/* ---- per frame ------------------------------------------------------ */

/* The clock rate of payload type pt on a flow: static types (RFC 3551),
 * else the rtpmap of the call's SDP. */
static uint32_t flow_clock_rate(struct pipeline *p, const struct flow *f, uint8_t pt)
{
	const struct sa_call *c;
	const struct oa_exchange *e;
	uint32_t r = rtpstats_static_clock_rate(pt);
	size_t i;
	if (r || !f->bound)
		return r;
	c = call_table_at(p->calls, f->call);
	e = c ? call_active_exchange(c) : NULL;
	if (!e || !e->offer || f->media >= e->offer->d.n_media)
		return 0;
	for (i = 0; i < e->offer->d.media[f->media].n_codecs; i++) {
		const struct desc_codec *dc = &e->offer->d.media[f->media].codecs[i];
		const char *slash = strchr(dc->name, '/');
		if (dc->pt == pt && slash) {
			uint32_t v;
			if (sv_u32(sv_cstr(slash + 1), &v))
				return v;
		}
	}
	return 0;
}

/* Decrypting pass: one RTP/RTCP datagram of flow f. */
/* One media datagram to decrypt (a decrypting pass) or at least to count
 * in its stream.  l4 is the captured datagram when the media is its whole
 * payload (then a decrypted packet rewrites the frame), NULL for media
 * relayed inside TURN. */
struct media_pkt {
	const struct endpoint *src, *dst;
	const uint8_t *data;
	size_t len;
	const struct decode_l4 *l4;
};

static void decrypt_datagram(struct pipeline *p, struct flow *f, int dir,
			     enum pkt_cat cat, const struct media_pkt *m, uint64_t frame)
{
	struct stream_ctx sc;
	struct stream *st = NULL;
	size_t n = 0;
	enum stream_verdict v;
	sc.call = f->bound ? (long)f->call : -1;
	sc.media = f->bound ? (long)f->media : -1;
	sc.sender = f->party[dir];
	sc.clock_rate = cat == PKT_RTP && m->len >= 2 ?
			flow_clock_rate(p, f, m->data[1] & 0x7f) : 0;
	sc.cache = f->user ? &((struct flow_media *)f->user)->stream_cache[dir][cat == PKT_RTCP] : NULL;
	v = streams_packet(p->streams, m->src, m->dst, cat == PKT_RTP ? SDEC_RTP : SDEC_RTCP,
			   m->data, m->len, frame, p->frame->ts_ns, &sc, p->decbuf,
			   sizeof p->decbuf, &n, &st);
	if (cat == PKT_RTP && p->frame && p->frame->number == frame) {
		if (v == SV_DECRYPTED) {
			p->fo_stream = st;
			p->fo_rtp = p->decbuf;
			p->fo_rtp_len = n;
		} else if (v == SV_PLAIN) {
			p->fo_stream = st;
			p->fo_rtp = m->data;
			p->fo_rtp_len = m->len;
		}
	}
	/* Fragments, reassembled datagrams and relayed media are written as
	 * captured. */
	if (v != SV_DECRYPTED || !p->frame || p->frame->number != frame || !m->l4 ||
	    !m->l4->l4_hdr)
		return;
	p->rw_len = rewrite_udp_payload(p->frame->data, p->frame->caplen, m->l4, p->decbuf,
					n, p->rwbuf, sizeof p->rwbuf);
	p->rewritten = p->rw_len > 0;
}

/* Media (anything but SIP) from src to dst: its flow, DTLS, streams. */
static enum pkt_cat handle_media(struct pipeline *p, enum pkt_cat cat,
				 const struct media_pkt *m, uint64_t frame, const char **why)
{
	struct flow *f;
	int dir;
	f = flow_table_get(p->flows, m->src, m->dst, frame, p->frame->ts_ns, &dir);
	if (!f)
		return cat;
	/* DTLS 1.3 ciphertext (unified header 001xxxxx, RFC 9147 §4) cannot
	 * be told from text protocols such as MEGACO ("!/1 ..."): it counts
	 * as DTLS only on a flow that already carried a DTLS handshake. */
	if (cat == PKT_DTLS && (m->data[0] & 0xe0) == 0x20 &&
	    (!media_of(f) || !media_of(f)->dtls))
		cat = PKT_OTHER;
	cat = media_on_datagram(f, dir, cat, m->data, m->len, frame,
				p->frame->ts_ns, (struct diag_sink *)p->diag, why);
	f->cat[dir][cat]++;
	if (!(p->opt && p->opt->learn_only) && (cat == PKT_RTP || cat == PKT_RTCP))
		decrypt_datagram(p, f, dir, cat, m, frame);
	return cat;
}

/* ---- TURN (RFC 8656) -------------------------------------------------- */

static const struct turn_binding *turn_binding_find(const struct pipeline *p,
						    const struct endpoint *client,
						    const struct endpoint *server, uint16_t ch)
{
	size_t i;
	for (i = 0; i < p->nturn; i++)
		if (p->turn[i].channel == ch && endpoint_eq(&p->turn[i].client, client) &&
		    endpoint_eq(&p->turn[i].server, server))
			return &p->turn[i];
	return NULL;
}

/* A TURN message between a client and its server: record channel
 * bindings, and hand the media inside to the flow between the client and
 * the peer, as if it had travelled directly.  Returns the category of the
 * media inside (PKT_STUN when there is none). */
static enum pkt_cat turn_relay(struct pipeline *p, const struct endpoint *src,
			       const struct endpoint *dst, const struct turn_msg *tm,
			       uint64_t frame, const char **why)
{
	struct endpoint peer;
	struct five_tuple vt;
	struct media_pkt m;
	const struct turn_binding *b;
	bool to_peer;
	enum pkt_cat cat;
	switch (tm->kind) {
	case TURN_CHANNEL_BIND:
		if (!turn_binding_find(p, src, dst, tm->channel) && p->nturn < PIPELINE_MAX_TURN) {
			struct turn_binding *nb;
			if (p->nturn == p->capturn) {
				size_t cap = p->capturn ? p->capturn * 2 : 16;
				struct turn_binding *v = realloc(p->turn, cap * sizeof *v);
				if (!v)
					return PKT_STUN;
				p->turn = v;
				p->capturn = cap;
			}
			nb = &p->turn[p->nturn++];
			nb->client = *src;
			nb->server = *dst;
			nb->peer = tm->peer;
			nb->channel = tm->channel;
		}
		return PKT_STUN;
	case TURN_SEND:
	case TURN_DATA:
		peer = tm->peer;
		to_peer = tm->kind == TURN_SEND;
		break;
	case TURN_CHANNEL_DATA:
		if ((b = turn_binding_find(p, src, dst, tm->channel)) != NULL) {
			to_peer = true;
		} else if ((b = turn_binding_find(p, dst, src, tm->channel)) != NULL) {
			to_peer = false;
		} else {
			/* No ChannelBind captured: the peer is unknown; stand in
			 * with the server's address and the channel number.  The
			 * server is the side on a TURN port (RFC 8656 §18: 3478,
			 * 5349), else the sender. */
			to_peer = dst->port == 3478 || dst->port == 5349;
			peer = to_peer ? *dst : *src;
			peer.port = tm->channel;
			break;
		}
		peer = b->peer;
		break;
	default:
		return PKT_STUN;
	}
	if (tm->len == 0)
		return PKT_STUN;
	memset(&vt, 0, sizeof vt);
	vt.proto = SA_IPPROTO_UDP;
	vt.src = to_peer ? *src : peer;
	vt.dst = to_peer ? peer : *dst;
	m.src = &vt.src;
	m.dst = &vt.dst;
	m.data = tm->data;
	m.len = tm->len;
	m.l4 = NULL;
	p->res.packets.turn_relayed++;
	cat = classify_udp(&vt, tm->data, tm->len);
	if (cat == PKT_SIP)
		return PKT_OTHER;
	return handle_media(p, cat, &m, frame, why);
}

static enum pkt_cat handle_udp(struct pipeline *p, const struct decode_l4 *l4,
			       uint64_t frame, const char **why)
{
	enum pkt_cat cat = classify_udp(&l4->tuple, l4->payload, l4->len);
	struct media_pkt m;
	struct turn_msg tm;
	if (cat == PKT_SIP) {
		if (classify_sip_start(l4->payload, l4->len))
			return handle_sip(p, l4->payload, l4->len, SIP_PARSE_DATAGRAM,
					  &l4->tuple.src, &l4->tuple.dst, SIPT_UDP,
					  frame, p->frame->ts_ns, why);
		return PKT_SIP; /* keep-alive */
	}
	if (cat == PKT_OTHER && l4->len > 0 &&
	    (l4->tuple.src.port == 5060 || l4->tuple.dst.port == 5060)) {
		*why = "datagram on the SIP port 5060 is neither SIP, a keep-alive nor STUN";
		return PKT_MALFORMED;
	}
	/* Media relayed by TURN: the frame counts as what carries it (STUN
	 * indications) or what it carries (ChannelData, see classify.c); the
	 * media inside joins the client-peer flow. */
	if (l4->len >= 4 && (cat == PKT_STUN || (l4->payload[0] >= 0x40 && l4->payload[0] <= 0x4f)) &&
	    turn_parse(l4->payload, l4->len, &tm)) {
		enum pkt_cat inner = turn_relay(p, &l4->tuple.src, &l4->tuple.dst, &tm, frame, why);
		return tm.kind == TURN_CHANNEL_DATA ? inner : cat;
	}
	m.src = &l4->tuple.src;
	m.dst = &l4->tuple.dst;
	m.data = l4->payload;
	m.len = l4->len;
	m.l4 = l4;
	return handle_media(p, cat, &m, frame, why);
}

static enum pkt_cat handle_l4(struct pipeline *p, const struct decode_l4 *l4,
			      uint64_t frame, const char **why)
{
	*why = NULL;
	if (l4->tunnels)
		p->res.packets.tunnelled++;
	if (l4->tuple.proto == SA_IPPROTO_TCP)
		return handle_tcp(p, l4, frame, why);
	return handle_udp(p, l4, frame, why);
}

static void handle_fragment(struct pipeline *p, const struct decoded *d,
			    uint64_t frame)
{
	struct ipfrag_key key;
	struct ipfrag_done done;
	struct decoded inner;
	enum sa_status rc;
	enum pkt_cat cat;
	size_t i;
	p->res.packets.ip_fragments++;
	if (d->frag.truncated) {
		/* Bytes cut by the snap length cannot be reassembled. */
		count_frame(p, frame, PKT_OTHER, NULL);
		return;
	}
	memset(&key, 0, sizeof key);
	key.src = d->frag.src;
	key.dst = d->frag.dst;
	key.id = d->frag.id;
	key.proto = d->frag.proto;
	memset(&done, 0, sizeof done);
	rc = ipfrag_add(p->frags, &key, d->frag.offset, d->frag.more,
			d->frag.data, d->frag.len, frame, p->frame->ts_ns, &done);
	if (rc != SA_OK) {
		count_frame(p, frame, rc == SA_NOMEM ? PKT_OTHER : PKT_MALFORMED,
			    "IP fragment offset and length are impossible");
		return;
	}
	if (!done.complete)
		return; /* counted when the datagram completes or is dropped */
	p->res.packets.reassembled++;
	memset(&inner, 0, sizeof inner);
	decode_ip_payload(done.proto, &key.src, &key.dst, done.data, done.len,
			  false, &inner);
	switch (inner.result) {
	case DECODE_L4:
		cat = handle_l4(p, &inner.l4, frame, &inner.reason);
		break;
	case DECODE_MALFORMED:
		cat = PKT_MALFORMED;
		break;
	default:
		cat = PKT_OTHER;
		break;
	}
	for (i = 0; i < done.nframes; i++)
		count_frame(p, done.frames[i], cat, inner.reason);
}

static void warn_unknown_link(struct pipeline *p, const struct sa_frame *f)
{
	const struct capture_file_info *fi = capture_file(p->cap, f->file_index);
	const char *name;
	if (p->link_warned[f->file_index])
		return;
	p->link_warned[f->file_index] = true;
	name = capture_link_name(f->linktype);
	diag_emit(p->diag, DIAG_WARNING, fi ? fi->name : NULL, f->file_frame,
		  "link type %d (%s) is not decoded; its frames are counted as "
		  "\"other\" (supported: EN10MB with VLAN tags, LINUX_SLL, LINUX_SLL2, "
		  "RAW, IPV4, IPV6, NULL, LOOP; convert with editcap -T if you can)",
		  f->linktype, name ? name : "unknown");
}

static void emit_frame(struct pipeline *p, const struct sa_frame *f)
{
	struct frame_out fo;
	if (!p->opt || !p->opt->on_frame)
		return;
	fo.frame = f;
	fo.decrypted = p->rewritten;
	fo.stream = p->fo_stream;
	fo.rtp = p->fo_rtp;
	fo.rtp_len = p->fo_rtp_len;
	fo.call_id = p->fo_stream && p->fo_stream->call >= 0 ?
		     call_table_at(p->calls, (size_t)p->fo_stream->call)->call_id : NULL;
	if (p->rewritten) {
		uint32_t delta = f->caplen - (uint32_t)p->rw_len;
		fo.data = p->rwbuf;
		fo.caplen = (uint32_t)p->rw_len;
		fo.len = f->len - delta;
	} else {
		fo.data = f->data;
		fo.caplen = f->caplen;
		fo.len = f->len;
	}
	p->opt->on_frame(p->opt->frame_ctx, &fo);
}

static void process_frame(struct pipeline *p, const struct sa_frame *f)
{
	struct decoded d;
	p->frame = f;
	p->rewritten = false;
	p->fo_stream = NULL;
	p->fo_rtp = NULL;
	p->fo_rtp_len = 0;
	p->res.packets.total++;
	if (f->caplen < f->len)
		p->res.packets.truncated++;
	decode_frame(f->linktype, f->data, f->caplen, f->len, &d);
	switch (d.result) {
	case DECODE_L4: {
		const char *why = NULL;
		enum pkt_cat cat = handle_l4(p, &d.l4, f->number, &why);
		count_frame(p, f->number, cat, why);
		break;
	}
	case DECODE_FRAGMENT:
		handle_fragment(p, &d, f->number);
		break;
	case DECODE_MALFORMED:
		count_frame(p, f->number, PKT_MALFORMED, d.reason);
		break;
	case DECODE_UNKNOWN_LINK:
		p->res.packets.unknown_link++;
		warn_unknown_link(p, f);
		count_frame(p, f->number, PKT_OTHER, NULL);
		break;
	case DECODE_TRUNCATED:
	case DECODE_OTHER:
		count_frame(p, f->number, PKT_OTHER, NULL);
		break;
	}
	emit_frame(p, f);
	if (f->number % EXPIRE_EVERY == 0) {
		ipfrag_expire(p->frags, f->ts_ns);
		tcp_table_expire(p->tcp, f->ts_ns);
	}
}

static enum sa_status fill_files(struct pipeline *p)
{
	size_t i, n = capture_file_count(p->cap);
	p->res.files = calloc(n, sizeof *p->res.files);
	if (!p->res.files)
		return SA_NOMEM;
	p->res.nfiles = n;
	for (i = 0; i < n; i++) {
		const struct capture_file_info *fi = capture_file(p->cap, i);
		struct file_summary *fs = &p->res.files[i];
		fs->name = strdup(fi->name);
		fs->frames = fi->frames;
		fs->linktype = fi->linktype;
		fs->link_name = capture_link_name(fi->linktype);
		fs->link_supported = decode_link_supported(fi->linktype);
		fs->read_error = fi->read_error;
		if (fi->read_error)
			fs->error = strdup(fi->error);
		if (!fs->name || (fi->read_error && !fs->error))
			return SA_NOMEM;
	}
	return SA_OK;
}

static void on_bind(void *ctx, const struct endpoint *ep,
		    const struct media_binding *b, const struct endpoint *peer)
{
	struct pipeline *p = ctx;
	flow_table_bind(p->flows, ep, b, peer);
}

enum sa_status pipeline_run(const char *const *names, size_t n,
			    const struct pipeline_options *opt,
			    struct pipeline **out)
{
	struct ipfrag_limits flim = ipfrag_limits_default();
	struct tcp_limits tlim = tcp_limits_default();
	struct ipfrag_callbacks fcb;
	struct tcp_callbacks tcb;
	struct pipeline *p;
	struct sa_frame f;
	enum sa_status rc;
	const struct packet_counts *pc;
	uint64_t sum = 0;
	int i;

	*out = NULL;
	p = calloc(1, sizeof *p);
	if (!p)
		return SA_NOMEM;
	p->diag = opt ? opt->diag : NULL;
	rc = capture_open(names, n, p->diag, &p->cap);
	if (rc != SA_OK) {
		pipeline_free(p);
		return rc;
	}
	memset(&fcb, 0, sizeof fcb);
	fcb.on_drop = on_frag_drop;
	fcb.ctx = p;
	memset(&tcb, 0, sizeof tcb);
	tcb.on_data = on_tcp_data;
	tcb.on_gap = on_tcp_gap;
	tcb.on_close = on_tcp_close;
	tcb.ctx = p;
	p->link_warned = calloc(n, sizeof *p->link_warned);
	p->frags = ipfrag_table_new(&flim, &fcb);
	p->tcp = tcp_table_new(&tlim, &tcb);
	p->calls = call_table_new(p->diag, on_bind, p);
	p->flows = flow_table_new(p->diag);
	p->opt = opt;
	p->streams = stream_table_new(opt ? opt->keys : NULL, p->diag);
	if (!p->link_warned || !p->frags || !p->tcp || !p->calls || !p->flows || !p->streams) {
		pipeline_free(p);
		return SA_NOMEM;
	}
	while (capture_next(p->cap, &f))
		process_frame(p, &f);
	p->frame = NULL;
	ipfrag_flush(p->frags);
	tcp_table_flush(p->tcp);
	{
		const struct tcp_stats *ts = tcp_table_stats(p->tcp);
		p->res.packets.tcp_retransmissions = ts->retransmissions;
		p->res.packets.tcp_out_of_order = ts->out_of_order;
	}
	p->res.calls = p->calls;
	p->res.flows = p->flows;
	p->res.streams = p->streams;
	if (!(opt && opt->learn_only) && !checks_run(&p->res, &p->findings))
		p->nomem = true;
	p->res.findings = &p->findings;
	rc = fill_files(p);
	if (rc != SA_OK || p->nomem) {
		pipeline_free(p);
		return SA_NOMEM;
	}
	pc = &p->res.packets;
	for (i = 0; i < PKT_NCAT; i++)
		sum += pc->cat[i];
	if (sum != pc->total)
		diag_emit(p->diag, DIAG_ERROR, NULL, 0,
			  "internal error: %llu frames read but %llu accounted for; "
			  "please report this with the capture",
			  (unsigned long long)pc->total, (unsigned long long)sum);
	*out = p;
	return SA_OK;
}

const struct result *pipeline_result(const struct pipeline *p)
{
	return &p->res;
}

void pipeline_explain_keys(struct pipeline *p, const struct keyring *kr)
{
	stream_table_explain(p->streams, kr);
	/* The checks that read key reasons (SRTP-ROC-INIT) judge again. */
	findings_cleanup(&p->findings);
	if (!checks_run(&p->res, &p->findings))
		p->nomem = true;
}

bool pipeline_set_file_label(struct pipeline *p, size_t i, const char *label)
{
	char *dup;
	if (i >= p->res.nfiles || !(dup = strdup(label)))
		return false;
	free(p->res.files[i].name);
	p->res.files[i].name = dup;
	return true;
}

void pipeline_free(struct pipeline *p)
{
	size_t i;
	if (!p)
		return;
	tcp_table_free(p->tcp);  /* on_close frees stream states */
	findings_cleanup(&p->findings);
	free(p->turn);
	stream_table_free(p->streams);
	call_table_free(p->calls);
	flow_table_free(p->flows, media_free);
	ipfrag_table_free(p->frags);
	capture_close(p->cap);
	for (i = 0; i < p->res.nfiles; i++) {
		free(p->res.files[i].name);
		free(p->res.files[i].error);
	}
	free(p->res.files);
	free(p->res.malformed);
	free(p->link_warned);
	free(p);
}
