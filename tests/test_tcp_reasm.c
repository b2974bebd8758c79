/* test_tcp_reasm.c - CUnit suite for tcp_reasm.h (TCP stream reassembly). */
#include <CUnit/CUnit.h>
#include <string.h>

#include "tcp_reasm.h"

#define SEC 1000000000ull
#define F_SYN TCP_FLAG_SYN
#define F_ACK TCP_FLAG_ACK
#define F_FIN TCP_FLAG_FIN
#define F_RST TCP_FLAG_RST

/* What the callbacks saw.  Streams get a slot (their user pointer). */
struct slot {
	char bytes[2][256];
	size_t len[2];
	bool closed;
	int index;
};

struct rec {
	struct slot slots[4];
	int nslots;
	struct {
		int slot, dir;
		uint64_t frame;
		const uint8_t *ptr;
		size_t len;
	} data[64];
	int ndata;
	struct {
		int slot, dir;
		uint64_t missing, frame;
	} gaps[16];
	int ngaps;
	int close_order[8];
	int ncloses;
};

static struct slot *slot_of(struct rec *r, struct tcp_stream *s)
{
	struct slot *sl = tcp_stream_user(s);
	if (!sl && r->nslots < 4) {
		sl = &r->slots[r->nslots];
		sl->index = r->nslots++;
		tcp_stream_set_user(s, sl);
	}
	return sl;
}

static void rec_data(void *ctx, struct tcp_stream *s, int dir, const uint8_t *p,
		     size_t len, uint64_t frame, uint64_t ts)
{
	struct rec *r = ctx;
	struct slot *sl = slot_of(r, s);
	if (sl && sl->len[dir] + len <= sizeof sl->bytes[dir]) {
		memcpy(sl->bytes[dir] + sl->len[dir], p, len);
		sl->len[dir] += len;
	}
	if (r->ndata < 64) {
		r->data[r->ndata].slot = sl ? sl->index : -1;
		r->data[r->ndata].dir = dir;
		r->data[r->ndata].frame = frame;
		r->data[r->ndata].ptr = p;
		r->data[r->ndata].len = len;
		r->ndata++;
	}
}

static void rec_gap(void *ctx, struct tcp_stream *s, int dir, uint64_t missing, uint64_t frame)
{
	struct rec *r = ctx;
	struct slot *sl = slot_of(r, s);
	if (r->ngaps < 16) {
		r->gaps[r->ngaps].slot = sl ? sl->index : -1;
		r->gaps[r->ngaps].dir = dir;
		r->gaps[r->ngaps].missing = missing;
		r->gaps[r->ngaps].frame = frame;
		r->ngaps++;
	}
}

static void rec_close(void *ctx, struct tcp_stream *s)
{
	struct rec *r = ctx;
	struct slot *sl = slot_of(r, s);
	if (sl)
		sl->closed = true;
	if (r->ncloses < 8)
		r->close_order[r->ncloses++] = sl ? sl->index : -1;
}

static struct tcp_table *table_make(struct rec *r, const struct tcp_limits *lim)
{
	struct tcp_callbacks cb = { rec_data, rec_gap, rec_close, r };
	memset(r, 0, sizeof *r);
	return tcp_table_new(lim, &cb);
}

/* Client 192.0.2.1:40000 <-> server 192.0.2.2:5060, or other ports. */
static struct five_tuple tup(uint16_t cport, bool from_client)
{
	static const uint8_t c[4] = { 192, 0, 2, 1 }, s[4] = { 192, 0, 2, 2 };
	struct five_tuple ft;
	memset(&ft, 0, sizeof ft);
	ft.proto = SA_IPPROTO_TCP;
	ipaddr_set_v4(&ft.src.ip, from_client ? c : s);
	ipaddr_set_v4(&ft.dst.ip, from_client ? s : c);
	ft.src.port = from_client ? cport : 5060;
	ft.dst.port = from_client ? 5060 : cport;
	return ft;
}

