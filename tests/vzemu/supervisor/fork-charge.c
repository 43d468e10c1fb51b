// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * fork, vfork, clone and clone3 stop here (SECCOMP_RET_TRACE) before the real kernel creates
 * the task, because in OpenVZ the new task is first charged to its creator's beancounter
 * (numproc): a VE at its numproc limit gets ENOMEM and the bc's failcnt grows (model-ubc.c).
 * Host processes continue at once. For a process in a VE the supervisor counts the VE's
 * tasks (every thread in the VE's PID namespace: one stat per process of the machine, paid
 * only by forks inside VEs) and asks the model. --fail rules apply to these calls by name.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/stat.h>

#include "inject.h"
#include "vzemu.h"

static int pidns_of(pid_t pid, struct stat *st)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)pid);
	return stat(path, st);
}

static unsigned int threads_of(pid_t pid)
{
	char buf[4096], *l;

	if (proc_read(pid, "status", buf, sizeof(buf)) <= 0)
		return 0;
	l = strstr(buf, "\nThreads:");
	return l ? (unsigned int)strtoul(l + 9, NULL, 10) : 1;
}

/* The tasks in the PID namespace of `pid` (its VE's), threads included */
static unsigned int ve_tasks(pid_t pid)
{
	struct stat want, st;
	struct dirent *d;
	unsigned int n = 0;
	DIR *dir;

	if (pidns_of(pid, &want) < 0 || !(dir = opendir("/proc")))
		return 0;
	while ((d = readdir(dir))) {
		pid_t q = (pid_t)atoi(d->d_name);

		if (q > 0 && pidns_of(q, &st) == 0 && st.st_ino == want.st_ino &&
		    st.st_dev == want.st_dev)
			n += threads_of(q);
	}
	closedir(dir);
	return n;
}

void fork_charge_stop(struct sup *s, pid_t tid, struct user_regs_struct *regs, struct call *c)
{
	struct inj j = { .s = s, .tid = tid, .compat = c->compat32 };
	const char *name = c->ent ? c->ent->name : "clone";
	char why[VZEMU_TRACE_MAX] = "", call[32];
	long r = 0;
	int fe = faults_check(name, NULL);

	snprintf(call, sizeof(call), "%s()", name);
	if (fe) {
		trace_line(c->pid, call, -fe, NULL);
		inj_finish(&j, regs, -fe, false);
		return;
	}
	if (call_fill_caller(c) < 0 || c->caller.veid == 0) {
		ptrace(PTRACE_CONT, tid, 0, 0);
		return;
	}
	if (model_lock(s->model) < 0) {
		r = model_broken(s);
	} else {
		r = model_fork_charge(s->model, &c->caller, ve_tasks(tid), why, sizeof(why));
		model_unlock(s->model);
	}
	if (r == 0) {
		ptrace(PTRACE_CONT, tid, 0, 0);
		return;
	}
	trace_line(c->pid, call, r, why[0] ? why : NULL);
	inj_finish(&j, regs, r, false);
}
