/* test_junit.c - CUnit suite for the JUnit XML report (report_junit.c):
 * report_xml_clean on hostile bytes, and whole reports written from a call
 * table fed real SIP text plus hand-made findings, read back with libxml2
 * (counts, attribute values, text) and validated against tests/junit.xsd.
 */
#include <CUnit/CUnit.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>

#include "calls.h"
#include "checks.h"
#include "report.h"
#include "sip.h"

#ifndef TOP_SRCDIR
#define TOP_SRCDIR "."
#endif

/* ---- report_xml_clean ------------------------------------------------- */

static void expect_clean(const char *in, size_t n, const char *want)
{
	char *got = report_xml_clean(in, n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(got);
	CU_ASSERT_STRING_EQUAL(got, want);
	if (strcmp(got, want) != 0)
		fprintf(stderr, "\n  clean: got '%s', want '%s'\n", got, want);
	free(got);
}

#define CLEAN(lit, want) expect_clean((lit), sizeof(lit) - 1, (want))
#define FFFD "\xef\xbf\xbd"

static void test_clean_exact(void)
{
	CLEAN("sip:alice@example.com", "sip:alice@example.com");
	CLEAN("", "");
	/* The Call-ID of the brief: ]]>, NUL, 0x01, 0xff, markup, quotes.
	 * Markup stays (the XML writer escapes it); the rest is made visible. */
	CLEAN("a]]>b\0c\x01" "d\xff" "e<script>\"'&",
	      "a]]>b\\x00c\\x01d" FFFD "e<script>\"'&");
	CLEAN("tab\tlf\ncr\r", "tab\tlf\ncr\r");
	CLEAN("del\x7f esc\x1b[31m", "del\\x7f esc\\x1b[31m");
	CLEAN("nel\xc2\x85" "end", "nel\\u0085end");         /* C1 control */
	CLEAN("\xc2\xa0\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", /* nbsp é € U+1F600 */
	      "\xc2\xa0\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
	CLEAN("\xc0\xaf", FFFD FFFD);                         /* overlong '/' */
	CLEAN("\xe0\x80\xaf", FFFD FFFD FFFD);                /* overlong, 3 bytes */
	CLEAN("\xed\xa0\x80", FFFD FFFD FFFD);                /* surrogate D800 */
	CLEAN("\xf4\x90\x80\x80", FFFD FFFD FFFD FFFD);       /* past U+10FFFF */
	CLEAN("\xef\xbf\xbe|\xef\xbf\xbf", FFFD "|" FFFD);    /* non-characters */
	CLEAN("x\xe2\x82", "x" FFFD FFFD);                    /* cut short */
	CLEAN("\xe2(\xa1", FFFD "(" FFFD);                    /* bad continuation */
	CLEAN("\x80\xbf\xf8", FFFD FFFD FFFD);                /* lone continuations, F8 */
}

static void test_clean_cap(void)
{
	size_t n = REPORT_XML_CLEAN_MAX + 100;
	char *in = malloc(n), *out;
	CU_ASSERT_PTR_NOT_NULL_FATAL(in);
	memset(in, 'a', n);
	out = report_xml_clean(in, n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	CU_ASSERT_EQUAL(strlen(out), REPORT_XML_CLEAN_MAX + 3);
	CU_ASSERT_STRING_EQUAL(out + REPORT_XML_CLEAN_MAX, "\xe2\x80\xa6");
	free(out);
	free(in);
}

/* Random bytes: the output is always UTF-8 made of XML 1.0 characters. */
static void test_clean_random(void)
{
	uint32_t seed = 12345;
	unsigned round, bad = 0;
	for (round = 0; round < 20000; round++) {
		unsigned char in[64];
		size_t n, i;
		char *out;
		const unsigned char *p;
		seed = seed * 1103515245u + 12345u;
		n = (seed >> 16) % sizeof in;
		for (i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			in[i] = (unsigned char)(seed >> 16);
			if (round % 3 == 0 && in[i] >= 0x80)  /* more valid-looking UTF-8 */
				in[i] = (unsigned char)(0x80 | (in[i] & 0x3f));
		}
		out = report_xml_clean((const char *)in, n);
		CU_ASSERT_PTR_NOT_NULL_FATAL(out);
		if (!xmlCheckUTF8((const xmlChar *)out)) {
			bad++;
		} else {
			for (p = (const unsigned char *)out; *p;) {
				int len = 4;
				int cp = xmlGetUTF8Char(p, &len);
				bool ok = cp == 0x9 || cp == 0xa || cp == 0xd ||
					  (cp >= 0x20 && cp <= 0xd7ff) ||
					  (cp >= 0xe000 && cp <= 0xfffd) ||
					  (cp >= 0x10000 && cp <= 0x10ffff);
				if (cp < 0 || !ok || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f)) {
					bad++;
					break;
				}
				p += len;
			}
		}
		free(out);
	}
	CU_ASSERT_EQUAL(bad, 0);
}

/* ---- a call table fed real SIP text ----------------------------------- */

static void feed(struct call_table *t, const char *msg, size_t len,
		 uint64_t frame, uint64_t ts_ns)
{
	struct sip_msg m;
	struct sip_diag d;
	struct sip_ctx ctx;
	const char *why = NULL;
	memset(&ctx, 0, sizeof ctx);
	ctx.frame = frame;
	ctx.ts_ns = ts_ns;
	memset(&d, 0, sizeof d);
	CU_ASSERT_EQUAL_FATAL(sip_msg_parse((const uint8_t *)msg, len,
					    SIP_PARSE_DATAGRAM, &m, &d), SA_OK);
	CU_ASSERT_EQUAL_FATAL(calls_on_sip(t, &m, &ctx, &why), SA_OK);
}

#define FEED(t, lit, frame, ts) feed((t), (lit), sizeof(lit) - 1, (frame), (ts))

/* The hostile Call-ID as it appears on the wire (after "Call-ID: "). */
#define EVIL_ID "evil]]>x\x01y\xffz<script>\"'&"
/* ...and as the report must show it. */
#define EVIL_SHOWN "evil]]>x\\x01y" FFFD "z<script>\"'&"

#define T0 1700000000500000000ull   /* 2023-11-14T22:13:20.5Z */

static struct call_table *calls_make(void)
{
	struct call_table *t = call_table_new(NULL, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	/* Call 0: hostile Call-ID and From, answered, 2.25 s long. */
	FEED(t, "INVITE sip:bob@example.com SIP/2.0\r\n"
		"Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1\r\n"
		"From: <sip:al\"i'ce&x@example.com>;tag=a1\r\n"
		"To: <sip:bob@example.com>\r\n"
		"Call-ID: " EVIL_ID "\r\n"
		"CSeq: 1 INVITE\r\n"
		"Content-Length: 0\r\n\r\n", 10, T0);
	FEED(t, "SIP/2.0 200 OK\r\n"
		"Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1\r\n"
		"From: <sip:al\"i'ce&x@example.com>;tag=a1\r\n"
		"To: <sip:bob@example.com>;tag=b1\r\n"
		"Call-ID: " EVIL_ID "\r\n"
		"CSeq: 1 INVITE\r\n"
		"Content-Length: 0\r\n\r\n", 12, T0 + 250000000ull);
	FEED(t, "BYE sip:alice@10.0.0.1 SIP/2.0\r\n"
		"Via: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK2\r\n"
		"From: <sip:bob@example.com>;tag=b1\r\n"
		"To: <sip:al\"i'ce&x@example.com>;tag=a1\r\n"
		"Call-ID: " EVIL_ID "\r\n"
		"CSeq: 2 BYE\r\n"
		"Content-Length: 0\r\n\r\n", 40, T0 + 2250000000ull);
	/* Call 1: plain, rejected. */
	FEED(t, "INVITE sip:carol@example.com SIP/2.0\r\n"
		"Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK3\r\n"
		"From: <sip:dave@example.com>;tag=d1\r\n"
		"To: <sip:carol@example.com>\r\n"
		"Call-ID: call-2@example.com\r\n"
		"CSeq: 1 INVITE\r\n"
		"Content-Length: 0\r\n\r\n", 50, T0 + 3000000000ull);
	FEED(t, "SIP/2.0 486 Busy Here\r\n"
		"Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK3\r\n"
		"From: <sip:dave@example.com>;tag=d1\r\n"
		"To: <sip:carol@example.com>;tag=c1\r\n"
		"Call-ID: call-2@example.com\r\n"
		"CSeq: 1 INVITE\r\n"
		"Content-Length: 0\r\n\r\n", 51, T0 + 3100000000ull);
	CU_ASSERT_EQUAL_FATAL(call_table_count(t), 2);
	return t;
}

/* ---- fake findings ---------------------------------------------------- */

/* The checks the tests use, with the severities the expectations assume. */
static void catalogue_assumptions(void)
{
	static const struct { const char *id; enum severity sev; } need[] = {
		{ "SETUP-MISSING", SEV_ERROR }, { "SETUP-ANSWER-ACTPASS", SEV_ERROR },
		{ "SDES-KEY-REUSE", SEV_ERROR }, { "FP-HEX-UPPER", SEV_WARNING },
		{ "DTLS-HANDSHAKE-INFO", SEV_INFO }, { "FP-PRESENT", SEV_ERROR },
		{ "MUX-PT-64-95", SEV_ERROR }, { "SRTP-BEFORE-HANDSHAKE", SEV_ERROR },
	};
	size_t i;
	for (i = 0; i < sizeof need / sizeof need[0]; i++) {
		const struct check_def *c = check_find(need[i].id);
		if (!c || c->sev != need[i].sev)
			fprintf(stderr, "\n  catalogue changed: %s is %s; update test_junit.c\n",
				need[i].id, c ? severity_name(c->sev) : "gone");
		CU_ASSERT_PTR_NOT_NULL_FATAL(c);
		CU_ASSERT_EQUAL_FATAL(c->sev, need[i].sev);
	}
}

/* cat - a string made from catalogue fields: 'I' id, 'S' summary, 'R' rfc,
 * 'E' explain of check id, other characters copied.  Static buffer. */
static const char *cat(const char *id, const char *fmt)
{
	static char buf[2048];
	const struct check_def *c = check_find(id);
	size_t o = 0;
	buf[0] = '\0';
	if (!c)
		return "?";
	for (; *fmt && o < sizeof buf - 1; fmt++) {
		const char *s = *fmt == 'I' ? c->id : *fmt == 'S' ? c->summary :
				*fmt == 'R' ? c->rfc : *fmt == 'E' ? c->explain : NULL;
		if (s)
			o += (size_t)snprintf(buf + o, sizeof buf - o, "%s", s);
		else
			buf[o++] = *fmt;
		if (o >= sizeof buf)
			o = sizeof buf - 1;
	}
	buf[o] = '\0';
	return buf;
}

static void set_status(struct findings *f, size_t call, const char *id,
		       enum check_status s)
{
	const struct check_def *c = check_find(id);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	f->status[call * check_count() + check_index(c)] = (uint8_t)s;
}

static void add(struct findings *f, long call, const char *id, long media,
		const char *msg, uint64_t fr1, uint64_t fr2)
{
	struct finding *x;
	CU_ASSERT_FATAL(f->n < f->cap);
	x = &f->v[f->n++];
	memset(x, 0, sizeof *x);
	x->check = check_find(id);
	CU_ASSERT_PTR_NOT_NULL_FATAL(x->check);
	x->call = call;
	x->media = media;
	x->dtls_flow = -1;
	x->frames[x->nframes++] = fr1;
	if (fr2)
		x->frames[x->nframes++] = fr2;
	snprintf(x->message, sizeof x->message, "%s", msg);
	f->by_sev[x->check->sev]++;
	if (call >= 0)
		set_status(f, (size_t)call, id, CHECK_FAIL);
}

/* Call 0: ACTPASS (error, 2 frames, hostile text), FP-HEX-UPPER (warning),
 * DTLS-HANDSHAKE-INFO (info), FP-PRESENT passed.  Call 1: SETUP-MISSING
 * twice (m=0, m=1), MUX-PT-64-95 passed.  Capture: SDES-KEY-REUSE.  The
 * findings are not in (call, check) order on purpose. */
static void findings_make(struct findings *f)
{
	memset(f, 0, sizeof *f);
	f->cap = 16;
	f->v = calloc(f->cap, sizeof *f->v);
	f->ncalls = 2;
	f->status = calloc(f->ncalls * check_count(), 1);
	CU_ASSERT_FATAL(f->v && f->status);
	add(f, 1, "SETUP-MISSING", 1, "the answer has no a=setup", 51, 0);
	add(f, 0, "SETUP-ANSWER-ACTPASS", 0,
	    "answer a=setup:actpass ]]> <b>\x01\xff (expected active or passive)", 12, 14);
	add(f, -1, "SDES-KEY-REUSE", -1, "key 0xAB.. in two calls", 7, 0);
	add(f, 0, "FP-HEX-UPPER", 0, "fingerprint in lower case", 12, 0);
	add(f, 1, "SETUP-MISSING", 0, "the offer has no a=setup", 50, 0);
	add(f, 0, "DTLS-HANDSHAKE-INFO", 0, "handshake took 120 ms, 1 retransmission", 20, 31);
	set_status(f, 0, "FP-PRESENT", CHECK_PASS);
	set_status(f, 1, "MUX-PT-64-95", CHECK_PASS);
}

static void findings_free_fake(struct findings *f)
{
	free(f->v);
	free(f->status);
}

static struct file_summary files[2];

static void result_make(struct result *r, const struct call_table *t)
{
	memset(r, 0, sizeof *r);
	memset(files, 0, sizeof files);
	files[0].name = (char *)"first\x01.pcap";
	files[0].frames = 40;
	files[0].link_name = "EN10MB";
	files[0].link_supported = true;
	files[1].name = (char *)"second.pcapng";
	files[1].frames = 11;
	files[1].link_supported = true;
	files[1].read_error = true;
	files[1].error = (char *)"cut short after 11 frames";
	r->files = files;
	r->nfiles = 2;
	r->calls = t;
	r->packets.total = 51;
}

/* ---- reading a report back -------------------------------------------- */

static char tmpl[64];

static xmlDocPtr write_and_read(const struct result *r, const struct findings *f,
				const struct report_opts *o)
{
	FILE *fp;
	int fd;
	xmlDocPtr doc;
	snprintf(tmpl, sizeof tmpl, "/tmp/sa-junit.XXXXXX");
	fd = mkstemp(tmpl);
	CU_ASSERT_FATAL(fd >= 0);
	fp = fdopen(fd, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	CU_ASSERT_TRUE(report_junit_write(r, f, o, fp));
	CU_ASSERT_EQUAL(fclose(fp), 0);
	doc = xmlReadFile(tmpl, NULL, XML_PARSE_NONET);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	return doc;
}

static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *b = calloc(1, 1 << 20);
	if (fp && b)
		(void)!fread(b, 1, (1 << 20) - 1, fp);
	if (fp)
		fclose(fp);
	return b;
}

static double xnum(xmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, ctx);
	double v = o ? xmlXPathCastToNumber(o) : -1;
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	return v;
}

/* xstr - the string value of an XPath expression (caller frees). */
static char *xstr(xmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, ctx);
	char *v = o ? (char *)xmlXPathCastToString(o) : NULL;
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	return v;
}

#define NUM(doc, expr, want) do { \
	double v_ = xnum((doc), (expr)); \
	CU_ASSERT_EQUAL(v_, (double)(want)); \
	if (v_ != (double)(want)) \
		fprintf(stderr, "\n  %s = %g, want %g\n", (expr), v_, (double)(want)); \
} while (0)

