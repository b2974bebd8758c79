# Key sources and the SRTP/SRTCP decryption engine (issue 6): NSS key log,
# RFC 5764 exporter, per-stream libsrtp decryption.  See docs/keys.md.
analyzer_libsa_a_SOURCES += \
	analyzer/keylog.h analyzer/keylog.c \
	analyzer/exporter.h analyzer/exporter.c \
	analyzer/srtp_stream.h analyzer/srtp_stream.c

check_PROGRAMS += tests/test_keylog tests/test_exporter tests/test_srtp_stream
tests_test_keylog_SOURCES = tests/test_keylog.c tests/cu_main.h
tests_test_keylog_LDADD = $(TEST_LDADD)
tests_test_exporter_SOURCES = tests/test_exporter.c tests/cu_main.h
tests_test_exporter_LDADD = $(TEST_LDADD)
tests_test_srtp_stream_SOURCES = tests/test_srtp_stream.c tests/cu_main.h
tests_test_srtp_stream_LDADD = $(TEST_LDADD)
TESTS += tests/test_keylog tests/test_exporter tests/test_srtp_stream

# keyderive: derives DTLS-SRTP material from a key log and two randoms; used
# by the OpenSSL command-line cross-check below.
check_PROGRAMS += tests/keyderive
tests_keyderive_SOURCES = tests/keyderive.c
tests_keyderive_LDADD = $(LDADD)
TESTS += tests/test_exporter_openssl.sh
EXTRA_DIST += tests/test_exporter_openssl.sh docs/keys.md

# Fast SRTP engine on OpenSSL EVP, the suite table and the engine choice
# (issue 6, speed); proven against libsrtp by tests/test_srtp_fast.
analyzer_libsa_a_SOURCES += \
	analyzer/srtp_suites.c \
	analyzer/srtp_fast.h analyzer/srtp_fast.c
check_PROGRAMS += tests/test_srtp_fast
tests_test_srtp_fast_SOURCES = tests/test_srtp_fast.c tests/cu_main.h
tests_test_srtp_fast_LDADD = $(TEST_LDADD)
TESTS += tests/test_srtp_fast
# The same tests on the EVP_MAC path that an OpenSSL without the deprecated
# 3.0 API gets (srtp_fast.c compiled again with SFAST_USE_EVP_MAC).
check_PROGRAMS += tests/test_srtp_fast_evpmac
tests_test_srtp_fast_evpmac_SOURCES = tests/test_srtp_fast.c tests/cu_main.h analyzer/srtp_fast.c
tests_test_srtp_fast_evpmac_CPPFLAGS = $(AM_CPPFLAGS) -DSFAST_USE_EVP_MAC
tests_test_srtp_fast_evpmac_LDADD = $(TEST_LDADD)
TESTS += tests/test_srtp_fast_evpmac
TESTS += tests/test_decrypt_engines.sh
EXTRA_DIST += tests/test_decrypt_engines.sh
