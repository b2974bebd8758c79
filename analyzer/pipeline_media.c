/* pipeline_media.c - UDP media of the one pass: flows, streams and
 * decryption, and media relayed by TURN.  See pipeline_int.h. */
#include "pipeline_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


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
	 * captured; without a writer nothing is. */
	if (v != SV_DECRYPTED || !p->frame || p->frame->number != frame || !m->l4 ||
	    !m->l4->l4_hdr || !p->opt || !p->opt->on_frame)
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
	if (cat == PKT_DTLS)
		pipeline_key_source(p);
	cat = media_on_datagram(f, dir, cat, m->data, m->len, frame,
				p->frame->ts_ns, (struct diag_sink *)p->diag, why);
	f->cat[dir][cat]++;
	if (!p->learning && (cat == PKT_RTP || cat == PKT_RTCP))
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
enum pkt_cat pipeline_turn_relay(struct pipeline *p, const struct endpoint *src,
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

enum pkt_cat pipeline_udp(struct pipeline *p, const struct decode_l4 *l4,
			       uint64_t frame, const char **why)
{
	enum pkt_cat cat = classify_udp(&l4->tuple, l4->payload, l4->len);
	struct media_pkt m;
	struct turn_msg tm;
	if (cat == PKT_SIP) {
		if (classify_sip_start(l4->payload, l4->len))
			return pipeline_sip(p, l4->payload, l4->len, SIP_PARSE_DATAGRAM,
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
		enum pkt_cat inner = pipeline_turn_relay(p, &l4->tuple.src, &l4->tuple.dst, &tm, frame, why);
		return tm.kind == TURN_CHANNEL_DATA ? inner : cat;
	}
	m.src = &l4->tuple.src;
	m.dst = &l4->tuple.dst;
	m.data = l4->payload;
	m.len = l4->len;
	m.l4 = l4;
	return handle_media(p, cat, &m, frame, why);
}
