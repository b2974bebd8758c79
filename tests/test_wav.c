/* test_wav.c - CUnit suite for wav.h (G.711 decoding, WAV writing). */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wav.h"
#include "testutil.h"

static char last_msg[512];
static int n_msgs;

static void cap_diag(void *ctx, enum diag_level level, const char *file, uint64_t frame,
		     const char *msg)
{
	(void)ctx; (void)level; (void)frame;
	snprintf(last_msg, sizeof last_msg, "%s: %s", file ? file : "-", msg);
	n_msgs++;
}

static struct diag_sink sink = { cap_diag, NULL };

static char tmpdir[64];

static int suite_init(void)
{
	strcpy(tmpdir, "/tmp/test_wav.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int suite_cleanup(void)
{
	char p[128];
	snprintf(p, sizeof p, "%s/a.wav", tmpdir);
	unlink(p);
	snprintf(p, sizeof p, "%s/b.wav", tmpdir);
	unlink(p);
	rmdir(tmpdir);
	return 0;
}

#define SUITE_INIT suite_init
#define SUITE_CLEANUP suite_cleanup

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static void test_ulaw_codewords(void)
{
	/* G.711 Table 2a, 16-bit scale (x4 of the 14-bit decision values);
	 * cross-checked with Python's audioop.ulaw2lin. */
	CU_ASSERT_EQUAL(g711_ulaw_decode(0xFF), 0);       /* +0: s=0 m=0 -> 0 */
	CU_ASSERT_EQUAL(g711_ulaw_decode(0x7F), 0);       /* -0 */
	CU_ASSERT_EQUAL(g711_ulaw_decode(0x00), -32124);  /* -(8031 * 4) */
	CU_ASSERT_EQUAL(g711_ulaw_decode(0x80), 32124);
	CU_ASSERT_EQUAL(g711_ulaw_decode(0xFE), 8);       /* s=0 m=1: 2 * 4 */
	CU_ASSERT_EQUAL(g711_ulaw_decode(0x01), -31100);  /* s=7 m=14: (61*128-33)*4 */
	CU_ASSERT_EQUAL(g711_ulaw_decode(0xEF), 132);     /* s=1 m=0: (33*2-33)*4 */
}

static void test_alaw_codewords(void)
{
	/* G.711 Table 1a, 16-bit scale (x8 of the 13-bit values). */
	CU_ASSERT_EQUAL(g711_alaw_decode(0xD5), 8);       /* +, s=0 m=0: 1 * 8 */
	CU_ASSERT_EQUAL(g711_alaw_decode(0x55), -8);
	CU_ASSERT_EQUAL(g711_alaw_decode(0xAA), 32256);   /* +, s=7 m=15: 63*64*8 */
	CU_ASSERT_EQUAL(g711_alaw_decode(0x2A), -32256);
	CU_ASSERT_EQUAL(g711_alaw_decode(0x80), 5504);    /* +, s=5 m=5: 43*16*8 */
	CU_ASSERT_EQUAL(g711_alaw_decode(0x00), -5504);
	CU_ASSERT_EQUAL(g711_alaw_decode(0xC5), 264);     /* +, s=1 m=0: 33*8 */
}

static void test_full_tables(void)
{
	/* Weighted sums over all 256 codewords, computed independently with
	 * Python: sum((c + 1) * audioop.ulaw2lin(bytes([c]), 2)). */
	long long su = 0, sa = 0;
	int c, prev_u = 40000, prev_a = -40000;
	for (c = 0; c < 256; c++) {
		su += (long long)(c + 1) * g711_ulaw_decode((uint8_t)c);
		sa += (long long)(c + 1) * g711_alaw_decode((uint8_t)c);
		/* Sign symmetry of both laws. */
		CU_ASSERT_EQUAL(g711_ulaw_decode((uint8_t)c), -g711_ulaw_decode((uint8_t)(c ^ 0x80)));
		CU_ASSERT_EQUAL(g711_alaw_decode((uint8_t)c), -g711_alaw_decode((uint8_t)(c ^ 0x80)));
	}
	CU_ASSERT_EQUAL(su, 98107392);
	CU_ASSERT_EQUAL(sa, 100139008);
	/* µ-law positive half 0x80..0xFF runs from +32124 down to 0. */
	for (c = 0x80; c <= 0xFF; c++) {
		CU_ASSERT(g711_ulaw_decode((uint8_t)c) < prev_u);
		prev_u = g711_ulaw_decode((uint8_t)c);
	}
	/* A-law positive half: magnitude grows with (code ^ 0x55) & 0x7f. */
	for (c = 0; c < 128; c++) {
		int v = g711_alaw_decode((uint8_t)((0x80 | c) ^ 0x55));
		CU_ASSERT(v > prev_a);
		prev_a = v;
	}
}

static uint8_t *slurp(const char *path, size_t *len)
{
	return tu_slurp(path, len);
}

static void test_header_and_samples(void)
{
	char path[128];
	struct wav_writer *w;
	struct wav_stats st;
	uint8_t ulaw[160], alaw[160];
	uint8_t *b;
	size_t len, i;
	struct stat sb;
	mode_t old = umask(022);

	for (i = 0; i < 160; i++) {
		ulaw[i] = (uint8_t)(i % 2 ? 0x00 : 0x80); /* -32124 / +32124 */
		alaw[i] = 0xD5;                          /* +8 */
	}
	snprintf(path, sizeof path, "%s/a.wav", tmpdir);
	CU_ASSERT_FATAL(wav_open(path, &w, &sink) == SA_OK);
	CU_ASSERT_EQUAL(wav_write_g711(w, G711_ULAW, ulaw, 160), SA_OK);
	CU_ASSERT_EQUAL(wav_write_silence(w, 80), SA_OK);
	CU_ASSERT_EQUAL(wav_write_g711(w, G711_ALAW, alaw, 160), SA_OK);
	CU_ASSERT_EQUAL(wav_write_g711(w, G711_ALAW, alaw, 0), SA_OK);
	wav_get_stats(w, &st);
	CU_ASSERT_EQUAL(st.samples, 400);
	CU_ASSERT_EQUAL(st.silence, 80);
	CU_ASSERT_EQUAL(st.dropped, 0);
	CU_ASSERT_EQUAL(wav_close(w), SA_OK);
	umask(old);

	CU_ASSERT_FATAL(stat(path, &sb) == 0);
	CU_ASSERT_EQUAL(sb.st_mode & 0777, 0644);
	b = slurp(path, &len);
	CU_ASSERT_FATAL(b != NULL);
	CU_ASSERT_EQUAL(len, 44 + 800);
	CU_ASSERT_EQUAL(memcmp(b, "RIFF", 4), 0);
	CU_ASSERT_EQUAL(le32(b + 4), 36 + 800);   /* RIFF size: file - 8 */
	CU_ASSERT_EQUAL(memcmp(b + 8, "WAVEfmt ", 8), 0);
	CU_ASSERT_EQUAL(le32(b + 16), 16);
	CU_ASSERT_EQUAL(le16(b + 20), 1);         /* PCM */
	CU_ASSERT_EQUAL(le16(b + 22), 1);         /* mono */
	CU_ASSERT_EQUAL(le32(b + 24), 8000);
	CU_ASSERT_EQUAL(le32(b + 28), 16000);
	CU_ASSERT_EQUAL(le16(b + 32), 2);
	CU_ASSERT_EQUAL(le16(b + 34), 16);
	CU_ASSERT_EQUAL(memcmp(b + 36, "data", 4), 0);
	CU_ASSERT_EQUAL(le32(b + 40), 800);
	CU_ASSERT_EQUAL((int16_t)le16(b + 44), 32124);
	CU_ASSERT_EQUAL((int16_t)le16(b + 46), -32124);
	CU_ASSERT_EQUAL((int16_t)le16(b + 44 + 2 * 159), -32124);
	for (i = 160; i < 240; i++)
		CU_ASSERT_EQUAL(le16(b + 44 + 2 * i), 0);
	CU_ASSERT_EQUAL((int16_t)le16(b + 44 + 2 * 240), 8);
	CU_ASSERT_EQUAL((int16_t)le16(b + 44 + 2 * 399), 8);
	free(b);
}

static void test_silence_cap(void)
{
	char path[128];
	struct wav_writer *w;
	struct wav_stats st;
	uint8_t *b;
	size_t len;

	snprintf(path, sizeof path, "%s/b.wav", tmpdir);
	CU_ASSERT_FATAL(wav_open(path, &w, &sink) == SA_OK);
	/* An hour-long timestamp jump is cut to WAV_MAX_SILENCE. */
	CU_ASSERT_EQUAL(wav_write_silence(w, 3600u * 8000u), SA_OK);
	CU_ASSERT_EQUAL(wav_write_silence(w, 1000), SA_OK);
	wav_get_stats(w, &st);
	CU_ASSERT_EQUAL(st.samples, WAV_MAX_SILENCE + 1000);
	CU_ASSERT_EQUAL(st.silence, WAV_MAX_SILENCE + 1000);
	CU_ASSERT_EQUAL(st.silence_capped, 1);
	CU_ASSERT_EQUAL(st.dropped, 3600u * 8000u - WAV_MAX_SILENCE);
	CU_ASSERT_EQUAL(wav_close(w), SA_OK);
	b = slurp(path, &len);
	CU_ASSERT_FATAL(b != NULL);
	CU_ASSERT_EQUAL(len, 44 + 2 * (WAV_MAX_SILENCE + 1000));
	CU_ASSERT_EQUAL(le32(b + 40), 2 * (WAV_MAX_SILENCE + 1000));
	CU_ASSERT_EQUAL(le32(b + 4), 36 + 2 * (WAV_MAX_SILENCE + 1000));
	free(b);

	/* An empty file is a valid WAV with no data. */
	CU_ASSERT_FATAL(wav_open(path, &w, &sink) == SA_OK);
	CU_ASSERT_EQUAL(wav_close(w), SA_OK);
	b = slurp(path, &len);
	CU_ASSERT_FATAL(b != NULL);
	CU_ASSERT_EQUAL(len, 44);
	CU_ASSERT_EQUAL(le32(b + 4), 36);
	CU_ASSERT_EQUAL(le32(b + 40), 0);
	free(b);
}

static void test_io_errors(void)
{
	char path[128];
	struct wav_writer *w = (struct wav_writer *)1;
	uint8_t pl[4000];

	n_msgs = 0;
	snprintf(path, sizeof path, "%s/no/such/dir.wav", tmpdir);
	CU_ASSERT_EQUAL(wav_open(path, &w, &sink), SA_IO);
	CU_ASSERT_PTR_NULL(w);
	CU_ASSERT_EQUAL(n_msgs, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(last_msg, "dir.wav"));
	CU_ASSERT_PTR_NOT_NULL(strstr(last_msg, "cannot create"));
	CU_ASSERT_EQUAL(wav_close(NULL), SA_OK);

	/* /dev/full accepts the open but every flush fails (ENOSPC). */
	if (access("/dev/full", W_OK) != 0) {
		fprintf(stderr, "(no /dev/full: write-error case skipped) ");
		return;
	}
	memset(pl, 0xff, sizeof pl);
	n_msgs = 0;
	CU_ASSERT_FATAL(wav_open("/dev/full", &w, &sink) == SA_OK);
	(void)wav_write_g711(w, G711_ULAW, pl, sizeof pl); /* may fail already */
	CU_ASSERT_EQUAL(wav_close(w), SA_IO);
	CU_ASSERT(n_msgs >= 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(last_msg, "/dev/full"));
}

static const CU_TestInfo tests[] = {
	{ "µ-law codewords", test_ulaw_codewords },
	{ "A-law codewords", test_alaw_codewords },
	{ "full tables", test_full_tables },
	{ "header and samples", test_header_and_samples },
	{ "silence cap", test_silence_cap },
	{ "I/O errors", test_io_errors },
	CU_TEST_INFO_NULL,
};

#define SUITE_NAME "wav"
#include "cu_main.h"
