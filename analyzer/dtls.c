/* dtls.c - DTLS record layer and handshake reassembly for one association
 * (see dtls.h and docs/dtls.md).  Message parsing is in dtls_hs.c, tables
 * and names in dtls_tables.c. */
#include "dtls.h"

#include <stdlib.h>
#include <string.h>

#include "cursor.h"
#include "dtls_int.h"

/* RFC 6347 §4.1 content types (20-23), RFC 6520 heartbeat (24),
 * RFC 9146 tls12_cid (25), RFC 9147 ack (26). */
enum {
	CT_CCS = 20,
	CT_ALERT = 21,
	CT_HANDSHAKE = 22,
	CT_APP_DATA = 23,
	CT_LAST = 26,
};

#define HS_HEADER 12 /* RFC 6347 §4.2.2 */

void dtls_limits_default(struct dtls_limits *lim)
{
	lim->max_message = 64 * 1024;
	lim->max_buffered = 256 * 1024;
	lim->max_partials = DTLS_MAX_PARTIALS;
	lim->max_cert_bytes = 256 * 1024;
	lim->max_events = 1024;
}

struct dtls_assoc *dtls_assoc_new(const struct dtls_limits *lim)
{
	struct dtls_assoc *a = calloc(1, sizeof *a);
	if (!a)
		return NULL;
	if (lim)
		a->lim = *lim;
	else
		dtls_limits_default(&a->lim);
	if (a->lim.max_partials > DTLS_MAX_PARTIALS)
		a->lim.max_partials = DTLS_MAX_PARTIALS;
	a->sum.client_dir = -1;
	a->sum.hs = a->hs;
	return a;
}

static void partial_drop(struct dtls_assoc *a, struct dtls_partial *p)
{
	if (!p->used)
		return;
	a->buffered -= p->total;
	free(p->buf);
	free(p->map);
	memset(p, 0, sizeof *p);
}

static void dirs_reset(struct dtls_assoc *a)
{
	int d;
	size_t i;
	for (d = 0; d < 2; d++) {
		for (i = 0; i < DTLS_MAX_PARTIALS; i++)
			partial_drop(a, &a->d[d].part[i]);
		memset(a->d[d].delivered, 0, sizeof a->d[d].delivered);
		memset(a->d[d].win, 0, sizeof a->d[d].win);
	}
}

void dtls_assoc_free(struct dtls_assoc *a)
{
	size_t i;
	if (!a)
		return;
	dirs_reset(a);
	for (i = 0; i < a->n_cert_mem; i++)
		free(a->cert_mem[i]);
	free(a->events);
	free(a);
}

const struct dtls_summary *dtls_assoc_summary(const struct dtls_assoc *a)
{
	return &a->sum;
}

const struct dtls_event *dtls_assoc_event(const struct dtls_assoc *a, size_t i)
{
	return i < a->sum.n_events ? &a->events[i] : NULL;
}

static void handshake_init(struct dtls_handshake *hs)
{
	memset(hs, 0, sizeof *hs);
	hs->client_dir = -1;
}

struct dtls_handshake *dtls_cur(struct dtls_assoc *a)
{
	if (a->sum.n_handshakes == 0) {
		handshake_init(&a->hs[0]);
		a->sum.n_handshakes = 1;
		a->sum.handshakes = 1;
		a->sum.current = &a->hs[0];
	}
	return &a->hs[a->sum.n_handshakes - 1];
}

void dtls_new_handshake(struct dtls_assoc *a, const struct dtls_where *at)
{
	(void)dtls_cur(a);
	/* Past the cap the last slot is reused: its certificates stay in
	 * storage until the association is freed (bounded by max_cert_bytes). */
	if (a->sum.n_handshakes < DTLS_MAX_HANDSHAKES)
		a->sum.n_handshakes++;
	a->sum.handshakes++;
	handshake_init(&a->hs[a->sum.n_handshakes - 1]);
	a->sum.current = &a->hs[a->sum.n_handshakes - 1];
	dirs_reset(a);
	dtls_event_add(a, DTLS_EV_NEW_HANDSHAKE, at, 0, DTLS_HS_CLIENT_HELLO, 0);
}

