// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * What both interception paths (user notification, ptrace) share: who is calling, access to
 * the caller's memory, the model calls under the model's lock, and the calls vzemu answers
 * itself (host-acting calls, reboot, sethostname).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/reboot.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <unistd.h>

#include "kernel-print.h"
#include "names.h"
#include "openvz.h"
#include "vzemu.h"

int mem_read(pid_t pid, uint64_t addr, void *buf, size_t len)
{
	struct iovec l = { buf, len }, r = { (void *)(uintptr_t)addr, len };

	if (len == 0)
		return 0;
	if (process_vm_readv(pid, &l, 1, &r, 1, 0) != (ssize_t)len)
		return -EFAULT;
	return 0;
}

int mem_write(pid_t pid, uint64_t addr, const void *buf, size_t len)
{
	struct iovec l = { (void *)buf, len }, r = { (void *)(uintptr_t)addr, len };

	if (len == 0)
		return 0;
	if (process_vm_writev(pid, &l, 1, &r, 1, 0) != (ssize_t)len)
		return -EFAULT;
	return 0;
}

/* A NUL-terminated string, read page by page as strncpy_from_user does: -EFAULT, -ENAMETOOLONG */
int mem_read_str(pid_t pid, uint64_t addr, char *buf, size_t len)
{
	size_t got = 0;

	if (!addr)
		return -EFAULT;
	while (got < len) {
		size_t chunk = 4096 - ((addr + got) & 4095);
		char *nul;

		if (chunk > len - got)
			chunk = len - got;
		if (mem_read(pid, addr + got, buf + got, chunk) < 0)
			return -EFAULT;
		nul = memchr(buf + got, 0, chunk);
		if (nul)
			return (int)(nul - buf);
		got += chunk;
	}
	buf[len - 1] = 0;
	return -ENAMETOOLONG;
}

static int mem_op_read(void *opaque, uint64_t addr, void *buf, size_t len)
{
	return mem_read((pid_t)(intptr_t)opaque, addr, buf, len);
}

static int mem_op_write(void *opaque, uint64_t addr, const void *buf, size_t len)
{
	return mem_write((pid_t)(intptr_t)opaque, addr, buf, len);
}

int call_init(struct sup *s, struct call *c, pid_t tid, bool compat32, long nr,
	      const uint64_t args[6])
{
	memset(c, 0, sizeof(*c));
	c->s = s;
	c->tid = tid;
	c->pid = tid;
	c->compat32 = compat32;
	c->nr = nr;
	memcpy(c->args, args, sizeof(c->args));
	c->ent = sc_lookup(compat32, nr);
	c->mem.opaque = (void *)(intptr_t)tid;
	c->mem.read = mem_op_read;
	c->mem.write = mem_op_write;
	c->caller.pid = tid;
	c->caller.compat32 = compat32;
	return 0;
}

/*
 * The VE of a caller (thread group), cached: finding it costs a stat of /proc/<pid>/ns/net
 * and, inside a VE, a scan of the registry. The answer can change only when the process
 * exits (pid reuse needs our waitpid first: we trace every process under the filter) or
 * creates/enters a VE, which it does through us (ptrace.c), or when its VE is removed; each
 * of these calls caller_forget*. As in OpenVZ, a process that unshares or setns its own
 * network namespace stays in its VE (kernel/ve: the exec env is not the net namespace).
 */
#define VEID_CACHE 1024 /* direct-mapped by pid */

static struct {
	pid_t pid;
	unsigned int veid;
} veid_cache[VEID_CACHE];

static unsigned int caller_veid(struct sup *s, pid_t pid, pid_t tid)
{
	unsigned int slot = (unsigned int)pid % VEID_CACHE;

	if (veid_cache[slot].pid != pid) {
		veid_cache[slot].veid = reg_veid_of(s, tid);
		veid_cache[slot].pid = pid;
	}
	return veid_cache[slot].veid;
}

