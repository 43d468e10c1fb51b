/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The VE-creating child of a start (vzctl-behaviour.md §3.2 steps 7-13, kernel-abi.md
 * §12.1), as vzctl's vz_do_env_create does it:
 *
 *   parent ── fork ──> A: chdir+chroot(VE_ROOT), setsid, signals reset, setluid(VEID),
 *                         setublimit per resource in vzctl's order; fork B; A exits 0
 *                         once B created the VE, or after reaping a B that failed
 *                      B: capabilities (bounding set, capset), VZCTL_ENV_CREATE_DATA
 *                         {VE_CREATE|VE_EXCLUSIVE} (B is now the VE's init, pid 1),
 *                         reports "created", mounts the VE's /proc and /sys, then waits
 *                         on the go pipe: a byte => exec init, EOF => exit (the VE dies).
 *
 * A is forked so the beancounter set by setluid charges B from birth, and so B is not a
 * session leader (the kernel's create makes it one, §2.3). Three pipes, all close-on-exec:
 * status (A, B -> parent: a struct child_msg, error or "created"), go (parent -> B) and
 * err (B -> parent: EOF once init was executed, else the errno of the last exec).
 *
 * The only program this executes is the VE's init: /sbin/init, /etc/init, /bin/init
 * with vzctl's argv {"init", "-z", "      "} and environment {"HOME=/", "TERM=linux"}.
 * In a dry run no child is forked: the same kernel calls are recorded in order.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ctx.h"
#include "error.h"
#include "kernel.h"
#include "macro.h"
#include "ve-run.h"

/* glibc exports the system call wrapper; <sys/capability.h> is libcap's. */
int capset(cap_user_header_t header, const cap_user_data_t data);
int capget(cap_user_header_t header, cap_user_data_t data);

#define CAP_VE_ADMIN      30 /* OpenVZ's, on the number of CAP_AUDIT_CONTROL */
#define PROC_SUPER_MAGIC_ 0x9fa0

struct child_msg {
	int err; /* 0: the VE was created */
	int step;
	char param[16]; /* the error's parameter, "" for none */
	char text[240];
};

static void msg_set(struct child_msg *m, int e, enum vzl_step step, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void msg_set(struct child_msg *m, int e, enum vzl_step step, const char *fmt, ...)
{
	va_list ap;
	m->err = e;
	m->step = step;
	va_start(ap, fmt);
	vsnprintf(m->text, sizeof(m->text), fmt, ap);
	va_end(ap);
}

/*
 * §3.2 step 9.8: the kernel release osrelease.conf gives, right after the create. ENOTTY (a
 * kernel without VE_CONFIGURE) is ignored, as vzctl ignores it; other errors fail the start.
 */
static int osrelease_call(struct ve_run *op, struct kernel *k, struct child_msg *m)
{
	if (!op->osrelease[0])
		return 0;
	int r = kernel_ve_configure_os_release(k, op->ve->id, op->osrelease);
	if (r < 0 && r != -ENOTTY) {
		msg_set(m, -r, VZL_STEP_ENV_CREATE,
			"cannot set the kernel release \"%s\" (osrelease.conf): %s", op->osrelease,
			strerror(-r));
		snprintf(m->param, sizeof(m->param), "OSRELEASE");
		return r;
	}
	return 0;
}

/* setluid and every configured setublimit, in vzctl's order (§3.2 step 9.2-9.3). */
static int ub_calls(struct ve_run *op, struct kernel *k, struct child_msg *m)
{
	unsigned veid = op->ve->id;
	int r = kernel_setluid(k, veid);
	if (r < 0) {
		msg_set(m, -r, VZL_STEP_SETLUID, "setluid(%u) failed: %s%s", veid, strerror(-r),
			r == -ENOSYS ? "; the kernel does not support user resources" : "");
		return r;
	}
	for (const int *res = start_ub_order; *res != UB_RESOURCES; res++) {
		const struct ve_ub *ub = &op->ub[*res];
		if (!ub->set)
			continue;
		r = kernel_setublimit(k, veid, (unsigned)*res, ub->barrier, ub->limit);
		if (r == -EINVAL && *res == UB_SWAPPAGES)
			continue; /* vzctl: only a warning (a kernel without VSwap) */
		if (r < 0) {
			const char *name = kcall_ub_name((unsigned)*res);
			msg_set(m, -r, VZL_STEP_UBC_SET, "setublimit %s %lu:%lu failed: %s",
				name ? name : "?", ub->barrier, ub->limit, strerror(-r));
			return r;
		}
	}
	return 0;
}

/* The capability numbers a VE's root holds by default (vzctl's cap.c). */
static uint64_t cap_mask(const struct ve_run *op)
{
	static const int defaults[] = {
		CAP_CHOWN,
		CAP_DAC_OVERRIDE,
		CAP_DAC_READ_SEARCH,
		CAP_FOWNER,
		CAP_FSETID,
		CAP_KILL,
		CAP_SETGID,
		CAP_SETUID,
		CAP_SETPCAP,
		CAP_LINUX_IMMUTABLE,
		CAP_NET_BIND_SERVICE,
		CAP_NET_BROADCAST,
		CAP_NET_RAW,
		CAP_IPC_LOCK,
		CAP_IPC_OWNER,
		CAP_SYS_CHROOT,
		CAP_SYS_PTRACE,
		CAP_SYS_BOOT,
		CAP_SYS_NICE,
		CAP_SYS_RESOURCE,
		CAP_SYS_TTY_CONFIG,
		CAP_MKNOD,
		CAP_LEASE,
		CAP_AUDIT_WRITE,
		CAP_VE_ADMIN,
		CAP_SETFCAP,
	};
	uint64_t mask = 0;
	for (size_t i = 0; i < ELEMENTSOF(defaults); i++)
		mask |= 1ull << defaults[i];
	if (op->spec.capabilities.set)
		mask = (mask | op->spec.capabilities.on) & ~op->spec.capabilities.off;
	return mask;
}

static int set_caps(uint64_t mask)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct held[2], d[2];
	for (int bit = 0; bit < 64; bit++)
		if (!(mask & (1ull << bit)) && prctl(PR_CAPBSET_DROP, bit, 0, 0, 0) < 0) {
			if (errno == EINVAL)
				break; /* past the kernel's last capability */
			return -errno;
		}
	if (capget(&h, held) < 0)
		return -errno;
	/*
	 * effective = permitted = inheritable = mask, within what the caller holds: on the
	 * target host root holds every capability, so this is the mask; a development machine
	 * may withhold some (CAP_SYS_RESOURCE), which capset could not raise.
	 */
	for (int i = 0; i < 2; i++) {
		uint32_t m = (uint32_t)(mask >> (32 * i)) & held[i].permitted;
		d[i] = (struct __user_cap_data_struct){ m, m, m };
	}
	if (capset(&h, d) == 0)
		return 0;
	/* vzctl retries without SETPCAP and SETFCAP (an older kernel refuses them) */
	d[0].effective = d[0].permitted = d[0].inheritable &= ~((1u << CAP_SETPCAP) |
								(1u << CAP_SETFCAP));
	return capset(&h, d) < 0 ? -errno : 0;
}

/* VZCTL_ENV_CREATE_DATA with vzctl's parameter block (§3.2 step 9.7). */
static int create_call(struct ve_run *op, struct kernel *k, struct child_msg *m)
{
	struct env_create_param3 p = { 0 };
	const struct ve_spec *s = &op->spec;
	if (s->net.iptables.set)
		p.iptables_mask = s->net.iptables.modules;
	p.feature_mask = s->features.on;
	p.known_features = s->features.on | s->features.off;
	if (!(p.known_features & VE_FEATURE_SYSFS)) { /* sysfs on unless it was mentioned */
		p.feature_mask |= VE_FEATURE_SYSFS;
		p.known_features |= VE_FEATURE_SYSFS;
	}
	p.total_vcpus = s->cpu.cpus.set ? (unsigned)s->cpu.cpus.value : 0;
	int r;
	for (int tries = 0;; tries++) {
		r = kernel_env_create(k, op->ve->id, &p);
		if (r != -EBUSY || tries == 3)
			break;
		sleep(1); /* vzctl: EBUSY retried 3 times, 1 s apart (a VE still stopping) */
	}
	if (r < 0)
		msg_set(m, -r, VZL_STEP_ENV_CREATE, "VZCTL_ENV_CREATE_DATA of VE %u failed: %s%s",
			op->ve->id, strerror(-r),
			r == -EACCES ? " (the VE exists, or is still stopping)" : "");
	return r < 0 ? r : 0;
}

static void send_msg(int fd, const struct child_msg *m)
{
	ssize_t w;
	do
		w = write(fd, m, sizeof(*m));
	while (w < 0 && errno == EINTR);
}

/* Inside the new VE, before init: what vzctl's exec_container_init prepares. */
static int prepare_root(struct ve_run *op, struct child_msg *m)
{
	struct statfs sf;
	if (setgroups(0, NULL) < 0) {
		/* harmless: init starts with root's groups */
	}
	int fd = open("/fastboot", O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd >= 0)
		close(fd);
	int r = op->wait ? start_wait_marker() : 0;
	if (r < 0) {
		msg_set(m, -r, VZL_STEP_NONE, "cannot make /.vzfifo and its marker for --wait: %s",
			strerror(-r));
		snprintf(m->param, sizeof(m->param), "--wait");
		return -1;
	}
	if (mkdir("/proc", 0555) < 0 && errno != EEXIST) {
		/* init mounts it itself then */
	}
	if ((statfs("/proc", &sf) < 0 || sf.f_type != PROC_SUPER_MAGIC_) &&
	    mount("proc", "/proc", "proc", 0, NULL) < 0) {
		msg_set(m, errno, VZL_STEP_MOUNT, "cannot mount the VE's /proc: %s",
			strerror(errno));
		return -1;
	}
	struct stat st;
	if (stat("/sys", &st) == 0 && S_ISDIR(st.st_mode))
		(void)!mount("sysfs", "/sys", "sysfs", 0, NULL); /* errors ignored, as vzctl */
	return 0;
}

static void reset_signals(void)
{
	sigset_t none;
	sigemptyset(&none);
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/*
 * Close every descriptor from 3 up except `keep`. The ones open are listed in /proc/self/fd
 * (the VE's /proc, which prepare_root mounted): a few calls, where closing every number below
 * RLIMIT_NOFILE one by one costs one call each (20000 on a host with that limit, most of a
 * start's system calls). close_range does it in one, but 2.6.32 does not have it. Without
 * /proc, every number below the limit is closed.
 */
void close_others(int keep)
{
	int dfd = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	if (d) {
		/* Closing while reading may skip entries: read again until a pass closes none. */
		for (bool closed = true; closed;) {
			closed = false;
			rewinddir(d);
			for (struct dirent *e; (e = readdir(d));) {
				char *end;
				long fd = strtol(e->d_name, &end, 10);
				if (*end || end == e->d_name || fd < 3 || fd == keep ||
				    fd == dirfd(d))
					continue;
				closed |= close((int)fd) == 0;
			}
		}
		closedir(d);
		return;
	}
	if (dfd >= 0)
		close(dfd);
	long max = sysconf(_SC_OPEN_MAX);
	for (long fd = 3; fd < (max > 0 && max < (1L << 20) ? max : 1L << 20); fd++)
		if (fd != keep)
			close((int)fd);
}

/* B after the create: wait for the go, then become init. Never returns. */
static void __attribute__((noreturn)) run_init(int go, int errw)
{
	static char *const argv[] = { "init", "-z", "      ", NULL };
	static char *const envp[] = { "HOME=/", "TERM=linux", NULL };
	static const char *const inits[] = { "/sbin/init", "/etc/init", "/bin/init" };
	char byte;
	ssize_t n;
	do
		n = read(go, &byte, 1);
	while (n < 0 && errno == EINTR);
	if (n != 1)
		_exit(1); /* the start failed: the VE dies with its init */
	close(go);
	int null = open("/dev/null", O_RDWR);
	for (int fd = 0; fd < 3; fd++)
		if (null >= 0 && fd != null)
			dup2(null, fd);
	if (null > 2)
		close(null);
	close_others(errw);
	/* Report why an init that is there failed (EACCES, ENOEXEC), not that the last is missing. */
	int e = ENOENT;
	for (size_t i = 0; i < ELEMENTSOF(inits); i++) {
		execve(inits[i], argv, envp);
		if (e == ENOENT)
			e = errno;
	}
	(void)!write(errw, &e, sizeof(e));
	_exit(1);
}

/* A after forking B: exit as soon as B reports the VE created (B's parent becomes the host's
 * init, which reaps it when the VE stops); if B ends without that, reap it first. */
static void __attribute__((noreturn)) wait_for_b(pid_t b, int ab[2])
{
	char byte;
	ssize_t n;
	close(ab[1]);
	do
		n = read(ab[0], &byte, 1);
	while (n < 0 && errno == EINTR);
	if (n != 1)
		while (waitpid(b, NULL, 0) < 0 && errno == EINTR)
			;
	_exit(0);
}

/* A's work; exits once B created the VE or ended. */
static void __attribute__((noreturn)) child_a(struct ve_run *op, int status, int go, int errw)
{
	struct kernel *k = &op->ve->ctx->kernel;
	struct child_msg m = { 0 };
	reset_signals();
	if (chdir(op->root) < 0 || chroot(".") < 0) {
		msg_set(&m, errno, VZL_STEP_MOUNT, "cannot chroot to %s: %s", op->root,
			strerror(errno));
		goto fail;
	}
	if (setsid() < 0) {
		msg_set(&m, errno, VZL_STEP_ENV_CREATE, "setsid failed: %s", strerror(errno));
		goto fail;
	}
	if (ub_calls(op, k, &m) < 0)
		goto fail;
	/* B tells A "created" with a byte on ab; if B fails instead, A reaps it, so the
	 * parent's waitpid(A) returns only once B's root no longer pins the VE's mount. */
	int ab[2];
	if (pipe2(ab, O_CLOEXEC) < 0) {
		msg_set(&m, errno, VZL_STEP_ENV_CREATE, "pipe failed: %s", strerror(errno));
		goto fail;
	}
	pid_t b = fork();
	if (b < 0) {
		msg_set(&m, errno, VZL_STEP_ENV_CREATE, "fork failed: %s", strerror(errno));
		goto fail;
	}
	if (b > 0)
		wait_for_b(b, ab);
	close(ab[0]);

	int r = set_caps(cap_mask(op));
	if (r < 0) {
		msg_set(&m, -r, VZL_STEP_ENV_CREATE, "cannot set the VE's capabilities: %s",
			strerror(-r));
		goto fail;
	}
	if (create_call(op, k, &m) < 0 || osrelease_call(op, k, &m) < 0)
		goto fail; /* B is the VE's init now: the VE dies with it */
	close(k->fd);
	if (prepare_root(op, &m) < 0)
		goto fail;
	send_msg(status, &m); /* err 0: created */
	close(status);
	(void)!write(ab[1], "c", 1);
	close(ab[1]);
	run_init(go, errw);
fail:
	send_msg(status, &m);
	_exit(1);
}

static int create_dry(struct ve_run *op, vzl_error **err)
{
	struct kernel *k = &op->ve->ctx->kernel;
	struct child_msg m = { 0 };
	if (ub_calls(op, k, &m) < 0 || create_call(op, k, &m) < 0 || osrelease_call(op, k, &m) < 0)
		return error_set(err, m.err, op->ve->id, m.step, m.param[0] ? m.param : NULL, "%s",
				 m.text);
	return 0;
}

static int create_run(void *o, vzl_error **err)
{
	struct ve_run *op = o;
	struct kernel *k = &op->ve->ctx->kernel;
	unsigned veid = op->ve->id;
	int r = kernel_open(k, err);
	if (r < 0)
		return r;
	start_osrelease(op);
	if (kernel_is_dry_run(k))
		return create_dry(op, err);
	int st[2] = { -1, -1 }, go[2] = { -1, -1 }, ep[2] = { -1, -1 };
	if (pipe2(st, O_CLOEXEC) < 0 || pipe2(go, O_CLOEXEC) < 0 || pipe2(ep, O_CLOEXEC) < 0) {
		r = error_set(err, errno, veid, VZL_STEP_NONE, NULL, "pipe: %m");
		goto out;
	}
	pid_t a = fork();
	if (a < 0) {
		r = error_set(err, errno, veid, VZL_STEP_NONE, NULL, "fork: %m");
		goto out;
	}
	if (a == 0) {
		close(st[0]);
		close(go[1]);
		close(ep[0]);
		child_a(op, st[1], go[0], ep[1]);
	}
	close(st[1]);
	close(go[0]);
	close(ep[1]);
	st[1] = go[0] = ep[1] = -1;
	op->go_fd = go[1];
	op->err_fd = ep[0];
	go[1] = ep[0] = -1;
	int status;
	while (waitpid(a, &status, 0) < 0 && errno == EINTR)
		;
	struct child_msg m;
	ssize_t n;
	do
		n = read(st[0], &m, sizeof(m));
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t)sizeof(m) && m.err == 0) {
		op->created = true;
		r = op->wait ? start_wait_open(op, err) : 0;
		if (r < 0) /* the init is held: closing the go pipe ends it and the VE */
			op->created = false;
	} else if (n == (ssize_t)sizeof(m)) {
		m.text[sizeof(m.text) - 1] = '\0';
		m.param[sizeof(m.param) - 1] = '\0';
		/* the CLI names the VE before the message: not here again */
		r = error_set(err, m.err, veid, (enum vzl_step)m.step, m.param[0] ? m.param : NULL,
			      "%s", m.text);
	} else {
		r = error_set(err, EIO, veid, VZL_STEP_ENV_CREATE, NULL,
			      "VE %u: the VE-creating child ended without a word", veid);
	}
	if (r < 0) { /* nothing to release: the child has exited or will */
		close(op->go_fd);
		close(op->err_fd);
		op->go_fd = op->err_fd = -1;
		/* a VE created before the failure dies with B; wait for it */
		ve_run_wait_gone(op, 30000);
	}
out:
	for (int i = 0; i < 2; i++) {
		if (st[i] >= 0)
			close(st[i]);
		if (go[i] >= 0)
			close(go[i]);
		if (ep[i] >= 0)
			close(ep[i]);
	}
	return r;
}

/* Undo: close the go pipe without a byte; the held init exits and the VE stops. */
static int create_undo(void *o, vzl_error **err)
{
	struct ve_run *op = o;
	if (op->go_fd >= 0)
		close(op->go_fd);
	op->go_fd = -1;
	start_wait_close(op);
	if (!op->created)
		return 0;
	int r = ve_run_wait_gone(op, 30000);
	if (r < 0)
		return error_set(err, -r, op->ve->id, VZL_STEP_STATE, NULL,
				 "VE %u did not stop after its held init was told to exit: %s",
				 op->ve->id, strerror(-r));
	op->created = false;
	return 0;
}

static void create_describe(const void *o, struct step_plan *plan)
{
	const struct ve_run *op = o;
	step_line(plan,
		  "fork; chroot %s; setsid; setluid and setublimit; fork the init; bounding set "
		  "and capset to mask 0x%llx; create VE %u; its kernel release if osrelease.conf "
		  "names one; mount its /proc and /sys; hold init",
		  op->root, (unsigned long long)cap_mask(op), op->ve->id);
}

const struct step start_row_create = {
	.name = "create VE",
	.error_step = VZL_STEP_ENV_CREATE,
	.flags = STEP_RECORDS,
	.run = create_run,
	.undo = create_undo,
	.describe = create_describe,
};

static int release_run(void *o, vzl_error **err)
{
	struct ve_run *op = o;
	if (kernel_is_dry_run(&op->ve->ctx->kernel))
		return 0;
	char go = 1;
	if (write(op->go_fd, &go, 1) != 1)
		return error_set(err, errno, op->ve->id, VZL_STEP_ENV_CREATE, NULL,
				 "VE %u: cannot release its init: %m", op->ve->id);
	close(op->go_fd);
	op->go_fd = -1;
	int e;
	ssize_t n;
	do
		n = read(op->err_fd, &e, sizeof(e));
	while (n < 0 && errno == EINTR);
	close(op->err_fd);
	op->err_fd = -1;
	if (n == 0) {
		op->init_released = true;
		return 0;
	}
	return error_set(err, n == (ssize_t)sizeof(e) ? e : EIO, op->ve->id, VZL_STEP_TEMPLATE,
			 "init",
			 "VE %u: unable to start init (/sbin/init, /etc/init, /bin/init): %s; "
			 "probably an incorrect template",
			 op->ve->id, n == (ssize_t)sizeof(e) ? strerror(e) : "no answer");
}

/* A later step failed (--wait timed out): the VE runs its own init now and is killed, as
 * vzctl's start kills it (§3.2 step 15). */
static int release_undo(void *o, vzl_error **err)
{
	struct ve_run *op = o;
	if (!op->init_released)
		return 0;
	int r = ve_run_kill(op, err);
	if (r == 0)
		op->init_released = op->created = false;
	return r;
}

static void release_describe(const void *o, struct step_plan *plan)
{
	(void)o;
	step_line(plan,
		  "release init: execve(\"/sbin/init\", [\"init\", \"-z\", \"      \"], "
		  "[\"HOME=/\", \"TERM=linux\"]), else /etc/init, /bin/init; confirm the exec");
}

const struct step start_row_release = {
	.name = "release init",
	.error_step = VZL_STEP_ENV_CREATE,
	.run = release_run,
	.undo = release_undo,
	.describe = release_describe,
};
