/* checks_sdp.c - checks on what the signalling said: a=setup, a=fingerprint
 * syntax, rtcp-mux negotiation, SDES attributes, the keying method of the
 * answer.  One pass over every offer/answer exchange of every call. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks_int.h"

static const char *setup_str(enum sdp_setup s)
{
	return s == SDP_SETUP_NONE ? "(none)" : sdp_setup_name(s);
}

/* RFC 4145 §4.1 table of legal answers. */
static bool setup_pair_ok(enum sdp_setup offer, enum sdp_setup answer)
{
	if (offer == SDP_SETUP_NONE)
		offer = SDP_SETUP_ACTIVE;   /* offer default */
	if (answer == SDP_SETUP_NONE)
		answer = SDP_SETUP_PASSIVE; /* answer default */
	switch (offer) {
	case SDP_SETUP_ACTIVE:
		return answer == SDP_SETUP_PASSIVE;
	case SDP_SETUP_PASSIVE:
		return answer == SDP_SETUP_ACTIVE;
	case SDP_SETUP_ACTPASS:
		return answer == SDP_SETUP_ACTIVE || answer == SDP_SETUP_PASSIVE;
	default:
		return false;
	}
}

static bool hash_is(const struct desc_fp *f, const char *name)
{
	return strcasecmp(f->hash, name) == 0;
}

static void check_fingerprints(struct chk *k, long ci, long mi, const struct call_sdp *s,
			       const struct media_desc *m)
{
	uint64_t fr = s->d.frame;
	size_t j;
	bool strong = false;
	const char *who = party_name(s->from);
	if (m->n_fp == 0) {
		chk_fail(k, ci, mi, -1, "FP-PRESENT", &fr, 1,
			 "the %s's SDP (%s) has no a=fingerprint for this %s m-line; expected one "
			 "at media or session level", who, s->carrier, m->proto);
		return;
	}
	chk_pass(k, ci, "FP-PRESENT");
	for (j = 0; j < m->n_fp; j++) {
		const struct desc_fp *f = &m->fp[j];
		size_t want = sdp_fingerprint_hash_len(sv_cstr(f->hash));
		if (!f->ok || want == 0 || f->len != want)
			chk_fail(k, ci, mi, -1, "FP-SYNTAX", &fr, 1,
				 "%s's a=fingerprint (SDP line %u) is '%s' with %zu bytes; expected a "
				 "known hash and %zu bytes", who, f->line, f->hash, f->len, want);
		else
			chk_pass(k, ci, "FP-SYNTAX");
		if (f->lower_hex)
			chk_fail(k, ci, mi, -1, "FP-HEX-UPPER", &fr, 1,
				 "%s's a=fingerprint (SDP line %u) uses lower-case hex; RFC 8122 "
				 "grammar says upper case", who, f->line);
		else
			chk_pass(k, ci, "FP-HEX-UPPER");
		if (hash_is(f, "md5") || hash_is(f, "md2"))
			chk_fail(k, ci, mi, -1, "FP-MD5-MD2", &fr, 1,
				 "%s offers a %s fingerprint; use sha-256", who, f->hash);
		else
			chk_pass(k, ci, "FP-MD5-MD2");
		if (hash_is(f, "sha-256") || hash_is(f, "sha-384") || hash_is(f, "sha-512"))
			strong = true;
	}
	if (!strong)
		chk_fail(k, ci, mi, -1, "FP-SHA256-PRESENT", &fr, 1,
			 "%s's fingerprints use only %s; expected a sha-256 (or stronger) one",
			 who, m->fp[0].hash);
	else
		chk_pass(k, ci, "FP-SHA256-PRESENT");
}

