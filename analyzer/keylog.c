/* keylog.c - NSS key log parser and client-random table; see keylog.h. */
#include "keylog.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

struct keylog_entry {
	uint8_t random[KEYLOG_RANDOM_LEN];
	uint8_t secret[KEYLOG_SECRET_LEN];
};

struct keylog {
	struct keylog_entry *entries; /* dense array, n used, cap allocated */
	size_t n, cap;
	uint32_t *slots;              /* open addressing: entry index + 1, 0 = empty */
	size_t nslots;                /* power of two, at least 2 * n */
	struct keylog_stats st;
	bool full_warned;
};

struct keylog *keylog_new(void)
{
	return calloc(1, sizeof(struct keylog));
}

void keylog_free(struct keylog *kl)
{
	if (!kl)
		return;
	free(kl->entries);
	free(kl->slots);
	free(kl);
}

/* FNV-1a over the whole random: the first 4 bytes of a (D)TLS <= 1.2 random
 * may be a timestamp, so every byte takes part. */
static uint64_t random_hash(const uint8_t *r)
{
	uint64_t h = 1469598103934665603ull;
	size_t i;
	for (i = 0; i < KEYLOG_RANDOM_LEN; i++) {
		h ^= r[i];
		h *= 1099511628211ull;
	}
	return h;
}

/* slot_find - slot holding random, or the empty slot where it would go. */
static size_t slot_find(const struct keylog *kl, const uint8_t *r)
{
	size_t mask = kl->nslots - 1, i = (size_t)random_hash(r) & mask;
	while (kl->slots[i] != 0) {
		const struct keylog_entry *e = &kl->entries[kl->slots[i] - 1];
		if (memcmp(e->random, r, KEYLOG_RANDOM_LEN) == 0)
			break;
		i = (i + 1) & mask;
	}
	return i;
}

static bool table_grow(struct keylog *kl)
{
	size_t nslots = kl->nslots ? kl->nslots * 2 : 64, i;
	uint32_t *old = kl->slots;
	size_t oldn = kl->nslots;
	kl->slots = calloc(nslots, sizeof *kl->slots);
	if (!kl->slots) {
		kl->slots = old;
		return false;
	}
	kl->nslots = nslots;
	for (i = 0; i < oldn; i++) {
		if (old[i] != 0) {
			size_t s = slot_find(kl, kl->entries[old[i] - 1].random);
			kl->slots[s] = old[i];
		}
	}
	free(old);
	return true;
}

static enum sa_status entry_add(struct keylog *kl, const uint8_t *r, const uint8_t *secret,
				const char *source, uint64_t lineno,
				const struct diag_sink *diag)
{
	size_t s;
	if (kl->nslots == 0 || (kl->n + 1) * 2 > kl->nslots) {
		if (!table_grow(kl))
			return SA_NOMEM;
	}
	s = slot_find(kl, r);
	if (kl->slots[s] != 0) {
		struct keylog_entry *e = &kl->entries[kl->slots[s] - 1];
		kl->st.duplicates++;
		if (memcmp(e->secret, secret, KEYLOG_SECRET_LEN) != 0)
			diag_emit(diag, DIAG_WARNING, source, 0,
				  "line %llu: CLIENT_RANDOM repeated with a different master "
				  "secret; keeping the first one",
				  (unsigned long long)lineno);
		return SA_OK;
	}
	if (kl->n >= KEYLOG_MAX_ENTRIES) {
		kl->st.dropped++;
		if (!kl->full_warned)
			diag_emit(diag, DIAG_WARNING, source, 0,
				  "line %llu: key log holds %u entries, the limit; further "
				  "CLIENT_RANDOM lines are ignored (split the key log per capture)",
				  (unsigned long long)lineno, KEYLOG_MAX_ENTRIES);
		kl->full_warned = true;
		return SA_OK;
	}
	if (kl->n == kl->cap) {
		size_t cap = kl->cap ? kl->cap * 2 : 16;
		struct keylog_entry *e;
		if (cap > KEYLOG_MAX_ENTRIES)
			cap = KEYLOG_MAX_ENTRIES;
		e = realloc(kl->entries, cap * sizeof *e);
		if (!e)
			return SA_NOMEM;
		kl->entries = e;
		kl->cap = cap;
	}
	memcpy(kl->entries[kl->n].random, r, KEYLOG_RANDOM_LEN);
	memcpy(kl->entries[kl->n].secret, secret, KEYLOG_SECRET_LEN);
	kl->n++;
	kl->slots[s] = (uint32_t)kl->n;
	kl->st.client_random++;
	return SA_OK;
}

/* A label is 1..64 of [A-Z0-9_] and starts with a letter (NSS key log
 * labels: CLIENT_RANDOM, CLIENT_HANDSHAKE_TRAFFIC_SECRET, EXPORTER_SECRET,
 * RSA, ...). */
