/* fuzz_ipfrag.c - libFuzzer harness: IPv4/IPv6 fragment reassembly
 * (ipfrag.h) with fragments described by the input.
 *
 * Layout: a control byte (bits 0-1: small caps; bit 2: IPv6), then
 * fragments of 6 header bytes and a payload:
 *   byte 0   bits 0-1 which of four datagram ids, bit 2 the MF flag,
 *            bits 3-7 the protocol (offset-zero fragments);
 *   byte 1-2 offset in bytes (not always a multiple of 8: refused);
 *   byte 3-4 payload length (taken from the input, shorter at its end);
 *   byte 5   time step in units of 2^30 ns (about 1 s; timeouts). */
#include <stdint.h>
#include <string.h>

#include "fuzz.h"
#include "ipfrag.h"

static void on_drop(void *ctx, const uint64_t *frames, size_t n, enum ipfrag_drop why)
{
	unsigned *sum = ctx;
	*sum += fz_touch(frames, n * sizeof *frames) + (unsigned)why;
	(void)ipfrag_drop_name(why);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz in = { data, size };
	unsigned sum = 0;
	struct ipfrag_callbacks cb = { on_drop, &sum };
	struct ipfrag_limits lim = ipfrag_limits_default();
	struct ipfrag_table *t;
	uint8_t ctl = fz_u8(&in);
	bool v6 = (ctl & 4) != 0;
	uint64_t ts = 1000000000u, frame = 1;

	if (ctl & 1) {
		lim.max_datagrams = 2;
		lim.max_frags = 8;
	}
	if (ctl & 2)
		lim.max_bytes = 4096;
	t = ipfrag_table_new(&lim, &cb);
	if (!t)
		return 0;
	while (in.n > 0) {
		uint8_t b0 = fz_u8(&in);
		uint16_t off = fz_u16(&in);
		uint16_t want = fz_u16(&in);
		uint8_t step = fz_u8(&in);
		uint8_t a[16] = { 0x20, 0x01, 0x0d, 0xb8, 1 }, b[16] = { 0x20, 0x01, 0x0d, 0xb8, 2 };
		struct ipfrag_key key;
		struct ipfrag_done done;
		const uint8_t *p;
		size_t len;

		memset(&key, 0, sizeof key);
		if (v6) {
			ipaddr_set_v6(&key.src, a);
			ipaddr_set_v6(&key.dst, b);
		} else {
			ipaddr_set_v4(&key.src, a);
			ipaddr_set_v4(&key.dst, b);
		}
		key.id = (uint32_t)(b0 & 3) * 0x3fffu;
		key.proto = (uint8_t)(b0 >> 3);
		p = fz_bytes(&in, want, &len);
		ts += (uint64_t)step << 30;
		if (ipfrag_add(t, &key, off, (b0 & 4) != 0, p, len, frame++, ts, &done) == SA_OK &&
		    done.complete) {
			sum += fz_touch(done.data, done.len);
			sum += fz_touch(done.frames, done.nframes * sizeof *done.frames);
		}
	}
	if (frame & 1)
		ipfrag_flush(t);
	(void)ipfrag_stats(t);
	ipfrag_table_free(t);
	return 0;
}
