// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Cases of `abi-client cases`: VZCTL_ENV_CREATE(_DATA) — the decision table
 * (kernel-abi.md §2.2), the block checks, do_env_create's preconditions, entering — by
 * real processes: the test process, children that gave their capabilities up, a VE's
 * init and processes entered into the VE.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/reboot.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi-cases.h"
#include "openvz.h"

#define VE_A 101 /* started here, lives through these cases */
#define VE_L 102 /* created with VE_LOCK */
#define VE_N 150 /* never exists */

static long as_env(enum abi_who who, unsigned int in, unsigned int veid, unsigned int flags)
{
	static struct vzctl_env_create e;

	e.veid = veid;
	e.flags = flags;
	e.class_id = 0;
	return abi_as(who, in, ABI_IOCTL, (long)VZCTL_ENV_CREATE, (long)&e, 0, 0, 0);
}

static env_create_param_t param = { .iptables_mask = VE_IP_DEFAULT };

static long as_env_data(enum abi_who who, unsigned int veid, unsigned int flags, void *data,
			int datalen)
{
	static struct vzctl_env_create_data d;

	memset(&d, 0, sizeof(d));
	d.veid = veid;
	d.flags = flags;
	d.data = data;
	d.datalen = datalen;
	return abi_as(who, 0, ABI_IOCTL, (long)VZCTL_ENV_CREATE_DATA, (long)&d, 0, 0, 0);
}

/* what the init of VE_A checks from inside before it waits */
static void in_ve_a(unsigned int veid)
{
	unsigned long lim[2] = { 100, 100 };

	abi_expect("real_env_create: flags 0 in a VE returns its id (init)", abi_env(0, 0), veid);
	abi_expect("real_env_create: TEST inside a VE -> EPERM (capable_setveid)",
		   abi_env(veid, VE_TEST), -EPERM);
	abi_expect("real_env_create: CREATE_DATA inside a VE -> EPERM",
		   abi_env_data(VE_N, VE_CREATE | VE_EXCLUSIVE, &param, sizeof(param)), -EPERM);
	abi_expect("getpid: the VE's init is pid 1 of its namespace", getpid(), 1);
	abi_expect("sys_setluid: inside a VE -> EPERM", abi_call(__NR_setluid, 4242, 0, 0, 0, 0),
		   -EPERM);
	abi_expect("sys_getluid: the init is charged to the bc its creator set",
		   abi_call(__NR_getluid, 0, 0, 0, 0, 0), veid);
	abi_expect("do_setublimit: inside a VE -> EPERM",
		   abi_call(__NR_setublimit, veid, UB_NUMFILE, (long)lim, 0, 0), -EPERM);
	abi_expect("sys_ubstat: inside a VE -> EPERM",
		   abi_call(__NR_ubstat, UBSTAT_UBPARMNUM, 0, 0, 0, 0), -EPERM);
	abi_expect("sys_fairsched_mknod: inside a VE -> EPERM",
		   abi_call(__NR_fairsched_mknod, 0, 500, 4300, 0, 0), -EPERM);
	abi_expect("sys_reboot: bad magic in a VE -> EINVAL",
		   abi_call(SYS_reboot, 0x1234, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_HALT, 0, 0),
		   -EINVAL);
	abi_expect("sys_reboot: unknown command in a VE -> EINVAL",
		   abi_call(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, 0x1234, 0, 0),
		   -EINVAL);
	abi_expect("sys_reboot: CAD_OFF in a VE -> 0 and nothing else",
		   abi_call(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
			    LINUX_REBOOT_CMD_CAD_OFF, 0, 0),
		   0);
}

