# Tests of the live replay (issue 8): the transaction timers and SIP text
# helpers (CUnit), and loopback runs of srtpaudit against itself, baresip
# and sipp (tests/test_replay.sh; peers are skipped visibly when absent).
check_PROGRAMS += tests/test_replay_sip
tests_test_replay_sip_SOURCES = tests/test_replay_sip.c tests/cu_main.h
tests_test_replay_sip_LDADD = replay/libsaendpoint.a $(TEST_LDADD)
TESTS += tests/test_replay_sip tests/test_replay.sh
EXTRA_DIST += tests/test_replay.sh docs/replay.md
