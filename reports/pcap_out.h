/* pcap_out.h - writing the decrypted capture (libpcap pcap_dump), with
 * nanosecond timestamps, one link type for the whole output. */
#ifndef SA_PCAP_OUT_H
#define SA_PCAP_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pcap_out;

/* pcap_out_open - create path for frames of link type linktype.  NULL
 * with a message in err (cap bytes) on failure. */
struct pcap_out *pcap_out_open(const char *path, int linktype, char *err, size_t cap);
/* pcap_out_write - one frame: ts in ns, caplen bytes of a len-byte frame. */
void pcap_out_write(struct pcap_out *w, uint64_t ts_ns, const uint8_t *data,
		    uint32_t caplen, uint32_t len);
/* pcap_out_close - flush and close; false on a write error. */
bool pcap_out_close(struct pcap_out *w);

#endif
