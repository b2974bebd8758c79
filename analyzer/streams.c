/* streams.c - see streams.h. */
#include "streams.h"

#include <stdlib.h>
#include <string.h>

#define STREAM_BUCKETS 8192u

struct stream_table {
	struct stream *bucket[STREAM_BUCKETS];
	struct stream **all;
	size_t n, cap;
	const struct keyring *kr;
	const struct diag_sink *diag;
	bool warned;
};

struct stream_table *stream_table_new(const struct keyring *kr,
				      const struct diag_sink *diag)
{
	struct stream_table *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->kr = kr;
	t->diag = diag;
	return t;
}

void stream_table_free(struct stream_table *t)
{
	size_t i;
	if (!t)
		return;
	for (i = 0; i < t->n; i++) {
		sdec_stream_free(t->all[i]->dec);
		free(t->all[i]);
	}
	free(t->all);
	free(t);
}

static size_t slot_of(const struct endpoint *src, const struct endpoint *dst,
		      enum sdec_kind kind, uint32_t ssrc)
{
	uint64_t h = endpoint_hash(src, 7) ^ (endpoint_hash(dst, 11) * 3) ^
		     ((uint64_t)ssrc * 0x9e3779b97f4a7c15ULL) ^ (uint64_t)kind;
	return (size_t)((h ^ (h >> 31)) % STREAM_BUCKETS);
}

static struct stream *stream_get(struct stream_table *t, const struct endpoint *src,
				 const struct endpoint *dst, enum sdec_kind kind,
				 uint32_t ssrc, uint16_t pkt_seq, uint64_t frame,
				 const struct stream_ctx *ctx)
{
	size_t slot = slot_of(src, dst, kind, ssrc);
	struct stream *s;
	for (s = t->bucket[slot]; s; s = s->next)
		if (s->ssrc == ssrc && s->kind == kind && endpoint_eq(&s->src, src) &&
		    endpoint_eq(&s->dst, dst))
			return s;
	if (t->n == STREAMS_MAX) {
		if (!t->warned)
			diag_emit(t->diag, DIAG_WARNING, NULL, frame,
				  "more than %d RTP/RTCP streams: further ones are not decrypted",
				  STREAMS_MAX);
		t->warned = true;
		return NULL;
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		struct stream **all = realloc(t->all, cap * sizeof *all);
		if (!all)
			return NULL;
		t->all = all;
		t->cap = cap;
	}
	s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->src = *src;
	s->dst = *dst;
	s->kind = kind;
	s->ssrc = ssrc;
	s->call = ctx->call;
	s->media = ctx->media;
	s->sender = ctx->sender;
	s->first_frame = frame;
	if (kind == SDEC_RTP)
		s->first_seq = (uint16_t)(pkt_seq);
	rtpstats_init(&s->stats, ctx->clock_rate);
	if (t->kr)
		s->ncand = keyring_candidates(t->kr, src, dst, ssrc, s->cand, STREAM_CANDS, &s->miss);
	else
		s->miss = KEYMISS_NO_SIGNALLING;
	s->key_idx = s->ncand;
	s->next = t->bucket[slot];
	t->bucket[slot] = s;
	t->all[t->n++] = s;
	return s;
}

/* Try one packet with candidate i; keeps the engine stream when it works. */
static bool try_key(struct stream_table *t, struct stream *s, size_t i,
		    const uint8_t *pkt, size_t len, uint8_t *out, size_t cap,
		    struct sdec_result *res)
{
	struct sdec_stream *d = NULL;
	if (sdec_stream_new(&s->cand[i]->params, s->kind, s->ssrc, &d, t->diag) != SA_OK)
		return false;
	if (sdec_unprotect(d, pkt, len, out, cap, res) != SA_OK ||
	    res->verdict != SDEC_DECRYPTED) {
		sdec_stream_free(d);
		return false;
	}
	sdec_stream_free(s->dec);
	s->dec = d;
	s->key_idx = i;
	return true;
}

static void rtp_stats(struct stream *s, const uint8_t *p, size_t len, uint64_t ts)
{
	if (s->kind != SDEC_RTP || len < 12)
		return;
	rtpstats_packet(&s->stats, (uint16_t)(p[2] << 8 | p[3]),
			(uint32_t)p[4] << 24 | (uint32_t)p[5] << 16 | (uint32_t)p[6] << 8 | p[7],
			p[1] & 0x7f, ts);
}

