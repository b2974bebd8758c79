/* keyring.h - which SRTP master keys protect which media, from every key
 * source of a finished first pass:
 *   - SDES (RFC 4568): each party's own a=crypto key protects what that
 *     party sends; the answer's selected tag and suite apply;
 *   - DTLS-SRTP (RFC 5764 §4.2): a handshake whose client random is in the
 *     key log gives client keys for the DTLS client's media and server keys
 *     for the server's; the same keys apply to the media of that call and
 *     m-line on other 5-tuples (ICE) and, without SIP, to media sent from
 *     the same endpoints;
 *   - explicit keys (--srtp-key, srtpkey_spec.h) bound to a flow, an
 *     endpoint, an SSRC or to anything left over.
 * Keys are offered per media direction (sender -> receiver) as an ordered
 * list of candidates; the decryptor picks the one that authenticates.
 * Where a key is missing the ring says why (for the report).
 */
#ifndef SA_KEYRING_H
#define SA_KEYRING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "netaddr.h"
#include "result.h"
#include "srtp_stream.h"

enum key_source { KEYSRC_SDES, KEYSRC_DTLS, KEYSRC_EXPLICIT };

const char *key_source_name(enum key_source s);

struct key_entry {
	enum key_source source;
	struct sdec_params params;
	char origin[128];       /* "SDES tag 1 in 200 INVITE (frame 84)" */
	long call, media;       /* -1 when not tied to a call */
	uint64_t frame;         /* where the key came from */
};

/* Why a direction has no key (reported on its streams). */
enum key_miss {
	KEYMISS_NONE = 0,
	KEYMISS_NO_SIGNALLING,   /* no SDP and no DTLS handshake describe the flow */
	KEYMISS_NO_KEYLOG,       /* DTLS handshake but no key log given */
	KEYMISS_RANDOM_NOT_IN_KEYLOG,
	KEYMISS_NO_PROFILE,      /* ServerHello negotiated no use_srtp profile */
	KEYMISS_UNSUPPORTED,     /* suite/profile/version the engine cannot do */
	KEYMISS_SDES_INVALID,    /* the a=crypto was invalid */
	KEYMISS_NOT_SRTP,        /* the negotiation chose plain RTP */
};

const char *key_miss_text(enum key_miss m);

struct keylog;
struct keyring;
struct srtpkey_spec;

/* keyring_build - collect the keys for every flow of r.  kl may be NULL,
 * explicit keys may be none.  SA_NOMEM on allocation failure. */
enum sa_status keyring_build(const struct result *r, const struct keylog *kl,
			     const struct srtpkey_spec *ex, size_t nex,
			     const struct diag_sink *diag, struct keyring **out);
void keyring_free(struct keyring *kr);

/* keyring_candidates - the keys for media sent from src to dst (SSRC
 * ssrc): at most cap entries, best first.  *miss tells why there are none. */
size_t keyring_candidates(const struct keyring *kr, const struct endpoint *src,
			  const struct endpoint *dst, uint32_t ssrc,
			  const struct key_entry **v, size_t cap, enum key_miss *miss);

/* keyring_count - number of keys derived (for messages). */
size_t keyring_count(const struct keyring *kr);

#endif
