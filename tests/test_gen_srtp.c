/* test_gen_srtp.c - CUnit suite: the media of generated scenarios,
 * checked with libsrtp keyed only from each scenario's truth file.
 *
 * Reads GEN_DIR/NAME.{pcap,json} (GEN_DIR defaults to the committed
 * $top_srcdir/fixtures/gen), strips the link, IP and UDP headers itself,
 * authenticates and decrypts every SRTP/SRTCP packet with the keys the
 * truth file gives for its SSRC, and compares the decrypted G.711 audio
 * with the known tone, decoded here independently of the generator.
 */
#include <CUnit/CUnit.h>
#include <math.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rtp_media.h"
#include "srtp_peer.h"
#include "testutil.h"

#define MAX_STREAMS 12

struct tstream {
	char kind[8];
	uint32_t ssrc;
	int dir;
	bool protect;
	const struct srtp_peer_suite_info *suite;
	uint8_t keysalt[SRTP_PEER_MAX_KEYSALT];
	size_t ks_len;
	unsigned mki_len;
	uint32_t mki_value;
	uint32_t first_ts, packets;
	int codec;
	struct srtp_peer *rx;
	uint32_t seen, ok, auth_fail, audio_ok, audio_bad;
	bool wrapped;
	uint16_t first_seq;
};

struct truth {
	char *text;
	struct tstream s[MAX_STREAMS];
	unsigned n;
	unsigned duplicates;
};

static char *slurp(const char *path)
{
	return (char *)tu_slurp(path, NULL);
}

/* Value of "key": in [p, end) as text (quotes stripped) into out. */
static bool jget(const char *p, const char *end, const char *key, char *out,
		 size_t cap)
{
	char pat[64];
	const char *k, *v;
	size_t n = 0;
	snprintf(pat, sizeof pat, "\"%s\": ", key);
	k = strstr(p, pat);
	if (!k || k >= end)
		return false;
	v = k + strlen(pat);
	if (*v == '"') {
		v++;
		while (v[n] && v[n] != '"' && n + 1 < cap)
			n++;
	} else {
		while (v[n] && v[n] != ',' && v[n] != '\n' && n + 1 < cap)
			n++;
	}
	memcpy(out, v, n);
	out[n] = '\0';
	return true;
}

static size_t unhex(const char *h, uint8_t *out, size_t cap)
{
	size_t n = 0;
	static const char hx[] = "0123456789abcdef";
	while (h[0] && h[1] && n < cap) {
		const char *a = strchr(hx, h[0]), *b = strchr(hx, h[1]);
		if (!a || !b || !h[0] || !h[1])
			break;
		out[n++] = (uint8_t)((a - hx) << 4 | (b - hx));
		h += 2;
	}
	return n;
}

