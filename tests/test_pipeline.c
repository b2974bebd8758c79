/* test_pipeline.c - CUnit suite for pipeline.h: packet accounting across
 * IP fragments, TCP reassembly, several files, unknown link types, cut
 * files.  Captures are written with libpcap into a temporary folder. */
#include <CUnit/CUnit.h>
#include <pcap/dlt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calls.h"
#include "flows.h"
#include "framebuild.h"
#include "pipeline.h"

static char tmpdir[64];

static const char *tmp_path(const char *name)
{
	static char path[2][128];
	static int k;
	k ^= 1;
	snprintf(path[k], sizeof path[k], "%s/%s", tmpdir, name);
	return path[k];
}

static const char sip_invite[] =
	"INVITE sip:bob@example.com SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776asdhds\r\n"
	"Call-ID: a84b4c76e66710@pc33.example.com\r\n"
	"CSeq: 314159 INVITE\r\n"
	"Content-Length: 0\r\n\r\n";

static const struct result *run(struct pipeline **p, const char *const *files, size_t n)
{
	struct pipeline_options o = { NULL };
	enum sa_status st = pipeline_run(files, n, &o, p);
	CU_ASSERT_EQUAL_FATAL(st, SA_OK);
	return pipeline_result(*p);
}

static uint64_t cat_sum(const struct result *r)
{
	uint64_t s = 0;
	int i;
	for (i = 0; i < PKT_NCAT; i++)
		s += r->packets.cat[i];
	return s;
}

/* One UDP datagram carrying the INVITE, as IPv4 fragments of 24 bytes. */
static void write_fragment(struct fb_pcap *w, uint16_t id, size_t off, size_t len,
			   bool more, const uint8_t *dgram, uint64_t ts)
{
	struct buf f = { .n = 0 };
	put_eth(&f, 0x0800);
	put_ipv4(&f, 17, (uint16_t)len, id, (uint16_t)((more ? 0x2000 : 0) | (off / 8)));
	put(&f, dgram + off, len);
	fb_pcap_add(w, &f, ts);
}

static void test_fragments_accounting(void)
{
	struct buf u = { .n = 0 };
	struct fb_pcap *w;
	struct pipeline *p;
	const struct result *r;
	const char *files[1];
	size_t total;
	put_udp(&u, 5060, 5060, sip_invite);
	total = u.n; /* 8 + INVITE */
	files[0] = tmp_path("frag.pcap");
	w = fb_pcap_open(files[0], DLT_EN10MB);
	/* Datagram 1 (id 1) reversed: last, middle, first -> 3 frames SIP. */
	write_fragment(w, 1, 48, total - 48, false, u.b, 1000);
	write_fragment(w, 1, 24, 24, true, u.b, 1001);
	write_fragment(w, 1, 0, 24, true, u.b, 1002);
	/* Datagram 2 (id 2) never completes: 2 frames counted as other. */
	write_fragment(w, 2, 0, 24, true, u.b, 1003);
	write_fragment(w, 2, 48, total - 48, false, u.b, 1004);
	/* Datagram 3 (id 3): two first fragments with different bytes. */
	write_fragment(w, 3, 0, 24, true, u.b, 1005);
	write_fragment(w, 3, 0, 24, true, u.b + 8, 1006);
	fb_pcap_close(w);

	r = run(&p, files, 1);
	CU_ASSERT_EQUAL(r->packets.total, 7);
	CU_ASSERT_EQUAL(cat_sum(r), 7);
	CU_ASSERT_EQUAL(r->packets.cat[PKT_SIP], 3);
	CU_ASSERT_EQUAL(r->packets.cat[PKT_OTHER], 2);
	CU_ASSERT_EQUAL(r->packets.cat[PKT_MALFORMED], 2);
	CU_ASSERT_EQUAL(r->packets.ip_fragments, 7);
	CU_ASSERT_EQUAL(r->packets.reassembled, 1);
	CU_ASSERT_EQUAL_FATAL(r->nmalformed, 2);
	/* The conflicting pair is frames 6 and 7, listed once each. */
	CU_ASSERT_EQUAL(r->malformed[0].frame + r->malformed[1].frame, 13);
	CU_ASSERT_NOT_EQUAL(r->malformed[0].frame, r->malformed[1].frame);
	pipeline_free(p);
}

