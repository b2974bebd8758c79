/* keyring.c - see keyring.h. */
#include "keyring.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calls.h"
#include "dtls.h"
#include "exporter.h"
#include "flows.h"
#include "keylog.h"
#include "media.h"
#include "srtpkey_spec.h"

#define DIR_CANDS 4
#define DIR_BUCKETS 4096u

/* Keys for one direction of one flow (sender -> receiver). */
struct dirkeys {
	struct endpoint src, dst;
	const struct key_entry *cand[DIR_CANDS];
	size_t n;
	enum key_miss miss;
	struct dirkeys *next;
};

/* Keys by (call, media, sending party), or by sending endpoint, for media
 * on 5-tuples other than the handshake's. */
struct sidekey {
	long call, media;
	enum party party;
	bool by_endpoint;
	struct endpoint sender;
	const struct key_entry *key;
};

struct keyring {
	struct key_entry **entries;
	size_t n, cap;
	struct dirkeys *bucket[DIR_BUCKETS];
	struct sidekey *side;
	size_t nside, capside;
	const struct srtpkey_spec *ex;
	size_t nex;
	struct key_entry *ex_entries;  /* one per explicit key */
	const struct diag_sink *diag;
	bool nomem;
};

const char *key_source_name(enum key_source s)
{
	return s == KEYSRC_SDES ? "sdes" : s == KEYSRC_DTLS ? "dtls" : "explicit";
}

const char *key_miss_text(enum key_miss m)
{
	switch (m) {
	case KEYMISS_NONE: return "";
	case KEYMISS_NO_SIGNALLING:
		return "no SDP and no DTLS handshake in the capture describe this media; "
		       "give the key with --srtp-key";
	case KEYMISS_NO_KEYLOG:
		return "DTLS-SRTP keys need the handshake's master secret: pass the NSS key "
		       "log (SSLKEYLOGFILE, openssl -keylogfile) with -k";
	case KEYMISS_RANDOM_NOT_IN_KEYLOG:
		return "the key log has no CLIENT_RANDOM line for this handshake's client "
		       "random: it is not the log of this call's DTLS client or server";
	case KEYMISS_NO_PROFILE:
		return "the DTLS handshake negotiated no SRTP protection profile";
	case KEYMISS_UNSUPPORTED:
		return "the suite or DTLS version is not supported for decryption";
	case KEYMISS_SDES_INVALID:
		return "the sender's a=crypto is invalid (see the SDES findings)";
	case KEYMISS_NOT_SRTP:
		return "the negotiation chose plain RTP";
	}
	return "";
}

static uint64_t pair_hash(const struct endpoint *a, const struct endpoint *b)
{
	return endpoint_hash(a, 0x51) * 31 + endpoint_hash(b, 0x73);
}

static struct dirkeys *dir_get(struct keyring *kr, const struct endpoint *src,
			       const struct endpoint *dst, bool create)
{
	size_t slot = (size_t)(pair_hash(src, dst) % DIR_BUCKETS);
	struct dirkeys *d;
	for (d = kr->bucket[slot]; d; d = d->next)
		if (endpoint_eq(&d->src, src) && endpoint_eq(&d->dst, dst))
			return d;
	if (!create)
		return NULL;
	d = calloc(1, sizeof *d);
	if (!d) {
		kr->nomem = true;
		return NULL;
	}
	d->src = *src;
	d->dst = *dst;
	d->next = kr->bucket[slot];
	kr->bucket[slot] = d;
	return d;
}

static struct key_entry *entry_new(struct keyring *kr)
{
	struct key_entry *e;
	if (kr->n == kr->cap) {
		size_t cap = kr->cap ? kr->cap * 2 : 32;
		struct key_entry **v = realloc(kr->entries, cap * sizeof *v);
		if (!v) {
			kr->nomem = true;
			return NULL;
		}
		kr->entries = v;
		kr->cap = cap;
	}
	e = calloc(1, sizeof *e);
	if (!e) {
		kr->nomem = true;
		return NULL;
	}
	kr->entries[kr->n++] = e;
	e->call = e->media = -1;
	return e;
}

static void dir_add(struct keyring *kr, const struct endpoint *src,
		    const struct endpoint *dst, const struct key_entry *k)
{
	struct dirkeys *d = dir_get(kr, src, dst, true);
	size_t i;
	if (!d)
		return;
	for (i = 0; i < d->n; i++)
		if (memcmp(&d->cand[i]->params, &k->params, sizeof k->params) == 0)
			return; /* the same key from another exchange */
	if (d->n < DIR_CANDS)
		d->cand[d->n++] = k;
}

