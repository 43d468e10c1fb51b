/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * start (vzctl-behaviour.md §3.2) as a table of domain rows run by the step engine: every
 * row that succeeded is undone in reverse when a later one fails (the VE stopped,
 * unmounted, the root removed if made, the lock freed), and --dry-run walks the same rows.
 *
 *   lock → checks (not running, DISABLED, private area) → UB completeness / VSwap
 *   derivation → root → quota on (limits +100) → simfs mount → the VE-creating child (setluid,
 *   setublimit, capabilities, VE create; init held) → [network] → network inside the VE
 *   (lo, venet0, addresses, routes, dist files) → CPU → devices → meminfo → I/O →
 *   second-level quota in the VE → host name and resolv.conf inside → quota limits back →
 *   release init →
 *   [--wait: the VE's boot finished]; at the end, whatever the outcome, VE_LAYOUT saved
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "error.h"
#include "macro.h"
#include "ve-run.h"
#include "ve-state.h"

static int check_run(void *o, vzl_error **err)
{
	struct ve_run *op = o;
	unsigned veid = op->ve->id;
	if (op->spec.disabled.set && op->spec.disabled.value && !op->force)
		return error_set(err, EPERM, veid, VZL_STEP_STATE, "DISABLED",
				 "VE %u is disabled (DISABLED=yes); start it with --force, or "
				 "'vzlite set %u --disabled no --save'",
				 veid, veid);
	int r = ve_kernel_lists(op->ve, err);
	if (r < 0)
		return r;
	if (r > 0)
		return error_set(err, EBUSY, veid, VZL_STEP_STATE, NULL, "VE %u is already running",
				 veid);
	return 0;
}

static void check_describe(const void *o, struct step_plan *plan)
{
	const struct ve_run *op = o;
	step_line(plan, "refuse if VE %u runs or is disabled", op->ve->id);
}

static const struct step start_row_check = {
	.name = "check",
	.error_step = VZL_STEP_STATE,
	.flags = STEP_CHECKS,
	.run = check_run,
	.describe = check_describe,
};

/*
 * §2.7, §3.2 step 16: a start writes VE_LAYOUT="simfs" into the VE's config when the config
 * itself lacks it (vz.conf's VE_LAYOUT does not count: vzctl ignores it once a VE config
 * exists), and does so whatever the start's outcome, as vzctl's start does it after
 * vps_start returned. A held row: its release runs at the end, success or failure, while the
 * lock is still held. A failure to write only warns.
 */
static int layout_run(void *o, vzl_error **err)
{
	struct ve_run *op = o;
	char *v = NULL;
	enum vzl_source src = VZL_SOURCE_NONE;
	(void)err;
	if (vzl_config_get(op->cfg, "VE_LAYOUT", 0, &v, &src, NULL) < 0)
		src = VZL_SOURCE_NONE;
	free(v);
	op->layout_missing = src != VZL_SOURCE_FILE;
	return 0;
}

static int layout_save(void *o, vzl_error **err)
{
	struct ve_run *op = o;
	vzl_config *cfg = NULL;
	vzl_error *e = NULL;
	(void)err;
	if (!op->layout_missing)
		return 0;
	if (vzl_config_open_ve(op->ve, &cfg, &e) < 0 ||
	    vzl_config_set(cfg, "VE_LAYOUT", "simfs", &e) < 0 || vzl_config_save(cfg, &e) < 0)
		log_warning(op->ve->ctx, "VE %u: cannot save VE_LAYOUT=simfs: %s", op->ve->id,
			    e ? vzl_error_message(e) : "unknown error");
	else
		log_info(op->ve->ctx, "VE %u: VE_LAYOUT=\"simfs\" saved to %s", op->ve->id,
			 op->ve->config_path);
	vzl_error_free(e);
	vzl_config_free(cfg);
	op->layout_missing = false;
	return 0;
}

static void layout_describe(const void *o, struct step_plan *plan)
{
	step_line(plan, "at the end: VE_LAYOUT=\"simfs\" to %s if it lacks VE_LAYOUT",
		  ((const struct ve_run *)o)->ve->config_path);
}

static void layout_describe_undo(const void *o, struct step_plan *plan)
{
	const struct ve_run *op = o;
	if (op->layout_missing)
		step_line(plan, "write VE_LAYOUT=\"simfs\" to %s", op->ve->config_path);
}

static const struct step start_row_layout = {
	.name = "VE_LAYOUT",
	.error_step = VZL_STEP_CONFIG_WRITE,
	.flags = STEP_CHECKS | STEP_HELD,
	.run = layout_run,
	.undo = layout_save,
	.describe = layout_describe,
	.describe_undo = layout_describe_undo,
};

static const struct step *const start_table[] = {
	&start_row_layout,
	&start_row_check,
	&start_row_net_check,
	&start_row_marker,
	&mount_row_check,
	&start_row_ub,
	&mount_row_root,
	&start_row_quota_on,
	&mount_row_simfs,
	&start_row_create,
	/* NETWORK: venet IPs, NETDEV (the network work) */
	&start_row_venet,
	&start_row_net_host,
	&start_row_veth,
	&start_row_inside_net, /* after the host side, as vzctl's dist scripts run after vps-net_add */
	&start_row_cpu,
	&start_row_devices,
	&start_row_meminfo,
	&start_row_io,
	&start_row_quota_ugid,
	&start_row_inside_names,
	&start_row_quota_limits,
	&start_row_release,
	&start_row_wait,
};

size_t start_rows(const struct step **rows, size_t max)
{
	size_t n = ELEMENTSOF(start_table) < max ? ELEMENTSOF(start_table) : max;
	memcpy(rows, start_table, n * sizeof(*rows));
	return n;
}

VZL_API int vzl_ve_start(vzl_ve *ve, unsigned int flags, vzl_error **err)
{
	return vzl_ve_start_wait(ve, flags, 3600, err);
}

VZL_API int vzl_ve_start_wait(vzl_ve *ve, unsigned int flags, unsigned int wait_s, vzl_error **err)
{
	struct ve_run op;
	int r = ve_run_open(&op, ve, err);
	op.force = flags & VZL_START_FORCE;
	op.wait = flags & VZL_START_WAIT;
	op.wait_s = wait_s;
	if (r == 0)
		r = ve_run_table(&op, start_table, ELEMENTSOF(start_table), err);
	ve_run_done(&op);
	return r;
}
