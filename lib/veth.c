/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * NETIF's veth pairs in the kernel (vzctl-behaviour.md §5.4, kernel-abi.md §5). One
 * reconciliation serves start and a live `set`: the kernel's own list of the VE's pairs
 * (/proc/vz/veth) is compared with NETIF; pairs NETIF does not name (or names with other
 * names or MACs) are removed with VE_ETH_DEL, missing ones made with VE_ETH_ADD, followed by
 * the MAC filter (VE_ETH_DENY/ALLOW_MAC_CHANGE when mac_filter is set) and, through
 * rtnetlink, the host side brought up and enslaved to its bridge (vznetcfg/vznetaddbr's
 * work; no program is run). A failure takes back what the call changed, so a live `set`
 * whose later parameter fails can put the previous NETIF back by applying it again.
 *
 * The kernel removes a VE's pairs with its network namespace at stop; stop and the cleanup
 * of a VE stopped from inside delete a host side that is still there afterwards.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apply.h"
#include "ctx.h"
#include "error.h"
#include "params.h"
#include "step.h"
#include "value.h"
#include "ve-run.h"
#include "veth.h"

/* One pair of /proc/vz/veth. */
struct veth_pair {
	char host[IF_NAMESIZE], ve[IF_NAMESIZE];
	unsigned char host_mac[6], mac[6];
	bool allow;
};

static int netif_error(vzl_error **err, int code, unsigned veid, const char *what)
{
	return error_set(err, code, veid, VZL_STEP_VETH, "NETIF", "NETIF: %s", what);
}

int veth_resolve(unsigned int veid, const char *netif, struct veth_dev **ret, size_t *ret_n,
		 vzl_error **err)
{
	struct value_typed v;
	char *msg = NULL;
	*ret = NULL;
	*ret_n = 0;
	if (!netif || !*netif)
		return 0;
	if (value_parse(param_find("NETIF"), units_native(), VALUE_FROM_FILE, netif, &v, &msg) <
	    0) {
		int r = error_set(err, EINVAL, veid, VZL_STEP_CONFIG_VALUE, "NETIF",
				  "NETIF %s; fix it with 'vzlite set %u --netif_del "
				  "all --netif_add IFNAME --save'",
				  msg ? msg : "is malformed", veid);
		free(msg);
		return r;
	}
	free(msg);
	struct veth_dev *d = calloc(v.n_netifs ? v.n_netifs : 1, sizeof(*d));
	unsigned char hwid[6];
	bool have_hwid = false;
	int r = d ? 0 : -ENOMEM;
	for (size_t i = 0; r == 0 && i < v.n_netifs; i++) {
		const struct value_netif *n = &v.netifs[i];
		struct veth_dev *o = &d[i];
		memcpy(o->ifname, n->ifname, sizeof(o->ifname));
		memcpy(o->bridge, n->bridge, sizeof(o->bridge));
		if (n->host_ifname[0])
			memcpy(o->host_ifname, n->host_ifname, sizeof(o->host_ifname));
		else
			veth_default_host_ifname(veid, n->ifname, o->host_ifname);
		/* the config form (vzctl's parse_netif_str): the VE's MAC from the host name,
		 * the host's MAC a copy of the VE's */
		if (n->has_mac) {
			memcpy(o->mac, n->mac, 6);
		} else {
			if (!have_hwid && (r = veth_host_hwid(hwid)) < 0)
				break;
			have_hwid = true;
			veth_generate_mac(veid, o->host_ifname, hwid, o->mac);
		}
		memcpy(o->host_mac, n->has_host_mac ? n->host_mac : o->mac, 6);
		o->mac_filter = n->mac_filter;
		for (size_t j = 0; j < i; j++)
			if (!strcmp(d[j].ifname, o->ifname) ||
			    !strcmp(d[j].host_ifname, o->host_ifname)) {
				char why[128];
				snprintf(why, sizeof(why), "two devices are named %s",
					 strcmp(d[j].ifname, o->ifname) ? o->host_ifname
									: o->ifname);
				r = error_set(err, EINVAL, veid, VZL_STEP_CONFIG_VALUE, "NETIF",
					      "NETIF: %s; give each its own ifname= and "
					      "host_ifname=",
					      why);
			}
	}
	size_t n = v.n_netifs;
	value_typed_done(&v);
	if (r < 0) {
		free(d);
		if (err && !*err)
			error_set(err, -r, veid, VZL_STEP_NETLINK, "NETIF",
				  "the host's first Ethernet address (for NETIF's generated "
				  "MACs) cannot be read: %s",
				  strerror(-r));
		return r;
	}
	*ret = d;
	*ret_n = n;
	return 0;
}

