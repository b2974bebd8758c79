/* test_srtp_stream.c - CUnit suite for srtp_stream.h (the decryption engine).
 *
 * Packets are protected with libsrtp directly (a sender policy built here,
 * independent of the engine's mapping) and fed through the engine: every
 * suite, reordering and duplicates, sequence wrap, mid-call start at ROC 2,
 * wrong keys, SRTCP with E=1/E=0, the 80-bit SRTCP tag of _32 suites, MKI.
 * Then real captures with published keys (../shared/captures/MANIFEST.md):
 * zero authentication failures and the MANIFEST's payload digests.
 */
#include <CUnit/CUnit.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <srtp2/crypto_types.h>
#include <srtp2/srtp.h>

#include "srtp_stream.h"

#define SSRC 0x11223344u
#define MAXP 600

struct pkt {
	uint8_t wire[MAXP];
	int wire_len;
	uint8_t plain[MAXP];
	int plain_len;
};

static const uint8_t key_a[46] = {
	0xe1, 0xf9, 0x7a, 0x0d, 0x3e, 0x01, 0x8b, 0xe0, 0xd6, 0x4f, 0xa3, 0x2c, 0x06, 0xde, 0x41, 0x39,
	0x0e, 0xc6, 0x75, 0xad, 0x49, 0x8a, 0xfe, 0xeb, 0xb6, 0x96, 0x0b, 0x3a, 0xab, 0xe6, 0x11, 0x22,
	0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xf0, 0x01,
};
static const uint8_t key_b[46] = {
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10,
	0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x20,
	0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e,
};

/* Sender-side policy, written independently of srtp_stream.c. */
static void sender_policy(enum sdec_suite suite, srtp_policy_t *pol)
{
	memset(pol, 0, sizeof *pol);
	switch (suite) {
	case SDEC_AES_CM_128_HMAC_SHA1_80:
		srtp_crypto_policy_set_rtp_default(&pol->rtp);
		srtp_crypto_policy_set_rtcp_default(&pol->rtcp);
		break;
	case SDEC_AES_CM_128_HMAC_SHA1_32:
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&pol->rtp);
		srtp_crypto_policy_set_rtcp_default(&pol->rtcp);
		break;
	case SDEC_AES_256_CM_HMAC_SHA1_80:
		srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(&pol->rtp);
		srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(&pol->rtcp);
		break;
	case SDEC_AES_256_CM_HMAC_SHA1_32:
		srtp_crypto_policy_set_aes_cm_256_hmac_sha1_32(&pol->rtp);
		srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(&pol->rtcp);
		break;
	case SDEC_AEAD_AES_128_GCM:
		srtp_crypto_policy_set_aes_gcm_128_16_auth(&pol->rtp);
		srtp_crypto_policy_set_aes_gcm_128_16_auth(&pol->rtcp);
		break;
	case SDEC_AEAD_AES_256_GCM:
		srtp_crypto_policy_set_aes_gcm_256_16_auth(&pol->rtp);
		srtp_crypto_policy_set_aes_gcm_256_16_auth(&pol->rtcp);
		break;
	case SDEC_NULL_HMAC_SHA1_80:
		srtp_crypto_policy_set_null_cipher_hmac_sha1_80(&pol->rtp);
		srtp_crypto_policy_set_null_cipher_hmac_sha1_80(&pol->rtcp);
		break;
	case SDEC_NULL_HMAC_SHA1_32:
		pol->rtp.cipher_type = SRTP_NULL_CIPHER;
		pol->rtp.cipher_key_len = 30;
		pol->rtp.auth_type = SRTP_HMAC_SHA1;
		pol->rtp.auth_key_len = 20;
		pol->rtp.auth_tag_len = 4;
		pol->rtp.sec_serv = sec_serv_auth;
		srtp_crypto_policy_set_null_cipher_hmac_sha1_80(&pol->rtcp);
		break;
	default:
		CU_FAIL("suite");
	}
	pol->ssrc.type = ssrc_specific;
	pol->ssrc.value = SSRC;
	pol->window_size = 128;
}

static srtp_t sender_new(srtp_policy_t *pol, const uint8_t *key, uint32_t roc)
{
	srtp_t s = NULL;
	pol->key = (unsigned char *)key;
	CU_ASSERT_FATAL(srtp_create(&s, pol) == srtp_err_status_ok);
	if (roc) {
		CU_ASSERT_FATAL(srtp_set_stream_roc(s, SSRC, roc) == srtp_err_status_ok);
	}
	return s;
}

/* make_rtp - plain RTP, PT 0, 160 + (seq % 7) payload bytes depending on seq. */
static void make_rtp(struct pkt *p, uint16_t seq)
{
	int i, n = 160 + seq % 7;
	uint8_t *b = p->plain;
	b[0] = 0x80;
	b[1] = 0x00;
	b[2] = (uint8_t)(seq >> 8);
	b[3] = (uint8_t)seq;
	b[4] = 0; b[5] = 0; b[6] = (uint8_t)(seq >> 8); b[7] = (uint8_t)seq;
	b[8] = SSRC >> 24; b[9] = (SSRC >> 16) & 0xff; b[10] = (SSRC >> 8) & 0xff; b[11] = SSRC & 0xff;
	for (i = 0; i < n; i++)
		b[12 + i] = (uint8_t)(seq * 7 + i);
	p->plain_len = 12 + n;
}

/* make_rtcp - plain RTCP SR (RFC 3550 §6.4.1) with n report fill bytes. */
static void make_rtcp(struct pkt *p, unsigned k)
{
	uint8_t *b = p->plain;
	int i;
	b[0] = 0x80;
	b[1] = 200;
	b[2] = 0;
	b[3] = 6; /* 7 words */
	b[4] = SSRC >> 24; b[5] = (SSRC >> 16) & 0xff; b[6] = (SSRC >> 8) & 0xff; b[7] = SSRC & 0xff;
	for (i = 8; i < 28; i++)
		b[i] = (uint8_t)(k * 13 + i);
	p->plain_len = 28;
}

