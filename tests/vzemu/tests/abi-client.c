// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A minimal OpenVZ client speaking the raw kernel ABI (kernel-abi/), for vzemu's tests.
 * Meant to run under vzemu only: the calls that act on the host (reboot, sethostname) refuse
 * to run unless the process is under a seccomp filter.
 *
 *   abi-client create VEID [--log FILE] [-- CMD ARGS...]
 *       vzctl's sequence: fork; setsid; setluid; setublimit; fork; VZCTL_ENV_CREATE_DATA
 *       {VEID, VE_CREATE|VE_EXCLUSIVE, 0, param3, 32}; the new init execs CMD (default: sleeps
 *       until killed) with stdio on FILE (default /dev/null). Prints "init <pid>".
 *       --on-fail SHELLCMD: when a call fails, the process that called setluid (and so
 *       still holds the beancounter) execs `sh -c SHELLCMD` after printing the error.
 *       --wait: the init's parent stays and reaps it, then prints "init exited N" or
 *       "init killed by signal N" (what wait(2) tells the parent of a VE's init).
 *   abi-client enter VEID [-- CMD ARGS...]  VZCTL_ENV_CREATE {VEID, VE_ENTER}, then exec CMD
 *   abi-client test VEID                  VE_TEST; prints the result
 *   abi-client create-plain VEID          VZCTL_ENV_CREATE with VE_CREATE (oopses a real kernel)
 *   abi-client quota ID DIR               VZ_DQ_CREATE, VZ_DQ_ON(DIR), VZ_DQ_STATUS, VZ_DQ_OFF,
 *                                         VZ_DQ_DESTROY; one line "<cmd> <result|errno>" each
 *   abi-client quotactl CMD ID [DIR]      one first-level command (CMD: create, on, off, status,
 *                                         destroy; create with 1 GiB and 100000 inodes)
 *   abi-client quotactl create ID DIR BCUR BSOFT BHARD ICUR ISOFT IHARD
 *                                         create with this usage and these limits (blocks
 *                                         in 1 KiB units, as /proc/vz/vzquota shows them)
 *   abi-client quota-ugid ID DIR          the second level (every VZ_DQ_UGID_* command) around
 *                                         VZ_DQ_ON, then bad arguments; one line per step
 *   abi-client setublimit ID RES BARRIER LIMIT   setublimit(2); prints "ok"
 *   abi-client ipadd VEID ADDR...         VENETCTL_VE_IP_MAP VE_IP_ADD per IPv4/IPv6 address
 *   abi-client fairsched VEID WEIGHT RATE fairsched_chwt(VEID, WEIGHT), then with RATE > 0
 *                                         fairsched_rate(VEID, FAIRSCHED_SET_RATE, RATE)
 *   abi-client ubstat FUNC ARG1 ARG2 SIZE  ubstat(2) with a SIZE-byte buffer; prints the result
 *   abi-client execveat PATH ARGV0 ARGS... execveat(open(PATH), "", ARGV, AT_EMPTY_PATH), raw
 *   abi-client getluid                    prints getluid()
 *   abi-client reboot halt|poweroff|restart|cad_off  reboot(2)
 *   abi-client sethostname NAME           sethostname(2)
 *   abi-client memfd                      memfd_create(2) (absent on 2.6.32: ENOSYS under vzemu)
 *   abi-client vzevent N [GROUPS]         socket(AF_NETLINK, SOCK_RAW, 31), bind to GROUPS
 *                                         (default 1), print "bound", then print N messages
 *                                         as received (one per line, with their length)
 * Exit status 0 on success, 1 with "error: <call>: <errno name>" otherwise.
 *
 * Before the command: --drop-cap N (repeatable) gives capability N up as a process does it
 * on purpose: prctl(PR_CAPBSET_DROP, N), then capset without N in any set; --raise-cap N
 * asks for N back (capset with N in the permitted and effective sets).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/netlink.h>
#include <arpa/inet.h>
#include <linux/reboot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "errno-name.h"
#include "openvz.h"

static int fail(const char *what)
{
	printf("error: %s: %s\n", what, errno_name(errno));
	fflush(stdout);
	return 1;
}

/* vzevent (kernel-abi.md §14): the payload has no netlink header and no NUL */
static int vzevent_listen(int n, unsigned int groups)
{
	struct sockaddr_nl a = { .nl_family = AF_NETLINK, .nl_groups = groups };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, 31);
	char buf[256];

	if (fd < 0)
		return fail("socket");
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
		return fail("bind");
	printf("bound\n");
	fflush(stdout);
	for (int i = 0; i < n; i++) {
		ssize_t len = recv(fd, buf, sizeof(buf), 0);

		if (len < 0)
			return fail("recv");
		printf("%zd %.*s\n", len, (int)len, buf);
		fflush(stdout);
	}
	return 0;
}

