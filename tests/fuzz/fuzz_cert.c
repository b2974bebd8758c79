/* fuzz_cert.c - libFuzzer harness: certificate handling (cert.h).  The
 * first byte picks the hash for cert_fingerprint (as named in an SDP
 * a=fingerprint), the rest is the DER certificate given to cert_parse. */
#include <stdint.h>

#include "cert.h"
#include "fuzz.h"

static const char *const hashes[] = {
	"sha-256", "SHA-1", "sha-224", "sha-384", "sha-512", "md5", "md2", "sha-3",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz in = { data, size };
	struct sv hash = sv_cstr(hashes[fz_u8(&in) % (sizeof hashes / sizeof hashes[0])]);
	struct cert_info ci;
	uint8_t fp[CERT_FP_MAX];
	size_t fp_len;
	unsigned sum = 0;

	if (cert_parse(in.p, in.n, &ci) == SA_OK) {
		sum += fz_touch(ci.subject, sizeof ci.subject);
		sum += fz_touch(ci.issuer, sizeof ci.issuer);
		(void)cert_key_type_name(ci.key_type);
	}
	if (cert_fingerprint(in.p, in.n, hash, fp, sizeof fp, &fp_len) == SA_OK)
		sum += fz_touch(fp, fp_len);
	sum += (unsigned)cert_fingerprint_len(hash);
	(void)sum;
	return 0;
}
