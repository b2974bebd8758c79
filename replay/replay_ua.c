/* replay_ua.c - the replay's SIP user agent over UDP (RFC 3261): UAC
 * (INVITE, ACK for 2xx and non-2xx, BYE) and UAS (100/180/200 or 488,
 * waiting for the ACK, answering BYE), with the transaction timers of
 * sip_tx.h.  Incoming messages are parsed with the analyzer's SIP parser
 * (sip.h); outgoing ones are written from the captured call's parties
 * with fresh Call-ID, tags, branches, CSeq, Contact and Content-Length. */
#include <stdlib.h>
#include <string.h>

#include "replay_int.h"

#define UA_NAME "srtpaudit-replay"

static void sv_copy(char *dst, size_t cap, struct sv v)
{
	size_t n = v.n < cap - 1 ? v.n : cap - 1;
	if (n)
		memcpy(dst, v.p, n);
	dst[n] = '\0';
}

/* host:port with brackets for IPv6 (RFC 3261 §25.1 hostport). */
static void hostport(char *out, size_t cap, const char *host, uint16_t port)
{
	bool v6 = strchr(host, ':') != NULL;
	snprintf(out, cap, "%s%s%s:%u", v6 ? "[" : "", host, v6 ? "]" : "", port);
}

static const char *user_or(const char *u, const char *dflt)
{
	return u && *u ? u : dflt;
}

static void new_branch(char *out, size_t cap)
{
	char tok[17];
	(void)sip_tx_token(tok, sizeof tok);
	snprintf(out, cap, "z9hG4bK%s", tok);   /* RFC 3261 §8.1.1.7 magic cookie */
}

static void put_via(struct rsess *s, struct sip_buf *b, const char *branch)
{
	char hp[96];
	hostport(hp, sizeof hp, s->lhost, s->lport);
	/* RFC 3261 §18.1.1: the transport in the Via; rport (RFC 3581) on UDP. */
	sip_buf_printf(b, "Via: SIP/2.0/%s %s;branch=%s%s\r\n", s->tcp ? "TCP" : "UDP", hp,
		       branch, s->tcp ? "" : ";rport");
}

static void put_body(struct sip_buf *b, const char *ctype, const char *body, size_t n)
{
	if (ctype)
		sip_buf_printf(b, "Content-Type: %s\r\n", ctype);
	sip_buf_printf(b, "Content-Length: %zu\r\n\r\n", n);
	if (n)
		sip_buf_put(b, body, n);
}

/* ---- UAC ---- */

/* The INVITE (first, re-sent with credentials, or a re-INVITE): CSeq
 * s->lcseq, a new branch, the body in s->inv_body; auth is a whole
 * header line or NULL.  The transaction is t. */
static bool send_invite_req(struct rsess *s, struct sip_txn *t, bool *used,
			    const char *ruri, const char *auth)
{
	char msg[SIP_TX_MAX_MSG], branch[40], lhp[96];
	struct sip_buf b;
	hostport(lhp, sizeof lhp, s->lhost, s->lport);
	new_branch(branch, sizeof branch);
	sip_buf_init(&b, msg, sizeof msg);
	sip_buf_printf(&b, "INVITE %s SIP/2.0\r\n", ruri);
	put_via(s, &b, branch);
	sip_buf_printf(&b, "Max-Forwards: 70\r\nFrom: %s\r\nTo: %s\r\nCall-ID: %s\r\n"
		       "CSeq: %u INVITE\r\nContact: <sip:%s@%s%s>\r\n"
		       "Allow: INVITE, ACK, BYE, CANCEL, OPTIONS\r\nUser-Agent: " UA_NAME "\r\n%s",
		       s->local_party, s->remote_party, s->call_id, s->lcseq,
		       user_or(s->opt->side == PARTY_CALLER ? s->plan->from_user : s->plan->to_user,
			       "srtpaudit"), lhp, s->tcp ? ";transport=tcp" : "", auth ? auth : "");
	put_body(&b, "application/sdp", s->inv_body, s->inv_body_len);
	if (b.overflow)
		return false;
	if (!rs_sip_send(s, msg, b.len))
		return false;
	*used = sip_txn_client_start(t, true, branch, "INVITE", s->lcseq, msg, b.len, rs_now(), &s->tm);
	return *used;
}

