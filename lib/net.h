/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * venet addresses and the host side of them (vzctl-behaviour.md §5.1, §5.2), what vzctl's
 * vps-net_add / vps-net_del scripts, arpsend and ndsend do, without executing anything:
 *
 *   net-addrs.c    the address list of IP_ADDRESS (IPv6 dropped unless IPV6=yes)
 *   net-venet.c    the kernel's venet map (VENETCTL_VE_IP_MAP through kernel.c), the VE
 *                  holding an address found in /proc/vz/veinfo
 *   net-host.c     host routes via venet0, proxy ARP/NDP entries, neighbour devices,
 *                  sysctl report — rtnetlink through libnl-route-3
 *   net-announce.c the duplicate-address probe and gratuitous ARP / unsolicited NA (raw sockets)
 *   net-veip.c     /var/lib/vzctl/veip/<VEID>, the addresses the host side was set up for
 *   net-steps.c    start, stop, cleanup rows and the live --ipadd/--ipdel
 */
#ifndef VZL_NET_H
#define VZL_NET_H

#include <stdbool.h>
#include <stddef.h>

#include "addr.h"
#include "vzlite.h"

struct kernel;

/* ---- net-addrs.c ------------------------------------------------------------------- */

struct net_addrs {
	struct addr *v;
	size_t n;
};

/* The addresses of a canonical IP_ADDRESS value (blank or comma separated). IPv6 ones are
 * dropped with a warning naming them unless `ipv6`. 0, -EINVAL (*bad names the word, which
 * the value's check refuses before), -ENOMEM. */
int net_addrs_parse(vzl_ctx *ctx, unsigned veid, const char *value, bool ipv6,
		    struct net_addrs *ret);
/* The addresses /proc/vz/veinfo lists for `veid` (none when it is not listed). */
int net_addrs_of_ve(vzl_ctx *ctx, unsigned veid, struct net_addrs *ret);
int net_addrs_push(struct net_addrs *l, const struct addr *a);
bool net_addrs_has(const struct net_addrs *l, const struct addr *a);
void net_addrs_free(struct net_addrs *l);
/* IPV6 of vz.conf is yes. */
bool net_ipv6_enabled(const vzl_ctx *ctx);

/* ---- net-venet.c ------------------------------------------------------------------- */

/* VE_IP_ADD of each address in order; on a failure the ones added are deleted again. An
 * address another VE holds: -EADDRINUSE naming that VE (VZL_STEP_VENET). */
int net_venet_add(vzl_ctx *ctx, unsigned veid, const struct net_addrs *l, vzl_error **err);
/* VE_IP_DEL of each address; one not in the map (EADDRNOTAVAIL) is not an error. Returns the
 * first other failure, having tried them all. */
int net_venet_del(vzl_ctx *ctx, unsigned veid, const struct net_addrs *l, vzl_error **err);

/* ---- net-host.c -------------------------------------------------------------------- */

struct net_host;

/* Open rtnetlink and read the links and addresses. VZL_STEP_NETLINK errors. */
int net_host_open(vzl_ctx *ctx, unsigned veid, struct net_host **ret, vzl_error **err);
void net_host_close(struct net_host *h);

/* The host's venet0 exists: 0, or -ENODEV with *err saying the module is missing. */
int net_host_check_venet(struct net_host *h, vzl_error **err);

/* Report (log warnings, never change) the sysctls venet needs for `l` (§5.2, §8 item 4). */
void net_host_report_sysctls(struct net_host *h, const struct net_addrs *l);

/*
 * The host side of `l` (vps-net_add): duplicate probe unless SKIP_ARPDETECT=yes (fatal with
 * ERROR_ON_ARPFAIL=yes), proxy entries on the neighbour devices and their announcement, a
 * route via venet0 (source from VE_ROUTE_SRC_DEV), each address appended to the veip file
 * (truncated first when `starting`). All or nothing: on failure what this call made is
 * removed again.
 */
int net_host_add(struct net_host *h, const struct net_addrs *l, bool starting, vzl_error **err);
/*
 * vps-net_del: the route via venet0 and the proxy entries of each address, every one tried;
 * the addresses are taken out of the veip file, or (`stopping`) the file is removed.
 * Returns the first failure.
 */
int net_host_del(struct net_host *h, const struct net_addrs *l, bool stopping, vzl_error **err);

/* ---- net-announce.c ---------------------------------------------------------------- */

struct net_dev {
	int ifindex;
	char name[16];
	unsigned char mac[6];
	bool has_mac;
};

/* Probe every IPv4 address of `l` on every device (ARP request from 0.0.0.0), wait up to
 * one second for replies. *ret_hit (n_addrs entries) is set for an address something
 * answered for. 0, or -errno when no probe could be sent. */
int net_arp_probe(const struct net_dev *devs, size_t n_devs, const struct net_addrs *l,
		  bool *ret_hit);
/* Gratuitous ARP (IPv4) or an unsolicited neighbour advertisement to all nodes (IPv6) for
 * `a` on `dev`. 0 or -errno. */
int net_announce(const struct net_dev *dev, const struct addr *a);

/* ---- net-veip.c -------------------------------------------------------------------- */

/* <VEIP dir>/<veid>: truncate (create), append "ADDR ", remove one address, remove the
 * file, read the addresses. The file is never followed through a symbolic link. */
int net_veip_truncate(vzl_ctx *ctx, unsigned veid);
int net_veip_append(vzl_ctx *ctx, unsigned veid, const struct addr *a);
int net_veip_drop(vzl_ctx *ctx, unsigned veid, const struct net_addrs *l);
int net_veip_remove(vzl_ctx *ctx, unsigned veid);
int net_veip_read(vzl_ctx *ctx, unsigned veid, struct net_addrs *ret);

/* ---- net-steps.c ------------------------------------------------------------------- */

/* A live IP_ADDRESS for a running VE: the addresses the kernel lists for it and `value`
 * lacks are deleted (map and host side), those `value` adds are added; all or nothing. In a
 * dry run only the kernel calls are made (recorded). */
int net_live_change(vzl_ve *ve, const char *value, vzl_error **err);

#endif
