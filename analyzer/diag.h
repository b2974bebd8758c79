/* diag.h - the diagnostics sink.
 *
 * Modules never print.  They report human detail to a sink the caller
 * passes: a level, where (file, frame; either may be absent), and a message
 * that reads like a compiler's (what, where, what was expected, what to do).
 * A NULL sink, or a sink with a NULL emit, drops messages.
 */
#ifndef SA_DIAG_H
#define SA_DIAG_H

#include <stdint.h>

enum diag_level {
	DIAG_NOTE,
	DIAG_WARNING,
	DIAG_ERROR,
};

struct diag_sink {
	/* file may be NULL; frame 0 means "no frame". msg has no trailing newline. */
	void (*emit)(void *ctx, enum diag_level level, const char *file,
		     uint64_t frame, const char *msg);
	void *ctx;
};

/* diag_emit - format and send one message to sink (NULL-safe). */
void diag_emit(const struct diag_sink *sink, enum diag_level level,
	       const char *file, uint64_t frame, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

const char *diag_level_name(enum diag_level level);

#endif
