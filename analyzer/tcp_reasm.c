/* tcp_reasm.c - TCP stream reassembly (see tcp_reasm.h, docs/reassembly.md).
 *
 * Streams live in a seeded hash table (symmetric hash, so both directions
 * find the same stream) and on an activity list, least recently active
 * first, used for idle expiry and eviction.  Each direction keeps the next
 * sequence number it expects and a sorted list of copied out-of-order
 * segments.
 */
#include "tcp_reasm.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* RFC 7323 §2.3: a window never exceeds 2^30 bytes; data further ahead of
 * what we expect cannot be valid. */
#define WINDOW_MAX (1u << 30)

struct seg_node {
	struct seg_node *next;
	uint32_t seq;
	uint32_t len;
	uint64_t frame;
	uint64_t ts;
	uint8_t data[];
};

struct tcp_dir {
	struct seg_node *head, *tail;   /* sorted by seq */
	size_t buffered;                /* charged bytes */
	uint32_t next_seq;              /* next byte to deliver */
	uint32_t isn;                   /* when syn_seen */
	uint32_t fin_seq;               /* sequence number of the FIN */
	uint64_t fin_frame;
	bool seq_known, syn_seen, fin_seen, done;
};

struct tcp_stream {
	struct tcp_stream *hnext;
	struct tcp_stream *prev, *next;  /* activity list */
	struct five_tuple tuple;         /* src = direction 0 sender */
	uint64_t hash;
	uint64_t last_ts;
	void *user;
	struct tcp_dir dir[2];
};

struct tcp_table {
	struct tcp_limits lim;
	struct tcp_callbacks cb;
	struct tcp_stream **buckets;     /* allocated with the first stream */
	size_t nbuckets;                 /* power of two */
	uint64_t seed;
	struct tcp_stream *lru, *mru;
	size_t count;
	size_t buffered;                 /* charged bytes, all streams */
	struct tcp_stats stats;
};

struct tcp_limits tcp_limits_default(void)
{
	struct tcp_limits l = {
		.max_streams = 65536,
		.max_buffered = 1u << 20,
		.idle_timeout_ns = 300ull * 1000000000ull,
		.max_total_buffered = 64u << 20,
	};
	return l;
}

/* RFC 1982 / RFC 9293 §3.4: a - b as a signed distance modulo 2^32. */
static int64_t seq_diff(uint32_t a, uint32_t b)
{
	uint32_t d = a - b;
	return d < 0x80000000u ? (int64_t)d : (int64_t)d - 0x100000000LL;
}

struct tcp_table *tcp_table_new(const struct tcp_limits *limits,
				const struct tcp_callbacks *cb)
{
	struct tcp_limits d = tcp_limits_default();
	struct tcp_table *t = calloc(1, sizeof *t);
	struct timespec ts;
	if (!t)
		return NULL;
	t->lim = limits ? *limits : d;
	if (!t->lim.max_streams)
		t->lim.max_streams = d.max_streams;
	if (!t->lim.max_buffered)
		t->lim.max_buffered = d.max_buffered;
	if (!t->lim.idle_timeout_ns)
		t->lim.idle_timeout_ns = d.idle_timeout_ns;
	if (!t->lim.max_total_buffered)
		t->lim.max_total_buffered = d.max_total_buffered;
	if (cb)
		t->cb = *cb;
	t->seed = (uint64_t)(uintptr_t)t * 0x9e3779b97f4a7c15ULL;
	if (clock_gettime(CLOCK_MONOTONIC, &ts) == 0)
		t->seed ^= (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 32);
	return t;
}

void *tcp_stream_user(const struct tcp_stream *s) { return s->user; }
void tcp_stream_set_user(struct tcp_stream *s, void *user) { s->user = user; }
const struct five_tuple *tcp_stream_tuple(const struct tcp_stream *s) { return &s->tuple; }
const struct tcp_stats *tcp_table_stats(const struct tcp_table *t) { return &t->stats; }

