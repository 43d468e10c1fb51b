// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The frame of `abi-client cases` (abi-cases.h): the callers (children in a given state),
 * the case lines and their count, and a VE started the way vzctl starts one.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/reboot.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/netlink.h>

#include "abi-cases.h"
#include "abi-errname.h"
#include "openvz.h"

int abi_vzfd = -1;
void *abi_unmapped;

/* shared by every process of the run (children report their cases too) */
static struct {
	int pass, fail;
} * count;

/* a child that gave no result: this plus its wait status */
#define DIED (-1000000L)

static const char *show(long v, char *buf, size_t len)
{
	if (v <= DIED)
		snprintf(buf, len, "caller died (status %#lx)", (unsigned long)(DIED - v));
	else if (v < 0 && v > -4096)
		snprintf(buf, len, "%s", abi_errno_name((int)-v));
	else
		snprintf(buf, len, "%ld", v);
	return buf;
}

void abi_expect(const char *name, long got, long want)
{
	char g[64], w[64];

	if (got == want) {
		__atomic_add_fetch(&count->pass, 1, __ATOMIC_SEQ_CST);
		printf("ok   - %s\n", name);
		return;
	}
	__atomic_add_fetch(&count->fail, 1, __ATOMIC_SEQ_CST);
	printf("FAIL - %s: got %s want %s\n", name, show(got, g, sizeof(g)),
	       show(want, w, sizeof(w)));
}

void abi_truth(const char *name, int ok, const char *detail)
{
	if (ok) {
		__atomic_add_fetch(&count->pass, 1, __ATOMIC_SEQ_CST);
		printf("ok   - %s\n", name);
		return;
	}
	__atomic_add_fetch(&count->fail, 1, __ATOMIC_SEQ_CST);
	printf("FAIL - %s: got %s\n", name, detail);
}

long abi_call(long nr, long a0, long a1, long a2, long a3, long a4)
{
	long r;

	if (nr == ABI_IOCTL) {
		r = ioctl(abi_vzfd, (unsigned long)a0, (void *)a1);
	} else if (nr == ABI_OPEN_RO) {
		r = open((const char *)a0, O_RDONLY | O_CLOEXEC);
		if (r >= 0)
			r = close((int)r);
	} else if (nr == ABI_NL_BIND) {
		struct sockaddr_nl a = { .nl_family = AF_NETLINK, .nl_groups = (unsigned)a0 };
		int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, 31);

		r = fd < 0 ? -1 : bind(fd, (struct sockaddr *)&a, sizeof(a));
		if (fd >= 0)
			close(fd);
	} else

		r = syscall(nr, a0, a1, a2, a3, a4);
	return r < 0 ? -errno : r;
}

long abi_env(unsigned int veid, unsigned int flags)
{
	struct vzctl_env_create e = { .veid = veid, .flags = flags, .class_id = 0 };

	return abi_call(ABI_IOCTL, (long)VZCTL_ENV_CREATE, (long)&e, 0, 0, 0);
}

long abi_env_data(unsigned int veid, unsigned int flags, void *data, int datalen)
{
	struct vzctl_env_create_data d;

	memset(&d, 0, sizeof(d));
	d.veid = veid;
	d.flags = flags;
	d.data = data;
	d.datalen = datalen;
	return abi_call(ABI_IOCTL, (long)VZCTL_ENV_CREATE_DATA, (long)&d, 0, 0, 0);
}

/* the bounding set first (vzemu records a drop there), then capset (security/commoncap.c) */
int abi_drop_caps(uint64_t keep)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	for (unsigned int c = 0; c < 64; c++)
		if (!(keep >> c & 1) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 && errno != EINVAL)
			return -errno;
	memset(d, 0, sizeof(d));
	d[0].effective = d[0].permitted = (uint32_t)keep;
	d[1].effective = d[1].permitted = (uint32_t)(keep >> 32);
	if (syscall(SYS_capset, &h, d) < 0)
		return -errno;
	return 0;
}

