/* ipfrag.c - IPv4/IPv6 fragment reassembly (see ipfrag.h, docs/reassembly.md).
 *
 * Each pending datagram keeps a byte buffer for its payload, a bitmap of
 * the 8-octet blocks received (fragment offsets are in 8-octet units,
 * RFC 791 §3.2, RFC 8200 §4.5, and only the final fragment may end inside a
 * block) and the frame numbers that carried it.  Datagrams sit in a seeded
 * hash table and on an age list (oldest first) used for timeouts and
 * eviction.
 */
#include "ipfrag.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BLOCKS (65536u / 8u)   /* 8-octet blocks in a 64 KiB payload */

struct ipfrag_dg {
	struct ipfrag_dg *hnext;          /* hash chain */
	struct ipfrag_dg *older, *newer;  /* age list */
	struct ipfrag_key key;
	uint64_t hash;
	uint64_t first_ts;
	uint8_t *buf;                     /* payload bytes, cap allocated */
	size_t cap;
	uint64_t *frames;                 /* arrival order */
	size_t nframes, frames_cap;
	size_t charged;                   /* bytes counted in table->bytes */
	uint32_t total;                   /* payload length, once final seen */
	uint32_t max_end;                 /* highest byte received + 1 */
	uint32_t covered;                 /* blocks received */
	bool total_known;
	bool dead;                        /* conflicted: late fragments are dropped */
	uint8_t proto;
	uint8_t bitmap[BLOCKS / 8];
};

struct ipfrag_table {
	struct ipfrag_limits lim;
	struct ipfrag_callbacks cb;
	struct ipfrag_dg **buckets;       /* allocated on first fragment */
	size_t nbuckets;                  /* power of two */
	uint64_t seed;
	struct ipfrag_dg *oldest, *newest;
	size_t count;
	size_t bytes;
	struct ipfrag_dg *done;           /* returned by the last call */
	uint64_t single_frame;            /* frames view for atomic fragments */
	struct ipfrag_stats stats;
};

struct ipfrag_limits ipfrag_limits_default(void)
{
	struct ipfrag_limits l = {
		.max_datagrams = 4096,
		.max_bytes = 16u << 20,
		.timeout_ns = 30ull * 1000000000ull,
		.max_frags = 128,
	};
	return l;
}

const char *ipfrag_drop_name(enum ipfrag_drop why)
{
	switch (why) {
	case IPFRAG_DROP_TIMEOUT: return "timeout";
	case IPFRAG_DROP_EVICTED: return "evicted";
	case IPFRAG_DROP_CONFLICT: return "conflict";
	case IPFRAG_DROP_TOO_BIG: return "too_big";
	case IPFRAG_DROP_FLUSH: return "flush";
	}
	return "unknown";
}

