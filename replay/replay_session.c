/* replay_session.c - the live replay's event loop: sockets bound only to
 * the --listen address, one ppoll() loop over the SIP and media sockets
 * with absolute CLOCK_MONOTONIC deadlines, and the DTLS-SRTP association
 * (RFC 5763/5764).  The device's certificate is checked against its
 * a=fingerprint (RFC 8122 §5) by feeding its datagrams to the analyzer's
 * DTLS parser before OpenSSL sees them.  SIP is in replay_ua.c, SDP in
 * replay_sdp.c, RTP in replay_media.c. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "dtls.h"
#include "replay_int.h"

#define DTLS_HANDSHAKE_LIMIT_NS 10000000000ull  /* give up on the handshake */
#define PROFILES "SRTP_AES128_CM_SHA1_80:SRTP_AES128_CM_SHA1_32:" \
		 "SRTP_AEAD_AES_128_GCM:SRTP_AEAD_AES_256_GCM"

uint64_t rs_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void rs_log(struct rsess *s, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	if (!s->opt->log)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	s->opt->log(s->opt->log_ctx, msg);
}

void rs_abort(struct rsess *s, enum replay_abort a, const char *fmt, ...)
{
	va_list ap;
	if (s->res->abort == REPLAY_ABORT_NONE) {
		s->res->abort = a;
		va_start(ap, fmt);
		vsnprintf(s->res->abort_msg, sizeof s->res->abort_msg, fmt, ap);
		va_end(ap);
		rs_log(s, "stopping: %s", s->res->abort_msg);
	}
	s->failed_hard = true;
}

void rs_verdict(struct rsess *s, enum replay_check c, enum verdict v,
		const char *fmt, ...)
{
	struct replay_verdict *r = &s->res->verdicts[c];
	va_list ap;
	/* A failure is final; a pass may be refined. */
	if (r->v == VERDICT_FAIL)
		return;
	r->v = v;
	va_start(ap, fmt);
	vsnprintf(r->detail, sizeof r->detail, fmt, ap);
	va_end(ap);
}

/* ---- sockets ---- */

bool rs_addr_parse(const char *host, uint16_t port, struct sockaddr_storage *ss,
		       socklen_t *len)
{
	struct addrinfo hints, *ai = NULL;
	char ps[8];
	memset(&hints, 0, sizeof hints);
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	hints.ai_socktype = SOCK_DGRAM;
	snprintf(ps, sizeof ps, "%u", port);
	if (getaddrinfo(host, ps, &hints, &ai) != 0 || !ai)
		return false;
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*len = ai->ai_addrlen;
	freeaddrinfo(ai);
	return true;
}

static uint16_t addr_port(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
	return ntohs(((const struct sockaddr_in *)ss)->sin_port);
}

bool rs_same_host(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET6)
		return memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
			      &((const struct sockaddr_in6 *)b)->sin6_addr, 16) == 0;
	return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
	       ((const struct sockaddr_in *)b)->sin_addr.s_addr;
}

static int udp_bind(struct rsess *s, uint16_t port, uint16_t *bound)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd;
	if (!rs_addr_parse(s->lhost, port, &ss, &len))
		return -1;
	fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&ss, len) != 0) {
		close(fd);
		return -1;
	}
	len = sizeof ss;
	if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0) {
		close(fd);
		return -1;
	}
	*bound = addr_port(&ss);
	return fd;
}

bool rs_sip_send(struct rsess *s, const char *msg, size_t len)
{
	ssize_t n;
	if (s->opt->verbose)
		rs_log(s, "SIP out: %.*s", (int)(strchr(msg, '\r') ? strchr(msg, '\r') - msg : 40), msg);
	if (s->tcp)
		return rs_tcp_send(s, msg, len);
	n = sendto(s->sip_fd, msg, len, 0, (struct sockaddr *)&s->peer, s->peer_len);
	if (n < 0 && (errno == ECONNREFUSED || errno == EHOSTUNREACH || errno == ENETUNREACH) &&
	    s->res->final_code < 300) {
		/* After a failure response the ACK may meet a device that has
		 * already gone (SIPp ends its scenario on the 4xx): the outcome
		 * is known, so an ICMP error on it is not an abort. */
		rs_abort(s, REPLAY_ABORT_UNREACHABLE, "target %s port %u unreachable: %s",
			 s->thost, s->tport, strerror(errno));
		return false;
	}
	return n == (ssize_t)len;
}

