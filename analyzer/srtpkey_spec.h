/* srtpkey_spec.h - the --srtp-key option: an explicit SRTP master key for
 * captures whose signalling (SDP, DTLS handshake) was not captured.
 *
 *     --srtp-key SUITE:KEY[@BINDING]
 *
 * SUITE   any name sdec_suite_by_name() knows (AES_CM_128_HMAC_SHA1_80,
 *         SRTP_AEAD_AES_128_GCM, ...), case-insensitive.
 * KEY     master key || master salt, either
 *           - base64 as in an a=crypto line (RFC 4568 §9.2), optionally with
 *             the "inline:" prefix and the "|lifetime" and "|MKI:length"
 *             parts ("|2^31|1:4"), or
 *           - hex: "0x" followed by the digits, or plain digits of exactly
 *             the suite's length (60 for AES_CM_128: 16 + 14 octets); the
 *             "|lifetime|MKI:length" parts may follow too.
 * BINDING which media the key decrypts:
 *           SRC-DST    "192.0.2.1:4000-198.51.100.2:5000",
 *                      "[2001:db8::1]:4000-[2001:db8::2]:5000": the flow
 *                      from SRC to DST;
 *           ENDPOINT   "192.0.2.1:4000": media sent from that endpoint;
 *           ssrc=N     "ssrc=0x1234abcd" or decimal: that SSRC, any flow;
 *           (none)     any stream that no other key matches.
 *
 * Parsing copies what it keeps; errors are one message naming the part that
 * is wrong and what is expected, written for the user verbatim.
 */
#ifndef SA_SRTPKEY_SPEC_H
#define SA_SRTPKEY_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netaddr.h"
#include "srtp_stream.h"
#include "status.h"
#include "text.h"

#define SRTPKEY_ERR_LEN 512 /* a buffer this size holds any error message */

enum srtpkey_bind {
	SRTPKEY_BIND_ANY = 0, /* no binding: the fallback key */
	SRTPKEY_BIND_FLOW,    /* src -> dst */
	SRTPKEY_BIND_SOURCE,  /* sent from src, to anywhere */
	SRTPKEY_BIND_SSRC,    /* that SSRC, on any flow */
};

struct srtpkey_spec {
	/* sdec_params_init() defaults, then suite, n_keys = 1 and keys[0]: key,
	 * salt and (with "|MKI:length") the MKI as mki_len big-endian octets. */
	struct sdec_params params;
	bool has_lifetime;
	uint64_t lifetime;        /* packets; informational */
	enum srtpkey_bind bind;
	struct endpoint src, dst; /* FLOW: both; SOURCE: src */
	uint32_t ssrc;            /* SSRC */
};

/* srtpkey_spec_parse - parse one --srtp-key value into *out.  Returns SA_OK;
 * SA_MALFORMED when the text does not follow the syntax above (unknown
 * suite, bad key encoding or length, bad lifetime/MKI, bad binding);
 * SA_UNSUPPORTED for a suite the engine cannot decrypt (AES_192_CM, F8).
 * On failure err (err_cap bytes, SRTPKEY_ERR_LEN is enough; may be NULL)
 * gets a NUL-terminated message starting with "--srtp-key: " and *out is
 * zeroed.  Nothing is allocated. */
enum sa_status srtpkey_spec_parse(struct sv text, struct srtpkey_spec *out,
				  char *err, size_t err_cap);

/* srtpkey_spec_match - how well the key fits the media sent from src to dst
 * with SSRC ssrc: 0 no match; otherwise the specificity, higher wins:
 * 4 SSRC binding, 3 flow, 2 source endpoint, 1 unbound.  The caller picks
 * the highest-scoring key (and should warn on a tie between two keys). */
int srtpkey_spec_match(const struct srtpkey_spec *k, const struct endpoint *src,
		       const struct endpoint *dst, uint32_t ssrc);

/* srtpkey_spec_format_binding - "192.0.2.1:4000-198.51.100.2:5000",
 * "from 192.0.2.1:4000", "ssrc=0x1234abcd" or "any stream" into buf (cap
 * bytes, 2 * SA_ENDPOINT_STRLEN + 8 is enough); returns buf. */
char *srtpkey_spec_format_binding(const struct srtpkey_spec *k, char *buf, size_t cap);

#endif
