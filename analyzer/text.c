/* text.c - pointer+length text views; see text.h. */
#include "text.h"

#include <string.h>

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

struct sv sv_cstr(const char *s)
{
	return sv_make(s, s ? strlen(s) : 0);
}

bool sv_eq(struct sv a, struct sv b)
{
	return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0);
}

bool sv_eq_ci(struct sv a, struct sv b)
{
	size_t i;
	if (a.n != b.n)
		return false;
	for (i = 0; i < a.n; i++)
		if (lower(a.p[i]) != lower(b.p[i]))
			return false;
	return true;
}

bool sv_eq_cstr_ci(struct sv a, const char *s)
{
	return sv_eq_ci(a, sv_cstr(s));
}

bool sv_starts_with_ci(struct sv a, const char *prefix)
{
	struct sv p = sv_cstr(prefix);
	if (a.n < p.n)
		return false;
	return sv_eq_ci(sv_make(a.p, p.n), p);
}

struct sv sv_ltrim(struct sv v)
{
	while (v.n > 0 && (v.p[0] == ' ' || v.p[0] == '\t')) {
		v.p++;
		v.n--;
	}
	return v;
}

struct sv sv_trim(struct sv v)
{
	v = sv_ltrim(v);
	while (v.n > 0 && (v.p[v.n - 1] == ' ' || v.p[v.n - 1] == '\t'))
		v.n--;
	return v;
}

bool sv_next_line(struct sv *rest, struct sv *line, bool *terminated)
{
	size_t i;
	if (rest->n == 0)
		return false;
	for (i = 0; i < rest->n; i++) {
		if (rest->p[i] == '\n') {
			size_t len = i;
			if (len > 0 && rest->p[len - 1] == '\r')
				len--;
			*line = sv_make(rest->p, len);
			*rest = sv_make(rest->p + i + 1, rest->n - i - 1);
			if (terminated)
				*terminated = true;
			return true;
		}
	}
	*line = *rest;
	if (line->n > 0 && line->p[line->n - 1] == '\r')
		line->n--;
	*rest = sv_make(rest->p + rest->n, 0);
	if (terminated)
		*terminated = false;
	return true;
}

bool sv_split_char(struct sv v, char c, struct sv *head, struct sv *tail)
{
	const char *q = v.n ? memchr(v.p, c, v.n) : NULL;
	if (!q) {
		*head = v;
		*tail = sv_make(v.p + v.n, 0);
		return false;
	}
	*head = sv_make(v.p, (size_t)(q - v.p));
	*tail = sv_make(q + 1, v.n - (size_t)(q - v.p) - 1);
	return true;
}

bool sv_next_token(struct sv *rest, struct sv *tok)
{
	size_t i = 0;
	*rest = sv_ltrim(*rest);
	if (rest->n == 0)
		return false;
	while (i < rest->n && rest->p[i] != ' ' && rest->p[i] != '\t')
		i++;
	*tok = sv_make(rest->p, i);
	*rest = sv_make(rest->p + i, rest->n - i);
	return true;
}

long sv_find(struct sv v, struct sv needle)
{
	size_t i;
	if (needle.n == 0)
		return 0;
	if (needle.n > v.n)
		return -1;
	for (i = 0; i + needle.n <= v.n; i++)
		if (v.p[i] == needle.p[0] && memcmp(v.p + i, needle.p, needle.n) == 0)
			return (long)i;
	return -1;
}

bool sv_u64(struct sv v, uint64_t max, uint64_t *out)
{
	uint64_t r = 0;
	size_t i;
	if (v.n == 0)
		return false;
	for (i = 0; i < v.n; i++) {
		unsigned d;
		if (v.p[i] < '0' || v.p[i] > '9')
			return false;
		d = (unsigned)(v.p[i] - '0');
		if (r > (max - d) / 10)
			return false;
		r = r * 10 + d;
	}
	*out = r;
	return true;
}

bool sv_u32(struct sv v, uint32_t *out)
{
	uint64_t r;
	if (!sv_u64(v, UINT32_MAX, &r))
		return false;
	*out = (uint32_t)r;
	return true;
}

bool sv_u16(struct sv v, uint16_t *out)
{
	uint64_t r;
	if (!sv_u64(v, UINT16_MAX, &r))
		return false;
	*out = (uint16_t)r;
	return true;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool sv_hex_decode(struct sv v, uint8_t *out, size_t cap, size_t *len)
{
	size_t i;
	if (v.n % 2 != 0 || v.n / 2 > cap)
		return false;
	for (i = 0; i < v.n; i += 2) {
		int hi = hexval(v.p[i]), lo = hexval(v.p[i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		out[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	*len = v.n / 2;
	return true;
}

char *sv_copy_cstr(struct sv v, char *buf, size_t cap)
{
	size_t n;
	if (cap == 0)
		return buf;
	n = v.n < cap - 1 ? v.n : cap - 1;
	if (n)
		memcpy(buf, v.p, n);
	buf[n] = '\0';
	return buf;
}
