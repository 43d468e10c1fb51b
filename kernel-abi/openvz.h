/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vzlite kernel-abi: the OpenVZ 6 (2.6.32-042stab141) kernel interface as
 * seen from userspace. Declarations only, with the kernel's own names; no
 * logic. Every constant, size, offset and OpenVZ syscall number is checked
 * for x86_64 and i386 by tests/abi against fixtures/abi/openvz6.tsv.
 * Fix the table test, never the numbers by hand (see README.md).
 *
 * Safe to include next to glibc and Linux uapi headers (<sys/ioctl.h>,
 * <linux/ioctl.h>, <sys/quota.h>, <linux/ioprio.h>). One deliberate
 * exception: MAXQUOTAS is pinned to 2.6.32's value 2 (see vzquota.h).
 */
#ifndef VZLITE_KERNEL_ABI_OPENVZ_H
#define VZLITE_KERNEL_ABI_OPENVZ_H

#include "vzcalluser.h"
#include "venet.h"
#include "veth.h"
#include "vzquota.h"
#include "iolimit.h"
#include "beancounter.h"
#include "fairsched.h"
#include "vzevent.h"
#include "procfs.h"

#if defined(__x86_64__) && !defined(__ILP32__)
#include "arch-x86_64.h"
#include "compat-x86_64.h"
#elif defined(__i386__)
#include "arch-i386.h"
#else
#error "OpenVZ 6 kernels exist for x86_64 and i386 only"
#endif

#endif /* VZLITE_KERNEL_ABI_OPENVZ_H */