static bool truth_load(struct truth *t, const char *dir, const char *name)
{
	char path[2048], v[256];
	const char *p, *end;
	memset(t, 0, sizeof *t);
	snprintf(path, sizeof path, "%s/%s.json", dir, name);
	t->text = slurp(path);
	if (!t->text)
		return false;
	p = strstr(t->text, "\"streams\": [");
	if (!p)
		return false;
	end = strstr(p, "\"events\"");
	while ((p = strchr(p + 1, '{')) && p < end && t->n < MAX_STREAMS) {
		const char *q = strchr(p, '}');
		struct tstream *s = &t->s[t->n++];
		jget(p, q, "kind", s->kind, sizeof s->kind);
		jget(p, q, "ssrc", v, sizeof v);
		s->ssrc = (uint32_t)strtoul(v, NULL, 16);
		jget(p, q, "direction", v, sizeof v);
		s->dir = strncmp(v, "callee", 6) == 0;
		jget(p, q, "protected", v, sizeof v);
		s->protect = !strcmp(v, "true");
		jget(p, q, "packets", v, sizeof v);
		s->packets = (uint32_t)strtoul(v, NULL, 10);
		if (jget(p, q, "first_ts", v, sizeof v))
			s->first_ts = (uint32_t)strtoul(v, NULL, 10);
		if (jget(p, q, "first_seq", v, sizeof v))
			s->first_seq = (uint16_t)strtoul(v, NULL, 10);
		if (jget(p, q, "codec", v, sizeof v))
			s->codec = !strcmp(v, "PCMA") ? 8 : 0;
		if (s->protect) {
			jget(p, q, "suite", v, sizeof v);
			s->suite = srtp_peer_suite_by_sdes_name(v);
			if (!s->suite)
				return false;
			jget(p, q, "master_key", v, sizeof v);
			s->ks_len = unhex(v, s->keysalt, sizeof s->keysalt);
			jget(p, q, "master_salt", v, sizeof v);
			s->ks_len += unhex(v, s->keysalt + s->ks_len,
					   sizeof s->keysalt - s->ks_len);
			jget(p, q, "mki_length", v, sizeof v);
			s->mki_len = (unsigned)strtoul(v, NULL, 10);
			jget(p, q, "mki_value", v, sizeof v);
			s->mki_value = (uint32_t)strtoul(v, NULL, 10);
		}
		p = q;
	}
	p = strstr(t->text, "\"duplicate_frames\": [");
	if (p) {
		const char *e = strchr(p, ']');
		for (const char *c = p + 21; c < e; c++)
			if (*c >= '0' && *c <= '9' &&
			    !(c[-1] >= '0' && c[-1] <= '9'))
				t->duplicates++;
	}
	return true;
}

static void truth_free(struct truth *t)
{
	for (unsigned i = 0; i < t->n; i++)
		srtp_peer_free(t->s[i].rx);
	free(t->text);
}

/* Independent G.711 decoders (ITU-T G.711 tables in closed form). */
static int ulaw_dec(uint8_t u)
{
	int t;
	u = (uint8_t)~u;
	t = ((u & 0x0f) << 3) + 0x84;
	t <<= (u & 0x70) >> 4;
	return (u & 0x80) ? 0x84 - t : t - 0x84;
}

static int alaw_dec(uint8_t a)
{
	int t, seg;
	a ^= 0x55;
	t = (a & 0x0f) << 4;
	seg = (a & 0x70) >> 4;
	if (seg == 0)
		t += 8;
	else if (seg == 1)
		t += 0x108;
	else
		t = (t + 0x108) << (seg - 1);
	return (a & 0x80) ? t : -t;
}

static bool audio_matches(const struct tstream *s, const uint8_t *pl,
			  size_t n, uint32_t ts)
{
	static const double pi = 3.14159265358979323846;
	double f = s->dir ? 440.0 : 1000.0;
	uint32_t k0 = ts - s->first_ts;
	uint8_t want[RTP_MEDIA_SAMPLES];
	if (n != RTP_MEDIA_SAMPLES)
		return false;
	/* exactly the generator's bytes ... */
	rtp_media_fill((enum rtp_codec)s->codec, s->dir, k0, want, n);
	if (memcmp(want, pl, n) != 0)
		return false;
	/* ... and, independently, a tone of the right frequency */
	for (size_t i = 0; i < n; i++) {
		double x = 8000.0 * sin(2.0 * pi * f *
					(double)((k0 + (uint32_t)i) % 8000u) /
					8000.0);
		int y = s->codec == 8 ? alaw_dec(pl[i]) : ulaw_dec(pl[i]);
		if (fabs(x - y) > 300.0)
			return false;
	}
	return true;
}

static struct tstream *find_stream(struct truth *t, bool rtcp, uint32_t ssrc)
{
	for (unsigned i = 0; i < t->n; i++)
		if (t->s[i].ssrc == ssrc &&
		    !strcmp(t->s[i].kind, rtcp ? "rtcp" : "rtp"))
			return &t->s[i];
	return NULL;
}

