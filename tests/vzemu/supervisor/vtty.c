// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The VEs' virtual consoles (drivers/char/pty.c: vtty_*): twelve per VE, index 0 is the
 * VE's /dev/console, index N-1 its /dev/ttyN. The kernel pairs a host side, opened by
 * VZCTL_VE_CONFIGURE{VE_CONFIGURE_OPEN_TTY} (vtty_open_master: no VE lookup, one host
 * opener at a time, else EBUSY), with the side the VE opens as /dev/console or /dev/ttyN;
 * the pair outlives detaching and the VE itself.
 *
 * Here each (VE, index) is a pty of the host's devpts made on first use and kept by the
 * supervisor for the rest of the run (both sides open, so the host side is never hung up,
 * as the kernel's is not): the host side gets a new descriptor of its master, a VE process
 * opening /dev/console or /dev/ttyN gets a fresh open of its slave. "Open on
 * the host side" is whether a process other than the supervisor holds that master (its
 * fdinfo names the same devpts mount, inode and tty-index). Differences: consoles live as
 * long as the vzemu run, not the kernel; while nobody is attached the VE's writes stay in
 * the pty (the kernel's write_room lets them through) and block once it is full.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "vzemu.h"

#define MAX_VTTY 12

struct vtty {
	unsigned int veid;
	int idx;
	int master;
	int slave_fd; /* kept open: the kernel's console never hangs its host side up */
	char slave[64];
	char id[128]; /* "mnt_id ino tty-index" of the master */
};

static struct vtty ttys[64];
static int nttys;

/* "mnt_id ino tty-index" from an fdinfo text, or "" */
static void fdinfo_id(const char *path, char *out, size_t len)
{
	char buf[1024], *p;
	unsigned long mnt = 0, ino = 0, idx = 0;
	bool tty = false;
	FILE *f = fopen(path, "re");
	size_t n;

	out[0] = 0;
	if (!f)
		return;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	if ((p = strstr(buf, "mnt_id:")))
		mnt = strtoul(p + 7, NULL, 10);
	if ((p = strstr(buf, "ino:")))
		ino = strtoul(p + 4, NULL, 10);
	if ((p = strstr(buf, "tty-index:"))) {
		idx = strtoul(p + 10, NULL, 10);
		tty = true;
	}
	if (tty)
		snprintf(out, len, "%lu %lu %lu", mnt, ino, idx);
}

static struct vtty *vtty_get(unsigned int veid, int idx)
{
	struct vtty *v;
	char p[64];
	int unlock = 0;
	unsigned int n;

	for (int i = 0; i < nttys; i++)
		if (ttys[i].veid == veid && ttys[i].idx == idx)
			return &ttys[i];
	if (nttys == (int)(sizeof(ttys) / sizeof(*ttys)))
		return NULL;
	v = &ttys[nttys];
	v->master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (v->master < 0)
		return NULL;
	if (ioctl(v->master, TIOCSPTLCK, &unlock) < 0 || ioctl(v->master, TIOCGPTN, &n) < 0) {
		close(v->master);
		return NULL;
	}
	snprintf(v->slave, sizeof(v->slave), "/dev/pts/%u", n);
	v->slave_fd = open(v->slave, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (v->slave_fd < 0) {
		close(v->master);
		return NULL;
	}
	snprintf(p, sizeof(p), "/proc/self/fdinfo/%d", v->master);
	fdinfo_id(p, v->id, sizeof(v->id));
	v->veid = veid;
	v->idx = idx;
	nttys++;
	return v;
}

/* Does a process other than this one hold the master? */
static bool master_held(const struct vtty *v)
{
	DIR *procs = opendir("/proc"), *fds;
	struct dirent *e, *f;
	char path[600], id[128];
	bool held = false;

	if (!procs)
		return false;
	while (!held && (e = readdir(procs))) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9' || atoi(e->d_name) == getpid())
			continue;
		snprintf(path, sizeof(path), "/proc/%s/fdinfo", e->d_name);
		if (!(fds = opendir(path)))
			continue;
		while (!held && (f = readdir(fds))) {
			if (f->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "/proc/%s/fdinfo/%s", e->d_name, f->d_name);
			fdinfo_id(path, id, sizeof(id));
			held = id[0] && !strcmp(id, v->id);
		}
		closedir(fds);
	}
	closedir(procs);
	return held;
}

long vtty_open_master(unsigned int veid, unsigned int idx, int *addfd)
{
	struct vtty *v;

	if (idx >= MAX_VTTY)
		return -ENODEV;
	v = vtty_get(veid, (int)idx);
	if (!v)
		return -ENOMEM;
	if (master_held(v))
		return -EBUSY;
	*addfd = fcntl(v->master, F_DUPFD_CLOEXEC, 3);
	return *addfd < 0 ? -ENOMEM : 0;
}

int vtty_index_of(const char *path)
{
	char *end;
	long n;

	if (!strcmp(path, "/dev/console"))
		return 0;
	if (strncmp(path, "/dev/tty", 8) || !path[8])
		return -1;
	n = strtol(path + 8, &end, 10);
	return *end || n < 1 || n > MAX_VTTY ? -1 : (int)n - 1;
}

long vtty_open_slave(unsigned int veid, int idx, int flags, int *addfd)
{
	struct vtty *v = vtty_get(veid, idx);

	if (!v)
		return -ENOMEM;
	*addfd = open(v->slave, O_RDWR | O_NOCTTY | O_CLOEXEC | (flags & O_NONBLOCK));
	return *addfd < 0 ? -errno : 0;
}
