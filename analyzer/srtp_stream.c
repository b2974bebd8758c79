/* srtp_stream.c - per-stream SRTP/SRTCP decryption over libsrtp2; see
 * srtp_stream.h and docs/keys.md.
 *
 * How the index the engine chose is imposed on libsrtp 2.x: libsrtp keeps,
 * per stream, its highest accepted index and estimates each packet's index
 * from it (RFC 3711 Appendix A, as srtp_index_guess()).  We mirror that
 * index (lib_index) and compute libsrtp's guess before each call.  When the
 * guess equals our target index and the packet is not a duplicate, the
 * long-lived "main" session decrypts it.  Otherwise a fresh side session is
 * keyed and positioned so that its first packet gets the target index:
 *   ROC 0:  a fresh session guesses SEQ itself;
 *   ROC R:  srtp_set_stream_roc(R).  libsrtp >= 2.3 (Debian's 2.5.0) then
 *           uses exactly R * 65536 + SEQ for the next packet ("pending ROC");
 *           older libsrtp only replaced the ROC of its replay index, which
 *           needs ROC R + 1 and a 32768-packet window when SEQ > 32768.
 *           Which behaviour is present is probed once at initialisation.
 * A side session that carried the stream forward (ROC found, index jump)
 * becomes the main session; one used for a duplicate or an old packet is
 * freed.  libsrtp's own replay refusals therefore never reach the caller.
 *
 * With the fast engine (srtp_fast.h) none of that is needed: it decrypts at
 * whatever index it is given.  Index estimation, ROC search, the replay
 * window and the counters below are the same code for both engines.
 */
#include "srtp_stream.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <srtp2/crypto_types.h>
#include <srtp2/srtp.h>

#include "cursor.h"
#include "srtp_fast.h"

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static srtp_err_status_t init_result = srtp_err_status_fail;

/* How srtp_set_stream_roc() acts on a fresh session; probed once because
 * libsrtp changed it (see the comment at the top):
 *   ROC_PENDING: the next packet's index is exactly ROC * 65536 + SEQ
 *                (libsrtp >= 2.3, "pending_roc");
 *   ROC_INDEX:   the ROC replaces the high bits of the replay index and the
 *                next index is guessed from it (older libsrtp). */
enum roc_model { ROC_PENDING, ROC_INDEX };
static enum roc_model roc_model = ROC_INDEX;

#define BIG_WINDOW 0x7fff /* libsrtp maximum; rounds up to 32768 bits */

/* probe_roc - protect one packet with SEQ 40000 after setting ROC 1 on a
 * sender and unprotect it after setting ROC 1 on a receiver.  Under the
 * pending model both work; under the index model the sender guesses ROC 0
 * and refuses the negative delta (replay_old with a 128 window). */
static enum roc_model probe_roc(void)
{
	uint8_t key[30] = { 0x42 }, pkt[64] = { 0x80, 0, 0x9c, 0x40, 0, 0, 0, 0, 0, 0, 0, 1 };
	srtp_policy_t pol;
	srtp_t tx = NULL, rx = NULL;
	int len = 32;
	enum roc_model m = ROC_INDEX;
	memset(&pol, 0, sizeof pol);
	srtp_crypto_policy_set_rtp_default(&pol.rtp);
	srtp_crypto_policy_set_rtcp_default(&pol.rtcp);
	pol.ssrc.type = ssrc_specific;
	pol.ssrc.value = 1;
	pol.key = key;
	pol.window_size = 128;
	if (srtp_create(&tx, &pol) == srtp_err_status_ok &&
	    srtp_create(&rx, &pol) == srtp_err_status_ok &&
	    srtp_set_stream_roc(tx, 1, 1) == srtp_err_status_ok &&
	    srtp_set_stream_roc(rx, 1, 1) == srtp_err_status_ok &&
	    srtp_protect(tx, pkt, &len) == srtp_err_status_ok &&
	    srtp_unprotect(rx, pkt, &len) == srtp_err_status_ok)
		m = ROC_PENDING;
	if (tx)
		srtp_dealloc(tx);
	if (rx)
		srtp_dealloc(rx);
	return m;
}