/* UDP payload of a frame; NULL when not UDP. */
static const uint8_t *udp_payload(int dlt, const uint8_t *d, size_t n,
				  size_t *len)
{
	size_t o = dlt == DLT_LINUX_SLL ? 16 : 14, ih;
	uint16_t et;
	uint8_t proto;
	if (n < o)
		return NULL;
	et = (uint16_t)(d[o - 2] << 8 | d[o - 1]);
	if (et == 0x0800 && n >= o + 20) {
		ih = (size_t)(d[o] & 15) * 4;
		proto = d[o + 9];
	} else if (et == 0x86dd && n >= o + 40) {
		ih = 40;
		proto = d[o + 6];
	} else {
		return NULL;
	}
	if (proto != 17 || n < o + ih + 8)
		return NULL;
	o += ih;
	*len = (size_t)(d[o + 4] << 8 | d[o + 5]) - 8;
	if (o + 8 + *len > n)
		return NULL;
	return d + o + 8;
}

/* Decrypt every RTP/RTCP packet of a scenario; returns false when the
 * files are missing. */
static bool run_scenario_swap(const char *name, struct truth *t, int sa,
			      int sb)
{
	const char *dir = getenv("GEN_DIR");
	char path[2048], ebuf[PCAP_ERRBUF_SIZE], def[1024];
	pcap_t *pc;
	struct pcap_pkthdr *h;
	const u_char *d;
	int dlt;
	if (!dir) {
		const char *top = getenv("top_srcdir");
		snprintf(def, sizeof def, "%s/fixtures/gen", top ? top : ".");
		dir = def;
	}
	if (!truth_load(t, dir, name))
		return false;
	if (sa >= 0 && sb >= 0 && (unsigned)sa < t->n && (unsigned)sb < t->n) {
		/* decrypt with another stream's keys (a negative test) */
		uint8_t tmp[SRTP_PEER_MAX_KEYSALT];
		memcpy(tmp, t->s[sa].keysalt, sizeof tmp);
		memcpy(t->s[sa].keysalt, t->s[sb].keysalt, sizeof tmp);
		memcpy(t->s[sb].keysalt, tmp, sizeof tmp);
	}
	snprintf(path, sizeof path, "%s/%s.pcap", dir, name);
	pc = pcap_open_offline(path, ebuf);
	if (!pc)
		return false;
	dlt = pcap_datalink(pc);
	for (unsigned i = 0; i < t->n; i++) {
		struct tstream *s = &t->s[i];
		uint8_t mki[4];
		for (unsigned k = 0; k < s->mki_len; k++)
			mki[k] = (uint8_t)(s->mki_value >>
					   (8 * (s->mki_len - 1 - k)));
		if (s->protect)
			s->rx = srtp_peer_new(s->suite->suite, false,
					      s->keysalt, s->ks_len, mki,
					      s->mki_len);
	}
	while (pcap_next_ex(pc, &h, &d) == 1) {
		size_t n = 0;
		const uint8_t *p = udp_payload(dlt, d, h->caplen, &n);
		uint8_t buf[2048];
		bool rtcp;
		uint32_t ssrc;
		struct tstream *s;
		if (!p || n < 12 || n > sizeof buf || p[0] < 128 || p[0] > 191)
			continue;
		rtcp = p[1] >= 192 && p[1] <= 223; /* RFC 5761 §4 */
		ssrc = rtcp ? (uint32_t)p[4] << 24 | (uint32_t)p[5] << 16 |
				      (uint32_t)p[6] << 8 | p[7]
			    : (uint32_t)p[8] << 24 | (uint32_t)p[9] << 16 |
				      (uint32_t)p[10] << 8 | p[11];
		s = find_stream(t, rtcp, ssrc);
		if (!s)
			continue;
		s->seen++;
		memcpy(buf, p, n);
		if (s->protect) {
			enum sa_status st =
				rtcp ? srtp_peer_unprotect_rtcp(s->rx, buf, &n)
				     : srtp_peer_unprotect_rtp(s->rx, buf, &n);
			if (st != SA_OK) {
				s->auth_fail++;
				continue;
			}
		}
		s->ok++;
		if (rtcp)
			continue;
		{
			struct rtp_media_hdr rh;
			size_t hl;
			if (rtp_media_parse(buf, n, &rh, &hl) != SA_OK)
				continue;
			if (rh.seq < s->first_seq)
				s->wrapped = true;
			if (audio_matches(s, buf + hl, n - hl, rh.ts))
				s->audio_ok++;
			else
				s->audio_bad++;
		}
	}
	pcap_close(pc);
	return true;
}

