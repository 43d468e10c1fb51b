/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vzl_create_opts: what a create was asked for, checked as it is set. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "create-opts.h"
#include "error.h"
#include "macro.h"
#include "params.h"
#include "value.h"

VZL_API int vzl_create_opts_new(vzl_create_opts **ret, vzl_error **err)
{
	vzl_create_opts *o = calloc(1, sizeof(*o));
	if (!o)
		return error_set(err, ENOMEM, 0, VZL_STEP_NONE, NULL, "out of memory");
	*ret = o;
	return 0;
}

VZL_API void vzl_create_opts_free(vzl_create_opts *o)
{
	if (!o)
		return;
	free(o->ostemplate);
	free(o->config);
	free(o->private_dir);
	free(o->root_dir);
	free(o->hostname);
	free(o->name);
	for (size_t i = 0; i < o->n_ipadd; i++)
		free(o->ipadd[i]);
	free(o);
}

static int replace(char **slot, const char *value)
{
	char *copy = strdup(value);
	if (!copy)
		return -ENOMEM;
	free(*slot);
	*slot = copy;
	return 0;
}

int create_check_value(const char *param, const char *value, vzl_error **err)
{
	/* The rule and the message of `vzlite set` (value.c), before anything is looked up;
	 * for a name, create says why it matters here. */
	const struct param_def *p = param_find(param);
	_cleanup_free_ char *msg = NULL;
	int r = value_check(p, units_native(), VALUE_FROM_USER, value, NULL, &msg);
	if (r == -ENOMEM)
		return error_set(err, ENOMEM, 0, VZL_STEP_NONE, NULL, "out of memory");
	if (r < 0)
		return error_set(err, EINVAL, 0, VZL_STEP_ARGUMENT, param, "%s%s", msg,
				 p->type == PARAM_T_WORD
					 ? " (the name becomes part of a path, so it must not "
					   "be empty, contain '/' or start with '.')"
					 : "");
	return 0;
}

VZL_API int vzl_create_opts_set(vzl_create_opts *o, const char *key, const char *value,
				vzl_error **err)
{
	int r;
	if (!value)
		return error_set(err, EINVAL, 0, VZL_STEP_ARGUMENT, key, "--%s needs a value", key);
	if (strcmp(key, "ostemplate") == 0) {
		if ((r = create_check_value("OSTEMPLATE", value, err)) < 0)
			return r;
		r = replace(&o->ostemplate, value);
	} else if (strcmp(key, "config") == 0) {
		if ((r = create_check_value("CONFIGFILE", value, err)) < 0)
			return r;
		r = replace(&o->config, value);
	} else if (strcmp(key, "private") == 0) {
		r = replace(&o->private_dir, value);
	} else if (strcmp(key, "root") == 0) {
		r = replace(&o->root_dir, value);
	} else if (strcmp(key, "hostname") == 0) {
		if ((r = create_check_value("HOSTNAME", value, err)) < 0)
			return r;
		r = replace(&o->hostname, value);
	} else if (strcmp(key, "name") == 0) {
		if ((r = create_check_value("NAME", value, err)) < 0)
			return r;
		r = replace(&o->name, value);
	} else if (strcmp(key, "ipadd") == 0) {
		if ((r = create_check_value("IP_ADDRESS", value, err)) < 0)
			return r;
		if (o->n_ipadd == CREATE_MAX_IPADD)
			return error_set(err, E2BIG, 0, VZL_STEP_ARGUMENT, "IP_ADDRESS",
					 "at most %d --ipadd options per create", CREATE_MAX_IPADD);
		r = (o->ipadd[o->n_ipadd] = strdup(value)) ? 0 : -ENOMEM;
		if (r == 0)
			o->n_ipadd++;
	} else {
		return error_set(err, EINVAL, 0, VZL_STEP_ARGUMENT, key,
				 "unknown create option --%s", key);
	}
	if (r < 0)
		return error_set(err, -r, 0, VZL_STEP_NONE, NULL, "out of memory");
	return 0;
}

VZL_API void vzl_create_opts_set_progress(vzl_create_opts *o, vzl_progress_fn fn, void *userdata)
{
	o->progress = fn;
	o->progress_userdata = userdata;
}