static enum sa_status seg(struct tcp_table *t, uint16_t cport, bool from_client,
			  uint32_t seq, uint8_t flags, const char *payload,
			  uint64_t frame, uint64_t ts, struct tcp_stream **out)
{
	struct tcp_segment sg;
	struct tcp_stream *dummy;
	sg.tuple = tup(cport, from_client);
	sg.seq = seq;
	sg.flags = flags;
	sg.payload = (const uint8_t *)payload;
	sg.len = payload ? strlen(payload) : 0;
	sg.frame = frame;
	sg.ts_ns = ts;
	return tcp_table_segment(t, &sg, out ? out : &dummy);
}

static bool bytes_are(const struct slot *sl, int dir, const char *want)
{
	return sl->len[dir] == strlen(want) && memcmp(sl->bytes[dir], want, sl->len[dir]) == 0;
}

static void test_in_order_zero_copy(void)
{
	struct rec r;
	struct tcp_table *t = table_make(&r, NULL);
	struct tcp_stream *s = NULL;
	static const char hello[] = "hello ", world[] = "world";
	CU_ASSERT_EQUAL(seg(t, 40000, true, 1000, F_SYN, NULL, 1, 0, &s), SA_OK);
	CU_ASSERT_PTR_NOT_NULL(s);
	CU_ASSERT_EQUAL(seg(t, 40000, false, 5000, F_SYN | F_ACK, NULL, 2, 0, &s), SA_OK);
	CU_ASSERT_EQUAL(seg(t, 40000, true, 1001, F_ACK, NULL, 3, 0, &s), SA_OK);
	CU_ASSERT_EQUAL(seg(t, 40000, true, 1001, F_ACK, hello, 4, 0, &s), SA_OK);
	CU_ASSERT_EQUAL(seg(t, 40000, true, 1007, F_ACK, world, 5, 0, &s), SA_OK);
	CU_ASSERT_EQUAL(r.ndata, 2);
	CU_ASSERT_PTR_EQUAL(r.data[0].ptr, (const uint8_t *)hello);   /* zero copy */
	CU_ASSERT_PTR_EQUAL(r.data[1].ptr, (const uint8_t *)world);
	CU_ASSERT_EQUAL(r.data[0].frame, 4);
	CU_ASSERT_EQUAL(r.data[1].frame, 5);
	CU_ASSERT_EQUAL(r.data[1].dir, 0);
	CU_ASSERT_TRUE(bytes_are(&r.slots[0], 0, "hello world"));
	CU_ASSERT_EQUAL(r.slots[0].len[1], 0);
	CU_ASSERT_PTR_NOT_NULL(s);
	if (s) {
		CU_ASSERT_EQUAL(tcp_stream_tuple(s)->src.port, 40000);
		CU_ASSERT_PTR_EQUAL(tcp_stream_user(s), &r.slots[0]);
	}
	CU_ASSERT_EQUAL(tcp_table_stats(t)->streams, 1);
	CU_ASSERT_EQUAL(tcp_table_stats(t)->retransmissions, 0);
	CU_ASSERT_EQUAL(tcp_table_stats(t)->out_of_order, 0);
	tcp_table_flush(t);
	CU_ASSERT_EQUAL(r.ncloses, 1);
	CU_ASSERT_EQUAL(r.ngaps, 0);
	tcp_table_free(t);
}

static void test_out_of_order(void)
{
	struct rec r;
	struct tcp_table *t = table_make(&r, NULL);
	static const char b[] = "def";
	CU_ASSERT_EQUAL(seg(t, 40000, true, 100, F_SYN, NULL, 1, 0, NULL), SA_OK);
	CU_ASSERT_EQUAL(seg(t, 40000, true, 101, F_ACK, "abc", 2, 0, NULL), SA_OK);
	CU_ASSERT_EQUAL(seg(t, 40000, true, 107, F_ACK, "ghi", 3, 0, NULL), SA_OK);
	CU_ASSERT_EQUAL(seg(t, 40000, true, 110, F_ACK, "jk", 4, 0, NULL), SA_OK);
	CU_ASSERT_EQUAL(r.ndata, 1);
	CU_ASSERT_EQUAL(tcp_table_stats(t)->out_of_order, 2);
	CU_ASSERT_EQUAL(seg(t, 40000, true, 104, F_ACK, b, 5, 0, NULL), SA_OK);
	CU_ASSERT_TRUE(bytes_are(&r.slots[0], 0, "abcdefghijk"));
	CU_ASSERT_EQUAL(r.ndata, 4);
	CU_ASSERT_PTR_EQUAL(r.data[1].ptr, (const uint8_t *)b);
	CU_ASSERT_EQUAL(r.data[1].frame, 5);
	CU_ASSERT_EQUAL(r.data[2].frame, 3);   /* from the copy, with its own frame */
	CU_ASSERT_EQUAL(r.data[3].frame, 4);
	CU_ASSERT_EQUAL(r.ngaps, 0);
	tcp_table_free(t);
}

