/* calls.h - SIP calls: INVITE dialogs, their transactions and the SDP
 * offer/answer exchanges they carried (RFC 3261, RFC 3264, RFC 6337).
 *
 * The call table is fed every parsed SIP message in capture order
 * (calls_on_sip) and keeps, per Call-ID of an INVITE dialog, who called
 * whom, how the call ended, and each offer/answer exchange with owned
 * copies of the SDP (sdp_desc.h).  Non-INVITE dialogs (REGISTER, OPTIONS,
 * SUBSCRIBE...) are counted, not kept.  A capture that starts mid-call
 * still gets its call (flagged started_before_capture).
 *
 * Memory is bounded: CALLS_MAX calls, CALL_MAX_EXCHANGES exchanges per
 * call; beyond them a warning is given once and the messages are counted.
 */
#ifndef SA_CALLS_H
#define SA_CALLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "netaddr.h"
#include "sdp_desc.h"
#include "sip.h"
#include "status.h"

#define CALLS_MAX 100000
#define CALL_MAX_EXCHANGES 16
#define CALL_MAX_TO_TAGS 8

enum call_outcome {
	OUTCOME_UNFINISHED = 0, /* no final response to the INVITE seen */
	OUTCOME_ANSWERED,       /* 2xx */
	OUTCOME_REJECTED,       /* 3xx-6xx other than after CANCEL */
	OUTCOME_CANCELLED,      /* CANCEL, then 487 or nothing */
};

const char *call_outcome_name(enum call_outcome o);

enum party { PARTY_CALLER = 0, PARTY_CALLEE = 1, PARTY_NONE = 2 };

const char *party_name(enum party p);

enum sip_transport { SIPT_UDP = 0, SIPT_TCP, SIPT_WS };

const char *sip_transport_name(enum sip_transport t);

/* One SDP carried by a SIP message. */
struct call_sdp {
	struct sdp_desc d;
	enum party from;          /* who sent it */
	char carrier[32];         /* "INVITE", "183 INVITE", "ACK", ... */
	uint32_t cseq;
};

/* One offer/answer exchange (RFC 3264 §4). */
struct oa_exchange {
	struct call_sdp *offer;   /* owned */
	struct call_sdp *answer;  /* owned; NULL until answered */
	enum party offerer;
	bool reoffer;             /* not the first exchange of the call */
	bool rejected;            /* a final error response refused the offer */
	uint16_t reject_code;
	uint64_t reject_frame;
	bool offer_in_response;   /* offerless INVITE: offer in 2xx/18x, answer in ACK/PRACK */
};

struct sa_call {
	char *call_id;
	char *from;               /* From URI of the INVITE */
	char *to;                 /* To URI */
	char *caller_tag;         /* From tag of the caller's requests */
	struct endpoint sig[2];   /* SIP endpoints of caller and callee (first seen) */
	bool sig_known[2];
	enum sip_transport transport;
	bool started_before_capture; /* the capture has no initial INVITE */
	uint64_t first_frame, last_frame;
	uint64_t start_ns, end_ns;
	uint64_t invite_frame;    /* initial INVITE, 0 if not seen */
	uint64_t answer_frame;    /* 2xx to the initial INVITE */
	uint64_t final_frame;     /* final response to the initial INVITE */
	uint64_t bye_frame, cancel_frame;
	enum party bye_from;
	enum call_outcome outcome;
	uint16_t final_code;
	uint32_t invite_cseq;
	uint64_t messages;
	char to_tags[CALL_MAX_TO_TAGS][64];
	size_t n_to_tags;         /* distinct to-tags in responses (forking) */
	bool dialog_confirmed;    /* 2xx seen */
	struct oa_exchange ex[CALL_MAX_EXCHANGES];
	size_t n_ex;
	size_t dropped_sdp;       /* SDPs past CALL_MAX_EXCHANGES */
	int pending;              /* exchange waiting for its answer, -1 none */
	bool offerless_pending;   /* INVITE without SDP: offer comes in a response */
	uint32_t offerless_cseq;
};

/* What a newly bound media endpoint is: the receive address a party
 * announced for media index m of exchange e of call c. */
struct media_binding {
	size_t call;              /* index in the table */
	size_t ex;
	size_t media;
	enum party receiver;      /* whose receive address */
	bool rtcp;                /* the RTCP address (non-mux) */
	bool mux;                 /* RTP and RTCP share it */
};

/* Called when an SDP announces a receive endpoint; peer (may be NULL) is
 * the endpoint the other party announced for the same media and kind. */
typedef void (*calls_bind_fn)(void *ctx, const struct endpoint *ep,
			      const struct media_binding *b,
			      const struct endpoint *peer);

struct call_table;

struct call_table *call_table_new(const struct diag_sink *diag,
				  calls_bind_fn on_bind, void *bind_ctx);
void call_table_free(struct call_table *t);

/* The message's context: where and when it was seen. */
struct sip_ctx {
	uint64_t frame;
	uint64_t ts_ns;
	struct endpoint src, dst;
	enum sip_transport transport;
	const char *file;         /* for messages */
};

/* calls_on_sip - account one parsed SIP message.  Returns SA_OK,
 * SA_MALFORMED (no Call-ID or CSeq: the caller counts the frame as
 * malformed; *why says what), SA_NOMEM. */
enum sa_status calls_on_sip(struct call_table *t, const struct sip_msg *m,
			    const struct sip_ctx *ctx, const char **why);

size_t call_table_count(const struct call_table *t);
const struct sa_call *call_table_at(const struct call_table *t, size_t i);
/* call_table_find - index of a Call-ID, or -1. */
long call_table_find(const struct call_table *t, const char *call_id);
/* Messages of non-INVITE dialogs (REGISTER, OPTIONS, ...), not kept. */
uint64_t call_table_other_messages(const struct call_table *t);

/* call_exchange_media_endpoint - the RTP (rtcp false) or RTCP receive
 * endpoint announced by an SDP for media index i; false when the stream is
 * rejected (port 0), the address is unknown or i is out of range. */
bool call_sdp_media_endpoint(const struct sdp_desc *d, size_t i, bool rtcp,
			     struct endpoint *out);

/* call_active_exchange - the latest exchange that has an answer and was
 * not rejected, else the latest one; NULL when the call has none. */
const struct oa_exchange *call_active_exchange(const struct sa_call *c);

/* exchange_sdp_of - the SDP of party p in exchange e (its offer or its
 * answer), or NULL. */
const struct call_sdp *exchange_sdp_of(const struct oa_exchange *e, enum party p);
/* exchange_active_party - the party that is DTLS active (client) after
 * exchange e for media i (RFC 4145 §4.1 defaults included): PARTY_NONE
 * when the answer says actpass/holdconn or is missing. */
enum party exchange_active_party(const struct oa_exchange *e, size_t i);

#endif
