/* sip_tx.c - RFC 3261 §17 transaction timers as state machines (see
 * sip_tx.h for the timer list). */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "sip_tx.h"

#define MS 1000000ull

void sip_timers_default(struct sip_timers *t, unsigned t1_ms)
{
	/* RFC 3261 §17.1.1.1 / Table 4. */
	t->t1 = (t1_ms ? t1_ms : 500) * MS;
	t->t2 = 4000 * MS;
	t->t4 = 5000 * MS;
	t->reliable = false;
	if (t->t2 < t->t1)
		t->t2 = t->t1;
}

static void copy_str(char *dst, size_t cap, const char *s)
{
	size_t n = strlen(s);
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

static bool store(struct sip_txn *t, const char *msg, size_t len)
{
	if (len > SIP_TX_MAX_MSG)
		return false;
	memcpy(t->msg, msg, len);
	t->len = len;
	return true;
}

bool sip_txn_client_start(struct sip_txn *t, bool invite, const char *branch,
			  const char *method, uint32_t cseq, const char *msg,
			  size_t len, uint64_t now, const struct sip_timers *tm)
{
	memset(t, 0, sizeof *t);
	if (!store(t, msg, len))
		return false;
	t->kind = invite ? SIPTX_CLIENT_INVITE : SIPTX_CLIENT_NONINVITE;
	t->state = invite ? SIPTX_CALLING : SIPTX_TRYING;
	copy_str(t->branch, sizeof t->branch, branch);
	copy_str(t->method, sizeof t->method, method);
	t->cseq = cseq;
	/* Timer A / E start at T1 (§17.1.1.2, §17.1.2.2), only over an
	 * unreliable transport; B / F at 64*T1 on any transport. */
	t->interval = tm->t1;
	t->retx_at = tm->reliable ? 0 : now + tm->t1;
	t->deadline = now + 64 * tm->t1;
	return true;
}

void sip_txn_client_response(struct sip_txn *t, int code, uint64_t now,
			     const struct sip_timers *tm)
{
	t->last_code = code;
	if (t->state == SIPTX_TERMINATED || t->state == SIPTX_COMPLETED)
		return;
	if (code < 200) {
		if (t->kind == SIPTX_CLIENT_INVITE) {
			/* §17.1.1.2: Proceeding stops Timer A; B no longer applies. */
			t->state = SIPTX_PROCEEDING;
			t->retx_at = 0;
			t->deadline = 0;
		} else {
			/* §17.1.2.2: in Proceeding, E fires every T2. */
			t->state = SIPTX_PROCEEDING;
			t->interval = tm->t2;
			if (t->retx_at && t->retx_at > now + tm->t2)
				t->retx_at = now + tm->t2;
		}
		return;
	}
	t->retx_at = 0;
	if (t->kind == SIPTX_CLIENT_INVITE && code < 300) {
		/* §17.1.1.2 (RFC 6026 §8.4: Accepted): the TU sends the ACK. */
		t->state = SIPTX_TERMINATED;
		t->deadline = 0;
	} else if (t->kind == SIPTX_CLIENT_INVITE) {
		t->state = SIPTX_COMPLETED;    /* Timer D: 32 s over UDP, 0 over TCP */
		t->deadline = now + (tm->reliable ? 0 : 32000 * MS);
	} else {
		t->state = SIPTX_COMPLETED;    /* Timer K: T4 over UDP, 0 over TCP */
		t->deadline = now + (tm->reliable ? 0 : tm->t4);
	}
	if (tm->reliable && t->state == SIPTX_COMPLETED)
		t->state = SIPTX_TERMINATED;   /* §17.1.1.2, §17.1.2.2: zero timers */
}

void sip_txn_server_start(struct sip_txn *t, bool invite, const char *branch,
			  const char *method, uint32_t cseq, uint64_t now)
{
	(void)now;
	memset(t, 0, sizeof *t);
	t->kind = invite ? SIPTX_SERVER_INVITE : SIPTX_SERVER_NONINVITE;
	t->state = invite ? SIPTX_PROCEEDING : SIPTX_TRYING;
	copy_str(t->branch, sizeof t->branch, branch);
	copy_str(t->method, sizeof t->method, method);
	t->cseq = cseq;
}

bool sip_txn_server_respond(struct sip_txn *t, int code, const char *msg,
			    size_t len, uint64_t now, const struct sip_timers *tm)
{
	if (!store(t, msg, len))
		return false;
	t->last_code = code;
	if (code < 200) {
		t->state = SIPTX_PROCEEDING;
		return true;
	}
	t->state = SIPTX_COMPLETED;
	if (t->kind == SIPTX_SERVER_INVITE) {
		/* §17.2.1 Timers G (unreliable transports only) and H; a 2xx
		 * is retransmitted by the TU on any transport (§13.3.1.4). */
		t->interval = tm->t1;
		t->retx_at = tm->reliable && code >= 300 ? 0 : now + tm->t1;
		t->deadline = now + 64 * tm->t1;
	} else {
		/* §17.2.2 Timer J: 64*T1 over UDP, 0 over TCP. */
		t->retx_at = 0;
		t->deadline = now + (tm->reliable ? 0 : 64 * tm->t1);
		if (tm->reliable)
			t->state = SIPTX_TERMINATED;
	}
	return true;
}

void sip_txn_server_ack(struct sip_txn *t, uint64_t now, const struct sip_timers *tm)
{
	if (t->kind != SIPTX_SERVER_INVITE || t->state != SIPTX_COMPLETED)
		return;
	/* §17.2.1: Confirmed, Timer I = T4 over UDP, 0 over TCP. */
	t->state = tm->reliable ? SIPTX_TERMINATED : SIPTX_CONFIRMED;
	t->retx_at = 0;
	t->deadline = tm->reliable ? 0 : now + tm->t4;
}

enum sip_txn_action sip_txn_poll(struct sip_txn *t, uint64_t now,
				 const struct sip_timers *tm)
{
	if (t->state == SIPTX_TERMINATED)
		return SIPTX_NONE;
	if (t->deadline && now >= t->deadline) {
		bool timeout = t->state == SIPTX_CALLING || t->state == SIPTX_TRYING ||
			       (t->state == SIPTX_PROCEEDING && t->kind == SIPTX_CLIENT_NONINVITE) ||
			       (t->state == SIPTX_COMPLETED && t->kind == SIPTX_SERVER_INVITE);
		t->state = SIPTX_TERMINATED;
		t->retx_at = 0;
		if (timeout) {
			t->timed_out = true;
			return SIPTX_TIMEOUT;
		}
		return SIPTX_NONE;
	}
	if (t->retx_at && now >= t->retx_at) {
		t->retransmissions++;
		if (t->kind == SIPTX_CLIENT_INVITE)
			t->interval *= 2;                      /* Timer A doubles */
		else if (t->state == SIPTX_PROCEEDING)
			t->interval = tm->t2;
		else
			t->interval = t->interval * 2 < tm->t2 ? t->interval * 2 : tm->t2;
		t->retx_at += t->interval;
		if (t->retx_at <= now)
			t->retx_at = now + t->interval;
		return SIPTX_RETRANSMIT;
	}
	return SIPTX_NONE;
}

uint64_t sip_txn_next(const struct sip_txn *t)
{
	uint64_t n = 0;
	if (t->state == SIPTX_TERMINATED)
		return 0;
	if (t->retx_at)
		n = t->retx_at;
	if (t->deadline && (!n || t->deadline < n))
		n = t->deadline;
	return n;
}

bool sip_tx_token(char *buf, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char r[64];
	size_t i, want = n ? n - 1 : 0;
	if (!n)
		return false;
	if (want > sizeof r)
		want = sizeof r;
	if (RAND_bytes(r, (int)want) != 1) {
		buf[0] = '\0';
		return false;
	}
	for (i = 0; i < want; i++)
		buf[i] = hex[r[i] & 15];
	buf[want] = '\0';
	return true;
}

void sip_buf_init(struct sip_buf *b, char *mem, size_t cap)
{
	b->p = mem;
	b->len = 0;
	b->cap = cap;
	b->overflow = false;
	if (cap)
		mem[0] = '\0';
}

void sip_buf_put(struct sip_buf *b, const char *s, size_t n)
{
	if (b->overflow || b->len + n + 1 > b->cap) {
		b->overflow = true;
		return;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void sip_buf_printf(struct sip_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;
	if (b->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= b->cap - b->len) {
		b->overflow = true;
		b->p[b->len] = '\0';
		return;
	}
	b->len += (size_t)n;
}

/* ---- digest authentication ---- */

static bool is_tchar(char c)
{
	/* RFC 3261 §25.1 token characters. */
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       strchr("-.!%*_+`'~", c) != NULL;
}

static bool ci_eq(const char *a, size_t an, const char *b)
{
	size_t i;
	if (strlen(b) != an)
		return false;
	for (i = 0; i < an; i++) {
		char x = a[i], y = b[i];
		if (x >= 'A' && x <= 'Z')
			x = (char)(x + 32);
		if (y >= 'A' && y <= 'Z')
			y = (char)(y + 32);
		if (x != y)
			return false;
	}
	return true;
}

static char *digest_field(struct sip_digest *d, const char *name, size_t nn, size_t *cap)
{
	static const struct { const char *name; size_t off, cap; } f[] = {
#define F(x) { #x, offsetof(struct sip_digest, x), sizeof(((struct sip_digest *)0)->x) }
		F(realm), F(nonce), F(opaque), F(algorithm), F(qop), F(username),
		F(uri), F(response), F(cnonce), F(nc),
#undef F
	};
	size_t i;
	for (i = 0; i < sizeof f / sizeof f[0]; i++)
		if (ci_eq(name, nn, f[i].name)) {
			*cap = f[i].cap;
			return (char *)d + f[i].off;
		}
	return NULL;
}

enum sa_status sip_digest_parse(const char *v, size_t n, struct sip_digest *d)
{
	size_t i = 0;
	memset(d, 0, sizeof *d);
	while (i < n && (v[i] == ' ' || v[i] == '\t'))
		i++;
	/* RFC 2617 §3.2.1: challenge = "Digest" digest-challenge. */
	if (n - i < 6 || !ci_eq(v + i, 6, "digest") || (n - i > 6 && v[i + 6] != ' ' && v[i + 6] != '\t'))
		return SA_UNSUPPORTED;
	i += 6;
	for (;;) {
		size_t ns, nn, vl = 0, cap = 0;
		char val[SIP_DIGEST_FIELD], *dst;
		while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
			i++;
		if (i >= n)
			return SA_OK;
		ns = i;
		while (i < n && is_tchar(v[i]))
			i++;
		nn = i - ns;
		while (i < n && (v[i] == ' ' || v[i] == '\t'))
			i++;
		if (nn == 0 || i >= n || v[i] != '=')
			return SA_MALFORMED;
		i++;
		while (i < n && (v[i] == ' ' || v[i] == '\t'))
			i++;
		if (i < n && v[i] == '"') {
			/* quoted-string with quoted-pair (RFC 3261 §25.1) */
			for (i++; i < n && v[i] != '"'; i++) {
				if (v[i] == '\\' && i + 1 < n)
					i++;
				if (vl + 1 >= sizeof val)
					return SA_MALFORMED;
				val[vl++] = v[i];
			}
			if (i >= n)
				return SA_MALFORMED;
			i++;
		} else {
			for (; i < n && is_tchar(v[i]); i++) {
				if (vl + 1 >= sizeof val)
					return SA_MALFORMED;
				val[vl++] = v[i];
			}
		}
		val[vl] = '\0';
		if (ci_eq(v + ns, nn, "stale")) {
			d->stale = ci_eq(val, vl, "true");
			continue;
		}
		dst = digest_field(d, v + ns, nn, &cap);
		if (!dst)
			continue;   /* unknown auth-param: ignored (RFC 7616 §3.3) */
		if (vl >= cap)
			return SA_MALFORMED;
		memcpy(dst, val, vl + 1);
	}
}

enum sip_digest_alg sip_digest_alg_of(const char *a)
{
	if (!a[0] || ci_eq(a, strlen(a), "md5"))
		return SIP_DIGEST_MD5;
	if (ci_eq(a, strlen(a), "sha-256"))
		return SIP_DIGEST_SHA256;
	return SIP_DIGEST_UNKNOWN;
}

bool sip_digest_qop_auth(const struct sip_digest *d)
{
	const char *p = d->qop;
	while (*p) {
		size_t n;
		while (*p == ' ' || *p == ',' || *p == '\t')
			p++;
		n = strcspn(p, " ,\t");
		if (n && ci_eq(p, n, "auth"))
			return true;
		p += n;
	}
	return false;
}

/* H(s) as lowercase hex, through EVP. */
static bool digest_hex(enum sip_digest_alg alg, const char *s, char *out, size_t cap)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0, i;
	const EVP_MD *m = alg == SIP_DIGEST_MD5 ? EVP_md5() : alg == SIP_DIGEST_SHA256 ? EVP_sha256() : NULL;
	if (!m || EVP_Digest(s, strlen(s), md, &mdlen, m, NULL) != 1 || 2 * mdlen + 1 > cap)
		return false;
	for (i = 0; i < mdlen; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[2 * mdlen] = '\0';
	return true;
}

bool sip_digest_compute(enum sip_digest_alg alg, const char *user, const char *realm,
			const char *pass, const char *method, const char *uri,
			const char *nonce, const char *qop, const char *nc,
			const char *cnonce, char *out, size_t cap)
{
	char a[1024], ha1[65], ha2[65];
	int k;
	/* RFC 7616 §3.4.2 A1, §3.4.3 A2 (qop=auth), §3.4.1 response. */
	k = snprintf(a, sizeof a, "%s:%s:%s", user, realm, pass);
	if (k < 0 || (size_t)k >= sizeof a || !digest_hex(alg, a, ha1, sizeof ha1))
		return false;
	k = snprintf(a, sizeof a, "%s:%s", method, uri);
	if (k < 0 || (size_t)k >= sizeof a || !digest_hex(alg, a, ha2, sizeof ha2))
		return false;
	if (qop && qop[0])
		k = snprintf(a, sizeof a, "%s:%s:%s:%s:%s:%s", ha1, nonce, nc, cnonce, qop, ha2);
	else
		k = snprintf(a, sizeof a, "%s:%s:%s", ha1, nonce, ha2);
	if (k < 0 || (size_t)k >= sizeof a)
		return false;
	return digest_hex(alg, a, out, cap);
}

bool sip_digest_authorization(const struct sip_digest *ch, const char *user,
			      const char *pass, const char *method, const char *uri,
			      const char *cnonce, uint32_t nc, char *out, size_t cap)
{
	char resp[80], ncs[12];
	struct sip_buf b;
	bool qop = sip_digest_qop_auth(ch);
	enum sip_digest_alg alg = sip_digest_alg_of(ch->algorithm);
	if (alg == SIP_DIGEST_UNKNOWN)
		return false;
	snprintf(ncs, sizeof ncs, "%08x", nc);
	if (!sip_digest_compute(alg, user, ch->realm, pass, method, uri, ch->nonce,
				qop ? "auth" : NULL, ncs, cnonce, resp, sizeof resp))
		return false;
	sip_buf_init(&b, out, cap);
	sip_buf_printf(&b, "Digest username=\"%s\", realm=\"%s\", nonce=\"%s\", uri=\"%s\", "
		       "response=\"%s\"", user, ch->realm, ch->nonce, uri, resp);
	if (ch->algorithm[0])
		sip_buf_printf(&b, ", algorithm=%s", ch->algorithm);
	if (qop)
		sip_buf_printf(&b, ", qop=auth, cnonce=\"%s\", nc=%s", cnonce, ncs);
	if (ch->opaque[0])
		sip_buf_printf(&b, ", opaque=\"%s\"", ch->opaque);
	return !b.overflow;
}

/* ---- route sets (RFC 3261 §12.1, §12.2.1.1, §20.30, §20.34) ---- */

enum sa_status sip_route_add_rr(struct sip_route_set *rs, const char *v, size_t n)
{
	size_t i = 0;
	/* rec-route = name-addr *(SEMI rr-param), comma-separated (§25.1);
	 * the URI is always inside <> there. */
	while (i < n) {
		size_t lt, gt;
		while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
			i++;
		if (i >= n)
			break;
		if (v[i] == '"') {   /* display name: quoted-string with \ escapes */
			for (i++; i < n && v[i] != '"'; i++)
				if (v[i] == '\\')
					i++;
			i++;
		}
		while (i < n && v[i] != '<' && v[i] != ',')
			i++;
		if (i >= n || v[i] != '<')
			return SA_MALFORMED;
		lt = ++i;
		while (i < n && v[i] != '>')
			i++;
		if (i >= n)
			return SA_MALFORMED;
		gt = i++;
		if (gt == lt || gt - lt >= SIP_ROUTE_URI)
			return SA_MALFORMED;
		if (rs->n >= SIP_ROUTE_MAX)
			return SA_NOMEM;
		memcpy(rs->uri[rs->n], v + lt, gt - lt);
		rs->uri[rs->n][gt - lt] = '\0';
		rs->n++;
		/* rr-params up to the next comma (their values hold no commas
		 * unless quoted). */
		while (i < n && v[i] != ',') {
			if (v[i] == '"')
				for (i++; i < n && v[i] != '"'; i++)
					if (v[i] == '\\')
						i++;
			i++;
		}
	}
	return SA_OK;
}

void sip_route_reverse(struct sip_route_set *rs)
{
	char tmp[SIP_ROUTE_URI];
	size_t i;
	for (i = 0; i < rs->n / 2; i++) {
		memcpy(tmp, rs->uri[i], sizeof tmp);
		memcpy(rs->uri[i], rs->uri[rs->n - 1 - i], sizeof tmp);
		memcpy(rs->uri[rs->n - 1 - i], tmp, sizeof tmp);
	}
}

bool sip_uri_is_loose(const char *uri)
{
	const char *p = strchr(uri, ';');
	/* §19.1.1: uri-parameters come after the hostport, before '?'. */
	while (p) {
		const char *q = strchr(uri, '?');
		size_t k;
		if (q && p > q)
			return false;
		p++;
		k = strcspn(p, ";?=");
		if (k == 2 && (p[0] == 'l' || p[0] == 'L') && (p[1] == 'r' || p[1] == 'R'))
			return true;
		p = strchr(p, ';');
	}
	return false;
}

bool sip_route_request(const struct sip_route_set *rs, const char *remote_target,
		       char *ruri, size_t rcap, struct sip_buf *hdrs)
{
	size_t i, first = 0;
	const char *r = remote_target;
	if (rs->n > 0 && !sip_uri_is_loose(rs->uri[0])) {
		r = rs->uri[0];   /* a strict router: it gets the Request-URI */
		first = 1;
	}
	if ((size_t)snprintf(ruri, rcap, "%s", r) >= rcap)
		return false;
	if (rs->n > 0) {
		sip_buf_printf(hdrs, "Route: ");
		for (i = first; i < rs->n; i++)
			sip_buf_printf(hdrs, "%s<%s>", i > first ? ", " : "", rs->uri[i]);
		if (first)   /* the remote target goes last (§12.2.1.1) */
			sip_buf_printf(hdrs, "%s<%s>", rs->n > 1 ? ", " : "", remote_target);
		sip_buf_printf(hdrs, "\r\n");
	}
	return !hdrs->overflow;
}

bool sip_uri_hostport(const char *uri, char *host, size_t hcap, uint16_t *port)
{
	const char *p, *h, *e;
	size_t hn;
	unsigned long v = 0;
	*port = 0;
	if (strncmp(uri, "sip:", 4) == 0)
		p = uri + 4;
	else if (strncmp(uri, "sips:", 5) == 0)
		p = uri + 5;
	else
		return false;
	e = p + strcspn(p, ";?>");
	h = memchr(p, '@', (size_t)(e - p));
	h = h ? h + 1 : p;
	if (*h == '[') {
		const char *rb = memchr(h, ']', (size_t)(e - h));
		if (!rb)
			return false;
		hn = (size_t)(rb - h - 1);
		h++;
		p = rb + 1;
	} else {
		const char *c = memchr(h, ':', (size_t)(e - h));
		hn = (size_t)((c ? c : e) - h);
		p = c ? c : e;
	}
	if (hn == 0 || hn >= hcap)
		return false;
	memcpy(host, h, hn);
	host[hn] = '\0';
	if (p < e && *p == ':') {
		const char *d;
		if (++p == e)
			return false;
		for (d = p; d < e; d++) {
			if (*d < '0' || *d > '9')
				return false;
			v = v * 10 + (unsigned long)(*d - '0');
			if (v > 65535)
				return false;
		}
		*port = (uint16_t)v;
	} else if (p != e) {
		return false;
	}
	return true;
}
