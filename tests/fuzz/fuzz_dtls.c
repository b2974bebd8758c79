/* fuzz_dtls.c - libFuzzer harness: DTLS records and handshake reassembly
 * (dtls.h) on one association.  The input is a list of datagrams, each
 * behind a 2-byte big-endian header: bit 15 the direction (0 or 1), bits
 * 0..14 the datagram's length.  Once every datagram is in, the summary,
 * the events and the certificate chains are read back; each kept
 * certificate goes through cert_parse as the pipeline does. */
#include <stdint.h>

#include "cert.h"
#include "dtls.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz in = { data, size };
	struct dtls_assoc *a = dtls_assoc_new(NULL);
	const struct dtls_summary *s;
	const struct dtls_event *ev;
	uint64_t frame = 1;
	unsigned sum = 0;
	size_t i, h;

	if (!a)
		return 0;
	while (in.n > 0) {
		uint16_t hdr = fz_u16(&in);
		const uint8_t *p;
		size_t len;
		p = fz_bytes(&in, hdr & 0x7fff, &len);
		(void)dtls_assoc_input(a, hdr >> 15, p, len, frame, frame * 1000000u, NULL);
		frame++;
	}
	s = dtls_assoc_summary(a);
	for (i = 0; (ev = dtls_assoc_event(a, i)) != NULL; i++)
		sum += fz_touch(dtls_event_kind_name(ev->kind), 1);
	for (h = 0; h < s->n_handshakes; h++) {
		const struct dtls_handshake *hs = &s->hs[h];
		int dir;
		sum += fz_touch(hs->ch.random, sizeof hs->ch.random);
		for (dir = 0; dir < 2; dir++) {
			const struct dtls_cert_chain *c = &hs->cert[dir];
			for (i = 0; i < c->n; i++) {
				struct cert_info ci;
				sum += fz_touch(c->certs[i].der, c->certs[i].len);
				if (i == 0)
					(void)cert_parse(c->certs[i].der, c->certs[i].len, &ci);
			}
		}
		(void)dtls_version_name(hs->version);
		(void)dtls_suite_find(hs->sh.suite);
	}
	(void)sum;
	dtls_assoc_free(a);
	return 0;
}
