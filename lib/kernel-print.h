/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One rendering of an OpenVZ kernel call, shared by the library's dry-run (lib/kernel.c fills
 * a struct kcall from its arguments) and the emulator's trace (tests/vzemu fills it from the
 * caller's memory, as the kernel reads it). Both print through kcall_render, so a plan and the
 * trace of the run it describes can be compared line for line; an encoding slip in the library
 * still shows, because the emulator decodes what the library actually sent.
 *
 * This file and kernel-print.c depend on kernel-abi/ and libc only: the emulator compiles
 * kernel-print.c as one of its own sources.
 */
#ifndef VZL_KERNEL_PRINT_H
#define VZL_KERNEL_PRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum kcall_kind {
	KCALL_GETLUID,
	KCALL_SETLUID,
	KCALL_SETUBLIMIT,
	KCALL_FAIRSCHED_MKNOD,
	KCALL_FAIRSCHED_RMNOD,
	KCALL_FAIRSCHED_CHWT,
	KCALL_FAIRSCHED_MVPR,
	KCALL_FAIRSCHED_RATE,
	KCALL_FAIRSCHED_VCPUS,
	KCALL_FAIRSCHED_CPUMASK,
	KCALL_FAIRSCHED_NODEMASK,
	KCALL_ENV_CREATE,      /* VZCTL_ENV_CREATE: no parameter block */
	KCALL_ENV_CREATE_DATA, /* VZCTL_ENV_CREATE_DATA */
	KCALL_VE_IP_MAP,       /* VENETCTL_VE_IP_MAP */
	KCALL_QUOTA_CTL,       /* VZCTL_QUOTA_NEW_CTL */
	KCALL_SETDEVPERMS,     /* VZCTL_SETDEVPERMS */
	KCALL_VE_CONFIGURE,    /* VZCTL_VE_CONFIGURE */
	KCALL_VE_MEMINFO,      /* VZCTL_VE_MEMINFO */
	KCALL_VE_NETDEV,       /* VZCTL_VE_NETDEV */
	KCALL_SET_IOLIMIT,     /* VZCTL_SET_IOLIMIT */
	KCALL_SET_IOPSLIMIT,   /* VZCTL_SET_IOPSLIMIT */
	KCALL_GET_IOLIMIT,     /* VZCTL_GET_IOLIMIT */
	KCALL_GET_IOPSLIMIT,   /* VZCTL_GET_IOPSLIMIT */
	KCALL_IOPRIO_SET,      /* ioprio_set(IOPRIO_WHO_UBC, ...) */
	KCALL_QUOTA_UGID_CTL,  /* VZCTL_QUOTA_UGID_CTL */
	KCALL_VE_HWADDR,       /* VETHCTL_VE_HWADDR */
};

/* The uid/gid records of one VZ_DQ_UGID_ADDSTAT shown; more are counted, not shown */
#define KCALL_UGID_RECORDS 16

/* One second-level record as ADDSTAT and SETLIMIT carry it (space in bytes) */
struct kcall_ugid_rec {
	unsigned int type, id;
	uint64_t bcurrent, bsoftlimit, bhardlimit;
	uint64_t icurrent, isoftlimit, ihardlimit;
};

/* The bytes of VZCTL_VE_CONFIGURE's data kept: an OS release (64 characters) and its NUL */
#define KCALL_CONFIGURE_DATA_MAX 65

/* IFNAMSIZ: the bytes of a VZCTL_VE_NETDEV name the kernel copies */
#define KCALL_IFNAMSIZ 16

/* A beancounter value equal to the kernel's UB_MAXVALUE (LONG_MAX of the 64-bit kernel) */
#define KCALL_UB_UNLIMITED ((uint64_t)INT64_MAX)

/* The sockaddr bytes kept: enough for sockaddr_in6 */
#define KCALL_SOCKADDR_MAX 28

/*
 * The decoded arguments. `id` is the VE, beancounter, fairsched node, quota id or (MVPR) pid
 * the call names first. `unreadable`: the caller's memory behind the call's pointer could not
 * be read (only the emulator sets it); that part is rendered as "?".
 */