static void *blocked_thread(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

/* setsid, then open a pty's slave without O_NOCTTY: it becomes the controlling tty */
static long take_ctty(void)
{
	int m, s;

	if (setsid() < 0)
		return -errno;
	m = open("/dev/ptmx", O_RDWR | O_NOCTTY);
	if (m < 0 || grantpt(m) < 0 || unlockpt(m) < 0)
		return -errno;
	s = open(ptsname(m), O_RDWR);
	if (s < 0)
		return -errno;
	return 0;
}

long abi_as(enum abi_who who, unsigned int veid, long nr, long a0, long a1, long a2, long a3,
	    long a4)
{
	int p[2], st;
	long r = 0;
	pid_t c;

	if (pipe(p) < 0)
		return -errno;
	fflush(stdout);
	c = fork();
	if (c < 0)
		return -errno;
	if (c == 0) {
		pthread_t t;
		pid_t kid = -1;

		close(p[0]);
		if (who == AS_NOCAP)
			r = abi_drop_caps(0);
		else if (who == AS_VEADMIN)
			r = abi_drop_caps(1ULL << CAP_VE_ADMIN);
		else if (who == AS_IN_VE)
			r = abi_env(veid, VE_ENTER) == (long)veid ? 0 : -ENOTRECOVERABLE;
		else if (who == AS_THREADED)
			r = -pthread_create(&t, NULL, blocked_thread, NULL);
		else if (who == AS_CTTY)
			r = take_ctty();
		else if (who == AS_NOT_ALONE)
			r = setsid() < 0 ? -errno : (kid = fork()) < 0 ? -errno : 0;
		if (kid == 0)
			for (;;)
				pause();
		if (r == 0)
			r = abi_call(nr, a0, a1, a2, a3, a4);
		if (kid > 0) {
			kill(kid, SIGKILL);
			waitpid(kid, NULL, 0);
		}
		if (write(p[1], &r, sizeof(r)) != sizeof(r))
			_exit(1);
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], &r, sizeof(r)) != sizeof(r))
		r = DIED;
	close(p[0]);
	if (waitpid(c, &st, 0) < 0)
		st = 0;
	return r == DIED ? DIED - st : r;
}

/* pipe records from the holder and the init to the test process */
struct rec {
	char tag;
	long val;
};

static void report(int fd, char tag, long val)
{
	struct rec r = { tag, val };

	if (write(fd, &r, sizeof(r)) != sizeof(r))
		_exit(9);
}

static long expect_rec(int fd, char tag)
{
	struct rec r;

	if (read(fd, &r, sizeof(r)) != sizeof(r) || r.tag != tag)
		return DIED;
	return r.val;
}

/* the init's order loop: 'f' forks waiting children until a fork fails ('n': their count
 * * 4096 + the errno of the refused fork), 'k' kills them ('k'), 'x' exits, 'h' calls
 * reboot(HALT) */
static void init_loop(unsigned int veid, int up, int down)
{
	static pid_t kids[256];
	int nkids = 0;
	char c;

	while (read(down, &c, 1) == 1) {
		if (c == 'f') {
			long n = 0, err = 0;

			while (nkids < 256) {
				pid_t k = fork();

				if (k < 0) {
					err = -errno;
					break;
				}
				if (k == 0)
					for (;;)
						pause();
				kids[nkids++] = k;
				n++;
			}
			report(up, 'n', n * 4096 - err);
		} else if (c == 'k') {
			for (int i = 0; i < nkids; i++) {
				kill(kids[i], SIGKILL);
				waitpid(kids[i], NULL, 0);
			}
			nkids = 0;
			report(up, 'k', 0);
		} else if (c == 'h' && abi_env(0, 0) == (long)veid) {
			/* in a VE only: flags 0 returns the caller's VE id */
			syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
				LINUX_REBOOT_CMD_HALT, NULL);
			_exit(3);
		} else {
			_exit(0);
		}
	}
	_exit(0);
}

