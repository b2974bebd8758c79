/* test_ipfrag.c - CUnit suite for ipfrag.h (IPv4/IPv6 fragment reassembly). */
#include <CUnit/CUnit.h>
#include <string.h>

#include "ipfrag.h"

#define SEC 1000000000ull
#define MAXREC 20000

/* What on_drop reported: each frame with its reason, and the call count. */
struct rec {
	uint64_t frames[MAXREC];
	enum ipfrag_drop why[MAXREC];
	size_t n;
	size_t calls;
};

static void rec_drop(void *ctx, const uint64_t *frames, size_t n, enum ipfrag_drop why)
{
	struct rec *r = ctx;
	size_t i;
	r->calls++;
	for (i = 0; i < n && r->n < MAXREC; i++) {
		r->frames[r->n] = frames[i];
		r->why[r->n++] = why;
	}
}

static struct ipfrag_table *table_make(struct rec *r, const struct ipfrag_limits *lim)
{
	struct ipfrag_callbacks cb = { rec_drop, r };
	memset(r, 0, sizeof *r);
	return ipfrag_table_new(lim, &cb);
}

static struct ipfrag_key key4(uint32_t id, uint8_t proto)
{
	static const uint8_t a[4] = { 192, 0, 2, 1 }, b[4] = { 198, 51, 100, 2 };
	struct ipfrag_key k;
	memset(&k, 0, sizeof k);
	ipaddr_set_v4(&k.src, a);
	ipaddr_set_v4(&k.dst, b);
	k.id = id;
	k.proto = proto;
	return k;
}

static struct ipfrag_key key6(uint32_t id, uint8_t proto)
{
	struct ipfrag_key k;
	memset(&k, 0, sizeof k);
	CU_ASSERT_TRUE(ipaddr_parse("2001:db8::1", &k.src));
	CU_ASSERT_TRUE(ipaddr_parse("2001:db8::2", &k.dst));
	k.id = id;
	k.proto = proto;
	return k;
}

/* A payload whose every byte is distinct enough to catch misplacement. */
static void pattern(uint8_t *p, size_t n, uint8_t salt)
{
	size_t i;
	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 7 + salt);
}

static enum sa_status add(struct ipfrag_table *t, const struct ipfrag_key *k,
			  const uint8_t *pl, uint32_t off, size_t len, bool mf,
			  uint64_t frame, uint64_t ts, struct ipfrag_done *out)
{
	return ipfrag_add(t, k, off, mf, pl + off, len, frame, ts, out);
}

static void test_v4_in_order(void)
{
	struct rec r;
	struct ipfrag_table *t = table_make(&r, NULL);
	struct ipfrag_key k = key4(0x1234, 17);
	struct ipfrag_done d;
	uint8_t pl[40];
	pattern(pl, sizeof pl, 1);
	CU_ASSERT_EQUAL(add(t, &k, pl, 0, 16, true, 10, 0, &d), SA_OK);
	CU_ASSERT_FALSE(d.complete);
	CU_ASSERT_EQUAL(add(t, &k, pl, 16, 16, true, 11, 1, &d), SA_OK);
	CU_ASSERT_FALSE(d.complete);
	CU_ASSERT_EQUAL(add(t, &k, pl, 32, 8, false, 12, 2, &d), SA_OK);
	CU_ASSERT_TRUE(d.complete);
	CU_ASSERT_EQUAL(d.len, 40);
	CU_ASSERT_EQUAL(memcmp(d.data, pl, 40), 0);
	CU_ASSERT_EQUAL(d.proto, 17);
	CU_ASSERT_EQUAL(d.nframes, 3);
	if (d.nframes == 3) {
		CU_ASSERT_EQUAL(d.frames[0], 10);
		CU_ASSERT_EQUAL(d.frames[1], 11);
		CU_ASSERT_EQUAL(d.frames[2], 12);
	}
	CU_ASSERT_EQUAL(ipfrag_stats(t)->reassembled, 1);
	ipfrag_flush(t);   /* nothing left pending */
	CU_ASSERT_EQUAL(r.calls, 0);
	ipfrag_table_free(t);
}

