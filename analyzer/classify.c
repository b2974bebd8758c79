/* classify.c - see classify.h. */
#include "classify.h"

#include <string.h>

#include "demux.h"
#include "text.h"

bool classify_sip_start(const uint8_t *data, size_t len)
{
	struct sv rest = sv_make(data, len > 512 ? 512 : len), line;
	size_t i;
	if (len >= 8 && memcmp(data, "SIP/2.0 ", 8) == 0)
		return true;
	/* Request-Line: Method SP Request-URI SP SIP-Version CRLF.  Methods
	 * are tokens; accept upper-case letters only, which every method in
	 * use is. */
	for (i = 0; i < rest.n && i < 32; i++) {
		char c = rest.p[i];
		if (c == ' ')
			break;
		if (c < 'A' || c > 'Z')
			return false;
	}
	if (i == 0 || i >= rest.n || rest.p[i] != ' ')
		return false;
	if (!sv_next_line(&rest, &line, NULL))
		return false;
	return line.n > 8 && memcmp(line.p + line.n - 8, " SIP/2.0", 8) == 0;
}

/* SIP keep-alives: CRLF or double CRLF (RFC 5626 §3.5.1, RFC 3261
 * §7.5) and, from some phones, a few spaces.  Short whitespace-only
 * datagrams. */
static bool is_sip_keepalive(const uint8_t *data, size_t len)
{
	size_t i;
	if (len == 0 || len > 16)
		return false;
	for (i = 0; i < len; i++)
		if (data[i] != '\r' && data[i] != '\n' && data[i] != ' ')
			return false;
	return true;
}

/* Well-known UDP services that are never media, whatever their bytes. */
static bool known_non_media_port(uint16_t p)
{
	switch (p) {
	case 53: case 67: case 68: case 69: case 123: case 137: case 138:
	case 161: case 162: case 514: case 1900: case 5353: case 5355:
		return true;
	default:
		return false;
	}
}

static enum pkt_cat classify_payload(const struct five_tuple *t,
				     const uint8_t *data, size_t len, int depth)
{
	struct demux_info info;
	if (len == 0)
		return PKT_OTHER;
	/* SIP starts with a method or "SIP/2.0" (upper-case letters), a
	 * keep-alive with CR, LF or space: other first bytes skip the text
	 * checks (the common media case). */
	if (((data[0] >= 'A' && data[0] <= 'Z') && classify_sip_start(data, len)) ||
	    ((data[0] == '\r' || data[0] == '\n' || data[0] == ' ') && is_sip_keepalive(data, len)))
		return PKT_SIP;
	if (known_non_media_port(t->src.port) || known_non_media_port(t->dst.port))
		return PKT_OTHER;
	/* RFC 9443 §3 first-byte table, each range confirmed by its header. */
	switch (demux_classify(data, len, &info)) {
	case DEMUX_STUN: return PKT_STUN;
	case DEMUX_DTLS: return PKT_DTLS;
	case DEMUX_RTP: return PKT_RTP;
	case DEMUX_RTCP: return PKT_RTCP;
	case DEMUX_TURN_CHANNEL:
		/* Media relayed in TURN ChannelData (RFC 8656 §12.4) is counted
		 * as what it carries. */
		if (depth == 0 && info.channel_len > 0)
			return classify_payload(t, info.channel_payload, info.channel_len, 1);
		return PKT_OTHER;
	default:
		return PKT_OTHER;
	}
}

enum pkt_cat classify_udp(const struct five_tuple *t, const uint8_t *data,
			  size_t len)
{
	return classify_payload(t, data, len, 0);
}
