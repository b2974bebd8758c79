/* cli_keys.c - key options and the two passes of a decrypting run:
 * the first pass learns calls, handshakes and keys, the key ring is built,
 * the second pass decrypts (and writes, for `decrypt`). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "keylog.h"
#include "keyring.h"
#include "pcapng_dsb.h"
#include "pipeline.h"
#include "srtpkey_spec.h"

int cli_keys_add_spec(struct cli_ctx *c, struct cli_keys *k, const char *text)
{
	char err[SRTPKEY_ERR_LEN];
	struct srtpkey_spec *v;
	if (k->nspec == CLI_MAX_SPECS)
		return cli_usage_error(c, "--srtp-key: at most %d keys", CLI_MAX_SPECS);
	v = realloc(k->specs, (k->nspec + 1) * sizeof *v);
	if (!v)
		return cli_usage_error(c, "out of memory");
	k->specs = v;
	if (srtpkey_spec_parse(sv_cstr(text), &k->specs[k->nspec], err, sizeof err) != SA_OK)
		return cli_usage_error(c, "%s", err);
	k->nspec++;
	return EXIT_CLEAN;
}

int cli_keys_add_keylog(struct cli_ctx *c, struct cli_keys *k, const char *path)
{
	if (k->nkl == CLI_MAX_KEYLOGS)
		return cli_usage_error(c, "-k: at most %d key logs", CLI_MAX_KEYLOGS);
	k->keylogs[k->nkl++] = path;
	return EXIT_CLEAN;
}

void cli_keys_cleanup(struct cli_keys *k)
{
	if (!k)
		return;
	if (k->specs)
		memset(k->specs, 0, k->nspec * sizeof *k->specs);
	free(k->specs);
	keyring_free(k->ring);
	if (k->spool[0])
		unlink(k->spool);
	memset(k, 0, sizeof *k);
}

/* Standard input cannot be read twice: copy it to a private temporary
 * file first (mode 0600; removed by cli_keys_cleanup). */