void dtls_event_add(struct dtls_assoc *a, enum dtls_event_kind kind,
		    const struct dtls_where *at, uint16_t epoch, uint8_t hs_type,
		    uint16_t msg_seq)
{
	struct dtls_event *e;
	if (a->sum.n_events >= a->lim.max_events) {
		a->sum.events_dropped++;
		return;
	}
	if (a->sum.n_events == a->events_cap) {
		size_t cap = a->events_cap ? a->events_cap * 2 : 32;
		struct dtls_event *ne;
		if (cap > a->lim.max_events)
			cap = a->lim.max_events;
		ne = realloc(a->events, cap * sizeof *ne);
		if (!ne) {
			a->sum.events_dropped++;
			return;
		}
		a->events = ne;
		a->events_cap = cap;
	}
	e = &a->events[a->sum.n_events++];
	memset(e, 0, sizeof *e);
	e->kind = kind;
	e->at = *at;
	e->handshake = a->sum.n_handshakes ? a->sum.n_handshakes - 1 : 0;
	e->epoch = epoch;
	e->hs_type = hs_type;
	e->msg_seq = msg_seq;
}

const uint8_t *dtls_cert_store(struct dtls_assoc *a, const uint8_t *der, size_t len)
{
	uint8_t *m;
	if (a->n_cert_mem >= sizeof a->cert_mem / sizeof a->cert_mem[0] ||
	    len > a->lim.max_cert_bytes - a->cert_bytes)
		return NULL;
	m = malloc(len);
	if (!m)
		return NULL;
	memcpy(m, der, len);
	a->cert_mem[a->n_cert_mem++] = m;
	a->cert_bytes += len;
	return m;
}

static bool seq_delivered(const struct dtls_dir *d, uint16_t seq)
{
	return seq < 256 && (d->delivered[seq / 64] >> (seq % 64)) & 1;
}

static void seq_mark(struct dtls_dir *d, uint16_t seq)
{
	if (seq < 256)
		d->delivered[seq / 64] |= (uint64_t)1 << (seq % 64);
}

/* record_is_duplicate - RFC 6347 §4.1.2.6 sliding window of 64 records,
 * one for epoch 0 and one for the newest epoch above it; records of older
 * epochs are never called duplicates.  A new handshake resets both. */
static bool record_is_duplicate(struct dtls_dir *d, uint16_t epoch, uint64_t seq)
{
	struct dtls_window *w = &d->win[epoch == 0 ? 0 : 1];
	uint64_t diff;
	if (!w->init || epoch > w->epoch) {
		w->init = true;
		w->epoch = epoch;
		w->top = seq;
		w->bits = 1;
		return false;
	}
	if (epoch < w->epoch)
		return false;
	if (seq > w->top) {
		diff = seq - w->top;
		w->bits = diff >= 64 ? 1 : (w->bits << diff) | 1;
		w->top = seq;
		return false;
	}
	diff = w->top - seq;
	if (diff >= 64)
		return false;
	if ((w->bits >> diff) & 1)
		return true;
	w->bits |= (uint64_t)1 << diff;
	return false;
}

static struct dtls_partial *partial_find(struct dtls_dir *d, uint16_t seq)
{
	size_t i;
	for (i = 0; i < DTLS_MAX_PARTIALS; i++)
		if (d->part[i].used && d->part[i].seq == seq)
			return &d->part[i];
	return NULL;
}

static enum sa_status limit_hit(struct dtls_assoc *a, const struct dtls_where *at,
				uint8_t type, uint16_t seq, struct diag_sink *sink,
				const char *why)
{
	a->sum.dropped_fragments++;
	dtls_event_add(a, DTLS_EV_LIMIT, at, 0, type, seq);
	/* One warning per association; the rest are counted in
	 * dropped_fragments and listed as DTLS_EV_LIMIT events. */
	if (!a->limit_warned)
		diag_emit(sink, DIAG_WARNING, NULL, at->frame,
			  "DTLS handshake fragment (type %u, message_seq %u) dropped: %s "
			  "(later drops on this association are counted, not shown)",
			  type, seq, why);
	a->limit_warned = true;
	return SA_NOMEM;
}

/* fragment_input - one handshake fragment (RFC 6347 §4.2.3): deliver the
 * message once every byte of it was seen, in whatever order and overlap.
 * A message_seq already delivered is a retransmission, unless it is a
 * ClientHello with a new random after a ServerHello (a new handshake). */
