/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The options of a create (create-opts.c), shared with create.c. */
#ifndef VZL_CREATE_OPTS_H
#define VZL_CREATE_OPTS_H

#include <stddef.h>

#include "vzlite.h"

#define CREATE_MAX_IPADD 64

struct vzl_create_opts {
	char *ostemplate;
	char *config;
	char *private_dir;
	char *root_dir;
	char *hostname;
	char *name; /* NAME */
	char *ipadd[CREATE_MAX_IPADD];
	size_t n_ipadd;
	vzl_progress_fn progress;
	void *progress_userdata;
};

/*
 * `value` of config key `param` (OSTEMPLATE, CONFIGFILE, HOSTNAME, NAME, IP_ADDRESS) by the rule
 * and with the message of `vzlite set`: -EINVAL (VZL_STEP_ARGUMENT, exit 21) or 0.
 */
int create_check_value(const char *param, const char *value, vzl_error **err);

/* VE 0 is the host: -EINVAL (exit 21) naming `what` for it, else 0 (vzctl: set only). */
int create_refuse_ct0(const vzl_ve *ve, const char *what, vzl_error **err);

#endif
