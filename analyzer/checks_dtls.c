/* checks_dtls.c - checks on what the DTLS handshakes did, tied to what the
 * SDP of their call said: roles, certificates against fingerprints,
 * use_srtp, versions and suites, alerts, completion, and the lifetime of
 * the association against the media. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cert.h"
#include "checks_int.h"
#include "dtls.h"

/* The call context of a DTLS flow, or none (call -1). */
struct dctx {
	long call;
	long media;
	long fi;                      /* flow index */
	const struct sa_call *c;
	const struct oa_exchange *e;  /* the exchange that bound the flow */
	const struct flow *f;
	const struct flow_media *m;
	const struct dtls_summary *s;
};

static const char *dir_who(const struct dctx *x, int dir, char *buf, size_t cap)
{
	char ep[SA_ENDPOINT_STRLEN];
	endpoint_format(&x->f->ep[dir], ep, sizeof ep);
	if (x->c && x->f->party[dir] != PARTY_NONE)
		snprintf(buf, cap, "%s (%s)", party_name(x->f->party[dir]), ep);
	else
		snprintf(buf, cap, "%s", ep);
	return buf;
}

static const char *utc(int64_t t, char *buf, size_t cap)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm) || !strftime(buf, cap, "%Y-%m-%d %H:%M:%S UTC", &tm))
		snprintf(buf, cap, "%lld", (long long)t);
	return buf;
}

static bool list_has(const struct dtls_list *l, uint16_t v)
{
	uint16_t i;
	for (i = 0; i < l->n; i++)
		if (l->v[i] == v)
			return true;
	return false;
}

static void check_roles(struct chk *k, const struct dctx *x, const struct dtls_handshake *h)
{
	enum party active = exchange_active_party(x->e, (size_t)x->media);
	enum party client;
	char who[96];
	size_t i;
	int ch_dirs = 0;
	uint64_t fr[2] = { 0, 0 };
	if (h->client_dir < 0 || x->call < 0)
		return;
	/* ClientHellos from both sides: a role conflict. */
	for (i = 0;; i++) {
		const struct dtls_event *ev = dtls_assoc_event(x->m->dtls, i);
		if (!ev)
			break;
		if (ev->kind == DTLS_EV_MESSAGE && ev->hs_type == DTLS_HS_CLIENT_HELLO) {
			if (!(ch_dirs & (1 << ev->at.dir)))
				fr[ev->at.dir] = ev->at.frame;
			ch_dirs |= 1 << ev->at.dir;
		}
	}
	if (ch_dirs == 3) {
		chk_fail(k, x->call, x->media, x->fi, "SETUP-ROLE-CLIENTHELLO", fr, 2,
			 "both sides sent ClientHello (frames %llu and %llu): both act as DTLS client",
			 (unsigned long long)fr[0], (unsigned long long)fr[1]);
		return;
	}
	if (active == PARTY_NONE)
		return; /* the answer left the roles open: reported by SETUP-ANSWER-ACTPASS */
	client = x->f->party[h->client_dir];
	if (client != active) {
		uint64_t f1 = h->first_client_hello.frame;
		chk_fail(k, x->call, x->media, x->fi, "SETUP-ROLE-CLIENTHELLO", &f1, 1,
			 "ClientHello came from %s, but the SDP made the %s active (answer "
			 "a=setup:%s in frame %llu)", dir_who(x, h->client_dir, who, sizeof who),
			 party_name(active), sdp_setup_name(x->e->answer->d.media[x->media].setup),
			 (unsigned long long)x->e->answer->d.frame);
	} else {
		chk_pass(k, x->call, "SETUP-ROLE-CLIENTHELLO");
	}
}

static void fp_hex(const uint8_t *b, size_t n, char *out, size_t cap)
{
	size_t i, o = 0;
	out[0] = '\0';
	for (i = 0; i < n && o + 4 < cap; i++)
		o += (size_t)snprintf(out + o, cap - o, i ? ":%02X" : "%02X", b[i]);
}

/* The exchange in effect when handshake h started: the latest answered
 * one whose offer came before its first ClientHello (an active answerer's
 * ClientHello may precede its answer), else the flow's own. */
static const struct oa_exchange *exchange_at(const struct dctx *x,
					     const struct dtls_handshake *h)
{
	size_t i;
	uint64_t ch = h->first_client_hello.frame;
	if (!x->c || !ch)
		return x->e;
	for (i = x->c->n_ex; i > 0; i--) {
		const struct oa_exchange *e = &x->c->ex[i - 1];
		if (e->answer && !e->rejected && e->offer->d.frame < ch)
			return e;
	}
	return x->e;
}

