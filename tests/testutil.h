/* testutil.h - small helpers shared by the CUnit suites (test code only). */
#ifndef SA_TESTUTIL_H
#define SA_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

/* tu_slurp - the whole file, NUL-terminated (one extra byte), *len its
 * size (len may be NULL).  NULL when it cannot be read.  Free with free(). */
uint8_t *tu_slurp(const char *path, size_t *len);

/* tu_srcpath - "$top_srcdir/rel" into buf (fallback: SA_TOP_SRCDIR when
 * defined, else "."); returns buf. */
const char *tu_srcpath(const char *rel, char *buf, size_t cap);

#endif
