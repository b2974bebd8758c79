/* report_junit.c - the JUnit XML report for CI systems (Jenkins, GitLab,
 * GitHub test reporters); see report.h for the structure.
 *
 * Written with libxml2's xmlTextWriter, which escapes markup (<, &, >, ",
 * CR, and TAB/LF inside attributes).  What the writer cannot fix is bytes
 * that are not XML characters at all: every capture-derived string (Call-ID,
 * From, To, file names, finding messages) goes through report_xml_clean
 * first.  No CDATA is written, so "]]>" in a header is plain text.
 *
 * Reporters read the format loosely but agree on this much, which
 * tests/junit.xsd describes: testsuites > testsuite > (properties?,
 * testcase*, system-out?, system-err?); testcase > (skipped | error+ |
 * failure+)?, system-out?, system-err?; counts are non-negative integers,
 * times decimal seconds, timestamp "YYYY-MM-DDTHH:MM:SS" (we write UTC).
 */
#include "report.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/xmlwriter.h>

#include "calls.h"
#include "checks.h"
#include "report_int.h"

/* ---- sanitising ------------------------------------------------------- */

/* utf8_seq - length of the valid UTF-8 sequence at s[0..n) and its code
 * point, or 0 when s does not start one (RFC 3629 §4: no overlongs, no
 * surrogates, nothing past U+10FFFF). */
static size_t utf8_seq(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned char c = s[0];
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len, i;
	uint32_t v;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		v = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		v = c & 0x0f;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		v = c & 0x07;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		unsigned char b = s[i];
		if (b < lo || b > hi)
			return 0;
		lo = 0x80;
		hi = 0xbf;
		v = (v << 6) | (b & 0x3f);
	}
	*cp = v;
	return len;
}

char *report_xml_clean(const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	bool cut = n > REPORT_XML_CLEAN_MAX;
	size_t i = 0, o = 0;
	char *out;
	if (cut)
		n = REPORT_XML_CLEAN_MAX;
	/* At most 6 output bytes per input byte ("\u0085" for 2 input
	 * bytes is 3 per byte; "\x01" 4; U+FFFD 3), plus "…" and NUL. */
	out = malloc(n * 4 + 4);
	if (!out)
		return NULL;
	while (i < n) {
		unsigned char c = u[i];
		uint32_t cp;
		size_t len;
		if (c < 0x80) {
			/* XML 1.0 §2.2 Char: #x9 | #xA | #xD | [#x20-...]. */
			if (c == 0x09 || c == 0x0a || c == 0x0d || (c >= 0x20 && c != 0x7f)) {
				out[o++] = (char)c;
			} else {
				out[o++] = '\\';
				out[o++] = 'x';
				out[o++] = hex[c >> 4];
				out[o++] = hex[c & 15];
			}
			i++;
			continue;
		}
		len = utf8_seq(u + i, n - i, &cp);
		if (len == 0 || cp == 0xfffe || cp == 0xffff) {
			/* U+FFFD, one per offending byte (or per non-character). */
			out[o++] = (char)0xef;
			out[o++] = (char)0xbf;
			out[o++] = (char)0xbd;
			i += len ? len : 1;
		} else if (cp <= 0x9f) {
			/* C1 controls are XML characters but invisible: show them. */
			memcpy(out + o, "\\u00", 4);
			o += 4;
			out[o++] = hex[cp >> 4];
			out[o++] = hex[cp & 15];
			i += len;
		} else {
			memcpy(out + o, u + i, len);
			o += len;
			i += len;
		}
	}
	if (cut) {
		memcpy(out + o, "\xe2\x80\xa6", 3);
		o += 3;
	}
	out[o] = '\0';
	return out;
}

/* ---- writer state ----------------------------------------------------- */

/* A finding's place: findings are visited grouped by (call, check), in
 * frame order within a group. */
struct fkey {
	long call;
	size_t check;
	uint64_t frame;           /* first frame, UINT64_MAX when none */
	size_t idx;
};

struct jw {
	xmlTextWriterPtr w;
	bool failed;
	const struct result *r;
	const struct findings *f;
	const struct report_opts *o;
	struct fkey *keys;        /* findings sorted by fkey_cmp */
	size_t nkeys;
};

