/* rtpstats.c - RTP stream statistics (RFC 3550 Appendix A.1, A.3, A.8). */
#include "rtpstats.h"

#include <string.h>

#define SEQ_MOD 65536u
#define NO_BAD 0x10000u /* bad_next value meaning "no jump pending" */

/* RFC 3551 §6, Tables 4 and 5: clock rates of the static payload types. */
uint32_t rtpstats_static_clock_rate(uint8_t pt)
{
	switch (pt) {
	case 0:  /* PCMU */
	case 3:  /* GSM */
	case 4:  /* G723 */
	case 5:  /* DVI4 8000 */
	case 7:  /* LPC */
	case 8:  /* PCMA */
	case 9:  /* G722: 8000 by RFC 3551 §4.5.2, though sampled at 16000 */
	case 12: /* QCELP */
	case 13: /* CN */
	case 15: /* G728 */
	case 18: /* G729 */
		return 8000;
	case 6:  /* DVI4 16000 */
		return 16000;
	case 10: /* L16 stereo */
	case 11: /* L16 mono */
		return 44100;
	case 16: /* DVI4 11025 */
		return 11025;
	case 17: /* DVI4 22050 */
		return 22050;
	case 14: /* MPA */
	case 25: /* CelB */
	case 26: /* JPEG */
	case 28: /* nv */
	case 31: /* H261 */
	case 32: /* MPV */
	case 33: /* MP2T */
	case 34: /* H263 */
		return 90000;
	default:
		return 0;
	}
}

void rtpstats_init(struct rtpstats *s, uint32_t clock_rate)
{
	memset(s, 0, sizeof *s);
	s->clock_rate = clock_rate;
	s->bad_next = NO_BAD;
}

static void dup_clear_all(struct rtpstats *s)
{
	memset(s->dup_bits, 0, sizeof s->dup_bits);
}

static bool dup_test_set(struct rtpstats *s, uint64_t ext)
{
	uint64_t bit = ext % RTPSTATS_DUP_WINDOW;
	uint64_t mask = (uint64_t)1 << (bit % 64);
	bool was = (s->dup_bits[bit / 64] & mask) != 0;
	s->dup_bits[bit / 64] |= mask;
	return was;
}

/* advance - move the highest extended SEQ to ext (> ext_max), forgetting
 * the window bits that now stand for the new numbers. */
static void advance(struct rtpstats *s, uint64_t ext)
{
	uint64_t e;
	if (ext - s->ext_max >= RTPSTATS_DUP_WINDOW) {
		dup_clear_all(s);
	} else {
		for (e = s->ext_max + 1; e <= ext; e++) {
			uint64_t bit = e % RTPSTATS_DUP_WINDOW;
			s->dup_bits[bit / 64] &= ~((uint64_t)1 << (bit % 64));
		}
	}
	s->ext_max = ext;
}

/* jitter_update - RFC 3550 A.8: D(i-1,i) = (R_i - R_{i-1}) - (S_i - S_{i-1})
 * with R in timestamp units; J += (|D| - J) / 16.  The timestamp difference
 * is taken modulo 2^32 (signed) so a timestamp wrap is not a jump. */
static void jitter_update(struct rtpstats *s, uint32_t rtp_ts, uint64_t arrival_ns)
{
	if (s->clock_rate && s->have_transit) {
		int64_t dns = (int64_t)(arrival_ns - s->prev_arrival_ns);
		double dr = (double)dns * (double)s->clock_rate / 1e9;
		double ds = (double)(int32_t)(rtp_ts - s->prev_ts);
		double d = dr - ds;
		if (d < 0)
			d = -d;
		s->jitter += (d - s->jitter) / 16.0;
	}
	s->prev_arrival_ns = arrival_ns;
	s->prev_ts = rtp_ts;
	s->have_transit = true;
}

