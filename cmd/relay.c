/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The relay of exec, enter and console (relay.h). One poll loop: host stdin → the program's
 * input (a pipe or the pty master, written without blocking so a program that does not read
 * cannot stall its own output), its output → host stdout/stderr, and a self-pipe that the
 * signal handlers write to (SIGCHLD, SIGWINCH, terminating signals in raw mode).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "relay.h"

static int self_pipe[2] = { -1, -1 };
static volatile sig_atomic_t child_pid;
static volatile sig_atomic_t got_signal;
static bool forwarding; /* exec: pass signals on; raw: end the relay */

static const int passed_on[] = { SIGINT,  SIGTERM, SIGHUP,  SIGQUIT, SIGUSR1, SIGUSR2,
				 SIGALRM, SIGCONT, SIGTSTP, SIGTTIN, SIGTTOU };
static const int ending[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

static void wake(char c)
{
	int e = errno;
	if (write(self_pipe[1], &c, 1) < 0) {
		/* full: a wake-up is pending already */
	}
	errno = e;
}

static void on_signal(int sig)
{
	if (sig == SIGCHLD)
		wake('c');
	else if (sig == SIGWINCH)
		wake('w');
	else if (forwarding && child_pid > 0)
		kill((pid_t)child_pid, sig);
	else {
		got_signal = sig;
		wake('s');
	}
}

struct saved {
	struct sigaction act[NSIG];
	bool set[NSIG];
	struct termios tio;
	bool raw;
};

static void catch (struct saved *s, int sig)
{
	struct sigaction sa = { .sa_handler = on_signal, .sa_flags = SA_RESTART };
	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, &s->act[sig]) == 0)
		s->set[sig] = true;
}

static void restore(struct saved *s)
{
	if (s->raw)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &s->tio);
	for (int sig = 1; sig < NSIG; sig++)
		if (s->set[sig])
			sigaction(sig, &s->act[sig], NULL);
	s->raw = false;
}

static void make_raw(struct saved *s)
{
	if (tcgetattr(STDIN_FILENO, &s->tio) < 0)
		return;
	struct termios raw = s->tio;
	cfmakeraw(&raw);
	/* TCSADRAIN: what was typed before is kept for the VE (the restore flushes what the
	 * VE did not read, so none of it reaches the host's shell) */
	if (tcsetattr(STDIN_FILENO, TCSADRAIN, &raw) == 0)
		s->raw = true;
}

static void copy_winsize(int to)
{
	struct winsize ws;
	if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0)
		ioctl(to, TIOCSWINSZ, &ws);
}

/* Write all of buf to a blocking descriptor (host stdout/stderr). */
static int write_all(int fd, const char *buf, size_t n)
{
	while (n) {
		ssize_t w = write(fd, buf, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN) {
			struct pollfd p = { .fd = fd, .events = POLLOUT };
			poll(&p, 1, -1);
			continue;
		}
		if (w <= 0)
			return -1;
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The console's escape: "Esc ." at the start of a line. Copies the input to `out` (minus a
 * detaching sequence) and returns true when the user detached. */
struct escape_state {
	bool line_start, after_esc;
};

static bool filter_escape(struct escape_state *e, const char *in, size_t n, char *out,
			  size_t *out_n)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		char c = in[i];
		if (e->after_esc) {
			e->after_esc = false;
			if (c == '.') {
				*out_n = o;
				return true;
			}
			out[o++] = 27;
		} else if (c == 27 && e->line_start) {
			e->after_esc = true;
			continue;
		}
		out[o++] = c;
		e->line_start = c == '\r' || c == '\n';
	}
	*out_n = o;
	return false;
}

/* Empty the self-pipe; a SIGWINCH among the wake-ups resizes `pty` (-1: none). The
 * SIGCHLD and signal wake-ups are looked at by the caller through waitpid and got_signal. */
static void take_wakeups(int pty)
{
	char b[64];
	ssize_t k;
	bool winch = false;
	while ((k = read(self_pipe[0], b, sizeof(b))) > 0)
		for (ssize_t i = 0; i < k; i++)
			winch |= b[i] == 'w';
	if (winch && pty >= 0)
		copy_winsize(pty);
}

/*
 * The end of a non-terminal stdin, given to a program on a pty as a terminal user gives
 * it: the EOF key (twice after a partial line: the first sends the line). Returns how
 * many bytes were put in `out`.
 */
static size_t eof_keys(int pty, char last, char *out)
{
	struct termios t;
	char eof = tcgetattr(pty, &t) == 0 && t.c_cc[VEOF] ? (char)t.c_cc[VEOF] : 4;
	size_t n = 0;
	if (last != '\n')
		out[n++] = eof;
	out[n++] = eof;
	return n;
}

struct flow {
	int from, to; /* -1 when closed */
	bool to_host;
};