static void test_v4_reversed(void)
{
	struct rec r;
	struct ipfrag_table *t = table_make(&r, NULL);
	struct ipfrag_key k = key4(7, 17);
	struct ipfrag_done d;
	uint8_t pl[1237];   /* final fragment ends off an 8-octet boundary */
	pattern(pl, sizeof pl, 3);
	CU_ASSERT_EQUAL(add(t, &k, pl, 1200, 37, false, 3, 0, &d), SA_OK);
	CU_ASSERT_FALSE(d.complete);
	CU_ASSERT_EQUAL(add(t, &k, pl, 600, 600, true, 2, 0, &d), SA_OK);
	CU_ASSERT_FALSE(d.complete);
	CU_ASSERT_EQUAL(add(t, &k, pl, 0, 600, true, 1, 0, &d), SA_OK);
	CU_ASSERT_TRUE(d.complete);
	CU_ASSERT_EQUAL(d.len, 1237);
	CU_ASSERT_EQUAL(memcmp(d.data, pl, sizeof pl), 0);
	CU_ASSERT_EQUAL(d.nframes, 3);
	if (d.nframes == 3) {
		CU_ASSERT_EQUAL(d.frames[0], 3);
		CU_ASSERT_EQUAL(d.frames[2], 1);
	}
	ipfrag_table_free(t);
}

static void test_v4_interleaved(void)
{
	struct rec r;
	struct ipfrag_table *t = table_make(&r, NULL);
	struct ipfrag_key a = key4(100, 17), b = key4(101, 17), c = key4(100, 6);
	struct ipfrag_done d;
	uint8_t pa[24], pb[24], pc[24];
	pattern(pa, sizeof pa, 10);
	pattern(pb, sizeof pb, 20);
	pattern(pc, sizeof pc, 30);
	/* Same id with another protocol is another datagram (RFC 791 §3.2). */
	CU_ASSERT_EQUAL(add(t, &a, pa, 0, 8, true, 1, 0, &d), SA_OK);
	CU_ASSERT_EQUAL(add(t, &b, pb, 8, 8, true, 2, 0, &d), SA_OK);
	CU_ASSERT_EQUAL(add(t, &c, pc, 0, 8, true, 3, 0, &d), SA_OK);
	CU_ASSERT_EQUAL(add(t, &a, pa, 16, 8, false, 4, 0, &d), SA_OK);
	CU_ASSERT_EQUAL(add(t, &b, pb, 0, 8, true, 5, 0, &d), SA_OK);
	CU_ASSERT_FALSE(d.complete);
	CU_ASSERT_EQUAL(add(t, &a, pa, 8, 8, true, 6, 0, &d), SA_OK);
	CU_ASSERT_TRUE(d.complete);
	CU_ASSERT_EQUAL(d.len, 24);
	CU_ASSERT_EQUAL(memcmp(d.data, pa, 24), 0);
	CU_ASSERT_EQUAL(d.nframes, 3);
	if (d.nframes == 3)
		CU_ASSERT_EQUAL(d.frames[1], 4);
	CU_ASSERT_EQUAL(add(t, &b, pb, 16, 8, false, 7, 0, &d), SA_OK);
	CU_ASSERT_TRUE(d.complete);
	CU_ASSERT_EQUAL(memcmp(d.data, pb, 24), 0);
	CU_ASSERT_EQUAL(d.nframes, 3);
	if (d.nframes == 3)
		CU_ASSERT_EQUAL(d.frames[0], 2);
	CU_ASSERT_EQUAL(ipfrag_stats(t)->reassembled, 2);
	ipfrag_flush(t);   /* c still lacks its end */
	CU_ASSERT_EQUAL(r.calls, 1);
	CU_ASSERT_EQUAL(r.n, 1);
	CU_ASSERT_EQUAL(r.frames[0], 3);
	CU_ASSERT_EQUAL(r.why[0], IPFRAG_DROP_FLUSH);
	CU_ASSERT_EQUAL(ipfrag_stats(t)->dropped_flush, 1);
	ipfrag_table_free(t);
}