static void ck(struct jw *j, int rc)
{
	if (rc < 0)
		j->failed = true;
}

static void start(struct jw *j, const char *name)
{
	ck(j, xmlTextWriterStartElement(j->w, BAD_CAST name));
}

static void end(struct jw *j)
{
	ck(j, xmlTextWriterEndElement(j->w));
}

/* attrn - an attribute: our own ASCII name, a value of n bytes that may
 * hold anything (cleaned). */
static void attrn(struct jw *j, const char *name, const char *v, size_t n)
{
	char *c = report_xml_clean(v ? v : "", v ? n : 0);
	if (!c) {
		j->failed = true;
		return;
	}
	ck(j, xmlTextWriterWriteAttribute(j->w, BAD_CAST name, BAD_CAST c));
	free(c);
}

static void attr(struct jw *j, const char *name, const char *v)
{
	attrn(j, name, v, v ? strlen(v) : 0);
}

static void attr_u64(struct jw *j, const char *name, uint64_t v)
{
	char b[24];
	snprintf(b, sizeof b, "%" PRIu64, v);
	attr(j, name, b);
}

static void attr_secs(struct jw *j, const char *name, uint64_t ns)
{
	char b[32];
	snprintf(b, sizeof b, "%" PRIu64 ".%03u", ns / 1000000000u,
		 (unsigned)(ns % 1000000000u / 1000000u));
	attr(j, name, b);
}

static void text(struct jw *j, const char *s, size_t n)
{
	char *c = report_xml_clean(s, n);
	if (!c) {
		j->failed = true;
		return;
	}
	ck(j, xmlTextWriterWriteString(j->w, BAD_CAST c));
	free(c);
}

static void property(struct jw *j, const char *name, const char *value)
{
	start(j, "property");
	attr(j, "name", name);
	attr(j, "value", value);
	end(j);
}

static void property_u64(struct jw *j, const char *name, uint64_t v)
{
	char b[24];
	snprintf(b, sizeof b, "%" PRIu64, v);
	property(j, name, b);
}