static void library_init_once(void)
{
	uint8_t key[30] = { 0 };
	srtp_policy_t pol;
	srtp_t probe = NULL;
	init_result = srtp_init();
	if (init_result != srtp_err_status_ok) {
		/* A second srtp_init() fails (bad_param on Debian's NSS build)
		 * when other code initialised libsrtp first: sessions work. */
		memset(&pol, 0, sizeof pol);
		srtp_crypto_policy_set_rtp_default(&pol.rtp);
		srtp_crypto_policy_set_rtcp_default(&pol.rtcp);
		pol.ssrc.type = ssrc_specific;
		pol.key = key;
		if (srtp_create(&probe, &pol) == srtp_err_status_ok) {
			srtp_dealloc(probe);
			init_result = srtp_err_status_ok;
		}
	}
	if (init_result == srtp_err_status_ok)
		roc_model = probe_roc();
}

enum sa_status sdec_library_init(void)
{
	pthread_once(&init_once, library_init_once);
	return init_result == srtp_err_status_ok ? SA_OK : SA_UNSUPPORTED;
}

#define WIN_WORDS (SDEC_REPLAY_WINDOW / 64)
#define SEQ_MEDIAN 32768u

struct sdec_stream {
	/* Hot per-packet state first: a capture with thousands of streams
	 * touches a few cache lines of each. */
	struct sdec_counters c;
	const struct sdec_suite_info *info;
	enum sdec_kind kind;
	uint32_t ssrc;
	size_t tag_len;   /* SRTP or SRTCP tag, by kind */
	size_t mki_len;   /* 0 without MKI */
	/* Fast engine (NULL: libsrtp). */
	struct sfast *fast;
	/* Our own view: highest authenticated index and replay window (bit for
	 * index i at i % SDEC_REPLAY_WINDOW, valid for hi - W < i <= hi). */
	bool synced;
	uint64_t hi;
	uint64_t win[WIN_WORDS];
	unsigned searched_packets;
	/* The long-lived session and our mirror of its RTP index. */
	srtp_t main;
	uint64_t lib_index;
	struct sdec_params p;
	/* libsrtp policy material (points into this struct). */
	uint8_t keybuf[SDEC_MAX_KEYS][SDEC_MAX_KEY + SDEC_MAX_SALT];
	srtp_master_key_t mk[SDEC_MAX_KEYS];
	srtp_master_key_t *mkp[SDEC_MAX_KEYS];
	srtp_policy_t pol;
};

static void policy_crypto(const struct sdec_params *p, srtp_policy_t *pol)
{
	switch (p->suite) {
	case SDEC_AES_CM_128_HMAC_SHA1_80:
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&pol->rtp);
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&pol->rtcp);
		break;
	case SDEC_AES_CM_128_HMAC_SHA1_32:
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&pol->rtp);
		/* SRTCP keeps the 80-bit tag (RFC 3711 §5.2, RFC 4568 §6.2.2). */
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&pol->rtcp);
		break;
	case SDEC_AES_256_CM_HMAC_SHA1_80:
		srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(&pol->rtp);
		srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(&pol->rtcp);
		break;
	case SDEC_AES_256_CM_HMAC_SHA1_32:
		srtp_crypto_policy_set_aes_cm_256_hmac_sha1_32(&pol->rtp);
		srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(&pol->rtcp);
		break;
	case SDEC_AEAD_AES_128_GCM:
		srtp_crypto_policy_set_aes_gcm_128_16_auth(&pol->rtp);
		srtp_crypto_policy_set_aes_gcm_128_16_auth(&pol->rtcp);
		break;
	case SDEC_AEAD_AES_256_GCM:
		srtp_crypto_policy_set_aes_gcm_256_16_auth(&pol->rtp);
		srtp_crypto_policy_set_aes_gcm_256_16_auth(&pol->rtcp);
		break;
	case SDEC_NULL_HMAC_SHA1_80:
		srtp_crypto_policy_set_null_cipher_hmac_sha1_80(&pol->rtp);
		srtp_crypto_policy_set_null_cipher_hmac_sha1_80(&pol->rtcp);
		break;
	case SDEC_NULL_HMAC_SHA1_32:
		srtp_crypto_policy_set_null_cipher_hmac_sha1_80(&pol->rtp);
		pol->rtp.auth_tag_len = 4;
		srtp_crypto_policy_set_null_cipher_hmac_sha1_80(&pol->rtcp);
		break;
	default:
		break;
	}
	/* RFC 4568 §6.3.2 / §6.3.3 session parameters. */
	if (p->unencrypted_srtp)
		pol->rtp.sec_serv &= ~sec_serv_conf;
	if (p->unencrypted_srtcp)
		pol->rtcp.sec_serv &= ~sec_serv_conf;
	if (p->unauthenticated_srtp) {
		pol->rtp.sec_serv &= ~sec_serv_auth;
		pol->rtp.auth_type = SRTP_NULL_AUTH;
		pol->rtp.auth_key_len = 0;
		pol->rtp.auth_tag_len = 0;
	}
}

