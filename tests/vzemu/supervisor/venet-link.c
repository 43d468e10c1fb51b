// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * venet0 that carries packets between a VE and the host (--host-venet).
 *
 * On OpenVZ the host's venet0 and every VE's venet0 are one point-to-point device: a packet
 * sent on the host's venet0 goes to the VE whose IP map holds its destination, a packet a VE
 * sends on its venet0 comes out of the host's venet0. Both are NOARP: the IP map alone routes.
 *
 * Here the same paths are made of ordinary devices, all in namespaces the test made:
 *  - the host's venet0 is a bridge, up (in the network namespace vzemu runs in);
 *  - each VE's venet0 is one end of a veth pair whose other end, "vzv<VEID>", is a port of
 *    that bridge, up.
 * Host to VE: the route "VE-IP dev venet0" that vzlite adds makes the host ARP on the bridge
 * and the VE's venet0 answers for its own address. VE to host: the VE's default route
 * "dev venet0" makes the VE ARP for the host's address and the host answers on the bridge.
 * So, unlike venet, these devices are not NOARP, and the bridge delivers by the MAC addresses
 * it learnt, not by the IP map (an address the map does not give the VE still reaches it if
 * the VE configures it). Where the host's venet0 is not a bridge (no --host-venet, a kernel
 * without the bridge driver, or a venet0 made otherwise), a VE's venet0 is the stand-in device
 * of ns_add_venet() that carries nothing.
 *
 * Nothing here touches pid 1's network namespace (the machine's own).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "vzemu.h"

#define HOST_VENET "venet0"

struct nl_req {
	struct nlmsghdr h;
	struct ifinfomsg i;
	char buf[1024];
};

static struct rtattr *attr_put(struct nl_req *r, unsigned short type, const void *data, size_t len)
{
	struct rtattr *rta = (struct rtattr *)((char *)r + NLMSG_ALIGN(r->h.nlmsg_len));

	rta->rta_type = type;
	rta->rta_len = (unsigned short)RTA_LENGTH(len);
	if (len)
		memcpy(RTA_DATA(rta), data, len);
	r->h.nlmsg_len = NLMSG_ALIGN(r->h.nlmsg_len) + RTA_ALIGN(rta->rta_len);
	return rta;
}

/* Close a nest opened with attr_put(h, type, NULL, 0): it spans up to the message's end */
static void attr_end(struct nl_req *r, struct rtattr *nest)
{
	nest->rta_len = (unsigned short)((char *)r + r->h.nlmsg_len - (char *)nest);
}

static void req_init(struct nl_req *r, unsigned short type, unsigned short flags)
{
	memset(r, 0, sizeof(*r));
	r->h.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg));
	r->h.nlmsg_type = type;
	r->h.nlmsg_flags = (unsigned short)(NLM_F_REQUEST | flags);
	r->i.ifi_family = AF_UNSPEC;
}

