/* jsonw.h - a small streaming JSON writer with correct escaping.
 *
 * Writes to a FILE*.  Strings from captures are escaped: control characters
 * as \u00XX, invalid UTF-8 bytes replaced by U+FFFD, '"' and '\\' escaped,
 * NUL written as \u0000.  The writer tracks nesting (up to JSONW_DEPTH) and
 * commas itself.  Output is pretty-printed with two-space indentation when
 * pretty is true.  Write errors are remembered and reported by
 * jsonw_finish().
 */
#ifndef SA_JSONW_H
#define SA_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JSONW_DEPTH 32

struct jsonw {
	FILE *out;
	bool pretty;
	int depth;
	bool first[JSONW_DEPTH]; /* no element written yet at this level */
	bool after_key;          /* a key was written; the value follows */
	bool failed;             /* nesting misuse or a write error */
};

void jsonw_init(struct jsonw *w, FILE *out, bool pretty);
void jsonw_obj_begin(struct jsonw *w);
void jsonw_obj_end(struct jsonw *w);
void jsonw_arr_begin(struct jsonw *w);
void jsonw_arr_end(struct jsonw *w);
/* jsonw_key - next member name inside an object (our own ASCII names). */
void jsonw_key(struct jsonw *w, const char *key);
void jsonw_str(struct jsonw *w, const char *s);
/* jsonw_strn - a string of n bytes that may hold anything (escaped). */
void jsonw_strn(struct jsonw *w, const char *s, size_t n);
void jsonw_u64(struct jsonw *w, uint64_t v);
void jsonw_i64(struct jsonw *w, int64_t v);
/* jsonw_double - finite values with the given decimals; NaN/inf -> null. */
void jsonw_double(struct jsonw *w, double v, int decimals);
void jsonw_bool(struct jsonw *w, bool v);
void jsonw_null(struct jsonw *w);
/* jsonw_hex - bytes as a lower-case hex string. */
void jsonw_hex(struct jsonw *w, const uint8_t *b, size_t n);
/* jsonw_finish - end the document with a newline; false if anything failed
 * (unbalanced nesting or an I/O error). */
bool jsonw_finish(struct jsonw *w);

/* Shorthands for "key": value members. */
void jsonw_kv_str(struct jsonw *w, const char *key, const char *s);
void jsonw_kv_u64(struct jsonw *w, const char *key, uint64_t v);
void jsonw_kv_bool(struct jsonw *w, const char *key, bool v);

#endif
