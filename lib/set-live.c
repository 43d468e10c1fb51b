/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `set` on a running VE (vzctl-behaviour.md §3.6 steps 6, 11, 12, 13), as a step table:
 *
 *   apply (STEP_RECORDS) → save (with VZL_SET_LIVE_SAVE)
 *
 * The caller holds the VE's lock through its config (vzl_config_open_ve_locked), which is
 * read once: the new values are staged in it, each changed parameter's applier (the same
 * one start uses, apply.h) sends it to the kernel in vzctl's order (UB, CPU, devices,
 * meminfo, I/O), and only then is the config written. When a call fails, the parameters
 * already applied are set back to their previous values (vzctl leaves them changed; the
 * previous value is known from the config) and nothing is written. A failed save undoes
 * the application the same way.
 *
 * Parameters whose change needs a restart (CAPABILITY, FEATURES, NETFILTER, ...) are only
 * saved, and reported; parameters a running VE takes but whose live mechanism vzlite does
 * not issue yet (disk quota, ...) are only saved, and reported too. IP_ADDRESS is a change
 * from the addresses the kernel lists (net-steps.c): deleted ones first. HOSTNAME,
 * NAMESERVER and SEARCHDOMAIN are set inside the VE (ve-inside.h) after the kernel calls, as
 * vzctl runs its SET_HOSTNAME/SET_DNS scripts there; their failures are warnings, as vzctl
 * ignores those scripts' errors.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "apply.h"
#include "ctx.h"
#include "error.h"
#include "macro.h"
#include "net.h"
#include "params.h"
#include "step.h"
#include "ve-inside.h"
#include "ve-run.h"
#include "ve-spec.h"
#include "ve-state.h"

struct live_item {
	const struct param_def *p;
	char *old;    /* canonical value before the command (default if unset), NULL if none */
	bool changed; /* the config's text changed */
	bool applied; /* its call was made */
};

struct live_op {
	vzl_ve *ve;
	vzl_config *cfg;
	unsigned flags;
	struct live_item *items; /* in application order */
	size_t n;
	bool undoing;   /* value_of answers the previous values */
	char **strings; /* what value_of handed out, freed at the end */
	size_t n_strings;
};

/* The row's place in vzctl's live order (§3.6 step 12); -1: not applied to a running VE. */
static int live_rank(const struct param_def *p)
{
	if (p->live != PARAM_LIVE_YES)
		return -1;
	switch (p->applier) {
	case PARAM_A_SETUBLIMIT:
		return p->ub_resource >= 0 ? 0 : -1; /* VM_OVERCOMMIT only scales a derivation */
	case PARAM_A_VENET_IP_MAP:
		return 1; /* --ipdel, --ipadd: after the UB, before CPU */
	case PARAM_A_FAIRSCHED_RATE:
		return 2;
	case PARAM_A_FAIRSCHED_CHWT:
		return 3;
	case PARAM_A_FAIRSCHED_VCPUS:
		return 4;
	case PARAM_A_FAIRSCHED_CPUMASK:
		return 5;
	case PARAM_A_FAIRSCHED_NODEMASK:
		return 6;
	case PARAM_A_SETDEVPERMS:
		return 7;
	case PARAM_A_VE_MEMINFO:
		return 8;
	case PARAM_A_IOPRIO_SET:
	case PARAM_A_SET_IOLIMIT:
	case PARAM_A_SET_IOPSLIMIT:
		return 9;
	case PARAM_A_VETH_HWADDR:
		return 10; /* vzctl's vps_set: veth after the resources */
	default:
		return -1;
	}
}

static int item_cmp(const void *a, const void *b)
{
	const struct live_item *x = a, *y = b;
	int rx = live_rank(x->p), ry = live_rank(y->p);
	if (rx != ry)
		return rx < ry ? -1 : 1;
	return x->p < y->p ? -1 : x->p > y->p; /* table order: vzctl's setublimit order */
}

/* What of the VE's own configuration (ve-inside.h) the given parameters ask for. */
static unsigned inside_what(const struct param_def *p)
{
	return p->applier == PARAM_A_VE_HOSTNAME ? INSIDE_HOSTNAME
	       : p->applier == PARAM_A_VE_RESOLV ? INSIDE_DNS
						 : 0;
}

static const struct live_item *find_item(const struct live_op *op, const char *key)
{
	for (size_t i = 0; i < op->n; i++)
		if (strcmp(op->items[i].p->name, key) == 0)
			return &op->items[i];
	return NULL;
}

