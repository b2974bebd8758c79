/* replay_int.h - internals shared by the live replay's files: the session
 * (sockets, dialog, offer/answer, DTLS, SRTP, media state) and the
 * functions each file gives the others.  Not a public API. */
#ifndef SA_REPLAY_INT_H
#define SA_REPLAY_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>

#include "dtls_peer.h"
#include "replay.h"
#include "rtpstats.h"
#include "sdp_build.h"
#include "sdp_desc.h"
#include "sip.h"
#include "sip_tx.h"
#include "srtp_peer.h"

struct dtls_assoc;
struct pollfd;
struct sip_framer;

enum rs_state {
	RS_IDLE,        /* UAS: waiting for the INVITE */
	RS_INVITING,    /* UAC: INVITE sent */
	RS_ANSWERED,    /* 2xx sent or received, waiting for / sent ACK */
	RS_CONFIRMED,   /* dialog confirmed */
	RS_BYE_SENT,
	RS_DONE,        /* the call is over (BYE done, or rejected) */
};

#define RS_EARLY_MAX 8
#define RS_CONN_MAX 4

/* One SIP-over-TCP connection (replay_tcp.c). */
struct rs_conn {
	int fd;                            /* -1: slot free */
	bool connecting;                   /* non-blocking connect() in progress */
	struct sockaddr_storage addr;
	socklen_t alen;
	struct sip_framer *fr;             /* owned */
	uint8_t *out;                      /* owned, RS_TCP_OUT_CAP */
	size_t out_n;
};

struct rs_early {
	uint8_t d[DTLS_PEER_MAX_DGRAM];
	size_t n;
	int comp;                          /* RS_RTP or RS_RTCP socket */
};

enum { RS_RTP = 0, RS_RTCP = 1 };

/* One DTLS association (RFC 5764 §3: one per component without rtcp-mux). */
struct rs_dtls {
	struct dtls_peer *peer;
	struct dtls_assoc *watch;          /* the analyzer's view of the handshake */
	bool fp_checked, fp_ok, done, failed, closed;
};

struct rsess {
	const struct replay_plan *plan;
	const struct replay_options *opt;
	struct replay_result *res;
	struct sip_timers tm;
	uint64_t t0, hard_end;

	/* SIP transport */
	int sip_fd;
	struct sockaddr_storage peer;      /* where SIP goes */
	socklen_t peer_len;
	struct sockaddr_storage target_ip; /* port ignored: who may talk to us */
	char lhost[64], thost[64];         /* numeric, IPv6 without brackets */
	uint16_t lport, tport;
	bool ipv6;
	bool tcp;                          /* --transport tcp: sip_fd listens */
	struct rs_conn conns[RS_CONN_MAX];
	int cur_conn, in_conn;             /* -1: none */

	/* dialog */
	enum rs_state state;
	char call_id[128], ltag[24], rtag[128];
	char remote_target[256];           /* Request-URI for in-dialog requests */
	char remote_party[512];            /* their From/To value with their tag */
	char local_party[512];             /* our From/To value with our tag */
	uint32_t lcseq;
	struct sip_txn inv, bye, srv_inv, srv_bye, reinv, srv_reinv;
	bool inv_used, bye_used, srv_inv_used, srv_bye_used, reinv_used, srv_reinv_used;
	char inv_ruri[256];
	char ack_2xx[SIP_TX_MAX_MSG];      /* our ACK to their 2xx (resent on retransmissions) */
	size_t ack_2xx_len;
	uint64_t bye_at;                   /* when to send our BYE; 0 not planned */
	bool call_up;                      /* 2xx exchanged */
	bool acked;                        /* ACK sent (UAC) / received (UAS) */
	char inv_body[4096];               /* our INVITE's SDP (resent with credentials) */
	size_t inv_body_len;
	unsigned auth_tries;               /* INVITEs re-sent with credentials */
	char srv_nonce[40];                /* UAS --challenge: the nonce we sent */
	bool reinv_pending;                /* our re-INVITE is in progress */
	bool reinvite_planned;
	uint64_t reinvite_at;              /* when to send our re-INVITE; 0 none */
	uint64_t sess_id;                  /* SDP o= session id */
	uint32_t sess_ver;                 /* SDP o= version (RFC 3264 §8) */

	/* offer/answer */
	int method;                        /* what we offered / answered */
	struct sdpb_crypto crypto[2];      /* our SDES keys (tags 1, 2) */
	unsigned n_crypto;
	char tls_id[40];
	bool use_dtls, use_sdes, plain, negotiated;
	bool rtcp_mux;
	struct desc_fp rfp;                /* the device's a=fingerprint */
	bool have_rfp;
	bool dtls_client;

