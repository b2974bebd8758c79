/* test_pcapng_dsb.c - CUnit suite for pcapng_dsb.h (key logs embedded in
 * pcapng Decryption Secrets Blocks). */
#include <CUnit/CUnit.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "keylog.h"
#include "pcapng_dsb.h"
#include "text.h"

#define CR1 "9be49c50e2f95dea155837afc0591886dcc95ec6522f88cd8729468bbfffab95"
#define MS1 "88bcbc669662d47b02e491364bd66a218660b4c587f6680d656003aab08a3cce3061033e1f51bfdd634dc5331d7abcc3"
#define CR2 "f0f93edf856e6dcc615a4b01b7b62571a09260e9d9e2450f9fefa468d232bd1f"
#define MS2 "4d8584fdf8da6a639663d2519c7ff1ef7eadc15198b5e73c970e9ea4d62f0cb0e485f48dc69cc55279498305085fdec7"
#define CR3 "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20"
#define MS3 "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecf"
#define KEYLOG12 "# injected\nCLIENT_RANDOM " CR1 " " MS1 "\nCLIENT_RANDOM " CR2 " " MS2 "\n"
#define KEYLOG3 "CLIENT_RANDOM " CR3 " " MS3 /* no final newline, 1 pad octet */

static char last_msg[1100];
static int n_msgs;
static char tmpdir[64];

static void cap_diag(void *ctx, enum diag_level level, const char *file, uint64_t frame,
		     const char *msg)
{
	(void)ctx; (void)level; (void)frame;
	snprintf(last_msg, sizeof last_msg, "%s: %s", file ? file : "-", msg);
	n_msgs++;
}

static struct diag_sink sink = { cap_diag, NULL };

/* ---- building pcapng by hand ---- */

struct buf {
	uint8_t b[4096];
	size_t n;
	int be;
};

static void put8(struct buf *b, uint8_t v)
{
	CU_ASSERT_FATAL(b->n < sizeof b->b);
	b->b[b->n++] = v;
}

static void put16(struct buf *b, uint16_t v)
{
	if (b->be) {
		put8(b, (uint8_t)(v >> 8));
		put8(b, (uint8_t)v);
	} else {
		put8(b, (uint8_t)v);
		put8(b, (uint8_t)(v >> 8));
	}
}

static void put32(struct buf *b, uint32_t v)
{
	if (b->be) {
		put16(b, (uint16_t)(v >> 16));
		put16(b, (uint16_t)v);
	} else {
		put16(b, (uint16_t)v);
		put16(b, (uint16_t)(v >> 16));
	}
}

static void put_bytes(struct buf *b, const void *p, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		put8(b, ((const uint8_t *)p)[i]);
	while (b->n % 4)
		put8(b, 0); /* pad to 32 bits */
}

static void shb(struct buf *b, int be, uint16_t major)
{
	b->be = be;
	put32(b, PCAPNG_BT_SHB);
	put32(b, 28);
	put32(b, PCAPNG_BYTE_ORDER_MAGIC);
	put16(b, major);
	put16(b, 0);
	put32(b, 0xffffffffu); /* section length -1 */
	put32(b, 0xffffffffu);
	put32(b, 28);
}

static void idb(struct buf *b)
{
	put32(b, 1);
	put32(b, 20);
	put16(b, 1);  /* LINKTYPE_ETHERNET */
	put16(b, 0);
	put32(b, 65535);
	put32(b, 20);
}

static void dsb(struct buf *b, uint32_t type, const char *text)
{
	size_t len = strlen(text), total = 12 + 8 + ((len + 3) & ~(size_t)3);
	put32(b, PCAPNG_BT_DSB);
	put32(b, (uint32_t)total);
	put32(b, type);
	put32(b, (uint32_t)len);
	put_bytes(b, text, len);
	put32(b, (uint32_t)total);
}

