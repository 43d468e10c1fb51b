// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The supervisor process: starts the command under the filter and serves until no process
 * under the filter is left.
 *
 * Serving outlives the command: S is the child subreaper and the tracer of every process
 * under the filter, so it sees every exit and inherits every orphan (a VE init outlives the
 * `vzlite start` that created it). When the command exits, S sends its status to the
 * foreground vzemu (which exits with it), detaches from the terminal's stdio and keeps
 * serving; it ends when waitpid(-1, __WALL) says ECHILD, i.e. no child and no tracee is left.
 * When the init of a VE it watches exits (the kernel reports it once the init's PID namespace
 * is empty): model_init_exited (the VE is stopping), every process still in the VE's network
 * namespace is SIGKILLed and watched through a pidfd, and once none is left (at once, when
 * there was none): model_ve_empty (the VE leaves the list) and its registry entry goes.
 * Nothing polls: the loop sleeps on SIGCHLD, the notification listener and those pidfds.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "inject.h"
#include "vzemu.h"

long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int log_fd = -1;

void sup_fatal_msg(struct sup *s, pid_t pid, const char *what)
{
	char buf[1024];
	int n;

	s->fatal = true;
	n = snprintf(buf, sizeof(buf),
		     "vzemu: FATAL: process %d killed: this call would oops "
		     "the kernel: %s\n",
		     (int)pid, what);
	if (n > 0) {
		if (write(STDERR_FILENO, buf, (size_t)n) < 0) {
		}
		if (log_fd >= 0 && write(log_fd, buf, (size_t)n) < 0) {
		}
	}
	trace_raw("%d vzemu: FATAL: would oops the kernel: %s", (int)pid, what);
}

struct status_msg {
	int32_t kind; /* 0: pid of the command, 1: its wait status */
	int32_t value;
	int32_t fatal;
};

static void send_status(struct sup *s, int kind, int value)
{
	struct status_msg m = { kind, value, s->fatal };

	if (s->status_fd < 0)
		return;
	if (write(s->status_fd, &m, sizeof(m)) < 0) {
	}
	if (kind == 1) {
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);

		close(s->status_fd);
		s->status_fd = -1;
		/* stay in the background without holding the caller's pipes open */
		if (null >= 0) {
			dup2(null, STDIN_FILENO);
			dup2(null, STDOUT_FILENO);
			dup2(null, STDERR_FILENO);
			close(null);
		}
	}
}

static bool check_stopping(struct sup *s, bool final);

void sup_on_exit(struct sup *s, pid_t pid, int status)
{
	bool stopping = false;

	caller_forget(pid);
	standin_on_exit(pid, status);
	if (pid == s->main_pid)
		send_status(s, 1, status);
	for (int i = 0; i < s->nves; i++) {
		struct own_ve *v = &s->ves[i];

		if (v->init != pid || v->stopping)
			continue;
		bool reboot = false;

		v->stopping = true;
		if (model_lock(s->model) == 0) {
			model_init_exited(s->model, v->veid);
			reboot = model_ve_reboot_asked(s->model, v->veid);
			model_unlock(s->model);
		}
		trace_raw("%d vzemu: VE %u init exited (%s %d): VE stopping", (int)pid, v->veid,
			  WIFSIGNALED(status) ? "signal" : "status",
			  WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
		/* the VE's processes are gone, it is still listed: vzevent's stop hook (§12.3) */
		vzevent_ve_stopped(s, v->veid, reboot);
		v->nleft = ve_kill_collect(v->net_ino, &v->left);
		v->nleft = standin_pidfds(v->net_ino, &v->left, v->nleft);
		stopping = true;
	}
	if (stopping) /* now, not after whatever else this loop turn has to do */
		check_stopping(s, false);
}

/* Drop the pidfds of exited processes: is the stopping VE empty now? */
static bool ve_emptied(struct own_ve *v)
{
	for (int i = 0; i < v->nleft; i++) {
		struct pollfd pf = { v->left[i], POLLIN, 0 };

		if (poll(&pf, 1, 0) != 0) {
			close(v->left[i]);
			v->left[i--] = v->left[--v->nleft];
		}
	}
	return v->nleft == 0;
}

/*
 * VEs whose init died: gone once no process is left in their network namespace (the pidfds
 * collected at the init's exit; the main loop sleeps on them). `final`: do not wait longer.
 */
static bool check_stopping(struct sup *s, bool final)
{
	bool pending = false;

	for (int i = 0; i < s->nves; i++) {
		struct own_ve *v = &s->ves[i];

		if (!v->stopping)
			continue;
		if (!ve_emptied(v) && !final) {
			pending = true;
			continue;
		}
		for (int k = 0; k < v->nleft; k++)
			close(v->left[k]);
		free(v->left);
		venet_link_del(v->veid);
		if (model_lock(s->model) == 0) {
			model_ve_empty(s->model, v->veid);
			model_unlock(s->model);
		}
		reg_remove(s, v->veid);
		caller_forget_ve(v->veid);
		trace_raw("%d vzemu: VE %u is empty: removed", (int)v->init, v->veid);
		s->ves[i] = s->ves[--s->nves];
		i--;
	}
	return pending;
}

/* pollfds of the processes stopping VEs still wait for, after `n` others; returns the count */
static int add_left_fds(struct sup *s, struct pollfd **pf, int *cap, int n)
{
	for (int i = 0; i < s->nves; i++) {
		for (int k = 0; s->ves[i].stopping && k < s->ves[i].nleft; k++) {
			if (n == *cap) {
				int c = 2 * *cap;
				struct pollfd *t = realloc(*pf, (size_t)c * sizeof(**pf));

				if (!t)
					return n; /* the rest is looked at after the next event */
				*pf = t;
				*cap = c;
			}
			(*pf)[n++] = (struct pollfd){ s->ves[i].left[k], POLLIN, 0 };
		}
	}
	return n;
}

static void reap(struct sup *s, bool *done)
{
	for (;;) {
		int st;
		pid_t w = waitpid(-1, &st, __WALL | WNOHANG);

		if (w == 0)
			return;
		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ECHILD)
				*done = true;
			return;
		}
		if (WIFEXITED(st) || WIFSIGNALED(st))
			sup_on_exit(s, w, st);
		else if (WIFSTOPPED(st))
			ptrace_handle_wait(s, w, st);
	}
}

