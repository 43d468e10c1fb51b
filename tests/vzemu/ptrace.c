// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The ptrace path: the supervisor is the tracer of every process under the filter
 * (PTRACE_SEIZE of the command, then PTRACE_O_TRACEFORK/VFORK/CLONE attach every descendant).
 *
 * Why ptrace at all: a seccomp user-notification handler cannot change the namespaces of the
 * calling process, and after VZCTL_ENV_CREATE_DATA with VE_CREATE the caller must itself be
 * in new UTS, IPC and network namespaces (it is the VE's init). So the filter sends the
 * create/enter family of /dev/vzctl ioctls to SECCOMP_RET_TRACE. At that seccomp stop the
 * model decides, and the supervisor turns the ioctl into real system calls executed by the
 * caller itself:
 *   VE_CREATED: the ioctl is replaced by unshare(CLONE_NEWUTS|CLONE_NEWIPC|CLONE_NEWNET);
 *               then venet0 is created in the new network namespace by netlink from here
 *               (IFLA_NET_NS_FD), and the ioctl returns the VE id.
 *   VE_ENTERED: the ioctl is replaced by pidfd_open(<VE init>), then setns(pidfd,
 *               CLONE_NEWUTS|CLONE_NEWIPC|CLONE_NEWNET) and close(pidfd) are injected
 *               (rip -= 2 at the syscall-exit stop re-executes the syscall instruction).
 *   otherwise:  the ioctl is skipped (orig_rax = -1) and returns the model's value.
 * Injected calls carry a per-run random cookie in their 6th argument, which the filter lets
 * through (pidfd_open does not exist on 2.6.32 and would otherwise get ENOSYS).
 * mount(2) also stops here: in the host's mount namespace it is refused; a "simfs" mount is
 * rewritten into the equivalent bind mount (source = the private area) and executed by the
 * caller in its own (private) mount namespace.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>

#include "openvz.h"
#include "vzemu.h"

#define PTRACE_OPTIONS                                                                         \
	(PTRACE_O_TRACESECCOMP | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK |                    \
	 PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL)

int ptrace_setup_main(pid_t pid)
{
	return ptrace(PTRACE_SEIZE, pid, 0, PTRACE_OPTIONS) < 0 ? -errno : 0;
}

static bool is_compat(const struct user_regs_struct *r)
{
	return r->cs == 0x23;
}

static void get_args(const struct user_regs_struct *r, bool compat, uint64_t a[6])
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

struct inj {
	struct sup *s;
	pid_t tid;
	bool compat;
	bool dead;
	int pending_sig;
};

/* Wait for the next syscall stop of j->tid (entry or exit); other stops are absorbed */
static int wait_syscall_stop(struct inj *j, int want_op, struct user_regs_struct *regs)
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

/* At a seccomp stop: replace the stopped call by `nr(a...)`, run it, stop at its exit */
static long run_replaced(struct inj *j, const struct user_regs_struct *at, long nr,
			 uint64_t a[6], struct user_regs_struct *exit_regs)
{
	struct user_regs_struct r = *at;
	int e;

	a[5] = j->s->cookie;
	set_call(&r, j->compat, nr, a);
	if (ptrace(PTRACE_SETREGS, j->tid, 0, &r) < 0 || ptrace(PTRACE_SYSCALL, j->tid, 0, 0) < 0)
		return -ESRCH;
	e = wait_syscall_stop(j, PTRACE_SYSCALL_INFO_EXIT, exit_regs);
	if (e < 0)
		return e;
	return j->compat ? (long)(int32_t)exit_regs->rax : (long)exit_regs->rax;
}

/* At a syscall-exit stop: execute one more system call in the tracee */
static long inject(struct inj *j, struct user_regs_struct *cur, long nr, uint64_t a[6])
{
	struct user_regs_struct r = *cur, entry;
	int e;

	a[5] = j->s->cookie;
	r.rip -= 2; /* syscall / int $0x80 / sysenter restart point: two bytes */
	set_call(&r, j->compat, nr, a);
	if (ptrace(PTRACE_SETREGS, j->tid, 0, &r) < 0 || ptrace(PTRACE_SYSCALL, j->tid, 0, 0) < 0)
		return -ESRCH;
	e = wait_syscall_stop(j, PTRACE_SYSCALL_INFO_ENTRY, &entry);
	if (e < 0)
		return e;
	if (ptrace(PTRACE_SYSCALL, j->tid, 0, 0) < 0)
		return -ESRCH;
	e = wait_syscall_stop(j, PTRACE_SYSCALL_INFO_EXIT, cur);
	if (e < 0)
		return e;
	return j->compat ? (long)(int32_t)cur->rax : (long)cur->rax;
}

/* Leave the tracee at `regs` (normally its registers at the seccomp stop) returning `ret` */
static void finish(struct inj *j, struct user_regs_struct *regs, long ret, bool at_exit)
{
	struct user_regs_struct r = *regs;

	if (j->dead)
		return;
	if (!at_exit)
		r.orig_rax = (uint64_t)-1; /* skip the call */
	r.rax = (uint64_t)ret;
	ptrace(PTRACE_SETREGS, j->tid, 0, &r);
	ptrace(PTRACE_CONT, j->tid, 0, j->pending_sig);
}

static void own_ve_add(struct sup *s, unsigned int veid, pid_t init)
{
	struct own_ve *v = NULL;

	for (int i = 0; i < s->nves; i++)
		if (s->ves[i].veid == veid)
			v = &s->ves[i];
	if (!v && s->nves < (int)(sizeof(s->ves) / sizeof(s->ves[0])))
		v = &s->ves[s->nves++];
	if (!v)
		return;
	memset(v, 0, sizeof(*v));
	v->veid = veid;
	v->init = init;
	ns_ino(init, "net", &v->net_ino);
	ns_ino(init, "uts", &v->uts_ino);
	ns_ino(init, "ipc", &v->ipc_ino);
	reg_write(s, veid, init, v->net_ino, v->uts_ino, v->ipc_ino);
}

static long do_create(struct inj *j, struct call *c, const struct emu_effect *eff,
		      const struct user_regs_struct *at, struct user_regs_struct *ex, long ret)
{
	uint64_t a[6] = { CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET, 0, 0, 0, 0, 0 };
	long r = run_replaced(j, at, j->compat ? sc_i386_unshare : SYS_unshare, a, ex);
	int e;

	if (r < 0) {
		if (model_lock(j->s->model) == 0) {
			model_init_exited(j->s->model, eff->veid);
			model_ve_empty(j->s->model, eff->veid);
			model_unlock(j->s->model);
		}
		trace_raw("%d vzemu: unshare for VE %u failed: %s", (int)c->pid, eff->veid,
			  errno_name((int)-r));
		return r;
	}
	e = ns_add_venet(c->tid);
	own_ve_add(j->s, eff->veid, c->pid);
	trace_raw("%d vzemu: VE %u created: init %d in new uts/ipc/net namespaces, venet0 %s",
		  (int)c->pid, eff->veid, (int)c->pid, e ? errno_name(-e) : "added");
	return ret;
}

static long do_enter(struct inj *j, struct call *c, const struct emu_effect *eff,
		     const struct user_regs_struct *at, struct user_regs_struct *ex, long ret)
{
	uint64_t a[6] = { 0 };
	pid_t init;
	long fd, r;

	if (reg_find_init(j->s, eff->veid, &init) < 0) {
		trace_raw("%d vzemu: VE %u has no live init to enter", (int)c->pid, eff->veid);
		return -EBUSY;
	}
	a[0] = (uint64_t)init;
	fd = run_replaced(j, at, j->compat ? sc_i386_pidfd_open : SYS_pidfd_open, a, ex);
	if (fd < 0)
		return fd == -ESRCH ? -EBUSY : fd;
	memset(a, 0, sizeof(a));
	a[0] = (uint64_t)fd;
	a[1] = CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET;
	r = inject(j, ex, j->compat ? sc_i386_setns : SYS_setns, a);
	if (j->dead)
		return r;
	memset(a, 0, sizeof(a));
	a[0] = (uint64_t)fd;
	inject(j, ex, j->compat ? sc_i386_close : SYS_close, a);
	if (r < 0)
		return r;
	trace_raw("%d vzemu: entered VE %u (namespaces of init %d)", (int)c->pid, eff->veid,
		  (int)init);
	return ret;
}

static void env_create_stop(struct sup *s, pid_t tid, struct user_regs_struct *regs,
			    struct call *c)
{
	struct inj j = { .s = s, .tid = tid, .compat = c->compat32 };
	unsigned long req = (unsigned long)(c->args[1] & 0xffffffffu);
	struct user_regs_struct ex;
	struct emu_effect eff = { 0 };
	char trace[VZEMU_TRACE_MAX], subbuf[32];
	const char *name, *sub;
	long r;
	int fe;

	if (!vzctl_fd_is(s, tid, (int)c->args[0])) {
		ptrace(PTRACE_CONT, tid, 0, 0);
		return;
	}
	name = ioctl_name(req, c->compat32);
	sub = ioctl_sub_name(c, req, c->args[2], subbuf, sizeof(subbuf));
	fe = faults_check(name ? name : "ioctl", sub);
	if (fe) {
		snprintf(trace, sizeof(trace), "ioctl(/dev/vzctl, %s%s%s, %#llx)",
			 name ? name : "?", sub ? "/" : "", sub ? sub : "",
			 (unsigned long long)c->args[2]);
		trace_line(c->pid, trace, -fe, NULL);
		finish(&j, regs, -fe, false);
		return;
	}
	caller_fill_alone(c);
	trace[0] = 0;
	r = calls_model_ioctl(s, c, req, c->args[2], &eff, trace, sizeof(trace));
	if (!trace[0])
		snprintf(trace, sizeof(trace), "ioctl(/dev/vzctl, %s, %#llx)", name ? name : "?",
			 (unsigned long long)c->args[2]);
	switch (eff.kind) {
	case EMU_EFFECT_KILL_CALLER:
		kill(c->pid, SIGKILL);
		trace_raw("%d %s = ? (FATAL: caller killed: would oops the kernel: %s)", (int)c->pid,
			  trace, eff.why ? eff.why : "");
		sup_fatal_msg(s, c->pid, eff.why ? eff.why : trace);
		return;
	case EMU_EFFECT_VE_CREATED:
		caller_forget(c->pid); /* its VE changes (whatever the namespace calls give) */
		r = do_create(&j, c, &eff, regs, &ex, r);
		trace_line(c->pid, trace, r, NULL);
		if (!j.dead) {
			regs->rax = (uint64_t)r;
			finish(&j, regs, r, true);
		}
		return;
	case EMU_EFFECT_VE_ENTERED:
		caller_forget(c->pid);
		r = do_enter(&j, c, &eff, regs, &ex, r);
		trace_line(c->pid, trace, r, NULL);
		finish(&j, regs, r, true);
		return;
	default:
		trace_line(c->pid, trace, r, NULL);
		effect_apply_kill(s, c, &eff);
		finish(&j, regs, r, false);
		return;
	}
}

static void mount_stop(struct sup *s, pid_t tid, struct user_regs_struct *regs, struct call *c)
{
	struct inj j = { .s = s, .tid = tid, .compat = c->compat32 };
	char src[512] = "", tgt[512] = "", type[64] = "", trace[VZEMU_TRACE_MAX];
	struct user_regs_struct ex;
	uint64_t a[6];
	const char *note = NULL;
	long r;
	int fe;

	mem_read_str(tid, c->args[0], src, sizeof(src));
	mem_read_str(tid, c->args[1], tgt, sizeof(tgt));
	mem_read_str(tid, c->args[2], type, sizeof(type));
	snprintf(trace, sizeof(trace), "mount(\"%s\", \"%s\", \"%s\", %#llx, %#llx)", src, tgt,
		 type, (unsigned long long)c->args[3], (unsigned long long)c->args[4]);
	fe = faults_check("mount", strcmp(type, "simfs") ? NULL : "simfs");
	if (fe) {
		trace_line(c->pid, trace, -fe, NULL);
		finish(&j, regs, -fe, false);
		return;
	}
	if (call_in_host_mntns(s, c)) {
		trace_line(c->pid, trace, -EPERM, "host mount namespace");
		finish(&j, regs, -EPERM, false);
		return;
	}
	memcpy(a, c->args, sizeof(a));
	if (!strcmp(type, "simfs")) {
		/* simfs(private) on root == bind mount of the private area */
		if (!a[0])
			a[0] = a[4];
		a[2] = 0;
		a[3] = MS_BIND | (a[3] & MS_REC);
		a[4] = 0;
		note = "simfs as bind mount";
	}
	r = run_replaced(&j, regs, c->nr, a, &ex);
	if (j.dead)
		return;
	trace_line(c->pid, trace, r, note);
	finish(&j, regs, r, true);
}

static void seccomp_stop(struct sup *s, pid_t tid)
{
	struct user_regs_struct regs;
	unsigned long data = 0;
	uint64_t args[6];
	struct call c;
	bool compat;

	if (ptrace(PTRACE_GETEVENTMSG, tid, 0, &data) < 0 ||
	    ptrace(PTRACE_GETREGS, tid, 0, &regs) < 0)
		return;
	compat = is_compat(&regs);
	get_args(&regs, compat, args);
	call_init(s, &c, tid, compat, (long)regs.orig_rax, args);
	call_fill_caller(&c);
	switch (data) {
	case TRACE_DATA_ENV_CREATE:
		env_create_stop(s, tid, &regs, &c);
		break;
	case TRACE_DATA_MOUNT:
		mount_stop(s, tid, &regs, &c);
		break;
	default:
		ptrace(PTRACE_CONT, tid, 0, 0);
		break;
	}
}

void ptrace_handle_wait(struct sup *s, pid_t tid, int status)
{
	int sig = WSTOPSIG(status), ev = status >> 16;

	switch (ev) {
	case PTRACE_EVENT_SECCOMP:
		seccomp_stop(s, tid);
		return;
	case PTRACE_EVENT_STOP:
		if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU)
			ptrace(PTRACE_LISTEN, tid, 0, 0); /* group stop */
		else
			ptrace(PTRACE_CONT, tid, 0, 0);
		return;
	case 0:
		if (sig == (SIGTRAP | 0x80))
			sig = 0;
		ptrace(PTRACE_CONT, tid, 0, sig);
		return;
	default: /* fork, vfork, clone, exec events */
		tracee_event(tid, ev); /* supervisor-calls.c */
		ptrace(PTRACE_CONT, tid, 0, 0);
		return;
	}
}
