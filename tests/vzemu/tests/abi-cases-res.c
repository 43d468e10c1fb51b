// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Cases of `abi-client cases`: beancounters (getluid, setluid, setublimit, ubstat,
 * /proc/user_beancounters) and the fair scheduler (fairsched_*, /proc/fairsched2), by real
 * calls from the test process and from children that gave their capabilities up.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi-cases.h"
#include "abi-proc.h"
#include "openvz.h"

#define BC      4242 /* held by a child for these cases */
#define BC_NONE 4244 /* never exists */
#define NODE    4300 /* fairsched node made here */

/* a child that calls setluid(ID) twice and getluid, reports, then holds the bc until told */
struct holder {
	pid_t pid;
	int down;
	long first, again, luid;
};

static int hold_bc(struct holder *h, unsigned int id)
{
	int up[2], down[2];
	long r[3];
	char c;

	if (pipe(up) < 0 || pipe(down) < 0)
		return -1;
	fflush(stdout);
	h->pid = fork();
	if (h->pid == 0) {
		close(up[0]);
		close(down[1]);
		r[0] = abi_call(__NR_setluid, id, 0, 0, 0, 0);
		r[1] = abi_call(__NR_setluid, id, 0, 0, 0, 0);
		r[2] = abi_call(__NR_getluid, 0, 0, 0, 0, 0);
		if (write(up[1], r, sizeof(r)) != sizeof(r))
			_exit(1);
		if (read(down[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(up[1]);
	close(down[0]);
	h->down = down[1];
	if (h->pid < 0 || read(up[0], r, sizeof(r)) != sizeof(r))
		r[0] = r[1] = r[2] = -ECHILD;
	close(up[0]);
	h->first = r[0];
	h->again = r[1];
	h->luid = r[2];
	return 0;
}

static void release(struct holder *h)
{
	close(h->down);
	waitpid(h->pid, NULL, 0);
}

static long setub(enum abi_who who, unsigned int id, long res, unsigned long bar, unsigned long lim)
{
	static unsigned long l[2];

	l[0] = bar;
	l[1] = lim;
	return abi_as(who, 0, __NR_setublimit, id, res, (long)l, 0, 0);
}

static void cases_ubstat(void)
{
	static long buf[1024];
	static struct {
		long maxinterval;
		int signum;
	} notif = { 10, 0 };
	long r;
	int found0 = 0, found = 0;

	abi_expect("do_ubstat: UBPARMNUM without caps",
		   abi_as(AS_NOCAP, 0, __NR_ubstat, UBSTAT_UBPARMNUM, 0, 0, 0, 0), UB_RESOURCES);
	r = abi_as(AS_NOCAP, 0, __NR_ubstat, UBSTAT_UBLIST, 0, 0, (long)buf, sizeof(buf));
	abi_truth("ubstat_get_list: no capability needed", r > 0, "an error");
	r = abi_call(__NR_ubstat, UBSTAT_UBLIST, 0, 0, (long)buf, sizeof(buf));
	for (long i = 0; r > 0 && i < r / 8; i++) {
		found0 |= buf[i] == 0;
		found |= buf[i] == BC;
	}
	abi_truth("ubstat_get_list: one long per bc, 0 and the held bc listed",
		  r > 0 && r % 8 == 0 && found0 && found, "a list without them");
	abi_expect("ubstat_get_list: truncated to size",
		   abi_call(__NR_ubstat, UBSTAT_UBLIST, 0, 0, (long)buf, 8), 8);
	abi_expect("do_ubstat: GETTIME without DAC caps -> EPERM",
		   abi_as(AS_NOCAP, 0, __NR_ubstat, UBSTAT_GETTIME, 0, (long)&notif, (long)buf, 24),
		   -EPERM);
	abi_expect("ubstat_gettime: 24 bytes",
		   abi_call(__NR_ubstat, UBSTAT_GETTIME, 0, (long)&notif, (long)buf, 100), 24);
	abi_expect("do_ubstat: READ unknown bc -> ESRCH",
		   abi_call(__NR_ubstat, UBSTAT_READ_ALL, BC_NONE, (long)&notif, (long)buf, 4096),
		   -ESRCH);
	abi_expect("ubstat_get_stat: READ_ONE res 25 -> EINVAL",
		   abi_call(__NR_ubstat, UBSTAT_READ_ONE | 25, BC, (long)&notif, (long)buf, 4096),
		   -EINVAL);
	abi_expect("ubstat_get_stat: unknown command -> EINVAL",
		   abi_call(__NR_ubstat, 0x70000, BC, (long)&notif, (long)buf, 4096), -EINVAL);
	abi_expect("ubstat_do_read_all: 16 + 25*16 bytes",
		   abi_call(__NR_ubstat, UBSTAT_READ_ALL, BC, (long)&notif, (long)buf, 4096), 416);
	abi_expect("ubstat_do_read_full: truncated to size",
		   abi_call(__NR_ubstat, UBSTAT_READ_FULL, BC, (long)&notif, (long)buf, 100), 100);
	abi_expect("ubstat_do_read_full: kmemsize barrier at offset 16", buf[2], 14372700);
	abi_expect("do_ubstat: unreadable arg2 -> EFAULT",
		   abi_call(__NR_ubstat, UBSTAT_READ_ONE, BC, (long)abi_unmapped, (long)buf, 4096),
		   -EFAULT);
	notif.maxinterval = 0;
	abi_expect("ubstat_handle_notifrq: maxinterval 0 -> EINVAL",
		   abi_call(__NR_ubstat, UBSTAT_GETTIME, 0, (long)&notif, (long)buf, 24), -EINVAL);
}

void abi_cases_ubc(void)
{
	struct holder h;
	char detail[256];

	abi_expect("sys_getluid: host process without setluid -> 0",
		   abi_call(__NR_getluid, 0, 0, 0, 0, 0), 0);
	abi_expect("sys_setluid: -1 -> EINVAL before the capability",
		   abi_as(AS_NOCAP, 0, __NR_setluid, 0xffffffffL, 0, 0, 0, 0), -EINVAL);
	abi_expect("sys_setluid: no CAP_SETUID -> EPERM",
		   abi_as(AS_NOCAP, 0, __NR_setluid, BC, 0, 0, 0, 0), -EPERM);
	if (hold_bc(&h, BC) < 0)
		return;
	abi_expect("sys_setluid: creates the bc", h.first, 0);
	abi_expect("sys_setluid: repeated on the host is accepted", h.again, 0);
	abi_expect("sys_getluid: the id after setluid", h.luid, BC);
	abi_expect("sys_setublimit: copy fault first, even without caps",
		   abi_as(AS_NOCAP, 0, __NR_setublimit, BC, 0, (long)abi_unmapped, 0, 0), -EFAULT);
	abi_expect("do_setublimit: no CAP_SYS_RESOURCE -> EPERM",
		   setub(AS_NOCAP, BC, UB_KMEMSIZE, 14372700, 14790164), -EPERM);
	abi_expect("do_setublimit: resource 25 -> EINVAL", setub(AS_HOST, BC, 25, 1, 1), -EINVAL);
	abi_expect("do_setublimit: bc absent -> ENOENT", setub(AS_HOST, BC_NONE, 0, 1, 1), -ENOENT);
	abi_expect("do_setublimit: kmemsize", setub(AS_HOST, BC, UB_KMEMSIZE, 14372700, 14790164),
		   0);
	abi_expect("do_setublimit: barrier > UB_MAXVALUE -> EINVAL",
		   setub(AS_HOST, BC, UB_KMEMSIZE, 0x8000000000000000UL, 1), -EINVAL);
	abi_expect("do_setublimit: barrier > limit accepted",
		   setub(AS_HOST, BC, UB_NUMPROC, 240, 100), 0);
	abi_expect("do_setublimit: dummy resource accepted", setub(AS_HOST, BC, UB_DUMMY, 240, 100),
		   0);
	/* kernel/bc/proc.c: ub_show_res (§13.1) */
	abi_proc_ubc_row(BC, "kmemsize", detail, sizeof(detail));
	abi_truth("ub_show_res: kmemsize barrier and limit as set",
		  strstr(detail, " 14372700 14790164 ") != NULL, detail);
	abi_proc_ubc_row(BC, "numproc", detail, sizeof(detail));
	abi_truth("ub_show_res: barrier above limit shown as stored",
		  strstr(detail, " 240 100 ") != NULL, detail);
	abi_proc_ubc_row(BC, "dummy", detail, sizeof(detail));
	abi_truth("ub_show_dummy: stored barrier/limit", strstr(detail, " 240 100 ") != NULL,
		  detail);
	abi_expect("/proc/user_beancounters: open without DAC caps -> EACCES",
		   abi_as(AS_NOCAP, 0, ABI_OPEN_RO, (long)"/proc/user_beancounters", 0, 0, 0, 0),
		   -EACCES);
	cases_ubstat();
	release(&h);
}

void abi_cases_fairsched(void)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	static unsigned long mask[64];
	char detail[256];

	abi_expect("sys_fairsched_mknod: no caps -> EPERM",
		   abi_as(AS_NOCAP, 0, __NR_fairsched_mknod, 0, 500, NODE, 0, 0), -EPERM);
	abi_expect("sys_fairsched_mknod: weight 0 -> EINVAL",
		   abi_call(__NR_fairsched_mknod, 0, 0, NODE, 0, 0), -EINVAL);
	abi_expect("sys_fairsched_mknod: weight 65536 -> EINVAL",
		   abi_call(__NR_fairsched_mknod, 0, 65536, NODE, 0, 0), -EINVAL);
	abi_expect("sys_fairsched_mknod: newid > INT_MAX -> EINVAL",
		   abi_call(__NR_fairsched_mknod, 0, 500, 0x80000000L, 0, 0), -EINVAL);
	abi_expect("sys_fairsched_mknod: newid 0 names the host -> EEXIST",
		   abi_call(__NR_fairsched_mknod, 0, 500, 0, 0, 0), -EEXIST);
	abi_expect("sys_fairsched_mknod: creates the node",
		   abi_call(__NR_fairsched_mknod, 0, 7, NODE, 0, 0), NODE);
	abi_expect("sys_fairsched_mknod: exists -> EEXIST",
		   abi_call(__NR_fairsched_mknod, 0, 500, NODE, 0, 0), -EEXIST);
	abi_proc_fairsched2_row(NODE, detail, sizeof(detail));
	abi_truth("sys_fairsched_mknod: weight validated only (default 500)",
		  !strncmp(detail, "500 0 ", 6), detail);
	abi_expect("sys_fairsched_chwt: id 0 -> EINVAL",
		   abi_call(__NR_fairsched_chwt, 0, 10, 0, 0, 0), -EINVAL);
	abi_expect("sys_fairsched_chwt: weight 0 before lookup -> EINVAL",
		   abi_call(__NR_fairsched_chwt, NODE + 1, 0, 0, 0, 0), -EINVAL);
	abi_expect("sys_fairsched_chwt: no node -> ENOENT",
		   abi_call(__NR_fairsched_chwt, NODE + 1, 10, 0, 0, 0), -ENOENT);
	abi_expect("sys_fairsched_chwt: weight 1000",
		   abi_call(__NR_fairsched_chwt, NODE, 1000, 0, 0, 0), 0);
	abi_expect("sys_fairsched_chwt: host node via INT_MAX",
		   abi_call(__NR_fairsched_chwt, FAIRSCHED_HOST_NODE, 500, 0, 0, 0), 0);
	abi_expect("sys_fairsched_rate: unknown op on a missing node -> ENOENT",
		   abi_call(__NR_fairsched_rate, NODE + 1, 7, 1, 0, 0), -ENOENT);
	abi_expect("sys_fairsched_rate: unknown op -> EINVAL after lookup",
		   abi_call(__NR_fairsched_rate, NODE, 7, 1, 0, 0), -EINVAL);
	abi_expect("sys_fairsched_rate: SET 0 -> EINVAL",
		   abi_call(__NR_fairsched_rate, NODE, FAIRSCHED_SET_RATE, 0, 0, 0), -EINVAL);
	abi_expect("sys_fairsched_rate: id 0 -> EINVAL",
		   abi_call(__NR_fairsched_rate, 0, FAIRSCHED_GET_RATE, 0, 0, 0), -EINVAL);
	abi_expect("sys_fairsched_rate: GET without rate -> ENODATA",
		   abi_call(__NR_fairsched_rate, NODE, FAIRSCHED_GET_RATE, 0, 0, 0), -ENODATA);
	abi_expect("sched_cgroup_set_rate: clamped to online CPUs * 1024",
		   abi_call(__NR_fairsched_rate, NODE, FAIRSCHED_SET_RATE, 100000, 0, 0),
		   ncpu * 1024);
	abi_expect("sys_fairsched_rate: GET returns the rate",
		   abi_call(__NR_fairsched_rate, NODE, FAIRSCHED_GET_RATE, 0, 0, 0), ncpu * 1024);
	abi_proc_fairsched2_row(NODE, detail, sizeof(detail));
	{
		char want[64];

		snprintf(want, sizeof(want), "1000 %ld ", ncpu * 1024);
		abi_truth("fairsched2_seq_show: weight 1000 reads back, rate",
			  !strncmp(detail, want, strlen(want)), detail);
	}
	abi_expect("sys_fairsched_rate: DROP -> 0",
		   abi_call(__NR_fairsched_rate, NODE, FAIRSCHED_DROP_RATE, 0, 0, 0), 0);
	abi_expect("sys_fairsched_rate: GET after DROP -> ENODATA",
		   abi_call(__NR_fairsched_rate, NODE, FAIRSCHED_GET_RATE, 0, 0, 0), -ENODATA);
	abi_expect("sys_fairsched_vcpus: id 0 -> EINVAL",
		   abi_call(__NR_fairsched_vcpus, 0, 2, 0, 0, 0), -EINVAL);
	abi_expect("sys_fairsched_vcpus: no node -> ENOENT",
		   abi_call(__NR_fairsched_vcpus, NODE + 1, 2, 0, 0, 0), -ENOENT);
	abi_expect("sys_fairsched_vcpus: ok", abi_call(__NR_fairsched_vcpus, NODE, 1, 0, 0, 0), 0);
	abi_expect("sys_fairsched_mvpr: pid 0 -> ESRCH",
		   abi_call(__NR_fairsched_mvpr, 0, NODE, 0, 0, 0), -ESRCH);
	abi_expect("sys_fairsched_mvpr: node missing first -> ENOENT",
		   abi_call(__NR_fairsched_mvpr, 0, NODE + 1, 0, 0, 0), -ENOENT);
	abi_expect("sys_fairsched_mvpr: host node 0 accepted",
		   abi_call(__NR_fairsched_mvpr, getpid(), 0, 0, 0, 0), 0);
	abi_expect("sys_fairsched_cpumask: id 0 -> EINVAL",
		   abi_call(__NR_fairsched_cpumask, 0, sizeof(mask), (long)mask, 0, 0), -EINVAL);
	abi_expect("get_user_cpu_mask: fault -> EFAULT",
		   abi_call(__NR_fairsched_cpumask, NODE, sizeof(mask), (long)abi_unmapped, 0, 0),
		   -EFAULT);
	mask[0] = 1;
	abi_expect("sys_fairsched_cpumask: ok",
		   abi_call(__NR_fairsched_cpumask, NODE, sizeof(mask), (long)mask, 0, 0), 0);
	abi_expect("sys_fairsched_nodemask: no node -> ENOENT",
		   abi_call(__NR_fairsched_nodemask, NODE + 1, 8, (long)mask, 0, 0), -ENOENT);
	abi_expect("sys_fairsched_rmnod: host 0 -> EBUSY",
		   abi_call(__NR_fairsched_rmnod, 0, 0, 0, 0, 0), -EBUSY);
	abi_expect("sys_fairsched_rmnod: INT_MAX -> EBUSY",
		   abi_call(__NR_fairsched_rmnod, FAIRSCHED_HOST_NODE, 0, 0, 0, 0), -EBUSY);
	abi_expect("sys_fairsched_rmnod: no caps -> EPERM",
		   abi_as(AS_NOCAP, 0, __NR_fairsched_rmnod, NODE, 0, 0, 0, 0), -EPERM);
	abi_expect("sys_fairsched_rmnod: removes", abi_call(__NR_fairsched_rmnod, NODE, 0, 0, 0, 0),
		   0);
	abi_expect("sys_fairsched_rmnod: gone -> ENOENT",
		   abi_call(__NR_fairsched_rmnod, NODE, 0, 0, 0, 0), -ENOENT);
}
