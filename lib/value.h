/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Values of parameters: is this text a valid value of that parameter, and what does vzlite
 * write for it (vzctl-behaviour.md §2.4, §2.5, §2.7). One entry point for every type in the
 * parameter table; units.c does the numbers, value-list.c the list-like types.
 *
 * Messages have the form `KMEMSIZE: "1Q" is not a number with an optional K, M, G, T, P or B
 * suffix, or unlimited`; callers put "FILE:LINE: " in front when the value came from a file.
 */
#ifndef VZL_VALUE_H
#define VZL_VALUE_H

#include "params.h"
#include "units.h"

/* Longest value accepted, in bytes; vzctl has no limit, but no real value comes close. */
#define VALUE_MAX 4096

/*
 * Where a value comes from. vzctl clamps a number above LONG_MAX with a warning when it is
 * read from a file, but refuses it on the command line (exit 21); vzlite does the same.
 */
enum value_origin {
	VALUE_FROM_FILE,
	VALUE_FROM_USER,
};

/*
 * Check `text` as a value of `p`. Returns 0 when valid, UNITS_CLAMPED when valid only after
 * lowering a number to LONG_MAX (files only; *ret_message is then the warning), -EINVAL when
 * invalid (*ret_message says why and what is accepted), -ENOMEM. On success *ret_canonical
 * (when ret_canonical is non-NULL) is the value as vzlite writes it. Both are malloc()ed.
 */
int value_check(const struct param_def *p, const struct units_target *t, enum value_origin origin,
		const char *text, char **ret_canonical, char **ret_message);

/* The number rule of a UBC or DISK parameter; -EINVAL for other types. */
int value_rule(const struct param_def *p, const struct units_target *t, struct units_rule *ret);

/*
 * The value quoted for a message: '"' and '\' escaped, control characters as \n, \r, \t or
 * \xNN, cut after 48 bytes with "..." appended. Writes at most `size` bytes.
 */
void value_quote(const char *text, char *buf, size_t size);

/* Used by value.c for the list-like types (value-list.c). Return 0, -EINVAL (with `why` set to
 * the text after the quoted value) or -ENOMEM; *canon is a malloc()ed canonical form or NULL
 * to keep the text as it is. */
struct value_work {
	const struct param_def *p;
	const struct units_target *t;
	enum value_origin origin;
	const char *text;
	char *canon;
	char why[384];
};

int value_check_list(struct value_work *w);

#endif
