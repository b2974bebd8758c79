/* replay_plan.c - what the replayed side of a captured call said and sent,
 * from the analyzer's model (struct result) and the clear RTP of the
 * decrypting pass.  Nothing here reads capture bytes. */
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "pipeline.h"
#include "replay.h"
#include "result.h"
#include "streams.h"

static void copy_cut(char *dst, size_t cap, const char *src)
{
	size_t n = src ? strlen(src) : 0;
	if (n >= cap)
		n = cap - 1;
	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

void replay_plan_init(struct replay_plan *p, const char *call_id, enum party side)
{
	memset(p, 0, sizeof *p);
	copy_cut(p->call_id, sizeof p->call_id, call_id);
	p->side = side;
	p->offer_method = REPLAY_METHOD_NONE;
	p->answer_method = REPLAY_METHOD_NONE;
}

void replay_plan_cleanup(struct replay_plan *p)
{
	size_t i;
	if (!p)
		return;
	for (i = 0; i < p->n; i++)
		free(p->pkts[i].payload);
	free(p->pkts);
	p->pkts = NULL;
	p->n = p->cap = 0;
}

void replay_plan_on_frame(void *ctx, const struct frame_out *fo)
{
	struct replay_plan *p = ctx;
	const struct stream *s = fo->stream;
	struct replay_pkt *k;
	size_t hl, plen;
	uint8_t cc, b0;
	if (!fo->rtp || !s || s->kind != SDEC_RTP || !fo->call_id)
		return;
	if (!p->call_id[0])   /* no --call: the capture's only call */
		copy_cut(p->call_id, sizeof p->call_id, fo->call_id);
	if (strcmp(fo->call_id, p->call_id) != 0)
		return;
	if (s->sender != p->side) {
		if (s->sender != PARTY_NONE)
			p->other_side_packets++;
		return;
	}
	/* RFC 3550 §5.1: 12-octet header, CSRCs, optional extension (§5.3.1). */
	if (fo->rtp_len < 12 || (fo->rtp[0] >> 6) != 2)
		return;
	b0 = fo->rtp[0];
	cc = b0 & 0x0f;
	hl = 12u + 4u * cc;
	if ((b0 & 0x10) && fo->rtp_len >= hl + 4)
		hl += 4u + 4u * (((size_t)fo->rtp[hl + 2] << 8) | fo->rtp[hl + 3]);
	if (hl > fo->rtp_len)
		return;
	plen = fo->rtp_len - hl;
	/* RFC 3550 §5.1: padding count in the last octet. */
	if ((b0 & 0x20) && plen > 0 && fo->rtp[fo->rtp_len - 1] <= plen)
		plen -= fo->rtp[fo->rtp_len - 1];
	if (p->n == REPLAY_MAX_PACKETS || plen > 0xffff ||
	    p->payload_bytes + plen > REPLAY_MAX_PAYLOAD_BYTES) {
		p->dropped++;
		return;
	}
	if (p->n == p->cap) {
		size_t nc = p->cap ? p->cap * 2 : 256;
		struct replay_pkt *v;
		if (nc > REPLAY_MAX_PACKETS)
			nc = REPLAY_MAX_PACKETS;
		v = realloc(p->pkts, nc * sizeof *v);
		if (!v) {
			p->dropped++;
			return;
		}
		p->pkts = v;
		p->cap = nc;
	}
	k = &p->pkts[p->n];
	memset(k, 0, sizeof *k);
	k->payload = malloc(plen ? plen : 1);
	if (!k->payload) {
		p->dropped++;
		return;
	}
	memcpy(k->payload, fo->rtp + hl, plen);
	k->plen = (uint16_t)plen;
	k->pt = fo->rtp[1] & 0x7f;
	k->marker = (fo->rtp[1] & 0x80) != 0;
	{
		uint32_t ts = ((uint32_t)fo->rtp[4] << 24) | ((uint32_t)fo->rtp[5] << 16) |
			      ((uint32_t)fo->rtp[6] << 8) | fo->rtp[7];
		if (p->n == 0) {
			p->first_ns = fo->frame->ts_ns;
			p->first_ts = ts;
		}
		k->ts_off = ts - p->first_ts;
	}
	k->t_ns = fo->frame->ts_ns >= p->first_ns ? fo->frame->ts_ns - p->first_ns : 0;
	p->payload_bytes += plen;
	p->n++;
}

/* The SRTP method an SDP m-line offers (DESIGN.md numbering). */
static int media_method(const struct media_desc *m)
{
	bool dtls = media_desc_is_dtls(m), sdes = media_desc_is_sdes(m);
	if (dtls && sdes)
		return 3;
	if (dtls)
		return 2;
	if (sdes)
		return strstr(m->proto, "SAVP") ? 1 : 0;
	return REPLAY_METHOD_NONE;
}

static void uri_user(const char *uri, char *out, size_t cap)
{
	const char *s = uri ? strchr(uri, ':') : NULL;
	const char *e;
	size_t n;
	out[0] = '\0';
	if (!s)
		return;
	s++;
	e = strchr(s, '@');
	if (!e)
		return;
	n = (size_t)(e - s);
	if (n >= cap)
		n = cap - 1;
	memcpy(out, s, n);
	out[n] = '\0';
}

enum sa_status replay_plan_finish(struct replay_plan *p, const struct result *r)
{
	const struct sa_call *c;
	const struct oa_exchange *e;
	long i = r && r->calls ? call_table_find(r->calls, p->call_id) : -1;
	if (i < 0)
		return SA_UNSUPPORTED;
	c = call_table_at(r->calls, (size_t)i);
	p->call_found = true;
	uri_user(c->from, p->from_user, sizeof p->from_user);
	uri_user(c->to, p->to_user, sizeof p->to_user);
	p->outcome = c->outcome;
	p->final_code = c->final_code;
	p->side_sent_bye = c->bye_frame && c->bye_from == p->side;
	{
		size_t k;
		for (k = 1; k < c->n_ex; k++)
			if (c->ex[k].reoffer && c->ex[k].offerer == p->side && c->ex[k].offer &&
			    strncmp(c->ex[k].offer->carrier, "INVITE", 7) == 0)
				p->side_reinvited = true;
	}
	e = c->n_ex ? &c->ex[0] : NULL;
	if (e && e->offer && e->offer->d.n_media > 0)
		p->offer_method = media_method(&e->offer->d.media[0]);
	if (e && e->answer && e->answer->d.n_media > 0) {
		const struct media_desc *m = &e->answer->d.media[0];
		if (media_desc_answer_uses_dtls(m))
			p->answer_method = 2;
		else if (media_desc_is_sdes(m))
			p->answer_method = strstr(m->proto, "SAVP") ? 1 : 0;
	}
	return SA_OK;
}
