/* replay_sdp.c - the replay's offer/answer (RFC 3264): our SDP written
 * with sdp_build.h for SRTP methods 0..3 and none, the device's SDP read
 * with the analyzer's sdp_desc.h, and the decisions: which method, which
 * DTLS role (RFC 8842 §5.1, RFC 4145 §4), which SDES tag (RFC 4568
 * §7.1.2), where the media goes. */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <openssl/rand.h>

#include "replay_int.h"

bool rs_build_sdp(struct rsess *s, bool offer, enum sdpb_setup setup,
		  char *buf, size_t cap, size_t *len)
{
	struct sdpb_desc d;
	char fp[DTLS_PEER_MAX_FP * 3 + 1];
	int m = s->method;
	memset(&d, 0, sizeof d);
	d.user = "srtpaudit";
	/* RFC 3264 §8: the same o= session id, the version one higher in
	 * each new SDP of the session. */
	if (!s->sess_id)
		s->sess_id = (uint64_t)time(NULL);
	d.sess_id = s->sess_id;
	d.sess_ver = ++s->sess_ver;
	d.addr = s->lhost;
	d.ipv6 = s->ipv6;
	d.port = s->lmport;
	d.codec_pt = s->plan->n && s->plan->pkts[0].pt == 8 ? 8 : 0;
	if (offer) {
		d.proto = m == REPLAY_METHOD_NONE ? "RTP/AVP" : sdp_build_proto(m);
	} else {
		d.proto = s->use_dtls ? "UDP/TLS/RTP/SAVP" : s->use_sdes ?
			  (m == 0 ? "RTP/AVP" : "RTP/SAVP") : "RTP/AVP";
	}
	if ((offer && (m == 0 || m == 1 || m == 3)) || (!offer && s->use_sdes)) {
		unsigned i;
		for (i = 0; i < s->n_crypto; i++)
			d.crypto[i] = s->crypto[i];
		d.n_crypto = s->n_crypto;
	}
	if ((offer && (m == 2 || m == 3)) || (!offer && s->use_dtls)) {
		if (s->opt->fault == REPLAY_FAULT_WRONG_FINGERPRINT) {
			uint8_t junk[32];
			size_t i;
			(void)RAND_bytes(junk, sizeof junk);
			for (i = 0; i < sizeof junk; i++)
				snprintf(fp + 3 * i, 4, "%02X%s", junk[i], i + 1 < sizeof junk ? ":" : "");
		} else if (dtls_peer_fingerprint_text(s->dt[RS_RTP].peer, "sha-256", fp, sizeof fp) != SA_OK) {
			return false;
		}
		d.fp_hash = "sha-256";
		d.fp_text = fp;
		d.setup = setup;
		d.tls_id = s->tls_id;
	}
	/* rtcp-mux offered (unless --rtcp-mux off) and answered when offered
	 * (RFC 5761 §5.1.1); an offer says where RTCP goes if it is refused,
	 * an answer without rtcp-mux too (RFC 3605 a=rtcp). */
	d.rtcp_mux = offer ? !s->opt->no_rtcp_mux : s->rtcp_mux;
	if (!d.rtcp_mux || offer)
		d.rtcp_port = s->lrport;
	return sdp_build_text(&d, buf, cap, len) == SA_OK;
}

bool rs_make_crypto(struct rsess *s)
{
	static const enum srtp_peer_suite suites[2] = {
		SP_SUITE_AES_CM_128_HMAC_SHA1_80, SP_SUITE_AES_CM_128_HMAC_SHA1_32 };
	unsigned i;
	for (i = 0; i < 2; i++) {
		const struct srtp_peer_suite_info *si = srtp_peer_suite_get(suites[i]);
		memset(&s->crypto[i], 0, sizeof s->crypto[i]);
		s->crypto[i].tag = i + 1;
		s->crypto[i].suite = suites[i];
		s->crypto[i].keysalt_len = si->key_len + si->salt_len;
		if (RAND_bytes(s->crypto[i].keysalt, (int)s->crypto[i].keysalt_len) != 1)
			return false;
	}
	s->n_crypto = 2;
	return true;
}