/* Same value for both directions of a connection. */
static uint64_t tuple_hash(const struct tcp_table *t, const struct five_tuple *ft)
{
	return endpoint_hash(&ft->src, t->seed) + endpoint_hash(&ft->dst, t->seed);
}

static struct tcp_stream **bucket_of(struct tcp_table *t, uint64_t h)
{
	return &t->buckets[h & (t->nbuckets - 1)];
}

/* Find the stream of ft; *dir tells which direction ft.src sends. */
static struct tcp_stream *stream_find(struct tcp_table *t, const struct five_tuple *ft,
				      uint64_t h, int *dir)
{
	struct tcp_stream *s;
	for (s = *bucket_of(t, h); s; s = s->hnext) {
		if (s->hash != h)
			continue;
		if (endpoint_eq(&s->tuple.src, &ft->src) && endpoint_eq(&s->tuple.dst, &ft->dst)) {
			*dir = 0;
			return s;
		}
		if (endpoint_eq(&s->tuple.src, &ft->dst) && endpoint_eq(&s->tuple.dst, &ft->src)) {
			*dir = 1;
			return s;
		}
	}
	return NULL;
}

static void lru_unlink(struct tcp_table *t, struct tcp_stream *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		t->lru = s->next;
	if (s->next)
		s->next->prev = s->prev;
	else
		t->mru = s->prev;
	s->prev = s->next = NULL;
}

static void lru_append(struct tcp_table *t, struct tcp_stream *s)
{
	s->prev = t->mru;
	s->next = NULL;
	if (t->mru)
		t->mru->next = s;
	else
		t->lru = s;
	t->mru = s;
}

static void node_free(struct tcp_table *t, struct tcp_dir *d, struct seg_node *n)
{
	size_t charge = n->len + TCP_REASM_SEG_OVERHEAD;
	d->buffered -= charge;
	t->buffered -= charge;
	free(n);
}

static void dir_clear(struct tcp_table *t, struct tcp_dir *d)
{
	while (d->head) {
		struct seg_node *n = d->head;
		d->head = n->next;
		node_free(t, d, n);
	}
	d->tail = NULL;
}

/* Hand len bytes at next_seq to the upper layer, never past a FIN. */
static void deliver(struct tcp_table *t, struct tcp_stream *s, int di,
		    const uint8_t *p, size_t len, uint64_t frame, uint64_t ts)
{
	struct tcp_dir *d = &s->dir[di];
	if (d->fin_seen) {
		int64_t room = seq_diff(d->fin_seq, d->next_seq);
		if (room < 0)
			room = 0;
		if ((uint64_t)room < len)
			len = (size_t)room;
	}
	if (!len)
		return;
	d->next_seq += (uint32_t)len;
	if (t->cb.on_data)
		t->cb.on_data(t->cb.ctx, s, di, p, len, frame, ts);
}

static void gap_to(struct tcp_table *t, struct tcp_stream *s, int di,
		   uint32_t target, uint64_t frame)
{
	struct tcp_dir *d = &s->dir[di];
	int64_t missing = seq_diff(target, d->next_seq);
	if (missing <= 0)
		return;
	d->next_seq = target;
	t->stats.gaps++;
	t->stats.gap_bytes += (uint64_t)missing;
	if (t->cb.on_gap)
		t->cb.on_gap(t->cb.ctx, s, di, (uint64_t)missing, frame);
}

/* RFC 9293 §3.10.7.4: the FIN is processed once everything before it is. */
static void fin_check(struct tcp_table *t, struct tcp_dir *d)
{
	if (d->fin_seen && !d->done && d->next_seq == d->fin_seq) {
		d->done = true;
		d->next_seq = d->fin_seq + 1;   /* FIN occupies one number */
		dir_clear(t, d);
	}
}

