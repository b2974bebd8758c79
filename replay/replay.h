/* replay.h - play one side of a captured call live against a device under
 * test (issue 8): the plan (what the captured side said and sent, taken
 * from the analyzer's model of the call and the decrypting pass's frames),
 * the options of a live run, and its results and verdicts.
 *
 * The plan never re-parses capture bytes: it is filled from struct
 * result (calls.h) and from the clear RTP the decrypting pass hands to
 * replay_plan_on_frame().  The live run (replay_run) is a single-threaded
 * event loop over one SIP socket and one media socket: SIP UA with RFC
 * 3261 transactions (sip_tx.h), DTLS-SRTP with dtls_peer.h or SDES, SRTP
 * with srtp_peer.h, media paced on CLOCK_MONOTONIC.  See docs/replay.md.
 */
#ifndef SA_REPLAY_H
#define SA_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calls.h"
#include "status.h"

struct frame_out;
struct result;

#define REPLAY_MAX_PACKETS 100000        /* captured RTP packets kept */
#define REPLAY_MAX_PAYLOAD_BYTES (32u << 20)
#define REPLAY_METHOD_NONE 4             /* plain RTP/AVP, no crypto */
#define REPLAY_METHOD_CAPTURE (-1)       /* what the capture did */

struct replay_pkt {
	uint64_t t_ns;       /* capture time relative to the side's first packet */
	uint32_t ts_off;     /* RTP timestamp relative to the first packet */
	uint8_t pt;
	bool marker;
	uint16_t plen;
	uint8_t *payload;    /* owned */
};

/* The captured call, seen from the side to replay. */
struct replay_plan {
	char call_id[256];
	enum party side;         /* PARTY_CALLER: we are the UAC */
	char from_user[64], to_user[64];
	bool call_found;
	int offer_method;        /* 0..3, REPLAY_METHOD_NONE; from the first offer */
	int answer_method;       /* what the answer chose: 1 sdes, 2 dtls, NONE */
	bool side_sent_bye;      /* the replayed side ended the call */
	bool side_reinvited;     /* the replayed side sent a re-INVITE */
	enum call_outcome outcome;
	uint16_t final_code;
	struct replay_pkt *pkts;
	size_t n, cap;
	size_t payload_bytes;
	size_t dropped;          /* over the caps */
	uint64_t first_ns;
	uint32_t first_ts;
	uint64_t other_side_packets; /* RTP of the other side (for the report) */
};

/* replay_plan_init - empty plan for the call and side; the strings are
 * copied (cut to the field sizes). */
void replay_plan_init(struct replay_plan *p, const char *call_id, enum party side);
/* replay_plan_on_frame - pipeline on_frame callback (ctx is the plan):
 * keeps the clear RTP the replayed side sent in the call.  Packets over
 * the caps are counted in dropped. */
void replay_plan_on_frame(void *ctx, const struct frame_out *fo);
/* replay_plan_finish - take the call's parties, methods and outcome from
 * the result.  SA_UNSUPPORTED when the call is not in the capture. */
enum sa_status replay_plan_finish(struct replay_plan *p, const struct result *r);
/* replay_plan_cleanup - free the payloads (NULL-safe). */
void replay_plan_cleanup(struct replay_plan *p);

enum replay_close { REPLAY_CLOSE_AFTER_EXPORT, REPLAY_CLOSE_AT_END, REPLAY_CLOSE_NEVER };

enum replay_fault {
	REPLAY_FAULT_NONE = 0,
	REPLAY_FAULT_WRONG_FINGERPRINT,  /* our SDP carries a fingerprint of nothing */
	REPLAY_FAULT_SILENT,             /* bind, read and never answer (tests) */
};

struct replay_options {
	enum party side;          /* PARTY_CALLER = --as uac */
	const char *target_host;  /* numeric address */
	uint16_t target_port;     /* 0: 5060 (UAC); any port (UAS) */
	const char *listen_host;  /* numeric address to bind */
	uint16_t listen_port;     /* 0: any */
	int method;               /* 0..3, REPLAY_METHOD_NONE */
	bool answer_passive;      /* --setup passive (as answerer) */
	enum replay_close dtls_close;
	const char *keylog_out;   /* NULL: none */
	const char *port_file;    /* write the SIP port there once bound */
	double max_duration;      /* seconds, hard stop */
	unsigned t1_ms;           /* RFC 3261 T1, default 500 */
	double linger;            /* seconds to keep receiving after our media */
	double pacing_tolerance_ms; /* p99 limit of pacing_accuracy */
	enum replay_fault fault;
	bool tcp;                 /* --transport tcp */
	const char *auth_user, *auth_pass;  /* --auth USER:PASS; NULL: none */
	const char *challenge_realm;        /* UAS: challenge the INVITE (401) */
	bool challenge_sha256;    /* ... with algorithm=SHA-256 instead of MD5 */
	bool challenge_proxy;     /* ... with 407 Proxy-Authenticate */
	double reinvite_at;       /* s after our media starts; 0 from the capture, <0 never */
	bool no_rtcp_mux;         /* --rtcp-mux off: neither offer nor accept rtcp-mux */
	double cancel_after;      /* UAC: CANCEL after S s without a final response; 0 never */
	double answer_after;      /* UAS: answer the INVITE S s after it came (180 first) */
	bool expect_cancel;       /* UAS: a CANCEL from the device is the expected flow */
	bool late_offer;          /* UAC: INVITE without SDP (offer in the 2xx, answer in ACK) */
	bool verbose;
	void (*log)(void *ctx, const char *msg);  /* progress lines; may be NULL */
	void *log_ctx;
};