static void write_tcp(struct fb_pcap *w, uint32_t seq, uint8_t flags,
		      const char *data, size_t n, uint64_t ts)
{
	struct buf f = { .n = 0 };
	put_eth(&f, 0x0800);
	put_ipv4(&f, 6, (uint16_t)(20 + n), 9, 0);
	put_tcp(&f, 40000, 5060, seq, flags);
	put(&f, data, n);
	fb_pcap_add(w, &f, ts);
}

static void test_tcp_accounting(void)
{
	struct fb_pcap *w;
	struct pipeline *p;
	const struct result *r;
	const char *files[1] = { tmp_path("tcp.pcap") };
	const uint32_t isn = 0xfffffff0; /* wraps inside the message */
	size_t n = strlen(sip_invite);
	w = fb_pcap_open(files[0], DLT_EN10MB);
	write_tcp(w, isn - 1, 0x02, NULL, 0, 1);                 /* SYN */
	write_tcp(w, isn + 40, 0x18, sip_invite + 40, 40, 2);    /* out of order */
	write_tcp(w, isn, 0x18, sip_invite, 40, 3);              /* first part */
	write_tcp(w, isn, 0x18, sip_invite, 40, 4);              /* retransmission */
	write_tcp(w, isn + 80, 0x18, sip_invite + 80, n - 80, 5);
	write_tcp(w, isn + (uint32_t)n, 0x10, NULL, 0, 6);       /* bare ACK */
	fb_pcap_close(w);
	r = run(&p, files, 1);
	CU_ASSERT_EQUAL(r->packets.total, 6);
	CU_ASSERT_EQUAL(cat_sum(r), 6);
	/* The four segments with bytes of the SIP stream count as SIP. */
	CU_ASSERT_EQUAL(r->packets.cat[PKT_SIP], 4);
	CU_ASSERT_EQUAL(r->packets.cat[PKT_OTHER], 2);
	CU_ASSERT_EQUAL(r->packets.tcp_segments, 6);
	CU_ASSERT_EQUAL(r->packets.tcp_retransmissions, 1);
	CU_ASSERT_EQUAL(r->packets.tcp_gaps, 0);
	pipeline_free(p);
}

static void test_merge_and_malformed_numbering(void)
{
	struct fb_pcap *a, *b;
	struct buf f = { .n = 0 }, bad = { .n = 0 };
	struct pipeline *p;
	const struct result *r;
	const char *files[2];
	files[0] = tmp_path("a.pcap");
	files[1] = tmp_path("b.pcap");
	put_eth(&f, 0x0800);
	put_ipv4(&f, 17, 8 + 4, 1, 0);
	put_udp(&f, 1000, 2000, "data");
	put_eth(&bad, 0x0800);
	put_ipv4(&bad, 17, 8, 1, 0);
	put16(&bad, 1); put16(&bad, 2); put16(&bad, 3); put16(&bad, 0); /* UDP length 3 */
	a = fb_pcap_open(files[0], DLT_EN10MB);
	b = fb_pcap_open(files[1], DLT_EN10MB);
	fb_pcap_add(a, &f, 100);    /* merged frame 1 */
	fb_pcap_add(b, &f, 200);    /* merged frame 2 */
	fb_pcap_add(a, &bad, 300);  /* merged frame 3 */
	fb_pcap_add(b, &f, 400);    /* merged frame 4 */
	fb_pcap_close(a);
	fb_pcap_close(b);
	r = run(&p, files, 2);
	CU_ASSERT_EQUAL(r->nfiles, 2);
	CU_ASSERT_EQUAL(r->files[0].frames, 2);
	CU_ASSERT_EQUAL(r->files[1].frames, 2);
	CU_ASSERT_EQUAL(r->packets.total, 4);
	CU_ASSERT_EQUAL(r->packets.cat[PKT_MALFORMED], 1);
	CU_ASSERT_EQUAL_FATAL(r->nmalformed, 1);
	CU_ASSERT_EQUAL(r->malformed[0].frame, 3);
	CU_ASSERT_STRING_EQUAL(r->malformed[0].reason, "UDP length field below 8");
	pipeline_free(p);
	/* Given in the other order, the merge is the same. */
	files[0] = tmp_path("b.pcap");
	files[1] = tmp_path("a.pcap");
	r = run(&p, files, 2);
	CU_ASSERT_EQUAL_FATAL(r->nmalformed, 1);
	CU_ASSERT_EQUAL(r->malformed[0].frame, 3);
	pipeline_free(p);
}

