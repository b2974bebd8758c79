/* fuzz_srtpkey.c - libFuzzer harness: the --srtp-key value parser
 * (srtpkey_spec.h), its binding formatter and matcher. */
#include <stdint.h>
#include <string.h>

#include "fuzz.h"
#include "srtpkey_spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct srtpkey_spec k;
	char err[SRTPKEY_ERR_LEN];
	char buf[2 * SA_ENDPOINT_STRLEN + 8];
	unsigned sum = 0;

	if (srtpkey_spec_parse(sv_make(data, size), &k, err, sizeof err) == SA_OK) {
		srtpkey_spec_format_binding(&k, buf, sizeof buf);
		sum += (unsigned)strlen(buf);
		sum += (unsigned)srtpkey_spec_match(&k, &k.src, &k.dst, k.ssrc);
	} else {
		sum += (unsigned)strlen(err);
	}
	(void)sum;
	return 0;
}
