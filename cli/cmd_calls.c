/* cmd_calls.c - srtpaudit calls: one block per call with its media
 * sections, negotiated security and flows. */
#include <getopt.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "pipeline.h"
#include "report.h"

static void calls_help(FILE *out, const char *prog)
{
	fprintf(out,
		"Usage: %s calls [OPTIONS] CAPTURE...\n"
		"List the calls (INVITE dialogs) in the captures: Call-ID, from, to, start\n"
		"and end, outcome, and per media section the negotiated method (sdes, dtls,\n"
		"none, both), suite, addresses, rtcp-mux and the media flows seen.\n\n"
		"Options:\n"
		"      --json FILE|-    the same as JSON (the report's \"calls\" list)\n"
		"      --call CALL-ID   only this call\n"
		"      --show-keys      include SDES keys in JSON\n"
		"  -q, --quiet          only errors on standard error\n"
		"  -v, --verbose        more detail\n"
		"  -h, --help           this text\n",
		prog);
}

enum { OPT_JSON = 256, OPT_CALL, OPT_SHOW_KEYS };

int cmd_calls(int argc, char **argv, const char *prog)
{
	static const struct option longopts[] = {
		{ "json", required_argument, NULL, OPT_JSON },
		{ "call", required_argument, NULL, OPT_CALL },
		{ "show-keys", no_argument, NULL, OPT_SHOW_KEYS },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_ctx c;
	struct report_opts ropt;
	struct pipeline *p = NULL;
	const char *json = NULL;
	int opt, rc;

	cli_ctx_init(&c, prog, "calls");
	memset(&ropt, 0, sizeof ropt);
	optind = 1;
	while ((opt = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_JSON: json = optarg; break;
		case OPT_CALL: ropt.call_filter = optarg; break;
		case OPT_SHOW_KEYS: ropt.show_keys = true; break;
		case 'q': c.quiet = true; break;
		case 'v': c.verbose = true; break;
		case 'h':
			calls_help(stdout, prog);
			return EXIT_CLEAN;
		default:
			return cli_usage_error(&c, "unknown option");
		}
	}
	if (optind >= argc)
		return cli_usage_error(&c, "no capture file given; expected one or more pcap/pcapng files or '-'");
	rc = cli_run_pipeline(&c, argv + optind, (size_t)(argc - optind), &p);
	if (rc != EXIT_CLEAN)
		return rc;
	ropt.pretty = true;
	ropt.verbose = c.verbose;
	if (json) {
		FILE *f = cli_open_output(&c, json, ropt.show_keys);
		if (!f || !report_json_write(pipeline_result(p), &ropt, f) |
			  !cli_close_output(&c, json, f))
			rc = EXIT_USAGE;
	}
	if (!json || strcmp(json, "-") != 0)
		report_calls_text(pipeline_result(p), &ropt, stdout);
	pipeline_free(p);
	return rc;
}