static void check_fingerprint_match(struct chk *k, const struct dctx *x,
				    const struct dtls_handshake *h)
{
	const struct oa_exchange *ex = exchange_at(x, h);
	int d;
	if (x->call < 0 || !ex || !ex->answer)
		return;
	for (d = 0; d < 2; d++) {
		const struct dtls_cert_chain *ch = &h->cert[d];
		enum party p = x->f->party[d];
		const struct call_sdp *sd = exchange_sdp_of(ex, p);
		const struct media_desc *md;
		uint8_t got[64];
		size_t gl = 0, j;
		bool match = false;
		char who[96], hex[200];
		if (!ch->seen || ch->n == 0 || !sd || (size_t)x->media >= sd->d.n_media)
			continue;
		md = &sd->d.media[x->media];
		if (md->n_fp == 0)
			continue; /* FP-PRESENT reports it */
		for (j = 0; j < md->n_fp && !match; j++) {
			if (cert_fingerprint(ch->certs[0].der, ch->certs[0].len,
					     sv_cstr(md->fp[j].hash), got, sizeof got, &gl) != SA_OK)
				continue;
			match = gl == md->fp[j].len && memcmp(got, md->fp[j].bytes, gl) == 0;
		}
		if (match) {
			chk_pass(k, x->call, "FP-MATCH");
			continue;
		}
		(void)cert_fingerprint(ch->certs[0].der, ch->certs[0].len,
				       sv_cstr(md->fp[0].hash), got, sizeof got, &gl);
		fp_hex(got, gl, hex, sizeof hex);
		{
			uint64_t fr[2] = { ch->at.frame, sd->d.frame };
			uint64_t last = 0, last_frame = 0;
			int e;
			chk_fail(k, x->call, x->media, x->fi, "FP-MATCH", fr, 2,
				 "%s presented a certificate whose %s is %s; its SDP (frame %llu) "
				 "announced a different fingerprint", dir_who(x, d, who, sizeof who),
				 md->fp[0].hash, hex, (unsigned long long)sd->d.frame);
			/* Media after the mismatched certificate (RFC 8122 §5.1). */
			for (e = 0; e < 2; e++)
				if (x->m->dir[e].last_rtp_ns > last) {
					last = x->m->dir[e].last_rtp_ns;
					last_frame = x->m->dir[e].last_rtp_frame;
				}
			if (last > ch->at.ts_ns) {
				uint64_t f2[2] = { ch->at.frame, last_frame };
				chk_fail(k, x->call, x->media, x->fi, "FP-MISMATCH-TEARDOWN", f2, 2,
					 "RTP kept flowing until frame %llu after the certificate that "
					 "does not match (frame %llu)", (unsigned long long)last_frame,
					 (unsigned long long)ch->at.frame);
			} else {
				chk_pass(k, x->call, "FP-MISMATCH-TEARDOWN");
			}
		}
	}
}

static void check_use_srtp(struct chk *k, const struct dctx *x, const struct dtls_handshake *h)
{
	const struct dtls_hello *ch = &h->ch, *sh = &h->sh;
	if (h->dtls13)
		return; /* the server's use_srtp is encrypted (RFC-NOTES §10) */
	if (ch->seen) {
		if (!ch->has_use_srtp)
			chk_fail(k, x->call, x->media, x->fi, "USESRTP-CH", &ch->at.frame, 1,
				 "the ClientHello offers no use_srtp extension: no SRTP keys can be "
				 "exported");
		else
			chk_pass(k, x->call, "USESRTP-CH");
	}
	if (!sh->seen)
		return;
	if (!sh->has_use_srtp) {
		chk_fail(k, x->call, x->media, x->fi, "USESRTP-NO-COMMON", &sh->at.frame, 1,
			 "the ServerHello has no use_srtp: no SRTP protection profile was "
			 "negotiated, so no SRTP can follow%s",
			 ch->has_use_srtp ? " (the client offered use_srtp)" : "");
		return;
	}
	chk_pass(k, x->call, "USESRTP-NO-COMMON");
	if (sh->srtp_profiles.total != 1)
		chk_fail(k, x->call, x->media, x->fi, "USESRTP-SH-ONE", &sh->at.frame, 1,
			 "the ServerHello's use_srtp lists %u profiles; expected exactly one",
			 sh->srtp_profiles.total);
	else
		chk_pass(k, x->call, "USESRTP-SH-ONE");
	if (sh->srtp_profiles.n >= 1 && ch->seen) {
		uint16_t p = sh->srtp_profiles.v[0];
		const struct dtls_profile *pd = dtls_profile_find(p);
		if (!list_has(&ch->srtp_profiles, p)) {
			uint64_t fr[2] = { sh->at.frame, ch->at.frame };
			chk_fail(k, x->call, x->media, x->fi, "USESRTP-SH-OFFERED", fr, 2,
				 "the server selected profile 0x%04x (%s), which the ClientHello "
				 "did not offer", p, pd ? pd->name : "unknown");
		} else {
			chk_pass(k, x->call, "USESRTP-SH-OFFERED");
		}
		if (pd && pd->null_cipher)
			chk_fail(k, x->call, x->media, x->fi, "USESRTP-NULL-CIPHER", &sh->at.frame, 1,
				 "%s negotiated: the media is authenticated but not encrypted", pd->name);
		else
			chk_pass(k, x->call, "USESRTP-NULL-CIPHER");
	}
	if (ch->seen && sh->mki_len &&
	    (sh->mki_len != ch->mki_len || memcmp(sh->mki, ch->mki, sh->mki_len) != 0))
		chk_fail(k, x->call, x->media, x->fi, "USESRTP-MKI-ECHO", &sh->at.frame, 1,
			 "the server returned a %u-byte MKI that differs from the client's %u-byte MKI",
			 sh->mki_len, ch->mki_len);
	else if (ch->seen)
		chk_pass(k, x->call, "USESRTP-MKI-ECHO");
}