static void test_unknown_link_truncated_cut(void)
{
	struct fb_pcap *w;
	struct buf f = { .n = 0 };
	struct pipeline *p;
	const struct result *r;
	const char *files[1] = { tmp_path("user0.pcap") };
	FILE *fp;
	long size;
	put(&f, "opaque", 6);
	w = fb_pcap_open(files[0], 147 /* DLT_USER0 */);
	fb_pcap_add(w, &f, 1);
	fb_pcap_add(w, &f, 2);
	fb_pcap_close(w);
	r = run(&p, files, 1);
	CU_ASSERT_EQUAL(r->packets.total, 2);
	CU_ASSERT_EQUAL(r->packets.cat[PKT_OTHER], 2);
	CU_ASSERT_EQUAL(r->packets.unknown_link, 2);
	CU_ASSERT_FALSE(r->files[0].link_supported);
	pipeline_free(p);

	/* A snap-length-cut frame is truncated, not malformed; a record cut
	 * in the middle of the file ends that file with an error. */
	files[0] = tmp_path("cut.pcap");
	f.n = 0;
	put_eth(&f, 0x0800);
	put_ipv4(&f, 17, 8 + 200, 1, 0);
	put16(&f, 1); put16(&f, 2); put16(&f, 208); put16(&f, 0);
	put(&f, "abcd", 4);
	w = fb_pcap_open(files[0], DLT_EN10MB);
	fb_pcap_add_cut(w, &f, (uint32_t)f.n + 196, 1);
	fb_pcap_add(w, &f, 2);
	fb_pcap_close(w);
	fp = fopen(files[0], "r+");
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	fseek(fp, 0, SEEK_END);
	size = ftell(fp);
	fclose(fp);
	CU_ASSERT_EQUAL(truncate(files[0], size - 10), 0);
	r = run(&p, files, 1);
	CU_ASSERT_EQUAL(r->packets.total, 1);
	CU_ASSERT_EQUAL(r->packets.truncated, 1);
	CU_ASSERT_EQUAL(r->packets.cat[PKT_MALFORMED], 0);
	CU_ASSERT_TRUE(r->files[0].read_error);
	pipeline_free(p);
}

static void write_udp(struct fb_pcap *w, uint16_t sport, uint16_t dport,
		      const void *data, size_t n, uint64_t ts)
{
	struct buf f = { .n = 0 };
	put_eth(&f, 0x0800);
	put_ipv4(&f, 17, (uint16_t)(8 + n), 1, 0);
	put_udpn(&f, sport, dport, data, n);
	fb_pcap_add(w, &f, ts);
}

/* Bad SIP: each message is counted as malformed with its frame; the good
 * INVITE after them still makes a call. */
static void test_bad_sip_accounting(void)
{
	static const char absurd[] =
		"INVITE sip:a@b SIP/2.0\r\nCall-ID: x1\r\nCSeq: 1 INVITE\r\n"
		"Content-Length: 4294967295\r\n\r\n";
	static const char no_callid[] =
		"INVITE sip:a@b SIP/2.0\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";
	static const uint8_t junk[] = { 0xde, 0xad, 0xbe, 0xef, 0x00, 0x01, 0x02, 0x03 };
	static char many[40000];
	struct fb_pcap *w;
	struct pipeline *p;
	const struct result *r;
	const char *files[1] = { tmp_path("badsip.pcap") };
	size_t n = 0, i;
	n += (size_t)snprintf(many + n, sizeof many - n, "OPTIONS sip:a@b SIP/2.0\r\nCall-ID: m\r\n");
	for (i = 0; i < 3000 && n + 16 < sizeof many; i++)
		n += (size_t)snprintf(many + n, sizeof many - n, "X-%zu: y\r\n", i);
	w = fb_pcap_open(files[0], DLT_EN10MB);
	write_udp(w, 5060, 5060, absurd, strlen(absurd), 1);     /* frame 1 */
	write_udp(w, 5060, 5060, no_callid, strlen(no_callid), 2); /* frame 2 */
	write_udp(w, 5060, 5060, junk, sizeof junk, 3);          /* frame 3 */
	write_udp(w, 5060, 5060, many, n, 4);                    /* frame 4 */
	write_udp(w, 5060, 5060, sip_invite, strlen(sip_invite), 5); /* frame 5 */
	fb_pcap_close(w);
	r = run(&p, files, 1);
	CU_ASSERT_EQUAL(r->packets.total, 5);
	CU_ASSERT_EQUAL(r->packets.cat[PKT_MALFORMED], 4);
	CU_ASSERT_EQUAL(r->packets.cat[PKT_SIP], 1);
	CU_ASSERT_EQUAL_FATAL(r->nmalformed, 4);
	for (i = 0; i < 4; i++)
		CU_ASSERT_EQUAL(r->malformed[i].frame, i + 1);
	CU_ASSERT_EQUAL(call_table_count(r->calls), 1);
	CU_ASSERT_STRING_EQUAL(call_table_at(r->calls, 0)->call_id,
			       "a84b4c76e66710@pc33.example.com");
	pipeline_free(p);
}