/* A new process (not a thread) forked by `parent` starts in its exec bc (model-ubc.c) */
static void fork_inherits_bc(struct sup *s, pid_t parent, pid_t child)
{
	char buf[4096], *l;

	if (proc_read(child, "status", buf, sizeof(buf)) <= 0 || !(l = strstr(buf, "\nTgid:")) ||
	    (pid_t)atoi(l + 6) != child || proc_read(parent, "status", buf, sizeof(buf)) <= 0 ||
	    !(l = strstr(buf, "\nTgid:")))
		return;
	if (model_lock(s->model) < 0)
		return;
	model_fork_child(s->model, (pid_t)atoi(l + 6), child);
	model_unlock(s->model);
}

/* A fork, clone or exec of a tracee (ptrace event stop): capability drops, the exec trace,
 * the child's beancounter */
void tracee_event(struct sup *s, pid_t tid, int ev)
{
	unsigned long msg = 0;

	if (ptrace(PTRACE_GETEVENTMSG, tid, 0, &msg) < 0)
		return;
	caps_on_ptrace_event(tid, ev, msg);
	if (ev == PTRACE_EVENT_EXEC)
		exec_trace_done(tid, msg);
	else if (ev == PTRACE_EVENT_FORK || ev == PTRACE_EVENT_VFORK || ev == PTRACE_EVENT_CLONE)
		fork_inherits_bc(s, tid, (pid_t)msg);
}

void caller_forget(pid_t pid)
{
	unsigned int slot = (unsigned int)pid % VEID_CACHE;

	if (veid_cache[slot].pid == pid)
		veid_cache[slot].pid = 0;
}

void caller_forget_ve(unsigned int veid)
{
	for (int i = 0; i < VEID_CACHE; i++)
		if (veid_cache[i].pid && veid_cache[i].veid == veid)
			veid_cache[i].pid = 0;
}

/* Who calls: thread group, credentials, VE (read from /proc only when the call is ours) */
int call_fill_caller(struct call *c)
{
	char buf[4096], *l;
	int threads = 0;

	if (c->filled)
		return 0;
	if (proc_read(c->tid, "status", buf, sizeof(buf)) <= 0)
		return -ESRCH;
	for (l = buf; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		if (!strncmp(l, "Tgid:", 5))
			c->pid = (pid_t)atoi(l + 5);
		else if (!strncmp(l, "Threads:", 8))
			threads = atoi(l + 8);
		else if (!strncmp(l, "Uid:", 4))
			sscanf(l + 4, "%*u %u", &c->euid);
		else if (!strncmp(l, "CapEff:", 7))
			c->caller.cap_effective = strtoull(l + 7, NULL, 16);
	}
	/* the target host's root holds what this machine withholds (caps.c) */
	c->caller.cap_effective = caps_emulated(c->tid, c->caller.cap_effective);
	c->caller.pid = c->pid;
	c->caller.single_threaded = threads == 1 && c->pid == c->tid;
	c->caller.veid = caller_veid(c->s, c->pid, c->tid);
	c->filled = true;
	return 0;
}

static int stat_ids(pid_t pid, int *pgrp, int *sid, int *tty)
{
	char buf[1024], *e;
	ssize_t n = proc_read(pid, "stat", buf, sizeof(buf));

	if (n <= 0)
		return n < 0 ? (int)n : -EIO;
	e = strrchr(buf, ')');
	if (!e || sscanf(e + 2, "%*c %*d %d %d %d", pgrp, sid, tty) != 3)
		return -EIO;
	return 0;
}

/* has_ctty, kernel-abi.md §2.3 rules 3 and 4 (VE creation), alone_in_pgrp (§2.4, enter) */
int caller_fill_alone(struct call *c)
{
	int pgrp, sid, tty, r;
	bool other_in_group = false;
	struct dirent *d;
	DIR *dir;

	r = stat_ids(c->pid, &pgrp, &sid, &tty);
	if (r < 0)
		return r;
	c->caller.has_ctty = tty != 0;
	dir = opendir("/proc");
	if (!dir)
		return -errno;
	while ((d = readdir(dir))) {
		pid_t q = (pid_t)atoi(d->d_name);
		int qg, qs, qt;

		if (q <= 0 || q == c->pid || stat_ids(q, &qg, &qs, &qt) < 0)
			continue;
		if (qg == c->pid || qs == c->pid)
			other_in_group = true;
	}
	closedir(dir);
	c->caller.alone_in_pgrp = !other_in_group;
	if (pgrp == c->pid && sid == c->pid)
		c->caller.alone = !other_in_group;
	else
		c->caller.alone = sid != c->pid && !other_in_group;
	return 0;
}

