// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Which programs ran: every execve/execveat under vzemu reaches the supervisor as a user
 * notification; its path and argv are read then and the call continues to the kernel
 * unchanged. When the kernel has replaced the program (the ptrace exec event of that thread)
 * the event line goes to the trace (README.md, "Trace format"):
 *
 *   <pid> vzemu: exec execve("/bin/true", ["/bin/true", "a", "b"])
 *   <pid> vzemu: exec execveat(3</usr/bin/env>, "", ["env"], AT_EMPTY_PATH)
 *
 * An exec the kernel refuses (execvp trying each PATH directory: ENOENT) ran nothing and
 * leaves no line; its text is dropped at the thread's next exec or when the table is full.
 * The path and argv are read from the caller's memory, which another thread could change
 * before the kernel reads it (seccomp's time-of-check/time-of-use gap); for a record that
 * does not matter, and nothing is decided on it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vzemu.h"

#define ARGV_MAX 256 /* arguments shown; more are summarised as "..." */

struct out {
	char *buf;
	size_t len, used;
	bool full;
};

/* append S; once the line is full, nothing more (4 bytes stay free for "...") */
static void put(struct out *o, const char *s)
{
	size_t n = strlen(s);

	if (o->full)
		return;
	if (o->used + n + 4 >= o->len) {
		o->full = true;
		return;
	}
	memcpy(o->buf + o->used, s, n + 1);
	o->used += n;
}

/* a C string literal, as strace prints it */
static void put_str(struct out *o, const char *s)
{
	char esc[8];

	put(o, "\"");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			snprintf(esc, sizeof(esc), "\\%c", *p);
		else if (*p == '\n')
			snprintf(esc, sizeof(esc), "\\n");
		else if (*p == '\t')
			snprintf(esc, sizeof(esc), "\\t");
		else if (*p < 0x20 || *p >= 0x7f)
			snprintf(esc, sizeof(esc), "\\x%02x", *p);
		else
			snprintf(esc, sizeof(esc), "%c", *p);
		put(o, esc);
	}
	put(o, "\"");
}

static void put_user_str(struct out *o, pid_t tid, uint64_t addr)
{
	char s[4096];

	if (mem_read_str(tid, addr, s, sizeof(s)) == -EFAULT) {
		char hex[32];

		snprintf(hex, sizeof(hex), "%#llx", (unsigned long long)addr);
		put(o, hex);
		return;
	}
	put_str(o, s);
}

static void put_argv(struct out *o, const struct call *c, uint64_t argv)
{
	size_t ptr = c->compat32 ? 4 : 8;
	int i;

	if (!argv) {
		put(o, "NULL");
		return;
	}
	put(o, "[");
	for (i = 0; i < ARGV_MAX; i++) {
		uint64_t a = 0;

		if (mem_read(c->tid, argv + (uint64_t)i * ptr, &a, ptr) < 0) {
			put(o, i ? ", ?" : "?");
			break;
		}
		if (!a)
			break;
		if (i)
			put(o, ", ");
		put_user_str(o, c->tid, a);
	}
	if (i == ARGV_MAX)
		put(o, ", ...");
	put(o, "]");
}

static void put_dirfd(struct out *o, const struct call *c, int fd)
{
	char p[64], target[4096], num[32];
	ssize_t n;

	if (fd == AT_FDCWD) {
		put(o, "AT_FDCWD");
		return;
	}
	snprintf(num, sizeof(num), "%d", fd);
	put(o, num);
	snprintf(p, sizeof(p), "/proc/%d/fd/%d", (int)c->tid, fd);
	n = readlink(p, target, sizeof(target) - 1);
	if (n > 0) {
		target[n] = 0;
		put(o, "<");
		put(o, target);
		put(o, ">");
	}
}

static void put_at_flags(struct out *o, uint64_t flags)
{
	char rest[32];
	bool any = false;

	if (flags & AT_EMPTY_PATH)
		put(o, "AT_EMPTY_PATH"), any = true;
	if (flags & AT_SYMLINK_NOFOLLOW)
		put(o, any ? "|AT_SYMLINK_NOFOLLOW" : "AT_SYMLINK_NOFOLLOW"), any = true;
	flags &= ~(uint64_t)(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW);
	if (flags || !any) {
		snprintf(rest, sizeof(rest), "%s%#llx", any ? "|" : "", (unsigned long long)flags);
		put(o, rest);
	}
}

/* execs asked for and not yet done, per thread */
#define PENDING_MAX 64
static struct pending {
	pid_t tid;
	unsigned long long seq;
	char line[VZEMU_TRACE_MAX];
} pending[PENDING_MAX];
static unsigned long long pending_seq;

static struct pending *slot_for(pid_t tid)
{
	struct pending *oldest = &pending[0];

	for (int i = 0; i < PENDING_MAX; i++) {
		if (pending[i].tid == tid)
			return &pending[i];
		if (pending[i].seq < oldest->seq)
			oldest = &pending[i];
	}
	return oldest;
}

void exec_trace_done(pid_t tid, unsigned long old_tid)
{
	for (int i = 0; i < PENDING_MAX; i++)
		if (pending[i].tid == (pid_t)old_tid && pending[i].seq) {
			trace_raw("%d vzemu: exec %s", (int)tid, pending[i].line);
			pending[i].tid = 0;
			pending[i].seq = 0;
			return;
		}
}

void exec_trace(struct call *c)
{
	struct pending *p = slot_for(c->tid);
	char *line = p->line;
	struct out o = { line, sizeof(p->line), 0, false };
	bool at = c->ent->cls == SC_EXECAT;

	line[0] = 0;
	put(&o, c->ent->name);
	put(&o, "(");
	if (at) {
		put_dirfd(&o, c, (int)c->args[0]);
		put(&o, ", ");
	}
	put_user_str(&o, c->tid, c->args[at ? 1 : 0]);
	put(&o, ", ");
	put_argv(&o, c, c->args[at ? 2 : 1]);
	if (at) {
		put(&o, ", ");
		put_at_flags(&o, c->args[4]);
	}
	if (o.full)
		memcpy(line + o.used, "...", 4); /* put() left room for it */
	else
		put(&o, ")");
	p->tid = c->tid;
	p->seq = ++pending_seq;
}
