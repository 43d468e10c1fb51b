/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Minimal assertion helpers for the C unit tests: each check prints the expression and the
 * values on failure and is counted; test_summary() prints "NAME: N passed, M failed" and
 * gives the exit status.
 */
#ifndef VZL_TEST_H
#define VZL_TEST_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static unsigned test_passed, test_failed;

#define CHECK(expr)                                                                                \
	do {                                                                                       \
		if (expr) {                                                                        \
			test_passed++;                                                             \
		} else {                                                                           \
			test_failed++;                                                             \
			fprintf(stderr, "%s:%d: FAIL: %s\n", __FILE__, __LINE__, #expr);           \
		}                                                                                  \
	} while (0)

#define CHECK_INT(a, b)                                                                            \
	do {                                                                                       \
		long long a_ = (long long)(a), b_ = (long long)(b);                                \
		if (a_ == b_) {                                                                    \
			test_passed++;                                                             \
		} else {                                                                           \
			test_failed++;                                                             \
			fprintf(stderr, "%s:%d: FAIL: %s == %s (%lld != %lld)\n", __FILE__,        \
				__LINE__, #a, #b, a_, b_);                                         \
		}                                                                                  \
	} while (0)

#define CHECK_STR(a, b)                                                                            \
	do {                                                                                       \
		const char *a_ = (a), *b_ = (b);                                                   \
		if (a_ && b_ && strcmp(a_, b_) == 0) {                                             \
			test_passed++;                                                             \
		} else {                                                                           \
			test_failed++;                                                             \
			fprintf(stderr,                                                            \
				"%s:%d: FAIL: %s == %s\n  got:      \"%s\"\n  expected: \"%s\"\n", \
				__FILE__, __LINE__, #a, #b, a_ ? a_ : "(null)",                    \
				b_ ? b_ : "(null)");                                               \
		}                                                                                  \
	} while (0)

static inline int test_summary(const char *name)
{
	printf("%s: %u passed, %u failed\n", name, test_passed, test_failed);
	return test_failed ? 1 : 0;
}

#endif
