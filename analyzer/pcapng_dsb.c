/* pcapng_dsb.c - walk pcapng blocks, feed TLS key log DSBs to a key log.
 *
 * References are to draft-ietf-opsawg-pcapng (the pcapng specification):
 * §3.1 general block structure, §4.1 Section Header Block, §4.7 Decryption
 * Secrets Block and its secrets types registry.
 */
#include "pcapng_dsb.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "cursor.h"

enum rd { RD_OK, RD_EOF, RD_ERR };

struct walk {
	FILE *f;
	const char *name;
	const struct diag_sink *diag;
	struct keylog *kl;
	struct pcapng_dsb_stats *st;
	uint64_t off;      /* file offset of the next unread byte */
	bool be;           /* byte order of the current section */
};

/* read_exact - n bytes or nothing useful: RD_EOF when the stream ended
 * first, RD_ERR on a read error. */
static enum rd read_exact(struct walk *w, void *buf, size_t n)
{
	size_t got = fread(buf, 1, n, w->f);
	w->off += got;
	if (got == n)
		return RD_OK;
	return ferror(w->f) ? RD_ERR : RD_EOF;
}

#define READ_BUF (1u << 18) /* stdio buffer of pcapng_dsb_read */
#define SEEK_MIN 65536 /* shorter skips read through the stdio buffer */

/* skip - advance n bytes: seek forward for long skips when the stream
 * allows (a seek costs a system call; a packet block is better read through
 * the buffer), else read and drop.  Seeking past the end is caught by the
 * next read. */
static enum rd skip(struct walk *w, uint64_t n)
{
	uint8_t buf[4096];
	if (n == 0)
		return RD_OK;
	if (n >= SEEK_MIN && n <= (uint64_t)INT64_MAX &&
	    fseeko(w->f, (off_t)n, SEEK_CUR) == 0) {
		w->off += n;
		return RD_OK;
	}
	clearerr(w->f);
	while (n > 0) {
		size_t k = n < sizeof buf ? (size_t)n : sizeof buf;
		enum rd r = read_exact(w, buf, k);
		if (r != RD_OK)
			return r;
		n -= k;
	}
	return RD_OK;
}

static uint32_t get32(const struct walk *w, const uint8_t *p)
{
	struct cursor c = cursor_make(p, 4);
	uint32_t v = 0;
	bool ok = w->be ? cursor_u32be(&c, &v) : cursor_u32le(&c, &v);
	(void)ok; /* four bytes are always there */
	return v;
}

static enum sa_status fail(struct walk *w, enum rd r, uint64_t block_off, const char *what)
{
	if (r == RD_ERR) {
		diag_emit(w->diag, DIAG_ERROR, w->name, 0,
			  "cannot read pcapng block at offset %llu (%s): %s",
			  (unsigned long long)block_off, what, strerror(errno));
		return SA_IO;
	}
	diag_emit(w->diag, DIAG_WARNING, w->name, 0,
		  "pcapng file ends inside the block at offset %llu (%s); "
		  "decryption secrets after it are not read",
		  (unsigned long long)block_off, what);
	return SA_TRUNCATED;
}

static const char *secrets_type_name(uint32_t t)
{
	switch (t) {
	case 0x57474b4cu: return "WireGuard key log";
	case 0x5353484bu: return "SSH key log";
	case 0x5a4e574bu: return "ZigBee NWK key";
	case 0x5a415053u: return "ZigBee APS key";
	case 0x544c534bu: return "TLS key log";
	default: return "unknown";
	}
}

/* dsb - the body of a Decryption Secrets Block (§4.7): secrets type (32),
 * secrets length (32), the secrets padded to 32 bits, options.  body_len is
 * the block total length minus the 12 octets of type and both lengths.  A
 * TLS key log is returned in *text (malloc'd, *len octets) to be fed to the
 * key log once the block's trailing length has been checked; *text stays
 * NULL for other or capped secrets. */
