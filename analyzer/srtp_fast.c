/* srtp_fast.c - SRTP/SRTCP on OpenSSL EVP; see srtp_fast.h and docs/keys.md.
 *
 * Per master key the stream holds one EVP_CIPHER_CTX keyed with the session
 * encryption key and one HMAC context keyed with the session authentication
 * key (HMAC-SHA1), so no key schedule runs per packet.
 *
 * AES-CM (RFC 3711 §4.1.1) is the counter mode of AES: keystream block i is
 * AES(k, IV + i).  The context is OpenSSL's AES in ECB mode, fed the packet's
 * counter blocks in one EVP_EncryptUpdate call; the keystream is XORed in.
 * OpenSSL's own CTR mode would need the IV set per packet
 * (EVP_DecryptInit_ex), which in OpenSSL 3.0 queries the IV length through
 * provider parameters: that costs more than the AES of a voice packet.
 * AES-GCM uses OpenSSL's GCM context with a new IV per packet.
 *
 * HMAC-SHA1 is OpenSSL's: HMAC_CTX (HMAC_Init_ex/Update/Final) over OpenSSL's
 * SHA-1 (SHA1_Init/Update/Final).  The context is re-initialised with no key
 * per packet (OpenSSL keeps the pre-computed pad states) and fed the packet
 * and ROC in one update, the ROC written after the copied packet.  The
 * digest is handed to HMAC as a method (EVP_MD_meth_new) rather than as
 * EVP_sha1(): OpenSSL 3.0 then copies the pad states in place, where with a
 * provider digest EVP_MD_CTX_copy_ex frees and duplicates a digest context
 * twice per packet (alone: 225 ns per MAC instead of 265; in the whole
 * decrypt path about 70 ns per packet; docs/bench.md).
 * An OpenSSL built without the 3.0 deprecated API gets EVP_MAC instead
 * (SFAST_USE_EVP_MAC forces it: tests/test_srtp_fast_evpmac).
 *
 * Where libsrtp 2.5 has a rule of its own, it is followed so that both
 * engines reach the same verdict (see the comments marked "libsrtp").
 */
#include "srtp_fast.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* HMAC_CTX, EVP_MD_meth_* and SHA1_* are deprecated in OpenSSL 3.0, not
 * removed; see the comment above. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#if !defined(OPENSSL_NO_DEPRECATED_3_0) && !defined(SFAST_USE_EVP_MAC)
#include <openssl/hmac.h>
#include <openssl/sha.h>
#define SFAST_HMAC_CTX 1
#else
#define SFAST_HMAC_CTX 0
#endif

#define AEAD_TAG 16
#define HMAC_KEY 20
#define CM_SALT 14
#define GCM_SALT 12

struct sfast_key {
	uint8_t salt[CM_SALT];   /* session salt (12 octets used for AEAD) */
	EVP_CIPHER_CTX *cipher;  /* AES-ECB (AES-CM) or AES-GCM; NULL for the NULL cipher */
#if SFAST_HMAC_CTX
	HMAC_CTX *mac;           /* NULL for AEAD and unauthenticated SRTP */
#else
	EVP_MAC_CTX *mac;
#endif
	const uint8_t *mki;      /* points into sfast.mkis */
};

struct sfast {
	enum sdec_kind kind;
	bool aead;
	bool conf;        /* RTP: decrypt payload; RTCP: the E flag libsrtp expects */
	size_t tag_len;   /* RTP or RTCP tag by kind (0: unauthenticated SRTP) */
	size_t mki_len;
	size_t n_keys;
	struct sfast_key keys[SDEC_MAX_KEYS];
	uint8_t mkis[SDEC_MAX_KEYS][SDEC_MAX_MKI];
};

/* Algorithms fetched once: implicit fetches per stream would cost more
 * than the key setup itself. */
static pthread_once_t fetch_once = PTHREAD_ONCE_INIT;
static EVP_CIPHER *ctr_alg[3], *ecb_alg[3], *gcm_alg[2];
#if SFAST_HMAC_CTX
static EVP_MD *sha1_method;

static int sha1_init(EVP_MD_CTX *c)
{
	return SHA1_Init(EVP_MD_CTX_md_data(c));
}

