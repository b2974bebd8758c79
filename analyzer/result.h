/* result.h - the result model of one analysis run.
 *
 * Everything the reports need and nothing they must recompute: the files
 * read, the packet accounting (every frame in exactly one category), the
 * malformed frames with their reasons, and run-level warnings.  Later
 * layers add calls, DTLS associations, streams and findings.  The model is
 * owned by the pipeline that filled it and freed with it.
 */
#ifndef SA_RESULT_H
#define SA_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The categories of the JSON report's "packets" object.  Every frame of
 * the input is counted in exactly one of them. */
enum pkt_cat {
	PKT_SIP,
	PKT_DTLS,
	PKT_STUN,
	PKT_RTP,
	PKT_RTCP,
	PKT_OTHER,
	PKT_MALFORMED,
	PKT_NCAT
};

const char *pkt_cat_name(enum pkt_cat c);

struct malformed_frame {
	uint64_t frame;
	const char *reason;  /* static text */
};

/* At most this many malformed frames are listed; all are counted. */
#define RESULT_MAX_MALFORMED_LISTED 100000

struct packet_counts {
	uint64_t total;
	uint64_t cat[PKT_NCAT];
	/* Extra facts (not categories): */
	uint64_t truncated;         /* caplen < len */
	uint64_t ip_fragments;      /* frames that were IP fragments */
	uint64_t reassembled;       /* datagrams rebuilt from fragments */
	uint64_t unknown_link;      /* frames of a link type not decoded */
	uint64_t tcp_segments;      /* frames carrying TCP */
	uint64_t tcp_gaps;          /* holes declared in TCP streams */
	uint64_t tcp_gap_bytes;
	uint64_t tcp_retransmissions;
	uint64_t tcp_out_of_order;
	uint64_t tunnelled;         /* frames inside IP-in-IP / 6in4 */
	uint64_t turn_relayed;      /* media messages unwrapped from TURN */
};

struct file_summary {
	char *name;
	uint64_t frames;
	int linktype;
	const char *link_name;   /* libpcap's name, or NULL */
	bool link_supported;
	bool read_error;
	char *error;             /* NULL unless read_error */
};

struct call_table;
struct flow_table;
struct findings;
struct stream_table;

struct result {
	const struct call_table *calls;   /* INVITE dialogs (calls.h) */
	const struct flow_table *flows;   /* UDP media flows (flows.h) */
	const struct findings *findings;  /* conformance findings (checks.h) */
	const struct stream_table *streams; /* RTP/RTCP streams (streams.h) */
	struct file_summary *files;
	size_t nfiles;
	struct packet_counts packets;
	struct malformed_frame *malformed;
	size_t nmalformed;       /* listed; packets.cat[PKT_MALFORMED] counts all */
	size_t malformed_cap;
};

#endif
