/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The host side of venet addresses (vzctl-behaviour.md §5.2: vps-net_add, vps-net_del,
 * vzgetnetdev) through rtnetlink with libnl-route-3; nothing is executed.
 *
 * Neighbour devices are the links that are up, not loopback, slave or NOARP, not named
 * veth<digit>..., with an address that is not link-scope. NEIGHBOUR_DEVS picks among them:
 * all (or empty), "list:a b", or "detect": per address the device `ip route get` would use,
 * found here as the device whose on-link prefix holds the address (longest), else the one
 * of the main table's default route.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/neighbour.h>
#include <netlink/route/route.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "ctx.h"
#include "error.h"
#include "net.h"

#define MAX_DEVS 64

struct net_host {
	vzl_ctx *ctx;
	unsigned veid;
	struct nl_sock *sk;
	struct nl_cache *links, *addrs, *routes;
	int venet;                     /* ifindex of the host's venet0, 0 when there is none */
	struct net_dev devs[MAX_DEVS]; /* the neighbour device candidates */
	size_t n_devs;
};

static const char *setting(const struct net_host *h, const char *key)
{
	const char *v = h->ctx->global ? conf_get(h->ctx->global, key) : NULL;
	return v ? v : "";
}

static bool setting_yes(const struct net_host *h, const char *key)
{
	return strcmp(setting(h, key), "yes") == 0;
}

static int nl_errno(int nlerr)
{
	switch (-nlerr) {
	case NLE_EXIST:
		return EEXIST;
	case NLE_OBJ_NOTFOUND:
		return ENOENT;
	case NLE_NODEV:
		return ENODEV;
	case NLE_PERM:
		return EPERM;
	case NLE_NOMEM:
		return ENOMEM;
	case NLE_INVAL:
		return EINVAL;
	default:
		return EIO;
	}
}

static bool is_veth_name(const char *name)
{
	return strncmp(name, "veth", 4) == 0 && isdigit((unsigned char)name[4]);
}

static bool has_global_addr(struct net_host *h, int ifindex)
{
	for (struct nl_object *o = nl_cache_get_first(h->addrs); o; o = nl_cache_get_next(o)) {
		struct rtnl_addr *a = (struct rtnl_addr *)o;
		int fam = rtnl_addr_get_family(a);
		if (rtnl_addr_get_ifindex(a) == ifindex && (fam == AF_INET || fam == AF_INET6) &&
		    rtnl_addr_get_scope(a) != RT_SCOPE_LINK)
			return true;
	}
	return false;
}

static void find_devs(struct net_host *h)
{
	h->venet = 0;
	h->n_devs = 0;
	for (struct nl_object *o = nl_cache_get_first(h->links); o; o = nl_cache_get_next(o)) {
		struct rtnl_link *l = (struct rtnl_link *)o;
		const char *name = rtnl_link_get_name(l);
		unsigned flags = rtnl_link_get_flags(l);
		int idx = rtnl_link_get_ifindex(l);
		if (!name)
			continue;
		if (strcmp(name, "venet0") == 0)
			h->venet = idx;
		if (!(flags & IFF_UP) || (flags & (IFF_LOOPBACK | IFF_SLAVE | IFF_NOARP)) ||
		    is_veth_name(name) || !has_global_addr(h, idx) || h->n_devs == MAX_DEVS)
			continue;
		struct net_dev *d = &h->devs[h->n_devs++];
		memset(d, 0, sizeof(*d));
		d->ifindex = idx;
		snprintf(d->name, sizeof(d->name), "%s", name);
		struct nl_addr *mac = rtnl_link_get_addr(l);
		if (mac && nl_addr_get_len(mac) == 6) {
			memcpy(d->mac, nl_addr_get_binary_addr(mac), 6);
			d->has_mac = true;
		}
	}
}