/*
 * The model cannot be used: the state file is corrupt or unreadable. The caller gets EIO (a
 * kernel cannot answer that way, but nothing truthful can be answered); the user is told once
 * which file and what to do, on stderr and in the trace.
 */
long model_broken(struct sup *s)
{
	static bool told;
	const char *why = model_state_error();

	if (!told) {
		told = true;
		fprintf(stderr,
			"vzemu: %s%s: calls answer EIO; vzemu --state %s --reset starts "
			"a fresh kernel\n",
			*why ? why : "the state in ", *why ? "" : s->state_dir, s->state_dir);
		trace_raw("%d vzemu: %s%s: calls answer EIO", (int)getpid(), *why ? why : "state ",
			  *why ? "" : s->state_dir);
	}
	return -EIO;
}

/* the trace names the device: "ioctl(/dev/vzctl, VZCTL_..., {...})" */
static void name_device(char *trace, size_t tlen)
{
	if (trace && !strncmp(trace, "ioctl(", 6) && strncmp(trace, "ioctl(/dev/vzctl", 16) &&
	    strlen(trace) + 12 < tlen) {
		memmove(trace + 18, trace + 6, strlen(trace + 6) + 1);
		memcpy(trace + 6, "/dev/vzctl, ", 12);
	}
}

long calls_model_syscall(struct sup *s, struct call *c, struct emu_effect *eff, char *trace,
			 size_t tlen)
{
	long r;

	memset(eff, 0, sizeof(*eff));
	if (model_lock(s->model) < 0)
		return model_broken(s);
	r = model_syscall(s->model, &c->caller, &c->mem, c->nr, c->args, eff, trace, tlen);
	model_unlock(s->model);
	return r;
}

long calls_model_ioctl(struct sup *s, struct call *c, unsigned long req, uint64_t arg,
		       struct emu_effect *eff, char *trace, size_t tlen)
{
	long r;

	memset(eff, 0, sizeof(*eff));
	if (model_lock(s->model) < 0)
		return model_broken(s);
	r = model_ioctl(s->model, &c->caller, &c->mem, req, arg, eff, trace, tlen);
	model_unlock(s->model);
	name_device(trace, tlen);
	return r;
}

static int mem_op_refuse(void *opaque, uint64_t addr, const void *buf, size_t len)
{
	(void)opaque;
	(void)addr;
	(void)buf;
	(void)len;
	return -EFAULT;
}

/*
 * The trace text of a call a --fail rule failed, decoded and rendered by the model as every
 * answered call is (README "Trace format"). The failed call must leave no trace in the
 * kernel: the model's answer and effects are dropped, its changes to the state forgotten
 * (model_unlock_discard), and it cannot write the caller's memory. lchmod and lutime act on
 * the host's files from inside the model, so they keep the raw form. Returns false when the
 * model gave no text (the caller then writes the raw form).
 */
bool calls_model_render(struct sup *s, struct call *c, bool is_ioctl, char *trace, size_t tlen)
{
	struct emu_effect eff = { 0 };
	struct emu_mem ro = c->mem;

	if (!is_ioctl && c->ent &&
	    (!strcmp(c->ent->name, "lchmod") || !strcmp(c->ent->name, "lutime")))
		return false;
	ro.write = mem_op_refuse;
	if (model_lock(s->model) < 0)
		return false;
	trace[0] = 0;
	if (is_ioctl)
		model_ioctl(s->model, &c->caller, &ro, (unsigned long)(c->args[1] & 0xffffffffu),
			    c->args[2], &eff, trace, tlen);
	else
		model_syscall(s->model, &c->caller, &ro, c->nr, c->args, &eff, trace, tlen);
	model_unlock_discard(s->model);
	/* the model's placeholders (model.c) for a call it did not decode */
	if (!trace[0] || !strncmp(trace, "syscall ", 8) || !strncmp(trace, "ioctl(vzctl, ", 13))
		return false;
	name_device(trace, tlen);
	return true;
}

