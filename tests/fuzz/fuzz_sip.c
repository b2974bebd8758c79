/* fuzz_sip.c - libFuzzer harness: one SIP message (sip.h) parsed as a
 * datagram and as a stream, every accessor the dialogs use, and the SDP
 * search in the body (multipart included). */
#include <stdint.h>
#include <stddef.h>
#include <string.h>

#include "fuzz.h"
#include "sip.h"

static unsigned touch_sv(struct sv v)
{
	return fz_touch(v.p, v.n);
}

static void use_message(const struct sip_msg *m)
{
	struct sv v, params, uri;
	uint32_t num;
	size_t i;
	unsigned sum = 0;

	if (sip_msg_call_id(m, &v))
		sum += touch_sv(v);
	if (sip_msg_from_tag(m, &v))
		sum += touch_sv(v);
	if (sip_msg_to_tag(m, &v))
		sum += touch_sv(v);
	if (sip_msg_from_uri(m, &v))
		sum += touch_sv(v);
	if (sip_msg_to_uri(m, &v))
		sum += touch_sv(v);
	if (sip_msg_cseq(m, &num, &v))
		sum += touch_sv(v);
	if (sip_msg_via_branch(m, &v))
		sum += touch_sv(v);
	if (sip_msg_via_transport(m, &v))
		sum += touch_sv(v);
	if (sip_msg_contact_uri(m, &v))
		sum += touch_sv(v);
	if (sip_msg_content_type(m, &v))
		sum += touch_sv(v);
	for (i = 0; sip_msg_header_nth(m, "Contact", i, &v); i++) {
		if (sip_name_addr(v, &uri, &params)) {
			sum += touch_sv(uri);
			if (sip_param_find(params, "expires", &v))
				sum += touch_sv(v);
		}
	}
	sum += (unsigned)sip_msg_header_count(m, "Via");
	sum += touch_sv(m->body);
	if (sip_body_find_sdp(m, &v, NULL) == SA_OK)
		sum += touch_sv(v);
	(void)sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sip_msg m;
	struct sip_diag d;

	(void)sip_is_keepalive(data, size);
	memset(&d, 0, sizeof d); /* callers clear it: it keeps the first problem */
	if (sip_msg_parse(data, size, SIP_PARSE_DATAGRAM, &m, &d) == SA_OK)
		use_message(&m);
	memset(&d, 0, sizeof d);
	if (sip_msg_parse(data, size, SIP_PARSE_STREAM, &m, &d) == SA_OK)
		use_message(&m);
	return 0;
}
