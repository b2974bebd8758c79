/* test_replay_sip.c - the replay's RFC 3261 §17 transaction timers
 * (sip_tx.h) driven by a fake clock, the capped SIP text builder, and the
 * digest authentication (RFC 2617/7616 examples), TCP timers, and the
 * replay plan's collection of captured RTP (replay_plan_on_frame). */
#include <CUnit/CUnit.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "pipeline.h"
#include "replay.h"
#include "sip_tx.h"
#include "streams.h"

#define MS 1000000ull

static const char req[] = "INVITE sip:b@h SIP/2.0\r\nContent-Length: 0\r\n\r\n";

/* Timer A doubles from T1; Timer B fires at 64*T1 (§17.1.1.2). */
static void test_invite_client_timers(void)
{
	struct sip_timers tm;
	struct sip_txn *t = calloc(1, sizeof *t);
	uint64_t at[16], now;
	unsigned n = 0;
	bool timeout = false;
	sip_timers_default(&tm, 500);
	CU_ASSERT_FATAL(t != NULL);
	CU_ASSERT_TRUE(sip_txn_client_start(t, true, "z9hG4bKx", "INVITE", 1, req,
					    sizeof req - 1, 0, &tm));
	for (now = 0; now <= 40000 * MS && !timeout; now += MS) {
		enum sip_txn_action a = sip_txn_poll(t, now, &tm);
		if (a == SIPTX_RETRANSMIT && n < 16)
			at[n++] = now;
		if (a == SIPTX_TIMEOUT)
			timeout = true;
	}
	CU_ASSERT_EQUAL(n, 6);
	CU_ASSERT_EQUAL(at[0], 500 * MS);
	CU_ASSERT_EQUAL(at[1], 1500 * MS);
	CU_ASSERT_EQUAL(at[2], 3500 * MS);
	CU_ASSERT_EQUAL(at[5], 31500 * MS);
	CU_ASSERT_TRUE(timeout);
	CU_ASSERT_EQUAL(now - MS, 32000 * MS);
	CU_ASSERT_TRUE(t->timed_out);
	CU_ASSERT_EQUAL(t->state, SIPTX_TERMINATED);
	free(t);
}

/* A provisional response stops Timer A and B; a 2xx terminates. */
static void test_invite_client_proceeding(void)
{
	struct sip_timers tm;
	struct sip_txn *t = calloc(1, sizeof *t);
	uint64_t now;
	unsigned retx = 0;
	sip_timers_default(&tm, 100);
	CU_ASSERT_FATAL(t != NULL);
	CU_ASSERT_TRUE(sip_txn_client_start(t, true, "z9hG4bKy", "INVITE", 1, req,
					    sizeof req - 1, 0, &tm));
	CU_ASSERT_EQUAL(sip_txn_poll(t, 100 * MS, &tm), SIPTX_RETRANSMIT);
	sip_txn_client_response(t, 180, 150 * MS, &tm);
	CU_ASSERT_EQUAL(t->state, SIPTX_PROCEEDING);
	for (now = 150 * MS; now < 60000 * MS; now += 10 * MS)
		retx += sip_txn_poll(t, now, &tm) != SIPTX_NONE;
	CU_ASSERT_EQUAL(retx, 0);
	CU_ASSERT_EQUAL(sip_txn_next(t), 0);
	sip_txn_client_response(t, 200, 60000 * MS, &tm);
	CU_ASSERT_EQUAL(t->state, SIPTX_TERMINATED);
	CU_ASSERT_EQUAL(t->last_code, 200);
	/* A non-2xx final goes to Completed (Timer D 32 s). */
	CU_ASSERT_TRUE(sip_txn_client_start(t, true, "z9hG4bKz", "INVITE", 1, req,
					    sizeof req - 1, 0, &tm));
	sip_txn_client_response(t, 488, 10 * MS, &tm);
	CU_ASSERT_EQUAL(t->state, SIPTX_COMPLETED);
	CU_ASSERT_EQUAL(sip_txn_next(t), 32010 * MS);
	CU_ASSERT_EQUAL(sip_txn_poll(t, 32010 * MS, &tm), SIPTX_NONE);
	CU_ASSERT_FALSE(t->timed_out);
	free(t);
}

