/* fuzz_sdes.c - libFuzzer harness: the value of an a=crypto attribute
 * (sdes.h, RFC 4568 §9.1) and the strict base64 decoder behind it. */
#include <stdint.h>
#include <string.h>

#include "fuzz.h"
#include "sdes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sdes_crypto c;
	struct sdes_errors errs;
	uint8_t key[SDES_MAX_KEY_BYTES];
	size_t len, i;
	bool unpadded;
	unsigned sum = 0;

	memset(&c, 0, sizeof c);
	(void)sdes_parse(sv_make(data, size), &c, &errs);
	sum += fz_touch(c.suite_name.p, c.suite_name.n);
	for (i = 0; i < c.n_keys && i < SDES_MAX_KEYS; i++)
		sum += (unsigned)c.keys[i].key_len;
	for (i = 0; i < c.n_unknown && i < SDES_MAX_UNKNOWN; i++)
		sum += fz_touch(c.unknown[i].p, c.unknown[i].n);
	if (sdes_base64_decode(sv_make(data, size), key, sizeof key, &len, &unpadded))
		sum += fz_touch(key, len);
	(void)sum;
	return 0;
}
