/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vzl_error: code, VE, failing step, parameter and one human sentence. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "macro.h"

struct vzl_error {
	int code;
	unsigned int veid;
	enum vzl_step step;
	char *param;
	char *message;
	int is_static;
};

/* Handed out when building an error itself runs out of memory; vzl_error_free ignores it. */
static struct vzl_error oom_error = {
	.code = ENOMEM,
	.step = VZL_STEP_NONE,
	.message = (char *)"out of memory while reporting an error",
	.is_static = 1,
};

static const char *const step_names[_VZL_STEP_MAX] = {
	[VZL_STEP_NONE] = "none",
	[VZL_STEP_CONFIG_READ] = "config-read",
	[VZL_STEP_CONFIG_VALUE] = "config-value",
	[VZL_STEP_CONFIG_WRITE] = "config-write",
	[VZL_STEP_ARGUMENT] = "argument",
	[VZL_STEP_PATH] = "path",
	[VZL_STEP_LOCK] = "lock",
	[VZL_STEP_KERNEL_OPEN] = "kernel-open",
	[VZL_STEP_SETLUID] = "setluid",
	[VZL_STEP_UBC_SET] = "setublimit",
	[VZL_STEP_FAIRSCHED] = "fairsched",
	[VZL_STEP_ENV_CREATE] = "env-create",
	[VZL_STEP_QUOTA] = "quota",
	[VZL_STEP_VENET] = "venet",
	[VZL_STEP_NETLINK] = "netlink",
	[VZL_STEP_VETH] = "veth",
	[VZL_STEP_MOUNT] = "mount",
	[VZL_STEP_TEMPLATE] = "template",
	[VZL_STEP_EXTRACT] = "extract",
	[VZL_STEP_XML] = "xml",
	[VZL_STEP_STATE] = "state",
	[VZL_STEP_PROFILE] = "profile",
	[VZL_STEP_NOT_IMPLEMENTED] = "not-implemented",
	[VZL_STEP_EXEC] = "exec",
};

VZL_API const char *vzl_step_name(enum vzl_step step)
{
	if ((unsigned)step >= _VZL_STEP_MAX)
		return NULL;
	return step_names[step];
}

int error_set(vzl_error **err, int code, unsigned int veid, enum vzl_step step, const char *param,
	      const char *fmt, ...)
{
	if (code <= 0)
		code = EIO; /* a caller bug; never report success as a failure code */
	if (!err)
		return -code;

	struct vzl_error *e = calloc(1, sizeof(*e));
	va_list ap;
	va_start(ap, fmt);
	int r = e ? vasprintf(&e->message, fmt, ap) : -1;
	va_end(ap);
	if (r < 0 || (param && !(e->param = strdup(param)))) {
		if (e) {
			free(e->message);
			free(e);
		}
		*err = &oom_error;
		return -code;
	}
	e->code = code;
	e->veid = veid;
	e->step = step;
	*err = e;
	return -code;
}

void error_prefix(vzl_error **err, const char *fmt, ...)
{
	if (!err || !*err || (*err)->is_static)
		return;
	char *prefix = NULL, *joined = NULL;
	va_list ap;
	va_start(ap, fmt);
	int r = vasprintf(&prefix, fmt, ap);
	va_end(ap);
	if (r < 0)
		return;
	if (asprintf(&joined, "%s: %s", prefix, (*err)->message) >= 0) {
		free((*err)->message);
		(*err)->message = joined;
	}
	free(prefix);
}

void error_set_param(vzl_error **err, const char *param)
{
	if (err && *err && !(*err)->is_static && !(*err)->param)
		(*err)->param = strdup(param); /* out of memory: the error stays without one */
}

void error_set_veid(vzl_error **err, unsigned int veid)
{
	if (err && *err && !(*err)->is_static && (*err)->veid == 0)
		(*err)->veid = veid;
}

VZL_API int vzl_error_code(const vzl_error *err)
{
	return err ? err->code : 0;
}

VZL_API unsigned int vzl_error_veid(const vzl_error *err)
{
	return err ? err->veid : 0;
}

VZL_API enum vzl_step vzl_error_step(const vzl_error *err)
{
	return err ? err->step : VZL_STEP_NONE;
}

VZL_API const char *vzl_error_param(const vzl_error *err)
{
	return err ? err->param : NULL;
}

VZL_API const char *vzl_error_message(const vzl_error *err)
{
	return err && err->message ? err->message : "no error";
}

VZL_API void vzl_error_free(vzl_error *err)
{
	if (!err || err->is_static)
		return;
	free(err->param);
	free(err->message);
	free(err);
}
