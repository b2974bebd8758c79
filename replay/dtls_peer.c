/* dtls_peer.c - OpenSSL DTLS-SRTP endpoint over an in-memory datagram
 * queue (see dtls_peer.h). */
#include "dtls_peer.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

struct dgram {
	size_t n;
	uint8_t *b;
};

struct dqueue {
	struct dgram q[DTLS_PEER_MAX_QUEUE];
	unsigned head, count;
};

struct dtls_peer {
	struct dtls_peer_config cfg;
	SSL_CTX *ctx;
	SSL *ssl;
	EVP_PKEY *key;
	X509 *cert;
	uint8_t *der;
	size_t der_len;
	struct dqueue in, out;
	uint8_t cookie[16];
	bool done, failed;
	int alert_sent;
};

static BIO_METHOD *dq_method;

/* ---- the datagram queue ---- */

static bool dq_push(struct dqueue *q, const uint8_t *d, size_t n)
{
	uint8_t *b;
	if (q->count == DTLS_PEER_MAX_QUEUE || n > DTLS_PEER_MAX_DGRAM)
		return false;
	b = malloc(n ? n : 1);
	if (!b)
		return false;
	memcpy(b, d, n);
	q->q[(q->head + q->count) % DTLS_PEER_MAX_QUEUE] =
		(struct dgram){ n, b };
	q->count++;
	/* b is owned by the queue now (freed by dq_pop's caller or dq_clear). */
	// cppcheck-suppress memleak
	return true;
}

static bool dq_pop(struct dqueue *q, struct dgram *out)
{
	if (!q->count)
		return false;
	*out = q->q[q->head];
	q->head = (q->head + 1) % DTLS_PEER_MAX_QUEUE;
	q->count--;
	return true;
}

static void dq_clear(struct dqueue *q)
{
	struct dgram g;
	while (dq_pop(q, &g))
		free(g.b);
}

/* ---- a BIO that keeps datagram boundaries ---- */

static int dq_bio_write(BIO *b, const char *data, int len)
{
	struct dtls_peer *p = BIO_get_data(b);
	if (len < 0 || !dq_push(&p->out, (const uint8_t *)data, (size_t)len))
		return -1;
	return len;
}

static int dq_bio_read(BIO *b, char *data, int len)
{
	struct dtls_peer *p = BIO_get_data(b);
	struct dgram g;
	size_t n;
	BIO_clear_retry_flags(b);
	if (!dq_pop(&p->in, &g)) {
		BIO_set_retry_read(b);
		return -1;
	}
	n = g.n < (size_t)len ? g.n : (size_t)len; /* datagram semantics */
	memcpy(data, g.b, n);
	free(g.b);
	return (int)n;
}

static long dq_bio_ctrl(BIO *b, int cmd, long num, void *ptr)
{
	struct dtls_peer *p = BIO_get_data(b);
	switch (cmd) {
	case BIO_CTRL_FLUSH:
		return 1;
	case BIO_CTRL_PENDING:
		return p->in.count ? (long)p->in.q[p->in.head].n : 0;
	case BIO_CTRL_WPENDING:
		return 0;
	case BIO_CTRL_DGRAM_GET_MTU_OVERHEAD:
		return 28; /* IPv4 + UDP */
	case BIO_CTRL_DGRAM_QUERY_MTU:
	case BIO_CTRL_DGRAM_GET_FALLBACK_MTU:
		return p->cfg.mtu ? (long)p->cfg.mtu : 1200;
	default:
		return 0;
	}
}

static int dq_bio_create(BIO *b)
{
	BIO_set_init(b, 1);
	return 1;
}

static BIO_METHOD *dq_bio_method(void)
{
	if (dq_method)
		return dq_method;
	dq_method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK,
				 "srtpaudit datagram queue");
	if (!dq_method)
		return NULL;
	BIO_meth_set_write(dq_method, dq_bio_write);
	BIO_meth_set_read(dq_method, dq_bio_read);
	BIO_meth_set_ctrl(dq_method, dq_bio_ctrl);
	BIO_meth_set_create(dq_method, dq_bio_create);
	return dq_method;
}

/* ---- OpenSSL callbacks ---- */

static void keylog_cb(const SSL *ssl, const char *line)
{
	struct dtls_peer *p = SSL_get_app_data(ssl);
	if (p && p->cfg.keylog)
		p->cfg.keylog(p->cfg.keylog_arg, line);
}

/* Self-signed certificates are the norm; identity comes from the SDP
 * fingerprint (RFC 8122 §6.2), which the caller compares itself. */
static int verify_cb(int ok, X509_STORE_CTX *xs)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(
		xs, SSL_get_ex_data_X509_STORE_CTX_idx());
	struct dtls_peer *p = ssl ? SSL_get_app_data(ssl) : NULL;
	(void)ok;
	if (p && p->cfg.reject_peer_cert) {
		X509_STORE_CTX_set_error(xs, X509_V_ERR_CERT_REJECTED);
		return 0;
	}
	return 1;
}

