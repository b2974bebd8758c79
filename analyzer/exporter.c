/* exporter.c - RFC 5764 §4.2 / RFC 5705 §4 exporter; see exporter.h. */
#include "exporter.h"

#include <string.h>

#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

/* RFC 5764 §4.1.2 and RFC 7714 §14.2.  The NULL profiles 0x0005/0x0006
 * are left out on purpose (RFC-NOTES §13 #2). */
static const struct exporter_profile profiles[] = {
	{ 0x0001, "SRTP_AES128_CM_HMAC_SHA1_80", 16, 14, SDEC_AES_CM_128_HMAC_SHA1_80 },
	{ 0x0002, "SRTP_AES128_CM_HMAC_SHA1_32", 16, 14, SDEC_AES_CM_128_HMAC_SHA1_32 },
	{ 0x0007, "SRTP_AEAD_AES_128_GCM", 16, 12, SDEC_AEAD_AES_128_GCM },
	{ 0x0008, "SRTP_AEAD_AES_256_GCM", 32, 12, SDEC_AEAD_AES_256_GCM },
};

const struct exporter_profile *exporter_profile_find(uint16_t id)
{
	size_t i;
	for (i = 0; i < sizeof profiles / sizeof profiles[0]; i++)
		if (profiles[i].id == id)
			return &profiles[i];
	return NULL;
}

/* IANA TLS cipher suites whose TLS 1.2 PRF hash is SHA-384 (RFC 5246 §5:
 * the suite may name a stronger hash; RFC 5288/5289/5487/6209/6367). */
static const uint16_t sha384_suites[] = {
	0x009d, 0x009f, 0x00a1, 0x00a3, 0x00a5, 0x00a7, 0x00a9, 0x00ab, 0x00ad,
	0x00af, 0x00b1, 0x00b3, 0x00b5, 0x00b7, 0x00b9,
	0xc024, 0xc026, 0xc028, 0xc02a, 0xc02c, 0xc02e, 0xc030, 0xc032, 0xc038,
	0xc03b,
	/* Camellia *_SHA384 (RFC 6367). */
	0xc073, 0xc075, 0xc077, 0xc079, 0xc07b, 0xc07d, 0xc07f, 0xc081, 0xc083,
	0xc085, 0xc087, 0xc089, 0xc08b, 0xc08d, 0xc08f, 0xc091, 0xc093, 0xc095,
	0xc097, 0xc099, 0xc09b,
	/* ECDHE-PSK AES-256-GCM (RFC 8442). */
	0xd002,
};

bool exporter_suite_is_sha384(uint16_t cipher_suite)
{
	size_t i;
	/* ARIA (RFC 6209): 0xc03c..0xc071, odd code points are 256-bit/SHA-384. */
	if (cipher_suite >= 0xc03c && cipher_suite <= 0xc071)
		return (cipher_suite & 1) != 0;
	for (i = 0; i < sizeof sha384_suites / sizeof sha384_suites[0]; i++)
		if (sha384_suites[i] == cipher_suite)
			return true;
	return false;
}

enum sa_status exporter_prf_select(uint16_t version, uint16_t cipher_suite,
				   enum exporter_prf *prf)
{
	switch (version) {
	case DTLS1_0_WIRE:
		/* DTLS 1.0 is TLS 1.1 (RFC 4347 §4.1): the MD5/SHA-1 PRF. */
		*prf = EXPORTER_PRF_MD5_SHA1;
		return SA_OK;
	case DTLS1_2_WIRE:
		*prf = exporter_suite_is_sha384(cipher_suite) ? EXPORTER_PRF_SHA384
							      : EXPORTER_PRF_SHA256;
		return SA_OK;
	default:
		return SA_UNSUPPORTED;
	}
}

