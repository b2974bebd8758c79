/* replay_ua.c - the replay's SIP user agent (RFC 3261), UAC side and
 * dispatch: INVITE (with SDP, or offerless with --late-offer, §13.2.1),
 * ACK for 2xx and non-2xx, digest credentials after 401/407, CANCEL timing
 * (replay_dialog.c builds it), re-INVITE, BYE through the route set, the
 * transaction timers of sip_tx.h, and incoming messages parsed with the
 * analyzer's SIP parser (sip.h) and handed to the UAC code here or the
 * UAS code in replay_uas.c.  Outgoing messages are written from the
 * captured call's parties with fresh Call-ID, tags, branches, CSeq,
 * Contact and Content-Length. */
#include <stdlib.h>
#include <string.h>

#include "replay_int.h"

#define UA_NAME "srtpaudit-replay"

void rs_sv_copy(char *dst, size_t cap, struct sv v)
{
	size_t n = v.n < cap - 1 ? v.n : cap - 1;
	if (n)
		memcpy(dst, v.p, n);
	dst[n] = '\0';
}

/* host:port with brackets for IPv6 (RFC 3261 §25.1 hostport). */
void rs_hostport(char *out, size_t cap, const char *host, uint16_t port)
{
	bool v6 = strchr(host, ':') != NULL;
	snprintf(out, cap, "%s%s%s:%u", v6 ? "[" : "", host, v6 ? "]" : "", port);
}

const char *rs_user_or(const char *u, const char *dflt)
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
	rs_hostport(hp, sizeof hp, s->lhost, s->lport);
	/* RFC 3261 §18.1.1: the transport in the Via; rport (RFC 3581) on UDP. */
	sip_buf_printf(b, "Via: SIP/2.0/%s %s;branch=%s%s\r\n", s->tcp ? "TCP" : "UDP", hp,
		       branch, s->tcp ? "" : ";rport");
}

void rs_put_body(struct sip_buf *b, const char *ctype, const char *body, size_t n)
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
	rs_hostport(lhp, sizeof lhp, s->lhost, s->lport);
	new_branch(branch, sizeof branch);
	sip_buf_init(&b, msg, sizeof msg);
	sip_buf_printf(&b, "INVITE %s SIP/2.0\r\n", ruri);
	put_via(s, &b, branch);
	sip_buf_printf(&b, "Max-Forwards: 70\r\nFrom: %s\r\nTo: %s\r\nCall-ID: %s\r\n"
		       "CSeq: %u INVITE\r\nContact: <sip:%s@%s%s>\r\n"
		       "Allow: INVITE, ACK, BYE, CANCEL, OPTIONS\r\nUser-Agent: " UA_NAME "\r\n%s",
		       s->local_party, s->remote_party, s->call_id, s->lcseq,
		       rs_user_or(s->opt->side == PARTY_CALLER ? s->plan->from_user : s->plan->to_user,
			       "srtpaudit"), lhp, s->tcp ? ";transport=tcp" : "", auth ? auth : "");
	/* An offerless INVITE (--late-offer, RFC 3261 §13.2.1) has no body. */
	rs_put_body(&b, s->inv_body_len ? "application/sdp" : NULL, s->inv_body, s->inv_body_len);
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
	if (s->opt->late_offer) {
		s->inv_body_len = 0;
		s->offerless = s->res->offerless = true;
	} else if (!rs_build_sdp(s, true, SDPB_SETUP_ACTPASS, s->inv_body, sizeof s->inv_body,
				 &s->inv_body_len)) {
		return false;
	}
	rs_hostport(hp, sizeof hp, s->thost, s->tport);
	rs_hostport(lhp, sizeof lhp, s->lhost, s->lport);
	(void)sip_tx_token(tok, sizeof tok);
	snprintf(s->call_id, sizeof s->call_id, "%s@%s", tok, s->lhost);
	(void)sip_tx_token(s->ltag, sizeof s->ltag);
	s->lcseq = 1;
	snprintf(s->inv_ruri, sizeof s->inv_ruri, "sip:%s@%s%s",
		 rs_user_or(s->plan->to_user, "dut"), hp, s->tcp ? ";transport=tcp" : "");
	snprintf(s->local_party, sizeof s->local_party, "<sip:%s@%s>;tag=%s",
		 rs_user_or(s->plan->from_user, "srtpaudit"), lhp, s->ltag);
	snprintf(s->remote_party, sizeof s->remote_party, "<sip:%s@%s>",
		 rs_user_or(s->plan->to_user, "dut"), hp);
	snprintf(s->remote_target, sizeof s->remote_target, "%s", s->inv_ruri);
	snprintf(s->res->call_id, sizeof s->res->call_id, "%s", s->call_id);
	if (!send_invite_req(s, &s->inv, &s->inv_used, s->inv_ruri, NULL))
		return false;
	s->state = RS_INVITING;
	if (s->opt->cancel_after > 0)
		s->cancel_at = rs_now() + (uint64_t)(s->opt->cancel_after * 1e9);
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
	{
		char ruri[SIP_ROUTE_URI], rt[SIP_ROUTE_MAX * (SIP_ROUTE_URI + 4) + 16];
		if (!rs_route_apply(s, ruri, sizeof ruri, rt, sizeof rt))
			return;
		s->lcseq++;
		if (!send_invite_req(s, &s->reinv, &s->reinv_used, ruri, rt))
			return;
	}
	s->reinv_pending = true;
	s->res->reinvites_sent++;
	rs_log(s, "re-INVITE sent (CSeq %u)", s->lcseq);
}

