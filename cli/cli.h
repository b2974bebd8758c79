/* cli.h - shared pieces of the srtpaudit subcommand front ends.
 *
 * The front ends are thin: parse options with getopt_long, call the
 * analyzer, hand the result to reports/.  Exit statuses are the contract of
 * DESIGN.md: 0 no finding at or above --fail-on, 1 findings at or above
 * it, 2 usage error or unreadable input.
 */
#ifndef SA_CLI_H
#define SA_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "diag.h"

enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2 };

struct cli_ctx {
	const char *prog;     /* "srtpaudit" */
	const char *cmd;      /* subcommand name */
	bool quiet;                /* only errors (changed during repeated passes) */
	bool verbose;
	bool color;           /* stderr is a terminal */
	unsigned errors;      /* errors reported so far */
	struct diag_sink sink;
};

void cli_ctx_init(struct cli_ctx *c, const char *prog, const char *cmd);

/* cli_usage_error - "srtpaudit CMD: MSG" plus a hint to --help; returns
 * EXIT_USAGE. */
int cli_usage_error(const struct cli_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* cli_open_output - "-" is stdout; otherwise the file is created (mode
 * 0644, or 0600 when secret).  NULL and a message on failure. */
FILE *cli_open_output(const struct cli_ctx *c, const char *path, bool secret);
bool cli_close_output(const struct cli_ctx *c, const char *path, FILE *f);

struct pipeline;
struct pipeline_options;

/* cli_run_pipeline - analyse the capture files names[0..n).  Returns
 * EXIT_CLEAN with *out set, or EXIT_USAGE (message printed) when a file
 * cannot be opened or nothing at all could be read. */
int cli_run_pipeline(struct cli_ctx *c, char *const *names, size_t n,
		     struct pipeline **out);
/* cli_run_pipeline_with - the same with the given options. */
int cli_run_pipeline_with(struct cli_ctx *c, char *const *names, size_t n,
			  const struct pipeline_options *popt, struct pipeline **out);
/* cli_run_pipeline_opts - the same; learn_only: a first pass of two
 * (pipeline_options.learn_only). */
int cli_run_pipeline_opts(struct cli_ctx *c, char *const *names, size_t n,
			  bool learn_only, struct pipeline **out);

/* Key options shared by analyze and decrypt. */
#define CLI_MAX_KEYLOGS 64
#define CLI_MAX_SPECS 1024
struct srtpkey_spec;
struct keyring;
struct frame_out;
struct cli_keys {
	const char *keylogs[CLI_MAX_KEYLOGS];
	size_t nkl;
	struct srtpkey_spec *specs;
	size_t nspec;
	struct keyring *ring;      /* built by cli_run_decrypting */
	char spool[256];           /* standard input copied here */
};

/* cli_keys_add_spec - parse one --srtp-key; EXIT_USAGE with a message. */
int cli_keys_add_spec(struct cli_ctx *c, struct cli_keys *k, const char *text);
int cli_keys_add_keylog(struct cli_ctx *c, struct cli_keys *k, const char *path);
/* cli_keys_cleanup - free the keys (wiped) and the ring, remove the spool
 * file.  Call after the reports: streams point into the ring. */
void cli_keys_cleanup(struct cli_keys *k);

/* cli_run_decrypting - the first pass, the key ring from its calls and
 * handshakes plus the key logs (files and pcapng secrets blocks) and
 * --srtp-key, then a decrypting second pass handing every frame to
 * on_frame (may be NULL).  Without any key and unless always_decrypt the
 * first pass is the result.  names may be changed ('-' is spooled).
 * When on_frame is NULL or on_learn is given, the first pass decrypts
 * with the --srtp-key keys until a frame that can teach keys (SIP, DTLS;
 * pipeline_options.tentative): a capture without either is read once.
 * on_learn(frame_ctx) must then forget every frame on_frame was given. */
int cli_run_decrypting(struct cli_ctx *c, char **names, size_t n, struct cli_keys *k,
		       bool always_decrypt, void (*on_frame)(void *, const struct frame_out *),
		       void (*on_learn)(void *), void *frame_ctx, struct pipeline **out);

int cmd_analyze(int argc, char **argv, const char *prog);
int cmd_decrypt(int argc, char **argv, const char *prog);
int cmd_calls(int argc, char **argv, const char *prog);
int cmd_checks(int argc, char **argv, const char *prog);
int cmd_replay(int argc, char **argv, const char *prog);

#endif
