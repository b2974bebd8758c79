/* test_demux.c - CUnit suite for demux.h (RFC 7983/9443 first-byte
 * classification and the DTLS heuristic). */
#include <CUnit/CUnit.h>
#include <string.h>

#include "demux.h"
#include "text.h"

static size_t hex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	CU_ASSERT_FATAL(sv_hex_decode(sv_cstr(s), out, cap, &n));
	return n;
}

/* zeek webrtc-stun.pcap frame 1: a Chrome ICE connectivity check
 * (Binding request with USERNAME, PRIORITY, ICE-CONTROLLING, ...). */
static const char zeek_f1_stun[] =
	"000100582112a4422598a65b9710b89865bc344000060019547735586d47414254553535"
	"753646323a333165353862623600000000250000002400046e7f00ff802a00089e681f4a"
	"7b38b1cc000800147320f87b2afd14aae987eac3a85b6bcb31cea55080280004287c8926";
/* zeek webrtc-stun.pcap frame 14: ChangeCipherSpec + encrypted Finished. */
static const char zeek_f14_dtls[] =
	"14feff000000000000000500010116feff00010000000000000040839f896403d1c433d7"
	"79d4b08645205efb670150f9e045d96796a973be57ffbd863427051d729c592e0be1e092"
	"5a2869c04e1c88380dab28b9bff5eb09742812";

static void test_stun(void)
{
	uint8_t b[256];
	struct demux_info info;
	size_t n = hex(zeek_f1_stun, b, sizeof b);

	CU_ASSERT_EQUAL(n, 108);
	CU_ASSERT_EQUAL(demux_classify(b, n, &info), DEMUX_STUN);
	CU_ASSERT_TRUE(info.stun_cookie);
	CU_ASSERT_EQUAL(info.stun_type, 0x0001);
	CU_ASSERT_EQUAL(info.stun_method, 1);
	CU_ASSERT_EQUAL(info.stun_class, 0);
	CU_ASSERT_TRUE(info.stun_ice_check);
	/* one byte short: the length field no longer matches */
	CU_ASSERT_EQUAL(demux_classify(b, n - 1, &info), DEMUX_OTHER);
	/* a broken attribute length inside */
	b[20 + 3] = 0xF0;
	CU_ASSERT_EQUAL(demux_classify(b, n, NULL), DEMUX_OTHER);

	/* Binding success response 0x0101 with a 4-byte attribute */
	{
		static const uint8_t resp[] = {
			0x01, 0x01, 0x00, 0x08, 0x21, 0x12, 0xA4, 0x42, 1, 2, 3, 4, 5, 6,
			7, 8, 9, 10, 11, 12, 0x80, 0x22, 0x00, 0x03, 'a', 'b', 'c', 0x00,
		};
		CU_ASSERT_EQUAL(demux_classify(resp, sizeof resp, &info), DEMUX_STUN);
		CU_ASSERT_EQUAL(info.stun_class, 2);
		CU_ASSERT_EQUAL(info.stun_method, 1);
		CU_ASSERT_FALSE(info.stun_ice_check);
	}
	/* RFC 3489 classic Binding request: no cookie, 16-byte id */
	{
		uint8_t classic[20] = { 0x00, 0x01, 0x00, 0x00, 0xDE, 0xAD, 0xBE, 0xEF };
		CU_ASSERT_EQUAL(demux_classify(classic, sizeof classic, &info), DEMUX_STUN);
		CU_ASSERT_FALSE(info.stun_cookie);
		/* without the cookie only RFC 3489 types are accepted */
		classic[1] = 0x03;
		CU_ASSERT_EQUAL(demux_classify(classic, sizeof classic, &info), DEMUX_OTHER);
	}
	/* 19 bytes: too short for a header */
	CU_ASSERT_EQUAL(demux_classify(b, 19, NULL), DEMUX_OTHER);
}

