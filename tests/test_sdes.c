/* test_sdes.c - CUnit suite for sdes.h (a=crypto, RFC 4568 / 6188 / 7714). */
#include <CUnit/CUnit.h>
#include <string.h>

#include "sdes.h"

static struct sdes_crypto c;
static struct sdes_errors e;

static enum sa_status parse(const char *s)
{
	memset(&e, 0, sizeof e);
	return sdes_parse(sv_cstr(s), &c, &e);
}

static bool has_err(enum sdes_err code, const char *text)
{
	size_t i;
	for (i = 0; i < e.n; i++)
		if (e.e[i].code == code && (!text || sv_eq(e.e[i].text, sv_cstr(text))))
			return true;
	return false;
}

/* Frame 55 of voipshark_SIP-SRTP-Normal_Call_two_parties.pcap (MicroSIP). */
static void test_real_microsip_tag3(void)
{
	static const uint8_t want[30] = {
		0x0f, 0x66, 0x26, 0x91, 0xaa, 0x6c, 0x2e, 0x0e, 0xc6, 0x85, 0x09, 0x11,
		0x39, 0x69, 0x77, 0xc0, 0xb2, 0x71, 0x45, 0x7b, 0x91, 0x06, 0x19, 0xc7,
		0x61, 0x58, 0xea, 0xe2, 0x7b, 0x0e };
	CU_ASSERT_EQUAL(parse("3 AES_CM_128_HMAC_SHA1_80 inline:D2YmkapsLg7GhQkROWl3wLJxRXuRBhnHYVjq4nsO"), SA_OK);
	CU_ASSERT_EQUAL(c.tag, 3);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c.suite);
	CU_ASSERT_STRING_EQUAL(c.suite->name, "AES_CM_128_HMAC_SHA1_80");
	CU_ASSERT_EQUAL(c.n_keys, 1);
	CU_ASSERT_EQUAL(c.keys[0].key_len, 30);
	CU_ASSERT_TRUE(c.keys[0].key_ok);
	CU_ASSERT_EQUAL(memcmp(c.keys[0].key, want, 30), 0);
	CU_ASSERT_FALSE(c.keys[0].has_lifetime);
	CU_ASSERT_FALSE(c.keys[0].has_mki);
	CU_ASSERT_TRUE(c.valid);
	CU_ASSERT_EQUAL(e.n, 0);
}

static void test_real_aes256_padded(void)
{
	CU_ASSERT_EQUAL(parse("1 AES_256_CM_HMAC_SHA1_80 inline:R+USwMt3d0q/xyfdSq9aK+vrdTf0x6n6SOcC4E6AZmL5vqEzRofmJm7xWsV9Eg=="), SA_OK);
	CU_ASSERT_EQUAL(c.keys[0].key_len, 46);
	CU_ASSERT_EQUAL(c.keys[0].key[0], 0x47);
	CU_ASSERT_EQUAL(c.keys[0].key[45], 0x12);
	CU_ASSERT_FALSE(c.keys[0].b64_unpadded);
	CU_ASSERT_EQUAL(c.suite->key_len, 32);
	CU_ASSERT_EQUAL(c.suite->srtp_tag_len, 10);
}

