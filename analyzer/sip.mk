# SIP message parser, SIP stream framing (TCP, WebSocket), SDP model and
# a=crypto (SDES) parsing.
analyzer_libsa_a_SOURCES += \
	analyzer/sip.h analyzer/sip.c \
	analyzer/sip_frame.h analyzer/sip_frame.c \
	analyzer/sdp.h analyzer/sdp.c \
	analyzer/sdes.h analyzer/sdes.c

SIP_TEST_CPPFLAGS = $(AM_CPPFLAGS) -DSA_TOP_SRCDIR='"$(abs_top_srcdir)"'

check_PROGRAMS += tests/test_sip tests/test_sdp tests/test_sdes
tests_test_sip_SOURCES = tests/test_sip.c tests/cu_main.h tests/testutil.h tests/testutil.c
tests_test_sip_CPPFLAGS = $(SIP_TEST_CPPFLAGS)
tests_test_sip_LDADD = $(TEST_LDADD)
tests_test_sdp_SOURCES = tests/test_sdp.c tests/cu_main.h tests/testutil.h tests/testutil.c
tests_test_sdp_CPPFLAGS = $(SIP_TEST_CPPFLAGS)
tests_test_sdp_LDADD = $(TEST_LDADD)
tests_test_sdes_SOURCES = tests/test_sdes.c tests/cu_main.h
tests_test_sdes_LDADD = $(TEST_LDADD)
TESTS += tests/test_sip tests/test_sdp tests/test_sdes

EXTRA_DIST += docs/sip-sdp.md \
	tests/data/sip/voipshark-srtp-f55-invite.txt \
	tests/data/sip/voipshark-srtp-f84-200ok.txt \
	tests/data/sip/websocket-sip-f16-invite.txt \
	tests/data/sip/websocket-sip-f28-200ok.txt \
	tests/data/sip/websocket-sip-client-stream.bin \
	tests/data/sip/websocket-sip-server-stream.bin \
	tests/data/sdp/voipshark-srtp-f55-offer.sdp \
	tests/data/sdp/voipshark-srtp-f59-offer.sdp \
	tests/data/sdp/voipshark-srtp-f62-offer.sdp \
	tests/data/sdp/voipshark-srtp-f82-answer.sdp \
	tests/data/sdp/voipshark-srtp-f84-answer.sdp \
	tests/data/sdp/jssip-f16-offer.sdp \
	tests/data/sdp/oversip-f28-answer.sdp \
	tests/data/sdp/chromium40-verto-offer.sdp \
	tests/data/sdp/freeswitch-verto-answer.sdp \
	tests/data/sdp/libwebrtc-native-offer.sdp \
	tests/data/sdp/browser-answer.sdp
