# Fuzzing (tests/fuzz/, docs/fuzzing.md).  One libFuzzer harness per
# parser, fuzz_<name>.c.  Each is linked twice:
#   tests/fuzz/replay_<name>: with replay_corpus.c and the ordinary
#     compiler; make check replays tests/fuzz/corpus/<name>/ through it;
#   tests/fuzz/fuzz_<name>: with -fsanitize=fuzzer, built by `make fuzz`
#     in a tree configured with --enable-fuzzing CC=clang.
FUZZ_HARNESSES = pipeline sip sip_frame sdp sdes dtls cert keylog rtp tcp ipfrag pcapng_dsb srtpkey decode
FUZZ_REPLAY = tests/fuzz/replay_pipeline tests/fuzz/replay_sip tests/fuzz/replay_sip_frame tests/fuzz/replay_sdp tests/fuzz/replay_sdes tests/fuzz/replay_dtls tests/fuzz/replay_cert tests/fuzz/replay_keylog tests/fuzz/replay_rtp tests/fuzz/replay_tcp tests/fuzz/replay_ipfrag tests/fuzz/replay_pcapng_dsb tests/fuzz/replay_srtpkey tests/fuzz/replay_decode
check_PROGRAMS += $(FUZZ_REPLAY)
TESTS += $(FUZZ_REPLAY)
tests_fuzz_replay_pipeline_SOURCES = tests/fuzz/replay_corpus.c tests/fuzz/fuzz_pipeline.c tests/fuzz/fuzz.h
tests_fuzz_replay_pipeline_LDADD = reports/libsareports.a $(LDADD) $(XML_LIBS)
tests_fuzz_replay_sip_SOURCES = tests/fuzz/replay_corpus.c tests/fuzz/fuzz_sip.c tests/fuzz/fuzz.h
tests_fuzz_replay_sip_frame_SOURCES = tests/fuzz/replay_corpus.c tests/fuzz/fuzz_sip_frame.c tests/fuzz/fuzz.h
tests_fuzz_replay_sdp_SOURCES = tests/fuzz/replay_corpus.c tests/fuzz/fuzz_sdp.c tests/fuzz/fuzz.h
tests_fuzz_replay_sdes_SOURCES = tests/fuzz/replay_corpus.c tests/fuzz/fuzz_sdes.c tests/fuzz/fuzz.h
tests_fuzz_replay_dtls_SOURCES = tests/fuzz/replay_corpus.c tests/fuzz/fuzz_dtls.c tests/fuzz/fuzz.h
tests_fuzz_replay_cert_SOURCES = tests/fuzz/replay_corpus.c tests/fuzz/fuzz_cert.c tests/fuzz/fuzz.h
tests_fuzz_replay_keylog_SOURCES = tests/fuzz/replay_corpus.c tests/fuzz/fuzz_keylog.c tests/fuzz/fuzz.h
tests_fuzz_replay_rtp_SOURCES = tests/fuzz/replay_corpus.c tests/fuzz/fuzz_rtp.c tests/fuzz/fuzz.h
tests_fuzz_replay_tcp_SOURCES = tests/fuzz/replay_corpus.c tests/fuzz/fuzz_tcp.c tests/fuzz/fuzz.h
tests_fuzz_replay_ipfrag_SOURCES = tests/fuzz/replay_corpus.c tests/fuzz/fuzz_ipfrag.c tests/fuzz/fuzz.h
tests_fuzz_replay_pcapng_dsb_SOURCES = tests/fuzz/replay_corpus.c tests/fuzz/fuzz_pcapng_dsb.c tests/fuzz/fuzz.h
tests_fuzz_replay_srtpkey_SOURCES = tests/fuzz/replay_corpus.c tests/fuzz/fuzz_srtpkey.c tests/fuzz/fuzz.h
tests_fuzz_replay_decode_SOURCES = tests/fuzz/replay_corpus.c tests/fuzz/fuzz_decode.c tests/fuzz/fuzz.h

EXTRA_DIST += tests/fuzz/corpus tests/fuzz/smoke.sh tests/fuzz/seeds.py docs/fuzzing.md

if FUZZING
FUZZ_PROGS = tests/fuzz/fuzz_pipeline tests/fuzz/fuzz_sip tests/fuzz/fuzz_sip_frame tests/fuzz/fuzz_sdp tests/fuzz/fuzz_sdes tests/fuzz/fuzz_dtls tests/fuzz/fuzz_cert tests/fuzz/fuzz_keylog tests/fuzz/fuzz_rtp tests/fuzz/fuzz_tcp tests/fuzz/fuzz_ipfrag tests/fuzz/fuzz_pcapng_dsb tests/fuzz/fuzz_srtpkey tests/fuzz/fuzz_decode
EXTRA_PROGRAMS += $(FUZZ_PROGS)
tests_fuzz_fuzz_pipeline_SOURCES = tests/fuzz/fuzz_pipeline.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_pipeline_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_pipeline_LDADD = reports/libsareports.a $(LDADD) $(XML_LIBS)
tests_fuzz_fuzz_sip_SOURCES = tests/fuzz/fuzz_sip.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_sip_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_sip_frame_SOURCES = tests/fuzz/fuzz_sip_frame.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_sip_frame_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_sdp_SOURCES = tests/fuzz/fuzz_sdp.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_sdp_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_sdes_SOURCES = tests/fuzz/fuzz_sdes.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_sdes_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_dtls_SOURCES = tests/fuzz/fuzz_dtls.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_dtls_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_cert_SOURCES = tests/fuzz/fuzz_cert.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_cert_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_keylog_SOURCES = tests/fuzz/fuzz_keylog.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_keylog_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_rtp_SOURCES = tests/fuzz/fuzz_rtp.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_rtp_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_tcp_SOURCES = tests/fuzz/fuzz_tcp.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_tcp_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_ipfrag_SOURCES = tests/fuzz/fuzz_ipfrag.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_ipfrag_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_pcapng_dsb_SOURCES = tests/fuzz/fuzz_pcapng_dsb.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_pcapng_dsb_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_srtpkey_SOURCES = tests/fuzz/fuzz_srtpkey.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_srtpkey_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_decode_SOURCES = tests/fuzz/fuzz_decode.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_decode_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)

fuzz: $(FUZZ_PROGS)
else
fuzz:
	@echo "make fuzz: configure with --enable-fuzzing CC=clang first (docs/fuzzing.md)" >&2; exit 1
endif
.PHONY: fuzz
