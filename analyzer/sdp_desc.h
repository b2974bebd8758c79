/* sdp_desc.h - a compact, owned summary of one SDP body: what the checks,
 * the flow binding and the reports need, copied out of the packet.
 *
 * struct sdp (sdp.h) points into packet bytes and is large; a call keeps
 * struct sdp_desc instead, which owns its strings (cut to fixed sizes,
 * with a flag when something was cut) and is sized to its m-lines.
 */
#ifndef SA_SDP_DESC_H
#define SA_SDP_DESC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netaddr.h"
#include "sdes.h"
#include "sdp.h"

#define DESC_MAX_FP 4
#define DESC_MAX_CRYPTO 8
#define DESC_MAX_CODECS 8
#define DESC_MAX_ERRORS 8

struct desc_fp {
	char hash[16];            /* as written, e.g. "sha-256" */
	uint8_t bytes[SDP_MAX_FP_BYTES];
	size_t len;
	bool ok;                  /* hex decoded */
	bool lower_hex;
	bool space_after_colon;
	bool session_level;       /* inherited from the session level */
	unsigned line;
};

struct desc_crypto {
	uint32_t tag;
	char suite[40];           /* as written */
	const struct sdes_suite *s; /* NULL when unknown */
	uint8_t key[SDES_MAX_KEY_BYTES]; /* first key-param: key || salt */
	size_t key_len;
	bool key_ok;
	bool has_mki;
	uint64_t mki;
	uint8_t mki_len;
	bool has_lifetime;
	uint64_t lifetime;
	bool unencrypted_srtp, unencrypted_srtcp, unauthenticated_srtp;
	size_t n_keys;
	bool valid;
	uint32_t errors;          /* bit (1 << enum sdes_err) per problem */
};

struct desc_codec {
	uint16_t pt;
	char name[24];            /* "PCMU/8000", or "" without rtpmap */
};

struct media_desc {
	char media[16];           /* "audio" */
	char proto[32];           /* "UDP/TLS/RTP/SAVPF" */
	uint16_t port;
	uint16_t nports;
	struct ipaddr addr;       /* effective c= (media over session) */
	bool addr_ok;             /* c= present and parsed (IN IP4/IP6) */
	enum sdp_setup setup;
	bool setup_session_level;
	struct desc_fp fp[DESC_MAX_FP];
	size_t n_fp;
	struct desc_crypto crypto[DESC_MAX_CRYPTO];
	size_t n_crypto;
	bool rtcp_mux, rtcp_mux_only;
	bool has_rtcp_attr;       /* a=rtcp (RFC 3605) */
	uint16_t rtcp_port;
	struct ipaddr rtcp_addr;
	bool rtcp_addr_ok;
	char mid[32];
	char tls_id[64];
	bool has_tls_id;
	char ice_ufrag[64];
	size_t n_candidates;
	enum sdp_dir dir;
	struct desc_codec codecs[DESC_MAX_CODECS];
	size_t n_codecs;
	bool bundled;             /* its mid is in an a=group:BUNDLE */
};

struct desc_error {
	unsigned line;
	char code[32];
	char text[96];
};

struct sdp_desc {
	uint64_t frame;           /* frame of the SIP message that carried it */
	uint64_t ts_ns;
	struct ipaddr sess_addr;
	bool sess_addr_ok;
	uint64_t sess_version;
	size_t n_session_crypto;  /* a=crypto at session level (RFC 4568 §4) */
	struct desc_error errors[DESC_MAX_ERRORS];
	size_t n_errors;          /* listed */
	size_t n_errors_total;
	size_t n_media;
	struct media_desc *media; /* n_media entries */
	bool parsed;              /* began with v= */
};

/* sdp_desc_from_text - parse SDP text (scratch is caller-provided storage
 * for the large struct sdp) and fill out, allocating out->media.  Returns
 * SA_OK (also when the SDP had errors: they are in out->errors), SA_NOMEM.
 * Free with sdp_desc_cleanup(). */
enum sa_status sdp_desc_from_text(const char *text, size_t len,
				  struct sdp *scratch, struct sdp_desc *out);
void sdp_desc_cleanup(struct sdp_desc *d);

/* media_desc_is_dtls - the m-line asks for DTLS-SRTP: a UDP/TLS/RTP/SAVP(F)
 * proto, or a fingerprint on an RTP profile (RFC 5763, RFC 8643). */
bool media_desc_is_dtls(const struct media_desc *m);
/* media_desc_answer_uses_dtls - an answer's m-line chose DTLS-SRTP: it has
 * a fingerprint, or a TLS proto and no a=crypto. */
bool media_desc_answer_uses_dtls(const struct media_desc *m);
/* media_desc_is_sdes - the m-line carries a=crypto. */
bool media_desc_is_sdes(const struct media_desc *m);

#endif
