/* sip_tx.h - the RFC 3261 §17 transaction layer of the replay UA over
 * UDP, as pure state machines driven by the caller's clock: the caller
 * sends the first message itself, then calls sip_txn_poll() with the
 * current time and retransmits txn->msg when told to.  No sockets here,
 * so the timers are unit-testable (tests/test_replay_sip.c).
 *
 * Timers (RFC 3261 §17.1.1.2, §17.1.2.2, §17.2.1, §17.2.2, Table 4):
 *   A  INVITE request retransmission, T1 doubling;  B  INVITE timeout 64*T1
 *   E  non-INVITE retransmission, T1 doubling up to T2 (T2 once
 *      Proceeding);                                 F  non-INVITE timeout 64*T1
 *   G  final INVITE response retransmission, T1 doubling up to T2 (used for
 *      2xx too: RFC 6026 §8.1 leaves 2xx retransmission to the TU, which
 *      follows the same schedule, RFC 3261 §13.3.1.4)
 *   H  wait for ACK 64*T1;  I  absorb ACKs T4 (UDP)
 *   J  absorb non-INVITE request retransmissions 64*T1 (UDP)
 *   K  absorb non-INVITE response retransmissions T4 (UDP)
 *   D  (absorb INVITE final responses, 32 s) is kept as a state deadline.
 * Over a reliable transport (TCP, tm->reliable): no A, E or G (a 2xx is
 * still retransmitted, §13.3.1.4), D, I, J and K are zero; B, F, H apply.
 *
 * Also here: HTTP digest authentication for SIP (RFC 3261 §22, RFC 2617,
 * RFC 7616): challenge and credentials parsing, the response computed with
 * OpenSSL EVP (MD5 and SHA-256).
 */
#ifndef SA_SIP_TX_H
#define SA_SIP_TX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"

#define SIP_TX_MAX_MSG 8192

struct sip_timers {
	uint64_t t1, t2, t4;   /* ns; RFC 3261 defaults 500 ms, 4 s, 5 s */
	bool reliable;         /* TCP (§17): no A/E/G retransmissions; D, I, J, K zero */
};

/* sip_timers_default - T1 = t1_ms (0: 500), T2 = 4 s, T4 = 5 s, an
 * unreliable transport (set reliable afterwards for TCP). */
void sip_timers_default(struct sip_timers *t, unsigned t1_ms);

enum sip_txn_kind { SIPTX_CLIENT_INVITE, SIPTX_CLIENT_NONINVITE,
		    SIPTX_SERVER_INVITE, SIPTX_SERVER_NONINVITE };

enum sip_txn_state { SIPTX_CALLING, SIPTX_TRYING, SIPTX_PROCEEDING,
		     SIPTX_COMPLETED, SIPTX_CONFIRMED, SIPTX_TERMINATED };

enum sip_txn_action { SIPTX_NONE, SIPTX_RETRANSMIT, SIPTX_TIMEOUT };

struct sip_txn {
	enum sip_txn_kind kind;
	enum sip_txn_state state;
	char branch[64];
	char method[16];
	uint32_t cseq;
	char msg[SIP_TX_MAX_MSG];   /* client: the request; server: last response */
	size_t len;
	int last_code;              /* last response sent or received, 0 none */
	uint64_t retx_at;           /* 0: no retransmission timer */
	uint64_t interval;
	uint64_t deadline;          /* B/F/H timeout or D/I/J/K end; 0 none */
	unsigned retransmissions;
	bool timed_out;
};

/* sip_txn_client_start - a client transaction whose request (msg, len
 * octets, copied; false when longer than SIP_TX_MAX_MSG) the caller has
 * just sent at now. */
bool sip_txn_client_start(struct sip_txn *t, bool invite, const char *branch,
			  const char *method, uint32_t cseq, const char *msg,
			  size_t len, uint64_t now, const struct sip_timers *tm);
/* sip_txn_client_response - a response with this status code arrived. */
void sip_txn_client_response(struct sip_txn *t, int code, uint64_t now,
			     const struct sip_timers *tm);
/* sip_txn_server_start - a server transaction for a request just received. */
void sip_txn_server_start(struct sip_txn *t, bool invite, const char *branch,
			  const char *method, uint32_t cseq, uint64_t now);
/* sip_txn_server_respond - the caller has just sent response code (msg,
 * copied; false when too long); final responses start the G/H or J
 * timers. */
bool sip_txn_server_respond(struct sip_txn *t, int code, const char *msg,
			    size_t len, uint64_t now, const struct sip_timers *tm);
/* sip_txn_server_ack - the ACK for our final INVITE response arrived. */
void sip_txn_server_ack(struct sip_txn *t, uint64_t now, const struct sip_timers *tm);
/* sip_txn_poll - advance the timers to now: SIPTX_RETRANSMIT (send
 * t->msg again), SIPTX_TIMEOUT (B, F or H fired; the transaction is
 * terminated and timed_out set) or SIPTX_NONE.  Call until SIPTX_NONE. */
enum sip_txn_action sip_txn_poll(struct sip_txn *t, uint64_t now,
				 const struct sip_timers *tm);
/* sip_txn_next - the next time poll has something to do; 0 when never. */
uint64_t sip_txn_next(const struct sip_txn *t);

/* sip_tx_token - n-1 random lowercase hex characters and a NUL into buf
 * (OpenSSL's CSPRNG); false when it fails. */
bool sip_tx_token(char *buf, size_t n);

