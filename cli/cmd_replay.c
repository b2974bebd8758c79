/* cmd_replay.c - srtpaudit replay: play one side of a captured call live
 * against a device under test (issue 8).  The capture goes through the
 * analyzer (and its decrypting pass, so SRTP media is replayed in clear
 * payloads); the live run is replay_run(); the reports are
 * report_replay.h.  Exit status: 0 every verdict passed, 1 a verdict
 * failed, 2 usage error, unreadable capture, unreachable target or
 * timeout. */
#include <arpa/inet.h>
#include <getopt.h>
#include <netdb.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pipeline.h"
#include "replay.h"
#include "report_replay.h"
#include "result.h"

static void replay_help(FILE *out, const char *prog)
{
	fprintf(out,
		"Usage: %s replay CAPTURE --call CALL-ID --target HOST[:PORT] [OPTIONS]\n"
		"Play one side of a captured call live against a device under test: real SIP\n"
		"(UDP), a real DTLS-SRTP handshake or SDES keys, the captured media re-protected\n"
		"under the new keys and paced as captured; then judge what the device did.\n\n"
		"Options:\n"
		"      --call CALL-ID        the captured call (optional if the capture has one)\n"
		"      --target HOST[:PORT]  the device (address or host name; [v6]:port); required\n"
		"      --as uac|uas          play the caller (default) or the callee\n"
		"      --listen ADDR[:PORT]  bind here only (default 127.0.0.1:0 / [::1]:0 for\n"
		"                            a loopback target; required otherwise)\n"
		"      --transport udp|tcp   SIP transport (default udp)\n"
		"      --srtp-method M       0 legacy, 1 SDES, 2 DTLS, 3 dual, none (default:\n"
		"                            what the capture offered (uac) or answered (uas))\n"
		"      --setup active|passive  our a=setup when answering (default active)\n"
		"      --dtls-close WHEN     after-export (default), at-end or never\n"
		"      --auth USER:PASS      digest credentials for a 401/407 challenge (uac);\n"
		"                            with --challenge, the ones to expect (uas)\n"
		"      --challenge REALM     uas: challenge the INVITE with a digest 401\n"
		"      --challenge-algorithm md5|sha-256  (default md5)\n"
		"      --challenge-proxy     challenge with 407 Proxy-Authenticate instead\n"
		"      --reinvite-at S|never send a re-INVITE S seconds after our media starts\n"
		"                            (default: halfway, if the captured side sent one)\n"
		"      --rtcp-mux on|off     offer/accept rtcp-mux (default on); off: RTCP on its\n"
		"                            own port (SRTCP; DTLS: a second association)\n"
		"      --cancel-after S      uac: CANCEL the INVITE after S s without a final\n"
		"                            response (the expected flow is then 487)\n"
		"      --answer-after S      uas: answer S s after the INVITE (180 meanwhile)\n"
		"      --expect-cancel       uas: a CANCEL from the device is the expected flow\n"
		"      --late-offer          uac: INVITE without SDP (offer in the 2xx, answer\n"
		"                            in the ACK)\n"
		"      --keylog-out FILE     NSS key log of the run's DTLS (mode 0600)\n"
		"      --json FILE|-         the run's report as JSON\n"
		"      --junit FILE          the run's verdicts as JUnit XML\n"
		"      --max-duration S      hard stop after S seconds (default 60)\n"
		"  -k, --keylog FILE         key log to decrypt the captured media\n"
		"      --srtp-key SPEC       SRTP key to decrypt the captured media\n"
		"      --port-file FILE      write the bound SIP port there\n"
		"      --sip-t1 MS           RFC 3261 T1 (default 500)\n"
		"      --linger S            keep receiving after our media (default 0.5)\n"
		"      --pacing-tolerance MS p99 send-time error allowed (default 10)\n"
		"      --fault F             test knob: wrong-fingerprint or silent\n"
		"  -q, --quiet               no progress lines\n"
		"  -v, --verbose             every SIP message's start line\n"
		"  -h, --help                this text\n"
		"Exit status: 0 all verdicts passed, 1 a verdict failed, 2 usage error,\n"
		"unreadable capture, unreachable target or timeout.\n",
		prog);
}

