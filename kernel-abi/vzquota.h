/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vzquota: the two /dev/vzctl requests of type '+' (VZDQCTLTYPE), the first
 * level (per quota id = VE) and second level (per uid/gid) structures, and
 * the on-disk image of the journalled quota file ".vzdq.<id>".
 *
 * Source: 2.6.32-042stab141, include/linux/vzctl_quota.h,
 * include/linux/vzquota.h, include/linux/quota.h (if_dqblk, if_dqinfo,
 * QIF_*, IIF_*, USRQUOTA, GRPQUOTA, MAXQUOTAS, DQF_MASK).
 * Semantics: kernel-abi.md §6.
 *
 * struct if_dqblk, struct if_dqinfo, QIF_* and IIF_* come from the system's
 * <linux/quota.h>: they are the stable quotactl(2) ABI and redefining them
 * would clash with <sys/quota.h>. tests/abi verifies them against the table.
 *
 * time_t fields are the kernel's long (not libc time_t, which may be 64-bit
 * on i386 with _TIME_BITS=64).
 */
#ifndef VZLITE_KERNEL_ABI_VZQUOTA_H
#define VZLITE_KERNEL_ABI_VZQUOTA_H

#include <stdint.h>
#include <linux/ioctl.h>
#include <linux/quota.h>

/*
 * 2.6.32 has user and group quota only. <linux/quota.h> of kernels since 4.1
 * says 3 (PRJQUOTA); the vzquota interfaces (dq_info[MAXQUOTAS] of
 * VZ_DQ_UGID_GETGRACE/SETGRACE) use the kernel's value, so pin it here.
 */
#undef MAXQUOTAS
#define MAXQUOTAS 2

/* Kernel-internal dqi_flags bits; VZ_DQ_UGID_SETINFO refuses them */
#ifndef DQF_MASK
#define DQF_MASK 0xffff
#endif

/* First-level commands: struct vzctl_quotactl.cmd */
#define VZ_DQ_CREATE     5
#define VZ_DQ_DESTROY    6
#define VZ_DQ_ON         7
#define VZ_DQ_OFF        8
#define VZ_DQ_SETLIMIT   9
#define VZ_DQ_GETSTAT    10
#define VZ_DQ_OFF_FORCED 11
#define VZ_DQ_ON_FILE    12
#define VZ_DQ_OFF_FILE   13
#define VZ_DQ_STATUS     14 /* returns a VZDQ_* state */

/* Second-level commands: struct vzctl_quotaugidctl.cmd */
#define VZ_DQ_UGID_GETSTAT   1
#define VZ_DQ_UGID_ADDSTAT   2
#define VZ_DQ_UGID_GETGRACE  3
#define VZ_DQ_UGID_SETGRACE  4
#define VZ_DQ_UGID_GETCONFIG 5
#define VZ_DQ_UGID_SETCONFIG 6
#define VZ_DQ_UGID_SETLIMIT  7
#define VZ_DQ_UGID_SETINFO   8

/* Usage, limits and grace deadlines; bytes for blocks */
struct dq_stat {
	uint64_t bhardlimit;
	uint64_t bsoftlimit;
	long btime; /* end of block grace, or 0 */
	uint64_t bcurrent;
	uint32_t ihardlimit;
	uint32_t isoftlimit;
	long itime; /* end of inode grace, or 0 */
	uint32_t icurrent;
};

/* dq_info.flags: "warning already printed" */
#define VZ_QUOTA_INODES 0x01
#define VZ_QUOTA_SPACE  0x02

/* Grace periods in seconds */
struct dq_info {
	long bexpire;
	long iexpire;
	unsigned int flags;
};

struct vz_quota_stat {
	struct dq_stat dq_stat;
	struct dq_info dq_info;
};

/*
 * First level: qstat is input (CREATE, SETLIMIT) or output (GETSTAT); for
 * ON/OFF qstat resp. ve_root double as an optional 4096-byte buffer that
 * receives busy paths.
 */
struct vzctl_quotactl {
	int cmd;
	unsigned int quota_id;
	struct vz_quota_stat *qstat;
	char *ve_root;
};

/* Second level: addr points to the command's array or struct */
struct vzctl_quotaugidctl {
	int cmd;
	unsigned int quota_id;
	unsigned int ugid_index; /* first record to read */
	unsigned int ugid_size;  /* records in addr */
	void *addr;
};

#define VZDQCTLTYPE '+'

#define VZCTL_QUOTA_DEPR_CTL _IOWR(VZDQCTLTYPE, 1, struct vzctl_quotactl)
#define VZCTL_QUOTA_NEW_CTL  _IOWR(VZDQCTLTYPE, 2, struct vzctl_quotactl)
#define VZCTL_QUOTA_UGID_CTL _IOWR(VZDQCTLTYPE, 3, struct vzctl_quotaugidctl)