struct kcall {
	enum kcall_kind kind;
	unsigned int id;
	bool unreadable;
	union {
		struct {
			uint64_t resource; /* as the kernel sees it: sign-extended from i386 */
			uint64_t barrier, limit; /* KCALL_UB_UNLIMITED for UB_MAXVALUE */
		} ub;
		struct {
			unsigned int weight, newid; /* MKNOD: id is the parent node */
		} mknod;
		unsigned int weight; /* CHWT */
		unsigned int node;   /* MVPR: the node the process `id` moves to */
		struct {
			int op;
			unsigned int rate;
		} rate;
		unsigned int vcpus; /* VCPUS */
		struct {
			unsigned int len; /* bytes, as passed */
			uint64_t first;   /* the first min(len, 8) bytes of the mask */
		} mask;
		struct {
			unsigned int flags, class_id;
		} env; /* ENV_CREATE */
		struct {
			unsigned int flags, class_id;
			int datalen;
			/* the parameter block, zero past datalen as the kernel fills it */
			uint64_t iptables_mask, feature_mask, known_features;
			unsigned int total_vcpus;
		} env_data;
		struct {
			int op, addrlen;
			unsigned char addr[KCALL_SOCKADDR_MAX]; /* the sockaddr's first bytes */
		} ip;
		struct {
			int cmd;
			bool has_qstat;      /* CREATE and SETLIMIT read qstat */
			const char *ve_root; /* ON and ON_FILE read it; NULL when not passed */
			uint64_t bhardlimit, bsoftlimit, bcurrent;
			unsigned int ihardlimit, isoftlimit, icurrent;
			int64_t bexpire, iexpire;
		} quota;
		struct {
			unsigned int type, dev, mask;
		} devperms;
		struct {
			unsigned int key, val, size;
			/* the first min(size, KCALL_CONFIGURE_DATA_MAX) bytes of data */
			unsigned char data[KCALL_CONFIGURE_DATA_MAX];
		} configure;
		uint64_t meminfo_val; /* VE_MEMINFO: as the kernel reads the unsigned long */
		struct {
			int op;
			char name[KCALL_IFNAMSIZ + 1]; /* NUL-terminated */
		} netdev;
		struct {
			int op, addrlen, addrlen_ve;
			unsigned char addr[6], addr_ve[6];
			/* NUL-terminated; the kernel cuts them to 15 characters */
			char name[KCALL_IFNAMSIZ + 1], name_ve[KCALL_IFNAMSIZ + 1];
		} hwaddr; /* VE_HWADDR: host side first, then the VE's */
		struct {
			unsigned int speed, burst, latency; /* SET only; id is the beancounter */
		} iolimit;
		struct {
			int which; /* IOPRIO_WHO_UBC; id is the beancounter */
			int ioprio;
		} ioprio;
		struct {
			int cmd;
			unsigned int index, size; /* ugid_index, ugid_size */
			/* SETCONFIG: limit, count, flags */
			unsigned int limit, count, flags;
			/* SETGRACE: user and group grace periods */
			int64_t bexpire[2], iexpire[2];
			/* SETLIMIT: rec[0] with the block limits in KiB as passed, valid =
			 * dqb_valid; SETINFO: rec[0].type, valid = dqi_valid, bexpire[0] and
			 * iexpire[0]; ADDSTAT: the first nrec records (at most KCALL_UGID_RECORDS) */
			unsigned int valid, nrec;
			struct kcall_ugid_rec rec[KCALL_UGID_RECORDS];
		} ugid;
	} u;
};

/* Does VZ_DQ_* `cmd` read its qstat / its ve_root argument? (vzdq_mgmt.c: do_vzquotactl) */
bool kcall_quota_reads_qstat(int cmd);
bool kcall_quota_reads_ve_root(int cmd);

/*
 * The call as one line without its result, e.g. "setublimit(101, UB_KMEMSIZE, {2752512,
 * 2936012})" or "ioctl(/dev/vzctl, VZCTL_ENV_CREATE, {veid=101, flags=VE_TEST, class_id=0})".
 * `device` NULL leaves the device out of an ioctl: "ioctl(VZCTL_ENV_CREATE, {...})".
 */
void kcall_render(char *buf, size_t len, const struct kcall *c, const char *device);

/* The kernel's names (kernel-abi/names.h), NULL for a number without one */
const char *kcall_ub_name(unsigned int resource);
const char *kcall_quota_cmd_name(int cmd);
const char *kcall_quota_ugid_cmd_name(int cmd);
const char *kcall_fairsched_rate_op_name(int op);
const char *kcall_ve_ip_op_name(int op);
const char *kcall_ve_configure_key_name(unsigned int key);
const char *kcall_ve_netdev_op_name(int op);
const char *kcall_ve_eth_op_name(int op);
/* "VE_CREATE|VE_EXCLUSIVE", unknown bits in hex, "0" for none */
void kcall_env_flags(char *buf, size_t len, unsigned int flags);

#endif
