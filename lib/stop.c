/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * stop (vzctl-behaviour.md §3.3) and restart (§3.4) as step tables:
 *
 *   lock → running? (not running: nothing to do, success, as scripts rely on)
 *        → graceful halt: a child enters the VE (chroot, VE_ENTER) and executes the VE's
 *          own `halt` (PATH of vzctl), then the VE is waited for up to STOP_TIMEOUT s
 *          (default 120); skipped with --fast
 *        → kill: a child enters the VE and calls reboot(POWER_OFF), which the kernel turns
 *          into SIGKILL of the VE's init; waited for up to STOP_TIMEOUT / 2 s (vzctl: that
 *          many 0.5 s polls), else "operation timed out" (exit 33)
 *        → unmount, quota off (unless --skip-umount)
 *
 * The program executed by the halt is the VE's, inside the VE: no host program runs.
 * The waits ask the kernel (VE_TEST) with a bounded backoff (ve_run_wait_gone), since
 * 2.6.32 has no pidfd and the VE's init is no child of ours.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/reboot.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ctx.h"
#include "error.h"
#include "macro.h"
#include "ve-run.h"
#include "ve-state.h"

static long stop_timeout_s(const struct ve_run *op)
{
	const struct ve_opt_long *t = &op->spec.stop_timeout;
	return t->set && t->value > 0 ? t->value : 120;
}

static int running_run(void *o, vzl_error **err)
{
	struct ve_run *op = o;
	int r = ve_kernel_lists(op->ve, err);
	if (r < 0)
		return r;
	op->was_running = r > 0;
	op->nothing_to_stop = r == 0;
	op->was_mounted = ve_is_mounted(op->root, op->priv) == 1;
	return 0;
}

static void running_describe(const void *o, struct step_plan *plan)
{
	step_line(plan, "is VE %u running?", ((const struct ve_run *)o)->ve->id);
}

static const struct step stop_row_running = {
	.name = "running",
	.error_step = VZL_STEP_STATE,
	.flags = STEP_CHECKS,
	.run = running_run,
	.describe = running_describe,
};

static bool when_running(const void *o)
{
	return ((const struct ve_run *)o)->was_running;
}

static bool when_graceful(const void *o)
{
	const struct ve_run *op = o;
	return op->was_running && !op->fast;
}

/*
 * A child that enters the VE as vzctl's stop does (§12.2): stdio on /dev/null, setluid,
 * chroot, VE_ENTER; then `then` runs inside. Returns the child's wait status or -errno.
 */
static int in_ve(struct ve_run *op, void (*then)(void))
{
	struct kernel *k = &op->ve->ctx->kernel;
	pid_t pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		int null = open("/dev/null", O_RDWR);
		for (int fd = 0; fd < 3; fd++)
			if (null >= 0 && fd != null)
				dup2(null, fd);
		if (kernel_setluid(k, op->ve->id) < 0 || chdir(op->root) < 0 || chroot(".") < 0 ||
		    kernel_env_enter(k, op->ve->id) < 0)
			_exit(125);
		close(k->fd);
		then();
		_exit(126);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return status;
}

static void exec_halt(void)
{
	static const char *const dirs[] = { "/usr/local/sbin", "/usr/local/bin", "/usr/sbin",
					    "/usr/bin",        "/sbin",          "/bin" };
	static char *const argv[] = { "halt", NULL };
	static char *const envp[] = {
		"HOME=/", "TERM=linux",
		"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", NULL
	};
	if (setgroups(0, NULL) < 0) {
		/* halt runs with root's groups then */
	}
	for (size_t i = 0; i < ELEMENTSOF(dirs); i++) {
		char path[64];
		snprintf(path, sizeof(path), "%s/halt", dirs[i]);
		execve(path, argv, envp);
	}
}

static int halt_run(void *o, vzl_error **err)
{
	struct ve_run *op = o;
	(void)err;
	long t = stop_timeout_s(op);
	if (kernel_is_dry_run(&op->ve->ctx->kernel))
		return 0;
	log_notice(op->ve->ctx,
		   "VE %u: running its halt inside it; waiting up to %ld s (STOP_TIMEOUT) for it "
		   "to stop",
		   op->ve->id, t);
	int status = in_ve(op, exec_halt);
	/* vzctl: halt exiting 0 or 1 is waited for; anything else goes to the kill at once */
	if (status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) <= 1 &&
	    ve_run_wait_gone(op, t * 1000) == 0)
		op->was_running = false;
	else
		log_notice(op->ve->ctx, "VE %u: the halt did not stop it", op->ve->id);
	return 0;
}

static void halt_describe(const void *o, struct step_plan *plan)
{
	const struct ve_run *op = o;
	step_line(plan,
		  "fork; setluid(%u); chroot %s; enter VE %u; execute the VE's halt; wait up "
		  "to %ld s for the VE to stop",
		  op->ve->id, op->root, op->ve->id, stop_timeout_s(op));
}

