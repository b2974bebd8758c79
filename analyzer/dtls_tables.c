/* dtls_tables.c - SRTP protection profiles, cipher suites and names for
 * DTLS (see dtls.h). */
#include "dtls.h"

#include <stddef.h>

/* RFC 5764 §4.1.2 (0x0001-0x0006), RFC 7714 §14.2 (0x0007-0x0008),
 * RFC 8723 §5.1 (double AEAD, 0x0009-0x000A); lengths in bytes. */
static const struct dtls_profile profiles[] = {
	{ 0x0001, "SRTP_AES128_CM_HMAC_SHA1_80", 16, 14, 10, 10, false, false },
	{ 0x0002, "SRTP_AES128_CM_HMAC_SHA1_32", 16, 14, 4, 10, false, false },
	{ 0x0005, "SRTP_NULL_HMAC_SHA1_80", 0, 0, 10, 10, false, true },
	{ 0x0006, "SRTP_NULL_HMAC_SHA1_32", 0, 0, 4, 10, false, true },
	{ 0x0007, "SRTP_AEAD_AES_128_GCM", 16, 12, 16, 16, true, false },
	{ 0x0008, "SRTP_AEAD_AES_256_GCM", 32, 12, 16, 16, true, false },
	{ 0x0009, "DOUBLE_AEAD_AES_128_GCM_AEAD_AES_128_GCM", 32, 24, 32, 32, true, false },
	{ 0x000A, "DOUBLE_AEAD_AES_256_GCM_AEAD_AES_256_GCM", 64, 24, 32, 32, true, false },
};

const struct dtls_profile *dtls_profile_find(uint16_t code)
{
	size_t i;
	for (i = 0; i < sizeof profiles / sizeof profiles[0]; i++)
		if (profiles[i].code == code)
			return &profiles[i];
	return NULL;
}

#define S256 "SHA-256"
#define S384 "SHA-384"

