/* report.h - writers from the result model to JSON, JUnit XML and
 * terminal text.
 *
 * Reports never parse capture bytes; every capture-derived string is
 * escaped by the writer (jsonw.h for JSON, report_xml_clean for JUnit
 * XML, report_text_escape for the terminal).  The JSON keys are the
 * contract of DESIGN.md: keep names stable, add freely.
 */
#ifndef SA_REPORT_H
#define SA_REPORT_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "checks.h"
#include "result.h"

struct report_opts {
	bool show_keys;   /* include SRTP master keys and salts */
	bool color;       /* terminal colours (only on a tty) */
	bool verbose;
	bool pretty;      /* indented JSON */
	const char *call_filter; /* --call: only this Call-ID */
	int fail_on;      /* enum severity: findings at or above it fail
			   * (JUnit failures, exit status 1); --fail-on */
};

/* report_opts_init - all options off, fail_on SEV_ERROR (the default of
 * --fail-on).  Start from this rather than memset: SEV_INFO is 0. */
static inline void report_opts_init(struct report_opts *o)
{
	memset(o, 0, sizeof *o);
	o->fail_on = SEV_ERROR;
}

/* report_json_write - the whole JSON report.  Returns false on an I/O
 * error (the caller names the file). */
bool report_json_write(const struct result *r, const struct report_opts *o,
		       FILE *out);

/* report_text_write - the terminal summary. */
void report_text_write(const struct result *r, const struct report_opts *o,
		       FILE *out);

/* report_text_findings - one compiler-style line per finding, grouped by
 * call, then a summary line. */
void report_text_findings(const struct result *r, const struct report_opts *o,
			  FILE *out);

/* report_calls_text - the `srtpaudit calls` table: one block per call
 * with its media sections and flows. */
void report_calls_text(const struct result *r, const struct report_opts *o,
		       FILE *out);

/* report_junit_write - the JUnit XML report (libxml2 xmlTextWriter): a
 * "testsuites" root; a "capture" suite (one test case per capture file,
 * an <error> when it could not be read completely, and one per check with
 * capture-level findings); a suite per call (or only o->call_filter) with
 * the call's metadata as properties and one test case per catalogue check:
 * passed, <failure type="CHECK-ID"> when the call has findings of that
 * check at or above o->fail_on, <skipped> when the check did not apply.
 * Findings below o->fail_on are listed in the test case's <system-out> and
 * the case passes.  f may be NULL (no checks run: every check is skipped).
 * Every capture-derived string goes through report_xml_clean.  Returns
 * false on an I/O error or out of memory (the caller names the file);
 * out is flushed, not closed. */
bool report_junit_write(const struct result *r, const struct findings *f,
			const struct report_opts *o, FILE *out);

/* report_xml_clean - a NUL-terminated copy of s[0..n) (anything: NUL,
 * control bytes, invalid UTF-8) that is valid XML 1.0 character data in
 * UTF-8: TAB, LF, CR and valid UTF-8 are kept; other C0 controls and DEL
 * become the text "\xHH", C1 controls "\u00HH"; bytes that are not valid
 * UTF-8 (overlong, surrogates, past U+10FFFF, cut short) and U+FFFE/U+FFFF
 * become U+FFFD, one per byte.  Input past REPORT_XML_CLEAN_MAX bytes is
 * cut and "..." (U+2026) appended.  Markup characters (<, &, ]]>) are left
 * to the XML writer's escaping.  The caller frees the result; NULL when
 * out of memory. */
#define REPORT_XML_CLEAN_MAX 65536
char *report_xml_clean(const char *s, size_t n);

/* report_text_escape - write s (n bytes, anything) to out with control
 * characters and invalid UTF-8 shown as \xHH, so a capture cannot move the
 * cursor or change colours of the user's terminal. */
void report_text_escape(FILE *out, const char *s, size_t n);

#endif
