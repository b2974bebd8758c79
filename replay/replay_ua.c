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
	sip_buf_printf(b, "Via: SIP/2.0/UDP %s;branch=%s;rport\r\n", hp, branch);
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

static bool send_invite(struct rsess *s)
{
	char msg[SIP_TX_MAX_MSG], sdp[4096], tok[17], branch[40], hp[96], lhp[96];
	struct sip_buf b;
	size_t sl;
	uint64_t now = rs_now();
	if (!rs_build_sdp(s, true, SDPB_SETUP_ACTPASS, sdp, sizeof sdp, &sl))
		return false;
	hostport(hp, sizeof hp, s->thost, s->tport);
	hostport(lhp, sizeof lhp, s->lhost, s->lport);
	(void)sip_tx_token(tok, sizeof tok);
	snprintf(s->call_id, sizeof s->call_id, "%s@%s", tok, s->lhost);
	(void)sip_tx_token(s->ltag, sizeof s->ltag);
	new_branch(branch, sizeof branch);
	s->lcseq = 1;
	snprintf(s->inv_ruri, sizeof s->inv_ruri, "sip:%s@%s",
		 user_or(s->plan->to_user, "dut"), hp);
	snprintf(s->local_party, sizeof s->local_party, "<sip:%s@%s>;tag=%s",
		 user_or(s->plan->from_user, "srtpaudit"), lhp, s->ltag);
	snprintf(s->remote_party, sizeof s->remote_party, "<%s>", s->inv_ruri);
	snprintf(s->remote_target, sizeof s->remote_target, "%s", s->inv_ruri);
	sip_buf_init(&b, msg, sizeof msg);
	sip_buf_printf(&b, "INVITE %s SIP/2.0\r\n", s->inv_ruri);
	put_via(s, &b, branch);
	sip_buf_printf(&b, "Max-Forwards: 70\r\nFrom: %s\r\nTo: %s\r\nCall-ID: %s\r\n"
		       "CSeq: 1 INVITE\r\nContact: <sip:%s@%s>\r\n"
		       "Allow: INVITE, ACK, BYE, CANCEL, OPTIONS\r\nUser-Agent: " UA_NAME "\r\n",
		       s->local_party, s->remote_party, s->call_id,
		       user_or(s->plan->from_user, "srtpaudit"), lhp);
	put_body(&b, "application/sdp", sdp, sl);
	if (b.overflow)
		return false;
	snprintf(s->res->call_id, sizeof s->res->call_id, "%s", s->call_id);
	if (!rs_sip_send(s, msg, b.len))
		return false;
	s->inv_used = sip_txn_client_start(&s->inv, true, branch, "INVITE", 1, msg, b.len, now, &s->tm);
	s->state = RS_INVITING;
	rs_log(s, "INVITE sent to %s (Call-ID %s, SRTP method %s)", hp, s->call_id,
	       replay_method_name(s->method));
	return s->inv_used;
}

/* ACK (RFC 3261 §17.1.1.3 for non-2xx: same branch and Request-URI, To of
 * the response; §13.2.2.4 for 2xx: a new transaction to the remote
 * target). */
