/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vzl_error → vzctl exit code (vzctl-behaviour.md §7.1, kolyshkin/vzctl include/vzerror.h).
 * One table keyed by the failing step; a few steps refine by errno or parameter.
 */
#include <errno.h>
#include <string.h>

#include "cli.h"

static const unsigned char step_codes[_VZL_STEP_MAX] = {
	[VZL_STEP_NONE] = 3,            /* VZ_SYSTEM_ERROR */
	[VZL_STEP_CONFIG_READ] = 10,    /* VZ_NOCONFIG */
	[VZL_STEP_CONFIG_VALUE] = 21,   /* VZ_INVALID_PARAMETER_VALUE */
	[VZL_STEP_CONFIG_WRITE] = 139,  /* VZ_CONFIG_SAVE_ERROR */
	[VZL_STEP_ARGUMENT] = 21,       /* VZ_INVALID_PARAMETER_VALUE */
	[VZL_STEP_PATH] = 3,            /* refined below */
	[VZL_STEP_LOCK] = 3,            /* VZ_SYSTEM_ERROR; EBUSY: VZ_LOCKED */
	[VZL_STEP_KERNEL_OPEN] = 5,     /* VZ_BAD_KERNEL */
	[VZL_STEP_SETLUID] = 18,        /* VZ_SETLUID_ERROR */
	[VZL_STEP_UBC_SET] = 1,         /* VZ_SETUBC_ERROR */
	[VZL_STEP_FAIRSCHED] = 2,       /* VZ_SETFSHD_ERROR */
	[VZL_STEP_ENV_CREATE] = 7,      /* VZ_ENVCREATE_ERROR; EACCES: VZ_NO_ACCES */
	[VZL_STEP_QUOTA] = 60,          /* VZ_DQ_ON */
	[VZL_STEP_VENET] = 34,          /* VZ_CANT_ADDIP; EADDRINUSE: VZ_IP_INUSE */
	[VZL_STEP_NETLINK] = 34,        /* VZ_CANT_ADDIP */
	[VZL_STEP_VETH] = 130,          /* VZ_VETH_ERROR */
	[VZL_STEP_MOUNT] = 50,          /* VZ_FS_CANTMOUNT */
	[VZL_STEP_TEMPLATE] = 91,       /* VZ_OSTEMPLATE_NOT_FOUND; unset: 29 */
	[VZL_STEP_EXTRACT] = 48,        /* VZ_FS_NEW_VE_PRVT */
	[VZL_STEP_XML] = 21,            /* VZ_INVALID_PARAMETER_VALUE */
	[VZL_STEP_STATE] = 3,           /* refined below */
	[VZL_STEP_PROFILE] = 82,        /* VZ_CP_CONFIG */
	[VZL_STEP_NOT_IMPLEMENTED] = 3, /* VZ_SYSTEM_ERROR */
	[VZL_STEP_EXEC] = 126,          /* as a shell: found but not executable; ENOENT: 127 */
};

static int param_is(const vzl_error *err, const char *name)
{
	const char *p = vzl_error_param(err);
	return p && strcmp(p, name) == 0;
}

int cli_exit_code(const vzl_error *err)
{
	enum vzl_step step = vzl_error_step(err);
	int code = vzl_error_code(err);

	if (code == ENOMEM)
		return 6; /* VZ_RESOURCE_ERROR */
	switch (step) {
	case VZL_STEP_NONE:
		if (param_is(err, "DEVICES") || param_is(err, "DEVNODES"))
			return 86; /* VZ_SET_DEVICES */
		if (param_is(err, "QUOTAUGIDLIMIT"))
			return 65; /* VZ_ERROR_SET_USER_QUOTA */
		if (param_is(err, "--wait"))
			return 133; /* VZ_WAIT_FAILED */
		break;
	case VZL_STEP_PATH:
		/* EINVAL: the parameter is unset; otherwise the directory is unusable */
		if (param_is(err, "VE_PRIVATE") && code == EEXIST)
			return 44; /* VZ_FS_PRVT_AREA_EXIST */
		if (param_is(err, "VE_PRIVATE"))
			return code == ENOENT ? 43 : 23; /* VZ_FS_NOPRVT, VZ_VE_PRIVATE_NOTSET */
		if (param_is(err, "VE_ROOT"))
			return code == EINVAL ? 22 : 49; /* VZ_VE_ROOT_NOTSET, VZ_FS_MPOINTCREATE */
		if (param_is(err, "TEMPLATE"))
			return 24; /* VZ_VE_TMPL_NOTSET */
		break;
	case VZL_STEP_QUOTA:
		if (param_is(err, "init"))
			return 61; /* VZ_DQ_INIT */
		if (param_is(err, "setlimit"))
			return 62; /* VZ_DQ_SET */
		break;
	case VZL_STEP_LOCK:
		if (code == EBUSY || code == EAGAIN || code == EWOULDBLOCK)
			return 9; /* VZ_LOCKED */
		break;
	case VZL_STEP_ENV_CREATE:
		if (code == EACCES)
			return 12; /* VZ_NO_ACCES */
		if (param_is(err, "OSRELEASE"))
			return 144; /* VZ_SET_OSRELEASE */
		break;
	case VZL_STEP_VENET:
		if (code == EADDRINUSE)
			return 78; /* VZ_IP_INUSE */
		break;
	case VZL_STEP_TEMPLATE:
		if (param_is(err, "init"))
			return 47; /* VZ_FS_BAD_TMPL: no init could be executed */
		if (code == EINVAL)
			return 29; /* VZ_VE_OSTEMPLATE_NOTSET */
		break;
	case VZL_STEP_MOUNT:
		if (code == EBUSY)
			return 41; /* VZ_FS_MOUNTED */
		if (code == ENXIO)
			return 40; /* VZ_FS_NOT_MOUNTED: umount of an unmounted VE */
		break;
	case VZL_STEP_CONFIG_VALUE:
		if (code == ENODATA)
			return 28; /* VZ_NOTENOUGHUBCPARAMS: a required UB parameter unset */
		break;
	case VZL_STEP_ARGUMENT:
		if (code == EOPNOTSUPP && param_is(err, "VE_LAYOUT"))
			return 99; /* VZ_PLOOP_UNSUP */
		break;
	case VZL_STEP_EXEC:
		if (code == ENOENT)
			return 127; /* as a shell: command not found */
		break;
	case VZL_STEP_STATE:
		if (code == ETIMEDOUT)
			return 33; /* VZ_STOP_ERROR: it did not stop */
		if (code == EPERM)
			return 105; /* VZ_VE_DISABLED */
		if (code == ENOENT)
			return 14; /* VZ_NOVECONFIG */
		if (code == EBUSY)
			return 32; /* VZ_VE_RUNNING */
		if (code == ESRCH)
			return 31; /* VZ_VE_NOT_RUNNING */
		break;
	default:
		break;
	}
	if ((unsigned)step < _VZL_STEP_MAX && step_codes[step])
		return step_codes[step];
	return 3;
}