static void test_retransmission_and_overlap(void)
{
	struct rec r;
	struct tcp_table *t = table_make(&r, NULL);
	static const char cdef[] = "cdef";
	CU_ASSERT_EQUAL(seg(t, 40000, true, 1, F_ACK, "abcd", 1, 0, NULL), SA_OK);
	CU_ASSERT_EQUAL(seg(t, 40000, true, 1, F_ACK, "abcd", 2, 0, NULL), SA_OK);
	CU_ASSERT_EQUAL(seg(t, 40000, true, 2, F_ACK, "bc", 3, 0, NULL), SA_OK);
	CU_ASSERT_EQUAL(tcp_table_stats(t)->retransmissions, 2);
	/* Partial overlap: only the new tail, straight from the payload. */
	CU_ASSERT_EQUAL(seg(t, 40000, true, 3, F_ACK, cdef, 4, 0, NULL), SA_OK);
	CU_ASSERT_TRUE(bytes_are(&r.slots[0], 0, "abcdef"));
	CU_ASSERT_EQUAL(r.ndata, 2);
	CU_ASSERT_PTR_EQUAL(r.data[1].ptr, (const uint8_t *)cdef + 2);
	CU_ASSERT_EQUAL(r.data[1].len, 2);
	/* A buffered segment retransmitted, and one overtaken while waiting. */
	CU_ASSERT_EQUAL(seg(t, 40000, true, 11, F_ACK, "klm", 5, 0, NULL), SA_OK);
	CU_ASSERT_EQUAL(seg(t, 40000, true, 11, F_ACK, "klm", 6, 0, NULL), SA_OK);
	CU_ASSERT_EQUAL(tcp_table_stats(t)->retransmissions, 3);
	CU_ASSERT_EQUAL(seg(t, 40000, true, 7, F_ACK, "ghijklmn", 7, 0, NULL), SA_OK);
	CU_ASSERT_TRUE(bytes_are(&r.slots[0], 0, "abcdefghijklmn"));
	CU_ASSERT_EQUAL(tcp_table_stats(t)->retransmissions, 4);
	tcp_table_free(t);
}

