/* demux.h - tell apart the protocols that share one media UDP port.
 *
 * RFC 7983 §7 as updated by RFC 9443 §3 decides by the first byte of the
 * UDP payload: STUN 0-3, ZRTP 16-19, DTLS 20-63, TURN ChannelData 64-79,
 * RTP/RTCP 128-191; RTCP is told apart from RTP by its packet type 192-223
 * (RFC 5761 §4).  Each range is then confirmed by a cheap sanity check of
 * that protocol's header, so a payload that only has the right first byte
 * is reported as DEMUX_OTHER, never misclassified.
 *
 * demux_looks_like_dtls() is the strict heuristic used where no SDP
 * describes a flow: every byte of the datagram must be covered by plausible
 * DTLS records.  Nothing here allocates; results point into the input.
 */
#ifndef SA_DEMUX_H
#define SA_DEMUX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum demux_kind {
	DEMUX_OTHER = 0,
	DEMUX_STUN,
	DEMUX_ZRTP,
	DEMUX_DTLS,
	DEMUX_TURN_CHANNEL,
	DEMUX_RTP,
	DEMUX_RTCP,
};

/* Details of a classified payload; only the fields of its kind are set. */
struct demux_info {
	enum demux_kind kind;
	/* STUN (RFC 8489 §5) */
	bool stun_cookie;       /* magic cookie 0x2112A442 present (RFC 5389+) */
	uint16_t stun_type;     /* message type */
	uint16_t stun_method;   /* method (1 = Binding) */
	uint8_t stun_class;     /* 0 request, 1 indication, 2 success, 3 error */
	bool stun_ice_check;    /* Binding request with USERNAME and PRIORITY (RFC 8445 §7.1.1) */
	/* DTLS */
	bool dtls13_unified;    /* first record has the DTLS 1.3 unified header (RFC 9147 §4) */
	uint8_t dtls_content_type;
	uint16_t dtls_version;  /* record version; 0 for a unified header */
	/* TURN ChannelData (RFC 8656 §12.4) */
	uint16_t channel;
	const uint8_t *channel_payload;
	size_t channel_len;
	/* RTP / RTCP */
	uint8_t rtp_pt;         /* RTP payload type (7 bits) */
	uint8_t rtcp_pt;        /* RTCP packet type (200 SR, 201 RR, ...) */
};

/* demux_classify - classify one UDP payload by its first byte and a sanity
 * check of the header it implies.  info may be NULL.  Never fails: anything
 * not confirmed is DEMUX_OTHER.  channel_payload points into p. */
enum demux_kind demux_classify(const uint8_t *p, size_t n, struct demux_info *info);

/* demux_looks_like_dtls - strict test for DTLS on a flow nobody described:
 * the datagram must be a sequence of DTLS 1.0/1.2 records with content type
 * 20-26, version 0xFEFF/0xFEFD, lengths that exactly fill the datagram and,
 * for epoch-0 handshake records, consistent handshake fragment headers.
 * A datagram of DTLS 1.3 ciphertext alone (unified headers) is not
 * accepted: it cannot be told from noise. */
bool demux_looks_like_dtls(const uint8_t *p, size_t n);

/* demux_kind_name - stable lower-case name ("stun", "dtls", ...). */
const char *demux_kind_name(enum demux_kind k);

#endif