/* The canonical value of `key`: the staged one, or while undoing the previous one. */
static const char *value_of(void *userdata, const char *key)
{
	struct live_op *op = userdata;
	const struct live_item *it = find_item(op, key);
	if (op->undoing && it)
		return it->old;
	char *v = NULL;
	if (vzl_config_get(op->cfg, key, VZL_GET_CANONICAL, &v, NULL, NULL) < 0 || !v)
		return NULL;
	char **s = realloc(op->strings, (op->n_strings + 1) * sizeof(*s));
	if (!s) {
		free(v);
		return NULL;
	}
	op->strings = s;
	s[op->n_strings++] = v;
	return v;
}

static int apply_one(struct live_op *op, const struct param_def *p, const char *v, vzl_error **err)
{
	/* The addresses are a change from the kernel's list, not a value sent as it is. */
	if (p->applier == PARAM_A_VENET_IP_MAP)
		return net_live_change(op->ve, v, err);
	return apply_row(op->ve, p, v, value_of, op, err);
}

/* Set the applied parameters back to their previous values, last first. */
static int apply_undo(void *o, vzl_error **err)
{
	struct live_op *op = o;
	int ret = 0;
	(void)err;
	op->undoing = true;
	for (size_t i = op->n; i-- > 0;) {
		struct live_item *it = &op->items[i];
		if (!it->applied)
			continue;
		it->applied = false;
		vzl_error *e = NULL;
		if (!it->old && it->p->applier == PARAM_A_VENET_IP_MAP)
			it->old = strdup(""); /* none before: the added ones go again */
		if (!it->old) {
			log_warning(
				op->ve->ctx,
				"VE %u: %s keeps its new value in the kernel: its previous value "
				"is not in the config; restart the VE to return to the config",
				op->ve->id, it->p->name);
			continue;
		}
		int r = apply_one(op, it->p, it->old, &e);
		if (r < 0) {
			log_warning(op->ve->ctx,
				    "VE %u: %s could not be set back to %s: %s; restart the VE to "
				    "return to the config",
				    op->ve->id, it->p->name, it->old, vzl_error_message(e));
			ret = r;
		}
		vzl_error_free(e);
	}
	op->undoing = false;
	return ret;
}

static int apply_run(void *o, vzl_error **err)
{
	struct live_op *op = o;
	for (size_t i = 0; i < op->n; i++) {
		struct live_item *it = &op->items[i];
		/* Sent even when the config has the value already: the kernel may not (a set
		 * without --save), and vzctl sends what it is given. */
		if (live_rank(it->p) < 0)
			continue;
		const char *v = value_of(op, it->p->name);
		vzl_error *e = NULL;
		int r = v ? apply_one(op, it->p, v, &e) : 0;
		if (r < 0) {
			apply_undo(op, NULL);
			bool save = op->flags & VZL_SET_LIVE_SAVE;
			r = error_set(
				err, -r, op->ve->id, e ? vzl_error_step(e) : VZL_STEP_NONE,
				it->p->name,
				"%s cannot be applied to the running VE: %s; parameters applied "
				"before it were set back%s. Give a value the kernel accepts, "
				"or store it with --save and restart the VE",
				it->p->name, e ? vzl_error_message(e) : strerror(-r),
				save ? " and the config was not written" : "");
			vzl_error_free(e);
			return r;
		}
		it->applied = true;
	}
	return 0;
}

/* §3.6 step 12 "in-CT config": the host name and resolv.conf, from inside the VE. */
static int inside_job_of(const struct live_op *op, struct inside_job *job, struct ve_spec *spec,
			 vzl_error **err)
{
	unsigned what = 0;
	for (size_t i = 0; i < op->n; i++)
		what |= inside_what(op->items[i].p);
	char *v = NULL;
	bool ipv6 = vzl_config_get(op->cfg, "IPV6", VZL_GET_DEFAULT | VZL_GET_CANONICAL, &v, NULL,
				   NULL) == 0 &&
		    v && !strcmp(v, "yes");
	free(v);
	int r = ve_spec_from_config(op->cfg, op->ve->id, spec, err);
	if (r < 0)
		return r;
	r = inside_job_init(job, op->ve, spec, ipv6, what, false);
	if (r < 0)
		return error_set(err, -r, op->ve->id, VZL_STEP_NONE, NULL, "out of memory");
	return 0;
}

static bool when_inside(const void *o)
{
	const struct live_op *op = o;
	for (size_t i = 0; i < op->n; i++)
		if (inside_what(op->items[i].p))
			return true;
	return false;
}

static int inside_live_run(void *o, vzl_error **err)
{
	struct live_op *op = o;
	struct inside_job job = { 0 };
	struct ve_spec spec = { 0 };
	int r = inside_job_of(op, &job, &spec, err);
	if (r == 0 && spec.root_dir)
		inside_run(op->ve, spec.root_dir, &job);
	inside_job_done(&job);
	ve_spec_done(&spec);
	return r;
}

