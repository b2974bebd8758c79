/* pipeline.h - one pass over a capture: reader, decoding, reassembly,
 * classification and packet accounting, filling the result model.
 *
 * The pipeline owns every per-capture structure (fragment table, TCP
 * streams, the result) and frees them in pipeline_free().  Memory grows
 * with live flows and reassembly state, never with the number of packets.
 */
#ifndef SA_PIPELINE_H
#define SA_PIPELINE_H

#include <stddef.h>

#include "diag.h"
#include "result.h"
#include "status.h"

struct pipeline_options {
	const struct diag_sink *diag; /* warnings and errors; may be NULL */
};

struct pipeline;

/* pipeline_run - read every file in names as one capture and analyse it.
 * Returns SA_IO when a file cannot be opened at all (nothing is analysed;
 * the message went to diag) and SA_NOMEM on allocation failure; otherwise
 * SA_OK, also when some frames were malformed or a file was cut short (the
 * result says so).  *out is set whenever the status is SA_OK and must be
 * freed with pipeline_free(). */
enum sa_status pipeline_run(const char *const *names, size_t n,
			    const struct pipeline_options *opt,
			    struct pipeline **out);

const struct result *pipeline_result(const struct pipeline *p);

/* pipeline_free - free the pipeline and its result (NULL-safe). */
void pipeline_free(struct pipeline *p);

#endif
