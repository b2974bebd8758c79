/* test_exporter.c - CUnit suite for exporter.h (with keylog.h).
 *
 * The main proof: a real OpenSSL DTLS handshake between two SSL objects over
 * memory BIOs, the key log line captured by OpenSSL's keylog callback,
 * parsed by keylog.c, run through our exporter with the randoms of the
 * handshake, and compared with SSL_export_keying_material() for every
 * profile, DTLS 1.0 and 1.2, with and without extended master secret, and a
 * SHA-384 cipher suite.  Then two known answers from real captures
 * (../shared/captures/MANIFEST.md).
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/srtp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "exporter.h"
#include "keylog.h"
#include "text.h"

static char keylog_line[512];

static void keylog_cb(const SSL *ssl, const char *line)
{
	(void)ssl;
	if (strncmp(line, "CLIENT_RANDOM ", 14) == 0)
		snprintf(keylog_line, sizeof keylog_line, "%s\n", line);
}

static EVP_PKEY *pkey;
static X509 *cert;

static void make_cert(void)
{
	X509_NAME *name;
	if (cert)
		return;
	pkey = EVP_EC_gen("P-256");
	cert = X509_new();
	X509_set_version(cert, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
	X509_gmtime_adj(X509_getm_notBefore(cert), 0);
	X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
	X509_set_pubkey(cert, pkey);
	name = X509_get_subject_name(cert);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"srtpaudit-test", -1, -1, 0);
	X509_set_issuer_name(cert, name);
	X509_sign(cert, pkey, EVP_sha256());
}

static SSL_CTX *make_ctx(bool server, int version, const char *cipher, const char *profiles,
			 bool no_ems)
{
	SSL_CTX *ctx = SSL_CTX_new(DTLS_method());
	SSL_CTX_set_min_proto_version(ctx, version);
	SSL_CTX_set_max_proto_version(ctx, version);
	SSL_CTX_set_cipher_list(ctx, cipher);
	SSL_CTX_set_security_level(ctx, 0);
	if (SSL_CTX_set_tlsext_use_srtp(ctx, profiles) != 0)
		CU_FAIL("use_srtp");
	if (no_ems)
		SSL_CTX_set_options(ctx, SSL_OP_NO_EXTENDED_MASTER_SECRET);
	SSL_CTX_set_options(ctx, SSL_OP_NO_QUERY_MTU);
	if (server) {
		SSL_CTX_use_certificate(ctx, cert);
		SSL_CTX_use_PrivateKey(ctx, pkey);
	} else {
		SSL_CTX_set_keylog_callback(ctx, keylog_cb);
	}
	return ctx;
}

static void shuttle(BIO *from, BIO *to)
{
	char buf[16384];
	int n;
	while ((n = BIO_read(from, buf, sizeof buf)) > 0)
		BIO_write(to, buf, n);
}

struct hs {
	SSL_CTX *cctx, *sctx;
	SSL *c, *s;
};

/* handshake - a complete DTLS handshake in memory; true when both finished. */
static bool handshake(struct hs *h, int version, const char *cipher, const char *profile,
		      bool no_ems)
{
	BIO *c_in, *c_out, *s_in, *s_out;
	int i, rc = 0, rs = 0;
	make_cert();
	keylog_line[0] = '\0';
	h->cctx = make_ctx(false, version, cipher, profile, no_ems);
	h->sctx = make_ctx(true, version, cipher, profile, no_ems);
	h->c = SSL_new(h->cctx);
	h->s = SSL_new(h->sctx);
	c_in = BIO_new(BIO_s_mem());
	c_out = BIO_new(BIO_s_mem());
	s_in = BIO_new(BIO_s_mem());
	s_out = BIO_new(BIO_s_mem());
	BIO_set_mem_eof_return(c_in, -1);
	BIO_set_mem_eof_return(s_in, -1);
	SSL_set_bio(h->c, c_in, c_out);
	SSL_set_bio(h->s, s_in, s_out);
	SSL_set_mtu(h->c, 1400);
	SSL_set_mtu(h->s, 1400);
	SSL_set_connect_state(h->c);
	SSL_set_accept_state(h->s);
	for (i = 0; i < 50 && !(rc == 1 && rs == 1); i++) {
		if (rc != 1)
			rc = SSL_do_handshake(h->c);
		shuttle(c_out, s_in);
		if (rs != 1)
			rs = SSL_do_handshake(h->s);
		shuttle(s_out, c_in);
	}
	if (!(rc == 1 && rs == 1))
		ERR_print_errors_fp(stderr);
	return rc == 1 && rs == 1;
}