static void test_identical_overlap(void)
{
	struct rec r;
	struct ipfrag_table *t = table_make(&r, NULL);
	struct ipfrag_key k = key4(9, 17);
	struct ipfrag_done d;
	uint8_t pl[30];
	pattern(pl, sizeof pl, 5);
	CU_ASSERT_EQUAL(add(t, &k, pl, 0, 16, true, 1, 0, &d), SA_OK);
	CU_ASSERT_EQUAL(add(t, &k, pl, 8, 16, true, 2, 0, &d), SA_OK);   /* partial, same bytes */
	CU_ASSERT_EQUAL(add(t, &k, pl, 0, 16, true, 3, 0, &d), SA_OK);   /* exact duplicate */
	CU_ASSERT_FALSE(d.complete);
	CU_ASSERT_EQUAL(add(t, &k, pl, 24, 6, false, 4, 0, &d), SA_OK);
	CU_ASSERT_TRUE(d.complete);
	CU_ASSERT_EQUAL(d.len, 30);
	CU_ASSERT_EQUAL(memcmp(d.data, pl, 30), 0);
	CU_ASSERT_EQUAL(d.nframes, 4);   /* the duplicate's frame too */
	CU_ASSERT_EQUAL(ipfrag_stats(t)->overlaps_identical, 2);
	CU_ASSERT_EQUAL(r.calls, 0);
	ipfrag_table_free(t);
}

static void test_conflicting_overlap(void)
{
	struct rec r;
	struct ipfrag_table *t = table_make(&r, NULL);
	struct ipfrag_key k = key4(9, 17);
	struct ipfrag_done d;
	uint8_t pl[30], bad[30];
	pattern(pl, sizeof pl, 5);
	memcpy(bad, pl, sizeof bad);
	bad[12] ^= 0xff;
	CU_ASSERT_EQUAL(add(t, &k, pl, 0, 16, true, 1, 0, &d), SA_OK);
	CU_ASSERT_EQUAL(add(t, &k, bad, 8, 16, true, 2, 0, &d), SA_OK);
	CU_ASSERT_FALSE(d.complete);
	CU_ASSERT_EQUAL(r.calls, 1);
	CU_ASSERT_EQUAL(r.n, 2);
	CU_ASSERT_EQUAL(r.frames[0], 1);
	CU_ASSERT_EQUAL(r.frames[1], 2);
	CU_ASSERT_EQUAL(r.why[1], IPFRAG_DROP_CONFLICT);
	/* RFC 5722: fragments not yet received are discarded too. */
	CU_ASSERT_EQUAL(add(t, &k, pl, 24, 6, false, 3, 0, &d), SA_OK);
	CU_ASSERT_FALSE(d.complete);
	CU_ASSERT_EQUAL(r.n, 3);
	CU_ASSERT_EQUAL(r.frames[2], 3);
	CU_ASSERT_EQUAL(r.why[2], IPFRAG_DROP_CONFLICT);
	CU_ASSERT_EQUAL(ipfrag_stats(t)->dropped_conflict, 1);
	CU_ASSERT_EQUAL(ipfrag_stats(t)->frames_after_conflict, 1);
	ipfrag_flush(t);   /* the tombstone reports nothing again */
	CU_ASSERT_EQUAL(r.n, 3);
	CU_ASSERT_EQUAL(ipfrag_stats(t)->dropped_flush, 0);
	ipfrag_table_free(t);
}

