// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Signals aimed at the host's init, or at every process of the host, from a process in the
 * host's PID namespace (SC_KILL; the filter notifies only kill(1|-1, …), tkill(1, …),
 * tgkill and rt_tgsigqueueinfo naming 1, rt_sigqueueinfo(1, …): other kills cost nothing).
 *
 * On the target host these reach its init (sysvinit, busybox init, …) or all its processes;
 * here they would reach this machine's pid 1 or every process on it. So a caller in the
 * supervisor's PID namespace gets the host's answer and nothing is delivered: the host's
 * init exists and root may signal it (kernel/signal.c: check_kill_permission), so 0. A
 * caller in a VE's PID namespace (pid 1 there is the VE's init) continues to the kernel.
 * Trace: `<pid> kill(1, SIGUSR1) = 0 (host init: not delivered)`.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>

#include "vzemu.h"

#define KERNEL_NSIG  64 /* 2.6.32 x86 _NSIG: valid_signal() */
#define CAP_KILL_BIT 5

static void sig_text(int sig, char *out, size_t len)
{
	const char *abbrev = sig > 0 && sig < SIGRTMIN ? sigabbrev_np(sig) : NULL;

	if (abbrev)
		snprintf(out, len, "SIG%s", abbrev);
	else
		snprintf(out, len, "%d", sig);
}

static bool in_host_pid_ns(struct sup *s, pid_t tid)
{
	uint64_t ino;

	return ns_ino(tid, "pid", &ino) == 0 && ino == s->host_pid_ino;
}

/* check_kill_permission against the host's init (uid 0): root, or CAP_KILL */
static long may_signal_init(struct call *c)
{
	call_fill_caller(c);
	return c->euid == 0 || (c->caller.cap_effective >> CAP_KILL_BIT & 1) ? 0 : -EPERM;
}

/* rt_*sigqueueinfo: "not even root can pretend to send signals from the kernel" */
static long queueinfo_code(struct call *c, uint64_t uinfo)
{
	siginfo_t info;

	if (mem_read(c->tid, uinfo, &info, sizeof(info)) < 0)
		return -EFAULT;
	return info.si_code >= 0 ? -EPERM : 0;
}

int kill_host_handle(struct sup *s, struct call *c, long *ret, char *trace, size_t tlen)
{
	int a0 = (int)c->args[0], a1 = (int)c->args[1], sig;
	const char *name = c->ent->name, *note = "host init: not delivered";
	char signame[24];
	long r = 0;

	if (!in_host_pid_ns(s, c->tid))
		return 1; /* pid 1 of a VE's PID namespace: the real kernel delivers it */
	if (!strcmp(name, "tgkill") || !strcmp(name, "rt_tgsigqueueinfo")) {
		sig = (int)c->args[2];
		sig_text(sig, signame, sizeof(signame));
		snprintf(trace, tlen, "%s(%d, %d, %s%s)", name, a0, a1, signame,
			 name[0] == 'r' ? ", ..." : "");
		if (a0 <= 0 || a1 <= 0)
			r = -EINVAL;
		else if (a0 != 1 || a1 != 1) /* the host's init has one thread */
			r = -ESRCH;
		else if (name[0] == 'r')
			r = queueinfo_code(c, c->args[3]);
	} else {
		sig = a1;
		sig_text(sig, signame, sizeof(signame));
		snprintf(trace, tlen, "%s(%d, %s%s)", name, a0, signame,
			 name[0] == 'r' ? ", ..." : "");
		if (a0 == -1) /* kill only (the filter) */
			note = "every host process: not delivered";
		else if (name[0] == 'r')
			r = queueinfo_code(c, c->args[2]);
	}
	if (r == 0 && (sig < 0 || sig > KERNEL_NSIG))
		r = -EINVAL;
	if (r == 0 && a0 == 1)
		r = may_signal_init(c);
	*ret = r;
	trace_line(c->pid, trace, r, r == 0 ? note : NULL);
	trace[0] = 0; /* traced here, with its note */
	return 0;
}
