/* sdes.c - a=crypto parsing and the SRTP suite table; see sdes.h. */
#include "sdes.h"

#include <string.h>

/* RFC 4568 §6.2, RFC 6188 §4 (Tables 1-4), RFC 7714 §12/§14.1.
 * SRTCP tags are 80 bits for every HMAC-SHA1 suite (RFC 3711 §5.2,
 * RFC 4568 §6.2.2).  NULL_HMAC_SHA1_* are libsrtp/vendor names, not RFC. */
static const struct sdes_suite suites[] = {
	{ "AES_CM_128_HMAC_SHA1_80", "RFC 4568 §6.2.1", 16, 14, 10, 10, 48, false, false, false },
	{ "AES_CM_128_HMAC_SHA1_32", "RFC 4568 §6.2.2", 16, 14, 4, 10, 48, false, false, false },
	{ "F8_128_HMAC_SHA1_80", "RFC 4568 §6.2.3", 16, 14, 10, 10, 48, false, false, false },
	{ "AES_192_CM_HMAC_SHA1_80", "RFC 6188 §4", 24, 14, 10, 10, 48, false, false, false },
	{ "AES_192_CM_HMAC_SHA1_32", "RFC 6188 §4", 24, 14, 4, 10, 48, false, false, false },
	{ "AES_256_CM_HMAC_SHA1_80", "RFC 6188 §4", 32, 14, 10, 10, 48, false, false, false },
	{ "AES_256_CM_HMAC_SHA1_32", "RFC 6188 §4", 32, 14, 4, 10, 48, false, false, false },
	{ "AEAD_AES_128_GCM", "RFC 7714 §14.1", 16, 12, 16, 16, 48, true, false, false },
	{ "AEAD_AES_256_GCM", "RFC 7714 §14.1", 32, 12, 16, 16, 48, true, false, false },
	{ "NULL_HMAC_SHA1_80", "", 16, 14, 10, 10, 48, false, true, true },
	{ "NULL_HMAC_SHA1_32", "", 16, 14, 4, 10, 48, false, true, true },
};

/* Non-RFC spellings seen in the field (rtpengine issue #717). */
static const struct {
	const char *alias;
	size_t index;
} aliases[] = {
	{ "AES_CM_192_HMAC_SHA1_80", 3 },
	{ "AES_CM_192_HMAC_SHA1_32", 4 },
	{ "AES_CM_256_HMAC_SHA1_80", 5 },
	{ "AES_CM_256_HMAC_SHA1_32", 6 },
};

size_t sdes_suite_count(void)
{
	return sizeof suites / sizeof suites[0];
}

const struct sdes_suite *sdes_suite_at(size_t i)
{
	return i < sdes_suite_count() ? &suites[i] : NULL;
}