static enum sa_status params_check(const struct sdec_params *p, enum sdec_engine engine,
				   const struct diag_sink *diag)
{
	const struct sdec_suite_info *info = sdec_suite_get(p->suite);
	size_t i;
	if (!info) {
		diag_emit(diag, DIAG_ERROR, NULL, 0, "SRTP stream without a crypto suite");
		return SA_MALFORMED;
	}
	if (engine == SDEC_ENGINE_FAST ? !sfast_suite_supported(p->suite)
				       : !info->supported || info->key_len == 24) {
		diag_emit(diag, DIAG_ERROR, NULL, 0,
			  "crypto suite %s is not supported by the %s engine%s",
			  info->name, sdec_engine_name(engine),
			  info->key_len == 24 ? " (its AES_192_CM key derivation is wrong, "
						"libsrtp issue #763)" : "");
		return SA_UNSUPPORTED;
	}
	if (p->unauthenticated_srtp && info->aead) {
		diag_emit(diag, DIAG_ERROR, NULL, 0,
			  "UNAUTHENTICATED_SRTP is meaningless with %s", info->name);
		return SA_UNSUPPORTED;
	}
	if (p->n_keys < 1 || p->n_keys > SDEC_MAX_KEYS) {
		diag_emit(diag, DIAG_ERROR, NULL, 0, "SRTP stream needs 1 to %d master keys, got %zu",
			  SDEC_MAX_KEYS, p->n_keys);
		return SA_MALFORMED;
	}
	for (i = 0; i < p->n_keys; i++) {
		/* RFC 4568 §6.1: several keys need MKIs, all of one length. */
		if (p->keys[i].mki_len > SDEC_MAX_MKI ||
		    p->keys[i].mki_len != p->keys[0].mki_len ||
		    (p->n_keys > 1 && p->keys[i].mki_len == 0)) {
			diag_emit(diag, DIAG_ERROR, NULL, 0,
				  "master key %zu: MKI length %zu; several keys need MKIs of "
				  "one length (RFC 4568 §6.1)", i, p->keys[i].mki_len);
			return SA_MALFORMED;
		}
	}
	return SA_OK;
}

enum sa_status sdec_stream_new(const struct sdec_params *params, enum sdec_kind kind,
			       uint32_t ssrc, struct sdec_stream **out,
			       const struct diag_sink *diag)
{
	struct sdec_stream *s;
	enum sa_status st;
	enum sdec_engine engine = params->engine ? params->engine : sdec_engine_get();
	size_t i;
	*out = NULL;
	st = params_check(params, engine, diag);
	if (st != SA_OK)
		return st;
	/* libsrtp (on Debian: NSS, about 25 ms to load) only for its own engine. */
	if (engine != SDEC_ENGINE_FAST && sdec_library_init() != SA_OK) {
		diag_emit(diag, DIAG_ERROR, NULL, 0, "libsrtp initialisation failed");
		return SA_UNSUPPORTED;
	}
	s = calloc(1, sizeof *s);
	if (!s)
		return SA_NOMEM;
	s->p = *params;
	s->info = sdec_suite_get(params->suite);
	s->kind = kind;
	s->ssrc = ssrc;
	s->mki_len = params->keys[0].mki_len;
	if (kind == SDEC_RTCP)
		s->tag_len = s->info->srtcp_tag_len;
	else
		s->tag_len = params->unauthenticated_srtp ? 0 : s->info->srtp_tag_len;
	if (engine == SDEC_ENGINE_FAST) {
		st = sfast_new(params, kind, &s->fast);
		if (st != SA_OK) {
			diag_emit(diag, DIAG_ERROR, NULL, 0, "cannot key a %s stream (OpenSSL)",
				  s->info->name);
			free(s);
			return st;
		}
		*out = s;
		return SA_OK;
	}

	for (i = 0; i < params->n_keys; i++) {
		memcpy(s->keybuf[i], params->keys[i].key, s->info->key_len);
		memcpy(s->keybuf[i] + s->info->key_len, params->keys[i].salt, s->info->salt_len);
		s->mk[i].key = s->keybuf[i];
		s->mk[i].mki_id = s->p.keys[i].mki;
		s->mk[i].mki_size = (unsigned)s->mki_len;
		s->mkp[i] = &s->mk[i];
	}
	policy_crypto(params, &s->pol);
	s->pol.ssrc.type = ssrc_specific;
	s->pol.ssrc.value = ssrc;
	if (s->mki_len) {
		s->pol.key = NULL;
		s->pol.keys = s->mkp;
		s->pol.num_master_keys = params->n_keys;
	} else {
		s->pol.key = s->keybuf[0];
	}
	s->pol.window_size = 128;
	s->pol.next = NULL;
	if (srtp_create(&s->main, &s->pol) != srtp_err_status_ok) {
		diag_emit(diag, DIAG_ERROR, NULL, 0, "libsrtp refused a %s session",
			  s->info->name);
		free(s);
		return SA_NOMEM;
	}
	*out = s;
	return SA_OK;
}

