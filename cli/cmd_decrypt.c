/* cmd_decrypt.c - srtpaudit decrypt: every input frame to OUT.pcap, SRTP
 * and SRTCP that decrypted as plain RTP/RTCP; G.711 streams as WAV. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "calls.h"
#include "capture.h"
#include "cli.h"
#include "pcap_out.h"
#include "pipeline.h"
#include "report.h"
#include "srtp_stream.h"
#include "streams.h"
#include "wav.h"

static void decrypt_help(FILE *out, const char *prog)
{
	fprintf(out,
		"Usage: %s decrypt [OPTIONS] CAPTURE... -o OUT.pcap\n"
		"Decrypt the SRTP and SRTCP of every call in one pass per capture, keyed from\n"
		"the capture itself (SDES a=crypto, DTLS-SRTP handshakes with a key log),\n"
		"and write every input frame to OUT.pcap, in order: decrypted packets become\n"
		"plain RTP/RTCP (tag and MKI removed, lengths and checksums fixed), all\n"
		"else is copied unchanged.\n\n"
		"Options:\n"
		"  -o, --output FILE      the decrypted capture (required)\n"
		"  -k, --keylog FILE      NSS key log (CLIENT_RANDOM lines); repeatable; key\n"
		"                         logs inside pcapng (editcap --inject-secrets) are read too\n"
		"      --srtp-key SPEC    SUITE:KEY[@SRC-DST|@ENDPOINT|@ssrc=N]; repeatable\n"
		"      --wav-dir DIR      write each G.711 stream as an 8 kHz WAV file there\n"
		"      --json FILE|-      the JSON report (streams with their counters)\n"
		"      --show-keys        include the keys used in the JSON report\n"
		"      --engine NAME      SRTP engine: fast (OpenSSL, default) or libsrtp\n"
		"  -q, --quiet            only errors on standard error\n"
		"  -v, --verbose          more detail\n"
		"  -h, --help             this text\n\n"
		"Exit status: 0 written (see the summary for streams that did not decrypt),\n"
		"2 usage error or unreadable input.\n",
		prog);
}

enum { OPT_SRTP_KEY = 256, OPT_WAV_DIR, OPT_JSON, OPT_SHOW_KEYS, OPT_ENGINE };

struct dec_ctx {
	struct cli_ctx *c;
	const char *out_path;
	struct pcap_out *out;
	int linktype;
	bool failed;
	uint64_t written, decrypted, skipped_link;
	const char *wav_dir;
	const struct result *r;   /* for WAV names: not known during the pass */
	uint64_t wav_files;
};

struct wav_state {
	struct wav_writer *w;
	uint32_t next_ts;     /* expected RTP timestamp of the next packet */
	bool started;
	bool failed;
};

static void safe_name(const char *in, char *out, size_t cap)
{
	size_t i, o = 0;
	for (i = 0; in[i] && o + 1 < cap && o < 48; i++) {
		char ch = in[i];
		bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			  (ch >= '0' && ch <= '9') || ch == '-' || ch == '.';
		out[o++] = ok ? ch : '_';
	}
	out[o] = '\0';
}

static void wav_packet(struct dec_ctx *d, struct stream *s, const char *call_id,
		       const uint8_t *rtp, size_t len)
{
	struct wav_state *ws = s->user;
	uint8_t pt;
	size_t hdr;
	uint32_t ts;
	if (len < 12)
		return;
	pt = rtp[1] & 0x7f;
	if (pt != 0 && pt != 8)
		return; /* only G.711 (RFC 3551: 0 PCMU, 8 PCMA) */
	hdr = 12 + 4u * (rtp[0] & 0x0f);
	if (rtp[0] & 0x10) { /* header extension, RFC 3550 §5.3.1 */
		if (len < hdr + 4)
			return;
		hdr += 4 + 4u * (size_t)(rtp[hdr + 2] << 8 | rtp[hdr + 3]);
	}
	if (len <= hdr)
		return;
	if (rtp[0] & 0x20) { /* padding */
		size_t pad = rtp[len - 1];
		if (pad > len - hdr)
			return;
		len -= pad;
	}
	ts = (uint32_t)rtp[4] << 24 | (uint32_t)rtp[5] << 16 | (uint32_t)rtp[6] << 8 | rtp[7];
	if (!ws) {
		char name[512], who[64], file[600];
		ws = calloc(1, sizeof *ws);
		if (!ws)
			return;
		s->user = ws;
		if (call_id) {
			safe_name(call_id, who, sizeof who);
			snprintf(name, sizeof name, "%s_m%ld_%s", who, s->media, party_name(s->sender));
		} else {
			char a[SA_ENDPOINT_STRLEN], b[SA_ENDPOINT_STRLEN];
			safe_name(endpoint_format(&s->src, a, sizeof a), who, sizeof who);
			safe_name(endpoint_format(&s->dst, b, sizeof b), a, sizeof a);
			snprintf(name, sizeof name, "%s_to_%s", who, a);
		}
		snprintf(file, sizeof file, "%s/%s_%08x.wav", d->wav_dir, name, s->ssrc);
		if (wav_open(file, &ws->w, &d->c->sink) != SA_OK) {
			ws->failed = true;
			return;
		}
		d->wav_files++;
	}
	if (ws->failed || !ws->w)
		return;
	/* Timestamp gaps (lost packets, silence suppression) become silence,
	 * at most 10 s at a time. */
	if (ws->started) {
		uint32_t gap = ts - ws->next_ts;
		if (gap > 0 && gap < 80000)
			(void)wav_write_silence(ws->w, gap);
	}
	(void)wav_write_g711(ws->w, pt == 0 ? G711_ULAW : G711_ALAW, rtp + hdr, len - hdr);
	ws->next_ts = ts + (uint32_t)(len - hdr);
	ws->started = true;
}

