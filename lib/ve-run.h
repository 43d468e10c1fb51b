/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The operation that mount, umount, start and stop run through the step engine (step.h):
 * one struct shared by their domain modules (mount.c, start-*.c, stop.c), each of which
 * owns a few fields and exports step rows. The struct starts with struct op_lock so the
 * lock row of create (create_row_lock) serves these tables too.
 */
#ifndef VZL_VE_RUN_H
#define VZL_VE_RUN_H

#include <stdbool.h>
#include <sys/types.h>

#include "beancounter.h"
#include "create-steps.h"
#include "net.h"
#include "step.h"
#include "ve-spec.h"
#include "ve-tree.h"

/* One cached canonical config value, for the appliers' value_of (start-res.c). */
struct ve_run_value {
	char *key, *value;
};

struct ve_run {
	struct op_lock held; /* first: create_row_lock's view */
	vzl_ve *ve;
	vzl_config *cfg; /* the VE's config, with defaults from vz.conf */
	struct ve_spec spec;
	const char *priv, *root; /* spec's paths, borrowed */

	/* Options. */
	bool force;          /* start: even with DISABLED=yes */
	bool layout_missing; /* start: the VE's config has no VE_LAYOUT line */
	bool fast;           /* stop: no graceful halt */
	bool skip_umount;    /* stop: leave the VE mounted */
	bool wait;           /* start: until the VE's boot has finished (start-wait.c) */
	long wait_s;         /* for at most this long */
	int wait_fd;         /* the VE's /.vzfifo, read end, -1 when closed */

	/* mount.c */
	bool was_mounted; /* mounted when the operation looked */
	bool made_root;   /* the root directory was made by this operation */

	/* start-ub.c: the limits sent, VSwap derivation done, in memory only */
	struct ve_ub ub[UB_RESOURCES];
	bool vswap;

	/* start-child.c: the VE-creating child and its pipes (-1 when closed) */
	int go_fd;  /* parent -> init: one byte releases it, EOF makes it exit */
	int err_fd; /* init -> parent: EOF when init was exec'd, else an errno */
	bool created;
	bool init_released;  /* the VE's init was executed */
	char osrelease[128]; /* start-osrelease.c: the VE's `uname -r`, "" for none */

	/* start-res.c */
	struct ve_run_value *values;
	size_t n_values;
	struct ve_made devnodes_made; /* DEVNODES nodes made in the VE's tree */
	struct ve_made quota_made;    /* start-quota-ugid.c: /dev/simfs, /aquota.* */

	/* run-quota.c */
	bool quota_turned_on; /* this operation turned the disk quota on */
	bool quota_raised;    /* the kernel has start's raised limits */

	/* ve-cleanup.c */
	bool stopped_inside; /* run marker left and the kernel does not list the VE */
	bool cleaned_up;

	/* net-steps.c */
	struct net_addrs net_start; /* start: IP_ADDRESS's addresses */
	struct net_addrs net_stop;  /* stop, cleanup: the VE's addresses, to clean up after */
	/* veth.c: NETIF as the veth row read it (its undo removes those devices) */
	char *netif;

	/* stop.c */
	bool was_running;
	bool nothing_to_stop; /* the VE was not running when stop looked */
};

/* Open the VE's config and spec into `op` (paths checked). */
int ve_run_open(struct ve_run *op, vzl_ve *ve, vzl_error **err);
void ve_run_done(struct ve_run *op);

/* Run `rows` after the lock row, a second read of the config under that lock and the
 * cleanup of a VE that stopped from inside (ve-cleanup.c). */
int ve_run_table(struct ve_run *op, const struct step *const *rows, size_t n, vzl_error **err);
/* The same with another lock row (one that does not wait), or none: NULL. */
int ve_run_table_lock(struct ve_run *op, const struct step *lock, const struct step *const *rows,
		      size_t n, vzl_error **err);

/* ve-cleanup.c: the run marker (<LOCKDIR>/<VEID>.running) and the cleanup's rows. */
extern const struct step start_row_marker; /* write it; undo: remove it */
extern const struct step stop_row_marker;  /* remove it */
size_t cleanup_rows(const struct step **rows, size_t max);
/* The same for a caller that holds the VE's lock already (set --setmode restart). */
int ve_run_table_held(struct ve_run *op, const struct step *const *rows, size_t n, vzl_error **err);
/* stop.c: restart (§3.4) under the lock the caller holds; VZL_STOP_FAST, VZL_START_FORCE. */
int ve_restart_held(vzl_ve *ve, unsigned int flags, vzl_error **err);

