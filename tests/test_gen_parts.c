/* test_gen_parts.c - CUnit suite for the endpoint pieces (replay/
 * dtls_peer, srtp_peer, sdp_build, rtp_media) and the generator's frame
 * writer and scenario model (fixtures/pcapw, fixtures/scenario). */
#include <CUnit/CUnit.h>
#include <openssl/x509.h>
#include <string.h>
#include <time.h>

#include "dtls_peer.h"
#include "pcapw.h"
#include "rtp_media.h"
#include "scenario.h"
#include "sdp_build.h"
#include "srtp_peer.h"

struct klog {
	char line[256];
	unsigned n;
};

static void on_keylog(void *arg, const char *line)
{
	struct klog *k = arg;
	snprintf(k->line, sizeof k->line, "%s", line);
	k->n++;
}

/* Move datagrams between two peers until both are done. */
static unsigned pump(struct dtls_peer *a, struct dtls_peer *b)
{
	uint8_t d[DTLS_PEER_MAX_DGRAM];
	size_t n;
	unsigned moved = 0;
	for (int round = 0; round < 20; round++) {
		struct dtls_peer *from = round & 1 ? b : a, *to = round & 1 ? a : b;
		dtls_peer_step(from);
		while (dtls_peer_output(from, d, sizeof d, &n)) {
			dtls_peer_input(to, d, n);
			moved++;
		}
		if (dtls_peer_done(a) && dtls_peer_done(b))
			break;
	}
	return moved;
}

static struct dtls_peer *peer(enum dtls_peer_role r, const char *profiles,
			      struct klog *k, unsigned mtu)
{
	struct dtls_peer_config c;
	memset(&c, 0, sizeof c);
	c.role = r;
	c.srtp_profiles = profiles;
	c.keylog = on_keylog;
	c.keylog_arg = k;
	c.mtu = mtu;
	return dtls_peer_new(&c);
}

static void test_dtls_handshake_export(void)
{
	struct klog kc = { "", 0 }, ks = { "", 0 };
	struct dtls_peer *c = peer(DTLS_PEER_CLIENT,
				   "SRTP_AES128_CM_SHA1_32:SRTP_AES128_CM_SHA1_80",
				   &kc, 0);
	struct dtls_peer *s = peer(DTLS_PEER_SERVER, "SRTP_AES128_CM_SHA1_80",
				   &ks, 0);
	uint8_t k1[60], k2[60], cr[32], fp[64];
	char fpt[200], hex[65];
	const char *name = NULL;
	size_t n = 0;
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(dtls_peer_export(c, k1, sizeof k1), SA_UNSUPPORTED);
	CU_ASSERT_TRUE(pump(c, s) >= 4);
	CU_ASSERT_TRUE_FATAL(dtls_peer_done(c) && dtls_peer_done(s));
	/* the server picked the one profile both accept (RFC 5764 §4.1.1) */
	CU_ASSERT_EQUAL(dtls_peer_profile(c, &name), 0x0001);
	CU_ASSERT_STRING_EQUAL(name, "SRTP_AES128_CM_SHA1_80");
	CU_ASSERT_EQUAL(dtls_peer_profile(s, NULL), 0x0001);
	/* both ends export the same keying material */
	CU_ASSERT_EQUAL(dtls_peer_export(c, k1, sizeof k1), SA_OK);
	CU_ASSERT_EQUAL(dtls_peer_export(s, k2, sizeof k2), SA_OK);
	CU_ASSERT_EQUAL(memcmp(k1, k2, sizeof k1), 0);
	/* the key log line names the client random */
	CU_ASSERT_EQUAL(dtls_peer_client_random(c, cr), SA_OK);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", cr[i]);
	CU_ASSERT_TRUE(kc.n >= 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(kc.line, hex));
	CU_ASSERT_EQUAL(strncmp(kc.line, "CLIENT_RANDOM ", 14), 0);
	CU_ASSERT_EQUAL(strlen(kc.line), 14 + 64 + 1 + 96);
	/* fingerprints: 32 octets for sha-256, 20 for sha-1, text form */
	CU_ASSERT_EQUAL(dtls_peer_fingerprint(c, "sha-256", fp, sizeof fp, &n),
			SA_OK);
	CU_ASSERT_EQUAL(n, 32);
	CU_ASSERT_EQUAL(dtls_peer_fingerprint(c, "SHA-1", fp, sizeof fp, &n),
			SA_OK);
	CU_ASSERT_EQUAL(n, 20);
	CU_ASSERT_EQUAL(dtls_peer_fingerprint(c, "md5", fp, sizeof fp, &n),
			SA_OK); /* for the FP-MD5-MD2 fault */
	CU_ASSERT_EQUAL(n, 16);
	CU_ASSERT_EQUAL(dtls_peer_fingerprint(c, "md2", fp, sizeof fp, &n),
			SA_UNSUPPORTED);
	CU_ASSERT_EQUAL(dtls_peer_fingerprint_text(c, "sha-256", fpt, 10),
			SA_NOMEM);
	CU_ASSERT_EQUAL(dtls_peer_fingerprint_text(c, "sha-256", fpt,
						   sizeof fpt), SA_OK);
	CU_ASSERT_EQUAL(strlen(fpt), 95);
	CU_ASSERT_EQUAL(fpt[2], ':');
	dtls_peer_free(c);
	dtls_peer_free(s);
}