static int under_filter(void)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "re");
	int mode = 0;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "Seccomp: %d", &mode) == 1)
			break;
	if (f)
		fclose(f);
	return mode == 2;
}

static int open_vzctl(void)
{
	int fd = open(OVZ_DEV_VZCTL, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		exit(fail("open " OVZ_DEV_VZCTL));
	return fd;
}

/* VENETCTL_VE_IP_MAP {veid, VE_IP_ADD, addr, addrlen} for each address, as vzctl's ip_ctl */
static int ipadd(unsigned int veid, char **addrs)
{
	int fd = open_vzctl();

	for (; *addrs; addrs++) {
		struct sockaddr_in in4 = { .sin_family = AF_INET };
		struct sockaddr_in6 in6 = { .sin6_family = AF_INET6 };
		struct vzctl_ve_ip_map map = { .veid = veid, .op = VE_IP_ADD };

		if (inet_pton(AF_INET, *addrs, &in4.sin_addr) == 1) {
			map.addr = (struct sockaddr *)&in4;
			map.addrlen = sizeof(in4);
		} else if (inet_pton(AF_INET6, *addrs, &in6.sin6_addr) == 1) {
			map.addr = (struct sockaddr *)&in6;
			map.addrlen = sizeof(in6);
		} else {
			fprintf(stderr, "abi-client: not an address: %s\n", *addrs);
			return 2;
		}
		if (ioctl(fd, VENETCTL_VE_IP_MAP, &map) < 0)
			return fail("VENETCTL_VE_IP_MAP");
	}
	close(fd);
	printf("ok\n");
	return 0;
}

static void run(char **cmd)
{
	if (cmd && cmd[0]) {
		execvp(cmd[0], cmd);
		_exit(127);
	}
	for (;;)
		pause();
}

static const char *on_fail;
static int wait_init;

/* the failing process of `create`: print, then run --on-fail's command if any */
static int create_fail(const char *what)
{
	int r = fail(what);

	if (on_fail)
		execl("/bin/sh", "sh", "-c", on_fail, (char *)NULL);
	return r;
}

static int create(unsigned int veid, const char *log, char **cmd)
{
	int fd = open_vzctl(), p[2], st;
	pid_t c1;

	c1 = fork();
	if (c1 < 0)
		return fail("fork");
	if (c1 == 0) {
		unsigned long lim[2] = { 2752512, 2936012 }, np[2] = { 240, 240 };
		pid_t c2;
		long r;

		if (setsid() < 0)
			_exit(fail("setsid"));
		if (syscall(__NR_setluid, veid) < 0)
			_exit(create_fail("setluid"));
		if (syscall(__NR_setublimit, veid, UB_KMEMSIZE, lim) < 0 ||
		    syscall(__NR_setublimit, veid, UB_NUMPROC, np) < 0)
			_exit(create_fail("setublimit"));
		if (pipe(p) < 0)
			_exit(fail("pipe"));
		c2 = fork();
		if (c2 < 0)
			_exit(fail("fork"));
		if (c2 == 0) {
			env_create_param_t param;
			struct vzctl_env_create_data d;
			int out;

			close(p[0]);
			memset(&param, 0, sizeof(param));
			param.iptables_mask = VE_IP_DEFAULT;
			param.feature_mask = VE_FEATURES_DEF;
			param.known_features = VE_FEATURES_DEF;
			memset(&d, 0, sizeof(d));
			d.veid = veid;
			d.flags = VE_CREATE | VE_EXCLUSIVE;
			d.class_id = 0;
			d.data = &param;
			d.datalen = sizeof(param);
			r = ioctl(fd, VZCTL_ENV_CREATE_DATA, &d);
			r = r < 0 ? -errno : r;
			if (write(p[1], &r, sizeof(r)) != sizeof(r))
				_exit(1);
			if (r < 0)
				_exit(1);
			close(p[1]);
			close(fd);
			out = open(log ? log : "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0644);
			if (out >= 0) {
				dup2(out, 1);
				dup2(out, 2);
				close(out);
			}
			out = open("/dev/null", O_RDONLY);
			if (out >= 0) {
				dup2(out, 0);
				close(out);
			}
			run(cmd);
		}
		close(p[1]);
		if (read(p[0], &r, sizeof(r)) != sizeof(r)) {
			waitpid(c2, &st, 0);
			printf("error: create: init died (status %#x)\n", st);
			_exit(1);
		}
		if (r < 0) {
			waitpid(c2, &st, 0);
			errno = (int)-r;
			_exit(create_fail("VZCTL_ENV_CREATE_DATA"));
		}
		printf("init %d\n", (int)c2);
		printf("created %ld\n", r);
		fflush(stdout);
		if (wait_init) {
			if (waitpid(c2, &st, 0) < 0)
				_exit(fail("waitpid"));
			if (WIFSIGNALED(st))
				printf("init killed by signal %d\n", WTERMSIG(st));
			else
				printf("init exited %d\n", WEXITSTATUS(st));
			fflush(stdout);
		}
		_exit(0);
	}
	close(fd);
	if (waitpid(c1, &st, 0) < 0)
		return fail("waitpid");
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

/* The first-level quota lifecycle of vzquota (kernel-abi.md §6.1) on DIR */
static int quota(unsigned int id, const char *dir)
{
	static const struct {
		int cmd;
		const char *name;
	} steps[] = {
		{ VZ_DQ_CREATE, "VZ_DQ_CREATE" },   { VZ_DQ_ON, "VZ_DQ_ON" },
		{ VZ_DQ_STATUS, "VZ_DQ_STATUS" },   { VZ_DQ_OFF, "VZ_DQ_OFF" },
		{ VZ_DQ_DESTROY, "VZ_DQ_DESTROY" },
	};
	struct vz_quota_stat qs;
	int fd = open_vzctl();

	memset(&qs, 0, sizeof(qs));
	qs.dq_stat.bhardlimit = qs.dq_stat.bsoftlimit = 1ULL << 30;
	qs.dq_stat.ihardlimit = qs.dq_stat.isoftlimit = 100000;
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		struct vzctl_quotactl q = { .cmd = steps[i].cmd, .quota_id = id };
		long r;

		if (steps[i].cmd == VZ_DQ_CREATE)
			q.qstat = &qs;
		if (steps[i].cmd == VZ_DQ_ON)
			q.ve_root = (char *)dir;
		r = ioctl(fd, VZCTL_QUOTA_NEW_CTL, &q);
		if (r < 0)
			printf("%s %s\n", steps[i].name, errno_name(errno));
		else
			printf("%s %ld\n", steps[i].name, r);
	}
	close(fd);
	return 0;
}

static void step(const char *name, long r)
{
	if (r < 0)
		printf("%s %s\n", name, errno_name(errno));
	else
		printf("%s %ld\n", name, r);
}

static long ugid(int fd, int cmd, unsigned int id, unsigned int index, unsigned int size,
		 void *addr)
{
	struct vzctl_quotaugidctl u = {
		.cmd = cmd, .quota_id = id, .ugid_index = index, .ugid_size = size, .addr = addr
	};

	return ioctl(fd, VZCTL_QUOTA_UGID_CTL, &u);
}

static long dq(int fd, int cmd, unsigned int id, struct vz_quota_stat *qs, const char *dir)
{
	struct vzctl_quotactl q = {
		.cmd = cmd, .quota_id = id, .qstat = qs, .ve_root = (char *)dir
	};

	return ioctl(fd, VZCTL_QUOTA_NEW_CTL, &q);
}

/* The second level (vzquota's ugid commands, kernel-abi.md §6.2) on DIR, then bad arguments */
static int quota_ugid(unsigned int id, const char *dir)
{
	struct vz_quota_stat qs;
	struct vz_quota_ugid_stat conf = { .limit = 10, .count = 0, .flags = VZDQUG_ON };
	struct vz_quota_iface rec[10];
	struct dq_info grace[2];
	struct vz_quota_ugid_setlimit lim;
	struct vz_quota_ugid_setinfo inf;
	int fd = open_vzctl();

	memset(&qs, 0, sizeof(qs));
	qs.dq_stat.bhardlimit = qs.dq_stat.bsoftlimit = 1ULL << 30;
	qs.dq_stat.ihardlimit = qs.dq_stat.isoftlimit = 100000;
	memset(rec, 0, sizeof(rec));
	rec[0].qi_id = 1000;
	rec[0].qi_type = USRQUOTA;
	rec[0].qi_stat.bhardlimit = rec[0].qi_stat.bsoftlimit = 1 << 20;
	memset(grace, 0, sizeof(grace));
	grace[0].bexpire = grace[1].bexpire = 600;
	grace[0].iexpire = grace[1].iexpire = 600;
	memset(&lim, 0, sizeof(lim));
	lim.type = USRQUOTA;
	lim.id = 1000;
	lim.dqb.dqb_bhardlimit = lim.dqb.dqb_bsoftlimit = 2048;
	lim.dqb.dqb_valid = QIF_BLIMITS;
	memset(&inf, 0, sizeof(inf));
	inf.type = USRQUOTA;
	inf.dqi.dqi_bgrace = 1200;
	inf.dqi.dqi_valid = IIF_BGRACE;

	step("VZ_DQ_CREATE", dq(fd, VZ_DQ_CREATE, id, &qs, NULL));
	step("VZ_DQ_UGID_SETCONFIG", ugid(fd, VZ_DQ_UGID_SETCONFIG, id, 0, 0, &conf));
	step("VZ_DQ_UGID_ADDSTAT", ugid(fd, VZ_DQ_UGID_ADDSTAT, id, 0, 1, rec));
	step("VZ_DQ_UGID_SETGRACE", ugid(fd, VZ_DQ_UGID_SETGRACE, id, 0, 0, grace));
	memset(rec, 0, sizeof(rec));
	step("VZ_DQ_UGID_GETSTAT", ugid(fd, VZ_DQ_UGID_GETSTAT, id, 0, 10, rec));
	printf("record %u/%u\n", rec[0].qi_id, rec[0].qi_type);
	memset(grace, 0, sizeof(grace));
	step("VZ_DQ_UGID_GETGRACE", ugid(fd, VZ_DQ_UGID_GETGRACE, id, 0, 0, grace));
	printf("grace %ld/%ld\n", grace[0].bexpire, grace[1].iexpire);
	memset(&conf, 0, sizeof(conf));
	step("VZ_DQ_UGID_GETCONFIG", ugid(fd, VZ_DQ_UGID_GETCONFIG, id, 0, 0, &conf));
	printf("config %u %u %#x\n", conf.limit, conf.count, conf.flags);
	step("VZ_DQ_ON", dq(fd, VZ_DQ_ON, id, NULL, dir));
	step("VZ_DQ_UGID_SETLIMIT", ugid(fd, VZ_DQ_UGID_SETLIMIT, id, 0, 0, &lim));
	step("VZ_DQ_UGID_SETINFO", ugid(fd, VZ_DQ_UGID_SETINFO, id, 0, 0, &inf));
	step("VZ_DQ_SETLIMIT", dq(fd, VZ_DQ_SETLIMIT, id, &qs, NULL));
	step("VZ_DQ_GETSTAT", dq(fd, VZ_DQ_GETSTAT, id, &qs, NULL));
	/* bad arguments: vzdq_ugid.c and vzdq_mgmt.c */
	step("ADDSTAT-while-on", ugid(fd, VZ_DQ_UGID_ADDSTAT, id, 0, 1, rec));
	step("GETSTAT-size-0", ugid(fd, VZ_DQ_UGID_GETSTAT, id, 0, 0, rec));
	step("GETSTAT-index-negative", ugid(fd, VZ_DQ_UGID_GETSTAT, id, 0x80000000u, 1, rec));
	step("SETLIMIT-no-quota", ugid(fd, VZ_DQ_UGID_SETLIMIT, id + 1, 0, 0, &lim));
	step("GETCONFIG-no-quota", ugid(fd, VZ_DQ_UGID_GETCONFIG, id + 1, 0, 0, &conf));
	step("UGID-cmd-99", ugid(fd, 99, id, 0, 0, &conf));
	step("DESTROY-while-on", dq(fd, VZ_DQ_DESTROY, id, NULL, NULL));
	step("OFF_FILE-not-file-mode", dq(fd, VZ_DQ_OFF_FILE, id, NULL, NULL));
	step("ON_FILE-id-0", dq(fd, VZ_DQ_ON_FILE, 0, NULL, dir));
	step("VZ_DQ_OFF_FORCED", dq(fd, VZ_DQ_OFF_FORCED, id, NULL, NULL));
	step("VZ_DQ_DESTROY", dq(fd, VZ_DQ_DESTROY, id, NULL, NULL));
	step("CREATE-id-0", dq(fd, VZ_DQ_CREATE, 0, &qs, NULL));
	step("STATUS-no-quota", dq(fd, VZ_DQ_STATUS, id, NULL, NULL));
	step("DESTROY-no-quota", dq(fd, VZ_DQ_DESTROY, id, NULL, NULL));
	step("DQ-cmd-99", dq(fd, 99, id, NULL, NULL));
	close(fd);
	return 0;
}

/* --drop-cap N: prctl(PR_CAPBSET_DROP), then capset without N (security/commoncap.c) */
static int drop_cap(unsigned int cap)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
		return fail("prctl(PR_CAPBSET_DROP)");
	if (syscall(SYS_capget, &h, d) < 0)
		return fail("capget");
	d[cap / 32].effective &= ~(1u << (cap % 32));
	d[cap / 32].permitted &= ~(1u << (cap % 32));
	d[cap / 32].inheritable &= ~(1u << (cap % 32));
	if (syscall(SYS_capset, &h, d) < 0)
		return fail("capset");
	return 0;
}

/* --raise-cap N: capset with N added to the permitted and effective sets */
static int raise_cap(unsigned int cap)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d) < 0)
		return fail("capget");
	d[cap / 32].effective |= 1u << (cap % 32);
	d[cap / 32].permitted |= 1u << (cap % 32);
	if (syscall(SYS_capset, &h, d) < 0)
		return fail("capset");
	return 0;
}

