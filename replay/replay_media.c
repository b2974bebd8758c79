/* replay_media.c - the replayed side's media: the captured payloads
 * re-protected under the live keys and sent on absolute CLOCK_MONOTONIC
 * deadlines following the capture's inter-packet timing, RTCP sender
 * reports (RFC 3550 §6.4.1) on the RTP port with rtcp-mux or on the RTCP
 * port without (SRTCP with the SDES keys, or with the keys of the RTCP
 * port's own DTLS association, RFC 5764 §3), and the device's media and
 * SRTCP received, decrypted and measured (rtpstats.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <openssl/rand.h>

#include "replay_int.h"
#include "rtp_media.h"

#define SR_INTERVAL_NS 5000000000ull
#define NTP_UNIX_OFFSET 2208988800ull  /* RFC 868 / RFC 5905 era 0 */

static void media_out(struct rsess *s, const uint8_t *d, size_t n)
{
	rs_media_send(s, RS_RTP, d, n);
}

void rs_media_clock(struct rsess *s)
{
	if (!s->media_started || s->next_pkt > 0)
		return;
	s->media_start = rs_now();
	s->next_sr = s->media_start + SR_INTERVAL_NS;
}

/* The context that protects (tx) or checks (!tx) our/their RTCP: the SRTP
 * one with rtcp-mux or SDES, the RTCP association's with DTLS and no
 * rtcp-mux (NULL until it is done); *plain when nothing protects it. */
static struct srtp_peer *rtcp_ctx(struct rsess *s, bool tx, bool *plain)
{
	*plain = !s->tx;
	if (s->use_dtls && !s->rtcp_mux)
		return tx ? s->tx_rtcp : s->rx_rtcp;
	return tx ? s->tx : s->rx;
}

bool rs_media_keys(struct rsess *s, const uint8_t *send_ks, size_t send_n,
		   const uint8_t *recv_ks, size_t recv_n)
{
	uint8_t r[10];
	if (send_ks) {
		const struct srtp_peer_suite_info *si = srtp_peer_suite_get(s->suite);
		s->tx = srtp_peer_new(s->suite, true, send_ks, send_n, NULL, 0);
		s->rx = srtp_peer_new(s->suite, false, recv_ks, recv_n, NULL, 0);
		if (!s->tx || !s->rx) {
			rs_verdict(s, RC_PROFILE, VERDICT_FAIL, "libsrtp refused the negotiated keys");
			return false;
		}
		snprintf(s->res->profile, sizeof s->res->profile, "%s", si ? si->sdes_name : "?");
	} else {
		snprintf(s->res->profile, sizeof s->res->profile, "none");
	}
	if (RAND_bytes(r, sizeof r) != 1)
		return false;
	s->ssrc = ((uint32_t)r[0] << 24) | ((uint32_t)r[1] << 16) | ((uint32_t)r[2] << 8) | r[3];
	s->seq0 = (uint16_t)(((unsigned)r[4] << 8 | r[5]) & 0x7fff); /* RFC 3550 §5.1: random */
	s->ts0 = ((uint32_t)r[6] << 24) | ((uint32_t)r[7] << 16) | ((uint32_t)r[8] << 8) | r[9];
	free(s->err_ms);
	s->err_ms = calloc(s->plan->n ? s->plan->n : 1, sizeof *s->err_ms);
	if (!s->err_ms)
		return false;
	s->keys = true;
	s->media_started = true;
	s->media_start = rs_now();
	s->next_sr = s->media_start + SR_INTERVAL_NS;
	rtpstats_init(&s->rx_stats, 0);
	rs_log(s, "media keys ready (%s); sending %zu packets", s->res->profile, s->plan->n);
	return true;
}

static void send_sr(struct rsess *s)
{
	uint8_t buf[256];
	size_t n;
	struct rtp_media_sender_info si;
	struct timespec ts;
	uint32_t elapsed_ts;
	struct srtp_peer *ctx;
	bool plain;
	if (!s->keys)
		return;
	ctx = rtcp_ctx(s, true, &plain);
	if (!ctx && !plain)
		return;   /* the RTCP association has no keys yet */
	clock_gettime(CLOCK_REALTIME, &ts);
	si.ntp = ((uint64_t)(ts.tv_sec + NTP_UNIX_OFFSET) << 32) |
		 (uint64_t)(((uint64_t)ts.tv_nsec << 32) / 1000000000ull);
	elapsed_ts = (uint32_t)((rs_now() - s->media_start) / 125000u); /* 8 kHz */
	si.rtp_ts = s->ts0 + elapsed_ts;
	si.packets = (uint32_t)s->res->sent_rtp;
	si.octets = s->octets;
	if (rtp_media_rtcp_compound(s->ssrc, &si, NULL, "srtpaudit@replay", buf,
				    sizeof buf - 64, &n) != SA_OK)
		return;
	if (ctx && srtp_peer_protect_rtcp(ctx, buf, sizeof buf, &n) != SA_OK)
		return;
	rs_media_send(s, s->rtcp_mux ? RS_RTP : RS_RTCP, buf, n);
	s->res->sent_rtcp++;
}

