// SPDX-License-Identifier: GPL-2.0-only
/*
 * Runner for the unit tests: prints "PASS suite/name" or "FAIL suite/name:
 * why" per case and exits non-zero when a case failed.  Arguments are
 * substrings; only matching cases run.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "test.h"

#define MAX_TESTS 256

static struct {
	const char *suite, *name;
	test_fn fn;
} tests[MAX_TESTS];
static int ntests;
static bool cur_failed;
static char cur_why[512];

void test_register(const char *suite, const char *name, test_fn fn)
{
	if (ntests == MAX_TESTS) {
		fprintf(stderr, "too many tests\n");
		exit(2);
	}
	tests[ntests].suite = suite;
	tests[ntests].name = name;
	tests[ntests].fn = fn;
	ntests++;
}

void test_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (cur_failed)
		return;
	cur_failed = true;
	n = snprintf(cur_why, sizeof(cur_why), "%s:%d: ", file, line);
	va_start(ap, fmt);
	vsnprintf(cur_why + n, sizeof(cur_why) - n, fmt, ap);
	va_end(ap);
}

bool test_failed(void)
{
	return cur_failed;
}

static int cmp_tests(const void *a, const void *b)
{
	const typeof(tests[0]) *x = a, *y = b;
	int c = strcmp(x->suite, y->suite);

	return c ? c : strcmp(x->name, y->name);
}

static bool selected(int i, int argc, char **argv)
{
	char full[256];
	int a;

	if (argc < 2)
		return true;
	snprintf(full, sizeof(full), "%s/%s", tests[i].suite, tests[i].name);
	for (a = 1; a < argc; a++)
		if (strstr(full, argv[a]))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	int i, passed = 0, failed = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	qsort(tests, ntests, sizeof(tests[0]), cmp_tests);
	for (i = 0; i < ntests; i++) {
		struct timespec t0, t1;
		double ms;

		if (!selected(i, argc, argv))
			continue;
		cur_failed = false;
		cur_why[0] = 0;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		tests[i].fn();
		clock_gettime(CLOCK_MONOTONIC, &t1);
		ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
		if (cur_failed) {
			printf("FAIL %s/%s: %s\n", tests[i].suite, tests[i].name,
			       cur_why);
			failed++;
		} else {
			printf("PASS %s/%s (%.0f ms)\n", tests[i].suite,
			       tests[i].name, ms);
			passed++;
		}
	}
	/* not the "N passed, N failed" form: run.sh prints the suite total */
	printf("unit binary: %d cases, %d failures\n", passed + failed, failed);
	return failed ? 1 : 0;
}