static bool send_invite(struct rsess *s)
{
	char tok[17], hp[96], lhp[96];
	if (!rs_build_sdp(s, true, SDPB_SETUP_ACTPASS, s->inv_body, sizeof s->inv_body,
			  &s->inv_body_len))
		return false;
	hostport(hp, sizeof hp, s->thost, s->tport);
	hostport(lhp, sizeof lhp, s->lhost, s->lport);
	(void)sip_tx_token(tok, sizeof tok);
	snprintf(s->call_id, sizeof s->call_id, "%s@%s", tok, s->lhost);
	(void)sip_tx_token(s->ltag, sizeof s->ltag);
	s->lcseq = 1;
	snprintf(s->inv_ruri, sizeof s->inv_ruri, "sip:%s@%s%s",
		 user_or(s->plan->to_user, "dut"), hp, s->tcp ? ";transport=tcp" : "");
	snprintf(s->local_party, sizeof s->local_party, "<sip:%s@%s>;tag=%s",
		 user_or(s->plan->from_user, "srtpaudit"), lhp, s->ltag);
	snprintf(s->remote_party, sizeof s->remote_party, "<sip:%s@%s>",
		 user_or(s->plan->to_user, "dut"), hp);
	snprintf(s->remote_target, sizeof s->remote_target, "%s", s->inv_ruri);
	snprintf(s->res->call_id, sizeof s->res->call_id, "%s", s->call_id);
	if (!send_invite_req(s, &s->inv, &s->inv_used, s->inv_ruri, NULL))
		return false;
	s->state = RS_INVITING;
	rs_log(s, "INVITE sent to %s over %s (Call-ID %s, SRTP method %s)", hp,
	       s->tcp ? "TCP" : "UDP", s->call_id, replay_method_name(s->method));
	return true;
}

/* A 401/407 to our INVITE: the INVITE again with CSeq+1 and credentials
 * (RFC 3261 §22.2, §22.3; RFC 7616).  false when we cannot answer it. */
static bool resend_with_auth(struct rsess *s, const struct sip_msg *m, int code)
{
	struct sv v;
	struct sip_digest ch;
	char val[700], hdr[760], cnonce[17];
	const char *hname = code == 407 ? "Proxy-Authenticate" : "WWW-Authenticate";
	size_t i;
	bool found = false;
	if (!s->opt->auth_user || s->auth_tries >= 2)
		return false;
	for (i = 0; !found && sip_msg_header_nth(m, hname, i, &v); i++)
		found = sip_digest_parse(v.p, v.n, &ch) == SA_OK &&
			sip_digest_alg_of(ch.algorithm) != SIP_DIGEST_UNKNOWN;
	if (!found) {
		rs_log(s, "%d without a usable Digest %s", code, hname);
		return false;
	}
	if (s->auth_tries == 1 && !ch.stale)
		return false;   /* our credentials were refused */
	(void)sip_tx_token(cnonce, sizeof cnonce);
	if (!sip_digest_authorization(&ch, s->opt->auth_user, s->opt->auth_pass, "INVITE",
				      s->inv_ruri, cnonce, 1, val, sizeof val))
		return false;
	snprintf(hdr, sizeof hdr, "%s: %s\r\n", code == 407 ? "Proxy-Authorization" : "Authorization", val);
	snprintf(s->res->auth_header, sizeof s->res->auth_header, "%s", val);
	s->auth_tries++;
	s->lcseq++;   /* §22.2: same Call-ID, From tag; CSeq one higher */
	if (!send_invite_req(s, &s->inv, &s->inv_used, s->inv_ruri, hdr))
		return false;
	rs_log(s, "%d: INVITE sent again with credentials for realm \"%s\" (%s)", code, ch.realm,
	       ch.algorithm[0] ? ch.algorithm : "MD5");
	return true;
}

/* Our re-INVITE (RFC 3261 §14.1): the current session, version one
 * higher, same keys and DTLS association (same fingerprint and tls-id). */
static void send_reinvite(struct rsess *s)
{
	if (s->reinv_pending || !s->call_up || s->state != RS_CONFIRMED)
		return;
	if (!rs_build_sdp(s, false, s->use_dtls ? SDPB_SETUP_ACTPASS : SDPB_SETUP_NONE,
			  s->inv_body, sizeof s->inv_body, &s->inv_body_len))
		return;
	s->lcseq++;
	if (!send_invite_req(s, &s->reinv, &s->reinv_used, s->remote_target, NULL))
		return;
	s->reinv_pending = true;
	s->res->reinvites_sent++;
	rs_log(s, "re-INVITE sent (CSeq %u)", s->lcseq);
}

/* ACK (RFC 3261 §17.1.1.3 for non-2xx: same branch and Request-URI, To of
 * the response; §13.2.2.4 for 2xx: a new transaction to the remote
 * target).  t is the INVITE transaction answered. */