static void test_conflicting_lengths(void)
{
	struct rec r;
	struct ipfrag_table *t = table_make(&r, NULL);
	struct ipfrag_key k = key4(1, 17), k2 = key4(2, 17);
	struct ipfrag_done d;
	uint8_t pl[64];
	pattern(pl, sizeof pl, 9);
	/* Two final fragments giving different total lengths. */
	CU_ASSERT_EQUAL(add(t, &k, pl, 16, 4, false, 1, 0, &d), SA_OK);
	CU_ASSERT_EQUAL(add(t, &k, pl, 16, 8, false, 2, 0, &d), SA_OK);
	CU_ASSERT_EQUAL(r.n, 2);
	CU_ASSERT_EQUAL(r.why[0], IPFRAG_DROP_CONFLICT);
	/* A non-final fragment reaching past the known end. */
	CU_ASSERT_EQUAL(add(t, &k2, pl, 8, 4, false, 3, 0, &d), SA_OK);
	CU_ASSERT_EQUAL(add(t, &k2, pl, 0, 16, true, 4, 0, &d), SA_OK);
	CU_ASSERT_EQUAL(r.n, 4);
	CU_ASSERT_EQUAL(r.frames[2], 3);
	CU_ASSERT_EQUAL(r.frames[3], 4);
	CU_ASSERT_EQUAL(ipfrag_stats(t)->dropped_conflict, 2);
	CU_ASSERT_EQUAL(ipfrag_stats(t)->reassembled, 0);
	ipfrag_table_free(t);
}

static void test_timeout(void)
{
	struct rec r;
	struct ipfrag_table *t = table_make(&r, NULL);
	struct ipfrag_key k = key4(5, 17), k2 = key4(6, 17);
	struct ipfrag_done d;
	uint8_t pl[48];
	pattern(pl, sizeof pl, 2);
	CU_ASSERT_EQUAL(add(t, &k, pl, 0, 16, true, 1, 0, &d), SA_OK);
	CU_ASSERT_EQUAL(add(t, &k, pl, 32, 16, false, 2, 1 * SEC, &d), SA_OK);
	CU_ASSERT_EQUAL(add(t, &k2, pl, 0, 8, true, 3, 20 * SEC, &d), SA_OK);
	ipfrag_expire(t, 30 * SEC);   /* exactly the timeout: not yet */
	CU_ASSERT_EQUAL(r.calls, 0);
	ipfrag_expire(t, 30 * SEC + 1);
	CU_ASSERT_EQUAL(r.calls, 1);
	CU_ASSERT_EQUAL(r.n, 2);
	CU_ASSERT_EQUAL(r.frames[0], 1);
	CU_ASSERT_EQUAL(r.frames[1], 2);
	CU_ASSERT_EQUAL(r.why[0], IPFRAG_DROP_TIMEOUT);
	/* The missing piece arrives too late: it starts a new datagram. */
	CU_ASSERT_EQUAL(add(t, &k, pl, 16, 16, true, 4, 31 * SEC, &d), SA_OK);
	CU_ASSERT_FALSE(d.complete);
	/* A later add expires k2 by itself, then k's new piece at 62 s. */
	CU_ASSERT_EQUAL(add(t, &k, pl, 0, 16, true, 5, 51 * SEC, &d), SA_OK);
	CU_ASSERT_EQUAL(r.n, 3);
	CU_ASSERT_EQUAL(r.frames[2], 3);
	ipfrag_expire(t, 62 * SEC);
	CU_ASSERT_EQUAL(r.n, 5);
	CU_ASSERT_EQUAL(r.frames[3], 4);
	CU_ASSERT_EQUAL(r.frames[4], 5);
	CU_ASSERT_EQUAL(ipfrag_stats(t)->dropped_timeout, 3);
	ipfrag_table_free(t);
}

