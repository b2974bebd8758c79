/* main.c - srtpaudit: dispatch to the subcommands. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "config.h"

static void usage(FILE *out, const char *prog)
{
	fprintf(out,
		"Usage: %s COMMAND [OPTIONS] ...\n"
		"Audit the encryption of SIP calls (DTLS-SRTP, SDES-SRTP) in captures.\n\n"
		"Commands:\n"
		"  analyze [OPTIONS] CAPTURE...       audit every call; report findings\n"
		"  decrypt [OPTIONS] CAPTURE... -o OUT.pcap\n"
		"                                     decrypt SRTP/SRTCP into a new capture\n"
		"  calls   [OPTIONS] CAPTURE...       list calls, media and streams\n"
		"  checks  [OPTIONS] [CHECK-ID...]    list the check catalogue\n"
		"  replay  [OPTIONS] CAPTURE          play one side of a captured call live\n\n"
		"Run '%s COMMAND --help' for a command's options.\n"
		"Options: -h, --help   this text;  -V, --version   the version.\n"
		"Exit status: 0 no finding at or above --fail-on, 1 findings, 2 usage error\n"
		"or unreadable input.\n",
		prog, prog);
}

int main(int argc, char **argv)
{
	const char *prog = "srtpaudit";
	const char *cmd;
	if (argc < 2) {
		usage(stderr, prog);
		return EXIT_USAGE;
	}
	cmd = argv[1];
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 ||
	    strcmp(cmd, "help") == 0) {
		usage(stdout, prog);
		return EXIT_CLEAN;
	}
	if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
		printf("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
		return EXIT_CLEAN;
	}
	if (strcmp(cmd, "analyze") == 0)
		return cmd_analyze(argc - 1, argv + 1, prog);
	if (strcmp(cmd, "calls") == 0)
		return cmd_calls(argc - 1, argv + 1, prog);
	if (strcmp(cmd, "checks") == 0)
		return cmd_checks(argc - 1, argv + 1, prog);
	if (strcmp(cmd, "decrypt") == 0)
		return cmd_decrypt(argc - 1, argv + 1, prog);
	if (strcmp(cmd, "replay") == 0)
		return cmd_replay(argc - 1, argv + 1, prog);
	fprintf(stderr, "%s: '%s' is not a command; expected analyze, decrypt, "
		"calls, checks or replay (try '%s --help')\n", prog, cmd, prog);
	return EXIT_USAGE;
}
