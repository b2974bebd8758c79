/* replay_uas.c - the replay's UAS side (RFC 3261): responses built from
 * the request (§8.2.6), the INVITE answered 100/180/200 or 488 (a delayed
 * 200 with --answer-after; our offer in the 200 when the INVITE has none,
 * §13.2.1), 487 after a CANCEL (§9.2), digest challenges and the check of
 * the credentials (--challenge, RFC 7616), and re-INVITEs from the device
 * (§14.2).  The UAC side and the dispatch of incoming messages are in
 * replay_ua.c. */
#include <stdlib.h>
#include <string.h>

#include "replay_int.h"

#define UA_NAME "srtpaudit-replay"

/* ---- responses we send (UAS, and BYE answered by either side) ---- */

size_t rs_build_response(struct rsess *s, const struct sip_msg *req, int code,
			     const char *reason, bool contact, const char *sdp,
			     size_t sdp_len, char *out, size_t cap, const char *extra)
{
	struct sip_buf b;
	struct sv v, tag;
	size_t i;
	char lhp[96];
	rs_hostport(lhp, sizeof lhp, s->lhost, s->lport);
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
	/* §12.1.1: dialog-creating responses copy the Record-Route lines. */
	if (code > 100 && code < 300 && sv_eq_cstr_ci(req->method, "INVITE"))
		for (i = 0; sip_msg_header_nth(req, "Record-Route", i, &v); i++)
			sip_buf_printf(&b, "Record-Route: %.*s\r\n", (int)v.n, v.p);
	if (contact)
		sip_buf_printf(&b, "Contact: <sip:%s@%s%s>\r\n",
			       rs_user_or(s->opt->side == PARTY_CALLER ? s->plan->from_user :
				       s->plan->to_user, "srtpaudit"), lhp,
			       s->tcp ? ";transport=tcp" : "");
	if (extra)
		sip_buf_put(&b, extra, strlen(extra));
	sip_buf_printf(&b, "User-Agent: " UA_NAME "\r\n");
	rs_put_body(&b, sdp ? "application/sdp" : NULL, sdp, sdp_len);
	return b.overflow ? 0 : b.len;
}

void rs_respond_x(struct rsess *s, struct sip_txn *t, const struct sip_msg *req,
		      int code, const char *reason, const char *sdp, size_t sdp_len,
		      const char *extra)
{
	char msg[SIP_TX_MAX_MSG];
	size_t n = rs_build_response(s, req, code, reason,
				  code >= 200 && code < 300 && (t == &s->srv_inv || t == &s->srv_reinv),
				  sdp, sdp_len, msg, sizeof msg, extra);
	if (!n)
		return;
	(void)rs_sip_send(s, msg, n);
	if (t)
		(void)sip_txn_server_respond(t, code, msg, n, rs_now(), &s->tm);
}

void rs_respond(struct rsess *s, struct sip_txn *t, const struct sip_msg *req,
		    int code, const char *reason, const char *sdp, size_t sdp_len)
{
	rs_respond_x(s, t, req, code, reason, sdp, sdp_len, NULL);
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
	rs_sv_copy(s->res->auth_header, sizeof s->res->auth_header, v);
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
	rs_respond_x(s, t, m, proxy ? 407 : 401, proxy ? "Proxy Authentication Required" : "Unauthorized",
		  NULL, 0, hdr);
	rs_log(s, "INVITE challenged (%d, realm \"%s\")", proxy ? 407 : 401, s->opt->challenge_realm);
}

/* A re-INVITE from the device (RFC 3261 §14.2): answered 200 with our
 * current session (same keys and DTLS association, version one higher). */
void rs_uas_reinvite(struct rsess *s, const struct sip_msg *m, uint32_t cseq, const char *bs)
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
		rs_respond(s, &s->srv_reinv, m, 491, "Request Pending", NULL, 0);
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
			rs_respond(s, &s->srv_reinv, m, 488, "Not Acceptable Here", NULL, 0);
			rs_log(s, "re-INVITE with an unusable offer: 488");
			return;
		}
	}
	if (!rs_build_sdp(s, false, !s->use_dtls ? SDPB_SETUP_NONE :
			  s->dtls_client ? SDPB_SETUP_ACTIVE : SDPB_SETUP_PASSIVE, sdp, sizeof sdp, &sl)) {
		rs_respond(s, &s->srv_reinv, m, 500, "Server Internal Error", NULL, 0);
		return;
	}
	rs_respond(s, &s->srv_reinv, m, 200, "OK", sdp, sl);
	rs_log(s, "re-INVITE received (CSeq %u); 200 sent with the current session", cseq);
}

