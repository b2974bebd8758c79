/* rtp_media.h - RTP and RTCP packet building (RFC 3550) and a known G.711
 * test signal, for the fixture generator and the live replay.
 *
 * The signal is a sine tone whose frequency depends on the direction
 * (caller 1000 Hz, callee 440 Hz), amplitude 8000, sampled at 8 kHz and
 * encoded as PCMU (payload type 0) or PCMA (8) with 160 samples per 20 ms
 * packet.  Sample k of a stream is the tone at k/8000 s, where k counts
 * from the stream's first RTP timestamp, so anyone can recompute the
 * expected payload of a packet from its timestamp.
 */
#ifndef SA_RTP_MEDIA_H
#define SA_RTP_MEDIA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"

enum rtp_codec { RTP_CODEC_PCMU = 0, RTP_CODEC_PCMA = 8 };

#define RTP_MEDIA_SAMPLES 160 /* 20 ms at 8 kHz */
#define RTP_HEADER_LEN 12

/* rtp_media_g711 - encode one 16-bit linear sample (ITU-T G.711). */
uint8_t rtp_media_g711(enum rtp_codec codec, int16_t sample);
/* rtp_media_tone - linear sample k of the known signal for a direction
 * (0 = caller, 1 = callee). */
int16_t rtp_media_tone(int direction, uint32_t k);
/* rtp_media_fill - n encoded samples starting at sample k into out. */
void rtp_media_fill(enum rtp_codec codec, int direction, uint32_t k,
		    uint8_t *out, size_t n);

struct rtp_media_hdr {
	bool marker;
	uint8_t pt;
	uint16_t seq;
	uint32_t ts;
	uint32_t ssrc;
};

/* rtp_media_build - write a 12-octet RTP header (version 2, no CSRC, no
 * extension, RFC 3550 §5.1) and the payload into buf.  SA_NOMEM when cap
 * is too small; *len is the packet length on success. */
enum sa_status rtp_media_build(const struct rtp_media_hdr *h, const uint8_t *payload,
			 size_t plen, uint8_t *buf, size_t cap, size_t *len);

/* rtp_media_parse - read an RTP header; *hdr_len is the header length including
 * CSRCs and extension.  SA_TRUNCATED / SA_MALFORMED on bad input. */
enum sa_status rtp_media_parse(const uint8_t *p, size_t n, struct rtp_media_hdr *h,
			 size_t *hdr_len);

struct rtp_media_sender_info {
	uint64_t ntp;          /* NTP timestamp, 32.32 fixed point */
	uint32_t rtp_ts;
	uint32_t packets;
	uint32_t octets;
};

struct rtp_media_report_block {
	uint32_t ssrc;         /* source reported on */
	uint8_t fraction_lost;
	uint32_t cumulative_lost; /* 24 bits */
	uint32_t highest_seq;  /* extended highest sequence number */
	uint32_t jitter;
};

/* rtp_media_rtcp_compound - an SR (sender non-NULL, PT 200) or RR (PT 201)
 * with at most one report block, followed by an SDES CNAME chunk (PT 202),
 * as RFC 3550 §6.1 requires for a compound packet.  SA_NOMEM when cap is
 * too small or cname is longer than 255 octets. */
enum sa_status rtp_media_rtcp_compound(uint32_t ssrc,
				   const struct rtp_media_sender_info *sender,
				   const struct rtp_media_report_block *rb,
				   const char *cname, uint8_t *buf,
				   size_t cap, size_t *len);

#endif
