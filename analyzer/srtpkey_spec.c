/* srtpkey_spec.c - parse --srtp-key SUITE:KEY[@BINDING]. */
#include "srtpkey_spec.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sdes.h"

#define MAX_KEY_SALT (SDEC_MAX_KEY + SDEC_MAX_SALT)
#define LIFETIME_MAX_LOG2 48 /* RFC 3711 §9.2: at most 2^48 SRTP packets */

struct perr {
	char *buf;
	size_t cap;
};

static enum sa_status fail(struct perr *e, struct srtpkey_spec *out, enum sa_status st,
			   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static enum sa_status fail(struct perr *e, struct srtpkey_spec *out, enum sa_status st,
			   const char *fmt, ...)
{
	va_list ap;
	int n;
	memset(out, 0, sizeof *out);
	if (!e->buf || e->cap == 0)
		return st;
	n = snprintf(e->buf, e->cap, "--srtp-key: ");
	if (n > 0 && (size_t)n < e->cap) {
		va_start(ap, fmt);
		vsnprintf(e->buf + n, e->cap - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return st;
}

/* show - a user's text for a message, cut to 60 characters. */
static const char *show(struct sv v, char *buf, size_t cap)
{
	return sv_copy_cstr(v, buf, cap);
}

static bool all_hex(struct sv v)
{
	size_t i;
	for (i = 0; i < v.n; i++) {
		char c = v.p[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
			return false;
	}
	return v.n > 0;
}

/* hex_u32 - 1 to 8 hex digits. */
static bool hex_u32(struct sv v, uint32_t *out)
{
	uint8_t b[4] = { 0 };
	char pad[8];
	size_t n, i;
	if (v.n == 0 || v.n > 8 || !all_hex(v))
		return false;
	/* Left-pad to 8 digits and decode as 4 octets. */
	for (i = 0; i < 8 - v.n; i++)
		pad[i] = '0';
	memcpy(pad + i, v.p, v.n);
	if (!sv_hex_decode(sv_make(pad, 8), b, sizeof b, &n) || n != 4)
		return false;
	*out = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	return true;
}

static const char *suite_list(char *buf, size_t cap)
{
	size_t used = 0;
	int i;
	buf[0] = '\0';
	for (i = 1; i < SDEC_SUITE_COUNT; i++) {
		const struct sdec_suite_info *s = sdec_suite_get((enum sdec_suite)i);
		int n;
		if (!s || !s->supported)
			continue;
		n = snprintf(buf + used, cap - used, "%s%s", used ? ", " : "", s->name);
		if (n < 0 || (size_t)n >= cap - used)
			break;
		used += (size_t)n;
	}
	return buf;
}

/* key_params - the "|lifetime" and "|MKI:length" parts (RFC 4568 §9.2:
 * key-info = key-salt ["|" lifetime] ["|" mki], lifetime = ["2^"] 1*DIGIT,
 * mki = mki-value ":" mki-length, mki-length = 1*3DIGIT, 1..128). */
static enum sa_status key_params(struct sv rest, bool more, struct srtpkey_spec *out,
				 struct perr *e)
{
	struct sdec_master_key *mk = &out->params.keys[0];
	struct sv field, val, len_txt;
	char sh[64];
	unsigned n_fields = 0;
	bool has_mki = false;

	while (more) {
		more = sv_split_char(rest, '|', &field, &rest);
		if (++n_fields > 2)
			return fail(e, out, SA_MALFORMED,
				    "key: too many '|' parts: expected KEY[|LIFETIME][|MKI:LENGTH]");
		if (field.n == 0)
			return fail(e, out, SA_MALFORMED,
				    "key: empty part after '|': expected a lifetime "
				    "(\"2^31\" or a number) or MKI:LENGTH (\"1:4\")");
		if (sv_split_char(field, ':', &val, &len_txt)) {
			uint64_t v, l;
			if (has_mki)
				return fail(e, out, SA_MALFORMED, "key: more than one MKI part");
			if (!sv_u64(val, UINT64_MAX, &v))
				return fail(e, out, SA_MALFORMED,
					    "key: MKI value '%s' is not a decimal number "
					    "(RFC 4568 §9.2: MKI:LENGTH, e.g. \"1:4\")",
					    show(val, sh, sizeof sh));
			if (len_txt.n > 3 || !sv_u64(len_txt, 999, &l) || l < 1 ||
			    l > SDEC_MAX_MKI)
				return fail(e, out, SA_MALFORMED,
					    "key: MKI length '%s' is not 1..128 octets (RFC 4568 §6.1)",
					    show(len_txt, sh, sizeof sh));
			if (l < 8 && v >> (8 * l) != 0)
				return fail(e, out, SA_MALFORMED,
					    "key: MKI value %llu does not fit in %llu octet%s",
					    (unsigned long long)v, (unsigned long long)l,
					    l == 1 ? "" : "s");
			mk->mki_len = (size_t)l;
			memset(mk->mki, 0, sizeof mk->mki);
			for (size_t i = 0; i < 8 && i < l; i++)
				mk->mki[l - 1 - i] = (uint8_t)(v >> (8 * i));
			has_mki = true;
		} else {
			uint64_t lt;
			if (has_mki)
				return fail(e, out, SA_MALFORMED,
					    "key: the lifetime must come before the MKI "
					    "(RFC 4568 §9.2: KEY|LIFETIME|MKI:LENGTH)");
			if (out->has_lifetime)
				return fail(e, out, SA_MALFORMED, "key: more than one lifetime part");
			if (sv_starts_with_ci(field, "2^")) {
				uint64_t exp;
				if (!sv_u64(sv_make(field.p + 2, field.n - 2), LIFETIME_MAX_LOG2, &exp))
					return fail(e, out, SA_MALFORMED,
						    "key: lifetime '%s' is not 2^0..2^48 "
						    "(RFC 3711 §9.2 limits SRTP to 2^48 packets)",
						    show(field, sh, sizeof sh));
				lt = (uint64_t)1 << exp;
			} else if (!sv_u64(field, (uint64_t)1 << LIFETIME_MAX_LOG2, &lt)) {
				return fail(e, out, SA_MALFORMED,
					    "key: '%s' is neither a lifetime (\"2^31\" or a number "
					    "up to 2^48) nor MKI:LENGTH", show(field, sh, sizeof sh));
			}
			out->has_lifetime = true;
			out->lifetime = lt;
		}
	}
	return SA_OK;
}

static enum sa_status parse_key(struct sv keypart, const struct sdec_suite_info *si,
				struct srtpkey_spec *out, struct perr *e)
{
	struct sdec_master_key *mk = &out->params.keys[0];
	struct sv k, rest;
	uint8_t raw[96];
	size_t need = si->key_len + si->salt_len, got = 0;
	bool more;

	if (sv_starts_with_ci(keypart, "inline:"))
		keypart = sv_make(keypart.p + 7, keypart.n - 7);
	more = sv_split_char(keypart, '|', &k, &rest);
	if (k.n == 0)
		return fail(e, out, SA_MALFORMED,
			    "key missing: expected SUITE:KEY with KEY the base64 or hex "
			    "master key || salt (%zu octets for %s)", need, si->name);
	if (k.n > 2 && k.p[0] == '0' && (k.p[1] == 'x' || k.p[1] == 'X')) {
		struct sv h = sv_make(k.p + 2, k.n - 2);
		if (!all_hex(h) || h.n % 2 != 0)
			return fail(e, out, SA_MALFORMED,
				    "key '0x...' is not hex: an even number of digits 0-9, a-f "
				    "expected (%zu for %s)", 2 * need, si->name);
		if (h.n != 2 * need)
			return fail(e, out, SA_MALFORMED,
				    "key is %zu octets of hex; %s needs %zu "
				    "(%zu-octet master key + %zu-octet salt)",
				    h.n / 2, si->name, need, si->key_len, si->salt_len);
		if (!sv_hex_decode(h, raw, sizeof raw, &got))
			return fail(e, out, SA_MALFORMED, "key: bad hex");
	} else if (k.n == 2 * need && all_hex(k)) {
		if (!sv_hex_decode(k, raw, sizeof raw, &got))
			return fail(e, out, SA_MALFORMED, "key: bad hex");
	} else {
		/* RFC 4568 §6.1: key||salt, base64 (RFC 4648 §4). */
		if (!sdes_base64_decode(k, raw, sizeof raw, &got, NULL) && all_hex(k) &&
		    k.n % 2 == 0)
			return fail(e, out, SA_MALFORMED,
				    "key is %zu octets of hex; %s needs %zu "
				    "(%zu-octet master key + %zu-octet salt)",
				    k.n / 2, si->name, need, si->key_len, si->salt_len);
		if (!sdes_base64_decode(k, raw, sizeof raw, &got, NULL))
			return fail(e, out, SA_MALFORMED,
				    "key (%zu characters) is neither base64 nor hex: %s needs "
				    "%zu octets of master key || salt, as %zu base64 characters "
				    "or 0x and %zu hex digits", k.n, si->name, need,
				    4 * ((need + 2) / 3), 2 * need);
		if (got != need)
			return fail(e, out, SA_MALFORMED,
				    "key is %zu octets of base64; %s needs %zu "
				    "(%zu-octet master key + %zu-octet salt)",
				    got, si->name, need, si->key_len, si->salt_len);
	}
	memcpy(mk->key, raw, si->key_len);
	memcpy(mk->salt, raw + si->key_len, si->salt_len);
	memset(raw, 0, sizeof raw);
	return key_params(rest, more, out, e);
}

/* parse_endpoint - "192.0.2.1:4000" or "[2001:db8::1]:4000".  Returns NULL
 * or what is wrong. */
static const char *parse_endpoint(struct sv s, struct endpoint *ep)
{
	struct sv host, port;
	char hb[64];
	long colon = -1;
	size_t i;
	bool v6 = false;

	memset(ep, 0, sizeof *ep);
	if (s.n == 0)
		return "is empty";
	if (s.p[0] == '[') {
		long close = sv_find(s, SV_LIT("]"));
		if (close < 0)
			return "has '[' without ']'";
		host = sv_make(s.p + 1, (size_t)close - 1);
		if ((size_t)close + 1 >= s.n || s.p[close + 1] != ':')
			return "has no port: expected [IPv6]:PORT";
		port = sv_make(s.p + close + 2, s.n - (size_t)close - 2);
		v6 = true;
	} else {
		for (i = 0; i < s.n; i++)
			if (s.p[i] == ':')
				colon = (long)i;
		if (colon < 0)
			return "has no port: expected IP:PORT";
		host = sv_make(s.p, (size_t)colon);
		port = sv_make(s.p + colon + 1, s.n - (size_t)colon - 1);
		if (memchr(host.p, ':', host.n))
			return "looks like an IPv6 address without brackets: expected [IPv6]:PORT";
	}
	if (host.n == 0 || host.n >= sizeof hb)
		return "has no valid address";
	sv_copy_cstr(host, hb, sizeof hb);
	if (!ipaddr_parse(hb, &ep->ip))
		return "has no valid IP address";
	if (v6 != (ep->ip.family == SA_AF_INET6))
		return v6 ? "has an IPv4 address in brackets" : "has no valid IP address";
	if (!sv_u16(port, &ep->port) || ep->port == 0)
		return "has no valid port: 1..65535 expected";
	return NULL;
}

static enum sa_status parse_binding(struct sv b, struct srtpkey_spec *out, struct perr *e)
{
	char sh[96];
	const char *why;
	int depth = 0;
	long dash = -1;
	size_t i;

	if (b.n == 0)
		return fail(e, out, SA_MALFORMED,
			    "empty binding after '@': expected SRC-DST, IP:PORT or ssrc=N "
			    "(or no '@' for any stream)");
	if (sv_starts_with_ci(b, "ssrc=")) {
		struct sv v = sv_make(b.p + 5, b.n - 5);
		bool ok;
		if (v.n > 2 && v.p[0] == '0' && (v.p[1] == 'x' || v.p[1] == 'X'))
			ok = hex_u32(sv_make(v.p + 2, v.n - 2), &out->ssrc);
		else
			ok = sv_u32(v, &out->ssrc);
		if (!ok)
			return fail(e, out, SA_MALFORMED,
				    "binding 'ssrc=%s': the SSRC must be 0x and 1-8 hex digits or "
				    "a decimal number up to 4294967295", show(v, sh, 64));
		out->bind = SRTPKEY_BIND_SSRC;
		return SA_OK;
	}
	/* The '-' between two endpoints is never inside brackets. */
	for (i = 0; i < b.n; i++) {
		if (b.p[i] == '[')
			depth++;
		else if (b.p[i] == ']')
			depth--;
		else if (b.p[i] == '-' && depth == 0 && dash < 0)
			dash = (long)i;
	}
	if (dash >= 0) {
		struct sv l = sv_make(b.p, (size_t)dash);
		struct sv r = sv_make(b.p + dash + 1, b.n - (size_t)dash - 1);
		if ((why = parse_endpoint(l, &out->src)) != NULL)
			return fail(e, out, SA_MALFORMED,
				    "binding source '%s' %s (binding: SRC-DST, e.g. "
				    "192.0.2.1:4000-198.51.100.2:5000)", show(l, sh, 64), why);
		if ((why = parse_endpoint(r, &out->dst)) != NULL)
			return fail(e, out, SA_MALFORMED,
				    "binding destination '%s' %s (binding: SRC-DST, e.g. "
				    "192.0.2.1:4000-198.51.100.2:5000)", show(r, sh, 64), why);
		out->bind = SRTPKEY_BIND_FLOW;
		return SA_OK;
	}
	if ((why = parse_endpoint(b, &out->src)) != NULL)
		return fail(e, out, SA_MALFORMED,
			    "binding '%s' %s (expected SRC-DST, IP:PORT, [IPv6]:PORT or ssrc=N)",
			    show(b, sh, 64), why);
	out->bind = SRTPKEY_BIND_SOURCE;
	return SA_OK;
}

enum sa_status srtpkey_spec_parse(struct sv text, struct srtpkey_spec *out,
				  char *err, size_t err_cap)
{
	struct perr e = { err, err_cap };
	struct sv suite_name, rest, keypart, binding;
	const struct sdec_suite_info *si;
	enum sdec_suite suite;
	char sh[64], list[400];
	enum sa_status st;
	bool has_binding;

	memset(out, 0, sizeof *out);
	if (err && err_cap)
		err[0] = '\0';
	sdec_params_init(&out->params);
	if (!sv_split_char(text, ':', &suite_name, &rest) || suite_name.n == 0)
		return fail(&e, out, SA_MALFORMED,
			    "'%s' is not SUITE:KEY[@BINDING], e.g. "
			    "AES_CM_128_HMAC_SHA1_80:<base64 key||salt>@192.0.2.1:4000",
			    show(text, sh, 24));
	suite = sdec_suite_by_name(suite_name);
	if (suite == SDEC_SUITE_NONE)
		return fail(&e, out, SA_MALFORMED, "unknown suite '%s': expected one of %s",
			    show(suite_name, sh, sizeof sh), suite_list(list, sizeof list));
	si = sdec_suite_get(suite);
	if (!si->supported)
		return fail(&e, out, SA_UNSUPPORTED,
			    "suite %s cannot be decrypted (libsrtp does not implement it "
			    "correctly or at all); supported: %s",
			    si->name, suite_list(list, sizeof list));
	out->params.suite = suite;
	out->params.n_keys = 1;
	has_binding = sv_split_char(rest, '@', &keypart, &binding);
	st = parse_key(keypart, si, out, &e);
	if (st != SA_OK)
		return st;
	if (has_binding)
		return parse_binding(binding, out, &e);
	out->bind = SRTPKEY_BIND_ANY;
	return SA_OK;
}

int srtpkey_spec_match(const struct srtpkey_spec *k, const struct endpoint *src,
		       const struct endpoint *dst, uint32_t ssrc)
{
	switch (k->bind) {
	case SRTPKEY_BIND_SSRC:
		return k->ssrc == ssrc ? 4 : 0;
	case SRTPKEY_BIND_FLOW:
		return src && dst && endpoint_eq(src, &k->src) && endpoint_eq(dst, &k->dst) ? 3 : 0;
	case SRTPKEY_BIND_SOURCE:
		return src && endpoint_eq(src, &k->src) ? 2 : 0;
	case SRTPKEY_BIND_ANY:
	default:
		return 1;
	}
}

char *srtpkey_spec_format_binding(const struct srtpkey_spec *k, char *buf, size_t cap)
{
	char a[SA_ENDPOINT_STRLEN], b[SA_ENDPOINT_STRLEN];
	if (cap == 0)
		return buf;
	switch (k->bind) {
	case SRTPKEY_BIND_SSRC:
		snprintf(buf, cap, "ssrc=0x%08x", k->ssrc);
		break;
	case SRTPKEY_BIND_FLOW:
		snprintf(buf, cap, "%s-%s", endpoint_format(&k->src, a, sizeof a),
			 endpoint_format(&k->dst, b, sizeof b));
		break;
	case SRTPKEY_BIND_SOURCE:
		snprintf(buf, cap, "from %s", endpoint_format(&k->src, a, sizeof a));
		break;
	case SRTPKEY_BIND_ANY:
	default:
		snprintf(buf, cap, "any stream");
		break;
	}
	return buf;
}