static bool run_scenario(const char *name, struct truth *t)
{
	return run_scenario_swap(name, t, -1, -1);
}

static void check_all_good(const char *name)
{
	struct truth t;
	bool ok = run_scenario(name, &t);
	CU_ASSERT_TRUE_FATAL(ok);
	CU_ASSERT_TRUE(t.n >= 2);
	for (unsigned i = 0; i < t.n; i++) {
		struct tstream *s = &t.s[i];
		if (s->packets != s->seen || s->auth_fail || s->ok != s->seen ||
		    s->audio_bad)
			fprintf(stderr, "\n%s: stream %u (%s 0x%08x): "
					"truth %u seen %u ok %u fail %u bad "
					"audio %u\n",
				name, i, s->kind, s->ssrc, s->packets, s->seen,
				s->ok, s->auth_fail, s->audio_bad);
		CU_ASSERT_TRUE(s->packets > 0);
		CU_ASSERT_EQUAL(s->seen, s->packets);
		CU_ASSERT_EQUAL(s->ok, s->seen);
		CU_ASSERT_EQUAL(s->auth_fail, 0);
		if (!strcmp(s->kind, "rtp")) {
			CU_ASSERT_EQUAL(s->audio_ok, s->seen);
			CU_ASSERT_EQUAL(s->audio_bad, 0);
		}
	}
	truth_free(&t);
}

static const char *const good[] = {
	"sdes-basic", "sdes-aes256", "sdes-gcm", "sdes-mki-lifetime", "sdes-32",
	"legacy-avp-sdes", "legacy-avp-none", "dtls-active", "dtls-passive",
	"dtls-nomux", "dtls-rsa-dtls10", "dtls-gcm", "dtls-cookie-frag",
	"dtls-lost-flight", "dual-dtls", "dual-sdes", "dtls-tcp-ipv6-sll",
	"dtls-late-offer", "dtls-early-media", "sdes-reinvite",
	"f-answer-actpass", "f-passive-sends-ch", "f-expired-cert",
	"f-ssrc-change", "f-srtp-before-handshake", "f-sh-no-use-srtp",
	"f-profile-not-offered", "f-rtcp-port-plus1", "f-mux-not-offered",
	"f-wrong-fingerprint", "f-sdes-key-length", "f-mid-call",
	"f-plain-rtp",
};

static void test_good_calls_decrypt(void)
{
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		check_all_good(good[i]);
}

static void test_seq_wrap(void)
{
	struct truth t;
	CU_ASSERT_TRUE_FATAL(run_scenario("f-seq-wrap", &t));
	CU_ASSERT_EQUAL(t.s[0].first_seq, 65521);
	CU_ASSERT_TRUE(t.s[0].wrapped); /* ROC 1 packets authenticated */
	CU_ASSERT_EQUAL(t.s[0].ok, t.s[0].packets);
	CU_ASSERT_EQUAL(t.s[0].audio_ok, t.s[0].packets);
	truth_free(&t);
}

static void test_duplicates_rejected(void)
{
	struct truth t;
	uint32_t fails = 0, ok = 0;
	CU_ASSERT_TRUE_FATAL(run_scenario("f-dup-reorder", &t));
	CU_ASSERT_EQUAL(t.duplicates, 5);
	for (unsigned i = 0; i < t.n; i++) {
		fails += t.s[i].auth_fail;
		ok += t.s[i].ok;
		CU_ASSERT_EQUAL(t.s[i].audio_bad, 0);
	}
	/* libsrtp's replay list refuses exactly the duplicates; the
	 * reordered packets are inside the window and pass. */
	CU_ASSERT_EQUAL(fails, t.duplicates);
	CU_ASSERT_EQUAL(ok, 50 + 50 + 4);
	truth_free(&t);
}