static enum sa_status dsb(struct walk *w, uint64_t block_off, uint32_t body_len,
			  char **text, uint32_t *len_out)
{
	uint8_t hdr[8];
	uint32_t type, len;
	enum rd r;
	char *t;

	*text = NULL;
	if (body_len < 8) {
		diag_emit(w->diag, DIAG_ERROR, w->name, 0,
			  "pcapng Decryption Secrets Block at offset %llu is %u octets long: "
			  "at least 20 expected", (unsigned long long)block_off, body_len + 12);
		return SA_MALFORMED;
	}
	r = read_exact(w, hdr, sizeof hdr);
	if (r != RD_OK)
		return fail(w, r, block_off, "Decryption Secrets Block");
	type = get32(w, hdr);
	len = get32(w, hdr + 4);
	if (len > body_len - 8) {
		diag_emit(w->diag, DIAG_ERROR, w->name, 0,
			  "pcapng Decryption Secrets Block at offset %llu: secrets length %u "
			  "exceeds the block (%u octets of body)",
			  (unsigned long long)block_off, len, body_len - 8);
		return SA_MALFORMED;
	}
	if (type != PCAPNG_SECRETS_TLS) {
		w->st->dsb_other++;
		diag_emit(w->diag, DIAG_NOTE, w->name, 0,
			  "pcapng Decryption Secrets Block at offset %llu holds secrets of type "
			  "0x%08x (%s), not a TLS key log: ignored",
			  (unsigned long long)block_off, type, secrets_type_name(type));
		len = 0;
	} else if (len > PCAPNG_DSB_MAX_SECRET ||
		   w->st->secret_bytes + len > PCAPNG_DSB_MAX_TOTAL) {
		w->st->dsb_capped++;
		diag_emit(w->diag, DIAG_WARNING, w->name, 0,
			  "pcapng TLS key log block at offset %llu (%u octets) is over the "
			  "%u MiB limit for embedded secrets: skipped; pass the key log "
			  "with --keylog instead", (unsigned long long)block_off, len,
			  (unsigned)((w->st->secret_bytes + len > PCAPNG_DSB_MAX_TOTAL ?
				      PCAPNG_DSB_MAX_TOTAL : PCAPNG_DSB_MAX_SECRET) >> 20));
		len = 0;
	} else {
		t = malloc(len ? len : 1);
		if (!t)
			return SA_NOMEM;
		r = read_exact(w, t, len);
		if (r != RD_OK) {
			free(t);
			return fail(w, r, block_off, "Decryption Secrets Block");
		}
		*text = t;
		*len_out = len;
	}
	r = skip(w, body_len - 8 - len); /* the rest, or padding and options */
	if (r != RD_OK) {
		free(*text);
		*text = NULL;
		return fail(w, r, block_off, "Decryption Secrets Block");
	}
	return SA_OK;
}

/* shb_body - the rest of a Section Header Block after the byte-order magic
 * (§4.1): major (16), minor (16), section length (64), options. */
static enum sa_status shb_body(struct walk *w, uint64_t block_off, uint32_t total)
{
	uint8_t v[12];
	struct cursor c;
	uint16_t major = 0;
	bool ok;
	enum rd r;

	if (total < 28) {
		diag_emit(w->diag, DIAG_ERROR, w->name, 0,
			  "pcapng Section Header Block at offset %llu is %u octets long: "
			  "at least 28 expected", (unsigned long long)block_off, total);
		return SA_MALFORMED;
	}
	r = read_exact(w, v, sizeof v);
	if (r != RD_OK)
		return fail(w, r, block_off, "Section Header Block");
	c = cursor_make(v, sizeof v);
	ok = w->be ? cursor_u16be(&c, &major) : cursor_u16le(&c, &major);
	if (!ok || major != 1) {
		diag_emit(w->diag, DIAG_ERROR, w->name, 0,
			  "pcapng section at offset %llu has major version %u: only version 1 "
			  "is understood; its decryption secrets are not read",
			  (unsigned long long)block_off, major);
		return SA_UNSUPPORTED;
	}
	/* 12 octets of type, length, magic and the 12 just read; 4 trailer. */
	r = skip(w, (uint64_t)total - 28);
	return r == RD_OK ? SA_OK : fail(w, r, block_off, "Section Header Block");
}

enum sa_status pcapng_dsb_read_stream(FILE *f, const char *name, struct keylog *kl,
				      const struct diag_sink *diag,
				      struct pcapng_dsb_stats *stats)
{
	struct pcapng_dsb_stats local;
	struct walk w;
	uint8_t h[8], tail[4];
	uint32_t type, total, magic, text_len = 0;
	uint64_t block_off;
	char *text;
	enum sa_status st;
	enum rd r;

	memset(&local, 0, sizeof local);
	memset(&w, 0, sizeof w);
	w.f = f;
	w.name = name;
	w.diag = diag;
	w.kl = kl;
	w.st = stats ? stats : &local;
	memset(w.st, 0, sizeof *w.st);

