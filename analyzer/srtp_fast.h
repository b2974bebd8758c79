/* srtp_fast.h - the fast SRTP/SRTCP packet transform, on OpenSSL EVP.
 *
 * The "fast engine" behind srtp_stream.h: session keys derived once per
 * stream (RFC 3711 §4.3 with the AES-CM PRF; RFC 6188 §3 for AES-192/256;
 * RFC 7714 §11 and erratum 4938 for AES-GCM), pre-keyed EVP contexts kept
 * per master key (AES-CTR or AES-GCM, and an HMAC-SHA1 EVP_MAC context), and
 * one call per packet that verifies and decrypts at an index the caller
 * chose.  It keeps no index, ROC or replay state: srtp_stream.c decides the
 * index for both engines.  No AES or HMAC is implemented here: EVP only.
 *
 * The result of every packet is meant to be bit-identical to libsrtp 2.5's
 * srtp_unprotect_mki()/srtp_unprotect_rtcp_mki() at the same index
 * (tests/test_srtp_fast.c proves it, and where libsrtp deviates from the
 * RFCs, docs/keys.md says how).
 *
 * A stream is not thread-safe; different streams may run on different
 * threads.
 */
#ifndef SA_SRTP_FAST_H
#define SA_SRTP_FAST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "srtp_stream.h"
#include "status.h"

enum sfast_verdict {
	SFAST_OK,   /* authenticated; plaintext in out */
	SFAST_AUTH, /* tag mismatch */
	SFAST_MKI,  /* the packet's MKI matches no master key */
	SFAST_BAD,  /* too short / header does not fit / SRTCP E flag refused */
};

/* RFC 3711 §4.3.1 key derivation labels. */
enum sfast_label {
	SFAST_LABEL_RTP_ENC = 0x00,
	SFAST_LABEL_RTP_AUTH = 0x01,
	SFAST_LABEL_RTP_SALT = 0x02,
	SFAST_LABEL_RTCP_ENC = 0x03,
	SFAST_LABEL_RTCP_AUTH = 0x04,
	SFAST_LABEL_RTCP_SALT = 0x05,
};

struct sfast;

/* sfast_suite_supported - whether the fast engine implements suite (every
 * AES-CM, AES-GCM and NULL suite, AES_192_CM included; not F8). */
bool sfast_suite_supported(enum sdec_suite suite);

/* sfast_kdf - RFC 3711 §4.3.3 AES-CM PRF with KDR 0: out_len octets of the
 * session key for label, from the master key (16, 24 or 32 octets: AES-128,
 * RFC 6188 AES_192_CM_PRF / AES_256_CM_PRF) and master salt (14 octets, or
 * 12 for AEAD, padded with two zero octets on the right as RFC 7714 §11
 * erratum 4938 says).  SA_MALFORMED for other lengths, SA_NOMEM when
 * OpenSSL fails. */
enum sa_status sfast_kdf(const uint8_t *key, size_t key_len, const uint8_t *salt,
			 size_t salt_len, enum sfast_label label, uint8_t *out, size_t out_len);

/* sfast_new - a fast stream for kind under params (validated by the
 * caller: suite supported, 1..SDEC_MAX_KEYS keys, MKIs of one length).
 * Derives the session keys of every master key.  SA_UNSUPPORTED for a suite
 * this engine lacks, SA_NOMEM when allocation or OpenSSL fails.  *out is
 * the caller's: free with sfast_free(). */
enum sa_status sfast_new(const struct sdec_params *params, enum sdec_kind kind,
			 struct sfast **out);

/* sfast_new_session - a fast stream keyed with session keys directly (one
 * key, no MKI), for known-answer tests (RFC 3711 B.2, RFC 7714 §16-17):
 * enc_key of the suite's key length, salt of 14 (12 for AEAD) octets,
 * auth_key of 20 octets (ignored for AEAD).  Fails as sfast_new. */
enum sa_status sfast_new_session(enum sdec_suite suite, enum sdec_kind kind,
				 const uint8_t *enc_key, const uint8_t *salt,
				 const uint8_t *auth_key, struct sfast **out);

/* sfast_free - free a stream and wipe its keys.  NULL is fine. */
void sfast_free(struct sfast *f);

/* sfast_rtp - verify and decrypt one SRTP packet of len octets as packet
 * index (ROC << 16 | SEQ, RFC 3711 §3.3.1) chosen by the caller.  The input
 * is not modified; out (cap >= len) receives the plain RTP packet, MKI and
 * tag removed, and *out_len its length (on SFAST_OK only). */
enum sfast_verdict sfast_rtp(struct sfast *f, const uint8_t *pkt, size_t len,
			     uint64_t index, uint8_t *out, size_t *out_len);

/* sfast_rtcp - verify and decrypt one SRTCP packet (the index and E flag
 * are read from its trailer, RFC 3711 §3.4 / RFC 7714 §9).  out as above:
 * the plain RTCP without E|index, MKI and tag. */
enum sfast_verdict sfast_rtcp(struct sfast *f, const uint8_t *pkt, size_t len,
			      uint8_t *out, size_t *out_len);

#endif