static int send_fd(int sock, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 }, b = 'L';
	struct iovec iov = { &b, 1 };
	struct msghdr mh = { .msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return sendmsg(sock, &mh, 0) == 1 ? 0 : -errno;
}

static int recv_fd(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 }, b;
	struct iovec iov = { &b, 1 };
	struct msghdr mh = { .msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;
	int fd;

	if (recvmsg(sock, &mh, MSG_CMSG_CLOEXEC) != 1)
		return -EIO;
	cm = CMSG_FIRSTHDR(&mh);
	if (!cm || cm->cmsg_type != SCM_RIGHTS)
		return -EIO;
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

static bool have_cap_sys_admin(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d) < 0)
		return false;
	return d[0].effective & (1u << CAP_SYS_ADMIN);
}

/* The command: private mount + UTS namespaces, then the filter, then exec */
static void __attribute__((noreturn))
run_command(const struct vzemu_opts *o, int go_fd, int sock, struct sock_fprog *prog)
{
	unsigned int flags = SECCOMP_FILTER_FLAG_NEW_LISTENER;
	sigset_t none;
	char b;
	int lfd;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (unshare(CLONE_NEWNS | CLONE_NEWUTS) < 0) {
		fprintf(stderr, "vzemu: unshare(mount, uts): %m\n");
		_exit(VZEMU_EXIT_ERROR);
	}
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		fprintf(stderr, "vzemu: making / private: %m\n");
		_exit(VZEMU_EXIT_ERROR);
	}
	if (read(go_fd, &b, 1) != 1)
		_exit(VZEMU_EXIT_ERROR);
	close(go_fd);
	if (!have_cap_sys_admin())
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	lfd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
			   flags | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV, prog);
	if (lfd < 0 && errno == EINVAL)
		lfd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, prog);
	if (lfd < 0) {
		fprintf(stderr, "vzemu: seccomp: %m\n");
		_exit(VZEMU_EXIT_ERROR);
	}
	if (send_fd(sock, lfd) < 0)
		_exit(VZEMU_EXIT_ERROR);
	close(lfd);
	close(sock);
	execvp(o->argv[0], o->argv);
	fprintf(stderr, "vzemu: %s: %m\n", o->argv[0]);
	_exit(errno == ENOENT ? 127 : 126);
}

static int rm_entry(const char *p, const struct stat *st, int type, struct FTW *f)
{
	(void)st, (void)type, (void)f;
	chmod(p, 0700);
	remove(p);
	return 0;
}

