# replay fragment
# Endpoint pieces shared by the live replay and the fixture generator.
replay_libsaendpoint_a_SOURCES += \
	replay/dtls_peer.h replay/dtls_peer.c \
	replay/srtp_peer.h replay/srtp_peer.c \
	replay/sdp_build.h replay/sdp_build.c \
	replay/rtp_media.h replay/rtp_media.c
