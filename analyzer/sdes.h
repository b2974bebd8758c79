/* sdes.h - SDP Security Descriptions: the a=crypto attribute (RFC 4568
 * §9.1) and the SRTP crypto-suite table (RFC 4568 §6.2, RFC 6188 §4,
 * RFC 7714 §14.1).
 *
 * sdes_parse() turns the value of one a=crypto line into a struct
 * sdes_crypto: tag, suite, up to SDES_MAX_KEYS key-params with their
 * base64-decoded key||salt, lifetime and MKI, and the session parameters.
 * It never allocates; views point into the caller's text.  Problems are
 * recorded as (code, offending text) so the SDP layer can report them with a
 * line number.  The suite table is what the decryptor uses to size keys and
 * tags.
 */
#ifndef SA_SDES_H
#define SA_SDES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"
#include "text.h"

#define SDES_MAX_KEYS 8        /* key-params per a=crypto line */
#define SDES_MAX_KEY_BYTES 64  /* decoded key||salt kept per key-param */
#define SDES_MAX_UNKNOWN 4     /* unknown session params kept */
#define SDES_MAX_ERRORS 8

/* One crypto suite.  Lengths are in octets. */
struct sdes_suite {
	const char *name;      /* canonical (RFC) name */
	const char *rfc;       /* "RFC 4568 §6.2.1", ...; "" for non-RFC */
	uint8_t key_len;       /* master key */
	uint8_t salt_len;      /* master salt */
	uint8_t srtp_tag_len;  /* SRTP auth tag (AEAD: the GCM tag) */
	uint8_t srtcp_tag_len; /* SRTCP auth tag: 10 even for the _32 suites (RFC 3711 §5.2) */
	uint8_t lifetime_log2; /* largest lifetime accepted in a=crypto, 2^n packets
				 * (RFC 3711 §9.2: 2^48 for SRTP) */
	bool aead;             /* AES-GCM (RFC 7714) */
	bool null_cipher;      /* no encryption, authentication only */
	bool nonstandard;      /* not registered by an RFC */
};

/* sdes_suite_find - look a suite name up, ASCII case-insensitively.  The
 * non-RFC spellings AES_CM_192_... / AES_CM_256_... (RFC-NOTES §12) map to
 * the RFC 6188 entries with *alias set (alias may be NULL).  Returns NULL
 * for an unknown name.  The table is static; never free the result. */
const struct sdes_suite *sdes_suite_find(struct sv name, bool *alias);

/* sdes_suite_count / sdes_suite_at - walk the canonical table. */
size_t sdes_suite_count(void);
const struct sdes_suite *sdes_suite_at(size_t i);

enum sdes_err {
	SDES_ERR_SYNTAX = 1,      /* missing tag/suite/key-params */
	SDES_ERR_TAG,             /* not 1*9DIGIT */
	SDES_ERR_TAG_LEADING_ZERO,/* RFC 4568 §4.1 */
	SDES_ERR_UNKNOWN_SUITE,
	SDES_ERR_KEY_METHOD,      /* key-method other than "inline" */
	SDES_ERR_BASE64,          /* invalid base64 */
	SDES_ERR_KEY_LENGTH,      /* decoded length does not match the suite */
	SDES_ERR_LIFETIME,        /* bad syntax or above the suite maximum */
	SDES_ERR_MKI,             /* bad MKI value:length */
	SDES_ERR_MKI_MISMATCH,    /* key-params with and without MKI, or lengths differ */
	SDES_ERR_TOO_MANY_KEYS,
	SDES_ERR_SESSION_PARAM,   /* bad value of a known session param */
	SDES_ERR_UNKNOWN_PARAM,   /* unknown param without '-': attribute invalid (§6.3.7) */
};

/* sdes_err_code - short stable code ("crypto-bad-base64", ...). */
const char *sdes_err_code(enum sdes_err e);

struct sdes_error {
	enum sdes_err code;
	struct sv text; /* the offending text inside the attribute value */
};

struct sdes_errors {
	struct sdes_error e[SDES_MAX_ERRORS];
	size_t n;
	size_t dropped; /* errors beyond SDES_MAX_ERRORS */
};

/* One key-param: "inline:" key||salt ["|" lifetime] ["|" MKI ":" length]
 * (RFC 4568 §6.1, §9.2). */
struct sdes_key_param {
	struct sv method;      /* "inline" */
	struct sv key_b64;     /* the base64 text */
	uint8_t key[SDES_MAX_KEY_BYTES]; /* decoded master key || master salt */
	size_t key_len;
	bool key_ok;           /* decoded and length matches the suite */
	bool b64_unpadded;     /* accepted without '=' padding (lenient) */
	bool has_lifetime;
	bool lifetime_pow2;    /* written as 2^n */
	uint64_t lifetime;     /* packets; valid when has_lifetime and < 2^64 */
	struct sv lifetime_raw;
	bool has_mki;
	uint64_t mki_value;
	uint8_t mki_len;       /* 1..128 octets */
};

struct sdes_crypto {
	struct sv raw;                 /* the whole value */
	uint32_t tag;
	struct sv tag_raw;
	struct sv suite_name;
	const struct sdes_suite *suite; /* NULL when unknown */
	bool suite_alias;              /* non-RFC spelling */
	struct sdes_key_param keys[SDES_MAX_KEYS];
	size_t n_keys;
	/* session params, RFC 4568 §6.3 */
	bool has_kdr;
	uint8_t kdr;                   /* KDR=n means 2^n, 0..24 (§6.3.1, §9.2) */
	bool unencrypted_srtp, unencrypted_srtcp, unauthenticated_srtp;
	struct sv fec_order;           /* FEC_SRTP / SRTP_FEC */
	struct sv fec_key;             /* the raw key-params after FEC_KEY= */
	bool has_wsh;
	uint32_t wsh;
	struct sv unknown[SDES_MAX_UNKNOWN]; /* unknown params as written */
	size_t n_unknown;
	size_t n_unknown_mandatory;    /* unknown params without '-' (§6.3.7) */
	bool valid;                    /* no error was recorded */
};

/* sdes_parse - parse the value of an a=crypto attribute (the text after
 * "a=crypto:").  Returns SA_OK when the attribute is valid, SA_MALFORMED
 * when the grammar is broken or an RFC 4568 rule makes it invalid (unknown
 * suite, key length, lifetime, MKI, unknown mandatory param); out is filled
 * as far as possible in both cases and every problem is appended to errs
 * (may be NULL).  Views point into value; nothing is allocated. */
enum sa_status sdes_parse(struct sv value, struct sdes_crypto *out,
			  struct sdes_errors *errs);

/* sdes_base64_decode - strict bounded base64 (RFC 4648 §4) decoder: the
 * standard alphabet, '=' only as final padding, zero pad bits.  Input
 * without padding is accepted and *unpadded set (may be NULL).  False on
 * any other input or when more than cap bytes would be written. */
SA_WUR bool sdes_base64_decode(struct sv in, uint8_t *out, size_t cap,
			       size_t *len, bool *unpadded);

#endif