static int sha1_update(EVP_MD_CTX *c, const void *data, size_t len)
{
	return SHA1_Update(EVP_MD_CTX_md_data(c), data, len);
}

static int sha1_final(EVP_MD_CTX *c, unsigned char *md)
{
	return SHA1_Final(md, EVP_MD_CTX_md_data(c));
}

/* sha1_method_new - OpenSSL's SHA-1 as a digest method (NULL on failure:
 * the HMAC contexts then fail to key, and streams report no memory). */
static EVP_MD *sha1_method_new(void)
{
	EVP_MD *md = EVP_MD_meth_new(NID_sha1, NID_undef);
	if (md && EVP_MD_meth_set_result_size(md, SHA_DIGEST_LENGTH) == 1 &&
	    EVP_MD_meth_set_input_blocksize(md, SHA_CBLOCK) == 1 &&
	    EVP_MD_meth_set_app_datasize(md, sizeof(SHA_CTX)) == 1 &&
	    EVP_MD_meth_set_init(md, sha1_init) == 1 &&
	    EVP_MD_meth_set_update(md, sha1_update) == 1 &&
	    EVP_MD_meth_set_final(md, sha1_final) == 1)
		return md;
	EVP_MD_meth_free(md);
	return NULL;
}
#else
static EVP_MAC *hmac_alg;
#endif

static void fetch_all(void)
{
	ctr_alg[0] = EVP_CIPHER_fetch(NULL, "AES-128-CTR", NULL);
	ctr_alg[1] = EVP_CIPHER_fetch(NULL, "AES-192-CTR", NULL);
	ctr_alg[2] = EVP_CIPHER_fetch(NULL, "AES-256-CTR", NULL);
	ecb_alg[0] = EVP_CIPHER_fetch(NULL, "AES-128-ECB", NULL);
	ecb_alg[1] = EVP_CIPHER_fetch(NULL, "AES-192-ECB", NULL);
	ecb_alg[2] = EVP_CIPHER_fetch(NULL, "AES-256-ECB", NULL);
	gcm_alg[0] = EVP_CIPHER_fetch(NULL, "AES-128-GCM", NULL);
	gcm_alg[1] = EVP_CIPHER_fetch(NULL, "AES-256-GCM", NULL);
#if SFAST_HMAC_CTX
	sha1_method = sha1_method_new();
#else
	hmac_alg = EVP_MAC_fetch(NULL, "HMAC", NULL);
#endif
}

/* aes_for - the AES-128/192/256 member of alg[3] for a key of key_len. */
static const EVP_CIPHER *aes_for(EVP_CIPHER *const alg[3], size_t key_len)
{
	pthread_once(&fetch_once, fetch_all);
	switch (key_len) {
	case 16: return alg[0];
	case 24: return alg[1];
	case 32: return alg[2];
	default: return NULL;
	}
}

static const EVP_CIPHER *ctr_for(size_t key_len)
{
	return aes_for(ctr_alg, key_len);
}

static const EVP_CIPHER *ecb_for(size_t key_len)
{
	return aes_for(ecb_alg, key_len);
}

static const EVP_CIPHER *gcm_for(size_t key_len)
{
	pthread_once(&fetch_once, fetch_all);
	return key_len == 16 ? gcm_alg[0] : key_len == 32 ? gcm_alg[1] : NULL;
}

bool sfast_suite_supported(enum sdec_suite suite)
{
	switch (suite) {
	case SDEC_AES_CM_128_HMAC_SHA1_80:
	case SDEC_AES_CM_128_HMAC_SHA1_32:
	case SDEC_AES_192_CM_HMAC_SHA1_80:
	case SDEC_AES_192_CM_HMAC_SHA1_32:
	case SDEC_AES_256_CM_HMAC_SHA1_80:
	case SDEC_AES_256_CM_HMAC_SHA1_32:
	case SDEC_AEAD_AES_128_GCM:
	case SDEC_AEAD_AES_256_GCM:
	case SDEC_NULL_HMAC_SHA1_80:
	case SDEC_NULL_HMAC_SHA1_32:
		return true;
	default:
		return false;
	}
}

