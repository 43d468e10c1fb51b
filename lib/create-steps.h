/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A create as data: what it resolved before anything is written (create.c) and the steps
 * that write it (create-steps.c), shared with define, whose tables reuse these rows.
 */
#ifndef VZL_CREATE_STEPS_H
#define VZL_CREATE_STEPS_H

#include <stdbool.h>

#include "create-opts.h"
#include "lock.h"
#include "step.h"

/* The first member of every operation that runs create_row_lock (destroy's too). */
struct op_lock {
	vzl_ve *ve;
	struct ve_lock lock;
};

struct create_op {
	struct op_lock held; /* first: the lock row's view of the operation */
	vzl_ve *ve;
	const vzl_create_opts *opts;
	const char *what;    /* "create" or "define", for messages */
	vzl_config *cfg;     /* the profile's lines plus this operation's values */
	char *profile_path;  /* NULL: an existing config is continued with */
	const char *profile; /* the profile's name, NULL with an existing config */
	bool had_config;     /* <VEID>.conf existed when the operation was resolved */
	bool no_template;    /* the private area is given: no template, nothing extracted */
	bool keep_private;   /* a non-empty private area is kept, not refused */
	char *tmpl, *cache;
	char *priv, *root; /* expanded */
	char *staging, *pending;
	/* Decided and recorded by the steps as they run. */
	bool extract;   /* the private area is made from the cache */
	bool made_root; /* the root step made the root directory */
	bool made_staging;
	bool removed_priv;      /* the rename step removed an empty private directory */
	unsigned int priv_mode; /* ... whose mode this was */
};

/* Resolution (create.c): the profile or existing config opened into op->cfg. */
int create_open_config(struct create_op *op, vzl_error **err);
/* Then the template, paths, layout and the options' values put on op->cfg. */
int create_complete_config(struct create_op *op, vzl_error **err);
void create_op_done(struct create_op *op);

/* The rows, in the order a create runs them (create-steps.c). */
extern const struct step create_row_lock;    /* STEP_HELD; the op starts with struct op_lock */
extern const struct step create_row_settle;  /* leftovers; the config re-checked */
extern const struct step create_row_check;   /* STEP_CHECKS: the private area is free */
extern const struct step create_row_marker;  /* the pending config */
extern const struct step create_row_extract; /* into the staging directory */
extern const struct step create_row_syncfs;
extern const struct step create_row_root;   /* the root mount point */
extern const struct step create_row_rename; /* staging → private area */
extern const struct step create_row_quota;  /* create-quota.c: the quota file (vzquota init) */
extern const struct step create_row_commit; /* pending config → config */
extern const struct step create_row_config; /* the config written (nothing extracted) */

#endif