static void test_dtls_no_common_profile_and_mtu(void)
{
	struct klog k = { "", 0 };
	uint8_t d[DTLS_PEER_MAX_DGRAM];
	size_t n, max = 0;
	struct dtls_peer *c = peer(DTLS_PEER_CLIENT, "SRTP_AES128_CM_SHA1_80",
				   &k, 300);
	struct dtls_peer *s = peer(DTLS_PEER_SERVER, NULL, &k, 300);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	/* drive by hand to see datagram sizes */
	for (int round = 0; round < 20; round++) {
		struct dtls_peer *from = round & 1 ? s : c, *to = round & 1 ? c : s;
		dtls_peer_step(from);
		while (dtls_peer_output(from, d, sizeof d, &n)) {
			if (n > max)
				max = n;
			dtls_peer_input(to, d, n);
		}
	}
	CU_ASSERT_TRUE(dtls_peer_done(c));
	CU_ASSERT_EQUAL(dtls_peer_profile(c, NULL), 0); /* no use_srtp */
	CU_ASSERT_TRUE(max <= 300);
	CU_ASSERT_TRUE(max > 100);
	dtls_peer_free(c);
	dtls_peer_free(s);
}

static void test_dtls_reject_alert(void)
{
	struct klog k = { "", 0 };
	struct dtls_peer *c = peer(DTLS_PEER_CLIENT, "SRTP_AES128_CM_SHA1_80",
				   &k, 0);
	struct dtls_peer_config sc;
	struct dtls_peer *s;
	memset(&sc, 0, sizeof sc);
	sc.role = DTLS_PEER_SERVER;
	sc.srtp_profiles = "SRTP_AES128_CM_SHA1_80";
	sc.reject_peer_cert = true;
	s = dtls_peer_new(&sc);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	pump(c, s);
	CU_ASSERT_TRUE(dtls_peer_failed(s));
	CU_ASSERT_EQUAL(dtls_peer_alert_sent(s), 42); /* bad_certificate */
	CU_ASSERT_EQUAL(dtls_peer_alert_sent(c), -1);
	dtls_peer_free(c);
	dtls_peer_free(s);
	dtls_peer_free(NULL);
}

/* Validity from the configured time (the capture's), 24 hours; expired
 * ends a day before; the faults' knobs: no certificate request, a
 * client without a certificate, no extended master secret, close_notify. */
static time_t asn1_epoch(const ASN1_TIME *t)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	if (ASN1_TIME_to_tm(t, &tm) != 1)
		return 0;
	return timegm(&tm);
}

