/* ipfrag.h - IPv4 and IPv6 fragment reassembly for the capture reader.
 *
 * The capture reader hands every fragment (IPv4 MF set or offset != 0,
 * RFC 791 §3.2; IPv6 Fragment header, RFC 8200 §4.5) to ipfrag_add().
 * Unfragmented packets never come here, so the common path costs nothing.
 * Fragments are collected per datagram, keyed on (src, dst, id[, proto]);
 * the table is bounded in datagrams, bytes and fragments per datagram, and
 * pending datagrams time out.  See docs/reassembly.md.
 *
 * Frame accounting (the caller counts every frame exactly once):
 *  - ipfrag_add() returns SA_OK: the frame now belongs to the table.  It
 *    comes back exactly once, either in out->frames of the ipfrag_add() call
 *    that completes its datagram, or through on_drop (possibly during this
 *    very call, e.g. on a conflicting overlap).
 *  - ipfrag_add() returns anything else (SA_MALFORMED, SA_NOMEM): the table
 *    did not take the frame; the caller counts it.  The pending datagram it
 *    belonged to is left as it was.
 *  - ipfrag_table_free() drops pending frames without reporting them: call
 *    ipfrag_flush() first if they must be counted.
 * on_drop may run inside ipfrag_add (eviction, timeout, conflict, too big),
 * ipfrag_expire and ipfrag_flush.  Its frames array is valid only during the
 * callback.  Callbacks must not call back into the table.
 */
#ifndef SA_IPFRAG_H
#define SA_IPFRAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netaddr.h"
#include "status.h"

/* Largest reassembled payload: IPv4 total length and IPv6 payload length
 * are 16-bit fields (RFC 791 §3.1, RFC 8200 §4.5). */
#define IPFRAG_MAX_PAYLOAD 65535u

struct ipfrag_limits {
	size_t max_datagrams;  /* pending datagrams (default 4096) */
	size_t max_bytes;      /* memory for pending datagrams (default 16 MiB) */
	uint64_t timeout_ns;   /* from the first fragment seen (default 30 s) */
	unsigned max_frags;    /* fragments per datagram, duplicates included (default 128) */
};

/* ipfrag_limits_default - the defaults above.  A zero field in the limits
 * given to ipfrag_table_new() also means "default". */
struct ipfrag_limits ipfrag_limits_default(void);

/* Datagram identity.  IPv4 (RFC 791 §3.2): src, dst, protocol, 16-bit id.
 * IPv6 (RFC 8200 §4.5): src, dst, 32-bit id; proto is ignored in the key
 * (the Next Header of fragments may differ) but the value given with the
 * offset-zero fragment is returned in ipfrag_done.proto.  The family is
 * taken from src; dst must have the same family. */
struct ipfrag_key {
	struct ipaddr src, dst;
	uint32_t id;
	uint8_t proto;
};

enum ipfrag_drop {
	IPFRAG_DROP_TIMEOUT,   /* not complete within timeout_ns */
	IPFRAG_DROP_EVICTED,   /* oldest pending datagram pushed out by a cap */
	IPFRAG_DROP_CONFLICT,  /* overlap with different bytes or lengths (RFC 5722) */
	IPFRAG_DROP_TOO_BIG,   /* datagram alone exceeds max_frags or max_bytes */
	IPFRAG_DROP_FLUSH,     /* still pending at ipfrag_flush() */
};

/* ipfrag_drop_name - stable lower-case word ("timeout", ...). */
const char *ipfrag_drop_name(enum ipfrag_drop why);

struct ipfrag_callbacks {
	/* Frames of a datagram that will never complete, in arrival order. */
	void (*on_drop)(void *ctx, const uint64_t *frames, size_t nframes,
			enum ipfrag_drop why);
	void *ctx;
};

/* Result of ipfrag_add.  When complete, data/len is the reassembled payload
 * (the fragmentable part: everything after the IPv4 header or the IPv6
 * Fragment header) and frames/nframes every frame that made it, in arrival
 * order.  Views are valid until the next ipfrag_* call on the table. */
struct ipfrag_done {
	bool complete;
	const uint8_t *data;
	size_t len;
	const uint64_t *frames;
	size_t nframes;
	uint8_t proto;   /* proto given with the offset-zero fragment */
};

struct ipfrag_table;

/* ipfrag_table_new - empty table.  limits NULL means defaults; callbacks
 * may be NULL (drops are then only counted, which loses frame numbers: a
 * capture reader should always pass on_drop).  Nothing is allocated for
 * datagrams until the first fragment arrives.  NULL when out of memory. */
struct ipfrag_table *ipfrag_table_new(const struct ipfrag_limits *limits,
				      const struct ipfrag_callbacks *cb);

/* ipfrag_table_free - free the table and everything pending.  NULL-safe.
 * Does not call on_drop. */
void ipfrag_table_free(struct ipfrag_table *t);

/* ipfrag_add - add one fragment: `data`/`len` is its fragmentable-part
 * payload at byte offset `offset_bytes` (the header's offset field times 8),
 * `more_fragments` its MF/M flag.  Datagrams pending longer than timeout_ns
 * before ts_ns are dropped first (TIMEOUT).  The data is copied.
 *
 * Returns SA_OK (out->complete says whether a datagram finished; the frame
 * is the table's, see the top of this file), SA_MALFORMED when the fragment
 * itself is invalid: offset not a multiple of 8, offset + len > 65535,
 * a non-final fragment whose length is zero or not a multiple of 8
 * (RFC 8200 §4.5; RFC 791 §3.2 fragments end on 8-octet boundaries),
 * an IPv4 id above 0xffff, mixed or unknown address families; SA_NOMEM when
 * an allocation fails.  On those two the caller keeps the frame.
 * A fragment with offset 0 and no more fragments (an IPv6 "atomic fragment",
 * RFC 6946 §4) is returned complete at once, in isolation from any pending
 * datagram with the same id; out->data is then the caller's own pointer. */
enum sa_status ipfrag_add(struct ipfrag_table *t, const struct ipfrag_key *key,
			  uint32_t offset_bytes, bool more_fragments,
			  const uint8_t *data, size_t len, uint64_t frame,
			  uint64_t ts_ns, struct ipfrag_done *out);

/* ipfrag_expire - drop (TIMEOUT) datagrams whose first fragment is more
 * than timeout_ns older than now_ns. */
void ipfrag_expire(struct ipfrag_table *t, uint64_t now_ns);

/* ipfrag_flush - end of capture: drop every pending datagram (FLUSH),
 * oldest first. */
void ipfrag_flush(struct ipfrag_table *t);

/* Counters; datagram counts unless the name says frames. */
struct ipfrag_stats {
	uint64_t reassembled;           /* datagrams completed */
	uint64_t dropped_timeout;
	uint64_t dropped_evicted;
	uint64_t dropped_conflict;
	uint64_t overlaps_identical;    /* fragments overlapping with the same bytes */
	uint64_t dropped_too_big;
	uint64_t dropped_flush;
	uint64_t atomic;                /* offset 0, no more fragments */
	uint64_t frames_after_conflict; /* late fragments of a conflicted datagram */
	uint64_t malformed;             /* fragments refused with SA_MALFORMED */
};

/* ipfrag_stats - counters since ipfrag_table_new; valid while t lives. */
const struct ipfrag_stats *ipfrag_stats(const struct ipfrag_table *t);

#endif
