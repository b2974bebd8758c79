/* checks_int.h - what the check files share (private to analyzer/checks*.c). */
#ifndef SA_CHECKS_INT_H
#define SA_CHECKS_INT_H

#include "calls.h"
#include "checks.h"
#include "flows.h"
#include "media.h"

struct chk {
	const struct result *r;
	struct findings *out;
	bool nomem;
	/* Flows bound to each call, grouped (built once). */
	const struct flow **flows;
	size_t *flow_start;      /* ncalls + 1 */
	size_t nflows_all;
	const struct flow **all; /* every flow, creation order */
	bool sdes_clear_reported[2]; /* per party, for the current call */
};

/* chk_pass - check c applied to call (or -1) and passed, unless it failed. */
void chk_pass(struct chk *k, long call, const char *id);
/* chk_fail - a finding of check id; frames[0..nframes) name where. */
void chk_fail(struct chk *k, long call, long media, long dtls_flow, const char *id,
	      const uint64_t *frames, size_t nframes, const char *fmt, ...)
	__attribute__((format(printf, 8, 9)));

/* Flows of a call (bound to it). */
size_t chk_call_flows(const struct chk *k, size_t call, const struct flow *const **v);
long chk_flow_index(const struct chk *k, const struct flow *f);

void checks_signalling(struct chk *k);
void checks_dtls(struct chk *k);
void checks_media(struct chk *k);

#endif