static void check_setup(struct chk *k, long ci, long mi, const struct oa_exchange *e,
			const struct media_desc *om, const struct media_desc *am)
{
	uint64_t fo = e->offer->d.frame, fa = e->answer ? e->answer->d.frame : 0;
	if (om->setup == SDP_SETUP_NONE)
		chk_fail(k, ci, mi, -1, "SETUP-MISSING", &fo, 1,
			 "the %s's offer (%s) has no a=setup; RFC 4145 makes the offerer active "
			 "by default", party_name(e->offerer), e->offer->carrier);
	else
		chk_pass(k, ci, "SETUP-MISSING");
	if (om->setup == SDP_SETUP_HOLDCONN || (am && am->setup == SDP_SETUP_HOLDCONN))
		chk_fail(k, ci, mi, -1, "SETUP-HOLDCONN", om->setup == SDP_SETUP_HOLDCONN ? &fo : &fa, 1,
			 "a=setup:holdconn on a DTLS m-line");
	else
		chk_pass(k, ci, "SETUP-HOLDCONN");
	if (om->setup != SDP_SETUP_NONE && om->setup != SDP_SETUP_ACTPASS) {
		if (e->reoffer)
			chk_fail(k, ci, mi, -1, "SETUP-REOFFER-ACTPASS", &fo, 1,
				 "re-offer (%s) says a=setup:%s; expected actpass",
				 e->offer->carrier, setup_str(om->setup));
		else
			chk_fail(k, ci, mi, -1, "SETUP-OFFER-ACTPASS", &fo, 1,
				 "offer (%s) says a=setup:%s; expected actpass",
				 e->offer->carrier, setup_str(om->setup));
	} else {
		chk_pass(k, ci, e->reoffer ? "SETUP-REOFFER-ACTPASS" : "SETUP-OFFER-ACTPASS");
	}
	if (!am)
		return;
	if (am->setup == SDP_SETUP_NONE) {
		chk_fail(k, ci, mi, -1, "SETUP-MISSING", &fa, 1,
			 "the answer (%s) has no a=setup; RFC 4145 makes the answerer passive "
			 "by default", e->answer->carrier);
	}
	if (am->setup == SDP_SETUP_ACTPASS)
		chk_fail(k, ci, mi, -1, "SETUP-ANSWER-ACTPASS", &fa, 1,
			 "answer (%s) says a=setup:actpass; expected active or passive",
			 e->answer->carrier);
	else
		chk_pass(k, ci, "SETUP-ANSWER-ACTPASS");
	if (am->setup != SDP_SETUP_ACTPASS && !setup_pair_ok(om->setup, am->setup))
		chk_fail(k, ci, mi, -1, "SETUP-ANSWER-PAIR", &fa, 1,
			 "answer a=setup:%s to an offer of a=setup:%s is not a legal reply "
			 "(RFC 4145 §4.1)", setup_str(am->setup), setup_str(om->setup));
	else
		chk_pass(k, ci, "SETUP-ANSWER-PAIR");
	if (om->setup == SDP_SETUP_ACTPASS && am->setup == SDP_SETUP_PASSIVE)
		chk_fail(k, ci, mi, -1, "SETUP-ANSWER-ACTIVE-PREF", &fa, 1,
			 "the answerer chose passive: the offerer becomes the DTLS client");
	else if (om->setup == SDP_SETUP_ACTPASS)
		chk_pass(k, ci, "SETUP-ANSWER-ACTIVE-PREF");
}

static void check_mux(struct chk *k, long ci, long mi, const struct oa_exchange *e,
		      const struct media_desc *om, const struct media_desc *am)
{
	uint64_t fa = e->answer->d.frame;
	size_t j;
	if (am->rtcp_mux && !om->rtcp_mux)
		chk_fail(k, ci, mi, -1, "MUX-ANSWER-NOT-OFFERED", &fa, 1,
			 "the answer (%s) has a=rtcp-mux; the offer had none", e->answer->carrier);
	else
		chk_pass(k, ci, "MUX-ANSWER-NOT-OFFERED");
	if (om->rtcp_mux_only) {
		if (am->port != 0 && !am->rtcp_mux)
			chk_fail(k, ci, mi, -1, "MUXONLY-ANSWER", &fa, 1,
				 "the offer demanded rtcp-mux-only; the answer accepted the stream "
				 "(port %u) without a=rtcp-mux", am->port);
		else
			chk_pass(k, ci, "MUXONLY-ANSWER");
	}
	if (am->rtcp_mux_only)
		chk_fail(k, ci, mi, -1, "MUXONLY-IN-ANSWER", &fa, 1,
			 "a=rtcp-mux-only in the answer (%s)", e->answer->carrier);
	else
		chk_pass(k, ci, "MUXONLY-IN-ANSWER");
	if (om->rtcp_mux && am->rtcp_mux && am->port != 0) {
		const struct media_desc *both[2] = { om, am };
		int s;
		bool bad = false;
		for (s = 0; s < 2 && !bad; s++)
			for (j = 0; j < both[s]->n_codecs; j++)
				if (both[s]->codecs[j].pt >= 64 && both[s]->codecs[j].pt <= 95) {
					uint64_t fr = s ? e->answer->d.frame : e->offer->d.frame;
					chk_fail(k, ci, mi, -1, "MUX-PT-64-95", &fr, 1,
						 "payload type %u in the %s with rtcp-mux; RTP payload "
						 "types 64-95 collide with RTCP", both[s]->codecs[j].pt,
						 s ? "answer" : "offer");
					bad = true;
					break;
				}
		if (!bad)
			chk_pass(k, ci, "MUX-PT-64-95");
	}
}