static void protect_rtp(srtp_t s, struct pkt *p, uint16_t seq, int mki_index)
{
	make_rtp(p, seq);
	memcpy(p->wire, p->plain, p->plain_len);
	p->wire_len = p->plain_len;
	if (mki_index < 0) {
		CU_ASSERT_FATAL(srtp_protect(s, p->wire, &p->wire_len) == srtp_err_status_ok);
	} else {
		CU_ASSERT_FATAL(srtp_protect_mki(s, p->wire, &p->wire_len, 1, (unsigned)mki_index) == srtp_err_status_ok);
	}
}

static void protect_rtcp(srtp_t s, struct pkt *p, unsigned k, int mki_index)
{
	make_rtcp(p, k);
	memcpy(p->wire, p->plain, p->plain_len);
	p->wire_len = p->plain_len;
	if (mki_index < 0) {
		CU_ASSERT_FATAL(srtp_protect_rtcp(s, p->wire, &p->wire_len) == srtp_err_status_ok);
	} else {
		CU_ASSERT_FATAL(srtp_protect_rtcp_mki(s, p->wire, &p->wire_len, 1, (unsigned)mki_index) == srtp_err_status_ok);
	}
}

static struct sdec_stream *engine(enum sdec_suite suite, const uint8_t *key, enum sdec_kind kind)
{
	struct sdec_params p;
	struct sdec_stream *s = NULL;
	const struct sdec_suite_info *info = sdec_suite_get(suite);
	sdec_params_init(&p);
	p.suite = suite;
	memcpy(p.keys[0].key, key, info->key_len);
	memcpy(p.keys[0].salt, key + info->key_len, info->salt_len);
	CU_ASSERT_FATAL(sdec_stream_new(&p, kind, SSRC, &s, NULL) == SA_OK);
	return s;
}

/* feed - unprotect p through s; the plaintext must be exact when decrypted. */
static enum sdec_verdict feed(struct sdec_stream *s, const struct pkt *p, struct sdec_result *res)
{
	uint8_t out[MAXP];
	CU_ASSERT_EQUAL_FATAL(sdec_unprotect(s, p->wire, (size_t)p->wire_len, out, sizeof out, res), SA_OK);
	if (res->verdict == SDEC_DECRYPTED) {
		CU_ASSERT_EQUAL(res->len, (size_t)p->plain_len);
		CU_ASSERT(memcmp(out, p->plain, (size_t)p->plain_len) == 0);
	}
	return res->verdict;
}

static const enum sdec_suite all_suites[] = {
	SDEC_AES_CM_128_HMAC_SHA1_80, SDEC_AES_CM_128_HMAC_SHA1_32,
	SDEC_AES_256_CM_HMAC_SHA1_80, SDEC_AES_256_CM_HMAC_SHA1_32,
	SDEC_AEAD_AES_128_GCM, SDEC_AEAD_AES_256_GCM,
	SDEC_NULL_HMAC_SHA1_80, SDEC_NULL_HMAC_SHA1_32,
};

static void test_every_suite(void)
{
	size_t i;
	CU_ASSERT_EQUAL_FATAL(sdec_library_init(), SA_OK);
	for (i = 0; i < sizeof all_suites / sizeof all_suites[0]; i++) {
		enum sdec_suite su = all_suites[i];
		const struct sdec_suite_info *info = sdec_suite_get(su);
		srtp_policy_t pol;
		srtp_t snd;
		struct sdec_stream *rtp = engine(su, key_a, SDEC_RTP);
		struct sdec_stream *rtcp = engine(su, key_a, SDEC_RTCP);
		const struct sdec_counters *c;
		struct sdec_result res;
		struct pkt p;
		unsigned k;
		sender_policy(su, &pol);
		snd = sender_new(&pol, key_a, 0);
		for (k = 0; k < 40; k++) {
			protect_rtp(snd, &p, (uint16_t)(1000 + k), -1);
			CU_ASSERT_EQUAL(p.wire_len, p.plain_len + (int)info->srtp_tag_len);
			CU_ASSERT_EQUAL(feed(rtp, &p, &res), SDEC_DECRYPTED);
			CU_ASSERT_EQUAL(res.index, 1000u + k);
			CU_ASSERT_EQUAL(res.roc, 0);
		}
		for (k = 0; k < 5; k++) {
			protect_rtcp(snd, &p, k, -1);
			/* E|index word plus the SRTCP tag: 10 octets even for _32. */
			CU_ASSERT_EQUAL(p.wire_len, p.plain_len + 4 + (int)info->srtcp_tag_len);
			CU_ASSERT_EQUAL(feed(rtcp, &p, &res), SDEC_DECRYPTED);
			CU_ASSERT_EQUAL(res.index, k + 1); /* libsrtp's SRTCP index starts at 1 */
			if (res.index != k + 1 || res.encrypted != (su != SDEC_NULL_HMAC_SHA1_80 && su != SDEC_NULL_HMAC_SHA1_32))
				fprintf(stderr, "suite %s k %u index %llu enc %d\n", info->name, k, (unsigned long long)res.index, res.encrypted);
			/* NULL cipher suites send E = 0. */
			CU_ASSERT_EQUAL(res.encrypted, su != SDEC_NULL_HMAC_SHA1_80 && su != SDEC_NULL_HMAC_SHA1_32);
		}
		c = sdec_stream_counters(rtp);
		CU_ASSERT_EQUAL(c->packets, 40);
		CU_ASSERT_EQUAL(c->decrypted, 40);
		CU_ASSERT_EQUAL(c->auth_failures, 0);
		CU_ASSERT_EQUAL(c->duplicates, 0);
		CU_ASSERT_EQUAL(c->side_sessions, 0); /* in-order: main session only */
		CU_ASSERT_EQUAL(c->highest_index, 1039);
		c = sdec_stream_counters(rtcp);
		CU_ASSERT_EQUAL(c->decrypted, 5);
		CU_ASSERT_EQUAL(c->auth_failures, 0);
		sdec_stream_free(rtp);
		sdec_stream_free(rtcp);
		srtp_dealloc(snd);
	}
}

