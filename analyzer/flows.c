/* flows.c - see flows.h. */
#include "flows.h"

#include <stdlib.h>
#include <string.h>

#define FLOW_BUCKETS 65536u      /* by endpoint; power of two */
/* By 5-tuple: grown with the table (load at most 1) so that a capture of a
 * few thousand flows keeps its buckets in cache. */
#define PAIR_BUCKETS_MIN 1024u
#define BIND_BUCKETS 16384u
#define BINDINGS_MAX 262144

struct binding {
	struct endpoint ep;
	struct media_binding b;
	struct endpoint peer;
	bool has_peer;
	struct binding *next;
};

struct flow_table {
	struct flow **bucket;        /* by 5-tuple (direction-free), nbucket of them */
	size_t nbucket;              /* power of two */
	struct flow_epnode **ep_bucket; /* by endpoint */
	struct binding **bind_bucket;
	struct flow **all;           /* creation order */
	size_t n, cap;
	size_t nbind;
	uint64_t untracked;
	uint64_t seed;
	const struct diag_sink *diag;
	bool warned;
};

static size_t ep_slot(const struct flow_table *t, const struct endpoint *e,
		      size_t nbuckets)
{
	return (size_t)(endpoint_hash(e, t->seed) & (nbuckets - 1));
}

static size_t pair_slot(const struct flow_table *t, const struct endpoint *a,
			const struct endpoint *b)
{
	/* Commutative so that both directions land in one bucket. */
	uint64_t h = endpoint_hash(a, t->seed) + endpoint_hash(b, t->seed);
	return (size_t)((h ^ (h >> 29)) & (t->nbucket - 1));
}

/* grow - four times the 5-tuple buckets, every flow hashed again; on
 * allocation failure the table keeps its buckets (longer chains). */
static void grow(struct flow_table *t)
{
	size_t i, n = t->nbucket * 4;
	struct flow **b = calloc(n, sizeof *b);
	if (!b)
		return;
	free(t->bucket);
	t->bucket = b;
	t->nbucket = n;
	for (i = 0; i < t->n; i++) {
		struct flow *f = t->all[i];
		size_t slot = pair_slot(t, &f->ep[0], &f->ep[1]);
		f->next = t->bucket[slot];
		t->bucket[slot] = f;
	}
}

struct flow_table *flow_table_new(const struct diag_sink *diag)
{
	struct flow_table *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->nbucket = PAIR_BUCKETS_MIN;
	t->bucket = calloc(t->nbucket, sizeof *t->bucket);
	t->ep_bucket = calloc(FLOW_BUCKETS, sizeof *t->ep_bucket);
	t->bind_bucket = calloc(BIND_BUCKETS, sizeof *t->bind_bucket);
	if (!t->bucket || !t->ep_bucket || !t->bind_bucket) {
		flow_table_free(t, NULL);
		return NULL;
	}
	t->diag = diag;
	t->seed = (uint64_t)(uintptr_t)t * 0x9e3779b97f4a7c15ULL;
	return t;
}

void flow_table_free(struct flow_table *t, void (*free_user)(void *))
{
	size_t i;
	if (!t)
		return;
	for (i = 0; i < t->n; i++) {
		if (free_user && t->all[i]->user)
			free_user(t->all[i]->user);
		free(t->all[i]);
	}
	if (t->bind_bucket) {
		for (i = 0; i < BIND_BUCKETS; i++) {
			struct binding *b = t->bind_bucket[i], *nx;
			for (; b; b = nx) {
				nx = b->next;
				free(b);
			}
		}
	}
	free(t->all);
	free(t->bucket);
	free(t->ep_bucket);
	free(t->bind_bucket);
	free(t);
}

static const struct binding *binding_find(const struct flow_table *t,
					  const struct endpoint *ep)
{
	const struct binding *b = t->bind_bucket[ep_slot(t, ep, BIND_BUCKETS)];
	for (; b; b = b->next)
		if (endpoint_eq(&b->ep, ep))
			return b;
	return NULL;
}

/* Bind flow f through its endpoint at index side, which is the receive
 * endpoint of binding bd. */
static void bind_flow(struct flow *f, int side, const struct binding *bd)
{
	f->bound = true;
	f->call = bd->b.call;
	f->ex = bd->b.ex;
	f->media = bd->b.media;
	f->rtcp_port = bd->b.rtcp;
	f->party[side] = bd->b.receiver;
	f->party[1 - side] = bd->b.receiver == PARTY_CALLER ? PARTY_CALLEE : PARTY_CALLER;
	/* RFC 4961 symmetric RTP: the other side should send from the address
	 * it announced; a difference means NAT or latching. */
	f->latched = bd->has_peer && !endpoint_eq(&f->ep[1 - side], &bd->peer);
}

