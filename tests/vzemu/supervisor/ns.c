// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Namespaces of emulated VEs.
 *
 * A VE is a set of real PID, UTS, IPC and network namespaces (made for the VE's init at its
 * creation, see ptrace.c), with a "venet0" stand-in device in the network namespace. The registry in
 * <state>/supervisor/ve-<veid> records the init (pid and start time, against pid reuse) and
 * the namespace inode numbers, so that every supervisor working on the same state directory
 * can tell which VE a process is in (by its network namespace) and can enter a VE created by
 * another run.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "vzemu.h"

int ns_ino(pid_t pid, const char *ns, uint64_t *ino)
{
	char p[64];
	struct stat st;

	snprintf(p, sizeof(p), "/proc/%d/ns/%s", (int)pid, ns);
	if (stat(p, &st) < 0)
		return -errno;
	*ino = st.st_ino;
	return 0;
}

static void nla_put(struct nlmsghdr *h, unsigned short type, const void *data, size_t len)
{
	struct rtattr *rta = (struct rtattr *)((char *)h + NLMSG_ALIGN(h->nlmsg_len));

	rta->rta_type = type;
	rta->rta_len = (unsigned short)RTA_LENGTH(len);
	if (len)
		memcpy(RTA_DATA(rta), data, len);
	h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + RTA_ALIGN(rta->rta_len);
}

static int newlink(int netns_fd, const char *kind, unsigned int flags)
{
	struct {
		struct nlmsghdr h;
		struct ifinfomsg i;
		char buf[512];
	} req;
	char ans[4096];
	struct rtattr *li;
	int fd, r;
	uint32_t nsfd = (uint32_t)netns_fd;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg));
	req.h.nlmsg_type = RTM_NEWLINK;
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK;
	req.i.ifi_family = AF_UNSPEC;
	req.i.ifi_flags = flags;
	req.i.ifi_change = flags;
	nla_put(&req.h, IFLA_IFNAME, "venet0", 7);
	nla_put(&req.h, IFLA_NET_NS_FD, &nsfd, sizeof(nsfd));
	li = (struct rtattr *)((char *)&req + NLMSG_ALIGN(req.h.nlmsg_len));
	nla_put(&req.h, IFLA_LINKINFO, NULL, 0);
	nla_put(&req.h, IFLA_INFO_KIND, kind, strlen(kind) + 1);
	li->rta_len = (unsigned short)((char *)&req + req.h.nlmsg_len - (char *)li);

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	if (sendto(fd, &req, req.h.nlmsg_len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	r = (int)recv(fd, ans, sizeof(ans), 0);
	close(fd);
	if (r < (int)NLMSG_LENGTH(sizeof(struct nlmsgerr)))
		return -EIO;
	if (((struct nlmsghdr *)ans)->nlmsg_type != NLMSG_ERROR)
		return -EIO;
	return ((struct nlmsgerr *)NLMSG_DATA(ans))->error;
}

/*
 * venet0 in the network namespace of `pid`: a dummy device (ifb where the dummy driver is
 * missing), NOARP like venet. Created from here with IFLA_NET_NS_FD, so nothing touches the
 * host's namespace.
 */
int ns_add_venet(pid_t pid)
{
	static const char *kinds[] = { "dummy", "ifb" };
	char p[64];
	int fd, r = -EOPNOTSUPP;

	snprintf(p, sizeof(p), "/proc/%d/ns/net", (int)pid);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		r = newlink(fd, kinds[i], IFF_NOARP);
		if (r == 0 || r == -EEXIST)
			break;
	}
	close(fd);
	return r == -EEXIST ? 0 : r;
}

struct reg_ent {
	unsigned int veid;
	pid_t init;
	unsigned long long start;
	uint64_t net, uts, ipc;
};

static int reg_read(struct sup *s, unsigned int veid, struct reg_ent *e)
{
	char p[4200];
	FILE *f;
	int n;

	snprintf(p, sizeof(p), "%s/ve-%u", s->regdir, veid);
	f = fopen(p, "re");
	if (!f)
		return -errno;
	memset(e, 0, sizeof(*e));
	e->veid = veid;
	n = fscanf(f, "%d %llu %lu %lu %lu", &e->init, &e->start, &e->net, &e->uts, &e->ipc);
	fclose(f);
	return n == 5 ? 0 : -EINVAL;
}

int reg_write(struct sup *s, unsigned int veid, pid_t init, uint64_t net, uint64_t uts,
	      uint64_t ipc)
{
	char p[4200], t[4200];
	FILE *f;

	mkdir(s->regdir, 0700);
	snprintf(p, sizeof(p), "%s/ve-%u", s->regdir, veid);
	snprintf(t, sizeof(t), "%s/.ve-%u.%d", s->regdir, veid, (int)getpid());
	f = fopen(t, "we");
	if (!f)
		return -errno;
	fprintf(f, "%d %llu %lu %lu %lu\n", (int)init, proc_starttime(init), (unsigned long)net,
		(unsigned long)uts, (unsigned long)ipc);
	if (fclose(f) != 0 || rename(t, p) < 0)
		return -errno;
	return 0;
}