static void test_eviction(void)
{
	struct rec r;
	struct ipfrag_limits lim = ipfrag_limits_default();
	struct ipfrag_table *t;
	struct ipfrag_key k1 = key4(1, 17), k2 = key4(2, 17), k3 = key4(3, 17);
	struct ipfrag_done d;
	uint8_t pl[24];
	lim.max_datagrams = 2;
	t = table_make(&r, &lim);
	pattern(pl, sizeof pl, 4);
	CU_ASSERT_EQUAL(add(t, &k1, pl, 0, 8, true, 1, 0, &d), SA_OK);
	CU_ASSERT_EQUAL(add(t, &k2, pl, 0, 8, true, 2, 0, &d), SA_OK);
	CU_ASSERT_EQUAL(add(t, &k1, pl, 8, 8, true, 3, 0, &d), SA_OK);
	CU_ASSERT_EQUAL(r.calls, 0);
	CU_ASSERT_EQUAL(add(t, &k3, pl, 0, 8, true, 4, 0, &d), SA_OK);
	CU_ASSERT_EQUAL(r.calls, 1);   /* k1, the oldest, goes */
	CU_ASSERT_EQUAL(r.n, 2);
	CU_ASSERT_EQUAL(r.frames[0], 1);
	CU_ASSERT_EQUAL(r.frames[1], 3);
	CU_ASSERT_EQUAL(r.why[0], IPFRAG_DROP_EVICTED);
	CU_ASSERT_EQUAL(add(t, &k2, pl, 8, 16, false, 5, 0, &d), SA_OK);
	CU_ASSERT_TRUE(d.complete);
	CU_ASSERT_EQUAL(d.nframes, 2);
	CU_ASSERT_EQUAL(ipfrag_stats(t)->dropped_evicted, 1);
	ipfrag_table_free(t);

	/* Byte cap: room for about one datagram's buffer. */
	lim = ipfrag_limits_default();
	lim.max_bytes = 6000;
	t = table_make(&r, &lim);
	CU_ASSERT_EQUAL(add(t, &k1, pl, 0, 8, true, 1, 0, &d), SA_OK);
	CU_ASSERT_EQUAL(add(t, &k2, pl, 0, 8, true, 2, 0, &d), SA_OK);
	CU_ASSERT_EQUAL(r.calls, 0);
	{
		static uint8_t big[4000];
		CU_ASSERT_EQUAL(ipfrag_add(t, &k3, 0, true, big, sizeof big, 3, 0, &d), SA_OK);
	}
	CU_ASSERT_EQUAL(r.n, 2);   /* both older datagrams made room */
	CU_ASSERT_EQUAL(r.frames[0], 1);
	CU_ASSERT_EQUAL(r.frames[1], 2);
	CU_ASSERT_EQUAL(ipfrag_stats(t)->dropped_evicted, 2);
	ipfrag_flush(t);
	CU_ASSERT_EQUAL(r.n, 3);
	CU_ASSERT_EQUAL(r.frames[2], 3);
	ipfrag_table_free(t);
}

static void test_v6_id_and_proto(void)
{
	struct rec r;
	struct ipfrag_table *t = table_make(&r, NULL);
	struct ipfrag_key hi = key6(0x80000001u, 17), lo = key6(0x00000001u, 17);
	struct ipfrag_key hi_other_nh = key6(0x80000001u, 60);
	struct ipfrag_done d;
	uint8_t ph[20], plo[20];
	pattern(ph, sizeof ph, 40);
	pattern(plo, sizeof plo, 50);
	CU_ASSERT_EQUAL(add(t, &hi, ph, 0, 8, true, 1, 0, &d), SA_OK);
	CU_ASSERT_EQUAL(add(t, &lo, plo, 8, 12, false, 2, 0, &d), SA_OK);
	CU_ASSERT_FALSE(d.complete);   /* ids differ only above 16 bits */
	/* RFC 8200 §4.5: Next Header is not in the key; offset 0's counts. */
	CU_ASSERT_EQUAL(add(t, &hi_other_nh, ph, 8, 12, false, 3, 0, &d), SA_OK);
	CU_ASSERT_TRUE(d.complete);
	CU_ASSERT_EQUAL(d.proto, 17);
	CU_ASSERT_EQUAL(d.len, 20);
	CU_ASSERT_EQUAL(memcmp(d.data, ph, 20), 0);
	CU_ASSERT_EQUAL(d.nframes, 2);
	CU_ASSERT_EQUAL(add(t, &lo, plo, 0, 8, true, 4, 0, &d), SA_OK);
	CU_ASSERT_TRUE(d.complete);
	CU_ASSERT_EQUAL(memcmp(d.data, plo, 20), 0);
	if (d.nframes == 2) {
		CU_ASSERT_EQUAL(d.frames[0], 2);
		CU_ASSERT_EQUAL(d.frames[1], 4);
	}
	/* IPv6 takes the full 32-bit id, IPv4 refuses it. */
	hi = key4(0x10000, 17);
	CU_ASSERT_EQUAL(add(t, &hi, ph, 0, 8, true, 5, 0, &d), SA_MALFORMED);
	ipfrag_table_free(t);
}

