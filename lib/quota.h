/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vzquota's logic without vzquota (vzctl-behaviour.md §4.2, §4.6; kernel-abi.md §6): a VE's
 * quota file and the kernel's quota, driven together. The shared pieces of the operations
 * (quota.c) and the operations' step tables (quota-on.c, quota-off.c, quota-live.c).
 */
#ifndef VZL_QUOTA_H
#define VZL_QUOTA_H

#include <stdbool.h>

#include "ctx.h"
#include "quota-file.h"
#include "quota-scan.h"
#include "ve-spec.h"

/* QUOTATIME when unset (vzctl-behaviour.md §4.4) */
#define QUOTA_DEFAULT_GRACE 259200

/* Records per VZ_DQ_UGID_ADDSTAT / VZ_DQ_UGID_GETSTAT call */
#define QUOTA_UGID_BATCH 128

/* Kernel state of a quota id: a VZDQ_* value, or QUOTA_ABSENT */
#define QUOTA_ABSENT (-1)

/* One quota operation on one VE: what every step table shares. */
struct quota_op {
	vzl_ve *ve;
	struct kernel *k;
	unsigned int veid;
	struct ve_spec spec;
	bool have_spec;
	unsigned int flags;   /* VZL_QUOTA_* */
	bool kernel_optional; /* init at create: no OpenVZ kernel here is no quota in it */
	vzl_progress_fn progress;
	void *progress_userdata;

	struct quota_handle *h; /* open and flock()ed; NULL in a dry run without a file */
	struct quota_file file; /* read from the file, then changed for the write */
	bool fresh;             /* no file (or an empty one we created): nothing stored yet */
	int state;              /* the kernel's VZDQ_* state, or QUOTA_ABSENT */
	bool rescan;            /* the usage is computed by a scan */
	const char *rescan_why;
	bool rescanned;
	bool was_on;     /* off: the kernel had the quota on */
	uint64_t raise;  /* on: added to DISKSPACE (KiB) and DISKINODES (start's +100) */
	bool for_umount; /* off: a missing file with no quota in the kernel is nothing to do */

	/* quota-live.c: the config applied, and what was in force before, for the undo */
	const struct vzl_config *cfg;
	struct vz_quota_stat old_stat;
	struct vz_quota_ugid_stat old_conf;
	struct quota_ugid_record *old_recs;
	size_t n_old_recs;
	char *values[4]; /* the canonical values handed to the applier */
};

/*
 * Load the VE's config into op->spec and check what a quota needs: DISK_QUOTA not "no"
 * (else -EOPNOTSUPP naming DISK_QUOTA), VE_PRIVATE set; with `need_limits`, DISKSPACE and
 * DISKINODES set (their absence names the parameter, as vzctl's exit 63 and 64 do).
 */
int quota_op_load(struct quota_op *op, vzl_ve *ve, const vzl_config *cfg, bool need_limits,
		  vzl_error **err);
void quota_op_done(struct quota_op *op);

enum quota_op_open_mode {
	QUOTA_OP_EXISTING,       /* a missing file is -ENOENT */
	QUOTA_OP_MAY_BE_MISSING, /* then op->fresh, and no handle */
	QUOTA_OP_CREATE,         /* created (not in a dry run) and op->fresh */
};

/* Open, lock and read the file. */
int quota_op_open(struct quota_op *op, enum quota_op_open_mode mode, vzl_error **err);

/* The kernel's state of the quota (VZ_DQ_STATUS) into op->state. */
int quota_op_kernel_state(struct quota_op *op, vzl_error **err);

/* Put the config's limits into op->file (first level, grace, second level, per-id). */
int quota_op_limits(struct quota_op *op, vzl_error **err);

/* Grace deadlines as vzquota fixes them before CREATE: under the soft limit none. */
void quota_fix_grace(struct quota_file *q, int64_t now);

/* Scan the private area into op->file (per uid/gid when the second level is on). */
int quota_op_scan(struct quota_op *op, vzl_error **err);

/* Write op->file; the handle keeps the lock. */
int quota_op_write(struct quota_op *op, vzl_error **err);

/* Between the file's struct and the kernel's */
void quota_stat_to_kernel(const struct quota_stat *s, struct dq_stat *d);
void quota_stat_from_kernel(const struct dq_stat *d, struct quota_stat *s);

/* An error of a kernel call, naming it, the VE and what to do. */
int quota_call_failed(const struct quota_op *op, const char *call, int r, vzl_error **err);

/* Read the running quota's usage back (GETSTAT, and the second level) into op->file. */
int quota_op_read_kernel(struct quota_op *op, vzl_error **err);

/*
 * For mount, start, stop and umount, which hold the VE's lock and its config:
 * quota_on_cfg is vzl_ve_quota_on with the config's DISKSPACE and DISKINODES raised by
 * `raise` (KiB and inodes; vzctl's start raises both by 100 while it sets the VE up, except
 * a value of LONG_MAX) in the kernel and the file; quota_setlimit_cfg puts the config's
 * own limits back (VZ_DQ_SETLIMIT, then the file), as `vzquota setlimit` (§3.2 step 10.11);
 * quota_off_cfg is vzl_ve_quota_off where a missing file with no quota in the kernel is
 * nothing to do (umount: "if the quota is running").
 */
#define QUOTA_START_RAISE 100
int quota_on_cfg(vzl_ve *ve, const vzl_config *cfg, unsigned flags, uint64_t raise,
		 vzl_progress_fn fn, void *userdata, vzl_error **err);
int quota_setlimit_cfg(vzl_ve *ve, const vzl_config *cfg, vzl_error **err);
int quota_off_cfg(vzl_ve *ve, const vzl_config *cfg, vzl_error **err);
/* create (§3.1 step 11): vzl_ve_quota_init with the config being created; a host without an
 * OpenVZ kernel is taken as one without this VE's quota. */
int quota_init_cfg(vzl_ve *ve, const vzl_config *cfg, vzl_error **err);

/* The EBUSY retries of VZ_DQ_ON and VZ_DQ_OFF (quota-on.c); `buf` the last try's page */
#define QUOTA_BUSY_RETRIES 9
#define QUOTA_BUSY_BUF     4096
void quota_busy_sleep(int attempt);
const char *quota_busy_first(char *buf);

#endif