void ve_kill_all(struct sup *s, unsigned int veid)
{
	uint64_t net, uts, ipc;

	if (veid == 0 || reg_ve_inos(s, veid, &net, &uts, &ipc) < 0)
		return;
	ve_count_procs(net, uts, true);
}

void effect_apply_kill(struct sup *s, struct call *c, const struct emu_effect *eff)
{
	switch (eff->kind) {
	case EMU_EFFECT_KILL_CALLER:
		kill(c->pid, SIGKILL);
		sup_fatal_msg(s, c->pid, eff->why ? eff->why : "unknown hazard");
		break;
	case EMU_EFFECT_VE_STOP:
	case EMU_EFFECT_VE_RESTART:
		ve_kill_all(s, eff->veid);
		break;
	default:
		break;
	}
}

static const char *reboot_cmd_name(unsigned int cmd)
{
	switch (cmd) {
	case LINUX_REBOOT_CMD_RESTART:
		return "LINUX_REBOOT_CMD_RESTART";
	case LINUX_REBOOT_CMD_HALT:
		return "LINUX_REBOOT_CMD_HALT";
	case LINUX_REBOOT_CMD_CAD_ON:
		return "LINUX_REBOOT_CMD_CAD_ON";
	case LINUX_REBOOT_CMD_CAD_OFF:
		return "LINUX_REBOOT_CMD_CAD_OFF";
	case LINUX_REBOOT_CMD_POWER_OFF:
		return "LINUX_REBOOT_CMD_POWER_OFF";
	case LINUX_REBOOT_CMD_RESTART2:
		return "LINUX_REBOOT_CMD_RESTART2";
	case LINUX_REBOOT_CMD_SW_SUSPEND:
		return "LINUX_REBOOT_CMD_SW_SUSPEND";
	case LINUX_REBOOT_CMD_KEXEC:
		return "LINUX_REBOOT_CMD_KEXEC";
	default:
		return NULL;
	}
}

/* reboot(2): the model decides (EPERM on the host); never continues to the real kernel */
long calls_reboot(struct sup *s, struct call *c, char *trace, size_t tlen)
{
	struct emu_effect eff = { 0 };
	unsigned int cmd = (unsigned int)c->args[2];
	const char *cn = reboot_cmd_name(cmd);
	char cmdbuf[32];
	long r;
	int fe;

	if (!cn) {
		snprintf(cmdbuf, sizeof(cmdbuf), "%#x", cmd);
		cn = cmdbuf;
	}
	snprintf(trace, tlen, "reboot(%#x, %#x, %s, %#llx)", (unsigned int)c->args[0],
		 (unsigned int)c->args[1], cn, (unsigned long long)c->args[3]);
	fe = faults_check("reboot", NULL);
	if (fe)
		return -fe;
	if (model_lock(s->model) < 0)
		return model_broken(s);
	r = model_reboot(s->model, &c->caller, (int)c->args[0], (int)c->args[1], cmd, &eff);
	model_unlock(s->model);
	effect_apply_kill(s, c, &eff);
	return r;
}

static void fmt_args(char *out, size_t len, struct call *c)
{
	size_t o = 0;

	o += (size_t)snprintf(out + o, len - o, "%s(", c->ent->name);
	for (int i = 0; i < c->ent->nargs && o < len; i++)
		o += (size_t)snprintf(out + o, len - o, "%s%#llx", i ? ", " : "",
				      (unsigned long long)c->args[i]);
	if (o < len)
		snprintf(out + o, len - o, ")");
}

static bool caller_in_host_mntns(struct sup *s, struct call *c)
{
	uint64_t ino;

	return ns_ino(c->tid, "mnt", &ino) < 0 || ino == s->host_mnt_ino;
}

