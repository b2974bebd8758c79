/* sdp.h - the SDP model (RFC 8866) with the attributes srtpaudit audits:
 * DTLS-SRTP (fingerprint, setup, tls-id, connection), SDES (crypto), ICE
 * (ufrag, pwd, candidate), RTCP (rtcp, rtcp-mux, rtcp-mux-only,
 * rtcp-rsize), BUNDLE (group, mid), codecs (rtpmap, fmtp), ssrc and
 * direction.
 *
 * sdp_parse() fills a fixed-capacity struct sdp: every list has a cap,
 * overflow is recorded as an error and parsing continues; nothing is
 * allocated and every struct sv points into the caller's text, which must
 * outlive the struct.  struct sdp is large (about 100 KiB): keep it on the
 * heap or in per-call storage, not on a small stack.  Syntax errors are
 * recorded with the line number inside the SDP and a short code; the parser
 * goes on with the next line.  Unknown attributes are kept as name/value
 * views (RFC 8866 §5.13).
 */
#ifndef SA_SDP_H
#define SA_SDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sdes.h"
#include "status.h"
#include "text.h"

#define SDP_MAX_MEDIA 16
#define SDP_MAX_ATTRS 64       /* per level (session, each m-line) */
#define SDP_MAX_CRYPTO 32      /* a=crypto per m-line */
#define SDP_MAX_CRYPTO_TOTAL 64/* a=crypto in the whole SDP */
#define SDP_MAX_FP 8           /* a=fingerprint per level */
#define SDP_MAX_CAND 16        /* a=candidate per m-line */
#define SDP_MAX_FMTS 32        /* formats on an m= line */
#define SDP_MAX_RTPMAP 32      /* rtpmap / fmtp per m-line */
#define SDP_MAX_SSRC 16        /* a=ssrc lines per m-line */
#define SDP_MAX_BW 4           /* b= per level */
#define SDP_MAX_GROUPS 4       /* a=group lines */
#define SDP_MAX_GROUP_MIDS 16  /* mids in one a=group */
#define SDP_MAX_ERRORS 32
#define SDP_MAX_FP_BYTES 64    /* SHA-512 */
#define SDP_MAX_LINE 4096      /* longer lines are recorded as errors */

struct sdp_error {
	unsigned line;    /* 1-based line number within the SDP */
	const char *code; /* static short code: "bad-m-line", "bad-fingerprint", ... */
	struct sv text;   /* the line (or, for a=crypto, the offending part) */
};

struct sdp_errors {
	struct sdp_error e[SDP_MAX_ERRORS];
	size_t n;
	size_t dropped;   /* errors past SDP_MAX_ERRORS */
};

/* c= (RFC 8866 §5.7); multicast "/ttl[/count]" suffixes are split off. */
struct sdp_conn {
	bool present;
	struct sv nettype;  /* "IN" */
	struct sv addrtype; /* "IP4" / "IP6" */
	struct sv addr;     /* without /ttl or /count */
	struct sv suffix;   /* "/127/3" or empty */
	unsigned line;
};

enum sdp_setup {
	SDP_SETUP_NONE = 0, /* no a=setup */
	SDP_SETUP_ACTIVE,
	SDP_SETUP_PASSIVE,
	SDP_SETUP_ACTPASS,
	SDP_SETUP_HOLDCONN,
	SDP_SETUP_OTHER,    /* present but not one of the four (RFC 4145 §4) */
};

enum sdp_dir {
	SDP_DIR_NONE = 0,   /* no direction attribute (default sendrecv, RFC 8866 §6.7) */
	SDP_DIR_SENDRECV,
	SDP_DIR_SENDONLY,
	SDP_DIR_RECVONLY,
	SDP_DIR_INACTIVE,
};

const char *sdp_setup_name(enum sdp_setup s);
const char *sdp_dir_name(enum sdp_dir d);

/* a=fingerprint (RFC 8122 §5): parsed leniently, facts kept for strict
 * reporting (RFC-NOTES §2, §12). */
struct sdp_fingerprint {
	struct sv hash;       /* "sha-256", any case */
	struct sv hex;        /* the colon-separated hex text */
	uint8_t bytes[SDP_MAX_FP_BYTES];
	size_t len;
	bool ok;              /* hex decoded */
	bool lower_hex;       /* some a-f in lower case (UHEX violated) */
	bool space_after_colon; /* "a=fingerprint: SHA-1 ..." (RFC 5763 §7 examples) */
	unsigned line;
};

/* a=candidate (RFC 8839 §5.1). */
struct sdp_candidate {
	struct sv foundation;
	uint16_t component;
	struct sv transport;  /* "udp" / "tcp" */
	uint32_t priority;
	struct sv addr;
	uint16_t port;
	struct sv typ;        /* host / srflx / prflx / relay */
	struct sv raddr;      /* empty when absent */
	uint16_t rport;
	unsigned line;
};

struct sdp_rtpmap {
	uint16_t pt;
	struct sv encoding;   /* "opus" */
	uint32_t clock;
	struct sv params;     /* channels, may be empty */
};

struct sdp_fmtp {
	struct sv fmt;
	struct sv params;
};

struct sdp_ssrc {
	uint32_t ssrc;
	struct sv attr;       /* "cname" */
	struct sv value;
};

struct sdp_bw {
	struct sv type;       /* "AS", "TIAS", ... */
	uint32_t value;
};

struct sdp_attr {
	struct sv name;
	struct sv value;      /* empty for property attributes */
	bool has_value;
	unsigned line;
};

