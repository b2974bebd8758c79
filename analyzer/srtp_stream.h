/* srtp_stream.h - the SRTP/SRTCP decryption engine: one stream at a time.
 *
 * A decryption stream ("sdec stream") is one SSRC in one direction, RTP or
 * RTCP, under one set of master keys.  Each owns its own libsrtp2 session
 * holding exactly that SSRC, so lookups never walk a long list (the caller
 * finds the stream by flow and SSRC in its own table).
 *
 * The engine, not libsrtp, decides which packet index a packet has:
 *   - RTP: RFC 3711 §3.3.1 / Appendix A index estimation from the highest
 *     authenticated index; a stream that starts mid-call (unknown ROC) tries
 *     ROC candidates when its first packets fail, a bounded number of times.
 *   - SRTCP: the index is in the packet (RFC 3711 §3.4).
 * and keeps its own replay window, so a duplicated frame is counted as a
 * duplicate and still decrypted (libsrtp would refuse it with replay_fail),
 * a reordered one as out of order, and only a tag mismatch as an
 * authentication failure.  When libsrtp's own state cannot produce the index
 * the engine chose (duplicate, old packet, ROC jump), the packet is decrypted
 * with a freshly keyed side session positioned at that index.
 *
 * Two engines do the cryptography, with the same index, ROC and replay
 * logic above them: libsrtp2 (the reference) and a fast one on OpenSSL EVP
 * (srtp_fast.h), proven bit-identical to libsrtp by tests/test_srtp_fast.c.
 * The fast engine is the default; SRTPAUDIT_ENGINE=libsrtp|fast in the
 * environment, sdec_engine_set() or sdec_params.engine choose.
 *
 * Suites: every RFC 4568 / 6188 / 7714 suite that libsrtp gets right.
 * AES_192_CM only with the fast engine: Debian's libsrtp 2.5.0 derives its
 * session keys wrongly (libsrtp issue #763; see docs/keys.md).
 *
 * Not thread-safe per stream; different streams may be used from different
 * threads once sdec_library_init() has returned.
 */
#ifndef SA_SRTP_STREAM_H
#define SA_SRTP_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "status.h"
#include "text.h"

enum sdec_suite {
	SDEC_SUITE_NONE = 0,
	SDEC_AES_CM_128_HMAC_SHA1_80, /* RFC 4568 §6.2.1; DTLS profile 0x0001 */
	SDEC_AES_CM_128_HMAC_SHA1_32, /* RFC 4568 §6.2.2; DTLS profile 0x0002 */
	SDEC_AES_192_CM_HMAC_SHA1_80, /* RFC 6188 §4; unsupported (see above) */
	SDEC_AES_192_CM_HMAC_SHA1_32,
	SDEC_AES_256_CM_HMAC_SHA1_80, /* RFC 6188 §4 */
	SDEC_AES_256_CM_HMAC_SHA1_32,
	SDEC_AEAD_AES_128_GCM,        /* RFC 7714 §14; DTLS profile 0x0007 */
	SDEC_AEAD_AES_256_GCM,        /* RFC 7714 §14; DTLS profile 0x0008 */
	SDEC_NULL_HMAC_SHA1_80,       /* RFC 5764 §4.1.2 profile 0x0005 */
	SDEC_NULL_HMAC_SHA1_32,       /* RFC 5764 §4.1.2 profile 0x0006 */
	SDEC_F8_128_HMAC_SHA1_80,     /* RFC 4568 §6.2.3; libsrtp has no F8: unsupported */
	SDEC_SUITE_COUNT
};

struct sdec_suite_info {
	enum sdec_suite suite;
	const char *name;     /* RFC name, e.g. "AES_CM_128_HMAC_SHA1_80" */
	size_t key_len;       /* master key octets */
	size_t salt_len;      /* master salt octets (14; 12 for AEAD) */
	size_t srtp_tag_len;  /* SRTP tag octets (10, 4; 16 for AEAD) */
	size_t srtcp_tag_len; /* SRTCP tag octets: 10 even for _32 (RFC 3711 §5.2) */
	bool aead;
	bool supported;       /* false: SA_UNSUPPORTED under the default engine */
};

/* sdec_suite_get - the table row for suite; NULL for SDEC_SUITE_NONE or an
 * out-of-range value. */