static void check_certs(struct chk *k, const struct dctx *x, const struct dtls_handshake *h)
{
	int server, d;
	char who[96];
	if (h->dtls13 || h->client_dir < 0 || !h->sh.seen)
		return;
	server = 1 - h->client_dir;
	if (!h->cert[server].seen || h->cert[server].n == 0)
		chk_fail(k, x->call, x->media, x->fi, "DTLS-SERVER-CERT", &h->sh.at.frame, 1,
			 "the DTLS server %s sent no certificate", dir_who(x, server, who, sizeof who));
	else
		chk_pass(k, x->call, "DTLS-SERVER-CERT");
	if (h->server_hello_done.seen || h->complete) {
		if (!h->cert_request.seen)
			chk_fail(k, x->call, x->media, x->fi, "DTLS-CERTREQ", &h->sh.at.frame, 1,
				 "the DTLS server %s did not send CertificateRequest: the client's "
				 "fingerprint cannot be verified", dir_who(x, server, who, sizeof who));
		else
			chk_pass(k, x->call, "DTLS-CERTREQ");
	}
	if (h->cke.seen) {
		if (!h->cert[h->client_dir].seen || h->cert[h->client_dir].n == 0)
			chk_fail(k, x->call, x->media, x->fi, "DTLS-CLIENT-CERT", &h->cke.at.frame, 1,
				 "the DTLS client %s sent no certificate",
				 dir_who(x, h->client_dir, who, sizeof who));
		else
			chk_pass(k, x->call, "DTLS-CLIENT-CERT");
	}
	for (d = 0; d < 2; d++) {
		struct cert_info ci;
		int64_t now = (int64_t)(h->cert[d].at.ts_ns / 1000000000ULL);
		if (!h->cert[d].seen || h->cert[d].n == 0 ||
		    cert_parse(h->cert[d].certs[0].der, h->cert[d].certs[0].len, &ci) != SA_OK)
			continue;
		if (now < ci.not_before || now > ci.not_after) {
			char t0[32], t1[32], tn[32];
			chk_fail(k, x->call, x->media, x->fi, "DTLS-CERT-VALIDITY", &h->cert[d].at.frame, 1,
				 "%s's certificate is valid from %s to %s, not at the handshake (%s)",
				 dir_who(x, d, who, sizeof who), utc(ci.not_before, t0, sizeof t0),
				 utc(ci.not_after, t1, sizeof t1), utc(now, tn, sizeof tn));
		}
		else
			chk_pass(k, x->call, "DTLS-CERT-VALIDITY");
		if (ci.key_type == CERT_KEY_RSA && ci.key_bits < 2048)
			chk_fail(k, x->call, x->media, x->fi, "DTLS-CERT-WEAK-KEY", &h->cert[d].at.frame, 1,
				 "%s's certificate has a %d-bit RSA key; expected at least 2048 bits",
				 dir_who(x, d, who, sizeof who), ci.key_bits);
		else
			chk_pass(k, x->call, "DTLS-CERT-WEAK-KEY");
	}
}

