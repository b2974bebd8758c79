/* calls.c - INVITE dialogs and offer/answer; see calls.h.
 *
 * Offer/answer carriers follow RFC 6337 §2.2 Table 1: INVITE/2xx,
 * INVITE/reliable 18x (an SDP in an unreliable 18x is taken as the answer
 * too: that is what endpoints act on for early media), 2xx/ACK for an
 * offerless INVITE, reliable 18x/PRACK, PRACK/200, UPDATE/2xx.
 */
#include "calls.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct call_table {
	struct sa_call **v;
	size_t n, cap;
	size_t *bucket;          /* hash -> index+1 of first call, 0 empty */
	size_t *chain;           /* index -> index+1 of next call */
	size_t nbuckets;
	uint64_t other_messages;
	const struct diag_sink *diag;
	calls_bind_fn on_bind;
	void *bind_ctx;
	bool warned_cap;
	struct sdp *scratch;     /* one big struct sdp reused for parsing */
};

const char *call_outcome_name(enum call_outcome o)
{
	switch (o) {
	case OUTCOME_ANSWERED: return "answered";
	case OUTCOME_REJECTED: return "rejected";
	case OUTCOME_CANCELLED: return "cancelled";
	case OUTCOME_UNFINISHED: break;
	}
	return "unfinished";
}

const char *party_name(enum party p)
{
	return p == PARTY_CALLER ? "caller" : p == PARTY_CALLEE ? "callee" : "unknown";
}

const char *sip_transport_name(enum sip_transport t)
{
	return t == SIPT_TCP ? "tcp" : t == SIPT_WS ? "ws" : "udp";
}

