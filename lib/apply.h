/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Appliers: what puts one parameter's value into effect for a VE. Every row of the
 * parameter table points to one (param_def.apply), so a live `set` and start apply a value
 * the same way. Kernel appliers (apply-kernel.c) parse the row's canonical value with the
 * parsers of units.c and issue the call through kernel.c, so --dry-run shows exactly the
 * call; the others (apply-later.c) are named no-ops saying which work applies the value.
 *
 * An applier returns 0 or a negative errno with *err naming the VE and the parameter.
 */
#ifndef VZL_APPLY_H
#define VZL_APPLY_H

#include "kernel.h"
#include "params.h"
#include "units.h"

struct apply_ctx {
	struct kernel *k;
	unsigned int veid;
	const struct units_target *t;
	/*
	 * The canonical value of another key of the same VE (borrowed), or NULL when unset:
	 * some calls take several keys at once (VZ_DQ_SETLIMIT takes DISKSPACE, DISKINODES and
	 * QUOTATIME), and CPUUWEIGHT yields to CPUUNITS.
	 */
	const char *(*value_of)(void *userdata, const char *key);
	void *userdata;
};

/*
 * Row `p`'s applier with `value` for the VE: its context's kernel, the native word size;
 * `value_of(userdata, key)` gives the other keys (apply-kernel.c). Live set and start use it.
 */
int apply_row(vzl_ve *ve, const struct param_def *p, const char *value,
	      const char *(*value_of)(void *userdata, const char *key), void *userdata,
	      vzl_error **err);

/* Kernel appliers (apply-kernel.c). */
param_apply_fn apply_setublimit;  /* setublimit(VEID, UB_*, {barrier, limit}) */
param_apply_fn apply_cpuunits;    /* fairsched_chwt(VEID, 500000 / CPUUNITS) */
param_apply_fn apply_cpuweight;   /* fairsched_chwt(VEID, CPUUWEIGHT) if no CPUUNITS */
param_apply_fn apply_cpulimit;    /* fairsched_rate(VEID, SET or DROP, % x 1024 / 100) */
param_apply_fn apply_cpus;        /* fairsched_vcpus(VEID, CPUS) */
param_apply_fn apply_cpumask;     /* fairsched_cpumask(VEID, 512, mask) */
param_apply_fn apply_ip_address;  /* VENETCTL_VE_IP_MAP VE_IP_ADD per address */
param_apply_fn apply_devices;     /* VZCTL_SETDEVPERMS per DEVICES entry */
param_apply_fn apply_disk_limits; /* VZCTL_QUOTA_NEW_CTL VZ_DQ_SETLIMIT */
param_apply_fn apply_nodemask;    /* fairsched_nodemask(VEID, 512, mask) */
param_apply_fn apply_meminfo;     /* VZCTL_VE_MEMINFO (classic configs only) */
param_apply_fn apply_devnodes;    /* VZCTL_SETDEVPERMS per DEVNODES entry (not the node) */
param_apply_fn apply_ioprio;      /* ioprio_set(IOPRIO_WHO_UBC, VEID, BE class, IOPRIO) */
param_apply_fn apply_iolimit;     /* VZCTL_SET_IOLIMIT {speed L, burst 3L, latency 10 s} */
param_apply_fn apply_iopslimit;   /* VZCTL_SET_IOPSLIMIT, the same for requests/s */
param_apply_fn apply_netif; /* VETHCTL_VE_HWADDR per device, host side via rtnetlink (veth.c) */

/* Appliers without a kernel call of their own (apply-later.c). */
param_apply_fn apply_stored;        /* only stored; vzlite itself reads it */
param_apply_fn apply_host_setting;  /* vz.conf's host-wide setting */
param_apply_fn apply_not_sent;      /* checked by validate, never sent (AVNUMPROC) */
param_apply_fn apply_vswap_derived; /* scales the PRIVVMPAGES start derives */
param_apply_fn apply_at_env_create; /* a field of VZCTL_ENV_CREATE_DATA at start */
param_apply_fn apply_at_init;       /* capabilities dropped by the VE's init at start */
param_apply_fn apply_at_mount;      /* the simfs mount and its quota at start */
param_apply_fn apply_in_ve_files;   /* files inside the VE, written at start */
param_apply_fn apply_pending;       /* its mechanism is not issued by vzlite yet */

#endif