/*
 * Calls that act on the whole machine. Returns the result, or sets *cont when the call may
 * continue to the real kernel unchanged.
 */
long calls_simple(struct sup *s, struct call *c, bool *cont, char *trace, size_t tlen)
{
	char name[80];
	uint32_t modes;
	int fe, fd;
	long r;

	*cont = false;
	switch (c->ent->cls) {
	case SC_HOSTNAME: {
		long len = (long)(int)c->args[1];
		bool host = !strcmp(c->ent->name, "sethostname");

		memset(name, 0, sizeof(name));
		if (len >= 0 && len <= 64 && mem_read(c->tid, c->args[0], name, (size_t)len) == 0)
			snprintf(trace, tlen, "%s(\"%s\", %ld)", c->ent->name, name, len);
		else
			snprintf(trace, tlen, "%s(%#llx, %ld)", c->ent->name,
				 (unsigned long long)c->args[0], len);
		fe = faults_check(c->ent->name, NULL);
		if (fe)
			return -fe;
		if (c->caller.veid == 0)
			return -EPERM; /* the host's name is never changed */
		if (!(c->caller.cap_effective & ((1ULL << 21) | (1ULL << CAP_VE_ADMIN))))
			return -EPERM;
		if (len < 0 || len > 64)
			return -EINVAL;
		if (mem_read(c->tid, c->args[0], name, (size_t)len) < 0)
			return -EFAULT;
		/* Do it in the VE's UTS namespace, then come back to ours */
		{
			char p[64];

			snprintf(p, sizeof(p), "/proc/%d/ns/uts", (int)c->tid);
			fd = open(p, O_RDONLY | O_CLOEXEC);
		}
		if (fd < 0)
			return -ESRCH;
		if (setns(fd, CLONE_NEWUTS) < 0) {
			close(fd);
			return -EPERM;
		}
		close(fd);
		r = host ? sethostname(name, (size_t)len) : setdomainname(name, (size_t)len);
		r = r < 0 ? -errno : 0;
		if (setns(s->self_uts_fd, CLONE_NEWUTS) < 0) {
			fprintf(stderr, "vzemu: cannot return to own UTS namespace: %m\n");
			abort();
		}
		return r;
	}
	case SC_ADJTIME: {
		int idx = strcmp(c->ent->name, "adjtimex") ? 1 : 0;

		fmt_args(trace, tlen, c);
		fe = faults_check(c->ent->name, NULL);
		if (fe)
			return -fe;
		/* struct timex starts with "unsigned int modes"; 0 and ADJ_OFFSET_SS_READ only read */
		if (mem_read(c->tid, c->args[idx], &modes, 4) < 0)
			return -EFAULT;
		if (modes == 0 || modes == 0xa001) {
			*cont = true;
			return 0;
		}
		return -EPERM;
	}
	case SC_PIVOT:
		fmt_args(trace, tlen, c);
		fe = faults_check(c->ent->name, NULL);
		if (fe)
			return -fe;
		if (caller_in_host_mntns(s, c))
			return -EPERM;
		*cont = true;
		return 0;
	case SC_DENY:
	default:
		fmt_args(trace, tlen, c);
		fe = faults_check(c->ent->name, NULL);
		if (fe)
			return -fe;
		return -EPERM;
	}
}

bool call_in_host_mntns(struct sup *s, struct call *c)
{
	return caller_in_host_mntns(s, c);
}

struct req_name {
	unsigned long req;
	const char *name;
};

#define REQ_ROW(n) { n, #n },
static const struct req_name req_names[] = { VZ_IOCTLS(REQ_ROW){ 0, NULL } };

/* i386 callers: the compat numbers, named as the program names them */
#define COMPAT_ROW(n, as) { n, #as },
static const struct req_name req_names_compat[] = {
	VZ_COMPAT_IOCTLS(COMPAT_ROW)
	/* i386 numbers of requests the kernel has no compat name for (openvz6.tsv, arch i386) */
	{ 0x40082e06, "VZCTL_GET_CPU_STAT" },
	{ 0xc0102b01, "VZCTL_QUOTA_DEPR_CTL" },
	{ 0, NULL },
};

