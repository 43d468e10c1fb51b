// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The ptrace path: the supervisor is the tracer of every process under the filter
 * (PTRACE_SEIZE of the command, then PTRACE_O_TRACEFORK/VFORK/CLONE attach every descendant).
 *
 * Why ptrace at all: a seccomp user-notification handler cannot change the namespaces of the
 * calling process, and after VZCTL_ENV_CREATE_DATA with VE_CREATE the caller must be the VE's
 * init: pid 1 of a new PID namespace, in new UTS, IPC and network namespaces. So the filter
 * sends the create/enter family of /dev/vzctl ioctls to SECCOMP_RET_TRACE. At that seccomp
 * stop the model decides, and the supervisor turns the ioctl into real system calls executed
 * by the caller (inject.c). Linux puts only children into a new PID namespace, so the caller
 * continues in a child forked for it, and itself becomes a stand-in (standin.c):
 *   VE_CREATED: the ioctl is replaced by unshare(CLONE_NEWPID), then fork() is injected; the
 *               child (pid 1 in the new namespace) unshares UTS, IPC and network, gets
 *               venet0 (netlink from here, IFLA_NET_NS_FD), becomes the model's and the
 *               registry's init and returns the VE id from the ioctl.
 *   VE_ENTERED: the ioctl is replaced by pidfd_open(<VE init>), then setns(pidfd,
 *               CLONE_NEWPID) and fork() are injected; the child setns(pidfd,
 *               CLONE_NEWUTS|CLONE_NEWIPC|CLONE_NEWNET) and returns the VE id.
 *   otherwise:  the ioctl is skipped (orig_rax = -1) and returns the model's value.
 * If a step fails, the child (if any) is killed and reaped by the caller, the caller's
 * children go back to the host's PID namespace, and the ioctl returns the error.
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
#include "inject.h"
#include "vzemu.h"

#define PTRACE_OPTIONS                                                                             \
	(PTRACE_O_TRACESECCOMP | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE |  \
	 PTRACE_O_TRACEEXEC | PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL)