static void hs_free(struct hs *h)
{
	SSL_free(h->c);
	SSL_free(h->s);
	SSL_CTX_free(h->cctx);
	SSL_CTX_free(h->sctx);
}

/* check_one - handshake, then our derivation from the key log line must
 * equal OpenSSL's exporter output, byte for byte. */
static void check_one(int version, const char *cipher, const char *profile_name,
		      uint16_t profile_id, size_t material_len, bool no_ems,
		      enum exporter_prf want_prf)
{
	struct hs h;
	struct keylog *kl = keylog_new();
	uint8_t cr[32], sr[32], ossl[EXPORTER_MAX_MATERIAL];
	const uint8_t *ms;
	struct dtls_srtp_keys keys;
	enum exporter_prf prf;
	const SRTP_PROTECTION_PROFILE *sel;
	size_t k, s;

	CU_ASSERT_FATAL(handshake(&h, version, cipher, profile_name, no_ems));
	sel = SSL_get_selected_srtp_profile(h.c);
	CU_ASSERT_FATAL(sel != NULL);
	CU_ASSERT_EQUAL(sel->id, profile_id);
	CU_ASSERT_EQUAL(SSL_get_extms_support(h.c), no_ems ? 0 : 1);
	CU_ASSERT_EQUAL(SSL_version(h.c), version);

	/* Key log line -> master secret through keylog.c. */
	CU_ASSERT_FATAL(keylog_line[0] != '\0');
	CU_ASSERT_EQUAL(keylog_add_text(kl, keylog_line, strlen(keylog_line), "cb", NULL), SA_OK);
	CU_ASSERT_EQUAL(keylog_count(kl), 1);
	CU_ASSERT_EQUAL(SSL_get_client_random(h.c, cr, 32), 32);
	CU_ASSERT_EQUAL(SSL_get_server_random(h.c, sr, 32), 32);
	CU_ASSERT_FATAL(keylog_find(kl, cr, &ms));

	CU_ASSERT_EQUAL(exporter_prf_select((uint16_t)version,
					    SSL_CIPHER_get_protocol_id(SSL_get_current_cipher(h.c)),
					    &prf), SA_OK);
	CU_ASSERT_EQUAL(prf, want_prf);
	CU_ASSERT_EQUAL(exporter_dtls_srtp(prf, ms, cr, sr, profile_id, &keys), SA_OK);

	CU_ASSERT_EQUAL(SSL_export_keying_material(h.c, ossl, material_len, EXPORTER_LABEL,
						   strlen(EXPORTER_LABEL), NULL, 0, 0), 1);
	k = keys.key_len;
	s = keys.salt_len;
	CU_ASSERT_EQUAL(2 * (k + s), material_len);
	CU_ASSERT(memcmp(keys.client_key, ossl, k) == 0);
	CU_ASSERT(memcmp(keys.server_key, ossl + k, k) == 0);
	CU_ASSERT(memcmp(keys.client_salt, ossl + 2 * k, s) == 0);
	CU_ASSERT(memcmp(keys.server_salt, ossl + 2 * k + s, s) == 0);

