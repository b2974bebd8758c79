/* dtls_hs.c - parse complete DTLS handshake messages into facts (see
 * dtls.h).  The body comes from dtls.c after reassembly; everything read
 * goes through the cursor.  Facts that must outlive the packet are copied:
 * small ones into struct dtls_handshake, certificates into association
 * storage (dtls_cert_store). */
#include <string.h>

#include "cursor.h"
#include "dtls_int.h"

static void list_add(struct dtls_list *l, uint16_t v)
{
	if (l->n < DTLS_MAX_LIST)
		l->v[l->n++] = v;
	if (l->total < UINT16_MAX)
		l->total++;
}

/* list16 - a vector of 16-bit values with even length. */
static bool list16(struct cursor c, struct dtls_list *l)
{
	uint16_t v;
	memset(l, 0, sizeof *l);
	if (cursor_left(&c) % 2)
		return false;
	while (cursor_u16be(&c, &v))
		list_add(l, v);
	return true;
}

static void list8(struct cursor c, struct dtls_list *l)
{
	uint8_t v;
	memset(l, 0, sizeof *l);
	while (cursor_u8(&c, &v))
		list_add(l, v);
}

/* hello_ext - one extension of a ClientHello or ServerHello. */
static bool hello_ext(struct dtls_hello *h, bool server, uint16_t type, struct cursor d)
{
	struct cursor sub;
	uint16_t v;

	switch (type) {
	case 14: /* use_srtp, RFC 5764 §4.1.1: UseSRTPData { profiles<2..2^16-1>,
		  * srtp_mki<0..255> } */
		h->has_use_srtp = true;
		if (!cursor_prefixed16(&d, &sub) || !list16(sub, &h->srtp_profiles) ||
		    !cursor_prefixed8(&d, &sub) || !cursor_empty(&d))
			return false;
		h->mki_len = (uint8_t)cursor_left(&sub);
		memcpy(h->mki, sub.p, h->mki_len);
		return true;
	case 23: /* extended_master_secret, RFC 7627 §5.1: empty */
		h->has_ems = true;
		return cursor_empty(&d);
	case 10: /* supported_groups, RFC 8422 §5.1.1 */
		h->has_supported_groups = true;
		return cursor_prefixed16(&d, &sub) && list16(sub, &h->groups) &&
		       cursor_empty(&d);
	case 13: /* signature_algorithms, RFC 5246 §7.4.1.4.1 */
		h->has_sig_algs = true;
		return cursor_prefixed16(&d, &sub) && list16(sub, &h->sig_algs) &&
		       cursor_empty(&d);
	case 0xff01: /* renegotiation_info, RFC 5746 §3.2 */
		h->has_reneg_info = true;
		return cursor_prefixed8(&d, &sub) && cursor_empty(&d);
	case 43: /* supported_versions, RFC 8446 §4.2.1: a list in the
		  * ClientHello, the selected one in the ServerHello */
		h->has_supported_versions = true;
		memset(&h->versions, 0, sizeof h->versions);
		if (server) {
			if (!cursor_u16be(&d, &v) || !cursor_empty(&d))
				return false;
			list_add(&h->versions, v);
			return true;
		}
		return cursor_prefixed8(&d, &sub) && list16(sub, &h->versions) &&
		       cursor_empty(&d);
	case 56: /* external_session_id, RFC 8844 §4 */
		h->has_external_session_id = true;
		return true;
	default:
		return true;
	}
}

/* hello_parse - RFC 5246 §7.4.1.2-3 with the DTLS cookie (RFC 6347
 * §4.2.1).  Extensions are optional (absent when no bytes follow). */
