/* test_sip.c - CUnit suite for sip.h and sip_frame.h on real messages
 * (tests/data/sip, see fixtures/PROVENANCE.md) and generated edge cases. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sdp.h"
#include "sip.h"
#include "sip_frame.h"
#include "testutil.h"

#ifndef SA_TOP_SRCDIR
#define SA_TOP_SRCDIR "."
#endif

static struct sip_msg msg;
static struct sip_diag dg;

static uint8_t *load(const char *name, size_t *len)
{
	char rel[256], path[1024];
	snprintf(rel, sizeof rel, "tests/data/sip/%s", name);
	return tu_slurp(tu_srcpath(rel, path, sizeof path), len);
}

static enum sa_status parse(const char *s, unsigned flags)
{
	memset(&dg, 0, sizeof dg);
	return sip_msg_parse((const uint8_t *)s, strlen(s), flags, &msg, &dg);
}

#define SV_IS(v, lit) CU_ASSERT_TRUE(sv_eq((v), SV_LIT(lit)))

/* Frame 55 of voipshark_SIP-SRTP-Normal_Call_two_parties.pcap (MicroSIP). */
static void test_real_invite(void)
{
	size_t len;
	uint8_t *b = load("voipshark-srtp-f55-invite.txt", &len);
	struct sv v;
	uint32_t cseq;
	struct sdp *sdp;
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL(sip_msg_parse(b, len, SIP_PARSE_DATAGRAM, &msg, &dg), SA_OK);
	CU_ASSERT_TRUE(msg.is_request);
	SV_IS(msg.method, "INVITE");
	SV_IS(msg.uri, "sip:2222@192.168.20.130");
	CU_ASSERT_EQUAL(msg.n_hdrs, 14);
	CU_ASSERT_TRUE(sip_msg_call_id(&msg, &v));
	SV_IS(v, "20d1c8822125483494b04e47206cec19");
	CU_ASSERT_TRUE(sip_msg_from_tag(&msg, &v));
	SV_IS(v, "f4d037b84853411995abb70fdc4212b7");
	CU_ASSERT_FALSE(sip_msg_to_tag(&msg, &v));
	CU_ASSERT_TRUE(sip_msg_to_uri(&msg, &v));
	SV_IS(v, "sip:2222@192.168.20.130");
	CU_ASSERT_TRUE(sip_msg_cseq(&msg, &cseq, &v));
	CU_ASSERT_EQUAL(cseq, 14575);
	SV_IS(v, "INVITE");
	CU_ASSERT_TRUE(sip_msg_via_branch(&msg, &v));
	SV_IS(v, "z9hG4bKPj2a20854ccb4a47a8b1ac7ad4533c8726");
	CU_ASSERT_TRUE(sip_msg_via_transport(&msg, &v));
	SV_IS(v, "UDP");
	CU_ASSERT_TRUE(sip_msg_contact_uri(&msg, &v));
	SV_IS(v, "sip:1111@192.168.20.132:56330;ob");
	CU_ASSERT_TRUE(sip_msg_content_type(&msg, &v));
	SV_IS(v, "application/sdp");
	CU_ASSERT_TRUE(msg.has_content_length);
	CU_ASSERT_EQUAL(msg.content_length, 796);
	CU_ASSERT_EQUAL(msg.body.n, 796);
	CU_ASSERT_EQUAL(msg.msg_len, len);
	CU_ASSERT_EQUAL(msg.trailing, 0);
	CU_ASSERT_TRUE(sip_msg_header(&msg, "user-agent", &v));
	SV_IS(v, "MicroSIP/3.18.2");
	CU_ASSERT_EQUAL(sip_body_find_sdp(&msg, &v, &dg), SA_OK);
	CU_ASSERT_EQUAL(v.n, 796);
	sdp = malloc(sizeof *sdp);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sdp);
	CU_ASSERT_EQUAL(sdp_parse(v.p, v.n, sdp, NULL), SA_OK);
	CU_ASSERT_EQUAL(sdp->media[0].n_crypto, 4);
	SV_IS(sdp_media_crypto(sdp, &sdp->media[0], 2)->keys[0].key_b64,
	      "D2YmkapsLg7GhQkROWl3wLJxRXuRBhnHYVjq4nsO");
	free(sdp);
	/* As a stream message it frames the same way. */
	CU_ASSERT_EQUAL(sip_msg_parse(b, len, SIP_PARSE_STREAM, &msg, &dg), SA_OK);
	CU_ASSERT_EQUAL(msg.msg_len, len);
	free(b);
}