	/* The wrong PRF must not give the same bytes (the test can fail). */
	{
		struct dtls_srtp_keys other;
		enum exporter_prf wrong = prf == EXPORTER_PRF_SHA256 ? EXPORTER_PRF_SHA384
								   : EXPORTER_PRF_SHA256;
		CU_ASSERT_EQUAL(exporter_dtls_srtp(wrong, ms, cr, sr, profile_id, &other), SA_OK);
		CU_ASSERT(memcmp(other.client_key, keys.client_key, k) != 0);
	}
	keylog_free(kl);
	hs_free(&h);
}

#define ECDSA_12 "ECDHE-ECDSA-AES128-GCM-SHA256"
#define ECDSA_10 "ECDHE-ECDSA-AES128-SHA"

static void test_dtls12_profiles_ems(void)
{
	check_one(DTLS1_2_VERSION, ECDSA_12, "SRTP_AES128_CM_SHA1_80", 0x0001, 60, false, EXPORTER_PRF_SHA256);
	check_one(DTLS1_2_VERSION, ECDSA_12, "SRTP_AES128_CM_SHA1_32", 0x0002, 60, false, EXPORTER_PRF_SHA256);
	check_one(DTLS1_2_VERSION, ECDSA_12, "SRTP_AEAD_AES_128_GCM", 0x0007, 56, false, EXPORTER_PRF_SHA256);
	check_one(DTLS1_2_VERSION, ECDSA_12, "SRTP_AEAD_AES_256_GCM", 0x0008, 88, false, EXPORTER_PRF_SHA256);
}

static void test_dtls12_profiles_no_ems(void)
{
	check_one(DTLS1_2_VERSION, ECDSA_12, "SRTP_AES128_CM_SHA1_80", 0x0001, 60, true, EXPORTER_PRF_SHA256);
	check_one(DTLS1_2_VERSION, ECDSA_12, "SRTP_AES128_CM_SHA1_32", 0x0002, 60, true, EXPORTER_PRF_SHA256);
	check_one(DTLS1_2_VERSION, ECDSA_12, "SRTP_AEAD_AES_128_GCM", 0x0007, 56, true, EXPORTER_PRF_SHA256);
	check_one(DTLS1_2_VERSION, ECDSA_12, "SRTP_AEAD_AES_256_GCM", 0x0008, 88, true, EXPORTER_PRF_SHA256);
}

static void test_dtls10(void)
{
	check_one(DTLS1_VERSION, ECDSA_10, "SRTP_AES128_CM_SHA1_80", 0x0001, 60, false, EXPORTER_PRF_MD5_SHA1);
	check_one(DTLS1_VERSION, ECDSA_10, "SRTP_AES128_CM_SHA1_32", 0x0002, 60, true, EXPORTER_PRF_MD5_SHA1);
	check_one(DTLS1_VERSION, ECDSA_10, "SRTP_AEAD_AES_128_GCM", 0x0007, 56, false, EXPORTER_PRF_MD5_SHA1);
	check_one(DTLS1_VERSION, ECDSA_10, "SRTP_AEAD_AES_256_GCM", 0x0008, 88, true, EXPORTER_PRF_MD5_SHA1);
}

static void test_sha384_suite(void)
{
	check_one(DTLS1_2_VERSION, "ECDHE-ECDSA-AES256-GCM-SHA384", "SRTP_AES128_CM_SHA1_80",
		  0x0001, 60, false, EXPORTER_PRF_SHA384);
	check_one(DTLS1_2_VERSION, "ECDHE-ECDSA-AES256-SHA384", "SRTP_AEAD_AES_256_GCM",
		  0x0008, 88, true, EXPORTER_PRF_SHA384);
}

/* Our SHA-384 suite table agrees with OpenSSL for every TLS 1.2 suite
 * OpenSSL knows. */