#define STR(doc, expr, want) do { \
	char *s_ = xstr((doc), (expr)); \
	CU_ASSERT_PTR_NOT_NULL(s_); \
	if (s_) { \
		CU_ASSERT_STRING_EQUAL(s_, (want)); \
		if (strcmp(s_, (want))) \
			fprintf(stderr, "\n  %s = '%s', want '%s'\n", (expr), s_, (want)); \
	} \
	xmlFree(s_); \
} while (0)

#define CONTAINS(doc, expr, needle) do { \
	char *s_ = xstr((doc), (expr)); \
	CU_ASSERT_PTR_NOT_NULL(s_); \
	CU_ASSERT_PTR_NOT_NULL(s_ ? strstr(s_, (needle)) : NULL); \
	if (s_ && !strstr(s_, (needle))) \
		fprintf(stderr, "\n  %s = '%s' lacks '%s'\n", (expr), s_, (needle)); \
	xmlFree(s_); \
} while (0)

static int validate(xmlDocPtr doc)
{
	char path[1024];
	const char *top = getenv("top_srcdir");
	xmlSchemaParserCtxtPtr pc;
	xmlSchemaPtr schema;
	xmlSchemaValidCtxtPtr vc;
	int rc;
	snprintf(path, sizeof path, "%s/tests/junit.xsd", top ? top : TOP_SRCDIR);
	pc = xmlSchemaNewParserCtxt(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pc);
	schema = xmlSchemaParse(pc);
	xmlSchemaFreeParserCtxt(pc);
	CU_ASSERT_PTR_NOT_NULL_FATAL(schema);
	vc = xmlSchemaNewValidCtxt(schema);
	rc = xmlSchemaValidateDoc(vc, doc);
	xmlSchemaFreeValidCtxt(vc);
	xmlSchemaFree(schema);
	return rc;
}