void rtpstats_packet(struct rtpstats *s, uint16_t seq, uint32_t rtp_ts, uint8_t pt,
		     uint64_t arrival_ns)
{
	uint16_t udelta;
	uint64_t ext;

	pt &= 0x7f;
	s->pt_seen[pt / 64] |= (uint64_t)1 << (pt % 64);
	s->packets++;
	if (!s->started || arrival_ns < s->first_ns)
		s->first_ns = arrival_ns;
	if (!s->started || arrival_ns > s->last_ns)
		s->last_ns = arrival_ns;

	if (!s->started) {
		s->started = true;
		if (s->clock_rate == 0)
			s->clock_rate = rtpstats_static_clock_rate(pt);
		s->first_seq = seq;
		s->ext_base = s->ext_max = SEQ_MOD + seq;
		(void)dup_test_set(s, s->ext_max);
		jitter_update(s, rtp_ts, arrival_ns);
		return;
	}

	/* RFC 3550 A.1 update_seq: classify by the distance from max_seq. */
	udelta = (uint16_t)(seq - (uint16_t)s->ext_max);
	if (udelta < RTPSTATS_MAX_DROPOUT) {
		ext = s->ext_max + udelta;
		s->bad_next = NO_BAD;
	} else if (udelta > SEQ_MOD - RTPSTATS_MAX_MISORDER) {
		ext = s->ext_max - (SEQ_MOD - udelta);
		s->bad_next = NO_BAD;
	} else if (s->bad_next == seq) {
		/* Two sequential packets after a jump: the source restarted
		 * its numbering (A.1 init_seq).  The pending packet opens a
		 * new segment; loss before it is not counted. */
		s->expected_prior += s->ext_max - s->ext_base + 1;
		s->cycles_prior += (uint32_t)(s->ext_max / SEQ_MOD - s->ext_base / SEQ_MOD);
		s->resyncs++;
		s->bad_seq--;
		s->ext_base = s->ext_max = s->bad_ext;
		s->bad_next = NO_BAD;
		s->have_transit = false; /* the timestamp restarted too */
		dup_clear_all(s);
		(void)dup_test_set(s, s->ext_base);
		ext = s->ext_max + (uint16_t)(seq - (uint16_t)s->ext_max);
	} else {
		/* A jump (or a very late packet): wait for its successor. */
		s->bad_seq++;
		s->bad_next = (uint32_t)(uint16_t)(seq + 1);
		s->bad_ext = s->ext_max + udelta;
		return;
	}

	if (ext > s->ext_max) {
		advance(s, ext);
	} else {
		if (s->ext_max - ext < RTPSTATS_DUP_WINDOW && dup_test_set(s, ext)) {
			s->duplicates++;
			return;
		}
		s->out_of_order++;
		if (ext < s->ext_base)
			s->ext_base = ext; /* arrived before the first one */
		jitter_update(s, rtp_ts, arrival_ns);
		return;
	}
	(void)dup_test_set(s, ext);
	jitter_update(s, rtp_ts, arrival_ns);
}

void rtpstats_get(const struct rtpstats *s, struct rtpstats_summary *out)
{
	uint64_t unique, received;
	unsigned i;

	memset(out, 0, sizeof *out);
	out->clock_rate = s->clock_rate;
	for (i = 0; i < 128; i++)
		if (s->pt_seen[i / 64] & ((uint64_t)1 << (i % 64)))
			out->n_payload_types++;
	if (!s->started)
		return;
	out->packets = s->packets;
	out->duplicates = s->duplicates;
	out->out_of_order = s->out_of_order;
	out->bad_seq = s->bad_seq;
	out->resyncs = s->resyncs;
	out->first_seq = s->first_seq;
	out->first_ns = s->first_ns;
	out->last_ns = s->last_ns;
	/* A.3: expected = extended_max - base_seq + 1, summed over segments. */
	out->expected = s->expected_prior + (s->ext_max - s->ext_base + 1);
	received = s->packets - s->bad_seq;         /* A.1 does not count them */
	unique = received - s->duplicates;
	out->lost_rfc3550 = (int64_t)out->expected - (int64_t)received;
	out->lost = out->expected > unique ? out->expected - unique : 0;
	/* Wraps between the lowest and the highest SEQ of each segment. */
	out->cycles = s->cycles_prior + (uint32_t)(s->ext_max / SEQ_MOD - s->ext_base / SEQ_MOD);
	out->highest_seq = (uint32_t)((uint64_t)out->cycles << 16 | (s->ext_max & 0xffff));
	if (s->clock_rate && s->have_transit && received - s->duplicates >= 2) {
		out->jitter_valid = true;
		out->jitter_ts = s->jitter;
		out->jitter_ms = s->jitter * 1000.0 / (double)s->clock_rate;
	}
}

bool rtpstats_pt_seen(const struct rtpstats *s, uint8_t pt)
{
	if (pt > 127)
		return false;
	return (s->pt_seen[pt / 64] & ((uint64_t)1 << (pt % 64))) != 0;
}

size_t rtpstats_pt_list(const struct rtpstats *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	unsigned i;
	for (i = 0; i < 128; i++) {
		if (!rtpstats_pt_seen(s, (uint8_t)i))
			continue;
		if (n < cap)
			out[n] = (uint8_t)i;
		n++;
	}
	return n;
}