static int parse_mac(const char *s, unsigned char mac[6])
{
	unsigned m[6];
	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5]) != 6)
		return -EINVAL;
	for (int i = 0; i < 6; i++)
		mac[i] = (unsigned char)m[i];
	return 0;
}

/* The VE's pairs in the kernel's list (vzethdev.c: vehwaddr_seq_show). */
static int read_pairs(unsigned int veid, struct veth_pair **ret, size_t *ret_n)
{
	FILE *f = fopen("/proc/vz/veth", "re");
	*ret = NULL;
	*ret_n = 0;
	if (!f)
		return -errno;
	char line[256];
	int r = 0;
	while (r == 0 && fgets(line, sizeof(line), f)) {
		char hm[18], vm[18], allow[8];
		struct veth_pair p = { 0 };
		unsigned id;
		if (sscanf(line, "%17s %15s %17s %15s %u %7s", hm, p.host, vm, p.ve, &id, allow) !=
			    6 ||
		    id != veid || parse_mac(hm, p.host_mac) < 0 || parse_mac(vm, p.mac) < 0)
			continue; /* the "Version" line, other VEs */
		p.allow = strcmp(allow, "allow") == 0;
		struct veth_pair *t = realloc(*ret, (*ret_n + 1) * sizeof(*t));
		if (!t) {
			r = -ENOMEM;
			break;
		}
		*ret = t;
		t[(*ret_n)++] = p;
	}
	fclose(f);
	if (r < 0) {
		free(*ret);
		*ret = NULL;
		*ret_n = 0;
	}
	return r;
}

static bool same_pair(const struct veth_pair *p, const struct veth_dev *d)
{
	return !strcmp(p->host, d->host_ifname) && !strcmp(p->ve, d->ifname) &&
	       !memcmp(p->host_mac, d->host_mac, 6) && !memcmp(p->mac, d->mac, 6);
}

static int hw_error(vzl_error **err, unsigned veid, int r, const char *op, const char *host)
{
	const char *hint = r == -ENOTTY   ? " (the vzethdev kernel module is not loaded)"
			   : r == -EEXIST ? " (a device of that name exists: give NETIF another "
					    "host_ifname= or ifname=)"
					  : "";
	return error_set(err, -r, veid, VZL_STEP_VETH, "NETIF", "cannot %s veth device %s: %s%s",
			 op, host, strerror(-r), hint);
}

/* Create pair `d` with its filter and host side; on failure nothing of it stays. */
static int add_one(struct kernel *k, unsigned veid, const struct veth_dev *d, vzl_error **err)
{
	int r = kernel_veth_hwaddr(k, veid, VE_ETH_ADD, d->host_mac, d->host_ifname, d->mac,
				   d->ifname);
	if (r < 0)
		return hw_error(err, veid, r, "create", d->host_ifname);
	if (d->mac_filter >= 0) {
		r = kernel_veth_hwaddr(
			k, veid, d->mac_filter ? VE_ETH_DENY_MAC_CHANGE : VE_ETH_ALLOW_MAC_CHANGE,
			NULL, d->host_ifname, NULL, NULL);
		if (r < 0)
			hw_error(err, veid, r, "set mac_filter of", d->host_ifname);
	}
	if (r == 0 && !kernel_is_dry_run(k)) {
		const char *what;
		r = veth_link_attach(d->host_ifname, d->bridge, &what);
		if (r < 0)
			error_set(err, -r, veid, VZL_STEP_VETH, "NETIF",
				  "cannot bring veth device %s up%s%s: %s on %s%s", d->host_ifname,
				  d->bridge[0] ? " and attach it to bridge " : "", d->bridge,
				  strerror(-r), what,
				  r == -ENODEV && d->bridge[0] ? " (does the bridge exist?)" : "");
	}
	if (r < 0)
		kernel_veth_hwaddr(k, veid, VE_ETH_DEL, NULL, d->host_ifname, NULL, NULL);
	return r;
}