enum {
	OPT_CALL = 256, OPT_TARGET, OPT_AS, OPT_LISTEN, OPT_TRANSPORT, OPT_METHOD,
	OPT_SETUP, OPT_AUTH, OPT_KEYLOG_OUT, OPT_JSON, OPT_JUNIT, OPT_MAXDUR,
	OPT_SRTP_KEY, OPT_PORT_FILE, OPT_T1, OPT_LINGER, OPT_PACING, OPT_FAULT,
	OPT_DTLS_CLOSE, OPT_CHALLENGE, OPT_CHALLENGE_ALG, OPT_CHALLENGE_PROXY, OPT_REINVITE_AT,
	OPT_RTCP_MUX, OPT_CANCEL_AFTER, OPT_ANSWER_AFTER, OPT_EXPECT_CANCEL, OPT_LATE_OFFER,
};

static void log_line(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "srtpaudit replay: %s\n", msg);
}

/* HOST[:PORT] or [V6]:PORT or a bare IPv6 address into host/port. */
static bool split_hostport(const char *s, char *host, size_t cap, uint16_t *port)
{
	const char *colon;
	size_t n;
	char *end;
	unsigned long v;
	*port = 0;
	if (s[0] == '[') {
		const char *e = strchr(s, ']');
		if (!e)
			return false;
		n = (size_t)(e - s - 1);
		colon = e[1] == ':' ? e + 1 : NULL;
		if (e[1] && !colon)
			return false;
		s++;
	} else {
		colon = strchr(s, ':');
		if (colon && strchr(colon + 1, ':'))
			colon = NULL;   /* a bare IPv6 address */
		n = colon ? (size_t)(colon - s) : strlen(s);
	}
	if (n == 0 || n >= cap)
		return false;
	memcpy(host, s, n);
	host[n] = '\0';
	if (colon) {
		v = strtoul(colon + 1, &end, 10);
		if (*end || v > 65535 || end == colon + 1)
			return false;
		*port = (uint16_t)v;
	}
	return true;
}

static bool is_loopback(const char *host)
{
	return strncmp(host, "127.", 4) == 0 || strcmp(host, "::1") == 0;
}

/* A host name given to --target is looked up once, before any traffic;
 * the first address is used and the run shows which one. Numeric
 * addresses are left as they are. */
static bool resolve_host(struct cli_ctx *c, const char *opt, char *host, size_t cap)
{
	struct addrinfo hints, *ai = NULL;
	unsigned char tmp[16];
	char name[INET6_ADDRSTRLEN + 1];
	int e;
	if (inet_pton(AF_INET, host, tmp) == 1 || inet_pton(AF_INET6, host, tmp) == 1)
		return true;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	e = getaddrinfo(host, NULL, &hints, &ai);
	if (e != 0 || !ai) {
		cli_usage_error(c, "%s: cannot resolve '%s': %s; give a numeric address or a name "
			       "this machine can resolve", opt, host, gai_strerror(e));
		return false;
	}
	e = getnameinfo(ai->ai_addr, ai->ai_addrlen, name, sizeof name, NULL, 0, NI_NUMERICHOST);
	freeaddrinfo(ai);
	if (e != 0 || strlen(name) >= cap) {
		cli_usage_error(c, "%s: '%s' resolved to an unusable address", opt, host);
		return false;
	}
	if (!c->quiet)
		fprintf(stderr, "srtpaudit replay: %s %s is %s\n", opt, host, name);
	memcpy(host, name, strlen(name) + 1);
	return true;
}

static bool parse_double(const char *s, double lo, double hi, double *out)
{
	char *end;
	double v = strtod(s, &end);
	if (end == s || *end || !(v >= lo && v <= hi))
		return false;
	*out = v;
	return true;
}

static int run_reports(struct cli_ctx *c, const struct replay_result *res,
		       const char *capture, const char *call_id, const char *as,
		       const char *json, const char *junit)
{
	int rc = EXIT_CLEAN;
	size_t i;
	if (json) {
		FILE *f = cli_open_output(c, json, false);
		if (!f || !report_replay_json(res, capture, call_id, as, f) |
			  !cli_close_output(c, json, f))
			rc = EXIT_USAGE;
	}
	if (junit) {
		FILE *f = cli_open_output(c, junit, false);
		if (!f || !report_replay_junit(res, capture, call_id, as, f) |
			  !cli_close_output(c, junit, f))
			rc = EXIT_USAGE;
	}
	if (!c->quiet) {
		FILE *o = json && strcmp(json, "-") == 0 ? stderr : stdout;
		fprintf(o, "replay of %s (%s) as %s: %s\n", call_id, capture, as,
			res->abort ? res->abort_msg : "completed");
		for (i = 0; i < RC_COUNT; i++)
			fprintf(o, "  %-22s %-7s %s\n", replay_check_name((enum replay_check)i),
				replay_verdict_name(res->verdicts[i].v), res->verdicts[i].detail);
	}
	return rc;
}