enum sa_status sfast_kdf(const uint8_t *key, size_t key_len, const uint8_t *salt,
			 size_t salt_len, enum sfast_label label, uint8_t *out, size_t out_len)
{
	static const uint8_t zeros[128];
	const EVP_CIPHER *alg = ctr_for(key_len);
	EVP_CIPHER_CTX *c;
	uint8_t iv[16] = { 0 };
	int n = 0, ok;
	if (!alg || (salt_len != CM_SALT && salt_len != GCM_SALT) || out_len > sizeof zeros)
		return SA_MALFORMED;
	/* RFC 3711 §4.3.1: x = (label || index DIV kdr) XOR master salt, the
	 * 56-bit key_id right-aligned in the 112-bit salt; §4.3.3: IV = x * 2^16.
	 * A 96-bit AEAD salt is padded on the right (RFC 7714 §11, erratum 4938). */
	memcpy(iv, salt, salt_len);
	iv[7] ^= (uint8_t)label;
	c = EVP_CIPHER_CTX_new();
	if (!c)
		return SA_NOMEM;
	ok = EVP_EncryptInit_ex(c, alg, NULL, key, iv) == 1 &&
	     EVP_EncryptUpdate(c, out, &n, zeros, (int)out_len) == 1 && (size_t)n == out_len;
	EVP_CIPHER_CTX_free(c);
	return ok ? SA_OK : SA_NOMEM;
}

static void key_clear(struct sfast_key *k)
{
	EVP_CIPHER_CTX_free(k->cipher);
#if SFAST_HMAC_CTX
	HMAC_CTX_free(k->mac);
#else
	EVP_MAC_CTX_free(k->mac);
#endif
	k->cipher = NULL;
	k->mac = NULL;
	OPENSSL_cleanse(k->salt, sizeof k->salt);
}

void sfast_free(struct sfast *f)
{
	size_t i;
	if (!f)
		return;
	for (i = 0; i < f->n_keys; i++)
		key_clear(&f->keys[i]);
	OPENSSL_cleanse(f, sizeof *f);
	free(f);
}

/* key_install - pre-keyed contexts for one set of session keys. */
static enum sa_status key_install(struct sfast *f, struct sfast_key *k, enum sdec_suite suite,
				  const uint8_t *enc, size_t enc_len, const uint8_t *salt,
				  const uint8_t *auth)
{
	const EVP_CIPHER *alg = NULL;
	bool null_cipher = suite == SDEC_NULL_HMAC_SHA1_80 || suite == SDEC_NULL_HMAC_SHA1_32;
	memcpy(k->salt, salt, f->aead ? GCM_SALT : CM_SALT);
	if (!null_cipher) {
		alg = f->aead ? gcm_for(enc_len) : ecb_for(enc_len);
		k->cipher = alg ? EVP_CIPHER_CTX_new() : NULL;
		if (!k->cipher)
			return SA_NOMEM;
		if (f->aead ? EVP_DecryptInit_ex(k->cipher, alg, NULL, enc, NULL) != 1
			    : EVP_EncryptInit_ex(k->cipher, alg, NULL, enc, NULL) != 1 ||
				      EVP_CIPHER_CTX_set_padding(k->cipher, 0) != 1)
			return SA_NOMEM;
	}
	if (!f->aead && f->tag_len > 0) {
#if SFAST_HMAC_CTX
		pthread_once(&fetch_once, fetch_all);
		k->mac = sha1_method ? HMAC_CTX_new() : NULL;
		if (!k->mac || HMAC_Init_ex(k->mac, auth, HMAC_KEY, sha1_method, NULL) != 1)
			return SA_NOMEM;
#else
		OSSL_PARAM prm[2] = {
			OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA1", 0),
			OSSL_PARAM_construct_end(),
		};
		pthread_once(&fetch_once, fetch_all);
		k->mac = hmac_alg ? EVP_MAC_CTX_new(hmac_alg) : NULL;
		if (!k->mac || EVP_MAC_init(k->mac, auth, HMAC_KEY, prm) != 1)
			return SA_NOMEM;
#endif
	}
	return SA_OK;
}