static void on_frame(void *ctx, const struct frame_out *fo)
{
	struct dec_ctx *d = ctx;
	if (d->failed)
		return;
	if (!d->out) {
		char err[256];
		d->linktype = fo->frame->linktype;
		d->out = pcap_out_open(d->out_path, d->linktype, err, sizeof err);
		if (!d->out) {
			fprintf(stderr, "%s decrypt: %s: cannot write: %s\n", d->c->prog,
				d->out_path, err);
			d->failed = true;
			return;
		}
	}
	if (fo->frame->linktype != d->linktype) {
		d->skipped_link++;
		return;
	}
	pcap_out_write(d->out, fo->frame->ts_ns, fo->data, fo->caplen, fo->len);
	d->written++;
	d->decrypted += fo->decrypted;
	if (d->wav_dir && fo->stream && fo->rtp)
		wav_packet(d, fo->stream, fo->call_id, fo->rtp, fo->rtp_len);
}

/* on_learn - the first pass met signalling or DTLS and became a learning
 * pass: forget what was written; the second pass writes every frame. */
static void on_learn(void *ctx)
{
	struct dec_ctx *d = ctx;
	if (d->out)
		(void)pcap_out_close(d->out);
	d->out = NULL;
	d->written = d->decrypted = d->skipped_link = 0;
}

/* rewritable - an output that on_learn can start again: a regular or new
 * file, or the null device.  Not standard output, a pipe or a socket. */
static bool rewritable(const char *path)
{
	struct stat st, null;
	if (strcmp(path, "-") == 0)
		return false;
	if (stat(path, &st) != 0)
		return errno == ENOENT;
	if (S_ISREG(st.st_mode))
		return true;
	return S_ISCHR(st.st_mode) && stat("/dev/null", &null) == 0 && S_ISCHR(null.st_mode) &&
	       st.st_rdev == null.st_rdev;
}

static void close_wav(void *ctx, struct stream *s)
{
	struct wav_state *ws = s->user;
	(void)ctx;
	if (!ws)
		return;
	if (ws->w)
		(void)wav_close(ws->w);
	free(ws);
	s->user = NULL;
}

struct summary {
	FILE *out;
	uint64_t streams, ok, failed, nokey;
};

static void summarize(void *ctx, const struct stream *s)
{
	struct summary *sm = ctx;
	char a[SA_ENDPOINT_STRLEN], b[SA_ENDPOINT_STRLEN];
	sm->streams++;
	if (s->decrypted)
		sm->ok++;
	else if (s->auth_failures)
		sm->failed++;
	else if (s->no_key)
		sm->nokey++;
	if (s->decrypted == s->packets || s->plaintext == s->packets)
		return;
	fprintf(sm->out, "  %s 0x%08x %s -> %s: %" PRIu64 " packets, %" PRIu64 " decrypted, %"
		PRIu64 " auth failures, %" PRIu64 " without key%s%s\n",
		s->kind == SDEC_RTP ? "RTP" : "RTCP", s->ssrc,
		endpoint_format(&s->src, a, sizeof a), endpoint_format(&s->dst, b, sizeof b),
		s->packets, s->decrypted, s->auth_failures, s->no_key,
		s->ncand == 0 && s->miss ? ": " : "",
		s->ncand == 0 && s->miss ? key_miss_text(s->miss) : "");
}