static void dir_miss(struct keyring *kr, const struct endpoint *src,
		     const struct endpoint *dst, enum key_miss m)
{
	struct dirkeys *d = dir_get(kr, src, dst, true);
	if (d && !d->miss)
		d->miss = m;
}

static void side_add(struct keyring *kr, const struct sidekey *s)
{
	if (kr->nside == kr->capside) {
		size_t cap = kr->capside ? kr->capside * 2 : 16;
		struct sidekey *v = realloc(kr->side, cap * sizeof *v);
		if (!v) {
			kr->nomem = true;
			return;
		}
		kr->side = v;
		kr->capside = cap;
	}
	kr->side[kr->nside++] = *s;
}

/* ---- DTLS-SRTP ------------------------------------------------------ */

static void hex8(const uint8_t *b, char *out)
{
	static const char h[] = "0123456789abcdef";
	int i;
	for (i = 0; i < 4; i++) {
		out[2 * i] = h[b[i] >> 4];
		out[2 * i + 1] = h[b[i] & 15];
	}
	out[8] = '\0';
}

static void dtls_keys(struct keyring *kr, const struct result *r, const struct keylog *kl,
		      const struct flow *f)
{
	const struct flow_media *m = media_of(f);
	const struct dtls_summary *s;
	unsigned h;
	if (!m || !m->dtls)
		return;
	s = dtls_assoc_summary(m->dtls);
	(void)r;
	for (h = 0; h < s->n_handshakes; h++) {
		const struct dtls_handshake *hs = &s->hs[h];
		const uint8_t *ms;
		struct dtls_srtp_keys keys;
		enum exporter_prf prf;
		int cd = hs->client_dir, side;
		uint16_t profile;
		char rnd[9];
		if (!hs->ch.seen || !hs->sh.seen || cd < 0)
			continue;
		if (!hs->sh.has_use_srtp || hs->sh.srtp_profiles.n < 1) {
			dir_miss(kr, &f->ep[0], &f->ep[1], KEYMISS_NO_PROFILE);
			dir_miss(kr, &f->ep[1], &f->ep[0], KEYMISS_NO_PROFILE);
			continue;
		}
		if (!kl || !keylog_find(kl, hs->ch.random, &ms)) {
			enum key_miss why = kl && keylog_count(kl) ? KEYMISS_RANDOM_NOT_IN_KEYLOG :
					    KEYMISS_NO_KEYLOG;
			dir_miss(kr, &f->ep[0], &f->ep[1], why);
			dir_miss(kr, &f->ep[1], &f->ep[0], why);
			continue;
		}
		profile = hs->sh.srtp_profiles.v[0];
		if (exporter_prf_select(hs->version ? hs->version : hs->sh.version,
					hs->sh.suite, &prf) != SA_OK ||
		    exporter_dtls_srtp(prf, ms, hs->ch.random, hs->sh.random, profile,
				       &keys) != SA_OK) {
			dir_miss(kr, &f->ep[0], &f->ep[1], KEYMISS_UNSUPPORTED);
			dir_miss(kr, &f->ep[1], &f->ep[0], KEYMISS_UNSUPPORTED);
			continue;
		}
		hex8(hs->ch.random, rnd);
		for (side = 0; side < 2; side++) {
			int sender = side == 0 ? cd : 1 - cd;
			struct key_entry *e = entry_new(kr);
			struct sidekey sk;
			if (!e)
				return;
			e->source = KEYSRC_DTLS;
			if (exporter_keys_params(&keys, side == 0, &e->params) != SA_OK)
				continue;
			e->frame = hs->sh.at.frame;
			if (f->bound) {
				e->call = (long)f->call;
				e->media = (long)f->media;
			}
			snprintf(e->origin, sizeof e->origin,
				 "DTLS-SRTP %s keys, handshake at frames %llu-%llu, client random %s...",
				 side == 0 ? "client" : "server",
				 (unsigned long long)hs->first_client_hello.frame,
				 (unsigned long long)hs->sh.at.frame, rnd);
			dir_add(kr, &f->ep[sender], &f->ep[1 - sender], e);
			memset(&sk, 0, sizeof sk);
			sk.key = e;
			sk.sender = f->ep[sender];
			sk.by_endpoint = true;
			side_add(kr, &sk);
			if (f->bound) {
				sk.by_endpoint = false;
				sk.call = (long)f->call;
				sk.media = (long)f->media;
				sk.party = f->party[sender];
				side_add(kr, &sk);
			}
		}
	}
}