static bool media_endpoint(struct rsess *s, const struct media_desc *m,
			   const struct sdp_desc *d)
{
	char host[64];
	const struct ipaddr *ip = m->addr_ok ? &m->addr : d->sess_addr_ok ? &d->sess_addr : NULL;
	if (!ip || !ipaddr_format(ip, host, sizeof host))
		return false;
	if (!rs_addr_parse(host, m->port, &s->rmedia, &s->rmedia_len))
		return false;
	s->rmedia_known = true;
	snprintf(s->res->remote_media, sizeof s->res->remote_media, "%s%s%s:%u",
		 s->ipv6 ? "[" : "", host, s->ipv6 ? "]" : "", m->port);
	/* RTCP without rtcp-mux: a=rtcp (RFC 3605 §2.1) or the next port
	 * (RFC 3550 §11). */
	{
		uint16_t rp = m->has_rtcp_attr && m->rtcp_port ? m->rtcp_port :
			      (uint16_t)(m->port < 65535 ? m->port + 1 : m->port);
		if (m->has_rtcp_attr && m->rtcp_addr_ok &&
		    !ipaddr_format(&m->rtcp_addr, host, sizeof host))
			return false;
		if (rs_addr_parse(host, rp, &s->rrtcp, &s->rrtcp_len))
			s->rrtcp_known = true;
		snprintf(s->res->remote_rtcp, sizeof s->res->remote_rtcp, "%s%s%s:%u",
			 s->ipv6 ? "[" : "", host, s->ipv6 ? "]" : "", rp);
	}
	return true;
}

static bool parse_sdp(const char *text, size_t len, struct sdp_desc *out)
{
	struct sdp *scratch = calloc(1, sizeof *scratch);
	enum sa_status st;
	memset(out, 0, sizeof *out);
	if (!scratch)
		return false;
	st = sdp_desc_from_text(text, len, scratch, out);
	free(scratch);
	return st == SA_OK && out->parsed;
}

static void keep_fp(struct rsess *s, const struct media_desc *m)
{
	if (m->n_fp > 0 && m->fp[0].ok) {
		s->rfp = m->fp[0];
		s->have_rfp = true;
	}
}

bool rs_take_offer(struct rsess *s, const char *sdp, size_t len, char *why, size_t wcap)
{
	struct sdp_desc d;
	const struct media_desc *m;
	bool ok = false;
	int want = s->method;
	if (!parse_sdp(sdp, len, &d) || d.n_media == 0) {
		snprintf(why, wcap, "the offer has no usable SDP");
		goto out;
	}
	m = &d.media[0];
	if (m->port == 0 || !media_endpoint(s, m, &d)) {
		snprintf(why, wcap, "the offer's first m-line has no address or port");
		goto out;
	}
	/* RFC 5761 §5.1.1: rtcp-mux only when offered (and not --rtcp-mux off). */
	s->rtcp_mux = m->rtcp_mux && !s->opt->no_rtcp_mux;
	if (want == 2 || want == 3) {
		if (!media_desc_is_dtls(m) || m->n_fp == 0) {
			snprintf(why, wcap, "DTLS-SRTP wanted (--srtp-method %d) but not offered", want);
			goto out;
		}
		s->use_dtls = true;
		keep_fp(s, m);
	} else if (want == 0 || want == 1) {
		size_t i;
		for (i = 0; i < m->n_crypto && !s->use_sdes; i++) {
			const struct desc_crypto *c = &m->crypto[i];
			const struct srtp_peer_suite_info *si;
			if (!c->valid || !c->key_ok || c->has_mki)
				continue;
			si = srtp_peer_suite_by_sdes_name(c->suite);
			if (!si || c->key_len != si->key_len + si->salt_len)
				continue;
			/* RFC 4568 §7.1.2: answer one offered tag and suite with our own key. */
			memset(&s->crypto[0], 0, sizeof s->crypto[0]);
			s->crypto[0].tag = c->tag;
			s->crypto[0].suite = si->suite;
			s->crypto[0].keysalt_len = c->key_len;
			if (RAND_bytes(s->crypto[0].keysalt, (int)c->key_len) != 1)
				goto out;
			s->n_crypto = 1;
			s->use_sdes = true;
			s->suite = si->suite;
			if (!rs_media_keys(s, s->crypto[0].keysalt, c->key_len, c->key, c->key_len))
				goto out;
		}
		if (!s->use_sdes) {
			snprintf(why, wcap, "SDES wanted (--srtp-method %d) but no usable a=crypto offered", want);
			goto out;
		}
	} else {
		if (media_desc_is_dtls(m) || strstr(m->proto, "SAVP")) {
			snprintf(why, wcap, "plain RTP wanted but the offer requires SRTP (%s)", m->proto);
			goto out;
		}
		s->plain = true;
		if (!rs_media_keys(s, NULL, 0, NULL, 0))
			goto out;
	}
	s->negotiated = true;
	ok = true;
out:
	sdp_desc_cleanup(&d);
	return ok;
}

