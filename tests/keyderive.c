/* keyderive.c - check program: DTLS-SRTP keying material from a key log.
 *
 *   keyderive KEYLOG CLIENT_RANDOM_HEX SERVER_RANDOM_HEX PROFILE VERSION SUITE
 *
 * PROFILE, VERSION and SUITE are hex (0x0001, 0xfefd, 0xc02b).  Prints the
 * RFC 5764 §4.2 material (client key, server key, client salt, server salt)
 * as one line of upper-case hex, the way `openssl s_server -keymatexport`
 * prints it.  Exit 0 on success, 1 when the key log lacks the client random
 * or derivation fails, 2 on usage errors.  Used by test_exporter_openssl.sh.
 */
#include <stdio.h>
#include <string.h>

#include "exporter.h"
#include "keylog.h"
#include "text.h"

static void print_diag(void *ctx, enum diag_level level, const char *file, uint64_t frame,
		       const char *msg)
{
	(void)ctx;
	(void)frame;
	fprintf(stderr, "%s: %s: %s\n", file ? file : "-", diag_level_name(level), msg);
}

static int hex16(const char *s, uint16_t *v)
{
	uint8_t b[2];
	size_t n;
	struct sv t = sv_cstr(s);
	if (sv_starts_with_ci(t, "0x")) {
		t.p += 2;
		t.n -= 2;
	}
	if (!sv_hex_decode(t, b, 2, &n) || n != 2)
		return 0;
	*v = (uint16_t)(b[0] << 8 | b[1]);
	return 1;
}

int main(int argc, char **argv)
{
	struct diag_sink sink = { print_diag, NULL };
	struct keylog *kl;
	uint8_t cr[32], sr[32], out[EXPORTER_MAX_MATERIAL];
	const uint8_t *ms;
	uint16_t profile, version, suite;
	enum exporter_prf prf;
	struct dtls_srtp_keys k;
	size_t n, i, pos = 0;
	int rc = 1;

	if (argc != 7 || !sv_hex_decode(sv_cstr(argv[2]), cr, 32, &n) || n != 32 ||
	    !sv_hex_decode(sv_cstr(argv[3]), sr, 32, &n) || n != 32 ||
	    !hex16(argv[4], &profile) || !hex16(argv[5], &version) || !hex16(argv[6], &suite)) {
		fprintf(stderr, "usage: keyderive KEYLOG CLIENT_RANDOM SERVER_RANDOM PROFILE VERSION SUITE\n");
		return 2;
	}
	kl = keylog_new();
	if (!kl || keylog_load_file(kl, argv[1], &sink) != SA_OK)
		goto out;
	if (!keylog_find(kl, cr, &ms)) {
		fprintf(stderr, "keyderive: %s has no CLIENT_RANDOM %s\n", argv[1], argv[2]);
		goto out;
	}
	if (exporter_prf_select(version, suite, &prf) != SA_OK ||
	    exporter_dtls_srtp(prf, ms, cr, sr, profile, &k) != SA_OK) {
		fprintf(stderr, "keyderive: cannot derive for profile %s version %s\n", argv[4], argv[5]);
		goto out;
	}
	memcpy(out + pos, k.client_key, k.key_len);
	pos += k.key_len;
	memcpy(out + pos, k.server_key, k.key_len);
	pos += k.key_len;
	memcpy(out + pos, k.client_salt, k.salt_len);
	pos += k.salt_len;
	memcpy(out + pos, k.server_salt, k.salt_len);
	pos += k.salt_len;
	for (i = 0; i < pos; i++)
		printf("%02X", out[i]);
	printf("\n");
	rc = 0;
out:
	keylog_free(kl);
	return rc;
}