/* IANA TLS Cipher Suites registry; the ones DTLS-SRTP stacks offer. */
static const struct dtls_suite suites[] = {
	{ 0x000A, "TLS_RSA_WITH_3DES_EDE_CBC_SHA", DTLS_KX_RSA, S256, false, false },
	{ 0x0016, "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA", DTLS_KX_DHE, S256, true, false },
	{ 0x002F, "TLS_RSA_WITH_AES_128_CBC_SHA", DTLS_KX_RSA, S256, false, false },
	{ 0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA", DTLS_KX_DHE, S256, true, false },
	{ 0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA", DTLS_KX_RSA, S256, false, false },
	{ 0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA", DTLS_KX_DHE, S256, true, false },
	{ 0x003C, "TLS_RSA_WITH_AES_128_CBC_SHA256", DTLS_KX_RSA, S256, false, false },
	{ 0x003D, "TLS_RSA_WITH_AES_256_CBC_SHA256", DTLS_KX_RSA, S256, false, false },
	{ 0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256", DTLS_KX_DHE, S256, true, false },
	{ 0x006B, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256", DTLS_KX_DHE, S256, true, false },
	{ 0x009C, "TLS_RSA_WITH_AES_128_GCM_SHA256", DTLS_KX_RSA, S256, false, true },
	{ 0x009D, "TLS_RSA_WITH_AES_256_GCM_SHA384", DTLS_KX_RSA, S384, false, true },
	{ 0x009E, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", DTLS_KX_DHE, S256, true, true },
	{ 0x009F, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", DTLS_KX_DHE, S384, true, true },
	{ 0x00A8, "TLS_PSK_WITH_AES_128_GCM_SHA256", DTLS_KX_PSK, S256, false, true },
	{ 0x00FF, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV", DTLS_KX_SIGNAL, S256, false, false },
	{ 0x1301, "TLS_AES_128_GCM_SHA256", DTLS_KX_TLS13, S256, true, true },
	{ 0x1302, "TLS_AES_256_GCM_SHA384", DTLS_KX_TLS13, S384, true, true },
	{ 0x1303, "TLS_CHACHA20_POLY1305_SHA256", DTLS_KX_TLS13, S256, true, true },
	{ 0x5600, "TLS_FALLBACK_SCSV", DTLS_KX_SIGNAL, S256, false, false },
	{ 0xC008, "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA", DTLS_KX_ECDHE, S256, true, false },
	{ 0xC009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", DTLS_KX_ECDHE, S256, true, false },
	{ 0xC00A, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", DTLS_KX_ECDHE, S256, true, false },
	{ 0xC012, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA", DTLS_KX_ECDHE, S256, true, false },
	{ 0xC013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", DTLS_KX_ECDHE, S256, true, false },
	{ 0xC014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", DTLS_KX_ECDHE, S256, true, false },
	{ 0xC023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", DTLS_KX_ECDHE, S256, true, false },
	{ 0xC024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", DTLS_KX_ECDHE, S384, true, false },
	{ 0xC027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", DTLS_KX_ECDHE, S256, true, false },
	{ 0xC028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", DTLS_KX_ECDHE, S384, true, false },
	{ 0xC02B, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", DTLS_KX_ECDHE, S256, true, true },
	{ 0xC02C, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", DTLS_KX_ECDHE, S384, true, true },
	{ 0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", DTLS_KX_ECDHE, S256, true, true },
	{ 0xC030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", DTLS_KX_ECDHE, S384, true, true },
	{ 0xC0AC, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM", DTLS_KX_ECDHE, S256, true, true },
	{ 0xC0AD, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM", DTLS_KX_ECDHE, S256, true, true },
	{ 0xC0AE, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8", DTLS_KX_ECDHE, S256, true, true },
	{ 0xC0AF, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8", DTLS_KX_ECDHE, S256, true, true },
	{ 0xCCA8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", DTLS_KX_ECDHE, S256, true, true },
	{ 0xCCA9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", DTLS_KX_ECDHE, S256, true, true },
	{ 0xCCAA, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256", DTLS_KX_DHE, S256, true, true },
};

const struct dtls_suite *dtls_suite_find(uint16_t code)
{
	size_t i;
	for (i = 0; i < sizeof suites / sizeof suites[0]; i++)
		if (suites[i].code == code)
			return &suites[i];
	return NULL;
}

const char *dtls_prf_name(uint16_t version, uint16_t suite)
{
	const struct dtls_suite *s;
	/* RFC 6347 §4.1: DTLS 1.0 is TLS 1.1, whose PRF is MD5 and SHA-1
	 * combined (RFC 4346 §5); DTLS 1.2 uses the suite's PRF hash. */
	if (version == DTLS_V10)
		return "MD5+SHA-1";
	s = dtls_suite_find(suite);
	return s ? s->prf : NULL;
}

const char *dtls_version_name(uint16_t version)
{
	switch (version) {
	case DTLS_V10: return "DTLS 1.0";
	case DTLS_V12: return "DTLS 1.2";
	case DTLS_V13: return "DTLS 1.3";
	default: return NULL;
	}
}

const char *dtls_hs_type_name(uint8_t type)
{
	switch (type) {
	case DTLS_HS_HELLO_REQUEST: return "HelloRequest";
	case DTLS_HS_CLIENT_HELLO: return "ClientHello";
	case DTLS_HS_SERVER_HELLO: return "ServerHello";
	case DTLS_HS_HELLO_VERIFY_REQUEST: return "HelloVerifyRequest";
	case DTLS_HS_NEW_SESSION_TICKET: return "NewSessionTicket";
	case DTLS_HS_CERTIFICATE: return "Certificate";
	case DTLS_HS_SERVER_KEY_EXCHANGE: return "ServerKeyExchange";
	case DTLS_HS_CERTIFICATE_REQUEST: return "CertificateRequest";
	case DTLS_HS_SERVER_HELLO_DONE: return "ServerHelloDone";
	case DTLS_HS_CERTIFICATE_VERIFY: return "CertificateVerify";
	case DTLS_HS_CLIENT_KEY_EXCHANGE: return "ClientKeyExchange";
	case DTLS_HS_FINISHED: return "Finished";
	default: return NULL;
	}
}

/* RFC 5246 §7.2, RFC 8446 §6. */
const char *dtls_alert_desc_name(uint8_t desc)
{
	switch (desc) {
	case 0: return "close_notify";
	case 10: return "unexpected_message";
	case 20: return "bad_record_mac";
	case 21: return "decryption_failed";
	case 22: return "record_overflow";
	case 30: return "decompression_failure";
	case 40: return "handshake_failure";
	case 41: return "no_certificate";
	case 42: return "bad_certificate";
	case 43: return "unsupported_certificate";
	case 44: return "certificate_revoked";
	case 45: return "certificate_expired";
	case 46: return "certificate_unknown";
	case 47: return "illegal_parameter";
	case 48: return "unknown_ca";
	case 49: return "access_denied";
	case 50: return "decode_error";
	case 51: return "decrypt_error";
	case 60: return "export_restriction";
	case 70: return "protocol_version";
	case 71: return "insufficient_security";
	case 80: return "internal_error";
	case 86: return "inappropriate_fallback";
	case 90: return "user_canceled";
	case 100: return "no_renegotiation";
	case 109: return "missing_extension";
	case 110: return "unsupported_extension";
	case 112: return "unrecognized_name";
	case 116: return "certificate_required";
	case 120: return "no_application_protocol";
	default: return NULL;
	}
}

/* IANA TLS Supported Groups (RFC 8422 §5.1.1, RFC 7919, RFC 8446). */
const char *dtls_group_name(uint16_t group)
{
	switch (group) {
	case 23: return "secp256r1";
	case 24: return "secp384r1";
	case 25: return "secp521r1";
	case 29: return "x25519";
	case 30: return "x448";
	case 256: return "ffdhe2048";
	case 257: return "ffdhe3072";
	case 258: return "ffdhe4096";
	default: return NULL;
	}
}

const char *dtls_event_kind_name(enum dtls_event_kind k)
{
	switch (k) {
	case DTLS_EV_MESSAGE: return "message";
	case DTLS_EV_RETRANSMISSION: return "retransmission";
	case DTLS_EV_CCS: return "change_cipher_spec";
	case DTLS_EV_FINISHED: return "finished";
	case DTLS_EV_ALERT: return "alert";
	case DTLS_EV_APP_DATA: return "application_data";
	case DTLS_EV_COMPLETE: return "complete";
	case DTLS_EV_NEW_HANDSHAKE: return "new_handshake";
	case DTLS_EV_DTLS13: return "dtls13";
	case DTLS_EV_MALFORMED: return "malformed";
	case DTLS_EV_LIMIT: return "limit";
	}
	return "unknown";
}
