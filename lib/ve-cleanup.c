/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A VE that stopped from inside, and the marker that tells it from a VE mounted on purpose.
 *
 * A start writes <LOCKDIR>/<VEID>.running under the VE's lock before it touches anything
 * (undone when the start fails); a stop removes it at its end. So, under the lock, "marker
 * there and the kernel does not list the VE" means the VE ran and stopped without vzlite
 * (halt, poweroff or reboot inside, or a killed start): what its start did on the host is
 * undone as stop's tail does it: unmount, quota off, [the network's routes], marker gone.
 * A VE mounted by `mount` and not running has no marker: "exist mounted down" is left alone.
 * The marker lives beside the lock file, never in the VE's tree.
 *
 * Every operation of ve_run_table runs these rows right after the lock and the config's
 * second read; vzl_ve_cleanup runs them alone (status, set, destroy, the monitor).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ctx.h"
#include "error.h"
#include "lock.h"
#include "macro.h"
#include "ve-run.h"
#include "ve-state.h"

static int marker_path(const struct ve_run *op, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s/%u.running", op->ve->ctx->paths[VZL_PATH_LOCK_DIR],
			 op->ve->id);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static int marker_remove(struct ve_run *op, vzl_error **err)
{
	char p[4096];
	int r = marker_path(op, p, sizeof(p));
	if (r == 0 && unlink(p) < 0 && errno != ENOENT)
		r = -errno;
	if (r < 0)
		return error_set(err, -r, op->ve->id, VZL_STEP_LOCK, NULL,
				 "cannot remove the run marker %s of VE %u: %s", p, op->ve->id,
				 strerror(-r));
	return 0;
}

/* ---- start's marker ---------------------------------------------------------------- */

