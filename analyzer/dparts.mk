# Decryption support parts (issue 6): RTP statistics (RFC 3550), G.711 to
# WAV, key logs embedded in pcapng Decryption Secrets Blocks, --srtp-key.
analyzer_libsa_a_SOURCES += \
	analyzer/rtpstats.h analyzer/rtpstats.c \
	analyzer/wav.h analyzer/wav.c \
	analyzer/pcapng_dsb.h analyzer/pcapng_dsb.c \
	analyzer/srtpkey_spec.h analyzer/srtpkey_spec.c

check_PROGRAMS += tests/test_rtpstats tests/test_wav tests/test_pcapng_dsb \
	tests/test_srtpkey_spec
tests_test_rtpstats_SOURCES = tests/test_rtpstats.c tests/cu_main.h
tests_test_rtpstats_LDADD = $(TEST_LDADD)
tests_test_wav_SOURCES = tests/test_wav.c tests/cu_main.h tests/testutil.h tests/testutil.c
tests_test_wav_LDADD = $(TEST_LDADD)
tests_test_pcapng_dsb_SOURCES = tests/test_pcapng_dsb.c tests/cu_main.h
tests_test_pcapng_dsb_LDADD = $(TEST_LDADD)
tests_test_srtpkey_spec_SOURCES = tests/test_srtpkey_spec.c tests/cu_main.h
tests_test_srtpkey_spec_LDADD = $(TEST_LDADD)
TESTS += tests/test_rtpstats tests/test_wav tests/test_pcapng_dsb \
	tests/test_srtpkey_spec
