/* test_rtpstats.c - CUnit suite for rtpstats.h (RFC 3550 A.1/A.3/A.8). */
#include <CUnit/CUnit.h>
#include <string.h>

#include "rtpstats.h"

#define MS 1000000ull /* nanoseconds per millisecond */

/* feed - packets with SEQ seqs[i], 20 ms / 160 timestamp units apart by
 * their SEQ (perfect pacing of an 8 kHz stream), arriving in array order
 * 20 ms apart. */
static void feed(struct rtpstats *s, const uint16_t *seqs, size_t n, uint8_t pt)
{
	size_t i;
	for (i = 0; i < n; i++)
		rtpstats_packet(s, seqs[i], 5000u + 160u * seqs[i], pt, 1000 * MS + 20 * MS * i);
}

static void test_in_order(void)
{
	struct rtpstats s;
	struct rtpstats_summary r;
	uint8_t pts[4];
	uint16_t seq;
	unsigned i;

	rtpstats_init(&s, 0); /* PT 0 (PCMU): clock 8000 by RFC 3551 */
	for (i = 0, seq = 1000; i < 50; i++, seq++)
		rtpstats_packet(&s, seq, 77u + 160u * i, 0, 5 * MS + 20 * MS * i);
	rtpstats_get(&s, &r);
	CU_ASSERT_EQUAL(r.packets, 50);
	CU_ASSERT_EQUAL(r.expected, 50);
	CU_ASSERT_EQUAL(r.lost, 0);
	CU_ASSERT_EQUAL(r.lost_rfc3550, 0);
	CU_ASSERT_EQUAL(r.duplicates, 0);
	CU_ASSERT_EQUAL(r.out_of_order, 0);
	CU_ASSERT_EQUAL(r.cycles, 0);
	CU_ASSERT_EQUAL(r.first_seq, 1000);
	CU_ASSERT_EQUAL(r.highest_seq, 1049);
	CU_ASSERT_EQUAL(r.clock_rate, 8000);
	CU_ASSERT_TRUE(r.jitter_valid);
	CU_ASSERT_DOUBLE_EQUAL(r.jitter_ts, 0.0, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(r.jitter_ms, 0.0, 1e-12);
	CU_ASSERT_EQUAL(r.first_ns, 5 * MS);
	CU_ASSERT_EQUAL(r.last_ns, 5 * MS + 49 * 20 * MS);
	CU_ASSERT_EQUAL(r.n_payload_types, 1);
	CU_ASSERT_EQUAL(rtpstats_pt_list(&s, pts, 4), 1);
	CU_ASSERT_EQUAL(pts[0], 0);
	CU_ASSERT_TRUE(rtpstats_pt_seen(&s, 0));
	CU_ASSERT_FALSE(rtpstats_pt_seen(&s, 8));
}

static void test_gap_of_three(void)
{
	static const uint16_t seqs[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
					 14, 15, 16, 17, 18, 19, 20 };
	struct rtpstats s;
	struct rtpstats_summary r;
	rtpstats_init(&s, 8000);
	feed(&s, seqs, sizeof seqs / sizeof seqs[0], 8);
	rtpstats_get(&s, &r);
	CU_ASSERT_EQUAL(r.packets, 17);
	CU_ASSERT_EQUAL(r.expected, 20);
	CU_ASSERT_EQUAL(r.lost, 3);
	CU_ASSERT_EQUAL(r.lost_rfc3550, 3);
	CU_ASSERT_EQUAL(r.out_of_order, 0);
	CU_ASSERT_EQUAL(r.duplicates, 0);
}

static void test_duplicates(void)
{
	/* 5 and 7 captured twice (7 also after a later packet). */
	static const uint16_t seqs[] = { 1, 2, 3, 4, 5, 5, 6, 7, 8, 7, 9, 10 };
	struct rtpstats s;
	struct rtpstats_summary r;
	rtpstats_init(&s, 8000);
	feed(&s, seqs, sizeof seqs / sizeof seqs[0], 0);
	rtpstats_get(&s, &r);
	CU_ASSERT_EQUAL(r.packets, 12);
	CU_ASSERT_EQUAL(r.expected, 10);
	CU_ASSERT_EQUAL(r.duplicates, 2);
	CU_ASSERT_EQUAL(r.out_of_order, 0); /* a duplicate is not "reordered" */
	CU_ASSERT_EQUAL(r.lost, 0);         /* clamped, duplicates told apart */
	CU_ASSERT_EQUAL(r.lost_rfc3550, -2); /* A.3: may go negative */
}

static void test_duplicate_of_first_and_window(void)
{
	struct rtpstats s;
	struct rtpstats_summary r;
	uint16_t i;
	rtpstats_init(&s, 8000);
	rtpstats_packet(&s, 100, 0, 0, 0);
	rtpstats_packet(&s, 100, 0, 0, 1);
	/* 2000 packets later, 100 is far outside the window: the next 100 is
	 * a jump candidate, not a duplicate. */
	for (i = 101; i < 2101; i++)
		rtpstats_packet(&s, i, 0, 0, i);
	rtpstats_packet(&s, 100, 0, 0, 3000);
	rtpstats_get(&s, &r);
	CU_ASSERT_EQUAL(r.duplicates, 1);
	CU_ASSERT_EQUAL(r.bad_seq, 1);
	CU_ASSERT_EQUAL(r.expected, 2001);
	CU_ASSERT_EQUAL(r.lost, 0);
	CU_ASSERT_EQUAL(r.packets, 2003);
}

static void test_reordering(void)
{
	static const uint16_t seqs[] = { 1, 2, 4, 3, 5, 6, 9, 7, 8, 10 };
	static const uint16_t before_first[] = { 10, 9, 11 };
	struct rtpstats s;
	struct rtpstats_summary r;
	rtpstats_init(&s, 8000);
	feed(&s, seqs, sizeof seqs / sizeof seqs[0], 0);
	rtpstats_get(&s, &r);
	CU_ASSERT_EQUAL(r.packets, 10);
	CU_ASSERT_EQUAL(r.expected, 10);
	CU_ASSERT_EQUAL(r.out_of_order, 3);
	CU_ASSERT_EQUAL(r.lost, 0);
	CU_ASSERT_EQUAL(r.duplicates, 0);

	/* A packet older than the first one widens the expected range. */
	rtpstats_init(&s, 8000);
	feed(&s, before_first, 3, 0);
	rtpstats_get(&s, &r);
	CU_ASSERT_EQUAL(r.expected, 3);
	CU_ASSERT_EQUAL(r.out_of_order, 1);
	CU_ASSERT_EQUAL(r.lost, 0);
	CU_ASSERT_EQUAL(r.first_seq, 10);
}

static void test_wrap(void)
{
	static const uint16_t seqs[] = { 65530, 65531, 65532, 65533, 65534, 65535,
					 0, 1, 2, 3, 4, 5 };
	static const uint16_t across[] = { 65534, 0, 65535, 1, 3 };
	struct rtpstats s;
	struct rtpstats_summary r;
	uint32_t i;

	rtpstats_init(&s, 8000);
	feed(&s, seqs, sizeof seqs / sizeof seqs[0], 0);
	rtpstats_get(&s, &r);
	CU_ASSERT_EQUAL(r.expected, 12);
	CU_ASSERT_EQUAL(r.lost, 0);
	CU_ASSERT_EQUAL(r.cycles, 1);
	CU_ASSERT_EQUAL(r.highest_seq, 0x10005);
	CU_ASSERT_EQUAL(r.out_of_order, 0);
	CU_ASSERT_EQUAL(r.bad_seq, 0);

	/* Reordered across the wrap, and one lost after it. */
	rtpstats_init(&s, 8000);
	feed(&s, across, sizeof across / sizeof across[0], 0);
	rtpstats_get(&s, &r);
	CU_ASSERT_EQUAL(r.expected, 6);
	CU_ASSERT_EQUAL(r.out_of_order, 1);
	CU_ASSERT_EQUAL(r.lost, 1);
	CU_ASSERT_EQUAL(r.cycles, 1);

	/* Three full cycles. */
	rtpstats_init(&s, 8000);
	for (i = 0; i < 3 * 65536 + 10; i++)
		rtpstats_packet(&s, (uint16_t)(i + 7), 0xffff0000u + 160u * i, 0, 20 * MS * i);
	rtpstats_get(&s, &r);
	CU_ASSERT_EQUAL(r.cycles, 3);
	CU_ASSERT_EQUAL(r.expected, 3 * 65536 + 10);
	CU_ASSERT_EQUAL(r.lost, 0);
	CU_ASSERT_EQUAL(r.highest_seq, (3u << 16) | 16u);
	CU_ASSERT_DOUBLE_EQUAL(r.jitter_ts, 0.0, 1e-9); /* timestamp wrapped too */
}

static void test_jitter_known_pattern(void)
{
	/* 8 kHz, 160 units per packet; arrivals at 0, 20, 45, 60, 80 ms.
	 * A.8: D = (R_i - R_{i-1}) - (S_i - S_{i-1}) in timestamp units,
	 * J += (|D| - J) / 16:
	 *   #2: D = 160 - 160 = 0               J = 0
	 *   #3: D = 200 - 160 = 40              J = 40/16 = 2.5
	 *   #4: D = 120 - 160 = -40             J = 2.5 + (40 - 2.5)/16 = 4.84375
	 *   #5: D = 160 - 160 = 0               J = 4.84375 - 4.84375/16 = 4.541015625
	 * in ms: J / 8000 * 1000 = 0.567626953125. */
	static const uint64_t arr_ms[] = { 0, 20, 45, 60, 80 };
	struct rtpstats s;
	struct rtpstats_summary r;
	unsigned i;
	double j = 0;

	rtpstats_init(&s, 8000);
	for (i = 0; i < 5; i++)
		rtpstats_packet(&s, (uint16_t)(300 + i), 0xfffffe00u + 160u * i, 8,
				1700000000ull * 1000000000ull + arr_ms[i] * MS);
	rtpstats_get(&s, &r);
	CU_ASSERT_TRUE(r.jitter_valid);
	CU_ASSERT_DOUBLE_EQUAL(r.jitter_ts, 4.541015625, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(r.jitter_ms, 0.567626953125, 1e-9);

	/* The same through the RFC's own recurrence, written out again. */
	{
		static const double d[] = { 0, 40, 40, 0 };
		for (i = 0; i < 4; i++)
			j += (d[i] - j) / 16.0;
		CU_ASSERT_DOUBLE_EQUAL(r.jitter_ts, j, 1e-9);
	}

	/* A duplicate does not disturb the jitter: same figures with frame 3
	 * captured twice (the copy 1 ms later). */
	rtpstats_init(&s, 8000);
	for (i = 0; i < 5; i++) {
		rtpstats_packet(&s, (uint16_t)(300 + i), 160u * i, 8, arr_ms[i] * MS);
		if (i == 2)
			rtpstats_packet(&s, (uint16_t)(300 + i), 160u * i, 8, arr_ms[i] * MS + MS);
	}
	rtpstats_get(&s, &r);
	CU_ASSERT_EQUAL(r.duplicates, 1);
	CU_ASSERT_DOUBLE_EQUAL(r.jitter_ts, 4.541015625, 1e-9);
}

static void test_unknown_clock(void)
{
	static const uint16_t seqs[] = { 1, 2, 3 };
	struct rtpstats s;
	struct rtpstats_summary r;
	rtpstats_init(&s, 0);
	feed(&s, seqs, 3, 96); /* dynamic PT: no clock rate known */
	rtpstats_get(&s, &r);
	CU_ASSERT_EQUAL(r.clock_rate, 0);
	CU_ASSERT_FALSE(r.jitter_valid);
	CU_ASSERT_EQUAL(r.expected, 3);

	/* A single packet has no jitter either. */
	rtpstats_init(&s, 8000);
	rtpstats_packet(&s, 1, 1, 0, 1);
	rtpstats_get(&s, &r);
	CU_ASSERT_FALSE(r.jitter_valid);
	CU_ASSERT_EQUAL(r.expected, 1);

	/* No packet at all. */
	rtpstats_init(&s, 8000);
	rtpstats_get(&s, &r);
	CU_ASSERT_EQUAL(r.packets, 0);
	CU_ASSERT_EQUAL(r.expected, 0);
	CU_ASSERT_FALSE(r.jitter_valid);

	CU_ASSERT_EQUAL(rtpstats_static_clock_rate(8), 8000);
	CU_ASSERT_EQUAL(rtpstats_static_clock_rate(9), 8000); /* G.722 quirk, RFC 3551 §4.5.2 */
	CU_ASSERT_EQUAL(rtpstats_static_clock_rate(26), 90000);
	CU_ASSERT_EQUAL(rtpstats_static_clock_rate(101), 0);
}

static void test_jump_and_resync(void)
{
	struct rtpstats s;
	struct rtpstats_summary r;
	uint16_t i;

	/* A stray packet far ahead, never followed: counted, not expected. */
	rtpstats_init(&s, 8000);
	for (i = 1; i <= 10; i++)
		rtpstats_packet(&s, i, 160u * i, 0, 20 * MS * i);
	rtpstats_packet(&s, 40000, 0, 0, 20 * MS * 11);
	for (i = 11; i <= 15; i++)
		rtpstats_packet(&s, i, 160u * i, 0, 20 * MS * (i + 1));
	rtpstats_get(&s, &r);
	CU_ASSERT_EQUAL(r.packets, 16);
	CU_ASSERT_EQUAL(r.bad_seq, 1);
	CU_ASSERT_EQUAL(r.resyncs, 0);
	CU_ASSERT_EQUAL(r.expected, 15);
	CU_ASSERT_EQUAL(r.lost, 0);
	CU_ASSERT_EQUAL(r.lost_rfc3550, 0);
	CU_ASSERT_EQUAL(r.highest_seq, 15);

	/* The sender restarts its numbering at 30000: confirmed by 30001. */
	rtpstats_init(&s, 8000);
	for (i = 1; i <= 10; i++)
		rtpstats_packet(&s, i, 160u * i, 0, 20 * MS * i);
	for (i = 0; i < 10; i++)
		rtpstats_packet(&s, (uint16_t)(30000 + i), 999999u + 160u * i, 0,
				20 * MS * (11 + i));
	rtpstats_get(&s, &r);
	CU_ASSERT_EQUAL(r.packets, 20);
	CU_ASSERT_EQUAL(r.resyncs, 1);
	CU_ASSERT_EQUAL(r.bad_seq, 0);
	CU_ASSERT_EQUAL(r.expected, 20);
	CU_ASSERT_EQUAL(r.lost, 0);
	CU_ASSERT_DOUBLE_EQUAL(r.jitter_ts, 0.0, 1e-9); /* timestamp restart ignored */
}

static void test_payload_types(void)
{
	struct rtpstats s;
	struct rtpstats_summary r;
	uint8_t pts[2];
	rtpstats_init(&s, 8000);
	rtpstats_packet(&s, 1, 0, 0, 0);
	rtpstats_packet(&s, 2, 160, 101, 20 * MS);
	rtpstats_packet(&s, 3, 320, 0x80 | 13, 40 * MS); /* marker bit passed in by mistake */
	rtpstats_packet(&s, 4, 480, 127, 10 * MS);      /* capture time out of order */
	rtpstats_get(&s, &r);
	CU_ASSERT_EQUAL(r.n_payload_types, 4);
	CU_ASSERT_EQUAL(rtpstats_pt_list(&s, pts, 2), 4);
	CU_ASSERT_EQUAL(pts[0], 0);
	CU_ASSERT_EQUAL(pts[1], 13);
	CU_ASSERT_TRUE(rtpstats_pt_seen(&s, 127));
	CU_ASSERT_TRUE(rtpstats_pt_seen(&s, 101));
	CU_ASSERT_FALSE(rtpstats_pt_seen(&s, 200));
	CU_ASSERT_EQUAL(r.first_ns, 0);
	CU_ASSERT_EQUAL(r.last_ns, 40 * MS);
}

static const CU_TestInfo tests[] = {
	{ "in order, perfect pacing", test_in_order },
	{ "gap of three", test_gap_of_three },
	{ "duplicates", test_duplicates },
	{ "duplicate window", test_duplicate_of_first_and_window },
	{ "reordering", test_reordering },
	{ "sequence wrap", test_wrap },
	{ "jitter, known pattern (A.8)", test_jitter_known_pattern },
	{ "unknown clock, empty", test_unknown_clock },
	{ "jump and resync (A.1)", test_jump_and_resync },
	{ "payload types, arrival range", test_payload_types },
	CU_TEST_INFO_NULL,
};

#define SUITE_NAME "rtpstats"
#include "cu_main.h"
