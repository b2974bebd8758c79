/* sip.h - SIP message parser (RFC 3261 §7, §20, §25) for the analyzer.
 *
 * sip_msg_parse() splits one SIP message (a UDP datagram, or a message the
 * stream framer cut out of TCP/WebSocket, see sip_frame.h) into its start
 * line, a bounded array of header views and the body.  Compact header names
 * are mapped to their long forms, folded header lines are joined (the value
 * view then spans the CRLF+WSP, which the accessors treat as white space),
 * and the body is located by Content-Length (RFC 3261 §18.3).  Everything
 * is a view into the caller's bytes: nothing is allocated, the message must
 * outlive the struct.  The first problem is recorded in a struct sip_diag
 * (what, line number, byte offset) so callers can say "frame N: SIP header
 * line 14: ...".
 */
#ifndef SA_SIP_H
#define SA_SIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"
#include "text.h"

#define SIP_MAX_HEADERS 256        /* header fields per message */
#define SIP_MAX_LINE 8192          /* bytes in one physical line */
#define SIP_MAX_HEAD 65536         /* start line + headers */
#define SIP_MAX_BODY 65536         /* largest Content-Length accepted */

/* Flags for sip_msg_parse(). */
#define SIP_PARSE_DATAGRAM 0u      /* UDP: missing Content-Length = rest of datagram */
#define SIP_PARSE_STREAM 1u        /* TCP/TLS/WS: Content-Length beyond data = truncated */

struct sip_hdr {
	struct sv name;     /* long form ("Call-ID" for "i"), as written otherwise */
	struct sv raw_name; /* as written in the message */
	struct sv value;    /* trimmed; may span folded lines */
	unsigned line;      /* 1-based line of the header in the message */
	bool compact;       /* written in compact form */
	bool folded;        /* had continuation lines */
};

struct sip_diag {
	bool set;           /* a problem was recorded */
	unsigned line;      /* 1-based line, 0 when not tied to a line */
	size_t offset;      /* byte offset in the input */
	char what[160];     /* human text, no trailing newline */
};

struct sip_msg {
	bool is_request;
	struct sv method;   /* request: "INVITE" */
	struct sv uri;      /* request: Request-URI */
	struct sv version;  /* "SIP/2.0" */
	uint16_t status;    /* response: 100..699 */
	struct sv reason;   /* response: Reason-Phrase (may be empty) */
	struct sip_hdr hdrs[SIP_MAX_HEADERS];
	size_t n_hdrs;
	size_t leading_crlf;     /* CRLF bytes skipped before the start line (§7.5) */
	size_t head_len;         /* leading CRLFs + start line + headers + empty line */
	struct sv body;
	size_t msg_len;          /* head_len + body: the bytes this message used */
	size_t trailing;         /* datagram bytes after the body (Content-Length short) */
	bool has_content_length;
	uint32_t content_length;
	bool lf_only;            /* some line ended with a bare LF */
};

/* sip_msg_parse - parse one SIP message from data[0..len).  flags is
 * SIP_PARSE_DATAGRAM or SIP_PARSE_STREAM.  Returns SA_OK (out filled),
 * SA_TRUNCATED (stream only: the headers or the body are not complete yet;
 * feed more bytes), or SA_MALFORMED (not a SIP message, a cap exceeded,
 * Content-Length invalid or, for a datagram, larger than what is there);
 * d (may be NULL) gets the first problem.  out points into data. */
enum sa_status sip_msg_parse(const uint8_t *data, size_t len, unsigned flags,
			     struct sip_msg *out, struct sip_diag *d);

/* sip_is_keepalive - data is only CRLF/LF bytes (RFC 5626 §3.5.1 keep-alive). */
bool sip_is_keepalive(const uint8_t *data, size_t len);

/* sip_header_canonical - long form of a compact header name ("i" ->
 * "Call-ID"), or name itself. */
struct sv sip_header_canonical(struct sv name);

/* sip_msg_header - first value of the header called name (compact or long
 * form, case-insensitive).  False when absent. */
bool sip_msg_header(const struct sip_msg *m, const char *name, struct sv *value);
/* sip_msg_header_nth - the idx-th (0-based) header line called name. */
bool sip_msg_header_nth(const struct sip_msg *m, const char *name, size_t idx,
			struct sv *value);
size_t sip_msg_header_count(const struct sip_msg *m, const char *name);

/* Accessors for the fields dialogs and reports need.  Each returns false
 * when the header is absent or does not parse; views point into the
 * message. */
bool sip_msg_call_id(const struct sip_msg *m, struct sv *call_id);
bool sip_msg_from_tag(const struct sip_msg *m, struct sv *tag);
bool sip_msg_to_tag(const struct sip_msg *m, struct sv *tag);
bool sip_msg_from_uri(const struct sip_msg *m, struct sv *uri);
bool sip_msg_to_uri(const struct sip_msg *m, struct sv *uri);
/* sip_msg_cseq - "CSeq: 1*DIGIT LWS Method" (RFC 3261 §20.16); number < 2^31. */
bool sip_msg_cseq(const struct sip_msg *m, uint32_t *num, struct sv *method);
/* sip_msg_via_branch - branch parameter of the topmost Via value. */
bool sip_msg_via_branch(const struct sip_msg *m, struct sv *branch);
/* sip_msg_via_transport - "UDP", "TCP", "TLS", "WS", "WSS" of the top Via. */
bool sip_msg_via_transport(const struct sip_msg *m, struct sv *transport);
/* sip_msg_contact_uri - URI of the first Contact ("*" for a wildcard). */
bool sip_msg_contact_uri(const struct sip_msg *m, struct sv *uri);
/* sip_msg_content_type - media type without parameters ("application/sdp"). */
bool sip_msg_content_type(const struct sip_msg *m, struct sv *type);

/* sip_name_addr - split a From/To/Contact/Route value (first element only)
 * into its URI and the header parameters after it (RFC 3261 §20.10, §25.1
 * name-addr / addr-spec).  False when no URI is found. */
bool sip_name_addr(struct sv value, struct sv *uri, struct sv *params);
/* sip_param_find - value of ";name=value" in a parameter list (name
 * case-insensitive); an empty value for a bare ";name". */
bool sip_param_find(struct sv params, const char *name, struct sv *value);

/* sip_body_find_sdp - the SDP in the body: the whole body for
 * application/sdp, or the first application/sdp part of a multipart body
 * (RFC 2046 §5.1, nested up to 3 levels).  Returns SA_OK with *sdp set,
 * SA_UNSUPPORTED when there is no SDP (other type, empty body, or a
 * Content-Encoding other than identity), SA_MALFORMED for a broken
 * multipart (no boundary, no delimiter).  d may be NULL. */
enum sa_status sip_body_find_sdp(const struct sip_msg *m, struct sv *sdp,
				 struct sip_diag *d);

#endif