static int marker_write_run(void *o, vzl_error **err)
{
	struct ve_run *op = o;
	char p[4096];
	int r = marker_path(op, p, sizeof(p));
	int fd = r < 0 ? r : open(p, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return error_set(err, r < 0 ? -r : errno, op->ve->id, VZL_STEP_LOCK, NULL,
				 "cannot write the run marker %s of VE %u: %s", p, op->ve->id,
				 strerror(r < 0 ? -r : errno));
	static const char text[] = "started by vzlite start; removed by stop\n";
	r = write(fd, text, sizeof(text) - 1) == (ssize_t)sizeof(text) - 1 ? 0 : -EIO;
	close(fd);
	if (r < 0) {
		(void)unlink(p);
		return error_set(err, EIO, op->ve->id, VZL_STEP_LOCK, NULL,
				 "cannot write the run marker %s of VE %u", p, op->ve->id);
	}
	return 0;
}

static int marker_undo(void *o, vzl_error **err)
{
	return marker_remove(o, err);
}

static void marker_write_describe(const void *o, struct step_plan *plan)
{
	char p[4096];
	if (marker_path(o, p, sizeof(p)) == 0)
		step_line(plan, "write the run marker %s", p);
}

const struct step start_row_marker = {
	.name = "run marker",
	.error_step = VZL_STEP_LOCK,
	.run = marker_write_run,
	.undo = marker_undo,
	.describe = marker_write_describe,
};

static int marker_remove_run(void *o, vzl_error **err)
{
	return marker_remove(o, err);
}

static void marker_remove_describe(const void *o, struct step_plan *plan)
{
	char p[4096];
	if (marker_path(o, p, sizeof(p)) == 0)
		step_line(plan, "remove the run marker %s", p);
}

const struct step stop_row_marker = {
	.name = "run marker",
	.error_step = VZL_STEP_LOCK,
	.run = marker_remove_run,
	.describe = marker_remove_describe,
};

/* ---- the cleanup ------------------------------------------------------------------- */

static int check_run(void *o, vzl_error **err)
{
	struct ve_run *op = o;
	char p[4096];
	op->stopped_inside = false;
	if (marker_path(op, p, sizeof(p)) < 0 || access(p, F_OK) < 0)
		return 0;
	int r = ve_kernel_lists(op->ve, err);
	if (r < 0)
		return r;
	op->stopped_inside = r == 0;
	op->was_mounted = ve_is_mounted(op->root, op->priv) == 1;
	return 0;
}

static void check_describe(const void *o, struct step_plan *plan)
{
	const struct ve_run *op = o;
	step_line(plan, "did VE %u stop from inside (run marker left, not listed by the kernel)?",
		  op->ve->id);
}

static const struct step cleanup_row_check = {
	.name = "stopped inside?",
	.error_step = VZL_STEP_STATE,
	.flags = STEP_CHECKS,
	.run = check_run,
	.describe = check_describe,
};

static bool when_stopped_inside(const void *o)
{
	return ((const struct ve_run *)o)->stopped_inside;
}

static bool when_stopped_mounted(const void *o)
{
	const struct ve_run *op = o;
	return op->stopped_inside && op->was_mounted;
}

static int unmount_run(void *o, vzl_error **err)
{
	return umount_row_unmount.run(o, err);
}

static void unmount_describe(const void *o, struct step_plan *plan)
{
	umount_row_unmount.describe(o, plan);
}

static const struct step cleanup_row_unmount = {
	.name = "unmount",
	.error_step = VZL_STEP_MOUNT,
	.when = when_stopped_mounted,
	.run = unmount_run,
	.describe = unmount_describe,
};

static int done_run(void *o, vzl_error **err)
{
	struct ve_run *op = o;
	int r = marker_remove(op, err);
	if (r == 0) {
		op->cleaned_up = true;
		log_info(op->ve->ctx,
			 "VE %u had stopped from inside: cleaned up after it (unmounted, disk "
			 "quota off)",
			 op->ve->id);
	}
	return r;
}

static const struct step cleanup_row_done = {
	.name = "run marker",
	.error_step = VZL_STEP_LOCK,
	.when = when_stopped_inside,
	.run = done_run,
	.describe = marker_remove_describe,
};

/* The cleanup, in stop's order; the network's rows (routes, proxy ARP) go before the last. */
static const struct step *const cleanup_table[] = {
	&cleanup_row_check,
	&cleanup_row_unmount,
	&cleanup_row_quota_off,
	/* NETWORK: host routes and proxy ARP of the VE's addresses */
	&cleanup_row_net_host,
	&cleanup_row_veth,
	&cleanup_row_done,
};

size_t cleanup_rows(const struct step **rows, size_t max)
{
	size_t n = ELEMENTSOF(cleanup_table) < max ? ELEMENTSOF(cleanup_table) : max;
	memcpy(rows, cleanup_table, n * sizeof(*rows));
	return n;
}

/* The lock row of a cleanup that must not wait (status): a held lock is -EBUSY at once. */
static int lock_nowait_run(void *o, vzl_error **err)
{
	struct op_lock *l = o;
	return lock_ve_wait(l->ve->ctx->paths[VZL_PATH_LOCK_DIR], l->ve->id, 0, &l->lock, err);
}

VZL_API int vzl_ve_cleanup(vzl_ve *ve, unsigned int flags, vzl_error **err)
{
	struct ve_run op;
	int r = ve_run_open(&op, ve, err);
	char p[4096];
	/* No marker: nothing to look at under the lock (it is looked at again there). */
	if (r == 0 && (marker_path(&op, p, sizeof(p)) < 0 || access(p, F_OK) < 0)) {
		ve_run_done(&op);
		return 0;
	}
	if (r == 0 && (flags & VZL_CLEANUP_WAIT_GONE)) {
		/* a ve-stop comes while the VE is still stopping (kernel-abi.md §12.3) */
		r = ve_kernel_lists(ve, err); /* opens the kernel's handle for the wait */
		if (r > 0)
			r = ve_run_wait_gone(&op, 10000);
		if (r < 0 && (!err || !*err))
			r = error_set(err, -r, ve->id, VZL_STEP_STATE, NULL,
				      "VE %u: waiting for the kernel to drop it: %s", ve->id,
				      strerror(-r));
	}
	if (r == 0) {
		struct step lock = create_row_lock;
		if (flags & VZL_CLEANUP_NOWAIT)
			lock.run = lock_nowait_run;
		r = ve_run_table_lock(&op, &lock, NULL, 0, err);
	}
	if (r == 0)
		r = op.cleaned_up ? 1 : 0;
	ve_run_done(&op);
	return r;
}
