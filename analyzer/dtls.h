/* dtls.h - DTLS records and handshakes seen on one UDP association.
 *
 * A passive observer's view of DTLS 1.0/1.2 (RFC 6347) as used by
 * DTLS-SRTP (RFC 5764): one struct dtls_assoc per 5-tuple pair, fed every
 * DTLS datagram of both directions (dir 0 and 1, the caller's choice).
 * Records are split (§4.1), epoch-0 handshake fragments reassembled (§4.2.3)
 * whatever their order, overlap or retransmission, and each complete
 * message parsed into plain facts: hellos with their extensions (use_srtp,
 * extended_master_secret, ...), the certificate chains (DER copied into the
 * association because packets die), key exchange, ChangeCipherSpec, the
 * encrypted Finished, alerts.  Each fact carries the direction, frame and
 * time of the record that completed it.  DTLS 1.3 (RFC 9147) is only
 * recognised and reported as such.
 *
 * Memory is bounded by struct dtls_limits: message size, bytes buffered
 * for reassembly, stored certificate bytes, events.  Tables of SRTP
 * protection profiles and cipher suites are here too for other modules.
 * See docs/dtls.md.
 */
#ifndef SA_DTLS_H
#define SA_DTLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "status.h"

#define DTLS_V10 0xFEFF
#define DTLS_V12 0xFEFD
#define DTLS_V13 0xFEFC

#define DTLS_MAX_LIST 128      /* entries kept per list (suites, groups, ...) */
#define DTLS_MAX_CHAIN 8       /* certificates kept per Certificate message */
#define DTLS_MAX_HANDSHAKES 4  /* handshakes kept per association */
#define DTLS_MAX_PARTIALS 16   /* messages under reassembly per direction */

/* RFC 5246 §7.4 / RFC 6347 §4.3.2 handshake types. */
enum dtls_hs_type {
	DTLS_HS_HELLO_REQUEST = 0,
	DTLS_HS_CLIENT_HELLO = 1,
	DTLS_HS_SERVER_HELLO = 2,
	DTLS_HS_HELLO_VERIFY_REQUEST = 3,
	DTLS_HS_NEW_SESSION_TICKET = 4,
	DTLS_HS_CERTIFICATE = 11,
	DTLS_HS_SERVER_KEY_EXCHANGE = 12,
	DTLS_HS_CERTIFICATE_REQUEST = 13,
	DTLS_HS_SERVER_HELLO_DONE = 14,
	DTLS_HS_CERTIFICATE_VERIFY = 15,
	DTLS_HS_CLIENT_KEY_EXCHANGE = 16,
	DTLS_HS_FINISHED = 20,
};

struct dtls_limits {
	size_t max_message;    /* largest handshake message reassembled (64 KiB) */
	size_t max_buffered;   /* bytes held for partial messages per association (256 KiB) */
	size_t max_partials;   /* messages under reassembly per direction (<= 16) */
	size_t max_cert_bytes; /* DER bytes stored per association (256 KiB) */
	size_t max_events;     /* events kept per association (1024) */
};

/* Where a fact was seen: frame 0 means "not seen". */
struct dtls_where {
	int dir;
	uint64_t frame;
	uint64_t ts_ns;
};

/* A list of 8- or 16-bit code points: n kept (<= DTLS_MAX_LIST), total on
 * the wire. */
struct dtls_list {
	uint16_t v[DTLS_MAX_LIST];
	uint16_t n;
	uint16_t total;
};

/* ClientHello or ServerHello (RFC 5246 §7.4.1.2-3, RFC 6347 §4.2.1). */
struct dtls_hello {
	bool seen;
	struct dtls_where at;
	unsigned count;             /* times received (ClientHello again after HVR) */
	uint16_t version;           /* client_version / server_version */
	uint8_t random[32];
	uint8_t session_id[32];
	uint8_t session_id_len;
	uint8_t cookie[255];        /* ClientHello only */
	uint8_t cookie_len;
	struct dtls_list suites;    /* ClientHello: offered */
	uint16_t suite;             /* ServerHello: selected */
	struct dtls_list compression;
	struct dtls_list ext_types; /* every extension type, in order */
	bool ext_malformed;         /* an extension block did not parse */
	/* use_srtp (type 14), RFC 5764 §4.1.1: the raw profile list (a server
	 * must send exactly one) and the MKI. */
	bool has_use_srtp;
	struct dtls_list srtp_profiles;
	uint8_t mki[255];
	uint8_t mki_len;
	bool has_ems;               /* extended_master_secret (23), RFC 7627 */
	bool has_reneg_info;        /* renegotiation_info (0xff01), RFC 5746 */
	bool has_supported_groups;  /* supported_groups (10), RFC 8422 §5.1.1 */
	struct dtls_list groups;
	bool has_sig_algs;          /* signature_algorithms (13), RFC 5246 §7.4.1.4.1 */
	struct dtls_list sig_algs;
	bool has_supported_versions;/* supported_versions (43), RFC 8446 §4.2.1 */
	struct dtls_list versions;  /* ServerHello: the one selected */
	bool has_external_session_id; /* external_session_id (56), RFC 8844 */
};

