/* demux.c - see demux.h. */
#include "demux.h"

#include <string.h>

#include "cursor.h"

#define STUN_COOKIE 0x2112A442u
#define ZRTP_COOKIE 0x5A525450u /* "ZRTP", RFC 6189 §5 */

/* stun_check - RFC 8489 §5: 20-byte header, top two bits zero, length a
 * multiple of 4 covering the rest of the datagram; attributes are TLVs
 * padded to 4 bytes (§14).  Without the cookie only the RFC 3489 §11.1
 * message types are accepted. */
static bool stun_check(const uint8_t *p, size_t n, struct demux_info *info)
{
	struct cursor c = cursor_make(p, n), attrs;
	uint16_t type, len, at, alen;
	uint32_t cookie;
	bool cookie_ok, has_user = false, has_prio = false;

	if (!cursor_u16be(&c, &type) || !cursor_u16be(&c, &len) ||
	    !cursor_u32be(&c, &cookie) || !cursor_skip(&c, 12))
		return false;
	if ((type & 0xC000) != 0 || (len & 3) != 0 || cursor_left(&c) != len)
		return false;
	cookie_ok = cookie == STUN_COOKIE;
	if (!cookie_ok) {
		switch (type) {
		case 0x0001: case 0x0101: case 0x0111:
		case 0x0002: case 0x0102: case 0x0112:
			break;
		default:
			return false;
		}
	}
	attrs = c;
	while (!cursor_empty(&attrs)) {
		size_t pad;
		if (!cursor_u16be(&attrs, &at) || !cursor_u16be(&attrs, &alen))
			return false;
		pad = (4 - (alen & 3)) & 3;
		/* RFC 3489 attributes are not padded; their lengths are x4. */
		if (!cursor_skip(&attrs, alen))
			return false;
		if (cookie_ok && !cursor_skip(&attrs, pad))
			return false;
		if (at == 0x0006)
			has_user = true;
		if (at == 0x0024)
			has_prio = true;
	}
	info->stun_cookie = cookie_ok;
	info->stun_type = type;
	info->stun_class = (uint8_t)(((type >> 7) & 2) | ((type >> 4) & 1));
	info->stun_method = (uint16_t)((type & 0x000F) | ((type >> 1) & 0x0070) |
				       ((type >> 2) & 0x0F80));
	/* RFC 8445 §7.1.1-7.1.2: a connectivity check is a Binding request
	 * carrying PRIORITY and the short-term USERNAME. */
	info->stun_ice_check = cookie_ok && type == 0x0001 && has_user && has_prio;
	return true;
}

static bool dtls_version_ok(uint16_t v)
{
	/* RFC 6347 §4.1: 1.0 = {254,255}, 1.2 = {254,253}; RFC 9147 keeps
	 * 0xFEFD on the wire and names 0xFEFC. */
	return v == 0xFEFF || v == 0xFEFD || v == 0xFEFC;
}

/* dtls_check - the first record only: RFC 6347 §4.1 header or the RFC 9147
 * §4 unified header 001CSLEE. */
static bool dtls_check(const uint8_t *p, size_t n, struct demux_info *info)
{
	struct cursor c = cursor_make(p, n);
	uint8_t type;
	uint16_t ver, len;

	if (n < 1)
		return false;
	if ((p[0] & 0xE0) == 0x20) {
		/* Unified header: flags byte, optional CID (unknown length),
		 * 8 or 16 bit sequence, optional 16-bit length, then at least
		 * one byte of ciphertext (RFC 9147 §4). */
		size_t need = 1 + ((p[0] & 0x08) ? 2 : 1) + ((p[0] & 0x04) ? 2 : 0);
		if (n <= need)
			return false;
		info->dtls13_unified = true;
		info->dtls_content_type = 0;
		info->dtls_version = 0;
		return true;
	}
	if (!cursor_u8(&c, &type) || !cursor_u16be(&c, &ver) || !cursor_skip(&c, 8) ||
	    !cursor_u16be(&c, &len))
		return false;
	if (type < 20 || type > 26 || !dtls_version_ok(ver))
		return false;
	info->dtls13_unified = false;
	info->dtls_content_type = type;
	info->dtls_version = ver;
	return true;
}

enum demux_kind demux_classify(const uint8_t *p, size_t n, struct demux_info *info)
{
	struct demux_info tmp;
	enum demux_kind k = DEMUX_OTHER;
	uint8_t b;

