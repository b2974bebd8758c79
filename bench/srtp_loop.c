/* srtp_loop.c - the bare crypto baseline of the decryption benchmark: load
 * every SRTP packet of a gen_srtp capture into memory, then time only the
 * unprotect loop, with libsrtp (one receiving session per stream, as
 * srtpaudit's libsrtp engine keeps them) or with the fast engine's packet
 * transform (srtp_fast.h, without srtp_stream's index logic).
 * Usage: srtp_loop FILE AES_CM_128_HMAC_SHA1_80|AEAD_AES_128_GCM libsrtp|fast
 * Prints packets, wall and CPU seconds of the loop and packets per second
 * per core (CPU time); exit 1 if a packet fails. */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <srtp2/srtp.h>

#include "srtp_fast.h"

#define MAXS 30000

struct rec {
	uint32_t off, len, stream;
};

int main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	uint8_t key[30], buf[2048], out[2048];
	struct rec *recs = NULL;
	uint8_t *mem = NULL;
	size_t n = 0, cap = 0, used = 0, memcap = 0, i, k, streams = 0, bad = 0;
	bool gcm, fast;
	srtp_t *lib = NULL;
	struct sfast **fs = NULL;
	struct timespec t0, t1, c0, c1;
	double secs, cpu;
	pcap_t *p;
	if (argc != 4)
		return 2;
	gcm = strcmp(argv[2], "AEAD_AES_128_GCM") == 0;
	fast = strcmp(argv[3], "fast") == 0;
	for (k = 0; k < sizeof key; k++)
		key[k] = (uint8_t)(0x11 * (k + 1) ^ 0x5a); /* as gen_srtp */
	p = pcap_open_offline(argv[1], err);
	if (!p) {
		fprintf(stderr, "srtp_loop: %s\n", err);
		return 2;
	}
	while (pcap_next_ex(p, &h, &d) == 1) {
		uint32_t ssrc, s;
		if (h->caplen < 42 + 12)
			continue;
		ssrc = (uint32_t)d[50] << 24 | (uint32_t)d[51] << 16 | (uint32_t)d[52] << 8 | d[53];
		s = ssrc - 0x10000000u;
		if (s >= MAXS)
			continue;
		if (n == cap) {
			void *nr;
			cap = cap ? 2 * cap : 1 << 16;
			nr = realloc(recs, cap * sizeof *recs);
			if (!nr)
				return 1;
			recs = nr;
		}
		if (used + h->caplen > memcap) {
			void *nm;
			memcap = memcap ? 2 * memcap : 1 << 24;
			nm = realloc(mem, memcap);
			if (!nm)
				return 1;
			mem = nm;
		}
		memcpy(mem + used, d + 42, h->caplen - 42);
		recs[n].off = (uint32_t)used;
		recs[n].len = h->caplen - 42;
		recs[n].stream = s;
		used += h->caplen - 42;
		if (s + 1 > streams)
			streams = s + 1;
		n++;
	}
	pcap_close(p);
	if (srtp_init() != srtp_err_status_ok)
		return 1;
	lib = calloc(streams, sizeof *lib);
	fs = calloc(streams, sizeof *fs);
	if (!lib || !fs)
		return 1;
	for (i = 0; i < streams; i++) {
		if (fast) {
			struct sdec_params prm;
			sdec_params_init(&prm);
			prm.suite = gcm ? SDEC_AEAD_AES_128_GCM : SDEC_AES_CM_128_HMAC_SHA1_80;
			memcpy(prm.keys[0].key, key, 16);
			memcpy(prm.keys[0].salt, key + 16, gcm ? 12 : 14);
			if (sfast_new(&prm, SDEC_RTP, &fs[i]) != SA_OK)
				return 1;
		} else {
			srtp_policy_t pol;
			memset(&pol, 0, sizeof pol);
			if (gcm) {
				srtp_crypto_policy_set_aes_gcm_128_16_auth(&pol.rtp);
				srtp_crypto_policy_set_aes_gcm_128_16_auth(&pol.rtcp);
			} else {
				srtp_crypto_policy_set_rtp_default(&pol.rtp);
				srtp_crypto_policy_set_rtcp_default(&pol.rtcp);
			}
			pol.ssrc.type = ssrc_specific;
			pol.ssrc.value = (uint32_t)(0x10000000u + i);
			pol.key = key;
			pol.window_size = 1024;
			if (srtp_create(&lib[i], &pol) != srtp_err_status_ok)
				return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
	for (i = 0; i < n; i++) {
		const uint8_t *pkt = mem + recs[i].off;
		size_t olen = 0;
		if (fast) {
			uint64_t seq = (uint64_t)pkt[2] << 8 | pkt[3];
			bad += sfast_rtp(fs[recs[i].stream], pkt, recs[i].len, seq, out, &olen) != SFAST_OK;
		} else {
			int len = (int)recs[i].len;
			memcpy(buf, pkt, recs[i].len);
			bad += srtp_unprotect(lib[recs[i].stream], buf, &len) != srtp_err_status_ok;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	cpu = (double)(c1.tv_sec - c0.tv_sec) + (double)(c1.tv_nsec - c0.tv_nsec) / 1e9;
	/* CPU time: packets per second per core even on a busy machine. */
	printf("%s %s: %zu packets, %zu streams, %zu failed, %.3f s wall, %.3f s CPU, "
	       "%.0f packets/s per core\n", argv[3], argv[2], n, streams, bad, secs, cpu,
	       (double)n / cpu);
	for (i = 0; i < streams; i++) {
		if (lib[i])
			srtp_dealloc(lib[i]);
		sfast_free(fs[i]);
	}
	free(lib);
	free(fs);
	free(recs);
	free(mem);
	return bad ? 1 : 0;
}
