# Core: cursor, text views, status, diagnostics, addresses.
analyzer_libsa_a_SOURCES += \
	analyzer/cursor.h analyzer/status.h analyzer/status.c \
	analyzer/text.h analyzer/text.c analyzer/diag.h analyzer/diag.c \
	analyzer/netaddr.h analyzer/netaddr.c

check_PROGRAMS += tests/test_core
tests_test_core_SOURCES = tests/test_core.c tests/cu_main.h
tests_test_core_LDADD = $(TEST_LDADD)
TESTS += tests/test_core
