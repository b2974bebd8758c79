/* test_dtls.c - CUnit suite for dtls.h, part 1: real OpenSSL DTLS
 * handshakes run inside the test between two SSL objects joined by a
 * datagram-preserving memory BIO.  Every datagram is fed to the parser and
 * the facts are compared with what OpenSSL says (randoms, profile, suite,
 * EMS, certificates); then reordered, duplicated, retransmitted, restarted,
 * truncated and corrupted.  Part 2 (hand-built records and real captures)
 * is tests/test_dtls_records.c.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "cert.h"
#include "demux.h"
#include "dtls.h"

/* ---------- datagram wire between two SSL objects ---------- */

#define WIRE_MAX 512

struct dgram {
	uint8_t *p;
	size_t n;
	int dir; /* sender: 0 client, 1 server */
};

struct wire {
	struct dgram d[WIRE_MAX];
	size_t n;
	size_t rd[2]; /* next index each receiver looks at */
};

struct wire_end {
	struct wire *w;
	int dir;
};

static BIO_METHOD *wire_meth;

static int wire_write(BIO *b, const char *data, int len)
{
	struct wire_end *e = BIO_get_data(b);
	struct dgram *g;
	BIO_clear_retry_flags(b);
	if (e->w->n >= WIRE_MAX || len <= 0)
		return -1;
	g = &e->w->d[e->w->n++];
	g->p = malloc((size_t)len);
	memcpy(g->p, data, (size_t)len);
	g->n = (size_t)len;
	g->dir = e->dir;
	return len;
}

static int wire_read(BIO *b, char *out, int cap)
{
	struct wire_end *e = BIO_get_data(b);
	struct wire *w = e->w;
	size_t i;
	BIO_clear_retry_flags(b);
	for (i = w->rd[e->dir]; i < w->n; i++) {
		if (w->d[i].dir != e->dir) {
			size_t n = w->d[i].n < (size_t)cap ? w->d[i].n : (size_t)cap;
			memcpy(out, w->d[i].p, n);
			w->rd[e->dir] = i + 1;
			return (int)n;
		}
	}
	w->rd[e->dir] = w->n;
	BIO_set_retry_read(b);
	return -1;
}

static long wire_ctrl(BIO *b, int cmd, long num, void *ptr)
{
	(void)b;
	(void)num;
	(void)ptr;
	switch (cmd) {
	case BIO_CTRL_FLUSH:
		return 1;
	default:
		return 0;
	}
}

static int wire_create(BIO *b)
{
	BIO_set_init(b, 1);
	return 1;
}

static BIO *wire_bio(struct wire_end *e)
{
	BIO *b;
	if (!wire_meth) {
		wire_meth = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "wire");
		BIO_meth_set_write(wire_meth, wire_write);
		BIO_meth_set_read(wire_meth, wire_read);
		BIO_meth_set_ctrl(wire_meth, wire_ctrl);
		BIO_meth_set_create(wire_meth, wire_create);
	}
	b = BIO_new(wire_meth);
	BIO_set_data(b, e);
	return b;
}

static void wire_free(struct wire *w)
{
	size_t i;
	for (i = 0; i < w->n; i++)
		free(w->d[i].p);
	w->n = 0;
}

/* ---------- certificates and the handshake ---------- */