/* Protect n packets from seq0 at ROC roc into ps[]. */
static void protect_run(enum sdec_suite su, const uint8_t *key, uint32_t roc, uint16_t seq0,
			struct pkt *ps, unsigned n)
{
	srtp_policy_t pol;
	srtp_t snd;
	unsigned k;
	sender_policy(su, &pol);
	snd = sender_new(&pol, key, roc);
	if (roc) {
		/* libsrtp's sender, like its receiver, guesses ROC - 1 for a first
		 * SEQ above 32768 after srtp_set_stream_roc: walk it up to seq0 with
		 * dummy packets in steps below 32768 so that it really uses roc. */
		struct pkt dummy;
		uint32_t at = 0;
		while (at + 16000 < seq0) {
			at += 16000;
			protect_rtp(snd, &dummy, (uint16_t)at, -1);
		}
	}
	for (k = 0; k < n; k++)
		protect_rtp(snd, &ps[k], (uint16_t)(seq0 + k), -1);
	srtp_dealloc(snd);
}

static void test_reorder_and_duplicates(void)
{
	static struct pkt ps[20];
	static const int order[] = { 0, 1, 2, 4, 3, 5, 5, 6, 2, 7, 8, 9, 10, 12, 11, 13, 14, 15, 16, 17, 18, 19, 19 };
	struct sdec_stream *s;
	const struct sdec_counters *c;
	struct sdec_result res;
	size_t i;
	for (i = 0; i < 2; i++) {
		enum sdec_suite su = i ? SDEC_AEAD_AES_128_GCM : SDEC_AES_CM_128_HMAC_SHA1_80;
		size_t j;
		protect_run(su, key_a, 0, 500, ps, 20);
		s = engine(su, key_a, SDEC_RTP);
		for (j = 0; j < sizeof order / sizeof order[0]; j++) {
			CU_ASSERT_EQUAL(feed(s, &ps[order[j]], &res), SDEC_DECRYPTED);
			CU_ASSERT_EQUAL(res.index, 500u + (unsigned)order[j]);
			if (j == 6 || j == 8 || j == 22)
				CU_ASSERT_TRUE(res.duplicate);
			if (j == 4 || j == 14)
				CU_ASSERT_TRUE(res.out_of_order);
		}
		c = sdec_stream_counters(s);
		CU_ASSERT_EQUAL(c->packets, 23);
		CU_ASSERT_EQUAL(c->decrypted, 23);
		CU_ASSERT_EQUAL(c->duplicates, 3);
		CU_ASSERT_EQUAL(c->out_of_order, 2);
		CU_ASSERT_EQUAL(c->auth_failures, 0);
		CU_ASSERT_EQUAL(c->highest_index, 519);
		sdec_stream_free(s);
	}
}

static void test_sequence_wrap(void)
{
	static struct pkt ps[40];
	struct sdec_stream *s = engine(SDEC_AES_CM_128_HMAC_SHA1_80, key_a, SDEC_RTP);
	const struct sdec_counters *c;
	struct sdec_result res;
	unsigned k;
	protect_run(SDEC_AES_CM_128_HMAC_SHA1_80, key_a, 0, 65520, ps, 40);
	for (k = 0; k < 40; k++) {
		if (k == 15) {
			/* seq 0 (ROC 1) before seq 65535 (ROC 0): reordered across the wrap. */
			CU_ASSERT_EQUAL(feed(s, &ps[16], &res), SDEC_DECRYPTED);
			CU_ASSERT_EQUAL(res.roc, 1);
			CU_ASSERT_EQUAL(res.index, 65536);
			CU_ASSERT_EQUAL(feed(s, &ps[15], &res), SDEC_DECRYPTED);
			CU_ASSERT_EQUAL(res.roc, 0);
			CU_ASSERT_EQUAL(res.index, 65535);
			CU_ASSERT_TRUE(res.out_of_order);
			k++;
			continue;
		}
		CU_ASSERT_EQUAL(feed(s, &ps[k], &res), SDEC_DECRYPTED);
	}
	CU_ASSERT_EQUAL(res.roc, 1);
	CU_ASSERT_EQUAL(res.index, 65536u + 23);
	c = sdec_stream_counters(s);
	CU_ASSERT_EQUAL(c->decrypted, 40);
	CU_ASSERT_EQUAL(c->auth_failures, 0);
	CU_ASSERT_EQUAL(c->roc, 1);
	CU_ASSERT_EQUAL(c->out_of_order, 1);
	sdec_stream_free(s);
}

/* Capture starting mid-call at ROC 2; the engine finds the ROC. */
static void mid_call(enum sdec_suite su, uint16_t seq0, unsigned n, uint32_t want_end_roc)
{
	static struct pkt ps[64];
	struct sdec_stream *s = engine(su, key_a, SDEC_RTP);
	const struct sdec_counters *c;
	struct sdec_result res;
	unsigned k;
	protect_run(su, key_a, 2, seq0, ps, n);
	CU_ASSERT_EQUAL(feed(s, &ps[0], &res), SDEC_DECRYPTED);
	CU_ASSERT_EQUAL(res.roc, 2);
	CU_ASSERT(res.roc_tries >= 2);
	if (res.roc != 2)
		fprintf(stderr, "mid_call seq0 %u: verdict %d roc %u tries %u\n", seq0, res.verdict, res.roc, res.roc_tries);
	for (k = 1; k < n; k++) {
		if (k == 5) { /* a reordered pair and a duplicate under ROC 2 */
			CU_ASSERT_EQUAL(feed(s, &ps[6], &res), SDEC_DECRYPTED);
			CU_ASSERT_EQUAL(feed(s, &ps[5], &res), SDEC_DECRYPTED);
			CU_ASSERT_TRUE(res.out_of_order);
			CU_ASSERT_EQUAL(feed(s, &ps[5], &res), SDEC_DECRYPTED);
			CU_ASSERT_TRUE(res.duplicate);
			k++;
			continue;
		}
		CU_ASSERT_EQUAL(feed(s, &ps[k], &res), SDEC_DECRYPTED);
	}
	c = sdec_stream_counters(s);
	CU_ASSERT_EQUAL(c->decrypted, n + 1);
	CU_ASSERT_EQUAL(c->auth_failures, 0);
	CU_ASSERT_EQUAL(c->duplicates, 1);
	CU_ASSERT_EQUAL(c->roc_searches, 1);
	CU_ASSERT_EQUAL(c->roc, want_end_roc);
	CU_ASSERT_EQUAL(c->highest_index, ((uint64_t)2 << 16) + seq0 + n - 1);
	sdec_stream_free(s);
}