static void test_dtls_validity_and_fault_knobs(void)
{
	const int64_t from = 1767225600 - 3600; /* 2025-12-31 23:00 UTC */
	for (int expired = 0; expired < 2; expired++) {
		struct dtls_peer_config c;
		struct dtls_peer *p;
		const uint8_t *der;
		size_t n = 0;
		X509 *x;
		memset(&c, 0, sizeof c);
		c.role = DTLS_PEER_SERVER;
		c.valid_from = from;
		c.cert_expired = expired;
		p = dtls_peer_new(&c);
		CU_ASSERT_PTR_NOT_NULL_FATAL(p);
		der = dtls_peer_cert_der(p, &n);
		x = d2i_X509(NULL, &der, (long)n);
		CU_ASSERT_PTR_NOT_NULL_FATAL(x);
		CU_ASSERT_EQUAL(asn1_epoch(X509_get0_notBefore(x)),
				expired ? from - 2 * 86400 : from);
		CU_ASSERT_EQUAL(asn1_epoch(X509_get0_notAfter(x)),
				expired ? from - 86400 : from + 86400);
		X509_free(x);
		dtls_peer_free(p);
	}
	{
		struct dtls_peer_config cc, sc;
		struct dtls_peer *cl, *sv;
		uint8_t d[DTLS_PEER_MAX_DGRAM];
		size_t n;
		unsigned alerts = 0;
		memset(&cc, 0, sizeof cc);
		memset(&sc, 0, sizeof sc);
		cc.role = DTLS_PEER_CLIENT;
		cc.srtp_profiles = sc.srtp_profiles = "SRTP_AES128_CM_SHA1_80";
		cc.no_cert = true;          /* empty Certificate when asked */
		cc.no_ems = true;
		sc.role = DTLS_PEER_SERVER;
		sc.allow_no_peer_cert = true;
		cl = dtls_peer_new(&cc);
		sv = dtls_peer_new(&sc);
		CU_ASSERT_PTR_NOT_NULL_FATAL(cl);
		CU_ASSERT_PTR_NOT_NULL_FATAL(sv);
		pump(cl, sv);
		CU_ASSERT_TRUE(dtls_peer_done(cl) && dtls_peer_done(sv));
		CU_ASSERT_EQUAL(dtls_peer_close(cl), SA_OK);
		while (dtls_peer_output(cl, d, sizeof d, &n))
			alerts += n >= 13 && d[0] == 21 && d[4] == 1; /* epoch 1 */
		CU_ASSERT_EQUAL(alerts, 1);
		dtls_peer_free(cl);
		dtls_peer_free(sv);
		sv = dtls_peer_new(&sc);
		CU_ASSERT_EQUAL(dtls_peer_close(sv), SA_UNSUPPORTED); /* no handshake */
		dtls_peer_free(sv);
	}
}

static void test_srtp_roundtrip_all_suites(void)
{
	for (int su = 0; su < SP_SUITE_COUNT; su++) {
		const struct srtp_peer_suite_info *si = srtp_peer_suite_get(su);
		uint8_t ks[SRTP_PEER_MAX_KEYSALT], pkt[300], pl[160];
		size_t n = 0;
		struct rtp_media_hdr h = { true, 8, 100, 1000, 0xabcdef01 };
		struct srtp_peer *tx, *rx;
		memset(ks, su + 1, sizeof ks);
		rtp_media_fill(RTP_CODEC_PCMA, 1, 0, pl, sizeof pl);
		CU_ASSERT_EQUAL(rtp_media_build(&h, pl, sizeof pl, pkt, sizeof pkt,
						&n), SA_OK);
		/* wrong key length refused */
		CU_ASSERT_PTR_NULL(srtp_peer_new(su, true, ks,
						 si->key_len + si->salt_len - 1,
						 NULL, 0));
		tx = srtp_peer_new(su, true, ks, si->key_len + si->salt_len,
				   NULL, 0);
		rx = srtp_peer_new(su, false, ks, si->key_len + si->salt_len,
				   NULL, 0);
		CU_ASSERT_PTR_NOT_NULL_FATAL(tx);
		CU_ASSERT_PTR_NOT_NULL_FATAL(rx);
		CU_ASSERT_EQUAL(srtp_peer_protect_rtp(tx, pkt, 180, &n), SA_NOMEM);
		CU_ASSERT_EQUAL(srtp_peer_protect_rtp(tx, pkt, sizeof pkt, &n),
				SA_OK);
		CU_ASSERT_EQUAL(n, 172 + si->srtp_tag_len);
		CU_ASSERT_EQUAL(srtp_peer_unprotect_rtp(rx, pkt, &n), SA_OK);
		CU_ASSERT_EQUAL(n, 172);
		CU_ASSERT_EQUAL(memcmp(pkt + 12, pl, 160), 0);
		/* SRTCP: E flag + index (4) + tag, 80-bit for _32 suites */
		CU_ASSERT_EQUAL(rtp_media_rtcp_compound(
					0xabcdef01,
					&(struct rtp_media_sender_info){ 1, 2, 3, 4 },
					NULL, "a@b", pkt, sizeof pkt, &n), SA_OK);
		CU_ASSERT_EQUAL(n, 28 + 16);
		CU_ASSERT_EQUAL(srtp_peer_protect_rtcp(tx, pkt, sizeof pkt, &n),
				SA_OK);
		CU_ASSERT_EQUAL(n, 44 + 4 + si->srtcp_tag_len);
		CU_ASSERT_EQUAL(srtp_peer_unprotect_rtcp(rx, pkt, &n), SA_OK);
		CU_ASSERT_EQUAL(pkt[1], 200);
		srtp_peer_free(tx);
		srtp_peer_free(rx);
	}
	CU_ASSERT_PTR_NULL(srtp_peer_suite_get(SP_SUITE_COUNT));
	CU_ASSERT_PTR_NULL(srtp_peer_suite_by_sdes_name("AES_CM_192_HMAC_SHA1_80"));
	CU_ASSERT_EQUAL(srtp_peer_suite_by_profile_id(7)->suite,
			SP_SUITE_AEAD_AES_128_GCM);
	CU_ASSERT_PTR_NULL(srtp_peer_suite_by_profile_id(5));
}