static bool crypto_offered(const struct media_desc *om, const struct desc_crypto *a)
{
	size_t j;
	for (j = 0; j < om->n_crypto; j++)
		if (om->crypto[j].tag == a->tag &&
		    strcasecmp(om->crypto[j].suite, a->suite) == 0)
			return true;
	return false;
}

static void check_sdes_attrs(struct chk *k, long ci, long mi, const struct call_sdp *s,
			     const struct media_desc *m, const struct sa_call *c)
{
	uint64_t fr = s->d.frame;
	size_t j;
	for (j = 0; j < m->n_crypto; j++) {
		static const struct {
			const char *id;
			uint32_t mask;
			const char *what;
		} kinds[] = {
			{ "SDES-KEYLEN", 1u << SDES_ERR_KEY_LENGTH,
			  "key||salt length does not match the suite" },
			{ "SDES-LIFETIME", 1u << SDES_ERR_LIFETIME, "bad lifetime" },
			{ "SDES-MKI", (1u << SDES_ERR_MKI) | (1u << SDES_ERR_MKI_MISMATCH),
			  "bad or inconsistent MKI" },
			{ "SDES-UNKNOWN-PARAM", 1u << SDES_ERR_UNKNOWN_PARAM,
			  "unknown mandatory session parameter" },
			{ "SDES-GRAMMAR", ~((1u << SDES_ERR_KEY_LENGTH) | (1u << SDES_ERR_LIFETIME) |
					    (1u << SDES_ERR_MKI) | (1u << SDES_ERR_MKI_MISMATCH) |
					    (1u << SDES_ERR_UNKNOWN_PARAM)),
			  "does not follow the RFC 4568 grammar (suite, tag, base64, parameters)" },
		};
		const struct desc_crypto *cr = &m->crypto[j];
		size_t q;
		for (q = 0; q < sizeof kinds / sizeof kinds[0]; q++) {
			if (cr->errors & kinds[q].mask) {
				char extra[64] = "";
				if (q == 0 && cr->s)
					snprintf(extra, sizeof extra, " (%zu octets; %s needs %u)",
						 cr->key_len, cr->s->name,
						 (unsigned)(cr->s->key_len + cr->s->salt_len));
				chk_fail(k, ci, mi, -1, kinds[q].id, &fr, 1,
					 "%s's a=crypto tag %u %s: %s%s", party_name(s->from),
					 cr->tag, cr->suite, kinds[q].what, extra);
			} else {
				chk_pass(k, ci, kinds[q].id);
			}
		}
	}
	if (m->n_crypto == 0)
		return;
	if (strstr(m->proto, "SAVP") == NULL)
		chk_fail(k, ci, mi, -1, "SDES-SRTP-TRANSPORT", &fr, 1,
			 "a=crypto on %s: opportunistic SRTP, which may fall back to plain RTP",
			 m->proto);
	else
		chk_pass(k, ci, "SDES-SRTP-TRANSPORT");
	/* The analyzer read the key: the signalling was not encrypted.
	 * Reported once per party and call. */
	if (k->sdes_clear_reported[s->from == PARTY_CALLEE])
		return;
	k->sdes_clear_reported[s->from == PARTY_CALLEE] = true;
	chk_fail(k, ci, mi, -1, "SDES-SECURE-SIGNALLING", &fr, 1,
		 "%s's SDES key was readable in SIP over %s (%s); carry a=crypto only over "
		 "TLS", party_name(s->from), sip_transport_name(c->transport), s->carrier);
}