static void test_mid_call_roc2(void)
{
	mid_call(SDEC_AES_CM_128_HMAC_SHA1_80, 1000, 40, 2);
	mid_call(SDEC_AES_CM_128_HMAC_SHA1_80, 40000, 40, 2);  /* SEQ > 32768 */
	mid_call(SDEC_AES_CM_128_HMAC_SHA1_32, 65510, 60, 3);  /* wraps into ROC 3 */
	mid_call(SDEC_AEAD_AES_256_GCM, 50000, 30, 2);
}

static void test_wrong_key(void)
{
	static struct pkt ps[30];
	struct sdec_stream *s = engine(SDEC_AES_CM_128_HMAC_SHA1_80, key_b, SDEC_RTP);
	const struct sdec_counters *c;
	struct sdec_result res;
	unsigned k;
	protect_run(SDEC_AES_CM_128_HMAC_SHA1_80, key_a, 0, 100, ps, 30);
	for (k = 0; k < 30; k++)
		CU_ASSERT_EQUAL(feed(s, &ps[k], &res), SDEC_AUTH_FAILED);
	c = sdec_stream_counters(s);
	CU_ASSERT_EQUAL(c->packets, 30);
	CU_ASSERT_EQUAL(c->auth_failures, 30);
	CU_ASSERT_EQUAL(c->decrypted, 0);
	CU_ASSERT_EQUAL(c->duplicates, 0);
	CU_ASSERT_EQUAL(c->roc_searches, SDEC_ROC_SEARCH_PACKETS);
	CU_ASSERT_FALSE(c->synced);
	sdec_stream_free(s);
}

/* A damaged packet is one auth failure; the stream carries on; a
 * duplicated copy of the good packet is a duplicate, not a failure. */
static void test_corrupt_then_good(void)
{
	static struct pkt ps[10];
	struct pkt bad;
	struct sdec_stream *s = engine(SDEC_AES_CM_128_HMAC_SHA1_80, key_a, SDEC_RTP);
	const struct sdec_counters *c;
	struct sdec_result res;
	unsigned k;
	protect_run(SDEC_AES_CM_128_HMAC_SHA1_80, key_a, 0, 7, ps, 10);
	for (k = 0; k < 10; k++) {
		if (k == 4) {
			bad = ps[4];
			bad.wire[20] ^= 0x01;
			CU_ASSERT_EQUAL(feed(s, &bad, &res), SDEC_AUTH_FAILED);
		}
		CU_ASSERT_EQUAL(feed(s, &ps[k], &res), SDEC_DECRYPTED);
		CU_ASSERT_FALSE(res.duplicate);
	}
	CU_ASSERT_EQUAL(feed(s, &ps[4], &res), SDEC_DECRYPTED);
	CU_ASSERT_TRUE(res.duplicate);
	c = sdec_stream_counters(s);
	CU_ASSERT_EQUAL(c->auth_failures, 1);
	CU_ASSERT_EQUAL(c->decrypted, 11);
	CU_ASSERT_EQUAL(c->duplicates, 1);
	sdec_stream_free(s);
}

static void test_srtcp_e_flag(void)
{
	srtp_policy_t pol;
	srtp_t snd;
	struct sdec_stream *s;
	struct sdec_params p;
	struct sdec_result res;
	struct pkt pk;
	const struct sdec_counters *c;
	unsigned k;
	/* E = 0: UNENCRYPTED_SRTCP (RFC 4568 §6.3.2) - authenticated only. */
	sender_policy(SDEC_AES_CM_128_HMAC_SHA1_32, &pol);
	pol.rtcp.sec_serv = sec_serv_auth;
	snd = sender_new(&pol, key_a, 0);
	sdec_params_init(&p);
	p.suite = SDEC_AES_CM_128_HMAC_SHA1_32;
	p.unencrypted_srtcp = true;
	memcpy(p.keys[0].key, key_a, 16);
	memcpy(p.keys[0].salt, key_a + 16, 14);
	CU_ASSERT_FATAL(sdec_stream_new(&p, SDEC_RTCP, SSRC, &s, NULL) == SA_OK);
	for (k = 0; k < 4; k++) {
		protect_rtcp(snd, &pk, k, -1);
		CU_ASSERT_EQUAL(pk.wire[pk.plain_len] & 0x80, 0); /* E = 0 on the wire */
		CU_ASSERT(memcmp(pk.wire, pk.plain, pk.plain_len) == 0);
		CU_ASSERT_EQUAL(pk.wire_len, pk.plain_len + 4 + 10); /* 80-bit tag with _32 */
		CU_ASSERT_EQUAL(feed(s, &pk, &res), SDEC_DECRYPTED);
		CU_ASSERT_FALSE(res.encrypted);
	}
	/* A replayed SRTCP packet is a duplicate, still decrypted. */
	CU_ASSERT_EQUAL(feed(s, &pk, &res), SDEC_DECRYPTED);
	CU_ASSERT_TRUE(res.duplicate);
	/* The same packet with its tag broken fails. */
	pk.wire[pk.wire_len - 1] ^= 0xff;
	CU_ASSERT_EQUAL(feed(s, &pk, &res), SDEC_AUTH_FAILED);
	c = sdec_stream_counters(s);
	CU_ASSERT_EQUAL(c->unencrypted, 5);
	CU_ASSERT_EQUAL(c->decrypted, 5);
	CU_ASSERT_EQUAL(c->duplicates, 1);
	CU_ASSERT_EQUAL(c->auth_failures, 1);
	sdec_stream_free(s);
	srtp_dealloc(snd);

	/* E = 1 (default) with the _32 suite: encrypted, 80-bit tag. */
	sender_policy(SDEC_AES_CM_128_HMAC_SHA1_32, &pol);
	snd = sender_new(&pol, key_a, 0);
	s = engine(SDEC_AES_CM_128_HMAC_SHA1_32, key_a, SDEC_RTCP);
	protect_rtcp(snd, &pk, 0, -1);
	CU_ASSERT_EQUAL(pk.wire[pk.plain_len] & 0x80, 0x80);
	CU_ASSERT(memcmp(pk.wire + 8, pk.plain + 8, pk.plain_len - 8) != 0);
	CU_ASSERT_EQUAL(pk.wire_len, pk.plain_len + 14);
	CU_ASSERT_EQUAL(feed(s, &pk, &res), SDEC_DECRYPTED);
	CU_ASSERT_TRUE(res.encrypted);
	/* A 4-byte SRTCP tag reading would see a different trailer: cut 6
	 * bytes and it must fail, not decrypt. */
	pk.wire_len -= 6;
	CU_ASSERT_NOT_EQUAL(feed(s, &pk, &res), SDEC_DECRYPTED);
	sdec_stream_free(s);
	srtp_dealloc(snd);
}