static void inside_live_describe(const void *o, struct step_plan *plan)
{
	const struct live_op *op = o;
	struct inside_job job = { 0 };
	struct ve_spec spec = { 0 };
	if (inside_job_of(op, &job, &spec, NULL) == 0)
		inside_describe(&job, op->ve->id, spec.root_dir ? spec.root_dir : "?", plan);
	inside_job_done(&job);
	ve_spec_done(&spec);
}

static const struct step live_row_inside = {
	.name = "names inside",
	.error_step = VZL_STEP_NETLINK,
	.when = when_inside,
	.run = inside_live_run,
	.describe = inside_live_describe,
};

static const struct step live_row_apply = {
	.name = "apply",
	.error_step = VZL_STEP_NONE,
	.flags = STEP_RECORDS,
	.run = apply_run,
	.undo = apply_undo,
};

static int save_run(void *o, vzl_error **err)
{
	struct live_op *op = o;
	int r = vzl_config_save(op->cfg, err);
	return r < 0 ? r : 0;
}

static void save_describe(const void *o, struct step_plan *plan)
{
	const struct live_op *op = o;
	for (size_t i = 0; i < op->n; i++)
		if (op->items[i].changed)
			step_line(plan, "write %s to %s", op->items[i].p->name,
				  vzl_config_path(op->cfg));
}

static bool when_save(const void *o)
{
	return ((const struct live_op *)o)->flags & VZL_SET_LIVE_SAVE;
}

static const struct step live_row_save = {
	.name = "save",
	.error_step = VZL_STEP_CONFIG_WRITE,
	.when = when_save,
	.run = save_run,
	.describe = save_describe,
};

static void live_op_free(struct live_op *op)
{
	for (size_t i = 0; i < op->n; i++)
		free(op->items[i].old);
	free(op->items);
	for (size_t i = 0; i < op->n_strings; i++)
		free(op->strings[i]);
	free(op->strings);
}

VZL_API int vzl_ve_is_running(vzl_ve *ve, vzl_error **err)
{
	return ve_kernel_lists(ve, err);
}

static int not_running(vzl_ve *ve, vzl_error **err)
{
	return error_set(err, ESRCH, ve->id, VZL_STEP_STATE, NULL,
			 "VE %u is not running; start it first, or add --save to only store the "
			 "values",
			 ve->id);
}

/* Stage the new values; fill op->items (previous values, changed or not). */
static int stage(struct live_op *op, const char *const *keys, const char *const *values, size_t n,
		 vzl_error **err)
{
	unsigned veid = op->ve->id;
	op->items = calloc(n ? n : 1, sizeof(*op->items));
	if (!op->items)
		return error_set(err, ENOMEM, veid, VZL_STEP_NONE, NULL, "out of memory");
	for (size_t i = 0; i < n; i++) {
		const struct param_def *p = param_find(keys[i]);
		if (!p)
			return error_set(
				err, EINVAL, veid, VZL_STEP_ARGUMENT, keys[i],
				"%s is not a VE parameter; 'vzlite help params' lists them",
				keys[i]);
		if (p->live == PARAM_LIVE_REFUSED)
			return error_set(err, EBUSY, veid, VZL_STEP_STATE, p->name,
					 "%s cannot change while VE %u runs; stop it first "
					 "('vzlite stop %u')",
					 p->name, veid, veid);
		struct live_item *it = NULL;
		for (size_t j = 0; j < op->n; j++) /* a key given twice: the last value wins */
			if (op->items[j].p == p)
				it = &op->items[j];
		if (!it) {
			it = &op->items[op->n++];
			it->p = p;
			if (vzl_config_get(op->cfg, p->name, VZL_GET_DEFAULT | VZL_GET_CANONICAL,
					   &it->old, NULL, err) < 0)
				return -EINVAL;
		}
		int r = vzl_config_set(op->cfg, p->name, values[i], err);
		if (r < 0)
			return r;
		it->changed |= r > 0;
	}
	qsort(op->items, op->n, sizeof(*op->items), item_cmp);
	return 0;
}

/* A change the running VE did not take: when it takes effect. */
static void report_not_applied(const struct live_op *op, const struct live_item *it)
{
	bool save = op->flags & VZL_SET_LIVE_SAVE;
	unsigned veid = op->ve->id;
	const char *when = save ? "it takes effect when the VE restarts"
				: "it would take effect at a restart, once saved with --save";
	if (!it->changed)
		return;
	if (it->p->live == PARAM_LIVE_RESTART)
		log_warning(op->ve->ctx,
			    "VE %u: %s cannot change in a running VE: %s ('vzlite "
			    "restart %u')",
			    veid, it->p->name, when, veid);
	/* The disk limits go to the quota (vzl_ve_quota_apply), on or not whether the VE runs. */
	else if (it->p->live == PARAM_LIVE_YES && live_rank(it->p) < 0 && !inside_what(it->p) &&
		 it->p->applier != PARAM_A_QUOTA_SETLIMIT && it->p->applier != PARAM_A_QUOTA_UGID)
		log_warning(op->ve->ctx,
			    "VE %u: %s (%s) is not applied to a running VE by this "
			    "version: %s",
			    veid, it->p->name, param_applier_name(it->p->applier), when);
}