int net_host_open(vzl_ctx *ctx, unsigned veid, struct net_host **ret, vzl_error **err)
{
	struct net_host *h = calloc(1, sizeof(*h));
	int r;
	if (!h)
		return error_set(err, ENOMEM, veid, VZL_STEP_NETLINK, NULL, "out of memory");
	h->ctx = ctx;
	h->veid = veid;
	h->sk = nl_socket_alloc();
	if (!h->sk)
		r = -NLE_NOMEM;
	else if ((r = nl_connect(h->sk, NETLINK_ROUTE)) == 0 &&
		 (r = rtnl_link_alloc_cache(h->sk, AF_UNSPEC, &h->links)) == 0 &&
		 (r = rtnl_addr_alloc_cache(h->sk, &h->addrs)) == 0)
		r = rtnl_route_alloc_cache(h->sk, AF_UNSPEC, 0, &h->routes);
	if (r < 0) {
		int e = nl_errno(r);
		net_host_close(h);
		return error_set(err, e, veid, VZL_STEP_NETLINK, NULL,
				 "VE %u: cannot read the host's network state over rtnetlink: %s",
				 veid, nl_geterror(r));
	}
	find_devs(h);
	*ret = h;
	return 0;
}

void net_host_close(struct net_host *h)
{
	if (!h)
		return;
	if (h->routes)
		nl_cache_free(h->routes);
	if (h->addrs)
		nl_cache_free(h->addrs);
	if (h->links)
		nl_cache_free(h->links);
	if (h->sk)
		nl_socket_free(h->sk);
	free(h);
}

int net_host_check_venet(struct net_host *h, vzl_error **err)
{
	if (h->venet)
		return 0;
	return error_set(err, ENODEV, h->veid, VZL_STEP_NETLINK, "IP_ADDRESS",
			 "VE %u: the host has no venet0 device, so its addresses cannot be "
			 "routed; load the vznetdev module (modprobe vznetdev) and bring venet0 up",
			 h->veid);
}

/* ---- the neighbour devices of one address ----------------------------------------- */

static bool in_list(const char *list, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = list; *(p += strspn(p, " \t"));) {
		size_t w = strcspn(p, " \t");
		if (w == n && strncmp(p, name, n) == 0)
			return true;
		p += w;
	}
	return false;
}

static bool prefix_holds(const unsigned char *net, const unsigned char *a, unsigned plen)
{
	unsigned full = plen / 8, rest = plen % 8;
	if (memcmp(net, a, full) != 0)
		return false;
	return !rest || ((net[full] ^ a[full]) & (0xff << (8 - rest)) & 0xff) == 0;
}

/* "detect": the device an address is reached through (see the top). 0 when none. */
static int detect_dev(struct net_host *h, const struct addr *a)
{
	int best = 0, best_len = -1;
	for (struct nl_object *o = nl_cache_get_first(h->addrs); o; o = nl_cache_get_next(o)) {
		struct rtnl_addr *ra = (struct rtnl_addr *)o;
		struct nl_addr *local = rtnl_addr_get_local(ra);
		int plen = rtnl_addr_get_prefixlen(ra);
		if (rtnl_addr_get_family(ra) != a->family || !local || plen <= best_len ||
		    nl_addr_get_len(local) != (a->family == AF_INET6 ? 16u : 4u))
			continue;
		if (prefix_holds(nl_addr_get_binary_addr(local), a->bytes, (unsigned)plen)) {
			best = rtnl_addr_get_ifindex(ra);
			best_len = plen;
		}
	}
	if (best)
		return best;
	for (struct nl_object *o = nl_cache_get_first(h->routes); o; o = nl_cache_get_next(o)) {
		struct rtnl_route *rt = (struct rtnl_route *)o;
		struct nl_addr *dst = rtnl_route_get_dst(rt);
		if (rtnl_route_get_family(rt) != a->family ||
		    rtnl_route_get_table(rt) != RT_TABLE_MAIN ||
		    (dst && nl_addr_get_prefixlen(dst) != 0) || rtnl_route_get_nnexthops(rt) < 1)
			continue;
		return rtnl_route_nh_get_ifindex(rtnl_route_nexthop_n(rt, 0));
	}
	return 0;
}