static void test_mki(void)
{
	srtp_policy_t pol;
	srtp_master_key_t mk[2], *mkp[2] = { &mk[0], &mk[1] };
	uint8_t mki0[4] = { 0, 0, 0, 1 }, mki1[4] = { 0, 0, 0, 2 };
	srtp_t snd = NULL;
	struct sdec_params p;
	struct sdec_stream *both, *only0, *rtcp;
	struct sdec_result res;
	struct pkt pk;
	unsigned k;
	sender_policy(SDEC_AES_CM_128_HMAC_SHA1_80, &pol);
	mk[0].key = (unsigned char *)key_a;
	mk[0].mki_id = mki0;
	mk[0].mki_size = 4;
	mk[1].key = (unsigned char *)key_b;
	mk[1].mki_id = mki1;
	mk[1].mki_size = 4;
	pol.key = NULL;
	pol.keys = mkp;
	pol.num_master_keys = 2;
	CU_ASSERT_FATAL(srtp_create(&snd, &pol) == srtp_err_status_ok);

	sdec_params_init(&p);
	p.suite = SDEC_AES_CM_128_HMAC_SHA1_80;
	p.n_keys = 2;
	memcpy(p.keys[0].key, key_a, 16);
	memcpy(p.keys[0].salt, key_a + 16, 14);
	memcpy(p.keys[0].mki, mki0, 4);
	p.keys[0].mki_len = 4;
	memcpy(p.keys[1].key, key_b, 16);
	memcpy(p.keys[1].salt, key_b + 16, 14);
	memcpy(p.keys[1].mki, mki1, 4);
	p.keys[1].mki_len = 4;
	CU_ASSERT_FATAL(sdec_stream_new(&p, SDEC_RTP, SSRC, &both, NULL) == SA_OK);
	CU_ASSERT_FATAL(sdec_stream_new(&p, SDEC_RTCP, SSRC, &rtcp, NULL) == SA_OK);
	p.n_keys = 1;
	CU_ASSERT_FATAL(sdec_stream_new(&p, SDEC_RTP, SSRC, &only0, NULL) == SA_OK);
	for (k = 0; k < 10; k++) {
		protect_rtp(snd, &pk, (uint16_t)(20 + k), (int)(k % 2));
		CU_ASSERT_EQUAL(pk.wire_len, pk.plain_len + 4 + 10);
		CU_ASSERT_EQUAL(pk.wire[pk.plain_len + 3], k % 2 + 1); /* MKI before the tag */
		CU_ASSERT_EQUAL(feed(both, &pk, &res), SDEC_DECRYPTED);
		CU_ASSERT_EQUAL(feed(only0, &pk, &res), k % 2 ? SDEC_BAD_MKI : SDEC_DECRYPTED);
	}
	for (k = 0; k < 4; k++) {
		protect_rtcp(snd, &pk, k, (int)(k % 2));
		CU_ASSERT_EQUAL(pk.wire_len, pk.plain_len + 4 + 4 + 10);
		CU_ASSERT_EQUAL(feed(rtcp, &pk, &res), SDEC_DECRYPTED);
	}
	CU_ASSERT_EQUAL(sdec_stream_counters(both)->decrypted, 10);
	CU_ASSERT_EQUAL(sdec_stream_counters(only0)->decrypted, 5);
	CU_ASSERT_EQUAL(sdec_stream_counters(only0)->bad_mki, 5);
	CU_ASSERT_EQUAL(sdec_stream_counters(only0)->auth_failures, 0);
	CU_ASSERT_EQUAL(sdec_stream_counters(rtcp)->decrypted, 4);
	sdec_stream_free(both);
	sdec_stream_free(only0);
	sdec_stream_free(rtcp);
	srtp_dealloc(snd);
}

