/* rtpstats.h - RTP stream statistics per RFC 3550 (one SSRC, one direction).
 *
 * The caller feeds every packet it accepted for a stream (each SRTP packet
 * that authenticated, or each plain RTP packet) to rtpstats_packet() with
 * the packet's sequence number, RTP timestamp, payload type and capture
 * time, and reads the figures with rtpstats_get():
 *   - packets received, expected and lost as in RFC 3550 Appendix A.3, from
 *     the extended highest sequence number (A.1: 16-bit SEQ plus the count
 *     of wraps) minus the extended base;
 *   - duplicates (same extended SEQ seen again, remembered over a window of
 *     RTPSTATS_DUP_WINDOW sequence numbers), kept apart from loss;
 *   - out of order (below the highest SEQ, not a duplicate);
 *   - interarrival jitter as in A.8, in timestamp units and milliseconds
 *     (needs the media clock rate);
 *   - payload types seen, first and last arrival, SEQ wraps (cycles).
 *
 * Sequence numbers are extended as in A.1: a step forward smaller than
 * RTPSTATS_MAX_DROPOUT is in order (with a gap), a step back smaller than
 * RTPSTATS_MAX_MISORDER is a late packet, anything else is a jump.  A jump
 * is believed (the stream is "resynchronised", A.1 init_seq) only when the
 * next packet follows it; until then the packet counts as received but as
 * "bad_seq", outside expected.  Unlike A.1 there is no probation: the caller
 * only feeds packets it already trusts (they authenticated).
 *
 * struct rtpstats is caller-owned and fixed-size; nothing is allocated.
 */
#ifndef SA_RTPSTATS_H
#define SA_RTPSTATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RTPSTATS_MAX_DROPOUT 3000 /* RFC 3550 A.1 */
#define RTPSTATS_MAX_MISORDER 100 /* RFC 3550 A.1 */
#define RTPSTATS_DUP_WINDOW 1024  /* extended SEQs remembered for duplicates (bits) */

struct rtpstats {
	uint32_t clock_rate;    /* Hz; 0: unknown (no jitter) */
	bool started;
	uint64_t packets;       /* every packet fed, duplicates included */
	uint64_t duplicates;
	uint64_t out_of_order;
	uint64_t bad_seq;       /* jump packets never confirmed by a successor */
	uint64_t resyncs;       /* confirmed jumps (A.1 init_seq after bad_seq) */
	/* Extended SEQs are kept offset by 65536 so a packet just before the
	 * first one never goes negative. */
	uint64_t ext_base;      /* extended SEQ of the first packet of the segment */
	uint64_t ext_max;       /* extended highest SEQ of the segment */
	uint64_t expected_prior;/* expected in segments before the last resync */
	uint32_t cycles_prior;  /* SEQ wraps in those segments */
	uint32_t first_seq;     /* SEQ of the very first packet */
	uint32_t bad_next;      /* SEQ that confirms a jump; > 0xffff: none pending */
	uint64_t bad_ext;       /* extended SEQ the pending jump packet would get */
	uint64_t dup_bits[RTPSTATS_DUP_WINDOW / 64]; /* bit ext % WINDOW */
	/* A.8 jitter */
	bool have_transit;
	uint64_t prev_arrival_ns;
	uint32_t prev_ts;
	double jitter;          /* timestamp units */
	uint64_t first_ns, last_ns;
	uint64_t pt_seen[2];    /* bit pt (0..127) */
};

struct rtpstats_summary {
	uint64_t packets;       /* received (A.3 "received": duplicates and bad_seq included) */
	uint64_t expected;      /* A.3: extended highest - base + 1, over all segments */
	uint64_t lost;          /* expected - unique packets received, clamped at 0 */
	int64_t lost_rfc3550;   /* A.3 cumulative lost: expected - received (may be < 0) */
	uint64_t duplicates;
	uint64_t out_of_order;
	uint64_t bad_seq;
	uint64_t resyncs;
	uint32_t cycles;        /* SEQ wraps between lowest and highest SEQ (A.1 cycles / 65536) */
	uint32_t first_seq;
	uint32_t highest_seq;   /* extended highest SEQ as in RTCP RR: cycles<<16 | max_seq */
	bool jitter_valid;      /* false when no clock rate or fewer than 2 packets */
	double jitter_ts;       /* A.8 interarrival jitter, timestamp units */
	double jitter_ms;       /* the same in milliseconds */
	uint32_t clock_rate;
	uint64_t first_ns, last_ns; /* earliest and latest arrival; 0 with no packet */
	unsigned n_payload_types;
};

/* rtpstats_init - reset s for a new stream with the media clock rate in Hz.
 * clock_rate 0: taken from the first packet's payload type when that is a
 * static one with a fixed rate (RFC 3551 §6, e.g. 8000 for PCMU/PCMA),
 * otherwise unknown and no jitter is computed.  Never fails. */
void rtpstats_init(struct rtpstats *s, uint32_t clock_rate);

/* rtpstats_static_clock_rate - the RFC 3551 §6 clock rate of a static
 * payload type (0 PCMU: 8000, 8 PCMA: 8000, 9 G722: 8000, 26 JPEG: 90000,
 * ...); 0 for dynamic, reserved or unassigned types. */
uint32_t rtpstats_static_clock_rate(uint8_t pt);

/* rtpstats_packet - account one packet: seq and rtp_ts from its RTP header
 * (RFC 3550 §5.1), pt its payload type (only the low 7 bits are used),
 * arrival_ns its capture time in nanoseconds.  Never fails. */
void rtpstats_packet(struct rtpstats *s, uint16_t seq, uint32_t rtp_ts, uint8_t pt,
		     uint64_t arrival_ns);

/* rtpstats_get - compute the figures into *out.  Never fails. */
void rtpstats_get(const struct rtpstats *s, struct rtpstats_summary *out);

/* rtpstats_pt_seen - whether payload type pt (0..127) was seen. */
bool rtpstats_pt_seen(const struct rtpstats *s, uint8_t pt);

/* rtpstats_pt_list - write the payload types seen, ascending, into out (at
 * most cap); returns how many were seen in all (may exceed cap). */
size_t rtpstats_pt_list(const struct rtpstats *s, uint8_t *out, size_t cap);

#endif