static void test_failed_handshakes_no_media(void)
{
	static const char *const n[] = { "f-both-clients", "f-fatal-alert" };
	for (size_t i = 0; i < 2; i++) {
		struct truth t;
		CU_ASSERT_TRUE_FATAL(run_scenario(n[i], &t));
		CU_ASSERT_EQUAL(t.n, 0);
		CU_ASSERT_PTR_NOT_NULL(strstr(t.text, "\"completed\": false"));
		truth_free(&t);
	}
}

/* RFC 5764 §4.2: the client half protects the client's media only; with
 * the halves swapped every packet fails authentication. */
static void test_wrong_key_fails(void)
{
	struct truth t;
	CU_ASSERT_TRUE_FATAL(run_scenario_swap("dtls-active", &t, 0, 2));
	CU_ASSERT_EQUAL_FATAL(t.n, 4);
	CU_ASSERT_STRING_EQUAL(t.s[0].kind, "rtp");
	CU_ASSERT_STRING_EQUAL(t.s[2].kind, "rtp");
	CU_ASSERT_EQUAL(t.s[0].seen, 50);
	CU_ASSERT_EQUAL(t.s[0].ok, 0);
	CU_ASSERT_EQUAL(t.s[0].auth_fail, 50);
	CU_ASSERT_EQUAL(t.s[2].auth_fail, 50);
	/* the RTCP streams kept their keys */
	CU_ASSERT_EQUAL(t.s[1].auth_fail, 0);
	CU_ASSERT_EQUAL(t.s[1].ok, t.s[1].packets);
	truth_free(&t);
}

static void test_bit_flip_fails(void)
{
	/* Protect a packet with one key, flip a bit, unprotect. */
	uint8_t ks[30], pkt[256], copy[256];
	size_t n = 0, m;
	struct rtp_media_hdr h = { false, 0, 7, 160, 0x11223344 };
	uint8_t pl[160];
	struct srtp_peer *tx, *rx;
	for (unsigned i = 0; i < sizeof ks; i++)
		ks[i] = (uint8_t)(i * 7 + 1);
	rtp_media_fill(RTP_CODEC_PCMU, 0, 0, pl, sizeof pl);
	CU_ASSERT_EQUAL_FATAL(rtp_media_build(&h, pl, sizeof pl, pkt,
					      sizeof pkt, &n), SA_OK);
	tx = srtp_peer_new(SP_SUITE_AES_CM_128_HMAC_SHA1_80, true, ks, 30,
			   NULL, 0);
	rx = srtp_peer_new(SP_SUITE_AES_CM_128_HMAC_SHA1_80, false, ks, 30,
			   NULL, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tx);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rx);
	CU_ASSERT_EQUAL(srtp_peer_protect_rtp(tx, pkt, sizeof pkt, &n), SA_OK);
	CU_ASSERT_EQUAL(n, 12 + 160 + 10);
	memcpy(copy, pkt, n);
	copy[40] ^= 1;
	m = n;
	CU_ASSERT_EQUAL(srtp_peer_unprotect_rtp(rx, copy, &m), SA_MALFORMED);
	m = n;
	CU_ASSERT_EQUAL(srtp_peer_unprotect_rtp(rx, pkt, &m), SA_OK);
	CU_ASSERT_EQUAL(m, 12 + 160);
	CU_ASSERT_EQUAL(memcmp(pkt + 12, pl, 160), 0);
	srtp_peer_free(tx);
	srtp_peer_free(rx);
}

static const CU_TestInfo tests[] = {
	{ "good calls decrypt to the known tone", test_good_calls_decrypt },
	{ "sequence wrap (ROC 1)", test_seq_wrap },
	{ "duplicates rejected by replay check", test_duplicates_rejected },
	{ "failed handshakes carry no media", test_failed_handshakes_no_media },
	{ "other direction's key fails", test_wrong_key_fails },
	{ "bit flip fails authentication", test_bit_flip_fails },
	CU_TEST_INFO_NULL,
};

#define SUITE_NAME "gen_srtp"
#include "cu_main.h"
