/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * User beancounters (UBC): resource ids, per-resource parameters, and the
 * ubstat() statistics interface. The system calls themselves (getluid,
 * setluid, setublimit, ubstat) are numbered in arch-*.h.
 *
 * Source: 2.6.32-042stab141, include/bc/beancounter.h, include/bc/statd.h,
 * kernel/bc/sys.c. Semantics: kernel-abi.md §8.
 *
 * ubstat() structures use unsigned long / long, so their layout follows the
 * word size. Note: a 32-bit process on the x86_64 kernel gets the 64-bit
 * layout back (kernel-abi.md §16.2); these declarations describe the native
 * layout of the arch being compiled.
 */
#ifndef VZLITE_KERNEL_ABI_BEANCOUNTER_H
#define VZLITE_KERNEL_ABI_BEANCOUNTER_H

/* Tells a user beancounter from a page beancounter inside the kernel */
#define UB_MAGIC 0x62756275

/* Resource ids: the "resource" argument of setublimit() */
#define UB_KMEMSIZE     0 /* bytes of unswappable kernel memory */
#define UB_LOCKEDPAGES  1 /* mlock()ed pages */
#define UB_PRIVVMPAGES  2 /* private (potentially) pages */
#define UB_SHMPAGES     3 /* IPC shm pages */
#define UB_DUMMY        4 /* placeholder, shown as "dummy" */
#define UB_NUMPROC      5 /* processes and threads */
#define UB_PHYSPAGES    6 /* resident pages; limit = VSwap RAM */
#define UB_VMGUARPAGES  7 /* barrier only */
#define UB_OOMGUARPAGES 8 /* barrier only */
#define UB_NUMTCPSOCK   9
#define UB_NUMFLOCK     10
#define UB_NUMPTY       11
#define UB_NUMSIGINFO   12
#define UB_TCPSNDBUF    13 /* bytes */
#define UB_TCPRCVBUF    14 /* bytes */
#define UB_OTHERSOCKBUF 15 /* bytes */
#define UB_DGRAMRCVBUF  16 /* bytes */
#define UB_NUMOTHERSOCK 17
#define UB_DCACHESIZE   18 /* bytes */
#define UB_NUMFILE      19
#define UB_SHADOWPAGES  20 /* internal, shown as "dummy" */
/* 21 and 22 have no name and are shown as "dummy" */
#define UB_NUMXTENT  23 /* "numiptent" in /proc */
#define UB_SWAPPAGES 24 /* VSwap size, not in /proc/user_beancounters */

/* Valid resource ids are 0 .. UB_RESOURCES - 1 */
#define UB_RESOURCES 25
/* Rows per bc in /proc/user_beancounters (ids 0..23) */
#define UB_RESOURCES_COMPAT 24

/*
 * "Unlimited": the kernel's LONG_MAX (2^63-1 on x86_64, 2^31-1 on i386).
 * setublimit() refuses anything larger with EINVAL.
 */
#define UB_MAXVALUE ((unsigned long)(~0UL >> 1))

/* I/O priority of a bc: ioprio_set(IOPRIO_WHO_UBC, id, BE class, data) */
#define UB_IOPRIO_MIN 0
#define UB_IOPRIO_MAX 8 /* exclusive: IOPRIO_BE_NR */

/* The kernel's per-resource record of a beancounter */
struct ubparm {
	unsigned long barrier;
	unsigned long limit;
	unsigned long held;
	unsigned long maxheld; /* since the last accounting period */
	unsigned long minheld;
	unsigned long failcnt;
	int max_precharge; /* internal per-CPU batching bound */
};

/*
 * ubstat(func, arg1, arg2, buf, size): func = command | resource id
 */
#define UBSTAT_READ_ONE  0x010000 /* | resource */
#define UBSTAT_READ_ALL  0x020000
#define UBSTAT_READ_FULL 0x030000
#define UBSTAT_UBLIST    0x040000
#define UBSTAT_UBPARMNUM 0x050000
#define UBSTAT_GETTIME   0x060000

#define UBSTAT_CMD(func)    ((func)&0xF0000)
#define UBSTAT_PARMID(func) ((func)&0x0FFFF)

/* Seconds */
typedef unsigned long ubstattime_t;

/* UBSTAT_GETTIME: the current accounting period */
typedef struct {
	ubstattime_t start_time;
	ubstattime_t end_time;
	ubstattime_t cur_time;
} ubgettime_t;

/*
 * ubstat() arg2 after a successful GETTIME or READ: maxinterval >= 1,
 * signum 0 for a plain reader (kernel-abi.md §8.5)
 */
typedef struct {
	long maxinterval;
	int signum;
} ubnotifrq_t;

/* UBSTAT_READ_ONE / UBSTAT_READ_ALL entries */
typedef struct {
	unsigned long maxheld;
	unsigned long failcnt;
} ubstatparm_t;

/* UBSTAT_READ_FULL entries */
typedef struct {
	unsigned long barrier;
	unsigned long limit;
	unsigned long held;
	unsigned long maxheld;
	unsigned long minheld;
	unsigned long failcnt;
	unsigned long __unused1;
	unsigned long __unused2;
} ubstatparmf_t;

/*
 * UBSTAT_READ_FULL reply: the times, then UB_RESOURCES entries.
 * READ_ONE / READ_ALL replies have the same head followed by ubstatparm_t.
 */
typedef struct {
	ubstattime_t start_time;
	ubstattime_t end_time;
	ubstatparmf_t param[];
} ubstatfull_t;

#endif /* VZLITE_KERNEL_ABI_BEANCOUNTER_H */