/* A capped text builder for SIP messages: appends stop (and set
 * overflow) at the cap instead of writing past it. */
struct sip_buf {
	char *p;
	size_t len, cap;
	bool overflow;
};
void sip_buf_init(struct sip_buf *b, char *mem, size_t cap);
void sip_buf_printf(struct sip_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sip_buf_put(struct sip_buf *b, const char *s, size_t n);

/* ---- route sets (RFC 3261 §12.1.1, §12.1.2, §12.2.1.1, §16.12.1.2) ---- */

#define SIP_ROUTE_MAX 8
#define SIP_ROUTE_URI 256

struct sip_route_set {
	char uri[SIP_ROUTE_MAX][SIP_ROUTE_URI];
	size_t n;
};

/* sip_route_add_rr - append the entries of one Record-Route (or Route)
 * header value: comma-separated name-addrs whose URI is inside <>
 * (quoted display names skipped).  SA_MALFORMED for an entry without
 * <URI> or a URI longer than SIP_ROUTE_URI-1, SA_NOMEM past SIP_ROUTE_MAX
 * entries; the entries before the bad one are kept. */
enum sa_status sip_route_add_rr(struct sip_route_set *rs, const char *v, size_t n);
/* sip_route_reverse - reverse the order (a UAC's route set is the 2xx's
 * Record-Route list reversed, §12.1.2). */
void sip_route_reverse(struct sip_route_set *rs);
/* sip_uri_is_loose - the URI has the lr parameter (a loose router,
 * §19.1.1; looked for among the URI parameters, before any '?'). */
bool sip_uri_is_loose(const char *uri);
/* sip_route_request - Request-URI and Route header lines of an in-dialog
 * request (§12.2.1.1): no route set, the remote target and no Route;
 * first entry loose, the remote target and Route = the set; first entry
 * strict, Request-URI = the first entry and Route = the rest followed by
 * the remote target.  The lines ("Route: <a>, <b>\r\n") are appended to
 * hdrs.  false when the Request-URI does not fit or hdrs overflowed. */
bool sip_route_request(const struct sip_route_set *rs, const char *remote_target,
		       char *ruri, size_t rcap, struct sip_buf *hdrs);
/* sip_uri_hostport - host and port of a sip:/sips: URI ([user@]host[:port]
 * [;params][?headers]; IPv6 in brackets, returned without them); *port 0
 * when absent.  false when the URI is not sip:/sips: or a part is bad. */
bool sip_uri_hostport(const char *uri, char *host, size_t hcap, uint16_t *port);

/* ---- digest authentication (RFC 3261 §22.4, RFC 2617 §3.2, RFC 7616) ---- */

#define SIP_DIGEST_FIELD 160

/* The auth-params of a challenge (WWW-/Proxy-Authenticate) or of
 * credentials (Authorization/Proxy-Authorization); absent ones are "". */
struct sip_digest {
	char realm[SIP_DIGEST_FIELD], nonce[SIP_DIGEST_FIELD], opaque[SIP_DIGEST_FIELD];
	char algorithm[24];       /* as written; "" means MD5 (RFC 2617 §3.2.1) */
	char qop[64];             /* challenge: the offered list; credentials: the one chosen */
	char username[SIP_DIGEST_FIELD], uri[SIP_DIGEST_FIELD];
	char response[80], cnonce[SIP_DIGEST_FIELD], nc[16];
	bool stale;
};

enum sip_digest_alg { SIP_DIGEST_MD5, SIP_DIGEST_SHA256, SIP_DIGEST_UNKNOWN };

/* sip_digest_parse - the value of an authentication header: scheme
 * "Digest" then comma-separated auth-params, values quoted (with \
 * escapes) or tokens.  SA_UNSUPPORTED for another scheme, SA_MALFORMED
 * for a broken list or a value longer than its field; *d is then partial. */
enum sa_status sip_digest_parse(const char *v, size_t n, struct sip_digest *d);
/* sip_digest_alg_of - MD5 for "" or "MD5", SHA-256 for "SHA-256"
 * (case-insensitive); -sess variants and others are SIP_DIGEST_UNKNOWN. */
enum sip_digest_alg sip_digest_alg_of(const char *algorithm);
/* sip_digest_qop_auth - the challenge's qop list names "auth". */
bool sip_digest_qop_auth(const struct sip_digest *d);
/* sip_digest_compute - the request-digest as lowercase hex into out
 * (65 octets are enough): with qop "auth", KD(H(A1), nonce:nc:cnonce:
 * qop:H(A2)), without qop (RFC 2069 compatibility) KD(H(A1), nonce:
 * H(A2)); A1 = user:realm:pass, A2 = method:uri (RFC 7616 §3.4.1-3).
 * Hashes through OpenSSL EVP; false when it fails or the algorithm is
 * unknown. */
bool sip_digest_compute(enum sip_digest_alg alg, const char *user, const char *realm,
			const char *pass, const char *method, const char *uri,
			const char *nonce, const char *qop, const char *nc,
			const char *cnonce, char *out, size_t cap);
/* sip_digest_authorization - the credentials for a challenge as a header
 * value ("Digest username=..."): realm, nonce, opaque and algorithm
 * echoed, qop=auth with cnonce and nc (8 hex digits) when offered.
 * false when the algorithm is unsupported or the value does not fit. */
bool sip_digest_authorization(const struct sip_digest *ch, const char *user,
			      const char *pass, const char *method, const char *uri,
			      const char *cnonce, uint32_t nc, char *out, size_t cap);

#endif
