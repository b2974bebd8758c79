# Hardening tests (issue 7): systematically damaged captures run through
# analyze and decrypt, resource caps under a flood, valgrind memcheck of
# the integration runs, and escaping of hostile capture text.
check_PROGRAMS += tests/damage tests/gen_flood
tests_damage_SOURCES = tests/damage.c tests/framebuild.h tests/framebuild.c
tests_damage_LDADD = $(SA_LIBS)
tests_gen_flood_SOURCES = tests/gen_flood.c tests/framebuild.h tests/framebuild.c
tests_gen_flood_LDADD = $(SA_LIBS)
TESTS += tests/test_malformed.sh tests/test_limits.sh tests/test_valgrind.sh \
	tests/test_safety.sh
EXTRA_DIST += tests/test_malformed.sh tests/test_limits.sh tests/test_valgrind.sh \
	tests/test_safety.sh docs/limits.md