static bool hello_parse(struct dtls_hello *h, bool server, struct cursor c)
{
	struct cursor sub, exts;
	uint8_t comp;

	if (!cursor_u16be(&c, &h->version) || !cursor_copy(&c, h->random, 32) ||
	    !cursor_prefixed8(&c, &sub) || cursor_left(&sub) > 32)
		return false;
	h->session_id_len = (uint8_t)cursor_left(&sub);
	memcpy(h->session_id, sub.p, h->session_id_len);
	if (!server) {
		if (!cursor_prefixed8(&c, &sub))
			return false;
		h->cookie_len = (uint8_t)cursor_left(&sub);
		memcpy(h->cookie, sub.p, h->cookie_len);
		if (!cursor_prefixed16(&c, &sub) || cursor_empty(&sub) ||
		    !list16(sub, &h->suites) || !cursor_prefixed8(&c, &sub) ||
		    cursor_empty(&sub))
			return false;
		list8(sub, &h->compression);
	} else {
		if (!cursor_u16be(&c, &h->suite) || !cursor_u8(&c, &comp))
			return false;
		memset(&h->compression, 0, sizeof h->compression);
		list_add(&h->compression, comp);
	}
	if (cursor_empty(&c))
		return true;
	if (!cursor_prefixed16(&c, &exts) || !cursor_empty(&c))
		return false;
	while (!cursor_empty(&exts)) {
		uint16_t type;
		struct cursor d;
		if (!cursor_u16be(&exts, &type) || !cursor_prefixed16(&exts, &d)) {
			h->ext_malformed = true;
			return false;
		}
		list_add(&h->ext_types, type);
		if (!hello_ext(h, server, type, d))
			h->ext_malformed = true;
	}
	return !h->ext_malformed;
}

static void where_set(struct dtls_where *w, const struct dtls_where *at)
{
	*w = *at;
}

static enum sa_status on_client_hello(struct dtls_assoc *a, int dir, struct cursor c,
				      const struct dtls_where *at)
{
	struct dtls_handshake *hs = dtls_cur(a);
	struct dtls_hello h;
	bool ok;

	memset(&h, 0, sizeof h);
	ok = hello_parse(&h, false, c);
	/* A ClientHello with a new random once a ServerHello was seen starts
	 * another handshake (a restart or a new association on this 5-tuple);
	 * after a HelloVerifyRequest the random stays the same (RFC 6347
	 * §4.2.1). */
	if (hs->ch.seen && hs->sh.seen && memcmp(hs->ch.random, h.random, 32) != 0) {
		dtls_new_handshake(a, at);
		hs = dtls_cur(a);
	}
	if (!hs->ch.seen) {
		hs->client_dir = dir;
		hs->client_dir_inferred = false;
		where_set(&hs->first_client_hello, at);
	}
	h.count = hs->ch.count + 1;
	h.seen = true;
	where_set(&h.at, at);
	hs->ch = h;
	return ok ? SA_OK : SA_MALFORMED;
}

static enum sa_status on_server_hello(struct dtls_assoc *a, int dir, struct cursor c,
				      const struct dtls_where *at)
{
	struct dtls_handshake *hs = dtls_cur(a);
	struct dtls_hello h;
	bool ok;

	memset(&h, 0, sizeof h);
	ok = hello_parse(&h, true, c);
	h.count = hs->sh.count + 1;
	h.seen = true;
	where_set(&h.at, at);
	hs->sh = h;
	hs->version = h.version;
	/* RFC 9147 §5.3 / RFC 8446 §4.2.1: the selected version is in
	 * supported_versions; 0xFEFC is DTLS 1.3. */
	if (h.has_supported_versions && h.versions.n == 1) {
		hs->version = h.versions.v[0];
		if (hs->version == DTLS_V13 && !a->sum.dtls13_seen) {
			a->sum.dtls13_seen = true;
			dtls_event_add(a, DTLS_EV_DTLS13, at, 0, DTLS_HS_SERVER_HELLO, 0);
		}
	}
	hs->dtls13 = hs->version == DTLS_V13;
	if (!hs->ch.seen) {
		hs->client_dir = !dir;
		hs->client_dir_inferred = true;
	}
	return ok ? SA_OK : SA_MALFORMED;
}

/* on_certificate - RFC 5246 §7.4.2: certificate_list<0..2^24-1> of
 * ASN.1Cert<1..2^24-1>. */
