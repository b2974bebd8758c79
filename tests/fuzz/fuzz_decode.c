/* fuzz_decode.c - libFuzzer harness: decode_frame (decode.h) for every
 * link type it supports.  The first two bytes (big-endian) name the DLT
 * link type: used as is when supported, else taken modulo the list of
 * supported ones; the third byte says by how many bytes the wire length
 * exceeds the captured length (snap length); the rest is the frame.  An IP fragment
 * is continued through decode_ip_payload as if it were the whole datagram,
 * and every payload view is read back. */
#include <stdint.h>

#include "decode.h"
#include "fuzz.h"

static int links[64];
static size_t n_links;

static void find_links(void)
{
	int dlt;
	for (dlt = 0; dlt < 300 && n_links < 64; dlt++)
		if (decode_link_supported(dlt))
			links[n_links++] = dlt;
}

static unsigned use(const struct decoded *d)
{
	unsigned sum = 0;
	if (d->result == DECODE_L4)
		sum += fz_touch(d->l4.payload, d->l4.len);
	if (d->result == DECODE_FRAGMENT)
		sum += fz_touch(d->frag.data, d->frag.len);
	return sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz in = { data, size };
	struct decoded d, inner;
	unsigned sum = 0;
	int link;
	size_t extra;

	if (n_links == 0)
		find_links();
	if (n_links == 0)
		return 0;
	link = fz_u16(&in);
	if (!decode_link_supported(link))
		link = links[(size_t)link % n_links];
	extra = fz_u8(&in);
	decode_frame(link, in.p, in.n, in.n + extra, &d);
	sum += use(&d);
	if (d.result == DECODE_FRAGMENT) {
		decode_ip_payload(d.frag.proto, &d.frag.src, &d.frag.dst, d.frag.data,
				  d.frag.len, d.frag.truncated, &inner);
		sum += use(&inner);
	}
	(void)sum;
	return 0;
}
