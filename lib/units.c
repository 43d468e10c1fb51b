/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Numbers in config values (see units.h). The grammar is vzctl's parse_ul_sfx and
 * parse_twoul_sfx (kolyshkin/vzctl: src/lib/config.c) made strict where vzctl leans on
 * strtoull: no leading blanks or '+', no exponent, and a negative number is an error instead
 * of wrapping to a huge value that is then clamped to LONG_MAX.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "units.h"

const struct units_target units_x86_64 = {
	.name = "x86_64",
	.long_max = 9223372036854775807ull,
	.page_size = 4096,
};

const struct units_target units_i386 = {
	.name = "i386",
	.long_max = 2147483647ull,
	.page_size = 4096,
};

const struct units_target *units_native(void)
{
	return sizeof(long) == 8 ? &units_x86_64 : &units_i386;
}

/* vzctl's get_mul(): one letter, either case; P is a page, not a petabyte. */
static int64_t suffix_bytes(const struct units_target *t, char c)
{
	switch (c) {
	case 'T':
	case 't':
		return INT64_C(1) << 40;
	case 'G':
	case 'g':
		return INT64_C(1) << 30;
	case 'M':
	case 'm':
		return INT64_C(1) << 20;
	case 'K':
	case 'k':
		return INT64_C(1) << 10;
	case 'P':
	case 'p':
		return t->page_size;
	case 'B':
	case 'b':
		return 1;
	default:
		return -1;
	}
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int fail(enum units_err *why, enum units_err e)
{
	if (why)
		*why = e;
	return -EINVAL;
}

int units_parse_one(const struct units_target *t, const struct units_rule *r, const char *s,
		    const char **end, uint64_t *ret, enum units_err *why)
{
	const char *p = s;

	if (r->unlimited && strncmp(p, "unlimited", 9) == 0) {
		p += 9;
		if (*p != ':' && *p != '\0')
			return fail(why, UNITS_E_SYNTAX);
		*end = p;
		*ret = t->long_max;
		return 0;
	}
	if (*p == '\0' || *p == ':')
		return fail(why, UNITS_E_EMPTY);
	if (*p == '-')
		return fail(why, is_digit(p[1]) || p[1] == '.' ? UNITS_E_NEGATIVE : UNITS_E_SYNTAX);

	uint64_t whole = 0;
	bool range = false, digits = false, has_frac = false;
	for (; is_digit(*p); p++) {
		digits = true;
		if (__builtin_mul_overflow(whole, 10, &whole) ||
		    __builtin_add_overflow(whole, (uint64_t)(*p - '0'), &whole))
			range = true;
	}
	/* Up to 18 fraction digits count; more cannot change a truncated result. */
	uint64_t frac = 0, frac_den = 1;
	if (*p == '.' && r->fraction) {
		has_frac = true;
		for (p++; is_digit(*p); p++) {
			digits = true;
			if (frac_den < UINT64_C(1000000000000000000)) {
				frac = frac * 10 + (uint64_t)(*p - '0');
				frac_den *= 10;
			}
		}
	}
	if (!digits)
		return fail(why, UNITS_E_SYNTAX);

	int64_t mul = 0;
	if (*p != ':' && *p != '\0') {
		if (r->divisor == 0 || (mul = suffix_bytes(t, *p)) < 0)
			return fail(why, UNITS_E_SYNTAX);
		p++;
		if (*p != ':' && *p != '\0')
			return fail(why, UNITS_E_SYNTAX);
	}
	if (range)
		return fail(why, UNITS_E_RANGE);

	uint64_t v;
	int clamped = 0;
	if (mul == 0 && !has_frac) {
		v = whole;
	} else {
		/*
		 * vzctl computes in long double. On x86 that has a 64-bit mantissa, so whole
		 * numbers times a power of two divided by a power of two are exact here too.
		 */
		long double x = (long double)whole + (long double)frac / (long double)frac_den;
		if (mul)
			x = x * (long double)mul / (long double)r->divisor;
		if (x > (long double)t->long_max) {
			v = t->long_max;
			clamped = UNITS_CLAMPED;
		} else {
			v = (uint64_t)x;
		}
	}
	if (v > t->long_max) {
		v = t->long_max;
		clamped = UNITS_CLAMPED;
	}
	*end = p;
	*ret = v;
	return clamped;
}

int units_parse_pair(const struct units_target *t, const struct units_rule *r, const char *s,
		     uint64_t ret[2], enum units_err *why)
{
	const char *end;
	uint64_t v[2];
	int r0 = units_parse_one(t, r, s, &end, &v[0], why);
	if (r0 < 0)
		return r0;
	int r1 = 0;
	if (*end == ':') {
		r1 = units_parse_one(t, r, end + 1, &end, &v[1], why);
		if (r1 < 0)
			return r1;
		if (*end == ':')
			return fail(why, UNITS_E_EXTRA);
	} else {
		v[1] = v[0];
	}
	ret[0] = v[0];
	ret[1] = v[1];
	return r0 | r1;
}

int units_parse_ulong(const struct units_target *t, bool unlimited, const char *s, uint64_t *ret,
		      enum units_err *why)
{
	if (unlimited && strcmp(s, "unlimited") == 0) {
		*ret = t->long_max;
		return 0;
	}
	if (*s == '\0')
		return fail(why, UNITS_E_EMPTY);
	if (*s == '-')
		return fail(why, is_digit(s[1]) ? UNITS_E_NEGATIVE : UNITS_E_SYNTAX);
	uint64_t v = 0;
	bool range = false;
	const char *p = s;
	for (; is_digit(*p); p++)
		if (__builtin_mul_overflow(v, 10, &v) ||
		    __builtin_add_overflow(v, (uint64_t)(*p - '0'), &v))
			range = true;
	if (p == s || *p != '\0')
		return fail(why, UNITS_E_SYNTAX);
	if (range || v > t->long_max)
		return fail(why, UNITS_E_RANGE);
	*ret = v;
	return 0;
}

int units_parse_long(const char *s, long long min, long long max, long long *ret)
{
	const char *p = s;
	bool neg = *p == '-';
	if (neg)
		p++;
	if (!is_digit(*p))
		return -EINVAL;
	uint64_t v = 0;
	bool range = false;
	for (; is_digit(*p); p++)
		if (__builtin_mul_overflow(v, 10, &v) ||
		    __builtin_add_overflow(v, (uint64_t)(*p - '0'), &v))
			range = true;
	if (*p != '\0')
		return -EINVAL;
	/* |value| up to 2^63 fits; anything beyond is out of every int range we use. */
	if (range || v > (uint64_t)INT64_MAX + 1)
		return -ERANGE;
	long long x = neg ? (long long)(0 - v) : (long long)v;
	if ((!neg && v > (uint64_t)INT64_MAX) || x < min || x > max)
		return -ERANGE;
	*ret = x;
	return 0;
}

static int put(size_t size, int n)
{
	return n < 0 || (size_t)n >= size ? -ENOSPC : n;
}

int units_format_one(const struct units_target *t, const struct units_rule *r, uint64_t v,
		     char *buf, size_t size)
{
	if (r->unlimited && v >= t->long_max)
		return put(size, snprintf(buf, size, "unlimited"));
	return put(size, snprintf(buf, size, "%" PRIu64, v));
}

int units_format_pair_full(const struct units_target *t, const struct units_rule *r,
			   const uint64_t v[2], char *buf, size_t size)
{
	int n = units_format_one(t, r, v[0], buf, size);
	if (n < 0 || (size_t)n + 1 >= size)
		return -ENOSPC;
	buf[n] = ':';
	int m = units_format_one(t, r, v[1], buf + n + 1, size - n - 1);
	return m < 0 ? m : n + 1 + m;
}

int units_format_plain_pair(const uint64_t v[2], char *buf, size_t size)
{
	return put(size, snprintf(buf, size, "%" PRIu64 ":%" PRIu64, v[0], v[1]));
}

int units_format_pair(const struct units_target *t, const struct units_rule *r, const uint64_t v[2],
		      char *buf, size_t size)
{
	if (v[0] == v[1])
		return units_format_one(t, r, v[0], buf, size);
	return units_format_pair_full(t, r, v, buf, size);
}

const char *units_accepted(const struct units_rule *r)
{
	if (r->divisor == 0)
		return r->unlimited ? "a whole number (no suffix: it counts items) or unlimited"
				    : "a whole number without a suffix";
	return r->unlimited ? "a number with an optional K, M, G, T, P or B suffix, or unlimited"
			    : "a number with an optional K, M, G, T, P or B suffix (not unlimited)";
}
