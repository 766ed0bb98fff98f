#include "unit.h"

int unit_case_failed;

int unit_main(const char *suite, const struct unit_case *cases, unsigned n)
{
	unsigned i, failed = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);

	for (i = 0; i < n; i++) {
		unit_case_failed = 0;
		cases[i].fn();
		printf("%s unit/%s/%s\n", unit_case_failed ? "FAIL" : "PASS", suite, cases[i].name);
		failed += unit_case_failed;
	}
	return failed ? 1 : 0;
}
