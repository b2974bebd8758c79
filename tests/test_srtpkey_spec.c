/* test_srtpkey_spec.c - CUnit suite for srtpkey_spec.h (--srtp-key). */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "srtpkey_spec.h"

/* RFC 4568 §9.2's example key, its hex, and 28 / 46 octet keys. */
#define B64_30 "PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR"
#define HEX_30 "3d2d6e40255e7821426a75667239293f2c2335685c603d265d7b71695051"
#define B64_28 "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHA=="
#define B64_46 "QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl9gYWJjZGVmZ2hpamtsbQ=="

static char err[SRTPKEY_ERR_LEN];

static enum sa_status parse(const char *s, struct srtpkey_spec *k)
{
	memset(err, 'x', sizeof err); /* the message must be rewritten */
	err[sizeof err - 1] = '\0';
	return srtpkey_spec_parse(sv_cstr(s), k, err, sizeof err);
}

static bool key_is(const struct srtpkey_spec *k, const char *hex, size_t key_len, size_t salt_len)
{
	uint8_t b[64];
	size_t n;
	if (!sv_hex_decode(sv_cstr(hex), b, sizeof b, &n) || n != key_len + salt_len)
		return false;
	return memcmp(k->params.keys[0].key, b, key_len) == 0 &&
	       memcmp(k->params.keys[0].salt, b + key_len, salt_len) == 0;
}

static void test_base64_forms(void)
{
	struct srtpkey_spec k;
	uint8_t v[46];
	unsigned i;

	CU_ASSERT_EQUAL(parse("AES_CM_128_HMAC_SHA1_80:" B64_30, &k), SA_OK);
	CU_ASSERT_STRING_EQUAL(err, "");
	CU_ASSERT_EQUAL(k.params.suite, SDEC_AES_CM_128_HMAC_SHA1_80);
	CU_ASSERT_EQUAL(k.params.n_keys, 1);
	CU_ASSERT_TRUE(key_is(&k, HEX_30, 16, 14));
	CU_ASSERT_EQUAL(k.params.keys[0].mki_len, 0);
	CU_ASSERT_FALSE(k.has_lifetime);
	CU_ASSERT_EQUAL(k.bind, SRTPKEY_BIND_ANY);
	CU_ASSERT_EQUAL(k.params.roc_search, SDEC_ROC_SEARCH_DEFAULT); /* defaults kept */

	/* The a=crypto inline form with lifetime and MKI (RFC 4568 §9.2). */
	CU_ASSERT_EQUAL(parse("aes_cm_128_hmac_sha1_32:inline:" B64_30 "|2^20|1:4", &k), SA_OK);
	CU_ASSERT_EQUAL(k.params.suite, SDEC_AES_CM_128_HMAC_SHA1_32);
	CU_ASSERT_TRUE(key_is(&k, HEX_30, 16, 14));
	CU_ASSERT_TRUE(k.has_lifetime);
	CU_ASSERT_EQUAL(k.lifetime, 1u << 20);
	CU_ASSERT_EQUAL(k.params.keys[0].mki_len, 4);
	CU_ASSERT_EQUAL(memcmp(k.params.keys[0].mki, "\x00\x00\x00\x01", 4), 0);

	/* MKI only; a multi-octet value; decimal lifetime. */
	CU_ASSERT_EQUAL(parse("AES_CM_128_HMAC_SHA1_80:" B64_30 "|258:2", &k), SA_OK);
	CU_ASSERT_EQUAL(k.params.keys[0].mki_len, 2);
	CU_ASSERT_EQUAL(k.params.keys[0].mki[0], 1);
	CU_ASSERT_EQUAL(k.params.keys[0].mki[1], 2);
	CU_ASSERT_EQUAL(parse("AES_CM_128_HMAC_SHA1_80:" B64_30 "|1048576", &k), SA_OK);
	CU_ASSERT_EQUAL(k.lifetime, 1048576);
	CU_ASSERT_EQUAL(k.params.keys[0].mki_len, 0);

	/* AEAD: 16 + 12 octets; AES-256 via a DTLS-profile-less alias. */
	CU_ASSERT_EQUAL(parse("SRTP_AEAD_AES_128_GCM:" B64_28, &k), SA_OK);
	CU_ASSERT_EQUAL(k.params.suite, SDEC_AEAD_AES_128_GCM);
	CU_ASSERT_EQUAL(k.params.keys[0].key[0], 1);
	CU_ASSERT_EQUAL(k.params.keys[0].key[15], 16);
	CU_ASSERT_EQUAL(k.params.keys[0].salt[0], 17);
	CU_ASSERT_EQUAL(k.params.keys[0].salt[11], 28);
	CU_ASSERT_EQUAL(parse("AES_CM_256_HMAC_SHA1_80:" B64_46, &k), SA_OK);
	CU_ASSERT_EQUAL(k.params.suite, SDEC_AES_256_CM_HMAC_SHA1_80);
	for (i = 0; i < 46; i++)
		v[i] = (uint8_t)(0x40 + i);
	CU_ASSERT_EQUAL(memcmp(k.params.keys[0].key, v, 32), 0);
	CU_ASSERT_EQUAL(memcmp(k.params.keys[0].salt, v + 32, 14), 0);
}

