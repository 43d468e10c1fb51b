/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vzcfgvalidate's rules over layered config values (vzctl-behaviour.md §6.1, §6.6). */
#ifndef VZL_VALIDATE_H
#define VZL_VALIDATE_H

#include <stdint.h>

#include "conf-layer.h"

/* The host's memory, which VSwap limits are checked against. */
struct validate_host {
	uint64_t ram_bytes;
	uint64_t swap_bytes;
};

/* Read RAM (sysconf) and swap (SwapTotal in /proc/meminfo). -errno. */
int validate_host_probe(struct validate_host *h);

typedef int (*validate_fn)(void *userdata, enum vzl_severity severity, const char *param,
			   const char *message, const char *fix);

/*
 * Run the checks on the values `L` gives, reporting each problem through `fn` with its
 * suggested fix as a config line. With VZL_VALIDATE_FIX the fixes are set in `fix_into`
 * (conf_set) and later rules see the repaired values, as vzcfgvalidate -r does. *ret_vswap
 * says which rule set was used. Returns 0 valid, 1 invalid, negative on failure.
 */
int validate_run(const struct layers *L, struct conf *fix_into, const struct units_target *t,
		 const struct validate_host *h, unsigned flags, int *ret_vswap, validate_fn fn,
		 void *userdata);

/* A config is VSwap when PHYSPAGES has a limit that is neither LONG_MAX nor 2147483647 (§6.6). */
struct ve_spec;
int validate_is_vswap(const struct ve_spec *s, const struct units_target *t);

#endif
