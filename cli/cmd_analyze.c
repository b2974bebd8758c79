/* cmd_analyze.c - srtpaudit analyze: read captures, report. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "checks.h"
#include "pipeline.h"
#include "report.h"
#include "srtp_stream.h"

static void analyze_help(FILE *out, const char *prog)
{
	fprintf(out,
		"Usage: %s analyze [OPTIONS] CAPTURE...\n"
		"Audit every call in the captures (pcap or pcapng; several files are read\n"
		"as one capture in timestamp order; '-' reads standard input).\n\n"
		"Options:\n"
		"  -k, --keylog FILE    NSS key log (CLIENT_RANDOM lines); repeatable\n"
		"      --srtp-key SPEC  SUITE:KEY[@SRC-DST|@ENDPOINT|@ssrc=N]; repeatable\n"
		"      --json FILE|-    write the JSON report ('-' = standard output)\n"
		"      --junit FILE     write a JUnit XML report\n"
		"      --call CALL-ID   only this call\n"
		"      --show-keys      include SRTP master keys and salts in JSON\n"
		"      --engine NAME    SRTP engine: fast (OpenSSL, default) or libsrtp\n"
		"      --fail-on LEVEL  error (default), warning or info: the lowest\n"
		"                       finding severity that makes the exit status 1\n"
		"  -q, --quiet          only errors on standard error\n"
		"  -v, --verbose        more detail\n"
		"  -h, --help           this text\n\n"
		"Exit status: 0 no finding at or above --fail-on, 1 findings at or above it,\n"
		"2 usage error or unreadable input.\n",
		prog);
}

enum { OPT_JSON = 256, OPT_JUNIT, OPT_CALL, OPT_SHOW_KEYS, OPT_FAIL_ON, OPT_SRTP_KEY, OPT_ENGINE };

int cmd_analyze(int argc, char **argv, const char *prog)
{
	static const struct option longopts[] = {
		{ "keylog", required_argument, NULL, 'k' },
		{ "srtp-key", required_argument, NULL, OPT_SRTP_KEY },
		{ "json", required_argument, NULL, OPT_JSON },
		{ "junit", required_argument, NULL, OPT_JUNIT },
		{ "call", required_argument, NULL, OPT_CALL },
		{ "show-keys", no_argument, NULL, OPT_SHOW_KEYS },
		{ "engine", required_argument, NULL, OPT_ENGINE },
		{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_ctx c;
	struct report_opts ropt;
	struct cli_keys keys;
	struct pipeline *p = NULL;
	enum severity fail_on = SEV_ERROR;
	const char *json = NULL, *junit = NULL;
	int opt, rc = EXIT_CLEAN;
	enum sdec_engine engine;

	cli_ctx_init(&c, prog, "analyze");
	memset(&keys, 0, sizeof keys);
	report_opts_init(&ropt);
	optind = 1;
	while ((opt = getopt_long(argc, argv, "k:qvh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'k':
			if ((rc = cli_keys_add_keylog(&c, &keys, optarg)) != EXIT_CLEAN)
				goto out;
			break;
		case OPT_SRTP_KEY:
			if ((rc = cli_keys_add_spec(&c, &keys, optarg)) != EXIT_CLEAN)
				goto out;
			break;
		case OPT_JSON: json = optarg; break;
		case OPT_JUNIT: junit = optarg; break;
		case OPT_CALL: ropt.call_filter = optarg; break;
		case OPT_SHOW_KEYS: ropt.show_keys = true; break;
		case OPT_ENGINE: /* SRTP engine (docs/bench.md); default fast */
			if (!sdec_engine_by_name(optarg, &engine)) {
				rc = cli_usage_error(&c, "--engine takes libsrtp or fast, not '%s'", optarg);
				goto out;
			}
			sdec_engine_set(engine);
			break;
		case OPT_FAIL_ON:
			if (!severity_parse(optarg, &fail_on)) {
				rc = cli_usage_error(&c, "--fail-on takes error, warning or info, not '%s'", optarg);
				goto out;
			}
			break;
		case 'q': c.quiet = true; break;
		case 'v': c.verbose = true; break;
		case 'h':
			analyze_help(stdout, prog);
			goto out;
		default:
			rc = cli_usage_error(&c, "unknown option");
			goto out;
		}
	}
	if (optind >= argc) {
		rc = cli_usage_error(&c, "no capture file given; expected one or more pcap/pcapng files or '-'");
		goto out;
	}
	rc = cli_run_decrypting(&c, argv + optind, (size_t)(argc - optind), &keys, false,
				NULL, NULL, NULL, &p);
	if (rc != EXIT_CLEAN)
		goto out;
	{
		const struct result *r = pipeline_result(p);
		ropt.color = c.color && isatty(STDOUT_FILENO);
		ropt.verbose = c.verbose;
		ropt.pretty = true;
		ropt.fail_on = fail_on;
		if (json) {
			FILE *f = cli_open_output(&c, json, ropt.show_keys);
			if (!f || !report_json_write(r, &ropt, f) | !cli_close_output(&c, json, f))
				rc = EXIT_USAGE;
		}
		if (junit) {
			FILE *f = cli_open_output(&c, junit, false);
			if (!f || !report_junit_write(r, r->findings, &ropt, f) |
				  !cli_close_output(&c, junit, f))
				rc = EXIT_USAGE;
		}
		if (!c.quiet && !(json && strcmp(json, "-") == 0)) {
			report_text_write(r, &ropt, stdout);
			report_text_findings(r, &ropt, stdout);
		}
		/* Exit status 1: a finding at or above --fail-on. */
		if (rc == EXIT_CLEAN && r->findings &&
		    findings_worst(r->findings) >= (int)fail_on)
			rc = EXIT_FINDINGS;
	}
	pipeline_free(p);
out:
	cli_keys_cleanup(&keys);
	return rc;
}
