/* checks_media.c - checks on the media flows of each call against what
 * was negotiated: RTCP in the clear, RTCP on the wrong port for the
 * rtcp-mux outcome, one-way media, and a fingerprint change without a new
 * handshake. */
#include <stdio.h>
#include <string.h>

#include "checks_int.h"
#include "streams.h"

/* SRTP was agreed for media i of the exchange: SDES or DTLS answer. */
static bool srtp_agreed(const struct oa_exchange *e, size_t i)
{
	const struct media_desc *am;
	if (!e || !e->answer || e->rejected || i >= e->answer->d.n_media)
		return false;
	am = &e->answer->d.media[i];
	return am->port != 0 && (media_desc_is_sdes(am) || media_desc_answer_uses_dtls(am));
}

static bool mux_agreed(const struct oa_exchange *e, size_t i)
{
	return e && e->answer && i < e->answer->d.n_media && i < e->offer->d.n_media &&
	       e->offer->d.media[i].rtcp_mux && e->answer->d.media[i].rtcp_mux;
}

static void check_media_section(struct chk *k, size_t ci, const struct sa_call *c,
				const struct oa_exchange *e, size_t mi)
{
	const struct flow *const *fv;
	size_t nf = chk_call_flows(k, ci, &fv), j;
	uint64_t sent[2] = { 0, 0 };  /* RTP per party */
	uint64_t first_plain = 0, bad_mux_frame = 0, rtcp_no_dtls = 0;
	bool rtcp_own_dtls = false;
	bool any_rtcp = false, mux = mux_agreed(e, mi);
	for (j = 0; j < nf; j++) {
		const struct flow *f = fv[j];
		const struct flow_media *m = media_of(f);
		int d;
		if (f->media != mi || !m)
			continue;
		for (d = 0; d < 2; d++) {
			const struct media_dir *md = &m->dir[d];
			if (f->party[d] == PARTY_CALLER || f->party[d] == PARTY_CALLEE)
				sent[f->party[d]] += md->rtp;
			if (md->rtcp)
				any_rtcp = true;
			if (md->rtcp_plain && (!first_plain || md->first_rtcp_plain_frame < first_plain))
				first_plain = md->first_rtcp_plain_frame;
			/* RTCP on the RTCP port although muxed, or on the RTP port
			 * although not muxed (RFC 8035 §3.1). */
			if (md->rtcp && f->rtcp_port == mux && !bad_mux_frame)
				bad_mux_frame = md->first_rtcp_frame;
			/* RFC 5764 §3: the RTCP port pair has its own association. */
			if (md->rtcp && f->rtcp_port && !mux) {
				if (m->dtls)
					rtcp_own_dtls = true;
				else if (!rtcp_no_dtls)
					rtcp_no_dtls = md->first_rtcp_frame;
			}
		}
	}
	if (srtp_agreed(e, mi) && any_rtcp) {
		if (first_plain)
			chk_fail(k, (long)ci, (long)mi, -1, "SRTCP-AUTH-REQUIRED", &first_plain, 1,
				 "RTCP without an SRTCP trailer (sent in the clear) at frame %llu "
				 "although SRTP was agreed", (unsigned long long)first_plain);
		else
			chk_pass(k, (long)ci, "SRTCP-AUTH-REQUIRED");
	}
	/* New DTLS handshakes during the call, on the same or on new ports
	 * (RFC 8842 §5.1 wants a new 3-tuple for a new association). */
	{
		unsigned hs = 0;
		uint64_t second = 0;
		for (j = 0; j < nf; j++) {
			const struct flow_media *m = media_of(fv[j]);
			const struct dtls_summary *ds;
			unsigned h;
			if (fv[j]->media != mi || fv[j]->rtcp_port || !m || !m->dtls)
				continue;
			ds = dtls_assoc_summary(m->dtls);
			for (h = 0; h < ds->n_handshakes; h++) {
				if (!ds->hs[h].ch.seen)
					continue;
				if (hs++ >= 1 && (!second || ds->hs[h].first_client_hello.frame < second))
					second = ds->hs[h].first_client_hello.frame;
			}
		}
		if (hs > 1)
			chk_fail(k, (long)ci, (long)mi, -1, "DTLS-REHANDSHAKE", &second, 1,
				 "%u DTLS handshakes for this m-line: new SRTP keys from frame %llu",
				 hs, (unsigned long long)second);
	}
	if (any_rtcp) {
		if (bad_mux_frame)
			chk_fail(k, (long)ci, (long)mi, -1, "MUX-NEGOTIATED-USED", &bad_mux_frame, 1,
				 "RTCP at frame %llu was sent on the %s port although rtcp-mux was %s",
				 (unsigned long long)bad_mux_frame, mux ? "RTCP" : "RTP",
				 mux ? "agreed" : "not agreed");
		else
			chk_pass(k, (long)ci, "MUX-NEGOTIATED-USED");
	}
	if (e->answer && mi < e->answer->d.n_media &&
	    media_desc_answer_uses_dtls(&e->answer->d.media[mi]) && (rtcp_no_dtls || rtcp_own_dtls)) {
		if (rtcp_no_dtls)
			chk_fail(k, (long)ci, (long)mi, -1, "DTLS-PER-PORTPAIR", &rtcp_no_dtls, 1,
				 "RTCP on the RTCP port (no rtcp-mux) from frame %llu, but no DTLS "
				 "handshake on that port pair", (unsigned long long)rtcp_no_dtls);
		else
			chk_pass(k, (long)ci, "DTLS-PER-PORTPAIR");
	}
	/* One-way media on an answered sendrecv stream. */
	if (c->outcome == OUTCOME_ANSWERED && (sent[0] || sent[1]) &&
	    e->answer && mi < e->answer->d.n_media && e->answer->d.media[mi].port != 0) {
		/* An answer may carry more m-lines than its offer. */
		enum sdp_dir od = mi < e->offer->d.n_media ? e->offer->d.media[mi].dir : SDP_DIR_NONE;
		enum sdp_dir ad = e->answer->d.media[mi].dir;
		bool sendrecv = (od == SDP_DIR_NONE || od == SDP_DIR_SENDRECV) &&
				(ad == SDP_DIR_NONE || ad == SDP_DIR_SENDRECV);
		if (!sendrecv)
			return;
		if (!sent[0] || !sent[1]) {
			uint64_t fr = c->answer_frame;
			chk_fail(k, (long)ci, (long)mi, -1, "MEDIA-ONE-WAY", &fr, 1,
				 "the %s sent %llu RTP packets, the %s none",
				 party_name(sent[0] ? PARTY_CALLER : PARTY_CALLEE),
				 (unsigned long long)(sent[0] ? sent[0] : sent[1]),
				 party_name(sent[0] ? PARTY_CALLEE : PARTY_CALLER));
		} else {
			chk_pass(k, (long)ci, "MEDIA-ONE-WAY");
		}
	}
}

