/* report_calls.c - calls, their media and flows, as JSON and as the
 * `srtpaudit calls` table. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calls.h"
#include "checks.h"
#include "flows.h"
#include "jsonw.h"
#include "report.h"
#include "report_int.h"

/* ---- flows grouped by call ------------------------------------------ */

struct call_flow_index {
	const struct flow **v;   /* flows bound to calls, grouped by call */
	size_t *start;           /* per call: first index in v; start[n] = end */
	size_t ncalls;
};

struct collect {
	struct call_flow_index *ix;
	size_t *fill;
	bool counting;
};

static void collect_one(void *ctx, const struct flow *f)
{
	struct collect *c = ctx;
	if (!f->bound || f->call >= c->ix->ncalls)
		return;
	if (c->counting)
		c->ix->start[f->call + 1]++;
	else
		c->ix->v[c->fill[f->call]++] = f;
}

bool call_flow_index_build(const struct result *r, struct call_flow_index **out)
{
	struct call_flow_index *ix = calloc(1, sizeof *ix);
	struct collect c;
	size_t i;
	*out = NULL;
	if (!ix)
		return false;
	ix->ncalls = r->calls ? call_table_count(r->calls) : 0;
	ix->start = calloc(ix->ncalls + 2, sizeof *ix->start);
	c.ix = ix;
	c.fill = calloc(ix->ncalls + 1, sizeof *c.fill);
	if (!ix->start || !c.fill)
		goto fail;
	if (r->flows) {
		c.counting = true;
		flow_table_foreach(r->flows, collect_one, &c);
	}
	for (i = 0; i < ix->ncalls; i++)
		ix->start[i + 1] += ix->start[i];
	ix->v = calloc(ix->start[ix->ncalls] + 1, sizeof *ix->v);
	if (!ix->v)
		goto fail;
	for (i = 0; i < ix->ncalls; i++)
		c.fill[i] = ix->start[i];
	if (r->flows) {
		c.counting = false;
		flow_table_foreach(r->flows, collect_one, &c);
	}
	free(c.fill);
	*out = ix;
	return true;
fail:
	free(c.fill);
	call_flow_index_free(ix);
	return false;
}

void call_flow_index_free(struct call_flow_index *ix)
{
	if (!ix)
		return;
	free(ix->v);
	free(ix->start);
	free(ix);
}

size_t call_flows(const struct call_flow_index *ix, size_t call,
		  const struct flow *const **v)
{
	if (call >= ix->ncalls) {
		*v = NULL;
		return 0;
	}
	*v = ix->v + ix->start[call];
	return ix->start[call + 1] - ix->start[call];
}

/* ---- negotiated method --------------------------------------------- */

static const char *method_of(const struct media_desc *m)
{
	bool dtls = media_desc_is_dtls(m), sdes = media_desc_is_sdes(m);
	if (dtls && sdes)
		return "both";
	return dtls ? "dtls" : sdes ? "sdes" : "none";
}

const char *media_method(const struct oa_exchange *e, size_t i, bool *answered)
{
	*answered = e && e->answer && i < e->answer->d.n_media && !e->rejected;
	if (!e || !e->offer || i >= e->offer->d.n_media)
		return "none";
	if (!*answered)
		return method_of(&e->offer->d.media[i]);
	if (e->answer->d.media[i].port == 0)
		return "none";
	return method_of(&e->answer->d.media[i]);
}

const char *media_suite(const struct oa_exchange *e, size_t i)
{
	const struct media_desc *a;
	if (!e || !e->answer || i >= e->answer->d.n_media)
		return NULL;
	a = &e->answer->d.media[i];
	if (a->n_crypto > 0)
		return a->crypto[0].s ? a->crypto[0].s->name : a->crypto[0].suite;
	return NULL;
}

void format_time(uint64_t ns, char *buf, size_t cap)
{
	time_t sec = (time_t)(ns / 1000000000ULL);
	struct tm tm;
	char base[32];
	if (!gmtime_r(&sec, &tm) || !strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm)) {
		snprintf(buf, cap, "?");
		return;
	}
	snprintf(buf, cap, "%s.%06uZ", base, (unsigned)((ns % 1000000000ULL) / 1000));
}

/* ---- JSON ------------------------------------------------------------ */

