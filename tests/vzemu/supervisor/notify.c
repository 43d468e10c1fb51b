// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The seccomp user-notification path: every intercepted call except the VE create/enter
 * ioctls and mount (those stop in ptrace, see ptrace.c).
 *
 * For each notification: find out who calls (call_init), decide, re-check
 * SECCOMP_IOCTL_NOTIF_ID_VALID (the caller may have died and its pid been reused while we
 * read its memory), then answer: a value, an errno, an injected descriptor
 * (SECCOMP_IOCTL_NOTIF_ADDFD with SECCOMP_ADDFD_FLAG_SEND) or CONTINUE (the real kernel does
 * the call, e.g. an open of any path that is not the model's).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vzemu.h"

bool vzctl_fd_is(struct sup *s, pid_t tid, int fd)
{
	char p[64];
	struct stat st;

	snprintf(p, sizeof(p), "/proc/%d/fd/%d", (int)tid, fd);
	return stat(p, &st) == 0 && (uint64_t)st.st_dev == s->vzctl_dev &&
	       (uint64_t)st.st_ino == s->vzctl_ino;
}

static void generic_text(struct call *c, char *out, size_t len)
{
	size_t o = (size_t)snprintf(out, len, "%s(", c->ent ? c->ent->name : "syscall");

	for (int i = 0; c->ent && i < c->ent->nargs && o < len; i++)
		o += (size_t)snprintf(out + o, len - o, "%s%lld", i ? ", " : "",
				      (long long)c->args[i]);
	if (o < len)
		snprintf(out + o, len - o, ")");
}

static const char *note;

static long handle_ovz(struct sup *s, struct call *c, char *trace, size_t tlen, bool *killed)
{
	struct emu_effect eff = { 0 };
	int fe = faults_check(c->ent->name, NULL);
	long r;

	if (fe) {
		if (!calls_model_render(s, c, false, trace, tlen))
			generic_text(c, trace, tlen);
		note = "injected";
		return -fe;
	}
	trace[0] = 0;
	r = calls_model_syscall(s, c, &eff, trace, tlen);
	if (!trace[0])
		generic_text(c, trace, tlen);
	if (eff.kind == EMU_EFFECT_KILL_CALLER)
		*killed = true;
	effect_apply_kill(s, c, &eff);
	return r;
}

static long handle_ioctl(struct sup *s, struct call *c, char *trace, size_t tlen, bool *cont,
			 bool *killed, int *addfd)
{
	unsigned long req = (unsigned long)(c->args[1] & 0xffffffffu);
	struct emu_effect eff = { 0 };
	const char *name, *sub;
	char subbuf[32];
	long r;
	int fe;

	if (!vzctl_fd_is(s, c->tid, (int)c->args[0])) {
		*cont = true;
		return 0;
	}
	call_fill_caller(c);
	name = ioctl_name(req, c->compat32);
	sub = ioctl_sub_name(c, req, c->args[2], subbuf, sizeof(subbuf));
	fe = faults_check(name ? name : "ioctl", sub);
	if (fe) {
		if (!calls_model_render(s, c, true, trace, tlen))
			snprintf(trace, tlen, "ioctl(/dev/vzctl, %s%s%s, %#llx)", name ? name : "?",
				 sub ? "/" : "", sub ? sub : "", (unsigned long long)c->args[2]);
		note = "injected";
		return -fe;
	}
	trace[0] = 0;
	r = calls_model_ioctl(s, c, req, c->args[2], &eff, trace, tlen);
	if (!trace[0])
		snprintf(trace, tlen, "ioctl(/dev/vzctl, %s, %#llx)", name ? name : "?",
			 (unsigned long long)c->args[2]);
	if (eff.kind == EMU_EFFECT_KILL_CALLER)
		*killed = true;
	if (eff.kind == EMU_EFFECT_VETH_ADD) {
		int e = ns_veth_add(s, eff.veid, eff.veth.host, eff.veth.mac, eff.veth.ve,
				    eff.veth.mac_ve);
		if (e < 0) {
			r = e; /* register_netdev's answer, e.g. EEXIST: the kernel keeps no pair */
			if (model_lock(s->model) == 0) {
				model_veth_add_failed(s->model, eff.veid, eff.veth.host);
				model_unlock(s->model);
			}
		}
	} else if (eff.kind == EMU_EFFECT_VETH_DEL) {
		ns_veth_del(eff.veth.host); /* gone already when its VE's namespace went */
	}
	if (eff.kind == EMU_EFFECT_VE_CREATED || eff.kind == EMU_EFFECT_VE_ENTERED)
		trace_raw("%d vzemu: WARNING: namespace effect on the notification path ignored",
			  (int)c->pid);
	if (eff.kind == EMU_EFFECT_OPEN_VTTY && r == 0) {
		r = vtty_open_master(eff.veid, eff.index, addfd);
		/* the kernel's get_unused_fd_flags(0): no close-on-exec (*addfd's flags) */
		return r;
	}
	effect_apply_kill(s, c, &eff);
	return r;
}

void notify_handle(struct sup *s)
{
	static struct seccomp_notif *req;
	static struct seccomp_notif_resp *resp;
	static struct seccomp_notif_sizes sz;
	char trace[VZEMU_TRACE_MAX];
	bool cont = false, killed = false;
	struct call c;
	int addfd = -1;
	long ret = -ENOSYS;

	if (!req) {
		if (syscall(__NR_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sz) < 0)
			abort();
		req = calloc(1, sz.seccomp_notif > sizeof(*req) ? sz.seccomp_notif : sizeof(*req));
		resp = calloc(1, sz.seccomp_notif_resp > sizeof(*resp) ? sz.seccomp_notif_resp
								       : sizeof(*resp));
		if (!req || !resp)
			abort();
	}
	memset(req, 0, sz.seccomp_notif);
	if (ioctl(s->listener, SECCOMP_IOCTL_NOTIF_RECV, req) < 0)
		return; /* ENOENT: the caller went away meanwhile */
	memset(resp, 0, sz.seccomp_notif_resp);
	resp->id = req->id;
	trace[0] = 0;
	note = NULL;

	uint64_t args[6];

	for (int i = 0; i < 6; i++)
		args[i] = req->data.args[i];
	call_init(s, &c, (pid_t)req->pid, req->data.arch == AUDIT_ARCH_I386, req->data.nr, args);
	if (!c.ent) {
		cont = true;
	} else {
		switch (c.ent->cls) {
		case SC_OVZ:
		case SC_IOPRIO:
			call_fill_caller(&c);
			ret = handle_ovz(s, &c, trace, sizeof(trace), &killed);
			break;
		case SC_REBOOT:
			call_fill_caller(&c);
			ret = calls_reboot(s, &c, trace, sizeof(trace));
			break;
		case SC_IOCTL:
			ret = handle_ioctl(s, &c, trace, sizeof(trace), &cont, &killed, &addfd);
			break;
		case SC_OPEN:
		case SC_OPENAT:
		case SC_OPENAT2:
		case SC_CREAT:
		case SC_STAT:
		case SC_LSTAT:
		case SC_FSTATAT:
		case SC_STATX:
		case SC_ACCESS:
		case SC_FACCESSAT:
		case SC_FACCESSAT2:
			if (paths_handle(s, &c, &ret, &addfd, &cont, trace, sizeof(trace)) > 0)
				cont = true;
			break;
		case SC_CAPBSET:
			caps_on_bset_drop(&c);
			cont = true;
			break;
		case SC_EXEC:
		case SC_EXECAT:
			exec_trace(&c);
			cont = true;
			break;
		case SC_NLSOCK:
			call_fill_caller(&c);
			cont = vzevent_socket(s, &c, &ret, &addfd, trace, sizeof(trace)) > 0;
			break;
		case SC_GETDENTS:
		case SC_RENAME:
		case SC_RENAMEAT:
			cont = fault_paths_handle(&c, &ret, trace, sizeof(trace)) > 0;
			break;
		case SC_KILL:
			cont = kill_host_handle(s, &c, &ret, trace, sizeof(trace)) > 0;
			break;
		case SC_NLBIND:
			cont = vzevent_bind(s, &c, &ret, trace, sizeof(trace)) > 0;
			break;
		case SC_HOSTNAME:
		case SC_DENY:
		case SC_ADJTIME:
		case SC_PIVOT:
			call_fill_caller(&c);
			ret = calls_simple(s, &c, &cont, trace, sizeof(trace));
			break;
		default:
			cont = true;
			break;
		}
	}

	if (killed) {
		trace_raw("%d %s = ? (FATAL: caller killed: would oops the kernel)", (int)c.pid,
			  trace);
		if (addfd >= 0)
			close(addfd);
		return;
	}
	if (!cont && ioctl(s->listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &req->id) < 0) {
		/*
		 * The caller is gone, e.g. killed by the effect of its own call (reboot inside
		 * a VE stops the VE, the caller included). The model did answer: trace it, so
		 * the trace is complete before the VE can be seen leaving the list.
		 */
		if (trace[0])
			trace_line(c.pid, trace, ret, NULL);
		if (addfd >= 0 && addfd != s->vzctl_fd)
			close(addfd);
		return;
	}
	if (cont) {
		resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		if (trace[0])
			trace_line(c.pid, trace, 0, "continued");
		ioctl(s->listener, SECCOMP_IOCTL_NOTIF_SEND, resp);
		return;
	}
	if (addfd >= 0) {
		struct seccomp_notif_addfd a = {
			.id = req->id,
			.flags = SECCOMP_ADDFD_FLAG_SEND,
			.srcfd = (unsigned int)addfd,
			.newfd_flags = (unsigned int)ret, /* paths_handle put O_CLOEXEC or 0 here */
		};
		long fd = ioctl(s->listener, SECCOMP_IOCTL_NOTIF_ADDFD, &a);

		ret = fd < 0 ? -errno : fd;
		if (addfd != s->vzctl_fd)
			close(addfd);
		if (fd < 0) {
			resp->error = (int)ret;
			ioctl(s->listener, SECCOMP_IOCTL_NOTIF_SEND, resp);
		}
		trace_line(c.pid, trace, ret, note);
		return;
	}
	if (trace[0])
		trace_line(c.pid, trace, ret, note);
	if (ret < 0)
		resp->error = (int)ret;
	else
		resp->val = ret;
	ioctl(s->listener, SECCOMP_IOCTL_NOTIF_SEND, resp);
}
