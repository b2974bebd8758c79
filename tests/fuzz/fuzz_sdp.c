/* fuzz_sdp.c - libFuzzer harness: SDP text through sdp_parse (sdp.h) with
 * every per-media accessor, then through sdp_desc_from_text (sdp_desc.h),
 * the model the dialogs keep. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "sdp.h"
#include "sdp_desc.h"

static struct sdp *scratch; /* large: allocated once */

static unsigned touch_sv(struct sv v)
{
	return fz_touch(v.p, v.n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct sdp_errors errs;
	struct sdp_desc desc;
	unsigned sum = 0;
	size_t i, j, nfp;

	if (!scratch && !(scratch = malloc(sizeof *scratch)))
		return 0;
	(void)sdp_parse(text, size, scratch, &errs);
	for (i = 0; i < scratch->n_media && i < SDP_MAX_MEDIA; i++) {
		const struct sdp_media *m = &scratch->media[i];
		const struct sdp_fingerprint *fp;
		const struct sdes_crypto *c;
		struct sv v;
		sum += (unsigned)sdp_media_setup(scratch, m);
		sum += (unsigned)sdp_media_direction(scratch, m);
		sum += sdp_media_rtcp_mux(scratch, m);
		(void)sdp_media_connection(scratch, m);
		fp = sdp_media_fingerprints(scratch, m, &nfp);
		for (j = 0; j < nfp; j++)
			sum += (unsigned)sdp_fingerprint_hash_len(fp[j].hash);
		sum += touch_sv(sdp_media_ice_ufrag(scratch, m));
		sum += touch_sv(sdp_media_ice_pwd(scratch, m));
		sum += touch_sv(sdp_media_tls_id(scratch, m));
		for (j = 0; (c = sdp_media_crypto(scratch, m, j)) != NULL; j++)
			sum += touch_sv(c->raw);
		if (sdp_media_find_attr(m, "mid", &v))
			sum += touch_sv(v);
		sum += touch_sv(m->proto);
	}
	(void)sdp_find_bundle(scratch);
	(void)sum;

	memset(&desc, 0, sizeof desc);
	if (sdp_desc_from_text(text, size, scratch, &desc) == SA_OK) {
		for (i = 0; i < desc.n_media; i++) {
			(void)media_desc_is_dtls(&desc.media[i]);
			(void)media_desc_answer_uses_dtls(&desc.media[i]);
			(void)media_desc_is_sdes(&desc.media[i]);
		}
	}
	sdp_desc_cleanup(&desc);
	return 0;
}