enum sa_status exporter_derive(enum exporter_prf prf, const uint8_t master_secret[48],
			       const uint8_t client_random[32], const uint8_t server_random[32],
			       const char *label, size_t label_len, uint8_t *out, size_t len)
{
	EVP_KDF *kdf = NULL;
	EVP_KDF_CTX *ctx = NULL;
	OSSL_PARAM params[6], *p = params;
	const char *digest;
	enum sa_status st = SA_UNSUPPORTED;

	if (len == 0 || len > 1024)
		return SA_MALFORMED;
	switch (prf) {
	case EXPORTER_PRF_MD5_SHA1: digest = "MD5-SHA1"; break;
	case EXPORTER_PRF_SHA256: digest = "SHA256"; break;
	case EXPORTER_PRF_SHA384: digest = "SHA384"; break;
	default: return SA_UNSUPPORTED;
	}
	kdf = EVP_KDF_fetch(NULL, "TLS1-PRF", NULL);
	if (!kdf)
		goto out;
	ctx = EVP_KDF_CTX_new(kdf);
	if (!ctx)
		goto out;
	/* RFC 5705 §4: seed = label || client_random || server_random (no
	 * context).  The KDF concatenates repeated seed parameters. */
	*p++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)digest, 0);
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SECRET,
						 (void *)master_secret, 48);
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SEED, (void *)label, label_len);
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SEED, (void *)client_random, 32);
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SEED, (void *)server_random, 32);
	*p = OSSL_PARAM_construct_end();
	if (EVP_KDF_derive(ctx, out, len, params) == 1)
		st = SA_OK;
out:
	EVP_KDF_CTX_free(ctx);
	EVP_KDF_free(kdf);
	return st;
}

enum sa_status exporter_split(const uint8_t *material, size_t len, uint16_t profile,
			      struct dtls_srtp_keys *keys)
{
	const struct exporter_profile *pr = exporter_profile_find(profile);
	size_t k, s;
	memset(keys, 0, sizeof *keys);
	if (!pr)
		return SA_UNSUPPORTED;
	k = pr->key_len;
	s = pr->salt_len;
	if (len != 2 * (k + s))
		return SA_MALFORMED;
	/* RFC 5764 §4.2 order. */
	keys->profile = profile;
	keys->key_len = k;
	keys->salt_len = s;
	memcpy(keys->client_key, material, k);
	memcpy(keys->server_key, material + k, k);
	memcpy(keys->client_salt, material + 2 * k, s);
	memcpy(keys->server_salt, material + 2 * k + s, s);
	return SA_OK;
}

enum sa_status exporter_dtls_srtp(enum exporter_prf prf, const uint8_t master_secret[48],
				  const uint8_t client_random[32],
				  const uint8_t server_random[32], uint16_t profile,
				  struct dtls_srtp_keys *keys)
{
	const struct exporter_profile *pr = exporter_profile_find(profile);
	uint8_t m[EXPORTER_MAX_MATERIAL];
	size_t len;
	enum sa_status st;
	memset(keys, 0, sizeof *keys);
	if (!pr)
		return SA_UNSUPPORTED;
	len = 2 * (pr->key_len + pr->salt_len);
	st = exporter_derive(prf, master_secret, client_random, server_random,
			     EXPORTER_LABEL, strlen(EXPORTER_LABEL), m, len);
	if (st == SA_OK)
		st = exporter_split(m, len, profile, keys);
	memset(m, 0, sizeof m);
	return st;
}

enum sa_status exporter_keys_params(const struct dtls_srtp_keys *keys, bool client_side,
				    struct sdec_params *p)
{
	const struct exporter_profile *pr = exporter_profile_find(keys->profile);
	sdec_params_init(p);
	if (!pr)
		return SA_UNSUPPORTED;
	p->suite = pr->suite;
	p->n_keys = 1;
	memcpy(p->keys[0].key, client_side ? keys->client_key : keys->server_key, keys->key_len);
	memcpy(p->keys[0].salt, client_side ? keys->client_salt : keys->server_salt,
	       keys->salt_len);
	return SA_OK;
}