static void send_ack(struct rsess *s, const struct sip_msg *m, bool is2xx,
		     const struct sip_txn *t, const char *ruri)
{
	char msg[2048], branch[64];
	struct sv to;
	struct sip_buf b;
	sip_buf_init(&b, msg, sizeof msg);
	if (!sip_msg_header(m, "To", &to))
		to = sv_cstr(s->remote_party);
	if (is2xx)
		new_branch(branch, sizeof branch);
	else
		snprintf(branch, sizeof branch, "%s", t->branch);
	sip_buf_printf(&b, "ACK %s SIP/2.0\r\n", is2xx ? s->remote_target : ruri);
	put_via(s, &b, branch);
	sip_buf_printf(&b, "Max-Forwards: 70\r\nFrom: %s\r\nTo: %.*s\r\nCall-ID: %s\r\n"
		       "CSeq: %u ACK\r\nUser-Agent: " UA_NAME "\r\n",
		       s->local_party, (int)to.n, to.p, s->call_id, t->cseq);
	put_body(&b, NULL, NULL, 0);
	if (b.overflow)
		return;
	if (is2xx && t == &s->inv) {
		memcpy(s->ack_2xx, msg, b.len);
		s->ack_2xx_len = b.len;
	}
	(void)rs_sip_send(s, msg, b.len);
}

/* A response to our re-INVITE: ACK it; the session goes on either way
 * (RFC 3261 §14.1: a failed re-INVITE leaves the session as it was). */
static void reinvite_response(struct rsess *s, const struct sip_msg *m, int code)
{
	struct sv body;
	sip_txn_client_response(&s->reinv, code, rs_now(), &s->tm);
	if (code < 200)
		return;
	send_ack(s, m, code < 300, &s->reinv, s->remote_target);
	if (!s->reinv_pending)
		return;   /* a retransmitted final response */
	s->reinv_pending = false;
	if (code >= 300) {
		rs_log(s, "re-INVITE rejected: %d", code);
		rs_verdict(s, RC_SIP_FLOW, VERDICT_FAIL, "the device rejected our re-INVITE with %d", code);
		return;
	}
	if (sip_body_find_sdp(m, &body, NULL) != SA_OK)
		rs_verdict(s, RC_SIP_FLOW, VERDICT_FAIL, "the 2xx to our re-INVITE carries no SDP answer");
	rs_log(s, "re-INVITE answered %d; ACK sent", code);
}

static void uac_response(struct rsess *s, const struct sip_msg *m, uint32_t cseq,
			 struct sv method)
{
	uint64_t now = rs_now();
	int code = m->status;
	struct sv branch = { NULL, 0 };
	(void)sip_msg_via_branch(m, &branch);
	if (sv_eq_cstr_ci(method, "BYE") && s->bye_used && cseq == s->bye.cseq) {
		sip_txn_client_response(&s->bye, code, now, &s->tm);
		if (code >= 200) {
			rs_log(s, "BYE answered %d", code);
			if (code >= 300)
				rs_verdict(s, RC_SIP_FLOW, VERDICT_FAIL, "the device answered our BYE with %d", code);
			s->state = RS_DONE;
		}
		return;
	}
	if (sv_eq_cstr_ci(method, "INVITE") && s->reinv_used && cseq == s->reinv.cseq &&
	    sv_eq_cstr_ci(branch, s->reinv.branch)) {
		reinvite_response(s, m, code);
		return;
	}
	if (!sv_eq_cstr_ci(method, "INVITE") || !s->inv_used || cseq != s->inv.cseq ||
	    !sv_eq_cstr_ci(branch, s->inv.branch) || s->opt->side != PARTY_CALLER)
		return;
	if (code >= 200 && code < 300 && s->call_up) {
		/* A retransmitted 2xx: ACK it again (RFC 3261 §13.2.2.4). */
		if (s->ack_2xx_len)
			(void)rs_sip_send(s, s->ack_2xx, s->ack_2xx_len);
		return;
	}
	if (code >= 300 && s->inv.state != SIPTX_PROCEEDING && s->inv.state != SIPTX_CALLING) {
		/* A retransmitted final response: the same ACK again. */
		if (s->inv.last_code == code && !s->tcp)
			send_ack(s, m, false, &s->inv, s->inv_ruri);
		return;
	}
	sip_txn_client_response(&s->inv, code, now, &s->tm);
	s->res->final_code = code >= 200 ? (uint16_t)code : s->res->final_code;
	if (code < 200) {
		rs_log(s, "INVITE: %d %.*s", code, (int)m->reason.n, m->reason.p);
		return;
	}
	if (code >= 300) {
		send_ack(s, m, false, &s->inv, s->inv_ruri);
		if (code == 401 || code == 407) {
			s->res->auth_challenges++;
			if (resend_with_auth(s, m, code))
				return;
			rs_verdict(s, RC_SIP_FLOW, VERDICT_FAIL, "the device asked for authentication (%d) %s",
				   code, !s->opt->auth_user ? "and no --auth was given" :
				   s->auth_tries ? "again: our credentials were refused" :
				   "with a challenge we cannot answer");
			s->state = RS_DONE;
			return;
		}
		rs_log(s, "INVITE rejected: %d %.*s", code, (int)m->reason.n, m->reason.p);
		rs_verdict(s, RC_SIP_FLOW, VERDICT_FAIL, "the device rejected the INVITE: %d %.*s",
			   code, (int)m->reason.n, m->reason.p);
		if (code == 488 || code == 606)
			rs_verdict(s, RC_PROFILE, VERDICT_FAIL,
				   "the device refused the offer (SRTP method %s): %d",
				   replay_method_name(s->method), code);
		s->state = RS_DONE;
		return;
	}
	{
		struct sv to, contact, body;
		if (sip_msg_header(m, "To", &to))
			sv_copy(s->remote_party, sizeof s->remote_party, to);
		if (sip_msg_contact_uri(m, &contact) && contact.n > 0)
			sv_copy(s->remote_target, sizeof s->remote_target, contact);
		s->call_up = true;
		s->state = RS_CONFIRMED;
		send_ack(s, m, true, &s->inv, s->inv_ruri);
		s->acked = true;
		rs_log(s, "INVITE answered %d; ACK sent", code);
		if (sip_body_find_sdp(m, &body, NULL) != SA_OK ||
		    !rs_take_answer(s, body.p, body.n)) {
			if (s->res->verdicts[RC_PROFILE].v != VERDICT_FAIL)
				rs_verdict(s, RC_PROFILE, VERDICT_FAIL, "the 2xx carries no usable SDP answer");
			rs_ua_send_bye(s);
			return;
		}
		rs_media_go(s);
	}
}

