/* pipeline.h - one pass over a capture: reader, decoding, reassembly,
 * classification and packet accounting, filling the result model.
 *
 * The pipeline owns every per-capture structure (fragment table, TCP
 * streams, the result) and frees them in pipeline_free().  Memory grows
 * with live flows and reassembly state, never with the number of packets.
 */
#ifndef SA_PIPELINE_H
#define SA_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "result.h"
#include "status.h"

struct keyring;
struct decoded;

/* A frame as the decrypting pass hands it to its writer: the captured
 * frame, and when its SRTP/SRTCP was decrypted, the rewritten frame. */
struct stream;
struct frame_out {
	const struct sa_frame *frame;
	const uint8_t *data;   /* the frame to write: original or rewritten */
	uint32_t caplen, len;
	bool decrypted;
	/* RTP in clear (decrypted, or plain where plain was negotiated) and
	 * its stream; NULL otherwise. */
	struct stream *stream;
	const uint8_t *rtp;
	size_t rtp_len;
	const char *call_id;   /* the stream's call, or NULL */
};

struct pipeline_options {
	const struct diag_sink *diag; /* warnings and errors; may be NULL */
	/* Decrypting pass: keys from the first pass (keyring.h); NULL for an
	 * analysing pass. */
	const struct keyring *keys;
	/* The first pass of a two-pass run: signalling, flows and DTLS only;
	 * no streams, no checks (the second pass does them). */
	bool learn_only;
	/* A decrypting pass that stays the only one unless the capture can
	 * teach keys: at the first SIP message or DTLS datagram it calls
	 * on_learn (which drops what on_frame was given) and goes on as a
	 * learning pass (pipeline_learned()); keys then holds only what came
	 * from outside the capture (--srtp-key).  Without SIP and DTLS the
	 * capture adds nothing to the key ring, so this pass is the second
	 * pass of two, done once. */
	bool tentative;
	void (*on_learn)(void *ctx); /* called with frame_ctx; may be NULL */
	/* Every input frame, in order, after processing (may be NULL). */
	void (*on_frame)(void *ctx, const struct frame_out *fo);
	void *frame_ctx;
};

struct pipeline;

/* pipeline_run - read every file in names as one capture and analyse it.
 * Returns SA_IO when a file cannot be opened at all (nothing is analysed;
 * the message went to diag) and SA_NOMEM on allocation failure; otherwise
 * SA_OK, also when some frames were malformed or a file was cut short (the
 * result says so).  *out is set whenever the status is SA_OK and must be
 * freed with pipeline_free(). */
enum sa_status pipeline_run(const char *const *names, size_t n,
			    const struct pipeline_options *opt,
			    struct pipeline **out);

const struct result *pipeline_result(const struct pipeline *p);

/* pipeline_set_file_label - show file i under another name in the result
 * (standard input spooled to a temporary file is still "<stdin>").
 * False when out of memory or i is out of range. */
bool pipeline_set_file_label(struct pipeline *p, size_t i, const char *label);

/* pipeline_explain_keys - see stream_table_explain (streams.h); the
 * checks are run again with the reasons. */
void pipeline_explain_keys(struct pipeline *p, const struct keyring *kr);

/* pipeline_learned - a tentative pass (pipeline_options.tentative) met a
 * frame that can teach keys and became a learning pass: its streams and
 * checks are incomplete, its signalling, flows and handshakes are whole. */
bool pipeline_learned(const struct pipeline *p);

/* pipeline_free - free the pipeline and its result (NULL-safe). */
void pipeline_free(struct pipeline *p);

#endif
