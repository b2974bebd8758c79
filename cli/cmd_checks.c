/* cmd_checks.c - srtpaudit checks: the check catalogue (checks.h) for
 * people (grouped by area, explanations wrapped), for scripts (--json) and
 * for the documentation (--markdown is byte for byte docs/checks.md;
 * tests/test_checks_doc.sh holds the two together). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checks.h"
#include "cli.h"
#include "jsonw.h"

#define WRAP_COLUMNS 76
#define MAX_AREAS 64

static void checks_help(FILE *out, const char *prog)
{
	fprintf(out,
		"Usage: %s checks [OPTIONS] [CHECK-ID...]\n"
		"List the conformance checks srtpaudit applies: ID, severity, area, the RFC\n"
		"section enforced, a summary and an explanation, grouped by area.  With IDs,\n"
		"only those checks.\n\n"
		"Options:\n"
		"      --json FILE|-    the catalogue as a JSON list of objects with the\n"
		"                       fields id, severity, area, rfc, summary, explain\n"
		"      --markdown       the catalogue as Markdown (docs/checks.md)\n"
		"  -h, --help           this text\n\n"
		"Severities: error (an RFC MUST is broken), warning (a SHOULD, or an interop\n"
		"risk), info (worth knowing).  'analyze --fail-on' chooses which fail.\n",
		prog);
}

/* area_max - the highest area the catalogue uses (areas are printed in
 * enum order, so new areas need no change here). */
static int area_max(void)
{
	size_t i;
	int m = 0;
	for (i = 0; i < check_count(); i++)
		if ((int)check_at(i)->area > m)
			m = (int)check_at(i)->area;
	return m < MAX_AREAS ? m : MAX_AREAS - 1;
}

/* ---- terminal ----------------------------------------------------------- */

/* utf8_cols - display columns of s[0..n): one per character. */
static size_t utf8_cols(const char *s, size_t n)
{
	size_t i, c = 0;
	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			c++;
	return c;
}

/* wrap - s as lines of at most WRAP_COLUMNS columns, each indented. */
static void wrap(FILE *out, const char *s, const char *indent)
{
	size_t width = WRAP_COLUMNS - strlen(indent), col = 0;
	while (*s) {
		size_t n = strcspn(s, " "), w = utf8_cols(s, n);
		if (n > 0) {
			if (col > 0 && col + 1 + w > width) {
				fputc('\n', out);
				col = 0;
			}
			if (col == 0) {
				fputs(indent, out);
			} else {
				fputc(' ', out);
				col++;
			}
			fwrite(s, 1, n, out);
			col += w;
		}
		s += n;
		while (*s == ' ')
			s++;
	}
	if (col > 0)
		fputc('\n', out);
}

struct style {
	const char *bold, *reset, *sev[3];
};

static void print_text(FILE *out, const bool *want, bool color)
{
	struct style st = { "", "", { "", "", "" } };
	int a, amax = area_max();
	size_t i, shown = 0;
	if (color) {
		st.bold = "\033[1m";
		st.reset = "\033[0m";
		st.sev[SEV_INFO] = "\033[1;36m";
		st.sev[SEV_WARNING] = "\033[1;35m";
		st.sev[SEV_ERROR] = "\033[1;31m";
	}
	for (a = 0; a <= amax; a++) {
		size_t n = 0;
		for (i = 0; i < check_count(); i++)
			if (want[i] && (int)check_at(i)->area == a)
				n++;
		if (n == 0)
			continue;
		fprintf(out, "%s%s== %s (%zu check%s) ==%s\n", shown ? "\n" : "",
			st.bold, check_area_name((enum check_area)a), n,
			n == 1 ? "" : "s", st.reset);
		for (i = 0; i < check_count(); i++) {
			const struct check_def *c = check_at(i);
			if (!want[i] || (int)c->area != a)
				continue;
			fprintf(out, "\n%s%s%s  %s%s%s  %s\n", st.bold, c->id, st.reset,
				st.sev[c->sev], severity_name(c->sev), st.reset, c->rfc);
			wrap(out, c->summary, "  ");
			wrap(out, c->explain, "    ");
			shown++;
		}
	}
	if (shown > 1)
		fprintf(out, "\n%zu checks.\n", shown);
}

/* ---- JSON --------------------------------------------------------------- */

static bool print_json(FILE *out, const bool *want)
{
	struct jsonw w;
	size_t i;
	jsonw_init(&w, out, true);
	jsonw_arr_begin(&w);
	for (i = 0; i < check_count(); i++) {
		const struct check_def *c = check_at(i);
		if (!want[i])
			continue;
		jsonw_obj_begin(&w);
		jsonw_kv_str(&w, "id", c->id);
		jsonw_kv_str(&w, "severity", severity_name(c->sev));
		jsonw_kv_str(&w, "area", check_area_name(c->area));
		jsonw_kv_str(&w, "rfc", c->rfc);
		jsonw_kv_str(&w, "summary", c->summary);
		jsonw_kv_str(&w, "explain", c->explain);
		jsonw_obj_end(&w);
	}
	jsonw_arr_end(&w);
	return jsonw_finish(&w);
}

/* ---- Markdown ----------------------------------------------------------- */

/* md_text - s with the characters Markdown would read as markup escaped;
 * an underscore only where it could start or end emphasis (use_srtp and
 * SRTP_NULL_HMAC stay readable), '#' only where it could start a heading. */
