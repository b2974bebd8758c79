/* sip.c - SIP message parser and header accessors; see sip.h. */
#include "sip.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void diag_set(struct sip_diag *d, unsigned line, size_t offset,
		     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void diag_set(struct sip_diag *d, unsigned line, size_t offset,
		     const char *fmt, ...)
{
	va_list ap;
	if (!d || d->set)
		return;
	d->set = true;
	d->line = line;
	d->offset = offset;
	va_start(ap, fmt);
	vsnprintf(d->what, sizeof d->what, fmt, ap);
	va_end(ap);
}

/* RFC 3261 §7.3.3 compact forms, plus those registered later (o, u, r, b, x). */
static const struct {
	char c;
	const char *name;
} compact[] = {
	{ 'i', "Call-ID" }, { 'f', "From" }, { 't', "To" }, { 'v', "Via" },
	{ 'm', "Contact" }, { 'l', "Content-Length" }, { 'c', "Content-Type" },
	{ 'k', "Supported" }, { 's', "Subject" }, { 'e', "Content-Encoding" },
	{ 'o', "Event" }, { 'u', "Allow-Events" }, { 'r', "Refer-To" },
	{ 'b', "Referred-By" }, { 'x', "Session-Expires" },
};

struct sv sip_header_canonical(struct sv name)
{
	size_t i;
	if (name.n != 1)
		return name;
	for (i = 0; i < sizeof compact / sizeof compact[0]; i++) {
		char c = name.p[0];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c == compact[i].c)
			return sv_cstr(compact[i].name);
	}
	return name;
}

/* token chars (RFC 3261 §25.1). */
static bool is_token_char(char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return true;
	return c != '\0' && strchr("-.!%*_+`'~", c) != NULL;
}

static bool is_token(struct sv v)
{
	size_t i;
	if (v.n == 0)
		return false;
	for (i = 0; i < v.n; i++)
		if (!is_token_char(v.p[i]))
			return false;
	return true;
}

static bool is_lws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Trim linear white space including the CRLF of folded lines. */
static struct sv lws_trim(struct sv v)
{
	while (v.n > 0 && is_lws(v.p[0])) {
		v.p++;
		v.n--;
	}
	while (v.n > 0 && is_lws(v.p[v.n - 1]))
		v.n--;
	return v;
}

bool sip_is_keepalive(const uint8_t *data, size_t len)
{
	size_t i;
	if (len == 0)
		return false;
	for (i = 0; i < len; i++)
		if (data[i] != '\r' && data[i] != '\n')
			return false;
	return true;
}

/* One physical line of the message. */
struct pline {
	struct sv text;   /* without CR LF */
	size_t start;     /* offset of the line */
	size_t next;      /* offset after the line end */
	bool lf_only;
};

/* Returns 1 with a line, 0 when no line end is there yet, -1 when the line
 * is longer than SIP_MAX_LINE. */
static int next_pline(const uint8_t *data, size_t len, size_t at, struct pline *pl)
{
	size_t lim = len - at < SIP_MAX_LINE + 2 ? len - at : SIP_MAX_LINE + 2;
	const uint8_t *nl = lim ? memchr(data + at, '\n', lim) : NULL;
	size_t n;
	if (!nl)
		return lim >= SIP_MAX_LINE + 2 ? -1 : 0;
	n = (size_t)(nl - (data + at));
	pl->start = at;
	pl->next = at + n + 1;
	pl->lf_only = !(n > 0 && data[at + n - 1] == '\r');
	if (!pl->lf_only)
		n--;
	if (n > SIP_MAX_LINE)
		return -1;
	pl->text = sv_make(data + at, n);
	return 1;
}

/* Request-Line = Method SP Request-URI SP SIP-Version; Status-Line =
 * SIP-Version SP Status-Code SP Reason-Phrase (RFC 3261 §7.1, §7.2). */