static void send_ack(struct rsess *s, const struct sip_msg *m, bool is2xx)
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
		snprintf(branch, sizeof branch, "%s", s->inv.branch);
	sip_buf_printf(&b, "ACK %s SIP/2.0\r\n", is2xx ? s->remote_target : s->inv_ruri);
	put_via(s, &b, branch);
	sip_buf_printf(&b, "Max-Forwards: 70\r\nFrom: %s\r\nTo: %.*s\r\nCall-ID: %s\r\n"
		       "CSeq: 1 ACK\r\nUser-Agent: " UA_NAME "\r\n",
		       s->local_party, (int)to.n, to.p, s->call_id);
	put_body(&b, NULL, NULL, 0);
	if (b.overflow)
		return;
	if (is2xx) {
		memcpy(s->ack_2xx, msg, b.len);
		s->ack_2xx_len = b.len;
	}
	(void)rs_sip_send(s, msg, b.len);
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
	if (!sv_eq_cstr_ci(method, "INVITE") || cseq != 1 || !s->inv_used ||
	    !sv_eq_cstr_ci(branch, s->inv.branch))
		return;
	if (code >= 200 && code < 300 && s->call_up) {
		/* A retransmitted 2xx: ACK it again (RFC 3261 §13.2.2.4). */
		if (s->ack_2xx_len)
			(void)rs_sip_send(s, s->ack_2xx, s->ack_2xx_len);
		return;
	}
	sip_txn_client_response(&s->inv, code, now, &s->tm);
	s->res->final_code = code >= 200 ? (uint16_t)code : s->res->final_code;
	if (code < 200) {
		rs_log(s, "INVITE: %d %.*s", code, (int)m->reason.n, m->reason.p);
		return;
	}
	if (code >= 300) {
		send_ack(s, m, false);
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
		send_ack(s, m, true);
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
			     size_t sdp_len, char *out, size_t cap)
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
		sip_buf_printf(&b, "Contact: <sip:%s@%s>\r\n",
			       user_or(s->plan->to_user, "srtpaudit"), lhp);
	sip_buf_printf(&b, "User-Agent: " UA_NAME "\r\n");
	put_body(&b, sdp ? "application/sdp" : NULL, sdp, sdp_len);
	return b.overflow ? 0 : b.len;
}

static void respond(struct rsess *s, struct sip_txn *t, const struct sip_msg *req,
		    int code, const char *reason, const char *sdp, size_t sdp_len)
{
	char msg[SIP_TX_MAX_MSG];
	size_t n = build_response(s, req, code, reason,
				  code >= 200 && code < 300 && t == &s->srv_inv,
				  sdp, sdp_len, msg, sizeof msg);
	if (!n)
		return;
	(void)rs_sip_send(s, msg, n);
	if (t)
		(void)sip_txn_server_respond(t, code, msg, n, rs_now(), &s->tm);
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
		size_t n = build_response(s, m, 488, "Not Acceptable Here", false, NULL, 0,
					  msg, sizeof msg);
		if (n)
			(void)rs_sip_send(s, msg, n);   /* re-INVITE: not built yet */
		return;
	}
	memcpy(&s->peer, from, flen);
	s->peer_len = flen;
	sip_txn_server_start(&s->srv_inv, true, bs, "INVITE", cseq, rs_now());
	s->srv_inv_used = true;
	(void)sip_tx_token(s->ltag, sizeof s->ltag);
	if (sip_msg_header(m, "Call-ID", &v))
		sv_copy(s->call_id, sizeof s->call_id, v);
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
		if (s->opt->side == PARTY_CALLEE)
			uas_invite(s, m, cseq, from, flen);
		return;
	}
	if (sv_eq_cstr_ci(m->method, "ACK")) {
		if (same && s->srv_inv_used) {
			sip_txn_server_ack(&s->srv_inv, rs_now(), &s->tm);
			if (s->srv_inv.last_code >= 300) {
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
	if (sip_msg_parse(d, n, SIP_PARSE_DATAGRAM, m, NULL) != SA_OK ||
	    !sip_msg_cseq(m, &cseq, &method)) {
		rs_log(s, "ignored a datagram that is not a SIP message");
		free(m);
		return;
	}
	if (m->is_request)
		in_request(s, m, cseq, from, flen);
	else if (s->opt->side == PARTY_CALLER || s->bye_used)
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
	/* Our BYE: after our media and the linger time.  The UAC always ends
	 * the call; the UAS only when the captured callee did. */
	if (s->call_up && !s->bye_used && s->state != RS_DONE && s->bye_at && now >= s->bye_at &&
	    (s->opt->side == PARTY_CALLER || s->plan->side_sent_bye))
		rs_ua_send_bye(s);
}

uint64_t rs_ua_next(const struct rsess *s)
{
	uint64_t n = 0, x;
	const struct sip_txn *t[3] = { s->inv_used ? &s->inv : NULL,
				       s->bye_used ? &s->bye : NULL,
				       s->srv_inv_used ? &s->srv_inv : NULL };
	size_t i;
	for (i = 0; i < 3; i++) {
		if (!t[i])
			continue;
		x = sip_txn_next(t[i]);
		if (x && (!n || x < n))
			n = x;
	}
	if (s->bye_at && !s->bye_used && (!n || s->bye_at < n))
		n = s->bye_at;
	return n;
}
