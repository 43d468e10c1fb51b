/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * IP_ADDRESS without some of its addresses (vzctl-behaviour.md §2.4: `--ipdel A` takes A out
 * of the saved list, `--ipdel all` empties it). Addresses compare by family and bytes, the
 * /PREFIX ignored, through addr.c's one parser.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "error.h"
#include "vzlite.h"

#define SEPS " \t,"

/* The next blank- or comma-separated word of *p into word; false at the end. */
static bool next_word(const char **p, char *word, size_t size)
{
	*p += strspn(*p, SEPS);
	size_t n = strcspn(*p, SEPS);
	if (n == 0)
		return false;
	snprintf(word, size, "%.*s", (int)(n < size ? n : size - 1), *p);
	*p += n;
	return true;
}

/* Does `list` hold the address of `word` (any prefix)? */
static bool list_has(const char *list, const char *word)
{
	struct addr a, b;
	enum addr_err e;
	char w[ADDR_TEXT_MAX + 8];
	if (addr_parse(word, &a, &e) < 0)
		return false;
	for (const char *p = list; next_word(&p, w, sizeof(w));)
		if (addr_parse(w, &b, &e) == 0 && a.family == b.family &&
		    memcmp(a.bytes, b.bytes, sizeof(a.bytes)) == 0)
			return true;
	return false;
}

VZL_API int vzl_ip_list_remove(unsigned int veid, const char *list, const char *del, char **ret,
			       vzl_error **err)
{
	const char *old = list ? list : "";
	char w[ADDR_TEXT_MAX + 8];
	*ret = NULL;
	if (strcmp(del, "all") != 0)
		for (const char *p = del; next_word(&p, w, sizeof(w));)
			if (!list_has(old, w))
				return error_set(
					err, EINVAL, veid, VZL_STEP_ARGUMENT, "IP_ADDRESS",
					"--ipdel %s: the VE has no address %s (IP_ADDRESS=\"%s\"); "
					"give one of its addresses, or 'all'",
					del, w, old);
	char *v = calloc(1, strlen(old) + 1);
	if (!v)
		return error_set(err, ENOMEM, veid, VZL_STEP_NONE, NULL, "out of memory");
	if (strcmp(del, "all") != 0)
		for (const char *p = old; next_word(&p, w, sizeof(w));)
			if (!list_has(del, w))
				sprintf(v + strlen(v), "%s%s", *v ? " " : "", w);
	*ret = v;
	return 0;
}
