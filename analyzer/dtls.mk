# DTLS: RFC 7983 demultiplexing, DTLS records and handshakes, certificates.
analyzer_libsa_a_SOURCES += \
	analyzer/demux.h analyzer/demux.c \
	analyzer/dtls.h analyzer/dtls_int.h analyzer/dtls.c analyzer/dtls_hs.c \
	analyzer/dtls_tables.c \
	analyzer/cert.h analyzer/cert.c

check_PROGRAMS += tests/test_demux tests/test_cert tests/test_dtls tests/test_dtls_records
tests_test_demux_SOURCES = tests/test_demux.c tests/cu_main.h
tests_test_demux_LDADD = $(TEST_LDADD)
tests_test_cert_SOURCES = tests/test_cert.c tests/cu_main.h
tests_test_cert_LDADD = $(TEST_LDADD)
tests_test_dtls_SOURCES = tests/test_dtls.c tests/cu_main.h
tests_test_dtls_LDADD = $(TEST_LDADD)
tests_test_dtls_records_SOURCES = tests/test_dtls_records.c tests/cu_main.h
tests_test_dtls_records_LDADD = $(TEST_LDADD)
TESTS += tests/test_demux tests/test_cert tests/test_dtls tests/test_dtls_records

EXTRA_DIST += docs/dtls.md \
	fixtures/real/ndpi_dtls_certificate_fragments.pcap \
	fixtures/real/ndpi_stun_zoom.pcapng \
	fixtures/real/ndpi_stun_google_meet.pcapng \
	fixtures/real/zeek_webrtc-stun.pcap \
	fixtures/real/ndpi_dtls.pcap
