/* report.h - writers from the result model to JSON and terminal text.
 *
 * Reports never parse capture bytes; every capture-derived string is
 * escaped by the writer (jsonw.h for JSON, report_text_escape for the
 * terminal).  The JSON keys are the contract of DESIGN.md: keep names
 * stable, add freely.
 */
#ifndef SA_REPORT_H
#define SA_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "result.h"

struct report_opts {
	bool show_keys;   /* include SRTP master keys and salts */
	bool color;       /* terminal colours (only on a tty) */
	bool verbose;
	bool pretty;      /* indented JSON */
	const char *call_filter; /* --call: only this Call-ID */
};

/* report_json_write - the whole JSON report.  Returns false on an I/O
 * error (the caller names the file). */
bool report_json_write(const struct result *r, const struct report_opts *o,
		       FILE *out);

/* report_text_write - the terminal summary. */
void report_text_write(const struct result *r, const struct report_opts *o,
		       FILE *out);

/* report_calls_text - the `srtpaudit calls` table: one block per call
 * with its media sections and flows. */
void report_calls_text(const struct result *r, const struct report_opts *o,
		       FILE *out);

/* report_text_escape - write s (n bytes, anything) to out with control
 * characters and invalid UTF-8 shown as \xHH, so a capture cannot move the
 * cursor or change colours of the user's terminal. */
void report_text_escape(FILE *out, const char *s, size_t n);

#endif
