/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * /dev/vzctl requests of type '.' (VZCTLTYPE) and their argument structs,
 * plus the VE-side constants the kernel keeps next to them: features,
 * iptables module masks, meminfo modes, capabilities, device major.
 *
 * Source: OpenVZ 6 kernel 2.6.32-042stab141 (snajpa/openvz6-kernel @ 26425c89),
 * include/linux/vzcalluser.h, include/linux/vziptable_defs.h, include/linux/ve.h,
 * include/linux/capability.h (CONFIG_VE), kernel/ve/vzdev.c, kernel/ve/vecalls.c.
 * Every name is the kernel's; every value is checked by tests/abi against
 * fixtures/abi/openvz6.tsv for x86_64 and i386.
 *
 * Pointers and longs are declared as the kernel declares them, so that an
 * i386 build gets the i386 layout and request numbers.
 */
#ifndef VZLITE_KERNEL_ABI_VZCALLUSER_H
#define VZLITE_KERNEL_ABI_VZCALLUSER_H

#include <stdint.h>
#include <linux/ioctl.h>

#ifndef __ENVID_T_DEFINED__
#define __ENVID_T_DEFINED__
/* VE id: the kernel's "unsigned" */
typedef unsigned int envid_t;
#endif

/* Character device /dev/vzctl: major VZCTL_MAJOR, minor 0 (kernel/ve/vzdev.c) */
#define VZCTL_MAJOR 126

/*
 * iptables module bits of env_create_param*.iptables_mask (vziptable_defs.h).
 * Bit 13 was never assigned; the bits are frozen for vzctl compatibility.
 */
enum ve_ipt_mods {
	VE_IP_IPTABLES_MOD = 1U << 0,
	VE_IP_FILTER_MOD = 1U << 1,
	VE_IP_MANGLE_MOD = 1U << 2,
	VE_IP_MATCH_LIMIT_MOD = 1U << 3,
	VE_IP_MATCH_MULTIPORT_MOD = 1U << 4,
	VE_IP_MATCH_TOS_MOD = 1U << 5,
	VE_IP_TARGET_TOS_MOD = 1U << 6,
	VE_IP_TARGET_REJECT_MOD = 1U << 7,
	VE_IP_TARGET_TCPMSS_MOD = 1U << 8,
	VE_IP_MATCH_TCPMSS_MOD = 1U << 9,
	VE_IP_MATCH_TTL_MOD = 1U << 10,
	VE_IP_TARGET_LOG_MOD = 1U << 11,
	VE_IP_MATCH_LENGTH_MOD = 1U << 12,
	VE_IP_CONNTRACK_MOD = 1U << 14,
	VE_IP_CONNTRACK_FTP_MOD = 1U << 15,
	VE_IP_CONNTRACK_IRC_MOD = 1U << 16,
	VE_IP_MATCH_CONNTRACK_MOD = 1U << 17,
	VE_IP_MATCH_STATE_MOD = 1U << 18,
	VE_IP_MATCH_HELPER_MOD = 1U << 19,
	VE_IP_NAT_MOD = 1U << 20,
	VE_IP_NAT_FTP_MOD = 1U << 21,
	VE_IP_NAT_IRC_MOD = 1U << 22,
	VE_IP_TARGET_REDIRECT_MOD = 1U << 23,
	VE_IP_MATCH_OWNER_MOD = 1U << 24,
	VE_IP_MATCH_MAC_MOD = 1U << 25,
	VE_IP_IPTABLES6_MOD = 1U << 26,
	VE_IP_FILTER6_MOD = 1U << 27,
	VE_IP_MANGLE6_MOD = 1U << 28,
	VE_IP_IPTABLE_NAT_MOD = 1U << 29,
	VE_NF_CONNTRACK_MOD = 1U << 30,
};

/*
 * Composite masks: a module together with the modules it depends on.
 * setup_iptables_mask() tests each composite as "all bits present".
 */