static void test_session_params(void)
{
	srtp_policy_t pol;
	srtp_t snd;
	struct sdec_params p;
	struct sdec_stream *s;
	struct sdec_result res;
	struct pkt pk;
	/* UNENCRYPTED_SRTP: authenticated, payload in clear. */
	sender_policy(SDEC_AES_CM_128_HMAC_SHA1_80, &pol);
	pol.rtp.sec_serv = sec_serv_auth;
	snd = sender_new(&pol, key_a, 0);
	sdec_params_init(&p);
	p.suite = SDEC_AES_CM_128_HMAC_SHA1_80;
	p.unencrypted_srtp = true;
	memcpy(p.keys[0].key, key_a, 16);
	memcpy(p.keys[0].salt, key_a + 16, 14);
	CU_ASSERT_FATAL(sdec_stream_new(&p, SDEC_RTP, SSRC, &s, NULL) == SA_OK);
	protect_rtp(snd, &pk, 3, -1);
	CU_ASSERT(memcmp(pk.wire, pk.plain, pk.plain_len) == 0);
	CU_ASSERT_EQUAL(feed(s, &pk, &res), SDEC_DECRYPTED);
	CU_ASSERT_FALSE(res.encrypted);
	sdec_stream_free(s);
	srtp_dealloc(snd);
	/* UNAUTHENTICATED_SRTP: encrypted, no tag. */
	sender_policy(SDEC_AES_CM_128_HMAC_SHA1_80, &pol);
	pol.rtp.sec_serv = sec_serv_conf;
	pol.rtp.auth_type = SRTP_NULL_AUTH;
	pol.rtp.auth_key_len = 0;
	pol.rtp.auth_tag_len = 0;
	snd = sender_new(&pol, key_a, 0);
	p.unencrypted_srtp = false;
	p.unauthenticated_srtp = true;
	CU_ASSERT_FATAL(sdec_stream_new(&p, SDEC_RTP, SSRC, &s, NULL) == SA_OK);
	protect_rtp(snd, &pk, 4, -1);
	CU_ASSERT_EQUAL(pk.wire_len, pk.plain_len);
	CU_ASSERT_EQUAL(feed(s, &pk, &res), SDEC_DECRYPTED);
	sdec_stream_free(s);
	srtp_dealloc(snd);
	/* ... which AEAD cannot do. */
	p.suite = SDEC_AEAD_AES_128_GCM;
	CU_ASSERT_EQUAL(sdec_stream_new(&p, SDEC_RTP, SSRC, &s, NULL), SA_UNSUPPORTED);
}

static int diag_count;
static void count_diag(void *ctx, enum diag_level l, const char *f, uint64_t fr, const char *m)
{
	(void)ctx; (void)l; (void)f; (void)fr; (void)m;
	diag_count++;
}

static void test_params_and_bad_packets(void)
{
	struct diag_sink sink = { count_diag, NULL };
	struct sdec_params p;
	struct sdec_stream *s = NULL;
	struct sdec_result res;
	struct pkt ps[1], pk;
	uint8_t out[MAXP];
	sdec_params_init(&p);
	p.suite = SDEC_AES_192_CM_HMAC_SHA1_80;
	p.engine = SDEC_ENGINE_LIBSRTP; /* libsrtp #763; the fast engine has it */
	CU_ASSERT_EQUAL(sdec_stream_new(&p, SDEC_RTP, SSRC, &s, &sink), SA_UNSUPPORTED);
	CU_ASSERT_PTR_NULL(s);
	CU_ASSERT_EQUAL(diag_count, 1);
	p.engine = SDEC_ENGINE_DEFAULT;
	p.suite = SDEC_F8_128_HMAC_SHA1_80;
	CU_ASSERT_EQUAL(sdec_stream_new(&p, SDEC_RTP, SSRC, &s, &sink), SA_UNSUPPORTED);
	p.suite = SDEC_SUITE_NONE;
	CU_ASSERT_EQUAL(sdec_stream_new(&p, SDEC_RTP, SSRC, &s, &sink), SA_MALFORMED);
	p.suite = SDEC_AES_CM_128_HMAC_SHA1_80;
	p.n_keys = 0;
	CU_ASSERT_EQUAL(sdec_stream_new(&p, SDEC_RTP, SSRC, &s, &sink), SA_MALFORMED);
	p.n_keys = 2; /* two keys without MKIs */
	CU_ASSERT_EQUAL(sdec_stream_new(&p, SDEC_RTP, SSRC, &s, &sink), SA_MALFORMED);
	p.keys[0].mki_len = 2;
	p.keys[1].mki_len = 3;
	CU_ASSERT_EQUAL(sdec_stream_new(&p, SDEC_RTP, SSRC, &s, &sink), SA_MALFORMED);

	protect_run(SDEC_AES_CM_128_HMAC_SHA1_80, key_a, 0, 9, ps, 1);
	s = engine(SDEC_AES_CM_128_HMAC_SHA1_80, key_a, SDEC_RTP);
	/* Output buffer too small: SA_NOMEM, not counted. */
	CU_ASSERT_EQUAL(sdec_unprotect(s, ps[0].wire, (size_t)ps[0].wire_len, out, 10, &res), SA_NOMEM);
	CU_ASSERT_EQUAL(sdec_stream_counters(s)->packets, 0);
	/* Truncated: header only; header + 9 bytes (< the 10-byte tag). */
	pk = ps[0];
	pk.wire_len = 11;
	CU_ASSERT_EQUAL(feed(s, &pk, &res), SDEC_NOT_PACKET);
	pk.wire_len = 21;
	CU_ASSERT_EQUAL(feed(s, &pk, &res), SDEC_NOT_PACKET);
	/* CSRC count pointing past the end. */
	pk = ps[0];
	pk.wire[0] = 0x8f;
	pk.wire_len = 60;
	CU_ASSERT_EQUAL(feed(s, &pk, &res), SDEC_NOT_PACKET);
	/* Another SSRC, version 1. */
	pk = ps[0];
	pk.wire[11] ^= 1;
	CU_ASSERT_EQUAL(feed(s, &pk, &res), SDEC_NOT_PACKET);
	pk = ps[0];
	pk.wire[0] = 0x40;
	CU_ASSERT_EQUAL(feed(s, &pk, &res), SDEC_NOT_PACKET);
	CU_ASSERT_EQUAL(sdec_stream_counters(s)->not_packet, 5);
	CU_ASSERT_EQUAL(feed(s, &ps[0], &res), SDEC_DECRYPTED);
	CU_ASSERT_EQUAL(sdec_stream_counters(s)->packets, 6);
	sdec_stream_free(s);
	sdec_stream_free(NULL);
}