#define SUITE0 "/testsuites/testsuite[1]"
#define SUITE1 "/testsuites/testsuite[2]"
#define SUITE2 "/testsuites/testsuite[3]"
#define CASE(suite, id) suite "/testcase[starts-with(@name, '" id ": ')]"

static void test_report(void)
{
	struct call_table *t = calls_make();
	struct findings f;
	struct result r;
	struct report_opts o;
	xmlDocPtr doc;
	char *raw;
	const int n = (int)check_count();
	catalogue_assumptions();
	findings_make(&f);
	result_make(&r, t);
	report_opts_init(&o);
	CU_ASSERT_EQUAL(o.fail_on, SEV_ERROR);
	doc = write_and_read(&r, &f, &o);
	CU_ASSERT_EQUAL(validate(doc), 0);

	/* Root totals: capture 3 tests (2 files + 1 check), 1 failure,
	 * 1 error; each call n tests. */
	STR(doc, "name(/*)", "testsuites");
	STR(doc, "/testsuites/@name", "srtpaudit");
	NUM(doc, "count(//testsuite)", 3);
	NUM(doc, "count(//testcase)", 3 + 2 * n);
	NUM(doc, "/testsuites/@tests", 3 + 2 * n);
	NUM(doc, "count(//failure)", 3);
	NUM(doc, "/testsuites/@failures", 3);
	NUM(doc, "count(//error)", 1);
	NUM(doc, "/testsuites/@errors", 1);
	NUM(doc, "count(//skipped)", 2 * n - 6);
	NUM(doc, "/testsuites/@skipped", 2 * n - 6);
	STR(doc, "/testsuites/@time", "2.350");

	/* The capture suite. */
	STR(doc, SUITE0 "/@name", "capture");
	NUM(doc, SUITE0 "/@tests", 3);
	NUM(doc, SUITE0 "/@failures", 1);
	NUM(doc, SUITE0 "/@errors", 1);
	NUM(doc, SUITE0 "/@skipped", 0);
	STR(doc, SUITE0 "/testcase[1]/@name", "read first\\x01.pcap");
	CONTAINS(doc, SUITE0 "/testcase[1]/system-out", "40 frames, link type EN10MB");
	STR(doc, SUITE0 "/testcase[2]/error/@message", "cut short after 11 frames");
	STR(doc, SUITE0 "/testcase[2]/@classname", "srtpaudit.capture");
	STR(doc, CASE(SUITE0, "SDES-KEY-REUSE") "/failure/@type", "SDES-KEY-REUSE");
	STR(doc, CASE(SUITE0, "SDES-KEY-REUSE") "/failure/@message",
	    "error: key 0xAB.. in two calls");
	NUM(doc, "count(" SUITE0 "/properties/property[@name='capture_file'])", 2);
	STR(doc, SUITE0 "/properties/property[@name='capture_file'][1]/@value", "first\\x01.pcap");
	STR(doc, SUITE0 "/properties/property[@name='calls']/@value", "2");

	/* Call 0: the hostile Call-ID, cleaned, in the name and properties. */
	STR(doc, SUITE1 "/@name", "call " EVIL_SHOWN);
	STR(doc, SUITE1 "/properties/property[@name='call_id']/@value", EVIL_SHOWN);
	STR(doc, SUITE1 "/properties/property[@name='from']/@value", "sip:al\"i'ce&x@example.com");
	STR(doc, SUITE1 "/properties/property[@name='to']/@value", "sip:bob@example.com");
	STR(doc, SUITE1 "/properties/property[@name='outcome']/@value", "answered");
	STR(doc, SUITE1 "/properties/property[@name='final_code']/@value", "200");
	STR(doc, SUITE1 "/properties/property[@name='transport']/@value", "udp");
	STR(doc, SUITE1 "/properties/property[@name='first_frame']/@value", "10");
	STR(doc, SUITE1 "/properties/property[@name='last_frame']/@value", "40");
	STR(doc, SUITE1 "/properties/property[@name='start']/@value", "2023-11-14T22:13:20.500000Z");
	STR(doc, SUITE1 "/@timestamp", "2023-11-14T22:13:20");
	STR(doc, SUITE1 "/@time", "2.250");
	STR(doc, SUITE1 "/@hostname", "srtpaudit");
	NUM(doc, SUITE1 "/@tests", n);
	NUM(doc, SUITE1 "/@failures", 1);
	NUM(doc, SUITE1 "/@skipped", n - 4);
	/* One test case per check, in catalogue order. */
	STR(doc, SUITE1 "/testcase[1]/@name", cat(check_at(0)->id, "I: S"));
	STR(doc, SUITE1 "/testcase[last()]/@name", cat(check_at(check_count() - 1)->id, "I: S"));
	STR(doc, CASE(SUITE1, "SETUP-MISSING") "/@classname", "srtpaudit.setup");
	STR(doc, CASE(SUITE1, "SETUP-MISSING") "/skipped/@message", "not applicable to this call");
	STR(doc, CASE(SUITE1, "SETUP-ANSWER-ACTPASS") "/@name", cat("SETUP-ANSWER-ACTPASS", "I: S"));
	STR(doc, CASE(SUITE1, "SETUP-ANSWER-ACTPASS") "/failure/@type", "SETUP-ANSWER-ACTPASS");
	STR(doc, CASE(SUITE1, "SETUP-ANSWER-ACTPASS") "/failure/@message",
	    "error: answer a=setup:actpass ]]> <b>\\x01" FFFD " (expected active or passive)");
	CONTAINS(doc, CASE(SUITE1, "SETUP-ANSWER-ACTPASS") "/failure",
		 cat("SETUP-ANSWER-ACTPASS", "error[I] m=0: answer a=setup:actpass ]]> <b>\\x01" FFFD
		     " (expected active or passive) (R) at frames 12, 14\n"));
	CONTAINS(doc, CASE(SUITE1, "SETUP-ANSWER-ACTPASS") "/failure", cat("SETUP-ANSWER-ACTPASS", "\nS.\nE\n"));
	/* A warning below --fail-on error: passed, visible in system-out. */
	NUM(doc, "count(" CASE(SUITE1, "FP-HEX-UPPER") "/*)", 1);
	CONTAINS(doc, CASE(SUITE1, "FP-HEX-UPPER") "/system-out", "below --fail-on error");
	CONTAINS(doc, CASE(SUITE1, "FP-HEX-UPPER") "/system-out",
		 cat("FP-HEX-UPPER", "warning[I] m=0: fingerprint in lower case (R) at frame 12\n"));
	CONTAINS(doc, CASE(SUITE1, "DTLS-HANDSHAKE-INFO") "/system-out", "at frames 20, 31");
	STR(doc, CASE(SUITE1, "DTLS-HANDSHAKE-INFO") "/@classname", "srtpaudit.handshake");
	/* Passed: no child at all. */
	NUM(doc, "count(" CASE(SUITE1, "FP-PRESENT") "/*)", 0);

	/* Call 1: two findings of one check make one failure. */
	STR(doc, SUITE2 "/@name", "call call-2@example.com");
	STR(doc, SUITE2 "/properties/property[@name='outcome']/@value", "rejected");
	STR(doc, SUITE2 "/properties/property[@name='final_code']/@value", "486");
	STR(doc, SUITE2 "/@time", "0.100");
	NUM(doc, SUITE2 "/@failures", 1);
	NUM(doc, SUITE2 "/@skipped", n - 2);
	NUM(doc, "count(" CASE(SUITE2, "SETUP-MISSING") "/failure)", 1);
	STR(doc, CASE(SUITE2, "SETUP-MISSING") "/failure/@message",
	    "error: 2 findings, the first: the offer has no a=setup");
	CONTAINS(doc, CASE(SUITE2, "SETUP-MISSING") "/failure",
		 cat("SETUP-MISSING", "m=0: the offer has no a=setup (R) at frame 50\n"
		     "error[I] m=1: the answer has no a=setup (R) at frame 51\n"));
	NUM(doc, "count(" CASE(SUITE2, "MUX-PT-64-95") "/*)", 0);

	/* The raw bytes hold no CDATA end, no live markup from the capture
	 * and no control characters. */
	raw = slurp(tmpl);
	CU_ASSERT_PTR_NOT_NULL_FATAL(raw);
	CU_ASSERT_PTR_NULL(strstr(raw, "]]>"));
	CU_ASSERT_PTR_NULL(strstr(raw, "<script>"));
	CU_ASSERT_PTR_NULL(strstr(raw, "<b>"));
	CU_ASSERT_PTR_NULL(strchr(raw, '\x01'));
	CU_ASSERT_PTR_NULL(strstr(raw, "<![CDATA["));
	CU_ASSERT_TRUE(xmlCheckUTF8((const xmlChar *)raw));
	free(raw);

	xmlFreeDoc(doc);
	unlink(tmpl);
	findings_free_fake(&f);
	call_table_free(t);
}