static void test_hex_forms(void)
{
	struct srtpkey_spec k;
	CU_ASSERT_EQUAL(parse("AES_CM_128_HMAC_SHA1_80:0x" HEX_30, &k), SA_OK);
	CU_ASSERT_TRUE(key_is(&k, HEX_30, 16, 14));
	CU_ASSERT_EQUAL(parse("AES_CM_128_HMAC_SHA1_80:" HEX_30, &k), SA_OK);
	CU_ASSERT_TRUE(key_is(&k, HEX_30, 16, 14));
	CU_ASSERT_EQUAL(parse("NULL_HMAC_SHA1_80:0X3D2D6E40255E7821426A75667239293F2C2335685C603D265D7B71695051|0:1", &k), SA_OK);
	CU_ASSERT_EQUAL(k.params.suite, SDEC_NULL_HMAC_SHA1_80);
	CU_ASSERT_TRUE(key_is(&k, HEX_30, 16, 14));
	CU_ASSERT_EQUAL(k.params.keys[0].mki_len, 1);
	CU_ASSERT_EQUAL(k.params.keys[0].mki[0], 0);
}

static void test_bindings(void)
{
	struct srtpkey_spec k;
	struct endpoint a, b, c;
	char buf[2 * SA_ENDPOINT_STRLEN + 8];

	CU_ASSERT_EQUAL(parse("AES_CM_128_HMAC_SHA1_80:" B64_30 "@192.0.2.1:4000-198.51.100.2:5000", &k), SA_OK);
	CU_ASSERT_EQUAL(k.bind, SRTPKEY_BIND_FLOW);
	CU_ASSERT_EQUAL(k.src.ip.family, SA_AF_INET);
	CU_ASSERT_EQUAL(k.src.ip.a[0], 192);
	CU_ASSERT_EQUAL(k.src.ip.a[3], 1);
	CU_ASSERT_EQUAL(k.src.port, 4000);
	CU_ASSERT_EQUAL(k.dst.ip.a[0], 198);
	CU_ASSERT_EQUAL(k.dst.port, 5000);
	CU_ASSERT_STRING_EQUAL(srtpkey_spec_format_binding(&k, buf, sizeof buf),
			       "192.0.2.1:4000-198.51.100.2:5000");
	a = k.src;
	b = k.dst;
	c = k.dst;
	c.port = 5002;
	CU_ASSERT_EQUAL(srtpkey_spec_match(&k, &a, &b, 7), 3);
	CU_ASSERT_EQUAL(srtpkey_spec_match(&k, &b, &a, 7), 0); /* other direction */
	CU_ASSERT_EQUAL(srtpkey_spec_match(&k, &a, &c, 7), 0);

	CU_ASSERT_EQUAL(parse("AES_CM_128_HMAC_SHA1_80:" B64_30 "@[2001:db8::1]:4000-[2001:db8::2]:5000", &k), SA_OK);
	CU_ASSERT_EQUAL(k.bind, SRTPKEY_BIND_FLOW);
	CU_ASSERT_EQUAL(k.src.ip.family, SA_AF_INET6);
	CU_ASSERT_EQUAL(k.src.ip.a[0], 0x20);
	CU_ASSERT_EQUAL(k.src.ip.a[15], 1);
	CU_ASSERT_EQUAL(k.dst.ip.a[15], 2);
	CU_ASSERT_EQUAL(k.dst.port, 5000);
	CU_ASSERT_STRING_EQUAL(srtpkey_spec_format_binding(&k, buf, sizeof buf),
			       "[2001:db8::1]:4000-[2001:db8::2]:5000");

	CU_ASSERT_EQUAL(parse("AES_CM_128_HMAC_SHA1_80:" B64_30 "@192.0.2.1:4000", &k), SA_OK);
	CU_ASSERT_EQUAL(k.bind, SRTPKEY_BIND_SOURCE);
	CU_ASSERT_EQUAL(k.src.port, 4000);
	CU_ASSERT_EQUAL(srtpkey_spec_match(&k, &a, &c, 1), 2); /* a is 192.0.2.1:4000 */
	CU_ASSERT_EQUAL(srtpkey_spec_match(&k, &b, &a, 1), 0);
	CU_ASSERT_STRING_EQUAL(srtpkey_spec_format_binding(&k, buf, sizeof buf),
			       "from 192.0.2.1:4000");

	CU_ASSERT_EQUAL(parse("AES_CM_128_HMAC_SHA1_80:" B64_30 "@[::1]:9", &k), SA_OK);
	CU_ASSERT_EQUAL(k.bind, SRTPKEY_BIND_SOURCE);
	CU_ASSERT_EQUAL(k.src.ip.family, SA_AF_INET6);
	CU_ASSERT_EQUAL(k.src.port, 9);

	CU_ASSERT_EQUAL(parse("AES_CM_128_HMAC_SHA1_80:" B64_30 "|1:1@ssrc=0x1234ABcd", &k), SA_OK);
	CU_ASSERT_EQUAL(k.bind, SRTPKEY_BIND_SSRC);
	CU_ASSERT_EQUAL(k.ssrc, 0x1234abcdu);
	CU_ASSERT_EQUAL(k.params.keys[0].mki_len, 1);
	CU_ASSERT_EQUAL(k.params.keys[0].mki[0], 1);
	CU_ASSERT_EQUAL(srtpkey_spec_match(&k, &a, &b, 0x1234abcdu), 4);
	CU_ASSERT_EQUAL(srtpkey_spec_match(&k, &a, &b, 0x1234abceu), 0);
	CU_ASSERT_EQUAL(srtpkey_spec_match(&k, NULL, NULL, 0x1234abcdu), 4);
	CU_ASSERT_STRING_EQUAL(srtpkey_spec_format_binding(&k, buf, sizeof buf), "ssrc=0x1234abcd");

	CU_ASSERT_EQUAL(parse("AES_CM_128_HMAC_SHA1_80:" B64_30 "@SSRC=4294967295", &k), SA_OK);
	CU_ASSERT_EQUAL(k.ssrc, 0xffffffffu);
	CU_ASSERT_EQUAL(parse("AES_CM_128_HMAC_SHA1_80:" B64_30 "@ssrc=0x7", &k), SA_OK);
	CU_ASSERT_EQUAL(k.ssrc, 7);

	CU_ASSERT_EQUAL(parse("AES_CM_128_HMAC_SHA1_80:" B64_30, &k), SA_OK);
	CU_ASSERT_EQUAL(srtpkey_spec_match(&k, &a, &b, 99), 1);
	CU_ASSERT_STRING_EQUAL(srtpkey_spec_format_binding(&k, buf, sizeof buf), "any stream");
}

