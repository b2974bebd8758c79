# Network reassembly: IPv4/IPv6 fragments and TCP streams.
analyzer_libsa_a_SOURCES += \
	analyzer/ipfrag.h analyzer/ipfrag.c \
	analyzer/tcp_reasm.h analyzer/tcp_reasm.c

check_PROGRAMS += tests/test_ipfrag tests/test_tcp_reasm
tests_test_ipfrag_SOURCES = tests/test_ipfrag.c tests/cu_main.h
tests_test_ipfrag_LDADD = $(TEST_LDADD)
tests_test_tcp_reasm_SOURCES = tests/test_tcp_reasm.c tests/cu_main.h
tests_test_tcp_reasm_LDADD = $(TEST_LDADD)
TESTS += tests/test_ipfrag tests/test_tcp_reasm

EXTRA_DIST += docs/reassembly.md
