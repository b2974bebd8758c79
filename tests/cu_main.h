/* cu_main.h - a shared main() for the CUnit suites.
 *
 * A suite file defines `static const CU_TestInfo tests[]` and
 * `#define SUITE_NAME "..."` (optionally SUITE_INIT / SUITE_CLEANUP
 * functions), then includes this header last.  The runner
 * uses CUnit's basic interface, prints its summary (the "Run Summary" table)
 * and exits non-zero when any assertion failed.
 */
#ifndef SA_CU_MAIN_H
#define SA_CU_MAIN_H

#include <CUnit/Basic.h>
#include <stdlib.h>

#ifndef SUITE_INIT
#define SUITE_INIT NULL
#endif
#ifndef SUITE_CLEANUP
#define SUITE_CLEANUP NULL
#endif

static CU_SuiteInfo cu_suites[] = {
	{ SUITE_NAME, SUITE_INIT, SUITE_CLEANUP, NULL, NULL, (CU_TestInfo *)tests },
	CU_SUITE_INFO_NULL,
};

int main(void)
{
	unsigned failed;
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	if (CU_register_suites(cu_suites) != CUE_SUCCESS) {
		CU_cleanup_registry();
		return 2;
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	return failed ? 1 : 0;
}

#endif