/* bad - the text fails with status want and a message holding each part. */
static void bad(const char *text, enum sa_status want, const char *part1, const char *part2)
{
	struct srtpkey_spec k;
	enum sa_status st = parse(text, &k);
	CU_ASSERT_EQUAL(st, want);
	CU_ASSERT_EQUAL(strncmp(err, "--srtp-key: ", 12), 0);
	if (!strstr(err, part1) || (part2 && !strstr(err, part2)))
		fprintf(stderr, "\n  for '%s': %s\n", text, err);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, part1));
	if (part2)
		CU_ASSERT_PTR_NOT_NULL(strstr(err, part2));
	CU_ASSERT_EQUAL(k.params.suite, SDEC_SUITE_NONE); /* zeroed on failure */
	CU_ASSERT(strlen(err) < sizeof err - 1);            /* not cut */
}

static void test_errors_suite_and_key(void)
{
	struct srtpkey_spec k;
	bad("", SA_MALFORMED, "is not SUITE:KEY[@BINDING]", NULL);
	bad(B64_30, SA_MALFORMED, "is not SUITE:KEY[@BINDING]", NULL);
	bad(":" B64_30, SA_MALFORMED, "is not SUITE:KEY[@BINDING]", NULL);
	bad("AES_CM_129_HMAC_SHA1_80:" B64_30, SA_MALFORMED, "unknown suite 'AES_CM_129_HMAC_SHA1_80'",
	    "AEAD_AES_256_GCM");
	bad("AES_192_CM_HMAC_SHA1_80:" B64_30, SA_UNSUPPORTED, "AES_192_CM_HMAC_SHA1_80 cannot be decrypted",
	    "AES_CM_128_HMAC_SHA1_80");
	bad("F8_128_HMAC_SHA1_80:" B64_30, SA_UNSUPPORTED, "F8_128_HMAC_SHA1_80", NULL);
	bad("AES_CM_128_HMAC_SHA1_80:", SA_MALFORMED, "key missing", "30 octets");
	bad("AES_CM_128_HMAC_SHA1_80:@ssrc=1", SA_MALFORMED, "key missing", NULL);
	/* Right base64, wrong length for the suite. */
	bad("AEAD_AES_128_GCM:" B64_30, SA_MALFORMED, "key is 30 octets of base64",
	    "needs 28 (16-octet master key + 12-octet salt)");
	bad("AES_256_CM_HMAC_SHA1_80:" B64_30, SA_MALFORMED, "needs 46", NULL);
	/* Neither base64 nor hex. */
	bad("AES_CM_128_HMAC_SHA1_80:PS1uQCVeeCFCanVmcjkp*ywjNWhcYD0mXXtxaVBR", SA_MALFORMED,
	    "neither base64 nor hex", "40 base64 characters or 0x and 60 hex digits");
	bad("AES_CM_128_HMAC_SHA1_80:0x" HEX_30 "00", SA_MALFORMED, "key is 31 octets of hex", "needs 30");
	bad("AES_CM_128_HMAC_SHA1_80:0x3d2d6g", SA_MALFORMED, "is not hex", "60");
	bad("AES_CM_128_HMAC_SHA1_80:0x" HEX_30 "0", SA_MALFORMED, "is not hex", NULL);
	/* Plain hex of the wrong length: not base64 either, reported as hex. */
	bad("AES_CM_128_HMAC_SHA1_80:" HEX_30 "ab", SA_MALFORMED, "key is 31 octets of hex", "needs 30");
	/* Hex digits that happen to be valid base64 (40 of them: 30 octets of
	 * base64) are taken as base64, as an a=crypto key would be. */
	CU_ASSERT_EQUAL(parse("AES_CM_128_HMAC_SHA1_80:3d2d6e40255e7821426a75667239293f2c233568", &k), SA_OK);
	CU_ASSERT_EQUAL(k.params.keys[0].key[0], 0xdd);
	/* The same key parses once fixed: the failures above are not spurious. */
	CU_ASSERT_EQUAL(parse("AES_CM_128_HMAC_SHA1_80:0x" HEX_30, &k), SA_OK);
}

