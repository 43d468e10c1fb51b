/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vzl_ctx: the global configuration, the paths, the log sink and the kernel handle. */
#define _GNU_SOURCE
#include <errno.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "error.h"
#include "macro.h"

#define DEFAULT_GLOBAL_CONFIG "/etc/vz/vz.conf"
#define DEFAULT_QUOTA_DIR     "/var/vzquota"
#define DEFAULT_VZCTL_DEVICE  "/dev/vzctl"
#define DEFAULT_PROC          "/proc"
#define DEFAULT_VEIP_DIR      "/var/lib/vzctl/veip"

/* The vz.conf key each path is read from; NULL for paths that are not in vz.conf. */
static const char *const path_keys[_VZL_PATH_MAX] = {
	[VZL_PATH_GLOBAL_CONFIG] = NULL,
	[VZL_PATH_CONF_DIR] = NULL,
	[VZL_PATH_VE_PRIVATE] = "VE_PRIVATE",
	[VZL_PATH_VE_ROOT] = "VE_ROOT",
	[VZL_PATH_TEMPLATE] = "TEMPLATE",
	[VZL_PATH_LOCK_DIR] = "LOCKDIR",
	[VZL_PATH_QUOTA_DIR] = "VZQUOTA_DIR",
	[VZL_PATH_VZCTL_DEVICE] = NULL,
	[VZL_PATH_PROC] = NULL,
	[VZL_PATH_VEIP_DIR] = "VEIP_DIR",
};

static const char *const path_names[_VZL_PATH_MAX] = {
	[VZL_PATH_GLOBAL_CONFIG] = "global config",
	[VZL_PATH_CONF_DIR] = "config directory",
	[VZL_PATH_VE_PRIVATE] = "VE_PRIVATE",
	[VZL_PATH_VE_ROOT] = "VE_ROOT",
	[VZL_PATH_TEMPLATE] = "TEMPLATE",
	[VZL_PATH_LOCK_DIR] = "LOCKDIR",
	[VZL_PATH_QUOTA_DIR] = "VZQUOTA_DIR",
	[VZL_PATH_VZCTL_DEVICE] = "control device",
	[VZL_PATH_PROC] = "proc root",
	[VZL_PATH_VEIP_DIR] = "VEIP_DIR",
};

VZL_API const char *vzl_version(void)
{
	return VZLITE_VERSION;
}

VZL_API const char *vzl_path_name(enum vzl_path which)
{
	return (unsigned)which < _VZL_PATH_MAX ? path_names[which] : NULL;
}

static int set_path(vzl_ctx *ctx, enum vzl_path which, const char *value)
{
	char *copy = NULL;
	if (value && !(copy = strdup(value)))
		return -ENOMEM;
	free(ctx->paths[which]);
	ctx->paths[which] = copy;
	return 0;
}

/* Paths from defaults and vz.conf. VE configs and profiles live in conf/ beside vz.conf,
 * as /etc/vz/conf sits beside /etc/vz/vz.conf. */
static int init_paths(vzl_ctx *ctx, const char *global_config)
{
	_cleanup_free_ char *copy = strdup(global_config);
	_cleanup_free_ char *conf_dir = NULL;
	if (!copy || asprintf(&conf_dir, "%s/conf", dirname(copy)) < 0)
		return -ENOMEM;
	if (set_path(ctx, VZL_PATH_GLOBAL_CONFIG, global_config) < 0 ||
	    set_path(ctx, VZL_PATH_CONF_DIR, conf_dir) < 0 ||
	    set_path(ctx, VZL_PATH_QUOTA_DIR, DEFAULT_QUOTA_DIR) < 0 ||
	    set_path(ctx, VZL_PATH_VZCTL_DEVICE, DEFAULT_VZCTL_DEVICE) < 0 ||
	    set_path(ctx, VZL_PATH_PROC, DEFAULT_PROC) < 0 ||
	    set_path(ctx, VZL_PATH_VEIP_DIR, DEFAULT_VEIP_DIR) < 0)
		return -ENOMEM;
	for (int i = 0; i < _VZL_PATH_MAX; i++) {
		const char *v = path_keys[i] ? conf_get(ctx->global, path_keys[i]) : NULL;
		if (v && *v && set_path(ctx, i, v) < 0)
			return -ENOMEM;
	}
	return 0;
}

