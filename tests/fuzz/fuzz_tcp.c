/* fuzz_tcp.c - libFuzzer harness: TCP reassembly (tcp_reasm.h) with
 * segments described by the input.
 *
 * Layout: a control byte (bits 0-1: max_streams - 1; bit 2: small buffer
 * caps), then segments of 5 header bytes and a payload:
 *   byte 0   bit 0 direction, bits 1-2 which of four connections,
 *            bits 3-7 the TCP flags FIN SYN RST PSH ACK;
 *   byte 1-2 sequence number relative to that direction's base, minus 256
 *            (so segments can also start before the base: wrap-around);
 *   byte 3   payload length;
 *   byte 4   time step in units of 2^31 ns (about 2 s; idle timeouts).
 * Each stream gets a user pointer (allocated on first data, freed in
 * on_close) so leaks and double closes show up. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "tcp_reasm.h"

struct ctx {
	unsigned sum;
};

static void on_data(void *c, struct tcp_stream *s, int dir, const uint8_t *data,
		    size_t len, uint64_t frame, uint64_t ts_ns)
{
	struct ctx *x = c;
	uint64_t *u = tcp_stream_user(s);
	(void)frame;
	(void)ts_ns;
	if (!u) {
		u = calloc(2, sizeof *u);
		if (!u)
			return;
		tcp_stream_set_user(s, u);
	}
	u[dir & 1] += len;
	x->sum += fz_touch(data, len);
}

static void on_gap(void *c, struct tcp_stream *s, int dir, uint64_t missing, uint64_t frame)
{
	struct ctx *x = c;
	(void)s;
	(void)frame;
	x->sum += (unsigned)(missing + (uint64_t)dir);
}

static void on_close(void *c, struct tcp_stream *s)
{
	(void)c;
	free(tcp_stream_user(s));
	tcp_stream_set_user(s, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t base[2] = { 0xffffff00u, 0x1000u };
	struct fz in = { data, size };
	struct ctx x = { 0 };
	struct tcp_callbacks cb = { on_data, on_gap, on_close, &x };
	struct tcp_limits lim = tcp_limits_default();
	struct tcp_table *t;
	uint8_t ctl = fz_u8(&in);
	uint64_t ts = 1000000000u, frame = 1;

	lim.max_streams = 1 + (ctl & 3);
	if (ctl & 4) {
		lim.max_buffered = 2048;
		lim.max_total_buffered = 4096;
	}
	lim.idle_timeout_ns = 60ull * 1000000000u;
	t = tcp_table_new(&lim, &cb);
	if (!t)
		return 0;
	while (in.n > 0) {
		uint8_t b0 = fz_u8(&in);
		uint16_t rel = fz_u16(&in);
		uint8_t plen = fz_u8(&in);
		uint8_t step = fz_u8(&in);
		int dir = b0 & 1, conn = (b0 >> 1) & 3;
		uint8_t a[4] = { 10, 0, 0, 1 }, b[4] = { 10, 0, 0, 2 };
		struct tcp_segment seg;
		struct tcp_stream *st;
		size_t len;

		memset(&seg, 0, sizeof seg);
		ipaddr_set_v4(&seg.tuple.src.ip, dir ? b : a);
		ipaddr_set_v4(&seg.tuple.dst.ip, dir ? a : b);
		seg.tuple.src.port = (uint16_t)(dir ? 5060 : 40000 + conn);
		seg.tuple.dst.port = (uint16_t)(dir ? 40000 + conn : 5060);
		seg.tuple.proto = SA_IPPROTO_TCP;
		seg.seq = base[dir] + rel - 256u;
		seg.flags = (uint8_t)(b0 >> 3);
		seg.payload = fz_bytes(&in, plen, &len);
		seg.len = len;
		seg.frame = frame++;
		ts += (uint64_t)step << 31;
		seg.ts_ns = ts;
		(void)tcp_table_segment(t, &seg, &st);
	}
	if (frame & 1)
		tcp_table_flush(t);
	(void)tcp_table_stats(t);
	tcp_table_free(t);
	return 0;
}