/* The neighbour devices for `a` into devs[]; their number. */
static size_t devs_for(struct net_host *h, const struct addr *a, const struct net_dev **devs)
{
	const char *sel = setting(h, "NEIGHBOUR_DEVS");
	size_t n = 0;
	int detect = strcmp(sel, "detect") == 0 ? detect_dev(h, a) : 0;
	for (size_t i = 0; i < h->n_devs; i++) {
		const struct net_dev *d = &h->devs[i];
		bool take;
		if (strcmp(sel, "detect") == 0)
			take = d->ifindex == detect;
		else if (strncmp(sel, "list:", 5) == 0)
			take = in_list(sel + 5, d->name);
		else
			take = true; /* all, empty, or a value vzctl would not know either */
		if (take)
			devs[n++] = d;
	}
	return n;
}

/* ---- sysctls ------------------------------------------------------------------------ */

/* The first character of <proc>/sys/<rel>, '\0' when it cannot be read. */
static char sysctl_first(const struct net_host *h, const char *rel)
{
	char path[512], c = '\0';
	snprintf(path, sizeof(path), "%s/sys/%s", h->ctx->paths[VZL_PATH_PROC], rel);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return '\0';
	if (read(fd, &c, 1) != 1)
		c = '\0';
	close(fd);
	return c;
}

static void want(const struct net_host *h, const char *rel, char value, const char *why)
{
	char c = sysctl_first(h, rel);
	if (c && c != value) {
		char name[256];
		snprintf(name, sizeof(name), "%s", rel);
		for (char *p = name; *p; p++)
			if (*p == '/')
				*p = '.';
		log_warning(h->ctx,
			    "VE %u: host sysctl %s is %c: %s; set it with 'sysctl -w %s=%c' "
			    "(vzlite does not change it)",
			    h->veid, name, c, why, name, value);
	}
}

void net_host_report_sysctls(struct net_host *h, const struct net_addrs *l)
{
	bool v4 = false, v6 = false;
	for (size_t i = 0; i < l->n; i++)
		*(l->v[i].family == AF_INET6 ? &v6 : &v4) = true;
	if (v4) {
		want(h, "net/ipv4/ip_forward", '1',
		     "the host does not forward the VE's IPv4 packets");
		want(h, "net/ipv4/route/src_check", '0',
		     "OpenVZ's source check drops the VE's IPv4 packets arriving on venet0");
	}
	if (!v6)
		return;
	want(h, "net/ipv6/conf/all/forwarding", '1',
	     "the host does not forward the VE's IPv6 packets");
	if (sysctl_first(h, "net/ipv6/conf/all/proxy_ndp") == '1')
		return;
	for (size_t i = 0; i < h->n_devs; i++) {
		char rel[128];
		snprintf(rel, sizeof(rel), "net/ipv6/conf/%s/proxy_ndp", h->devs[i].name);
		want(h, rel, '1',
		     "the neighbours on that link get no answer for the VE's IPv6 addresses");
	}
}

/* ---- routes and proxy entries ------------------------------------------------------- */

static struct nl_addr *nl_of(const struct addr *a)
{
	struct nl_addr *n = nl_addr_build(a->family, a->bytes, a->family == AF_INET6 ? 16 : 4);
	if (n)
		nl_addr_set_prefixlen(n, a->family == AF_INET6 ? 128 : 32);
	return n;
}

static struct rtnl_route *route_of(struct net_host *h, const struct addr *a)
{
	struct rtnl_route *rt = rtnl_route_alloc();
	struct rtnl_nexthop *nh = rtnl_route_nh_alloc();
	struct nl_addr *dst = nl_of(a);
	if (!rt || !nh || !dst) {
		if (rt)
			rtnl_route_put(rt);
		if (nh)
			rtnl_route_nh_free(nh);
		if (dst)
			nl_addr_put(dst);
		return NULL;
	}
	rtnl_route_set_family(rt, (uint8_t)a->family);
	rtnl_route_set_dst(rt, dst);
	nl_addr_put(dst);
	rtnl_route_set_table(rt, RT_TABLE_MAIN);
	rtnl_route_set_protocol(rt, RTPROT_BOOT); /* as `ip route add` makes it */
	rtnl_route_set_scope(rt, RT_SCOPE_LINK);
	rtnl_route_nh_set_ifindex(nh, h->venet);
	rtnl_route_add_nexthop(rt, nh);
	return rt;
}

