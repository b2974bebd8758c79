/* sdp_build.c - SDP offer/answer text (see sdp_build.h). */
#include "sdp_build.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct out {
	char *buf;
	size_t cap, len;
	bool full;
};

static void put(struct out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;
	if (o->full)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= o->cap - o->len) {
		o->full = true;
		return;
	}
	o->len += (size_t)n;
}

const char *sdp_build_proto(int method)
{
	switch (method) {
	case 0:
		return "RTP/AVP";
	case 1:
		return "RTP/SAVP";
	case 2:
	case 3:
		return "UDP/TLS/RTP/SAVP"; /* RFC 5764 §8 */
	default:
		return NULL;
	}
}

const char *sdp_build_setup_name(enum sdpb_setup s)
{
	switch (s) {
	case SDPB_SETUP_ACTPASS:
		return "actpass";
	case SDPB_SETUP_ACTIVE:
		return "active";
	case SDPB_SETUP_PASSIVE:
		return "passive";
	case SDPB_SETUP_HOLDCONN:
		return "holdconn";
	default:
		return NULL;
	}
}

static size_t base64(const uint8_t *in, size_t n, char *out)
{
	static const char tb[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t o = 0;
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)in[i + 1] << 8;
		if (i + 2 < n)
			v |= in[i + 2];
		out[o++] = tb[(v >> 18) & 63];
		out[o++] = tb[(v >> 12) & 63];
		out[o++] = i + 1 < n ? tb[(v >> 6) & 63] : '=';
		out[o++] = i + 2 < n ? tb[v & 63] : '=';
	}
	out[o] = '\0';
	return o;
}

enum sa_status sdp_build_crypto_inline(const struct sdpb_crypto *c, char *buf,
				 size_t cap)
{
	char b64[4 * ((SRTP_PEER_MAX_KEYSALT + 2) / 3) + 1];
	struct out o = { buf, cap, 0, false };
	if (c->keysalt_len > SRTP_PEER_MAX_KEYSALT || cap == 0)
		return SA_NOMEM;
	base64(c->keysalt, c->keysalt_len, b64);
	/* RFC 4568 §9.2: "inline:" key||salt ["|" lifetime] ["|" MKI:length] */
	put(&o, "inline:%s", b64);
	if (c->lifetime)
		put(&o, "|%s", c->lifetime);
	if (c->mki_len)
		put(&o, "|%" PRIu32 ":%u", c->mki_value, c->mki_len);
	return o.full ? SA_NOMEM : SA_OK;
}

enum sa_status sdp_build_text(const struct sdpb_desc *d, char *buf, size_t cap,
			 size_t *len)
{
	struct out o = { buf, cap, 0, false };
	const char *ip = d->ipv6 ? "IP6" : "IP4";
	const char *codec = d->codec_pt == 8 ? "PCMA" : "PCMU";
	const char *setup = sdp_build_setup_name(d->setup);

	if (!d->addr || !d->proto || !d->user || cap == 0)
		return SA_MALFORMED;
	put(&o, "v=0\r\n");
	put(&o, "o=%s %" PRIu64 " %" PRIu64 " IN %s %s\r\n", d->user,
	    d->sess_id, d->sess_ver, ip, d->addr);
	put(&o, "s=srtpaudit\r\n");
	put(&o, "c=IN %s %s\r\n", ip, d->addr);
	put(&o, "t=0 0\r\n");
	if (d->session_extra)
		put(&o, "%s", d->session_extra);
	put(&o, "m=audio %u %s %d 101\r\n", d->port, d->proto, d->codec_pt);
	put(&o, "a=rtpmap:%d %s/8000\r\n", d->codec_pt, codec);
	put(&o, "a=rtpmap:101 telephone-event/8000\r\n");
	put(&o, "a=fmtp:101 0-16\r\n");
	put(&o, "a=ptime:20\r\n");
	if (d->rtcp_port)
		put(&o, "a=rtcp:%u\r\n", d->rtcp_port);
	if (d->rtcp_mux)
		put(&o, "a=rtcp-mux\r\n");
	if (d->rtcp_mux_only) /* RFC 8858 §3 */
		put(&o, "a=rtcp-mux-only\r\n");
	for (unsigned i = 0; i < d->n_crypto && i < SDPB_MAX_CRYPTO; i++) {
		const struct sdpb_crypto *c = &d->crypto[i];
		const struct srtp_peer_suite_info *si = srtp_peer_suite_get(c->suite);
		char inl[160];
		if (!si || sdp_build_crypto_inline(c, inl, sizeof inl) != SA_OK)
			return SA_MALFORMED;
		/* RFC 4568 §9.1: a=crypto:tag SP suite SP key-params */
		put(&o, "a=crypto:%u %s %s\r\n", c->tag, si->sdes_name, inl);
	}
	if (d->fp_hash && d->fp_text)
		put(&o, "a=fingerprint:%s %s\r\n", d->fp_hash, d->fp_text);
	if (d->fp2_hash && d->fp2_text)
		put(&o, "a=fingerprint:%s %s\r\n", d->fp2_hash, d->fp2_text);
	if (setup)
		put(&o, "a=setup:%s\r\n", setup);
	if (d->tls_id)
		put(&o, "a=tls-id:%s\r\n", d->tls_id);
	put(&o, "a=%s\r\n", d->direction ? d->direction : "sendrecv");
	if (o.full)
		return SA_NOMEM;
	*len = o.len;
	return SA_OK;
}