	for (;;) {
		block_off = w.off;
		r = read_exact(&w, h, sizeof h);
		if (r == RD_EOF && block_off == w.off)
			return SA_OK; /* clean end between blocks (or empty file) */
		if (w.st->blocks == 0) {
			/* §4.1: a pcapng file starts with a Section Header Block. */
			struct cursor c = cursor_make(h, 4);
			if (r == RD_ERR)
				return fail(&w, r, block_off, "file header");
			if (r != RD_OK || !cursor_u32be(&c, &type) || type != PCAPNG_BT_SHB)
				return SA_OK;
			w.st->is_pcapng = 1;
		}
		if (r != RD_OK)
			return fail(&w, r, block_off, "block header");
		w.st->blocks++;
		type = get32(&w, h);
		if (type == PCAPNG_BT_SHB) {
			/* The magic fixes the byte order of this section (§4.1). */
			uint8_t m[4];
			r = read_exact(&w, m, sizeof m);
			if (r != RD_OK)
				return fail(&w, r, block_off, "Section Header Block");
			w.be = true;
			magic = get32(&w, m);
			if (magic != PCAPNG_BYTE_ORDER_MAGIC) {
				w.be = false;
				magic = get32(&w, m);
			}
			if (magic != PCAPNG_BYTE_ORDER_MAGIC) {
				diag_emit(diag, DIAG_ERROR, name, 0,
					  "pcapng Section Header Block at offset %llu has byte-order "
					  "magic %02x%02x%02x%02x: 1a2b3c4d in either byte order expected",
					  (unsigned long long)block_off, m[0], m[1], m[2], m[3]);
				return SA_MALFORMED;
			}
			w.st->sections++;
		}
		total = get32(&w, h + 4);
		/* §3.1: the total length covers type, both lengths and the body,
		 * and is a multiple of 4. */
		if (total < 12 || total % 4 != 0) {
			diag_emit(diag, DIAG_ERROR, name, 0,
				  "pcapng block at offset %llu (type 0x%08x) has total length %u: "
				  "a multiple of 4, at least 12, expected",
				  (unsigned long long)block_off, type, total);
			return SA_MALFORMED;
		}
		text = NULL;
		if (type == PCAPNG_BT_SHB)
			st = shb_body(&w, block_off, total);
		else if (type == PCAPNG_BT_DSB)
			st = dsb(&w, block_off, total - 12, &text, &text_len);
		else
			st = (r = skip(&w, (uint64_t)total - 12)) == RD_OK
				     ? SA_OK : fail(&w, r, block_off, "block body");
		if (st != SA_OK)
			return st;
		r = read_exact(&w, tail, sizeof tail);
		if (r != RD_OK) {
			free(text);
			return fail(&w, r, block_off, "trailing block length");
		}
		if (get32(&w, tail) != total) {
			free(text);
			diag_emit(diag, DIAG_ERROR, name, 0,
				  "pcapng block at offset %llu (type 0x%08x): trailing length %u "
				  "differs from the leading %u",
				  (unsigned long long)block_off, type, get32(&w, tail), total);
			return SA_MALFORMED;
		}
		if (text) {
			/* The block is whole: its key log counts. */
			char source[96];
			w.st->dsb_tls++;
			w.st->secret_bytes += text_len;
			snprintf(source, sizeof source, "%s DSB #%llu", name ? name : "pcapng",
				 (unsigned long long)w.st->dsb_tls);
			st = keylog_add_text(kl, text, text_len, source, diag);
			free(text);
			if (st != SA_OK)
				return st;
		}
	}
}

enum sa_status pcapng_dsb_read(const char *path, struct keylog *kl,
			       const struct diag_sink *diag, size_t *n_blocks)
{
	struct pcapng_dsb_stats st;
	enum sa_status s;
	char *iobuf;
	FILE *f;

	if (n_blocks)
		*n_blocks = 0;
	if (strcmp(path, "-") == 0) {
		diag_emit(diag, DIAG_NOTE, "-", 0,
			  "decryption secrets embedded in a pcapng read from standard input "
			  "are not used; pass the key log with --keylog");
		return SA_UNSUPPORTED;
	}
	f = fopen(path, "rb");
	if (!f) {
		diag_emit(diag, DIAG_ERROR, path, 0, "cannot open capture: %s", strerror(errno));
		return SA_IO;
	}
	/* Most blocks are skipped by reading through the buffer: a large one
	 * means few system calls.  (glibc ignores the size without a buffer.) */
	iobuf = malloc(READ_BUF);
	if (iobuf)
		(void)setvbuf(f, iobuf, _IOFBF, READ_BUF);
	s = pcapng_dsb_read_stream(f, path, kl, diag, &st);
	fclose(f);
	free(iobuf);
	if (n_blocks)
		*n_blocks = (size_t)st.dsb_tls;
	return s;
}
