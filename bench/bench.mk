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

# Decryption benchmark (issue 6, speed): bench/run_decrypt.sh, run by
# `make bench` after the reader benchmark, or alone with `make bench-decrypt`.
EXTRA_PROGRAMS += bench/gen_srtp bench/srtp_loop
bench_gen_srtp_SOURCES = bench/gen_srtp.c
bench_gen_srtp_LDADD = $(PCAP_LIBS) $(SRTP_LIBS)
bench_srtp_loop_SOURCES = bench/srtp_loop.c
bench_srtp_loop_LDADD = $(LDADD)
EXTRA_DIST += bench/run_decrypt.sh

bench-decrypt: srtpaudit$(EXEEXT) bench/gen_srtp$(EXEEXT) bench/srtp_loop$(EXEEXT) bench/pcap_loop$(EXEEXT)
	$(srcdir)/bench/run_decrypt.sh .
bench: bench-decrypt
.PHONY: bench-decrypt
EXTRA_DIST += docs/bench.md

# Replay pacing benchmark (issue 8): a 60-s call replayed on loopback, send
# times against the capture, side by side with SIPp's pcap_play.
EXTRA_DIST += bench/replay_pacing.sh
bench-replay: all
	bash $(top_srcdir)/bench/replay_pacing.sh $(abs_top_builddir)
.PHONY: bench-replay