/* Timer E doubles up to T2 (4 s); Timer F at 64*T1 (§17.1.2.2). */
static void test_noninvite_client_timers(void)
{
	struct sip_timers tm;
	struct sip_txn *t = calloc(1, sizeof *t);
	uint64_t at[32], now;
	unsigned n = 0;
	bool timeout = false;
	sip_timers_default(&tm, 500);
	CU_ASSERT_FATAL(t != NULL);
	CU_ASSERT_TRUE(sip_txn_client_start(t, false, "z9hG4bKb", "BYE", 2, req,
					    sizeof req - 1, 0, &tm));
	for (now = 0; now <= 40000 * MS && !timeout; now += MS) {
		enum sip_txn_action a = sip_txn_poll(t, now, &tm);
		if (a == SIPTX_RETRANSMIT && n < 32)
			at[n++] = now;
		timeout = a == SIPTX_TIMEOUT;
	}
	/* 0.5 1.5 3.5 7.5 11.5 ... 31.5 */
	CU_ASSERT_EQUAL(n, 10);
	CU_ASSERT_EQUAL(at[3], 7500 * MS);
	CU_ASSERT_EQUAL(at[4], 11500 * MS);
	CU_ASSERT_EQUAL(at[9], 31500 * MS);
	CU_ASSERT_TRUE(timeout);
	/* A 200 moves to Completed; Timer K (T4) ends it quietly. */
	CU_ASSERT_TRUE(sip_txn_client_start(t, false, "z9hG4bKc", "BYE", 2, req,
					    sizeof req - 1, 0, &tm));
	sip_txn_client_response(t, 200, 20 * MS, &tm);
	CU_ASSERT_EQUAL(t->state, SIPTX_COMPLETED);
	CU_ASSERT_EQUAL(sip_txn_next(t), 5020 * MS);
	CU_ASSERT_EQUAL(sip_txn_poll(t, 6000 * MS, &tm), SIPTX_NONE);
	CU_ASSERT_EQUAL(t->state, SIPTX_TERMINATED);
	free(t);
}

/* Timer G retransmits the final response until the ACK; H gives up at
 * 64*T1; the ACK moves to Confirmed (§17.2.1). */
static void test_invite_server_timers(void)
{
	struct sip_timers tm;
	struct sip_txn *t = calloc(1, sizeof *t);
	static const char ok[] = "SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n";
	uint64_t now;
	unsigned retx = 0;
	bool timeout = false;
	sip_timers_default(&tm, 500);
	CU_ASSERT_FATAL(t != NULL);
	sip_txn_server_start(t, true, "z9hG4bKs", "INVITE", 1, 0);
	CU_ASSERT_TRUE(sip_txn_server_respond(t, 180, ok, sizeof ok - 1, 0, &tm));
	CU_ASSERT_EQUAL(sip_txn_next(t), 0);
	CU_ASSERT_TRUE(sip_txn_server_respond(t, 200, ok, sizeof ok - 1, 0, &tm));
	for (now = 0; now <= 40000 * MS && !timeout; now += MS) {
		enum sip_txn_action a = sip_txn_poll(t, now, &tm);
		retx += a == SIPTX_RETRANSMIT;
		timeout = a == SIPTX_TIMEOUT;
	}
	/* 0.5 1.5 3.5 7.5 11.5 ... 31.5: 10 retransmissions, then H. */
	CU_ASSERT_EQUAL(retx, 10);
	CU_ASSERT_TRUE(timeout);
	CU_ASSERT_EQUAL(now - MS, 32000 * MS);
	sip_txn_server_start(t, true, "z9hG4bKt", "INVITE", 1, 0);
	CU_ASSERT_TRUE(sip_txn_server_respond(t, 200, ok, sizeof ok - 1, 0, &tm));
	CU_ASSERT_EQUAL(sip_txn_poll(t, 500 * MS, &tm), SIPTX_RETRANSMIT);
	sip_txn_server_ack(t, 600 * MS, &tm);
	CU_ASSERT_EQUAL(t->state, SIPTX_CONFIRMED);
	CU_ASSERT_EQUAL(sip_txn_next(t), 5600 * MS);   /* Timer I = T4 */
	CU_ASSERT_EQUAL(sip_txn_poll(t, 5600 * MS, &tm), SIPTX_NONE);
	CU_ASSERT_FALSE(t->timed_out);
	/* Too long a message is refused, not cut. */
	{
		char *big = malloc(SIP_TX_MAX_MSG + 1);
		CU_ASSERT_FATAL(big != NULL);
		memset(big, 'a', SIP_TX_MAX_MSG + 1);
		CU_ASSERT_FALSE(sip_txn_server_respond(t, 200, big, SIP_TX_MAX_MSG + 1, 0, &tm));
		CU_ASSERT_FALSE(sip_txn_client_start(t, true, "b", "INVITE", 1, big,
						     SIP_TX_MAX_MSG + 1, 0, &tm));
		free(big);
	}
	free(t);
}