/* ---- SDES ------------------------------------------------------------ */

static bool sdes_params(const struct desc_crypto *c, struct sdec_params *p)
{
	enum sdec_suite suite;
	const struct sdec_suite_info *si;
	size_t i;
	sdec_params_init(p);
	if (!c->valid || !c->key_ok)
		return false;
	suite = sdec_suite_by_name(sv_cstr(c->suite));
	si = sdec_suite_get(suite);
	if (!si || !si->supported || c->key_len != si->key_len + si->salt_len)
		return false;
	p->suite = suite;
	memcpy(p->keys[0].key, c->key, si->key_len);
	memcpy(p->keys[0].salt, c->key + si->key_len, si->salt_len);
	if (c->has_mki && c->mki_len > 0 && c->mki_len <= 8) {
		/* RFC 4568 §6.1: the MKI value as an integer of mki_len octets. */
		p->keys[0].mki_len = c->mki_len;
		for (i = 0; i < c->mki_len; i++)
			p->keys[0].mki[i] = (uint8_t)(c->mki >> (8 * (c->mki_len - 1 - i)));
	}
	p->unencrypted_srtp = c->unencrypted_srtp;
	p->unencrypted_srtcp = c->unencrypted_srtcp;
	p->unauthenticated_srtp = c->unauthenticated_srtp;
	return true;
}

/* The a=crypto that protects what party p sends for media i of exchange e:
 * its own line with the tag the answer selected. */
static const struct desc_crypto *sender_crypto(const struct oa_exchange *e, size_t i,
					       enum party p)
{
	const struct media_desc *am, *mine;
	const struct call_sdp *s = exchange_sdp_of(e, p);
	size_t j;
	if (!e->answer || e->rejected || i >= e->answer->d.n_media || !s ||
	    i >= s->d.n_media)
		return NULL;
	am = &e->answer->d.media[i];
	/* An answer that chose DTLS (a fingerprint) is keyed by the handshake,
	 * even when it also carries a=crypto (OSRTP-ANSWER-ONE). */
	if (am->n_crypto != 1 || am->port == 0 || am->n_fp > 0)
		return NULL;
	mine = &s->d.media[i];
	for (j = 0; j < mine->n_crypto; j++)
		if (mine->crypto[j].tag == am->crypto[0].tag)
			return &mine->crypto[j];
	return NULL;
}

static void sdes_keys(struct keyring *kr, const struct result *r, const struct flow *f)
{
	const struct sa_call *c;
	int d;
	size_t x;
	if (!f->bound || !r->calls)
		return;
	c = call_table_at(r->calls, f->call);
	for (d = 0; d < 2; d++) {
		enum party p = f->party[d];
		bool any = false, chose_plain = false, invalid = false;
		/* Newest exchange first: a re-offer may bring new keys. */
		for (x = c->n_ex; x > 0; x--) {
			const struct oa_exchange *e = &c->ex[x - 1];
			const struct desc_crypto *cr = sender_crypto(e, f->media, p);
			struct key_entry *k;
			if (!cr) {
				if (e->answer && !e->rejected && f->media < e->answer->d.n_media &&
				    e->answer->d.media[f->media].n_crypto == 0 &&
				    !media_desc_answer_uses_dtls(&e->answer->d.media[f->media]))
					chose_plain = true;
				continue;
			}
			k = entry_new(kr);
			if (!k)
				return;
			k->source = KEYSRC_SDES;
			if (!sdes_params(cr, &k->params)) {
				invalid = true;
				continue;
			}
			k->call = (long)f->call;
			k->media = (long)f->media;
			k->frame = exchange_sdp_of(e, p)->d.frame;
			snprintf(k->origin, sizeof k->origin, "SDES %s key, a=crypto tag %u %s in %s (frame %llu)",
				 party_name(p), cr->tag, cr->suite,
				 exchange_sdp_of(e, p)->carrier, (unsigned long long)k->frame);
			dir_add(kr, &f->ep[d], &f->ep[1 - d], k);
			any = true;
		}
		if (!any && (invalid || chose_plain))
			dir_miss(kr, &f->ep[d], &f->ep[1 - d],
				 invalid ? KEYMISS_SDES_INVALID : KEYMISS_NOT_SRTP);
	}
}

/* ---- putting it together ----------------------------------------------- */

struct build_ctx {
	struct keyring *kr;
	const struct result *r;
	const struct keylog *kl;
	int pass;
};