static bool parse_start_line(struct sv line, struct sip_msg *m, struct sip_diag *d,
			     size_t off)
{
	struct sv a, rest, b, c;
	if (!sv_split_char(line, ' ', &a, &rest)) {
		diag_set(d, 1, off, "start line is not a SIP request or status line");
		return false;
	}
	if (sv_starts_with_ci(a, "SIP/")) {
		uint32_t code;
		m->version = a;
		sv_split_char(rest, ' ', &b, &c);
		if (b.n != 3 || !sv_u32(b, &code) || code < 100 || code > 699) {
			diag_set(d, 1, off + (size_t)(b.p - line.p),
				 "status line: status code is not 100..699");
			return false;
		}
		m->status = (uint16_t)code;
		m->reason = c;
		if (!sv_eq_ci(a, SV_LIT("SIP/2.0")))
			diag_set(d, 1, off, "status line: version is not SIP/2.0");
		return sv_eq_ci(a, SV_LIT("SIP/2.0"));
	}
	m->is_request = true;
	m->method = a;
	/* The Request-URI holds no SP: split at the last SP. */
	{
		size_t i = rest.n;
		while (i > 0 && rest.p[i - 1] != ' ')
			i--;
		if (i == 0) {
			diag_set(d, 1, off, "request line: missing SIP-Version");
			return false;
		}
		m->uri = sv_make(rest.p, i - 1);
		m->version = sv_make(rest.p + i, rest.n - i);
	}
	if (!is_token(m->method)) {
		diag_set(d, 1, off, "request line: method is not a token");
		return false;
	}
	if (m->uri.n == 0 || memchr(m->uri.p, ' ', m->uri.n)) {
		diag_set(d, 1, off, "request line: bad Request-URI");
		return false;
	}
	if (!sv_eq_ci(m->version, SV_LIT("SIP/2.0"))) {
		diag_set(d, 1, off, "request line: version is not SIP/2.0");
		return false;
	}
	return true;
}

/* message-header = field-name HCOLON field-value CRLF; HCOLON =
 * *(SP / HTAB) ":" SWS (RFC 3261 §7.3.1, §25.1). */
static bool parse_header_line(struct pline *pl, unsigned lineno, struct sip_hdr *h,
			      struct sip_diag *d)
{
	struct sv name, value;
	if (!sv_split_char(pl->text, ':', &name, &value)) {
		diag_set(d, lineno, pl->start, "header line %u has no colon", lineno);
		return false;
	}
	name = sv_trim(name);
	if (!is_token(name)) {
		diag_set(d, lineno, pl->start, "header line %u: field name is not a token",
			 lineno);
		return false;
	}
	memset(h, 0, sizeof *h);
	h->raw_name = name;
	h->name = sip_header_canonical(name);
	h->compact = name.n == 1 && h->name.p != name.p;
	h->value = sv_trim(value);
	h->line = lineno;
	return true;
}

static const struct sip_hdr *find_hdr(const struct sip_msg *m, struct sv name,
				      size_t idx)
{
	struct sv want = sip_header_canonical(name);
	size_t i;
	for (i = 0; i < m->n_hdrs; i++)
		if (sv_eq_ci(m->hdrs[i].name, want) && idx-- == 0)
			return &m->hdrs[i];
	return NULL;
}

/* Body by Content-Length (RFC 3261 §18.3, §20.14). */
static enum sa_status locate_body(const uint8_t *data, size_t len, unsigned flags,
				  struct sip_msg *m, struct sip_diag *d)
{
	size_t left = len - m->head_len, i;
	const struct sip_hdr *cl = NULL;
	for (i = 0; i < m->n_hdrs; i++) {
		uint32_t v;
		if (!sv_eq_ci(m->hdrs[i].name, SV_LIT("Content-Length")))
			continue;
		if (!sv_u32(m->hdrs[i].value, &v)) {
			diag_set(d, m->hdrs[i].line, 0, "header line %u: Content-Length is not a number",
				 m->hdrs[i].line);
			return SA_MALFORMED;
		}
		if (cl && v != m->content_length) {
			diag_set(d, m->hdrs[i].line, 0,
				 "header line %u: second Content-Length disagrees", m->hdrs[i].line);
			return SA_MALFORMED;
		}
		cl = &m->hdrs[i];
		m->content_length = v;
	}
	m->has_content_length = cl != NULL;
	if (!cl) {
		/* Datagram: the body is the rest (§18.3).  Stream: required;
		 * taken as 0 so the stream can go on. */
		size_t blen = (flags & SIP_PARSE_STREAM) ? 0 : left;
		m->body = sv_make(data + m->head_len, blen);
		m->msg_len = m->head_len + blen;
		return SA_OK;
	}
	if (m->content_length > SIP_MAX_BODY) {
		diag_set(d, cl->line, 0, "header line %u: Content-Length %lu exceeds the cap of %u bytes",
			 cl->line, (unsigned long)m->content_length, (unsigned)SIP_MAX_BODY);
		return SA_MALFORMED;
	}
	if (m->content_length > left) {
		if (flags & SIP_PARSE_STREAM)
			return SA_TRUNCATED;
		diag_set(d, cl->line, m->head_len,
			 "header line %u: Content-Length %lu but only %zu body bytes in the datagram",
			 cl->line, (unsigned long)m->content_length, left);
		return SA_MALFORMED;
	}
	m->body = sv_make(data + m->head_len, m->content_length);
	m->msg_len = m->head_len + m->content_length;
	if (!(flags & SIP_PARSE_STREAM))
		m->trailing = left - m->content_length;
	return SA_OK;
}

