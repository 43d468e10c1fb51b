/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The operation shared by mount, umount, start and stop (ve-run.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "create-opts.h"
#include "ctx.h"
#include "error.h"
#include "macro.h"
#include "ve-run.h"

/* The VE's config and spec into op (paths checked). */
static int read_config(struct ve_run *op, vzl_error **err)
{
	vzl_ve *ve = op->ve;
	int r = vzl_config_open_ve(ve, &op->cfg, err);
	if (r < 0)
		return r;
	if (!vzl_config_exists(op->cfg))
		return error_set(err, ENOENT, ve->id, VZL_STEP_STATE, NULL,
				 "VE %u does not exist: there is no %s", ve->id, ve->config_path);
	if ((r = ve_spec_from_config(op->cfg, ve->id, &op->spec, err)) < 0)
		return r;
	op->priv = op->spec.private_dir;
	op->root = op->spec.root_dir;
	if (!op->root)
		return error_set(err, EINVAL, ve->id, VZL_STEP_PATH, "VE_ROOT",
				 "VE_ROOT is not set for VE %u; set it in %s or the VE's config",
				 ve->id, ve->ctx->paths[VZL_PATH_GLOBAL_CONFIG]);
	if (!op->priv)
		return error_set(err, EINVAL, ve->id, VZL_STEP_PATH, "VE_PRIVATE",
				 "VE_PRIVATE is not set for VE %u; set it in %s or the VE's config",
				 ve->id, ve->ctx->paths[VZL_PATH_GLOBAL_CONFIG]);
	return 0;
}

static void forget_config(struct ve_run *op)
{
	start_res_done(op);
	ve_made_free(&op->devnodes_made);
	ve_made_free(&op->quota_made);
	ve_spec_done(&op->spec);
	free(op->netif);
	op->netif = NULL;
	vzl_config_free(op->cfg);
	op->cfg = NULL;
	op->priv = op->root = NULL;
}

int ve_run_open(struct ve_run *op, vzl_ve *ve, vzl_error **err)
{
	*op = (struct ve_run){
		.held = { .ve = ve, .lock = { .fd = -1 } },
		.ve = ve,
		.go_fd = -1,
		.err_fd = -1,
		.wait_fd = -1,
		.wait_s = 3600, /* vzctl's alarm */
	};
	int r = create_refuse_ct0(ve, "this command", err);
	return r < 0 ? r : read_config(op, err);
}

/*
 * ve_run_open read the config before the lock, so that a bad one is refused without waiting;
 * a command that held the lock meanwhile (set --save, destroy) may have changed or removed
 * it, and the operation must act on the config as it is once the lock is ours.
 */
static int reread_run(void *o, vzl_error **err)
{
	struct ve_run *op = o;
	forget_config(op);
	return read_config(op, err);
}

static void reread_describe(const void *o, struct step_plan *plan)
{
	const struct ve_run *op = o;
	step_line(plan, "read %s again under the lock", op->ve->config_path);
}

static const struct step ve_run_row_reread = {
	.name = "config",
	.error_step = VZL_STEP_CONFIG_READ,
	.flags = STEP_CHECKS,
	.run = reread_run,
	.describe = reread_describe,
};

void ve_run_done(struct ve_run *op)
{
	if (op->go_fd >= 0)
		close(op->go_fd);
	if (op->err_fd >= 0)
		close(op->err_fd);
	if (op->wait_fd >= 0)
		close(op->wait_fd);
	op->go_fd = op->err_fd = op->wait_fd = -1;
	net_addrs_free(&op->net_start);
	net_addrs_free(&op->net_stop);
	forget_config(op);
}

int ve_run_table_lock(struct ve_run *op, const struct step *lock, const struct step *const *rows,
		      size_t n, vzl_error **err)
{
	struct step steps[STEP_MAX];
	const struct step *cleanup[8];
	size_t nc = cleanup_rows(cleanup, ELEMENTSOF(cleanup)), k = 0;
	if (n + nc + 2 > STEP_MAX)
		return -EINVAL;
	if (lock) /* NULL: the caller holds the VE's lock already */
		steps[k++] = *lock;
	steps[k++] = ve_run_row_reread;
	for (size_t i = 0; i < nc; i++)
		steps[k++] = *cleanup[i];
	for (size_t i = 0; i < n; i++)
		steps[k++] = *rows[i];
	return step_run(op->ve->ctx, op->ve->id, steps, k, op, err);
}

int ve_run_table(struct ve_run *op, const struct step *const *rows, size_t n, vzl_error **err)
{
	return ve_run_table_lock(op, &create_row_lock, rows, n, err);
}

int ve_run_table_held(struct ve_run *op, const struct step *const *rows, size_t n, vzl_error **err)
{
	return ve_run_table_lock(op, NULL, rows, n, err);
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * 2.6.32 has no pidfd and the VE's init is not our child, so the kernel's own answer is
 * asked: VE_TEST, with a backoff from 1 ms doubling to 100 ms. The kernel drops the VE
 * ~100 ms after its init is reaped (kernel-abi.md §12.3), so a stop costs a few VE_TESTs.
 */
int ve_run_wait_gone(struct ve_run *op, long timeout_ms)
{
	struct kernel *k = &op->ve->ctx->kernel;
	long deadline = now_ms() + timeout_ms, pause_ms = 1;
	for (;;) {
		int r = kernel_env_test(k, op->ve->id);
		if (r <= 0 || kernel_is_dry_run(k))
			return r < 0 ? r : 0;
		if (now_ms() >= deadline)
			return -ETIMEDOUT;
		struct timespec ts = { pause_ms / 1000, (pause_ms % 1000) * 1000000 };
		nanosleep(&ts, NULL);
		if (pause_ms < 100)
			pause_ms *= 2;
	}
}