static enum sa_status fragment_input(struct dtls_assoc *a, int dir, uint8_t type,
				     uint32_t total, uint16_t seq, uint32_t off,
				     struct cursor frag, bool dup, const struct dtls_where *at,
				     struct diag_sink *sink)
{
	struct dtls_dir *d = &a->d[dir];
	struct dtls_partial *p;
	uint32_t flen = (uint32_t)cursor_left(&frag), i;
	size_t k;

	if (total > a->lim.max_message)
		return limit_hit(a, at, type, seq, sink, "message length over the cap");
	if (seq_delivered(d, seq)) {
		const struct dtls_handshake *hs = dtls_cur(a);
		bool new_ch = type == DTLS_HS_CLIENT_HELLO && off == 0 && flen >= 34 &&
			      hs->ch.seen && hs->sh.seen &&
			      memcmp(frag.p + 2, hs->ch.random, 32) != 0;
		if (!new_ch) {
			/* a duplicated datagram is not a retransmission */
			if (off == 0 && !dup) {
				a->sum.hs_retransmissions++;
				dtls_event_add(a, DTLS_EV_RETRANSMISSION, at, 0, type, seq);
			}
			return SA_OK;
		}
		dtls_new_handshake(a, at);
	}
	p = partial_find(d, seq);
	if (p && (p->type != type || p->total != total)) {
		a->sum.dropped_fragments++;
		diag_emit(sink, DIAG_WARNING, NULL, at->frame,
			  "DTLS handshake fragment (message_seq %u) disagrees with earlier "
			  "fragments on type or length (%u/%u vs %u/%u)",
			  seq, type, total, p->type, p->total);
		return SA_MALFORMED;
	}
	if (flen == total) {
		/* The whole message in one fragment: no copy needed. */
		enum sa_status st;
		if (p)
			partial_drop(a, p);
		st = dtls_hs_deliver(a, dir, type, seq, frag.p, flen, at, sink);
		/* after delivery: a ClientHello may have reset the state */
		seq_mark(d, seq);
		return st;
	}
	if (flen == 0)
		return SA_OK;
	if (!p) {
		for (k = 0; k < a->lim.max_partials; k++)
			if (!d->part[k].used)
				break;
		if (k == a->lim.max_partials)
			return limit_hit(a, at, type, seq, sink,
					 "too many messages under reassembly");
		if (total > a->lim.max_buffered - a->buffered)
			return limit_hit(a, at, type, seq, sink,
					 "reassembly buffer cap reached");
		p = &d->part[k];
		p->buf = malloc(total);
		p->map = calloc((total + 7) / 8, 1);
		if (!p->buf || !p->map) {
			free(p->buf);
			free(p->map);
			p->buf = p->map = NULL;
			return limit_hit(a, at, type, seq, sink, "out of memory");
		}
		p->used = true;
		p->type = type;
		p->seq = seq;
		p->total = total;
		p->have = 0;
		a->buffered += total;
	}
	memcpy(p->buf + off, frag.p, flen);
	for (i = off; i < off + flen; i++) {
		uint8_t bit = (uint8_t)(1u << (i % 8));
		if (!(p->map[i / 8] & bit)) {
			p->map[i / 8] |= bit;
			p->have++;
		}
	}
	if (p->have == p->total) {
		enum sa_status st;
		st = dtls_hs_deliver(a, dir, type, seq, p->buf, p->total, at, sink);
		partial_drop(a, p); /* no-op if a new handshake already dropped it */
		seq_mark(d, seq);
		return st;
	}
	return SA_OK;
}

/* handshake_record - an epoch-0 handshake record body: one or more
 * fragments, each with the RFC 6347 §4.2.2 header
 * msg_type(1) length(3) message_seq(2) fragment_offset(3) fragment_length(3). */
static enum sa_status handshake_record(struct dtls_assoc *a, int dir, struct cursor body,
				       bool dup, const struct dtls_where *at,
				       struct diag_sink *sink)
{
	enum sa_status worst = SA_OK;
	while (!cursor_empty(&body)) {
		uint8_t type;
		uint32_t total, off;
		uint16_t seq;
		struct cursor frag;
		enum sa_status st;
		if (!cursor_u8(&body, &type) || !cursor_u24be(&body, &total) ||
		    !cursor_u16be(&body, &seq) || !cursor_u24be(&body, &off) ||
		    !cursor_prefixed24(&body, &frag) ||
		    (uint64_t)off + cursor_left(&frag) > total) {
			diag_emit(sink, DIAG_WARNING, NULL, at->frame,
				  "DTLS handshake fragment header does not fit its record "
				  "or its length (RFC 6347 §4.2.2)");
			return SA_MALFORMED;
		}
		st = fragment_input(a, dir, type, total, seq, off, frag, dup, at, sink);
		if (st != SA_OK && worst == SA_OK)
			worst = st;
	}
	return worst;
}