static void test_dtls(void)
{
	uint8_t b[256];
	struct demux_info info;
	size_t n = hex(zeek_f14_dtls, b, sizeof b);

	CU_ASSERT_EQUAL(n, 91);
	CU_ASSERT_EQUAL(demux_classify(b, n, &info), DEMUX_DTLS);
	CU_ASSERT_EQUAL(info.dtls_content_type, 20);
	CU_ASSERT_EQUAL(info.dtls_version, 0xFEFF);
	CU_ASSERT_FALSE(info.dtls13_unified);
	CU_ASSERT_TRUE(demux_looks_like_dtls(b, n));
	/* cut inside the second record */
	CU_ASSERT_FALSE(demux_looks_like_dtls(b, n - 1));
	/* trailing junk after the last record */
	b[n] = 0x17;
	CU_ASSERT_FALSE(demux_looks_like_dtls(b, n + 1));
	/* CCS body must be 1 */
	b[13] = 2;
	CU_ASSERT_FALSE(demux_looks_like_dtls(b, n));
	b[13] = 1;
	/* TLS version instead of DTLS */
	b[1] = 0x03;
	b[2] = 0x03;
	CU_ASSERT_EQUAL(demux_classify(b, n, NULL), DEMUX_OTHER);
	CU_ASSERT_FALSE(demux_looks_like_dtls(b, n));
	b[1] = 0xFE;
	b[2] = 0xFD;
	CU_ASSERT_EQUAL(demux_classify(b, n, NULL), DEMUX_DTLS);
	/* content type 27 is in the DTLS range but not a content type */
	b[0] = 27;
	CU_ASSERT_EQUAL(demux_classify(b, n, NULL), DEMUX_OTHER);

	/* A hand-made ClientHello fragment: header consistent ... */
	{
		uint8_t ch[13 + 12 + 4] = {
			0x16, 0xFE, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0, 16,
			0x01, 0, 0, 40, 0, 0, 0, 0, 0, 0, 0, 4, 0xFE, 0xFD, 1, 2,
		};
		CU_ASSERT_TRUE(demux_looks_like_dtls(ch, sizeof ch));
		/* ... but a fragment past the message length is not DTLS */
		ch[13 + 8] = 38;
		CU_ASSERT_FALSE(demux_looks_like_dtls(ch, sizeof ch));
		ch[13 + 8] = 0;
		/* an unknown handshake type is not either */
		ch[13] = 99;
		CU_ASSERT_FALSE(demux_looks_like_dtls(ch, sizeof ch));
	}
	/* DTLS 1.3 unified header (001CSLEE = 0x2D: S=1, L=1, epoch 1) */
	{
		static const uint8_t u[] = { 0x2D, 0x00, 0x07, 0x00, 0x03, 0xAA, 0xBB, 0xCC };
		CU_ASSERT_EQUAL(demux_classify(u, sizeof u, &info), DEMUX_DTLS);
		CU_ASSERT_TRUE(info.dtls13_unified);
		/* alone it is too weak for the heuristic */
		CU_ASSERT_FALSE(demux_looks_like_dtls(u, sizeof u));
	}
	/* STUN and RTP are never DTLS for the heuristic */
	n = hex(zeek_f1_stun, b, sizeof b);
	CU_ASSERT_FALSE(demux_looks_like_dtls(b, n));
}

