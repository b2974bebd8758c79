/* replay_tcp.c - SIP over TCP for the live replay (RFC 3261 §18): a
 * listening socket on the --listen address (the port in our Via and
 * Contact), connections accepted from the target host only or opened to
 * it, at most RS_CONN_MAX at a time.  Messages are cut out of each
 * connection's byte stream by the analyzer's framer (sip_frame.h,
 * Content-Length framing, §18.3); responses go back on the connection the
 * request came in on (§18.2.2) and our requests reuse the open connection
 * to the device (§18.1.1), opening one when there is none.  Writes that
 * do not complete at once wait in a capped per-connection buffer. */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "replay_int.h"
#include "sip_frame.h"

#define RS_TCP_OUT_CAP 65536

static void conn_close(struct rsess *s, int i)
{
	struct rs_conn *c = &s->conns[i];
	if (c->fd >= 0)
		close(c->fd);
	sip_framer_free(c->fr);
	free(c->out);
	memset(c, 0, sizeof *c);
	c->fd = -1;
	if (s->cur_conn == i)
		s->cur_conn = -1;
}

static void on_message(void *ctx, const uint8_t *msg, size_t len, bool websocket)
{
	struct rsess *s = ctx;
	struct rs_conn *c;
	(void)websocket;
	if (s->in_conn < 0)
		return;
	c = &s->conns[s->in_conn];
	s->cur_conn = s->in_conn;   /* answers and our next requests go here */
	if (s->opt->fault == REPLAY_FAULT_SILENT)
		return;
	rs_ua_input(s, msg, len, &c->addr, c->alen);
}

static int conn_add(struct rsess *s, int fd, const struct sockaddr_storage *a, socklen_t alen)
{
	int i;
	for (i = 0; i < RS_CONN_MAX; i++) {
		struct rs_conn *c = &s->conns[i];
		if (c->fd >= 0)
			continue;
		c->fr = sip_framer_new(on_message, s);
		c->out = malloc(RS_TCP_OUT_CAP);
		if (!c->fr || !c->out) {
			sip_framer_free(c->fr);
			free(c->out);
			c->fr = NULL;
			c->out = NULL;
			break;
		}
		c->fd = fd;
		memcpy(&c->addr, a, alen);
		c->alen = alen;
		c->out_n = 0;
		c->connecting = false;
		return i;
	}
	close(fd);
	return -1;
}

void rs_tcp_init(struct rsess *s)
{
	int i;
	for (i = 0; i < RS_CONN_MAX; i++)
		s->conns[i].fd = -1;
	s->cur_conn = s->in_conn = -1;
}

void rs_tcp_cleanup(struct rsess *s)
{
	int i;
	for (i = 0; i < RS_CONN_MAX; i++)
		if (s->conns[i].fd >= 0 || s->conns[i].fr)
			conn_close(s, i);
}

int rs_tcp_listen(struct rsess *s, const struct sockaddr_storage *ss, socklen_t len)
{
	int one = 1, fd = socket(ss->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (const struct sockaddr *)ss, len) != 0 || listen(fd, 4) != 0) {
		close(fd);
		return -1;
	}
	(void)s;
	return fd;
}

/* A new connection to s->peer; false (and the run aborted) when it
 * cannot even be started. */
static int conn_open(struct rsess *s)
{
	int fd, i;
	fd = socket(s->peer.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		rs_abort(s, REPLAY_ABORT_IO, "socket: %s", strerror(errno));
		return -1;
	}
	if (connect(fd, (struct sockaddr *)&s->peer, s->peer_len) != 0 && errno != EINPROGRESS) {
		rs_abort(s, errno == ECONNREFUSED || errno == EHOSTUNREACH || errno == ENETUNREACH ?
			 REPLAY_ABORT_UNREACHABLE : REPLAY_ABORT_IO,
			 "cannot connect to %s port %u over TCP: %s", s->thost, s->tport, strerror(errno));
		close(fd);
		return -1;
	}
	i = conn_add(s, fd, &s->peer, s->peer_len);
	if (i < 0) {
		rs_abort(s, REPLAY_ABORT_IO, "too many TCP connections");
		return -1;
	}
	s->conns[i].connecting = true;
	s->cur_conn = i;
	rs_log(s, "TCP connection to %s port %u opened", s->thost, s->tport);
	return i;
}

