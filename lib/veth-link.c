/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The host side of veth devices through rtnetlink (libnl-route-3), in the caller's network
 * namespace: what vzctl's vznetcfg / vznetaddbr scripts do with `ip` and `brctl`
 * (vzctl-behaviour.md §5.4), and the host's first Ethernet address that vzctl's generated
 * MACs hash. No program is executed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <string.h>

#include "veth.h"

/* libnl's error as an errno (the few it can be). */
static int nl_errno(int nle)
{
	switch (nle < 0 ? -nle : nle) {
	case NLE_NOMEM:
		return ENOMEM;
	case NLE_PERM:
		return EPERM;
	case NLE_NODEV:
	case NLE_OBJ_NOTFOUND:
		return ENODEV;
	case NLE_EXIST:
		return EEXIST;
	case NLE_OPNOTSUPP:
		return EOPNOTSUPP;
	case NLE_INVAL:
		return EINVAL;
	case NLE_BUSY:
		return EBUSY;
	default:
		return EIO;
	}
}

static int open_route(struct nl_sock **ret)
{
	struct nl_sock *sk = nl_socket_alloc();
	if (!sk)
		return -ENOMEM;
	int r = nl_connect(sk, NETLINK_ROUTE);
	if (r < 0) {
		nl_socket_free(sk);
		return -nl_errno(r);
	}
	*ret = sk;
	return 0;
}

int veth_host_hwid(unsigned char mac[6])
{
	struct nl_sock *sk;
	struct nl_cache *cache = NULL;
	int best = 0;
	memset(mac, 0, 6);
	int r = open_route(&sk);
	if (r < 0)
		return r;
	r = rtnl_link_alloc_cache(sk, AF_UNSPEC, &cache);
	if (r < 0) {
		nl_socket_free(sk);
		return -nl_errno(r);
	}
	/* `ip a l` lists by interface index; vzctl takes its first "link/ether" line */
	for (struct nl_object *o = nl_cache_get_first(cache); o; o = nl_cache_get_next(o)) {
		struct rtnl_link *l = (struct rtnl_link *)o;
		struct nl_addr *a = rtnl_link_get_addr(l);
		int idx = rtnl_link_get_ifindex(l);
		if (rtnl_link_get_arptype(l) != ARPHRD_ETHER || !a || nl_addr_get_len(a) != 6 ||
		    (best && idx > best))
			continue;
		best = idx;
		memcpy(mac, nl_addr_get_binary_addr(a), 6);
	}
	nl_cache_free(cache);
	nl_socket_free(sk);
	return 0;
}

int veth_link_attach(const char *dev, const char *bridge, const char **what)
{
	struct nl_sock *sk;
	struct rtnl_link *link = NULL, *br = NULL, *change = NULL;
	int r = open_route(&sk);
	*what = "netlink";
	if (r < 0)
		return r;
	*what = dev;
	r = rtnl_link_get_kernel(sk, 0, dev, &link);
	if (r == 0 && bridge && *bridge) {
		*what = bridge;
		r = rtnl_link_get_kernel(sk, 0, bridge, &br);
	}
	change = r == 0 ? rtnl_link_alloc() : NULL;
	if (r == 0 && !change)
		r = -NLE_NOMEM;
	if (r == 0) {
		*what = dev;
		rtnl_link_set_flags(change, IFF_UP);
		if (br)
			rtnl_link_set_master(change, rtnl_link_get_ifindex(br));
		r = rtnl_link_change(sk, link, change, 0);
	}
	rtnl_link_put(change);
	rtnl_link_put(br);
	rtnl_link_put(link);
	nl_socket_free(sk);
	return r < 0 ? -nl_errno(r) : 0;
}

int veth_link_master(const char *dev, char bridge[IF_NAMESIZE])
{
	struct nl_sock *sk;
	struct rtnl_link *link = NULL;
	bridge[0] = '\0';
	int r = open_route(&sk);
	if (r < 0)
		return r;
	r = rtnl_link_get_kernel(sk, 0, dev, &link);
	if (r == 0 && rtnl_link_get_master(link) > 0) {
		struct rtnl_link *m = NULL;
		if (rtnl_link_get_kernel(sk, rtnl_link_get_master(link), NULL, &m) == 0)
			snprintf(bridge, IF_NAMESIZE, "%s", rtnl_link_get_name(m));
		rtnl_link_put(m);
	}
	rtnl_link_put(link);
	nl_socket_free(sk);
	return r < 0 ? -nl_errno(r) : 0;
}

int veth_link_remove_leftover(const char *dev)
{
	struct nl_sock *sk;
	struct rtnl_link *link = NULL;
	int r = open_route(&sk);
	if (r < 0)
		return r;
	r = rtnl_link_get_kernel(sk, 0, dev, &link);
	if (r < 0) {
		r = nl_errno(r) == ENODEV ? 0 : -nl_errno(r);
	} else {
		/* Only a veth: a device of another kind that has the name is not ours. OpenVZ's
		 * own vzethdev devices have no rtnetlink kind; the kernel removes them itself. */
		const char *kind = rtnl_link_get_type(link);
		r = kind && strcmp(kind, "veth") == 0 ? rtnl_link_delete(sk, link) : 0;
		if (r < 0)
			r = nl_errno(r) == ENODEV ? 0 : -nl_errno(r);
		else
			r = kind && strcmp(kind, "veth") == 0;
	}
	rtnl_link_put(link);
	nl_socket_free(sk);
	return r;
}
