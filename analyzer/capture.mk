# Capture reader, link/IP/transport decoding, classification, pipeline.
analyzer_libsa_a_SOURCES += \
	analyzer/capture.h analyzer/capture.c analyzer/decode.h analyzer/decode.c \
	analyzer/classify.h analyzer/classify.c analyzer/result.h \
	analyzer/pipeline.h analyzer/pipeline.c analyzer/pipeline_int.h \
	analyzer/pipeline_tcp.c analyzer/pipeline_media.c analyzer/sdp_desc.h analyzer/sdp_desc.c \
	analyzer/calls.h analyzer/calls.c analyzer/flows.h analyzer/flows.c \
	analyzer/media.h analyzer/media.c analyzer/checks.h analyzer/checks_int.h \
	analyzer/checks.c analyzer/check_catalogue.c analyzer/checks_sdp.c \
	analyzer/checks_dtls.c analyzer/checks_media.c analyzer/keyring.h \
	analyzer/keyring.c analyzer/streams.h analyzer/streams.c analyzer/rewrite.h \
	analyzer/rewrite.c analyzer/turn.h analyzer/turn.c

check_PROGRAMS += tests/test_decode
tests_test_decode_SOURCES = tests/test_decode.c tests/framebuild.h tests/framebuild.c
tests_test_decode_LDADD = $(TEST_LDADD)
TESTS += tests/test_decode

check_PROGRAMS += tests/test_pipeline
tests_test_pipeline_SOURCES = tests/test_pipeline.c tests/framebuild.h tests/framebuild.c
tests_test_pipeline_LDADD = $(TEST_LDADD)
TESTS += tests/test_pipeline

EXTRA_DIST += docs/cursor.md docs/flows.md

check_PROGRAMS += tests/test_turn
tests_test_turn_SOURCES = tests/test_turn.c tests/framebuild.h tests/framebuild.c
tests_test_turn_LDADD = $(TEST_LDADD)
TESTS += tests/test_turn