static void test_sip_buf_and_token(void)
{
	char mem[16], tok[17], tok2[17];
	struct sip_buf b;
	sip_buf_init(&b, mem, sizeof mem);
	sip_buf_printf(&b, "CSeq: %u", 12u);
	CU_ASSERT_STRING_EQUAL(mem, "CSeq: 12");
	CU_ASSERT_FALSE(b.overflow);
	sip_buf_printf(&b, " %s", "INVITE-too-long");
	CU_ASSERT_TRUE(b.overflow);
	CU_ASSERT_STRING_EQUAL(mem, "CSeq: 12");     /* nothing written past the cap */
	sip_buf_put(&b, "x", 1);
	CU_ASSERT_EQUAL(b.len, 8);
	CU_ASSERT_TRUE(sip_tx_token(tok, sizeof tok));
	CU_ASSERT_TRUE(sip_tx_token(tok2, sizeof tok2));
	CU_ASSERT_EQUAL(strlen(tok), 16);
	CU_ASSERT_EQUAL(strspn(tok, "0123456789abcdef"), 16);
	CU_ASSERT_STRING_NOT_EQUAL(tok, tok2);
}

/* The plan keeps the replayed side's clear RTP with relative timing and
 * timestamps, skips the other side, other calls and broken headers. */
static void test_plan_on_frame(void)
{
	struct replay_plan p;
	struct stream st;
	struct sa_frame fr;
	struct frame_out fo;
	uint8_t rtp[12 + 4 + 160];
	memset(&st, 0, sizeof st);
	memset(&fr, 0, sizeof fr);
	memset(&fo, 0, sizeof fo);
	memset(rtp, 0xd5, sizeof rtp);
	rtp[0] = 0x81;            /* V=2, one CSRC */
	rtp[1] = 0x80 | 8;        /* marker, PCMA */
	rtp[4] = 0; rtp[5] = 0; rtp[6] = 0x10; rtp[7] = 0x00;
	st.kind = SDEC_RTP;
	st.sender = PARTY_CALLER;
	fo.frame = &fr;
	fo.stream = &st;
	fo.rtp = rtp;
	fo.rtp_len = sizeof rtp;
	fo.call_id = "abc@h";
	replay_plan_init(&p, "abc@h", PARTY_CALLER);
	fr.ts_ns = 1000 * MS;
	replay_plan_on_frame(&p, &fo);
	rtp[6] = 0x10; rtp[7] = 0xa0;  /* +160 */
	rtp[1] = 8;
	fr.ts_ns = 1020 * MS;
	replay_plan_on_frame(&p, &fo);
	st.sender = PARTY_CALLEE;       /* the other side */
	replay_plan_on_frame(&p, &fo);
	st.sender = PARTY_CALLER;
	fo.call_id = "other";
	replay_plan_on_frame(&p, &fo);
	fo.call_id = "abc@h";
	fo.rtp_len = 13;                /* a CSRC promised, not there */
	replay_plan_on_frame(&p, &fo);
	CU_ASSERT_EQUAL(p.n, 2);
	CU_ASSERT_EQUAL(p.other_side_packets, 1);
	CU_ASSERT_EQUAL(p.pkts[0].plen, 160);
	CU_ASSERT_EQUAL(p.pkts[0].pt, 8);
	CU_ASSERT_TRUE(p.pkts[0].marker);
	CU_ASSERT_FALSE(p.pkts[1].marker);
	CU_ASSERT_EQUAL(p.pkts[1].t_ns, 20 * MS);
	CU_ASSERT_EQUAL(p.pkts[1].ts_off, 160);
	CU_ASSERT_EQUAL(p.pkts[1].payload[0], 0xd5);
	replay_plan_cleanup(&p);
	CU_ASSERT_EQUAL(p.n, 0);
	/* Without --call the first call seen is adopted. */
	replay_plan_init(&p, "", PARTY_CALLER);
	fo.rtp_len = sizeof rtp;
	replay_plan_on_frame(&p, &fo);
	CU_ASSERT_STRING_EQUAL(p.call_id, "abc@h");
	CU_ASSERT_EQUAL(p.n, 1);
	replay_plan_cleanup(&p);
}

