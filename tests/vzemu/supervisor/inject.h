/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Making a traced process execute system calls of the supervisor's choosing (ptrace.c,
 * standin.c). The tracee is stopped at a seccomp stop or a syscall-exit stop; every injected
 * call carries the run's cookie in its 6th argument, which the filter lets through.
 */
#ifndef VZEMU_INJECT_H
#define VZEMU_INJECT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/user.h>

#include "vzemu.h"

struct inj {
	struct sup *s;
	pid_t tid;
	bool compat;
	bool dead;
	bool parked; /* handed over (a stand-in): inj_finish leaves it alone */
	int pending_sig;
};

/* The system call numbers injection uses, for the tracee's architecture */
struct inj_nrs {
	long unshare, setns, close, close_range, pidfd_open, fork, wait4, kill, exit_group,
		rt_sigaction, rt_sigprocmask, capset, prctl;
};
extern const struct inj_nrs inj_nrs_x86_64, inj_nrs_i386; /* inject.c, inject-i386.c */

static inline const struct inj_nrs *inj_nrs(const struct inj *j)
{
	return j->compat ? &inj_nrs_i386 : &inj_nrs_x86_64;
}

bool inj_is_compat(const struct user_regs_struct *r);
void inj_get_args(const struct user_regs_struct *r, bool compat, uint64_t a[6]);

/* Wait for the next syscall stop (PTRACE_SYSCALL_INFO_ENTRY/EXIT) of j->tid */
int inj_wait_syscall_stop(struct inj *j, int want_op, struct user_regs_struct *regs);
/* At a seccomp stop `at`: replace the stopped call by nr(a...), run it, stop at its exit */
long inj_replace(struct inj *j, const struct user_regs_struct *at, long nr, uint64_t a[6],
		 struct user_regs_struct *exit_regs);
/* At a syscall-exit (or fork-child) stop: execute one more call; *cur = regs at its exit */
long inj_call(struct inj *j, struct user_regs_struct *cur, long nr, uint64_t a[6]);
/* The same with up to three arguments */
long inj_call3(struct inj *j, struct user_regs_struct *cur, long nr, uint64_t a0, uint64_t a1,
	       uint64_t a2);
/* Resume the tracee at `regs` returning `ret` (skipping the stopped call unless at_exit) */
void inj_finish(struct inj *j, struct user_regs_struct *regs, long ret, bool at_exit);

/* caps-ve.c: the creator's capabilities around a VE create/enter */
struct ve_caps {
	bool raise; /* CAP_SYS_ADMIN is only in its reserve: raise it for the namespace calls */
	uint64_t want[3]; /* the effective, permitted, inheritable sets it holds (or asked for) */
	uint64_t bnd;     /* its bounding set */
};
void caps_capset_stop(struct sup *s, pid_t tid, struct user_regs_struct *regs, struct call *c);
void caps_capget_stop(struct sup *s, pid_t tid, struct user_regs_struct *regs, struct call *c);
/* fork-charge.c: a fork/clone stopped before it runs: a VE's numproc barrier */
void fork_charge_stop(struct sup *s, pid_t tid, struct user_regs_struct *regs, struct call *c);
void caps_ve_prepare(pid_t tid, struct ve_caps *vc);
/* capset(set) by j->tid: replacing the call stopped at `at` if not NULL, else at *cur */
long caps_inj_capset(struct inj *j, const struct user_regs_struct *at, struct user_regs_struct *cur,
		     const uint64_t set[3]);
/* the creator's sets with CAP_SYS_ADMIN raised into the effective set */
void caps_raised(const struct ve_caps *vc, uint64_t set[3]);
/* the VE's init (jc, forked by `creator`): init_ve_cred's limit to the creator's effective set */
long caps_inj_ve_limit(struct inj *jc, struct user_regs_struct *cur, const struct ve_caps *vc,
		       pid_t creator, unsigned int veid);
/* mount(2) replacing the call stopped at `at`, with CAP_VE_ADMIN's right to mount */
long caps_mount(struct inj *j, const struct user_regs_struct *at, long nr, uint64_t a[6],
		struct user_regs_struct *ex);

/* standin.c: the original process of a VE create/enter, after its child took over */
void standin_start(struct inj *j, struct user_regs_struct *cur, pid_t child);
bool standin_stop(struct sup *s, pid_t tid, int status);
void standin_on_exit(pid_t pid, int status);
/*
 * Append to *pidfds (n of them already) pidfds of the live stand-ins of the VE whose network
 * namespace is `net`; returns the new count. On the kernel the process a stand-in stands for
 * is the VE's own, and it holds the VE's root as its root (a chroot into VE_ROOT): the VE is
 * gone, and VE_ROOT can be unmounted, only once the stand-ins are gone too.
 */
int standin_pidfds(uint64_t net, int **pidfds, int n);

#endif