static void test_real_200(void)
{
	size_t len;
	uint8_t *b = load("voipshark-srtp-f84-200ok.txt", &len);
	struct sv v;
	uint32_t cseq;
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL(sip_msg_parse(b, len, SIP_PARSE_DATAGRAM, &msg, &dg), SA_OK);
	CU_ASSERT_FALSE(msg.is_request);
	CU_ASSERT_EQUAL(msg.status, 200);
	SV_IS(msg.reason, "OK");
	CU_ASSERT_TRUE(sip_msg_to_tag(&msg, &v));
	SV_IS(v, "548a513d-2f4e-41a9-90aa-facb25ea5b99");
	CU_ASSERT_TRUE(sip_msg_from_tag(&msg, &v));
	SV_IS(v, "f4d037b84853411995abb70fdc4212b7");
	CU_ASSERT_TRUE(sip_msg_cseq(&msg, &cseq, &v));
	CU_ASSERT_EQUAL(cseq, 14576);
	CU_ASSERT_TRUE(sip_msg_contact_uri(&msg, &v));
	SV_IS(v, "sip:192.168.20.130:5060");
	CU_ASSERT_EQUAL(msg.body.n, 350);
	CU_ASSERT_TRUE(sip_msg_header(&msg, "P-Asserted-Identity", &v));
	SV_IS(v, "\"Alice\" <sip:2222@192.168.20.130>");
	free(b);
}

/* JsSIP INVITE from the WebSocket capture: quoted display name, WS Via. */
static void test_real_ws_invite(void)
{
	size_t len;
	uint8_t *b = load("websocket-sip-f16-invite.txt", &len);
	struct sv v;
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL(sip_msg_parse(b, len, SIP_PARSE_DATAGRAM, &msg, &dg), SA_OK);
	CU_ASSERT_TRUE(sip_msg_from_tag(&msg, &v));
	SV_IS(v, "14kudbmrhq");
	CU_ASSERT_TRUE(sip_msg_from_uri(&msg, &v));
	SV_IS(v, "sip:4df78f98@tryit.jssip.net");
	CU_ASSERT_TRUE(sip_msg_via_transport(&msg, &v));
	SV_IS(v, "WS");
	CU_ASSERT_TRUE(sip_msg_via_branch(&msg, &v));
	SV_IS(v, "z9hG4bK5310011");
	CU_ASSERT_EQUAL(msg.body.n, 2538);
	free(b);
}

static void test_compact_and_folding(void)
{
	struct sv v;
	uint32_t n;
	CU_ASSERT_EQUAL(parse(
		"INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
		"v: SIP/2.0/TCP client.atlanta.example.com:5060;branch=z9hG4bK74bf9, SIP/2.0/UDP p2;branch=z9hG4bKother\r\n"
		"f: \"Alice, <A>\" <sip:alice@atlanta.example.com>;tag=9fxced76sl\r\n"
		"t: Bob <sip:bob@biloxi.example.com>\r\n"
		"i: 3848276298220188511@atlanta.example.com\r\n"
		"CSeq  :  2   INVITE\r\n"
		"Subject: I know you're there,\r\n"
		"  pick up the phone\r\n"
		"\t and talk to me!\r\n"
		"m: <sip:alice@client.atlanta.example.com;transport=tcp>;expires=60\r\n"
		"c: application/sdp\r\n"
		"x: 1800;refresher=uac\r\n"
		"k: timer\r\n"
		"l: 0\r\n"
		"\r\n", SIP_PARSE_STREAM), SA_OK);
	CU_ASSERT_EQUAL(msg.n_hdrs, 11);
	SV_IS(msg.hdrs[0].name, "Via");
	SV_IS(msg.hdrs[0].raw_name, "v");
	CU_ASSERT_TRUE(msg.hdrs[0].compact);
	CU_ASSERT_TRUE(sip_msg_via_branch(&msg, &v));
	SV_IS(v, "z9hG4bK74bf9"); /* the top Via only */
	CU_ASSERT_TRUE(sip_msg_via_transport(&msg, &v));
	SV_IS(v, "TCP");
	CU_ASSERT_TRUE(sip_msg_from_tag(&msg, &v));
	SV_IS(v, "9fxced76sl");
	CU_ASSERT_TRUE(sip_msg_from_uri(&msg, &v));
	SV_IS(v, "sip:alice@atlanta.example.com");
	CU_ASSERT_TRUE(sip_msg_call_id(&msg, &v));
	SV_IS(v, "3848276298220188511@atlanta.example.com");
	CU_ASSERT_TRUE(sip_msg_header(&msg, "i", &v)); /* compact lookup too */
	CU_ASSERT_TRUE(sip_msg_cseq(&msg, &n, &v));
	CU_ASSERT_EQUAL(n, 2);
	SV_IS(v, "INVITE");
	CU_ASSERT_TRUE(sip_msg_header(&msg, "subject", &v));
	SV_IS(v, "I know you're there,\r\n  pick up the phone\r\n\t and talk to me!");
	CU_ASSERT_TRUE(msg.hdrs[5].folded);
	CU_ASSERT_EQUAL(msg.hdrs[5].line, 7);
	CU_ASSERT_TRUE(sip_msg_contact_uri(&msg, &v));
	SV_IS(v, "sip:alice@client.atlanta.example.com;transport=tcp");
	CU_ASSERT_TRUE(sip_msg_header(&msg, "Session-Expires", &v));
	SV_IS(v, "1800;refresher=uac");
	CU_ASSERT_TRUE(sip_msg_header(&msg, "Supported", &v));
	CU_ASSERT_EQUAL(msg.content_length, 0);
	CU_ASSERT_EQUAL(msg.body.n, 0);
	CU_ASSERT_EQUAL(sip_body_find_sdp(&msg, &v, &dg), SA_UNSUPPORTED);
}