/* The first address of VE_ROUTE_SRC_DEV not in 127/8, into *src; false when none. */
static bool route_src(struct net_host *h, struct addr *src)
{
	const char *dev = setting(h, "VE_ROUTE_SRC_DEV");
	int idx = *dev ? rtnl_link_name2i(h->links, dev) : 0;
	if (!idx) {
		if (*dev)
			log_warning(h->ctx,
				    "VE %u: VE_ROUTE_SRC_DEV %s is not a host device; "
				    "routes get no source address",
				    h->veid, dev);
		return false;
	}
	for (struct nl_object *o = nl_cache_get_first(h->addrs); o; o = nl_cache_get_next(o)) {
		struct rtnl_addr *ra = (struct rtnl_addr *)o;
		struct nl_addr *local = rtnl_addr_get_local(ra);
		if (rtnl_addr_get_ifindex(ra) != idx || rtnl_addr_get_family(ra) != AF_INET ||
		    !local || nl_addr_get_len(local) != 4)
			continue;
		const unsigned char *b = nl_addr_get_binary_addr(local);
		if (b[0] == 127)
			continue;
		memset(src, 0, sizeof(*src));
		src->family = AF_INET;
		src->prefix = -1;
		memcpy(src->bytes, b, 4);
		return true;
	}
	return false;
}

/* Is there a route to exactly `a` through venet0, in any table? */
static bool route_exists(struct net_host *h, const struct addr *a)
{
	struct nl_cache *c = NULL;
	bool found = false;
	if (rtnl_route_alloc_cache(h->sk, a->family, 0, &c) < 0)
		return false;
	struct nl_addr *want_dst = nl_of(a);
	for (struct nl_object *o = nl_cache_get_first(c); o && want_dst && !found;
	     o = nl_cache_get_next(o)) {
		struct rtnl_route *rt = (struct rtnl_route *)o;
		struct nl_addr *dst = rtnl_route_get_dst(rt);
		found = dst && nl_addr_cmp(dst, want_dst) == 0 &&
			rtnl_route_get_nnexthops(rt) == 1 &&
			rtnl_route_nh_get_ifindex(rtnl_route_nexthop_n(rt, 0)) == h->venet;
	}
	if (want_dst)
		nl_addr_put(want_dst);
	nl_cache_free(c);
	return found;
}

/* 1 added, 0 there already (left as it is), -errno with *err. */
static int route_add(struct net_host *h, const struct addr *a, vzl_error **err)
{
	char text[ADDR_TEXT_MAX];
	addr_format(a, 0, text, sizeof(text));
	struct rtnl_route *rt = route_of(h, a);
	struct addr src;
	if (!rt)
		return error_set(err, ENOMEM, h->veid, VZL_STEP_NETLINK, NULL, "out of memory");
	if (a->family == AF_INET && route_src(h, &src)) {
		struct nl_addr *s = nl_addr_build(AF_INET, src.bytes, 4);
		if (s) {
			rtnl_route_set_pref_src(rt, s);
			nl_addr_put(s);
		}
	}
	int r = rtnl_route_add(h->sk, rt, NLM_F_CREATE | NLM_F_EXCL);
	int ret = 1;
	if (r == -NLE_EXIST && route_exists(h, a))
		ret = 0;
	else if (r == -NLE_EXIST && setting_yes(h, "FORCE_ROUTE"))
		r = rtnl_route_add(h->sk, rt, NLM_F_REPLACE);
	if (r < 0 && ret)
		ret = error_set(err, nl_errno(r), h->veid, VZL_STEP_NETLINK, "IP_ADDRESS",
				"VE %u: cannot add the host route %s dev venet0: %s%s", h->veid,
				text, nl_geterror(r),
				r == -NLE_EXIST ? " (another route to it exists; remove it, or set "
						  "FORCE_ROUTE=yes in vz.conf to replace it)"
						: "");
	rtnl_route_put(rt);
	return ret;
}

/* 0 removed or not there, -errno. */
static int route_del(struct net_host *h, const struct addr *a)
{
	struct rtnl_route *rt = route_of(h, a);
	if (!rt)
		return -ENOMEM;
	rtnl_route_set_protocol(rt, 0); /* any */
	rtnl_route_set_scope(rt, RT_SCOPE_NOWHERE);
	int r = rtnl_route_delete(h->sk, rt, 0);
	rtnl_route_put(rt);
	return r == 0 || r == -NLE_OBJ_NOTFOUND || r == -NLE_NOADDR ? 0 : -nl_errno(r);
}