static void try_bind_new(const struct flow_table *t, struct flow *f)
{
	const struct binding *bd;
	if ((bd = binding_find(t, &f->ep[1])) != NULL)
		bind_flow(f, 1, bd);
	else if ((bd = binding_find(t, &f->ep[0])) != NULL)
		bind_flow(f, 0, bd);
}

struct flow *flow_table_get(struct flow_table *t, const struct endpoint *src,
			    const struct endpoint *dst, uint64_t frame,
			    uint64_t ts_ns, int *dir)
{
	size_t slot = pair_slot(t, src, dst), s0, s1;
	struct flow *f;
	for (f = t->bucket[slot]; f; f = f->next) {
		if (endpoint_eq(&f->ep[0], src) && endpoint_eq(&f->ep[1], dst)) {
			*dir = 0;
			goto found;
		}
		if (endpoint_eq(&f->ep[1], src) && endpoint_eq(&f->ep[0], dst)) {
			*dir = 1;
			goto found;
		}
	}
	if (t->n == FLOWS_MAX) {
		if (!t->warned)
			diag_emit(t->diag, DIAG_WARNING, NULL, frame,
				  "more than %d UDP flows: datagrams of further flows are "
				  "counted but not attributed to calls", FLOWS_MAX);
		t->warned = true;
		t->untracked++;
		return NULL;
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		struct flow **all = realloc(t->all, cap * sizeof *all);
		if (!all)
			return NULL;
		t->all = all;
		t->cap = cap;
	}
	f = calloc(1, sizeof *f);
	if (!f)
		return NULL;
	f->ep[0] = *src;
	f->ep[1] = *dst;
	f->first_frame = frame;
	f->first_ns = ts_ns;
	f->party[0] = f->party[1] = PARTY_NONE;
	f->next = t->bucket[slot];
	t->bucket[slot] = f;
	s0 = ep_slot(t, src, FLOW_BUCKETS);
	s1 = ep_slot(t, dst, FLOW_BUCKETS);
	f->epn[0].f = f;
	f->epn[0].side = 0;
	f->epn[0].next = t->ep_bucket[s0];
	t->ep_bucket[s0] = &f->epn[0];
	/* A flow to itself sits once in its endpoint chain. */
	if (!endpoint_eq(src, dst)) {
		f->epn[1].f = f;
		f->epn[1].side = 1;
		f->epn[1].next = t->ep_bucket[s1];
		t->ep_bucket[s1] = &f->epn[1];
	}
	t->all[t->n++] = f;
	if (t->n > t->nbucket && t->nbucket < FLOWS_MAX)
		grow(t);
	try_bind_new(t, f);
	*dir = 0;
found:
	f->last_frame = frame;
	f->last_ns = ts_ns;
	f->pkts[*dir]++;
	return f;
}

void flow_table_bind(struct flow_table *t, const struct endpoint *ep,
		     const struct media_binding *b, const struct endpoint *peer)
{
	size_t slot = ep_slot(t, ep, BIND_BUCKETS);
	struct binding *bd;
	struct flow_epnode *node;
	for (bd = t->bind_bucket[slot]; bd; bd = bd->next)
		if (endpoint_eq(&bd->ep, ep))
			break;
	if (!bd) {
		if (t->nbind == BINDINGS_MAX)
			return;
		bd = calloc(1, sizeof *bd);
		if (!bd)
			return;
		bd->ep = *ep;
		bd->next = t->bind_bucket[slot];
		t->bind_bucket[slot] = bd;
		t->nbind++;
	}
	/* BUNDLE (RFC 9143): several m-lines of one exchange on one
	 * endpoint; the flow stays with the first of them. */
	if (bd->b.call == b->call && bd->b.ex == b->ex && bd->b.media < b->media &&
	    bd->b.receiver == b->receiver && bd->b.rtcp == b->rtcp)
		return;
	/* Otherwise the latest SDP naming an endpoint wins (a later call
	 * reusing a port, a re-INVITE moving media). */
	bd->b = *b;
	bd->has_peer = peer != NULL;
	if (peer)
		bd->peer = *peer;
	/* Flows already seen on this endpoint (media before its SDP). */
	for (node = t->ep_bucket[ep_slot(t, ep, FLOW_BUCKETS)]; node; node = node->next) {
		struct flow *f = node->f;
		if (endpoint_eq(&f->ep[node->side], ep) &&
		    (!f->bound || f->call != b->call || f->ex <= b->ex))
			bind_flow(f, node->side, bd);
	}
}

size_t flow_table_count(const struct flow_table *t)
{
	return t->n;
}

void flow_table_foreach(const struct flow_table *t,
			void (*fn)(void *ctx, const struct flow *f), void *ctx)
{
	size_t i;
	for (i = 0; i < t->n; i++)
		fn(ctx, t->all[i]);
}

uint64_t flow_table_untracked(const struct flow_table *t)
{
	return t->untracked;
}