static void epb(struct buf *b, size_t caplen)
{
	uint8_t data[64];
	size_t total = 12 + 20 + ((caplen + 3) & ~(size_t)3);
	memset(data, 0xab, sizeof data);
	put32(b, 6);
	put32(b, (uint32_t)total);
	put32(b, 0);
	put32(b, 0x0005e000);
	put32(b, 0x12345678);
	put32(b, (uint32_t)caplen);
	put32(b, (uint32_t)caplen);
	put_bytes(b, data, caplen);
	put32(b, (uint32_t)total);
}

static void build_file(struct buf *b, int be)
{
	memset(b, 0, sizeof *b);
	shb(b, be, 1);
	idb(b);
	dsb(b, PCAPNG_SECRETS_TLS, KEYLOG12);
	epb(b, 42);
	epb(b, 60);
}

static enum sa_status scan(const uint8_t *p, size_t n, struct keylog *kl,
			   struct pcapng_dsb_stats *st)
{
	FILE *f = fmemopen((void *)p, n ? n : 1, "rb");
	enum sa_status s;
	CU_ASSERT_FATAL(f != NULL);
	if (n == 0) {
		/* fmemopen refuses size 0: consume the one byte of a 1-byte view. */
		(void)fgetc(f);
	}
	s = pcapng_dsb_read_stream(f, "mem.pcapng", kl, &sink, st);
	fclose(f);
	return s;
}

static bool has_secret(const struct keylog *kl, const char *cr_hex, const char *ms_hex)
{
	uint8_t cr[KEYLOG_RANDOM_LEN], ms[KEYLOG_SECRET_LEN];
	const uint8_t *got;
	size_t n;
	if (!sv_hex_decode(sv_cstr(cr_hex), cr, sizeof cr, &n) || n != sizeof cr ||
	    !sv_hex_decode(sv_cstr(ms_hex), ms, sizeof ms, &n) || n != sizeof ms)
		return false;
	return keylog_find(kl, cr, &got) && memcmp(got, ms, sizeof ms) == 0;
}

static void test_both_byte_orders(void)
{
	int be;
	for (be = 0; be <= 1; be++) {
		struct buf b;
		struct keylog *kl = keylog_new();
		struct pcapng_dsb_stats st;
		CU_ASSERT_FATAL(kl != NULL);
		build_file(&b, be);
		CU_ASSERT_EQUAL(b.b[8], be ? 0x1a : 0x4d); /* the magic really flipped */
		CU_ASSERT_EQUAL(scan(b.b, b.n, kl, &st), SA_OK);
		CU_ASSERT_EQUAL(st.is_pcapng, 1);
		CU_ASSERT_EQUAL(st.sections, 1);
		CU_ASSERT_EQUAL(st.blocks, 5);
		CU_ASSERT_EQUAL(st.dsb_tls, 1);
		CU_ASSERT_EQUAL(st.secret_bytes, strlen(KEYLOG12));
		CU_ASSERT_EQUAL(keylog_count(kl), 2);
		CU_ASSERT_TRUE(has_secret(kl, CR1, MS1));
		CU_ASSERT_TRUE(has_secret(kl, CR2, MS2));
		CU_ASSERT_FALSE(has_secret(kl, CR3, MS3));
		keylog_free(kl);
	}
}

static void test_two_sections(void)
{
	struct buf b;
	struct keylog *kl = keylog_new();
	struct pcapng_dsb_stats st;
	CU_ASSERT_FATAL(kl != NULL);
	memset(&b, 0, sizeof b);
	shb(&b, 0, 1);
	idb(&b);
	dsb(&b, PCAPNG_SECRETS_TLS, KEYLOG12);
	epb(&b, 10);
	shb(&b, 1, 1); /* second section, other byte order */
	idb(&b);
	epb(&b, 11);
	dsb(&b, 0x57474b4cu, "WireGuard secrets"); /* ignored with a note */
	dsb(&b, PCAPNG_SECRETS_TLS, KEYLOG3);
	n_msgs = 0;
	CU_ASSERT_EQUAL(scan(b.b, b.n, kl, &st), SA_OK);
	CU_ASSERT_EQUAL(st.sections, 2);
	CU_ASSERT_EQUAL(st.dsb_tls, 2);
	CU_ASSERT_EQUAL(st.dsb_other, 1);
	CU_ASSERT_EQUAL(keylog_count(kl), 3);
	CU_ASSERT_TRUE(has_secret(kl, CR3, MS3));
	CU_ASSERT_EQUAL(n_msgs, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(last_msg, "0x57474b4c"));
	CU_ASSERT_PTR_NOT_NULL(strstr(last_msg, "WireGuard"));
	keylog_free(kl);
}

