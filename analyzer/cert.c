/* cert.c - see cert.h. */
#include "cert.h"

#include <limits.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

static void copy_str(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* name_print - RFC 2253 form of an X.509 name, cut to cap - 1 bytes. */
static void name_print(const X509_NAME *name, char *dst, size_t cap)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *data = NULL;
	long n;

	dst[0] = '\0';
	if (!b)
		return;
	if (X509_NAME_print_ex(b, name, 0, XN_FLAG_RFC2253) >= 0) {
		n = BIO_get_mem_data(b, &data);
		if (n > 0 && data) {
			size_t m = (size_t)n < cap - 1 ? (size_t)n : cap - 1;
			memcpy(dst, data, m);
			dst[m] = '\0';
		}
	}
	BIO_free(b);
}

/* time_epoch - seconds since 1970 of an ASN.1 UTCTime/GeneralizedTime. */
static bool time_epoch(const ASN1_TIME *t, int64_t *out)
{
	ASN1_TIME *epoch = ASN1_TIME_set(NULL, 0);
	int days = 0, secs = 0;
	bool ok;

	if (!epoch)
		return false;
	ok = t && ASN1_TIME_diff(&days, &secs, epoch, t) == 1;
	ASN1_TIME_free(epoch);
	if (ok)
		*out = (int64_t)days * 86400 + secs;
	return ok;
}

static const char *md_nid_name(int nid)
{
	switch (nid) {
	case NID_undef: return "none";
	case NID_md2: return "md2";
	case NID_md5: return "md5";
	case NID_sha1: return "sha-1";
	case NID_sha224: return "sha-224";
	case NID_sha256: return "sha-256";
	case NID_sha384: return "sha-384";
	case NID_sha512: return "sha-512";
	default: return NULL;
	}
}

enum sa_status cert_parse(const uint8_t *der, size_t len, struct cert_info *out)
{
	const unsigned char *p = der;
	enum sa_status st = SA_MALFORMED;
	X509 *x = NULL;
	EVP_PKEY *pkey;
	int mdnid = NID_undef, pknid, secbits;
	uint32_t flags;
	const char *hn;

	memset(out, 0, sizeof *out);
	if (!der || len == 0 || len > LONG_MAX)
		return SA_MALFORMED;
	x = d2i_X509(NULL, &p, (long)len);
	if (!x || p != der + len)
		goto out; /* not DER, or trailing bytes */

	name_print(X509_get_subject_name(x), out->subject, sizeof out->subject);
	name_print(X509_get_issuer_name(x), out->issuer, sizeof out->issuer);
	if (!time_epoch(X509_get0_notBefore(x), &out->not_before) ||
	    !time_epoch(X509_get0_notAfter(x), &out->not_after))
		goto out;

	if (X509_get_signature_info(x, &mdnid, &pknid, &secbits, &flags) != 1)
		mdnid = NID_undef;
	hn = md_nid_name(mdnid);
	if (!hn)
		hn = OBJ_nid2sn(mdnid);
	copy_str(out->sig_hash, sizeof out->sig_hash, hn ? hn : "unknown");

	pkey = X509_get0_pubkey(x);
	if (!pkey) {
		st = SA_UNSUPPORTED;
		goto out;
	}
	out->key_bits = EVP_PKEY_get_bits(pkey);
	switch (EVP_PKEY_get_base_id(pkey)) {
	case EVP_PKEY_RSA:
	case EVP_PKEY_RSA_PSS:
		out->key_type = CERT_KEY_RSA;
		break;
	case EVP_PKEY_EC: {
		char group[64];
		size_t glen = 0;
		out->key_type = CERT_KEY_EC;
		if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME,
						   group, sizeof group, &glen) == 1) {
			const char *nist = EC_curve_nid2nist(OBJ_txt2nid(group));
			copy_str(out->curve, sizeof out->curve, nist ? nist : group);
		}
		break;
	}
	case EVP_PKEY_ED25519:
		out->key_type = CERT_KEY_ED25519;
		break;
	case EVP_PKEY_ED448:
		out->key_type = CERT_KEY_ED448;
		break;
	case EVP_PKEY_DSA:
		out->key_type = CERT_KEY_DSA;
		break;
	default:
		out->key_type = CERT_KEY_UNKNOWN;
		break;
	}

	out->issuer_is_subject =
		X509_NAME_cmp(X509_get_issuer_name(x), X509_get_subject_name(x)) == 0;
	out->self_signed = out->issuer_is_subject && X509_verify(x, pkey) == 1;
	st = SA_OK;
out:
	X509_free(x);
	ERR_clear_error();
	return st;
}

const char *cert_key_type_name(enum cert_key_type t)
{
	switch (t) {
	case CERT_KEY_RSA: return "RSA";
	case CERT_KEY_EC: return "EC";
	case CERT_KEY_ED25519: return "Ed25519";
	case CERT_KEY_ED448: return "Ed448";
	case CERT_KEY_DSA: return "DSA";
	case CERT_KEY_UNKNOWN: break;
	}
	return "unknown";
}

/* RFC 8122 §5 hash function textual names (IANA "Hash Function Textual
 * Names" registry) and their digest lengths. */
static const struct {
	const char *name;
	const char *ossl;
	size_t len;
} fp_hashes[] = {
	{ "sha-1", "SHA1", 20 },     { "sha-224", "SHA224", 28 },
	{ "sha-256", "SHA256", 32 }, { "sha-384", "SHA384", 48 },
	{ "sha-512", "SHA512", 64 }, { "md5", "MD5", 16 },
	{ "md2", "MD2", 16 },
};

static int fp_find(struct sv name)
{
	size_t i;
	for (i = 0; i < sizeof fp_hashes / sizeof fp_hashes[0]; i++)
		if (sv_eq_cstr_ci(name, fp_hashes[i].name))
			return (int)i;
	return -1;
}

size_t cert_fingerprint_len(struct sv hash_name)
{
	int i = fp_find(hash_name);
	return i < 0 ? 0 : fp_hashes[i].len;
}

enum sa_status cert_fingerprint(const uint8_t *der, size_t len, struct sv hash_name,
				uint8_t *out, size_t cap, size_t *out_len)
{
	int i = fp_find(hash_name);
	EVP_MD *md;
	unsigned int n = 0;
	enum sa_status st = SA_OK;

	*out_len = 0;
	if (i < 0)
		return SA_UNSUPPORTED;
	if (cap < fp_hashes[i].len)
		return SA_NOMEM;
	md = EVP_MD_fetch(NULL, fp_hashes[i].ossl, NULL);
	if (!md) {
		ERR_clear_error();
		return SA_UNSUPPORTED; /* md2 is not in OpenSSL 3 providers */
	}
	if (EVP_Digest(der, len, out, &n, md, NULL) != 1 || n != fp_hashes[i].len)
		st = SA_NOMEM;
	else
		*out_len = n;
	EVP_MD_free(md);
	ERR_clear_error();
	return st;
}