/* Deliver buffered segments that have become in order. */
static void drain(struct tcp_table *t, struct tcp_stream *s, int di)
{
	struct tcp_dir *d = &s->dir[di];
	while (d->head && !d->done && seq_diff(d->head->seq, d->next_seq) <= 0) {
		struct seg_node *n = d->head;
		int64_t trim = seq_diff(d->next_seq, n->seq);
		d->head = n->next;
		if (!d->head)
			d->tail = NULL;
		if (trim >= (int64_t)n->len)
			t->stats.retransmissions++;   /* overtaken while it waited */
		else
			deliver(t, s, di, n->data + trim, n->len - (size_t)trim, n->frame, n->ts);
		node_free(t, d, n);
		fin_check(t, d);
	}
	fin_check(t, d);
}

/* Deliver everything buffered in direction di, declaring holes as gaps,
 * and the hole before a FIN whose bytes never came. */
static void dir_flush(struct tcp_table *t, struct tcp_stream *s, int di)
{
	struct tcp_dir *d = &s->dir[di];
	while (d->head && !d->done) {
		gap_to(t, s, di, d->head->seq, d->head->frame);
		drain(t, s, di);
	}
	if (d->fin_seen && !d->done) {
		gap_to(t, s, di, d->fin_seq, d->fin_frame);
		fin_check(t, d);
	}
	dir_clear(t, d);
}

static void stream_close(struct tcp_table *t, struct tcp_stream *s, bool flush)
{
	struct tcp_stream **pp = bucket_of(t, s->hash);
	if (flush) {
		dir_flush(t, s, 0);
		dir_flush(t, s, 1);
	}
	if (t->cb.on_close)
		t->cb.on_close(t->cb.ctx, s);
	dir_clear(t, &s->dir[0]);
	dir_clear(t, &s->dir[1]);
	while (*pp && *pp != s)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = s->hnext;
	lru_unlink(t, s);
	t->count--;
	free(s);
}

void tcp_table_expire(struct tcp_table *t, uint64_t now_ns)
{
	if (!t)
		return;
	while (t->lru && now_ns > t->lru->last_ts &&
	       now_ns - t->lru->last_ts > t->lim.idle_timeout_ns) {
		t->stats.expired++;
		stream_close(t, t->lru, true);
	}
}

void tcp_table_flush(struct tcp_table *t)
{
	if (!t)
		return;
	while (t->lru)
		stream_close(t, t->lru, true);
}

void tcp_table_free(struct tcp_table *t)
{
	if (!t)
		return;
	while (t->lru)
		stream_close(t, t->lru, false);
	free(t->buckets);
	free(t);
}

static enum sa_status stream_create(struct tcp_table *t, const struct tcp_segment *seg,
				    uint64_t h, struct tcp_stream **out, int *dir)
{
	struct tcp_stream *s, **b;
	bool synack = (seg->flags & (TCP_FLAG_SYN | TCP_FLAG_ACK)) ==
		      (TCP_FLAG_SYN | TCP_FLAG_ACK);
	if (!t->buckets) {
		size_t nb = 16;
		while (nb < t->lim.max_streams && nb < (1u << 22))
			nb *= 2;
		t->buckets = calloc(nb, sizeof *t->buckets);
		if (!t->buckets)
			return SA_NOMEM;
		t->nbuckets = nb;
	}
	if (t->count >= t->lim.max_streams) {
		t->stats.evicted++;
		stream_close(t, t->lru, true);
	}
	s = calloc(1, sizeof *s);
	if (!s)
		return SA_NOMEM;
	/* Direction 0 is the opener: the receiver of a SYN-ACK seen first. */
	s->tuple = seg->tuple;
	*dir = 0;
	if (synack) {
		s->tuple.src = seg->tuple.dst;
		s->tuple.dst = seg->tuple.src;
		*dir = 1;
	}
	s->hash = h;
	b = bucket_of(t, h);
	s->hnext = *b;
	*b = s;
	lru_append(t, s);
	t->count++;
	t->stats.streams++;
	*out = s;
	return SA_OK;
}