const struct sdec_suite_info *sdec_suite_get(enum sdec_suite suite);

/* sdec_suite_by_name - look a suite up by name, ASCII case-insensitive.
 * Accepts the RFC 4568/6188/7714 SDES names, the RFC 5764 DTLS profile
 * names (SRTP_AES128_CM_HMAC_SHA1_80, SRTP_AEAD_AES_128_GCM, ...) and the
 * common non-RFC spellings AES_CM_256_HMAC_SHA1_80 / AES_CM_192_... .
 * Returns SDEC_SUITE_NONE when unknown. */
enum sdec_suite sdec_suite_by_name(struct sv name);

#define SDEC_MAX_KEY 32
#define SDEC_MAX_SALT 14
#define SDEC_MAX_MKI 128  /* RFC 4568 §6.1: MKI length at most 128 octets */
#define SDEC_MAX_KEYS 16  /* several master keys, told apart by MKI */

struct sdec_master_key {
	uint8_t key[SDEC_MAX_KEY];
	uint8_t salt[SDEC_MAX_SALT];
	uint8_t mki[SDEC_MAX_MKI];
	size_t mki_len;       /* 0: no MKI in packets */
};

/* Which implementation does the per-packet cryptography. */
enum sdec_engine {
	SDEC_ENGINE_DEFAULT = 0, /* the process default (sdec_engine_set) */
	SDEC_ENGINE_LIBSRTP,     /* libsrtp2: the reference */
	SDEC_ENGINE_FAST,        /* OpenSSL EVP (srtp_fast.h) */
};

struct sdec_params {
	enum sdec_suite suite;
	enum sdec_engine engine;    /* DEFAULT: the process default */
	struct sdec_master_key keys[SDEC_MAX_KEYS];
	size_t n_keys;              /* 1..SDEC_MAX_KEYS; more than 1 needs MKIs of one length */
	/* RFC 4568 §6.3.2/§6.3.3 session parameters. */
	bool unencrypted_srtp;
	bool unencrypted_srtcp;     /* informational: the E flag of each packet rules */
	bool unauthenticated_srtp;  /* no SRTP tag; cannot detect wrong keys or ROC */
	/* ROC: the first packet is tried with initial_roc (0 for a stream seen
	 * from its start, RFC 4568 §6.4); when the first packets fail, ROC
	 * 0..roc_search-1 are tried too (0: never search). */
	uint32_t initial_roc;
	uint32_t roc_search;
};

#define SDEC_ROC_SEARCH_DEFAULT 16 /* 16 * 65536 packets: hours of audio */
#define SDEC_ROC_SEARCH_PACKETS 3  /* packets on which a search is tried */
#define SDEC_REPLAY_WINDOW 1024    /* own duplicate-detection window (indices) */

/* sdec_params_init - zero p and set the defaults: no suite, one key,
 * initial_roc 0, roc_search SDEC_ROC_SEARCH_DEFAULT. */
void sdec_params_init(struct sdec_params *p);

enum sdec_kind { SDEC_RTP, SDEC_RTCP };

enum sdec_verdict {
	SDEC_DECRYPTED,    /* plaintext written (a duplicate too: see result.duplicate) */
	SDEC_AUTH_FAILED,  /* tag mismatch under every index tried: wrong key, ROC or damage */
	SDEC_BAD_MKI,      /* the packet's MKI matches no master key */
	SDEC_NOT_PACKET,   /* too short / not RTP/RTCP version 2 / another SSRC */
};

struct sdec_result {
	enum sdec_verdict verdict;
	size_t len;          /* plaintext length written to out (DECRYPTED only) */
	uint64_t index;      /* RTP: 48-bit packet index ROC*65536+SEQ; RTCP: 31-bit SRTCP index */
	uint32_t roc;        /* RTP: ROC used */
	bool duplicate;      /* index already decrypted before (still decrypted) */
	bool out_of_order;   /* index below the highest one seen, not a duplicate */
	bool encrypted;      /* RTCP: the E flag (RFC 3711 §3.4); RTP: confidentiality on */
	unsigned roc_tries;  /* extra ROC candidates tried for this packet */
};

