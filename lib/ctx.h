/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The context's insides, shared by the library's modules. */
#ifndef VZL_CTX_H
#define VZL_CTX_H

#include "conf.h"
#include "kernel.h"
#include "vzlite.h"

struct vzl_ctx {
	char *paths[_VZL_PATH_MAX];
	struct conf *global;
	vzl_log_fn log_fn;
	void *log_userdata;
	enum vzl_log_level log_max;
	struct kernel kernel;
};

struct vzl_ve {
	vzl_ctx *ctx;
	unsigned int id;
	char *private_dir; /* VE_PRIVATE with $VEID expanded */
	char *root_dir;    /* VE_ROOT with $VEID expanded */
	char *config_path; /* CONF_DIR/<id>.conf */
};

void ctx_log(const vzl_ctx *ctx, enum vzl_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#define log_debug(ctx, ...)   ctx_log(ctx, VZL_LOG_DEBUG, __VA_ARGS__)
#define log_info(ctx, ...)    ctx_log(ctx, VZL_LOG_INFO, __VA_ARGS__)
#define log_notice(ctx, ...)  ctx_log(ctx, VZL_LOG_NOTICE, __VA_ARGS__)
#define log_warning(ctx, ...) ctx_log(ctx, VZL_LOG_WARNING, __VA_ARGS__)

/* A plan line in dry-run mode ("# would ..."): not a kernel call, but part of the plan. */
void ctx_plan(const vzl_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
