/* pipeline.c - the one pass over a capture; see pipeline.h.
 *
 * Accounting rule: each frame is counted exactly once, in pipeline_count_frame().
 * Frames of an IP datagram split into fragments are counted when the
 * datagram is whole (all with the datagram's category) or when the
 * reassembler gives up on it (ipfrag on_drop).  TCP frames are counted
 * after the reassembler has handed their bytes on, with the category their
 * stream has by then.
 */
#include "pipeline_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *pkt_cat_name(enum pkt_cat c)
{
	static const char *const names[PKT_NCAT] = {
		"sip", "dtls", "stun", "rtp", "rtcp", "other", "malformed",
	};
	return (unsigned)c < PKT_NCAT ? names[c] : "other";
}

static void note_malformed(struct pipeline *p, uint64_t frame, const char *why)
{
	struct result *r = &p->res;
	if (r->nmalformed == r->malformed_cap) {
		size_t cap = r->malformed_cap ? r->malformed_cap * 2 : 64;
		struct malformed_frame *m;
		if (cap > RESULT_MAX_MALFORMED_LISTED)
			cap = RESULT_MAX_MALFORMED_LISTED;
		if (cap <= r->malformed_cap)
			return; /* listed cap reached: still counted */
		m = realloc(r->malformed, cap * sizeof *m);
		if (!m)
			return;
		r->malformed = m;
		r->malformed_cap = cap;
	}
	r->malformed[r->nmalformed].frame = frame;
	r->malformed[r->nmalformed].reason = why;
	r->nmalformed++;
}

void pipeline_count_frame(struct pipeline *p, uint64_t frame, enum pkt_cat cat,
			const char *why)
{
	p->res.packets.cat[cat]++;
	if (cat == PKT_MALFORMED)
		note_malformed(p, frame, why ? why : "malformed");
}

/* ---- IP fragments --------------------------------------------------- */

static void on_frag_drop(void *ctx, const uint64_t *frames, size_t n,
			 enum ipfrag_drop why)
{
	struct pipeline *p = ctx;
	struct ipfrag_limits lim = ipfrag_limits_default();
	size_t i;
	if (why == IPFRAG_DROP_EVICTED && !p->warned_frag_evict && n) {
		p->warned_frag_evict = true;
		diag_emit(p->diag, DIAG_WARNING, NULL, frames[0],
			  "more than %zu incomplete IP datagrams (or %zu MiB) pending "
			  "reassembly: the oldest are dropped and their fragments counted "
			  "as \"other\" (shown once)", lim.max_datagrams, lim.max_bytes >> 20);
	}
	if (why == IPFRAG_DROP_TOO_BIG && !p->warned_frag_big && n) {
		p->warned_frag_big = true;
		diag_emit(p->diag, DIAG_WARNING, NULL, frames[0],
			  "an IP datagram exceeds 65535 bytes or %u fragments: its "
			  "fragments are counted as malformed (shown once)", lim.max_frags);
	}
	for (i = 0; i < n; i++) {
		switch (why) {
		case IPFRAG_DROP_CONFLICT:
			pipeline_count_frame(p, frames[i], PKT_MALFORMED,
				    "IP fragment overlaps another with different bytes");
			break;
		case IPFRAG_DROP_TOO_BIG:
			pipeline_count_frame(p, frames[i], PKT_MALFORMED,
				    "IP fragments add up to more than 65535 bytes or 128 fragments");
			break;
		default:
			/* Incomplete datagrams (timeout, eviction, end of capture)
			 * are not malformed: their bytes are unknown. */
			pipeline_count_frame(p, frames[i], PKT_OTHER, NULL);
			break;
		}
	}
}

/* ---- per frame ------------------------------------------------------ */

static enum pkt_cat handle_l4(struct pipeline *p, const struct decode_l4 *l4,
			      uint64_t frame, const char **why)
{
	*why = NULL;
	if (l4->tunnels)
		p->res.packets.tunnelled++;
	if (l4->tuple.proto == SA_IPPROTO_TCP)
		return pipeline_tcp(p, l4, frame, why);
	return pipeline_udp(p, l4, frame, why);
}

static void handle_fragment(struct pipeline *p, const struct decoded *d,
			    uint64_t frame)
{
	struct ipfrag_key key;
	struct ipfrag_done done;
	struct decoded inner;
	enum sa_status rc;
	enum pkt_cat cat;
	size_t i;
	p->res.packets.ip_fragments++;
	if (d->frag.truncated) {
		/* Bytes cut by the snap length cannot be reassembled. */
		pipeline_count_frame(p, frame, PKT_OTHER, NULL);
		return;
	}
	memset(&key, 0, sizeof key);
	key.src = d->frag.src;
	key.dst = d->frag.dst;
	key.id = d->frag.id;
	key.proto = d->frag.proto;
	memset(&done, 0, sizeof done);
	rc = ipfrag_add(p->frags, &key, d->frag.offset, d->frag.more,
			d->frag.data, d->frag.len, frame, p->frame->ts_ns, &done);
	if (rc != SA_OK) {
		pipeline_count_frame(p, frame, rc == SA_NOMEM ? PKT_OTHER : PKT_MALFORMED,
			    "IP fragment offset and length are impossible");
		return;
	}
	if (!done.complete)
		return; /* counted when the datagram completes or is dropped */
	p->res.packets.reassembled++;
	memset(&inner, 0, sizeof inner);
	decode_ip_payload(done.proto, &key.src, &key.dst, done.data, done.len,
			  false, &inner);
	switch (inner.result) {
	case DECODE_L4:
		cat = handle_l4(p, &inner.l4, frame, &inner.reason);
		break;
	case DECODE_MALFORMED:
		cat = PKT_MALFORMED;
		break;
	default:
		cat = PKT_OTHER;
		break;
	}
	for (i = 0; i < done.nframes; i++)
		pipeline_count_frame(p, done.frames[i], cat, inner.reason);
}