void rs_media_send(struct rsess *s, int comp, const uint8_t *d, size_t n)
{
	if (comp == RS_RTCP) {
		if (s->rrtcp_known && s->rtcp_fd >= 0)
			(void)sendto(s->rtcp_fd, d, n, 0, (struct sockaddr *)&s->rrtcp, s->rrtcp_len);
		return;
	}
	if (s->rmedia_known)
		(void)sendto(s->media_fd, d, n, 0, (struct sockaddr *)&s->rmedia, s->rmedia_len);
}

static void keylog_line(void *arg, const char *line)
{
	struct rsess *s = arg;
	if (s->keylog) {
		fprintf(s->keylog, "%s\n", line);
		fflush(s->keylog);
	}
}

/* A DTLS endpoint for component comp in the given role, with the
 * certificate of dt[RS_RTP] (the one in our SDP).  RFC 5764 §3: without
 * rtcp-mux, RTCP has its own association on its own port pair. */
static bool dtls_new(struct rsess *s, int comp, bool client)
{
	struct dtls_peer_config c;
	struct dtls_peer *old = s->dt[comp].peer, *p;
	memset(&c, 0, sizeof c);
	c.role = client ? DTLS_PEER_CLIENT : DTLS_PEER_SERVER;
	c.version = DTLS_PEER_V12;
	c.cert_kind = DTLS_PEER_CERT_ECDSA_P256;
	c.srtp_profiles = PROFILES;
	c.mtu = 1200;
	c.keylog = keylog_line;
	c.keylog_arg = s;
	c.allow_no_peer_cert = false;
	c.cert_from = s->dt[RS_RTP].peer;   /* same certificate as in our SDP */
	p = dtls_peer_new(&c);
	if (!p)
		return false;
	dtls_peer_free(old);
	s->dt[comp].peer = p;
	return true;
}

bool rs_dtls_role(struct rsess *s, bool client)
{
	if (!dtls_new(s, RS_RTP, client))
		return false;
	s->dtls_client = client;
	return true;
}

/* ---- DTLS ---- */

static void dtls_flush(struct rsess *s, int comp)
{
	struct rs_dtls *dc = &s->dt[comp];
	uint8_t buf[DTLS_PEER_MAX_DGRAM];
	size_t n;
	while (dc->peer && dtls_peer_output(dc->peer, buf, sizeof buf, &n)) {
		if (n == 0)
			continue;
		if (dc->watch)
			(void)dtls_assoc_input(dc->watch, 0, buf, n, 0, 0, NULL);
		rs_media_send(s, comp, buf, n);
	}
}

static const EVP_MD *fp_md(const char *hash)
{
	/* RFC 8122 §5 hash names; "sha-256" -> OpenSSL "sha256". */
	char name[16];
	size_t i, j = 0;
	for (i = 0; hash[i] && j + 1 < sizeof name; i++)
		if (hash[i] != '-')
			name[j++] = (char)(hash[i] >= 'A' && hash[i] <= 'Z' ? hash[i] + 32 : hash[i]);
	name[j] = '\0';
	return EVP_get_digestbyname(name);
}

/* The device's certificate against its a=fingerprint, as soon as its
 * Certificate message has been parsed (before OpenSSL uses it). */