/* Quota states (VZ_DQ_STATUS); "STOPING" is the kernel's spelling */
#define VZDQ_STARTING        0
#define VZDQ_WORKING         1
#define VZDQ_STOPING         2
#define VZDQ_ORPHAN_CLEANUP  3
#define VZDQ_WORKING_JOURNAL 4

/* Second-level record: VZ_DQ_UGID_GETSTAT / ADDSTAT arrays */
struct vz_quota_iface {
	unsigned int qi_id;   /* uid or gid */
	unsigned int qi_type; /* USRQUOTA or GRPQUOTA */
	struct dq_stat qi_stat;
};

/* flags of vz_quota_ugid_stat */
#define VZDQUG_FIXED_SET 0x01 /* no more records are created */
#define VZDQUG_ON        0x02 /* second level enabled */
#define VZDQ_USRQUOTA    0x10
#define VZDQ_GRPQUOTA    0x20
#define VZDQ_NOACT       0x1000
#define VZDQ_NOQUOT      0x2000
#define VZDQF_USER_MASK  0xFFFF0000

/* VZ_DQ_UGID_GETCONFIG / SETCONFIG */
struct vz_quota_ugid_stat {
	unsigned int limit; /* maximum number of records */
	unsigned int count; /* records in use */
	unsigned int flags;
};

/* VZ_DQ_UGID_SETLIMIT; type must be USRQUOTA or GRPQUOTA (not validated) */
struct vz_quota_ugid_setlimit {
	unsigned int type;
	unsigned int id;
	struct if_dqblk dqb; /* block limits in 1 KiB units */
};

/* VZ_DQ_UGID_SETINFO; type must be USRQUOTA or GRPQUOTA (not validated) */
struct vz_quota_ugid_setinfo {
	unsigned int type;
	struct if_dqinfo dqi;
};

/*
 * Quota file image ".vzdq.<id>" (VZ_DQ_ON_FILE mode). All fields are
 * little-endian on disk; the layout is the same on both arches.
 *
 *	0			struct vz_quota_hdr
 *	VZQUOTA_STAT_OFF	struct vz_quota_stat_img
 *	VZQUOTA_UGINFO_OFF	struct vz_quota_uginfo_img
 *	VZQUOTA_UGID_OFF	VZQUOTA_UGID_ITEM_SIZE slots of
 *				struct vz_quota_ugid_stat_img
 */
#define VZQUOTA_MAGIC     0x31031982
#define VZQUOTA_VERSION_0 0

struct vz_quota_hdr {
	uint32_t magic;
	uint32_t version;
};

struct vz_quota_stat_img {
	uint64_t btime;
	uint64_t bexpire;
	uint64_t itime;
	uint64_t iexpire;
	uint64_t bhardlimit;
	uint64_t bsoftlimit;
	uint64_t bcurrent;
	uint32_t ihardlimit;
	uint32_t isoftlimit;
	uint32_t icurrent;
	uint32_t flags;
};

struct vz_quota_uginfo_img {
	uint32_t ugid_max;
	uint32_t user_flags;
	uint64_t uid_bexpire;
	uint64_t uid_iexpire;
	uint64_t gid_bexpire;
	uint64_t gid_iexpire;
};

struct vz_quota_ugid_stat_img {
	uint32_t flags; /* VZQUOTA_UGID_PRESENT */
	uint32_t ihardlimit;
	uint32_t isoftlimit;
	uint32_t icurrent;
	uint64_t bhardlimit;
	uint64_t bsoftlimit;
	uint64_t bcurrent;
	uint64_t btime;
	uint64_t itime;
};

#define VZQUOTA_STAT_OFF       sizeof(struct vz_quota_hdr)
#define VZQUOTA_UGINFO_OFF     (VZQUOTA_STAT_OFF + sizeof(struct vz_quota_stat_img))
#define VZQUOTA_UGID_OFF       4096
#define VZQUOTA_UGID_ITEM_BITS 6
#define VZQUOTA_UGID_ITEM_SIZE (1 << VZQUOTA_UGID_ITEM_BITS)
#define VZQUOTA_UGID_BITS      23
#define VZQUOTA_UGID_SIZE      (1 << VZQUOTA_UGID_BITS)
#define VZQUOTA_MAX_UGID       0xffff
#define VZQUOTA_UGID_PRESENT   0x1

/* File name in the root of the quota's filesystem; the argument is the id */
#define VZQUOTA_ROOT_FILE ".vzdq.%d"

#endif /* VZLITE_KERNEL_ABI_VZQUOTA_H */