static void json_ep(struct jsonw *w, const char *key, const struct endpoint *ep, bool known)
{
	char buf[SA_ENDPOINT_STRLEN];
	jsonw_key(w, key);
	if (known)
		jsonw_str(w, endpoint_format(ep, buf, sizeof buf));
	else
		jsonw_null(w);
}

static void json_frame(struct jsonw *w, const char *key, uint64_t frame)
{
	jsonw_key(w, key);
	if (frame)
		jsonw_u64(w, frame);
	else
		jsonw_null(w);
}

static void json_fp_value(struct jsonw *w, const struct desc_fp *f)
{
	char buf[3 * SDP_MAX_FP_BYTES + 1];
	size_t i, n = 0;
	for (i = 0; i < f->len; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, i ? ":%02X" : "%02X", f->bytes[i]);
	buf[n] = '\0';
	jsonw_str(w, buf);
}

static void json_media_desc(struct jsonw *w, const struct call_sdp *s, size_t i,
			    const struct report_opts *o)
{
	const struct media_desc *m = &s->d.media[i];
	char buf[64];
	size_t k;
	jsonw_obj_begin(w);
	jsonw_kv_u64(w, "frame", s->d.frame);
	jsonw_kv_str(w, "from", party_name(s->from));
	jsonw_kv_str(w, "carrier", s->carrier);
	jsonw_kv_str(w, "type", m->media);
	jsonw_kv_str(w, "proto", m->proto);
	jsonw_key(w, "addr");
	if (m->addr_ok)
		jsonw_str(w, ipaddr_format(&m->addr, buf, sizeof buf));
	else
		jsonw_null(w);
	jsonw_kv_u64(w, "port", m->port);
	jsonw_key(w, "setup");
	if (m->setup == SDP_SETUP_NONE)
		jsonw_null(w);
	else
		jsonw_str(w, sdp_setup_name(m->setup));
	jsonw_key(w, "fingerprints");
	jsonw_arr_begin(w);
	for (k = 0; k < m->n_fp; k++) {
		jsonw_obj_begin(w);
		jsonw_kv_str(w, "hash", m->fp[k].hash);
		jsonw_key(w, "value");
		json_fp_value(w, &m->fp[k]);
		jsonw_kv_bool(w, "session_level", m->fp[k].session_level);
		jsonw_obj_end(w);
	}
	jsonw_arr_end(w);
	jsonw_key(w, "crypto");
	jsonw_arr_begin(w);
	for (k = 0; k < m->n_crypto; k++) {
		const struct desc_crypto *c = &m->crypto[k];
		jsonw_obj_begin(w);
		jsonw_kv_u64(w, "tag", c->tag);
		jsonw_kv_str(w, "suite", c->suite);
		jsonw_kv_bool(w, "valid", c->valid);
		if (c->has_mki) {
			jsonw_kv_u64(w, "mki", c->mki);
			jsonw_kv_u64(w, "mki_length", c->mki_len);
		}
		if (o->show_keys && c->key_len) {
			jsonw_key(w, "key_salt");
			jsonw_hex(w, c->key, c->key_len);
		}
		jsonw_obj_end(w);
	}
	jsonw_arr_end(w);
	jsonw_kv_bool(w, "rtcp_mux", m->rtcp_mux);
	jsonw_kv_bool(w, "rtcp_mux_only", m->rtcp_mux_only);
	jsonw_key(w, "rtcp_port");
	if (m->has_rtcp_attr)
		jsonw_u64(w, m->rtcp_port);
	else
		jsonw_null(w);
	jsonw_kv_str(w, "direction", sdp_dir_name(m->dir));
	if (m->mid[0])
		jsonw_kv_str(w, "mid", m->mid);
	if (m->has_tls_id)
		jsonw_kv_str(w, "tls_id", m->tls_id);
	jsonw_kv_bool(w, "bundled", m->bundled);
	jsonw_kv_u64(w, "ice_candidates", m->n_candidates);
	jsonw_key(w, "codecs");
	jsonw_arr_begin(w);
	for (k = 0; k < m->n_codecs; k++) {
		snprintf(buf, sizeof buf, "%u%s%s", m->codecs[k].pt,
			 m->codecs[k].name[0] ? " " : "", m->codecs[k].name);
		jsonw_str(w, buf);
	}
	jsonw_arr_end(w);
	jsonw_obj_end(w);
}