static void send_one(struct rsess *s, size_t i, uint64_t deadline)
{
	static uint8_t buf[65536 + 128];
	const struct replay_pkt *k = &s->plan->pkts[i];
	struct rtp_media_hdr h;
	size_t n;
	h.marker = k->marker;
	h.pt = k->pt;
	h.seq = (uint16_t)(s->seq0 + i);
	h.ts = s->ts0 + k->ts_off;
	h.ssrc = s->ssrc;
	if (rtp_media_build(&h, k->payload, k->plen, buf, sizeof buf - 64, &n) != SA_OK)
		return;
	if (s->tx && srtp_peer_protect_rtp(s->tx, buf, sizeof buf, &n) != SA_OK)
		return;
	media_out(s, buf, n);
	s->err_ms[s->res->sent_rtp] = (double)((int64_t)(rs_now() - deadline)) / 1e6;
	s->res->sent_rtp++;
	s->octets += k->plen;
}

void rs_media_timers(struct rsess *s, uint64_t now)
{
	if (!s->media_started || s->media_done || s->failed_hard || !s->rmedia_known || !s->call_up)
		return;
	while (s->next_pkt < s->plan->n) {
		uint64_t dl = s->media_start + s->plan->pkts[s->next_pkt].t_ns;
		if (now < dl)
			break;
		send_one(s, s->next_pkt, dl);
		s->next_pkt++;
		now = rs_now();
	}
	if (now >= s->next_sr) {
		send_sr(s);
		s->next_sr += SR_INTERVAL_NS;
	}
	if (s->next_pkt == s->plan->n) {
		send_sr(s);
		s->media_done = true;
		s->media_done_at = now;
		s->bye_at = now + (uint64_t)(s->opt->linger * 1e9);
		rs_log(s, "our media is done: %llu RTP packets sent",
		       (unsigned long long)s->res->sent_rtp);
	}
}

uint64_t rs_media_next(const struct rsess *s)
{
	uint64_t n;
	if (!s->media_started || s->media_done || !s->rmedia_known || !s->call_up)
		return 0;
	if (s->next_pkt >= s->plan->n)
		return rs_now();
	n = s->media_start + s->plan->pkts[s->next_pkt].t_ns;
	return n < s->next_sr ? n : s->next_sr;
}

void rs_media_input(struct rsess *s, uint8_t *d, size_t n)
{
	struct rtp_media_hdr h;
	size_t hl;
	/* RFC 7983 §7: 128..191 is RTP/RTCP; RFC 5761 §4: PT 192..223 is RTCP. */
	if (n < 12 || d[0] < 128 || d[0] > 191)
		return;
	if (!s->keys) {
		s->res->recv_before_keys++;
		return;
	}
	if (d[1] >= 192 && d[1] <= 223) {
		rs_rtcp_input(s, d, n);
		return;
	}
	if (s->rx && srtp_peer_unprotect_rtp(s->rx, d, &n) != SA_OK) {
		s->res->recv_auth_failures++;
		return;
	}
	if (rtp_media_parse(d, n, &h, &hl) != SA_OK)
		return;
	s->res->recv_rtp++;
	rtpstats_packet(&s->rx_stats, h.seq, h.ts, h.pt, rs_now());
}