static struct rtnl_neigh *proxy_of(const struct addr *a, int ifindex)
{
	struct rtnl_neigh *n = rtnl_neigh_alloc();
	struct nl_addr *dst = nl_addr_build(a->family, a->bytes, a->family == AF_INET6 ? 16 : 4);
	if (!n || !dst) {
		if (n)
			rtnl_neigh_put(n);
		if (dst)
			nl_addr_put(dst);
		return NULL;
	}
	rtnl_neigh_set_family(n, a->family);
	rtnl_neigh_set_ifindex(n, ifindex);
	rtnl_neigh_set_dst(n, dst);
	nl_addr_put(dst);
	rtnl_neigh_set_flags(n, NTF_PROXY);
	rtnl_neigh_set_state(n, NUD_PERMANENT);
	return n;
}

/* 1 added, 0 there already, -errno. */
static int proxy_add(struct net_host *h, const struct addr *a, int ifindex)
{
	struct rtnl_neigh *n = proxy_of(a, ifindex);
	if (!n)
		return -ENOMEM;
	int r = rtnl_neigh_add(h->sk, n, NLM_F_CREATE | NLM_F_EXCL);
	rtnl_neigh_put(n);
	return r == 0 ? 1 : r == -NLE_EXIST ? 0 : -nl_errno(r);
}

static int proxy_del(struct net_host *h, const struct addr *a, int ifindex)
{
	struct rtnl_neigh *n = proxy_of(a, ifindex);
	if (!n)
		return -ENOMEM;
	int r = rtnl_neigh_delete(h->sk, n, 0);
	rtnl_neigh_put(n);
	return r == 0 || r == -NLE_OBJ_NOTFOUND || r == -NLE_NOADDR ? 0 : -nl_errno(r);
}

/* ---- vps-net_add, vps-net_del -------------------------------------------------------- */

/* What one net_host_add made, to take back when a later part fails. */
struct made {
	bool route;
	int proxy[MAX_DEVS]; /* ifindexes */
	size_t n_proxy;
};

static void take_back(struct net_host *h, const struct net_addrs *l, const struct made *m, size_t n)
{
	for (size_t i = n; i-- > 0;) {
		for (size_t j = 0; j < m[i].n_proxy; j++)
			(void)proxy_del(h, &l->v[i], m[i].proxy[j]);
		if (m[i].route)
			(void)route_del(h, &l->v[i]);
	}
}

static int dup_check(struct net_host *h, const struct net_addrs *l, vzl_error **err)
{
	if (setting_yes(h, "SKIP_ARPDETECT") || !h->n_devs)
		return 0;
	bool *hit = calloc(l->n ? l->n : 1, sizeof(*hit));
	if (!hit)
		return error_set(err, ENOMEM, h->veid, VZL_STEP_NETLINK, NULL, "out of memory");
	int r = net_arp_probe(h->devs, h->n_devs, l, hit);
	if (r < 0)
		log_warning(h->ctx, "VE %u: cannot probe the addresses for duplicates: %s", h->veid,
			    strerror(-r));
	r = 0;
	bool fatal = setting_yes(h, "ERROR_ON_ARPFAIL");
	for (size_t i = 0; r == 0 && i < l->n; i++) {
		char text[ADDR_TEXT_MAX];
		if (!hit[i])
			continue;
		addr_format(&l->v[i], 0, text, sizeof(text));
		if (fatal)
			r = error_set(err, EADDRINUSE, h->veid, VZL_STEP_NETLINK, "IP_ADDRESS",
				      "VE %u: address %s is in use on the host's network (an ARP "
				      "probe was answered); give the VE another address, or set "
				      "ERROR_ON_ARPFAIL=no in vz.conf to only warn",
				      h->veid, text);
		else
			log_warning(h->ctx,
				    "VE %u: address %s is in use on the host's network "
				    "(an ARP probe was answered)",
				    h->veid, text);
	}
	free(hit);
	return r;
}