/* The 200 to the INVITE being answered: our answer, or our offer when
 * the INVITE had none (RFC 3261 §13.2.1).  false when the SDP cannot be
 * built. */
static bool uas_answer(struct rsess *s, const struct sip_msg *m)
{
	char sdp[4096];
	size_t sl;
	if (s->offerless) {
		if (!rs_build_sdp(s, true, SDPB_SETUP_ACTPASS, sdp, sizeof sdp, &sl))
			return false;
		s->late_answer_due = true;
	} else if (!rs_build_sdp(s, false, !s->use_dtls ? SDPB_SETUP_NONE : s->opt->answer_passive ?
				 SDPB_SETUP_PASSIVE : SDPB_SETUP_ACTIVE, sdp, sizeof sdp, &sl)) {
		return false;
	}
	rs_respond(s, &s->srv_inv, m, 200, "OK", sdp, sl);
	s->res->final_code = 200;
	s->call_up = true;
	if (s->offerless) {
		rs_log(s, "answered 200 with our offer (SRTP method %s)", replay_method_name(s->method));
		return true;
	}
	rs_log(s, "answered 200 (%s)", s->use_dtls ? "DTLS-SRTP" : s->use_sdes ? "SDES" : "plain RTP");
	rs_media_go(s);
	rs_media_clock(s);
	return true;
}

/* The delayed 200 (--answer-after): the kept INVITE parsed again. */
void rs_uas_answer_late(struct rsess *s)
{
	struct sip_msg *m = malloc(sizeof *m);
	s->answer_at = 0;
	if (m && sip_msg_parse((const uint8_t *)s->inv_req, s->inv_req_len,
			       s->tcp ? SIP_PARSE_STREAM : SIP_PARSE_DATAGRAM, m, NULL) == SA_OK &&
	    !uas_answer(s, m)) {
		rs_respond(s, &s->srv_inv, m, 500, "Server Internal Error", NULL, 0);
		rs_verdict(s, RC_SIP_FLOW, VERDICT_FAIL, "our SDP could not be built: 500 sent");
	}
	free(m);
}

/* CANCEL from the device (RFC 3261 §9.2): 200 for the CANCEL; if the
 * INVITE has no final response yet, 487 for it. */
void rs_uas_cancel(struct rsess *s, const struct sip_msg *m, uint32_t cseq)
{
	struct sv br = { "", 0 }, cid;
	char bs[64], tmp[128];
	struct sip_msg *inv;
	(void)sip_msg_via_branch(m, &br);
	rs_sv_copy(bs, sizeof bs, br);
	if (!sip_msg_call_id(m, &cid) || (rs_sv_copy(tmp, sizeof tmp, cid), strcmp(tmp, s->call_id)) ||
	    !s->srv_inv_used || strcmp(bs, s->srv_inv.branch) != 0 || cseq != s->srv_inv.cseq) {
		rs_respond(s, NULL, m, 481, "Call/Transaction Does Not Exist", NULL, 0);
		return;
	}
	rs_respond(s, NULL, m, 200, "OK", NULL, 0);
	s->res->cancel_received = true;
	if (s->srv_inv.last_code >= 200 || !s->inv_req_len) {
		rs_log(s, "CANCEL after our final response: 200, no effect");
		return;
	}
	s->answer_at = 0;
	inv = malloc(sizeof *inv);
	if (inv && sip_msg_parse((const uint8_t *)s->inv_req, s->inv_req_len,
				 s->tcp ? SIP_PARSE_STREAM : SIP_PARSE_DATAGRAM, inv, NULL) == SA_OK)
		rs_respond(s, &s->srv_inv, inv, 487, "Request Terminated", NULL, 0);
	free(inv);
	s->res->final_code = 487;
	s->res->cancelled = true;
	rs_log(s, "CANCEL received: 200, and 487 for the INVITE");
	if (s->opt->expect_cancel)
		rs_verdict(s, RC_SIP_FLOW, VERDICT_PASS,
			   "cancelled as expected: CANCEL answered 200, INVITE 487");
	else
		rs_verdict(s, RC_SIP_FLOW, VERDICT_FAIL, "the device cancelled the INVITE");
}