static const char *flow_kind(const struct flow *f)
{
	uint64_t rtp = f->cat[0][PKT_RTP] + f->cat[1][PKT_RTP];
	uint64_t rtcp = f->cat[0][PKT_RTCP] + f->cat[1][PKT_RTCP];
	if (rtp && rtcp)
		return "rtp+rtcp";
	return rtcp ? "rtcp" : rtp ? "rtp" : "other";
}

static void json_flow(struct jsonw *w, const struct flow *f)
{
	static const enum pkt_cat cats[] = { PKT_RTP, PKT_RTCP, PKT_DTLS, PKT_STUN, PKT_OTHER };
	size_t k;
	int d;
	jsonw_obj_begin(w);
	jsonw_kv_str(w, "kind", flow_kind(f));
	json_ep(w, "a", &f->ep[0], true);
	json_ep(w, "b", &f->ep[1], true);
	jsonw_kv_str(w, "a_party", party_name(f->party[0]));
	jsonw_kv_bool(w, "rtcp_port", f->rtcp_port);
	jsonw_kv_bool(w, "latched", f->latched);
	jsonw_kv_u64(w, "first_frame", f->first_frame);
	jsonw_kv_u64(w, "last_frame", f->last_frame);
	for (d = 0; d < 2; d++) {
		jsonw_key(w, d == 0 ? "a_to_b" : "b_to_a");
		jsonw_obj_begin(w);
		for (k = 0; k < sizeof cats / sizeof cats[0]; k++)
			jsonw_kv_u64(w, pkt_cat_name(cats[k]), f->cat[d][cats[k]]);
		jsonw_obj_end(w);
	}
	jsonw_obj_end(w);
}

/* Which checks applied to the call and passed or failed (the rest did
 * not apply): what a JUnit report shows, for jq users. */
static void json_check_status(struct jsonw *w, const struct result *r, size_t ci)
{
	static const enum check_status want[2] = { CHECK_PASS, CHECK_FAIL };
	static const char *const key[2] = { "checks_passed", "checks_failed" };
	size_t i;
	int k;
	for (k = 0; k < 2; k++) {
		jsonw_key(w, key[k]);
		jsonw_arr_begin(w);
		for (i = 0; r->findings && i < check_count(); i++)
			if (findings_status(r->findings, ci, check_at(i)) == want[k])
				jsonw_str(w, check_at(i)->id);
		jsonw_arr_end(w);
	}
}

