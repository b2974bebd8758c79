/* test_cert.c - CUnit suite for cert.h: certificates made here with
 * OpenSSL, and a real one from a capture with fingerprints computed by the
 * openssl command line tool. */
#include <CUnit/CUnit.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "cert.h"
#include "text.h"

/* The WebRTC client certificate of ndpi_dtls_certificate_fragments.pcap
 * (frame 25).  Expected values from `openssl x509 -inform der -noout
 * -dates -fingerprint -sha256` (and -sha1, -md5, -sha224). */
static const char webrtc_der_hex[] =
	"308201163081bda003020102020900d102fbd764f45534300a06082a8648ce3d0403023011"
	"310f300d06035504030c06576562525443301e170d3230303630383030313731305a170d32"
	"30303730393030313731305a3011310f300d06035504030c065765625254433059301306072a"
	"8648ce3d020106082a8648ce3d03010703420004c37807c05c48807cbdfb7945140b011f399b"
	"fb4ab97ee0e53d48630ec79bbaa193205d657e0e9f0205c0311f483b7786f373336c1645da62"
	"499ea2185f7462d5300a06082a8648ce3d04030203480030450220622049416eca0d4b808b73"
	"3d2f7cf08440e900bf6ae038ab52b6b23757544723022100f96d8c3e66ce79f01c2541a77336"
	"f967864b31347513326b6c439f751d45db00";
static const char webrtc_sha256[] =
	"F31A5EF09901EDB2B926E1221B8912461DE6A51DFA22736840D1D66787D5C311";
static const char webrtc_sha1[] = "EC8E99416161EB4B11370181BD9703229BBC1418";
static const char webrtc_md5[] = "CB27C84BB72FCE2215321ED39958F8EA";
static const char webrtc_sha224[] = "8BCCA252513F3479A41285947BB0BEEBADCBB75BA417B62AE69A513D";

static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	CU_ASSERT_FATAL(sv_hex_decode(sv_cstr(s), out, cap, &n));
	return n;
}

static void test_real_cert(void)
{
	uint8_t der[512], fp[CERT_FP_MAX], want[CERT_FP_MAX];
	size_t n = unhex(webrtc_der_hex, der, sizeof der), fl, wl;
	struct cert_info ci;

	CU_ASSERT_EQUAL(n, 282);
	CU_ASSERT_EQUAL(cert_parse(der, n, &ci), SA_OK);
	CU_ASSERT_EQUAL(ci.key_type, CERT_KEY_EC);
	CU_ASSERT_STRING_EQUAL(ci.curve, "P-256");
	CU_ASSERT_EQUAL(ci.key_bits, 256);
	CU_ASSERT_EQUAL(ci.not_before, 1591575430); /* Jun  8 00:17:10 2020 GMT */
	CU_ASSERT_EQUAL(ci.not_after, 1594253830);  /* Jul  9 00:17:10 2020 GMT */
	CU_ASSERT_TRUE(ci.issuer_is_subject);
	CU_ASSERT_TRUE(ci.self_signed);
	CU_ASSERT_STRING_EQUAL(ci.sig_hash, "sha-256");
	CU_ASSERT_STRING_EQUAL(ci.subject, "CN=WebRTC");
	CU_ASSERT_STRING_EQUAL(ci.issuer, "CN=WebRTC");

	CU_ASSERT_EQUAL(cert_fingerprint(der, n, SV_LIT("sha-256"), fp, sizeof fp, &fl), SA_OK);
	wl = unhex(webrtc_sha256, want, sizeof want);
	CU_ASSERT_EQUAL(fl, 32);
	CU_ASSERT_EQUAL(fl, wl);
	CU_ASSERT_EQUAL(memcmp(fp, want, wl), 0);
	/* names are case-insensitive (many SDPs write SHA-256) */
	CU_ASSERT_EQUAL(cert_fingerprint(der, n, SV_LIT("SHA-1"), fp, sizeof fp, &fl), SA_OK);
	wl = unhex(webrtc_sha1, want, sizeof want);
	CU_ASSERT_EQUAL(fl, 20);
	CU_ASSERT_EQUAL(memcmp(fp, want, wl), 0);
	CU_ASSERT_EQUAL(cert_fingerprint(der, n, SV_LIT("md5"), fp, sizeof fp, &fl), SA_OK);
	wl = unhex(webrtc_md5, want, sizeof want);
	CU_ASSERT_EQUAL(fl, 16);
	CU_ASSERT_EQUAL(memcmp(fp, want, wl), 0);
	CU_ASSERT_EQUAL(cert_fingerprint(der, n, SV_LIT("sha-224"), fp, sizeof fp, &fl), SA_OK);
	wl = unhex(webrtc_sha224, want, sizeof want);
	CU_ASSERT_EQUAL(fl, 28);
	CU_ASSERT_EQUAL(memcmp(fp, want, wl), 0);
	CU_ASSERT_EQUAL(cert_fingerprint(der, n, SV_LIT("sha-384"), fp, sizeof fp, &fl), SA_OK);
	CU_ASSERT_EQUAL(fl, 48);
	CU_ASSERT_EQUAL(cert_fingerprint(der, n, SV_LIT("sha-512"), fp, sizeof fp, &fl), SA_OK);
	CU_ASSERT_EQUAL(fl, 64);
	CU_ASSERT_EQUAL(fp[0], 0x86); /* openssl: 86:91:1C:4A:... */
	CU_ASSERT_EQUAL(fp[63], 0xDE);

	/* unknown names, md2 (absent from OpenSSL 3), too small a buffer */
	CU_ASSERT_EQUAL(cert_fingerprint(der, n, SV_LIT("sha-257"), fp, sizeof fp, &fl),
			SA_UNSUPPORTED);
	CU_ASSERT_EQUAL(cert_fingerprint(der, n, SV_LIT("sha256"), fp, sizeof fp, &fl),
			SA_UNSUPPORTED);
	CU_ASSERT_EQUAL(cert_fingerprint(der, n, SV_LIT("md2"), fp, sizeof fp, &fl),
			SA_UNSUPPORTED);
	CU_ASSERT_EQUAL(fl, 0);
	CU_ASSERT_EQUAL(cert_fingerprint(der, n, SV_LIT("sha-256"), fp, 31, &fl), SA_NOMEM);
	CU_ASSERT_EQUAL(cert_fingerprint_len(SV_LIT("sha-1")), 20);
	CU_ASSERT_EQUAL(cert_fingerprint_len(SV_LIT("md2")), 16);
	CU_ASSERT_EQUAL(cert_fingerprint_len(SV_LIT("sha-512")), 64);
	CU_ASSERT_EQUAL(cert_fingerprint_len(SV_LIT("foo")), 0);

	/* truncated, trailing byte, corrupted, garbage */
	CU_ASSERT_EQUAL(cert_parse(der, n - 1, &ci), SA_MALFORMED);
	der[n] = 0;
	CU_ASSERT_EQUAL(cert_parse(der, n + 1, &ci), SA_MALFORMED);
	der[1] = 0x83; /* length of length changed */
	CU_ASSERT_EQUAL(cert_parse(der, n, &ci), SA_MALFORMED);
	CU_ASSERT_EQUAL(ci.key_type, CERT_KEY_UNKNOWN);
	{
		static const uint8_t junk[] = { 0x16, 0xfe, 0xfd, 0x00, 0x01, 0x02, 0x03 };
		CU_ASSERT_EQUAL(cert_parse(junk, sizeof junk, &ci), SA_MALFORMED);
		CU_ASSERT_EQUAL(cert_parse(junk, 0, &ci), SA_MALFORMED);
		CU_ASSERT_EQUAL(cert_parse(NULL, 10, &ci), SA_MALFORMED);
	}
}

