/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The step engine: forward, undo in reverse on failure, dry run over the same table. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ctx.h"
#include "error.h"
#include "step.h"

struct step_plan {
	const vzl_ctx *ctx;
	unsigned int veid;
	enum { PLAN_DRY_RUN, PLAN_LOG, PLAN_TEXT } to;
	char text[512]; /* PLAN_TEXT: the lines joined with "; " */
	size_t used;
};

void step_line(struct step_plan *plan, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);

	switch (plan->to) {
	case PLAN_DRY_RUN:
		ctx_plan(plan->ctx, "%s", line);
		break;
	case PLAN_LOG:
		log_debug(plan->ctx, "VE %u: %s", plan->veid, line);
		break;
	case PLAN_TEXT:
		if (plan->used < sizeof(plan->text))
			plan->used += snprintf(plan->text + plan->used,
					       sizeof(plan->text) - plan->used, "%s%s",
					       plan->used ? "; " : "", line);
		break;
	}
}

static bool debug_logged(const vzl_ctx *ctx)
{
	return ctx->log_fn && ctx->log_max >= VZL_LOG_DEBUG;
}

/* A real run logs each step's description before running it, at debug level. */
static void log_step(const vzl_ctx *ctx, unsigned int veid, const struct step *s, const void *op)
{
	if (!debug_logged(ctx))
		return;
	struct step_plan plan = { .ctx = ctx, .veid = veid, .to = PLAN_LOG };
	if (s->describe)
		s->describe(op, &plan);
	else
		log_debug(ctx, "VE %u: %s (kernel calls)", veid, s->name);
}

static void undo_step(const vzl_ctx *ctx, unsigned int veid, const struct step *s, void *op,
		      bool release)
{
	if (!s->undo)
		return;
	/* A held step's release after success is logged as a dry run shows it. */
	struct step_plan logged = { .ctx = ctx, .veid = veid, .to = PLAN_LOG };
	if (debug_logged(ctx) && release && s->describe_undo)
		s->describe_undo(op, &logged);
	else if (debug_logged(ctx))
		log_debug(ctx, "VE %u: undo %s", veid, s->name);
	vzl_error *e = NULL;
	int r = s->undo(op, &e);
	if (r < 0) {
		/* The step's own description names what stays on the host. */
		struct step_plan left = { .ctx = ctx, .veid = veid, .to = PLAN_TEXT };
		if (s->describe)
			s->describe(op, &left);
		log_warning(ctx, "VE %u: undoing step '%s' failed: %s; not undone: %s", veid,
			    s->name, e ? vzl_error_message(e) : strerror(-r),
			    left.used ? left.text : s->name);
	}
	vzl_error_free(e);
}

static int check_table(unsigned int veid, const struct step *steps, size_t n, vzl_error **err)
{
	if (n > STEP_MAX)
		return error_set(err, EINVAL, veid, VZL_STEP_NONE, NULL,
				 "an operation of %zu steps exceeds the engine's %d", n, STEP_MAX);
	for (size_t i = 0; i < n; i++)
		if (!steps[i].name || !steps[i].run ||
		    !(steps[i].describe || (steps[i].flags & STEP_RECORDS)))
			return error_set(err, EINVAL, veid, VZL_STEP_NONE, NULL,
					 "step %zu (%s) lacks a name, run or dry-run description",
					 i, steps[i].name ? steps[i].name : "unnamed");
	return 0;
}

/* Forward from the first step; returns how many table rows were reached, *ret the result. */
static size_t run_forward(vzl_ctx *ctx, unsigned int veid, bool dry, const struct step *steps,
			  size_t n, void *op, bool *done, int *ret, vzl_error **first)
{
	struct step_plan plan = { .ctx = ctx, .veid = veid, .to = PLAN_DRY_RUN };
	size_t i;
	*ret = 0;
	for (i = 0; i < n; i++) {
		const struct step *s = &steps[i];
		if (s->when && !s->when(op))
			continue;
		if (dry && s->describe)
			s->describe(op, &plan);
		int r = 0;
		if (!dry || (s->flags & (STEP_RECORDS | STEP_CHECKS))) {
			if (!dry)
				log_step(ctx, veid, s, op);
			r = s->run(op, first);
		}
		if (r < 0) {
			if (!*first)
				error_set(first, -r, veid, s->error_step, NULL, "%s failed: %s",
					  s->name, strerror(-r));
			else
				error_set_veid(first, veid);
			*ret = r;
			break;
		}
		if (*first) { /* a step that succeeded yet left an error behind */
			vzl_error_free(*first);
			*first = NULL;
		}
		done[i] = true;
	}
	return i;
}

int step_run(vzl_ctx *ctx, unsigned int veid, const struct step *steps, size_t n, void *op,
	     vzl_error **err)
{
	int r = check_table(veid, steps, n, err);
	if (r < 0)
		return r;

	sigset_t deferred, saved;
	sigemptyset(&deferred);
	sigaddset(&deferred, SIGINT);
	sigaddset(&deferred, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &deferred, &saved);

	bool dry = kernel_is_dry_run(&ctx->kernel);
	bool done[STEP_MAX] = { false };
	vzl_error *first = NULL;
	size_t reached = run_forward(ctx, veid, dry, steps, n, op, done, &r, &first);

	/* Back over what was done: all of it after a failure, the held steps after success. */
	struct step_plan plan = { .ctx = ctx, .veid = veid, .to = PLAN_DRY_RUN };
	for (size_t i = reached; i-- > 0;) {
		const struct step *s = &steps[i];
		if (!done[i] || (r == 0 && !(s->flags & STEP_HELD)))
			continue;
		if (!dry)
			undo_step(ctx, veid, s, op, r == 0);
		else if (r == 0 && s->describe_undo)
			s->describe_undo(op, &plan);
	}

	/* Restoring the caller's mask delivers a SIGINT/SIGTERM that arrived meanwhile. */
	pthread_sigmask(SIG_SETMASK, &saved, NULL);
	if (r < 0) {
		if (err)
			*err = first;
		else
			vzl_error_free(first);
	}
	return r;
}
