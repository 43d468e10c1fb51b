// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The devices of VETHCTL_VE_HWADDR (model-veth.c decides, this file makes them): a real
 * veth pair through rtnetlink, the host side in the network namespace vzemu runs in (the
 * "host" of the emulated kernel: a test can run vzemu in a namespace of its own), the VE
 * side created directly in the VE's network namespace (IFLA_NET_NS_FD on the peer), each
 * with the MAC the call gave. Deleting the host side deletes its peer; the kernel deletes
 * both when the VE's namespace goes, as veth_exit_net does on OpenVZ.
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

/* A request: its header, the ifinfomsg, the attributes; aligned for the headers. */
union nl_req {
	struct nlmsghdr h;
	char raw[1024];
};

static struct rtattr *attr_put(union nl_req *q, unsigned short type, const void *data, size_t len)
{
	struct nlmsghdr *h = &q->h;
	struct rtattr *rta = (struct rtattr *)(q->raw + NLMSG_ALIGN(h->nlmsg_len));

	rta->rta_type = type;
	rta->rta_len = (unsigned short)RTA_LENGTH(len);
	if (len)
		memcpy(RTA_DATA(rta), data, len);
	h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + RTA_ALIGN(rta->rta_len);
	return rta;
}

/* Close a nest opened by attr_put(h, type, NULL, 0): it holds all that follows it. */
static void attr_end(union nl_req *q, struct rtattr *nest)
{
	nest->rta_len = (unsigned short)(q->raw + q->h.nlmsg_len - (char *)nest);
}

/* An empty RTM_*LINK request with `flags` */
static void req_init(union nl_req *q, unsigned short type, unsigned short flags)
{
	struct ifinfomsg *i = (struct ifinfomsg *)(q->raw + NLMSG_HDRLEN);

	memset(q, 0, sizeof(*q));
	q->h.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg));
	q->h.nlmsg_type = type;
	q->h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	i->ifi_family = AF_UNSPEC;
}

/* Send one request in the caller's namespace; the kernel's answer: 0 or -errno. */
static int nl_talk(struct nlmsghdr *h)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	char ans[4096];
	int fd, r;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	if (sendto(fd, h, h->nlmsg_len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	r = (int)recv(fd, ans, sizeof(ans), 0);
	close(fd);
	if (r < (int)NLMSG_LENGTH(sizeof(struct nlmsgerr)) ||
	    ((struct nlmsghdr *)ans)->nlmsg_type != NLMSG_ERROR)
		return -EIO;
	return ((struct nlmsgerr *)NLMSG_DATA(ans))->error;
}

int ns_veth_add(struct sup *s, unsigned int veid, const char *host, const unsigned char *mac,
		const char *ve, const unsigned char *mac_ve)
{
	union nl_req req;
	struct rtattr *info, *data, *peer;
	struct ifinfomsg pi = { .ifi_family = AF_UNSPEC };
	char path[64];
	pid_t init;
	uint32_t nsfd;
	int fd, r;

	r = reg_find_init(s, veid, &init);
	if (r < 0)
		return -ESRCH;
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)init);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -ESRCH;
	nsfd = (uint32_t)fd;
	req_init(&req, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	attr_put(&req, IFLA_IFNAME, host, strlen(host) + 1);
	attr_put(&req, IFLA_ADDRESS, mac, 6);
	info = attr_put(&req, IFLA_LINKINFO, NULL, 0);
	attr_put(&req, IFLA_INFO_KIND, "veth", 5);
	data = attr_put(&req, IFLA_INFO_DATA, NULL, 0);
	peer = attr_put(&req, VETH_INFO_PEER, &pi, sizeof(pi));
	attr_put(&req, IFLA_IFNAME, ve, strlen(ve) + 1);
	attr_put(&req, IFLA_ADDRESS, mac_ve, 6);
	attr_put(&req, IFLA_NET_NS_FD, &nsfd, sizeof(nsfd));
	attr_end(&req, peer);
	attr_end(&req, data);
	attr_end(&req, info);
	r = nl_talk(&req.h);
	close(fd);
	return r;
}

int ns_veth_del(const char *host)
{
	union nl_req req;

	req_init(&req, RTM_DELLINK, 0);
	attr_put(&req, IFLA_IFNAME, host, strlen(host) + 1);
	return nl_talk(&req.h);
}