struct dtls_mark {
	bool seen;
	struct dtls_where at;
};

struct dtls_cert {
	const uint8_t *der; /* owned by the association */
	size_t len;
};

/* Certificate (RFC 5246 §7.4.2 / §7.4.6), indexed by its sender's dir. */
struct dtls_cert_chain {
	bool seen;
	struct dtls_where at;
	uint16_t n;        /* kept, <= DTLS_MAX_CHAIN; 0 = empty certificate_list */
	uint16_t total;    /* on the wire */
	bool truncated;    /* a certificate was not kept (count or byte cap) */
	struct dtls_cert certs[DTLS_MAX_CHAIN];
};

/* One handshake: the facts of one ClientHello..Finished exchange. */
struct dtls_handshake {
	int client_dir;           /* sender of ClientHello; -1 unknown */
	bool client_dir_inferred; /* no ClientHello seen: opposite of ServerHello */
	uint16_t version;         /* negotiated (ServerHello, supported_versions) */
	bool dtls13;
	struct dtls_where first_client_hello;
	struct dtls_hello ch;     /* the last ClientHello (the one with the cookie) */
	struct {
		bool seen;
		struct dtls_where at;
		uint16_t version;
		uint8_t cookie[255];
		uint8_t cookie_len;
	} hvr;                    /* HelloVerifyRequest, RFC 6347 §4.2.1 */
	struct dtls_hello sh;
	struct dtls_cert_chain cert[2];
	struct {
		bool seen;
		struct dtls_where at;
		struct dtls_list cert_types;
		struct dtls_list sig_algs;
	} cert_request;           /* RFC 5246 §7.4.4 */
	struct {
		bool seen;
		struct dtls_where at;
		bool ecdhe;
		uint8_t curve_type;   /* 3 = named_curve (RFC 8422 §5.4) */
		uint16_t group;
		bool dhe;
		uint16_t dh_bits;     /* size of dh_p */
	} ske;
	struct dtls_mark server_hello_done;
	struct {
		bool seen;
		struct dtls_where at;
		size_t len;
	} cke;
	struct {
		bool seen;
		struct dtls_where at;
		uint16_t sig_alg;     /* DTLS 1.2 only, else 0 */
	} cert_verify;
	struct dtls_mark new_session_ticket;
	struct dtls_mark ccs[2];      /* per sender dir */
	struct dtls_mark finished[2]; /* encrypted Finished, per sender dir */
	bool complete;                /* both Finished seen */
	struct dtls_where completed_at;
};

struct dtls_alert {
	bool seen;
	bool encrypted;   /* epoch > 0: level and description unreadable */
	uint8_t level;    /* 1 warning, 2 fatal (RFC 5246 §7.2) */
	uint8_t desc;
	struct dtls_where at;
};

struct dtls_summary {
	int client_dir;                 /* current handshake's, -1 unknown */
	uint16_t version;               /* negotiated, else last record version */
	bool dtls13_seen;               /* unified header or 1.3 selected */
	unsigned handshakes;            /* started, including those not kept */
	unsigned n_handshakes;          /* kept in hs[] (<= DTLS_MAX_HANDSHAKES) */
	const struct dtls_handshake *hs;
	const struct dtls_handshake *current; /* hs[n_handshakes-1] or NULL */
	struct dtls_where first_record, last_record;
	uint64_t records[2], bytes[2];
	uint64_t records_encrypted[2];  /* epoch > 0 or unified header */
	uint64_t app_data_records[2];
	uint64_t records_duplicate;     /* same epoch and sequence number again */
	uint64_t hs_messages;           /* handshake messages completed */
	uint64_t hs_retransmissions;    /* messages (or Finished) received again */
	uint64_t malformed_datagrams;
	uint64_t dropped_fragments;     /* over a cap or inconsistent */
	unsigned alerts;
	struct dtls_alert first_fatal;
	struct dtls_alert last_alert[2];
	struct dtls_alert close_notify[2];
	size_t n_events;
	size_t events_dropped;
};

