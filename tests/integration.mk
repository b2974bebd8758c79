# Integration tests: the srtpaudit program on fixtures and real captures.
TESTS += tests/test_analyze.sh tests/test_tshark_totals.sh tests/test_calls.sh tests/test_decrypt.sh \
	tests/test_cppcheck.sh tests/test_checks_real.sh tests/test_passes.sh
dist_noinst_SCRIPTS += tests/run-all.sh
EXTRA_DIST += tests/lib.sh tests/test_analyze.sh tests/test_tshark_totals.sh tests/test_calls.sh tests/test_decrypt.sh \
	tests/test_cppcheck.sh tests/test_checks_real.sh tests/test_passes.sh \
	fixtures/PROVENANCE.md fixtures/real .ci/packages