int cmd_decrypt(int argc, char **argv, const char *prog)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "keylog", required_argument, NULL, 'k' },
		{ "srtp-key", required_argument, NULL, OPT_SRTP_KEY },
		{ "wav-dir", required_argument, NULL, OPT_WAV_DIR },
		{ "json", required_argument, NULL, OPT_JSON },
		{ "show-keys", no_argument, NULL, OPT_SHOW_KEYS },
		{ "engine", required_argument, NULL, OPT_ENGINE },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_ctx c;
	struct cli_keys keys;
	struct report_opts ropt;
	struct dec_ctx d;
	struct pipeline *p = NULL;
	const char *json = NULL;
	int opt, rc = EXIT_CLEAN;
	enum sdec_engine engine;

	cli_ctx_init(&c, prog, "decrypt");
	memset(&keys, 0, sizeof keys);
	memset(&d, 0, sizeof d);
	report_opts_init(&ropt);
	d.c = &c;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "o:k:qvh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'o': d.out_path = optarg; break;
		case 'k':
			if ((rc = cli_keys_add_keylog(&c, &keys, optarg)) != EXIT_CLEAN)
				goto out;
			break;
		case OPT_SRTP_KEY:
			if ((rc = cli_keys_add_spec(&c, &keys, optarg)) != EXIT_CLEAN)
				goto out;
			break;
		case OPT_WAV_DIR: d.wav_dir = optarg; break;
		case OPT_JSON: json = optarg; break;
		case OPT_SHOW_KEYS: ropt.show_keys = true; break;
		case OPT_ENGINE: /* SRTP engine (docs/bench.md); default fast */
			if (!sdec_engine_by_name(optarg, &engine)) {
				rc = cli_usage_error(&c, "--engine takes libsrtp or fast, not '%s'", optarg);
				goto out;
			}
			sdec_engine_set(engine);
			break;
		case 'q': c.quiet = true; break;
		case 'v': c.verbose = true; break;
		case 'h':
			decrypt_help(stdout, prog);
			rc = EXIT_CLEAN;
			goto out;
		default:
			rc = cli_usage_error(&c, "unknown option");
			goto out;
		}
	}
	if (optind >= argc) {
		rc = cli_usage_error(&c, "no capture file given; expected one or more pcap/pcapng files or '-'");
		goto out;
	}
	if (!d.out_path) {
		rc = cli_usage_error(&c, "no output given; expected -o OUT.pcap");
		goto out;
	}
	if (d.wav_dir && mkdir(d.wav_dir, 0755) != 0 && errno != EEXIST) {
		rc = cli_usage_error(&c, "--wav-dir %s: %s", d.wav_dir, strerror(errno));
		goto out;
	}
	/* One pass when the capture has no signalling and no DTLS (keys from
	 * --srtp-key only), if what was written can be started again. */
	rc = cli_run_decrypting(&c, argv + optind, (size_t)(argc - optind), &keys, true,
				on_frame, !d.wav_dir && rewritable(d.out_path) ? on_learn : NULL,
				&d, &p);
	if (rc != EXIT_CLEAN)
		goto out;
	d.r = pipeline_result(p);
	if (d.out && !pcap_out_close(d.out)) {
		fprintf(stderr, "%s decrypt: %s: write failed\n", prog, d.out_path);
		rc = EXIT_USAGE;
	}
	d.out = NULL;
	if (d.failed)
		rc = EXIT_USAGE;
	if (d.skipped_link)
		fprintf(stderr, "%s decrypt: %" PRIu64 " frames of a second link type were not "
			"written (decrypt such captures one at a time)\n", prog, d.skipped_link);
	if (json) {
		FILE *f = cli_open_output(&c, json, ropt.show_keys);
		ropt.pretty = true;
		if (!f || !report_json_write(d.r, &ropt, f) | !cli_close_output(&c, json, f))
			rc = EXIT_USAGE;
	}
	if (!c.quiet && !(json && strcmp(json, "-") == 0)) {
		struct summary sm = { stdout, 0, 0, 0, 0 };
		printf("%s: %" PRIu64 " frames written, %" PRIu64 " decrypted\n", d.out_path,
		       d.written, d.decrypted);
		if (d.r->streams)
			streams_foreach(d.r->streams, summarize, &sm);
		printf("%" PRIu64 " RTP/RTCP streams: %" PRIu64 " decrypted, %" PRIu64
		       " with keys that did not fit, %" PRIu64 " without keys%s\n",
		       sm.streams, sm.ok, sm.failed, sm.nokey,
		       d.wav_dir ? "" : "");
		if (d.wav_dir)
			printf("%" PRIu64 " WAV files in %s\n", d.wav_files, d.wav_dir);
	}
	if (d.r->streams)
		streams_foreach_mut((struct stream_table *)d.r->streams, close_wav, NULL);
	pipeline_free(p);
out:
	if (d.out)
		(void)pcap_out_close(d.out);
	cli_keys_cleanup(&keys);
	return rc;
}
