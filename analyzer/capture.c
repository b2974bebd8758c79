/* capture.c - libpcap-based reader merging several files by timestamp. */
#include "capture.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The stdio buffer of capture_fopen(). */
#define IO_BUF (1u << 20)

struct source {
	pcap_t *pcap;
	char *iobuf; /* the FILE's buffer; freed after pcap_close() */
	struct capture_file_info info;
	const struct pcap_pkthdr *hdr;
	const uint8_t *data;
	bool have;     /* hdr/data hold a frame not yet handed out */
	bool consumed; /* the last handed-out frame came from here */
	bool done;
};

struct capture {
	struct source *src;
	size_t n;
	uint64_t number;
	const struct diag_sink *diag;
};

static uint64_t ts_of(const struct pcap_pkthdr *h)
{
	/* Opened with nanosecond precision: tv_usec holds nanoseconds. */
	return (uint64_t)h->ts.tv_sec * 1000000000ULL + (uint64_t)h->ts.tv_usec;
}

static void source_fail(struct capture *cap, struct source *s, const char *why)
{
	s->done = true;
	s->have = false;
	s->info.read_error = true;
	snprintf(s->info.error, sizeof s->info.error, "%s", why);
	diag_emit(cap->diag, DIAG_ERROR, s->info.name, 0,
		  "reading stopped after frame %llu: %s; the frames before it are analysed, "
		  "the rest of this file is lost (is the file cut short?)",
		  (unsigned long long)s->info.frames, why);
}

/* Read the next frame of s into its look-ahead slot. */
static void source_advance(struct capture *cap, struct source *s)
{
	struct pcap_pkthdr *h;
	const u_char *d;
	int rc;
	s->consumed = false;
	if (s->done)
		return;
	rc = pcap_next_ex(s->pcap, &h, &d);
	if (rc == 1) {
		s->hdr = h;
		s->data = d;
		s->have = true;
		return;
	}
	s->have = false;
	if (rc == PCAP_ERROR_BREAK) {
		s->done = true;
		return;
	}
	source_fail(cap, s, pcap_geterr(s->pcap));
}

static void source_close(struct source *s)
{
	if (s->pcap)
		pcap_close(s->pcap);
	free(s->iobuf);
	free(s->info.name);
}

FILE *capture_fopen(const char *path, const char *mode, char **iobuf, char *err,
		    size_t errcap)
{
	FILE *f = fopen(path, mode);
	*iobuf = NULL;
	if (!f) {
		snprintf(err, errcap, "%s: %s", path, strerror(errno));
		return NULL;
	}
	*iobuf = malloc(IO_BUF);
	if (*iobuf)
		(void)setvbuf(f, *iobuf, _IOFBF, IO_BUF);
	return f;
}

/* open_file - the file through capture_fopen(), then libpcap. */
static pcap_t *open_file(struct source *s, const char *name, char *err)
{
	pcap_t *p;
	FILE *f = capture_fopen(name, "rb", &s->iobuf, err, PCAP_ERRBUF_SIZE);
	if (!f)
		return NULL;
	p = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO, err);
	if (!p)
		fclose(f); /* libpcap closes it only once it accepted it */
	return p;
}

enum sa_status capture_open(const char *const *names, size_t n,
			    const struct diag_sink *diag, struct capture **out)
{
	struct capture *cap;
	size_t i;
	*out = NULL;
	cap = calloc(1, sizeof *cap);
	if (!cap)
		return SA_NOMEM;
	cap->src = calloc(n ? n : 1, sizeof *cap->src);
	if (!cap->src) {
		free(cap);
		return SA_NOMEM;
	}
	cap->diag = diag;
	for (i = 0; i < n; i++) {
		char err[PCAP_ERRBUF_SIZE] = "";
		struct source *s = &cap->src[i];
		bool is_stdin = strcmp(names[i], "-") == 0;
		s->info.name = strdup(is_stdin ? "<stdin>" : names[i]);
		cap->n = i + 1;
		if (!s->info.name)
			goto nomem;
		if (is_stdin)
			s->pcap = pcap_fopen_offline_with_tstamp_precision(
				stdin, PCAP_TSTAMP_PRECISION_NANO, err);
		else
			s->pcap = open_file(s, names[i], err);
		if (!s->pcap) {
			diag_emit(diag, DIAG_ERROR, s->info.name, 0,
				  "cannot read this file as a capture: %s; expected a pcap or "
				  "pcapng file (check the path, or convert it with editcap)",
				  err[0] ? err : "unknown error");
			capture_close(cap);
			return SA_IO;
		}
		s->info.linktype = pcap_datalink(s->pcap);
	}
	for (i = 0; i < n; i++)
		source_advance(cap, &cap->src[i]);
	*out = cap;
	return SA_OK;
nomem:
	capture_close(cap);
	return SA_NOMEM;
}

bool capture_next(struct capture *cap, struct sa_frame *frame)
{
	struct source *best = NULL;
	size_t i;
	if (cap->n == 1) {
		/* One file: no merge. */
		if (cap->src[0].consumed)
			source_advance(cap, &cap->src[0]);
		if (cap->src[0].have)
			best = &cap->src[0];
	} else {
		for (i = 0; i < cap->n; i++) {
			struct source *s = &cap->src[i];
			if (s->consumed)
				source_advance(cap, s);
		}
		for (i = 0; i < cap->n; i++) {
			struct source *s = &cap->src[i];
			/* Ties keep file order: ring-buffer files are given oldest first. */
			if (s->have && (!best || ts_of(s->hdr) < ts_of(best->hdr)))
				best = s;
		}
	}
	if (!best)
		return false;
	best->have = false;
	best->consumed = true;
	best->info.frames++;
	frame->number = ++cap->number;
	frame->file_frame = best->info.frames;
	frame->file_index = (unsigned)(best - cap->src);
	frame->ts_ns = ts_of(best->hdr);
	frame->caplen = best->hdr->caplen;
	frame->len = best->hdr->len;
	frame->linktype = best->info.linktype;
	frame->data = best->data;
	return true;
}

size_t capture_file_count(const struct capture *cap)
{
	return cap->n;
}

const struct capture_file_info *capture_file(const struct capture *cap, size_t i)
{
	return i < cap->n ? &cap->src[i].info : NULL;
}

const char *capture_link_name(int linktype)
{
	return pcap_datalink_val_to_name(linktype);
}

void capture_close(struct capture *cap)
{
	size_t i;
	if (!cap)
		return;
	for (i = 0; i < cap->n; i++)
		source_close(&cap->src[i]);
	free(cap->src);
	free(cap);
}
