// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The vzevent module (kernel-abi.md §14; kernel/ve/vzevent.c): netlink protocol 31, group 1,
 * payload "<action>@<veid>" without header or NUL. The development kernel refuses protocol
 * 31, so socket(AF_NETLINK, *, 31) is answered with an AF_UNIX datagram socket made here and
 * handed over with ADDFD; recv() on it then needs nothing of us.
 *
 * bind() is checked as netlink_bind does (address length and family EINVAL, a group without
 * CAP_NET_ADMIN EPERM). Binding group 1 in the host's network namespace makes the socket a
 * listener: it is bound to <state>/vzevent/<inode>.sock, so every supervisor sharing the state
 * reaches it. A broadcast sends one datagram to each listener without blocking (the kernel's
 * netlink_broadcast drops for a full receiver too); a listener whose socket is gone
 * (ECONNREFUSED) is removed. Nothing is queued for later listeners.
 *
 * The module parameter reboot_event (default 0) is <state>/vzevent/reboot_event.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "vzemu.h"

#define VZEVENT_PROTO  31
#define VZEVENT_GROUP  1u
#define CAP_NET_ADMIN_ 12
#define CAP_VE_ADMIN_  30
#define MAX_SOCKETS    256

/* Inodes of the sockets this supervisor handed out, most recent last. */
static uint64_t made[MAX_SOCKETS];
static int nmade;

static void dir_of(const char *state_dir, char *out, size_t len)
{
	snprintf(out, len, "%s/vzevent", state_dir);
}

void vzevent_reset(const char *state_dir)
{
	char dir[4096], p[4400];
	DIR *d;
	struct dirent *e;

	dir_of(state_dir, dir, sizeof(dir));
	d = opendir(dir);
	if (!d)
		return;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.') {
			snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
			unlink(p);
		}
	closedir(d);
	rmdir(dir);
}

int vzevent_set_reboot_event(const char *state_dir, int value)
{
	char dir[4096], p[4400];
	int fd;

	dir_of(state_dir, dir, sizeof(dir));
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return -errno;
	snprintf(p, sizeof(p), "%s/reboot_event", dir);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (dprintf(fd, "%d\n", value) < 0) {
		close(fd);
		return -EIO;
	}
	return close(fd) < 0 ? -errno : 0;
}

static int reboot_event(const char *state_dir)
{
	char p[4400], buf[16] = "";
	int fd;
	ssize_t n;

	snprintf(p, sizeof(p), "%s/vzevent/reboot_event", state_dir);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	return atoi(buf);
}

int vzevent_socket(struct sup *s, struct call *c, long *ret, int *addfd, char *trace, size_t tlen)
{
	int type = (int)(c->args[1] & 0xf), fd;
	struct stat st;

	if (s->no_vzevent)
		return 1; /* the module is not loaded: the real kernel says EPROTONOSUPPORT */
	snprintf(trace, tlen, "socket(AF_NETLINK, %s%s%s, %d)",
		 type == SOCK_RAW     ? "SOCK_RAW"
		 : type == SOCK_DGRAM ? "SOCK_DGRAM"
				      : "?",
		 c->args[1] & SOCK_CLOEXEC ? "|SOCK_CLOEXEC" : "",
		 c->args[1] & SOCK_NONBLOCK ? "|SOCK_NONBLOCK" : "", VZEVENT_PROTO);
	/* net/netlink/af_netlink.c: netlink_create */
	if (type != SOCK_RAW && type != SOCK_DGRAM) {
		*ret = -ESOCKTNOSUPPORT;
		return 0;
	}
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | (int)(c->args[1] & SOCK_NONBLOCK), 0);
	if (fd < 0 || fstat(fd, &st) < 0) {
		*ret = -ENOBUFS;
		if (fd >= 0)
			close(fd);
		return 0;
	}
	if (nmade == MAX_SOCKETS) {
		memmove(made, made + 1, sizeof(made) - sizeof(made[0]));
		nmade--;
	}
	made[nmade++] = (uint64_t)st.st_ino;
	*addfd = fd;
	*ret = c->args[1] & SOCK_CLOEXEC ? O_CLOEXEC : 0;
	return 0;
}

/* Is descriptor `fd` of `tid` one of our sockets? Its inode then. */
static uint64_t ours(pid_t tid, int fd)
{
	char p[64];
	struct stat st;

	snprintf(p, sizeof(p), "/proc/%d/fd/%d", (int)tid, fd);
	if (stat(p, &st) < 0 || !S_ISSOCK(st.st_mode))
		return 0;
	for (int i = 0; i < nmade; i++)
		if (made[i] == (uint64_t)st.st_ino)
			return made[i];
	return 0;
}