enum sa_status sip_msg_parse(const uint8_t *data, size_t len, unsigned flags,
			     struct sip_msg *out, struct sip_diag *d)
{
	bool stream = (flags & SIP_PARSE_STREAM) != 0;
	size_t at = 0;
	unsigned lineno = 0;
	struct pline pl;
	struct sip_hdr *cur = NULL;
	int r;
	memset(out, 0, sizeof *out);
	if (d)
		memset(d, 0, sizeof *d);
	/* §7.5: CRLFs before the start line are ignored. */
	while (at < len && (data[at] == '\r' || data[at] == '\n'))
		at++;
	out->leading_crlf = at;
	if (at == len) {
		if (stream)
			return SA_TRUNCATED;
		diag_set(d, 0, 0, len ? "only CRLF (keep-alive), no SIP message" : "empty message");
		return SA_MALFORMED;
	}
	for (;;) {
		if (at - out->leading_crlf > SIP_MAX_HEAD) {
			diag_set(d, lineno, at, "headers longer than %u bytes", (unsigned)SIP_MAX_HEAD);
			return SA_MALFORMED;
		}
		r = next_pline(data, len, at, &pl);
		if (r < 0) {
			diag_set(d, lineno + 1, at, "line %u longer than %u bytes", lineno + 1,
				 (unsigned)SIP_MAX_LINE);
			return SA_MALFORMED;
		}
		if (r == 0) {
			if (stream)
				return SA_TRUNCATED;
			diag_set(d, lineno + 1, at, "line %u: headers not ended by an empty line",
				 lineno + 1);
			return SA_MALFORMED;
		}
		lineno++;
		if (pl.lf_only)
			out->lf_only = true;
		if (memchr(pl.text.p, '\0', pl.text.n)) {
			diag_set(d, lineno, pl.start, "line %u contains a NUL byte", lineno);
			return SA_MALFORMED;
		}
		at = pl.next;
		if (lineno == 1) {
			if (!parse_start_line(pl.text, out, d, pl.start))
				return SA_MALFORMED;
			continue;
		}
		if (pl.text.n == 0)
			break; /* the empty line ending the headers */
		if (pl.text.p[0] == ' ' || pl.text.p[0] == '\t') {
			/* §7.3.1: a continuation line extends the previous value. */
			if (!cur) {
				diag_set(d, lineno, pl.start,
					 "header line %u: continuation without a header", lineno);
				return SA_MALFORMED;
			}
			if (sv_trim(pl.text).n > 0) {
				struct sv t = sv_trim(pl.text);
				if (cur->value.n == 0)
					cur->value = t;
				else
					cur->value.n = (size_t)(t.p + t.n - cur->value.p);
			}
			cur->folded = true;
			continue;
		}
		if (out->n_hdrs >= SIP_MAX_HEADERS) {
			diag_set(d, lineno, pl.start,
				 "header line %u: more than %u headers (cap SIP_MAX_HEADERS)",
				 lineno, (unsigned)SIP_MAX_HEADERS);
			return SA_MALFORMED;
		}
		cur = &out->hdrs[out->n_hdrs];
		if (!parse_header_line(&pl, lineno, cur, d))
			return SA_MALFORMED;
		out->n_hdrs++;
	}
	out->head_len = at;
	return locate_body(data, len, flags, out, d);
}

bool sip_msg_header(const struct sip_msg *m, const char *name, struct sv *value)
{
	return sip_msg_header_nth(m, name, 0, value);
}

bool sip_msg_header_nth(const struct sip_msg *m, const char *name, size_t idx,
			struct sv *value)
{
	const struct sip_hdr *h = find_hdr(m, sv_cstr(name), idx);
	if (!h)
		return false;
	*value = h->value;
	return true;
}

