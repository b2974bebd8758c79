/* wav.c - G.711 decoding (ITU-T G.711) and 16-bit PCM WAV writing. */
#include "wav.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ITU-T G.711 §2 / Table 2a (µ-law).  The transmitted octet is the
 * character signal with every bit inverted: sign (1 = positive), a 3-bit
 * segment s and a 4-bit step m.  The decoder output of segment s, step m is
 * the middle of its interval, (2m + 33) * 2^s - 33 in units of the 14-bit
 * scale (from 0 at s = m = 0 up to 8031 at s = 7, m = 15).  Multiplying by
 * 4 puts the 14-bit scale onto 16 bits: ((8m + 132) << s) - 132. */
int16_t g711_ulaw_decode(uint8_t code)
{
	unsigned v = (unsigned)(uint8_t)~code;
	unsigned seg = (v >> 4) & 7u, step = v & 15u;
	int mag = (int)(((8u * step + 132u) << seg) - 132u);
	return (int16_t)((v & 0x80u) ? -mag : mag);
}

/* ITU-T G.711 §2 / Table 1a (A-law).  The even bits of the transmitted
 * octet are inverted (XOR 0x55): sign (1 = positive), segment s, step m.
 * The decoder output is the middle of the interval on the 13-bit scale:
 * 2m + 1 in segment 0, (2m + 33) * 2^(s-1) in segments 1..7 (up to 4032).
 * Multiplying by 8 puts it onto 16 bits: 16m + 8, (16m + 264) << (s - 1). */
int16_t g711_alaw_decode(uint8_t code)
{
	unsigned v = (unsigned)code ^ 0x55u;
	unsigned seg = (v >> 4) & 7u, step = v & 15u;
	int mag;
	if (seg == 0)
		mag = (int)(16u * step + 8u);
	else
		mag = (int)((16u * step + 264u) << (seg - 1));
	return (int16_t)((v & 0x80u) ? mag : -mag);
}

struct wav_writer {
	FILE *f;
	char *path;
	struct diag_sink diag;
	bool has_diag;
	bool failed;       /* a write failed: refuse more, report at close */
	struct wav_stats st;
};

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

/* header - the canonical 44-byte header: RIFF chunk, "fmt " chunk of 16
 * octets (WAVE_FORMAT_PCM = 1, 1 channel, 8000 Hz, 16000 bytes/s, block
 * align 2, 16 bits), "data" chunk header. */
static void header(uint8_t h[WAV_HEADER_LEN], uint32_t data_bytes)
{
	memcpy(h, "RIFF", 4);
	put_le32(h + 4, 36u + data_bytes);
	memcpy(h + 8, "WAVE", 4);
	memcpy(h + 12, "fmt ", 4);
	put_le32(h + 16, 16);
	put_le16(h + 20, 1);
	put_le16(h + 22, 1);
	put_le32(h + 24, WAV_RATE);
	put_le32(h + 28, WAV_RATE * 2u);
	put_le16(h + 32, 2);
	put_le16(h + 34, 16);
	memcpy(h + 36, "data", 4);
	put_le32(h + 40, data_bytes);
}

static void report(struct wav_writer *w, const char *what, int err)
{
	if (w->has_diag)
		diag_emit(&w->diag, DIAG_ERROR, w->path, 0, "cannot %s WAV file: %s",
			  what, strerror(err));
}