static void per_flow(void *ctx, const struct flow *f)
{
	struct build_ctx *b = ctx;
	struct keyring *kr = b->kr;
	size_t i;
	int d;
	if (b->pass == 0) {
		dtls_keys(kr, b->r, b->kl, f);
		sdes_keys(kr, b->r, f);
		return;
	}
	/* Second pass: directions without keys borrow them from the same call
	 * and m-line (ICE moved the media) or from the same sender endpoint. */
	for (d = 0; d < 2; d++) {
		struct dirkeys *dk = dir_get(kr, &f->ep[d], &f->ep[1 - d], false);
		if (dk && dk->n)
			continue;
		for (i = 0; i < kr->nside; i++) {
			const struct sidekey *s = &kr->side[i];
			bool match = s->by_endpoint ? endpoint_eq(&s->sender, &f->ep[d]) :
				     (f->bound && s->call == (long)f->call &&
				      s->media == (long)f->media && s->party == f->party[d]);
			if (match)
				dir_add(kr, &f->ep[d], &f->ep[1 - d], s->key);
		}
	}
}

enum sa_status keyring_build(const struct result *r, const struct keylog *kl,
			     const struct srtpkey_spec *ex, size_t nex,
			     const struct diag_sink *diag, struct keyring **out)
{
	struct keyring *kr = calloc(1, sizeof *kr);
	struct build_ctx b;
	size_t i;
	*out = NULL;
	if (!kr)
		return SA_NOMEM;
	kr->diag = diag;
	kr->ex = ex;
	kr->nex = nex;
	if (nex) {
		kr->ex_entries = calloc(nex, sizeof *kr->ex_entries);
		if (!kr->ex_entries) {
			keyring_free(kr);
			return SA_NOMEM;
		}
		for (i = 0; i < nex; i++) {
			char bind[2 * SA_ENDPOINT_STRLEN + 8];
			kr->ex_entries[i].source = KEYSRC_EXPLICIT;
			kr->ex_entries[i].params = ex[i].params;
			kr->ex_entries[i].call = kr->ex_entries[i].media = -1;
			snprintf(kr->ex_entries[i].origin, sizeof kr->ex_entries[i].origin,
				 "--srtp-key for %s",
				 srtpkey_spec_format_binding(&ex[i], bind, sizeof bind));
		}
	}
	b.kr = kr;
	b.r = r;
	b.kl = kl;
	if (r->flows) {
		for (b.pass = 0; b.pass < 2; b.pass++)
			flow_table_foreach(r->flows, per_flow, &b);
	}
	if (kr->nomem) {
		keyring_free(kr);
		return SA_NOMEM;
	}
	*out = kr;
	return SA_OK;
}

void keyring_free(struct keyring *kr)
{
	size_t i;
	if (!kr)
		return;
	for (i = 0; i < DIR_BUCKETS; i++) {
		struct dirkeys *d = kr->bucket[i], *nx;
		for (; d; d = nx) {
			nx = d->next;
			free(d);
		}
	}
	for (i = 0; i < kr->n; i++) {
		/* Master keys do not outlive the run in memory. */
		memset(kr->entries[i], 0, sizeof *kr->entries[i]);
		free(kr->entries[i]);
	}
	free(kr->entries);
	free(kr->side);
	free(kr->ex_entries);
	free(kr);
}

size_t keyring_candidates(const struct keyring *kr, const struct endpoint *src,
			  const struct endpoint *dst, uint32_t ssrc,
			  const struct key_entry **v, size_t cap, enum key_miss *miss)
{
	struct dirkeys *d = dir_get((struct keyring *)kr, src, dst, false);
	size_t n = 0, i;
	int pref;
	*miss = d ? d->miss : KEYMISS_NO_SIGNALLING;
	/* Explicit keys bound to this media come first, the capture's own
	 * keys next, an unbound explicit key last. */
	for (pref = 0; pref < 2; pref++) {
		for (i = 0; i < kr->nex && n < cap; i++) {
			int score = srtpkey_spec_match(&kr->ex[i], src, dst, ssrc);
			if (score > 0 && (score > 1) == (pref == 0))
				v[n++] = &kr->ex_entries[i];
		}
		if (pref == 0)
			for (i = 0; d && i < d->n && n < cap; i++)
				v[n++] = d->cand[i];
	}
	if (n)
		*miss = KEYMISS_NONE;
	return n;
}

size_t keyring_count(const struct keyring *kr)
{
	return kr->n + kr->nex;
}