	/* media transport */
	int media_fd;
	uint16_t lmport;
	struct sockaddr_storage rmedia;
	socklen_t rmedia_len;
	bool rmedia_known;
	struct rs_early early[RS_EARLY_MAX];
	size_t n_early;
	/* RTCP without rtcp-mux: its own socket and the device's RTCP address
	   (m-line port + 1 or a=rtcp, RFC 3605) */
	int rtcp_fd;
	uint16_t lrport;
	struct sockaddr_storage rrtcp;
	socklen_t rrtcp_len;
	bool rrtcp_known;

	/* DTLS: dt[RS_RTP], and dt[RS_RTCP] without rtcp-mux */
	struct rs_dtls dt[2];
	uint64_t dtls_deadline;            /* handshake time limit; 0 none */
	FILE *keylog;

	/* SRTP and media */
	struct srtp_peer *tx, *rx;
	struct srtp_peer *tx_rtcp, *rx_rtcp; /* DTLS without rtcp-mux: SRTCP keys of dt[RS_RTCP] */
	enum srtp_peer_suite suite;
	bool keys;
	uint32_t ssrc, ts0;
	uint16_t seq0;
	size_t next_pkt;
	uint64_t media_start;
	bool media_started, media_done;
	uint64_t media_done_at, next_sr;
	uint32_t octets;
	double *err_ms;                    /* per sent packet, plan->n entries */
	struct rtpstats rx_stats;
	bool rx_stats_started;
	bool failed_hard;                  /* stop the run now */

	/* CANCEL (RFC 3261 §9), delayed answer, offerless INVITE (§13.2.1) */
	uint64_t cancel_at;                /* UAC: when to send CANCEL; 0 none */
	struct sip_txn cancel;             /* our CANCEL (non-INVITE client txn) */
	bool cancel_used;
	uint64_t answer_at;                /* UAS: when to send the 2xx; 0 none */
	char inv_req[SIP_TX_MAX_MSG * 2];  /* UAS: the INVITE being answered (for 2xx/487) */
	size_t inv_req_len;
	bool offerless;                    /* the INVITE had no SDP */
	bool late_answer_due;              /* UAS: our offer went in the 2xx; the answer is in the ACK */

	/* route set (RFC 3261 §12.1): in-dialog requests go to its first hop */
	struct sip_route_set routes;
};

/* replay_session.c */
uint64_t rs_now(void);
/* rs_addr_parse - a numeric host and port into a socket address. */
bool rs_addr_parse(const char *host, uint16_t port, struct sockaddr_storage *ss,
		   socklen_t *len);