void sdec_stream_free(struct sdec_stream *s)
{
	if (!s)
		return;
	sfast_free(s->fast);
	if (s->main)
		srtp_dealloc(s->main);
	memset(s->keybuf, 0, sizeof s->keybuf);
	memset(&s->p, 0, sizeof s->p);
	free(s);
}

const struct sdec_counters *sdec_stream_counters(const struct sdec_stream *s)
{
	return &s->c;
}

enum sdec_engine sdec_stream_engine(const struct sdec_stream *s)
{
	return s->fast ? SDEC_ENGINE_FAST : SDEC_ENGINE_LIBSRTP;
}

bool sdec_packet_ssrc(enum sdec_kind kind, const uint8_t *pkt, size_t len, uint32_t *ssrc)
{
	struct cursor c = cursor_make(pkt, len);
	uint8_t b0;
	if (!cursor_peek_u8(&c, &b0) || (b0 >> 6) != 2)
		return false;
	/* RFC 3550 §5.1: SSRC at octet 8; §6.4.1: sender SSRC at octet 4. */
	if (!cursor_skip(&c, kind == SDEC_RTP ? 8 : 4))
		return false;
	return cursor_u32be(&c, ssrc);
}

/* index_guess - RFC 3711 Appendix A estimate of the index of sequence
 * number seq given the highest index local, exactly as libsrtp's
 * srtp_rdbx_estimate_index() computes it (including its special case for a
 * fresh state with index <= 32768).  Returns the guess; *delta is guess -
 * local. */
static uint64_t index_guess(uint64_t local, uint16_t seq, int64_t *delta)
{
	uint32_t roc = (uint32_t)(local >> 16), groc;
	uint16_t lseq = (uint16_t)local;
	if (local <= SEQ_MEDIAN) {
		*delta = (int64_t)seq - (int64_t)local;
		return seq;
	}
	/* Signed differences, as in RFC 3711 Appendix A. */
	if (lseq < SEQ_MEDIAN) {
		if ((int32_t)seq - (int32_t)lseq > (int32_t)SEQ_MEDIAN) {
			groc = roc - 1;
			*delta = (int64_t)seq - lseq - 65536;
		} else {
			groc = roc;
			*delta = (int64_t)seq - lseq;
		}
	} else {
		if ((int32_t)lseq - (int32_t)SEQ_MEDIAN > (int32_t)seq) {
			groc = roc + 1;
			*delta = (int64_t)seq - lseq + 65536;
		} else {
			groc = roc;
			*delta = (int64_t)seq - lseq;
		}
	}
	return ((uint64_t)groc << 16) | seq;
}

/* Own replay window. */
static bool win_test(const struct sdec_stream *s, uint64_t i)
{
	size_t b = (size_t)(i % SDEC_REPLAY_WINDOW);
	return (s->win[b / 64] >> (b % 64)) & 1;
}

static void win_set(struct sdec_stream *s, uint64_t i)
{
	size_t b = (size_t)(i % SDEC_REPLAY_WINDOW);
	s->win[b / 64] |= (uint64_t)1 << (b % 64);
}