static void fp_check(struct rsess *s, int comp)
{
	struct rs_dtls *dc = &s->dt[comp];
	const struct dtls_summary *sum;
	const struct dtls_handshake *hs;
	const struct dtls_cert *c;
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	const EVP_MD *alg;
	if (dc->fp_checked || !dc->watch)
		return;
	sum = dtls_assoc_summary(dc->watch);
	hs = sum ? sum->current : NULL;
	if (!hs || !hs->cert[1].seen)
		return;
	dc->fp_checked = true;
	if (hs->cert[1].n == 0) {
		rs_verdict(s, RC_FINGERPRINT, VERDICT_FAIL, "the device sent an empty Certificate");
		return;
	}
	c = &hs->cert[1].certs[0];
	alg = s->have_rfp ? fp_md(s->rfp.hash) : NULL;
	if (!alg || EVP_Digest(c->der, c->len, md, &mdlen, alg, NULL) != 1) {
		rs_verdict(s, RC_FINGERPRINT, VERDICT_FAIL, "no usable a=fingerprint in the device's SDP (%s)",
			   s->have_rfp ? s->rfp.hash : "none");
		return;
	}
	if (mdlen != s->rfp.len || memcmp(md, s->rfp.bytes, mdlen) != 0) {
		rs_verdict(s, RC_FINGERPRINT, VERDICT_FAIL,
			   "the device's certificate does not match its a=fingerprint:%s (RFC 8122 §5)",
			   s->rfp.hash);
		return;
	}
	dc->fp_ok = true;
	rs_verdict(s, RC_FINGERPRINT, VERDICT_PASS, "%s of the device's certificate matches its SDP%s",
		   s->rfp.hash, comp == RS_RTCP ? " (RTP and RTCP associations)" : "");
}

static void dtls_keys(struct rsess *s, int comp)
{
	struct rs_dtls *dc = &s->dt[comp];
	uint8_t km[2 * SRTP_PEER_MAX_KEYSALT], tx[SRTP_PEER_MAX_KEYSALT], rx[SRTP_PEER_MAX_KEYSALT];
	const struct srtp_peer_suite_info *si;
	const char *name = NULL;
	uint16_t prof = dtls_peer_profile(dc->peer, &name);
	size_t k, sl;
	si = srtp_peer_suite_by_profile_id(prof);
	if (!si) {
		rs_verdict(s, RC_PROFILE, VERDICT_FAIL, "no SRTP protection profile negotiated (use_srtp, RFC 5764 §4.1.1)");
		dc->failed = true;
		return;
	}
	k = si->key_len;
	sl = si->salt_len;
	if (dtls_peer_export(dc->peer, km, 2 * (k + sl)) != SA_OK) {
		dc->failed = true;
		return;
	}
	s->res->dtls_associations++;
	/* RFC 5764 §4.2: client key | server key | client salt | server salt. */
	memcpy(tx, km + (s->dtls_client ? 0 : k), k);
	memcpy(tx + k, km + 2 * k + (s->dtls_client ? 0 : sl), sl);
	memcpy(rx, km + (s->dtls_client ? k : 0), k);
	memcpy(rx + k, km + 2 * k + (s->dtls_client ? sl : 0), sl);
	if (comp == RS_RTCP) {
		/* SRTCP of the RTCP association (RFC 5764 §4.2: each association
		 * keys its own component). */
		s->tx_rtcp = srtp_peer_new(si->suite, true, tx, k + sl, NULL, 0);
		s->rx_rtcp = srtp_peer_new(si->suite, false, rx, k + sl, NULL, 0);
		if (!s->tx_rtcp || !s->rx_rtcp)
			dc->failed = true;
		rs_log(s, "RTCP DTLS association done (%s)", si->sdes_name);
	} else {
		s->suite = si->suite;
		rs_verdict(s, RC_HANDSHAKE, VERDICT_PASS, "DTLS 1.2 handshake completed as %s",
			   s->dtls_client ? "client" : "server");
		(void)rs_media_keys(s, tx, k + sl, rx, k + sl);
	}
	memset(km, 0, sizeof km);
	memset(tx, 0, sizeof tx);
	memset(rx, 0, sizeof rx);
	if (s->opt->dtls_close == REPLAY_CLOSE_AFTER_EXPORT)
		rs_dtls_close(s);
}

