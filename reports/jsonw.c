/* jsonw.c - see jsonw.h. */
#include "jsonw.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

void jsonw_init(struct jsonw *w, FILE *out, bool pretty)
{
	memset(w, 0, sizeof *w);
	w->out = out;
	w->pretty = pretty;
	w->first[0] = true;
}

static void newline(struct jsonw *w)
{
	int i;
	if (!w->pretty)
		return;
	fputc('\n', w->out);
	for (i = 0; i < w->depth; i++)
		fputs("  ", w->out);
}

/* Called before every value and key: writes the comma and indentation. */
static void before_item(struct jsonw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->depth > 0) {
		if (!w->first[w->depth])
			fputc(',', w->out);
		newline(w);
	}
	w->first[w->depth] = false;
}

static void open_level(struct jsonw *w, char c)
{
	before_item(w);
	fputc(c, w->out);
	if (w->depth + 1 >= JSONW_DEPTH) {
		w->failed = true;
		return;
	}
	w->depth++;
	w->first[w->depth] = true;
}

static void close_level(struct jsonw *w, char c)
{
	bool empty;
	if (w->depth == 0) {
		w->failed = true;
		return;
	}
	empty = w->first[w->depth];
	w->depth--;
	if (!empty)
		newline(w);
	fputc(c, w->out);
}

void jsonw_obj_begin(struct jsonw *w) { open_level(w, '{'); }
void jsonw_obj_end(struct jsonw *w) { close_level(w, '}'); }
void jsonw_arr_begin(struct jsonw *w) { open_level(w, '['); }
void jsonw_arr_end(struct jsonw *w) { close_level(w, ']'); }

/* Length of a valid UTF-8 sequence at s (RFC 3629 §4), or 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf && n >= 2 && (s[1] & 0xc0) == 0x80)
		return 2;
	if (c >= 0xe0 && c <= 0xef && n >= 3 && (s[1] & 0xc0) == 0x80 &&
	    (s[2] & 0xc0) == 0x80) {
		if (c == 0xe0 && s[1] < 0xa0)
			return 0; /* overlong */
		if (c == 0xed && s[1] >= 0xa0)
			return 0; /* surrogate */
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4 && n >= 4 && (s[1] & 0xc0) == 0x80 &&
	    (s[2] & 0xc0) == 0x80 && (s[3] & 0xc0) == 0x80) {
		if (c == 0xf0 && s[1] < 0x90)
			return 0;
		if (c == 0xf4 && s[1] >= 0x90)
			return 0;
		return 4;
	}
	return 0;
}

static void write_escaped(FILE *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	fputc('"', out);
	while (i < n) {
		unsigned char c = p[i];
		size_t len;
		if (c == '"' || c == '\\') {
			fputc('\\', out);
			fputc(c, out);
			i++;
			continue;
		}
		if (c < 0x20 || c == 0x7f) {
			switch (c) {
			case '\n': fputs("\\n", out); break;
			case '\r': fputs("\\r", out); break;
			case '\t': fputs("\\t", out); break;
			default: fprintf(out, "\\u%04x", c); break;
			}
			i++;
			continue;
		}
		len = utf8_len(p + i, n - i);
		if (len == 0) {
			fputs("\\ufffd", out);
			i++;
			continue;
		}
		fwrite(p + i, 1, len, out);
		i += len;
	}
	fputc('"', out);
}

void jsonw_key(struct jsonw *w, const char *key)
{
	before_item(w);
	write_escaped(w->out, key, strlen(key));
	fputs(w->pretty ? ": " : ":", w->out);
	w->after_key = true;
}

void jsonw_strn(struct jsonw *w, const char *s, size_t n)
{
	before_item(w);
	write_escaped(w->out, s, n);
}

void jsonw_str(struct jsonw *w, const char *s)
{
	if (!s) {
		jsonw_null(w);
		return;
	}
	jsonw_strn(w, s, strlen(s));
}

void jsonw_u64(struct jsonw *w, uint64_t v)
{
	before_item(w);
	fprintf(w->out, "%" PRIu64, v);
}

void jsonw_i64(struct jsonw *w, int64_t v)
{
	before_item(w);
	fprintf(w->out, "%" PRId64, v);
}

void jsonw_double(struct jsonw *w, double v, int decimals)
{
	if (!isfinite(v)) {
		jsonw_null(w);
		return;
	}
	before_item(w);
	fprintf(w->out, "%.*f", decimals, v);
}

void jsonw_bool(struct jsonw *w, bool v)
{
	before_item(w);
	fputs(v ? "true" : "false", w->out);
}

void jsonw_null(struct jsonw *w)
{
	before_item(w);
	fputs("null", w->out);
}

void jsonw_hex(struct jsonw *w, const uint8_t *b, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;
	before_item(w);
	fputc('"', w->out);
	for (i = 0; i < n; i++) {
		fputc(hex[b[i] >> 4], w->out);
		fputc(hex[b[i] & 15], w->out);
	}
	fputc('"', w->out);
}

bool jsonw_finish(struct jsonw *w)
{
	fputc('\n', w->out);
	if (fflush(w->out) != 0 || ferror(w->out))
		w->failed = true;
	return !w->failed && w->depth == 0;
}

void jsonw_kv_str(struct jsonw *w, const char *key, const char *s)
{
	jsonw_key(w, key);
	jsonw_str(w, s);
}

void jsonw_kv_u64(struct jsonw *w, const char *key, uint64_t v)
{
	jsonw_key(w, key);
	jsonw_u64(w, v);
}

void jsonw_kv_bool(struct jsonw *w, const char *key, bool v)
{
	jsonw_key(w, key);
	jsonw_bool(w, v);
}