static void test_gap_by_cap(void)
{
	struct rec r;
	struct tcp_limits lim = tcp_limits_default();
	struct tcp_table *t;
	lim.max_buffered = 2 * (10 + TCP_REASM_SEG_OVERHEAD);
	t = table_make(&r, &lim);
	CU_ASSERT_EQUAL(seg(t, 40000, true, 1001, F_ACK, "0123456789", 1, 0, NULL), SA_OK);
	CU_ASSERT_EQUAL(seg(t, 40000, true, 1031, F_ACK, "CCCCCCCCCC", 2, 0, NULL), SA_OK);
	CU_ASSERT_EQUAL(seg(t, 40000, true, 1041, F_ACK, "DDDDDDDDDD", 3, 0, NULL), SA_OK);
	CU_ASSERT_EQUAL(r.ngaps, 0);   /* exactly at the cap */
	CU_ASSERT_EQUAL(seg(t, 40000, true, 1061, F_ACK, "FFFFFFFFFF", 4, 0, NULL), SA_OK);
	CU_ASSERT_EQUAL(r.ngaps, 1);
	CU_ASSERT_EQUAL(r.gaps[0].missing, 20);
	CU_ASSERT_EQUAL(r.gaps[0].frame, 2);
	CU_ASSERT_TRUE(bytes_are(&r.slots[0], 0, "0123456789CCCCCCCCCCDDDDDDDDDD"));
	/* The segment that hit the cap now waits alone; flush reports the rest. */
	tcp_table_flush(t);
	CU_ASSERT_EQUAL(r.ngaps, 2);
	CU_ASSERT_EQUAL(r.gaps[1].missing, 10);
	CU_ASSERT_EQUAL(r.gaps[1].frame, 4);
	CU_ASSERT_TRUE(bytes_are(&r.slots[0], 0, "0123456789CCCCCCCCCCDDDDDDDDDDFFFFFFFFFF"));
	CU_ASSERT_EQUAL(tcp_table_stats(t)->gaps, 2);
	CU_ASSERT_EQUAL(tcp_table_stats(t)->gap_bytes, 30);
	CU_ASSERT_EQUAL(r.ncloses, 1);
	tcp_table_free(t);

	/* A segment bigger than the cap on its own is delivered after a gap. */
	lim.max_buffered = 8 + TCP_REASM_SEG_OVERHEAD;
	t = table_make(&r, &lim);
	CU_ASSERT_EQUAL(seg(t, 40000, true, 1, F_ACK, "ab", 1, 0, NULL), SA_OK);
	CU_ASSERT_EQUAL(seg(t, 40000, true, 5, F_ACK, "efghijklm", 2, 0, NULL), SA_OK);
	CU_ASSERT_EQUAL(r.ngaps, 1);
	CU_ASSERT_EQUAL(r.gaps[0].missing, 2);
	CU_ASSERT_TRUE(bytes_are(&r.slots[0], 0, "abefghijklm"));
	tcp_table_free(t);
}

static void test_gap_by_flush_before_fin(void)
{
	struct rec r;
	struct tcp_table *t = table_make(&r, NULL);
	struct tcp_stream *s = NULL;
	CU_ASSERT_EQUAL(seg(t, 40000, true, 1001, F_ACK, "aaaa", 1, 0, &s), SA_OK);
	CU_ASSERT_EQUAL(seg(t, 40000, true, 1009, F_ACK, "cccc", 2, 0, &s), SA_OK);
	CU_ASSERT_EQUAL(seg(t, 40000, true, 1017, F_FIN | F_ACK, NULL, 3, 0, &s), SA_OK);
	CU_ASSERT_EQUAL(seg(t, 40000, true, 1020, F_ACK, "zz", 4, 0, &s), SA_OK);   /* past FIN */
	CU_ASSERT_PTR_NOT_NULL(s);
	CU_ASSERT_TRUE(bytes_are(&r.slots[0], 0, "aaaa"));
	tcp_table_flush(t);
	CU_ASSERT_TRUE(bytes_are(&r.slots[0], 0, "aaaacccc"));
	CU_ASSERT_EQUAL(r.ngaps, 2);
	CU_ASSERT_EQUAL(r.gaps[0].missing, 4);   /* 1005..1008 */
	CU_ASSERT_EQUAL(r.gaps[0].frame, 2);
	CU_ASSERT_EQUAL(r.gaps[1].missing, 4);   /* 1013..1016, before the FIN */
	CU_ASSERT_EQUAL(r.gaps[1].frame, 3);
	CU_ASSERT_EQUAL(r.ncloses, 1);
	CU_ASSERT_TRUE(r.slots[0].closed);
	tcp_table_free(t);
	CU_ASSERT_EQUAL(r.ncloses, 1);   /* free does not close it again */
}

