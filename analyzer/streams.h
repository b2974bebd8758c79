/* streams.h - RTP and RTCP streams of the decrypting pass: one per
 * (sender, receiver, kind, SSRC), with its keys, its decryption engine
 * stream (srtp_stream.h) and its statistics (rtpstats.h).
 *
 * Keys come from the key ring as candidates; a stream uses the first that
 * authenticates, and tries the others again after a run of failures (a
 * re-keyed re-INVITE, a new handshake).  A direction without any key is
 * counted as plaintext when the negotiation chose plain RTP, else as "no
 * key" with the reason.  See docs/keys.md.
 */
#ifndef SA_STREAMS_H
#define SA_STREAMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calls.h"
#include "keyring.h"
#include "rtpstats.h"
#include "srtp_stream.h"

#define STREAMS_MAX 65536
#define STREAM_CANDS 4
/* After this many consecutive authentication failures the other candidate
 * keys are tried again. */
#define STREAM_REKEY_FAILURES 8

struct stream {
	struct endpoint src, dst;
	enum sdec_kind kind;
	uint32_t ssrc;
	long call, media;            /* -1 when not bound to a call */
	enum party sender;
	const struct key_entry *cand[STREAM_CANDS];
	size_t ncand;
	size_t key_idx;              /* candidate in use, ncand = none yet */
	enum key_miss miss;
	struct sdec_stream *dec;
	uint64_t packets, decrypted, auth_failures, no_key, plaintext;
	uint64_t duplicates, out_of_order, unencrypted_rtcp;
	uint64_t consecutive_failures;
	/* Authentication failures whose G.711 payload has exactly a whole
	 * number of 10 ms frames: no tag, so sent in clear (RTP only). */
	uint64_t plain_looking;
	uint16_t first_seq;
	uint64_t first_frame, last_frame;
	uint64_t first_auth_failure_frame;
	struct rtpstats stats;       /* RTP: from the clear RTP headers */
	void *user;                  /* the caller's (e.g. a WAV writer) */
	struct stream *next;
};

enum stream_verdict {
	SV_DECRYPTED,   /* plaintext in out */
	SV_AUTH_FAILED, /* keys known, the packet did not authenticate */
	SV_NO_KEY,      /* no key for this direction */
	SV_PLAIN,       /* not protected: the negotiation chose plain RTP */
	SV_SKIPPED,     /* not an RTP/RTCP packet, or over the stream cap */
};

struct stream_table;

/* stream_table_new - kr may be NULL: streams are then counted and their
 * RTP headers measured, nothing is decrypted. */
struct stream_table *stream_table_new(const struct keyring *kr,
				      const struct diag_sink *diag);
void stream_table_free(struct stream_table *t);

/* The media context of a packet from the flow table. */
struct stream_ctx {
	long call, media;
	enum party sender;
	uint32_t clock_rate;         /* for jitter; 0 unknown */
	struct stream **cache;       /* optional: the last stream of this flow
				      * direction and kind, checked first */
};

/* streams_packet - one RTP (kind SDEC_RTP) or RTCP packet sent from src to
 * dst at frame/ts.  On SV_DECRYPTED the plaintext (tag and MKI removed) is
 * in out[0..*out_len).  *sout gets the stream (NULL for SV_SKIPPED). */
enum stream_verdict streams_packet(struct stream_table *t, const struct endpoint *src,
				   const struct endpoint *dst, enum sdec_kind kind,
				   const uint8_t *pkt, size_t len, uint64_t frame,
				   uint64_t ts_ns, const struct stream_ctx *ctx,
				   uint8_t *out, size_t cap, size_t *out_len,
				   struct stream **sout);

/* stream_table_explain - after a pass without keys: tell each stream why
 * it has none, from the key ring built afterwards (the same reasons a
 * decrypting pass would give).  Streams for which kr has keys keep
 * "no key" (decrypting needs a second pass). */
void stream_table_explain(struct stream_table *t, const struct keyring *kr);

/* streams_foreach - every stream in creation order (streams_foreach_mut
 * for the caller's user pointers). */
void streams_foreach_mut(struct stream_table *t,
			 void (*fn)(void *ctx, struct stream *s), void *ctx);
void streams_foreach(const struct stream_table *t,
		     void (*fn)(void *ctx, const struct stream *s), void *ctx);
size_t streams_count(const struct stream_table *t);

#endif