static void test_multipart(void)
{
	static const char body[] =
		"--unique-boundary-1\r\n"
		"Content-Type: application/ISUP;version=nxv3;base=etsi121\r\n"
		"Content-Disposition: signal;handling=optional\r\n"
		"\r\n"
		"\x01\x00\x49\x00\x00\x03\x02\x00\x07\x04\x10\x00\x33\x63\x21\x43\x00\x00\x03\r\n"
		"--unique-boundary-1\r\n"
		"Content-Type: application/sdp\r\n"
		"\r\n"
		"v=0\r\n"
		"o=- 1 1 IN IP4 192.0.2.1\r\n"
		"s=-\r\n"
		"c=IN IP4 192.0.2.1\r\n"
		"t=0 0\r\n"
		"m=audio 4000 RTP/SAVP 0\r\n"
		"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:D2YmkapsLg7GhQkROWl3wLJxRXuRBhnHYVjq4nsO\r\n"
		"\r\n"
		"--unique-boundary-1--\r\n";
	char m[2048];
	struct sv v = { NULL, 0 };
	int h = snprintf(m, sizeof m,
		 "INVITE sip:+1@gw SIP/2.0\r\nVia: SIP/2.0/UDP a;branch=z9hG4bK1\r\n"
		 "Call-ID: mp1\r\nCSeq: 1 INVITE\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\n"
		 "Content-Type: multipart/mixed; boundary=\"unique-boundary-1\"\r\n"
		 "Content-Length: %zu\r\n\r\n", sizeof body - 1);
	memcpy(m + h, body, sizeof body - 1); /* the ISUP part holds NUL bytes */
	CU_ASSERT_EQUAL(sip_msg_parse((uint8_t *)m, (size_t)h + sizeof body - 1, 0, &msg, &dg), SA_OK);
	CU_ASSERT_EQUAL(msg.body.n, sizeof body - 1);
	CU_ASSERT_EQUAL_FATAL(sip_body_find_sdp(&msg, &v, &dg), SA_OK);
	CU_ASSERT_TRUE(sv_starts_with_ci(v, "v=0\r\n"));
	/* the part ends before the CRLF that precedes the delimiter */
	CU_ASSERT_TRUE(v.n > 2 && v.p[v.n - 1] == '\n' && v.p[v.n - 3] == 'O');
	CU_ASSERT_EQUAL(sv_find(v, SV_LIT("--unique")), -1);
	/* no SDP part */
	snprintf(m, sizeof m,
		 "MESSAGE sip:x@y SIP/2.0\r\nContent-Type: multipart/alternative;boundary=b1\r\n\r\n"
		 "--b1\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b1--\r\n");
	CU_ASSERT_EQUAL(parse(m, SIP_PARSE_DATAGRAM), SA_OK);
	CU_ASSERT_EQUAL(sip_body_find_sdp(&msg, &v, &dg), SA_UNSUPPORTED);
	/* broken: boundary never appears */
	snprintf(m, sizeof m,
		 "MESSAGE sip:x@y SIP/2.0\r\nc: multipart/mixed;boundary=zz\r\n\r\nv=0\r\n");
	CU_ASSERT_EQUAL(parse(m, SIP_PARSE_DATAGRAM), SA_OK);
	CU_ASSERT_EQUAL(sip_body_find_sdp(&msg, &v, &dg), SA_MALFORMED);
	CU_ASSERT_TRUE(dg.set);
	/* gzip body is not decoded */
	CU_ASSERT_EQUAL(parse("INVITE sip:x@y SIP/2.0\r\nc: application/sdp\r\ne: gzip\r\n\r\nxx", 0), SA_OK);
	CU_ASSERT_EQUAL(sip_body_find_sdp(&msg, &v, &dg), SA_UNSUPPORTED);
}

