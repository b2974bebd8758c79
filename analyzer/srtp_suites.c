/* srtp_suites.c - the SRTP crypto-suite table, suite names and the choice
 * of decryption engine (libsrtp or fast); see srtp_stream.h. */
#include "srtp_stream.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "srtp_fast.h"

/* RFC 4568 §6.2, RFC 6188 §4, RFC 7714 §14, RFC 5764 §4.1.2. */
static struct sdec_suite_info suites[SDEC_SUITE_COUNT] = {
	[SDEC_AES_CM_128_HMAC_SHA1_80] = { SDEC_AES_CM_128_HMAC_SHA1_80, "AES_CM_128_HMAC_SHA1_80", 16, 14, 10, 10, false, true },
	[SDEC_AES_CM_128_HMAC_SHA1_32] = { SDEC_AES_CM_128_HMAC_SHA1_32, "AES_CM_128_HMAC_SHA1_32", 16, 14, 4, 10, false, true },
	/* libsrtp #763: wrong AES_192_CM key derivation in 2.5.0 (docs/keys.md);
	 * supported when the default engine is the fast one (engine_apply). */
	[SDEC_AES_192_CM_HMAC_SHA1_80] = { SDEC_AES_192_CM_HMAC_SHA1_80, "AES_192_CM_HMAC_SHA1_80", 24, 14, 10, 10, false, false },
	[SDEC_AES_192_CM_HMAC_SHA1_32] = { SDEC_AES_192_CM_HMAC_SHA1_32, "AES_192_CM_HMAC_SHA1_32", 24, 14, 4, 10, false, false },
	[SDEC_AES_256_CM_HMAC_SHA1_80] = { SDEC_AES_256_CM_HMAC_SHA1_80, "AES_256_CM_HMAC_SHA1_80", 32, 14, 10, 10, false, true },
	[SDEC_AES_256_CM_HMAC_SHA1_32] = { SDEC_AES_256_CM_HMAC_SHA1_32, "AES_256_CM_HMAC_SHA1_32", 32, 14, 4, 10, false, true },
	[SDEC_AEAD_AES_128_GCM] = { SDEC_AEAD_AES_128_GCM, "AEAD_AES_128_GCM", 16, 12, 16, 16, true, true },
	[SDEC_AEAD_AES_256_GCM] = { SDEC_AEAD_AES_256_GCM, "AEAD_AES_256_GCM", 32, 12, 16, 16, true, true },
	/* The NULL profiles still derive the HMAC key from a 128-bit AES-CM
	 * master key and 112-bit salt (libsrtp's null-cipher policy). */
	[SDEC_NULL_HMAC_SHA1_80] = { SDEC_NULL_HMAC_SHA1_80, "NULL_HMAC_SHA1_80", 16, 14, 10, 10, false, true },
	[SDEC_NULL_HMAC_SHA1_32] = { SDEC_NULL_HMAC_SHA1_32, "NULL_HMAC_SHA1_32", 16, 14, 4, 10, false, true },
	[SDEC_F8_128_HMAC_SHA1_80] = { SDEC_F8_128_HMAC_SHA1_80, "F8_128_HMAC_SHA1_80", 16, 14, 10, 10, false, false },
};

static const struct {
	const char *name;
	enum sdec_suite suite;
} aliases[] = {
	{ "SRTP_AES128_CM_HMAC_SHA1_80", SDEC_AES_CM_128_HMAC_SHA1_80 },
	{ "SRTP_AES128_CM_HMAC_SHA1_32", SDEC_AES_CM_128_HMAC_SHA1_32 },
	{ "SRTP_AEAD_AES_128_GCM", SDEC_AEAD_AES_128_GCM },
	{ "SRTP_AEAD_AES_256_GCM", SDEC_AEAD_AES_256_GCM },
	{ "SRTP_NULL_HMAC_SHA1_80", SDEC_NULL_HMAC_SHA1_80 },
	{ "SRTP_NULL_HMAC_SHA1_32", SDEC_NULL_HMAC_SHA1_32 },
	/* Non-RFC spellings seen in deployed SDP (RFC-NOTES §7). */
	{ "AES_CM_256_HMAC_SHA1_80", SDEC_AES_256_CM_HMAC_SHA1_80 },
	{ "AES_CM_256_HMAC_SHA1_32", SDEC_AES_256_CM_HMAC_SHA1_32 },
	{ "AES_CM_192_HMAC_SHA1_80", SDEC_AES_192_CM_HMAC_SHA1_80 },
	{ "AES_CM_192_HMAC_SHA1_32", SDEC_AES_192_CM_HMAC_SHA1_32 },
};

const struct sdec_suite_info *sdec_suite_get(enum sdec_suite suite)
{
	if (suite <= SDEC_SUITE_NONE || suite >= SDEC_SUITE_COUNT)
		return NULL;
	return &suites[suite];
}

enum sdec_suite sdec_suite_by_name(struct sv name)
{
	size_t i;
	for (i = 1; i < SDEC_SUITE_COUNT; i++)
		if (sv_eq_cstr_ci(name, suites[i].name))
			return (enum sdec_suite)i;
	for (i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
		if (sv_eq_cstr_ci(name, aliases[i].name))
			return aliases[i].suite;
	return SDEC_SUITE_NONE;
}

void sdec_params_init(struct sdec_params *p)
{
	memset(p, 0, sizeof *p);
	p->n_keys = 1;
	p->roc_search = SDEC_ROC_SEARCH_DEFAULT;
}

/* The process default engine: set by sdec_engine_set(), else read once
 * from SRTPAUDIT_ENGINE, else fast. */
static pthread_once_t engine_once = PTHREAD_ONCE_INIT;
static enum sdec_engine env_engine = SDEC_ENGINE_FAST;
static enum sdec_engine set_engine = SDEC_ENGINE_DEFAULT;

static void engine_apply(enum sdec_engine e)
{
	bool fast = e == SDEC_ENGINE_FAST;
	suites[SDEC_AES_192_CM_HMAC_SHA1_80].supported = fast;
	suites[SDEC_AES_192_CM_HMAC_SHA1_32].supported = fast;
}

static void engine_env_once(void)
{
	const char *v = getenv("SRTPAUDIT_ENGINE");
	enum sdec_engine e;
	if (v && sdec_engine_by_name(v, &e))
		env_engine = e;
	engine_apply(env_engine);
}

void sdec_engine_set(enum sdec_engine e)
{
	pthread_once(&engine_once, engine_env_once);
	set_engine = e;
	engine_apply(sdec_engine_get());
}

enum sdec_engine sdec_engine_get(void)
{
	pthread_once(&engine_once, engine_env_once);
	return set_engine != SDEC_ENGINE_DEFAULT ? set_engine : env_engine;
}

bool sdec_engine_by_name(const char *name, enum sdec_engine *out)
{
	struct sv n = sv_cstr(name);
	if (sv_eq_cstr_ci(n, "libsrtp"))
		*out = SDEC_ENGINE_LIBSRTP;
	else if (sv_eq_cstr_ci(n, "fast"))
		*out = SDEC_ENGINE_FAST;
	else
		return false;
	return true;
}

const char *sdec_engine_name(enum sdec_engine e)
{
	return e == SDEC_ENGINE_LIBSRTP ? "libsrtp" : "fast";
}