/* Send `req` on NETLINK_ROUTE of this process's network namespace; the answer into ans */
static int nl_talk(struct nl_req *req, char *ans, size_t anslen)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int fd, n;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	if (sendto(fd, req, req->h.nlmsg_len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	n = (int)recv(fd, ans, anslen, 0);
	if (n < 0)
		n = -errno;
	close(fd);
	if (n >= 0 && n < (int)NLMSG_LENGTH(sizeof(struct nlmsgerr)))
		n = -EIO;
	return n;
}

/* An acknowledged request: 0 or the kernel's -errno */
static int nl_ack(struct nl_req *req)
{
	char ans[4096];
	int n = nl_talk(req, ans, sizeof(ans));

	if (n < 0)
		return n;
	if (((struct nlmsghdr *)ans)->nlmsg_type != NLMSG_ERROR)
		return -EIO;
	return ((struct nlmsgerr *)NLMSG_DATA(ans))->error;
}

/* Are we in pid 1's network namespace (or unable to tell)? */
static bool in_machine_netns(void)
{
	uint64_t self, init;

	if (ns_ino(getpid(), "net", &self) < 0)
		return true;
	return ns_ino(1, "net", &init) == 0 && self == init;
}

/*
 * The ifindex of the host's venet0 if it is a bridge, else 0 (none, or another kind of
 * device), or -errno.
 */
static int host_bridge(void)
{
	char ans[8192];
	struct nl_req req;
	struct nlmsghdr *h = (struct nlmsghdr *)ans;
	struct ifinfomsg *ifi;
	struct rtattr *a;
	int n, len;

	req_init(&req, RTM_GETLINK, 0);
	attr_put(&req, IFLA_IFNAME, HOST_VENET, sizeof(HOST_VENET));
	n = nl_talk(&req, ans, sizeof(ans));
	if (n < 0)
		return n;
	if (h->nlmsg_type == NLMSG_ERROR) {
		int e = ((struct nlmsgerr *)NLMSG_DATA(h))->error;

		return e == -ENODEV ? 0 : e;
	}
	if (h->nlmsg_type != RTM_NEWLINK || !NLMSG_OK(h, (unsigned)n))
		return -EIO;
	ifi = NLMSG_DATA(h);
	len = (int)IFLA_PAYLOAD(h);
	for (a = IFLA_RTA(ifi); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		struct rtattr *k;
		int klen = (int)RTA_PAYLOAD(a);

		if (a->rta_type != IFLA_LINKINFO)
			continue;
		for (k = RTA_DATA(a); RTA_OK(k, klen); k = RTA_NEXT(k, klen))
			if (k->rta_type == IFLA_INFO_KIND && RTA_PAYLOAD(k) == sizeof("bridge") &&
			    memcmp(RTA_DATA(k), "bridge", sizeof("bridge")) == 0)
				return ifi->ifi_index;
	}
	return 0;
}

static void host_end_name(unsigned int veid, char *name, size_t len)
{
	snprintf(name, len, "vzv%u", veid);
}

static int del_link(const char *name)
{
	struct nl_req req;

	req_init(&req, RTM_DELLINK, NLM_F_ACK);
	attr_put(&req, IFLA_IFNAME, name, strlen(name) + 1);
	return nl_ack(&req);
}

/*
 * The host's venet0 (what the vznetdev module makes and the init script brings up), up, in
 * the network namespace vzemu runs in, when that has none: a bridge; where the kernel has no
 * bridge driver, a stand-in that carries nothing (dummy, else ifb; NOARP as venet), so host
 * routes "dev venet0" still work. Refused in pid 1's namespace.
 */
int ns_add_host_venet(void)
{
	static const struct {
		const char *kind;
		unsigned int flags;
	} kinds[] = { { "bridge", IFF_UP },
		      { "dummy", IFF_UP | IFF_NOARP },
		      { "ifb", IFF_UP | IFF_NOARP } };
	int r = -EOPNOTSUPP;

	if (in_machine_netns())
		return -EPERM;
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		struct nl_req req;
		struct rtattr *li;

		req_init(&req, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK);
		req.i.ifi_flags = kinds[k].flags;
		req.i.ifi_change = kinds[k].flags;
		attr_put(&req, IFLA_IFNAME, HOST_VENET, sizeof(HOST_VENET));
		li = attr_put(&req, IFLA_LINKINFO, NULL, 0);
		attr_put(&req, IFLA_INFO_KIND, kinds[k].kind, strlen(kinds[k].kind) + 1);
		attr_end(&req, li);
		r = nl_ack(&req);
		if (r == 0 || r == -EEXIST)
			break;
	}
	return r == -EEXIST ? 0 : r;
}

/*
 * The veth pair of VE `veid`: "venet0" (down, as the kernel makes it) in the network namespace
 * of its init `pid`, "vzv<VEID>" up on the bridge `bridge`. One left by a VE of that id whose
 * namespace outlived its supervisor is replaced.
 */
static int add_pair(pid_t pid, unsigned int veid, int bridge)
{
	struct nl_req req;
	struct rtattr *li, *data, *peer;
	struct ifinfomsg peer_ifi = { .ifi_family = AF_UNSPEC };
	char p[64], name[IFNAMSIZ];
	uint32_t master = (uint32_t)bridge, nsfd;
	int fd, r;

	snprintf(p, sizeof(p), "/proc/%d/ns/net", (int)pid);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	nsfd = (uint32_t)fd;
	host_end_name(veid, name, sizeof(name));
	del_link(name);

	req_init(&req, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK);
	req.i.ifi_flags = IFF_UP;
	req.i.ifi_change = IFF_UP;
	attr_put(&req, IFLA_IFNAME, name, strlen(name) + 1);
	attr_put(&req, IFLA_MASTER, &master, sizeof(master));
	li = attr_put(&req, IFLA_LINKINFO, NULL, 0);
	attr_put(&req, IFLA_INFO_KIND, "veth", sizeof("veth"));
	data = attr_put(&req, IFLA_INFO_DATA, NULL, 0);
	/* VETH_INFO_PEER: an ifinfomsg, then the peer's attributes */
	peer = attr_put(&req, VETH_INFO_PEER, &peer_ifi, sizeof(peer_ifi));
	attr_put(&req, IFLA_IFNAME, "venet0", sizeof("venet0"));
	attr_put(&req, IFLA_NET_NS_FD, &nsfd, sizeof(nsfd));
	attr_end(&req, peer);
	attr_end(&req, data);
	attr_end(&req, li);
	r = nl_ack(&req);
	close(fd);
	return r;
}

/*
 * venet0 of the VE `veid` whose init is `pid`: the veth pair when the host's venet0 is a
 * bridge (outside pid 1's namespace), else the stand-in of ns_add_venet().
 */
int venet_link_add(pid_t pid, unsigned int veid)
{
	int bridge;

	if (in_machine_netns())
		return ns_add_venet(pid);
	bridge = host_bridge();
	if (bridge <= 0)
		return ns_add_venet(pid);
	return add_pair(pid, veid, bridge);
}

/*
 * The VE `veid` is gone: its pair too, now (the kernel would remove it only when it gets to
 * freeing the VE's network namespace, later), as venet's VE side ends with the VE.
 */
void venet_link_del(unsigned int veid)
{
	char name[IFNAMSIZ];

	if (in_machine_netns() || host_bridge() <= 0)
		return;
	host_end_name(veid, name, sizeof(name));
	del_link(name);
}