static uint64_t hash_sv(struct sv s)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;
	for (i = 0; i < s.n; i++) {
		h ^= (uint8_t)s.p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

struct call_table *call_table_new(const struct diag_sink *diag,
				  calls_bind_fn on_bind, void *bind_ctx)
{
	struct call_table *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->nbuckets = 4096;
	t->bucket = calloc(t->nbuckets, sizeof *t->bucket);
	t->scratch = malloc(sizeof *t->scratch);
	if (!t->bucket || !t->scratch) {
		call_table_free(t);
		return NULL;
	}
	t->diag = diag;
	t->on_bind = on_bind;
	t->bind_ctx = bind_ctx;
	return t;
}

static void call_sdp_free(struct call_sdp *s)
{
	if (!s)
		return;
	sdp_desc_cleanup(&s->d);
	free(s);
}

static void call_free(struct sa_call *c)
{
	size_t i;
	if (!c)
		return;
	for (i = 0; i < c->n_ex; i++) {
		call_sdp_free(c->ex[i].offer);
		call_sdp_free(c->ex[i].answer);
	}
	free(c->call_id);
	free(c->from);
	free(c->to);
	free(c->caller_tag);
	free(c);
}

void call_table_free(struct call_table *t)
{
	size_t i;
	if (!t)
		return;
	for (i = 0; i < t->n; i++)
		call_free(t->v[i]);
	free(t->v);
	free(t->bucket);
	free(t->chain);
	free(t->scratch);
	free(t);
}

static long find_sv(const struct call_table *t, struct sv id)
{
	size_t k = t->bucket[hash_sv(id) % t->nbuckets];
	while (k) {
		const struct sa_call *c = t->v[k - 1];
		if (strlen(c->call_id) == id.n && memcmp(c->call_id, id.p, id.n) == 0)
			return (long)(k - 1);
		k = t->chain[k - 1];
	}
	return -1;
}

long call_table_find(const struct call_table *t, const char *call_id)
{
	return find_sv(t, sv_cstr(call_id));
}

static char *dup_sv(struct sv s)
{
	char *p = malloc(s.n + 1);
	if (p) {
		if (s.n)
			memcpy(p, s.p, s.n);
		p[s.n] = '\0';
	}
	return p;
}

static struct sa_call *call_add(struct call_table *t, struct sv id)
{
	struct sa_call *c;
	size_t h;
	if (t->n == CALLS_MAX) {
		if (!t->warned_cap)
			diag_emit(t->diag, DIAG_WARNING, NULL, 0,
				  "more than %d calls: further calls are counted but not analysed",
				  CALLS_MAX);
		t->warned_cap = true;
		return NULL;
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		struct sa_call **v = realloc(t->v, cap * sizeof *v);
		size_t *ch;
		if (!v)
			return NULL;
		t->v = v;
		ch = realloc(t->chain, cap * sizeof *ch);
		if (!ch)
			return NULL;
		t->chain = ch;
		t->cap = cap;
	}
	c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->call_id = dup_sv(id);
	if (!c->call_id) {
		free(c);
		return NULL;
	}
	c->pending = -1;
	c->bye_from = PARTY_NONE;
	h = hash_sv(id) % t->nbuckets;
	t->chain[t->n] = t->bucket[h];
	t->v[t->n] = c;
	t->n++;
	t->bucket[h] = t->n;
	return c;
}

/* Methods that belong to INVITE dialogs (RFC 3261, 3262, 3311). */
static bool invite_dialog_method(struct sv m)
{
	return sv_eq_cstr_ci(m, "INVITE") || sv_eq_cstr_ci(m, "ACK") ||
	       sv_eq_cstr_ci(m, "BYE") || sv_eq_cstr_ci(m, "CANCEL") ||
	       sv_eq_cstr_ci(m, "UPDATE") || sv_eq_cstr_ci(m, "PRACK");
}

static void note_to_tag(struct sa_call *c, const struct sip_msg *m)
{
	struct sv tag;
	size_t i;
	if (m->is_request || !sip_msg_to_tag(m, &tag) || tag.n == 0)
		return;
	for (i = 0; i < c->n_to_tags; i++)
		if (strlen(c->to_tags[i]) == tag.n && memcmp(c->to_tags[i], tag.p, tag.n) == 0)
			return;
	if (c->n_to_tags < CALL_MAX_TO_TAGS)
		sv_copy_cstr(tag, c->to_tags[c->n_to_tags++], sizeof c->to_tags[0]);
}

/* Which party sent m: requests come from the side whose tag is in From;
 * responses from the other side (RFC 3261 §12.1). */
static enum party sender_of(const struct sa_call *c, const struct sip_msg *m)
{
	struct sv tag;
	bool from_caller;
	if (!c->caller_tag || !sip_msg_from_tag(m, &tag))
		return m->is_request ? PARTY_CALLER : PARTY_CALLEE;
	from_caller = strlen(c->caller_tag) == tag.n &&
		      memcmp(c->caller_tag, tag.p, tag.n) == 0;
	if (m->is_request)
		return from_caller ? PARTY_CALLER : PARTY_CALLEE;
	return from_caller ? PARTY_CALLEE : PARTY_CALLER;
}

bool call_sdp_media_endpoint(const struct sdp_desc *d, size_t i, bool rtcp,
			     struct endpoint *out)
{
	const struct media_desc *m;
	if (i >= d->n_media)
		return false;
	m = &d->media[i];
	if (m->port == 0 || !m->addr_ok)
		return false;
	memset(out, 0, sizeof *out);
	out->ip = m->addr;
	out->port = m->port;
	if (!rtcp)
		return true;
	/* RTCP: a=rtcp (RFC 3605 §2.1) or the next port (RFC 3550 §11). */
	if (m->has_rtcp_attr) {
		out->port = m->rtcp_port;
		if (m->rtcp_addr_ok)
			out->ip = m->rtcp_addr;
	} else {
		if (m->port == 65535)
			return false;
		out->port = (uint16_t)(m->port + 1);
	}
	return true;
}

/* Announce the receive endpoints of one SDP to the flow layer. */
static void bind_sdp(struct call_table *t, size_t ci, size_t ei,
		     const struct call_sdp *s, const struct call_sdp *other)
{
	size_t i;
	if (!t->on_bind)
		return;
	for (i = 0; i < s->d.n_media; i++) {
		struct media_binding b;
		struct endpoint ep, peer;
		bool has_peer;
		bool mux = s->d.media[i].rtcp_mux &&
			   (!other || (i < other->d.n_media && other->d.media[i].rtcp_mux));
		memset(&b, 0, sizeof b);
		b.call = ci;
		b.ex = ei;
		b.media = i;
		b.receiver = s->from;
		b.mux = mux;
		has_peer = other && call_sdp_media_endpoint(&other->d, i, false, &peer);
		if (call_sdp_media_endpoint(&s->d, i, false, &ep))
			t->on_bind(t->bind_ctx, &ep, &b, has_peer ? &peer : NULL);
		/* The RTCP port is bound even with rtcp-mux, so that RTCP sent
		 * there anyway is attributed (and judged). */
		if (call_sdp_media_endpoint(&s->d, i, true, &ep)) {
			b.rtcp = true;
			has_peer = other && call_sdp_media_endpoint(&other->d, i, true, &peer);
			t->on_bind(t->bind_ctx, &ep, &b, has_peer ? &peer : NULL);
		}
	}
}

static struct call_sdp *make_sdp(struct call_table *t, const struct sip_msg *m,
				 struct sv body, const struct sip_ctx *ctx,
				 enum party from)
{
	struct call_sdp *s = calloc(1, sizeof *s);
	struct sv method;
	uint32_t cseq = 0;
	if (!s)
		return NULL;
	if (sdp_desc_from_text(body.p, body.n, t->scratch, &s->d) != SA_OK) {
		call_sdp_free(s);
		return NULL;
	}
	s->d.frame = ctx->frame;
	s->d.ts_ns = ctx->ts_ns;
	s->from = from;
	(void)sip_msg_cseq(m, &cseq, &method);
	s->cseq = cseq;
	if (m->is_request) {
		sv_copy_cstr(m->method, s->carrier, sizeof s->carrier);
	} else {
		char meth[16];
		sv_copy_cstr(method, meth, sizeof meth);
		snprintf(s->carrier, sizeof s->carrier, "%u %s", m->status, meth);
	}
	if (s->d.n_errors_total)
		diag_emit(t->diag, DIAG_NOTE, ctx->file, ctx->frame,
			  "SDP in %s has %zu syntax problem(s), the first at SDP line %u (%s)",
			  s->carrier, s->d.n_errors_total,
			  s->d.n_errors ? s->d.errors[0].line : 0,
			  s->d.n_errors ? s->d.errors[0].code : "?");
	return s;
}

static struct oa_exchange *new_exchange(struct call_table *t, struct sa_call *c,
					const struct sip_ctx *ctx)
{
	struct oa_exchange *e;
	if (c->n_ex == CALL_MAX_EXCHANGES) {
		if (c->dropped_sdp++ == 0)
			diag_emit(t->diag, DIAG_WARNING, ctx->file, ctx->frame,
				  "call %s: more than %d offer/answer exchanges; later ones are not analysed",
				  c->call_id, CALL_MAX_EXCHANGES);
		return NULL;
	}
	e = &c->ex[c->n_ex];
	memset(e, 0, sizeof *e);
	e->reoffer = c->dialog_confirmed;
	c->n_ex++;
	return e;
}

/* The exchange whose offer was carried by a request (or, when
 * in_response, a response) with this CSeq number, or NULL. */
static struct oa_exchange *exchange_by_cseq(struct sa_call *c, uint32_t cseq,
					    bool in_response)
{
	size_t i;
	for (i = c->n_ex; i > 0; i--) {
		struct oa_exchange *e = &c->ex[i - 1];
		if (e->offer && e->offer->cseq == cseq && e->offer_in_response == in_response)
			return e;
	}
	return NULL;
}

static enum sa_status add_answer(struct call_table *t, size_t ci, struct sa_call *c,
				 struct oa_exchange *e, struct call_sdp *s)
{
	e->answer = s;
	if (c->pending == (int)(e - c->ex))
		c->pending = -1;
	bind_sdp(t, ci, (size_t)(e - c->ex), s, e->offer);
	bind_sdp(t, ci, (size_t)(e - c->ex), e->offer, s);
	return SA_OK;
}

/* The SDP of message m, sent by party `from`, takes its place in the
 * offer/answer state of call c (index ci).  Retransmissions (the same
 * CSeq again) and the 200 that repeats an 18x answer are recognised and
 * not counted as new exchanges. */
static enum sa_status handle_sdp(struct call_table *t, size_t ci, struct sa_call *c,
				 const struct sip_msg *m, struct sv body,
				 const struct sip_ctx *ctx, enum party from,
				 uint32_t cseq)
{
	struct oa_exchange *pend = c->pending >= 0 ? &c->ex[c->pending] : NULL;
	struct oa_exchange *e = NULL;
	bool offer_in_response = false;
	struct call_sdp *s;

	if (m->is_request) {
		bool ack = sv_eq_cstr_ci(m->method, "ACK");
		bool prack = sv_eq_cstr_ci(m->method, "PRACK");
		if ((ack || prack) && pend && pend->offer_in_response &&
		    !pend->answer && pend->offerer != from)
			e = pend; /* answer to an offer in a 2xx / reliable 18x */
		else if (ack)
			return SA_OK; /* no offer to answer: ignored (RFC 3261 §13.2.2.4) */
		else if ((e = exchange_by_cseq(c, cseq, false)) != NULL && e->offerer == from)
			return SA_OK; /* retransmitted request */
		else
			e = NULL;
	} else {
		if (m->status >= 300)
			return SA_OK;
		e = exchange_by_cseq(c, cseq, false);
		if (e && e->offerer != from) {
			if (e->answer || e->rejected)
				return SA_OK; /* repeats the answer (RFC 6337 §3.1.1) */
		} else if (c->offerless_pending && cseq == c->offerless_cseq) {
			if (exchange_by_cseq(c, cseq, true))
				return SA_OK; /* retransmitted 2xx */
			e = NULL;
			offer_in_response = true;
		} else {
			return SA_OK;
		}
	}
	s = make_sdp(t, m, body, ctx, from);
	if (!s)
		return SA_NOMEM;
	if (e)
		return add_answer(t, ci, c, e, s);
	e = new_exchange(t, c, ctx);
	if (!e) {
		call_sdp_free(s);
		return SA_OK;
	}
	e->offer = s;
	e->offerer = from;
	e->offer_in_response = offer_in_response;
	c->pending = (int)(e - c->ex);
	c->offerless_pending = false;
	bind_sdp(t, ci, (size_t)(e - c->ex), s, NULL);
	return SA_OK;
}

static void handle_final(struct sa_call *c, const struct sip_msg *m,
			 struct sv cseq_method, uint32_t cseq, const struct sip_ctx *ctx)
{
	bool invite = sv_eq_cstr_ci(cseq_method, "INVITE");
	if (m->status < 200)
		return;
	/* A failure refuses a pending offer (RFC 6337 §2.3, 488). */
	if (m->status >= 300 && c->pending >= 0 && c->ex[c->pending].offer &&
	    c->ex[c->pending].offer->cseq == cseq) {
		struct oa_exchange *e = &c->ex[c->pending];
		e->rejected = true;
		e->reject_code = m->status;
		e->reject_frame = ctx->frame;
		c->pending = -1;
	}
	if (!invite || (c->invite_cseq && cseq != c->invite_cseq))
		return;
	if (c->final_frame && c->outcome == OUTCOME_ANSWERED)
		return; /* retransmitted 2xx */
	if (m->status < 300) {
		c->outcome = OUTCOME_ANSWERED;
		c->answer_frame = ctx->frame;
		c->dialog_confirmed = true;
	} else if (c->cancel_frame && m->status == 487) {
		c->outcome = OUTCOME_CANCELLED;
	} else if (!c->dialog_confirmed) {
		c->outcome = OUTCOME_REJECTED;
	}
	c->final_code = m->status;
	c->final_frame = ctx->frame;
}

enum sa_status calls_on_sip(struct call_table *t, const struct sip_msg *m,
			    const struct sip_ctx *ctx, const char **why)
{
	struct sv id, cseq_method, body, tag, uri;
	uint32_t cseq;
	struct sa_call *c;
	enum party from;
	long ci;
	bool initial_invite, has_sdp;

	*why = NULL;
	if (!sip_msg_call_id(m, &id) || id.n == 0) {
		*why = "SIP message without Call-ID (RFC 3261 §8.1.1.4)";
		return SA_MALFORMED;
	}
	if (!sip_msg_cseq(m, &cseq, &cseq_method)) {
		*why = "SIP message without a valid CSeq (RFC 3261 §8.1.1.5)";
		return SA_MALFORMED;
	}
	ci = find_sv(t, id);
	if (ci < 0) {
		if (!invite_dialog_method(m->is_request ? m->method : cseq_method)) {
			t->other_messages++;
			return SA_OK;
		}
		c = call_add(t, id);
		if (!c)
			return t->n == CALLS_MAX ? SA_OK : SA_NOMEM;
		ci = (long)t->n - 1;
		c->first_frame = ctx->frame;
		c->start_ns = ctx->ts_ns;
		c->transport = ctx->transport;
		if (sip_msg_from_tag(m, &tag))
			c->caller_tag = dup_sv(tag);
		if (sip_msg_from_uri(m, &uri))
			c->from = dup_sv(uri);
		if (sip_msg_to_uri(m, &uri))
			c->to = dup_sv(uri);
		c->started_before_capture = !(m->is_request &&
					      sv_eq_cstr_ci(m->method, "INVITE") &&
					      !sip_msg_to_tag(m, &tag));
	}
	c = t->v[ci];
	c->messages++;
	c->last_frame = ctx->frame;
	c->end_ns = ctx->ts_ns;
	from = sender_of(c, m);
	if (from != PARTY_NONE && !c->sig_known[from]) {
		c->sig[from] = ctx->src;
		c->sig_known[from] = true;
	}
	note_to_tag(c, m);

	/* An INVITE outside a dialog (no To tag): the initial one, or its
	 * repetition with credentials after a 401/407 (RFC 3261 §22.2), which
	 * takes over with a higher CSeq. */
	initial_invite = m->is_request && sv_eq_cstr_ci(m->method, "INVITE") &&
			 !sip_msg_to_tag(m, &tag) && !c->dialog_confirmed;
	if (initial_invite && cseq != c->invite_cseq) {
		if (!c->invite_frame)
			c->invite_frame = ctx->frame;
		c->invite_cseq = cseq;
		if (c->outcome == OUTCOME_REJECTED) {
			c->outcome = OUTCOME_UNFINISHED;
			c->final_code = 0;
		}
	}
	if (m->is_request && sv_eq_cstr_ci(m->method, "CANCEL") && !c->cancel_frame)
		c->cancel_frame = ctx->frame;
	if (m->is_request && sv_eq_cstr_ci(m->method, "BYE") && !c->bye_frame) {
		c->bye_frame = ctx->frame;
		c->bye_from = from;
		if (c->outcome == OUTCOME_UNFINISHED && c->started_before_capture)
			c->outcome = OUTCOME_ANSWERED; /* a BYE means it was answered */
	}
	has_sdp = sip_body_find_sdp(m, &body, NULL) == SA_OK;
	if (m->is_request && sv_eq_cstr_ci(m->method, "INVITE") && !has_sdp &&
	    c->pending < 0) {
		/* Offerless INVITE (RFC 3261 §13.2.1): the offer comes back. */
		c->offerless_pending = true;
		c->offerless_cseq = cseq;
	}
	if (!m->is_request)
		handle_final(c, m, cseq_method, cseq, ctx);
	if (has_sdp)
		return handle_sdp(t, (size_t)ci, c, m, body, ctx, from, cseq);
	return SA_OK;
}

size_t call_table_count(const struct call_table *t)
{
	return t->n;
}

const struct sa_call *call_table_at(const struct call_table *t, size_t i)
{
	return i < t->n ? t->v[i] : NULL;
}

uint64_t call_table_other_messages(const struct call_table *t)
{
	return t->other_messages;
}

const struct oa_exchange *call_active_exchange(const struct sa_call *c)
{
	size_t i;
	for (i = c->n_ex; i > 0; i--)
		if (c->ex[i - 1].answer && !c->ex[i - 1].rejected)
			return &c->ex[i - 1];
	return c->n_ex ? &c->ex[c->n_ex - 1] : NULL;
}

const struct call_sdp *exchange_sdp_of(const struct oa_exchange *e, enum party p)
{
	if (!e || !e->offer)
		return NULL;
	return e->offerer == p ? e->offer : e->answer;
}

/* RFC 4145 §4.1: answer active -> answerer is the client; passive ->
 * offerer; no a=setup in the answer defaults to passive (and an offer
 * without it to active, which leads to the same result). */
enum party exchange_active_party(const struct oa_exchange *e, size_t i)
{
	enum party answerer;
	if (!e || !e->answer || i >= e->answer->d.n_media)
		return PARTY_NONE;
	answerer = e->offerer == PARTY_CALLER ? PARTY_CALLEE : PARTY_CALLER;
	switch (e->answer->d.media[i].setup) {
	case SDP_SETUP_ACTIVE:
		return answerer;
	case SDP_SETUP_PASSIVE:
	case SDP_SETUP_NONE:
		return e->offerer;
	default:
		return PARTY_NONE;
	}
}
