/* sdp.c - SDP parser (RFC 8866) into a fixed-capacity model; see sdp.h. */
#include "sdp.h"

#include <string.h>

const char *sdp_setup_name(enum sdp_setup s)
{
	switch (s) {
	case SDP_SETUP_NONE: return "none";
	case SDP_SETUP_ACTIVE: return "active";
	case SDP_SETUP_PASSIVE: return "passive";
	case SDP_SETUP_ACTPASS: return "actpass";
	case SDP_SETUP_HOLDCONN: return "holdconn";
	case SDP_SETUP_OTHER: return "other";
	}
	return "other";
}

const char *sdp_dir_name(enum sdp_dir d)
{
	switch (d) {
	case SDP_DIR_NONE: return "none";
	case SDP_DIR_SENDRECV: return "sendrecv";
	case SDP_DIR_SENDONLY: return "sendonly";
	case SDP_DIR_RECVONLY: return "recvonly";
	case SDP_DIR_INACTIVE: return "inactive";
	}
	return "none";
}

/* Parser state for one sdp_parse() call. */
struct pstate {
	struct sdp *s;
	struct sdp_errors *errs;
	unsigned line;
	struct sv text;            /* current line */
	struct sdp_level *lvl;     /* session or current media level */
	struct sdp_media *m;       /* NULL at session level */
	bool skip_media;           /* past SDP_MAX_MEDIA: ignore media lines */
	bool attrs_full_reported;
};

static void err_at(struct pstate *ps, const char *code, struct sv text)
{
	if (!ps->errs)
		return;
	if (ps->errs->n >= SDP_MAX_ERRORS) {
		ps->errs->dropped++;
		return;
	}
	ps->errs->e[ps->errs->n].line = ps->line;
	ps->errs->e[ps->errs->n].code = code;
	ps->errs->e[ps->errs->n].text = text;
	ps->errs->n++;
}

static void err(struct pstate *ps, const char *code)
{
	err_at(ps, code, ps->text);
}

static int n_errors(const struct pstate *ps)
{
	return ps->errs ? (int)(ps->errs->n + ps->errs->dropped) : 0;
}

/* c=<nettype> <addrtype> <connection-address> (RFC 8866 §5.7).  Multicast
 * "/ttl[/count]" suffixes are tolerated and kept apart. */
static bool parse_conn(struct sv v, struct sdp_conn *c)
{
	struct sv rest = v, extra;
	memset(c, 0, sizeof *c);
	if (!sv_next_token(&rest, &c->nettype) || !sv_next_token(&rest, &c->addrtype) ||
	    !sv_next_token(&rest, &c->addr) || sv_next_token(&rest, &extra))
		return false;
	if (!sv_eq_cstr_ci(c->nettype, "IN") ||
	    (!sv_eq_cstr_ci(c->addrtype, "IP4") && !sv_eq_cstr_ci(c->addrtype, "IP6")))
		return false;
	{
		const char *slash = memchr(c->addr.p, '/', c->addr.n);
		if (slash) {
			size_t at = (size_t)(slash - c->addr.p);
			c->suffix = sv_make(slash, c->addr.n - at);
			c->addr.n = at;
		}
	}
	c->present = c->addr.n > 0;
	return c->present;
}

size_t sdp_fingerprint_hash_len(struct sv hash)
{
	static const struct { const char *name; size_t len; } h[] = {
		{ "sha-1", 20 }, { "sha-224", 28 }, { "sha-256", 32 },
		{ "sha-384", 48 }, { "sha-512", 64 }, { "md5", 16 }, { "md2", 16 },
	};
	size_t i;
	for (i = 0; i < sizeof h / sizeof h[0]; i++)
		if (sv_eq_cstr_ci(hash, h[i].name))
			return h[i].len;
	return 0;
}

static int hexdig(char c, bool *lower)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f') {
		*lower = true;
		return c - 'a' + 10;
	}
	return -1;
}

/* fingerprint = hash-func SP fingerprint; fingerprint = 2UHEX *(":" 2UHEX)
 * (RFC 8122 §5).  Lenient: a space after "fingerprint:", lower-case hex. */