static void check_version_suite(struct chk *k, const struct dctx *x, const struct dtls_handshake *h)
{
	const struct dtls_suite *su;
	if (!h->sh.seen || h->dtls13)
		return;
	if (h->version == DTLS_V10)
		chk_fail(k, x->call, x->media, x->fi, "TLS-NO-DTLS10", &h->sh.at.frame, 1,
			 "the ServerHello negotiated DTLS 1.0; expected DTLS 1.2");
	else
		chk_pass(k, x->call, "TLS-NO-DTLS10");
	su = dtls_suite_find(h->sh.suite);
	if (su && !su->forward_secret)
		chk_fail(k, x->call, x->media, x->fi, "WEBRTC-FS", &h->sh.at.frame, 1,
			 "the negotiated suite %s has no forward secrecy", su->name);
	else if (su)
		chk_pass(k, x->call, "WEBRTC-FS");
	if (!(h->ch.seen && h->ch.has_ems && h->sh.has_ems))
		chk_fail(k, x->call, x->media, x->fi, "TLS-EMS", &h->sh.at.frame, 1,
			 "no extended_master_secret: the %s did not send it",
			 h->ch.seen && !h->ch.has_ems ? "client" : "server");
	else
		chk_pass(k, x->call, "TLS-EMS");
}

static void check_completion(struct chk *k, const struct dctx *x, const struct dtls_handshake *h)
{
	if (h->dtls13)
		return;
	if (!h->complete) {
		uint64_t f = h->first_client_hello.frame ? h->first_client_hello.frame : h->sh.at.frame;
		chk_fail(k, x->call, x->media, x->fi, "DTLS-INCOMPLETE", &f, 1,
			 "the DTLS handshake started at frame %llu never completed (%s%s%s)",
			 (unsigned long long)f,
			 h->sh.seen ? "ServerHello seen" : "no ServerHello",
			 h->finished[0].seen || h->finished[1].seen ? ", one Finished" : ", no Finished",
			 x->s->first_fatal.seen ? ", fatal alert" : "");
		return;
	}
	chk_pass(k, x->call, "DTLS-INCOMPLETE");
	{
		uint64_t f[2] = { h->first_client_hello.frame, h->completed_at.frame };
		uint64_t t0 = h->first_client_hello.ts_ns, t1 = h->completed_at.ts_ns;
		chk_fail(k, x->call, x->media, x->fi, "DTLS-HANDSHAKE-INFO", f, 2,
			 "%s handshake completed in %.1f ms, %llu retransmitted message(s)",
			 dtls_version_name(h->version) ? dtls_version_name(h->version) : "DTLS",
			 t1 >= t0 ? (double)(t1 - t0) / 1e6 : 0.0,
			 (unsigned long long)x->s->hs_retransmissions);
	}
}

/* Alerts, and close_notify while RTP still flows on the flow. */
static void check_lifetime(struct chk *k, const struct dctx *x)
{
	const struct dtls_summary *s = x->s;
	const struct dtls_alert *end = NULL;
	uint64_t last_rtp = 0, last_rtp_frame = 0;
	int d;
	if (s->first_fatal.seen) {
		char who[96];
		chk_fail(k, x->call, x->media, x->fi, "DTLS-FATAL-ALERT", &s->first_fatal.at.frame, 1,
			 "%s sent a fatal alert %s (%u)", dir_who(x, s->first_fatal.at.dir, who, sizeof who),
			 s->first_fatal.encrypted ? "(encrypted)" :
			 (dtls_alert_desc_name(s->first_fatal.desc) ? dtls_alert_desc_name(s->first_fatal.desc) : "?"),
			 s->first_fatal.desc);
		end = &s->first_fatal;
	} else {
		chk_pass(k, x->call, "DTLS-FATAL-ALERT");
	}
	for (d = 0; d < 2; d++) {
		const struct dtls_alert *cn = &s->close_notify[d];
		/* After the handshake alerts are encrypted: close_notify (what
		 * products send after key export) or a fatal alert, both end
		 * the association (RFC 5246 §7.2). */
		const struct dtls_alert *la = &s->last_alert[d];
		if (!cn->seen && la->seen && la->encrypted)
			cn = la;
		if (cn->seen && (!end || cn->at.ts_ns < end->at.ts_ns))
			end = cn;
	}
	for (d = 0; d < 2; d++)
		if (x->m->dir[d].last_rtp_ns > last_rtp) {
			last_rtp = x->m->dir[d].last_rtp_ns;
			last_rtp_frame = x->m->dir[d].last_rtp_frame;
		}
	if (end && last_rtp > end->at.ts_ns) {
		uint64_t fr[2] = { end->at.frame, last_rtp_frame };
		chk_fail(k, x->call, x->media, x->fi, "DTLS-CLOSE-DURING-MEDIA", fr, 2,
			 "the DTLS association was closed (%s, frame %llu) while media kept "
			 "flowing until frame %llu: WebRTC peers treat this as teardown",
			 end == &s->first_fatal ? "fatal alert" :
			 end->encrypted ? "an encrypted alert: close_notify or fatal" : "close_notify",
			 (unsigned long long)end->at.frame, (unsigned long long)last_rtp_frame);
	} else if (last_rtp) {
		chk_pass(k, x->call, "DTLS-CLOSE-DURING-MEDIA");
	}
	if (x->call < 0 && s->handshakes > 1 && s->n_handshakes > 1)
		chk_fail(k, x->call, x->media, x->fi, "DTLS-REHANDSHAKE",
			 &s->hs[1].first_client_hello.frame, 1,
			 "%u DTLS handshakes on this flow: new SRTP keys from frame %llu",
			 s->handshakes, (unsigned long long)s->hs[1].first_client_hello.frame);
}

