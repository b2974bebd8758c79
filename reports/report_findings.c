/* report_findings.c - findings in JSON and in the terminal (compiler
 * style), and the "dtls" list of the JSON report. */
#include <inttypes.h>
#include <string.h>

#include "checks.h"
#include "dtls.h"
#include "media.h"
#include "report_int.h"

static void json_finding(struct jsonw *w, const struct finding *f)
{
	size_t i;
	jsonw_obj_begin(w);
	jsonw_kv_str(w, "check", f->check->id);
	jsonw_kv_str(w, "severity", severity_name(f->check->sev));
	jsonw_kv_str(w, "rfc", f->check->rfc);
	jsonw_key(w, "media");
	if (f->media >= 0)
		jsonw_u64(w, (uint64_t)f->media);
	else
		jsonw_null(w);
	jsonw_kv_str(w, "summary", f->check->summary);
	jsonw_kv_str(w, "message", f->message);
	jsonw_key(w, "frames");
	jsonw_arr_begin(w);
	for (i = 0; i < f->nframes; i++)
		jsonw_u64(w, f->frames[i]);
	jsonw_arr_end(w);
	jsonw_obj_end(w);
}

void report_json_findings(struct jsonw *w, const struct result *r, long call)
{
	const struct findings *fs = r->findings;
	size_t i;
	jsonw_arr_begin(w);
	for (i = 0; fs && i < fs->n; i++)
		if (fs->v[i].call == call)
			json_finding(w, &fs->v[i]);
	jsonw_arr_end(w);
}

/* ---- the "dtls" list ------------------------------------------------ */

struct dtls_walk {
	struct jsonw *w;
	const struct result *r;
	const struct report_opts *o;
	long index;
};

static void json_where(struct jsonw *w, const char *key, const struct dtls_where *at)
{
	jsonw_key(w, key);
	if (at->frame)
		jsonw_u64(w, at->frame);
	else
		jsonw_null(w);
}

/* fingerprint_match: false when an FP-MATCH finding names this flow, true
 * when the call passed FP-MATCH, null when nothing could be compared. */
static void json_fp_match(struct jsonw *w, const struct result *r, const struct flow *f,
			  long fi)
{
	const struct findings *fs = r->findings;
	const struct check_def *c = check_find("FP-MATCH");
	size_t i;
	jsonw_key(w, "fingerprint_match");
	if (!fs || !f->bound) {
		jsonw_null(w);
		return;
	}
	for (i = 0; i < fs->n; i++)
		if (fs->v[i].check == c && fs->v[i].dtls_flow == fi) {
			jsonw_bool(w, false);
			return;
		}
	if (findings_status(fs, f->call, c) == CHECK_PASS)
		jsonw_bool(w, true);
	else
		jsonw_null(w);
}

static void dtls_one(void *ctx, const struct flow *f)
{
	struct dtls_walk *dw = ctx;
	struct jsonw *w = dw->w;
	const struct flow_media *m = media_of(f);
	const struct dtls_summary *s;
	const struct dtls_handshake *h;
	char buf[SA_ENDPOINT_STRLEN];
	long fi = dw->index++;
	int cd;
	if (!m || !m->dtls)
		return;
	s = dtls_assoc_summary(m->dtls);
	h = s->current;
	cd = s->client_dir >= 0 ? s->client_dir : 0;
	jsonw_obj_begin(w);
	jsonw_key(w, "call_id");
	if (f->bound && dw->r->calls)
		jsonw_str(w, call_table_at(dw->r->calls, f->call)->call_id);
	else
		jsonw_null(w);
	jsonw_key(w, "media");
	if (f->bound)
		jsonw_u64(w, f->media);
	else
		jsonw_null(w);
	jsonw_key(w, "client");
	if (s->client_dir >= 0)
		jsonw_str(w, endpoint_format(&f->ep[cd], buf, sizeof buf));
	else
		jsonw_null(w);
	jsonw_key(w, "server");
	if (s->client_dir >= 0)
		jsonw_str(w, endpoint_format(&f->ep[1 - cd], buf, sizeof buf));
	else
		jsonw_null(w);
	jsonw_key(w, "version");
	jsonw_str(w, dtls_version_name(s->version) ? dtls_version_name(s->version) : "unknown");
	jsonw_key(w, "profile");
	if (h && h->sh.has_use_srtp && h->sh.srtp_profiles.n >= 1 &&
	    dtls_profile_find(h->sh.srtp_profiles.v[0]))
		jsonw_str(w, dtls_profile_find(h->sh.srtp_profiles.v[0])->name);
	else
		jsonw_null(w);
	jsonw_key(w, "client_random");
	if (h && h->ch.seen)
		jsonw_hex(w, h->ch.random, 32);
	else
		jsonw_null(w);
	json_fp_match(w, dw->r, f, fi);
	jsonw_key(w, "cipher_suite");
	if (h && h->sh.seen) {
		const struct dtls_suite *su = dtls_suite_find(h->sh.suite);
		if (su)
			jsonw_str(w, su->name);
		else
			jsonw_u64(w, h->sh.suite);
	} else {
		jsonw_null(w);
	}
	jsonw_kv_bool(w, "extended_master_secret", h && h->ch.has_ems && h->sh.has_ems);
	jsonw_kv_bool(w, "complete", h && h->complete);
	jsonw_kv_u64(w, "handshakes", s->handshakes);
	json_where(w, "client_hello_frame", h ? &h->first_client_hello : &s->first_record);
	json_where(w, "server_hello_frame", h ? &h->sh.at : &s->first_record);
	json_where(w, "completed_frame", h ? &h->completed_at : &s->first_record);
	jsonw_kv_u64(w, "retransmissions", s->hs_retransmissions);
	jsonw_key(w, "fatal_alert");
	if (s->first_fatal.seen && !s->first_fatal.encrypted && dtls_alert_desc_name(s->first_fatal.desc))
		jsonw_str(w, dtls_alert_desc_name(s->first_fatal.desc));
	else if (s->first_fatal.seen)
		jsonw_str(w, "encrypted");
	else
		jsonw_null(w);
	jsonw_kv_bool(w, "close_notify", s->close_notify[0].seen || s->close_notify[1].seen);
	jsonw_kv_bool(w, "dtls13", s->dtls13_seen);
	jsonw_kv_u64(w, "records", s->records[0] + s->records[1]);
	jsonw_obj_end(w);
}