static void parse_fingerprint(struct pstate *ps, struct sv raw)
{
	struct sdp_level *l = ps->lvl;
	struct sdp_fingerprint *fp;
	struct sv rest = raw, extra;
	size_t i;
	if (l->n_fp >= SDP_MAX_FP) {
		err(ps, "too-many-fingerprints");
		return;
	}
	fp = &l->fp[l->n_fp++];
	memset(fp, 0, sizeof *fp);
	fp->line = ps->line;
	fp->space_after_colon = raw.n > 0 && (raw.p[0] == ' ' || raw.p[0] == '\t');
	if (!sv_next_token(&rest, &fp->hash) || !sv_next_token(&rest, &fp->hex) ||
	    sv_next_token(&rest, &extra)) {
		err(ps, "bad-fingerprint");
		return;
	}
	/* 2HEX *(":" 2HEX): length is 3n-1. */
	if ((fp->hex.n + 1) % 3 != 0 || (fp->hex.n + 1) / 3 > SDP_MAX_FP_BYTES) {
		err(ps, "bad-fingerprint");
		return;
	}
	for (i = 0; i < fp->hex.n; i += 3) {
		int hi = hexdig(fp->hex.p[i], &fp->lower_hex);
		int lo = hexdig(fp->hex.p[i + 1], &fp->lower_hex);
		if (hi < 0 || lo < 0 || (i + 2 < fp->hex.n && fp->hex.p[i + 2] != ':')) {
			err(ps, "bad-fingerprint");
			fp->len = 0;
			return;
		}
		fp->bytes[fp->len++] = (uint8_t)(hi << 4 | lo);
	}
	fp->ok = true;
}

/* candidate-attribute (RFC 8839 §5.1): foundation component-id transport
 * priority connection-address port "typ" cand-type [raddr a] [rport p] *ext */
static void parse_candidate(struct pstate *ps, struct sv v)
{
	struct sdp_media *m = ps->m;
	struct sdp_candidate *c;
	struct sv rest = v, comp, prio, port, typ_kw, k, val;
	if (m->n_cand >= SDP_MAX_CAND) {
		err(ps, "too-many-candidates");
		return;
	}
	c = &m->cand[m->n_cand];
	memset(c, 0, sizeof *c);
	c->line = ps->line;
	if (!sv_next_token(&rest, &c->foundation) || !sv_next_token(&rest, &comp) ||
	    !sv_next_token(&rest, &c->transport) || !sv_next_token(&rest, &prio) ||
	    !sv_next_token(&rest, &c->addr) || !sv_next_token(&rest, &port) ||
	    !sv_next_token(&rest, &typ_kw) || !sv_next_token(&rest, &c->typ) ||
	    !sv_u16(comp, &c->component) || !sv_u32(prio, &c->priority) ||
	    !sv_u16(port, &c->port) || !sv_eq_cstr_ci(typ_kw, "typ")) {
		err(ps, "bad-candidate");
		return;
	}
	while (sv_next_token(&rest, &k) && sv_next_token(&rest, &val)) {
		if (sv_eq_cstr_ci(k, "raddr"))
			c->raddr = val;
		else if (sv_eq_cstr_ci(k, "rport") && !sv_u16(val, &c->rport))
			err(ps, "bad-candidate");
	}
	m->n_cand++;
}

/* rtcp-attribute = "rtcp:" port [nettype space addrtype space
 * connection-address] (RFC 3605 §2.1). */
static void parse_rtcp(struct pstate *ps, struct sv v)
{
	struct sdp_rtcp *r = &ps->m->rtcp;
	struct sv rest = v, port;
	memset(r, 0, sizeof *r);
	if (!sv_next_token(&rest, &port) || !sv_u16(port, &r->port)) {
		err(ps, "bad-rtcp");
		return;
	}
	rest = sv_trim(rest);
	if (rest.n > 0 && !parse_conn(rest, &r->conn)) {
		err(ps, "bad-rtcp");
		return;
	}
	r->conn.line = ps->line;
	r->present = true;
}

/* rtpmap: <payload type> <encoding name>/<clock rate>[/<params>] (RFC 8866 §6.6) */
static void parse_rtpmap(struct pstate *ps, struct sv v)
{
	struct sdp_media *m = ps->m;
	struct sdp_rtpmap *r;
	struct sv rest = v, pt, enc, clock, extra;
	if (m->n_rtpmap >= SDP_MAX_RTPMAP) {
		err(ps, "too-many-rtpmaps");
		return;
	}
	r = &m->rtpmap[m->n_rtpmap];
	memset(r, 0, sizeof *r);
	if (!sv_next_token(&rest, &pt) || !sv_next_token(&rest, &enc) ||
	    sv_next_token(&rest, &extra) || !sv_u16(pt, &r->pt) || r->pt > 127) {
		err(ps, "bad-rtpmap");
		return;
	}
	sv_split_char(enc, '/', &r->encoding, &clock);
	sv_split_char(clock, '/', &clock, &r->params);
	if (r->encoding.n == 0 || !sv_u32(clock, &r->clock)) {
		err(ps, "bad-rtpmap");
		return;
	}
	m->n_rtpmap++;
}

