/* report_replay.c - JSON (jsonw.h) and JUnit XML (libxml2) reports of a
 * live replay run.  Strings from the device (reason phrases inside the
 * verdict details) go through jsonw's escaping or report_xml_clean. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "jsonw.h"
#include "report.h"
#include "report_replay.h"

bool report_replay_json(const struct replay_result *r, const char *capture,
			const char *call_id, const char *as, FILE *out)
{
	struct jsonw w;
	size_t i;
	jsonw_init(&w, out, true);
	jsonw_obj_begin(&w);
	jsonw_key(&w, "replay");
	jsonw_obj_begin(&w);
	jsonw_kv_str(&w, "capture", capture);
	jsonw_kv_str(&w, "call_id", call_id);
	jsonw_kv_str(&w, "as", as);
	jsonw_kv_str(&w, "srtp_method", replay_method_name(r->method));
	jsonw_kv_str(&w, "negotiated", r->negotiated[0] ? r->negotiated : "none");
	jsonw_key(&w, "profile");
	if (r->profile[0])
		jsonw_str(&w, r->profile);
	else
		jsonw_null(&w);
	jsonw_key(&w, "dtls_role");
	if (r->dtls_role[0])
		jsonw_str(&w, r->dtls_role);
	else
		jsonw_null(&w);
	jsonw_kv_str(&w, "local_sip", r->local_sip);
	jsonw_kv_str(&w, "local_media", r->local_media);
	jsonw_kv_str(&w, "remote_media", r->remote_media);
	jsonw_kv_bool(&w, "rtcp_mux", r->rtcp_mux);
	jsonw_kv_str(&w, "local_rtcp", r->rtcp_mux ? "" : r->local_rtcp);
	jsonw_kv_str(&w, "remote_rtcp", r->rtcp_mux ? "" : r->remote_rtcp);
	jsonw_kv_u64(&w, "dtls_associations", r->dtls_associations);
	jsonw_key(&w, "duration_s");
	jsonw_double(&w, r->duration_s, 3);
	jsonw_kv_str(&w, "aborted", replay_abort_name(r->abort));
	jsonw_key(&w, "abort_reason");
	if (r->abort)
		jsonw_str(&w, r->abort_msg);
	else
		jsonw_null(&w);
	jsonw_obj_end(&w);

	jsonw_key(&w, "sip");
	jsonw_obj_begin(&w);
	jsonw_kv_str(&w, "call_id", r->call_id);
	jsonw_kv_u64(&w, "final_code", r->final_code);
	jsonw_kv_u64(&w, "retransmissions", r->sip_retransmissions);
	jsonw_kv_bool(&w, "bye_sent", r->bye_sent);
	jsonw_kv_bool(&w, "bye_received", r->bye_received);
	jsonw_kv_str(&w, "transport", r->transport[0] ? r->transport : "udp");
	jsonw_kv_u64(&w, "auth_challenges", r->auth_challenges);
	jsonw_key(&w, "auth_credentials");
	if (r->auth_header[0])
		jsonw_str(&w, r->auth_header);
	else
		jsonw_null(&w);
	jsonw_key(&w, "auth_verified");
	if (r->auth_verified >= 0)
		jsonw_bool(&w, r->auth_verified == 1);
	else
		jsonw_null(&w);
	jsonw_kv_u64(&w, "reinvites_sent", r->reinvites_sent);
	jsonw_kv_u64(&w, "reinvites_received", r->reinvites_received);
	jsonw_kv_bool(&w, "cancel_sent", r->cancel_sent);
	jsonw_kv_bool(&w, "cancel_received", r->cancel_received);
	jsonw_kv_u64(&w, "cancel_code", r->cancel_code);
	jsonw_kv_bool(&w, "cancelled", r->cancelled);
	jsonw_kv_bool(&w, "offerless", r->offerless);
	jsonw_kv_u64(&w, "route_set", r->route_set);
	jsonw_obj_end(&w);

	jsonw_key(&w, "media");
	jsonw_obj_begin(&w);
	jsonw_kv_u64(&w, "captured_packets", r->captured_packets);
	jsonw_kv_u64(&w, "sent_rtp", r->sent_rtp);
	jsonw_kv_u64(&w, "sent_rtcp", r->sent_rtcp);
	jsonw_kv_u64(&w, "received_rtp", r->recv_rtp);
	jsonw_kv_u64(&w, "received_rtcp", r->recv_rtcp);
	jsonw_kv_u64(&w, "rtcp_auth_failures", r->recv_rtcp_auth_failures);
	jsonw_kv_u64(&w, "auth_failures", r->recv_auth_failures);
	jsonw_kv_u64(&w, "before_keys", r->recv_before_keys);
	jsonw_kv_u64(&w, "lost", r->recv_lost);
	jsonw_key(&w, "jitter_ms");
	if (r->jitter_valid)
		jsonw_double(&w, r->recv_jitter_ms, 3);
	else
		jsonw_null(&w);
	jsonw_obj_end(&w);

	jsonw_key(&w, "pacing");
	jsonw_obj_begin(&w);
	jsonw_key(&w, "p50_ms");
	jsonw_double(&w, r->pacing_p50_ms, 3);
	jsonw_key(&w, "p99_ms");
	jsonw_double(&w, r->pacing_p99_ms, 3);
	jsonw_key(&w, "max_ms");
	jsonw_double(&w, r->pacing_max_ms, 3);
	jsonw_obj_end(&w);

	jsonw_key(&w, "verdicts");
	jsonw_obj_begin(&w);
	for (i = 0; i < RC_COUNT; i++) {
		jsonw_key(&w, replay_check_name((enum replay_check)i));
		jsonw_obj_begin(&w);
		jsonw_kv_str(&w, "verdict", replay_verdict_name(r->verdicts[i].v));
		jsonw_kv_str(&w, "detail", r->verdicts[i].detail);
		jsonw_obj_end(&w);
	}
	jsonw_obj_end(&w);
	jsonw_kv_u64(&w, "exit_status", (uint64_t)replay_exit_status(r));
	jsonw_obj_end(&w);
	return jsonw_finish(&w);
}

struct xw {
	xmlTextWriterPtr w;
	bool failed;
};

static void ck(struct xw *x, int rc)
{
	if (rc < 0)
		x->failed = true;
}

static void attr(struct xw *x, const char *name, const char *v)
{
	char *c = report_xml_clean(v ? v : "", v ? strlen(v) : 0);
	if (!c) {
		x->failed = true;
		return;
	}
	ck(x, xmlTextWriterWriteAttribute(x->w, BAD_CAST name, BAD_CAST c));
	free(c);
}

static void attr_u(struct xw *x, const char *name, uint64_t v)
{
	char b[24];
	snprintf(b, sizeof b, "%" PRIu64, v);
	attr(x, name, b);
}

static void property(struct xw *x, const char *name, const char *value)
{
	ck(x, xmlTextWriterStartElement(x->w, BAD_CAST "property"));
	attr(x, "name", name);
	attr(x, "value", value);
	ck(x, xmlTextWriterEndElement(x->w));
}

bool report_replay_junit(const struct replay_result *r, const char *capture,
			 const char *call_id, const char *as, FILE *out)
{
	struct xw x;
	xmlOutputBufferPtr ob;
	uint64_t tests = RC_COUNT + (r->abort ? 1 : 0), failures = 0, skipped = 0;
	char secs[32];
	size_t i;
	bool ok;
	for (i = 0; i < RC_COUNT; i++) {
		failures += r->verdicts[i].v == VERDICT_FAIL;
		skipped += r->verdicts[i].v == VERDICT_SKIPPED;
	}
	snprintf(secs, sizeof secs, "%.3f", r->duration_s >= 0 ? r->duration_s : 0.0);
	memset(&x, 0, sizeof x);
	ob = xmlOutputBufferCreateFile(out, NULL);
	if (!ob)
		return false;
	x.w = xmlNewTextWriter(ob);
	if (!x.w) {
		xmlOutputBufferClose(ob);
		return false;
	}
	ck(&x, xmlTextWriterSetIndent(x.w, 1));
	ck(&x, xmlTextWriterSetIndentString(x.w, BAD_CAST "  "));
	ck(&x, xmlTextWriterStartDocument(x.w, "1.0", "UTF-8", NULL));
	ck(&x, xmlTextWriterStartElement(x.w, BAD_CAST "testsuites"));
	attr(&x, "name", "srtpaudit replay");
	attr_u(&x, "tests", tests);
	attr_u(&x, "failures", failures);
	attr_u(&x, "errors", r->abort ? 1 : 0);
	attr_u(&x, "skipped", skipped);
	attr(&x, "time", secs);
	ck(&x, xmlTextWriterStartElement(x.w, BAD_CAST "testsuite"));
	attr(&x, "name", "replay");
	attr_u(&x, "tests", tests);
	attr_u(&x, "failures", failures);
	attr_u(&x, "errors", r->abort ? 1 : 0);
	attr_u(&x, "skipped", skipped);
	attr(&x, "time", secs);
	ck(&x, xmlTextWriterStartElement(x.w, BAD_CAST "properties"));
	property(&x, "capture", capture);
	property(&x, "captured_call_id", call_id);
	property(&x, "as", as);
	property(&x, "call_id", r->call_id);
	property(&x, "srtp_method", replay_method_name(r->method));
	property(&x, "negotiated", r->negotiated);
	property(&x, "profile", r->profile);
	ck(&x, xmlTextWriterEndElement(x.w));
	if (r->abort) {
		ck(&x, xmlTextWriterStartElement(x.w, BAD_CAST "testcase"));
		attr(&x, "name", "run");
		attr(&x, "classname", "replay");
		ck(&x, xmlTextWriterStartElement(x.w, BAD_CAST "error"));
		attr(&x, "type", replay_abort_name(r->abort));
		attr(&x, "message", r->abort_msg);
		ck(&x, xmlTextWriterEndElement(x.w));
		ck(&x, xmlTextWriterEndElement(x.w));
	}
	for (i = 0; i < RC_COUNT; i++) {
		const struct replay_verdict *v = &r->verdicts[i];
		ck(&x, xmlTextWriterStartElement(x.w, BAD_CAST "testcase"));
		attr(&x, "name", replay_check_name((enum replay_check)i));
		attr(&x, "classname", "replay");
		if (v->v == VERDICT_FAIL) {
			ck(&x, xmlTextWriterStartElement(x.w, BAD_CAST "failure"));
			attr(&x, "type", replay_check_name((enum replay_check)i));
			attr(&x, "message", v->detail);
			ck(&x, xmlTextWriterEndElement(x.w));
		} else if (v->v == VERDICT_SKIPPED) {
			ck(&x, xmlTextWriterStartElement(x.w, BAD_CAST "skipped"));
			attr(&x, "message", v->detail[0] ? v->detail : "not applicable");
			ck(&x, xmlTextWriterEndElement(x.w));
		} else {
			char *c = report_xml_clean(v->detail, strlen(v->detail));
			if (!c) {
				x.failed = true;
			} else {
				ck(&x, xmlTextWriterWriteElement(x.w, BAD_CAST "system-out", BAD_CAST c));
				free(c);
			}
		}
		ck(&x, xmlTextWriterEndElement(x.w));
	}
	ck(&x, xmlTextWriterEndElement(x.w));
	ck(&x, xmlTextWriterEndElement(x.w));
	ck(&x, xmlTextWriterEndDocument(x.w));
	xmlFreeTextWriter(x.w);
	ok = !x.failed;
	if (fflush(out) != 0 || ferror(out))
		ok = false;
	return ok;
}
