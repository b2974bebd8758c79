# The srtpaudit program: thin front ends over the analyzer and reports.
bin_PROGRAMS += srtpaudit
srtpaudit_SOURCES = cli/main.c cli/cli.h cli/cli_common.c cli/cmd_analyze.c \
	cli/cmd_calls.c cli/cmd_decrypt.c cli/cli_keys.c
srtpaudit_LDADD = replay/libsaendpoint.a reports/libsareports.a analyzer/libsa.a $(SA_LIBS) $(XML_LIBS)
dist_man_MANS += docs/srtpaudit.1
srtpaudit_SOURCES += cli/cmd_checks.c
# srtpaudit replay (issue 8): the front end of the live replay.
srtpaudit_SOURCES += cli/cmd_replay.c