static void parse_fmtp(struct pstate *ps, struct sv v)
{
	struct sdp_media *m = ps->m;
	struct sdp_fmtp *f;
	struct sv rest = v;
	if (m->n_fmtp >= SDP_MAX_RTPMAP) {
		err(ps, "too-many-fmtps");
		return;
	}
	f = &m->fmtp[m->n_fmtp];
	if (!sv_next_token(&rest, &f->fmt)) {
		err(ps, "bad-fmtp");
		return;
	}
	f->params = sv_trim(rest);
	m->n_fmtp++;
}

/* ssrc-attr = "ssrc:" ssrc-id SP attribute [":" value] (RFC 5576 §4.1) */
static void parse_ssrc(struct pstate *ps, struct sv v)
{
	struct sdp_media *m = ps->m;
	struct sdp_ssrc *x;
	struct sv rest = v, id, attr;
	if (m->n_ssrc >= SDP_MAX_SSRC) {
		err(ps, "too-many-ssrcs");
		return;
	}
	x = &m->ssrc[m->n_ssrc];
	if (!sv_next_token(&rest, &id) || !sv_u32(id, &x->ssrc)) {
		err(ps, "bad-ssrc");
		return;
	}
	attr = sv_trim(rest);
	if (attr.n == 0) {
		err(ps, "bad-ssrc");
		return;
	}
	sv_split_char(attr, ':', &x->attr, &x->value);
	m->n_ssrc++;
}

/* group-attribute = "group:" semantics *(SP identification-tag) (RFC 5888 §5) */
static void parse_group(struct pstate *ps, struct sv v)
{
	struct sdp_group *g;
	struct sv rest = v, mid;
	if (ps->s->n_groups >= SDP_MAX_GROUPS) {
		err(ps, "too-many-groups");
		return;
	}
	g = &ps->s->groups[ps->s->n_groups];
	memset(g, 0, sizeof *g);
	if (!sv_next_token(&rest, &g->semantics)) {
		err(ps, "bad-group");
		return;
	}
	while (sv_next_token(&rest, &mid)) {
		if (g->n_mids >= SDP_MAX_GROUP_MIDS) {
			err(ps, "too-many-group-mids");
			break;
		}
		g->mids[g->n_mids++] = mid;
	}
	ps->s->n_groups++;
}

static void parse_crypto(struct pstate *ps, struct sv v)
{
	struct sdp *s = ps->s;
	struct sdes_errors se;
	size_t i;
	if (!ps->m) {
		/* RFC 4568 §4: media level only.  Counted, not parsed. */
		ps->lvl->n_crypto_here++;
		err(ps, "crypto-session-level");
		return;
	}
	ps->lvl->n_crypto_here++;
	if (ps->m->n_crypto >= SDP_MAX_CRYPTO || s->n_crypto >= SDP_MAX_CRYPTO_TOTAL) {
		err(ps, "too-many-crypto");
		return;
	}
	memset(&se, 0, sizeof se);
	sdes_parse(v, &s->crypto[s->n_crypto], &se);
	for (i = 0; i < se.n; i++)
		err_at(ps, sdes_err_code(se.e[i].code), se.e[i].text);
	s->n_crypto++;
	ps->m->n_crypto++;
}

static enum sdp_setup setup_from(struct sv v)
{
	/* RFC 4145 §4: role = "active" / "passive" / "actpass" / "holdconn" */
	if (sv_eq_cstr_ci(v, "active"))
		return SDP_SETUP_ACTIVE;
	if (sv_eq_cstr_ci(v, "passive"))
		return SDP_SETUP_PASSIVE;
	if (sv_eq_cstr_ci(v, "actpass"))
		return SDP_SETUP_ACTPASS;
	if (sv_eq_cstr_ci(v, "holdconn"))
		return SDP_SETUP_HOLDCONN;
	return SDP_SETUP_OTHER;
}

