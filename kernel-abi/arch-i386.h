/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Numbers of OpenVZ's own system calls on i386 (2.6.32-042stab141,
 * arch/x86/include/asm/unistd_32.h; the x86_64 kernel's 32-bit table
 * arch/x86/ia32/ia32entry.S uses the same numbers). Included by openvz.h
 * when __i386__. 508, 509, 514 and 515 are not implemented (ENOSYS).
 */
#ifndef VZLITE_KERNEL_ABI_ARCH_I386_H
#define VZLITE_KERNEL_ABI_ARCH_I386_H

#define __NR_fairsched_mknod    500
#define __NR_fairsched_rmnod    501
#define __NR_fairsched_chwt     502
#define __NR_fairsched_mvpr     503
#define __NR_fairsched_rate     504
#define __NR_fairsched_vcpus    505
#define __NR_fairsched_cpumask  506
#define __NR_fairsched_nodemask 507
#define __NR_getluid            510
#define __NR_setluid            511
#define __NR_setublimit         512
#define __NR_ubstat             513
#define __NR_lchmod             516
#define __NR_lutime             517

#endif /* VZLITE_KERNEL_ABI_ARCH_I386_H */