static void test_not_pcapng(void)
{
	static const uint8_t pcap_hdr[24] = { 0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0 };
	static const uint8_t text[] = "CLIENT_RANDOM not a capture\n";
	struct keylog *kl = keylog_new();
	struct pcapng_dsb_stats st;
	CU_ASSERT_FATAL(kl != NULL);
	CU_ASSERT_EQUAL(scan(pcap_hdr, sizeof pcap_hdr, kl, &st), SA_OK);
	CU_ASSERT_EQUAL(st.is_pcapng, 0);
	CU_ASSERT_EQUAL(st.blocks, 0);
	CU_ASSERT_EQUAL(scan(text, sizeof text - 1, kl, &st), SA_OK);
	CU_ASSERT_EQUAL(st.is_pcapng, 0);
	CU_ASSERT_EQUAL(scan(pcap_hdr, 3, kl, &st), SA_OK);
	CU_ASSERT_EQUAL(scan(pcap_hdr, 0, kl, &st), SA_OK);
	CU_ASSERT_EQUAL(st.blocks, 0);
	CU_ASSERT_EQUAL(keylog_count(kl), 0);
	keylog_free(kl);
}

static void test_truncated(void)
{
	struct buf b;
	struct pcapng_dsb_stats st;
	size_t cut, dsb_end = 28 + 20 + 20 + ((sizeof KEYLOG12 - 1 + 3) & ~(size_t)3);
	enum sa_status s;

	build_file(&b, 0);
	for (cut = 1; cut < b.n; cut++) {
		struct keylog *kl = keylog_new();
		CU_ASSERT_FATAL(kl != NULL);
		s = scan(b.b, cut, kl, &st);
		if (cut < 8) {
			CU_ASSERT_EQUAL(s, SA_OK); /* too short to be pcapng at all */
		} else if (cut == 28 || cut == 48 || cut == dsb_end ||
			   cut == dsb_end + 12 + 20 + 44) {
			CU_ASSERT_EQUAL(s, SA_OK); /* on a block boundary */
		} else {
			CU_ASSERT_EQUAL(s, SA_TRUNCATED);
		}
		/* Secrets read before the cut stay. */
		CU_ASSERT_EQUAL(keylog_count(kl), cut >= dsb_end ? 2u : 0u);
		keylog_free(kl);
	}
}

static void expect_bad(struct buf *b, size_t at, uint8_t val, enum sa_status want,
		       const char *msg_part)
{
	struct keylog *kl = keylog_new();
	struct pcapng_dsb_stats st;
	CU_ASSERT_FATAL(kl != NULL);
	b->b[at] = val;
	n_msgs = 0;
	CU_ASSERT_EQUAL(scan(b->b, b->n, kl, &st), want);
	CU_ASSERT_EQUAL(n_msgs, 1);
	if (!strstr(last_msg, msg_part))
		fprintf(stderr, "\nunexpected message: %s\n", last_msg);
	CU_ASSERT_PTR_NOT_NULL(strstr(last_msg, msg_part));
	keylog_free(kl);
}