static struct sfast *fast_alloc(enum sdec_suite suite, enum sdec_kind kind, bool unauth)
{
	const struct sdec_suite_info *info = sdec_suite_get(suite);
	struct sfast *f;
	if (!info || !sfast_suite_supported(suite))
		return NULL;
	f = calloc(1, sizeof *f);
	if (!f)
		return NULL;
	f->kind = kind;
	f->aead = info->aead;
	if (kind == SDEC_RTCP)
		f->tag_len = info->srtcp_tag_len; /* 80 bits even for _32 (RFC 3711 §5.2) */
	else
		f->tag_len = unauth ? 0 : info->srtp_tag_len;
	f->conf = suite != SDEC_NULL_HMAC_SHA1_80 && suite != SDEC_NULL_HMAC_SHA1_32;
	return f;
}

enum sa_status sfast_new(const struct sdec_params *p, enum sdec_kind kind, struct sfast **out)
{
	const struct sdec_suite_info *info = sdec_suite_get(p->suite);
	bool rtcp = kind == SDEC_RTCP;
	uint8_t enc[SDEC_MAX_KEY], salt[CM_SALT], auth[HMAC_KEY];
	enum sa_status st = SA_OK;
	struct sfast *f;
	size_t i, slen;
	*out = NULL;
	if (p->n_keys < 1 || p->n_keys > SDEC_MAX_KEYS)
		return SA_MALFORMED;
	f = fast_alloc(p->suite, kind, p->unauthenticated_srtp);
	if (!f)
		return info && !sfast_suite_supported(p->suite) ? SA_UNSUPPORTED : SA_NOMEM;
	/* RFC 4568 §6.3.2: UNENCRYPTED_SRTP / _SRTCP switch confidentiality
	 * off.  libsrtp: an AEAD transform always encrypts SRTP. */
	if (!rtcp && p->unencrypted_srtp && !f->aead)
		f->conf = false;
	if (rtcp && p->unencrypted_srtcp)
		f->conf = false;
	f->mki_len = p->keys[0].mki_len;
	slen = info->salt_len;
	memset(salt, 0, sizeof salt);
	for (i = 0; i < p->n_keys && st == SA_OK; i++) {
		const struct sdec_master_key *m = &p->keys[i];
		st = sfast_kdf(m->key, info->key_len, m->salt, slen,
			       rtcp ? SFAST_LABEL_RTCP_ENC : SFAST_LABEL_RTP_ENC, enc, info->key_len);
		if (st == SA_OK)
			st = sfast_kdf(m->key, info->key_len, m->salt, slen,
				       rtcp ? SFAST_LABEL_RTCP_SALT : SFAST_LABEL_RTP_SALT, salt,
				       info->aead ? GCM_SALT : CM_SALT);
		if (st == SA_OK && !info->aead)
			st = sfast_kdf(m->key, info->key_len, m->salt, slen,
				       rtcp ? SFAST_LABEL_RTCP_AUTH : SFAST_LABEL_RTP_AUTH, auth,
				       HMAC_KEY);
		if (st == SA_OK)
			st = key_install(f, &f->keys[i], p->suite, enc, info->key_len, salt, auth);
		memcpy(f->mkis[i], m->mki, f->mki_len);
		f->keys[i].mki = f->mkis[i];
		f->n_keys = i + 1;
	}
	OPENSSL_cleanse(enc, sizeof enc);
	OPENSSL_cleanse(salt, sizeof salt);
	OPENSSL_cleanse(auth, sizeof auth);
	if (st != SA_OK) {
		sfast_free(f);
		return st == SA_MALFORMED ? SA_MALFORMED : SA_NOMEM;
	}
	*out = f;
	return SA_OK;
}

enum sa_status sfast_new_session(enum sdec_suite suite, enum sdec_kind kind,
				 const uint8_t *enc_key, const uint8_t *salt,
				 const uint8_t *auth_key, struct sfast **out)
{
	const struct sdec_suite_info *info = sdec_suite_get(suite);
	struct sfast *f = fast_alloc(suite, kind, false);
	*out = NULL;
	if (!f)
		return info && !sfast_suite_supported(suite) ? SA_UNSUPPORTED : SA_NOMEM;
	f->n_keys = 1;
	f->keys[0].mki = f->mkis[0];
	if (key_install(f, &f->keys[0], suite, enc_key, info->key_len, salt, auth_key) != SA_OK) {
		sfast_free(f);
		return SA_NOMEM;
	}
	*out = f;
	return SA_OK;
}