static enum sa_status on_certificate(struct dtls_assoc *a, int dir, struct cursor c,
				     const struct dtls_where *at)
{
	struct dtls_handshake *hs = dtls_cur(a);
	struct dtls_cert_chain *ch = &hs->cert[dir];
	struct cursor list, one;
	enum sa_status st = SA_OK;

	memset(ch, 0, sizeof *ch);
	ch->seen = true;
	where_set(&ch->at, at);
	if (!cursor_prefixed24(&c, &list) || !cursor_empty(&c))
		return SA_MALFORMED;
	while (!cursor_empty(&list)) {
		const uint8_t *der;
		if (!cursor_prefixed24(&list, &one) || cursor_empty(&one))
			return SA_MALFORMED;
		if (ch->total < UINT16_MAX)
			ch->total++;
		der = ch->n < DTLS_MAX_CHAIN ? dtls_cert_store(a, one.p, one.n) : NULL;
		if (!der) {
			ch->truncated = true;
			st = SA_NOMEM;
			continue;
		}
		ch->certs[ch->n].der = der;
		ch->certs[ch->n].len = one.n;
		ch->n++;
	}
	if (st != SA_OK)
		dtls_event_add(a, DTLS_EV_LIMIT, at, 0, DTLS_HS_CERTIFICATE, 0);
	return st;
}

/* on_ske - ServerKeyExchange: ECDHE ServerECDHParams (RFC 8422 §5.4:
 * curve_type 3 = named_curve, then the NamedCurve) or DHE ServerDHParams
 * (RFC 5246 §7.4.3: dh_p<1..2^16-1>, ...).  Which one follows from the
 * suite; if the suite is unknown, a first byte of 3 with a known group
 * means ECDHE. */
static enum sa_status on_ske(struct dtls_assoc *a, struct cursor c, const struct dtls_where *at)
{
	struct dtls_handshake *hs = dtls_cur(a);
	const struct dtls_suite *s = hs->sh.seen ? dtls_suite_find(hs->sh.suite) : NULL;
	struct cursor e = c, sub;
	uint8_t ct;
	uint16_t group;
	bool ecdhe;

	memset(&hs->ske, 0, sizeof hs->ske);
	hs->ske.seen = true;
	where_set(&hs->ske.at, at);
	if (s)
		ecdhe = s->kx == DTLS_KX_ECDHE;
	else
		ecdhe = cursor_left(&c) >= 3 && c.p[0] == 3 &&
			dtls_group_name((uint16_t)(c.p[1] << 8 | c.p[2])) != NULL;
	if (ecdhe) {
		if (!cursor_u8(&e, &ct))
			return SA_MALFORMED;
		hs->ske.ecdhe = true;
		hs->ske.curve_type = ct;
		if (ct == 3) {
			if (!cursor_u16be(&e, &group) || !cursor_prefixed8(&e, &sub))
				return SA_MALFORMED;
			hs->ske.group = group;
		}
		return SA_OK;
	}
	if (s && s->kx == DTLS_KX_DHE) {
		if (!cursor_prefixed16(&e, &sub))
			return SA_MALFORMED;
		/* skip leading zero bytes of the prime for its size */
		while (!cursor_empty(&sub) && sub.p[0] == 0 && cursor_skip(&sub, 1))
			;
		hs->ske.dhe = true;
		hs->ske.dh_bits = (uint16_t)(cursor_left(&sub) * 8 > UINT16_MAX
						     ? UINT16_MAX : cursor_left(&sub) * 8);
	}
	return SA_OK;
}

/* on_cert_request - RFC 5246 §7.4.4: certificate_types<1..2^8-1>,
 * supported_signature_algorithms<2..2^16-2> (TLS 1.2 / DTLS 1.2 only),
 * certificate_authorities<0..2^16-1>. */
