/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * I/O limits of a beancounter: /dev/vzctl requests of type 'I'
 * (VZIOLIMITTYPE), and the I/O priority of a beancounter through
 * ioprio_set(IOPRIO_WHO_UBC, id, IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 0..7)).
 *
 * Source: 2.6.32-042stab141, include/linux/vziolimit.h, kernel/ve/vziolimit.c,
 * include/linux/ioprio.h (__KERNEL__ part: IOPRIO_BITS, IOPRIO_WHO_UBC),
 * fs/ioprio.c, kernel/bc/io_prio.c. Semantics: kernel-abi.md §7.
 *
 * The generic ioprio names (IOPRIO_CLASS_*, IOPRIO_WHO_PROCESS..USER,
 * IOPRIO_CLASS_SHIFT, IOPRIO_BE_NR) are taken from the system's
 * <linux/ioprio.h> when it exists, so both headers can be used together;
 * their values are the same in 2.6.32 and tests/abi checks them.
 */
#ifndef VZLITE_KERNEL_ABI_IOLIMIT_H
#define VZLITE_KERNEL_ABI_IOLIMIT_H

#include <linux/ioctl.h>

/* All fields 32-bit: same layout on both arches, no compat translation */
struct iolimit_state {
	unsigned int id;      /* beancounter id (= VE id) */
	unsigned int speed;   /* units per second, 0 = unlimited */
	unsigned int burst;   /* units usable at once */
	unsigned int latency; /* maximum throttling delay, ms */
};

#define VZIOLIMITTYPE 'I'

#define VZCTL_SET_IOLIMIT   _IOW(VZIOLIMITTYPE, 0, struct iolimit_state)
#define VZCTL_GET_IOLIMIT   _IOR(VZIOLIMITTYPE, 1, struct iolimit_state)
#define VZCTL_SET_IOPSLIMIT _IOW(VZIOLIMITTYPE, 2, struct iolimit_state)
#define VZCTL_GET_IOPSLIMIT _IOR(VZIOLIMITTYPE, 3, struct iolimit_state)

#if defined(__has_include)
#if __has_include(<linux/ioprio.h>)
#include <linux/ioprio.h>
#endif
#endif

#ifndef _LINUX_IOPRIO_H
enum {
	IOPRIO_CLASS_NONE,
	IOPRIO_CLASS_RT,
	IOPRIO_CLASS_BE,
	IOPRIO_CLASS_IDLE,
};

enum {
	IOPRIO_WHO_PROCESS = 1,
	IOPRIO_WHO_PGRP,
	IOPRIO_WHO_USER,
};
#endif

#ifndef IOPRIO_CLASS_SHIFT
#define IOPRIO_CLASS_SHIFT 13
#endif
#ifndef IOPRIO_BE_NR
#define IOPRIO_BE_NR 8
#endif
#ifndef IOPRIO_PRIO_VALUE
#define IOPRIO_PRIO_VALUE(class, data) (((class) << IOPRIO_CLASS_SHIFT) | (data))
#endif

/* Width of an I/O priority value in 2.6.32 */
#ifndef IOPRIO_BITS
#define IOPRIO_BITS 16
#endif

/* OpenVZ's extra "which" of ioprio_set(): who = beancounter id */
#define IOPRIO_WHO_UBC 1000

#endif /* VZLITE_KERNEL_ABI_IOLIMIT_H */
