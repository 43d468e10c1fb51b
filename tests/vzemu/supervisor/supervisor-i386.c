// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * System calls vzemu intercepts from i386 programs (compat path of the x86_64 kernel). Kept in
 * its own file because the i386 numbers (asm/unistd_32.h, kernel-abi/arch-i386.h) use the
 * same macro names as the x86_64 ones. The stat family is not intercepted for i386 callers
 * (their struct layouts differ); opens, access, the OpenVZ calls, ioctls and everything that
 * acts on the host are.
 */
#include <asm/unistd_32.h>
#include <stdbool.h>

#include "arch-i386.h"
#include "vzemu.h"

const struct sc_ent sc_table_i386[] = {
	{ __NR_fairsched_mknod, "fairsched_mknod", SC_OVZ, 3 },
	{ __NR_fairsched_rmnod, "fairsched_rmnod", SC_OVZ, 1 },
	{ __NR_fairsched_chwt, "fairsched_chwt", SC_OVZ, 2 },
	{ __NR_fairsched_mvpr, "fairsched_mvpr", SC_OVZ, 2 },
	{ __NR_fairsched_rate, "fairsched_rate", SC_OVZ, 3 },
	{ __NR_fairsched_vcpus, "fairsched_vcpus", SC_OVZ, 2 },
	{ __NR_fairsched_cpumask, "fairsched_cpumask", SC_OVZ, 3 },
	{ __NR_fairsched_nodemask, "fairsched_nodemask", SC_OVZ, 3 },
	{ __NR_getluid, "getluid", SC_OVZ, 0 },
	{ __NR_setluid, "setluid", SC_OVZ, 1 },
	{ __NR_setublimit, "setublimit", SC_OVZ, 3 },
	{ __NR_ubstat, "ubstat", SC_OVZ, 5 },
	{ __NR_lchmod, "lchmod", SC_OVZ, 2 },
	{ __NR_lutime, "lutime", SC_OVZ, 2 },
	{ __NR_reboot, "reboot", SC_REBOOT, 4 },
	{ __NR_ioctl, "ioctl", SC_IOCTL, 3 },
	{ __NR_open, "open", SC_OPEN, 3 },
	{ __NR_openat, "openat", SC_OPENAT, 4 },
	{ __NR_openat2, "openat2", SC_OPENAT2, 4 },
	{ __NR_creat, "creat", SC_CREAT, 2 },
	{ __NR_access, "access", SC_ACCESS, 2 },
	{ __NR_faccessat, "faccessat", SC_FACCESSAT, 3 },
	{ __NR_faccessat2, "faccessat2", SC_FACCESSAT2, 4 },
	{ __NR_mount, "mount", SC_MOUNT, 5 },
	{ __NR_sethostname, "sethostname", SC_HOSTNAME, 2 },
	{ __NR_setdomainname, "setdomainname", SC_HOSTNAME, 2 },
	{ __NR_swapon, "swapon", SC_DENY, 2 },
	{ __NR_swapoff, "swapoff", SC_DENY, 1 },
	{ __NR_kexec_load, "kexec_load", SC_DENY, 4 },
	{ __NR_init_module, "init_module", SC_DENY, 3 },
	{ __NR_finit_module, "finit_module", SC_DENY, 3 },
	{ __NR_delete_module, "delete_module", SC_DENY, 2 },
	{ __NR_settimeofday, "settimeofday", SC_DENY, 2 },
	{ __NR_stime, "stime", SC_DENY, 1 },
	{ __NR_clock_settime, "clock_settime", SC_DENY, 2 },
	{ __NR_clock_settime64, "clock_settime64", SC_DENY, 2 },
	{ __NR_acct, "acct", SC_DENY, 1 },
	{ __NR_iopl, "iopl", SC_DENY, 1 },
	{ __NR_ioperm, "ioperm", SC_DENY, 3 },
	{ __NR_adjtimex, "adjtimex", SC_ADJTIME, 1 },
	{ __NR_clock_adjtime, "clock_adjtime", SC_ADJTIME, 2 },
	{ __NR_clock_adjtime64, "clock_adjtime64", SC_ADJTIME, 2 },
	{ __NR_pivot_root, "pivot_root", SC_PIVOT, 2 },
	{ __NR_ioprio_set, "ioprio_set", SC_IOPRIO, 3 },
	{ __NR_capset, "capset", SC_CAPSET, 2 },
	{ __NR_capget, "capget", SC_CAPGET, 2 },
	{ __NR_prctl, "prctl", SC_CAPBSET, 2 },
	{ __NR_execve, "execve", SC_EXEC, 3 },
	{ __NR_execveat, "execveat", SC_EXECAT, 5 },
	{ __NR_fork, "fork", SC_FORK, 0 },
	{ __NR_vfork, "vfork", SC_FORK, 0 },
	{ __NR_clone, "clone", SC_FORK, 5 },
	{ __NR_clone3, "clone3", SC_FORK, 2 },
	{ __NR_kill, "kill", SC_KILL, 2 },
	{ __NR_tkill, "tkill", SC_KILL, 2 },
	{ __NR_tgkill, "tgkill", SC_KILL, 3 },
	{ __NR_rt_sigqueueinfo, "rt_sigqueueinfo", SC_KILL, 3 },
	{ __NR_rt_tgsigqueueinfo, "rt_tgsigqueueinfo", SC_KILL, 4 },
	{ -1, 0, SC_NONE, 0 },
};

const int sc_i386_unshare = __NR_unshare;
const int sc_i386_setns = __NR_setns;
const int sc_i386_close = __NR_close;
const int sc_i386_pidfd_open = __NR_pidfd_open;