static void dtls_pump(struct rsess *s, int comp)
{
	struct rs_dtls *dc = &s->dt[comp];
	if (!dc->peer || dc->done || dc->failed)
		return;
	if (dtls_peer_step(dc->peer) != SA_OK || dtls_peer_failed(dc->peer)) {
		dtls_flush(s, comp);
		dc->failed = true;
		rs_verdict(s, RC_HANDSHAKE, VERDICT_FAIL, "the %sDTLS handshake failed (alert %d sent)",
			   comp == RS_RTCP ? "RTCP " : "", dtls_peer_alert_sent(dc->peer));
		rs_ua_send_bye(s);
		return;
	}
	dtls_flush(s, comp);
	if (dtls_peer_done(dc->peer)) {
		dc->done = true;
		dtls_keys(s, comp);
	}
}

void rs_dtls_close(struct rsess *s)
{
	int c;
	for (c = 0; c < 2; c++) {
		struct rs_dtls *dc = &s->dt[c];
		if (dc->peer && dc->done && !dc->closed) {
			if (dtls_peer_close(dc->peer) == SA_OK)
				dtls_flush(s, c);
			dc->closed = true;
		}
	}
}

static void media_datagram(struct rsess *s, int comp, uint8_t *d, size_t n);

void rs_media_go(struct rsess *s)
{
	size_t i;
	snprintf(s->res->negotiated, sizeof s->res->negotiated, "%s",
		 s->use_dtls ? "dtls" : s->use_sdes ? "sdes" : "none");
	if (s->use_dtls) {
		s->dtls_deadline = rs_now() + DTLS_HANDSHAKE_LIMIT_NS;
		snprintf(s->res->dtls_role, sizeof s->res->dtls_role, "%s",
			 s->dtls_client ? "client" : "server");
		if (!s->rtcp_mux && !s->dt[RS_RTCP].peer && !dtls_new(s, RS_RTCP, s->dtls_client))
			s->dt[RS_RTCP].failed = true;
		for (i = 0; i < 2; i++) {
			if (!s->dt[i].peer)
				continue;
			if (!s->dt[i].watch)
				s->dt[i].watch = dtls_assoc_new(NULL);
			if (s->dtls_client)
				dtls_pump(s, (int)i);
		}
	}
	/* Datagrams that came before we knew where the media was. */
	for (i = 0; i < s->n_early; i++)
		media_datagram(s, s->early[i].comp, s->early[i].d, s->early[i].n);
	s->n_early = 0;
}

/* One datagram on the RTP or RTCP socket: RFC 7983 §7 demultiplexing. */
static void media_datagram(struct rsess *s, int comp, uint8_t *d, size_t n)
{
	struct rs_dtls *dc = &s->dt[comp];
	if (n == 0)
		return;
	if (d[0] >= 20 && d[0] <= 63) {
		if (!s->use_dtls || !dc->peer || dc->done || dc->failed)
			return;
		if (dc->watch && dtls_assoc_input(dc->watch, 1, d, n, 0, 0, NULL) == SA_NOMEM)
			return;
		fp_check(s, comp);
		if (dc->fp_checked && !dc->fp_ok) {
			dc->failed = true;
			rs_verdict(s, RC_HANDSHAKE, VERDICT_FAIL,
				   "aborted: the device's certificate does not match its fingerprint");
			rs_log(s, "fingerprint mismatch: aborting the DTLS handshake and the call");
			rs_ua_send_bye(s);
			return;
		}
		if (dtls_peer_input(dc->peer, d, n) == SA_OK)
			dtls_pump(s, comp);
		return;
	}
	if (comp == RS_RTCP)
		rs_rtcp_input(s, d, n);
	else
		rs_media_input(s, d, n);
}

static void on_media_readable(struct rsess *s, int comp)
{
	int fd = comp == RS_RTCP ? s->rtcp_fd : s->media_fd;
	struct sockaddr_storage from;
	socklen_t flen;
	uint8_t buf[DTLS_PEER_MAX_DGRAM];
	ssize_t n;
	int i;
	for (i = 0; i < 64; i++) {
		flen = sizeof from;
		n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen);
		if (n < 0)
			return;
		if (!rs_same_host(&from, &s->target_ip))
			continue;   /* only the device may talk to us */
		if (!s->negotiated) {
			if (s->n_early < RS_EARLY_MAX) {
				memcpy(s->early[s->n_early].d, buf, (size_t)n);
				s->early[s->n_early].comp = comp;
				s->early[s->n_early++].n = (size_t)n;
			}
			continue;
		}
		media_datagram(s, comp, buf, (size_t)n);
	}
}

