/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The step engine: an operation (create, destroy, define, later mount, start, stop) is a
 * table of steps, each with a name, the error step it reports, do, undo and a dry-run
 * description. One engine runs every table, so rollback and --dry-run are written once:
 *
 *  - forward, in table order; a step whose `when` says no is skipped (not run, described
 *    or undone);
 *  - when a step fails, the steps completed before it are undone in reverse order. The
 *    failing step's own partial work is its own business: `run` cleans up after itself
 *    before it returns an error (as a cpuhp startup callback does in kernel/cpu.c);
 *  - the first error is the one returned; an undo that fails becomes a warning on the
 *    context's log naming the step and what it left behind, and the undo goes on;
 *  - a STEP_HELD step (the lock, create's marker) holds something for the operation's
 *    duration: its undo also runs when everything succeeded, after the last step;
 *  - with the context in dry-run mode the engine walks the same table: it calls only
 *    `describe` (lines that reach the dry-run callback as "# ..."), except for STEP_RECORDS
 *    steps, whose `run` issues kernel calls only and is called, so that the recording
 *    backend of kernel.c prints each call, and STEP_CHECKS steps, whose `run` only reads
 *    and may refuse. Nothing is undone in a dry run; held steps
 *    print their release (`describe_undo`) at the end. In a real run the same descriptions
 *    go to the log at debug level, so a plan can be compared with what ran.
 *
 * Signals: SIGINT and SIGTERM are blocked (pthread_sigmask) in the calling thread for the
 * whole run and the caller's mask is restored before step_run returns, so a signal that
 * arrived meanwhile is delivered then, to whatever handler the application installed,
 * after the host is consistent again. The library installs no handler and does not
 * consume the signal. Threads other than the caller keep their own masks: a
 * multi-threaded application that wants the guarantee blocks the signals there, as it
 * does for any signal-sensitive work. A step that forks inherits the blocked mask; a
 * child that goes on to run other code (a VE's init) must restore its mask first.
 */
#ifndef VZL_STEP_H
#define VZL_STEP_H

#include <stdbool.h>
#include <stddef.h>

#include "vzlite.h"

/* Where a step's description goes: the dry-run callback, the debug log, or a warning. */
struct step_plan;

/* Add one line to a description (printf-like; no "# " prefix, no newline). */
void step_line(struct step_plan *plan, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

enum {
	/* run() only issues kernel calls through kernel.c: in a dry run it is called and the
	 * recording backend renders each call; describe may then be NULL. */
	STEP_RECORDS = 1 << 0,
	/* undo() releases what the step holds for the operation: it runs on success too. */
	STEP_HELD = 1 << 1,
	/* run() only reads and may refuse (a check against the host as it is now): it changes
	 * nothing, so a dry run calls it too and refuses as the real run would. */
	STEP_CHECKS = 1 << 2,
};

struct step {
	const char *name;         /* short, for logs and warnings: "extract", "lock" */
	enum vzl_step error_step; /* what a bare -errno from run or undo is reported as */
	unsigned int flags;       /* STEP_* */
	/* Optional: whether the step applies to this operation (decided when it is reached). */
	bool (*when)(const void *op);
	/* Do it. 0, or -errno with *err filled or not (the engine then fills it). */
	int (*run)(void *op, vzl_error **err);
	/* Optional: take back what run did. Fills *err with a sentence naming what is left. */
	int (*undo)(void *op, vzl_error **err);
	/* The plan line(s) of run; must not change anything. */
	void (*describe)(const void *op, struct step_plan *plan);
	/* Optional, for STEP_HELD: the plan line(s) of the release at the end. */
	void (*describe_undo)(const void *op, struct step_plan *plan);
};

/* The longest table the engine runs (it keeps one flag per step on the stack). */
#define STEP_MAX 64

/*
 * Run `steps[0..n)` on `op` for VE `veid` (0 if none) of `ctx`, as described above.
 * Returns 0, or the first failure's -errno with *err filled (err may be NULL).
 * A table longer than STEP_MAX, or a step with no way to be shown in a dry run, is a
 * programming error reported as -EINVAL before anything runs.
 */
int step_run(vzl_ctx *ctx, unsigned int veid, const struct step *steps, size_t n, void *op,
	     vzl_error **err);

#endif
