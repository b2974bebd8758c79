/* diag.c - see diag.h. */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>

void diag_emit(const struct diag_sink *sink, enum diag_level level,
	       const char *file, uint64_t frame, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	if (!sink || !sink->emit)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	sink->emit(sink->ctx, level, file, frame, buf);
}

const char *diag_level_name(enum diag_level level)
{
	switch (level) {
	case DIAG_NOTE: return "note";
	case DIAG_WARNING: return "warning";
	case DIAG_ERROR: return "error";
	}
	return "note";
}
