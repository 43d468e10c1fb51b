/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What vzctl's arpsend and ndsend do (vzctl-behaviour.md §5.2), from raw sockets in this
 * process: the duplicate-address probe (an ARP request from 0.0.0.0 for the address, as
 * `arpsend -D`; any reply means another host uses it), the gratuitous ARP (`arpsend -U`: a
 * request with the address as sender and target) and the unsolicited neighbour
 * advertisement to all nodes (`ndsend`). arpsend waits one second per address and device;
 * here every probe is sent first and the replies are waited for once, one second in all.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if_arp.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "net.h"

struct arp_packet {
	struct arphdr h;
	unsigned char sha[6], sip[4], tha[6], tip[4];
} __attribute__((packed));

static int arp_socket(const struct net_dev *dev)
{
	int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, htons(ETH_P_ARP));
	if (fd < 0)
		return -errno;
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
				   .sll_protocol = htons(ETH_P_ARP),
				   .sll_ifindex = dev->ifindex };
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		int e = errno;
		close(fd);
		return -e;
	}
	return fd;
}

static int arp_send(int fd, const struct net_dev *dev, const unsigned char sip[4],
		    const unsigned char tip[4])
{
	struct arp_packet p = { .h = { .ar_hrd = htons(ARPHRD_ETHER),
				       .ar_pro = htons(ETH_P_IP),
				       .ar_hln = 6,
				       .ar_pln = 4,
				       .ar_op = htons(ARPOP_REQUEST) } };
	memcpy(p.sha, dev->mac, 6);
	memcpy(p.sip, sip, 4);
	memcpy(p.tip, tip, 4);
	struct sockaddr_ll to = { .sll_family = AF_PACKET,
				  .sll_protocol = htons(ETH_P_ARP),
				  .sll_ifindex = dev->ifindex,
				  .sll_halen = 6 };
	memset(to.sll_addr, 0xff, 6);
	if (sendto(fd, &p, sizeof(p), 0, (struct sockaddr *)&to, sizeof(to)) < 0)
		return -errno;
	return 0;
}

static long ms_left(const struct timespec *end)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (end->tv_sec - now.tv_sec) * 1000 + (end->tv_nsec - now.tv_nsec) / 1000000;
}

/* Mark the address a reply on `fd` is from. */
static void arp_read(int fd, const struct net_addrs *l, bool *hit)
{
	struct arp_packet p;
	ssize_t n;
	while ((n = recv(fd, &p, sizeof(p), 0)) >= (ssize_t)sizeof(p)) {
		if (ntohs(p.h.ar_op) != ARPOP_REPLY || ntohs(p.h.ar_pro) != ETH_P_IP)
			continue;
		for (size_t i = 0; i < l->n; i++)
			if (l->v[i].family == AF_INET && memcmp(l->v[i].bytes, p.sip, 4) == 0)
				hit[i] = true;
	}
}

int net_arp_probe(const struct net_dev *devs, size_t n_devs, const struct net_addrs *l,
		  bool *ret_hit)
{
	static const unsigned char any[4];
	struct pollfd *fds = calloc(n_devs ? n_devs : 1, sizeof(*fds));
	size_t nfd = 0, sent = 0;
	int first_err = 0;
	if (!fds)
		return -ENOMEM;
	for (size_t d = 0; d < n_devs; d++) {
		if (!devs[d].has_mac)
			continue;
		int fd = arp_socket(&devs[d]);
		if (fd < 0) {
			first_err = first_err ? first_err : fd;
			continue;
		}
		fds[nfd++] = (struct pollfd){ .fd = fd, .events = POLLIN };
		for (size_t i = 0; i < l->n; i++) {
			if (l->v[i].family != AF_INET)
				continue;
			int r = arp_send(fd, &devs[d], any, l->v[i].bytes);
			if (r < 0)
				first_err = first_err ? first_err : r;
			else
				sent++;
		}
	}
	if (sent) {
		struct timespec end;
		clock_gettime(CLOCK_MONOTONIC, &end);
		end.tv_sec += 1;
		long left;
		while ((left = ms_left(&end)) > 0 && poll(fds, nfd, (int)left) > 0)
			for (size_t i = 0; i < nfd; i++)
				if (fds[i].revents & POLLIN)
					arp_read(fds[i].fd, l, ret_hit);
	}
	for (size_t i = 0; i < nfd; i++)
		close(fds[i].fd);
	free(fds);
	return sent || !first_err ? 0 : first_err;
}

static int na_send(const struct net_dev *dev, const struct addr *a)
{
	struct {
		struct nd_neighbor_advert na;
		struct nd_opt_hdr opt;
		unsigned char mac[6];
	} __attribute__((packed)) m;
	memset(&m, 0, sizeof(m));
	m.na.nd_na_type = ND_NEIGHBOR_ADVERT;
	m.na.nd_na_flags_reserved = ND_NA_FLAG_OVERRIDE;
	memcpy(&m.na.nd_na_target, a->bytes, 16);
	m.opt.nd_opt_type = ND_OPT_TARGET_LINKADDR;
	m.opt.nd_opt_len = 1; /* in units of 8 bytes: header and MAC */
	memcpy(m.mac, dev->mac, 6);
	int fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMPV6);
	if (fd < 0)
		return -errno;
	int hops = 255; /* RFC 4861 §7.1.2: receivers drop anything else */
	unsigned idx = (unsigned)dev->ifindex;
	struct sockaddr_in6 to = { .sin6_family = AF_INET6, .sin6_scope_id = idx };
	inet_pton(AF_INET6, "ff02::1", &to.sin6_addr);
	int r = 0;
	if (setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &idx, sizeof(idx)) < 0 ||
	    sendto(fd, &m, sizeof(m), 0, (struct sockaddr *)&to, sizeof(to)) < 0)
		r = -errno;
	close(fd);
	return r;
}

int net_announce(const struct net_dev *dev, const struct addr *a)
{
	if (!dev->has_mac)
		return 0;
	if (a->family == AF_INET6)
		return na_send(dev, a);
	int fd = arp_socket(dev);
	if (fd < 0)
		return fd;
	int r = arp_send(fd, dev, a->bytes, a->bytes);
	close(fd);
	return r;
}
