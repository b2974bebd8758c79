/* pcapng_dsb.h - key logs embedded in pcapng Decryption Secrets Blocks.
 *
 * `editcap --inject-secrets tls,KEYLOG` (and Wireshark's "Inject TLS
 * secrets") ships an NSS key log inside a pcapng capture as a Decryption
 * Secrets Block (DSB, block type 0x0000000A, secrets type 0x544c534b "TLSK",
 * draft-ietf-opsawg-pcapng §4.7).  libpcap skips these blocks, so this
 * module walks the pcapng block structure itself, for this alone:
 *   - every Section Header Block (§4.1) sets the byte order of its section
 *     from its byte-order magic (both orders, per section); only major
 *     version 1 is understood;
 *   - every block's total length is checked (a multiple of 4, at least the
 *     block's minimum) and must equal the trailing copy (§3.1); bodies of
 *     other blocks are skipped, not read;
 *   - each TLS key log DSB is read (at most PCAPNG_DSB_MAX_SECRET bytes each,
 *     PCAPNG_DSB_MAX_TOTAL per file) and fed to keylog_add_text(); DSBs of
 *     other secret types (WireGuard, SSH, ...) are counted and ignored with a
 *     note.
 * A file that does not start with a Section Header Block (a pcap file) is
 * not an error: nothing is read.  Keys read before a damaged block stay in
 * the key log.  Memory: one DSB at a time.
 */
#ifndef SA_PCAPNG_DSB_H
#define SA_PCAPNG_DSB_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "diag.h"
#include "keylog.h"
#include "status.h"

#define PCAPNG_BT_SHB 0x0A0D0D0Au
#define PCAPNG_BT_DSB 0x0000000Au
#define PCAPNG_BYTE_ORDER_MAGIC 0x1A2B3C4Du
#define PCAPNG_SECRETS_TLS 0x544c534bu /* "TLSK": NSS key log text */
#define PCAPNG_DSB_MAX_SECRET (32u << 20) /* one DSB: above the key log's own cap */
#define PCAPNG_DSB_MAX_TOTAL (64u << 20)  /* all DSBs of one file */

struct pcapng_dsb_stats {
	uint64_t sections;     /* Section Header Blocks */
	uint64_t blocks;       /* blocks walked, SHBs included */
	uint64_t dsb_tls;      /* TLS key log DSBs fed to the key log */
	uint64_t dsb_other;    /* DSBs of other secret types, ignored */
	uint64_t dsb_capped;   /* TLS DSBs skipped because of a size cap */
	uint64_t secret_bytes; /* key log bytes fed to the key log */
	int is_pcapng;         /* 1 when the input starts with a Section Header Block */
};

/* pcapng_dsb_read - read the TLS key log DSBs of the capture at path into
 * kl.  *n_blocks (may be NULL) gets the number of TLS key log DSBs read.
 * Returns SA_OK (also for a file that is not pcapng: *n_blocks = 0), SA_IO
 * when the file cannot be opened or read, SA_TRUNCATED when the file ends
 * inside a block, SA_MALFORMED for a broken block structure (bad length,
 * trailing length mismatch, bad byte-order magic), SA_UNSUPPORTED for a
 * section of another major version, SA_NOMEM when an allocation or the key
 * log failed; every non-OK status is reported to diag with the block's file
 * offset, and the entries added before it stay in kl.  "-" (standard input)
 * is not read (it cannot be read twice): SA_UNSUPPORTED with a note. */
enum sa_status pcapng_dsb_read(const char *path, struct keylog *kl,
			       const struct diag_sink *diag, size_t *n_blocks);

/* pcapng_dsb_read_stream - the same over an open stream positioned at the
 * start of the file (name is used in diagnostics; may be NULL).  Seeks
 * forward when the stream allows, reads otherwise.  *st (may be NULL) gets
 * the counters.  The stream is not closed. */
enum sa_status pcapng_dsb_read_stream(FILE *f, const char *name, struct keylog *kl,
				      const struct diag_sink *diag,
				      struct pcapng_dsb_stats *st);

#endif
