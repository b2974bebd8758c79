/* status.h - the one status enum every srtpaudit module entry point returns.
 *
 * Cursor helpers return bool; module entry points return enum sa_status.
 * A value is never both a status and data: results go through
 * out-parameters.  sa_status_name() gives a stable lower-case word for
 * messages and JSON.
 */
#ifndef SA_STATUS_H
#define SA_STATUS_H

enum sa_status {
	SA_OK = 0,        /* done; out-parameters are valid */
	SA_TRUNCATED,     /* input ended early (caplen < len, message not complete yet) */
	SA_MALFORMED,     /* input violates its format; nothing was consumed */
	SA_UNSUPPORTED,   /* well-formed but something we do not handle */
	SA_NOMEM,         /* an allocation or a resource cap failed */
	SA_IO,            /* a file or socket operation failed */
};

/* sa_status_name - stable name of a status ("ok", "truncated", ...).
 * Never returns NULL. */
const char *sa_status_name(enum sa_status st);

#endif