static void test_content_length(void)
{
	/* absurd values */
	CU_ASSERT_EQUAL(parse("SIP/2.0 200 OK\r\nContent-Length: 99999999\r\n\r\n", SIP_PARSE_STREAM), SA_MALFORMED);
	CU_ASSERT_EQUAL(dg.line, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(dg.what, "exceeds the cap of 65536"));
	CU_ASSERT_EQUAL(parse("SIP/2.0 200 OK\r\nl: 99999999999999999999\r\n\r\n", SIP_PARSE_DATAGRAM), SA_MALFORMED);
	CU_ASSERT_PTR_NOT_NULL(strstr(dg.what, "not a number"));
	CU_ASSERT_EQUAL(parse("SIP/2.0 200 OK\r\nContent-Length: -1\r\n\r\n", SIP_PARSE_DATAGRAM), SA_MALFORMED);
	CU_ASSERT_EQUAL(parse("SIP/2.0 200 OK\r\nContent-Length: 3\r\nl: 4\r\n\r\nabcd", SIP_PARSE_DATAGRAM), SA_MALFORMED);
	CU_ASSERT_EQUAL(dg.line, 3);
	/* larger than what is there: truncated on a stream, malformed in a datagram */
	CU_ASSERT_EQUAL(parse("SIP/2.0 200 OK\r\nContent-Length: 10\r\n\r\nabc", SIP_PARSE_STREAM), SA_TRUNCATED);
	CU_ASSERT_EQUAL(parse("SIP/2.0 200 OK\r\nContent-Length: 10\r\n\r\nabc", SIP_PARSE_DATAGRAM), SA_MALFORMED);
	CU_ASSERT_PTR_NOT_NULL(strstr(dg.what, "only 3 body bytes"));
	/* shorter: the rest of the datagram is trailing */
	CU_ASSERT_EQUAL(parse("SIP/2.0 200 OK\r\nContent-Length: 2\r\n\r\nabc", SIP_PARSE_DATAGRAM), SA_OK);
	CU_ASSERT_EQUAL(msg.body.n, 2);
	CU_ASSERT_EQUAL(msg.trailing, 1);
	/* missing: rest of the datagram (RFC 3261 §18.3); 0 on a stream */
	CU_ASSERT_EQUAL(parse("SIP/2.0 200 OK\r\nVia: x\r\n\r\nabcdef", SIP_PARSE_DATAGRAM), SA_OK);
	CU_ASSERT_FALSE(msg.has_content_length);
	CU_ASSERT_EQUAL(msg.body.n, 6);
	CU_ASSERT_EQUAL(parse("SIP/2.0 200 OK\r\nVia: x\r\n\r\nabcdef", SIP_PARSE_STREAM), SA_OK);
	CU_ASSERT_EQUAL(msg.body.n, 0);
	CU_ASSERT_EQUAL(msg.msg_len, 26);
}

static void test_header_cap(void)
{
	char *m = malloc(300 * 16 + 100);
	size_t n = 0, i;
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	n += (size_t)sprintf(m + n, "OPTIONS sip:x SIP/2.0\r\n");
	for (i = 0; i < 300; i++)
		n += (size_t)sprintf(m + n, "X-H%zu: %zu\r\n", i, i);
	n += (size_t)sprintf(m + n, "\r\n");
	memset(&dg, 0, sizeof dg);
	CU_ASSERT_EQUAL(sip_msg_parse((uint8_t *)m, n, SIP_PARSE_DATAGRAM, &msg, &dg), SA_MALFORMED);
	CU_ASSERT_EQUAL(dg.line, 258); /* start line + 256 headers, then the 257th */
	CU_ASSERT_PTR_NOT_NULL(strstr(dg.what, "more than 256 headers"));
	free(m);
}

static void test_bad_input(void)
{
	static const uint8_t junk[] = { 0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03, '\n' };
	struct sv v;
	memset(&dg, 0, sizeof dg);
	CU_ASSERT_EQUAL(sip_msg_parse(junk, sizeof junk, SIP_PARSE_DATAGRAM, &msg, &dg), SA_MALFORMED);
	CU_ASSERT_TRUE(dg.set);
	CU_ASSERT_EQUAL(sip_msg_parse(junk, sizeof junk - 1, SIP_PARSE_DATAGRAM, &msg, &dg), SA_MALFORMED);
	CU_ASSERT_EQUAL(parse("\r\n\r\n", SIP_PARSE_DATAGRAM), SA_MALFORMED);
	CU_ASSERT_TRUE(sip_is_keepalive((const uint8_t *)"\r\n\r\n", 4));
	CU_ASSERT_FALSE(sip_is_keepalive((const uint8_t *)"\r\nx", 3));
	CU_ASSERT_EQUAL(parse("SIP/2.0 999 Huh\r\n\r\n", 0), SA_MALFORMED);
	CU_ASSERT_EQUAL(parse("SIP/2.0 20 OK\r\n\r\n", 0), SA_MALFORMED);
	CU_ASSERT_EQUAL(parse("INVITE sip:x SIP/3.0\r\n\r\n", 0), SA_MALFORMED);
	CU_ASSERT_EQUAL(parse("IN(VITE sip:x SIP/2.0\r\n\r\n", 0), SA_MALFORMED);
	CU_ASSERT_EQUAL(parse("INVITE SIP/2.0\r\n\r\n", 0), SA_MALFORMED);
	/* a header line without a colon: line number in the diag */
	CU_ASSERT_EQUAL(parse("INVITE sip:x SIP/2.0\r\nVia: a\r\nTo: b\r\nFrom: c\r\nbroken line\r\n\r\n", 0), SA_MALFORMED);
	CU_ASSERT_EQUAL(dg.line, 5);
	CU_ASSERT_EQUAL(dg.offset, 46);
	/* continuation without a header */
	CU_ASSERT_EQUAL(parse("INVITE sip:x SIP/2.0\r\n folded\r\n\r\n", 0), SA_MALFORMED);
	CU_ASSERT_EQUAL(dg.line, 2);
	/* header block not ended */
	CU_ASSERT_EQUAL(parse("INVITE sip:x SIP/2.0\r\nVia: a\r\n", SIP_PARSE_DATAGRAM), SA_MALFORMED);
	CU_ASSERT_EQUAL(parse("INVITE sip:x SIP/2.0\r\nVia: a\r\n", SIP_PARSE_STREAM), SA_TRUNCATED);
	/* missing Call-ID: the message parses, the accessor says no */
	CU_ASSERT_EQUAL(parse("BYE sip:x SIP/2.0\nVia: SIP/2.0/UDP h\nCSeq: 3 BYE\n\n", 0), SA_OK);
	CU_ASSERT_TRUE(msg.lf_only);
	CU_ASSERT_FALSE(sip_msg_call_id(&msg, &v));
	CU_ASSERT_FALSE(sip_msg_via_branch(&msg, &v));
	CU_ASSERT_FALSE(sip_msg_from_tag(&msg, &v));
	/* bad CSeq forms */
	CU_ASSERT_EQUAL(parse("BYE sip:x SIP/2.0\r\nCSeq: 2147483648 BYE\r\n\r\n", 0), SA_OK);
	CU_ASSERT_FALSE(sip_msg_cseq(&msg, &(uint32_t){ 0 }, &v));
	CU_ASSERT_EQUAL(parse("BYE sip:x SIP/2.0\r\nCSeq: 2 BYE extra\r\n\r\n", 0), SA_OK);
	CU_ASSERT_FALSE(sip_msg_cseq(&msg, &(uint32_t){ 0 }, &v));
	/* a line longer than the cap */
	{
		size_t n = SIP_MAX_LINE + 100, i;
		char *m = malloc(n + 40);
		CU_ASSERT_PTR_NOT_NULL_FATAL(m);
		i = (size_t)sprintf(m, "INVITE sip:x SIP/2.0\r\nX: ");
		memset(m + i, 'a', n);
		memcpy(m + i + n, "\r\n\r\n", 4);
		memset(&dg, 0, sizeof dg);
		CU_ASSERT_EQUAL(sip_msg_parse((uint8_t *)m, i + n + 4, 0, &msg, &dg), SA_MALFORMED);
		CU_ASSERT_EQUAL(dg.line, 2);
		free(m);
	}
}

