/* cursor.h - bounds-checked reading of untrusted binary bytes.
 *
 * A cursor is a view (pointer + bytes left) that owns nothing.  Every read
 * checks the length first, returns bool, writes through an out-parameter and
 * leaves the cursor unchanged when it fails.  Byte order is in the name.
 * Length-prefixed reads return a sub-cursor; cursor_empty() is the "must be
 * empty" check that rejects trailing bytes.  See docs/cursor.md.
 */
#ifndef SA_CURSOR_H
#define SA_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SA_WUR __attribute__((warn_unused_result))

struct cursor {
	const uint8_t *p; /* next unread byte */
	size_t n;         /* bytes left */
};

static inline struct cursor cursor_make(const void *p, size_t n)
{
	struct cursor c = { (const uint8_t *)p, n };
	return c;
}

static inline bool cursor_empty(const struct cursor *c) { return c->n == 0; }
static inline size_t cursor_left(const struct cursor *c) { return c->n; }

/* cursor_skip - advance by n bytes; false (cursor unchanged) if fewer left. */
static inline SA_WUR bool cursor_skip(struct cursor *c, size_t n)
{
	if (c->n < n)
		return false;
	c->p += n;
	c->n -= n;
	return true;
}

/* cursor_bytes - take n bytes as a pointer into the input. */
static inline SA_WUR bool cursor_bytes(struct cursor *c, size_t n, const uint8_t **out)
{
	if (c->n < n)
		return false;
	*out = c->p;
	c->p += n;
	c->n -= n;
	return true;
}

/* cursor_copy - copy n bytes into out. */
static inline SA_WUR bool cursor_copy(struct cursor *c, void *out, size_t n)
{
	const uint8_t *b;
	size_t i;
	if (!cursor_bytes(c, n, &b))
		return false;
	for (i = 0; i < n; i++)
		((uint8_t *)out)[i] = b[i];
	return true;
}

/* cursor_sub - take the next n bytes as a sub-cursor. */
static inline SA_WUR bool cursor_sub(struct cursor *c, size_t n, struct cursor *out)
{
	const uint8_t *b;
	if (!cursor_bytes(c, n, &b))
		return false;
	*out = cursor_make(b, n);
	return true;
}

static inline SA_WUR bool cursor_u8(struct cursor *c, uint8_t *v)
{
	if (c->n < 1)
		return false;
	*v = c->p[0];
	c->p += 1;
	c->n -= 1;
	return true;
}

static inline SA_WUR bool cursor_u16be(struct cursor *c, uint16_t *v)
{
	if (c->n < 2)
		return false;
	*v = (uint16_t)((c->p[0] << 8) | c->p[1]);
	c->p += 2;
	c->n -= 2;
	return true;
}

static inline SA_WUR bool cursor_u16le(struct cursor *c, uint16_t *v)
{
	if (c->n < 2)
		return false;
	*v = (uint16_t)((c->p[1] << 8) | c->p[0]);
	c->p += 2;
	c->n -= 2;
	return true;
}

static inline SA_WUR bool cursor_u24be(struct cursor *c, uint32_t *v)
{
	if (c->n < 3)
		return false;
	*v = ((uint32_t)c->p[0] << 16) | ((uint32_t)c->p[1] << 8) | c->p[2];
	c->p += 3;
	c->n -= 3;
	return true;
}

static inline SA_WUR bool cursor_u32be(struct cursor *c, uint32_t *v)
{
	if (c->n < 4)
		return false;
	*v = ((uint32_t)c->p[0] << 24) | ((uint32_t)c->p[1] << 16) |
	     ((uint32_t)c->p[2] << 8) | c->p[3];
	c->p += 4;
	c->n -= 4;
	return true;
}

static inline SA_WUR bool cursor_u32le(struct cursor *c, uint32_t *v)
{
	if (c->n < 4)
		return false;
	*v = ((uint32_t)c->p[3] << 24) | ((uint32_t)c->p[2] << 16) |
	     ((uint32_t)c->p[1] << 8) | c->p[0];
	c->p += 4;
	c->n -= 4;
	return true;
}

static inline SA_WUR bool cursor_u48be(struct cursor *c, uint64_t *v)
{
	uint64_t r = 0;
	size_t i;
	if (c->n < 6)
		return false;
	for (i = 0; i < 6; i++)
		r = (r << 8) | c->p[i];
	*v = r;
	c->p += 6;
	c->n -= 6;
	return true;
}

static inline SA_WUR bool cursor_u64be(struct cursor *c, uint64_t *v)
{
	uint64_t r = 0;
	size_t i;
	if (c->n < 8)
		return false;
	for (i = 0; i < 8; i++)
		r = (r << 8) | c->p[i];
	*v = r;
	c->p += 8;
	c->n -= 8;
	return true;
}

/* cursor_prefixed8/16/24 - read a length prefix of 1, 2 or 3 bytes and take
 * that many bytes as a sub-cursor.  On failure the cursor is unchanged. */
static inline SA_WUR bool cursor_prefixed8(struct cursor *c, struct cursor *out)
{
	struct cursor save = *c;
	uint8_t len;
	if (!cursor_u8(c, &len) || !cursor_sub(c, len, out)) {
		*c = save;
		return false;
	}
	return true;
}

static inline SA_WUR bool cursor_prefixed16(struct cursor *c, struct cursor *out)
{
	struct cursor save = *c;
	uint16_t len;
	if (!cursor_u16be(c, &len) || !cursor_sub(c, len, out)) {
		*c = save;
		return false;
	}
	return true;
}

static inline SA_WUR bool cursor_prefixed24(struct cursor *c, struct cursor *out)
{
	struct cursor save = *c;
	uint32_t len;
	if (!cursor_u24be(c, &len) || !cursor_sub(c, len, out)) {
		*c = save;
		return false;
	}
	return true;
}

/* cursor_peek_u8 - look at the next byte without consuming it. */
static inline SA_WUR bool cursor_peek_u8(const struct cursor *c, uint8_t *v)
{
	if (c->n < 1)
		return false;
	*v = c->p[0];
	return true;
}

#endif