static void test_too_big(void)
{
	struct rec r;
	struct ipfrag_limits lim = ipfrag_limits_default();
	struct ipfrag_table *t;
	struct ipfrag_key k = key4(3, 17);
	struct ipfrag_done d;
	uint8_t pl[64];
	pattern(pl, sizeof pl, 6);
	lim.max_frags = 3;
	t = table_make(&r, &lim);
	CU_ASSERT_EQUAL(add(t, &k, pl, 0, 8, true, 1, 0, &d), SA_OK);
	CU_ASSERT_EQUAL(add(t, &k, pl, 0, 8, true, 2, 0, &d), SA_OK);
	CU_ASSERT_EQUAL(add(t, &k, pl, 8, 8, true, 3, 0, &d), SA_OK);
	CU_ASSERT_EQUAL(r.calls, 0);
	CU_ASSERT_EQUAL(add(t, &k, pl, 16, 8, false, 4, 0, &d), SA_OK);
	CU_ASSERT_FALSE(d.complete);
	CU_ASSERT_EQUAL(r.calls, 1);
	CU_ASSERT_EQUAL(r.n, 4);
	CU_ASSERT_EQUAL(r.frames[3], 4);
	CU_ASSERT_EQUAL(r.why[3], IPFRAG_DROP_TOO_BIG);
	CU_ASSERT_EQUAL(ipfrag_stats(t)->dropped_too_big, 1);
	ipfrag_table_free(t);

	/* One datagram larger than max_bytes on its own. */
	lim = ipfrag_limits_default();
	lim.max_bytes = 4096;
	t = table_make(&r, &lim);
	CU_ASSERT_EQUAL(add(t, &k, pl, 0, 8, true, 1, 0, &d), SA_OK);
	{
		static uint8_t big[8000];
		CU_ASSERT_EQUAL(ipfrag_add(t, &k, 8, true, big, sizeof big, 2, 0, &d), SA_OK);
	}
	CU_ASSERT_EQUAL(r.n, 2);
	CU_ASSERT_EQUAL(r.frames[0], 1);
	CU_ASSERT_EQUAL(r.frames[1], 2);
	CU_ASSERT_EQUAL(r.why[0], IPFRAG_DROP_TOO_BIG);
	ipfrag_table_free(t);
}

