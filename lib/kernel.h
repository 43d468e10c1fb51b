/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The only module that talks to the OpenVZ kernel: /dev/vzctl ioctls and OpenVZ's own
 * system calls. Two backends: send the call, or record it (dry-run), in which case each
 * call is decoded into a struct kcall, rendered by kernel-print.c (the emulator's trace uses
 * the same rendering) and handed to the context's callback.
 * Every function returns the call's non-negative result or -errno.
 */
#ifndef VZL_KERNEL_H
#define VZL_KERNEL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "kernel-print.h"
#include "openvz.h"
#include "vzlite.h"

struct kernel {
	int fd;       /* /dev/vzctl, -1 until kernel_open */
	char *device; /* path of the control device */
	vzl_dry_run_fn dry_run;
	void *dry_run_userdata;
};

int kernel_init(struct kernel *k, const char *device);
void kernel_done(struct kernel *k);
void kernel_set_dry_run(struct kernel *k, vzl_dry_run_fn fn, void *userdata);
static inline int kernel_is_dry_run(const struct kernel *k)
{
	return k->dry_run != NULL;
}

/*
 * Open the control device and probe it the way vzctl does (VZCTL_ENV_CREATE with
 * flags 0 returns the caller's VE id). Idempotent.
 */
int kernel_open(struct kernel *k, vzl_error **err);

/* Beancounters (kernel-abi.md §8). */
int kernel_setluid(struct kernel *k, unsigned int id);
int kernel_setublimit(struct kernel *k, unsigned int id, unsigned int resource,
		      unsigned long barrier, unsigned long limit);

/* VE create/enter/test through VZCTL_ENV_CREATE_DATA (never the plain request with
 * VE_CREATE: kernel-abi.md §17 item 1). Returns the VE id, or 0 for VE_TEST. */
int kernel_env_create(struct kernel *k, unsigned int veid, unsigned int flags,
		      const struct env_create_param3 *param, int datalen);

/*
 * Does VE `veid` exist (on the kernel's list, running or stopping)? The plain
 * VZCTL_ENV_CREATE request with VE_TEST, as vzctl asks; safe without a parameter block
 * (kernel-abi.md §17 item 1 concerns VE_CREATE only). 1 yes, 0 no (ESRCH), or -errno.
 */
int kernel_env_test(struct kernel *k, unsigned int veid);

/* Fair scheduler (kernel-abi.md §9). */
int kernel_fairsched_chwt(struct kernel *k, unsigned int id, unsigned int weight);
int kernel_fairsched_rate(struct kernel *k, unsigned int id, int op, unsigned int rate);
int kernel_fairsched_vcpus(struct kernel *k, unsigned int id, unsigned int vcpus);
int kernel_fairsched_rmnod(struct kernel *k, unsigned int id);
int kernel_fairsched_cpumask(struct kernel *k, unsigned int id, const unsigned long *mask,
			     unsigned int len);

/* venet (kernel-abi.md §4): op is VE_IP_ADD or VE_IP_DEL. */
int kernel_venet_ip(struct kernel *k, unsigned int veid, int op, const struct sockaddr *addr,
		    socklen_t addrlen);

/* First-level quota (kernel-abi.md §6.1): cmd is VZ_DQ_*. */
int kernel_quota_ctl(struct kernel *k, int cmd, unsigned int quota_id, struct vz_quota_stat *qstat,
		     const char *ve_root);

/*
 * A first-level call that only reads (VZ_DQ_STATUS, VZ_DQ_GETSTAT): in a dry run it is
 * recorded and also asked of the kernel, as kernel_env_test does, so a plan follows the
 * quota's real state; where no kernel answers it is -ENOENT/-ESRCH as for an unknown id.
 */
int kernel_quota_query(struct kernel *k, int cmd, unsigned int quota_id,
		       struct vz_quota_stat *qstat);

/*
 * Second-level quota (kernel-abi.md §6.2): cmd is VZ_DQ_UGID_*, `addr` the command's array
 * or struct in this ABI's layout. In a dry run ADDSTAT answers `size` (all accepted) and
 * the reading commands 0 (no records).
 */
int kernel_quota_ugid_ctl(struct kernel *k, int cmd, unsigned int quota_id, unsigned int index,
			  unsigned int size, void *addr);

/* Device permissions (kernel-abi.md §3.1). */
int kernel_setdevperms(struct kernel *k, unsigned int veid, unsigned int type, unsigned int dev,
		       unsigned int mask);

#endif
