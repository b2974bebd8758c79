/* keylog.h - NSS key log (SSLKEYLOGFILE format) for DTLS-SRTP key recovery.
 *
 * A key log is text, one secret a line:
 *     CLIENT_RANDOM <64 hex client_random> <96 hex master_secret>
 * written by browsers, OpenSSL's -keylogfile / SSL_CTX_set_keylog_callback
 * and many libraries.  Only CLIENT_RANDOM lines matter for (D)TLS <= 1.2,
 * which is what DTLS-SRTP uses; other labels (CLIENT_HANDSHAKE_TRAFFIC_SECRET,
 * EXPORTER_SECRET, ...) are counted and skipped.  Lines starting with '#'
 * and blank lines are ignored; CRLF and LF both end a line.
 *
 * The key log copies what it keeps (32-byte client random + 48-byte master
 * secret per entry) into a hash table indexed by client random, so the text
 * it was read from may go away.  It is capped: at most KEYLOG_MAX_ENTRIES
 * entries and KEYLOG_MAX_LINE bytes per line.  Problems are reported to the
 * diagnostics sink with the line number; a bad line never stops the load.
 * A client random seen twice keeps its first secret (a different second one
 * is reported as a warning).  See docs/keys.md.
 */
#ifndef SA_KEYLOG_H
#define SA_KEYLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "status.h"

#define KEYLOG_RANDOM_LEN 32
#define KEYLOG_SECRET_LEN 48
#define KEYLOG_MAX_ENTRIES 100000u /* about 9 MB of table at the cap */
#define KEYLOG_MAX_LINE 4096u      /* longer lines are skipped as malformed */

struct keylog;

struct keylog_stats {
	uint64_t lines;          /* lines read, blank and comment lines included */
	uint64_t client_random;  /* CLIENT_RANDOM entries stored */
	uint64_t other_labels;   /* well-formed lines with another label (TLS 1.3 secrets ...) */
	uint64_t malformed;      /* lines that were neither (bad hex, wrong length, too long) */
	uint64_t duplicates;     /* CLIENT_RANDOM lines whose client random was already stored */
	uint64_t dropped;        /* CLIENT_RANDOM lines dropped because the table was full */
};

/* keylog_new - an empty key log.  Returns NULL when out of memory.  Free with
 * keylog_free(). */
struct keylog *keylog_new(void);

/* keylog_free - free the key log and every entry.  NULL is allowed. */
void keylog_free(struct keylog *kl);

/* keylog_add_text - parse key log text (len bytes, need not be NUL
 * terminated; the last line need not end in a newline) and add its
 * CLIENT_RANDOM entries.  source names the text in diagnostics (a file
 * name, "pcapng DSB #2"); may be NULL.  Bad lines are reported to diag
 * (line number in the message) and counted, never fatal.  Returns SA_OK, or
 * SA_NOMEM when an allocation failed (entries added so far stay).  Reaching
 * KEYLOG_MAX_ENTRIES is not an error: further entries are counted in
 * stats.dropped and one warning is emitted.  The text is not kept. */
enum sa_status keylog_add_text(struct keylog *kl, const char *text, size_t len,
			       const char *source, const struct diag_sink *diag);

/* keylog_load_file - read the key log file at path (streamed, so memory is
 * bounded by the entry cap, not by the file size) and add its entries as
 * keylog_add_text() does.  Returns SA_IO (reported to diag) when the file
 * cannot be opened or read, SA_NOMEM as above, else SA_OK. */
enum sa_status keylog_load_file(struct keylog *kl, const char *path,
				const struct diag_sink *diag);

/* keylog_find - look up the master secret for a 32-byte client random.
 * Returns true and points *master_secret (48 bytes, owned by kl, valid until
 * keylog_free) at it; false when the key log has no such entry. */
bool keylog_find(const struct keylog *kl, const uint8_t client_random[KEYLOG_RANDOM_LEN],
		 const uint8_t **master_secret);

/* keylog_get_stats - copy the counters into *st. */
void keylog_get_stats(const struct keylog *kl, struct keylog_stats *st);

/* keylog_count - number of CLIENT_RANDOM entries stored. */
size_t keylog_count(const struct keylog *kl);

#endif
