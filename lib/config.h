/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vzl_config's insides, for the tests that pick the target or the host memory. */
#ifndef VZL_CONFIG_H
#define VZL_CONFIG_H

#include "conf.h"
#include "lock.h"
#include "units.h"
#include "validate.h"
#include "vzlite.h"

struct vzl_config {
	vzl_ctx *ctx;              /* may be NULL */
	const struct conf *global; /* the context's vz.conf, or NULL */
	struct conf *file;
	char *path;
	int is_ve;
	unsigned veid; /* when is_ve */
	int exists;
	const struct units_target *target;
	char uuid[37];
	struct ve_lock lock; /* held from opening to vzl_config_free when opened locked */
};

/* Check values against another target's LONG_MAX (default: units_native()). */
void config_set_target(vzl_config *cfg, const struct units_target *t);
/* A conf_diagnose/spec callback (userdata: the vzl_config): load-time problems go to the
 * config's context log, invalid values as warnings, the rest at debug level. */
int config_log_problem(void *userdata, enum vzl_severity sev, const char *param,
		       const char *message);
/* vzl_config_validate with a given host memory (VSwap limits) instead of this machine's. */
int config_validate(vzl_config *cfg, unsigned flags, const struct validate_host *h,
		    vzl_report **ret, vzl_error **err);

/* vzl_config_save to another path (create writes the profile's lines as <VEID>.conf). */
int config_save_as(vzl_config *cfg, const char *path, vzl_error **err);

#endif
