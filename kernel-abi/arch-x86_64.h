/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Numbers of OpenVZ's own system calls on x86_64 (2.6.32-042stab141,
 * arch/x86/include/asm/unistd_64.h). Included by openvz.h when __x86_64__.
 * Note the fair-scheduler order differs from i386.
 */
#ifndef VZLITE_KERNEL_ABI_ARCH_X86_64_H
#define VZLITE_KERNEL_ABI_ARCH_X86_64_H

#define __NR_fairsched_nodemask 497
#define __NR_fairsched_cpumask  498
#define __NR_fairsched_vcpus    499
#define __NR_getluid            500
#define __NR_setluid            501
#define __NR_setublimit         502
#define __NR_ubstat             503
#define __NR_fairsched_mknod    504
#define __NR_fairsched_rmnod    505
#define __NR_fairsched_chwt     506
#define __NR_fairsched_mvpr     507
#define __NR_fairsched_rate     508
#define __NR_lchmod             509
#define __NR_lutime             510

#endif /* VZLITE_KERNEL_ABI_ARCH_X86_64_H */
