/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * How the x86_64 kernel sees requests from 32-bit (i386) processes: the
 * CONFIG_COMPAT structs and request numbers (kernel-abi.md §16.2). For the
 * emulator, which serves i386 callers on an x86_64 host. x86_64 only;
 * openvz.h includes it when __x86_64__ (not x32).
 *
 * Source: 2.6.32-042stab141, the CONFIG_COMPAT parts of
 * include/linux/vzcalluser.h, vzctl_venet.h, vzctl_quota.h, vzquota.h and
 * kernel/bc/sys.c (UB_MAXVALUE_COMPAT). compat_uptr_t, compat_ulong_t and
 * compat_time_t are written as fixed 32-bit fields.
 *
 * Warning: compat_dq_stat is the kernel's view, which aligns its u64 fields
 * to 8 bytes (48 bytes, bcurrent at 24); real i386 code lays struct dq_stat
 * out in 44 bytes with bcurrent at 20. The kernel bug is part of the ABI.
 *
 * tests/abi does not check this file (the table rows exist but are reference
 * only); the sizes below are asserted here instead.
 */
#ifndef VZLITE_KERNEL_ABI_COMPAT_X86_64_H
#define VZLITE_KERNEL_ABI_COMPAT_X86_64_H

#include <stdint.h>
#include <linux/ioctl.h>

struct compat_vzctl_ve_netdev {
	uint32_t veid;
	int32_t op;
	uint32_t dev_name; /* compat_uptr_t */
};

struct compat_vzctl_ve_meminfo {
	uint32_t veid;
	uint32_t val; /* compat_ulong_t */
};

struct compat_vzctl_env_create_data {
	uint32_t veid;
	uint32_t flags;
	uint32_t class_id;
	uint32_t data; /* compat_uptr_t */
	int32_t datalen;
};

struct compat_vzctl_ve_ip_map {
	uint32_t veid;
	int32_t op;
	uint32_t addr; /* compat_uptr_t */
	int32_t addrlen;
};

struct compat_vzctl_quotactl {
	int32_t cmd;
	uint32_t quota_id;
	uint32_t qstat;   /* compat_uptr_t */
	uint32_t ve_root; /* compat_uptr_t */
};

struct compat_vzctl_quotaugidctl {
	int32_t cmd;
	uint32_t quota_id;
	uint32_t ugid_index;
	uint32_t ugid_size;
	uint32_t addr; /* compat_uptr_t */
};

struct compat_dq_stat {
	uint64_t bhardlimit;
	uint64_t bsoftlimit;
	int32_t btime;     /* compat_time_t */
	uint64_t bcurrent; /* 8-aligned: see the warning above */
	uint32_t ihardlimit;
	uint32_t isoftlimit;
	int32_t itime; /* compat_time_t */
	uint32_t icurrent;
};

struct compat_dq_info {
	int32_t bexpire; /* compat_time_t */
	int32_t iexpire; /* compat_time_t */
	uint32_t flags;
};

struct compat_vz_quota_stat {
	struct compat_dq_stat dq_stat;
	struct compat_dq_info dq_info;
};

struct compat_vz_quota_iface {
	uint32_t qi_id;
	uint32_t qi_type;
	struct compat_dq_stat qi_stat;
};

/* These equal the i386 numbers of the native requests */
#define VZCTL_COMPAT_ENV_CREATE_DATA _IOW(VZCTLTYPE, 10, struct compat_vzctl_env_create_data)
#define VZCTL_COMPAT_VE_NETDEV       _IOW(VZCTLTYPE, 11, struct compat_vzctl_ve_netdev)
#define VZCTL_COMPAT_VE_MEMINFO      _IOW(VZCTLTYPE, 13, struct compat_vzctl_ve_meminfo)
#define VENETCTL_COMPAT_VE_IP_MAP    _IOW(VENETCTLTYPE, 3, struct compat_vzctl_ve_ip_map)
#define VZCTL_COMPAT_QUOTA_CTL       _IOWR(VZDQCTLTYPE, 2, struct compat_vzctl_quotactl)
#define VZCTL_COMPAT_QUOTA_UGID_CTL  _IOWR(VZDQCTLTYPE, 3, struct compat_vzctl_quotaugidctl)

/*
 * setublimit() from a 32-bit caller: values are sign-extended, and this
 * value (2^31-1) is taken as UB_MAXVALUE
 */
#define UB_MAXVALUE_COMPAT 2147483647

#ifndef __cplusplus
_Static_assert(sizeof(struct compat_vzctl_ve_netdev) == 12, "compat_vzctl_ve_netdev");
_Static_assert(sizeof(struct compat_vzctl_ve_meminfo) == 8, "compat_vzctl_ve_meminfo");
_Static_assert(sizeof(struct compat_vzctl_env_create_data) == 20, "compat_vzctl_env_create_data");
_Static_assert(sizeof(struct compat_vzctl_ve_ip_map) == 16, "compat_vzctl_ve_ip_map");
_Static_assert(sizeof(struct compat_vzctl_quotactl) == 16, "compat_vzctl_quotactl");
_Static_assert(sizeof(struct compat_vzctl_quotaugidctl) == 20, "compat_vzctl_quotaugidctl");
_Static_assert(sizeof(struct compat_dq_stat) == 48, "compat_dq_stat");
_Static_assert(sizeof(struct compat_dq_info) == 12, "compat_dq_info");
_Static_assert(sizeof(struct compat_vz_quota_stat) == 64, "compat_vz_quota_stat");
_Static_assert(sizeof(struct compat_vz_quota_iface) == 56, "compat_vz_quota_iface");
#endif

#endif /* VZLITE_KERNEL_ABI_COMPAT_X86_64_H */
