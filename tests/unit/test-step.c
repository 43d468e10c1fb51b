/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The step engine (lib/step.c) on a table of five steps that write what they do into a
 * journal: forward order, undo in reverse after a failure at each position, the first error
 * kept, a failing undo turned into a warning, held steps released on success, the dry run,
 * and SIGTERM deferred until the engine returns.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctx.h"
#include "error.h"
#include "macro.h"
#include "step.h"
#include "test.h"

#define N_STEPS 5

struct op {
	vzl_ctx *ctx;
	char journal[256];
	int fail_run;   /* index whose run fails, -1 for none */
	int fail_undo;  /* index whose undo fails, -1 for none */
	int skip;       /* index whose `when` says no, -1 for none */
	int sigterm_at; /* index whose run sends SIGTERM to this process, -1 for none */
};

static volatile sig_atomic_t sigterm_seen;

static void on_sigterm(int sig)
{
	(void)sig;
	sigterm_seen = 1;
}

static void note(struct op *op, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(struct op *op, const char *fmt, ...)
{
	size_t used = strlen(op->journal);
	if (used)
		op->journal[used++] = ' ';
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(op->journal + used, sizeof(op->journal) - used, fmt, ap);
	va_end(ap);
}

/* A step notes "rI" when it runs and "uI" when undone; "!" marks a SIGTERM seen already. */
static int run_step(struct op *op, int i, vzl_error **err)
{
	if (op->sigterm_at == i)
		kill(getpid(), SIGTERM);
	note(op, "r%d%s", i, sigterm_seen ? "!" : "");
	if (op->fail_run != i)
		return 0;
	if (i == 2) /* this step reports its own error; the others a bare -errno */
		return error_set(err, ENOSPC, 0, VZL_STEP_EXTRACT, "VE_PRIVATE",
				 "step two ran out of space");
	return -ENOSPC;
}

static int undo_step(struct op *op, int i, vzl_error **err)
{
	note(op, "u%d%s", i, sigterm_seen ? "!" : "");
	if (op->fail_undo == i)
		return error_set(err, EBUSY, 0, VZL_STEP_PATH, NULL, "/x/%d is busy", i);
	return 0;
}

#define STEP_FUNCS(i)                                                                              \
	static int run##i(void *op, vzl_error **err)                                               \
	{                                                                                          \
		return run_step(op, i, err);                                                       \
	}                                                                                          \
	static __attribute__((unused)) int undo##i(void *op, vzl_error **err)                      \
	{                                                                                          \
		return undo_step(op, i, err);                                                      \
	}                                                                                          \
	static bool when##i(const void *op)                                                        \
	{                                                                                          \
		return ((const struct op *)op)->skip != i;                                         \
	}                                                                                          \
	static void describe##i(const void *op, struct step_plan *plan)                            \
	{                                                                                          \
		(void)op;                                                                          \
		step_line(plan, "make thing %d", i);                                               \
	}
STEP_FUNCS(0)
STEP_FUNCS(1)
STEP_FUNCS(2)
STEP_FUNCS(3)
STEP_FUNCS(4)

static void describe1_twice(const void *op, struct step_plan *plan)
{
	describe1(op, plan);
	step_line(plan, "and its twin");
}

static void release0(const void *op, struct step_plan *plan)
{
	(void)op;
	step_line(plan, "release thing 0");
}

/* Step 0 is held (as a lock is): released at the end on success too. */
static const struct step table[N_STEPS] = {
	{ "s0", VZL_STEP_LOCK, STEP_HELD, when0, run0, undo0, describe0, release0 },
	{ "s1", VZL_STEP_PATH, 0, when1, run1, undo1, describe1_twice, NULL },
	{ "s2", VZL_STEP_EXTRACT, 0, when2, run2, undo2, describe2, NULL },
	{ "s3", VZL_STEP_CONFIG_WRITE, 0, when3, run3, NULL, describe3, NULL },
	{ "s4", VZL_STEP_QUOTA, 0, when4, run4, undo4, describe4, NULL },
};

static char logged[8][512];
static int n_logged;

static void collect_log(void *userdata, enum vzl_log_level level, const char *msg)
{
	(void)userdata;
	if (level == VZL_LOG_WARNING && n_logged < 8)
		snprintf(logged[n_logged++], sizeof(logged[0]), "%s", msg);
}

static char planned[16][512];
static int n_planned;

static void collect_plan(void *userdata, const char *line)
{
	(void)userdata;
	if (n_planned < 16)
		snprintf(planned[n_planned++], sizeof(planned[0]), "%s", line);
}

static struct op fresh(vzl_ctx *ctx)
{
	return (struct op){
		.ctx = ctx, .fail_run = -1, .fail_undo = -1, .skip = -1, .sigterm_at = -1
	};
}

static void test_success(vzl_ctx *ctx)
{
	struct op op = fresh(ctx);
	vzl_error *err = NULL;
	CHECK_INT(step_run(ctx, 101, table, N_STEPS, &op, &err), 0);
	CHECK_STR(op.journal, "r0 r1 r2 r3 r4 u0"); /* only the held step is undone */
	CHECK(err == NULL);

	op = fresh(ctx);
	op.skip = 2;
	CHECK_INT(step_run(ctx, 101, table, N_STEPS, &op, &err), 0);
	CHECK_STR(op.journal, "r0 r1 r3 r4 u0");
}

/* Each position in turn: the completed steps undone in reverse, the failing one not. */
static void test_failure_everywhere(vzl_ctx *ctx)
{
	static const char *const expected[N_STEPS] = {
		"r0",
		"r0 r1 u0",
		"r0 r1 r2 u1 u0",
		"r0 r1 r2 r3 u2 u1 u0", /* s3 has no undo and is not the failing one here */
		"r0 r1 r2 r3 r4 u2 u1 u0",
	};
	for (int i = 0; i < N_STEPS; i++) {
		struct op op = fresh(ctx);
		op.fail_run = i;
		vzl_error *err = NULL;
		CHECK_INT(step_run(ctx, 101, table, N_STEPS, &op, &err), -ENOSPC);
		CHECK_STR(op.journal, expected[i]);
		CHECK(err != NULL);
		CHECK_INT(vzl_error_code(err), ENOSPC);
		CHECK_INT(vzl_error_veid(err), 101);
		CHECK_INT(vzl_error_step(err), table[i].error_step);
		if (i == 2) {
			CHECK_STR(vzl_error_message(err), "step two ran out of space");
			CHECK_STR(vzl_error_param(err), "VE_PRIVATE");
		} else {
			char want[64];
			snprintf(want, sizeof(want), "s%d failed: %s", i, strerror(ENOSPC));
			CHECK_STR(vzl_error_message(err), want);
		}
		vzl_error_free(err);
	}
	CHECK_INT(n_logged, 0);

	/* A skipped step is not undone either; err may be NULL. */
	struct op op = fresh(ctx);
	op.skip = 1;
	op.fail_run = 3;
	CHECK_INT(step_run(ctx, 101, table, N_STEPS, &op, NULL), -ENOSPC);
	CHECK_STR(op.journal, "r0 r2 r3 u2 u0");
}

static void test_failing_undo(vzl_ctx *ctx)
{
	struct op op = fresh(ctx);
	op.fail_run = 4;
	op.fail_undo = 1;
	vzl_error *err = NULL;
	n_logged = 0;
	CHECK_INT(step_run(ctx, 101, table, N_STEPS, &op, &err), -ENOSPC);
	CHECK_STR(op.journal, "r0 r1 r2 r3 r4 u2 u1 u0"); /* u0 still runs after u1 failed */
	CHECK_INT(vzl_error_code(err), ENOSPC);           /* the first error, not EBUSY */
	CHECK_INT(vzl_error_step(err), VZL_STEP_QUOTA);
	vzl_error_free(err);
	CHECK_INT(n_logged, 1);
	CHECK_STR(logged[0], "VE 101: undoing step 's1' failed: /x/1 is busy; not undone: "
			     "make thing 1; and its twin");

	/* A failing release of a held step after success is a warning; success stays. */
	op = fresh(ctx);
	op.fail_undo = 0;
	n_logged = 0;
	CHECK_INT(step_run(ctx, 7, table, N_STEPS, &op, &err), 0);
	CHECK_STR(op.journal, "r0 r1 r2 r3 r4 u0");
	CHECK_INT(n_logged, 1);
	CHECK_STR(logged[0], "VE 7: undoing step 's0' failed: /x/0 is busy; not undone: "
			     "make thing 0");
	n_logged = 0;
}

static int record_luid(void *op, vzl_error **err)
{
	(void)err;
	return kernel_setluid(&((struct op *)op)->ctx->kernel, 101);
}

static void test_dry_run(vzl_ctx *ctx)
{
	const struct step dry_table[] = {
		table[0],
		table[1],
		table[2],
		{ "luid", VZL_STEP_SETLUID, STEP_RECORDS, NULL, record_luid, NULL, NULL, NULL },
		table[3],
		table[4],
	};
	struct op op = fresh(ctx);
	op.skip = 4;
	op.fail_run = 2; /* would fail if run: a dry run must not run it */
	vzl_ctx_set_dry_run(ctx, collect_plan, NULL);
	CHECK_INT(step_run(ctx, 101, dry_table, ELEMENTSOF(dry_table), &op, NULL), 0);
	vzl_ctx_set_dry_run(ctx, NULL, NULL);
	CHECK_STR(op.journal, "");
	CHECK_INT(n_planned, 7);
	CHECK_STR(planned[0], "# make thing 0");
	CHECK_STR(planned[1], "# make thing 1");
	CHECK_STR(planned[2], "# and its twin");
	CHECK_STR(planned[3], "# make thing 2");
	CHECK_STR(planned[4], "setluid(101)"); /* the recording backend's line */
	CHECK_STR(planned[5], "# make thing 3");
	CHECK_STR(planned[6], "# release thing 0");
}

static void test_bad_table(vzl_ctx *ctx)
{
	const struct step bad[] = {
		table[0],
		{ "mute", VZL_STEP_NONE, 0, NULL, run1, NULL, NULL, NULL },
	};
	struct op op = fresh(ctx);
	vzl_error *err = NULL;
	CHECK_INT(step_run(ctx, 101, bad, ELEMENTSOF(bad), &op, &err), -EINVAL);
	CHECK_STR(op.journal, "");
	CHECK(err && strstr(vzl_error_message(err), "(mute)") != NULL);
	vzl_error_free(err);
}

static bool blocked(int sig)
{
	sigset_t now;
	sigprocmask(SIG_SETMASK, NULL, &now);
	return sigismember(&now, sig);
}

/* SIGTERM sent during step 1 reaches the test's handler only once step_run returns. */
static void test_signals(vzl_ctx *ctx)
{
	struct sigaction sa = { .sa_handler = on_sigterm }, old;
	sigemptyset(&sa.sa_mask);
	CHECK_INT(sigaction(SIGTERM, &sa, &old), 0);

	struct op op = fresh(ctx);
	op.sigterm_at = 1;
	sigterm_seen = 0;
	CHECK_INT(step_run(ctx, 101, table, N_STEPS, &op, NULL), 0);
	CHECK_STR(op.journal, "r0 r1 r2 r3 r4 u0");
	CHECK_INT(sigterm_seen, 1);
	CHECK(!blocked(SIGTERM) && !blocked(SIGINT));

	/* The same during a rollback: every undo runs before the handler. */
	op = fresh(ctx);
	op.sigterm_at = 1;
	op.fail_run = 4;
	sigterm_seen = 0;
	CHECK_INT(step_run(ctx, 101, table, N_STEPS, &op, NULL), -ENOSPC);
	CHECK_STR(op.journal, "r0 r1 r2 r3 r4 u2 u1 u0");
	CHECK_INT(sigterm_seen, 1);

	/* A mask the caller set stays as it was. */
	sigset_t term;
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigprocmask(SIG_BLOCK, &term, NULL);
	op = fresh(ctx);
	sigterm_seen = 0;
	CHECK_INT(step_run(ctx, 101, table, N_STEPS, &op, NULL), 0);
	CHECK(blocked(SIGTERM) && !blocked(SIGINT));
	sigprocmask(SIG_UNBLOCK, &term, NULL);
	CHECK_INT(sigterm_seen, 0);
	sigaction(SIGTERM, &old, NULL);
}

int main(void)
{
	char dir[] = "/tmp/test-step.XXXXXX", conf[64];
	vzl_ctx *ctx = NULL;
	vzl_error *err = NULL;
	FILE *f;
	if (!mkdtemp(dir) || snprintf(conf, sizeof(conf), "%s/vz.conf", dir) < 0 ||
	    !(f = fopen(conf, "w"))) {
		perror("test-step: temporary vz.conf");
		return 1;
	}
	fputs("LOCKDIR=/nonexistent\n", f);
	fclose(f);
	if (vzl_ctx_new(&ctx, conf, &err) < 0) {
		fprintf(stderr, "test-step: %s\n", vzl_error_message(err));
		return 1;
	}
	vzl_ctx_set_log(ctx, collect_log, NULL, VZL_LOG_DEBUG);

	test_success(ctx);
	test_failure_everywhere(ctx);
	test_failing_undo(ctx);
	test_dry_run(ctx);
	test_bad_table(ctx);
	test_signals(ctx);

	vzl_ctx_free(ctx);
	unlink(conf);
	rmdir(dir);
	return test_summary("test-step");
}