/* --fail-on warning and info turn the lower findings into failures. */
static void test_fail_on(void)
{
	struct call_table *t = calls_make();
	struct findings f;
	struct result r;
	struct report_opts o;
	xmlDocPtr doc;
	findings_make(&f);
	result_make(&r, t);
	report_opts_init(&o);
	o.fail_on = SEV_WARNING;
	doc = write_and_read(&r, &f, &o);
	CU_ASSERT_EQUAL(validate(doc), 0);
	NUM(doc, "count(//failure)", 4);
	NUM(doc, "/testsuites/@failures", 4);
	STR(doc, CASE(SUITE1, "FP-HEX-UPPER") "/failure/@message", "warning: fingerprint in lower case");
	CONTAINS(doc, CASE(SUITE1, "DTLS-HANDSHAKE-INFO") "/system-out", "below --fail-on warning");
	xmlFreeDoc(doc);
	unlink(tmpl);

	o.fail_on = SEV_INFO;
	doc = write_and_read(&r, &f, &o);
	CU_ASSERT_EQUAL(validate(doc), 0);
	NUM(doc, "count(//failure)", 5);
	NUM(doc, "count(//testcase/system-out)", 1);  /* only the file's */
	STR(doc, CASE(SUITE1, "DTLS-HANDSHAKE-INFO") "/failure/@type", "DTLS-HANDSHAKE-INFO");
	xmlFreeDoc(doc);
	unlink(tmpl);
	findings_free_fake(&f);
	call_table_free(t);
}

