/* sdp_build.h - build SDP offer/answer text (RFC 8866) for one audio
 * m-line protected by SDES (a=crypto, RFC 4568), DTLS-SRTP (a=fingerprint
 * RFC 8122, a=setup RFC 4145/8842, a=tls-id RFC 8842) or both, with
 * optional a=rtcp-mux (RFC 5761).  Used by the fixture generator and the
 * live replay.
 *
 * SRTP method numbers (DESIGN.md): 0 legacy (a=crypto on RTP/AVP), 1 SDES
 * (RTP/SAVP), 2 DTLS (UDP/TLS/RTP/SAVP), 3 dual offer (both attributes on
 * UDP/TLS/RTP/SAVP).
 */
#ifndef SA_SDP_BUILD_H
#define SA_SDP_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "srtp_peer.h"
#include "status.h"

enum sdpb_setup {
	SDPB_SETUP_NONE = 0,
	SDPB_SETUP_ACTPASS,
	SDPB_SETUP_ACTIVE,
	SDPB_SETUP_PASSIVE,
	SDPB_SETUP_HOLDCONN,         /* never for DTLS (RFC 8842 §5.1): faults */
};

#define SDPB_MAX_CRYPTO 4

struct sdpb_crypto {
	unsigned tag;                /* 1..999999999, RFC 4568 §4.1 */
	enum srtp_peer_suite suite;
	uint8_t keysalt[SRTP_PEER_MAX_KEYSALT];
	size_t keysalt_len;          /* written as given, even if wrong */
	const char *lifetime;        /* e.g. "2^31"; NULL = none */
	unsigned mki_len;            /* MKI length in octets; 0 = no MKI */
	uint32_t mki_value;
};

struct sdpb_desc {
	const char *user;            /* o= username */
	uint64_t sess_id, sess_ver;
	const char *addr;            /* connection address text */
	bool ipv6;
	uint16_t port;               /* RTP port */
	uint16_t rtcp_port;          /* writes a=rtcp:N when non-zero */
	const char *proto;           /* m= proto token */
	int codec_pt;                /* 0 PCMU or 8 PCMA */
	struct sdpb_crypto crypto[SDPB_MAX_CRYPTO];
	unsigned n_crypto;
	const char *fp_hash;         /* "sha-256"; NULL = no a=fingerprint */
	const char *fp_text;         /* "AB:CD:..." */
	const char *fp2_hash;        /* a second a=fingerprint line, or NULL */
	const char *fp2_text;
	enum sdpb_setup setup;
	const char *tls_id;          /* NULL = no a=tls-id */
	bool rtcp_mux;
	bool rtcp_mux_only;          /* a=rtcp-mux-only (RFC 8858) */
	const char *session_extra;   /* raw lines (CRLF-ended) before m=, or NULL */
	const char *direction;       /* NULL = "sendrecv" */
};

/* sdp_build_proto - m= proto of an offer with SRTP method 0..3; NULL
 * for another value. */
const char *sdp_build_proto(int method);
/* sdp_build_setup_name - "actpass", "active", "passive", "holdconn" or
 * NULL for none. */
const char *sdp_build_setup_name(enum sdpb_setup s);

/* sdp_build_text - write the SDP text (CRLF line ends, NUL-terminated) into
 * buf; *len is its length without the NUL.  SA_NOMEM when cap is too
 * small, SA_MALFORMED when a required field is missing. */
enum sa_status sdp_build_text(const struct sdpb_desc *d, char *buf, size_t cap,
			 size_t *len);

/* sdp_build_crypto_inline - the "inline:..." key parameter of one crypto line
 * (base64 key||salt, optional |lifetime and |MKI:length, RFC 4568 §9.2)
 * into buf.  SA_NOMEM when cap is too small. */
enum sa_status sdp_build_crypto_inline(const struct sdpb_crypto *c, char *buf,
				 size_t cap);

#endif
