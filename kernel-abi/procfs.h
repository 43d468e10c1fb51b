/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Paths of the OpenVZ /proc files and /dev/vzctl, and the first line each
 * versioned /proc file starts with. The kernel has no macro names for these;
 * the names are ours (OVZ_ prefix). Formats: kernel-abi.md §13.
 *
 * Source: 2.6.32-042stab141, kernel/bc/proc.c, kernel/ve/vecalls.c,
 * kernel/fairsched.c, drivers/net/venetdev.c, drivers/net/vzethdev.c,
 * security/device_cgroup.c, fs/quota/vzdquota/vzdq_mgmt.c.
 */
#ifndef VZLITE_KERNEL_ABI_PROCFS_H
#define VZLITE_KERNEL_ABI_PROCFS_H

/* Control device (major VZCTL_MAJOR, minor 0, mode 0600) */
#define OVZ_DEV_VZCTL "/dev/vzctl"

/* Its existence marks an OpenVZ kernel */
#define OVZ_PROC_VZ "/proc/vz"

/* Beancounters; opening needs CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH */
#define OVZ_PROC_USER_BEANCOUNTERS "/proc/user_beancounters"
#define OVZ_PROC_BC                "/proc/bc"
#define OVZ_PROC_BC_RESOURCES      "/proc/bc/resources"
#define OVZ_PROC_UBC_VERSION_LINE  "Version: 2.5"

/* VEs */
#define OVZ_PROC_VZ_VEINFO                "/proc/vz/veinfo"  /* no header */
#define OVZ_PROC_VZ_VERSION               "/proc/vz/version" /* opaque build tag */
#define OVZ_PROC_VZ_VESTAT                "/proc/vz/vestat"
#define OVZ_PROC_VZ_VESTAT_VERSION_LINE   "Version: 2.2" /* space-padded */
#define OVZ_PROC_VZ_DEVPERMS              "/proc/vz/devperms"
#define OVZ_PROC_VZ_DEVPERMS_VERSION_LINE "Version: 2.7"
#define OVZ_PROC_VZ_VSWAP                 "/proc/vz/vswap" /* present: VSwap kernel */

/* Network */
#define OVZ_PROC_VZ_VEIP              "/proc/vz/veip"
#define OVZ_PROC_VZ_VEIP_VERSION_LINE "Version: 2.5"
#define OVZ_PROC_VZ_VETH              "/proc/vz/veth"
#define OVZ_PROC_VZ_VETH_VERSION_LINE "Version: 1.0"

/* Disk quota */
#define OVZ_PROC_VZ_VZQUOTA "/proc/vz/vzquota"

/* Fair scheduler */
#define OVZ_PROC_FAIRSCHED               "/proc/fairsched"
#define OVZ_PROC_FAIRSCHED_VERSION_LINE  "Version: 2.6 debug"
#define OVZ_PROC_FAIRSCHED2              "/proc/fairsched2"
#define OVZ_PROC_FAIRSCHED2_VERSION_LINE "Version: 2.7 debug"

/*
 * Empty directories the kernel creates as mount points for its named
 * cgroup hierarchies (mount -t cgroup <name> /proc/vz/<name> -o name=<name>)
 */
#define OVZ_PROC_VZ_FAIRSCHED_CGROUP   "/proc/vz/fairsched"
#define OVZ_PROC_VZ_BEANCOUNTER_CGROUP "/proc/vz/beancounter"
#define OVZ_PROC_VZ_CONTAINER_CGROUP   "/proc/vz/container"

/* Extra lines of /proc/<pid>/status on OpenVZ kernels (fs/proc/array.c) */
#define OVZ_PROC_STATUS_ENVID "envID:"
#define OVZ_PROC_STATUS_VPID  "VPid:"

#endif /* VZLITE_KERNEL_ABI_PROCFS_H */