/* ---- responses we send (UAS, and BYE answered by either side) ---- */

static size_t build_response(struct rsess *s, const struct sip_msg *req, int code,
			     const char *reason, bool contact, const char *sdp,
			     size_t sdp_len, char *out, size_t cap, const char *extra)
{
	struct sip_buf b;
	struct sv v, tag;
	size_t i;
	char lhp[96];
	hostport(lhp, sizeof lhp, s->lhost, s->lport);
	sip_buf_init(&b, out, cap);
	sip_buf_printf(&b, "SIP/2.0 %d %s\r\n", code, reason);
	/* RFC 3261 §8.2.6.2: Via, From, Call-ID and CSeq copied; To gets our tag. */
	for (i = 0; sip_msg_header_nth(req, "Via", i, &v); i++)
		sip_buf_printf(&b, "Via: %.*s\r\n", (int)v.n, v.p);
	if (sip_msg_header(req, "From", &v))
		sip_buf_printf(&b, "From: %.*s\r\n", (int)v.n, v.p);
	if (sip_msg_header(req, "To", &v)) {
		if (!sip_msg_to_tag(req, &tag) && code > 100)
			sip_buf_printf(&b, "To: %.*s;tag=%s\r\n", (int)v.n, v.p, s->ltag);
		else
			sip_buf_printf(&b, "To: %.*s\r\n", (int)v.n, v.p);
	}
	if (sip_msg_header(req, "Call-ID", &v))
		sip_buf_printf(&b, "Call-ID: %.*s\r\n", (int)v.n, v.p);
	if (sip_msg_header(req, "CSeq", &v))
		sip_buf_printf(&b, "CSeq: %.*s\r\n", (int)v.n, v.p);
	if (contact)
		sip_buf_printf(&b, "Contact: <sip:%s@%s%s>\r\n",
			       user_or(s->opt->side == PARTY_CALLER ? s->plan->from_user :
				       s->plan->to_user, "srtpaudit"), lhp,
			       s->tcp ? ";transport=tcp" : "");
	if (extra)
		sip_buf_put(&b, extra, strlen(extra));
	sip_buf_printf(&b, "User-Agent: " UA_NAME "\r\n");
	put_body(&b, sdp ? "application/sdp" : NULL, sdp, sdp_len);
	return b.overflow ? 0 : b.len;
}

static void respond_x(struct rsess *s, struct sip_txn *t, const struct sip_msg *req,
		      int code, const char *reason, const char *sdp, size_t sdp_len,
		      const char *extra)
{
	char msg[SIP_TX_MAX_MSG];
	size_t n = build_response(s, req, code, reason,
				  code >= 200 && code < 300 && (t == &s->srv_inv || t == &s->srv_reinv),
				  sdp, sdp_len, msg, sizeof msg, extra);
	if (!n)
		return;
	(void)rs_sip_send(s, msg, n);
	if (t)
		(void)sip_txn_server_respond(t, code, msg, n, rs_now(), &s->tm);
}

static void respond(struct rsess *s, struct sip_txn *t, const struct sip_msg *req,
		    int code, const char *reason, const char *sdp, size_t sdp_len)
{
	respond_x(s, t, req, code, reason, sdp, sdp_len, NULL);
}

