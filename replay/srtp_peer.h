/* srtp_peer.h - a small libsrtp2 wrapper: one sending or receiving SRTP
 * context for one suite (SDES crypto-suite or DTLS-SRTP protection
 * profile) keyed with master key || master salt, for SRTP and SRTCP.
 *
 * Used by the fixture generator (fixtures/) to protect media and by the
 * live replay endpoint.  The suite table maps the RFC 4568/6188/7714 SDES
 * names and the RFC 5764/7714 DTLS-SRTP profile codes to key lengths.
 */
#ifndef SA_SRTP_PEER_H
#define SA_SRTP_PEER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"

enum srtp_peer_suite {
	SP_SUITE_AES_CM_128_HMAC_SHA1_80 = 0,
	SP_SUITE_AES_CM_128_HMAC_SHA1_32,
	SP_SUITE_AES_256_CM_HMAC_SHA1_80,
	SP_SUITE_AES_256_CM_HMAC_SHA1_32,
	SP_SUITE_AEAD_AES_128_GCM,
	SP_SUITE_AEAD_AES_256_GCM,
	SP_SUITE_COUNT
};

struct srtp_peer_suite_info {
	enum srtp_peer_suite suite;
	const char *sdes_name;     /* RFC 4568 §6.2 / 6188 §4 / 7714 §14.1 */
	const char *profile_name;  /* RFC 5764 §4.1.2 / 7714 §14.2, or NULL */
	const char *openssl_name;  /* SSL_CTX_set_tlsext_use_srtp, or NULL */
	uint16_t profile_id;       /* use_srtp code, 0 when none */
	unsigned key_len;          /* master key octets */
	unsigned salt_len;         /* master salt octets */
	unsigned srtp_tag_len;     /* octets appended to SRTP */
	unsigned srtcp_tag_len;    /* octets of the SRTCP tag (after E+index) */
};

#define SRTP_PEER_MAX_KEYSALT 46  /* 32-octet key + 14-octet salt */
#define SRTP_PEER_MAX_MKI 16

/* srtp_peer_suite_get - table row of a suite; NULL for an out-of-range value. */
const struct srtp_peer_suite_info *srtp_peer_suite_get(enum srtp_peer_suite s);
/* srtp_peer_suite_by_sdes_name - look up "AES_CM_128_HMAC_SHA1_80" etc.
 * (case-insensitive); NULL when unknown. */
const struct srtp_peer_suite_info *srtp_peer_suite_by_sdes_name(const char *name);
/* srtp_peer_suite_by_profile_id - look up a use_srtp code; NULL when unknown. */
const struct srtp_peer_suite_info *srtp_peer_suite_by_profile_id(uint16_t id);

/* srtp_peer_global_init - initialise libsrtp once per process; SA_IO when
 * libsrtp refuses.  Safe to call more than once. */
enum sa_status srtp_peer_global_init(void);

struct srtp_peer;

/* srtp_peer_new - a context that protects (outbound=true) or unprotects
 * (outbound=false) packets of any SSRC with key||salt (key_len+salt_len
 * octets of the suite).  mki/mki_len (0 = none) is the RFC 3711 §3.1 MKI
 * carried in every packet.  Returns NULL on a bad length or when libsrtp
 * fails.  The caller frees the result with srtp_peer_free(). */
struct srtp_peer *srtp_peer_new(enum srtp_peer_suite suite, bool outbound,
				const uint8_t *keysalt, size_t keysalt_len,
				const uint8_t *mki, size_t mki_len);
/* srtp_peer_free - free the context; NULL is allowed. */
void srtp_peer_free(struct srtp_peer *p);

/* srtp_peer_protect_rtp / _rtcp - protect the packet in buf (len octets
 * in *len) in place; buf must have cap >= *len + 16 + 4 + mki octets.  On
 * success *len is the protected length.  SA_NOMEM when cap is too small,
 * SA_MALFORMED when libsrtp rejects the packet. */
enum sa_status srtp_peer_protect_rtp(struct srtp_peer *p, uint8_t *buf,
				     size_t cap, size_t *len);
enum sa_status srtp_peer_protect_rtcp(struct srtp_peer *p, uint8_t *buf,
				      size_t cap, size_t *len);
/* srtp_peer_unprotect_rtp / _rtcp - authenticate and decrypt in place;
 * *len becomes the plain length.  SA_MALFORMED on an authentication or
 * replay failure (nothing useful is left in buf then). */
enum sa_status srtp_peer_unprotect_rtp(struct srtp_peer *p, uint8_t *buf,
				       size_t *len);
enum sa_status srtp_peer_unprotect_rtcp(struct srtp_peer *p, uint8_t *buf,
					size_t *len);

#endif
