/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * killat N REPORT COMMAND [ARG...]: run COMMAND under ptrace, count the system-call entries
 * of all its threads and children, and at the Nth entry (before that call runs) SIGKILL its
 * whole process group. Written to REPORT: "killed N" or, when N is not reached (or is 0),
 * "exited STATUS TOTAL" or "signalled SIG TOTAL". Exit 0 when the report was written, 125
 * on a usage or tracing error. A test tool: it sweeps kills over every step of a command.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#define TRACE_OPTIONS                                                                       \
	(PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK |                  \
	 PTRACE_O_TRACEVFORK | PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL)

static int fail(const char *what)
{
	fprintf(stderr, "killat: %s: %s\n", what, strerror(errno));
	return 125;
}

/* Is this syscall stop an entry? PTRACE_GET_SYSCALL_INFO (5.3+) says so directly. */
static int is_entry(pid_t tid)
{
	struct __ptrace_syscall_info info;
	long n = ptrace(PTRACE_GET_SYSCALL_INFO, tid, (void *)sizeof(info), &info);
	return n > 0 && info.op == PTRACE_SYSCALL_INFO_ENTRY;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: killat N REPORT COMMAND [ARG...]\n");
		return 125;
	}
	char *end;
	unsigned long long target = strtoull(argv[1], &end, 10);
	if (*end || !*argv[1]) {
		fprintf(stderr, "killat: bad N '%s'\n", argv[1]);
		return 125;
	}
	FILE *report = fopen(argv[2], "we");
	if (!report)
		return fail(argv[2]);

	pid_t child = fork();
	if (child < 0)
		return fail("fork");
	if (child == 0) {
		/* Its own process group, so the kill reaches every process it starts. */
		setpgid(0, 0);
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0)
			_exit(126);
		raise(SIGSTOP);
		execvp(argv[3], argv + 3);
		fprintf(stderr, "killat: %s: %s\n", argv[3], strerror(errno));
		_exit(127);
	}
	int st;
	if (waitpid(child, &st, 0) < 0 || !WIFSTOPPED(st))
		return fail("waiting for the child to stop");
	if (ptrace(PTRACE_SETOPTIONS, child, NULL, (void *)TRACE_OPTIONS) < 0 ||
	    ptrace(PTRACE_SYSCALL, child, NULL, NULL) < 0)
		return fail("ptrace");

	unsigned long long entries = 0;
	int killed = 0, final = 0, final_is_signal = 0;
	for (;;) {
		pid_t tid = waitpid(-1, &st, __WALL);
		if (tid < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ECHILD)
				break;
			return fail("waitpid");
		}
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			if (tid == child) {
				final_is_signal = WIFSIGNALED(st);
				final = final_is_signal ? WTERMSIG(st) : WEXITSTATUS(st);
			}
			continue;
		}
		if (!WIFSTOPPED(st))
			continue;
		int sig = WSTOPSIG(st), deliver = 0;
		if (sig == (SIGTRAP | 0x80)) {
			if (!killed && is_entry(tid) && ++entries == target) {
				kill(-child, SIGKILL);
				killed = 1;
			}
		} else if (sig == SIGTRAP && (st >> 16)) {
			/* A ptrace event (clone, fork, exec): nothing to deliver. */
		} else if (sig == SIGSTOP && (st >> 16) == 0) {
			/* The first stop of an auto-attached thread or child: swallow it. */
		} else {
			deliver = sig;
		}
		if (ptrace(PTRACE_SYSCALL, tid, NULL, (void *)(long)deliver) < 0 && errno != ESRCH)
			return fail("ptrace resume");
	}
	if (killed)
		fprintf(report, "killed %llu\n", target);
	else
		fprintf(report, "%s %d %llu\n", final_is_signal ? "signalled" : "exited", final,
			entries);
	return fclose(report) == 0 ? 0 : fail(argv[2]);
}