static EVP_PKEY *key_make(const char *what)
{
	EVP_PKEY *k = NULL;
	if (strcmp(what, "P-256") == 0)
		k = EVP_EC_gen("P-256");
	else if (strcmp(what, "P-384") == 0)
		k = EVP_EC_gen("P-384");
	else if (strcmp(what, "RSA") == 0)
		k = EVP_RSA_gen(2048);
	else if (strcmp(what, "Ed25519") == 0)
		k = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	CU_ASSERT_PTR_NOT_NULL_FATAL(k);
	return k;
}

/* cert_make - subject CN=cn, issued by issuer_cn, key pub, signed with
 * sign_key and md; validity [nb, na]; DER into a malloc'd buffer. */
static uint8_t *cert_make(const char *cn, const char *issuer_cn, EVP_PKEY *pub,
			  EVP_PKEY *sign_key, const EVP_MD *md, time_t nb, time_t na,
			  size_t *len)
{
	X509 *x = X509_new();
	X509_NAME *sn = X509_NAME_new(), *in = X509_NAME_new();
	uint8_t *der = NULL;
	int n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 42);
	X509_NAME_add_entry_by_txt(sn, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
	X509_NAME_add_entry_by_txt(in, "CN", MBSTRING_ASC, (const unsigned char *)issuer_cn,
				   -1, -1, 0);
	X509_set_subject_name(x, sn);
	X509_set_issuer_name(x, in);
	ASN1_TIME_set(X509_getm_notBefore(x), nb);
	ASN1_TIME_set(X509_getm_notAfter(x), na);
	X509_set_pubkey(x, pub);
	CU_ASSERT_FATAL(X509_sign(x, sign_key, md) > 0);
	n = i2d_X509(x, &der);
	CU_ASSERT_FATAL(n > 0);
	*len = (size_t)n;
	X509_NAME_free(sn);
	X509_NAME_free(in);
	X509_free(x);
	return der;
}