static void test_missing_file(void)
{
	struct pipeline *p = NULL;
	const char *files[1] = { tmp_path("does-not-exist.pcap") };
	struct pipeline_options o = { NULL };
	CU_ASSERT_EQUAL(pipeline_run(files, 1, &o, &p), SA_IO);
	CU_ASSERT_PTR_NULL(p);
}

static int suite_init(void)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/sa-pipeline-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int suite_cleanup(void)
{
	static const char *names[] = { "frag.pcap", "tcp.pcap", "a.pcap", "b.pcap",
				       "user0.pcap", "cut.pcap", "badsip.pcap" };
	size_t i;
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		unlink(tmp_path(names[i]));
	return rmdir(tmpdir);
}

static struct endpoint ep4(unsigned host, uint16_t port)
{
	struct endpoint e;
	memset(&e, 0, sizeof e);
	e.ip.family = SA_AF_INET;
	e.ip.a[0] = 10;
	e.ip.a[1] = (uint8_t)(host >> 16);
	e.ip.a[2] = (uint8_t)(host >> 8);
	e.ip.a[3] = (uint8_t)host;
	e.port = port;
	return e;
}

/* The 5-tuple buckets grow with the table (1,024 then x4): every flow is
 * found again from either direction after each growth, and a flow to
 * itself stays one flow. */
static void test_flow_table_growth(void)
{
	enum { N = 20000 };
	struct flow_table *t = flow_table_new(NULL);
	static struct flow *made[N];
	struct flow *f, *self;
	struct endpoint a, b;
	unsigned i, found = 0, back = 0;
	int dir = -1;
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	for (i = 0; i < N; i++) {
		a = ep4(i, 4000);
		b = ep4(i + 1, (uint16_t)(5000 + i % 7));
		made[i] = flow_table_get(t, &a, &b, i + 1, 0, &dir);
		CU_ASSERT_PTR_NOT_NULL_FATAL(made[i]);
		CU_ASSERT_EQUAL(dir, 0);
	}
	CU_ASSERT_EQUAL(flow_table_count(t), N);
	for (i = 0; i < N; i++) {
		a = ep4(i, 4000);
		b = ep4(i + 1, (uint16_t)(5000 + i % 7));
		f = flow_table_get(t, &b, &a, N + i, 0, &dir);
		found += f == made[i];
		back += dir == 1;
	}
	CU_ASSERT_EQUAL(found, N);
	CU_ASSERT_EQUAL(back, N);
	CU_ASSERT_EQUAL(flow_table_count(t), N);
	CU_ASSERT_EQUAL(made[1234]->pkts[0], 1);
	CU_ASSERT_EQUAL(made[1234]->pkts[1], 1);
	a = ep4(99999, 7000);
	self = flow_table_get(t, &a, &a, 1, 0, &dir);
	CU_ASSERT_PTR_EQUAL(flow_table_get(t, &a, &a, 2, 0, &dir), self);
	CU_ASSERT_EQUAL(flow_table_count(t), N + 1);
	flow_table_free(t, NULL);
}

static const CU_TestInfo tests[] = {
	{ "IP fragments: reversed, incomplete, conflicting", test_fragments_accounting },
	{ "TCP SIP stream: out of order, retransmission, wrap", test_tcp_accounting },
	{ "two files merged by timestamp; malformed frame numbers", test_merge_and_malformed_numbering },
	{ "unknown link type, truncated frame, cut file", test_unknown_link_truncated_cut },
	{ "bad SIP counted as malformed with frames", test_bad_sip_accounting },
	{ "missing file", test_missing_file },
	{ "flow table: buckets grow, flows found both ways", test_flow_table_growth },
	CU_TEST_INFO_NULL,
};
#define SUITE_NAME "pipeline"
#define SUITE_INIT suite_init
#define SUITE_CLEANUP suite_cleanup
#include "cu_main.h"