/* find_key - the master key whose MKI sits at pkt[at..at+mki_len), first
 * match in key order as libsrtp's srtp_get_session_keys(); key 0 without MKI. */
static struct sfast_key *find_key(struct sfast *f, const uint8_t *pkt, size_t at)
{
	size_t i;
	if (f->mki_len == 0)
		return &f->keys[0];
	for (i = 0; i < f->n_keys; i++)
		if (memcmp(pkt + at, f->keys[i].mki, f->mki_len) == 0)
			return &f->keys[i];
	return NULL;
}

/* hmac_check - RFC 3711 §4.2: HMAC-SHA1 over the len octets of data,
 * truncated to tag_len, compared in constant time with tag. */
static enum sfast_verdict hmac_check(struct sfast_key *k, size_t tag_len, const uint8_t *data,
				     size_t len, const uint8_t *tag)
{
	uint8_t mac[EVP_MAX_MD_SIZE];
#if SFAST_HMAC_CTX
	unsigned int mlen = 0;
	if (HMAC_Init_ex(k->mac, NULL, 0, NULL, NULL) != 1 || HMAC_Update(k->mac, data, len) != 1 ||
	    HMAC_Final(k->mac, mac, &mlen) != 1 || mlen < tag_len)
		return SFAST_AUTH;
#else
	size_t mlen = 0;
	if (EVP_MAC_init(k->mac, NULL, 0, NULL) != 1 || EVP_MAC_update(k->mac, data, len) != 1 ||
	    EVP_MAC_final(k->mac, mac, &mlen, sizeof mac) != 1 || mlen < tag_len)
		return SFAST_AUTH;
#endif
	return CRYPTO_memcmp(mac, tag, tag_len) == 0 ? SFAST_OK : SFAST_AUTH;
}

/* Counter blocks per EVP call: a voice packet needs 11. */
#define CTR_BLOCKS 64

/* ctr_apply - AES-CM (RFC 3711 §4.1.1): IV = (salt * 2^16) XOR (SSRC * 2^64)
 * XOR (index * 2^16); keystream block i = AES(IV + i), i < 2^16 since a
 * packet is shorter than 2^20 octets; the keystream XORs n octets of in
 * into out (in == out allowed). */
static bool ctr_apply(struct sfast_key *k, const uint8_t *ssrc, uint64_t index,
		      const uint8_t *in, size_t n, uint8_t *out)
{
	uint8_t iv[16], ctr[CTR_BLOCKS * 16], ks[CTR_BLOCKS * 16];
	size_t i, done = 0;
	unsigned blk = 0;
	int olen = 0;
	memcpy(iv, k->salt, CM_SALT);
	iv[14] = 0;
	iv[15] = 0;
	for (i = 0; i < 4; i++)
		iv[4 + i] ^= ssrc[i];
	for (i = 0; i < 6; i++)
		iv[8 + i] ^= (uint8_t)(index >> (40 - 8 * i));
	while (done < n) {
		size_t chunk = n - done < sizeof ks ? n - done : sizeof ks;
		size_t nb = (chunk + 15) / 16;
		for (i = 0; i < nb; i++, blk++) {
			memcpy(ctr + 16 * i, iv, 16);
			ctr[16 * i + 14] = (uint8_t)(blk >> 8);
			ctr[16 * i + 15] = (uint8_t)blk;
		}
		if (EVP_EncryptUpdate(k->cipher, ks, &olen, ctr, (int)(nb * 16)) != 1 ||
		    (size_t)olen != nb * 16)
			return false;
		for (i = 0; i + 8 <= chunk; i += 8) {
			uint64_t a, b;
			memcpy(&a, in + done + i, 8);
			memcpy(&b, ks + i, 8);
			a ^= b;
			memcpy(out + done + i, &a, 8);
		}
		for (; i < chunk; i++)
			out[done + i] = in[done + i] ^ ks[i];
		done += chunk;
	}
	return true;
}