static void check_sdes_answer(struct chk *k, long ci, long mi, const struct oa_exchange *e,
			      const struct media_desc *om, const struct media_desc *am)
{
	uint64_t fa = e->answer->d.frame;
	size_t j;
	if (am->n_crypto != 1) {
		chk_fail(k, ci, mi, -1, "SDES-ANSWER-ONE", &fa, 1,
			 "the answer (%s) has %zu a=crypto lines; expected exactly one of the %zu offered",
			 e->answer->carrier, am->n_crypto, om->n_crypto);
		return;
	}
	if (!crypto_offered(om, &am->crypto[0]))
		chk_fail(k, ci, mi, -1, "SDES-ANSWER-ONE", &fa, 1,
			 "the answer's a=crypto tag %u %s was not offered with that tag and suite",
			 am->crypto[0].tag, am->crypto[0].suite);
	else
		chk_pass(k, ci, "SDES-ANSWER-ONE");
	for (j = 0; j < om->n_crypto; j++)
		if (om->crypto[j].key_len && om->crypto[j].key_len == am->crypto[0].key_len &&
		    memcmp(om->crypto[j].key, am->crypto[0].key, am->crypto[0].key_len) == 0)
			break;
	if (j < om->n_crypto)
		chk_fail(k, ci, mi, -1, "SDES-ANSWER-OWN-KEY", &fa, 1,
			 "the answer's key equals the key of offered tag %u: both directions "
			 "share one master key", om->crypto[j].tag);
	else
		chk_pass(k, ci, "SDES-ANSWER-OWN-KEY");
}

static void check_exchange(struct chk *k, long ci, const struct sa_call *c,
			   const struct oa_exchange *e)
{
	size_t i;
	const struct call_sdp *sdps[2] = { e->offer, e->answer };
	int s;
	for (s = 0; s < 2; s++) {
		uint64_t fr;
		if (!sdps[s])
			continue;
		fr = sdps[s]->d.frame;
		if (sdps[s]->d.n_session_crypto) {
			chk_fail(k, ci, -1, -1, "SDES-MEDIA-LEVEL", &fr, 1,
				 "a=crypto at session level in the %s (%s)",
				 s ? "answer" : "offer", sdps[s]->carrier);
		} else {
			size_t q;
			for (q = 0; q < sdps[s]->d.n_media; q++)
				if (sdps[s]->d.media[q].n_crypto)
					chk_pass(k, ci, "SDES-MEDIA-LEVEL");
		}
	}
	for (i = 0; i < e->offer->d.n_media; i++) {
		const struct media_desc *om = &e->offer->d.media[i];
		const struct media_desc *am = e->answer && !e->rejected &&
					      i < e->answer->d.n_media ? &e->answer->d.media[i] : NULL;
		long mi = (long)i;
		if (om->port == 0)
			continue;
		if (am && am->port == 0)
			am = NULL; /* rejected stream: only the offer is judged */
		if (media_desc_is_dtls(om)) {
			check_fingerprints(k, ci, mi, e->offer, om);
			if (!am || media_desc_answer_uses_dtls(am))
				check_setup(k, ci, mi, e, om, am);
		}
		if (am && media_desc_answer_uses_dtls(am))
			check_fingerprints(k, ci, mi, e->answer, am);
		check_sdes_attrs(k, ci, mi, e->offer, om, c);
		if (!am)
			continue;
		check_sdes_attrs(k, ci, mi, e->answer, am, c);
		check_mux(k, ci, mi, e, om, am);
		if (media_desc_is_sdes(am) && am->n_fp > 0)
			chk_fail(k, ci, mi, -1, "OSRTP-ANSWER-ONE", &e->answer->d.frame, 1,
				 "the answer (%s) carries both a=crypto and a=fingerprint; expected "
				 "exactly one keying method", e->answer->carrier);
		else if (media_desc_is_sdes(om) && media_desc_is_dtls(om))
			chk_pass(k, ci, "OSRTP-ANSWER-ONE");
		/* SDES answer expected: the offer had a=crypto, the answer did not
		 * choose DTLS and, on RTP/AVP, did not fall back to plain RTP. */
		if (media_desc_is_sdes(om) && !media_desc_answer_uses_dtls(am) &&
		    (media_desc_is_sdes(am) || strstr(am->proto, "SAVP") != NULL))
			check_sdes_answer(k, ci, mi, e, om, am);
		if (strcasecmp(om->proto, am->proto) != 0)
			chk_fail(k, ci, mi, -1, "OA-PROTO-MATCH", &e->answer->d.frame, 1,
				 "the answer uses %s for an offer of %s", am->proto, om->proto);
		else
			chk_pass(k, ci, "OA-PROTO-MATCH");
	}
}