static void test_malformed(void)
{
	struct rec r;
	struct ipfrag_table *t = table_make(&r, NULL);
	struct ipfrag_key k = key4(11, 17), mixed = key4(12, 17);
	struct ipfrag_done d;
	static uint8_t pl[65536];
	pattern(pl, 64, 8);
	CU_ASSERT_EQUAL(add(t, &k, pl, 0, 16, true, 1, 0, &d), SA_OK);
	/* RFC 8200 §4.5: past 65535 bytes (the "ping of death"). */
	CU_ASSERT_EQUAL(ipfrag_add(t, &k, 65528, false, pl, 8, 2, 0, &d), SA_MALFORMED);
	CU_ASSERT_EQUAL(ipfrag_add(t, &k, 65528, false, pl, 7, 2, 0, &d), SA_OK);
	CU_ASSERT_FALSE(d.complete);   /* exactly 65535: allowed, pending */
	CU_ASSERT_EQUAL(r.calls, 0);
	/* Non-final fragment not a multiple of 8, empty, offset not aligned. */
	k.id = 13;
	CU_ASSERT_EQUAL(add(t, &k, pl, 0, 16, true, 3, 0, &d), SA_OK);
	CU_ASSERT_EQUAL(add(t, &k, pl, 16, 12, true, 4, 0, &d), SA_MALFORMED);
	CU_ASSERT_EQUAL(add(t, &k, pl, 16, 0, true, 4, 0, &d), SA_MALFORMED);
	CU_ASSERT_EQUAL(ipfrag_add(t, &k, 20, false, pl, 4, 4, 0, &d), SA_MALFORMED);
	CU_ASSERT_EQUAL(ipfrag_add(t, &k, 16, false, NULL, 4, 4, 0, &d), SA_MALFORMED);
	CU_ASSERT_TRUE(ipaddr_parse("2001:db8::9", &mixed.dst));
	CU_ASSERT_EQUAL(add(t, &mixed, pl, 0, 8, true, 4, 0, &d), SA_MALFORMED);
	CU_ASSERT_EQUAL(ipfrag_stats(t)->malformed, 6);
	/* The pending datagram was left alone: it still completes. */
	CU_ASSERT_EQUAL(add(t, &k, pl, 16, 12, false, 5, 0, &d), SA_OK);
	CU_ASSERT_TRUE(d.complete);
	CU_ASSERT_EQUAL(d.len, 28);
	CU_ASSERT_EQUAL(memcmp(d.data, pl, 28), 0);
	CU_ASSERT_EQUAL(d.nframes, 2);
	if (d.nframes == 2) {
		CU_ASSERT_EQUAL(d.frames[0], 3);
		CU_ASSERT_EQUAL(d.frames[1], 5);
	}
	ipfrag_flush(t);   /* id 11 never got its middle */
	CU_ASSERT_EQUAL(r.n, 2);
	CU_ASSERT_EQUAL(r.frames[0], 1);
	CU_ASSERT_EQUAL(r.frames[1], 2);
	ipfrag_table_free(t);
}

static void test_atomic(void)
{
	struct rec r;
	struct ipfrag_table *t = table_make(&r, NULL);
	struct ipfrag_key k = key6(77, 17);
	struct ipfrag_done d;
	uint8_t pl[24];
	pattern(pl, sizeof pl, 11);
	CU_ASSERT_EQUAL(add(t, &k, pl, 8, 8, true, 1, 0, &d), SA_OK);
	/* RFC 6946 §4: offset 0 and M = 0 is handled alone, zero copy. */
	CU_ASSERT_EQUAL(ipfrag_add(t, &k, 0, false, pl, 5, 2, 0, &d), SA_OK);
	CU_ASSERT_TRUE(d.complete);
	CU_ASSERT_PTR_EQUAL(d.data, pl);
	CU_ASSERT_EQUAL(d.len, 5);
	CU_ASSERT_EQUAL(d.nframes, 1);
	CU_ASSERT_EQUAL(d.frames[0], 2);
	CU_ASSERT_EQUAL(ipfrag_stats(t)->atomic, 1);
	ipfrag_flush(t);
	CU_ASSERT_EQUAL(r.n, 1);
	CU_ASSERT_EQUAL(r.frames[0], 1);
	ipfrag_table_free(t);
}

/* Every frame handed over comes back exactly once, whatever the mix of
 * orders, losses, duplicates, conflicts, evictions and timeouts. */