static void test_sequence_wrap(void)
{
	struct rec r;
	struct tcp_table *t = table_make(&r, NULL);
	CU_ASSERT_EQUAL(seg(t, 40000, true, 0xfffffffdu, F_SYN, NULL, 1, 0, NULL), SA_OK);
	/* Bytes after the wrap arrive first: ahead, not behind. */
	CU_ASSERT_EQUAL(seg(t, 40000, true, 2, F_ACK, "56", 2, 0, NULL), SA_OK);
	CU_ASSERT_EQUAL(r.ndata, 0);
	CU_ASSERT_EQUAL(tcp_table_stats(t)->out_of_order, 1);
	CU_ASSERT_EQUAL(seg(t, 40000, true, 0xfffffffeu, F_ACK, "1234", 3, 0, NULL), SA_OK);
	CU_ASSERT_TRUE(bytes_are(&r.slots[0], 0, "123456"));
	CU_ASSERT_EQUAL(seg(t, 40000, true, 0xffffffffu, F_ACK, "234", 4, 0, NULL), SA_OK);
	CU_ASSERT_EQUAL(tcp_table_stats(t)->retransmissions, 1);
	CU_ASSERT_EQUAL(seg(t, 40000, true, 3, F_ACK, "6789", 5, 0, NULL), SA_OK);
	CU_ASSERT_TRUE(bytes_are(&r.slots[0], 0, "123456789"));
	CU_ASSERT_EQUAL(r.ngaps, 0);
	tcp_table_free(t);
}