static bool same_fps(const struct media_desc *a, const struct media_desc *b)
{
	size_t i;
	if (a->n_fp != b->n_fp)
		return false;
	for (i = 0; i < a->n_fp; i++)
		if (a->fp[i].len != b->fp[i].len || memcmp(a->fp[i].bytes, b->fp[i].bytes, a->fp[i].len))
			return false;
	return true;
}

/* A party's fingerprint for media i changed between two answered
 * exchanges, and no ClientHello on the call's flows followed the change. */
static void check_fp_change(struct chk *k, size_t ci, const struct sa_call *c)
{
	const struct flow *const *fv;
	size_t nf = chk_call_flows(k, ci, &fv), a, b, i, j;
	for (a = 0; a < c->n_ex; a++) {
		if (!c->ex[a].answer || c->ex[a].rejected)
			continue;
		for (b = a + 1; b < c->n_ex; b++)
			if (c->ex[b].answer && !c->ex[b].rejected)
				break;
		if (b >= c->n_ex)
			return;
		for (i = 0; i < c->ex[b].offer->d.n_media; i++) {
			int p;
			for (p = 0; p < 2; p++) {
				const struct call_sdp *s0 = exchange_sdp_of(&c->ex[a], (enum party)p);
				const struct call_sdp *s1 = exchange_sdp_of(&c->ex[b], (enum party)p);
				uint64_t changed;
				bool rehandshake = false;
				if (!s0 || !s1 || i >= s0->d.n_media || i >= s1->d.n_media ||
				    !media_desc_answer_uses_dtls(&s1->d.media[i]) || s1->d.media[i].port == 0)
					continue;
				if (same_fps(&s0->d.media[i], &s1->d.media[i])) {
					chk_pass(k, (long)ci, "FP-CHANGED-NO-HANDSHAKE");
					continue;
				}
				changed = s1->d.frame;
				/* A new handshake may start right after the re-offer
				 * (an active answerer's ClientHello precedes its
				 * answer). */
				for (j = 0; j < nf && !rehandshake; j++) {
					const struct flow_media *m = media_of(fv[j]);
					const struct dtls_summary *s;
					unsigned h;
					if (!m || !m->dtls)
						continue;
					s = dtls_assoc_summary(m->dtls);
					for (h = 0; h < s->n_handshakes; h++)
						if (s->hs[h].first_client_hello.frame > c->ex[b].offer->d.frame)
							rehandshake = true;
				}
				if (rehandshake) {
					chk_pass(k, (long)ci, "FP-CHANGED-NO-HANDSHAKE");
					continue;
				}
				chk_fail(k, (long)ci, (long)i, -1, "FP-CHANGED-NO-HANDSHAKE", &changed, 1,
					 "the %s's fingerprint changed in %s (frame %llu) but no new "
					 "DTLS handshake followed", party_name((enum party)p),
					 s1->carrier, (unsigned long long)changed);
			}
		}
	}
}