static void test_frame_accounting(void)
{
	static struct rec r;
	static uint8_t seen[20000];
	struct ipfrag_limits lim = ipfrag_limits_default();
	struct ipfrag_table *t;
	struct ipfrag_done d;
	uint8_t pl[256], bad[256];
	uint32_t rng = 12345;
	uint64_t frame, completed = 0, caller = 0;
	size_t i, twice = 0, missing = 0;
	lim.max_datagrams = 6;
	lim.max_frags = 24;
	lim.timeout_ns = 150;
	t = table_make(&r, &lim);
	pattern(pl, sizeof pl, 0);
	memcpy(bad, pl, sizeof bad);
	bad[100] ^= 1;
	for (frame = 1; frame < 20000; frame++) {
		struct ipfrag_key k;
		uint32_t off, len, sel;
		bool mf;
		enum sa_status st;
		rng = rng * 1103515245u + 12345u;
		sel = (rng >> 8) % 8;
		if ((rng >> 11) % 4)
			sel %= 2;   /* two busy datagrams, six rare ones */
		k = sel & 1 ? key4(sel >> 1, 17) : key6(sel >> 1, 17);
		off = ((rng >> 14) % 32) * 8;
		len = ((rng >> 19) % 8 + 1) * 8;
		mf = off + len < 256;
		if (off + len > 256)
			len = 256 - off;
		if ((rng >> 24) % 40 == 0)
			len = 5;   /* sometimes malformed (non-final) or a short final */
		st = ipfrag_add(t, &k, off, mf, ((rng >> 26) % 30 ? pl : bad) + off, len,
				frame, frame, &d);
		if (st != SA_OK) {
			seen[frame]++;
			caller++;
			continue;
		}
		if (d.complete) {
			completed++;
			CU_ASSERT_EQUAL(d.len, (size_t)256);
			for (i = 0; i < d.nframes; i++)
				seen[d.frames[i]]++;
		}
	}
	ipfrag_flush(t);
	for (i = 0; i < r.n; i++)
		seen[r.frames[i]]++;
	for (frame = 1; frame < 20000; frame++) {
		twice += seen[frame] > 1;
		missing += seen[frame] == 0;
	}
	CU_ASSERT_TRUE(r.n < MAXREC);
	CU_ASSERT_EQUAL(twice, 0);
	CU_ASSERT_EQUAL(missing, 0);
	CU_ASSERT_TRUE(completed > 0);
	CU_ASSERT_TRUE(caller > 0);
	CU_ASSERT_TRUE(ipfrag_stats(t)->dropped_conflict > 0);
	CU_ASSERT_TRUE(ipfrag_stats(t)->dropped_evicted > 0);
	CU_ASSERT_TRUE(ipfrag_stats(t)->dropped_timeout > 0);
	CU_ASSERT_TRUE(ipfrag_stats(t)->dropped_too_big > 0);
	CU_ASSERT_TRUE(ipfrag_stats(t)->frames_after_conflict > 0);
	ipfrag_table_free(t);
}

static const CU_TestInfo tests[] = {
	{ "IPv4 fragments in order", test_v4_in_order },
	{ "IPv4 fragments reversed, odd final length", test_v4_reversed },
	{ "two datagrams interleaved, proto in the v4 key", test_v4_interleaved },
	{ "identical overlaps accepted and counted", test_identical_overlap },
	{ "conflicting overlap drops once, late frames too", test_conflicting_overlap },
	{ "conflicting total lengths", test_conflicting_lengths },
	{ "missing piece times out through on_drop", test_timeout },
	{ "eviction by datagram and byte caps", test_eviction },
	{ "IPv6 32-bit id, Next Header not in key", test_v6_id_and_proto },
	{ "too many fragments / too many bytes", test_too_big },
	{ "malformed fragments stay the caller's", test_malformed },
	{ "IPv6 atomic fragment", test_atomic },
	{ "every frame reported exactly once (random mix)", test_frame_accounting },
	CU_TEST_INFO_NULL,
};
#define SUITE_NAME "ipfrag"
#include "cu_main.h"