/* --call keeps one call suite; the capture suite stays. */
static void test_call_filter(void)
{
	struct call_table *t = calls_make();
	struct findings f;
	struct result r;
	struct report_opts o;
	xmlDocPtr doc;
	findings_make(&f);
	result_make(&r, t);
	report_opts_init(&o);
	o.call_filter = "call-2@example.com";
	doc = write_and_read(&r, &f, &o);
	CU_ASSERT_EQUAL(validate(doc), 0);
	NUM(doc, "count(//testsuite)", 2);
	STR(doc, SUITE1 "/@name", "call call-2@example.com");
	NUM(doc, "/testsuites/@tests", 3 + (int)check_count());
	NUM(doc, "/testsuites/@failures", 2);
	xmlFreeDoc(doc);
	unlink(tmpl);
	findings_free_fake(&f);
	call_table_free(t);
}

/* No calls, no files, no findings: still a valid report with the capture
 * suite; and calls without findings (checks not run): all skipped. */
static void test_empty(void)
{
	struct result r;
	struct report_opts o;
	struct call_table *t;
	xmlDocPtr doc;
	memset(&r, 0, sizeof r);
	report_opts_init(&o);
	doc = write_and_read(&r, NULL, &o);
	CU_ASSERT_EQUAL(validate(doc), 0);
	NUM(doc, "count(//testsuite)", 1);
	STR(doc, SUITE0 "/@name", "capture");
	NUM(doc, SUITE0 "/@tests", 0);
	NUM(doc, "/testsuites/@tests", 0);
	NUM(doc, "count(//testcase)", 0);
	xmlFreeDoc(doc);
	unlink(tmpl);

	t = calls_make();
	result_make(&r, t);
	doc = write_and_read(&r, NULL, &o);
	CU_ASSERT_EQUAL(validate(doc), 0);
	NUM(doc, "count(//testsuite)", 3);
	NUM(doc, "count(//skipped)", 2 * (int)check_count());
	NUM(doc, "count(//failure)", 0);
	xmlFreeDoc(doc);
	unlink(tmpl);
	call_table_free(t);
}

