// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The stand-in: what remains of a process that created or entered a VE.
 *
 * Linux moves only children into a PID namespace, so the caller of VE_CREATE / VE_ENTER
 * continues in a child the supervisor forked for it into the VE's PID namespace (ptrace.c),
 * and the original process (the one its parent knows) becomes a transparent stand-in, as
 * `unshare --fork` does:
 *   - it closes every descriptor (close_range), so it holds no pipe end whose EOF the caller
 *     waits for, then blocks in wait4(child) — it never returns to its own code;
 *   - a signal sent to it is forwarded to the child (and not delivered to it), except SIGCHLD;
 *   - when the child has exited, it exits the same way: exit_group(code), or the same signal
 *     with its default action (handler reset, signal unblocked, then raised).
 * Everything happens in the supervisor's event loop, from the stand-in's ptrace stops.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "inject.h"

#define ERESTARTSYS           512
#define ERESTART_RESTARTBLOCK 516

struct standin {
	pid_t pid, child;
	uint64_t net; /* the network namespace of the VE it stands in for (0: unknown) */
	bool compat;
	bool child_done;
	int child_status;
	int dying_sig;    /* raised at itself: let it through */
	uint64_t scratch; /* its stack: it never returns to the code that owned it */
};

static struct standin *tab;
static int ntab, captab;

static struct standin *find(pid_t pid)
{
	for (int i = 0; i < ntab; i++)
		if (tab[i].pid == pid)
			return &tab[i];
	return NULL;
}

/* Block in wait4(child, scratch, __WALL, NULL) from a syscall-exit stop; not waited for here */
static void wait_child(struct sup *s, struct standin *si, struct user_regs_struct *cur)
{
	const struct inj_nrs *nr = si->compat ? &inj_nrs_i386 : &inj_nrs_x86_64;
	struct user_regs_struct r = *cur;

	r.rip -= 2;
	r.orig_rax = r.rax = (uint64_t)nr->wait4;
	if (si->compat) {
		r.rbx = (uint64_t)si->child, r.rcx = si->scratch, r.rdx = __WALL, r.rsi = 0;
		r.rbp = s->cookie;
	} else {
		r.rdi = (uint64_t)si->child, r.rsi = si->scratch, r.rdx = __WALL, r.r10 = 0;
		r.r9 = s->cookie;
	}
	ptrace(PTRACE_SETREGS, si->pid, 0, &r);
	ptrace(PTRACE_SYSCALL, si->pid, 0, 0);
}

void standin_start(struct inj *j, struct user_regs_struct *cur, pid_t child)
{
	struct standin *si;

	j->parked = true;
	inj_call3(j, cur, inj_nrs(j)->close_range, 0, ~0u, 0);
	if (j->dead)
		return;
	if (ntab == captab) {
		int n = captab ? 2 * captab : 16;
		struct standin *t = realloc(tab, (size_t)n * sizeof(*t));

		if (!t) { /* cannot follow it: leave it waiting for the child, exit status lost */
			ptrace(PTRACE_DETACH, j->tid, 0, 0);
			return;
		}
		tab = t;
		captab = n;
	}
	si = &tab[ntab++];
	memset(si, 0, sizeof(*si));
	si->pid = j->tid;
	si->child = child;
	if (ns_ino(child, "net", &si->net) < 0)
		si->net = 0;
	si->compat = j->compat;
	si->scratch = (j->compat ? (uint32_t)cur->rsp : cur->rsp) & ~(uint64_t)15;
	wait_child(j->s, si, cur);
}

void standin_on_exit(pid_t pid, int status)
{
	for (int i = 0; i < ntab; i++) {
		if (tab[i].child == pid && !tab[i].child_done) {
			tab[i].child_done = true;
			tab[i].child_status = status;
		}
		if (tab[i].pid == pid) {
			/* The stand-in died before its child: only SIGKILL can do that (every
			 * other signal is forwarded). On the kernel it *was* the VE's init or
			 * the entered process, so the one it stands for dies the same way. */
			if (!tab[i].child_done)
				kill(tab[i].child, SIGKILL);
			tab[i--] = tab[--ntab];
		}
	}
}

int standin_pidfds(uint64_t net, int **pidfds, int n)
{
	for (int i = 0; i < ntab; i++) {
		if (!net || tab[i].net != net)
			continue;
		int fd = (int)syscall(SYS_pidfd_open, tab[i].pid, 0);
		if (fd < 0)
			continue; /* gone already */
		int *t = realloc(*pidfds, (size_t)(n + 1) * sizeof(*t));
		if (t)
			*pidfds = t;
		if (!t || fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
			close(fd);
			continue; /* not waited for: the VE may be removed a moment early */
		}
		t[n++] = fd;
	}
	return n;
}