static void test_rtp_media(void)
{
	uint8_t b[64];
	struct rtp_media_hdr h;
	size_t hl = 0, n = 0;
	struct rtp_media_hdr in = { false, 0, 0xfffe, 0x01020304, 0x0a0b0c0d };
	/* G.711 reference points (ITU-T G.711 tables) */
	CU_ASSERT_EQUAL(rtp_media_g711(RTP_CODEC_PCMU, 0), 0xff);
	CU_ASSERT_EQUAL(rtp_media_g711(RTP_CODEC_PCMU, -32768), 0x00);
	CU_ASSERT_EQUAL(rtp_media_g711(RTP_CODEC_PCMU, 32767), 0x80);
	CU_ASSERT_EQUAL(rtp_media_g711(RTP_CODEC_PCMA, 0), 0xd5);
	CU_ASSERT_EQUAL(rtp_media_g711(RTP_CODEC_PCMA, 32767), 0xaa);
	CU_ASSERT_EQUAL(rtp_media_g711(RTP_CODEC_PCMA, -32768), 0x2a);
	/* the tone: 1 kHz at 8 kHz is 8 samples a period */
	CU_ASSERT_EQUAL(rtp_media_tone(0, 0), 0);
	CU_ASSERT_EQUAL(rtp_media_tone(0, 2), 8000);
	CU_ASSERT_EQUAL(rtp_media_tone(0, 6), -8000);
	CU_ASSERT_EQUAL(rtp_media_tone(0, 1), 5657);
	CU_ASSERT_EQUAL(rtp_media_tone(0, 8), 0);
	CU_ASSERT_EQUAL(rtp_media_build(&in, (const uint8_t *)"xyz", 3, b,
					sizeof b, &n), SA_OK);
	CU_ASSERT_EQUAL(n, 15);
	CU_ASSERT_EQUAL(rtp_media_parse(b, n, &h, &hl), SA_OK);
	CU_ASSERT_EQUAL(h.seq, 0xfffe);
	CU_ASSERT_EQUAL(h.ts, 0x01020304);
	CU_ASSERT_EQUAL(h.ssrc, 0x0a0b0c0d);
	CU_ASSERT_EQUAL(hl, 12);
	/* truncated, wrong version, CSRC count beyond the end */
	CU_ASSERT_EQUAL(rtp_media_parse(b, 11, &h, &hl), SA_TRUNCATED);
	b[0] = 0x40;
	CU_ASSERT_EQUAL(rtp_media_parse(b, n, &h, &hl), SA_MALFORMED);
	b[0] = 0x81; /* one CSRC: a 16-octet header */
	CU_ASSERT_EQUAL(rtp_media_parse(b, 15, &h, &hl), SA_TRUNCATED);
	CU_ASSERT_EQUAL(rtp_media_parse(b, 16, &h, &hl), SA_OK);
	CU_ASSERT_EQUAL(hl, 16);
	b[0] = 0x90; /* extension header announced but absent */
	CU_ASSERT_EQUAL(rtp_media_parse(b, 15, &h, &hl), SA_TRUNCATED);
	CU_ASSERT_EQUAL(rtp_media_build(&in, b, 60, b, sizeof b, &n), SA_NOMEM);
	CU_ASSERT_EQUAL(rtp_media_rtcp_compound(1, NULL,
						&(struct rtp_media_report_block){ 2, 0, 0, 3, 4 },
						"c", b, sizeof b, &n), SA_OK);
	CU_ASSERT_EQUAL(n, 32 + 12);
	CU_ASSERT_EQUAL(rtp_media_rtcp_compound(1, NULL, NULL, "c", b, 19, &n),
			SA_NOMEM);
	CU_ASSERT_EQUAL(rtp_media_rtcp_compound(1, NULL,
						&(struct rtp_media_report_block){ 2, 0, 0, 3, 4 },
						"c", b, sizeof b, &n), SA_OK);
	CU_ASSERT_EQUAL(b[1], 201);
	CU_ASSERT_EQUAL(b[0], 0x81);
	CU_ASSERT_EQUAL(b[33], 202);
}

