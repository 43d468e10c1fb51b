/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The numbers in OpenVZ config values (vzctl-behaviour.md §2.4): BAR[:LIM] pairs, suffixes,
 * "unlimited", clamping to LONG_MAX, and the way vzctl writes them back (§2.7).
 *
 * LONG_MAX and the page size are those of the machine the config is meant for, not of the
 * one running this code: a struct units_target says which, so the i386 rules (LONG_MAX =
 * 2147483647) can be used and tested on x86_64. This file needs nothing but libc, so it also
 * compiles with -m32 (ctest build-m32).
 */
#ifndef VZL_UNITS_H
#define VZL_UNITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct units_target {
	const char *name;   /* "x86_64", "i386" */
	uint64_t long_max;  /* the target's LONG_MAX: "unlimited" and the clamp */
	unsigned page_size; /* what the P suffix means and the size of a page unit */
};

extern const struct units_target units_x86_64;
extern const struct units_target units_i386;
/* The target this library was compiled for. */
const struct units_target *units_native(void);

/* How the numbers of one parameter are read and written. */
struct units_rule {
	/*
	 * Bytes per unit of the stored value, by which a suffixed value (a byte count) is
	 * divided: 1 for bytes and inodes, the page size for pages, 1024 for KiB blocks.
	 * 0 refuses every suffix (count-type resources).
	 */
	uint64_t divisor;
	bool unlimited; /* "unlimited" accepted, and LONG_MAX written so */
	bool fraction;  /* "2.5" accepted (the fraction is truncated after scaling) */
};

/* Why a number did not parse; units_accepted() says what would have. */
enum units_err {
	UNITS_E_SYNTAX = 1, /* not a number, unknown or refused suffix, trailing garbage */
	UNITS_E_EMPTY,
	UNITS_E_NEGATIVE,
	UNITS_E_RANGE, /* the digits alone exceed 2^64 - 1 (vzctl: strtoull ERANGE) */
	UNITS_E_EXTRA, /* a third number after BAR:LIM */
};

/* units_parse_*() return 0, UNITS_CLAMPED (value above LONG_MAX, lowered to it) or -EINVAL. */
#define UNITS_CLAMPED 1

/*
 * One number at `s` up to ':' or the end of the string; *end points after it. On failure
 * *why says why.
 */
int units_parse_one(const struct units_target *t, const struct units_rule *r, const char *s,
		    const char **end, uint64_t *ret, enum units_err *why);

/* BAR[:LIM]; a single value is both. */
int units_parse_pair(const struct units_target *t, const struct units_rule *r, const char *s,
		     uint64_t ret[2], enum units_err *why);

/*
 * A plain unsigned decimal (vzctl parse_ul): no suffix, "unlimited" = LONG_MAX when allowed,
 * values above LONG_MAX refused (UNITS_E_RANGE), never clamped.
 */
int units_parse_ulong(const struct units_target *t, bool unlimited, const char *s, uint64_t *ret,
		      enum units_err *why);

/* A signed decimal within [min, max] (vzctl parse_int): -ERANGE outside, -EINVAL otherwise. */
int units_parse_long(const char *s, long long min, long long max, long long *ret);

/* "unlimited" for LONG_MAX when the rule allows it, else the decimal number. */
int units_format_one(const struct units_target *t, const struct units_rule *r, uint64_t v,
		     char *buf, size_t size);
/* vzctl's rendering of a UB pair: "BAR" when both are equal, else "BAR:LIM". */
int units_format_pair(const struct units_target *t, const struct units_rule *r, const uint64_t v[2],
		      char *buf, size_t size);
/*
 * "BARRIER:LIMIT" as two plain decimals, LONG_MAX included: what vzlite writes into a config
 * for every UB key, DISKSPACE and DISKINODES (issue 18). libvirt's OpenVZ driver reads a pair
 * only in this form (a single value, "unlimited" or a suffix makes it drop the element);
 * vzctl reads it as well.
 */
int units_format_plain_pair(const uint64_t v[2], char *buf, size_t size);
/* Always "SOFT:HARD", as vzctl writes DISKSPACE and DISKINODES. */
int units_format_pair_full(const struct units_target *t, const struct units_rule *r,
			   const uint64_t v[2], char *buf, size_t size);

/* What a rule accepts, for messages: "a number with an optional K, M, G, T, P or B suffix, or
 * unlimited". Static storage. */
const char *units_accepted(const struct units_rule *r);

#endif