/* Bind our copy of the caller's socket to its listener path. */
static int listen_at(struct sup *s, pid_t tid, int fd, uint64_t ino)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	char dir[4096];
	int pfd, mine, r = 0;

	dir_of(s->state_dir, dir, sizeof(dir));
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return -errno;
	if ((size_t)snprintf(a.sun_path, sizeof(a.sun_path), "%s/%llu.sock", dir,
			     (unsigned long long)ino) >= sizeof(a.sun_path))
		return -ENAMETOOLONG;
	pfd = (int)syscall(SYS_pidfd_open, tid, 0);
	if (pfd < 0)
		return -errno;
	mine = (int)syscall(SYS_pidfd_getfd, pfd, fd, 0);
	close(pfd);
	if (mine < 0)
		return -errno;
	if (bind(mine, (struct sockaddr *)&a, sizeof(a)) < 0 && errno != EINVAL)
		r = -errno; /* EINVAL: bound already (a second bind only changes the groups) */
	close(mine);
	return r;
}

int vzevent_bind(struct sup *s, struct call *c, long *ret, char *trace, size_t tlen)
{
	struct sockaddr_nl nl;
	uint64_t ino = ours(c->tid, (int)c->args[0]);
	uint64_t len = c->args[2];

	if (!ino)
		return 1; /* not a vzevent socket: the real kernel binds it */
	call_fill_caller(c);
	memset(&nl, 0, sizeof(nl));
	/* net/netlink/af_netlink.c: netlink_bind */
	if (len < sizeof(nl)) {
		snprintf(trace, tlen, "bind(%d, %#llx, %llu)", (int)c->args[0],
			 (unsigned long long)c->args[1], (unsigned long long)len);
		*ret = -EINVAL;
		return 0;
	}
	if (mem_read(c->pid, c->args[1], &nl, sizeof(nl)) < 0) {
		snprintf(trace, tlen, "bind(%d, %#llx, %llu)", (int)c->args[0],
			 (unsigned long long)c->args[1], (unsigned long long)len);
		*ret = -EFAULT;
		return 0;
	}
	snprintf(trace, tlen, "bind(%d, {nl_family=%s, nl_pid=%u, nl_groups=%#x}, %llu)",
		 (int)c->args[0], nl.nl_family == AF_NETLINK ? "AF_NETLINK" : "?", nl.nl_pid,
		 nl.nl_groups, (unsigned long long)len);
	if (nl.nl_family != AF_NETLINK) {
		*ret = -EINVAL;
		return 0;
	}
	if (nl.nl_groups &&
	    !(c->caller.cap_effective &
	      ((1ULL << CAP_NET_ADMIN_) | (c->caller.veid ? 1ULL << CAP_VE_ADMIN_ : 0)))) {
		*ret = -EPERM; /* netlink_capable(sock, NL_NONROOT_RECV) */
		return 0;
	}
	*ret = 0;
	/* the module's kernel socket lives in the host's network namespace only */
	if ((nl.nl_groups & VZEVENT_GROUP) && c->caller.veid == 0)
		*ret = listen_at(s, c->tid, (int)c->args[0], ino);
	return 0;
}

void vzevent_broadcast(const char *state_dir, const char *action, unsigned int veid)
{
	char dir[4096], msg[64];
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int n = snprintf(msg, sizeof(msg), "%s@%u", action, veid), sent = 0, fd;
	DIR *d;
	struct dirent *e;

	dir_of(state_dir, dir, sizeof(dir));
	d = opendir(dir);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	while (d && fd >= 0 && (e = readdir(d))) {
		size_t l = strlen(e->d_name);

		if (l < 6 || strcmp(e->d_name + l - 5, ".sock"))
			continue;
		if ((size_t)snprintf(a.sun_path, sizeof(a.sun_path), "%.*s/%s", 100, dir,
				     e->d_name) >= sizeof(a.sun_path))
			continue;
		if (sendto(fd, msg, (size_t)n, MSG_DONTWAIT | MSG_NOSIGNAL, (struct sockaddr *)&a,
			   sizeof(a)) == n)
			sent++;
		else if (errno == ECONNREFUSED)
			unlink(a.sun_path); /* its socket was closed */
	}
	if (fd >= 0)
		close(fd);
	if (d)
		closedir(d);
	trace_raw("%d vzemu: vzevent %s sent to %d listener%s", (int)getpid(), msg, sent,
		  sent == 1 ? "" : "s");
}

/* ve-reboot only when the VE asked for it and reboot_event is set; else ve-stop (§14) */
void vzevent_ve_stopped(struct sup *s, unsigned int veid, bool reboot_asked)
{
	vzevent_broadcast(s->state_dir,
			  reboot_asked && reboot_event(s->state_dir) ? "ve-reboot" : "ve-stop",
			  veid);
}
