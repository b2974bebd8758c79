/* media.h - what the analyzer learns about the media on one UDP flow:
 * the DTLS association (dtls.h) when DTLS is seen, and per direction the
 * RTP and RTCP facts the checks need (first and last frames, payload
 * types, RTCP without an SRTCP trailer).  One struct flow_media hangs off
 * each flow (flows.h: flow->user) that carried anything but SIP.
 */
#ifndef SA_MEDIA_H
#define SA_MEDIA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "dtls.h"
#include "flows.h"
#include "result.h"

struct stream;

struct media_dir {
	uint64_t rtp, rtcp;               /* packets */
	uint64_t first_rtp_frame, last_rtp_frame;
	uint64_t first_rtp_ns, last_rtp_ns;
	uint64_t first_rtcp_frame;
	uint64_t rtcp_plain;              /* RTCP whose lengths fill the datagram: no SRTCP trailer */
	uint64_t first_rtcp_plain_frame;
	uint64_t pt_seen[2];              /* bitmap of RTP payload types 0..127 */
	uint32_t first_ssrc;
	uint32_t ssrc_changes;
	uint32_t last_ssrc;
};

struct flow_media {
	struct dtls_assoc *dtls;          /* NULL until a DTLS record is seen */
	uint64_t dtls_malformed;
	struct media_dir dir[2];          /* by flow direction */
	struct stream *stream_cache[2][2];/* [dir][rtp, rtcp]: last stream seen */
};

/* media_on_datagram - account one non-SIP datagram of category cat sent
 * in direction dir of flow f.  Creates f->user on first use.  Returns the
 * category to count (PKT_MALFORMED with *why when a DTLS datagram does not
 * parse). */
enum pkt_cat media_on_datagram(struct flow *f, int dir, enum pkt_cat cat,
			       const uint8_t *data, size_t len, uint64_t frame,
			       uint64_t ts_ns, struct diag_sink *sink,
			       const char **why);

/* media_of - the flow's media facts, or NULL. */
static inline const struct flow_media *media_of(const struct flow *f)
{
	return (const struct flow_media *)f->user;
}

/* media_free - free a flow_media (for flow_table_free). */
void media_free(void *user);

/* media_rtcp_is_plain - the datagram is a (compound) RTCP packet whose
 * header lengths add up exactly to its size: no SRTCP E|index and tag
 * behind it (RFC 3711 §3.4), so it was sent in the clear. */
bool media_rtcp_is_plain(const uint8_t *data, size_t len);

#endif