/* The child is gone (status `st`): end the stand-in the same way */
static void exit_like(struct sup *s, struct standin *si, struct user_regs_struct *cur, int st)
{
	/* si goes away with the process (sup_on_exit): use copies */
	pid_t pid = si->pid;
	uint64_t zero[4] = { 0 }, set, scratch = si->scratch, a[6] = { 0 };
	struct inj j = { .s = s, .tid = pid, .compat = si->compat, .parked = true };
	const struct inj_nrs *nr = inj_nrs(&j);
	int sig = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
	struct user_regs_struct r;

	if (sig == SIGKILL) {
		kill(pid, SIGKILL);
		return;
	}
	if (!sig)
		goto out;
	si->dying_sig = sig;
	/* SIG_DFL for `sig` (a zeroed struct sigaction in both ABIs), unblocked, raised */
	a[0] = (uint64_t)sig, a[1] = scratch, a[3] = 8;
	if (mem_write(pid, scratch, zero, sizeof(zero)) < 0 ||
	    inj_call(&j, cur, nr->rt_sigaction, a) < 0 || j.dead)
		goto out;
	set = 1ull << (sig - 1);
	memset(a, 0, sizeof(a));
	a[0] = SIG_UNBLOCK, a[1] = scratch, a[3] = 8;
	if (mem_write(pid, scratch, &set, sizeof(set)) < 0 ||
	    inj_call(&j, cur, nr->rt_sigprocmask, a) < 0 || j.dead ||
	    inj_call3(&j, cur, nr->kill, (uint64_t)pid, (uint64_t)sig, 0) < 0 || j.dead)
		goto out;
	/*
	 * The signal is taken on the way out of kill(): its signal-delivery stop comes to
	 * standin_stop, which lets it through. Should it not kill (it always does: the child
	 * died of it), the next instruction is exit_group(128 + sig).
	 */
	r = *cur;
	r.rip -= 2;
	r.orig_rax = r.rax = (uint64_t)nr->exit_group;
	if (j.compat)
		r.rbx = (uint64_t)(128 + sig), r.rbp = s->cookie;
	else
		r.rdi = (uint64_t)(128 + sig), r.r9 = s->cookie;
	ptrace(PTRACE_SETREGS, pid, 0, &r);
	ptrace(PTRACE_SYSCALL, pid, 0, 0);
	return;
out:
	if (!j.dead)
		inj_call3(&j, cur, nr->exit_group, (uint64_t)(sig ? 128 + sig : WEXITSTATUS(st)), 0,
			  0);
}

bool standin_stop(struct sup *s, pid_t tid, int status)
{
	struct standin *si = find(tid);
	struct __ptrace_syscall_info info;
	struct user_regs_struct r;
	int sig = WSTOPSIG(status);
	long ret;

	if (!si)
		return false;
	if ((status >> 16) != 0) { /* events, group stops: it only waits */
		ptrace(PTRACE_SYSCALL, tid, 0, 0);
		return true;
	}
	if (sig != (SIGTRAP | 0x80)) { /* a signal for it: the child's */
		if (sig == si->dying_sig) {
			ptrace(PTRACE_SYSCALL, tid, 0, sig);
			return true;
		}
		if (sig != SIGCHLD && !si->child_done)
			kill(si->child, sig);
		ptrace(PTRACE_SYSCALL, tid, 0, 0);
		return true;
	}
	memset(&info, 0, sizeof(info));
	if (ptrace(PTRACE_GET_SYSCALL_INFO, tid, sizeof(info), &info) <= 0 ||
	    info.op != PTRACE_SYSCALL_INFO_EXIT || ptrace(PTRACE_GETREGS, tid, 0, &r) < 0) {
		ptrace(PTRACE_SYSCALL, tid, 0, 0);
		return true;
	}
	ret = si->compat ? (long)(int32_t)r.rax : (long)r.rax;
	if (ret <= -ERESTARTSYS && ret >= -ERESTART_RESTARTBLOCK) {
		ptrace(PTRACE_SYSCALL, tid, 0, 0); /* restarted after the signal stop */
		return true;
	}
	if (ret == si->child) {
		int32_t st;

		if (mem_read(tid, si->scratch, &st, sizeof(st)) == 0) {
			si->child_done = true;
			si->child_status = st;
		}
	}
	if (!si->child_done && ret == -ECHILD) { /* cannot happen: we reap it first */
		si->child_done = true;
		si->child_status = 1 << 8;
	}
	if (!si->child_done) { /* woken for nothing we know of: wait again */
		wait_child(s, si, &r);
		return true;
	}
	exit_like(s, si, &r, si->child_status);
	return true;
}