/* --challenge: the INVITE's credentials against ours (RFC 7616 §3.4;
 * RFC 3261 §22.4).  1 correct, 0 wrong, -1 none given. */
static int check_credentials(struct rsess *s, const struct sip_msg *m)
{
	const char *hname = s->opt->challenge_proxy ? "Proxy-Authorization" : "Authorization";
	struct sv v;
	struct sip_digest cr;
	char want[80];
	enum sip_digest_alg alg;
	if (!sip_msg_header(m, hname, &v))
		return -1;
	sv_copy(s->res->auth_header, sizeof s->res->auth_header, v);
	if (sip_digest_parse(v.p, v.n, &cr) != SA_OK || !s->srv_nonce[0])
		return 0;
	alg = sip_digest_alg_of(cr.algorithm);
	if (alg != (s->opt->challenge_sha256 ? SIP_DIGEST_SHA256 : SIP_DIGEST_MD5) ||
	    strcmp(cr.username, s->opt->auth_user ? s->opt->auth_user : "") != 0 ||
	    strcmp(cr.realm, s->opt->challenge_realm) != 0 || strcmp(cr.nonce, s->srv_nonce) != 0 ||
	    strcmp(cr.qop, "auth") != 0 || !cr.cnonce[0] || strlen(cr.nc) != 8 ||
	    !sv_eq_cstr_ci(m->uri, cr.uri))
		return 0;
	if (!sip_digest_compute(alg, cr.username, cr.realm, s->opt->auth_pass ? s->opt->auth_pass : "",
				"INVITE", cr.uri, cr.nonce, cr.qop, cr.nc, cr.cnonce, want, sizeof want))
		return 0;
	return strcmp(want, cr.response) == 0;
}

/* 401 (or 407) with a fresh nonce, qop=auth and an opaque. */
static void challenge(struct rsess *s, struct sip_txn *t, const struct sip_msg *m)
{
	char hdr[512], opaque[17];
	bool proxy = s->opt->challenge_proxy;
	(void)sip_tx_token(s->srv_nonce, sizeof s->srv_nonce);
	(void)sip_tx_token(opaque, sizeof opaque);
	snprintf(hdr, sizeof hdr, "%s: Digest realm=\"%s\", nonce=\"%s\", opaque=\"%s\", "
		 "algorithm=%s, qop=\"auth\"\r\n", proxy ? "Proxy-Authenticate" : "WWW-Authenticate",
		 s->opt->challenge_realm, s->srv_nonce, opaque,
		 s->opt->challenge_sha256 ? "SHA-256" : "MD5");
	s->res->auth_challenges++;
	respond_x(s, t, m, proxy ? 407 : 401, proxy ? "Proxy Authentication Required" : "Unauthorized",
		  NULL, 0, hdr);
	rs_log(s, "INVITE challenged (%d, realm \"%s\")", proxy ? 407 : 401, s->opt->challenge_realm);
}

/* A re-INVITE from the device (RFC 3261 §14.2): answered 200 with our
 * current session (same keys and DTLS association, version one higher). */
static void uas_reinvite(struct rsess *s, const struct sip_msg *m, uint32_t cseq, const char *bs)
{
	char sdp[4096];
	size_t sl;
	struct sv body;
	if (s->srv_reinv_used && strcmp(bs, s->srv_reinv.branch) == 0) {
		if (s->srv_reinv.len)
			(void)rs_sip_send(s, s->srv_reinv.msg, s->srv_reinv.len);
		return;
	}
	sip_txn_server_start(&s->srv_reinv, true, bs, "INVITE", cseq, rs_now());
	s->srv_reinv_used = true;
	s->res->reinvites_received++;
	if (s->reinv_pending) {
		/* §14.2: glare with our own re-INVITE. */
		respond(s, &s->srv_reinv, m, 491, "Request Pending", NULL, 0);
		return;
	}
	if (sip_body_find_sdp(m, &body, NULL) == SA_OK) {
		struct sdp_desc d;
		struct sdp *scratch = calloc(1, sizeof *scratch);
		bool ok = scratch && sdp_desc_from_text(body.p, body.n, scratch, &d) == SA_OK &&
			  d.parsed && d.n_media > 0 && d.media[0].port != 0;
		if (scratch)
			sdp_desc_cleanup(&d);
		free(scratch);
		if (!ok) {
			respond(s, &s->srv_reinv, m, 488, "Not Acceptable Here", NULL, 0);
			rs_log(s, "re-INVITE with an unusable offer: 488");
			return;
		}
	}
	if (!rs_build_sdp(s, false, !s->use_dtls ? SDPB_SETUP_NONE :
			  s->dtls_client ? SDPB_SETUP_ACTIVE : SDPB_SETUP_PASSIVE, sdp, sizeof sdp, &sl)) {
		respond(s, &s->srv_reinv, m, 500, "Server Internal Error", NULL, 0);
		return;
	}
	respond(s, &s->srv_reinv, m, 200, "OK", sdp, sl);
	rs_log(s, "re-INVITE received (CSeq %u); 200 sent with the current session", cseq);
}

