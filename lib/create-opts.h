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
	char *ipadd[CREATE_MAX_IPADD];
	size_t n_ipadd;
	vzl_progress_fn progress;
	void *progress_userdata;
};

/* A template or profile name becomes part of a path: no '/', no leading '.', not empty. */
int create_check_name(const char *what, const char *param, const char *name, vzl_error **err);

/* VE 0 is the host: -EINVAL (exit 21) naming `what` for it, else 0 (vzctl: set only). */
int create_refuse_ct0(const vzl_ve *ve, const char *what, vzl_error **err);

/*
 * What define adds to a create (create.c): its values put on the profile before create's
 * own (values), its last changes after them (finish: the #UUID: line goes last), and the
 * config text that was or, in a dry run, would be written (*ret_config, malloc()ed).
 */
#define CREATE_NO_TEMPLATE  (1u << 0) /* the private area is given: extract nothing */
#define CREATE_KEEP_PRIVATE (1u << 1) /* a non-empty private area is kept, not refused */
struct create_hooks {
	int (*values)(vzl_config *cfg, void *userdata, vzl_error **err);
	int (*finish)(vzl_config *cfg, void *userdata, vzl_error **err);
	void *userdata;
	unsigned flags;
	char **ret_config;
};
int create_run(vzl_ve *ve, const vzl_create_opts *o, const struct create_hooks *hooks,
	       vzl_error **err);

#endif
