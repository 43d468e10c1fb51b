/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What a beancounter resource's failcnt means to an operator (ubc-text.c). */
#ifndef VZL_UBC_TEXT_H
#define VZL_UBC_TEXT_H

#include <stddef.h>

#include "vzlite.h"

/*
 * One line saying what resource `ub` refused: "numproc: 3 fork()s refused (new processes
 * and threads); barrier 12 reached". `grew`: how many since the last look (< 0 unknown).
 */
void ubc_failure_text(unsigned int ub, const struct vzl_ub_value *v, long long grew, char *buf,
		      size_t size);

#endif