	if (!info)
		info = &tmp;
	memset(info, 0, sizeof *info);
	if (!p || n == 0)
		return DEMUX_OTHER;
	b = p[0];
	if (b <= 3) {
		if (stun_check(p, n, info))
			k = DEMUX_STUN;
	} else if (b >= 16 && b <= 19) {
		/* RFC 6189 §5: ZRTP packets carry the "ZRTP" magic cookie at
		 * offset 4 and end with a CRC. */
		struct cursor c = cursor_make(p, n);
		uint32_t cookie;
		if (n >= 12 + 4 && cursor_skip(&c, 4) && cursor_u32be(&c, &cookie) &&
		    cookie == ZRTP_COOKIE)
			k = DEMUX_ZRTP;
	} else if (b >= 20 && b <= 63) {
		if (dtls_check(p, n, info))
			k = DEMUX_DTLS;
	} else if (b >= 64 && b <= 79) {
		/* RFC 8656 §12.4: channel number 0x4000-0x4FFF, 16-bit length,
		 * then the data; over UDP up to 3 bytes of padding may follow
		 * (§12.5). */
		struct cursor c = cursor_make(p, n);
		uint16_t ch, len;
		if (cursor_u16be(&c, &ch) && cursor_u16be(&c, &len) &&
		    ch >= 0x4000 && ch <= 0x7FFF && len <= cursor_left(&c) &&
		    cursor_left(&c) - len < 4) {
			info->channel = ch;
			info->channel_payload = c.p;
			info->channel_len = len;
			k = DEMUX_TURN_CHANNEL;
		}
	} else if (b >= 128 && b <= 191 && n >= 2) {
		/* RFC 5761 §4: a second byte 192-223 is an RTCP packet type
		 * (or RTP PT 64-95 with the marker set, which muxing forbids). */
		if (p[1] >= 192 && p[1] <= 223) {
			struct cursor c = cursor_make(p, n);
			uint16_t words;
			if (cursor_skip(&c, 2) && cursor_u16be(&c, &words) && n >= 8 &&
			    ((size_t)words + 1) * 4 <= n) {
				info->rtcp_pt = p[1];
				k = DEMUX_RTCP;
			}
		} else {
			/* RFC 3550 §5.1: 12-byte header plus CC CSRCs. */
			size_t hdr = 12 + 4 * (size_t)(b & 0x0F);
			if (n >= hdr) {
				info->rtp_pt = p[1] & 0x7F;
				k = DEMUX_RTP;
			}
		}
	}
	info->kind = k;
	return k;
}

/* hs_fragments_ok - an epoch-0 handshake record body must be a sequence of
 * handshake fragments (RFC 6347 §4.2.2): type(1) length(3) message_seq(2)
 * fragment_offset(3) fragment_length(3) body, offset+length <= length. */
static bool hs_fragments_ok(struct cursor body)
{
	if (cursor_empty(&body))
		return false;
	while (!cursor_empty(&body)) {
		uint8_t type;
		uint32_t len, off, flen;
		uint16_t seq;
		if (!cursor_u8(&body, &type) || !cursor_u24be(&body, &len) ||
		    !cursor_u16be(&body, &seq) || !cursor_u24be(&body, &off) ||
		    !cursor_u24be(&body, &flen) || !cursor_skip(&body, flen))
			return false;
		if ((uint64_t)off + flen > len)
			return false;
		/* RFC 5246 §7.4 / RFC 6347 §4.3.2 handshake types. */
		switch (type) {
		case 0: case 1: case 2: case 3: case 4: case 11: case 12:
		case 13: case 14: case 15: case 16: case 20:
			break;
		default:
			return false;
		}
	}
	return true;
}

bool demux_looks_like_dtls(const uint8_t *p, size_t n)
{
	struct cursor c = cursor_make(p, n);
	unsigned plain = 0;

	if (!p || n < 13)
		return false;
	while (!cursor_empty(&c)) {
		uint8_t type;
		uint16_t ver, epoch, len;
		uint64_t seq;
		struct cursor body;
		if ((c.p[0] & 0xE0) == 0x20) {
			/* A unified-header record may follow plain records
			 * (RFC 9147 §4); with L=0 it runs to the end. */
			if (plain == 0)
				return false;
			return cursor_left(&c) > 2;
		}
		if (!cursor_u8(&c, &type) || !cursor_u16be(&c, &ver) ||
		    !cursor_u16be(&c, &epoch) || !cursor_u48be(&c, &seq) ||
		    !cursor_u16be(&c, &len) || !cursor_sub(&c, len, &body))
			return false;
		if (type < 20 || type > 26 || (ver != 0xFEFF && ver != 0xFEFD))
			return false;
		/* RFC 6347 §4.1: a record never exceeds 2^14 + 2048 bytes. */
		if (len == 0 || len > 16384 + 2048)
			return false;
		if (epoch == 0) {
			if (type == 22 && !hs_fragments_ok(body))
				return false;
			if (type == 20 && (len != 1 || body.p[0] != 1))
				return false;
			if (type == 21 && len != 2)
				return false;
			if (type == 23)
				return false; /* no application data in epoch 0 */
		}
		plain++;
	}
	return plain > 0;
}

const char *demux_kind_name(enum demux_kind k)
{
	switch (k) {
	case DEMUX_OTHER: return "other";
	case DEMUX_STUN: return "stun";
	case DEMUX_ZRTP: return "zrtp";
	case DEMUX_DTLS: return "dtls";
	case DEMUX_TURN_CHANNEL: return "turn-channel";
	case DEMUX_RTP: return "rtp";
	case DEMUX_RTCP: return "rtcp";
	}
	return "other";
}
