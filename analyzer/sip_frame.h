/* sip_frame.h - cut SIP messages out of one direction of a stream.
 *
 * A framer is fed the in-order bytes of one TCP direction (the
 * reassembler's on_data callback) and emits each complete SIP message:
 *   - SIP over TCP/TLS (RFC 3261 §18.3): messages framed by Content-Length,
 *     several per segment or one across many, CRLF keep-alives (RFC 5626
 *     §3.5.1) skipped;
 *   - SIP over WebSocket (RFC 7118): after an HTTP Upgrade (GET with
 *     "Upgrade: websocket", or "101 Switching Protocols") the bytes are
 *     RFC 6455 frames (7/16/64-bit lengths, masking, continuation frames,
 *     text or binary); each WebSocket message is one SIP message.
 * Garbage that is not SIP is counted and skipped up to the next line that
 * looks like a SIP request or status line.  The framer owns one capped
 * buffer per direction (allocated when first needed, never per packet); the
 * emitted view is valid only during the callback.
 */
#ifndef SA_SIP_FRAME_H
#define SA_SIP_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sip.h"
#include "status.h"

/* Largest unit buffered: a message's head plus its body, or one WebSocket
 * frame (header included). */
#define SIP_FRAME_MAX_BUF (SIP_MAX_HEAD + SIP_MAX_BODY + 16)

enum sip_frame_mode {
	SIP_FRAME_MODE_SIP,       /* plain SIP text */
	SIP_FRAME_MODE_WS,        /* RFC 6455 frames */
	SIP_FRAME_MODE_WS_CLOSED, /* after a Close frame: further bytes counted as garbage */
};

struct sip_frame_stats {
	uint64_t messages;        /* SIP messages emitted */
	uint64_t keepalives;      /* CRLF keep-alive runs (or CRLF-only WS messages) skipped */
	uint64_t garbage_bytes;   /* bytes skipped as not SIP */
	uint64_t resyncs;         /* garbage runs (each ends at a plausible message start) */
	uint64_t gaps;            /* sip_framer_gap() calls */
	uint64_t missing_length;  /* SIP/TCP messages without Content-Length (taken as 0) */
	uint64_t bad_length;      /* Content-Length not a number or above SIP_MAX_BODY */
	uint64_t http_messages;   /* HTTP requests/responses skipped */
	uint64_t ws_upgrades;     /* HTTP messages that switched to WebSocket */
	bool ws_sip_protocol;     /* the upgrade named Sec-WebSocket-Protocol: sip */
	uint64_t ws_frames;       /* WebSocket frames decoded */
	uint64_t ws_control;      /* ping, pong and close frames */
	uint64_t ws_errors;       /* bad frames: RSV bits, unknown opcode, orphan continuation, too long */
};

/* Called once per complete message.  websocket tells the message came from
 * a WebSocket message: parse it with SIP_PARSE_DATAGRAM (the frame bounds
 * it, RFC 7118 §5); messages from a plain stream use SIP_PARSE_STREAM. */
typedef void (*sip_frame_emit_fn)(void *ctx, const uint8_t *msg, size_t len,
				  bool websocket);

struct sip_framer;

/* sip_framer_new - a framer for one stream direction, in SIP mode.  NULL
 * when out of memory.  Free with sip_framer_free (NULL-safe). */
struct sip_framer *sip_framer_new(sip_frame_emit_fn emit, void *ctx);
void sip_framer_free(struct sip_framer *f);

/* sip_framer_feed - append in-order bytes and emit every complete message.
 * Returns SA_OK, SA_MALFORMED when bytes were skipped as garbage or bad
 * WebSocket frames in this call (counted in the stats; framing goes on), or
 * SA_NOMEM when the buffer could not be allocated (the bytes are dropped). */
enum sa_status sip_framer_feed(struct sip_framer *f, const uint8_t *data, size_t len);

/* sip_framer_gap - the reassembler lost bytes: drop the partial message
 * and resynchronise (SIP: at the next start line; WebSocket: at the next
 * frame whose payload starts like a SIP message). */
void sip_framer_gap(struct sip_framer *f);

/* sip_framer_set_websocket - switch to WebSocket frames now (the lead saw
 * the upgrade on the other direction, or knows the port). */
void sip_framer_set_websocket(struct sip_framer *f);

enum sip_frame_mode sip_framer_mode(const struct sip_framer *f);
const struct sip_frame_stats *sip_framer_stats(const struct sip_framer *f);
/* sip_framer_last_error - text of the last framing problem, "" if none. */
const char *sip_framer_last_error(const struct sip_framer *f);

#endif