enum dtls_event_kind {
	DTLS_EV_MESSAGE,        /* a handshake message completed (hs_type, msg_seq) */
	DTLS_EV_RETRANSMISSION, /* a message or Finished seen again */
	DTLS_EV_CCS,
	DTLS_EV_FINISHED,       /* encrypted Finished (epoch) */
	DTLS_EV_ALERT,          /* alert_level/alert_desc, or encrypted */
	DTLS_EV_APP_DATA,       /* first application_data record per direction */
	DTLS_EV_COMPLETE,       /* both Finished seen */
	DTLS_EV_NEW_HANDSHAKE,  /* a ClientHello with a new random after a ServerHello */
	DTLS_EV_DTLS13,         /* first DTLS 1.3 evidence */
	DTLS_EV_MALFORMED,      /* a datagram or fragment that did not parse */
	DTLS_EV_LIMIT,          /* a fragment or certificate dropped at a cap */
};

struct dtls_event {
	enum dtls_event_kind kind;
	struct dtls_where at;
	unsigned handshake;     /* index into summary.hs (or the last kept) */
	uint16_t epoch;
	uint8_t hs_type;
	uint16_t msg_seq;
	bool encrypted;
	uint8_t alert_level, alert_desc;
};

struct dtls_assoc;

/* dtls_limits_default - fill the default caps listed in struct dtls_limits. */
void dtls_limits_default(struct dtls_limits *lim);

/* dtls_assoc_new - a new association with the given caps (NULL: defaults).
 * Returns NULL when out of memory.  Free with dtls_assoc_free(). */
struct dtls_assoc *dtls_assoc_new(const struct dtls_limits *lim);

/* dtls_assoc_free - free the association and everything it stores (the
 * certificate DER views die with it).  NULL is safe. */
void dtls_assoc_free(struct dtls_assoc *a);

/* dtls_assoc_input - one UDP payload sent in direction dir (0 or 1) holding
 * one or more DTLS records.  Records before a bad one are used.  Returns
 * SA_OK; SA_MALFORMED for an unknown content type or version, a record
 * length past the end of the datagram (RFC 6347 §4.1.1: records never
 * span datagrams) or a handshake fragment that does not parse;
 * SA_NOMEM when a fragment was dropped at a cap (a message larger than
 * max_message is never allocated).  Details go to sink with the frame.
 * The payload is not kept. */
enum sa_status dtls_assoc_input(struct dtls_assoc *a, int dir, const uint8_t *udp_payload,
				size_t len, uint64_t frame, uint64_t ts_ns,
				struct diag_sink *sink);

/* dtls_assoc_summary - the facts so far; valid until the next input or
 * free.  Never NULL for a non-NULL association. */
const struct dtls_summary *dtls_assoc_summary(const struct dtls_assoc *a);

/* dtls_assoc_event - the i-th event in arrival order, NULL past the end.
 * At most limits.max_events are kept (summary.events_dropped counts the
 * rest). */
const struct dtls_event *dtls_assoc_event(const struct dtls_assoc *a, size_t i);

/* SRTP protection profiles, RFC 5764 §4.1.2 and RFC 7714 §14.2.  Lengths
 * in bytes.  The NULL profiles list cipher key and salt as 0 (RFC-NOTES
 * Unverified #2). */
struct dtls_profile {
	uint16_t code;
	const char *name;
	uint8_t key_len;
	uint8_t salt_len;
	uint8_t srtp_tag_len;
	uint8_t srtcp_tag_len;
	bool aead;
	bool null_cipher;
};

/* dtls_profile_find - the profile with this code, NULL if unknown. */
const struct dtls_profile *dtls_profile_find(uint16_t code);

enum dtls_kx {
	DTLS_KX_RSA,
	DTLS_KX_DHE,
	DTLS_KX_ECDHE,
	DTLS_KX_PSK,
	DTLS_KX_TLS13,
	DTLS_KX_SIGNAL, /* SCSV, not a real suite */
};

struct dtls_suite {
	uint16_t code;
	const char *name;   /* IANA name */
	enum dtls_kx kx;
	const char *prf;    /* DTLS 1.2 PRF hash: "SHA-256" or "SHA-384" */
	bool forward_secret;
	bool aead;
};

/* dtls_suite_find - the cipher suite with this code, NULL if not in the
 * table (the common ones only). */
const struct dtls_suite *dtls_suite_find(uint16_t code);

/* dtls_prf_name - PRF of a handshake: "MD5+SHA-1" for DTLS 1.0 (RFC 4346
 * §5), the suite's hash for DTLS 1.2, NULL if the suite is unknown. */
const char *dtls_prf_name(uint16_t version, uint16_t suite);

/* Names for reports; each returns NULL for an unknown code unless noted. */
const char *dtls_version_name(uint16_t version);     /* "DTLS 1.2" */
const char *dtls_hs_type_name(uint8_t type);         /* "ClientHello" */
const char *dtls_alert_desc_name(uint8_t desc);      /* "handshake_failure" */
const char *dtls_group_name(uint16_t group);         /* "secp256r1", "x25519" */
const char *dtls_event_kind_name(enum dtls_event_kind k); /* never NULL */

#endif