static void test_suite_names(void)
{
	CU_ASSERT_EQUAL(sdec_suite_by_name(SV_LIT("AES_CM_128_HMAC_SHA1_80")), SDEC_AES_CM_128_HMAC_SHA1_80);
	CU_ASSERT_EQUAL(sdec_suite_by_name(SV_LIT("aes_cm_128_hmac_sha1_32")), SDEC_AES_CM_128_HMAC_SHA1_32);
	CU_ASSERT_EQUAL(sdec_suite_by_name(SV_LIT("AES_256_CM_HMAC_SHA1_80")), SDEC_AES_256_CM_HMAC_SHA1_80);
	CU_ASSERT_EQUAL(sdec_suite_by_name(SV_LIT("AES_CM_256_HMAC_SHA1_32")), SDEC_AES_256_CM_HMAC_SHA1_32);
	CU_ASSERT_EQUAL(sdec_suite_by_name(SV_LIT("AEAD_AES_256_GCM")), SDEC_AEAD_AES_256_GCM);
	CU_ASSERT_EQUAL(sdec_suite_by_name(SV_LIT("SRTP_AEAD_AES_128_GCM")), SDEC_AEAD_AES_128_GCM);
	CU_ASSERT_EQUAL(sdec_suite_by_name(SV_LIT("AES_192_CM_HMAC_SHA1_80")), SDEC_AES_192_CM_HMAC_SHA1_80);
	CU_ASSERT_EQUAL(sdec_suite_by_name(SV_LIT("AES_CM_128_HMAC_SHA1_8")), SDEC_SUITE_NONE);
	CU_ASSERT_EQUAL(sdec_suite_get(SDEC_AEAD_AES_128_GCM)->salt_len, 12);
	CU_ASSERT_EQUAL(sdec_suite_get(SDEC_AES_CM_128_HMAC_SHA1_32)->srtcp_tag_len, 10);
	CU_ASSERT_EQUAL(sdec_suite_get(SDEC_AES_192_CM_HMAC_SHA1_32)->supported,
			sdec_engine_get() == SDEC_ENGINE_FAST);
	CU_ASSERT_PTR_NULL(sdec_suite_get(SDEC_SUITE_NONE));
	CU_ASSERT_PTR_NULL(sdec_suite_get(SDEC_SUITE_COUNT));
}

/* ---- Real captures (MANIFEST.md) ---- */

struct real_stream {
	uint16_t sport, dport;
	uint32_t ssrc;
	enum sdec_kind kind;
	const char *key_b64;
	struct sdec_stream *s;
	EVP_MD_CTX *md;
};

static bool open_capture(const char *name, char *path, size_t cap)
{
	const char *dirs[3] = { getenv("SHARED_CAPTURES"), NULL, NULL };
	const char *top = getenv("top_srcdir");
	char alt[512];
	FILE *f;
	size_t i;
	snprintf(alt, sizeof alt, "%s/../shared/captures", top ? top : ".");
	dirs[1] = alt;
	dirs[2] = "/work/shared/captures";
	for (i = 0; i < 3; i++) {
		if (!dirs[i])
			continue;
		snprintf(path, cap, "%s/%s", dirs[i], name);
		f = fopen(path, "rb");
		if (f) {
			fclose(f);
			return true;
		}
	}
	return false;
}

/* run_capture - Ethernet/IPv4/UDP, stripped by hand; each packet goes to
 * the stream matching its ports and SSRC. */
static void run_capture(const char *name, struct real_stream *rs, size_t n)
{
	char path[600], err[PCAP_ERRBUF_SIZE];
	pcap_t *pc;
	struct pcap_pkthdr *h;
	const u_char *d;
	uint8_t out[2048];
	size_t i;
	if (!open_capture(name, path, sizeof path)) {
		fprintf(stderr, "\n  (skipped: %s not found; set SHARED_CAPTURES)\n", name);
		return;
	}
	pc = pcap_open_offline(path, err);
	CU_ASSERT_FATAL(pc != NULL);
	CU_ASSERT_EQUAL_FATAL(pcap_datalink(pc), DLT_EN10MB);
	for (i = 0; i < n; i++) {
		struct sdec_params p;
		unsigned char kb[48];
		int kl = EVP_DecodeBlock(kb, (const unsigned char *)rs[i].key_b64, (int)strlen(rs[i].key_b64));
		CU_ASSERT_FATAL(kl >= 30);
		sdec_params_init(&p);
		p.suite = SDEC_AES_CM_128_HMAC_SHA1_80;
		memcpy(p.keys[0].key, kb, 16);
		memcpy(p.keys[0].salt, kb + 16, 14);
		CU_ASSERT_FATAL(sdec_stream_new(&p, rs[i].kind, rs[i].ssrc, &rs[i].s, NULL) == SA_OK);
		rs[i].md = EVP_MD_CTX_new();
		EVP_DigestInit_ex(rs[i].md, EVP_sha256(), NULL);
	}
	while (pcap_next_ex(pc, &h, &d) == 1) {
		size_t len = h->caplen, ihl, off;
		uint16_t sport, dport, ulen;
		uint32_t ssrc;
		if (len < 14 + 20 + 8 || d[12] != 0x08 || d[13] != 0x00 || (d[14] >> 4) != 4 || d[23] != 17)
			continue;
		ihl = (size_t)(d[14] & 0x0f) * 4;
		off = 14 + ihl;
		if (len < off + 8)
			continue;
		sport = (uint16_t)(d[off] << 8 | d[off + 1]);
		dport = (uint16_t)(d[off + 2] << 8 | d[off + 3]);
		ulen = (uint16_t)(d[off + 4] << 8 | d[off + 5]);
		if (ulen < 8 || off + ulen > len)
			continue;
		for (i = 0; i < n; i++) {
			struct sdec_result res;
			const uint8_t *u = d + off + 8;
			size_t ul = ulen - 8u;
			if (rs[i].sport != sport || rs[i].dport != dport ||
			    !sdec_packet_ssrc(rs[i].kind, u, ul, &ssrc) || ssrc != rs[i].ssrc)
				continue;
			CU_ASSERT_EQUAL(sdec_unprotect(rs[i].s, u, ul, out, sizeof out, &res), SA_OK);
			if (rs[i].kind == SDEC_RTP && res.verdict == SDEC_DECRYPTED) {
				size_t hl = 12 + 4u * (out[0] & 0x0f);
				if (out[0] & 0x10)
					hl += 4 + 4u * (size_t)(out[hl + 2] << 8 | out[hl + 3]);
				EVP_DigestUpdate(rs[i].md, out + hl, res.len - hl);
			}
		}
	}
	pcap_close(pc);
}

