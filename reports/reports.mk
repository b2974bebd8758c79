# Reports: writers from the result model to JSON, JUnit XML and text.
reports_libsareports_a_SOURCES += reports/jsonw.h reports/jsonw.c