static void test_generated(void)
{
	EVP_PKEY *ec = key_make("P-256"), *ec384 = key_make("P-384"), *rsa = key_make("RSA"),
		 *ed = key_make("Ed25519");
	struct cert_info ci;
	uint8_t *der, fp[CERT_FP_MAX], want[CERT_FP_MAX];
	unsigned int wl = 0;
	size_t len, fl;
	const time_t nb = 1700000000, na = 1700000000 + 30 * 86400;

	/* EC P-256, self-signed, SHA-256 */
	der = cert_make("alice", "alice", ec, ec, EVP_sha256(), nb, na, &len);
	CU_ASSERT_EQUAL(cert_parse(der, len, &ci), SA_OK);
	CU_ASSERT_EQUAL(ci.key_type, CERT_KEY_EC);
	CU_ASSERT_STRING_EQUAL(ci.curve, "P-256");
	CU_ASSERT_EQUAL(ci.not_before, 1700000000);
	CU_ASSERT_EQUAL(ci.not_after, 1700000000 + 30 * 86400);
	CU_ASSERT_TRUE(ci.self_signed);
	CU_ASSERT_STRING_EQUAL(ci.sig_hash, "sha-256");
	CU_ASSERT_STRING_EQUAL(ci.subject, "CN=alice");
	CU_ASSERT_EQUAL(cert_fingerprint(der, len, SV_LIT("sha-256"), fp, sizeof fp, &fl), SA_OK);
	CU_ASSERT_EQUAL(EVP_Digest(der, len, want, &wl, EVP_sha256(), NULL), 1);
	CU_ASSERT_EQUAL(fl, wl);
	CU_ASSERT_EQUAL(memcmp(fp, want, wl), 0);
	OPENSSL_free(der);

	/* EC P-384 signed with SHA-384 */
	der = cert_make("p384", "p384", ec384, ec384, EVP_sha384(), nb, na, &len);
	CU_ASSERT_EQUAL(cert_parse(der, len, &ci), SA_OK);
	CU_ASSERT_STRING_EQUAL(ci.curve, "P-384");
	CU_ASSERT_EQUAL(ci.key_bits, 384);
	CU_ASSERT_STRING_EQUAL(ci.sig_hash, "sha-384");
	OPENSSL_free(der);

	/* RSA 2048 with SHA-1 (weak, still parsed) */
	der = cert_make("bob", "bob", rsa, rsa, EVP_sha1(), nb, na, &len);
	CU_ASSERT_EQUAL(cert_parse(der, len, &ci), SA_OK);
	CU_ASSERT_EQUAL(ci.key_type, CERT_KEY_RSA);
	CU_ASSERT_EQUAL(ci.key_bits, 2048);
	CU_ASSERT_STRING_EQUAL(ci.curve, "");
	CU_ASSERT_STRING_EQUAL(ci.sig_hash, "sha-1");
	CU_ASSERT_TRUE(ci.self_signed);
	CU_ASSERT_STRING_EQUAL(cert_key_type_name(ci.key_type), "RSA");
	OPENSSL_free(der);

	/* Ed25519: no separate hash */
	der = cert_make("carol", "carol", ed, ed, NULL, nb, na, &len);
	CU_ASSERT_EQUAL(cert_parse(der, len, &ci), SA_OK);
	CU_ASSERT_EQUAL(ci.key_type, CERT_KEY_ED25519);
	CU_ASSERT_STRING_EQUAL(ci.sig_hash, "none");
	CU_ASSERT_TRUE(ci.self_signed);
	OPENSSL_free(der);

	/* issued by another name: not self-signed */
	der = cert_make("leaf", "Some CA", ec, rsa, EVP_sha256(), nb, na, &len);
	CU_ASSERT_EQUAL(cert_parse(der, len, &ci), SA_OK);
	CU_ASSERT_FALSE(ci.issuer_is_subject);
	CU_ASSERT_FALSE(ci.self_signed);
	CU_ASSERT_STRING_EQUAL(ci.issuer, "CN=Some CA");
	OPENSSL_free(der);

	/* same names but signed with a different key: not self-signed */
	der = cert_make("mallory", "mallory", ec, ec384, EVP_sha256(), nb, na, &len);
	CU_ASSERT_EQUAL(cert_parse(der, len, &ci), SA_OK);
	CU_ASSERT_TRUE(ci.issuer_is_subject);
	CU_ASSERT_FALSE(ci.self_signed);
	/* a flipped bit in the signature breaks self-signature */
	der[len - 5] ^= 0x01;
	CU_ASSERT_EQUAL(cert_parse(der, len, &ci), SA_OK);
	CU_ASSERT_FALSE(ci.self_signed);
	OPENSSL_free(der);

	/* validity before 1970 and after 2038 (GeneralizedTime) */
	der = cert_make("old", "old", ec, ec, EVP_sha256(), -86400, (time_t)4102444800LL, &len);
	CU_ASSERT_EQUAL(cert_parse(der, len, &ci), SA_OK);
	CU_ASSERT_EQUAL(ci.not_before, -86400);
	CU_ASSERT_EQUAL(ci.not_after, 4102444800LL); /* 2100-01-01 */
	OPENSSL_free(der);

	EVP_PKEY_free(ec);
	EVP_PKEY_free(ec384);
	EVP_PKEY_free(rsa);
	EVP_PKEY_free(ed);
}

static const CU_TestInfo tests[] = {
	{ "real_cert", test_real_cert },
	{ "generated", test_generated },
	CU_TEST_INFO_NULL,
};

#define SUITE_NAME "cert"
#include "cu_main.h"