const struct sdes_suite *sdes_suite_find(struct sv name, bool *alias)
{
	size_t i;
	if (alias)
		*alias = false;
	for (i = 0; i < sdes_suite_count(); i++)
		if (sv_eq_cstr_ci(name, suites[i].name))
			return &suites[i];
	for (i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
		if (sv_eq_cstr_ci(name, aliases[i].alias)) {
			if (alias)
				*alias = true;
			return &suites[aliases[i].index];
		}
	return NULL;
}

const char *sdes_err_code(enum sdes_err e)
{
	switch (e) {
	case SDES_ERR_SYNTAX: return "crypto-syntax";
	case SDES_ERR_TAG: return "crypto-bad-tag";
	case SDES_ERR_TAG_LEADING_ZERO: return "crypto-tag-leading-zero";
	case SDES_ERR_UNKNOWN_SUITE: return "crypto-unknown-suite";
	case SDES_ERR_KEY_METHOD: return "crypto-key-method";
	case SDES_ERR_BASE64: return "crypto-bad-base64";
	case SDES_ERR_KEY_LENGTH: return "crypto-key-length";
	case SDES_ERR_LIFETIME: return "crypto-bad-lifetime";
	case SDES_ERR_MKI: return "crypto-bad-mki";
	case SDES_ERR_MKI_MISMATCH: return "crypto-mki-mismatch";
	case SDES_ERR_TOO_MANY_KEYS: return "crypto-too-many-keys";
	case SDES_ERR_SESSION_PARAM: return "crypto-bad-session-param";
	case SDES_ERR_UNKNOWN_PARAM: return "crypto-unknown-param";
	}
	return "crypto-error";
}

static void add_err(struct sdes_crypto *c, struct sdes_errors *errs,
		    enum sdes_err code, struct sv text)
{
	c->valid = false;
	if (!errs)
		return;
	if (errs->n >= SDES_MAX_ERRORS) {
		errs->dropped++;
		return;
	}
	errs->e[errs->n].code = code;
	errs->e[errs->n].text = text;
	errs->n++;
}

static int b64val(char ch)
{
	if (ch >= 'A' && ch <= 'Z')
		return ch - 'A';
	if (ch >= 'a' && ch <= 'z')
		return ch - 'a' + 26;
	if (ch >= '0' && ch <= '9')
		return ch - '0' + 52;
	if (ch == '+')
		return 62;
	if (ch == '/')
		return 63;
	return -1;
}

bool sdes_base64_decode(struct sv in, uint8_t *out, size_t cap, size_t *len,
			bool *unpadded)
{
	size_t data = in.n, pad = 0, i, o = 0, rem;
	uint32_t acc = 0;
	unsigned bits = 0;
	/* RFC 4648 §3.2/§4: up to two '=' at the very end. */
	while (data > 0 && in.p[data - 1] == '=' && pad < 2) {
		data--;
		pad++;
	}
	if (data == 0)
		return false;
	rem = data % 4;
	if (rem == 1)
		return false;
	if (pad > 0 && (in.n % 4 != 0 || (rem == 2 && pad != 2) || (rem == 3 && pad != 1)
			|| rem == 0))
		return false;
	for (i = 0; i < data; i++) {
		int v = b64val(in.p[i]);
		if (v < 0)
			return false;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o >= cap)
				return false;
			out[o++] = (uint8_t)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	/* RFC 4648 §3.5: the pad bits must be zero (canonical encoding). */
	if (acc != 0)
		return false;
	*len = o;
	if (unpadded)
		*unpadded = (pad == 0 && rem != 0);
	return true;
}

static bool is_digits(struct sv v)
{
	size_t i;
	if (v.n == 0)
		return false;
	for (i = 0; i < v.n; i++)
		if (v.p[i] < '0' || v.p[i] > '9')
			return false;
	return true;
}

/* lifetime = ["2^"] 1*(DIGIT), no leading zeros (RFC 4568 §6.1, §9.2). */
static bool parse_lifetime(struct sv v, struct sdes_key_param *kp)
{
	uint64_t n;
	kp->lifetime_raw = v;
	if (v.n >= 2 && v.p[0] == '2' && v.p[1] == '^') {
		struct sv e = sv_make(v.p + 2, v.n - 2);
		if (!is_digits(e) || (e.n > 1 && e.p[0] == '0') || !sv_u64(e, 63, &n))
			return false;
		kp->lifetime_pow2 = true;
		kp->lifetime = (uint64_t)1 << n;
		return true;
	}
	if (!is_digits(v) || v.p[0] == '0' || !sv_u64(v, UINT64_MAX, &n))
		return false;
	kp->lifetime = n;
	return true;
}

/* MKI = mki-value ":" mki-length; mki-length 1..128 (RFC 4568 §6.1, §9.2). */
static bool parse_mki(struct sv v, struct sdes_key_param *kp)
{
	struct sv val, len;
	uint64_t n;
	if (!sv_split_char(v, ':', &val, &len))
		return false;
	if (!is_digits(val) || (val.n > 1 && val.p[0] == '0') ||
	    !sv_u64(val, UINT64_MAX, &kp->mki_value))
		return false;
	if (!is_digits(len) || len.p[0] == '0' || !sv_u64(len, 128, &n))
		return false;
	kp->mki_len = (uint8_t)n;
	/* The value must fit in mki_len octets. */
	if (kp->mki_len < 8 && (kp->mki_value >> (8 * kp->mki_len)) != 0)
		return false;
	return true;
}

/* key-param = key-method ":" key-info; "inline:" key||salt ["|" lifetime]
 * ["|" MKI ":" length] (RFC 4568 §6.1). */
static void parse_key_param(struct sv text, struct sdes_crypto *c,
			    struct sdes_key_param *kp, struct sdes_errors *errs)
{
	struct sv info, rest, field;
	int nfield = 0;
	bool more;
	memset(kp, 0, sizeof *kp);
	if (!sv_split_char(text, ':', &kp->method, &info) || kp->method.n == 0) {
		add_err(c, errs, SDES_ERR_SYNTAX, text);
		return;
	}
	if (!sv_eq_cstr_ci(kp->method, "inline")) {
		add_err(c, errs, SDES_ERR_KEY_METHOD, kp->method);
		return;
	}
	more = sv_split_char(info, '|', &kp->key_b64, &rest);
	if (!sdes_base64_decode(kp->key_b64, kp->key, sizeof kp->key, &kp->key_len,
				&kp->b64_unpadded)) {
		kp->key_len = 0;
		add_err(c, errs, SDES_ERR_BASE64, kp->key_b64);
	} else if (c->suite) {
		/* RFC 4568 §6.1 / RFC 6188 §4 / RFC 7714 §14.1: exact length. */
		if (kp->key_len == (size_t)c->suite->key_len + c->suite->salt_len)
			kp->key_ok = true;
		else
			add_err(c, errs, SDES_ERR_KEY_LENGTH, kp->key_b64);
	}
	while (more) {
		more = sv_split_char(rest, '|', &field, &rest);
		nfield++;
		if (nfield > 2 || field.n == 0) {
			add_err(c, errs, SDES_ERR_SYNTAX, field.n ? field : text);
			break;
		}
		if (memchr(field.p, ':', field.n)) {
			if (kp->has_mki || !parse_mki(field, kp)) {
				add_err(c, errs, SDES_ERR_MKI, field);
				continue;
			}
			kp->has_mki = true;
		} else {
			if (kp->has_mki || kp->has_lifetime || !parse_lifetime(field, kp)) {
				add_err(c, errs, SDES_ERR_LIFETIME, field);
				continue;
			}
			kp->has_lifetime = true;
			/* Not above the suite's maximum (RFC 4568 §6.1). */
			if (c->suite && kp->lifetime > ((uint64_t)1 << c->suite->lifetime_log2))
				add_err(c, errs, SDES_ERR_LIFETIME, field);
		}
	}
}

static void parse_session_param(struct sv tok, struct sdes_crypto *c,
				struct sdes_errors *errs)
{
	struct sv name, val;
	uint64_t n;
	bool has_val = sv_split_char(tok, '=', &name, &val);
	/* RFC 4568 §6.3.1: KDR=1*2DIGIT, 0..24 (grammar; §6.3.1 prose says 1..24). */
	if (sv_eq_cstr_ci(name, "KDR") && has_val) {
		if (!sv_u64(val, 24, &n) || val.n > 2) {
			add_err(c, errs, SDES_ERR_SESSION_PARAM, tok);
			return;
		}
		c->has_kdr = true;
		c->kdr = (uint8_t)n;
	} else if (sv_eq_cstr_ci(tok, "UNENCRYPTED_SRTP")) {
		c->unencrypted_srtp = true;       /* §6.3.2 */
	} else if (sv_eq_cstr_ci(tok, "UNENCRYPTED_SRTCP")) {
		c->unencrypted_srtcp = true;      /* §6.3.2 */
	} else if (sv_eq_cstr_ci(tok, "UNAUTHENTICATED_SRTP")) {
		c->unauthenticated_srtp = true;   /* §6.3.3 */
	} else if (sv_eq_cstr_ci(name, "FEC_ORDER") && has_val) {
		/* §6.3.4 */
		if (!sv_eq_cstr_ci(val, "FEC_SRTP") && !sv_eq_cstr_ci(val, "SRTP_FEC"))
			add_err(c, errs, SDES_ERR_SESSION_PARAM, tok);
		c->fec_order = val;
	} else if (sv_eq_cstr_ci(name, "FEC_KEY") && has_val) {
		/* §6.3.5: FEC_KEY=key-params */
		if (val.n == 0)
			add_err(c, errs, SDES_ERR_SESSION_PARAM, tok);
		c->fec_key = val;
	} else if (sv_eq_cstr_ci(name, "WSH") && has_val) {
		/* §6.3.6: WSH=2*DIGIT, at least 64 */
		uint32_t w;
		if (!sv_u32(val, &w) || w < 64) {
			add_err(c, errs, SDES_ERR_SESSION_PARAM, tok);
			return;
		}
		c->has_wsh = true;
		c->wsh = w;
	} else {
		/* §6.3.7: unknown params with '-' MAY be ignored; without, the
		 * attribute is invalid. */
		if (c->n_unknown < SDES_MAX_UNKNOWN)
			c->unknown[c->n_unknown++] = tok;
		if (tok.p[0] != '-') {
			c->n_unknown_mandatory++;
			add_err(c, errs, SDES_ERR_UNKNOWN_PARAM, tok);
		}
	}
}

enum sa_status sdes_parse(struct sv value, struct sdes_crypto *out,
			  struct sdes_errors *errs)
{
	struct sv rest = sv_trim(value), tok, keyparams, kp;
	size_t i;
	memset(out, 0, sizeof *out);
	out->raw = value;
	out->valid = true;
	/* RFC 4568 §9.1: tag 1*WSP crypto-suite 1*WSP key-params *(1*WSP session-param) */
	if (!sv_next_token(&rest, &out->tag_raw)) {
		add_err(out, errs, SDES_ERR_SYNTAX, value);
		return SA_MALFORMED;
	}
	if (out->tag_raw.n > 9 || !sv_u32(out->tag_raw, &out->tag))
		add_err(out, errs, SDES_ERR_TAG, out->tag_raw);
	else if (out->tag_raw.n > 1 && out->tag_raw.p[0] == '0')
		add_err(out, errs, SDES_ERR_TAG_LEADING_ZERO, out->tag_raw); /* §4.1 */
	if (!sv_next_token(&rest, &out->suite_name)) {
		add_err(out, errs, SDES_ERR_SYNTAX, value);
		return SA_MALFORMED;
	}
	out->suite = sdes_suite_find(out->suite_name, &out->suite_alias);
	if (!out->suite)
		add_err(out, errs, SDES_ERR_UNKNOWN_SUITE, out->suite_name);
	if (!sv_next_token(&rest, &keyparams)) {
		add_err(out, errs, SDES_ERR_SYNTAX, value);
		return SA_MALFORMED;
	}
	/* key-params = key-param *(";" key-param) (§9.1) */
	while (keyparams.n > 0) {
		sv_split_char(keyparams, ';', &kp, &keyparams);
		if (kp.n == 0) {
			add_err(out, errs, SDES_ERR_SYNTAX, kp);
			continue;
		}
		if (out->n_keys >= SDES_MAX_KEYS) {
			add_err(out, errs, SDES_ERR_TOO_MANY_KEYS, kp);
			break;
		}
		parse_key_param(kp, out, &out->keys[out->n_keys], errs);
		out->n_keys++;
	}
	/* §6.1: with several keys, each has an MKI and all MKI lengths agree. */
	for (i = 1; i < out->n_keys; i++)
		if (!out->keys[i].has_mki || !out->keys[0].has_mki ||
		    out->keys[i].mki_len != out->keys[0].mki_len) {
			add_err(out, errs, SDES_ERR_MKI_MISMATCH, out->keys[i].key_b64);
			break;
		}
	while (sv_next_token(&rest, &tok))
		parse_session_param(tok, out, errs);
	return out->valid ? SA_OK : SA_MALFORMED;
}