void rs_uas_invite(struct rsess *s, const struct sip_msg *m, uint32_t cseq,
		       const struct sockaddr_storage *from, socklen_t flen)
{
	struct sv branch = { "", 0 }, v, body;
	char why[160], bs[64];
	(void)sip_msg_via_branch(m, &branch);
	rs_sv_copy(bs, sizeof bs, branch);
	if (s->srv_inv_used && strcmp(bs, s->srv_inv.branch) == 0) {
		/* A retransmission: the last response again (§17.2.1). */
		if (s->srv_inv.len)
			(void)rs_sip_send(s, s->srv_inv.msg, s->srv_inv.len);
		return;
	}
	if (s->state != RS_IDLE) {
		char msg[2048];
		size_t n = rs_build_response(s, m, 486, "Busy Here", false, NULL, 0,
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
		rs_sv_copy(s->call_id, sizeof s->call_id, v);
	if (s->opt->challenge_realm) {
		int ok = check_credentials(s, m);
		s->res->auth_verified = ok;
		if (ok < 0 && s->res->auth_challenges < 3) {
			challenge(s, &s->srv_inv, m);
			return;
		}
		if (ok <= 0) {
			rs_respond(s, &s->srv_inv, m, 403, "Forbidden", NULL, 0);
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
		rs_sv_copy(s->remote_party, sizeof s->remote_party, v);
	if (sip_msg_header(m, "To", &v)) {
		char to[400];
		rs_sv_copy(to, sizeof to, v);
		snprintf(s->local_party, sizeof s->local_party, "%s;tag=%s", to, s->ltag);
	}
	if (sip_msg_contact_uri(m, &v) && v.n)
		rs_sv_copy(s->remote_target, sizeof s->remote_target, v);
	else
		rs_sv_copy(s->remote_target, sizeof s->remote_target, m->uri);
	s->lcseq = 1;
	rs_route_learn(s, m, false);   /* §12.1.1: in order, from the INVITE */
	/* The INVITE is kept for a delayed 2xx and for a 487 after CANCEL. */
	s->inv_req_len = 0;
	if (m->msg_len - m->leading_crlf <= sizeof s->inv_req) {
		memcpy(s->inv_req, m->method.p, m->msg_len - m->leading_crlf);
		s->inv_req_len = m->msg_len - m->leading_crlf;
	}
	rs_log(s, "INVITE received (Call-ID %s)", s->call_id);
	rs_respond(s, &s->srv_inv, m, 100, "Trying", NULL, 0);
	s->state = RS_ANSWERED;
	if (sip_body_find_sdp(m, &body, NULL) != SA_OK) {
		/* §13.2.1: no offer in the INVITE, so ours goes in the 2xx and
		 * the device's answer comes in the ACK. */
		s->offerless = s->res->offerless = true;
		rs_log(s, "the INVITE has no SDP: our offer goes in the 200");
	} else {
		if (!rs_take_offer(s, body.p, body.n, why, sizeof why))
			goto reject;
		if (s->use_dtls && !s->opt->answer_passive) {
			/* We answer active: we are the DTLS client (RFC 5763 §5). */
			if (!rs_dtls_role(s, true)) {
				snprintf(why, sizeof why, "cannot create the DTLS client");
				goto reject;
			}
		}
	}
	rs_respond(s, &s->srv_inv, m, 180, "Ringing", NULL, 0);
	if (s->opt->answer_after > 0 && s->inv_req_len) {
		s->answer_at = rs_now() + (uint64_t)(s->opt->answer_after * 1e9);
		rs_log(s, "ringing: the 200 goes in %.3f s", s->opt->answer_after);
		return;
	}
	if (!uas_answer(s, m)) {
		snprintf(why, sizeof why, "cannot build the SDP %s", s->offerless ? "offer" : "answer");
		goto reject;
	}
	return;
reject:
	rs_log(s, "rejecting the offer: %s", why);
	rs_respond(s, &s->srv_inv, m, 488, "Not Acceptable Here", NULL, 0);
	s->res->final_code = 488;
	rs_verdict(s, RC_PROFILE, VERDICT_FAIL, "488 sent: %s", why);
	rs_verdict(s, RC_SIP_FLOW, VERDICT_FAIL, "the offer was rejected with 488");
}

