/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The VE's interfaces as its distribution's network start leaves them after vzctl's ADD_IP
 * script (vzctl-behaviour.md §5.6), set through rtnetlink in the VE's network namespace:
 *  - lo up (the kernel gives it 127.0.0.1/8 and ::1);
 *  - with addresses: venet0 up with the family's own first address (Debian: `ifconfig venet0
 *    127.0.0.2`, which takes the class A mask, /8; Red Hat: ifcfg-venet0's 127.0.0.1 with
 *    NETMASK 255.255.255.255), each IPv4 address with its prefix (default /32) labelled
 *    venet0:N as the aliases are, each IPv6 address with its prefix (default /128), and the
 *    default route through the device (`route add default dev venet0`, GATEWAYDEV=venet0;
 *    for IPv6 `route -A inet6 add default dev venet0`, IPV6_DEFAULTDEV=venet0).
 * An address or route that is there already counts as done (a live change runs this again).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/route.h>
#include <stdio.h>
#include <string.h>

#include "ve-inside.h"

static int link_up(struct nl_sock *sk, const char *name, int *ret_index)
{
	struct rtnl_link *link = NULL, *change = NULL;
	int r = rtnl_link_get_kernel(sk, 0, name, &link);
	if (r == 0 && !(change = rtnl_link_alloc()))
		r = -NLE_NOMEM;
	if (r == 0) {
		rtnl_link_set_flags(change, IFF_UP);
		r = rtnl_link_change(sk, link, change, 0);
		*ret_index = rtnl_link_get_ifindex(link);
	}
	rtnl_link_put(change);
	rtnl_link_put(link);
	return r;
}

static struct nl_addr *make_addr(int family, const void *bytes, int prefix)
{
	struct nl_addr *a = nl_addr_build(family, bytes, family == AF_INET6 ? 16 : 4);
	if (a)
		nl_addr_set_prefixlen(a, prefix);
	return a;
}

static int addr_add(struct nl_sock *sk, int index, int family, const void *bytes, int prefix,
		    const char *label)
{
	struct rtnl_addr *ra = rtnl_addr_alloc();
	struct nl_addr *local = make_addr(family, bytes, prefix);
	int r = ra && local ? 0 : -NLE_NOMEM;
	if (r == 0) {
		rtnl_addr_set_ifindex(ra, index);
		rtnl_addr_set_family(ra, family);
		r = rtnl_addr_set_local(ra, local);
	}
	if (r == 0 && label)
		r = rtnl_addr_set_label(ra, label);
	if (r == 0)
		r = rtnl_addr_add(sk, ra, 0);
	nl_addr_put(local);
	rtnl_addr_put(ra);
	return r == -NLE_EXIST ? 0 : r;
}

static int default_route(struct nl_sock *sk, int index, int family)
{
	static const unsigned char any[16];
	struct rtnl_route *rt = rtnl_route_alloc();
	struct rtnl_nexthop *nh = rtnl_route_nh_alloc();
	struct nl_addr *dst = make_addr(family, any, 0);
	int r = rt && nh && dst ? 0 : -NLE_NOMEM;
	if (r == 0) {
		rtnl_route_set_family(rt, (uint8_t)family);
		rtnl_route_set_table(rt, RT_TABLE_MAIN);
		rtnl_route_set_protocol(rt, RTPROT_BOOT);
		rtnl_route_set_scope(rt, RT_SCOPE_LINK);
		rtnl_route_set_type(rt, RTN_UNICAST);
		r = rtnl_route_set_dst(rt, dst);
	}
	if (r == 0) {
		rtnl_route_nh_set_ifindex(nh, index);
		rtnl_route_add_nexthop(rt, nh);
		nh = NULL; /* the route owns it */
		r = rtnl_route_add(sk, rt, NLM_F_EXCL);
	}
	if (nh)
		rtnl_route_nh_free(nh);
	nl_addr_put(dst);
	rtnl_route_put(rt);
	return r == -NLE_EXIST ? 0 : r;
}

void inside_net(const struct inside_job *job, struct inside_out *out)
{
	static const unsigned char deb_first[4] = { 127, 0, 0, 2 }, rh_first[4] = { 127, 0, 0, 1 };
	struct nl_sock *sk = nl_socket_alloc();
	int lo, venet, r;
	if (!sk || nl_connect(sk, NETLINK_ROUTE) < 0) {
		inside_warn(out, "lo and venet0 not configured: no rtnetlink socket");
		nl_socket_free(sk);
		return;
	}
	if ((r = link_up(sk, "lo", &lo)) < 0)
		inside_warn(out, "cannot bring lo up: %s", nl_geterror(r));
	if (!job->n_addrs)
		goto out;
	if ((r = link_up(sk, "venet0", &venet)) < 0) {
		inside_warn(out, "cannot bring venet0 up: %s; its addresses are not configured",
			    nl_geterror(r));
		goto out;
	}
	if (job->family != INSIDE_OTHER) {
		bool deb = job->family == INSIDE_DEBIAN;
		r = addr_add(sk, venet, AF_INET, deb ? deb_first : rh_first, deb ? 8 : 32, NULL);
		if (r < 0)
			inside_warn(out, "cannot add %s to venet0: %s",
				    deb ? "127.0.0.2/8" : "127.0.0.1/32", nl_geterror(r));
	}
	bool v4 = false, v6 = false;
	unsigned alias = 0;
	for (size_t i = 0; i < job->n_addrs; i++) {
		const struct inside_addr *a = &job->addrs[i];
		char label[IFNAMSIZ];
		if (a->family == AF_INET)
			snprintf(label, sizeof(label), "venet0:%u", alias++);
		r = addr_add(sk, venet, a->family, a->bytes, a->prefix,
			     a->family == AF_INET ? label : NULL);
		if (r < 0)
			inside_warn(out, "cannot add %s/%d to venet0: %s", a->text, a->prefix,
				    nl_geterror(r));
		v4 |= a->family == AF_INET;
		v6 |= a->family == AF_INET6;
	}
	if (v4 && (r = default_route(sk, venet, AF_INET)) < 0)
		inside_warn(out, "cannot add the default route through venet0: %s", nl_geterror(r));
	if (v6 && (r = default_route(sk, venet, AF_INET6)) < 0)
		inside_warn(out, "cannot add the IPv6 default route through venet0: %s",
			    nl_geterror(r));
out:
	nl_socket_free(sk);
}
