/* dtls_int.h - internals shared by dtls.c (records, reassembly) and
 * dtls_hs.c (handshake message parsing).  Not for other modules. */
#ifndef SA_DTLS_INT_H
#define SA_DTLS_INT_H

#include "dtls.h"

/* A handshake message under reassembly (RFC 6347 §4.2.3). */
struct dtls_partial {
	bool used;
	uint8_t type;
	uint16_t seq;
	uint32_t total;
	uint32_t have;     /* bytes received so far */
	uint8_t *buf;      /* total bytes */
	uint8_t *map;      /* one bit per byte of buf */
};

/* Per sender direction. */
struct dtls_dir {
	uint64_t delivered[4];  /* message_seq 0..255 already complete */
	struct dtls_partial part[DTLS_MAX_PARTIALS];
	/* record replay windows (RFC 6347 §4.1.2.6): epoch 0, and the newest
	 * epoch above 0 (one datagram may carry records of both) */
	struct dtls_window {
		bool init;
		uint16_t epoch;
		uint64_t top;
		uint64_t bits;
	} win[2];
	bool app_event;
};

struct dtls_assoc {
	struct dtls_limits lim;
	struct dtls_dir d[2];
	size_t buffered;                 /* bytes in all partials */
	struct dtls_handshake hs[DTLS_MAX_HANDSHAKES];
	struct dtls_summary sum;
	struct dtls_event *events;
	size_t events_cap;
	uint8_t *cert_mem[DTLS_MAX_HANDSHAKES * 2 * DTLS_MAX_CHAIN];
	size_t n_cert_mem;
	size_t cert_bytes;
	bool limit_warned;               /* a cap was hit: warned once */
};

/* dtls_cur - the current handshake, starting the first one if needed. */
struct dtls_handshake *dtls_cur(struct dtls_assoc *a);

/* dtls_new_handshake - start another handshake (a new ClientHello); resets
 * reassembly of both directions. */
void dtls_new_handshake(struct dtls_assoc *a, const struct dtls_where *at);

void dtls_event_add(struct dtls_assoc *a, enum dtls_event_kind kind,
		    const struct dtls_where *at, uint16_t epoch, uint8_t hs_type,
		    uint16_t msg_seq);

/* dtls_cert_store - copy a DER certificate into association storage;
 * NULL when a cap is reached or malloc fails. */
const uint8_t *dtls_cert_store(struct dtls_assoc *a, const uint8_t *der, size_t len);

/* dtls_hs_deliver - parse one complete handshake message (body without
 * the 12-byte header) sent in direction dir.  SA_MALFORMED when it does
 * not parse; the facts it could read are kept. */
enum sa_status dtls_hs_deliver(struct dtls_assoc *a, int dir, uint8_t type, uint16_t seq,
			       const uint8_t *body, size_t len, const struct dtls_where *at,
			       struct diag_sink *sink);

#endif