/* Every prefix of a real INVITE: truncated as a stream, malformed as a
 * datagram, never a crash (run under the sanitizer build). */
static void test_truncated_prefixes(void)
{
	size_t len, i;
	uint8_t *b = load("voipshark-srtp-f84-200ok.txt", &len), *copy;
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	for (i = 0; i < len; i++) {
		copy = malloc(i ? i : 1);
		memcpy(copy, b, i);
		CU_ASSERT_EQUAL(sip_msg_parse(copy, i, SIP_PARSE_STREAM, &msg, &dg), SA_TRUNCATED);
		CU_ASSERT_EQUAL(sip_msg_parse(copy, i, SIP_PARSE_DATAGRAM, &msg, &dg), SA_MALFORMED);
		free(copy);
	}
	free(b);
}

/* ---- framer ---- */

#define MAX_OUT 16
static struct {
	uint8_t *m[MAX_OUT];
	size_t n[MAX_OUT];
	bool ws[MAX_OUT];
	size_t count;
} out;

static void out_reset(void)
{
	size_t i;
	for (i = 0; i < out.count && i < MAX_OUT; i++)
		free(out.m[i]);
	memset(&out, 0, sizeof out);
}

static void on_msg(void *ctx, const uint8_t *m, size_t n, bool ws)
{
	(void)ctx;
	if (out.count < MAX_OUT) {
		out.m[out.count] = malloc(n);
		memcpy(out.m[out.count], m, n);
		out.n[out.count] = n;
		out.ws[out.count] = ws;
	}
	out.count++;
}

static bool out_is(size_t i, const void *p, size_t n)
{
	return i < out.count && i < MAX_OUT && out.n[i] == n && memcmp(out.m[i], p, n) == 0;
}

