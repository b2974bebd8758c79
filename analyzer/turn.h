/* turn.h - media relayed through TURN (RFC 8656): Send and Data
 * indications (§11), ChannelBind (§12) and ChannelData (§12.4), over UDP
 * and framed in a TCP stream (§12.5: ChannelData padded to 4 octets), so
 * that the media inside is analysed like direct media.  Parsers only: they
 * read with the cursor and point into the input.
 */
#ifndef SA_TURN_H
#define SA_TURN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netaddr.h"
#include "status.h"

enum turn_kind {
	TURN_NONE = 0,
	TURN_SEND,          /* Send indication: client -> server, to peer */
	TURN_DATA,          /* Data indication: server -> client, from peer */
	TURN_CHANNEL_BIND,  /* ChannelBind request: channel <-> peer */
	TURN_CHANNEL_DATA,  /* ChannelData message */
};

struct turn_msg {
	enum turn_kind kind;
	struct endpoint peer;      /* XOR-PEER-ADDRESS (indications, ChannelBind) */
	bool has_peer;
	uint16_t channel;          /* ChannelBind, ChannelData */
	const uint8_t *data;       /* DATA attribute / ChannelData payload */
	size_t len;
};

/* turn_parse - recognise one TURN message carrying or binding media.  A
 * STUN message of another method, or anything malformed, gives false. */
bool turn_parse(const uint8_t *p, size_t n, struct turn_msg *out);

/* turn_stream_frame - in a TURN-over-TCP byte stream, the length of the
 * message starting at p (STUN: 20 + length; ChannelData: 4 + length padded
 * to 4).  0 when more bytes are needed; SIZE_MAX when p starts neither. */
size_t turn_stream_frame(const uint8_t *p, size_t n);

/* One direction of a TURN-over-TCP connection (RFC 8656 §12.5, RFC 6062):
 * bytes in, whole STUN and ChannelData messages out.  Buffers at most
 * TURN_STREAM_MAX bytes of a partial message. */
#define TURN_STREAM_MAX 70000

struct turn_stream;

typedef void (*turn_msg_fn)(void *ctx, const uint8_t *msg, size_t len);

struct turn_stream *turn_stream_new(void);
void turn_stream_free(struct turn_stream *ts);
/* turn_stream_feed - append in-order bytes; on_msg is called for each
 * complete message (the view is valid during the call).  SA_MALFORMED when
 * the bytes are not TURN framing (the stream should be given up),
 * SA_NOMEM when the buffer cannot grow. */
enum sa_status turn_stream_feed(struct turn_stream *ts, const uint8_t *data, size_t len,
				turn_msg_fn on_msg, void *ctx);

/* turn_stream_start - whether a TCP stream's first bytes look like TURN:
 * a STUN message with the magic cookie or a ChannelData header whose
 * length fits the framing. */
bool turn_stream_start(const uint8_t *p, size_t n);

#endif
