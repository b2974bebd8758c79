/* media.c - see media.h. */
#include "media.h"

#include <stdlib.h>

#include "cursor.h"

bool media_rtcp_is_plain(const uint8_t *data, size_t len)
{
	struct cursor c = cursor_make(data, len);
	unsigned n = 0;
	/* RFC 3550 §6.4: each RTCP packet's length is in 32-bit words minus
	 * one; a compound packet is their concatenation. */
	while (!cursor_empty(&c)) {
		uint8_t b0, pt;
		uint16_t words;
		if (!cursor_u8(&c, &b0) || !cursor_u8(&c, &pt) || !cursor_u16be(&c, &words))
			return false;
		if ((b0 >> 6) != 2 || pt < 192 || pt > 223)
			return false;
		if (!cursor_skip(&c, (size_t)words * 4))
			return false;
		if (++n > 64)
			return false;
	}
	return n > 0;
}

static void on_rtp(struct media_dir *d, const uint8_t *data, size_t len,
		   uint64_t frame, uint64_t ts)
{
	uint32_t ssrc;
	uint8_t pt;
	if (len < 12)
		return;
	pt = data[1] & 0x7f;
	ssrc = (uint32_t)data[8] << 24 | (uint32_t)data[9] << 16 |
	       (uint32_t)data[10] << 8 | data[11];
	if (d->rtp == 0) {
		d->first_rtp_frame = frame;
		d->first_rtp_ns = ts;
		d->first_ssrc = ssrc;
	} else if (ssrc != d->last_ssrc) {
		d->ssrc_changes++;
	}
	d->last_ssrc = ssrc;
	d->rtp++;
	d->last_rtp_frame = frame;
	d->last_rtp_ns = ts;
	d->pt_seen[pt >> 6] |= 1ULL << (pt & 63);
}

enum pkt_cat media_on_datagram(struct flow *f, int dir, enum pkt_cat cat,
			       const uint8_t *data, size_t len, uint64_t frame,
			       uint64_t ts_ns, struct diag_sink *sink,
			       const char **why)
{
	struct flow_media *m = f->user;
	struct media_dir *d;
	if (cat != PKT_DTLS && cat != PKT_RTP && cat != PKT_RTCP)
		return cat;
	if (!m) {
		m = calloc(1, sizeof *m);
		if (!m)
			return cat;
		f->user = m;
	}
	d = &m->dir[dir];
	switch (cat) {
	case PKT_DTLS:
		if (!m->dtls) {
			m->dtls = dtls_assoc_new(NULL);
			if (!m->dtls)
				return cat;
		}
		if (dtls_assoc_input(m->dtls, dir, data, len, frame, ts_ns, sink) == SA_MALFORMED) {
			m->dtls_malformed++;
			*why = "DTLS datagram does not parse (record or handshake fragment)";
			return PKT_MALFORMED;
		}
		return cat;
	case PKT_RTP:
		on_rtp(d, data, len, frame, ts_ns);
		return cat;
	case PKT_RTCP:
		if (d->rtcp++ == 0)
			d->first_rtcp_frame = frame;
		if (media_rtcp_is_plain(data, len) && d->rtcp_plain++ == 0)
			d->first_rtcp_plain_frame = frame;
		return cat;
	default:
		return cat;
	}
}

void media_free(void *user)
{
	struct flow_media *m = user;
	if (!m)
		return;
	dtls_assoc_free(m->dtls);
	free(m);
}
