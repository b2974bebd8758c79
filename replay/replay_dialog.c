/* replay_dialog.c - the parts of the replay's SIP dialog that sit beside
 * the main INVITE flow of replay_ua.c: the route set (RFC 3261 §12.1.1,
 * §12.1.2: Record-Route of the INVITE or of the 2xx; §12.2.1.1: in-dialog
 * requests carry it as Route and go to its first hop) and our CANCEL
 * (§9.1: same Request-URI, Call-ID, From, To, CSeq number and Via branch
 * as the INVITE, its own non-INVITE client transaction). */
#include <string.h>

#include "replay_int.h"

void rs_route_learn(struct rsess *s, const struct sip_msg *m, bool uac)
{
	struct sv v;
	size_t i;
	memset(&s->routes, 0, sizeof s->routes);
	for (i = 0; sip_msg_header_nth(m, "Record-Route", i, &v); i++) {
		enum sa_status st = sip_route_add_rr(&s->routes, v.p, v.n);
		if (st != SA_OK) {
			rs_log(s, "Record-Route %s: only %zu entries kept",
			       st == SA_NOMEM ? "too long" : "malformed", s->routes.n);
			break;
		}
	}
	if (uac)
		sip_route_reverse(&s->routes);   /* §12.1.2 */
	s->res->route_set = (unsigned)s->routes.n;
	if (s->routes.n)
		rs_log(s, "route set of %zu entries, first hop %s", s->routes.n, s->routes.uri[0]);
}

bool rs_route_apply(struct rsess *s, char *ruri, size_t rcap, char *routes, size_t hcap)
{
	struct sip_buf b;
	char host[64];
	uint16_t port;
	struct sockaddr_storage ss;
	socklen_t len;
	sip_buf_init(&b, routes, hcap);
	if (!sip_route_request(&s->routes, s->remote_target, ruri, rcap, &b))
		return false;
	if (s->routes.n == 0)
		return true;
	/* §8.1.2: the request goes to the first Route's URI (numeric hosts
	 * only: no DNS, RFC 3263, here). */
	if (!sip_uri_hostport(s->routes.uri[0], host, sizeof host, &port) ||
	    !rs_addr_parse(host, port ? port : 5060, &ss, &len) ||
	    ss.ss_family != s->peer.ss_family) {
		rs_log(s, "first hop %s is not a numeric address: sent to the target", s->routes.uri[0]);
		return true;
	}
	if (len != s->peer_len || memcmp(&ss, &s->peer, len) != 0) {
		memcpy(&s->peer, &ss, len);
		s->peer_len = len;
		memcpy(&s->target_ip, &ss, len);   /* the proxy now talks to us */
		if (!s->tcp && s->opt->side == PARTY_CALLER)
			(void)connect(s->sip_fd, (struct sockaddr *)&s->peer, s->peer_len);
		s->cur_conn = -1;   /* TCP: a connection to the first hop */
	}
	return true;
}

void rs_cancel_send(struct rsess *s)
{
	char msg[SIP_TX_MAX_MSG], hp[96];
	struct sip_buf b;
	bool v6 = strchr(s->lhost, ':') != NULL;
	if (s->cancel_used || !s->inv_used)
		return;
	snprintf(hp, sizeof hp, "%s%s%s:%u", v6 ? "[" : "", s->lhost, v6 ? "]" : "", s->lport);
	sip_buf_init(&b, msg, sizeof msg);
	sip_buf_printf(&b, "CANCEL %s SIP/2.0\r\n", s->inv_ruri);
	/* §9.1: a single Via equal to the INVITE's top Via (same branch). */
	sip_buf_printf(&b, "Via: SIP/2.0/%s %s;branch=%s%s\r\n", s->tcp ? "TCP" : "UDP", hp,
		       s->inv.branch, s->tcp ? "" : ";rport");
	sip_buf_printf(&b, "Max-Forwards: 70\r\nFrom: %s\r\nTo: %s\r\nCall-ID: %s\r\n"
		       "CSeq: %u CANCEL\r\nUser-Agent: srtpaudit-replay\r\nContent-Length: 0\r\n\r\n",
		       s->local_party, s->remote_party, s->call_id, s->inv.cseq);
	if (b.overflow)
		return;
	s->cancel_used = sip_txn_client_start(&s->cancel, false, s->inv.branch, "CANCEL",
					      s->inv.cseq, msg, b.len, rs_now(), &s->tm);
	s->res->cancel_sent = true;
	rs_log(s, "CANCEL sent (no final response to the INVITE yet)");
	(void)rs_sip_send(s, msg, b.len);
}

void rs_cancel_response(struct rsess *s, int code)
{
	sip_txn_client_response(&s->cancel, code, rs_now(), &s->tm);
	if (code < 200)
		return;
	s->res->cancel_code = (uint16_t)code;
	rs_log(s, "CANCEL answered %d", code);
	if (s->res->cancelled)
		s->state = RS_DONE;   /* the 487 came first */
}