static void test_sha384_table_vs_openssl(void)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_method());
	SSL *ssl;
	STACK_OF(SSL_CIPHER) *sk;
	int i, checked = 0, sha384 = 0;
	SSL_CTX_set_security_level(ctx, 0);
	CU_ASSERT_FATAL(SSL_CTX_set_cipher_list(ctx, "ALL:COMPLEMENTOFALL") == 1);
	ssl = SSL_new(ctx);
	sk = SSL_get_ciphers(ssl);
	for (i = 0; i < sk_SSL_CIPHER_num(sk); i++) {
		const SSL_CIPHER *c = sk_SSL_CIPHER_value(sk, i);
		const EVP_MD *md = SSL_CIPHER_get_handshake_digest(c);
		bool want;
		if (!md || strcmp(SSL_CIPHER_get_version(c), "TLSv1.3") == 0)
			continue;
		/* Pre-1.2 suites use the default (SHA-256) PRF in TLS 1.2. */
		want = EVP_MD_get_type(md) == NID_sha384;
		CU_ASSERT_EQUAL(exporter_suite_is_sha384(SSL_CIPHER_get_protocol_id(c)), want);
		if (exporter_suite_is_sha384(SSL_CIPHER_get_protocol_id(c)) != want)
			fprintf(stderr, "suite %s mismatch\n", SSL_CIPHER_get_name(c));
		checked++;
		sha384 += want;
	}
	CU_ASSERT(checked > 50);
	CU_ASSERT(sha384 > 10);
	SSL_free(ssl);
	SSL_CTX_free(ctx);
}

static void hex(const char *h, uint8_t *out, size_t n)
{
	size_t got = 0;
	CU_ASSERT_FATAL(sv_hex_decode(sv_cstr(h), out, n, &got) && got == n);
}

/* Known answer, DTLS 1.0 (MD5/SHA-1 PRF): wireshark-notes
 * webrtc-freeswitch.pcapng.  Key log line from its capture comments
 * (wireshark-notes_webrtc-freeswitch.keylog.txt), server random from frame 62
 * (tshark dtls.handshake.random), expected keys from MANIFEST.md §(3). */
static void test_known_freeswitch_dtls10(void)
{
	static const char log[] =
		"# comment line\r\n"
		"CLIENT_RANDOM f9dcd4c3bc6672c532d28a154d14207d830b8b169a5dff25f1b87214467c6c5e "
		"ae6ebc02d220cda23f15eb8ce7b4d3215fd5552b8df27283dd67fc903401464ef5e06a57644ea8f04a48e47d1d151f0e\r\n"
		"CLIENT_RANDOM 9be49c50e2f95dea155837afc0591886dcc95ec6522f88cd8729468bbfffab95 "
		"88bcbc669662d47b02e491364bd66a218660b4c587f6680d656003aab08a3cce3061033e1f51bfdd634dc5331d7abcc3\r\n";
	struct keylog *kl = keylog_new();
	uint8_t cr[32], sr[32], want[16], wsalt[14];
	const uint8_t *ms;
	struct dtls_srtp_keys k;
	enum exporter_prf prf;
	struct sdec_params p;
	CU_ASSERT_EQUAL(keylog_add_text(kl, log, sizeof log - 1, "freeswitch", NULL), SA_OK);
	hex("9be49c50e2f95dea155837afc0591886dcc95ec6522f88cd8729468bbfffab95", cr, 32);
	hex("42640e679f0712796001ef3ac620aaf7b52029484f61e5c803e478b46c51c416", sr, 32);
	CU_ASSERT_FATAL(keylog_find(kl, cr, &ms));
	CU_ASSERT_EQUAL(exporter_prf_select(0xfeff, 0xc013, &prf), SA_OK);
	CU_ASSERT_EQUAL(prf, EXPORTER_PRF_MD5_SHA1);
	CU_ASSERT_EQUAL(exporter_dtls_srtp(prf, ms, cr, sr, 0x0001, &k), SA_OK);
	hex("76f3c0dc707956947e4988a3c6ea5f94", want, 16);
	CU_ASSERT(memcmp(k.client_key, want, 16) == 0);
	hex("ec5e6ee59d0ebf1f06646c268d64", wsalt, 14);
	CU_ASSERT(memcmp(k.client_salt, wsalt, 14) == 0);
	hex("dab6010d0787ffa2a1ee2015bf326bd4", want, 16);
	CU_ASSERT(memcmp(k.server_key, want, 16) == 0);
	hex("e04008290c66e7d5d6935a1567f2", wsalt, 14);
	CU_ASSERT(memcmp(k.server_salt, wsalt, 14) == 0);
	/* Media of the DTLS server (Chromium) uses the server half. */
	CU_ASSERT_EQUAL(exporter_keys_params(&k, false, &p), SA_OK);
	CU_ASSERT_EQUAL(p.suite, SDEC_AES_CM_128_HMAC_SHA1_80);
	CU_ASSERT(memcmp(p.keys[0].salt, wsalt, 14) == 0);
	keylog_free(kl);
}