/* What decryption showed, per RTP stream. */
static void check_stream(void *ctx, const struct stream *s)
{
	struct chk *k = ctx;
	char a[SA_ENDPOINT_STRLEN], b[SA_ENDPOINT_STRLEN];
	uint64_t fr = s->first_frame;
	struct rtpstats_summary st;
	if (s->kind != SDEC_RTP)
		return;
	endpoint_format(&s->src, a, sizeof a);
	endpoint_format(&s->dst, b, sizeof b);
	if (s->ncand > 0 && s->decrypted == 0 && s->auth_failures > 0) {
		if (s->plain_looking == s->auth_failures)
			chk_fail(k, s->call, s->media, -1, "MEDIA-PLAIN-RTP", &fr, 1,
				 "RTP 0x%08x %s -> %s: %llu packets without authentication tag, "
				 "none authenticates with the keys (%s)", s->ssrc, a, b,
				 (unsigned long long)s->packets, s->cand[0]->origin);
		else
			chk_fail(k, s->call, s->media, -1, "SRTP-AUTH-FAIL", &fr, 1,
				 "RTP 0x%08x %s -> %s: none of %llu packets authenticates with "
				 "the keys (%s)", s->ssrc, a, b,
				 (unsigned long long)s->packets, s->cand[0]->origin);
	} else if (s->ncand > 0 && s->decrypted > 0) {
		chk_pass(k, s->call, "MEDIA-PLAIN-RTP");
		chk_pass(k, s->call, "SRTP-AUTH-FAIL");
	}
	rtpstats_get(&s->stats, &st);
	if (st.duplicates)
		chk_fail(k, s->call, s->media, -1, "SRTP-REPLAY", &fr, 1,
			 "RTP 0x%08x %s -> %s: %llu duplicated packets (same index)",
			 s->ssrc, a, b, (unsigned long long)st.duplicates);
	else if (s->decrypted)
		chk_pass(k, s->call, "SRTP-REPLAY");
	if (s->call < 0 && s->miss == KEYMISS_NO_SIGNALLING && s->ncand == 0)
		chk_fail(k, -1, -1, -1, "SRTP-ROC-INIT", &fr, 1,
			 "RTP 0x%08x %s -> %s starts at SEQ %u with no SDP or DTLS handshake in "
			 "the capture: its rollover counter is unknown", s->ssrc, a, b,
			 s->first_seq);
}

void checks_media(struct chk *k)
{
	size_t ci, ncalls;
	if (k->r->streams)
		streams_foreach(k->r->streams, check_stream, k);
	if (!k->r->calls)
		return;
	ncalls = call_table_count(k->r->calls);
	for (ci = 0; ci < ncalls; ci++) {
		const struct sa_call *c = call_table_at(k->r->calls, ci);
		const struct oa_exchange *e = call_active_exchange(c);
		size_t mi;
		if (!e || !e->offer)
			continue;
		for (mi = 0; mi < e->offer->d.n_media; mi++)
			check_media_section(k, ci, c, e, mi);
		check_fp_change(k, ci, c);
	}
}
