/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * venet in the operations (vzctl-behaviour.md §3.2 step 10.1, §3.3 steps 3 and 6, §3.6):
 *
 *   start:   check (addresses parsed, host venet0 there, sysctls reported) … after the VE
 *            exists: VE_IP_ADD of each address (undo: VE_IP_DEL) → host side: routes,
 *            proxy entries, announcements, veip file (undo: all removed)
 *   stop:    the VE's addresses remembered from /proc/vz/veinfo (and the veip file) before
 *            it stops → after it stopped: their host side removed, the veip file too
 *   cleanup: a VE that stopped from inside: the host side of the veip file's addresses
 *   set:     net_live_change, the kernel's map and the host side brought to the new list
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "error.h"
#include "kernel.h"
#include "net.h"
#include "ve-run.h"

/* ---- start ------------------------------------------------------------------------- */

static int check_run(void *o, vzl_error **err)
{
	struct ve_run *op = o;
	unsigned veid = op->ve->id;
	char *v = NULL;
	net_addrs_free(&op->net_start);
	if (vzl_config_get(op->cfg, "IP_ADDRESS", VZL_GET_CANONICAL, &v, NULL, err) < 0)
		return -EINVAL;
	int r = net_addrs_parse(op->ve->ctx, veid, v, net_ipv6_enabled(op->ve->ctx),
				&op->net_start);
	if (r < 0)
		r = error_set(err, -r, veid, VZL_STEP_CONFIG_VALUE, "IP_ADDRESS",
			      "VE %u: IP_ADDRESS=\"%s\" is not a list of addresses; fix it with "
			      "'vzlite set %u --ipdel all --save'",
			      veid, v ? v : "", veid);
	free(v);
	if (r < 0 || !op->net_start.n)
		return r;
	struct net_host *h = NULL;
	if ((r = net_host_open(op->ve->ctx, veid, &h, err)) < 0)
		return r;
	r = net_host_check_venet(h, err);
	if (r == 0)
		net_host_report_sysctls(h, &op->net_start);
	net_host_close(h);
	return r;
}

static void check_describe(const void *o, struct step_plan *plan)
{
	const struct ve_run *op = o;
	step_line(plan, "read IP_ADDRESS; with addresses: refuse without the host's venet0, report "
			"the host sysctls venet needs (ip_forward, src_check, IPv6 forwarding, "
			"proxy_ndp)");
	(void)op;
}

const struct step start_row_net_check = {
	.name = "network check",
	.error_step = VZL_STEP_NETLINK,
	.flags = STEP_CHECKS,
	.run = check_run,
	.describe = check_describe,
};

static bool when_addresses(const void *o)
{
	return ((const struct ve_run *)o)->net_start.n > 0;
}

static int venet_run(void *o, vzl_error **err)
{
	struct ve_run *op = o;
	return net_venet_add(op->ve->ctx, op->ve->id, &op->net_start, err);
}

static int venet_undo(void *o, vzl_error **err)
{
	struct ve_run *op = o;
	return net_venet_del(op->ve->ctx, op->ve->id, &op->net_start, err);
}

const struct step start_row_venet = {
	.name = "venet addresses",
	.error_step = VZL_STEP_VENET,
	.flags = STEP_RECORDS,
	.when = when_addresses,
	.run = venet_run,
	.undo = venet_undo,
};

static void list_line(const struct net_addrs *l, const char *what, struct step_plan *plan)
{
	for (size_t i = 0; i < l->n; i++) {
		char text[ADDR_TEXT_MAX];
		addr_format(&l->v[i], 0, text, sizeof(text));
		step_line(plan, "%s %s", what, text);
	}
}

static int host_add_run(void *o, vzl_error **err)
{
	struct ve_run *op = o;
	struct net_host *h = NULL;
	int r = net_host_open(op->ve->ctx, op->ve->id, &h, err);
	if (r == 0)
		r = net_host_add(h, &op->net_start, true, err);
	net_host_close(h);
	return r;
}