static bool is_label(struct sv t)
{
	size_t i;
	if (t.n == 0 || t.n > 64 || t.p[0] < 'A' || t.p[0] > 'Z')
		return false;
	for (i = 0; i < t.n; i++) {
		char c = t.p[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
			return false;
	}
	return true;
}

static enum sa_status line_process(struct keylog *kl, struct sv line, uint64_t lineno,
				   const char *source, const struct diag_sink *diag)
{
	struct sv rest, label, hr, hs, extra;
	uint8_t r[KEYLOG_RANDOM_LEN], secret[KEYLOG_SECRET_LEN];
	size_t n;

	kl->st.lines++;
	rest = sv_trim(line);
	if (rest.n == 0 || rest.p[0] == '#')
		return SA_OK;
	if (!sv_next_token(&rest, &label) || !is_label(label)) {
		kl->st.malformed++;
		diag_emit(diag, DIAG_WARNING, source, 0,
			  "line %llu: not a key log line (expected a label such as "
			  "CLIENT_RANDOM); skipped", (unsigned long long)lineno);
		return SA_OK;
	}
	if (!sv_eq(label, SV_LIT("CLIENT_RANDOM"))) {
		kl->st.other_labels++;
		return SA_OK;
	}
	if (!sv_next_token(&rest, &hr) || !sv_next_token(&rest, &hs) ||
	    sv_next_token(&rest, &extra)) {
		kl->st.malformed++;
		diag_emit(diag, DIAG_WARNING, source, 0,
			  "line %llu: CLIENT_RANDOM needs exactly two fields "
			  "(client random, master secret); skipped",
			  (unsigned long long)lineno);
		return SA_OK;
	}
	if (hr.n != 2 * KEYLOG_RANDOM_LEN || !sv_hex_decode(hr, r, sizeof r, &n)) {
		kl->st.malformed++;
		diag_emit(diag, DIAG_WARNING, source, 0,
			  "line %llu: client random must be 64 hex digits (got %zu "
			  "characters); skipped", (unsigned long long)lineno, hr.n);
		return SA_OK;
	}
	if (hs.n != 2 * KEYLOG_SECRET_LEN || !sv_hex_decode(hs, secret, sizeof secret, &n)) {
		kl->st.malformed++;
		diag_emit(diag, DIAG_WARNING, source, 0,
			  "line %llu: master secret must be 96 hex digits (got %zu "
			  "characters); skipped", (unsigned long long)lineno, hs.n);
		return SA_OK;
	}
	return entry_add(kl, r, secret, source, lineno, diag);
}

static void long_line(struct keylog *kl, uint64_t lineno, const char *source,
		      const struct diag_sink *diag)
{
	kl->st.lines++;
	kl->st.malformed++;
	diag_emit(diag, DIAG_WARNING, source, 0,
		  "line %llu: longer than %u bytes; skipped",
		  (unsigned long long)lineno, KEYLOG_MAX_LINE);
}

enum sa_status keylog_add_text(struct keylog *kl, const char *text, size_t len,
			       const char *source, const struct diag_sink *diag)
{
	struct sv rest = sv_make(text, len), line;
	uint64_t lineno = 0;
	bool term;
	while (sv_next_line(&rest, &line, &term)) {
		enum sa_status st;
		lineno++;
		if (line.n > KEYLOG_MAX_LINE) {
			long_line(kl, lineno, source, diag);
			continue;
		}
		st = line_process(kl, line, lineno, source, diag);
		if (st != SA_OK)
			return st;
	}
	return SA_OK;
}

enum sa_status keylog_load_file(struct keylog *kl, const char *path,
				const struct diag_sink *diag)
{
	/* Streamed: buf holds at most one partial line plus one chunk. */
	enum { CHUNK = 65536 };
	char *buf = NULL;
	size_t have = 0;
	uint64_t lineno = 0;
	bool skipping = false; /* inside a line longer than KEYLOG_MAX_LINE */
	enum sa_status st = SA_OK;
	FILE *f = fopen(path, "rb");
	if (!f) {
		diag_emit(diag, DIAG_ERROR, path, 0, "cannot open key log: %s", strerror(errno));
		return SA_IO;
	}
	buf = malloc(CHUNK + KEYLOG_MAX_LINE + 1);
	if (!buf) {
		st = SA_NOMEM;
		goto out;
	}
	for (;;) {
		size_t got = fread(buf + have, 1, CHUNK, f), start = 0, i;
		bool eof = got == 0;
		if (got == 0 && ferror(f)) {
			diag_emit(diag, DIAG_ERROR, path, 0, "cannot read key log: %s",
				  strerror(errno));
			st = SA_IO;
			goto out;
		}
		have += got;
		for (i = 0; i < have; i++) {
			if (buf[i] != '\n')
				continue;
			lineno++;
			if (skipping) {
				skipping = false;
			} else if (i - start > KEYLOG_MAX_LINE + 1) {
				long_line(kl, lineno, path, diag);
			} else {
				struct sv line = sv_make(buf + start, i - start);
				if (line.n && line.p[line.n - 1] == '\r')
					line.n--;
				st = line_process(kl, line, lineno, path, diag);
				if (st != SA_OK)
					goto out;
			}
			start = i + 1;
		}
		/* Keep the unfinished line, unless it is already too long. */
		memmove(buf, buf + start, have - start);
		have -= start;
		if (have > KEYLOG_MAX_LINE + 1) {
			if (!skipping)
				long_line(kl, lineno + 1, path, diag);
			skipping = true;
			have = 0;
		}
		if (eof)
			break;
	}
	if (have > 0 && !skipping) {
		struct sv line = sv_make(buf, have);
		lineno++;
		if (line.p[line.n - 1] == '\r')
			line.n--;
		st = line_process(kl, line, lineno, path, diag);
	}
out:
	free(buf);
	fclose(f);
	return st;
}

bool keylog_find(const struct keylog *kl, const uint8_t client_random[KEYLOG_RANDOM_LEN],
		 const uint8_t **master_secret)
{
	size_t s;
	if (!kl || kl->n == 0)
		return false;
	s = slot_find(kl, client_random);
	if (kl->slots[s] == 0)
		return false;
	*master_secret = kl->entries[kl->slots[s] - 1].secret;
	return true;
}

void keylog_get_stats(const struct keylog *kl, struct keylog_stats *st)
{
	*st = kl->st;
}

size_t keylog_count(const struct keylog *kl)
{
	return kl->n;
}