int relay_run(struct relay *r)
{
	const struct vzl_exec_child *c = r->child;
	bool tty = c ? c->tty_fd >= 0 : true;
	int master = c ? c->tty_fd : r->console_fd;
	struct saved s = { .raw = false };
	struct escape_state esc = { .line_start = true };
	char inbuf[8192], pending[8192 + 1];
	size_t pend = 0, pend_off = 0;
	int in_to = tty ? master : c->stdin_fd;
	char last_in = '\n';                 /* the last byte given to the program */
	bool in_open = true, exited = false; /* a console has no program to end */
	struct flow outs[2] = {
		{ tty ? master : c->stdout_fd, STDOUT_FILENO, true },
		{ tty ? -1 : c->stderr_fd, STDERR_FILENO, true },
	};

	r->status = 0;
	r->signal = 0;
	r->detached = false;
	r->input_error = false;
	if (pipe2(self_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		return -errno;
	child_pid = c ? c->pid : 0;
	got_signal = 0;
	forwarding = !r->raw && c;
	catch (&s, SIGCHLD);
	catch (&s, SIGPIPE);
	signal(SIGPIPE, SIG_IGN);
	s.set[SIGPIPE] = true;
	if (forwarding)
		for (size_t i = 0; i < sizeof(passed_on) / sizeof(*passed_on); i++)
			catch (&s, passed_on[i]);
	else
		for (size_t i = 0; i < sizeof(ending) / sizeof(*ending); i++)
			catch (&s, ending[i]);
	if (tty) {
		catch (&s, SIGWINCH);
		copy_winsize(master);
	}
	if (r->raw)
		make_raw(&s);
	if (r->banner)
		fprintf(stderr, "%s%s", r->banner, s.raw ? "\r\n" : "\n");
	wake('c'); /* the program may have ended before SIGCHLD was caught */
	fcntl(in_to, F_SETFL, fcntl(in_to, F_GETFL) | O_NONBLOCK);
	for (int i = 0; i < 2; i++)
		if (outs[i].from >= 0)
			fcntl(outs[i].from, F_SETFL, fcntl(outs[i].from, F_GETFL) | O_NONBLOCK);

	int ret = 0;
	for (;;) {
		if (exited && c && outs[0].from < 0 && outs[1].from < 0)
			break;
		struct pollfd p[5];
		int n = 0, ip = -1, op = -1, o0 = -1, o1 = -1;
		p[n++] = (struct pollfd){ .fd = self_pipe[0], .events = POLLIN };
		if (in_open && pend == 0 && !exited) {
			ip = n;
			p[n++] = (struct pollfd){ .fd = STDIN_FILENO, .events = POLLIN };
		}
		if (pend) {
			op = n;
			p[n++] = (struct pollfd){ .fd = in_to, .events = POLLOUT };
		}
		if (outs[0].from >= 0) {
			o0 = n;
			p[n++] = (struct pollfd){ .fd = outs[0].from, .events = POLLIN };
		}
		if (outs[1].from >= 0) {
			o1 = n;
			p[n++] = (struct pollfd){ .fd = outs[1].from, .events = POLLIN };
		}
		/* once the program ended, what is left in its pipes is read without waiting:
		 * a process it left behind may hold them open */
		if (poll(p, (nfds_t)n, exited ? 0 : -1) < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			break;
		}
		if (p[0].revents)
			take_wakeups(tty ? master : -1);
		if (got_signal) {
			r->signal = got_signal;
			break;
		}
		/* asked each round: a SIGCHLD wake-up may have been taken with typed input */
		if (c && !exited) {
			int st;
			pid_t w = waitpid(c->pid, &st, WNOHANG);
			if (w == c->pid) {
				exited = true;
				r->status = st;
			}
		}
		bool drained = exited;
		for (int i = 0; i < 2; i++) {
			int at = i == 0 ? o0 : o1;
			if (at < 0 || (!p[at].revents && !exited))
				continue;
			ssize_t k = read(outs[i].from, inbuf, sizeof(inbuf));
			if (k > 0) {
				drained = false;
				if (write_all(outs[i].to, inbuf, (size_t)k) < 0) {
					/* the host's reader is gone: stop copying, keep waiting */
				}
				continue;
			}
			if (k < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			/* EOF, or EIO from a master whose slave is closed everywhere */
			if (!(tty && outs[i].from == master))
				close(outs[i].from);
			outs[i].from = -1;
			if (!c) {
				r->status = 0;
				goto out; /* the console hung up */
			}
		}
		if (exited && drained) {
			if (outs[0].from >= 0 && !(tty && outs[0].from == master))
				close(outs[0].from);
			if (outs[1].from >= 0)
				close(outs[1].from);
			break;
		}
		if (ip >= 0 && p[ip].revents) {
			ssize_t k = read(STDIN_FILENO, inbuf, sizeof(inbuf));
			/* a resize signalled before these bytes were typed reaches the pty first:
			 * its handler ran at the latest when this read returned */
			take_wakeups(tty ? master : -1);
			if (k > 0 && r->escape) {
				if (filter_escape(&esc, inbuf, (size_t)k, pending, &pend)) {
					r->detached = true;
					if (pend)
						write_all(in_to, pending, pend);
					break;
				}
				pend_off = 0;
			} else if (k > 0) {
				memcpy(pending, inbuf, (size_t)k);
				pend = (size_t)k;
				pend_off = 0;
			} else if (k == 0 || (errno != EINTR && errno != EAGAIN)) {
				if (!c) {
					r->detached = true; /* a console's input ended */
					break;
				}
				in_open = false;
				if (!tty && c->stdin_fd >= 0)
					close(c->stdin_fd); /* the program sees EOF */
				else if (tty)
					pend = eof_keys(master, last_in, pending);
			}
		}
		if (op >= 0 && p[op].revents) {
			ssize_t w = write(in_to, pending + pend_off, pend - pend_off);
			if (w > 0) {
				last_in = pending[pend_off + (size_t)w - 1];
				pend_off += (size_t)w;
				if (pend_off == pend)
					pend = pend_off = 0;
			} else if (w < 0 && errno != EINTR && errno != EAGAIN) {
				r->input_error = true;
				pend = pend_off = 0;
				in_open = false;
				if (!tty)
					close(c->stdin_fd);
			}
		}
	}
out:
	restore(&s);
	if (in_open && c && !tty && c->stdin_fd >= 0)
		close(c->stdin_fd);
	close(self_pipe[0]);
	close(self_pipe[1]);
	self_pipe[0] = self_pipe[1] = -1;
	child_pid = 0;
	return ret;
}

int relay_exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 255;
}