static uint64_t seed_make(const void *p)
{
	struct timespec ts;
	uint64_t s = (uint64_t)(uintptr_t)p;
	if (clock_gettime(CLOCK_MONOTONIC, &ts) == 0)
		s ^= (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ULL ^ (uint64_t)ts.tv_sec;
	return s;
}

struct ipfrag_table *ipfrag_table_new(const struct ipfrag_limits *limits,
				      const struct ipfrag_callbacks *cb)
{
	struct ipfrag_limits d = ipfrag_limits_default();
	struct ipfrag_table *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->lim = limits ? *limits : d;
	if (!t->lim.max_datagrams)
		t->lim.max_datagrams = d.max_datagrams;
	if (!t->lim.max_bytes)
		t->lim.max_bytes = d.max_bytes;
	if (!t->lim.timeout_ns)
		t->lim.timeout_ns = d.timeout_ns;
	if (!t->lim.max_frags)
		t->lim.max_frags = d.max_frags;
	if (cb)
		t->cb = *cb;
	t->seed = seed_make(t);
	return t;
}

static bool is_v6(const struct ipfrag_key *k)
{
	return k->src.family == SA_AF_INET6;
}

static uint64_t key_hash(const struct ipfrag_table *t, const struct ipfrag_key *k)
{
	struct endpoint e = { .ip = k->src, .port = (uint16_t)(k->id & 0xffff) };
	uint64_t h = endpoint_hash(&e, t->seed);
	e.ip = k->dst;
	e.port = (uint16_t)(k->id >> 16);
	h = endpoint_hash(&e, h);
	if (!is_v6(k))   /* RFC 8200 §4.5: Next Header is not part of the IPv6 key */
		h = (h ^ k->proto) * 1099511628211ULL;
	return h;
}

static bool key_eq(const struct ipfrag_key *a, const struct ipfrag_key *b)
{
	if (a->id != b->id || !ipaddr_eq(&a->src, &b->src) || !ipaddr_eq(&a->dst, &b->dst))
		return false;
	return is_v6(a) || a->proto == b->proto;
}

static struct ipfrag_dg **bucket_of(struct ipfrag_table *t, uint64_t h)
{
	return &t->buckets[h & (t->nbuckets - 1)];
}

/* Take dg out of the hash chain and the age list (memory stays charged). */
static void dg_unlink(struct ipfrag_table *t, struct ipfrag_dg *dg)
{
	struct ipfrag_dg **pp = bucket_of(t, dg->hash);
	while (*pp && *pp != dg)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = dg->hnext;
	if (dg->older)
		dg->older->newer = dg->newer;
	else
		t->oldest = dg->newer;
	if (dg->newer)
		dg->newer->older = dg->older;
	else
		t->newest = dg->older;
	dg->hnext = dg->older = dg->newer = NULL;
	t->count--;
}

static void dg_free(struct ipfrag_table *t, struct ipfrag_dg *dg)
{
	t->bytes -= dg->charged;
	free(dg->buf);
	free(dg->frames);
	free(dg);
}

static void release_done(struct ipfrag_table *t)
{
	if (t->done) {
		dg_free(t, t->done);
		t->done = NULL;
	}
}

static void count_drop(struct ipfrag_table *t, enum ipfrag_drop why)
{
	switch (why) {
	case IPFRAG_DROP_TIMEOUT: t->stats.dropped_timeout++; break;
	case IPFRAG_DROP_EVICTED: t->stats.dropped_evicted++; break;
	case IPFRAG_DROP_CONFLICT: t->stats.dropped_conflict++; break;
	case IPFRAG_DROP_TOO_BIG: t->stats.dropped_too_big++; break;
	case IPFRAG_DROP_FLUSH: t->stats.dropped_flush++; break;
	}
}

static void report(struct ipfrag_table *t, const uint64_t *frames, size_t n,
		   enum ipfrag_drop why)
{
	if (n && t->cb.on_drop)
		t->cb.on_drop(t->cb.ctx, frames, n, why);
}

/* Remove dg for good and report its frames.  A conflicted datagram stays
 * as a tombstone (RFC 5722 §4: fragments not yet received are discarded
 * too); a tombstone that goes away reports nothing: its frames are out. */
static void dg_drop(struct ipfrag_table *t, struct ipfrag_dg *dg, enum ipfrag_drop why)
{
	if (!dg->dead) {
		count_drop(t, why);
		report(t, dg->frames, dg->nframes, why);
	}
	if (why == IPFRAG_DROP_CONFLICT) {
		size_t freed = dg->cap + dg->frames_cap * sizeof *dg->frames;
		dg->dead = true;
		free(dg->buf);
		free(dg->frames);
		dg->buf = NULL;
		dg->frames = NULL;
		dg->cap = dg->nframes = dg->frames_cap = 0;
		t->bytes -= freed;
		dg->charged -= freed;
		return;
	}
	dg_unlink(t, dg);
	dg_free(t, dg);
}

/* Drop dg and the frame being added with it, reporting each frame once. */
static void dg_drop_with(struct ipfrag_table *t, struct ipfrag_dg *dg,
			 enum ipfrag_drop why, uint64_t frame)
{
	if (dg->nframes == dg->frames_cap) {
		uint64_t *f = realloc(dg->frames, (dg->frames_cap + 1) * sizeof *f);
		if (f) {   /* charged briefly: the datagram goes away now */
			dg->frames = f;
			dg->frames_cap++;
			dg->charged += sizeof *f;
			t->bytes += sizeof *f;
		}
	}
	if (dg->nframes < dg->frames_cap) {
		dg->frames[dg->nframes++] = frame;
		dg_drop(t, dg, why);
		return;
	}
	/* Out of memory: report it on its own, right after the others. */
	dg_drop(t, dg, why);
	report(t, &frame, 1, why);
}

static bool expired(const struct ipfrag_table *t, const struct ipfrag_dg *dg, uint64_t now)
{
	return now > dg->first_ts && now - dg->first_ts > t->lim.timeout_ns;
}

void ipfrag_expire(struct ipfrag_table *t, uint64_t now_ns)
{
	if (!t)
		return;
	release_done(t);
	while (t->oldest && expired(t, t->oldest, now_ns))
		dg_drop(t, t->oldest, IPFRAG_DROP_TIMEOUT);
}

void ipfrag_flush(struct ipfrag_table *t)
{
	if (!t)
		return;
	release_done(t);
	while (t->oldest)
		dg_drop(t, t->oldest, IPFRAG_DROP_FLUSH);
}

/* Evict the oldest datagrams other than keep until `extra` more bytes fit
 * under max_bytes.  False when they cannot fit even then. */
static bool make_room(struct ipfrag_table *t, const struct ipfrag_dg *keep, size_t extra)
{
	while (t->bytes + extra > t->lim.max_bytes) {
		struct ipfrag_dg *victim = t->oldest;
		if (victim && victim == keep)
			victim = victim->newer;
		if (!victim)
			return false;
		dg_drop(t, victim, IPFRAG_DROP_EVICTED);   /* frees it */
	}
	return true;
}

static enum sa_status dg_create(struct ipfrag_table *t, const struct ipfrag_key *key,
				uint64_t h, uint64_t ts, struct ipfrag_dg **out)
{
	struct ipfrag_dg *dg, **b;
	if (t->count >= t->lim.max_datagrams)
		dg_drop(t, t->oldest, IPFRAG_DROP_EVICTED);
	if (!make_room(t, NULL, sizeof *dg))
		return SA_NOMEM;
	dg = calloc(1, sizeof *dg);
	if (!dg)
		return SA_NOMEM;
	dg->key = *key;
	dg->hash = h;
	dg->first_ts = ts;
	dg->charged = sizeof *dg;
	t->bytes += dg->charged;
	b = bucket_of(t, h);
	dg->hnext = *b;
	*b = dg;
	dg->older = t->newest;
	if (t->newest)
		t->newest->newer = dg;
	else
		t->oldest = dg;
	t->newest = dg;
	t->count++;
	*out = dg;
	return SA_OK;
}

/* Grow an array/buffer to hold `need`, charging the table.  Returns SA_OK,
 * SA_NOMEM (allocation failed) or SA_UNSUPPORTED (over max_bytes even after
 * evicting every other datagram). */
static enum sa_status dg_reserve(struct ipfrag_table *t, struct ipfrag_dg *dg,
				 uint32_t end, size_t nframes)
{
	if (nframes > dg->frames_cap) {
		size_t n = dg->frames_cap ? dg->frames_cap * 2 : 8;
		uint64_t *f;
		if (n > t->lim.max_frags + 1u)
			n = t->lim.max_frags + 1u;   /* +1: room to report the overflowing frame */
		if (!make_room(t, dg, (n - dg->frames_cap) * sizeof *f))
			return SA_UNSUPPORTED;
		f = realloc(dg->frames, n * sizeof *f);
		if (!f)
			return SA_NOMEM;
		t->bytes += (n - dg->frames_cap) * sizeof *f;
		dg->charged += (n - dg->frames_cap) * sizeof *f;
		dg->frames = f;
		dg->frames_cap = n;
	}
	if (end > dg->cap) {
		size_t n = dg->total_known ? dg->total : dg->cap * 2;
		uint8_t *b;
		if (n < end)
			n = end;
		if (n < 512)
			n = 512;
		if (n > IPFRAG_MAX_PAYLOAD)
			n = IPFRAG_MAX_PAYLOAD;
		if (!make_room(t, dg, n - dg->cap))
			return SA_UNSUPPORTED;
		b = realloc(dg->buf, n);
		if (!b)
			return SA_NOMEM;
		t->bytes += n - dg->cap;
		dg->charged += n - dg->cap;
		dg->buf = b;
		dg->cap = n;
	}
	return SA_OK;
}

static bool bit_get(const struct ipfrag_dg *dg, uint32_t blk)
{
	return dg->bitmap[blk >> 3] & (1u << (blk & 7));
}

/* Compare the new fragment with bytes already received over the blocks
 * they share.  Returns -1 on a conflict, else the number of shared blocks. */
static int overlap_check(const struct ipfrag_dg *dg, uint32_t off,
			 const uint8_t *data, uint32_t len)
{
	uint32_t end = off + len, blk;
	int shared = 0;
	for (blk = off / 8; blk * 8 < end; blk++) {
		uint32_t s = blk * 8, e = s + 8 < end ? s + 8 : end;
		if (!bit_get(dg, blk))
			continue;
		/* Checked before: e never exceeds what the block holds. */
		if (memcmp(dg->buf + s, data + (s - off), e - s) != 0)
			return -1;
		shared++;
	}
	return shared;
}

static void dg_store(struct ipfrag_dg *dg, uint32_t off, const uint8_t *data, uint32_t len)
{
	uint32_t end = off + len, blk;
	if (len)
		memcpy(dg->buf + off, data, len);
	for (blk = off / 8; blk * 8 < end; blk++) {
		if (!bit_get(dg, blk)) {
			dg->bitmap[blk >> 3] |= (uint8_t)(1u << (blk & 7));
			dg->covered++;
		}
	}
	if (end > dg->max_end)
		dg->max_end = end;
}

static struct ipfrag_dg *dg_find(struct ipfrag_table *t, const struct ipfrag_key *key, uint64_t h)
{
	struct ipfrag_dg *dg;
	for (dg = *bucket_of(t, h); dg; dg = dg->hnext)
		if (dg->hash == h && key_eq(&dg->key, key))
			return dg;
	return NULL;
}

static enum sa_status check_fragment(const struct ipfrag_key *key, uint32_t off,
				     bool mf, const uint8_t *data, size_t len)
{
	uint8_t fam = key->src.family;
	if ((fam != SA_AF_INET && fam != SA_AF_INET6) || key->dst.family != fam)
		return SA_MALFORMED;
	if (fam == SA_AF_INET && key->id > 0xffff)   /* RFC 791 §3.1: 16-bit id */
		return SA_MALFORMED;
	if (!data && len)
		return SA_MALFORMED;
	/* RFC 791 §3.2 / RFC 8200 §4.5: offsets count 8-octet units; only the
	 * last fragment may end off a boundary; 65535 is the most a datagram
	 * may carry (RFC 8200 §4.5 discards a fragment that goes past it). */
	if (off % 8 || (uint64_t)off + len > IPFRAG_MAX_PAYLOAD)
		return SA_MALFORMED;
	if (mf && (len == 0 || len % 8))
		return SA_MALFORMED;
	return SA_OK;
}

enum sa_status ipfrag_add(struct ipfrag_table *t, const struct ipfrag_key *key,
			  uint32_t offset_bytes, bool more_fragments,
			  const uint8_t *data, size_t len, uint64_t frame,
			  uint64_t ts_ns, struct ipfrag_done *out)
{
	struct ipfrag_dg *dg;
	enum sa_status st;
	uint32_t off = offset_bytes, end, n;
	uint64_t h;
	int shared;

	release_done(t);
	memset(out, 0, sizeof *out);
	st = check_fragment(key, off, more_fragments, data, len);
	if (st != SA_OK) {
		t->stats.malformed++;
		return st;
	}
	n = (uint32_t)len;
	end = off + n;
	if (off == 0 && !more_fragments) {
		/* RFC 6946 §4: an atomic fragment is processed in isolation. */
		t->single_frame = frame;
		out->complete = true;
		out->data = data;
		out->len = len;
		out->frames = &t->single_frame;
		out->nframes = 1;
		out->proto = key->proto;
		t->stats.atomic++;
		return SA_OK;
	}
	ipfrag_expire(t, ts_ns);
	if (!t->buckets) {
		size_t nb = 16;
		while (nb < t->lim.max_datagrams && nb < (1u << 20))
			nb *= 2;
		t->buckets = calloc(nb, sizeof *t->buckets);
		if (!t->buckets)
			return SA_NOMEM;
		t->nbuckets = nb;
	}
	h = key_hash(t, key);
	dg = dg_find(t, key, h);
	if (dg && dg->dead) {
		/* RFC 5722 §4: late fragments of a conflicted datagram go too. */
		t->stats.frames_after_conflict++;
		report(t, &frame, 1, IPFRAG_DROP_CONFLICT);
		return SA_OK;
	}
	if (!dg) {
		st = dg_create(t, key, h, ts_ns, &dg);
		if (st != SA_OK)
			return st;
	}

	/* Lengths must agree (RFC 8200 §4.5; RFC 5722 §4 for the safe policy):
	 * one final length, nothing received past it. */
	if (dg->nframes && ((!more_fragments && ((dg->total_known && dg->total != end) ||
						 dg->max_end > end)) ||
			    (more_fragments && dg->total_known && end > dg->total))) {
		dg_drop_with(t, dg, IPFRAG_DROP_CONFLICT, frame);
		return SA_OK;
	}
	if (dg->nframes >= t->lim.max_frags) {
		dg_drop_with(t, dg, IPFRAG_DROP_TOO_BIG, frame);
		return SA_OK;
	}
	st = dg_reserve(t, dg, end, dg->nframes + 1);
	if (st == SA_NOMEM) {
		if (!dg->nframes) {
			dg_unlink(t, dg);
			dg_free(t, dg);
		}
		return st;
	}
	if (st != SA_OK) {
		dg_drop_with(t, dg, IPFRAG_DROP_TOO_BIG, frame);
		return SA_OK;
	}
	shared = overlap_check(dg, off, data, n);
	if (shared < 0) {
		/* RFC 5722 §4 (IPv6); the same policy for IPv4. */
		dg_drop_with(t, dg, IPFRAG_DROP_CONFLICT, frame);
		return SA_OK;
	}
	if (shared > 0)
		t->stats.overlaps_identical++;
	dg_store(dg, off, data, n);
	dg->frames[dg->nframes++] = frame;
	if (off == 0)
		dg->proto = key->proto;
	if (!more_fragments) {
		dg->total_known = true;
		dg->total = end;
	}
	if (dg->total_known && dg->covered == (dg->total + 7) / 8) {
		dg_unlink(t, dg);
		t->done = dg;
		t->stats.reassembled++;
		out->complete = true;
		out->data = dg->buf;
		out->len = dg->total;
		out->frames = dg->frames;
		out->nframes = dg->nframes;
		out->proto = dg->proto;
	}
	return SA_OK;
}

void ipfrag_table_free(struct ipfrag_table *t)
{
	if (!t)
		return;
	release_done(t);
	while (t->oldest) {
		struct ipfrag_dg *dg = t->oldest;
		dg_unlink(t, dg);
		dg_free(t, dg);
	}
	free(t->buckets);
	free(t);
}

const struct ipfrag_stats *ipfrag_stats(const struct ipfrag_table *t)
{
	return &t->stats;
}
