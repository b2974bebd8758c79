/* text.h - pointer+length views over untrusted text (SIP, SDP, a=crypto,
 * key logs).
 *
 * A struct sv never assumes NUL termination and owns nothing.  Helpers are
 * bounded: numbers are parsed with overflow checks, lines end at CRLF or LF,
 * tokens are split without copying.  No sscanf/atoi/strtok on packet data.
 */
#ifndef SA_TEXT_H
#define SA_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cursor.h"

struct sv {
	const char *p;
	size_t n;
};

#define SV_LIT(s) ((struct sv){ (s), sizeof(s) - 1 })

static inline struct sv sv_make(const void *p, size_t n)
{
	struct sv v = { (const char *)p, n };
	return v;
}

/* sv_cstr - view of a NUL-terminated C string (our own strings only). */
struct sv sv_cstr(const char *s);

bool sv_eq(struct sv a, struct sv b);
/* sv_eq_ci - ASCII case-insensitive equality. */
bool sv_eq_ci(struct sv a, struct sv b);
bool sv_eq_cstr_ci(struct sv a, const char *s);
bool sv_starts_with_ci(struct sv a, const char *prefix);

/* sv_trim - drop leading and trailing spaces and tabs. */
struct sv sv_trim(struct sv v);
struct sv sv_ltrim(struct sv v);

/* sv_next_line - split off the next line (without its CRLF/LF) from *rest.
 * Returns false when *rest is empty.  *terminated tells whether a line end
 * was seen (false: the input ended inside the line). */
bool sv_next_line(struct sv *rest, struct sv *line, bool *terminated);

/* sv_split_char - split v at the first c: head before, tail after.  False
 * (head = v, tail empty) when c is absent. */
bool sv_split_char(struct sv v, char c, struct sv *head, struct sv *tail);

/* sv_next_token - skip spaces/tabs, take the next run of non-blank bytes. */
bool sv_next_token(struct sv *rest, struct sv *tok);

/* sv_find - index of needle in v, or -1.  Case-sensitive. */
long sv_find(struct sv v, struct sv needle);

/* sv_u64 - whole v is a decimal number no larger than max.  No sign, no
 * blanks; false on overflow, empty input or any other byte. */
SA_WUR bool sv_u64(struct sv v, uint64_t max, uint64_t *out);
SA_WUR bool sv_u32(struct sv v, uint32_t *out);
SA_WUR bool sv_u16(struct sv v, uint16_t *out);

/* sv_hex_decode - decode an even-length hex string into out (cap bytes).
 * Accepts upper and lower case.  *len gets the byte count. */
SA_WUR bool sv_hex_decode(struct sv v, uint8_t *out, size_t cap, size_t *len);

/* sv_copy_cstr - copy v into buf as a NUL-terminated string, cut to
 * cap - 1 bytes.  Returns buf.  For messages and keys, not for parsing. */
char *sv_copy_cstr(struct sv v, char *buf, size_t cap);

#endif