size_t sip_msg_header_count(const struct sip_msg *m, const char *name)
{
	size_t n = 0;
	while (find_hdr(m, sv_cstr(name), n))
		n++;
	return n;
}

bool sip_msg_call_id(const struct sip_msg *m, struct sv *call_id)
{
	struct sv v;
	if (!sip_msg_header(m, "Call-ID", &v))
		return false;
	v = lws_trim(v);
	if (v.n == 0)
		return false;
	*call_id = v;
	return true;
}

/* First element of a comma-separated header value, commas inside quotes or
 * <> skipped (RFC 3261 §7.3.1). */
static struct sv first_element(struct sv v)
{
	bool quoted = false, angle = false;
	size_t i;
	for (i = 0; i < v.n; i++) {
		char c = v.p[i];
		if (quoted) {
			if (c == '\\')
				i++;
			else if (c == '"')
				quoted = false;
		} else if (c == '"') {
			quoted = true;
		} else if (c == '<') {
			angle = true;
		} else if (c == '>') {
			angle = false;
		} else if (c == ',' && !angle) {
			return lws_trim(sv_make(v.p, i));
		}
	}
	return lws_trim(v);
}

bool sip_name_addr(struct sv value, struct sv *uri, struct sv *params)
{
	struct sv v = first_element(value);
	size_t i = 0;
	bool quoted = false;
	/* name-addr = [display-name] LAQUOT addr-spec RAQUOT (§25.1) */
	for (i = 0; i < v.n; i++) {
		char c = v.p[i];
		if (quoted) {
			if (c == '\\')
				i++;
			else if (c == '"')
				quoted = false;
		} else if (c == '"') {
			quoted = true;
		} else if (c == '<') {
			const char *gt = memchr(v.p + i + 1, '>', v.n - i - 1);
			if (!gt)
				return false;
			*uri = lws_trim(sv_make(v.p + i + 1, (size_t)(gt - (v.p + i + 1))));
			*params = sv_make(gt + 1, v.n - (size_t)(gt + 1 - v.p));
			return uri->n > 0;
		}
	}
	if (quoted)
		return false;
	/* addr-spec without <>: ';' starts the header parameters (§20). */
	sv_split_char(v, ';', uri, params);
	*uri = lws_trim(*uri);
	if (params->p > v.p && params->p[-1] == ';') {
		params->p--;
		params->n++;
	}
	return uri->n > 0;
}

bool sip_param_find(struct sv params, const char *name, struct sv *value)
{
	struct sv rest = params, p, n, v;
	/* generic-param = token [ EQUAL gen-value ] (§25.1) */
	sv_split_char(rest, ';', &p, &rest); /* text before the first ';' */
	while (rest.n > 0) {
		bool has_eq;
		sv_split_char(rest, ';', &p, &rest);
		has_eq = sv_split_char(p, '=', &n, &v);
		if (sv_eq_ci(lws_trim(n), sv_cstr(name))) {
			*value = has_eq ? lws_trim(v) : sv_make(n.p + n.n, 0);
			return true;
		}
	}
	return false;
}

static bool addr_param(const struct sip_msg *m, const char *hdr, const char *param,
		       struct sv *out)
{
	struct sv v, uri, params;
	if (!sip_msg_header(m, hdr, &v) || !sip_name_addr(v, &uri, &params))
		return false;
	if (!param) {
		*out = uri;
		return true;
	}
	return sip_param_find(params, param, out) && out->n > 0;
}

bool sip_msg_from_tag(const struct sip_msg *m, struct sv *tag)
{
	return addr_param(m, "From", "tag", tag);
}

bool sip_msg_to_tag(const struct sip_msg *m, struct sv *tag)
{
	return addr_param(m, "To", "tag", tag);
}

bool sip_msg_from_uri(const struct sip_msg *m, struct sv *uri)
{
	return addr_param(m, "From", NULL, uri);
}

bool sip_msg_to_uri(const struct sip_msg *m, struct sv *uri)
{
	return addr_param(m, "To", NULL, uri);
}

bool sip_msg_contact_uri(const struct sip_msg *m, struct sv *uri)
{
	struct sv v, params;
	if (!sip_msg_header(m, "Contact", &v))
		return false;
	if (sv_eq(lws_trim(v), SV_LIT("*"))) {
		*uri = lws_trim(v);
		return true;
	}
	return sip_name_addr(v, uri, &params);
}