/* ACK (RFC 3261 §17.1.1.3 for non-2xx: same branch and Request-URI, To of
 * the response; §13.2.2.4 for 2xx: a new transaction to the remote
 * target).  t is the INVITE transaction answered. */
static void send_ack_body(struct rsess *s, const struct sip_msg *m, bool is2xx,
			  const struct sip_txn *t, const char *ruri, const char *sdp, size_t sdp_len)
{
	char msg[SIP_TX_MAX_MSG], branch[64], druri[SIP_ROUTE_URI];
	char rt[SIP_ROUTE_MAX * (SIP_ROUTE_URI + 4) + 16];
	struct sv to;
	struct sip_buf b;
	rt[0] = '\0';
	/* §13.2.2.4: the ACK for a 2xx is in the dialog: route set applies. */
	if (is2xx && !rs_route_apply(s, druri, sizeof druri, rt, sizeof rt))
		return;
	sip_buf_init(&b, msg, sizeof msg);
	if (!sip_msg_header(m, "To", &to))
		to = sv_cstr(s->remote_party);
	if (is2xx)
		new_branch(branch, sizeof branch);
	else
		snprintf(branch, sizeof branch, "%s", t->branch);
	sip_buf_printf(&b, "ACK %s SIP/2.0\r\n", is2xx ? druri : ruri);
	put_via(s, &b, branch);
	sip_buf_printf(&b, "Max-Forwards: 70\r\nFrom: %s\r\nTo: %.*s\r\nCall-ID: %s\r\n"
		       "CSeq: %u ACK\r\n%sUser-Agent: " UA_NAME "\r\n",
		       s->local_party, (int)to.n, to.p, s->call_id, t->cseq, rt);
	/* With --late-offer the answer goes in the ACK (§13.2.1). */
	rs_put_body(&b, sdp_len ? "application/sdp" : NULL, sdp, sdp_len);
	if (b.overflow)
		return;
	if (is2xx && t == &s->inv) {
		memcpy(s->ack_2xx, msg, b.len);
		s->ack_2xx_len = b.len;
	}
	(void)rs_sip_send(s, msg, b.len);
}

static void send_ack(struct rsess *s, const struct sip_msg *m, bool is2xx,
		     const struct sip_txn *t, const char *ruri)
{
	send_ack_body(s, m, is2xx, t, ruri, NULL, 0);
}

/* The 2xx to our offerless INVITE carries the offer: take it and put our
 * answer in the ACK (RFC 3261 §13.2.1, §13.2.2.4).  false when the offer
 * is unusable (the ACK then goes without an answer and the call is
 * ended with a BYE). */
