/* srtp_peer.c - libsrtp2 wrapper (see srtp_peer.h). */
#include "srtp_peer.h"
#include "srtp_stream.h"

#include <srtp2/srtp.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Key/salt/tag lengths: RFC 4568 §6.2, RFC 6188 §4 (Tables 3, 4), RFC 5764
 * §4.1.2, RFC 7714 §12, §14.  SRTCP tags are 80 bits for the _32 suites
 * (RFC 3711 §5.2). */
static const struct srtp_peer_suite_info suites[SP_SUITE_COUNT] = {
	{ SP_SUITE_AES_CM_128_HMAC_SHA1_80, "AES_CM_128_HMAC_SHA1_80",
	  "SRTP_AES128_CM_HMAC_SHA1_80", "SRTP_AES128_CM_SHA1_80", 0x0001,
	  16, 14, 10, 10 },
	{ SP_SUITE_AES_CM_128_HMAC_SHA1_32, "AES_CM_128_HMAC_SHA1_32",
	  "SRTP_AES128_CM_HMAC_SHA1_32", "SRTP_AES128_CM_SHA1_32", 0x0002,
	  16, 14, 4, 10 },
	{ SP_SUITE_AES_256_CM_HMAC_SHA1_80, "AES_256_CM_HMAC_SHA1_80",
	  NULL, NULL, 0, 32, 14, 10, 10 },
	{ SP_SUITE_AES_256_CM_HMAC_SHA1_32, "AES_256_CM_HMAC_SHA1_32",
	  NULL, NULL, 0, 32, 14, 4, 10 },
	{ SP_SUITE_AEAD_AES_128_GCM, "AEAD_AES_128_GCM",
	  "SRTP_AEAD_AES_128_GCM", "SRTP_AEAD_AES_128_GCM", 0x0007,
	  16, 12, 16, 16 },
	{ SP_SUITE_AEAD_AES_256_GCM, "AEAD_AES_256_GCM",
	  "SRTP_AEAD_AES_256_GCM", "SRTP_AEAD_AES_256_GCM", 0x0008,
	  32, 12, 16, 16 },
};

struct srtp_peer {
	srtp_t ctx;
	bool use_mki;
	size_t mki_len;
	uint8_t keysalt[SRTP_PEER_MAX_KEYSALT];
	uint8_t mki[SRTP_PEER_MAX_MKI];
};

const struct srtp_peer_suite_info *srtp_peer_suite_get(enum srtp_peer_suite s)
{
	if ((unsigned)s >= SP_SUITE_COUNT)
		return NULL;
	return &suites[s];
}

const struct srtp_peer_suite_info *srtp_peer_suite_by_sdes_name(const char *name)
{
	for (unsigned i = 0; name && i < SP_SUITE_COUNT; i++)
		if (strcasecmp(name, suites[i].sdes_name) == 0)
			return &suites[i];
	return NULL;
}

const struct srtp_peer_suite_info *srtp_peer_suite_by_profile_id(uint16_t id)
{
	for (unsigned i = 0; id && i < SP_SUITE_COUNT; i++)
		if (suites[i].profile_id == id)
			return &suites[i];
	return NULL;
}

enum sa_status srtp_peer_global_init(void)
{
	/* One libsrtp initialisation for the whole process, shared with the
	 * analyzer's decryptor (a second srtp_init() fails on Debian). */
	return sdec_library_init();
}

static void policy_set_suite(srtp_crypto_policy_t *rtp,
			     srtp_crypto_policy_t *rtcp, enum srtp_peer_suite s)
{
	switch (s) {
	case SP_SUITE_AES_CM_128_HMAC_SHA1_80:
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(rtp);
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(rtcp);
		break;
	case SP_SUITE_AES_CM_128_HMAC_SHA1_32:
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(rtp);
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(rtcp);
		break;
	case SP_SUITE_AES_256_CM_HMAC_SHA1_80:
		srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(rtp);
		srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(rtcp);
		break;
	case SP_SUITE_AES_256_CM_HMAC_SHA1_32:
		srtp_crypto_policy_set_aes_cm_256_hmac_sha1_32(rtp);
		srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(rtcp);
		break;
	case SP_SUITE_AEAD_AES_128_GCM:
		srtp_crypto_policy_set_aes_gcm_128_16_auth(rtp);
		srtp_crypto_policy_set_aes_gcm_128_16_auth(rtcp);
		break;
	case SP_SUITE_AEAD_AES_256_GCM:
	default:
		srtp_crypto_policy_set_aes_gcm_256_16_auth(rtp);
		srtp_crypto_policy_set_aes_gcm_256_16_auth(rtcp);
		break;
	}
}

