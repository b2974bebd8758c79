/* fuzz_pcapng_dsb.c - libFuzzer harness: pcapng Decryption Secrets Blocks
 * (pcapng_dsb.h) read from an in-memory file (fmemopen), with their key
 * log text fed to a key log. */
#include <stdint.h>
#include <stdio.h>

#include "fuzz.h"
#include "keylog.h"
#include "pcapng_dsb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned sum = 0;
	struct diag_sink sink = { fz_diag_emit, &sum };
	struct pcapng_dsb_stats st;
	struct keylog *kl;
	FILE *f;

	if (size == 0)
		return 0; /* fmemopen refuses an empty buffer */
	f = fmemopen((void *)data, size, "rb");
	if (!f)
		return 0;
	kl = keylog_new();
	if (kl) {
		(void)pcapng_dsb_read_stream(f, "fuzz.pcapng", kl, &sink, &st);
		sum += (unsigned)keylog_count(kl);
		keylog_free(kl);
	}
	fclose(f);
	(void)sum;
	return 0;
}