static void cleanup_tmp(struct sup *s)
{
	char p[4300];
	DIR *d;
	struct dirent *e;

	snprintf(p, sizeof(p), "%s/tmp", s->regdir);
	d = opendir(p);
	if (!d)
		return;
	while ((e = readdir(d))) {
		char sub[4600];

		if (atoi(e->d_name) != getpid())
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", p, e->d_name);
		chmod(sub, 0700);
		nftw(sub, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
	}
	closedir(d);
}

int supervisor_run(struct sup *s, const struct vzemu_opts *o, int status_fd, int unused)
{
	int sv[2], go[2], r;
	struct sock_fprog prog;
	sigset_t mask;
	struct stat st;
	bool done = false;
	char p[4200];
	struct pollfd *pf;
	int pfcap = 16;
	pid_t c;

	(void)unused;
	s->status_fd = status_fd;
	s->listener = -1;
	s->fidelity = o->fidelity;
	s->no_vzevent = o->no_vzevent;
	s->state_dir = o->state_dir;
	snprintf(s->regdir, sizeof(s->regdir), "%s/supervisor", o->state_dir);
	mkdir(s->regdir, 0700);
	snprintf(p, sizeof(p), "%s/vzemu.log", s->regdir);
	log_fd = open(p, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	prctl(PR_SET_CHILD_SUBREAPER, 1);

	r = model_open(&s->model, o->state_dir);
	if (r < 0) {
		fprintf(stderr, "vzemu: model_open(%s): %s\n", o->state_dir, strerror(-r));
		return VZEMU_EXIT_ERROR;
	}
	s->vzctl_fd = memfd_create("vzemu:/dev/vzctl", MFD_CLOEXEC);
	if (s->vzctl_fd < 0 || fstat(s->vzctl_fd, &st) < 0) {
		fprintf(stderr, "vzemu: memfd_create: %m\n");
		return VZEMU_EXIT_ERROR;
	}
	s->vzctl_dev = st.st_dev;
	s->vzctl_ino = st.st_ino;
	ns_ino(getpid(), "net", &s->host_net_ino);
	ns_ino(getpid(), "uts", &s->host_uts_ino);
	ns_ino(getpid(), "ipc", &s->host_ipc_ino);
	ns_ino(getpid(), "mnt", &s->host_mnt_ino);
	ns_ino(getpid(), "pid", &s->host_pid_ino);
	s->self_uts_fd = open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC);
	if (getrandom(&s->cookie, sizeof(s->cookie), 0) != sizeof(s->cookie))
		s->cookie = ((uint64_t)getpid() << 32) ^ (uint64_t)now_ms() ^ 0x5a17c0de5a17c0deULL;
	if (!(uint32_t)s->cookie)
		s->cookie |= 1;
	r = filter_build(&prog, o->fidelity, s->cookie);
	if (r < 0) {
		fprintf(stderr, "vzemu: filter too large\n");
		return VZEMU_EXIT_ERROR;
	}

	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	s->sigfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0 || pipe2(go, O_CLOEXEC) < 0)
		return VZEMU_EXIT_ERROR;

	c = fork();
	if (c < 0)
		return VZEMU_EXIT_ERROR;
	if (c == 0) {
		close(sv[0]);
		close(go[1]);
		close(status_fd);
		if (log_fd >= 0)
			close(log_fd);
		run_command(o, go[0], sv[1], &prog);
	}
	close(sv[1]);
	close(go[0]);
	s->main_pid = c;
	send_status(s, 0, c);
	r = ptrace_setup_main(c);
	if (r < 0) {
		fprintf(stderr, "vzemu: ptrace: %s\n", strerror(-r));
		kill(c, SIGKILL);
		return VZEMU_EXIT_ERROR;
	}
	if (write(go[1], "g", 1) != 1)
		return VZEMU_EXIT_ERROR;
	close(go[1]);
	s->listener = recv_fd(sv[0]);
	close(sv[0]);
	if (s->listener < 0)
		fprintf(stderr, "vzemu: the command did not install the filter\n");
	setsid();
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGTSTP, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);
	signal(SIGTTIN, SIG_IGN);

	/*
	 * Every wake-up is an event: SIGCHLD (exits and ptrace stops of tracees), a user
	 * notification, or the exit of a process a stopping VE waits for (pidfds).
	 */
	pf = calloc((size_t)pfcap, sizeof(*pf));
	if (!pf)
		return VZEMU_EXIT_ERROR;
	while (!done) {
		int n, npf = 1;

		check_stopping(s, false);
		pf[0] = (struct pollfd){ s->sigfd, POLLIN, 0 };
		if (s->listener >= 0)
			pf[npf++] = (struct pollfd){ s->listener, POLLIN, 0 };
		n = poll(pf, (nfds_t)add_left_fds(s, &pf, &pfcap, npf), -1);
		if (n < 0 && errno != EINTR)
			break;
		if (n > 0 && (pf[0].revents & POLLIN)) {
			struct signalfd_siginfo si;

			while (read(s->sigfd, &si, sizeof(si)) == sizeof(si)) {
			}
		}
		if (n > 0 && npf > 1 && (pf[1].revents & POLLIN))
			notify_handle(s);
		if (n > 0 && npf > 1 && (pf[1].revents & (POLLHUP | POLLERR)) &&
		    !(pf[1].revents & POLLIN)) {
			close(s->listener); /* no process uses the filter any more */
			s->listener = -1;
		}
		reap(s, &done);
	}
	/* every traced process is gone; VEs of ours still stopping: give them 2 s to empty */
	for (long end = now_ms() + 2000; check_stopping(s, false) && now_ms() < end;) {
		int npf = add_left_fds(s, &pf, &pfcap, 0);

		if (npf > 0)
			poll(pf, (nfds_t)npf, (int)(end - now_ms()));
	}
	check_stopping(s, true);
	free(pf);
	if (s->status_fd >= 0)
		send_status(s, 1, 0);
	cleanup_tmp(s);
	model_close(s->model);
	return s->fatal ? VZEMU_EXIT_ERROR : 0;
}