static void win_clear(struct sdec_stream *s, uint64_t i)
{
	size_t b = (size_t)(i % SDEC_REPLAY_WINDOW);
	s->win[b / 64] &= ~((uint64_t)1 << (b % 64));
}

static bool in_window(const struct sdec_stream *s, uint64_t i)
{
	return s->synced && i <= s->hi && s->hi - i < SDEC_REPLAY_WINDOW;
}

/* mark_seen - record an authenticated index; advance hi. */
static void mark_seen(struct sdec_stream *s, uint64_t i)
{
	if (!s->synced) {
		memset(s->win, 0, sizeof s->win);
		s->synced = true;
		s->hi = i;
	} else if (i > s->hi) {
		if (i - s->hi >= SDEC_REPLAY_WINDOW) {
			memset(s->win, 0, sizeof s->win);
		} else {
			uint64_t k;
			for (k = s->hi + 1; k <= i; k++)
				win_clear(s, k);
		}
		s->hi = i;
	}
	if (in_window(s, i))
		win_set(s, i);
	s->c.synced = true;
	s->c.highest_index = s->hi;
	if (s->kind == SDEC_RTP)
		s->c.roc = (uint32_t)(s->hi >> 16);
}

/* One libsrtp call on a private copy.  Returns libsrtp's status. */
static srtp_err_status_t lib_unprotect(struct sdec_stream *s, srtp_t sess, const uint8_t *pkt,
				       size_t len, uint8_t *out, int *olen)
{
	memcpy(out, pkt, len);
	*olen = (int)len;
	if (s->kind == SDEC_RTP)
		return srtp_unprotect_mki(sess, out, olen, s->mki_len ? 1 : 0);
	return srtp_unprotect_rtcp_mki(sess, out, olen, s->mki_len ? 1 : 0);
}

/* side_session - a fresh session that will give the next packet the
 * target index t (see the comment at the top).  *after gets the index
 * libsrtp will hold once that packet authenticates (our mirror). */
static srtp_t side_session(struct sdec_stream *s, uint64_t t, uint64_t *after)
{
	srtp_t sess = NULL;
	srtp_policy_t pol = s->pol;
	uint32_t roc = (uint32_t)(t >> 16), set = roc;
	uint16_t seq = (uint16_t)t;
	bool rtp = s->kind == SDEC_RTP;
	bool big = rtp && roc_model == ROC_INDEX && roc >= 1 && seq > SEQ_MEDIAN;
	int64_t delta;
	uint64_t base = 0, g;
	if (big) {
		if (roc == UINT32_MAX)
			return NULL;
		set = roc + 1;
	}
	pol.window_size = big ? BIG_WINDOW : 128;
	if (srtp_create(&sess, &pol) != srtp_err_status_ok)
		return NULL;
	s->c.side_sessions++;
	*after = t;
	if (!rtp)
		return sess;
	if (roc >= 1) {
		if (srtp_set_stream_roc(sess, s->ssrc, set) != srtp_err_status_ok) {
			srtp_dealloc(sess);
			return NULL;
		}
		if (roc_model == ROC_PENDING)
			return sess; /* libsrtp jumps straight to t */
		base = (uint64_t)set << 16;
	}
	g = index_guess(base, seq, &delta);
	*after = delta > 0 ? g : base;
	return sess;
}

enum attempt { ATT_OK, ATT_AUTH, ATT_MKI, ATT_BAD, ATT_NOMEM };

static enum attempt status_map(srtp_err_status_t e)
{
	switch (e) {
	case srtp_err_status_ok: return ATT_OK;
	case srtp_err_status_auth_fail:
	case srtp_err_status_cipher_fail: return ATT_AUTH;
	case srtp_err_status_bad_mki: return ATT_MKI;
	case srtp_err_status_alloc_fail: return ATT_NOMEM;
	default: return ATT_BAD;
	}
}

/* fast_attempt - the fast engine at index t (RTP; RTCP reads its own). */
static enum attempt fast_attempt(struct sdec_stream *s, const uint8_t *pkt, size_t len,
				 uint64_t t, uint8_t *out, int *olen)
{
	size_t n = 0;
	enum sfast_verdict v = s->kind == SDEC_RTP ? sfast_rtp(s->fast, pkt, len, t, out, &n)
						   : sfast_rtcp(s->fast, pkt, len, out, &n);
	switch (v) {
	case SFAST_OK:
		*olen = (int)n;
		return ATT_OK;
	case SFAST_MKI: return ATT_MKI;
	case SFAST_BAD: return ATT_BAD;
	default: return ATT_AUTH;
	}
}