static void test_frame_two_and_split(void)
{
	size_t l1, l2, k, total;
	uint8_t *a = load("voipshark-srtp-f55-invite.txt", &l1);
	uint8_t *b = load("voipshark-srtp-f84-200ok.txt", &l2);
	uint8_t *both;
	struct sip_framer *f;
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	/* "\r\n\r\n" keep-alive, message 1, "\r\n" keep-alive, message 2 */
	total = 4 + l1 + 2 + l2;
	both = malloc(total);
	memcpy(both, "\r\n\r\n", 4);
	memcpy(both + 4, a, l1);
	memcpy(both + 4 + l1, "\r\n", 2);
	memcpy(both + 6 + l1, b, l2);
	out_reset();
	f = sip_framer_new(on_msg, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(sip_framer_feed(f, both, total), SA_OK);
	CU_ASSERT_EQUAL(out.count, 2);
	CU_ASSERT_TRUE(out_is(0, a, l1));
	CU_ASSERT_TRUE(out_is(1, b, l2));
	CU_ASSERT_FALSE(out.ws[0]);
	CU_ASSERT_EQUAL(sip_framer_stats(f)->keepalives, 2);
	CU_ASSERT_EQUAL(sip_framer_stats(f)->messages, 2);
	sip_framer_free(f);
	/* split at every byte offset */
	for (k = 1; k < total; k++) {
		out_reset();
		f = sip_framer_new(on_msg, NULL);
		CU_ASSERT_EQUAL(sip_framer_feed(f, both, k), SA_OK);
		CU_ASSERT_EQUAL(sip_framer_feed(f, both + k, total - k), SA_OK);
		CU_ASSERT_EQUAL(out.count, 2);
		CU_ASSERT_TRUE(out_is(0, a, l1));
		CU_ASSERT_TRUE(out_is(1, b, l2));
		CU_ASSERT_EQUAL(sip_framer_stats(f)->garbage_bytes, 0);
		sip_framer_free(f);
	}
	/* byte by byte */
	out_reset();
	f = sip_framer_new(on_msg, NULL);
	for (k = 0; k < total; k++)
		CU_ASSERT_EQUAL(sip_framer_feed(f, both + k, 1), SA_OK);
	CU_ASSERT_EQUAL(out.count, 2);
	CU_ASSERT_TRUE(out_is(1, b, l2));
	sip_framer_free(f);
	/* a gap in the middle of message 1: resync at message 2 */
	out_reset();
	f = sip_framer_new(on_msg, NULL);
	CU_ASSERT_EQUAL(sip_framer_feed(f, both, 300), SA_OK);
	sip_framer_gap(f);
	CU_ASSERT_EQUAL(sip_framer_feed(f, both + 400, total - 400), SA_MALFORMED);
	CU_ASSERT_EQUAL(out.count, 1);
	CU_ASSERT_TRUE(out_is(0, b, l2));
	CU_ASSERT_EQUAL(sip_framer_stats(f)->gaps, 1);
	CU_ASSERT_EQUAL(sip_framer_stats(f)->resyncs, 1);
	sip_framer_free(f);
	free(both);
	free(a);
	free(b);
	out_reset();
}

static void test_frame_garbage_resync(void)
{
	static const char in[] =
		"\x16\x03\x01\x00\x05hello\x00\xff binary\r\n"
		"v=0\r\n"
		"HELLO world\r\n"
		"OPTIONS sip:x@y SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\nContent-Length: 4\r\n\r\nabcd"
		"SIP/2.0 200 OK\r\nl: 0\r\n\r\n"
		"SIP/2.0 200 OK\r\nCSeq: 1 OPTIONS\r\n\r\n";
	struct sip_framer *f = sip_framer_new(on_msg, NULL);
	const struct sip_frame_stats *st;
	out_reset();
	CU_ASSERT_EQUAL(sip_framer_feed(f, (const uint8_t *)in, sizeof in - 1), SA_MALFORMED);
	st = sip_framer_stats(f);
	CU_ASSERT_EQUAL(out.count, 3);
	CU_ASSERT_TRUE(out.count >= 1 && out.n[0] == 86 && memcmp(out.m[0], "OPTIONS", 7) == 0);
	CU_ASSERT_TRUE(out.count >= 1 && memcmp(out.m[0] + 82, "abcd", 4) == 0);
	CU_ASSERT_TRUE(out_is(1, "SIP/2.0 200 OK\r\nl: 0\r\n\r\n", 24));
	CU_ASSERT_EQUAL(st->garbage_bytes, 21 + 5 + 13);
	CU_ASSERT_EQUAL(st->resyncs, 1);
	CU_ASSERT_EQUAL(st->missing_length, 1);
	CU_ASSERT_NOT_EQUAL(sip_framer_last_error(f)[0], '\0');
	sip_framer_free(f);
	/* absurd Content-Length: skipped as garbage, the next message survives */
	f = sip_framer_new(on_msg, NULL);
	out_reset();
	CU_ASSERT_EQUAL(sip_framer_feed(f, (const uint8_t *)
		"SIP/2.0 200 OK\r\nContent-Length: 99999999\r\n\r\nSIP/2.0 180 Ringing\r\nl: 0\r\n\r\n", 73), SA_MALFORMED);
	CU_ASSERT_EQUAL(out.count, 1);
	CU_ASSERT_TRUE(out_is(0, "SIP/2.0 180 Ringing\r\nl: 0\r\n\r\n", 29));
	CU_ASSERT_EQUAL(sip_framer_stats(f)->bad_length, 1);
	sip_framer_free(f);
	/* a head that never ends stays bounded */
	{
		size_t n = SIP_MAX_HEAD + 5000, i;
		uint8_t *big = malloc(n);
		memcpy(big, "INVITE sip:x SIP/2.0\r\n", 22);
		for (i = 22; i + 8 <= n; i += 8)
			memcpy(big + i, "X: yyy\r\n", 8);
		f = sip_framer_new(on_msg, NULL);
		out_reset();
		CU_ASSERT_EQUAL(sip_framer_feed(f, big, i), SA_MALFORMED);
		CU_ASSERT_EQUAL(out.count, 0);
		CU_ASSERT_TRUE(sip_framer_stats(f)->garbage_bytes > 0);
		sip_framer_free(f);
		free(big);
	}
	out_reset();
}

/* Build one RFC 6455 frame. */
static size_t ws_frame(uint8_t *dst, uint8_t b0, const void *payload, size_t n,
		       const uint8_t *key, int lenform)
{
	size_t h = 0, i;
	dst[h++] = b0;
	if (lenform == 7) {
		dst[h++] = (uint8_t)((key ? 0x80 : 0) | n);
	} else if (lenform == 16) {
		dst[h++] = (uint8_t)((key ? 0x80 : 0) | 126);
		dst[h++] = (uint8_t)(n >> 8);
		dst[h++] = (uint8_t)n;
	} else {
		dst[h++] = (uint8_t)((key ? 0x80 : 0) | 127);
		for (i = 0; i < 8; i++)
			dst[h++] = (uint8_t)((uint64_t)n >> (56 - 8 * i));
	}
	if (key) {
		memcpy(dst + h, key, 4);
		h += 4;
	}
	for (i = 0; i < n; i++)
		dst[h + i] = (uint8_t)(((const uint8_t *)payload)[i] ^ (key ? key[i % 4] : 0));
	return h + n;
}

static void test_frame_websocket_synthetic(void)
{
	static const char opt[] = "OPTIONS sip:x@y SIP/2.0\r\nVia: SIP/2.0/WS h;branch=z9hG4bK9\r\n\r\n";
	static const uint8_t key[4] = { 0x37, 0xfa, 0x21, 0x3d };
	static const char up[] = "GET / HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
				 "Sec-WebSocket-Protocol: sip\r\n\r\n";
	uint8_t buf[4096];
	size_t n = 0, k, third = (sizeof opt - 1) / 3;
	char large[300];
	struct sip_framer *f;
	memset(large, 0, sizeof large);
	snprintf(large, sizeof large, "SIP/2.0 200 OK\r\nX-Pad: %0200d\r\n\r\n", 7);
	memcpy(buf, up, sizeof up - 1);
	n = sizeof up - 1;
	n += ws_frame(buf + n, 0x81, opt, sizeof opt - 1, key, 7);              /* 7-bit, masked, text */
	n += ws_frame(buf + n, 0x82, large, strlen(large), key, 16);            /* 16-bit, masked, binary */
	n += ws_frame(buf + n, 0x01, opt, third, key, 7);                       /* fragmented: first */
	n += ws_frame(buf + n, 0x89, "ping", 4, key, 7);                        /* ping in between */
	n += ws_frame(buf + n, 0x00, opt + third, third, key, 7);               /* continuation */
	n += ws_frame(buf + n, 0x80, opt + 2 * third, sizeof opt - 1 - 2 * third, key, 64); /* last, 64-bit */
	n += ws_frame(buf + n, 0x81, "\r\n\r\n", 4, key, 7);                    /* keep-alive */
	n += ws_frame(buf + n, 0x88, "\x03\xe8", 2, key, 7);                    /* close */
	for (k = 1; k < n; k += 7) {
		out_reset();
		f = sip_framer_new(on_msg, NULL);
		CU_ASSERT_EQUAL(sip_framer_feed(f, buf, k), SA_OK);
		CU_ASSERT_EQUAL(sip_framer_feed(f, buf + k, n - k), SA_OK);
		CU_ASSERT_EQUAL(out.count, 3);
		CU_ASSERT_TRUE(out_is(0, opt, sizeof opt - 1));
		CU_ASSERT_TRUE(out_is(1, large, strlen(large)));
		CU_ASSERT_TRUE(out_is(2, opt, sizeof opt - 1));
		CU_ASSERT_TRUE(out.ws[0] && out.ws[2]);
		CU_ASSERT_EQUAL(sip_framer_stats(f)->ws_upgrades, 1);
		CU_ASSERT_TRUE(sip_framer_stats(f)->ws_sip_protocol);
		CU_ASSERT_EQUAL(sip_framer_stats(f)->ws_frames, 8);
		CU_ASSERT_EQUAL(sip_framer_stats(f)->ws_control, 2);
		CU_ASSERT_EQUAL(sip_framer_stats(f)->keepalives, 1);
		CU_ASSERT_EQUAL(sip_framer_mode(f), SIP_FRAME_MODE_WS_CLOSED);
		sip_framer_free(f);
	}
	/* bad frames: RSV bit (deflate) and an orphan continuation */
	f = sip_framer_new(on_msg, NULL);
	out_reset();
	sip_framer_set_websocket(f);
	n = ws_frame(buf, 0xc1, opt, sizeof opt - 1, key, 7);
	n += ws_frame(buf + n, 0x80, opt, sizeof opt - 1, key, 7);
	n += ws_frame(buf + n, 0x81, opt, sizeof opt - 1, key, 7);
	CU_ASSERT_EQUAL(sip_framer_feed(f, buf, n), SA_MALFORMED);
	CU_ASSERT_EQUAL(out.count, 1); /* resynchronised at the good frame */
	CU_ASSERT_TRUE(out_is(0, opt, sizeof opt - 1));
	CU_ASSERT_TRUE(sip_framer_stats(f)->ws_errors >= 1);
	sip_framer_free(f);
	/* mid-connection start: an unmasked frame with SIP is recognised */
	f = sip_framer_new(on_msg, NULL);
	out_reset();
	n = ws_frame(buf, 0x81, opt, sizeof opt - 1, NULL, 7);
	CU_ASSERT_EQUAL(sip_framer_feed(f, buf, n), SA_OK);
	CU_ASSERT_EQUAL(out.count, 1);
	CU_ASSERT_EQUAL(sip_framer_mode(f), SIP_FRAME_MODE_WS);
	sip_framer_free(f);
	out_reset();
}

/* The real JsSIP <-> OverSIP TCP streams of wireshark-notes_websocket-sip.pcapng. */
static void test_frame_websocket_real(void)
{
	size_t lc, ls, li, lo, k;
	uint8_t *cli = load("websocket-sip-client-stream.bin", &lc);
	uint8_t *srv = load("websocket-sip-server-stream.bin", &ls);
	uint8_t *inv = load("websocket-sip-f16-invite.txt", &li);
	uint8_t *ok = load("websocket-sip-f28-200ok.txt", &lo);
	struct sip_framer *f;
	CU_ASSERT_PTR_NOT_NULL_FATAL(cli);
	CU_ASSERT_PTR_NOT_NULL_FATAL(srv);
	CU_ASSERT_PTR_NOT_NULL_FATAL(inv);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ok);
	/* client: GET upgrade, REGISTER, MESSAGE, INVITE, ACK, 200 (BYE), close */
	out_reset();
	f = sip_framer_new(on_msg, NULL);
	CU_ASSERT_EQUAL(sip_framer_feed(f, cli, lc), SA_OK);
	CU_ASSERT_EQUAL(out.count, 5);
	CU_ASSERT_TRUE(out.count > 0 && memcmp(out.m[0], "REGISTER ", 9) == 0);
	CU_ASSERT_TRUE(out_is(2, inv, li));
	CU_ASSERT_TRUE(out.count > 4 && memcmp(out.m[4], "SIP/2.0 200 OK", 14) == 0);
	CU_ASSERT_EQUAL(sip_framer_stats(f)->ws_upgrades, 1);
	CU_ASSERT_TRUE(sip_framer_stats(f)->ws_sip_protocol);
	CU_ASSERT_EQUAL(sip_framer_stats(f)->ws_frames, 6);
	CU_ASSERT_EQUAL(sip_framer_mode(f), SIP_FRAME_MODE_WS_CLOSED);
	sip_framer_free(f);
	/* server: 101, 200 (REGISTER), 200 (MESSAGE), 100, 180, 200 (INVITE), BYE, close */
	for (k = 0; k < 2; k++) {
		size_t i;
		out_reset();
		f = sip_framer_new(on_msg, NULL);
		if (k == 0) {
			CU_ASSERT_EQUAL(sip_framer_feed(f, srv, ls), SA_OK);
		} else {
			for (i = 0; i < ls; i++)
				CU_ASSERT_EQUAL(sip_framer_feed(f, srv + i, 1), SA_OK);
		}
		CU_ASSERT_EQUAL(out.count, 6);
		CU_ASSERT_TRUE(out_is(4, ok, lo));
		CU_ASSERT_TRUE(out.count > 5 && memcmp(out.m[5], "BYE ", 4) == 0);
		CU_ASSERT_EQUAL(sip_framer_stats(f)->http_messages, 1);
		CU_ASSERT_EQUAL(sip_framer_stats(f)->garbage_bytes, 0);
		sip_framer_free(f);
	}
	/* the emitted messages parse as datagrams */
	CU_ASSERT_EQUAL(sip_msg_parse(out.m[4], out.n[4], SIP_PARSE_DATAGRAM, &msg, &dg), SA_OK);
	CU_ASSERT_EQUAL(msg.body.n, 2715);
	free(cli);
	free(srv);
	free(inv);
	free(ok);
	out_reset();
}

static const CU_TestInfo tests[] = {
	{ "real INVITE (voipshark frame 55)", test_real_invite },
	{ "real 200 OK (voipshark frame 84)", test_real_200 },
	{ "real JsSIP INVITE over WebSocket", test_real_ws_invite },
	{ "compact headers and folding", test_compact_and_folding },
	{ "multipart bodies", test_multipart },
	{ "Content-Length rules", test_content_length },
	{ "300 headers hit the cap", test_header_cap },
	{ "binary junk and bad lines", test_bad_input },
	{ "truncated prefixes", test_truncated_prefixes },
	{ "framer: two messages, every split, gap", test_frame_two_and_split },
	{ "framer: garbage and resync", test_frame_garbage_resync },
	{ "framer: WebSocket frames", test_frame_websocket_synthetic },
	{ "framer: real WebSocket streams", test_frame_websocket_real },
	CU_TEST_INFO_NULL,
};

#define SUITE_NAME "sip"
#include "cu_main.h"