static void on_sip_readable(struct rsess *s)
{
	struct sockaddr_storage from;
	socklen_t flen;
	uint8_t buf[65536];
	ssize_t n;
	int i;
	for (i = 0; i < 16; i++) {
		flen = sizeof from;
		n = recvfrom(s->sip_fd, buf, sizeof buf - 1, 0, (struct sockaddr *)&from, &flen);
		if (n < 0) {
			if (errno == ECONNREFUSED && s->res->final_code < 300)
				rs_abort(s, REPLAY_ABORT_UNREACHABLE,
					 "target %s port %u unreachable (ICMP port unreachable)",
					 s->thost, s->tport);
			return;
		}
		if (!rs_same_host(&from, &s->target_ip))
			continue;
		if (s->opt->fault == REPLAY_FAULT_SILENT)
			continue;
		buf[n] = '\0';
		rs_ua_input(s, buf, (size_t)n, &from, flen);
	}
}

static uint64_t min_nz(uint64_t a, uint64_t b)
{
	return !a ? b : !b ? a : a < b ? a : b;
}

static void loop(struct rsess *s)
{
	struct pollfd pfd[3 + RS_CONN_MAX];
	int c;
	int idx[RS_CONN_MAX];
	size_t nc;
	while (!s->failed_hard && s->state != RS_DONE) {
		uint64_t now = rs_now(), next = s->hard_end;
		struct timespec ts;
		long dt;
		if (now >= s->hard_end) {
			rs_abort(s, REPLAY_ABORT_TIMEOUT, "--max-duration %.1f s reached%s",
				 s->opt->max_duration,
				 s->state == RS_IDLE ? " without an INVITE from the target" :
				 s->state == RS_INVITING ? " without a final response" : "");
			break;
		}
		rs_ua_timers(s, now);
		if (s->failed_hard || s->state == RS_DONE)
			break;
		for (c = 0; c < 2; c++) {
			struct rs_dtls *dc = &s->dt[c];
			bool fired = false;
			if (!dc->peer || dc->done || dc->failed || !s->dtls_deadline)
				continue;
			if (now >= s->dtls_deadline) {
				dc->failed = true;
				rs_verdict(s, RC_HANDSHAKE, VERDICT_FAIL,
					   "the %sDTLS handshake did not complete within %u s",
					   c == RS_RTCP ? "RTCP " : "",
					   (unsigned)(DTLS_HANDSHAKE_LIMIT_NS / 1000000000ull));
				rs_ua_send_bye(s);
				continue;
			}
			if (dtls_peer_timeout(dc->peer, &fired) == SA_OK && fired)
				dtls_flush(s, c);
			dt = dtls_peer_timer_us(dc->peer);
			if (dt >= 0)
				next = min_nz(next, now + (uint64_t)dt * 1000u + 1000u);
		}
		rs_media_timers(s, now);
		next = min_nz(next, rs_ua_next(s));
		next = min_nz(next, rs_media_next(s));
		now = rs_now();
		dt = next > now ? (long)(next - now) : 0;
		ts.tv_sec = dt / 1000000000L;
		ts.tv_nsec = dt % 1000000000L;
		pfd[0].fd = s->sip_fd;
		pfd[0].events = POLLIN;
		pfd[1].fd = s->media_fd;
		pfd[1].events = POLLIN;
		pfd[2].fd = s->rtcp_fd;   /* -1 is ignored by poll */
		pfd[2].events = POLLIN;
		pfd[0].revents = pfd[1].revents = pfd[2].revents = 0;
		nc = s->tcp ? rs_tcp_pollfds(s, pfd + 3, idx, RS_CONN_MAX) : 0;
		if (ppoll(pfd, 3 + nc, &ts, NULL) < 0 && errno != EINTR) {
			rs_abort(s, REPLAY_ABORT_IO, "poll: %s", strerror(errno));
			break;
		}
		if (pfd[0].revents && s->tcp)
			rs_tcp_accept(s);
		else if (pfd[0].revents)
			on_sip_readable(s);
		if (nc)
			rs_tcp_events(s, pfd + 3, idx, nc);
		if (pfd[1].revents)
			on_media_readable(s, RS_RTP);
		if (pfd[2].revents)
			on_media_readable(s, RS_RTCP);
	}
}

