/* fuzz_pipeline.c - libFuzzer harness: the whole pipeline (pipeline.h) on
 * an in-memory capture, as `srtpaudit decrypt` and `analyze` run it.
 *
 * The input is written to an unlinked temporary file that libpcap opens
 * through /proc/self/fd (or by its name where /proc is missing).  TLS key
 * logs inside a pcapng (Decryption Secrets Blocks) are read first, the
 * first pass fills the result, every report writer (JSON with keys, text,
 * calls, JUnit XML) runs over it to /dev/null, keys are derived and, when
 * there are any, the decrypting pass runs with a frame callback that reads
 * every frame it is handed.  The first pass is tentative, as in
 * cli_run_decrypting: it decrypts with an unbound --srtp-key and turns into
 * a learning pass at the first SIP or DTLS (on_learn forgets the frames). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "keylog.h"
#include "keyring.h"
#include "pcapng_dsb.h"
#include "pipeline.h"
#include "report.h"
#include "srtpkey_spec.h"
#include "text.h"

static char path[64];
static int fd = -1;
static FILE *devnull;
static struct srtpkey_spec spec; /* an unbound --srtp-key */

static void cleanup(void)
{
	if (path[0])
		unlink(path);
}

static bool setup(void)
{
	char tmpl[] = "/tmp/sa-fuzz-XXXXXX";
	char proc[64];
	fd = mkstemp(tmpl);
	if (fd < 0)
		return false;
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
	if (access(proc, R_OK) == 0) {
		unlink(tmpl);
		snprintf(path, sizeof path, "%s", proc);
	} else {
		snprintf(path, sizeof path, "%s", tmpl);
		atexit(cleanup);
	}
	devnull = fopen("/dev/null", "w");
	return devnull != NULL &&
	       srtpkey_spec_parse(sv_cstr("AES_CM_128_HMAC_SHA1_80:0x000102030405060708090a0b0c0d0e0f"
					  "101112131415161718191a1b1c1d"),
				  &spec, NULL, 0) == SA_OK;
}

static bool write_input(const uint8_t *data, size_t size)
{
	size_t done = 0;
	if (ftruncate(fd, 0) != 0 || lseek(fd, 0, SEEK_SET) != 0)
		return false;
	while (done < size) {
		ssize_t w = write(fd, data + done, size - done);
		if (w <= 0)
			return false;
		done += (size_t)w;
	}
	return true;
}

static void on_frame(void *ctx, const struct frame_out *fo)
{
	unsigned *sum = ctx;
	*sum += fz_touch(fo->data, fo->caplen);
	*sum += fz_touch(fo->rtp, fo->rtp_len);
}

static void on_learn(void *ctx)
{
	unsigned *sum = ctx;
	*sum = 0;
}

static void reports(const struct result *r)
{
	struct report_opts o;
	report_opts_init(&o);
	o.show_keys = true;
	o.verbose = true;
	(void)report_json_write(r, &o, devnull);
	report_text_write(r, &o, devnull);
	report_text_findings(r, &o, devnull);
	report_calls_text(r, &o, devnull);
	(void)report_junit_write(r, r->findings, &o, devnull);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *names[1];
	unsigned sum = 0;
	struct diag_sink sink = { fz_diag_emit, &sum };
	struct pipeline_options opt;
	struct pipeline *p1 = NULL, *p2 = NULL;
	struct keyring *kr = NULL, *kr0 = NULL;
	struct keylog *kl;
	struct result none;

	if (fd < 0 && !setup())
		return 0;
	if (!write_input(data, size))
		return 0;
	names[0] = path;
	kl = keylog_new();
	if (!kl)
		return 0;
	(void)pcapng_dsb_read(path, kl, &sink, NULL);
	memset(&none, 0, sizeof none);
	if (keyring_build(&none, kl, &spec, 1, &sink, &kr0) != SA_OK)
		goto out;
	memset(&opt, 0, sizeof opt);
	opt.diag = &sink;
	opt.keys = kr0;
	opt.on_frame = on_frame;
	opt.on_learn = on_learn;
	opt.frame_ctx = &sum;
	opt.tentative = true;
	if (pipeline_run(names, 1, &opt, &p1) != SA_OK)
		goto out;
	reports(pipeline_result(p1));
	if (!pipeline_learned(p1))
		goto out; /* no SIP, no DTLS: that was the decrypting pass */
	if (keyring_build(pipeline_result(p1), kl, &spec, 1, &sink, &kr) != SA_OK)
		goto out;
	if (keyring_count(kr) == 0) {
		pipeline_explain_keys(p1, kr);
		goto out;
	}
	memset(&opt, 0, sizeof opt);
	opt.diag = &sink;
	opt.keys = kr;
	opt.on_frame = on_frame;
	opt.frame_ctx = &sum;
	if (pipeline_run(names, 1, &opt, &p2) == SA_OK)
		reports(pipeline_result(p2));
out:
	pipeline_free(p2);
	pipeline_free(p1);
	keyring_free(kr);
	keyring_free(kr0);
	keylog_free(kl);
	(void)sum;
	return 0;
}