static void md_text(FILE *out, const char *s)
{
	size_t i, n = strlen(s);
	for (i = 0; i < n; i++) {
		char ch = s[i];
		if (strchr("\\`*[]<>|", ch) || (ch == '#' && i == 0)) {
			fputc('\\', out);
		} else if (ch == '_') {
			bool before = i > 0 && s[i - 1] != ' ';
			bool after = i + 1 < n && s[i + 1] != ' ';
			if (!before || !after)
				fputc('\\', out);
		}
		fputc(ch, out);
	}
}

/* md_anchor - GitHub's heading anchor for an ID: lower case. */
static void md_anchor(FILE *out, const char *id)
{
	for (; *id; id++)
		fputc(*id >= 'A' && *id <= 'Z' ? *id - 'A' + 'a' : *id, out);
}

static void print_markdown(FILE *out, const bool *want)
{
	int a, amax = area_max();
	size_t i, total = 0, nsev[3] = { 0, 0, 0 };
	for (i = 0; i < check_count(); i++)
		if (want[i]) {
			total++;
			nsev[check_at(i)->sev]++;
		}
	fputs("# srtpaudit checks\n\n"
	      "<!-- Generated by `srtpaudit checks --markdown > docs/checks.md` from\n"
	      "     analyzer/check_catalogue.c: do not edit by hand.  tests/test_checks_doc.sh\n"
	      "     fails when this file and the catalogue disagree. -->\n\n", out);
	fprintf(out,
		"srtpaudit judges every call in a capture against the checks below: %zu in\n"
		"all, %zu errors, %zu warnings and %zu informational.  Each has a stable ID\n"
		"(IDs are never renamed), a severity, the RFC section it enforces, a summary\n"
		"and an explanation.  `srtpaudit checks` prints the same list, `srtpaudit\n"
		"checks --json -` as JSON.\n\n",
		total, nsev[SEV_ERROR], nsev[SEV_WARNING], nsev[SEV_INFO]);
	fputs("Severities follow the requirement levels of the RFCs: **error** for a\n"
	      "MUST that is broken, **warning** for a SHOULD or a known interoperability\n"
	      "risk, **info** for facts worth knowing.  `srtpaudit analyze --fail-on\n"
	      "error|warning|info` chooses from which severity findings fail: exit status\n"
	      "1, and `failure` elements in the JUnit report (`--junit`), where every\n"
	      "check is a test case of each call's test suite; findings below the\n"
	      "threshold appear in the test case's `system-out`, and checks that do not\n"
	      "apply to a call are `skipped`.\n\n", out);
	fputs("| ID | severity | area | RFC | summary |\n"
	      "| --- | --- | --- | --- | --- |\n", out);
	for (a = 0; a <= amax; a++)
		for (i = 0; i < check_count(); i++) {
			const struct check_def *c = check_at(i);
			if (!want[i] || (int)c->area != a)
				continue;
			fprintf(out, "| [%s](#", c->id);
			md_anchor(out, c->id);
			fprintf(out, ") | %s | %s | ", severity_name(c->sev),
				check_area_name(c->area));
			md_text(out, c->rfc);
			fputs(" | ", out);
			md_text(out, c->summary);
			fputs(" |\n", out);
		}
	for (a = 0; a <= amax; a++) {
		bool head = false;
		for (i = 0; i < check_count(); i++) {
			const struct check_def *c = check_at(i);
			if (!want[i] || (int)c->area != a)
				continue;
			if (!head) {
				fprintf(out, "\n## %s\n", check_area_name(c->area));
				head = true;
			}
			fprintf(out, "\n### %s\n\n", c->id);
			fprintf(out, "**%s** · ", severity_name(c->sev));
			md_text(out, c->rfc);
			fputs("\n\n", out);
			md_text(out, c->summary);
			fputs(".\n\n", out);
			md_text(out, c->explain);
			fputc('\n', out);
		}
	}
}

/* ---- front end ---------------------------------------------------------- */

enum { OPT_JSON = 256, OPT_MARKDOWN };

int cmd_checks(int argc, char **argv, const char *prog)
{
	static const struct option longopts[] = {
		{ "json", required_argument, NULL, OPT_JSON },
		{ "markdown", no_argument, NULL, OPT_MARKDOWN },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_ctx c;
	const char *json = NULL;
	bool markdown = false, want[512];
	size_t i;
	int opt, a, rc = EXIT_CLEAN;

	cli_ctx_init(&c, prog, "checks");
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_JSON: json = optarg; break;
		case OPT_MARKDOWN: markdown = true; break;
		case 'h':
			checks_help(stdout, prog);
			return EXIT_CLEAN;
		default:
			return cli_usage_error(&c, "unknown option");
		}
	}
	if (json && markdown)
		return cli_usage_error(&c, "--json and --markdown exclude each other");
	if (check_count() > sizeof want / sizeof want[0])
		return cli_usage_error(&c, "the catalogue has more checks than this command can list");
	for (i = 0; i < check_count(); i++)
		want[i] = optind >= argc;
	for (a = optind; a < argc; a++) {
		const struct check_def *d = check_find(argv[a]);
		if (!d)
			return cli_usage_error(&c, "'%s' is not a check ID (run '%s checks' for the list)",
					       argv[a], prog);
		want[check_index(d)] = true;
	}
	if (markdown) {
		print_markdown(stdout, want);
	} else if (json) {
		FILE *f = cli_open_output(&c, json, false);
		if (!f || !print_json(f, want) | !cli_close_output(&c, json, f))
			rc = EXIT_USAGE;
	} else {
		print_text(stdout, want, isatty(STDOUT_FILENO) && !getenv("NO_COLOR"));
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "%s checks: cannot write to standard output\n", prog);
		rc = EXIT_USAGE;
	}
	return rc;
}
