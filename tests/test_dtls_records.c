/* test_dtls_records.c - CUnit suite for dtls.h, part 2: hand-built
 * records for the corner cases (fragments out of order and overlapping, a
 * 16 MB length claim, truncation, a fatal alert, caps), the tables, and
 * real captures from fixtures/real/ read with libpcap.  Part 1 (live
 * OpenSSL handshakes) is tests/test_dtls.c.
 */
#include <CUnit/CUnit.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "cert.h"
#include "demux.h"
#include "dtls.h"

static X509 *self_signed(EVP_PKEY *k, const char *cn)
{
	X509 *x = X509_new();
	X509_NAME *nm = X509_NAME_new();
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
	X509_NAME_add_entry_by_txt(nm, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
	X509_set_subject_name(x, nm);
	X509_set_issuer_name(x, nm);
	X509_gmtime_adj(X509_getm_notBefore(x), -3600);
	X509_gmtime_adj(X509_getm_notAfter(x), 30 * 86400);
	X509_set_pubkey(x, k);
	CU_ASSERT_FATAL(X509_sign(x, k, EVP_sha256()) > 0);
	X509_NAME_free(nm);
	return x;
}

/* ---------- hand-built records ---------- */

static size_t rec(uint8_t *out, uint8_t type, uint16_t epoch, uint64_t seq, const uint8_t *body,
		  size_t n)
{
	out[0] = type;
	out[1] = 0xFE;
	out[2] = 0xFD;
	out[3] = (uint8_t)(epoch >> 8);
	out[4] = (uint8_t)epoch;
	for (int i = 0; i < 6; i++)
		out[5 + i] = (uint8_t)(seq >> (40 - 8 * i));
	out[11] = (uint8_t)(n >> 8);
	out[12] = (uint8_t)n;
	memcpy(out + 13, body, n);
	return 13 + n;
}

static size_t frag(uint8_t *out, uint8_t type, uint32_t total, uint16_t seq, uint32_t off,
		   const uint8_t *data, uint32_t flen)
{
	out[0] = type;
	out[1] = (uint8_t)(total >> 16);
	out[2] = (uint8_t)(total >> 8);
	out[3] = (uint8_t)total;
	out[4] = (uint8_t)(seq >> 8);
	out[5] = (uint8_t)seq;
	out[6] = (uint8_t)(off >> 16);
	out[7] = (uint8_t)(off >> 8);
	out[8] = (uint8_t)off;
	out[9] = (uint8_t)(flen >> 16);
	out[10] = (uint8_t)(flen >> 8);
	out[11] = (uint8_t)flen;
	memcpy(out + 12, data, flen);
	return 12 + flen;
}

/* send_frag - one fragment of msg as its own record and datagram. */
static enum sa_status send_frag(struct dtls_assoc *a, int dir, uint64_t rseq, uint8_t type,
				const uint8_t *msg, uint32_t total, uint16_t mseq, uint32_t off,
				uint32_t flen, uint64_t frame)
{
	uint8_t body[2048], dg[2100];
	size_t bn = frag(body, type, total, mseq, off, msg + off, flen);
	size_t n = rec(dg, 22, 0, rseq, body, bn);
	return dtls_assoc_input(a, dir, dg, n, frame, frame * 10, NULL);
}

static void test_fragments(void)
{
	EVP_PKEY *k = EVP_EC_gen("P-256");
	X509 *x = self_signed(k, "frag");
	uint8_t *der = NULL, msg[1024];
	int dn = i2d_X509(x, &der);
	uint32_t total = (uint32_t)dn + 6;
	struct dtls_assoc *a = dtls_assoc_new(NULL);
	const struct dtls_handshake *h;

	CU_ASSERT_FATAL(dn > 200 && total < sizeof msg);
	/* Certificate: certificate_list<3> { ASN.1Cert<3> } */
	msg[0] = (uint8_t)((dn + 3) >> 16);
	msg[1] = (uint8_t)((dn + 3) >> 8);
	msg[2] = (uint8_t)(dn + 3);
	msg[3] = (uint8_t)(dn >> 16);
	msg[4] = (uint8_t)(dn >> 8);
	msg[5] = (uint8_t)dn;
	memcpy(msg + 6, der, (size_t)dn);

	/* last part first, then the start, then a middle piece overlapping
	 * both; then a re-sent overlapping piece */
	CU_ASSERT_EQUAL(send_frag(a, 1, 1, 11, msg, total, 2, 150, total - 150, 11), SA_OK);
	h = dtls_assoc_summary(a)->current;
	CU_ASSERT_FALSE(h->cert[1].seen);
	CU_ASSERT_EQUAL(send_frag(a, 1, 2, 11, msg, total, 2, 0, 100, 12), SA_OK);
	CU_ASSERT_EQUAL(send_frag(a, 1, 3, 11, msg, total, 2, 60, 60, 13), SA_OK);
	CU_ASSERT_FALSE(h->cert[1].seen); /* bytes 120..149 still missing */
	CU_ASSERT_EQUAL(send_frag(a, 1, 4, 11, msg, total, 2, 90, 80, 14), SA_OK);
	CU_ASSERT_TRUE(h->cert[1].seen);
	CU_ASSERT_EQUAL(h->cert[1].at.frame, 14);
	CU_ASSERT_EQUAL(h->cert[1].at.dir, 1);
	CU_ASSERT_EQUAL(h->cert[1].at.ts_ns, 140);
	CU_ASSERT_EQUAL_FATAL(h->cert[1].n, 1);
	CU_ASSERT_EQUAL(h->cert[1].certs[0].len, (size_t)dn);
	CU_ASSERT_EQUAL(memcmp(h->cert[1].certs[0].der, der, (size_t)dn), 0);
	/* the certificate outlives the packet buffer */
	memset(msg, 0, sizeof msg);
	CU_ASSERT_EQUAL(memcmp(h->cert[1].certs[0].der, der, (size_t)dn), 0);
	/* a piece of the same message again is a retransmission */
	CU_ASSERT_EQUAL(dtls_assoc_summary(a)->hs_retransmissions, 0);
	CU_ASSERT_EQUAL(send_frag(a, 1, 5, 11, msg, total, 2, 0, 50, 15), SA_OK);
	CU_ASSERT_EQUAL(dtls_assoc_summary(a)->hs_retransmissions, 1);
	CU_ASSERT_EQUAL(dtls_assoc_summary(a)->hs_messages, 1);

	/* a fragment that disagrees on the total length */
	CU_ASSERT_EQUAL(send_frag(a, 0, 1, 16, der, 100, 3, 0, 40, 16), SA_OK);
	CU_ASSERT_EQUAL(send_frag(a, 0, 2, 16, der, 101, 3, 40, 40, 17), SA_MALFORMED);
	/* a fragment past its message length is malformed */
	CU_ASSERT_EQUAL(send_frag(a, 0, 3, 16, der, 50, 4, 40, 20, 18), SA_MALFORMED);
	CU_ASSERT(dtls_assoc_summary(a)->malformed_datagrams >= 2);
	dtls_assoc_free(a);

	/* a tight cap on buffered bytes: a second partial message is refused */
	{
		struct dtls_limits lim;
		dtls_limits_default(&lim);
		lim.max_buffered = 600;
		a = dtls_assoc_new(&lim);
		CU_ASSERT_EQUAL(send_frag(a, 1, 1, 11, der, 500, 1, 0, 10, 1), SA_OK);
		CU_ASSERT_EQUAL(send_frag(a, 1, 2, 12, der, 200, 2, 0, 10, 2), SA_NOMEM);
		CU_ASSERT_EQUAL(dtls_assoc_summary(a)->dropped_fragments, 1);
		dtls_assoc_free(a);
	}
	OPENSSL_free(der);
	X509_free(x);
	EVP_PKEY_free(k);
}

struct sink_log {
	unsigned n;
	uint64_t last_frame;
	char last[256];
};

static void sink_emit(void *ctx, enum diag_level level, const char *file, uint64_t frame,
		      const char *msg)
{
	struct sink_log *l = ctx;
	(void)level;
	(void)file;
	l->n++;
	l->last_frame = frame;
	snprintf(l->last, sizeof l->last, "%s", msg);
}

static void test_bad_input(void)
{
	struct dtls_assoc *a = dtls_assoc_new(NULL);
	const struct dtls_summary *s = dtls_assoc_summary(a);
	uint8_t body[64], dg[128];
	size_t n;
	const struct dtls_event *e;

	/* a Certificate claiming 16 MB: rejected, never allocated */
	memset(body, 0xAB, sizeof body);
	n = frag(body, 11, 0xFFFFFF, 1, 0, body + 32, 16);
	n = rec(dg, 22, 0, 1, body, n);
	CU_ASSERT_EQUAL(dtls_assoc_input(a, 1, dg, n, 5, 0, NULL), SA_NOMEM);
	CU_ASSERT_EQUAL(s->dropped_fragments, 1);
	CU_ASSERT_FALSE(s->current->cert[1].seen);

	/* truncated: the record length runs past the datagram */
	CU_ASSERT_EQUAL(dtls_assoc_input(a, 1, dg, n - 1, 6, 0, NULL), SA_MALFORMED);
	CU_ASSERT_EQUAL(dtls_assoc_input(a, 1, dg, 7, 7, 0, NULL), SA_MALFORMED);
	CU_ASSERT_EQUAL(s->malformed_datagrams, 2);
	/* unknown content type (reported to the sink with its frame),
	 * unknown version */
	{
		struct sink_log log = { 0, 0, "" };
		struct diag_sink sink = { sink_emit, &log };
		dg[0] = 27;
		CU_ASSERT_EQUAL(dtls_assoc_input(a, 1, dg, n, 8, 0, &sink), SA_MALFORMED);
		CU_ASSERT_EQUAL(log.n, 1);
		CU_ASSERT_EQUAL(log.last_frame, 8);
		CU_ASSERT_PTR_NOT_NULL(strstr(log.last, "unknown content type"));
	}
	dg[0] = 22;
	dg[2] = 0xFB;
	CU_ASSERT_EQUAL(dtls_assoc_input(a, 1, dg, n, 9, 0, NULL), SA_MALFORMED);
	CU_ASSERT_EQUAL(s->malformed_datagrams, 4);
	e = dtls_assoc_event(a, s->n_events - 1);
	CU_ASSERT_EQUAL(e->kind, DTLS_EV_MALFORMED);
	CU_ASSERT_EQUAL(e->at.frame, 9);

	/* a fatal handshake_failure alert in epoch 0: 15 fe fd ... 02 28,
	 * after a good CCS record in the same datagram */
	{
		static const uint8_t two[] = {
			0x14, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 2, 0, 1, 1,
			0x15, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 3, 0, 2, 0x02, 0x28,
		};
		CU_ASSERT_EQUAL(dtls_assoc_input(a, 0, two, sizeof two, 42, 4200, NULL), SA_OK);
		CU_ASSERT_TRUE(s->first_fatal.seen);
		CU_ASSERT_FALSE(s->first_fatal.encrypted);
		CU_ASSERT_EQUAL(s->first_fatal.level, 2);
		CU_ASSERT_EQUAL(s->first_fatal.desc, 40);
		CU_ASSERT_EQUAL(s->first_fatal.at.frame, 42);
		CU_ASSERT_EQUAL(s->first_fatal.at.dir, 0);
		CU_ASSERT_STRING_EQUAL(dtls_alert_desc_name(s->first_fatal.desc),
				       "handshake_failure");
		CU_ASSERT_TRUE(s->current->ccs[0].seen);
		CU_ASSERT_FALSE(s->close_notify[0].seen);
		e = dtls_assoc_event(a, s->n_events - 1);
		CU_ASSERT_EQUAL(e->kind, DTLS_EV_ALERT);
		CU_ASSERT_EQUAL(e->alert_desc, 40);
		/* the same datagram again: a duplicate, not a second alert */
		CU_ASSERT_EQUAL(dtls_assoc_input(a, 0, two, sizeof two, 43, 4300, NULL), SA_OK);
		CU_ASSERT_EQUAL(s->alerts, 1);
		CU_ASSERT_EQUAL(s->records_duplicate, 2);
	}
	/* an alert of 3 bytes is malformed */
	{
		static const uint8_t bad[] = {
			0x15, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 9, 0, 3, 1, 0, 0,
		};
		CU_ASSERT_EQUAL(dtls_assoc_input(a, 1, bad, sizeof bad, 44, 0, NULL), SA_MALFORMED);
	}
	dtls_assoc_free(a);
	dtls_assoc_free(NULL);
}

static void test_tables(void)
{
	const struct dtls_profile *p = dtls_profile_find(0x0001);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_STRING_EQUAL(p->name, "SRTP_AES128_CM_HMAC_SHA1_80");
	CU_ASSERT_EQUAL(p->key_len, 16);
	CU_ASSERT_EQUAL(p->salt_len, 14);
	p = dtls_profile_find(0x0008);
	CU_ASSERT_STRING_EQUAL(p->name, "SRTP_AEAD_AES_256_GCM");
	CU_ASSERT_EQUAL(p->key_len, 32);
	CU_ASSERT_EQUAL(p->salt_len, 12);
	CU_ASSERT_TRUE(p->aead);
	CU_ASSERT_TRUE(dtls_profile_find(0x0005)->null_cipher);
	CU_ASSERT_PTR_NULL(dtls_profile_find(0x0003));
	CU_ASSERT_STRING_EQUAL(dtls_suite_find(0xC02C)->prf, "SHA-384");
	CU_ASSERT_STRING_EQUAL(dtls_prf_name(DTLS_V12, 0xC02F), "SHA-256");
	CU_ASSERT_FALSE(dtls_suite_find(0x002F)->forward_secret);
	CU_ASSERT_FALSE(dtls_suite_find(0xC00A)->aead);
	CU_ASSERT_PTR_NULL(dtls_suite_find(0x1234));
	CU_ASSERT_STRING_EQUAL(dtls_version_name(0xFEFC), "DTLS 1.3");
	CU_ASSERT_PTR_NULL(dtls_version_name(0x0303));
	CU_ASSERT_STRING_EQUAL(dtls_hs_type_name(11), "Certificate");
	CU_ASSERT_STRING_EQUAL(dtls_group_name(29), "x25519");
}


/* ---------- real captures ---------- */

struct flow {
	uint8_t a[16], b[16];
	uint16_t pa, pb;
	int alen;
	bool dtls;
	struct dtls_assoc *assoc;
};

struct flows {
	struct flow f[16];
	size_t n;
	unsigned stun, ice_checks, dtls_dgrams, not_ok;
};

static void flow_input(struct flows *fl, const uint8_t *src, const uint8_t *dst, int alen,
		       uint16_t sport, uint16_t dport, const uint8_t *p, size_t n,
		       uint64_t frame, uint64_t ts)
{
	struct flow *f = NULL;
	struct demux_info info;
	size_t i;
	int dir = 0;

	for (i = 0; i < fl->n; i++) {
		struct flow *g = &fl->f[i];
		if (g->alen != alen)
			continue;
		if (!memcmp(g->a, src, alen) && g->pa == sport && !memcmp(g->b, dst, alen) &&
		    g->pb == dport) {
			f = g;
			dir = 0;
			break;
		}
		if (!memcmp(g->a, dst, alen) && g->pa == dport && !memcmp(g->b, src, alen) &&
		    g->pb == sport) {
			f = g;
			dir = 1;
			break;
		}
	}
	if (!f) {
		CU_ASSERT_FATAL(fl->n < 16);
		f = &fl->f[fl->n++];
		memset(f, 0, sizeof *f);
		memcpy(f->a, src, alen);
		memcpy(f->b, dst, alen);
		f->pa = sport;
		f->pb = dport;
		f->alen = alen;
	}
	if (demux_classify(p, n, &info) == DEMUX_STUN) {
		fl->stun++;
		fl->ice_checks += info.stun_ice_check;
	}
	if (!f->dtls && demux_looks_like_dtls(p, n)) {
		f->dtls = true;
		f->assoc = dtls_assoc_new(NULL);
	}
	if (f->dtls && info.kind == DEMUX_DTLS) {
		fl->dtls_dgrams++;
		if (dtls_assoc_input(f->assoc, dir, p, n, frame, ts, NULL) != SA_OK)
			fl->not_ok++;
	}
}

/* read_capture - every UDP datagram over Ethernet/IPv4/IPv6 (VLAN tags
 * skipped; IP fragments and non-UDP ignored) into the flow table. */
static int read_capture(const char *name, struct flows *fl)
{
	char path[1024], err[PCAP_ERRBUF_SIZE];
	const char *top = getenv("top_srcdir");
	struct pcap_pkthdr *h;
	const u_char *d;
	pcap_t *pc;
	uint64_t frame = 0;
	int rc;

	memset(fl, 0, sizeof *fl);
	snprintf(path, sizeof path, "%s/fixtures/real/%s", top ? top : ".", name);
	pc = pcap_open_offline(path, err);
	CU_ASSERT_PTR_NOT_NULL(pc);
	if (!pc) {
		fprintf(stderr, "%s: %s\n", path, err);
		return -1;
	}
	CU_ASSERT_EQUAL(pcap_datalink(pc), DLT_EN10MB);
	while ((rc = pcap_next_ex(pc, &h, &d)) == 1) {
		size_t n = h->caplen, off = 14, ip, l4 = 0;
		uint16_t et;
		int alen = 0;
		const uint8_t *src = NULL, *dst = NULL;
		frame++;
		if (n < 14)
			continue;
		et = (uint16_t)(d[12] << 8 | d[13]);
		while ((et == 0x8100 || et == 0x88A8) && n >= off + 4) {
			et = (uint16_t)(d[off + 2] << 8 | d[off + 3]);
			off += 4;
		}
		ip = off;
		if (et == 0x0800 && n >= ip + 20 && d[ip + 9] == 17 &&
		    ((d[ip + 6] & 0x3F) | d[ip + 7]) == 0) {
			l4 = ip + (size_t)(d[ip] & 0x0F) * 4;
			src = d + ip + 12;
			dst = d + ip + 16;
			alen = 4;
		} else if (et == 0x86DD && n >= ip + 40 && d[ip + 6] == 17) {
			l4 = ip + 40;
			src = d + ip + 8;
			dst = d + ip + 24;
			alen = 16;
		} else {
			continue;
		}
		if (n < l4 + 8)
			continue;
		{
			uint16_t sp = (uint16_t)(d[l4] << 8 | d[l4 + 1]);
			uint16_t dp = (uint16_t)(d[l4 + 2] << 8 | d[l4 + 3]);
			size_t ulen = (size_t)(d[l4 + 4] << 8 | d[l4 + 5]);
			if (ulen < 8 || l4 + ulen > n)
				continue;
			flow_input(fl, src, dst, alen, sp, dp, d + l4 + 8, ulen - 8, frame,
				   (uint64_t)h->ts.tv_sec * 1000000000u +
					   (uint64_t)h->ts.tv_usec * 1000u);
		}
	}
	pcap_close(pc);
	return (int)frame;
}

static void flows_free(struct flows *fl)
{
	size_t i;
	for (i = 0; i < fl->n; i++)
		dtls_assoc_free(fl->f[i].assoc);
}

static const struct dtls_summary *flow_by_port(struct flows *fl, uint16_t port)
{
	size_t i;
	for (i = 0; i < fl->n; i++)
		if (fl->f[i].dtls && (fl->f[i].pa == port || fl->f[i].pb == port))
			return dtls_assoc_summary(fl->f[i].assoc);
	return NULL;
}

static void cert_check(const struct dtls_cert *c, enum cert_key_type kt, int bits,
		       const char *subject)
{
	struct cert_info ci;
	CU_ASSERT_EQUAL_FATAL(cert_parse(c->der, c->len, &ci), SA_OK);
	CU_ASSERT_EQUAL(ci.key_type, kt);
	CU_ASSERT_EQUAL(ci.key_bits, bits);
	CU_ASSERT_STRING_EQUAL(ci.subject, subject);
}

static void test_capture_zeek(void)
{
	struct flows fl;
	const struct dtls_summary *s;
	const struct dtls_handshake *h;
	int dirc;

	CU_ASSERT_EQUAL_FATAL(read_capture("zeek_webrtc-stun.pcap", &fl), 14);
	CU_ASSERT_EQUAL(fl.stun, 10);
	CU_ASSERT_EQUAL(fl.ice_checks, 5);
	CU_ASSERT_EQUAL(fl.dtls_dgrams, 4); /* frames 9, 11, 13, 14 */
	CU_ASSERT_EQUAL(fl.not_ok, 0);
	s = flow_by_port(&fl, 43044);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	h = s->current;
	dirc = s->client_dir;
	CU_ASSERT(dirc == 0 || dirc == 1);
	CU_ASSERT_STRING_EQUAL(dtls_version_name(s->version), "DTLS 1.0");
	CU_ASSERT_EQUAL(h->ch.at.frame, 9);
	CU_ASSERT_EQUAL(h->ch.srtp_profiles.n, 1);
	CU_ASSERT_EQUAL(h->ch.srtp_profiles.v[0], 0x0001);
	CU_ASSERT_EQUAL(h->ch.suites.n, 73);
	CU_ASSERT_EQUAL(h->ch.suites.v[0], 0xC014);
	CU_ASSERT_FALSE(h->ch.has_ems);
	CU_ASSERT_EQUAL(h->sh.at.frame, 11);
	CU_ASSERT_EQUAL(h->sh.at.dir, !dirc);
	CU_ASSERT_EQUAL(h->sh.suite, 0xC00A);
	CU_ASSERT_EQUAL(h->sh.srtp_profiles.n, 1);
	CU_ASSERT_EQUAL(h->sh.srtp_profiles.v[0], 0x0001);
	CU_ASSERT_TRUE(h->sh.has_reneg_info);
	CU_ASSERT_FALSE(h->sh.has_ems);
	CU_ASSERT_EQUAL(h->ske.group, 0x0017);
	CU_ASSERT_EQUAL(h->cert_request.at.frame, 11);
	CU_ASSERT_EQUAL(h->cert[!dirc].at.frame, 11);
	CU_ASSERT_EQUAL(h->cert[!dirc].n, 1);
	CU_ASSERT_EQUAL(h->cert[!dirc].certs[0].len, 266);
	CU_ASSERT_EQUAL(h->cert[dirc].at.frame, 13);
	CU_ASSERT_EQUAL(h->cert[dirc].certs[0].len, 585);
	CU_ASSERT_EQUAL(h->ccs[dirc].at.frame, 13);
	CU_ASSERT_EQUAL(h->finished[dirc].at.frame, 13);
	CU_ASSERT_EQUAL(h->ccs[!dirc].at.frame, 14);
	CU_ASSERT_EQUAL(h->finished[!dirc].at.frame, 14);
	CU_ASSERT_TRUE(h->complete);
	CU_ASSERT_EQUAL(h->completed_at.frame, 14);
	CU_ASSERT_EQUAL(s->records[dirc] + s->records[!dirc], 13);
	flows_free(&fl);
}

static void test_capture_cert_fragments(void)
{
	struct flows fl;
	const struct dtls_summary *s;
	const struct dtls_handshake *h;

	CU_ASSERT_EQUAL_FATAL(read_capture("ndpi_dtls_certificate_fragments.pcap", &fl), 26);
	CU_ASSERT_EQUAL(fl.not_ok, 0);
	/* session 1: DTLS 1.0 with HelloVerifyRequest, no use_srtp */
	s = flow_by_port(&fl, 44443);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	h = s->current;
	CU_ASSERT_EQUAL(s->version, DTLS_V10);
	CU_ASSERT_TRUE(h->hvr.seen);
	CU_ASSERT_EQUAL(h->hvr.at.frame, 2);
	CU_ASSERT_EQUAL(h->ch.count, 2);
	CU_ASSERT_EQUAL(h->ch.at.frame, 3);
	CU_ASSERT_EQUAL(h->ch.cookie_len, h->hvr.cookie_len);
	CU_ASSERT(h->hvr.cookie_len > 0);
	CU_ASSERT_EQUAL(memcmp(h->ch.cookie, h->hvr.cookie, h->hvr.cookie_len), 0);
	CU_ASSERT_EQUAL(h->ch.random[0], 0x5c);
	CU_ASSERT_EQUAL(h->ch.random[31], 0xf1);
	CU_ASSERT_EQUAL(h->sh.suite, 0x0035);
	CU_ASSERT_FALSE(h->sh.has_use_srtp);
	CU_ASSERT_EQUAL(h->cert[!s->client_dir].at.frame, 5); /* fragments in 4 and 5 */
	CU_ASSERT(h->cert[!s->client_dir].n >= 1);
	cert_check(&h->cert[!s->client_dir].certs[0], CERT_KEY_RSA, 2048,
		   "CN=*.opera-mini.net,OU=Opera Max,O=Opera Software ASA,L=Oslo,ST=Oslo,C=NO");
	CU_ASSERT_TRUE(h->new_session_ticket.seen);
	CU_ASSERT_TRUE(h->complete);
	CU_ASSERT_EQUAL(h->completed_at.frame, 7);
	CU_ASSERT(s->app_data_records[0] + s->app_data_records[1] == 13);

	/* session 2: DTLS 1.2, ClientHello retransmitted, Certificate in 8
	 * fragments over frames 23-24, use_srtp 0x0001, client certificate */
	s = flow_by_port(&fl, 50001);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	h = s->current;
	CU_ASSERT_STRING_EQUAL(dtls_version_name(s->version), "DTLS 1.2");
	CU_ASSERT_EQUAL(h->first_client_hello.frame, 21);
	CU_ASSERT_EQUAL(h->ch.at.frame, 21);
	CU_ASSERT_EQUAL(h->ch.count, 1);
	CU_ASSERT(s->hs_retransmissions >= 1);
	CU_ASSERT_EQUAL(s->n_handshakes, 1);
	CU_ASSERT_TRUE(h->ch.has_ems);
	CU_ASSERT_EQUAL(h->sh.at.frame, 23);
	CU_ASSERT_EQUAL(h->sh.suite, 0xC02F);
	CU_ASSERT_EQUAL(h->sh.srtp_profiles.n, 1);
	CU_ASSERT_EQUAL(h->sh.srtp_profiles.v[0], 0x0001);
	CU_ASSERT_EQUAL(h->cert[!s->client_dir].at.frame, 24);
	CU_ASSERT_EQUAL(h->cert[!s->client_dir].n, 1);
	CU_ASSERT_EQUAL(h->cert[!s->client_dir].certs[0].len, 1706);
	cert_check(&h->cert[!s->client_dir].certs[0], CERT_KEY_RSA, 2048, "CN=*.discord.gg");
	CU_ASSERT_EQUAL(h->ske.at.frame, 24);
	CU_ASSERT_EQUAL(h->ske.group, 0x0017);
	CU_ASSERT_EQUAL(h->cert[s->client_dir].at.frame, 25);
	cert_check(&h->cert[s->client_dir].certs[0], CERT_KEY_EC, 256, "CN=WebRTC");
	CU_ASSERT_EQUAL(h->finished[s->client_dir].at.frame, 25);
	CU_ASSERT_TRUE(h->new_session_ticket.seen);
	CU_ASSERT_EQUAL(h->new_session_ticket.at.frame, 26);
	CU_ASSERT_TRUE(h->complete);
	CU_ASSERT_EQUAL(h->completed_at.frame, 26);
	flows_free(&fl);
}

static void test_capture_zoom(void)
{
	struct flows fl;
	const struct dtls_summary *s;
	const struct dtls_handshake *h;
	static const uint16_t offered[] = { 0x0007, 0x0008, 0x0001, 0x0002 };

	CU_ASSERT_FATAL(read_capture("ndpi_stun_zoom.pcapng", &fl) == 70);
	CU_ASSERT_EQUAL(fl.not_ok, 0);
	s = flow_by_port(&fl, 48854);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	h = s->current;
	CU_ASSERT_TRUE(h->ch.has_use_srtp);
	CU_ASSERT_EQUAL_FATAL(h->ch.srtp_profiles.n, 4);
	CU_ASSERT_EQUAL(memcmp(h->ch.srtp_profiles.v, offered, sizeof offered), 0);
	CU_ASSERT_EQUAL(h->sh.at.frame, 15);
	CU_ASSERT_TRUE(h->sh.seen);
	CU_ASSERT_FALSE(h->sh.has_use_srtp); /* the negative case */
	CU_ASSERT_EQUAL(h->sh.suite, 0xCCA8);
	CU_ASSERT_STRING_EQUAL(dtls_version_name(s->version), "DTLS 1.2");
	CU_ASSERT(s->hs_retransmissions >= 2); /* ClientHello in 5, 9, 13 */
	s = flow_by_port(&fl, 53065);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(s->current->sh.at.frame, 43);
	CU_ASSERT_FALSE(s->current->sh.has_use_srtp);
	flows_free(&fl);
}

static void test_capture_meet(void)
{
	struct flows fl;
	const struct dtls_summary *s;
	const struct dtls_handshake *h;

	CU_ASSERT_FATAL(read_capture("ndpi_stun_google_meet.pcapng", &fl) == 362);
	CU_ASSERT_EQUAL(fl.not_ok, 0);
	s = flow_by_port(&fl, 38152); /* IPv4 */
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	h = s->current;
	CU_ASSERT_EQUAL(h->ch.at.frame, 9);
	CU_ASSERT_EQUAL(h->ch.random[0], 0x53);
	CU_ASSERT_EQUAL(h->ch.random[31], 0xc7);
	CU_ASSERT_EQUAL(h->sh.at.frame, 12);
	CU_ASSERT_EQUAL(h->sh.srtp_profiles.n, 1);
	CU_ASSERT_EQUAL(h->sh.srtp_profiles.v[0], 0x0008);
	CU_ASSERT_STRING_EQUAL(dtls_profile_find(h->sh.srtp_profiles.v[0])->name,
			       "SRTP_AEAD_AES_256_GCM");
	CU_ASSERT_EQUAL(h->sh.suite, 0xC02F);
	CU_ASSERT_TRUE(h->sh.has_ems);
	CU_ASSERT_TRUE(h->complete);
	CU_ASSERT_EQUAL(h->completed_at.frame, 14);
	s = flow_by_port(&fl, 45572); /* IPv6 */
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	h = s->current;
	CU_ASSERT_EQUAL(h->sh.at.frame, 220);
	CU_ASSERT_EQUAL(h->sh.srtp_profiles.v[0], 0x0008);
	CU_ASSERT_EQUAL(h->sh.random[0], 0x65);
	CU_ASSERT_TRUE(h->complete);
	CU_ASSERT_EQUAL(h->completed_at.frame, 223);
	flows_free(&fl);
}

static void test_capture_dtls13(void)
{
	struct flows fl;
	const struct dtls_summary *s;
	const struct dtls_handshake *h;

	CU_ASSERT_FATAL(read_capture("ndpi_dtls.pcap", &fl) > 0);
	s = flow_by_port(&fl, 11111);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	h = s->current;
	CU_ASSERT_TRUE(s->dtls13_seen);
	CU_ASSERT_STRING_EQUAL(dtls_version_name(s->version), "DTLS 1.3");
	CU_ASSERT_TRUE(h->dtls13);
	CU_ASSERT_TRUE(h->ch.has_supported_versions);
	CU_ASSERT_EQUAL(h->sh.versions.v[0], DTLS_V13);
	/* HelloRetryRequest (frame 8) then the ServerHello (frame 10) */
	CU_ASSERT_EQUAL(h->ch.count, 2);
	CU_ASSERT_EQUAL(h->sh.count, 2);
	CU_ASSERT_EQUAL(h->sh.at.frame, 10);
	CU_ASSERT_EQUAL(s->n_handshakes, 1);
	CU_ASSERT(s->records_encrypted[0] + s->records_encrypted[1] >= 14);
	CU_ASSERT_FALSE(h->complete); /* Finished is not visible in 1.3 */
	CU_ASSERT_EQUAL(s->malformed_datagrams, 0);
	flows_free(&fl);
}

static const CU_TestInfo tests[] = {
	{ "fragments", test_fragments },
	{ "bad_input", test_bad_input },
	{ "tables", test_tables },
	{ "capture_zeek", test_capture_zeek },
	{ "capture_cert_fragments", test_capture_cert_fragments },
	{ "capture_zoom", test_capture_zoom },
	{ "capture_meet", test_capture_meet },
	{ "capture_dtls13", test_capture_dtls13 },
	CU_TEST_INFO_NULL,
};

#define SUITE_NAME "dtls-records"
#include "cu_main.h"