static int fkey_cmp(const void *a, const void *b)
{
	const struct fkey *x = a, *y = b;
	if (x->call != y->call)
		return x->call < y->call ? -1 : 1;
	if (x->check != y->check)
		return x->check < y->check ? -1 : 1;
	if (x->frame != y->frame)
		return x->frame < y->frame ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static bool keys_build(struct jw *j)
{
	const struct findings *f = j->f;
	size_t i;
	if (!f || f->n == 0)
		return true;
	j->keys = malloc(f->n * sizeof *j->keys);
	if (!j->keys)
		return false;
	for (i = 0; i < f->n; i++) {
		const struct finding *x = &f->v[i];
		if (!x->check)
			continue;
		j->keys[j->nkeys].call = x->call < 0 ? -1 : x->call;
		j->keys[j->nkeys].check = check_index(x->check);
		j->keys[j->nkeys].frame = x->nframes ? x->frames[0] : UINT64_MAX;
		j->keys[j->nkeys].idx = i;
		j->nkeys++;
	}
	qsort(j->keys, j->nkeys, sizeof *j->keys, fkey_cmp);
	return true;
}

/* keys_range - the findings of (call, check): keys[*first .. *first+n). */
static size_t keys_range(const struct jw *j, long call, size_t check, size_t *first)
{
	size_t lo = 0, hi = j->nkeys, n = 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct fkey *m = &j->keys[mid];
		if (m->call < call || (m->call == call && m->check < check))
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	while (lo + n < j->nkeys && j->keys[lo + n].call == call &&
	       j->keys[lo + n].check == check)
		n++;
	return n;
}

/* ---- test cases ------------------------------------------------------- */

enum tc_kind { TC_PASS, TC_FAIL, TC_SKIP };

struct tc {
	enum tc_kind kind;
	size_t first, n;          /* findings in keys[] */
	bool unlisted;            /* failed, but the findings were dropped */
};

static enum check_status status_of(const struct jw *j, long call,
				   const struct check_def *c)
{
	const struct findings *f = j->f;
	if (!f || !f->status || call < 0 || (size_t)call >= f->ncalls)
		return CHECK_NA;
	return findings_status(f, (size_t)call, c);
}

/* tc_judge - what the test case of check c for call (-1: capture) is.
 * Findings decide over the status array: a check with findings is never
 * skipped; it fails when its severity is at or above --fail-on, and
 * otherwise passes with its findings in <system-out>. */
static struct tc tc_judge(const struct jw *j, long call, const struct check_def *c)
{
	struct tc t;
	enum check_status st = status_of(j, call, c);
	memset(&t, 0, sizeof t);
	t.n = keys_range(j, call, check_index(c), &t.first);
	if (t.n == 0 && st != CHECK_FAIL) {
		t.kind = st == CHECK_PASS ? TC_PASS : TC_SKIP;
		return t;
	}
	t.unlisted = t.n == 0;
	t.kind = (int)c->sev >= j->o->fail_on ? TC_FAIL : TC_PASS;
	return t;
}

/* finding_line - "error[ID] m=0: message (RFC ...) at frames 12, 14". */
static void finding_line(struct jw *j, const struct finding *x)
{
	char head[160], tail[160];
	size_t k, o, nf = x->nframes < FINDING_MAX_FRAMES ? x->nframes : FINDING_MAX_FRAMES;
	int w;
	if (x->media >= 0)
		snprintf(head, sizeof head, "%s[%s] m=%ld: ",
			 severity_name(x->check->sev), x->check->id, x->media);
	else
		snprintf(head, sizeof head, "%s[%s]: ",
			 severity_name(x->check->sev), x->check->id);
	text(j, head, strlen(head));
	text(j, x->message, strnlen(x->message, sizeof x->message));
	w = snprintf(tail, sizeof tail, " (%s)", x->check->rfc);
	o = w < 0 ? 0 : (size_t)w;
	for (k = 0; k < nf && o < sizeof tail; k++) {
		w = snprintf(tail + o, sizeof tail - o, "%s%" PRIu64,
			     k > 0 ? ", " : nf > 1 ? " at frames " : " at frame ",
			     x->frames[k]);
		o += w < 0 ? 0 : (size_t)w;
	}
	text(j, tail, strnlen(tail, sizeof tail));
	text(j, "\n", 1);
}

static void findings_text(struct jw *j, const struct tc *t, const struct check_def *c)
{
	size_t k;
	char foot[64];
	for (k = 0; k < t->n; k++)
		finding_line(j, &j->f->v[j->keys[t->first + k].idx]);
	if (t->unlisted) {
		snprintf(foot, sizeof foot, "findings not listed (more than %u)\n",
			 (unsigned)FINDINGS_MAX);
		text(j, foot, strlen(foot));
	}
	text(j, "\n", 1);
	text(j, c->summary, strlen(c->summary));
	text(j, ".\n", 2);
	text(j, c->explain, strlen(c->explain));
	text(j, "\n", 1);
}

static void testcase_write(struct jw *j, const struct check_def *c, const struct tc *t)
{
	char name[256];
	start(j, "testcase");
	snprintf(name, sizeof name, "srtpaudit.%s", check_area_name(c->area));
	attr(j, "classname", name);
	snprintf(name, sizeof name, "%s: %s", c->id, c->summary);
	attr(j, "name", name);
	attr(j, "time", "0");
	if (t->kind == TC_SKIP) {
		start(j, "skipped");
		attr(j, "message", "not applicable to this call");
		end(j);
	} else if (t->kind == TC_FAIL) {
		char msg[400];
		if (t->unlisted)
			snprintf(msg, sizeof msg, "%s: %s", severity_name(c->sev), c->summary);
		else if (t->n == 1)
			snprintf(msg, sizeof msg, "%s: %s", severity_name(c->sev),
				 j->f->v[j->keys[t->first].idx].message);
		else
			snprintf(msg, sizeof msg, "%s: %zu findings, the first: %s",
				 severity_name(c->sev), t->n,
				 j->f->v[j->keys[t->first].idx].message);
		start(j, "failure");
		attr(j, "message", msg);
		attr(j, "type", c->id);
		findings_text(j, t, c);
		end(j);
	} else if (t->n > 0) {
		char note[96];
		snprintf(note, sizeof note, "below --fail-on %s, not a failure:\n",
			 severity_name((enum severity)j->o->fail_on));
		start(j, "system-out");
		text(j, note, strlen(note));
		findings_text(j, t, c);
		end(j);
	}
	end(j);
}

/* ---- suites ----------------------------------------------------------- */

struct counts {
	uint64_t tests, failures, errors, skipped;
};

static void counts_add(struct counts *s, enum tc_kind k)
{
	s->tests++;
	if (k == TC_FAIL)
		s->failures++;
	else if (k == TC_SKIP)
		s->skipped++;
}

static void counts_attrs(struct jw *j, const struct counts *s)
{
	attr_u64(j, "tests", s->tests);
	attr_u64(j, "failures", s->failures);
	attr_u64(j, "errors", s->errors);
	attr_u64(j, "skipped", s->skipped);
}

static size_t ncalls(const struct result *r)
{
	return r->calls ? call_table_count(r->calls) : 0;
}

static bool call_selected(const struct jw *j, const struct sa_call *c)
{
	return !j->o->call_filter || strcmp(c->call_id, j->o->call_filter) == 0;
}

static uint64_t call_duration(const struct sa_call *c)
{
	return c->end_ns > c->start_ns ? c->end_ns - c->start_ns : 0;
}

static struct counts capture_counts(const struct jw *j)
{
	struct counts s = { 0, 0, 0, 0 };
	size_t i;
	for (i = 0; i < j->r->nfiles; i++) {
		s.tests++;
		if (j->r->files[i].read_error)
			s.errors++;
	}
	for (i = 0; i < check_count(); i++) {
		struct tc t = tc_judge(j, -1, check_at(i));
		if (t.n > 0)
			counts_add(&s, t.kind);
	}
	return s;
}

static struct counts call_counts(const struct jw *j, size_t call)
{
	struct counts s = { 0, 0, 0, 0 };
	size_t i;
	for (i = 0; i < check_count(); i++)
		counts_add(&s, tc_judge(j, (long)call, check_at(i)).kind);
	return s;
}

/* suite_attrs - the attributes of a testsuite; name is "capture" or
 * "call " + Call-ID (n bytes). */
static void suite_attrs(struct jw *j, const char *name, size_t n, size_t id,
			const struct counts *s, uint64_t ns, const uint64_t *start_ns)
{
	attrn(j, "name", name, n);
	counts_attrs(j, s);
	attr_secs(j, "time", ns);
	if (start_ns) {
		/* The Ant/Jenkins form, without zone or fraction; UTC. */
		time_t sec = (time_t)(*start_ns / 1000000000u);
		struct tm tm;
		char b[32];
		if (gmtime_r(&sec, &tm) && strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%S", &tm))
			attr(j, "timestamp", b);
	}
	attr(j, "hostname", "srtpaudit");
	attr_u64(j, "id", id);
	attr(j, "package", "srtpaudit");
}

static void file_properties(struct jw *j)
{
	size_t i;
	for (i = 0; i < j->r->nfiles; i++)
		property(j, "capture_file", j->r->files[i].name);
}

static void capture_suite(struct jw *j)
{
	struct counts s = capture_counts(j);
	const struct packet_counts *p = &j->r->packets;
	size_t i;
	start(j, "testsuite");
	suite_attrs(j, "capture", 7, 0, &s, 0, NULL);
	start(j, "properties");
	file_properties(j);
	property_u64(j, "packets", p->total);
	property_u64(j, "calls", ncalls(j->r));
	property_u64(j, "findings", j->f ? j->f->n : 0);
	property_u64(j, "findings_dropped", j->f ? j->f->dropped : 0);
	end(j);
	for (i = 0; i < j->r->nfiles; i++) {
		const struct file_summary *fs = &j->r->files[i];
		char *name;
		size_t n = strlen(fs->name);
		start(j, "testcase");
		attr(j, "classname", "srtpaudit.capture");
		name = malloc(n + 6);
		if (!name) {
			j->failed = true;
			return;
		}
		memcpy(name, "read ", 5);
		memcpy(name + 5, fs->name, n + 1);
		attrn(j, "name", name, n + 5);
		free(name);
		attr(j, "time", "0");
		if (fs->read_error) {
			start(j, "error");
			attr(j, "message", fs->error ? fs->error : "the file could not be read to its end");
			attr(j, "type", "read-error");
			static const char why[] = "The capture file could not be read to "
				"its end: calls and findings past that point are missing.\n";
			text(j, why, sizeof why - 1);
			end(j);
		} else {
			char b[160];
			snprintf(b, sizeof b, "%" PRIu64 " frames, link type %s%s\n",
				 fs->frames, fs->link_name ? fs->link_name : "unknown",
				 fs->link_supported ? "" : " (not decoded)");
			start(j, "system-out");
			text(j, b, strlen(b));
			end(j);
		}
		end(j);
	}
	for (i = 0; i < check_count(); i++) {
		const struct check_def *c = check_at(i);
		struct tc t = tc_judge(j, -1, c);
		if (t.n > 0)
			testcase_write(j, c, &t);
	}
	end(j);
}

static void call_suite(struct jw *j, size_t ci)
{
	const struct sa_call *c = call_table_at(j->r->calls, ci);
	struct counts s = call_counts(j, ci);
	char *name, tb[48];
	size_t n = strlen(c->call_id), i;
	name = malloc(n + 6);
	if (!name) {
		j->failed = true;
		return;
	}
	memcpy(name, "call ", 5);
	memcpy(name + 5, c->call_id, n + 1);
	start(j, "testsuite");
	suite_attrs(j, name, n + 5, ci + 1, &s, call_duration(c), &c->start_ns);
	free(name);
	start(j, "properties");
	property(j, "call_id", c->call_id);
	property(j, "from", c->from);
	property(j, "to", c->to);
	property(j, "outcome", call_outcome_name(c->outcome));
	property_u64(j, "final_code", c->final_code);
	property(j, "transport", sip_transport_name(c->transport));
	property_u64(j, "first_frame", c->first_frame);
	property_u64(j, "last_frame", c->last_frame);
	format_time(c->start_ns, tb, sizeof tb);
	property(j, "start", tb);
	format_time(c->end_ns, tb, sizeof tb);
	property(j, "end", tb);
	property(j, "started_before_capture", c->started_before_capture ? "true" : "false");
	file_properties(j);
	end(j);
	for (i = 0; i < check_count(); i++) {
		const struct check_def *d = check_at(i);
		struct tc t = tc_judge(j, (long)ci, d);
		testcase_write(j, d, &t);
	}
	end(j);
}

bool report_junit_write(const struct result *r, const struct findings *f,
			const struct report_opts *o, FILE *out)
{
	struct jw j;
	struct counts total, s;
	xmlOutputBufferPtr ob;
	uint64_t ns = 0;
	size_t i, n = ncalls(r);
	bool ok;

	memset(&j, 0, sizeof j);
	j.r = r;
	j.f = f;
	j.o = o;
	if (!keys_build(&j))
		return false;
	ob = xmlOutputBufferCreateFile(out, NULL);
	if (!ob) {
		free(j.keys);
		return false;
	}
	j.w = xmlNewTextWriter(ob);
	if (!j.w) {
		xmlOutputBufferClose(ob);
		free(j.keys);
		return false;
	}
	ck(&j, xmlTextWriterSetIndent(j.w, 1));
	ck(&j, xmlTextWriterSetIndentString(j.w, BAD_CAST "  "));
	ck(&j, xmlTextWriterStartDocument(j.w, "1.0", "UTF-8", NULL));

	total = capture_counts(&j);
	for (i = 0; i < n; i++) {
		const struct sa_call *c = call_table_at(r->calls, i);
		if (!call_selected(&j, c))
			continue;
		s = call_counts(&j, i);
		total.tests += s.tests;
		total.failures += s.failures;
		total.errors += s.errors;
		total.skipped += s.skipped;
		ns += call_duration(c);
	}
	start(&j, "testsuites");
	attr(&j, "name", "srtpaudit");
	counts_attrs(&j, &total);
	attr_secs(&j, "time", ns);
	capture_suite(&j);
	for (i = 0; i < n && !j.failed; i++)
		if (call_selected(&j, call_table_at(r->calls, i)))
			call_suite(&j, i);
	end(&j);
	ck(&j, xmlTextWriterEndDocument(j.w));
	xmlFreeTextWriter(j.w);   /* flushes and frees ob; out stays open */
	free(j.keys);
	ok = !j.failed;
	if (fflush(out) != 0 || ferror(out))
		ok = false;
	return ok;
}
