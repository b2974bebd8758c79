/* cli_common.c - diagnostics to stderr, output files, usage errors. */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pipeline.h"
#include "report.h"

/* Messages look like a compiler's: "srtpaudit: file.pcap: frame 12:
 * warning: ...".  Capture-derived text in messages is escaped. */
static void emit_stderr(void *ctx, enum diag_level level, const char *file,
			uint64_t frame, const char *msg)
{
	struct cli_ctx *c = ctx;
	const char *col = "", *reset = "";
	if (level == DIAG_ERROR)
		c->errors++;
	if (c->quiet && level != DIAG_ERROR)
		return;
	if (c->color) {
		col = level == DIAG_ERROR ? "\033[1;31m" :
		      level == DIAG_WARNING ? "\033[1;35m" : "\033[1;36m";
		reset = "\033[0m";
	}
	fprintf(stderr, "%s: ", c->prog);
	if (file) {
		report_text_escape(stderr, file, strlen(file));
		fputs(": ", stderr);
	}
	if (frame)
		fprintf(stderr, "frame %llu: ", (unsigned long long)frame);
	fprintf(stderr, "%s%s%s: ", col, diag_level_name(level), reset);
	report_text_escape(stderr, msg, strlen(msg));
	fputc('\n', stderr);
}

void cli_ctx_init(struct cli_ctx *c, const char *prog, const char *cmd)
{
	memset(c, 0, sizeof *c);
	c->prog = prog;
	c->cmd = cmd;
	c->color = isatty(STDERR_FILENO) && !getenv("NO_COLOR");
	c->sink.emit = emit_stderr;
	c->sink.ctx = c;
}

int cli_usage_error(const struct cli_ctx *c, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s %s: ", c->prog, c->cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s %s --help'.\n", c->prog, c->cmd);
	return EXIT_USAGE;
}

FILE *cli_open_output(const struct cli_ctx *c, const char *path, bool secret)
{
	int fd;
	FILE *f;
	if (strcmp(path, "-") == 0)
		return stdout;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		  secret ? 0600 : 0644);
	if (fd < 0) {
		fprintf(stderr, "%s: %s: cannot create this file: %s\n", c->prog,
			path, strerror(errno));
		return NULL;
	}
	/* An existing file keeps its mode on open: keys must not stay readable. */
	if (secret && fchmod(fd, 0600) != 0) {
		fprintf(stderr, "%s: %s: cannot make this file private (mode 0600): %s\n",
			c->prog, path, strerror(errno));
		close(fd);
		return NULL;
	}
	f = fdopen(fd, "w");
	if (!f) {
		fprintf(stderr, "%s: %s: %s\n", c->prog, path, strerror(errno));
		close(fd);
	}
	return f;
}

bool cli_close_output(const struct cli_ctx *c, const char *path, FILE *f)
{
	bool ok = true;
	if (!f)
		return false;
	if (fflush(f) != 0 || ferror(f))
		ok = false;
	if (f != stdout && fclose(f) != 0)
		ok = false;
	if (!ok)
		fprintf(stderr, "%s: %s: write failed: %s\n", c->prog, path,
			strerror(errno));
	return ok;
}

int cli_run_pipeline(struct cli_ctx *c, char *const *names, size_t n,
		     struct pipeline **out)
{
	return cli_run_pipeline_opts(c, names, n, false, out);
}

int cli_run_pipeline_opts(struct cli_ctx *c, char *const *names, size_t n,
			  bool learn_only, struct pipeline **out)
{
	struct pipeline_options popt;
	memset(&popt, 0, sizeof popt);
	popt.diag = &c->sink;
	popt.learn_only = learn_only;
	return cli_run_pipeline_with(c, names, n, &popt, out);
}

int cli_run_pipeline_with(struct cli_ctx *c, char *const *names, size_t n,
			  const struct pipeline_options *popt, struct pipeline **out)
{
	const struct result *r;
	enum sa_status st;
	uint64_t frames = 0;
	bool any_error = false;
	size_t i;
	*out = NULL;
	st = pipeline_run((const char *const *)names, n, popt, out);
	if (st != SA_OK) {
		if (st == SA_NOMEM)
			fprintf(stderr, "%s: out of memory\n", c->prog);
		return EXIT_USAGE;
	}
	r = pipeline_result(*out);
	for (i = 0; i < r->nfiles; i++) {
		frames += r->files[i].frames;
		any_error |= r->files[i].read_error;
	}
	if (frames == 0 && any_error) {
		/* Nothing could be read at all: unreadable input. */
		pipeline_free(*out);
		*out = NULL;
		return EXIT_USAGE;
	}
	return EXIT_CLEAN;
}