static enum sa_status setup(struct rsess *s)
{
	struct sockaddr_storage ss;
	socklen_t len;
	const struct replay_options *o = s->opt;
	int k;
	snprintf(s->lhost, sizeof s->lhost, "%s", o->listen_host);
	snprintf(s->thost, sizeof s->thost, "%s", o->target_host);
	s->tport = o->target_port ? o->target_port : 5060;
	if (!rs_addr_parse(s->thost, s->tport, &s->peer, &s->peer_len) ||
	    !rs_addr_parse(s->lhost, 0, &ss, &len)) {
		rs_abort(s, REPLAY_ABORT_IO, "target %s or listen %s is not a numeric address",
			 s->thost, s->lhost);
		return SA_IO;
	}
	if (ss.ss_family != s->peer.ss_family) {
		rs_abort(s, REPLAY_ABORT_IO, "--listen %s and --target %s are different address families",
			 s->lhost, s->thost);
		return SA_IO;
	}
	s->ipv6 = ss.ss_family == AF_INET6;
	s->target_ip = s->peer;
	if (s->tcp) {
		struct sockaddr_storage ls;
		socklen_t ll;
		if (rs_addr_parse(s->lhost, o->listen_port, &ls, &ll))
			s->sip_fd = rs_tcp_listen(s, &ls, ll);
		ll = sizeof ls;
		if (s->sip_fd >= 0 && getsockname(s->sip_fd, (struct sockaddr *)&ls, &ll) == 0)
			s->lport = addr_port(&ls);
	} else {
		s->sip_fd = udp_bind(s, o->listen_port, &s->lport);
	}
	if (s->sip_fd < 0) {
		rs_abort(s, REPLAY_ABORT_IO, "cannot bind SIP to %s port %u: %s", s->lhost,
			 o->listen_port, strerror(errno));
		return SA_IO;
	}
	/* RTP on an even port and RTCP on the next one (RFC 3550 §11) when
	 * we can get such a pair; else RTCP anywhere, announced with a=rtcp
	 * (RFC 3605).  The RTCP socket serves when rtcp-mux is not agreed. */
	for (k = 0; k < 16; k++) {
		s->media_fd = udp_bind(s, 0, &s->lmport);
		if (s->media_fd < 0)
			break;
		if (s->lmport % 2 == 0 && s->lmport < 65535 &&
		    (s->rtcp_fd = udp_bind(s, (uint16_t)(s->lmport + 1), &s->lrport)) >= 0)
			break;
		close(s->media_fd);
		s->media_fd = -1;
	}
	if (s->media_fd < 0)
		s->media_fd = udp_bind(s, 0, &s->lmport);
	if (s->media_fd >= 0 && s->rtcp_fd < 0)
		s->rtcp_fd = udp_bind(s, 0, &s->lrport);
	if (s->media_fd < 0 || s->rtcp_fd < 0) {
		rs_abort(s, REPLAY_ABORT_IO, "cannot bind media to %s: %s", s->lhost, strerror(errno));
		return SA_IO;
	}
	/* UAC: a connected socket turns ICMP port unreachable into
	 * ECONNREFUSED (the UAS answers whoever of the target host calls). */
	if (o->side == PARTY_CALLER && !s->tcp &&
	    connect(s->sip_fd, (struct sockaddr *)&s->peer, s->peer_len) != 0) {
		rs_abort(s, REPLAY_ABORT_UNREACHABLE, "cannot reach %s: %s", s->thost, strerror(errno));
		return SA_IO;
	}
	snprintf(s->res->local_sip, sizeof s->res->local_sip, "%s%s%s:%u",
		 s->ipv6 ? "[" : "", s->lhost, s->ipv6 ? "]" : "", s->lport);
	snprintf(s->res->local_media, sizeof s->res->local_media, "%s%s%s:%u",
		 s->ipv6 ? "[" : "", s->lhost, s->ipv6 ? "]" : "", s->lmport);
	snprintf(s->res->local_rtcp, sizeof s->res->local_rtcp, "%s%s%s:%u",
		 s->ipv6 ? "[" : "", s->lhost, s->ipv6 ? "]" : "", s->lrport);
	if (o->port_file) {
		FILE *f = fopen(o->port_file, "w");
		if (f) {
			fprintf(f, "%u\n", s->lport);
			fclose(f);
		}
	}
	if (o->keylog_out) {
		int fd = open(o->keylog_out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd < 0 || fchmod(fd, 0600) != 0 || !(s->keylog = fdopen(fd, "w"))) {
			if (fd >= 0)
				close(fd);
			rs_abort(s, REPLAY_ABORT_IO, "cannot write --keylog-out %s: %s",
				 o->keylog_out, strerror(errno));
			return SA_IO;
		}
	}
	if (srtp_peer_global_init() != SA_OK) {
		rs_abort(s, REPLAY_ABORT_IO, "libsrtp cannot be initialised");
		return SA_IO;
	}
	if (!rs_make_crypto(s) || !rs_dtls_role(s, false) ||
	    !sip_tx_token(s->tls_id, sizeof s->tls_id)) {
		rs_abort(s, REPLAY_ABORT_IO, "cannot create the certificate or keys (OpenSSL)");
		return SA_IO;
	}
	return SA_OK;
}