VZL_API int vzl_ve_set_live(vzl_ve *ve, vzl_config *cfg, const char *const *keys,
			    const char *const *values, size_t n, unsigned flags,
			    unsigned *ret_result, vzl_error **err)
{
	struct live_op op = { .ve = ve, .cfg = cfg, .flags = flags };
	unsigned result = 0;
	if ((flags & VZL_SET_LIVE_RESTART) && !(flags & VZL_SET_LIVE_SAVE))
		return error_set(err, EINVAL, ve->id, VZL_STEP_ARGUMENT, NULL,
				 "VE %u: a restart for the changed parameters needs them saved "
				 "(--setmode restart needs --save)",
				 ve->id);
	int r = ve_kernel_lists(ve, err);
	if (r == 0)
		r = not_running(ve, err);
	if (r > 0)
		r = stage(&op, keys, values, n, err);
	for (size_t i = 0; r == 0 && i < op.n; i++) {
		const struct live_item *it = &op.items[i];
		if (!it->changed)
			continue;
		if (it->p->live == PARAM_LIVE_RESTART)
			result |= VZL_SET_LIVE_NEEDS_RESTART;
		/* The disk limits go to the quota (vzl_ve_quota_apply), on or not whether the VE runs. */
		else if (it->p->live == PARAM_LIVE_YES && live_rank(it->p) < 0 &&
			 !inside_what(it->p) && it->p->applier != PARAM_A_QUOTA_SETLIMIT &&
			 it->p->applier != PARAM_A_QUOTA_UGID)
			result |= VZL_SET_LIVE_NOT_APPLIED;
	}
	/* §3.6 step 11: vzctl's --setmode ignore returns 32 before anything is applied. */
	if (r == 0 && (result & VZL_SET_LIVE_NEEDS_RESTART) && (flags & VZL_SET_LIVE_IGNORE))
		r = error_set(err, EBUSY, ve->id, VZL_STEP_STATE, NULL,
			      "VE %u runs and some parameters take effect only at a restart; "
			      "--setmode ignore changes nothing then (as vzctl): drop it to apply "
			      "the others and save all",
			      ve->id);
	bool restart = r == 0 && (result & VZL_SET_LIVE_NEEDS_RESTART) &&
		       (flags & VZL_SET_LIVE_RESTART);
	if (restart) {
		/* §3.6 step 11: nothing applied live; saved, then the restart reads the new config */
		const struct step steps[] = { live_row_save };
		r = step_run(ve->ctx, ve->id, steps, ELEMENTSOF(steps), &op, err);
		if (r == 0)
			log_notice(ve->ctx,
				   "VE %u: restarting it, for parameters that need a restart",
				   ve->id);
		if (r == 0)
			r = ve_restart_held(ve, 0, err);
	} else if (r == 0) {
		const struct step steps[] = { live_row_apply, live_row_inside, live_row_save };
		r = step_run(ve->ctx, ve->id, steps, ELEMENTSOF(steps), &op, err);
	}
	for (size_t i = 0; r == 0 && !restart && !kernel_is_dry_run(&ve->ctx->kernel) && i < op.n;
	     i++)
		report_not_applied(&op, &op.items[i]);
	live_op_free(&op);
	if (r == 0 && ret_result)
		*ret_result = result;
	return r;
}

/* Each UB parameter of the config in vzctl's setublimit order (§3.2 step 9.3). */
VZL_API int vzl_ve_reset_ub(vzl_ve *ve, vzl_config *cfg, vzl_error **err)
{
	struct live_op op = { .ve = ve, .cfg = cfg };
	int r = ve_kernel_lists(ve, err);
	if (r == 0)
		r = error_set(err, ESRCH, ve->id, VZL_STEP_STATE, NULL,
			      "VE %u is not running; --reset_ub applies the config's UB values to "
			      "a running VE only",
			      ve->id);
	for (const int *res = start_ub_order; r > 0 && *res != UB_RESOURCES; res++) {
		const struct param_def *p = ve_spec_ub_param(*res);
		const char *v = p ? value_of(&op, p->name) : NULL;
		int a = v ? apply_one(&op, p, v, err) : 0;
		if (a < 0)
			r = a;
	}
	live_op_free(&op);
	return r < 0 ? r : 0;
}
