/* test_turn.c - CUnit suite for turn.h: Send/Data indications with
 * XOR-PEER-ADDRESS (values of RFC 5769 §2.2's sample address), ChannelBind,
 * ChannelData, and TURN-over-TCP framing split at every byte. */
#include <CUnit/CUnit.h>
#include <string.h>

#include "framebuild.h"
#include "turn.h"

static const uint8_t tid[12] = { 0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86,
				 0xfa, 0x87, 0xdf, 0xae };

/* XOR-PEER-ADDRESS for 192.0.2.1:32853 (RFC 5769 §2.2 uses this mapped
 * address): port 0x8055 ^ 0x2112 = 0xa147, address ^ 0x2112a442. */
static void put_peer_v4(struct buf *b)
{
	put16(b, 0x0012);
	put16(b, 8);
	put8(b, 0);
	put8(b, 0x01);
	put16(b, 0xa147);
	put32(b, 0xe112a643);
}

static void put_stun_header(struct buf *b, uint16_t type, uint16_t len)
{
	put16(b, type);
	put16(b, len);
	put32(b, 0x2112a442);
	put(b, tid, 12);
}

static void test_data_indication(void)
{
	struct buf b = { .n = 0 };
	struct turn_msg m;
	char ep[SA_ENDPOINT_STRLEN];
	static const uint8_t rtp[6] = { 0x80, 0x08, 0, 1, 2, 3 };
	put_stun_header(&b, 0x0017, 12 + 4 + 8);
	put_peer_v4(&b);
	put16(&b, 0x0013);
	put16(&b, 6);
	put(&b, rtp, 6);
	put16(&b, 0); /* padding of DATA to 8 */
	CU_ASSERT_TRUE_FATAL(turn_parse(b.b, b.n, &m));
	CU_ASSERT_EQUAL(m.kind, TURN_DATA);
	CU_ASSERT_STRING_EQUAL(endpoint_format(&m.peer, ep, sizeof ep), "192.0.2.1:32853");
	CU_ASSERT_EQUAL_FATAL(m.len, 6);
	CU_ASSERT_EQUAL(memcmp(m.data, rtp, 6), 0);
	/* Send indication: the same attributes, method 0x006. */
	b.b[1] = 0x16;
	CU_ASSERT_TRUE(turn_parse(b.b, b.n, &m));
	CU_ASSERT_EQUAL(m.kind, TURN_SEND);
	/* A Binding request is not TURN media. */
	b.b[0] = 0x00;
	b.b[1] = 0x01;
	CU_ASSERT_FALSE(turn_parse(b.b, b.n, &m));
	/* Cut short: the length runs past the end. */
	b.b[1] = 0x17;
	CU_ASSERT_FALSE(turn_parse(b.b, b.n - 1, &m));
}

static void test_channels(void)
{
	struct buf b = { .n = 0 };
	struct turn_msg m;
	put_stun_header(&b, 0x0009, 8 + 12);
	put16(&b, 0x000c);
	put16(&b, 4);
	put16(&b, 0x4001);
	put16(&b, 0);
	put_peer_v4(&b);
	CU_ASSERT_TRUE_FATAL(turn_parse(b.b, b.n, &m));
	CU_ASSERT_EQUAL(m.kind, TURN_CHANNEL_BIND);
	CU_ASSERT_EQUAL(m.channel, 0x4001);
	CU_ASSERT_EQUAL(m.peer.port, 32853);
	b.n = 0;
	put16(&b, 0x4001);
	put16(&b, 3);
	put(&b, "\x80\x00\x01", 3);
	CU_ASSERT_TRUE_FATAL(turn_parse(b.b, b.n, &m));
	CU_ASSERT_EQUAL(m.kind, TURN_CHANNEL_DATA);
	CU_ASSERT_EQUAL(m.len, 3);
	/* Length past the end; channel numbers above 0x4FFF (RFC 8656 §12). */
	b.b[3] = 9;
	CU_ASSERT_FALSE(turn_parse(b.b, b.n, &m));
	b.b[3] = 3;
	b.b[0] = 0x50;
	CU_ASSERT_FALSE(turn_parse(b.b, b.n, &m));
}

struct collected {
	size_t n;
	size_t lens[8];
};

static void collect(void *ctx, const uint8_t *msg, size_t len)
{
	struct collected *c = ctx;
	(void)msg;
	if (c->n < 8)
		c->lens[c->n] = len;
	c->n++;
}

static void test_tcp_framing(void)
{
	struct buf s = { .n = 0 };
	size_t cut;
	/* ChannelData of 3 bytes (padded to 4 over TCP) then a Data indication. */
	put16(&s, 0x4001);
	put16(&s, 3);
	put(&s, "\x80\x00\x01\x00", 4);
	put_stun_header(&s, 0x0017, 12 + 4 + 8);
	put_peer_v4(&s);
	put16(&s, 0x0013);
	put16(&s, 6);
	put(&s, "\x80\x08\x00\x01\x02\x03\x00\x00", 8);
	CU_ASSERT_TRUE(turn_stream_start(s.b, s.n));
	CU_ASSERT_FALSE(turn_stream_start((const uint8_t *)"GET / HTTP/1.1\r\n", 16));
	for (cut = 0; cut <= s.n; cut++) {
		struct turn_stream *ts = turn_stream_new();
		struct collected c = { 0, { 0 } };
		CU_ASSERT_PTR_NOT_NULL_FATAL(ts);
		CU_ASSERT_EQUAL(turn_stream_feed(ts, s.b, cut, collect, &c), SA_OK);
		CU_ASSERT_EQUAL(turn_stream_feed(ts, s.b + cut, s.n - cut, collect, &c), SA_OK);
		CU_ASSERT_EQUAL(c.n, 2);
		CU_ASSERT_EQUAL(c.lens[0], 8);
		CU_ASSERT_EQUAL(c.lens[1], 44);
		turn_stream_free(ts);
	}
	{
		struct turn_stream *ts = turn_stream_new();
		struct collected c = { 0, { 0 } };
		CU_ASSERT_EQUAL(turn_stream_feed(ts, (const uint8_t *)"\xff\xff\xff\xff", 4, collect, &c),
				SA_MALFORMED);
		CU_ASSERT_EQUAL(c.n, 0);
		turn_stream_free(ts);
	}
}

static const CU_TestInfo tests[] = {
	{ "Data and Send indications, XOR-PEER-ADDRESS", test_data_indication },
	{ "ChannelBind and ChannelData", test_channels },
	{ "TURN over TCP framing split at every byte", test_tcp_framing },
	CU_TEST_INFO_NULL,
};
#define SUITE_NAME "turn"
#include "cu_main.h"