bool rs_take_answer(struct rsess *s, const char *sdp, size_t len)
{
	struct sdp_desc d;
	const struct media_desc *m;
	bool ok = false;
	if (!parse_sdp(sdp, len, &d) || d.n_media == 0) {
		rs_verdict(s, RC_PROFILE, VERDICT_FAIL, "the answer has no usable SDP");
		goto out;
	}
	m = &d.media[0];
	if (m->port == 0 || !media_endpoint(s, m, &d)) {
		rs_verdict(s, RC_PROFILE, VERDICT_FAIL, "the answer rejected the audio stream (port 0) or has no address");
		goto out;
	}
	s->rtcp_mux = m->rtcp_mux && !s->opt->no_rtcp_mux;
	if ((s->method == 2 || s->method == 3) && media_desc_answer_uses_dtls(m)) {
		/* RFC 8842 §5.1 (RFC 5763 §5): the answer's active side is the
		 * DTLS client; a missing a=setup means active (RFC 4145 §4). */
		bool we_client = m->setup == SDP_SETUP_PASSIVE;
		if (m->setup == SDP_SETUP_ACTPASS || m->setup == SDP_SETUP_HOLDCONN) {
			rs_verdict(s, RC_HANDSHAKE, VERDICT_FAIL, "the answer says a=setup:%s",
				   sdp_setup_name(m->setup));
			goto out;
		}
		s->use_dtls = true;
		keep_fp(s, m);
		if (we_client && !rs_dtls_role(s, true))
			goto out;
		ok = true;
	} else if (s->method != 2 && s->method != REPLAY_METHOD_NONE && media_desc_is_sdes(m)) {
		const struct desc_crypto *c = &m->crypto[0];
		unsigned i;
		for (i = 0; i < s->n_crypto; i++)
			if (s->crypto[i].tag == c->tag)
				break;
		if (i == s->n_crypto || !c->key_ok ||
		    c->key_len != s->crypto[i].keysalt_len) {
			rs_verdict(s, RC_PROFILE, VERDICT_FAIL,
				   "the answer's a=crypto tag %u does not match an offered one", c->tag);
			goto out;
		}
		s->use_sdes = true;
		s->suite = s->crypto[i].suite;
		ok = rs_media_keys(s, s->crypto[i].keysalt, s->crypto[i].keysalt_len,
				   c->key, c->key_len);
	} else if (s->method == REPLAY_METHOD_NONE || s->method == 0) {
		/* A legacy offer (a=crypto on RTP/AVP) may be answered in clear. */
		s->plain = true;
		ok = rs_media_keys(s, NULL, 0, NULL, 0);
	} else {
		rs_verdict(s, RC_PROFILE, VERDICT_FAIL,
			   "the answer (%s) chose no SRTP method that was offered (method %d)",
			   m->proto, s->method);
	}
	s->negotiated = ok;
out:
	sdp_desc_cleanup(&d);
	return ok;
}