static int host_del(struct ve_run *op, const struct net_addrs *l, vzl_error **err)
{
	struct net_host *h = NULL;
	int r = net_host_open(op->ve->ctx, op->ve->id, &h, err);
	if (r == 0)
		r = net_host_del(h, l, true, err);
	net_host_close(h);
	return r;
}

static int host_add_undo(void *o, vzl_error **err)
{
	struct ve_run *op = o;
	return host_del(op, &op->net_start, err);
}

static void host_add_describe(const void *o, struct step_plan *plan)
{
	const struct ve_run *op = o;
	step_line(plan,
		  "probe the IPv4 addresses with ARP on the neighbour devices (NEIGHBOUR_DEVS)");
	list_line(&op->net_start,
		  "proxy ARP/NDP entry and announcement on the neighbour devices, route dev "
		  "venet0 (source from VE_ROUTE_SRC_DEV), veip file line for",
		  plan);
}

const struct step start_row_net_host = {
	.name = "host network",
	.error_step = VZL_STEP_NETLINK,
	.when = when_addresses,
	.run = host_add_run,
	.undo = host_add_undo,
	.describe = host_add_describe,
};

/* ---- stop -------------------------------------------------------------------------- */

/* The kernel's list of the VE's addresses and the veip file's, together. */
static int remembered(struct ve_run *op, bool kernel, vzl_error **err)
{
	struct net_addrs k = { 0 }, f = { 0 };
	vzl_ctx *ctx = op->ve->ctx;
	int r = kernel ? net_addrs_of_ve(ctx, op->ve->id, &k) : 0;
	if (r == 0)
		r = net_veip_read(ctx, op->ve->id, &f);
	for (size_t i = 0; r == 0 && i < f.n; i++)
		r = net_addrs_push(&k, &f.v[i]);
	net_addrs_free(&f);
	net_addrs_free(&op->net_stop);
	if (r < 0) {
		net_addrs_free(&k);
		return error_set(
			err, -r, op->ve->id, VZL_STEP_NETLINK, NULL,
			"VE %u: cannot read its addresses (/proc/vz/veinfo, veip file): %s",
			op->ve->id, strerror(-r));
	}
	op->net_stop = k;
	return 0;
}

static int remember_run(void *o, vzl_error **err)
{
	struct ve_run *op = o;
	return op->nothing_to_stop ? 0 : remembered(op, true, err);
}

static void remember_describe(const void *o, struct step_plan *plan)
{
	step_line(plan, "remember the addresses of VE %u (/proc/vz/veinfo, veip file)",
		  ((const struct ve_run *)o)->ve->id);
}

const struct step stop_row_net_remember = {
	.name = "addresses",
	.error_step = VZL_STEP_NETLINK,
	.flags = STEP_CHECKS,
	.run = remember_run,
	.describe = remember_describe,
};

static bool when_stopped_with_addresses(const void *o)
{
	const struct ve_run *op = o;
	return !op->nothing_to_stop && op->net_stop.n > 0;
}

static int host_del_run(void *o, vzl_error **err)
{
	struct ve_run *op = o;
	return host_del(op, &op->net_stop, err);
}

static void host_del_describe(const void *o, struct step_plan *plan)
{
	const struct ve_run *op = o;
	step_line(plan, "remove the host routes dev venet0 and proxy ARP/NDP entries of the VE's "
			"addresses, and its veip file");
	list_line(&op->net_stop, "host side removed for", plan);
}

const struct step stop_row_net_host = {
	.name = "host network",
	.error_step = VZL_STEP_NETLINK,
	.when = when_stopped_with_addresses,
	.run = host_del_run,
	.describe = host_del_describe,
};

/* ---- cleanup of a VE stopped from inside -------------------------------------------- */

