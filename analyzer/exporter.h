/* exporter.h - DTLS-SRTP keying material from a (D)TLS master secret.
 *
 * RFC 5764 §4.2 with RFC 5705 §4: keying material =
 *     PRF(master_secret, "EXTRACTOR-dtls_srtp", client_random || server_random)
 * (no context value; RFC-NOTES §13 #3), 2 * (key + salt) bytes for the
 * negotiated protection profile, split in this order (RFC 5764 §4.2):
 *     client_write_SRTP_master_key, server_write_SRTP_master_key,
 *     client_write_SRTP_master_salt, server_write_SRTP_master_salt.
 * The PRF is the TLS 1.0/1.1 PRF (MD5 and SHA-1 halves) for DTLS 1.0 and the
 * TLS 1.2 PRF with the cipher suite's hash for DTLS 1.2 (RFC 5246 §5:
 * SHA-256 unless the suite names another, e.g. *_SHA384).  Computed with
 * OpenSSL's EVP_KDF "TLS1-PRF".  With extended master secret (RFC 7627) the
 * key log holds the extended master secret and nothing changes here.
 *
 * The DTLS client's media is protected with the client half, the server's
 * media with the server half (RFC 5764 §4.2).  Secrets are copied into the
 * caller's structs; nothing is kept.
 */
#ifndef SA_EXPORTER_H
#define SA_EXPORTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "srtp_stream.h"
#include "status.h"

#define EXPORTER_LABEL "EXTRACTOR-dtls_srtp"
#define EXPORTER_MAX_MATERIAL 88 /* AEAD_AES_256_GCM: 2 * (32 + 12) */

#define DTLS1_0_WIRE 0xfeffu /* RFC 4347 §4.1 */
#define DTLS1_2_WIRE 0xfefdu /* RFC 6347 §4.1 */

enum exporter_prf {
	EXPORTER_PRF_MD5_SHA1, /* TLS 1.0/1.1 PRF (RFC 2246 §5): DTLS 1.0 */
	EXPORTER_PRF_SHA256,   /* TLS 1.2 PRF with SHA-256 (RFC 5246 §5) */
	EXPORTER_PRF_SHA384,   /* TLS 1.2 PRF with SHA-384 (*_SHA384 suites) */
};

/* One DTLS-SRTP protection profile (RFC 5764 §4.1.2, RFC 7714 §14.2). */
struct exporter_profile {
	uint16_t id;          /* 0x0001 ... */
	const char *name;     /* "SRTP_AES128_CM_HMAC_SHA1_80" */
	size_t key_len;       /* master key octets */
	size_t salt_len;      /* master salt octets */
	enum sdec_suite suite;
};

struct dtls_srtp_keys {
	uint16_t profile;
	size_t key_len, salt_len;
	uint8_t client_key[SDEC_MAX_KEY];
	uint8_t server_key[SDEC_MAX_KEY];
	uint8_t client_salt[SDEC_MAX_SALT];
	uint8_t server_salt[SDEC_MAX_SALT];
};

/* exporter_profile_find - the profile with this use_srtp id, or NULL when
 * unknown or not derivable here (the NULL-cipher profiles 0x0005/0x0006:
 * their key lengths are not settled, RFC-NOTES §13 #2). */
const struct exporter_profile *exporter_profile_find(uint16_t id);

/* exporter_prf_select - the PRF for a DTLS version (wire value, 0xfeff or
 * 0xfefd) and the negotiated cipher suite.  SA_UNSUPPORTED for any other
 * version (DTLS 1.3 uses a different exporter, RFC 8446 §7.5). */
enum sa_status exporter_prf_select(uint16_t version, uint16_t cipher_suite,
				   enum exporter_prf *prf);

/* exporter_suite_is_sha384 - true when a TLS 1.2 cipher suite's PRF hash
 * is SHA-384 (the IANA *_SHA384 suites). */
bool exporter_suite_is_sha384(uint16_t cipher_suite);

/* exporter_derive - RFC 5705 §4 exporter without context:
 * PRF(master_secret, label, client_random || server_random)[0..len).
 * label is label_len bytes.  Returns SA_OK, SA_UNSUPPORTED when OpenSSL
 * lacks the KDF or digest, SA_MALFORMED for len 0 or > 1024. */
enum sa_status exporter_derive(enum exporter_prf prf, const uint8_t master_secret[48],
			       const uint8_t client_random[32], const uint8_t server_random[32],
			       const char *label, size_t label_len, uint8_t *out, size_t len);

/* exporter_dtls_srtp - RFC 5764 §4.2 keys for profile.  SA_UNSUPPORTED for
 * an unknown profile (see exporter_profile_find), else as exporter_derive.
 * *keys is fully written on SA_OK and zeroed otherwise. */
enum sa_status exporter_dtls_srtp(enum exporter_prf prf, const uint8_t master_secret[48],
				  const uint8_t client_random[32],
				  const uint8_t server_random[32], uint16_t profile,
				  struct dtls_srtp_keys *keys);

/* exporter_split - split raw keying material (2 * (key + salt) bytes, e.g.
 * a published exporter dump) for profile into *keys.  SA_MALFORMED when len
 * is not the profile's, SA_UNSUPPORTED for an unknown profile. */
enum sa_status exporter_split(const uint8_t *material, size_t len, uint16_t profile,
			      struct dtls_srtp_keys *keys);

/* exporter_keys_params - fill an sdec_params for the media sent by the
 * DTLS client (client_side true) or the DTLS server.  Resets *p with
 * sdec_params_init() first.  SA_UNSUPPORTED for an unknown profile. */
enum sa_status exporter_keys_params(const struct dtls_srtp_keys *keys, bool client_side,
				    struct sdec_params *p);

#endif