static void test_sdp_build(void)
{
	struct sdpb_desc d;
	char buf[1024];
	size_t n = 0;
	memset(&d, 0, sizeof d);
	d.user = "alice";
	d.sess_id = d.sess_ver = 42;
	d.addr = "192.0.2.1";
	d.port = 4000;
	d.proto = sdp_build_proto(3);
	d.codec_pt = 8;
	d.crypto[0].tag = 1;
	d.crypto[0].suite = SP_SUITE_AES_CM_128_HMAC_SHA1_80;
	d.crypto[0].keysalt_len = 30; /* all zero */
	d.crypto[0].lifetime = "2^31";
	d.crypto[0].mki_len = 4;
	d.crypto[0].mki_value = 1;
	d.n_crypto = 1;
	d.fp_hash = "sha-256";
	d.fp_text = "AB:CD";
	d.setup = SDPB_SETUP_ACTPASS;
	d.rtcp_mux = true;
	CU_ASSERT_EQUAL(sdp_build_text(&d, buf, sizeof buf, &n), SA_OK);
	CU_ASSERT_EQUAL(n, strlen(buf));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "m=audio 4000 UDP/TLS/RTP/SAVP 8 101\r\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "a=crypto:1 AES_CM_128_HMAC_SHA1_80 "
					   "inline:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA|2^31|1:4\r\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "a=fingerprint:sha-256 AB:CD\r\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "a=setup:actpass\r\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "a=rtcp-mux\r\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "a=rtpmap:8 PCMA/8000\r\n"));
	CU_ASSERT_PTR_NULL(strstr(buf, "a=rtcp-mux-only"));
	/* the lines the faults need: holdconn, mux-only, a second
	 * fingerprint, a session-level attribute before m= */
	d.setup = SDPB_SETUP_HOLDCONN;
	d.rtcp_mux_only = true;
	d.fp2_hash = "md5";
	d.fp2_text = "01:02";
	d.session_extra = "a=crypto:9 X inline:Y\r\n";
	CU_ASSERT_EQUAL(sdp_build_text(&d, buf, sizeof buf, &n), SA_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "a=setup:holdconn\r\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "a=rtcp-mux\r\na=rtcp-mux-only\r\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "a=fingerprint:sha-256 AB:CD\r\n"
					   "a=fingerprint:md5 01:02\r\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "t=0 0\r\na=crypto:9 X inline:Y\r\nm=audio"));
	CU_ASSERT_EQUAL(sdp_build_text(&d, buf, 100, &n), SA_NOMEM);
	CU_ASSERT_STRING_EQUAL(sdp_build_proto(0), "RTP/AVP");
	CU_ASSERT_STRING_EQUAL(sdp_build_proto(1), "RTP/SAVP");
	CU_ASSERT_PTR_NULL(sdp_build_proto(4));
	d.addr = NULL;
	CU_ASSERT_EQUAL(sdp_build_text(&d, buf, sizeof buf, &n), SA_MALFORMED);
}