static void test_errors_params(void)
{
	bad("AES_CM_128_HMAC_SHA1_80:" B64_30 "|", SA_MALFORMED, "empty part after '|'", NULL);
	bad("AES_CM_128_HMAC_SHA1_80:" B64_30 "|2^20|1:4|7", SA_MALFORMED, "too many '|' parts", NULL);
	bad("AES_CM_128_HMAC_SHA1_80:" B64_30 "|1:4|2^20", SA_MALFORMED, "lifetime must come before the MKI", NULL);
	bad("AES_CM_128_HMAC_SHA1_80:" B64_30 "|2^49", SA_MALFORMED, "lifetime '2^49'", "2^48");
	bad("AES_CM_128_HMAC_SHA1_80:" B64_30 "|2^x", SA_MALFORMED, "lifetime '2^x'", NULL);
	bad("AES_CM_128_HMAC_SHA1_80:" B64_30 "|forever", SA_MALFORMED, "'forever' is neither a lifetime", NULL);
	bad("AES_CM_128_HMAC_SHA1_80:" B64_30 "|2^10|2^11", SA_MALFORMED, "more than one lifetime", NULL);
	bad("AES_CM_128_HMAC_SHA1_80:" B64_30 "|a:4", SA_MALFORMED, "MKI value 'a'", NULL);
	bad("AES_CM_128_HMAC_SHA1_80:" B64_30 "|1:0", SA_MALFORMED, "MKI length '0'", "1..128");
	bad("AES_CM_128_HMAC_SHA1_80:" B64_30 "|1:129", SA_MALFORMED, "MKI length '129'", NULL);
	bad("AES_CM_128_HMAC_SHA1_80:" B64_30 "|256:1", SA_MALFORMED, "MKI value 256 does not fit in 1 octet", NULL);
	bad("AES_CM_128_HMAC_SHA1_80:" B64_30 "|1:1|2:1", SA_MALFORMED, "more than one MKI", NULL);
}