static int cookie_gen_cb(SSL *ssl, unsigned char *cookie, unsigned int *len)
{
	struct dtls_peer *p = SSL_get_app_data(ssl);
	memcpy(cookie, p->cookie, sizeof p->cookie);
	*len = sizeof p->cookie;
	return 1;
}

static int cookie_verify_cb(SSL *ssl, const unsigned char *cookie,
			    unsigned int len)
{
	struct dtls_peer *p = SSL_get_app_data(ssl);
	return len == sizeof p->cookie &&
	       memcmp(cookie, p->cookie, sizeof p->cookie) == 0;
}

static void info_cb(const SSL *ssl, int where, int ret)
{
	struct dtls_peer *p = SSL_get_app_data(ssl);
	if (p && (where & SSL_CB_ALERT) && (where & SSL_CB_WRITE))
		p->alert_sent = ret & 0xff;
}

static unsigned int timer_cb(SSL *ssl, unsigned int timer_us)
{
	struct dtls_peer *p = SSL_get_app_data(ssl);
	unsigned first = p->cfg.retransmit_us ? p->cfg.retransmit_us : 1000000;
	if (timer_us == 0)
		return first;
	return timer_us >= 30000000u ? 60000000u : timer_us * 2;
}

/* ---- certificate ---- */

static bool make_cert(struct dtls_peer *p)
{
	X509_NAME *name;
	uint8_t serial[8];
	uint64_t sv = 0;
	unsigned char *d = NULL;
	int n;
	int64_t base = p->cfg.valid_from ? p->cfg.valid_from
					 : (int64_t)time(NULL) - 60;
	int64_t nb = base, na = base + 86400; /* 24 hours, RFC 5763 §5 */

	if (p->cfg.cert_from) {
		const struct dtls_peer *o = p->cfg.cert_from;
		if (EVP_PKEY_up_ref(o->key) != 1)
			return false;
		p->key = o->key;
		if (X509_up_ref(o->cert) != 1)
			return false;
		p->cert = o->cert;
		n = i2d_X509(p->cert, &d);
		if (n <= 0)
			return false;
		p->der = d;
		p->der_len = (size_t)n;
		return true;
	}
	if (p->cfg.cert_kind == DTLS_PEER_CERT_RSA2048)
		p->key = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	else if (p->cfg.cert_kind == DTLS_PEER_CERT_RSA1024)
		p->key = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)1024);
	else
		p->key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	p->cert = X509_new();
	if (!p->key || !p->cert || RAND_bytes(serial, sizeof serial) != 1)
		return false;
	for (unsigned i = 0; i < sizeof serial; i++)
		sv = sv << 8 | serial[i];
	if (p->cfg.cert_expired) {
		nb = base - 2 * 86400;
		na = base - 86400;
	}
	name = X509_get_subject_name(p->cert);
	if (X509_set_version(p->cert, 2) != 1 ||
	    ASN1_INTEGER_set_uint64(X509_get_serialNumber(p->cert),
				    sv >> 1) != 1 ||
	    !ASN1_TIME_set(X509_getm_notBefore(p->cert), (time_t)nb) ||
	    !ASN1_TIME_set(X509_getm_notAfter(p->cert), (time_t)na) ||
	    X509_NAME_add_entry_by_txt(
		    name, "CN", MBSTRING_ASC,
		    (const unsigned char *)(p->cfg.cn ? p->cfg.cn : "srtpaudit"),
		    -1, -1, 0) != 1 ||
	    X509_set_issuer_name(p->cert, name) != 1 ||
	    X509_set_pubkey(p->cert, p->key) != 1 ||
	    X509_sign(p->cert, p->key, EVP_sha256()) <= 0)
		return false;
	n = i2d_X509(p->cert, &d);
	if (n <= 0)
		return false;
	p->der = d;
	p->der_len = (size_t)n;
	return true;
}

/* ---- public API ---- */

struct dtls_peer *dtls_peer_new(const struct dtls_peer_config *cfg)
{
	struct dtls_peer *p = calloc(1, sizeof *p);
	BIO *bio = NULL;
	int ver;