static void test_exit_status(void)
{
	struct replay_result r;
	memset(&r, 0, sizeof r);
	CU_ASSERT_EQUAL(replay_exit_status(&r), 0);
	r.verdicts[RC_FINGERPRINT].v = VERDICT_FAIL;
	CU_ASSERT_EQUAL(replay_exit_status(&r), 1);
	r.abort = REPLAY_ABORT_TIMEOUT;
	CU_ASSERT_EQUAL(replay_exit_status(&r), 2);
	CU_ASSERT_STRING_EQUAL(replay_check_name(RC_PACING), "pacing_accuracy");
	CU_ASSERT_STRING_EQUAL(replay_method_name(REPLAY_METHOD_NONE), "none");
	CU_ASSERT_STRING_EQUAL(replay_abort_name(REPLAY_ABORT_UNREACHABLE), "unreachable");
}


/* Over TCP (reliable): no Timer A, B still fires at 64*T1; Timer D and K
 * are zero; a non-2xx final response is not retransmitted (no G) but a
 * 2xx is (§13.3.1.4); I and J are zero (RFC 3261 §17). */
static void test_reliable_timers(void)
{
	struct sip_timers tm;
	struct sip_txn *t = calloc(1, sizeof *t);
	uint64_t now;
	unsigned retx = 0;
	bool timeout = false;
	sip_timers_default(&tm, 500);
	tm.reliable = true;
	CU_ASSERT_FATAL(t != NULL);
	CU_ASSERT_TRUE(sip_txn_client_start(t, true, "z9hG4bKt", "INVITE", 1, req,
					    sizeof req - 1, 0, &tm));
	CU_ASSERT_EQUAL(t->retx_at, 0);
	for (now = 0; now <= 40000 * MS && !timeout; now += 10 * MS) {
		enum sip_txn_action a = sip_txn_poll(t, now, &tm);
		retx += a == SIPTX_RETRANSMIT;
		timeout = a == SIPTX_TIMEOUT;
	}
	CU_ASSERT_EQUAL(retx, 0);
	CU_ASSERT_TRUE(timeout);
	CU_ASSERT_EQUAL(now - 10 * MS, 32000 * MS);
	/* non-2xx final: Timer D = 0, terminated at once */
	CU_ASSERT_TRUE(sip_txn_client_start(t, true, "z9hG4bKu", "INVITE", 2, req,
					    sizeof req - 1, 0, &tm));
	sip_txn_client_response(t, 486, 5 * MS, &tm);
	CU_ASSERT_EQUAL(t->state, SIPTX_TERMINATED);
	CU_ASSERT_EQUAL(sip_txn_next(t), 0);
	/* non-INVITE: no Timer E, K = 0 */
	CU_ASSERT_TRUE(sip_txn_client_start(t, false, "z9hG4bKv", "BYE", 3, req,
					    sizeof req - 1, 0, &tm));
	CU_ASSERT_EQUAL(sip_txn_next(t), 32000 * MS);    /* only F */
	sip_txn_client_response(t, 200, MS, &tm);
	CU_ASSERT_EQUAL(t->state, SIPTX_TERMINATED);
	/* server INVITE: 486 not retransmitted, H still at 64*T1 */
	sip_txn_server_start(t, true, "z9hG4bKw", "INVITE", 1, 0);
	CU_ASSERT_TRUE(sip_txn_server_respond(t, 486, req, sizeof req - 1, 0, &tm));
	CU_ASSERT_EQUAL(t->retx_at, 0);
	CU_ASSERT_EQUAL(t->deadline, 32000 * MS);
	sip_txn_server_ack(t, MS, &tm);
	CU_ASSERT_EQUAL(t->state, SIPTX_TERMINATED);    /* Timer I = 0 */
	/* server INVITE: a 2xx is retransmitted until the ACK */
	sip_txn_server_start(t, true, "z9hG4bKx", "INVITE", 1, 0);
	CU_ASSERT_TRUE(sip_txn_server_respond(t, 200, req, sizeof req - 1, 0, &tm));
	CU_ASSERT_EQUAL(sip_txn_poll(t, 500 * MS, &tm), SIPTX_RETRANSMIT);
	/* server non-INVITE: Timer J = 0 */
	sip_txn_server_start(t, false, "z9hG4bKy", "BYE", 4, 0);
	CU_ASSERT_TRUE(sip_txn_server_respond(t, 200, req, sizeof req - 1, 0, &tm));
	CU_ASSERT_EQUAL(t->state, SIPTX_TERMINATED);
	free(t);
}