bool sip_msg_cseq(const struct sip_msg *m, uint32_t *num, struct sv *method)
{
	struct sv v, rest, n, meth;
	uint64_t x;
	size_t i = 0;
	if (!sip_msg_header(m, "CSeq", &v))
		return false;
	rest = lws_trim(v);
	/* CSeq = "CSeq" HCOLON 1*DIGIT LWS Method; < 2^31 (§8.1.1.5). */
	while (i < rest.n && !is_lws(rest.p[i]))
		i++;
	n = sv_make(rest.p, i);
	meth = lws_trim(sv_make(rest.p + i, rest.n - i));
	if (!sv_u64(n, 0x7fffffffu, &x) || !is_token(meth))
		return false;
	*num = (uint32_t)x;
	*method = meth;
	return true;
}

/* Via = sent-protocol LWS sent-by *( SEMI via-params ) (§20.42). */
static bool top_via(const struct sip_msg *m, struct sv *proto, struct sv *params)
{
	struct sv v, hop, sent_by;
	if (!sip_msg_header(m, "Via", &v))
		return false;
	hop = first_element(v);
	{
		size_t i = 0;
		while (i < hop.n && !is_lws(hop.p[i]))
			i++;
		*proto = sv_make(hop.p, i);
		sent_by = lws_trim(sv_make(hop.p + i, hop.n - i));
	}
	if (proto->n == 0 || sent_by.n == 0)
		return false;
	*params = sent_by;
	return true;
}

bool sip_msg_via_branch(const struct sip_msg *m, struct sv *branch)
{
	struct sv proto, params;
	if (!top_via(m, &proto, &params))
		return false;
	return sip_param_find(params, "branch", branch) && branch->n > 0;
}

bool sip_msg_via_transport(const struct sip_msg *m, struct sv *transport)
{
	struct sv proto, params, a, b;
	if (!top_via(m, &proto, &params))
		return false;
	/* sent-protocol = protocol-name SLASH protocol-version SLASH transport */
	if (!sv_split_char(proto, '/', &a, &b) || !sv_split_char(b, '/', &a, transport))
		return false;
	*transport = lws_trim(*transport);
	return transport->n > 0;
}

bool sip_msg_content_type(const struct sip_msg *m, struct sv *type)
{
	struct sv v, params;
	if (!sip_msg_header(m, "Content-Type", &v))
		return false;
	sv_split_char(v, ';', type, &params);
	*type = lws_trim(*type);
	return type->n > 0;
}

/* Find a header in a MIME part's header block (RFC 2046 §5.1.1). */
static bool part_header(struct sv head, const char *name, struct sv *value)
{
	struct sv rest = head, line, n, v;
	while (sv_next_line(&rest, &line, NULL)) {
		if (!sv_split_char(line, ':', &n, &v))
			continue;
		if (sv_eq_ci(sip_header_canonical(sv_trim(n)), sv_cstr(name))) {
			*value = lws_trim(v);
			return true;
		}
	}
	return false;
}

static enum sa_status find_sdp(struct sv ctype, struct sv body, int depth,
			       struct sv *sdp, struct sip_diag *d);