/* Wait until the kernel no longer lists the VE, at most `timeout_ms` (mount.c).
 * 0 gone, -ETIMEDOUT, or -errno of VE_TEST. */
int ve_run_wait_gone(struct ve_run *op, long timeout_ms);

/* mount.c: the rows of a mount; start reuses them. */
extern const struct step mount_row_check; /* STEP_CHECKS: private area exists, mounted? */
extern const struct step mount_row_root;  /* mkdir VE_ROOT if missing */
extern const struct step mount_row_simfs; /* mount(VE_PRIVATE, VE_ROOT, "simfs") */
/* umount */
extern const struct step umount_row_check; /* STEP_CHECKS: not running, mounted */
extern const struct step umount_row_unmount;

/* run-quota.c: the disk quota's rows, unless DISK_QUOTA=no */
extern const struct step mount_row_quota_on;     /* quota on; undo: off */
extern const struct step start_row_quota_on;     /* the same, limits raised by 100 */
extern const struct step start_row_quota_limits; /* the configured limits back */
extern const struct step umount_row_quota_off;   /* after the unmount */
extern const struct step stop_row_quota_off;     /* after stop's unmount */
extern const struct step cleanup_row_quota_off;  /* a VE that stopped from inside */

/* start-ub.c: UB completeness (§6.2) and VSwap derivation (§6.6), STEP_CHECKS. */
extern const struct step start_row_ub;
/* The order vzctl sends setublimit in (§3.2 step 9.3), UB_RESOURCES-terminated. */
extern const int start_ub_order[];

/* start-child.c */
extern const struct step start_row_create;  /* fork, chroot, setluid, UBs, caps, VE create */
extern const struct step start_row_release; /* release init, confirm the exec */
/* Close every descriptor from 3 up but `keep` (listed in /proc/self/fd when it can be);
 * exec.c's entering child uses it too. */
void close_others(int keep);

/* start-osrelease.c: op->osrelease from osrelease.conf (§3.2 step 8); warnings only. */
void start_osrelease(struct ve_run *op);

/* start-wait.c: --wait. The marker, made by the VE's init-to-be inside the VE (0 or
 * -errno); the FIFO opened by the parent once the VE is created; the row after the release. */
int start_wait_marker(void);
int start_wait_open(struct ve_run *op, vzl_error **err);
void start_wait_close(struct ve_run *op);
extern const struct step start_row_wait;
/* stop.c: kill the running VE (reboot from a process entered into it) and wait for it. */
int ve_run_kill(struct ve_run *op, vzl_error **err);

/* veth.c: NETIF's veth pairs at start (undo: removed); after a stop, and in the cleanup of
 * a VE stopped from inside, host sides left over. */
extern const struct step start_row_veth;
extern const struct step stop_row_veth;
extern const struct step cleanup_row_veth;

/* start.c: copy the start table's rows into rows[0..max); returns how many. */
size_t start_rows(const struct step **rows, size_t max);

/* start-res.c: with init held: CPU, devices, meminfo, I/O. */
extern const struct step start_row_cpu;
extern const struct step start_row_devices;
extern const struct step start_row_meminfo;
extern const struct step start_row_io;
/* net-steps.c: venet addresses and their host side (net.h). */
extern const struct step start_row_net_check;   /* STEP_CHECKS: addresses, venet0, sysctls */
extern const struct step start_row_venet;       /* VE_IP_ADD each; undo: VE_IP_DEL */
extern const struct step start_row_net_host;    /* routes, proxy entries, veip; undo */
extern const struct step stop_row_net_remember; /* STEP_CHECKS: the VE's addresses */
extern const struct step stop_row_net_host;     /* their host side removed */
extern const struct step cleanup_row_net_host;  /* the same for a VE stopped inside */
/* start-quota-ugid.c: second-level quota in the VE (setdevperms, /dev/simfs, /aquota.*). */
extern const struct step start_row_quota_ugid;
void start_res_done(struct ve_run *op);
/* start-inside.c: the VE's own network configuration, from a process entered into it
 * (ve-inside.h): lo, venet0, addresses and routes, the distribution's network files; the
 * host name and resolv.conf. Failures are warnings, as vzctl ignores its dist scripts'. */
extern const struct step start_row_inside_net;
extern const struct step start_row_inside_names;
/* IPV6=yes in the VE's config (or vz.conf) */
bool ve_run_ipv6(const struct ve_run *op);

#endif
