/* report_streams.c - the "streams" list of the JSON report. */
#include <string.h>

#include "report_int.h"
#include "streams.h"

struct swalk {
	struct jsonw *w;
	const struct result *r;
	const struct report_opts *o;
};

static void stream_one(void *ctx, const struct stream *s)
{
	struct swalk *sw = ctx;
	struct jsonw *w = sw->w;
	struct rtpstats_summary st;
	char buf[SA_ENDPOINT_STRLEN], tbuf[40];
	const struct key_entry *k = s->key_idx < s->ncand ? s->cand[s->key_idx] : NULL;
	uint8_t pts[128];
	size_t npt, i;
	if (sw->o->call_filter && (s->call < 0 || !sw->r->calls ||
	    strcmp(call_table_at(sw->r->calls, (size_t)s->call)->call_id, sw->o->call_filter)))
		return;
	rtpstats_get(&s->stats, &st);
	jsonw_obj_begin(w);
	jsonw_key(w, "call_id");
	if (s->call >= 0 && sw->r->calls)
		jsonw_str(w, call_table_at(sw->r->calls, (size_t)s->call)->call_id);
	else
		jsonw_null(w);
	jsonw_key(w, "media");
	if (s->media >= 0)
		jsonw_u64(w, (uint64_t)s->media);
	else
		jsonw_null(w);
	jsonw_kv_str(w, "kind", s->kind == SDEC_RTP ? "rtp" : "rtcp");
	snprintf(buf, sizeof buf, "0x%08x", s->ssrc);
	jsonw_kv_str(w, "ssrc", buf);
	jsonw_kv_str(w, "src", endpoint_format(&s->src, buf, sizeof buf));
	jsonw_kv_str(w, "dst", endpoint_format(&s->dst, buf, sizeof buf));
	jsonw_kv_str(w, "sender", party_name(s->sender));
	jsonw_key(w, "suite");
	if (k && sdec_suite_get(k->params.suite))
		jsonw_str(w, sdec_suite_get(k->params.suite)->name);
	else
		jsonw_null(w);
	jsonw_kv_u64(w, "packets", s->packets);
	jsonw_kv_u64(w, "decrypted", s->decrypted);
	jsonw_kv_u64(w, "auth_failures", s->auth_failures);
	jsonw_kv_u64(w, "plaintext", s->plaintext);
	jsonw_kv_u64(w, "no_key", s->no_key);
	jsonw_kv_u64(w, "duplicates", s->kind == SDEC_RTP ? st.duplicates : s->duplicates);
	jsonw_kv_u64(w, "out_of_order", s->kind == SDEC_RTP ? st.out_of_order : s->out_of_order);
	jsonw_kv_u64(w, "lost", s->kind == SDEC_RTP ? st.lost : 0);
	jsonw_key(w, "jitter_ms");
	if (s->kind == SDEC_RTP && st.jitter_valid)
		jsonw_double(w, st.jitter_ms, 3);
	else
		jsonw_null(w);
	jsonw_key(w, "payload_types");
	jsonw_arr_begin(w);
	npt = rtpstats_pt_list(&s->stats, pts, sizeof pts);
	for (i = 0; i < npt; i++)
		jsonw_u64(w, pts[i]);
	jsonw_arr_end(w);
	jsonw_kv_u64(w, "first_frame", s->first_frame);
	jsonw_kv_u64(w, "last_frame", s->last_frame);
	if (st.first_ns) {
		format_time(st.first_ns, tbuf, sizeof tbuf);
		jsonw_kv_str(w, "first_time", tbuf);
		format_time(st.last_ns, tbuf, sizeof tbuf);
		jsonw_kv_str(w, "last_time", tbuf);
	}
	jsonw_key(w, "key_source");
	if (k)
		jsonw_str(w, key_source_name(k->source));
	else
		jsonw_null(w);
	jsonw_key(w, "key_origin");
	if (k)
		jsonw_str(w, k->origin);
	else
		jsonw_null(w);
	jsonw_key(w, "key_problem");
	if (k && s->decrypted == 0 && s->auth_failures)
		jsonw_str(w, "every packet failed authentication: the key does not fit "
			     "(wrong key, swapped directions or a wrong ROC)");
	else if (!k && s->ncand)
		jsonw_str(w, "no candidate key authenticated any packet: the keys do not fit");
	else if (!k && s->miss != KEYMISS_NONE && s->miss != KEYMISS_NOT_SRTP)
		jsonw_str(w, key_miss_text(s->miss));
	else
		jsonw_null(w);
	if (sw->o->show_keys && k) {
		const struct sdec_suite_info *si = sdec_suite_get(k->params.suite);
		jsonw_key(w, "keys");
		jsonw_obj_begin(w);
		jsonw_key(w, "master_key");
		jsonw_hex(w, k->params.keys[0].key, si ? si->key_len : 0);
		jsonw_key(w, "master_salt");
		jsonw_hex(w, k->params.keys[0].salt, si ? si->salt_len : 0);
		jsonw_obj_end(w);
	}
	jsonw_obj_end(w);
}

void report_json_streams(struct jsonw *w, const struct result *r, const struct report_opts *o)
{
	struct swalk sw = { w, r, o };
	jsonw_key(w, "streams");
	jsonw_arr_begin(w);
	if (r->streams)
		streams_foreach(r->streams, stream_one, &sw);
	jsonw_arr_end(w);
}
