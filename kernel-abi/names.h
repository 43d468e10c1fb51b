/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The kernel's names of OpenVZ constants, as X-macro lists: no storage, no code. Whoever
 * prints a kernel call (lib/kernel-print.c, the emulator's trace and its --fail names) builds
 * its table from these lists, so the library's dry-run and the emulator's trace spell every
 * constant the same way. Each name must be a row of fixtures/abi/openvz6.tsv (tests/abi:
 * abi-names-check.py); the compiler checks that the headers declare it.
 *
 * X(NAME) is expanded once per constant; a list of request numbers that differ between a
 * caller's ABI and the kernel's gives X(NUMBER_NAME, NAME_AS_THE_PROGRAM_WRITES_IT).
 */
#ifndef VZLITE_KERNEL_ABI_NAMES_H
#define VZLITE_KERNEL_ABI_NAMES_H

/* The lists are laid out by hand, several names a line. */
// clang-format off
/* beancounter.h: resource ids (21 and 22 have no name) */
#define VZ_UB_RESOURCES(X)                                                                         \
	X(UB_KMEMSIZE) X(UB_LOCKEDPAGES) X(UB_PRIVVMPAGES) X(UB_SHMPAGES) X(UB_DUMMY)             \
	X(UB_NUMPROC) X(UB_PHYSPAGES) X(UB_VMGUARPAGES) X(UB_OOMGUARPAGES) X(UB_NUMTCPSOCK)      \
	X(UB_NUMFLOCK) X(UB_NUMPTY) X(UB_NUMSIGINFO) X(UB_TCPSNDBUF) X(UB_TCPRCVBUF)             \
	X(UB_OTHERSOCKBUF) X(UB_DGRAMRCVBUF) X(UB_NUMOTHERSOCK) X(UB_DCACHESIZE) X(UB_NUMFILE)   \
	X(UB_SHADOWPAGES) X(UB_NUMXTENT) X(UB_SWAPPAGES)

/* vzcalluser.h: the flags of VZCTL_ENV_CREATE{,_DATA}, in bit order */
#define VZ_ENV_FLAGS(X) X(VE_CREATE) X(VE_EXCLUSIVE) X(VE_ENTER) X(VE_TEST) X(VE_LOCK) X(VE_SKIPLOCK)

/* vzquota.h: first-level commands (VZCTL_QUOTA_NEW_CTL) */
#define VZ_DQ_CMDS(X)                                                                              \
	X(VZ_DQ_CREATE) X(VZ_DQ_DESTROY) X(VZ_DQ_ON) X(VZ_DQ_OFF) X(VZ_DQ_SETLIMIT)              \
	X(VZ_DQ_GETSTAT) X(VZ_DQ_OFF_FORCED) X(VZ_DQ_ON_FILE) X(VZ_DQ_OFF_FILE) X(VZ_DQ_STATUS)

/* vzquota.h: second-level commands (VZCTL_QUOTA_UGID_CTL) */
#define VZ_DQ_UGID_CMDS(X)                                                                         \
	X(VZ_DQ_UGID_GETSTAT) X(VZ_DQ_UGID_ADDSTAT) X(VZ_DQ_UGID_GETGRACE)                        \
	X(VZ_DQ_UGID_SETGRACE) X(VZ_DQ_UGID_GETCONFIG) X(VZ_DQ_UGID_SETCONFIG)                    \
	X(VZ_DQ_UGID_SETLIMIT) X(VZ_DQ_UGID_SETINFO)

/* fairsched.h: the op of fairsched_rate */
#define VZ_FAIRSCHED_RATE_OPS(X) X(FAIRSCHED_SET_RATE) X(FAIRSCHED_DROP_RATE) X(FAIRSCHED_GET_RATE)

/* venet.h: the op of VENETCTL_VE_IP_MAP */
#define VZ_VE_IP_OPS(X) X(VE_IP_ADD) X(VE_IP_DEL) X(VE_IP_EXT_ADD) X(VE_IP_EXT_DEL)

/* vzcalluser.h: the keys of VZCTL_VE_CONFIGURE */
#define VZ_VE_CONFIGURE_KEYS(X)                                                                    \
	X(VE_CONFIGURE_OS_RELEASE) X(VE_CONFIGURE_CREATE_PROC_LINK) X(VE_CONFIGURE_OPEN_TTY)      \
	X(VE_CONFIGURE_MOUNT_OPTIONS)

/* vzcalluser.h: the special values of VZCTL_VE_MEMINFO (larger ones are pages) */
#define VZ_VE_MEMINFO_MODES(X) X(VE_MEMINFO_SYSTEM) X(VE_MEMINFO_DEFAULT) X(VE_MEMINFO_COMPLETE)

/* veth.h: the op of VETHCTL_VE_HWADDR */
#define VZ_VE_ETH_OPS(X)                                                                           \
	X(VE_ETH_ADD) X(VE_ETH_DEL) X(VE_ETH_ALLOW_MAC_CHANGE) X(VE_ETH_DENY_MAC_CHANGE)

/* vzcalluser.h: the op of VZCTL_VE_NETDEV */
#define VZ_VE_NETDEV_OPS(X) X(VE_NETDEV_ADD) X(VE_NETDEV_DEL)

/* iolimit.h: ioprio_set's classes and its "which" (IOPRIO_WHO_UBC is OpenVZ's) */
#define VZ_IOPRIO_CLASSES(X)                                                                       \
	X(IOPRIO_CLASS_NONE) X(IOPRIO_CLASS_RT) X(IOPRIO_CLASS_BE) X(IOPRIO_CLASS_IDLE)
#define VZ_IOPRIO_WHO(X)                                                                           \
	X(IOPRIO_WHO_PROCESS) X(IOPRIO_WHO_PGRP) X(IOPRIO_WHO_USER) X(IOPRIO_WHO_UBC)

/* The ioctl requests on /dev/vzctl, as the caller's ABI numbers them */
#define VZ_IOCTLS(X)                                                                               \
	X(VZCTL_OLD_ENV_CREATE) X(VZCTL_MARK_ENV_TO_DOWN) X(VZCTL_SETDEVPERMS)                    \
	X(VZCTL_ENV_CREATE_CID) X(VZCTL_ENV_CREATE) X(VZCTL_GET_CPU_STAT)                         \
	X(VZCTL_ENV_CREATE_DATA) X(VZCTL_VE_NETDEV) X(VZCTL_VE_MEMINFO) X(VZCTL_VE_CONFIGURE)    \
	X(VENETCTL_VE_IP_MAP) X(VETHCTL_VE_HWADDR) X(VZCTL_QUOTA_DEPR_CTL)                        \
	X(VZCTL_QUOTA_NEW_CTL) X(VZCTL_QUOTA_UGID_CTL) X(VZCTL_SET_IOLIMIT)                       \
	X(VZCTL_GET_IOLIMIT) X(VZCTL_SET_IOPSLIMIT) X(VZCTL_GET_IOPSLIMIT)

/*
 * compat-x86_64.h: what an i386 program's request is called in its own source. The x86_64
 * kernel sees these numbers from i386 callers; requests whose number does not depend on the
 * ABI are in VZ_IOCTLS alone.
 */
#define VZ_COMPAT_IOCTLS(X)                                                                        \
	X(VZCTL_COMPAT_ENV_CREATE_DATA, VZCTL_ENV_CREATE_DATA)                                     \
	X(VZCTL_COMPAT_VE_NETDEV, VZCTL_VE_NETDEV)                                                 \
	X(VZCTL_COMPAT_VE_MEMINFO, VZCTL_VE_MEMINFO)                                               \
	X(VENETCTL_COMPAT_VE_IP_MAP, VENETCTL_VE_IP_MAP)                                           \
	X(VZCTL_COMPAT_QUOTA_CTL, VZCTL_QUOTA_NEW_CTL)                                             \
	X(VZCTL_COMPAT_QUOTA_UGID_CTL, VZCTL_QUOTA_UGID_CTL)
// clang-format on

#endif /* VZLITE_KERNEL_ABI_NAMES_H */