#define VE_IP_IPTABLES      (VE_IP_IPTABLES_MOD)
#define VE_IP_FILTER        (VE_IP_IPTABLES | VE_IP_FILTER_MOD)
#define VE_IP_MANGLE        (VE_IP_IPTABLES | VE_IP_MANGLE_MOD)
#define VE_IP_IPTABLES6     (VE_IP_IPTABLES6_MOD)
#define VE_IP_FILTER6       (VE_IP_IPTABLES6 | VE_IP_FILTER6_MOD)
#define VE_IP_MANGLE6       (VE_IP_IPTABLES6 | VE_IP_MANGLE6_MOD)
#define VE_NF_CONNTRACK     (VE_IP_IPTABLES | VE_NF_CONNTRACK_MOD)
#define VE_IP_CONNTRACK     (VE_IP_IPTABLES | VE_IP_CONNTRACK_MOD)
#define VE_IP_CONNTRACK_FTP (VE_IP_CONNTRACK | VE_IP_CONNTRACK_FTP_MOD)
#define VE_IP_CONNTRACK_IRC (VE_IP_CONNTRACK | VE_IP_CONNTRACK_IRC_MOD)
#define VE_IP_NAT           (VE_IP_CONNTRACK | VE_IP_NAT_MOD)
#define VE_IP_NAT_FTP       (VE_IP_NAT | VE_IP_CONNTRACK_FTP | VE_IP_NAT_FTP_MOD)
#define VE_IP_NAT_IRC       (VE_IP_NAT | VE_IP_CONNTRACK_IRC | VE_IP_NAT_IRC_MOD)
#define VE_IP_IPTABLE_NAT   (VE_IP_CONNTRACK | VE_IP_IPTABLE_NAT_MOD)
/* Used by a plain VZCTL_ENV_CREATE, which must never create (kernel-abi.md §17) */
#define VE_IP_DEFAULT                                                                              \
	(VE_IP_IPTABLES | VE_IP_FILTER | VE_IP_MANGLE | VE_IP_IPTABLES6 | VE_IP_FILTER6 |          \
	 VE_IP_MANGLE6)
#define VE_IP_ALL  (~0ULL)
#define VE_IP_NONE (0ULL)

/* flags of the env create requests; decision table in kernel-abi.md §2.2 */
#define VE_CREATE    0x01 /* create; an existing VE is entered */
#define VE_EXCLUSIVE 0x02 /* with VE_CREATE: EACCES if it exists */
#define VE_ENTER     0x04 /* move the caller into the VE */
#define VE_TEST      0x08 /* 0 if the VE exists, else ESRCH */
#define VE_LOCK      0x10 /* created VE refuses VE_ENTER without VE_SKIPLOCK */
#define VE_SKIPLOCK  0x20 /* enter a locked VE; no pid inside */

/* Old request, defined but not handled (ENOTTY); addr was an IPv4 address */
struct vzctl_old_env_create {
	envid_t veid;
	unsigned int flags;
	uint32_t addr;
};

/* Accepted and ignored by this kernel */
struct vzctl_mark_env_to_down {
	envid_t veid;
};

/* type: S_IFBLK or S_IFCHR, optionally with VE_USE_MAJOR or VE_USE_MINOR */
#define VE_USE_MAJOR 010 /* rule covers one major */
#define VE_USE_MINOR 030 /* rule covers one major:minor */
#define VE_USE_MASK  030

struct vzctl_setdevperms {
	envid_t veid;
	unsigned int type;
	unsigned int dev;  /* new_encode_dev() encoding */
	unsigned int mask; /* S_IROTH read, S_IWOTH write, S_IXGRP quota, S_IXUSR mount */
};

#define VE_NETDEV_ADD 1 /* host -> VE */
#define VE_NETDEV_DEL 2 /* VE -> host */

struct vzctl_ve_netdev {
	envid_t veid;
	int op;
	char *dev_name;
};

/* keys of VZCTL_VE_CONFIGURE */
#define VE_CONFIGURE_OS_RELEASE       2
#define VE_CONFIGURE_CREATE_PROC_LINK 4 /* never with size 0: kernel oops */
#define VE_CONFIGURE_OPEN_TTY         5 /* returns an fd */
#define VE_CONFIGURE_MOUNT_OPTIONS    7

/* A 16-byte header followed by size bytes of data in the same buffer */
struct vzctl_ve_configure {
	unsigned int veid;
	unsigned int key;
	unsigned int val;
	unsigned int size;
	char data[];
};

/* val of VZCTL_VE_MEMINFO (include/linux/ve.h); >= NR_SPECIAL is pages */
#define VE_MEMINFO_SYSTEM     0
#define VE_MEMINFO_DEFAULT    1
#define VE_MEMINFO_COMPLETE   2
#define VE_MEMINFO_NR_SPECIAL 3

struct vzctl_ve_meminfo {
	envid_t veid;
	unsigned long val;
};

/* Defined, not handled (ENOTTY) */
struct vzctl_env_create_cid {
	envid_t veid;
	unsigned int flags;
	uint32_t class_id;
};

/* Never with VE_CREATE: there is no parameter block and the kernel oopses */
struct vzctl_env_create {
	envid_t veid;
	unsigned int flags;
	uint32_t class_id;
};

/*
 * Parameter block of VZCTL_ENV_CREATE_DATA, three generations. The kernel
 * accepts any datalen from MINLEN to MAXLEN and zero-fills the rest.
 * u64 members are 4-byte aligned on i386, so env_create_param2 is 20 bytes there.
 */
struct env_create_param {
	uint64_t iptables_mask;
};

struct env_create_param2 {
	uint64_t iptables_mask;
	uint64_t feature_mask;
	uint32_t total_vcpus; /* 0: no CPU-count limit */
};

