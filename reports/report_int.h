/* report_int.h - helpers shared by the report writers (not for callers
 * outside reports/). */
#ifndef SA_REPORT_INT_H
#define SA_REPORT_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "calls.h"
#include "flows.h"
#include "jsonw.h"
#include "report.h"

/* Flows bound to calls, grouped by call index, built once per report. */
struct call_flow_index;
bool call_flow_index_build(const struct result *r, struct call_flow_index **out);
void call_flow_index_free(struct call_flow_index *ix);
size_t call_flows(const struct call_flow_index *ix, size_t call,
		  const struct flow *const **v);

/* media_method - "dtls", "sdes", "both" or "none" for media index i of an
 * exchange: from the answer when there is one, else from the offer
 * (*answered false). */
const char *media_method(const struct oa_exchange *e, size_t i, bool *answered);
/* media_suite - the SDES suite the answer selected, or NULL. */
const char *media_suite(const struct oa_exchange *e, size_t i);
/* format_time - ISO 8601 UTC with microseconds. */
void format_time(uint64_t ns, char *buf, size_t cap);

/* report_json_calls - the "calls" member of the JSON report. */
bool report_json_calls(struct jsonw *w, const struct result *r,
		       const struct report_opts *o);

/* report_json_findings - the findings of one call (-1: capture level) as
 * a JSON array value. */
void report_json_findings(struct jsonw *w, const struct result *r, long call);
/* report_json_dtls - the "dtls" member: every DTLS association. */
void report_json_dtls(struct jsonw *w, const struct result *r, const struct report_opts *o);

/* report_json_streams - the "streams" member. */
void report_json_streams(struct jsonw *w, const struct result *r, const struct report_opts *o);

#endif
