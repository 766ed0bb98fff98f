/*
 * A tiny host test harness. Each TEST is one case; a case fails when any
 * CHECK in it fails. Output: one "PASS unit/<file>/<case>" or "FAIL ..."
 * line per case, which tests/run-all counts.
 */
#ifndef TESTS_UNIT_H
#define TESTS_UNIT_H

#include <stdio.h>
#include <stdlib.h>

struct unit_case {
	const char *name;
	void (*fn)(void);
};

extern int unit_case_failed;

#define CHECK(cond)                                                              \
	do {                                                                     \
		if (!(cond)) {                                                   \
			fprintf(stderr, "  %s:%d: CHECK(%s) failed\n", __FILE__, \
				__LINE__, #cond);                                \
			unit_case_failed = 1;                                    \
		}                                                                \
	} while (0)

#define CHECK_EQ(a, b)                                                               \
	do {                                                                         \
		unsigned long long _a = (unsigned long long)(a), _b = (unsigned long long)(b); \
		if (_a != _b) {                                                      \
			fprintf(stderr, "  %s:%d: %s == %s failed: 0x%llx != 0x%llx\n", \
				__FILE__, __LINE__, #a, #b, _a, _b);                 \
			unit_case_failed = 1;                                        \
		}                                                                    \
	} while (0)

int unit_main(const char *suite, const struct unit_case *cases, unsigned n);

#define UNIT_MAIN(suite, ...)                                                  \
	int main(void)                                                         \
	{                                                                      \
		static const struct unit_case cases[] = { __VA_ARGS__ };       \
		return unit_main(suite, cases, sizeof(cases) / sizeof(cases[0])); \
	}
#define CASE(f) { #f, f }

#endif