const char *ioctl_name(unsigned long req, bool compat32)
{
	req &= 0xffffffffUL;
	if (compat32)
		for (const struct req_name *r = req_names_compat; r->name; r++)
			if (r->req == req)
				return r->name;
	for (const struct req_name *r = req_names; r->name; r++)
		if (r->req == req)
			return r->name;
	return NULL;
}

/* The sub-command names of the quota requests: kernel-abi/names.h through kernel-print.c */
#define DQ_CMD_MAX 32

/*
 * The I-th name a --fail rule can match (NULL past the last): system calls that are answered
 * here (not the ones only recorded: capset, prctl, execve, execveat), ioctl requests, their
 * sub-commands, "simfs" (mount) and "ioctl" (an unknown request on /dev/vzctl).
 */
const char *fault_name(size_t i)
{
	static const char *const extra[] = { "VE_IP_ADD",
					     "VE_IP_DEL",
					     "VE_ETH_ADD",
					     "VE_ETH_DEL",
					     "VE_ETH_ALLOW_MAC_CHANGE",
					     "VE_ETH_DENY_MAC_CHANGE",
					     "VE_CREATE",
					     "VE_ENTER",
					     "VE_TEST",
					     "simfs",
					     "ioctl" };
	const struct sc_ent *tabs[] = { sc_table_x86_64, sc_table_i386 };

	for (size_t t = 0; t < 2; t++)
		for (const struct sc_ent *e = tabs[t]; e->nr >= 0; e++) {
			if (e->cls == SC_NONE || e->cls == SC_CAPSET || e->cls == SC_CAPGET ||
			    e->cls == SC_CAPBSET || e->cls == SC_EXEC || e->cls == SC_EXECAT)
				continue;
			if (i-- == 0)
				return e->name;
		}
	for (const struct req_name *r = req_names; r->name; r++)
		if (i-- == 0)
			return r->name;
	for (int k = 0; k < DQ_CMD_MAX; k++)
		if (kcall_quota_cmd_name(k) && i-- == 0)
			return kcall_quota_cmd_name(k);
	for (int k = 0; k < DQ_CMD_MAX; k++)
		if (kcall_quota_ugid_cmd_name(k) && i-- == 0)
			return kcall_quota_ugid_cmd_name(k);
	return i < sizeof(extra) / sizeof(extra[0]) ? extra[i] : NULL;
}

/* The sub-command of a request, for --fail: VZ_DQ_*, VE_IP_ADD/DEL, VE_ETH_*,
 * VE_CREATE/ENTER/TEST */
const char *ioctl_sub_name(struct call *c, unsigned long req, uint64_t arg, char *buf, size_t len)
{
	const char *name = ioctl_name(req, c->compat32);
	int32_t v[2];

	if (!name || mem_read(c->tid, arg, v, sizeof(v)) < 0)
		return NULL;
	if (!strcmp(name, "VZCTL_QUOTA_NEW_CTL") || !strcmp(name, "VZCTL_QUOTA_DEPR_CTL")) {
		return kcall_quota_cmd_name(v[0]);
	} else if (!strcmp(name, "VZCTL_QUOTA_UGID_CTL")) {
		return kcall_quota_ugid_cmd_name(v[0]);
	} else if (!strcmp(name, "VENETCTL_VE_IP_MAP")) {
		return v[1] == VE_IP_ADD || v[1] == VE_IP_DEL ? kcall_ve_ip_op_name(v[1]) : NULL;
	} else if (!strcmp(name, "VETHCTL_VE_HWADDR")) {
		return kcall_ve_eth_op_name(v[1]);
	} else if (strstr(name, "ENV_CREATE")) {
		uint32_t f = (uint32_t)v[1];

		return f & VE_TEST     ? "VE_TEST"
		       : f & VE_CREATE ? "VE_CREATE"
		       : f & VE_ENTER  ? "VE_ENTER"
				       : NULL;
	}
	(void)buf;
	(void)len;
	return NULL;
}