static int env_ioctl(unsigned int veid, unsigned int flags, long *ret)
{
	struct vzctl_env_create e = { .veid = veid, .flags = flags, .class_id = 0 };
	int fd = open_vzctl();

	*ret = ioctl(fd, VZCTL_ENV_CREATE, &e);
	if (*ret < 0)
		*ret = -errno;
	close(fd);
	return *ret < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
	char **cmd = NULL;
	const char *log = NULL;
	unsigned int veid = 0;
	long r;

	while (argc > 2 && (!strcmp(argv[1], "--drop-cap") || !strcmp(argv[1], "--raise-cap"))) {
		if ((!strcmp(argv[1], "--drop-cap") ? drop_cap
						    : raise_cap)((unsigned int)atoi(argv[2])))
			return 1;
		argv += 2;
		argc -= 2;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: see the comment at the top of abi-client.c\n");
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			cmd = argv + i + 1;
			argv[i] = NULL;
			break;
		}
		if (!strcmp(argv[i], "--log") && i + 1 < argc)
			log = argv[++i];

		else if (!strcmp(argv[i], "--on-fail") && i + 1 < argc)
			on_fail = argv[++i];
		else if (!strcmp(argv[i], "--wait"))
			wait_init = 1;
	}
	if (argc > 2 && argv[2])
		veid = (unsigned int)strtoul(argv[2], NULL, 10);

	if (!strcmp(argv[1], "create"))
		return create(veid, log, cmd);
	if (!strcmp(argv[1], "enter")) {
		if (syscall(__NR_setluid, veid) < 0)
			return fail("setluid");
		if (env_ioctl(veid, VE_ENTER, &r) < 0) {
			errno = (int)-r;
			return fail("VZCTL_ENV_CREATE(VE_ENTER)");
		}
		if (!cmd || !cmd[0]) {
			printf("entered %ld\n", r);
			return 0;
		}
		run(cmd);
	}
	if (!strcmp(argv[1], "test")) {
		env_ioctl(veid, VE_TEST, &r);
		printf("%ld\n", r);
		return 0;
	}
	if (!strcmp(argv[1], "create-plain")) {
		if (!under_filter())
			return fprintf(stderr, "refusing: not under vzemu\n"), 2;
		if (env_ioctl(veid, VE_CREATE, &r) < 0) {
			errno = (int)-r;
			return fail("VZCTL_ENV_CREATE(VE_CREATE)");
		}
		printf("%ld\n", r);
		return 0;
	}
	if (!strcmp(argv[1], "quota") && argc > 3)
		return quota(veid, argv[3]);
	if (!strcmp(argv[1], "quotactl") && argc > 3) {
		static const struct {
			const char *n;
			int cmd;
		} cmds[] = {
			{ "create", VZ_DQ_CREATE },   { "on", VZ_DQ_ON },
			{ "off", VZ_DQ_OFF },         { "status", VZ_DQ_STATUS },
			{ "destroy", VZ_DQ_DESTROY },
		};
		struct vz_quota_stat qs;
		int fd = open_vzctl();

		memset(&qs, 0, sizeof(qs));
		qs.dq_stat.bhardlimit = qs.dq_stat.bsoftlimit = 1ULL << 30;
		qs.dq_stat.ihardlimit = qs.dq_stat.isoftlimit = 100000;
		if (argc > 10) {
			qs.dq_stat.bcurrent = strtoull(argv[5], NULL, 10) << 10;
			qs.dq_stat.bsoftlimit = strtoull(argv[6], NULL, 10) << 10;
			qs.dq_stat.bhardlimit = strtoull(argv[7], NULL, 10) << 10;
			qs.dq_stat.icurrent = (uint32_t)strtoul(argv[8], NULL, 10);
			qs.dq_stat.isoftlimit = (uint32_t)strtoul(argv[9], NULL, 10);
			qs.dq_stat.ihardlimit = (uint32_t)strtoul(argv[10], NULL, 10);
		}
		veid = (unsigned int)strtoul(argv[3], NULL, 10);
		for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
			if (!strcmp(argv[2], cmds[i].n)) {
				r = dq(fd, cmds[i].cmd, veid,
				       cmds[i].cmd == VZ_DQ_CREATE ? &qs : NULL,
				       argc > 4 ? argv[4] : NULL);
				if (r < 0)
					return fail(argv[2]);
				printf("%ld\n", r);
				return 0;
			}
		fprintf(stderr, "abi-client: unknown quota command %s\n", argv[2]);
		return 2;
	}
	if (!strcmp(argv[1], "quota-ugid") && argc > 3)
		return quota_ugid(veid, argv[3]);
	if (!strcmp(argv[1], "setublimit") && argc > 5) {
		unsigned long l[2] = { strtoul(argv[4], NULL, 0), strtoul(argv[5], NULL, 0) };

		if (syscall(__NR_setublimit, veid, strtoul(argv[3], NULL, 0), l) < 0)
			return fail("setublimit");
		printf("ok\n");
		return 0;
	}
	if (!strcmp(argv[1], "ipadd") && argc > 3)
		return ipadd(veid, argv + 3);
	if (!strcmp(argv[1], "fairsched") && argc > 4) {
		long rate = strtol(argv[4], NULL, 0);

		if (syscall(__NR_fairsched_chwt, veid, strtoul(argv[3], NULL, 0)) < 0)
			return fail("fairsched_chwt");
		if (rate > 0 && syscall(__NR_fairsched_rate, veid, FAIRSCHED_SET_RATE, rate) < 0)
			return fail("fairsched_rate");
		printf("ok\n");
		return 0;
	}
	if (!strcmp(argv[1], "ubstat") && argc > 5) {
		long size = strtol(argv[5], NULL, 0);
		static char buf[65536];

		r = syscall(__NR_ubstat, (int)strtol(argv[2], NULL, 0), strtoul(argv[3], NULL, 0),
			    strtoul(argv[4], NULL, 0), buf, size);
		if (r < 0)
			return fail("ubstat");
		printf("%ld\n", r);
		return 0;
	}
	if (!strcmp(argv[1], "execveat") && argc > 3) {
		extern char **environ;
		int fd = open(argv[2], O_RDONLY | O_CLOEXEC);

		if (fd < 0)
			return fail("open");
		syscall(SYS_execveat, fd, "", argv + 3, environ, AT_EMPTY_PATH);
		return fail("execveat");
	}
	if (!strcmp(argv[1], "getluid")) {
		r = syscall(__NR_getluid);
		if (r < 0)
			return fail("getluid");
		printf("%ld\n", r);
		return 0;
	}
	if (!strcmp(argv[1], "reboot") && argc > 2) {
		unsigned int c = !strcmp(argv[2], "halt")       ? LINUX_REBOOT_CMD_HALT
				 : !strcmp(argv[2], "poweroff") ? LINUX_REBOOT_CMD_POWER_OFF
				 : !strcmp(argv[2], "restart")  ? LINUX_REBOOT_CMD_RESTART
								: LINUX_REBOOT_CMD_CAD_OFF;

		if (!under_filter())
			return fprintf(stderr, "refusing: not under vzemu\n"), 2;
		if (syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, c, NULL) < 0)
			return fail("reboot");
		printf("reboot returned 0\n");
		return 0;
	}
	if (!strcmp(argv[1], "sethostname") && argc > 2) {
		if (!under_filter())
			return fprintf(stderr, "refusing: not under vzemu\n"), 2;
		if (sethostname(argv[2], strlen(argv[2])) < 0)
			return fail("sethostname");
		printf("ok\n");
		return 0;
	}
	if (!strcmp(argv[1], "vzevent") && argc > 2)
		return vzevent_listen(atoi(argv[2]), argc > 3 ? (unsigned)atoi(argv[3]) : 1);
	if (!strcmp(argv[1], "memfd")) {
		if (syscall(SYS_memfd_create, "x", 0) < 0)
			return fail("memfd_create");
		printf("ok\n");
		return 0;
	}
	fprintf(stderr, "abi-client: unknown command %s\n", argv[1]);
	return 2;
}