VZL_API int vzl_ctx_new(vzl_ctx **ret, const char *global_config, vzl_error **err)
{
	if (!ret)
		return error_set(err, EINVAL, 0, VZL_STEP_ARGUMENT, NULL,
				 "no place for the context");
	if (!global_config)
		global_config = DEFAULT_GLOBAL_CONFIG;

	vzl_ctx *ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return error_set(err, ENOMEM, 0, VZL_STEP_NONE, NULL, "out of memory");
	ctx->log_max = VZL_LOG_WARNING;
	int r = kernel_init(&ctx->kernel, DEFAULT_VZCTL_DEVICE);
	if (r == 0) {
		r = conf_read(global_config, &ctx->global, err);
		if (r < 0) {
			vzl_ctx_free(ctx);
			return r;
		}
		r = init_paths(ctx, global_config);
	}
	if (r < 0) {
		vzl_ctx_free(ctx);
		return error_set(err, ENOMEM, 0, VZL_STEP_NONE, NULL, "out of memory");
	}
	*ret = ctx;
	return 0;
}

VZL_API void vzl_ctx_free(vzl_ctx *ctx)
{
	if (!ctx)
		return;
	for (int i = 0; i < _VZL_PATH_MAX; i++)
		free(ctx->paths[i]);
	conf_free(ctx->global);
	kernel_done(&ctx->kernel);
	free(ctx);
}

VZL_API int vzl_ctx_set_path(vzl_ctx *ctx, enum vzl_path which, const char *value, vzl_error **err)
{
	if ((unsigned)which >= _VZL_PATH_MAX)
		return error_set(err, EINVAL, 0, VZL_STEP_ARGUMENT, NULL, "unknown path kind %d",
				 (int)which);
	if (!value || !*value)
		return error_set(err, EINVAL, 0, VZL_STEP_ARGUMENT, path_names[which],
				 "the %s path must not be empty", path_names[which]);
	if (which == VZL_PATH_VZCTL_DEVICE) {
		char *dev = strdup(value);
		if (!dev)
			return error_set(err, ENOMEM, 0, VZL_STEP_NONE, NULL, "out of memory");
		free(ctx->kernel.device);
		ctx->kernel.device = dev;
	}
	if (set_path(ctx, which, value) < 0)
		return error_set(err, ENOMEM, 0, VZL_STEP_NONE, NULL, "out of memory");
	return 0;
}

VZL_API const char *vzl_ctx_get_path(const vzl_ctx *ctx, enum vzl_path which)
{
	return (unsigned)which < _VZL_PATH_MAX ? ctx->paths[which] : NULL;
}

VZL_API const char *vzl_ctx_get_global(const vzl_ctx *ctx, const char *key)
{
	return conf_get(ctx->global, key);
}

VZL_API void vzl_ctx_set_log(vzl_ctx *ctx, vzl_log_fn fn, void *userdata,
			     enum vzl_log_level max_level)
{
	ctx->log_fn = fn;
	ctx->log_userdata = userdata;
	ctx->log_max = max_level;
}

VZL_API void vzl_ctx_set_dry_run(vzl_ctx *ctx, vzl_dry_run_fn fn, void *userdata)
{
	kernel_set_dry_run(&ctx->kernel, fn, userdata);
}

void ctx_log(const vzl_ctx *ctx, enum vzl_log_level level, const char *fmt, ...)
{
	if (!ctx->log_fn || level > ctx->log_max)
		return;
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ctx->log_fn(ctx->log_userdata, level, msg);
}

void ctx_plan(const vzl_ctx *ctx, const char *fmt, ...)
{
	if (!ctx->kernel.dry_run)
		return;
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = snprintf(msg, sizeof(msg), "# ");
	vsnprintf(msg + n, sizeof(msg) - n, fmt, ap);
	va_end(ap);
	ctx->kernel.dry_run(ctx->kernel.dry_run_userdata, msg);
}
