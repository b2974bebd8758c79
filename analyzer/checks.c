/* checks.c - the findings list, per-call check status and the driver;
 * the checks themselves are in checks_sdp.c, checks_dtls.c and
 * checks_media.c. */
#include "checks.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks_int.h"

static void set_status(struct chk *k, long call, const struct check_def *c,
		       enum check_status st)
{
	uint8_t *s;
	if (call < 0 || (size_t)call >= k->out->ncalls)
		return;
	s = &k->out->status[(size_t)call * check_count() + check_index(c)];
	if (*s != CHECK_FAIL)
		*s = (uint8_t)st;
}

void chk_pass(struct chk *k, long call, const char *id)
{
	const struct check_def *c = check_find(id);
	if (c)
		set_status(k, call, c, CHECK_PASS);
}

void chk_fail(struct chk *k, long call, long media, long dtls_flow, const char *id,
	      const uint64_t *frames, size_t nframes, const char *fmt, ...)
{
	const struct check_def *c = check_find(id);
	struct findings *f = k->out;
	struct finding *x;
	va_list ap;
	size_t i;
	if (!c)
		return;
	set_status(k, call, c, CHECK_FAIL);
	if (f->n == FINDINGS_MAX) {
		f->dropped++;
		return;
	}
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 64;
		struct finding *v = realloc(f->v, cap * sizeof *v);
		if (!v) {
			k->nomem = true;
			return;
		}
		f->v = v;
		f->cap = cap;
	}
	x = &f->v[f->n++];
	memset(x, 0, sizeof *x);
	x->check = c;
	x->call = call;
	x->media = media;
	x->dtls_flow = dtls_flow;
	for (i = 0; i < nframes && x->nframes < FINDING_MAX_FRAMES; i++)
		if (frames[i])
			x->frames[x->nframes++] = frames[i];
	va_start(ap, fmt);
	vsnprintf(x->message, sizeof x->message, fmt, ap);
	va_end(ap);
	f->by_sev[c->sev]++;
}

size_t chk_call_flows(const struct chk *k, size_t call, const struct flow *const **v)
{
	*v = k->flows + k->flow_start[call];
	return k->flow_start[call + 1] - k->flow_start[call];
}

long chk_flow_index(const struct chk *k, const struct flow *f)
{
	size_t i;
	for (i = 0; i < k->nflows_all; i++)
		if (k->all[i] == f)
			return (long)i;
	return -1;
}

struct gather {
	struct chk *k;
	size_t *fill;
	size_t n;
	int pass;
};

static void gather_one(void *ctx, const struct flow *f)
{
	struct gather *g = ctx;
	struct chk *k = g->k;
	if (g->pass == 0) {
		k->all[g->n++] = f;
		if (f->bound && f->call < k->out->ncalls)
			k->flow_start[f->call + 1]++;
	} else if (f->bound && f->call < k->out->ncalls) {
		k->flows[g->fill[f->call]++] = f;
	}
}

bool checks_run(const struct result *r, struct findings *out)
{
	struct chk k;
	struct gather g;
	size_t ncalls = r->calls ? call_table_count(r->calls) : 0, i;
	size_t nflows = r->flows ? flow_table_count(r->flows) : 0;
	memset(out, 0, sizeof *out);
	memset(&k, 0, sizeof k);
	k.r = r;
	k.out = out;
	out->ncalls = ncalls;
	out->status = calloc(ncalls * check_count() + 1, 1);
	k.flow_start = calloc(ncalls + 2, sizeof *k.flow_start);
	k.all = calloc(nflows + 1, sizeof *k.all);
	k.flows = calloc(nflows + 1, sizeof *k.flows);
	g.fill = calloc(ncalls + 1, sizeof *g.fill);
	if (!out->status || !k.flow_start || !k.all || !k.flows || !g.fill) {
		k.nomem = true;
		goto out;
	}
	g.k = &k;
	g.n = 0;
	g.pass = 0;
	if (r->flows)
		flow_table_foreach(r->flows, gather_one, &g);
	k.nflows_all = g.n;
	for (i = 0; i < ncalls; i++)
		k.flow_start[i + 1] += k.flow_start[i];
	for (i = 0; i < ncalls; i++)
		g.fill[i] = k.flow_start[i];
	g.pass = 1;
	if (r->flows)
		flow_table_foreach(r->flows, gather_one, &g);
	checks_signalling(&k);
	checks_dtls(&k);
	checks_media(&k);
out:
	free(g.fill);
	free(k.flow_start);
	free(k.all);
	free((void *)k.flows);
	return !k.nomem;
}

void findings_cleanup(struct findings *f)
{
	if (!f)
		return;
	free(f->v);
	free(f->status);
	memset(f, 0, sizeof *f);
}

enum check_status findings_status(const struct findings *f, size_t call,
				  const struct check_def *c)
{
	if (call >= f->ncalls || !c)
		return CHECK_NA;
	return (enum check_status)f->status[call * check_count() + check_index(c)];
}

int findings_worst(const struct findings *f)
{
	if (f->by_sev[SEV_ERROR])
		return SEV_ERROR;
	if (f->by_sev[SEV_WARNING])
		return SEV_WARNING;
	if (f->by_sev[SEV_INFO])
		return SEV_INFO;
	return -1;
}