int cmd_replay(int argc, char **argv, const char *prog)
{
	static const struct option longopts[] = {
		{ "call", required_argument, NULL, OPT_CALL },
		{ "target", required_argument, NULL, OPT_TARGET },
		{ "as", required_argument, NULL, OPT_AS },
		{ "listen", required_argument, NULL, OPT_LISTEN },
		{ "transport", required_argument, NULL, OPT_TRANSPORT },
		{ "srtp-method", required_argument, NULL, OPT_METHOD },
		{ "setup", required_argument, NULL, OPT_SETUP },
		{ "auth", required_argument, NULL, OPT_AUTH },
		{ "keylog-out", required_argument, NULL, OPT_KEYLOG_OUT },
		{ "json", required_argument, NULL, OPT_JSON },
		{ "junit", required_argument, NULL, OPT_JUNIT },
		{ "max-duration", required_argument, NULL, OPT_MAXDUR },
		{ "keylog", required_argument, NULL, 'k' },
		{ "srtp-key", required_argument, NULL, OPT_SRTP_KEY },
		{ "port-file", required_argument, NULL, OPT_PORT_FILE },
		{ "sip-t1", required_argument, NULL, OPT_T1 },
		{ "linger", required_argument, NULL, OPT_LINGER },
		{ "pacing-tolerance", required_argument, NULL, OPT_PACING },
		{ "fault", required_argument, NULL, OPT_FAULT },
		{ "dtls-close", required_argument, NULL, OPT_DTLS_CLOSE },
		{ "challenge", required_argument, NULL, OPT_CHALLENGE },
		{ "challenge-algorithm", required_argument, NULL, OPT_CHALLENGE_ALG },
		{ "challenge-proxy", no_argument, NULL, OPT_CHALLENGE_PROXY },
		{ "reinvite-at", required_argument, NULL, OPT_REINVITE_AT },
		{ "rtcp-mux", required_argument, NULL, OPT_RTCP_MUX },
		{ "cancel-after", required_argument, NULL, OPT_CANCEL_AFTER },
		{ "answer-after", required_argument, NULL, OPT_ANSWER_AFTER },
		{ "expect-cancel", no_argument, NULL, OPT_EXPECT_CANCEL },
		{ "late-offer", no_argument, NULL, OPT_LATE_OFFER },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_ctx c;
	struct cli_keys keys;
	struct replay_options o;
	struct replay_plan plan;
	struct replay_result res;
	struct pipeline *p = NULL;
	const char *call = NULL, *target = NULL, *listen = NULL, *json = NULL, *junit = NULL;
	char thost[64], lhost[64], auth_user[128];
	double d;
	int opt, rc = EXIT_USAGE;
	bool plan_init = false;

	cli_ctx_init(&c, prog, "replay");
	memset(&keys, 0, sizeof keys);
	memset(&o, 0, sizeof o);
	o.side = PARTY_CALLER;
	o.method = REPLAY_METHOD_CAPTURE;
	o.max_duration = 60;
	o.linger = 0.5;
	o.pacing_tolerance_ms = 10;
	o.t1_ms = 500;
	o.dtls_close = REPLAY_CLOSE_AFTER_EXPORT;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "k:qvh", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_CALL: call = optarg; break;
		case OPT_TARGET: target = optarg; break;
		case OPT_LISTEN: listen = optarg; break;
		case OPT_AS:
			if (strcmp(optarg, "uac") == 0)
				o.side = PARTY_CALLER;
			else if (strcmp(optarg, "uas") == 0)
				o.side = PARTY_CALLEE;
			else
				return cli_usage_error(&c, "--as: expected uac or uas, not '%s'", optarg);
			break;
		case OPT_TRANSPORT:
			if (strcmp(optarg, "tcp") == 0)
				o.tcp = true;
			else if (strcmp(optarg, "udp") == 0)
				o.tcp = false;
			else
				return cli_usage_error(&c, "--transport: expected udp or tcp");
			break;
		case OPT_METHOD:
			if (strcmp(optarg, "none") == 0)
				o.method = REPLAY_METHOD_NONE;
			else if (optarg[0] >= '0' && optarg[0] <= '3' && !optarg[1])
				o.method = optarg[0] - '0';
			else
				return cli_usage_error(&c, "--srtp-method: expected 0, 1, 2, 3 or none");
			break;
		case OPT_SETUP:
			if (strcmp(optarg, "active") && strcmp(optarg, "passive"))
				return cli_usage_error(&c, "--setup: expected active or passive");
			o.answer_passive = strcmp(optarg, "passive") == 0;
			break;
		case OPT_AUTH: {
			const char *colon = strchr(optarg, ':');
			size_t un = colon ? (size_t)(colon - optarg) : 0;
			if (!colon || un == 0 || un >= sizeof auth_user)
				return cli_usage_error(&c, "--auth: expected USER:PASS");
			memcpy(auth_user, optarg, un);
			auth_user[un] = '\0';
			o.auth_user = auth_user;
			o.auth_pass = colon + 1;
			break;
		}
		case OPT_CHALLENGE:
			if (!optarg[0] || strchr(optarg, '"') || strchr(optarg, '\\'))
				return cli_usage_error(&c, "--challenge: a realm without quotes or backslashes");
			o.challenge_realm = optarg;
			break;
		case OPT_CHALLENGE_ALG:
			if (strcmp(optarg, "md5") != 0 && strcmp(optarg, "sha-256") != 0)
				return cli_usage_error(&c, "--challenge-algorithm: expected md5 or sha-256");
			o.challenge_sha256 = strcmp(optarg, "sha-256") == 0;
			break;
		case OPT_CHALLENGE_PROXY: o.challenge_proxy = true; break;
		case OPT_REINVITE_AT:
			if (strcmp(optarg, "never") == 0)
				o.reinvite_at = -1;
			else if (!parse_double(optarg, 0.001, 86400, &o.reinvite_at))
				return cli_usage_error(&c, "--reinvite-at: seconds or never");
			break;
		case OPT_RTCP_MUX:
			if (strcmp(optarg, "on") && strcmp(optarg, "off"))
				return cli_usage_error(&c, "--rtcp-mux: expected on or off");
			o.no_rtcp_mux = strcmp(optarg, "off") == 0;
			break;
		case OPT_CANCEL_AFTER:
			if (!parse_double(optarg, 0.001, 3600, &o.cancel_after))
				return cli_usage_error(&c, "--cancel-after: seconds");
			break;
		case OPT_ANSWER_AFTER:
			if (!parse_double(optarg, 0, 3600, &o.answer_after))
				return cli_usage_error(&c, "--answer-after: seconds");
			break;
		case OPT_EXPECT_CANCEL: o.expect_cancel = true; break;
		case OPT_LATE_OFFER: o.late_offer = true; break;
		case OPT_KEYLOG_OUT: o.keylog_out = optarg; break;
		case OPT_JSON: json = optarg; break;
		case OPT_JUNIT: junit = optarg; break;
		case OPT_MAXDUR:
			if (!parse_double(optarg, 0.1, 86400, &o.max_duration))
				return cli_usage_error(&c, "--max-duration: seconds between 0.1 and 86400");
			break;
		case 'k':
			if (cli_keys_add_keylog(&c, &keys, optarg) != EXIT_CLEAN)
				goto out;
			break;
		case OPT_SRTP_KEY:
			if (cli_keys_add_spec(&c, &keys, optarg) != EXIT_CLEAN)
				goto out;
			break;
		case OPT_PORT_FILE: o.port_file = optarg; break;
		case OPT_T1:
			if (!parse_double(optarg, 10, 10000, &d))
				return cli_usage_error(&c, "--sip-t1: milliseconds between 10 and 10000");
			o.t1_ms = (unsigned)d;
			break;
		case OPT_LINGER:
			if (!parse_double(optarg, 0, 60, &o.linger))
				return cli_usage_error(&c, "--linger: seconds between 0 and 60");
			break;
		case OPT_PACING:
			if (!parse_double(optarg, 0, 10000, &o.pacing_tolerance_ms))
				return cli_usage_error(&c, "--pacing-tolerance: milliseconds");
			break;
		case OPT_FAULT:
			if (strcmp(optarg, "wrong-fingerprint") == 0)
				o.fault = REPLAY_FAULT_WRONG_FINGERPRINT;
			else if (strcmp(optarg, "silent") == 0)
				o.fault = REPLAY_FAULT_SILENT;
			else
				return cli_usage_error(&c, "--fault: expected wrong-fingerprint or silent");
			break;
		case OPT_DTLS_CLOSE:
			if (strcmp(optarg, "after-export") == 0)
				o.dtls_close = REPLAY_CLOSE_AFTER_EXPORT;
			else if (strcmp(optarg, "at-end") == 0)
				o.dtls_close = REPLAY_CLOSE_AT_END;
			else if (strcmp(optarg, "never") == 0)
				o.dtls_close = REPLAY_CLOSE_NEVER;
			else
				return cli_usage_error(&c, "--dtls-close: expected after-export, at-end or never");
			break;
		case 'q': c.quiet = true; break;
		case 'v': c.verbose = true; break;
		case 'h':
			replay_help(stdout, prog);
			return EXIT_CLEAN;
		default:
			return cli_usage_error(&c, "unknown option");
		}
	}
	if (optind + 1 != argc) {
		rc = cli_usage_error(&c, "expected exactly one capture file");
		goto out;
	}
	/* Safety: no traffic without an explicit target. */
	if (!target) {
		rc = cli_usage_error(&c, "--target HOST[:PORT] is required: replay sends nothing without it");
		goto out;
	}
	if (!split_hostport(target, thost, sizeof thost, &o.target_port)) {
		rc = cli_usage_error(&c, "--target: expected HOST[:PORT] or [IPv6]:PORT, not '%s'", target);
		goto out;
	}
	if (!resolve_host(&c, "--target", thost, sizeof thost)) {
		rc = EXIT_USAGE;
		goto out;
	}
	if (o.challenge_realm && (!o.auth_user || o.side != PARTY_CALLEE)) {
		rc = cli_usage_error(&c, "--challenge needs --as uas and the --auth USER:PASS to expect");
		goto out;
	}
	if ((o.cancel_after > 0 || o.late_offer) && o.side != PARTY_CALLER) {
		rc = cli_usage_error(&c, "--cancel-after and --late-offer are for --as uac");
		goto out;
	}
	if ((o.answer_after > 0 || o.expect_cancel) && o.side != PARTY_CALLEE) {
		rc = cli_usage_error(&c, "--answer-after and --expect-cancel are for --as uas");
		goto out;
	}
	if (listen) {
		if (!split_hostport(listen, lhost, sizeof lhost, &o.listen_port)) {
			rc = cli_usage_error(&c, "--listen: expected ADDR[:PORT], not '%s'", listen);
			goto out;
		}
	} else if (is_loopback(thost)) {
		snprintf(lhost, sizeof lhost, "%s", strchr(thost, ':') ? "::1" : "127.0.0.1");
	} else {
		rc = cli_usage_error(&c, "--listen ADDR[:PORT] is required when the target is not on loopback");
		goto out;
	}
	o.target_host = thost;
	o.listen_host = lhost;
	o.verbose = c.verbose;
	if (!c.quiet) {
		o.log = log_line;
		o.log_ctx = &c;
	}
	replay_plan_init(&plan, call ? call : "", o.side);
	plan_init = true;
	rc = cli_run_decrypting(&c, argv + optind, 1, &keys, true, replay_plan_on_frame, NULL,
				&plan, &p);
	if (rc != EXIT_CLEAN)
		goto out;
	if (!call) {
		const struct result *r = pipeline_result(p);
		size_t n = r->calls ? call_table_count(r->calls) : 0;
		if (n != 1) {
			rc = cli_usage_error(&c, "the capture has %zu calls: choose one with --call (see '%s calls')",
					     n, prog);
			goto out;
		}
		if (!plan.call_id[0])
			snprintf(plan.call_id, sizeof plan.call_id, "%s", call_table_at(r->calls, 0)->call_id);
	}
	if (replay_plan_finish(&plan, pipeline_result(p)) != SA_OK) {
		rc = cli_usage_error(&c, "call '%s' is not in the capture (see '%s calls')", plan.call_id, prog);
		goto out;
	}
	if (o.method == REPLAY_METHOD_CAPTURE)
		o.method = o.side == PARTY_CALLER ? plan.offer_method : plan.answer_method;
	if (!c.quiet)
		fprintf(stderr, "srtpaudit replay: call %s: %zu RTP packets of the %s to replay%s\n",
			plan.call_id, plan.n, party_name(o.side),
			plan.dropped ? " (some dropped at the caps)" : "");
	if (replay_run(&plan, &o, &res) == SA_NOMEM) {
		fprintf(stderr, "%s replay: out of memory\n", prog);
		rc = EXIT_USAGE;
		goto out;
	}
	rc = run_reports(&c, &res, argv[optind], plan.call_id,
			 o.side == PARTY_CALLER ? "uac" : "uas", json, junit);
	if (rc == EXIT_CLEAN)
		rc = replay_exit_status(&res);
	if (res.abort && !c.quiet)
		fprintf(stderr, "%s replay: %s: %s\n", prog, replay_abort_name(res.abort), res.abort_msg);
out:
	if (plan_init)
		replay_plan_cleanup(&plan);
	pipeline_free(p);
	cli_keys_cleanup(&keys);
	return rc;
}
