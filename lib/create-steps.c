/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The steps of a create (create.c's file comment gives the order and why), each with the
 * undo of exactly what it made, for the step engine (step.h). define reuses the rows.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "create-steps.h"
#include "ctx.h"
#include "error.h"
#include "extract.h"
#include "fsutil.h"
#include "macro.h"
#include "ve-state.h"

static const char *lock_dir(const vzl_ve *ve)
{
	return ve->ctx->paths[VZL_PATH_LOCK_DIR];
}

static int lock_run(void *op, vzl_error **err)
{
	struct op_lock *l = op;
	return lock_ve(lock_dir(l->ve), l->ve->id, &l->lock, err);
}

static int lock_undo(void *op, vzl_error **err)
{
	(void)err;
	unlock_ve(&((struct op_lock *)op)->lock);
	return 0;
}

static void lock_describe(const void *op, struct step_plan *plan)
{
	const struct op_lock *l = op;
	step_line(plan, "lock %s/%u.lck", lock_dir(l->ve), l->ve->id);
}

static void lock_describe_undo(const void *op, struct step_plan *plan)
{
	const struct op_lock *l = op;
	step_line(plan, "unlock %s/%u.lck", lock_dir(l->ve), l->ve->id);
}

const struct step create_row_lock = {
	.name = "lock",
	.error_step = VZL_STEP_LOCK,
	.flags = STEP_HELD,
	.run = lock_run,
	.undo = lock_undo,
	.describe = lock_describe,
	.describe_undo = lock_describe_undo,
};

/* Leftovers of an interrupted create or destroy, then what changed while waiting. */
static int settle_run(void *op, vzl_error **err)
{
	struct create_op *p = op;
	vzl_ve *ve = p->ve;
	int r = ve_clean_leftovers(ve, p->priv, p->root, err);
	if (r == VE_LEFTOVERS_COMPLETED)
		return error_set(err, EEXIST, ve->id, VZL_STEP_PATH, "VE_PRIVATE",
				 "VE %u exists: an interrupted create had made its private area "
				 "%s, and it was completed now; %s",
				 ve->id, p->priv,
				 strcmp(p->what, "define") == 0
					 ? "run define again to re-define it"
					 : "destroy it first to create it again");
	/* Checked again under the lock: another create may have finished meanwhile. */
	if (r >= 0 && (access(ve->config_path, F_OK) == 0) != p->had_config)
		return error_set(err, EEXIST, ve->id, VZL_STEP_PROFILE, NULL,
				 "%s was %s while this command waited for the lock of VE %u; run "
				 "it again",
				 ve->config_path, p->had_config ? "removed" : "written", ve->id);
	return r < 0 ? r : 0;
}

static void settle_describe(const void *op, struct step_plan *plan)
{
	const struct create_op *p = op;
	step_line(plan, "settle leftovers of an interrupted create or destroy of VE %u", p->ve->id);
}

const struct step create_row_settle = {
	.name = "settle",
	.error_step = VZL_STEP_STATE,
	.run = settle_run,
	.describe = settle_describe,
};

/* vzctl: VE_PRIVATE must not exist, or be an empty directory (exit 44). */
static bool private_is_free(const char *dir)
{
	int r = fs_dir_has_entries(dir);
	return r == 0 || r == -ENOENT;
}

static int check_run(void *op, vzl_error **err)
{
	struct create_op *p = op;
	p->extract = p->cache != NULL;
	if (!p->extract || private_is_free(p->priv))
		return 0;
	if (p->keep_private) {
		log_info(p->ve->ctx, "VE %u: private area %s exists; kept, not extracted",
			 p->ve->id, p->priv);
		p->extract = false;
		return 0;
	}
	return error_set(err, EEXIST, p->ve->id, VZL_STEP_PATH, "VE_PRIVATE",
			 "private area %s already exists and is not empty; destroy VE %u or "
			 "choose another --private",
			 p->priv, p->ve->id);
}

static void check_describe(const void *op, struct step_plan *plan)
{
	const struct create_op *p = op;
	if (!p->cache)
		step_line(plan, "use the private area %s as it is", p->priv);
	else if (p->keep_private)
		step_line(plan, "keep %s if it is not empty, else extract into it", p->priv);
	else
		step_line(plan, "refuse if %s exists and is not empty", p->priv);
}

const struct step create_row_check = {
	.name = "check private area",
	.error_step = VZL_STEP_PATH,
	.flags = STEP_CHECKS,
	.run = check_run,
	.describe = check_describe,
};

static bool when_extract(const void *op)
{
	return ((const struct create_op *)op)->extract;
}

static bool when_kept(const void *op)
{
	return !((const struct create_op *)op)->extract;
}

/* "write <file> from <profile or config> with OSTEMPLATE=..." */
static void describe_write(const struct create_op *p, const char *file, struct step_plan *plan)
{
	step_line(plan, "write %s from %s with OSTEMPLATE=\"%s\"", file,
		  p->profile_path ? p->profile_path : p->ve->config_path, p->tmpl ? p->tmpl : "");
}

/* The marker: the config this create commits at its end (create.c's file comment). */
static int marker_run(void *op, vzl_error **err)
{
	struct create_op *p = op;
	int r = config_save_as(p->cfg, p->pending, err);
	if (r < 0)
		error_set_veid(err, p->ve->id);
	return r;
}

static int unlink_file(const vzl_ve *ve, const char *path, vzl_error **err)
{
	if (unlink(path) < 0 && errno != ENOENT)
		return error_set(err, errno, ve->id, VZL_STEP_CONFIG_WRITE, NULL,
				 "cannot remove %s: %m", path);
	return 0;
}

static int marker_undo(void *op, vzl_error **err)
{
	struct create_op *p = op;
	return unlink_file(p->ve, p->pending, err);
}

static void marker_describe(const void *op, struct step_plan *plan)
{
	const struct create_op *p = op;
	describe_write(p, p->pending, plan);
}

const struct step create_row_marker = {
	.name = "write pending config",
	.error_step = VZL_STEP_CONFIG_WRITE,
	.when = when_extract,
	.run = marker_run,
	.undo = marker_undo,
	.describe = marker_describe,
};

struct progress_relay {
	vzl_progress_fn fn;
	void *userdata;
};

static int relay_progress(const struct extract_progress *e, void *userdata)
{
	struct progress_relay *r = userdata;
	return r->fn(r->userdata, e->archive_bytes, e->archive_size, e->entries);
}

static int extract_undo(void *op, vzl_error **err)
{
	struct create_op *p = op;
	if (!p->made_staging)
		return 0;
	int r = fs_remove_tree(p->staging, p->ve->id, VZL_STEP_EXTRACT, err);
	if (r == 0)
		p->made_staging = false;
	return r;
}

static int extract_run(void *op, vzl_error **err)
{
	struct create_op *p = op;
	vzl_ve *ve = p->ve;
	_cleanup_free_ char *parent = strdup(p->priv);
	char *slash = parent ? strrchr(parent, '/') : NULL;
	if (slash && slash != parent) {
		*slash = '\0';
		int r = fs_mkdir_parents(parent, 0755); /* the private area's parent may be new */
		if (r < 0 && r != -EEXIST)
			return error_set(err, -r, ve->id, VZL_STEP_EXTRACT, "VE_PRIVATE",
					 "cannot create %s: %s", parent, strerror(-r));
	}
	if (mkdir(p->staging, 0700) < 0)
		return error_set(err, errno, ve->id, VZL_STEP_EXTRACT, "VE_PRIVATE",
				 "cannot create the staging directory %s: %m", p->staging);
	p->made_staging = true;
	struct progress_relay relay = { p->opts->progress, p->opts->progress_userdata };
	struct extract_opts eo = {
		.veid = ve->id,
		.progress = relay.fn ? relay_progress : NULL,
		.userdata = &relay,
		.sync = false, /* the syncfs step does it */
	};
	int r = extract_archive(p->cache, p->staging, &eo, NULL, err);
	if (r < 0) /* the message names the archive and the entry */
		(void)extract_undo(p, NULL);
	return r;
}

static void extract_describe(const void *op, struct step_plan *plan)
{
	const struct create_op *p = op;
	step_line(plan, "extract %s into %s (numeric owners, permissions, xattrs, ACLs)", p->cache,
		  p->staging);
}

const struct step create_row_extract = {
	.name = "extract",
	.error_step = VZL_STEP_EXTRACT,
	.when = when_extract,
	.run = extract_run,
	.undo = extract_undo,
	.describe = extract_describe,
};

/*
 * The rename below must not reach the disk before the data it names: one syncfs(2) of
 * the staging filesystem (extract.c explains why not fsync per file); sync() where the
 * kernel has no syncfs.
 */
static int syncfs_run(void *op, vzl_error **err)
{
	struct create_op *p = op;
	int fd = open(p->staging, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	int r = fd < 0 ? -errno : fs_syncfs(fd);
	if (fd >= 0)
		close(fd);
	if (r < 0)
		return error_set(err, -r, p->ve->id, VZL_STEP_EXTRACT, NULL,
				 "cannot flush '%s' to disk: %s", p->staging, strerror(-r));
	return 0;
}

static void syncfs_describe(const void *op, struct step_plan *plan)
{
	const struct create_op *p = op;
	step_line(plan, "syncfs %s", p->staging);
}

const struct step create_row_syncfs = {
	.name = "syncfs",
	.error_step = VZL_STEP_EXTRACT,
	.when = when_extract,
	.run = syncfs_run,
	.describe = syncfs_describe,
};

static int root_run(void *op, vzl_error **err)
{
	struct create_op *p = op;
	int r = fs_mkdir_parents(p->root, 0755);
	if (r < 0 && r != -EEXIST)
		return error_set(err, -r, p->ve->id, VZL_STEP_PATH, "VE_ROOT",
				 "cannot create the root mount point %s: %s", p->root,
				 strerror(-r));
	p->made_root = r == 0;
	return 0;
}

static int root_undo(void *op, vzl_error **err)
{
	struct create_op *p = op;
	if (p->made_root && rmdir(p->root) < 0 && errno != ENOENT)
		return error_set(err, errno, p->ve->id, VZL_STEP_PATH, "VE_ROOT",
				 "cannot remove %s: %m", p->root);
	p->made_root = false;
	return 0;
}

static void root_describe(const void *op, struct step_plan *plan)
{
	const struct create_op *p = op;
	step_line(plan, "mkdir %s", p->root);
}

const struct step create_row_root = {
	.name = "root",
	.error_step = VZL_STEP_PATH,
	.run = root_run,
	.undo = root_undo,
	.describe = root_describe,
};

/* Put an empty private directory the rename replaced back, with its mode. */
static void restore_empty_priv(struct create_op *p)
{
	if (p->removed_priv && mkdir(p->priv, 0700) == 0) {
		(void)chmod(p->priv, p->priv_mode & 07777);
		p->removed_priv = false;
	}
}

/* vps-create leaves the private area's top directory 0755 (vzctl-behaviour.md §3.1). */
static int rename_run(void *op, vzl_error **err)
{
	struct create_op *p = op;
	struct stat st;
	if (lstat(p->priv, &st) == 0 && S_ISDIR(st.st_mode)) {
		p->priv_mode = st.st_mode;
		p->removed_priv = rmdir(p->priv) == 0; /* empty, as the check step saw */
	}
	if (chmod(p->staging, 0755) < 0 || rename(p->staging, p->priv) < 0) {
		int e = errno;
		restore_empty_priv(p);
		return error_set(err, e, p->ve->id, VZL_STEP_EXTRACT, "VE_PRIVATE",
				 "cannot move %s into place as %s: %s", p->staging, p->priv,
				 strerror(e));
	}
	return 0;
}

static int rename_undo(void *op, vzl_error **err)
{
	struct create_op *p = op;
	if (rename(p->priv, p->staging) < 0)
		return error_set(err, errno, p->ve->id, VZL_STEP_EXTRACT, "VE_PRIVATE",
				 "cannot move %s back to %s: %m", p->priv, p->staging);
	restore_empty_priv(p);
	return 0;
}

static void rename_describe(const void *op, struct step_plan *plan)
{
	const struct create_op *p = op;
	step_line(plan, "rename %s to %s", p->staging, p->priv);
}

const struct step create_row_rename = {
	.name = "rename",
	.error_step = VZL_STEP_EXTRACT,
	.when = when_extract,
	.run = rename_run,
	.undo = rename_undo,
	.describe = rename_describe,
};

/*
 * The commit. When the rename onto the config was done but its directory could not be
 * synced, it is moved back so that the steps before are undone with nothing committed; if
 * even that fails the VE exists and this is reported as a warning naming the config.
 */
static int commit_run(void *op, vzl_error **err)
{
	struct create_op *p = op;
	vzl_ve *ve = p->ve;
	int r = ve_commit_pending(ve, p->pending, err);
	if (r == 0 || access(p->pending, F_OK) == 0)
		return r;
	if (rename(ve->config_path, p->pending) == 0)
		return r;
	log_warning(ve->ctx, "VE %u: %s; the VE is created, but may not survive a crash", ve->id,
		    err && *err ? vzl_error_message(*err) : strerror(-r));
	if (err) {
		vzl_error_free(*err);
		*err = NULL;
	}
	return 0;
}

static void commit_describe(const void *op, struct step_plan *plan)
{
	const struct create_op *p = op;
	step_line(plan, "rename %s to %s", p->pending, p->ve->config_path);
}

const struct step create_row_commit = {
	.name = "commit config",
	.error_step = VZL_STEP_CONFIG_WRITE,
	.when = when_extract,
	.run = commit_run,
	.describe = commit_describe,
};

/* Nothing extracted (define of a given or kept private area): the config is written last. */
static int config_run(void *op, vzl_error **err)
{
	struct create_op *p = op;
	int r = config_save_as(p->cfg, p->ve->config_path, err);
	if (r < 0)
		error_set_veid(err, p->ve->id);
	return r;
}

static void config_describe(const void *op, struct step_plan *plan)
{
	const struct create_op *p = op;
	describe_write(p, p->ve->config_path, plan);
}

const struct step create_row_config = {
	.name = "write config",
	.error_step = VZL_STEP_CONFIG_WRITE,
	.when = when_kept,
	.run = config_run,
	.describe = config_describe,
};