/* gcm_open - AES-GCM (RFC 7714 §8-§9): iv12 given, AAD in two pieces,
 * ciphertext of n octets then the 16-octet tag. */
static enum sfast_verdict gcm_open(struct sfast_key *k, const uint8_t *iv, const uint8_t *aad1,
				   size_t aad1_len, const uint8_t *aad2, size_t aad2_len,
				   const uint8_t *in, size_t n, const uint8_t *tag, uint8_t *out)
{
	int olen = 0;
	uint8_t t[AEAD_TAG];
	memcpy(t, tag, sizeof t);
	if (EVP_DecryptInit_ex(k->cipher, NULL, NULL, NULL, iv) != 1 ||
	    EVP_DecryptUpdate(k->cipher, NULL, &olen, aad1, (int)aad1_len) != 1 ||
	    (aad2_len && EVP_DecryptUpdate(k->cipher, NULL, &olen, aad2, (int)aad2_len) != 1) ||
	    (n && EVP_DecryptUpdate(k->cipher, out, &olen, in, (int)n) != 1) ||
	    EVP_CIPHER_CTX_ctrl(k->cipher, EVP_CTRL_AEAD_SET_TAG, AEAD_TAG, t) != 1)
		return SFAST_AUTH;
	return EVP_DecryptFinal_ex(k->cipher, out + n, &olen) == 1 ? SFAST_OK : SFAST_AUTH;
}

/* rtp_header_len - RFC 3550 §5.1 fixed header, CSRCs, §5.3.1 extension;
 * 0 when it does not fit in len. */
static size_t rtp_header_len(const uint8_t *pkt, size_t len)
{
	size_t h;
	if (len < 12 || (pkt[0] >> 6) != 2)
		return 0;
	h = 12 + 4u * (pkt[0] & 0x0f);
	if (pkt[0] & 0x10) {
		if (len < h + 4)
			return 0;
		h += 4 + 4u * ((size_t)pkt[h + 2] << 8 | pkt[h + 3]);
	}
	return h <= len ? h : 0;
}

enum sfast_verdict sfast_rtp(struct sfast *f, const uint8_t *pkt, size_t len, uint64_t index,
			     uint8_t *out, size_t *out_len)
{
	size_t h = rtp_header_len(pkt, len), body, tag = f->aead ? AEAD_TAG : f->tag_len;
	struct sfast_key *k;
	if (h == 0 || f->kind != SDEC_RTP || len < h + tag + f->mki_len)
		return SFAST_BAD;
	body = len - h - tag - f->mki_len;
	if (f->aead) {
		/* RFC 7714 §8.1: IV = (00 00 || SSRC || ROC || SEQ) XOR salt; the
		 * MKI follows the tag (libsrtp looks for it at the very end). */
		uint8_t iv[GCM_SALT];
		size_t i;
		k = find_key(f, pkt, len - f->mki_len);
		if (!k)
			return SFAST_MKI;
		memset(iv, 0, 2);
		memcpy(iv + 2, pkt + 8, 4);
		for (i = 0; i < 6; i++)
			iv[6 + i] = (uint8_t)(index >> (40 - 8 * i));
		for (i = 0; i < GCM_SALT; i++)
			iv[i] ^= k->salt[i];
		memcpy(out, pkt, h);
		if (gcm_open(k, iv, pkt, h, NULL, 0, pkt + h, body, pkt + h + body, out + h) != SFAST_OK)
			return SFAST_AUTH;
		*out_len = h + body;
		return SFAST_OK;
	}
	/* RFC 3711 §3.1: ... payload | MKI | tag. */
	k = find_key(f, pkt, len - tag - f->mki_len);
	if (!k)
		return SFAST_MKI;
	memcpy(out, pkt, h + body);
	if (tag) {
		/* RFC 3711 §4.2: the tag covers the packet and the ROC.  The ROC
		 * goes after the copy (out has len >= h + body + 4 octets) so
		 * that one MAC update takes both. */
		uint32_t r = (uint32_t)(index >> 16);
		out[h + body] = (uint8_t)(r >> 24);
		out[h + body + 1] = (uint8_t)(r >> 16);
		out[h + body + 2] = (uint8_t)(r >> 8);
		out[h + body + 3] = (uint8_t)r;
		if (hmac_check(k, tag, out, h + body + 4, pkt + len - tag) != SFAST_OK)
			return SFAST_AUTH;
	}
	if (f->conf && k->cipher && !ctr_apply(k, pkt + 8, index, out + h, body, out + h))
		return SFAST_AUTH;
	*out_len = h + body;
	return SFAST_OK;
}

