/* replay_corpus.c - run a fuzz harness over its regression corpus without
 * libFuzzer, with the ordinary compiler (make check).
 *
 * Linked with one harness as tests/fuzz/replay_<name>.  Without arguments
 * it replays every file of $top_srcdir/tests/fuzz/corpus/<name>/ (name
 * taken from the program's own name), in name order; arguments are files
 * or folders to replay instead.  Each input is handed to
 * LLVMFuzzerTestOneInput in a heap buffer of exactly its size, so the
 * sanitizer build catches a read one byte past the end.  Exits 1 when a
 * corpus folder is missing or empty (a replay of nothing proves nothing);
 * a crash is the harness's own. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "fuzz.h"

static const char *prog;
static double slowest;
static char slowest_name[512];

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* replay_file - read path into an exact-size buffer and run it once.
 * Returns false when the file cannot be read. */
static bool replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long size;
	double t0;
	bool ok = false;

	if (!f)
		goto out;
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
		goto out;
	buf = malloc(size > 0 ? (size_t)size : 1);
	if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size)
		goto out;
	fclose(f);
	f = NULL;
	t0 = now_s();
	LLVMFuzzerTestOneInput(buf, (size_t)size);
	t0 = now_s() - t0;
	if (t0 > slowest) {
		slowest = t0;
		snprintf(slowest_name, sizeof slowest_name, "%s", path);
	}
	ok = true;
out:
	if (!ok)
		fprintf(stderr, "%s: %s: cannot read: %s\n", prog, path, strerror(errno));
	if (f)
		fclose(f);
	free(buf);
	return ok;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* replay_path - a file, or every regular file of a folder.  Adds the
 * number of inputs run to *count; false on an unreadable file or folder. */
static bool replay_path(const char *path, size_t *count)
{
	struct dirent **list;
	struct stat st;
	char sub[4096];
	bool ok = true;
	int n, i;

	if (stat(path, &st) != 0) {
		fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
		return false;
	}
	if (!S_ISDIR(st.st_mode)) {
		if (!replay_file(path))
			return false;
		(*count)++;
		return true;
	}
	n = scandir(path, &list, NULL, by_name);
	if (n < 0) {
		fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
		return false;
	}
	for (i = 0; i < n; i++) {
		if (list[i]->d_name[0] != '.') {
			snprintf(sub, sizeof sub, "%s/%s", path, list[i]->d_name);
			if (stat(sub, &st) == 0 && S_ISREG(st.st_mode)) {
				if (replay_file(sub))
					(*count)++;
				else
					ok = false;
			}
		}
		free(list[i]);
	}
	free(list);
	return ok;
}

int main(int argc, char **argv)
{
	const char *base, *name, *top = getenv("top_srcdir");
	char dir[4096];
	size_t count = 0;
	bool ok = true;
	int i;

	prog = argv[0];
	if (argc > 1) {
		for (i = 1; i < argc; i++)
			ok &= replay_path(argv[i], &count);
	} else {
		base = strrchr(prog, '/');
		base = base ? base + 1 : prog;
		name = strncmp(base, "replay_", 7) == 0 ? base + 7 : base;
		snprintf(dir, sizeof dir, "%s/tests/fuzz/corpus/%s", top ? top : ".", name);
		ok = replay_path(dir, &count);
		printf("%s: %zu inputs from %s\n", base, count, dir);
	}
	if (slowest > 0)
		printf("slowest: %.3f s (%s)\n", slowest, slowest_name);
	if (!ok || count == 0) {
		if (count == 0)
			fprintf(stderr, "%s: no input replayed\n", prog);
		return 1;
	}
	return 0;
}
