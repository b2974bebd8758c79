/* check_catalogue.c - the conformance checks: ID, severity, RFC section,
 * summary, explanation.  Sections and levels are those of
 * ../shared/RFC-NOTES.md (current RFCs, errata included).  IDs are a
 * contract: never rename one; add new ones at the end of their area. */
#include "checks.h"

#include <string.h>

static const struct check_def catalogue[] = {
	/* ---- a=setup ---- */
	{ "SETUP-MISSING", SEV_ERROR, AREA_SETUP, "RFC 8842 §5.2, §5.3",
	  "a DTLS-SRTP offer or answer has no a=setup",
	  "Offers and answers for DTLS-SRTP must carry a=setup. Without it RFC 4145 "
	  "§4.1 defaults the offerer to active and the answerer to passive, which is "
	  "rarely what the endpoint meant; the roles are derived from that default." },
	{ "SETUP-OFFER-ACTPASS", SEV_ERROR, AREA_SETUP, "RFC 8842 §5.2",
	  "the initial offer does not use a=setup:actpass",
	  "The offerer must offer actpass so that the answerer can choose its DTLS "
	  "role. The answerer still has to accept other values (RFC 8842 §5.3)." },
	{ "SETUP-REOFFER-ACTPASS", SEV_WARNING, AREA_SETUP, "RFC 8842 §5.5",
	  "a subsequent offer does not use a=setup:actpass",
	  "Every re-offer uses actpass, whether or not a new association is wanted. "
	  "Offers repeating the current role are common (RFC-NOTES §12) and interoperate "
	  "with most answerers." },
	{ "SETUP-ANSWER-ACTPASS", SEV_ERROR, AREA_SETUP, "RFC 4145 §4.1; RFC 5763 §5",
	  "the answer says a=setup:actpass",
	  "An answer must pick active or passive; actpass leaves both sides waiting or "
	  "both acting as client. Browsers reject such answers." },
	{ "SETUP-ANSWER-PAIR", SEV_ERROR, AREA_SETUP, "RFC 4145 §4.1",
	  "the answer's a=setup is not a legal reply to the offer's",
	  "active must be answered with passive, passive with active, actpass with "
	  "active or passive." },
	{ "SETUP-HOLDCONN", SEV_ERROR, AREA_SETUP, "RFC 8842 §5.1",
	  "a=setup:holdconn on a DTLS-SRTP m-line",
	  "holdconn must not be used for DTLS." },
	{ "SETUP-ANSWER-ACTIVE-PREF", SEV_INFO, AREA_SETUP, "RFC 8829 §5.3.1; orig. RFC 5763 §5",
	  "the answer to actpass chose passive",
	  "JSEP answerers should choose active; the current RFC 8842 text carries no "
	  "preference, so this is information only." },
	{ "SETUP-ROLE-CLIENTHELLO", SEV_ERROR, AREA_SETUP, "RFC 8842 §5.3, §5.4; RFC 4145 §4.1",
	  "the side that sent ClientHello is not the side the SDP made active",
	  "The active side is the DTLS client and the passive side the server. A "
	  "mismatch, or ClientHellos from both sides, means the endpoints disagree about "
	  "their roles: handshakes collide or time out." },
	/* ---- a=fingerprint ---- */
	{ "FP-PRESENT", SEV_ERROR, AREA_FINGERPRINT, "RFC 8122 §5; RFC 8842 §5.2, §5.3",
	  "a DTLS-SRTP m-line has no a=fingerprint (session or media level)",
	  "Without a fingerprint the certificate presented in the handshake cannot be "
	  "bound to the signalling: the media can be intercepted." },
	{ "FP-SYNTAX", SEV_ERROR, AREA_FINGERPRINT, "RFC 8122 §5",
	  "an a=fingerprint does not parse, names an unknown hash or has the wrong length",
	  "The value is a registered hash name and colon-separated hex bytes, as many as "
	  "the hash outputs (32 for sha-256)." },
	{ "FP-HEX-UPPER", SEV_WARNING, AREA_FINGERPRINT, "RFC 8122 §5",
	  "a=fingerprint hex digits in lower case",
	  "The grammar (UHEX) asks for upper case; strict parsers reject lower case. "
	  "srtpaudit compares bytes, so matching still works." },
	{ "FP-MD5-MD2", SEV_ERROR, AREA_FINGERPRINT, "RFC 8122 §5",
	  "an MD5 or MD2 fingerprint",
	  "MD2 and MD5 fingerprints must be neither generated nor accepted." },
	{ "FP-SHA256-PRESENT", SEV_WARNING, AREA_FINGERPRINT, "RFC 8122 §5.1",
	  "no SHA-256 (or stronger) fingerprint",
	  "A SHA-256 fingerprint is required unless a stronger one is given; SHA-1-only "
	  "fingerprints are refused by current stacks." },
	{ "FP-MATCH", SEV_ERROR, AREA_FINGERPRINT, "RFC 8842 §5.1; RFC 8122 §5.1",
	  "the certificate in the DTLS handshake does not match the sender's a=fingerprint",
	  "The peer must abort such a handshake with bad_certificate (RFC 8122 §6.2); "
	  "media that flows anyway is not authenticated by the signalling." },
	{ "FP-MISMATCH-TEARDOWN", SEV_ERROR, AREA_FINGERPRINT, "RFC 8122 §5.1, §6.2; RFC 8842 §5.1",
	  "media flowed although the certificate did not match the fingerprint",
	  "On a mismatch the association must not be established (bad_certificate) and "
	  "the media torn down; media that flows anyway is not authenticated." },
	{ "FP-CHANGED-NO-HANDSHAKE", SEV_ERROR, AREA_FINGERPRINT, "RFC 8842 §3.1, §4",
	  "a re-offer changed the fingerprint but no new DTLS handshake followed",
	  "A changed fingerprint set means a new DTLS association; keeping the old one "
	  "leaves media protected by a certificate the signalling no longer names." },
	/* ---- use_srtp ---- */
	{ "USESRTP-CH", SEV_ERROR, AREA_USE_SRTP, "RFC 5764 §4.1.1",
	  "the ClientHello has no use_srtp extension",
	  "A DTLS-SRTP client must offer its SRTP protection profiles in use_srtp." },
	{ "USESRTP-NO-COMMON", SEV_ERROR, AREA_USE_SRTP, "RFC 5764 §4.1.1; RFC 5763 §6.10",
	  "the ServerHello negotiated no SRTP protection profile",
	  "Without use_srtp in the ServerHello the DTLS session exports no SRTP keys: no "
	  "SRTP can follow. No profile is ever assumed." },
	{ "USESRTP-SH-ONE", SEV_ERROR, AREA_USE_SRTP, "RFC 5764 §4.1.1",
	  "the ServerHello's use_srtp does not carry exactly one profile",
	  "A server that accepts answers with exactly one profile." },
	{ "USESRTP-SH-OFFERED", SEV_ERROR, AREA_USE_SRTP, "RFC 5764 §4.1.1",
	  "the ServerHello selected a profile the client did not offer",
	  "The server must select one of the client's profiles." },
	{ "USESRTP-MKI-ECHO", SEV_ERROR, AREA_USE_SRTP, "RFC 5764 §4.1.3",
	  "the server's srtp_mki is neither empty nor the client's",
	  "The server echoes the client's MKI or returns an empty one." },
	{ "USESRTP-NULL-CIPHER", SEV_WARNING, AREA_USE_SRTP, "RFC 8827 §6.5; RFC 5764 §4.1.2",
	  "a NULL-cipher SRTP profile was negotiated",
	  "SRTP_NULL_HMAC_SHA1_* protect integrity only: the media travels in the clear. "
	  "WebRTC endpoints must not use them." },
	/* ---- certificate and handshake ---- */
	{ "DTLS-CERTREQ", SEV_ERROR, AREA_HANDSHAKE, "RFC 8122 §6.2",
	  "the DTLS server did not request a client certificate",
	  "Under offer/answer both sides authenticate with certificates matched against "
	  "the fingerprints; the server must send CertificateRequest." },
	{ "DTLS-CLIENT-CERT", SEV_ERROR, AREA_HANDSHAKE, "RFC 8122 §6.2",
	  "the DTLS client sent no certificate",
	  "The active side must present a certificate that matches its fingerprint." },
	{ "DTLS-SERVER-CERT", SEV_ERROR, AREA_HANDSHAKE, "RFC 8122 §6.2",
	  "the DTLS server sent no certificate",
	  "The passive side must present a certificate." },
	{ "DTLS-CERT-VALIDITY", SEV_INFO, AREA_HANDSHAKE, "RFC-NOTES §13 #6",
	  "a certificate was not valid at the time of the call",
	  "No RFC of DTLS-SRTP requires checking validity dates (identity comes from the "
	  "fingerprint), but strict stacks reject expired certificates." },
	{ "DTLS-CERT-WEAK-KEY", SEV_WARNING, AREA_HANDSHAKE, "RFC 8827 §6.5; BCP 195",
	  "a certificate key is weak (RSA below 2048 bits)",
	  "Use ECDSA P-256 or RSA of at least 2048 bits." },
	{ "TLS-NO-DTLS10", SEV_ERROR, AREA_HANDSHAKE, "RFC 8996 §6; RFC 9325 §3.1.2",
	  "DTLS 1.0 was negotiated",
	  "DTLS 1.0 must not be negotiated; use DTLS 1.2." },
	{ "WEBRTC-FS", SEV_WARNING, AREA_HANDSHAKE, "RFC 8827 §6.5; RFC 9325 §4.2",
	  "the negotiated cipher suite has no forward secrecy",
	  "Forward-secret (ECDHE) suites must be favoured: with a static-RSA suite a "
	  "leaked key decrypts every recorded call." },
	{ "TLS-EMS", SEV_WARNING, AREA_HANDSHAKE, "RFC 9325 §3.5; RFC 7627 §5.1, §5.2",
	  "no extended_master_secret in the handshake",
	  "DTLS 1.2 implementations must support the extended master secret, which "
	  "closes the triple-handshake attack." },
	{ "DTLS-FATAL-ALERT", SEV_ERROR, AREA_HANDSHAKE, "RFC 5246 §7.2",
	  "a fatal DTLS alert was sent",
	  "The association is gone: no keys, or no more media under them." },
	{ "DTLS-INCOMPLETE", SEV_ERROR, AREA_HANDSHAKE, "RFC 6347 §4.2.4",
	  "a DTLS handshake never completed",
	  "No Finished from one or both sides: no SRTP keys were agreed." },
	{ "DTLS-HANDSHAKE-INFO", SEV_INFO, AREA_HANDSHAKE, "RFC 6347 §4.2.4",
	  "handshake duration and retransmissions",
	  "How long the handshake took and how many flights were sent again." },
	/* ---- rtcp-mux ---- */
	{ "MUX-ANSWER-NOT-OFFERED", SEV_ERROR, AREA_RTCP_MUX, "RFC 8035 §3.1",
	  "the answer has a=rtcp-mux but the offer did not",
	  "An answerer may include a=rtcp-mux only if it was offered." },
	{ "MUXONLY-ANSWER", SEV_ERROR, AREA_RTCP_MUX, "RFC 8858 §4.3",
	  "an rtcp-mux-only offer was accepted without a=rtcp-mux",
	  "The answerer accepting an rtcp-mux-only stream includes rtcp-mux, or rejects "
	  "the m-line." },
	{ "MUXONLY-IN-ANSWER", SEV_ERROR, AREA_RTCP_MUX, "RFC 8858 §3, §4.3",
	  "a=rtcp-mux-only in an answer",
	  "rtcp-mux-only is an offer-only attribute." },
	{ "MUX-NEGOTIATED-USED", SEV_ERROR, AREA_RTCP_MUX, "RFC 8035 §3.1; RFC 5761 §5.1.1",
	  "RTCP was not sent where the rtcp-mux negotiation said",
	  "With rtcp-mux agreed both sides send RTCP on the RTP port; without it, on the "
	  "RTCP port. RTCP elsewhere is dropped by the peer." },
	{ "MUX-PT-64-95", SEV_ERROR, AREA_RTCP_MUX, "RFC 5761 §4",
	  "RTP payload types 64-95 used with rtcp-mux",
	  "They collide with RTCP packet types 192-223 when RTP and RTCP share a port." },
	{ "DTLS-PER-PORTPAIR", SEV_ERROR, AREA_RTCP_MUX, "RFC 5764 §3",
	  "without rtcp-mux, SRTCP on the RTCP port had no DTLS association of its own",
	  "One DTLS-SRTP session per port pair: without rtcp-mux the RTCP port needs its "
	  "own handshake, whose keys protect the SRTCP; keys of the RTP association do not "
	  "apply there." },
	/* ---- method: SDES, DTLS, dual offers ---- */
	{ "OSRTP-ANSWER-ONE", SEV_ERROR, AREA_METHOD, "RFC 8643 §3.2; RFC-NOTES §13 #8",
	  "the answer carries both a=crypto and a=fingerprint",
	  "An answer to an offer with several keying methods uses exactly one." },
	{ "METHOD-DTLS-AFTER-SDES", SEV_ERROR, AREA_METHOD, "RFC 8643 §3.2",
	  "a DTLS handshake on a stream whose answer chose SDES",
	  "The answer picked SDES: keys come from a=crypto, not from DTLS." },
	{ "OA-PROTO-MATCH", SEV_WARNING, AREA_METHOD, "RFC 5124 §3.3.1; RFC-NOTES §13 #9",
	  "the answer's transport protocol differs from the offer's",
	  "For example RTP/SAVP answering UDP/TLS/RTP/SAVP: some offerers refuse the "
	  "answer or fall back to another keying method than the answerer assumes." },
	/* ---- SDES ---- */
	{ "SDES-GRAMMAR", SEV_ERROR, AREA_SDES, "RFC 4568 §9.1, §6.1, §4.1",
	  "an a=crypto attribute does not follow the grammar",
	  "Tag, crypto-suite and inline key-params: an unknown suite, invalid base64, a "
	  "bad tag or session parameter makes the attribute invalid, so the stream may be "
	  "left without keys." },
	{ "SDES-KEYLEN", SEV_ERROR, AREA_SDES, "RFC 4568 §6.1; RFC 6188 §4; RFC 7714 §12",
	  "an SDES key||salt has the wrong length for its suite",
	  "The decoded inline value must be exactly the suite's master key plus master "
	  "salt (30 octets for AES_CM_128, 46 for AES_256_CM, 28 and 44 for the GCM suites)." },
	{ "SDES-LIFETIME", SEV_ERROR, AREA_SDES, "RFC 4568 §6.1",
	  "an SDES key lifetime is malformed or above the suite's maximum",
	  "A lifetime is decimal or 2^n without leading zeros and not above the suite "
	  "maximum; otherwise the attribute is invalid." },
	{ "SDES-MKI", SEV_ERROR, AREA_SDES, "RFC 4568 §6.1",
	  "an SDES MKI is malformed or inconsistent",
	  "MKI value and length both present, length at most 128, the same MKI length "
	  "for every key of the attribute." },
	{ "SDES-UNKNOWN-PARAM", SEV_ERROR, AREA_SDES, "RFC 4568 §6.3.7",
	  "an unknown SDES session parameter without a leading '-'",
	  "Unknown mandatory session parameters make the attribute invalid; only "
	  "parameters starting with '-' may be ignored." },
	{ "SDES-MEDIA-LEVEL", SEV_ERROR, AREA_SDES, "RFC 4568 §4",
	  "a=crypto at session level",
	  "a=crypto is a media-level attribute only." },
	{ "SDES-ANSWER-ONE", SEV_ERROR, AREA_SDES, "RFC 4568 §5.1.2, §7.1.2",
	  "the answer does not accept exactly one offered crypto attribute",
	  "The answer carries exactly one a=crypto whose tag and suite were offered." },
	{ "SDES-ANSWER-OWN-KEY", SEV_ERROR, AREA_SDES, "RFC 4568 §6.1, §7.1.1",
	  "the answer repeats the offerer's key",
	  "Each side sends with its own key; keys are unique across the SDP." },
	{ "SDES-KEY-REUSE", SEV_ERROR, AREA_SDES, "RFC 4568 §6.1; RFC 3711 §9.1",
	  "the same SDES key protects media of two calls or directions",
	  "Reusing a master key with the same SSRC and index reuses the keystream." },
	{ "SDES-SECURE-SIGNALLING", SEV_WARNING, AREA_SDES, "RFC 4568 §8, §8.3",
	  "SDES keys carried in clear-text signalling",
	  "Every proxy and anyone capturing the SIP can decrypt the media; carry a=crypto "
	  "only over TLS (SIPS) or S/MIME." },
	{ "SDES-SRTP-TRANSPORT", SEV_INFO, AREA_SDES, "RFC 4568 §6; RFC 8643",
	  "a=crypto on RTP/AVP (best-effort SRTP)",
	  "SDES belongs to RTP/SAVP(F); on RTP/AVP it is opportunistic SRTP, which "
	  "falls back to plain RTP silently." },
	/* ---- DTLS lifetime ---- */
	{ "DTLS-CLOSE-DURING-MEDIA", SEV_WARNING, AREA_LIFETIME, "RFC 5764 §4.3; RFC 8842 §5.1",
	  "close_notify or a fatal alert while media was still flowing",
	  "Some products close the association right after key export; WebRTC stacks "
	  "treat close_notify as transport teardown and stop the media." },
	{ "DTLS-REHANDSHAKE", SEV_INFO, AREA_LIFETIME, "RFC 5764 §4.3; RFC 8842 §3.1",
	  "a new DTLS handshake during the call",
	  "A new handshake means new SRTP keys; it is expected after a re-offer that "
	  "changes roles, fingerprints or tls-id." },
	/* ---- media ---- */
	{ "SRTP-BEFORE-HANDSHAKE", SEV_ERROR, AREA_MEDIA, "RFC 5764 §5.1",
	  "SRTP was sent before the DTLS handshake completed",
	  "There are no keys before both Finished messages: such packets cannot be "
	  "decrypted by the peer." },
	{ "SRTCP-AUTH-REQUIRED", SEV_ERROR, AREA_MEDIA, "RFC 3711 §3.4; RFC 4568 §6.3.2",
	  "RTCP sent in the clear where SRTCP was agreed",
	  "RTCP must be authenticated as SRTCP; plain RTCP at start or at BYE leaks and "
	  "is dropped by strict receivers." },
	{ "MEDIA-PLAIN-RTP", SEV_ERROR, AREA_MEDIA, "RFC 3711 §3; RFC 8643 §3.3",
	  "plain RTP where SRTP was agreed",
	  "The keys are known but no packet authenticates, and the G.711 payloads carry "
	  "no authentication tag (whole 10 ms frames): the media was sent in the clear." },
	{ "SRTP-AUTH-FAIL", SEV_ERROR, AREA_MEDIA, "RFC 3711 §3.3, §4.2",
	  "a direction's SRTP never authenticates with the negotiated keys",
	  "Every packet fails its authentication tag: the sender uses other keys than it "
	  "announced (wrong a=crypto, swapped DTLS halves, a different handshake) or a "
	  "different ROC; the peer drops all of it." },
	{ "SRTP-REPLAY", SEV_INFO, AREA_MEDIA, "RFC 3711 §3.3.2",
	  "SRTP packets with an index already received (duplicates)",
	  "Receivers with replay protection drop them; duplicates in a capture often come "
	  "from the network or the capture point." },
	{ "SRTP-ROC-INIT", SEV_INFO, AREA_MEDIA, "RFC 3711 §3.3.1",
	  "a stream without the signalling that started it: its ROC is unknown",
	  "No SDP and no DTLS handshake describe the stream (the capture starts mid-call): "
	  "the rollover counter must be guessed; srtpaudit tries ROC 0 to 15." },
	{ "MEDIA-ONE-WAY", SEV_WARNING, AREA_MEDIA, "RFC 3264 §6.1",
	  "media never arrived in one direction",
	  "A sendrecv stream carried RTP one way only: often a role, key or NAT problem." },
};

