/* test_core.c - CUnit suite for cursor.h, text.h and netaddr.h. */
#include <CUnit/CUnit.h>
#include <string.h>

#include "cursor.h"
#include "netaddr.h"
#include "text.h"

static void test_cursor_reads(void)
{
	static const uint8_t b[] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07 };
	struct cursor c = cursor_make(b, sizeof b);
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	CU_ASSERT_TRUE(cursor_u8(&c, &u8));
	CU_ASSERT_EQUAL(u8, 0x01);
	CU_ASSERT_TRUE(cursor_u16be(&c, &u16));
	CU_ASSERT_EQUAL(u16, 0x0203);
	CU_ASSERT_TRUE(cursor_u24be(&c, &u32));
	CU_ASSERT_EQUAL(u32, 0x040506);
	CU_ASSERT_EQUAL(cursor_left(&c), 1);
	/* A failed read leaves the cursor where it was. */
	CU_ASSERT_FALSE(cursor_u16be(&c, &u16));
	CU_ASSERT_EQUAL(cursor_left(&c), 1);
	CU_ASSERT_TRUE(cursor_u8(&c, &u8));
	CU_ASSERT_EQUAL(u8, 0x07);
	CU_ASSERT_TRUE(cursor_empty(&c));
}

static void test_cursor_prefixed(void)
{
	static const uint8_t ok[] = { 0x00, 0x02, 0xaa, 0xbb, 0xcc };
	static const uint8_t bad[] = { 0x00, 0x05, 0xaa };
	struct cursor c = cursor_make(ok, sizeof ok), sub;
	uint8_t v;
	CU_ASSERT_TRUE(cursor_prefixed16(&c, &sub));
	CU_ASSERT_EQUAL(cursor_left(&sub), 2);
	CU_ASSERT_TRUE(cursor_u8(&sub, &v));
	CU_ASSERT_EQUAL(v, 0xaa);
	CU_ASSERT_EQUAL(cursor_left(&c), 1);
	c = cursor_make(bad, sizeof bad);
	CU_ASSERT_FALSE(cursor_prefixed16(&c, &sub));
	CU_ASSERT_EQUAL(cursor_left(&c), 3); /* unchanged on failure */
}

static void test_text_lines(void)
{
	struct sv rest = SV_LIT("INVITE sip:a SIP/2.0\r\nVia: x\nlast"), line;
	bool term;
	CU_ASSERT_TRUE(sv_next_line(&rest, &line, &term));
	CU_ASSERT_TRUE(sv_eq(line, SV_LIT("INVITE sip:a SIP/2.0")));
	CU_ASSERT_TRUE(term);
	CU_ASSERT_TRUE(sv_next_line(&rest, &line, &term));
	CU_ASSERT_TRUE(sv_eq(line, SV_LIT("Via: x")));
	CU_ASSERT_TRUE(sv_next_line(&rest, &line, &term));
	CU_ASSERT_TRUE(sv_eq(line, SV_LIT("last")));
	CU_ASSERT_FALSE(term);
	CU_ASSERT_FALSE(sv_next_line(&rest, &line, &term));
}

static void test_text_numbers(void)
{
	uint32_t v32;
	uint16_t v16;
	CU_ASSERT_TRUE(sv_u32(SV_LIT("4294967295"), &v32));
	CU_ASSERT_EQUAL(v32, 4294967295u);
	CU_ASSERT_FALSE(sv_u32(SV_LIT("4294967296"), &v32));
	CU_ASSERT_FALSE(sv_u32(SV_LIT(""), &v32));
	CU_ASSERT_FALSE(sv_u32(SV_LIT("12a"), &v32));
	CU_ASSERT_FALSE(sv_u32(SV_LIT("-1"), &v32));
	CU_ASSERT_TRUE(sv_u16(SV_LIT("65535"), &v16));
	CU_ASSERT_FALSE(sv_u16(SV_LIT("65536"), &v16));
}

static void test_text_misc(void)
{
	struct sv h, t, rest = SV_LIT("  a=b  c"), tok;
	uint8_t out[4];
	size_t n;
	CU_ASSERT_TRUE(sv_eq_ci(SV_LIT("Content-Length"), SV_LIT("content-LENGTH")));
	CU_ASSERT_TRUE(sv_split_char(SV_LIT("a=b"), '=', &h, &t));
	CU_ASSERT_TRUE(sv_eq(h, SV_LIT("a")) && sv_eq(t, SV_LIT("b")));
	CU_ASSERT_TRUE(sv_next_token(&rest, &tok));
	CU_ASSERT_TRUE(sv_eq(tok, SV_LIT("a=b")));
	CU_ASSERT_TRUE(sv_next_token(&rest, &tok));
	CU_ASSERT_TRUE(sv_eq(tok, SV_LIT("c")));
	CU_ASSERT_FALSE(sv_next_token(&rest, &tok));
	CU_ASSERT_TRUE(sv_hex_decode(SV_LIT("deADbe"), out, sizeof out, &n));
	CU_ASSERT_EQUAL(n, 3);
	CU_ASSERT_EQUAL(out[1], 0xad);
	CU_ASSERT_FALSE(sv_hex_decode(SV_LIT("0g"), out, sizeof out, &n));
	CU_ASSERT_FALSE(sv_hex_decode(SV_LIT("0011223344"), out, sizeof out, &n));
	CU_ASSERT_EQUAL(sv_find(SV_LIT("abcabd"), SV_LIT("abd")), 3);
}

static void test_netaddr_format(void)
{
	struct endpoint ep = { .port = 5060 };
	char buf[SA_ENDPOINT_STRLEN];
	CU_ASSERT_TRUE(ipaddr_parse("192.0.2.7", &ep.ip));
	CU_ASSERT_STRING_EQUAL(endpoint_format(&ep, buf, sizeof buf), "192.0.2.7:5060");
	CU_ASSERT_TRUE(ipaddr_parse("2001:db8::1", &ep.ip));
	CU_ASSERT_STRING_EQUAL(endpoint_format(&ep, buf, sizeof buf), "[2001:db8::1]:5060");
	CU_ASSERT_FALSE(ipaddr_parse("300.1.1.1", &ep.ip));
}

static const CU_TestInfo tests[] = {
	{ "cursor reads and failure leaves position", test_cursor_reads },
	{ "cursor length prefixes", test_cursor_prefixed },
	{ "text lines CRLF/LF/unterminated", test_text_lines },
	{ "text numbers with overflow", test_text_numbers },
	{ "text split/token/hex/find", test_text_misc },
	{ "netaddr parse and format", test_netaddr_format },
	CU_TEST_INFO_NULL,
};
#define SUITE_NAME "core"
#include "cu_main.h"
