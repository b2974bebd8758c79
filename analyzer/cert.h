/* cert.h - facts about a DTLS certificate, parsed with OpenSSL.
 *
 * The DTLS layer hands over the DER bytes of each certificate in a
 * Certificate message; this module reports what the conformance checks
 * need: key type and size or curve, validity as epoch seconds, whether the
 * certificate is self-signed (RFC 5763 §5 expects self-signed ones), the
 * hash of its signature, and fingerprints computed with the hash function
 * an a=fingerprint attribute names (RFC 8122 §5).  The result is a plain
 * struct that owns nothing; no OpenSSL object leaks out.
 */
#ifndef SA_CERT_H
#define SA_CERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"
#include "text.h"

enum cert_key_type {
	CERT_KEY_UNKNOWN = 0,
	CERT_KEY_RSA,
	CERT_KEY_EC,
	CERT_KEY_ED25519,
	CERT_KEY_ED448,
	CERT_KEY_DSA,
};

struct cert_info {
	enum cert_key_type key_type;
	int key_bits;          /* RSA modulus bits, EC field bits, 253 for Ed25519 */
	char curve[32];        /* EC: NIST name ("P-256") or OpenSSL's; else "" */
	int64_t not_before;    /* validity, seconds since 1970 UTC */
	int64_t not_after;
	bool issuer_is_subject;
	bool self_signed;      /* issuer == subject and the signature verifies
				  with the certificate's own key */
	char sig_hash[16];     /* "sha-256", "sha-1", "md5", ... "none" (EdDSA) */
	char subject[256];     /* RFC 2253 one-line form, cut to fit */
	char issuer[256];
};

/* cert_parse - parse one DER certificate (d2i_X509) into *out.
 * SA_MALFORMED: not a certificate, or trailing bytes after it;
 * SA_UNSUPPORTED: parsed but its public key could not be read;
 * SA_NOMEM: OpenSSL allocation failed.  The caller owns out. */
enum sa_status cert_parse(const uint8_t *der, size_t len, struct cert_info *out);

/* cert_key_type_name - "RSA", "EC", "Ed25519", "Ed448", "DSA" or "unknown". */
const char *cert_key_type_name(enum cert_key_type t);

#define CERT_FP_MAX 64 /* sha-512 */

/* cert_fingerprint - digest of the DER bytes with the hash named as in
 * RFC 8122 §5 / RFC 4572 §5 ("sha-1", "sha-224", "sha-256", "sha-384",
 * "sha-512", "md5", "md2"; ASCII case-insensitive) into out (cap bytes);
 * *out_len gets the digest length.  SA_UNSUPPORTED for an unknown name
 * or a hash this OpenSSL cannot compute (md2), SA_NOMEM when cap is too
 * small or OpenSSL fails.  Does not parse the DER. */
enum sa_status cert_fingerprint(const uint8_t *der, size_t len, struct sv hash_name,
				uint8_t *out, size_t cap, size_t *out_len);

/* cert_fingerprint_len - digest length of the named hash (0 if unknown),
 * for checking the length of an a=fingerprint value. */
size_t cert_fingerprint_len(struct sv hash_name);

#endif
