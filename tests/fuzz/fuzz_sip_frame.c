/* fuzz_sip_frame.c - libFuzzer harness: the SIP stream framer (sip_frame.h)
 * fed in chunks whose sizes come from the input.  Layout: one control
 * byte (bit 0: start in WebSocket mode), then records of one size byte
 * (0xff: a gap in the stream instead of bytes) and that many bytes.  Each
 * emitted message is parsed as the pipeline would. */
#include <stdint.h>
#include <stddef.h>

#include "fuzz.h"
#include "sip.h"
#include "sip_frame.h"

static void on_msg(void *ctx, const uint8_t *msg, size_t len, bool websocket)
{
	struct sip_msg m;
	unsigned *sum = ctx;
	*sum += fz_touch(msg, len);
	if (sip_msg_parse(msg, len, websocket ? SIP_PARSE_DATAGRAM : SIP_PARSE_STREAM,
			  &m, NULL) == SA_OK)
		*sum += (unsigned)m.msg_len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz in = { data, size };
	unsigned sum = 0;
	struct sip_framer *f = sip_framer_new(on_msg, &sum);
	uint8_t ctl;

	if (!f)
		return 0;
	ctl = fz_u8(&in);
	if (ctl & 1)
		sip_framer_set_websocket(f);
	while (in.n > 0) {
		uint8_t want = fz_u8(&in);
		size_t len;
		const uint8_t *p;
		if (want == 0xff) {
			sip_framer_gap(f);
			continue;
		}
		p = fz_bytes(&in, want, &len);
		(void)sip_framer_feed(f, p, len);
	}
	(void)sip_framer_mode(f);
	(void)sip_framer_stats(f);
	sum += fz_touch(sip_framer_last_error(f), 1);
	sip_framer_free(f);
	return 0;
}