/* multipart-body (RFC 2046 §5.1.1): parts between "--boundary" lines. */
static enum sa_status find_in_multipart(struct sv params, struct sv body, int depth,
					struct sv *sdp, struct sip_diag *d)
{
	struct sv bnd, rest;
	char delim[80];
	size_t dl;
	long at;
	if (!sip_param_find(params, "boundary", &bnd) || bnd.n == 0) {
		diag_set(d, 0, 0, "multipart body without a boundary parameter");
		return SA_MALFORMED;
	}
	if (bnd.n >= 2 && bnd.p[0] == '"' && bnd.p[bnd.n - 1] == '"') {
		bnd.p++;
		bnd.n -= 2;
	}
	if (bnd.n == 0 || bnd.n > 70) { /* §5.1.1: 1 to 70 characters */
		diag_set(d, 0, 0, "multipart boundary is empty or longer than 70 characters");
		return SA_MALFORMED;
	}
	delim[0] = '-';
	delim[1] = '-';
	memcpy(delim + 2, bnd.p, bnd.n);
	dl = bnd.n + 2;
	/* The first delimiter: at the start of the body or of a line. */
	rest = body;
	for (;;) {
		at = sv_find(rest, sv_make(delim, dl));
		if (at < 0) {
			diag_set(d, 0, 0, "multipart body: boundary delimiter not found");
			return SA_MALFORMED;
		}
		if (rest.p + at == body.p || rest.p[at - 1] == '\n')
			break;
		rest = sv_make(rest.p + at + 1, rest.n - (size_t)at - 1);
	}
	rest = sv_make(rest.p + at + dl, rest.n - (size_t)at - dl);
	for (;;) {
		struct sv line, part, head, content, pct;
		long end;
		long sep;
		if (rest.n >= 2 && rest.p[0] == '-' && rest.p[1] == '-')
			return SA_UNSUPPORTED; /* close-delimiter: no SDP part */
		/* Skip transport padding and the CRLF after the delimiter. */
		if (!sv_next_line(&rest, &line, NULL))
			break;
		/* The part ends at CRLF "--boundary" (the CRLF belongs to it). */
		end = sv_find(rest, sv_make(delim, dl));
		while (end > 0 && rest.p[end - 1] != '\n') {
			long more = sv_find(sv_make(rest.p + end + 1, rest.n - (size_t)end - 1),
					    sv_make(delim, dl));
			end = more < 0 ? -1 : end + 1 + more;
		}
		if (end < 0) {
			diag_set(d, 0, 0, "multipart body: part not closed by a delimiter");
			return SA_MALFORMED;
		}
		part = sv_make(rest.p, (size_t)end);
		if (part.n > 0 && part.p[part.n - 1] == '\n')
			part.n--;
		if (part.n > 0 && part.p[part.n - 1] == '\r')
			part.n--;
		rest = sv_make(rest.p + end + dl, rest.n - (size_t)end - dl);
		/* Part headers end at the first empty line. */
		sep = sv_find(part, SV_LIT("\r\n\r\n"));
		if (part.n >= 2 && part.p[0] == '\r' && part.p[1] == '\n') {
			head = sv_make(part.p, 0);
			content = sv_make(part.p + 2, part.n - 2);
		} else if (sep >= 0) {
			head = sv_make(part.p, (size_t)sep);
			content = sv_make(part.p + sep + 4, part.n - (size_t)sep - 4);
		} else if ((sep = sv_find(part, SV_LIT("\n\n"))) >= 0) {
			head = sv_make(part.p, (size_t)sep);
			content = sv_make(part.p + sep + 2, part.n - (size_t)sep - 2);
		} else {
			head = sv_make(part.p, 0);
			content = part;
		}
		/* §5.1: a part without Content-Type is text/plain. */
		if (!part_header(head, "Content-Type", &pct))
			continue;
		if (find_sdp(pct, content, depth + 1, sdp, d) == SA_OK)
			return SA_OK;
	}
	return SA_UNSUPPORTED;
}

static enum sa_status find_sdp(struct sv ctype, struct sv body, int depth,
			       struct sv *sdp, struct sip_diag *d)
{
	struct sv type, params;
	sv_split_char(ctype, ';', &type, &params);
	type = lws_trim(type);
	if (sv_eq_ci(type, SV_LIT("application/sdp"))) {
		*sdp = body;
		return body.n ? SA_OK : SA_UNSUPPORTED;
	}
	if (sv_starts_with_ci(type, "multipart/")) {
		if (depth >= 3) {
			diag_set(d, 0, 0, "multipart nested deeper than 3 levels");
			return SA_UNSUPPORTED;
		}
		/* sip_param_find skips the text before the first ';'. */
		return find_in_multipart(ctype, body, depth, sdp, d);
	}
	return SA_UNSUPPORTED;
}

enum sa_status sip_body_find_sdp(const struct sip_msg *m, struct sv *sdp,
				 struct sip_diag *d)
{
	struct sv ctype, enc;
	if (m->body.n == 0)
		return SA_UNSUPPORTED;
	if (sip_msg_header(m, "Content-Encoding", &enc) &&
	    !sv_eq_ci(lws_trim(enc), SV_LIT("identity"))) {
		diag_set(d, 0, 0, "body has a Content-Encoding; not decoded");
		return SA_UNSUPPORTED;
	}
	if (!sip_msg_header(m, "Content-Type", &ctype)) {
		/* §20.15 requires Content-Type with a body; accept bare SDP. */
		if (m->body.n >= 2 && m->body.p[0] == 'v' && m->body.p[1] == '=') {
			*sdp = m->body;
			return SA_OK;
		}
		return SA_UNSUPPORTED;
	}
	return find_sdp(ctype, m->body, 0, sdp, d);
}