enum sfast_verdict sfast_rtcp(struct sfast *f, const uint8_t *pkt, size_t len, uint8_t *out,
			      size_t *out_len)
{
	size_t tag = f->aead ? AEAD_TAG : f->tag_len, body, tr;
	struct sfast_key *k;
	uint32_t w;
	bool e;
	/* libsrtp: at least the 8-octet header, tag, MKI and E|index. */
	if (f->kind != SDEC_RTCP || len < 8 + tag + f->mki_len + 4 || (pkt[0] >> 6) != 2)
		return SFAST_BAD;
	body = len - 8 - tag - f->mki_len - 4;
	if (f->aead) {
		/* RFC 7714 §9: header | ciphertext | tag | E|index | MKI. */
		uint8_t iv[GCM_SALT];
		size_t i;
		tr = len - f->mki_len - 4;
		k = find_key(f, pkt, len - f->mki_len);
		if (!k)
			return SFAST_MKI;
		w = (uint32_t)pkt[tr] << 24 | (uint32_t)pkt[tr + 1] << 16 |
		    (uint32_t)pkt[tr + 2] << 8 | pkt[tr + 3];
		e = (w >> 31) != 0;
		/* RFC 7714 §9.1: IV = (00 00 || SSRC || 00 00 || 0 || index) XOR salt. */
		memset(iv, 0, sizeof iv);
		memcpy(iv + 2, pkt + 4, 4);
		iv[8] = (uint8_t)((w >> 24) & 0x7f);
		iv[9] = (uint8_t)(w >> 16);
		iv[10] = (uint8_t)(w >> 8);
		iv[11] = (uint8_t)w;
		for (i = 0; i < GCM_SALT; i++)
			iv[i] ^= k->salt[i];
		memcpy(out, pkt, 8);
		if (e) {
			/* §9.2: AAD = first header and SSRC, then E|index. */
			if (gcm_open(k, iv, pkt, 8, pkt + tr, 4, pkt + 8, body, pkt + 8 + body,
				     out + 8) != SFAST_OK)
				return SFAST_AUTH;
		} else {
			/* §9.3: nothing encrypted, the whole packet is AAD. */
			if (gcm_open(k, iv, pkt, 8 + body, pkt + tr, 4, NULL, 0, pkt + 8 + body,
				     out) != SFAST_OK)
				return SFAST_AUTH;
			memcpy(out + 8, pkt + 8, body);
		}
		*out_len = 8 + body;
		return SFAST_OK;
	}
	/* RFC 3711 §3.4: compound | E|index | MKI | tag. */
	tr = 8 + body;
	k = find_key(f, pkt, len - tag - f->mki_len);
	if (!k)
		return SFAST_MKI;
	w = (uint32_t)pkt[tr] << 24 | (uint32_t)pkt[tr + 1] << 16 | (uint32_t)pkt[tr + 2] << 8 |
	    pkt[tr + 3];
	e = (w >> 31) != 0;
	/* libsrtp refuses an E flag that differs from its policy
	 * (srtp_err_status_cant_check) before checking the tag. */
	if (e != f->conf)
		return SFAST_BAD;
	if (hmac_check(k, tag, pkt, tr + 4, pkt + len - tag) != SFAST_OK)
		return SFAST_AUTH;
	memcpy(out, pkt, 8 + body);
	if (e && k->cipher && !ctr_apply(k, pkt + 4, w & 0x7fffffffu, out + 8, body, out + 8))
		return SFAST_AUTH;
	*out_len = 8 + body;
	return SFAST_OK;
}