void rs_rtcp_input(struct rsess *s, uint8_t *d, size_t n)
{
	struct srtp_peer *ctx;
	bool plain;
	/* RFC 3550 §6.4: version 2, PT 200..204 first (RFC 5761 §4). */
	if (n < 8 || (d[0] & 0xc0) != 0x80 || d[1] < 192 || d[1] > 223)
		return;
	if (!s->keys) {
		s->res->recv_before_keys++;
		return;
	}
	ctx = rtcp_ctx(s, false, &plain);
	if (!ctx && !plain) {
		s->res->recv_before_keys++;
		return;
	}
	if (ctx && srtp_peer_unprotect_rtcp(ctx, d, &n) != SA_OK) {
		s->res->recv_rtcp_auth_failures++;
		return;
	}
	s->res->recv_rtcp++;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double pct(const double *v, size_t n, double p)
{
	size_t i = (size_t)ceil(p * (double)n);
	if (i == 0)
		i = 1;
	return v[(i > n ? n : i) - 1];
}

void rs_media_finish(struct rsess *s)
{
	struct replay_result *r = s->res;
	struct rtpstats_summary sum;
	uint64_t tried;
	double rate;
	if (!s->keys || !s->call_up) {
		const char *why = s->call_up ? "no media keys were agreed" :
				  s->res->cancelled ? "the call was cancelled" : "no call was established";
		snprintf(r->verdicts[RC_MEDIA_SENT].detail, sizeof r->verdicts[0].detail, "%s", why);
		snprintf(r->verdicts[RC_MEDIA_RECEIVED].detail, sizeof r->verdicts[0].detail, "%s", why);
		snprintf(r->verdicts[RC_AUTH_FAILURE_RATE].detail, sizeof r->verdicts[0].detail, "%s", why);
		snprintf(r->verdicts[RC_PACING].detail, sizeof r->verdicts[0].detail, "%s", why);
		if (s->call_up && !s->use_dtls) {
			rs_verdict(s, RC_MEDIA_SENT, VERDICT_FAIL, "%s", why);
			rs_verdict(s, RC_MEDIA_RECEIVED, VERDICT_FAIL, "%s", why);
		} else if (s->call_up) {
			rs_verdict(s, RC_MEDIA_SENT, VERDICT_FAIL, "no keys: the DTLS handshake did not complete");
			rs_verdict(s, RC_MEDIA_RECEIVED, VERDICT_FAIL, "no keys: the DTLS handshake did not complete");
		}
		return;
	}
	if (r->sent_rtp == r->captured_packets && r->sent_rtp > 0)
		rs_verdict(s, RC_MEDIA_SENT, VERDICT_PASS, "%llu of %llu captured packets sent",
			   (unsigned long long)r->sent_rtp, (unsigned long long)r->captured_packets);
	else
		rs_verdict(s, RC_MEDIA_SENT, VERDICT_FAIL, "%llu of %llu captured packets sent",
			   (unsigned long long)r->sent_rtp, (unsigned long long)r->captured_packets);
	rtpstats_get(&s->rx_stats, &sum);
	r->recv_lost = sum.lost;
	r->jitter_valid = sum.jitter_valid;
	r->recv_jitter_ms = sum.jitter_valid ? sum.jitter_ms : 0;
	if (r->recv_rtp > 0)
		rs_verdict(s, RC_MEDIA_RECEIVED, VERDICT_PASS,
			   "%llu packets received and %s, %llu lost",
			   (unsigned long long)r->recv_rtp, s->rx ? "decrypted" : "read in clear",
			   (unsigned long long)r->recv_lost);
	else
		rs_verdict(s, RC_MEDIA_RECEIVED, VERDICT_FAIL,
			   "no media received from the device (%llu authentication failures, %llu before the keys)",
			   (unsigned long long)r->recv_auth_failures,
			   (unsigned long long)r->recv_before_keys);
	tried = r->recv_rtp + r->recv_auth_failures;
	rate = tried ? (double)r->recv_auth_failures / (double)tried : 0.0;
	if (!s->rx)
		snprintf(r->verdicts[RC_AUTH_FAILURE_RATE].detail, sizeof r->verdicts[0].detail,
			 "plain RTP: nothing to authenticate");
	else if (!tried)
		snprintf(r->verdicts[RC_AUTH_FAILURE_RATE].detail, sizeof r->verdicts[0].detail,
			 "no SRTP received");
	else
		rs_verdict(s, RC_AUTH_FAILURE_RATE, r->recv_auth_failures ? VERDICT_FAIL : VERDICT_PASS,
			   "%llu of %llu SRTP packets failed authentication (%.2f%%)",
			   (unsigned long long)r->recv_auth_failures, (unsigned long long)tried, 100.0 * rate);
	if (r->sent_rtp >= 2) {
		size_t n = (size_t)r->sent_rtp;
		qsort(s->err_ms, n, sizeof *s->err_ms, cmp_double);
		r->pacing_p50_ms = pct(s->err_ms, n, 0.50);
		r->pacing_p99_ms = pct(s->err_ms, n, 0.99);
		r->pacing_max_ms = s->err_ms[n - 1];
		rs_verdict(s, RC_PACING,
			   r->pacing_p99_ms <= s->opt->pacing_tolerance_ms ? VERDICT_PASS : VERDICT_FAIL,
			   "send-time error p50 %.3f ms, p99 %.3f ms, max %.3f ms (limit p99 %.1f ms)",
			   r->pacing_p50_ms, r->pacing_p99_ms, r->pacing_max_ms,
			   s->opt->pacing_tolerance_ms);
	} else {
		snprintf(r->verdicts[RC_PACING].detail, sizeof r->verdicts[0].detail,
			 "fewer than 2 packets sent");
	}
}