static void test_errors_binding(void)
{
	const char *p = "AES_CM_128_HMAC_SHA1_80:" B64_30;
	char t[256];
#define B(suffix, want1, want2) \
	do { snprintf(t, sizeof t, "%s%s", p, suffix); bad(t, SA_MALFORMED, want1, want2); } while (0)
	B("@", "empty binding after '@'", NULL);
	B("@192.0.2.1", "binding '192.0.2.1' has no port", NULL);
	B("@192.0.2.1:0", "has no valid port", NULL);
	B("@192.0.2.1:65536", "has no valid port", NULL);
	B("@192.0.2.300:4000", "has no valid IP address", NULL);
	B("@host.example:4000", "binding 'host.example:4000' has no valid IP address", NULL);
	B("@2001:db8::1:4000", "without brackets", "[IPv6]:PORT");
	B("@[2001:db8::1:4000", "has '[' without ']'", NULL);
	B("@[2001:db8::1]4000", "has no port", NULL);
	B("@[192.0.2.1]:4000", "IPv4 address in brackets", NULL);
	B("@192.0.2.1:4000-", "binding destination ''", "is empty");
	B("@-192.0.2.1:4000", "binding source ''", NULL);
	B("@192.0.2.1:4000-198.51.100.2", "binding destination '198.51.100.2' has no port", NULL);
	B("@ssrc=", "binding 'ssrc='", "0x and 1-8 hex digits");
	B("@ssrc=0x123456789", "binding 'ssrc=0x123456789'", NULL);
	B("@ssrc=4294967296", "decimal number up to 4294967295", NULL);
	B("@ssrc=0xgg", "binding 'ssrc=0xgg'", NULL);
#undef B
}

static void test_null_err_buffer(void)
{
	struct srtpkey_spec k;
	CU_ASSERT_EQUAL(srtpkey_spec_parse(SV_LIT("nope"), &k, NULL, 0), SA_MALFORMED);
	CU_ASSERT_EQUAL(srtpkey_spec_parse(SV_LIT("AES_CM_128_HMAC_SHA1_80:" B64_30 "@ssrc=5"),
					   &k, NULL, 0), SA_OK);
	CU_ASSERT_EQUAL(k.ssrc, 5);
	/* A tiny buffer gets a cut, terminated message. */
	CU_ASSERT_EQUAL(srtpkey_spec_parse(SV_LIT("nope"), &k, err, 8), SA_MALFORMED);
	CU_ASSERT_STRING_EQUAL(err, "--srtp-");
}

static const CU_TestInfo tests[] = {
	{ "base64 key forms", test_base64_forms },
	{ "hex key forms", test_hex_forms },
	{ "bindings and matching", test_bindings },
	{ "errors: suite and key", test_errors_suite_and_key },
	{ "errors: lifetime and MKI", test_errors_params },
	{ "errors: binding", test_errors_binding },
	{ "no error buffer", test_null_err_buffer },
	CU_TEST_INFO_NULL,
};

#define SUITE_NAME "srtpkey_spec"
#include "cu_main.h"
