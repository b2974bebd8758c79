# Reports: writers from the result model to JSON, JUnit XML and text.
reports_libsareports_a_SOURCES += reports/jsonw.h reports/jsonw.c
reports_libsareports_a_SOURCES += reports/report.h reports/report_json.c \
	reports/report_text.c reports/report_calls.c reports/report_int.h \
	reports/report_findings.c reports/report_streams.c reports/pcap_out.h \
	reports/pcap_out.c
reports_libsareports_a_SOURCES += reports/report_junit.c
