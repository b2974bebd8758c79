/* sdp_desc.c - see sdp_desc.h. */
#include "sdp_desc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void copy_sv(char *dst, size_t cap, struct sv v)
{
	sv_copy_cstr(v, dst, cap);
}

/* c= addresses: "IN IP4 a.b.c.d" or "IN IP6 ..." (RFC 8866 §5.7). */
static bool conn_addr(const struct sdp_conn *c, struct ipaddr *out)
{
	char buf[64];
	if (!c || !c->present || c->addr.n == 0 || c->addr.n >= sizeof buf)
		return false;
	sv_copy_cstr(c->addr, buf, sizeof buf);
	return ipaddr_parse(buf, out);
}

static bool mid_in_bundle(const struct sdp *s, struct sv mid)
{
	size_t g, i;
	if (mid.n == 0)
		return false;
	for (g = 0; g < s->n_groups; g++) {
		if (!sv_eq_cstr_ci(s->groups[g].semantics, "BUNDLE"))
			continue;
		for (i = 0; i < s->groups[g].n_mids; i++)
			if (sv_eq(s->groups[g].mids[i], mid))
				return true;
	}
	return false;
}

static void fill_crypto(struct desc_crypto *dc, const struct sdes_crypto *c)
{
	struct sdes_crypto again;
	struct sdes_errors errs;
	size_t i;
	/* The SDP parser keeps errors by line; parse the value once more to
	 * know which RFC 4568 rules it broke. */
	memset(&errs, 0, sizeof errs);
	if (!c->valid && sdes_parse(c->raw, &again, &errs) != SA_OK)
		for (i = 0; i < errs.n; i++)
			if (errs.e[i].code < 32)
				dc->errors |= 1u << errs.e[i].code;
	if (!c->valid && !dc->errors)
		dc->errors = 1u << SDES_ERR_SYNTAX;
	dc->tag = c->tag;
	copy_sv(dc->suite, sizeof dc->suite, c->suite_name);
	dc->s = c->suite;
	dc->valid = c->valid;
	dc->n_keys = c->n_keys;
	dc->unencrypted_srtp = c->unencrypted_srtp;
	dc->unencrypted_srtcp = c->unencrypted_srtcp;
	dc->unauthenticated_srtp = c->unauthenticated_srtp;
	if (c->n_keys > 0) {
		const struct sdes_key_param *k = &c->keys[0];
		dc->key_len = k->key_len <= sizeof dc->key ? k->key_len : sizeof dc->key;
		memcpy(dc->key, k->key, dc->key_len);
		dc->key_ok = k->key_ok;
		dc->has_mki = k->has_mki;
		dc->mki = k->mki_value;
		dc->mki_len = k->mki_len;
		dc->has_lifetime = k->has_lifetime;
		dc->lifetime = k->lifetime;
	}
}

