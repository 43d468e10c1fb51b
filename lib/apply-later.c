/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The appliers of rows no kernel call of their own applies (apply.h). Each is a named no-op
 * that says which work puts the value into effect, so a row never lacks an applier and a
 * reader sees where its value goes. apply_pending alone fails: its row has a kernel call
 * that kernel.c does not issue yet, and applying it must not look like a success.
 */
#include <errno.h>

#include "apply.h"
#include "error.h"

/* Stored in the config only; vzlite itself reads it (ONBOOT, DESCRIPTION, OSTEMPLATE...). */
int apply_stored(const struct apply_ctx *a, const struct param_def *p, const char *value,
		 vzl_error **err)
{
	(void)a, (void)p, (void)value, (void)err;
	return 0;
}

/* A host-wide setting of vz.conf, read by vzlite or the host's init scripts. */
int apply_host_setting(const struct apply_ctx *a, const struct param_def *p, const char *value,
		       vzl_error **err)
{
	(void)a, (void)p, (void)value, (void)err;
	return 0;
}

/* AVNUMPROC: only validate's rules read it; vzctl never sends it (§6.1). */
int apply_not_sent(const struct apply_ctx *a, const struct param_def *p, const char *value,
		   vzl_error **err)
{
	(void)a, (void)p, (void)value, (void)err;
	return 0;
}

/* VM_OVERCOMMIT: scales the PRIVVMPAGES of a VSwap VE, which start derives and sends with
 * setublimit (§6.6); it reaches the kernel through that row. */
int apply_vswap_derived(const struct apply_ctx *a, const struct param_def *p, const char *value,
			vzl_error **err)
{
	(void)a, (void)p, (void)value, (void)err;
	return 0;
}

/* IPTABLES, NETFILTER, FEATURES: fields of env_create_param3 that start passes with
 * VZCTL_ENV_CREATE_DATA; a running VE keeps its own until the next start. */
int apply_at_env_create(const struct apply_ctx *a, const struct param_def *p, const char *value,
			vzl_error **err)
{
	(void)a, (void)p, (void)value, (void)err;
	return 0;
}

/* CAPABILITY: the bounding set and capset() the VE's init gets at start. */
int apply_at_init(const struct apply_ctx *a, const struct param_def *p, const char *value,
		  vzl_error **err)
{
	(void)a, (void)p, (void)value, (void)err;
	return 0;
}

/* VE_ROOT, VE_PRIVATE, DISK_QUOTA: the simfs mount of VE_PRIVATE on VE_ROOT and the quota
 * turned on with it, done by the mount work at start. */
int apply_at_mount(const struct apply_ctx *a, const struct param_def *p, const char *value,
		   vzl_error **err)
{
	(void)a, (void)p, (void)value, (void)err;
	return 0;
}

/* HOSTNAME, NAMESERVER, SEARCHDOMAIN, USERPW: files inside the VE (hostname files,
 * resolv.conf, the password database), written by the start work. */
int apply_in_ve_files(const struct apply_ctx *a, const struct param_def *p, const char *value,
		      vzl_error **err)
{
	(void)a, (void)p, (void)value, (void)err;
	return 0;
}

/* A row whose mechanism (param_applier_name) is not issued by vzlite yet. */
int apply_pending(const struct apply_ctx *a, const struct param_def *p, const char *value,
		  vzl_error **err)
{
	(void)value;
	return error_set(err, EOPNOTSUPP, a->veid, VZL_STEP_NOT_IMPLEMENTED, p->name,
			 "applying %s (%s) is not implemented in this version yet; it is kept "
			 "in the config",
			 p->name, param_applier_name(p->applier));
}
