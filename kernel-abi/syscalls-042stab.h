/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Which system-call numbers exist on 2.6.32-042stab141, per architecture,
 * for the kernel emulator: a number that does not exist must get ENOSYS.
 * "Exists" means the table entry is a real implementation; numbers that are
 * defined in unistd_*.h but wired to sys_ni_syscall count as absent.
 *
 * Source: kernel-abi.md §15.1/§15.2 (arch/x86/include/asm/unistd_64.h
 * __SYSCALL entries, arch/x86/kernel/syscall_table_32.S, and
 * arch/x86/ia32/ia32entry.S for 32-bit callers on the x86_64 kernel, which
 * has the same layout). tests/abi (abi-syscall-table) checks the functions
 * against every __NR_ row of fixtures/abi/openvz6.tsv.
 *
 * Both functions are plain C and usable on any host architecture.
 */
#ifndef VZLITE_KERNEL_ABI_SYSCALLS_042STAB_H
#define VZLITE_KERNEL_ABI_SYSCALLS_042STAB_H

/*
 * x86_64: 0..311 (mainline numbering up to process_vm_writev) minus the
 * ENOSYS-wired entries, then OpenVZ's 497..510. 312..496 do not exist.
 * prlimit64 (302) is real in this tree (commit db28ebcb); stock 042stab
 * kernels without that commit return ENOSYS for it.
 */
static inline int ovz_syscall_exists_x86_64(long nr)
{
	if (nr >= 497 && nr <= 510)
		return 1; /* fairsched, UBC, lchmod, lutime */
	if (nr < 0 || nr > 311)
		return 0;
	switch (nr) {
	case 134: /* uselib */
	case 174: /* create_module */
	case 177: /* get_kernel_syms */
	case 178: /* query_module */
	case 181: /* getpmsg */
	case 182: /* putpmsg */
	case 183: /* afs_syscall */
	case 184: /* tuxcall */
	case 185: /* security */
	case 205: /* set_thread_area */
	case 211: /* get_thread_area */
	case 214: /* epoll_ctl_old */
	case 215: /* epoll_wait_old */
	case 236: /* vserver */
	case 300: /* fanotify_init */
	case 301: /* fanotify_mark */
	case 309: /* get_cpu */
		return 0;
	default:
		return 1;
	}
}

/*
 * i386 (native kernel, and 32-bit callers of the x86_64 kernel): 0..348
 * minus the historic holes and ENOSYS-wired entries, then 500..507
 * (fairsched), 510..513 (UBC), 516..517 (lchmod, lutime). 349..499, 508,
 * 509, 514 and 515 do not exist. prlimit64 (340) is defined in unistd_32.h
 * but both 32-bit tables map it to ENOSYS.
 */
static inline int ovz_syscall_exists_i386(long nr)
{
	if ((nr >= 500 && nr <= 507) || (nr >= 510 && nr <= 513) || nr == 516 || nr == 517)
		return 1;
	if (nr < 0 || nr > 348)
		return 0;
	switch (nr) {
	case 17:  /* break */
	case 31:  /* stty */
	case 32:  /* gtty */
	case 35:  /* ftime */
	case 44:  /* prof */
	case 53:  /* lock */
	case 56:  /* mpx */
	case 58:  /* ulimit */
	case 98:  /* profil */
	case 112: /* idle */
	case 127: /* create_module */
	case 130: /* get_kernel_syms */
	case 137: /* afs_syscall */
	case 167: /* query_module */
	case 188: /* getpmsg */
	case 189: /* putpmsg */
	case 222: /* unused */
	case 223: /* unused */
	case 251: /* unused */
	case 273: /* vserver */
	case 285: /* unused */
	case 338: /* fanotify_init, not in unistd_32.h */
	case 339: /* fanotify_mark, not in unistd_32.h */
	case 340: /* prlimit64, not wired for 32-bit */
		return 0;
	default:
		return 1;
	}
}

#endif /* VZLITE_KERNEL_ABI_SYSCALLS_042STAB_H */