size_t check_count(void)
{
	return sizeof catalogue / sizeof catalogue[0];
}

const struct check_def *check_at(size_t i)
{
	return i < check_count() ? &catalogue[i] : NULL;
}

const struct check_def *check_find(const char *id)
{
	size_t i;
	for (i = 0; i < check_count(); i++)
		if (strcmp(catalogue[i].id, id) == 0)
			return &catalogue[i];
	return NULL;
}

size_t check_index(const struct check_def *c)
{
	return (size_t)(c - catalogue);
}

const char *check_area_name(enum check_area a)
{
	static const char *const n[] = {
		"setup", "fingerprint", "use_srtp", "handshake", "rtcp-mux",
		"method", "sdes", "lifetime", "media", "signalling",
	};
	return (unsigned)a < sizeof n / sizeof n[0] ? n[a] : "other";
}

const char *severity_name(enum severity s)
{
	return s == SEV_ERROR ? "error" : s == SEV_WARNING ? "warning" : "info";
}

bool severity_parse(const char *s, enum severity *out)
{
	if (strcmp(s, "error") == 0)
		*out = SEV_ERROR;
	else if (strcmp(s, "warning") == 0)
		*out = SEV_WARNING;
	else if (strcmp(s, "info") == 0)
		*out = SEV_INFO;
	else
		return false;
	return true;
}