static enum sa_status on_cert_request(struct dtls_assoc *a, struct cursor c,
				      const struct dtls_where *at)
{
	struct dtls_handshake *hs = dtls_cur(a);
	struct cursor sub, cas;
	bool v12 = !hs->sh.seen || hs->version != DTLS_V10;

	memset(&hs->cert_request, 0, sizeof hs->cert_request);
	hs->cert_request.seen = true;
	where_set(&hs->cert_request.at, at);
	if (!cursor_prefixed8(&c, &sub))
		return SA_MALFORMED;
	list8(sub, &hs->cert_request.cert_types);
	if (v12) {
		struct cursor save = c;
		if (cursor_prefixed16(&c, &sub) && list16(sub, &hs->cert_request.sig_algs) &&
		    cursor_prefixed16(&c, &cas) && cursor_empty(&c))
			return SA_OK;
		c = save;
		memset(&hs->cert_request.sig_algs, 0, sizeof hs->cert_request.sig_algs);
	}
	return cursor_prefixed16(&c, &cas) && cursor_empty(&c) ? SA_OK : SA_MALFORMED;
}

enum sa_status dtls_hs_deliver(struct dtls_assoc *a, int dir, uint8_t type, uint16_t seq,
			       const uint8_t *body, size_t len, const struct dtls_where *at,
			       struct diag_sink *sink)
{
	struct cursor c = cursor_make(body, len), sub;
	struct dtls_handshake *hs;
	enum sa_status st = SA_OK;
	const char *name = dtls_hs_type_name(type);

	/* A ClientHello may start a new handshake: handle it before the
	 * event so the event names the right one. */
	if (type == DTLS_HS_CLIENT_HELLO)
		st = on_client_hello(a, dir, c, at);
	hs = dtls_cur(a);
	a->sum.hs_messages++;
	dtls_event_add(a, DTLS_EV_MESSAGE, at, 0, type, seq);

	switch (type) {
	case DTLS_HS_CLIENT_HELLO:
		break;
	case DTLS_HS_SERVER_HELLO:
		st = on_server_hello(a, dir, c, at);
		break;
	case DTLS_HS_HELLO_VERIFY_REQUEST:
		/* RFC 6347 §4.2.1: server_version, cookie<0..2^8-1> */
		hs->hvr.seen = true;
		where_set(&hs->hvr.at, at);
		if (!cursor_u16be(&c, &hs->hvr.version) || !cursor_prefixed8(&c, &sub) ||
		    !cursor_empty(&c)) {
			st = SA_MALFORMED;
			break;
		}
		hs->hvr.cookie_len = (uint8_t)cursor_left(&sub);
		memcpy(hs->hvr.cookie, sub.p, hs->hvr.cookie_len);
		break;
	case DTLS_HS_CERTIFICATE:
		st = on_certificate(a, dir, c, at);
		break;
	case DTLS_HS_SERVER_KEY_EXCHANGE:
		st = on_ske(a, c, at);
		break;
	case DTLS_HS_CERTIFICATE_REQUEST:
		st = on_cert_request(a, c, at);
		break;
	case DTLS_HS_SERVER_HELLO_DONE:
		hs->server_hello_done.seen = true;
		where_set(&hs->server_hello_done.at, at);
		if (len != 0)
			st = SA_MALFORMED;
		break;
	case DTLS_HS_CLIENT_KEY_EXCHANGE:
		hs->cke.seen = true;
		where_set(&hs->cke.at, at);
		hs->cke.len = len;
		break;
	case DTLS_HS_CERTIFICATE_VERIFY:
		/* RFC 5246 §4.7 digitally-signed: SignatureAndHashAlgorithm
		 * precedes the signature in (D)TLS 1.2 only. */
		hs->cert_verify.seen = true;
		where_set(&hs->cert_verify.at, at);
		hs->cert_verify.sig_alg = 0;
		if (hs->version != DTLS_V10 && len >= 2)
			hs->cert_verify.sig_alg = (uint16_t)(body[0] << 8 | body[1]);
		break;
	case DTLS_HS_NEW_SESSION_TICKET:
		hs->new_session_ticket.seen = true;
		where_set(&hs->new_session_ticket.at, at);
		break;
	default:
		break;
	}
	if (st == SA_MALFORMED)
		diag_emit(sink, DIAG_WARNING, NULL, at->frame,
			  "DTLS %s (message_seq %u, %zu bytes) does not parse; the facts "
			  "read before the error are kept",
			  name ? name : "handshake message", seq, len);
	return st;
}
