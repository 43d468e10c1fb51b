/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * start's rows for the VE's own network configuration (ve-inside.h), where vzctl runs its
 * distribution scripts with init still held (vzctl-behaviour.md §3.2 step 10):
 *  - "network inside" after the venet map and the host side (step 10.1: ADD_IP), when the VE
 *    has addresses (vzctl runs it also without, to clean stale venet0 config: not done here);
 *  - "names inside" after the second-level quota (step 10.10: SET_HOSTNAME when HOSTNAME is
 *    set, SET_DNS when NAMESERVER or SEARCHDOMAIN is).
 * vzctl ignores these scripts' failures; so do these rows: a failure inside is a warning and
 * the start goes on. Nothing to undo: the VE's network namespace goes with the VE, and the
 * files written stay, as vzctl's do.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "ve-inside.h"
#include "ve-run.h"

bool ve_run_ipv6(const struct ve_run *op)
{
	char *v = NULL;
	bool yes = vzl_config_get(op->cfg, "IPV6", VZL_GET_DEFAULT | VZL_GET_CANONICAL, &v, NULL,
				  NULL) == 0 &&
		   v && !strcmp(v, "yes");
	free(v);
	return yes;
}

static unsigned names_what(const struct ve_run *op)
{
	const struct ve_spec_net *n = &op->spec.net;
	unsigned what = 0;
	if (n->hostname && n->hostname[0])
		what |= INSIDE_HOSTNAME;
	if (n->nameservers.n || n->searchdomains.n)
		what |= INSIDE_DNS;
	return what;
}

static int run_what(struct ve_run *op, unsigned what)
{
	struct inside_job job;
	if (inside_job_init(&job, op->ve, &op->spec, ve_run_ipv6(op), what, true) == 0)
		inside_run(op->ve, op->root, &job);
	else
		log_warning(op->ve->ctx,
			    "VE %u: its network configuration inside was not done: "
			    "out of memory",
			    op->ve->id);
	inside_job_done(&job);
	return 0;
}

static void describe_what(const struct ve_run *op, unsigned what, struct step_plan *plan)
{
	struct inside_job job;
	if (inside_job_init(&job, op->ve, &op->spec, ve_run_ipv6(op), what, true) == 0)
		inside_describe(&job, op->ve->id, op->root, plan);
	inside_job_done(&job);
}

static int net_run(void *o, vzl_error **err)
{
	(void)err;
	return run_what(o, INSIDE_ADD_IP);
}

static void net_describe(const void *o, struct step_plan *plan)
{
	describe_what(o, INSIDE_ADD_IP, plan);
}

/* Only a VE with addresses: without any, vzctl's ADD_IP only cleans stale venet0 config,
 * which vzlite leaves (the distribution brings lo up itself). */
static bool when_net(const void *o)
{
	const struct ve_run *op = o;
	bool ipv6 = ve_run_ipv6(op);
	for (size_t i = 0; i < op->spec.net.ips.n; i++)
		if (op->spec.net.ips.v[i].family == AF_INET || ipv6)
			return true;
	return false;
}

const struct step start_row_inside_net = {
	.name = "network inside",
	.error_step = VZL_STEP_NETLINK,
	.when = when_net,
	.run = net_run,
	.describe = net_describe,
};

static bool when_names(const void *o)
{
	return names_what(o) != 0;
}

static int names_run(void *o, vzl_error **err)
{
	(void)err;
	return run_what(o, names_what(o));
}

static void names_describe(const void *o, struct step_plan *plan)
{
	describe_what(o, names_what(o), plan);
}

const struct step start_row_inside_names = {
	.name = "names inside",
	.error_step = VZL_STEP_NETLINK,
	.when = when_names,
	.run = names_run,
	.describe = names_describe,
};