static void settle_verdicts(struct rsess *s)
{
	struct replay_result *r = s->res;
	bool up = s->call_up;
	if (s->opt->cancel_after > 0 && s->opt->side == PARTY_CALLER) {
		/* RFC 3261 §9.1: CANCEL/200 and INVITE/487/ACK is the expected flow. */
		if (r->cancelled && r->cancel_code == 200)
			rs_verdict(s, RC_SIP_FLOW, VERDICT_PASS,
				   "cancelled as expected: CANCEL answered 200, INVITE 487 (ACKed)");
		else if (!r->cancel_sent)
			rs_verdict(s, RC_SIP_FLOW, VERDICT_FAIL,
				   "not cancelled: %s before --cancel-after %.3f s",
				   r->final_code ? "the INVITE got its final response" :
				   "no provisional response came", s->opt->cancel_after);
		else
			rs_verdict(s, RC_SIP_FLOW, VERDICT_FAIL,
				   "not cancelled as expected: CANCEL answered %u, INVITE final %u",
				   r->cancel_code, r->final_code);
	}
	if (s->opt->expect_cancel && !r->cancelled)
		rs_verdict(s, RC_SIP_FLOW, VERDICT_FAIL, "a CANCEL was expected (--expect-cancel) and none came");
	if (r->verdicts[RC_SIP_FLOW].v == VERDICT_SKIPPED) {
		if (up && s->acked && (r->bye_sent || r->bye_received) && s->state == RS_DONE)
			rs_verdict(s, RC_SIP_FLOW, VERDICT_PASS, "INVITE/2xx/ACK and BYE/200 completed%s",
				   r->sip_retransmissions ? " (with retransmissions)" : "");
		else
			rs_verdict(s, RC_SIP_FLOW, VERDICT_FAIL, "%s",
				   !up ? "no call was established" :
				   !s->acked ? "the 2xx was never acknowledged" :
				   "the call did not end with a completed BYE");
	}
	r->rtcp_mux = s->rtcp_mux;
	if (s->use_dtls) {
		if (r->verdicts[RC_HANDSHAKE].v == VERDICT_SKIPPED)
			rs_verdict(s, RC_HANDSHAKE, VERDICT_FAIL, "the DTLS handshake did not complete");
		else if (!s->rtcp_mux && s->dt[RS_RTP].done && !s->dt[RS_RTCP].done)
			rs_verdict(s, RC_HANDSHAKE, VERDICT_FAIL,
				   "no rtcp-mux: the RTCP port's DTLS association did not complete (RFC 5764 §3)");
		else if (!s->rtcp_mux && s->dt[RS_RTCP].done)
			rs_verdict(s, RC_HANDSHAKE, VERDICT_PASS,
				   "DTLS 1.2 handshakes completed as %s on the RTP and the RTCP port",
				   s->dtls_client ? "client" : "server");
		if (r->verdicts[RC_FINGERPRINT].v == VERDICT_SKIPPED)
			rs_verdict(s, RC_FINGERPRINT, VERDICT_FAIL, "the device's certificate was never seen");
	} else if (up) {
		snprintf(r->verdicts[RC_HANDSHAKE].detail, sizeof r->verdicts[0].detail,
			 "no DTLS negotiated (%s)", s->use_sdes ? "SDES" : "plain RTP");
		snprintf(r->verdicts[RC_FINGERPRINT].detail, sizeof r->verdicts[0].detail,
			 "no DTLS negotiated");
	}
	if (r->verdicts[RC_PROFILE].v == VERDICT_SKIPPED && up) {
		if (s->keys && (s->use_dtls || s->use_sdes))
			rs_verdict(s, RC_PROFILE, VERDICT_PASS, "%s (%s)", r->profile, r->negotiated);
		else if (s->keys && s->plain)
			rs_verdict(s, RC_PROFILE, VERDICT_PASS, "plain RTP (method %s)",
				   replay_method_name(s->method));
		else
			rs_verdict(s, RC_PROFILE, VERDICT_FAIL, "no SRTP keys were agreed");
	}
	rs_media_finish(s);
}

