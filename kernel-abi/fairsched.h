/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fair scheduler: constants of the fairsched_* system calls (numbers in
 * arch-*.h). Nodes are cgroups named by node id = VE id.
 *
 * Source: 2.6.32-042stab141, include/linux/fairsched.h (the FSCH* values are
 * in its __KERNEL__ part), kernel/fairsched.c (FAIRSCHED_HOST_NODE),
 * kernel/sched.c (MAX_CPU_RATE, MIN_SHARES, MAX_SHARES). Semantics:
 * kernel-abi.md §9.
 *
 * Arguments: fairsched_mknod(unsigned parent, unsigned weight, unsigned newid),
 * fairsched_rmnod(unsigned id), fairsched_chwt(unsigned id, unsigned weight),
 * fairsched_vcpus(unsigned id, unsigned vcpus),
 * fairsched_rate(unsigned id, int op, unsigned rate),
 * fairsched_mvpr(pid_t pid, unsigned id),
 * fairsched_cpumask(unsigned id, unsigned len, unsigned long *mask),
 * fairsched_nodemask(unsigned id, unsigned len, unsigned long *mask).
 */
#ifndef VZLITE_KERNEL_ABI_FAIRSCHED_H
#define VZLITE_KERNEL_ABI_FAIRSCHED_H

/* op of fairsched_rate() */
#define FAIRSCHED_SET_RATE  0 /* returns the clamped rate */
#define FAIRSCHED_DROP_RATE 1
#define FAIRSCHED_GET_RATE  2 /* ENODATA when no rate is set */

/* Weight is 1 .. FSCHWEIGHT_MAX; cgroup shares = FSCHWEIGHT_BASE / weight */
#define FSCHWEIGHT_MAX  ((1 << 16) - 1)
#define FSCHRATE_SHIFT  10
#define FSCH_TIMESLICE  16
#define FSCHWEIGHT_BASE 512000UL

/* The host node (directory "0"); id 0 itself is refused by most calls */
#define FAIRSCHED_HOST_NODE 2147483647

/* Rate unit: MAX_CPU_RATE is one full CPU */
#define MAX_CPU_RATE 1024

/* Scheduler clamp of cgroup shares */
#define MIN_SHARES 2
#define MAX_SHARES (1UL << 18)

#endif /* VZLITE_KERNEL_ABI_FAIRSCHED_H */