int ptrace_setup_main(pid_t pid)
{
	return ptrace(PTRACE_SEIZE, pid, 0, PTRACE_OPTIONS) < 0 ? -errno : 0;
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

/* Back to the host's PID namespace for the children of j->tid (after a failed create/enter) */
static void pid_ns_back(struct inj *j, struct user_regs_struct *cur)
{
	const struct inj_nrs *nr = inj_nrs(j);
	long fd = inj_call3(j, cur, nr->pidfd_open, (uint64_t)getpid(), 0, 0);

	if (fd < 0)
		return;
	inj_call3(j, cur, nr->setns, (uint64_t)fd, CLONE_NEWPID, 0);
	inj_call3(j, cur, nr->close, (uint64_t)fd, 0, 0);
}

/*
 * The child j->tid forked for the VE: at its first stop, make it join the rest of the VE
 * (unshare, or setns to `fd`), closing `fd` if any. On failure it is killed and reaped by its
 * parent `parent` (so the caller sees no trace of it); returns 0 or -errno.
 */
static long child_join(struct inj *jc, struct inj *parent, struct user_regs_struct *pcur, long fd,
		       uint64_t nsflags, const struct ve_caps *vc, unsigned int veid)
{
	const struct inj_nrs *nr = inj_nrs(jc);
	struct user_regs_struct cur;
	long r = -ESRCH;
	int st;

	while (waitpid(jc->tid, &st, __WALL) < 0 && errno == EINTR) {
	}
	if (WIFSTOPPED(st) && ptrace(PTRACE_GETREGS, jc->tid, 0, &cur) == 0) {
		if (fd < 0)
			r = inj_call3(jc, &cur, nr->unshare, nsflags, 0, 0);
		else
			r = inj_call3(jc, &cur, nr->setns, (uint64_t)fd, nsflags, 0);
		if (fd >= 0 && !jc->dead)
			inj_call3(jc, &cur, nr->close, (uint64_t)fd, 0, 0);
		/* the capabilities: the VE's limit (create), the sets asked for (enter) */
		if (r >= 0 && fd < 0)
			r = caps_inj_ve_limit(jc, &cur, vc, parent->tid, veid);
		else if (r >= 0 && vc->raise)
			r = caps_inj_capset(jc, NULL, &cur, vc->want);
	} else if (WIFEXITED(st) || WIFSIGNALED(st)) {
		jc->dead = true;
	}
	if (r >= 0 && !jc->dead)
		return 0;
	if (!jc->dead) {
		kill(jc->tid, SIGKILL);
		while (waitpid(jc->tid, &st, __WALL) >= 0 && !WIFEXITED(st) && !WIFSIGNALED(st)) {
		}
	}
	/* the tracer has seen it go; now its parent reaps it */
	inj_call3(parent, pcur, inj_nrs(parent)->wait4, (uint64_t)jc->tid, 0, __WALL);
	return r < 0 ? r : -ESRCH;
}

static void undo_create(struct inj *j, unsigned int veid)
{
	if (model_lock(j->s->model) == 0) {
		model_init_exited(j->s->model, veid);
		model_ve_empty(j->s->model, veid);
		model_unlock(j->s->model);
	}
}

/*
 * VE_CREATE: the caller unshares its PID namespace (for its children), forks, and the child
 * (pid 1 there) unshares UTS, IPC and network and becomes the VE's init: the model's and the
 * registry's init is the child. The caller becomes its stand-in (standin.c). *child = 0 when
 * the create failed (the model is rolled back).
 */
static long do_create(struct inj *j, struct call *c, const struct emu_effect *eff,
		      const struct user_regs_struct *at, struct user_regs_struct *ex, long ret,
		      struct inj *jc)
{
	const struct inj_nrs *nr = inj_nrs(j);
	uint64_t a[6] = { CLONE_NEWPID, 0, 0, 0, 0, 0 }, raised[3];
	struct ve_caps vc;
	long r;
	int e;

	caps_ve_prepare(j->tid, &vc);
	if (vc.raise) { /* CAP_SYS_ADMIN from the reserve (caps-ve.c), for unshare */
		caps_raised(&vc, raised);
		r = caps_inj_capset(j, at, ex, raised);
		if (r >= 0)
			r = inj_call(j, ex, nr->unshare, a);
	} else {
		r = inj_replace(j, at, nr->unshare, a, ex);
	}
	if (r >= 0)
		r = inj_call3(j, ex, nr->fork, 0, 0, 0);
	if (r >= 0) {
		jc->tid = (pid_t)r;
		r = child_join(jc, j, ex, -1, CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET, &vc,
			       eff->veid);
	}
	if (r < 0) {
		jc->tid = 0;
		if (!j->dead)
			pid_ns_back(j, ex);
		if (!j->dead && vc.raise)
			caps_inj_capset(j, NULL, ex, vc.want);
		undo_create(j, eff->veid);
		trace_raw("%d vzemu: namespaces for VE %u failed: %s", (int)c->pid, eff->veid,
			  errno_name((int)-r));
		return j->dead ? r : (r == -ESRCH ? -ENOMEM : r);
	}
	e = venet_link_add(jc->tid, eff->veid);
	if (model_lock(j->s->model) == 0) {
		model_ve_init_moved(j->s->model, eff->veid, jc->tid);
		model_unlock(j->s->model);
	}
	own_ve_add(j->s, eff->veid, jc->tid);
	trace_raw("%d vzemu: VE %u created: init %d (pid 1 of a new pid namespace) in new "
		  "uts/ipc/net namespaces, venet0 %s; %d stands in for it",
		  (int)c->pid, eff->veid, (int)jc->tid, e ? errno_name(-e) : "added", (int)c->pid);
	/* vzevent's start hook, before the ioctl returns to the creator (§14) */
	vzevent_broadcast(j->s->state_dir, "ve-start", eff->veid);
	return ret;
}

/*
 * VE_ENTER of a caller the kernel leaves in the host's PID namespace (it leads a group or
 * session with other members, or passed VE_SKIPLOCK: do_env_enter skips pid_ns_attach_task):
 * it joins the VE's UTS, IPC and network namespaces and its children's PID namespace itself,
 * in one setns (all or nothing), and continues: no child, no stand-in. Its kill(1, …) is the
 * host's (kill-host.c). Closes `fd`.
 */
static long enter_in_place(struct inj *j, struct call *c, const struct emu_effect *eff,
			   struct user_regs_struct *ex, long fd, const struct ve_caps *vc,
			   pid_t init, long ret)
{
	const struct inj_nrs *nr = inj_nrs(j);
	long r = inj_call3(j, ex, nr->setns, (uint64_t)fd,
			   CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET, 0);

	if (!j->dead)
		inj_call3(j, ex, nr->close, (uint64_t)fd, 0, 0);
	if (!j->dead && vc->raise) /* the sets it asked for (the reserve served the setns) */
		caps_inj_capset(j, NULL, ex, vc->want);
	if (r < 0)
		return r == -ESRCH ? -EBUSY : r;
	trace_raw("%d vzemu: entered VE %u (namespaces of init %d): keeps its pid in the host's "
		  "pid namespace (not alone in its process group, or VE_SKIPLOCK); its children "
		  "are in the VE's",
		  (int)c->pid, eff->veid, (int)init);
	return ret;
}

/*
 * VE_ENTER: the caller sets its children's PID namespace to the VE's and forks; the child
 * joins the VE's UTS, IPC and network namespaces and continues the caller's program; the
 * caller becomes its stand-in. jc->tid = 0 when the enter failed.
 */
static long do_enter(struct inj *j, struct call *c, const struct emu_effect *eff,
		     const struct user_regs_struct *at, struct user_regs_struct *ex, long ret,
		     struct inj *jc)
{
	const struct inj_nrs *nr = inj_nrs(j);
	uint64_t a[6] = { 0 }, raised[3];
	struct ve_caps vc;
	pid_t init;
	long fd, r;

	if (reg_find_init(j->s, eff->veid, &init) < 0) {
		trace_raw("%d vzemu: VE %u has no live init to enter", (int)c->pid, eff->veid);
		return -EBUSY;
	}
	a[0] = (uint64_t)init;
	caps_ve_prepare(j->tid, &vc);
	if (vc.raise) { /* CAP_SYS_ADMIN from the reserve (caps-ve.c), for setns */
		caps_raised(&vc, raised);
		fd = caps_inj_capset(j, at, ex, raised);
		if (fd >= 0)
			fd = inj_call(j, ex, nr->pidfd_open, a);
	} else {
		fd = inj_replace(j, at, nr->pidfd_open, a, ex);
	}
	if (fd < 0) {
		if (!j->dead && vc.raise)
			caps_inj_capset(j, NULL, ex, vc.want);
		return fd == -ESRCH ? -EBUSY : fd;
	}
	if (!eff->pid_inside)
		return enter_in_place(j, c, eff, ex, fd, &vc, init, ret);
	r = inj_call3(j, ex, nr->setns, (uint64_t)fd, CLONE_NEWPID, 0);
	if (r >= 0)
		r = inj_call3(j, ex, nr->fork, 0, 0, 0);
	if (r >= 0) {
		jc->tid = (pid_t)r;
		r = child_join(jc, j, ex, fd, CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET, &vc,
			       eff->veid);
	}
	if (!j->dead)
		inj_call3(j, ex, nr->close, (uint64_t)fd, 0, 0);
	if (r < 0) {
		jc->tid = 0;
		if (!j->dead)
			pid_ns_back(j, ex);
		if (!j->dead && vc.raise)
			caps_inj_capset(j, NULL, ex, vc.want);
		return r == -ESRCH ? -EBUSY : r;
	}
	trace_raw("%d vzemu: entered VE %u (namespaces of init %d): continues as %d in its pid "
		  "namespace; %d stands in for it",
		  (int)c->pid, eff->veid, (int)init, (int)jc->tid, (int)c->pid);
	return ret;
}

static void env_create_stop(struct sup *s, pid_t tid, struct user_regs_struct *regs, struct call *c)
{
	struct inj j = { .s = s, .tid = tid, .compat = c->compat32 };
	struct inj jc = { .s = s, .compat = c->compat32 };
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
		caller_fill_alone(c);
		if (!calls_model_render(s, c, true, trace, sizeof(trace)))
			snprintf(trace, sizeof(trace), "ioctl(/dev/vzctl, %s%s%s, %#llx)",
				 name ? name : "?", sub ? "/" : "", sub ? sub : "",
				 (unsigned long long)c->args[2]);
		trace_line(c->pid, trace, -fe, NULL);
		inj_finish(&j, regs, -fe, false);
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
		trace_raw("%d %s = ? (FATAL: caller killed: would oops the kernel: %s)",
			  (int)c->pid, trace, eff.why ? eff.why : "");
		sup_fatal_msg(s, c->pid, eff.why ? eff.why : trace);
		return;
	case EMU_EFFECT_VE_CREATED:
	case EMU_EFFECT_VE_ENTERED:
		caller_forget(c->pid); /* its VE changes (whatever the namespace calls give) */
		if (eff.kind == EMU_EFFECT_VE_CREATED)
			r = do_create(&j, c, &eff, regs, &ex, r, &jc);
		else
			r = do_enter(&j, c, &eff, regs, &ex, r, &jc);
		trace_line(c->pid, trace, r, NULL);
		if (!jc.tid) { /* failed: the caller itself gets the error */
			inj_finish(&j, regs, r, true);
			return;
		}
		/* the child continues the caller's program, the caller stands in for it */
		inj_finish(&jc, regs, r, true);
		if (!j.dead)
			standin_start(&j, &ex, jc.tid);
		return;
	default:
		trace_line(c->pid, trace, r, NULL);
		effect_apply_kill(s, c, &eff);
		inj_finish(&j, regs, r, false);
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
		inj_finish(&j, regs, -fe, false);
		return;
	}
	if (call_in_host_mntns(s, c)) {
		trace_line(c->pid, trace, -EPERM, "host mount namespace");
		inj_finish(&j, regs, -EPERM, false);
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
	r = caps_mount(&j, regs, c->nr, a, &ex);
	if (j.dead)
		return;
	trace_line(c->pid, trace, r, note);
	inj_finish(&j, regs, r, true);
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
	compat = inj_is_compat(&regs);
	inj_get_args(&regs, compat, args);
	call_init(s, &c, tid, compat, (long)regs.orig_rax, args);
	call_fill_caller(&c);
	switch (data) {
	case TRACE_DATA_ENV_CREATE:
		env_create_stop(s, tid, &regs, &c);
		break;
	case TRACE_DATA_MOUNT:
		mount_stop(s, tid, &regs, &c);
		break;
	case TRACE_DATA_CAPSET:
		caps_capset_stop(s, tid, &regs, &c);
		break;
	case TRACE_DATA_CAPGET:
		caps_capget_stop(s, tid, &regs, &c);
		break;
	case TRACE_DATA_FORK:
		fork_charge_stop(s, tid, &regs, &c);
		break;
	default:
		ptrace(PTRACE_CONT, tid, 0, 0);
		break;
	}
}

void ptrace_handle_wait(struct sup *s, pid_t tid, int status)
{
	int sig = WSTOPSIG(status), ev = status >> 16;

	if (standin_stop(s, tid, status))
		return;
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
	default:                          /* fork, vfork, clone, exec events */
		tracee_event(s, tid, ev); /* supervisor-calls.c */
		ptrace(PTRACE_CONT, tid, 0, 0);
		return;
	}
}