static const struct step stop_row_halt = {
	.name = "halt",
	.error_step = VZL_STEP_STATE,
	.when = when_graceful,
	.run = halt_run,
	.describe = halt_describe,
};

static void power_off(void)
{
	reboot(LINUX_REBOOT_CMD_POWER_OFF);
}

static int kill_run(void *o, vzl_error **err)
{
	struct ve_run *op = o;
	unsigned veid = op->ve->id;
	long t = stop_timeout_s(op) * 500;
	if (kernel_is_dry_run(&op->ve->ctx->kernel))
		return 0;
	log_notice(op->ve->ctx, "VE %u: killing it; waiting up to %ld.%ld s for it to stop", veid,
		   t / 1000, t % 1000 / 100);
	int status = in_ve(op, power_off);
	if (status < 0)
		return error_set(err, -status, veid, VZL_STEP_STATE, NULL,
				 "VE %u: cannot fork to kill it: %s", veid, strerror(-status));
	/* An entry refused (EBUSY: the VE is stopping already) still ends in the wait. */
	int r = ve_run_wait_gone(op, t);
	if (r == -ETIMEDOUT)
		return error_set(err, ETIMEDOUT, veid, VZL_STEP_STATE, NULL,
				 "unable to stop VE %u: operation timed out after %ld ms", veid, t);
	if (r < 0)
		return error_set(err, -r, veid, VZL_STEP_ENV_CREATE, NULL,
				 "VE %u: VE_TEST failed: %s", veid, strerror(-r));
	op->was_running = false;
	return 0;
}

int ve_run_kill(struct ve_run *op, vzl_error **err)
{
	return kill_run(op, err);
}

static void kill_describe(const void *o, struct step_plan *plan)
{
	const struct ve_run *op = o;
	step_line(plan,
		  "if still running: fork; setluid(%u); chroot %s; enter VE %u; "
		  "reboot(LINUX_REBOOT_CMD_POWER_OFF); wait up to %ld ms for the VE to stop",
		  op->ve->id, op->root, op->ve->id, stop_timeout_s(op) * 500);
}

static const struct step stop_row_kill = {
	.name = "kill",
	.error_step = VZL_STEP_STATE,
	.when = when_running,
	.run = kill_run,
	.describe = kill_describe,
};

static bool when_unmount(const void *o)
{
	const struct ve_run *op = o;
	return op->was_mounted && !op->skip_umount && !op->nothing_to_stop;
}

static int unmount_run(void *o, vzl_error **err)
{
	const struct step *u = &umount_row_unmount;
	return u->run(o, err);
}

static void unmount_describe(const void *o, struct step_plan *plan)
{
	umount_row_unmount.describe(o, plan);
}

static const struct step stop_row_unmount = {
	.name = "unmount",
	.error_step = VZL_STEP_MOUNT,
	.when = when_unmount,
	.run = unmount_run,
	.describe = unmount_describe,
};

static const struct step *const stop_table[] = {
	&stop_row_running, &stop_row_net_remember, &stop_row_halt, &stop_row_kill,
	&stop_row_unmount, &stop_row_quota_off,
	/* NETWORK: host routes and proxy ARP */
	&stop_row_net_host, &stop_row_veth,
	&stop_row_marker, /* last: what start did is undone (or left, --skip-umount, on purpose) */
};

VZL_API int vzl_ve_stop(vzl_ve *ve, unsigned int flags, vzl_error **err)
{
	struct ve_run op;
	int r = ve_run_open(&op, ve, err);
	op.fast = flags & VZL_STOP_FAST;
	op.skip_umount = flags & VZL_STOP_SKIP_UMOUNT;
	if (r == 0)
		r = ve_run_table(&op, stop_table, ELEMENTSOF(stop_table), err);
	if (r == 0 && op.nothing_to_stop)
		r = 1;
	ve_run_done(&op);
	return r;
}

/* restart (§3.4): stop then start under one lock, taken here or held by the caller. */
static int restart(vzl_ve *ve, bool lock, unsigned int flags, vzl_error **err)
{
	const struct step *rows[STEP_MAX - 1];
	size_t n = 0;
	for (size_t i = 0; i < ELEMENTSOF(stop_table); i++)
		rows[n++] = stop_table[i];
	n += start_rows(rows + n, ELEMENTSOF(rows) - n);
	struct ve_run op;
	int r = ve_run_open(&op, ve, err);
	op.fast = flags & VZL_STOP_FAST;
	op.force = flags & VZL_START_FORCE;
	op.wait = flags & VZL_START_WAIT;
	if (r == 0)
		r = lock ? ve_run_table(&op, rows, n, err) : ve_run_table_held(&op, rows, n, err);
	ve_run_done(&op);
	return r;
}

VZL_API int vzl_ve_restart(vzl_ve *ve, unsigned int flags, vzl_error **err)
{
	return restart(ve, true, flags, err);
}

int ve_restart_held(vzl_ve *ve, unsigned int flags, vzl_error **err)
{
	return restart(ve, false, flags, err);
}
