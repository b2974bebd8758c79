/* wav.h - G.711 audio to WAV files (--wav-dir).
 *
 * A wav_writer writes one 8 kHz mono 16-bit linear PCM WAV file (RIFF,
 * WAVE_FORMAT_PCM): G.711 µ-law and A-law payloads (ITU-T G.711, decoded
 * here) become PCM samples, gaps in RTP timestamps become silence.  The
 * 44-byte RIFF header is written at open with zero sizes and fixed up at
 * close, so an interrupted file still opens in most players.
 *
 * Caps: a file holds at most WAV_MAX_SAMPLES samples (the RIFF size field is
 * 32 bits); one silence fill at most WAV_MAX_SILENCE samples (a timestamp
 * jump of hours must not write hours of zeros).  Samples beyond a cap are
 * dropped and counted.  Files are created with mode 0644 (before umask).
 */
#ifndef SA_WAV_H
#define SA_WAV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "status.h"

#define WAV_RATE 8000u
#define WAV_HEADER_LEN 44u
#define WAV_MAX_SAMPLES 0x7ff00000u   /* ~4 GB of data: under the 32-bit RIFF size */
#define WAV_MAX_SILENCE (10u * WAV_RATE) /* one gap fill: 10 s */

enum g711_law {
	G711_ULAW, /* PCMU, RTP payload type 0 (RFC 3551 §4.5.14) */
	G711_ALAW, /* PCMA, RTP payload type 8 */
};

/* g711_ulaw_decode / g711_alaw_decode - one G.711 codeword (ITU-T G.711
 * Tables 2a/1a) to a 16-bit linear sample: the 14-bit (µ-law) or 13-bit
 * (A-law) decision value scaled up to 16 bits (0xFF µ-law -> 0,
 * 0x00 µ-law -> -32124, 0xD5 A-law -> 8, 0x55 A-law -> -8). */
int16_t g711_ulaw_decode(uint8_t code);
int16_t g711_alaw_decode(uint8_t code);

struct wav_writer;

struct wav_stats {
	uint64_t samples;         /* samples in the file (audio and silence) */
	uint64_t silence;         /* of which silence fill */
	uint64_t dropped;         /* samples not written: a cap was reached */
	uint64_t silence_capped;  /* silence fills cut to WAV_MAX_SILENCE */
};

/* wav_open - create (or truncate) the file at path and write a provisional
 * header.  Returns SA_OK and *out (owned by the caller: wav_close() frees
 * it, whatever happens), SA_IO when the file cannot be created or written
 * (reported to diag with the path and errno text), SA_NOMEM when out of
 * memory.  path is copied; the sink struct is copied and its ctx must stay
 * valid until wav_close() (later write errors are reported there). */
enum sa_status wav_open(const char *path, struct wav_writer **out,
			const struct diag_sink *diag);

/* wav_write_g711 - decode n G.711 octets (one sample each, 8 kHz) of law
 * and append them.  Returns SA_OK, SA_IO on a write error (the writer then
 * refuses further writes; reported once to diag), SA_NOMEM when
 * WAV_MAX_SAMPLES was reached (the samples that fit are written, the rest
 * counted in stats.dropped). */
enum sa_status wav_write_g711(struct wav_writer *w, enum g711_law law,
			      const uint8_t *payload, size_t n);

/* wav_write_silence - append samples of silence (linear 0) for a timestamp
 * gap.  More than WAV_MAX_SILENCE samples are cut to that (counted in
 * stats.silence_capped and stats.dropped; still SA_OK).  Fails as
 * wav_write_g711(). */
enum sa_status wav_write_silence(struct wav_writer *w, size_t samples);

/* wav_get_stats - copy the writer's counters into *st. */
void wav_get_stats(const struct wav_writer *w, struct wav_stats *st);

/* wav_close - fix the RIFF and data sizes in the header, close the file and
 * free w (NULL is fine: SA_OK).  Returns SA_IO (reported to diag given at
 * wav_open) when any write, the header fix-up or the close failed, else
 * SA_OK. */
enum sa_status wav_close(struct wav_writer *w);

#endif
