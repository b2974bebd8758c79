/* report_replay.h - JSON and JUnit XML reports of a live replay run
 * (replay.h): the run's facts, counters and one verdict per check. */
#ifndef SA_REPORT_REPLAY_H
#define SA_REPORT_REPLAY_H

#include <stdbool.h>
#include <stdio.h>

#include "replay.h"

/* report_replay_json - the JSON object of the run (keys stable: "replay",
 * "verdicts", "sip", "media", "pacing", "exit_status").  capture and
 * call_id name what was replayed.  False on an I/O error. */
bool report_replay_json(const struct replay_result *r, const char *capture,
			const char *call_id, const char *as, FILE *out);

/* report_replay_junit - a "testsuites" document with one "replay" suite
 * and one test case per check (a <failure> for a failed verdict, a
 * <skipped> for a skipped one, an <error> test case "run" when the run
 * was aborted).  Valid against tests/junit.xsd.  False on an I/O or
 * libxml2 error. */
bool report_replay_junit(const struct replay_result *r, const char *capture,
			 const char *call_id, const char *as, FILE *out);

#endif
