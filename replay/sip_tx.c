/* sip_tx.c - RFC 3261 §17 transaction timers as state machines (see
 * sip_tx.h for the timer list). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/rand.h>

#include "sip_tx.h"

#define MS 1000000ull

void sip_timers_default(struct sip_timers *t, unsigned t1_ms)
{
	/* RFC 3261 §17.1.1.1 / Table 4. */
	t->t1 = (t1_ms ? t1_ms : 500) * MS;
	t->t2 = 4000 * MS;
	t->t4 = 5000 * MS;
	if (t->t2 < t->t1)
		t->t2 = t->t1;
}

static void copy_str(char *dst, size_t cap, const char *s)
{
	size_t n = strlen(s);
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

static bool store(struct sip_txn *t, const char *msg, size_t len)
{
	if (len > SIP_TX_MAX_MSG)
		return false;
	memcpy(t->msg, msg, len);
	t->len = len;
	return true;
}

bool sip_txn_client_start(struct sip_txn *t, bool invite, const char *branch,
			  const char *method, uint32_t cseq, const char *msg,
			  size_t len, uint64_t now, const struct sip_timers *tm)
{
	memset(t, 0, sizeof *t);
	if (!store(t, msg, len))
		return false;
	t->kind = invite ? SIPTX_CLIENT_INVITE : SIPTX_CLIENT_NONINVITE;
	t->state = invite ? SIPTX_CALLING : SIPTX_TRYING;
	copy_str(t->branch, sizeof t->branch, branch);
	copy_str(t->method, sizeof t->method, method);
	t->cseq = cseq;
	/* Timer A / E start at T1 (§17.1.1.2, §17.1.2.2); B / F at 64*T1. */
	t->interval = tm->t1;
	t->retx_at = now + tm->t1;
	t->deadline = now + 64 * tm->t1;
	return true;
}

void sip_txn_client_response(struct sip_txn *t, int code, uint64_t now,
			     const struct sip_timers *tm)
{
	t->last_code = code;
	if (t->state == SIPTX_TERMINATED || t->state == SIPTX_COMPLETED)
		return;
	if (code < 200) {
		if (t->kind == SIPTX_CLIENT_INVITE) {
			/* §17.1.1.2: Proceeding stops Timer A; B no longer applies. */
			t->state = SIPTX_PROCEEDING;
			t->retx_at = 0;
			t->deadline = 0;
		} else {
			/* §17.1.2.2: in Proceeding, E fires every T2. */
			t->state = SIPTX_PROCEEDING;
			t->interval = tm->t2;
			if (t->retx_at > now + tm->t2)
				t->retx_at = now + tm->t2;
		}
		return;
	}
	t->retx_at = 0;
	if (t->kind == SIPTX_CLIENT_INVITE && code < 300) {
		/* §17.1.1.2 (RFC 6026 §8.4: Accepted): the TU sends the ACK. */
		t->state = SIPTX_TERMINATED;
		t->deadline = 0;
	} else if (t->kind == SIPTX_CLIENT_INVITE) {
		t->state = SIPTX_COMPLETED;    /* Timer D: 32 s over UDP */
		t->deadline = now + 32000 * MS;
	} else {
		t->state = SIPTX_COMPLETED;    /* Timer K: T4 over UDP */
		t->deadline = now + tm->t4;
	}
}

void sip_txn_server_start(struct sip_txn *t, bool invite, const char *branch,
			  const char *method, uint32_t cseq, uint64_t now)
{
	(void)now;
	memset(t, 0, sizeof *t);
	t->kind = invite ? SIPTX_SERVER_INVITE : SIPTX_SERVER_NONINVITE;
	t->state = invite ? SIPTX_PROCEEDING : SIPTX_TRYING;
	copy_str(t->branch, sizeof t->branch, branch);
	copy_str(t->method, sizeof t->method, method);
	t->cseq = cseq;
}

bool sip_txn_server_respond(struct sip_txn *t, int code, const char *msg,
			    size_t len, uint64_t now, const struct sip_timers *tm)
{
	if (!store(t, msg, len))
		return false;
	t->last_code = code;
	if (code < 200) {
		t->state = SIPTX_PROCEEDING;
		return true;
	}
	t->state = SIPTX_COMPLETED;
	if (t->kind == SIPTX_SERVER_INVITE) {
		/* §17.2.1 Timers G and H (and §13.3.1.4 for 2xx). */
		t->interval = tm->t1;
		t->retx_at = now + tm->t1;
		t->deadline = now + 64 * tm->t1;
	} else {
		/* §17.2.2 Timer J: 64*T1 over UDP. */
		t->retx_at = 0;
		t->deadline = now + 64 * tm->t1;
	}
	return true;
}

void sip_txn_server_ack(struct sip_txn *t, uint64_t now, const struct sip_timers *tm)
{
	if (t->kind != SIPTX_SERVER_INVITE || t->state != SIPTX_COMPLETED)
		return;
	/* §17.2.1: Confirmed, Timer I = T4 over UDP. */
	t->state = SIPTX_CONFIRMED;
	t->retx_at = 0;
	t->deadline = now + tm->t4;
}

enum sip_txn_action sip_txn_poll(struct sip_txn *t, uint64_t now,
				 const struct sip_timers *tm)
{
	if (t->state == SIPTX_TERMINATED)
		return SIPTX_NONE;
	if (t->deadline && now >= t->deadline) {
		bool timeout = t->state == SIPTX_CALLING || t->state == SIPTX_TRYING ||
			       (t->state == SIPTX_PROCEEDING && t->kind == SIPTX_CLIENT_NONINVITE) ||
			       (t->state == SIPTX_COMPLETED && t->kind == SIPTX_SERVER_INVITE);
		t->state = SIPTX_TERMINATED;
		t->retx_at = 0;
		if (timeout) {
			t->timed_out = true;
			return SIPTX_TIMEOUT;
		}
		return SIPTX_NONE;
	}
	if (t->retx_at && now >= t->retx_at) {
		t->retransmissions++;
		if (t->kind == SIPTX_CLIENT_INVITE)
			t->interval *= 2;                      /* Timer A doubles */
		else if (t->state == SIPTX_PROCEEDING)
			t->interval = tm->t2;
		else
			t->interval = t->interval * 2 < tm->t2 ? t->interval * 2 : tm->t2;
		t->retx_at += t->interval;
		if (t->retx_at <= now)
			t->retx_at = now + t->interval;
		return SIPTX_RETRANSMIT;
	}
	return SIPTX_NONE;
}

uint64_t sip_txn_next(const struct sip_txn *t)
{
	uint64_t n = 0;
	if (t->state == SIPTX_TERMINATED)
		return 0;
	if (t->retx_at)
		n = t->retx_at;
	if (t->deadline && (!n || t->deadline < n))
		n = t->deadline;
	return n;
}

bool sip_tx_token(char *buf, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char r[64];
	size_t i, want = n ? n - 1 : 0;
	if (!n)
		return false;
	if (want > sizeof r)
		want = sizeof r;
	if (RAND_bytes(r, (int)want) != 1) {
		buf[0] = '\0';
		return false;
	}
	for (i = 0; i < want; i++)
		buf[i] = hex[r[i] & 15];
	buf[want] = '\0';
	return true;
}

void sip_buf_init(struct sip_buf *b, char *mem, size_t cap)
{
	b->p = mem;
	b->len = 0;
	b->cap = cap;
	b->overflow = false;
	if (cap)
		mem[0] = '\0';
}

void sip_buf_put(struct sip_buf *b, const char *s, size_t n)
{
	if (b->overflow || b->len + n + 1 > b->cap) {
		b->overflow = true;
		return;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void sip_buf_printf(struct sip_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;
	if (b->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= b->cap - b->len) {
		b->overflow = true;
		b->p[b->len] = '\0';
		return;
	}
	b->len += (size_t)n;
}
