/* fuzz.h - what every libFuzzer harness in tests/fuzz/ shares.
 *
 * Each harness is one .c file defining LLVMFuzzerTestOneInput.  It is
 * linked twice: with -fsanitize=fuzzer into tests/fuzz/fuzz_<name>
 * (make fuzz, configure --enable-fuzzing CC=clang), and with
 * replay_corpus.c into tests/fuzz/replay_<name>, which make check runs over
 * tests/fuzz/corpus/<name>/ with the ordinary compiler.
 *
 * Harnesses that cut structured records out of the input use the small
 * reader below: it never reads past the end and yields zeros once the input
 * is used up, so every input means something.
 */
#ifndef SA_FUZZ_H
#define SA_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fz {
	const uint8_t *p;
	size_t n;
};

static inline uint8_t fz_u8(struct fz *f)
{
	uint8_t v;
	if (f->n == 0)
		return 0;
	v = f->p[0];
	f->p++;
	f->n--;
	return v;
}

static inline uint16_t fz_u16(struct fz *f)
{
	uint16_t hi = fz_u8(f);
	return (uint16_t)(hi << 8 | fz_u8(f));
}

static inline uint32_t fz_u32(struct fz *f)
{
	uint32_t hi = fz_u16(f);
	return hi << 16 | fz_u16(f);
}

/* fz_bytes - take up to want bytes (fewer at the end); *len gets how many. */
static inline const uint8_t *fz_bytes(struct fz *f, size_t want, size_t *len)
{
	const uint8_t *p = f->p;
	if (want > f->n)
		want = f->n;
	f->p += want;
	f->n -= want;
	*len = want;
	return p;
}

/* fz_touch - read every byte of a view the code under test handed back,
 * so that the sanitizers see a view that points outside its buffer. */
static inline unsigned fz_touch(const void *p, size_t n)
{
	const volatile uint8_t *b = p;
	unsigned sum = 0;
	size_t i;
	for (i = 0; i < n; i++)
		sum += b[i];
	return sum;
}

/* A diagnostics sink that reads every message (diag.h), so formatting
 * of capture bytes into messages is exercised too. */
static inline void fz_diag_emit(void *ctx, enum diag_level level, const char *file,
				uint64_t frame, const char *msg)
{
	unsigned *sum = ctx;
	(void)level;
	(void)frame;
	while (file && *file)
		*sum += (unsigned char)*file++;
	while (msg && *msg)
		*sum += (unsigned char)*msg++;
}

#endif