	if (!p)
		return NULL;
	p->cfg = *cfg;
	p->alert_sent = -1;
	if (!p->cfg.mtu)
		p->cfg.mtu = 1200;
	if (!dq_bio_method() || !make_cert(p) ||
	    RAND_bytes(p->cookie, sizeof p->cookie) != 1)
		goto fail;
	p->ctx = SSL_CTX_new(DTLS_method());
	if (!p->ctx)
		goto fail;
	ver = cfg->version == DTLS_PEER_V10 ? DTLS1_VERSION : DTLS1_2_VERSION;
	if (cfg->version == DTLS_PEER_V10 ||
	    cfg->cert_kind == DTLS_PEER_CERT_RSA1024) {
		/* DTLS 1.0 is below OpenSSL 3's default security level. */
		SSL_CTX_set_security_level(p->ctx, 0);
		if (SSL_CTX_set_cipher_list(p->ctx, "DEFAULT:@SECLEVEL=0") != 1)
			goto fail;
	}
	if (cfg->cipher_list &&
	    SSL_CTX_set_cipher_list(p->ctx, cfg->cipher_list) != 1)
		goto fail;
	if (SSL_CTX_set_min_proto_version(p->ctx, ver) != 1 ||
	    SSL_CTX_set_max_proto_version(p->ctx, ver) != 1)
		goto fail;
	if (!cfg->no_cert &&
	    (SSL_CTX_use_certificate(p->ctx, p->cert) != 1 ||
	     SSL_CTX_use_PrivateKey(p->ctx, p->key) != 1))
		goto fail;
	if (cfg->no_ems)
		SSL_CTX_set_options(p->ctx, SSL_OP_NO_EXTENDED_MASTER_SECRET);
	SSL_CTX_set_dh_auto(p->ctx, 1); /* for DHE and anonymous DH suites */
	/* RFC 5764 §4.1.1: the list of acceptable profiles. OpenSSL's
	 * SSL_CTX_set_tlsext_use_srtp returns 0 on success. */
	if (cfg->srtp_profiles && cfg->srtp_profiles[0] &&
	    SSL_CTX_set_tlsext_use_srtp(p->ctx, cfg->srtp_profiles) != 0)
		goto fail;
	/* RFC 8122 §6.2: the server requests the client's certificate. */
	SSL_CTX_set_verify(p->ctx,
			   cfg->no_cert_request ? SSL_VERIFY_NONE
			   : cfg->allow_no_peer_cert
				   ? SSL_VERIFY_PEER
				   : SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
			   verify_cb);
	SSL_CTX_set_keylog_callback(p->ctx, keylog_cb);
	SSL_CTX_set_cookie_generate_cb(p->ctx, cookie_gen_cb);
	SSL_CTX_set_cookie_verify_cb(p->ctx, cookie_verify_cb);
	SSL_CTX_set_info_callback(p->ctx, info_cb);
	p->ssl = SSL_new(p->ctx);
	if (!p->ssl)
		goto fail;
	SSL_set_app_data(p->ssl, p);
	bio = BIO_new(dq_method);
	if (!bio)
		goto fail;
	BIO_set_data(bio, p);
	SSL_set_bio(p->ssl, bio, bio); /* one reference for both */
	SSL_set_options(p->ssl, SSL_OP_NO_QUERY_MTU);
	if (cfg->cookie_exchange && cfg->role == DTLS_PEER_SERVER)
		SSL_set_options(p->ssl, SSL_OP_COOKIE_EXCHANGE);
	SSL_set_mtu(p->ssl, (long)p->cfg.mtu);
	DTLS_set_timer_cb(p->ssl, timer_cb);
	if (cfg->role == DTLS_PEER_CLIENT)
		SSL_set_connect_state(p->ssl);
	else
		SSL_set_accept_state(p->ssl);
	return p;
fail:
	dtls_peer_free(p);
	return NULL;
}

void dtls_peer_free(struct dtls_peer *p)
{
	if (!p)
		return;
	SSL_free(p->ssl);
	SSL_CTX_free(p->ctx);
	X509_free(p->cert);
	EVP_PKEY_free(p->key);
	OPENSSL_free(p->der);
	dq_clear(&p->in);
	dq_clear(&p->out);
	free(p);
}

enum sa_status dtls_peer_step(struct dtls_peer *p)
{
	int r, e;
	if (p->failed)
		return SA_MALFORMED;
	if (p->done) {
		/* Drain late records (e.g. retransmitted flights). */
		uint8_t tmp[DTLS_PEER_MAX_DGRAM];
		while (p->in.count && SSL_read(p->ssl, tmp, sizeof tmp) > 0)
			;
		ERR_clear_error();
		return SA_OK;
	}
	r = SSL_do_handshake(p->ssl);
	if (r == 1) {
		p->done = true;
		return SA_OK;
	}
	e = SSL_get_error(p->ssl, r);
	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
		ERR_clear_error();
		return SA_OK;
	}
	ERR_clear_error();
	p->failed = true;
	return SA_MALFORMED;
}

bool dtls_peer_done(const struct dtls_peer *p)
{
	return p->done;
}

bool dtls_peer_failed(const struct dtls_peer *p)
{
	return p->failed;
}

