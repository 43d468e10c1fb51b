/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What a start sets while the VE's init is held (vzctl-behaviour.md §3.2 step 10, in its
 * order): CPU (fairsched_rate, fairsched_chwt, fairsched_vcpus, the masks), device
 * permissions (DEVICES, DEVNODES), /proc/meminfo (classic configs), I/O priority and
 * limits. Each goes through the parameter's applier (apply.h), the same code a live
 * `set` uses, with the canonical config values. No undo: these live in the VE, which the
 * create row's undo stops.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "apply.h"
#include "ctx.h"
#include "error.h"
#include "macro.h"
#include "params.h"
#include "kernel.h"
#include "ve-run.h"
#include "ve-tree.h"

/* The canonical value of `key` in the VE's config (vz.conf's beneath), cached; NULL unset. */
static const char *value_of(void *userdata, const char *key)
{
	struct ve_run *op = userdata;
	for (size_t i = 0; i < op->n_values; i++)
		if (strcmp(op->values[i].key, key) == 0)
			return op->values[i].value;
	char *v = NULL;
	if (vzl_config_get(op->cfg, key, VZL_GET_CANONICAL, &v, NULL, NULL) < 0)
		v = NULL;
	struct ve_run_value *vals = realloc(op->values, (op->n_values + 1) * sizeof(*vals));
	char *k = strdup(key);
	if (!vals || !k) {
		free(k);
		free(v);
		if (vals)
			op->values = vals;
		return NULL;
	}
	op->values = vals;
	vals[op->n_values++] = (struct ve_run_value){ k, v };
	return v;
}

void start_res_done(struct ve_run *op)
{
	for (size_t i = 0; i < op->n_values; i++) {
		free(op->values[i].key);
		free(op->values[i].value);
	}
	free(op->values);
	op->values = NULL;
	op->n_values = 0;
}

/* Apply `key` with its configured value, or `fallback` when unset (NULL: skip). */
static int apply_key(struct ve_run *op, const char *key, const char *fallback, vzl_error **err)
{
	const struct param_def *p = param_find(key);
	const char *v = value_of(op, key);
	if (!v)
		v = fallback;
	if (!v || !p || !p->apply)
		return 0;
	return apply_row(op->ve, p, v, value_of, op, err);
}

static int apply_keys(struct ve_run *op, const char *const *keys, vzl_error **err)
{
	for (; *keys; keys++) {
		int r = apply_key(op, *keys, NULL, err);
		if (r < 0)
			return r;
	}
	return 0;
}

/* §3.2 step 10.3: rate, weight (CPUUNITS=1000 when neither it nor CPUUWEIGHT is set), vcpus,
 * masks. The kernel made the node at VE create (042stab); no mknod, no mvpr. */
static int cpu_run(void *o, vzl_error **err)
{
	struct ve_run *op = o;
	int r = apply_key(op, "CPULIMIT", NULL, err);
	if (r == 0)
		r = apply_key(op, "CPUUNITS", value_of(op, "CPUUWEIGHT") ? NULL : "1000", err);
	if (r == 0)
		r = apply_key(op, "CPUUWEIGHT", NULL, err);
	static const char *const rest[] = { "CPUS", "CPUMASK", "NODEMASK", NULL };
	return r < 0 ? r : apply_keys(op, rest, err);
}

const struct step start_row_cpu = {
	.name = "cpu",
	.error_step = VZL_STEP_FAIRSCHED,
	.flags = STEP_RECORDS,
	.run = cpu_run,
};

/*
 * §3.2 step 10.4, §5.6: each DEVNODES entry NAME:PERM is made in the VE's /dev as vzctl 4.x
 * makes it (its base name: net/tun is /dev/tun), with the host's /dev/NAME type and number,
 * and removed for "none"; then the permissions. A host node that is missing is the applier's
 * error, before anything is sent.
 */
static int devnodes_make(struct ve_run *op, int rootfd, const char *value, vzl_error **err)
{
	for (const char *w = value + strspn(value, " "); *w; w += strspn(w, " ")) {
		size_t n = strcspn(w, " ");
		char word[256], host[PATH_MAX];
		struct stat st;
		snprintf(word, sizeof(word), "%.*s", (int)(n < sizeof(word) ? n : sizeof(word) - 1),
			 w);
		w += n;
		char *perm = strrchr(word, ':');
		if (!perm)
			continue; /* the applier refuses it */
		*perm++ = '\0';
		bool remove = strcmp(perm, "none") == 0;
		snprintf(host, sizeof(host), "/dev/%s", word);
		if (!remove &&
		    (stat(host, &st) < 0 || !(S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))))
			continue; /* the applier names it */
		const char *base = strrchr(word, '/') ? strrchr(word, '/') + 1 : word;
		int r = ve_tree_node(rootfd, base, NULL, remove ? 0 : st.st_mode,
				     remove ? 0 : st.st_rdev, remove, &op->devnodes_made,
				     op->ve->id, "DEVNODES", err);
		if (r < 0)
			return r;
	}
	return 0;
}

static int devices_undo(void *o, vzl_error **err)
{
	struct ve_run *op = o;
	if (!op->devnodes_made.n)
		return 0;
	int rootfd = open(op->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int r = rootfd < 0 ? -errno : ve_made_undo(rootfd, &op->devnodes_made);
	if (rootfd >= 0)
		close(rootfd);
	ve_made_free(&op->devnodes_made);
	return r < 0 ? error_set(err, -r, op->ve->id, VZL_STEP_NONE, "DEVNODES",
				 "VE %u: cannot remove the device nodes this start made in %s: %s",
				 op->ve->id, op->root, strerror(-r))
		     : 0;
}

static int devices_run(void *o, vzl_error **err)
{
	struct ve_run *op = o;
	int r = apply_key(op, "DEVICES", NULL, err);
	const char *nodes = value_of(op, "DEVNODES");
	if (r < 0 || !nodes)
		return r;
	if (!kernel_is_dry_run(&op->ve->ctx->kernel)) {
		int rootfd = open(op->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (rootfd < 0)
			return error_set(err, errno, op->ve->id, VZL_STEP_NONE, "DEVNODES",
					 "VE %u: cannot open its root %s: %m", op->ve->id,
					 op->root);
		r = devnodes_make(op, rootfd, nodes, err);
		close(rootfd);
	}
	if (r == 0)
		r = apply_key(op, "DEVNODES", NULL, err);
	if (r < 0)
		devices_undo(op, NULL); /* this row failed: the engine undoes only earlier ones */
	return r;
}

const struct step start_row_devices = {
	.name = "devices",
	.error_step = VZL_STEP_NONE,
	.flags = STEP_RECORDS,
	.run = devices_run,
	.undo = devices_undo,
};

/* §3.2 step 10.6: classic configs only (the applier decides), default privvmpages:1. */
static int meminfo_run(void *o, vzl_error **err)
{
	return apply_key(o, "MEMINFO", "privvmpages:1", err);
}

const struct step start_row_meminfo = {
	.name = "meminfo",
	.error_step = VZL_STEP_NONE,
	.flags = STEP_RECORDS,
	.run = meminfo_run,
};

static int io_run(void *o, vzl_error **err)
{
	static const char *const keys[] = { "IOPRIO", "IOLIMIT", "IOPSLIMIT", NULL };
	return apply_keys(o, keys, err);
}

const struct step start_row_io = {
	.name = "io",
	.error_step = VZL_STEP_NONE,
	.flags = STEP_RECORDS,
	.run = io_run,
};