static void digest_hex(EVP_MD_CTX *md, char *hex)
{
	unsigned char dg[32];
	unsigned int dl = 0, i;
	EVP_DigestFinal_ex(md, dg, &dl);
	for (i = 0; i < dl; i++)
		sprintf(hex + 2 * i, "%02x", dg[i]);
}

static void real_free(struct real_stream *rs, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		sdec_stream_free(rs[i].s);
		EVP_MD_CTX_free(rs[i].md);
	}
}

/* srtp-decrypt's marseillaise: 11888 packets, one stream, published key. */
static void test_real_marseillaise(void)
{
	struct real_stream rs[1] = {
		{ 10000, 10000, 0xDEADBEEF, SDEC_RTP, "aSBrbm93IGFsbCB5b3VyIGxpdHRsZSBzZWNyZXRz", NULL, NULL },
	};
	char hex[65];
	const struct sdec_counters *c;
	run_capture("srtp-decrypt_marseillaise-srtp.pcap", rs, 1);
	if (!rs[0].s)
		return;
	c = sdec_stream_counters(rs[0].s);
	CU_ASSERT_EQUAL(c->packets, 11888);
	CU_ASSERT_EQUAL(c->decrypted, 11888);
	CU_ASSERT_EQUAL(c->auth_failures, 0);
	CU_ASSERT_EQUAL(c->duplicates, 0);
	digest_hex(rs[0].md, hex);
	CU_ASSERT_STRING_EQUAL(hex, "aeeb66551ac1d00684737e9e74f863903748665ef5c25348a7da564aea7bdd3e");
	real_free(rs, 1);
}

/* voipshark SIP-SRTP call: the first leg, both directions, SRTP and SRTCP;
 * keys from the SDP (frame 55 tag 3 and frame 84). */
static void test_real_voipshark(void)
{
	struct real_stream rs[4] = {
		{ 4000, 14708, 0x547970C2, SDEC_RTP, "D2YmkapsLg7GhQkROWl3wLJxRXuRBhnHYVjq4nsO", NULL, NULL },
		{ 14708, 4000, 0x0DCDE9EE, SDEC_RTP, "oFDqZSB4m17urfnVpfws4X4v2HHt8IGX/3BO4L8L", NULL, NULL },
		{ 4001, 14709, 0x547970C2, SDEC_RTCP, "D2YmkapsLg7GhQkROWl3wLJxRXuRBhnHYVjq4nsO", NULL, NULL },
		{ 14709, 4001, 0x0DCDE9EE, SDEC_RTCP, "oFDqZSB4m17urfnVpfws4X4v2HHt8IGX/3BO4L8L", NULL, NULL },
	};
	char hex[65];
	const struct sdec_counters *c;
	run_capture("voipshark_SIP-SRTP-Normal_Call_two_parties.pcap", rs, 4);
	if (!rs[0].s)
		return;
	c = sdec_stream_counters(rs[0].s);
	CU_ASSERT_EQUAL(c->decrypted, 1135);
	CU_ASSERT_EQUAL(c->auth_failures, 0);
	digest_hex(rs[0].md, hex);
	CU_ASSERT_STRING_EQUAL(hex, "b4612a30910c7036fa2b368e96c6ec8363b223d74e7a58da1a3b8af95a719fe9");
	c = sdec_stream_counters(rs[1].s);
	CU_ASSERT_EQUAL(c->decrypted, 1135);
	CU_ASSERT_EQUAL(c->auth_failures, 0);
	digest_hex(rs[1].md, hex);
	CU_ASSERT_STRING_EQUAL(hex, "273bc03bbce9c59564e7478eed7d4a74bcae7e1e4b8adb68e09ec3ac885a76fb");
	CU_ASSERT_EQUAL(sdec_stream_counters(rs[2].s)->decrypted, 9);
	CU_ASSERT_EQUAL(sdec_stream_counters(rs[2].s)->auth_failures, 0);
	CU_ASSERT_EQUAL(sdec_stream_counters(rs[3].s)->decrypted, 5);
	CU_ASSERT_EQUAL(sdec_stream_counters(rs[3].s)->auth_failures, 0);
	real_free(rs, 4);
}

static const CU_TestInfo tests[] = {
	{ "every suite: SRTP and SRTCP round trip, tag lengths", test_every_suite },
	{ "reordered and duplicated packets", test_reorder_and_duplicates },
	{ "sequence wrap 65535 -> 0 gives ROC 1", test_sequence_wrap },
	{ "capture starting mid-call at ROC 2", test_mid_call_roc2 },
	{ "wrong key: every packet an auth failure", test_wrong_key },
	{ "damaged packet then good ones", test_corrupt_then_good },
	{ "SRTCP E=0/E=1, 80-bit tag with _32", test_srtcp_e_flag },
	{ "MKI: two keys, unknown MKI", test_mki },
	{ "UNENCRYPTED_SRTP / UNAUTHENTICATED_SRTP", test_session_params },
	{ "bad parameters and bad packets", test_params_and_bad_packets },
	{ "suite names", test_suite_names },
	{ "real: marseillaise digest", test_real_marseillaise },
	{ "real: voipshark SDES call digests", test_real_voipshark },
	CU_TEST_INFO_NULL,
};

#define SUITE_NAME "srtp_stream"
#include "cu_main.h"
