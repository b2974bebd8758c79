# replay fragment
# Endpoint pieces shared by the live replay and the fixture generator.
replay_libsaendpoint_a_SOURCES += \
	replay/dtls_peer.h replay/dtls_peer.c \
	replay/srtp_peer.h replay/srtp_peer.c \
	replay/sdp_build.h replay/sdp_build.c \
	replay/rtp_media.h replay/rtp_media.c
# The live replay (issue 8): plan from the analyzer's model, SIP UA with
# RFC 3261 transactions, DTLS-SRTP/SDES session, paced media.
replay_libsaendpoint_a_SOURCES += \
	replay/replay.h replay/replay_int.h replay/replay_plan.c \
	replay/sip_tx.h replay/sip_tx.c replay/replay_ua.c \
	replay/replay_session.c replay/replay_sdp.c replay/replay_media.c
# Its JSON/JUnit writer lives in reports/ (the only place with libxml2).
reports_libsareports_a_SOURCES += reports/report_replay.h reports/report_replay.c
replay_libsaendpoint_a_SOURCES += replay/replay_tcp.c
replay_libsaendpoint_a_SOURCES += replay/replay_dialog.c
replay_libsaendpoint_a_SOURCES += replay/replay_uas.c