/* attempt - decrypt pkt as index t (RTP) or its explicit index (RTCP).
 * Uses the main session when libsrtp would pick the same index and not call
 * it a replay, else a side session.  A side session that moved the stream
 * forward replaces the main one. */
static enum attempt attempt(struct sdec_stream *s, const uint8_t *pkt, size_t len,
			    uint64_t t, bool dup, uint8_t *out, int *olen)
{
	srtp_err_status_t e;
	srtp_t side;
	uint64_t side_index = 0, g = t;
	int64_t delta = 0;
	bool forward = !s->synced || t > s->hi;

	if (s->fast)
		return fast_attempt(s, pkt, len, t, out, olen);
	if (s->kind == SDEC_RTP)
		g = index_guess(s->lib_index, (uint16_t)t, &delta);
	if (!dup && g == t) {
		e = lib_unprotect(s, s->main, pkt, len, out, olen);
		if (e == srtp_err_status_ok) {
			if (s->kind == SDEC_RTP && delta > 0)
				s->lib_index = g;
			return ATT_OK;
		}
		if (e != srtp_err_status_replay_fail && e != srtp_err_status_replay_old)
			return status_map(e);
	}
	side = side_session(s, t, &side_index);
	if (!side)
		return ATT_NOMEM;
	e = lib_unprotect(s, side, pkt, len, out, olen);
	if (e == srtp_err_status_ok && forward && !dup) {
		srtp_dealloc(s->main);
		s->main = side;
		s->lib_index = side_index;
		return ATT_OK;
	}
	srtp_dealloc(side);
	return status_map(e);
}

/* rtp_check - RFC 3550 §5.1 header and RFC 3711 §3.1 trailer fit in len. */
static bool rtp_check(const struct sdec_stream *s, const uint8_t *pkt, size_t len, uint16_t *seq)
{
	struct cursor c = cursor_make(pkt, len);
	uint8_t b0, b1;
	uint16_t ext_len;
	uint32_t ts, ssrc;
	if (!cursor_u8(&c, &b0) || !cursor_u8(&c, &b1) || !cursor_u16be(&c, seq) ||
	    !cursor_u32be(&c, &ts) || !cursor_u32be(&c, &ssrc))
		return false;
	if ((b0 >> 6) != 2 || ssrc != s->ssrc)
		return false;
	if (!cursor_skip(&c, 4u * (b0 & 0x0f)))
		return false;
	if (b0 & 0x10) {
		/* RFC 3550 §5.3.1: 16-bit profile, 16-bit length in words. */
		if (!cursor_skip(&c, 2) || !cursor_u16be(&c, &ext_len) ||
		    !cursor_skip(&c, 4u * ext_len))
			return false;
	}
	return cursor_left(&c) >= s->mki_len + s->tag_len;
}

/* rtcp_check - RTCP header + sender SSRC, then the SRTCP trailer:
 * RFC 3711 §3.4: ... E|index, MKI, tag;
 * RFC 7714 §9 (AEAD): ... tag, E|index, MKI. */
static bool rtcp_check(const struct sdec_stream *s, const uint8_t *pkt, size_t len,
		       uint32_t *index, bool *e_flag)
{
	struct cursor c = cursor_make(pkt, len);
	uint8_t b0;
	uint32_t ssrc, w;
	size_t trailer = 4 + s->mki_len + s->tag_len;
	if (!cursor_u8(&c, &b0) || (b0 >> 6) != 2 || !cursor_skip(&c, 3) ||
	    !cursor_u32be(&c, &ssrc) || ssrc != s->ssrc || cursor_left(&c) < trailer)
		return false;
	if (s->info->aead)
		c = cursor_make(pkt + len - s->mki_len - 4, 4);
	else
		c = cursor_make(pkt + len - trailer, 4);
	if (!cursor_u32be(&c, &w))
		return false;
	*e_flag = (w >> 31) != 0;
	*index = w & 0x7fffffffu;
	return true;
}

