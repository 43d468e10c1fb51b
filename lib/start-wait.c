/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * start --wait (vzctl-behaviour.md §3.2 steps 9.9 and 14; kolyshkin/vzctl script.c
 * add_reach_runlevel_mark, env.c): the start returns once the VE's boot has finished as
 * vzctl detects it. Before init runs, the VE's future init makes the FIFO /.vzfifo and a
 * marker that makes the VE's init system open it for writing when the default runlevel is
 * reached: an upstart job /etc/init/vz_init_done.conf, else /etc/event.d/vz_init_done, else
 * (no systemd init) the line "vz:2345:once:touch /.vzfifo" appended to /etc/inittab unless a
 * "vz:" line is there. With a systemd init nothing is written (vzctl's quirk: the wait then
 * times out). The lines stay, as vzctl leaves them.
 *
 * vzctl enters the VE and blocks in open("/.vzfifo", O_RDONLY) under a 3600 s alarm. Here the
 * host opens the FIFO beneath the VE's root (O_NOFOLLOW) with O_NONBLOCK before init is
 * released, so a writer that comes and goes before the wait begins is not missed, and polls
 * it: the end of the first writer (POLLHUP) or data (POLLIN) ends the wait. A timeout fails
 * the start (vzctl's 133): the VE is killed and unmounted, as vzctl does.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ctx.h"
#include "error.h"
#include "kernel.h"
#include "ve-run.h"

#define VZFIFO      "/.vzfifo"
#define VZFIFO_NAME ".vzfifo" /* beneath the root */
#define PARAM       "--wait"

static const char upstart_job[] = "# tell vzlite that the start was successful\n"
				  "description\t\"tell vzlite that the start was successful\"\n"
				  "\n"
				  "start on stopped rc RUNLEVEL=[2345]\n"
				  "\n"
				  "task\n"
				  "\n"
				  "exec touch " VZFIFO "\n";

static const char event_d_job[] = "# This task runs if the default runlevel is reached\n"
				  "start on stopped rc2\n"
				  "start on stopped rc3\n"
				  "start on stopped rc4\n"
				  "start on stopped rc5\n"
				  "exec touch " VZFIFO "\n";

static const char inittab_line[] = "vz:2345:once:touch " VZFIFO "\n";

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int write_file(const char *path, const char *text, int flags)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | flags, 0644);
	if (fd < 0)
		return -errno;
	size_t n = strlen(text);
	int r = write(fd, text, n) == (ssize_t)n ? 0 : -EIO;
	close(fd);
	return r;
}

/* Does /etc/inittab have a line starting "vz:"? */
static bool inittab_has_vz(void)
{
	FILE *f = fopen("/etc/inittab", "re");
	char line[512];
	bool found = false;
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = strncmp(line, "vz:", 3) == 0;
	fclose(f);
	return found;
}

/* /sbin/init a link to systemd? */
static bool init_is_systemd(void)
{
	char target[256];
	ssize_t n = readlink("/sbin/init", target, sizeof(target) - 1);
	if (n < 0)
		return false;
	target[n] = '\0';
	return strstr(target, "systemd") != NULL;
}

int start_wait_marker(void)
{
	if (unlink(VZFIFO) < 0 && errno != ENOENT)
		return -errno;
	if (mkfifo(VZFIFO, 0644) < 0)
		return -errno;
	if (is_dir("/etc/init/"))
		return write_file("/etc/init/vz_init_done.conf", upstart_job, O_TRUNC);
	if (is_dir("/etc/event.d/"))
		return write_file("/etc/event.d/vz_init_done", event_d_job, O_TRUNC);
	if (init_is_systemd() || inittab_has_vz())
		return 0;
	return write_file("/etc/inittab", inittab_line, O_APPEND);
}

int start_wait_open(struct ve_run *op, vzl_error **err)
{
	unsigned veid = op->ve->id;
	int rootfd = open(op->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int fd = rootfd < 0 ? -1
			    : openat(rootfd, VZFIFO_NAME,
				     O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
	int e = errno;
	struct stat st;
	if (rootfd >= 0)
		close(rootfd);
	if (fd >= 0 && (fstat(fd, &st) < 0 || !S_ISFIFO(st.st_mode))) {
		close(fd);
		fd = -1;
		e = EINVAL;
	}
	if (fd < 0)
		return error_set(err, e, veid, VZL_STEP_NONE, PARAM,
				 "VE %u: cannot open %s%s to wait for its boot: %s", veid, op->root,
				 VZFIFO, strerror(e));
	op->wait_fd = fd;
	return 0;
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool when_wait(const void *o)
{
	return ((const struct ve_run *)o)->wait;
}

/* The FIFO keeps the VE's root busy: it is closed before anything unmounts it. */
void start_wait_close(struct ve_run *op)
{
	if (op->wait_fd >= 0)
		close(op->wait_fd);
	op->wait_fd = -1;
}

static int wait_run(void *o, vzl_error **err)
{
	struct ve_run *op = o;
	unsigned veid = op->ve->id;
	if (kernel_is_dry_run(&op->ve->ctx->kernel))
		return 0;
	log_info(op->ve->ctx,
		 "VE %u: start in progress; waiting up to %ld s for its boot to finish", veid,
		 op->wait_s);
	long deadline = now_ms() + op->wait_s * 1000;
	struct pollfd p = { .fd = op->wait_fd, .events = POLLIN };
	int r = 0;
	for (;;) {
		long left = deadline - now_ms();
		int n = left > 0 ? poll(&p, 1, left > 60000 ? 60000 : (int)left) : 0;
		if (n < 0 && errno != EINTR) {
			r = error_set(err, errno, veid, VZL_STEP_NONE, PARAM,
				      "VE %u: waiting for its boot: %m", veid);
			break;
		}
		if (n > 0 && (p.revents & (POLLIN | POLLHUP | POLLERR)))
			break;
		if (n == 0 && left <= 0) {
			r = error_set(err, ETIMEDOUT, veid, VZL_STEP_NONE, PARAM,
				      "VE %u: its boot did not finish within %ld s (nothing opened "
				      "%s for writing; the VE's init runs \"touch %s\" from the "
				      "marker start --wait adds); the VE is stopped again",
				      veid, op->wait_s, VZFIFO, VZFIFO);
			break;
		}
	}
	start_wait_close(op);
	return r;
}

static void wait_describe(const void *o, struct step_plan *plan)
{
	const struct ve_run *op = o;
	step_line(plan, "wait up to %ld s until the VE's init opens %s%s for writing", op->wait_s,
		  op->root, VZFIFO);
}

const struct step start_row_wait = {
	.name = "wait",
	.error_step = VZL_STEP_NONE,
	.when = when_wait,
	.run = wait_run,
	.describe = wait_describe,
};