enum sa_status wav_open(const char *path, struct wav_writer **out,
			const struct diag_sink *diag)
{
	struct wav_writer *w;
	uint8_t h[WAV_HEADER_LEN];
	int fd, err;

	*out = NULL;
	w = calloc(1, sizeof *w);
	if (!w)
		return SA_NOMEM;
	w->path = malloc(strlen(path) + 1);
	if (!w->path) {
		free(w);
		return SA_NOMEM;
	}
	memcpy(w->path, path, strlen(path) + 1);
	if (diag) {
		w->diag = *diag;
		w->has_diag = true;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || !(w->f = fdopen(fd, "wb"))) {
		err = errno;
		if (fd >= 0)
			close(fd);
		report(w, "create", err);
		free(w->path);
		free(w);
		return SA_IO;
	}
	header(h, 0);
	if (fwrite(h, 1, sizeof h, w->f) != sizeof h) {
		err = errno;
		report(w, "write", err);
		fclose(w->f);
		free(w->path);
		free(w);
		return SA_IO;
	}
	*out = w;
	return SA_OK;
}

/* room - how many of n samples still fit under WAV_MAX_SAMPLES; the rest are
 * counted as dropped. */
static size_t room(struct wav_writer *w, size_t n)
{
	uint64_t left = WAV_MAX_SAMPLES - w->st.samples;
	if (n > left) {
		w->st.dropped += n - left;
		return (size_t)left;
	}
	return n;
}

static enum sa_status put_samples(struct wav_writer *w, const int16_t *pcm, size_t n)
{
	uint8_t buf[2 * 256];
	size_t i;
	if (n > sizeof buf / 2)
		return SA_NOMEM; /* callers chunk by 256 */
	for (i = 0; i < n; i++)
		put_le16(buf + 2 * i, (uint16_t)pcm[i]);
	if (fwrite(buf, 2, n, w->f) != n) {
		report(w, "write", errno);
		w->failed = true;
		return SA_IO;
	}
	w->st.samples += n;
	return SA_OK;
}

enum sa_status wav_write_g711(struct wav_writer *w, enum g711_law law,
			      const uint8_t *payload, size_t n)
{
	int16_t pcm[256];
	size_t fit, done = 0, k, i;
	enum sa_status st;

	if (w->failed)
		return SA_IO;
	fit = room(w, n);
	while (done < fit) {
		k = fit - done < 256 ? fit - done : 256;
		for (i = 0; i < k; i++)
			pcm[i] = law == G711_ALAW ? g711_alaw_decode(payload[done + i])
						  : g711_ulaw_decode(payload[done + i]);
		st = put_samples(w, pcm, k);
		if (st != SA_OK)
			return st;
		done += k;
	}
	return fit < n ? SA_NOMEM : SA_OK;
}

enum sa_status wav_write_silence(struct wav_writer *w, size_t samples)
{
	static const int16_t zeros[256];
	size_t fit, done = 0, k;
	enum sa_status st;

	if (w->failed)
		return SA_IO;
	if (samples > WAV_MAX_SILENCE) {
		w->st.silence_capped++;
		w->st.dropped += samples - WAV_MAX_SILENCE;
		samples = WAV_MAX_SILENCE;
	}
	fit = room(w, samples);
	while (done < fit) {
		k = fit - done < 256 ? fit - done : 256;
		st = put_samples(w, zeros, k);
		if (st != SA_OK)
			return st;
		w->st.silence += k;
		done += k;
	}
	return fit < samples ? SA_NOMEM : SA_OK;
}

void wav_get_stats(const struct wav_writer *w, struct wav_stats *st)
{
	*st = w->st;
}

enum sa_status wav_close(struct wav_writer *w)
{
	uint8_t h[WAV_HEADER_LEN];
	bool ok;

	if (!w)
		return SA_OK;
	ok = !w->failed;
	if (ok) {
		header(h, (uint32_t)(w->st.samples * 2));
		if (fflush(w->f) != 0 || fseek(w->f, 0, SEEK_SET) != 0 ||
		    fwrite(h, 1, sizeof h, w->f) != sizeof h || fflush(w->f) != 0) {
			report(w, "finish", errno);
			ok = false;
		}
	}
	if (fclose(w->f) != 0 && ok) {
		report(w, "close", errno);
		ok = false;
	}
	free(w->path);
	free(w);
	return ok ? SA_OK : SA_IO;
}