static uint16_t csum(const uint8_t *p, size_t n, uint32_t sum)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

static void test_pcapw_frames(void)
{
	struct endpoint a, b, c6;
	struct pcapw_l4 udp = { SA_IPPROTO_UDP, 0, 0, 0 };
	uint8_t f[200], pseudo[12];
	size_t n = 0;
	CU_ASSERT_TRUE(ipaddr_parse("192.0.2.1", &a.ip));
	CU_ASSERT_TRUE(ipaddr_parse("198.51.100.2", &b.ip));
	CU_ASSERT_TRUE(ipaddr_parse("2001:db8::1", &c6.ip));
	a.port = 5060;
	b.port = 5061;
	c6.port = 1;
	CU_ASSERT_EQUAL(pcapw_frame_build(PCAPW_ETHERNET, &a, &b, &udp, 7,
					  (const uint8_t *)"hello", 5, f,
					  sizeof f, &n), SA_OK);
	CU_ASSERT_EQUAL(n, 14 + 20 + 8 + 5);
	CU_ASSERT_EQUAL(f[12], 0x08);
	CU_ASSERT_EQUAL(f[16], 0); /* IPv4 total length 33 */
	CU_ASSERT_EQUAL(f[17], 33);
	CU_ASSERT_EQUAL(csum(f + 14, 20, 0), 0xffff); /* header checksum */
	/* UDP checksum over the pseudo-header verifies */
	memcpy(pseudo, f + 26, 8);
	pseudo[8] = 0;
	pseudo[9] = 17;
	pseudo[10] = 0;
	pseudo[11] = 13;
	CU_ASSERT_EQUAL(csum(f + 34, 13, csum(pseudo, 12, 0)), 0xffff);
	CU_ASSERT_EQUAL(pcapw_frame_build(PCAPW_SLL, &a, &b, &udp, 7, NULL, 0,
					  f, sizeof f, &n), SA_OK);
	CU_ASSERT_EQUAL(n, 16 + 28);
	CU_ASSERT_EQUAL(pcapw_frame_build(PCAPW_ETHERNET, &a, &c6, &udp, 7,
					  NULL, 0, f, sizeof f, &n),
			SA_MALFORMED);
	CU_ASSERT_EQUAL(pcapw_frame_build(PCAPW_ETHERNET, &a, &b, &udp, 7, f,
					  190, f, sizeof f, &n), SA_NOMEM);
}