struct env_create_param3 {
	uint64_t iptables_mask;
	uint64_t feature_mask;
	uint32_t total_vcpus;
	uint32_t pad;
	uint64_t known_features; /* bits of feature_mask the caller sets */
};

typedef struct env_create_param3 env_create_param_t;

#define VZCTL_ENV_CREATE_DATA_MINLEN sizeof(struct env_create_param)
#define VZCTL_ENV_CREATE_DATA_MAXLEN sizeof(env_create_param_t)

/* feature_mask / known_features bits */
#define VE_FEATURE_SYSFS     (1ULL << 0)
#define VE_FEATURE_NFS       (1ULL << 1)
#define VE_FEATURE_DEF_PERMS (1ULL << 2) /* stored, never tested */
#define VE_FEATURE_SIT       (1ULL << 3)
#define VE_FEATURE_IPIP      (1ULL << 4)
#define VE_FEATURE_PPP       (1ULL << 5)
#define VE_FEATURE_IPGRE     (1ULL << 6) /* stored, never tested */
#define VE_FEATURE_BRIDGE    (1ULL << 7)
#define VE_FEATURE_NFSD      (1ULL << 8)
#define VE_FEATURE_SMNFCT    (1ULL << 9)

/* What a caller with datalen < MAXLEN is assumed to know */
#define VE_FEATURES_OLD (VE_FEATURE_SYSFS)
/* Given to every bit the caller does not declare known */
#define VE_FEATURES_DEF (VE_FEATURE_SYSFS | VE_FEATURE_DEF_PERMS | VE_FEATURE_SMNFCT)

struct vzctl_env_create_data {
	envid_t veid;
	unsigned int flags;
	uint32_t class_id;
	env_create_param_t *data;
	int datalen;
};

struct vz_load_avg {
	int val_int;
	int val_frac;
};

/* Filled by VZCTL_GET_CPU_STAT */
struct vz_cpu_stat {
	unsigned long user_jif;
	unsigned long nice_jif;
	unsigned long system_jif;
	unsigned long uptime_jif;
	uint64_t idle_clk;
	uint64_t strv_clk;   /* always 0 */
	uint64_t uptime_clk; /* ns */
	struct vz_load_avg avenrun[3];
};

struct vzctl_cpustatctl {
	envid_t veid;
	struct vz_cpu_stat *cpustat;
};

#define VZCTLTYPE '.'

#define VZCTL_OLD_ENV_CREATE   _IOW(VZCTLTYPE, 0, struct vzctl_old_env_create)
#define VZCTL_MARK_ENV_TO_DOWN _IOW(VZCTLTYPE, 1, struct vzctl_mark_env_to_down)
#define VZCTL_SETDEVPERMS      _IOW(VZCTLTYPE, 2, struct vzctl_setdevperms)
#define VZCTL_ENV_CREATE_CID   _IOW(VZCTLTYPE, 4, struct vzctl_env_create_cid)
#define VZCTL_ENV_CREATE       _IOW(VZCTLTYPE, 5, struct vzctl_env_create)
#define VZCTL_GET_CPU_STAT     _IOW(VZCTLTYPE, 6, struct vzctl_cpustatctl)
#define VZCTL_ENV_CREATE_DATA  _IOW(VZCTLTYPE, 10, struct vzctl_env_create_data)
#define VZCTL_VE_NETDEV        _IOW(VZCTLTYPE, 11, struct vzctl_ve_netdev)
#define VZCTL_VE_MEMINFO       _IOW(VZCTLTYPE, 13, struct vzctl_ve_meminfo)
#define VZCTL_VE_CONFIGURE     _IOW(VZCTLTYPE, 15, struct vzctl_ve_configure)

/* Number of virtual consoles per VE; VE_CONFIGURE_OPEN_TTY val is 0..11 */
#define MAX_NR_VTTY 12

/*
 * VZCTL_VE_CONFIGURE(VE_CONFIGURE_MOUNT_OPTIONS) data: items separated by
 * MNTOPT_DELIM, each "<type> <options>" (kernel/ve/vecalls.c)
 */
#define MNTOPT_DELIM   ';'
#define MNTOPT_HIDDEN  1 /* options hidden from the VE */
#define MNTOPT_ALLOWED 2 /* options the VE may use */

/*
 * Capabilities of the CONFIG_VE kernel (include/linux/capability.h).
 * CAP_VE_ADMIN reuses mainline's CAP_AUDIT_CONTROL number; capable_setveid()
 * is "on the host and CAP_SYS_ADMIN or CAP_VE_ADMIN". CAP_SETVEID is the
 * OpenVZ 5 management capability, kept for reference.
 */
#define CAP_SETVEID      29
#define CAP_VE_ADMIN     30
#define CAP_VE_NET_ADMIN CAP_VE_ADMIN
#define CAP_VE_SYS_ADMIN CAP_VE_ADMIN

#endif /* VZLITE_KERNEL_ABI_VZCALLUSER_H */
