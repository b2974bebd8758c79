/* capture.h - reading one or more pcap/pcapng files as one capture.
 *
 * Files are opened with libpcap (pcap and pcapng, nanosecond timestamps)
 * and merged by timestamp: several files of a rotating ring buffer read as
 * one capture.  "-" reads standard input.  Frames are numbered 1, 2, ... in
 * merged order; each frame also carries its file and its number inside that
 * file, so messages can say "file.pcap frame 12".
 *
 * libpcap's packet pointer dies at the next read of the same file: a frame
 * returned by capture_next() is valid until the next capture_next() call.
 */
#ifndef SA_CAPTURE_H
#define SA_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "diag.h"
#include "status.h"

struct sa_frame {
	uint64_t number;      /* 1-based, across all files in merged order */
	uint64_t file_frame;  /* 1-based, inside its own file */
	unsigned file_index;  /* index into the capture's files */
	uint64_t ts_ns;       /* capture timestamp, ns since the epoch */
	uint32_t caplen;      /* bytes captured (data holds this many) */
	uint32_t len;         /* bytes on the wire; caplen < len = truncated */
	int linktype;         /* DLT_* of its file */
	const uint8_t *data;
};

struct capture_file_info {
	char *name;           /* as given; "-" is shown as "<stdin>" */
	int linktype;         /* DLT_* */
	uint64_t frames;      /* frames read so far */
	bool read_error;      /* reading stopped early (cut file, I/O error) */
	char error[256];      /* the message when read_error */
};

struct capture;

/* capture_open - open every file in names (count n >= 1).  On failure
 * returns SA_IO with a one-line message naming the file sent to diag, and
 * *out is NULL.  A file with no frames is fine.  The caller frees the
 * capture with capture_close(). */
enum sa_status capture_open(const char *const *names, size_t n,
			    const struct diag_sink *diag, struct capture **out);

/* capture_next - the next frame in timestamp order.  Returns true and
 * fills *frame, or false at the end of every file.  A read error in one
 * file (a record cut in the middle, an I/O error) is reported to diag once,
 * marks that file's read_error, ends that file and goes on with the others. */
bool capture_next(struct capture *cap, struct sa_frame *frame);

size_t capture_file_count(const struct capture *cap);
const struct capture_file_info *capture_file(const struct capture *cap, size_t i);

/* capture_link_name - a stable name for a DLT value ("EN10MB",
 * "LINUX_SLL2", ...), or NULL when libpcap knows none. */
const char *capture_link_name(int linktype);

/* capture_close - close files and free everything (NULL-safe). */
void capture_close(struct capture *cap);

/* capture_fopen - path opened with fopen(mode) and a 1 MiB stdio buffer
 * (stdio's own is one page: a system call every 15 RTP packets).  *iobuf
 * gets the buffer (NULL if it could not be allocated: the FILE keeps
 * stdio's), to be freed after the FILE is closed.  NULL with err set
 * ("path: reason") when the file cannot be opened. */
#include <stdio.h>
FILE *capture_fopen(const char *path, const char *mode, char **iobuf, char *err,
		    size_t errcap);

#endif