void reg_remove(struct sup *s, unsigned int veid)
{
	char p[4200];

	snprintf(p, sizeof(p), "%s/ve-%u", s->regdir, veid);
	unlink(p);
}

int reg_find_init(struct sup *s, unsigned int veid, pid_t *init)
{
	struct reg_ent e;
	int r = reg_read(s, veid, &e);

	if (r < 0)
		return r;
	if (proc_starttime(e.init) != e.start)
		return -ESRCH;
	*init = e.init;
	return 0;
}

int reg_ve_inos(struct sup *s, unsigned int veid, uint64_t *net, uint64_t *uts, uint64_t *ipc)
{
	struct reg_ent e;
	int r = reg_read(s, veid, &e);

	if (r < 0)
		return r;
	*net = e.net;
	*uts = e.uts;
	*ipc = e.ipc;
	return 0;
}

/* The VE `pid` is in: 0 for the host (and for namespaces vzemu did not make) */
unsigned int reg_veid_of(struct sup *s, pid_t pid)
{
	unsigned int veid = 0;
	uint64_t net = 0;
	struct dirent *d;
	DIR *dir;

	if (ns_ino(pid, "net", &net) < 0 || net == s->host_net_ino)
		return 0;
	dir = opendir(s->regdir);
	if (!dir)
		return 0;
	while ((d = readdir(dir))) {
		struct reg_ent e;
		unsigned int id;

		if (sscanf(d->d_name, "ve-%u", &id) != 1)
			continue;
		if (reg_read(s, id, &e) == 0 && e.net == net) {
			veid = id;
			break;
		}
	}
	closedir(dir);
	return veid;
}

static int grow(int **a, int *cap)
{
	int n = *cap ? 2 * *cap : 8;
	int *t = realloc(*a, (size_t)n * sizeof(**a));

	if (!t)
		return -ENOMEM;
	*a = t;
	*cap = n;
	return 0;
}

/* Processes (thread groups) whose network namespace is `net`; optionally SIGKILL them */
int ve_count_procs(uint64_t net, uint64_t uts, bool kill_them)
{
	struct dirent *d;
	DIR *dir = opendir("/proc");
	int n = 0;

	(void)uts;
	if (!dir)
		return 0;
	while ((d = readdir(dir))) {
		pid_t pid = (pid_t)atoi(d->d_name);
		uint64_t ino;

		if (pid <= 0 || pid == getpid())
			continue;
		if (ns_ino(pid, "net", &ino) < 0 || ino != net)
			continue;
		n++;
		if (kill_them)
			kill(pid, SIGKILL);
	}
	closedir(dir);
	return n;
}

/*
 * SIGKILL every process in the network namespace `net` and return pidfds of them (malloc()ed
 * in *pidfds), to wait for their end without polling. Normally there is none: every process
 * of a VE is in its PID namespace, which the kernel empties before its init's exit is reported.
 */
int ve_kill_collect(uint64_t net, int **pidfds)
{
	struct dirent *d;
	DIR *dir = opendir("/proc");
	int n = 0, cap = 0;

	*pidfds = NULL;
	if (!dir)
		return 0;
	while ((d = readdir(dir))) {
		pid_t pid = (pid_t)atoi(d->d_name);
		uint64_t ino;
		int fd;

		if (pid <= 0 || pid == getpid())
			continue;
		if (ns_ino(pid, "net", &ino) < 0 || ino != net)
			continue;
		fd = (int)syscall(SYS_pidfd_open, pid, 0);
		if (fd < 0)
			continue; /* gone already */
		if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0 || (n == cap && grow(pidfds, &cap) < 0)) {
			kill(pid, SIGKILL);
			close(fd);
			continue;
		}
		syscall(SYS_pidfd_send_signal, fd, SIGKILL, NULL, 0);
		(*pidfds)[n++] = fd;
	}
	closedir(dir);
	return n;
}

/* --reset: the processes of every registered VE go with the state */
void reg_reset(const char *state_dir)
{
	struct sup tmp;
	struct dirent *d;
	DIR *dir;

	memset(&tmp, 0, sizeof(tmp));
	snprintf(tmp.regdir, sizeof(tmp.regdir), "%s/supervisor", state_dir);
	dir = opendir(tmp.regdir);
	if (!dir)
		return;
	while ((d = readdir(dir))) {
		struct reg_ent e;
		unsigned int id;

		if (sscanf(d->d_name, "ve-%u", &id) != 1)
			continue;
		if (reg_read(&tmp, id, &e) == 0)
			ve_count_procs(e.net, e.uts, true);
		reg_remove(&tmp, id);
	}
	closedir(dir);
}