static void warn_unknown_link(struct pipeline *p, const struct sa_frame *f)
{
	const struct capture_file_info *fi = capture_file(p->cap, f->file_index);
	const char *name;
	if (p->link_warned[f->file_index])
		return;
	p->link_warned[f->file_index] = true;
	name = capture_link_name(f->linktype);
	diag_emit(p->diag, DIAG_WARNING, fi ? fi->name : NULL, f->file_frame,
		  "link type %d (%s) is not decoded; its frames are counted as "
		  "\"other\" (supported: EN10MB with VLAN tags, LINUX_SLL, LINUX_SLL2, "
		  "RAW, IPV4, IPV6, NULL, LOOP; convert with editcap -T if you can)",
		  f->linktype, name ? name : "unknown");
}

void pipeline_key_source(struct pipeline *p)
{
	if (p->learning || !p->opt || !p->opt->tentative)
		return;
	p->learning = true;
	p->turned = true;
	if (p->opt->on_learn)
		p->opt->on_learn(p->opt->frame_ctx);
}

bool pipeline_learned(const struct pipeline *p)
{
	return p->turned;
}

static void emit_frame(struct pipeline *p, const struct sa_frame *f)
{
	struct frame_out fo;
	if (!p->opt || !p->opt->on_frame || p->learning)
		return;
	fo.frame = f;
	fo.decrypted = p->rewritten;
	fo.stream = p->fo_stream;
	fo.rtp = p->fo_rtp;
	fo.rtp_len = p->fo_rtp_len;
	fo.call_id = p->fo_stream && p->fo_stream->call >= 0 ?
		     call_table_at(p->calls, (size_t)p->fo_stream->call)->call_id : NULL;
	if (p->rewritten) {
		uint32_t delta = f->caplen - (uint32_t)p->rw_len;
		fo.data = p->rwbuf;
		fo.caplen = (uint32_t)p->rw_len;
		fo.len = f->len - delta;
	} else {
		fo.data = f->data;
		fo.caplen = f->caplen;
		fo.len = f->len;
	}
	p->opt->on_frame(p->opt->frame_ctx, &fo);
}

static void process_frame(struct pipeline *p, const struct sa_frame *f)
{
	struct decoded d;
	p->frame = f;
	p->rewritten = false;
	p->fo_stream = NULL;
	p->fo_rtp = NULL;
	p->fo_rtp_len = 0;
	p->res.packets.total++;
	if (f->caplen < f->len)
		p->res.packets.truncated++;
	decode_frame(f->linktype, f->data, f->caplen, f->len, &d);
	switch (d.result) {
	case DECODE_L4: {
		const char *why = NULL;
		enum pkt_cat cat = handle_l4(p, &d.l4, f->number, &why);
		pipeline_count_frame(p, f->number, cat, why);
		break;
	}
	case DECODE_FRAGMENT:
		handle_fragment(p, &d, f->number);
		break;
	case DECODE_MALFORMED:
		pipeline_count_frame(p, f->number, PKT_MALFORMED, d.reason);
		break;
	case DECODE_UNKNOWN_LINK:
		p->res.packets.unknown_link++;
		warn_unknown_link(p, f);
		pipeline_count_frame(p, f->number, PKT_OTHER, NULL);
		break;
	case DECODE_TRUNCATED:
	case DECODE_OTHER:
		pipeline_count_frame(p, f->number, PKT_OTHER, NULL);
		break;
	}
	emit_frame(p, f);
	if (f->number % EXPIRE_EVERY == 0) {
		ipfrag_expire(p->frags, f->ts_ns);
		tcp_table_expire(p->tcp, f->ts_ns);
	}
}

static enum sa_status fill_files(struct pipeline *p)
{
	size_t i, n = capture_file_count(p->cap);
	p->res.files = calloc(n, sizeof *p->res.files);
	if (!p->res.files)
		return SA_NOMEM;
	p->res.nfiles = n;
	for (i = 0; i < n; i++) {
		const struct capture_file_info *fi = capture_file(p->cap, i);
		struct file_summary *fs = &p->res.files[i];
		fs->name = strdup(fi->name);
		fs->frames = fi->frames;
		fs->linktype = fi->linktype;
		fs->link_name = capture_link_name(fi->linktype);
		fs->link_supported = decode_link_supported(fi->linktype);
		fs->read_error = fi->read_error;
		if (fi->read_error)
			fs->error = strdup(fi->error);
		if (!fs->name || (fi->read_error && !fs->error))
			return SA_NOMEM;
	}
	return SA_OK;
}