static bool when_stopped_inside(const void *o)
{
	return ((const struct ve_run *)o)->stopped_inside;
}

static int cleanup_run(void *o, vzl_error **err)
{
	struct ve_run *op = o;
	int r = remembered(op, false, err);
	if (r == 0 && op->net_stop.n)
		r = host_del(op, &op->net_stop, err);
	else if (r == 0)
		(void)net_veip_remove(op->ve->ctx, op->ve->id);
	return r;
}

static void cleanup_describe(const void *o, struct step_plan *plan)
{
	step_line(plan, "remove the host side of the addresses in the veip file of VE %u",
		  ((const struct ve_run *)o)->ve->id);
}

const struct step cleanup_row_net_host = {
	.name = "host network",
	.error_step = VZL_STEP_NETLINK,
	.when = when_stopped_inside,
	.run = cleanup_run,
	.describe = cleanup_describe,
};

/* ---- set ----------------------------------------------------------------------------- */

static int diff(const struct net_addrs *a, const struct net_addrs *b, struct net_addrs *ret)
{
	int r = 0;
	for (size_t i = 0; r == 0 && i < a->n; i++)
		if (!net_addrs_has(b, &a->v[i]))
			r = net_addrs_push(ret, &a->v[i]);
	return r;
}

int net_live_change(vzl_ve *ve, const char *value, vzl_error **err)
{
	vzl_ctx *ctx = ve->ctx;
	unsigned veid = ve->id;
	struct net_addrs want = { 0 }, now = { 0 }, gone = { 0 }, added = { 0 };
	struct net_host *h = NULL;
	bool dry = kernel_is_dry_run(&ctx->kernel);
	int r = net_addrs_parse(ctx, veid, value, net_ipv6_enabled(ctx), &want);
	if (r < 0)
		r = error_set(err, -r, veid, VZL_STEP_CONFIG_VALUE, "IP_ADDRESS",
			      "VE %u: IP_ADDRESS=\"%s\" is not a list of addresses", veid, value);
	if (r == 0 && (r = net_addrs_of_ve(ctx, veid, &now)) < 0)
		r = error_set(err, -r, veid, VZL_STEP_VENET, "IP_ADDRESS",
			      "VE %u: cannot read its addresses from /proc/vz/veinfo: %s", veid,
			      strerror(-r));
	if (r == 0 && ((r = diff(&now, &want, &gone)) < 0 || (r = diff(&want, &now, &added)) < 0))
		r = error_set(err, ENOMEM, veid, VZL_STEP_NONE, NULL, "out of memory");
	if (r == 0 && !dry && (gone.n || added.n))
		r = net_host_open(ctx, veid, &h, err);
	if (r == 0 && h && added.n) {
		r = net_host_check_venet(h, err);
		if (r == 0)
			net_host_report_sysctls(h, &added);
	}
	/* §3.6: the deleted ones first (kernel, then host), then the added ones */
	if (r == 0)
		r = net_venet_del(ctx, veid, &gone, err);
	if (r == 0 && h)
		r = net_host_del(h, &gone, false, err);
	if (r == 0 && (r = net_venet_add(ctx, veid, &added, err)) == 0 && h &&
	    (r = net_host_add(h, &added, false, err)) < 0)
		(void)net_venet_del(ctx, veid, &added, NULL);
	if (r < 0 && gone.n && r != -EINVAL) {
		/* put back what was deleted: all or nothing */
		if (net_venet_add(ctx, veid, &gone, NULL) < 0 ||
		    (h && net_host_add(h, &gone, false, NULL) < 0))
			log_warning(ctx,
				    "VE %u: addresses deleted before the failure could not all "
				    "be put back; 'vzlite restart %u' sets up the config's",
				    veid, veid);
	}
	net_host_close(h);
	net_addrs_free(&want);
	net_addrs_free(&now);
	net_addrs_free(&gone);
	net_addrs_free(&added);
	return r;
}