static void alert_note(struct dtls_assoc *a, int dir, bool encrypted, uint8_t level,
		       uint8_t desc, uint16_t epoch, const struct dtls_where *at)
{
	struct dtls_alert al;
	struct dtls_event *e;
	size_t before = a->sum.n_events;

	memset(&al, 0, sizeof al);
	al.seen = true;
	al.encrypted = encrypted;
	al.level = level;
	al.desc = desc;
	al.at = *at;
	a->sum.alerts++;
	a->sum.last_alert[dir] = al;
	if (!encrypted && level == 2 && !a->sum.first_fatal.seen)
		a->sum.first_fatal = al;
	if (!encrypted && desc == 0 && !a->sum.close_notify[dir].seen)
		a->sum.close_notify[dir] = al;
	dtls_event_add(a, DTLS_EV_ALERT, at, epoch, 0, 0);
	if (a->sum.n_events > before) {
		e = &a->events[before];
		e->encrypted = encrypted;
		e->alert_level = level;
		e->alert_desc = desc;
	}
}

/* encrypted_handshake - RFC 5246 §7.4.9: the first handshake record of a
 * direction under the new epoch is its Finished. */
static void encrypted_handshake(struct dtls_assoc *a, int dir, uint16_t epoch, bool dup,
				const struct dtls_where *at)
{
	struct dtls_handshake *hs = dtls_cur(a);
	if (hs->finished[dir].seen) {
		if (!dup) {
			a->sum.hs_retransmissions++;
			dtls_event_add(a, DTLS_EV_RETRANSMISSION, at, epoch, DTLS_HS_FINISHED, 0);
		}
		return;
	}
	hs->finished[dir].seen = true;
	hs->finished[dir].at = *at;
	dtls_event_add(a, DTLS_EV_FINISHED, at, epoch, DTLS_HS_FINISHED, 0);
	if (hs->finished[!dir].seen && !hs->complete) {
		hs->complete = true;
		hs->completed_at = *at;
		dtls_event_add(a, DTLS_EV_COMPLETE, at, epoch, 0, 0);
	}
}

static void dtls13_note(struct dtls_assoc *a, const struct dtls_where *at)
{
	if (!a->sum.dtls13_seen) {
		a->sum.dtls13_seen = true;
		dtls_event_add(a, DTLS_EV_DTLS13, at, 0, 0, 0);
	}
}

static enum sa_status malformed(struct dtls_assoc *a, const struct dtls_where *at,
				struct diag_sink *sink, const char *what, size_t offset)
{
	a->sum.malformed_datagrams++;
	dtls_event_add(a, DTLS_EV_MALFORMED, at, 0, 0, 0);
	diag_emit(sink, DIAG_WARNING, NULL, at->frame,
		  "DTLS datagram malformed at byte %zu: %s; the rest of it is ignored",
		  offset, what);
	return SA_MALFORMED;
}

enum sa_status dtls_assoc_input(struct dtls_assoc *a, int dir, const uint8_t *udp_payload,
				size_t len, uint64_t frame, uint64_t ts_ns,
				struct diag_sink *sink)
{
	struct cursor c = cursor_make(udp_payload, len);
	struct dtls_where at;
	enum sa_status worst = SA_OK;

