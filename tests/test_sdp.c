/* test_sdp.c - CUnit suite for sdp.h on real SDP bodies (tests/data/sdp,
 * see fixtures/PROVENANCE.md) and on generated edge cases. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sdp.h"
#include "testutil.h"

#ifndef SA_TOP_SRCDIR
#define SA_TOP_SRCDIR "."
#endif

static struct sdp *s;        /* large: on the heap */
static struct sdp_errors errs;
static char *text;
static size_t text_len;

static char *load(const char *rel, size_t *len)
{
	char path[1024];
	return (char *)tu_slurp(tu_srcpath(rel, path, sizeof path), len);
}

/* Parse a data file; the text stays alive until the next call. */
static enum sa_status parse_file(const char *name)
{
	char rel[256];
	free(text);
	snprintf(rel, sizeof rel, "tests/data/sdp/%s", name);
	text = load(rel, &text_len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	memset(&errs, 0, sizeof errs);
	return sdp_parse(text, text_len, s, &errs);
}

static enum sa_status parse_str(const char *str)
{
	memset(&errs, 0, sizeof errs);
	return sdp_parse(str, strlen(str), s, &errs);
}

static const struct sdp_error *find_err(const char *code)
{
	size_t i;
	for (i = 0; i < errs.n; i++)
		if (strcmp(errs.e[i].code, code) == 0)
			return &errs.e[i];
	return NULL;
}

static bool fp_is(const struct sdp_fingerprint *fp, const char *hexstr)
{
	uint8_t want[64];
	size_t n;
	if (!sv_hex_decode(sv_cstr(hexstr), want, sizeof want, &n))
		return false;
	return fp->ok && fp->len == n && memcmp(fp->bytes, want, n) == 0;
}

/* Frame 55: MicroSIP offer with 4 a=crypto (MANIFEST keys). */
static void test_voipshark_offer(void)
{
	const struct sdp_media *m;
	const struct sdes_crypto *c;
	const struct sdp_conn *conn;
	struct sv v;
	CU_ASSERT_EQUAL(parse_file("voipshark-srtp-f55-offer.sdp"), SA_OK);
	CU_ASSERT_EQUAL(errs.n, 0);
	CU_ASSERT_EQUAL(s->n_lines, 22);
	CU_ASSERT_TRUE(s->crlf);
	CU_ASSERT_FALSE(s->lf_only);
	CU_ASSERT_EQUAL(s->origin.sess_version_num, 3732317048u);
	CU_ASSERT_TRUE(sv_eq(s->session_name, SV_LIT("pjmedia")));
	CU_ASSERT_EQUAL(s->sess.n_bw, 1);
	CU_ASSERT_EQUAL(s->sess.bw[0].value, 84);
	CU_ASSERT_TRUE(sv_eq(s->sess.attrs[0].name, SV_LIT("X-nat"))); /* unknown, kept */
	CU_ASSERT_EQUAL_FATAL(s->n_media, 1);
	m = &s->media[0];
	CU_ASSERT_TRUE(sv_eq(m->media, SV_LIT("audio")));
	CU_ASSERT_EQUAL(m->port, 4000);
	CU_ASSERT_TRUE(sv_eq(m->proto, SV_LIT("RTP/SAVP")));
	CU_ASSERT_EQUAL(m->n_fmts, 4);
	CU_ASSERT_TRUE(sv_eq(m->fmts[0], SV_LIT("123")));
	conn = sdp_media_connection(s, m);
	CU_ASSERT_PTR_NOT_NULL_FATAL(conn);
	CU_ASSERT_TRUE(sv_eq(conn->addr, SV_LIT("192.168.20.132")));
	CU_ASSERT_TRUE(m->rtcp.present);
	CU_ASSERT_EQUAL(m->rtcp.port, 4001);
	CU_ASSERT_TRUE(sv_eq(m->rtcp.conn.addr, SV_LIT("192.168.20.132")));
	CU_ASSERT_EQUAL(sdp_media_direction(s, m), SDP_DIR_SENDRECV);
	CU_ASSERT_EQUAL(m->n_rtpmap, 4);
	CU_ASSERT_EQUAL(m->rtpmap[0].pt, 123);
	CU_ASSERT_TRUE(sv_eq(m->rtpmap[0].encoding, SV_LIT("opus")));
	CU_ASSERT_EQUAL(m->rtpmap[0].clock, 48000);
	CU_ASSERT_TRUE(sv_eq(m->rtpmap[0].params, SV_LIT("2")));
	CU_ASSERT_EQUAL(m->n_fmtp, 2);
	CU_ASSERT_EQUAL(m->n_ssrc, 1);
	CU_ASSERT_EQUAL(m->ssrc[0].ssrc, 1417244866u);
	CU_ASSERT_TRUE(sv_eq(m->ssrc[0].attr, SV_LIT("cname")));
	CU_ASSERT_EQUAL(m->n_crypto, 4);
	c = sdp_media_crypto(s, m, 2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(c->tag, 3);
	CU_ASSERT_STRING_EQUAL(c->suite->name, "AES_CM_128_HMAC_SHA1_80");
	CU_ASSERT_TRUE(sv_eq(c->keys[0].key_b64, SV_LIT("D2YmkapsLg7GhQkROWl3wLJxRXuRBhnHYVjq4nsO")));
	CU_ASSERT_EQUAL(c->keys[0].key[0], 0x0f);
	CU_ASSERT_EQUAL(c->keys[0].key[29], 0x0e);
	c = sdp_media_crypto(s, m, 0);
	CU_ASSERT_STRING_EQUAL(c->suite->name, "AES_256_CM_HMAC_SHA1_80");
	CU_ASSERT_EQUAL(c->keys[0].key_len, 46);
	CU_ASSERT_PTR_NULL(sdp_media_crypto(s, m, 4));
	CU_ASSERT_EQUAL(sdp_media_setup(s, m), SDP_SETUP_NONE);
	CU_ASSERT_TRUE(sdp_media_find_attr(m, "fmtp", &v));
	CU_ASSERT_TRUE(sv_eq(v, SV_LIT("123 maxplaybackrate=24000")));
	/* Frame 59 (the INVITE resent with credentials) offers the same keys. */
	CU_ASSERT_EQUAL(parse_file("voipshark-srtp-f59-offer.sdp"), SA_OK);
	c = sdp_media_crypto(s, &s->media[0], 2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_TRUE(sv_eq(c->keys[0].key_b64, SV_LIT("D2YmkapsLg7GhQkROWl3wLJxRXuRBhnHYVjq4nsO")));
	CU_ASSERT_EQUAL(sdp_media_crypto(s, &s->media[0], 3)->tag, 4);
}

/* Frame 84: Asterisk's answer, tag 3, session-level c=. */
static void test_asterisk_answer(void)
{
	const struct sdp_media *m;
	const struct sdes_crypto *c;
	CU_ASSERT_EQUAL(parse_file("voipshark-srtp-f84-answer.sdp"), SA_OK);
	CU_ASSERT_EQUAL_FATAL(s->n_media, 1);
	m = &s->media[0];
	CU_ASSERT_FALSE(m->lvl.conn.present);
	CU_ASSERT_TRUE(sv_eq(sdp_media_connection(s, m)->addr, SV_LIT("192.168.20.130")));
	CU_ASSERT_EQUAL(m->port, 14708);
	CU_ASSERT_EQUAL(m->n_crypto, 1);
	c = sdp_media_crypto(s, m, 0);
	CU_ASSERT_EQUAL(c->tag, 3);
	CU_ASSERT_TRUE(sv_eq(c->keys[0].key_b64, SV_LIT("oFDqZSB4m17urfnVpfws4X4v2HHt8IGX/3BO4L8L")));
	CU_ASSERT_EQUAL(c->keys[0].key[0], 0xa0);
	CU_ASSERT_EQUAL(c->keys[0].key[1], 0x50);
	CU_ASSERT_TRUE(c->keys[0].key_ok);
	/* Leg 2 keys (frames 62 and 82). */
	CU_ASSERT_EQUAL(parse_file("voipshark-srtp-f62-offer.sdp"), SA_OK);
	c = sdp_media_crypto(s, &s->media[0], 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_TRUE(sv_eq(c->keys[0].key_b64, SV_LIT("+PmjSa8ZRO+QtCcuylYCwJTY1RBdQez7NjnsfAAu")));
	CU_ASSERT_EQUAL(c->keys[0].key[0], 0xf8);
	CU_ASSERT_EQUAL(parse_file("voipshark-srtp-f82-answer.sdp"), SA_OK);
	c = sdp_media_crypto(s, &s->media[0], 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_TRUE(sv_eq(c->keys[0].key_b64, SV_LIT("OCOUoOqvvrHLb4I+oqkats63PQnR9gUCxE00VQzk")));
}

/* JsSIP offer over WebSocket: BUNDLE, candidates, fingerprint, actpass. */
static void test_jssip_offer(void)
{
	const struct sdp_group *g;
	const struct sdp_fingerprint *fp;
	const struct sdp_media *m;
	size_t n;
	CU_ASSERT_EQUAL(parse_file("jssip-f16-offer.sdp"), SA_OK);
	CU_ASSERT_EQUAL(errs.n, 0);
	g = sdp_find_bundle(s);
	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	CU_ASSERT_EQUAL(g->n_mids, 2);
	CU_ASSERT_TRUE(sv_eq(g->mids[0], SV_LIT("audio")));
	CU_ASSERT_TRUE(sv_eq(g->mids[1], SV_LIT("video")));
	CU_ASSERT_EQUAL_FATAL(s->n_media, 2);
	m = &s->media[0];
	CU_ASSERT_TRUE(sv_eq(m->mid, SV_LIT("audio")));
	CU_ASSERT_EQUAL(m->n_cand, 4);
	CU_ASSERT_EQUAL(m->cand[0].component, 1);
	CU_ASSERT_EQUAL(m->cand[0].priority, 2122260223u);
	CU_ASSERT_EQUAL(m->cand[0].port, 56158);
	CU_ASSERT_TRUE(sv_eq(m->cand[2].transport, SV_LIT("tcp")));
	CU_ASSERT_TRUE(sv_eq(m->cand[0].typ, SV_LIT("host")));
	CU_ASSERT_EQUAL(sdp_media_setup(s, m), SDP_SETUP_ACTPASS);
	CU_ASSERT_TRUE(sdp_media_rtcp_mux(s, m));
	fp = sdp_media_fingerprints(s, m, &n);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_TRUE(sv_eq(fp[0].hash, SV_LIT("sha-256")));
	CU_ASSERT_TRUE(fp_is(&fp[0], "AC5B7E8624ED104AD6863B05B78BEC7D7D585ADEE64827D0D10E585119F689BC"));
	CU_ASSERT_FALSE(fp[0].lower_hex);
	CU_ASSERT_FALSE(fp[0].space_after_colon);
	CU_ASSERT_EQUAL(sdp_fingerprint_hash_len(fp[0].hash), fp[0].len);
	CU_ASSERT_TRUE(sv_eq(sdp_media_ice_ufrag(s, m), SV_LIT("yIN0Io3Waz1x9Wes")));
	CU_ASSERT_EQUAL(sdp_media_direction(s, &s->media[1]), SDP_DIR_RECVONLY);
	CU_ASSERT_EQUAL(s->media[0].n_crypto + s->media[1].n_crypto, 0);
}

static void test_oversip_answer(void)
{
	const struct sdp_fingerprint *fp;
	size_t n, i;
	CU_ASSERT_EQUAL(parse_file("oversip-f28-answer.sdp"), SA_OK);
	CU_ASSERT_EQUAL_FATAL(s->n_media, 2);
	for (i = 0; i < 2; i++) {
		CU_ASSERT_EQUAL(sdp_media_setup(s, &s->media[i]), SDP_SETUP_ACTIVE);
		CU_ASSERT_EQUAL(s->media[i].n_cand, 2);
		fp = sdp_media_fingerprints(s, &s->media[i], &n);
		CU_ASSERT_EQUAL(n, 1);
		CU_ASSERT_TRUE(fp_is(&fp[0], "D1C6DE94EF0257855F0AAAEA84822595EB3AF52F80ECA012B4B288B60B23139B"));
	}
	CU_ASSERT_EQUAL(s->media[0].port, 48143);
	CU_ASSERT_TRUE(s->media[0].rtcp.present);
	CU_ASSERT_EQUAL(s->media[0].rtcp.port, 9);
	CU_ASSERT_TRUE(sv_eq(s->media[0].rtcp.conn.addr, SV_LIT("0.0.0.0")));
	CU_ASSERT_EQUAL(s->media[1].n_ssrc, 8);
	CU_ASSERT_EQUAL(s->media[1].ssrc[0].ssrc, 1209730247u);
}

/* FreeSWITCH Verto answer: bare LF, no a=setup, one candidate. */
static void test_freeswitch_answer(void)
{
	const struct sdp_media *m;
	const struct sdp_fingerprint *fp;
	size_t n;
	CU_ASSERT_EQUAL(parse_file("freeswitch-verto-answer.sdp"), SA_OK);
	CU_ASSERT_EQUAL(errs.n, 0);
	CU_ASSERT_FALSE(s->unterminated);
	CU_ASSERT_TRUE(s->lf_only);
	CU_ASSERT_FALSE(s->crlf);
	/* Without its final LF: accepted, recorded on line 23. */
	memset(&errs, 0, sizeof errs);
	CU_ASSERT_EQUAL(sdp_parse(text, text_len - 1, s, &errs), SA_MALFORMED);
	CU_ASSERT_EQUAL_FATAL(errs.n, 1);
	CU_ASSERT_STRING_EQUAL(errs.e[0].code, "unterminated-line");
	CU_ASSERT_EQUAL(errs.e[0].line, 23);
	CU_ASSERT_TRUE(s->unterminated);
	CU_ASSERT_EQUAL(s->media[0].n_cand, 1);
	CU_ASSERT_EQUAL_FATAL(s->n_media, 1);
	m = &s->media[0];
	CU_ASSERT_EQUAL(sdp_media_setup(s, m), SDP_SETUP_NONE);
	fp = sdp_media_fingerprints(s, m, &n);
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT_TRUE(fp_is(&fp[0], "F87218E9728999225BF8B6C6C60DC59BB2FBBCCA8DAB138A66E13738A016AA41"));
	CU_ASSERT_EQUAL(m->n_cand, 1);
	CU_ASSERT_EQUAL(m->cand[0].priority, 659136);
	CU_ASSERT_TRUE(sv_eq(m->cand[0].addr, SV_LIT("209.105.235.10")));
	CU_ASSERT_TRUE(sv_eq(sdp_media_connection(s, m)->addr, SV_LIT("209.105.235.10")));
	CU_ASSERT_TRUE(sdp_media_rtcp_mux(s, m));
	CU_ASSERT_TRUE(sv_eq(s->origin.username, SV_LIT("FreeSWITCH")));
}

static void test_chromium_offer(void)
{
	const struct sdp_media *m;
	CU_ASSERT_EQUAL(parse_file("chromium40-verto-offer.sdp"), SA_OK);
	m = &s->media[0];
	CU_ASSERT_EQUAL(m->n_cand, 6);
	CU_ASSERT_TRUE(sv_eq(m->cand[4].typ, SV_LIT("srflx")));
	CU_ASSERT_TRUE(sv_eq(m->cand[4].raddr, SV_LIT("10.9.1.2")));
	CU_ASSERT_EQUAL(m->cand[4].rport, 56706);
	CU_ASSERT_EQUAL(m->cand[1].component, 2);
	CU_ASSERT_TRUE(sv_eq(sdp_find_bundle(s)->mids[0], SV_LIT("audio")));
	CU_ASSERT_TRUE(fp_is(&m->lvl.fp[0], "C5D0ADDFE828D530B2A02BC4EC47099FD286FDDF6A5A70D3D6B2B1852A98A330"));
}

/* libwebrtc native offer / browser answer: BUNDLE 0 1 with a data channel. */
static void test_libwebrtc_pair(void)
{
	const struct sdp_group *g;
	CU_ASSERT_EQUAL(parse_file("libwebrtc-native-offer.sdp"), SA_OK);
	g = sdp_find_bundle(s);
	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	CU_ASSERT_EQUAL(g->n_mids, 2);
	CU_ASSERT_TRUE(sv_eq(g->mids[1], SV_LIT("1")));
	CU_ASSERT_EQUAL_FATAL(s->n_media, 2);
	CU_ASSERT_TRUE(sv_eq(s->media[1].proto, SV_LIT("UDP/DTLS/SCTP")));
	CU_ASSERT_TRUE(sv_eq(s->media[1].fmts[0], SV_LIT("webrtc-datachannel")));
	CU_ASSERT_TRUE(sv_eq(s->media[1].mid, SV_LIT("1")));
	CU_ASSERT_TRUE(s->media[0].lvl.rtcp_rsize);
	CU_ASSERT_FALSE(s->media[1].lvl.rtcp_mux);
	CU_ASSERT_EQUAL(sdp_media_setup(s, &s->media[1]), SDP_SETUP_ACTPASS);
	CU_ASSERT_TRUE(fp_is(&s->media[0].lvl.fp[0], "9C23806FF63CC03D05EED91029224ECE41CD0D723AFA561ADC419807D1397BC3"));
	CU_ASSERT_EQUAL(parse_file("browser-answer.sdp"), SA_OK);
	CU_ASSERT_EQUAL(sdp_media_setup(s, &s->media[0]), SDP_SETUP_ACTIVE);
	CU_ASSERT_EQUAL(sdp_media_setup(s, &s->media[1]), SDP_SETUP_ACTIVE);
	CU_ASSERT_TRUE(fp_is(&s->media[1].lvl.fp[0], "29DB320645DC8EC712E831FB104123AC6D8BFE8E9257CB2580B4E5ABC5ECEDC6"));
	CU_ASSERT_TRUE(sv_eq(sdp_media_ice_pwd(s, &s->media[0]), SV_LIT("MeAMSWw389w1hm/SJ4zYEft3")));
}

/* RFC 5763 §7 example style: "a=fingerprint: SHA-1" with a space, at
 * session level before t=; lower-case hex; media level replaces it. */
static void test_fingerprint_forms(void)
{
	const struct sdp_fingerprint *fp;
	size_t n;
	CU_ASSERT_EQUAL(parse_str(
		"v=0\r\n"
		"o=- 6418413458361 2 IN IP4 192.0.2.1\r\n"
		"s=example1\r\n"
		"c=IN IP4 192.0.2.1\r\n"
		"a=setup:passive\r\n"
		"a=fingerprint: SHA-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB\r\n"
		"t=0 0\r\n"
		"m=audio 6056 RTP/SAVP 0\r\n"
		"a=sendrecv\r\n"
		"m=audio 6058 UDP/TLS/RTP/SAVP 0\r\n"
		"a=setup:active\r\n"
		"a=fingerprint:sha-256 9c:23:80:6f:f6:3c:c0:3d:05:ee:d9:10:29:22:4e:ce:41:cd:0d:72:3a:fa:56:1a:dc:41:98:07:d1:39:7b:c3\r\n"
		"a=fingerprint:SHA-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:A\r\n"), SA_MALFORMED);
	/* session level, inherited by m=0 */
	fp = sdp_media_fingerprints(s, &s->media[0], &n);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_TRUE(fp[0].space_after_colon);
	CU_ASSERT_TRUE(sv_eq(fp[0].hash, SV_LIT("SHA-1")));
	CU_ASSERT_EQUAL(fp[0].len, 20);
	CU_ASSERT_EQUAL(fp[0].bytes[0], 0x4a);
	CU_ASSERT_EQUAL(fp[0].bytes[19], 0xab);
	CU_ASSERT_EQUAL(sdp_media_setup(s, &s->media[0]), SDP_SETUP_PASSIVE);
	/* media level replaces (RFC 8122 §5) */
	fp = sdp_media_fingerprints(s, &s->media[1], &n);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	CU_ASSERT_TRUE(fp[0].lower_hex);
	CU_ASSERT_TRUE(fp_is(&fp[0], "9C23806FF63CC03D05EED91029224ECE41CD0D723AFA561ADC419807D1397BC3"));
	CU_ASSERT_FALSE(fp[1].ok); /* odd hex digit count */
	CU_ASSERT_EQUAL(sdp_media_setup(s, &s->media[1]), SDP_SETUP_ACTIVE);
	CU_ASSERT_EQUAL(errs.n, 1);
	CU_ASSERT_STRING_EQUAL(errs.e[0].code, "bad-fingerprint");
	CU_ASSERT_EQUAL(errs.e[0].line, 13);
}

static void test_syntax_errors(void)
{
	const struct sdp_error *e;
	CU_ASSERT_EQUAL(parse_str(
		"v=0\n"
		"o=- 1 2 IN IP4 10.0.0.1\n"
		"s=-\n"
		"c=IN IP4 224.2.36.42/127/3\n"
		"t=0 0\n"
		"m=audio notaport RTP/AVP 0\n"
		"a=rtpmap:0 PCMU/8000\n"
		"m=video 5000/2 RTP/AVP 96\n"
		"c=IN IP9 10.0.0.1\n"
		"a=setup:sideways\n"
		"a=candidate:1 1 udp\n"
		"a=rtcp:99999\n"
		"garbage\n"
		"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:AAAA\n"
		"a=sendonly\n"), SA_MALFORMED);
	CU_ASSERT_TRUE(sv_eq(s->sess.conn.addr, SV_LIT("224.2.36.42")));
	CU_ASSERT_TRUE(sv_eq(s->sess.conn.suffix, SV_LIT("/127/3")));
	CU_ASSERT_EQUAL_FATAL(s->n_media, 1); /* the bad m= and its lines are skipped */
	CU_ASSERT_EQUAL(s->media[0].nports, 2);
	CU_ASSERT_EQUAL(s->media[0].port, 5000);
	CU_ASSERT_EQUAL(s->media[0].lvl.dir, SDP_DIR_SENDONLY);
	CU_ASSERT_EQUAL(s->media[0].n_rtpmap, 0);
	e = find_err("bad-m-line");
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_EQUAL(e->line, 6);
	CU_ASSERT_TRUE(sv_eq(e->text, SV_LIT("m=audio notaport RTP/AVP 0")));
	CU_ASSERT_EQUAL(find_err("bad-c-line")->line, 9);
	CU_ASSERT_EQUAL(find_err("bad-setup")->line, 10);
	CU_ASSERT_EQUAL(find_err("bad-candidate")->line, 11);
	CU_ASSERT_EQUAL(find_err("bad-rtcp")->line, 12);
	CU_ASSERT_EQUAL(find_err("bad-line")->line, 13);
	e = find_err("crypto-key-length");
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_EQUAL(e->line, 14);
	CU_ASSERT_TRUE(sv_eq(e->text, SV_LIT("AAAA")));
	CU_ASSERT_TRUE(s->lf_only);
	/* not SDP at all */
	CU_ASSERT_EQUAL(parse_str("INVITE sip:x SIP/2.0\r\n"), SA_MALFORMED);
	CU_ASSERT_STRING_EQUAL(errs.e[0].code, "not-sdp");
	CU_ASSERT_EQUAL(parse_str(""), SA_MALFORMED);
	/* session-level a=crypto is counted and reported (RFC 4568 §4) */
	CU_ASSERT_EQUAL(parse_str("v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\n"
				  "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:D2YmkapsLg7GhQkROWl3wLJxRXuRBhnHYVjq4nsO\r\n"), SA_MALFORMED);
	CU_ASSERT_EQUAL(s->sess.n_crypto_here, 1);
	CU_ASSERT_PTR_NOT_NULL(find_err("crypto-session-level"));
}

/* 100k lines stay bounded: caps hold, errors are counted, no crash. */
static void test_huge_sdp(void)
{
	size_t cap = 100000 * 24 + 200, i, n = 0;
	char *big = malloc(cap);
	CU_ASSERT_PTR_NOT_NULL_FATAL(big);
	n += (size_t)snprintf(big + n, cap - n, "v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\n");
	for (i = 0; i < 100000; i++) {
		if (i % 1000 == 0)
			n += (size_t)snprintf(big + n, cap - n, "m=audio %zu RTP/AVP 0\r\n", 1000 + i / 1000);
		else if (i % 3 == 0)
			n += (size_t)snprintf(big + n, cap - n, "a=candidate:1 1 udp 1 h 1 typ host\r\n");
		else
			n += (size_t)snprintf(big + n, cap - n, "a=x%zu\r\n", i);
	}
	memset(&errs, 0, sizeof errs);
	CU_ASSERT_EQUAL(sdp_parse(big, n, s, &errs), SA_MALFORMED);
	CU_ASSERT_EQUAL(s->n_lines, 100004);
	CU_ASSERT_EQUAL(s->n_media, SDP_MAX_MEDIA);
	CU_ASSERT_EQUAL(s->media[0].lvl.n_attrs, SDP_MAX_ATTRS);
	CU_ASSERT_EQUAL(s->media[0].n_cand, SDP_MAX_CAND);
	CU_ASSERT_EQUAL(errs.n, SDP_MAX_ERRORS);
	CU_ASSERT_TRUE(errs.dropped > 1000);
	CU_ASSERT_PTR_NOT_NULL(find_err("too-many-attributes"));
	free(big);
}

/* Every prefix of a real SDP parses without reading past its end (run
 * under the sanitizer build), and the full text gives the same model. */
static void test_truncated_prefixes(void)
{
	size_t i;
	char *copy;
	CU_ASSERT_EQUAL(parse_file("jssip-f16-offer.sdp"), SA_OK);
	for (i = 0; i <= text_len; i++) {
		copy = malloc(i ? i : 1);
		CU_ASSERT_PTR_NOT_NULL_FATAL(copy);
		memcpy(copy, text, i);
		memset(&errs, 0, sizeof errs);
		(void)sdp_parse(copy, i, s, &errs);
		CU_ASSERT_TRUE(s->n_media <= 2);
		free(copy);
	}
	/* cut in the middle of the fingerprint line: bad-fingerprint */
	{
		const char *at = strstr(text, "a=fingerprint");
		size_t cut = (size_t)(at - text) + 40;
		memset(&errs, 0, sizeof errs);
		CU_ASSERT_EQUAL(sdp_parse(text, cut, s, &errs), SA_MALFORMED);
		CU_ASSERT_PTR_NOT_NULL(find_err("bad-fingerprint"));
		CU_ASSERT_PTR_NOT_NULL(find_err("unterminated-line"));
	}
}

static void test_corrupted_bytes(void)
{
	size_t i;
	char *copy;
	CU_ASSERT_EQUAL(parse_file("voipshark-srtp-f55-offer.sdp"), SA_OK);
	copy = malloc(text_len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(copy);
	/* flip each byte to NUL, ':' and 0xff in turn */
	for (i = 0; i < text_len; i++) {
		static const char subst[] = { 0, ':', (char)0xff };
		size_t k;
		for (k = 0; k < sizeof subst; k++) {
			memcpy(copy, text, text_len);
			copy[i] = subst[k];
			memset(&errs, 0, sizeof errs);
			(void)sdp_parse(copy, text_len, s, &errs);
			CU_ASSERT_TRUE(s->n_media <= 1);
			CU_ASSERT_TRUE(s->n_crypto <= 4);
		}
	}
	free(copy);
}

static void setup_all(void)
{
	s = malloc(sizeof *s);
}

static void test_setup(void)
{
	setup_all();
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
}

static void test_teardown(void)
{
	free(s);
	free(text);
	s = NULL;
	text = NULL;
}

static const CU_TestInfo tests[] = {
	{ "allocate", test_setup },
	{ "voipshark MicroSIP offer (frame 55)", test_voipshark_offer },
	{ "Asterisk answer and leg-2 keys", test_asterisk_answer },
	{ "JsSIP offer: BUNDLE, candidates, fingerprint", test_jssip_offer },
	{ "OverSIP answer: active", test_oversip_answer },
	{ "FreeSWITCH answer: LF, no setup, unterminated", test_freeswitch_answer },
	{ "Chromium 40 offer: srflx candidates", test_chromium_offer },
	{ "libwebrtc offer / browser answer", test_libwebrtc_pair },
	{ "fingerprint forms and scoping", test_fingerprint_forms },
	{ "syntax errors with line numbers", test_syntax_errors },
	{ "100k-line SDP stays bounded", test_huge_sdp },
	{ "truncated prefixes", test_truncated_prefixes },
	{ "corrupted bytes", test_corrupted_bytes },
	{ "free", test_teardown },
	CU_TEST_INFO_NULL,
};

#define SUITE_NAME "sdp"
#include "cu_main.h"
