/* testutil.c - see testutil.h. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>

uint8_t *tu_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *b;
	long n;
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return NULL;
	}
	b = malloc((size_t)n + 1);
	if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
		free(b);
		b = NULL;
	}
	fclose(f);
	if (b) {
		b[n] = 0;
		if (len)
			*len = (size_t)n;
	}
	return b;
}

const char *tu_srcpath(const char *rel, char *buf, size_t cap)
{
	const char *top = getenv("top_srcdir");
#ifdef SA_TOP_SRCDIR
	if (!top)
		top = SA_TOP_SRCDIR;
#endif
	snprintf(buf, cap, "%s/%s", top ? top : ".", rel);
	return buf;
}
