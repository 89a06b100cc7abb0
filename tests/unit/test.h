/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A tiny test runner: TEST(name) registers a case of the file's
 * TEST_SUITE; CHECK* record the first failure of a case and return.
 */
#ifndef HVLIS_TEST_H
#define HVLIS_TEST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef void (*test_fn)(void);

void test_register(const char *suite, const char *name, test_fn fn);
void test_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
bool test_failed(void);

#define TEST(name)							\
	static void test_##name(void);					\
	static void __attribute__((constructor)) test_reg_##name(void)	\
	{								\
		test_register(TEST_SUITE, #name, test_##name);		\
	}								\
	static void test_##name(void)

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			test_fail(__FILE__, __LINE__, "%s", #cond);	\
			return;						\
		}							\
	} while (0)

#define CHECK_EQ(a, b)							\
	do {								\
		long long _a = (long long)(a), _b = (long long)(b);	\
		if (_a != _b) {						\
			test_fail(__FILE__, __LINE__, "%s == %s (%lld != %lld)", \
				  #a, #b, _a, _b);			\
			return;						\
		}							\
	} while (0)

#define CHECK_MSG(cond, ...)						\
	do {								\
		if (!(cond)) {						\
			test_fail(__FILE__, __LINE__, __VA_ARGS__);	\
			return;						\
		}							\
	} while (0)

/* Deterministic PRNG (xorshift64*) for model and property tests. */
static inline uint64_t test_rand(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545f4914f6cdd1dull;
}

static inline uint32_t test_rand_below(uint64_t *s, uint32_t n)
{
	return n ? (uint32_t)(test_rand(s) % n) : 0;
}

#endif /* HVLIS_TEST_H */