static void test_mid_stream_two_directions_fin(void)
{
	struct rec r;
	struct tcp_table *t = table_make(&r, NULL);
	struct tcp_stream *s = NULL;
	/* No SYN: the server speaks first and becomes direction 0. */
	CU_ASSERT_EQUAL(seg(t, 40000, false, 70000, F_ACK, "SIP/2.0 200 OK", 1, 0, &s), SA_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(tcp_stream_tuple(s)->src.port, 5060);
	CU_ASSERT_EQUAL(seg(t, 40000, true, 9000, F_ACK, "ACK", 2, 0, &s), SA_OK);
	CU_ASSERT_EQUAL(seg(t, 40000, false, 69990, F_ACK, "0123456789", 3, 0, &s), SA_OK);
	CU_ASSERT_EQUAL(tcp_table_stats(t)->retransmissions, 1);   /* before the start */
	CU_ASSERT_TRUE(bytes_are(&r.slots[0], 0, "SIP/2.0 200 OK"));
	CU_ASSERT_TRUE(bytes_are(&r.slots[0], 1, "ACK"));
	CU_ASSERT_EQUAL(r.data[1].dir, 1);
	CU_ASSERT_EQUAL(seg(t, 40000, true, 9003, F_FIN | F_ACK, "BYE", 4, 0, &s), SA_OK);
	CU_ASSERT_PTR_NOT_NULL(s);
	CU_ASSERT_EQUAL(r.ncloses, 0);
	CU_ASSERT_EQUAL(seg(t, 40000, true, 9007, F_ACK, "x", 5, 0, &s), SA_OK);   /* after FIN */
	CU_ASSERT_EQUAL(seg(t, 40000, false, 70014, F_FIN | F_ACK, NULL, 6, 0, &s), SA_OK);
	CU_ASSERT_PTR_NULL(s);   /* FIN both ways: closed and freed */
	CU_ASSERT_EQUAL(r.ncloses, 1);
	CU_ASSERT_TRUE(bytes_are(&r.slots[0], 1, "ACKBYE"));
	/* The last ACK does not bring the stream back. */
	CU_ASSERT_EQUAL(seg(t, 40000, true, 9007, F_ACK, NULL, 7, 0, &s), SA_OK);
	CU_ASSERT_PTR_NULL(s);
	CU_ASSERT_EQUAL(tcp_table_stats(t)->streams, 1);
	tcp_table_flush(t);
	CU_ASSERT_EQUAL(r.ncloses, 1);
	tcp_table_free(t);
}

static void test_synack_first_and_rst(void)
{
	struct rec r;
	struct tcp_table *t = table_make(&r, NULL);
	struct tcp_stream *s = NULL;
	/* The SYN was not captured: the SYN-ACK's receiver opened. */
	CU_ASSERT_EQUAL(seg(t, 40000, false, 500, F_SYN | F_ACK, NULL, 1, 0, &s), SA_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(tcp_stream_tuple(s)->src.port, 40000);
	CU_ASSERT_EQUAL(seg(t, 40000, false, 501, F_ACK, "ab", 2, 0, &s), SA_OK);
	CU_ASSERT_EQUAL(seg(t, 40000, false, 505, F_ACK, "ef", 3, 0, &s), SA_OK);
	CU_ASSERT_EQUAL(r.data[0].dir, 1);
	CU_ASSERT_EQUAL(seg(t, 40000, true, 77, F_RST, NULL, 4, 0, &s), SA_OK);
	CU_ASSERT_PTR_NULL(s);
	CU_ASSERT_EQUAL(r.ncloses, 1);
	CU_ASSERT_EQUAL(r.ngaps, 1);   /* the held bytes are handed over first */
	CU_ASSERT_EQUAL(r.gaps[0].missing, 2);
	CU_ASSERT_EQUAL(r.gaps[0].dir, 1);
	CU_ASSERT_TRUE(bytes_are(&r.slots[0], 1, "abef"));
	CU_ASSERT_EQUAL(tcp_table_stats(t)->resets, 1);
	/* A RST for no stream creates nothing. */
	CU_ASSERT_EQUAL(seg(t, 40001, true, 77, F_RST, NULL, 5, 0, &s), SA_OK);
	CU_ASSERT_PTR_NULL(s);
	CU_ASSERT_EQUAL(tcp_table_stats(t)->streams, 1);
	tcp_table_free(t);
}

static void test_eviction_expiry_reuse(void)
{
	struct rec r;
	struct tcp_limits lim = tcp_limits_default();
	struct tcp_table *t;
	struct tcp_stream *s = NULL;
	lim.max_streams = 2;
	lim.idle_timeout_ns = 10 * SEC;
	t = table_make(&r, &lim);
	CU_ASSERT_EQUAL(seg(t, 1, true, 10, F_ACK, "one", 1, 0, NULL), SA_OK);
	CU_ASSERT_EQUAL(seg(t, 2, true, 20, F_ACK, "two", 2, 1 * SEC, NULL), SA_OK);
	CU_ASSERT_EQUAL(seg(t, 1, true, 13, F_ACK, "!", 3, 2 * SEC, NULL), SA_OK);
	CU_ASSERT_EQUAL(seg(t, 3, true, 30, F_ACK, "three", 4, 3 * SEC, NULL), SA_OK);
	CU_ASSERT_EQUAL(r.ncloses, 1);   /* port 2: least recently active */
	CU_ASSERT_EQUAL(r.close_order[0], 1);
	CU_ASSERT_EQUAL(tcp_table_stats(t)->evicted, 1);
	tcp_table_expire(t, 12 * SEC + 1);   /* port 1 idle since 2 s */
	CU_ASSERT_EQUAL(r.ncloses, 2);
	CU_ASSERT_EQUAL(r.close_order[1], 0);
	CU_ASSERT_TRUE(bytes_are(&r.slots[0], 0, "one!"));
	/* A new SYN with another ISN on port 3's tuple: a new connection. */
	CU_ASSERT_EQUAL(seg(t, 3, true, 9999, F_SYN, NULL, 5, 12 * SEC, &s), SA_OK);
	CU_ASSERT_EQUAL(r.ncloses, 3);
	CU_ASSERT_EQUAL(r.close_order[2], 2);
	CU_ASSERT_EQUAL(seg(t, 3, true, 10000, F_ACK, "new", 6, 12 * SEC, &s), SA_OK);
	CU_ASSERT_PTR_NOT_NULL(s);
	CU_ASSERT_TRUE(bytes_are(&r.slots[3], 0, "new"));
	CU_ASSERT_EQUAL(tcp_table_stats(t)->streams, 4);
	/* Idle expiry also runs on its own as segments arrive. */
	CU_ASSERT_EQUAL(seg(t, 4, true, 1, F_ACK, "x", 7, 30 * SEC, NULL), SA_OK);
	CU_ASSERT_EQUAL(r.ncloses, 4);
	CU_ASSERT_EQUAL(tcp_table_stats(t)->expired, 2);
	tcp_table_free(t);   /* closes port 4's stream for its user pointer */
	CU_ASSERT_EQUAL(r.ncloses, 5);
}

static void test_malformed(void)
{
	struct rec r;
	struct tcp_table *t = table_make(&r, NULL);
	struct tcp_segment sg;
	struct tcp_stream *s = (struct tcp_stream *)&sg;
	memset(&sg, 0, sizeof sg);
	sg.tuple = tup(40000, true);
	CU_ASSERT_TRUE(ipaddr_parse("2001:db8::1", &sg.tuple.dst.ip));
	sg.payload = (const uint8_t *)"x";
	sg.len = 1;
	CU_ASSERT_EQUAL(tcp_table_segment(t, &sg, &s), SA_MALFORMED);
	CU_ASSERT_PTR_NULL(s);
	sg.tuple = tup(40000, true);
	sg.payload = NULL;
	CU_ASSERT_EQUAL(tcp_table_segment(t, &sg, &s), SA_MALFORMED);
	memset(&sg.tuple, 0, sizeof sg.tuple);
	CU_ASSERT_EQUAL(tcp_table_segment(t, &sg, &s), SA_MALFORMED);
	CU_ASSERT_EQUAL(tcp_table_stats(t)->streams, 0);
	/* Far beyond any window: dropped, not buffered. */
	CU_ASSERT_EQUAL(seg(t, 40000, true, 1, F_ACK, "a", 1, 0, NULL), SA_OK);
	CU_ASSERT_EQUAL(seg(t, 40000, true, 0x60000000u, F_ACK, "b", 2, 0, NULL), SA_OK);
	CU_ASSERT_EQUAL(tcp_table_stats(t)->out_of_window, 1);
	tcp_table_flush(t);
	CU_ASSERT_EQUAL(r.ngaps, 0);
	CU_ASSERT_TRUE(bytes_are(&r.slots[0], 0, "a"));
	tcp_table_free(t);
}


/* Position-tracking recorder for the randomised test: bytes land where
 * the stream says they belong, gaps leave holes. */
struct pos_rec {
	uint8_t buf[4096];
	uint8_t hole[4096];
	size_t pos;
	uint64_t gap_bytes;
	int closes;
	bool overflow;
};

static void pos_data(void *ctx, struct tcp_stream *s, int dir, const uint8_t *p,
		     size_t len, uint64_t frame, uint64_t ts)
{
	struct pos_rec *r = ctx;
	if (len > sizeof r->buf || r->pos + len > sizeof r->buf) {
		r->overflow = true;
		return;
	}
	memcpy(r->buf + r->pos, p, len);
	r->pos += len;
}

static void pos_gap(void *ctx, struct tcp_stream *s, int dir, uint64_t missing, uint64_t frame)
{
	struct pos_rec *r = ctx;
	if (missing > sizeof r->buf || r->pos + missing > sizeof r->buf) {
		r->overflow = true;
		return;
	}
	memset(r->hole + r->pos, 1, missing);
	r->pos += missing;
	r->gap_bytes += missing;
}

static void pos_close(void *ctx, struct tcp_stream *s)
{
	((struct pos_rec *)ctx)->closes++;
}

/* One 3000-byte stream across the 2^32 wrap, cut at random, reordered,
 * duplicated and re-cut for retransmissions; with loss, every byte is
 * either delivered in its place or inside a reported gap. */
static void run_random(uint32_t rng, bool lossy, size_t cap)
{
	static uint8_t orig[3000];
	static struct pos_rec r;
	struct { uint32_t off, len; } segs[400];
	struct tcp_callbacks cb = { pos_data, pos_gap, pos_close, &r };
	struct tcp_limits lim = tcp_limits_default();
	struct tcp_table *t;
	struct tcp_segment sg;
	struct tcp_stream *s;
	const uint32_t isn = 0xfffff800u;
	size_t n = 0, i, lost = 0;
	uint32_t off = 0;
	memset(&r, 0, sizeof r);
	for (i = 0; i < sizeof orig; i++)
		orig[i] = (uint8_t)(i * 31 + (i >> 8));
	while (off < sizeof orig && n < 400) {
		uint32_t len;
		rng = rng * 1103515245u + 12345u;
		len = (rng >> 16) % 100 + 1;
		if (off + len > sizeof orig)
			len = sizeof orig - off;
		segs[n].off = off;
		segs[n].len = len;
		n++;
		off += len;
		/* Sometimes a retransmission re-cut over earlier bytes. */
		if ((rng >> 8) % 5 == 0 && n < 400 && off > 150) {
			segs[n].off = off - 150 + (rng >> 4) % 100;
			segs[n].len = 40;
			n++;
		}
	}
	for (i = 0; i + 1 < n; i++) {   /* local reordering */
		rng = rng * 1103515245u + 12345u;
		if ((rng >> 16) % 3 == 0) {
			size_t j = i + 1 + (rng >> 20) % 4;
			if (j < n) {
				uint32_t o = segs[i].off, l = segs[i].len;
				segs[i] = segs[j];
				segs[j].off = o;
				segs[j].len = l;
			}
		}
	}
	lim.max_buffered = cap;
	t = tcp_table_new(&lim, &cb);
	memset(&sg, 0, sizeof sg);
	sg.tuple = tup(40000, true);
	sg.seq = isn;
	sg.flags = F_SYN;
	CU_ASSERT_EQUAL(tcp_table_segment(t, &sg, &s), SA_OK);
	for (i = 0; i < n; i++) {
		rng = rng * 1103515245u + 12345u;
		if (lossy && (rng >> 16) % 10 == 0) {
			lost++;
			continue;
		}
		sg.seq = isn + 1 + segs[i].off;
		sg.flags = F_ACK;
		sg.payload = orig + segs[i].off;
		sg.len = segs[i].len;
		sg.frame = i + 2;
		CU_ASSERT_EQUAL(tcp_table_segment(t, &sg, &s), SA_OK);
		if ((rng >> 12) % 7 == 0)   /* exact duplicate */
			CU_ASSERT_EQUAL(tcp_table_segment(t, &sg, &s), SA_OK);
	}
	tcp_table_flush(t);
	CU_ASSERT_FALSE(r.overflow);
	CU_ASSERT_EQUAL(r.closes, 1);
	CU_ASSERT_EQUAL(tcp_table_stats(t)->gap_bytes, r.gap_bytes);
	for (i = 0; i < r.pos && i < sizeof orig; i++)
		if (!r.hole[i] && r.buf[i] != orig[i])
			break;
	CU_ASSERT_EQUAL(i, r.pos);   /* every delivered byte in its place */
	if (!lossy) {
		CU_ASSERT_EQUAL(r.pos, sizeof orig);
		CU_ASSERT_EQUAL(r.gap_bytes, 0);
		CU_ASSERT_TRUE(tcp_table_stats(t)->out_of_order > 0);
		CU_ASSERT_TRUE(tcp_table_stats(t)->retransmissions > 0);
	} else {
		CU_ASSERT_TRUE(lost > 0);
		CU_ASSERT_TRUE(r.gap_bytes > 0);
		CU_ASSERT_TRUE(r.pos <= sizeof orig);
	}
	tcp_table_free(t);
}

static void test_random_streams(void)
{
	uint32_t seed;
	for (seed = 1; seed <= 20; seed++) {
		run_random(seed, false, 1u << 20);
		run_random(seed, true, 1u << 20);
		run_random(seed, true, 300);   /* tiny cap: forced gaps */
	}
}

static const CU_TestInfo tests[] = {
	{ "in order, zero copy, SYN consumes one", test_in_order_zero_copy },
	{ "out of order buffered then delivered", test_out_of_order },
	{ "retransmission and partial overlap", test_retransmission_and_overlap },
	{ "gap forced by the buffer cap", test_gap_by_cap },
	{ "gap by flush, hole before FIN, data past FIN", test_gap_by_flush_before_fin },
	{ "sequence wrap around 2^32", test_sequence_wrap },
	{ "mid-stream start, two directions, FIN close", test_mid_stream_two_directions_fin },
	{ "SYN-ACK seen first, RST close", test_synack_first_and_rst },
	{ "eviction, idle expiry, port reuse", test_eviction_expiry_reuse },
	{ "malformed segments and out of window", test_malformed },
	{ "random cuts, reorder, duplicates, loss across the wrap", test_random_streams },
	CU_TEST_INFO_NULL,
};
#define SUITE_NAME "tcp_reasm"
#include "cu_main.h"
