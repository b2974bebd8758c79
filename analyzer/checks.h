/* checks.h - the conformance check catalogue and the findings it yields.
 *
 * Each check has a stable ID (SETUP-ANSWER-ACTPASS), a severity, the RFC
 * section it enforces, a one-line summary and an explanation; `srtpaudit
 * checks` prints the catalogue and docs/checks.md lists it (a test keeps
 * them in agreement).  checks_run() judges every call, DTLS association
 * and media flow of a finished pipeline and fills a findings list; per call
 * it also records which checks applied and whether they passed, so that
 * JUnit reports can list passed, failed and skipped test cases.
 * Levels follow ../shared/RFC-NOTES.md: MUST -> error, SHOULD -> warning,
 * MAY / informational -> info.
 */
#ifndef SA_CHECKS_H
#define SA_CHECKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "result.h"

enum severity { SEV_INFO = 0, SEV_WARNING = 1, SEV_ERROR = 2 };

const char *severity_name(enum severity s);
/* severity_parse - "error", "warning" or "info"; false otherwise. */
bool severity_parse(const char *s, enum severity *out);

/* Which part of a call a check judges. */
enum check_area {
	AREA_SETUP, AREA_FINGERPRINT, AREA_USE_SRTP, AREA_HANDSHAKE,
	AREA_RTCP_MUX, AREA_METHOD, AREA_SDES, AREA_LIFETIME, AREA_MEDIA,
	AREA_SIGNALLING,
};

struct check_def {
	const char *id;
	enum severity sev;
	enum check_area area;
	const char *rfc;       /* "RFC 8842 §5.3" */
	const char *summary;   /* one line */
	const char *explain;   /* a few sentences: why it matters, what to do */
};

size_t check_count(void);
const struct check_def *check_at(size_t i);
/* check_find - by ID; NULL when unknown. */
const struct check_def *check_find(const char *id);
size_t check_index(const struct check_def *c);
const char *check_area_name(enum check_area a);

#define FINDING_MAX_FRAMES 4
#define FINDINGS_MAX 100000

struct finding {
	const struct check_def *check;
	long call;             /* index in the call table, -1 capture level */
	long media;            /* media section index, -1 none */
	long dtls_flow;        /* index of the flow of a DTLS association, -1 none */
	uint64_t frames[FINDING_MAX_FRAMES];
	size_t nframes;
	char message[320];     /* observed vs expected, what to do */
};

/* Per call and check: not applicable, passed or failed. */
enum check_status { CHECK_NA = 0, CHECK_PASS, CHECK_FAIL };

struct findings {
	struct finding *v;
	size_t n, cap;
	size_t dropped;        /* past FINDINGS_MAX */
	size_t ncalls;
	uint8_t *status;       /* ncalls * check_count(), enum check_status */
	uint64_t by_sev[3];
};

/* checks_run - judge everything in r (calls, flows, DTLS associations)
 * and fill out.  Returns false when out of memory. */
bool checks_run(const struct result *r, struct findings *out);
void findings_cleanup(struct findings *f);

enum check_status findings_status(const struct findings *f, size_t call,
				  const struct check_def *c);
/* findings_worst - highest severity among findings, or -1 for none. */
int findings_worst(const struct findings *f);

#endif