static void on_bind(void *ctx, const struct endpoint *ep,
		    const struct media_binding *b, const struct endpoint *peer)
{
	struct pipeline *p = ctx;
	flow_table_bind(p->flows, ep, b, peer);
}

enum sa_status pipeline_run(const char *const *names, size_t n,
			    const struct pipeline_options *opt,
			    struct pipeline **out)
{
	struct ipfrag_limits flim = ipfrag_limits_default();
	struct tcp_limits tlim = tcp_limits_default();
	struct ipfrag_callbacks fcb;
	struct tcp_callbacks tcb;
	struct pipeline *p;
	struct sa_frame f;
	enum sa_status rc;
	const struct packet_counts *pc;
	uint64_t sum = 0;
	int i;

	*out = NULL;
	p = calloc(1, sizeof *p);
	if (!p)
		return SA_NOMEM;
	p->diag = opt ? opt->diag : NULL;
	rc = capture_open(names, n, p->diag, &p->cap);
	if (rc != SA_OK) {
		pipeline_free(p);
		return rc;
	}
	memset(&fcb, 0, sizeof fcb);
	fcb.on_drop = on_frag_drop;
	fcb.ctx = p;
	memset(&tcb, 0, sizeof tcb);
	tcb.on_data = pipeline_tcp_data;
	tcb.on_gap = pipeline_tcp_gap;
	tcb.on_close = pipeline_tcp_close;
	tcb.ctx = p;
	p->link_warned = calloc(n, sizeof *p->link_warned);
	p->frags = ipfrag_table_new(&flim, &fcb);
	p->tcp = tcp_table_new(&tlim, &tcb);
	p->calls = call_table_new(p->diag, on_bind, p);
	p->flows = flow_table_new(p->diag);
	p->opt = opt;
	p->learning = opt && opt->learn_only;
	p->streams = stream_table_new(opt ? opt->keys : NULL, p->diag);
	if (!p->link_warned || !p->frags || !p->tcp || !p->calls || !p->flows || !p->streams) {
		pipeline_free(p);
		return SA_NOMEM;
	}
	while (capture_next(p->cap, &f))
		process_frame(p, &f);
	p->frame = NULL;
	ipfrag_flush(p->frags);
	tcp_table_flush(p->tcp);
	{
		const struct tcp_stats *ts = tcp_table_stats(p->tcp);
		p->res.packets.tcp_retransmissions = ts->retransmissions;
		p->res.packets.tcp_out_of_order = ts->out_of_order;
	}
	p->opt = NULL; /* the caller's options may not outlive the run */
	p->res.calls = p->calls;
	p->res.flows = p->flows;
	p->res.streams = p->streams;
	if (!p->learning && !checks_run(&p->res, &p->findings))
		p->nomem = true;
	p->res.findings = &p->findings;
	rc = fill_files(p);
	if (rc != SA_OK || p->nomem) {
		pipeline_free(p);
		return SA_NOMEM;
	}
	pc = &p->res.packets;
	for (i = 0; i < PKT_NCAT; i++)
		sum += pc->cat[i];
	if (sum != pc->total)
		diag_emit(p->diag, DIAG_ERROR, NULL, 0,
			  "internal error: %llu frames read but %llu accounted for; "
			  "please report this with the capture",
			  (unsigned long long)pc->total, (unsigned long long)sum);
	*out = p;
	return SA_OK;
}

const struct result *pipeline_result(const struct pipeline *p)
{
	return &p->res;
}

void pipeline_explain_keys(struct pipeline *p, const struct keyring *kr)
{
	stream_table_explain(p->streams, kr);
	/* The checks that read key reasons (SRTP-ROC-INIT) judge again. */
	findings_cleanup(&p->findings);
	if (!checks_run(&p->res, &p->findings))
		p->nomem = true;
}

bool pipeline_set_file_label(struct pipeline *p, size_t i, const char *label)
{
	char *dup;
	if (i >= p->res.nfiles || !(dup = strdup(label)))
		return false;
	free(p->res.files[i].name);
	p->res.files[i].name = dup;
	return true;
}

void pipeline_free(struct pipeline *p)
{
	size_t i;
	if (!p)
		return;
	tcp_table_free(p->tcp);  /* on_close frees stream states */
	findings_cleanup(&p->findings);
	free(p->turn);
	stream_table_free(p->streams);
	call_table_free(p->calls);
	flow_table_free(p->flows, media_free);
	ipfrag_table_free(p->frags);
	capture_close(p->cap);
	for (i = 0; i < p->res.nfiles; i++) {
		free(p->res.files[i].name);
		free(p->res.files[i].error);
	}
	free(p->res.files);
	free(p->res.malformed);
	free(p->link_warned);
	free(p);
}
