/* gen_srtp.c - write a pcap of N SRTP packets (Ethernet/IPv4/UDP, 160-octet
 * G.711-sized payloads) over STREAMS streams, each its own flow and SSRC,
 * protected by libsrtp with one fixed master key, for the decryption
 * benchmark (bench/run_decrypt.sh).  Prints the --srtp-key spec to use.
 * Usage: gen_srtp OUT.pcap SUITE [N] [STREAMS] [sip]
 *        SUITE: AES_CM_128_HMAC_SHA1_80 or AEAD_AES_128_GCM
 *        sip: a SIP OPTIONS request comes first, so that srtpaudit reads
 *        the capture twice as it does any capture with signalling. */
#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <srtp2/srtp.h>

#define PAYLOAD 160

/* eth_ipv4_udp - the Ethernet, IPv4 (TTL 64, no checksum) and UDP (no
 * checksum) headers in f[0..42) for pl octets of payload at f + 42. */
static void eth_ipv4_udp(uint8_t *f, const uint8_t src[4], const uint8_t dst[4],
			 unsigned sport, unsigned dport, size_t pl)
{
	memset(f, 0, 42);
	f[12] = 0x08;                          /* IPv4 */
	f[14] = 0x45;
	f[16] = (uint8_t)((20 + 8 + pl) >> 8); f[17] = (uint8_t)(20 + 8 + pl);
	f[22] = 64; f[23] = 17;                /* UDP */
	memcpy(f + 26, src, 4);
	memcpy(f + 30, dst, 4);
	f[34] = (uint8_t)(sport >> 8); f[35] = (uint8_t)sport;
	f[36] = (uint8_t)(dport >> 8); f[37] = (uint8_t)dport;
	f[38] = (uint8_t)((8 + pl) >> 8); f[39] = (uint8_t)(8 + pl);
}

int main(int argc, char **argv)
{
	unsigned long n = argc > 3 ? strtoul(argv[3], NULL, 10) : 1000000;
	unsigned long streams = argc > 4 ? strtoul(argv[4], NULL, 10) : 1000, i;
	uint8_t key[30], f[14 + 20 + 8 + 12 + PAYLOAD + 32];
	struct pcap_pkthdr h;
	pcap_dumper_t *d;
	pcap_t *dead;
	srtp_t *tx;
	bool gcm;
	size_t k, keylen;
	if (argc < 3 || streams == 0 || streams > 30000 ||
	    (strcmp(argv[2], "AES_CM_128_HMAC_SHA1_80") && strcmp(argv[2], "AEAD_AES_128_GCM"))) {
		fprintf(stderr, "usage: gen_srtp OUT.pcap AES_CM_128_HMAC_SHA1_80|AEAD_AES_128_GCM "
				"[N] [STREAMS<=30000] [sip]\n");
		return 2;
	}
	gcm = strcmp(argv[2], "AEAD_AES_128_GCM") == 0;
	keylen = gcm ? 28 : 30;
	for (k = 0; k < sizeof key; k++)
		key[k] = (uint8_t)(0x11 * (k + 1) ^ 0x5a);
	if (srtp_init() != srtp_err_status_ok)
		return 1;
	/* One sending session per stream: libsrtp walks a list per lookup. */
	tx = calloc(streams, sizeof *tx);
	if (!tx)
		return 1;
	for (i = 0; i < streams; i++) {
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
		pol.window_size = 128;
		if (srtp_create(&tx[i], &pol) != srtp_err_status_ok) {
			fprintf(stderr, "gen_srtp: libsrtp refused stream %lu\n", i);
			return 1;
		}
	}
	dead = pcap_open_dead(DLT_EN10MB, 65535);
	d = pcap_dump_open(dead, argv[1]);
	if (!d) {
		fprintf(stderr, "gen_srtp: %s\n", pcap_geterr(dead));
		return 1;
	}
	memset(&h, 0, sizeof h);
	if (argc > 5 && strcmp(argv[5], "sip") == 0) {
		static const char opt[] = "OPTIONS sip:bench@10.1.0.0 SIP/2.0\r\n"
					  "Via: SIP/2.0/UDP 10.0.0.0:5060;branch=z9hG4bK-bench\r\n"
					  "Max-Forwards: 70\r\nFrom: <sip:gen@10.0.0.0>;tag=1\r\n"
					  "To: <sip:bench@10.1.0.0>\r\nCall-ID: bench-1\r\n"
					  "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
		static const uint8_t from[4] = { 10, 0, 0, 0 }, to[4] = { 10, 1, 0, 0 };
		uint8_t sf[42 + sizeof opt];
		size_t pl = sizeof opt - 1;
		memcpy(sf + 42, opt, pl);
		eth_ipv4_udp(sf, from, to, 5060, 5060, pl);
		h.caplen = h.len = (bpf_u_int32)(42 + pl);
		h.ts.tv_sec = 1700000000 - 1;
		pcap_dump((u_char *)d, &h, sf);
	}
	for (i = 0; i < n; i++) {
		unsigned long s = i % streams, round = i / streams;
		uint16_t seq = (uint16_t)(s * 37 + round);
		uint32_t ts = (uint32_t)(round * 160), ssrc = (uint32_t)(0x10000000u + s);
		unsigned port = 10000 + 2 * (unsigned)s;
		uint8_t *r = f + 42;
		int len = 12 + PAYLOAD;
		size_t j;
		r[0] = 0x80; r[1] = 0;                 /* RTP v2, PCMU */
		r[2] = (uint8_t)(seq >> 8); r[3] = (uint8_t)seq;
		r[4] = (uint8_t)(ts >> 24); r[5] = (uint8_t)(ts >> 16);
		r[6] = (uint8_t)(ts >> 8); r[7] = (uint8_t)ts;
		r[8] = (uint8_t)(ssrc >> 24); r[9] = (uint8_t)(ssrc >> 16);
		r[10] = (uint8_t)(ssrc >> 8); r[11] = (uint8_t)ssrc;
		for (j = 0; j < PAYLOAD; j++)
			r[12 + j] = (uint8_t)(0xff ^ ((i + j) & 0x0f)); /* quiet µ-law */
		if (srtp_protect(tx[s], r, &len) != srtp_err_status_ok) {
			fprintf(stderr, "gen_srtp: protect failed at packet %lu\n", i);
			return 1;
		}
		{
			const uint8_t from[4] = { 10, 0, (uint8_t)(s >> 8), (uint8_t)s };
			const uint8_t to[4] = { 10, 1, (uint8_t)(s >> 8), (uint8_t)s };
			eth_ipv4_udp(f, from, to, port, port + 20000, (size_t)len);
		}
		h.caplen = h.len = (bpf_u_int32)(42 + len);
		h.ts.tv_sec = (time_t)(1700000000 + round / 50);
		h.ts.tv_usec = (suseconds_t)((round % 50) * 20000 + s % 1000);
		pcap_dump((u_char *)d, &h, f);
	}
	pcap_dump_close(d);
	pcap_close(dead);
	printf("%s:0x", argv[2]);
	for (k = 0; k < keylen; k++)
		printf("%02x", key[k]);
	printf("\n");
	for (i = 0; i < streams; i++)
		srtp_dealloc(tx[i]);
	free(tx);
	return 0;
}
