/* fuzz_keylog.c - libFuzzer harness: the NSS key log parser (keylog.h).
 * The input is key log text; afterwards the first 32 bytes of the input
 * are looked up as a client random. */
#include <stdint.h>
#include <string.h>

#include "fuzz.h"
#include "keylog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct keylog *kl = keylog_new();
	unsigned sum = 0;
	struct diag_sink sink = { fz_diag_emit, &sum };
	struct keylog_stats st;
	uint8_t random[KEYLOG_RANDOM_LEN] = { 0 };
	const uint8_t *ms;

	if (!kl)
		return 0;
	(void)keylog_add_text(kl, (const char *)data, size, "fuzz", &sink);
	memcpy(random, data, size < sizeof random ? size : sizeof random);
	if (keylog_find(kl, random, &ms))
		sum += fz_touch(ms, KEYLOG_SECRET_LEN);
	keylog_get_stats(kl, &st);
	sum += (unsigned)keylog_count(kl);
	(void)sum;
	keylog_free(kl);
	return 0;
}