static void test_rtp_rtcp(void)
{
	/* RTP PCMU, seq 1, ts 160, ssrc 0x11223344 */
	uint8_t rtp[12 + 4] = { 0x80, 0x00, 0x00, 0x01, 0, 0, 0, 160, 0x11, 0x22, 0x33, 0x44 };
	/* RTCP SR: V=2 RC=0 PT=200 length=6 (28 bytes) */
	uint8_t rtcp[28] = { 0x80, 200, 0x00, 0x06, 0x11, 0x22, 0x33, 0x44 };
	struct demux_info info;

	CU_ASSERT_EQUAL(demux_classify(rtp, sizeof rtp, &info), DEMUX_RTP);
	CU_ASSERT_EQUAL(info.rtp_pt, 0);
	/* PT 96 with the marker: second byte 0xE0 = 224 stays RTP */
	rtp[1] = 0xE0;
	CU_ASSERT_EQUAL(demux_classify(rtp, sizeof rtp, &info), DEMUX_RTP);
	CU_ASSERT_EQUAL(info.rtp_pt, 96);
	/* PT 72 with the marker (0xC8) is indistinguishable from RTCP SR:
	 * RFC 5761 §4 says RTCP */
	rtp[1] = 0xC8;
	rtp[2] = 0;
	rtp[3] = 2;
	CU_ASSERT_EQUAL(demux_classify(rtp, sizeof rtp, &info), DEMUX_RTCP);
	/* 15 CSRCs do not fit in 16 bytes */
	rtp[0] = 0x8F;
	rtp[1] = 0;
	CU_ASSERT_EQUAL(demux_classify(rtp, sizeof rtp, NULL), DEMUX_OTHER);

	CU_ASSERT_EQUAL(demux_classify(rtcp, sizeof rtcp, &info), DEMUX_RTCP);
	CU_ASSERT_EQUAL(info.rtcp_pt, 200);
	/* RR (201) with SRTCP trailer bytes after it: still RTCP */
	rtcp[1] = 201;
	rtcp[3] = 1;
	CU_ASSERT_EQUAL(demux_classify(rtcp, sizeof rtcp, &info), DEMUX_RTCP);
	CU_ASSERT_EQUAL(info.rtcp_pt, 201);
	/* length claims more than the datagram */
	rtcp[3] = 20;
	CU_ASSERT_EQUAL(demux_classify(rtcp, sizeof rtcp, NULL), DEMUX_OTHER);
	/* version 3 (first byte 0xC0) is QUIC's range, not RTP */
	rtcp[0] = 0xC0;
	rtcp[3] = 1;
	CU_ASSERT_EQUAL(demux_classify(rtcp, sizeof rtcp, NULL), DEMUX_OTHER);
}

static void test_turn_zrtp_other(void)
{
	/* ChannelData 0x4001, 5 bytes of data, 3 bytes of padding */
	uint8_t cd[4 + 8] = { 0x40, 0x01, 0x00, 0x05, 0x80, 0x00, 0x00, 0x01, 0x00 };
	uint8_t zrtp[28] = { 0x10, 0x00, 0x00, 0x01, 'Z', 'R', 'T', 'P' };
	struct demux_info info;
	static const uint8_t drop[] = { 0x05, 1, 2, 3, 4, 5, 6, 7 };

	CU_ASSERT_EQUAL(demux_classify(cd, sizeof cd, &info), DEMUX_TURN_CHANNEL);
	CU_ASSERT_EQUAL(info.channel, 0x4001);
	CU_ASSERT_EQUAL(info.channel_len, 5);
	CU_ASSERT_PTR_EQUAL(info.channel_payload, cd + 4);
	/* no padding also fits */
	CU_ASSERT_EQUAL(demux_classify(cd, 9, NULL), DEMUX_TURN_CHANNEL);
	/* length past the end */
	CU_ASSERT_EQUAL(demux_classify(cd, 8, NULL), DEMUX_OTHER);
	/* 4 extra bytes is not padding */
	cd[3] = 4;
	CU_ASSERT_EQUAL(demux_classify(cd, sizeof cd, NULL), DEMUX_OTHER);

	CU_ASSERT_EQUAL(demux_classify(zrtp, sizeof zrtp, NULL), DEMUX_ZRTP);
	zrtp[4] = 'X';
	CU_ASSERT_EQUAL(demux_classify(zrtp, sizeof zrtp, NULL), DEMUX_OTHER);

	CU_ASSERT_EQUAL(demux_classify(drop, sizeof drop, &info), DEMUX_OTHER);
	CU_ASSERT_EQUAL(info.kind, DEMUX_OTHER);
	CU_ASSERT_EQUAL(demux_classify(NULL, 0, NULL), DEMUX_OTHER);
	CU_ASSERT_STRING_EQUAL(demux_kind_name(DEMUX_TURN_CHANNEL), "turn-channel");
	CU_ASSERT_STRING_EQUAL(demux_kind_name(DEMUX_RTCP), "rtcp");
}

static const CU_TestInfo tests[] = {
	{ "stun", test_stun },
	{ "dtls", test_dtls },
	{ "rtp_rtcp", test_rtp_rtcp },
	{ "turn_zrtp_other", test_turn_zrtp_other },
	CU_TEST_INFO_NULL,
};

#define SUITE_NAME "demux"
#include "cu_main.h"