/* Why a run stopped before its end (exit status 2). */
enum replay_abort {
	REPLAY_ABORT_NONE = 0,
	REPLAY_ABORT_TIMEOUT,      /* --max-duration or a transaction timer */
	REPLAY_ABORT_UNREACHABLE,  /* ICMP port unreachable, no route */
	REPLAY_ABORT_IO,           /* socket or setup failure */
};

enum verdict { VERDICT_SKIPPED = 0, VERDICT_PASS, VERDICT_FAIL };

enum replay_check {
	RC_SIP_FLOW, RC_HANDSHAKE, RC_FINGERPRINT, RC_PROFILE, RC_MEDIA_SENT,
	RC_MEDIA_RECEIVED, RC_AUTH_FAILURE_RATE, RC_PACING, RC_COUNT
};

struct replay_verdict {
	enum verdict v;
	char detail[200];
};

struct replay_result {
	enum replay_abort abort;
	char abort_msg[256];
	struct replay_verdict verdicts[RC_COUNT];
	char call_id[128];              /* the live call's Call-ID */
	char local_sip[80], local_media[80], remote_media[80];
	int method;                     /* offered (UAC) or answered (UAS) */
	char negotiated[16];            /* "dtls", "sdes", "none" */
	char profile[48];               /* SRTP suite or "" */
	char dtls_role[8];              /* "client", "server", "" */
	uint16_t final_code;            /* final response to our/their INVITE */
	unsigned sip_retransmissions;
	bool bye_sent, bye_received;
	uint64_t captured_packets;      /* of the replayed side */
	uint64_t sent_rtp, sent_rtcp;
	uint64_t recv_rtp, recv_rtcp, recv_auth_failures, recv_before_keys;
	uint64_t recv_lost;
	double recv_jitter_ms;
	bool jitter_valid;
	double pacing_p50_ms, pacing_p99_ms, pacing_max_ms;
	double duration_s;
	char transport[4];              /* "udp", "tcp" */
	unsigned auth_challenges;       /* 401/407 received (UAC) or sent (UAS) */
	char auth_header[768];          /* the credentials we sent (UAC) / received (UAS) */
	int auth_verified;              /* UAS --challenge: 1 correct, 0 wrong, -1 not checked */
	unsigned reinvites_sent, reinvites_received;
	bool rtcp_mux;                  /* RTCP on the RTP port (RFC 5761) */
	char local_rtcp[80], remote_rtcp[80];  /* without rtcp-mux */
	uint64_t recv_rtcp_auth_failures;      /* SRTCP that failed authentication */
	unsigned dtls_associations;     /* DTLS handshakes completed (2 without rtcp-mux) */
	bool cancel_sent, cancel_received;
	uint16_t cancel_code;           /* response to our CANCEL (UAC) */
	bool cancelled;                 /* the INVITE ended with 487 after a CANCEL */
	bool offerless;                 /* the INVITE carried no SDP (offer in the 2xx) */
	unsigned route_set;             /* entries of the dialog's route set */
};

/* replay_run - the live run.  Returns SA_OK when the run happened (its
 * verdicts and abort reason are in *res, also for a timeout), SA_IO when
 * the sockets could not be set up (res->abort_msg says why), SA_NOMEM. */
enum sa_status replay_run(const struct replay_plan *plan,
			  const struct replay_options *opt,
			  struct replay_result *res);

/* Names for reports (inline so that reports/ needs no replay object). */
static inline const char *replay_check_name(enum replay_check c)
{
	static const char *const n[RC_COUNT] = {
		"sip_flow_completed", "handshake_completed", "fingerprint_verified",
		"profile_negotiated", "media_sent", "media_received", "auth_failure_rate",
		"pacing_accuracy" };
	return (unsigned)c < RC_COUNT ? n[c] : "?";
}

static inline const char *replay_verdict_name(enum verdict v)
{
	return v == VERDICT_PASS ? "pass" : v == VERDICT_FAIL ? "fail" : "skipped";
}

/* replay_abort_name - "none", "timeout", "unreachable", "io". */
static inline const char *replay_abort_name(enum replay_abort a)
{
	static const char *const n[] = { "none", "timeout", "unreachable", "io" };
	return (unsigned)a < 4 ? n[a] : "?";
}

/* replay_method_name - "0".."3", "none", or "capture". */
static inline const char *replay_method_name(int method)
{
	static const char *const names[] = { "0", "1", "2", "3", "none" };
	return method >= 0 && method <= REPLAY_METHOD_NONE ? names[method] : "capture";
}

/* replay_exit_status - 2 when aborted, 1 when a verdict failed, else 0. */
static inline int replay_exit_status(const struct replay_result *res)
{
	size_t i;
	if (res->abort != REPLAY_ABORT_NONE)
		return 2;
	for (i = 0; i < RC_COUNT; i++)
		if (res->verdicts[i].v == VERDICT_FAIL)
			return 1;
	return 0;
}

#endif