static void uas_invite(struct rsess *s, const struct sip_msg *m, uint32_t cseq,
		       const struct sockaddr_storage *from, socklen_t flen)
{
	struct sv branch = { "", 0 }, v, body;
	char sdp[4096], why[160], bs[64];
	size_t sl;
	(void)sip_msg_via_branch(m, &branch);
	sv_copy(bs, sizeof bs, branch);
	if (s->srv_inv_used && strcmp(bs, s->srv_inv.branch) == 0) {
		/* A retransmission: the last response again (§17.2.1). */
		if (s->srv_inv.len)
			(void)rs_sip_send(s, s->srv_inv.msg, s->srv_inv.len);
		return;
	}
	if (s->state != RS_IDLE) {
		char msg[2048];
		size_t n = build_response(s, m, 486, "Busy Here", false, NULL, 0,
					  msg, sizeof msg, NULL);
		if (n)
			(void)rs_sip_send(s, msg, n);   /* a second call */
		return;
	}
	memcpy(&s->peer, from, flen);
	s->peer_len = flen;
	sip_txn_server_start(&s->srv_inv, true, bs, "INVITE", cseq, rs_now());
	s->srv_inv_used = true;
	(void)sip_tx_token(s->ltag, sizeof s->ltag);
	if (sip_msg_header(m, "Call-ID", &v))
		sv_copy(s->call_id, sizeof s->call_id, v);
	if (s->opt->challenge_realm) {
		int ok = check_credentials(s, m);
		s->res->auth_verified = ok;
		if (ok < 0 && s->res->auth_challenges < 3) {
			challenge(s, &s->srv_inv, m);
			return;
		}
		if (ok <= 0) {
			respond(s, &s->srv_inv, m, 403, "Forbidden", NULL, 0);
			s->res->final_code = 403;
			s->state = RS_ANSWERED;
			rs_verdict(s, RC_SIP_FLOW, VERDICT_FAIL, "the INVITE's credentials are wrong: 403 sent");
			rs_log(s, "wrong credentials: 403");
			return;
		}
		rs_log(s, "the INVITE's digest credentials are correct");
	}
	snprintf(s->res->call_id, sizeof s->res->call_id, "%s", s->call_id);
	if (sip_msg_header(m, "From", &v))
		sv_copy(s->remote_party, sizeof s->remote_party, v);
	if (sip_msg_header(m, "To", &v)) {
		char to[400];
		sv_copy(to, sizeof to, v);
		snprintf(s->local_party, sizeof s->local_party, "%s;tag=%s", to, s->ltag);
	}
	if (sip_msg_contact_uri(m, &v) && v.n)
		sv_copy(s->remote_target, sizeof s->remote_target, v);
	else
		sv_copy(s->remote_target, sizeof s->remote_target, m->uri);
	s->lcseq = 1;
	rs_log(s, "INVITE received (Call-ID %s)", s->call_id);
	respond(s, &s->srv_inv, m, 100, "Trying", NULL, 0);
	s->state = RS_ANSWERED;
	if (sip_body_find_sdp(m, &body, NULL) != SA_OK) {
		snprintf(why, sizeof why, "the INVITE has no SDP offer (offerless INVITE not built yet)");
		goto reject;
	}
	if (!rs_take_offer(s, body.p, body.n, why, sizeof why))
		goto reject;
	if (s->use_dtls && !s->opt->answer_passive) {
		/* We answer active: we are the DTLS client (RFC 5763 §5). */
		if (!rs_dtls_role(s, true)) {
			snprintf(why, sizeof why, "cannot create the DTLS client");
			goto reject;
		}
	}
	respond(s, &s->srv_inv, m, 180, "Ringing", NULL, 0);
	if (!rs_build_sdp(s, false, s->opt->answer_passive ? SDPB_SETUP_PASSIVE : SDPB_SETUP_ACTIVE,
			  sdp, sizeof sdp, &sl)) {
		snprintf(why, sizeof why, "cannot build the SDP answer");
		goto reject;
	}
	respond(s, &s->srv_inv, m, 200, "OK", sdp, sl);
	s->res->final_code = 200;
	s->call_up = true;
	rs_log(s, "answered 200 (%s)", s->use_dtls ? "DTLS-SRTP" : s->use_sdes ? "SDES" : "plain RTP");
	rs_media_go(s);
	return;
reject:
	rs_log(s, "rejecting the offer: %s", why);
	respond(s, &s->srv_inv, m, 488, "Not Acceptable Here", NULL, 0);
	s->res->final_code = 488;
	rs_verdict(s, RC_PROFILE, VERDICT_FAIL, "488 sent: %s", why);
	rs_verdict(s, RC_SIP_FLOW, VERDICT_FAIL, "the offer was rejected with 488");
}