long abi_ve_start(struct abi_ve *ve, unsigned int veid, unsigned int flags,
		  void (*in_ve)(unsigned int veid))
{
	int up[2], down[2];
	long r;

	if (pipe(up) < 0)
		return -errno;
	if (pipe(down) < 0)
		return -errno;
	fflush(stdout);
	ve->holder = fork();
	if (ve->holder < 0)
		return -errno;
	if (ve->holder == 0) {
		/* vzctl: setsid, setluid, setublimit, fork, create in the child */
		unsigned long big[2] = { 0x7fffffffffffffffUL, 0x7fffffffffffffffUL };
		unsigned long np[2] = { 40, 40 };
		env_create_param_t param;
		int st;
		pid_t init;

		cpu_set_t one;

		close(up[0]);
		close(down[1]);
		/* one CPU for the bc's every task: one per-CPU numproc precharge (numproc cases) */
		CPU_ZERO(&one);
		CPU_SET(sched_getcpu() < 0 ? 0 : sched_getcpu(), &one);
		sched_setaffinity(0, sizeof(one), &one);
		if (setsid() < 0 || syscall(__NR_setluid, veid) < 0 ||
		    syscall(__NR_setublimit, veid, UB_KMEMSIZE, big) < 0 ||
		    syscall(__NR_setublimit, veid, UB_NUMPROC, np) < 0) {
			report(up[1], 'c', -errno);
			report(up[1], 'w', 0);
			_exit(1);
		}
		init = fork();
		if (init == 0) {
			memset(&param, 0, sizeof(param));
			param.iptables_mask = VE_IP_DEFAULT;
			param.feature_mask = VE_FEATURES_DEF;
			param.known_features = VE_FEATURES_DEF;
			r = abi_env_data(veid, flags, &param, sizeof(param));
			report(up[1], 'c', r);
			if (r < 0)
				_exit(1);
			if (in_ve)
				in_ve(veid);
			fflush(stdout);
			report(up[1], 'r', 0);
			init_loop(veid, up[1], down[0]);
		}
		close(down[0]);
		if (init < 0 || waitpid(init, &st, 0) < 0)
			st = -1;
		report(up[1], 'w', st);
		_exit(0);
	}
	close(up[1]);
	close(down[0]);
	ve->veid = veid;
	ve->up = up[0];
	ve->down = down[1];
	r = expect_rec(ve->up, 'c');
	if (r >= 0 && expect_rec(ve->up, 'r') == 0)
		return 0;
	if (r >= 0)
		r = DIED;
	expect_rec(ve->up, 'w');
	waitpid(ve->holder, NULL, 0);
	close(ve->up);
	close(ve->down);
	return r;
}

/* an order to the init and its answer (TAG) */
long abi_ve_order(struct abi_ve *ve, char order, char tag)
{
	if (write(ve->down, &order, 1) != 1)
		return DIED;
	return expect_rec(ve->up, tag);
}

int abi_ve_stop(struct abi_ve *ve, char how)
{
	long st;

	if (write(ve->down, &how, 1) != 1)
		return -1;
	st = expect_rec(ve->up, 'w');
	waitpid(ve->holder, NULL, 0);
	close(ve->up);
	close(ve->down);
	return (int)st;
}

int abi_cases(int argc, char **argv)
{
	const char *dir = "/tmp";
	long page = sysconf(_SC_PAGESIZE);

	for (int i = 0; i < argc; i++)
		if (!strcmp(argv[i], "--dir") && i + 1 < argc)
			dir = argv[++i];
	setvbuf(stdout, NULL, _IOLBF, 0);
	count = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	abi_unmapped = mmap(NULL, (size_t)page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (count == MAP_FAILED || abi_unmapped == MAP_FAILED ||
	    munmap(abi_unmapped, (size_t)page) < 0) {
		perror("abi-client cases: mmap");
		return 2;
	}
	abi_vzfd = open(OVZ_DEV_VZCTL, O_RDWR | O_CLOEXEC);
	if (abi_vzfd < 0) {
		perror("abi-client cases: open " OVZ_DEV_VZCTL);
		return 2;
	}
	abi_cases_env();
	abi_cases_ubc();
	abi_cases_fairsched();
	abi_cases_quota(dir);
	abi_cases_ve_life();
	printf("SUITE abi-cases: %d passed, %d failed\n", count->pass, count->fail);
	return count->fail ? 1 : 0;
}