void rs_log(struct rsess *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rs_abort(struct rsess *s, enum replay_abort a, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void rs_verdict(struct rsess *s, enum replay_check c, enum verdict v,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));
bool rs_sip_send(struct rsess *s, const char *msg, size_t len);
bool rs_same_host(const struct sockaddr_storage *a, const struct sockaddr_storage *b);

/* replay_tcp.c */
void rs_tcp_init(struct rsess *s);
void rs_tcp_cleanup(struct rsess *s);
/* rs_tcp_listen - a listening socket bound to ss; -1 on failure (errno). */
int rs_tcp_listen(struct rsess *s, const struct sockaddr_storage *ss, socklen_t len);
/* rs_tcp_send - queue and send msg on the current connection (opened to
 * s->peer when there is none); false when it cannot be. */
bool rs_tcp_send(struct rsess *s, const char *msg, size_t len);
void rs_tcp_accept(struct rsess *s);
size_t rs_tcp_pollfds(struct rsess *s, struct pollfd *p, int *idx, size_t cap);
void rs_tcp_events(struct rsess *s, const struct pollfd *p, const int *idx, size_t n);
/* replay_sdp.c */
/* rs_make_crypto - fresh SDES keys for tags 1 and 2. */
bool rs_make_crypto(struct rsess *s);
/* rs_build_sdp - our offer (offer true) or answer SDP into buf. */
bool rs_build_sdp(struct rsess *s, bool offer, enum sdpb_setup setup,
		  char *buf, size_t cap, size_t *len);
/* rs_take_offer - the device's offer: choose what to answer (false: 488).
 * rs_take_answer - the device's answer to our offer (false: unusable). */
bool rs_take_offer(struct rsess *s, const char *sdp, size_t len, char *why, size_t wcap);
bool rs_take_answer(struct rsess *s, const char *sdp, size_t len);
/* rs_media_go - the signalling is done enough: start DTLS as client. */
void rs_media_go(struct rsess *s);
void rs_dtls_close(struct rsess *s);
/* rs_dtls_role - (re)create our DTLS endpoint as client or server with
 * the same certificate; false when OpenSSL fails. */
bool rs_dtls_role(struct rsess *s, bool client);
/* rs_media_send - one datagram on the RTP (RS_RTP) or RTCP socket to the
 * device's address for it (nothing when unknown). */
void rs_media_send(struct rsess *s, int comp, const uint8_t *d, size_t n);
/* rs_rtcp_input - one RTP/RTCP-range datagram from the RTCP socket. */
void rs_rtcp_input(struct rsess *s, uint8_t *d, size_t n);
/* rs_media_clock - restart the media schedule now (nothing sent yet). */
void rs_media_clock(struct rsess *s);

/* replay_ua.c */
bool rs_ua_start(struct rsess *s);
void rs_ua_input(struct rsess *s, const uint8_t *d, size_t n,
		 const struct sockaddr_storage *from, socklen_t flen);
void rs_ua_timers(struct rsess *s, uint64_t now);
uint64_t rs_ua_next(const struct rsess *s);
void rs_ua_send_bye(struct rsess *s);
/* Text helpers shared by replay_ua.c and replay_uas.c. */
void rs_sv_copy(char *dst, size_t cap, struct sv v);
void rs_hostport(char *out, size_t cap, const char *host, uint16_t port);
const char *rs_user_or(const char *u, const char *dflt);
void rs_put_body(struct sip_buf *b, const char *ctype, const char *body, size_t n);

/* replay_uas.c */
/* rs_build_response - a response to req (Via/From/To/Call-ID/CSeq copied,
 * our To tag, Record-Route for dialog-creating INVITE responses); its
 * length, 0 when it does not fit cap. */
size_t rs_build_response(struct rsess *s, const struct sip_msg *req, int code,
			 const char *reason, bool contact, const char *sdp,
			 size_t sdp_len, char *out, size_t cap, const char *extra);
/* rs_respond(_x) - build, send and (t non-NULL) record it in the server
 * transaction; extra is whole header lines or NULL. */
void rs_respond_x(struct rsess *s, struct sip_txn *t, const struct sip_msg *req,
		  int code, const char *reason, const char *sdp, size_t sdp_len,
		  const char *extra);
void rs_respond(struct rsess *s, struct sip_txn *t, const struct sip_msg *req,
		int code, const char *reason, const char *sdp, size_t sdp_len);
void rs_uas_invite(struct rsess *s, const struct sip_msg *m, uint32_t cseq,
		   const struct sockaddr_storage *from, socklen_t flen);
void rs_uas_reinvite(struct rsess *s, const struct sip_msg *m, uint32_t cseq, const char *bs);
void rs_uas_cancel(struct rsess *s, const struct sip_msg *m, uint32_t cseq);
/* rs_uas_answer_late - the delayed 200 (--answer-after) to the kept INVITE. */
void rs_uas_answer_late(struct rsess *s);

/* replay_dialog.c */
/* rs_route_apply - the Request-URI and Route lines of an in-dialog request
 * (RFC 3261 §12.2.1.1) into ruri/routes, and s->peer set to the first
 * hop (numeric hosts only); false when a line does not fit. */
bool rs_route_apply(struct rsess *s, char *ruri, size_t rcap, char *routes, size_t hcap);
/* rs_route_learn - the dialog's route set from Record-Route of the 2xx
 * (UAC: reversed) or of the INVITE (UAS: in order). */
void rs_route_learn(struct rsess *s, const struct sip_msg *m, bool uac);
/* rs_cancel_send - CANCEL for our pending INVITE (RFC 3261 §9.1). */
void rs_cancel_send(struct rsess *s);
/* rs_cancel_response - a response to our CANCEL. */
void rs_cancel_response(struct rsess *s, int code);

/* replay_media.c */
bool rs_media_keys(struct rsess *s, const uint8_t *send_ks, size_t send_n,
		   const uint8_t *recv_ks, size_t recv_n);
void rs_media_input(struct rsess *s, uint8_t *d, size_t n);
void rs_media_timers(struct rsess *s, uint64_t now);
uint64_t rs_media_next(const struct rsess *s);
void rs_media_finish(struct rsess *s);

#endif
