/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Start a program inside a running VE (vzctl-behaviour.md §3.7, kernel-abi.md §2.4, §12.2):
 *
 *   parent: VE_TEST (not running: -ESRCH); pipes or nothing (tty); a status socket; fork
 *   child:  signals reset, setluid(VEID), chroot(VE_ROOT), setsid, VE_ENTER (EBUSY retried
 *           3 times, 1 s apart, as vzctl), setgroups(0), /dev/vzctl closed; stdio: the
 *           pipes, or a pty opened inside the VE whose master goes to the parent over the
 *           status socket (SCM_RIGHTS); every other descriptor closed; exec.
 *
 * The status socket is close-on-exec: EOF tells the parent the program runs; before that
 * the child sends a struct exec_msg with the errno, step and message of what failed and
 * exits. Nothing of the host (its terminal included: TIOCSTI) is reachable from the VE:
 * the program's stdio are pipes or a pty of the VE's own devpts.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "ctx.h"
#include "error.h"
#include "macro.h"
#include "ve-run.h"
#include "ve-state.h"

#define DEF_PATH    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#define ENTER_TRIES 4 /* the first VE_ENTER and vzctl's three retries on EBUSY */

struct exec_msg {
	int err; /* 0: the message carries the pty master */
	int step;
	char text[240];
};