/* Copy an out-of-order segment into the sorted list of direction di. */
static enum sa_status buffer_insert(struct tcp_table *t, struct tcp_dir *d, uint32_t seq,
				    const uint8_t *p, size_t len, uint64_t frame, uint64_t ts)
{
	struct seg_node *n, **pp = &d->head;
	if (d->tail && seq_diff(seq, d->tail->seq) > 0) {
		pp = &d->tail->next;   /* the usual case: after the last one */
	} else {
		while (*pp && seq_diff((*pp)->seq, seq) < 0)
			pp = &(*pp)->next;
	}
	/* Same start, already as long: a retransmission of a waiting segment. */
	if (*pp && (*pp)->seq == seq && (*pp)->len >= len) {
		t->stats.retransmissions++;
		return SA_OK;
	}
	n = malloc(sizeof *n + len);
	if (!n) {
		t->stats.nomem++;
		return SA_NOMEM;
	}
	n->seq = seq;
	n->len = (uint32_t)len;
	n->frame = frame;
	n->ts = ts;
	memcpy(n->data, p, len);
	n->next = *pp;
	*pp = n;
	if (!n->next)
		d->tail = n;
	d->buffered += len + TCP_REASM_SEG_OVERHEAD;
	t->buffered += len + TCP_REASM_SEG_OVERHEAD;
	return SA_OK;
}

/* Bytes of one direction; data_seq is the sequence number of payload[0]. */
static enum sa_status dir_data(struct tcp_table *t, struct tcp_stream *s, int di,
			       uint32_t data_seq, const struct tcp_segment *seg)
{
	struct tcp_dir *d = &s->dir[di];
	const uint8_t *p = seg->payload;
	size_t len = seg->len, charge = len + TCP_REASM_SEG_OVERHEAD;
	uint32_t end = data_seq + (uint32_t)len;

	if (seq_diff(end, d->next_seq) <= 0) {
		t->stats.retransmissions++;   /* nothing new */
		return SA_OK;
	}
	if (seq_diff(data_seq, d->next_seq) > (int64_t)WINDOW_MAX) {
		t->stats.out_of_window++;
		return SA_OK;
	}
	if (d->fin_seen && seq_diff(data_seq, d->fin_seq) >= 0)
		return SA_OK;   /* past the FIN: not part of the stream */
	if (seq_diff(data_seq, d->next_seq) > 0)
		t->stats.out_of_order++;
	for (;;) {
		int64_t rel = seq_diff(data_seq, d->next_seq);
		if (seq_diff(end, d->next_seq) <= 0)
			return SA_OK;   /* a forced gap's drain went past it */
		if (rel <= 0) {
			/* In order (perhaps overlapping what we have): deliver
			 * from the caller's bytes, no copy. */
			size_t trim = (size_t)-rel;   /* < len: end is ahead */
			deliver(t, s, di, p + trim, len - trim, seg->frame, seg->ts_ns);
			drain(t, s, di);
			return SA_OK;
		}
		if (d->buffered + charge <= t->lim.max_buffered &&
		    t->buffered + charge <= t->lim.max_total_buffered)
			return buffer_insert(t, d, data_seq, p, len, seg->frame, seg->ts_ns);
		/* A cap is hit: the hole before the earliest waiting bytes
		 * will not be filled in time; declare it and move on. */
		if (d->head && seq_diff(d->head->seq, data_seq) < 0) {
			gap_to(t, s, di, d->head->seq, d->head->frame);
			drain(t, s, di);
			if (d->done)
				return SA_OK;
		} else {
			gap_to(t, s, di, data_seq, seg->frame);
		}
	}
}