static void verdict_fail(struct sdec_stream *s, struct sdec_result *res, enum attempt a)
{
	switch (a) {
	case ATT_MKI:
		res->verdict = SDEC_BAD_MKI;
		s->c.bad_mki++;
		break;
	case ATT_BAD:
		res->verdict = SDEC_NOT_PACKET;
		s->c.not_packet++;
		break;
	default:
		res->verdict = SDEC_AUTH_FAILED;
		s->c.auth_failures++;
		break;
	}
}

static void verdict_ok(struct sdec_stream *s, struct sdec_result *res, uint64_t t, int olen)
{
	res->verdict = SDEC_DECRYPTED;
	res->len = (size_t)olen;
	res->index = t;
	res->duplicate = in_window(s, t) && win_test(s, t);
	res->out_of_order = s->synced && t < s->hi && !res->duplicate;
	if (res->duplicate)
		s->c.duplicates++;
	if (res->out_of_order)
		s->c.out_of_order++;
	s->c.decrypted++;
	mark_seen(s, t);
}

static enum sa_status unprotect_rtp(struct sdec_stream *s, const uint8_t *pkt, size_t len,
				    uint8_t *out, struct sdec_result *res)
{
	uint16_t seq;
	uint64_t t;
	int64_t delta;
	bool dup;
	int olen = 0;
	enum attempt a;

	if (!rtp_check(s, pkt, len, &seq)) {
		res->verdict = SDEC_NOT_PACKET;
		s->c.not_packet++;
		return SA_OK;
	}
	/* RFC 3711 §3.3.1: estimate from the highest authenticated index. */
	if (s->synced)
		t = index_guess(s->hi, seq, &delta);
	else
		t = ((uint64_t)s->p.initial_roc << 16) | seq;
	dup = in_window(s, t) && win_test(s, t);
	res->encrypted = !s->p.unencrypted_srtp;
	a = attempt(s, pkt, len, t, dup, out, &olen);
	if (a == ATT_AUTH && !s->synced && s->p.roc_search > 0 && s->tag_len > 0 &&
	    s->searched_packets < SDEC_ROC_SEARCH_PACKETS) {
		/* Mid-call start: no in-band ROC (RFC 3711 §3.3.1), try candidates. */
		uint32_t r;
		s->searched_packets++;
		s->c.roc_searches++;
		for (r = 0; r < s->p.roc_search && a == ATT_AUTH; r++) {
			if (r == s->p.initial_roc)
				continue;
			res->roc_tries++;
			t = ((uint64_t)r << 16) | seq;
			a = attempt(s, pkt, len, t, false, out, &olen);
		}
	}
	if (a == ATT_NOMEM)
		return SA_NOMEM;
	res->index = t;
	res->roc = (uint32_t)(t >> 16);
	if (a != ATT_OK) {
		verdict_fail(s, res, a);
		return SA_OK;
	}
	verdict_ok(s, res, t, olen);
	return SA_OK;
}

static enum sa_status unprotect_rtcp(struct sdec_stream *s, const uint8_t *pkt, size_t len,
				     uint8_t *out, struct sdec_result *res)
{
	uint32_t index;
	bool e_flag, dup;
	int olen = 0;
	enum attempt a;
	if (!rtcp_check(s, pkt, len, &index, &e_flag)) {
		res->verdict = SDEC_NOT_PACKET;
		s->c.not_packet++;
		return SA_OK;
	}
	res->encrypted = e_flag;
	res->index = index;
	dup = in_window(s, index) && win_test(s, index);
	a = attempt(s, pkt, len, index, dup, out, &olen);
	if (a == ATT_NOMEM)
		return SA_NOMEM;
	if (a != ATT_OK) {
		verdict_fail(s, res, a);
		return SA_OK;
	}
	if (!e_flag)
		s->c.unencrypted++;
	verdict_ok(s, res, index, olen);
	return SA_OK;
}

enum sa_status sdec_unprotect(struct sdec_stream *s, const uint8_t *pkt, size_t len,
			      uint8_t *out, size_t cap, struct sdec_result *res)
{
	enum sa_status st;
	memset(res, 0, sizeof *res);
	if (cap < len || len > (size_t)INT32_MAX)
		return SA_NOMEM;
	s->c.packets++;
	if (s->kind == SDEC_RTP)
		st = unprotect_rtp(s, pkt, len, out, res);
	else
		st = unprotect_rtcp(s, pkt, len, out, res);
	if (st != SA_OK)
		s->c.packets--;
	return st;
}