static bool late_offer_answer(struct rsess *s, const struct sip_msg *m)
{
	struct sv body;
	char why[160], sdp[4096];
	size_t sl = 0;
	bool ok = sip_body_find_sdp(m, &body, NULL) == SA_OK &&
		  rs_take_offer(s, body.p, body.n, why, sizeof why);
	if (!ok && sip_body_find_sdp(m, &body, NULL) != SA_OK)
		snprintf(why, sizeof why, "the 2xx to our offerless INVITE carries no SDP offer");
	if (ok && s->use_dtls && !s->opt->answer_passive && !rs_dtls_role(s, true)) {
		snprintf(why, sizeof why, "cannot create the DTLS client");
		ok = false;
	}
	if (ok && !rs_build_sdp(s, false, !s->use_dtls ? SDPB_SETUP_NONE : s->opt->answer_passive ?
				SDPB_SETUP_PASSIVE : SDPB_SETUP_ACTIVE, sdp, sizeof sdp, &sl)) {
		snprintf(why, sizeof why, "cannot build the SDP answer");
		ok = false;
	}
	send_ack_body(s, m, true, &s->inv, s->inv_ruri, ok ? sdp : NULL, ok ? sl : 0);
	if (!ok) {
		rs_log(s, "late offer refused: %s", why);
		rs_verdict(s, RC_PROFILE, VERDICT_FAIL, "%s", why);
	}
	return ok;
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
	if (sv_eq_cstr_ci(method, "CANCEL") && s->cancel_used && cseq == s->cancel.cseq) {
		rs_cancel_response(s, code);
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
		if (code == 487 && s->cancel_used) {
			/* §9.1: the cancelled INVITE ends with 487 (ACKed above). */
			s->res->cancelled = true;
			rs_log(s, "INVITE cancelled: 487");
			if (s->res->cancel_code >= 200 || s->cancel.state == SIPTX_TERMINATED)
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
			rs_sv_copy(s->remote_party, sizeof s->remote_party, to);
		if (sip_msg_contact_uri(m, &contact) && contact.n > 0)
			rs_sv_copy(s->remote_target, sizeof s->remote_target, contact);
		s->call_up = true;
		s->state = RS_CONFIRMED;
		rs_route_learn(s, m, true);
		s->acked = true;
		if (s->cancel_used)
			rs_verdict(s, RC_SIP_FLOW, VERDICT_FAIL,
				   "the device answered %d although we sent a CANCEL", code);
		if (s->offerless) {
			if (!late_offer_answer(s, m)) {
				rs_ua_send_bye(s);
				return;
			}
			rs_log(s, "INVITE answered %d with an offer; ACK sent with our answer", code);
			rs_media_go(s);
			if (s->cancel_used)
				rs_ua_send_bye(s);
			return;
		}
		send_ack(s, m, true, &s->inv, s->inv_ruri);
		rs_log(s, "INVITE answered %d; ACK sent", code);
		if (s->cancel_used) {
			rs_ua_send_bye(s);
			return;
		}
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

static void in_request(struct rsess *s, const struct sip_msg *m, uint32_t cseq,
		       const struct sockaddr_storage *from, socklen_t flen)
{
	struct sv cid;
	char tmp[128];
	bool same = sip_msg_call_id(m, &cid) && (rs_sv_copy(tmp, sizeof tmp, cid), strcmp(tmp, s->call_id) == 0);
	if (sv_eq_cstr_ci(m->method, "INVITE")) {
		struct sv br = { "", 0 }, totag;
		char bs[64];
		(void)sip_msg_via_branch(m, &br);
		rs_sv_copy(bs, sizeof bs, br);
		if (same && s->call_up && sip_msg_to_tag(m, &totag))
			rs_uas_reinvite(s, m, cseq, bs);
		else if (s->opt->side == PARTY_CALLEE)
			rs_uas_invite(s, m, cseq, from, flen);
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
				struct sv body;
				s->acked = true;
				s->state = RS_CONFIRMED;
				rs_log(s, "ACK received");
				if (s->late_answer_due) {
					/* §13.2.1: the answer to the offer in our 2xx. */
					s->late_answer_due = false;
					if (sip_body_find_sdp(m, &body, NULL) == SA_OK &&
					    rs_take_answer(s, body.p, body.n)) {
						rs_media_go(s);
					} else {
						rs_verdict(s, RC_PROFILE, VERDICT_FAIL,
							   "the ACK carries no usable SDP answer to our offer");
						rs_ua_send_bye(s);
					}
				}
			}
		}
		return;
	}
	if (sv_eq_cstr_ci(m->method, "BYE")) {
		if (!same) {
			rs_respond(s, NULL, m, 481, "Call/Transaction Does Not Exist", NULL, 0);
			return;
		}
		if (!s->srv_bye_used) {
			struct sv br = { "", 0 };
			char bs[64];
			(void)sip_msg_via_branch(m, &br);
			rs_sv_copy(bs, sizeof bs, br);
			sip_txn_server_start(&s->srv_bye, false, bs, "BYE", cseq, rs_now());
			s->srv_bye_used = true;
		}
		rs_respond(s, &s->srv_bye, m, 200, "OK", NULL, 0);
		s->res->bye_received = true;
		if (!s->acked && s->call_up)
			s->acked = true;   /* BYE confirms the dialog too (§13.3.1.4) */
		rs_log(s, "BYE received; 200 sent");
		s->state = RS_DONE;
		return;
	}
	if (sv_eq_cstr_ci(m->method, "CANCEL")) {
		rs_uas_cancel(s, m, cseq);
		return;
	}
	/* OPTIONS, INFO, UPDATE...: not part of the replay. */
	rs_respond(s, NULL, m, 501, "Not Implemented", NULL, 0);
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
	char msg[SIP_TX_MAX_MSG], branch[40], ruri[SIP_ROUTE_URI];
	char rt[SIP_ROUTE_MAX * (SIP_ROUTE_URI + 4) + 16];
	struct sip_buf b;
	if (s->bye_used || s->state == RS_DONE)
		return;
	if (s->opt->dtls_close == REPLAY_CLOSE_AT_END)
		rs_dtls_close(s);
	if (!rs_route_apply(s, ruri, sizeof ruri, rt, sizeof rt))
		return;
	new_branch(branch, sizeof branch);
	s->lcseq++;
	sip_buf_init(&b, msg, sizeof msg);
	sip_buf_printf(&b, "BYE %s SIP/2.0\r\n", ruri);
	put_via(s, &b, branch);
	sip_buf_printf(&b, "Max-Forwards: 70\r\nFrom: %s\r\nTo: %s\r\nCall-ID: %s\r\n"
		       "CSeq: %u BYE\r\n%sUser-Agent: " UA_NAME "\r\n",
		       s->local_party, s->remote_party, s->call_id, s->lcseq, rt);
	rs_put_body(&b, NULL, NULL, 0);
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
		} else if (t == &s->cancel) {
			rs_log(s, "no response to our CANCEL (Timer F)");
			if (s->res->cancelled)
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
	txn_timers(s, &s->cancel, s->cancel_used, now);
	/* §9.1: CANCEL only once a provisional response came. */
	if (s->cancel_at && now >= s->cancel_at && s->state == RS_INVITING &&
	    s->inv.state == SIPTX_PROCEEDING) {
		s->cancel_at = 0;
		rs_cancel_send(s);
	}
	if (s->answer_at && now >= s->answer_at && s->state == RS_ANSWERED)
		rs_uas_answer_late(s);
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
	if (s->cancel_at && s->inv.state == SIPTX_PROCEEDING && (!n || s->cancel_at < n))
		n = s->cancel_at;
	if (s->answer_at && (!n || s->answer_at < n))
		n = s->answer_at;
	x = s->cancel_used ? sip_txn_next(&s->cancel) : 0;
	if (x && (!n || x < n))
		n = x;
	return n;
}