int net_host_add(struct net_host *h, const struct net_addrs *l, bool starting, vzl_error **err)
{
	if (!l->n)
		return 0;
	int r = net_host_check_venet(h, err);
	if (r == 0)
		r = dup_check(h, l, err);
	if (r < 0)
		return r;
	r = starting ? net_veip_truncate(h->ctx, h->veid) : 0;
	if (r < 0)
		return error_set(err, -r, h->veid, VZL_STEP_NETLINK, NULL,
				 "VE %u: cannot write its veip file: %s", h->veid, strerror(-r));
	struct made *m = calloc(l->n, sizeof(*m));
	if (!m)
		return error_set(err, ENOMEM, h->veid, VZL_STEP_NETLINK, NULL, "out of memory");
	size_t i;
	for (i = 0; r == 0 && i < l->n; i++) {
		const struct addr *a = &l->v[i];
		const struct net_dev *devs[MAX_DEVS];
		size_t nd = devs_for(h, a, devs);
		char text[ADDR_TEXT_MAX];
		addr_format(a, 0, text, sizeof(text));
		for (size_t j = 0; r == 0 && j < nd; j++) {
			int p = proxy_add(h, a, devs[j]->ifindex);
			if (p < 0)
				r = error_set(
					err, -p, h->veid, VZL_STEP_NETLINK, "IP_ADDRESS",
					"VE %u: cannot add the proxy %s entry for %s on %s: %s",
					h->veid, a->family == AF_INET6 ? "NDP" : "ARP", text,
					devs[j]->name, strerror(-p));
			else if (p > 0)
				m[i].proxy[m[i].n_proxy++] = devs[j]->ifindex;
			int s = r == 0 ? net_announce(devs[j], a) : 0;
			if (s < 0)
				log_warning(h->ctx, "VE %u: cannot announce %s on %s: %s", h->veid,
					    text, devs[j]->name, strerror(-s));
		}
		int rr = r == 0 ? route_add(h, a, err) : 0;
		if (rr < 0)
			r = rr;
		m[i].route = rr > 0;
		int v = r == 0 ? net_veip_append(h->ctx, h->veid, a) : 0;
		if (v < 0)
			r = error_set(err, -v, h->veid, VZL_STEP_NETLINK, NULL,
				      "VE %u: cannot write its veip file: %s", h->veid,
				      strerror(-v));
	}
	if (r < 0) {
		take_back(h, l, m, i);
		if (starting)
			(void)net_veip_remove(h->ctx, h->veid);
		else
			(void)net_veip_drop(h->ctx, h->veid, l);
	}
	free(m);
	return r;
}

int net_host_del(struct net_host *h, const struct net_addrs *l, bool stopping, vzl_error **err)
{
	int ret = 0;
	for (size_t i = 0; i < l->n; i++) {
		const struct addr *a = &l->v[i];
		char text[ADDR_TEXT_MAX];
		addr_format(a, 0, text, sizeof(text));
		int r = h->venet ? route_del(h, a) : 0;
		if (r < 0 && ret == 0)
			ret = error_set(err, -r, h->veid, VZL_STEP_NETLINK, "IP_ADDRESS",
					"VE %u: cannot remove the host route %s dev venet0: %s",
					h->veid, text, strerror(-r));
		/* every link, not only today's neighbour devices: one may have changed */
		for (struct nl_object *o = nl_cache_get_first(h->links); o;
		     o = nl_cache_get_next(o)) {
			int idx = rtnl_link_get_ifindex((struct rtnl_link *)o);
			r = proxy_del(h, a, idx);
			if (r < 0 && ret == 0)
				ret = error_set(err, -r, h->veid, VZL_STEP_NETLINK, "IP_ADDRESS",
						"VE %u: cannot remove the proxy entry for %s on "
						"%s: %s",
						h->veid, text,
						rtnl_link_get_name((struct rtnl_link *)o),
						strerror(-r));
		}
	}
	int v = stopping ? net_veip_remove(h->ctx, h->veid) : net_veip_drop(h->ctx, h->veid, l);
	if (v < 0 && ret == 0)
		ret = error_set(err, -v, h->veid, VZL_STEP_NETLINK, NULL,
				"VE %u: cannot update its veip file: %s", h->veid, strerror(-v));
	return ret;
}