enum sa_status dtls_peer_close(struct dtls_peer *p)
{
	if (!p->done || p->failed)
		return SA_UNSUPPORTED;
	/* RFC 5246 §7.2.1: close_notify, under the current (epoch 1) keys. */
	if (SSL_shutdown(p->ssl) < 0) {
		ERR_clear_error();
		return SA_IO;
	}
	return SA_OK;
}

enum sa_status dtls_peer_timeout(struct dtls_peer *p, bool *fired)
{
	int r;
	*fired = false;
	if (p->failed)
		return SA_MALFORMED;
	r = DTLSv1_handle_timeout(p->ssl);
	if (r < 0) {
		ERR_clear_error();
		p->failed = true;
		return SA_MALFORMED;
	}
	*fired = r > 0;
	return SA_OK;
}

long dtls_peer_timer_us(struct dtls_peer *p)
{
	struct timeval tv;
	if (!DTLSv1_get_timeout(p->ssl, &tv))
		return -1;
	return (long)tv.tv_sec * 1000000L + (long)tv.tv_usec;
}

enum sa_status dtls_peer_input(struct dtls_peer *p, const uint8_t *d,
			       size_t n)
{
	return dq_push(&p->in, d, n) ? SA_OK : SA_NOMEM;
}

bool dtls_peer_output(struct dtls_peer *p, uint8_t *buf, size_t cap,
		      size_t *n)
{
	struct dgram g;
	if (!dq_pop(&p->out, &g))
		return false;
	if (g.n > cap) {
		*n = 0;
	} else {
		memcpy(buf, g.b, g.n);
		*n = g.n;
	}
	free(g.b);
	return true;
}

static const EVP_MD *hash_by_name(const char *hash)
{
	static const struct {
		const char *name;
		const char *evp;
	} map[] = { { "md5", "MD5" }, { "sha-1", "SHA1" },     { "sha-224", "SHA224" },
		    { "sha-256", "SHA256" }, { "sha-384", "SHA384" },
		    { "sha-512", "SHA512" } };
	for (unsigned i = 0; hash && i < sizeof map / sizeof map[0]; i++)
		if (strcasecmp(hash, map[i].name) == 0)
			return EVP_get_digestbyname(map[i].evp);
	return NULL;
}

enum sa_status dtls_peer_fingerprint(const struct dtls_peer *p,
				     const char *hash, uint8_t *out,
				     size_t cap, size_t *n)
{
	const EVP_MD *md = hash_by_name(hash);
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int dl = 0;
	if (!md)
		return SA_UNSUPPORTED;
	if (X509_digest(p->cert, md, d, &dl) != 1)
		return SA_UNSUPPORTED;
	if (dl > cap)
		return SA_NOMEM;
	memcpy(out, d, dl);
	*n = dl;
	return SA_OK;
}

enum sa_status dtls_peer_fingerprint_text(const struct dtls_peer *p,
					  const char *hash, char *buf,
					  size_t cap)
{
	static const char hx[] = "0123456789ABCDEF";
	uint8_t d[DTLS_PEER_MAX_FP];
	size_t n = 0;
	enum sa_status st = dtls_peer_fingerprint(p, hash, d, sizeof d, &n);
	if (st != SA_OK)
		return st;
	if (cap < 3 * n || n == 0)
		return SA_NOMEM;
	for (size_t i = 0; i < n; i++) {
		buf[3 * i] = hx[d[i] >> 4];
		buf[3 * i + 1] = hx[d[i] & 15];
		buf[3 * i + 2] = i + 1 < n ? ':' : '\0';
	}
	return SA_OK;
}

const uint8_t *dtls_peer_cert_der(const struct dtls_peer *p, size_t *n)
{
	*n = p->der_len;
	return p->der;
}

uint16_t dtls_peer_profile(const struct dtls_peer *p, const char **name)
{
	SRTP_PROTECTION_PROFILE *pr = SSL_get_selected_srtp_profile(p->ssl);
	if (name)
		*name = pr ? pr->name : NULL;
	return pr ? (uint16_t)pr->id : 0;
}

enum sa_status dtls_peer_export(const struct dtls_peer *p, uint8_t *out,
				size_t n)
{
	static const char label[] = "EXTRACTOR-dtls_srtp";
	if (!p->done)
		return SA_UNSUPPORTED;
	/* RFC 5764 §4.2: no per-association context. */
	if (SSL_export_keying_material(p->ssl, out, n, label,
				       sizeof label - 1, NULL, 0, 0) != 1) {
		ERR_clear_error();
		return SA_UNSUPPORTED;
	}
	return SA_OK;
}

enum sa_status dtls_peer_client_random(const struct dtls_peer *p,
				       uint8_t out[32])
{
	return SSL_get_client_random(p->ssl, out, 32) == 32 ? SA_OK
							    : SA_UNSUPPORTED;
}

int dtls_peer_alert_sent(const struct dtls_peer *p)
{
	return p->alert_sent;
}