static void test_garbage(void)
{
	struct buf b;
	struct keylog *kl;
	struct pcapng_dsb_stats st;

	/* Trailing length of the IDB differs from the leading one. */
	build_file(&b, 0);
	expect_bad(&b, 28 + 16, 24, SA_MALFORMED, "trailing length 24 differs from the leading 20");
	/* IDB total length not a multiple of 4. */
	build_file(&b, 0);
	expect_bad(&b, 28 + 4, 21, SA_MALFORMED, "total length 21");
	/* Bad byte-order magic. */
	build_file(&b, 1);
	expect_bad(&b, 8, 0x99, SA_MALFORMED, "byte-order magic 992b3c4d");
	/* Major version 2. */
	build_file(&b, 0);
	expect_bad(&b, 12, 2, SA_UNSUPPORTED, "major version 2");
	/* Secrets length larger than its block (LE: offset 48 + 12). */
	build_file(&b, 0);
	expect_bad(&b, 48 + 13, 0x10, SA_MALFORMED, "exceeds the block");
	/* An SHB shorter than 28 octets. */
	build_file(&b, 0);
	b.b[4] = 24;
	b.b[24] = 24;
	expect_bad(&b, 4, 24, SA_MALFORMED, "at least 28 expected");
	/* A DSB too short to hold its own header (total 16). */
	memset(&b, 0, sizeof b);
	shb(&b, 0, 1);
	put32(&b, PCAPNG_BT_DSB);
	put32(&b, 16);
	put32(&b, PCAPNG_SECRETS_TLS);
	put32(&b, 16);
	expect_bad(&b, 0, 0x0a, SA_MALFORMED, "at least 20 expected");
	/* A block length pointing far past the end: truncated, not a crash. */
	build_file(&b, 1);
	kl = keylog_new();
	CU_ASSERT_FATAL(kl != NULL);
	b.b[28 + 4] = 0x7f; /* BE IDB total length 0x7f000014 */
	CU_ASSERT_EQUAL(scan(b.b, b.n, kl, &st), SA_TRUNCATED);
	keylog_free(kl);
}

static void test_mutations(void)
{
	/* Every single-byte corruption of the file gives one of the documented
	 * statuses and never reads out of bounds (run under ASan in CI). */
	struct buf good, b;
	size_t i;
	unsigned seed = 12345;
	int ok = 0, bad = 0;
	build_file(&good, 0);
	for (i = 0; i < good.n * 3; i++) {
		struct keylog *kl = keylog_new();
		enum sa_status s;
		CU_ASSERT_FATAL(kl != NULL);
		b = good;
		seed = seed * 1103515245u + 12345u;
		b.b[i % good.n] ^= (uint8_t)(1u << ((seed >> 16) % 8));
		s = scan(b.b, b.n, kl, NULL);
		CU_ASSERT(s == SA_OK || s == SA_MALFORMED || s == SA_TRUNCATED ||
			  s == SA_UNSUPPORTED);
		if (s == SA_OK)
			ok++;
		else
			bad++;
		keylog_free(kl);
	}
	CU_ASSERT(ok > 0);
	CU_ASSERT(bad > 0);
}

static int write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	if (fwrite(p, 1, n, f) != n) {
		fclose(f);
		return -1;
	}
	return fclose(f);
}

static void test_file_api(void)
{
	struct buf b;
	char path[128];
	struct keylog *kl = keylog_new();
	size_t n = 99;
	CU_ASSERT_FATAL(kl != NULL);
	build_file(&b, 1);
	snprintf(path, sizeof path, "%s/be.pcapng", tmpdir);
	CU_ASSERT_FATAL(write_file(path, b.b, b.n) == 0);
	CU_ASSERT_EQUAL(pcapng_dsb_read(path, kl, &sink, &n), SA_OK);
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT_EQUAL(keylog_count(kl), 2);
	unlink(path);

	n_msgs = 0;
	CU_ASSERT_EQUAL(pcapng_dsb_read(path, kl, &sink, &n), SA_IO);
	CU_ASSERT_EQUAL(n, 0);
	CU_ASSERT_EQUAL(n_msgs, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(last_msg, "be.pcapng"));
	CU_ASSERT_EQUAL(pcapng_dsb_read("-", kl, &sink, &n), SA_UNSUPPORTED);
	keylog_free(kl);
}

/* ---- a real capture with secrets injected by editcap ---- */