static int spool_stdin(struct cli_ctx *c, struct cli_keys *k)
{
	const char *tmp = getenv("TMPDIR");
	char buf[65536];
	ssize_t n;
	int fd;
	snprintf(k->spool, sizeof k->spool, "%s/srtpaudit-stdin-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	fd = mkstemp(k->spool);
	if (fd < 0) {
		fprintf(stderr, "%s: cannot create a temporary file for standard input: %s\n",
			c->prog, strerror(errno));
		k->spool[0] = '\0';
		return EXIT_USAGE;
	}
	while ((n = read(STDIN_FILENO, buf, sizeof buf)) > 0) {
		if (write(fd, buf, (size_t)n) != n) {
			fprintf(stderr, "%s: %s: %s\n", c->prog, k->spool, strerror(errno));
			close(fd);
			return EXIT_USAGE;
		}
	}
	close(fd);
	return n < 0 ? EXIT_USAGE : EXIT_CLEAN;
}

/* second_pass - the decrypting pass with k->ring. */
static int second_pass(struct cli_ctx *c, char **names, size_t n, size_t spooled,
		       struct cli_keys *k, void (*on_frame)(void *, const struct frame_out *),
		       void *frame_ctx, struct pipeline **out)
{
	struct pipeline_options popt;
	struct pipeline *p2 = NULL;
	bool q = c->quiet;
	if (c->verbose)
		fprintf(stderr, "%s %s: two passes: one to learn the keys of the capture's "
			"signalling and DTLS handshakes, one to decrypt\n", c->prog, c->cmd);
	memset(&popt, 0, sizeof popt);
	popt.diag = &c->sink;
	popt.keys = k->ring;
	popt.on_frame = on_frame;
	popt.frame_ctx = frame_ctx;
	/* The second pass repeats the first one's messages: keep them quiet. */
	c->quiet = true;
	if (pipeline_run((const char *const *)names, n, &popt, &p2) != SA_OK) {
		c->quiet = q;
		return EXIT_USAGE;
	}
	c->quiet = q;
	if (spooled < n)
		(void)pipeline_set_file_label(p2, spooled, "<stdin>");
	*out = p2;
	return EXIT_CLEAN;
}

/* tentative_pass - the decrypting pass with only the keys from outside
 * the capture (*ring0, which its streams point into).  EXIT_CLEAN with
 * *p1 set: the result when !pipeline_learned(*p1), else the learning pass
 * of two. */
static int tentative_pass(struct cli_ctx *c, char **names, size_t n, struct cli_keys *k,
			  const struct keylog *kl,
			  void (*on_frame)(void *, const struct frame_out *),
			  void (*on_learn)(void *), void *frame_ctx, struct keyring **ring0,
			  struct pipeline **p1)
{
	struct pipeline_options popt;
	struct result none;
	memset(&none, 0, sizeof none);
	if (keyring_build(&none, kl, k->specs, k->nspec, &c->sink, ring0) != SA_OK) {
		fprintf(stderr, "%s: out of memory\n", c->prog);
		return EXIT_USAGE;
	}
	memset(&popt, 0, sizeof popt);
	popt.diag = &c->sink;
	popt.keys = *ring0;
	popt.on_frame = on_frame;
	popt.frame_ctx = frame_ctx;
	popt.tentative = true;
	popt.on_learn = on_learn;
	return cli_run_pipeline_with(c, names, n, &popt, p1);
}

/* tentative_then_second - the tentative pass, and the second pass when it
 * turned into a learning pass.  An exit status; *out set on EXIT_CLEAN. */
static int tentative_then_second(struct cli_ctx *c, char **names, size_t n, size_t spooled,
				 struct cli_keys *k, const struct keylog *kl,
				 void (*on_frame)(void *, const struct frame_out *),
				 void (*on_learn)(void *), void *frame_ctx,
				 struct pipeline **out)
{
	struct keyring *ring0 = NULL;
	struct pipeline *p1 = NULL;
	enum sa_status st;
	int rc = tentative_pass(c, names, n, k, kl, on_frame, on_learn, frame_ctx, &ring0, &p1);
	if (rc != EXIT_CLEAN) {
		keyring_free(ring0);
		return rc;
	}
	if (!pipeline_learned(p1)) {
		/* No SIP, no DTLS: nothing to learn, p1 decrypted it all. */
		if (c->verbose)
			fprintf(stderr, "%s %s: one pass: no SIP and no DTLS in the capture, "
				"keys from --srtp-key only\n", c->prog, c->cmd);
		k->ring = ring0;
		if (spooled < n)
			(void)pipeline_set_file_label(p1, spooled, "<stdin>");
		*out = p1;
		return EXIT_CLEAN;
	}
	/* p1 turned into a learning pass; its streams point into ring0. */
	st = keyring_build(pipeline_result(p1), kl, k->specs, k->nspec, &c->sink, &k->ring);
	pipeline_free(p1);
	keyring_free(ring0);
	if (st != SA_OK) {
		fprintf(stderr, "%s: out of memory\n", c->prog);
		return EXIT_USAGE;
	}
	return second_pass(c, names, n, spooled, k, on_frame, frame_ctx, out);
}

int cli_run_decrypting(struct cli_ctx *c, char **names, size_t n, struct cli_keys *k,
		       bool always_decrypt, void (*on_frame)(void *, const struct frame_out *),
		       void (*on_learn)(void *), void *frame_ctx, struct pipeline **out)
{
	struct pipeline *p1 = NULL;
	struct keylog *kl;
	size_t i, nb, spooled = n;
	bool learn;
	int rc;
	*out = NULL;
	for (i = 0; i < n; i++) {
		if (strcmp(names[i], "-") != 0)
			continue;
		if (k->spool[0])
			return cli_usage_error(c, "'-' (standard input) given twice");
		rc = spool_stdin(c, k);
		if (rc != EXIT_CLEAN)
			return rc;
		names[i] = k->spool;
		spooled = i;
	}
	kl = keylog_new();
	if (!kl)
		return EXIT_USAGE;
	for (i = 0; i < k->nkl; i++) {
		if (keylog_load_file(kl, k->keylogs[i], &c->sink) != SA_OK) {
			/* keylog_load_file said what and where. */
			keylog_free(kl);
			return EXIT_USAGE;
		}
	}
	/* Key logs shipped inside pcapng files (Decryption Secrets Blocks). */
	for (i = 0; i < n; i++)
		(void)pcapng_dsb_read(names[i], kl, &c->sink, &nb);
	/* When a second pass is certain (decrypt) or likely (keys given), the
	 * first pass learns signalling and handshakes; where what on_frame got
	 * can be forgotten, it decrypts with the --srtp-key keys until it meets
	 * SIP or DTLS, and is often the only pass. */
	learn = always_decrypt || k->nkl || k->nspec || keylog_count(kl);
	if (learn && (!on_frame || on_learn)) {
		rc = tentative_then_second(c, names, n, spooled, k, kl, on_frame, on_learn,
					   frame_ctx, out);
		keylog_free(kl);
		return rc;
	}
	rc = cli_run_pipeline_opts(c, names, n, learn, &p1);
	if (rc != EXIT_CLEAN) {
		keylog_free(kl);
		return rc;
	}
	if (keyring_build(pipeline_result(p1), kl, k->specs, k->nspec, &c->sink, &k->ring) != SA_OK) {
		keylog_free(kl);
		pipeline_free(p1);
		fprintf(stderr, "%s: out of memory\n", c->prog);
		return EXIT_USAGE;
	}
	keylog_free(kl);
	if (!always_decrypt && !learn && keyring_count(k->ring) == 0) {
		pipeline_explain_keys(p1, k->ring);
		if (spooled < n)
			(void)pipeline_set_file_label(p1, spooled, "<stdin>");
		*out = p1;
		return EXIT_CLEAN;
	}
	pipeline_free(p1);
	return second_pass(c, names, n, spooled, k, on_frame, frame_ctx, out);
}