/* A check marked failed whose findings were dropped past FINDINGS_MAX
 * still fails, and says why nothing is listed. */
static void test_unlisted(void)
{
	struct call_table *t = calls_make();
	struct findings f;
	struct result r;
	struct report_opts o;
	xmlDocPtr doc;
	findings_make(&f);
	f.dropped = 3;
	set_status(&f, 1, "SRTP-BEFORE-HANDSHAKE", CHECK_FAIL);
	result_make(&r, t);
	report_opts_init(&o);
	doc = write_and_read(&r, &f, &o);
	CU_ASSERT_EQUAL(validate(doc), 0);
	STR(doc, CASE(SUITE2, "SRTP-BEFORE-HANDSHAKE") "/failure/@message",
	    cat("SRTP-BEFORE-HANDSHAKE", "error: S"));
	CONTAINS(doc, CASE(SUITE2, "SRTP-BEFORE-HANDSHAKE") "/failure", "findings not listed");
	STR(doc, SUITE0 "/properties/property[@name='findings_dropped']/@value", "3");
	NUM(doc, "/testsuites/@failures", 4);
	xmlFreeDoc(doc);
	unlink(tmpl);
	findings_free_fake(&f);
	call_table_free(t);
}

/* A write error is reported, not hidden. */
static void test_io_error(void)
{
	struct call_table *t;
	struct findings f;
	struct result r;
	struct report_opts o;
	FILE *fp = fopen("/dev/full", "w");
	if (!fp) {
		fprintf(stderr, "\n  /dev/full missing: write error not tested\n");
		return;
	}
	t = calls_make();
	findings_make(&f);
	result_make(&r, t);
	report_opts_init(&o);
	CU_ASSERT_FALSE(report_junit_write(&r, &f, &o, fp));
	fclose(fp);
	findings_free_fake(&f);
	call_table_free(t);
}

