/* report_text.c - terminal summary; see report.h. */
#include "report.h"

#include <inttypes.h>
#include <string.h>

/* At most this many malformed frames are listed on the terminal. */
#define TEXT_MAX_MALFORMED 20

void report_text_escape(FILE *out, const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f || c >= 0x80)
			fprintf(out, "\\x%02x", c);
		else
			fputc(c, out);
	}
}

void report_text_write(const struct result *r, const struct report_opts *o,
		       FILE *out)
{
	const struct packet_counts *p = &r->packets;
	const char *bold = o->color ? "\033[1m" : "";
	const char *red = o->color ? "\033[1;31m" : "";
	const char *reset = o->color ? "\033[0m" : "";
	size_t i;
	int c;
	for (i = 0; i < r->nfiles; i++) {
		const struct file_summary *f = &r->files[i];
		fputs("capture ", out);
		report_text_escape(out, f->name, strlen(f->name));
		fprintf(out, ": %" PRIu64 " frames, link type %s%s\n", f->frames,
			f->link_name ? f->link_name : "unknown",
			f->read_error ? " (file cut short: see the error above)" : "");
	}
	fprintf(out, "%spackets%s: %" PRIu64 " total", bold, reset, p->total);
	for (c = 0; c < PKT_NCAT; c++)
		fprintf(out, ", %" PRIu64 " %s", p->cat[c], pkt_cat_name((enum pkt_cat)c));
	fputc('\n', out);
	if (p->truncated || p->ip_fragments || p->tcp_segments)
		fprintf(out, "  %" PRIu64 " truncated by the snap length, %" PRIu64
			" IP fragments (%" PRIu64 " datagrams rebuilt), %" PRIu64
			" TCP segments (%" PRIu64 " gaps)\n",
			p->truncated, p->ip_fragments, p->reassembled,
			p->tcp_segments, p->tcp_gaps);
	for (i = 0; i < r->nmalformed && i < TEXT_MAX_MALFORMED; i++)
		fprintf(out, "frame %" PRIu64 ": %smalformed%s: %s\n",
			r->malformed[i].frame, red, reset, r->malformed[i].reason);
	if (p->cat[PKT_MALFORMED] > TEXT_MAX_MALFORMED)
		fprintf(out, "... and %" PRIu64 " more malformed frames (--json lists them)\n",
			p->cat[PKT_MALFORMED] - TEXT_MAX_MALFORMED);
}
