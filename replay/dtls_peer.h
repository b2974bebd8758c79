/* dtls_peer.h - one OpenSSL DTLS-SRTP endpoint (RFC 5764) whose datagrams
 * go in and out through an in-memory datagram queue, so the caller moves
 * the bytes: the fixture generator joins two peers and records every
 * datagram; the live replay feeds a UDP socket.
 *
 * A peer has a role (client/server), a version (DTLS 1.2 or 1.0), a fresh
 * self-signed certificate (ECDSA P-256 by default, valid 24 hours as RFC
 * 5763 §5 suggests, or RSA 2048; optionally already expired), the use_srtp
 * profile list (RFC 5764 §4.1.1), an MTU and optionally the
 * HelloVerifyRequest cookie exchange (RFC 6347 §4.2.1).  The NSS key log
 * lines come from OpenSSL's own keylog callback.  After the handshake the
 * peer gives the selected profile and the exported keying material (label
 * "EXTRACTOR-dtls_srtp", RFC 5764 §4.2).
 */
#ifndef SA_DTLS_PEER_H
#define SA_DTLS_PEER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"

enum dtls_peer_role { DTLS_PEER_CLIENT, DTLS_PEER_SERVER };
enum dtls_peer_version { DTLS_PEER_V12, DTLS_PEER_V10 };
enum dtls_peer_cert_kind {
	DTLS_PEER_CERT_ECDSA_P256,
	DTLS_PEER_CERT_RSA2048,
	DTLS_PEER_CERT_RSA1024 /* weak on purpose; needs security level 0 */
};

/* Called with each NSS key log line (no newline), e.g.
 * "CLIENT_RANDOM <64 hex> <96 hex>". */
typedef void (*dtls_peer_keylog_fn)(void *arg, const char *line);

struct dtls_peer_config {
	enum dtls_peer_role role;
	enum dtls_peer_version version;
	enum dtls_peer_cert_kind cert_kind;
	/* Validity (RFC 5763 §5 suggests 24 hours): from valid_from (UNIX
	   seconds; 0 = now - 60 s) for 24 hours.  cert_expired: the validity
	   ended one day before valid_from instead. */
	int64_t valid_from;
	bool cert_expired;
	const char *srtp_profiles;  /* OpenSSL list "SRTP_AES128_CM_SHA1_80:...";
				       NULL or "" = no use_srtp at all */
	unsigned mtu;               /* DTLS MTU in octets; 0 = 1200 */
	bool cookie_exchange;       /* server sends HelloVerifyRequest */
	bool reject_peer_cert;      /* abort with bad_certificate (alert 42) */
	unsigned retransmit_us;     /* first retransmission timer; 0 = 1 s */
	dtls_peer_keylog_fn keylog;
	void *keylog_arg;
	const char *cn;             /* certificate subject CN; NULL = "srtpaudit" */
	const char *cipher_list;    /* OpenSSL cipher list; NULL = default */
	bool no_ems;                /* SSL_OP_NO_EXTENDED_MASTER_SECRET (RFC 7627) */
	bool no_cert;               /* use no certificate (a client then sends an
				       empty Certificate when asked) */
	bool no_cert_request;       /* server: no CertificateRequest */
	bool allow_no_peer_cert;    /* server: go on when the client sends none */
	/* Reuse the key and certificate of this peer (a second association of
	   one m-line, e.g. RTCP without rtcp-mux); NULL = make new ones. */
	const struct dtls_peer *cert_from;
};

#define DTLS_PEER_MAX_DGRAM 4096
#define DTLS_PEER_MAX_QUEUE 64
#define DTLS_PEER_MAX_FP 64

struct dtls_peer;

/* dtls_peer_new - create the key, the certificate, the context and the
 * endpoint.  Returns NULL when OpenSSL fails (the OpenSSL error queue says
 * why).  The caller frees it with dtls_peer_free(). */
struct dtls_peer *dtls_peer_new(const struct dtls_peer_config *cfg);
/* dtls_peer_free - free the peer and its queues; NULL is allowed. */
void dtls_peer_free(struct dtls_peer *p);

/* dtls_peer_step - run the handshake as far as the queued input allows.
 * Returns SA_OK while the handshake goes on or when it is done (see
 * dtls_peer_done), SA_MALFORMED when it failed (an alert may be queued for
 * sending). */
enum sa_status dtls_peer_step(struct dtls_peer *p);
/* dtls_peer_done / dtls_peer_failed - handshake finished / aborted. */
bool dtls_peer_done(const struct dtls_peer *p);
bool dtls_peer_failed(const struct dtls_peer *p);

/* dtls_peer_timeout - if the retransmission timer has expired, let OpenSSL
 * retransmit its last flight.  *fired tells whether it did. */
enum sa_status dtls_peer_timeout(struct dtls_peer *p, bool *fired);
/* dtls_peer_timer_us - microseconds until the retransmission timer
 * expires; -1 when no timer runs. */
long dtls_peer_timer_us(struct dtls_peer *p);

/* dtls_peer_input - queue one received datagram (copied).  SA_NOMEM when
 * the queue is full or the datagram is too large. */
enum sa_status dtls_peer_input(struct dtls_peer *p, const uint8_t *d,
			       size_t n);
/* dtls_peer_output - take the next datagram OpenSSL wrote.  Returns false
 * when none is queued.  The bytes are copied into buf (cap octets); a
 * datagram larger than cap is dropped and reported as length 0. */
bool dtls_peer_output(struct dtls_peer *p, uint8_t *buf, size_t cap,
		      size_t *n);

/* dtls_peer_close - send close_notify (SSL_shutdown) after the handshake;
 * the alert is queued for dtls_peer_output.  SA_UNSUPPORTED before the
 * handshake is done. */
enum sa_status dtls_peer_close(struct dtls_peer *p);

/* dtls_peer_fingerprint - digest of our certificate's DER with hash
 * "md5", "sha-1", "sha-224", "sha-256", "sha-384" or "sha-512" (RFC 8122 §5).
 * SA_UNSUPPORTED for another name; SA_NOMEM when cap is too small. */
enum sa_status dtls_peer_fingerprint(const struct dtls_peer *p,
				     const char *hash, uint8_t *out,
				     size_t cap, size_t *n);
/* dtls_peer_fingerprint_text - the same as "AB:CD:..." upper-case hex, the
 * a=fingerprint value form (RFC 8122 §5).  buf needs 3*digest octets. */
enum sa_status dtls_peer_fingerprint_text(const struct dtls_peer *p,
					  const char *hash, char *buf,
					  size_t cap);
/* dtls_peer_cert_der - our certificate's DER; *n its length.  Owned by the
 * peer. */
const uint8_t *dtls_peer_cert_der(const struct dtls_peer *p, size_t *n);

/* dtls_peer_profile - selected use_srtp code (0 when none) and its OpenSSL
 * name (NULL when none). */
uint16_t dtls_peer_profile(const struct dtls_peer *p, const char **name);
/* dtls_peer_export - SSL_export_keying_material with "EXTRACTOR-dtls_srtp"
 * and no context, n octets (RFC 5764 §4.2).  SA_UNSUPPORTED before the
 * handshake is done. */
enum sa_status dtls_peer_export(const struct dtls_peer *p, uint8_t *out,
				size_t n);
/* dtls_peer_client_random - the 32-octet client random of the session. */
enum sa_status dtls_peer_client_random(const struct dtls_peer *p,
				       uint8_t out[32]);
/* dtls_peer_alert_sent - the last alert description we sent, -1 if none. */
int dtls_peer_alert_sent(const struct dtls_peer *p);

#endif
