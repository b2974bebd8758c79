/* pcap_loop.c - the baseline: a bare libpcap read loop that touches each
 * packet's first byte.  Usage: pcap_loop FILE */
#include <pcap/pcap.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	unsigned long n = 0, sum = 0;
	pcap_t *p;
	if (argc != 2)
		return 2;
	p = pcap_open_offline_with_tstamp_precision(argv[1], PCAP_TSTAMP_PRECISION_NANO, err);
	if (!p) {
		fprintf(stderr, "pcap_loop: %s\n", err);
		return 2;
	}
	while (pcap_next_ex(p, &h, &d) == 1) {
		n++;
		sum += h->caplen ? d[0] : 0;
	}
	pcap_close(p);
	printf("%lu packets (%lu)\n", n, sum);
	return 0;
}