static void conn_flush(struct rsess *s, int i)
{
	struct rs_conn *c = &s->conns[i];
	while (c->out_n > 0 && !c->connecting) {
		ssize_t n = send(c->fd, c->out, c->out_n, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
				return;
			rs_log(s, "TCP send failed: %s", strerror(errno));
			conn_close(s, i);
			return;
		}
		memmove(c->out, c->out + n, c->out_n - (size_t)n);
		c->out_n -= (size_t)n;
	}
}

bool rs_tcp_send(struct rsess *s, const char *msg, size_t len)
{
	int i = s->cur_conn;
	struct rs_conn *c;
	if (i < 0 || s->conns[i].fd < 0)
		i = conn_open(s);
	if (i < 0)
		return false;
	c = &s->conns[i];
	if (c->out_n + len > RS_TCP_OUT_CAP) {
		rs_log(s, "TCP output buffer full: message dropped");
		return false;
	}
	memcpy(c->out + c->out_n, msg, len);
	c->out_n += len;
	conn_flush(s, i);
	return true;
}

size_t rs_tcp_pollfds(struct rsess *s, struct pollfd *p, int *idx, size_t cap)
{
	size_t n = 0;
	int i;
	for (i = 0; i < RS_CONN_MAX && n < cap; i++) {
		if (s->conns[i].fd < 0)
			continue;
		p[n].fd = s->conns[i].fd;
		p[n].events = POLLIN | (s->conns[i].out_n || s->conns[i].connecting ? POLLOUT : 0);
		p[n].revents = 0;
		idx[n++] = i;
	}
	return n;
}

void rs_tcp_accept(struct rsess *s)
{
	struct sockaddr_storage a;
	socklen_t alen;
	int fd, k;
	for (k = 0; k < 4; k++) {
		alen = sizeof a;
		fd = accept4(s->sip_fd, (struct sockaddr *)&a, &alen, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return;
		if (!rs_same_host(&a, &s->target_ip)) {
			close(fd);   /* only the device may talk to us */
			continue;
		}
		if (conn_add(s, fd, &a, alen) >= 0)
			rs_log(s, "TCP connection from the device accepted");
	}
}

static void conn_read(struct rsess *s, int i)
{
	uint8_t buf[16384];
	int k;
	for (k = 0; k < 8 && s->conns[i].fd >= 0; k++) {
		ssize_t n = recv(s->conns[i].fd, buf, sizeof buf, 0);
		if (n < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
				rs_log(s, "TCP receive failed: %s", strerror(errno));
				conn_close(s, i);
			}
			return;
		}
		if (n == 0) {
			rs_log(s, "TCP connection closed by the device");
			conn_close(s, i);
			return;
		}
		s->in_conn = i;
		if (sip_framer_feed(s->conns[i].fr, buf, (size_t)n) == SA_MALFORMED)
			rs_log(s, "ignored bytes that are not SIP on a TCP connection");
		s->in_conn = -1;
	}
}

void rs_tcp_events(struct rsess *s, const struct pollfd *p, const int *idx, size_t n)
{
	size_t k;
	for (k = 0; k < n && !s->failed_hard; k++) {
		int i = idx[k];
		struct rs_conn *c = &s->conns[i];
		if (!p[k].revents || c->fd != p[k].fd)
			continue;
		if (c->connecting && (p[k].revents & (POLLOUT | POLLERR | POLLHUP))) {
			int err = 0;
			socklen_t el = sizeof err;
			if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &el) != 0)
				err = errno;
			if (err) {
				rs_abort(s, err == ECONNREFUSED || err == EHOSTUNREACH || err == ENETUNREACH ?
					 REPLAY_ABORT_UNREACHABLE : REPLAY_ABORT_IO,
					 "target %s port %u unreachable over TCP: %s", s->thost,
					 s->tport, strerror(err));
				conn_close(s, i);
				continue;
			}
			c->connecting = false;
		}
		if (p[k].revents & POLLOUT)
			conn_flush(s, i);
		if (c->fd >= 0 && (p[k].revents & (POLLIN | POLLHUP | POLLERR)))
			conn_read(s, i);
	}
}
