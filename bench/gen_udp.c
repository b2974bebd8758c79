/* gen_udp.c - write a pcap of N Ethernet/IPv4/UDP packets carrying
 * RTP-shaped payloads over many flows, for the reader benchmark.
 * Usage: gen_udp OUT.pcap [N] [FLOWS] */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	unsigned long n = argc > 2 ? strtoul(argv[2], NULL, 10) : 1000000;
	unsigned long flows = argc > 3 ? strtoul(argv[3], NULL, 10) : 1000;
	uint8_t f[14 + 20 + 8 + 172];
	struct pcap_pkthdr h;
	pcap_t *dead;
	pcap_dumper_t *d;
	unsigned long i;
	if (argc < 2 || flows == 0 || flows > 60000) {
		fprintf(stderr, "usage: gen_udp OUT.pcap [N] [FLOWS<=60000]\n");
		return 2;
	}
	dead = pcap_open_dead(DLT_EN10MB, 65535);
	d = pcap_dump_open(dead, argv[1]);
	if (!d) {
		fprintf(stderr, "gen_udp: %s\n", pcap_geterr(dead));
		return 1;
	}
	memset(f, 0, sizeof f);
	f[12] = 0x08;                      /* IPv4 */
	f[14] = 0x45;
	f[16] = 0; f[17] = 20 + 8 + 172;
	f[22] = 64; f[23] = 17;            /* UDP */
	f[26] = 10; f[27] = 0; f[30] = 10; f[31] = 1;
	f[38] = 0; f[39] = 8 + 172;
	f[42] = 0x80; f[43] = 0;           /* RTP v2, PCMU */
	memset(&h, 0, sizeof h);
	h.caplen = h.len = sizeof f;
	for (i = 0; i < n; i++) {
		unsigned long flow = i % flows, seq = i / flows;
		unsigned port = 10000 + 2 * (unsigned)flow;
		f[28] = (uint8_t)(flow >> 8); f[29] = (uint8_t)flow;
		f[34] = (uint8_t)(port >> 8); f[35] = (uint8_t)port;
		f[36] = (uint8_t)((port + 20000) >> 8); f[37] = (uint8_t)(port + 20000);
		f[44] = (uint8_t)(seq >> 8); f[45] = (uint8_t)seq;
		f[50] = (uint8_t)(flow >> 8); f[51] = (uint8_t)flow; /* SSRC */
		h.ts.tv_sec = (time_t)(1700000000 + i / 50000);
		h.ts.tv_usec = (suseconds_t)((i % 50000) * 20);
		pcap_dump((u_char *)d, &h, f);
	}
	pcap_dump_close(d);
	pcap_close(dead);
	return 0;
}