/* SDES-KEY-REUSE: one master key in two calls or two directions. */
struct key_seen {
	uint8_t key[SDES_MAX_KEY_BYTES];
	size_t len;
	size_t call;
	enum party from;
	uint64_t frame;
};

#define KEY_REUSE_MAX 4096

static void check_key_reuse(struct chk *k)
{
	struct key_seen *seen = calloc(KEY_REUSE_MAX, sizeof *seen);
	size_t n = 0, ci, ncalls = call_table_count(k->r->calls);
	if (!seen) {
		k->nomem = true;
		return;
	}
	for (ci = 0; ci < ncalls; ci++) {
		const struct sa_call *c = call_table_at(k->r->calls, ci);
		size_t ei;
		for (ei = 0; ei < c->n_ex; ei++) {
			const struct oa_exchange *e = &c->ex[ei];
			const struct call_sdp *sd = e->answer;
			size_t i, j, x;
			/* The keys in use: the answer's, and the offer's tag it chose. */
			if (!sd || e->rejected)
				continue;
			for (i = 0; i < sd->d.n_media; i++) {
				const struct media_desc *am = &sd->d.media[i];
				const struct media_desc *om = i < e->offer->d.n_media ? &e->offer->d.media[i] : NULL;
				const struct desc_crypto *used[2] = { NULL, NULL };
				enum party who[2] = { sd->from, e->offerer };
				uint64_t fr[2] = { sd->d.frame, e->offer->d.frame };
				if (am->port == 0 || am->n_crypto != 1 || !om)
					continue;
				used[0] = &am->crypto[0];
				for (j = 0; j < om->n_crypto; j++)
					if (om->crypto[j].tag == am->crypto[0].tag)
						used[1] = &om->crypto[j];
				for (j = 0; j < 2; j++) {
					if (!used[j] || !used[j]->key_len)
						continue;
					for (x = 0; x < n; x++) {
						if (seen[x].len != used[j]->key_len ||
						    memcmp(seen[x].key, used[j]->key, seen[x].len) != 0)
							continue;
						if (seen[x].call == ci && seen[x].from == who[j])
							break; /* the same key repeated by its owner */
						{
							uint64_t frames[2] = { seen[x].frame, fr[j] };
							const struct sa_call *o = call_table_at(k->r->calls, seen[x].call);
							chk_fail(k, (long)ci, (long)i, -1, "SDES-KEY-REUSE", frames, 2,
								 "the %s's SDES key is the one the %s of call %s "
								 "used: one master key for two streams",
								 party_name(who[j]), party_name(seen[x].from),
								 o->call_id);
						}
						break;
					}
					if (x == n && n < KEY_REUSE_MAX) {
						memcpy(seen[n].key, used[j]->key, used[j]->key_len);
						seen[n].len = used[j]->key_len;
						seen[n].call = ci;
						seen[n].from = who[j];
						seen[n].frame = fr[j];
						n++;
					} else if (x == n) {
						continue;
					}
					chk_pass(k, (long)ci, "SDES-KEY-REUSE");
				}
			}
		}
	}
	free(seen);
}

void checks_signalling(struct chk *k)
{
	size_t ci, ncalls;
	if (!k->r->calls)
		return;
	ncalls = call_table_count(k->r->calls);
	for (ci = 0; ci < ncalls; ci++) {
		const struct sa_call *c = call_table_at(k->r->calls, ci);
		size_t ei;
		k->sdes_clear_reported[0] = k->sdes_clear_reported[1] = false;
		for (ei = 0; ei < c->n_ex; ei++)
			check_exchange(k, (long)ci, c, &c->ex[ei]);
	}
	check_key_reuse(k);
}