static int del_one(struct kernel *k, unsigned veid, const char *host, vzl_error **err)
{
	int r = kernel_veth_hwaddr(k, veid, VE_ETH_DEL, NULL, host, NULL, NULL);
	if (r == -ENODEV)
		return 0; /* gone already, as vzctl takes it */
	return r < 0 ? hw_error(err, veid, r, "remove", host) : 0;
}

/* A removed pair back as it was (best effort, for a failed reconciliation). */
static void restore_pair(struct kernel *k, unsigned veid, const struct veth_pair *p,
			 const char *bridge)
{
	struct veth_dev d = { .mac_filter = p->allow ? 0 : 1 };
	memcpy(d.ifname, p->ve, sizeof(d.ifname));
	memcpy(d.host_ifname, p->host, sizeof(d.host_ifname));
	memcpy(d.bridge, bridge, sizeof(d.bridge));
	memcpy(d.mac, p->mac, 6);
	memcpy(d.host_mac, p->host_mac, 6);
	add_one(k, veid, &d, NULL);
}

int veth_apply(struct kernel *k, unsigned int veid, const char *netif, vzl_error **err)
{
	struct veth_dev *want = NULL;
	struct veth_pair *have = NULL;
	size_t n_want = 0, n_have = 0;
	int r = veth_resolve(veid, netif, &want, &n_want, err);
	if (r < 0)
		return r;
	/* Without the list (no vzethdev module; a plan without a kernel) the VE has no pair:
	 * every device is added, and the kernel's answer to that says why it cannot be. */
	if (read_pairs(veid, &have, &n_have) < 0)
		n_have = 0;
	char(*bridges)[IF_NAMESIZE] = calloc(n_have + 1, sizeof(*bridges));
	bool *removed = calloc(n_have + 1, sizeof(*removed));
	bool *added = calloc(n_want + 1, sizeof(*added));
	if (!bridges || !removed || !added)
		r = netif_error(err, ENOMEM, veid, "out of memory");
	for (size_t i = 0; r == 0 && i < n_have; i++) {
		bool keep = false;
		for (size_t j = 0; j < n_want; j++)
			keep |= same_pair(&have[i], &want[j]);
		if (keep)
			continue;
		if (!kernel_is_dry_run(k))
			veth_link_master(have[i].host, bridges[i]);
		r = del_one(k, veid, have[i].host, err);
		removed[i] = r == 0;
	}
	for (size_t j = 0; r == 0 && j < n_want; j++) {
		const struct veth_pair *p = NULL;
		for (size_t i = 0; i < n_have; i++)
			if (!removed[i] && same_pair(&have[i], &want[j]))
				p = &have[i];
		if (!p) {
			r = add_one(k, veid, &want[j], err);
			added[j] = r == 0;
			continue;
		}
		/* Present already: the filter as NETIF says, the host side up on its bridge. */
		if (want[j].mac_filter >= 0 && (want[j].mac_filter != 0) == p->allow) {
			r = kernel_veth_hwaddr(k, veid,
					       want[j].mac_filter ? VE_ETH_DENY_MAC_CHANGE
								  : VE_ETH_ALLOW_MAC_CHANGE,
					       NULL, p->host, NULL, NULL);
			if (r < 0)
				r = hw_error(err, veid, r, "set mac_filter of", p->host);
		}
		const char *what;
		if (r == 0 && !kernel_is_dry_run(k) &&
		    (r = veth_link_attach(p->host, want[j].bridge, &what)) < 0)
			error_set(err, -r, veid, VZL_STEP_VETH, "NETIF",
				  "cannot attach veth device %s to bridge %s: %s on %s", p->host,
				  want[j].bridge, strerror(-r), what);
	}
	if (r < 0) {
		for (size_t j = 0; added && j < n_want; j++)
			if (added[j])
				kernel_veth_hwaddr(k, veid, VE_ETH_DEL, NULL, want[j].host_ifname,
						   NULL, NULL);
		for (size_t i = 0; removed && i < n_have; i++)
			if (removed[i])
				restore_pair(k, veid, &have[i], bridges[i]);
	}
	free(bridges);
	free(removed);
	free(added);
	free(want);
	free(have);
	return r;
}

/* The applier of NETIF (a live `set`). */
int apply_netif(const struct apply_ctx *a, const struct param_def *p, const char *value,
		vzl_error **err)
{
	(void)p;
	return veth_apply(a->k, a->veid, value, err);
}

