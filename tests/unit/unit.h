/* unit.h - a minimal harness: each CHECK prints "ok - ..." or
 * "not ok - ..." (counted by tests/run.sh); main returns unit_status(). */
#ifndef UNIT_H
#define UNIT_H

#include <stdio.h>

static int unit_failures;

#define CHECK(cond, ...)                                                 \
	do {                                                             \
		int unit_ok_ = !!(cond);                                 \
		unit_failures += !unit_ok_;                              \
		printf("%s - ", unit_ok_ ? "ok" : "not ok");             \
		printf(__VA_ARGS__);                                     \
		if (!unit_ok_)                                           \
			printf("  [%s:%d: %s]", __FILE__, __LINE__, #cond); \
		printf("\n");                                            \
	} while (0)

static inline int unit_status(void)
{
	return unit_failures ? 1 : 0;
}

#endif
