/* status.c - names for enum sa_status. */
#include "status.h"

const char *sa_status_name(enum sa_status st)
{
	switch (st) {
	case SA_OK: return "ok";
	case SA_TRUNCATED: return "truncated";
	case SA_MALFORMED: return "malformed";
	case SA_UNSUPPORTED: return "unsupported";
	case SA_NOMEM: return "nomem";
	case SA_IO: return "io";
	}
	return "unknown";
}