/* What may appear at session and at media level. */
struct sdp_level {
	struct sdp_conn conn;
	struct sdp_bw bw[SDP_MAX_BW];
	size_t n_bw;
	struct sdp_attr attrs[SDP_MAX_ATTRS]; /* every a= line, known or not */
	size_t n_attrs;
	struct sdp_fingerprint fp[SDP_MAX_FP];
	size_t n_fp;
	enum sdp_setup setup;
	struct sv setup_raw;
	unsigned setup_line;
	enum sdp_dir dir;
	struct sv connection; /* a=connection:new|existing (RFC 4145 §5) */
	struct sv tls_id;     /* a=tls-id (RFC 8842 §4) */
	struct sv ice_ufrag, ice_pwd;
	bool ice_lite;
	bool rtcp_mux, rtcp_mux_only, rtcp_rsize;
	size_t n_crypto_here; /* a=crypto lines at this level (session level: a fact for SDES-MEDIA-LEVEL) */
};

/* a=rtcp (RFC 3605 §2.1). */
struct sdp_rtcp {
	bool present;
	uint16_t port;
	struct sdp_conn conn; /* present when the address part was given */
};

struct sdp_media {
	struct sdp_level lvl;
	struct sv media;      /* "audio" */
	uint16_t port;
	uint16_t nports;      /* 1 unless "/n" was given */
	struct sv proto;      /* "UDP/TLS/RTP/SAVPF" */
	struct sv fmts[SDP_MAX_FMTS];
	size_t n_fmts;
	struct sv mid;
	size_t crypto_first;  /* index into struct sdp.crypto */
	size_t n_crypto;
	struct sdp_candidate cand[SDP_MAX_CAND];
	size_t n_cand;
	struct sdp_rtpmap rtpmap[SDP_MAX_RTPMAP];
	size_t n_rtpmap;
	struct sdp_fmtp fmtp[SDP_MAX_RTPMAP];
	size_t n_fmtp;
	struct sdp_ssrc ssrc[SDP_MAX_SSRC];
	size_t n_ssrc;
	struct sdp_rtcp rtcp;
	unsigned line;        /* line of the m= */
};

struct sdp_group {
	struct sv semantics;  /* "BUNDLE" */
	struct sv mids[SDP_MAX_GROUP_MIDS];
	size_t n_mids;
};

struct sdp_origin {
	bool present;
	struct sv username, sess_id, sess_version, nettype, addrtype, addr;
	uint64_t sess_version_num;
};

struct sdp {
	struct sv text;
	bool has_version;
	struct sdp_origin origin;
	struct sv session_name;
	bool has_timing;
	struct sdp_level sess;
	struct sdp_group groups[SDP_MAX_GROUPS];
	size_t n_groups;
	struct sdp_media media[SDP_MAX_MEDIA];
	size_t n_media;
	struct sdes_crypto crypto[SDP_MAX_CRYPTO_TOTAL];
	size_t n_crypto;
	size_t n_lines;
	bool unterminated;    /* the last line had no line end */
	bool crlf, lf_only;   /* line endings seen */
};

/* sdp_parse - parse SDP text into out (which it first clears).  Returns
 * SA_OK when there was no error, SA_MALFORMED when at least one error was
 * recorded (the model is still filled with everything that parsed), and
 * SA_MALFORMED with nothing filled when the text does not start with v=.
 * errs may be NULL.  Views point into text. */
enum sa_status sdp_parse(const char *text, size_t len, struct sdp *out,
			 struct sdp_errors *errs);

/* Effective values for a media section: media level overrides session
 * level (RFC 8866 §5). */
const struct sdp_conn *sdp_media_connection(const struct sdp *s, const struct sdp_media *m);
enum sdp_setup sdp_media_setup(const struct sdp *s, const struct sdp_media *m);
enum sdp_dir sdp_media_direction(const struct sdp *s, const struct sdp_media *m);
/* sdp_media_fingerprints - media-level a=fingerprint lines replace the
 * session-level set (RFC 8122 §5); *n gets the count, the array may be
 * empty (n = 0). */
const struct sdp_fingerprint *sdp_media_fingerprints(const struct sdp *s,
						     const struct sdp_media *m, size_t *n);
struct sv sdp_media_ice_ufrag(const struct sdp *s, const struct sdp_media *m);
struct sv sdp_media_ice_pwd(const struct sdp *s, const struct sdp_media *m);
struct sv sdp_media_tls_id(const struct sdp *s, const struct sdp_media *m);
bool sdp_media_rtcp_mux(const struct sdp *s, const struct sdp_media *m);
/* sdp_media_crypto - the i-th a=crypto of m, or NULL past the end. */
const struct sdes_crypto *sdp_media_crypto(const struct sdp *s,
					   const struct sdp_media *m, size_t i);
/* sdp_media_find_attr - first attribute named name (case-insensitive) at
 * media level; false when absent. */
bool sdp_media_find_attr(const struct sdp_media *m, const char *name, struct sv *value);
/* sdp_find_bundle - the first a=group:BUNDLE, or NULL. */
const struct sdp_group *sdp_find_bundle(const struct sdp *s);

/* sdp_fingerprint_hash_len - output size in bytes of a fingerprint hash
 * name (RFC 8122 §5: sha-1, sha-224, sha-256, sha-384, sha-512, md5, md2),
 * 0 when unknown. */
size_t sdp_fingerprint_hash_len(struct sv hash);

#endif