enum stream_verdict streams_packet(struct stream_table *t, const struct endpoint *src,
				   const struct endpoint *dst, enum sdec_kind kind,
				   const uint8_t *pkt, size_t len, uint64_t frame,
				   uint64_t ts_ns, const struct stream_ctx *ctx,
				   uint8_t *out, size_t cap, size_t *out_len,
				   struct stream **sout)
{
	struct sdec_result res;
	struct stream *s;
	uint32_t ssrc;
	size_t i;
	bool ok = false;
	*out_len = 0;
	*sout = NULL;
	if (!sdec_packet_ssrc(kind, pkt, len, &ssrc))
		return SV_SKIPPED;
	if (ctx->cache && *ctx->cache && (*ctx->cache)->ssrc == ssrc) {
		s = *ctx->cache;
	} else {
		s = stream_get(t, src, dst, kind, ssrc,
			       len >= 4 ? (uint16_t)(pkt[2] << 8 | pkt[3]) : 0, frame, ctx);
		if (!s)
			return SV_SKIPPED;
		if (ctx->cache)
			*ctx->cache = s;
	}
	*sout = s;
	s->packets++;
	s->last_frame = frame;
	/* The RTP header travels in clear under SRTP too (RFC 3711 §3.1):
	 * sequence, loss and jitter need no key. */
	rtp_stats(s, pkt, len, ts_ns);
	if (s->ncand == 0) {
		if (s->miss == KEYMISS_NOT_SRTP) {
			s->plaintext++;
			return SV_PLAIN;
		}
		s->no_key++;
		return SV_NO_KEY;
	}
	memset(&res, 0, sizeof res);
	if (s->dec) {
		ok = sdec_unprotect(s->dec, pkt, len, out, cap, &res) == SA_OK &&
		     res.verdict == SDEC_DECRYPTED;
	}
	/* No key chosen yet, or a run of failures: try every candidate (on a
	 * stream that never authenticated, only now and then: each try keys a
	 * libsrtp session). */
	if (!ok && (!s->dec || s->consecutive_failures + 1 >= STREAM_REKEY_FAILURES) &&
	    (s->dec || s->auth_failures < 32 || s->auth_failures % 64 == 0)) {
		for (i = 0; i < s->ncand && !ok; i++)
			if (i != s->key_idx || !s->dec)
				ok = try_key(t, s, i, pkt, len, out, cap, &res);
	}
	if (!ok) {
		if (kind == SDEC_RTP && len > 12 && ((pkt[1] & 0x7f) == 0 || (pkt[1] & 0x7f) == 8) &&
		    !(pkt[0] & 0x3f) && (len - 12) % 80 == 0)
			s->plain_looking++;
		s->auth_failures++;
		s->consecutive_failures++;
		if (!s->first_auth_failure_frame)
			s->first_auth_failure_frame = frame;
		return SV_AUTH_FAILED;
	}
	s->consecutive_failures = 0;
	s->decrypted++;
	if (res.duplicate)
		s->duplicates++;
	if (res.out_of_order)
		s->out_of_order++;
	if (kind == SDEC_RTCP && !res.encrypted)
		s->unencrypted_rtcp++;
	*out_len = res.len;
	return SV_DECRYPTED;
}

void streams_foreach(const struct stream_table *t,
		     void (*fn)(void *ctx, const struct stream *s), void *ctx)
{
	size_t i;
	for (i = 0; i < t->n; i++)
		fn(ctx, t->all[i]);
}

size_t streams_count(const struct stream_table *t)
{
	return t->n;
}

void streams_foreach_mut(struct stream_table *t,
			 void (*fn)(void *ctx, struct stream *s), void *ctx)
{
	size_t i;
	for (i = 0; i < t->n; i++)
		fn(ctx, t->all[i]);
}

void stream_table_explain(struct stream_table *t, const struct keyring *kr)
{
	const struct key_entry *v[STREAM_CANDS];
	size_t i;
	for (i = 0; i < t->n; i++) {
		struct stream *s = t->all[i];
		enum key_miss miss;
		if (s->ncand || keyring_candidates(kr, &s->src, &s->dst, s->ssrc, v,
						   STREAM_CANDS, &miss))
			continue;
		s->miss = miss;
		if (miss == KEYMISS_NOT_SRTP) {
			s->plaintext += s->no_key;
			s->no_key = 0;
		}
	}
}