/* a=<attribute>[:<value>] (RFC 8866 §5.13). */
static void parse_attr(struct pstate *ps, struct sv body)
{
	struct sdp_level *l = ps->lvl;
	struct sv name, raw, v;
	bool has_value = sv_split_char(body, ':', &name, &raw);
	size_t i;
	if (name.n == 0) {
		err(ps, "bad-attribute");
		return;
	}
	for (i = 0; i < name.n; i++) {
		char c = name.p[i];
		if (c <= ' ' || c >= 0x7f) {
			err(ps, "bad-attribute");
			return;
		}
	}
	v = sv_trim(raw);
	if (l->n_attrs < SDP_MAX_ATTRS) {
		struct sdp_attr *a = &l->attrs[l->n_attrs++];
		a->name = name;
		a->value = v;
		a->has_value = has_value;
		a->line = ps->line;
	} else if (!ps->attrs_full_reported) {
		err(ps, "too-many-attributes");
		ps->attrs_full_reported = true;
	}
	if (sv_eq_cstr_ci(name, "fingerprint") && has_value) {
		parse_fingerprint(ps, raw);
	} else if (sv_eq_cstr_ci(name, "setup") && has_value) {
		l->setup = setup_from(v);
		l->setup_raw = v;
		l->setup_line = ps->line;
		if (l->setup == SDP_SETUP_OTHER)
			err(ps, "bad-setup");
	} else if (sv_eq_cstr_ci(name, "connection") && has_value) {
		l->connection = v;
	} else if (sv_eq_cstr_ci(name, "tls-id") && has_value) {
		l->tls_id = v;
	} else if (sv_eq_cstr_ci(name, "ice-ufrag") && has_value) {
		l->ice_ufrag = v;
	} else if (sv_eq_cstr_ci(name, "ice-pwd") && has_value) {
		l->ice_pwd = v;
	} else if (sv_eq_cstr_ci(name, "ice-lite")) {
		l->ice_lite = true;
	} else if (sv_eq_cstr_ci(name, "sendrecv")) {
		l->dir = SDP_DIR_SENDRECV;
	} else if (sv_eq_cstr_ci(name, "sendonly")) {
		l->dir = SDP_DIR_SENDONLY;
	} else if (sv_eq_cstr_ci(name, "recvonly")) {
		l->dir = SDP_DIR_RECVONLY;
	} else if (sv_eq_cstr_ci(name, "inactive")) {
		l->dir = SDP_DIR_INACTIVE;
	} else if (sv_eq_cstr_ci(name, "rtcp-mux")) {
		l->rtcp_mux = true;
	} else if (sv_eq_cstr_ci(name, "rtcp-mux-only")) {
		l->rtcp_mux_only = true;
	} else if (sv_eq_cstr_ci(name, "rtcp-rsize")) {
		l->rtcp_rsize = true;
	} else if (sv_eq_cstr_ci(name, "group") && has_value) {
		parse_group(ps, v);
	} else if (sv_eq_cstr_ci(name, "crypto") && has_value) {
		parse_crypto(ps, v);
	} else if (ps->m && sv_eq_cstr_ci(name, "mid") && has_value) {
		ps->m->mid = v;
	} else if (ps->m && sv_eq_cstr_ci(name, "candidate") && has_value) {
		parse_candidate(ps, v);
	} else if (ps->m && sv_eq_cstr_ci(name, "rtcp") && has_value) {
		parse_rtcp(ps, v);
	} else if (ps->m && sv_eq_cstr_ci(name, "rtpmap") && has_value) {
		parse_rtpmap(ps, v);
	} else if (ps->m && sv_eq_cstr_ci(name, "fmtp") && has_value) {
		parse_fmtp(ps, v);
	} else if (ps->m && sv_eq_cstr_ci(name, "ssrc") && has_value) {
		parse_ssrc(ps, v);
	}
}

