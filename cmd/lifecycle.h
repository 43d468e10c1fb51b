/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The shared runner of start, stop, restart, mount and umount (lifecycle.c). */
#ifndef VZL_CLI_LIFECYCLE_H
#define VZL_CLI_LIFECYCLE_H

#include "cli.h"

/* Does the work on the opened VE: 0 or negative errno with *err; positive: a result. */
typedef int (*lifecycle_fn)(vzl_ve *ve, unsigned int flags, vzl_error **err);

/*
 * Parse "VERB VEID [FLAG...]" (flags from the NULL-option-terminated `flags`), open the VE
 * and run `fn`. On success print "VE <VEID> <done>" on stderr, or
 * `result1` when fn returned 1 (either may be NULL). Returns the exit code.
 */
int lifecycle_run(const struct cli_command *cmd, struct cli_globals *g, int argc, char **argv,
		  const struct cli_flag *flags, lifecycle_fn fn, const char *done,
		  const char *result1);

#endif