static void json_call(struct jsonw *w, const struct result *r, const struct sa_call *c,
		      size_t ci, const struct call_flow_index *ix, const struct report_opts *o)
{
	const struct oa_exchange *act = call_active_exchange(c);
	const struct flow *const *fv;
	size_t nf = call_flows(ix, ci, &fv), i, k;
	char tbuf[40];
	jsonw_obj_begin(w);
	jsonw_kv_str(w, "call_id", c->call_id);
	jsonw_kv_str(w, "from", c->from);
	jsonw_kv_str(w, "to", c->to);
	jsonw_kv_str(w, "outcome", call_outcome_name(c->outcome));
	jsonw_key(w, "final_code");
	if (c->final_code)
		jsonw_u64(w, c->final_code);
	else
		jsonw_null(w);
	jsonw_kv_str(w, "transport", sip_transport_name(c->transport));
	format_time(c->start_ns, tbuf, sizeof tbuf);
	jsonw_kv_str(w, "start", tbuf);
	format_time(c->end_ns, tbuf, sizeof tbuf);
	jsonw_kv_str(w, "end", tbuf);
	jsonw_kv_bool(w, "started_before_capture", c->started_before_capture);
	json_ep(w, "caller", &c->sig[PARTY_CALLER], c->sig_known[PARTY_CALLER]);
	json_ep(w, "callee", &c->sig[PARTY_CALLEE], c->sig_known[PARTY_CALLEE]);
	jsonw_kv_u64(w, "first_frame", c->first_frame);
	jsonw_kv_u64(w, "last_frame", c->last_frame);
	json_frame(w, "invite_frame", c->invite_frame);
	json_frame(w, "answer_frame", c->answer_frame);
	json_frame(w, "bye_frame", c->bye_frame);
	json_frame(w, "cancel_frame", c->cancel_frame);
	jsonw_kv_u64(w, "messages", c->messages);
	jsonw_kv_u64(w, "to_tags", c->n_to_tags);
	jsonw_key(w, "exchanges");
	jsonw_arr_begin(w);
	for (i = 0; i < c->n_ex; i++) {
		const struct oa_exchange *e = &c->ex[i];
		jsonw_obj_begin(w);
		jsonw_kv_str(w, "offerer", party_name(e->offerer));
		jsonw_kv_u64(w, "offer_frame", e->offer->d.frame);
		jsonw_kv_str(w, "offer_in", e->offer->carrier);
		json_frame(w, "answer_frame", e->answer ? e->answer->d.frame : 0);
		jsonw_key(w, "answer_in");
		if (e->answer)
			jsonw_str(w, e->answer->carrier);
		else
			jsonw_null(w);
		jsonw_kv_bool(w, "reoffer", e->reoffer);
		jsonw_key(w, "rejected");
		if (e->rejected)
			jsonw_u64(w, e->reject_code);
		else
			jsonw_null(w);
		jsonw_obj_end(w);
	}
	jsonw_arr_end(w);
	jsonw_key(w, "media");
	jsonw_arr_begin(w);
	for (i = 0; act && act->offer && i < act->offer->d.n_media; i++) {
		bool answered;
		const char *suite = media_suite(act, i);
		jsonw_obj_begin(w);
		jsonw_kv_u64(w, "index", i);
		jsonw_kv_str(w, "method", media_method(act, i, &answered));
		jsonw_kv_str(w, "offered", method_of(&act->offer->d.media[i]));
		jsonw_kv_bool(w, "answered", answered);
		jsonw_key(w, "suite");
		if (suite)
			jsonw_str(w, suite);
		else
			jsonw_null(w);
		jsonw_kv_bool(w, "rtcp_mux", answered && act->offer->d.media[i].rtcp_mux &&
					      act->answer->d.media[i].rtcp_mux);
		jsonw_key(w, "offer");
		json_media_desc(w, act->offer, i, o);
		jsonw_key(w, "answer");
		if (act->answer && i < act->answer->d.n_media)
			json_media_desc(w, act->answer, i, o);
		else
			jsonw_null(w);
		jsonw_key(w, "flows");
		jsonw_arr_begin(w);
		for (k = 0; k < nf; k++)
			if (fv[k]->media == i)
				json_flow(w, fv[k]);
		jsonw_arr_end(w);
		jsonw_obj_end(w);
	}
	jsonw_arr_end(w);
	jsonw_key(w, "sdp_errors");
	jsonw_arr_begin(w);
	for (i = 0; i < c->n_ex; i++) {
		const struct call_sdp *sd[2] = { c->ex[i].offer, c->ex[i].answer };
		int j;
		for (j = 0; j < 2; j++) {
			if (!sd[j])
				continue;
			for (k = 0; k < sd[j]->d.n_errors; k++) {
				jsonw_obj_begin(w);
				jsonw_kv_u64(w, "frame", sd[j]->d.frame);
				jsonw_kv_u64(w, "line", sd[j]->d.errors[k].line);
				jsonw_kv_str(w, "code", sd[j]->d.errors[k].code);
				jsonw_kv_str(w, "text", sd[j]->d.errors[k].text);
				jsonw_obj_end(w);
			}
		}
	}
	jsonw_arr_end(w);
	jsonw_key(w, "findings");
	report_json_findings(w, r, (long)ci);
	json_check_status(w, r, ci);
	jsonw_obj_end(w);
}

bool report_json_calls(struct jsonw *w, const struct result *r,
		       const struct report_opts *o)
{
	struct call_flow_index *ix;
	size_t i, n = r->calls ? call_table_count(r->calls) : 0;
	if (!call_flow_index_build(r, &ix))
		return false;
	jsonw_key(w, "calls");
	jsonw_arr_begin(w);
	for (i = 0; i < n; i++) {
		const struct sa_call *c = call_table_at(r->calls, i);
		if (o->call_filter && strcmp(o->call_filter, c->call_id) != 0)
			continue;
		json_call(w, r, c, i, ix, o);
	}
	jsonw_arr_end(w);
	call_flow_index_free(ix);
	return true;
}

/* ---- the calls table ------------------------------------------------- */

