/* tcp_reasm.h - TCP stream reassembly for the capture reader.
 *
 * The capture reader passes every decoded TCP segment to
 * tcp_table_segment().  Segments are grouped into streams (both directions
 * of one 5-tuple) and each direction's bytes are handed to on_data in
 * sequence order, once: retransmissions are dropped, partial overlaps
 * trimmed, out-of-order segments buffered (copied, capped) until the hole
 * before them fills.  Bytes that will never come are reported through
 * on_gap and delivery resumes after them.  In-order segments are delivered
 * straight from the caller's payload (zero copy) and cost no allocation.
 * Sequence numbers compare with 32-bit serial arithmetic (RFC 9293 §3.4,
 * RFC 1982).  See docs/reassembly.md for caps, timeouts and policies.
 *
 * Frame accounting stays with the caller: every segment's frame is the
 * caller's to count, whatever happens to its bytes.  The frame given to
 * on_data/on_gap only says where bytes came from.
 *
 * Callbacks run inside tcp_table_segment, tcp_table_expire, tcp_table_flush
 * and tcp_table_free; they must not call tcp_table_* functions.  They may
 * use tcp_stream_user/set_user/tuple on the stream they are given.
 */
#ifndef SA_TCP_REASM_H
#define SA_TCP_REASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netaddr.h"
#include "status.h"

/* TCP header flag bits (RFC 9293 §3.1, low byte of the control bits). */
enum {
	TCP_FLAG_FIN = 0x01,
	TCP_FLAG_SYN = 0x02,
	TCP_FLAG_RST = 0x04,
	TCP_FLAG_PSH = 0x08,
	TCP_FLAG_ACK = 0x10,
	TCP_FLAG_URG = 0x20,
};

/* Memory charged for one buffered out-of-order segment besides its
 * payload (its bookkeeping), counted against the buffer caps. */
#define TCP_REASM_SEG_OVERHEAD 64u

struct tcp_limits {
	size_t max_streams;         /* live streams (default 65536); the least
				     * recently active is evicted beyond it */
	size_t max_buffered;        /* out-of-order bytes per direction, payload
				     * + TCP_REASM_SEG_OVERHEAD each (default 1 MiB) */
	uint64_t idle_timeout_ns;   /* stream closed after this long without a
				     * segment (default 300 s) */
	size_t max_total_buffered;  /* out-of-order bytes, whole table
				     * (default 64 MiB) */
};

/* tcp_limits_default - the defaults above.  A zero field in the limits
 * given to tcp_table_new() also means "default". */
struct tcp_limits tcp_limits_default(void);

struct tcp_stream;   /* opaque */

struct tcp_callbacks {
	/* In-order bytes of direction dir: 0 = from the side that opened the
	 * connection (sent the SYN; without a SYN, the sender of the first
	 * segment seen, or the receiver of a first-seen SYN-ACK), 1 = the
	 * other.  data is valid only during the call; frame/ts_ns are those of
	 * the segment that carried the bytes. */
	void (*on_data)(void *ctx, struct tcp_stream *s, int dir,
			const uint8_t *data, size_t len, uint64_t frame, uint64_t ts_ns);
	/* missing_bytes of direction dir will never come; the next on_data for
	 * dir resumes after them.  frame is the segment whose bytes follow the
	 * hole (or the FIN's frame for a hole just before a FIN). */
	void (*on_gap)(void *ctx, struct tcp_stream *s, int dir,
		       uint64_t missing_bytes, uint64_t frame);
	/* The stream is about to be freed (FIN both ways and all delivered,
	 * RST, evicted, idle expiry, flush, table free): release its user
	 * pointer here.  Called exactly once per stream. */
	void (*on_close)(void *ctx, struct tcp_stream *s);
	void *ctx;
};

/* One decoded segment.  tuple.src is the sender.  payload is borrowed for
 * the call (bytes that must wait are copied). */
struct tcp_segment {
	struct five_tuple tuple;
	uint32_t seq;
	uint8_t flags;              /* TCP_FLAG_* */
	const uint8_t *payload;
	size_t len;
	uint64_t frame;
	uint64_t ts_ns;
};

struct tcp_table;

/* tcp_table_new - empty table; limits NULL means defaults, callbacks may be
 * NULL or have NULL members.  NULL when out of memory. */
struct tcp_table *tcp_table_new(const struct tcp_limits *limits,
				const struct tcp_callbacks *cb);

/* tcp_table_free - free every stream and the table.  NULL-safe.  Delivers
 * nothing more and reports no gaps, but calls on_close for each live stream
 * so the upper layer can free its user pointer (call tcp_table_flush first
 * to get the remaining bytes). */
void tcp_table_free(struct tcp_table *t);

/* tcp_table_segment - process one segment.  First closes streams idle for
 * longer than idle_timeout_ns before seg->ts_ns.  A segment without
 * payload, SYN or FIN (a bare ACK) and a RST never create a stream; a RST
 * closes its stream after delivering what it holds (holes become gaps);
 * a SYN without ACK whose sequence number differs from the ISN already seen
 * for that direction closes the old stream and starts a new one (port
 * reuse).
 * *stream_out is set to the segment's stream if it is still open after the
 * call, else NULL (no stream, or closed during the call).
 * Returns SA_OK; SA_MALFORMED when the addresses have different or unknown
 * families, payload is NULL with len > 0 or len >= 2^30; SA_NOMEM when a
 * stream or an out-of-order copy cannot be allocated (those bytes are then
 * lost and later show up as a gap). */
enum sa_status tcp_table_segment(struct tcp_table *t, const struct tcp_segment *seg,
				 struct tcp_stream **stream_out);

/* tcp_table_expire - close (delivering what can be delivered, holes as
 * gaps) every stream idle for longer than idle_timeout_ns before now_ns. */
void tcp_table_expire(struct tcp_table *t, uint64_t now_ns);

/* tcp_table_flush - end of capture: for every stream, deliver what can be
 * delivered, report remaining holes (also the one before a FIN whose bytes
 * never came) as gaps, then close it; least recently active first. */
void tcp_table_flush(struct tcp_table *t);

/* tcp_stream_user / tcp_stream_set_user - the upper layer's pointer for
 * this stream (NULL at first); the table never dereferences it. */
void *tcp_stream_user(const struct tcp_stream *s);
void tcp_stream_set_user(struct tcp_stream *s, void *user);

/* tcp_stream_tuple - the stream's 5-tuple; src is direction 0's sender. */
const struct five_tuple *tcp_stream_tuple(const struct tcp_stream *s);

struct tcp_stats {
	uint64_t streams;          /* streams created */
	uint64_t retransmissions;  /* segments (or buffered copies) with only old bytes */
	uint64_t out_of_order;     /* segments that arrived ahead of a hole */
	uint64_t gaps;             /* on_gap calls */
	uint64_t gap_bytes;        /* bytes reported missing */
	uint64_t evicted;          /* streams closed by max_streams */
	uint64_t expired;          /* streams closed by idle timeout */
	uint64_t resets;           /* streams closed by RST */
	uint64_t out_of_window;    /* segments dropped: more than 2^30 ahead */
	uint64_t nomem;            /* allocation failures */
};

/* tcp_table_stats - counters since tcp_table_new; valid while t lives. */
const struct tcp_stats *tcp_table_stats(const struct tcp_table *t);

#endif