static void fill_media(const struct sdp *s, const struct sdp_media *m,
		       struct media_desc *md)
{
	const struct sdp_fingerprint *fps;
	size_t i, nfp;
	copy_sv(md->media, sizeof md->media, m->media);
	copy_sv(md->proto, sizeof md->proto, m->proto);
	md->port = m->port;
	md->nports = m->nports;
	md->addr_ok = conn_addr(sdp_media_connection(s, m), &md->addr);
	md->setup = sdp_media_setup(s, m);
	md->setup_session_level = m->lvl.setup == SDP_SETUP_NONE &&
				  s->sess.setup != SDP_SETUP_NONE;
	fps = sdp_media_fingerprints(s, m, &nfp);
	for (i = 0; i < nfp && md->n_fp < DESC_MAX_FP; i++) {
		struct desc_fp *f = &md->fp[md->n_fp++];
		copy_sv(f->hash, sizeof f->hash, fps[i].hash);
		f->len = fps[i].len;
		memcpy(f->bytes, fps[i].bytes, fps[i].len);
		f->ok = fps[i].ok;
		f->lower_hex = fps[i].lower_hex;
		f->space_after_colon = fps[i].space_after_colon;
		f->session_level = m->lvl.n_fp == 0;
		f->line = fps[i].line;
	}
	for (i = 0; i < m->n_crypto && md->n_crypto < DESC_MAX_CRYPTO; i++) {
		const struct sdes_crypto *c = sdp_media_crypto(s, m, i);
		if (c)
			fill_crypto(&md->crypto[md->n_crypto++], c);
	}
	md->rtcp_mux = sdp_media_rtcp_mux(s, m);
	md->rtcp_mux_only = m->lvl.rtcp_mux_only;
	md->has_rtcp_attr = m->rtcp.present;
	md->rtcp_port = m->rtcp.port;
	md->rtcp_addr_ok = conn_addr(&m->rtcp.conn, &md->rtcp_addr);
	copy_sv(md->mid, sizeof md->mid, m->mid);
	md->has_tls_id = sdp_media_tls_id(s, m).n > 0;
	copy_sv(md->tls_id, sizeof md->tls_id, sdp_media_tls_id(s, m));
	copy_sv(md->ice_ufrag, sizeof md->ice_ufrag, sdp_media_ice_ufrag(s, m));
	md->n_candidates = m->n_cand;
	md->dir = sdp_media_direction(s, m);
	md->bundled = mid_in_bundle(s, m->mid);
	for (i = 0; i < m->n_fmts && md->n_codecs < DESC_MAX_CODECS; i++) {
		struct desc_codec *dc = &md->codecs[md->n_codecs];
		uint16_t pt;
		size_t r;
		if (!sv_u16(m->fmts[i], &pt))
			continue;
		dc->pt = pt;
		dc->name[0] = '\0';
		for (r = 0; r < m->n_rtpmap; r++) {
			if (m->rtpmap[r].pt == pt) {
				char enc[16];
				sv_copy_cstr(m->rtpmap[r].encoding, enc, sizeof enc);
				snprintf(dc->name, sizeof dc->name, "%s/%u", enc,
					 (unsigned)m->rtpmap[r].clock);
				break;
			}
		}
		md->n_codecs++;
	}
}

enum sa_status sdp_desc_from_text(const char *text, size_t len,
				  struct sdp *scratch, struct sdp_desc *out)
{
	struct sdp_errors errs;
	enum sa_status st;
	size_t i;
	memset(out, 0, sizeof *out);
	memset(&errs, 0, sizeof errs);
	st = sdp_parse(text, len, scratch, &errs);
	out->parsed = scratch->has_version || st == SA_OK;
	for (i = 0; i < errs.n; i++) {
		struct desc_error *e;
		if (out->n_errors == DESC_MAX_ERRORS)
			break;
		e = &out->errors[out->n_errors++];
		e->line = errs.e[i].line;
		snprintf(e->code, sizeof e->code, "%s", errs.e[i].code);
		sv_copy_cstr(errs.e[i].text, e->text, sizeof e->text);
	}
	out->n_errors_total = errs.n + errs.dropped;
	out->sess_addr_ok = conn_addr(&scratch->sess.conn, &out->sess_addr);
	out->sess_version = scratch->origin.sess_version_num;
	out->n_session_crypto = scratch->sess.n_crypto_here;
	if (scratch->n_media == 0)
		return SA_OK;
	out->media = calloc(scratch->n_media, sizeof *out->media);
	if (!out->media)
		return SA_NOMEM;
	out->n_media = scratch->n_media;
	for (i = 0; i < scratch->n_media; i++)
		fill_media(scratch, &scratch->media[i], &out->media[i]);
	return SA_OK;
}

void sdp_desc_cleanup(struct sdp_desc *d)
{
	if (!d)
		return;
	free(d->media);
	d->media = NULL;
	d->n_media = 0;
}

bool media_desc_is_dtls(const struct media_desc *m)
{
	return strstr(m->proto, "TLS") != NULL || m->n_fp > 0;
}

bool media_desc_answer_uses_dtls(const struct media_desc *m)
{
	/* A dual offer (UDP/TLS/RTP/SAVP with a=crypto and a=fingerprint)
	 * answered with SDES may keep the TLS proto: the fingerprint decides. */
	return m->n_fp > 0 || (strstr(m->proto, "TLS") != NULL && m->n_crypto == 0);
}

bool media_desc_is_sdes(const struct media_desc *m)
{
	return m->n_crypto > 0;
}
