# Benchmarks (make bench): never part of make check.
EXTRA_PROGRAMS = bench/gen_udp bench/pcap_loop
bench_gen_udp_SOURCES = bench/gen_udp.c
bench_gen_udp_LDADD = $(PCAP_LIBS)
bench_pcap_loop_SOURCES = bench/pcap_loop.c
bench_pcap_loop_LDADD = $(PCAP_LIBS)
CLEANFILES += $(EXTRA_PROGRAMS)
EXTRA_DIST += bench/run.sh

bench: srtpaudit$(EXEEXT) $(EXTRA_PROGRAMS)
	$(srcdir)/bench/run.sh .
.PHONY: bench