enum sa_status replay_run(const struct replay_plan *plan,
			  const struct replay_options *opt,
			  struct replay_result *res)
{
	struct rsess *s;
	enum sa_status st;
	uint64_t start;
	int k;
	memset(res, 0, sizeof *res);
	s = calloc(1, sizeof *s);
	if (!s)
		return SA_NOMEM;
	s->plan = plan;
	s->opt = opt;
	s->res = res;
	s->sip_fd = s->media_fd = s->rtcp_fd = -1;
	s->method = opt->method;
	res->method = opt->method;
	res->captured_packets = plan->n;
	sip_timers_default(&s->tm, opt->t1_ms);
	s->tcp = opt->tcp;
	s->tm.reliable = opt->tcp;   /* RFC 3261 §17: TCP is a reliable transport */
	snprintf(res->transport, sizeof res->transport, "%s", opt->tcp ? "tcp" : "udp");
	res->auth_verified = -1;
	rs_tcp_init(s);
	signal(SIGPIPE, SIG_IGN);
	start = rs_now();
	s->t0 = start;
	s->hard_end = start + (uint64_t)(opt->max_duration * 1e9);
	st = setup(s);
	if (st == SA_OK && rs_ua_start(s))
		loop(s);
	if (st == SA_OK) {
		if (s->state != RS_DONE)
			rs_dtls_close(s);
		settle_verdicts(s);
	}
	res->duration_s = (double)(rs_now() - start) / 1e9;
	for (k = 0; k < 2; k++) {
		dtls_peer_free(s->dt[k].peer);
		dtls_assoc_free(s->dt[k].watch);
	}
	srtp_peer_free(s->tx);
	srtp_peer_free(s->rx);
	srtp_peer_free(s->tx_rtcp);
	srtp_peer_free(s->rx_rtcp);
	free(s->err_ms);
	if (s->keylog)
		fclose(s->keylog);
	rs_tcp_cleanup(s);
	if (s->sip_fd >= 0)
		close(s->sip_fd);
	if (s->media_fd >= 0)
		close(s->media_fd);
	if (s->rtcp_fd >= 0)
		close(s->rtcp_fd);
	free(s);
	return st;
}
