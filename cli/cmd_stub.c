/* cmd_stub.c - subcommands that are not built yet say so and exit 2. */
#include <string.h>

#include "cli.h"

struct stub {
	const char *cmd;
	const char *synopsis;
};

static const struct stub stubs[] = {
	{ "replay", "replay CAPTURE --call CALL-ID --target HOST[:PORT] [OPTIONS]" },
};

int cmd_not_built(int argc, char **argv, const char *prog, const char *cmd)
{
	const struct stub *s = NULL;
	size_t i;
	for (i = 0; i < sizeof stubs / sizeof stubs[0]; i++)
		if (strcmp(stubs[i].cmd, cmd) == 0)
			s = &stubs[i];
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		printf("Usage: %s %s\n(not built yet in this version: it exits with status 2)\n",
		       prog, s ? s->synopsis : cmd);
		return EXIT_CLEAN;
	}
	fprintf(stderr, "%s %s: this command is not built yet in this version; "
		"it does nothing and exits with status 2 (see README for what works)\n",
		prog, cmd);
	return EXIT_USAGE;
}