/* RFC 2617 §3.5's worked example (MD5, qop=auth) and RFC 7616 §3.9.1's
 * (SHA-256), the challenge parser on quoted, escaped and token values,
 * and the Authorization value built from a parsed challenge. */
static void test_digest(void)
{
	static const char ch1[] = "Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", "
		"nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"";
	static const char ch2[] = "Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", "
		"algorithm=SHA-256, nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", "
		"opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\", stale=TRUE";
	struct sip_digest d, back;
	char out[80], hdr[700];
	CU_ASSERT_EQUAL(sip_digest_parse(ch1, sizeof ch1 - 1, &d), SA_OK);
	CU_ASSERT_STRING_EQUAL(d.realm, "testrealm@host.com");
	CU_ASSERT_STRING_EQUAL(d.opaque, "5ccc069c403ebaf9f0171e9517f40e41");
	CU_ASSERT_TRUE(sip_digest_qop_auth(&d));
	CU_ASSERT_FALSE(d.stale);
	CU_ASSERT_EQUAL(sip_digest_alg_of(d.algorithm), SIP_DIGEST_MD5);
	CU_ASSERT_TRUE(sip_digest_compute(SIP_DIGEST_MD5, "Mufasa", d.realm, "Circle Of Life", "GET",
					  "/dir/index.html", d.nonce, "auth", "00000001", "0a4f113b",
					  out, sizeof out));
	CU_ASSERT_STRING_EQUAL(out, "6629fae49393a05397450978507c4ef1");
	CU_ASSERT_EQUAL(sip_digest_parse(ch2, sizeof ch2 - 1, &d), SA_OK);
	CU_ASSERT_EQUAL(sip_digest_alg_of(d.algorithm), SIP_DIGEST_SHA256);
	CU_ASSERT_TRUE(d.stale);
	CU_ASSERT_TRUE(sip_digest_compute(SIP_DIGEST_SHA256, "Mufasa", d.realm, "Circle of Life", "GET",
					  "/dir/index.html", d.nonce, "auth", "00000001",
					  "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", out, sizeof out));
	CU_ASSERT_STRING_EQUAL(out, "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
	/* built credentials parse back and carry the same response */
	CU_ASSERT_TRUE(sip_digest_authorization(&d, "Mufasa", "Circle of Life", "GET", "/dir/index.html",
						"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", 1, hdr, sizeof hdr));
	CU_ASSERT_EQUAL(sip_digest_parse(hdr, strlen(hdr), &back), SA_OK);
	CU_ASSERT_STRING_EQUAL(back.response, out);
	CU_ASSERT_STRING_EQUAL(back.nc, "00000001");
	CU_ASSERT_STRING_EQUAL(back.qop, "auth");
	CU_ASSERT_STRING_EQUAL(back.opaque, d.opaque);
	CU_ASSERT_STRING_EQUAL(back.algorithm, "SHA-256");
	/* no qop (RFC 2069 form): no cnonce/nc in the value */
	CU_ASSERT_EQUAL(sip_digest_parse("Digest realm=\"r\", nonce=\"n\"", 27, &d), SA_OK);
	CU_ASSERT_TRUE(sip_digest_authorization(&d, "u", "p", "INVITE", "sip:b@h", "c", 1, hdr, sizeof hdr));
	CU_ASSERT_PTR_NULL(strstr(hdr, "cnonce"));
	CU_ASSERT_TRUE(sip_digest_compute(SIP_DIGEST_MD5, "u", "r", "p", "INVITE", "sip:b@h", "n",
					  NULL, NULL, NULL, out, sizeof out));
	CU_ASSERT_PTR_NOT_NULL(strstr(hdr, out));
	/* escapes, other schemes, broken and truncated lists */
	CU_ASSERT_EQUAL(sip_digest_parse("Digest realm=\"a\\\"b\"", 19, &d), SA_OK);
	CU_ASSERT_STRING_EQUAL(d.realm, "a\"b");
	CU_ASSERT_EQUAL(sip_digest_parse("Basic realm=\"x\"", 15, &d), SA_UNSUPPORTED);
	CU_ASSERT_EQUAL(sip_digest_parse("Digest realm", 12, &d), SA_MALFORMED);
	CU_ASSERT_EQUAL(sip_digest_parse("Digest realm=\"unterminated", 26, &d), SA_MALFORMED);
	CU_ASSERT_EQUAL(sip_digest_parse(ch1, 40, &d), SA_MALFORMED);   /* cut inside a quote */
	CU_ASSERT_EQUAL(sip_digest_alg_of("MD5-sess"), SIP_DIGEST_UNKNOWN);
	d.algorithm[0] = '\0';
	snprintf(d.algorithm, sizeof d.algorithm, "MD5-sess");
	CU_ASSERT_FALSE(sip_digest_authorization(&d, "u", "p", "INVITE", "sip:b@h", "c", 1, hdr, sizeof hdr));
	{
		char big[400];
		memset(big, 'a', sizeof big);
		memcpy(big, "Digest nonce=", 13);
		CU_ASSERT_EQUAL(sip_digest_parse(big, sizeof big, &d), SA_MALFORMED); /* over the field */
	}
}

/* Route sets (RFC 3261 §12.1.2, §12.2.1.1): the 2xx's Record-Route
 * reversed for a UAC, loose and strict first hops, next-hop address,
 * broken and oversized lists. */
static void test_route_set(void)
{
	static const char rr1[] = "<sip:p1.example.com;lr>, \"Edge, proxy\" <sip:10.0.0.2:5070;lr;transport=udp>;x=\"a,b\"";
	static const char rr2[] = "<sip:[2001:db8::9]:5080;lr>";
	struct sip_route_set rs;
	char ruri[SIP_ROUTE_URI], mem[1024], host[64];
	struct sip_buf b;
	uint16_t port;
	size_t i;
	memset(&rs, 0, sizeof rs);
	CU_ASSERT_EQUAL(sip_route_add_rr(&rs, rr1, sizeof rr1 - 1), SA_OK);
	CU_ASSERT_EQUAL(sip_route_add_rr(&rs, rr2, sizeof rr2 - 1), SA_OK);
	CU_ASSERT_EQUAL(rs.n, 3);
	CU_ASSERT_STRING_EQUAL(rs.uri[1], "sip:10.0.0.2:5070;lr;transport=udp");
	sip_route_reverse(&rs);   /* UAC: the callee's proxy first */
	CU_ASSERT_STRING_EQUAL(rs.uri[0], "sip:[2001:db8::9]:5080;lr");
	CU_ASSERT_STRING_EQUAL(rs.uri[2], "sip:p1.example.com;lr");
	CU_ASSERT_TRUE(sip_uri_is_loose(rs.uri[0]));
	CU_ASSERT_FALSE(sip_uri_is_loose("sip:p.example.com;lrx"));
	CU_ASSERT_FALSE(sip_uri_is_loose("sip:p.example.com?h=;lr"));
	/* Loose first hop: Request-URI = remote target, Route = the set. */
	sip_buf_init(&b, mem, sizeof mem);
	CU_ASSERT_TRUE(sip_route_request(&rs, "sip:bob@192.0.2.4:5062", ruri, sizeof ruri, &b));
	CU_ASSERT_STRING_EQUAL(ruri, "sip:bob@192.0.2.4:5062");
	CU_ASSERT_STRING_EQUAL(mem, "Route: <sip:[2001:db8::9]:5080;lr>, "
			       "<sip:10.0.0.2:5070;lr;transport=udp>, <sip:p1.example.com;lr>\r\n");
	CU_ASSERT_TRUE(sip_uri_hostport(rs.uri[0], host, sizeof host, &port));
	CU_ASSERT_STRING_EQUAL(host, "2001:db8::9");
	CU_ASSERT_EQUAL(port, 5080);
	CU_ASSERT_TRUE(sip_uri_hostport("sip:alice@127.0.0.1;transport=tcp", host, sizeof host, &port));
	CU_ASSERT_STRING_EQUAL(host, "127.0.0.1");
	CU_ASSERT_EQUAL(port, 0);
	CU_ASSERT_FALSE(sip_uri_hostport("tel:+123", host, sizeof host, &port));
	CU_ASSERT_FALSE(sip_uri_hostport("sip:h:99999", host, sizeof host, &port));
	CU_ASSERT_FALSE(sip_uri_hostport("sip:h:", host, sizeof host, &port));
	CU_ASSERT_FALSE(sip_uri_hostport("sip:[::1", host, sizeof host, &port));
	/* Strict first hop: it becomes the Request-URI; the remote target
	 * goes last in Route (§12.2.1.1). */
	memset(&rs, 0, sizeof rs);
	CU_ASSERT_EQUAL(sip_route_add_rr(&rs, "<sip:strict.example.com>,<sip:p2;lr>", 36), SA_OK);
	sip_buf_init(&b, mem, sizeof mem);
	CU_ASSERT_TRUE(sip_route_request(&rs, "sip:bob@h", ruri, sizeof ruri, &b));
	CU_ASSERT_STRING_EQUAL(ruri, "sip:strict.example.com");
	CU_ASSERT_STRING_EQUAL(mem, "Route: <sip:p2;lr>, <sip:bob@h>\r\n");
	/* No route set: the remote target, no Route line. */
	memset(&rs, 0, sizeof rs);
	sip_buf_init(&b, mem, sizeof mem);
	CU_ASSERT_TRUE(sip_route_request(&rs, "sip:bob@h", ruri, sizeof ruri, &b));
	CU_ASSERT_EQUAL(b.len, 0);
	CU_ASSERT_STRING_EQUAL(ruri, "sip:bob@h");
	/* Broken lists keep what came before; the cap holds. */
	CU_ASSERT_EQUAL(sip_route_add_rr(&rs, "<sip:a;lr>, sip:b;lr", 20), SA_MALFORMED);
	CU_ASSERT_EQUAL(rs.n, 1);
	CU_ASSERT_EQUAL(sip_route_add_rr(&rs, "<sip:a;lr", 9), SA_MALFORMED);
	CU_ASSERT_EQUAL(sip_route_add_rr(&rs, "<>", 2), SA_MALFORMED);
	CU_ASSERT_EQUAL(rs.n, 1);
	for (i = 0; i < SIP_ROUTE_MAX; i++)
		(void)sip_route_add_rr(&rs, "<sip:x;lr>", 10);
	CU_ASSERT_EQUAL(rs.n, SIP_ROUTE_MAX);
	CU_ASSERT_EQUAL(sip_route_add_rr(&rs, "<sip:y;lr>", 10), SA_NOMEM);
	{
		char big[SIP_ROUTE_URI + 8];
		memset(big, 'a', sizeof big);
		big[0] = '<';
		big[sizeof big - 1] = '>';
		memset(&rs, 0, sizeof rs);
		CU_ASSERT_EQUAL(sip_route_add_rr(&rs, big, sizeof big), SA_MALFORMED);
		CU_ASSERT_EQUAL(rs.n, 0);
	}
	/* A Route line that does not fit: false. */
	memset(&rs, 0, sizeof rs);
	CU_ASSERT_EQUAL(sip_route_add_rr(&rs, "<sip:p1;lr>", 11), SA_OK);
	sip_buf_init(&b, mem, 10);
	CU_ASSERT_FALSE(sip_route_request(&rs, "sip:bob@h", ruri, sizeof ruri, &b));
}

static const CU_TestInfo tests[] = {
	{ "route set: Record-Route, loose/strict, next hop", test_route_set },
	{ "INVITE client: Timer A and B", test_invite_client_timers },
	{ "INVITE client: Proceeding, 2xx, non-2xx", test_invite_client_proceeding },
	{ "non-INVITE client: Timer E, F and K", test_noninvite_client_timers },
	{ "INVITE server: Timer G, H and I", test_invite_server_timers },
	{ "reliable transport: no A/E/G, zero D/I/J/K", test_reliable_timers },
	{ "digest: RFC 2617 and RFC 7616 examples, parser", test_digest },
	{ "capped builder and tokens", test_sip_buf_and_token },
	{ "plan collects the side's RTP", test_plan_on_frame },
	{ "exit status and names", test_exit_status },
	CU_TEST_INFO_NULL,
};

#define SUITE_NAME "replay_sip"
#include "cu_main.h"