/* ---- start: with the VE created and its init held, after the venet addresses ---- */

static const char *netif_of(struct ve_run *op)
{
	char *v = NULL;
	if (vzl_config_get(op->cfg, "NETIF", VZL_GET_CANONICAL, &v, NULL, NULL) < 0)
		return NULL;
	free(op->netif);
	op->netif = v;
	return v;
}

static bool when_netif(const void *o)
{
	return ((const struct ve_run *)o)->spec.net.netifs.n > 0;
}

static int start_veth_run(void *o, vzl_error **err)
{
	struct ve_run *op = o;
	return veth_apply(&op->ve->ctx->kernel, op->ve->id, netif_of(op), err);
}

/* Before the VE is stopped by the create row's undo: its pairs, by their host names. */
static int start_veth_undo(void *o, vzl_error **err)
{
	struct ve_run *op = o;
	struct veth_dev *d = NULL;
	size_t n = 0;
	int ret = 0;
	if (veth_resolve(op->ve->id, op->netif, &d, &n, NULL) < 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		int r = del_one(&op->ve->ctx->kernel, op->ve->id, d[i].host_ifname, NULL);
		if (r < 0 && ret == 0)
			ret = error_set(err, -r, op->ve->id, VZL_STEP_VETH, "NETIF",
					"veth device %s of VE %u could not be removed: %s; it "
					"goes when the VE stops",
					d[i].host_ifname, op->ve->id, strerror(-r));
	}
	free(d);
	return ret;
}

static void start_veth_describe(const void *o, struct step_plan *plan)
{
	const struct ve_run *op = o;
	for (size_t i = 0; i < op->spec.net.netifs.n; i++) {
		const struct value_netif *n = &op->spec.net.netifs.v[i];
		if (n->bridge[0])
			step_line(plan,
				  "veth %s: host side up and attached to bridge %s (rtnetlink)",
				  n->ifname, n->bridge);
		else
			step_line(plan, "veth %s: host side up (rtnetlink)", n->ifname);
	}
}

const struct step start_row_veth = {
	.name = "veth",
	.error_step = VZL_STEP_VETH,
	.flags = STEP_RECORDS,
	.when = when_netif,
	.run = start_veth_run,
	.undo = start_veth_undo,
	.describe = start_veth_describe,
};

/* ---- stop, and the cleanup of a VE stopped from inside: host sides left behind ---- */

static int leftovers_run(void *o, vzl_error **err)
{
	struct ve_run *op = o;
	struct veth_dev *d = NULL;
	size_t n = 0;
	(void)err;
	if (veth_resolve(op->ve->id, netif_of(op), &d, &n, NULL) < 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		int r = veth_link_remove_leftover(d[i].host_ifname);
		if (r < 0)
			log_warning(op->ve->ctx, "VE %u: veth device %s left on the host: %s",
				    op->ve->id, d[i].host_ifname, strerror(-r));
		else if (r > 0)
			log_info(op->ve->ctx, "VE %u: veth device %s removed from the host",
				 op->ve->id, d[i].host_ifname);
	}
	free(d);
	return 0;
}

static void leftovers_describe(const void *o, struct step_plan *plan)
{
	const struct ve_run *op = o;
	for (size_t i = 0; i < op->spec.net.netifs.n; i++)
		step_line(plan, "remove veth %s's host side if the kernel left it (rtnetlink)",
			  op->spec.net.netifs.v[i].ifname);
}

/* After this stop stopped the VE. */
static bool when_stopped(const void *o)
{
	const struct ve_run *op = o;
	return !op->nothing_to_stop && when_netif(o);
}

/* When the cleanup found the VE stopped from inside. */
static bool when_stopped_inside(const void *o)
{
	const struct ve_run *op = o;
	return op->stopped_inside && when_netif(o);
}

const struct step stop_row_veth = {
	.name = "veth",
	.error_step = VZL_STEP_VETH,
	.when = when_stopped,
	.run = leftovers_run,
	.describe = leftovers_describe,
};

const struct step cleanup_row_veth = {
	.name = "veth",
	.error_step = VZL_STEP_VETH,
	.when = when_stopped_inside,
	.run = leftovers_run,
	.describe = leftovers_describe,
};