void report_calls_text(const struct result *r, const struct report_opts *o,
		       FILE *out)
{
	struct call_flow_index *ix;
	size_t i, n = r->calls ? call_table_count(r->calls) : 0, shown = 0;
	if (!call_flow_index_build(r, &ix))
		return;
	for (i = 0; i < n; i++) {
		const struct sa_call *c = call_table_at(r->calls, i);
		const struct oa_exchange *act = call_active_exchange(c);
		const struct flow *const *fv;
		size_t nf = call_flows(ix, i, &fv), m, k;
		char t0[40], t1[40];
		if (o->call_filter && strcmp(o->call_filter, c->call_id) != 0)
			continue;
		shown++;
		format_time(c->start_ns, t0, sizeof t0);
		format_time(c->end_ns, t1, sizeof t1);
		fputs("call ", out);
		report_text_escape(out, c->call_id, strlen(c->call_id));
		fputs("\n  from ", out);
		if (c->from)
			report_text_escape(out, c->from, strlen(c->from));
		fputs(" to ", out);
		if (c->to)
			report_text_escape(out, c->to, strlen(c->to));
		fprintf(out, "\n  %s .. %s, %s", t0, t1, call_outcome_name(c->outcome));
		if (c->final_code)
			fprintf(out, " (%u)", c->final_code);
		fprintf(out, ", SIP over %s, %" PRIu64 " messages, frames %" PRIu64 "-%" PRIu64 "%s\n",
			sip_transport_name(c->transport), c->messages, c->first_frame,
			c->last_frame, c->started_before_capture ? ", started before the capture" : "");
		for (m = 0; act && act->offer && m < act->offer->d.n_media; m++) {
			const struct media_desc *om = &act->offer->d.media[m];
			const struct media_desc *am = act->answer && m < act->answer->d.n_media ?
						      &act->answer->d.media[m] : NULL;
			const char *suite = media_suite(act, m);
			char a0[SA_ENDPOINT_STRLEN] = "?", a1[SA_ENDPOINT_STRLEN] = "?";
			struct endpoint ep;
			bool answered;
			uint64_t pk = 0;
			if (call_sdp_media_endpoint(&act->offer->d, m, false, &ep))
				endpoint_format(&ep, a0, sizeof a0);
			if (am && call_sdp_media_endpoint(&act->answer->d, m, false, &ep))
				endpoint_format(&ep, a1, sizeof a1);
			/* media, proto and suite are SDP text: escaped. */
			fprintf(out, "  m=%zu ", m);
			report_text_escape(out, om->media, strlen(om->media));
			fputc(' ', out);
			report_text_escape(out, om->proto, strlen(om->proto));
			fprintf(out, ": %s", media_method(act, m, &answered));
			if (suite) {
				fputc(' ', out);
				report_text_escape(out, suite, strlen(suite));
			}
			fprintf(out, ", offered %s; %s %s <-> %s %s; rtcp-mux %s",
				method_of(om),
				party_name(act->offerer), a0,
				party_name(act->offerer == PARTY_CALLER ? PARTY_CALLEE : PARTY_CALLER),
				am ? a1 : "(no answer)",
				am && om->rtcp_mux && am->rtcp_mux ? "yes" : "no");
			for (k = 0; k < nf; k++)
				if (fv[k]->media == m)
					pk += fv[k]->pkts[0] + fv[k]->pkts[1];
			fprintf(out, "; flows:");
			for (k = 0; k < nf; k++) {
				char e0[SA_ENDPOINT_STRLEN], e1[SA_ENDPOINT_STRLEN];
				if (fv[k]->media != m)
					continue;
				fprintf(out, " %s %s<->%s (%" PRIu64 "/%" PRIu64 ")%s",
					flow_kind(fv[k]),
					endpoint_format(&fv[k]->ep[0], e0, sizeof e0),
					endpoint_format(&fv[k]->ep[1], e1, sizeof e1),
					fv[k]->pkts[0], fv[k]->pkts[1],
					fv[k]->latched ? " latched" : "");
			}
			if (!pk)
				fprintf(out, " none");
			fputc('\n', out);
		}
	}
	fprintf(out, "%zu call%s", shown, shown == 1 ? "" : "s");
	if (r->calls && !o->call_filter)
		fprintf(out, "; %" PRIu64 " SIP messages of other dialogs (REGISTER, OPTIONS, ...)",
			call_table_other_messages(r->calls));
	fputc('\n', out);
	call_flow_index_free(ix);
}