static X509 *self_signed(EVP_PKEY *k, const char *cn)
{
	X509 *x = X509_new();
	X509_NAME *nm = X509_NAME_new();
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
	X509_NAME_add_entry_by_txt(nm, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
	X509_set_subject_name(x, nm);
	X509_set_issuer_name(x, nm);
	X509_gmtime_adj(X509_getm_notBefore(x), -3600);
	X509_gmtime_adj(X509_getm_notAfter(x), 30 * 86400);
	X509_set_pubkey(x, k);
	CU_ASSERT_FATAL(X509_sign(x, k, EVP_sha256()) > 0);
	X509_NAME_free(nm);
	return x;
}

static int accept_all(int ok, X509_STORE_CTX *ctx)
{
	(void)ok;
	(void)ctx;
	return 1;
}

static unsigned int no_timer(SSL *s, unsigned int prev_us)
{
	(void)s;
	(void)prev_us;
	return 60u * 1000000u; /* no retransmission timer during the test */
}

static const unsigned char test_cookie[16] = "srtpaudit-cookie";

static int cookie_gen(SSL *s, unsigned char *cookie, unsigned int *len)
{
	(void)s;
	memcpy(cookie, test_cookie, sizeof test_cookie);
	*len = sizeof test_cookie;
	return 1;
}

static int cookie_verify(SSL *s, const unsigned char *cookie, unsigned int len)
{
	(void)s;
	return len == sizeof test_cookie && memcmp(cookie, test_cookie, len) == 0;
}

struct hs_opts {
	int version;             /* 0 = default (1.2), DTLS1_VERSION for 1.0 */
	const char *client_srtp; /* NULL = no use_srtp */
	const char *server_srtp;
	bool cookie;
	long mtu;
};

struct hs_result {
	struct wire w;
	uint8_t client_random[32], server_random[32];
	uint16_t profile; /* 0 = none */
	uint16_t suite;
	int version;
	bool ems;
	uint8_t *server_der, *client_der;
	int server_der_len, client_der_len;
	uint8_t server_sha256[32];
	size_t finished_idx; /* index after the handshake datagrams */
};

static SSL_CTX *ctx_make(const SSL_METHOD *m, const struct hs_opts *o, EVP_PKEY *k, X509 *x,
			 const char *srtp)
{
	SSL_CTX *c = SSL_CTX_new(m);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	if (o->version) {
		SSL_CTX_set_security_level(c, 0);
		SSL_CTX_set_min_proto_version(c, o->version);
		SSL_CTX_set_max_proto_version(c, o->version);
	}
	CU_ASSERT_FATAL(SSL_CTX_use_certificate(c, x) == 1);
	CU_ASSERT_FATAL(SSL_CTX_use_PrivateKey(c, k) == 1);
	SSL_CTX_set_verify(c, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, accept_all);
	if (srtp)
		CU_ASSERT_FATAL(SSL_CTX_set_tlsext_use_srtp(c, srtp) == 0); /* 0 = success */
	SSL_CTX_set_cookie_generate_cb(c, cookie_gen);
	SSL_CTX_set_cookie_verify_cb(c, cookie_verify);
	return c;
}

static void run_handshake(const struct hs_opts *o, struct hs_result *r)
{
	EVP_PKEY *ck = EVP_EC_gen("P-256"), *sk = EVP_EC_gen("P-256");
	X509 *cx = self_signed(ck, "client"), *sx = self_signed(sk, "server"), *peer;
	SSL_CTX *cc = ctx_make(DTLS_client_method(), o, ck, cx, o->client_srtp);
	SSL_CTX *sc = ctx_make(DTLS_server_method(), o, sk, sx, o->server_srtp);
	SSL *c = SSL_new(cc), *s = SSL_new(sc);
	struct wire_end ce, se;
	int i, cr = 0, sr = 0;
	unsigned int dl = 0;
	char buf[64];
	const SRTP_PROTECTION_PROFILE *prof;

	memset(r, 0, sizeof *r);
	ce.w = se.w = &r->w;
	ce.dir = 0;
	se.dir = 1;
	SSL_set_bio(c, wire_bio(&ce), wire_bio(&ce)); /* two BIOs, one reference each */
	SSL_set_bio(s, wire_bio(&se), wire_bio(&se));
	SSL_set_connect_state(c);
	SSL_set_accept_state(s);
	DTLS_set_timer_cb(c, no_timer);
	DTLS_set_timer_cb(s, no_timer);
	if (o->mtu) {
		SSL_set_options(c, SSL_OP_NO_QUERY_MTU);
		SSL_set_options(s, SSL_OP_NO_QUERY_MTU);
		SSL_set_mtu(c, o->mtu);
		SSL_set_mtu(s, o->mtu);
	}
	if (o->cookie)
		SSL_set_options(s, SSL_OP_COOKIE_EXCHANGE);
	for (i = 0; i < 40 && (cr != 1 || sr != 1); i++) {
		if (cr != 1)
			cr = SSL_do_handshake(c);
		if (sr != 1)
			sr = SSL_do_handshake(s);
	}
	CU_ASSERT_FATAL(cr == 1 && sr == 1);
	r->finished_idx = r->w.n;
	/* one application record each way, then an (encrypted) close_notify */
	CU_ASSERT(SSL_write(c, "ping", 4) == 4);
	CU_ASSERT(SSL_read(s, buf, sizeof buf) == 4);
	CU_ASSERT(SSL_write(s, "pong", 4) == 4);
	CU_ASSERT(SSL_read(c, buf, sizeof buf) == 4);
	SSL_shutdown(c);

	SSL_get_client_random(c, r->client_random, 32);
	SSL_get_server_random(c, r->server_random, 32);
	prof = SSL_get_selected_srtp_profile(c);
	r->profile = prof ? (uint16_t)prof->id : 0;
	r->suite = SSL_CIPHER_get_protocol_id(SSL_get_current_cipher(c));
	r->version = SSL_version(c);
	r->ems = SSL_get_extms_support(c) == 1;
	peer = SSL_get1_peer_certificate(c);
	CU_ASSERT_PTR_NOT_NULL_FATAL(peer);
	r->server_der_len = i2d_X509(peer, &r->server_der);
	X509_digest(peer, EVP_sha256(), r->server_sha256, &dl);
	X509_free(peer);
	peer = SSL_get1_peer_certificate(s);
	CU_ASSERT_PTR_NOT_NULL_FATAL(peer);
	r->client_der_len = i2d_X509(peer, &r->client_der);
	X509_free(peer);

	SSL_free(c);
	SSL_free(s);
	SSL_CTX_free(cc);
	SSL_CTX_free(sc);
	X509_free(cx);
	X509_free(sx);
	EVP_PKEY_free(ck);
	EVP_PKEY_free(sk);
}

static void result_free(struct hs_result *r)
{
	wire_free(&r->w);
	OPENSSL_free(r->server_der);
	OPENSSL_free(r->client_der);
}

/* feed - every datagram of the wire in the order given by idx (NULL:
 * natural order); frame = index + 1. */
static unsigned feed(struct dtls_assoc *a, const struct wire *w, const size_t *idx, size_t n)
{
	unsigned bad = 0;
	size_t i;
	for (i = 0; i < n; i++) {
		size_t k = idx ? idx[i] : i;
		if (dtls_assoc_input(a, w->d[k].dir, w->d[k].p, w->d[k].n, k + 1,
				     (k + 1) * 1000, NULL) != SA_OK)
			bad++;
	}
	return bad;
}

/* dg_records - walk the records of a datagram: count them, count the
 * epoch-0 handshake fragments of type hs_type and those at fragment_offset
 * 0; add bump to every record's sequence number (modifies p). */
static size_t dg_records(uint8_t *p, size_t n, uint8_t hs_type, size_t *frags, size_t *off0,
			 uint8_t bump)
{
	size_t o = 0, recs = 0;
	while (o + 13 <= n) {
		uint8_t *q = p + o;
		size_t len = (size_t)(q[11] << 8 | q[12]);
		recs++;
		q[10] = (uint8_t)(q[10] + bump);
		if (q[0] == 22 && q[3] == 0 && q[4] == 0 && len >= 12) {
			if (frags && q[13] == hs_type)
				(*frags)++;
			if (off0 && q[19] == 0 && q[20] == 0 && q[21] == 0)
				(*off0)++;
		}
		o += 13 + len;
	}
	CU_ASSERT_EQUAL(o, n);
	return recs;
}

/* check_facts - what the parser saw must equal what OpenSSL negotiated. */
static void check_facts(const struct dtls_assoc *a, const struct hs_result *r)
{
	const struct dtls_summary *s = dtls_assoc_summary(a);
	const struct dtls_handshake *h = s->current;
	uint8_t fp[CERT_FP_MAX];
	size_t fl = 0;
	struct cert_info ci;

	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	CU_ASSERT_EQUAL(s->client_dir, 0);
	CU_ASSERT_FALSE(h->client_dir_inferred);
	CU_ASSERT_TRUE(h->ch.seen);
	CU_ASSERT_TRUE(h->sh.seen);
	CU_ASSERT_EQUAL(memcmp(h->ch.random, r->client_random, 32), 0);
	CU_ASSERT_EQUAL(memcmp(h->sh.random, r->server_random, 32), 0);
	CU_ASSERT_EQUAL(h->sh.suite, r->suite);
	CU_ASSERT_EQUAL(h->version, r->version);
	CU_ASSERT_EQUAL(s->version, r->version);
	CU_ASSERT_EQUAL(h->sh.has_ems, r->ems);
	CU_ASSERT_EQUAL(h->ch.has_ems, true);
	if (r->profile) {
		CU_ASSERT_TRUE(h->sh.has_use_srtp);
		CU_ASSERT_EQUAL(h->sh.srtp_profiles.n, 1);
		CU_ASSERT_EQUAL(h->sh.srtp_profiles.v[0], r->profile);
		CU_ASSERT_EQUAL(h->sh.mki_len, 0);
	} else {
		CU_ASSERT_FALSE(h->sh.has_use_srtp);
	}
	/* the server's and the client's certificates, byte for byte */
	CU_ASSERT_TRUE(h->cert[1].seen);
	CU_ASSERT_EQUAL_FATAL(h->cert[1].n, 1);
	CU_ASSERT_EQUAL(h->cert[1].certs[0].len, (size_t)r->server_der_len);
	CU_ASSERT_EQUAL(memcmp(h->cert[1].certs[0].der, r->server_der, r->server_der_len), 0);
	CU_ASSERT_TRUE(h->cert[0].seen);
	CU_ASSERT_EQUAL_FATAL(h->cert[0].n, 1);
	CU_ASSERT_EQUAL(h->cert[0].certs[0].len, (size_t)r->client_der_len);
	CU_ASSERT_EQUAL(memcmp(h->cert[0].certs[0].der, r->client_der, r->client_der_len), 0);
	CU_ASSERT_EQUAL(cert_fingerprint(h->cert[1].certs[0].der, h->cert[1].certs[0].len,
					 SV_LIT("sha-256"), fp, sizeof fp, &fl), SA_OK);
	CU_ASSERT_EQUAL(memcmp(fp, r->server_sha256, 32), 0);
	CU_ASSERT_EQUAL(cert_parse(h->cert[1].certs[0].der, h->cert[1].certs[0].len, &ci), SA_OK);
	CU_ASSERT_EQUAL(ci.key_type, CERT_KEY_EC);
	CU_ASSERT_STRING_EQUAL(ci.curve, "P-256");
	CU_ASSERT_TRUE(ci.self_signed);
	CU_ASSERT_STRING_EQUAL(ci.subject, "CN=server");
	/* server flight and client flight */
	CU_ASSERT_TRUE(h->cert_request.seen);
	CU_ASSERT_TRUE(h->ske.seen);
	CU_ASSERT_TRUE(h->ske.ecdhe);
	CU_ASSERT_EQUAL(h->ske.curve_type, 3);
	CU_ASSERT_PTR_NOT_NULL(dtls_group_name(h->ske.group));
	CU_ASSERT_TRUE(h->server_hello_done.seen);
	CU_ASSERT_TRUE(h->cke.seen);
	CU_ASSERT_TRUE(h->cert_verify.seen);
	CU_ASSERT_EQUAL(h->cke.at.dir, 0);
	CU_ASSERT_EQUAL(h->ske.at.dir, 1);
	/* both CCS, both Finished, complete at the server's Finished */
	CU_ASSERT_TRUE(h->ccs[0].seen);
	CU_ASSERT_TRUE(h->ccs[1].seen);
	CU_ASSERT_TRUE(h->finished[0].seen);
	CU_ASSERT_TRUE(h->finished[1].seen);
	CU_ASSERT_TRUE(h->complete);
	CU_ASSERT_EQUAL(h->completed_at.frame, r->finished_idx);
	CU_ASSERT_EQUAL(h->completed_at.dir, 1);
	CU_ASSERT_EQUAL(h->completed_at.ts_ns, r->finished_idx * 1000);
	CU_ASSERT(h->finished[0].at.frame < h->finished[1].at.frame);
	/* application data both ways; the client's close_notify is encrypted */
	CU_ASSERT_EQUAL(s->app_data_records[0], 1);
	CU_ASSERT_EQUAL(s->app_data_records[1], 1);
	CU_ASSERT_TRUE(s->last_alert[0].seen);
	CU_ASSERT_TRUE(s->last_alert[0].encrypted);
	CU_ASSERT_FALSE(s->first_fatal.seen);
	CU_ASSERT_EQUAL(s->n_handshakes, 1);
	CU_ASSERT_EQUAL(s->malformed_datagrams, 0);
	CU_ASSERT_EQUAL(s->dropped_fragments, 0);
}

static void test_openssl_dtls12(void)
{
	struct hs_opts o = { 0, "SRTP_AES128_CM_SHA1_80:SRTP_AEAD_AES_128_GCM",
			     "SRTP_AEAD_AES_128_GCM", false, 300 };
	struct hs_result r;
	struct dtls_assoc *a = dtls_assoc_new(NULL);
	const struct dtls_summary *s;
	const struct dtls_handshake *h;
	size_t i, certs_frags = 0, nrec = 0;

	run_handshake(&o, &r);
	CU_ASSERT_EQUAL(r.version, DTLS1_2_VERSION);
	CU_ASSERT_EQUAL(r.profile, 0x0007);
	/* every datagram is DTLS for the heuristic, and fits the MTU */
	for (i = 0; i < r.w.n; i++) {
		CU_ASSERT_TRUE(demux_looks_like_dtls(r.w.d[i].p, r.w.d[i].n));
		CU_ASSERT(r.w.d[i].n <= 300);
		/* count records and Certificate fragments */
		nrec += dg_records(r.w.d[i].p, r.w.d[i].n, 11, &certs_frags, NULL, 0);
	}
	CU_ASSERT(certs_frags >= 4); /* both certificates were fragmented */
	CU_ASSERT_EQUAL(feed(a, &r.w, NULL, r.w.n), 0);
	check_facts(a, &r);
	s = dtls_assoc_summary(a);
	h = s->current;
	CU_ASSERT_EQUAL(h->ch.srtp_profiles.n, 2);
	CU_ASSERT_EQUAL(h->ch.srtp_profiles.v[0], 0x0001);
	CU_ASSERT_EQUAL(h->ch.srtp_profiles.v[1], 0x0007);
	CU_ASSERT_EQUAL(s->hs_retransmissions, 0);
	CU_ASSERT_EQUAL(s->records_duplicate, 0);
	CU_ASSERT_STRING_EQUAL(dtls_version_name(s->version), "DTLS 1.2");
	CU_ASSERT_STRING_EQUAL(dtls_profile_find(h->sh.srtp_profiles.v[0])->name,
			       "SRTP_AEAD_AES_128_GCM");
	CU_ASSERT_PTR_NOT_NULL(dtls_suite_find(h->sh.suite));
	CU_ASSERT_TRUE(dtls_suite_find(h->sh.suite)->forward_secret);
	CU_ASSERT_TRUE(dtls_suite_find(h->sh.suite)->aead);
	CU_ASSERT_EQUAL(s->records[0] + s->records[1], nrec);
	CU_ASSERT(nrec > r.w.n); /* OpenSSL packs several records per datagram */
	/* events: the first is the ClientHello, COMPLETE is there once */
	{
		const struct dtls_event *e = dtls_assoc_event(a, 0);
		size_t k, complete = 0;
		CU_ASSERT_PTR_NOT_NULL_FATAL(e);
		CU_ASSERT_EQUAL(e->kind, DTLS_EV_MESSAGE);
		CU_ASSERT_EQUAL(e->hs_type, DTLS_HS_CLIENT_HELLO);
		CU_ASSERT_EQUAL(e->at.frame, 1);
		for (k = 0; (e = dtls_assoc_event(a, k)) != NULL; k++)
			if (e->kind == DTLS_EV_COMPLETE)
				complete++;
		CU_ASSERT_EQUAL(complete, 1);
		CU_ASSERT_EQUAL(k, s->n_events);
	}
	dtls_assoc_free(a);

	/* the same datagrams reversed: every message arrives out of order */
	{
		size_t idx[WIRE_MAX];
		for (i = 0; i < r.w.n; i++)
			idx[i] = r.w.n - 1 - i;
		a = dtls_assoc_new(NULL);
		CU_ASSERT_EQUAL(feed(a, &r.w, idx, r.w.n), 0);
		h = dtls_assoc_summary(a)->current;
		CU_ASSERT_EQUAL(memcmp(h->ch.random, r.client_random, 32), 0);
		CU_ASSERT_EQUAL(h->sh.srtp_profiles.v[0], 0x0007);
		CU_ASSERT_EQUAL(h->cert[1].certs[0].len, (size_t)r.server_der_len);
		CU_ASSERT_EQUAL(memcmp(h->cert[1].certs[0].der, r.server_der, r.server_der_len), 0);
		CU_ASSERT_EQUAL(dtls_assoc_summary(a)->client_dir, 0);
		CU_ASSERT_TRUE(h->complete);
		CU_ASSERT_TRUE(h->ske.ecdhe);
		dtls_assoc_free(a);
	}
	/* every datagram twice: duplicates, not retransmissions */
	{
		size_t idx[2 * WIRE_MAX];
		for (i = 0; i < r.w.n; i++)
			idx[2 * i] = idx[2 * i + 1] = i;
		a = dtls_assoc_new(NULL);
		CU_ASSERT_EQUAL(feed(a, &r.w, idx, 2 * r.w.n), 0);
		s = dtls_assoc_summary(a);
		check_facts(a, &r);
		CU_ASSERT_EQUAL(s->records_duplicate, nrec);
		CU_ASSERT_EQUAL(s->hs_retransmissions, 0);
		CU_ASSERT_EQUAL(s->alerts, 1);
		dtls_assoc_free(a);
	}
	/* the server's first flight sent again with new record sequence
	 * numbers (RFC 6347 §4.2.4): a retransmitted flight */
	{
		struct dtls_assoc *b = dtls_assoc_new(NULL);
		size_t msgs, retrans = 0;
		CU_ASSERT_EQUAL(feed(b, &r.w, NULL, r.w.n), 0);
		msgs = dtls_assoc_summary(b)->hs_messages;
		/* the server's first flight: the datagrams after the ClientHello */
		for (i = 1; i < r.w.n && r.w.d[i].dir == 1; i++) {
			uint8_t copy[400];
			const struct dgram *g = &r.w.d[i];
			CU_ASSERT_FATAL(g->n <= sizeof copy && g->p[0] == 22);
			memcpy(copy, g->p, g->n);
			/* new record sequence numbers; count messages (offset 0) */
			dg_records(copy, g->n, 0, NULL, &retrans, 100);
			CU_ASSERT_EQUAL(dtls_assoc_input(b, 1, copy, g->n, 1000 + i, 0, NULL), SA_OK);
		}
		s = dtls_assoc_summary(b);
		CU_ASSERT(retrans >= 5); /* SH, Certificate, SKE, CertReq, SHD */
		CU_ASSERT_EQUAL(s->hs_retransmissions, retrans);
		CU_ASSERT_EQUAL(s->hs_messages, msgs);
		CU_ASSERT_EQUAL(s->records_duplicate, 0);
		CU_ASSERT_EQUAL(s->n_handshakes, 1);
		dtls_assoc_free(b);
	}
	result_free(&r);
}

static void test_openssl_dtls10_cookie(void)
{
	struct hs_opts o = { DTLS1_VERSION, "SRTP_AES128_CM_SHA1_80:SRTP_AES128_CM_SHA1_32",
			     "SRTP_AES128_CM_SHA1_32", true, 0 };
	struct hs_result r;
	struct dtls_assoc *a = dtls_assoc_new(NULL);
	const struct dtls_summary *s;
	const struct dtls_handshake *h;

	run_handshake(&o, &r);
	CU_ASSERT_EQUAL(r.version, DTLS1_VERSION);
	CU_ASSERT_EQUAL(r.profile, 0x0002);
	CU_ASSERT_EQUAL(feed(a, &r.w, NULL, r.w.n), 0);
	check_facts(a, &r);
	s = dtls_assoc_summary(a);
	h = s->current;
	CU_ASSERT_STRING_EQUAL(dtls_version_name(s->version), "DTLS 1.0");
	CU_ASSERT_STRING_EQUAL(dtls_prf_name(h->version, h->sh.suite), "MD5+SHA-1");
	/* HelloVerifyRequest with our cookie, echoed by the second ClientHello */
	CU_ASSERT_TRUE(h->hvr.seen);
	CU_ASSERT_EQUAL(h->hvr.at.frame, 2);
	CU_ASSERT_EQUAL(h->hvr.cookie_len, sizeof test_cookie);
	CU_ASSERT_EQUAL(memcmp(h->hvr.cookie, test_cookie, sizeof test_cookie), 0);
	CU_ASSERT_EQUAL(h->ch.count, 2);
	CU_ASSERT_EQUAL(h->ch.at.frame, 3);
	CU_ASSERT_EQUAL(h->first_client_hello.frame, 1);
	CU_ASSERT_EQUAL(h->ch.cookie_len, sizeof test_cookie);
	CU_ASSERT_EQUAL(memcmp(h->ch.cookie, test_cookie, sizeof test_cookie), 0);
	CU_ASSERT_EQUAL(h->sh.srtp_profiles.v[0], 0x0002);
	CU_ASSERT_EQUAL(dtls_profile_find(0x0002)->srtp_tag_len, 4);
	CU_ASSERT_EQUAL(dtls_profile_find(0x0002)->srtcp_tag_len, 10);
	CU_ASSERT_EQUAL(s->n_handshakes, 1);
	dtls_assoc_free(a);
	result_free(&r);
}

static void test_openssl_no_use_srtp(void)
{
	struct hs_opts o = { 0, "SRTP_AES128_CM_SHA1_80", NULL, false, 0 };
	struct hs_result r;
	struct dtls_assoc *a = dtls_assoc_new(NULL);
	const struct dtls_handshake *h;

	run_handshake(&o, &r);
	CU_ASSERT_EQUAL(r.profile, 0);
	CU_ASSERT_EQUAL(feed(a, &r.w, NULL, r.w.n), 0);
	check_facts(a, &r);
	h = dtls_assoc_summary(a)->current;
	CU_ASSERT_TRUE(h->ch.has_use_srtp);
	CU_ASSERT_EQUAL(h->ch.srtp_profiles.n, 1);
	CU_ASSERT_FALSE(h->sh.has_use_srtp);
	CU_ASSERT_EQUAL(h->sh.srtp_profiles.n, 0);
	dtls_assoc_free(a);
	result_free(&r);
}

/* Two real handshakes on one 5-tuple (a restart mid-call): the second
 * ClientHello has a new random after a ServerHello, so a second handshake
 * is recorded; past DTLS_MAX_HANDSHAKES the last slot is reused. */
static void test_new_handshake(void)
{
	struct hs_opts o = { 0, "SRTP_AES128_CM_SHA1_80", "SRTP_AES128_CM_SHA1_80", false, 0 };
	struct hs_result r1, r2;
	struct dtls_assoc *a = dtls_assoc_new(NULL);
	const struct dtls_summary *s = dtls_assoc_summary(a);
	const struct dtls_event *e;
	size_t k, news = 0;

	run_handshake(&o, &r1);
	run_handshake(&o, &r2);
	CU_ASSERT_NOT_EQUAL(memcmp(r1.client_random, r2.client_random, 32), 0);
	CU_ASSERT_EQUAL(feed(a, &r1.w, NULL, r1.w.n), 0);
	CU_ASSERT_EQUAL(feed(a, &r2.w, NULL, r2.w.n), 0);
	CU_ASSERT_EQUAL(s->n_handshakes, 2);
	CU_ASSERT_EQUAL(s->handshakes, 2);
	CU_ASSERT_PTR_EQUAL(s->current, &s->hs[1]);
	CU_ASSERT_EQUAL(memcmp(s->hs[0].ch.random, r1.client_random, 32), 0);
	CU_ASSERT_EQUAL(memcmp(s->hs[1].ch.random, r2.client_random, 32), 0);
	CU_ASSERT_EQUAL(memcmp(s->hs[1].sh.random, r2.server_random, 32), 0);
	CU_ASSERT_TRUE(s->hs[0].complete);
	CU_ASSERT_TRUE(s->hs[1].complete);
	CU_ASSERT_EQUAL(s->hs_retransmissions, 0);
	/* the first handshake's certificate is still readable */
	CU_ASSERT_EQUAL(memcmp(s->hs[0].cert[1].certs[0].der, r1.server_der,
			       r1.server_der_len), 0);
	CU_ASSERT_EQUAL(memcmp(s->hs[1].cert[1].certs[0].der, r2.server_der,
			       r2.server_der_len), 0);
	for (k = 0; (e = dtls_assoc_event(a, k)) != NULL; k++)
		if (e->kind == DTLS_EV_NEW_HANDSHAKE) {
			news++;
			CU_ASSERT_EQUAL(e->at.frame, 1); /* r2's ClientHello */
			CU_ASSERT_EQUAL(e->handshake, 1);
		}
	CU_ASSERT_EQUAL(news, 1);
	/* three more restarts: 5 started, 4 kept */
	CU_ASSERT_EQUAL(feed(a, &r1.w, NULL, r1.w.n), 0);
	CU_ASSERT_EQUAL(feed(a, &r2.w, NULL, r2.w.n), 0);
	CU_ASSERT_EQUAL(feed(a, &r1.w, NULL, r1.w.n), 0);
	CU_ASSERT_EQUAL(s->handshakes, 5);
	CU_ASSERT_EQUAL(s->n_handshakes, DTLS_MAX_HANDSHAKES);
	CU_ASSERT_EQUAL(memcmp(s->current->ch.random, r1.client_random, 32), 0);
	CU_ASSERT_TRUE(s->current->complete);
	dtls_assoc_free(a);
	result_free(&r1);
	result_free(&r2);
}

/* Every truncation and every single-byte corruption of a real handshake:
 * the parser never reads out of bounds (run under the sanitizers) and
 * always answers one of its statuses. */
static void test_mutations(void)
{
	struct hs_opts o = { 0, "SRTP_AES128_CM_SHA1_80:SRTP_AEAD_AES_128_GCM",
			     "SRTP_AES128_CM_SHA1_80", false, 300 };
	struct hs_result r;
	size_t i, j, L, bad = 0, runs = 0;

	run_handshake(&o, &r);
	for (i = 0; i < r.w.n; i++) {
		struct dgram *g = &r.w.d[i];
		uint8_t *copy = malloc(g->n);
		for (L = 0; L < g->n; L++) {
			struct dtls_assoc *a = dtls_assoc_new(NULL);
			enum sa_status st = dtls_assoc_input(a, g->dir, g->p, L, 1, 0, NULL);
			(void)demux_looks_like_dtls(g->p, L);
			(void)demux_classify(g->p, L, NULL);
			/* a cut datagram is fine only at a record boundary */
			size_t at = 0;
			while (at + 13 <= L &&
			       at + 13 + (size_t)(g->p[at + 11] << 8 | g->p[at + 12]) <= L)
				at += 13 + (size_t)(g->p[at + 11] << 8 | g->p[at + 12]);
			if ((st == SA_OK) != (at == L))
				bad++;
			dtls_assoc_free(a);
		}
		for (j = 0; j < g->n; j++) {
			struct dtls_assoc *a = dtls_assoc_new(NULL);
			uint8_t *keep = g->p;
			enum sa_status st;
			memcpy(copy, g->p, g->n);
			copy[j] ^= (uint8_t)(0x5A + j);
			g->p = copy;
			feed(a, &r.w, NULL, r.w.n);
			st = dtls_assoc_input(a, g->dir, copy, g->n, 99, 0, NULL);
			CU_ASSERT(st >= SA_OK && st <= SA_IO);
			CU_ASSERT(dtls_assoc_summary(a)->n_handshakes <= DTLS_MAX_HANDSHAKES);
			g->p = keep;
			dtls_assoc_free(a);
			runs++;
		}
		free(copy);
	}
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT(runs > 1000);
	result_free(&r);
}

static const CU_TestInfo tests[] = {
	{ "openssl_dtls12", test_openssl_dtls12 },
	{ "openssl_dtls10_cookie", test_openssl_dtls10_cookie },
	{ "openssl_no_use_srtp", test_openssl_no_use_srtp },
	{ "new_handshake", test_new_handshake },
	{ "mutations", test_mutations },
	CU_TEST_INFO_NULL,
};

#define SUITE_NAME "dtls"
#include "cu_main.h"
