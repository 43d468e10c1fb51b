/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * killat [--only NAME,...] N REPORT COMMAND [ARG...]: run COMMAND under ptrace, count the
 * system-call entries of all its threads and children (with --only, of the named calls
 * alone), and at the Nth entry (before that call runs) SIGKILL its whole process group.
 * Written to REPORT: "killed N" or, when N is not reached (or is 0), "exited STATUS TOTAL"
 * or "signalled SIG TOTAL". Exit 0 when the report was written, 125 on a usage or tracing
 * error. A test tool: it sweeps kills over every step of a command. Counting every call
 * varies a little with thread timing; --only the calls that change directories does not.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define TRACE_OPTIONS                                                                              \
	(PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK |  \
	 PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL)

/* The calls --only may name: those that change a directory or make data durable. */
static const struct {
	const char *name;
	long nr;
} calls[] = {
	{ "rename", SYS_rename }, { "renameat", SYS_renameat },   { "renameat2", SYS_renameat2 },
	{ "mkdir", SYS_mkdir },   { "mkdirat", SYS_mkdirat },     { "rmdir", SYS_rmdir },
	{ "unlink", SYS_unlink }, { "unlinkat", SYS_unlinkat },   { "link", SYS_link },
	{ "linkat", SYS_linkat }, { "symlink", SYS_symlink },     { "symlinkat", SYS_symlinkat },
	{ "fsync", SYS_fsync },   { "fdatasync", SYS_fdatasync }, { "syncfs", SYS_syncfs },
	{ "chmod", SYS_chmod },   { "fchmod", SYS_fchmod },       { "fchmodat", SYS_fchmodat },
};
#define N_CALLS (sizeof(calls) / sizeof(calls[0]))
static int only[N_CALLS], use_only;

static int parse_only(char *list)
{
	for (char *save = NULL, *name = strtok_r(list, ",", &save); name;
	     name = strtok_r(NULL, ",", &save)) {
		size_t i = 0;
		while (i < N_CALLS && strcmp(calls[i].name, name))
			i++;
		if (i == N_CALLS) {
			fprintf(stderr, "killat: --only: unknown call '%s'\n", name);
			return -1;
		}
		only[i] = use_only = 1;
	}
	return 0;
}

static int counted(long nr)
{
	if (!use_only)
		return 1;
	for (size_t i = 0; i < N_CALLS; i++)
		if (only[i] && calls[i].nr == nr)
			return 1;
	return 0;
}

static int fail(const char *what)
{
	fprintf(stderr, "killat: %s: %s\n", what, strerror(errno));
	return 125;
}

/* Is this syscall stop the entry of a counted call? PTRACE_GET_SYSCALL_INFO (5.3+). */
static int is_counted_entry(pid_t tid)
{
	struct __ptrace_syscall_info info;
	long n = ptrace(PTRACE_GET_SYSCALL_INFO, tid, (void *)sizeof(info), &info);
	return n > 0 && info.op == PTRACE_SYSCALL_INFO_ENTRY && counted((long)info.entry.nr);
}

int main(int argc, char **argv)
{
	if (argc > 2 && strcmp(argv[1], "--only") == 0) {
		if (parse_only(argv[2]) < 0)
			return 125;
		argv += 2;
		argc -= 2;
	}
	if (argc < 4) {
		fprintf(stderr, "usage: killat [--only NAME,...] N REPORT COMMAND [ARG...]\n");
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
			if (!killed && is_counted_entry(tid) && ++entries == target) {
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