static void send_msg(int sock, int fd, int e, enum vzl_step step, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static void send_msg(int sock, int fd, int e, enum vzl_step step, const char *fmt, ...)
{
	struct exec_msg m = { .err = e, .step = step };
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(m.text, sizeof(m.text), fmt, ap);
	va_end(ap);
	struct iovec iov = { .iov_base = &m, .iov_len = sizeof(m) };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr h = { .msg_iov = &iov, .msg_iovlen = 1 };
	if (fd >= 0) {
		h.msg_control = u.buf;
		h.msg_controllen = sizeof(u.buf);
		struct cmsghdr *c = CMSG_FIRSTHDR(&h);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	while (sendmsg(sock, &h, MSG_NOSIGNAL) < 0 && errno == EINTR)
		;
}

static void reset_signals(void)
{
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/* A pty of the VE's devpts: its slave becomes the controlling terminal and stdio, the master
 * goes to the parent. 0 or the errno (reported). */
static int child_tty(int sock, unsigned veid, const struct vzl_exec *how)
{
	int m = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (m < 0) {
		int e = errno;
		send_msg(
			sock, -1, e, VZL_STEP_ENV_CREATE,
			"cannot allocate a pty in VE %u: /dev/ptmx: %s; the VE needs devpts "
			"mounted on /dev/pts (its init does that: mount -t devpts devpts /dev/pts)",
			veid, strerror(e));
		return e;
	}
	int unlock = 0;
	unsigned int n;
	char path[32];
	if (ioctl(m, TIOCSPTLCK, &unlock) < 0 || ioctl(m, TIOCGPTN, &n) < 0) {
		int e = errno;
		send_msg(sock, -1, e, VZL_STEP_ENV_CREATE, "cannot allocate a pty in VE %u: %s",
			 veid, strerror(e));
		return e;
	}
	snprintf(path, sizeof(path), "/dev/pts/%u", n);
	int s = open(path, O_RDWR | O_NOCTTY | O_NOFOLLOW);
	struct stat st;
	if (s < 0 || fstat(s, &st) < 0 || !S_ISCHR(st.st_mode)) {
		int e = s < 0 ? errno : ENODEV;
		send_msg(sock, -1, e, VZL_STEP_ENV_CREATE,
			 "cannot open the pty %s in VE %u: %s; the VE needs devpts mounted on "
			 "/dev/pts",
			 path, veid, strerror(e));
		return e;
	}
	if (how->rows && how->cols) {
		struct winsize ws = { .ws_row = how->rows, .ws_col = how->cols };
		ioctl(s, TIOCSWINSZ, &ws);
	}
	send_msg(sock, m, 0, VZL_STEP_NONE, "pty");
	close(m);
	setsid(); /* already the leader where the kernel made it one (EPERM) */
	if (ioctl(s, TIOCSCTTY, 0) < 0) {
		int e = errno;
		send_msg(sock, -1, e, VZL_STEP_ENV_CREATE,
			 "cannot make %s the controlling terminal in VE %u: %s", path, veid,
			 strerror(e));
		return e;
	}
	for (int fd = 0; fd < 3; fd++)
		dup2(s, fd);
	if (s > 2)
		close(s);
	return 0;
}

static const char *env_path(char *const *envp)
{
	for (; envp && *envp; envp++)
		if (strncmp(*envp, "PATH=", 5) == 0)
			return *envp + 5;
	return DEF_PATH;
}

/* Try `path`; remember the most telling errno (anything but ENOENT wins, as execvp). */
static void try_exec(const char *path, char *const *argv, char *const *envp, int *best)
{
	execve(path, argv, envp);
	if (*best == ENOENT || *best == 0)
		*best = errno;
}

/* Execute what `how` names; returns the errno when nothing could be executed. */
static int child_exec(const struct vzl_exec *how, char *const *envp)
{
	int best = 0;
	if (how->paths) {
		size_t argc = 0;
		while (how->argv && how->argv[argc])
			argc++;
		char **argv = calloc(argc + 2, sizeof(*argv));
		if (!argv)
			return ENOMEM;
		for (size_t i = 1; i < argc; i++)
			argv[i] = how->argv[i];
		for (const char *const *p = how->paths; *p; p++) {
			const char *base = strrchr(*p, '/');
			base = base ? base + 1 : *p;
			char name[256];
			snprintf(name, sizeof(name), "%s%s", how->flags & VZL_EXEC_LOGIN ? "-" : "",
				 base);
			argv[0] = name;
			try_exec(*p, argv, envp, &best);
		}
		free(argv);
		return best ? best : ENOENT;
	}
	const char *name = how->argv[0];
	if (!*name)
		return ENOENT;
	if (strchr(name, '/')) {
		execve(name, how->argv, envp);
		return errno;
	}
	const char *dirs = env_path(envp);
	while (*dirs) {
		size_t len = strcspn(dirs, ":");
		char path[4096];
		if (snprintf(path, sizeof(path), "%.*s%s%s", (int)len, dirs, len ? "/" : "", name) <
		    (int)sizeof(path))
			try_exec(path, how->argv, envp, &best);
		dirs += len + (dirs[len] == ':');
	}
	return best ? best : ENOENT;
}

static int enter(struct kernel *k, unsigned int veid)
{
	int r = -EBUSY;
	for (int i = 0; i < ENTER_TRIES; i++) {
		if (i)
			sleep(1);
		r = kernel_env_enter(k, veid);
		if (r != -EBUSY)
			break;
	}
	return r;
}

/* The child: enter, wire stdio, execute. Never returns. `io` are the program's stdin,
 * stdout and stderr (pipe ends) or -1 with a tty. */
static void child(vzl_ve *ve, const struct vzl_exec *how, int sock, const int io[3])
{
	struct kernel *k = &ve->ctx->kernel;
	unsigned int veid = ve->id;
	reset_signals();
	int r = kernel_setluid(k, veid);
	if (r < 0) {
		send_msg(sock, -1, -r, VZL_STEP_SETLUID, "setluid(%u) failed: %s", veid,
			 strerror(-r));
		_exit(1);
	}
	if (chdir(ve->root_dir) < 0 || chroot(".") < 0) {
		int e = errno;
		send_msg(sock, -1, e, VZL_STEP_ENV_CREATE, "cannot chroot to VE %u's root %s: %s",
			 veid, ve->root_dir, strerror(e));
		_exit(1);
	}
	setsid(); /* alone in its session: the kernel gives it a pid inside (§2.4) */
	r = enter(k, veid);
	if (r < 0) {
		send_msg(sock, -1, -r, r == -ESRCH ? VZL_STEP_STATE : VZL_STEP_ENV_CREATE,
			 r == -ESRCH   ? "VE %u is not running: %s"
			 : r == -EBUSY ? "cannot enter VE %u: %s (it is stopping, or locked)"
				       : "cannot enter VE %u: %s",
			 veid, strerror(-r));
		_exit(1);
	}
	if (setgroups(0, NULL) < 0) {
		/* the init's groups stay; vzctl ignores this too */
	}
	close(k->fd);
	k->fd = -1;
	if (how->flags & VZL_EXEC_TTY) {
		if (child_tty(sock, veid, how))
			_exit(1);
	} else {
		for (int fd = 0; fd < 3; fd++)
			if (dup2(io[fd], fd) < 0)
				_exit(1);
	}
	close_others(sock);
	char *const *envp = how->envp;
	static char *const no_env[] = { NULL };
	int e = child_exec(how, envp ? envp : no_env);
	const char *what = how->paths ? how->paths[0] : how->argv[0];
	send_msg(sock, -1, e, VZL_STEP_EXEC, "cannot execute '%s' in VE %u: %s", what, veid,
		 strerror(e));
	_exit(1);
}

static int check_how(vzl_ve *ve, const struct vzl_exec *how, vzl_error **err)
{
	if (!how || !how->argv || (!how->argv[0] && !how->paths))
		return error_set(err, EINVAL, ve->id, VZL_STEP_ARGUMENT, NULL,
				 "no program to execute: give its argv");
	return 0;
}

/* The program's stdio pipes: p[i][0] read end, p[i][1] write end. */
static int make_pipes(int p[3][2])
{
	for (int i = 0; i < 3; i++)
		if (pipe2(p[i], O_CLOEXEC) < 0)
			return -errno;
	return 0;
}

static void close_pipes(int p[3][2])
{
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 2; j++)
			if (p[i][j] >= 0)
				close(p[i][j]);
}

/* Read the child's reports until EOF (the program runs) or a failure. */
static int await_child(vzl_ve *ve, int sock, int *tty_fd, vzl_error **err)
{
	for (;;) {
		struct exec_msg m;
		struct iovec iov = { .iov_base = &m, .iov_len = sizeof(m) };
		union {
			char buf[CMSG_SPACE(sizeof(int))];
			struct cmsghdr align;
		} u;
		struct msghdr h = { .msg_iov = &iov,
				    .msg_iovlen = 1,
				    .msg_control = u.buf,
				    .msg_controllen = sizeof(u.buf) };
		ssize_t n = recvmsg(sock, &h, MSG_CMSG_CLOEXEC);
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0)
			return 0;
		if (n < 0)
			return error_set(err, errno, ve->id, VZL_STEP_ENV_CREATE, NULL,
					 "cannot read the entering child's report: %m");
		struct cmsghdr *c = CMSG_FIRSTHDR(&h);
		if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
			int fd;
			memcpy(&fd, CMSG_DATA(c), sizeof(fd));
			if (*tty_fd >= 0)
				close(*tty_fd);
			*tty_fd = fd;
		}
		if ((size_t)n < sizeof(m))
			return error_set(err, EPROTO, ve->id, VZL_STEP_ENV_CREATE, NULL,
					 "short report from the entering child");
		if (m.err) {
			m.text[sizeof(m.text) - 1] = 0;
			return error_set(err, m.err, ve->id, m.step, NULL, "%s", m.text);
		}
	}
}