static void test_suite_table(void)
{
	bool alias;
	const struct sdes_suite *s;
	s = sdes_suite_find(SV_LIT("AES_CM_128_HMAC_SHA1_32"), &alias);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(s->srtp_tag_len, 4);
	CU_ASSERT_EQUAL(s->srtcp_tag_len, 10); /* RFC 3711 §5.2: SRTCP stays 80 bits */
	CU_ASSERT_FALSE(alias);
	s = sdes_suite_find(SV_LIT("AEAD_AES_256_GCM"), NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_TRUE(s->aead);
	CU_ASSERT_EQUAL(s->key_len + s->salt_len, 44);
	CU_ASSERT_EQUAL(s->srtp_tag_len, 16);
	s = sdes_suite_find(SV_LIT("AES_CM_256_HMAC_SHA1_80"), &alias);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_TRUE(alias);
	CU_ASSERT_STRING_EQUAL(s->name, "AES_256_CM_HMAC_SHA1_80");
	s = sdes_suite_find(SV_LIT("aes_192_cm_hmac_sha1_32"), &alias);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(s->key_len, 24);
	s = sdes_suite_find(SV_LIT("NULL_HMAC_SHA1_80"), NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_TRUE(s->null_cipher);
	CU_ASSERT_TRUE(s->nonstandard);
	CU_ASSERT_PTR_NULL(sdes_suite_find(SV_LIT("AES_CM_128_HMAC_SHA1_81"), NULL));
	CU_ASSERT_EQUAL(sdes_suite_count(), 11);
}

/* Every suite with a key of the right length passes, one byte short fails. */
static void test_each_suite_length(void)
{
	static const char *const b64[] = {
		[16 + 14] = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd",
		[24 + 14] = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCU=",
		[32 + 14] = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLQ==",
		[16 + 12] = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGw==",
		[32 + 12] = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKis=",
	};
	size_t i;
	char line[200];
	for (i = 0; i < sdes_suite_count(); i++) {
		const struct sdes_suite *s = sdes_suite_at(i);
		size_t want = (size_t)s->key_len + s->salt_len;
		CU_ASSERT_PTR_NOT_NULL_FATAL(b64[want]);
		snprintf(line, sizeof line, "7 %s inline:%s", s->name, b64[want]);
		CU_ASSERT_EQUAL(parse(line), SA_OK);
		CU_ASSERT_EQUAL(c.keys[0].key_len, want);
		CU_ASSERT_EQUAL(c.keys[0].key[want - 1], (uint8_t)(want - 1));
		/* The 30-byte key under every other suite is a length error. */
		if (want != 30) {
			snprintf(line, sizeof line, "7 %s inline:%s", s->name, b64[30]);
			CU_ASSERT_EQUAL(parse(line), SA_MALFORMED);
			CU_ASSERT_TRUE(has_err(SDES_ERR_KEY_LENGTH, b64[30]));
			CU_ASSERT_FALSE(c.keys[0].key_ok);
		}
	}
}

static void test_bad_base64(void)
{
	CU_ASSERT_EQUAL(parse("1 AES_CM_128_HMAC_SHA1_80 inline:D2YmkapsLg7GhQkROWl3wLJx!XuRBhnHYVjq4nsO"), SA_MALFORMED);
	CU_ASSERT_TRUE(has_err(SDES_ERR_BASE64, "D2YmkapsLg7GhQkROWl3wLJx!XuRBhnHYVjq4nsO"));
	/* '=' in the middle */
	CU_ASSERT_EQUAL(parse("1 AES_CM_128_HMAC_SHA1_80 inline:D2Ym=apsLg7GhQkROWl3wLJxRXuRBhnHYVjq4nsO"), SA_MALFORMED);
	CU_ASSERT_TRUE(has_err(SDES_ERR_BASE64, NULL));
	/* one stray char (length 4n+1) */
	CU_ASSERT_EQUAL(parse("1 AES_CM_128_HMAC_SHA1_80 inline:D2YmkapsLg7GhQkROWl3wLJxRXuRBhnHYVjq4nsOA"), SA_MALFORMED);
	CU_ASSERT_TRUE(has_err(SDES_ERR_BASE64, NULL));
	/* wrong padding count and non-zero pad bits */
	CU_ASSERT_EQUAL(parse("1 AEAD_AES_128_GCM inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGw="), SA_MALFORMED);
	CU_ASSERT_TRUE(has_err(SDES_ERR_BASE64, NULL));
	CU_ASSERT_EQUAL(parse("1 AEAD_AES_128_GCM inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGx=="), SA_MALFORMED);
	CU_ASSERT_TRUE(has_err(SDES_ERR_BASE64, NULL));
	/* unpadded is accepted and flagged */
	CU_ASSERT_EQUAL(parse("1 AEAD_AES_128_GCM inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGw"), SA_OK);
	CU_ASSERT_TRUE(c.keys[0].b64_unpadded);
	CU_ASSERT_EQUAL(c.keys[0].key_len, 28);
}

static void test_lifetime_mki(void)
{
	CU_ASSERT_EQUAL(parse("1 AES_CM_128_HMAC_SHA1_80 inline:D2YmkapsLg7GhQkROWl3wLJxRXuRBhnHYVjq4nsO|2^31|1:4"), SA_OK);
	CU_ASSERT_TRUE(c.keys[0].has_lifetime);
	CU_ASSERT_TRUE(c.keys[0].lifetime_pow2);
	CU_ASSERT_EQUAL(c.keys[0].lifetime, 2147483648ull);
	CU_ASSERT_TRUE(c.keys[0].has_mki);
	CU_ASSERT_EQUAL(c.keys[0].mki_value, 1);
	CU_ASSERT_EQUAL(c.keys[0].mki_len, 4);
	CU_ASSERT_EQUAL(parse("1 AES_CM_128_HMAC_SHA1_80 inline:D2YmkapsLg7GhQkROWl3wLJxRXuRBhnHYVjq4nsO|1048576"), SA_OK);
	CU_ASSERT_FALSE(c.keys[0].lifetime_pow2);
	CU_ASSERT_EQUAL(c.keys[0].lifetime, 1048576);
	CU_ASSERT_FALSE(c.keys[0].has_mki);
	/* MKI without a lifetime */
	CU_ASSERT_EQUAL(parse("1 AES_CM_128_HMAC_SHA1_80 inline:D2YmkapsLg7GhQkROWl3wLJxRXuRBhnHYVjq4nsO|255:1"), SA_OK);
	CU_ASSERT_EQUAL(c.keys[0].mki_value, 255);
	/* bad ones */
	CU_ASSERT_EQUAL(parse("1 AES_CM_128_HMAC_SHA1_80 inline:D2YmkapsLg7GhQkROWl3wLJxRXuRBhnHYVjq4nsO|2^x"), SA_MALFORMED);
	CU_ASSERT_TRUE(has_err(SDES_ERR_LIFETIME, "2^x"));
	CU_ASSERT_EQUAL(parse("1 AES_CM_128_HMAC_SHA1_80 inline:D2YmkapsLg7GhQkROWl3wLJxRXuRBhnHYVjq4nsO|0100"), SA_MALFORMED);
	CU_ASSERT_TRUE(has_err(SDES_ERR_LIFETIME, "0100"));
	CU_ASSERT_EQUAL(parse("1 AES_CM_128_HMAC_SHA1_80 inline:D2YmkapsLg7GhQkROWl3wLJxRXuRBhnHYVjq4nsO|2^49"), SA_MALFORMED);
	CU_ASSERT_TRUE(has_err(SDES_ERR_LIFETIME, "2^49")); /* above 2^48 */
	CU_ASSERT_EQUAL(parse("1 AES_CM_128_HMAC_SHA1_80 inline:D2YmkapsLg7GhQkROWl3wLJxRXuRBhnHYVjq4nsO|1:129"), SA_MALFORMED);
	CU_ASSERT_TRUE(has_err(SDES_ERR_MKI, "1:129"));
	CU_ASSERT_EQUAL(parse("1 AES_CM_128_HMAC_SHA1_80 inline:D2YmkapsLg7GhQkROWl3wLJxRXuRBhnHYVjq4nsO|256:1"), SA_MALFORMED);
	CU_ASSERT_TRUE(has_err(SDES_ERR_MKI, "256:1")); /* does not fit in 1 byte */
	CU_ASSERT_EQUAL(parse("1 AES_CM_128_HMAC_SHA1_80 inline:D2YmkapsLg7GhQkROWl3wLJxRXuRBhnHYVjq4nsO|1:4|2^20"), SA_MALFORMED);
	CU_ASSERT_TRUE(has_err(SDES_ERR_LIFETIME, "2^20")); /* lifetime after MKI */
	CU_ASSERT_EQUAL(parse("1 AES_CM_128_HMAC_SHA1_80 inline:D2YmkapsLg7GhQkROWl3wLJxRXuRBhnHYVjq4nsO|2^20|1:4|x"), SA_MALFORMED);
	CU_ASSERT_TRUE(has_err(SDES_ERR_SYNTAX, "x"));
}

static void test_several_keys(void)
{
	CU_ASSERT_EQUAL(parse("1 AES_CM_128_HMAC_SHA1_32 "
			      "inline:D2YmkapsLg7GhQkROWl3wLJxRXuRBhnHYVjq4nsO|2^20|1:4;"
			      "inline:oFDqZSB4m17urfnVpfws4X4v2HHt8IGX/3BO4L8L|2^20|2:4"), SA_OK);
	CU_ASSERT_EQUAL(c.n_keys, 2);
	CU_ASSERT_EQUAL(c.keys[1].mki_value, 2);
	CU_ASSERT_EQUAL(c.keys[1].key[0], 0xa0);
	CU_ASSERT_EQUAL(c.keys[1].key[29], 0x0b);
	/* several keys need MKIs of one length (RFC 4568 §6.1) */
	CU_ASSERT_EQUAL(parse("1 AES_CM_128_HMAC_SHA1_32 "
			      "inline:D2YmkapsLg7GhQkROWl3wLJxRXuRBhnHYVjq4nsO|1:4;"
			      "inline:oFDqZSB4m17urfnVpfws4X4v2HHt8IGX/3BO4L8L|2:2"), SA_MALFORMED);
	CU_ASSERT_TRUE(has_err(SDES_ERR_MKI_MISMATCH, NULL));
	/* more than SDES_MAX_KEYS */
	CU_ASSERT_EQUAL(parse("1 AES_CM_128_HMAC_SHA1_80 "
			      "inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd|1:1;inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd|2:1;"
			      "inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd|3:1;inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd|4:1;"
			      "inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd|5:1;inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd|6:1;"
			      "inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd|7:1;inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd|8:1;"
			      "inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd|9:1"), SA_MALFORMED);
	CU_ASSERT_EQUAL(c.n_keys, SDES_MAX_KEYS);
	CU_ASSERT_TRUE(has_err(SDES_ERR_TOO_MANY_KEYS, NULL));
}

static void test_session_params(void)
{
	CU_ASSERT_EQUAL(parse("2 AES_CM_128_HMAC_SHA1_80 inline:D2YmkapsLg7GhQkROWl3wLJxRXuRBhnHYVjq4nsO "
			      "KDR=10 UNENCRYPTED_SRTCP FEC_ORDER=SRTP_FEC WSH=128 -X-VENDOR=1"), SA_OK);
	CU_ASSERT_TRUE(c.unencrypted_srtcp);
	CU_ASSERT_FALSE(c.unencrypted_srtp);
	CU_ASSERT_TRUE(c.has_kdr);
	CU_ASSERT_EQUAL(c.kdr, 10);
	CU_ASSERT_TRUE(sv_eq(c.fec_order, SV_LIT("SRTP_FEC")));
	CU_ASSERT_EQUAL(c.wsh, 128);
	CU_ASSERT_EQUAL(c.n_unknown, 1);
	CU_ASSERT_EQUAL(c.n_unknown_mandatory, 0); /* '-' prefixed: may be ignored */
	CU_ASSERT_TRUE(sv_eq(c.unknown[0], SV_LIT("-X-VENDOR=1")));
	CU_ASSERT_EQUAL(parse("2 AES_CM_128_HMAC_SHA1_80 inline:D2YmkapsLg7GhQkROWl3wLJxRXuRBhnHYVjq4nsO "
			      "UNENCRYPTED_SRTP UNAUTHENTICATED_SRTP X-VENDOR=1"), SA_MALFORMED);
	CU_ASSERT_TRUE(c.unencrypted_srtp);
	CU_ASSERT_TRUE(c.unauthenticated_srtp);
	CU_ASSERT_EQUAL(c.n_unknown_mandatory, 1);
	CU_ASSERT_TRUE(has_err(SDES_ERR_UNKNOWN_PARAM, "X-VENDOR=1"));
	CU_ASSERT_EQUAL(parse("2 AES_CM_128_HMAC_SHA1_80 inline:D2YmkapsLg7GhQkROWl3wLJxRXuRBhnHYVjq4nsO KDR=25"), SA_MALFORMED);
	CU_ASSERT_TRUE(has_err(SDES_ERR_SESSION_PARAM, "KDR=25"));
	CU_ASSERT_EQUAL(parse("2 AES_CM_128_HMAC_SHA1_80 inline:D2YmkapsLg7GhQkROWl3wLJxRXuRBhnHYVjq4nsO WSH=32"), SA_MALFORMED);
	CU_ASSERT_TRUE(has_err(SDES_ERR_SESSION_PARAM, "WSH=32"));
}

static void test_grammar_errors(void)
{
	CU_ASSERT_EQUAL(parse(""), SA_MALFORMED);
	CU_ASSERT_TRUE(has_err(SDES_ERR_SYNTAX, NULL));
	CU_ASSERT_EQUAL(parse("1 AES_CM_128_HMAC_SHA1_80"), SA_MALFORMED);
	CU_ASSERT_TRUE(has_err(SDES_ERR_SYNTAX, NULL));
	CU_ASSERT_EQUAL(parse("01 AES_CM_128_HMAC_SHA1_80 inline:D2YmkapsLg7GhQkROWl3wLJxRXuRBhnHYVjq4nsO"), SA_MALFORMED);
	CU_ASSERT_TRUE(has_err(SDES_ERR_TAG_LEADING_ZERO, "01"));
	CU_ASSERT_EQUAL(parse("1234567890 AES_CM_128_HMAC_SHA1_80 inline:D2YmkapsLg7GhQkROWl3wLJxRXuRBhnHYVjq4nsO"), SA_MALFORMED);
	CU_ASSERT_TRUE(has_err(SDES_ERR_TAG, "1234567890"));
	CU_ASSERT_EQUAL(parse("1 FOO_BAR inline:D2YmkapsLg7GhQkROWl3wLJxRXuRBhnHYVjq4nsO"), SA_MALFORMED);
	CU_ASSERT_TRUE(has_err(SDES_ERR_UNKNOWN_SUITE, "FOO_BAR"));
	CU_ASSERT_PTR_NULL(c.suite);
	CU_ASSERT_EQUAL(c.keys[0].key_len, 30); /* still decoded */
	CU_ASSERT_EQUAL(parse("1 AES_CM_128_HMAC_SHA1_80 uri:http://example/key"), SA_MALFORMED);
	CU_ASSERT_TRUE(has_err(SDES_ERR_KEY_METHOD, "uri"));
	/* the alias spelling is accepted with the flag */
	CU_ASSERT_EQUAL(parse("5 AES_CM_256_HMAC_SHA1_32 inline:R+USwMt3d0q/xyfdSq9aK+vrdTf0x6n6SOcC4E6AZmL5vqEzRofmJm7xWsV9Eg=="), SA_OK);
	CU_ASSERT_TRUE(c.suite_alias);
}

static void test_base64_decoder(void)
{
	uint8_t out[8];
	size_t n;
	bool unp;
	CU_ASSERT_TRUE(sdes_base64_decode(SV_LIT("TWFu"), out, sizeof out, &n, &unp));
	CU_ASSERT_EQUAL(n, 3);
	CU_ASSERT_EQUAL(memcmp(out, "Man", 3), 0);
	CU_ASSERT_TRUE(sdes_base64_decode(SV_LIT("TWE="), out, sizeof out, &n, &unp));
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT_FALSE(unp);
	CU_ASSERT_TRUE(sdes_base64_decode(SV_LIT("TQ=="), out, sizeof out, &n, &unp));
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT_FALSE(sdes_base64_decode(SV_LIT("TQ="), out, sizeof out, &n, &unp));
	CU_ASSERT_FALSE(sdes_base64_decode(SV_LIT("T==="), out, sizeof out, &n, &unp));
	CU_ASSERT_FALSE(sdes_base64_decode(SV_LIT("===="), out, sizeof out, &n, &unp));
	CU_ASSERT_FALSE(sdes_base64_decode(SV_LIT(""), out, sizeof out, &n, &unp));
	/* cap: 12 bytes do not fit in 8 */
	CU_ASSERT_FALSE(sdes_base64_decode(SV_LIT("AAAAAAAAAAAAAAAA"), out, sizeof out, &n, &unp));
}

static const CU_TestInfo tests[] = {
	{ "real MicroSIP tag 3 key bytes", test_real_microsip_tag3 },
	{ "real AES-256 padded key", test_real_aes256_padded },
	{ "suite table and aliases", test_suite_table },
	{ "every suite: right and wrong key length", test_each_suite_length },
	{ "bad base64", test_bad_base64 },
	{ "lifetime and MKI", test_lifetime_mki },
	{ "several key-params", test_several_keys },
	{ "session params", test_session_params },
	{ "grammar errors", test_grammar_errors },
	{ "base64 decoder", test_base64_decoder },
	CU_TEST_INFO_NULL,
};

#define SUITE_NAME "sdes"
#include "cu_main.h"