static int run_editcap(const char *keylog, const char *in, const char *out)
{
	char arg[256];
	pid_t pid;
	int status;
	snprintf(arg, sizeof arg, "tls,%s", keylog);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		char *argv[] = { "editcap", "--inject-secrets", arg, (char *)in, (char *)out, NULL };
		int devnull = open("/dev/null", O_WRONLY);
		if (devnull >= 0) {
			dup2(devnull, 1);
			dup2(devnull, 2);
		}
		execvp("editcap", argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static void test_editcap_real(void)
{
	const char *top = getenv("top_srcdir");
	char dir[512], in[1024], keylog[128], out[128];
	struct keylog *kl;
	struct pcapng_dsb_stats st;
	struct dirent *de;
	DIR *d;
	FILE *f;
	size_t n = 0;
	int rc = 0, checked = 0;

	snprintf(dir, sizeof dir, "%s/fixtures/real", top ? top : ".");
	d = opendir(dir);
	if (!d) {
		fprintf(stderr, "(no %s: editcap test skipped) ", dir);
		return;
	}
	snprintf(keylog, sizeof keylog, "%s/keys.log", tmpdir);
	CU_ASSERT_FATAL(write_file(keylog, KEYLOG12 KEYLOG3 "\n",
				   sizeof(KEYLOG12 KEYLOG3 "\n") - 1) == 0);
	snprintf(out, sizeof out, "%s/injected.pcapng", tmpdir);
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);
		if (l < 7 || strcmp(de->d_name + l - 7, ".pcapng") != 0)
			continue;
		snprintf(in, sizeof in, "%s/%s", dir, de->d_name);
		/* The capture as committed has no secrets. */
		kl = keylog_new();
		CU_ASSERT_FATAL(kl != NULL);
		f = fopen(in, "rb");
		CU_ASSERT_FATAL(f != NULL);
		CU_ASSERT_EQUAL(pcapng_dsb_read_stream(f, in, kl, &sink, &st), SA_OK);
		fclose(f);
		CU_ASSERT_EQUAL(st.is_pcapng, 1);
		CU_ASSERT(st.blocks > 3);
		CU_ASSERT_EQUAL(st.dsb_tls, 0);
		keylog_free(kl);

		rc = run_editcap(keylog, in, out);
		if (rc == 127) {
			fprintf(stderr, "(editcap not found: injected-secrets test skipped) ");
			break;
		}
		CU_ASSERT_EQUAL_FATAL(rc, 0);
		kl = keylog_new();
		CU_ASSERT_FATAL(kl != NULL);
		n_msgs = 0;
		CU_ASSERT_EQUAL(pcapng_dsb_read(out, kl, &sink, &n), SA_OK);
		CU_ASSERT_EQUAL(n, 1);
		CU_ASSERT_EQUAL(keylog_count(kl), 3);
		CU_ASSERT_TRUE(has_secret(kl, CR1, MS1));
		CU_ASSERT_TRUE(has_secret(kl, CR2, MS2));
		CU_ASSERT_TRUE(has_secret(kl, CR3, MS3));
		CU_ASSERT_EQUAL(n_msgs, 0);
		keylog_free(kl);
		unlink(out);
		checked++;
	}
	closedir(d);
	unlink(keylog);
	if (rc != 127)
		CU_ASSERT(checked >= 1);
}

static int suite_init(void)
{
	strcpy(tmpdir, "/tmp/test_pcapng_dsb.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int suite_cleanup(void)
{
	return rmdir(tmpdir);
}

#define SUITE_INIT suite_init
#define SUITE_CLEANUP suite_cleanup

static const CU_TestInfo tests[] = {
	{ "both byte orders", test_both_byte_orders },
	{ "two sections, other secret types", test_two_sections },
	{ "not pcapng", test_not_pcapng },
	{ "truncated at every offset", test_truncated },
	{ "garbage blocks", test_garbage },
	{ "single-bit mutations", test_mutations },
	{ "file API, stdin, missing file", test_file_api },
	{ "editcap --inject-secrets on real captures", test_editcap_real },
	CU_TEST_INFO_NULL,
};

#define SUITE_NAME "pcapng_dsb"
#include "cu_main.h"
