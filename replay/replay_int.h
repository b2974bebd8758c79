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
	char ack_2xx[2048];                /* our ACK to their 2xx (resent on retransmissions) */
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

	/* DTLS */
	struct dtls_peer *dtls;
	struct dtls_assoc *watch;          /* the analyzer's view of the handshake */
	bool fp_checked, fp_ok, dtls_done, dtls_failed, dtls_closed;
	uint64_t dtls_deadline;            /* handshake time limit; 0 none */
	FILE *keylog;

	/* SRTP and media */
	struct srtp_peer *tx, *rx;
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

/* replay_ua.c */
bool rs_ua_start(struct rsess *s);
void rs_ua_input(struct rsess *s, const uint8_t *d, size_t n,
		 const struct sockaddr_storage *from, socklen_t flen);
void rs_ua_timers(struct rsess *s, uint64_t now);
uint64_t rs_ua_next(const struct rsess *s);
void rs_ua_send_bye(struct rsess *s);

/* replay_media.c */
bool rs_media_keys(struct rsess *s, const uint8_t *send_ks, size_t send_n,
		   const uint8_t *recv_ks, size_t recv_n);
void rs_media_input(struct rsess *s, uint8_t *d, size_t n);
void rs_media_timers(struct rsess *s, uint64_t now);
uint64_t rs_media_next(const struct rsess *s);
void rs_media_finish(struct rsess *s);

#endif