struct srtp_peer *srtp_peer_new(enum srtp_peer_suite suite, bool outbound,
				const uint8_t *keysalt, size_t keysalt_len,
				const uint8_t *mki, size_t mki_len)
{
	const struct srtp_peer_suite_info *si = srtp_peer_suite_get(suite);
	struct srtp_peer *p;
	srtp_policy_t pol;
	srtp_master_key_t mk;
	srtp_master_key_t *mkp[1];

	if (!si || keysalt_len != si->key_len + si->salt_len ||
	    mki_len > SRTP_PEER_MAX_MKI || srtp_peer_global_init() != SA_OK)
		return NULL;
	p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	memcpy(p->keysalt, keysalt, keysalt_len);
	memset(&pol, 0, sizeof pol);
	policy_set_suite(&pol.rtp, &pol.rtcp, suite);
	pol.ssrc.type = outbound ? ssrc_any_outbound : ssrc_any_inbound;
	pol.window_size = 1024;
	pol.allow_repeat_tx = 1;
	if (mki_len) {
		memcpy(p->mki, mki, mki_len);
		p->use_mki = true;
		p->mki_len = mki_len;
		mk.key = p->keysalt;
		mk.mki_id = p->mki;
		mk.mki_size = (unsigned)mki_len;
		mkp[0] = &mk;
		pol.keys = mkp;
		pol.num_master_keys = 1;
	} else {
		pol.key = p->keysalt;
	}
	if (srtp_create(&p->ctx, &pol) != srtp_err_status_ok) {
		free(p);
		return NULL;
	}
	return p;
}

void srtp_peer_free(struct srtp_peer *p)
{
	if (!p)
		return;
	srtp_dealloc(p->ctx);
	free(p);
}

/* Worst-case expansion: 16-octet tag, 4-octet SRTCP E+index, MKI. */
static bool room(const struct srtp_peer *p, size_t cap, size_t len)
{
	return len <= 65000 && cap >= len + 16 + 4 + p->mki_len;
}

enum sa_status srtp_peer_protect_rtp(struct srtp_peer *p, uint8_t *buf,
				     size_t cap, size_t *len)
{
	int n = (int)*len;
	if (!room(p, cap, *len))
		return SA_NOMEM;
	if (srtp_protect_mki(p->ctx, buf, &n, p->use_mki, 0) !=
	    srtp_err_status_ok)
		return SA_MALFORMED;
	*len = (size_t)n;
	return SA_OK;
}

enum sa_status srtp_peer_protect_rtcp(struct srtp_peer *p, uint8_t *buf,
				      size_t cap, size_t *len)
{
	int n = (int)*len;
	if (!room(p, cap, *len))
		return SA_NOMEM;
	if (srtp_protect_rtcp_mki(p->ctx, buf, &n, p->use_mki, 0) !=
	    srtp_err_status_ok)
		return SA_MALFORMED;
	*len = (size_t)n;
	return SA_OK;
}

enum sa_status srtp_peer_unprotect_rtp(struct srtp_peer *p, uint8_t *buf,
				       size_t *len)
{
	int n = (int)*len;
	if (*len > 65535)
		return SA_MALFORMED;
	if (srtp_unprotect_mki(p->ctx, buf, &n, p->use_mki) !=
	    srtp_err_status_ok)
		return SA_MALFORMED;
	*len = (size_t)n;
	return SA_OK;
}

enum sa_status srtp_peer_unprotect_rtcp(struct srtp_peer *p, uint8_t *buf,
					size_t *len)
{
	int n = (int)*len;
	if (*len > 65535)
		return SA_MALFORMED;
	if (srtp_unprotect_rtcp_mki(p->ctx, buf, &n, p->use_mki) !=
	    srtp_err_status_ok)
		return SA_MALFORMED;
	*len = (size_t)n;
	return SA_OK;
}
