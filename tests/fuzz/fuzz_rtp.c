/* fuzz_rtp.c - libFuzzer harness: RTP/RTCP header handling on media
 * datagrams: the RFC 7983 demultiplexer (demux.h), the plain-RTCP test
 * (media.h), RTP statistics (rtpstats.h), the SSRC peek and SRTP/SRTCP
 * unprotection (srtp_stream.h) under a fixed key.
 *
 * Layout: a control byte (bits 0-3: suite; bit 4: unauthenticated SRTP;
 * bit 5: four-byte MKI; bit 6: RTCP stream), then datagrams, each behind a
 * 2-byte big-endian length. */
#include <stdint.h>
#include <string.h>

#include "demux.h"
#include "fuzz.h"
#include "media.h"
#include "rtpstats.h"
#include "srtp_stream.h"

static uint8_t out[70000];

static struct sdec_stream *stream_for(uint8_t ctl, uint32_t ssrc)
{
	struct sdec_params p;
	struct sdec_stream *s = NULL;
	sdec_params_init(&p);
	p.suite = (enum sdec_suite)(1 + (ctl & 0x0f) % (SDEC_SUITE_COUNT - 1));
	memset(p.keys[0].key, 0x2b, sizeof p.keys[0].key);
	memset(p.keys[0].salt, 0x5a, sizeof p.keys[0].salt);
	if (ctl & 0x20) {
		p.keys[0].mki_len = 4;
		memset(p.keys[0].mki, 0, 4);
	}
	p.unauthenticated_srtp = (ctl & 0x10) != 0;
	if (sdec_stream_new(&p, (ctl & 0x40) ? SDEC_RTCP : SDEC_RTP, ssrc, &s, NULL) != SA_OK)
		return NULL;
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz in = { data, size };
	uint8_t ctl = fz_u8(&in);
	struct sdec_stream *s = NULL;
	struct rtpstats st;
	struct rtpstats_summary sum_st;
	uint8_t pts[128];
	uint64_t now = 1000000000u;
	unsigned sum = 0;

	rtpstats_init(&st, 0);
	while (in.n > 0) {
		uint16_t want = fz_u16(&in);
		struct demux_info info;
		struct sdec_result res;
		const uint8_t *p;
		uint32_t ssrc;
		size_t len;
		p = fz_bytes(&in, want, &len);
		now += 20000000u;
		switch (demux_classify(p, len, &info)) {
		case DEMUX_RTP:
			/* RFC 3550 §5.1: SEQ at octet 2, timestamp at octet 4. */
			if (len >= 12)
				rtpstats_packet(&st, (uint16_t)(p[2] << 8 | p[3]),
						(uint32_t)p[4] << 24 | (uint32_t)p[5] << 16 |
						(uint32_t)p[6] << 8 | p[7], info.rtp_pt, now);
			break;
		case DEMUX_RTCP:
			sum += media_rtcp_is_plain(p, len);
			break;
		case DEMUX_TURN_CHANNEL:
			sum += fz_touch(info.channel_payload, info.channel_len);
			break;
		default:
			sum += demux_looks_like_dtls(p, len);
			break;
		}
		if (!sdec_packet_ssrc((ctl & 0x40) ? SDEC_RTCP : SDEC_RTP, p, len, &ssrc))
			continue;
		if (!s && !(s = stream_for(ctl, ssrc)))
			continue;
		if (sdec_unprotect(s, p, len, out, sizeof out, &res) == SA_OK &&
		    res.verdict == SDEC_DECRYPTED)
			sum += fz_touch(out, res.len);
	}
	rtpstats_get(&st, &sum_st);
	sum += (unsigned)rtpstats_pt_list(&st, pts, sizeof pts);
	if (s)
		sum += (unsigned)sdec_stream_counters(s)->decrypted;
	sdec_stream_free(s);
	(void)sum;
	return 0;
}