static void in_request(struct rsess *s, const struct sip_msg *m, uint32_t cseq,
		       const struct sockaddr_storage *from, socklen_t flen)
{
	struct sv cid;
	char tmp[128];
	bool same = sip_msg_call_id(m, &cid) && (sv_copy(tmp, sizeof tmp, cid), strcmp(tmp, s->call_id) == 0);
	if (sv_eq_cstr_ci(m->method, "INVITE")) {
		struct sv br = { "", 0 }, totag;
		char bs[64];
		(void)sip_msg_via_branch(m, &br);
		sv_copy(bs, sizeof bs, br);
		if (same && s->call_up && sip_msg_to_tag(m, &totag))
			uas_reinvite(s, m, cseq, bs);
		else if (s->opt->side == PARTY_CALLEE)
			uas_invite(s, m, cseq, from, flen);
		return;
	}
	if (sv_eq_cstr_ci(m->method, "ACK")) {
		if (same && s->srv_reinv_used && cseq == s->srv_reinv.cseq) {
			sip_txn_server_ack(&s->srv_reinv, rs_now(), &s->tm);
			return;
		}
		if (same && s->srv_inv_used && cseq == s->srv_inv.cseq) {
			sip_txn_server_ack(&s->srv_inv, rs_now(), &s->tm);
			if (s->srv_inv.last_code == 401 || s->srv_inv.last_code == 407) {
				/* the challenge was acknowledged: wait for credentials */
			} else if (s->srv_inv.last_code >= 300) {
				s->state = RS_DONE;
			} else if (!s->acked) {
				s->acked = true;
				s->state = RS_CONFIRMED;
				rs_log(s, "ACK received");
			}
		}
		return;
	}
	if (sv_eq_cstr_ci(m->method, "BYE")) {
		if (!same) {
			respond(s, NULL, m, 481, "Call/Transaction Does Not Exist", NULL, 0);
			return;
		}
		if (!s->srv_bye_used) {
			struct sv br = { "", 0 };
			char bs[64];
			(void)sip_msg_via_branch(m, &br);
			sv_copy(bs, sizeof bs, br);
			sip_txn_server_start(&s->srv_bye, false, bs, "BYE", cseq, rs_now());
			s->srv_bye_used = true;
		}
		respond(s, &s->srv_bye, m, 200, "OK", NULL, 0);
		s->res->bye_received = true;
		if (!s->acked && s->call_up)
			s->acked = true;   /* BYE confirms the dialog too (§13.3.1.4) */
		rs_log(s, "BYE received; 200 sent");
		s->state = RS_DONE;
		return;
	}
	/* OPTIONS, INFO, UPDATE, re-INVITE...: not part of the replay. */
	respond(s, NULL, m, 501, "Not Implemented", NULL, 0);
}

void rs_ua_input(struct rsess *s, const uint8_t *d, size_t n,
		 const struct sockaddr_storage *from, socklen_t flen)
{
	struct sip_msg *m;
	uint32_t cseq;
	struct sv method;
	if (sip_is_keepalive(d, n))
		return;
	m = malloc(sizeof *m);
	if (!m)
		return;
	if (sip_msg_parse(d, n, s->tcp ? SIP_PARSE_STREAM : SIP_PARSE_DATAGRAM, m, NULL) != SA_OK ||
	    !sip_msg_cseq(m, &cseq, &method)) {
		rs_log(s, "ignored a datagram that is not a SIP message");
		free(m);
		return;
	}
	if (m->is_request)
		in_request(s, m, cseq, from, flen);
	else
		uac_response(s, m, cseq, method);
	free(m);
}

bool rs_ua_start(struct rsess *s)
{
	if (s->opt->side == PARTY_CALLER)
		return send_invite(s);
	s->state = RS_IDLE;
	rs_log(s, "waiting for an INVITE from %s on %s", s->thost, s->res->local_sip);
	return true;
}