void report_json_dtls(struct jsonw *w, const struct result *r, const struct report_opts *o)
{
	struct dtls_walk dw = { w, r, o, 0 };
	jsonw_key(w, "dtls");
	jsonw_arr_begin(w);
	if (r->flows)
		flow_table_foreach(r->flows, dtls_one, &dw);
	jsonw_arr_end(w);
}

/* ---- terminal -------------------------------------------------------- */

static void text_finding(FILE *out, const struct result *r, const struct finding *f,
			 const struct report_opts *o)
{
	static const char *const col[] = { "\033[1;36m", "\033[1;35m", "\033[1;31m" };
	size_t i;
	if (f->call >= 0 && r->calls) {
		const char *id = call_table_at(r->calls, (size_t)f->call)->call_id;
		fputs("call ", out);
		report_text_escape(out, id, strlen(id));
		if (f->media >= 0)
			fprintf(out, " m=%ld", f->media);
		fputs(": ", out);
	} else {
		fputs("capture: ", out);
	}
	fprintf(out, "%s%s[%s]%s: ", o->color ? col[f->check->sev] : "",
		severity_name(f->check->sev), f->check->id, o->color ? "\033[0m" : "");
	report_text_escape(out, f->message, strlen(f->message));
	fprintf(out, " (%s)", f->check->rfc);
	for (i = 0; i < f->nframes; i++)
		fprintf(out, "%s %" PRIu64, i ? "," : (f->nframes > 1 ? " at frames" : " at frame"),
			f->frames[i]);
	fputc('\n', out);
}

void report_text_findings(const struct result *r, const struct report_opts *o, FILE *out)
{
	const struct findings *fs = r->findings;
	size_t i, ncalls = r->calls ? call_table_count(r->calls) : 0;
	long c;
	if (!fs)
		return;
	/* Grouped by call, in call order; capture-level findings last. */
	for (c = 0; c <= (long)ncalls; c++) {
		long want = c == (long)ncalls ? -1 : c;
		for (i = 0; i < fs->n; i++) {
			if (fs->v[i].call != want)
				continue;
			if (o->call_filter && (want < 0 ||
			    strcmp(call_table_at(r->calls, (size_t)want)->call_id, o->call_filter)))
				continue;
			if (fs->v[i].check->sev == SEV_INFO && !o->verbose)
				continue;
			text_finding(out, r, &fs->v[i], o);
		}
	}
	fprintf(out, "%zu call%s: %" PRIu64 " error%s, %" PRIu64 " warning%s, %" PRIu64 " info\n",
		ncalls, ncalls == 1 ? "" : "s",
		fs->by_sev[SEV_ERROR], fs->by_sev[SEV_ERROR] == 1 ? "" : "s",
		fs->by_sev[SEV_WARNING], fs->by_sev[SEV_WARNING] == 1 ? "" : "s",
		fs->by_sev[SEV_INFO]);
}
