/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Creating vzl_error objects: one call builds the error and returns the code. */
#ifndef VZL_ERROR_H
#define VZL_ERROR_H

#include "vzlite.h"

/*
 * Fill *err (when err is non-NULL) and return -code. `code` is a positive errno.
 * `param` may be NULL. The message is printf-formatted; it should name the problem and
 * the fix in one sentence.
 */
int error_set(vzl_error **err, int code, unsigned int veid, enum vzl_step step, const char *param,
	      const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Prefix the message of an existing error with "text: " (keeps code and step). */
void error_prefix(vzl_error **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Name the parameter of an error that names none yet (e.g. which quota action failed). */
void error_set_param(vzl_error **err, const char *param);

/* Set the VE of an error that has none yet. */
void error_set_veid(vzl_error **err, unsigned int veid);

#endif