/* The schema is not a rubber stamp: it rejects what reporters choke on. */
static void test_schema_rejects(void)
{
	static const char *const bad[] = {
		"<testsuites><testsuite tests='1'/></testsuites>",           /* no name */
		"<testsuites><testsuite name='a' tests='-1'/></testsuites>",
		"<testsuites><testsuite name='a' tests='1' time='1,5'/></testsuites>",
		"<testsuites><testsuite name='a' tests='1' timestamp='yesterday'/></testsuites>",
		"<testsuites><testsuite name='a' tests='1'><testcase name='x'>"
		"<skipped/><failure/></testcase></testsuite></testsuites>",
		"<testsuites><testsuite name='a' tests='1'><testcase name='x'>"
		"<system-out/><failure/></testcase></testsuite></testsuites>",
		"<testsuites><testsuite name='a' tests='1'><testcase/></testsuite></testsuites>",
		"<testsuites><testcase name='x'/></testsuites>",
		"<testsuites><testsuite name='a' tests='1' colour='red'/></testsuites>",
	};
	static const char good[] =
		"<testsuites><testsuite name='a' tests='2' timestamp='2024-01-02T03:04:05'>"
		"<properties><property name='p' value='v'/></properties>"
		"<testcase name='x' classname='c' time='0.5'><failure message='m' type='T'>t</failure>"
		"<failure>u</failure><system-out>o</system-out></testcase>"
		"<testcase name='y'/></testsuite></testsuites>";
	size_t i;
	xmlDocPtr doc = xmlReadMemory(good, (int)sizeof good - 1, "good.xml", NULL, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	CU_ASSERT_EQUAL(validate(doc), 0);
	xmlFreeDoc(doc);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		doc = xmlReadMemory(bad[i], (int)strlen(bad[i]), "bad.xml", NULL, 0);
		CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
		CU_ASSERT_NOT_EQUAL(validate(doc), 0);
		xmlFreeDoc(doc);
	}
}

static void quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static int suite_init(void)
{
	xmlInitParser();
	/* The schema tests provoke validation errors on purpose. */
	xmlSetGenericErrorFunc(NULL, quiet);
	return 0;
}

static int suite_cleanup(void)
{
	xmlCleanupParser();
	return 0;
}

static const CU_TestInfo tests[] = {
	{ "clean: exact replacements", test_clean_exact },
	{ "clean: length cap", test_clean_cap },
	{ "clean: random bytes give XML characters", test_clean_random },
	{ "report: counts, names, escaping, schema", test_report },
	{ "report: --fail-on warning and info", test_fail_on },
	{ "report: --call filter", test_call_filter },
	{ "report: no calls, no findings", test_empty },
	{ "report: failed check with dropped findings", test_unlisted },
	{ "report: write error", test_io_error },
	{ "schema rejects malformed reports", test_schema_rejects },
	CU_TEST_INFO_NULL,
};

#define SUITE_NAME "junit"
#define SUITE_INIT suite_init
#define SUITE_CLEANUP suite_cleanup
#include "cu_main.h"