void rs_ua_send_bye(struct rsess *s)
{
	char msg[2048], branch[40];
	struct sip_buf b;
	if (s->bye_used || s->state == RS_DONE)
		return;
	if (s->opt->dtls_close == REPLAY_CLOSE_AT_END)
		rs_dtls_close(s);
	new_branch(branch, sizeof branch);
	s->lcseq++;
	sip_buf_init(&b, msg, sizeof msg);
	sip_buf_printf(&b, "BYE %s SIP/2.0\r\n", s->remote_target);
	put_via(s, &b, branch);
	sip_buf_printf(&b, "Max-Forwards: 70\r\nFrom: %s\r\nTo: %s\r\nCall-ID: %s\r\n"
		       "CSeq: %u BYE\r\nUser-Agent: " UA_NAME "\r\n",
		       s->local_party, s->remote_party, s->call_id, s->lcseq);
	put_body(&b, NULL, NULL, 0);
	if (b.overflow)
		return;
	s->bye_used = sip_txn_client_start(&s->bye, false, branch, "BYE", s->lcseq, msg,
					   b.len, rs_now(), &s->tm);
	s->state = RS_BYE_SENT;
	s->res->bye_sent = true;
	rs_log(s, "BYE sent");
	(void)rs_sip_send(s, msg, b.len);
}

static void txn_timers(struct rsess *s, struct sip_txn *t, bool used, uint64_t now)
{
	enum sip_txn_action a;
	if (!used)
		return;
	while ((a = sip_txn_poll(t, now, &s->tm)) != SIPTX_NONE) {
		if (a == SIPTX_RETRANSMIT) {
			s->res->sip_retransmissions++;
			(void)rs_sip_send(s, t->msg, t->len);
			continue;
		}
		/* SIPTX_TIMEOUT */
		if (t == &s->inv) {
			rs_verdict(s, RC_SIP_FLOW, VERDICT_FAIL,
				   "no final response to the INVITE (Timer B, %llu ms)",
				   (unsigned long long)(64 * s->tm.t1 / 1000000));
			rs_abort(s, REPLAY_ABORT_TIMEOUT,
				 "the target never answered the INVITE (Timer B after %u retransmissions)",
				 t->retransmissions);
		} else if (t == &s->bye) {
			rs_verdict(s, RC_SIP_FLOW, VERDICT_FAIL, "no response to our BYE (Timer F)");
			s->state = RS_DONE;
		} else if (t == &s->srv_inv) {
			rs_verdict(s, RC_SIP_FLOW, VERDICT_FAIL, "no ACK for our final response (Timer H)");
			rs_abort(s, REPLAY_ABORT_TIMEOUT, "the device never sent the ACK (Timer H)");
		}
		break;
	}
}

void rs_ua_timers(struct rsess *s, uint64_t now)
{
	txn_timers(s, &s->inv, s->inv_used, now);
	txn_timers(s, &s->bye, s->bye_used, now);
	txn_timers(s, &s->srv_inv, s->srv_inv_used, now);
	txn_timers(s, &s->reinv, s->reinv_used, now);
	txn_timers(s, &s->srv_reinv, s->srv_reinv_used, now);
	if (!s->reinvite_planned && s->media_started && s->opt->reinvite_at >= 0) {
		/* --reinvite-at S after our media starts, or halfway through our
		 * media when the captured side sent a re-INVITE. */
		uint64_t span = s->plan->n ? s->plan->pkts[s->plan->n - 1].t_ns : 0;
		s->reinvite_planned = true;
		if (s->opt->reinvite_at > 0)
			s->reinvite_at = s->media_start + (uint64_t)(s->opt->reinvite_at * 1e9);
		else if (s->plan->side_reinvited)
			s->reinvite_at = s->media_start + span / 2 + 1;
	}
	if (s->reinvite_at && now >= s->reinvite_at && s->state == RS_CONFIRMED) {
		s->reinvite_at = 0;
		send_reinvite(s);
	}
	/* Our BYE: after our media and the linger time.  The UAC always ends
	 * the call; the UAS only when the captured callee did. */
	if (s->call_up && !s->bye_used && s->state != RS_DONE && s->bye_at && now >= s->bye_at &&
	    (s->opt->side == PARTY_CALLER || s->plan->side_sent_bye))
		rs_ua_send_bye(s);
}

uint64_t rs_ua_next(const struct rsess *s)
{
	uint64_t n = 0, x;
	const struct sip_txn *t[5] = { s->inv_used ? &s->inv : NULL,
				       s->bye_used ? &s->bye : NULL,
				       s->srv_inv_used ? &s->srv_inv : NULL,
				       s->reinv_used ? &s->reinv : NULL,
				       s->srv_reinv_used ? &s->srv_reinv : NULL };
	size_t i;
	for (i = 0; i < 5; i++) {
		if (!t[i])
			continue;
		x = sip_txn_next(t[i]);
		if (x && (!n || x < n))
			n = x;
	}
	if (s->bye_at && !s->bye_used && (!n || s->bye_at < n))
		n = s->bye_at;
	if (s->reinvite_at && (!n || s->reinvite_at < n))
		n = s->reinvite_at;
	return n;
}