static int dry_run(vzl_ve *ve, struct vzl_exec_child *out)
{
	struct kernel *k = &ve->ctx->kernel;
	kernel_setluid(k, ve->id);
	ctx_plan(ve->ctx, "chroot %s; setsid", ve->root_dir);
	kernel_env_enter(k, ve->id);
	*out = (struct vzl_exec_child){
		.pid = 0, .stdin_fd = -1, .stdout_fd = -1, .stderr_fd = -1, .tty_fd = -1
	};
	return 0;
}

VZL_API int vzl_ve_exec(vzl_ve *ve, const struct vzl_exec *how, struct vzl_exec_child *out,
			vzl_error **err)
{
	int r = check_how(ve, how, err);
	if (r < 0)
		return r;
	r = ve_kernel_lists(ve, err);
	if (r < 0)
		return r;
	if (r == 0)
		return error_set(err, ESRCH, ve->id, VZL_STEP_STATE, NULL,
				 "not running; start it first (vzlite start %u)", ve->id);
	if (kernel_is_dry_run(&ve->ctx->kernel))
		return dry_run(ve, out);

	bool tty = how->flags & VZL_EXEC_TTY;
	int p[3][2] = { { -1, -1 }, { -1, -1 }, { -1, -1 } };
	int sv[2];
	if (!tty && (r = make_pipes(p)) < 0) {
		close_pipes(p);
		return error_set(err, -r, ve->id, VZL_STEP_NONE, NULL,
				 "cannot make the program's pipes: %s", strerror(-r));
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		close_pipes(p);
		return error_set(err, errno, ve->id, VZL_STEP_NONE, NULL,
				 "cannot make the status socket: %m");
	}
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close_pipes(p);
		close(sv[0]);
		close(sv[1]);
		return error_set(err, e, ve->id, VZL_STEP_NONE, NULL, "cannot fork: %s",
				 strerror(e));
	}
	if (pid == 0) {
		close(sv[0]);
		int io[3] = { -1, -1, -1 };
		if (!tty) {
			/* above 2, so the dup2 onto 0..2 cannot overwrite one another */
			io[0] = fcntl(p[0][0], F_DUPFD_CLOEXEC, 3);
			io[1] = fcntl(p[1][1], F_DUPFD_CLOEXEC, 3);
			io[2] = fcntl(p[2][1], F_DUPFD_CLOEXEC, 3);
		}
		child(ve, how, sv[1], io);
	}
	close(sv[1]);
	int tty_fd = -1;
	r = await_child(ve, sv[0], &tty_fd, err);
	close(sv[0]);
	if (r < 0 || (tty && tty_fd < 0)) {
		if (r == 0)
			r = error_set(err, EPROTO, ve->id, VZL_STEP_EXEC, NULL,
				      "the program ran without its pty");
		kill(pid, SIGKILL);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		if (tty_fd >= 0)
			close(tty_fd);
		close_pipes(p);
		return r;
	}
	*out = (struct vzl_exec_child){
		.pid = pid,
		.stdin_fd = p[0][1],
		.stdout_fd = p[1][0],
		.stderr_fd = p[2][0],
		.tty_fd = tty_fd,
	};
	for (int i = 0; i < 3; i++)
		if (p[i][i == 0 ? 0 : 1] >= 0)
			close(p[i][i == 0 ? 0 : 1]);
	return 0;
}

VZL_API int vzl_ve_console_open(vzl_ve *ve, unsigned int n, vzl_error **err)
{
	if (n < 1 || n > 12)
		return error_set(err, EINVAL, ve->id, VZL_STEP_ARGUMENT, NULL,
				 "console %u does not exist: give 1 to 12 (1 is "
				 "/dev/console)",
				 n);
	int r = kernel_open(&ve->ctx->kernel, err);
	if (r < 0) {
		error_set_veid(err, ve->id);
		return r;
	}
	r = kernel_ve_open_tty(&ve->ctx->kernel, ve->id, n - 1);
	if (r == -EBUSY)
		return error_set(err, EBUSY, ve->id, VZL_STEP_ENV_CREATE, NULL,
				 "console %u is attached elsewhere already; detach there "
				 "first (Esc .)",
				 n);
	if (r < 0)
		return error_set(err, -r, ve->id, VZL_STEP_ENV_CREATE, NULL,
				 "cannot open console %u: %s", n, strerror(-r));
	fcntl(r, F_SETFD, FD_CLOEXEC);
	return r;
}