/* m=<media> <port>[/<number of ports>] <proto> <fmt> ... (RFC 8866 §5.14) */
static void parse_m(struct pstate *ps, struct sv v)
{
	struct sdp *s = ps->s;
	struct sdp_media *m;
	struct sv rest = v, port, nports, fmt;
	if (s->n_media >= SDP_MAX_MEDIA) {
		if (!ps->skip_media)
			err(ps, "too-many-media");
		ps->skip_media = true;
		return;
	}
	m = &s->media[s->n_media];
	memset(m, 0, sizeof *m);
	m->line = ps->line;
	m->nports = 1;
	m->crypto_first = s->n_crypto;
	if (!sv_next_token(&rest, &m->media) || !sv_next_token(&rest, &port) ||
	    !sv_next_token(&rest, &m->proto)) {
		err(ps, "bad-m-line");
		ps->skip_media = true;
		return;
	}
	if (sv_split_char(port, '/', &port, &nports) &&
	    (!sv_u16(nports, &m->nports) || m->nports == 0)) {
		err(ps, "bad-m-line");
		ps->skip_media = true;
		return;
	}
	if (!sv_u16(port, &m->port)) {
		err(ps, "bad-m-line");
		ps->skip_media = true;
		return;
	}
	while (sv_next_token(&rest, &fmt)) {
		if (m->n_fmts >= SDP_MAX_FMTS) {
			err(ps, "too-many-formats");
			break;
		}
		m->fmts[m->n_fmts++] = fmt;
	}
	if (m->n_fmts == 0)
		err(ps, "bad-m-line");
	s->n_media++;
	ps->skip_media = false;
	ps->m = m;
	ps->lvl = &m->lvl;
	ps->attrs_full_reported = false;
}

static void parse_line(struct pstate *ps, char type, struct sv v)
{
	struct sdp *s = ps->s;
	struct sv rest = v, tok, extra;
	if (type == 'm') {
		parse_m(ps, v);
		return;
	}
	if (ps->skip_media)
		return;
	switch (type) {
	case 'v': /* §5.1: v=0 */
		if (!sv_eq(v, SV_LIT("0")))
			err(ps, "bad-version");
		s->has_version = true;
		break;
	case 'o': { /* §5.2 */
		struct sdp_origin *o = &s->origin;
		if (ps->m || !sv_next_token(&rest, &o->username) ||
		    !sv_next_token(&rest, &o->sess_id) || !sv_next_token(&rest, &o->sess_version) ||
		    !sv_next_token(&rest, &o->nettype) || !sv_next_token(&rest, &o->addrtype) ||
		    !sv_next_token(&rest, &o->addr) || sv_next_token(&rest, &extra) ||
		    !sv_u64(o->sess_version, UINT64_MAX, &o->sess_version_num)) {
			err(ps, "bad-o-line");
			break;
		}
		o->present = true;
		break;
	}
	case 's': /* §5.3 */
		s->session_name = v;
		break;
	case 'c': { /* §5.7 */
		struct sdp_conn c;
		if (!parse_conn(v, &c)) {
			err(ps, "bad-c-line");
			break;
		}
		c.line = ps->line;
		ps->lvl->conn = c;
		break;
	}
	case 'b': { /* §5.8: b=<bwtype>:<bandwidth> */
		struct sdp_bw bw;
		struct sv val;
		if (!sv_split_char(v, ':', &bw.type, &val) || bw.type.n == 0 ||
		    !sv_u32(val, &bw.value)) {
			err(ps, "bad-b-line");
			break;
		}
		if (ps->lvl->n_bw >= SDP_MAX_BW) {
			err(ps, "too-many-bandwidths");
			break;
		}
		ps->lvl->bw[ps->lvl->n_bw++] = bw;
		break;
	}
	case 't': { /* §5.9: t=<start-time> <stop-time> */
		uint64_t t;
		if (!sv_next_token(&rest, &tok) || !sv_u64(tok, UINT64_MAX, &t) ||
		    !sv_next_token(&rest, &tok) || !sv_u64(tok, UINT64_MAX, &t) ||
		    sv_next_token(&rest, &extra)) {
			err(ps, "bad-t-line");
			break;
		}
		s->has_timing = true;
		break;
	}
	case 'a':
		parse_attr(ps, v);
		break;
	case 'i': case 'u': case 'e': case 'p': case 'r': case 'z': case 'k':
		break; /* known, not needed */
	default:
		err(ps, "unknown-line-type");
		break;
	}
}