static void dir_segment(struct tcp_table *t, struct tcp_stream *s, int di,
			const struct tcp_segment *seg, enum sa_status *st)
{
	struct tcp_dir *d = &s->dir[di];
	uint32_t data_seq = seg->seq;

	if (seg->flags & TCP_FLAG_SYN) {
		/* RFC 9293 §3.4: the SYN occupies the ISN, data starts after. */
		data_seq = seg->seq + 1;
		if (!d->seq_known) {
			d->seq_known = d->syn_seen = true;
			d->isn = seg->seq;
			d->next_seq = data_seq;
		} else if (d->syn_seen && d->isn == seg->seq && !seg->len) {
			t->stats.retransmissions++;
		}
	}
	if (!d->seq_known) {
		if (!seg->len && !(seg->flags & TCP_FLAG_FIN))
			return;   /* a bare ACK tells nothing about the stream */
		/* Capture started mid-stream: take the first segment as is. */
		d->seq_known = true;
		d->next_seq = data_seq;
	}
	if (d->done) {
		if (seg->len || (seg->flags & TCP_FLAG_FIN))
			t->stats.retransmissions++;
		return;
	}
	if (seg->flags & TCP_FLAG_FIN) {
		uint32_t fin = data_seq + (uint32_t)seg->len;
		/* The first FIN counts; one before bytes already delivered is stale. */
		if (!d->fin_seen && seq_diff(fin, d->next_seq) >= 0) {
			struct seg_node **pp = &d->head;
			d->fin_seen = true;
			d->fin_seq = fin;
			d->fin_frame = seg->frame;
			while (*pp) {   /* bytes waiting past the FIN are not data */
				if (seq_diff((*pp)->seq, fin) >= 0) {
					struct seg_node *n = *pp;
					*pp = n->next;
					node_free(t, d, n);
				} else {
					pp = &(*pp)->next;
				}
			}
			for (d->tail = d->head; d->tail && d->tail->next; d->tail = d->tail->next)
				;
		}
	}
	if (seg->len)
		*st = dir_data(t, s, di, data_seq, seg);
	fin_check(t, d);
}

enum sa_status tcp_table_segment(struct tcp_table *t, const struct tcp_segment *seg,
				 struct tcp_stream **stream_out)
{
	const struct five_tuple *ft = &seg->tuple;
	struct tcp_stream *s;
	enum sa_status st = SA_OK;
	uint8_t fam = ft->src.ip.family;
	uint64_t h;
	int di = 0;

	*stream_out = NULL;
	if ((fam != SA_AF_INET && fam != SA_AF_INET6) || ft->dst.ip.family != fam)
		return SA_MALFORMED;
	if ((!seg->payload && seg->len) || seg->len >= WINDOW_MAX)
		return SA_MALFORMED;
	tcp_table_expire(t, seg->ts_ns);
	h = tuple_hash(t, ft);
	s = t->buckets ? stream_find(t, ft, h, &di) : NULL;

	if (seg->flags & TCP_FLAG_RST) {
		/* RFC 9293 §3.10.7: the connection is aborted. */
		if (s) {
			t->stats.resets++;
			stream_close(t, s, true);
		}
		return SA_OK;
	}
	if (s && (seg->flags & (TCP_FLAG_SYN | TCP_FLAG_ACK)) == TCP_FLAG_SYN) {
		struct tcp_dir *d = &s->dir[di];
		if (d->seq_known && !(d->syn_seen && d->isn == seg->seq)) {
			stream_close(t, s, true);   /* a new connection on the same tuple */
			s = NULL;
		}
	}
	if (!s) {
		if (!seg->len && !(seg->flags & TCP_FLAG_SYN))
			return SA_OK;
		st = stream_create(t, seg, h, &s, &di);
		if (st != SA_OK) {
			t->stats.nomem++;
			return st;
		}
	} else {
		lru_unlink(t, s);
		lru_append(t, s);
	}
	s->last_ts = seg->ts_ns;
	dir_segment(t, s, di, seg, &st);
	if (s->dir[0].done && s->dir[1].done) {
		stream_close(t, s, false);
		return st;
	}
	*stream_out = s;
	return st;
}
