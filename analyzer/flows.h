/* flows.h - the UDP flow table: one entry per pair of endpoints that
 * exchanged non-SIP datagrams, with per-direction counts by category and
 * the call/media it belongs to once an SDP names one of its endpoints.
 *
 * Flows are found by their 5-tuple (either direction) and by each of their
 * endpoints, so that an SDP that arrives after its media (an answerer's
 * ClientHello before the 200 OK, a capture starting mid-call) still binds
 * the flows already seen.  Memory: FLOWS_MAX entries at most; further
 * datagrams are counted, not tracked, with one warning.  See docs/flows.md.
 */
#ifndef SA_FLOWS_H
#define SA_FLOWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calls.h"
#include "diag.h"
#include "netaddr.h"
#include "result.h"

#define FLOWS_MAX 262144

struct flow {
	struct endpoint ep[2];     /* ep[0] sent the first datagram */
	uint64_t first_frame, last_frame;
	uint64_t first_ns, last_ns;
	uint64_t pkts[2];          /* datagrams sent by ep[0] and by ep[1] */
	uint64_t cat[2][PKT_NCAT]; /* per direction, by category */
	/* Binding to a call (bound true) via the SDP receive endpoint of one
	 * side; receiver_side is the index in ep[] that the SDP named. */
	bool bound;
	size_t call, ex, media;
	enum party party[2];       /* party of ep[0] and ep[1] */
	bool rtcp_port;            /* bound through a separate RTCP address */
	bool latched;              /* the sender was not where its SDP said */
	/* Chains: 5-tuple hash, and per-endpoint hashes (a node per side). */
	struct flow *next;
	struct flow_epnode {
		struct flow *f;
		struct flow_epnode *next;
		int side;
	} epn[2];
	void *user;                /* later layers (DTLS association, streams) */
};

struct flow_table;

struct flow_table *flow_table_new(const struct diag_sink *diag);
/* flow_table_free - free every flow; free_user (may be NULL) is called
 * for each non-NULL user pointer. */
void flow_table_free(struct flow_table *t, void (*free_user)(void *));

/* flow_table_get - the flow of this UDP datagram, created if new; *dir
 * gets 0 when src is ep[0].  NULL when the table is full (counted). */
struct flow *flow_table_get(struct flow_table *t, const struct endpoint *src,
			    const struct endpoint *dst, uint64_t frame,
			    uint64_t ts_ns, int *dir);

/* flow_table_bind - an SDP announced ep as the receive endpoint of party
 * b->receiver: bind every flow with that endpoint, and remember it for
 * flows yet to come.  peer (may be NULL) is the endpoint the other party
 * announced for the same media, used to tell latching. */
void flow_table_bind(struct flow_table *t, const struct endpoint *ep,
		     const struct media_binding *b, const struct endpoint *peer);

size_t flow_table_count(const struct flow_table *t);
/* flow_table_foreach - visit every flow in creation order. */
void flow_table_foreach(const struct flow_table *t,
			void (*fn)(void *ctx, const struct flow *f), void *ctx);
uint64_t flow_table_untracked(const struct flow_table *t);

#endif
