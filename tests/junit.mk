# JUnit XML report and the check catalogue's documentation: the report
# writer's suite (read back and validated against tests/junit.xsd), xmllint
# on reports of real captures, and docs/checks.md kept equal to
# `srtpaudit checks --markdown`.
check_PROGRAMS += tests/test_junit
tests_test_junit_SOURCES = tests/test_junit.c tests/cu_main.h
tests_test_junit_CPPFLAGS = $(AM_CPPFLAGS) -DTOP_SRCDIR='"$(abs_top_srcdir)"'
tests_test_junit_LDADD = reports/libsareports.a $(TEST_LDADD) $(XML_LIBS)
TESTS += tests/test_junit tests/test_junit.sh tests/test_checks_doc.sh
EXTRA_DIST += tests/junit.xsd tests/test_junit.sh tests/test_checks_doc.sh \
	docs/checks.md