	if (!a || dir < 0 || dir > 1 || (!udp_payload && len))
		return SA_MALFORMED;
	at.dir = dir;
	at.frame = frame;
	at.ts_ns = ts_ns;
	if (!a->sum.first_record.frame)
		a->sum.first_record = at;
	a->sum.last_record = at;
	while (!cursor_empty(&c)) {
		size_t offset = len - cursor_left(&c);
		uint8_t type;
		uint16_t version, epoch;
		uint64_t seq;
		struct cursor body;
		enum sa_status st = SA_OK;
		bool dup;

		if ((c.p[0] & 0xE0) == 0x20) {
			/* RFC 9147 §4: unified header 001CSLEE.  With a CID
			 * (C) or no length (L=0) it runs to the datagram end. */
			uint8_t flags = c.p[0];
			size_t hdr = 1 + ((flags & 0x08) ? 2 : 1);
			uint16_t rlen;
			struct cursor h = c;
			dtls13_note(a, &at);
			a->sum.records[dir]++;
			a->sum.records_encrypted[dir]++;
			a->sum.bytes[dir] += cursor_left(&c);
			if ((flags & 0x10) || !(flags & 0x04))
				break;
			if (!cursor_skip(&h, hdr) || !cursor_u16be(&h, &rlen) ||
			    !cursor_skip(&h, rlen))
				return malformed(a, &at, sink, "DTLS 1.3 record length past the datagram end",
						 offset);
			a->sum.bytes[dir] -= cursor_left(&h);
			c = h;
			continue;
		}
		/* RFC 6347 §4.1: type(1) version(2) epoch(2) sequence_number(6)
		 * length(2) fragment. */
		if (!cursor_u8(&c, &type) || !cursor_u16be(&c, &version) ||
		    !cursor_u16be(&c, &epoch) || !cursor_u48be(&c, &seq) ||
		    !cursor_prefixed16(&c, &body))
			return malformed(a, &at, sink,
					 "record header or length past the datagram end "
					 "(RFC 6347 §4.1.1: records never span datagrams)",
					 offset);
		if (type < CT_CCS || type > CT_LAST)
			return malformed(a, &at, sink, "unknown content type", offset);
		if (version != DTLS_V10 && version != DTLS_V12 && version != DTLS_V13)
			return malformed(a, &at, sink, "unknown record version", offset);
		a->sum.records[dir]++;
		a->sum.bytes[dir] += 13 + cursor_left(&body);
		if (!a->sum.version || !dtls_cur(a)->sh.seen)
			a->sum.version = version;
		dup = record_is_duplicate(&a->d[dir], epoch, seq);
		if (dup)
			a->sum.records_duplicate++;
		if (epoch > 0) {
			a->sum.records_encrypted[dir]++;
			if (type == CT_HANDSHAKE)
				encrypted_handshake(a, dir, epoch, dup, &at);
			else if (type == CT_ALERT && !dup)
				alert_note(a, dir, true, 0, 0, epoch, &at);
		} else if (type == CT_HANDSHAKE) {
			st = handshake_record(a, dir, body, dup, &at, sink);
		} else if (type == CT_CCS) {
			/* RFC 5246 §7.1: a single byte of value 1. */
			struct dtls_handshake *hs = dtls_cur(a);
			if (cursor_left(&body) != 1 || body.p[0] != 1)
				return malformed(a, &at, sink, "ChangeCipherSpec is not the byte 1",
						 offset);
			if (!hs->ccs[dir].seen) {
				hs->ccs[dir].seen = true;
				hs->ccs[dir].at = at;
				dtls_event_add(a, DTLS_EV_CCS, &at, epoch, 0, 0);
			} else if (!dup) {
				a->sum.hs_retransmissions++;
				dtls_event_add(a, DTLS_EV_RETRANSMISSION, &at, epoch, 0, 0);
			}
		} else if (type == CT_ALERT) {
			/* RFC 5246 §7.2: level(1) description(1). */
			if (cursor_left(&body) != 2)
				return malformed(a, &at, sink, "alert is not two bytes", offset);
			if (!dup)
				alert_note(a, dir, false, body.p[0], body.p[1], epoch, &at);
		}
		if (type == CT_APP_DATA && !dup) {
			a->sum.app_data_records[dir]++;
			if (!a->d[dir].app_event) {
				a->d[dir].app_event = true;
				dtls_event_add(a, DTLS_EV_APP_DATA, &at, epoch, 0, 0);
			}
		}
		if (st != SA_OK) {
			if (st == SA_MALFORMED) {
				a->sum.malformed_datagrams++;
				dtls_event_add(a, DTLS_EV_MALFORMED, &at, epoch, 0, 0);
			}
			if (worst == SA_OK)
				worst = st;
		}
	}
	{
		const struct dtls_handshake *hs = dtls_cur(a);
		a->sum.client_dir = hs->client_dir;
		if (hs->sh.seen && hs->version)
			a->sum.version = hs->version;
	}
	return worst;
}
