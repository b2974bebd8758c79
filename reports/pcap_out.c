/* pcap_out.c - see pcap_out.h. */
#include "pcap_out.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"

struct pcap_out {
	pcap_t *dead;
	pcap_dumper_t *d;
	char *iobuf; /* the FILE's buffer; freed after pcap_dump_close() */
};

struct pcap_out *pcap_out_open(const char *path, int linktype, char *err, size_t cap)
{
	struct pcap_out *w = calloc(1, sizeof *w);
	if (!w) {
		snprintf(err, cap, "out of memory");
		return NULL;
	}
	w->dead = pcap_open_dead_with_tstamp_precision(linktype, 262144,
						       PCAP_TSTAMP_PRECISION_NANO);
	if (!w->dead) {
		snprintf(err, cap, "libpcap cannot write link type %d", linktype);
		free(w);
		return NULL;
	}
	if (strcmp(path, "-") == 0) {
		w->d = pcap_dump_open(w->dead, path);
	} else {
		/* A large stdio buffer: one write(2) per MiB rather than per page. */
		FILE *f = capture_fopen(path, "wb", &w->iobuf, err, cap);
		if (!f) {
			pcap_close(w->dead);
			free(w);
			return NULL;
		}
		w->d = pcap_dump_fopen(w->dead, f);
		if (!w->d)
			fclose(f);
	}
	if (!w->d) {
		snprintf(err, cap, "%s", pcap_geterr(w->dead));
		pcap_close(w->dead);
		free(w->iobuf);
		free(w);
		return NULL;
	}
	return w;
}

void pcap_out_write(struct pcap_out *w, uint64_t ts_ns, const uint8_t *data,
		    uint32_t caplen, uint32_t len)
{
	struct pcap_pkthdr h;
	memset(&h, 0, sizeof h);
	h.ts.tv_sec = (time_t)(ts_ns / 1000000000ULL);
	/* Opened with nanosecond precision: tv_usec carries nanoseconds. */
	h.ts.tv_usec = (suseconds_t)(ts_ns % 1000000000ULL);
	h.caplen = caplen;
	h.len = len;
	pcap_dump((u_char *)w->d, &h, data);
}

bool pcap_out_close(struct pcap_out *w)
{
	bool ok;
	if (!w)
		return false;
	ok = pcap_dump_flush(w->d) == 0;
	ok = !ferror(pcap_dump_file(w->d)) && ok;
	pcap_dump_close(w->d);
	pcap_close(w->dead);
	free(w->iobuf);
	free(w);
	return ok;
}