/* Known answer, DTLS 1.2 with extended master secret (SHA-256 PRF):
 * webrtc-demo native2weblatest.pcapng, its key log
 * (webrtc-demo_native_combined_keys.log) and the SRTP_KEYS line the patched
 * libwebrtc wrote for the same session (role=server: send = server_write,
 * recv = client_write, key||salt). */
static void test_known_webrtc_demo_dtls12_ems(void)
{
	static const char log[] =
		"SRTP_KEYS transport=0 role=server crypto_suite=1 send_key=64891838aa051f53586c2cef2e21124659baaa769036c92b646ff66121ca recv_key=91e46b768ee59741f8386e0657a50917eb1c3d47dee19296d4e0a1e8b1fd\n"
		"CLIENT_RANDOM f0f93edf856e6dcc615a4b01b7b62571a09260e9d9e2450f9fefa468d232bd1f "
		"4d8584fdf8da6a639663d2519c7ff1ef7eadc15198b5e73c970e9ea4d62f0cb0e485f48dc69cc55279498305085fdec7";
	struct keylog *kl = keylog_new();
	struct keylog_stats st;
	uint8_t cr[32], sr[32], send[30], recv[30];
	const uint8_t *ms;
	struct dtls_srtp_keys k;
	enum exporter_prf prf;
	CU_ASSERT_EQUAL(keylog_add_text(kl, log, sizeof log - 1, "demo", NULL), SA_OK);
	keylog_get_stats(kl, &st);
	CU_ASSERT_EQUAL(st.other_labels, 1);
	CU_ASSERT_EQUAL(st.client_random, 1);
	hex("f0f93edf856e6dcc615a4b01b7b62571a09260e9d9e2450f9fefa468d232bd1f", cr, 32);
	hex("69bd2c675eb86992e4d1f8bd3488790a231bd0238815ff4134ea007e69b1dfca", sr, 32);
	CU_ASSERT_FATAL(keylog_find(kl, cr, &ms));
	CU_ASSERT_EQUAL(exporter_prf_select(0xfefd, 0xc02b, &prf), SA_OK);
	CU_ASSERT_EQUAL(prf, EXPORTER_PRF_SHA256);
	CU_ASSERT_EQUAL(exporter_dtls_srtp(prf, ms, cr, sr, 0x0001, &k), SA_OK);
	hex("64891838aa051f53586c2cef2e21124659baaa769036c92b646ff66121ca", send, 30);
	hex("91e46b768ee59741f8386e0657a50917eb1c3d47dee19296d4e0a1e8b1fd", recv, 30);
	CU_ASSERT(memcmp(k.server_key, send, 16) == 0);
	CU_ASSERT(memcmp(k.server_salt, send + 16, 14) == 0);
	CU_ASSERT(memcmp(k.client_key, recv, 16) == 0);
	CU_ASSERT(memcmp(k.client_salt, recv + 16, 14) == 0);
	keylog_free(kl);
}

/* dsrtp_av_material.hex is raw exporter output: the split must give the
 * server_write key||salt MANIFEST.md quotes in base64
 * (awEA5G9hl6MPfCZLzXljxsRcShFam9XaT9oounuc = 6b0100e4 6f6197a3 ...). */