/* SRTP sent before the handshake completed (RFC 5764 §5.1), by time. */
static void check_srtp_before(struct chk *k, const struct dctx *x)
{
	const struct dtls_handshake *h = x->s->n_handshakes ? &x->s->hs[0] : NULL;
	int d;
	if (!h || (!h->ch.seen && !h->sh.seen))
		return;
	for (d = 0; d < 2; d++) {
		const struct media_dir *md = &x->m->dir[d];
		char who[96];
		if (!md->rtp)
			continue;
		if (!h->complete || md->first_rtp_ns < h->completed_at.ts_ns) {
			uint64_t fr[2] = { md->first_rtp_frame, h->completed_at.frame };
			chk_fail(k, x->call, x->media, x->fi, "SRTP-BEFORE-HANDSHAKE", fr, 2,
				 "%s sent SRTP at frame %llu, %s", dir_who(x, d, who, sizeof who),
				 (unsigned long long)md->first_rtp_frame,
				 h->complete ? "before the handshake completed" : "and the handshake never completed");
		} else {
			chk_pass(k, x->call, "SRTP-BEFORE-HANDSHAKE");
		}
	}
}

static void check_one_flow(struct chk *k, const struct flow *f, long fi)
{
	struct dctx x;
	size_t h;
	memset(&x, 0, sizeof x);
	x.f = f;
	x.fi = fi;
	x.m = media_of(f);
	x.call = -1;
	x.media = -1;
	if (!x.m || !x.m->dtls)
		return;
	x.s = dtls_assoc_summary(x.m->dtls);
	if (f->bound) {
		x.call = (long)f->call;
		x.media = (long)f->media;
		x.c = call_table_at(k->r->calls, f->call);
		x.e = x.c && f->ex < x.c->n_ex ? &x.c->ex[f->ex] : NULL;
	}
	if (x.e && x.e->answer && (size_t)x.media < x.e->answer->d.n_media) {
		const struct media_desc *am = &x.e->answer->d.media[x.media];
		if (media_desc_is_sdes(am) && !media_desc_answer_uses_dtls(am)) {
			uint64_t fr = x.s->first_record.frame;
			chk_fail(k, x.call, x.media, fi, "METHOD-DTLS-AFTER-SDES", &fr, 1,
				 "DTLS on a stream whose answer (frame %llu) chose SDES",
				 (unsigned long long)x.e->answer->d.frame);
		} else if (x.e->offer && (size_t)x.media < x.e->offer->d.n_media &&
			   media_desc_is_sdes(&x.e->offer->d.media[x.media])) {
			/* The answer may list more m-lines than the offer had:
			 * only an offered m-line can have been SDES. */
			chk_pass(k, x.call, "METHOD-DTLS-AFTER-SDES");
		}
	}
	for (h = 0; h < x.s->n_handshakes; h++) {
		const struct dtls_handshake *hs = &x.s->hs[h];
		/* Only encrypted records here: the handshake happened on another
		 * 5-tuple (ICE moved the association) or before the capture. */
		if (!hs->ch.seen && !hs->sh.seen)
			continue;
		check_roles(k, &x, hs);
		check_fingerprint_match(k, &x, hs);
		check_use_srtp(k, &x, hs);
		check_certs(k, &x, hs);
		check_version_suite(k, &x, hs);
		check_completion(k, &x, hs);
	}
	check_lifetime(k, &x);
	check_srtp_before(k, &x);
}

void checks_dtls(struct chk *k)
{
	size_t i;
	for (i = 0; i < k->nflows_all; i++)
		check_one_flow(k, k->all[i], (long)i);
}
