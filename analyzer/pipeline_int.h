/* pipeline_int.h - what the pipeline's files share (analyzer/pipeline*.c
 * only): the pipeline's state and the steps one file hands to another.
 *   pipeline.c        the frame loop, accounting, fragments, run and free
 *   pipeline_tcp.c    SIP messages, TCP streams (SIP, WebSocket, TURN)
 *   pipeline_media.c  UDP media: flows, streams and decryption, TURN relay
 */
#ifndef SA_PIPELINE_INT_H
#define SA_PIPELINE_INT_H

#include "pipeline.h"


#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calls.h"
#include "capture.h"
#include "checks.h"
#include "classify.h"
#include "decode.h"
#include "flows.h"
#include "ipfrag.h"
#include "keyring.h"
#include "media.h"
#include "rewrite.h"
#include "streams.h"
#include "sip.h"
#include "sip_frame.h"
#include "tcp_reasm.h"
#include "turn.h"

/* How often (in frames) timeouts of reassembly state are checked. */
#define EXPIRE_EVERY 4096

enum stream_kind { STREAM_UNKNOWN = 0, STREAM_SIP, STREAM_WS, STREAM_TURN, STREAM_NOT_SIP };

struct pipeline;

/* What a framer's emit callback needs to know about its direction. */
struct framer_ctx {
	struct pipeline *p;
	struct tcp_stream *s;
	int dir;
};

/* Per-TCP-stream state of this layer (the reassembler's user pointer). */
struct stream_state {
	enum stream_kind kind;
	struct sip_framer *framer[2];
	struct turn_stream *turn[2];  /* STREAM_TURN: per direction */
	struct framer_ctx fctx[2];
	/* Frames with payload counted as "other" while the stream's protocol
	 * was not known yet (bytes buffered out of order); moved to the
	 * stream's category once it is known. */
	uint64_t npending;
};

/* At most this many TURN channel bindings are remembered. */
#define PIPELINE_MAX_TURN 4096

struct turn_binding {
	struct endpoint client, server, peer;
	uint16_t channel;
};

struct pipeline {
	struct result res;
	const struct diag_sink *diag;
	struct capture *cap;
	struct ipfrag_table *frags;
	struct tcp_table *tcp;
	struct sip_msg sipmsg;         /* parse scratch (large) */
	const struct sa_frame *frame;  /* frame being processed */
	bool *link_warned;             /* per file: unknown link reported */
	enum pkt_cat tcp_cat;          /* category found while in tcp callbacks */
	const char *tcp_why;           /* reason when tcp_cat is malformed */
	uint64_t tcp_frame;            /* frame and time of the bytes being framed */
	uint64_t tcp_ts;
	struct call_table *calls;
	struct flow_table *flows;
	struct findings findings;
	struct turn_binding *turn;     /* ChannelBind: channel -> peer */
	size_t nturn, capturn;
	const struct pipeline_options *opt;
	bool learning;                 /* learn_only, or a tentative pass that turned */
	bool turned;                   /* the tentative pass turned (pipeline_learned) */
	struct stream_table *streams;  /* RTP/RTCP streams; decrypted with opt->keys */
	/* The frame's rewritten form when its payload was decrypted. */
	bool rewritten;
	size_t rw_len;
	struct stream *fo_stream;      /* the frame's RTP in clear, if any */
	const uint8_t *fo_rtp;
	size_t fo_rtp_len;
	uint8_t decbuf[65536];
	uint8_t rwbuf[65536 + 256];
	bool nomem;
	/* Caps of the reassemblers hit: warned once per run (docs/limits.md). */
	bool warned_frag_evict, warned_frag_big, warned_tcp_evict;
};

/* pipeline_key_source - a frame that can teach keys (SIP, DTLS): a
 * tentative pass becomes a learning pass (pipeline.h). */
void pipeline_key_source(struct pipeline *p);
/* pipeline_count_frame - count frame in category cat (why: the reason of a
 * malformed frame).  Every frame passes here exactly once. */
void pipeline_count_frame(struct pipeline *p, uint64_t frame, enum pkt_cat cat,
			  const char *why);
/* pipeline_sip - one SIP message; its frame's category (sip or malformed). */
enum pkt_cat pipeline_sip(struct pipeline *p, const uint8_t *data, size_t len,
			  unsigned flags, const struct endpoint *src,
			  const struct endpoint *dst, enum sip_transport tr,
			  uint64_t frame, uint64_t ts, const char **why);
/* The TCP reassembler's callbacks and one segment. */
void pipeline_tcp_data(void *ctx, struct tcp_stream *s, int dir, const uint8_t *data,
		       size_t len, uint64_t frame, uint64_t ts_ns);
void pipeline_tcp_gap(void *ctx, struct tcp_stream *s, int dir, uint64_t missing,
		      uint64_t frame);
void pipeline_tcp_close(void *ctx, struct tcp_stream *s);
enum pkt_cat pipeline_tcp(struct pipeline *p, const struct decode_l4 *l4,
			  uint64_t frame, const char **why);
/* pipeline_udp - one UDP datagram: SIP, media, TURN. */
enum pkt_cat pipeline_udp(struct pipeline *p, const struct decode_l4 *l4,
			  uint64_t frame, const char **why);
/* pipeline_turn_relay - a TURN message between client and server; the
 * category of the media inside (PKT_STUN when none). */
enum pkt_cat pipeline_turn_relay(struct pipeline *p, const struct endpoint *src,
				 const struct endpoint *dst, const struct turn_msg *tm,
				 uint64_t frame, const char **why);

#endif