/* §2.2 rows that need no VE, and the block checks of vzcalls_ioctl */
static void cases_table(void)
{
	abi_expect("real_env_create: flags 0 on the host returns 0 without caps",
		   as_env(AS_NOCAP, 0, 555, 0), 0);
	abi_expect("real_env_create: no capable_setveid -> EPERM",
		   as_env(AS_NOCAP, 0, VE_N, VE_TEST), -EPERM);
	abi_expect("real_env_create: CAP_VE_ADMIN alone passes capable_setveid",
		   as_env(AS_VEADMIN, 0, VE_N, VE_TEST), -ESRCH);
	abi_expect("real_env_create: TEST|CREATE -> EINVAL", abi_env(VE_N, VE_TEST | VE_CREATE),
		   -EINVAL);
	abi_expect("real_env_create: TEST|ENTER -> EINVAL", abi_env(VE_N, VE_TEST | VE_ENTER),
		   -EINVAL);
	abi_expect("real_env_create: TEST absent -> ESRCH", abi_env(VE_N, VE_TEST), -ESRCH);
	abi_expect("real_env_create: ENTER absent -> ESRCH", abi_env(VE_N, VE_ENTER), -ESRCH);
	abi_expect("real_env_create: EXCLUSIVE only -> EINVAL", abi_env(VE_N, VE_EXCLUSIVE),
		   -EINVAL);
	abi_expect("real_env_create: LOCK only -> EINVAL", abi_env(VE_N, VE_LOCK), -EINVAL);
	abi_expect("real_env_create: TEST on VE 0 -> 0", abi_env(0, VE_TEST), 0);
	abi_expect("real_env_create: CREATE|EXCL on VE 0 -> EACCES",
		   abi_env_data(0, VE_CREATE | VE_EXCLUSIVE, &param, sizeof(param)), -EACCES);
	/* vecalls.c: vzcalls_ioctl checks the block for every flag combination */
	abi_expect("vzcalls_ioctl: datalen 7 -> EINVAL", abi_env_data(VE_N, VE_TEST, &param, 7),
		   -EINVAL);
	abi_expect("vzcalls_ioctl: datalen 33 -> EINVAL", abi_env_data(VE_N, VE_TEST, &param, 33),
		   -EINVAL);
	abi_expect("vzcalls_ioctl: datalen -1 -> EINVAL", abi_env_data(VE_N, VE_TEST, &param, -1),
		   -EINVAL);
	abi_expect("vzcalls_ioctl: data NULL -> EINVAL", abi_env_data(VE_N, VE_TEST, NULL, 32),
		   -EINVAL);
	abi_expect("vzcalls_ioctl: unreadable block -> EFAULT (before TEST)",
		   abi_env_data(VE_N, VE_TEST, abi_unmapped, 32), -EFAULT);
	abi_expect("vzcalls_ioctl: unreadable struct -> EFAULT",
		   abi_call(ABI_IOCTL, (long)VZCTL_ENV_CREATE_DATA, (long)abi_unmapped, 0, 0, 0),
		   -EFAULT);
	abi_expect("vzcalls_ioctl: block checks before EPERM",
		   as_env_data(AS_NOCAP, VE_N, VE_TEST, &param, 3), -EINVAL);
	abi_expect("vzcalls_ioctl: 8-byte block accepted (TEST absent -> ESRCH)",
		   abi_env_data(VE_N, VE_TEST, &param, 8), -ESRCH);
	/* vecalls.c: do_env_create preconditions (a VE would be created if they passed) */
	abi_expect("do_env_create: multi-threaded -> EINVAL",
		   as_env_data(AS_THREADED, VE_N, VE_CREATE | VE_EXCLUSIVE, &param, sizeof(param)),
		   -EINVAL);
	abi_expect("do_env_create: controlling tty -> EINVAL",
		   as_env_data(AS_CTTY, VE_N, VE_CREATE | VE_EXCLUSIVE, &param, sizeof(param)),
		   -EINVAL);
	abi_expect("do_env_create: not alone_in_pgrp -> EINVAL",
		   as_env_data(AS_NOT_ALONE, VE_N, VE_CREATE | VE_EXCLUSIVE, &param, sizeof(param)),
		   -EINVAL);
	abi_expect("do_env_create: nothing created by a refused create", abi_env(VE_N, VE_TEST),
		   -ESRCH);
	/* kernel/sys.c: sys_reboot on the host, only the refusals (nothing here may reboot) */
	abi_expect("sys_reboot: no CAP_SYS_BOOT on the host -> EPERM",
		   abi_as(AS_NOCAP, 0, SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
			  LINUX_REBOOT_CMD_CAD_OFF, 0, 0),
		   -EPERM);
	abi_expect("sys_reboot: bad magic on the host -> EINVAL",
		   abi_call(SYS_reboot, LINUX_REBOOT_MAGIC1, 0x1234, LINUX_REBOOT_CMD_HALT, 0, 0),
		   -EINVAL);
}

void abi_cases_env(void)
{
	struct abi_ve a, l;
	long r;
	int st;

	cases_table();
	r = abi_ve_start(&a, VE_A, VE_CREATE | VE_EXCLUSIVE, in_ve_a);
	abi_expect("do_env_create: CREATE_DATA CREATE|EXCL from vzctl's arrangement returns veid",
		   r == 0 ? VE_A : r, VE_A);
	if (r != 0)
		return;
	abi_expect("real_env_create: TEST existing -> 0", abi_env(VE_A, VE_TEST), 0);
	abi_expect("real_env_create: CREATE|EXCL existing -> EACCES",
		   abi_env_data(VE_A, VE_CREATE | VE_EXCLUSIVE, &param, sizeof(param)), -EACCES);
	abi_expect("real_env_create: EXCLUSIVE only, existing -> EACCES",
		   abi_env(VE_A, VE_EXCLUSIVE), -EACCES);
	abi_expect("real_env_create: CREATE existing becomes ENTER",
		   as_env_data(AS_HOST, VE_A, VE_CREATE, &param, sizeof(param)), VE_A);
	abi_expect("do_env_enter: ENTER returns veid", as_env(AS_HOST, 0, VE_A, VE_ENTER), VE_A);
	abi_expect("do_env_enter: multi-threaded -> EINVAL", as_env(AS_THREADED, 0, VE_A, VE_ENTER),
		   -EINVAL);
	abi_expect("real_env_create: flags 0 in a VE returns its id (entered)",
		   as_env(AS_IN_VE, VE_A, 555, 0), VE_A);
	abi_expect("real_env_create: entered process -> EPERM for TEST",
		   as_env(AS_IN_VE, VE_A, VE_A, VE_TEST), -EPERM);
	abi_expect("sys_setluid: entered process -> EPERM",
		   abi_as(AS_IN_VE, VE_A, __NR_setluid, VE_A, 0, 0, 0, 0), -EPERM);
	/* VE_LOCK: nobody enters without VE_SKIPLOCK */
	r = abi_ve_start(&l, VE_L, VE_CREATE | VE_EXCLUSIVE | VE_LOCK, NULL);
	abi_expect("do_env_create: VE_LOCK create returns veid", r == 0 ? VE_L : r, VE_L);
	if (r == 0) {
		abi_expect("do_env_enter: locked VE -> EBUSY", as_env(AS_HOST, 0, VE_L, VE_ENTER),
			   -EBUSY);
		abi_expect("do_env_enter: VE_SKIPLOCK enters a locked VE",
			   as_env(AS_HOST, 0, VE_L, VE_ENTER | VE_SKIPLOCK), VE_L);
		st = abi_ve_stop(&l, 'x');
		abi_expect("do_initproc_exit: the init's parent sees its exit(0)", st, 0);
	}
	st = abi_ve_stop(&a, 'x');
	abi_expect("do_initproc_exit: VE 101's init exits 0", st, 0);
}