static void test_scenario_knobs(void)
{
	struct scenario sc;
	size_t n = 0;
	struct sc_check ids[SC_MAX_CHECKS];
	const struct sc_catalogue_entry *cat = scenario_catalogue(&n);
	CU_ASSERT_TRUE(n >= 30);
	for (size_t i = 0; i < n; i++)
		CU_ASSERT_EQUAL(scenario_load(&sc, cat[i].name), SA_OK);
	CU_ASSERT_EQUAL(scenario_load(&sc, "nope"), SA_MALFORMED);
	CU_ASSERT_EQUAL(scenario_load(&sc, "f-answer-actpass"), SA_OK);
	CU_ASSERT_EQUAL(sc.faults, SC_F_ANSWER_ACTPASS);
	CU_ASSERT_EQUAL(scenario_expect_checks(&sc, ids, SC_MAX_CHECKS), 1);
	CU_ASSERT_STRING_EQUAL(ids[0].id, "SETUP-ANSWER-ACTPASS");
	CU_ASSERT_STRING_EQUAL(ids[0].at, "answer_sdp");
	scenario_defaults(&sc);
	CU_ASSERT_EQUAL(scenario_apply(&sc, "method=3 answer=sdes mux=off "
					    "suites=AEAD_AES_256_GCM,AES_CM_128_HMAC_SHA1_32 "
					    "fault=dup-reorder,seq-wrap"), SA_OK);
	CU_ASSERT_EQUAL(sc.method, 3);
	CU_ASSERT_EQUAL(sc.pick, SC_PICK_SDES);
	CU_ASSERT_FALSE(sc.rtcp_mux);
	CU_ASSERT_EQUAL(sc.n_suites, 2);
	CU_ASSERT_EQUAL(sc.suites[0], SP_SUITE_AEAD_AES_256_GCM);
	CU_ASSERT_EQUAL(sc.faults, SC_F_DUP_REORDER | SC_F_SEQ_WRAP);
	CU_ASSERT_TRUE(scenario_sdes_used(&sc));
	CU_ASSERT_FALSE(scenario_dtls_used(&sc));
	CU_ASSERT_EQUAL(scenario_set_knob(&sc, "method", "4"), SA_MALFORMED);
	CU_ASSERT_EQUAL(scenario_set_knob(&sc, "mtu", "100"), SA_MALFORMED);
	CU_ASSERT_EQUAL(scenario_set_knob(&sc, "caller-rtp-port", "4001"),
			SA_MALFORMED);
	CU_ASSERT_EQUAL(scenario_set_knob(&sc, "fault", "nonsense"), SA_MALFORMED);
	CU_ASSERT_EQUAL(scenario_set_knob(&sc, "frobnicate", "1"), SA_MALFORMED);
	CU_ASSERT_EQUAL(scenario_set_knob(&sc, "seed", "99999999999999999999999"),
			SA_MALFORMED);
	CU_ASSERT_STRING_EQUAL(scenario_fault_name(SC_F_FATAL_ALERT), "fatal-alert");
	CU_ASSERT_PTR_NULL(scenario_fault_name(3));
	/* faults beyond bit 31 and the newer knobs */
	scenario_defaults(&sc);
	CU_ASSERT_EQUAL(sc.pt, -1);
	CU_ASSERT_EQUAL(scenario_apply(&sc, "fault=server-no-cert,mki-mismatch "
					    "pt=77 mux-only=on cert=rsa1024 "
					    "rehandshake-ports=same"), SA_OK);
	CU_ASSERT_EQUAL(sc.faults, SC_F_SERVER_NO_CERT | SC_F_MKI_MISMATCH);
	CU_ASSERT_TRUE(sc.faults > UINT32_MAX);
	CU_ASSERT_EQUAL(sc.pt, 77);
	CU_ASSERT_TRUE(sc.rtcp_mux_only && sc.rehandshake_same_ports);
	CU_ASSERT_EQUAL(sc.cert_kind, DTLS_PEER_CERT_RSA1024);
	CU_ASSERT_STRING_EQUAL(scenario_fault_name(SC_F_SERVER_NO_CERT),
			       "server-no-cert");
	CU_ASSERT_EQUAL(scenario_set_knob(&sc, "pt", "128"), SA_MALFORMED);
	{
		size_t k = scenario_expect_checks(&sc, ids, SC_MAX_CHECKS);
		/* MUX-PT-64-95, DTLS-CERT-WEAK-KEY, USESRTP-MKI-ECHO,
		 * DTLS-SERVER-CERT */
		CU_ASSERT_EQUAL(k, 4);
		CU_ASSERT_EQUAL(scenario_also_checks(&sc, ids, SC_MAX_CHECKS), 3);
		CU_ASSERT_STRING_EQUAL(ids[1].id, "DTLS-CERTREQ");
		CU_ASSERT_STRING_EQUAL(ids[1].at, "server_hello");
	}
}

static const CU_TestInfo tests[] = {
	{ "dtls peers: validity, empty client certificate, close_notify",
	  test_dtls_validity_and_fault_knobs },
	{ "dtls peers: handshake, profile, export, keylog, fingerprint",
	  test_dtls_handshake_export },
	{ "dtls peers: no use_srtp, MTU respected", test_dtls_no_common_profile_and_mtu },
	{ "dtls peers: rejected certificate sends alert 42", test_dtls_reject_alert },
	{ "srtp_peer: every suite, SRTP and SRTCP", test_srtp_roundtrip_all_suites },
	{ "rtp_media: G.711, tone, RTP/RTCP", test_rtp_media },
	{ "sdp_build", test_sdp_build },
	{ "pcapw frames and checksums", test_pcapw_frames },
	{ "scenario knobs and catalogue", test_scenario_knobs },
	CU_TEST_INFO_NULL,
};

#define SUITE_NAME "gen_parts"
#include "cu_main.h"