struct sdec_counters {
	uint64_t packets;        /* every call of sdec_unprotect */
	uint64_t decrypted;      /* verdict DECRYPTED, duplicates included */
	uint64_t auth_failures;
	uint64_t duplicates;
	uint64_t out_of_order;   /* reordered (or older than the replay window) */
	uint64_t bad_mki;
	uint64_t not_packet;
	uint64_t unencrypted;    /* RTCP packets with E = 0 that decrypted */
	uint64_t roc_searches;   /* packets on which ROC candidates were tried */
	uint64_t side_sessions;  /* side sessions created (duplicates, ROC jumps, reorder) */
	uint32_t roc;            /* RTP: ROC of the highest authenticated index */
	uint64_t highest_index;  /* highest authenticated index */
	bool synced;             /* some packet authenticated */
};

struct sdec_stream;

/* sdec_library_init - initialise libsrtp once (idempotent, thread-safe).
 * Other code should call this rather than srtp_init(): libsrtp 2.5 fails a
 * second srtp_init().  If libsrtp was already initialised elsewhere this
 * still succeeds.  Returns SA_UNSUPPORTED when libsrtp cannot be used.
 * sdec_stream_new calls it. */
enum sa_status sdec_library_init(void);

/* sdec_engine_set - the process default engine for streams created
 * afterwards (SDEC_ENGINE_DEFAULT: back to the environment's choice,
 * SRTPAUDIT_ENGINE=libsrtp|fast, read once, else fast).  Call before
 * streams are created on other threads. */
void sdec_engine_set(enum sdec_engine e);

/* sdec_engine_get - the process default engine, resolved (never DEFAULT). */
enum sdec_engine sdec_engine_get(void);

/* sdec_engine_by_name - "libsrtp" or "fast" (ASCII case-insensitive);
 * false when unknown. */
bool sdec_engine_by_name(const char *name, enum sdec_engine *out);

/* sdec_engine_name - "libsrtp" or "fast". */
const char *sdec_engine_name(enum sdec_engine e);

/* sdec_stream_engine - the engine a stream runs on. */
enum sdec_engine sdec_stream_engine(const struct sdec_stream *s);

/* sdec_stream_new - a decryption stream for one SSRC and kind under params.
 * Validates params: SA_UNSUPPORTED for an unsupported suite (F8; AES_192
 * under libsrtp)
 * or combination (unauthenticated AEAD), SA_MALFORMED for a bad key count
 * or mixed MKI lengths, SA_NOMEM when allocation or libsrtp setup fails;
 * the reason goes to diag.  params is copied.  *out is owned by the caller:
 * free with sdec_stream_free(). */
enum sa_status sdec_stream_new(const struct sdec_params *params, enum sdec_kind kind,
			       uint32_t ssrc, struct sdec_stream **out,
			       const struct diag_sink *diag);

/* sdec_stream_free - free a stream and its libsrtp sessions.  NULL is fine. */
void sdec_stream_free(struct sdec_stream *s);

/* sdec_unprotect - decrypt and verify one SRTP (RTP stream) or SRTCP (RTCP
 * stream) packet of len bytes.  The input is not modified.  On verdict
 * DECRYPTED the plain RTP/RTCP packet (MKI and tag removed, SRTCP trailer
 * removed) is in out[0..res->len).  out needs cap >= len.
 * Returns SA_OK when a verdict was reached (check res->verdict; counters
 * updated), SA_NOMEM when cap < len or an allocation failed (packet not
 * counted).  Never fails for bad packet bytes: they get SDEC_NOT_PACKET. */
enum sa_status sdec_unprotect(struct sdec_stream *s, const uint8_t *pkt, size_t len,
			      uint8_t *out, size_t cap, struct sdec_result *res);

/* sdec_stream_counters - the stream's counters (owned by s). */
const struct sdec_counters *sdec_stream_counters(const struct sdec_stream *s);

/* sdec_packet_ssrc - the SSRC of an RTP (kind SDEC_RTP: octets 8..11) or
 * RTCP packet (octets 4..7 of the first RTCP header); false when the packet
 * is too short or not version 2.  For callers that route packets. */
bool sdec_packet_ssrc(enum sdec_kind kind, const uint8_t *pkt, size_t len, uint32_t *ssrc);

#endif
