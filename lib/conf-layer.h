/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Which value a parameter has: within one file by the key's duplicate rule (vzctl-behaviour.md
 * §2.3), skipping lines whose value is invalid (§2.1 item 8); across files vz.conf first,
 * then the VE config or profile over it (§2.2). Command-line values are written into the VE
 * config's lines in memory (conf_set) and so come last.
 */
#ifndef VZL_CONF_LAYER_H
#define VZL_CONF_LAYER_H

#include "conf.h"
#include "params.h"
#include "units.h"
#include "vzlite.h"

/* The value of `p` in one file: malloc()ed into *ret, or NULL when the file does not set it
 * validly. *ret_line (may be NULL) is the line used (the first one for accumulated lists).
 * Returns 0 or -ENOMEM. */
int conf_lookup(const struct conf *c, const struct param_def *p, const struct units_target *t,
		char **ret, const struct conf_line **ret_line);

struct layers {
	const struct conf *global; /* vz.conf, or NULL */
	const struct conf *file;   /* the VE config or profile, or NULL */
	int file_is_ve;            /* VE_LAYOUT of vz.conf does not count then (§2.2 item 4) */
};

/* The effective value: file over vz.conf, each key's global-only and VE-only rules applied.
 * *ret is NULL and *ret_source VZL_SOURCE_NONE when neither sets it. */
int layer_get(const struct layers *L, const struct param_def *p, const struct units_target *t,
	      char **ret, enum vzl_source *ret_source);

/*
 * Report every problem of one file as vzctl would warn about it while reading: lines that do
 * not parse, unknown keys, invalid values (skipped), numbers clamped to LONG_MAX, ignored
 * duplicates, keys that do not count in this kind of file. Messages start with "FILE:LINE: ".
 */
typedef int (*conf_problem_fn)(void *userdata, enum vzl_severity severity, const char *param,
			       const char *message);
int conf_diagnose(const struct conf *c, const struct units_target *t, int is_global,
		  conf_problem_fn fn, void *userdata);

#endif