static void test_split_material(void)
{
	uint8_t m[60], want[16];
	struct dtls_srtp_keys k;
	hex("780808778802be8ba54964c553d72cfa6b0100e46f6197a30f7c264bcd7963c6eed8a2c771bc1f6829ece1c5b180c45c4a115a9bd5da4fda28ba7b9c", m, 60);
	CU_ASSERT_EQUAL(exporter_split(m, 60, 0x0001, &k), SA_OK);
	hex("6b0100e46f6197a30f7c264bcd7963c6", want, 16);
	CU_ASSERT(memcmp(k.server_key, want, 16) == 0);
	hex("780808778802be8ba54964c553d72cfa", want, 16);
	CU_ASSERT(memcmp(k.client_key, want, 16) == 0);
	CU_ASSERT_EQUAL(k.server_salt[0], 0xc4);
	CU_ASSERT_EQUAL(k.server_salt[13], 0x9c);
	CU_ASSERT_EQUAL(exporter_split(m, 59, 0x0001, &k), SA_MALFORMED);
	CU_ASSERT_EQUAL(exporter_split(m, 60, 0x0005, &k), SA_UNSUPPORTED);
}

static void test_profiles_and_errors(void)
{
	const struct exporter_profile *p = exporter_profile_find(0x0008);
	enum exporter_prf prf;
	uint8_t ms[48] = { 0 }, r[32] = { 0 }, out[8];
	struct dtls_srtp_keys k;
	CU_ASSERT_FATAL(p != NULL);
	CU_ASSERT_EQUAL(p->key_len, 32);
	CU_ASSERT_EQUAL(p->salt_len, 12);
	CU_ASSERT_EQUAL(p->suite, SDEC_AEAD_AES_256_GCM);
	CU_ASSERT_PTR_NULL(exporter_profile_find(0x0005));
	CU_ASSERT_PTR_NULL(exporter_profile_find(0x0003));
	CU_ASSERT_EQUAL(exporter_prf_select(0xfefc, 0x1301, &prf), SA_UNSUPPORTED);
	CU_ASSERT_EQUAL(exporter_prf_select(0x0303, 0xc02b, &prf), SA_UNSUPPORTED);
	CU_ASSERT_EQUAL(exporter_prf_select(0xfefd, 0xc030, &prf), SA_OK);
	CU_ASSERT_EQUAL(prf, EXPORTER_PRF_SHA384);
	CU_ASSERT_EQUAL(exporter_prf_select(0xfefd, 0xc02f, &prf), SA_OK);
	CU_ASSERT_EQUAL(prf, EXPORTER_PRF_SHA256);
	CU_ASSERT_EQUAL(exporter_derive(EXPORTER_PRF_SHA256, ms, r, r, "x", 1, out, 0), SA_MALFORMED);
	CU_ASSERT_EQUAL(exporter_dtls_srtp(EXPORTER_PRF_SHA256, ms, r, r, 0x0006, &k), SA_UNSUPPORTED);
	CU_ASSERT_EQUAL(k.key_len, 0);
}

static const CU_TestInfo tests[] = {
	{ "DTLS 1.2 + EMS: 4 profiles equal SSL_export_keying_material", test_dtls12_profiles_ems },
	{ "DTLS 1.2 without EMS: 4 profiles", test_dtls12_profiles_no_ems },
	{ "DTLS 1.0 (MD5/SHA-1 PRF): 4 profiles", test_dtls10 },
	{ "SHA-384 cipher suites use the SHA-384 PRF", test_sha384_suite },
	{ "SHA-384 suite table agrees with OpenSSL", test_sha384_table_vs_openssl },
	{ "known answer: webrtc-freeswitch DTLS 1.0", test_known_freeswitch_dtls10 },
	{ "known answer: webrtc-demo DTLS 1.2 EMS", test_known_webrtc_demo_dtls12_ems },
	{ "split of published exporter material (dsrtp)", test_split_material },
	{ "profile table and errors", test_profiles_and_errors },
	CU_TEST_INFO_NULL,
};

#define SUITE_NAME "exporter"
#include "cu_main.h"
