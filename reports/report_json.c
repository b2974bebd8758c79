/* report_json.c - the JSON report of DESIGN.md; see report.h. */
#include "report.h"

#include "jsonw.h"
#include "report_int.h"

static void write_captures(struct jsonw *w, const struct result *r)
{
	size_t i;
	jsonw_key(w, "captures");
	jsonw_arr_begin(w);
	for (i = 0; i < r->nfiles; i++) {
		const struct file_summary *f = &r->files[i];
		jsonw_obj_begin(w);
		jsonw_kv_str(w, "file", f->name);
		jsonw_kv_u64(w, "frames", f->frames);
		jsonw_key(w, "link_type");
		if (f->link_name)
			jsonw_str(w, f->link_name);
		else
			jsonw_u64(w, (uint64_t)f->linktype);
		jsonw_kv_u64(w, "dlt", (uint64_t)f->linktype);
		jsonw_kv_bool(w, "link_supported", f->link_supported);
		jsonw_kv_bool(w, "complete", !f->read_error);
		if (f->read_error)
			jsonw_kv_str(w, "error", f->error);
		jsonw_obj_end(w);
	}
	jsonw_arr_end(w);
}

static void write_packets(struct jsonw *w, const struct result *r)
{
	const struct packet_counts *p = &r->packets;
	size_t i;
	int c;
	jsonw_key(w, "packets");
	jsonw_obj_begin(w);
	jsonw_kv_u64(w, "total", p->total);
	for (c = 0; c < PKT_NCAT; c++)
		jsonw_kv_u64(w, pkt_cat_name((enum pkt_cat)c), p->cat[c]);
	jsonw_kv_u64(w, "truncated", p->truncated);
	jsonw_kv_u64(w, "ip_fragments", p->ip_fragments);
	jsonw_kv_u64(w, "reassembled_datagrams", p->reassembled);
	jsonw_kv_u64(w, "tunnelled", p->tunnelled);
	jsonw_kv_u64(w, "turn_relayed", p->turn_relayed);
	jsonw_kv_u64(w, "unknown_link", p->unknown_link);
	jsonw_key(w, "tcp");
	jsonw_obj_begin(w);
	jsonw_kv_u64(w, "segments", p->tcp_segments);
	jsonw_kv_u64(w, "retransmissions", p->tcp_retransmissions);
	jsonw_kv_u64(w, "out_of_order", p->tcp_out_of_order);
	jsonw_kv_u64(w, "gaps", p->tcp_gaps);
	jsonw_kv_u64(w, "gap_bytes", p->tcp_gap_bytes);
	jsonw_obj_end(w);
	jsonw_key(w, "malformed_frames");
	jsonw_arr_begin(w);
	for (i = 0; i < r->nmalformed; i++) {
		jsonw_obj_begin(w);
		jsonw_kv_u64(w, "frame", r->malformed[i].frame);
		jsonw_kv_str(w, "reason", r->malformed[i].reason);
		jsonw_obj_end(w);
	}
	jsonw_arr_end(w);
	jsonw_kv_bool(w, "malformed_frames_complete",
		      r->nmalformed == p->cat[PKT_MALFORMED]);
	jsonw_obj_end(w);
}

bool report_json_write(const struct result *r, const struct report_opts *o,
		       FILE *out)
{
	struct jsonw w;
	jsonw_init(&w, out, o->pretty);
	jsonw_obj_begin(&w);
	write_captures(&w, r);
	write_packets(&w, r);
	if (!report_json_calls(&w, r, o))
		return false;
	report_json_dtls(&w, r, o);
	report_json_streams(&w, r, o);
	jsonw_key(&w, "findings");
	report_json_findings(&w, r, -1);
	jsonw_obj_end(&w);
	return jsonw_finish(&w);
}
