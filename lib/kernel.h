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

/*
 * VE creation (kernel-abi.md §2) goes through VZCTL_ENV_CREATE_DATA only: the plain
 * VZCTL_ENV_CREATE with VE_CREATE oopses the kernel (§17 item 1), and no function here sends
 * it: the plain request is made with fixed flags (probe 0, VE_TEST, VE_ENTER) alone.
 */

/* One VZCTL_ENV_CREATE_DATA request with the first `datalen` bytes of `param`. Returns the
 * VE id (0 for VE_TEST) or -errno. */
int kernel_env_create_data(struct kernel *k, unsigned int veid, unsigned int flags,
			   const struct env_create_param3 *param, int datalen);

/*
 * Create VE `veid` with VE_CREATE|VE_EXCLUSIVE as vzctl does: the env_create_param3 block,
 * and on EINVAL (a kernel older than the block) the env_create_param2 and env_create_param
 * sizes of it. The caller must be set up for it (§2.3, §12.1: chrooted, setluid, alone in
 * its session) and is the VE's init on success. Returns `veid` or the last -errno (-EACCES:
 * the VE exists). vzctl's EBUSY retries are the caller's (they wait).
 */
int kernel_env_create(struct kernel *k, unsigned int veid, const struct env_create_param3 *param);

/*
 * Does VE `veid` exist (on the kernel's list, running or stopping)? The plain
 * VZCTL_ENV_CREATE request with VE_TEST, as vzctl asks. 1 yes, 0 no (ESRCH), or -errno.
 */
int kernel_env_test(struct kernel *k, unsigned int veid);

/* Move the caller into running VE `veid` (VE_ENTER; §2.4). Returns veid or -errno. */
int kernel_env_enter(struct kernel *k, unsigned int veid);

/* Fair scheduler (kernel-abi.md §9). */
int kernel_fairsched_chwt(struct kernel *k, unsigned int id, unsigned int weight);
int kernel_fairsched_rate(struct kernel *k, unsigned int id, int op, unsigned int rate);
int kernel_fairsched_vcpus(struct kernel *k, unsigned int id, unsigned int vcpus);
int kernel_fairsched_rmnod(struct kernel *k, unsigned int id);
int kernel_fairsched_cpumask(struct kernel *k, unsigned int id, const unsigned long *mask,
			     unsigned int len);
int kernel_fairsched_nodemask(struct kernel *k, unsigned int id, const unsigned long *mask,
			      unsigned int len);

/* venet (kernel-abi.md §4): op is VE_IP_ADD or VE_IP_DEL. */
int kernel_venet_ip(struct kernel *k, unsigned int veid, int op, const struct sockaddr *addr,
		    socklen_t addrlen);

/*
 * veth (kernel-abi.md §5): VETHCTL_VE_HWADDR with op VE_ETH_ADD (a pair: host side `name`
 * with `mac`, VE side `name_ve` with `mac_ve`), VE_ETH_DEL, VE_ETH_ALLOW_MAC_CHANGE or
 * VE_ETH_DENY_MAC_CHANGE (the pair named by its host side `name`; the MACs and `name_ve`
 * are then not sent and may be NULL).
 */
int kernel_veth_hwaddr(struct kernel *k, unsigned int veid, int op, const unsigned char mac[6],
		       const char *name, const unsigned char mac_ve[6], const char *name_ve);

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

/*
 * VZCTL_GET_CPU_STAT: the CPU statistics of running VE `veid` (kernel-abi.md §3.5). Only
 * reads; in a dry run it is asked of the kernel too (nothing to plan), -ENOENT without one.
 */
int kernel_get_cpu_stat(struct kernel *k, unsigned int veid, struct vz_cpu_stat *ret);

/* VZCTL_VE_CONFIGURE with VE_CONFIGURE_OS_RELEASE: the VE's `uname -r` (§3.4). */
int kernel_ve_configure_os_release(struct kernel *k, unsigned int veid, const char *release);

/*
 * VZCTL_VE_CONFIGURE with VE_CONFIGURE_OPEN_TTY: the host side of the VE's virtual console
 * `idx` (0..11; 0 is the VE's /dev/console). Returns a new descriptor or -errno (-ENODEV bad
 * index, -EBUSY open on the host already). The kernel does not look the VE up (§3.4).
 */
int kernel_ve_open_tty(struct kernel *k, unsigned int veid, unsigned int idx);

/* VZCTL_VE_MEMINFO: VE_MEMINFO_* or a total in pages for the VE's /proc/meminfo (§3.3). */
int kernel_ve_meminfo(struct kernel *k, unsigned int veid, unsigned long val);

/* VZCTL_VE_NETDEV: op VE_NETDEV_ADD moves host device `name` into the VE, DEL back (§3.2). */
int kernel_ve_netdev(struct kernel *k, unsigned int veid, int op, const char *name);

/* I/O limits of beancounter `id` (§7.1): speed in bytes/s or requests/s, 0 = none. */
int kernel_set_iolimit(struct kernel *k, unsigned int id, unsigned int speed, unsigned int burst,
		       unsigned int latency);
int kernel_set_iopslimit(struct kernel *k, unsigned int id, unsigned int speed, unsigned int burst,
			 unsigned int latency);

/* ioprio_set(IOPRIO_WHO_UBC, id, IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, prio)) (§7.2). */
int kernel_ioprio_set_ubc(struct kernel *k, unsigned int id, int prio);

/*
 * vzevent (kernel-abi.md §14): socket(AF_NETLINK, SOCK_RAW, 31) bound to group 1, close-on-
 * exec. The descriptor, or -errno: -EPROTONOSUPPORT when the vzevent module is not loaded,
 * -EPERM when binding needs CAP_NET_ADMIN. Not a dry-run call (a monitor only listens).
 */
int kernel_vzevent_open(void);

/* One vzevent datagram into buf (no NUL added): its length, or -errno (-EINTR, -EAGAIN...). */
ssize_t kernel_vzevent_recv(int fd, char *buf, size_t len);

#endif
