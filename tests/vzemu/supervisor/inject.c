// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * System calls executed by a tracee on the supervisor's behalf (see inject.h).
 *
 * At a seccomp stop the stopped call is replaced (registers rewritten before the kernel runs
 * it). At a syscall-exit stop another call is run by moving the instruction pointer back over
 * the syscall instruction (`syscall`, `int $0x80` and `sysenter` are all two bytes), which is
 * also where a freshly forked child stands at its first stop.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "inject.h"

const struct inj_nrs inj_nrs_x86_64 = {
	.unshare = SYS_unshare,
	.setns = SYS_setns,
	.close = SYS_close,
	.close_range = 436, /* SYS_close_range, absent from older headers */
	.pidfd_open = 434,  /* SYS_pidfd_open */
	.fork = SYS_fork,
	.wait4 = SYS_wait4,
	.kill = SYS_kill,
	.exit_group = SYS_exit_group,
	.rt_sigaction = SYS_rt_sigaction,
	.rt_sigprocmask = SYS_rt_sigprocmask,
	.capset = SYS_capset,
	.prctl = SYS_prctl,
};

bool inj_is_compat(const struct user_regs_struct *r)
{
	return r->cs == 0x23;
}

void inj_get_args(const struct user_regs_struct *r, bool compat, uint64_t a[6])
{
	if (compat) {
		a[0] = (uint32_t)r->rbx, a[1] = (uint32_t)r->rcx, a[2] = (uint32_t)r->rdx;
		a[3] = (uint32_t)r->rsi, a[4] = (uint32_t)r->rdi, a[5] = (uint32_t)r->rbp;
	} else {
		a[0] = r->rdi, a[1] = r->rsi, a[2] = r->rdx, a[3] = r->r10, a[4] = r->r8,
		a[5] = r->r9;
	}
}

static void set_call(struct user_regs_struct *r, bool compat, long nr, const uint64_t a[6])
{
	r->orig_rax = (uint64_t)nr;
	r->rax = (uint64_t)nr;
	if (compat) {
		r->rbx = a[0], r->rcx = a[1], r->rdx = a[2], r->rsi = a[3], r->rdi = a[4];
		r->rbp = a[5];
	} else {
		r->rdi = a[0], r->rsi = a[1], r->rdx = a[2], r->r10 = a[3], r->r8 = a[4];
		r->r9 = a[5];
	}
}

int inj_wait_syscall_stop(struct inj *j, int want_op, struct user_regs_struct *regs)
{
	for (;;) {
		struct __ptrace_syscall_info info;
		int st;
		pid_t w = waitpid(j->tid, &st, __WALL);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			j->dead = true;
			return -ESRCH;
		}
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			j->dead = true;
			sup_on_exit(j->s, j->tid, st);
			return -ESRCH;
		}
		if (!WIFSTOPPED(st))
			continue;
		if (WSTOPSIG(st) == (SIGTRAP | 0x80)) {
			memset(&info, 0, sizeof(info));
			ptrace(PTRACE_GET_SYSCALL_INFO, j->tid, sizeof(info), &info);
			if (info.op == want_op) {
				if (ptrace(PTRACE_GETREGS, j->tid, 0, regs) < 0)
					return -errno;
				return 0;
			}
		} else if ((st >> 16) == 0 && WSTOPSIG(st) != SIGTRAP) {
			/* a signal arrived meanwhile: deliver it once we are done */
			j->pending_sig = WSTOPSIG(st);
		}
		ptrace(PTRACE_SYSCALL, j->tid, 0, 0);
	}
}

static long result(const struct inj *j, const struct user_regs_struct *r)
{
	return j->compat ? (long)(int32_t)r->rax : (long)r->rax;
}

long inj_replace(struct inj *j, const struct user_regs_struct *at, long nr, uint64_t a[6],
		 struct user_regs_struct *exit_regs)
{
	struct user_regs_struct r = *at;
	int e;

	a[5] = j->s->cookie;
	set_call(&r, j->compat, nr, a);
	if (ptrace(PTRACE_SETREGS, j->tid, 0, &r) < 0 || ptrace(PTRACE_SYSCALL, j->tid, 0, 0) < 0)
		return -ESRCH;
	e = inj_wait_syscall_stop(j, PTRACE_SYSCALL_INFO_EXIT, exit_regs);
	if (e < 0)
		return e;
	return result(j, exit_regs);
}

long inj_call(struct inj *j, struct user_regs_struct *cur, long nr, uint64_t a[6])
{
	struct user_regs_struct r = *cur, entry;
	int e;

	a[5] = j->s->cookie;
	r.rip -= 2;
	set_call(&r, j->compat, nr, a);
	if (ptrace(PTRACE_SETREGS, j->tid, 0, &r) < 0 || ptrace(PTRACE_SYSCALL, j->tid, 0, 0) < 0)
		return -ESRCH;
	e = inj_wait_syscall_stop(j, PTRACE_SYSCALL_INFO_ENTRY, &entry);
	if (e < 0)
		return e;
	if (ptrace(PTRACE_SYSCALL, j->tid, 0, 0) < 0)
		return -ESRCH;
	e = inj_wait_syscall_stop(j, PTRACE_SYSCALL_INFO_EXIT, cur);
	if (e < 0)
		return e;
	return result(j, cur);
}

long inj_call3(struct inj *j, struct user_regs_struct *cur, long nr, uint64_t a0, uint64_t a1,
	       uint64_t a2)
{
	uint64_t a[6] = { a0, a1, a2, 0, 0, 0 };

	return inj_call(j, cur, nr, a);
}

void inj_finish(struct inj *j, struct user_regs_struct *regs, long ret, bool at_exit)
{
	struct user_regs_struct r = *regs;

	if (j->dead || j->parked)
		return;
	if (!at_exit)
		r.orig_rax = (uint64_t)-1; /* skip the call */
	r.rax = (uint64_t)ret;
	ptrace(PTRACE_SETREGS, j->tid, 0, &r);
	ptrace(PTRACE_CONT, j->tid, 0, j->pending_sig);
}