enum sa_status sdp_parse(const char *text, size_t len, struct sdp *out,
			 struct sdp_errors *errs)
{
	struct pstate ps;
	struct sv rest = sv_make(text, len), line;
	bool term = true;
	int errs_before;
	memset(out, 0, sizeof *out);
	memset(&ps, 0, sizeof ps);
	ps.s = out;
	ps.errs = errs;
	ps.lvl = &out->sess;
	out->text = rest;
	errs_before = n_errors(&ps);
	while (sv_next_line(&rest, &line, &term)) {
		ps.line++;
		ps.text = line;
		/* Line-end style: CRLF (RFC 8866 §5) or bare LF (tolerated). */
		if (term) {
			if (line.p + line.n < text + len && line.p[line.n] == '\r')
				out->crlf = true;
			else
				out->lf_only = true;
		}
		if (ps.line == 1 && (line.n < 2 || line.p[0] != 'v' || line.p[1] != '=')) {
			err(&ps, "not-sdp");
			out->n_lines = 1;
			return SA_MALFORMED;
		}
		if (line.n == 0)
			continue; /* blank line, typically the end of the body */
		if (line.n > SDP_MAX_LINE) {
			err_at(&ps, "line-too-long", sv_make(line.p, 64));
			continue;
		}
		if (line.n < 2 || line.p[1] != '=' || line.p[0] < 'a' || line.p[0] > 'z') {
			err(&ps, "bad-line");
			continue;
		}
		parse_line(&ps, line.p[0], sv_make(line.p + 2, line.n - 2));
	}
	out->n_lines = ps.line;
	if (!term && ps.line > 0) {
		/* RFC 8866 §5: every line ends with CRLF; accepted and recorded. */
		out->unterminated = true;
		err(&ps, "unterminated-line");
	}
	if (ps.line == 0) {
		ps.text = rest;
		err(&ps, "empty");
		return SA_MALFORMED;
	}
	if (!out->origin.present)
		err_at(&ps, "missing-o-line", sv_make(text, 0)); /* RFC 8866 §5.2 */
	return n_errors(&ps) == errs_before ? SA_OK : SA_MALFORMED;
}

const struct sdp_conn *sdp_media_connection(const struct sdp *s, const struct sdp_media *m)
{
	if (m && m->lvl.conn.present)
		return &m->lvl.conn;
	return s->sess.conn.present ? &s->sess.conn : NULL;
}

enum sdp_setup sdp_media_setup(const struct sdp *s, const struct sdp_media *m)
{
	if (m && m->lvl.setup != SDP_SETUP_NONE)
		return m->lvl.setup;
	return s->sess.setup;
}

enum sdp_dir sdp_media_direction(const struct sdp *s, const struct sdp_media *m)
{
	if (m && m->lvl.dir != SDP_DIR_NONE)
		return m->lvl.dir;
	return s->sess.dir;
}

const struct sdp_fingerprint *sdp_media_fingerprints(const struct sdp *s,
						     const struct sdp_media *m, size_t *n)
{
	if (m && m->lvl.n_fp > 0) {
		*n = m->lvl.n_fp;
		return m->lvl.fp;
	}
	*n = s->sess.n_fp;
	return s->sess.fp;
}

static struct sv pick(struct sv media, struct sv session)
{
	return media.n ? media : session;
}

struct sv sdp_media_ice_ufrag(const struct sdp *s, const struct sdp_media *m)
{
	return pick(m ? m->lvl.ice_ufrag : sv_make(NULL, 0), s->sess.ice_ufrag);
}

struct sv sdp_media_ice_pwd(const struct sdp *s, const struct sdp_media *m)
{
	return pick(m ? m->lvl.ice_pwd : sv_make(NULL, 0), s->sess.ice_pwd);
}

struct sv sdp_media_tls_id(const struct sdp *s, const struct sdp_media *m)
{
	return pick(m ? m->lvl.tls_id : sv_make(NULL, 0), s->sess.tls_id);
}

bool sdp_media_rtcp_mux(const struct sdp *s, const struct sdp_media *m)
{
	return (m && (m->lvl.rtcp_mux || m->lvl.rtcp_mux_only)) ||
	       s->sess.rtcp_mux || s->sess.rtcp_mux_only;
}

const struct sdes_crypto *sdp_media_crypto(const struct sdp *s,
					   const struct sdp_media *m, size_t i)
{
	if (!m || i >= m->n_crypto || m->crypto_first + i >= s->n_crypto)
		return NULL;
	return &s->crypto[m->crypto_first + i];
}

bool sdp_media_find_attr(const struct sdp_media *m, const char *name, struct sv *value)
{
	size_t i;
	for (i = 0; i < m->lvl.n_attrs; i++)
		if (sv_eq_cstr_ci(m->lvl.attrs[i].name, name)) {
			*value = m->lvl.attrs[i].value;
			return true;
		}
	return false;
}

const struct sdp_group *sdp_find_bundle(const struct sdp *s)
{
	size_t i;
	for (i = 0; i < s->n_groups; i++)
		if (sv_eq_cstr_ci(s->groups[i].semantics, "BUNDLE"))
			return &s->groups[i];
	return NULL;
}
